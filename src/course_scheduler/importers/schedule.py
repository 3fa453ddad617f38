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
  But when every dated event writes its date in UTC with its start's clock (a template that
  puts a ``Z`` after the local time: LSWT 2019) and the conference's zone is another, the
  ``Z`` is a label: the starts are the times (noted once).
  Without a ``date``, the ``start`` on the event's frab day is used (after midnight when it
  is earlier than the day's start).
- **Days** are calendar days in the conference's zone. An event belongs to the date it starts
  on; one that runs past midnight is split at midnight into parts (``ID``, ``ID.2``...), each
  noted, and exports join the parts into one event again. A day is every date a frab day
  starts on, and every date an event part falls on; its window covers both the frab days'
  hours on that date and its events. The conference's own days are kept too: when the frab
  days run past midnight, the time they hand over to the next (38C3: 6:00) is the course's
  ``day_change``, and exports list an event after midnight under the day before, as the file
  did.
- **Zero durations** (``00:00``) cannot be activities: such an event is left out, with a
  note naming it, and the programme's course note lists it.
- **Rooms** form one venue named after the conference, in the order the file first names them;
  a room that holds no event is kept (and noted). Events listed under one room but naming
  another in their own ``room`` field stay where they are listed (noted).
  Each room's kind (hall, workshop, stage, online) is read from its name and its capacity
  kept where the file gives one (``kinds.py``), for repairs.
- **Persons** are keyed by id *and* name (``people.py``): an id of ``0`` or none identifies
  nobody, an id given to several names is several people (noted once per id), one name under
  several ids in two events at once is a warning. Persons written directly under ``<event>``
  (or as ``speakers``) are read as its persons (noted). An entry with no name and no id (an
  empty ``<person/>``) is no one; a name with no id that is a list of names ("Prof. Dr.
  Andreas Both, Prof. Dr. Thomas Riechert": parts at commas or semicolons, each of two words
  or more) is one person per name; both noted. Their programme ids are readable slugs
  of their names (an accented letter as its base letter: Kaj Arnö is ``kaj-arno``), the
  file's ids kept in ``published``.
- **Events** keep their time, room, persons, track, abstract, description and url; their type
  and title give a kind (meals and breaks, ``plenary``, talk, workshop, else other:
  ``kinds.py``) and the type is kept verbatim in ``published.type``, with their guid, id, slug,
  subtitle and language. An event inside a longer one in the same room is a part of it
  (``block``), unless such events overlap one another there (a shared area's sessions). Two
  events in one room at once, or a person in two rooms at once, are imported as published:
  ``check`` reports them.
- **Unreadable events** (an empty duration, a date that is no date) are left out, each with a
  warning naming its line and field; ``strict`` refuses the file instead.
- **Escaped twice**: a title, subtitle, track or person's name is plain text, so an HTML
  character reference left in it (``&#8211;``, ``&#8217;``, ``&amp;``: SFSCON's WordPress
  export escapes its titles twice) is the character it names; one note counts them. Abstracts
  and descriptions are kept as written (they may be HTML, where a reference is markup).
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..clock import TimeRange, format_clock
from ..errors import ProgrammeError, SourceMap
from ..loading import validate
from ..model import CONFERENCE_OBJECTIVE, Programme
from ..text import base_letters, plural
from .kinds import PLENARY, PLENARY_KIND, kind_of, room_kind
from .people import Appearance, Identities, identity, name_key, real_id

DAY = 24 * 60

_NOT_ID = re.compile(r"[^A-Za-z0-9_.\-]+")
_UUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_DURATION = re.compile(r"^\s*(\d{1,4}):(\d{2})(?::(\d{2}))?\s*$")
_CHARACTER_REFERENCE = re.compile(
    r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
"""A numeric or named HTML character reference, with its semicolon."""
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
    stray_persons: bool = False
    """Its persons were written outside the usual list (directly under ``<event>``, or as
    ``speakers``): read all the same, and noted."""
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
    """ "frab XML", "frab JSON" or "pretalx API export", for messages."""
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
    capacities: dict[str, int] = field(default_factory=dict)
    """Seats of the rooms whose capacity the file gives, by room name."""
    days: list[RawDay] = field(default_factory=list)
    events: list[RawEvent] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the parser itself has to say about the file (talks it did not take)."""
    unreadable: list[ProgrammeError] = field(default_factory=list)
    """Events a parser could not read at all (a value of the wrong shape), each as the error
    that names its line and field: left out with a note, or refused with ``strict``."""


@dataclass(frozen=True)
class Note:
    """Something the import read in a documented way, or could not carry over faithfully;
    a ``warning`` when the planner should look (an event left out, one person who may have
    two ids)."""

    file: str
    line: int | None
    message: str
    level: str = "note"

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
    """Events left out (zero durations, unreadable events), as ``title (where)``."""
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


def id_base(name: str, prefix: str) -> str:
    """A readable id for ``name``: letters, digits, '-', '_' and '.', starting with one of the
    first two; ``prefix`` leads when the name has no such start. Accented letters keep their
    base letter (Rößler is ``rossler``, was ``r-ler``: the id a planner types)."""
    plain = base_letters(name.strip())
    base = _NOT_ID.sub("-", plain).strip("-._")[:60].strip("-._").casefold()
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
        self.person_ids: dict[tuple[str, str, str], str] = {}
        self.identities = Identities()
        self.current_people: list[tuple[str, str, tuple[str, str] | None]] = []
        self.stray = 0
        self.placed: list[tuple[dt.datetime, dt.datetime, str, str, dict[str, Any]]] = []
        """(start, end, room id, title, first part) of every imported event, for blocks."""
        self.people: list[dict[str, Any]] = []
        self.used_people: set[str] = set()
        self.rooms: dict[str, dict[str, Any]] = {}
        self.used_rooms: set[str] = set()
        self.used_activities: set[str] = set()
        self.by_date: dict[dt.date, list[dict[str, Any]]] = {}
        self.spans: dict[dt.date, list[tuple[int, int]]] = {}
        self.day_parts: dict[dt.date, list[tuple[int, int]]] = {}
        """The frab days' own hours on each date (``spans`` holds the events' too)."""
        self.frab_dates: set[dt.date] = set()
        self.skipped: list[str] = []
        self.split: list[str] = []
        self.utc_dates = 0
        self.naive_dates = 0
        self.labelled = self._labelled_dates(timezone is not None)
        self.nobody = 0
        self.name_lists = 0
        self.cleaned = 0
        self.unescaped = 0
        self.noted_day_dates = False
        self.kinds_used: set[str] = set()
        self.day_ends: list[dt.datetime] = []
        """Where each frab day hands over to the next, in the conference's zone."""

    def note(self, message: str, line: int | None = None) -> None:
        self.notes.append(Note(self.file, line, message))

    def fail(self, message: str, line: int | None, field_name: str | None = None) -> ProgrammeError:
        return ProgrammeError(message, file=self.file, line=line, field=field_name)

    def text(self, value: str | None) -> str | None:
        if value and _UNSAFE_TEXT.search(value):
            self.cleaned += 1
        return clean_text(value)

    def plain(self, value: str | None) -> str | None:
        """A text that is plain, never markup (a title, a name): a character reference left in
        it by a publisher that escaped it twice is the character it names."""
        text = self.text(value)
        if text is None or "&" not in text:
            return text
        read = _CHARACTER_REFERENCE.sub(lambda m: html.unescape(m.group()), text)
        if read != text:
            self.unescaped += 1
        return clean_text(read)

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

    def _labelled_dates(self, overridden: bool) -> bool:
        """Whether the events' dates write the local clock with a ``Z`` that is only a label
        (LSWT 2019's site: ``2019-05-22T09:00:00Z`` for a 9:00 start in Leipzig). True when
        every event that has both a date with an offset and a start writes it in UTC, shows the
        start's clock in its date as written, and does not once converted to the conference's
        zone: then the starts, frab's local clock, are the times. A date at another offset is
        an instant, as is one in UTC beside a start that differs from it (DebConf 23)."""
        if not overridden and not (self.raw.time_zone_name or "").strip():
            return False  # the zone was read from the dates' own offset: they agree with it
        seen = 0
        for event in self.raw.events:
            when, clock = _instant(event.date), _clock(event.start)
            if when is None or when.utcoffset() is None or clock is None:
                continue
            local = when.astimezone(self.zone)
            if (
                when.utcoffset() != dt.timedelta(0)
                or when.hour * 60 + when.minute != clock
                or local.hour * 60 + local.minute == clock
            ):
                return False
            seen += 1
        return seen > 0

    def local(self, when: dt.datetime) -> dt.datetime:
        if when.tzinfo is None:
            self.naive_dates += 1
            return when.replace(tzinfo=self.zone)
        if self.labelled:
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

    def persons_of(self, event: RawEvent) -> list[RawPerson]:
        """The event's persons as the file lists them, less an entry that names nobody (no
        name, no id: an empty ``<person/>`` a template writes for an event without speakers),
        and with a name that is a list of names, of a person with no id, read as one person
        per name."""
        found: list[RawPerson] = []
        for raw in event.persons:
            if not (raw.name or "").strip() and identity(raw.guid, raw.id, raw.code) is None:
                self.nobody += 1
                continue
            names = _name_list(raw.name) if identity(raw.guid, raw.id, raw.code) is None else []
            if len(names) > 1:
                self.name_lists += 1
                found.extend(RawPerson(name=name) for name in names)
            else:
                found.append(raw)
        return found

    def person(self, raw: RawPerson, event: RawEvent) -> str:
        """The programme's person for ``raw`` in ``event``: keyed by id and name together
        (``people.py``), so every event keeps its own names."""
        name = " ".join((self.plain(raw.name) or "").split())
        given = identity(raw.guid, raw.id, raw.code)
        if given is None and any((v or "").strip() for v in (raw.guid, raw.id, raw.code)):
            self.identities.placeholders += 1
            self.identities.placeholder_values.update(
                v.strip() for v in (raw.guid, raw.id, raw.code) if v and v.strip()
            )
        if not name:
            name = f"Person {given[1]}" if given else "Unnamed person"
            self.note(f"a person of '{event.title}' has no name; called {name!r}", event.line)
        key = given or ("name", f"unnamed@{event.where}" if name == "Unnamed person" else "")
        full_key = (*key, name_key(name))
        ident = self.person_ids.get(full_key)
        if ident is None:
            ident = unique_id(name, self.used_people, "person")
            self.person_ids[full_key] = ident
            person: dict[str, Any] = {"id": ident, "name": name}
            published = {}
            guid = real_id(raw.guid)
            if guid and _UUID.match(guid):
                published["guid"] = guid
            source_id = real_id(raw.id) or real_id(raw.code)
            if source_id:
                published["id"] = source_id[:200]
            if published:
                person["published"] = published
            self.people.append(person)
        self.current_people.append((ident, name, given))
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
        title = self.plain(event.title)
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
        self.current_people = []
        persons = self.persons_of(event)
        people = list(dict.fromkeys(self.person(p, event) for p in persons))
        ends = start + dt.timedelta(minutes=minutes)
        for ident, name, given in self.current_people:
            self.identities.appearances.append(
                Appearance(ident, name, given, start, ends, title, event.line)
            )
        if event.stray_persons and persons:
            self.stray += 1
        base = self._activity_id(event)
        parts = _parts(start, minutes)
        common = self._common(event, title, room["id"], people)
        if len(parts) > 1:
            self.split.append(base)
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
        if len(parts) == 1:  # an event split at midnight is neither a block nor a part
            self.placed.append((start, ends, room["id"], title, activity))
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
        kind = kind_of(event.type, title)
        self.kinds_used.add(kind)
        activity: dict[str, Any] = {"title": title, "kind": kind}
        activity["room"] = room
        if people:
            activity["people"] = people
        for name in ("track", "abstract", "description"):
            value = (self.plain if name == "track" else self.text)(getattr(event, name))
            if value is not None:
                activity[name] = " ".join(value.split()) if name == "track" else value
        url = http_url(event.url)
        if url is not None:
            activity["url"] = url
        published: dict[str, Any] = {}
        if event.guid and _UUID.match(event.guid.strip()):
            published["guid"] = event.guid.strip()
        for name in ("id", "slug", "type", "subtitle", "language"):
            value = (self.plain if name == "subtitle" else self.text)(getattr(event, name))
            if value is not None:
                published[name] = " ".join(value.split())[:200] if name != "subtitle" else value
        activity["published"] = published  # even empty: it marks the activity as imported
        return activity

    def leave_out(self, error: ProgrammeError, event: RawEvent | None = None) -> None:
        """An event that cannot be read: left out, with its line, field and why."""
        title = (event.title or "").strip() if event is not None else ""
        where = event.where if event is not None else (error.field or "an event")
        name = f"'{title}'" if title else f"the event at {where}"
        self.skipped.append(f"{title or 'untitled'} ({where})")
        field_text = f" (field '{error.field}')" if error.field else ""
        self.notes.append(
            Note(
                self.file,
                error.line,
                f"{name} is left out: {error.message}{field_text} (--strict refuses the file)",
                "warning",
            )
        )

    def report_people(self) -> None:
        """The notes on ids and names (``people.py``): placeholder ids, ids with several names,
        one name under several ids in two events at once, persons written outside a list."""
        found = self.identities
        if found.placeholders:
            values = ", ".join(repr(v) for v in sorted(found.placeholder_values)[:3])
            self.note(
                f"{found.placeholders} persons carry an id that identifies nobody ({values}); "
                "they are told apart by name"
            )
        for (kind, value), names, line in found.ids_with_several_names():
            shown = "; ".join(names[:6]) + ("; ..." if len(names) > 6 else "")
            self.note(
                f"person {kind} {value!r} is given to {len(names)} names ({shown}); read as "
                f"{len(names)} people, each event keeps its own names",
                line,
            )
        for name, pairs in found.names_in_two_places():
            first, second = pairs[0]
            ids = sorted({str(s.identity[1]) if s.identity else "no id" for p in pairs for s in p})
            self.notes.append(
                Note(
                    self.file,
                    second.line,
                    f"'{name}' appears under different ids ({', '.join(ids)}) in events at the "
                    f"same time ('{first.title}' {first.start:%a %H:%M}, '{second.title}' "
                    f"{second.start:%a %H:%M}"
                    + (f", and {len(pairs) - 1} more pairs" if len(pairs) > 1 else "")
                    + "): one person with two ids, or two people of one name? Read as different "
                    "people",
                    "warning",
                )
            )
        if self.nobody:
            self.note(
                f"{plural(self.nobody, 'person entry names', 'person entries name')} nobody (no "
                "name, no id); read as no one"
            )
        if self.name_lists:
            self.note(
                f"{plural(self.name_lists, 'person is', 'persons are')} a list of names with no "
                "id ('Dr. Sebastian Tramp, Andreas Heinecke'); read as one person per name"
            )
        if self.stray:
            self.note(
                f"{self.stray} events list their speakers outside <persons> (directly under the "
                "event, or as speakers); read as their persons"
            )

    def nest_blocks(self) -> None:
        """An event that lies inside a longer one in the same room (a lightning talk in its
        lightning-talk session) is a part of it: ``block`` names the longer one, the
        shortest that holds it. Parts move with their block in a repair."""
        by_room: dict[str, list[tuple[dt.datetime, dt.datetime, str, str, dict[str, Any]]]] = {}
        for placed in self.placed:
            by_room.setdefault(placed[2], []).append(placed)
        nested = 0
        parts_of: dict[str, list[tuple[dt.datetime, dt.datetime, dict[str, Any]]]] = {}
        for events in by_room.values():
            events.sort(key=lambda e: (e[0], -(e[1] - e[0]).total_seconds()))
            for k, (start, end, _, _, activity) in enumerate(events):
                holders = [
                    other
                    for other in events[:k]
                    if other[0] <= start
                    and end <= other[1]
                    and (other[0], other[1]) != (start, end)
                    and "block" not in other[4]
                    and other[4].get("kind") not in _NOT_BLOCKS
                ]
                if holders:
                    holder = min(holders, key=lambda e: e[1] - e[0])
                    activity["block"] = holder[4]["id"]
                    parts_of.setdefault(holder[4]["id"], []).append((start, end, activity))
                    nested += 1
        apart = 0
        for parts in parts_of.values():
            parts.sort(key=lambda part: part[0])
            if any(b[0] < a[1] for a, b in itertools.pairwise(parts)):
                for *_, activity in parts:  # side by side: no sequence of one session's parts
                    del activity["block"]
                apart += len(parts)
        if nested - apart:
            self.note(
                f"{nested - apart} events lie inside a longer event in the same room; read as "
                "its parts (block), which move with it"
            )
        if apart:
            self.note(
                f"{apart} events lie inside a longer event in the same room but overlap one "
                "another there (a shared area, not one session's parts); kept as events of "
                "their own"
            )

    def day_change(self) -> int | None:
        """When the file's days hand over to the next, as minutes after midnight: the most
        common time of day at which a frab day that runs past midnight ends (rounded up to
        the minute, or to the next day's start when that follows within a minute). None when
        the days end by midnight."""
        ends: list[int] = []
        starts = sorted(
            self.local(begin) for day in self.raw.days if (begin := _instant(day.start)) is not None
        )
        for stop in self.day_ends:
            following = next((s for s in starts if s >= stop), None)
            if following is not None and following - stop <= dt.timedelta(minutes=1):
                stop = following
            minutes = stop.hour * 60 + stop.minute + (1 if stop.second else 0)
            if 0 < minutes <= 12 * 60:
                ends.append(minutes)
        if not ends:
            return None
        return max(sorted(set(ends)), key=ends.count)

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
            self.day_ends.append(stop)
            for date, a, b in _parts(start, _whole_minutes(stop - start)):
                self.spans.setdefault(date, []).append((a, b))
                self.day_parts.setdefault(date, []).append((a, b))


_NAME_SEPARATOR = re.compile(r"\s*[,;]\s*")


def _name_list(name: str | None) -> list[str]:
    """The names in a person's name that is a list ("Prof. Dr. Andreas Both, Prof. Dr. Thomas
    Riechert"): parts split at commas or semicolons, each of at least two words. A name with a
    part of one word ("Peres, Martin", family name first) is one name: [] then."""
    parts = _NAME_SEPARATOR.split((name or "").strip())
    if len(parts) < 2 or any(len(part.split()) < 2 for part in parts):
        return []
    return parts


def _first_date(raw: RawSchedule) -> str:
    return next((e.date.strip() for e in raw.events if e.date and e.date.strip()), "")


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

_NOT_BLOCKS = frozenset({"coffee_break", "lunch", "dinner", "breakfast"})
"""A meal or a break in a room is no session that holds the events in it."""

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


def programme_from_schedule(
    raw: RawSchedule, *, timezone: str | None = None, strict: bool = False
) -> Imported:
    """Read a parsed schedule as a programme (see the module docstring for every reading).

    An event that cannot be read (an empty duration, a date that is no date, a value of the
    wrong shape) is left out with a located warning; with ``strict`` it refuses the file."""
    reading = _Reading(raw, timezone)
    field = "<version>" if raw.format.endswith("XML") else '"version"'  # as the file writes it
    if raw.version is None:
        reading.note(f"the file has no {field}; exports write one of their own")
    elif not raw.version.strip():
        reading.note(f"the file's {field} is empty; exports write one of their own")
    for message in raw.notes:
        reading.note(message)
    for name, guid in raw.rooms:
        reading.room(name, guid)
    reading.day_spans()
    for error in raw.unreadable:
        if strict:
            raise error
        reading.leave_out(error)
    for event in raw.events:
        try:
            reading.event(event)
        except ProgrammeError as error:
            if strict:
                raise
            reading.leave_out(error, event)
    reading.report_people()
    reading.nest_blocks()
    return _assemble(reading)


def _assemble(reading: _Reading) -> Imported:
    raw = reading.raw
    if not reading.by_date:
        raise reading.fail(
            "the schedule holds no event that can be imported "
            f"({len(raw.events) + len(raw.unreadable)} in the file)",
            raw.lines.get("conference"),
        )
    if reading.utc_dates:
        reading.note(
            f"{reading.utc_dates} dates (events' and days') carry a UTC offset other than "
            f"{reading.zone.key}'s; they are read as instants and shown in {reading.zone.key}"
        )
    if reading.labelled:
        reading.note(
            f"every event's date writes its start's clock in UTC ('{_first_date(raw)}'), which "
            f"is not the clock of {reading.zone.key}; the 'Z' is read as a label and the times "
            f"as the starts give them, in {reading.zone.key}"
        )
    if reading.naive_dates:
        reading.note(f"{reading.naive_dates} dates carry no UTC offset; read in {reading.zone.key}")
    if reading.cleaned:
        held = plural(reading.cleaned, "text held", "texts held")
        reading.note(f"{held} control characters, shown as U+FFFD")
    if reading.unescaped:
        reading.note(
            f"{plural(reading.unescaped, 'title, track or name holds', 'titles, tracks or names hold')} "
            "HTML character references (the file escaped them twice: '&#8211;'); read as the "
            "characters they name"
        )
    empty = [room["name"] for room in reading.rooms.values() if not room["events"]]
    if empty:
        reading.note(
            f"{plural(len(empty), 'room holds', 'rooms hold')} no event ({', '.join(empty)}); "
            "kept as rooms of the venue"
        )
    title = reading.text(raw.title) or reading.text(raw.acronym) or Path(raw.file).stem
    acronym = reading.text(raw.acronym)
    venue_id = unique_id(acronym or title, set(), "venue")
    dates = sorted(reading.frab_dates | set(reading.by_date))
    days = []
    between: list[tuple[dt.date, int, int]] = []
    times = {
        date: [TimeRange.parse(a["time"]) for a in reading.by_date.get(date, [])] for date in dates
    }
    nominal = not any(_night(reading.day_parts.get(date, []), times[date]) for date in dates)
    for date in dates:
        parts = reading.day_parts.get(date, [])
        night = [part for part in parts if part[0] == 0 and nominal]
        spans = [span for span in reading.spans.get(date, []) if span not in night]
        start = min((a for a, _ in spans), default=0)
        end = max((b for _, b in spans), default=DAY)
        between += _between_days(date, [part for part in parts if part not in night], spans)
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
    if between:
        hours = sorted({str(TimeRange(a, b)) for _, a, b in between})
        reading.note(
            f"the hours between the file's days ({', '.join(hours)} on "
            f"{plural(len({d for d, _, _ in between}), 'date')}) are closed in every room, "
            "so that nothing moves into the night"
        )
    course: dict[str, Any] = {"title": title, "timezone": reading.zone.key}
    day_change = reading.day_change()
    if day_change is not None:
        course["day_change"] = format_clock(day_change)
    course["note"] = summary
    url = http_url(raw.url) or http_url(raw.base_url)
    if url:
        course["url"] = url
    if acronym:
        course["published"] = {"id": acronym[:200]}
    rooms = []
    for room in reading.rooms.values():
        entry: dict[str, Any] = {"id": room["id"], "name": room["name"]}
        capacity = raw.capacities.get(room["name"])
        if capacity:
            entry["capacity"] = capacity
        kind = room_kind(room["name"])
        if kind is not None:
            entry["kind"] = kind.value
        if between:
            entry["closed"] = [
                {"date": d.isoformat(), "time": str(TimeRange(a, b))} for d, a, b in between
            ]
        entry["published"] = {"guid": room["guid"]} if "guid" in room else {}
        rooms.append(entry)
    data = {
        "course": course,
        "venues": [{"id": venue_id, "name": title, "rooms": rooms}],
        "people": reading.people,
        "groups": [{"id": "attendees", "name": "Attendees"}],
        **({"kinds": [PLENARY_KIND]} if PLENARY in reading.kinds_used else {}),
        "days": days,
        "rules": RULES,
        "objective": CONFERENCE_OBJECTIVE,
    }
    programme = validate(data, SourceMap(file=f"<imported from {source}>"))
    return Imported(
        programme=programme,
        notes=reading.notes,
        events=len(raw.events) + len(raw.unreadable),
        skipped=reading.skipped,
        split=reading.split,
    )


def _night(parts: list[tuple[int, int]], times: list[TimeRange]) -> bool:
    """Does an event of the date start in the small hours of ``parts`` (the end of a frab day
    that runs past midnight), before the next day's start? When none does on any date, the
    days run past midnight by convention only: FOSDEM's run from 9:00 to 8:59 the next
    morning and nothing happens at night, so Sunday's window opens at 9:00, not at 0:00 (a
    solve put a talk at 0:00 there). A programme that uses its nights (CCCamp 2019) keeps
    every night's hours, as its days give them."""
    nights = [end for start, end in parts if start == 0]
    later = [start for start, _ in parts if start > 0]
    if not nights:
        return False
    opens = min(later) if later else max(nights)  # the last night's date holds no day
    return any(t.start < opens for t in times)


def _between_days(
    date: dt.date, parts: list[tuple[int, int]], spans: list[tuple[int, int]]
) -> list[tuple[dt.date, int, int]]:
    """The hours of ``date`` between two of the file's days: after a frab day that runs past
    midnight ends (31C3: 4:00) and before the next day starts (11:30), where no event is
    listed (``spans``: the days' hours and the events'). The date is one programme day whose
    window must hold both the night's small hours and the next day (0:00-24:00), so without
    these the solver was free to put a talk at 7:15 where the file has no day."""
    night = [end for start, end in parts if start == 0]
    if not night or all(start == 0 for start, _ in parts):
        return []
    closes = max(night)
    for start, end in sorted(spans):  # an event may run on past its day's end
        if start <= closes:
            closes = max(closes, end)
    opens = min((start for start, _ in spans if start > closes), default=closes)
    return [(date, closes, opens)] if opens - closes > 1 else []  # 3:59 to 4:00: days that meet


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
