"""frab/pretalx ``schedule.json`` → ``RawSchedule`` (read by ``importers.schedule``).

The document is ``{"schedule": {"version", "conference": {..., "days": [{"rooms": {NAME:
[events]}}]}}}`` (the c3voc schema). It is read by the programme loader's JSON reader, which
keeps the line of every key and enforces the same size limits; a value of the wrong shape is
refused with its line and field, except inside one event: that event is set aside as
unreadable (the import leaves it out with a warning, ``strict`` refuses). Persons given as bare
names, or under ``speakers``, are read too. A document that is no frab schedule is refused
with what it looks like (``shapes``).
"""

from __future__ import annotations

from typing import Any

from ..errors import Path, ProgrammeError, SourceMap, dotted
from ..loading import parse
from .schedule import EVENT_TEXTS, RawDay, RawEvent, RawPerson, RawSchedule, rooms_in_order
from .shapes import describe_json, not_frab, sniff

FORMAT = "frab JSON"

_EVENT_FIELDS = ("id", "guid", "code", *EVENT_TEXTS)  # identities are keys in JSON


class Reader:
    """Values of a JSON document, each checked for its shape; errors name the line and field."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source

    def fail(self, message: str, path: Path) -> ProgrammeError:
        return self.source.error(message, path)

    def mapping(self, value: Any, path: Path) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"expected an object, got {_kind(value)}", path)
        return value

    def items(self, value: Any, path: Path) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(f"expected a list, got {_kind(value)}", path)
        return value

    def text(self, value: Any, path: Path) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool | dict | list):
            raise self.fail(f"expected text or a number, got {_kind(value)}", path)
        return str(value)

    def line(self, path: Path) -> int | None:
        return self.source.line(path)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def read(raw: bytes, name: str) -> RawSchedule:
    """A frab ``schedule.json`` as plain strings with their lines."""
    sniffed = sniff(raw)
    if sniffed is not None and not sniffed.startswith("JSON"):
        raise ProgrammeError(not_frab(sniffed), file=name, line=1)
    json_name = name if name.lower().endswith(".json") else f"{name}.json"  # read as JSON
    try:
        data, source = parse(raw, name=json_name, published=True)
    except ProgrammeError as exc:
        raise ProgrammeError(exc.message, file=name, line=exc.line, field=exc.field) from None
    source.file = name
    reader = Reader(source)
    if not isinstance(data, dict) or "schedule" not in data:
        raise ProgrammeError(not_frab(describe_json(data)), file=name, line=1)
    top = data
    schedule_path: Path = ("schedule",)
    schedule = reader.mapping(top["schedule"], schedule_path)
    conference_path: Path = (*schedule_path, "conference")
    if "conference" not in schedule:
        raise reader.fail(
            "the schedule has no 'conference': "
            + not_frab(describe_json(schedule)).replace("; it", ", it"),
            schedule_path,
        )
    conference = reader.mapping(schedule["conference"], conference_path)
    result = RawSchedule(
        file=name,
        format=FORMAT,
        version=reader.text(schedule.get("version"), (*schedule_path, "version")),
        version_line=reader.line((*schedule_path, "version")),
        base_url=reader.text(schedule.get("base_url"), (*schedule_path, "base_url")),
        lines={"conference": reader.line(conference_path) or 1},
    )
    for key in ("title", "acronym", "start", "time_zone_name", "url"):
        path: Path = (*conference_path, key)
        setattr(result, key, reader.text(conference.get(key), path))
        line = reader.line(path)
        if line is not None and key in conference:
            result.lines[key] = line
    rooms: list[tuple[str, str | None]] = []
    for r, room in enumerate(reader.items(conference.get("rooms"), (*conference_path, "rooms"))):
        room_path: Path = (*conference_path, "rooms", r)
        room = reader.mapping(room, room_path)
        room_name = reader.text(room.get("name"), (*room_path, "name")) or ""
        rooms.append((room_name.strip(), reader.text(room.get("guid"), (*room_path, "guid"))))
    days_path: Path = (*conference_path, "days")
    for d, day in enumerate(reader.items(conference.get("days"), days_path)):
        day_path: Path = (*days_path, d)
        day = reader.mapping(day, day_path)
        raw_day = RawDay(
            where=dotted(day_path),
            line=reader.line(day_path),
            date=reader.text(day.get("date"), (*day_path, "date")),
            start=reader.text(day.get("day_start"), (*day_path, "day_start")),
            end=reader.text(day.get("day_end"), (*day_path, "day_end")),
        )
        result.days.append(raw_day)
        by_room = reader.mapping(day.get("rooms", {}), (*day_path, "rooms"))
        for room_name, events in by_room.items():
            rooms.append((room_name.strip(), None))
            events_path: Path = (*day_path, "rooms", room_name)
            for e, event in enumerate(reader.items(events, events_path)):
                try:
                    result.events.append(
                        _event(reader, (*events_path, e), event, room_name, raw_day)
                    )
                except ProgrammeError as error:  # one bad event does not block the file
                    result.unreadable.append(error)
    result.rooms = rooms_in_order((n, g) for n, g in rooms if n)
    return result


def _event(reader: Reader, path: Path, value: Any, room: str, day: RawDay) -> RawEvent:
    data = reader.mapping(value, path)
    event = RawEvent(
        where=dotted(path),
        line=reader.line(path),
        room=room,
        day_date=day.date,
        day_start=day.start,
    )
    for key in _EVENT_FIELDS:
        if key in data:
            setattr(event, key, reader.text(data[key], (*path, key)))
            line = reader.line((*path, key))
            if line is not None:
                event.lines[key] = line
    if "room" in data:
        event.own_room = reader.text(data["room"], (*path, "room"))
    key = "persons" if data.get("persons") or "speakers" not in data else "speakers"
    event.stray_persons = key == "speakers"
    for p, person in enumerate(reader.items(data.get(key), (*path, key))):
        person_path: Path = (*path, key, p)
        if isinstance(person, str):  # a bare name
            event.persons.append(RawPerson(name=person))
            continue
        person = reader.mapping(person, person_path)
        name = person.get("name") or person.get("public_name") or ""
        event.persons.append(
            RawPerson(
                name=reader.text(name, (*person_path, "name")) or "",
                id=reader.text(person.get("id"), (*person_path, "id")),
                guid=reader.text(person.get("guid"), (*person_path, "guid")),
                code=reader.text(person.get("code"), (*person_path, "code")),
            )
        )
    return event
