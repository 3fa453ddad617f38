"""Printed times as real programmes write them: 24-hour and 12-hour clocks, ranges whose
half of the day is said once, starts with no end; and the slips a reader must not swallow."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_scheduler import ProgrammeError
from course_scheduler.clock import OpenStart, TimeRange, format_clock, parse_clock, parse_time
from course_scheduler.loading import loads
from course_scheduler.rules.base import day_label, when
from course_scheduler.timetable import Placement

from .conftest import ROOT

E2M2 = ROOT / "examples" / "e2m2_2025" / "programme.yaml"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("9:00 - 9:20", "9:00", "9:20"),
        ("17.00h - 18.30h", "17:00", "18:30"),
        ("08:30–09:15", "8:30", "9:15"),
        ("9:00am - 1:00pm", "9:00", "13:00"),
        ("9am-5pm", "9:00", "17:00"),
        ("9:00-1:00pm", "9:00", "13:00"),  # the start takes the other half: 9pm is after 1pm
        ("1:00-9:00pm", "13:00", "21:00"),  # the start takes the end's half
        ("9:00-12:00pm", "9:00", "12:00"),  # 12:00pm is noon
        ("12:15-1:45pm", "12:15", "13:45"),
        ("10:00pm-12:00am", "22:00", "24:00"),  # after an evening start, 12:00am is midnight
        ("11:00 p.m. - 12:00 a.m.", "23:00", "24:00"),
        ("12am-1am", "0:00", "1:00"),
    ],
)
def test_ranges_in_either_clock(text: str, start: str, end: str) -> None:
    time = parse_time(text)
    assert isinstance(time, TimeRange)
    assert (time.start, time.end) == (_minutes(start), _minutes(end))


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


@pytest.mark.parametrize(
    ("text", "start"),
    [("11:00 -", "11:00"), ("from 17:30", "17:30"), ("7:00am -", "7:00"), ("From 1pm", "13:00")],
)
def test_a_start_with_no_end_is_kept_open(text: str, start: str) -> None:
    time = parse_time(text)
    assert time == OpenStart(_minutes(start))
    assert str(time) == f"from {start}"
    with pytest.raises(ValueError, match="a window needs one"):
        TimeRange.parse(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("10:30-12:00am", "did you mean '10:30am - 12:00pm'?"),
        ("10:15-12:30am", "did you mean '10:15am - 12:30pm'?"),
        ("13:00pm - 2pm", "a 12-hour time has hours 1 to 12"),
        ("5pm-9am", "ends before it starts (5:00pm to 9:00am)"),
        ("17:30", "'17:30 -' or 'from 17:30' for an item with no printed end"),
        ("9:75 - 10:00", "minutes 75"),
    ],
)
def test_impossible_times_are_refused_with_what_was_meant(text: str, words: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_time(text)
    assert words in str(caught.value)


def test_single_clock_times() -> None:
    assert parse_clock("12:00am") == 0 and parse_clock("12pm") == 12 * 60
    assert parse_clock("1:30 pm") == 13 * 60 + 30 and parse_clock("24:00") == 24 * 60


def test_the_printed_slip_of_a_real_programme_is_refused_at_its_line() -> None:
    """E2M2 prints "10:30-12:00am" (noon is meant); the file writes it as meant, and the
    printed form is refused with its line, its field and the reading that was meant."""
    text = E2M2.read_text(encoding="utf-8")
    meant = 'time: "10:30am-12:00pm"'
    assert meant in text
    broken = text.replace(meant, 'time: "10:30-12:00am"')
    with pytest.raises(ProgrammeError) as caught:
        loads(broken, name="e2m2.yaml")
    error = caught.value
    assert error.line == next(
        i for i, line in enumerate(broken.splitlines(), 1) if 'time: "10:30-12:00am"' in line
    )
    assert error.field is not None and error.field.endswith("time")
    assert "did you mean '10:30am - 12:00pm'?" in str(error)


@given(st.dates(), st.integers(0, 24 * 60 - 1), st.integers(1, 24 * 60))
def test_a_placement_is_quoted_in_english_as_the_c_locale_dates_it(
    date: dt.date, start: int, end: int
) -> None:
    """``when`` and ``day_label`` name days and months from ``text`` (not ``strftime``, which
    was most of their time): the words Python's default locale gives."""
    placement = Placement(date=date, start=start, end=end, activity="a", venue=None, room=None)
    day = f"{date:%a} {date.day} {date:%b}"
    assert when(placement) == f"{day} {format_clock(start)}-{format_clock(end)}"
    assert day_label(date) == f"{day} {date.year}"
