"""Importing real published schedules: every event, time, room and person, and what ``check``
finds wrong in them, compared with an independent reading of the files (``real_schedules``).

The four files of ../shared/real_schedules (38C3, DebConf 23, CCCamp 2019, rC3) are imported;
the tests are skipped with a reason where ../shared is absent.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import course_scheduler as cs
from course_scheduler.checking import check
from course_scheduler.cli import main
from course_scheduler.importers import Imported, ScheduleWarning, read_schedule
from course_scheduler.loading import dump, load, loads
from course_scheduler.model import Activity, Programme

from .real_schedules import (
    FILES,
    Source,
    past_midnight,
    person_clashes,
    read_source,
    real_file,
    room_clashes,
)

EXPECTED = {
    # events, rooms, days, people, split at midnight, person clashes, room clashes, check errors
    "38c3": (1007, 72, 4, 571, 26, 140, 1, 142),
    "debconf23": (117, 5, 8, 87, 0, 0, 0, 0),
    "cccamp2019": (79, 2, 5, 90, 1, 0, 0, 0),
    "rc3": (48, 5, 4, 56, 0, 0, 0, 0),
}


@functools.cache
def imported(name: str) -> Imported:
    return read_schedule(real_file(name))


@functools.cache
def source(name: str) -> Source:
    return read_source(real_file(name))


def parts_by_guid(programme: Programme) -> dict[str, list[tuple[dt.date, Activity]]]:
    """The activities of each published event (several when it was split), in time order."""
    result: dict[str, list[tuple[dt.date, Activity]]] = defaultdict(list)
    for day in programme.days:
        for activity in day.activities:
            assert activity.published is not None and activity.published.guid is not None
            result[activity.published.guid].append((day.date, activity))
    return result


def identities(programme: Programme) -> dict[str, str]:
    """Each person's identity in the file: the guid, else the id, else the name."""
    result = {}
    for person in programme.people:
        published = person.published
        given = published.guid or published.id if published else None
        result[person.id] = given or person.name.casefold()
    return result


def at(date: dt.date, minutes: int, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(0), tzinfo=zone) + dt.timedelta(minutes=minutes)


# --- the import agrees with the file ---------------------------------------------------------


@pytest.mark.parametrize("name", list(FILES))
def test_every_event_keeps_its_time_room_persons_track_and_type(name: str) -> None:
    result, events = imported(name), source(name)
    programme = result.programme
    zone = ZoneInfo(programme.course.timezone)
    count, rooms, days, people, split, *_ = EXPECTED[name]
    assert len(events.events) == count == result.events
    assert len({e.room for e in events.events}) == rooms
    assert sum(len(v.rooms) for v in programme.venues) == rooms
    assert events.days == days == len(programme.days)
    assert len({key for e in events.events for key, _ in e.persons}) == people
    assert len(programme.people) == people
    groups = parts_by_guid(programme)
    assert len(groups) == count
    room_names = {r.id: r.name for v in programme.venues for r in v.rooms}
    names = {p.id: p.name for p in programme.people}
    extra_parts = 0
    for event in events.events:
        pieces = groups[event.guid]
        extra_parts += len(pieces) - 1
        first_date, first = pieces[0]
        assert first.time is not None
        assert at(first_date, first.time.start, zone) == event.start.astimezone(zone), event.title
        minutes = sum(a.minutes for _, a in pieces)
        assert minutes * 60 == (event.end - event.start).total_seconds(), event.title
        for _, activity in pieces:
            assert room_names[activity.room or ""] == event.room
            assert activity.title == event.title
            persons = sorted(names[p] for p in activity.people)
            assert persons == sorted(dict(event.persons).values())
            assert activity.track == (" ".join(event.track.split()) or None)
            assert activity.published is not None
            assert activity.published.type == (" ".join(event.type.split()) or None)
    assert extra_parts == split == len(result.split)


@pytest.mark.parametrize("name", list(FILES))
def test_check_reports_what_is_wrong_in_the_published_schedule(name: str) -> None:
    programme, events = imported(name).programme, source(name)
    *_, person_count, room_count, errors = EXPECTED[name]
    report = check(programme)
    activities = {a.id: a for a in programme.all_activities()}
    who = identities(programme)
    rooms = {r.id: r.name for v in programme.venues for r in v.rooms}

    def guids(finding_activities: tuple[str, ...]) -> frozenset[str]:
        return frozenset(str(activities[i].published.guid) for i in finding_activities)  # type: ignore[union-attr]

    people_found, rooms_found = set(), set()
    for finding in report.findings:
        a, b = (activities[i] for i in finding.activities)
        if finding.rule == "one-place-per-person":
            for person in set(a.people) & set(b.people):
                people_found.add((who[person], guids(finding.activities)))
        elif finding.rule == "one-event-per-room":
            rooms_found.add((rooms[a.room or ""], guids(finding.activities)))
        else:
            raise AssertionError(f"unexpected finding {finding}")
    assert people_found == person_clashes(events) and len(people_found) == person_count
    assert rooms_found == room_clashes(events) and len(rooms_found) == room_count
    assert report.counts() == {"error": errors, "warning": 0, "info": 0}
    assert report.scheduled == report.activities


@pytest.mark.parametrize("name", list(FILES))
def test_every_event_past_midnight_is_split_and_reported(name: str) -> None:
    result = imported(name)
    programme = result.programme
    crossing = past_midnight(source(name), ZoneInfo(programme.course.timezone))
    activities = {a.id: a for a in programme.all_activities()}
    assert {activities[i].published.guid for i in result.split} == crossing  # type: ignore[union-attr]
    for ident in result.split:
        title = activities[ident].title
        assert any("runs past midnight" in n.message and title in n.message for n in result.notes)
        second = activities[f"{ident}.2"]
        assert second.time is not None and second.time.start == 0
        assert (activities[ident].note or "").startswith("Part 1 of 2")
        assert (second.note or "").startswith("Part 2 of 2")
    for day in programme.days:  # the day windows cover their events
        for activity in day.activities:
            assert activity.time is not None and day.window.contains(*_span(activity))


def _span(activity: Activity) -> tuple[int, int]:
    assert activity.time is not None
    return activity.time.start, activity.time.end


def test_debconf_dates_in_utc_are_shown_in_kochi_time() -> None:
    result = imported("debconf23")
    programme = result.programme
    assert programme.course.timezone == "Asia/Kolkata"
    opening = next(a for a in programme.all_activities() if a.title == "Opening Ceremony")
    day = next(d for d in programme.days if opening in d.activities)
    assert (day.date, str(opening.time)) == (dt.date(2023, 9, 10), "10:30 - 10:50")
    assert opening.published is not None and opening.published.id == "35"
    assert opening.url == "https://debconf23.debconf.org/talks/18-opening-ceremony/"
    assert programme.days[0].date == dt.date(2023, 9, 10)  # the file's first <day> says 09-09
    messages = [n.message for n in result.notes]
    assert any("<version> is empty" in m for m in messages)
    assert any("UTC offset other than Asia/Kolkata's" in m for m in messages)
    assert any("days are read by the local date" in m for m in messages)
    utc = read_schedule(real_file("debconf23"), timezone="UTC").programme
    opening_utc = next(a for a in utc.all_activities() if a.title == "Opening Ceremony")
    assert str(opening_utc.time) == "5:00 - 5:20"


def test_rc3_names_no_time_zone_so_its_offset_is_used_or_the_one_given() -> None:
    result = imported("rc3")
    assert result.programme.course.timezone == "Etc/GMT-1"
    assert any("names no time zone" in n.message for n in result.notes)
    berlin = read_schedule(real_file("rc3"), timezone="Europe/Berlin").programme
    assert berlin.course.timezone == "Europe/Berlin"
    times = {a.id: (a.time, a.date) for a in result.programme.all_activities()}
    assert {a.id: (a.time, a.date) for a in berlin.all_activities()} == times  # December: +01:00


def test_38c3_keeps_tracks_urls_abstracts_and_published_identities() -> None:
    programme = imported("38c3").programme
    activities = programme.all_activities()
    opening = next(a for a in activities if a.title == "38C3: Opening Ceremony")
    assert opening.track == "CCC" and opening.kind == "plenary"
    assert opening.published is not None and opening.published.type == "Ceremony"
    assert opening.published.guid == "270fa44c-821a-577f-8ca3-33e8d4a8c2a7"
    assert opening.published.id == "2" and opening.id == "event-2"
    assert opening.abstract is not None and opening.abstract.startswith("Glad you could make it!")
    assert opening.description is not None and "kick this thing off" in opening.description
    assert opening.url == "https://events.ccc.de/congress/2024/hub/de/event/38c3-opening-ceremony/"
    gabriela = next(p for p in programme.people if p.name == "Gabriela Bogk")
    assert gabriela.id in opening.people and gabriela.published is not None
    assert gabriela.published.guid == "0c16ffaa-709d-599f-959f-9a38b911361a"
    kinds = {a.kind for a in activities}
    assert kinds == {"talk", "workshop", "other", "plenary"}
    assert [k.id for k in programme.kinds] == ["plenary"]
    tracks = {a.track for a in activities if a.track}
    assert "Ethics, Society & Politics" in tracks and len(tracks) == 7
    saal = next(r for r in programme.venues[0].rooms if r.name == "Saal 1")
    assert (
        saal.published is not None and saal.published.guid == "ba692ba3-421b-5371-8309-60acc34a3c05"
    )
    assert programme.course.url == "https://events.ccc.de/congress/2024/hub/"
    assert programme.course.published is not None and programme.course.published.id == "38c3"


@pytest.mark.parametrize("name", ["debconf23", "cccamp2019", "rc3"])  # 38C3: the command test
def test_an_imported_programme_is_written_and_read_back_unchanged(name: str) -> None:
    programme = imported(name).programme
    again = loads(dump(programme), name="imported.yaml")
    assert again.model_dump() == programme.model_dump()


def test_the_api_re_exports_the_importer_and_warns_about_each_note() -> None:
    path = real_file("cccamp2019")
    with pytest.warns(ScheduleWarning, match="runs past midnight"):
        programme = cs.import_schedule(path, "frab-json")
    assert isinstance(programme, Programme)
    assert len(programme.all_activities()) == 80


# --- the command -----------------------------------------------------------------------------


def test_import_command_writes_a_programme_that_check_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = real_file("38c3")
    out = tmp_path / "38c3.yaml"
    before = path.read_bytes()
    assert main(["import", str(path), "--from", "frab-xml", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.count("note: ") == 28 and err.count("warning: ") == 2
    assert "'Eli' appears under different ids" in err
    assert (
        "imported 1007 events as 1033 activities (26 split at midnight, 0 left out), 72 rooms, "
        "4 days, 571 people" in err
    )
    assert path.read_bytes() == before
    assert main(["check", str(out)]) == 1
    assert "FAILED: 142 errors, 0 warnings, 0 notes (1033/1033 activities scheduled, 3 rules)" in (
        capsys.readouterr().out
    )
    assert load(out).model_dump() == imported("38c3").programme.model_dump()


def test_import_command_guesses_the_format_and_writes_json_or_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = real_file("rc3")
    out = tmp_path / "rc3.json"
    assert main(["import", str(path), "--timezone", "Europe/Berlin", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["course"]["timezone"] == "Europe/Berlin"
    capsys.readouterr()
    assert main(["import", str(path)]) == 0
    printed = capsys.readouterr().out
    assert loads(printed, name="rc3.yaml").model_dump() == imported("rc3").programme.model_dump()


def test_import_command_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    copy = tmp_path / "schedule.xml"
    copy.write_bytes(real_file("debconf23").read_bytes())
    before = copy.read_bytes()
    assert main(["import", str(copy), "--out", str(copy)]) == 2
    assert copy.read_bytes() == before
    assert main(["import", str(tmp_path / "missing.xml")]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["schedule.xml"]
