"""ICS: an RFC 5545 calendar, one VEVENT per placed activity, in the course's time zone, that
subscribed calendars can follow from one export to the next.

Times carry ``TZID=<course.timezone>`` and the calendar includes the matching VTIMEZONE (for the
course's dates only), so any client shows them right. ``UID`` never depends on a time or a
title (the published guid of an imported event, else one derived from the edition and the
activity id, ``exports.stable_uuid``): after re-solving or a title edited, a client that
subscribed moves the events instead of duplicating them, and next year's edition is not
mistaken for this one.

Updates: given the previous export of the same programme (``previous``, the CLI's
``--previous FILE``), an event whose content changed (start, end, title, place, text, status,
transparency) gets the previous ``SEQUENCE`` plus one and the export time as ``DTSTAMP``; an
unchanged event keeps both, so exporting an unchanged programme again gives the same bytes.
An event of the previous export that this one no longer has (an activity removed since) is
published again as ``STATUS:CANCELLED`` with the next ``SEQUENCE``.
Without a previous export every event starts at ``SEQUENCE:0``. ``DTSTAMP`` is the export
time (``export_time``: ``SOURCE_DATE_EPOCH`` when set), never a made-up date.

``STATUS`` is ``TENTATIVE`` for an activity that depends on a ``tbc`` person (its own, or the
speaker of the talk its Q&A follows: ``exports.participants``), ``CANCELLED`` for one that
depends on a ``declined`` person, else ``CONFIRMED``; free time (the ``free`` category) is
``TRANSPARENT`` (it does not make anyone busy). ``DESCRIPTION`` is the activity's own text (abstract,
description, notes, its bus leg's note), then who takes part and who is still to be confirmed.
Text escaping and folding of long lines are done by ``icalendar``.

One event per event: the parts of an event an import split at midnight are one ``VEVENT``
(the first part's ``UID``, from its start to the last part's end: ``midnight.joined``).

Every line of the programme is an event (``exports.entries``): an item printed with no end has
a ``DTSTART`` and no ``DTEND`` (RFC 5545 reads that as an event of no length; its description
says "from 17:30, no end given") rather than an invented end; an untimed item (breakfast, office
hours to be announced) is an all-day event of its date (``VALUE=DATE``), ``TRANSPARENT``; a
deadline is a moment (``DTSTART`` only), ``TRANSPARENT``, in the category "Deadline".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ProgrammeError
from ..model import Status
from ..vocabulary import Category
from . import (
    Details,
    Entry,
    activities,
    details,
    entries,
    entry_people,
    event_guids,
    export_time,
    for_whom,
    kind_title,
    local_datetime,
    location,
    participants,
    person_name,
    track_name,
    transport_note,
    where,
    zone,
)
from .midnight import joined, later_parts

if TYPE_CHECKING:
    from ..compile import Item, Problem
    from ..model import Activity
    from ..timetable import Timetable

PRODID = "-//course-scheduler//course-scheduler//EN"
UID_DOMAIN = "course-scheduler"
SIGNIFICANT = ("DTSTART", "DTEND", "SUMMARY", "LOCATION", "DESCRIPTION", "STATUS", "TRANSP", "URL")
"""The properties whose change makes an event a new revision (``SEQUENCE`` + 1)."""


@dataclass(frozen=True)
class Revision:
    """An event as a previous export published it."""

    sequence: int
    stamp: dt.datetime
    content: tuple[Any, ...]
    event: Any = None
    """The event itself (an ``icalendar`` component), to cancel it when it is gone."""


def uid(problem: Problem, activity: str) -> str:
    return f"{event_guids(problem)[activity]}@{UID_DOMAIN}"


def render(
    problem: Problem,
    timetable: Timetable,
    *,
    person: str | None = None,
    previous: bytes | None = None,
) -> bytes:
    from icalendar import Calendar, Event, Timezone

    course = problem.programme.course
    tzinfo = zone(problem)
    now = export_time()
    revisions = read_previous(previous) if previous is not None else {}
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
    files = activities(problem)
    guids = event_guids(problem)
    depends = participants(problem)
    emitted: set[str] = set()
    chains = joined(problem, timetable)
    later = later_parts(chains)
    for entry in entries(problem, timetable, person=person):
        if entry.id in later:
            continue  # carried by its first part: one event per event
        event = Event()
        event.add("uid", f"{guids[entry.id]}@{UID_DOMAIN}")
        item, placement = entry.item, entry.placement
        if item is None or placement is None:
            _unplaced_event(problem, event, entry, course.url)
        else:
            activity = files.get(item.id)
            event.add("dtstart", local_datetime(problem, placement.date, placement.start))
            final = chains.get(item.id, [placement])[-1]
            if entry.end is not None:
                event.add("dtend", local_datetime(problem, final.date, final.end))
            event.add("summary", item.title)
            place = (
                location(problem, placement) if not entry.alternatives else where(problem, entry)
            )
            if entry.online:
                place = "Online"
            if place:
                event.add("location", place)
            text = _description(
                problem, item, activity, notes, depends[item.id], whole=item.id in chains
            )
            event.add("description", _with_reading(problem, entry, text))
            event.add("status", _status(problem, depends[item.id]))
            free = item.category == Category.FREE
            event.add("transp", "TRANSPARENT" if free else "OPAQUE")
            url = (activity.url if activity else None) or course.url
            if url:
                event.add("url", url)
            categories = [kind_title(problem, item.kind)]
            if item.track:
                categories.insert(0, track_name(problem, item))
            event.add("categories", categories)
        event.add("x-course-scheduler-id", entry.id)
        known = revisions.get(str(event["UID"]))
        if known is None:
            sequence, stamp = 0, now
        elif known.content == content_of(event):
            sequence, stamp = known.sequence, known.stamp
        else:
            sequence, stamp = known.sequence + 1, now
        event.add("dtstamp", stamp)
        event.add("sequence", sequence)
        calendar.add_component(event)
        emitted.add(str(event["UID"]))
    for ident, known in revisions.items():
        if ident not in emitted and known.event is not None:
            calendar.add_component(_cancelled(known, now))
    data: bytes = calendar.to_ical()
    return data


def _cancelled(known: Revision, now: dt.datetime) -> Any:
    """An event of the previous export that this one no longer has (an activity removed):
    published again as ``STATUS:CANCELLED`` with the next ``SEQUENCE``, so a subscribed
    calendar removes it rather than keeping it for ever; one already cancelled stays as it
    was (the same bytes on every later export)."""
    event = known.event
    if str(event.get("STATUS", "")) == "CANCELLED":
        return event
    for name in ("STATUS", "DTSTAMP", "SEQUENCE"):
        if name in event:
            del event[name]
    event.add("status", "CANCELLED")
    event.add("dtstamp", now)
    event.add("sequence", known.sequence + 1)
    return event


def _unplaced_event(problem: Problem, event: Any, entry: Entry, url: str | None) -> None:
    """An untimed item as an all-day event of its date; a deadline as a moment."""
    if entry.start is None:
        event.add("dtstart", entry.date)
        event.add("dtend", entry.date + dt.timedelta(days=1))
    else:
        event.add("dtstart", local_datetime(problem, entry.date, entry.start))
    event.add("summary", entry.title)
    place = where(problem, entry)
    if place:
        event.add("location", "Online" if entry.online else place)
    lines = [
        f"Due at {entry.when.removeprefix('due ')}"
        if entry.deadline
        else "No time given" + (f" ({entry.when.lower()})" if entry.when else "")
    ]
    people = entry_people(problem, entry)
    if people:
        lines.append("With: " + "; ".join(people))
    who = for_whom(problem, entry)
    if who:
        lines.append(who[:1].upper() + who[1:])
    event.add("description", "\n\n".join(lines))
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    if url:
        event.add("url", url)
    kind = "Deadline" if entry.deadline else kind_title(problem, entry.kind)
    event.add("categories", [kind])


def _with_reading(problem: Problem, entry: Entry, text: str) -> str:
    """The description, with "from 17:30, no end given" and who it is for when that applies."""
    extra = []
    if entry.end is None and entry.start is not None:
        extra.append(f"{entry.when[:1].upper()}{entry.when[1:]}, no end given")
    who = for_whom(problem, entry)
    if who:
        extra.append(who[:1].upper() + who[1:])
    if entry.alternatives:
        extra.append(f"At {where(problem, entry)} (decided later)")
    return "\n\n".join([text, *extra]) if extra else text


def content_of(event: Any) -> tuple[Any, ...]:
    """What a reader of the event sees, property by property, as comparable values."""
    values: list[Any] = []
    for name in SIGNIFICANT:
        if name not in event:
            values.append(None)
        elif name in ("DTSTART", "DTEND"):
            values.append(event.decoded(name))
        else:
            values.append(str(event[name]))
    return tuple(values)


def read_previous(data: bytes) -> dict[str, Revision]:
    """The events of a previous export by UID; a file that is not a calendar is refused."""
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(data)
        revisions = {}
        for event in calendar.walk("VEVENT"):
            sequence = int(event.get("SEQUENCE", 0))
            stamp = event.decoded("DTSTAMP") if "DTSTAMP" in event else None
            if not isinstance(stamp, dt.datetime):
                continue
            revisions[str(event["UID"])] = Revision(sequence, stamp, content_of(event), event)
        return revisions
    except (ValueError, KeyError, TypeError) as exc:
        raise ProgrammeError(f"the previous calendar cannot be read ({exc})") from None


def _status(problem: Problem, people: tuple[str, ...]) -> str:
    statuses = {problem.people[p].status for p in people}
    if Status.DECLINED in statuses:
        return "CANCELLED"
    return "TENTATIVE" if Status.TBC in statuses else "CONFIRMED"


def _description(
    problem: Problem,
    item: Item,
    activity: Activity | None,
    notes: Details,
    people: tuple[str, ...],
    *,
    whole: bool = False,
) -> str:
    description, note = notes.get(item.id, (None, None))
    if whole:
        note = None  # the import's "Part 1 of 2" note: this event is the whole
    abstract = activity.abstract if activity else None
    texts = [abstract if abstract != description else None, description, note]
    texts.append(transport_note(problem, notes, item))
    lines = [text for text in texts if text]
    if people:
        lines.append("With: " + "; ".join(person_name(problem, p) for p in people))
    pending = [problem.people[p].name for p in people if problem.people[p].status == Status.TBC]
    if pending:
        lines.append("To be confirmed: " + "; ".join(pending))
    return "\n\n".join(lines) if lines else kind_title(problem, item.kind)
