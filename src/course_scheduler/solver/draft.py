"""A planner's first draft of the days, to start the search from.

Without a reference, the solver used to start from whatever timetable the hard rules alone
gave first: every day packed from its window's first minute, lunch wherever it fell. On a
template of 150 activities the search then spent its whole budget undoing that. A planner
drafts differently: each day's activities in the order the file lists them, one after the
other for each group, meals at their usual times, the times the file gives (published or
usual) where it gives them, a block's parts inside the block, each time it chooses on the
planner's grid. That draft is only a hint: it
may break a rule (two groups' listed sessions with one speaker), and CP-SAT repairs it from
there; it never decides anything.
"""

from __future__ import annotations

from ..compile import Item, Problem
from ..rules.skeleton import usual_meal_times
from ..timetable import Placement, Timetable

DAY = 24 * 60


def draft(problem: Problem) -> Timetable:
    """Every activity listed on a day, at its given time or after what its groups did before
    it (and the travel from there); unplaced activities (a template's module list) and rides
    are left to the solver."""
    usual = usual_meal_times(problem)
    step = problem.programme.planner.grid
    placements: dict[str, Placement] = {}
    by_day: dict[int, list[Item]] = {}
    for item in problem.items:
        day = item.home_day
        if day is not None and item.ride is None and day in item.days:
            by_day.setdefault(day, []).append(item)
    for day, items in sorted(by_day.items()):
        date = problem.dates[day]
        low, high = problem.day_windows[day]
        opening = problem.day_starts[day] if problem.day_starts[day] is not None else low
        assert opening is not None
        reach: dict[str, tuple[int, str | None]] = {}  # each group's last end, and where
        inside: dict[str, int] = {}  # each block's next free minute
        for item in items:
            venue = next((v for d, v in item.options if d == day), None)
            length = item.duration
            if item.fixed_start is not None:
                start = item.fixed_start
            elif item.block is not None and item.block in placements:
                block = placements[item.block]
                start = inside.get(item.block, block.start)
                if start + length > block.end:
                    start = block.start  # no room after the others: in parallel with them
            else:
                start = opening
                for group in item.groups:
                    end, where = reach.get(group, (opening, None))
                    start = max(start, end + problem.travel_minutes(where, venue))
                if item.index in usual:
                    start = max(start, usual[item.index])
            if item.fixed_start is None:
                start += -start % step  # a time a planner chooses is on the grid
            start = max(low, min(start, high - length, DAY - length))
            end = start + length
            if item.block is not None:
                inside[item.block] = max(inside.get(item.block, 0), end)
            for group in item.groups:
                if end >= reach.get(group, (0, None))[0]:
                    reach[group] = (end, venue)
            room = next((r for r in item.rooms if problem.room_venue.get(r) == venue), None)
            placements[item.id] = Placement(date, start, end, item.id, venue, room)
        _close_the_morning(problem, items, usual, placements)
    return Timetable(placements)


def _close_the_morning(
    problem: Problem, items: list[Item], usual: dict[int, int], placements: dict[str, Placement]
) -> None:
    """A day drafted from its window's first minute leaves an idle stretch before its first
    meal (registration at 7:00, lunch at 12:30): what the file lists before that meal, and
    gives no time, moves later together, to end when the meal begins."""
    meal = next((i for i in items if i.index in usual and i.fixed_start is None), None)
    if meal is None:
        return
    before = [i for i in items[: items.index(meal)] if i.fixed_start is None and i.block is None]
    parts = [i for i in items[: items.index(meal)] if i.block in {b.id for b in before}]
    if not before or any(i.fixed_start is not None for i in items[: items.index(meal)]):
        return
    end = max(placements[i.id].end for i in before + parts)
    gap = placements[meal.id].start - end
    if gap <= 0:
        return
    for item in before + parts:
        placed = placements[item.id]
        placements[item.id] = Placement(
            placed.date, placed.start + gap, placed.end + gap, item.id, placed.venue, placed.room
        )
