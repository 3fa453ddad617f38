"""Lists of cells made by barring (``slots.Barred``), and the construction's reading of them.

A talk barred from a few slots of its own gets its kind's list of cells with a few rooms
taken. Such a list names its base and the positions it changed, and the construction tells
lists apart through that (``construct._read``: the base read once, each list by the rooms
at its changed positions) instead of reading every cell of every list: at 20,000 events of the odd 38C3 shape that reading took
most of the construction and 1.6 GiB (benchmarks/README.md, "The odd 38C3 shape at 20,000
events"). Each reading is compared here with the plain one, on generated instances and on
the odd 38C3 shape.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_scheduler.compile import Problem
from course_scheduler.solver.build import Build
from course_scheduler.solver.construct import Construction, _Entries, _read, construct
from course_scheduler.solver.slots import Barred, ByDays, Options, PoolPlan, plan_pools
from tests.strategies import solver_settings
from tests.test_pooled_rooms import (
    _assert_cells_read_plainly,
    _planned_without_soft_rules,
    _problem,
    crowded,
    instances,
)
from tests.test_real_scaled_shape import _plant


def _assert_lists_say_what_barring_changed(problem: Problem, plan: PoolPlan) -> int:
    """Every pooled activity's list: its base itself when barring took nothing, a ``Barred``
    whose cells are its base's and whose changed positions are exactly those with another
    (smaller) set of rooms, or a plain list that lacks some of its base's cells. Returns how
    many are ``Barred``."""
    made = 0
    for index in sorted(plan.items):
        item = problem.items[index]
        base = plan._unbarred(problem, item, None)[0]
        cells = plan.cells(problem, item, None)
        if isinstance(cells, Barred):
            made += 1
            assert cells.base is base and len(cells) == len(base)
            assert all(a[0] is b[0] for a, b in zip(cells, base, strict=True))
            changed = [
                k for k, (a, b) in enumerate(zip(cells, base, strict=True)) if a[1] is not b[1]
            ]
            assert list(cells.changed) == changed and changed
            assert all(cells[k][1] < base[k][1] for k in changed)
        elif cells is not base:
            assert len(cells) < len(base), item.id
    return made


def _plain_numbers(options: dict[int, Options]) -> tuple[list[int], list[Any]]:
    """Each activity's list numbered by its content (length, cells) in order of first sight,
    every cell of every list read."""
    numbers: dict[tuple[int, tuple[Any, ...]], int] = {}
    found = []
    for o in options.values():
        key = (o.item.duration if o.cells else 0, tuple(cell for cell, _ in o.cells))
        found.append(numbers.setdefault(key, len(numbers)))
    return found, list(numbers)


def _assert_read_as_plainly(build: Build, options: dict[int, Options]) -> None:
    """``_read`` gives two activities one order of options exactly when a plain reading
    numbers their lists alike, and one kind only when their lists have the very same sets
    of rooms at every position."""
    pooled = build.pooled
    assert pooled is not None
    table, kind = _read(options, pooled.plan.slot_end, 0)
    numbers, _ = _plain_numbers(options)
    pattern_of_number: dict[int, int] = {}
    for number, i in zip(numbers, options, strict=True):
        assert pattern_of_number.setdefault(number, id(table[i])) == id(table[i])
    assert len(set(pattern_of_number.values())) == len(pattern_of_number)
    by_kind: dict[int, tuple[int, list[int]]] = {}
    for i, o in options.items():
        seen = (id(table[i]), [id(rooms) for _, rooms in o.cells])
        assert by_kind.setdefault(kind[i], seen) == seen


@functools.cache
def _odd_38c3() -> Build:
    """The odd 38C3 shape at 1,500 events copied by rooms (141 rooms, 4 days), its model
    built: its rooms' copies share a grid, so a talk barred from one of them keeps the cell
    (at 300 events, every room a pool of its own, each barred slot takes its cell and no
    list is ``Barred``)."""
    data, _ = _plant("real-38c3-odd", 1500, 4)
    return Build(_planned_without_soft_rules(data)[0])


def _constructed(build: Build, options: dict[int, Options]) -> Construction:
    pooled = build.pooled
    assert pooled is not None
    return construct(
        options,
        build.apart_groups,
        slot_end=pooled.plan.slot_end,
        rooms=pooled.room_order if pooled.rooms_exclusive else None,
        choice_of=build.pooled_choices.choice,
        seed=0,
    )


def _placed(result: Construction) -> list[tuple[int, Any, int, str | None]]:
    return sorted((i, c.cell, c.index, room) for i, (c, room) in result.placed.items())


def _assert_built_as_from_plain_lists(build: Build) -> None:
    """The construction from the lists as built and from plain copies of them (each a list
    of its own, nothing shared, no ``Barred``) is the same."""
    if build.pooled is None:
        return
    options = build.pooled_options
    _assert_read_as_plainly(build, options)
    plain = {i: Options(o.item, list(o.cells), o.literals) for i, o in options.items()}
    assert not any(isinstance(o.cells, Barred) for o in plain.values())
    built, copied = _constructed(build, options), _constructed(build, plain)
    assert _placed(built) == _placed(copied)
    assert (built.unplaced, built.steps) == (copied.unplaced, copied.steps)


@solver_settings(60)
@given(st.one_of(instances(), crowded()))
def test_a_list_made_by_barring_says_exactly_what_changed(data: dict[str, Any]) -> None:
    problem = _problem(data)
    build = Build(problem)
    if build.pooled is not None:
        _assert_lists_say_what_barring_changed(problem, build.pooled.plan)
        _assert_built_as_from_plain_lists(build)


@solver_settings(60)
@given(st.one_of(crowded(), instances()))
def test_barring_makes_only_the_sets_of_rooms_the_lists_hold(data: dict[str, Any]) -> None:
    """A talk barred from several rooms of a cell gets one set there, the cell's rooms less
    all of them, not one set per room taken in turn: the sets between were kept by the cache
    and used by no list (at 10,000 peer events where a third of the talks are each away from
    2 % of the slots, room by room: 194,000 sets of ~120 rooms, 0.8 GiB). Each list is the
    one a plain reading of the grid, closures and barred windows gives."""
    problem = _problem(data)
    plan = plan_pools(problem)
    if plan is None:
        return
    held = set()
    for index in sorted(plan.items):
        _assert_cells_read_plainly(problem, plan, index)
        held.update(id(rooms) for _, rooms in plan.cells(problem, problem.items[index], None))
    assert all(id(less) in held for _, less in plan._less.values() if less)


def test_the_odd_38c3_talks_lists_are_read_as_plainly_and_construct_the_same() -> None:
    """Talks of the odd 38C3 shape barred from a room of a cell of their kind's list have
    ``Barred`` lists, and reading them that way changes no number, no kind
    and no step of the construction."""
    build = _odd_38c3()
    assert build.pooled is not None
    assert _assert_lists_say_what_barring_changed(build.problem, build.pooled.plan) > 100
    _assert_built_as_from_plain_lists(build)


def test_the_odd_38c3_talks_cells_are_what_a_plain_reading_allows() -> None:
    """Each talk's windows are read in the pools of the rooms they take (``_touched``):
    a barred talk's cells and rooms are still those a plain reading of every room, slot and window gives,
    on a shape where pools hold several rooms (at 300 events each pool is one room)."""
    build = _odd_38c3()
    assert build.pooled is not None
    plan = build.pooled.plan
    assert max(len(pool.rooms) for pool in plan.pools) >= 2
    barred = [i for i in sorted(plan.items) if build.problem.items[i].barred]
    for index in barred[::4]:  # a plain reading is slow: a quarter of the talks
        _assert_cells_read_plainly(build.problem, plan, index)


def test_the_construction_reads_each_base_once_not_each_talk_s_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The lists whose entries are read are the plain lists and the bases of the ``Barred``
    ones, each once (a base that is a list of its own too, once), and the entries of the
    parts of those made of their days' parts (``ByDays``), each entry once: reading each
    talk's list whole
    made the construction grow with the talks times their cells (at 20,000 events: 16,000
    lists of 2,300 cells)."""
    build = _odd_38c3()
    read: list[int] = []
    looked_up = 0
    original = _Entries.numbered

    def counted(self: _Entries, entries: Any, rooms: dict[int, int]) -> Any:
        nonlocal looked_up
        read.append(id(entries))
        looked_up += len(entries)
        return original(self, entries, rooms)

    monkeypatch.setattr(_Entries, "numbered", counted)
    _constructed(build, build.pooled_options)
    lists = {id(o.cells): o.cells for o in build.pooled_options.values()}.values()
    barred = [cells for cells in lists if isinstance(cells, Barred)]
    bases = {id(cells.base): cells.base for cells in barred}
    whole = {id(c): c for c in lists if not isinstance(c, Barred)} | bases
    assert len(barred) > 100 and len(bases) < len(barred) / 2
    joined = [c for c in whole.values() if isinstance(c, ByDays)]
    parts = {id(part): part for c in joined for part in c.parts}
    plain = [key for key, c in whole.items() if not isinstance(c, ByDays)]
    durations = {o.item.duration for o in build.pooled_options.values() if id(o.cells) in whole}
    assert set(plain) <= set(read) and len(read) <= len(plain) + len(durations)
    in_parts = {id(entry) for part in parts.values() for entry in part}
    assert looked_up == sum(len(whole[key]) for key in plain) + len(in_parts)
