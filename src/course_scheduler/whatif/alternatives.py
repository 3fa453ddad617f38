"""Alternatives a planner chooses between: the least disruptive repair is proven, and not
always what a planner prints.

Without Khady Niang Sylla, the least disruptive repair of the 2024 programme drops her talk
and its questions and moves nothing else: Wednesday keeps 75 idle minutes between the 9:45
welcome and the 11:15 coffee. A planner would rather close the day up, even at the price of
a few moves. So ``what_if(..., alternatives=N)`` returns, along that trade-off:

1. **fewest moves**: the repair as always (disruption, then shift, then soft rules, then the
   day's shape);
2. **the day closed up**: first the fewest idle minutes on the days the first repair changed
   (between each day's first start and last end, less what its activities fill), then the
   same order as 1: the fewest moves that close the hole;
3. and on, **closed up another way**: the same, differing from every repair before it (at
   least one movable activity starts elsewhere): the welcome moved later instead of the
   morning moved earlier, say.

Each is checked like any repair (``repair.verify``) and told with its cost: what moves, in
minutes, and the idle minutes left on those days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..compile import hidden_in_container
from ..text import plural
from ..timetable import Timetable

if TYPE_CHECKING:
    from ..compile import Problem
    from .report import WhatIf


def changed_days(outcome: WhatIf) -> frozenset[int]:
    """The days (of the repair's problem) the repair changes: where an activity was dropped,
    added or moved from or to."""
    problem = outcome.problem
    dates: set[dt.date] = set()
    if outcome.diff is not None:
        for change in outcome.diff.changes:
            for version in (change.old, change.new):
                if version is not None and version.date is not None:
                    dates.add(dt.date.fromisoformat(version.date))
    for shift in outcome.shifts:
        if shift.moved:
            dates.update((shift.old.date, shift.new.date))
    return frozenset(problem.day_of_date[d] for d in dates if d in problem.day_of_date)


@dataclass
class Way:
    """One way to look for an alternative: what comes first in the solve."""

    label: str
    close_up: frozenset[int] = frozenset()
    """The days closed up (their idle minutes right after the disruption)."""
    differ: bool = False
    """Not a variant of the alternatives found before it (``solver.build.Build.differ``)."""
    differ_from: tuple[Timetable, ...] = ()
    left: int = 1
    """Alternatives still to find (each gets a share of the time left)."""


def ways(days: frozenset[int], count: int) -> list[Way]:
    """The ways, in order, for ``count`` alternatives in all (the first, fewest moves, is the
    repair itself): every soft rule kept with the fewest moves and minutes; then the days
    closed up; then closed up other ways. Nothing when the repair changed no day."""
    if not days:
        return []
    found = [
        Way("every soft rule kept"),
        Way("the day closed up", close_up=days),
    ]
    found += [
        Way("the day closed up, another way", close_up=days, differ=True)
        for _ in range(max(0, count - 3))
    ]
    return found


def idle_minutes(problem: Problem, timetable: Timetable, date: dt.date) -> int:
    """Minutes between the day's first start and its last end that no activity fills (the
    solver's reading, ``solve._idle``)."""
    placed = [
        p
        for item in problem.items
        if not hidden_in_container(problem, item)
        and (p := timetable.get(item.id)) is not None
        and p.date == date
    ]
    if not placed:
        return 0
    span = max(p.end for p in placed) - min(p.start for p in placed)
    return max(0, span - sum(p.end - p.start for p in placed))


def cost(outcome: WhatIf) -> str:
    """ "1 activity moves, 75 minutes in all; every soft rule holds" ."""
    if outcome.timetable is None:
        return outcome.outcome()
    left = outcome.warnings
    if not left:
        return f"{outcome.moves_text()}; every soft rule holds"
    shown = "; ".join(w.message for w in left[:2]) + ("..." if len(left) > 2 else "")
    return f"{outcome.moves_text()}; {plural(len(left), 'soft rule finding')} left: {shown}"
