"""Nights at a conference: events past midnight, and the day they belong to.

A programme's days are calendar dates, so an import splits an event that runs past midnight
into parts, one per date (``importers.schedule``). A reader of an export must see one event
per event, and an event at 00:30 under the conference day it belongs to (the evening
before), not on a day of its own. Every export asks here:

- ``joined``: the parts of each split event that still follow one another in the timetable
  (one ends at 24:00, the next starts at 0:00 the day after, in the same room), by the id of
  the first part: exports write them as one event that starts with the first and ends with
  the last.
- ``conference_day``: the day an instant belongs to: its date, or the date before when it
  starts after midnight but before the course's ``day_change`` (and that date is a course
  day). Without a ``day_change`` a day ends at midnight.
- ``conference_dates``: the course's days as a conference lists them: every date but one
  whose events all belong to the night before.
- ``listed_dates``: the days a listing (CSV, XLSX, Markdown, HTML, ``show``) heads: the
  conference's dates, and any date a line is listed under (``exports.entries`` lists each
  event once, under its conference day, with the joined parts' times).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..compile import Problem
    from ..timetable import Placement, Timetable

DAY = 24 * 60


def joined(problem: Problem, timetable: Timetable) -> dict[str, list[Placement]]:
    """First part id → the placements of every part still joined to it, in order (two or
    more); a part a repair moved away from the others stands alone."""
    from ..importers.schedule import split_parts

    result: dict[str, list[Placement]] = {}
    for parts in split_parts(problem.programme):
        first = timetable.get(parts[0])
        if first is None:
            continue
        chain = [first]
        for ident in parts[1:]:
            placement = timetable.get(ident)
            if placement is None or not _continues(chain[-1], placement):
                break
            chain.append(placement)
        if len(chain) > 1:
            result[parts[0]] = chain
    return result


def later_parts(chains: dict[str, list[Placement]]) -> set[str]:
    """The ids of the parts that a joined event carries after its first."""
    return {p.activity for chain in chains.values() for p in chain[1:]}


def _continues(previous: Placement, placement: Placement) -> bool:
    return (
        previous.end == DAY
        and placement.start == 0
        and placement.date == previous.date + dt.timedelta(days=1)
        and placement.room == previous.room
        and placement.venue == previous.venue
    )


def day_change(problem: Problem) -> int:
    """Minutes after midnight at which a conference day hands over (0: at midnight)."""
    change = problem.programme.course.day_change
    return change if change is not None and change < DAY else 0


def opens(problem: Problem, date: dt.date, minutes: int) -> int:
    """The first minute from ``minutes`` on ``date`` at which some room is open: past the
    windows closed in every room (an import closes the hours between frab days that run past
    midnight, 31C3's 4:00-11:30), so an export's day starts when the file's day did."""
    index = problem.day_of_date.get(date)
    rooms = problem.room_venue
    if index is None or not rooms or len(problem.room_closed) < len(rooms):
        return minutes
    everywhere = set.intersection(
        *(
            {(start, end) for day, start, end in problem.room_closed.get(room, ()) if day == index}
            for room in rooms
        )
    )
    moved = True
    while moved:
        moved = False
        for start, end in everywhere:
            if start <= minutes < end:
                minutes, moved = end, True
    return minutes


def conference_day(problem: Problem, date: dt.date, minutes: int) -> dt.date:
    """The course day that an event starting ``minutes`` after midnight of ``date`` belongs
    to (module docstring)."""
    before = date - dt.timedelta(days=1)
    if minutes < day_change(problem) and before in problem.day_of_date:
        return before
    return date


def conference_dates(problem: Problem, timetable: Timetable) -> list[dt.date]:
    """The course's dates, less those whose placed events all belong to the night before
    and whose window closes by the day change (the last night's small hours)."""
    change = day_change(problem)
    if not change:
        return list(problem.dates)
    starts: dict[dt.date, list[int]] = {}
    for placement in timetable:
        starts.setdefault(placement.date, []).append(placement.start)
    dates = []
    for index, date in enumerate(problem.dates):
        before = date - dt.timedelta(days=1)
        _, window_end = problem.day_windows[index]
        own = [s for s in starts.get(date, []) if s >= change]
        night_only = before in problem.day_of_date and not own and window_end <= change
        if not night_only:
            dates.append(date)
    return dates


def listed_dates(problem: Problem, timetable: Timetable, listed: Iterable[dt.date]) -> set[dt.date]:
    """The dates a listing heads (module docstring): ``conference_dates``, and the dates of
    the lines ``listed`` (an untimed item or a deadline on a date the night fills keeps it)."""
    return set(conference_dates(problem, timetable)) | set(listed)
