"""The command line: exit codes, output formats, and bad input without tracebacks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course_scheduler.cli import main

from .conftest import CORRECTED, PUBLISHED


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "course_scheduler.cli", *args], capture_output=True, text=True
    )


def test_check_exit_codes_and_text() -> None:
    broken = run("check", str(PUBLISHED))
    assert broken.returncode == 1
    assert "FAILED: 4 errors, 2 warnings" in broken.stdout
    assert f"{PUBLISHED}:" in broken.stdout
    clean = run("check", str(CORRECTED))
    assert clean.returncode == 0
    assert "OK: 0 errors, 1 warning, 3 notes" in clean.stdout


def test_check_json_and_github_formats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PUBLISHED), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["counts"] == {"error": 4, "warning": 2, "info": 3}
    first = data["findings"][2]
    assert set(first) >= {"level", "rule", "date", "start", "end", "activities", "message", "line"}
    assert main(["check", str(PUBLISHED), "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 9
    assert all(
        line.startswith(("::error file=", "::warning file=", "::notice file=")) for line in lines
    )
    assert any(f"::error file={PUBLISHED},line=" in line for line in lines)


def test_show_csv_has_the_columns_and_every_activity(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(PUBLISHED), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 50
    assert list(rows[0])[:7] == ["date", "start", "end", "title", "kind", "venue", "people"]
    first = rows[0]
    assert (first["date"], first["start"], first["end"]) == ("2024-11-18", "09:00", "09:20")
    assert first["title"] == "Welcome, introductions and housekeeping"
    talk = next(r for r in rows if r["id"] == "d3-guest-talk")
    assert talk["people"] == "Khady Niang Sylla" and talk["venue"] == "CEI International Affairs"


def test_show_text_reads_like_the_brochure(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(PUBLISHED)]) == 0
    out = capsys.readouterr().out
    assert "Friday 22 November 2024 — Communicating the value of international engagement" in out
    assert "  9:00 - 9:20" in out and "Welcome, introductions and housekeeping" in out
    assert "@ Poblenou Superblocks" in out


def test_schema_is_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "course_scheduler programme"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('time: "9:00 - 9:20"', 'time: "25:00 - 25:20"'),
        ("people: [noferini]", "people: [nobody]"),
        ("course:", "course: [unclosed"),
        ("ride_minutes: 30", "ride_minutes: [30]"),
    ],
)
def test_bad_input_exits_2_with_one_message(tmp_path: Path, old: str, new: str) -> None:
    path = tmp_path / "broken.yaml"
    original = PUBLISHED.read_text(encoding="utf-8").replace(old, new, 1)
    path.write_text(original, encoding="utf-8")
    for command in ("check", "show", "solve"):
        result = run(command, str(path))
        assert result.returncode == 2, (command, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith(f"error: {path}:")
        assert len(result.stderr.strip().splitlines()) == 1
    assert path.read_text(encoding="utf-8") == original


def test_the_live_line_keeps_the_solves_clock_between_answers() -> None:
    """On a terminal the line is drawn a few times a second: its clock runs on from the
    solve's own (which counts loading and building) even when no better answer comes."""
    from rich.text import Text

    from course_scheduler.cli.solve import _progress

    class Objective:
        gap = "proven optimal"

        def line(self) -> str:
            return "objective: order 3 pairs"

    line = _progress()
    line.update("order", 5.0, Objective())
    first = line.__rich__()
    time.sleep(0.05)
    later = line.__rich__()
    assert isinstance(first, Text) and isinstance(later, Text)
    assert first.plain.endswith("s  objective: order 3 pairs  (proven optimal)")
    assert 5.0 <= float(first.plain.split("s")[0]) < float(later.plain.split("s")[0]) < 6.0
