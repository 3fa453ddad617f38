"""The 7th Leipzig Semantic Web Day (22 May 2019) as its Jekyll site published it
(tests/fixtures/conferences/lswt2019.xml): an academic conference of one day, of another kind
than the CCC's, DebConf's, FOSDEM's or SFSCON's. A lecture hall of 10-30-minute talks in themed
sessions and a keynote, a tutorial room in parallel, coffee breaks (with the poster session)
and lunch listed under both rooms with one id, a hackathon with no duration, and an evening
social event. The file is a template's: no time zone, each ``<date>`` the local ``<start>``
with a ``Z`` after it, speakers in one ``<person>`` directly under the event (a list of names
with commas, or empty when there is none), and no person ids.

Every expectation is read from the file here with ElementTree, never through the importer:
each event's time, room and people, and the file's own clashes, which ``check`` must report
exactly. The scaled shape (``real-lswt2019``) is tested with the others in
``test_real_scaled_shape``; here, that it keeps the file's grid.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import pytest

from benchmarks import generate_real_scaled as real_scaled
from course_scheduler.api import export
from course_scheduler.checking import check
from course_scheduler.cli import main
from course_scheduler.clock import TimeRange
from course_scheduler.diffing import diff_programmes
from course_scheduler.edition import next_edition
from course_scheduler.importers import Imported, read_schedule
from course_scheduler.loading import load
from course_scheduler.whatif import Scenario, Unavailable, what_if

from .test_frab_round_trip import json_validator, xsd

LSWT = Path(__file__).parent / "fixtures" / "conferences" / "lswt2019.xml"
ZONE = "Europe/Berlin"
DAY = dt.date(2019, 5, 22)


@dataclass(frozen=True)
class Event:
    id: str
    start: int
    end: int | None
    """None for an event with no duration (the hackathon)."""
    room: str
    names: tuple[str, ...]
    """The speakers, the file's one ``<person>`` text split at its commas."""
    track: str
    title: str


def _minutes(text: str) -> int:
    hours, minutes = text.strip().split(":")
    return int(hours) * 60 + int(minutes)


@functools.cache
def events() -> tuple[Event, ...]:
    """Every event as listed, under its room (a break listed under two rooms twice)."""
    found = []
    for room in ET.parse(LSWT).getroot().iter("room"):
        for event in room.iter("event"):
            start = _minutes(event.findtext("start") or "")
            duration = (event.findtext("duration") or "").strip()
            persons = (event.findtext("person") or "").strip()
            found.append(
                Event(
                    id=event.get("id", ""),
                    start=start,
                    end=start + _minutes(duration) if duration else None,
                    room=room.get("name", ""),
                    names=tuple(n.strip() for n in persons.split(",")) if persons else (),
                    track=(event.findtext("track") or "").strip(),
                    title=(event.findtext("title") or "").strip(),
                )
            )
    return tuple(found)


def timed() -> tuple[Event, ...]:
    return tuple(e for e in events() if e.end is not None)


@functools.cache
def imported() -> Imported:
    return read_schedule(LSWT, timezone=ZONE)


def _ids(listed: tuple[Event, ...]) -> dict[Event, str]:
    """The activity id of each listed event: the file's id, '-2' for its second listing."""
    seen: dict[str, int] = defaultdict(int)
    ids = {}
    for e in listed:
        seen[e.id] += 1
        ids[e] = f"event-{e.id}" + (f"-{seen[e.id]}" if seen[e.id] > 1 else "")
    return ids


def test_the_fixture_is_the_whole_programme() -> None:
    found = events()
    assert len(found) == 31 and len({e.id for e in found}) == 28
    assert [e.room for e in found if e.end is None] == ["Hackathon"]
    twice = {e.id for e in found if sum(1 for f in found if f.id == e.id) == 2}
    assert twice == {"997", "998", "999"}  # the breaks, under both rooms at one time
    assert {e.track for e in found if e.id in twice} == {"Pause"}
    assert sum(1 for e in found if len(e.names) > 1) == 4
    assert sum(1 for e in found if not e.names) == 11
    root = ET.parse(LSWT).getroot()
    dates = [e.findtext("date") for e in root.iter("event")]
    starts = [e.findtext("start") for e in root.iter("event")]
    assert all(d == f"2019-05-22T{s}:00Z" for d, s in zip(dates, starts, strict=True))


def test_every_event_is_imported_at_its_start_in_its_room_with_its_speakers() -> None:
    """The site writes its local 9:00 as '2019-05-22T09:00:00Z': read as an instant, the day
    began at 11:00 and its social event ran past midnight (split in two). Every date is its
    start with a 'Z' after it, so the starts are the times; and the speakers listed in one
    ``<person>`` with commas are one person each, an empty ``<person>`` no one."""
    programme = imported().programme
    assert [d.date for d in programme.days] == [DAY]
    rooms = {r.id: r.name for v in programme.venues for r in v.rooms}
    names = {p.id: p.name for p in programme.people}
    got = {
        a.id: (a.time.start, a.time.end, rooms[a.room], sorted(names[p] for p in a.people))
        for a in programme.all_activities()
        if a.time is not None and a.room is not None
    }
    ids = _ids(timed())
    expected = {ids[e]: (e.start, e.end, e.room, sorted(e.names)) for e in timed()}
    assert got == expected
    assert sorted(names.values()) == sorted({n for e in timed() for n in e.names})
    messages = [n.message for n in imported().notes]
    assert any("the 'Z' is read as a label" in m for m in messages)
    assert "10 person entries name nobody (no name, no id); read as no one" in messages
    assert not any("Unnamed person" in m or "past midnight" in m for m in messages)


def test_without_a_time_zone_the_times_are_read_in_utc_with_a_note() -> None:
    programme = read_schedule(LSWT).programme
    assert programme.course.timezone == "UTC"
    first = min(programme.all_activities(), key=lambda a: a.time.start if a.time else 0)
    assert first.time is not None and first.time.start == 9 * 60


def _expected_clashes(listed: tuple[Event, ...]) -> set[frozenset[str]]:
    ids = _ids(listed)
    by_key: dict[str, list[Event]] = defaultdict(list)
    for e in listed:
        by_key[f"room {e.room}"].append(e)
        for name in e.names:
            by_key[f"person {name}"].append(e)
    return {
        frozenset((ids[a], ids[b]))
        for keyed in by_key.values()
        for a, b in combinations(keyed, 2)
        if a.end is not None and b.end is not None and a.start < b.end and b.start < a.end
    }


def test_check_reports_exactly_the_files_own_clashes() -> None:
    """The file has none. Moved onto the time of its speaker's other talk, Natanael Arndt's
    tutorial clashes with that talk, and (45 minutes long) with the coffee break its own room
    lists at 15:30: those two are what ``check`` reports."""
    assert _expected_clashes(timed()) == set()
    report = check(imported().programme)
    assert report.errors == [] and report.warnings == []
    arndt = sorted((e for e in timed() if "Natanael Arndt" in e.names), key=lambda e: e.start)
    talk, tutorial = arndt
    assert talk.room != tutorial.room
    length = tutorial.end - tutorial.start if tutorial.end else 0
    moved = dataclasses.replace(tutorial, start=talk.start, end=talk.start + length)
    expected = _expected_clashes(tuple(moved if e == tutorial else e for e in timed()))
    ids = _ids(timed())
    assert frozenset((ids[talk], ids[tutorial])) in expected and len(expected) == 2
    programme = imported().programme.model_copy(deep=True)
    activity = next(a for a in programme.all_activities() if a.id == ids[tutorial])
    assert moved.end is not None
    activity.time = TimeRange(moved.start, moved.end)
    report = check(programme)
    assert {frozenset(f.activities) for f in report.errors} == expected


def test_import_check_solve_and_unpin_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "lswt.yaml"
    assert main(["import", str(LSWT), "--timezone", ZONE, "--out", str(out)]) == 0
    assert "imported 31 events as 30 activities (0 split at midnight, 1 left out)" in (
        capsys.readouterr().err
    )
    assert main(["check", str(out)]) == 0
    assert "OK: 0 errors, 0 warnings, 0 notes (30/30" in capsys.readouterr().out
    solved = tmp_path / "solved.yaml"
    assert main(["solve", str(out), "--time-limit", "20", "--out", str(solved)]) == 0
    assert capsys.readouterr().out.startswith("status: optimal")
    before = {a.id: a.time for a in load(out).all_activities()}
    assert {a.id: a.time for a in load(solved).all_activities()} == before
    unpinned = tmp_path / "unpinned.yaml"
    assert main(["solve", str(out), "--unpin", "--time-limit", "20", "--out", str(unpinned)]) == 0
    capsys.readouterr()
    assert check(load(unpinned)).errors == []


def test_without_a_speaker_of_a_shared_talk_only_his_own_talk_goes() -> None:
    """Andreas Both gives the keynote alone and presents the teaching concepts with two
    others, all three in one ``<person>``: without him the keynote goes and the shared talk
    stays (read as one person named with all three, he was in neither)."""
    [both] = [p for p in imported().programme.people if p.name == "Prof. Dr. Andreas Both"]
    ids = _ids(timed())
    given = [e for e in timed() if both.name in e.names]
    alone = [ids[e] for e in given if len(e.names) == 1]
    shared = [ids[e] for e in given if len(e.names) > 1]
    assert len(alone) == 1 and len(shared) == 1
    scenario = Scenario(
        name="without Both", changes=[Unavailable(do="unavailable", person=both.id)]
    )
    result = what_if(imported().programme, scenario, time_limit=20)
    assert result.status == "optimal" and result.valid
    assert result.removed == alone and result.moved == []
    assert f" {shared[0]} stays: " in result.summary()


def test_next_edition_keeps_the_day_and_its_times() -> None:
    result = next_edition(imported().programme, dt.date(2020, 5, 20))
    assert [d.date for d in result.programme.days] == [dt.date(2020, 5, 20)]
    old = {a.id: a.time for a in imported().programme.all_activities()}
    assert {a.id: a.time for a in result.programme.all_activities()} == old


def test_the_exports_are_valid_and_read_back_to_the_files_times_rooms_and_people(
    tmp_path: Path,
) -> None:
    """Exported as frab XML and JSON and imported again, every event is at the file's time and
    room with the file's people; ``diff`` of the two programmes names only the breaks listed
    under two rooms with one id (frab ids are unique, so the export numbers them anew), and no
    activity 'moved venue' (the venue is the same, though its id is now the export's
    acronym)."""
    expected = sorted((e.start, e.end, e.room, e.title, tuple(sorted(e.names))) for e in timed())
    breaks = {ident for e, ident in _ids(timed()).items() if e.id in {"997", "998", "999"}}
    for fmt, suffix in (("frab-xml", ".xml"), ("frab-json", ".json")):
        data = export(imported().programme, fmt)
        if fmt == "frab-xml":
            xsd().validate(ET.fromstring(data))
        else:
            json_validator().validate(json.loads(data))
        path = tmp_path / f"out{suffix}"
        path.write_bytes(data)
        again = read_schedule(path).programme
        rooms = {r.id: r.name for v in again.venues for r in v.rooms}
        names = {p.id: p.name for p in again.people}
        got = sorted(
            (
                a.time.start,
                a.time.end,
                rooms[a.room],
                a.title,
                tuple(sorted(names[p] for p in a.people)),
            )
            for a in again.all_activities()
            if a.time is not None and a.room is not None
        )
        assert got == expected
        changes = diff_programmes(imported().programme, again).changes
        assert {c.activity for c in changes if c.changes == ("removed",)} == breaks
        assert all(c.changes in {("added",), ("removed",)} for c in changes)


def test_the_scaled_shape_keeps_the_files_lengths_and_grid() -> None:
    data, answer = real_scaled.plant(2000, 1, "lswt2019")
    lengths = {e.end - e.start for e in timed() if e.end is not None}
    starts = {f"{e.start // 60:02d}:{e.start % 60:02d}" for e in timed()}
    assert len(data["events"]) == 2000
    assert {s["duration"] for s in data["slots"]} <= lengths
    assert {s["starts_at"][11:16] for s in data["slots"]} <= starts
    assert len({answer[e["name"]] for e in data["events"]}) == 2000
