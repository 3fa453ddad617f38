"""The mechanisms that make large programmes fast, each against a plain reading of it.

- the model written in bulk (``solver/bulk.py``) is the model the API writes;
- a cell's rooms matched in Python, by the assignment solver, by shortest augmenting paths
  and as a flow are as many and as cheap as the best of every matching (small cells), and
  cost the same (wide crowded cells: the paths against the assignment); the rankings
  read as arrays are ``Ladder.order``'s, and the flow laid out from them is the one laid out
  from the rankings, arc for arc;
- the containment of a cell's room sets (``slots._containment``) is the pairwise test's;
- the capacity bound built at any size (``solver/capacity.py``) never exceeds the exact
  matching's, equals it where no room is barred, and no timetable does better than it;
- the time limit: a solve whose time has run out stops and says so, a construction stops
  early with what it has placed; the cycle collector is back on after a solve, a
  conversion and a compile, and off during them; a converted programme is moved to its
  oldest generation, an application's frozen objects left frozen;
- rounds of large-neighbourhood search return timetables that check clean;
- compile shares equal room lists, and reads groups of people once; its items are those
  the dataclass's own constructor makes.
"""

from __future__ import annotations

import dataclasses
import gc
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from benchmarks.generate_conference import generate as generate_conference
from benchmarks.generate_instances import generate as generate_peer
from benchmarks.generate_tracks import generate as generate_tracks
from course_scheduler import ProgrammeError, load
from course_scheduler.checking import check_problem
from course_scheduler.compile import Item, compile_programme
from course_scheduler.importers.peer import programme_from_peer
from course_scheduler.model import Programme
from course_scheduler.solver import augmenting, bulk, search
from course_scheduler.solver.build import Build
from course_scheduler.solver.capacity import Alike, shortfall_bound
from course_scheduler.solver.chains import chain_matching
from course_scheduler.solver.construct import construct
from course_scheduler.solver.ranked import Layout, Wanted, columns, grid_matching, places
from course_scheduler.solver.slots import (
    Ladder,
    _containment,
    cheapest_start,
    flow_matching,
    least_assignment,
    maximum_matching,
    path_matching,
)
from course_scheduler.solver.solve import SolveOptions, Status, solve_problem
from tests.conftest import ROOT
from tests.strategies import solver_settings
from tests.test_pooled_rooms import _problem, crowded, instances

ROOMS = [f"r{k}" for k in range(8)]


@given(
    st.lists(st.integers(0, 30), min_size=1, max_size=12),
    st.integers(-3, 40),
    st.lists(st.integers(31, 33), max_size=2, unique=True),
    st.booleans(),
)
def test_bulk_constraints_are_the_ones_the_api_writes(
    literals: list[int], bound: int, guard: list[int], slack: bool
) -> None:
    """Same protocol buffer, term for term, repeated literals and a slack included (the
    bulk writers are only given literals to write)."""
    by_api, in_bulk = cp_model.CpModel(), cp_model.CpModel()
    for model in (by_api, in_bulk):
        for _ in range(35):
            model.new_bool_var("")
    names = [by_api.get_bool_var_from_proto_index(k) for k in range(35)]
    enforce = [names[g] for g in guard]
    extra = names[34] if slack else 0
    by_api.add(sum(names[x] for x in literals) <= bound + extra).only_enforce_if(enforce)
    bulk.at_most(in_bulk, literals, bound, guard, 34 if slack else None)
    unique = list(dict.fromkeys(literals))
    by_api.add_at_most_one([names[x] for x in unique]).only_enforce_if(enforce)
    bulk.at_most_one(in_bulk, unique, guard)
    if unique:
        by_api.add_exactly_one([names[x] for x in unique])
        bulk.exactly_one(in_bulk, unique)
    assert str(in_bulk.proto) == str(by_api.proto)


@given(st.integers(0, 300))
def test_new_booleans_are_boolean_variables_in_a_row(count: int) -> None:
    model = cp_model.CpModel()
    model.new_int_var(0, 5, "x")
    made = bulk.new_booleans(model, count)
    assert list(made) == list(range(1, count + 1))
    assert all(list(model.proto.variables[k].domain) == [0, 1] for k in made)
    if count:
        assert bulk.literal(model, 1).Index() == 1
        assert bulk.literal(model, -2).Index() == -2  # the negation of variable 1


rows = st.lists(
    st.tuples(
        st.lists(st.sampled_from(ROOMS), max_size=8, unique=True),
        st.lists(st.integers(0, 80), min_size=8, max_size=8),
        st.integers(1, 6),
    ),
    max_size=10,
)


def _least(cost: dict[int, dict[str, int]]) -> tuple[int, int]:
    """The most activities any matching gives a room, and the least cost of a matching that
    gives that many, over every matching (by the set of rooms taken: as many activities
    matched as rooms taken)."""
    rooms = sorted({room for options in cost.values() for room in options})
    bit = {room: 1 << k for k, room in enumerate(rooms)}
    least = {0: 0}
    for options in cost.values():
        after = dict(least)
        for taken, total in least.items():
            for room, c in options.items():
                if not taken & bit[room]:
                    mask = taken | bit[room]
                    after[mask] = min(after.get(mask, total + c), total + c)
        least = after
    most = max(bin(mask).count("1") for mask in least)
    return most, min(total for mask, total in least.items() if bin(mask).count("1") == most)


def _assert_least(cost: dict[int, dict[str, int]], matching: dict[int, str]) -> None:
    assert len(set(matching.values())) == len(matching)
    assert all(room in cost[item] for item, room in matching.items())
    assert (len(matching), sum(cost[i][r] for i, r in matching.items())) == _least(cost)


costs = st.dictionaries(
    st.integers(0, 7),
    st.dictionaries(st.sampled_from(ROOMS[:5]), st.sampled_from([0, 1, 2, 3, 9, 65, 66, 80])),
    max_size=8,
)


@example({0: {"r0": 0, "r1": 1}, 1: {"r0": 0}, 2: {"r1": 3}})  # 2 must not start in r1
@given(costs)
def test_the_python_matching_is_as_large_and_as_cheap_as_any(
    cost: dict[int, dict[str, int]],
) -> None:
    """Against every matching: activities without a room, rooms no one may use, many equal
    costs (the start gives each activity its cheapest room while one is free, and the paths
    from there must still find the least), and activities whose cheapest room is dear."""
    _assert_least(cost, path_matching(cost))
    owner, room_of = cheapest_start(cost)
    assert {room: item for item, room in room_of.items()} == owner
    assert all(cost[item][room] == min(cost[item].values()) for item, room in room_of.items())


@given(costs, st.integers(0, 3))
def test_the_assignment_is_as_large_and_as_cheap_as_any(
    cost: dict[int, dict[str, int]], spare: int
) -> None:
    """The assignment solver's matching, where it gives one (every activity a room): as large
    and as cheap as any; where it gives none, the flow's is (``flow_matching``). ``spare``:
    rooms no activity may use, among the rooms given (stand-ins take them)."""
    items = list(cost)
    rooms = sorted({room for options in cost.values() for room in options}) + [
        f"spare{k}" for k in range(spare)
    ]
    at = {room: len(items) + k for k, room in enumerate(rooms)}
    pairs = [(k, at[room], c) for k, item in enumerate(items) for room, c in cost[item].items()]
    tails, heads, units = (np.array([p[j] for p in pairs], dtype=np.int64) for j in range(3))
    assigned = least_assignment(items, rooms, tails, heads, units)
    if assigned is not None:
        assert len(assigned) == len(items)
        _assert_least(cost, assigned)
    rows = [(list(options), list(options.values()), [item]) for item, options in cost.items()]
    _assert_least(cost, flow_matching(rows))


@example({0: {"r0": 0, "r1": 0}, 1: {"r0": 0}, 2: {"r1": 5, "r2": 9}}, 0)
@given(costs, st.integers(0, 3))
def test_the_augmenting_paths_assign_every_activity_as_cheaply_as_any_matching(
    cost: dict[int, dict[str, int]], spare: int
) -> None:
    """``augmenting.least_columns`` on the costs as one matrix (a room an activity may not use
    ``NO_ARC``): where it answers, every activity has a room of its own at the least cost of
    any matching; where it does not, no matching gives every activity a room. Many rows
    share their cheapest column (the start leaves all but the first of them to the paths);
    ``spare``: columns no row may use."""
    items = list(cost)
    rooms = sorted({room for options in cost.values() for room in options}) + [
        f"spare{k}" for k in range(spare)
    ]
    matrix = np.full((len(items), len(rooms)), augmenting.NO_ARC, dtype=np.int64)
    for k, item in enumerate(items):
        for room, c in cost[item].items():
            matrix[k, rooms.index(room)] = c
    chosen = augmenting.least_columns(matrix)
    size, least = _least(cost)
    if chosen is None:
        assert size < len(items)
        return
    matching = {item: rooms[column] for item, column in zip(items, chosen.tolist(), strict=True)}
    assert len(set(matching.values())) == len(items) == size
    assert all(room in cost[item] for item, room in matching.items())
    assert sum(cost[i][r] for i, r in matching.items()) == least


def test_rows_alike_are_left_to_the_assignment_rather_than_a_path_each() -> None:
    """Talks alike in their costs (no preferred room, one audience) all want the same room:
    ``least_columns`` declines past ``most_paths`` rows without their cheapest column, and
    given no limit still assigns every row at the least cost (0 + 1 + ... + n - 1)."""
    alike = np.tile(np.arange(120, dtype=np.int64), (120, 1))
    assert augmenting.least_columns(alike, most_paths=15) is None
    chosen = augmenting.least_columns(alike)
    assert chosen is not None
    assert sorted(chosen.tolist()) == list(range(120))


@given(st.integers(0, 2**32 - 1), st.integers(100, 160), st.integers(0, 25))
def test_a_wide_crowded_cell_is_matched_by_augmenting_paths_as_cheaply_as_by_the_assignment(
    seed: int, width: int, fewer: int
) -> None:
    """A cell as wide as the scaled conferences' (100-160 rooms of a few sizes, some barred
    to some talks), each talk preferring a room of its own that is too small for about one
    in ten: the augmenting paths (``grid_matching`` from ``WARM_FROM`` rooms) and OR-Tools'
    assignment (forced by a width no cell reaches) match as many talks at the same cost."""
    rng = np.random.default_rng(seed)
    names = [f"room{k:03d}" for k in range(width)]
    capacity = dict(
        zip(names, rng.choice([20, 40, 80, 150, 400], size=width).tolist(), strict=True)
    )
    everything = Ladder.of(frozenset(names), capacity)
    barred = Ladder.of(frozenset(names[: width - 3]), capacity)
    talks = width - fewer
    preferred = rng.permutation(names)[:talks].tolist()
    members: dict[int, list[tuple[int, int, str | None]]] = {id(everything): [], id(barred): []}
    for item, room in enumerate(preferred):
        need = int(capacity[room] * (1.5 if rng.random() < 0.1 else rng.uniform(0.3, 1.0)))
        ladder = barred if item % 17 == 0 and room in barred.everything else everything
        members[id(ladder)].append((item, need, room))
    groups: list[Wanted] = [
        (ladder, members[id(ladder)]) for ladder in (everything, barred) if members[id(ladder)]
    ]
    big = width**2 + 1
    wanted = {
        item: (ladder, need, room) for ladder, entries in groups for item, need, room in entries
    }

    def total(matching: dict[int, str]) -> int:
        spent = 0
        for item, room in matching.items():
            ladder, need, own = wanted[item]
            order = ladder.order(need, own)
            place = order.index(room)
            spent += place + (big if place >= len(ladder.fitting(need)) else 0)
        return spent

    with patch.object(augmenting, "MOST_PATHS_SHARE", 1):  # the paths, however many
        warm = grid_matching(groups, big, {})
    with patch.object(augmenting, "WARM_FROM", 10**9):
        assigned = grid_matching(groups, big, {})
    assert len(warm) == len(assigned) == talks
    assert len(set(warm.values())) == talks
    assert total(warm) == total(assigned)


@given(rows)
def test_a_flow_matches_as_many_at_the_same_cost_as_the_python_matching(
    drawn: list[tuple[list[str], list[int], int]],
) -> None:
    """Rows of alike activities (the flow lays their arcs out together) against the same
    activities one by one in the Python matching."""
    grouped, cost, first = [], {}, 0
    for rooms, costs, count in drawn:
        members = list(range(first, first + count))
        first += count
        grouped.append((rooms, costs[: len(rooms)], members))
        cost.update({i: dict(zip(rooms, costs, strict=False)) for i in members})
    python, flow = path_matching(cost), flow_matching(grouped)
    for matching in (python, flow):
        assert len(set(matching.values())) == len(matching)
        assert all(room in cost[item] for item, room in matching.items())
    assert len(flow) == len(python)
    assert sum(cost[i][r] for i, r in flow.items()) == sum(cost[i][r] for i, r in python.items())
    if len(cost) <= 10:
        _assert_least(cost, flow)


wanted = st.lists(
    st.tuples(
        st.frozensets(st.sampled_from(ROOMS), min_size=1),
        st.integers(-1, 60),
        st.none() | st.sampled_from(ROOMS),
        st.integers(1, 4),
    ),
    min_size=1,
    max_size=12,
)


@given(st.lists(st.none() | st.integers(0, 50), min_size=8, max_size=8), wanted)
def test_a_flow_along_rooms_by_size_matches_at_the_cost_of_the_activities_orders(
    sizes: list[int | None], drawn: list[tuple[frozenset[str], int, str | None, int]]
) -> None:
    """The chain flow (a few arcs per activity) against the Python matching of every
    (activity, room) pair at its place in the activity's order, rooms that do not hold the
    audience costing ``big`` more: as many matched, at the same cost."""
    capacity = dict(zip(ROOMS, sizes, strict=True))
    big = len(ROOMS) ** 2 + 1
    ladders: dict[frozenset[str], Ladder] = {}
    entries, cost, first = [], {}, 0
    for rooms, need, preferred, count in drawn:
        ladder = ladders.setdefault(rooms, Ladder.of(rooms, capacity))
        members = list(range(first, first + count))
        first += count
        entries.append((ladder, max(need, 0), preferred, members))
        order = ladder.order(max(need, 0), preferred)
        fitting = len(ladder.fitting(need)) if need > 0 else len(order)
        costs = {room: k + (big if k >= fitting else 0) for k, room in enumerate(order)}
        cost.update(dict.fromkeys(members, costs))
    python, chains = path_matching(cost), chain_matching(entries, ROOMS, big)
    assert chains is not None
    for matching in (python, chains):
        assert len(set(matching.values())) == len(matching)
        assert all(room in cost[item] for item, room in matching.items())
    assert len(chains) == len(python)
    total = sum(cost[i][r] for i, r in python.items())
    assert sum(cost[i][r] for i, r in chains.items()) == total


@given(st.lists(st.none() | st.integers(0, 50), min_size=8, max_size=8), wanted)
def test_the_rankings_read_as_arrays_are_the_ladders_orders(
    sizes: list[int | None], drawn: list[tuple[frozenset[str], int, str | None, int]]
) -> None:
    """Every audience (none, negative, between and beyond the sizes) and preferred room (none,
    one of the ladder's, another), rooms without a figure and of size 0 among them: each
    room's place in each row is its place in the ladder's order, read with the ladder's
    arrays made afresh or kept from an earlier cell."""
    capacity = dict(zip(ROOMS, sizes, strict=True))
    known: dict[int, Layout] = {}
    kept = []  # the layouts are kept by the ladders' identity: the ladders stay alive
    for rooms in {rooms for rooms, *_ in drawn}:
        ladder = Ladder.of(rooms, capacity)
        kept.append(ladder)
        wants = [(need, preferred) for r, need, preferred, _ in drawn if r == rooms]
        named = columns(ladder)
        for again in (None, known, known):
            for (need, preferred), row in zip(
                wants, places(ladder, wants, again).tolist(), strict=True
            ):
                assert [named[k] for k in np.argsort(row)] == ladder.order(need, preferred)


@example([3, 3, 7, 7, None, 1, 9, 9], [(frozenset(ROOMS[:6]), 5, "r2", 3)], False)
@example([3, 3, 7, 7, None, 1, 9, 9], [(frozenset(ROOMS[:6]), 5, "r2", 3)], True)
@given(st.lists(st.none() | st.integers(1, 50), min_size=8, max_size=8), wanted, st.booleans())
def test_the_flow_laid_out_as_a_grid_is_as_large_and_as_cheap_as_any_matching(
    sizes: list[int | None], drawn: list[tuple[frozenset[str], int, str | None, int]], warm: bool
) -> None:
    """Activities as ``PooledRooms`` groups them (by ladder, each with its audience and
    preferred room), each room at its place in the activity's ranking and ``big`` more when
    too small: as many matched and as cheap as the Python matching and as the flow laid out
    from the rankings themselves, and, on small cells, as every matching (a grid whose
    costs were not the rankings' would be costlier: rooms equal in size tie otherwise).
    ``warm``: the cell solved by shortest augmenting paths (``augmenting.py``) as wide
    cells are, whatever its width."""
    capacity = dict(zip(ROOMS, sizes, strict=True))
    big = len(ROOMS) ** 2 + 1
    ladders: dict[frozenset[str], Ladder] = {}
    groups: dict[int, Wanted] = {}
    plain, cost, first = [], {}, 0
    for rooms, need, preferred, count in drawn:
        ladder = ladders.setdefault(rooms, Ladder.of(rooms, capacity))
        members = list(range(first, first + count))
        first += count
        order = ladder.order(max(need, 0), preferred)
        fitting = len(ladder.fitting(need)) if need > 0 else len(order)
        costs = [*range(fitting), *range(fitting + big, len(order) + big)]
        group = groups.setdefault(id(ladder), (ladder, []))
        group[1].extend((item, max(need, 0), preferred) for item in members)
        plain.append((order, costs, members))
        cost.update({item: dict(zip(order, costs, strict=True)) for item in members})
    with patch.object(augmenting, "WARM_FROM", 0 if warm else augmenting.WARM_FROM):
        matched = grid_matching(list(groups.values()), big, {})
    python, flow = path_matching(cost), flow_matching(plain)
    assert len(set(matched.values())) == len(matched)
    assert all(room in cost[item] for item, room in matched.items())
    total = sum(cost[i][r] for i, r in matched.items())
    for other in (python, flow):
        assert (len(matched), total) == (len(other), sum(cost[i][r] for i, r in other.items()))
    if len(cost) <= 8:
        _assert_least(cost, matched)


@given(st.lists(st.frozensets(st.sampled_from(ROOMS), min_size=1), max_size=25, unique=True))
def test_containment_finds_the_sets_a_pairwise_test_finds(sets: list[frozenset[str]]) -> None:
    everything = frozenset(ROOMS[:6])
    subsets = [*sets, everything]
    contained = _containment(subsets, sets)
    for subset in subsets:
        assert set(contained[subset]) == {rooms for rooms in sets if rooms <= subset}


def _exact_shortfall(build: Build) -> int:
    pooled = build.pooled
    assert pooled is not None
    places: dict[int, set[tuple[int, int, str]]] = defaultdict(set)
    for cell, choices in pooled.choices.items():
        for choice in choices:
            for room in pooled.fits(choice):
                places[choice.item.index].add((cell.day, cell.start, room))
    return len(places) - len(maximum_matching(places))


def _fitting_nowhere(build: Build) -> int:
    """Activities whose audience no room of any cell they may take holds (counted apart)."""
    pooled = build.pooled
    assert pooled is not None
    fitting: dict[int, bool] = defaultdict(bool)
    for choices in pooled.choices.values():
        for choice in choices:
            fitting[choice.item.index] |= bool(pooled.fits(choice))
    return sum(1 for fits in fitting.values() if not fits)


@solver_settings(120)
@given(st.one_of(instances(), crowded()))
def test_the_capacity_bound_is_a_bound_and_no_weaker_than_the_matching_where_nothing_is_barred(
    data: dict[str, Any],
) -> None:
    """The bound places every activity, so it may pass the matching of the fitting ones
    alone (which leaves the places of the others free); never the misfits of a timetable."""
    problem = _problem(data)
    build = Build(problem)
    pooled = build.pooled
    if pooled is None:
        return
    counted = shortfall_bound(pooled.alike(), problem.room_capacity)
    assert counted >= 0
    open_everywhere = all(
        choice.rooms == frozenset().union(*(c.rooms for c in choices))
        for choices in pooled.choices.values()
        for choice in choices
    )
    if open_everywhere:
        assert counted >= _exact_shortfall(build)
    never = _fitting_nowhere(build)
    result = solve_problem(problem, options=SolveOptions(time_limit=10, deterministic_time=2))
    if result.timetable is not None:
        unfit = [f for f in check_problem(problem, result.timetable).warnings]
        if any(rule.get("kind") == "capacity" for rule in data["rules"]):
            assert len([f for f in unfit if f.kind == "capacity"]) >= counted + never


def _one_by_one(build: Build) -> list[Alike]:
    """Every activity a group of its own, its list of cells its own copy made from its
    choices and its audience its own: the flow as it was read choice by choice."""
    pooled = build.pooled
    assert pooled is not None
    groups = []
    for index in pooled.by_item:
        choices = pooled.by_item[index]
        item = build.problem.items[index]
        cells = [(choice.cell, choice.rooms) for choice in choices]

        def fit(rooms: frozenset[str], item: Item = item) -> frozenset[str]:
            return pooled._fitting(item, rooms)

        groups.append(Alike(cells, fit, ("activity", item.index), 1))
    return groups


def _assert_alike_activities_give_the_bound_one_by_one_gives(build: Build) -> int:
    pooled = build.pooled
    assert pooled is not None
    capacity = build.problem.room_capacity
    groups = pooled.alike()
    assert sum(g.activities for g in groups) == len(pooled.by_item)
    together = shortfall_bound(groups, capacity)
    assert together == shortfall_bound(_one_by_one(build), capacity)
    return len(groups)


def _bound_choice_by_choice(build: Build) -> int:
    """The soft capacity bound's flow built from every choice of every activity on its own
    and solved by networkx, not OR-Tools: each cell's rooms by size, a level passing what it
    cannot seat to the next larger one; each activity to the level of its smallest fitting
    room in each cell it may take (free) and to each cell's smallest level (a cost of one when
    it fits anywhere). Where not every activity can be placed, the maximum flow of the
    fitting activities to their levels says how many must go without."""
    import networkx as nx

    pooled = build.pooled
    assert pooled is not None
    capacity = build.problem.room_capacity
    size = {room: capacity.get(room) or 1 << 40 for room in capacity}
    cells = pooled.choices
    levels = {
        cell: sorted({size.get(room, 1 << 40) for c in choices for room in c.rooms})
        for cell, choices in cells.items()
    }
    graph = nx.DiGraph()
    for cell, sizes in levels.items():
        rooms = [
            size.get(room, 1 << 40) for room in frozenset().union(*(c.rooms for c in cells[cell]))
        ]
        for k, seats in enumerate(sizes):
            graph.add_edge(("level", cell, k), "sink", capacity=rooms.count(seats), weight=0)
            if k + 1 < len(sizes):
                graph.add_edge(("level", cell, k), ("level", cell, k + 1), weight=0)
    fitting: dict[int, set[Any]] = defaultdict(set)
    bottoms: dict[int, set[Any]] = defaultdict(set)
    for cell, choices in cells.items():
        for choice in choices:
            index = choice.item.index
            bottoms[index].add(("level", cell, 0))
            usable = pooled.fits(choice)
            if usable:
                least = min(size.get(room, 1 << 40) for room in usable)
                fitting[index].add(("level", cell, levels[cell].index(least)))
    for index, lowest in bottoms.items():
        graph.add_edge("source", ("activity", index), capacity=1, weight=0)
        for level in fitting[index]:
            graph.add_edge(("activity", index), level, weight=0)
        for level in lowest - fitting[index]:
            graph.add_edge(("activity", index), level, weight=1 if fitting[index] else 0)
        for level in lowest & fitting[index]:  # both arcs: one free, one at a cost
            graph.add_edge(("activity", index), ("bottom", index, level), weight=1)
            graph.add_edge(("bottom", index, level), level, weight=0)
    flow = nx.max_flow_min_cost(graph, "source", "sink")
    if sum(flow["source"].values()) == len(bottoms):
        return int(nx.cost_of_flow(graph, flow))
    fitting_only = nx.DiGraph()
    for tail, head, data in graph.edges(data=True):
        if tail == "source" and not fitting[head[1]]:
            continue
        if tail[0] == "activity" and head not in fitting[tail[1]]:
            continue
        if tail[0] != "bottom":
            fitting_only.add_edge(tail, head, **data)
    value = nx.maximum_flow_value(fitting_only, "source", "sink")
    return sum(1 for found in fitting.values() if found) - int(value)


def _scaled(data: dict[str, Any], factor: float) -> dict[str, Any]:
    """A peer instance with every room's capacity times ``factor``: audiences misfit."""
    slots = [{**slot, "capacity": max(1, int(slot["capacity"] * factor))} for slot in data["slots"]]
    return {**data, "slots": slots}


@pytest.mark.parametrize("factor", [1.0, 0.4, 0.15])
def test_the_capacity_bound_is_the_flow_read_choice_by_choice(factor: float) -> None:
    """The bound from lists and groups against the same flow built from every choice alone
    and solved by another library, on the three generated shapes with rooms shrunk until
    many audiences fit nowhere; nonzero bounds among them."""
    bounds = []
    for data in (generate_peer(80, 2), generate_tracks(80, 2), generate_conference(80, 2)):
        build = Build(compile_programme(programme_from_peer(_scaled(data, factor))), defer=True)
        pooled = build.pooled
        assert pooled is not None
        bound = shortfall_bound(pooled.alike(), build.problem.room_capacity)
        assert bound == _bound_choice_by_choice(build)
        bounds.append(bound)
    assert factor == 1.0 or any(bounds)


@solver_settings(120)
@given(st.one_of(instances(), crowded()))
def test_activities_read_together_give_the_capacity_bound_each_read_alone_gives(
    data: dict[str, Any],
) -> None:
    """``PooledRooms.alike`` sends activities with one list of cells and audiences the same
    rooms hold through the flow as one node: the bound is the one of every activity alone."""
    build = Build(_problem(data))
    if build.pooled is not None:
        _assert_alike_activities_give_the_bound_one_by_one_gives(build)


def test_on_generated_conferences_alike_activities_give_the_bound_each_alone_gives() -> None:
    """Audiences between two room sizes read as one, and lists shared by many activities:
    the three generated shapes at 300 events, far fewer groups than activities."""
    for data in (generate_peer(300, 5), generate_tracks(300, 5), generate_conference(300, 5)):
        build = Build(compile_programme(programme_from_peer(data)))
        groups = _assert_alike_activities_give_the_bound_one_by_one_gives(build)
        assert groups < len(build.problem.items)


@pytest.mark.parametrize("size", [60, 150])
def test_on_generated_conferences_the_capacity_bound_is_at_least_the_exact_matching(
    size: int,
) -> None:
    for data in (generate_peer(size, 3), generate_tracks(size, 3)):
        build = Build(compile_programme(programme_from_peer(data)), hard_only=True)
        pooled = build.pooled
        assert pooled is not None
        counted = shortfall_bound(pooled.alike(), build.problem.room_capacity)
        assert counted >= _exact_shortfall(build)


def test_a_solve_whose_time_has_run_out_stops_and_says_so() -> None:
    """The limit counts from ``began``: a caller that spent it converting gets no timetable,
    quickly, and the phases say where the time went."""
    problem = compile_programme(programme_from_peer(generate_tracks(200, 4)))
    began = time.perf_counter() - 100
    result = solve_problem(problem, options=SolveOptions(time_limit=1, began=began))
    assert result.status == Status.UNKNOWN and result.timetable is None
    assert "build" in result.phases and result.phases["build"].wall < 5


def test_the_collector_is_back_on_after_a_solve_and_off_during_it() -> None:
    problem = compile_programme(programme_from_peer(generate_tracks(40, 4)))
    seen: list[bool] = []
    options = SolveOptions(time_limit=10, progress=lambda *_: seen.append(gc.isenabled()))
    assert gc.isenabled()
    result = solve_problem(problem, options=options)
    assert gc.isenabled() and result.timetable is not None
    assert seen and not any(seen)


def test_reading_and_compiling_pause_the_collector_and_leave_it_as_they_found_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import course_scheduler.compile as compile_module

    data = generate_tracks(40, 4)
    during: list[bool] = []
    real = compile_module.cross_check

    def spy(*args: Any) -> None:
        during.append(gc.isenabled())
        real(*args)

    monkeypatch.setattr(compile_module, "cross_check", spy)
    assert gc.isenabled()
    problem = compile_programme(programme_from_peer(data))
    assert gc.isenabled() and during == [False] and len(problem.items) == 40
    gc.disable()
    try:
        compile_programme(programme_from_peer(data))
        assert not gc.isenabled()  # an outer pause is the outer caller's to end
    finally:
        gc.enable()


def test_a_converted_programme_is_in_the_oldest_generation_and_frozen_objects_stay() -> None:
    """The conversion moves what the collector tracks to its oldest generation (so young
    collections do not walk the programme), but never releases an application's frozen
    objects."""
    programme = programme_from_peer(generate_tracks(40, 4))
    activity = programme.activities[0]
    assert gc.is_tracked(activity)
    young = {id(x) for generation in (0, 1) for x in gc.get_objects(generation=generation)}
    assert id(activity) not in young and id(activity.rooms) not in young
    kept = {"frozen": [1]}
    gc.freeze()
    try:
        programme = programme_from_peer(generate_tracks(40, 4))
        assert gc.isenabled() and gc.get_freeze_count() > 0
        collected = {id(x) for x in gc.get_objects()}  # generations 0-2, not the frozen
        assert id(kept) not in collected  # still frozen
        young = {id(x) for generation in (0, 1) for x in gc.get_objects(generation=generation)}
        assert id(programme.activities[0]) in young  # left where the collector put it
    finally:
        gc.unfreeze()


def test_a_compiled_problem_is_in_the_oldest_generation_and_frozen_objects_stay() -> None:
    """Compiling moves what it made to the collector's oldest generation (the first young
    collection after the pause walked every item), as the conversion does; an application's
    frozen objects stay frozen, and the problem is the same either way."""
    programme = programme_from_peer(generate_tracks(40, 4))
    problem = compile_programme(programme)
    item = problem.items[0]
    assert gc.is_tracked(item) and gc.is_tracked(item.__dict__)
    young = {id(x) for generation in (0, 1) for x in gc.get_objects(generation=generation)}
    assert not young & {id(problem), id(item), id(item.__dict__), id(problem.items)}
    kept = {"frozen": [1]}
    gc.freeze()
    try:
        again = compile_programme(programme)
        assert gc.isenabled() and gc.get_freeze_count() > 0
        assert id(kept) not in {id(x) for x in gc.get_objects()}  # still frozen
        young = {id(x) for generation in (0, 1) for x in gc.get_objects(generation=generation)}
        assert id(again.items) in young  # left where the collector put it
    finally:
        gc.unfreeze()
    assert [i.__dict__ for i in again.items] == [i.__dict__ for i in problem.items]


def test_a_construction_out_of_time_stops_with_what_it_has_placed() -> None:
    build = Build(compile_programme(programme_from_peer(generate_tracks(700, 4))))
    pooled = build.pooled
    assert pooled is not None
    calls: list[int] = []

    def expired() -> bool:
        calls.append(1)
        return True

    result = construct(
        build.pooled_options,
        build.apart_groups,
        slot_end=pooled.plan.slot_end,
        rooms=pooled.room_order,
        choice_of=build.pooled_choices.choice,
        expired=expired,
    )
    assert calls and result.steps == 512
    assert len(result.placed) <= 512 and result.unplaced


@pytest.mark.parametrize("seed", [1, 2])
def test_rounds_of_neighbourhood_search_give_timetables_that_check_clean(seed: int) -> None:
    problem = compile_programme(programme_from_peer(generate_tracks(120, seed)))
    options = SolveOptions(time_limit=60, seed=seed, deterministic_time=3.0)
    plain = SolveOptions(
        time_limit=60, seed=seed, deterministic_time=3.0, tactics=search.Tactics(improve=False)
    )
    improved, alone = solve_problem(problem, options=options), solve_problem(problem, options=plain)
    for result in (improved, alone):
        assert result.timetable is not None and result.objective is not None
        assert check_problem(problem, result.timetable).ok
        total, bound = result.objective.total, result.objective.bound
        assert total is not None and bound is not None and bound <= total


def test_compile_shares_equal_room_lists_and_keeps_each_activitys_people() -> None:
    data = generate_peer(80, 2)
    problem = compile_programme(programme_from_peer(data))
    by_rooms: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for item in problem.items:
        by_rooms[item.rooms].add(id(item.rooms))
    assert all(len(ids) == 1 for ids in by_rooms.values())
    speakers = {e["name"]: len(set(e["speakers"])) for e in data["events"]}
    assert sorted(len(i.people) for i in problem.items) == sorted(speakers.values())


def test_a_rules_planner_default_flag_reads_its_private_attribute() -> None:
    """``planner_default`` reads ``_default`` where pydantic keeps it (pydantic's own lookup was
    two microseconds a finding): the same answer, for the file's rules, the planner's and a
    copy of either."""
    problem = compile_programme(load(ROOT / "examples" / "barcelona_2024" / "programme.yaml"))
    rules = [*problem.rules, *(rule.model_copy() for rule in problem.rules)]
    assert {rule.planner_default for rule in rules} == {True, False}
    assert all(rule.planner_default is rule._default for rule in rules)


def _rooms_programme(lists: list[list[str]]) -> dict[str, Any]:
    rooms = sorted({r for listed in lists for r in listed} - {"nowhere"})
    return {
        "course": {"title": "Room lists"},
        "venues": [{"id": "hall", "name": "Hall", "rooms": [{"id": r, "name": r} for r in rooms]}],
        "days": [{"date": "2025-09-15", "venue": "hall", "window": "8:00 - 18:00"}],
        "activities": [
            {"id": f"a{k}", "title": f"A {k}", "duration": 30, "rooms": listed}
            for k, listed in enumerate(lists)
        ],
    }


def test_room_lists_repeated_or_not_are_each_activitys_own_and_every_room_is_checked() -> None:
    """compile and the cross-checks compare a room list with the last few read (a conference
    repeats a few long ones) before reading it: six lists in turn, more than they remember."""
    distinct = [[f"r{k}", f"r{k + 1}", "r9"] for k in range(6)]
    lists = [distinct[k % 6] for k in range(30)] + [list(distinct[2])]
    programme = Programme.model_validate(_rooms_programme(lists))
    problem = compile_programme(programme)
    assert [list(item.rooms) for item in problem.items] == lists
    shared: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for item in problem.items:
        shared[item.rooms].add(id(item.rooms))
    assert len(shared) == 6 and all(len(ids) == 1 for ids in shared.values())
    data = _rooms_programme([*lists, [*distinct[1][:2], "nowhere"]])
    with pytest.raises(ProgrammeError, match="unknown room 'nowhere'"):
        Programme.model_validate(data)
    programme.activities[-1].rooms = [*distinct[3][:2], "nowhere"]  # changed in Python
    with pytest.raises(ProgrammeError, match="unknown room 'nowhere'"):
        compile_programme(programme)


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "examples").glob("*/programme.yaml")),
    ids=lambda p: p.parent.name,
)
def test_compiled_items_are_those_the_dataclass_constructor_makes(path: Path) -> None:
    """``compile._new_item`` sets an item's fields in one step: the same item, every field."""
    names = [f.name for f in dataclasses.fields(Item)]
    problems = [
        compile_programme(load(path)),
        compile_programme(programme_from_peer(generate_peer(60, 3))),
    ]
    for problem in problems:
        assert problem.items
        for item in problem.items:
            cached = {"days", "venues"}  # its cached properties, once read
            assert set(names) <= set(vars(item)) <= set(names) | cached
            made = Item(**{name: getattr(item, name) for name in names})
            assert made == item and hash(made) == hash(item) and repr(made) == repr(item)


@pytest.mark.parametrize("soft", [0, 1000])
def test_a_deferred_build_once_finished_is_the_same_model_in_another_order(soft: int) -> None:
    programme = programme_from_peer(generate_tracks(150, 5))
    programme.objective.soft_rules = soft
    problem = compile_programme(programme)
    at_once, deferred = Build(problem), Build(problem, defer=True)
    assert not deferred.finished
    deferred.finish()
    for model in (at_once.model, deferred.model):
        assert len(model.proto.variables) == len(at_once.model.proto.variables)
    assert (
        str(at_once.model.proto).split("constraints {")[0]
        == str(deferred.model.proto).split("constraints {")[0]
    )
    assert sorted(map(str, at_once.model.proto.constraints)) == sorted(
        map(str, deferred.model.proto.constraints)
    )


@pytest.mark.parametrize(
    ("generate", "soft"),
    [(generate_tracks, 0), (generate_tracks, 1000), (generate_conference, 0), (generate_peer, 0)],
)
def test_held_back_cell_literals_are_written_before_anything_reads_the_model(
    generate: Any, soft: int
) -> None:
    """A build holds its cell literals back until the model is read (``Build.model``): a
    construction and its hint write none of them. Once written, the model is the one made
    when they are written at once (read before the construction): same variables, same
    constraints in the same order, same hint."""
    programme = programme_from_peer(generate(200, 4))
    programme.objective.soft_rules = soft
    problem = compile_programme(programme)
    held, at_once = Build(problem, defer=True), Build(problem, defer=True)
    count = held.held_back
    assert count > 0 and at_once.model is not None and at_once.held_back == 0
    literals = [x for o in held.pooled_options.values() for x in o.literals]
    assert max(literals) == len(at_once.model.proto.variables) - 1
    for build in (held, at_once):
        plan = search.prepare(build, search.Tactics(), 0, False, None)
        assert plan.construction is not None and plan.construction.placed
    assert held.held_back == count
    held.finish()
    at_once.finish()
    assert held.held_back == 0
    assert held.model.proto.solution_hint.vars  # the construction's, given before the write
    assert str(held.model.proto) == str(at_once.model.proto)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_checking_only_the_hard_rules_finds_the_same_errors(seed: int) -> None:
    """What a checked construction relies on: soft rules never make a timetable not ok."""
    from benchmarks.check_scale import greedy_answer
    from course_scheduler.importers.peer import timetable_from_assignment

    data = generate_peer(300, seed)
    problem = compile_programme(programme_from_peer(data))
    timetable = timetable_from_assignment(data, greedy_answer(data))
    everything, hard = (
        check_problem(problem, timetable),
        check_problem(problem, timetable, hard_only=True),
    )
    assert everything.warnings and not hard.warnings
    assert hard.errors == everything.errors and hard.ok == everything.ok


@given(
    st.dictionaries(st.sampled_from(ROOMS), st.none() | st.integers(0, 300), min_size=1),
    st.integers(0, 320),
    st.none() | st.sampled_from(ROOMS),
)
def test_a_ladder_orders_rooms_as_sorting_them_for_each_audience_does(
    capacity: dict[str, int | None], need: int, preferred: str | None
) -> None:
    from course_scheduler.solver.slots import Ladder

    def key(room: str) -> tuple[int, int, int, str]:
        size = capacity.get(room)
        if size is None or size >= need:
            return (0, 0 if room == preferred else 1, size or 0, room)
        return (1, 0 if room == preferred else 1, -size, room)

    rooms = frozenset(capacity)
    ladder = Ladder.of(rooms, capacity)
    assert ladder.order(need, preferred) == sorted(rooms, key=key)
    assert set(ladder.fitting(need)) == {
        r for r in rooms if (size := capacity[r]) is None or size >= need
    }


@given(
    st.dictionaries(st.sampled_from(ROOMS), st.none() | st.integers(0, 300)),
    st.integers(-2, 320),
    st.none() | st.sampled_from(ROOMS),
)
def test_a_ladders_first_room_is_the_first_of_its_order(
    capacity: dict[str, int | None], need: int, preferred: str | None
) -> None:
    """The room a cell's matching tries first, read without making the order, is the
    order's first (None for no rooms), the preferred room in or out of the set."""
    rooms = frozenset(capacity)
    ladder = Ladder.of(rooms, capacity)
    order = ladder.order(max(need, 0), preferred)
    first = ladder.first(max(need, 0), preferred, rooms, capacity)
    assert first == (order[0] if order else None)


@given(
    st.dictionaries(st.sampled_from(ROOMS), st.none() | st.integers(0, 300), min_size=1),
    st.data(),
)
def test_a_ladder_read_off_its_pools_is_the_ladder_sorted_alone(
    capacity: dict[str, int | None], data: st.DataObject
) -> None:
    """Every list of a subset's ladder read off the pool's (``Ladder.within``) is the list
    sorting the subset gives, ties and rooms without a figure included; a set with a room
    outside the pool's is not read off it."""
    from course_scheduler.solver.slots import Ladder

    pool = frozenset(capacity)
    subset = data.draw(st.frozensets(st.sampled_from(sorted(pool))))
    whole = Ladder.of(pool, capacity)
    assert whole.within(subset, capacity) == Ladder.of(subset, capacity)
    outside = sorted(set(ROOMS) - pool)
    if outside:
        stray = subset | {data.draw(st.sampled_from(outside))}
        assert whole.within(stray, capacity) is None


def test_when_nothing_is_minimised_a_clean_construction_is_the_answer_without_a_search() -> None:
    """Any valid timetable will do: the construction, checked clean by the checker, is the
    answer, proven (nothing to minimise), and CP-SAT never searches."""
    programme = programme_from_peer(generate_tracks(300, 6))
    programme.objective.soft_rules = 0
    problem = compile_programme(programme)
    result = solve_problem(problem, options=SolveOptions(time_limit=60))
    assert result.status == Status.OPTIMAL and result.timetable is not None
    assert "search" not in result.phases and "check" in result.phases
    assert check_problem(problem, result.timetable).ok
    assert len(result.timetable) == len(problem.items)


def test_a_search_that_finds_nothing_in_time_returns_the_checked_construction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Soft capacity minimised, and a search that returns no answer (as when its time runs
    out): the construction is the best so far, feasible, its objective not counted. (Its
    construction meets the capacity bound, which would prove it without a search: that proof
    is set aside here, ``tests/test_proven_construction.py`` has it.)"""
    from course_scheduler.solver import proof

    programme = programme_from_peer(generate_tracks(300, 6))
    problem = compile_programme(programme)
    monkeypatch.setattr(proof, "counted_construction", lambda *args, **kwargs: None)
    monkeypatch.setattr(search, "run", lambda *args, **kwargs: cp_model.UNKNOWN)
    result = solve_problem(problem, options=SolveOptions(time_limit=60))
    assert result.status == Status.FEASIBLE and result.timetable is not None
    assert result.objective is None and "objective not counted" in result.summary()
    assert check_problem(problem, result.timetable).ok


def test_findings_are_those_the_dataclass_constructor_makes() -> None:
    """``rules.base.new_finding`` sets a finding's fields in one step: the same finding, every
    field, on a generated conference timetabled first-fit (thousands of capacity warnings
    and clashes) and on every example's own timetable."""
    from benchmarks.check_scale import greedy_answer
    from course_scheduler.checking import check
    from course_scheduler.importers.peer import timetable_from_assignment
    from course_scheduler.rules.base import Finding

    names = [f.name for f in dataclasses.fields(Finding)]
    data = generate_peer(300, 7)
    reports = [
        check(programme_from_peer(data), timetable_from_assignment(data, greedy_answer(data)))
    ]
    reports += [
        check(load(path))
        for path in sorted((ROOT / "examples").glob("*/*.yaml"))
        if path.name in {"programme.yaml", "corrected.yaml"}
    ]
    made_here = 0
    for report in reports:
        for finding in report.findings:
            assert set(vars(finding)) == set(names)
            made = Finding(**{name: getattr(finding, name) for name in names})
            assert made == finding and hash(made) == hash(finding) and repr(made) == repr(finding)
            made_here += 1
    assert made_here > 100
