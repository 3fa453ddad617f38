"""Exports speak the file's words and leave nothing out: items printed with no end stay "from
17:30", untimed items and deadlines are listed with their day in every format, who an item is
for is said, and nothing the file does not say ("Day 1", a module grid, "Afternoon visits")
is added. On the real programmes of examples/, against the files themselves."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from course_scheduler import compile_programme, load
from course_scheduler.exports import export
from course_scheduler.timetable import published_timetable

from .conftest import PUBLISHED, ROOT

E2M2 = ROOT / "examples" / "e2m2_2025" / "programme.yaml"
DITUM = ROOT / "examples" / "ditum_huittinen_2018" / "programme.yaml"
CSAMA = ROOT / "examples" / "csama_2023" / "programme.yaml"


def _export(path: object, fmt: str) -> bytes:
    problem = compile_programme(load(path))  # type: ignore[arg-type]
    return export(problem, published_timetable(problem), fmt)


def _ics(path: object) -> dict[str, object]:
    from icalendar import Calendar

    calendar = Calendar.from_ical(_export(path, "ics"))
    return {str(e["X-COURSE-SCHEDULER-ID"]): e for e in calendar.walk("VEVENT")}


def test_ics_open_ends_untimed_items_and_deadlines() -> None:
    events = _ics(E2M2)
    meet = events["sun18-meet"]
    assert "DTEND" not in meet  # no invented end
    assert meet.decoded("DTSTART").time() == dt.time(7, 0)  # type: ignore[attr-defined]
    assert "From 7:00, no end given" in str(meet["DESCRIPTION"])  # type: ignore[index]
    office = events["sun25-office-hours"]
    assert office.decoded("DTSTART") == dt.date(2025, 5, 25)  # type: ignore[attr-defined]
    assert office.decoded("DTEND") == dt.date(2025, 5, 26)  # type: ignore[attr-defined]
    assert str(office["TRANSP"]) == "TRANSPARENT"  # type: ignore[index]
    due = events["hw-question"]
    assert due.decoded("DTSTART").time() == dt.time(13, 0) and "DTEND" not in due  # type: ignore[attr-defined,operator]
    assert "Deadline" in str(due["CATEGORIES"].to_ical())  # type: ignore[index]


def test_csv_and_xlsx_keep_empty_what_the_file_leaves_out() -> None:
    rows = list(csv.DictReader(io.StringIO(_export(DITUM, "csv").decode("utf-8"))))
    by_id = {row["id"]: row for row in rows}
    assert (by_id["mon-opening"]["start"], by_id["mon-opening"]["end"]) == ("09:00", "")
    assert (by_id["mon-free"]["start"], by_id["mon-free"]["end"]) == ("", "")
    assert by_id["mon-coordinators"]["for"] == "for Coordinators"
    assert by_id["mon-our-school"]["for"] == ""  # "(optional)" is in its title already
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(_export(DITUM, "xlsx")))
    assert workbook.sheetnames[1] == "Sun 7 Oct"  # the file calls no day "Day 1"
    overview = [c for row in workbook["Overview"].iter_rows(values_only=True) for c in row]
    assert "Knowledge session" not in overview and "Day 1" not in overview


def test_html_has_no_module_grid_no_day_numbers_and_every_line() -> None:
    page = _export(E2M2, "html").decode("utf-8")
    assert "Day 1" not in page and "Knowledge Session" not in page
    assert "Afternoon visits" not in page and "<h2>Visits</h2>" in page
    assert "from 7:00" in page and "from 18:30" in page and "due 13:00" in page
    assert "Office hours in Antananarivo" in page and "Nothing scheduled" not in page
    reference = _export(PUBLISHED, "html").decode("utf-8")
    assert "Knowledge Session 1" in reference and "Afternoon visits" in reference


def test_markdown_and_the_parts_of_a_block() -> None:
    text = _export(CSAMA, "md").decode("utf-8")
    assert "| 17:00 - 17:30 | Flashlight talks |" in text
    assert "↳ Lab 5: Proteomics/metabolomics" in text
    assert "Installation help desk (optional)" in text
    assert "| from 17:00 | Closing remarks |" in text


def test_frab_lists_untimed_items_and_deadlines_as_events_of_no_length() -> None:
    data = json.loads(_export(E2M2, "frab"))
    events = {
        e["title"]: e
        for day in data["schedule"]["conference"]["days"]
        for room in day["rooms"].values()
        for e in room
    }
    office = events["Office hours in Antananarivo"]
    assert (office["duration"], office["subtitle"]) == ("00:00", "No time given")
    due = events["Homework: Write your own research question"]
    assert (due["start"], due["duration"], due["track"]) == ("13:00", "00:00", "Deadline")
    farewell = events["Final Farewell Dinner"]
    assert "From 18:30; no end given" in farewell["description"]


@pytest.mark.parametrize("path", [E2M2, DITUM, CSAMA])
def test_frab_exports_of_the_real_programmes_are_valid(path: object) -> None:
    """By the c3voc JSON Schema and XML Schema, untimed items and deadlines included."""
    from .test_frab_round_trip import json_validator, xsd

    errors = [e.message for e in json_validator().iter_errors(json.loads(_export(path, "frab")))]
    assert errors == []
    xsd().validate(_export(path, "frab-xml"))


def test_online_sessions_and_speakers_are_shown_as_online() -> None:
    from tests.strategies import compile_data, date

    problem = compile_data(
        {
            "venues": [{"id": "hall", "name": "Hall", "address": "Kungsgatan 1"}],
            "people": [
                {"id": "gm", "name": "Giuliano Mingardo", "online": True},
                {"id": "ab", "name": "Anna Berg"},
            ],
            "days": [
                {
                    "date": date(0),
                    "venue": "hall",
                    "window": "9:00 - 17:00",
                    "activities": [
                        {
                            "id": "talk",
                            "title": "Keynote",
                            "time": "9:00 - 10:00",
                            "people": ["gm", "ab"],
                        },
                        {"id": "web", "title": "Webinar", "time": "10:00 - 11:00", "online": True},
                    ],
                }
            ],
        }
    )
    timetable = published_timetable(problem)
    text = export(problem, timetable, "md").decode("utf-8")
    assert "| 9:00 - 10:00 | Keynote | Hall | Giuliano Mingardo (online), Anna Berg |" in text
    assert "| 10:00 - 11:00 | Webinar | online |" in text
    from icalendar import Calendar

    events = {
        str(e["X-COURSE-SCHEDULER-ID"]): e
        for e in Calendar.from_ical(export(problem, timetable, "ics")).walk("VEVENT")
    }
    assert str(events["web"]["LOCATION"]) == "Online"
    assert str(events["talk"]["LOCATION"]).startswith("Hall")
    assert "With: Giuliano Mingardo (online); Anna Berg" in str(events["talk"]["DESCRIPTION"])
