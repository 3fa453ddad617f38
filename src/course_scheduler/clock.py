"""Clock times and time ranges as planners write them ("9:00", "9:00 - 9:20", "9:00am - 1:00pm",
"from 17:30").

Everything inside the library counts whole minutes after midnight; this module is the only
place that turns the printed form into minutes and back, so every error about a time says
the same thing in the same words.

Printed programmes use both clocks. A 24-hour time is "H:MM" or "H.MM" (with an optional "h",
as in "17.00h"). A 12-hour time carries "am" or "pm" ("9am", "1:30 pm", "12:00p.m."): 12am is
midnight, 12pm noon. In a range only one end often says which half of the day it is in
("9:00-1:00pm", "1:00-9:00pm"): the other end takes the same half unless that makes the range
end before it starts, in which case it is in the other half ("9:00-12:00pm" is 9am to noon).
A range that still ends before it starts is refused with what was probably meant; "12:00am"
after a morning start ("10:30-12:00am") is the classic slip for noon, and is refused rather
than read as a thirteen-hour session to midnight (after an evening start it is midnight, 24:00).

An activity's time may have no printed end ("11:00 -", "from 17:30"): an ``OpenStart``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CLOCK = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(?:([ap])\.?\s*m\.?)?\s*$", re.IGNORECASE)
_RANGE_SPLIT = re.compile(r"\s*[-–—]\s*")
_FROM = re.compile(r"^\s*from\s+(.+?)\s*$", re.IGNORECASE)
_OPEN = re.compile(r"^\s*(.+?)\s*[-–—]\s*$")

CLOCK_HINT = "a time like 9:00, 13:15 or 1:15pm (hours 0-24, minutes 00-59)"
RANGE_HINT = (
    "a range like '9:00 - 9:20' or '9:00am - 1:00pm' (start before end, hours 0-24, minutes 00-59)"
)
OPEN_HINT = "a range like '9:00 - 9:20', or '17:30 -' or 'from 17:30' for an item with no end"

NOON, DAY = 12 * 60, 24 * 60


@dataclass(frozen=True)
class _Reading:
    """One printed time before the range decides its half of the day."""

    hours: int
    minutes: int
    half: str | None
    """'a' or 'p' when the text says am or pm."""
    text: str

    def minutes_in(self, half: str | None) -> int:
        if half is None:
            return self.hours * 60 + self.minutes
        return (self.hours % 12 + (12 if half == "p" else 0)) * 60 + self.minutes


def _read(text: str) -> _Reading:
    cleaned = text.strip()
    if cleaned[-1:] in ("h", "H") and not cleaned[:-1].rstrip().lower().endswith(("a", "p")):
        cleaned = cleaned[:-1]
    match = _CLOCK.match(cleaned)
    if not match or (match.group(2) is None and match.group(3) is None):
        raise ValueError(f"{text!r} is not {CLOCK_HINT}")
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    half = match.group(3).lower() if match.group(3) else None
    if minutes > 59:
        raise ValueError(f"{text!r} has minutes {minutes}; expected {CLOCK_HINT}")
    if half is not None and not 1 <= hours <= 12:
        raise ValueError(
            f"{text!r} has hour {hours} with am/pm; a 12-hour time has hours 1 to 12 "
            f"(write {hours}:{minutes:02d} without am/pm for the 24-hour clock)"
        )
    if hours > 24 or (hours == 24 and minutes):
        raise ValueError(f"{text!r} has hour {hours}; expected {CLOCK_HINT}")
    return _Reading(hours, minutes, half, text.strip())


def parse_clock(text: str) -> int:
    """Minutes after midnight for "H:MM", "H.MM" (as in the printed "17.00h") or a 12-hour
    "H:MMam" / "Hpm"; "12:00am" is midnight, 0:00."""
    reading = _read(text)
    return reading.minutes_in(reading.half)


def format_clock(minutes: int) -> str:
    """ "H:MM" for minutes after midnight; the printed programme uses no leading zero."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def format_hhmm(minutes: int) -> str:
    """ "HH:MM", the machine-friendly form used in CSV and JSON output."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _twelve(minutes: int) -> str:
    """ "10:30am", "12:00pm": how a 12-hour programme writes a time."""
    hours = minutes // 60 % 24
    suffix = "am" if hours < 12 else "pm"
    return f"{hours % 12 or 12}:{minutes % 60:02d}{suffix}"


def _other(half: str) -> str:
    return "a" if half == "p" else "p"


def _range_minutes(text: str, first: _Reading, second: _Reading) -> tuple[int, int]:
    """The two ends of a range in minutes, each end's half of the day decided (see the module
    docstring); a range that cannot be read so that it ends after it starts is refused."""
    if first.half is None and second.half is None:
        start, end = first.minutes_in(None), second.minutes_in(None)
        if end <= start:
            raise ValueError(f"{text!r} ends before it starts; expected {RANGE_HINT}")
        return start, end
    if second.half == "a" and second.hours == 12:  # "12:00am" as an end: midnight
        start = first.minutes_in(first.half or "a")
        if first.half == "p" and second.minutes == 0:
            return start, DAY
        noon = NOON + second.minutes
        meant = f": did you mean '{_twelve(start)} - {_twelve(noon)}'?" if noon > start else ""
        raise ValueError(
            f"{text!r} ends at {second.text}, which is {format_clock(second.minutes)} at night, "
            "before it starts; "
            f"noon is 12:{second.minutes:02d}pm{meant}"
        )
    if first.half is not None and second.half is not None:
        halves = [(first.half, second.half)]
    elif second.half is not None:  # "9:00-1:00pm": the start takes the end's half, or the other
        halves = [(second.half, second.half), (_other(second.half), second.half)]
    else:
        assert first.half is not None
        halves = [(first.half, first.half), (first.half, _other(first.half))]
    for start_half, end_half in halves:
        start, end = first.minutes_in(start_half), second.minutes_in(end_half)
        if end > start:
            return start, end
    start, end = first.minutes_in(halves[0][0]), second.minutes_in(halves[0][1])
    raise ValueError(
        f"{text!r} ends before it starts ({_twelve(start)} to {_twelve(end)}); "
        f"expected {RANGE_HINT}"
    )


@dataclass(frozen=True, order=True)
class TimeRange:
    """A half-open span of a day [start, end) in minutes after midnight."""

    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> TimeRange:
        if _FROM.match(text) or _OPEN.match(text):
            raise ValueError(f"{text!r} has no end; a window needs one: expected {RANGE_HINT}")
        parts = _RANGE_SPLIT.split(text.strip())
        if len(parts) != 2:
            raise ValueError(f"{text!r} is not {RANGE_HINT}")
        return cls(*_range_minutes(text, _read(parts[0]), _read(parts[1])))

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end

    def __str__(self) -> str:
        return f"{format_clock(self.start)} - {format_clock(self.end)}"


@dataclass(frozen=True, order=True)
class OpenStart:
    """A start with no printed end ("11:00 -", "from 17:30"): how long it lasts is read from
    what follows it (``compile`` and ``timetable.published_timetable``), never invented."""

    start: int

    def __str__(self) -> str:
        return f"from {format_clock(self.start)}"


def parse_time(text: str) -> TimeRange | OpenStart:
    """An activity's printed time: a range, or a start with no end ("11:00 -", "from 17:30")."""
    match = _FROM.match(text) or _OPEN.match(text)
    if match is not None and not _RANGE_SPLIT.search(match.group(1)):
        return OpenStart(parse_clock(match.group(1)))
    try:
        return TimeRange.parse(text)
    except ValueError as exc:
        if _RANGE_SPLIT.search(text.strip()) is None and _CLOCK.match(text.strip()):
            raise ValueError(
                f"{text!r} has no end; write {text.strip()!r} with its end "
                f"('{text.strip()} - ...'), or '{text.strip()} -' or 'from {text.strip()}' "
                "for an item with no printed end"
            ) from None
        raise exc from None
