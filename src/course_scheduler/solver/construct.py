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

import random
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain, count, filterfalse, islice, repeat
from operator import itemgetter
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ..compile import Item
from .build import DAY
from .slots import Barred, ByDays, Cell, CellOptions, Choice, Options

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

    def audience_class(self, item: Item) -> int | None:
        """Equal for two activities exactly when every set of rooms holds both audiences or
        neither."""
        ...


REPAIR_FLOOR = 256
"""A construction that starts from a timetable (``start``) takes at most ``effort`` steps
per activity it queues, and at least this many: it places a few displaced activities in a
few steps when it can, and one that cannot (rooms full whichever way it ejects) gave up only
after 130,000 steps (24 s) on a 10,000-talk conference, the time the search needed."""

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
    start: dict[int, tuple[int, str | None]] | None = None,
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
    (benchmarks/README.md). Reading audiences, an option's cost in displacements counts each
    activity it displaces once more for every time that one was displaced already (blind,
    fewest displaced first, then least often displaced). Why: taken in order of audience,
    activities with three to five options come late and find them held; by count alone one
    of them kept displacing one talk rather than two of its groups', and that talk it back,
    for all the steps (38C3 scaled to 1,000 events, solver seed 1: 265 left out, and the blind
    construction kept with 322 audiences without a fitting room against a bound of 4).

    ``start`` (activity -> position of a cell among its cells, and a room): where a timetable
    being repaired has each activity that still fits there. Those activities are put there
    first, each in that room when it is free and usable there (else the first free one), in
    the order given, unless an activity put before is in its way; only the others are
    queued, and they displace those as they need. Why: a what-if on a 10,000-talk conference
    hinted only the published timetable, with the talks of a closed room nowhere, and
    CP-SAT's search from that found no repair in a minute; placing only the displaced talks
    (and what they push aside) gives a complete repair for it to improve."""
    rng = random.Random(seed)
    member_of: dict[int, list[int]] = {i: [] for i in options}
    for g, members in enumerate(groups):
        for i in members:
            if i in member_of:
                member_of[i].append(g)
    cells_of = {i: o.cells for i, o in options.items()}
    table, kind = _read(options, slot_end, seed)
    item_of = {i: o.item for i, o in options.items()}
    known_blocked: dict[int, int] = {}
    """Per kind of activity, how many of its first options are blocked (``blocked``); like
    ``full``, forgotten when a room is given back."""
    known_unfit: dict[tuple[int, int | None], int] = {}
    """Per kind of activity and class of audience (``Audiences.audience_class``), how many
    of its first options have every room that holds the audience held (``unfit``): as
    ``known_blocked``, for the options that hold the audience."""
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
    weighed = audiences is not None
    """An option's displacements weighed by how often each was displaced (see above)."""
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

    def unfit(i: int, place: Place) -> bool:
        """Every room of the place that holds ``i``'s audience is held (or none does), so
        the pass over the options that hold it passes this one whatever else it finds. The
        options at the front that are so stay so until a room is given back, for every
        activity of the kind and class of audience (``known_unfit``): taken largest audience
        first, each activity looked again at the options the larger ones had filled (10,000
        conference talks: 1.2 million looks, two thirds of the construction)."""
        assert audiences is not None
        return free_room(place, audiences.fitting_order(item_of[i], place[1])) is None

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
            known_unfit.clear()

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
            start = first
            if ranked is fitting and audiences is not None:
                key = (kind[i], audiences.audience_class(item_of[i]))
                start = max(first, known_unfit.get(key, 0))
                while start < len(mine) and unfit(i, cells[mine[start][0]]):
                    start += 1
                known_unfit[key] = start
            for position, points in mine.since(start):
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

    if start:
        for i, (position, room) in start.items():
            if i not in options or i in where:
                continue
            points = table[i].points_at(position)
            if displaced(i, points):
                continue
            if rooms is not None:
                place = cells_of[i][position]
                usable = rooms(item_of[i], place[1])
                if room is None or room not in usable or room in held.get(place[0], ()):
                    room = free_room(place, usable)
                if room is None:
                    continue
            put(i, position, points, None if rooms is None else room)
        queue = deque(i for i in order if i not in where)
        limit = effort * max(REPAIR_FLOOR, len(queue))

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
            weight = sum(ejected[x] for x in found)
            score = (weight + len(found), len(found), k) if weighed else (len(found), weight, k)
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


@dataclass(slots=True)
class _Entries:
    """One length's entries (cell and rooms), each numbered once, by identity, for every
    list that holds it: with its cell's number and its rooms' number."""

    number: dict[int, int] = field(default_factory=dict)
    """Each entry's number, by identity."""
    cells: dict[Cell, int] = field(default_factory=dict)
    """Each distinct cell of the length's lists, numbered in order of first sight."""
    cell_of: list[int] = field(default_factory=list)
    rooms_of: list[int] = field(default_factory=list)
    parts: dict[int, CellOptions] = field(default_factory=dict)
    """The distinct parts (by identity) of the length's ``ByDays`` lists (``joined``)."""
    part_of: dict[int, int] = field(default_factory=dict)
    starts: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    sizes: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    flat: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """The parts' entries numbered, one part after another (``starts``, ``sizes``)."""

    def numbered(self, entries: CellOptions, rooms: dict[int, int]) -> npt.NDArray[np.int64]:
        """Each entry's number, the new ones numbered (``rooms``: each set of rooms's
        number, by identity, shared by every length). Why by identity: a list of thousands
        of entries is mostly the entries of other lists (each day's cells are read once and
        copied into the lists, ``slots._Kind.day_cells``), so each list costs one lookup of
        an integer per entry, and a cell is hashed once, not once per list that holds it."""
        found = np.fromiter(
            map(self.number.get, map(id, entries), repeat(-1)), np.int64, len(entries)
        )  # -1 for an entry not seen yet, read at C speed, the new ones numbered after
        if len(found) and found.min() < 0:
            new = list(map(entries.__getitem__, np.flatnonzero(found < 0).tolist()))
            self._add(list(dict(zip(map(id, new), new, strict=True)).values()), rooms)
            found = np.fromiter(
                map(self.number.__getitem__, map(id, entries)), np.int64, len(entries)
            )
        return found

    def _add(self, fresh: CellOptions, rooms: dict[int, int]) -> None:
        """Numbers for ``fresh`` (distinct entries not seen before), their cells and rooms
        numbered in order of first sight, by the built-in functions: a list's new entries
        are thousands (a programme of hundreds of days)."""
        self.number.update(zip(map(id, fresh), count(len(self.cell_of))))
        cells = list(map(itemgetter(0), fresh))
        unseen = filterfalse(self.cells.__contains__, dict.fromkeys(cells))
        self.cells.update(zip(unseen, count(len(self.cells))))
        self.cell_of += map(self.cells.__getitem__, cells)
        sets = list(map(id, map(itemgetter(1), fresh)))
        rooms.update(zip(filterfalse(rooms.__contains__, dict.fromkeys(sets)), count(len(rooms))))
        self.rooms_of += map(rooms.__getitem__, sets)

    def number_parts(self, rooms: dict[int, int]) -> None:
        """Every part ``parts`` holds numbered at once, one after another in ``flat``."""
        listed = list(self.parts.values())
        self.part_of = dict(zip(self.parts, range(len(listed)), strict=True))
        self.sizes = np.fromiter(map(len, listed), np.int64, len(listed))
        self.starts = np.cumsum(self.sizes) - self.sizes
        entries = list(chain.from_iterable(listed))
        self.numbered(list(dict(zip(map(id, entries), entries, strict=True)).values()), rooms)
        self.flat = np.fromiter(
            map(self.number.__getitem__, map(id, entries)), np.int64, len(entries)
        )

    def joined(self, cells: ByDays) -> npt.NDArray[np.int64]:
        """A ``ByDays`` list's numbers: its parts' (``number_parts``) joined by numpy. Why:
        each list is its days' parts (``slots._Kind.parts``), a part shared by every list of
        its kind with that day; one lookup per entry of every list grew with the lists times
        their days (1.59 million entries at 10,000 events of DebConf 23 scaled by days, 695
        lists of 264 days), one per part does not look at the entries."""
        which = np.fromiter(
            map(self.part_of.__getitem__, map(id, cells.parts)), np.int64, len(cells.parts)
        )
        sizes = self.sizes[which]
        ends = np.cumsum(sizes)
        shift = np.repeat(self.starts[which] - (ends - sizes), sizes)
        found: npt.NDArray[np.int64] = self.flat[np.arange(len(shift), dtype=np.int64) + shift]
        return found


def _read(
    options: dict[int, Options], slot_end: Callable[[Cell], int], seed: int
) -> tuple[dict[int, _Options], dict[int, int]]:
    """Per activity, its options in order (``_pattern``) and its kind: activities with one
    list of options and the same rooms in each share a kind.

    Lists are told apart by their content (the cells, in order; rooms aside), numbered in
    the order of the activities, each content's number salting its draws. Why read this way:
    a programme of hundreds of days has hundreds of lists of thousands of cells (DebConf 23
    scaled by days: 695 lists, 1.4 million entries at 10,000 events), and hashing each
    list's cells as a key, reading each cell's place in its length and making each
    list's whole order in Python made the construction grow as the events times the days;
    now each list is one lookup per entry (``_Entries.numbered``) and numpy's work, and a
    list made of its days' parts (``ByDays``) one lookup per part (``_Entries.joined``). A list
    made by barring (``Barred``) has its base's cells: the base is read once for all the
    lists made from it, each of those told apart by the rooms at the positions it changed
    (the odd 38C3 shape at 20,000 events: 16,000 such lists of 2,300 cells)."""
    rooms: dict[int, int] = {}
    by_length: dict[int, _Entries] = {}
    read: dict[tuple[int, int], tuple[int, int] | _BarredList] = {}
    numbers_of: dict[tuple[int, int], npt.NDArray[np.int64]] = {}
    refs: dict[int, tuple[int, int]] = {}
    waiting: dict[tuple[int, int], ByDays] = {}

    def numbered(ref: tuple[int, int], cells: CellOptions) -> None:
        """The list's entries numbered, once per list (a base may be a list of its own); a
        ``ByDays`` list's parts kept to be numbered with every other list's (``joined``)."""
        if ref in numbers_of or ref in waiting:
            return
        entries = by_length.get(ref[0])
        if entries is None:
            entries = by_length[ref[0]] = _Entries()
        if isinstance(cells, ByDays):
            entries.parts.update(zip(map(id, cells.parts), cells.parts, strict=True))
            waiting[ref] = cells
        else:
            numbers_of[ref] = entries.numbered(cells, rooms)

    for i, o in options.items():
        ref = refs[i] = (o.item.duration if o.cells else 0, id(o.cells))
        if ref in read:
            continue
        if isinstance(o.cells, Barred):
            base = (ref[0], id(o.cells.base))
            numbered(base, o.cells.base)
            changes = tuple((k, id(o.cells[k][1])) for k in o.cells.changed)
            read[ref] = _BarredList(base, changes)
        else:
            numbered(ref, o.cells)
            read[ref] = ref
    for entries in by_length.values():
        if entries.parts:
            entries.number_parts(rooms)
    for ref, cells in waiting.items():
        numbers_of[ref] = by_length[ref[0]].joined(cells)
    cells_by_length = {d: list(entries.cells) for d, entries in by_length.items()}
    lengths = _lengths(cells_by_length, slot_end, seed)
    cell_index: dict[int, npt.NDArray[np.int64]] = {}
    rooms_of: dict[int, npt.NDArray[np.int64]] = {}
    for duration, entries in by_length.items():
        place = np.fromiter(
            map(lengths[duration].index.__getitem__, cells_by_length[duration]), np.int64
        )
        cell_index[duration] = place[np.array(entries.cell_of, dtype=np.int64)]
        rooms_of[duration] = np.array(entries.rooms_of, dtype=np.int64)
    numbers: dict[tuple[int, bytes], _Options] = {}
    alike: dict[tuple[object, ...], int] = {}
    patterns: dict[tuple[int, int], _Options] = {}
    kinds: dict[tuple[int, int], int] = {}
    base_patterns: dict[tuple[int, int], _Options] = {}

    def pattern_of(duration: int, found: npt.NDArray[np.int64]) -> _Options:
        index = cell_index[duration][found] if len(found) else np.zeros(0, dtype=np.int64)
        content = (duration, index.tobytes())
        pattern = numbers.get(content)
        if pattern is None:
            length = lengths.get(duration)
            pattern = numbers[content] = (
                _pattern(index, length, len(numbers)) if length is not None else _Options.none()
            )
        return pattern

    for ref, found in read.items():
        duration = ref[0]
        if isinstance(found, _BarredList):
            pattern = base_patterns.get(found.base)
            if pattern is None:
                pattern = base_patterns[found.base] = pattern_of(duration, numbers_of[found.base])
            listed: object = (found.base, found.changes)
        else:
            mine = numbers_of[found]
            pattern = pattern_of(duration, mine)
            listed = rooms_of[duration][mine].tobytes() if len(mine) else b""
        patterns[ref] = pattern
        kinds[ref] = alike.setdefault((id(pattern), listed), len(alike))
    return {i: patterns[ref] for i, ref in refs.items()}, {i: kinds[ref] for i, ref in refs.items()}


@dataclass(frozen=True, slots=True)
class _BarredList:
    """A ``Barred`` list as ``_read`` tells it apart: its base (length, identity) and, per
    position it changed, the identity of the rooms there. Two such lists with equal keys
    have the same rooms everywhere; one equal in rooms to a plain list is still a kind of
    its own, which only keeps apart activities that could have shared what
    ``known_blocked`` learns."""

    base: tuple[int, int]
    changes: tuple[tuple[int, int], ...]


@dataclass(slots=True)
class _Cells:
    """One length's cells, each read once for every list that holds it."""

    index: dict[Cell, int]
    """Each cell's place in the length's cells, sorted."""
    key: npt.NDArray[np.uint64]
    """By index: the rank of the cell's waste of its slot (least first) in the high bits,
    the cell's own seeded draw (``_draws``) in the low ones."""
    points: list[tuple[int, ...]]
    """By index, the time points the cell covers."""


def _lengths(
    by_length: dict[int, list[Cell]],
    slot_end: Callable[[Cell], int],
    seed: int,
) -> dict[int, _Cells]:
    """Per length of activity, the distinct cells of its lists read once for all of them:
    waste, time points and a seeded draw per cell, the order of each list read from these
    numbers with numpy (``_pattern``)."""
    starts = sorted({cell.day * DAY + cell.start for found in by_length.values() for cell in found})
    lengths: dict[int, _Cells] = {}
    for duration, found in by_length.items():
        ordered = sorted(found)
        waste = np.fromiter(
            (slot_end(cell) - cell.start - duration for cell in ordered), np.int64, len(ordered)
        )
        rank = np.unique(waste, return_inverse=True)[1].reshape(-1).astype(np.uint64)
        table = np.array(ordered, dtype=np.int64).reshape(len(ordered), 3)
        draws = _draws(table, seed) >> np.uint64(_SHIFT)
        lengths[duration] = _Cells(
            dict(zip(ordered, range(len(ordered)), strict=True)),
            (rank << np.uint64(64 - _SHIFT)) | draws,
            [
                tuple(starts[bisect_left(starts, b) : bisect_left(starts, b + duration)])
                for b in (cell.day * DAY + cell.start for cell in ordered)
            ],
        )
    return lengths


_MIX = (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB)
_SHIFT = 24
_FRONT = 16
"""The options a list's first front makes (``_Options``)."""
"""The draws keep 40 bits, the waste's rank the 24 above them."""


def _mixed(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64's finaliser: every bit of the result depends on every bit of ``x``."""
    _, first, second = (np.uint64(k) for k in _MIX)
    x = (x ^ (x >> np.uint64(30))) * first
    x = (x ^ (x >> np.uint64(27))) * second
    return x ^ (x >> np.uint64(31))


def _draws(table: npt.NDArray[np.int64], seed: int) -> npt.NDArray[np.uint64]:
    """A seeded draw per cell (rows of pool, day, start) that belongs to the cell, whatever
    else the programme has: the seed and the cell's three numbers folded in turn."""
    golden = np.uint64(_MIX[0])
    x = np.full(len(table), seed & 0xFFFFFFFFFFFFFFFF, dtype=np.uint64)
    for column in range(3):
        x = _mixed(x + golden + table[:, column].astype(np.uint64))
    return x


class _Options:
    """A list's options in order, each (position in the list, time points), made as the
    construction walks them: the front first, the rest when the walk goes past it. Why: the construction mostly looks
    at an activity's first few options; making every pair of every list took a quarter of a
    second at 10,000 events of DebConf 23 scaled by days, and sorting each list whole and
    turning its order into Python numbers most of the rest."""

    __slots__ = ("_index", "_key", "_order", "points", "positions", "ranks")

    def __init__(
        self,
        key: npt.NDArray[np.uint64],
        index: npt.NDArray[np.int64],
        points: list[tuple[int, ...]],
    ):
        self._key, self._index, self.points = key, index, points
        self._order: npt.NDArray[np.intp] | None = None
        """The whole order (a stable sort of the keys), once the front is not enough."""
        self.positions: list[int] = []
        self.ranks: list[int] = []

    @classmethod
    def none(cls) -> _Options:
        return cls(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64), [])

    def __len__(self) -> int:
        return len(self._key)

    def _make(self, count: int) -> None:
        """At least the first ``count`` options made. The first front is every option whose
        key is at most the ``_FRONT``-th smallest, in the order of the whole sort (by key,
        then position): the sort's first options without sorting the rest. Past it, the rest
        is made at once: a walk that goes further (the construction that reads audiences)
        mostly goes far, and fronts made a piece at a time cost it more than they saved."""
        made, key = len(self.positions), self._key
        if count <= made:
            return
        if made == 0 and count <= _FRONT < len(key):
            highest = np.partition(key, _FRONT - 1)[_FRONT - 1]
            front = np.flatnonzero(key <= highest)
            order = front[key[front].argsort(kind="stable")]
        else:
            if self._order is None:
                self._order = key.argsort(kind="stable")
            order = self._order[made:]
        self.positions += order.tolist()
        self.ranks += self._index[order].tolist()

    def points_at(self, position: int) -> tuple[int, ...]:
        """The time points of the cell at ``position`` in the list (not its place in order)."""
        return self.points[int(self._index[position])]

    def __getitem__(self, k: int) -> Option:
        if k >= len(self.positions):
            self._make(k + 1)
        return self.positions[k], self.points[self.ranks[k]]

    def __iter__(self) -> Iterator[Option]:
        return self.since(0)

    def since(self, first: int) -> Iterator[Option]:
        """The options from the ``first``-th on, the ones before not made."""
        if len(self.positions) == len(self._key):
            positions, ranks = islice(self.positions, first, None), islice(self.ranks, first, None)
            return zip(positions, map(self.points.__getitem__, ranks), strict=True)
        return self._growing(first)

    def _growing(self, first: int) -> Iterator[Option]:
        k, size, points = first, len(self._key), self.points
        while k < size:
            self._make(k + 1)
            end = len(self.positions)
            yield from zip(
                self.positions[k:end], map(points.__getitem__, self.ranks[k:end]), strict=True
            )
            k = end


def _pattern(index: npt.NDArray[np.int64], length: _Cells, salt: int) -> _Options:
    """A list's options (its cells by their place in ``length``), least waste of the slot
    first, ties in a seeded random order of the list's own (each cell's draw mixed with
    ``salt``, the list's number), read with numpy.

    Why the list's own: activities of different lists that tie on what they displace take
    their first option of least waste; one order shared by every list sent them all to the
    same cells, and on the 400-event tracks shape (a list per speaker's barred slots) the
    construction by audiences went round ejecting for all its 16,000 steps and left 4 out
    (benchmarks/README.md, "Few rooms, many days, second pass")."""
    key = length.key[index]
    ties = _mixed(key ^ np.uint64(_mixed(np.full(1, salt, dtype=np.uint64))[0]))
    mask = np.uint64((1 << (64 - _SHIFT)) - 1)
    key = (key & ~mask) | (ties & mask)
    return _Options(key, index, length.points)
