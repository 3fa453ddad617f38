"""pretalx's REST API exports → ``RawSchedule`` (read by ``importers.schedule``, like frab).

pretalx publishes its schedule through its REST API, and conference websites keep what they
fetched as JSON. The shapes read here (all by structure, whichever the file holds):

- the **schedule** endpoint: ``{"slots": [...], "breaks": [...]}``, each slot a talk with a
  ``slot`` (or, in the newer API, a slot naming its ``submission``);
- the **talks** or **submissions** endpoints: a list, or a page ``{"results": [...]}``, each
  with a ``slot`` (or ``slots``) giving ``room``, ``start`` and ``end``;
- a **bundle** of endpoints in one object: ``talks``/``submissions``/``slots`` with any of
  ``rooms`` (names and **capacities**), ``speakers``, ``submission_types``, ``tracks``,
  ``breaks``, and the event's ``timezone`` and ``name``; ids in one resolve in the others;
- the **schedule widget**'s data (``talks`` with ``start``, ``end`` and ``room`` ids, with
  ``rooms`` and ``speakers``) and the organisers' **session export** ("Proposal title",
  "Room", "Start", "Speaker names"...).

Texts may be plain or localised (``{"en": "Main Hall"}``: English, else the first). A talk's
type is its submission type, its persons its speakers (keyed by their ``code``), its id its
``code``. A break is an event titled by its description ("Lunch" reads as lunch). A talk
with no slot (not scheduled) or a withdrawn, rejected or cancelled one is left out and
counted in a note; a talk with several slots is an event per slot. Room capacities are kept
(``Room.capacity``) so repairs can use them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..errors import Path, ProgrammeError, dotted
from ..loading import parse
from ..text import plural
from .frab_json import Reader
from .schedule import RawEvent, RawPerson, RawSchedule, rooms_in_order
from .shapes import describe_json, not_frab, pretalx_shape

FORMAT = "pretalx API export"

_DROPPED_STATES = frozenset({"withdrawn", "rejected", "canceled", "cancelled", "deleted"})
_ORGANISER = {
    "code": "ID",
    "title": "Proposal title",
    "state": "Proposal state",
    "type": "Session type",
    "track": "Track",
    "abstract": "Abstract",
    "description": "Description",
    "language": "Language",
    "room": "Room",
    "start": "Start",
    "end": "End",
}
"""The organisers' session export names its fields in words."""


def localised(value: Any) -> str | None:
    """A pretalx text: plain, or ``{"en": ..., "de": ...}`` (English, else the first)."""
    if isinstance(value, dict):
        for key in ("en", *value):
            found = value.get(key)
            if isinstance(found, str) and found.strip():
                return found
        return None
    if value is None or isinstance(value, bool | list):
        return None
    return str(value)


class _Lookup:
    """Rooms, speakers, submission types and tracks by id (or code), from a bundle."""

    def __init__(self, reader: Reader, data: dict[str, Any]) -> None:
        self.rooms: dict[str, tuple[str, int | None]] = {}
        self.order: list[tuple[int, str]] = []
        for r, room in enumerate(reader.items(data.get("rooms"), ("rooms",))):
            if not isinstance(room, dict):
                continue
            name = localised(room.get("name")) or f"Room {room.get('id', r + 1)}"
            capacity = room.get("capacity")
            seats = capacity if isinstance(capacity, int) and capacity > 0 else None
            self.rooms[str(room.get("id", name))] = (name.strip(), seats)
            position = room.get("position")
            self.order.append((position if isinstance(position, int) else r, name.strip()))
        self.speakers = self._names(reader, data, "speakers", "code")
        self.types = self._names(reader, data, "submission_types", "id")
        self.tracks = self._names(reader, data, "tracks", "id")

    @staticmethod
    def _names(reader: Reader, data: dict[str, Any], key: str, ident: str) -> dict[str, str]:
        names = {}
        for item in reader.items(data.get(key), (key,)):
            if isinstance(item, dict) and item.get(ident) is not None:
                name = localised(item.get("name"))
                if name:
                    names[str(item[ident])] = name
        return names

    def room(self, value: Any) -> tuple[str, int | None] | None:
        """A slot's room: an id, a localised name, or an object with either."""
        if isinstance(value, dict) and ("id" in value or "name" in value):
            if "name" in value:
                name = localised(value["name"])
                if name:
                    return self.rooms.get(str(value.get("id")), (name.strip(), None))
            value = value.get("id")
        if isinstance(value, int | str) and str(value) in self.rooms:
            return self.rooms[str(value)]
        name = localised(value)
        return (name.strip(), None) if name and name.strip() else None

    def named(self, table: dict[str, str], value: Any) -> str | None:
        if isinstance(value, dict) and "name" in value:
            return localised(value["name"])
        if isinstance(value, int | str) and str(value) in table:
            return table[str(value)]
        return localised(value)


def read(raw: bytes, name: str) -> RawSchedule:
    """A pretalx API export as plain strings with their lines (module docstring)."""
    json_name = name if name.lower().endswith(".json") else f"{name}.json"
    try:
        data, source = parse(raw, name=json_name, published=True)
    except ProgrammeError as exc:
        raise ProgrammeError(exc.message, file=name, line=exc.line, field=exc.field) from None
    source.file = name
    if pretalx_shape(data) is None:
        raise ProgrammeError(
            not_frab(describe_json(data)).replace("not a frab schedule", "not a pretalx export"),
            file=name,
            line=1,
        )
    reader = Reader(source)
    bundle = data if isinstance(data, dict) else {}
    lookup = _Lookup(reader, bundle)
    found = bundle.get("event")
    event: dict[str, Any] = found if isinstance(found, dict) else {}
    schedule = RawSchedule(file=name, format=FORMAT, lines={"conference": 1})
    schedule.version = localised(bundle.get("version"))
    schedule.time_zone_name = localised(bundle.get("timezone") or event.get("timezone"))
    schedule.title = localised(bundle.get("name") or event.get("name") or bundle.get("title"))
    schedule.acronym = localised(bundle.get("slug") or event.get("slug"))
    reading = _Reading(reader, lookup, schedule)
    talks_key, talks = _talks(data)
    by_code = {str(t["code"]): t for t in talks if isinstance(t, dict) and "code" in t}
    for k, talk in enumerate(talks):
        path: Path = (talks_key, k) if talks_key else (k,)
        reading.talk(path, talk, by_code)
    for k, pause in enumerate(reader.items(bundle.get("breaks"), ("breaks",))):
        reading.pause(("breaks", k), pause)
    reading.finish()
    return schedule


def _talks(data: Any) -> tuple[str | None, list[Any]]:
    """Where the talks are: the document itself, or its results, slots, talks or submissions."""
    if isinstance(data, list):
        return None, data
    for key in ("results", "talks", "submissions", "slots"):
        found = data.get(key)
        if isinstance(found, list) and found:
            return key, found
    return None, []


class _Reading:
    def __init__(self, reader: Reader, lookup: _Lookup, schedule: RawSchedule) -> None:
        self.reader = reader
        self.lookup = lookup
        self.schedule = schedule
        self.rooms: list[str] = []
        self.unscheduled = 0
        self.dropped = 0

    def fail(self, message: str, path: Path) -> ProgrammeError:
        return self.reader.fail(message, path)

    def talk(self, path: Path, value: Any, by_code: dict[str, Any]) -> None:
        try:
            talk = self.reader.mapping(value, path)
            if "Proposal title" in talk:
                talk = {key: talk.get(label) for key, label in _ORGANISER.items()} | {
                    "speakers": _organiser_speakers(talk)
                }
            elif "submission" in talk and "code" not in talk:  # a slot naming its talk
                talk = {**by_code.get(str(talk["submission"]), {}), "slot": talk}
            state = str(talk.get("state") or "").casefold()
            if state in _DROPPED_STATES:
                self.dropped += 1
                return
            slots = self._slots(talk)
            if not slots:
                self.unscheduled += 1
                return
            for n, slot in enumerate(slots):
                self._event(path, talk, slot, n, len(slots))
        except ProgrammeError as error:
            self.schedule.unreadable.append(error)

    def _slots(self, talk: dict[str, Any]) -> list[dict[str, Any]]:
        if isinstance(talk.get("slot"), dict):
            return [talk["slot"]]
        if isinstance(talk.get("slots"), list):
            return [s for s in talk["slots"] if isinstance(s, dict) and s.get("start")]
        if talk.get("start"):  # the widget and the organisers' export: the talk is its slot
            return [talk]
        return []

    def _event(
        self, path: Path, talk: dict[str, Any], slot: dict[str, Any], n: int, count: int
    ) -> None:
        start, end = slot.get("start"), slot.get("end")
        if not start:
            return
        room = self.lookup.room(slot.get("room", slot.get("room_id")))
        room_name = room[0] if room else "Unnamed room"
        if room is not None and room[1] is not None:
            self.schedule.capacities.setdefault(room_name, room[1])
        self.rooms.append(room_name)
        code = localised(talk.get("code")) or dotted(path)
        event = RawEvent(
            where=dotted(path),
            line=self.reader.line(path),
            room=room_name,
            id=code if count == 1 else f"{code}-{n + 1}",
            code=code,
            date=localised(start),
            duration=_duration(start, end, talk.get("duration")),
            title=localised(talk.get("title")),
            track=self.lookup.named(self.lookup.tracks, talk.get("track", talk.get("track_id"))),
            type=self.lookup.named(
                self.lookup.types, talk.get("submission_type", talk.get("submission_type_id"))
            ),
            language=localised(talk.get("content_locale") or talk.get("language")),
            abstract=localised(talk.get("abstract")),
            description=localised(talk.get("description")),
        )
        if event.duration is None:
            raise self.fail(f"the slot's start {start!r} and end {end!r} give no length", path)
        for speaker in talk.get("speakers") or []:
            event.persons.append(self._speaker(speaker))
        self.schedule.events.append(event)

    def _speaker(self, value: Any) -> RawPerson:
        if isinstance(value, dict):
            code = localised(value.get("code"))
            name = localised(value.get("name")) or self.lookup.speakers.get(code or "", "")
            return RawPerson(name=name, code=code)
        code = str(value)
        if code in self.lookup.speakers:
            return RawPerson(name=self.lookup.speakers[code], code=code)
        return RawPerson(name=code)  # a bare name

    def pause(self, path: Path, value: Any) -> None:
        try:
            pause = self.reader.mapping(value, path)
            start, end = pause.get("start"), pause.get("end")
            room = self.lookup.room(pause.get("room", pause.get("room_id")))
            room_name = room[0] if room else "Unnamed room"
            self.rooms.append(room_name)
            title = localised(pause.get("description")) or "Break"
            event = RawEvent(
                where=dotted(path),
                line=self.reader.line(path),
                room=room_name,
                id=f"break-{path[-1]}",
                date=localised(start),
                duration=_duration(start, end, None),
                title=title,
                type="Break",
            )
            if event.duration is None:
                raise self.fail(f"the break's start {start!r} and end {end!r} give no length", path)
            self.schedule.events.append(event)
        except ProgrammeError as error:
            self.schedule.unreadable.append(error)

    def finish(self) -> None:
        listed = [name for _, name in sorted(self.lookup.order)]
        self.schedule.rooms = rooms_in_order((n, None) for n in [*listed, *self.rooms] if n)
        for name, seats in self.lookup.rooms.values():
            if seats is not None:
                self.schedule.capacities.setdefault(name, seats)
        if self.unscheduled or self.dropped:
            unscheduled = plural(self.unscheduled, "talk has", "talks have")
            verb = "is" if self.dropped == 1 else "are"
            self.schedule.notes.append(
                f"{unscheduled} no slot (not scheduled) and {self.dropped} {verb} "
                "withdrawn, rejected or cancelled: left out"
            )


def _organiser_speakers(talk: dict[str, Any]) -> list[dict[str, Any]]:
    names = talk.get("Speaker names") or []
    codes = talk.get("Speaker IDs") or []
    if not isinstance(names, list):
        return []
    return [
        {"name": name, "code": codes[k] if isinstance(codes, list) and k < len(codes) else None}
        for k, name in enumerate(names)
    ]


def _duration(start: Any, end: Any, minutes: Any) -> str | None:
    """ "H:MM" from a slot's start and end (ISO date-times), else its duration in minutes."""
    try:
        length = dt.datetime.fromisoformat(str(end)) - dt.datetime.fromisoformat(str(start))
        total = int(length.total_seconds() // 60)
    except (TypeError, ValueError):
        total = minutes if isinstance(minutes, int) else -1
    if total < 0:
        return None
    return f"{total // 60}:{total % 60:02d}"
