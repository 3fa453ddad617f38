"""Counting places (solver/shortage.py) and the repair's construction (solver/search.py
``repair``) against plain readings of what they must do, and against the model.

- a shortage is found exactly when a maximum matching of activities to places (networkx,
  from nothing) leaves one out; its set may take exactly its places, one fewer than it has
  activities for each left out, whatever matching the search starts from;
- where counting finds a shortage, CP-SAT on the model, without the construction and the
  count, finds no timetable either; where CP-SAT finds one, counting finds none; ``explain``
  gives the reason ``solve`` gave;
- a construction that starts from a timetable keeps every activity of it that nothing
  displaced, and what it gives the checker accepts;
- a repair constructed from a timetable with one activity off the grid keeps the rest where
  they were and checks clean; when the search finds nothing in time, it is the answer;
- a what-if that closes a room whose events may use only rooms full all day answers at once
  that no repair exists, in words, and CP-SAT's explanation agrees; with a free slot left,
  the repair stays in the rooms offered, proven least disruptive.
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from course_scheduler.checking import check_problem
from course_scheduler.compile import compile_programme
from course_scheduler.solver import search
from course_scheduler.solver.build import Build
from course_scheduler.solver.construct import construct
from course_scheduler.solver.explain import explain_problem
from course_scheduler.solver.shortage import Place, shortage
from course_scheduler.solver.solve import SolveOptions, Status, solve_problem, unpin
from course_scheduler.timetable import Timetable, published_timetable
from course_scheduler.whatif import CloseRoom, Scenario, what_if
from tests.strategies import make_programme, solver_settings
from tests.test_pooled_rooms import _problem, crowded, instances
from tests.test_search import _as_timetable


def _places(build: Build) -> dict[int, list[Place]]:
    """Every activity's places, read from its cells and the rooms it may use in each."""
    pooled = build.pooled
    assert pooled is not None
    return {
        index: [
            (cell, room) for cell, listed in o.cells for room in pooled.room_order(o.item, listed)
        ]
        for index, o in build.pooled_options.items()
    }


def _maximum(places: dict[int, list[Place]]) -> int:
    graph: nx.Graph[Any] = nx.Graph()
    left = [("a", i) for i in places]
    graph.add_nodes_from(left)
    graph.add_edges_from((("a", i), ("p", p)) for i, found in places.items() for p in found)
    return len(nx.bipartite.hopcroft_karp_matching(graph, top_nodes=left)) // 2


@solver_settings(150)
@given(st.one_of(instances(), crowded()), st.integers(0, 2**16))
def test_a_shortage_is_found_exactly_when_no_matching_places_every_activity(
    data: dict[str, Any], draw: int
) -> None:
    build = Build(_problem(data))
    pooled = build.pooled
    if pooled is None or not pooled.rooms_exclusive:
        return
    places = _places(build)
    matched: dict[int, Place] = {}  # a random start: some activities in one of their places
    rng = random.Random(draw)
    for index in rng.sample(sorted(places), len(places) // 2):
        free = [p for p in places[index] if p not in matched.values()]
        if free:
            matched[index] = rng.choice(free)
    found = shortage(build.pooled_options, pooled.room_order, matched)
    assert (found is not None) == (_maximum(places) < len(places))
    if found is not None:
        theirs = {p for i in found.activities for p in places[i]}
        assert set(found.places) == theirs
        assert len(theirs) == len(found.activities) - len(found.short)
        assert set(found.short) <= set(found.activities)


@solver_settings(60)
@given(st.one_of(instances(), crowded()))
def test_a_shortage_agrees_with_the_model(data: dict[str, Any]) -> None:
    problem = _problem(data)
    counted = solve_problem(problem, options=SolveOptions(time_limit=10, seed=0))
    alone = SolveOptions(time_limit=10, seed=0, tactics=search.Tactics(construct=False))
    searched = solve_problem(_problem(data), options=alone)
    assert searched.explanation is None  # no construction: nothing was counted
    if counted.explanation is not None:
        assert counted.status == Status.INFEASIBLE
        assert searched.status == Status.INFEASIBLE
        said = counted.explanation.reasons[0].sentence
        assert "too many" in said or "too long" in said  # places, or minutes (overrun.py)
        reasons = explain_problem(_problem(data), time_limit=10).reasons  # counted alike
        assert [r.sentence for r in reasons] == [said]
    if searched.timetable is not None:
        assert counted.status != Status.INFEASIBLE


@solver_settings(100)
@given(st.one_of(instances(), crowded()), st.integers(0, 2**16))
def test_a_construction_from_a_timetable_moves_only_what_it_displaced(
    data: dict[str, Any], draw: int
) -> None:
    problem = _problem(data)
    build = Build(problem)
    first = search.prepare(build, search.Tactics(), 0, hinted=False).construction
    if first is None or first.unplaced:
        return
    pooled = build.pooled
    assert pooled is not None
    rng = random.Random(draw)
    left_out = set(rng.sample(sorted(first.placed), max(1, len(first.placed) // 3)))
    options = build.pooled_options
    positions = {
        index: next(k for k, (cell, _) in enumerate(options[index].cells) if cell == choice.cell)
        for index, (choice, _) in first.placed.items()
    }
    start = {i: (positions[i], room) for i, (_, room) in first.placed.items() if i not in left_out}
    again = construct(
        options,
        build.apart_groups,
        slot_end=pooled.plan.slot_end,
        rooms=pooled.room_order if pooled.rooms_exclusive else None,
        choice_of=build.pooled_choices.choice,
        start=start,
    )
    moved = [i for i in start if again.placed.get(i, (None, None))[0] is not first.placed[i][0]]
    if not again.unplaced:
        # each step places one queued activity: the left out, and those ejected to make room
        assert len(moved) <= again.steps - len(left_out)
    timetable = _as_timetable(build, again)
    assert check_problem(problem, timetable, hard_only=True).ok


# --- a what-if on a conference with slot grids --------------------------------------------------

SLOTS = ["9:00 - 9:30", "9:30 - 10:00", "10:00 - 10:30", "10:30 - 11:00"]


def _conference(free_in_b: bool) -> Any:
    """Rooms A, B (4 slots each) and C (2 slots); every talk keeps its published room, A and B
    full (B but its last slot when ``free_in_b``)."""
    talks = []
    for room, count in (("room-a", 4), ("room-b", 3 if free_in_b else 4), ("room-c", 2)):
        for k in range(count):
            ident = f"{room}-{k}"
            talks.append(
                {
                    "id": ident,
                    "title": f"Talk {ident}",
                    "kind": "talk",
                    "time": SLOTS[k],
                    "room": room,
                    "people": [f"speaker-{ident}"],
                }
            )
    rooms = [
        {"id": "room-a", "name": "Room A", "slots": SLOTS},
        {"id": "room-b", "name": "Room B", "slots": SLOTS},
        {"id": "room-c", "name": "Room C", "slots": SLOTS[:2]},
    ]
    people = [{"id": t["people"][0], "name": t["people"][0]} for t in talks]
    return one_morning(rooms, talks, people)


def one_morning(
    rooms: list[dict[str, Any]], talks: list[dict[str, Any]], people: list[dict[str, Any]]
) -> Any:
    """A conference of one morning, 5 February 2027, 9:00-12:00, in ``rooms`` with slot grids:
    its ``talks`` at their published times and rooms, a room rule and a speakers' rule."""
    return make_programme(
        {
            "venues": [{"id": "venue", "name": "Venue", "rooms": rooms}],
            "people": people,
            "days": [
                {
                    "date": "2027-02-05",
                    "venue": "venue",
                    "window": "9:00 - 12:00",
                    "activities": talks,
                }
            ],
            "rules": [
                {"id": "rooms", "kind": "no_overlap", "resource": "room"},
                {"id": "speakers", "kind": "no_overlap", "resource": "person"},
            ],
        }
    )


def _closed() -> Scenario:
    change = CloseRoom(
        do="close_room", room="room-a", date="2027-02-05", time="9:00 - 9:30", instead=["room-b"]
    )
    return Scenario(name="Room A closed at nine", changes=[change])


def test_a_closed_room_whose_talks_find_every_place_taken_has_no_repair_in_words() -> None:
    programme = _conference(free_in_b=False)
    outcome = what_if(programme, _closed(), time_limit=30, day_moves=False)
    assert outcome.status == "infeasible"
    assert len(outcome.reasons) == 1
    reason = outcome.reasons[0]
    assert "8 activities may only take places in Room A and Room B on Fri 5 Feb 2027" in reason
    assert "7 places" in reason and "1 too many" in reason
    # CP-SAT's own reading of the same scenario (places not counted): no timetable either
    cpsat = explain_problem(outcome.problem, time_limit=10, unpinned=outcome.may_move, count=False)
    assert cpsat.feasible is False
    assert all("too many" not in r.sentence for r in cpsat.reasons)
    # and `explain` from the same published timetable counts as the solve did: one reason
    published = published_timetable(outcome.reference)
    counted = explain_problem(
        outcome.problem, time_limit=10, unpinned=outcome.may_move, hint=published
    )
    assert len(counted.reasons) == 1 and reason.startswith(counted.reasons[0].sentence)
    assert "'Talk room-a-0'" in reason  # the talk the closed room displaced


def test_a_closed_room_with_a_free_slot_left_is_repaired_within_the_rooms_offered() -> None:
    """Room B's last slot is free: the displaced talk goes to room B (the room offered), and
    the least disruptive repair there is proven, valid, and moves at most the three talks of
    room B by one slot (rather than the displaced talk after five talks of its audience that
    were published later: a turn-round each)."""
    programme = _conference(free_in_b=True)
    outcome = what_if(programme, _closed(), time_limit=30, day_moves=False)
    assert outcome.status == "optimal"
    assert outcome.valid
    assert outcome.timetable is not None
    assert outcome.timetable.placements["room-a-0"].room == "room-b"
    assert len(outcome.moved) <= 3
    published = published_timetable(compile_programme(programme))
    for ident, before in published.placements.items():
        if ident != "room-a-0" and ident not in outcome.moved:
            assert outcome.timetable.get(ident) == before


def _displaced_reference() -> tuple[Any, Any]:
    """The free-slot conference, its published timetable with 'room-a-0' off the grid (at
    9:10, where no slot starts): a repair must place it anew."""
    problem = compile_programme(_conference(free_in_b=True))
    published = published_timetable(problem)
    off = dataclasses.replace(published.placements["room-a-0"], start=550, end=580)
    return problem, Timetable({**published.placements, "room-a-0": off})


def test_a_repair_constructed_from_the_published_timetable_keeps_the_rest_and_checks_clean() -> (
    None
):
    problem, reference = _displaced_reference()
    movable = frozenset(i.id for i in problem.items)
    build = Build(unpin(problem, movable), unpinned=movable, defer=True)
    plan = search.prepare(build, search.Tactics(), 0, True, None, reference)
    assert plan.shortage is None and plan.construction is not None
    repaired = search.checked_construction(build, plan, reference)
    assert repaired is not None
    assert check_problem(problem, repaired, hard_only=True).ok
    for ident, before in reference.placements.items():
        if ident != "room-a-0":
            assert repaired.get(ident) == before
    assert repaired.placements["room-a-0"].start in (9 * 60, 10 * 60 + 30)


def test_a_repair_whose_search_finds_nothing_in_time_answers_the_checked_construction(
    monkeypatch: Any,
) -> None:
    problem, reference = _displaced_reference()
    movable = frozenset(i.id for i in problem.items)
    monkeypatch.setattr(search, "run", lambda *_: cp_model.UNKNOWN)  # no time to search
    options = SolveOptions(time_limit=10, seed=0, unpin=movable)
    result = solve_problem(problem, reference=reference, options=options)
    assert result.status == Status.FEASIBLE
    assert result.timetable is not None
    assert check_problem(problem, result.timetable, hard_only=True).ok


def test_a_search_that_proves_no_repair_is_not_overruled_by_the_construction(
    monkeypatch: Any,
) -> None:
    """The model holds rules the construction's check does not (differing from other
    alternatives): a proof that none exists stands."""
    problem, reference = _displaced_reference()
    movable = frozenset(i.id for i in problem.items)
    monkeypatch.setattr(search, "run", lambda *_: cp_model.INFEASIBLE)
    options = SolveOptions(time_limit=10, seed=0, unpin=movable)
    result = solve_problem(problem, reference=reference, options=options)
    assert result.status == Status.INFEASIBLE
    assert result.timetable is None
