"""What a careful planner also catches in a file: a day label whose weekday or date is not the
day's ("Friday 1st March" on a Sunday), and a place away from the day's venue, where people
must find their way (a concert hall, a restaurant for dinner), with no address.

The day headings are those of published programmes, as printed (each source named): a check
that finds nothing on headings that are right, and finds the one slip a published timetable
has."""

from __future__ import annotations

import datetime as dt

import pytest

from course_scheduler import check, loads

# ECER 2020 Glasgow, "ECER Timetable" (eera-ecer.de/previous-ecers/ecer-2020-glasgow/programme/
# ecer-timetable): five day headings, the fourth printed "Thursday 27 Sept" in August.
ECER_2020 = [
    ("2020-08-24", "Monday 24 Aug"),
    ("2020-08-25", "Tuesday 25 Aug"),
    ("2020-08-26", "Wednesday 26 Aug"),
    ("2020-08-27", "Thursday 27 Sept"),
    ("2020-08-28", "Friday 28 Aug"),
]
RIGHT = {
    # ECER 2012 Cadiz, Emerging Researchers' Conference timetable (eera-ecer.de)
    "ecer-2012": [("2012-09-17", "Monday 17 September"), ("2012-09-18", "Tuesday 18 September")],
    # MSMF10 programme (msmf.fme.vutbr.cz/msmf10/program), 2022
    "msmf-2022": [("2022-09-12", "Monday, 12 September"), ("2022-09-13", "Tuesday, 13 September")],
    # CERN School of Computing 2024, important dates (indico.cern.ch/event/1376644)
    "csc-2024": [
        ("2024-09-08", "Sunday 8 September (afternoon/evening)"),
        ("2024-09-21", "Saturday 21 September (morning)"),
    ],
    # the reference programme's own labels
    "barcelona": [("2024-11-18", "Day 1"), ("2024-11-19", "Day 2 (may change)")],
}


def programme(days: list[tuple[str, str]], *, extra: str = "") -> str:
    rows = []
    for date, label in days:
        rows.append(
            f'  - date: {date}\n    label: "{label}"\n    venue: hall\n'
            f'    window: "8:00 - 20:00"\n    activities:\n'
            f'      - {{id: s-{date}, time: "9:00 - 10:30", title: Session, kind: talk}}\n'
        )
    return (
        "course: {title: Headings}\nvenues:\n  - {id: hall, name: Hall, address: 1 Main St}\n"
        + extra
        + "days:\n"
        + "".join(rows)
    )


def weekday_findings(text: str) -> list[str]:
    return [f.message for f in check(loads(text, name="p.yaml")).findings if f.rule == "weekday"]


def test_the_published_slip_in_a_day_heading_is_found_and_nothing_else() -> None:
    text = programme(ECER_2020)
    report = check(loads(text, name="ecer.yaml"))
    found = [f for f in report.findings if f.rule == "weekday"]
    assert [f.message for f in found] == [
        "the day labelled 'Thursday 27 Sept' is Thursday 27 August 2020, but its label says "
        "27 September"
    ]
    assert found[0].level.value == "warning" and found[0].date == dt.date(2020, 8, 27)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "Thursday 27 Sept" in t)
    assert found[0].line == line


@pytest.mark.parametrize("source", sorted(RIGHT))
def test_headings_that_are_right_give_nothing(source: str) -> None:
    assert weekday_findings(programme(RIGHT[source])) == []


def test_a_weekday_that_is_not_the_dates_is_found_in_one_finding() -> None:
    # 1 March 2024 is a Friday; the file puts the heading on Sunday 3 March
    assert weekday_findings(programme([("2024-03-03", "Friday 1st March")])) == [
        "the day labelled 'Friday 1st March' is Sunday 3 March 2024, but its label says a "
        "Friday and 1 March"
    ]
    assert weekday_findings(programme([("2024-03-01", "Friday 1st March")])) == []
    # a label carried into another edition: the weekday holds, the date does not
    assert weekday_findings(programme([("2025-11-17", "Lunes 18 de noviembre")])) == [
        "the day labelled 'Lunes 18 de noviembre' is Monday 17 November 2025, but its label "
        "says 18 November"
    ]


EVENING = """
course: {title: An evening out}
venues:
  - {id: hall, name: Hall}
  - {id: auditorium, name: City concert hall}
  - {id: bistro, name: Bistro Central}
  - {id: tavern, name: The Old Tavern, address: 3 Harbour Road}
days:
  - date: 2025-03-03
    venue: hall
    window: "8:00 - 23:00"
    activities:
      - {id: talk, time: "9:00 - 10:00", title: Morning talk, kind: talk}
      - {id: lunch, time: "12:00 - 13:00", title: Lunch, kind: lunch}
      - {id: concert, time: "19:00 - 20:30", title: Concert, kind: networking, venue: auditorium}
      - {id: dinner, time: "21:00 - 22:30", title: Dinner, kind: dinner, venue: bistro}
  - date: 2025-03-04
    venue: hall
    window: "8:00 - 23:00"
    activities:
      - {id: dinner-2, time: "20:00 - 22:00", title: Dinner, kind: dinner, venue: tavern}
"""


def test_an_evening_venue_with_no_address_is_noted_the_days_own_place_is_not() -> None:
    found = [f for f in check(loads(EVENING, name="e.yaml")).findings if f.rule == "no-address"]
    assert [f.activities for f in found] == [("concert",), ("dinner",)]
    assert "is at City concert hall, which has no address" in found[0].message
    assert "is at Bistro Central, which has no address" in found[1].message
