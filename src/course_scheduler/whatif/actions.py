"""Applying a scenario: each change turns a programme into the programme the scenario
describes (the input is never modified)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..clock import TimeRange
from ..compile import kind_table
from ..errors import ProgrammeError
from ..lookup import one
from ..model import (
    Activity,
    Availability,
    AvailabilityRule,
    Closed,
    DateWindowRule,
    Person,
    Programme,
    Room,
    Rule,
    SameRoomRule,
    Status,
    release_module,
)
from ..rules.base import day_label
from ..rules.describe import describe
from ..text import and_list, plural
from ..validation import cross_check
from ..vocabulary import SESSION_CATEGORIES
from .removal import remove
from .scenario import (
    AddActivity,
    AvailableOnly,
    ChangeDateWindow,
    ChangeDuration,
    CloseRoom,
    CloseVenue,
    MoveTransport,
    Pin,
    RemoveActivity,
    Scenario,
    Unavailable,
    located,
)
from .timelimit import PER_ACTIVITY, TimeLimit


@dataclass
class Applied:
    programme: Programme
    pinned: set[str] = field(default_factory=set)
    removed: list[str] = field(default_factory=list)
    why_removed: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    attention: list[str] = field(default_factory=list)
    """What the planner must still do by hand (a title that names an absent person)."""


def person_id(programme: Programme, name: str) -> str:
    """A person by id or by name (``lookup.one``), as an export's ``--person`` reads it: a
    name several people share asks for an id (the first was taken, so a what-if could take
    the wrong speaker away); an unknown name's error names the nearest names."""
    people = [(p.id, p.name) for p in programme.people]
    return one(people, name, unknown=f"unknown person '{name}'", plural="people")


def apply(programme: Programme, scenario: Scenario, *, limit: TimeLimit | None = None) -> Applied:
    """The programme as the scenario changes it (the input is never modified).

    The copy the changes are made on is the programme's plain form read back (as the loader
    reads a file), not a deep copy: the same programme (equal, field for field), in half the
    CPU (0.10 s against 0.20 s at 2,000 talks). With a ``limit``, ``OutOfTime`` between
    changes once it has run out, and before the loader's checks of the result when less is
    left than they take (half of this step)."""
    from ..loading import validate

    source = _source(programme)
    applied = Applied(validate(programme.model_dump(by_alias=True, mode="json"), source))
    for change in scenario.changes:
        if limit is not None:
            limit.look()
        try:
            _APPLY[type(change)](applied, change)
            cross_check(applied.programme)  # what the change leaves is still a programme
        except ProgrammeError as error:
            raise located(change, error) from None
    _redescribe_changed_rules(programme, applied.programme)
    if limit is not None:
        limit.look(PER_ACTIVITY["scenario"] / 2 * limit.activities)
    # one pass of the loader's own checks: a scenario cannot produce what a file could not
    data = applied.programme.model_dump(by_alias=True, mode="json")
    applied.programme = validate(data, source)
    return applied


def _redescribe_changed_rules(original: Programme, changed: Programme) -> None:
    """A rule whose values the scenario changed gets a sentence made from its new values: the
    file's description may quote dates, times or activities that no longer hold."""
    before = {rule.id: rule for rule in original.rules}
    titles = {a.id: a.title for a in changed.all_activities()}
    titles.update({a.id: a.title for a in original.all_activities()})
    for rule in changed.rules:
        old = before.get(rule.id)
        if old is not None and _values(old) == _values(rule):
            continue
        rule.description = describe(rule, titles) + " (as the scenario changes it)"


def _values(rule: Rule) -> dict[str, Any]:
    return rule.model_dump(exclude={"description"})


def free_days(programme: Programme) -> Programme:
    """Sessions may move to any course day: each module as a whole (they keep their module),
    and a session of no module on its own; days stop declaring modules; breaks, lunches and
    visits keep their day; venues follow the day unless the activity names one. What ties an
    activity to its day keeps it there, in a module too (``tied_to_day``): a block or a part of
    one (a part is listed on its block's day), a transport leg it is served by, no printed
    time or no printed end."""
    p = programme.model_copy(deep=True)
    dates = [day.date for day in p.days]
    kinds = kind_table(p)
    blocks = {a.block for a in p.all_activities() if a.block is not None}
    for day in p.days:
        staying = []
        for activity in day.activities:
            session = kinds[activity.kind].category in SESSION_CATEGORIES
            tied = tied_to_day(activity, blocks)
            if activity.module is None and session and not tied:
                activity.module = day.module
            if tied or (activity.module is None and not session):
                staying.append(activity)
                continue
            activity.date, activity.dates = None, list(dates)
            p.activities.append(activity)
        day.activities = staying
        release_module(p, day)
    for activity in p.activities:
        if activity.date is not None:
            activity.date, activity.dates = None, list(dates)
    return Programme.model_validate(p.model_dump(by_alias=True))


def tied_to_day(activity: Activity, blocks: set[str]) -> bool:
    """Does something in the file keep this session on the day it is listed on?"""
    return (
        activity.id in blocks
        or activity.block is not None
        or activity.transport is not None
        or activity.untimed
        or activity.open_end
    )


def _source(programme: Programme) -> Any:
    from ..loading import source_of

    return source_of(programme)


def _activities(p: Programme) -> list[Activity]:
    return p.all_activities()


def _unavailable(applied: Applied, change: Unavailable) -> None:
    p = applied.programme
    ident = person_id(p, change.person)
    person = next(x for x in p.people if x.id == ident)
    if not change.dates and not change.windows:
        person.status = Status.DECLINED
        if change.talks == "substitute":
            if change.substitute is None:
                raise ProgrammeError("talks: substitute needs 'substitute' (a person)")
            other = person_id(p, change.substitute)
            affected = [a for a in _activities(p) if ident in a.people]
            for activity in affected:
                activity.people = list(
                    dict.fromkeys(other if x == ident else x for x in activity.people)
                )
            for group in _groups_of(p, ident):  # she takes part through a group: so does he
                assert group.members is not None
                group.members = list(
                    dict.fromkeys(other if x == ident else x for x in group.members)
                )
            substitute = next(x for x in p.people if x.id == other)
            applied.notes.append(f"{person.name}'s activities go to {substitute.name}")
            _titles_naming(applied, person.name, affected)
            return
        absent = {ident, *_leave_groups(applied, ident)}
        affected = [a for a in _activities(p) if absent.intersection(a.people)]
        if change.talks == "drop":
            _drop_person(applied, absent, affected)
        else:
            _keep_without(applied, absent, affected)
        return
    windows = _availability_windows(p, person.available)
    for date in change.dates:
        windows = [(d, r) for d, r in windows if d != date]
    for window in change.windows:
        cut = window.time or TimeRange(0, 24 * 60)
        windows = [
            (d, piece)
            for d, r in windows
            for piece in ([r] if d != window.date else _subtract(r, cut))
        ]
    person.available = [Availability(date=d, time=r) for d, r in windows]
    _availability_holds(applied, person.name)


def _availability_holds(applied: Applied, name: str) -> None:
    """A scenario that narrows when someone can come must be enforced: a programme without an
    ``availability`` rule (an imported schedule has none) gets one."""
    p = applied.programme
    if any(isinstance(rule, AvailabilityRule) for rule in p.rules):
        return
    taken = {rule.id for rule in p.rules}
    p.rules.append(
        AvailabilityRule(
            id=unique_rule_id("availability", taken),
            kind="availability",
            description="People take part only when they are available.",
        )
    )
    applied.notes.append(
        f"the programme has no availability rule; one is added so that {name}'s times hold"
    )


def _groups_of(p: Programme, ident: str) -> list[Person]:
    """The groups of people (``members``) that ``ident`` is a member of."""
    return [x for x in p.people if x.members and ident in x.members]


def _leave_groups(applied: Applied, ident: str) -> list[str]:
    """An absent member leaves each group of people she is in, and the group still takes part
    through the others ("a co-presenter still gives the session"); a group with nobody else
    coming is absent with her (its ids are returned)."""
    p = applied.programme
    names = {x.id: x.name for x in p.people}
    declined = {x.id for x in p.people if x.status == Status.DECLINED}
    emptied = []
    for group in _groups_of(p, ident):
        assert group.members is not None
        coming = [m for m in group.members if m != ident and m not in declined]
        if coming:
            group.members = [m for m in group.members if m != ident]
            who = (
                and_list([names[m] for m in coming])
                if len(coming) <= 3
                else f"{len(coming)} others of it"
            )
            verb = "takes" if len(coming) == 1 else "take"
            applied.notes.append(f"{names[ident]} leaves {group.name}; {who} still {verb} part")
        else:
            emptied.append(group.id)
            applied.notes.append(f"nobody of {group.name} but {names[ident]} is coming")
    return emptied


def _drop_person(applied: Applied, absent: set[str], affected: list[Activity]) -> None:
    """An activity goes only when nobody else who is coming takes part in it; otherwise the
    absent person simply leaves its list of people."""
    p = applied.programme
    declined = {x.id for x in p.people if x.status == Status.DECLINED}
    name = next(x.name for x in p.people if x.id in absent and x.status == Status.DECLINED)
    gone = []
    for activity in affected:
        others = [x for x in activity.people if x not in absent and x not in declined]
        if others:
            activity.people = [x for x in activity.people if x not in absent]
            names = ", ".join(x.name for x in p.people if x.id in others)
            verb = "takes" if len(others) == 1 else "take"
            applied.notes.append(f"{activity.id} stays: {names} still {verb} part")
        else:
            gone.append(activity.id)
    if gone:
        _remove(applied, gone, f"{name} cannot come")


def _keep_without(applied: Applied, absent: set[str], affected: list[Activity]) -> None:
    """``talks: keep``: the activities stay where they are, without the absent person; one that
    nobody else gives now is flagged for the planner (a speaker to find)."""
    p = applied.programme
    declined = {x.id for x in p.people if x.status == Status.DECLINED}
    name = next(x.name for x in p.people if x.id in absent and x.status == Status.DECLINED)
    for activity in affected:
        activity.people = [x for x in activity.people if x not in absent]
        if not [x for x in activity.people if x not in declined]:
            applied.attention.append(
                f"{activity.id} ('{activity.title}') is kept without {name}, and nobody else "
                "gives it: find someone to give it, or drop it"
            )
        else:
            applied.notes.append(f"{activity.id} is kept without {name}")


def _titles_naming(applied: Applied, name: str, activities: list[Activity]) -> None:
    """A substitute gives the talk, but a title that names the absent person would still be
    printed: the planner must rewrite it."""
    surname = name.split()[-1].casefold() if name.split() else name.casefold()
    for activity in activities:
        text = activity.title.casefold()
        if name.casefold() in text or (len(surname) > 3 and surname in text):
            applied.attention.append(
                f"the title of {activity.id} still names {name}: '{activity.title}'"
            )


def _availability_windows(
    p: Programme, available: list[Availability] | None
) -> list[tuple[dt.date, TimeRange]]:
    if available is None:
        return [(day.date, TimeRange(0, 24 * 60)) for day in p.days]
    return [(w.date, w.time or TimeRange(0, 24 * 60)) for w in available]


def _subtract(span: TimeRange, cut: TimeRange) -> list[TimeRange]:
    pieces = []
    if cut.start > span.start:
        pieces.append(TimeRange(span.start, min(span.end, cut.start)))
    if cut.end < span.end:
        pieces.append(TimeRange(max(span.start, cut.end), span.end))
    return [x for x in pieces if x.end > x.start]


def _available_only(applied: Applied, change: AvailableOnly) -> None:
    p = applied.programme
    ident = person_id(p, change.person)
    person = next(x for x in p.people if x.id == ident)
    person.available = list(change.windows)
    _availability_holds(applied, person.name)


def _remove(applied: Applied, idents: Iterable[str], reason: str) -> None:
    """Remove activities and what depends on them; rules keep what they say about the rest."""
    removal = remove(applied.programme, idents, reason)
    for ident, why in removal.reasons.items():
        if ident not in applied.removed:
            applied.removed.append(ident)
            applied.why_removed[ident] = why
    applied.notes.extend(removal.notes)


def _remove_activity(applied: Applied, change: RemoveActivity) -> None:
    _remove(applied, [change.activity], "the scenario removes it")


def _add_activity(applied: Applied, change: AddActivity) -> None:
    p = applied.programme
    if change.date is None:
        p.activities.append(change.activity)
        return
    for day in p.days:
        if day.date == change.date:
            day.activities.append(change.activity)
            return
    raise ProgrammeError(f"{change.date} is not one of the course days")


def _find(p: Programme, ident: str) -> Activity:
    for activity in _activities(p):
        if activity.id == ident:
            return activity
    raise ProgrammeError(f"unknown activity '{ident}'")


def _change_duration(applied: Applied, change: ChangeDuration) -> None:
    activity = _find(applied.programme, change.activity)
    if activity.time is None:
        activity.duration = change.minutes
        return
    activity.duration = None  # first: a time and a duration that disagree are refused
    activity.time = TimeRange(activity.time.start, activity.time.start + change.minutes)


def _close_venue(applied: Applied, change: CloseVenue) -> None:
    p = applied.programme
    if change.venue not in {v.id for v in p.venues}:
        raise ProgrammeError(f"unknown venue '{change.venue}'")
    if change.date not in {day.date for day in p.days}:
        raise ProgrammeError(f"{change.date} is not one of the course days")
    instead = change.instead or _nearest_other_venue(p, change.venue, change.date)
    for day in p.days:
        if day.date != change.date:
            continue
        default = day.venue
        if day.venue == change.venue:
            day.venue = instead
        for activity in day.activities:
            if activity.venue == change.venue or (
                activity.venue is None and default == change.venue
            ):
                activity.venue = instead
            if activity.venues:
                activity.venues = [v for v in activity.venues if v != change.venue] or [instead]
    for leg in p.transport:
        if leg.date == change.date and leg.origin == change.venue:
            leg.origin = instead
    names = {v.id: v.name for v in p.venues}
    applied.notes.append(
        f"{names[change.venue]} closed on {day_label(change.date)}: using {names[instead]}"
    )


def _room_id(rooms: list[tuple[str, str]], typed: str, where: str) -> str:
    """A room by id or by name, as a person is found (``lookup.one``): "AW1.120" is aw1.120."""
    return one(rooms, typed, unknown=f"unknown room '{typed}'{where}", plural="rooms")


def _close_room(applied: Applied, change: CloseRoom) -> None:
    """The room is closed on that date (all day, or in ``change.time``): a ``closed`` window
    of the room, which every rule reading rooms then honours. Every event in the room that
    overlaps the window gets a choice of rooms (``rooms.py``): ``instead``, or the other rooms
    of the tracks the room holds, each only when it is of the room's kind and seats the
    event's audience, and the room itself (outside the closed hours). The other parts of an
    event split at midnight, and the parts of a block, go with it into one room (a
    ``same_room`` rule). An activity that could use the room among others loses it then."""
    from ..importers.schedule import split_parts

    p = applied.programme
    rooms = {r.id: r for v in p.venues for r in v.rooms}
    venue_of = {r.id: v.id for v in p.venues for r in v.rooms}
    named = [(r.id, r.name) for r in rooms.values()]
    room = _room_id(named, change.room, "")
    if change.date not in {day.date for day in p.days}:
        raise ProgrammeError(f"{change.date} is not one of the course days")
    asked = [_room_id(named, other, " in 'instead'") for other in change.instead]
    for other in asked:
        if other == room or venue_of[other] != venue_of[room]:
            raise ProgrammeError(
                f"'instead' names rooms of the same venue other than the closed one, not '{other}'"
            )
    instead = list(dict.fromkeys(asked)) or _track_rooms(p, room)
    closed = change.time or TimeRange(0, 24 * 60)
    whole_day = closed.start == 0 and closed.end == 24 * 60
    if not instead and whole_day:
        raise ProgrammeError(
            f"room {rooms[room].name} ({room}) holds no event of a track that other rooms hold "
            "too; "
            "name the rooms its events may use with 'instead'"
        )
    shut = rooms[room]
    shut.closed = [*(shut.closed or []), Closed(date=change.date, time=closed)]
    groups = _moving_together(p, split_parts(p))
    by_id = {a.id: (day.date, a) for day in p.days for a in day.activities}
    displaced: list[str] = []
    for day in p.days:
        for activity in day.activities:
            if day.date != change.date:
                continue
            if activity.room == room and _overlaps(activity, closed):
                displaced.extend(groups.get(activity.id, [activity.id]))
            elif activity.rooms and room in activity.rooms and whole_day:
                activity.rooms = [r for r in activity.rooms if r != room] or instead
    displaced = list(dict.fromkeys(displaced))
    limited: list[str] = []
    for ident in displaced:
        date, activity = by_id[ident]
        fitting, excluded = _fitting_rooms(p, activity, rooms, instead)
        if excluded:
            limited.append(f"'{activity.title}' may not use {excluded}")
        # the room itself stays a choice of what the closure hits: outside its closed hours
        # it is still the best one, and when nothing else fits, an explanation names the
        # closure; the rest of its group (another date, outside the hours) must leave it
        hit = date == change.date and _overlaps(activity, closed)
        activity.room, activity.rooms = None, [room, *fitting] if hit else fitting
    _same_room_rules(p, [g for g in _unique_groups(groups) if set(g) & set(displaced)])
    when = day_label(change.date) + ("" if whole_day else f" {closed}")
    applied.notes.append(
        f"{shut.name} closed on {when}: "
        f"{plural(len(displaced), 'activity')} there may use "
        + (", ".join(rooms[r].name for r in instead) or "no other room")
        + ("" if whole_day else f", or {shut.name} outside those hours")
    )
    if limited:
        applied.notes.append(
            "by their rooms' kind and seats: "
            + "; ".join(limited[:5])
            + (f"; and {len(limited) - 5} more" if len(limited) > 5 else "")
        )


def _overlaps(activity: Activity, window: TimeRange) -> bool:
    time = activity.time
    if not isinstance(time, TimeRange):
        return time is not None and window.start <= time.start < window.end
    return time.start < window.end and window.start < time.end


def _moving_together(p: Programme, split: list[list[str]]) -> dict[str, list[str]]:
    """Each activity that must keep one room with others, with all of them: the parts of an
    event split at midnight, and a block with its parts."""
    groups: dict[str, list[str]] = {}
    for parts in split:
        for ident in parts:
            groups[ident] = list(parts)
    blocks: dict[str, list[str]] = {}
    for activity in p.all_activities():
        if activity.block is not None:
            blocks.setdefault(activity.block, [activity.block]).append(activity.id)
    for members in blocks.values():
        for ident in members:
            groups[ident] = list(dict.fromkeys([*groups.get(ident, []), *members]))
    return groups


def _unique_groups(groups: dict[str, list[str]]) -> list[list[str]]:
    return list({tuple(g): g for g in groups.values() if len(g) > 1}.values())


def _same_room_rules(p: Programme, groups: list[list[str]]) -> None:
    taken = {rule.id for rule in p.rules}
    for parts in groups:
        p.rules.append(
            SameRoomRule(
                id=unique_rule_id(f"same-room-{parts[0]}", taken),
                kind="same_room",
                activities=parts,
                description="The parts of an event split at midnight, or of a block, stay in "
                "one room.",
            )
        )


def _fitting_rooms(
    p: Programme, activity: Activity, rooms: dict[str, Room], candidates: list[str]
) -> tuple[list[str], str]:
    """The candidates a session displaced from its room may use: of the room's kind (a hall's
    talk goes to a hall or a stage, not to a workshop space) and seating its audience (its
    ``audience``, else the seats of the room it was in), when those are known; and the rooms
    left out, in words. A break or a meal may use any."""
    from ..importers.kinds import same_kind

    if kind_table(p)[activity.kind].category not in SESSION_CATEGORIES:
        return list(candidates), ""  # a break or a meal needs no seats facing a stage
    home = rooms.get(activity.room or "")
    need = activity.audience or (home.capacity if home is not None else None)
    kind = home.kind if home is not None else None
    fitting, excluded = [], []
    for ident in candidates:
        room = rooms[ident]
        if not same_kind(kind, room.kind):
            excluded.append(f"{room.name} (a {room.kind} room)" if room.kind else room.name)
        elif need is not None and room.capacity is not None and room.capacity < need:
            excluded.append(f"{room.name} ({room.capacity} seats for {need})")
        else:
            fitting.append(ident)
    return fitting, ", ".join(excluded)


def _track_rooms(p: Programme, room: str) -> list[str]:
    """The other rooms that hold events of the tracks ``room`` holds, in the venue's order."""
    activities = p.all_activities()
    tracks = {a.track for a in activities if a.room == room and a.track is not None}
    used = {a.room for a in activities if a.track in tracks and a.room is not None}
    order = [r.id for v in p.venues for r in v.rooms]
    return [r for r in order if r in used and r != room]


def unique_rule_id(base: str, taken: set[str]) -> str:
    ident, k = base, 2
    while ident in taken:
        ident, k = f"{base}-{k}", k + 1
    taken.add(ident)
    return ident


def _nearest_other_venue(p: Programme, closed: str, date: dt.date) -> str:
    others = sorted(
        (abs((day.date - date).days), day.date, day.venue)
        for day in p.days
        if day.venue is not None and day.venue != closed
    )
    if not others or others[0][2] is None:
        raise ProgrammeError(f"no other day's venue to use instead of '{closed}'; give 'instead'")
    return others[0][2]


def _move_transport(applied: Applied, change: MoveTransport) -> None:
    leg = next((x for x in applied.programme.transport if x.id == change.leg), None)
    if leg is None:
        raise ProgrammeError(f"unknown transport leg '{change.leg}'")
    shift = change.depart - (leg.depart if leg.depart is not None else change.depart)
    leg.depart, leg.depart_window = change.depart, None
    if leg.back is not None and leg.back.arrive is not None:
        leg.back.arrive += shift
    if leg.back is not None and leg.back.depart is not None:
        leg.back.depart += shift


def _date_window(applied: Applied, change: ChangeDateWindow) -> None:
    for rule in applied.programme.rules:
        if rule.id == change.rule:
            if not isinstance(rule, DateWindowRule):
                raise ProgrammeError(f"rule '{change.rule}' is not a date_window rule")
            rule.start = change.start or rule.start
            rule.end = change.end or rule.end
            return
    raise ProgrammeError(f"unknown rule '{change.rule}'")


def _pin(applied: Applied, change: Pin) -> None:
    for ident in change.activities:
        _find(applied.programme, ident)
    applied.pinned.update(change.activities)


_APPLY: dict[type, Callable[[Applied, Any], None]] = {
    Unavailable: _unavailable,
    AvailableOnly: _available_only,
    RemoveActivity: _remove_activity,
    AddActivity: _add_activity,
    ChangeDuration: _change_duration,
    CloseVenue: _close_venue,
    CloseRoom: _close_room,
    MoveTransport: _move_transport,
    ChangeDateWindow: _date_window,
    Pin: _pin,
}
