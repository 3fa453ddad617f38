"""The hours between frab days that run past midnight stay closed.

A programme's days are calendar dates: a camp day of 9:00-4:00 leaves the small hours on the
next date, whose window must then run from 0:00 to 24:00. The import closes the hours between
the night and the next day in every room, and a repair or an export reads them so. Each test
reads the file's own days (``day_start``/``day_end``) with ``json``, not through the library.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from functools import cache
from pathlib import Path

from course_scheduler.api import export
from course_scheduler.importers import read_schedule
from course_scheduler.model import Programme
from course_scheduler.whatif import CloseRoom, Scenario, what_if
from tests.real_schedules import real_file


def frab_days(path: Path) -> list[tuple[dt.datetime, dt.datetime]]:
    """Each frab day's start and end, as the file states them."""
    days = json.loads(path.read_text(encoding="utf-8"))["schedule"]["conference"]["days"]
    return [
        (dt.datetime.fromisoformat(d["day_start"]), dt.datetime.fromisoformat(d["day_end"]))
        for d in days
    ]


@cache
def camp() -> Programme:
    return read_schedule(real_file("cccamp2019")).programme


def test_every_room_is_closed_between_one_camp_day_and_the_next() -> None:
    days = frab_days(real_file("cccamp2019"))
    expected = {
        (end.date(), (end.hour * 60 + end.minute, start.hour * 60 + start.minute))
        for (_, end), (start, _) in itertools.pairwise(days)
    }
    assert len(expected) == 4  # 4:00-9:00 after each of the first four nights
    for venue in camp().venues:
        for room in venue.rooms:
            closed = {(c.date, (c.time.start, c.time.end)) for c in room.closed or ()}
            assert closed == expected, room.id


def test_a_room_closed_for_a_day_moves_no_talk_between_the_camp_days() -> None:
    """Meitner closed on Friday: its talks move within Curie, and every one stays inside a
    day of the file (before, three of them went to 6:45-9:00, when the camp had no day)."""
    days = frab_days(real_file("cccamp2019"))
    zone = days[0][0].tzinfo
    closed = CloseRoom(do="close_room", room="meitner", date=dt.date(2019, 8, 23))
    scenario = Scenario(name="meitner closed", changes=[closed])
    result = what_if(camp(), scenario, time_limit=10, seed=0)  # any repair will do
    assert result.timetable is not None and result.moved
    for placement in result.timetable:
        start = dt.datetime.combine(placement.date, dt.time(), zone) + dt.timedelta(
            minutes=placement.start
        )
        end = start + dt.timedelta(minutes=placement.end - placement.start)
        assert any(a <= start and end <= b for a, b in days), placement


def test_an_export_starts_each_day_when_the_file_did() -> None:
    """frab JSON's ``day_start`` as the file's (4:00, the night's end, before); the last day's
    end is midnight, since the programme has no date for the last night's small hours."""
    days = frab_days(real_file("cccamp2019"))
    written = json.loads(export(camp(), "frab-json"))["schedule"]["conference"]["days"]
    starts = [dt.datetime.fromisoformat(d["day_start"]) for d in written]
    ends = [dt.datetime.fromisoformat(d["day_end"]) for d in written]
    assert starts == [start for start, _ in days]
    assert ends[:-1] == [end for _, end in days[:-1]]
