"""What a careful planner asks about a published programme beyond its rules.

Rules are the planner's requirements, with two readings each. These are questions about the
file itself that no requirement states: an item printed with no end, an item with no time at
all, two items printed at the same start with nothing to say they run side by side, a bus or a
walk to a place with no address, a speaker with no name or only a first name, a return whose
time is not printed, the two directions of one road that disagree by much. They are told as
notes (``info``) or, where something is probably wrong, warnings; none is an error, none
depends on the solver, and ``checking`` asks them only of the file's own timetable.

Plain Python on the compiled problem: the check path reads this module.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from operator import attrgetter

from .clock import format_clock
from .compile import Item, Problem, exempt_pair
from .model import Status
from .rules.base import Finding, Level, quote, when
from .structure import OpenEnd
from .text import MONTHS as MONTH_NAMES
from .text import WEEKDAYS as DAY_NAMES
from .text import hours, plural
from .timetable import Placement, Timetable, open_ends
from .vocabulary import Category

OBSERVATIONS: dict[str, tuple[Level, str]] = {
    "choice": (
        Level.INFO,
        "An activity with a fixed time and a choice of venues or rooms is checked where it fits "
        "best.",
    ),
    "open-end": (
        Level.INFO,
        "An item printed with a start and no end is read as lasting until what follows it.",
    ),
    "untimed": (Level.INFO, "An item with no time is listed with its day; no rule checks it."),
    "same-start": (
        Level.WARNING,
        "Two items of one group printed at the same start are a block and its part, or for "
        "different groups.",
    ),
    "no-address": (
        Level.INFO,
        "Every place a bus or a walk leads to, every visit's place, and every place an activity "
        "is held away from its day's venue (a concert hall, a restaurant) has an address.",
    ),
    "unnamed": (Level.INFO, "Every speaker is named."),
    "first-name": (Level.INFO, "Every speaker is named in full."),
    "no-return-time": (Level.INFO, "Every return ride has a time."),
    "directions": (
        Level.WARNING,
        "The two directions of one road take about as long (within 30 minutes or a quarter).",
    ),
    "weekday": (
        Level.WARNING,
        "A day's label names the weekday and the date the day has ('Friday 1 March' is a Friday).",
    ),
}
"""The observations by rule id: the level of their findings and what they ask of a file."""

DISAGREE_MINUTES = 30
DISAGREE_RATIO = 1.25
"""Two directions of one road disagree "by much" when they differ by at least 30 minutes and
the longer takes at least a quarter more than the shorter."""


def observations(problem: Problem, timetable: Timetable) -> Iterator[Finding]:
    """Every observation about the file's own timetable, in a stable order."""
    yield from _open_ends(problem, timetable)
    yield from _untimed(problem)
    yield from _same_start(problem, timetable)
    yield from _no_address(problem, timetable)
    yield from _people(problem, timetable)
    yield from _returns(problem)
    yield from _directions(problem)
    yield from _weekdays(problem)


def _note(
    problem: Problem,
    rule: str,
    message: str,
    activities: tuple[str, ...],
    placement: Placement | None,
    line: int | None,
    level: Level = Level.INFO,
    groups: tuple[str, ...] = (),
    compared: tuple[int, int] | None = None,
) -> Finding:
    """``compared``: the two lengths in minutes a note sets side by side (this one as
    ``actual``, the one it is compared with as ``limit``)."""
    return Finding(
        rule=rule,
        kind=rule,
        level=level,
        message=message,
        activities=activities,
        date=placement.date if placement else None,
        start=placement.start if placement else None,
        end=placement.end if placement else None,
        file=problem.source.file,
        line=line,
        groups=groups,
        limit=None if compared is None else compared[1],
        actual=None if compared is None else compared[0],
        unit=None if compared is None else "minutes",
    )


def _open_ends(problem: Problem, timetable: Timetable) -> Iterator[Finding]:
    readings = open_ends(problem)
    for item in problem.items:
        reading = readings.get(item.id)
        p = timetable.get(item.id)
        if reading is None or p is None:
            continue
        yield _note(
            problem,
            "open-end",
            f"{quote(item)} ({_day(p)} from {format_clock(p.start)}) has no printed end; "
            f"read as lasting {_until(problem, p, reading)}",
            (item.id,),
            p,
            item.line,
        )


def _day(p: Placement) -> str:
    return f"{p.date:%a} {p.date.day} {p.date:%b}"


def _until(problem: Problem, p: Placement, reading: OpenEnd) -> str:
    until = reading.until
    if reading.last:
        text = (
            f"its {plural(p.minutes, 'minute')}, until {format_clock(p.end)}: nothing of its "
            "groups follows it that day"
        )
    elif until is None:
        text = f"until the end of the day ({format_clock(p.end)})"
    elif reading.by_block:
        text = f"until its block {quote(until)} ends at {format_clock(p.end)}"
    else:
        assert reading.until_start is not None
        at = format_clock(reading.until_start)
        text = f"until {quote(until)} starts at {at}"
        if reading.travel:
            text = (
                f"until {format_clock(p.end)}, leaving {plural(reading.travel, 'minute')} to "
                f"get to {quote(until)} at {at}"
            )
        if reading.length > reading.reach:
            text = f"its {plural(p.minutes, 'minute')}, into the time before {quote(until)}"
    return text


def _untimed(problem: Problem) -> Iterator[Finding]:
    for untimed in problem.untimed:
        date = problem.dates[untimed.day]
        part = f" (printed: {untimed.part.value})" if untimed.part else ""
        title = untimed.title if len(untimed.title) <= 60 else untimed.title[:57].rstrip() + "..."
        yield Finding(
            rule="untimed",
            kind="untimed",
            level=Level.INFO,
            message=f"'{title}'{part} has no time; it is listed with its day and no rule "
            "can check it",
            activities=(untimed.id,),
            date=date,
            file=problem.source.file,
            line=untimed.line,
        )


def _same_start(problem: Problem, timetable: Timetable) -> Iterator[Finding]:
    """Two activities of one group printed at the same start, neither a part of the other's
    block: side by side (a block and its parts say so), or a slip. Only where the file keeps
    each group to one thing at a time (a ``no_overlap`` rule for groups)."""
    if not any(r.kind == "no_overlap" and r.resource == "group" for r in problem.rules):
        return
    starts: dict[tuple[object, int], list[tuple[Item, Placement]]] = defaultdict(list)
    for item in problem.items:
        p = timetable.get(item.id)
        if p is not None and item.groups and item.fixed_start is not None:
            starts[(p.date, p.start)].append((item, p))
    for (_, _), pairs in sorted(starts.items(), key=lambda x: (str(x[0][0]), x[0][1])):
        for k, (a, p) in enumerate(pairs):
            for b, _q in pairs[k + 1 :]:
                shared = set(a.groups) & set(b.groups)
                if not shared or exempt_pair(problem, a, b):
                    continue
                outer = tuple(
                    g
                    for g in problem.group_ids
                    if g in shared and not shared & set(problem.ancestors(g))
                )
                yield _note(
                    problem,
                    "same-start",
                    f"{quote(a)} and {quote(b)} both start at {format_clock(p.start)} on "
                    f"{_day(p)} for the same people, and neither is a part of the other: if "
                    "they run side by side, make them the parts of a block ('block'), or give "
                    "them the groups they are for",
                    (a.id, b.id),
                    p,
                    a.line,
                    Level.WARNING,
                    outer,
                )


def _no_address(problem: Problem, timetable: Timetable) -> Iterator[Finding]:
    """A bus or walk leads to a place that has no address, or an activity is at one away from
    its day's own place (a visit, a concert hall, a restaurant for dinner): how does anyone
    find it?"""
    told: set[str] = set()
    for leg in problem.legs.values():
        places: list[str | None] = [leg.destination]
        for index in leg.served:
            item = problem.items[index]
            places.extend(item.alternatives or item.venues)
        for place in dict.fromkeys(places):
            if place is None or problem.venues[place].address:
                continue
            told.add(place)
            out = problem.items[leg.out]
            p = timetable.get(out.id)
            name = problem.venues[place].name
            how = "walk" if leg.destination != place else "ride"
            yield _note(
                problem,
                "no-address",
                f"{leg.title} goes to {name}, which has no address (the {how} there, and "
                "where to meet, cannot be checked or found)",
                (out.id,),
                p,
                leg.line,
            )
    for item in problem.items:
        p = timetable.get(item.id)
        if p is None or item.online or item.ride is not None:
            continue
        day_venue = problem.day_venues[problem.day_of_date[p.date]]
        for place in item.alternatives or (p.venue,):
            if place is None or place in told or problem.venues[place].address:
                continue
            if item.category != Category.VISIT and place == day_venue:
                continue  # the day's own place: where everyone already is
            told.add(place)
            yield _note(
                problem,
                "no-address",
                f"{quote(item)} ({when(p)}) is at {problem.venues[place].name}, which has no "
                "address, and no bus or walk to it is given",
                (item.id,),
                p,
                item.line,
            )


_fields = attrgetter("date", "start", "end", "activity", "venue", "room")
"""A placement's fields in its order: a sort by them compares in C, where a sort by the
placements calls their ``__eq__`` and ``__lt__`` for each comparison (most of the time of
this note on 20,000 talks, and n log n of them)."""


def _people(problem: Problem, timetable: Timetable) -> Iterator[Finding]:
    """A speaker who is a role or a placeholder, or who is printed by first name only."""
    placed = [(item, timetable.get(item.id)) for item in problem.items]
    in_order = sorted(
        ((i, p) for i, p in placed if p is not None), key=lambda x: (*_fields(x[1]), x[0].index)
    )
    first: dict[str, tuple[Item, Placement]] = {}
    for item, p in in_order:
        for named in item.named:
            first.setdefault(named, (item, p))
    for ident, (item, p) in sorted(
        first.items(), key=lambda x: (x[1][1].date, x[1][1].start, x[0])
    ):
        person = problem.people[ident]
        if ident in problem.person_groups:
            continue
        if person.status == Status.UNNAMED:
            yield _note(
                problem,
                "unnamed",
                f"{quote(item)} ({when(p)}) has a speaker nobody has named yet ('{person.name}')",
                (item.id,),
                p,
                item.line,
            )
        elif len(person.name.split()) == 1 and person.published is None:
            # one name for someone an imported schedule lists is a handle, as conferences print
            yield _note(
                problem,
                "first-name",
                f"{person.name}, of {quote(item)} ({when(p)}), is printed by one name only; "
                "who is it?",
                (item.id,),
                p,
                item.line,
            )


def _returns(problem: Problem) -> Iterator[Finding]:
    for leg in problem.legs.values():
        if leg.back is None or problem.items[leg.back].fixed_start is not None:
            continue
        yield _note(
            problem,
            "no-return-time",
            f"{leg.title} has a return with no time: when is everyone back at "
            f"{problem.venues[leg.drop_offs[0]].name}?",
            (problem.items[leg.back].id,),
            None,
            leg.line,
        )


def _directions(problem: Problem) -> Iterator[Finding]:
    """One road, two directions that disagree by much: one-way travel links, and rides."""
    links: dict[tuple[str, str], tuple[int, int | None]] = {}
    for k, link in enumerate(problem.programme.travel):
        if link.one_way:
            links.setdefault(link.ends, (link.minutes, problem.source.line(("travel", k))))
    for (a, b), (minutes, line) in links.items():
        reverse = links.get((b, a))
        if reverse is not None and a < b and _disagree(minutes, reverse[0]):
            yield _note(
                problem,
                "directions",
                f"travel from {problem.venues[a].name} to {problem.venues[b].name} takes "
                f"{plural(minutes, 'minute')}, the other way {plural(reverse[0], 'minute')}",
                (),
                None,
                line,
                Level.WARNING,
                compared=(minutes, reverse[0]),
            )
    rides: list[tuple[str, str, int, Item]] = []
    for leg in problem.legs.values():
        out = problem.items[leg.out]
        rides.append((leg.origin, leg.destination, out.duration, out))
        if leg.back is not None:
            back = problem.items[leg.back]
            rides.append((leg.destination, leg.drop_offs[0], back.duration, back))
    seen: set[tuple[str, str]] = set()
    for k, (a, b, minutes, item) in enumerate(rides):
        for c, d, other, back in rides[k + 1 :]:
            if (c, d) != (b, a) or not _disagree(minutes, other) or (item.id, back.id) in seen:
                continue
            seen.add((item.id, back.id))
            yield _note(
                problem,
                "directions",
                f"{quote(item)} takes {hours(minutes)} from {problem.venues[a].name} to "
                f"{problem.venues[b].name}, but {quote(back)} {hours(other)} back",
                (item.id, back.id),
                None,
                item.line,
                Level.WARNING,
                compared=(minutes, other),
            )


def _disagree(one: int, other: int) -> bool:
    low, high = sorted((one, other))
    return high - low >= DISAGREE_MINUTES and high >= DISAGREE_RATIO * low


WEEKDAYS: dict[str, int] = {
    name: index
    for index, names in enumerate(
        [
            ("monday", "mon", "lunes", "lundi", "montag", "lunedì", "lunedi", "maanantai"),
            (
                "tuesday",
                "tue",
                "tues",
                "martes",
                "mardi",
                "dienstag",
                "martedì",
                "martedi",
                "tiistai",
            ),
            (
                "wednesday",
                "wed",
                "miércoles",
                "miercoles",
                "mercredi",
                "mittwoch",
                "mercoledì",
                "mercoledi",
                "keskiviikko",
            ),
            (
                "thursday",
                "thu",
                "thur",
                "thurs",
                "jueves",
                "jeudi",
                "donnerstag",
                "giovedì",
                "giovedi",
                "torstai",
            ),
            ("friday", "fri", "viernes", "vendredi", "freitag", "venerdì", "venerdi", "perjantai"),
            (
                "saturday",
                "sat",
                "sábado",
                "sabado",
                "samedi",
                "samstag",
                "sonnabend",
                "sabato",
                "lauantai",
            ),
            ("sunday", "sun", "domingo", "dimanche", "sonntag", "domenica", "sunnuntai"),
        ]
    )
    for name in names
}
"""Weekday names a printed day heading uses (English, with the usual abbreviations; Spanish,
French, German, Italian, Finnish), to the weekday's number (Monday 0)."""

MONTHS: dict[str, int] = {
    name: index + 1
    for index, names in enumerate(
        [
            ("january", "jan", "enero", "janvier", "januar", "gennaio", "tammikuuta"),
            (
                "february",
                "feb",
                "febrero",
                "février",
                "fevrier",
                "februar",
                "febbraio",
                "helmikuuta",
            ),
            ("march", "mar", "marzo", "mars", "märz", "maerz", "maaliskuuta"),
            ("april", "apr", "abril", "avril", "aprile", "huhtikuuta"),
            ("may", "mayo", "mai", "maggio", "toukokuuta"),
            ("june", "jun", "junio", "juin", "juni", "giugno", "kesäkuuta"),
            ("july", "jul", "julio", "juillet", "juli", "luglio", "heinäkuuta"),
            ("august", "aug", "agosto", "août", "aout", "elokuuta"),
            ("september", "sep", "sept", "septiembre", "septembre", "settembre", "syyskuuta"),
            ("october", "oct", "octubre", "octobre", "oktober", "ottobre", "lokakuuta"),
            ("november", "nov", "noviembre", "novembre", "marraskuuta"),
            (
                "december",
                "dec",
                "diciembre",
                "décembre",
                "decembre",
                "dezember",
                "dicembre",
                "joulukuuta",
            ),
        ]
    )
    for name in names
}
"""Month names as printed in a day heading, to the month's number."""

_TOKEN = re.compile(r"\d+|[^\W\d_]+")


def _weekdays(problem: Problem) -> Iterator[Finding]:
    """A day's label that names another weekday, or another day of the month, than its date
    ("Friday 1st March" on Sunday 3 March): a slip of the printed programme, or a label
    carried over from another edition."""
    for index, day in enumerate(problem.programme.days):
        label = day.label
        if not label:
            continue
        said: list[str] = []
        printed = _day_of_month(label)
        tokens = [t.casefold() for t in _TOKEN.findall(label)]
        # "Sun", "Sat", "Wed" are words too: an abbreviation counts beside a printed date only
        named = {
            WEEKDAYS[t] for t in tokens if t in WEEKDAYS and (len(t) > 4 or printed is not None)
        }
        if named and day.date.weekday() not in named:
            said.append(f"a {DAY_NAMES[min(named)]}")
        if printed is not None and printed != (day.date.day, day.date.month):
            said.append(f"{printed[0]} {MONTH_NAMES[printed[1] - 1]}")
        if not said:
            continue
        date = f"{DAY_NAMES[day.date.weekday()]} {day.date.day} {MONTH_NAMES[day.date.month - 1]}"
        yield Finding(
            rule="weekday",
            kind="weekday",
            level=Level.WARNING,
            message=f"the day labelled '{label}' is {date} {day.date.year}, but its label says "
            + " and ".join(said),
            date=day.date,
            file=problem.source.file,
            line=problem.source.line(("days", index, "label")),
        )


def _day_of_month(label: str) -> tuple[int, int] | None:
    """The (day, month) a heading prints: "1st March", "1 de marzo", "March 1", "24 Aug"; the
    number and the month side by side, so "Day 3 (may change)" prints none."""
    for pattern, day_group, month_group in ((_DAY_FIRST, 1, 2), (_MONTH_FIRST, 2, 1)):
        for match in pattern.finditer(label):
            month = MONTHS.get(match.group(month_group).casefold())
            number = int(match.group(day_group))
            if month is not None and 1 <= number <= 31:
                return number, month
    return None


_DAY_FIRST = re.compile(
    r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\.?\s*(?:(?:of|de)\s+)?([^\W\d_]+)", re.IGNORECASE
)
_MONTH_FIRST = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?!\d)", re.IGNORECASE)
