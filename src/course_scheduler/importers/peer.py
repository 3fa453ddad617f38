"""The peer benchmark's conference instances (schema ``peer-cs-bench/1``) as a ``Programme``.

The schema is the one conference_scheduler reads (events, and slots of rooms): see
``../shared/benchmarks/peer_instances/README.md``. The mapping:

- the slots' rooms (``venue`` in the schema) become rooms of one venue, each with the slot grid it
  has on some day (``slots``); where a room lacks one of those slots on a date, it is
  ``closed`` then (runs of missing slots merged into one window); a room whose slots on
  different days overlap (its grid changes from day to day) becomes as few rooms as keep each
  one's slots apart (ids ``ROOM``, ``ROOM.2``..., all named as the peer's room);
- the slots' dates become the days;
- events become unplaced activities: ``duration``, candidate ``rooms`` (rooms with a slot long
  enough that the event may use), candidate ``dates``, ``audience`` = demand, speakers as
  ``people`` (people with a ``no_overlap`` person rule);
- events sharing a tag, and each explicit ``unavailability`` pair, become ``clash`` rules (a pair
  that shares a speaker is already kept apart by the person rule and gets no rule of its own);
- ``slot_unavailability`` becomes ``barred`` entries (date, slot time range, room). With
  ``compress=True`` (the default) entries that rule out a time in every candidate room are merged
  into one window without a room, and rooms or dates where every slot is barred leave the
  candidate lists instead; both forms allow exactly the same placements (tested);
- a ``no_overlap`` room rule, and a soft ``capacity`` rule (demand within the room's capacity).

``timetable_from_assignment`` and ``assignment_from_timetable`` translate between our timetables
and the peer's answer (event name → slot id), so either tool's result can be checked by the other.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import compress as selected
from itertools import pairwise
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from ..clock import TimeRange
from ..collector import collector_paused, promote_to_oldest
from ..errors import SourceMap, in_time
from ..loading import validate
from ..model import CONFERENCE_OBJECTIVE, Programme
from ..timetable import Placement, Timetable

SCHEMA = "peer-cs-bench/1"
VENUE = "venue"
"""Id of the one venue that holds every room of a converted instance."""

BoolArray = npt.NDArray[np.bool_]

_NOT_ID = re.compile(r"[^A-Za-z0-9_.\-]+")


@dataclass(frozen=True)
class PeerSlot:
    id: str
    room: str
    """Our room id (the slot's ``venue`` in the peer's schema)."""
    date: dt.date
    start: int
    end: int
    capacity: int


@dataclass(frozen=True)
class PeerIndex:
    """Names of the peer's instance and our ids for them, both ways."""

    events: dict[str, str]
    """Event name → activity id."""
    durations: dict[str, int]
    rooms: dict[str, str]
    """The peer's venue (room) name → room id."""
    people: dict[str, str]
    slots: dict[str, PeerSlot]
    slot_at: dict[tuple[dt.date, str, int], str]
    """(date, room id, start minute) → slot id."""
    dates: list[dt.date]
    parts: dict[str, str] = field(default_factory=dict)
    """Room id → the peer's venue name, for the further parts of a room whose slot grid changes
    from day to day (``_split_by_grid``); empty on most instances."""


def _ids(names: Iterable[str], prefix: str) -> dict[str, str]:
    """Readable, unique ids for names, in order of first appearance."""
    result: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        if name in result:
            continue
        base = _NOT_ID.sub("-", name.strip()).strip("-._")[:70]
        if not base or not base[0].isalnum():
            base = f"{prefix}-{base}" if base else prefix
        ident, k = base, 2
        while ident in used:
            ident, k = f"{base}-{k}", k + 1
        used.add(ident)
        result[name] = ident
    return result


def _require(data: Mapping[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    schema = data.get("schema", SCHEMA)
    if schema != SCHEMA:
        raise ValueError(f"expected schema {SCHEMA!r}, got {schema!r}")
    events, slots = data.get("events"), data.get("slots")
    if not isinstance(events, list) or not isinstance(slots, list) or not slots:
        raise ValueError("expected 'events' (a list) and 'slots' (a non-empty list)")
    return events, slots


def peer_index(data: Mapping[str, Any]) -> PeerIndex:
    """Parse the slots and name every event, room and speaker; raises ValueError when unusable."""
    events, raw_slots = _require(data)
    rooms = _ids((str(s["venue"]) for s in raw_slots), "room")
    slots: dict[str, PeerSlot] = {}
    slot_at: dict[tuple[dt.date, str, int], str] = {}
    for raw in raw_slots:
        ident = str(raw["id"])
        if ident in slots:
            raise ValueError(f"duplicate slot id {ident!r}")
        when = dt.datetime.fromisoformat(str(raw["starts_at"]))
        start = when.hour * 60 + when.minute
        duration = int(raw["duration"])
        if duration <= 0 or start + duration > 24 * 60:
            raise ValueError(f"slot {ident!r} must last a positive time within its day")
        slot = PeerSlot(
            ident,
            rooms[str(raw["venue"])],
            when.date(),
            start,
            start + duration,
            int(raw["capacity"]),
        )
        key = (slot.date, slot.room, slot.start)
        if key in slot_at:
            raise ValueError(f"slots {slot_at[key]!r} and {ident!r} start together in one room")
        slots[ident] = slot
        slot_at[key] = ident
    parts = _split_by_grid(slots, slot_at, rooms)
    names = [str(e["name"]) for e in events]
    if len(set(names)) != len(names):
        raise ValueError("event names must be unique")
    return PeerIndex(
        events=_ids(names, "event"),
        durations={str(e["name"]): int(e["duration"]) for e in events},
        rooms=rooms,
        people=_ids((str(s) for e in events for s in e.get("speakers", [])), "person"),
        slots=slots,
        slot_at=slot_at,
        dates=sorted({s.date for s in slots.values()}),
        parts=parts,
    )


def _apart(times: Iterable[tuple[int, int]]) -> bool:
    return all(end <= start for (_, end), (start, _) in pairwise(sorted(times)))


def _split_by_grid(
    slots: dict[str, PeerSlot], slot_at: dict[tuple[dt.date, str, int], str], rooms: dict[str, str]
) -> dict[str, str]:
    """A room whose slots on different days overlap (its grid changes from day to day, as a
    FOSDEM room that holds one devroom on Saturday and another on Sunday) becomes as few rooms
    as keep each one's slots apart, days given to the first that takes them, in date order; each
    is closed on the others' days. Our rooms have one grid for every day. Rewrites ``slots`` and
    ``slot_at`` in place and returns the new rooms' ids and names; a room whose slots overlap
    on one day is left as it is (``_grids`` refuses it)."""
    by_room: dict[str, dict[dt.date, list[PeerSlot]]] = {}
    for slot in slots.values():
        by_room.setdefault(slot.room, {}).setdefault(slot.date, []).append(slot)
    names = {ident: name for name, ident in rooms.items()}
    used = set(names)
    parts: dict[str, str] = {}
    for room, days in by_room.items():
        if _apart({(s.start, s.end) for day in days.values() for s in day}):
            continue
        unions: list[set[tuple[int, int]]] = []
        ids = [room]
        for date in sorted(days):
            times = {(s.start, s.end) for s in days[date]}
            k = next((k for k, u in enumerate(unions) if _apart(u | times)), len(unions))
            if k == len(unions):
                unions.append(set())
            unions[k] |= times
            if k == 0:
                continue
            if k == len(ids):
                ident, n = f"{room}.{k + 1}", 2
                while ident in used:
                    ident, n = f"{room}.{k + 1}-{n}", n + 1
                used.add(ident)
                ids.append(ident)
                parts[ident] = names[room]
            ident = ids[k]
            for slot in days[date]:
                slots[slot.id] = replace(slot, room=ident)
                del slot_at[(date, room, slot.start)]
                slot_at[(date, ident, slot.start)] = slot.id
    return parts


def _grids(index: PeerIndex) -> dict[str, list[tuple[int, int]]]:
    """Each room's slot grid: the union over the days of its slots' time ranges."""
    grids: dict[str, set[tuple[int, int]]] = {}
    for slot in index.slots.values():
        grids.setdefault(slot.room, set()).add((slot.start, slot.end))
    result = {}
    for room, ranges in grids.items():
        ordered = sorted(ranges)
        for (_, end), (start, _) in pairwise(ordered):
            if start < end:
                raise ValueError(
                    f"room {room!r} has overlapping slots; a room's slots must not overlap"
                )
        result[room] = ordered
    return result


def _capacities(index: PeerIndex) -> dict[str, int]:
    capacity: dict[str, int] = {}
    for slot in index.slots.values():
        if capacity.setdefault(slot.room, slot.capacity) != slot.capacity:
            raise ValueError(f"room {slot.room!r} has slots of different capacities")
    return capacity


def _barred(
    blocked: list[tuple[str, int, int]],
    clear: Callable[[int, int], bool],
    duration: int,
    compress: bool,
) -> list[tuple[int, int, str | None]]:
    """Barred windows of one day from its disallowed placements (room, slot start, slot end),
    in grid order; ``clear(a, z)``: no allowed placement of the event overlaps [a, z).

    Without compression: every disallowed placement's slot, in its room. With it: disallowed
    placements that no allowed placement overlaps in time are merged into windows without a
    room (each window overlaps no allowed placement), the rest stay per room.
    """
    if not compress:
        return [(s, e, room) for room, s, e in blocked]
    result: list[tuple[int, int, str | None]] = []
    pool = []
    for room, s, e in blocked:
        if clear(s, s + duration):
            pool.append((s, s + duration))
        else:
            result.append((s, e, room))
    pool.sort()
    window: tuple[int, int] | None = None
    for a, z in pool:
        if window is not None and clear(window[0], max(window[1], z)):
            window = (window[0], max(window[1], z))
            continue
        if window is not None:
            result.append((window[0], window[1], None))
        window = (a, z)
    if window is not None:
        result.append((window[0], window[1], None))
    return result


@dataclass(frozen=True)
class _Offers:
    """The slots long enough for one event length, in one order (date by date, each date in
    grid order), as arrays, so that an event's unavailable slots are marked, counted per room
    and date and sliced per day by numpy rather than one by one in Python."""

    slot: npt.NDArray[np.intp]
    """Each place's slot (its number in ``PeerIndex.slots`` order)."""
    room: npt.NDArray[np.intp]
    """Each place's room (its number in grid order, ``rooms_all``)."""
    date: npt.NDArray[np.intp]
    """Each place's date (its number in ``PeerIndex.dates``)."""
    start: npt.NDArray[np.int64]
    end: npt.NDArray[np.int64]
    times: list[int]
    """The distinct start times of the places, sorted."""
    rank: npt.NDArray[np.intp]
    """Each place's start time (its number in ``times``)."""
    per_time: npt.NDArray[np.intp]
    """Places per date number (rows) and start time (columns, by number in ``times``), to
    count the placements near a time."""
    per_room: npt.NDArray[np.intp]
    per_date: npt.NDArray[np.intp]
    """Places per room number and per date number."""
    rooms_all: list[str]
    """Every room, in grid order (room number -> id)."""
    rooms: list[str]
    dates: list[dt.date]
    """The rooms and dates with at least one place."""
    candidates: dict[bytes, list[str]] = field(default_factory=dict, compare=False)
    """The candidate rooms of events of this length, one list for every event with the same
    rooms (keyed by the rooms marked free, ``_where``)."""
    spans: dict[tuple[int, int], TimeRange] = field(default_factory=dict, compare=False)
    """One (immutable) time range for every barred window with those times: events barred
    room by room from slots of their own made one per entry (669,056 at 10,000 events where
    a third of the speakers are each away from 2 % of the slots)."""


def _offers(
    index: PeerIndex,
    grids: dict[str, list[tuple[int, int]]],
    numbers: dict[str, int],
    cache: dict[int, _Offers],
    duration: int,
) -> _Offers:
    """Every existing slot long enough for ``duration``, computed once per duration;
    ``numbers``: slot id -> its number."""
    offers = cache.get(duration)
    if offers is None:
        rooms_all = list(grids)
        by_date: dict[dt.date, list[tuple[int, int, int, str]]] = {d: [] for d in index.dates}
        for r, (room, grid) in enumerate(grids.items()):
            for start, end in grid:
                if end - start < duration:
                    continue
                for date in index.dates:
                    slot_id = index.slot_at.get((date, room, start))
                    if slot_id is not None:
                        by_date[date].append((r, start, end, slot_id))
        order = [(d, *slot) for d, day in enumerate(by_date.values()) for slot in day]
        room_number = np.array([slot[1] for slot in order], dtype=np.intp)
        date_number = np.array([slot[0] for slot in order], dtype=np.intp)
        per_room = np.bincount(room_number, minlength=len(rooms_all))
        per_date = np.bincount(date_number, minlength=len(index.dates))
        times = sorted({slot[2] for slot in order})
        rank_of = {t: k for k, t in enumerate(times)}
        rank = np.array([rank_of[slot[2]] for slot in order], dtype=np.intp)
        offers = _Offers(
            slot=np.array([numbers[slot[4]] for slot in order], dtype=np.intp),
            room=room_number,
            date=date_number,
            start=np.array([slot[2] for slot in order], dtype=np.int64),
            end=np.array([slot[3] for slot in order], dtype=np.int64),
            times=times,
            rank=rank,
            per_time=np.bincount(
                date_number * len(times) + rank, minlength=len(index.dates) * len(times)
            ).reshape(len(index.dates), len(times)),
            per_room=per_room,
            per_date=per_date,
            rooms_all=rooms_all,
            rooms=[r for k, r in enumerate(rooms_all) if per_room[k]],
            dates=[d for k, d in enumerate(index.dates) if per_date[k]],
        )
        cache[duration] = offers
    return offers


def _closed(
    index: PeerIndex, grids: dict[str, list[tuple[int, int]]]
) -> dict[str, list[dict[str, Any]]]:
    """Per room, the dates and times of its grid it has no slot at: the room is closed then.

    A run of missing slots in a row is one window. Such a gap belongs to the room, so it is
    said once there, not once per event (rooms booked by half day: thousands of entries).
    Given as the model's own values (``date``, ``TimeRange``), not text to parse again."""
    closed: dict[str, list[dict[str, Any]]] = {}
    for room, grid in grids.items():
        for date in index.dates:
            run: tuple[int, int] | None = None
            for start, end in [*grid, (-1, -1)]:
                if start >= 0 and (date, room, start) not in index.slot_at:
                    run = (run[0] if run else start, end)
                    continue
                if run is not None:
                    window = {"date": date, "time": TimeRange(*run)}
                    closed.setdefault(room, []).append(window)
                    run = None
    return closed


def _unavailable(numbers: dict[str, int], listed: list[Any], name: str) -> BoolArray:
    """The slots (by number) an event lists as unavailable, marked; a slot listed twice counts
    once. Each id is looked up once, by the built-in functions (a speaker away for a day lists
    every slot of that day: thousands of ids on a large conference): ``itemgetter`` looks them
    up in one call, twice as fast as one call per id."""
    try:
        found = itemgetter(*listed)(numbers) if len(listed) > 1 else [numbers[x] for x in listed]
        marked = np.fromiter(found, dtype=np.intp, count=len(listed))
    except KeyError:
        unknown = min(str(x) for x in frozenset(listed) - numbers.keys())
        raise ValueError(f"event {name!r} names an unknown slot {unknown!r}") from None
    taken = np.zeros(len(numbers), dtype=np.bool_)
    taken[marked] = True
    return taken


def _where(
    index: PeerIndex,
    grids: dict[str, list[tuple[int, int]]],
    offers: _Offers,
    duration: int,
    taken: BoolArray,
    compress: bool,
) -> tuple[list[str], list[dt.date], list[dict[str, Any]]]:
    """Candidate rooms and dates of an event, and the barred entries its own unavailable slots
    (``taken``) leave.

    The unavailable places are marked, counted per room and date and cut per day by numpy
    (whose work grows with the slots the event's length fits, which one list may name all
    of), so the work in Python grows with the days the event is barred on and the entries it
    keeps, not with its unavailable slots; the room-less windows they merge into are worked
    out once per start time, not once per slot; only slots that stay barred room by room are
    listed one by one. Dates and times are given as the model's own values, not as text
    that validating each activity would parse again."""
    hit = np.flatnonzero(taken[offers.slot])
    if not len(hit):
        return offers.rooms, offers.dates, []
    free_room = offers.per_room > np.bincount(offers.room[hit], minlength=len(offers.rooms_all))
    hit_date = offers.date[hit]
    date_hits = np.bincount(hit_date, minlength=len(index.dates))
    free_date = offers.per_date > date_hits
    marked = free_room.tobytes()
    rooms = offers.candidates.get(marked)
    if rooms is None:  # one list per set: the check of candidate rooms reads each list once
        rooms = offers.candidates[marked] = list(selected(offers.rooms_all, free_room.tolist()))
    dates = list(selected(index.dates, free_date.tolist()))
    if not rooms or not dates:  # nowhere to go: keep the rooms its length fits, bar every day
        first = min(start for grid in grids.values() for start, _ in grid)
        last = max(end for grid in grids.values() for _, end in grid)
        whole = TimeRange(first, last)
        return (
            offers.rooms or list(grids),
            list(index.dates),
            [{"date": d, "time": whole} for d in index.dates],
        )
    every_room = len(rooms) == len(offers.rooms)
    barred: list[dict[str, Any]] = []
    days = np.flatnonzero(free_date & (date_hits > 0))
    for k, clear, blocked in _days(
        offers, hit, hit_date, free_room, every_room, days, duration, compress
    ):
        date = index.dates[k]
        for s, e, where in _barred(blocked, clear, duration, compress):
            span = offers.spans.get((s, e))
            if span is None:
                span = offers.spans[(s, e)] = TimeRange(s, e)
            entry: dict[str, Any] = {"date": date, "time": span}
            if where is not None:
                entry["room"] = where
            barred.append(entry)
    return rooms, dates, barred


def _days(
    offers: _Offers,
    hit: npt.NDArray[np.intp],
    hit_date: npt.NDArray[np.intp],
    free_room: BoolArray,
    every_room: bool,
    days: npt.NDArray[np.intp],
    duration: int,
    compress: bool,
) -> Iterator[tuple[int, Callable[[int, int], bool], list[tuple[str, int, int]]]]:
    """Per day of ``days`` (date numbers in order, each partly unavailable to the event)
    with something to bar: the date number, its ``clear`` and the disallowed placements
    ``_barred`` needs, in grid order: all of them, or with compression only those that stay
    per room (no window may take them) and one of each start time that goes into a
    room-less window (the windows are the same).

    Every day is read in the same few numpy passes over the event's places, counted per
    (day, start time), rather than a few numpy calls per day: a speaker away now and then
    over a long programme (a few rooms on each of 264 days) hits some of 70 days per list,
    and numpy's cost per call on a day's few dozen slots grew with the lists times the days.
    What is left in Python is per day with something to bar (its clear() and the entries it
    keeps): on that shape most of the days hit lose only rooms the event cannot use at all."""
    times, width, rows = offers.times, len(offers.times), len(days)
    row = np.full(len(offers.per_date), rows, dtype=np.intp)  # days left out: one more row
    row[days] = np.arange(rows)
    key = row[hit_date] * width + offers.rank[hit]
    taken = np.bincount(key, minlength=(rows + 1) * width)[: rows * width]
    free = np.cumsum(offers.per_time[days] - taken.reshape(rows, width), axis=1).tolist()
    clears: dict[int, Callable[[int, int], bool]] = {}

    def clear(r: int) -> Callable[[int, int], bool]:
        if r not in clears:
            clears[r] = _clear(times, [0, *free[r]], duration)
        return clears[r]

    places = hit
    if len(hit) > taken.sum() or not every_room:  # some on days left out, or rooms
        usable = key < rows * width
        if not every_room:
            usable &= free_room[offers.room[hit]]
        places, key = hit[usable], key[usable]
    pooled: list[list[tuple[str, int, int]]] = [[] for _ in range(rows)]
    if compress:
        keep = np.zeros(rows * width, dtype=np.bool_)
        kept = []
        for cell in np.flatnonzero(np.bincount(key, minlength=rows * width)).tolist():
            r, t = divmod(cell, width)
            start = times[t]
            if clear(r)(start, start + duration):
                pooled[r].append(("", start, start + duration))
            else:
                kept.append(cell)
        keep[kept] = True
        stays = keep[key]
        places, key = places[stays], key[stays]
    rooms = list(map(offers.rooms_all.__getitem__, offers.room[places].tolist()))
    listed = list(
        zip(rooms, offers.start[places].tolist(), offers.end[places].tolist(), strict=True)
    )
    ends = np.cumsum(np.bincount(key // width, minlength=rows)).tolist()
    begin = 0
    for r, k in enumerate(days.tolist()):
        if begin < ends[r] or pooled[r]:  # a day with nothing to bar gives no entry
            yield k, clear(r), listed[begin : ends[r]] + pooled[r]
        begin = ends[r]


def _clear(times: list[int], free: list[int], duration: int) -> Callable[[int, int], bool]:
    """Does no allowed placement [s, s + duration) overlap [a, z)? ``times``: the distinct
    start times, sorted; ``free``: running totals of the day's allowed placements by start
    time (``free[k]``: those starting before ``times[k]``; the day's places less the event's
    unavailable ones, counted per start time by numpy), so each question is two bisections
    of the few start times, whatever the size of the grid."""

    def clear(a: int, z: int) -> bool:
        return free[bisect_left(times, z)] == free[bisect_right(times, a - duration)]

    return clear


class _Lists:
    """Values kept per distinct (event length, list of unavailable slot ids), lists compared by
    value. Hashing a tuple of the ids, as a dictionary key, hashed every id (the parser makes
    a new text for every id, whose hash is not yet known) and compared them all again on a
    hit: a third of the conversion of a large tracks instance (6.6 million ids at 10,000
    events, 638 distinct lists). Here a list is hashed by its length, length of the event and
    three of its ids, and compared with the few lists of that key by ``==``, one pass of
    comparisons in C; past a few lists under one key (lists alike but for their middle),
    the rest of that key's lists go by tuple as before, so no list is compared with many."""

    FEW = 4

    def __init__(self) -> None:
        self._few: dict[Hashable, list[tuple[list[Any], Any]]] = {}
        self._many: dict[tuple[Hashable, tuple[Any, ...]], Any] = {}

    @staticmethod
    def _key(duration: int, listed: list[Any]) -> Hashable:
        n = len(listed)
        return (duration, n, listed[0], listed[n // 2], listed[-1]) if n else (duration, 0)

    def get(self, duration: int, listed: list[Any]) -> Any | None:
        key = self._key(duration, listed)
        few = self._few.get(key, ())
        for seen, value in few:
            if seen == listed:
                return value
        if len(few) < self.FEW:
            return None
        return self._many.get((key, tuple(listed)))

    def put(self, duration: int, listed: list[Any], value: Any) -> None:
        key = self._key(duration, listed)
        few = self._few.setdefault(key, [])
        if len(few) < self.FEW:
            few.append((listed, value))
        else:
            self._many[(key, tuple(listed))] = value


EVENTS_PER_LOOK = 256
"""Events converted between two looks at the clock, when the conversion has a deadline
(about 15 ms of converting at 10,000 events of the tracks shape)."""
VALIDATE_SHARE = 0.5
"""Validating the converted programme takes up to this share of the conversion before it
(0.23-0.47 at 10,000 generated events of the three shapes): pydantic cannot be stopped part
way, so with a deadline it is not begun when less than this is left."""

COMPILE_SHARE = 0.4
"""Compiling the converted programme takes up to this share of converting it (0.13-0.36 at
10,000 generated events of the three shapes): a caller whose deadline leaves less than that
has no time to use it."""


def programme_from_peer(
    data: Mapping[str, Any],
    *,
    compress: bool = True,
    title: str | None = None,
    deadline: float | None = None,
) -> Programme:
    """The peer's instance as a programme (see the module docstring for the mapping); the
    cycle collector is paused meanwhile, as in ``compile_programme``, and the programme's
    objects go to its oldest generation (``collector.promote_to_oldest``). With a
    ``deadline`` (a ``time.perf_counter()`` moment: a solve's time limit, when converting
    counts against it) the conversion looks at the clock as it goes and raises ``OutOfTime``
    once the deadline has passed, or when too little is left to validate."""
    with collector_paused():
        programme = _programme(data, compress=compress, title=title, deadline=deadline)
        promote_to_oldest()
    return programme


def _programme(
    data: Mapping[str, Any], *, compress: bool, title: str | None, deadline: float | None = None
) -> Programme:
    began = time.perf_counter()
    index = peer_index(data)
    events, _ = _require(data)
    grids = _grids(index)
    closed = _closed(index, grids)
    capacity = _capacities(index)
    room_names = {ident: name for name, ident in index.rooms.items()} | index.parts
    first = min(start for grid in grids.values() for start, _ in grid)
    last = max(end for grid in grids.values() for _, end in grid)
    activities = []
    clashes: list[tuple[str, list[str]]] = []
    tags: dict[str, list[str]] = {}
    pairs: dict[tuple[str, str], None] = {}
    fitting: dict[int, _Offers] = {}
    speakers = {str(e["name"]): {str(x) for x in e.get("speakers", [])} for e in events}
    numbers = {ident: k for k, ident in enumerate(index.slots)}
    places = _Lists()
    for count, event in enumerate(events):
        if count % EVENTS_PER_LOOK == 0:
            in_time(deadline, began)
        name = str(event["name"])
        ident = index.events[name]
        duration = int(event["duration"])
        # speakers away for the same half day share their list of unavailable slots: each
        # distinct list is read once (the lists grow with the number of rooms: 25 million
        # slot ids at 20,000 events of the tracks shape), keyed as it is, not as a set
        listed = event.get("slot_unavailability", [])
        if type(listed) is not list:
            listed = list(listed)
        where = places.get(duration, listed)
        if where is None:
            taken = _unavailable(numbers, listed, name)
            offers = _offers(index, grids, numbers, fitting, duration)
            where = _where(index, grids, offers, duration, taken, compress)
            places.put(duration, listed, where)
        rooms, dates, barred = where
        activity: dict[str, Any] = {
            "id": ident,
            "title": name,
            "kind": "talk",
            "duration": duration,
            "rooms": rooms,
            "people": [index.people[str(s)] for s in event.get("speakers", [])],
        }
        if len(dates) < len(index.dates):
            activity["dates"] = list(dates)
        demand = int(event.get("demand", 0))
        if demand > 0:
            activity["audience"] = demand
        if barred:
            activity["barred"] = barred
        activities.append(activity)
        for tag in event.get("tags", []):
            tags.setdefault(str(tag), []).append(ident)
        for other in event.get("unavailability", []):
            if other not in index.events:
                raise ValueError(f"event {name!r} is unavailable with an unknown event {other!r}")
            a, b = sorted((ident, index.events[other]))
            if a != b and not speakers[name] & speakers.get(other, set()):
                pairs[(a, b)] = None
    tag_ids = _ids(tags, "tag")
    for tag, members in tags.items():
        members = list(dict.fromkeys(members))
        if len(members) > 1:
            clashes.append((f"tag-{tag_ids[tag]}", members))
    for k, (a, b) in enumerate(pairs):
        clashes.append((f"apart-{k + 1}", [a, b]))
    rules: list[dict[str, Any]] = [
        {
            "id": "rooms",
            "kind": "no_overlap",
            "resource": "room",
            "description": "a room holds one event at a time",
        },
        {
            "id": "speakers",
            "kind": "no_overlap",
            "resource": "person",
            "description": "a speaker gives one event at a time",
        },
        *({"id": rule_id, "kind": "clash", "activities": members} for rule_id, members in clashes),
        {
            "id": "capacity",
            "kind": "capacity",
            "severity": "soft",
            "weight": 1,
            "description": "the expected audience fits the room",
        },
    ]
    generator = data.get("generator") or {}
    programme = {
        "course": {
            "title": title or f"Peer benchmark instance ({len(events)} events)",
            "note": f"converted from {SCHEMA}, seed {generator.get('instance_seed', '?')}",
        },
        "venues": [
            {
                "id": VENUE,
                "name": "Conference venue",
                "rooms": [
                    {
                        "id": room,
                        "name": room_names[room],
                        "capacity": capacity[room],
                        "slots": [TimeRange(s, e) for s, e in grids[room]],
                        **({"closed": closed[room]} if room in closed else {}),
                    }
                    for room in grids
                ],
            }
        ],
        "people": [{"id": ident, "name": name} for name, ident in index.people.items()],
        "days": [
            {"date": d, "venue": VENUE, "window": TimeRange(first, last)} for d in index.dates
        ],
        "activities": activities,
        "rules": rules,
        "objective": {"soft_rules": 1000, **CONFERENCE_OBJECTIVE},
    }
    in_time(deadline, began, VALIDATE_SHARE)
    return _validated(programme, activities, set(grids))


def _validated(
    programme: dict[str, Any], activities: list[dict[str, Any]], room_ids: set[str]
) -> Programme:
    """The programme validated, its activities' candidate rooms apart.

    Each talk lists every room its length fits (3.9 million names at 10,000 events of the
    tracks shape), and validating each name against the id pattern was half of validating
    the programme; yet they are our own lists of the venue's room ids, which the venue's
    rooms are validated by, and a few lists are shared by every talk. So the activities are
    validated with an empty list of rooms and then given their own copy of theirs (one list
    object per activity, as validation makes it), after checking the cross-check's rule for
    them here, once per distinct list: every candidate room is a room of the venue."""
    rooms = [activity["rooms"] for activity in activities]
    for listed in {id(listed): listed for listed in rooms}.values():
        unknown = set(listed) - room_ids
        if unknown:
            raise ValueError(f"candidate rooms that are not the venue's: {sorted(unknown)}")
    for activity in activities:
        activity["rooms"] = []
    result = validate(programme, SourceMap(file="<peer instance>"))
    for made, listed in zip(result.activities, rooms, strict=True):
        made.__dict__["rooms"] = list(listed)
    return result


def timetable_from_assignment(data: Mapping[str, Any], assignment: Mapping[str, str]) -> Timetable:
    """The peer's answer (event name → slot id) as our timetable; unknown names raise KeyError.
    The cycle collector is paused while the instance is indexed, as in the conversion."""
    with collector_paused():
        index = peer_index(data)
    placements = {}
    for name, slot_id in assignment.items():
        slot = index.slots[slot_id]
        ident = index.events[name]
        placements[ident] = Placement(
            date=slot.date,
            start=slot.start,
            end=slot.start + index.durations[name],
            activity=ident,
            venue=VENUE,
            room=slot.room,
        )
    return Timetable(placements)


def assignment_from_timetable(data: Mapping[str, Any], timetable: Timetable) -> dict[str, str]:
    """Our timetable as the peer's answer (event name → slot id); off-grid placements raise.
    The cycle collector is paused while the instance is indexed, as in the conversion: its
    passes walked everything the caller holds (the parsed instance, the programme), a few
    hundredths of a second at 10,000 talks, and up to a quarter of a second at times."""
    with collector_paused():
        index = peer_index(data)
    result = {}
    for name, ident in index.events.items():
        placement = timetable.get(ident)
        if placement is None:
            continue
        key = (placement.date, placement.room or "", placement.start)
        if key not in index.slot_at:
            raise ValueError(f"{name!r} is placed off the slot grid: {placement}")
        result[name] = index.slot_at[key]
    return result
