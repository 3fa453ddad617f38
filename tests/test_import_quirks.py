"""Every quirk of published schedules gets a documented reading or a one-line error, never a
traceback: small frab XML and JSON files written here, one quirk each."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from course_scheduler.checking import check
from course_scheduler.cli import main
from course_scheduler.errors import ProgrammeError
from course_scheduler.importers import read_schedule
from course_scheduler.loading import load, loads
from tests.real_schedules import real_file


def event_xml(
    ident: int,
    start: str = "10:00",
    duration: str = "00:30",
    *,
    date: str | None = "2024-12-27T{start}:00+01:00",
    room: str = "Saal 1",
    persons: str = '<person id="1">Ada Lovelace</person>',
    title: str | None = None,
    extra: str = "",
) -> str:
    when = "" if date is None else f"<date>{date.format(start=start)}</date>"
    return (
        f'<event id="{ident}" guid="00000000-0000-4000-8000-{ident:012d}">{when}'
        f"<start>{start}</start><duration>{duration}</duration><room>{room}</room>"
        f"<title>{title or f'Talk {ident}'}</title><subtitle/><track>Science</track>"
        f"<type>Talk</type><abstract>About {ident}</abstract><description/>"
        f"<persons>{persons}</persons>{extra}</event>"
    )


def schedule_xml(
    *rooms: tuple[str, list[str]],
    version: str | None = "1.0",
    zone: str | None = "Europe/Berlin",
    day: str = 'date="2024-12-27" start="2024-12-27T09:00:00+01:00" end="2024-12-28T04:00:00+01:00"',
) -> str:
    head = "" if version is None else f"<version>{version}</version>"
    tz = "" if zone is None else f"<time_zone_name>{zone}</time_zone_name>"
    newline = "\n"
    body = "".join(
        f'{newline}<room name="{name}">{newline}{newline.join(events)}</room>'
        for name, events in rooms
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<schedule>{head}<conference>'
        f"<acronym>test</acronym><title>Test Con</title>{tz}</conference>"
        f'<day index="1" {day}>{body}</day></schedule>\n'
    )


def write(tmp_path: Path, text: str, name: str = "schedule.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def messages(path: Path, **options: Any) -> list[str]:
    return [n.message for n in read_schedule(path, **options).notes]


# --- readings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "expected"),
    [(None, "the file has no <version>"), ("", "the file's <version> is empty")],
)
def test_a_missing_or_empty_version_is_noted(
    tmp_path: Path, version: str | None, expected: str
) -> None:
    path = write(tmp_path, schedule_xml(("Saal 1", [event_xml(1)]), version=version))
    assert any(expected in m for m in messages(path))


def test_a_json_file_without_a_version_is_told_in_its_own_words(tmp_path: Path) -> None:
    """frab JSON writes ``"version"``, not ``<version>``."""
    data = json.loads(real_file("cccamp2019").read_text(encoding="utf-8"))
    del data["schedule"]["version"]
    path = write(tmp_path, json.dumps(data), "schedule.json")
    assert 'the file has no "version"; exports write one of their own' in messages(path)


def test_a_zero_length_event_is_left_out_and_named(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        schedule_xml(("Saal 1", [event_xml(1), event_xml(2, "11:00", "00:00", title="Doors")])),
    )
    result = read_schedule(path)
    assert [a.title for a in result.programme.all_activities()] == ["Talk 1"]
    assert result.skipped == ["Doors (schedule.day[0].room[0].event[1])"]
    assert any("'Doors' lasts 00:00" in m and "left out" in m for m in messages(path))
    assert "Not imported (zero length): Doors" in (result.programme.course.note or "")
    line = next(n.line for n in result.notes if "Doors" in n.message)
    assert line == line_of(path, "<title>Doors")  # the line of its <duration>


def test_a_room_that_holds_nothing_is_kept_and_noted(tmp_path: Path) -> None:
    path = write(tmp_path, schedule_xml(("Saal 1", [event_xml(1)]), ("Empty Hall", [])))
    programme = read_schedule(path).programme
    assert [r.name for r in programme.venues[0].rooms] == ["Saal 1", "Empty Hall"]
    assert any("1 room holds no event (Empty Hall)" in m for m in messages(path))


def test_two_events_in_one_room_at_once_are_imported_and_check_reports_them(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        schedule_xml(
            ("Saal 1", [event_xml(1, persons=""), event_xml(2, "10:15", persons="")]),
        ),
    )
    report = check(read_schedule(path).programme)
    assert [(f.rule, f.activities) for f in report.findings] == [
        ("one-event-per-room", ("event-2", "event-1"))
    ]
    assert "for room saal-1 by 15 minutes" in report.findings[0].message


def test_persons_without_ids_are_one_person_per_name(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        schedule_xml(
            (
                "Saal 1",
                [
                    event_xml(1, persons="<person>Grace  Hopper</person>"),
                    event_xml(2, "11:00", persons="<person>grace hopper</person>"),
                    event_xml(3, "12:00", persons='<person id="7">Grace Hopper</person>'),
                ],
            ),
        ),
    )
    programme = read_schedule(path).programme
    people = {p.id: p for p in programme.people}
    assert sorted(people) == ["grace-hopper", "grace-hopper-2"]
    by_event = {a.id: a.people for a in programme.all_activities()}
    assert by_event["event-1"] == by_event["event-2"] == ["grace-hopper"]
    assert by_event["event-3"] == ["grace-hopper-2"]
    assert people["grace-hopper-2"].published is not None
    assert people["grace-hopper-2"].published.id == "7"
    assert people["grace-hopper"].published is None


def test_an_event_past_midnight_is_split_and_one_on_the_next_date_keeps_it(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        schedule_xml(
            ("Saal 1", [event_xml(1, "23:30", "01:00"), event_xml(2, "01:30", "00:30")]),
        ),
    )
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "2024-12-27T01:30:00+01:00", "2024-12-28T01:30:00+01:00"
        ),
        encoding="utf-8",
    )
    programme = read_schedule(path).programme
    days = {d.date.isoformat(): [(a.id, str(a.time)) for a in d.activities] for d in programme.days}
    assert days == {
        "2024-12-27": [("event-1", "23:30 - 24:00")],
        "2024-12-28": [("event-1.2", "0:00 - 0:30"), ("event-2", "1:30 - 2:00")],
    }
    assert [str(d.window) for d in programme.days] == ["9:00 - 24:00", "0:00 - 4:00"]
    assert check(programme).ok


def test_a_start_without_a_date_after_midnight_belongs_to_the_next_date(tmp_path: Path) -> None:
    path = write(tmp_path, schedule_xml(("Saal 1", [event_xml(1, "02:00", date=None)])))
    programme = read_schedule(path).programme
    assert [
        (d.date.isoformat(), str(d.activities[0].time)) for d in programme.days if d.activities
    ] == [("2024-12-28", "2:00 - 2:30")]


def test_dates_without_an_offset_or_disagreeing_with_start_are_read_and_noted(
    tmp_path: Path,
) -> None:
    naive = event_xml(1, date="2024-12-27T{start}:00")
    wrong = event_xml(2, "11:00", date="2024-12-27T12:00:00+01:00")
    path = write(tmp_path, schedule_xml(("Saal 1", [naive, wrong])))
    programme = read_schedule(path).programme
    assert [str(a.time) for a in programme.all_activities()] == ["10:00 - 10:30", "12:00 - 12:30"]
    notes = messages(path)
    assert any("1 dates carry no UTC offset; read in Europe/Berlin" in m for m in notes)
    assert any("is 12:00 in Europe/Berlin but its start says 11:00" in m for m in notes)


def test_an_event_listed_under_one_room_but_naming_another_stays_where_listed(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, schedule_xml(("Saal 1", [event_xml(1, room="Saal 2")])))
    programme = read_schedule(path).programme
    assert [r.name for r in programme.venues[0].rooms] == ["Saal 1"]
    assert any("listed under room 'Saal 1' but names room 'Saal 2'" in m for m in messages(path))


def test_duplicate_event_ids_are_told_apart(tmp_path: Path) -> None:
    twice = event_xml(5).replace("000000000005", "000000000099")
    path = write(
        tmp_path, schedule_xml(("Saal 1", [event_xml(5), twice.replace("10:00", "12:00")]))
    )
    ids = [a.id for a in read_schedule(path).programme.all_activities()]
    assert ids == ["event-5", "event-5-2"]
    assert any("another event has the id '5'" in m for m in messages(path))


def test_no_time_zone_and_a_single_offset_is_read_at_that_offset(tmp_path: Path) -> None:
    path = write(tmp_path, schedule_xml(("Saal 1", [event_xml(1)]), zone=None))
    assert read_schedule(path).programme.course.timezone == "Etc/GMT-1"
    assert read_schedule(path, timezone="Europe/Lisbon").programme.all_activities()[0].time
    lisbon = read_schedule(path, timezone="Europe/Lisbon").programme
    assert str(lisbon.all_activities()[0].time) == "9:00 - 9:30"


def test_control_characters_are_shown_not_kept(tmp_path: Path) -> None:
    path = tmp_path / "schedule.json"
    document = {
        "schedule": {
            "version": "1",
            "conference": {
                "acronym": "test",
                "title": "Test Con",
                "time_zone_name": "Europe/Berlin",
                "days": [
                    {
                        "index": 1,
                        "date": "2024-12-27",
                        "day_start": "2024-12-27T09:00:00+01:00",
                        "day_end": "2024-12-27T18:00:00+01:00",
                        "rooms": {
                            "Saal 1": [
                                {
                                    "guid": "00000000-0000-4000-8000-000000000001",
                                    "id": 1,
                                    "date": "2024-12-27T10:00:00+01:00",
                                    "start": "10:00",
                                    "duration": "0:45",
                                    "room": "Saal 1",
                                    "title": "Bell\u0007 ringing\r\nat\u007ften",
                                    "persons": [{"id": 3, "public_name": "Ada"}],
                                }
                            ]
                        },
                    }
                ],
            },
        }
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    result = read_schedule(path)  # as the XML reader does (a programme file refuses them)
    assert result.programme.all_activities()[0].title == "Bell\ufffd ringing\nat\ufffdten"
    assert any("1 text held control characters" in n.message for n in result.notes)


# --- errors: one line, with the file, the line and the field ---------------------------------


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("<schedule><conference>", r"schedule.xml:1: XML syntax error: no element found"),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE s [<!ENTITY a "aaaa">]>\n<schedule/>',
            r"schedule.xml:2: a document type declaration or entity is not allowed",
        ),
        ("<html/>", r"schedule.xml:1: this is not a frab schedule; it looks like an HTML page"),
        (
            "<schedule><version/><day/><day/></schedule>",
            r"schedule.xml:1: this is not a frab schedule; it looks like a schedule XML of another "
            r"shape: <schedule> holding 2 <day>, 1 <version>, where frab has <conference>",
        ),
        (
            '{"slots": [], "breaks": []}',
            r"schedule.xml:1: this is not a frab schedule; it looks like JSON \(give --from "
            r"frab-json, or --from pretalx-api",
        ),
    ],
)
def test_unreadable_xml_is_one_line_with_the_line(tmp_path: Path, text: str, pattern: str) -> None:
    with pytest.raises(ProgrammeError, match=pattern):
        read_schedule(write(tmp_path, text))


def test_a_bad_duration_leaves_its_event_out_or_strict_refuses_naming_line_and_field(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path, schedule_xml(("Saal 1", [event_xml(1), event_xml(2, duration="half an hour")]))
    )
    result = read_schedule(path)
    assert [a.title for a in result.programme.all_activities()] == ["Talk 1"]
    (note,) = [n for n in result.notes if n.level == "warning"]
    assert note.line == line_of(path, "half an hour")
    assert note.message == (
        "'Talk 2' is left out: duration 'half an hour' is not hours and minutes like 01:30 "
        "(field 'schedule.day[0].room[0].event[1].duration') (--strict refuses the file)"
    )
    assert result.skipped == ["Talk 2 (schedule.day[0].room[0].event[1])"]
    with pytest.raises(ProgrammeError) as caught:
        read_schedule(path, strict=True)
    assert str(caught.value) == (
        f"{path}:{line_of(path, 'half an hour')}: duration 'half an hour' is not hours and minutes like 01:30 "
        "(field 'schedule.day[0].room[0].event[1].duration')"
    )


def test_a_bad_date_and_an_unknown_zone_name_their_fields(tmp_path: Path) -> None:
    path = write(tmp_path, schedule_xml(("Saal 1", [event_xml(1, date="yesterday")])))
    with pytest.raises(ProgrammeError, match=r"'yesterday' is not an ISO date-time.*\.date'\)"):
        read_schedule(path, strict=True)
    with pytest.raises(ProgrammeError, match=r"no event that can be imported \(1 in the file\)"):
        read_schedule(path)  # the only event left out: nothing to import
    path = write(tmp_path, schedule_xml(("Saal 1", [event_xml(1)]), zone="Mars/Olympus"))
    with pytest.raises(
        ProgrammeError, match=r"unknown time zone 'Mars/Olympus' \(time_zone_name\)"
    ):
        read_schedule(path)
    with pytest.raises(ProgrammeError, match=r"unknown time zone 'Nowhere' \(--timezone\)"):
        read_schedule(write(tmp_path, schedule_xml(("Saal 1", [event_xml(1)]))), timezone="Nowhere")


def test_no_time_zone_and_several_offsets_asks_for_one(tmp_path: Path) -> None:
    summer = event_xml(2, date="2024-07-01T{start}:00+02:00")
    path = write(tmp_path, schedule_xml(("Saal 1", [event_xml(1), summer]), zone=None))
    with pytest.raises(ProgrammeError, match="give --timezone"):
        read_schedule(path)


@pytest.mark.parametrize(
    ("document", "pattern"),
    [
        ([], r"schedule.json:1: this is not a frab schedule; it looks like a JSON list of 0 items"),
        (
            {"conference": {}},
            r"it looks like a frab schedule's conference without the \{'schedule': ...\} around",
        ),
        (
            {"schedule": {"version": "1"}},
            r"the schedule has no 'conference': this is not a frab schedule, it looks like a JSON "
            r"object of another shape \(its keys: 'version'\)",
        ),
        (
            {"slots": [{"code": "ABC", "start": "2024-01-01T10:00:00Z"}], "breaks": []},
            r"it looks like a pretalx API schedule export \('slots' and 'breaks'\): import it "
            r"with --from pretalx-api",
        ),
        (
            [{"code": "ABC", "slot": None, "title": "x"}],
            r"it looks like a list of the pretalx API's talks or submissions: import it with "
            r"--from pretalx-api",
        ),
        ({"course": {"title": "x"}, "days": []}, r"it looks like a course_scheduler programme"),
        (
            {"schedule": {"conference": {"time_zone_name": "UTC", "days": {"x": 1}}}},
            r"expected a list, got an object \(field 'schedule.conference.days'\)",
        ),
        (
            {
                "schedule": {
                    "conference": {
                        "time_zone_name": "UTC",
                        "days": [{"rooms": {"A": [{"title": ["x"]}]}}],
                    }
                }
            },
            r"expected text or a number, got a list "
            r"\(field 'schedule.conference.days\[0\].rooms.A\[0\].title'\)",
        ),
        (
            {"schedule": {"conference": {"time_zone_name": "UTC", "days": []}}},
            r"the schedule holds no event that can be imported \(0 in the file\)",
        ),
    ],
)
def test_json_of_the_wrong_shape_is_one_line(tmp_path: Path, document: Any, pattern: str) -> None:
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    with pytest.raises(ProgrammeError, match=pattern):
        read_schedule(path, "frab-json", strict=True)


def test_the_command_prints_one_line_for_an_unusable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "<schedule>")
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}:1: XML syntax error") and err.count("\n") == 1
    assert "Traceback" not in err


def test_a_clash_rule_may_name_tracks(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        schedule_xml(
            ("Saal 1", [event_xml(1, persons="")]),
            ("Saal 2", [event_xml(2, "10:15", persons="", room="Saal 2")]),
        ),
    )
    out = tmp_path / "con.yaml"
    assert main(["import", str(path), "--out", str(out)]) == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    data["rules"].append({"id": "science-in-sequence", "kind": "clash", "tracks": ["Science"]})
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    report = check(loads(text, name="con.yaml"))
    assert [(f.rule, f.activities) for f in report.findings] == [
        ("science-in-sequence", ("event-2", "event-1"))
    ]
    data["rules"][-1]["tracks"] = ["Art"]
    with pytest.raises(
        ProgrammeError, match=r"con.yaml:\d+: unknown track 'Art'; known tracks: Science"
    ):
        loads(yaml.safe_dump(data, sort_keys=False), name="con.yaml")
    assert load(out).all_activities()[0].track == "Science"


def test_characters_a_programme_cannot_carry_are_shown_as_replacements(tmp_path: Path) -> None:
    path = write(tmp_path, schedule_xml(("Saal 1", [event_xml(1, title="Bell\x7f ringing")])))
    result = read_schedule(path)
    assert result.programme.all_activities()[0].title == "Bell\ufffd ringing"
    assert any("1 text held control characters" in n.message for n in result.notes)


def test_a_json_schedule_with_a_control_character_imports_and_shows_it_replaced(
    tmp_path: Path,
) -> None:
    """frab JSON as the XML: 36C3's wiki sessions hold a DEL in one description of 631, and
    the reader refused the whole file (a programme file still refuses one: exports cannot
    carry it)."""
    data = json.loads(real_file("cccamp2019").read_text(encoding="utf-8"))
    event = data["schedule"]["conference"]["days"][0]["rooms"]
    first = next(e for events in event.values() for e in events)
    first["title"] = "Bell\x7f ringing"
    path = write(tmp_path, json.dumps(data), "schedule.json")
    result = read_schedule(path)
    titles = [a.title for a in result.programme.all_activities()]
    assert "Bell\ufffd ringing" in titles
    assert any("1 text held control characters" in n.message for n in result.notes)
    with pytest.raises(ProgrammeError, match="control or invalid character U\\+007F"):
        loads(json.dumps({"course": {"title": "Bell\x7f"}}), name="p.json")


@pytest.mark.parametrize("fmt", ["frab-xml", "frab-json"])
def test_a_room_that_holds_nothing_survives_export_and_import(tmp_path: Path, fmt: str) -> None:
    from course_scheduler.compile import compile_programme
    from course_scheduler.exports import export
    from course_scheduler.timetable import published_timetable

    path = write(tmp_path, schedule_xml(("Saal 1", [event_xml(1)]), ("Empty Hall", [])))
    problem = compile_programme(read_schedule(path).programme)
    again = tmp_path / ("again.xml" if fmt == "frab-xml" else "again.json")
    again.write_bytes(export(problem, published_timetable(problem), fmt))
    rooms = [r.name for r in read_schedule(again).programme.venues[0].rooms]
    assert rooms == ["Saal 1", "Empty Hall"]


def test_a_z_that_only_repeats_each_start_is_a_label(tmp_path: Path) -> None:
    """Every date is its start with a 'Z' (LSWT 2019's site): in Europe/Berlin the starts are
    the times, not the instants, which would open the day at 11:00 and take a 22:00 event past
    midnight. A file in UTC whose starts are other clocks (DebConf 23) or a date at another
    offset stays an instant."""
    z = "2024-12-27T{start}:00Z"
    events = [event_xml(1, "09:00", date=z), event_xml(2, "22:00", "01:30", date=z)]
    path = write(tmp_path, schedule_xml(("Saal 1", events), zone=None))
    programme = read_schedule(path, timezone="Europe/Berlin").programme
    assert [str(a.time) for a in programme.all_activities()] == ["9:00 - 9:30", "22:00 - 23:30"]
    assert any("the 'Z' is read as a label" in m for m in messages(path, timezone="Europe/Berlin"))
    utc = event_xml(3, "10:00", date="2024-12-27T08:00:00Z")
    path = write(tmp_path, schedule_xml(("Saal 1", [event_xml(1, "09:00", date=z), utc])))
    times = {a.id: str(a.time) for a in read_schedule(path).programme.all_activities()}
    assert times == {"event-1": "10:00 - 10:30", "event-3": "9:00 - 9:30"}  # instants


def test_an_empty_person_is_no_one_and_a_list_of_names_is_one_person_each(
    tmp_path: Path,
) -> None:
    listed = "<person>Dr. Sebastian Tramp, Andreas Heinecke</person>"
    family_first = "<person>Peres, Martin</person>"
    events = [
        event_xml(1, persons="<person></person>"),
        event_xml(2, "11:00", persons=listed),
        event_xml(3, "12:00", persons=family_first),
    ]
    path = write(tmp_path, schedule_xml(("Saal 1", events)))
    programme = read_schedule(path).programme
    names = {p.id: p.name for p in programme.people}
    people = [sorted(names[p] for p in a.people) for a in programme.all_activities()]
    assert people == [[], ["Andreas Heinecke", "Dr. Sebastian Tramp"], ["Peres, Martin"]]
    notes = messages(path)
    assert "1 person entry names nobody (no name, no id); read as no one" in notes
    assert not any("Unnamed person" in m for m in notes)


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("31C3 Opening Event", "plenary"),  # 31C3's frab XML: a lecture by type
        ("31C3 Closing Event", "plenary"),
        ("38C3: Opening Ceremony", "plenary"),
        ("Opening Remarks", "plenary"),
        ("Opening pAMDora's box", "talk"),
        ("The opening eventually", "talk"),
    ],
)
def test_a_lecture_titled_as_an_opening_or_closing_is_a_plenary(title: str, kind: str) -> None:
    from course_scheduler.importers.kinds import kind_of

    assert kind_of("lecture", title) == kind


def test_days_that_end_the_next_morning_by_convention_open_at_their_start(
    tmp_path: Path,
) -> None:
    """FOSDEM 2025's frab days run from 9:00 to 8:59 the next morning, and nothing happens at
    night: Sunday opens at 9:00 (it was 0:00-24:00, and a solve put a talk at 0:00). A night
    that holds an event keeps its hours (CCCamp 2019: tests/test_frab_nights.py)."""

    def day(index: int, date: str, nxt: str, events: str) -> str:
        bounds = f'start="{date}T09:00:00+01:00" end="{nxt}T08:59:00+01:00"'
        return (
            f'<day index="{index}" date="{date}" {bounds}><room name="Janson">{events}</room></day>'
        )

    first = event_xml(1, date="2025-02-01T{start}:00+01:00", room="Janson")
    second = event_xml(2, date="2025-02-02T{start}:00+01:00", room="Janson")
    night = event_xml(3, "01:00", date="2025-02-02T{start}:00+01:00", room="Janson")
    for events, window in [
        ((first, second), "9:00 - 24:00"),
        ((first + night, second), "0:00 - 24:00"),
    ]:
        text = (
            '<?xml version="1.0"?>\n<schedule><version>1</version><conference><acronym>f</acronym>'
            "<title>F</title><time_zone_name>Europe/Brussels</time_zone_name></conference>"
            + day(1, "2025-02-01", "2025-02-02", events[0])
            + day(2, "2025-02-02", "2025-02-03", events[1])
            + "</schedule>\n"
        )
        programme = read_schedule(write(tmp_path, text)).programme
        assert [str(d.window) for d in programme.days] == ["9:00 - 24:00", window]


def test_events_side_by_side_inside_a_long_one_are_not_its_parts(tmp_path: Path) -> None:
    """36C3's self-organized sessions list a 13-hour "Learn To Solder" in the Hardware Hacking
    Area and workshops there that overlap one another: read as its parts, which follow one
    another, no timetable existed, for a solve or any what-if. Talks that follow one another
    inside a session stay its parts."""
    area = [
        event_xml(1, "10:00", "08:00", room="Area", title="Learn To Solder"),
        event_xml(2, "10:30", "01:30", room="Area", persons=""),
        event_xml(3, "11:00", "02:00", room="Area", persons=""),
    ]
    session = [
        event_xml(4, "14:00", "01:00", room="Saal 1", title="Lightning talks"),
        event_xml(5, "14:00", "00:30", room="Saal 1", persons=""),
        event_xml(6, "14:30", "00:30", room="Saal 1", persons=""),
    ]
    result = read_schedule(write(tmp_path, schedule_xml(("Area", area), ("Saal 1", session))))
    blocks = {a.id: a.block for a in result.programme.all_activities()}
    assert blocks == {
        "event-1": None,
        "event-2": None,
        "event-3": None,
        "event-4": None,
        "event-5": "event-4",
        "event-6": "event-4",
    }
    notes = [n.message for n in result.notes]
    assert any(m.startswith("2 events lie inside a longer event") for m in notes)
    assert any(
        "2 events lie inside a longer event in the same room but overlap" in m for m in notes
    )
