"""The timetable as day tables in plain text: what ``show`` and ``solve`` print.

Kept with the exports (it reads the same entries, places and audiences they do) rather than in
the command line, so the Python API prints exactly what the commands print.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import entries, for_whom, where
from .midnight import listed_dates

if TYPE_CHECKING:
    from ..compile import Problem
    from ..timetable import Timetable


def day_tables(problem: Problem, timetable: Timetable) -> str:
    """The timetable the way the brochure prints it: a heading per day, then Time | Item (every
    line of the day: "from 17:30" for an item with no printed end, untimed items, deadlines).
    A conference's days are its conference days (``midnight``): "23:00 - 2:00" and "0:30 -
    1:30" under the evening they belong to, once each."""
    programme = problem.programme
    out = [programme.course.title]
    if programme.course.location:
        out.append(programme.course.location)
    by_date: dict[object, list[str]] = {}
    listed = entries(problem, timetable)
    for entry in listed:
        venue = ""
        day_index = problem.day_of_date.get(entry.date)
        default_venue = problem.day_venues[day_index] if day_index is not None else None
        place = where(problem, entry)
        if place and (entry.venue != default_venue or entry.online or entry.alternatives):
            venue = f"  @ {place}"
        who = for_whom(problem, entry)
        who = f" ({who})" if who else ""
        mark = "  " if entry.in_block else ""
        line = f"  {entry.when:<15} {mark}{entry.title}{who}{venue}"
        by_date.setdefault(entry.date, []).append(line)
    shown = listed_dates(problem, timetable, (entry.date for entry in listed))
    for index, date in enumerate(problem.dates):
        if date not in shown:
            continue
        day = programme.days[index]
        out.append("")
        heading = f"{date:%A} {date.day} {date:%B} {date.year}"
        if day.theme:
            heading += f" — {day.theme}"
        out.append(heading)
        if day.venue:
            home = problem.venues[day.venue]
            out.append(f"  at {home.name}" + (f" ({home.address})" if home.address else ""))
        out.append(f"  {'Time':<15} Item")
        out.extend(by_date.get(date, ["  (nothing scheduled yet)"]))
    return "\n".join(out)
