"""Local repairs (``reach: local``): what may move when a scenario hits a large programme.

A course re-plans every activity; a conference does not. When a room closes for a day at a
congress of a thousand events, the planner moves the events that were in it, and, only if
that cannot work, the events next to them; nobody reshuffles the other rooms. A local repair
says so explicitly, in two steps, each solved to the least disruption *within its freedom*:

1. **displaced**: the activities whose published placement the scenario breaks (a hard rule of
   the scenario's programme fails for them at their published time and room: a closed room,
   a person now away or doubly booked) may move; every other activity keeps its time and room.
2. **neighbours**, only when step 1 has no timetable: also every activity on the same day that
   shares a person with a displaced one or sits in one of its candidate rooms.

Moved activities keep their length and their day, and stay within **their room's hours**:
from the first start to the last end of the published events of their published room on
their conference day. A conference day runs from the course's ``day_change`` (an import keeps
the file's: 6:00 at 38C3), else from the conference's *night* (the time of day when the
fewest published events run, over all dates, for longest: 07:00 at 38C3), to the next one,
so a talk of Saturday afternoon can move to Saturday evening but not to 03:00. Events split at
midnight keep their time (their parts may change room, together: ``same_room``).

Sessions also stay out of the conference's meals (``out_of_meals``): a displaced talk may not
move into lunch, unless it was published there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..clock import TimeRange
from ..compile import Item, Problem
from ..model import Activity, Barred, Programme
from ..rules.base import Level
from ..timetable import Placement, Timetable

DAY = 24 * 60
STEP = 15
"""Minutes per step when looking for the night."""


@dataclass(frozen=True)
class Freedom:
    """One step of a local repair: its name, the activities that may move, and how a report
    says it."""

    name: str
    movable: frozenset[str]
    displaced: frozenset[str]

    def sentence(self) -> str:
        from ..text import plural

        count = plural(len(self.displaced), "activity")
        if not self.displaced:
            return "The scenario displaces no activity: everything keeps its place."
        if self.name == "displaced":
            return f"Only the {count} the scenario displaces may move; everything else stays."
        others = len(self.movable - self.displaced)
        return (
            f"Moving only the {count} the scenario displaces is not enough: "
            f"{plural(others, 'neighbour')} (same day, same person or candidate room) may move "
            "too."
        )


def displaced(problem: Problem, reference: Timetable) -> frozenset[str]:
    """Activities that cannot stay where the published timetable has them: named in a hard
    finding of ``problem`` (the scenario's, with its kept overlaps) for the published
    placements, or not placed there at all (added by the scenario)."""
    from ..checking import check_problem

    report = check_problem(problem, restricted(reference, problem))
    found = {ident for f in report.findings if f.level == Level.ERROR for ident in f.activities}
    found |= {i.id for i in problem.items if i.ride is None and reference.get(i.id) is None}
    return frozenset(found & set(problem.index))


def neighbours(problem: Problem, reference: Timetable, seeds: Iterable[str]) -> frozenset[str]:
    """``seeds`` and the activities that share a day and a person or a candidate room (or
    the published room) with one of them."""
    chosen = set(seeds)
    items = [i for i in problem.items if i.ride is None]
    by_id = {i.id: i for i in items}
    reach: dict[int, tuple[set[str], set[str]]] = {}
    for ident in chosen:
        item = by_id.get(ident)
        if item is None:
            continue
        for day in item.days:
            people, rooms = reach.setdefault(day, (set(), set()))
            people.update(item.people)
            rooms.update(_rooms(item, reference))
    for item in items:
        for day in item.days:
            if day not in reach:
                continue
            people, rooms = reach[day]
            if people.intersection(item.people) or rooms.intersection(_rooms(item, reference)):
                chosen.add(item.id)
    return frozenset(chosen)


def _rooms(item: Item, reference: Timetable) -> set[str]:
    placement = reference.get(item.id)
    rooms = set(item.rooms)
    if placement is not None and placement.room is not None:
        rooms.add(placement.room)
    return rooms


def restricted(reference: Timetable, problem: Problem) -> Timetable:
    """The published placements of the activities ``problem`` still has."""
    return Timetable({k: v for k, v in reference.placements.items() if k in problem.index})


def night(reference: Timetable) -> int:
    """Where the conference's night begins: the start of the longest stretch of the day (in
    steps of 15 minutes, round the clock) during which the fewest published activities run,
    counted over every date; the earliest on a tie."""
    steps = DAY // STEP
    counts = [0] * steps
    for placement in reference:
        for step in range(placement.start // STEP, -(-placement.end // STEP)):
            counts[step] += 1
    quiet = [count == min(counts) for count in counts]
    if all(quiet):
        return 0
    best, best_length = 0, 0
    for begin in range(steps):
        if not quiet[begin] or quiet[begin - 1]:
            continue  # not the start of a quiet stretch
        length = 0
        while quiet[(begin + length) % steps]:
            length += 1
        if length > best_length:
            best, best_length = begin, length
    return best * STEP


def room_hours(
    reference: Timetable, dates: list[dt.date], boundary: int | None = None
) -> dict[tuple[str, int], tuple[int, int]]:
    """Per (room, conference day index): the first start and last end of its published
    events, in minutes from midnight of that conference day's date (so past 24:00 after
    midnight). Conference days change at ``boundary`` (default: the ``night``)."""
    boundary = night(reference) if boundary is None else boundary
    index = {date: k for k, date in enumerate(dates)}
    hours: dict[tuple[str, int], tuple[int, int]] = {}
    for placement in reference:
        day = index.get(placement.date)
        if placement.room is None or day is None:
            continue
        own, start, end = _conference_day(day, placement, boundary)
        key = (placement.room, own)
        low, high = hours.get(key, (start, end))
        hours[key] = (min(low, start), max(high, end))
    return hours


def _conference_day(day: int, placement: Placement, boundary: int) -> tuple[int, int, int]:
    """(conference day, start, end) with times from that conference day's midnight."""
    if placement.start < boundary and day > 0:
        return day - 1, placement.start + DAY, placement.end + DAY
    return day, placement.start, placement.end


def with_room_hours(
    programme: Programme, reference: Timetable, movable: frozenset[str]
) -> Programme:
    """``programme`` whose movable activities carry a ``window``: their published room's
    hours on their conference day, cut to their own date (and to any window they have). Only
    the activities that change are copied (a deep copy of 38C3 costs half a second)."""
    dates = [day.date for day in programme.days]
    change = programme.course.day_change
    boundary = night(reference) if change is None else change
    hours = room_hours(reference, dates, boundary)
    days = []
    for index, day in enumerate(programme.days):
        activities = []
        for activity in day.activities:
            placement = reference.get(activity.id)
            window = None
            if activity.id in movable and placement is not None and placement.room is not None:
                window = _window(activity, placement, index, hours, boundary)
            activities.append(
                activity.model_copy(update={"window": window}) if window else activity
            )
        days.append(day.model_copy(update={"activities": activities}))
    return programme.model_copy(update={"days": days})


def _window(
    activity: Activity,
    placement: Placement,
    index: int,
    hours: dict[tuple[str, int], tuple[int, int]],
    boundary: int,
) -> TimeRange | None:
    assert placement.room is not None
    own, _, _ = _conference_day(index, placement, boundary)
    span = hours.get((placement.room, own))
    if span is None:
        return None
    offset = (index - own) * DAY
    start, end = max(0, span[0] - offset), min(DAY, span[1] - offset)
    if activity.window is not None:
        start, end = max(start, activity.window.start), min(end, activity.window.end)
    return TimeRange(start, end) if end - start >= activity.minutes else None


def out_of_meals(
    programme: Programme, reference: Timetable, movable: frozenset[str] | None
) -> tuple[Programme, int]:
    """``programme`` whose movable imported sessions (all when ``movable`` is None) may not
    move into a meal of the conference on their date (a ``barred`` window per meal) unless
    the published timetable already had them there: talks never move into lunch. A repair's
    own limit, like the room hours; only the activities that change are copied. Also how
    many windows were barred."""
    from ..compile import kind_table
    from ..vocabulary import Category

    kinds = kind_table(programme)

    def category(activity: Activity) -> Category | None:
        info = kinds.get(activity.kind)
        return info.category if info is not None else None

    days = []
    barred = 0
    for day in programme.days:
        meals = [
            (a.id, a.time)
            for a in day.activities
            if category(a) == Category.MEAL and isinstance(a.time, TimeRange)
        ]
        activities = []
        for activity in day.activities:
            bars = []
            placement = reference.get(activity.id)
            if (
                meals
                and activity.published is not None
                and (movable is None or activity.id in movable)
                and category(activity) not in (Category.MEAL, Category.BREAK)
            ):
                for _, time in meals:
                    assert time is not None
                    inside = placement is not None and (
                        placement.start < time.end and time.start < placement.end
                    )
                    if not inside:
                        bars.append(Barred(date=day.date, time=time))
            barred += len(bars)
            activities.append(
                activity.model_copy(update={"barred": [*activity.barred, *bars]})
                if bars
                else activity
            )
        days.append(day.model_copy(update={"activities": activities}))
    return programme.model_copy(update={"days": days}), barred
