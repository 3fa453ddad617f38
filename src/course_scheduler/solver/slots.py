"""Rooms with slot grids, pooled: an activity picks a (pool, day, slot) cell, rooms come after.

Why: with an optional interval per candidate room, every room's NoOverlap holds nearly every
activity of a multi-track event and CP-SAT's disjunctive propagation stalls (benchmarks/README.md:
no timetable for 400 events in 120 s, against under 2 s this way). Rooms of one venue that share a
slot grid are interchangeable in time, so an activity chooses one cell (pool, day, slot start)
with a literal, a room rule only bounds how many activities a cell holds, and rooms are matched
to activities after each solve. Counting is not always enough (a room barred for some
activities, capacities): then the matching finds a set of rooms too few for the activities that
can only use them (Hall's theorem), a cut says so, and the solve runs again with it.

Only rooms whose slots do not overlap qualify (an activity then starts at a slot start and ends
inside it, so two cells of a pool never overlap), and only when every activity that may use the
room qualifies too: a room shared with an interval-modelled activity stays with intervals. An
activity a ``same_room`` rule names is interval-modelled: its room is a choice the rule reads.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial, reduce
from itertools import accumulate, pairwise
from operator import iadd, itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from ..compile import Item, Problem
from ..model import NoOverlapRule, SameRoomRule, Severity
from ..rules.overlap import audience
from . import bulk

if TYPE_CHECKING:
    from .capacity import Alike
    from .ranked import Layout


@dataclass(frozen=True)
class Pool:
    venue: str | None
    grid: tuple[tuple[int, int], ...]
    rooms: tuple[str, ...]


class Cell(NamedTuple):
    pool: int
    day: int
    start: int


@dataclass(slots=True, eq=False)
class Choice:
    """One cell an activity may take, and the rooms of the pool it may use there (compared by
    identity; hundreds of thousands are made, so a plain slotted class)."""

    index: int
    """Its literal: a variable index of the model (``bulk``; ``Build.literal`` makes the
    API's object for it)."""
    item: Item
    cell: Cell
    rooms: frozenset[str]
    fit: frozenset[str] | None = None
    """The rooms that hold its audience, once asked (``PooledRooms.fits``)."""


CellOptions = list[tuple[Cell, frozenset[str]]]


class Barred(CellOptions):
    """An activity's cells made from those of activities alike with nothing barred (``base``)
    by taking the rooms its barred windows take (``PoolPlan._bar``): the same cells at the
    same positions, the rooms of those at ``changed`` another set.

    Why: a programme where every talk avoids a few slots of its own (38C3 scaled up) gives
    every talk a list of its own that differs from its base in a few places; what reads the
    lists by content (the construction's kinds of activity) reads the base once and the
    changes of each, instead of every cell of every list: at 20,000 talks over 12 days,
    2,300 cells each, that read took most of the construction and gigabytes."""

    __slots__ = ("base", "changed")

    def __init__(self, cells: CellOptions, base: CellOptions, changed: tuple[int, ...]) -> None:
        super().__init__(cells)
        self.base = base
        self.changed = changed


class ByDays(CellOptions):
    """An activity's cells made of one part per day (``parts``, in the order of its days),
    each part a list the activity's kind keeps for every activity of it that may use those
    venues on that day (``_Kind.parts``).

    Why: a programme of hundreds of days (DebConf 23 scaled by days: 264 days, 695 lists of
    2,300 cells at 10,000 events) has about as many lists as its talks / 14, each every day
    but a speaker's away one. Each list is its days' parts looked up and joined by the
    built-in functions; a loop over each list's days in Python grew with the events times
    the days."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[CellOptions]) -> None:
        super().__init__()
        reduce(iadd, parts, self)  # each part copied whole, not entry by entry
        self.parts = parts


class DaySlots(NamedTuple):
    """A pool's cells on one day for one length of activity (``PoolPlan._slots``)."""

    cells: list[Cell]
    which: list[int]
    """Per cell, its set of open rooms (a position in ``opened``)."""
    opened: list[frozenset[str]]
    """The distinct sets of open rooms, in order of first use."""


@dataclass(slots=True, eq=False)
class Options:
    """The cells an activity may take (one list shared by activities alike: ``PoolPlan.cells``)
    and their literals (``Build.literal``), without a ``Choice`` per cell: ``Choices`` makes
    those when asked."""

    item: Item
    cells: CellOptions
    literals: Sequence[int]


class Choices(Mapping[int, list[Choice]]):
    """Per pooled activity (by index), its cell choices, each activity's made when first
    asked for (in the order asked; every activity's, in their order, when all are).

    Why: a construction that answers needs one choice per activity, not one per cell it
    may take (1.4 million objects at 10,000 events, a third of the build); the choices are
    made when the model is written (``PooledRooms.choices``) or a rule reads an activity's."""

    def __init__(self) -> None:
        self.options: dict[int, Options] = {}
        self._made: dict[int, list[Choice]] = {}
        self._picked: dict[int, dict[int, Choice]] = {}

    def add(self, options: Options) -> None:
        self.options[options.item.index] = options

    def __getitem__(self, index: int) -> list[Choice]:
        made = self._made.get(index)
        if made is None:
            options = self.options[index]
            item = options.item
            made = self._made[index] = [
                Choice(literal, item, cell, rooms)
                for (cell, rooms), literal in zip(options.cells, options.literals, strict=True)
            ]
            for position, choice in self._picked.pop(index, {}).items():
                made[position] = choice  # one object per choice, whenever it was made
        return made

    def __iter__(self) -> Iterator[int]:
        return iter(self.options)

    def __len__(self) -> int:
        return len(self.options)

    def __contains__(self, index: object) -> bool:
        return index in self.options

    def choice(self, index: int, position: int) -> Choice:
        """The activity's choice of its ``position``-th cell, made alone if the others are
        not made yet."""
        made = self._made.get(index)
        if made is not None:
            return made[position]
        picked = self._picked.setdefault(index, {})
        choice = picked.get(position)
        if choice is None:
            options = self.options[index]
            cell, rooms = options.cells[position]
            choice = picked[position] = Choice(
                options.literals[position], options.item, cell, rooms
            )
        return choice

    def count(self) -> int:
        """How many choices (cell literals) there are, made or not."""
        return sum(len(options.cells) for options in self.options.values())


class _Windows:
    """An activity's barred windows on one day, sorted by start, to find those that overlap
    a cell: a window longer than ``longest`` does not exist, so one that starts that long
    before the cell or earlier has ended by the time it begins."""

    __slots__ = ("begins", "longest", "windows")

    def __init__(self, windows: list[tuple[int, int, str | None]]) -> None:
        self.windows = sorted(windows, key=itemgetter(0))
        self.begins = [begin for begin, _, _ in self.windows]
        self.longest = max(end - begin for begin, end, _ in self.windows)

    def rooms(self, start: int, end: int) -> list[str | None]:
        """The rooms of the windows that overlap ``start``-``end`` (None: a window of every
        room), in order of their starts."""
        lo = bisect_right(self.begins, start - self.longest)
        hi = bisect_left(self.begins, end, lo)
        return [room for _, until, room in self.windows[lo:hi] if start < until]


@dataclass
class PoolPlan:
    """Which rooms are pooled (and into which pool) and which activities use the pools."""

    pools: list[Pool]
    pool_of: dict[str, int]
    items: frozenset[int]
    _cells: dict[tuple[Any, ...], CellOptions] = field(default_factory=dict)
    _open: dict[tuple[int, int, int, int], frozenset[str]] = field(default_factory=dict)
    _full: dict[int, frozenset[str]] = field(default_factory=dict)
    """Each pool's rooms, the one set ``open_rooms`` gives whenever all of them are open."""
    _same: dict[frozenset[str], frozenset[str]] = field(default_factory=dict)
    """Each set of open rooms ``open_rooms`` has given, so that equal sets are one object."""
    _day_slots: dict[tuple[int, int, int, int | None], DaySlots] = field(default_factory=dict)
    _ends: dict[int, dict[int, int]] = field(default_factory=dict)
    _day_runs: dict[tuple[Any, ...], list[tuple[int, int, int]]] = field(default_factory=dict)
    _options: dict[int, tuple[int, tuple[tuple[int, str | None], ...]]] = field(
        default_factory=dict
    )
    """(id of an item's options) -> their number (``_days_of``) and the options themselves."""
    _numbers: dict[tuple[tuple[int, str | None], ...], int] = field(default_factory=dict)
    _lengths: dict[tuple[int, int | None], list[_Kind]] = field(default_factory=dict)
    """(length, start) -> its kinds (``_Kind``), in order of making."""
    _pool_days: dict[tuple[int, int | None], dict[int, set[int]]] = field(default_factory=dict)
    """(length, start) -> per pool, the days ``_active`` has found it open for that length."""
    _kinds: dict[tuple[tuple[str, ...], int, int | None], _Kind] = field(default_factory=dict)
    _open_pools: dict[tuple[int, int, int | None], list[int]] = field(default_factory=dict)
    _closed: dict[tuple[str, int], list[tuple[int, int]]] = field(default_factory=dict)
    """Each room's closed windows on one day (``open_rooms``)."""
    _members: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)
    """A list's rooms in one pool, in its order, as one set object for every list of rooms
    that has them (``_Kind``): talks barred from rooms of their own make hundreds of lists
    of rooms, nearly all of each pool's rooms in every one."""
    _allowed: dict[tuple[int, int], frozenset[str]] = field(default_factory=dict)
    """(id of a set of ``_members``, id of a set of open rooms) -> the rooms of the one open
    in the other, made once for every list of rooms that meets them."""
    _pool_cells: dict[tuple[int, int, int, int | None, int], CellOptions] = field(
        default_factory=dict
    )
    """(pool, day, length, start, id of a set of ``_members``) -> the cells there and the
    rooms of the set each may use: one list for every list of rooms with those rooms."""
    _less: dict[tuple[int, frozenset[str]], tuple[frozenset[str], frozenset[str]]] = field(
        default_factory=dict
    )
    """(id of a set of rooms, some of its rooms) -> the set, and the set less those rooms
    (``_bar``); the set is kept so that its id is not reused while the plan lives."""
    _runs: dict[tuple[int, int], dict[int, tuple[int, int]]] = field(default_factory=dict)
    """(id of a list of ``_unbarred``, day) -> each pool's run of positions in the day's part
    of the list (``_touched``)."""

    def cells(self, problem: Problem, item: Item, start: int | None) -> CellOptions:
        """The cells ``item`` may take (only slot starts equal to ``start`` when given).

        Activities alike in length, rooms, days, venues and barred windows share one answer:
        in a multi-track programme most of them are alike, and the scan over every pool, day
        and slot is the costly part of building the model. Activities alike but for their
        barred windows share the scan too (``_unbarred``): only the days a window falls on are
        read again, so a programme where every talk avoids a few slots of its own (38C3 scaled
        up, each talk barred from 1-4 slots) scans once per kind of talk, not once per talk."""
        key = (item.duration, item.rooms, self._days_of(item.options), item.barred, start)
        cells = self._cells.get(key)
        if cells is None:
            whole, days = self._unbarred(problem, item, start)
            cells = self._cells[key] = self._bar(whole, days, item) if item.barred else whole
        return cells

    def _days_of(self, options: tuple[tuple[int, str | None], ...]) -> int:
        """A number for an item's (day, venue) options, equal for equal options: looked up by
        identity (items alike share the tuple, ``compile.Shared``), each tuple hashed once.
        Why: hashing every item's options (264 pairs a talk of DebConf 23 scaled by days to
        10,000 events) as part of its key grew with the events times the days."""
        known = self._options.get(id(options))
        if known is None:  # the tuple is kept: its identity is not reused while the plan lives
            number = self._numbers.setdefault(options, len(self._numbers))
            known = self._options[id(options)] = (number, options)
        return known[0]

    def _cells_of(self, rooms_of: frozenset[str], here: DaySlots) -> CellOptions:
        """A pool's cells of one day (``here``) with the rooms of ``rooms_of`` open in each.
        A tracks programme's 620 lists of ~300 rooms meet each pool's few distinct sets of
        open rooms (rooms booked by half day) at every slot: each intersection is made once
        per set of the list's rooms and set of open ones, not once per slot or list."""
        allowed: list[frozenset[str]] = []
        known = self._allowed
        for opened in here.opened:
            key = (id(rooms_of), id(opened))
            rooms = known.get(key)
            if rooms is None:
                rooms = known[key] = rooms_of & opened
            allowed.append(rooms)
        pairs = zip(here.cells, here.which, strict=True)
        return [(cell, allowed[k]) for cell, k in pairs if allowed[k]]

    def _bar(self, cells: CellOptions, days: list[tuple[int, int, int]], item: Item) -> CellOptions:
        """``cells`` (the item's, nothing barred; each day's run in ``days``) less the rooms
        its barred windows take: a window without a room takes the cell, one with a room that
        room. Days without a window are copied as they are, and so is each cell no window
        takes a room of; a set less some rooms is made once for every talk barred from those
        rooms there (``_less``). A programme where every talk avoids a few slots of its own
        made a new pair for each of its cells on those days, and a new set for each cell a
        window overlapped in time, in whatever pool, with the same rooms nearly always: 0.4
        GiB at 10,000 talks of 38C3 scaled up. A list that keeps every cell says so: it is ``cells``
        itself when no room was taken, else a ``Barred`` naming the positions changed.

        A cell's windows are found by bisection in the day's windows sorted by start
        (``_Windows``), and the rooms they take leave its set in one step: a talk barred from
        ~200 (room, slot) pairs of its own (a third of 10,000 peer events, each away from 2 %
        of the slots, room by room) read every window of the day at every cell (1.8 s), and
        took its rooms one at a time, keeping each step's set (194,000 sets of ~120 rooms:
        0.8 GiB)."""
        bars: dict[int, list[tuple[int, int, str | None]]] = {}
        for day, begin, end, barred_room in item.barred:
            bars.setdefault(day, []).append((begin, end, barred_room))
        duration = item.duration
        less = self._less
        changed: dict[int, frozenset[str]] = {}
        for day, first, last in days:
            barring = bars.get(day)
            if barring is None:
                continue
            windows = _Windows(barring)
            for position in self._touched(cells, day, first, last, barring):
                cell, rooms = cells[position]
                taken = windows.rooms(cell.start, cell.start + duration)
                if not taken:
                    continue
                if None in taken:
                    changed[position] = frozenset()
                    continue
                removed = rooms.intersection(taken)
                if not removed:
                    continue
                key = (id(rooms), removed)
                found = less.get(key)
                if found is None:
                    found = less[key] = (rooms, rooms - removed)
                changed[position] = found[1]
        if not changed:
            return cells
        if all(changed.values()):
            kept = Barred(cells, cells, tuple(sorted(changed)))
            for position, rooms in changed.items():
                kept[position] = (cells[position][0], rooms)
            return kept
        return [
            pair if k not in changed else (pair[0], changed[k])
            for k, pair in enumerate(cells)
            if changed.get(k, True)
        ]

    def _touched(
        self,
        cells: CellOptions,
        day: int,
        first: int,
        last: int,
        barring: list[tuple[int, int, str | None]],
    ) -> Iterable[int]:
        """The positions of ``cells`` (the day's run ``first``-``last``) a day's windows may
        take a room of: every one when a window takes whole cells, else those of the pools
        of the rooms the windows take. Each pool's run in a day's cells is found once for
        every activity barred there (``_runs``). Why: a talk barred from one room of one slot
        read every cell of the day (twelve days of 38C3 copied eight times: 200 cells a day
        at 20,000 events, for each of the talk's 1-4 barred slots)."""
        if any(barred is None for _, _, barred in barring):
            return range(first, last)
        runs = self._runs.get((id(cells), day))
        if runs is None:
            runs = self._runs[(id(cells), day)] = {}
            for position in range(first, last):
                pool = cells[position][0].pool
                runs[pool] = (runs.get(pool, (position, 0))[0], position + 1)
        pools = {self.pool_of.get(room) for _, _, room in barring if room is not None}
        spans = sorted({runs[pool] for pool in pools if pool in runs})
        return [k for lo, hi in spans for k in range(lo, hi)]

    def _unbarred(
        self, problem: Problem, item: Item, start: int | None
    ) -> tuple[CellOptions, list[tuple[int, int, int]]]:
        """The item's cells as if nothing were barred, and where each day's run of them lies
        in that list: (day, first, last + 1)."""
        key = (item.duration, item.rooms, self._days_of(item.options), (), start)
        cells = self._cells.get(key)
        days = self._day_runs.get(key)
        if cells is None or days is None:
            cells, days = self._scan(problem, item, start)
            self._cells[key], self._day_runs[key] = cells, days
        return cells, days

    def _scan(
        self, problem: Problem, item: Item, start: int | None
    ) -> tuple[CellOptions, list[tuple[int, int, int]]]:
        """Per day, pool and slot long enough (``_slots``), the item's rooms there that are
        open (barred windows aside: ``_bar``), and each day's run in the list. Each day's
        cells are read once per length and rooms (``_Kind.day_cells``) and copied into the lists
        of the items of those that differ in their days and venues: a programme of hundreds
        of days (DebConf 23 scaled by days, 264 days at 10,000 events) has hundreds of
        such lists (a speaker away one day), and reading every pool on every day for each
        made the build grow with the events times the days. An item that may use the same
        venues every day (most: ``compile._options``) takes its kind's parts of its days
        (``_Kind.parts``, ``ByDays``), without a step per day in Python."""
        kind = self._kinds.get((item.rooms, item.duration, start))
        if kind is None:
            alike = self._lengths.setdefault((item.duration, start), [])
            kind = self._kinds[(item.rooms, item.duration, start)] = _Kind(
                self, item.rooms, item.duration, start, alike
            )
            alike.append(kind)
        if len(set(item.options)) == len(item.days) * len(item.venues):  # same venues each day
            parts = kind.parts(problem, item.days, frozenset(item.venues))
            ends = list(accumulate(map(len, parts)))
            return ByDays(parts), list(zip(item.days, [0, *ends[:-1]], ends, strict=True))
        venues: dict[int, set[str | None]] = defaultdict(set)
        for day, venue in item.options:
            venues[day].add(venue)
        cells: CellOptions = []
        days: list[tuple[int, int, int]] = []
        for day in item.days:
            first = len(cells)
            here = venues[day]
            for venue, found in kind.day_cells(problem, day):
                if venue in here:
                    cells += found
            days.append((day, first, len(cells)))
        return cells, days

    def _active(self, problem: Problem, day: int, duration: int, start: int | None) -> list[int]:
        """The pools (in order) with a cell on ``day`` long enough for ``duration`` and a room
        open there: in a programme copied by days most pools are closed on most days."""
        key = (day, duration, start)
        found = self._open_pools.get(key)
        if found is None:
            found = self._open_pools[key] = [
                index
                for index in range(len(self.pools))
                if any(self._slots(problem, index, day, duration, start).opened)
            ]
            days_of = self._pool_days.setdefault((duration, start), {})
            for index in found:
                days_of.setdefault(index, set()).add(day)
        return found

    def _slots(
        self, problem: Problem, pool: int, day: int, duration: int, start: int | None
    ) -> DaySlots:
        """The cells of ``pool`` on ``day`` whose slot is long enough for ``duration`` (and
        starts at ``start`` when given), with the rooms open throughout each one's first
        ``duration`` minutes: the same for every activity of that length."""
        key = (pool, day, duration, start)
        found = self._day_slots.get(key)
        if found is None:
            cells: list[Cell] = []
            which: list[int] = []
            opened: list[frozenset[str]] = []
            number: dict[int, int] = {}
            for s, e in self.pools[pool].grid:
                if e - s < duration or (start is not None and s != start):
                    continue
                rooms = self.open_rooms(problem, pool, day, s, s + duration)
                k = number.get(id(rooms))
                if k is None:
                    k = number[id(rooms)] = len(opened)
                    opened.append(rooms)
                cells.append(Cell(pool, day, s))
                which.append(k)
            found = self._day_slots[key] = DaySlots(cells, which, opened)
        return found

    def slot_end(self, cell: Cell) -> int:
        """When the slot a cell stands for ends."""
        ends = self._ends.get(cell.pool)
        if ends is None:
            ends = self._ends[cell.pool] = dict(self.pools[cell.pool].grid)
        return ends[cell.start]

    def open_rooms(
        self, problem: Problem, pool: int, day: int, start: int, end: int
    ) -> frozenset[str]:
        """The rooms of ``pool`` not closed at any time in [start, end) on ``day``; equal
        sets are one object (built alike from the pool's rooms in order, so they iterate
        alike), which ``_scan`` reads by identity."""
        key = (pool, day, start, end)
        rooms = self._open.get(key)
        if rooms is None:
            if not self._closed and problem.room_closed:
                for room, windows in problem.room_closed.items():
                    for d, b, e in windows:
                        self._closed.setdefault((room, d), []).append((b, e))
            closed = self._closed
            rooms = frozenset(
                room
                for room in self.pools[pool].rooms
                if not any(b < end and start < e for b, e in closed.get((room, day), ()))
            )
            if pool not in self._full:  # built as ``rooms`` is, so it iterates in the same order
                full = self._full[pool] = frozenset(room for room in self.pools[pool].rooms)
                self._same.setdefault(full, full)
            self._open[key] = rooms = self._same.setdefault(rooms, rooms)
        return rooms


class _Kind:
    """The cells of one length of item and one list of rooms (and start, when fixed), day by
    day, read once for every item of them whatever its days and venues (``PoolPlan._scan``).
    Each pool's part is the plan's (``PoolPlan._pool_cells``), shared by every list with the
    same rooms in that pool: lists that differ in a few rooms share the rest."""

    def __init__(
        self,
        plan: PoolPlan,
        rooms: tuple[str, ...],
        duration: int,
        start: int | None,
        alike: list[_Kind],
    ) -> None:
        self.plan, self.duration, self.start = plan, duration, start
        by_pool: dict[int, list[str]] = defaultdict(list)
        for room in rooms:
            by_pool[plan.pool_of[room]].append(room)
        self.mine: dict[int, frozenset[str]] = {}
        for index, listed in by_pool.items():
            key = tuple(listed)
            found = plan._members.get(key)
            if found is None:
                found = plan._members[key] = frozenset(key)
            self.mine[index] = found
        self.days: dict[int, list[tuple[str | None, CellOptions]]] = {}
        self.by_venues: dict[frozenset[str | None], dict[int, CellOptions]] = {}
        """Per set of venues, each day's part (``parts``)."""
        self.alike, self.made = alike, len(alike)
        self.like: _Kind | None = None
        """The kind of the same length made before this one (``alike``) whose rooms differ
        from these in fewest pools (``differ``): on a day none of those pools is open, the
        two have the same cells, and this kind takes that one's parts (``parts``). Looked
        for only when a list has more days to read than the plan has pools: comparing the
        kinds' rooms pool by pool costs more than a few days' reading (FOSDEM 2020 scaled:
        2 days, 76 pools, 300 kinds)."""
        self.differ: set[int] = set()
        self.compared = False

    def _compare(self) -> None:
        """``like`` and ``differ``, from the kinds of the same length made before."""
        self.compared = True
        for other in self.alike[: self.made]:
            pools = self.mine.keys() | other.mine.keys()
            differ = {p for p in pools if self.mine.get(p) is not other.mine.get(p)}
            if self.like is None or len(differ) < len(self.differ):
                self.like, self.differ = other, differ

    def day_cells(self, problem: Problem, day: int) -> list[tuple[str | None, CellOptions]]:
        """The day's cells, pool by pool in order, with each pool's venue."""
        found = self.days.get(day)
        if found is None:
            found = self.days[day] = []
            plan, mine = self.plan, self.mine
            duration, start = self.duration, self.start
            for index in plan._active(problem, day, duration, start):
                rooms_of = mine.get(index)
                if rooms_of is None:
                    continue
                key = (index, day, duration, start, id(rooms_of))
                cells = plan._pool_cells.get(key)
                if cells is None:
                    cells = plan._pool_cells[key] = plan._cells_of(
                        rooms_of, plan._slots(problem, index, day, duration, start)
                    )
                if cells:
                    found.append((plan.pools[index].venue, cells))
        return found

    def parts(
        self, problem: Problem, days: tuple[int, ...], venues: frozenset[str | None]
    ) -> list[CellOptions]:
        """Per day of ``days``, the day's cells (``day_cells``) of the pools whose venue is
        one of ``venues``: one list per day and set of venues, made once for every activity
        of the kind that may use those venues on that day. A list is then its days' parts
        looked up and joined by the built-in functions: the loop over each list's days in
        Python grew with the lists times the days (0.28 s of the build at 10,000 events of
        DebConf 23 scaled by days)."""
        known = self.by_venues.get(venues)
        if known is None:
            known = self.by_venues[venues] = {}
        missing = set(days).difference(known)
        if not self.compared and len(missing) > len(self.plan.pools):
            self._compare()
        theirs = self.like.by_venues.get(venues) if self.like is not None else None
        if missing and theirs:
            opened = self.plan._pool_days.get((self.duration, self.start), {})
            differ = set().union(*(opened.get(pool, ()) for pool in self.differ))
            same = missing.intersection(theirs).difference(differ)
            known.update(zip(same, map(theirs.__getitem__, same), strict=True))
            missing.difference_update(same)
        for day in sorted(missing):
            here = [found for venue, found in self.day_cells(problem, day) if venue in venues]
            known[day] = here[0] if len(here) == 1 else reduce(iadd, here, [])
        return list(map(known.__getitem__, days))


def plan_pools(problem: Problem) -> PoolPlan | None:
    """Pool the rooms that qualify; None when none does (or a soft room rule needs intervals)."""
    rules = [r for r in problem.rules if isinstance(r, NoOverlapRule) and r.resource == "room"]
    if any(r.severity == Severity.SOFT for r in rules):
        return None
    gridded = {room for room, slots in problem.room_slots.items() if _disjoint(slots)}
    together = {x for r in problem.rules if isinstance(r, SameRoomRule) for x in r.activities}
    # each list of rooms is read once, by identity: activities alike share one (compile), and
    # reading each activity's made this quadratic (10,000 talks of ~300 rooms: 3 million reads)
    covered = _once(lambda rooms: gridded.issuperset(rooms))
    paired = _exempt_sharing_rooms(problem)
    pooled = {
        i.index
        for i in problem.items
        if i.rooms
        and not i.elastic
        and i.id not in together  # one room for several: a room literal each, not a count
        and i.index not in paired
        and covered(i.rooms)
    }
    while True:
        shared = {r for i in problem.items if i.index not in pooled for r in i.rooms}
        if not shared:
            break
        apart = _once(shared.isdisjoint)
        kept = {i for i in pooled if apart(problem.items[i].rooms)}
        if kept == pooled:
            break
        pooled = kept
    if not pooled:
        return None
    lists = {id(rooms): rooms for rooms in (problem.items[i].rooms for i in pooled)}
    rooms = sorted(set().union(*lists.values()))  # each shared list of rooms read once
    keys: dict[tuple[str | None, tuple[tuple[int, int], ...]], list[str]] = defaultdict(list)
    for room in rooms:
        keys[(problem.room_venue.get(room), tuple(sorted(problem.room_slots[room])))].append(room)
    pools = [Pool(venue, grid, tuple(members)) for (venue, grid), members in keys.items()]
    pool_of = {room: index for index, pool in enumerate(pools) for room in pool.rooms}
    return PoolPlan(pools, pool_of, frozenset(pooled))


def _exempt_sharing_rooms(problem: Problem) -> set[int]:
    """The blocks and their own parts that may use a room in common: the room rule leaves
    such a pair alone (``exempt_pair``; rides, the other exempt pairs, have no rooms), and a
    cell's count of activities per room cannot, so they keep a room literal each, as the
    checker reads them: pooled, a workshop and its own part in its one room had no
    timetable. What shares their rooms leaves the pools with them (``plan_pools``)."""
    found: set[int] = set()
    for item in problem.items:
        if item.block is None or not item.rooms:
            continue
        block = problem.item(item.block)
        if not set(item.rooms).isdisjoint(block.rooms):
            found.update((item.index, block.index))
    return found


def _once(test: Callable[[tuple[str, ...]], bool]) -> Callable[[tuple[str, ...]], bool]:
    """``test`` of a list of rooms, answered once per list object (the lists live in the
    problem, so an identity is never reused while it is asked)."""
    known: dict[int, bool] = {}

    def answer(rooms: tuple[str, ...]) -> bool:
        found = known.get(id(rooms))
        if found is None:
            found = known[id(rooms)] = test(rooms)
        return found

    return answer


Containment = dict[frozenset[str], list[frozenset[str]]]
"""For each set of rooms of a cell (and all of its rooms), the sets of the cell inside it."""


def _bound(
    model: Any,
    usable: list[tuple[int, frozenset[str]]],
    everything: frozenset[str],
    guard: list[Any],
    slack: int | None = None,
    known: dict[Any, Containment] | None = None,
) -> None:
    """For each set of rooms some activity is limited to (and for all of them): at most that
    many activities limited to it, plus ``slack`` (an integer variable's index). Necessary by
    Hall's theorem; the cuts add what is missing. Literals are variable indices (``bulk``).
    ``known``: containments already worked out, by the cell's family of sets (cells of one
    half day hold the same activities, so most cells repeat one)."""
    by_rooms: dict[frozenset[str], list[int]] = {}
    for literal, rooms in usable:
        by_rooms.setdefault(rooms, []).append(literal)
    subsets = dict.fromkeys([*by_rooms, *([everything] if everything else [])])  # in order
    enforcement = [bulk.index_of(g) for g in guard]
    key = (frozenset(by_rooms), everything)
    contained = known.get(key) if known is not None else None
    if contained is None:
        contained = _containment(list(subsets), list(by_rooms))
        if known is not None:
            known[key] = contained
    for subset in subsets:
        inside = contained[subset]
        if sum(len(by_rooms[rooms]) for rooms in inside) > len(subset):
            members = [literal for rooms in inside for literal in by_rooms[rooms]]
            bulk.at_most(model, members, len(subset), enforcement, slack)


def _containment(subsets: list[frozenset[str]], sets: list[frozenset[str]]) -> Containment:
    """The ``sets`` inside each of ``subsets``, smallest first. A cell of a large conference
    holds hundreds of distinct sets (each talk barred from rooms of its own): only sets no
    larger than the subset are tested, by the built-in subset test (which stops at the first
    room missing)."""
    order = sorted(sets, key=len)
    sizes = [len(rooms) for rooms in order]
    return {
        subset: [rooms for rooms in order[: bisect_right(sizes, len(subset))] if rooms <= subset]
        for subset in subsets
    }


Spans = dict[tuple[int, int], list[int]]
"""An activity's cell literals by the time they give it: (start, end) in absolute minutes."""


def time_cliques(members: list[Spans]) -> list[list[int]]:
    """At most one of several activities at any moment, over their cell literals.

    Two intervals overlap exactly when both contain the later start, so "at most one literal
    whose interval covers t" for every start t says it all (intervals have the Helly property);
    a point whose intervals are a subset of a neighbour's adds nothing and is dropped.
    Clause-like at-most-one constraints propagate as soon as a literal is set, where a NoOverlap
    over intervals whose starts have holes waits for bounds to move (and stalled on the denser
    conference instances, benchmarks/README.md)."""
    spans = [
        (start, end, k, literals)
        for k, m in enumerate(members)
        for (start, end), literals in m.items()
    ]
    spans.sort(key=lambda x: x[:3])
    points = sorted({span[0] for span in spans})
    covering: list[list[int]] = []
    running: list[int] = []
    nxt = 0
    for t in points:
        running = [j for j in running if spans[j][1] > t]
        while nxt < len(spans) and spans[nxt][0] <= t:
            running.append(nxt)
            nxt += 1
        covering.append(running)
    sets = [frozenset(here) for here in covering]
    cliques = []
    for j, here in enumerate(covering):
        if len({spans[x][2] for x in here}) < 2 or (j and sets[j] == sets[j - 1]):
            continue
        if any(sets[j] < sets[n] for n in (j - 1, j + 1) if 0 <= n < len(sets)):
            continue
        cliques.append([literal for x in here for literal in spans[x][3]])
    return cliques


def _disjoint(slots: tuple[tuple[int, int], ...]) -> bool:
    ordered = sorted(slots)
    return all(a[1] <= b[0] for a, b in pairwise(ordered))


@dataclass(frozen=True)
class Ladder:
    """A set of rooms sorted once by size, so that the rooms that hold an audience, and the
    order in which an activity wants them, are read off by bisection for each audience size
    (a conference's audiences are all different sizes; sorting the rooms for each was most of
    the room matching at 10,000 talks)."""

    everything: list[str]
    """Every room by (size, name), a room without a figure as size 0."""
    unlimited: list[str]
    """Rooms without a figure (they hold any audience), by name."""
    ascending: list[str]
    """Rooms with a figure, by (size, name)."""
    sizes: list[int]
    descending: list[str]
    """Rooms with a figure, by (-size, name)."""
    negated: list[int]
    """Their sizes negated (ascending)."""

    @classmethod
    def of(cls, rooms: frozenset[str], capacity: dict[str, int | None]) -> Ladder:
        sized = {room: size for room in rooms if (size := capacity.get(room)) is not None}
        ascending = sorted(sized, key=lambda room: (sized[room], room))
        descending = sorted(sized, key=lambda room: (-sized[room], room))
        return cls(
            everything=sorted(rooms, key=lambda room: (capacity.get(room) or 0, room)),
            unlimited=sorted(room for room in rooms if room not in sized),
            ascending=ascending,
            sizes=[sized[room] for room in ascending],
            descending=descending,
            negated=[-sized[room] for room in descending],
        )

    def within(self, rooms: frozenset[str], capacity: dict[str, int | None]) -> Ladder | None:
        """``Ladder.of(rooms)`` for rooms all among this ladder's, read off its lists in
        order (no sorting: each list keeps its order when rooms leave it); None when some
        room of ``rooms`` is not among them."""
        everything = [room for room in self.everything if room in rooms]
        if len(everything) != len(rooms):
            return None
        ascending = [room for room in self.ascending if room in rooms]
        descending = [room for room in self.descending if room in rooms]
        return Ladder(
            everything=everything,
            unlimited=[room for room in self.unlimited if room in rooms],
            ascending=ascending,
            sizes=[capacity[room] or 0 for room in ascending],
            descending=descending,
            negated=[-(capacity[room] or 0) for room in descending],
        )

    def first(
        self,
        need: int,
        preferred: str | None,
        rooms: frozenset[str],
        capacity: dict[str, int | None],
    ) -> str | None:
        """``order(need, preferred)[0]`` (``rooms``: this ladder's) without making the order:
        a cell whose activities each want a room of their own is matched by these alone, and
        making every order took time in rooms times activities."""
        mine = preferred if preferred is not None and preferred in rooms else None
        if mine is not None:
            size = capacity.get(mine)
            if need <= 0 or size is None or size >= need:
                return mine
        if need <= 0:
            return self.everything[0] if self.everything else None
        if self.unlimited:
            return self.unlimited[0]
        at = bisect_left(self.sizes, need)
        if at < len(self.ascending):
            return self.ascending[at]
        if mine is not None:
            return mine
        below = bisect_right(self.negated, -need)
        return self.descending[below] if below < len(self.descending) else None

    def fitting(self, need: int) -> list[str]:
        """The rooms that hold ``need``, smallest first (those without a figure before all);
        a new list."""
        if need <= 0:
            return list(self.everything)
        return self.unlimited + self.ascending[bisect_left(self.sizes, need) :]

    def order(self, need: int, preferred: str | None) -> list[str]:
        """Rooms that hold the audience, smallest first; then the others, largest first (450
        people are better off in 400 seats than in 60); ``preferred`` first of its kind."""
        fitting = self.fitting(need)
        others = [] if need <= 0 else self.descending[bisect_right(self.negated, -need) :]
        for rooms in (fitting, others):
            if preferred is not None and preferred in rooms:
                at = rooms.index(preferred)
                rooms[:] = [preferred, *rooms[:at], *rooms[at + 1 :]]
        return [*fitting, *others]


@dataclass
class CapacityLimit:
    """A capacity rule as it applies to pooled activities: hard (guard) or soft (weight)."""

    guard: list[Any]
    weight: int | None


@dataclass
class PooledRooms:
    """The pooled part of one model: choices per cell, the room and capacity rules on them,
    and the matching of rooms after a solve."""

    problem: Problem
    plan: PoolPlan
    model_of: Callable[[], Any]
    """The CP-SAT model, when the pool writes to it (``Build.model``: with whatever the build
    holds back written first)."""
    by_item: Choices = field(default_factory=Choices)
    """Per pooled activity (by index, in the order they were made), the cells it may take:
    ``Build`` fills it."""
    exclusive: list[list[Any]] = field(default_factory=list)
    capacity: list[CapacityLimit] = field(default_factory=list)
    short: dict[Cell, Any] = field(default_factory=dict)
    """Soft capacity: per cell, how many activities that fit some room find none free."""
    preferred: dict[int, str] = field(default_factory=dict)
    explain: bool = False
    """Building a model for explanations: no implied bound that needs the room rule."""
    inexact: bool = False
    _need: dict[int, int | None] = field(default_factory=dict)
    _fits: dict[tuple[frozenset[str], int], frozenset[str]] = field(default_factory=dict)
    _matched: dict[Cell, tuple[tuple[int, ...], dict[int, str]]] = field(default_factory=dict)
    _orders: dict[tuple[frozenset[str], int, str | None], list[str]] = field(default_factory=dict)
    _known: dict[Any, Containment] = field(default_factory=dict)
    _ladders: dict[frozenset[str], Ladder] = field(default_factory=dict)
    _alike_orders: dict[tuple[int, int, str | None], list[str]] = field(default_factory=dict)
    """Rankings by (id of a ladder kept in ``_ladders``, rooms too small, preferred)."""
    _pool_ladders: dict[int, Ladder] = field(default_factory=dict)
    _layouts: dict[int, Layout] = field(default_factory=dict)
    """Each ladder's arrays for the flow's costs (``ranked.layout``), by the ladder's identity
    (every ladder is kept in ``_ladders``)."""
    _pool_sets: dict[int, frozenset[str]] = field(default_factory=dict)
    _by_cell: dict[Cell, list[Choice]] = field(default_factory=lambda: defaultdict(list))
    _indexed: int = -1
    """How many activities of ``by_item`` ``_by_cell`` holds (-1: not made yet)."""
    _shortfall: int | None = None
    """``fitting_shortfall`` once worked out (the choices do not change after the build)."""
    _figures: list[int] | None = None
    """The distinct room sizes, ascending (``audience_class``)."""
    _misfit: bool | None = None
    """``may_misfit`` once worked out."""

    @property
    def model(self) -> Any:
        return self.model_of()

    @property
    def choices(self) -> dict[Cell, list[Choice]]:
        """The choices by cell, each cell's in the order of its activities. Made when first
        asked, not as the choices are: when a checked construction is the answer nothing
        asks (1.4 million choices filed by cell at 10,000 events for nothing)."""
        if self._indexed != len(self.by_item):
            self._file()
        return self._by_cell

    def _file(self, on_time: Callable[[], None] | None = None) -> None:
        """File every activity's choices by cell (``on_time`` between activities: making
        the choices of 10,000 activities takes a second)."""
        by_cell = self._by_cell = defaultdict(list)
        for k, index in enumerate(self.by_item):
            if on_time is not None and k % 256 == 0:
                on_time()
            for choice in self.by_item[index]:
                by_cell[choice.cell].append(choice)
        self._indexed = len(self.by_item)

    def make_exclusive(self, guard: list[Any]) -> None:
        """A room rule holds (under ``guard``): one activity per room and cell."""
        self.exclusive.append(guard)

    def limit_capacity(self, guard: list[Any] | None = None, weight: int | None = None) -> None:
        """A capacity rule holds: hard under ``guard``, or soft at ``weight`` per audience
        that does not fit its room."""
        self.capacity.append(CapacityLimit(guard or [], weight))

    def rooms(self, cell: Cell) -> tuple[str, ...]:
        return self.plan.pools[cell.pool].rooms

    def pool_rooms(self, cell: Cell) -> frozenset[str]:
        """The rooms of a cell's pool as a set (one object per pool)."""
        rooms = self._pool_sets.get(cell.pool)
        if rooms is None:
            rooms = self._pool_sets[cell.pool] = frozenset(self.rooms(cell))
        return rooms

    def need(self, item: Item) -> int | None:
        try:
            return self._need[item.index]
        except KeyError:
            need = self._need[item.index] = audience(self.problem, item)
            return need

    def fits(self, choice: Choice) -> frozenset[str]:
        """The rooms of ``choice`` that hold its audience (all of them without a figure);
        kept on the choice, which is asked several times while the model is written."""
        if choice.fit is not None:
            return choice.fit
        fit = choice.fit = self._fitting(choice.item, choice.rooms)
        return fit

    def _fitting(self, item: Item, rooms: frozenset[str]) -> frozenset[str]:
        return self._holding(self.need(item), rooms)

    def _holding(self, need: int | None, rooms: frozenset[str]) -> frozenset[str]:
        """The rooms of ``rooms`` that hold an audience of ``need`` (all: None)."""
        if need is None:
            return rooms
        key = (rooms, need)
        fit = self._fits.get(key)
        if fit is None:
            ladder = self._ladder(rooms)
            fit = self._fits[key] = frozenset(ladder.fitting(need))
        return fit

    def _ladder(self, rooms: frozenset[str]) -> Ladder:
        """The ladder of a set of rooms: read off its pool's (the rooms of a cell, and those
        of them that hold an audience, are all of one pool), sorted only when they are not,
        or are few of the pool's (reading the pool's lists would cost more than sorting).
        Why: a cell of a large conference holds hundreds of rooms, and sorting each set
        three ways grew with its rooms times the sets (55 times the time at 10 times the
        events of the tracks shape)."""
        ladder = self._ladders.get(rooms)
        if ladder is None:
            capacity = self.problem.room_capacity
            pool = self.plan.pool_of.get(next(iter(rooms))) if rooms else None
            found = None
            if pool is not None and 8 * len(rooms) >= len(self.plan.pools[pool].rooms):
                found = self._pool_ladder(pool).within(rooms, capacity)
            ladder = self._ladders[rooms] = found or Ladder.of(rooms, capacity)
        return ladder

    def _pool_ladder(self, pool: int) -> Ladder:
        ladder = self._pool_ladders.get(pool)
        if ladder is None:
            rooms = frozenset(self.plan.pools[pool].rooms)
            ladder = self._pool_ladders[pool] = Ladder.of(rooms, self.problem.room_capacity)
        return ladder

    # --- posting, once every rule has said what it needs -----------------------------------

    def soft_weights(self) -> list[int]:
        """The weights of the soft capacity rules that ``post`` counts in the objective (none
        when soft rules cost nothing in it: no need to count them)."""
        if self.problem.programme.objective.soft_rules == 0 or not self.may_misfit():
            return []
        return [c.weight for c in self.capacity if c.weight is not None]

    def may_misfit(self) -> bool:
        """Some pooled activity may use a room too small for its audience: the capacity rule
        of the interval model posts a term exactly then, and without one a count (and a rank
        of the objective) would cost nothing. Each shared list of rooms is read once per
        audience."""
        if self._misfit is None:
            capacity = self.problem.room_capacity
            smallest: dict[int, int | None] = {}
            self._misfit = False
            for options in self.by_item.options.values():
                need = self.need(options.item)
                if need is None:
                    continue
                rooms = options.item.rooms
                low = smallest.get(id(rooms), -1)
                if low == -1:
                    figures = [size for r in rooms if (size := capacity.get(r)) is not None]
                    low = smallest[id(rooms)] = min(figures, default=None)
                if low is not None and need > low:
                    self._misfit = True
                    break
        return self._misfit

    def post(
        self, penalty_counts: list[tuple[int, Any, int]], on_time: Callable[[], None] | None = None
    ) -> None:
        """``on_time``: called between cells (the solve's time limit may stop the build)."""
        if self._indexed != len(self.by_item):
            self._file(on_time)
        hard = [c.guard for c in self.capacity if c.weight is None]
        soft = self.soft_weights()
        for cell, choices in self.choices.items():
            if on_time is not None:
                on_time()
            by_rooms = [(c.index, c.rooms) for c in choices]
            by_fit = [(c.index, self.fits(c)) for c in choices] if hard or soft else []
            for guard in hard:
                for literal, fit in by_fit:
                    if not fit:
                        negated = bulk.literal(self.model, literal).Not()
                        self.model.add_bool_or([negated]).only_enforce_if(guard)
            for guard in self.exclusive:
                _bound(self.model, by_rooms, self.pool_rooms(cell), guard, known=self._known)
                for capacity_guard in hard:
                    guards = [*guard, *capacity_guard]
                    _bound(self.model, by_fit, frozenset(), guards, known=self._known)
            if soft and self.exclusive:
                self._short_of_rooms(cell, [(lit, fit) for lit, fit in by_fit if fit])
        if soft:
            self._count_unfit(soft, penalty_counts, on_time)

    def _short_of_rooms(self, cell: Cell, by_fit: list[tuple[int, frozenset[str]]]) -> None:
        """Soft capacity, one room per activity: the activities of a cell that fit some room
        but find none free, at least (activities limited to a set of rooms) - (its size)."""
        if not by_fit:
            return
        short = self.model.new_int_var(0, len(by_fit), f"short_{cell}")
        self.short[cell] = short
        _bound(self.model, by_fit, frozenset(), [], bulk.index_of(short), self._known)

    def _count_unfit(
        self,
        weights: list[int],
        penalty_counts: list[tuple[int, Any, int]],
        on_time: Callable[[], None] | None = None,
    ) -> None:
        """Soft capacity as one count: activities placed where no room holds their audience,
        plus, per cell, those left without a room that holds them.

        An activity that fits no room anywhere is a constant (the solver need not prove that
        the sum of its cells is one). The count's lower bound is what a maximum matching of
        activities to the (room, day, slot) places that hold them leaves over: no timetable
        does better, and as the domain of the count it becomes the objective's bound at once
        (the peer's 400-event instance: proven optimal in about a second, not in 120 s)."""
        unfit: dict[int, list[int]] = defaultdict(list)
        total: dict[int, int] = defaultdict(int)
        for choices in self.choices.values():
            if on_time is not None:  # seconds over a 10,000-event conference's choices
                on_time()
            for choice in choices:
                total[choice.item.index] += 1
                if not self.fits(choice):
                    unfit[choice.item.index].append(choice.index)
        never = sum(1 for index, literals in unfit.items() if len(literals) == total[index])
        misplaced = [lit for i, lits in unfit.items() if len(lits) < total[i] for lit in lits]
        upper = len(misplaced) + sum(len(self.choices[cell]) for cell in self.short)
        if on_time is not None:
            on_time()
        # the bound looks at the clock too: a what-if's model of 10,000 talks free to change
        # days read it for 12 s past its time limit under load
        lower = self.fitting_shortfall(on_time) if self.exclusive and not self.explain else 0
        count = self.model.new_int_var(min(lower, upper), upper, "unfit_audiences")
        terms = [(bulk.index_of(count), 1)] + [(x, -1) for x in misplaced]
        terms += [(bulk.index_of(short), -1) for short in self.short.values()]
        bulk.linear(self.model, terms, 0, 0)
        for weight in weights:
            penalty_counts.append((weight, count + never, upper + never))

    def never_fit(self) -> int:
        """How many activities no room of any cell they may take can seat (``_count_unfit``'s
        constant), read from their options without a choice per cell: most fit in their
        first cell, and the sets of rooms are shared, so this costs about one look each."""
        never = 0
        for options in self.by_item.options.values():
            item, seen = options.item, set()
            for _, rooms in options.cells:
                if id(rooms) not in seen:
                    seen.add(id(rooms))
                    if self._fitting(item, rooms):
                        break
            else:
                never += 1 if options.cells else 0
        return never

    def fitting_shortfall(self, on_time: Callable[[], None] | None = None) -> int:
        """How many activities that fit some place cannot all have one, at least: what a
        maximum matching to the (room, day, slot) places holding their audience leaves out
        (when that graph is small enough to build), or what a flow over the rooms of each cell
        counted by capacity leaves out (``capacity.py``: built at any size, equal to the
        matching's unless rooms are barred for some activities); the larger of the two.
        ``on_time``: called as the lists of cells are read (``capacity.py``: each list once
        and each group of alike activities once, 2 s at 10,000 generated conference talks
        where filing and reading their 12.4 million choices took 21 s), and raises when time
        is out."""
        if self._shortfall is None:
            self._shortfall = self._fitting_shortfall(on_time)
        return self._shortfall

    def _fitting_shortfall(self, on_time: Callable[[], None] | None) -> int:
        from .capacity import shortfall_bound

        groups = self.alike()
        counted = shortfall_bound(groups, self.problem.room_capacity, on_time)
        size = 0
        for group in groups:  # up to the limit, not every choice's rooms
            size += group.activities * sum(len(group.fit(rooms)) for _, rooms in group.cells)
            if size > MATCHING_LIMIT:
                return counted
        if self._indexed != len(self.by_item):  # the choices, looking at the clock as filed
            self._file(on_time)
        places: dict[int, set[tuple[int, int, str]]] = defaultdict(set)
        for cell, choices in self.choices.items():
            for choice in choices:
                for room in self.fits(choice):
                    places[choice.item.index].add((cell.day, cell.start, room))
        return max(counted, len(places) - len(maximum_matching(places)))

    def alike(self) -> list[Alike]:
        """The pooled activities, those with one list of cells (``Options.cells``) and
        audiences the same rooms hold counted together, for the flow of ``capacity.py``.
        Two audiences are held by the same rooms of every set when no room's figure lies
        between them (``_audience_class``)."""
        from .capacity import Alike

        groups: dict[tuple[int, int | None], list[Any]] = {}
        for options in self.by_item.options.values():
            need = self.need(options.item)
            audience = self.audience_class(options.item)
            group = groups.get((id(options.cells), audience))
            if group is None:
                groups[(id(options.cells), audience)] = [options.cells, need, audience, 1]
            else:
                group[3] += 1
        return [
            Alike(cells, partial(self._holding, need), audience, count)
            for cells, need, audience, count in groups.values()
        ]

    def fix_rooms(self, placed: list[tuple[Choice, str | None]]) -> None:
        """A timetable's own rooms, for checking it as a point of the model: the counting
        bounds cannot see two activities given the same room, or an audience too large."""
        taken: dict[tuple[Cell, str], int] = defaultdict(int)
        unfit: dict[Cell, int] = defaultdict(int)
        hard = [c.guard for c in self.capacity if c.weight is None]
        false = self.model.new_constant(0)
        for choice, room in placed:
            if room is None:
                continue
            taken[(choice.cell, room)] += 1
            if room not in self.fits(choice):
                unfit[choice.cell] += 1 if self.fits(choice) else 0
                for guard in hard:
                    self.model.add_bool_or([false]).only_enforce_if(guard)
        if any(count > 1 for count in taken.values()):
            for guard in self.exclusive:
                self.model.add_bool_or([false]).only_enforce_if(guard)
        for cell, count in unfit.items():
            short = self.short.get(cell)
            if short is not None:
                self.model.add(short >= count)

    # --- after a solve ------------------------------------------------------------------------

    def chosen(self, values: list[int]) -> dict[Cell, list[Choice]]:
        """The chosen cells, from every variable's value in an answer (``build.solution``)."""
        taken: dict[Cell, list[Choice]] = {}
        for cell, choices in self.choices.items():
            here = [c for c in choices if values[c.index]]
            if here:
                taken[cell] = here
        return taken

    def assign(
        self, chosen: dict[Cell, list[Choice]], answer: Any = None
    ) -> dict[int, tuple[Cell, str]]:
        """Rooms for the chosen cells: every activity a room it may use, each room once when a
        room rule holds, as many audiences fitting as possible, smallest fitting room first.
        A cell ``cuts`` has just matched for this answer is not matched again. ``answer``: the
        solver the cells were read from, for the rules that hold in it (``_strict``)."""
        rooms: dict[int, tuple[Cell, str]] = {}
        strict = self._strict(answer)
        for cell, here in chosen.items():
            known = self._matched.get(cell)  # none in the check of a construction
            if known is not None and known[0] == tuple(c.item.index for c in here):
                matched = known[1]
            else:
                matched = self._match(cell, here, self._edges(here, strict))
            for choice in here:
                room = matched.get(choice.item.index)
                if room is None:  # no room rule: rooms may be shared
                    usable = self.fits(choice) if strict else choice.rooms
                    room = self._rank(choice.item, usable)[0]
                rooms[choice.item.index] = (cell, room)
        return rooms

    def matched_rooms(self, cell: Cell, here: list[Choice]) -> dict[int, str]:
        """The rooms the activities ``here`` (chosen in ``cell``) get, by activity index."""
        known = self._matched.get(cell)
        if known is not None and known[0] == tuple(c.item.index for c in here):
            return known[1]
        return self._match(cell, here, self._edges(here, self._strict()))

    def _strict(self, answer: Any = None) -> bool:
        """Every capacity rule is hard and holds: rooms too small are no option at all. A rule
        an explanation may drop (a guard) holds in ``answer`` (a solver) when its guard is
        true there: a trial without it places audiences no room holds, and they still need a
        room. Without an answer a guard counts as true (a construction keeps every rule)."""
        return bool(self.capacity) and all(
            c.weight is None and _holds(c.guard, answer) for c in self.capacity
        )

    def _edges(self, here: list[Choice], strict: bool) -> dict[int, frozenset[str]]:
        return {c.item.index: (self.fits(c) if strict else c.rooms) for c in here}

    @property
    def rooms_exclusive(self) -> bool:
        """A hard room rule holds (unguarded): one activity per room and cell."""
        return any(not guard for guard in self.exclusive)

    def room_order(self, item: Item, rooms: frozenset[str]) -> list[str]:
        """The rooms a construction may give ``item`` of ``rooms`` (a cell's), best first
        (smallest that holds the audience); only those that hold it when a hard capacity
        rule says so."""
        hard = any(c.weight is None and not c.guard for c in self.capacity)
        return self._rank(item, self._fitting(item, rooms) if hard else rooms)

    def audience_class(self, item: Item) -> int | None:
        """Equal for two activities exactly when every set of rooms holds both audiences or
        neither (``_audience_class``)."""
        if self._figures is None:
            capacity = self.problem.room_capacity.values()
            self._figures = sorted({size for size in capacity if size is not None})
        return _audience_class(self.need(item), self._figures)

    def fitting_order(self, item: Item, rooms: frozenset[str]) -> list[str]:
        """The rooms of ``rooms`` (a cell's) that hold ``item``'s audience, best first (all of
        them, ranked, when it has no figure)."""
        return self._rank(item, self._fitting(item, rooms))

    def _rank(self, item: Item, usable: frozenset[str]) -> list[str]:
        """``usable`` best first; the same for every activity with that audience and
        preference, so computed once for them."""
        need = self.need(item) or 0
        preferred = self.preferred.get(item.index)
        order = self._orders.get((usable, need, preferred))
        if order is None:
            ladder = self._ladder(usable)
            # audiences between the same two room sizes rank the rooms alike: one list
            alike = (id(ladder), bisect_left(ladder.sizes, need) if need > 0 else -1, preferred)
            order = self._alike_orders.get(alike)
            if order is None:
                order = self._alike_orders[alike] = ladder.order(need, preferred)
            self._orders[(usable, need, preferred)] = order
        return order

    def _first(self, item: Item, usable: frozenset[str]) -> str | None:
        """The first room of ``_rank(item, usable)``, without making the ranking."""
        need = self.need(item) or 0
        ladder = self._ladder(usable)
        preferred = self.preferred.get(item.index)
        return ladder.first(need, preferred, usable, self.problem.room_capacity)

    def _match(
        self, cell: Cell, here: list[Choice], edges: dict[int, frozenset[str]]
    ) -> dict[int, str]:
        firsts: dict[int, str] = {}
        taken: set[str] = set()
        for c in here:  # stops at the first room wanted twice: the cell is contested
            room = self._first(c.item, edges[c.item.index])
            if room is None or room in taken:
                break
            taken.add(room)
            firsts[c.item.index] = room
        else:
            return firsts  # each its best room, no two the same: nothing costs less
        big = len(self.rooms(cell)) ** 2 + 1
        pairs = sum(len(edges[c.item.index]) for c in here)
        if FLOW_ABOVE < pairs <= CHAIN_ABOVE:
            return self._ranked_match(here, edges, big)
        orders = {c.item.index: self._rank(c.item, edges[c.item.index]) for c in here}
        if pairs > CHAIN_ABOVE:
            matched = self._chain_match(cell, here, edges, orders, big)
            if matched is not None:
                return matched
        rows: dict[int, Row] = {}
        for c in here:  # activities alike (one ranking) share a row
            order = orders[c.item.index]
            row = rows.get(id(order))
            if row is None:
                # a ranking lists the rooms that hold the audience first (``fits``: all among
                # the rooms ranked, which are the activity's or those of them that fit)
                fitting = len(self.fits(c))
                costs = [*range(fitting), *range(fitting + big, len(order) + big)]
                row = rows[id(order)] = (order, costs, [])
            row[2].append(c.item.index)
        return row_matching(list(rows.values()))

    def _ranked_match(
        self, here: list[Choice], edges: dict[int, frozenset[str]], big: int
    ) -> dict[int, str]:
        """``_match`` of a cell of more than ``FLOW_ABOVE`` pairs as the flow with an arc per
        pair, each room's place in each activity's ranking read off its ladder as arrays
        (``ranked.py``), not made one by one; the activities grouped by ladder (a cell's
        talks share one or a few: their pool's rooms, less any barred)."""
        from .ranked import Wanted, grid_matching

        groups: dict[int, Wanted] = {}
        for c in here:
            index = c.item.index
            ladder = self._ladder(edges[index])
            group = groups.get(id(ladder))
            if group is None:
                group = groups[id(ladder)] = (ladder, [])
            group[1].append((index, self.need(c.item) or 0, self.preferred.get(index)))
        return grid_matching(list(groups.values()), big, self._layouts)

    def _chain_match(
        self,
        cell: Cell,
        here: list[Choice],
        edges: dict[int, frozenset[str]],
        orders: dict[int, list[str]],
        big: int,
    ) -> dict[int, str] | None:
        """``_match`` of a large cell as a flow along its rooms by size (``chains.py``): arcs
        grow with activities plus rooms, not with their product."""
        from .chains import Wanted, chain_matching

        wanted: dict[int, Wanted] = {}
        for c in here:  # activities alike (one ranking) share an entry
            index = c.item.index
            entry = wanted.get(id(orders[index]))
            if entry is None:
                ladder = self._ladder(edges[index])
                need = self.need(c.item) or 0
                entry = wanted[id(orders[index])] = (ladder, need, self.preferred.get(index), [])
            entry[3].append(index)
        return chain_matching(list(wanted.values()), list(self.rooms(cell)), big)

    def cuts(self, solver: Any, chosen: dict[Cell, list[Choice]]) -> bool:
        """Add the cuts the solver's answer (``chosen``: its cells) breaks; True when there were
        any. ``inexact`` tells whether the answer's soft capacity cost is higher than the model
        counted. Each cell's room matching is kept for ``assign``."""
        self.inexact = False
        self._matched = {}
        # only the rules that hold in this answer: a cut under a guard the answer leaves
        # false would not cut it off, and the search would return it again until time ran out
        exclusive = [guard for guard in self.exclusive if _holds(guard, solver)]
        if not exclusive:
            return False
        added = False
        strict = self._strict(solver)
        hard = [c.guard for c in self.capacity if c.weight is None and _holds(c.guard, solver)]
        for cell, here in chosen.items():
            fits = {c.item.index: self.fits(c) for c in here}
            by_rooms = {c.item.index: c.rooms for c in here}
            assigned = fits if strict else by_rooms
            matched = self._match(cell, here, assigned)
            self._matched[cell] = (tuple(c.item.index for c in here), matched)
            complete = len(matched) == len(here)
            graphs: list[tuple[dict[int, frozenset[str]], list[Any], Any]] = [
                (by_rooms, [], lambda c: c.rooms)
            ]
            for guard in hard:
                graphs.append((fits, guard, self.fits))
            for edges, extra, usable in graphs:
                if complete and (edges is by_rooms or strict):
                    continue  # every activity has a room of its own: no set of rooms is short
                short = hall_violator(edges, matched if edges is assigned else None)
                if short is None:
                    continue
                members = [c.index for c in self.choices[cell] if usable(c) <= short]
                for guard in exclusive:
                    enforcement = [bulk.index_of(g) for g in [*guard, *extra]]
                    bulk.at_most(self.model, members, len(short), enforcement)
                added = True
            short_var = self.short.get(cell)
            if short_var is None or added:
                continue
            counted = solver.value(short_var)
            fitting = {i: f for i, f in fits.items() if f}
            fitting_matched = _matching(fitting)
            short = hall_violator(fitting, fitting_matched)
            if short is not None and len(fitting) - len(fitting_matched) > counted:
                members = [
                    c.index for c in self.choices[cell] if self.fits(c) and self.fits(c) <= short
                ]
                bulk.at_most(self.model, members, len(short), slack=bulk.index_of(short_var))
                added = True
                continue
            unfit = sum(
                1
                for c in here
                if fits[c.item.index] and matched.get(c.item.index) not in fits[c.item.index]
            )
            self.inexact = self.inexact or unfit > counted
        return added


def _holds(guard: list[Any], answer: Any) -> bool:
    """A rule under ``guard`` holds in ``answer`` (a solver; None: every rule holds)."""
    return answer is None or all(answer.boolean_value(g) for g in guard)


def min_cost_matching(cost: dict[int, dict[str, int]]) -> dict[int, str]:
    """A maximum matching of activities to rooms of least total cost among maximum ones."""
    return row_matching(
        [(list(rooms), list(rooms.values()), [item]) for item, rooms in cost.items()]
    )


Row = tuple[list[str], list[int], list[int]]
"""Rooms, the cost of each, and the activities that share them (``row_matching``)."""


def row_matching(rows: list[Row]) -> dict[int, str]:
    """``min_cost_matching`` for activities given by rows of alike ones. A small cell (a few
    rooms and activities) is matched in Python (``path_matching``); a large one as a
    minimum-cost flow in OR-Tools' graph library (``flow_matching``), whose time grows far
    more slowly with the cell: a 60-room pool full of talks took 35 ms in Python, 2 ms as a
    flow, and the Python time grows with the cube of the cell."""
    if sum(len(rooms) * len(items) for rooms, _, items in rows) <= FLOW_ABOVE:
        return path_matching(
            {
                item: dict(zip(rooms, costs, strict=True))
                for rooms, costs, items in rows
                for item in items
            }
        )
    return flow_matching(rows)


FLOW_ABOVE = 400
"""(activity, room) pairs of a cell above which its matching is a minimum-cost flow."""

CHAIN_ABOVE = 1_000_000
"""(activity, room) pairs of a cell above which its matching is a flow along its rooms by
size (``chains.py``) rather than one with an arc per pair: the chain's arcs grow with
activities plus rooms, not their product: kept for cells past a million pairs, whose
arrays would take tens of megabytes each (no shape measured has one). Below it the pairs win now that they are laid out as arrays
(``ranked.py``) and solved as an assignment: at 10,000 events the check phase took SFSCON
2024's 20 cells of up to 91,000 pairs in 0.34 s against 0.85 s as chains, the peer's 67
cells of up to 16,000 in 0.26 s against 0.31 s, with the same size and cost of matching
in every one of the 129 cells above 12,000 pairs of SFSCON, the peer and tracks
(benchmarks/README.md, "Everything merged (stop 36)"). Was 12,000, when the pairs were laid
out in Python."""


def flow_matching(rows: list[Row]) -> dict[int, str]:
    """``row_matching`` as a minimum-cost maximum flow: source -> activity -> room -> sink,
    every arc of capacity 1, the room arcs at their cost (solved as an assignment when every
    activity can have a room, ``pair_flow``); the arcs of alike activities are laid out by
    array operations, row by row, not activity by activity."""
    import numpy as np

    rooms = sorted(set().union(*(order for order, _, _ in rows)))
    items = [item for _, _, members in rows for item in members]
    if not items or not rooms:
        return {}
    at = {room: len(items) + k for k, room in enumerate(rooms)}
    tails: list[int] = []
    heads: list[int] = []
    units: list[int] = []
    first = 0
    for order, costs, members in rows:
        for item in range(first, first + len(members)):
            tails += [item] * len(order)
        heads += [at[room] for room in order] * len(members)
        units += costs * len(members)
        first += len(members)
    matched = pair_flow(
        items, rooms, np.array(tails, dtype=np.int64), np.array(heads, dtype=np.int64), units
    )
    if matched is None:
        return path_matching(
            {
                item: dict(zip(order, costs, strict=True))
                for order, costs, members in rows
                for item in members
            }
        )
    return matched


def pair_flow(
    items: list[int], rooms: list[str], pair_tails: Any, pair_heads: Any, units: Any
) -> dict[int, str] | None:
    """The least flow of ``flow_matching`` given its arcs from activity to room (activities
    numbered from 0, rooms after them in the order of ``rooms``) and their costs; None when
    OR-Tools reports no optimum. Solved as an assignment (``least_assignment``) when every
    activity can have a room, else as a flow."""
    import numpy as np

    assigned = least_assignment(items, rooms, pair_tails, pair_heads, units)
    if assigned is not None:
        return assigned
    at = range(len(items), len(items) + len(rooms))
    source, sink = len(items) + len(rooms), len(items) + len(rooms) + 1
    pairs = len(pair_tails)
    flows = least_cost_flow(
        np.concatenate([pair_tails, np.full(len(items), source), np.array(at)]),
        np.concatenate([pair_heads, np.arange(len(items)), np.full(len(rooms), sink)]),
        np.ones(pairs + len(items) + len(rooms), dtype=np.int64),
        np.concatenate(
            [np.asarray(units, dtype=np.int64), np.zeros(len(items) + len(rooms), dtype=np.int64)]
        ),
        source,
        sink,
        len(items),
    )
    if flows is None:
        return None
    used = np.flatnonzero(flows[:pairs])
    tails, heads = pair_tails[used].tolist(), (pair_heads[used] - len(items)).tolist()
    return {items[t]: rooms[h] for t, h in zip(tails, heads, strict=True)}


def least_assignment(
    items: list[int], rooms: list[str], pair_tails: Any, pair_heads: Any, units: Any
) -> dict[int, str] | None:
    """``pair_flow``'s matching when it gives every activity a room, by OR-Tools' linear sum
    assignment: the activities and as many stand-ins as there are rooms more than them (each
    free to take any room at no cost) all matched, at least cost; None when there are more
    activities than rooms or no such assignment exists (some activity cannot have a room).

    Why: a cell's flow was the check phase's largest part at 10,000 events (CCCamp 2019: 71
    cells of up to 71 talks in 71 rooms), and the assignment solver takes less than half
    the min-cost flow's time on the same arcs. Any matching of every activity extends to a
    full assignment by the stand-ins, so the least assignment is the least such matching:
    the cost of the flow's, not necessarily its rooms where costs tie (a matching is promised
    to be of least cost, not a particular one of that cost)."""
    import numpy as np

    if len(rooms) < len(items) or not items:
        return None
    if np.bincount(pair_tails, minlength=len(items)).min() == 0:
        return None
    right = np.asarray(pair_heads, dtype=np.int64) - len(items)
    return assignment(
        items,
        rooms,
        np.asarray(pair_tails).astype(np.int32),
        right.astype(np.int32),
        np.asarray(units, dtype=np.int64),
    )


def assignment(
    items: list[int], rooms: list[str], tails: Any, right: Any, units: Any
) -> dict[int, str] | None:
    """``least_assignment`` of arcs already as OR-Tools takes them (activities numbered from
    0 and rooms from 0 in the order of ``rooms``, both int32; costs int64), every activity
    with an arc and no more activities than rooms; None when no assignment exists.

    Why apart: a cell's grid of arcs (``ranked.grid_matching``) is made in these types at
    once, and converted and checked again it took 0.19 s of CPU for the peer's contested
    cells at 10,000 events (126 talks by 126 rooms) against 0.115 s so (the same arcs in the
    same order: the same rooms)."""
    import numpy as np
    from ortools.graph.python import linear_sum_assignment

    extra = len(rooms) - len(items)
    if extra:
        stand_ins = np.arange(len(items), len(rooms), dtype=np.int32)
        tails = np.concatenate([tails, np.repeat(stand_ins, len(rooms))])
        right = np.concatenate([right, np.tile(np.arange(len(rooms), dtype=np.int32), extra)])
        units = np.concatenate([units, np.zeros(extra * len(rooms), dtype=np.int64)])
    solver = linear_sum_assignment.SimpleLinearSumAssignment()
    solver.add_arcs_with_cost(tails, right, units)
    if solver.solve() != solver.OPTIMAL:
        return None
    return {item: rooms[solver.right_mate(k)] for k, item in enumerate(items)}


def least_cost_flow(
    tails: Any, heads: Any, capacities: Any, costs: Any, source: int, sink: int, amount: int
) -> Any:
    """The flow on each arc (in the order given) of a maximum flow of at most ``amount`` from
    ``source`` to ``sink`` of least cost, by OR-Tools' min-cost flow; None when it does not
    report one optimal (not seen: every arc has a finite capacity), and the caller matches
    another way. The arcs are arrays (or lists) of node indices, capacities and unit costs."""
    import numpy as np
    from ortools.graph.python import min_cost_flow

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.asarray(tails, dtype=np.int32),
        np.asarray(heads, dtype=np.int32),
        np.asarray(capacities, dtype=np.int64),
        np.asarray(costs, dtype=np.int64),
    )
    flow.set_nodes_supplies(np.array([source, sink], dtype=np.int32), np.array([amount, -amount]))
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        return None
    return flow.flows(np.arange(len(tails), dtype=np.int32))


def path_matching(cost: dict[int, dict[str, int]]) -> dict[int, str]:
    """``min_cost_matching`` by successive shortest augmenting paths (queue-based
    Bellman-Ford on the residual graph): well under a millisecond on a small cell.

    The paths start from ``cheapest_start``: most activities of a cell take their cheapest
    room unopposed, and each path searched from scratch cost a pass over every arc (FOSDEM
    2020 at 10,000 events: 164 cells of 10-20 talks, 20 passes each). The matching is one of
    least cost; among several of that cost, not a particular one (rooms are never pinned
    here: pinned and given rooms are the activities' only ones)."""
    owner, room_of = cheapest_start(cost)
    while True:
        item_dist = {i: 0 for i in cost if i not in room_of}
        if not item_dist:
            break
        room_dist: dict[str, int] = {}
        reached_from: dict[str, int] = {}  # room -> the activity that reaches it
        came_by: dict[int, str] = {}  # taken activity -> the room it would give up
        queue: deque[int] = deque(item_dist)
        while queue:
            item = queue.popleft()
            for room, c in cost[item].items():
                if room_of.get(item) == room:
                    continue
                d = item_dist[item] + c
                if d >= room_dist.get(room, _FAR):
                    continue
                room_dist[room] = d
                reached_from[room] = item
                holder = owner.get(room)
                if holder is not None and d - cost[holder][room] < item_dist.get(holder, _FAR):
                    item_dist[holder] = d - cost[holder][room]
                    came_by[holder] = room
                    queue.append(holder)
        free = [r for r in room_dist if r not in owner]
        if not free:
            break
        room = min(free, key=lambda r: (room_dist[r], r))
        while True:
            item = reached_from[room]
            previous = came_by.get(item) if item in room_of else None
            owner[room] = item
            room_of[item] = room
            if previous is None:
                break
            room = previous
    return room_of


_FAR = 1 << 60


def cheapest_start(cost: dict[int, dict[str, int]]) -> tuple[dict[str, int], dict[int, str]]:
    """A matching to start ``path_matching`` from: activities by their cheapest cost, each
    given a room of that cost while one is free; once one finds none, only those of the same
    cheapest cost are tried after it. (owner by room, room by activity).

    Why it is of least cost among matchings of its size, so the shortest paths from it keep
    every later one so: with potentials -(an activity's cheapest cost) on activities, 0 on
    rooms and sink, and any value between the matched activities' and the unmatched ones' on
    the source, every residual arc has a reduced cost of 0 or more; that needs every matched
    activity's cheapest cost at most every unmatched one's, which the order gives."""
    owner: dict[str, int] = {}
    room_of: dict[int, str] = {}
    lowest = {item: min(rooms.values()) for item, rooms in cost.items() if rooms}
    limit: int | None = None
    for item in sorted(lowest, key=lambda i: (lowest[i], i)):
        least = lowest[item]
        if limit is not None and least > limit:
            break
        room = next((r for r, c in cost[item].items() if c == least and r not in owner), None)
        if room is None:
            limit = least
            continue
        owner[room] = item
        room_of[item] = room
    return owner, room_of


def _audience_class(need: int | None, figures: list[int]) -> int | None:
    """A number equal for two audiences exactly when every set of rooms holds both or
    neither (``Ladder.fitting``): None for no audience, 0 for none to seat (every room
    holds it), else one more than how many of the room figures ``figures`` (sorted) are
    below it."""
    if need is None:
        return None
    return 0 if need <= 0 else bisect_left(figures, need) + 1


MATCHING_LIMIT = 1_000_000
"""(activity, room, slot) pairs above which the capacity bound is not computed: building and
matching them would cost more than the bound saves (about 1 s per million in Python)."""


def maximum_matching(
    edges: dict[int, set[tuple[int, int, str]]],
) -> dict[int, tuple[int, int, str]]:
    """A maximum matching of activities to places (large graphs: thousands of activities).

    Greedy first, then one breadth-first augmenting path per activity left over (Kuhn): on
    these instances almost every activity is matched greedily, so few searches are needed."""
    owner: dict[tuple[int, int, str], int] = {}
    place_of: dict[int, tuple[int, int, str]] = {}
    order = sorted(edges, key=lambda i: (len(edges[i]), i))
    for item in order:
        free = next((p for p in edges[item] if p not in owner), None)
        if free is not None:
            owner[free] = item
            place_of[item] = free
    for item in order:
        if item in place_of:
            continue
        came_from: dict[tuple[int, int, str], int] = {}
        queue = deque([item])
        seen_items = {item}
        end = None
        while queue and end is None:
            current = queue.popleft()
            for place in edges[current]:
                if place in came_from:
                    continue
                came_from[place] = current
                holder = owner.get(place)
                if holder is None:
                    end = place
                    break
                if holder not in seen_items:
                    seen_items.add(holder)
                    queue.append(holder)
        while end is not None:
            taker = came_from[end]
            previous = place_of.get(taker)
            owner[end] = taker
            place_of[taker] = end
            end = previous
    return place_of


def _matching(edges: dict[int, frozenset[str]]) -> dict[int, str]:
    return min_cost_matching({i: dict.fromkeys(rooms, 0) for i, rooms in edges.items()})


def hall_violator(
    edges: dict[int, frozenset[str]], matching: dict[int, str] | None = None
) -> frozenset[str] | None:
    """Rooms fewer than the activities limited to them, or None when all can be matched
    (``matching``: a maximum matching of ``edges``, when already at hand).

    From an activity a maximum matching leaves out, the rooms reachable by alternating paths
    are all taken, and every activity that reaches them can use only them: one more activity
    than rooms (König)."""
    if matching is None:
        matching = _matching(edges)
    owner = {room: item for item, room in matching.items()}
    left = [i for i in edges if i not in matching]
    if not left:
        return None
    seen_rooms: set[str] = set()
    queue = deque([left[0]])
    while queue:
        item = queue.popleft()
        for room in edges[item]:
            if room not in seen_rooms:
                seen_rooms.add(room)
                queue.append(owner[room])
    return frozenset(seen_rooms)
