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
of the queue. Deterministic for a seed (ties broken by a seeded generator), bounded in steps,
not seconds.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from operator import itemgetter
from typing import Protocol, cast

from ..compile import Item
from .build import DAY
from .slots import Cell, CellOptions, Choice, Options

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
    refs: dict[int, tuple[int, int]] = {}
    """Per activity, its length and its list of cells (by identity: activities alike, most
    of them, share one), read once per list."""
    keys: dict[tuple[int, int], tuple[int, tuple[Cell, ...]]] = {}
    shapes: dict[tuple[int, tuple[Cell, ...]], CellOptions] = {}
    rooms_ids: dict[int, tuple[int, ...]] = {}
    cells_of = {i: o.cells for i, o in options.items()}
    for i, o in options.items():
        ref = refs[i] = (o.item.duration if o.cells else 0, id(o.cells))
        if ref not in keys:
            key = keys[ref] = (ref[0], tuple(map(_cell, o.cells)))
            shapes.setdefault(key, o.cells)
            rooms_ids[id(o.cells)] = tuple(map(id, map(_rooms, o.cells)))
    distinct = set().union(*(cells for _, cells in shapes))  # the lists repeat most cells
    starts = sorted({cell.day * DAY + cell.start for cell in distinct})
    known: dict[int, dict[Cell, tuple[int, tuple[int, ...]]]] = {}
    patterns = {
        key: _pattern(cells, key[0], starts, slot_end, rng, known.setdefault(key[0], {}))
        for key, cells in shapes.items()
    }
    by_ref = {ref: patterns[key] for ref, key in keys.items()}
    table = {i: by_ref[ref] for i, ref in refs.items()}
    alike: dict[tuple[int, tuple[int, ...]], int] = {}
    kinds = {  # activities with one list of options and the same rooms in each
        ref: alike.setdefault((id(by_ref[ref]), rooms_ids[ref[1]]), len(alike)) for ref in keys
    }
    kind = {i: kinds[ref] for i, ref in refs.items()}
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
            for position, points in islice(mine, first, None):
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


_cell, _rooms = itemgetter(0), itemgetter(1)


def _pattern(
    cells: CellOptions,
    duration: int,
    starts: list[int],
    slot_end: Callable[[Cell], int],
    rng: random.Random,
    known: dict[Cell, tuple[int, tuple[int, ...]]],
) -> list[Option]:
    """An activity's options, least waste of its slot first, ties in a seeded random order.

    ``known``: per cell, its waste and time points for this ``duration``, found once for all
    the lists that hold the cell (talks barred from a few slots each have lists of their own,
    nearly all the same cells: 38C3 scaled up, 734 lists of 760 cells at 1,000 events).
    Read list-wide, at C speed where it can be: a programme of hundreds of days has hundreds
    of lists of thousands of cells (one per kind of talk, each with every day). The random
    draws are taken in the list's order, one per cell, and two stable sorts (by draw, then by
    waste) give the order a sort of (waste, draw, position) rows would, each comparing
    numbers alone."""
    looked = list(map(known.get, map(_cell, cells)))
    for position, value in enumerate(looked if None in looked else ()):
        if value is None:
            cell = cells[position][0]
            value = known.get(cell)
            if value is None:
                begin = cell.day * DAY + cell.start
                points = tuple(
                    starts[bisect_left(starts, begin) : bisect_left(starts, begin + duration)]
                )
                value = known[cell] = (slot_end(cell) - cell.start - duration, points)
            looked[position] = value
    found = cast(list[tuple[int, tuple[int, ...]]], looked)  # every None filled in above
    draw = rng.random
    draws = [draw() for _ in found]
    by_draw = sorted(range(len(found)), key=draws.__getitem__)
    order = sorted(by_draw, key=list(map(_waste, found)).__getitem__)  # stable: draw, position
    return list(zip(order, map(list(map(_points, found)).__getitem__, order), strict=True))


_waste, _points = itemgetter(0), itemgetter(1)
