"""Pooled rooms (solver/slots.py) against the checker and against one interval per room.

Generated multi-track instances: rooms with slot grids (two grids, so pools of different
sizes) and closed windows, capacities, activities limited to some rooms, barred windows with and
without a room, shared speakers, a room rule and a hard, soft or absent capacity rule. Three readings must agree:
- a timetable the checker calls clean is a feasible point of the pooled model, and the other way;
- the pooled model and the interval model find the same instances feasible, with the same
  optimal soft cost;
- every pooled answer, rooms matched after the solve, checks clean.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from course_scheduler import Status
from course_scheduler.checking import check_problem
from course_scheduler.compile import Problem, compile_programme
from course_scheduler.importers.peer import programme_from_peer
from course_scheduler.model import Programme
from course_scheduler.solver.build import Build
from course_scheduler.solver.slots import (
    Ladder,
    PoolPlan,
    hall_violator,
    maximum_matching,
    min_cost_matching,
    plan_pools,
)
from course_scheduler.solver.solve import SolveOptions, solve_problem
from course_scheduler.timetable import Placement, Timetable
from tests.strategies import describe, fixed_feasible, solver_settings

SETTINGS = solver_settings(200)
DATES = ["2025-09-15", "2025-09-16"]
GRIDS = {
    "talk": ["9:00 - 9:30", "9:30 - 10:00", "10:00 - 10:45", "11:00 - 11:45"],
    "workshop": ["9:00 - 10:30", "11:00 - 12:30"],
}
CLOSED = ["9:00 - 10:00", "9:30 - 12:00", "10:45 - 11:00", "8:00 - 18:00"]


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


@st.composite
def instances(draw: Any) -> dict[str, Any]:
    room_count = draw(st.integers(2, 5))
    rooms = [
        {
            "id": f"r{k}",
            "name": f"Room {k}",
            "slots": GRIDS[draw(st.sampled_from(sorted(GRIDS)))],
            **({"capacity": c} if (c := draw(st.sampled_from([None, 20, 50, 100]))) else {}),
        }
        for k in range(room_count)
    ]
    days = draw(st.integers(1, 2))
    for room in rooms:  # a room booked only part of the time: closed in some windows
        closed = [
            {"date": DATES[draw(st.integers(0, days - 1))], "time": draw(st.sampled_from(CLOSED))}
            for _ in range(draw(st.integers(0, 2)))
        ]
        if closed:
            room["closed"] = closed
    people = [f"p{k}" for k in range(3)]
    activities = []
    for k in range(draw(st.integers(2, 9))):
        allowed = draw(st.lists(st.sampled_from([r["id"] for r in rooms]), min_size=1, unique=True))
        barred = []
        for _ in range(draw(st.integers(0, 3))):
            begin = draw(st.sampled_from([540, 570, 600, 660, 690]))
            length = draw(st.sampled_from([15, 30, 60]))
            entry = {
                "date": DATES[draw(st.integers(0, days - 1))],
                "time": f"{_clock(begin)} - {_clock(begin + length)}",
            }
            if draw(st.integers(0, 3)):
                entry["room"] = draw(st.sampled_from(allowed))
            barred.append(entry)
        activity: dict[str, Any] = {
            "id": f"a{k}",
            "title": f"Activity {k}",
            "kind": "talk",
            "duration": draw(st.sampled_from([30, 45, 90])),
            "rooms": allowed,
            "audience": draw(st.sampled_from([10, 40, 80])),
        }
        if barred:
            activity["barred"] = barred
        speakers = draw(st.lists(st.sampled_from(people), max_size=1))
        if speakers:
            activity["people"] = speakers
        activities.append(activity)
    rules: list[dict[str, Any]] = [
        {"id": "rooms", "kind": "no_overlap", "resource": "room"},
        {"id": "speakers", "kind": "no_overlap", "resource": "person"},
    ]
    capacity = draw(st.sampled_from(["hard", "soft", "none"]))
    if capacity != "none":
        rules.append({"id": "capacity", "kind": "capacity", "severity": capacity, "weight": 5})
    return {
        "course": {"title": "Pooled rooms"},
        "venues": [{"id": "hall", "name": "Hall", "rooms": rooms}],
        "people": [{"id": p, "name": p.upper()} for p in people],
        "days": [{"date": d, "venue": "hall", "window": "8:00 - 18:00"} for d in DATES[:days]],
        "activities": activities,
        "rules": rules,
        "objective": {"day_end": 0, "idle_minutes": 0},
    }


@st.composite
def crowded(draw: Any) -> dict[str, Any]:
    """One or two slots, few rooms, each talk barred from about half of them: where counting
    talks per cell is not enough and the matching's cuts must do the rest."""
    grid = ["9:00 - 9:30", "9:30 - 10:00"][: draw(st.integers(1, 2))]
    rooms = [
        {"id": f"r{k}", "name": f"R{k}", "slots": grid} for k in range(draw(st.integers(3, 5)))
    ]
    talks = []
    for k in range(draw(st.integers(3, 2 * len(grid) + 3))):
        barred = [
            {"date": DATES[0], "time": draw(st.sampled_from(grid)), "room": r["id"]}
            for r in rooms
            if draw(st.integers(0, 1))
        ]
        talks.append(
            {
                "id": f"a{k}",
                "title": f"A{k}",
                "kind": "talk",
                "duration": 30,
                "rooms": [r["id"] for r in rooms],
                **({"barred": barred} if barred else {}),
            }
        )
    return {
        "course": {"title": "Crowded"},
        "venues": [{"id": "hall", "name": "Hall", "rooms": rooms}],
        "days": [{"date": DATES[0], "venue": "hall", "window": "8:00 - 18:00"}],
        "activities": talks,
        "rules": [{"id": "rooms", "kind": "no_overlap", "resource": "room"}],
        "objective": {"day_end": 0, "idle_minutes": 0},
    }


def test_a_block_and_its_own_part_share_its_one_room() -> None:
    """The workshop and its part may only use r0: the room rule leaves them alone (the part
    lies inside its block), so the checker accepts them there together, and the solver must
    find that timetable (pooled, the count of one activity per room and cell had none)."""
    rooms = [
        {"id": f"r{k}", "name": f"R{k}", "slots": ["9:00 - 11:00", "11:00 - 13:00"]}
        for k in range(2)
    ]
    activities = [
        {"id": "ws", "title": "Workshop", "kind": "workshop", "duration": 120, "rooms": ["r0"]},
        {"id": "part", "title": "Part", "kind": "talk", "duration": 120, "block": "ws"},
        {"id": "t1", "title": "T1", "kind": "talk", "duration": 120, "rooms": ["r0", "r1"]},
        {"id": "t2", "title": "T2", "kind": "talk", "duration": 120, "rooms": ["r0", "r1"]},
    ]
    activities[1]["rooms"] = ["r0"]
    problem = _problem(
        {
            "course": {"title": "Blocks"},
            "venues": [{"id": "hall", "name": "Hall", "rooms": rooms}],
            "days": [
                {
                    "date": DATES[0],
                    "venue": "hall",
                    "window": "8:00 - 18:00",
                    "activities": activities,
                }
            ],
            "rules": [{"id": "rooms", "kind": "no_overlap", "resource": "room"}],
        }
    )
    result = solve_problem(problem, options=SolveOptions(time_limit=5, seed=0))
    assert result.status == Status.OPTIMAL and result.timetable is not None
    assert result.timetable.get("ws").room == result.timetable.get("part").room == "r0"
    assert check_problem(problem, result.timetable).ok


def _problem(data: dict[str, Any]) -> Problem:
    return compile_programme(Programme.model_validate(data))


@st.composite
def placed(draw: Any) -> tuple[Problem, Timetable]:
    """An instance and a timetable of it: each activity takes a free (day, room, slot) where it
    may go, so many are clean; some are sent anywhere, off the grid or into a taken room."""
    problem = _problem(draw(instances()))
    cells = [
        (day, room, start, end)
        for day in range(len(problem.dates))
        for room, grid in sorted(problem.room_slots.items())
        for start, end in grid
    ]
    order = draw(st.permutations(cells))
    taken: set[tuple[int, str, int]] = set()
    placements = {}
    for item in problem.items:

        def allowed(day: int, room: str, start: int, end: int, item: Any = item) -> bool:
            barred = any(
                d == day and b < start + item.duration and start < e and r in (None, room)
                for d, b, e, r in item.barred
            )
            fits = end - start >= item.duration and room in item.rooms
            return fits and not barred and (day, room, start) not in taken

        free = [c for c in order if allowed(*c)]
        if free and draw(st.integers(0, 5)):
            day, room, start, _ = free[0]
        else:
            day, room, start, _ = draw(st.sampled_from(cells))
            start = draw(st.sampled_from([start, start, 555]))
        taken.add((day, room, start))
        placements[item.id] = Placement(
            problem.dates[day], start, start + item.duration, item.id, "hall", room
        )
    return problem, Timetable(placements)


@SETTINGS
@given(placed())
def test_a_clean_timetable_is_exactly_a_feasible_point_of_the_pooled_model(
    case: tuple[Problem, Timetable],
) -> None:
    problem, timetable = case
    report = check_problem(problem, timetable)
    feasible = fixed_feasible(problem, timetable)
    assert feasible == report.ok, (
        f"checker: {[f.message for f in report.errors]}, model feasible: {feasible}\n"
        + describe(problem, timetable)
    )
    assert feasible == fixed_feasible(problem, timetable, pool_rooms=False)


@st.composite
def with_blocks(draw: Any) -> dict[str, Any]:
    """One day of two to four gridded rooms: a workshop block whose parts (one after another,
    or side by side) may use some of its rooms, and talks around it. The room rule leaves a
    block and its own part alone, which a cell's count of activities per room cannot do."""
    rooms = [
        {"id": f"r{k}", "name": f"Room {k}", "slots": GRIDS[draw(st.sampled_from(sorted(GRIDS)))]}
        for k in range(draw(st.integers(2, 4)))
    ]
    ids = [r["id"] for r in rooms]

    def some_rooms() -> list[str]:
        return draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))

    block = {
        "id": "block",
        "title": "Workshop",
        "kind": "workshop",
        "duration": 90,
        "rooms": some_rooms(),
        **({"parallel": True} if draw(st.booleans()) else {}),
    }
    parts = [
        {
            "id": f"part{k}",
            "title": f"Part {k}",
            "kind": "talk",
            "duration": draw(st.sampled_from([30, 45])),
            "block": "block",
            "rooms": some_rooms(),
        }
        for k in range(draw(st.integers(1, 2)))
    ]
    talks = [
        {
            "id": f"t{k}",
            "title": f"Talk {k}",
            "kind": "talk",
            "duration": draw(st.sampled_from([30, 45, 90])),
            "rooms": some_rooms(),
        }
        for k in range(draw(st.integers(0, 4)))
    ]
    activities = [block, *parts, *talks]
    return {
        "course": {"title": "Blocks in gridded rooms"},
        "venues": [{"id": "hall", "name": "Hall", "rooms": rooms}],
        "days": [
            {"date": DATES[0], "venue": "hall", "window": "8:00 - 18:00", "activities": activities}
        ],
        "rules": [{"id": "rooms", "kind": "no_overlap", "resource": "room"}],
        "objective": {"day_end": 0, "idle_minutes": 0},
    }


@SETTINGS
@given(st.one_of(instances(), crowded(), with_blocks()))
def test_pooled_and_interval_models_agree_and_pooled_answers_check_clean(
    data: dict[str, Any],
) -> None:
    problem = _problem(data)
    options = SolveOptions(time_limit=10, seed=0)
    pooled = solve_problem(problem, options=options)
    intervals = solve_problem(problem, options=SolveOptions(time_limit=10, pool_rooms=False))
    assert pooled.status in (Status.OPTIMAL, Status.INFEASIBLE, Status.FEASIBLE)
    assert intervals.status in (Status.OPTIMAL, Status.INFEASIBLE)
    assert (pooled.status == Status.INFEASIBLE) == (intervals.status == Status.INFEASIBLE)
    if pooled.timetable is None:
        return
    report = check_problem(problem, pooled.timetable)
    assert report.ok, [f.message for f in report.errors]
    if pooled.status == Status.OPTIMAL:
        assert pooled.objective is not None and intervals.objective is not None
        assert pooled.objective.ranks == intervals.objective.ranks


def _cells_read_plainly(
    problem: Problem, pool_of: dict[str, int], index: int
) -> dict[Any, set[str]]:
    """Per cell (pool, day, slot start), the rooms an activity may take there, read room by
    room from the problem: a slot of the room's grid long enough, the room open and nothing
    barred for its length that day."""
    item = problem.items[index]
    found: dict[Any, set[str]] = {}
    for day in item.days:
        for room in item.rooms:
            for start, end in problem.room_slots[room]:
                finish = start + item.duration
                if end - start < item.duration:
                    continue
                if any(
                    d == day and b < finish and start < e
                    for d, b, e in problem.room_closed.get(room, ())
                ):
                    continue
                if any(
                    d == day and b < finish and start < e and where in (None, room)
                    for d, b, e, where in item.barred
                ):
                    continue
                found.setdefault((pool_of[room], day, start), set()).add(room)
    return found


def _planned_without_soft_rules(data: dict[str, Any]) -> tuple[Problem, PoolPlan]:
    """A peer-schema instance compiled with no soft rules (the first timetable's model), and
    its pools' plan: what the tests of generated real-schedule shapes read cells from."""
    programme = programme_from_peer(data)
    programme.objective.soft_rules = 0
    problem = compile_programme(programme)
    plan = plan_pools(problem)
    assert plan is not None
    return problem, plan


def _assert_cells_read_plainly(problem: Problem, plan: PoolPlan, index: int) -> None:
    """``plan.cells`` of activity ``index`` equal ``_cells_read_plainly``'s, in order of day,
    pool and start: the one comparison every pooled-cells test makes."""
    item = problem.items[index]
    cells = plan.cells(problem, item, None)
    assert {cell: set(rooms) for cell, rooms in cells} == _cells_read_plainly(
        problem, plan.pool_of, index
    ), item.id
    order = [(cell.day, cell.pool, cell.start) for cell, _ in cells]
    assert order == sorted(order)


@SETTINGS
@given(instances())
def test_each_activity_may_take_exactly_the_cells_and_rooms_a_plain_reading_allows(
    data: dict[str, Any],
) -> None:
    """``PoolPlan.cells`` (shared intersections with each pool's sets of open rooms) against
    the grid, closures and barred windows read room by room; with a start given, the cells
    starting then; cells in order of day, pool and start."""
    problem = _problem(data)
    plan = plan_pools(problem)
    if plan is None:
        return
    for index in sorted(plan.items):
        _assert_cells_read_plainly(problem, plan, index)
        item = problem.items[index]
        cells = plan.cells(problem, item, None)
        for start in {cell.start for cell, _ in cells}:
            assert plan.cells(problem, item, start) == [c for c in cells if c[0].start == start]


@given(instances())
def test_each_ranking_of_a_cells_rooms_is_the_one_sorting_gives_for_its_audience(
    data: dict[str, Any],
) -> None:
    """``PooledRooms._rank`` shares one list between audiences that the same rooms are too
    small for, and reads ladders off the pool's: every ranking it gives, for no audience and
    for audiences at, just above and between the rooms' sizes, is the one a ladder sorted for
    the cell's rooms alone gives."""
    problem = _problem(data)
    pooled = Build(problem).pooled
    if pooled is None:
        return
    sizes = {size for size in problem.room_capacity.values() if size is not None}
    needs = sorted({0, 1, *sizes, *(size + 1 for size in sizes), *(size - 1 for size in sizes)})
    for index, options in pooled.by_item.options.items():
        preferred = pooled.preferred.get(index)
        for need in needs:
            pooled._need[index] = need
            for _, rooms in options.cells:
                expected = Ladder.of(rooms, problem.room_capacity).order(need, preferred)
                assert pooled._rank(options.item, rooms) == expected


def _cut_case(barred: list[list[str]]) -> Problem:
    rooms = [{"id": f"r{k}", "name": f"R{k}", "slots": ["9:00 - 10:00"]} for k in range(4)]
    talks = [
        {
            "id": f"a{k}",
            "title": f"A{k}",
            "kind": "talk",
            "duration": 60,
            "rooms": [r["id"] for r in rooms],
            "barred": [{"date": DATES[0], "time": "9:00 - 10:00", "room": r} for r in bars],
        }
        for k, bars in enumerate(barred)
    ]
    return _problem(
        {
            "course": {"title": "Cut"},
            "venues": [{"id": "hall", "name": "Hall", "rooms": rooms}],
            "days": [{"date": DATES[0], "venue": "hall", "window": "8:00 - 18:00"}],
            "activities": talks,
            "rules": [{"id": "rooms", "kind": "no_overlap", "resource": "room"}],
        }
    )


def test_rooms_that_counting_cannot_see_are_short_are_cut_until_the_answer_is_matched() -> None:
    """Four talks, four rooms, one slot: the counting bounds hold (no talk is limited to a set
    of rooms smaller than the talks limited to it), yet the four can only use r0, r1 and r2.
    Only a cut from the failed matching proves it."""
    problem = _cut_case([["r2", "r3"], ["r0", "r3"], ["r1", "r3"], ["r2", "r3"]])
    plan = plan_pools(problem)
    assert plan is not None and len(plan.pools) == 1
    assert solve_problem(problem, options=SolveOptions(time_limit=5)).status == Status.INFEASIBLE
    assert (
        solve_problem(problem, options=SolveOptions(time_limit=5, pool_rooms=False)).status
        == Status.INFEASIBLE
    )
    problem = _cut_case([["r2", "r3"], ["r0", "r3"], ["r1", "r3"], ["r2"]])
    result = solve_problem(problem, options=SolveOptions(time_limit=5))
    assert result.status == Status.OPTIMAL and result.timetable is not None
    assert result.timetable.get("a3").room == "r3"
    assert check_problem(problem, result.timetable).ok


def test_a_room_an_interval_modelled_activity_may_use_leaves_the_pool_with_all_who_use_it() -> None:
    """a0 and a1 share one room (``same_room``): each has a room literal, so r0 and r2 are
    theirs; a2 may use r0, so it is modelled with intervals too, and then so is a3, which
    shares r1 with a2. Only a4, alone in r3, is pooled; activities alike share one list of
    rooms (read once)."""
    rooms = [{"id": f"r{k}", "name": f"R{k}", "slots": ["9:00 - 10:00"]} for k in range(4)]
    lists = [["r0"], ["r2"], ["r0", "r1"], ["r1", "r2"], ["r3"], ["r3"]]
    talks = [
        {"id": f"a{k}", "title": f"A{k}", "kind": "talk", "duration": 60, "rooms": listed}
        for k, listed in enumerate(lists)
    ]
    problem = _problem(
        {
            "course": {"title": "Shared rooms"},
            "venues": [{"id": "hall", "name": "Hall", "rooms": rooms}],
            "days": [{"date": DATES[0], "venue": "hall", "window": "8:00 - 18:00"}],
            "activities": talks,
            "rules": [
                {"id": "rooms", "kind": "no_overlap", "resource": "room"},
                {"id": "one-room", "kind": "same_room", "activities": ["a0", "a1"]},
            ],
        }
    )
    plan = plan_pools(problem)
    assert plan is not None
    assert {problem.items[i].id for i in plan.items} == {"a4", "a5"}
    assert [pool.rooms for pool in plan.pools] == [("r3",)]


def test_matching_takes_the_smallest_room_that_fits_and_names_the_rooms_too_few() -> None:
    cost = {0: {"small": 0, "large": 1}, 1: {"large": 0}}
    assert min_cost_matching(cost) == {0: "small", 1: "large"}
    x, xy = frozenset({"x"}), frozenset({"x", "y"})
    assert hall_violator({0: x, 1: x, 2: xy}) == x
    assert hall_violator({0: x, 1: frozenset({"y"})}) is None


def test_explain_names_the_room_rule_when_only_the_matching_shows_rooms_are_short() -> None:
    from course_scheduler.solver.explain import explain_problem

    problem = _cut_case([["r2", "r3"], ["r0", "r3"], ["r1", "r3"], ["r2", "r3"]])
    explanation = explain_problem(problem, time_limit=5)
    assert not explanation.feasible
    assert [reason.rule for reason in explanation.reasons] == ["rooms"]


@solver_settings(120)
@given(st.one_of(instances(), crowded()), st.data())
def test_a_rule_an_explanation_drops_is_gone_from_the_pooled_model_as_from_the_file(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    """``explain`` solves the model with some rules' assumptions false (its deletion filter's
    trials): that must be the model of the programme without them. The same instances have a
    timetable, decided in time (a cut under a rule the answer has dropped cut nothing: the
    search returned the same answer until its time ran out), and the trial's timetable, rooms
    matched, checks clean against that programme (an audience no room holds, once capacity
    is dropped, still gets a room: it raised IndexError)."""
    from ortools.sat.python import cp_model

    from course_scheduler.solver import search

    ids = [rule["id"] for rule in data["rules"]]
    dropped = set(draw.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True)))
    build = Build(_problem(data), explain=True)
    build.model.add_assumptions(
        [a.literal.Not() if a.rule in dropped else a.literal for a in build.assumptions]
    )
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = 10
    search.configure(solver.parameters, build)
    status = build.solve(solver)
    kept = [rule for rule in data["rules"] if rule["id"] not in dropped]
    without = _problem({**data, "rules": kept})
    plain = solve_problem(without, options=SolveOptions(time_limit=10, pool_rooms=False))
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE), dropped
    assert plain.status in (Status.OPTIMAL, Status.INFEASIBLE)
    assert (status == cp_model.INFEASIBLE) == (plain.status == Status.INFEASIBLE)
    if status != cp_model.INFEASIBLE:
        report = check_problem(without, build.timetable(solver), hard_only=True)
        assert report.ok, [f.message for f in report.errors]


def test_an_audience_no_room_holds_still_gets_a_room_when_capacity_is_dropped() -> None:
    """The smallest case of the test above: the keynote fits no room, so the explanation's
    trial without the capacity rule places it anyway, in a room of its own."""
    from ortools.sat.python import cp_model

    rooms = [
        {"id": "small", "name": "Small", "capacity": 60, "slots": ["9:00 - 10:00"]},
        {"id": "large", "name": "Large", "capacity": 400, "slots": ["9:00 - 10:00"]},
    ]
    talks = [
        {
            "id": "keynote",
            "title": "Keynote",
            "kind": "talk",
            "duration": 60,
            "audience": 450,
            "rooms": ["small", "large"],
        },
        {"id": "other", "title": "Other", "kind": "talk", "duration": 60, "rooms": ["large"]},
    ]
    problem = _problem(
        {
            "course": {"title": "Too large"},
            "venues": [{"id": "hall", "name": "Hall", "rooms": rooms}],
            "days": [{"date": DATES[0], "venue": "hall", "window": "8:00 - 18:00"}],
            "activities": talks,
            "rules": [
                {"id": "rooms", "kind": "no_overlap", "resource": "room"},
                {"id": "capacity", "kind": "capacity", "severity": "hard"},
            ],
        }
    )
    build = Build(problem, explain=True)
    build.model.add_assumptions(
        [a.literal.Not() if a.rule == "capacity" else a.literal for a in build.assumptions]
    )
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5
    assert build.solve(solver) == cp_model.OPTIMAL
    timetable = build.timetable(solver)
    assert {p.activity: p.room for p in timetable} == {"keynote": "small", "other": "large"}


def test_a_repair_keeps_each_activity_in_its_published_room() -> None:
    """With a reference, the matching prefers each activity's room there (rooms are not part
    of the objective, so without this a repair could shuffle rooms for nothing)."""
    problem = _cut_case([[], [], [], []])
    first = solve_problem(problem, options=SolveOptions(time_limit=5))
    assert first.timetable is not None
    rotated = {p.activity: p for p in first.timetable}
    rooms = [rotated[f"a{k}"].room for k in range(4)]
    swapped = Timetable(
        {f"a{k}": dataclasses.replace(rotated[f"a{k}"], room=rooms[(k + 1) % 4]) for k in range(4)}
    )
    repaired = solve_problem(problem, reference=swapped, options=SolveOptions(time_limit=5))
    assert repaired.timetable is not None
    assert {p.activity: p.room for p in repaired.timetable} == {
        a: p.room for a, p in swapped.placements.items()
    }


def test_an_audience_no_room_holds_gets_the_largest_free_room() -> None:
    rooms = [
        {"id": "small", "name": "Small", "capacity": 60, "slots": ["9:00 - 10:00"]},
        {"id": "large", "name": "Large", "capacity": 400, "slots": ["9:00 - 10:00"]},
    ]
    problem = _problem(
        {
            "course": {"title": "Too many"},
            "venues": [{"id": "hall", "name": "Hall", "rooms": rooms}],
            "days": [{"date": DATES[0], "venue": "hall", "window": "8:00 - 18:00"}],
            "activities": [
                {
                    "id": "keynote",
                    "title": "Keynote",
                    "kind": "talk",
                    "duration": 60,
                    "rooms": ["small", "large"],
                    "audience": 450,
                }
            ],
            "rules": [
                {"id": "rooms", "kind": "no_overlap", "resource": "room"},
                {"id": "capacity", "kind": "capacity", "severity": "soft", "weight": 1},
            ],
        }
    )
    result = solve_problem(problem, options=SolveOptions(time_limit=5))
    assert result.timetable is not None and result.timetable.get("keynote").room == "large"
    assert [f.rule for f in check_problem(problem, result.timetable).warnings] == ["capacity"]


def test_the_capacity_bound_is_what_a_maximum_matching_leaves_over() -> None:
    """Three audiences of 100, one room that holds them, two slots: one must be misplaced,
    and the solver knows it before searching (its bound is the answer)."""
    rooms = [
        {
            "id": "small",
            "name": "Small",
            "capacity": 60,
            "slots": ["9:00 - 10:00", "10:00 - 11:00"],
        },
        {
            "id": "large",
            "name": "Large",
            "capacity": 400,
            "slots": ["9:00 - 10:00", "10:00 - 11:00"],
        },
    ]
    talks = [
        {
            "id": f"t{k}",
            "title": f"T{k}",
            "kind": "talk",
            "duration": 60,
            "rooms": ["small", "large"],
            "audience": 100,
        }
        for k in range(3)
    ]
    problem = _one_hall_with_soft_capacity(rooms, talks)
    build = Build(problem)
    assert build.pooled is not None and build.pooled.fitting_shortfall() == 1
    result = solve_problem(problem, options=SolveOptions(time_limit=5))
    assert result.status == Status.OPTIMAL and result.timetable is not None
    assert result.objective is not None and result.objective.total == result.objective.bound
    assert len(check_problem(problem, result.timetable).warnings) == 1
    assert maximum_matching({0: {(0, 0, "a")}, 1: {(0, 0, "a"), (0, 1, "a")}}) == {
        0: (0, 0, "a"),
        1: (0, 1, "a"),
    }


def test_the_capacity_bound_counts_the_places_an_audience_too_large_still_takes() -> None:
    """A keynote for 1,000 fits no room, but 90 minutes long it must take one of the two
    slots as long (the room for 400); the talks of 100 share the other one and the room for
    80: one is left without a fitting room. The matching of the fitting talks alone leaves no
    one over; the bound places the keynote too, so it is 1 (2 misfits with the keynote)."""
    rooms = [
        {
            "id": "large",
            "name": "Large",
            "capacity": 400,
            "slots": ["9:00 - 10:30", "10:30 - 12:00"],
        },
        {"id": "mid", "name": "Mid", "capacity": 80, "slots": ["9:00 - 10:00"]},
    ]
    talks = [
        {"id": "keynote", "title": "Keynote", "kind": "talk", "duration": 90, "audience": 1000},
        *(
            {"id": f"t{k}", "title": f"T{k}", "kind": "talk", "duration": 60, "audience": 100}
            for k in range(2)
        ),
    ]
    for talk in talks:
        talk["rooms"] = ["large", "mid"]
    problem = _one_hall_with_soft_capacity(rooms, talks)
    build = Build(problem)
    pooled = build.pooled
    assert pooled is not None and pooled.fitting_shortfall() == 1
    fitting_alone = {
        choice.item.index: {(cell.start, room) for room in pooled.fits(choice)}
        for cell, choices in pooled.choices.items()
        for choice in choices
        if pooled.fits(choice)
    }
    assert len(fitting_alone) == 2  # both talks could have the large room, were it not taken
    result = solve_problem(problem, options=SolveOptions(time_limit=5))
    assert result.status == Status.OPTIMAL and result.timetable is not None
    warned = [f.rule for f in check_problem(problem, result.timetable).warnings]
    assert warned == ["capacity", "capacity"]


def _one_hall_with_soft_capacity(
    rooms: list[dict[str, Any]], talks: list[dict[str, Any]]
) -> Problem:
    """One day in one hall of ``rooms``: rooms kept apart, capacity soft, nothing else weighed."""
    return _problem(
        {
            "course": {"title": "Bound"},
            "venues": [{"id": "hall", "name": "Hall", "rooms": rooms}],
            "days": [{"date": DATES[0], "venue": "hall", "window": "8:00 - 18:00"}],
            "activities": talks,
            "rules": [
                {"id": "rooms", "kind": "no_overlap", "resource": "room"},
                {"id": "capacity", "kind": "capacity", "severity": "soft", "weight": 1},
            ],
            "objective": {"day_end": 0, "idle_minutes": 0},
        }
    )
