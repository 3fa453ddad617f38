"""Kept published overlaps (``compile.KeptOverlap``): both readings of ``no_overlap`` agree.

A repair may leave a clash of the published timetable as it is while both activities stay at
their published times (``whatif.repair``). The checker skips such a pair only then; the
encoding lets the pair overlap only under a literal that pins both starts. On tiny random
programmes with a person or room rule, a random timetable and kept pairs drawn from its own
overlaps (some kept where the timetable has them, some at other times, so they no longer
hold): the checker reports an error <=> the timetable fixed into the model is infeasible; and
the solver, free to move everything, returns a timetable that checks clean with them kept.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from course_scheduler.checking import check_problem
from course_scheduler.compile import KeptOverlap, Problem
from course_scheduler.rules.base import CheckContext
from course_scheduler.rules.overlap import clashes, kept_overlaps
from course_scheduler.solver.solve import SolveOptions, solve_problem
from course_scheduler.timetable import Placement, Timetable, published_timetable
from tests.strategies import (
    Case,
    compile_data,
    date,
    fixed_feasible,
    hard,
    solver_settings,
)

OPTIONS = SolveOptions(time_limit=5, seed=0, workers=1)


@st.composite
def kept_cases(draw: st.DrawFn) -> tuple[Case, tuple[KeptOverlap, ...]]:
    """Two or three days, two rooms of one hall, two people, two to five movable activities
    crowded into a short morning (so that clashes are common), a person or room rule, and kept
    pairs drawn from the timetable's own clashes."""
    resource = draw(st.sampled_from(["person", "room"]))
    n_days = draw(st.integers(1, 2))
    activities = []
    for k in range(draw(st.integers(2, 5))):
        activity: dict[str, Any] = {
            "id": f"a{k}",
            "title": f"Talk {k}",
            "kind": "talk",
            "duration": draw(st.integers(1, 4)) * 15,
            "dates": [date(d) for d in range(n_days)],
            "people": sorted(draw(st.sets(st.sampled_from(["p0", "p1"]), min_size=1))),
        }
        if resource == "room" or draw(st.booleans()):
            activity["rooms"] = sorted(draw(st.sets(st.sampled_from(["r1", "r2"]), min_size=1)))
        activities.append(activity)
    rooms = [{"id": "r1", "name": "Room 1"}, {"id": "r2", "name": "Room 2"}]
    rule = {"id": "r-no_overlap", "kind": "no_overlap", "resource": resource}
    data = {
        "venues": [{"id": "hall", "name": "Hall", "rooms": rooms}],
        "people": [{"id": "p0", "name": "Pat Zero"}, {"id": "p1", "name": "Sam One"}],
        "days": [
            {"date": date(d), "venue": "hall", "window": "8:00 - 13:00", "activities": []}
            for d in range(n_days)
        ],
        "activities": activities,
        "rules": [rule],
    }
    problem = compile_data(data)
    placements = {}
    for item in problem.items:
        day = draw(st.sampled_from(item.days))
        begin = draw(st.integers(9 * 4, 11 * 4)) * 15
        room = draw(st.sampled_from(item.rooms)) if item.rooms else None
        placements[item.id] = Placement(
            date(day), begin, begin + item.duration, item.id, "hall", room
        )
    timetable = Timetable(placements)
    every = kept_overlaps(problem, timetable)
    chosen = draw(st.lists(st.sampled_from(every), min_size=1, unique=True)) if every else []
    kept = []
    for overlap in chosen:
        if draw(st.integers(0, 3)) == 0:  # kept at another time: the pair must now be apart
            (d1, s1), second = overlap.at
            overlap = dataclasses.replace(overlap, at=((d1, s1 + 15), second))
        kept.append(overlap)
    return Case(data, rule, timetable, problem), tuple(kept)


def with_kept(problem: Problem, kept: tuple[KeptOverlap, ...]) -> Problem:
    return dataclasses.replace(problem, kept_overlaps=kept)


@solver_settings(60)
@given(drawn=kept_cases())
def test_checker_agrees_with_model_on_kept_overlaps(
    drawn: tuple[Case, tuple[KeptOverlap, ...]],
) -> None:
    case, kept = drawn
    problem = with_kept(case.problem, kept)
    broken = bool(hard(check_problem(problem, case.timetable), case.rule["id"]))
    assert broken != fixed_feasible(problem, case.timetable), (kept, case.timetable)


@solver_settings(25)
@given(drawn=kept_cases())
def test_solver_keeps_only_what_may_be_kept(drawn: tuple[Case, tuple[KeptOverlap, ...]]) -> None:
    case, kept = drawn
    problem = with_kept(case.problem, kept)
    result = solve_problem(problem, options=dataclasses.replace(OPTIONS, unpin=True))
    if result.timetable is None:
        return
    assert hard(check_problem(problem, result.timetable)) == []
    # every overlap left is a kept one, at its kept times
    still = {(k.resource, k.first, k.second, k.at) for k in kept}
    ctx = CheckContext(problem, result.timetable)
    rule = problem.rules[0]
    assert rule.kind == "no_overlap"
    for key, a, p, b, q in clashes(rule, ctx):
        (first, pa), (second, pb) = sorted([(a.id, p), (b.id, q)], key=lambda x: x[0])
        assert (key, first, second, ((pa.date, pa.start), (pb.date, pb.start))) in still


def test_a_kept_pair_is_kept_only_at_its_times() -> None:
    """One person in two talks at once, kept: fine where published, an error one slot later."""
    talks = [
        {"id": "a", "title": "Talk A", "kind": "talk", "time": "9:00 - 10:00", "people": ["p"]},
        {"id": "b", "title": "Talk B", "kind": "talk", "time": "9:30 - 10:30", "people": ["p"]},
    ]
    data = {
        "venues": [{"id": "hall", "name": "Hall"}],
        "people": [{"id": "p", "name": "Pat Person"}],
        "days": [{"date": date(0), "venue": "hall", "window": "8:00 - 18:00", "activities": talks}],
        "rules": [{"id": "person", "kind": "no_overlap", "resource": "person"}],
    }
    problem = compile_data(data)
    published = published_timetable(problem)
    (overlap,) = kept_overlaps(problem, published)
    assert (overlap.first, overlap.second, overlap.resource) == ("a", "b", "p")
    problem = with_kept(problem, (overlap,))
    assert hard(check_problem(problem, published)) == []
    later = dataclasses.replace(published.placements["b"], start=9 * 60 + 45, end=10 * 60 + 45)
    moved = Timetable({**published.placements, "b": later})
    (finding,) = hard(check_problem(problem, moved))
    assert "for Pat Person" in finding.message
    assert not fixed_feasible(problem, moved)
