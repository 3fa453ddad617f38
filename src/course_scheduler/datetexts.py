"""Dates a text names ("Barcelona, 18th to 22nd November 2024", "confirm on Monday 18",
"11-16 June 2023", "7. - 13.10.2018", "2025-11-17"), found and moved with an edition.

A new edition moves every date of the programme by the same number of days; the texts must
follow, or the subtitle still gives last year's dates and a lunch asks for a confirmation on
a Monday that is now a Sunday. ``move_dates`` finds the dates a text names, in the forms
programmes print (English month and weekday names, full or short, with or without ordinal
suffixes and years; day ranges sharing a month; ISO dates; dotted day.month.year), reads a
date without a year as the one nearest the edition and a weekday with a day ("Monday 18") as
the date near the edition that has both, and writes each moved date back in the form it was
written in. A year printed alone (the edition's "2024") moves too. Each date found is
reported with whether it is one of the edition's own days: another date (an exhibition's
dates) is moved but needs a person to check it. A date more than a year from the edition's
days is not of its calendar (a decree of 10.11.2011 in a 2024 talk's abstract, a founding
date): it stays as written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .text import MONTHS, WEEKDAYS

_MONTHS = tuple(name.lower() for name in MONTHS)
_WEEKDAYS = tuple(name.lower() for name in WEEKDAYS)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAY = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|Mon|Tues|Tue|Wed|Thurs|Thu|Fri|Sat|Sun)\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|2\d\d\d)"
_TO = r"\s*(?:-|–|—|to|until|till|and)\s*"
_DATE_FORMS = [
    rf"(?P<iso>\b{_YEAR}-[01]\d-[0-3]\d\b)",
    rf"(?P<dotted>\b(?:(?:[12]\d|3[01]|0?[1-9])\.{_TO})?(?:[12]\d|3[01]|0?[1-9])\.[01]?\d\.{_YEAR}\b)",
    rf"(?P<dmy>\b(?:{_WEEKDAY},?\s+)?(?:{_DAY}{_TO})?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b)",
    rf"(?P<mdy>\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}(?:{_TO}{_DAY})?(?:,?\s+{_YEAR})?\b)",
    rf"(?P<wd>\b{_WEEKDAY},?\s+{_DAY}\b)",
]
_DATES = re.compile("|".join(_DATE_FORMS), re.IGNORECASE)
_PART = re.compile(
    rf"(?P<weekday>{_WEEKDAY})|(?P<month>{_MONTH})|(?P<year>{_YEAR})|(?P<day>\d{{1,2}})(?P<suffix>st|nd|rd|th)?",
    re.IGNORECASE,
)
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_LONE_YEAR = re.compile(rf"\b{_YEAR}\b")
NEAR_DAYS = 200
"""A date printed without its year or month is the one within this many days of the edition."""
CALENDAR_DAYS = 366
"""A date further than this from the edition's days is history (or far ahead), not a date of
the edition's calendar: it is not moved."""


@dataclass(frozen=True)
class Moved:
    """One date (or range, or year) a text names, and what it became."""

    old: str
    new: str
    dates: tuple[dt.date, ...]
    """The dates it named (none for a year printed alone)."""
    own: bool
    """Every date it names is a day of the edition (nothing to check)."""


def move_dates(text: str, shift: dt.timedelta, days: list[dt.date]) -> tuple[str, list[Moved]]:
    """``text`` with every date it names moved by ``shift``, and what was moved. ``days``:
    the edition's own days (before the move), which dates without a year or month are read
    near."""
    near = days[0]
    years = {d.year for d in days}
    delta_years = (days[0] + shift).year - days[0].year
    skip = [m.span() for m in _URL.finditer(text)]
    found: list[tuple[int, int, str, Moved]] = []
    matches = [m for m in _DATES.finditer(text) if not _inside(m.span(), skip)]
    for index, match in enumerate(matches):
        later = matches[index + 1] if index + 1 < len(matches) else None
        moved = _move(match, later, shift, near, set(days))
        if moved is not None and not _of_calendar(moved.dates, days):
            moved = Moved(moved.old, moved.old, moved.dates, False)
        if moved is not None:
            found.append((match.start(), match.end(), moved.new, moved))
    taken = [(start, end) for start, end, _, _ in found]
    for match in _LONE_YEAR.finditer(text):
        if _inside(match.span(), skip + taken) or int(match.group()) not in years:
            continue
        new = str(int(match.group()) + delta_years)
        found.append((match.start(), match.end(), new, Moved(match.group(), new, (), False)))
    found.sort()
    out, at = [], 0
    for start, end, new, _ in found:
        out.append(text[at:start] + new)
        at = end
    out.append(text[at:])
    return "".join(out), [m for _, _, _, m in found if m.old != m.new]


def _of_calendar(dates: tuple[dt.date, ...], days: list[dt.date]) -> bool:
    """Whether a date a text names is within a year of the edition's days (``CALENDAR_DAYS``)."""
    first, last = min(days), max(days)
    return all(
        first - dt.timedelta(days=CALENDAR_DAYS) <= d <= last + dt.timedelta(days=CALENDAR_DAYS)
        for d in dates
    )


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


def _move(
    match: re.Match[str],
    later: re.Match[str] | None,
    shift: dt.timedelta,
    near: dt.date,
    own: set[dt.date],
) -> Moved | None:
    """One date expression moved, written as it was; None when it names no real date."""
    text = match.group()
    if match.lastgroup == "iso":
        old = dt.date.fromisoformat(text)
        new = old + shift
        return Moved(text, new.isoformat(), (old,), old in own)
    parts = [p for p in _PART.finditer(text)]
    if match.lastgroup == "dotted":
        return _move_dotted(text, shift, own)
    months = [p for p in parts if p.group("month")]
    years = [p for p in parts if p.group("year")]
    days = [p for p in parts if p.group("day") and not p.group("year")]
    weekday = next((p for p in parts if p.group("weekday")), None)
    month = _month(months[0].group("month")) if months else None
    year = int(years[0].group("year")) if years else None
    if year is None and later is not None and later.start() - match.end() < 40:
        following = [p for p in _PART.finditer(later.group()) if p.group("year")]
        year = int(following[0].group("year")) if following else None
    dates = []
    for day in days:
        found = _date(int(day.group("day")), month, year, weekday, near)
        if found is None:
            return None
        dates.append(found)
    moved = [d + shift for d in dates]
    out = []
    at = 0
    for part in parts:
        out.append(text[at : part.start()])
        at = part.end()
        if part.group("weekday"):
            out.append(_weekday_like(part.group("weekday"), moved[0]))
        elif part.group("month"):
            out.append(_month_like(part.group("month"), moved[-1]))
        elif part.group("year"):
            out.append(str(moved[-1].year))
        else:
            index = days.index(part)
            value = moved[index]
            written = _day_like(part.group("day"), part.group("suffix"), value.day)
            if index == 0 and len(moved) > 1 and months and moved[0].month != moved[-1].month:
                written += " " + _month_like(months[0].group("month"), moved[0])
            out.append(written)
    out.append(text[at:])
    return Moved(text, "".join(out), tuple(dates), all(d in own for d in dates))


def _move_dotted(text: str, shift: dt.timedelta, own: set[dt.date]) -> Moved | None:
    """``13.10.2018``, ``7. - 13.10.2018``: day.month.year, a range sharing month and year."""
    numbers = re.findall(r"\d+", text)
    *first, day, month, year = (int(n) for n in numbers)
    try:
        last = dt.date(year, month, day)
        dates = [dt.date(year, month, first[0]), last] if first else [last]
    except ValueError:
        return None
    moved = [d + shift for d in dates]
    end = moved[-1]
    new = f"{_day_like(str(day), None, end.day)}.{_pad(str(month), end.month)}.{end.year}"
    if first:
        start = moved[0]
        head = (
            f"{start.day}."
            if (start.month, start.year) == (end.month, end.year)
            else (f"{start.day}.{start.month}.{start.year}")
        )
        separator = re.search(r"\.(\s*(?:-|–|—|to|until|till|and)\s*)", text)
        new = head + (separator.group(1) if separator else " - ") + new
    return Moved(text, new, tuple(dates), all(d in own for d in dates))


def _date(
    day: int, month: int | None, year: int | None, weekday: re.Match[str] | None, near: dt.date
) -> dt.date | None:
    """The date a day number names: with its month and year, or the nearest to ``near`` that
    fits what is printed (the weekday too, when there is one)."""
    wanted = _weekday(weekday.group("weekday")) if weekday is not None else None
    if month is not None and year is not None:
        try:
            found = dt.date(year, month, day)
        except ValueError:
            return None
        return found
    best: dt.date | None = None
    for offset in range(-NEAR_DAYS, NEAR_DAYS + 1):
        candidate = near + dt.timedelta(days=offset)
        if candidate.day != day or (month is not None and candidate.month != month):
            continue
        if year is not None and candidate.year != year:
            continue
        if wanted is not None and candidate.weekday() != wanted:
            continue
        if best is None or abs(offset) < abs((best - near).days):
            best = candidate
    return best


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(key[:3]))


def _weekday(name: str) -> int:
    key = name.lower().rstrip(".")
    return next(i for i, w in enumerate(_WEEKDAYS) if w.startswith(key[:3]))


def _month_like(written: str, date: dt.date) -> str:
    """The month of ``date`` written as ``written`` is: full or short, its case, its dot."""
    name = _MONTHS[date.month - 1]
    bare = written.rstrip(".")
    short = len(bare) <= 4 and name != bare.lower()
    word = (name[: len(bare)] if bare.lower() != "sept" else "sept") if short else name
    if short and bare.lower() == "sept" and date.month != 9:
        word = name[:3]
    return _case_like(bare, word) + ("." if written.endswith(".") else "")


def _weekday_like(written: str, date: dt.date) -> str:
    name = _WEEKDAYS[date.weekday()]
    bare = written.rstrip(".")
    word = name[: len(bare)] if len(bare) < len(_WEEKDAYS[_weekday(bare)]) else name
    return _case_like(bare, word) + ("." if written.endswith(".") else "")


def _case_like(written: str, word: str) -> str:
    if written.isupper() and len(written) > 1:
        return word.upper()
    if written[:1].isupper():
        return word.capitalize()
    return word


def _day_like(written: str, suffix: str | None, day: int) -> str:
    text = _pad(written, day)
    if suffix:
        ordinal = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        text += ordinal.upper() if suffix.isupper() else ordinal
    return text


def _pad(written: str, value: int) -> str:
    return f"{value:02d}" if len(written) == 2 and written.startswith("0") else str(value)
