"""A first timetable for the pooled activities by construction: greedy, then ejections.

Why: on dense multi-track programmes (13 % more slots than talks, tracks and speakers whose
talks must not overlap) CP-SAT's first-solution search can stall for minutes in conflicts
(benchmarks/README.md: no timetable for 1,000 events in 60 s). A construction that knows the
pooled structure — cells with rooms, groups of activities that must not overlap — finds one
in a fraction of a second, and CP-SAT, given it as a hint, checks it against every rule (this
module knows only some of them) and completes or repairs what does not hold.

The method is iterative forward search: activities in order of fewest options, each into the
option that wastes least of its slot and breaks nothing (options are tried least wasteful
first, so the first that breaks nothing is taken); an activity with no such option takes the
one that displaces fewest (and least often displaced) activities, which go back to the front
of the queue. Deterministic for a seed (ties broken by seeded draws), bounded in steps, not
seconds.
"""

from __future__ import annotations

import itertools
import math
import random
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ..compile import Item
from .build import DAY
from .slots import Cell, Choice, Options

Place = tuple[Cell, frozenset[str]]
"""A cell an activity may take and the rooms it may use there (an entry of its cells)."""


@dataclass
class Construction:
    """Where the construction put each activity it could place (cell choice and room)."""

    placed: dict[int, tuple[Choice, str | None]] = field(default_factory=dict)
    unplaced: list[int] = field(default_factory=list)
    steps: int = 0


class Audiences(Protocol):
    """What the construction asks about audiences and rooms (``slots.PooledRooms``)."""

    def need(self, item: Item) -> int | None:
        """How many people ``item`` expects, if known."""
        ...

    def fitting_order(self, item: Item, rooms: frozenset[str]) -> list[str]:
        """The rooms of ``rooms`` that hold ``item``'s audience, best first."""
        ...


Option = tuple[int, tuple[int, ...]]
"""A choice by its position in the activity's list, and the time points it covers."""


def construct(
    options: dict[int, Options],
    groups: list[list[int]],
    *,
    slot_end: Callable[[Cell], int],
    rooms: Callable[[Item, frozenset[str]], list[str]] | None,
    choice_of: Callable[[int, int], Choice],
    seed: int = 0,
    effort: int = 40,
    expired: Callable[[], bool] | None = None,
    audiences: Audiences | None = None,
) -> Construction:
    """Place every activity of ``options`` (activity index -> its cells) in a cell and, when
    ``rooms`` is given (a room rule holds), in one of the rooms it lists for the activity and a
    cell's rooms (best first), each room once per cell; activities of one group never overlap
    in time. ``choice_of(activity, position)``: the choice of its ``position``-th cell, made
    only for the cells taken (``slots.Choices``). ``effort`` bounds the steps at ``effort``
    times the number of activities; ``expired`` (the solve's time limit) stops it early, with
    what it has placed so far.

    ``audiences`` (with ``rooms``), when an audience left without a room that holds it costs
    something: the largest audiences are placed first, and an activity takes the first option
    with a room free that holds its audience before any option without one. Why: placed
    blind to audiences, the 2,000-event conference left 417 audiences without a fitting room
    and CP-SAT's search removed about one a second; this way 0-1 are left
    (benchmarks/README.md)."""
    rng = random.Random(seed)
    member_of: dict[int, list[int]] = {i: [] for i in options}
    for g, members in enumerate(groups):
        for i in members:
            if i in member_of:
                member_of[i].append(g)
    kind: dict[int, int] = {}
    """Per activity, its kind: its list of cells by identity (activities alike, most of them,
    share one; one list has the same rooms in each cell for all who share it)."""
    cells_of = {i: o.cells for i, o in options.items()}
    lists: dict[int, tuple[int, list[Place]]] = {}
    for i, o in options.items():
        lists.setdefault(id(o.cells), (o.item.duration, o.cells))
        kind[i] = id(o.cells)
    lengths = _lengths(list(lists.values()), slot_end, seed)
    made = {  # the list's number salts its draws
        ref: _Options(cells, lengths[duration], number)
        for number, (ref, (duration, cells)) in enumerate(lists.items())
    }
    table = {i: made[ref] for i, ref in kind.items()}
    item_of = {i: o.item for i, o in options.items()}
    known_blocked: dict[int, int] = {}
    """Per kind of activity, how many of its first options are blocked (``blocked``); like
    ``full``, forgotten when a room is given back."""
    occupant: list[dict[int, int]] = [{} for _ in groups]
    held: dict[Cell, dict[str, int]] = {}
    """Per cell, each room taken and by whom."""
    where: dict[int, tuple[int, tuple[int, ...], str | None]] = {}
    """Where each activity is: the position of its cell, the time points, the room."""
    ejected: dict[int, int] = dict.fromkeys(options, 0)
    if audiences is None:
        order = sorted(options, key=lambda i: (len(table[i]), -len(member_of[i]), rng.random()))
    else:
        need = {i: audiences.need(item_of[i]) or 0 for i in options}
        order = sorted(
            options, key=lambda i: (-need[i], len(table[i]), -len(member_of[i]), rng.random())
        )
    queue = deque(order)
    result = Construction()
    limit = effort * max(1, len(options))
    sets: dict[int, tuple[list[str], frozenset[str]]] = {}
    full: dict[Cell, set[int]] = {}
    """Per cell, the room sets (by identity) all of whose rooms are held: a room is only
    given back when an activity is displaced, which forgets the cell's entry."""

    def displaced(i: int, points: tuple[int, ...]) -> set[int]:
        """The activities of ``i``'s groups at those time points."""
        found: set[int] = set()
        for g in member_of[i]:
            taken = occupant[g]
            for p in points:
                other = taken.get(p)
                if other is not None and other != i:
                    found.add(other)
        return found

    def free_room(place: Place, usable: list[str]) -> str | None:
        """The best room of ``usable`` nobody holds in the place's cell. A full cell is told
        by one set comparison: in a large pool most cells are full late in the construction,
        and looking at each of their rooms made it quadratic."""
        here = held.get(place[0])
        if not here:
            return usable[0] if usable else None
        known = sets.get(id(usable))  # ranked lists are shared (``PooledRooms._rank``)
        if known is None:
            known = sets[id(usable)] = (usable, frozenset(usable))
        if here.keys() >= known[1]:
            return None
        return next(room for room in usable if room not in here)

    def blocked(place: Place) -> bool:
        """Every room the place lists is held in its cell, so no room of any ranking of them
        is free. Told without ranking the rooms: late in the construction of a large
        conference most cells an activity looks at are full, and ranking each made the
        construction grow with the pool's rooms."""
        cell, listed = place
        here = held.get(cell)
        if here is None or len(here) < len(listed):
            return False
        known = full.get(cell)
        if known is not None and id(listed) in known:
            return True
        if here.keys() >= listed:
            full.setdefault(cell, set()).add(id(listed))
            return True
        return False

    def conflicts(
        i: int, place: Place, points: tuple[int, ...]
    ) -> tuple[set[int], str | None] | None:
        """What placing ``i`` there displaces, and its room; None when no room may hold it."""
        found = displaced(i, points)
        if rooms is None:
            return found, None
        usable = rooms(item_of[i], place[1])
        if not usable:
            return None
        room = free_room(place, usable)
        if room is not None:
            return found, room
        here = held[place[0]]
        holders = [(ejected[here[r]], k, r) for k, r in enumerate(usable)]
        _, _, room = min(holders)
        found.add(here[room])
        return found, room

    def remove(i: int) -> None:
        position, points, room = where.pop(i)
        for g in member_of[i]:
            for p in points:
                if occupant[g].get(p) == i:
                    del occupant[g][p]
        if room is not None:
            cell = cells_of[i][position][0]
            del held[cell][room]
            full.pop(cell, None)
            known_blocked.clear()

    def put(i: int, position: int, points: tuple[int, ...], room: str | None) -> None:
        where[i] = (position, points, room)
        for g in member_of[i]:
            for p in points:
                occupant[g][p] = i
        if room is not None:
            held.setdefault(cells_of[i][position][0], {})[room] = i

    def undisturbed(i: int) -> tuple[int, tuple[int, ...], str | None, set[int]] | None:
        """The first option (least wasteful) that displaces nothing, if any. The options at
        the front that are blocked stay blocked until a room is given back: the next activity
        of the kind starts after them (the cells a large conference fills first are the first
        options of most activities, and looking at them again made the construction grow
        faster than the programme)."""
        mine, cells = table[i], cells_of[i]
        first = 0
        if rooms is not None:
            first = known_blocked.get(kind[i], 0)
            while first < len(mine) and blocked(cells[mine[first][0]]):
                first += 1
            known_blocked[kind[i]] = first
        fitting = audiences.fitting_order if audiences is not None else None
        for ranked in (rooms,) if fitting is None else (fitting, rooms):
            for position, points in mine.since(first):
                place = cells[position]
                if displaced(i, points):
                    continue
                if ranked is None:
                    return position, points, None, set()
                if blocked(place):
                    continue
                room = free_room(place, ranked(item_of[i], place[1]))
                if room is not None:
                    return position, points, room, set()
        return None

    while queue and result.steps < limit:
        result.steps += 1
        if expired is not None and result.steps % 512 == 0 and expired():
            break
        i = queue.popleft()
        if i in where or not table[i]:
            continue
        chosen = undisturbed(i)
        best: tuple[int, int, int] | None = None
        for k, (position, points) in enumerate(table[i] if chosen is None else ()):
            seen = conflicts(i, cells_of[i][position], points)
            if seen is None:
                continue
            found, room = seen
            score = (len(found), sum(ejected[x] for x in found), k)
            if best is None or score < best:
                best, chosen = score, (position, points, room, found)
        if chosen is None:
            continue  # no option has a room: it stays out
        position, points, room, found = chosen
        for other in found:
            remove(other)
            ejected[other] += 1
            queue.appendleft(other)
        put(i, position, points, room)
    result.placed = {i: (choice_of(i, position), room) for i, (position, _, room) in where.items()}
    result.unplaced = [i for i in options if i not in where]
    return result


_cell = itemgetter(0)


@dataclass(slots=True)
class _Cells:
    """One length's cells, each read once for every list that holds it, in one shared order:
    least waste of the slot first (a tier per waste), within a tier by each cell's own seeded
    draw (``_draws``). Each list walks each tier in an order of its own drawn from this one
    (``_Options``)."""

    cells: list[Cell]
    """By index (the cells sorted)."""
    points: list[tuple[int, ...]]
    """By index, the time points the cell covers."""
    tiers: list[list[int]]
    """Per waste of the slot, least first: its cells' indices in the shared order."""
    tier: npt.NDArray[np.int64]
    """By index: the cell's tier."""
    rank: npt.NDArray[np.int64]
    """By index: the cell's place in its tier's shared order."""
    index: dict[Cell, int]
    """By cell, its index: what a list ordered at once (``_Options._rest``) looks up."""


def _lengths(
    lists: list[tuple[int, list[Place]]],
    slot_end: Callable[[Cell], int],
    seed: int,
) -> dict[int, _Cells]:
    """Per length of activity, the cells of its ``lists`` (each list's cells) read once for
    all of them, in the shared order.

    Why: a programme of hundreds of days has hundreds of lists of thousands of cells (one
    per kind of talk, each with every day; a speaker away a day gives her talks a list of
    their own: DebConf 23 scaled by days, 695 lists of ~2,300 cells at 10,000 events). A sort
    per list made the construction grow as the events times the days; the sort is now one
    per length, and a list costs only the options the construction walks."""
    by_length: dict[int, set[Cell]] = {}
    for duration, cells in lists:
        by_length.setdefault(duration, set()).update(map(_cell, cells))
    starts = sorted({cell.day * DAY + cell.start for found in by_length.values() for cell in found})
    lengths: dict[int, _Cells] = {}
    for duration, found in by_length.items():
        ordered = sorted(found)
        waste = np.fromiter(
            (slot_end(cell) - cell.start - duration for cell in ordered), np.int64, len(ordered)
        )
        tier = np.unique(waste, return_inverse=True)[1].reshape(-1).astype(np.int64)
        table = np.array(ordered, dtype=np.int64).reshape(len(ordered), 3)
        draws = _draws(table, seed) >> np.uint64(_SHIFT)
        shared = ((tier.astype(np.uint64) << np.uint64(64 - _SHIFT)) | draws).argsort(kind="stable")
        rank = np.empty(len(ordered), dtype=np.int64)
        bounds = np.searchsorted(tier[shared], np.arange(int(tier.max(initial=-1)) + 2))
        tiers = []
        for first, end in itertools.pairwise(bounds.tolist()):
            rank[shared[first:end]] = np.arange(end - first)
            tiers.append(shared[first:end].tolist())
        lengths[duration] = _Cells(
            ordered,
            [
                tuple(starts[bisect_left(starts, b) : bisect_left(starts, b + duration)])
                for b in (cell.day * DAY + cell.start for cell in ordered)
            ],
            tiers,
            tier,
            rank,
            dict(zip(ordered, range(len(ordered)), strict=True)),
        )
    return lengths


_MIX = (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB)
_SHIFT = 24
"""The draws keep 40 bits, the waste's tier the 24 above them."""
_WORD = (1 << 64) - 1


def _mixed(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64's finaliser: every bit of the result depends on every bit of ``x``."""
    _, first, second = (np.uint64(k) for k in _MIX)
    x = (x ^ (x >> np.uint64(30))) * first
    x = (x ^ (x >> np.uint64(27))) * second
    return x ^ (x >> np.uint64(31))


def _mixed_int(x: int) -> int:
    """``_mixed`` of one number, in Python's integers."""
    golden, first, second = _MIX
    x = (x + golden) & _WORD
    x = ((x ^ (x >> 30)) * first) & _WORD
    x = ((x ^ (x >> 27)) * second) & _WORD
    return x ^ (x >> 31)


def _draws(table: npt.NDArray[np.int64], seed: int) -> npt.NDArray[np.uint64]:
    """A seeded draw per cell (rows of pool, day, start) that belongs to the cell, whatever
    else the programme has: the seed and the cell's three numbers folded in turn."""
    golden = np.uint64(_MIX[0])
    x = np.full(len(table), seed & _WORD, dtype=np.uint64)
    for column in range(3):
        x = _mixed(x + golden + table[:, column].astype(np.uint64))
    return x


def _stride(size: int, salt: int, tier: int) -> tuple[int, int]:
    """The start and step of a list's walk through a tier of ``size`` cells: drawn from the
    list's number (``salt``) and the tier's, the step prime to the size, so that the walk
    (start + k * step, modulo the size) meets every cell of the tier once."""
    draw = _mixed_int(_mixed_int(salt) ^ tier)
    if size < 3:
        return draw % max(size, 1), 1
    step = 1 + (draw >> 32) % (size - 1)
    while math.gcd(step, size) != 1:
        step = step % (size - 1) + 1
    return draw % size, step


class _Options:
    """A list's options in order, each (position in the list, time points): its length's
    tiers in turn, each tier's cells in a walk of the list's own through the shared order
    (``_stride``), the cells not in the list skipped, made as the construction walks them.

    Why a walk of its own: activities of different lists that tie on what they displace take
    their first option of least waste, and one order shared by every list sent them all to
    the same cells (the 400-event tracks shape, a list per speaker's barred slots: the
    construction by audiences went round ejecting for all its 16,000 steps and left 4 out).
    Why made as walked: the construction mostly looks at an activity's first few options
    (522 of the 26,350 its lists hold at 1,000 events of DebConf 23 scaled by days), and
    ordering every list in full, or even reading each of its cells once, made it grow as
    the events times the days (benchmarks/README.md, "Few rooms, many days", second and
    third passes). A cell is found in the list by bisection: the list is in order of day,
    pool and start, as ``PoolPlan.cells`` gives it. A walk that goes far into the list, or
    an activity that reads every option, orders the rest at once (``_rest``), in the same
    order; a list in another order is still read in full, each position once."""

    __slots__ = ("_walk", "cells", "length", "points", "positions", "ranks", "salt")

    def __init__(self, cells: list[Place], length: _Cells, salt: int):
        self.cells, self.length, self.salt = cells, length, salt
        self.positions: list[int] = []
        self.ranks: list[int] = []
        self.points = length.points
        self._walk: Iterator[None] | None = self._walked() if cells else None

    def __len__(self) -> int:
        return len(self.cells)

    def __getitem__(self, k: int) -> Option:
        while k >= len(self.positions) and self._walk is not None:
            next(self._walk)
        return self.positions[k], self.points[self.ranks[k]]

    def __iter__(self) -> Iterator[Option]:
        if self._walk is not None:
            self._rest()
        return self.since(0)

    def since(self, first: int) -> Iterator[Option]:
        """The options from the ``first``-th on, the ones before not made."""
        if self._walk is None:
            return self._made(first)
        return self._walking(first)

    def _made(self, first: int) -> Iterator[Option]:
        """The options from the ``first``-th on, all made (C speed)."""
        positions = itertools.islice(self.positions, first, None)
        ranks = itertools.islice(self.ranks, first, None)
        return zip(positions, map(self.points.__getitem__, ranks), strict=True)

    def _walking(self, first: int) -> Iterator[Option]:
        """The options from the ``first``-th on, made as asked."""
        k = first
        positions, ranks, points = self.positions, self.ranks, self.points
        while True:
            while k >= len(positions):
                if self._walk is None:
                    return
                next(self._walk)
            yield positions[k], points[ranks[k]]
            k += 1

    def _walked(self) -> Iterator[None]:
        """Adds the next options of the walk to ``positions``, a cell's per step (its
        positions: a cell may be listed twice); orders the rest at once after 32 steps and
        one per 32 cells of the list. Why: a step (a bisection) costs about what ordering 30
        of the list's cells at once does, and the walks of a list whose activities go far
        into it (38C3 with odd lengths and barred slots, a room per pool, most cells taken)
        made the construction slower than ordering every list in full."""
        length, found, positions, ranks = self.length, self.cells, self.positions, self.ranks
        cells = length.cells
        steps = 32 + len(found) // 32
        for number, tier in enumerate(length.tiers):
            size = len(tier)
            start, step = _stride(size, self.salt, number)
            for k in range(size):
                index = tier[(start + k * step) % size]
                cell = cells[index]
                steps -= 1
                if steps < 0:
                    break
                position = bisect_left(found, (cell.day, cell.pool, cell.start), key=_placed)
                if position == len(found) or found[position][0] != cell:
                    continue
                while position < len(found) and found[position][0] == cell:
                    positions.append(position)
                    ranks.append(index)
                    position += 1
                yield
            else:
                continue
            break
        if len(positions) < len(found):  # walked far, or a list out of order
            self._rest()
        self._walk = None
        yield

    def _rest(self) -> None:
        """Every option, in the walk's order, at once (numpy): each cell's place in its
        tier's walk, k = (rank - start) / step modulo the tier's size. The options made so
        far stay first (the same, unless the list is out of order)."""
        length = self.length
        self._walk = None
        found = self.cells
        index = np.fromiter(map(length.index.__getitem__, map(_cell, found)), np.int64, len(found))
        tier = length.tier[index]
        sizes = [len(t) for t in length.tiers]
        walks = [_stride(size, self.salt, n) for n, size in enumerate(sizes)]
        start = np.array([w[0] for w in walks], dtype=np.int64)[tier]
        back = np.array(
            [pow(w[1], -1, size) if size > 1 else 0 for w, size in zip(walks, sizes, strict=True)],
            dtype=np.int64,
        )[tier]
        size = np.array(sizes, dtype=np.int64)[tier]
        k = ((length.rank[index] - start) % size) * back % size
        order = np.lexsort((k, tier))
        positions, ranks = order.tolist(), index[order].tolist()
        made = len(self.positions)
        if positions[:made] != self.positions:
            kept = set(self.positions)
            rest = [k for k, position in enumerate(positions) if position not in kept]
            positions = self.positions + [positions[k] for k in rest]
            ranks = self.ranks + [ranks[k] for k in rest]
        self.positions[:] = positions
        self.ranks[:] = ranks


def _placed(place: Place) -> tuple[int, int, int]:
    """A list's order: day, pool, start (``PoolPlan.cells``)."""
    cell = place[0]
    return cell.day, cell.pool, cell.start
