"""The public functions, re-exported lazily by the package ``__init__``."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from .checking import Report
from .checking import check as _check
from .compile import Problem, compile_programme
from .errors import SourceMap
from .loading import dump, load, loads, save, source_of
from .model import Activity, Programme
from .timetable import Placement, Timetable

if TYPE_CHECKING:
    from .solver.solve import Progress, Result

__all__ = [
    "check",
    "compile_programme",
    "dump",
    "explain",
    "load",
    "loads",
    "save",
    "solve",
    "with_timetable",
]


def check(programme: Programme | str | Path, timetable: Timetable | None = None) -> Report:
    """Evaluate every rule; a path is loaded first. ``timetable`` defaults to the file's times."""
    if not isinstance(programme, Programme):
        programme = load(programme)
    return _check(programme, timetable)


def solve(
    programme: Programme | str | Path,
    *,
    reference: Timetable | Programme | None = None,
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int = 1,
    deterministic_time: float | None = None,
    unpin: bool | frozenset[str] = False,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    pool_rooms: bool = True,
) -> Result:
    """Find a timetable satisfying every hard rule, best by the programme's objective.

    ``reference`` (a timetable, or a programme whose times are used) turns on stability: fewest
    activities moved, then fewest minutes. Without one, a file whose activities have times
    that are not pinned (a template rolled forward from the last edition) is its own
    reference: the solve keeps to those usual times and days as the new facts allow. Pinned (published) times stay fixed unless ``unpin``
    is True or names activities. One worker and a fixed seed give the same result every run.
    ``pool_rooms=False`` models rooms with slot grids as one interval per room instead of
    pooled cells (slower on multi-track events; kept for comparison).
    """
    from .solver.solve import SolveOptions, solve_problem
    from .timetable import pattern_timetable, published_timetable

    if not isinstance(programme, Programme):
        programme = load(programme)
    problem = compile_programme(programme)
    if isinstance(reference, Programme):
        reference = published_timetable(compile_programme(reference))
    if reference is None:  # a template: keep to the usual times its file gives
        reference = pattern_timetable(problem)
    options = SolveOptions(
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        deterministic_time=deterministic_time,
        pool_rooms=pool_rooms,
        unpin=unpin if isinstance(unpin, bool) else frozenset(unpin),
        progress=progress,
    )
    return solve_problem(problem, reference=reference, options=options, stop=stop)


def with_timetable(problem: Problem, timetable: Timetable) -> Programme:
    """The programme with every activity placed at its time in ``timetable`` (a solved file).

    Activities move into the list of the day they were placed on, in time order; transport legs
    get their solved departures. Everything else (rules, people, notes) is kept as it was.
    """
    programme = problem.programme.model_copy(deep=True)
    placed_days: dict[int, list[Activity]] = {d: [] for d in range(len(programme.days))}
    untimed: dict[int, list[tuple[int, Activity]]] = {d: [] for d in range(len(programme.days))}
    unplaced: list[Activity] = []
    for index, day in enumerate(programme.days):
        for position, activity in enumerate(day.activities):
            if activity.untimed:  # it stays on its day, where the file lists it
                untimed[index].append((position, activity))
    for activity in programme.all_activities():
        if activity.untimed:
            continue
        placement = timetable.get(activity.id)
        if placement is None:
            unplaced.append(activity)
            continue
        placed_days[problem.day_of_date[placement.date]].append(_placed(activity, placement))
    for index, day in enumerate(programme.days):
        day.activities = sorted(
            placed_days[index],
            key=lambda a: (a.time.start if a.time else 0, getattr(a.time, "end", 0)),
        )
        for position, activity in untimed[index]:
            day.activities.insert(min(position, len(day.activities)), activity)
    programme.activities = unplaced
    for day in programme.days:  # a module that moved day: the day it is on declares it
        if day.module is None:
            modules = {a.module for a in day.activities if a.module is not None}
            if len(modules) == 1:
                day.module = modules.pop()
                module = next((m for m in programme.modules if m.id == day.module), None)
                if module is not None and module.theme is not None:
                    day.theme, day.description = module.theme, module.description
                    module.theme = module.description = None
    from .timetable import published_timetable

    stated = published_timetable(problem)
    for leg in programme.transport:
        out = timetable.get(f"{leg.id}.out")
        back = timetable.get(f"{leg.id}.back")
        if _same_time(out, stated.get(f"{leg.id}.out")) and _same_time(
            back, stated.get(f"{leg.id}.back")
        ):
            continue  # the leg as the file states it (its words kept: "arrive 17:00")
        if out is not None:
            leg.date, leg.dates = out.date, None
            leg.depart = out.start
        if back is not None and leg.back is not None:
            leg.back.depart = back.start
            leg.back.arrive = None
    solved = Programme.model_validate(programme.model_dump(by_alias=True))
    origin = source_of(problem.programme)
    solved._source = SourceMap(file=origin.file, text=origin.text)  # no lines: items moved
    return solved


def _same_time(solved: Placement | None, stated: Placement | None) -> bool:
    if solved is None or stated is None:
        return solved is stated
    return (solved.date, solved.start, solved.end) == (stated.date, stated.start, stated.end)


def _placed(activity: Activity, placement: Placement) -> Activity:
    """The activity at its placement; one with no printed end keeps its open end (and the
    least it lasts), so a solved file says no more than the planner did."""
    from .clock import OpenStart, TimeRange

    if activity.open_end:
        return activity.model_copy(
            update={"time": OpenStart(placement.start), "date": None, "dates": None}
        )
    update: dict[str, object] = {
        "time": TimeRange(placement.start, placement.end),
        "duration": None,
        "date": None,
        "dates": None,
        "pinned": True,  # a solved timetable: its times are the programme's now
    }
    if activity.venues:
        update["venue"], update["venues"] = placement.venue, None
    if activity.rooms:
        update["room"], update["rooms"] = placement.room, None
    return activity.model_copy(update=update)


def explain(programme: Programme | str | Path, *, time_limit: float = 10.0) -> object:
    """A minimal set of rules and pinned times that cannot all hold (``Explanation``)."""
    from .solver.explain import explain_problem

    if not isinstance(programme, Programme):
        programme = load(programme)
    return explain_problem(compile_programme(programme), time_limit=time_limit)
