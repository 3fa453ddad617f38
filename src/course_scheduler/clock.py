"""Clock times and time ranges as planners write them ("9:00", "9:00 - 9:20").

Everything inside the library counts whole minutes after midnight; this module is the only
place that turns the printed form into minutes and back, so every error about a time says
the same thing in the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CLOCK = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
_RANGE_SPLIT = re.compile(r"\s*[-–—]\s*")

CLOCK_HINT = "a time like 9:00 or 13:15 (hours 0-24, minutes 00-59)"
RANGE_HINT = "a range like '9:00 - 9:20' (start before end, hours 0-24, minutes 00-59)"


def parse_clock(text: str) -> int:
    """Minutes after midnight for "H:MM" (also "H.MM", as in the printed "17.00h")."""
    cleaned = text.strip().rstrip("hH")
    match = _CLOCK.match(cleaned)
    if not match:
        raise ValueError(f"{text!r} is not {CLOCK_HINT}")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59:
        raise ValueError(f"{text!r} has minutes {minutes}; expected {CLOCK_HINT}")
    if hours > 24 or (hours == 24 and minutes):
        raise ValueError(f"{text!r} has hour {hours}; expected {CLOCK_HINT}")
    return hours * 60 + minutes


def format_clock(minutes: int) -> str:
    """ "H:MM" for minutes after midnight; the printed programme uses no leading zero."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def format_hhmm(minutes: int) -> str:
    """ "HH:MM", the machine-friendly form used in CSV and JSON output."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, order=True)
class TimeRange:
    """A half-open span of a day [start, end) in minutes after midnight."""

    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> TimeRange:
        parts = _RANGE_SPLIT.split(text.strip())
        if len(parts) != 2:
            raise ValueError(f"{text!r} is not {RANGE_HINT}")
        start, end = parse_clock(parts[0]), parse_clock(parts[1])
        if end <= start:
            raise ValueError(f"{text!r} ends before it starts; expected {RANGE_HINT}")
        return cls(start, end)

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end

    def __str__(self) -> str:
        return f"{format_clock(self.start)} - {format_clock(self.end)}"
