"""The result: where and when every activity happens, a pandas view of it, and a diff.

A ``Timetable`` is plain data (no solver, no pandas until asked), so the check path can use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .clock import format_hhmm

if TYPE_CHECKING:
    import pandas as pd

    from .compile import Item, Problem
    from .structure import OpenEnd

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


def new_placement(
    date: dt.date, start: int, end: int, activity: str, venue: str | None, room: str | None
) -> Placement:
    """The same as ``Placement(date, start, end, activity, venue, room)``, made in one step: a
    frozen dataclass's constructor sets its fields one by one through ``object.__setattr__``,
    and a solve's first timetable of 10,000 talks spent 15-30 ms on them (its check: about
    0.25 s). ``tests/test_checker_reading.py`` holds the two ways to agree."""
    placement = object.__new__(Placement)
    object.__setattr__(
        placement,
        "__dict__",
        {
            "date": date,
            "start": start,
            "end": end,
            "activity": activity,
            "venue": venue,
            "room": room,
        },
    )
    return placement


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
                    "kind": item.kind,
                    "venue": venue,
                    "people": people,
                    "id": p.activity,
                    "room": p.room or "",
                }
            )
        return rows

    def to_frame(self, problem: Problem) -> pd.DataFrame:
        """One row per placed activity, in time order: ``date``, ``start`` and ``end`` (aware
        date-times in the programme's time zone), ``minutes``, ``title``, ``kind`` (a
        category), ``venue`` and ``room`` (None where there is none), ``people`` (a list of
        names) and ``id`` (imports pandas)."""
        from .frames import timetable_frame

        return timetable_frame(problem, self)

    def diff(self, other: Timetable) -> list[Change]:
        """What moves from ``self`` (the reference) to ``other``, activity by activity."""
        changes = []
        for ident in sorted(set(self.placements) | set(other.placements)):
            old, new = self.placements.get(ident), other.placements.get(ident)
            if old != new:
                changes.append(Change(ident, old, new))
        return changes


@dataclass(frozen=True)
class Shift:
    """How one activity moves between two timetables, as a planner counts it: the time of
    day within a day, a change of day apart, a change of venue apart. The repair objective
    minimises exactly these quantities (``solver.solve._stability``)."""

    activity: str
    old: Placement
    new: Placement

    @property
    def days(self) -> int:
        """Days later (negative: earlier)."""
        return (self.new.date - self.old.date).days

    @property
    def minutes(self) -> int:
        """Minutes between the two times of day."""
        return abs(self.new.start - self.old.start)

    @property
    def moved(self) -> bool:
        return self.days != 0 or self.minutes != 0

    @property
    def venue_changed(self) -> bool:
        return self.old.venue != self.new.venue

    @property
    def room_changed(self) -> bool:
        return self.old.room != self.new.room


def shifts(reference: Timetable, timetable: Timetable, ids: Iterable[str]) -> list[Shift]:
    """The shift of every activity of ``ids`` placed in both timetables, in time order."""
    found = []
    for ident in ids:
        old, new = reference.get(ident), timetable.get(ident)
        if old is not None and new is not None:
            found.append(Shift(ident, old, new))
    return sorted(found, key=lambda s: (s.new, s.activity))


@dataclass(frozen=True)
class Change:
    activity: str
    old: Placement | None
    new: Placement | None

    @property
    def shift(self) -> Shift | None:
        if self.old is None or self.new is None:
            return None
        return Shift(self.activity, self.old, self.new)

    @property
    def minutes_moved(self) -> int:
        """Minutes of time-of-day shift (a change of day is counted apart, by ``shift``)."""
        shift = self.shift
        return 0 if shift is None else shift.minutes

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
    """The timetable the file itself states: every activity with a fixed time on a fixed day.

    An activity with a fixed time but a choice of venues or rooms is placed too (it is part of
    the published day, and exports must show it): at the candidate venue where getting there
    from the group's previous activity and on to its next takes least extra time (ties: the
    day's venue, then the order the file lists them), in the first listed room there that is
    free then. ``open_choices`` names these activities, for the report.

    An activity with no printed end (``open_end``) lasts as ``structure`` reads it: until
    what follows it, at least its ``duration`` when the file gives one (then it may overlap,
    or leave too little time to travel, as the file says). ``open_ends`` gives these
    readings, for the report."""
    lengths = open_ends(problem)
    placements: dict[str, Placement] = {}
    undecided = []
    for item in problem.items:
        day = _day(item)
        if item.fixed_start is None or day is None:
            continue
        venues = _venues(item, day)
        if len(venues) != 1 or len(item.rooms) > 1:
            undecided.append(item)
            continue
        placements[item.id] = _placement(problem, item, venues[0], item.rooms[:1], lengths)
    for item in undecided:
        venue = _likeliest_venue(problem, item, placements, lengths)
        rooms = [r for r in item.rooms if problem.room_venue.get(r) == venue]
        placement = _placement(problem, item, venue, rooms, lengths)
        placements[item.id] = _placement(
            problem, item, venue, _free_rooms(placement, rooms, placements), lengths
        )
    return Timetable(placements)


def _venues(item: Item, day: int) -> list[str | None]:
    return list(dict.fromkeys(v for d, v in item.options if d == day))


def _day(item: Item) -> int | None:
    """The day a time given in the file is on: its only day, or the day it is listed on."""
    if len(item.days) == 1:
        return item.days[0]
    return item.home_day if item.home_day in item.days else None


def pattern_timetable(problem: Problem) -> Timetable | None:
    """The file's usual times, when it has activities with a time that is not pinned (a
    template made from the last edition): a solve stays as close to them as it can."""
    if not any(i.fixed_start is not None and not i.pinned for i in problem.items):
        return None
    return published_timetable(problem)


def open_ends(problem: Problem) -> dict[str, OpenEnd]:
    """The reading of every published activity with no printed end (``structure``): against
    the neighbours the file prints, where a place left to a choice is not known yet."""
    from .structure import read_open_ends

    if not any(item.open_end for item in problem.items):
        return {}
    return read_open_ends(problem, _printed(problem), published=True)


def _printed(problem: Problem) -> Timetable:
    """Every activity the file gives a time on a day, at its start and printed length (an open
    end at its least), at its venue when it has only one: what an open end is read against."""
    placements = {}
    for item in problem.items:
        day = _day(item)
        if item.fixed_start is None or day is None:
            continue
        venues = _venues(item, day)
        placements[item.id] = Placement(
            date=problem.dates[day],
            start=item.fixed_start,
            end=item.fixed_start + (item.fixed_length or item.duration),
            activity=item.id,
            venue=venues[0] if len(venues) == 1 else None,
        )
    return Timetable(placements)


def _end_of(item: Item, lengths: dict[str, OpenEnd]) -> int:
    assert item.fixed_start is not None
    known = lengths.get(item.id)
    return item.fixed_start + (known.length if known else item.fixed_length or item.duration)


def open_choices(problem: Problem) -> list[Item]:
    """Activities with a fixed time whose venue or room the file leaves to a choice."""
    return [
        item
        for item in problem.items
        if item.fixed_start is not None
        and _day(item) is not None
        and (len(_venues(item, _day(item) or 0)) != 1 or len(item.rooms) > 1)
    ]


def _placement(
    problem: Problem,
    item: Item,
    venue: str | None,
    rooms: Sequence[str],
    lengths: dict[str, OpenEnd],
) -> Placement:
    assert item.fixed_start is not None
    day = _day(item)
    assert day is not None
    return Placement(
        date=problem.dates[day],
        start=item.fixed_start,
        end=_end_of(item, lengths),
        activity=item.id,
        venue=venue,
        room=rooms[0] if rooms else None,
    )


def _likeliest_venue(
    problem: Problem, item: Item, placed: dict[str, Placement], lengths: dict[str, OpenEnd]
) -> str | None:
    assert item.fixed_start is not None
    day = _day(item)
    assert day is not None
    date, start, end = problem.dates[day], item.fixed_start, _end_of(item, lengths)
    mine = set(item.groups)
    around = [
        p
        for ident, p in placed.items()
        if p.date == date and p.venue is not None and mine & set(problem.item(ident).groups)
    ]
    before = max((p for p in around if p.end <= start), key=lambda p: p.end, default=None)
    after = min((p for p in around if p.start >= end), key=lambda p: p.start, default=None)
    default = problem.day_venues[day]
    venues = _venues(item, day)

    def cost(venue: str | None) -> tuple[int, bool, int]:
        extra = 0
        if before is not None:
            extra += max(0, problem.travel_minutes(before.venue, venue) - (start - before.end))
        if after is not None:
            extra += max(0, problem.travel_minutes(venue, after.venue) - (after.start - end))
        return extra, venue != default, venues.index(venue)

    return min(venues, key=cost)


def _free_rooms(placement: Placement, rooms: list[str], placed: dict[str, Placement]) -> list[str]:
    """``rooms`` with those already taken at the placement's time moved to the end."""
    busy = {
        p.room
        for p in placed.values()
        if p.room
        and p.date == placement.date
        and p.start < placement.end
        and placement.start < p.end
    }
    return sorted(rooms, key=lambda r: r in busy)
