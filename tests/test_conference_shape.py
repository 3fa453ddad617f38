"""Conference instances shaped after published programmes (benchmarks/generate_conference.py).

The generator must make what its docstring claims (slot lengths that vary by room and time of
day, staggered starts, rooms of 15 to 1,500 seats, devrooms by half day, speakers with up to a
dozen events, tracks apart by ``unavailability``, speakers away whole days), the same instance
for the same seed, and be feasible by construction: its planted timetable keeps every rule, and
every timetable we solve on it (small sizes here) checks clean by our checker and the
benchmark's overlap checker.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from benchmarks.generate_conference import days_for, plant
from benchmarks.instances import generated
from benchmarks.overlap_check import violations
from course_scheduler import Status
from course_scheduler.checking import check_problem
from course_scheduler.compile import compile_programme
from course_scheduler.importers.peer import (
    assignment_from_timetable,
    programme_from_peer,
    timetable_from_assignment,
)
from course_scheduler.solver.solve import SolveOptions, solve_problem


@pytest.mark.parametrize("size", [400, 3000])
def test_the_generator_makes_the_shape_it_promises(size: int) -> None:
    data, answer = plant(size, seed=7)
    assert plant(size, seed=7) == (data, answer) and plant(size, seed=8)[0] != data
    events, slots = data["events"], data["slots"]
    assert len(events) == size and 1.15 * size <= len(slots) <= 1.22 * size + 1
    assert len({s["starts_at"][:10] for s in slots}) == days_for(size)
    lengths = Counter(s["duration"] for s in slots)
    assert {20, 25, 30, 40, 50}.issubset(lengths) and ({120, 180} & set(lengths))
    minutes = {s["starts_at"][14:16] for s in slots}
    assert len(minutes) >= 6  # staggered starts, not one grid
    capacity = [s["capacity"] for s in slots]
    assert min(capacity) < 50 and max(capacity) >= 600
    talks = Counter(s for e in events for s in e["speakers"])
    assert 0.70 <= sum(1 for n in talks.values() if n == 1) / len(talks) <= 0.85
    assert max(talks.values()) >= 6
    listed = sum(1 for e in events if e["unavailability"])
    assert listed / size >= 0.3
    barred = [e for e in events if e["slot_unavailability"]]
    per_day = len(slots) / days_for(size)
    assert 0.05 <= len(barred) / size <= 0.25
    assert any(len(e["slot_unavailability"]) >= 0.9 * per_day for e in barred)  # a day away
    by_room_day = Counter((s["venue"], s["starts_at"][:10]) for s in slots)
    rooms = {s["venue"] for s in slots}
    assert len(by_room_day) < days_for(size) * len(rooms)  # some rooms are closed some days


@pytest.mark.parametrize(("size", "seed"), [(60, 1), (400, 7), (2000, 3)])
def test_the_planted_timetable_keeps_every_rule(size: int, seed: int) -> None:
    data, answer = plant(size, seed=seed)
    assert violations(data, answer) == []
    assert violations(data, answer, slot_occupancy=True) == []
    problem = compile_programme(programme_from_peer(data))
    report = check_problem(problem, timetable_from_assignment(data, answer))
    assert report.errors == [], [f.message for f in report.errors[:3]]


@pytest.mark.parametrize(("size", "seed"), [(60, 1), (150, 2)])
def test_every_timetable_solved_on_the_shape_checks_clean(size: int, seed: int) -> None:
    data, _ = plant(size, seed=seed)
    programme = programme_from_peer(data)
    programme.objective.soft_rules = 0  # the first timetable, as the benchmarks time it
    problem = compile_programme(programme)
    result = solve_problem(problem, options=SolveOptions(time_limit=30, seed=seed))
    assert result.status == Status.OPTIMAL and result.timetable is not None
    assert check_problem(problem, result.timetable).ok
    answer = assignment_from_timetable(data, result.timetable)
    assert len(answer) == size and violations(data, answer) == []


def test_the_shape_is_one_of_the_benchmarks(tmp_path: Path) -> None:
    instance = generated("conference", 50, 9, tmp_path)
    assert instance.name == "conference n=50 (seed 9)" and instance.size == 50
    assert instance.data() == plant(50, 9)[0]
