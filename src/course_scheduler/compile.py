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
from operator import attrgetter
from typing import Any

from .clock import OpenStart
from .collector import collector_paused, promote_to_oldest
from .errors import Path, SourceMap
from .model import (
    Activity,
    AfterDinnerRule,
    DayStartRule,
    DurationRange,
    GridRule,
    HolesRule,
    IdleRule,
    Kind,
    MealDriftRule,
    MealTimesRule,
    OpenersRule,
    OrderRule,
    PartsRule,
    Person,
    Programme,
    Rule,
    SpacedBreaksRule,
    TogetherRule,
    TransportLeg,
    Venue,
    ride_ids,
    source_of,
)
from .samelists import SameLists
from .validation import cross_check
from .vocabulary import (
    BUILTIN_KINDS,
    DEFAULT_BOUNDARIES,
    SESSION_CATEGORIES,
    Category,
    KindInfo,
    Part,
    part_of,
)

DAY = 24 * 60

NO_VENUE_CATEGORIES = frozenset({Category.FREE})
"""Free time happens wherever people like: it has no venue unless the file names one."""


@dataclass(unsafe_hash=True)
class Item:
    """One activity (or one ride of a transport leg) as the rules and the solver see it.

    A value: nothing changes an item once compiled (``dataclasses.replace`` makes a new one).
    It is not declared frozen because a frozen dataclass sets each of its fields through
    ``object.__setattr__``: a sixth of the time of checking 10,000 activities; it hashes and
    compares by value as before."""

    index: int
    id: str
    title: str
    kind: str
    category: Category
    parts: tuple[Part, ...]
    """The parts of the day its kind naturally takes."""
    duration: int
    """The published length, or the shortest an elastic activity may take."""
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
    longest: int = 0
    """The longest an elastic activity may take (0: its duration is fixed)."""
    fixed_length: int | None = None
    """The length of the published time, when the file gives one."""

    @property
    def home_day(self) -> int | None:
        """The day the file lists it on (its usual day when it may move to others)."""
        return int(self.path[1]) if self.path[:1] == ("days",) else None

    @property
    def max_duration(self) -> int:
        return max(self.duration, self.longest)

    @property
    def elastic(self) -> bool:
        return self.longest > self.duration

    track: str | None = None
    open_end: bool = False
    """A published start with no printed end: it lasts until what follows, at least
    ``duration`` and at most ``longest``, in both readings (``structure``)."""
    holds_reading: bool = False
    """An open end with no ``duration`` in the file: its least length is its reading in the
    file itself, and nothing of its groups may start within it (``structure``)."""
    parallel: bool = False
    """A block whose parts run side by side (else one after another, in listed order)."""
    optional: bool = False
    """Optional attendance: ``groups`` are those who join (one virtual group per group)."""
    block: str | None = None
    """The block it is a part of: it lies inside the block and takes no group's day."""
    alternatives: tuple[str, ...] = ()
    """Places decided late: every rule about where it is must hold for each of them."""
    online: bool = False
    named: tuple[str, ...] = ()
    """The people as the file names them (a group of people stays one name)."""
    for_groups: tuple[str, ...] = ()
    """Who it is for, as the file says (the groups' sizes give its audience)."""

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
class Untimed:
    """An activity on a day with no time and no duration (breakfast, office hours to be
    announced): every export lists it with its day; no rule reads it and nobody places it."""

    id: str
    title: str
    kind: str
    category: Category
    day: int
    venue: str | None
    part: Part | None
    groups: tuple[str, ...]
    people: tuple[str, ...]
    optional: bool
    online: bool
    line: int | None


@dataclass(frozen=True)
class DeadlineItem:
    """A moment work is due, in minutes of its day (24:00 is the end of the day)."""

    id: str
    title: str
    day: int
    time: int
    set_by: str | None
    groups: tuple[str, ...]
    """Whose day it is checked in (sub-groups included)."""
    line: int | None
    for_groups: tuple[str, ...] = ()
    """Who it is for, as the file says."""


@dataclass(frozen=True)
class Leg:
    """A compiled transport leg: its ride items (one for a one-way leg) and what it serves."""

    id: str
    title: str
    out: int
    back: int | None
    served: tuple[int, ...]
    origin: str
    destination: str
    drop_offs: tuple[str, ...]
    depart_window: tuple[int, int]
    """Earliest and latest departure (equal when the departure is fixed)."""
    arrive_back: int | None
    line: int | None


@dataclass(frozen=True)
class KeptOverlap:
    """Two activities that overlap for one person or in one room in a published timetable,
    and that a repair may leave overlapping as long as both stay at those times.

    A published conference schedule often breaks its own rules (a host listed in two rooms at
    once, one event listed in five rooms): those clashes are the organisers' to settle. A
    what-if that keeps them (``whatif.repair``) is neither blocked by them nor asked to fix
    them, and every pair that is not kept, or that moves, must be apart as the rule says.
    """

    rule: str
    """The ``no_overlap`` rule (person or room) whose clash is kept."""
    resource: str
    """The person or room id."""
    first: str
    second: str
    """The two activity ids, in id order."""
    at: tuple[tuple[dt.date, int], tuple[dt.date, int]] | None
    """Date and start (minutes of the day) of ``first`` and of ``second`` in the published
    timetable: the overlap is kept only while both are there. None: the file's structure
    forces it wherever they are (two parts of one block too long to follow each other in
    it), so it is kept wherever they are."""
    ends: tuple[int, int] | None = None
    """Their published ends too, when the overlap is kept only while both also keep their
    length (an item printed with no end, read as lasting until what follows: kept as read)."""


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
    day_starts: list[int | None] = field(default_factory=list)
    """Each day's usual start: its ``start``, else the earliest time listed on it."""
    set_aside: list[Rule] = field(default_factory=list)
    """Rules the file sets aside: neither checked nor solved for, listed by ``check``."""
    boundaries: tuple[int, int, int] = DEFAULT_BOUNDARIES
    """Where midday, afternoon and evening begin."""
    room_closed: dict[str, tuple[tuple[int, int, int], ...]] = field(default_factory=dict)
    """Per room that has any: the windows it cannot be used in, (day index, start, end)."""
    untimed: list[Untimed] = field(default_factory=list)
    deadlines: list[DeadlineItem] = field(default_factory=list)
    group_names: dict[str, str] = field(default_factory=dict)
    group_parent: dict[str, str | None] = field(default_factory=dict)
    """Each group's parent (``part_of``, or the group a virtual optional group is drawn
    from); None for a group of its own."""
    person_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each group of people and its members."""
    joining: dict[str, str] = field(default_factory=dict)
    """Each virtual group (those who join an optional activity) and its activity."""

    def travel_need(
        self, first: Item, venue_first: str | None, second: Item, venue_second: str | None
    ) -> int:
        """Minutes from where ``first`` ends to where ``second`` starts, for the worst of the
        places either may still take (``alternatives``): a plan must work for each."""
        origins = _places(self, first, venue_first, exit_venue)
        destinations = _places(self, second, venue_second, entry_venue)
        return max(self.travel_minutes(o, d) for o in origins for d in destinations)

    def contains(self, outer: str, inner: str) -> bool:
        """Is everyone of ``inner`` in ``outer`` (its part, or those of a part who join an
        optional activity among those of the whole who join it)?"""
        if outer in self.ancestors(inner):
            return True
        activity = self.joining.get(outer)
        return (
            activity is not None
            and self.joining.get(inner) == activity
            and self.group_parent.get(outer) in self.ancestors(inner)
        )

    def ancestors(self, group: str) -> tuple[str, ...]:
        """The groups whose activities ``group`` attends too (nearest first)."""
        found: list[str] = []
        parent = self.group_parent.get(group)
        while parent is not None and parent not in found:
            found.append(parent)
            parent = self.group_parent.get(parent)
        return tuple(found)

    kept_overlaps: tuple[KeptOverlap, ...] = ()
    """Published clashes a repair may leave as they are (set by the what-if, never by a file)."""
    kept_findings: dict[str, frozenset[frozenset[str]]] = field(default_factory=dict)
    """Other published errors a repair keeps exactly as published, by rule: the activities of
    each (pinned at their published placements by the what-if, never set by a file). A rule's
    encoding does not post the instance about those activities (``ModelContext.guard``)."""

    kept_at: dict[str, tuple[dt.date, int, int, str | None]] | None = None
    """Where the file places the activities of the errors it forces (date, start, end,
    venue), set by a solve (``keeping.py``): a kept error other than a clash is then left out
    only while its activities are all there, so they may move and mend it, and each error
    kept costs (``Build.kept_costs``). None (a what-if): their activities are pinned."""

    def kept(self, rule: str) -> dict[str, dict[tuple[str, str], KeptOverlap]]:
        """The kept overlaps of ``rule`` by person or room, then by (first, second) id."""
        found: dict[str, dict[tuple[str, str], KeptOverlap]] = {}
        for kept in self.kept_overlaps:
            if kept.rule == rule:
                found.setdefault(kept.resource, {})[(kept.first, kept.second)] = kept
        return found

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
            by_start = dict(slots)  # a conference's rooms: one slot per start
            if len(by_start) < len(slots):
                by_start = {}
                for start, end in slots:
                    by_start[start] = max(end, by_start.get(start, end))
            ends[room] = by_start
        return ends

    def slot_starts(self, room: str, duration: int) -> tuple[int, ...] | None:
        """Allowed starts in a room with a slot grid (slots long enough), None without a grid."""
        slots = self.room_slots.get(room)
        if slots is None:
            return None
        return tuple(sorted({start for start, end in slots if end - start >= duration}))

    def shares_group(self, a: Item, b: Item) -> bool:
        return bool(set(a.groups) & set(b.groups))


@dataclass
class Shared:
    """What thousands of activities have in common, made once per compile and shared: their
    candidate (day, venue) options, by days and venues, and their lists of rooms (one object
    per list, so the checks look each one up as a set once; ``samelists``: the cross-checks
    have told the lists apart already)."""

    options: dict[Any, tuple[tuple[int, str | None], ...]] = field(default_factory=dict)
    lists: SameLists = field(default_factory=SameLists)


UNREACHABLE = 10_000
"""Travel minutes between venues the travel graph does not connect: never feasible in a day."""


def compile_programme(programme: Programme) -> Problem:
    """Build the integer view of a programme. Every reading starts here, so the cross-checks
    run again (``validation.py``): a programme changed in Python since it was made (a venue
    assigned, an activity appended) is refused with the same ``ProgrammeError`` as a file.

    The cycle collector is paused meanwhile (``collector``): it took nearly half the time of
    compiling 10,000 activities when called outside ``check`` (a solve, the benchmarks). The
    problem's objects then go to its oldest generation (``collector.promote_to_oldest``), as
    the conversion's do: made during the pause, they were all young, and the first
    collection after it walked every one of them (a fifth of compiling 10,000 talks)."""
    with collector_paused():
        problem = _compile(programme)
        promote_to_oldest()
    return problem


def _compile(programme: Programme) -> Problem:
    source = source_of(programme)
    seen = Shared()
    cross_check(programme, source, seen.lists)
    kinds = kind_table(programme)
    dates = [day.date for day in programme.days]
    day_of = {date: i for i, date in enumerate(dates)}
    groups = Groups.of(programme)
    group_ids = groups.ids
    items: list[Item] = []
    untimed: list[Untimed] = []
    members = _person_groups(programme)
    for d, day in enumerate(programme.days):
        for a, activity in enumerate(day.activities):
            path: Path = ("days", d, "activities", a)
            if activity.untimed:
                untimed.append(_untimed(activity, d, path, source, programme, groups, kinds))
                continue
            # listed on a day: that day, or (not pinned, with ``dates``) those dates too
            listed = activity.dates
            on = tuple(sorted({d, *(day_of[x] for x in listed)})) if listed else (d,)
            items.append(
                _item(
                    len(items),
                    activity,
                    path,
                    source,
                    programme,
                    on,
                    day_of,
                    groups,
                    seen,
                    kinds,
                    members,
                )
            )
    every_day = tuple(range(len(dates)))
    for a, activity in enumerate(programme.activities):
        path = ("activities", a)
        listed = activity.dates
        days = tuple(day_of[x] for x in listed) if listed else every_day
        if activity.date is not None:
            days = (day_of[activity.date],)
        items.append(
            _item(
                len(items),
                activity,
                path,
                source,
                programme,
                days,
                day_of,
                groups,
                seen,
                kinds,
                members,
            )
        )
    legs: dict[str, Leg] = {}
    for k, leg in enumerate(programme.transport):
        legs[leg.id] = _leg(leg, ("transport", k), source, items, day_of, groups)
    rooms = {r.id: v.id for v in programme.venues for r in v.rooms}
    capacity = {r.id: r.capacity for v in programme.venues for r in v.rooms}
    problem = Problem(
        programme=programme,
        dates=dates,
        day_windows=[(day.window.start, day.window.end) for day in programme.days],
        day_venues=[day.venue for day in programme.days],
        day_modules=[day.module for day in programme.days],
        items=items,
        index=dict(map(attrgetter("id", "index"), items)),
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
        untimed=untimed,
        deadlines=[
            DeadlineItem(
                id=x.id,
                title=x.title,
                day=day_of[x.date],
                time=x.time,
                set_by=x.set_by,
                groups=groups.attending(x.groups),
                line=source.line(("deadlines", k)),
                for_groups=tuple(x.groups) or groups.roots,
            )
            for k, x in enumerate(programme.deadlines)
        ],
        group_names=groups.names,
        group_parent=groups.parent,
        person_groups=members,
        joining=dict(groups.virtual),
        rules=[_selected(rule, items) for rule in programme.rules if rule.set_aside is None]
        + planner_defaults(programme),
        rule_lines={rule.id: source.line(("rules", i)) for i, rule in enumerate(programme.rules)},
        set_aside=[r for r in programme.rules if r.set_aside is not None],
        day_starts=[
            day.start
            if day.start is not None
            else min((a.time.start for a in day.activities if a.time), default=None)
            for day in programme.days
        ],
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
                    (day_of[c.date], c.time.start, c.time.end)
                    for c in r.closed or ()
                    if c.date in day_of
                )
            )
        },
    )
    _hold_readings(problem)
    return problem


def _hold_readings(problem: Problem) -> None:
    """An open end with no ``duration`` lasts at least the time the printed programme leaves
    it, wherever it moves: computed once, against the neighbours the file prints (from its
    start, or from when what the file prints before it ends when that runs into it: a lunch
    of at least 45 minutes printed half an hour before it), until what follows it
    (``structure``). Held so, the printed day still fits: a solve may shift it, never cut it."""
    if not any(map(attrgetter("holds_reading"), problem.items)):  # read in C: most hold none
        return
    from dataclasses import replace

    from .structure import printed_room
    from .timetable import published_timetable

    room = printed_room(problem, published_timetable(problem))
    for k, item in enumerate(problem.items):
        least = room.get(item.id)
        if item.holds_reading and least is not None and least > item.duration:
            problem.items[k] = replace(item, duration=least)


def planner_defaults(programme: Programme) -> list[Rule]:
    """The planner's soft rules the file did not write: each on with its ``objective`` weight,
    off at weight 0 or when the file writes a rule of that kind itself."""
    weights, settings = programme.objective, programme.planner
    written = {rule.kind for rule in programme.rules}
    wanted: list[tuple[type[Any], int, dict[str, Any]]] = [
        (HolesRule, weights.holes, {"minimum": settings.min_hole}),
        (OrderRule, weights.order, {}),
        (GridRule, weights.grid, {"minutes": settings.grid}),
        (DayStartRule, weights.day_start, {}),
        (PartsRule, weights.parts, {}),
        (MealTimesRule, weights.meal_times, {"slack": settings.meal_slack}),
        (MealDriftRule, weights.meal_drift, {}),
        (OpenersRule, weights.openers, {"kinds": list(settings.openers)}),
        (SpacedBreaksRule, weights.spaced_breaks, {}),
        (AfterDinnerRule, weights.after_dinner, {}),
        (TogetherRule, weights.together, {}),
        (IdleRule, weights.idle, {"maximum": settings.max_idle}),
    ]
    rules: list[Rule] = []
    for cls, weight, extra in wanted:
        kind = cls.model_fields["kind"].annotation.__args__[0]
        if weight and kind not in written:
            ident = f"planner-{kind.replace('_', '-')}"
            rule = cls(id=ident, kind=kind, severity="soft", weight=weight, **extra)
            rule._default = True
            rules.append(rule)
    return rules


@dataclass(frozen=True)
class Groups:
    """Who attends what. A group's day holds its own activities and those of every group it is
    a part of, so an activity for a group is in the day of its sub-groups too (``attending``).
    An optional activity is in the day of none of them: each group that may join it gets a
    virtual sub-group, "those who join", whose day is that group's day plus the activity. So an
    optional night walk breaks nobody's day for not being attended, and is checked (travel,
    overlaps) for those who go."""

    ids: tuple[str, ...]
    roots: tuple[str, ...]
    virtual: dict[str, str]
    """Each virtual group and the optional activity it joins."""
    names: dict[str, str]
    parent: dict[str, str | None]
    below: dict[str, tuple[str, ...]]
    """Each group with every group under it (itself first), virtual ones included."""
    _attending: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, programme: Programme) -> Groups:
        real = [g.id for g in programme.groups]
        names = {g.id: g.name for g in programme.groups}
        parent: dict[str, str | None] = {g.id: g.part_of for g in programme.groups}
        roots = tuple(g for g in real if parent[g] is None)
        virtual: dict[str, str] = {}
        real_below = {g: _below(g, real, parent) for g in real}
        for activity in programme.all_activities():
            if not activity.optional:
                continue
            for group in _unique(real_below[g] for g in (activity.groups or roots)):
                ident = _joining(group, activity.id)
                virtual[ident] = activity.id
                parent[ident] = group
                who = "" if len(real) == 1 else f" of {names[group]}"
                names[ident] = f"those{who} who join '{_short(activity.title)}'"
        ids = (*real, *virtual)
        below = {g: _below(g, ids, parent) for g in ids}
        return cls(ids, roots, virtual, names, parent, below)

    def attending(self, declared: Iterable[str]) -> tuple[str, ...]:
        """The groups whose day holds an activity for ``declared`` (empty: everyone); worked
        out once per list of groups (a conference's thousands of talks are for everyone)."""
        key = tuple(declared) or self.roots
        found = self._attending.get(key)
        if found is None:
            found = self._attending[key] = _unique(self.below[g] for g in key)
        return found

    def joining(self, activity: Activity) -> tuple[str, ...]:
        """The virtual groups of those who join an optional activity."""
        real = _unique(
            tuple(x for x in self.below[g] if x not in self.virtual)
            for g in (activity.groups or self.roots)
        )
        return tuple(_joining(g, activity.id) for g in real)


def _joining(group: str, activity: str) -> str:
    """The id of a virtual group: '+' never appears in a file's ids."""
    return f"{group}+{activity}"


def _short(title: str) -> str:
    return title if len(title) <= 40 else title[:37].rstrip() + "..."


def _below(group: str, ids: Iterable[str], parent: dict[str, str | None]) -> tuple[str, ...]:
    found = [group]
    for other in ids:
        current = parent.get(other)
        seen = {other}
        while current is not None and current not in seen:
            if current == group:
                found.append(other)
                break
            seen.add(current)
            current = parent.get(current)
    return tuple(found)


def _unique(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(g for chunk in groups for g in chunk))


def _person_groups(programme: Programme) -> dict[str, tuple[str, ...]]:
    return {p.id: tuple(p.members) for p in programme.people if p.members is not None}


def _people(members: dict[str, tuple[str, ...]], named: Iterable[str]) -> tuple[str, ...]:
    """The people an activity takes: a group of people stands for its members (``members``:
    the programme's groups of people, built once per compile, not once per activity)."""
    if not members:
        return tuple(dict.fromkeys(named))
    return _unique(members.get(x, (x,)) for x in named)


def _places(problem: Problem, item: Item, venue: str | None, side: Any) -> tuple[str | None, ...]:
    if item.alternatives:
        return tuple(side(problem, item, v) for v in item.alternatives)
    return (side(problem, item, venue),)


def kind_table(programme: Programme) -> dict[str, KindInfo]:
    """The built-in kinds, then the file's own (which may re-declare a built-in one)."""
    kinds = dict(BUILTIN_KINDS)
    for declared in programme.kinds:
        parts = tuple(declared.parts) if declared.parts else None
        builtin = BUILTIN_KINDS.get(declared.id)
        if parts is None and builtin is not None and builtin.category == declared.category:
            parts = builtin.parts  # a file that writes out 'breakfast' means the morning one
        kinds[declared.id] = KindInfo.of(declared.id, declared.category, parts, declared.label)
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
    groups: Groups,
    seen: Shared,
    kinds: dict[str, KindInfo],
    members: dict[str, tuple[str, ...]],
) -> Item:
    """``seen``: what activities have in common, made once (``Shared``); ``members``: each
    group of people's members. The activity's fields are read once each, from the model's
    own dictionary (``validation`` reads them so too): this runs once per activity whenever
    a programme is read, and attribute and property lookups were a third of it."""
    a = activity.__dict__
    kind, time, online, alternatives = a["kind"], a["time"], a["online"], a["alternatives"]
    info = kinds[kind]
    no_venue = info.category in NO_VENUE_CATEGORIES or bool(online)
    venues = tuple(a["venues"] or ())
    venue = a["venue"]
    if alternatives:  # placed at the first; the rules read every one
        venues, venue = (), alternatives[0]
    if online:
        venues, venue = (), None
    key = (days, venues, venue, no_venue)
    options = seen.options.get(key)
    if options is None:
        options = _options(programme, days, venues, venue, no_venue)
        seen.options[key] = options
    if a["rooms"]:
        rooms = seen.lists.shared(a["rooms"])
    else:
        rooms = seen.lists.one((a["room"],) if a["room"] else ())
    duration = a["duration"]
    if time is None and type(duration) is int:  # most activities (``_lengths``)
        shortest, longest = duration, 0
    else:
        shortest, longest = _lengths(activity)
    module = a["module"]
    if module is None and path[0] == "days" and info.category in SESSION_CATEGORIES:
        # a day's sessions belong to its module; its breaks, lunch and visits do not
        module = programme.days[int(path[1])].module
    declared = tuple(a["groups"]) or groups.roots
    block = a["block"]
    if block is not None:
        attending: tuple[str, ...] = ()  # the block takes the group's day for it
    elif a["optional"]:
        attending = groups.joining(activity)
    else:
        attending = groups.attending(declared)
    open_end = isinstance(time, OpenStart)
    window, named, barred = a["window"], a["people"], a["barred"]
    return _new_item(
        {
            "index": index,
            "id": a["id"],
            "title": a["title"],
            "kind": kind,
            "category": info.category,
            "parts": info.parts,
            "duration": shortest,
            "options": options,
            "window": (window.start, window.end) if window else None,
            "fixed_start": time.start if time else None,
            "pinned": a["pinned"] and time is not None,
            "rooms": rooms,
            "people": _people(members, named) if members else tuple(dict.fromkeys(named)),
            "groups": attending,
            "module": module,
            "leg": a["transport"],
            "includes_travel": a["includes_travel"],
            "ride": None,
            "path": path,
            "line": source.line(path),
            "audience": a["audience"],
            "longest": longest,
            "fixed_length": None if time is None or open_end else activity.minutes,
            "barred": tuple(
                (day_of[b.date], b.time.start, b.time.end, b.room)
                for b in barred
                if b.date in day_of
            )
            if barred
            else (),
            "track": a["track"],
            "open_end": open_end,
            "holds_reading": open_end and duration is None,
            "parallel": bool(a["parallel"]),
            "optional": bool(a["optional"]),
            "block": block,
            "alternatives": tuple(alternatives or ()),
            "online": bool(online),
            "named": tuple(named),
            "for_groups": declared,
        }
    )


def _new_item(values: dict[str, Any]) -> Item:
    """The item of ``values`` (every field): the same as ``Item(**values)``, made in one step.
    The dataclass's constructor stores its 35 fields one by one, which was a fifth of compiling
    10,000 activities; ``tests/test_compile.py`` holds the two ways to agree."""
    item = object.__new__(Item)
    item.__dict__ = values
    return item


def _untimed(
    activity: Activity,
    day: int,
    path: Path,
    source: SourceMap,
    programme: Programme,
    groups: Groups,
    kinds: dict[str, KindInfo],
) -> Untimed:
    category = kinds[activity.kind].category
    venue = activity.venue
    if venue is None and category not in NO_VENUE_CATEGORIES and not activity.online:
        venue = activity.alternatives[0] if activity.alternatives else programme.days[day].venue
    return Untimed(
        id=activity.id,
        title=activity.title,
        kind=activity.kind,
        category=category,
        day=day,
        venue=venue,
        part=activity.part,
        groups=tuple(activity.groups) or groups.roots,
        people=tuple(activity.people),
        optional=bool(activity.optional),
        online=bool(activity.online),
        line=source.line(path),
    )


def _lengths(activity: Activity) -> tuple[int, int]:
    """(shortest, longest) an activity may last; longest is 0 when its length is fixed. An
    open end lasts at least its duration (a minute when none is given, until ``compile``
    holds its reading) and at most the top of a duration range (else a day). A range on a
    printed time (a work block that may shrink) is the solver's to choose in, pinned or not;
    the printed time is its usual length."""
    if activity.time is None and type(activity.duration) is int:  # most activities: quickly
        return activity.duration, 0
    low, high = activity.duration_range
    if isinstance(activity.time, OpenStart):
        return low, high if isinstance(activity.duration, DurationRange) else DAY
    if activity.time is not None and activity.pinned and high == low:
        return activity.time.minutes, 0
    return (low, high) if high > low else (low, 0)


def _selected(rule: Rule, items: list[Item]) -> Rule:
    """A clash rule that names tracks, with their activities added to its list: both readings
    of the rule then see one list of activities, whatever way the file chose them."""
    if rule.kind != "clash" or not rule.tracks:
        return rule
    tracks = set(rule.tracks)
    chosen = [*rule.activities, *(i.id for i in items if i.track in tracks)]
    return rule.model_copy(update={"activities": list(dict.fromkeys(chosen))})


def _leg(
    leg: TransportLeg,
    path: Path,
    source: SourceMap,
    items: list[Item],
    day_of: dict[dt.date, int],
    groups: Groups,
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
    back_minutes = (leg.back.ride_minutes if leg.back else None) or leg.ride_minutes
    drop_offs = (tuple(leg.back.to) if leg.back else ()) or (leg.origin,)
    back_start: int | None = None
    if leg.back is not None and leg.back.depart is not None:
        back_start = leg.back.depart
    elif leg.back is not None and leg.back.arrive is not None:
        back_start = leg.back.arrive - back_minutes
    out_id, back_id = ride_ids(leg)
    line = source.line(path)
    riders = groups.attending(leg.groups)
    common = {
        "kind": Kind.TRANSPORT,
        "category": Category.TRAVEL,
        "parts": BUILTIN_KINDS[Kind.TRANSPORT].parts,
        "window": None,
        "rooms": (),
        "people": (),
        "groups": riders,
        "for_groups": tuple(leg.groups) or groups.roots,
        "module": None,
        "leg": None,
        "includes_travel": False,
        "path": path,
        "line": line,
    }
    out = Item(
        index=len(items),
        id=out_id,
        title=f"{leg.title} (out)" if leg.back is not None else leg.title,
        duration=leg.ride_minutes,
        options=tuple((d, leg.origin) for d in days),
        fixed_start=leg.depart,
        pinned=leg.depart is not None,
        ride=(leg.id, "out"),
        **common,  # type: ignore[arg-type]
    )
    items.append(out)
    back: Item | None = None
    if leg.back is not None:
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
        back=back.index if back is not None else None,
        served=served,
        origin=leg.origin,
        destination=leg.to,
        drop_offs=drop_offs,
        depart_window=depart,
        arrive_back=None if back_start is None else back_start + back_minutes,
        line=line,
    )


def shortest_paths(programme: Programme) -> dict[tuple[str, str], int]:
    """All-pairs shortest travel minutes over the travel graph (Dijkstra per venue): a
    ``between`` link holds both ways, a ``from``/``to`` link one way, so A to B may differ
    from B to A."""
    adjacency: dict[str, list[tuple[str, int]]] = {v.id: [] for v in programme.venues}
    for link in programme.travel:
        a, b = link.ends
        adjacency[a].append((b, link.minutes))
        if not link.one_way:
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
    """Where the group is when ``item`` ends (a ride ends at its destination or first stop; an
    activity that includes a one-way leg ends where it is)."""
    if item.ride is not None:
        leg = problem.legs[item.ride[0]]
        return leg.destination if item.ride[1] == "out" else leg.drop_offs[0]
    if item.includes_travel and item.leg is not None and problem.legs[item.leg].back is not None:
        return problem.legs[item.leg].drop_offs[0]
    return venue


def hidden_in_container(problem: Problem, item: Item) -> bool:
    """A ride whose served activity's printed time already includes it (a door-to-door visit)."""
    if item.ride is None:
        return False
    leg = problem.legs[item.ride[0]]
    return any(problem.items[s].includes_travel for s in leg.served)


def exempt_pair(problem: Problem, a: Item, b: Item) -> bool:
    """A served activity and the rides of its own leg: their relation is the transport rule's;
    a block and its parts: a part lies inside its block by construction."""
    if a.block == b.id or b.block == a.id:
        return True
    return any(x.ride is not None and y.leg == x.ride[0] for x, y in ((a, b), (b, a)))
