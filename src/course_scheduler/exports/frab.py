"""frab/pretalx schedule JSON: what conference apps and the c3voc tools read.

The document follows the c3voc schema (https://c3voc.de/schedule/schema.json): a conference
with its rooms and tracks, and for each course day the events of each room. Identities are
stable across re-solving: an event's ``guid`` is a UUID5 of the course title and the activity
id (the same UUID as the ICS ``UID``), its integer ``id`` is taken from that UUID, and the
``guid`` of a room or a person likewise from its ids. A room is a venue (with its room, when
the activity has one); the track is the activity's kind. The programme has no web site, so
URLs are ``urn:uuid:`` URNs of the same UUIDs; ``version`` is a digest of the schedule itself.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import TYPE_CHECKING, Any

from . import (
    Details,
    activity_uuid,
    details,
    kind_colour,
    local_datetime,
    place_name,
    slug,
    stable_uuid,
    transport_note,
    zone,
)

if TYPE_CHECKING:
    from ..compile import Problem
    from ..timetable import Placement, Timetable

SCHEMA = "https://c3voc.de/schedule/schema.json"
_ACRONYM = re.compile(r"^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$")
_ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")
_SMALL_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "the", "to"})

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


def render(problem: Problem, timetable: Timetable, *, person: str | None = None) -> bytes:
    text = json.dumps(schedule(problem, timetable, person=person), indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def schedule(
    problem: Problem, timetable: Timetable, *, person: str | None = None
) -> dict[str, Any]:
    """The whole document as plain JSON data."""
    from .. import __version__

    course = problem.programme.course
    tz = zone(problem)
    acronym = conference_acronym(problem)
    conference_id = stable_uuid(problem, "conference", "")
    ids = _event_ids(problem, timetable)
    notes = details(problem)
    placements = list(timetable)
    rooms: dict[str, dict[str, Any]] = {}
    for placement in placements:
        name = place_name(problem, placement)
        key = f"{placement.venue or ''}/{placement.room or ''}"
        rooms.setdefault(name, {"name": name, "guid": str(stable_uuid(problem, "room", key))})
    days = []
    for index, date in enumerate(problem.dates):
        todays = [p for p in placements if p.date == date]
        window_start, window_end = problem.day_windows[index]
        start = min([window_start, *(p.start for p in todays)])
        end = max([window_end, *(p.end for p in todays)])
        by_room: dict[str, list[dict[str, Any]]] = {}
        for placement in todays:
            event = _event(problem, placement, acronym, ids[placement.activity], notes)
            by_room.setdefault(event["room"], []).append(event)
        days.append(
            {
                "index": index + 1,
                "date": date.isoformat(),
                "day_start": local_datetime(problem, date, start).isoformat(),
                "day_end": local_datetime(problem, date, end).isoformat(),
                "rooms": {name: by_room[name] for name in rooms if name in by_room},
            }
        )
    title = course.title
    if person is not None:
        title = f"{title}: {problem.people[person].name}"
    conference: dict[str, Any] = {
        "acronym": acronym,
        "title": title,
        "start": min(problem.dates).isoformat(),
        "end": max(problem.dates).isoformat(),
        "daysCount": len(problem.dates),
        "timeslot_duration": _timeslot(placements),
    }
    if _ZONE_NAME.search(tz.key):  # the schema's own pattern, searched as jsonschema does
        conference["time_zone_name"] = tz.key
    conference["rooms"] = list(rooms.values())
    conference["tracks"] = _tracks(problem, placements)
    conference["days"] = days
    digest = hashlib.sha256(json.dumps(days, sort_keys=True).encode("utf-8")).hexdigest()
    return {
        "$schema": SCHEMA,
        "generator": {"name": "course-scheduler", "version": __version__},
        "schedule": {
            "version": f"sha256-{digest[:12]}",
            "base_url": f"urn:uuid:{conference_id}",
            "conference": conference,
        },
    }


def conference_acronym(problem: Problem) -> str:
    """Initials of the title's words and the first year, e.g. ``mdila_2024``."""
    words = re.findall(r"[A-Za-z0-9]+", problem.programme.course.title)
    initials = "".join(w[0] for w in words if w.casefold() not in _SMALL_WORDS).casefold()
    acronym = f"{initials}_{min(problem.dates).year}"
    return acronym if _ACRONYM.match(acronym) else f"course_{min(problem.dates).year}"


def _event(
    problem: Problem, placement: Placement, acronym: str, number: int, notes: Details
) -> dict[str, Any]:
    from ..clock import format_hhmm

    item = problem.item(placement.activity)
    guid = activity_uuid(problem, item.id)
    description, note = notes.get(item.id, (None, None))
    leg_note = transport_note(problem, notes, item)
    text = "\n\n".join(x for x in (description, note, leg_note) if x)
    return {
        "guid": str(guid),
        "id": number,
        "date": local_datetime(problem, placement.date, placement.start).isoformat(),
        "start": format_hhmm(placement.start),
        "end": local_datetime(problem, placement.date, placement.end).isoformat(),
        "duration": format_hhmm(placement.minutes),
        "room": place_name(problem, placement),
        "slug": f"{acronym}-{slug(item.id) or number}",
        "url": f"urn:uuid:{guid}",
        "title": item.title,
        "subtitle": "",
        "track": item.kind,
        "type": EVENT_TYPES.get(item.kind, "other"),
        "language": None,
        "abstract": description or "",
        "description": text,
        "persons": [_person(problem, p) for p in item.people],
        "links": [],
        "attachments": [],
    }


def _person(problem: Problem, ident: str) -> dict[str, Any]:
    name = problem.people[ident].name
    return {"name": name, "public_name": name, "guid": str(stable_uuid(problem, "person", ident))}


def _tracks(problem: Problem, placements: list[Placement]) -> list[dict[str, str]]:
    kinds: list[str] = sorted({problem.item(p.activity).kind for p in placements}, key=str)
    return [
        {"name": kind, "slug": slug(kind), "color": kind_colour(problem, kind)} for kind in kinds
    ]


def _timeslot(placements: list[Placement]) -> str:
    """The coarsest grid every start and duration falls on (5 minutes for the reference)."""
    step = 0
    for placement in placements:
        step = math.gcd(step, placement.start, placement.minutes)
    step = step or 15
    return f"{step // 60:02d}:{step % 60:02d}"


def _event_ids(problem: Problem, timetable: Timetable) -> dict[str, int]:
    """A positive 31-bit integer per activity from its UUID; clashes move to the next free one."""
    ids: dict[str, int] = {}
    taken: set[int] = set()
    for ident in sorted(timetable.placements):
        number = int(activity_uuid(problem, ident).hex[:7], 16) + 1
        while number in taken:
            number += 1
        taken.add(number)
        ids[ident] = number
    return ids
