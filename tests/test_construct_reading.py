"""How the construction reads its lists of options: by identity, with each list's order made
a front at a time, the same options in the same order as a plain reading.

A plain reading keys each list by its cells (a tuple of thousands of cells hashed per list),
numbers the distinct lists in the activities' order (the number salts the list's tie-break),
and sorts each list whole: on DebConf 23 scaled by days that grew as the events times the
days (benchmarks/README.md, "Few rooms, many days, third pass (stop 36)"). The construction
now numbers each entry once by identity and sorts only the front it walks. What must not
change: every activity's options, their order, the lists' salts and which activities share a
kind, so the first timetable is the one the plain reading gives, placement for placement.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from benchmarks import generate_real_scaled as real_scaled
from benchmarks.generate_conference import generate as generate_conference
from course_scheduler.compile import compile_programme
from course_scheduler.importers.peer import programme_from_peer
from course_scheduler.solver import construct as construct_module
from course_scheduler.solver import search
from course_scheduler.solver.build import Build
from course_scheduler.solver.construct import _lengths, _mixed, _Options, _read, construct
from course_scheduler.solver.slots import Cell, CellOptions, Options, PooledRooms

from .real_schedules import real_file

_MASK = (1 << 40) - 1
"""The tie-break's bits of a key (``construct._SHIFT``: the waste's rank above them)."""


class _Plain(list[tuple[int, tuple[int, ...]]]):
    """A list's options made whole, read as the construction reads ``_Options``."""

    def since(self, first: int) -> Any:
        return iter(self[first:])


def _plain_read(
    options: dict[int, Options], slot_end: Callable[[Cell], int], seed: int
) -> tuple[dict[int, _Plain], dict[int, int]]:
    """The reading as it was: lists keyed by their cells, numbered in the activities' order,
    each sorted whole as rows of (key, position); kinds by list and the rooms' identities."""
    numbers: dict[tuple[int, tuple[Cell, ...]], int] = {}
    by_length: dict[int, set[Cell]] = defaultdict(set)
    for o in options.values():
        key = (o.item.duration if o.cells else 0, tuple(cell for cell, _ in o.cells))
        numbers.setdefault(key, len(numbers))
        by_length[key[0]].update(key[1])
    lengths = _lengths({d: list(found) for d, found in by_length.items()}, slot_end, seed)
    table: dict[int, _Plain] = {}
    kinds: dict[tuple[int, tuple[int, ...]], int] = {}
    kind: dict[int, int] = {}
    for i, o in options.items():
        key = (o.item.duration if o.cells else 0, tuple(cell for cell, _ in o.cells))
        length = lengths[key[0]]
        salt = int(_mixed(np.full(1, numbers[key], dtype=np.uint64))[0])
        rows = []
        for position, cell in enumerate(key[1]):
            own = int(length.key[length.index[cell]])
            tie = int(_mixed(np.full(1, own ^ salt, dtype=np.uint64))[0])
            rows.append(((own & ~_MASK) | (tie & _MASK), position, length.index[cell]))
        rows.sort()
        table[i] = _Plain((position, length.points[at]) for _, position, at in rows)
        rooms = tuple(id(rooms) for _, rooms in o.cells)
        kind[i] = kinds.setdefault((numbers[key], rooms), len(kinds))
    return table, kind


def _same_partition(first: dict[int, int], second: dict[int, int]) -> bool:
    """The two numberings group the activities alike (numbers themselves aside)."""
    pairs = {(first[i], second[i]) for i in first}
    return len(pairs) == len(set(first.values())) == len(set(second.values()))


@st.composite
def _programmes(draw: Any) -> tuple[dict[int, Options], dict[Cell, int]]:
    """Activities with lists made as the pools' plan makes them: each day's entries shared by
    the lists that hold the day, a list shared by activities alike, the same cells with other
    rooms, equal lists of other entries, a cell twice, empty lists, few wastes (ties)."""
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    cells = [Cell(pool, day, start) for pool in range(2) for day in range(6) for start in (0, 60)]
    ends = {cell: cell.start + rng.choice((60, 75, 90)) for cell in cells}
    room_sets = [frozenset({"a"}), frozenset({"a", "b"}), frozenset({"b"})]
    segments: dict[tuple[int, int], CellOptions] = {}
    for day in range(6):
        for r in range(len(room_sets)):
            segments[(day, r)] = [(c, room_sets[r]) for c in cells if c.day == day]
    lists: list[tuple[int, CellOptions]] = []
    for _ in range(draw(st.integers(1, 12))):
        duration = rng.choice((30, 45, 60))
        days = sorted(rng.sample(range(6), rng.randint(0, 6)))
        r = rng.randrange(len(room_sets))
        made: CellOptions = [entry for day in days for entry in segments[(day, r)]]
        how = rng.random()
        if how < 0.2:  # the same content, entries of its own
            made = [(cell, frozenset(rooms)) for cell, rooms in made]
        elif how < 0.3 and made:  # a cell twice
            made.append(made[0])
        elif how < 0.4 and lists:  # a copy of another list: the same cells, another object
            duration, other = rng.choice(lists)
            made = list(other)
        lists.append((duration, made))
    options: dict[int, Options] = {}
    for i in range(draw(st.integers(1, 30))):
        duration, made = rng.choice(lists)
        item: Any = SimpleNamespace(duration=duration)
        options[i] = Options(item, made, [])
    return options, ends


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_programmes(), st.integers(0, 3), st.lists(st.integers(0, 80), max_size=6))
def test_each_activitys_options_are_the_plain_readings_in_its_order(
    made: tuple[dict[int, Options], dict[Cell, int]], seed: int, fronts: list[int]
) -> None:
    """Read a front at a time (options asked one by one from where the walk stands) or whole,
    each activity's options are the plain reading's: the same positions, points and order,
    the same salt; activities share a kind exactly when the plain reading says so."""
    options, ends = made
    plain, plain_kind = _plain_read(options, ends.__getitem__, seed)
    table, kind = _read(options, ends.__getitem__, seed)
    for i, expected in plain.items():
        mine = table[i]
        assert len(mine) == len(expected)
        for first in fronts:  # the walk's accesses: one option, then the rest from there
            if first < len(expected):
                assert mine[first] == expected[first]
                assert list(mine.since(first)) == expected[first:]
        assert list(mine) == expected
    assert _same_partition(kind, plain_kind)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 5), max_size=80),
    st.lists(st.integers(0, 90), max_size=8),
)
@example(keys=[1] * 40 + [0] * 3 + [2] * 5, asked=[0, 17, 30])
def test_a_lists_front_is_the_start_of_its_whole_sort(keys: list[int], asked: list[int]) -> None:
    """Options asked in any order (the front first, then further on) are those of a stable
    sort of the keys, ties by position: with few distinct keys, the front's last key is
    shared with options past it."""
    key = np.array(keys, dtype=np.uint64)
    index = np.arange(len(keys), dtype=np.int64)
    points = [(k,) for k in range(len(keys))]
    whole = sorted(range(len(keys)), key=lambda p: (keys[p], p))
    options = _Options(key, index, points)
    for k in asked:
        if k < len(keys):
            assert options[k] == (whole[k], (whole[k],))
    assert [p for p, _ in options.since(min(asked, default=0))] == whole[min(asked, default=0) :]
    assert [p for p, _ in options] == whole


@pytest.mark.parametrize(("size", "seed", "audiences"), [(600, 0, False), (600, 2, True)])
def test_the_first_timetable_is_the_plain_readings(size: int, seed: int, audiences: bool) -> None:
    """On DebConf 23 scaled by days (speakers away a day: lists of their own), the
    construction places every activity where it places them with the plain reading."""
    real_file("debconf23")
    data, _ = real_scaled.plant(size, 7, "debconf23", (), True)
    programme = programme_from_peer(data)
    if not audiences:
        programme.objective.soft_rules = 0
    build = Build(compile_programme(programme))
    pooled = build.pooled
    assert pooled is not None
    assert len({id(o.cells) for o in build.pooled_options.values()}) >= 20

    def run() -> Any:
        return construct(
            build.pooled_options,
            build.apart_groups,
            slot_end=pooled.plan.slot_end,
            rooms=pooled.room_order,
            choice_of=build.pooled_choices.choice,
            seed=seed,
            audiences=pooled if audiences else None,
        )

    fast = run()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(construct_module, "_read", _plain_read)
        plain = run()
    assert not fast.unplaced and len(fast.placed) == len(build.pooled_options)
    assert fast.steps == plain.steps
    assert {i: (c.cell, room) for i, (c, room) in fast.placed.items()} == {
        i: (c.cell, room) for i, (c, room) in plain.placed.items()
    }


def _reading_audiences(size: int, patch: pytest.MonkeyPatch) -> tuple[Any, int]:
    """The construction reading audiences of a generated conference of ``size`` talks, and
    how often it asked for the rooms that hold an activity's audience in a cell."""
    build = Build(compile_programme(programme_from_peer(generate_conference(size, 3))), defer=True)
    pooled = build.pooled
    assert pooled is not None
    asked = [0]
    real = PooledRooms.fitting_order

    def counted(self: PooledRooms, item: Any, rooms: frozenset[str]) -> list[str]:
        asked[0] += 1
        return real(self, item, rooms)

    patch.setattr(PooledRooms, "fitting_order", counted)
    return search._construct(build, 1, None, pooled), asked[0]


def test_reading_audiences_looks_at_the_options_larger_audiences_filled_once() -> None:
    """Taken largest audience first, each activity looked again at every option whose rooms
    that hold its audience the larger ones had taken: looks per activity grew with the
    programme (generated conferences: 9.7 at 300 talks, 26 at 3,000, 63 at 10,000, two thirds
    of the construction). Those options are passed once for every activity of a kind and
    class of audience, until a room is given back."""
    with pytest.MonkeyPatch.context() as patch:
        small, small_asked = _reading_audiences(1000, patch)
        large, large_asked = _reading_audiences(3000, patch)
    assert not small.unplaced and not large.unplaced
    per_small, per_large = small_asked / 1000, large_asked / 3000
    assert per_large < 1.25 * per_small and per_large < 12


def test_options_passed_for_a_kind_and_audience_are_the_ones_each_activity_would_pass() -> None:
    """The same construction when no two activities share what was passed (every activity
    its own class of audience): the options passed stay passed for the others."""
    with pytest.MonkeyPatch.context() as patch:
        shared, _ = _reading_audiences(1000, patch)
        patch.setattr(PooledRooms, "audience_class", lambda self, item: object())
        alone, _ = _reading_audiences(1000, patch)
    assert shared.steps == alone.steps
    assert {i: (c.cell, room) for i, (c, room) in shared.placed.items()} == {
        i: (c.cell, room) for i, (c, room) in alone.placed.items()
    }
