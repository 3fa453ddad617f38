"""The real published schedules in ../shared/real_schedules, read independently of the library.

Everything here is written directly against the files (ElementTree and json), never through
``course_scheduler.importers``: the import tests compare what the library made of a file with
what this reading finds in it, so the pinned counts are the file's own.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real_schedules"
XSD = ROOT.parent / "shared" / "schemas" / "c3voc-schedule.xml.xsd"
JSON_SCHEMA = ROOT.parent / "shared" / "schemas" / "c3voc-schedule.schema.json"

FILES = {
    "38c3": "38c3_schedule.xml",
    "debconf23": "debconf23_schedule.xml",
    "cccamp2019": "cccamp2019_schedule.json",
    "rc3": "rc3_channels_2020_schedule.json",
}


def real_file(name: str) -> Path:
    path = REAL / FILES[name]
    if not path.exists():
        pytest.skip(f"the real schedule {path} is absent (it lives in ../shared/real_schedules)")
    return path


@dataclass(frozen=True)
class SourceEvent:
    guid: str
    title: str
    start: dt.datetime
    end: dt.datetime
    room: str
    persons: tuple[tuple[str, str], ...]
    """(identity, name): the guid, else the id, else the code, else the name."""
    track: str
    type: str
    day: int
    """Index of the frab day the file lists it under."""
    day_start: dt.datetime | None = None
    """When that frab day starts, as the file says (None when it does not)."""


@dataclass(frozen=True)
class Source:
    zone: ZoneInfo | None
    events: list[SourceEvent]
    days: int
    """frab days holding at least one event."""


def _minutes(text: str) -> int:
    parts = [int(x) for x in text.strip().split(":")]
    return parts[0] * 60 + parts[1]


def read_source(path: Path) -> Source:
    if path.suffix == ".xml":
        return _read_xml(path)
    return _read_json(path)


def _read_xml(path: Path) -> Source:
    root = ET.parse(path).getroot()
    zone_name = root.findtext("conference/time_zone_name")
    events = []
    days = 0
    for d, day in enumerate(root.iter("day")):
        held = 0
        day_start = dt.datetime.fromisoformat(day.get("start", "")) if day.get("start") else None
        for room in day.iter("room"):
            for event in room.iter("event"):
                held += 1
                start = dt.datetime.fromisoformat(event.findtext("date") or "")
                persons = tuple(
                    (
                        p.get("guid") or p.get("id") or " ".join((p.text or "").split()).casefold(),
                        " ".join((p.text or "").split()),
                    )
                    for p in event.iter("person")
                )
                events.append(
                    SourceEvent(
                        guid=event.get("guid", ""),
                        title=(event.findtext("title") or "").strip(),
                        start=start,
                        end=start
                        + dt.timedelta(minutes=_minutes(event.findtext("duration") or "")),
                        room=room.get("name", ""),
                        persons=persons,
                        track=(event.findtext("track") or "").strip(),
                        type=(event.findtext("type") or "").strip(),
                        day=d,
                        day_start=day_start,
                    )
                )
        days += held > 0
    return Source(ZoneInfo(zone_name) if zone_name else None, events, days)


def _read_json(path: Path) -> Source:
    conference = json.loads(path.read_text(encoding="utf-8"))["schedule"]["conference"]
    zone_name = conference.get("time_zone_name")
    events = []
    days = 0
    for d, day in enumerate(conference["days"]):
        held = 0
        day_start = dt.datetime.fromisoformat(day["day_start"]) if day.get("day_start") else None
        for room, listed in day["rooms"].items():
            for event in listed:
                held += 1
                start = dt.datetime.fromisoformat(event["date"])
                persons = tuple(
                    (
                        str(p.get("guid") or p.get("id") or p.get("code") or p["public_name"]),
                        " ".join((p.get("name") or p.get("public_name") or "").split()),
                    )
                    for p in event["persons"]
                )
                events.append(
                    SourceEvent(
                        guid=event["guid"],
                        title=event["title"].strip(),
                        start=start,
                        end=start + dt.timedelta(minutes=_minutes(event["duration"])),
                        room=room,
                        persons=persons,
                        track=(event.get("track") or "").strip(),
                        type=(event.get("type") or "").strip(),
                        day=d,
                        day_start=day_start,
                    )
                )
        days += held > 0
    return Source(ZoneInfo(zone_name) if zone_name else None, events, days)


def overlapping(events: list[SourceEvent]) -> set[frozenset[str]]:
    """Pairs of events (by guid) whose times overlap, among ``events``."""
    return {
        frozenset((a.guid, b.guid))
        for a, b in combinations(events, 2)
        if a.start < b.end and b.start < a.end
    }


def person_clashes(source: Source) -> set[tuple[str, frozenset[str]]]:
    """(person, pair of events) for every person in two events at once."""
    by_person: dict[str, list[SourceEvent]] = defaultdict(list)
    for event in source.events:
        for identity in dict.fromkeys(key for key, _ in event.persons):
            by_person[identity].append(event)
    return {(who, pair) for who, events in by_person.items() for pair in overlapping(events)}


def nested(source: Source) -> dict[str, str]:
    """Each event (by guid) that lies inside a longer one of the same room, with the shortest
    such event: a part of a session (a lightning talk in its block), not a clash."""
    by_room: dict[str, list[SourceEvent]] = defaultdict(list)
    for event in source.events:
        by_room[event.room].append(event)
    result = {}
    for events in by_room.values():
        for event in events:
            holders = [
                other
                for other in events
                if other.start <= event.start
                and event.end <= other.end
                and (other.start, other.end) != (event.start, event.end)
            ]
            if holders:
                result[event.guid] = min(holders, key=lambda e: e.end - e.start).guid
    return result


def room_clashes(source: Source) -> set[tuple[str, frozenset[str]]]:
    """(room, pair of events) for every room holding two events at once, an event and the
    longer one it lies inside excepted (``nested``)."""
    by_room: dict[str, list[SourceEvent]] = defaultdict(list)
    for event in source.events:
        by_room[event.room].append(event)
    inside = nested(source)
    return {
        (room, pair)
        for room, events in by_room.items()
        for pair in overlapping(events)
        if not any(inside.get(a) == b for a in pair for b in pair)
    }


def past_midnight(source: Source, zone: ZoneInfo) -> set[str]:
    """Events (by guid) that end on a later date than they start, in ``zone``."""
    result = set()
    for event in source.events:
        start, end = event.start.astimezone(zone), event.end.astimezone(zone)
        if end.date() > start.date() and end.time() != dt.time(0):
            result.add(event.guid)
    return result
