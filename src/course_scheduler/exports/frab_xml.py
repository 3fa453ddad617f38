"""frab ``schedule.xml``: what pretalx-downstream, Giggity, EventFahrplan and ConfClerk read.

The same schedule as the frab JSON (``frab.schedule_data``), written as the c3voc XML Schema
(``schedule.xml.xsd``) describes it. What the readers insist on is always there: a non-empty
``<version>`` (pretalx-downstream refuses a file without one), an ``id`` and a ``guid`` on each
event, and ``date``, ``start``, ``duration``, ``room``, ``slug``, ``title``, ``subtitle``,
``track``, ``type``, ``abstract`` and ``persons`` in each (``subtitle`` may be empty, never
absent). ``description`` is left out when it is empty: pretalx-downstream prefixes the
subtitle to the description's text and fails on an empty ``<description/>`` (the schema makes
it optional). URLs appear only when they are web addresses (the schema allows nothing else),
and a person's ``id`` only when the published schedule gave a number. Characters XML cannot
hold (control characters) are dropped. Days are the conference's days (``midnight``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from .frab import FrabEvent, schedule_data

if TYPE_CHECKING:
    from ..compile import Problem
    from ..timetable import Timetable

SCHEMA_LOCATION = "https://c3voc.de/schedule/schema.xsd"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _text(v) for k, v in attrib.items()})
    if text:
        element.text = _text(text)
    return element


def render(problem: Problem, timetable: Timetable, *, person: str | None = None) -> bytes:
    from .. import __version__
    from ..clock import format_hhmm

    data = schedule_data(problem, timetable, person=person)
    root = ET.Element(
        "schedule",
        {
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:noNamespaceSchemaLocation": SCHEMA_LOCATION,
        },
    )
    _add(root, "generator", name="course-scheduler", version=__version__)
    _add(root, "version", data.version)
    conference = _add(root, "conference")
    _add(conference, "acronym", data.acronym)
    _add(conference, "title", data.title)
    _add(conference, "start", data.start.isoformat())
    _add(conference, "end", data.end.isoformat())
    _add(conference, "days", str(len(data.days)))
    _add(conference, "timeslot_duration", data.timeslot)
    _add(conference, "time_zone_name", data.time_zone)
    if data.url:
        _add(conference, "url", data.url)
        _add(conference, "base_url", data.url)
    for name, track_slug, colour in data.tracks:
        _add(conference, "track", name=name, slug=track_slug, color=colour)
    guids = dict(data.rooms)
    for day in data.days:
        day_element = _add(
            root,
            "day",
            index=str(day.index),
            date=day.date.isoformat(),
            start=day.start.isoformat(),
            end=day.end.isoformat(),
        )
        for room, events in day.rooms.items():
            room_element = _add(day_element, "room", name=room)
            if room in guids:
                room_element.set("guid", guids[room])
            for event in events:
                _event(room_element, event, format_hhmm(event.minutes))
    ET.indent(root, space="  ")
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _event(parent: ET.Element, event: FrabEvent, duration: str) -> None:
    element = _add(parent, "event", guid=event.guid, id=str(event.number))
    _add(element, "date", event.start.isoformat())
    _add(element, "start", event.start.strftime("%H:%M"))
    _add(element, "duration", duration)
    _add(element, "room", event.room)
    _add(element, "slug", event.slug)
    if event.url:
        _add(element, "url", event.url)
    _add(element, "title", event.title)
    _add(element, "subtitle", event.subtitle)
    if event.language:
        _add(element, "language", event.language)
    _add(element, "track", event.track)
    _add(element, "type", event.type)
    _add(element, "abstract", event.abstract)
    if event.description:  # pretalx-downstream fails on an empty one beside a subtitle
        _add(element, "description", event.description)
    persons = _add(element, "persons")
    for person in event.persons:
        attrib = {"guid": person.guid}
        if person.number is not None:
            attrib["id"] = str(person.number)
        _add(persons, "person", person.name, **attrib)
    _add(element, "links")
    _add(element, "attachments")
