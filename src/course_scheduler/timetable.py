"""The result: where and when every activity happens, a pandas view of it, and a diff.

A ``Timetable`` is plain data (no solver, no pandas until asked), so the check path can use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .clock import format_hhmm

if TYPE_CHECKING:
    import pandas as pd

    from .compile import Problem

COLUMNS = ("date", "start", "end", "title", "kind", "venue", "people", "id", "room")


@dataclass(frozen=True, order=True)
class Placement:
    """One activity at a date and time (minutes of the day), at a venue and maybe a room."""

    date: dt.date
    start: int
    end: int
    activity: str
    venue: str | None = None
    room: str | None = None

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass
class Timetable:
    """Placements by activity id; activities without a placement are not yet scheduled."""

    placements: dict[str, Placement]

    def __iter__(self) -> Iterator[Placement]:
        return iter(sorted(self.placements.values()))

    def __len__(self) -> int:
        return len(self.placements)

    def get(self, activity: str) -> Placement | None:
        return self.placements.get(activity)

    def rows(self, problem: Problem) -> list[dict[str, str]]:
        """One row per placed activity with the columns of ``show --format csv``."""
        rows = []
        for p in self:
            item = problem.item(p.activity)
            people = "; ".join(problem.people[x].name for x in item.people)
            venue = problem.venues[p.venue].name if p.venue else ""
            rows.append(
                {
                    "date": p.date.isoformat(),
                    "start": format_hhmm(p.start),
                    "end": format_hhmm(p.end),
                    "title": item.title,
                    "kind": item.kind.value,
                    "venue": venue,
                    "people": people,
                    "id": p.activity,
                    "room": p.room or "",
                }
            )
        return rows

    def to_frame(self, problem: Problem) -> pd.DataFrame:
        """The timetable as a DataFrame with the same columns as ``show --format csv``."""
        import pandas as pd

        return pd.DataFrame(self.rows(problem), columns=list(COLUMNS))

    def diff(self, other: Timetable) -> list[Change]:
        """What moves from ``self`` (the reference) to ``other``, activity by activity."""
        changes = []
        for ident in sorted(set(self.placements) | set(other.placements)):
            old, new = self.placements.get(ident), other.placements.get(ident)
            if old != new:
                changes.append(Change(ident, old, new))
        return changes


@dataclass(frozen=True)
class Change:
    activity: str
    old: Placement | None
    new: Placement | None

    @property
    def minutes_moved(self) -> int:
        if self.old is None or self.new is None:
            return 0
        days = (self.new.date - self.old.date).days
        return abs(days * 24 * 60 + self.new.start - self.old.start)

    def as_dict(self) -> dict[str, Any]:
        def side(p: Placement | None) -> dict[str, Any] | None:
            if p is None:
                return None
            return {
                "date": p.date.isoformat(),
                "start": format_hhmm(p.start),
                "end": format_hhmm(p.end),
                "venue": p.venue,
                "room": p.room,
            }

        return {"activity": self.activity, "old": side(self.old), "new": side(self.new)}


def published_timetable(problem: Problem) -> Timetable:
    """The timetable the file itself states: every activity with a fixed time on a fixed day."""
    placements: dict[str, Placement] = {}
    for item in problem.items:
        if item.fixed_start is None or len(item.days) != 1:
            continue
        venues = item.venues
        if len(venues) != 1:
            continue
        rooms = item.rooms
        placements[item.id] = Placement(
            date=problem.dates[item.days[0]],
            start=item.fixed_start,
            end=item.fixed_start + item.duration,
            activity=item.id,
            venue=venues[0],
            room=rooms[0] if len(rooms) == 1 else None,
        )
    return Timetable(placements)
