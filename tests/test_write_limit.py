"""The time limit when writing the answer over a file (``--out``).

A write not expected to fit in what is left of the limit is not begun (``cli/reserve.py``);
one begun looks at the clock within each part of the file, through the streams ruamel.yaml
reads and writes (``roundtrip/clocked.py``), and stops there. Either way the file is as it
was, the answer is printed, and the command says why and what to do."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from course_scheduler import api, loading
from course_scheduler.cli import main
from course_scheduler.errors import OutOfTime

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _copy(tmp_path: Path, example: str, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes((EXAMPLES / example / name).read_bytes())
    return path


def test_a_write_that_cannot_fit_is_not_begun_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``solve FILE --out FILE`` where writing is expected to take far longer than the limit
    leaves (each talk's write expected to take 100 s, as on a machine that slow): the write
    is not begun, the planner's file keeps its bytes, the command says it was not written
    because it would pass the time limit and to give a longer one, prints the timetable
    and exits 3. (Main's code began such a write and ran on past the limit.)"""
    from course_scheduler.cli import reserve

    path = _copy(tmp_path, "barcelona_2024", "next_edition.yaml")
    before = path.read_bytes()
    monkeypatch.setattr(reserve, "WRITE_PER_ACTIVITY", 100.0)
    code = main(["solve", str(path), "--out", str(path), "--time-limit", "30"])
    captured = capsys.readouterr()
    assert code == 3 and path.read_bytes() == before
    assert f"out of time: writing {path} would take about" in captured.out
    assert "past the time limit" in captured.out and "it was not written" in captured.out
    assert "give a longer --time-limit to have it written" in captured.out
    assert "status: optimal" in captured.out or "status: feasible" in captured.out
    placed = api.with_timetable(api.solve(loading.load(path), time_limit=30, seed=0))
    assert placed.days[0].activities[0].title in captured.out  # the timetable is printed
    assert "wrote" not in captured.err


def test_a_write_that_fits_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same command with the estimates as they are: the write fits and is made, the
    file reads back as the timetable found (every activity at a time), exit 0."""
    path = _copy(tmp_path, "barcelona_2024", "next_edition.yaml")
    before = path.read_bytes()
    code = main(["solve", str(path), "--out", str(path), "--time-limit", "30"])
    captured = capsys.readouterr()
    assert code == 0 and f"wrote {path}" in captured.err
    assert "it was not written" not in captured.out
    assert path.read_bytes() != before
    written = loading.load(path)
    assert all(a.time is not None for a in written.all_activities() if not a.untimed)


def _passing_at(at: int, looked: Callable[..., None]) -> Callable[..., None]:
    """``looked`` (a look at the deadline) as if the deadline passed at its ``at``-th call."""
    number = itertools.count(1)

    def passes(deadline: float | None, *rest: Any) -> None:
        looked(time.perf_counter() - 1 if next(number) >= at else deadline, *rest)

    return passes


def test_a_write_stops_within_a_part_when_its_deadline_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template's talks placed on their days (the commented ones carried with their
    lines): ruamel.yaml's reading and writing of each part looks at the deadline many times
    over, and a deadline that passes at any of those looks (the first, one in the middle,
    the last) stops the write there with ``OutOfTime`` and leaves the file's bytes; with a
    deadline that does not pass, the text is the one written without any."""
    from course_scheduler.roundtrip import clocked

    path = _copy(tmp_path, "e2m2_2025", "template.yaml")
    before = path.read_bytes()
    programme = loading.load(path)
    result = api.solve(programme, time_limit=30, seed=0, deterministic_time=1)
    solved = api.with_timetable(result)
    looked = clocked.in_time
    looks: list[float | None] = []

    def counted(deadline: float | None, *rest: Any) -> None:
        looks.append(deadline)
        looked(deadline, *rest)

    monkeypatch.setattr(clocked, "in_time", counted)
    later = time.perf_counter() + 3600
    text = loading.dump(solved, over=programme, as_read=True, deadline=later)
    assert text == loading.dump(solved, over=programme, as_read=True)
    total = len(looks)
    assert total > 20 and set(looks) == {later}
    for passing in sorted({1, total // 2, total}):
        monkeypatch.setattr(clocked, "in_time", _passing_at(passing, looked))
        with pytest.raises(OutOfTime):
            loading.save(solved, path, over=programme, as_read=True, deadline=later)
        assert path.read_bytes() == before
