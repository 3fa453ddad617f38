"""Timetable → files people and programs read: csv, xlsx, md, html, ics, frab, png.

``export(problem, timetable, fmt)`` is the one entry point; each format lives in its own module
(imported only when asked for, so matplotlib or openpyxl cost nothing to the other formats) and
exposes ``render(problem, timetable, *, person) -> bytes``. Everything the formats must agree on
(labels, stable identifiers, the colours of kinds, the generation time, who a person is) is
defined here once, so the exports of one timetable tell the same story.

Every export is deterministic: the same timetable gives the same bytes, with one honest
exception. File metadata no program acts on (XLSX properties) carries ``generated_at``:
``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention), else midnight UTC of the
course's first day. The ICS ``DTSTAMP``, which calendar clients do act on, is the export time
(``export_time``: ``SOURCE_DATE_EPOCH`` when set, else now), kept from the previous export for
events that did not change (``exports.ics``); set ``SOURCE_DATE_EPOCH``, or pass the previous
calendar, for identical bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, cast

from ..errors import ProgrammeError
from ..lookup import one
from ..model import Kind
from ..text import MONTHS, WEEKDAYS, base_letters
from ..vocabulary import BUILTIN_KINDS, Category
from .midnight import DAY, conference_day, joined, later_parts

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from ..compile import Item, Problem
    from ..model import Activity
    from ..timetable import Placement, Timetable
    from ..vocabulary import Part

__all__ = ["FORMATS", "Format", "export"]


@dataclass(frozen=True)
class Format:
    module: str
    suffix: str
    media_type: str
    binary: bool


FORMATS: dict[str, Format] = {
    "csv": Format("csv_", ".csv", "text/csv", False),
    "xlsx": Format(
        "xlsx", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", True
    ),
    "md": Format("markdown", ".md", "text/markdown", False),
    "html": Format("html", ".html", "text/html", False),
    "ics": Format("ics", ".ics", "text/calendar", False),
    "frab": Format("frab", ".json", "application/json", False),
    "frab-json": Format("frab", ".json", "application/json", False),
    "frab-xml": Format("frab_xml", ".xml", "application/xml", False),
    "png": Format("png", ".png", "image/png", True),
}
"""The export formats by name, in the order the CLI lists them."""

Renderer = Callable[..., bytes]


def export(
    problem: Problem,
    timetable: Timetable,
    fmt: str,
    *,
    person: str | None = None,
    previous: bytes | None = None,
) -> bytes:
    """The timetable in format ``fmt``; ``person`` (an id or a display name) keeps what they
    take part in (``for_person``); ``previous`` (ICS only) is the calendar exported last time,
    so that changed events get a higher ``SEQUENCE`` (``exports.ics``)."""
    spec = FORMATS.get(fmt)
    if spec is None:
        raise ProgrammeError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if previous is not None and fmt != "ics":
        raise ProgrammeError(f"a previous export only matters for ics, not {fmt}")
    subject = None
    if person is not None:
        subject = find_person(problem, person)
        timetable = for_person(problem, timetable, subject)
    try:
        module = import_module(f"{__name__}.{spec.module}")
        render = cast(Renderer, module.render)
        if previous is not None:
            return render(problem, timetable, person=subject, previous=previous)
        return render(problem, timetable, person=subject)
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.split(".")[0] not in OPTIONAL_LIBRARIES:
            raise
        raise ProgrammeError(
            f"the {fmt} export needs {exc.name.split('.')[0]}, which is not installed; "
            "install the exports extra: pip install 'course_scheduler[exports]'"
        ) from None


OPTIONAL_LIBRARIES = frozenset({"icalendar", "openpyxl", "matplotlib", "jinja2", "markupsafe"})
"""What the ``exports`` extra installs; a format that needs one of them says so when missing."""


# --- who -------------------------------------------------------------------------------------


def find_person(problem: Problem, name: str) -> str:
    """The id of the person called ``name``: an id, or a name (``lookup.one``)."""
    return one(
        [(p.id, p.name) for p in problem.people.values()],
        name,
        unknown=f"no person {name!r} in the programme",
        plural="people",
        line="{id} ({name})",
        file=problem.source.file,
    )


def participants(problem: Problem) -> dict[str, tuple[str, ...]]:
    """Who each activity depends on: the people it names; for one that names nobody and that
    ``depends_on`` another activity, or that a ``sequence`` rule with ``max_gap: 0`` glues right
    after one, that activity's people (the Q&A right after a talk is the speaker's too; so is a
    case study and its Q&A that follow in turn)."""
    glued_to: dict[str, str] = {}
    for activity in problem.programme.all_activities():
        if activity.depends_on:
            glued_to[activity.id] = activity.depends_on[0]
    for rule in problem.rules:
        if rule.kind == "sequence" and rule.max_gap == 0:
            for before, after in zip(rule.activities, rule.activities[1:], strict=False):
                glued_to.setdefault(after, before)
    result: dict[str, tuple[str, ...]] = {}
    for item in problem.items:
        ident, seen = item.id, set()
        while not problem.item(ident).people and ident in glued_to and ident not in seen:
            seen.add(ident)
            ident = glued_to[ident]
            if ident not in problem.index:
                break
        result[item.id] = problem.item(ident).people if ident in problem.index else ()
    return result


def for_person(problem: Problem, timetable: Timetable, person: str) -> Timetable:
    """Only what ``person`` takes part in (``participants``)."""
    from ..timetable import Timetable

    depends = participants(problem)
    return Timetable(
        {
            ident: placement
            for ident, placement in timetable.placements.items()
            if person in depends.get(ident, ())
        }
    )


# --- stable identifiers ----------------------------------------------------------------------

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:course-scheduler")


def edition_key(problem: Problem) -> str:
    """What tells this edition from the others: the course's ``edition`` when the file gives
    one, else the edition's first day. Never its title (a typo fixed in it must not make every
    event new to a calendar), never a time (re-solving must not either)."""
    return problem.programme.course.edition or min(problem.dates).isoformat()


def stable_uuid(problem: Problem, kind: str, ident: str) -> uuid.UUID:
    """A UUID from the edition (``edition_key``) and an id: it survives re-solving and
    edits of titles, and differs from the last edition's, so a calendar holding both
    editions keeps them apart."""
    return uuid.uuid5(_NAMESPACE, f"{edition_key(problem)}\n{kind}\n{ident}")


def activity_uuid(problem: Problem, activity: str) -> uuid.UUID:
    """The identity an activity gets when its file gives none (see ``event_guids``)."""
    return stable_uuid(problem, "activity", activity)


def event_guids(problem: Problem) -> dict[str, uuid.UUID]:
    """The identity of every activity in every export (ICS ``UID``, frab ``guid``).

    An activity keeps the guid its published schedule gave it (``published.guid``), so an
    imported schedule exported again keeps the identities apps already know; a later activity
    with the same guid (the second part of an event split at midnight) gets one derived from
    that guid and its own id. Every other activity gets ``activity_uuid``. Never from a time.
    """
    result: dict[str, uuid.UUID] = {}
    taken: set[uuid.UUID] = set()
    published = {a.id: a.published.guid for a in problem.programme.all_activities() if a.published}
    idents = [
        *(item.id for item in problem.items),
        *(x.id for x in problem.untimed),
        *(x.id for x in problem.deadlines),
    ]
    for ident in idents:
        given = published.get(ident)
        guid = uuid.UUID(given) if given else activity_uuid(problem, ident)
        if guid in taken:
            guid = uuid.uuid5(guid, ident)
        taken.add(guid)
        result[ident] = guid
    return result


def activities(problem: Problem) -> dict[str, Activity]:
    """The file's activities by id (a bus ride has none): the texts compiled items omit."""
    return {a.id: a for a in problem.programme.all_activities()}


def kind_title(problem: Problem, kind: str) -> str:
    """The kind's label as the vocabulary gives it ("Guest talk", "Q&A", or the file's own)."""
    info = problem.kinds.get(kind)
    if info is not None:
        return info.label
    label = kind_label(kind)
    return label[:1].upper() + label[1:]


def track_name(problem: Problem, item: Item) -> str:
    """The activity's track, or its kind in words ("Guest talk") when the file gives none."""
    return item.track or kind_title(problem, item.kind)


def slug(text: str) -> str:
    """Lower-case letters, digits and single hyphens; empty when nothing is left. Accented
    letters keep their base letter ("Café Müller" is cafe-muller, not caf-m-ller): the
    schemas that read slugs take ASCII only, and a title should stay recognisable in them."""
    return re.sub(r"[^a-z0-9]+", "-", base_letters(text.casefold())).strip("-")


# --- labels ----------------------------------------------------------------------------------


def day_heading(date: dt.date, *, year: bool = True) -> str:
    """ "Monday 18 November 2024", as the brochure heads a day (English, whatever the locale)."""
    text = f"{WEEKDAYS[date.weekday()]} {date.day} {MONTHS[date.month - 1]}"
    return f"{text} {date.year}" if year else text


def short_day(date: dt.date) -> str:
    """ "Mon 18 Nov", for narrow columns and sheet names."""
    return f"{WEEKDAYS[date.weekday()][:3]} {date.day} {MONTHS[date.month - 1][:3]}"


def kind_label(kind: str) -> str:
    """The kind in words ("guest talk"); questions and answers are "Q&A", as programmes print."""
    return "Q&A" if kind == Kind.QA else kind.replace("_", " ")


def time_range(placement: Placement, item: Item | None = None) -> str:
    """ "9:00 - 9:20", the brochure's form; "from 17:30" for an item printed with no end."""
    from ..clock import format_clock

    if item is not None and item.open_end:
        return f"from {format_clock(placement.start)}"
    return f"{format_clock(placement.start)} - {format_clock(placement.end)}"


def people_names(problem: Problem, item: Item) -> list[str]:
    """The people as the file names them (a group of people by its name), "(online)" after
    those who take part online."""
    return [person_name(problem, p) for p in item.named or item.people]


def person_name(problem: Problem, ident: str) -> str:
    person = problem.people[ident]
    return f"{person.name} (online)" if person.online else person.name


# --- what a day lists: placed activities, untimed items, deadlines ---------------------------

DEADLINE = "deadline"
"""The kind an export gives a deadline (a moment work is due, not an activity)."""


@dataclass(frozen=True)
class Entry:
    """One line of a day as every export lists it: a placed activity, an untimed item (no time
    at all) or a deadline. ``end`` is None whenever the file prints no end: an open end ("from
    17:30"), an untimed item, a deadline; formats that need an end take ``placement``'s.

    ``date`` is the day it is listed under: a placed activity's conference day
    (``midnight.conference_day``), which is its date unless it starts after midnight but
    before the course's ``day_change``. ``start`` and ``end`` count minutes from midnight of
    ``date``, so past 24:00 at night (0:30 under the evening before is 24:30), and an event an
    import split at midnight is one entry (``midnight.joined``) from its first part's start
    to its last part's end; ``placement`` is its first part."""

    id: str
    date: dt.date
    title: str
    kind: str
    start: int | None
    end: int | None
    venue: str | None
    room: str | None
    people: tuple[str, ...]
    """Ids as the file names them (a group of people stays one)."""
    groups: tuple[str, ...]
    """Who it is for, as the file says."""
    item: Item | None = None
    placement: Placement | None = None
    part: Part | None = None
    optional: bool = False
    online: bool = False
    alternatives: tuple[str, ...] = ()
    departs: tuple[int, int] | None = None
    """A ride whose departure is a window the file gives (no time decided yet)."""

    @property
    def untimed(self) -> bool:
        return self.start is None

    @property
    def in_block(self) -> bool:
        """A part of a block: exports list it under its block."""
        return self.item is not None and self.item.block is not None

    @property
    def deadline(self) -> bool:
        return self.kind == DEADLINE

    @property
    def when(self) -> str:
        """ "9:00 - 9:20", "from 17:30", "due 13:00", "Afternoon", or "" (no time); on the
        clock a programme prints, whatever the day it is listed under ("23:00 - 2:00", "0:30 -
        1:30"), an end at midnight being "24:00"."""
        from ..clock import format_clock

        if self.start is None and self.departs is not None:
            low, high = (format_clock(x) for x in self.departs)
            return f"leaves {low} - {high}"
        if self.start is None:
            return self.part.value.capitalize() if self.part else ""
        if self.deadline:  # a moment of its own date: "due 24:00" is the day's end
            return f"due {format_clock(self.start)}"
        start = format_clock(self.start % DAY)
        if self.end is None:
            return f"from {start}"
        end = self.end - (self.end - 1) // DAY * DAY  # 26:00 prints 2:00; 24:00 stays
        return f"{start} - {format_clock(end)}"


def entries(problem: Problem, timetable: Timetable, *, person: str | None = None) -> list[Entry]:
    """Every line of every day, in the order a programme prints them: placed activities by
    time (each once, under its conference day: ``Entry``), each untimed item after the item the file lists before it, each deadline at its time
    (before what starts then). With ``person``: their activities (``timetable`` is already
    theirs) and the untimed items they are named in; no deadlines."""
    by_date: dict[dt.date, list[Entry]] = {date: [] for date in problem.dates}
    for date, start, end, p in _placed(problem, timetable):
        item = problem.item(p.activity)
        by_date.setdefault(date, []).append(
            Entry(
                id=item.id,
                date=date,
                title=item.title,
                kind=item.kind,
                start=start,
                end=None if item.open_end else end,
                venue=p.venue,
                room=p.room,
                people=item.named or item.people,
                groups=item.for_groups,
                item=item,
                placement=p,
                optional=item.optional,
                online=item.online,
                alternatives=item.alternatives,
            )
        )
    if person is None:
        for deadline in problem.deadlines:
            date = problem.dates[deadline.day]
            day_list = by_date[date]
            index = next(
                (k for k, e in enumerate(day_list) if (e.start or 0) >= deadline.time), None
            )
            entry = Entry(
                id=deadline.id,
                date=date,
                title=deadline.title,
                kind=DEADLINE,
                start=deadline.time,
                end=None,
                venue=None,
                room=None,
                people=(),
                groups=deadline.for_groups,
            )
            day_list.insert(len(day_list) if index is None else index, entry)
    after = _listed_after(problem)
    for untimed in problem.untimed:
        if person is not None and person not in untimed.people:
            continue
        date = problem.dates[untimed.day]
        day_list = by_date[date]
        previous = after.get(untimed.id)
        position = next((k + 1 for k, e in enumerate(day_list) if e.id == previous), 0)
        while position < len(day_list) and day_list[position].untimed:
            position += 1
        day_list.insert(
            position,
            Entry(
                id=untimed.id,
                date=date,
                title=untimed.title,
                kind=untimed.kind,
                start=None,
                end=None,
                venue=untimed.venue,
                room=None,
                people=untimed.people,
                groups=untimed.groups,
                part=untimed.part,
                optional=untimed.optional,
                online=untimed.online,
            ),
        )
    if person is None:
        _unplaced_rides(problem, timetable, by_date)
    return [entry for date in sorted(by_date) for entry in by_date[date]]


def _placed(problem: Problem, timetable: Timetable) -> list[tuple[dt.date, int, int, Placement]]:
    """(conference day, start, end, first placement) of each event, times counted from that
    day's midnight (``Entry``), by day and time; at one start in the file's order (a block
    before its parts). The later parts of an event split at midnight are in their first's."""
    chains = joined(problem, timetable)
    later = later_parts(chains)
    result = []
    for p in timetable:
        if p.activity in later:
            continue
        own = conference_day(problem, p.date, p.start)
        last = chains.get(p.activity, [p])[-1]
        start = p.start + (p.date - own).days * DAY
        result.append((own, start, last.end + (last.date - own).days * DAY, p))
    result.sort(key=lambda x: (x[0], x[1], problem.index[x[3].activity]))
    return result


def _unplaced_rides(
    problem: Problem, timetable: Timetable, by_date: dict[dt.date, list[Entry]]
) -> None:
    """A bus or walk on a known day whose time the file does not give (a departure window, a
    return with no time) is a line of its day like an untimed item: the ride out before what
    it serves, the ride back after it."""
    for item in problem.items:
        if item.ride is None or timetable.get(item.id) is not None or len(item.days) != 1:
            continue
        leg = problem.legs[item.ride[0]]
        out = item.ride[1] == "out"
        date = problem.dates[item.days[0]]
        day_list = by_date[date]
        served = {problem.items[k].id for k in leg.served}
        at = [k for k, e in enumerate(day_list) if e.id in served or e.id == f"{leg.id}.out"]
        if out:
            low = leg.depart_window[0]
            later = [k for k, e in enumerate(day_list) if e.start is not None and e.start >= low]
            position = min(at or later or [len(day_list)])
        else:  # after what it serves, and the untimed lines printed after that
            position = max(at) + 1 if at else len(day_list)
            while position < len(day_list) and day_list[position].untimed:
                position += 1
        day_list.insert(
            position,
            Entry(
                id=item.id,
                date=date,
                title=item.title,
                kind=item.kind,
                start=None,
                end=None,
                venue=item.options[0][1],
                room=None,
                people=(),
                groups=item.for_groups,
                item=item,
                departs=leg.depart_window if out else None,
            ),
        )


def _listed_after(problem: Problem) -> dict[str, str | None]:
    """Each untimed item's predecessor on its day, in the file's order (the last with a time)."""
    result: dict[str, str | None] = {}
    for day in problem.programme.days:
        last: str | None = None
        for activity in day.activities:
            if activity.untimed:
                result[activity.id] = last
            else:
                last = activity.id
    return result


def for_whom(problem: Problem, entry: Entry) -> str:
    """ "optional", "for Coordinators", "optional, for Teachers", or "" for everyone."""
    roots = [g for g in problem.group_ids if problem.group_parent.get(g) is None]
    words = []
    if entry.optional and "optional" not in entry.title.casefold():
        words.append("optional")
    if entry.groups and set(entry.groups) != set(roots):
        names = [problem.group_names.get(g, g) for g in entry.groups]
        words.append(
            "for " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
        )
    return ", ".join(words)


def where(problem: Problem, entry: Entry) -> str:
    """The place in words: "online", "the Beach or the Hall" (decided late), a venue's name, or ""."""
    if entry.online:
        return "online"
    if entry.alternatives:
        return " or ".join(problem.venues[v].name for v in entry.alternatives)
    if entry.venue is None:
        return ""
    return problem.venues[entry.venue].name


def entry_people(problem: Problem, entry: Entry) -> list[str]:
    return [person_name(problem, p) for p in entry.people]


ROW_COLUMNS = ("date", "start", "end", "title", "kind", "venue", "people", "id", "room", "for")
"""The columns of the CSV and XLSX exports: those of ``show --format csv``, and who it is for."""


def entry_rows(
    problem: Problem, timetable: Timetable, *, person: str | None = None
) -> list[dict[str, str]]:
    """Every entry as a row of text cells: an empty start for an untimed item, an empty end
    for an item with no printed end and for a deadline (whose kind is ``deadline``)."""
    from ..clock import format_hhmm

    rows = []
    for entry in entries(problem, timetable, person=person):
        rows.append(
            {
                "date": entry.date.isoformat(),
                "start": "" if entry.start is None else format_hhmm(entry.start),
                "end": "" if entry.end is None else format_hhmm(entry.end),
                "title": entry.title,
                "kind": entry.kind,
                "venue": where(problem, entry),
                "people": "; ".join(entry_people(problem, entry)),
                "id": entry.id,
                "room": entry.room or "",
                "for": for_whom(problem, entry),
            }
        )
    return rows


def day_label_of(problem: Problem, index: int) -> str:
    """What the printed programme calls the day ("Day 1"), or "" when it gives no name."""
    return problem.programme.days[index].label or ""


NO_VENUE = "No fixed place"
"""Where a venue-less activity (free time) happens, in formats that need a place name."""


def place_name(problem: Problem, placement: Placement) -> str:
    """The venue's name, with the room's when one is set; ``NO_VENUE`` for free time."""
    if placement.venue is None:
        return NO_VENUE
    name = problem.venues[placement.venue].name
    room = room_name(problem, placement)
    return f"{name}, {room}" if room else name


def room_name(problem: Problem, placement: Placement) -> str | None:
    if placement.room is None or placement.venue is None:
        return None
    for room in problem.venues[placement.venue].rooms:
        if room.id == placement.room:
            return room.name
    return placement.room


def location(problem: Problem, placement: Placement) -> str:
    """Venue name, room and address: what a calendar's LOCATION or a map search wants."""
    if placement.venue is None:
        return ""
    venue = problem.venues[placement.venue]
    parts = [venue.name, room_name(problem, placement), venue.address]
    return ", ".join(part for part in parts if part)


Details = dict[str, tuple[str | None, str | None]]


def details(problem: Problem) -> Details:
    """(description, note) of every activity by id; a bus ride's note is its leg's note.

    Compiled items do not keep the file's descriptions and notes; build this once per export.
    """
    from ..loading import ride_ids

    result: Details = {a.id: (a.description, a.note) for a in problem.programme.all_activities()}
    for leg in problem.programme.transport:
        for ride in ride_ids(leg):
            result[ride] = (None, leg.note)
    return result


def transport_note(problem: Problem, notes: Details, item: Item) -> str | None:
    """The note of the transport leg that takes the group to ``item`` (None without one)."""
    if item.leg is None or item.leg not in problem.legs:
        return None
    return notes.get(problem.items[problem.legs[item.leg].out].id, (None, None))[1]


# --- time ------------------------------------------------------------------------------------


def zone(problem: Problem) -> ZoneInfo:
    """The course's time zone (``course.timezone``), or an error that names the field."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = problem.programme.course.timezone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ProgrammeError(
            f"unknown time zone {name!r}; expected an IANA name like 'Europe/Madrid'",
            file=problem.source.file,
            line=problem.source.line(("course", "timezone")),
            field="course.timezone",
        ) from None


def local_datetime(problem: Problem, date: dt.date, minutes: int) -> dt.datetime:
    """The aware local date-time of ``minutes`` after midnight on ``date`` (24:00 is next day)."""
    midnight = dt.datetime.combine(date, dt.time(0, 0))
    return (midnight + dt.timedelta(minutes=minutes)).replace(tzinfo=zone(problem))


def _source_date_epoch() -> dt.datetime | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC) if epoch.isdigit() else None


def export_time() -> dt.datetime:
    """When this export is made, to the second (UTC): ``SOURCE_DATE_EPOCH`` when set, else now.

    For the stamps a reader acts on: a calendar client orders an event's revisions by its ICS
    ``DTSTAMP``, so a made-up date there would be a lie that clients believe."""
    return _source_date_epoch() or dt.datetime.now(dt.UTC).replace(microsecond=0)


def generated_at(problem: Problem) -> dt.datetime:
    """The creation time written into file metadata no program acts on (XLSX properties):
    ``SOURCE_DATE_EPOCH`` when set, else midnight UTC of the course's first day, so the same
    timetable gives the same bytes (see the module docstring)."""
    first = min(problem.dates)
    return _source_date_epoch() or dt.datetime.combine(first, dt.time(0, 0), tzinfo=dt.UTC)


# --- spreadsheets ----------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading ``'``."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


# --- colours ---------------------------------------------------------------------------------

KIND_COLOURS: dict[str, str] = {
    Kind.WELCOME: "#9ecae1",
    Kind.ICE_BREAKER: "#c6dbef",
    Kind.GUEST_TALK: "#3182bd",
    Kind.QA: "#6baed6",
    Kind.COFFEE_BREAK: "#fdd49e",
    Kind.SKILLS_SESSION: "#31a354",
    Kind.CASE_STUDY: "#74c476",
    Kind.PARTICIPANTS_FLOOR: "#a1d99b",
    Kind.WRAP_UP: "#bdbdbd",
    Kind.LUNCH: "#fd8d3c",
    Kind.SITE_VISIT: "#de2d26",
    Kind.NETWORKING: "#fb6a4a",
    Kind.CLOSING: "#756bb1",
    Kind.CERTIFICATES: "#9e9ac8",
    Kind.GROUP_PICTURE: "#bcbddc",
    Kind.FREE_TIME: "#f0f0f0",
    Kind.TRANSPORT: "#636363",
    Kind.TALK: "#08519c",
    Kind.WORKSHOP: "#006d2c",
    Kind.OTHER: "#d9d9d9",
}
"""One colour per built-in kind, shared by the week view, the HTML programme and the frab
tracks; a kind the file declares takes its category's colour."""

CATEGORY_COLOURS: dict[Category, str] = {
    Category.CONTENT: "#6baed6",
    Category.BREAK: "#fdd49e",
    Category.MEAL: "#fd8d3c",
    Category.FREE: "#f0f0f0",
    Category.SOCIAL: "#fb6a4a",
    Category.VISIT: "#de2d26",
    Category.TRAVEL: "#636363",
    Category.CEREMONY: "#756bb1",
    Category.ADMIN: "#bdbdbd",
}


def kind_colour(problem: Problem, kind: str) -> str:
    """A built-in kind's own colour (while it keeps its category), else its category's."""
    info = problem.kinds.get(kind)
    builtin = BUILTIN_KINDS.get(kind)
    if kind in KIND_COLOURS and (
        info is None or builtin is None or info.category == builtin.category
    ):
        return KIND_COLOURS[kind]
    return CATEGORY_COLOURS[info.category] if info is not None else KIND_COLOURS["other"]


def ink(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (``#rrggbb``)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "#ffffff"
