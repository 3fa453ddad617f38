"""ICS: an RFC 5545 calendar, one VEVENT per placed activity, in the course's time zone.

Times carry ``TZID=<course.timezone>`` and the calendar includes the matching VTIMEZONE (for the
course's dates only), so any client shows them right. ``UID`` is derived from the course title
and the activity id, never from the time: after re-solving, a calendar that subscribed to the
file moves the events instead of duplicating them. Text escaping (``;`` ``,`` ``\\`` newlines)
and folding of long lines are done by ``icalendar``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from . import (
    Details,
    activity_uuid,
    details,
    generated_at,
    kind_label,
    local_datetime,
    location,
    people_names,
    transport_note,
    zone,
)

if TYPE_CHECKING:
    from ..compile import Problem
    from ..timetable import Timetable

PRODID = "-//course-scheduler//course-scheduler//EN"
UID_DOMAIN = "course-scheduler"


def uid(problem: Problem, activity: str) -> str:
    return f"{activity_uuid(problem, activity)}@{UID_DOMAIN}"


def render(problem: Problem, timetable: Timetable, *, person: str | None = None) -> bytes:
    from icalendar import Calendar, Event, Timezone

    course = problem.programme.course
    tzinfo = zone(problem)
    stamp = generated_at(problem)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = course.title if person is None else f"{course.title}: {problem.people[person].name}"
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", tzinfo.key)
    first, last = min(problem.dates), max(problem.dates)
    calendar.add_component(
        Timezone.from_tzid(
            tzinfo.key,
            first_date=first - dt.timedelta(days=1),
            last_date=last + dt.timedelta(days=2),
        )
    )
    notes = details(problem)
    for placement in timetable:
        item = problem.item(placement.activity)
        event = Event()
        event.add("uid", uid(problem, item.id))
        event.add("dtstamp", stamp)
        event.add("dtstart", local_datetime(problem, placement.date, placement.start))
        event.add("dtend", local_datetime(problem, placement.date, placement.end))
        event.add("summary", item.title)
        where = location(problem, placement)
        if where:
            event.add("location", where)
        event.add("description", _description(problem, item.id, notes))
        event.add("categories", [kind_label(item.kind)])
        event.add("x-course-scheduler-id", item.id)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def _description(problem: Problem, ident: str, notes: Details) -> str:
    item = problem.item(ident)
    lines = [kind_label(item.kind).capitalize()]
    names = people_names(problem, item)
    if names:
        lines.append("With: " + "; ".join(names))
    description, note = notes.get(ident, (None, None))
    for text in (description, note, transport_note(problem, notes, item)):
        if text:
            lines += ["", text]
    return "\n".join(lines)
