"""Programme → ``Problem``: integer minutes, indices, options and the travel matrix.

Both readings of every rule (the checker and the CP-SAT encoding) work on this compiled form,
so they agree on what an activity's candidate days, venues and rooms are. Time is counted in
minutes of a day; a day is an index into ``Problem.dates``. Shortest travel times are computed
here with a small Dijkstra so the check path needs no graph library; ``travel.py`` offers the
same graph as networkx for planners who want to explore it.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .errors import Path, SourceMap
from .loading import ride_ids, source_of
from .model import Activity, Kind, Person, Programme, Rule, TransportLeg, Venue
from .vocabulary import BUILTIN_KINDS, SESSION_CATEGORIES, Category, KindInfo, Part, part_of

NO_VENUE_CATEGORIES = frozenset({Category.FREE})
"""Free time happens wherever people like: it has no venue unless the file names one."""


@dataclass(frozen=True)
class Item:
    """One activity (or one ride of a transport leg) as the rules and the solver see it."""

    index: int
    id: str
    title: str
    kind: str
    category: Category
    parts: tuple[Part, ...]
    """The parts of the day its kind naturally takes."""
    duration: int
    options: tuple[tuple[int, str | None], ...]
    """Candidate (day index, venue) pairs; the venue is None for venue-less activities."""
    window: tuple[int, int] | None
    """Own window [earliest start, latest end] in minutes of the day, if the file gives one."""
    fixed_start: int | None
    """Published start in minutes of the day when the file fixes the time."""
    pinned: bool
    rooms: tuple[str, ...]
    people: tuple[str, ...]
    groups: tuple[str, ...]
    module: str | None
    leg: str | None
    includes_travel: bool
    ride: tuple[str, str] | None = None
    """For a ride: (leg id, 'out' or 'back')."""
    path: Path = ()
    line: int | None = None
    audience: int | None = None
    barred: tuple[tuple[int, int, int, str | None], ...] = ()
    """Windows to avoid: (day index, start, end, room or None for any room)."""

    def is_a(self, selectors: Iterable[str]) -> bool:
        """Is it of one of these kinds, or in one of these categories?"""
        return any(s == self.kind or s == self.category for s in selectors)

    @property
    def in_session(self) -> bool:
        """Sitting in a session (content, a ceremony, a welcome or wrap-up)."""
        return self.category in SESSION_CATEGORIES

    @cached_property
    def days(self) -> tuple[int, ...]:
        return tuple(sorted({day for day, _ in self.options}))

    @cached_property
    def venues(self) -> tuple[str | None, ...]:
        return tuple(dict.fromkeys(venue for _, venue in self.options))


@dataclass(frozen=True)
class Leg:
    """A compiled transport leg: its two ride items and the activities it serves."""

    id: str
    title: str
    out: int
    back: int
    served: tuple[int, ...]
    origin: str
    destination: str
    drop_offs: tuple[str, ...]
    depart_window: tuple[int, int]
    """Earliest and latest departure (equal when the departure is fixed)."""
    arrive_back: int | None
    line: int | None


@dataclass
class Problem:
    programme: Programme
    dates: list[dt.date]
    day_windows: list[tuple[int, int]]
    day_venues: list[str | None]
    day_modules: list[str | None]
    items: list[Item]
    index: dict[str, int]
    legs: dict[str, Leg]
    travel: dict[tuple[str, str], int]
    venues: dict[str, Venue]
    room_venue: dict[str, str]
    room_capacity: dict[str, int | None]
    room_slots: dict[str, tuple[tuple[int, int], ...]]
    people: dict[str, Person]
    group_ids: tuple[str, ...]
    group_size: dict[str, int | None]
    rules: list[Rule]
    rule_lines: dict[str, int | None]
    source: SourceMap
    day_of_date: dict[dt.date, int] = field(default_factory=dict)
    kinds: dict[str, KindInfo] = field(default_factory=lambda: dict(BUILTIN_KINDS))
    boundaries: tuple[int, int, int] = (12 * 60 + 30, 14 * 60 + 30, 18 * 60 + 30)
    """Where midday, afternoon and evening begin."""
    room_closed: dict[str, tuple[tuple[int, int, int], ...]] = field(default_factory=dict)
    """Per room that has any: the windows it cannot be used in, (day index, start, end)."""

    def part(self, start: int, end: int) -> Part:
        return part_of(start, end, self.boundaries)

    def travel_minutes(self, origin: str | None, destination: str | None) -> int:
        """Shortest travel time; 0 for the same place or a venue-less activity; None-safe."""
        if origin is None or destination is None or origin == destination:
            return 0
        return self.travel.get((origin, destination), UNREACHABLE)

    def item(self, ident: str) -> Item:
        return self.items[self.index[ident]]

    @cached_property
    def slot_ends(self) -> dict[str, dict[int, int]]:
        """Per room with a grid: slot start -> the latest end of a slot starting then."""
        ends: dict[str, dict[int, int]] = {}
        for room, slots in self.room_slots.items():
            by_start = ends.setdefault(room, {})
            for start, end in slots:
                by_start[start] = max(end, by_start.get(start, end))
        return ends

    def slot_starts(self, room: str, duration: int) -> tuple[int, ...] | None:
        """Allowed starts in a room with a slot grid (slots long enough), None without a grid."""
        slots = self.room_slots.get(room)
        if slots is None:
            return None
        return tuple(sorted({start for start, end in slots if end - start >= duration}))

    def shares_group(self, a: Item, b: Item) -> bool:
        return bool(set(a.groups) & set(b.groups))


UNREACHABLE = 10_000
"""Travel minutes between venues the travel graph does not connect: never feasible in a day."""


def compile_programme(programme: Programme) -> Problem:
    """Build the integer view of a programme; the programme must already be validated."""
    source = source_of(programme)
    kinds = kind_table(programme)
    dates = [day.date for day in programme.days]
    day_of = {date: i for i, date in enumerate(dates)}
    group_ids = tuple(g.id for g in programme.groups)
    items: list[Item] = []
    seen: dict[Any, tuple[tuple[int, str | None], ...]] = {}
    for d, day in enumerate(programme.days):
        for a, activity in enumerate(day.activities):
            path: Path = ("days", d, "activities", a)
            items.append(
                _item(
                    len(items),
                    activity,
                    path,
                    source,
                    programme,
                    (d,),
                    day_of,
                    group_ids,
                    seen,
                    kinds,
                )
            )
    for a, activity in enumerate(programme.activities):
        path = ("activities", a)
        candidates = tuple(day_of[x] for x in activity.dates) if activity.dates else None
        if activity.date is not None:
            candidates = (day_of[activity.date],)
        days = candidates if candidates is not None else tuple(range(len(dates)))
        items.append(
            _item(
                len(items), activity, path, source, programme, days, day_of, group_ids, seen, kinds
            )
        )
    legs: dict[str, Leg] = {}
    for k, leg in enumerate(programme.transport):
        legs[leg.id] = _leg(leg, ("transport", k), source, items, day_of, group_ids)
    rooms = {r.id: v.id for v in programme.venues for r in v.rooms}
    capacity = {r.id: r.capacity for v in programme.venues for r in v.rooms}
    return Problem(
        programme=programme,
        dates=dates,
        day_windows=[(day.window.start, day.window.end) for day in programme.days],
        day_venues=[day.venue for day in programme.days],
        day_modules=[day.module for day in programme.days],
        items=items,
        index={item.id: item.index for item in items},
        legs=legs,
        travel=shortest_paths(programme),
        venues={v.id: v for v in programme.venues},
        room_venue=rooms,
        room_capacity=capacity,
        room_slots={
            r.id: tuple((s.start, s.end) for s in r.slots)
            for v in programme.venues
            for r in v.rooms
            if r.slots is not None
        },
        people={p.id: p for p in programme.people},
        group_ids=group_ids,
        group_size={g.id: g.size for g in programme.groups},
        rules=list(programme.rules),
        rule_lines={rule.id: source.line(("rules", i)) for i, rule in enumerate(programme.rules)},
        source=source,
        day_of_date=day_of,
        kinds=kinds,
        boundaries=programme.day_parts.boundaries,
        room_closed={
            r.id: closed
            for v in programme.venues
            for r in v.rooms
            if (
                closed := tuple(
                    (day_of[c.date], c.time.start, c.time.end) for c in r.closed if c.date in day_of
                )
            )
        },
    )


def kind_table(programme: Programme) -> dict[str, KindInfo]:
    """The built-in kinds, then the file's own (which may re-declare a built-in one)."""
    kinds = dict(BUILTIN_KINDS)
    for declared in programme.kinds:
        kinds[declared.id] = KindInfo.of(
            declared.id,
            declared.category,
            tuple(declared.parts) if declared.parts else None,
            declared.label,
        )
    return kinds


def _options(
    programme: Programme,
    days: tuple[int, ...],
    venues: tuple[str, ...],
    venue: str | None,
    no_venue: bool,
) -> tuple[tuple[int, str | None], ...]:
    options: list[tuple[int, str | None]] = []
    for day in days:
        if venues:
            options.extend((day, v) for v in venues)
        elif venue is not None:
            options.append((day, venue))
        elif no_venue:
            options.append((day, None))
        else:
            options.append((day, programme.days[day].venue))
    return tuple(options)


def _item(
    index: int,
    activity: Activity,
    path: Path,
    source: SourceMap,
    programme: Programme,
    days: tuple[int, ...],
    day_of: dict[dt.date, int],
    group_ids: tuple[str, ...],
    seen: dict[Any, tuple[tuple[int, str | None], ...]],
    kinds: dict[str, KindInfo],
) -> Item:
    """``seen``: the candidate options already built for the same days and venues (thousands
    of activities share a handful of them)."""
    info = kinds[activity.kind]
    no_venue = info.category in NO_VENUE_CATEGORIES
    venues = tuple(activity.venues or ())
    key = (days, venues, activity.venue, no_venue)
    options = seen.get(key)
    if options is None:
        options = _options(programme, days, venues, activity.venue, no_venue)
        seen[key] = options
    rooms = tuple(activity.rooms or ([activity.room] if activity.room else []))
    module = activity.module
    if module is None and path[0] == "days" and info.category in SESSION_CATEGORIES:
        # a day's sessions belong to its module; its breaks, lunch and visits do not
        module = programme.days[int(path[1])].module
    return Item(
        index=index,
        id=activity.id,
        title=activity.title,
        kind=activity.kind,
        category=info.category,
        parts=info.parts,
        duration=activity.minutes,
        options=options,
        window=(activity.window.start, activity.window.end) if activity.window else None,
        fixed_start=activity.time.start if activity.time else None,
        pinned=activity.pinned and activity.time is not None,
        rooms=rooms,
        people=tuple(activity.people),
        groups=tuple(activity.groups) or group_ids,
        module=module,
        leg=activity.transport,
        includes_travel=activity.includes_travel,
        path=path,
        line=source.line(path),
        audience=activity.audience,
        barred=tuple(
            (day_of[b.date], b.time.start, b.time.end, b.room)
            for b in activity.barred
            if b.date in day_of
        ),
    )


def _leg(
    leg: TransportLeg,
    path: Path,
    source: SourceMap,
    items: list[Item],
    day_of: dict[dt.date, int],
    group_ids: tuple[str, ...],
) -> Leg:
    if leg.date is not None:
        days: tuple[int, ...] = (day_of[leg.date],)
    elif leg.dates:
        days = tuple(day_of[x] for x in leg.dates)
    else:
        days = tuple(range(len(day_of)))
    depart = (leg.depart, leg.depart) if leg.depart is not None else None
    if depart is None:
        assert leg.depart_window is not None
        depart = (leg.depart_window.start, leg.depart_window.end)
    back_minutes = leg.back.ride_minutes or leg.ride_minutes
    drop_offs = tuple(leg.back.to) or (leg.origin,)
    back_start: int | None = None
    if leg.back.depart is not None:
        back_start = leg.back.depart
    elif leg.back.arrive is not None:
        back_start = leg.back.arrive - back_minutes
    out_id, back_id = ride_ids(leg)
    line = source.line(path)
    groups = tuple(leg.groups) or group_ids
    common = {
        "kind": Kind.TRANSPORT,
        "category": Category.TRAVEL,
        "parts": BUILTIN_KINDS[Kind.TRANSPORT].parts,
        "window": None,
        "rooms": (),
        "people": (),
        "groups": groups,
        "module": None,
        "leg": None,
        "includes_travel": False,
        "path": path,
        "line": line,
    }
    out = Item(
        index=len(items),
        id=out_id,
        title=f"{leg.title} (out)",
        duration=leg.ride_minutes,
        options=tuple((d, leg.origin) for d in days),
        fixed_start=leg.depart,
        pinned=leg.depart is not None,
        ride=(leg.id, "out"),
        **common,  # type: ignore[arg-type]
    )
    items.append(out)
    back = Item(
        index=len(items),
        id=back_id,
        title=f"{leg.title} (return)",
        duration=back_minutes,
        options=tuple((d, leg.to) for d in days),
        fixed_start=back_start,
        pinned=back_start is not None,
        ride=(leg.id, "back"),
        **common,  # type: ignore[arg-type]
    )
    items.append(back)
    served = tuple(item.index for item in items if item.leg == leg.id)
    return Leg(
        id=leg.id,
        title=leg.title,
        out=out.index,
        back=back.index,
        served=served,
        origin=leg.origin,
        destination=leg.to,
        drop_offs=drop_offs,
        depart_window=depart,
        arrive_back=None if back_start is None else back_start + back_minutes,
        line=line,
    )


def shortest_paths(programme: Programme) -> dict[tuple[str, str], int]:
    """All-pairs shortest travel minutes over the undirected travel graph (Dijkstra per venue)."""
    adjacency: dict[str, list[tuple[str, int]]] = {v.id: [] for v in programme.venues}
    for link in programme.travel:
        a, b = link.between
        adjacency[a].append((b, link.minutes))
        adjacency[b].append((a, link.minutes))
    result: dict[tuple[str, str], int] = {}
    for origin in adjacency:
        best = {origin: 0}
        queue = [(0, origin)]
        while queue:
            cost, venue = heapq.heappop(queue)
            if cost > best.get(venue, UNREACHABLE):
                continue
            for neighbour, minutes in adjacency[venue]:
                candidate = cost + minutes
                if candidate < best.get(neighbour, UNREACHABLE):
                    best[neighbour] = candidate
                    heapq.heappush(queue, (candidate, neighbour))
        for destination, cost in best.items():
            result[(origin, destination)] = cost
    return result


def entry_venue(problem: Problem, item: Item, venue: str | None) -> str | None:
    """Where the group must be when ``item`` starts (a ride starts at its origin)."""
    if item.ride is not None:
        return venue
    if item.includes_travel and item.leg is not None:
        return problem.legs[item.leg].origin
    return venue


def exit_venue(problem: Problem, item: Item, venue: str | None) -> str | None:
    """Where the group is when ``item`` ends (a ride ends at its destination or first stop)."""
    if item.ride is not None:
        leg = problem.legs[item.ride[0]]
        return leg.destination if item.ride[1] == "out" else leg.drop_offs[0]
    if item.includes_travel and item.leg is not None:
        return problem.legs[item.leg].drop_offs[0]
    return venue


def hidden_in_container(problem: Problem, item: Item) -> bool:
    """A ride whose served activity's printed time already includes it (a door-to-door visit)."""
    if item.ride is None:
        return False
    leg = problem.legs[item.ride[0]]
    return any(problem.items[s].includes_travel for s in leg.served)


def exempt_pair(problem: Problem, a: Item, b: Item) -> bool:
    """A served activity and the rides of its own leg: their relation is the transport rule's."""
    return any(x.ride is not None and y.leg == x.ride[0] for x, y in ((a, b), (b, a)))
