"""The CSC Summer School in High-Performance Computing 2025 (tests/fixtures/csc_summerschool_2025),
a ten-day residential school encoded as its repository's README printed it: what ``check``
finds in it, and what a re-plan of it keeps. Its exercises come after dinner on six evenings;
a re-plan that turned each of them round (exercises before an hour-late dinner) broke the
planner's evening to keep a default the file itself does not follow."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from course_scheduler import Status, check, compile_programme, load, solve
from course_scheduler.cli import main
from course_scheduler.model import Programme
from course_scheduler.rules.skeleton import dinner_pairs
from course_scheduler.solver.solve import unpin

from .conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "csc_summerschool_2025"
PROGRAMME = FIXTURE / "programme.yaml"
EXERCISE_EVENINGS = ["d1", "d2", "d3", "d4", "d7", "d8"]


def test_check_reads_the_school_as_printed() -> None:
    report = check(PROGRAMME)
    found = Counter((f.level.value, f.rule, f.activities) for f in report.findings)
    assert found[("error", "one-thing-at-a-time", ("d5-free-2", "d5-coffee"))] == 1
    assert found[("warning", "same-start", ("d5-coffee", "d5-free-2"))] == 1
    assert len(report.errors) == 1 and len(report.warnings) == 1
    # every row is read with its printed start; the open ends run to the next row
    raw = yaml.safe_load(PROGRAMME.read_text(encoding="utf-8"))
    printed_open = {
        a["id"] for day in raw["days"] for a in day["activities"] if a.get("time", "").endswith("-")
    }
    assert len(printed_open) == 88
    assert {f.activities[0] for f in report.findings if f.rule == "open-end"} == printed_open
    assert {f.activities for f in report.findings if f.rule == "untimed"} == {
        ("d6-free",),
        ("d6-trekking",),
    }
    assert "94/94 activities scheduled" in report.summary()


def test_a_replan_keeps_the_exercises_the_file_lists_after_dinner() -> None:
    """``solve --unpin``: every evening's exercises stay after its dinner, and the dinner at
    its printed 17:00 (17:15 on Day 2); before, all six were put before an hour-late dinner."""
    result = solve(PROGRAMME, unpin=True, time_limit=60, deterministic_time=20, seed=0)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert result.timetable is not None
    for day in EXERCISE_EVENINGS:
        dinner = result.timetable.get(f"{day}-dinner")
        exercises = result.timetable.get(f"{day}-exercises")
        assert dinner is not None and exercises is not None
        assert exercises.start >= dinner.end, day
        printed = 17 * 60 + (15 if day == "d2" else 0)
        assert dinner.start == printed, (day, dinner.start)


def _one_day(listed_after: bool, unplaced: bool) -> Programme:
    """A day with a dinner at 17:00 and a session the file lists before or after it, and
    maybe a session with no day, which the solver places."""
    dinner = {"id": "dinner", "time": "17:00 - 18:00", "title": "Dinner", "kind": "dinner"}
    session = {"id": "exercises", "time": "18:00 - 19:00", "title": "Exercises", "kind": "talk"}
    listed = [dinner, session] if listed_after else [session, dinner]
    data: dict[str, object] = {
        "course": {"title": "One day", "timezone": "Europe/Helsinki"},
        "venues": [{"id": "hotel", "name": "Hotel"}],
        "days": [
            {
                "date": dt.date(2025, 6, 24),
                "venue": "hotel",
                "window": "8:00 - 22:00",
                "activities": listed,
            }
        ],
    }
    if unplaced:
        data["activities"] = [{"id": "spare", "kind": "talk", "duration": 60, "title": "Spare"}]
    return Programme.model_validate(data)


@settings(max_examples=8, deadline=None)
@given(listed_after=st.booleans(), unplaced=st.booleans())
def test_after_dinner_spares_only_what_the_file_lists_after_the_dinner(
    listed_after: bool, unplaced: bool
) -> None:
    compiled = compile_programme(_one_day(listed_after, unplaced))
    problem = unpin(compiled, frozenset(i.id for i in compiled.items))  # as `solve --unpin`
    others = {other.id for dinner, other in dinner_pairs(problem) if dinner.id == "dinner"}
    assert ("exercises" in others) is not listed_after
    assert ("spare" in others) is unplaced  # a session of no day still keeps out of the evening


def test_the_fixture_loads_with_its_source_named() -> None:
    programme = load(PROGRAMME)
    assert len(programme.days) == 10
    readme = (FIXTURE / "README.md").read_text(encoding="utf-8")
    assert "csc-training/summerschool" in readme and "CC-BY-4.0" in readme
    assert "3c74b12f564568f7010417aba6ac69298fb9f722" in readme


def test_next_edition_with_nothing_to_ask_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The school names no person and no availability: the 2026 template needs nobody, and
    the command says so instead of printing the heading of an empty list."""
    out = tmp_path / "next.yaml"
    assert main(["next-edition", str(PROGRAMME), "--start", "2026-06-23", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[1:] == [
        "Nothing needs a person before it is published (the file's 'attention' list is empty)."
    ]
    template = load(out)
    assert template.attention == []
    assert template.days[0].date == dt.date(2026, 6, 23)  # a Tuesday, as in 2025 and 2026
    assert template.course.title == "CSC Summer School in High-Performance Computing 2026"
