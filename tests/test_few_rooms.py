"""A programme of few rooms and many days (DebConf 23 scaled by days: 264 days at 10,000 events).

Every talk may take any day, and a speaker away one day gives her talks a list of days of
their own: the pools were read on every day once per such list, and each room's closed windows
(one per day it is shut, hundreds) once per slot, so the build grew with the events times the
days (10,000 events: 6-8 s of build, 0.2 s at 1,000; benchmarks/README.md, "Few rooms, many
days"). Each day's cells are now read once per length and list of rooms, and the lists of the
talks that differ in their days are copied from those readings. What must not change: each
talk's cells and rooms are exactly what a plain reading allows, in the same order. The
construction's options are ordered least waste first, ties by a seeded draw of the cell and
the list (not of the cell's position), read with numpy.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from benchmarks import generate_real_scaled as real_scaled
from course_scheduler.compile import Item, Problem
from course_scheduler.solver.build import DAY, Build
from course_scheduler.solver.construct import _Entries, _lengths, _pattern, _read
from course_scheduler.solver.slots import ByDays, Cell, CellOptions, PoolPlan, _Kind

from .real_schedules import real_file
from .test_barred_lists import _assert_built_as_from_plain_lists
from .test_pooled_rooms import _assert_cells_read_plainly, _planned_without_soft_rules


def _few_rooms(size: int, seed: int) -> tuple[Problem, PoolPlan]:
    real_file("debconf23")
    data, _ = real_scaled.plant(size, seed, "debconf23", (), True)
    return _planned_without_soft_rules(data)


def test_each_talk_takes_exactly_the_cells_a_plain_reading_allows() -> None:
    problem, plan = _few_rooms(1200, 3)
    pooled = [problem.items[i] for i in sorted(plan.items)]
    assert len({d for i in pooled for d in i.days}) >= 30
    assert len({i.options for i in pooled}) >= 3  # speakers away a day: lists of their own
    assert any(problem.room_closed.values())
    for item in pooled:
        _assert_cells_read_plainly(problem, plan, item.index)


def test_talks_alike_but_for_their_days_share_each_days_reading() -> None:
    """Two talks of one length and list of rooms, one of them barred from a day by its
    speaker: on every day both may take, their entries are the same objects (the day was
    read once), and the pools are not read again for the second."""
    problem, plan = _few_rooms(600, 4)
    by_kind: dict[tuple[int, tuple[str, ...]], list[Item]] = defaultdict(list)
    for i in sorted(plan.items):
        item = problem.items[i]
        if not item.barred:
            by_kind[(item.duration, item.rooms)].append(item)
    pairs = [
        (a, b)
        for members in by_kind.values()
        for a in members[:1]
        for b in members
        if b.options != a.options
    ]
    assert len(pairs) >= 3
    for a, b in pairs:
        first = plan.cells(problem, a, None)
        reads = _counted(plan)
        second = plan.cells(problem, b, None)
        assert reads() == 0
        days_of_a = _by_day(first)
        shared = 0
        for day, entries in _by_day(second).items():
            if day in days_of_a:
                assert [id(e) for e in entries] == [id(e) for e in days_of_a[day]]
                shared += 1
        assert shared >= 1


def test_a_list_is_its_days_parts_joined_and_a_talk_alike_reads_no_day_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every talk's list holds, day by day, the very entries a reading of each of its days
    gives (the day's cells of its kind, pools of its venues, in order), and is its parts
    joined. The list of a talk alike but for its days (a speaker away) is made from the parts
    already made: no day is read again, not even looked up in Python, so a list costs no
    step per day of the programme (it cost one for each: the events times the days)."""
    problem, plan = _few_rooms(1200, 3)
    by_kind: dict[tuple[int, tuple[str, ...]], list[Item]] = defaultdict(list)
    for i in sorted(plan.items):
        item = problem.items[i]
        cells = plan.cells(problem, item, None)
        assert isinstance(cells, ByDays)
        assert [id(e) for e in cells] == [id(e) for part in cells.parts for e in part]
        assert [id(e) for e in cells] == [id(e) for e in _read_day_by_day(problem, plan, item)]
        if not item.barred:
            by_kind[(item.duration, item.rooms)].append(item)
    reads: list[int] = []
    day_cells = _Kind.day_cells

    def counted(self: _Kind, problem: Problem, day: int) -> Any:
        reads.append(day)
        return day_cells(self, problem, day)

    monkeypatch.setattr(_Kind, "day_cells", counted)
    fresh = PoolPlan(plan.pools, plan.pool_of, plan.items)
    alike = 0
    for members in by_kind.values():
        first = fresh.cells(problem, members[0], None)
        for other in members[1:]:
            if set(other.days) <= set(members[0].days) and other.options != members[0].options:
                before = len(reads)
                second = fresh.cells(problem, other, None)
                assert len(reads) == before, "a day read again"
                assert isinstance(first, ByDays) and isinstance(second, ByDays)
                mine = dict(zip(members[0].days, map(id, first.parts), strict=True))
                assert [id(part) for part in second.parts] == [mine[d] for d in other.days]
                alike += 1
    assert alike >= 3


def test_a_kind_barred_from_a_room_takes_the_parts_of_the_days_its_pool_is_shut() -> None:
    """Talks barred from a room make kinds of their own (another list of rooms), each with
    the cells of every day again: the kinds times the days. A kind whose rooms differ from an
    earlier kind's in a few pools (``_Kind.like``, ``differ``) takes that kind's part on a
    day none of those pools is open (the very same list) and reads only the others; either
    way its entries are the ones a reading of the day gives."""
    problem, plan = _few_rooms(1200, 3)
    items = [problem.items[i] for i in sorted(plan.items)]
    for item in items:
        plan.cells(problem, item, None)
    kinds = list(plan._kinds.values())
    taken = read = 0
    for kind in kinds:
        like = kind.like
        if like is None:
            continue
        for venues, known in kind.by_venues.items():
            theirs = like.by_venues.get(venues, {})
            for day, part in known.items():
                plain = [
                    e for v, found in kind.day_cells(problem, day) if v in venues for e in found
                ]
                assert [id(e) for e in part] == [id(e) for e in plain]
                shut = not set(plan._active(problem, day, kind.duration, kind.start)) & kind.differ
                if day in theirs and shut:
                    assert part is theirs[day]
                    taken += 1
                else:
                    read += 1
    assert sum(1 for k in kinds if k.like is not None and k.differ) >= 3
    assert taken >= 100 and read > 0


def _read_day_by_day(problem: Problem, plan: PoolPlan, item: Item) -> CellOptions:
    """The talk's entries read one day at a time: each day's cells of its kind (length and
    rooms), the pools of the venues it may use that day, in order."""
    kind = plan._kinds[(item.rooms, item.duration, None)]
    venues: dict[int, set[str | None]] = defaultdict(set)
    for day, venue in item.options:
        venues[day].add(venue)
    return [
        entry
        for day in item.days
        for venue, found in kind.day_cells(problem, day)
        if venue in venues[day]
        for entry in found
    ]


def _by_day(cells: CellOptions) -> dict[int, list[object]]:
    found: dict[int, list[object]] = defaultdict(list)
    for entry in cells:
        found[entry[0].day].append(entry)
    return found


def _counted(plan: PoolPlan) -> Callable[[], int]:
    """How many times the pools' slots are read from now on (a reading of a pool's day)."""
    calls: list[int] = []
    slots = plan._slots

    def counted(*args: Any) -> Any:
        calls.append(1)
        return slots(*args)

    plan._slots = counted  # type: ignore[method-assign]
    return lambda: len(calls)


def _options_read_plainly(
    cells: CellOptions, duration: int, starts: list[int], ends: dict[Cell, int]
) -> dict[int, tuple[int, tuple[int, ...]]]:
    """Per position in the list, the waste of the cell's slot and the time points it covers."""
    found = {}
    for position, (cell, _) in enumerate(cells):
        begin = cell.day * DAY + cell.start
        points = tuple(starts[bisect_left(starts, begin) : bisect_left(starts, begin + duration)])
        found[position] = (ends[cell] - cell.start - duration, points)
    return found


def _ordered(
    lists: list[tuple[Item, CellOptions]], ends: dict[Cell, int], seed: int, salts: list[int]
) -> list[list[tuple[int, tuple[int, ...]]]]:
    keys = [(item.duration, tuple(c for c, _ in cells)) for item, cells in lists]
    by_length: dict[int, set[Cell]] = defaultdict(set)
    for duration, cells in keys:
        by_length[duration].update(cells)
    lengths = _lengths({d: list(found) for d, found in by_length.items()}, ends.__getitem__, seed)
    return [
        list(_pattern(_places(cells, lengths[duration].index), lengths[duration], salt))
        for (duration, cells), salt in zip(keys, salts, strict=True)
    ]


def _places(cells: tuple[Cell, ...], index: dict[Cell, int]) -> npt.NDArray[np.int64]:
    return np.array([index[cell] for cell in cells], dtype=np.int64)


def _cells_in_order(cells: CellOptions, found: list[tuple[int, tuple[int, ...]]]) -> list[Cell]:
    return [cells[position][0] for position, _ in found]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_constructions_options_are_a_seeded_order_of_least_waste(seed: int) -> None:
    """Each list's options are every position once, least waste of the slot first, with the
    time points a plain reading gives (a cell twice in a list keeps both positions). Ties
    fall by a seeded draw of the cell and the list's number (its salt), not of its position:
    the same cells in another order come out alike, another salt or seed orders them
    otherwise, and the same call again gives the same order."""
    problem, plan = _few_rooms(300, 5)
    items = [problem.items[i] for i in sorted(plan.items)]
    lists = [(item, plan.cells(problem, item, None)) for item in items]
    starts = sorted({c.day * DAY + c.start for _, cells in lists for c, _ in cells})
    ends = {c: plan.slot_end(c) for _, cells in lists for c, _ in cells}
    chosen = lists[:40]
    chosen.append((chosen[0][0], [*chosen[0][1], chosen[0][1][0]]))  # a cell twice
    salts = list(range(len(chosen)))
    ordered = _ordered(chosen, ends, seed, salts)
    ties = 0
    for (item, cells), found in zip(chosen, ordered, strict=True):
        plain = _options_read_plainly(cells, item.duration, starts, ends)
        assert sorted(position for position, _ in found) == list(range(len(cells)))
        assert all(points == plain[position][1] for position, points in found)
        wastes = [plain[position][0] for position, _ in found]
        assert wastes == sorted(wastes)
        ties += sum(a == b for a, b in itertools.pairwise(wastes))
    assert ties > 100
    assert _ordered(chosen, ends, seed, salts) == ordered
    reversed_lists = [(item, cells[::-1]) for item, cells in chosen]
    again = _ordered(reversed_lists, ends, seed, salts)
    for (_, cells), found, (_, back), known in zip(
        chosen, ordered, reversed_lists, again, strict=True
    ):
        if len({c for c, _ in cells}) == len(cells):
            assert _cells_in_order(cells, found) == _cells_in_order(back, known)
    for other_seed, other_salts in ((seed + 1, salts), (seed, [salt + 1 for salt in salts])):
        other = _ordered(chosen, ends, other_seed, other_salts)
        changed = sum(
            _cells_in_order(cells, a) != _cells_in_order(cells, b)
            for (_, cells), a, b in zip(chosen, ordered, other, strict=True)
        )
        assert changed > len(chosen) // 2


def test_the_construction_reads_each_entry_once_and_orders_as_a_plain_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every talk's list is its days' parts; the construction reads each entry of those
    parts once (``_Entries.joined``), not every entry of every list, which grew with the
    lists times their days (1.59 million entries at 10,000 events, 74,157 distinct), and
    gives the same orders, kinds and timetable as from plain copies of the lists."""
    problem, _ = _few_rooms(1200, 3)
    build = Build(problem)
    assert build.pooled is not None
    options = build.pooled_options
    lists = {id(o.cells): o.cells for o in options.values()}.values()
    assert all(isinstance(cells, ByDays) for cells in lists)
    looked_up: list[int] = []
    numbered = _Entries.numbered

    def counted(self: _Entries, entries: Any, rooms: dict[int, int]) -> Any:
        looked_up.append(len(entries))
        return numbered(self, entries, rooms)

    monkeypatch.setattr(_Entries, "numbered", counted)
    _read(options, build.pooled.plan.slot_end, 0)
    monkeypatch.undo()
    distinct = len({id(entry) for cells in lists for entry in cells})
    assert sum(looked_up) == distinct
    assert 5 * distinct < sum(map(len, lists))
    _assert_built_as_from_plain_lists(build)
