"""frab XML and JSON out and in again: the c3voc schemas accept what we write, the readers find
what they need, and an imported schedule exported and imported again still matches its
original file (checked against an independent reading of it, ``real_schedules``). Our own
programmes survive the trip with their times.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from course_scheduler.compile import Problem, compile_programme
from course_scheduler.exports import export
from course_scheduler.importers import Imported, read_schedule
from course_scheduler.loading import load
from course_scheduler.model import Programme
from course_scheduler.timetable import published_timetable

from .conftest import CORRECTED, PUBLISHED
from .real_schedules import FILES, JSON_SCHEMA, XSD, read_source, real_file
from .test_exports import write_hostile

FORMATS = {"frab-xml": ".xml", "frab-json": ".json"}


@functools.cache
def imported(name: str) -> Imported:
    return read_schedule(real_file(name))


@functools.cache
def xsd() -> Any:
    if not XSD.exists():
        pytest.skip(f"the frab XML Schema is not at {XSD} (it lives in ../shared/schemas)")
    import xmlschema

    return xmlschema.XMLSchema(str(XSD))


@functools.cache
def json_validator() -> Any:
    if not JSON_SCHEMA.exists():
        pytest.skip(f"the frab JSON Schema is not at {JSON_SCHEMA} (it lives in ../shared/schemas)")
    import jsonschema

    schema = json.loads(JSON_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def exported(programme: Programme, fmt: str) -> bytes:
    problem = compile_programme(programme)
    return export(problem, published_timetable(problem), fmt)


def programmes() -> dict[str, Programme]:
    return {"corrected": load(CORRECTED), "published": load(PUBLISHED)} | {
        name: imported(name).programme for name in FILES if (real_file_exists(name))
    }


def real_file_exists(name: str) -> bool:
    from .real_schedules import REAL

    return (REAL / FILES[name]).exists()


def events_of(programme: Programme) -> dict[str, dict[str, Any]]:
    """Each published event (parts of a split one joined) by guid, as a reader sees it."""
    zone = ZoneInfo(programme.course.timezone)
    rooms = {r.id: r.name for v in programme.venues for r in v.rooms}
    people = {p.id: p for p in programme.people}
    result: dict[str, dict[str, Any]] = {}
    for day in programme.days:
        for activity in day.activities:
            assert activity.published is not None and activity.time is not None
            guid = str(activity.published.guid)
            if guid in result:
                result[guid]["minutes"] += activity.minutes
                continue
            start = dt.datetime.combine(day.date, dt.time(0), tzinfo=zone)
            result[guid] = {
                "title": activity.title,
                "start": start + dt.timedelta(minutes=activity.time.start),
                "minutes": activity.minutes,
                "room": rooms[activity.room or ""],
                "persons": sorted(people[p].name for p in activity.people),
                "people": list(activity.people),
                "track": activity.track,
                "kind": activity.kind,
                "abstract": activity.abstract,
                "description": activity.description,
                "url": activity.url,
                "published": activity.published.model_dump(exclude={"slug"}),
                "slug": activity.published.slug,
            }
    return result


# --- the schemas accept what we write --------------------------------------------------------


@pytest.mark.parametrize("which", ["corrected", "published", "hostile", *FILES])
def test_frab_xml_is_valid_by_the_c3voc_xml_schema(which: str, tmp_path: Path) -> None:
    if which == "hostile":
        programme = load(write_hostile(tmp_path))
    elif which in FILES:
        programme = imported(which).programme
    else:
        programme = load(CORRECTED if which == "corrected" else PUBLISHED)
    data = exported(programme, "frab-xml")
    xsd().validate(data.decode("utf-8"))


@pytest.mark.parametrize("name", list(FILES))
def test_frab_json_of_an_imported_schedule_is_valid_by_the_c3voc_json_schema(name: str) -> None:
    document = json.loads(exported(imported(name).programme, "frab-json"))
    json_validator().validate(document)


def test_frab_xml_has_what_pretalx_downstream_reads(tmp_path: Path) -> None:
    """Read as pretalx-downstream reads a file: the version's text, and for each event the id
    attribute, the title, type, track and subtitle elements, and ``date + " " + start``
    parsed by dateutil as the start (no ``end``: start plus duration)."""
    import dateutil.parser

    programme = load(write_hostile(tmp_path))
    problem = compile_programme(programme)
    timetable = published_timetable(problem)
    root = ET.fromstring(export(problem, timetable, "frab-xml"))
    assert (root.findtext("version") or "").strip()
    zone = ZoneInfo(programme.course.timezone)
    expected = {
        (dt.datetime.combine(p.date, dt.time(0), tzinfo=zone) + dt.timedelta(minutes=p.start))
        for p in timetable
    }
    starts = set()
    ids = set()
    for day in root.findall("day"):
        for room in day.findall("room"):
            assert room.attrib["name"] and room.attrib.get("guid")
            for talk in room.findall("event"):
                ids.add(int(talk.attrib["id"]))
                for tag in ("title", "type", "track", "subtitle", "date", "start", "duration"):
                    assert talk.find(tag) is not None, tag
                assert talk.findtext("title") and talk.findtext("type") and talk.findtext("track")
                start = dateutil.parser.parse(f"{talk.findtext('date')} {talk.findtext('start')}")
                starts.add(start)
                hours, minutes = (int(x) for x in (talk.findtext("duration") or "").split(":"))
                assert hours * 60 + minutes > 0
    assert starts == expected
    assert len(ids) == len(timetable) and min(ids) > 0


def test_the_debconf_file_itself_is_what_pretalx_downstream_misreads() -> None:
    """Why the import converts ``<date>`` rather than trusting ``<start>``: DebConf's own file
    read the downstream way puts the opening at 10:30 UTC; it was 10:30 in Kochi. Our export
    of it reads right."""
    import dateutil.parser

    def opening(data: bytes) -> dt.datetime:
        root = ET.fromstring(data)
        talk = next(e for e in root.iter("event") if e.findtext("title") == "Opening Ceremony")
        return dateutil.parser.parse(f"{talk.findtext('date')} {talk.findtext('start')}")

    kochi = dt.datetime(2023, 9, 10, 10, 30, tzinfo=ZoneInfo("Asia/Kolkata"))
    assert opening(real_file("debconf23").read_bytes()) != kochi
    assert opening(exported(imported("debconf23").programme, "frab-xml")) == kochi


# --- round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("name", list(FILES))
def test_a_real_schedule_survives_export_and_import(name: str, fmt: str, tmp_path: Path) -> None:
    first = imported(name).programme
    path = tmp_path / f"schedule{FORMATS[fmt]}"
    path.write_bytes(exported(first, fmt))
    again = read_schedule(path, timezone=first.course.timezone).programme
    before, after = events_of(first), events_of(again)
    same_person: dict[str, str] = {}
    for guid, event in before.items():
        for old, new in zip(event.pop("people"), after[guid].pop("people"), strict=True):
            assert same_person.setdefault(old, new) == new  # one person stays one person
        slug, again_slug = event.pop("slug"), after[guid].pop("slug")
        xsd_slug, json_slug = r"^[a-z0-9_]{4,}-[a-z0-9\-_]{4,}$", r"^[a-z0-9_-]+[a-z0-9]$"
        if slug and re.match(xsd_slug, slug) and re.match(json_slug, slug):
            assert again_slug == slug  # kept where both schemas accept it
    assert len(set(same_person.values())) == len(same_person)  # and two stay two
    assert after == before
    assert len(again.people) == len(first.people)
    assert [r.name for v in again.venues for r in v.rooms] == [
        r.name for v in first.venues for r in v.rooms
    ]
    assert [d.date for d in again.days] == [d.date for d in first.days]
    # and against the file itself, read without the library
    zone = ZoneInfo(first.course.timezone)
    source = {e.guid: e for e in read_source(real_file(name)).events}
    assert set(after) == set(source)
    for guid, event in source.items():
        assert after[guid]["start"] == event.start.astimezone(zone)
        assert after[guid]["minutes"] * 60 == (event.end - event.start).total_seconds()
        assert after[guid]["room"] == event.room
        assert after[guid]["persons"] == sorted(dict(event.persons).values())


def _times(problem: Problem) -> dict[str, tuple[dt.date, int, int]]:
    return {p.activity: (p.date, p.start, p.end) for p in published_timetable(problem)}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_our_own_programme_exported_and_imported_keeps_its_times(fmt: str, tmp_path: Path) -> None:
    from course_scheduler.exports import event_guids

    problem = compile_programme(load(CORRECTED))
    timetable = published_timetable(problem)
    path = tmp_path / f"schedule{FORMATS[fmt]}"
    path.write_bytes(export(problem, timetable, fmt))
    again = read_schedule(path).programme
    assert again.course.timezone == "Europe/Madrid"
    guid_of = {str(g): ident for ident, g in event_guids(problem).items()}
    times = {}
    for day in again.days:
        for activity in day.activities:
            assert activity.published is not None and activity.time is not None
            ident = guid_of[str(activity.published.guid)]
            times[ident] = (day.date, activity.time.start, activity.time.end)
            assert activity.title == problem.item(ident).title
    assert times == _times(problem)
    assert len(times) == len(problem.items) == 51  # 47 activities and 4 bus rides
    talk = next(
        a for a in again.all_activities() if guid_of[str(a.published.guid)] == "d1-guest-talk"
    )  # type: ignore[union-attr]
    assert [p.name for p in again.people if p.id in talk.people] == ["Andrea Noferini"]
    assert talk.track == "Guest talk"
