"""Solver safety: the time limit holds, and Ctrl-C stops a solve cleanly with what it found.

The instance is the 2025 template with its usual times taken away (every time the solver's to
choose, no pattern to keep to), which CP-SAT takes several seconds to prove optimal: a solve
with a shorter limit runs until it is stopped.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from course_scheduler.checking import check
from course_scheduler.cli import main
from course_scheduler.clock import TimeRange
from course_scheduler.loading import load
from course_scheduler.solver import solve as solver_solve

from .conftest import NEXT_EDITION

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\r")


@pytest.fixture(scope="module")
def hard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = yaml.safe_load(NEXT_EDITION.read_text(encoding="utf-8"))
    for day in data["days"]:
        for activity in day["activities"]:
            if activity.get("pinned") is False and "time" in activity:
                activity["duration"] = TimeRange.parse(activity.pop("time")).minutes
                del activity["pinned"]
    path = tmp_path_factory.mktemp("hard") / "hard.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def summary_seconds(stdout: str) -> float:
    found = re.search(r"^status: \w+ .* time: ([0-9.]+)s", stdout, re.MULTILINE)
    assert found, stdout[:500]
    return float(found.group(1))


def test_the_time_limit_is_honoured(
    hard: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "solved.yaml"
    began = time.perf_counter()
    code = main(["solve", str(hard), "--time-limit", "2", "--out", str(out)])
    elapsed = time.perf_counter() - began
    stdout = capsys.readouterr().out
    # the limit cut the search: a timetable not proven optimal (written), or, on a slow or
    # busy machine, none yet (nothing written, exit 3); never a search past the limit
    assert (code, "status: feasible" in stdout, out.exists()) in (
        (0, True, True),
        (3, False, False),
    )
    assert summary_seconds(stdout) <= 3.0  # the solve, model building included
    assert elapsed < 3.5  # the whole command: loading, solving, writing
    if code == 0:
        header = out.read_text(encoding="utf-8").splitlines()[0]
        assert "status feasible (not proven optimal)" in header


@pytest.mark.parametrize("limit", ["0", "-1", "nan", "inf"])
def test_a_time_limit_that_is_not_a_positive_number_is_refused(
    limit: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["solve", str(NEXT_EDITION), f"--time-limit={limit}"]) == 2
    assert "--time-limit must be a positive number" in capsys.readouterr().err


def test_an_unwritable_out_is_refused_before_solving(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    began = time.perf_counter()
    missing = tmp_path / "missing" / "solved.yaml"
    assert main(["solve", str(NEXT_EDITION), "--out", str(missing)]) == 2
    assert main(["solve", str(NEXT_EDITION), "--out", str(tmp_path)]) == 2
    assert time.perf_counter() - began < 2.0  # the 30-second default limit never started
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"error: {missing}: the output folder does not exist",
        f"error: {tmp_path}: --out names a folder; give a file name",
    ]


def read_until(fd: int, pattern: bytes, timeout: float) -> bytes:
    """Read a terminal until ``pattern`` appears (or the program ends, or time runs out)."""
    data = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not re.search(pattern, data):
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the program closed the terminal
                break
            if not chunk:
                break
            data += chunk
    return data


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal and SIGINT")
def test_ctrl_c_stops_the_solve_and_keeps_the_best_timetable(hard: Path, tmp_path: Path) -> None:
    """On a terminal, wait for the live line to show a first timetable, then press Ctrl-C."""
    out = tmp_path / "solved.yaml"
    out.write_text("the previous output\n", encoding="utf-8")
    controller, terminal = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "50"}
    command = ["solve", str(hard), "--out", str(out), "--time-limit", "60"]
    process = subprocess.Popen(
        [sys.executable, "-m", "course_scheduler.cli", *command],
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(terminal)
    try:
        live = rb"objective: [a-z ]+ \d"  # the live line names the terms of a first timetable
        seen = read_until(controller, live, timeout=60)
        assert re.search(live, seen), ANSI.sub(b"", seen)[-500:]
        pressed = time.monotonic()
        process.send_signal(signal.SIGINT)
        rest = read_until(controller, rb"(?!)", timeout=30)  # everything, until it closes
        code = process.wait(timeout=30)
        stopped = time.monotonic() - pressed
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    assert process.stderr is not None
    stderr = process.stderr.read().decode("utf-8")
    stdout = ANSI.sub(b"", seen + rest).decode("utf-8", "replace")
    assert code == 130, (stdout[-2000:], stderr)
    assert stopped < 3.0  # not the 60-second limit
    assert "Traceback" not in stderr and f"wrote {out}" in stderr
    assert "status: interrupted" in stdout
    assert "interrupted: the best timetable found so far, not proven optimal" in stdout
    assert "Monday 17 November 2025" in stdout  # the timetable is printed
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith(
        f"# Solved by course-scheduler from {hard.name}: status interrupted (not proven optimal)"
    )
    solved = load(out)
    assert check(solved).ok  # the best timetable so far breaks no hard rule
    assert sorted(p.name for p in tmp_path.iterdir()) == ["solved.yaml"]  # no temporary file


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to the process itself")
def test_ctrl_c_before_any_timetable_leaves_the_previous_output(
    hard: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C as the solve starts: exit 130, nothing written, the old file untouched."""
    real_solve = solver_solve.solve_problem

    def solve_after_ctrl_c(*args: Any, **kwargs: Any) -> Any:
        os.kill(os.getpid(), signal.SIGINT)  # as if pressed now; handled on the main thread
        stop: threading.Event = kwargs["stop"]
        assert stop.wait(5), "the SIGINT handler did not set the stop event"
        return real_solve(*args, **kwargs)

    monkeypatch.setattr(solver_solve, "solve_problem", solve_after_ctrl_c)
    out = tmp_path / "solved.yaml"
    out.write_text("the previous output\n", encoding="utf-8")
    previous_handler = signal.getsignal(signal.SIGINT)
    began = time.perf_counter()
    code = main(["solve", str(hard), "--out", str(out), "--time-limit", "60"])
    assert time.perf_counter() - began < 5.0
    assert code == 130
    stdout = capsys.readouterr().out
    assert "status: interrupted" in stdout
    assert "interrupted before any timetable was found; nothing written" in stdout
    assert out.read_text(encoding="utf-8") == "the previous output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["solved.yaml"]
    assert signal.getsignal(signal.SIGINT) is previous_handler  # restored
