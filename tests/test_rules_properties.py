"""Checker properties over generated single-group timetables on one to three days.

* a planted overlap (two activities of the cohort sharing time) is always reported by the
  group no-overlap rule, naming exactly those two activities (among possibly others);
* a clean timetable (activities end to end inside the day windows, every rule built around
  it) never gets a hard finding, and moving any one activity out of its day window is
  always reported by day_window;
* a placement's room is read as one of its activity's rooms exactly when its list holds it,
  whatever the lists and rooms (``_listed_rooms``: each list searched for its placed rooms).

Plain Python only: no solver here (see test_rules_agreement for the CP-SAT side).
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_scheduler.checking import _listed_rooms, check_problem
from course_scheduler.rules import Level
from course_scheduler.timetable import Timetable
from tests.strategies import Planted, describe, hard, overlap_cases, single_group_cases

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(case=overlap_cases())
def test_a_planted_overlap_is_always_found(case: Planted) -> None:
    problem = case.problem
    report = check_problem(problem, case.timetable)
    assert case.pair is not None
    first, second = case.pair
    found = [f for f in hard(report, "no-overlap-group") if set(f.activities) == {first, second}]
    assert len(found) == 1, describe(problem, case.timetable)
    finding = found[0]
    assert finding.level == Level.ERROR
    titles = {problem.item(first).title, problem.item(second).title}
    assert all(f"'{t}'" in finding.message for t in titles)
    # every reported pair really overlaps
    for f in hard(report, "no-overlap-group"):
        p, q = (case.timetable.placements[x] for x in f.activities)
        assert p.date == q.date and p.start < q.end and q.start < p.end


@SETTINGS
@given(case=single_group_cases())
def test_a_clean_timetable_has_no_hard_finding(case: Planted) -> None:
    problem = case.problem
    report = check_problem(problem, case.timetable)
    assert report.errors == [], (describe(problem, case.timetable), report.errors)
    assert report.ok and report.scheduled == len(problem.items)


@SETTINGS
@given(case=single_group_cases(), data=st.data())
def test_leaving_the_day_window_is_found(case: Planted, data: st.DataObject) -> None:
    problem = case.problem
    ident = data.draw(st.sampled_from(sorted(case.timetable.placements)))
    p = case.timetable.placements[ident]
    low, high = problem.day_windows[problem.day_of_date[p.date]]
    duration = p.end - p.start
    choices = [
        s for s in (low - duration, low - 5, high - duration + 5) if 0 <= s <= 1440 - duration
    ]
    start = data.draw(st.sampled_from(choices))
    moved = Timetable(
        {
            **case.timetable.placements,
            ident: dataclasses.replace(p, start=start, end=start + duration),
        }
    )
    found = [
        f for f in hard(check_problem(problem, moved), "day-window") if f.activities == (ident,)
    ]
    assert found and all(f"'{problem.item(ident).title}'" in f.message for f in found)


@given(
    lists=st.lists(st.sets(st.integers(0, 12)), min_size=1, max_size=6),
    placed=st.lists(st.tuples(st.integers(0, 20), st.none() | st.integers(0, 14)), max_size=40),
)
def test_a_placed_room_is_listed_exactly_when_its_list_holds_it(
    lists: list[set[int]], placed: list[tuple[int, int | None]]
) -> None:
    """Lists shared by several activities, empty ones, no room, rooms no list names; the
    placements' room names are equal to the lists' but other objects (made apart)."""
    rooms = [tuple(f"room {k}" for k in sorted(ks)) for ks in lists]
    pairs = [
        (
            SimpleNamespace(rooms=rooms[which % len(rooms)]),
            SimpleNamespace(room=None if room is None else f"room {room}"),
        )
        for which, room in placed
    ]
    listed = _listed_rooms(SimpleNamespace(by_index=pairs))
    for item, p in pairs:
        if item.rooms:
            assert (p.room in listed[id(item.rooms)]) == (p.room in item.rooms)
