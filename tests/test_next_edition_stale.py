"""A next edition with nothing stale: the README's commands (``next-edition`` with the
planner's edits, then ``solve``) give a 2025 edition whose every export names no 2024 date
and no weekday of 2024's days, searched in the exported bytes; the to-do list survives the
solve, in the file, and ``check`` reports it."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from course_scheduler.api import export
from course_scheduler.cli import main
from course_scheduler.exports import FORMATS
from course_scheduler.loading import load

from .conftest import EXAMPLES

OLD = re.compile(
    r"2024|(?:Monday|Mon),? 18|(?:Tuesday|Tue),? 19|(?:Wednesday|Wed),? 20"
    r"|(?:Thursday|Thu),? 21|(?:Friday|Fri),? 22"
)
"""What a 2025 export must not name: the year, or a day of 2024 by its weekday (a day of
2025 by its date, "Tuesday 18 November 2025", is right)."""


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("edition")
    template = folder / "next_edition.yaml"
    out = folder / "solved_2025.yaml"
    assert (
        main(
            [
                "next-edition",
                str(EXAMPLES / "corrected.yaml"),
                "--start",
                "2025-11-17",
                "--edits",
                str(EXAMPLES / "next_edition_edits.yaml"),
                "--out",
                str(template),
            ]
        )
        == 0
    )
    assert main(["solve", str(template), "--time-limit", "30", "--out", str(out)]) == 0
    return out


def _text(fmt: str, data: bytes) -> str:
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as sheets:
            return "\n".join(
                sheets.read(name).decode("utf-8")
                for name in sheets.namelist()
                if name.endswith(".xml") and "docProps" not in name
            )
    return data.decode("utf-8")


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "png"])
def test_no_export_of_the_2025_edition_names_a_2024_date(
    solved: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759276800")  # 2025-10-01, the export time
    text = _text(fmt, export(solved, fmt))
    stale = sorted({m.group() for m in OLD.finditer(text)})
    assert not stale, f"{fmt} names {stale}"
    assert "2025" in text or fmt in ("csv",)


def test_show_names_no_2024_date(solved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(solved)]) == 0
    shown = capsys.readouterr().out
    assert not OLD.search(shown), OLD.findall(shown)
    assert "Barcelona, 17th to 21st November 2025" in shown


def test_the_to_do_list_survives_the_solve_and_reaches_check(
    solved: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    programme = load(solved)
    assert any("d2-guest-talk" in item for item in programme.attention)
    assert main(["check", str(solved)]) == 0  # notes never fail a check
    printed = capsys.readouterr().out
    notes = [line for line in printed.splitlines() if "info [attention] needs a person:" in line]
    assert len(notes) == len(programme.attention)
    lunch = next(a for a in programme.all_activities() if a.id == "d5-lunch")
    assert lunch.title.endswith("(confirm assitance on Monday 17)")
