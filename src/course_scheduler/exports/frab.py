"""frab/pretalx schedule JSON (and, through ``frab_xml``, the same schedule as XML).

``schedule_data`` builds the schedule once, as plain data both formats share: a conference with
its rooms and tracks, and for each course day the events of each room. The JSON follows the
c3voc schema (https://c3voc.de/schedule/schema.json); ``frab_xml`` writes the XML that the
c3voc XML Schema describes and that pretalx-downstream, Giggity and EventFahrplan read.

Identities are stable across re-solving: an event's ``guid`` is the one its published schedule
gave it, else a UUID5 of the edition and the activity id (the ICS ``UID`` too); its
integer ``id`` is the published one when it is a unique positive number, else taken from the
guid; rooms and persons keep their published guids likewise. The parts of an event that an
import split at midnight (same guid, one ending at 24:00 and the next starting at 0:00 the day
after) become one event again. A room is the room's name (with its venue's when two venues have
rooms of that name), else the venue; the track is the activity's own, else its kind in words;
the type is frab's word for the kind, and ``abstract`` is the activity's abstract, else its
description. An imported activity (one with ``published``) gets its published track, type and
abstract exactly, gaps included. ``description`` is the description with the notes. A ``url`` is
the activity's, else the course's; the JSON, which requires one, falls back to a ``urn:uuid:``
of the guid. ``version`` is a digest of the schedule itself.

frab has no untimed events and no events without a duration. An item printed with no end
keeps the length check reads for it (until what follows), with "from 17:30; no end given" in
its description; an untimed item is an event of no length at the start of its day's window,
subtitled "No time given"; a deadline an event of no length at its time, subtitled "Due", in
the track "Deadline".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
import re
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..clock import format_clock
from ..timetable import Timetable
from . import (
    NO_VENUE,
    Entry,
    activities,
    entries,
    event_guids,
    kind_colour,
    kind_title,
    local_datetime,
    slug,
    stable_uuid,
    track_name,
    transport_note,
    zone,
)
from . import details as activity_details
from .midnight import conference_dates, conference_day, day_change, joined, later_parts, opens

if TYPE_CHECKING:
    from ..compile import Problem
    from ..timetable import Placement

SCHEMA = "https://c3voc.de/schedule/schema.json"
_ACRONYM = re.compile(r"^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$")
_XSD_ACRONYM = re.compile(r"^[a-z0-9_-]{4,}$")
_SLUG = re.compile(r"^[a-z0-9_]{4,}-[a-z0-9\-_]{4,}$")
_JSON_SLUG = re.compile(r"^[a-z0-9_-]+[a-z0-9]$")
_ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")
_HTTP = re.compile(r"^https?://\S+$")
_SMALL_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "the", "to"})
_TRACK_COLOURS = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#666666",
    "#1f78b4",
    "#b2df8a",
)

EVENT_TYPES = {
    "guest_talk": "talk",
    "talk": "talk",
    "workshop": "workshop",
    "skills_session": "workshop",
    "case_study": "discussion",
    "qa": "discussion",
    "participants_floor": "discussion",
    "networking": "meeting",
    "welcome": "meeting",
    "closing": "meeting",
}
"""frab's event types (talk, workshop, discussion, meeting, other) for the kinds that have one."""


@dataclass(frozen=True)
class FrabPerson:
    name: str
    guid: str
    number: int | None
    """The published integer id (frab XML's ``id`` attribute), when there is one."""


@dataclass
class FrabEvent:
    guid: str
    number: int
    start: dt.datetime
    minutes: int
    room: str
    slug: str
    url: str | None
    title: str
    subtitle: str
    track: str
    type: str
    language: str | None
    abstract: str
    description: str
    persons: list[FrabPerson]
    description_of_whole: str = ""
    """The description without the note an import wrote on one part of a split event."""

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=self.minutes)


@dataclass
class FrabDay:
    index: int
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    rooms: dict[str, list[FrabEvent]] = field(default_factory=dict)


@dataclass
class FrabSchedule:
    version: str
    acronym: str
    title: str
    start: dt.date
    end: dt.date
    timeslot: str
    time_zone: str
    url: str | None
    conference_guid: str
    rooms: list[tuple[str, str]]
    tracks: list[tuple[str, str, str]]
    """(name, slug, colour)."""
    days: list[FrabDay]


def render(problem: Problem, timetable: Timetable, *, person: str | None = None) -> bytes:
    text = json.dumps(schedule(problem, timetable, person=person), indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def schedule(
    problem: Problem, timetable: Timetable, *, person: str | None = None
) -> dict[str, Any]:
    """The whole JSON document as plain data."""
    from .. import __version__

    data = schedule_data(problem, timetable, person=person)
    conference: dict[str, Any] = {
        "acronym": data.acronym,
        "title": data.title,
        "start": data.start.isoformat(),
        "end": data.end.isoformat(),
        "daysCount": len(data.days),
        "timeslot_duration": data.timeslot,
    }
    if _ZONE_NAME.search(data.time_zone):  # the schema's own pattern, searched as jsonschema does
        conference["time_zone_name"] = data.time_zone
    if data.url:
        conference["url"] = data.url
    conference["rooms"] = [{"name": name, "guid": guid} for name, guid in data.rooms]
    conference["tracks"] = [
        {"name": name, "slug": track_slug, "color": colour}
        for name, track_slug, colour in data.tracks
    ]
    conference["days"] = [
        {
            "index": day.index,
            "date": day.date.isoformat(),
            "day_start": day.start.isoformat(),
            "day_end": day.end.isoformat(),
            "rooms": {
                name: [_json_event(event) for event in events] for name, events in day.rooms.items()
            },
        }
        for day in data.days
    ]
    return {
        "$schema": SCHEMA,
        "generator": {"name": "course-scheduler", "version": __version__},
        "schedule": {
            "version": data.version,
            "base_url": data.url or f"urn:uuid:{data.conference_guid}",
            "conference": conference,
        },
    }


def _json_event(event: FrabEvent) -> dict[str, Any]:
    from ..clock import format_hhmm

    return {
        "guid": event.guid,
        "id": event.number,
        "date": event.start.isoformat(),
        "start": event.start.strftime("%H:%M"),
        "end": event.end.isoformat(),
        "duration": format_hhmm(event.minutes),
        "room": event.room,
        "slug": event.slug,
        "url": event.url or f"urn:uuid:{event.guid}",
        "title": event.title,
        "subtitle": event.subtitle,
        "track": event.track,
        "type": event.type,
        "language": event.language,
        "abstract": event.abstract,
        "description": event.description,
        "persons": [{"name": p.name, "public_name": p.name, "guid": p.guid} for p in event.persons],
        "links": [],
        "attachments": [],
    }


# --- the schedule both formats share ---------------------------------------------------------


def schedule_data(
    problem: Problem, timetable: Timetable, *, person: str | None = None
) -> FrabSchedule:
    """The schedule as plain data (see the module docstring for every choice)."""
    course = problem.programme.course
    tz = zone(problem)
    acronym = conference_acronym(problem)
    guids = event_guids(problem)
    files = activities(problem)
    notes = activity_details(problem)
    rooms = _room_names(problem)
    people = _persons(problem)
    listed = entries(problem, timetable, person=person)
    extras = [entry for entry in listed if entry.placement is None]
    numbers = _numbers(problem, timetable, guids, [entry.id for entry in extras])
    course_url = course.url if course.url and _HTTP.match(course.url) else None
    events: list[tuple[Placement, FrabEvent]] = []
    chains = joined(problem, timetable)
    later = later_parts(chains)
    used_slugs: set[str] = set()
    for placement in timetable:
        ident = placement.activity
        if ident in later:
            continue
        activity = files.get(ident)
        published = activity.published if activity else None
        item = problem.item(ident)
        description, note = notes.get(ident, (None, None))
        opened = f"From {format_clock(placement.start)}; no end given" if item.open_end else None
        leg_note = transport_note(problem, notes, item)
        if published is not None:  # as the published schedule had them, gaps included
            abstract = (activity.abstract if activity else None) or ""
            track = item.track or ""
            event_type = published.type or ""
        else:
            abstract = (activity.abstract if activity else None) or description or ""
            track = track_name(problem, item)
            event_type = EVENT_TYPES.get(item.kind, "other")
        url = activity.url if activity and activity.url and _HTTP.match(activity.url) else None
        number = numbers[ident]
        event = FrabEvent(
            guid=str(guids[ident]),
            number=number,
            start=local_datetime(problem, placement.date, placement.start),
            minutes=placement.minutes,
            room=rooms.get((placement.venue, placement.room), ""),
            slug=_event_slug(acronym, number, item.title, published, used_slugs),
            url=url or course_url,
            title=item.title,
            subtitle=(published.subtitle if published else None) or "",
            track=track,
            type=event_type,
            language=published.language if published else None,
            abstract=abstract,
            description="\n\n".join(x for x in (description, note, leg_note, opened) if x),
            persons=[people[p] for p in item.people],
            description_of_whole="\n\n".join(x for x in (description, leg_note) if x),
        )
        chain = chains.get(ident)
        if chain is not None:  # one event, however many dates it spans
            event.minutes = sum(p.minutes for p in chain)
            event.description = event.description_of_whole
        events.append((placement, event))
    for entry in extras:
        events.append(
            _extra_event(problem, entry, guids, numbers, rooms, people, acronym, used_slugs)
        )
        events[-1][1].url = course_url
    conference_rooms = _conference_rooms(problem, {event.room for _, event in events})
    days = _days(problem, events, [name for name, _ in conference_rooms])
    title = course.title
    if person is not None:
        title = f"{title}: {problem.people[person].name}"
    data = FrabSchedule(
        version="",
        acronym=acronym,
        title=title,
        start=min(problem.dates),
        end=max(problem.dates),
        timeslot=_timeslot(list(timetable)),
        time_zone=tz.key,
        url=course_url,
        conference_guid=str(stable_uuid(problem, "conference", "")),
        rooms=conference_rooms,
        tracks=_tracks(problem, events),
        days=days,
    )
    digest = hashlib.sha256(repr(dataclasses.astuple(data)).encode("utf-8")).hexdigest()
    data.version = f"sha256-{digest[:12]}"
    return data


def _extra_event(
    problem: Problem,
    entry: Entry,
    guids: dict[str, uuid.UUID],
    numbers: dict[str, int],
    rooms: dict[tuple[str | None, str | None], str],
    people: dict[str, FrabPerson],
    acronym: str,
    used_slugs: set[str],
) -> tuple[Placement, FrabEvent]:
    """An untimed item or a deadline as an event of no length (see the module docstring)."""
    from ..timetable import Placement

    day = problem.day_of_date[entry.date]
    start = entry.start if entry.start is not None else problem.day_windows[day][0]
    venue = None if entry.online else entry.venue
    members = [m for p in entry.people for m in problem.person_groups.get(p, (p,))]
    event = FrabEvent(
        guid=str(guids[entry.id]),
        number=numbers[entry.id],
        start=local_datetime(problem, entry.date, start),
        minutes=0,
        room=rooms.get((venue, None), NO_VENUE),
        slug=_event_slug(acronym, numbers[entry.id], entry.title, None, used_slugs),
        url=None,
        title=entry.title,
        subtitle="Due" if entry.deadline else "No time given",
        track="Deadline" if entry.deadline else kind_title(problem, entry.kind),
        type="other",
        language=None,
        abstract="",
        description="" if entry.deadline else "No time given",
        persons=[people[p] for p in dict.fromkeys(members)],
    )
    return Placement(entry.date, start, start, entry.id, venue), event


def _days(
    problem: Problem, events: list[tuple[Placement, FrabEvent]], rooms: list[str]
) -> list[FrabDay]:
    """Each conference day with its events by room, rooms in the conference's order; the first
    day also lists the rooms that hold nothing, so a reader still learns of them. An event
    after midnight but before the ``day_change`` is listed under the day before, and that day
    runs until the day change (``midnight``); a day ends where the next begins at the latest,
    so day windows never overlap (an event may run past its day's end, as in the source)."""
    change = day_change(problem)
    dates = conference_dates(problem, Timetable({p.activity: p for p, _ in events}))
    by_day: dict[dt.date, list[FrabEvent]] = {date: [] for date in dates}
    for placement, event in events:
        own = conference_day(problem, placement.date, placement.start)
        by_day.setdefault(own, []).append(event)
    held = {e.room for _, e in events}
    spans: list[tuple[dt.date, dt.datetime, dt.datetime]] = []
    for date in sorted(by_day):
        todays = by_day[date]
        window_start, window_end = _window(problem, date)
        after = date + dt.timedelta(days=1)
        if date - dt.timedelta(days=1) in problem.day_of_date:
            window_start = opens(problem, date, max(window_start, min(change, window_end)))
        ends = [local_datetime(problem, date, window_end)]
        if change and after in problem.day_of_date:
            next_start, next_end = _window(problem, after)
            if next_start < change:
                ends.append(local_datetime(problem, after, min(next_end, change)))
        start = min([local_datetime(problem, date, window_start), *(e.start for e in todays)])
        spans.append((date, start, max([*ends, *(e.end for e in todays)])))
    for k in range(len(spans) - 1):  # day windows never overlap
        date, start, end = spans[k]
        spans[k] = (date, start, max(start, min(end, spans[k + 1][1])))
    days = []
    for index, (date, start, end) in enumerate(spans):
        by_room: dict[str, list[FrabEvent]] = {}
        for event in sorted(by_day[date], key=lambda e: e.start):
            by_room.setdefault(event.room, []).append(event)
        listed = [r for r in rooms if r in by_room or (index == 0 and r not in held)]
        days.append(FrabDay(index + 1, date, start, end, {r: by_room.get(r, []) for r in listed}))
    return days


def _window(problem: Problem, date: dt.date) -> tuple[int, int]:
    index = problem.day_of_date.get(date)
    return problem.day_windows[index] if index is not None else (0, 24 * 60)


def _conference_rooms(problem: Problem, used: set[str]) -> list[tuple[str, str]]:
    """(name, guid) of every frab room that holds an event, and of every imported room (one
    with ``published``) that holds none, in the programme's order."""
    imported = {
        (venue.id, room.id)
        for venue in problem.venues.values()
        for room in venue.rooms
        if room.published is not None
    }
    named_rooms = {name for key, name in _room_names(problem).items() if key in imported}
    return [
        (name, guid)
        for name, guid in _room_guids(problem).items()
        if name in used or name in named_rooms
    ]


def conference_acronym(problem: Problem) -> str:
    """The published acronym, lower-cased with '_' for anything else, when both schemas accept
    it (``rc3_channels_2020``), else the initials of the title's words and the first year
    (``mdila_2024``)."""
    course = problem.programme.course
    given = course.published.id if course.published and course.published.id else ""
    given = re.sub(r"[^a-z0-9_]", "_", given.casefold())
    if _ACRONYM.match(given) and _XSD_ACRONYM.match(given):
        return given
    words = re.findall(r"[A-Za-z0-9]+", course.title)
    initials = "".join(w[0] for w in words if w.casefold() not in _SMALL_WORDS).casefold()
    acronym = f"{initials}_{min(problem.dates).year}"
    return acronym if _ACRONYM.match(acronym) else f"course_{min(problem.dates).year}"


def _event_slug(acronym: str, number: int, title: str, published: Any, used: set[str]) -> str:
    """The published slug when both schemas accept it and it is unique, else one of ours."""
    given = published.slug if published is not None and published.slug else ""
    if not (_SLUG.match(given) and _JSON_SLUG.match(given)) or given in used:
        prefix = acronym.replace("-", "_")
        words = slug(title)[:50].strip("-")
        given = f"{prefix}-{number:04d}" + (f"-{words}" if words else "")
    used.add(given)
    return given


def _room_names(problem: Problem) -> dict[tuple[str | None, str | None], str]:
    """The frab room of every (venue, room): the room's name, or the venue's."""
    counts: dict[str, int] = {}
    for venue in problem.venues.values():
        for room in venue.rooms:
            counts[room.name] = counts.get(room.name, 0) + 1
    names: dict[tuple[str | None, str | None], str] = {(None, None): NO_VENUE}
    for venue in problem.venues.values():
        names[(venue.id, None)] = venue.name
        for room in venue.rooms:
            unique = counts[room.name] == 1
            names[(venue.id, room.id)] = room.name if unique else f"{venue.name}, {room.name}"
    return names


def _room_guids(problem: Problem) -> dict[str, str]:
    """Every frab room name with its guid (the published one, else derived from its ids)."""
    guids: dict[str, str] = {}
    for (venue, room), name in _room_names(problem).items():
        published = None
        if venue is not None and room is not None:
            found = next(r for r in problem.venues[venue].rooms if r.id == room)
            published = found.published.guid if found.published else None
        key = f"{venue or ''}/{room or ''}"
        guids.setdefault(name, published or str(stable_uuid(problem, "room", key)))
    return guids


def _persons(problem: Problem) -> dict[str, FrabPerson]:
    result = {}
    for ident, person in problem.people.items():
        published = person.published
        guid = published.guid if published and published.guid else None
        number = published.id if published and published.id else ""
        result[ident] = FrabPerson(
            name=person.name,
            guid=guid or str(stable_uuid(problem, "person", ident)),
            number=int(number) if number.isdigit() and 0 < int(number) < 2**63 else None,
        )
    return result


def _tracks(
    problem: Problem, events: list[tuple[Placement, FrabEvent]]
) -> list[tuple[str, str, str]]:
    """Each track in use once, with a slug and a colour: a kind's own when the track is a
    kind's name, else one picked by the track's name."""
    by_label: dict[str, str] = {}
    for placement, _ in events:
        if placement.activity not in problem.index:
            continue
        kind = problem.item(placement.activity).kind
        by_label.setdefault(kind_title(problem, kind), kind_colour(problem, kind))
    result = []
    for name in sorted({event.track for _, event in events}):
        colour = by_label.get(name)
        if colour is None:
            digest = hashlib.sha256(name.encode("utf-8")).digest()
            colour = _TRACK_COLOURS[digest[0] % len(_TRACK_COLOURS)]
        result.append((name, slug(name) or "track", colour))
    return result


def _timeslot(placements: list[Placement]) -> str:
    """The coarsest grid every start and duration falls on (5 minutes for the reference)."""
    step = 0
    for placement in placements:
        step = math.gcd(step, placement.start, placement.minutes)
    step = step or 15
    return f"{step // 60:02d}:{step % 60:02d}"


def _numbers(
    problem: Problem,
    timetable: Timetable,
    guids: dict[str, uuid.UUID],
    extras: list[str] | None = None,
) -> dict[str, int]:
    """A positive integer per activity: its published id when that is a unique positive number,
    else 31 bits of its guid; clashes move to the next free number."""
    published: dict[str, int] = {}
    counts: dict[int, int] = {}
    for activity in problem.programme.all_activities():
        given = activity.published.id if activity.published and activity.published.id else ""
        guid = activity.published.guid if activity.published else None
        if guid and activity.id in guids and str(guids[activity.id]) != guid.lower():
            continue  # a later part of a split event: the first part carries the number
        if given.isdigit() and 0 < int(given) < 2**31:
            published[activity.id] = int(given)
            counts[int(given)] = counts.get(int(given), 0) + 1
    numbers: dict[str, int] = {}
    taken: set[int] = set()
    placed = [*sorted(timetable.placements), *(extras or [])]
    for ident in placed:
        number = published.get(ident)
        if number is not None and counts[number] == 1:
            numbers[ident] = number
            taken.add(number)
    for ident in placed:
        if ident in numbers:
            continue
        number = int(guids[ident].hex[:7], 16) + 1
        while number in taken:
            number += 1
        taken.add(number)
        numbers[ident] = number
    return numbers
