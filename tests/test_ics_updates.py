"""Calendars that update: SEQUENCE and DTSTAMP from one export to the next, STATUS, TRANSP,
DESCRIPTION and what a person's calendar holds, read back with icalendar."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from course_scheduler.cli import main
from course_scheduler.compile import Problem, compile_programme
from course_scheduler.errors import ProgrammeError
from course_scheduler.exports import export
from course_scheduler.loading import load
from course_scheduler.timetable import Timetable, published_timetable

from .conftest import CORRECTED, REPRODUCIBLE_EPOCH

LATER = "1732492800"  # a week after the tests' export time


@pytest.fixture(scope="module")
def corrected() -> tuple[Problem, Timetable]:
    problem = compile_programme(load(CORRECTED))
    return problem, published_timetable(problem)


def events(data: bytes) -> dict[str, Any]:
    from icalendar import Calendar

    return {str(e["X-COURSE-SCHEDULER-ID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def moved(timetable: Timetable, ident: str, minutes: int) -> Timetable:
    placements = dict(timetable.placements)
    p = placements[ident]
    placements[ident] = dataclasses.replace(p, start=p.start + minutes, end=p.end + minutes)
    return Timetable(placements)


def stamp(epoch: str) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)


# --- SEQUENCE and DTSTAMP --------------------------------------------------------------------


def test_an_unchanged_programme_exports_the_same_calendar_later(
    corrected: tuple[Problem, Timetable], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = export(*corrected, "ics")
    assert {int(e["SEQUENCE"]) for e in events(first).values()} == {0}
    assert {e.decoded("DTSTAMP") for e in events(first).values()} == {stamp(REPRODUCIBLE_EPOCH)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", LATER)
    assert export(*corrected, "ics", previous=first) == first  # same SEQUENCE, same DTSTAMP


def test_a_changed_event_gets_the_next_sequence_and_a_new_stamp(
    corrected: tuple[Problem, Timetable], monkeypatch: pytest.MonkeyPatch
) -> None:
    problem, timetable = corrected
    first = export(problem, timetable, "ics")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", LATER)
    second = export(problem, moved(timetable, "d2-coffee", 15), "ics", previous=first)
    before, after = events(first), events(second)
    assert after["d2-coffee"].decoded("DTSTART") == before["d2-coffee"].decoded(
        "DTSTART"
    ) + dt.timedelta(minutes=15)
    changed = {i for i, e in after.items() if int(e["SEQUENCE"]) == 1}
    assert changed == {"d2-coffee"}
    assert after["d2-coffee"].decoded("DTSTAMP") == stamp(LATER)
    for ident, event in after.items():
        if ident != "d2-coffee":
            assert int(event["SEQUENCE"]) == 0
            assert event.decoded("DTSTAMP") == stamp(REPRODUCIBLE_EPOCH)
            assert event.to_ical() == before[ident].to_ical()
    third = export(problem, timetable, "ics", previous=second)  # moved back: a change again
    assert int(events(third)["d2-coffee"]["SEQUENCE"]) == 2
    assert export(problem, timetable, "ics", previous=third) == third


def test_a_changed_title_counts_as_a_change(
    corrected: tuple[Problem, Timetable], tmp_path: Path
) -> None:
    problem, timetable = corrected
    first = export(problem, timetable, "ics")
    data = yaml.safe_load(CORRECTED.read_text(encoding="utf-8"))
    for day in data["days"]:
        for activity in day["activities"]:
            if activity["id"] == "d1-lunch":
                activity["title"] = "Lunch in the garden"
    path = tmp_path / "renamed.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    renamed = compile_programme(load(path))
    after = events(export(renamed, published_timetable(renamed), "ics", previous=first))
    assert {i for i, e in after.items() if int(e["SEQUENCE"])} == {"d1-lunch"}


def test_dtstamp_is_the_export_time(
    corrected: tuple[Problem, Timetable], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    data = export(*corrected, "ics")
    after = dt.datetime.now(dt.UTC)
    stamps = {e.decoded("DTSTAMP") for e in events(data).values()}
    assert len(stamps) == 1 and before <= stamps.pop() <= after


def test_separate_processes_differ_only_in_dtstamp_without_an_epoch(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        out = tmp_path / f"run{seed}.ics"
        command = [sys.executable, "-m", "course_scheduler.cli", "export", str(CORRECTED)]
        command += ["--format", "ics", "--out", str(out)]
        began = time.monotonic()
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=120)
        time.sleep(max(0.0, 1.05 - (time.monotonic() - began)))
        outputs.append(out.read_bytes())
    first, second = (data.split(b"\r\n") for data in outputs)
    assert first != second
    assert [x for x in first if not x.startswith(b"DTSTAMP:")] == [
        x for x in second if not x.startswith(b"DTSTAMP:")
    ]


def test_the_command_follows_its_previous_calendar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "course.ics"
    command = ["export", str(CORRECTED), "--format", "ics", "--out", str(out)]
    assert main([*command, "--previous", str(out)]) == 0
    assert "no previous calendar" in capsys.readouterr().err
    first = out.read_bytes()
    data = yaml.safe_load(CORRECTED.read_text(encoding="utf-8"))
    for day in data["days"]:
        for activity in day["activities"]:
            if activity["id"] == "d5-lunch":
                activity["time"] = "13:45 - 15:15"
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", LATER)
    assert (
        main(["export", str(edited), "--format", "ics", "--out", str(out), "--previous", str(out)])
        == 0
    )
    after = events(out.read_bytes())
    assert {i for i, e in after.items() if int(e["SEQUENCE"])} == {"d5-lunch"}
    assert events(first)["d5-lunch"].decoded("DTSTART") != after["d5-lunch"].decoded("DTSTART")
    assert main([*command, "--format", "csv", "--previous", str(out)]) == 2  # ics only
    not_ics = tmp_path / "not.ics"
    not_ics.write_text("hello", encoding="utf-8")
    with pytest.raises(ProgrammeError, match="the previous calendar cannot be read"):
        export(*_compiled(), "ics", previous=not_ics.read_bytes())
    capsys.readouterr()
    assert main([*command, "--previous", str(CORRECTED)]) == 2  # a programme, not a calendar
    err = capsys.readouterr().err
    assert f"{CORRECTED}, line 1: --previous takes the calendar exported last time" in err
    assert "Traceback" not in err


def _compiled() -> tuple[Problem, Timetable]:
    problem = compile_programme(load(CORRECTED))
    return problem, published_timetable(problem)


# --- what an event says ----------------------------------------------------------------------


def test_status_transparency_description_and_url(
    corrected: tuple[Problem, Timetable], tmp_path: Path
) -> None:
    problem, timetable = corrected
    found = events(export(problem, timetable, "ics"))
    assert str(found["d3-guest-talk"]["STATUS"]) == "TENTATIVE"  # Khady Niang Sylla is tbc
    assert str(found["d3-qa"]["STATUS"]) == "TENTATIVE"  # the Q&A of her talk
    assert "To be confirmed: Khady Niang Sylla" in str(found["d3-guest-talk"]["DESCRIPTION"])
    assert "With: Khady Niang Sylla" in str(found["d3-qa"]["DESCRIPTION"])
    assert str(found["d1-guest-talk"]["STATUS"]) == "CONFIRMED"
    assert str(found["d3-free-afternoon"]["TRANSP"]) == "TRANSPARENT"
    assert {str(e["TRANSP"]) for i, e in found.items() if i != "d3-free-afternoon"} == {"OPAQUE"}
    visit = next(a for a in problem.programme.all_activities() if a.id == "d2-site-visit")
    assert visit.description is not None
    assert str(found["d2-site-visit"]["DESCRIPTION"]).startswith(
        " ".join(visit.description.split())[:40]
    )
    assert str(found["d1-coffee"]["DESCRIPTION"]) == "Coffee break"  # no text: its kind
    data = yaml.safe_load(CORRECTED.read_text(encoding="utf-8"))
    data["course"]["url"] = "https://example.org/diploma"
    for person in data["people"]:
        if person["id"] == "niang-sylla":
            person["status"] = "declined"
    path = tmp_path / "declined.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    declined = compile_programme(load(path))
    found = events(export(declined, published_timetable(declined), "ics"))
    assert str(found["d3-guest-talk"]["STATUS"]) == "CANCELLED"
    assert str(found["d1-welcome"]["URL"]) == "https://example.org/diploma"


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("noferini", ["d1-guest-talk", "d1-qa"]),
        ("Khady Niang Sylla", ["d3-guest-talk", "d3-qa"]),
        ("gao", ["d2-site-visit"]),
    ],
)
def test_a_persons_calendar_holds_what_they_take_part_in(
    corrected: tuple[Problem, Timetable], person: str, expected: list[str]
) -> None:
    assert sorted(events(export(*corrected, "ics", person=person))) == expected


def test_an_imported_conference_calendar_keeps_the_published_guids() -> None:
    from course_scheduler.importers import read_schedule

    from .real_schedules import real_file

    programme = read_schedule(real_file("cccamp2019")).programme
    problem = compile_programme(programme)
    found = events(export(problem, published_timetable(problem), "ics"))
    opening = found["event-10386"]
    assert str(opening["UID"]) == "a0a0fcfe-b7fb-46e3-84b6-97a5406016b4@course-scheduler"
    assert (
        str(opening["URL"]) == "https://fahrplan.events.ccc.de/camp/2019/Fahrplan/events/10386.html"
    )
    assert str(opening["CATEGORIES"].cats[0]) == "CCC"
    assert len({str(e["UID"]) for e in found.values()}) == len(found) == 79  # one per event
    (night,) = [e for e in found.values() if e["DTEND"].dt.date() > e["DTSTART"].dt.date()]
    assert night["DTEND"].dt - night["DTSTART"].dt > dt.timedelta(0)
    assert "Part 1 of" not in str(night.get("DESCRIPTION", ""))


def test_an_activity_that_depends_on_a_talk_is_in_the_speakers_calendar(tmp_path: Path) -> None:
    data = yaml.safe_load(CORRECTED.read_text(encoding="utf-8"))
    thursday = next(d for d in data["days"] if str(d["date"]) == "2024-11-21")
    talk = next(a for a in thursday["activities"] if "galceran" in a.get("people", []))
    thursday["activities"].append(
        {
            "id": "d4-discussion",
            "title": "Discussion of the talk",
            "time": "16:00 - 16:30",
            "kind": "qa",
            "depends_on": [talk["id"]],
        }
    )
    path = tmp_path / "discussion.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problem = compile_programme(load(path))
    found = events(export(problem, published_timetable(problem), "ics", person="galceran"))
    assert sorted(found) == sorted([talk["id"], "d4-discussion"])


# --- identities across editions ----------------------------------------------------------------


def _uids(problem: Problem, timetable: Timetable) -> dict[str, str]:
    return {ident: str(e["UID"]) for ident, e in events(export(problem, timetable, "ics")).items()}


def test_uids_survive_a_title_edit_and_differ_between_editions(
    corrected: tuple[Problem, Timetable],
) -> None:
    from course_scheduler.edition import next_edition

    problem, timetable = corrected
    uids = _uids(problem, timetable)
    retitled = load(CORRECTED)
    retitled.course.title = retitled.course.title.replace("Diploma", "Diplomma")
    again = compile_programme(retitled)
    assert _uids(again, published_timetable(again)) == uids  # one letter: still the same events
    template = next_edition(load(CORRECTED), dt.date(2025, 11, 17)).programme
    for activity in template.all_activities():
        activity.pinned, activity.dates = True, None  # as a solved 2025 file has them
    new = compile_programme(template)
    later = _uids(new, published_timetable(new))
    assert set(later) == set(uids)
    assert not set(later.values()) & set(uids.values())  # a calendar with both keeps both
    frab = export(new, published_timetable(new), "frab")
    old_frab = export(problem, timetable, "frab")
    guids = {line for line in frab.decode().split('"') if len(line) == 36 and line.count("-") == 4}
    old_guids = {
        line for line in old_frab.decode().split('"') if len(line) == 36 and line.count("-") == 4
    }
    assert guids and not guids & old_guids


def test_an_edition_named_in_the_file_decides_the_identities() -> None:
    from course_scheduler.edition import next_edition

    programme = load(CORRECTED)
    programme.course.edition = "metropolis-diploma-2024"
    problem = compile_programme(programme)
    named = _uids(problem, published_timetable(problem))
    from course_scheduler.edition import _move_dates

    moved_week = programme.model_copy(deep=True)
    _move_dates(moved_week, dt.timedelta(days=7))  # the whole course a week later
    moved_week = load_copy(moved_week)
    same = compile_programme(moved_week)
    assert _uids(same, published_timetable(same)) == named  # dates moved, same edition
    template = next_edition(programme, dt.date(2025, 11, 17))
    assert template.programme.course.edition == "metropolis-diploma-2025"
    assert any("metropolis-diploma-2025" in note for note in template.attention)


def load_copy(programme: Any) -> Any:
    from course_scheduler.errors import SourceMap
    from course_scheduler.loading import validate

    return validate(programme.model_dump(by_alias=True, mode="json"), SourceMap())


def test_an_activity_removed_since_the_previous_calendar_is_cancelled(
    corrected: tuple[Problem, Timetable], monkeypatch: pytest.MonkeyPatch
) -> None:
    from course_scheduler.whatif import RemoveActivity, Scenario, apply

    problem, timetable = corrected
    first = export(problem, timetable, "ics")
    scenario = Scenario(
        name="x", changes=[RemoveActivity(do="remove_activity", activity="d4-skills")]
    )
    without = compile_programme(apply(problem.programme, scenario).programme)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", LATER)
    second = export(without, published_timetable(without), "ics", previous=first)
    gone = events(second)["d4-skills"]
    assert str(gone["STATUS"]) == "CANCELLED"
    assert int(gone["SEQUENCE"]) == int(events(first)["d4-skills"]["SEQUENCE"]) + 1
    assert gone.decoded("DTSTAMP") == stamp(LATER)
    assert str(gone["UID"]) == str(events(first)["d4-skills"]["UID"])
    assert str(gone["SUMMARY"]) == str(events(first)["d4-skills"]["SUMMARY"])
    unchanged = {k: v for k, v in events(second).items() if k != "d4-skills"}
    assert all(int(e["SEQUENCE"]) == 0 for e in unchanged.values())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733097600")  # yet another week later
    third = export(without, published_timetable(without), "ics", previous=second)
    assert third == second  # already cancelled: nothing new to say
