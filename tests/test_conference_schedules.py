"""Conference schedules as they really are: who is who, files with bad parts, pretalx in and
out, and nights past midnight. Small schedules written here, one quirk each, a pretalx API
export and a trimmed real 39C3 schedule under tests/fixtures/conferences, and the real
schedules of ../shared/real_schedules (skipped with a reason where absent), each compared with
an independent reading of the file (``real_schedules``, ``pretalx_reader``)."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from course_scheduler.checking import check
from course_scheduler.cli import main
from course_scheduler.compile import compile_programme
from course_scheduler.exports import export
from course_scheduler.importers import Imported, read_schedule
from course_scheduler.model import Programme
from course_scheduler.timetable import published_timetable

from .pretalx_reader import requirements
from .real_schedules import FILES, nested, read_source, real_file
from .test_import_quirks import event_xml, line_of, schedule_xml, write

FIXTURES = Path(__file__).parent / "fixtures" / "conferences"
PRETALX_API = FIXTURES / "pretalx_api_pyconhk2025.json"
CCC39 = FIXTURES / "39c3_trimmed.xml"
FOSDEM = FIXTURES / "fosdem2020.xml"
SFSCON = FIXTURES / "sfscon2024.xml"
LSWT = FIXTURES / "lswt2019.xml"


def exported(programme: Programme, fmt: str) -> bytes:
    problem = compile_programme(programme)
    return export(problem, published_timetable(problem), fmt)


def persons_by_event(data: bytes) -> dict[str, list[str]]:
    """Each event's person names, by title, as a frab XML file lists them."""
    return {
        e.findtext("title") or "": sorted((p.text or "").strip() for p in e.iter("person"))
        for e in ET.fromstring(data).iter("event")
    }


# --- 1. people: an id and a name -------------------------------------------------------------


def test_placeholder_and_reused_ids_keep_every_events_own_names(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        schedule_xml(
            (
                "Saal 1",
                [
                    event_xml(1, persons='<person id="0">Ann Adams</person>'),
                    event_xml(2, "11:00", persons='<person id="5">Cid Cole</person>'),
                ],
            ),
            (
                "Saal 2",
                [
                    event_xml(3, persons='<person id="0">Bob Brown</person>'),
                    event_xml(4, "11:00", persons='<person id="5">Dee Dunn</person>'),
                    event_xml(5, "12:00", persons='<person id="5">cid  cole</person>'),
                ],
            ),
        ),
    )
    result = read_schedule(path)
    programme = result.programme
    assert sorted(p.name for p in programme.people) == [
        "Ann Adams",
        "Bob Brown",
        "Cid Cole",
        "Dee Dunn",
    ]
    source = persons_by_event(path.read_bytes())
    names = {p.id: p.name for p in programme.people}
    for activity in programme.all_activities():
        assert sorted(names[x].casefold() for x in activity.people) == [
            " ".join(n.split()).casefold() for n in source[activity.title]
        ]
    # placeholder 0 identifies nobody: Ann and Bob at 10:00 in two rooms is no clash
    assert check(programme).counts()["error"] == 0
    messages = [n.message for n in result.notes]
    assert "2 persons carry an id that identifies nobody ('0'); they are told apart by name" in (
        messages
    )
    (reused,) = [m for m in messages if "is given to" in m]
    assert reused == (
        "person id '5' is given to 2 names (Cid Cole; Dee Dunn); read as 2 people, each event "
        "keeps its own names"
    )
    assert (
        persons_by_event(exported(programme, "frab-xml"))
        == {t: sorted(" ".join(n.split()) for n in v) for t, v in source.items()}
        | {"Talk 5": ["Cid Cole"]}  # the same person, written as first named
    )
    placeholder = next(p for p in programme.people if p.name == "Ann Adams")
    assert placeholder.published is None  # "0" is not kept as an identity


def test_one_name_under_two_ids_in_two_places_is_a_warning(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        schedule_xml(
            ("Saal 1", [event_xml(1, persons='<person id="7">Jane Roe</person>')]),
            ("Saal 2", [event_xml(2, "10:15", persons='<person id="8">Jane Roe</person>')]),
            ("Saal 3", [event_xml(3, "14:00", persons='<person id="9">Jim Poe</person>')]),
            ("Saal 4", [event_xml(4, "16:00", persons='<person id="10">Jim Poe</person>')]),
        ),
    )
    result = read_schedule(path)
    assert len(result.programme.people) == 4
    (warning,) = [n for n in result.notes if n.level == "warning"]
    assert warning.line == line_of(path, 'id="8"')
    assert warning.message.startswith(
        "'Jane Roe' appears under different ids (7, 8) in events at the same time ('Talk 1' "
    )
    assert not any("Jim Poe" in n.message for n in result.notes)  # never at once: no warning


# --- 2. lenient import -----------------------------------------------------------------------


def test_an_empty_duration_leaves_out_one_event_and_strict_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path, schedule_xml(("Saal 1", [event_xml(1), event_xml(2, "11:00", duration="")]))
    )
    out = tmp_path / "programme.yaml"
    assert main(["import", str(path), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    line = line_of(path, "<duration></duration>")
    assert (
        f"warning: {path}:{line}: 'Talk 2' is left out: duration '' is not hours and minutes "
        "like 01:30 (field 'schedule.day[0].room[0].event[1].duration')" in err
    )
    assert "(0 split at midnight, 1 left out)" in err and out.exists()
    assert main(["import", str(path), "--strict", "--out", str(tmp_path / "strict.yaml")]) == 2
    assert f"error: {path}:{line}: duration '' is not hours" in capsys.readouterr().err
    assert not (tmp_path / "strict.yaml").exists()


def test_speakers_outside_persons_are_read_and_noted(tmp_path: Path) -> None:
    stray = event_xml(2, "11:00", persons="").replace(
        "<persons></persons>", '<person id="3">Eve Ebb</person><speaker>Fay Fox</speaker>'
    )
    path = write(tmp_path, schedule_xml(("Saal 1", [event_xml(1), stray])))
    result = read_schedule(path)
    talk = next(a for a in result.programme.all_activities() if a.title == "Talk 2")
    names = {p.id: p.name for p in result.programme.people}
    assert sorted(names[x] for x in talk.people) == ["Eve Ebb", "Fay Fox"]
    assert any(n.message.startswith("1 events list their speakers outside") for n in result.notes)
    document = {
        "schedule": {
            "version": "1",
            "conference": {
                "title": "JSON Con",
                "time_zone_name": "UTC",
                "days": [
                    {
                        "date": "2024-05-01",
                        "rooms": {
                            "A": [
                                {
                                    "guid": "00000000-0000-4000-8000-000000000001",
                                    "title": "Talk",
                                    "date": "2024-05-01T10:00:00+00:00",
                                    "duration": "00:30",
                                    "speakers": [{"name": "Gil Gray"}, "Hal Hay"],
                                },
                                {"title": ["not", "text"], "duration": "00:30"},
                            ]
                        },
                    }
                ],
            },
        }
    }
    json_path = tmp_path / "schedule.json"
    json_path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    result = read_schedule(json_path)
    assert sorted(p.name for p in result.programme.people) == ["Gil Gray", "Hal Hay"]
    (left,) = [n for n in result.notes if n.level == "warning"]
    assert "is left out: expected text or a number, got a list" in left.message
    assert left.line == line_of(json_path, '"title": [')


# --- 3. pretalx in and out -------------------------------------------------------------------


def test_a_pretalx_api_export_imports_with_rooms_capacities_types_and_speakers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = json.loads(PRETALX_API.read_text(encoding="utf-8"))
    result = read_schedule(PRETALX_API)  # recognised by its shape
    programme = result.programme
    assert programme.course.title == "PyCon Hong Kong 2025"
    assert programme.course.timezone == "Asia/Hong_Kong"
    rooms = {r.name: r for v in programme.venues for r in v.rooms}
    for room in source["rooms"]:
        assert rooms[room["name"]["en"]].capacity == room["capacity"]
    speakers = {s["code"]: s["name"] for s in source["speakers"]}
    types = {t["id"]: t["name"]["en"] for t in source["submission_types"]}
    names = {p.id: p.name for p in programme.people}
    activities = {a.published.id: a for a in programme.all_activities() if a.published}
    scheduled = [t for t in source["talks"] if t["slot"]]
    assert len(activities) == len(scheduled) + len(source["breaks"])
    for talk in scheduled:
        activity = activities[talk["code"]]
        start = dt.datetime.fromisoformat(talk["slot"]["start"])
        end = dt.datetime.fromisoformat(talk["slot"]["end"])
        assert activity.title == talk["title"]
        assert activity.time is not None and activity.time.start == start.hour * 60 + start.minute
        assert activity.minutes * 60 == (end - start).total_seconds()
        room = next(r for r in source["rooms"] if r["id"] == talk["slot"]["room"])
        assert rooms[room["name"]["en"]].id == activity.room
        assert [names[x] for x in activity.people] == [speakers[c] for c in talk["speakers"]]
        assert activity.published is not None
        assert activity.published.type == types[talk["submission_type"]]
    kinds = {a.title: a.kind for a in programme.all_activities()}
    assert kinds["Lunch"] == "lunch" and kinds["Coffee break"] == "coffee_break"
    assert kinds["pip install community"] == "plenary"  # a keynote
    assert any("1 is withdrawn, rejected or cancelled" in n.message for n in result.notes)
    # the other shapes of the same data: a list of talks, a results page, the schedule
    bare = [
        {**t, "slot": t["slot"] and {**t["slot"], "room": _room_name(source, t)}}
        for t in source["talks"]
    ]
    for shape in (bare, {"results": bare}, {"slots": bare, "breaks": []}):
        path = tmp_path / "shape.json"
        path.write_text(json.dumps(shape), encoding="utf-8")
        again = read_schedule(path, "pretalx-api", timezone="Asia/Hong_Kong").programme
        assert len(again.all_activities()) == len(scheduled)
    out = tmp_path / "hk.yaml"
    assert main(["import", str(PRETALX_API), "--from", "pretalx-api", "--out", str(out)]) == 0
    assert "12 events as 12 activities" in capsys.readouterr().err


def test_pretalx_s_session_export_of_a_real_conference_imports_its_scheduled_talks() -> None:
    path = FIXTURES / "pretalx_sessions_pyconhk2025.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    result = read_schedule(path, timezone="Asia/Hong_Kong")  # the export names no zone
    activities = {a.published.id: a for a in result.programme.all_activities() if a.published}
    scheduled = [r for r in records if r["Proposal state"] == "confirmed"]
    assert sorted(activities) == sorted(r["ID"] for r in scheduled)
    names = {p.id: p.name for p in result.programme.people}
    rooms = {r.id: r.name for v in result.programme.venues for r in v.rooms}
    for record in scheduled:
        activity = activities[record["ID"]]
        start = dt.datetime.fromisoformat(record["Start"])
        assert activity.title == record["Proposal title"]
        assert activity.time is not None and activity.time.start == start.hour * 60 + start.minute
        assert activity.minutes == record["Duration"]
        assert rooms[activity.room or ""] == record["Room"]["en"]
        assert [names[x] for x in activity.people] == record["Speaker names"]
    assert any("4 are withdrawn, rejected or cancelled" in n.message for n in result.notes)


def _room_name(source: dict[str, Any], talk: dict[str, Any]) -> Any:
    return next(r["name"] for r in source["rooms"] if r["id"] == talk["slot"]["room"])


@functools.cache
def real_imported(name: str) -> Imported:
    return read_schedule(real_file(name))


def export_cases() -> list[str]:
    return [*FILES, "39c3", "fosdem2020", "sfscon2024", "lswt2019", "pretalx-api", "subtitle"]


def case_programme(case: str, tmp_path: Path) -> Programme:
    if case == "39c3":
        return read_schedule(CCC39).programme
    if case == "fosdem2020":  # Pentabarf's: no acronym, no time zone, no guids
        return read_schedule(FOSDEM, timezone="Europe/Brussels").programme
    if case == "sfscon2024":  # a site's own frab-like XML: no time zone, hex ids
        return read_schedule(SFSCON, timezone="Europe/Rome").programme
    if case == "lswt2019":  # a template's: dates with a 'Z' label, breaks under two rooms
        return read_schedule(LSWT, timezone="Europe/Berlin").programme
    if case == "pretalx-api":
        return read_schedule(PRETALX_API).programme
    if case == "subtitle":  # a subtitle beside an empty description, as real files have
        talk = event_xml(1).replace("<subtitle/>", "<subtitle>Part one</subtitle>")
        return read_schedule(write(tmp_path, schedule_xml(("Saal 1", [talk])))).programme
    return real_imported(case).programme


@pytest.mark.parametrize("case", export_cases())
def test_every_frab_xml_we_write_meets_what_pretalx_downstream_needs(
    case: str, tmp_path: Path
) -> None:
    data = exported(case_programme(case, tmp_path), "frab-xml")
    assert requirements(data) == []


def test_the_requirements_catch_what_failed_in_pretalx_downstream() -> None:
    """The fixture of the plugin's needs fails where the plugin failed: our earlier export of
    CCCamp 2019 wrote an empty <description/> beside a subtitle."""
    event = (
        '<event id="1" guid="x"><date>2019-08-21T10:00:00+02:00</date><start>10:00</start>'
        "<duration>00:30</duration><room>A</room><title>T</title><subtitle>S</subtitle>"
        "<track>x</track><type>talk</type><abstract/><description/></event>"
    )
    data = f'<schedule><version>1</version><day><room name="A">{event}</room></day></schedule>'
    assert requirements(data.encode()) == ["event 1 ('T'): a subtitle and an empty <description/>"]
    assert requirements(data.replace("<version>1</version>", "").encode())[0] == "no <version> text"


def pretalx_python() -> str:
    """A Python with pretalx and pretalx-downstream: ``PRETALX_PYTHON``, else this one."""
    given = os.environ.get("PRETALX_PYTHON")
    if given:
        return given
    try:
        import pretalx_downstream  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        pytest.skip(
            "pretalx-downstream is not installed (set PRETALX_PYTHON to a Python that has "
            "pretalx and pretalx-downstream, see tests/pretalx_reader.py)"
        )
    return sys.executable


def test_pretalx_downstream_itself_reads_every_frab_xml_export(tmp_path: Path) -> None:
    python = pretalx_python()
    paths = []
    for case in export_cases():
        try:
            programme = case_programme(case, tmp_path)
        except pytest.skip.Exception:
            continue
        path = tmp_path / f"{case}.xml"
        path.write_bytes(exported(programme, "frab-xml"))
        paths.append(path)
    run = subprocess.run(
        [python, str(Path(__file__).parent / "pretalx_reader.py"), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
        check=False,
    )
    verdicts = [line for line in run.stdout.splitlines() if line.startswith(("ok ", "FAIL "))]
    assert len(verdicts) == len(paths) and all(v.startswith("ok ") for v in verdicts), (
        run.stdout + run.stderr[-2000:]
    )


# --- 5. days and midnights -------------------------------------------------------------------


def frab_days(data: bytes) -> tuple[dict[str, str], list[tuple[dt.datetime, dt.datetime]]]:
    """Each event's <day> date by guid, and every day's window."""
    root = ET.fromstring(data)
    days = {}
    windows = []
    for day in root.iter("day"):
        windows.append(
            (
                dt.datetime.fromisoformat(day.get("start", "")),
                dt.datetime.fromisoformat(day.get("end", "")),
            )
        )
        for event in day.iter("event"):
            days[event.get("guid", "")] = day.get("date", "")
    return days, windows


@pytest.mark.parametrize("name", ["38c3", "cccamp2019", "39c3"])
def test_an_export_keeps_every_event_on_its_conference_day(name: str) -> None:
    path = CCC39 if name == "39c3" else real_file(name)
    programme = read_schedule(path).programme
    source, _ = frab_days(path.read_bytes()) if path.suffix == ".xml" else (_json_days(path), [])
    days, windows = frab_days(exported(programme, "frab-xml"))
    assert days == source
    assert len(windows) == len(set(source.values()))
    for (_, end), (start, _) in itertools.pairwise(windows):
        assert end <= start  # day windows never overlap
    json_days = {
        e["guid"]: day["date"]
        for day in json.loads(exported(programme, "frab-json"))["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for e in events
    }
    assert json_days == source


def _json_days(path: Path) -> dict[str, str]:
    conference = json.loads(path.read_text(encoding="utf-8"))["schedule"]["conference"]
    return {
        e["guid"]: day["date"]
        for day in conference["days"]
        for events in day["rooms"].values()
        for e in events
    }


@pytest.mark.parametrize("name", [*FILES, "39c3"])
def test_ics_has_one_event_per_event_even_past_midnight(name: str) -> None:
    from icalendar import Calendar

    path = CCC39 if name == "39c3" else real_file(name)
    programme = read_schedule(path).programme
    source = {e.guid: e for e in read_source(path).events}
    calendar = Calendar.from_ical(exported(programme, "ics"))
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len({str(e["UID"]) for e in events}) == len(source)
    for event in events:
        guid = str(event["UID"]).split("@")[0]
        assert event["DTSTART"].dt == source[guid].start
        assert event["DTEND"].dt == source[guid].end


def test_an_after_midnight_event_keeps_its_day_and_its_day_change(tmp_path: Path) -> None:
    day = 'date="2024-12-27" start="2024-12-27T10:00:00+01:00" end="2024-12-28T05:00:00+01:00"'
    path = write(
        tmp_path,
        schedule_xml(
            ("Saal 1", [event_xml(1, "23:30", "01:00"), event_xml(2, "01:30", "00:30", date=None)]),
            day=day,
        ).replace('"2024-12-27T{start}:00+01:00"', ""),
    )
    programme = read_schedule(path).programme
    assert programme.course.day_change == 5 * 60
    assert [d.date for d in programme.days] == [dt.date(2024, 12, 27), dt.date(2024, 12, 28)]
    days, windows = frab_days(exported(programme, "frab-xml"))
    assert set(days.values()) == {"2024-12-27"} and len(windows) == 1


# --- 1, 4: blocks ----------------------------------------------------------------------------


def test_events_inside_a_longer_one_are_its_parts(tmp_path: Path) -> None:
    block = event_xml(1, "14:00", "01:00", title="Lightning Talks")
    parts = [
        event_xml(k, f"14:{5 * k:02d}", "00:05", title=f"Lightning {k}", persons="") for k in (2, 3)
    ]
    lunch = event_xml(4, "12:00", "01:00", title="Lunch", persons="")
    inside_lunch = event_xml(5, "12:10", "00:30", title="Lunch talk", persons="")
    path = write(tmp_path, schedule_xml(("Saal 1", [block, *parts, lunch, inside_lunch])))
    result = read_schedule(path)
    blocks = {a.title: a.block for a in result.programme.all_activities()}
    assert blocks == {
        "Lightning Talks": None,
        "Lightning 2": "event-1",
        "Lightning 3": "event-1",
        "Lunch": None,
        "Lunch talk": None,  # a meal holds no session
    }
    assert [f.rule for f in check(result.programme).findings] == ["one-event-per-room"]
    # one reading: the encoding lets a block and its parts share the room, as check does
    from course_scheduler.solver.explain import explain_problem

    without_clash = result.programme.model_copy(deep=True)
    for day in without_clash.days:
        day.activities = [a for a in day.activities if a.title != "Lunch talk"]
    assert check(without_clash).counts()["error"] == 0
    assert explain_problem(compile_programme(without_clash), time_limit=5).feasible is True


def test_the_blocks_of_38c3_are_the_events_nested_in_the_file() -> None:
    programme = real_imported("38c3").programme
    guid = {a.id: a.published.guid for a in programme.all_activities() if a.published}
    found = {guid[a.id]: guid[a.block] for a in programme.all_activities() if a.block}
    assert found == nested(read_source(real_file("38c3"))) and len(found) == 1


# --- 4. repairs ------------------------------------------------------------------------------


def test_a_repair_the_fixed_keynote_blocks_says_how_to_let_it_move(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Georgi Ker can come only in the afternoon; the keynote is at 10:25, and a what-if
    keeps an imported plenary's time. The reasons name it as fixed, though the file does not
    pin it: the note says so and names the flag that lets it move, which finds the repair."""
    programme = tmp_path / "hk.yaml"
    assert main(["import", str(PRETALX_API), "--out", str(programme)]) == 0
    capsys.readouterr()
    only = ["--speaker-only", "Georgi Ker", "2025-10-11:14:00-18:00", "--time-limit", "20"]
    assert main(["what-if", str(programme), *only]) == 1
    out = capsys.readouterr().out
    assert (
        "'pip install community' keeps its time as an imported schedule's plenaries, meals "
        "and breaks do; '--move-fixed' (move_fixed: true) lets it move" in out
    )
    assert "'pip install community' is fixed at 10:25-10:55" in out
    assert main(["what-if", str(programme), *only, "--move-fixed"]) == 0
    assert "1 activity moves" in capsys.readouterr().out


def test_a_room_to_close_is_found_by_its_name_as_by_its_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A planner types the room as the programme prints it ("AW1.120" at FOSDEM was refused:
    its id is aw1.120); the repair is the one the ids give."""
    programme = tmp_path / "hk.yaml"
    assert main(["import", str(PRETALX_API), "--out", str(programme)]) == 0
    capsys.readouterr()
    answers = []
    for hall, instead in [
        ("main-track-morning-lt-18", "track-a-sessions-lt-15,track-b-lt-14"),
        ("Main Track (Morning) (LT-18)", "Track A (Sessions) (LT-15),track b (lt-14)"),
    ]:
        closing = ["--close-room", hall, "2025-10-11:15:00-16:00", "--instead", instead]
        assert main(["what-if", str(programme), *closing, "--time-limit", "20"]) == 0
        answers.append(capsys.readouterr().out.split("\n", 1)[1])
    assert answers[0] == answers[1] and "Track A (Sessions) (LT-15)" in answers[0]
    assert main(["what-if", str(programme), "--close-room", "Main Track", "2025-10-11"]) == 2
    assert "unknown room 'Main Track'; known rooms: Main Track (Morning)" in capsys.readouterr().err


def test_a_closed_hall_sends_its_events_only_to_rooms_of_its_kind_and_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PyCon HK's keynote hall closed all day: its keynote keeps its time (a plenary) and no
    other room seats its 300; the explanation names the closure. Closed only in the afternoon,
    its afternoon break moves to another room at its own time."""
    programme = tmp_path / "hk.yaml"
    assert main(["import", str(PRETALX_API), "--out", str(programme)]) == 0
    capsys.readouterr()
    hall = "main-track-morning-lt-18"
    others = "track-a-sessions-lt-15,track-b-lt-14,track-c-lt-16"
    args = ["what-if", str(programme), "--reach", "local", "--instead", others]
    assert main([*args, "--close-room", hall, "2025-10-11", "--time-limit", "20"]) == 1
    out = capsys.readouterr().out
    assert "'pip install community' may not use Track A (Sessions) (LT-15) (120 seats for" in out
    assert "  - Main Track (Morning) (LT-18) is closed on Sat 11 Oct 2025" in out
    repaired = tmp_path / "repaired.yaml"
    closing = [*args, "--close-room", hall, "2025-10-11:15:00-16:00", "--out", str(repaired)]
    assert main([*closing, "--time-limit", "20"]) == 0
    out = capsys.readouterr().out
    assert "closed on Sat 11 Oct 2025 15:00 - 16:00" in out
    from course_scheduler.loading import load

    after = {a.title: a for a in load(repaired).all_activities()}
    before = {a.title: a for a in read_schedule(PRETALX_API).programme.all_activities()}
    assert str(after["Coffee break"].time) == str(before["Coffee break"].time)  # fixed
    assert after["Coffee break"].room != hall
    assert after["What's new in pandas 3.0"].room == hall  # outside the closed hours
