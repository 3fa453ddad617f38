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
from operator import attrgetter

from .build import DAY
from .slots import Cell, Choice


@dataclass
class Construction:
    """Where the construction put each activity it could place (cell choice and room)."""

    placed: dict[int, tuple[Choice, str | None]] = field(default_factory=dict)
    unplaced: list[int] = field(default_factory=list)
    steps: int = 0


Option = tuple[int, tuple[int, ...]]
"""A choice by its position in the activity's list, and the time points it covers."""


def construct(
    options: dict[int, list[Choice]],
    groups: list[list[int]],
    *,
    slot_end: Callable[[Cell], int],
    rooms: Callable[[Choice], list[str]] | None,
    seed: int = 0,
    effort: int = 40,
    expired: Callable[[], bool] | None = None,
) -> Construction:
    """Place every activity of ``options`` (activity index -> its cell choices) in a cell and,
    when ``rooms`` is given (a room rule holds), in one of the rooms it lists for a choice (best
    first), each room once per cell; activities of one group never overlap in time.
    ``effort`` bounds the steps at ``effort`` times the number of activities; ``expired``
    (the solve's time limit) stops it early, with what it has placed so far."""
    rng = random.Random(seed)
    member_of: dict[int, list[int]] = {i: [] for i in options}
    for g, members in enumerate(groups):
        for i in members:
            if i in member_of:
                member_of[i].append(g)
    keys: dict[int, tuple[int, tuple[Cell, ...]]] = {}
    shapes: dict[tuple[int, tuple[Cell, ...]], list[Choice]] = {}
    for i, choices in options.items():  # activities alike (most of them) share their options
        duration = choices[0].item.duration if choices else 0
        key = keys[i] = (duration, tuple(map(_cell, choices)))
        shapes.setdefault(key, choices)
    starts = sorted({cell.day * DAY + cell.start for _, cells in shapes for cell in cells})
    patterns = {
        key: _pattern(choices, key[0], starts, slot_end, rng) for key, choices in shapes.items()
    }
    table = {i: patterns[key] for i, key in keys.items()}
    alike: dict[tuple[int, tuple[int, ...]], int] = {}
    kind = {  # activities with one list of options and the same rooms in each
        i: alike.setdefault((id(table[i]), tuple(map(id, map(_rooms, options[i])))), len(alike))
        for i in options
    }
    known_blocked: dict[int, int] = {}
    """Per kind of activity, how many of its first options are blocked (``blocked``); like
    ``full``, forgotten when a room is given back."""
    occupant: list[dict[int, int]] = [{} for _ in groups]
    held: dict[Cell, dict[str, int]] = {}
    """Per cell, each room taken and by whom."""
    where: dict[int, tuple[Choice, tuple[int, ...], str | None]] = {}
    ejected: dict[int, int] = dict.fromkeys(options, 0)
    order = sorted(options, key=lambda i: (len(table[i]), -len(member_of[i]), rng.random()))
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

    def free_room(choice: Choice, usable: list[str]) -> str | None:
        """The best room of ``usable`` nobody holds in the choice's cell. A full cell is told
        by one set comparison: in a large pool most cells are full late in the construction,
        and looking at each of their rooms made it quadratic."""
        here = held.get(choice.cell)
        if not here:
            return usable[0] if usable else None
        known = sets.get(id(usable))  # ranked lists are shared (``PooledRooms._rank``)
        if known is None:
            known = sets[id(usable)] = (usable, frozenset(usable))
        if here.keys() >= known[1]:
            return None
        return next(room for room in usable if room not in here)

    def blocked(choice: Choice) -> bool:
        """Every room the choice lists is held in its cell, so no room of any ranking of them
        is free. Told without ranking the rooms: late in the construction of a large
        conference most cells an activity looks at are full, and ranking each made the
        construction grow with the pool's rooms."""
        here = held.get(choice.cell)
        if here is None or len(here) < len(choice.rooms):
            return False
        known = full.get(choice.cell)
        if known is not None and id(choice.rooms) in known:
            return True
        if here.keys() >= choice.rooms:
            full.setdefault(choice.cell, set()).add(id(choice.rooms))
            return True
        return False

    def conflicts(
        i: int, choice: Choice, points: tuple[int, ...]
    ) -> tuple[set[int], str | None] | None:
        """What placing ``i`` there displaces, and its room; None when no room may hold it."""
        found = displaced(i, points)
        if rooms is None:
            return found, None
        usable = rooms(choice)
        if not usable:
            return None
        room = free_room(choice, usable)
        if room is not None:
            return found, room
        here = held[choice.cell]
        holders = [(ejected[here[r]], k, r) for k, r in enumerate(usable)]
        _, _, room = min(holders)
        found.add(here[room])
        return found, room

    def remove(i: int) -> None:
        choice, points, room = where.pop(i)
        for g in member_of[i]:
            for p in points:
                if occupant[g].get(p) == i:
                    del occupant[g][p]
        if room is not None:
            del held[choice.cell][room]
            full.pop(choice.cell, None)
            known_blocked.clear()

    def put(i: int, choice: Choice, points: tuple[int, ...], room: str | None) -> None:
        where[i] = (choice, points, room)
        for g in member_of[i]:
            for p in points:
                occupant[g][p] = i
        if room is not None:
            held.setdefault(choice.cell, {})[room] = i

    def undisturbed(i: int) -> tuple[Choice, tuple[int, ...], str | None, set[int]] | None:
        """The first option (least wasteful) that displaces nothing, if any. The options at
        the front that are blocked stay blocked until a room is given back: the next activity
        of the kind starts after them (the cells a large conference fills first are the first
        options of most activities, and looking at them again made the construction grow
        faster than the programme)."""
        mine = table[i]
        first = 0
        if rooms is not None:
            first = known_blocked.get(kind[i], 0)
            while first < len(mine) and blocked(options[i][mine[first][0]]):
                first += 1
            known_blocked[kind[i]] = first
        for position, points in islice(mine, first, None):
            choice = options[i][position]
            if displaced(i, points):
                continue
            if rooms is None:
                return choice, points, None, set()
            if blocked(choice):
                continue
            room = free_room(choice, rooms(choice))
            if room is not None:
                return choice, points, room, set()
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
            choice = options[i][position]
            seen = conflicts(i, choice, points)
            if seen is None:
                continue
            found, room = seen
            score = (len(found), sum(ejected[x] for x in found), k)
            if best is None or score < best:
                best, chosen = score, (choice, points, room, found)
        if chosen is None:
            continue  # no option has a room: it stays out
        choice, points, room, found = chosen
        for other in found:
            remove(other)
            ejected[other] += 1
            queue.appendleft(other)
        put(i, choice, points, room)
    result.placed = {i: (choice, room) for i, (choice, _, room) in where.items()}
    result.unplaced = [i for i in options if i not in where]
    return result


_cell, _rooms = attrgetter("cell"), attrgetter("rooms")


def _pattern(
    choices: list[Choice],
    duration: int,
    starts: list[int],
    slot_end: Callable[[Cell], int],
    rng: random.Random,
) -> list[Option]:
    """An activity's options, least waste of its slot first, ties in a seeded random order."""
    row = []
    for position, c in enumerate(choices):
        begin = c.cell.day * DAY + c.cell.start
        points = tuple(starts[bisect_left(starts, begin) : bisect_left(starts, begin + duration)])
        waste = slot_end(c.cell) - c.cell.start - duration
        row.append((waste, rng.random(), position, points))
    row.sort()
    return [(position, points) for _, _, position, points in row]
