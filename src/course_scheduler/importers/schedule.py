"""A published conference schedule, as both frab formats hold it, and its reading as a programme.

``frab_xml`` and ``frab_json`` only parse: they turn a file into a ``RawSchedule`` of plain
strings, each with the line it came from. Everything that interprets those strings lives here,
once for both formats, so a quirk of real files is read the same way whichever format it comes
in. The readings (the README's "Importing a published schedule" lists them for planners):

- **Time zone**: ``--timezone`` if given, else the file's ``time_zone_name``, else, when every
  event's date carries the same whole-hour UTC offset, the matching ``Etc/GMT`` zone (with a
  note); otherwise the file is refused with a request for ``--timezone``.
- **Times**: an event's ``date`` is an instant; one with a UTC offset is converted to the
  conference's zone (DebConf 23 writes its dates in UTC although it ran in Kochi), one without
  is read in that zone, and a ``start`` that disagrees with it is noted and the ``date`` kept.
  Without a ``date``, the ``start`` on the event's frab day is used (after midnight when it
  is earlier than the day's start).
- **Days** are calendar days in the conference's zone. An event belongs to the date it starts
  on; one that runs past midnight is split at midnight into parts (``ID``, ``ID.2``...), each
  noted, and exports join the parts into one event again. A day is every date a frab day
  starts on, and every date an event part falls on; its window covers both the frab days'
  hours on that date and its events.
- **Zero durations** (``00:00``) cannot be activities: such an event is left out, with a
  note naming it, and the programme's course note lists it.
- **Rooms** form one venue named after the conference, in the order the file first names them;
  a room that holds no event is kept (and noted). Events listed under one room but naming
  another in their own ``room`` field stay where they are listed (noted).
- **Persons** are one person per id (``guid``, then ``id``, then ``code``), else per name;
  their ids are readable slugs of their names, the file's ids kept in ``published``.
- **Events** keep their time, room, persons, track, abstract, description and url; their type
  maps to a kind (talk, workshop, else other) and is kept verbatim in ``published.type``, with
  their guid, id, slug, subtitle and language. Two events in one room at once, or a person in
  two rooms at once, are imported as published: ``check`` reports them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..clock import TimeRange, format_clock
from ..errors import ProgrammeError, SourceMap
from ..loading import validate
from ..model import CONFERENCE_OBJECTIVE, Kind, Programme

DAY = 24 * 60

_NOT_ID = re.compile(r"[^A-Za-z0-9_.\-]+")
_UUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_DURATION = re.compile(r"^\s*(\d{1,4}):(\d{2})(?::(\d{2}))?\s*$")
_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_HTTP = re.compile(r"^https?://\S+$")


@dataclass
class RawPerson:
    name: str
    id: str | None = None
    guid: str | None = None
    code: str | None = None


EVENT_TEXTS = (
    "date",
    "start",
    "duration",
    "title",
    "subtitle",
    "track",
    "type",
    "language",
    "abstract",
    "description",
    "url",
    "slug",
)
"""What a frab event says in words, under the same names in XML (child elements) and JSON
(keys); the fields of ``RawEvent`` they fill."""


@dataclass
class RawEvent:
    """One event as the file spells it: every value a string (or None when absent)."""

    where: str
    """The event's place in the file as a field path, for messages."""
    line: int | None
    room: str
    """The room the file lists the event under."""
    day_date: str | None = None
    day_start: str | None = None
    id: str | None = None
    guid: str | None = None
    code: str | None = None
    date: str | None = None
    start: str | None = None
    duration: str | None = None
    own_room: str | None = None
    """The event's own ``room`` field."""
    title: str | None = None
    subtitle: str | None = None
    track: str | None = None
    type: str | None = None
    language: str | None = None
    abstract: str | None = None
    description: str | None = None
    url: str | None = None
    slug: str | None = None
    persons: list[RawPerson] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    """Line of each field the file spells out (XML children, JSON keys)."""

    def error(self, file: str, name: str, message: str) -> ProgrammeError:
        return ProgrammeError(
            message, file=file, line=self.lines.get(name, self.line), field=f"{self.where}.{name}"
        )


@dataclass
class RawDay:
    where: str
    line: int | None
    date: str | None = None
    start: str | None = None
    end: str | None = None


@dataclass
class RawSchedule:
    """A whole schedule file: the conference, its days, rooms and events, all as strings."""

    file: str
    format: str
    """ "frab XML" or "frab JSON", for messages."""
    version: str | None = None
    """None when the file has no version at all; "" when it is empty."""
    version_line: int | None = None
    title: str | None = None
    acronym: str | None = None
    start: str | None = None
    time_zone_name: str | None = None
    url: str | None = None
    base_url: str | None = None
    lines: dict[str, int] = field(default_factory=dict)
    rooms: list[tuple[str, str | None]] = field(default_factory=list)
    """(name, guid) of every room the file lists, days' lists included, in order."""
    days: list[RawDay] = field(default_factory=list)
    events: list[RawEvent] = field(default_factory=list)


@dataclass(frozen=True)
class Note:
    """Something the import read in a documented way, or could not carry over faithfully."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass
class Imported:
    """The programme an import built, and every note about how it read the file."""

    programme: Programme
    notes: list[Note]
    events: int
    """Events in the file."""
    skipped: list[str]
    """Events left out (zero durations), as ``title (where)``."""
    split: list[str]
    """Activity ids of events split at midnight (their first parts)."""


# --- readings of single values ---------------------------------------------------------------


def clean_text(value: str | None) -> str | None:
    """Text as a programme file can carry it: line endings as ``\\n``, no control characters
    (shown as U+FFFD), no surrounding blanks; None when nothing is left."""
    if value is None:
        return None
    text = _UNSAFE_TEXT.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return text or None


def kind_of(event_type: str | None) -> Kind:
    """The kind of a frab event type: a workshop, a talk (frab's ``lecture`` too), else other."""
    text = (event_type or "").casefold()
    if "workshop" in text:
        return Kind.WORKSHOP
    if "talk" in text or text in {"lecture", "vortrag", "keynote"}:
        return Kind.TALK
    return Kind.OTHER


def id_base(name: str, prefix: str) -> str:
    """A readable id for ``name``: letters, digits, '-', '_' and '.', starting with one of the
    first two; ``prefix`` leads when the name has no such start."""
    base = _NOT_ID.sub("-", name.strip()).strip("-._")[:60].strip("-._").casefold()
    if not base or not base[0].isalnum():
        base = f"{prefix}-{base}".rstrip("-") if base else prefix
    return base


def unique_id(name: str, used: set[str], prefix: str) -> str:
    """``id_base`` of ``name``, with ``-2``, ``-3``... when it is already in ``used``."""
    base = id_base(name, prefix)
    ident, k = base, 2
    while ident in used:
        ident, k = f"{base}-{k}", k + 1
    used.add(ident)
    return ident


def _minutes(match: re.Match[str]) -> tuple[int, bool]:
    """Whole minutes of an ``H:MM[:SS]`` match (seconds rounded up) and whether it was exact."""
    hours, minutes, seconds = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    return hours * 60 + minutes + (1 if seconds else 0), not seconds


def http_url(value: str | None) -> str | None:
    text = (value or "").strip()
    return text if _HTTP.match(text) else None


# --- the reader ------------------------------------------------------------------------------


class _Reading:
    def __init__(self, raw: RawSchedule, timezone: str | None) -> None:
        self.raw = raw
        self.file = raw.file
        self.notes: list[Note] = []
        self.zone = self._zone(timezone)
        self.person_ids: dict[tuple[str, str], str] = {}
        self.people: list[dict[str, Any]] = []
        self.used_people: set[str] = set()
        self.rooms: dict[str, dict[str, Any]] = {}
        self.used_rooms: set[str] = set()
        self.used_activities: set[str] = set()
        self.by_date: dict[dt.date, list[dict[str, Any]]] = {}
        self.spans: dict[dt.date, list[tuple[int, int]]] = {}
        self.frab_dates: set[dt.date] = set()
        self.skipped: list[str] = []
        self.split: list[str] = []
        self.utc_dates = 0
        self.naive_dates = 0
        self.cleaned = 0
        self.noted_day_dates = False

    def note(self, message: str, line: int | None = None) -> None:
        self.notes.append(Note(self.file, line, message))

    def fail(self, message: str, line: int | None, field_name: str | None = None) -> ProgrammeError:
        return ProgrammeError(message, file=self.file, line=line, field=field_name)

    def text(self, value: str | None) -> str | None:
        if value and _UNSAFE_TEXT.search(value):
            self.cleaned += 1
        return clean_text(value)

    # --- time zone ---------------------------------------------------------------------------

    def _zone(self, override: str | None) -> ZoneInfo:
        name = override or (self.raw.time_zone_name or "").strip() or None
        if name is not None:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                given = "--timezone" if override else "time_zone_name"
                line = None if override else self.raw.lines.get("time_zone_name")
                raise self.fail(
                    f"unknown time zone {name!r} ({given}); expected an IANA name like "
                    "Europe/Berlin",
                    line,
                    None if override else "conference.time_zone_name",
                ) from None
        offsets = set()
        for event in self.raw.events:
            when = _instant(event.date)
            if when is not None and when.utcoffset() is not None:
                offsets.add(when.utcoffset())
        if len(offsets) == 1:
            offset = offsets.pop()
            assert offset is not None
            hours, rest = divmod(int(offset.total_seconds()), 3600)
            if not rest and -12 <= hours <= 14:
                zone = "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"
                self.note(
                    f"the file names no time zone; every event date is at UTC{_offset(hours)}, "
                    f"so times are read in {zone} (give --timezone for the conference's own zone)"
                )
                return ZoneInfo(zone)
        raise self.fail(
            "the file names no time zone (no time_zone_name) and its dates do not show one; "
            "give --timezone, e.g. --timezone Europe/Berlin",
            self.raw.lines.get("conference"),
        )

    def local(self, when: dt.datetime) -> dt.datetime:
        if when.tzinfo is None:
            self.naive_dates += 1
            return when.replace(tzinfo=self.zone)
        local = when.astimezone(self.zone)
        if when.utcoffset() != local.utcoffset():
            self.utc_dates += 1
        return local

    # --- rooms, persons ----------------------------------------------------------------------

    def room(self, name: str, guid: str | None) -> dict[str, Any]:
        room = self.rooms.get(name)
        if room is None:
            room = {"id": unique_id(name, self.used_rooms, "room"), "name": name, "events": 0}
            self.rooms[name] = room
        if guid and _UUID.match(guid) and "guid" not in room:
            room["guid"] = guid
        return room

    def person(self, raw: RawPerson, event: RawEvent) -> str:
        name = " ".join((self.text(raw.name) or "").split())
        keys = [("guid", raw.guid), ("id", raw.id), ("code", raw.code)]
        kind, value = next(((k, v.strip()) for k, v in keys if v and v.strip()), ("name", ""))
        if kind == "name":
            value = name.casefold()
        if not name:
            name = f"Person {value}" if value else "Unnamed person"
            value = value or f"unnamed@{event.where}"
            self.note(f"a person of '{event.title}' has no name; called {name!r}", event.line)
        key = (kind, value)
        ident = self.person_ids.get(key)
        if ident is None:
            ident = unique_id(name, self.used_people, "person")
            self.person_ids[key] = ident
            person: dict[str, Any] = {"id": ident, "name": name}
            published = {}
            if raw.guid and _UUID.match(raw.guid.strip()):
                published["guid"] = raw.guid.strip()
            source_id = (raw.id or raw.code or "").strip()
            if source_id:
                published["id"] = source_id[:200]
            if published:
                person["published"] = published
            self.people.append(person)
        return ident

    # --- events ------------------------------------------------------------------------------

    def start(self, event: RawEvent) -> dt.datetime:
        """The event's start in the conference's zone (see the module docstring)."""
        clock = _clock(event.start)
        if event.date is not None and event.date.strip():
            when = _instant(event.date)
            if when is None:
                day = _date(event.date)
                if day is None:
                    raise event.error(
                        self.file,
                        "date",
                        f"{event.date.strip()!r} is not an ISO date-time like "
                        "2024-12-27T10:30:00+01:00",
                    )
                if clock is None:
                    raise event.error(self.file, "start", "a start like 10:30 is needed")
                return dt.datetime.combine(day, dt.time(0), tzinfo=self.zone) + dt.timedelta(
                    minutes=clock
                )
            local = self.local(when)
            minute = local.hour * 60 + local.minute
            if clock is not None and clock != minute:
                self.note(
                    f"'{event.title}': its date {event.date.strip()} is {format_clock(minute)} "
                    f"in {self.zone.key} but its start says {format_clock(clock)}; "
                    "the date is kept",
                    event.lines.get("start", event.line),
                )
            return local
        day = _date(event.day_date)
        if day is None or clock is None:
            raise event.error(
                self.file, "date", "the event has no date, and no start on a dated day"
            )
        begin = _instant(event.day_start)
        opens = self.local(begin) if begin is not None else None
        if opens is not None and clock < opens.hour * 60 + opens.minute:
            day += dt.timedelta(days=1)  # after midnight, still on this frab day
        return dt.datetime.combine(day, dt.time(0), tzinfo=self.zone) + dt.timedelta(minutes=clock)

    def duration(self, event: RawEvent) -> int:
        text = (event.duration or "").strip()
        match = _DURATION.match(text)
        if match is None:
            raise event.error(
                self.file, "duration", f"duration {text!r} is not hours and minutes like 01:30"
            )
        minutes, exact = _minutes(match)
        if not exact:
            self.note(
                f"'{event.title}' lasts {text}; its seconds are rounded up to a minute",
                event.lines.get("duration", event.line),
            )
        return minutes

    def event(self, event: RawEvent) -> None:
        title = self.text(event.title)
        if title is None:
            title = f"Event {event.id or event.guid or event.where}"
            self.note(f"an event has no title; called {title!r}", event.line)
        event.title = title
        start = self.start(event)
        minutes = self.duration(event)
        if minutes == 0:
            self.skipped.append(f"{title} ({event.where})")
            self.note(
                f"'{title}' lasts 00:00; an activity needs a length, so it is left out "
                f"(it was at {start:%a %d %b %H:%M})",
                event.lines.get("duration", event.line),
            )
            return
        own = (event.own_room or "").strip()
        listed = event.room.strip() or own or "Unnamed room"
        room = self.room(listed, None)
        room["events"] += 1
        if own and own != listed:
            self.note(
                f"'{title}' is listed under room {listed!r} but names room {own!r}; "
                f"it stays in {listed!r}",
                event.lines.get("room", event.line),
            )
        people = list(dict.fromkeys(self.person(p, event) for p in event.persons))
        base = self._activity_id(event)
        parts = _parts(start, minutes)
        common = self._common(event, title, room["id"], people)
        if len(parts) > 1:
            self.split.append(base)
        ends = start + dt.timedelta(minutes=minutes)
        for k, (date, begin, end) in enumerate(parts, start=1):
            ident = base if k == 1 else unique_id(f"{base}.{k}", self.used_activities, "event")
            activity = {"id": ident, **common}
            activity["time"] = str(TimeRange(begin, end))
            if len(parts) > 1:
                activity["note"] = (
                    f"Part {k} of {len(parts)}: the event runs from {start:%H:%M} on "
                    f"{start:%a %d %b} to {ends:%H:%M} on {ends:%a %d %b}; split at midnight."
                )
            self.by_date.setdefault(date, []).append(activity)
            self.spans.setdefault(date, []).append((begin, end))
        if len(parts) > 1:
            self.note(
                f"'{title}' runs past midnight ({start:%a %d %b %H:%M} to {ends:%a %d %b %H:%M}); "
                f"split into {len(parts)} activities ({base}, {base}.2...) at midnight",
                event.line,
            )

    def _activity_id(self, event: RawEvent) -> str:
        source = (event.id or "").strip()
        name = f"event-{source}" if source else (event.slug or "").strip() or "event"
        ident = unique_id(name, self.used_activities, "event")
        if ident != id_base(name, "event"):
            self.note(
                f"'{event.title}': another event has the id {source or name!r}; "
                f"this one is {ident!r} here",
                event.line,
            )
        return ident

    def _common(self, event: RawEvent, title: str, room: str, people: list[str]) -> dict[str, Any]:
        activity: dict[str, Any] = {"title": title, "kind": kind_of(event.type).value}
        activity["room"] = room
        if people:
            activity["people"] = people
        for name in ("track", "abstract", "description"):
            value = self.text(getattr(event, name))
            if value is not None:
                activity[name] = " ".join(value.split()) if name == "track" else value
        url = http_url(event.url)
        if url is not None:
            activity["url"] = url
        published: dict[str, Any] = {}
        if event.guid and _UUID.match(event.guid.strip()):
            published["guid"] = event.guid.strip()
        for name in ("id", "slug", "type", "subtitle", "language"):
            value = self.text(getattr(event, name))
            if value is not None:
                published[name] = " ".join(value.split())[:200] if name != "subtitle" else value
        activity["published"] = published  # even empty: it marks the activity as imported
        return activity

    # --- days --------------------------------------------------------------------------------

    def day_spans(self) -> None:
        """The hours each frab day is open, cut at midnights onto calendar dates."""
        for day in self.raw.days:
            begin, end = _instant(day.start), _instant(day.end)
            if begin is None or end is None:
                continue
            start, stop = self.local(begin), self.local(end)
            self.frab_dates.add(start.date())
            declared = _date(day.date)
            if declared is not None and declared != start.date() and not self.noted_day_dates:
                self.noted_day_dates = True
                self.note(
                    f"day {day.date} starts on {start:%Y-%m-%d %H:%M} in {self.zone.key}; "
                    "days are read by the local date of each event",
                    day.line,
                )
            if stop <= start:
                continue
            for date, a, b in _parts(start, _whole_minutes(stop - start)):
                self.spans.setdefault(date, []).append((a, b))


def _offset(hours: int) -> str:
    return f"{hours:+03d}:00"


def _instant(text: str | None) -> dt.datetime | None:
    """An ISO date-time (with or without offset); None for anything else, a bare date too."""
    value = (text or "").strip()
    if "T" not in value and " " not in value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


def _clock(text: str | None) -> int | None:
    match = _CLOCK.match(text or "")
    if match is None:
        return None
    minutes, _ = _minutes(match)
    return minutes if minutes < DAY else None


def _whole_minutes(delta: dt.timedelta) -> int:
    return -(-int(delta.total_seconds()) // 60)


def _parts(start: dt.datetime, minutes: int) -> list[tuple[dt.date, int, int]]:
    """(date, start, end) pieces of ``minutes`` from ``start`` (wall clock), cut at midnights."""
    date, at = start.date(), start.hour * 60 + start.minute
    parts = []
    while minutes > 0:
        take = min(minutes, DAY - at)
        parts.append((date, at, at + take))
        minutes -= take
        date, at = date + dt.timedelta(days=1), 0
    return parts


# --- the programme ---------------------------------------------------------------------------

RULES: list[dict[str, Any]] = [
    {
        "id": "day-window",
        "kind": "day_window",
        "description": "Every event lies inside the hours its day is open.",
    },
    {
        "id": "one-place-per-person",
        "kind": "no_overlap",
        "resource": "person",
        "description": "No one is in two events at once.",
    },
    {
        "id": "one-event-per-room",
        "kind": "no_overlap",
        "resource": "room",
        "description": "A room holds one event at a time.",
    },
]
"""What a published schedule promises and ``check`` verifies after an import."""


def programme_from_schedule(raw: RawSchedule, *, timezone: str | None = None) -> Imported:
    """Read a parsed schedule as a programme (see the module docstring for every reading)."""
    reading = _Reading(raw, timezone)
    if raw.version is None:
        reading.note("the file has no <version>; exports write one of their own")
    elif not raw.version.strip():
        reading.note("the file's <version> is empty; exports write one of their own")
    for name, guid in raw.rooms:
        reading.room(name, guid)
    reading.day_spans()
    for event in raw.events:
        reading.event(event)
    return _assemble(reading)


def _assemble(reading: _Reading) -> Imported:
    raw = reading.raw
    if not reading.by_date:
        raise reading.fail(
            f"the schedule holds no event that can be imported ({len(raw.events)} in the file)",
            raw.lines.get("conference"),
        )
    if reading.utc_dates:
        reading.note(
            f"{reading.utc_dates} dates (events' and days') carry a UTC offset other than "
            f"{reading.zone.key}'s; they are read as instants and shown in {reading.zone.key}"
        )
    if reading.naive_dates:
        reading.note(f"{reading.naive_dates} dates carry no UTC offset; read in {reading.zone.key}")
    if reading.cleaned:
        reading.note(f"{reading.cleaned} texts held control characters, shown as U+FFFD")
    empty = [room["name"] for room in reading.rooms.values() if not room["events"]]
    if empty:
        reading.note(
            f"{len(empty)} rooms hold no event ({', '.join(empty)}); kept as rooms of the venue"
        )
    title = reading.text(raw.title) or reading.text(raw.acronym) or Path(raw.file).stem
    acronym = reading.text(raw.acronym)
    venue_id = unique_id(acronym or title, set(), "venue")
    dates = sorted(reading.frab_dates | set(reading.by_date))
    days = []
    for date in dates:
        spans = reading.spans.get(date, [])
        start = min((a for a, _ in spans), default=0)
        end = max((b for _, b in spans), default=DAY)
        activities = sorted(
            reading.by_date.get(date, []),
            key=lambda a: (TimeRange.parse(a["time"]), a["room"], a["id"]),
        )
        days.append(
            {
                "date": date.isoformat(),
                "venue": venue_id,
                "window": str(TimeRange(start, end)),
                "activities": activities,
            }
        )
    source = Path(raw.file).name
    version = (raw.version or "").strip()
    summary = f"Imported from {source} ({raw.format}" + (
        f", version {version})" if version else ")"
    )
    if reading.skipped:
        summary += f". Not imported (zero length): {'; '.join(reading.skipped)}"
    course: dict[str, Any] = {"title": title, "timezone": reading.zone.key, "note": summary}
    url = http_url(raw.url) or http_url(raw.base_url)
    if url:
        course["url"] = url
    if acronym:
        course["published"] = {"id": acronym[:200]}
    rooms = []
    for room in reading.rooms.values():
        entry: dict[str, Any] = {"id": room["id"], "name": room["name"], "published": {}}
        if "guid" in room:
            entry["published"] = {"guid": room["guid"]}
        rooms.append(entry)
    data = {
        "course": course,
        "venues": [{"id": venue_id, "name": title, "rooms": rooms}],
        "people": reading.people,
        "groups": [{"id": "attendees", "name": "Attendees"}],
        "days": days,
        "rules": RULES,
        "objective": CONFERENCE_OBJECTIVE,
    }
    programme = validate(data, SourceMap(file=f"<imported from {source}>"))
    return Imported(
        programme=programme,
        notes=reading.notes,
        events=len(raw.events),
        skipped=reading.skipped,
        split=reading.split,
    )


def split_parts(programme: Programme) -> list[list[str]]:
    """The events this import split at midnight, each as the ids of its parts in time order:
    an activity ``ID`` that ends at midnight, then ``ID.2`` from midnight of the next date,
    and so on (the reading of "Days" in the module docstring). A repair keeps such an event's
    time and moves its parts only together."""
    placed: dict[str, tuple[dt.date, TimeRange, str]] = {}
    for day in programme.days:
        for activity in day.activities:
            if isinstance(activity.time, TimeRange):  # an open end is never split at midnight
                placed[activity.id] = (day.date, activity.time, activity.title)
    events = []
    for ident, (date, time, title) in placed.items():
        if time.end != DAY or ("." in ident and ident.rpartition(".")[2].isdigit()):
            continue
        parts, k = [ident], 2
        while True:
            part = placed.get(f"{ident}.{k}")
            expected = date + dt.timedelta(days=k - 1)
            if part is None or part[0] != expected or part[1].start != 0 or part[2] != title:
                break
            parts.append(f"{ident}.{k}")
            if part[1].end != DAY:
                break
            k += 1
        if len(parts) > 1:
            events.append(parts)
    return events


def rooms_in_order(names: Iterable[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """(name, guid) pairs without repeats, the first guid a name comes with kept."""
    seen: dict[str, str | None] = {}
    for name, guid in names:
        if name not in seen or (seen[name] is None and guid):
            seen[name] = guid
    return list(seen.items())
