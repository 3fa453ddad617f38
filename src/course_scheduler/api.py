"""The public functions, re-exported lazily by the package ``__init__``.

Each accepts a ``Programme`` or a path to a programme file, so a notebook can start from
either. Everything the command line does goes through these (the commands only parse
arguments, call them and print).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload

from .checking import Report
from .checking import check as _check
from .compile import Problem, compile_programme
from .loading import dump, json_schema, load, loads, save
from .logs import log
from .model import Activity, Programme
from .timetable import Placement, Timetable

if TYPE_CHECKING:
    from .diffing import ProgrammeDiff
    from .solver.explain import Explanation
    from .solver.solve import Progress, Result
    from .whatif import WhatIf

COMPILE_SHARE = 0.1
"""Compiling takes up to this share of reading the file (0.04-0.05 of the parse of 2,000
generated talks; reading counts the command's imports too): a solve is not begun when less
than that is left of the limit, since nothing could come of it in time."""

__all__ = [
    "check",
    "compile_programme",
    "diff",
    "dump",
    "explain",
    "export",
    "json_schema",
    "load",
    "loads",
    "save",
    "show",
    "solve",
    "with_timetable",
]


def _programme(programme: Programme | str | Path) -> Programme:
    return programme if isinstance(programme, Programme) else load(programme)


def check(
    programme: Programme | str | Path,
    timetable: Timetable | None = None,
    *,
    baseline: Programme | str | Path | None = None,
) -> Report:
    """Evaluate every rule; a path is loaded first. ``timetable`` defaults to the file's times.

    ``baseline`` (an older version of the programme, or its path) is what ``check
    --baseline`` and ``diff --check`` compare with: ``report.comparison`` then holds the
    findings this version adds, those it fixes and how many it keeps (matched by what they
    say, so an edit above a finding does not make it new), and ``comparison.ok`` is False
    only when the edit adds an error. This is the fast path: it imports no ortools, pandas or
    networkx."""
    from .checking import against

    current = _programme(programme)
    report = _check(current, timetable)
    if baseline is None:
        return report
    return against(report, current, _programme(baseline))


def show(programme: Programme | str | Path, fmt: Literal["text", "csv"] = "text") -> str:
    """The timetable a programme states, as ``course-scheduler show`` prints it: a table per
    day (``text``), or one CSV row per activity with the columns of ``Timetable.rows``
    (``csv``). Like ``check`` it imports no ortools, pandas or networkx."""
    from .timetable import published_timetable

    problem = compile_programme(_programme(programme))
    timetable = published_timetable(problem)
    if fmt == "csv":
        from .exports.csv_ import timetable_csv

        return timetable_csv(problem, timetable)
    if fmt != "text":
        raise ValueError(f"show gives text or csv, not {fmt!r}")
    from .exports.days import day_tables

    return day_tables(problem, timetable) + "\n"


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
    log_search: bool = False,
    parameters: Mapping[str, object] | None = None,
    published_clashes: Literal["keep", "repair"] = "keep",
    began: float | None = None,
) -> Result:
    """Find a timetable satisfying every hard rule, best by the programme's objective.

    ``reference`` (a timetable, or a programme whose times are used) turns on stability: fewest
    activities moved, then fewest minutes. Without one, a file whose activities have times
    that are not pinned (a template rolled forward from the last edition) is its own
    reference: the solve keeps to those usual times and days as the new facts allow. Pinned
    (published) times stay fixed unless ``unpin`` is True or names activities. One worker and
    a fixed seed give the same result every run; ``deterministic_time`` (CP-SAT's
    deterministic seconds) is a budget that gives the same result on any machine, which a
    wall-clock ``time_limit`` cutting a search short does not. ``time_limit`` counts from the
    call: loading a path and compiling count too, as does every phase of the solve.
    ``began`` (a ``time.perf_counter()`` moment) starts it earlier: the command line passes
    when it started, so that reading the file counts as well. When reading (phase ``read``)
    leaves no time, nothing is compiled: the result is ``UNKNOWN``, with no timetable.

    **Stopping early.** ``progress(stage, elapsed, objective)`` is called as better
    timetables arrive (``objective`` an ``ObjectiveValue``: its named terms and gap); setting the ``stop`` event (from another thread, or from ``progress``)
    ends the search at once. Called from the main thread, an interrupt (Ctrl-C, a notebook's
    "interrupt kernel") does the same: either way the result has ``Status.INTERRUPTED`` and the
    best timetable found so far (None if there was none yet). A second interrupt raises
    ``KeyboardInterrupt``.

    **The solver.** ``workers`` CP-SAT workers (more than one interleaves the search, still
    deterministic); ``log_search=True`` passes CP-SAT's own log to the logger
    ``course_scheduler.search`` (or to standard error when logging does not show INFO);
    ``parameters`` sets any CP-SAT parameter by name (``{"max_memory_in_mb": 2000}``), last,
    so they win over the options above. ``pool_rooms=False`` models rooms with slot grids as
    one interval per room instead of pooled cells (slower on multi-track events; kept for
    comparison).

    **Errors the file forces** (``keeping.py``): when the file's pinned times break hard rules
    (a lecturer printed in two labs at once, a tour before its coach arrives), or its structure
    does (two parts of one block, too long to follow each other in it, that share a lecturer),
    the solve may keep each of those errors as the file has it (a clash while both
    activities stay at their printed times, or wherever the block is for a forced one; any
    other error while its activities stay where the file prints them), mends one when that
    breaks nothing of the day's frame, adds none, and ``result.kept`` names those kept
    (``result.kept.line()``), checked by every rule. ``published_clashes="repair"`` keeps
    none.
    """
    from .errors import OutOfTime
    from .interrupts import interruptible
    from .keeping import Keep, kept_in, verify
    from .solver.budget import PhaseTime
    from .solver.solve import Result, SolveOptions, solve_problem
    from .timetable import pattern_timetable, published_timetable

    called = time.perf_counter(), time.process_time()
    if began is None:  # loading a path and compiling count against the time limit
        began = called[0]
    try:
        if not isinstance(programme, Programme):
            programme = load(programme, deadline=began + time_limit)
    except OutOfTime:
        pass
    read = PhaseTime(time.perf_counter() - began, time.process_time() - called[1])
    if not isinstance(programme, Programme) or read.wall >= time_limit - COMPILE_SHARE * read.wall:
        # the time went on reading: nothing to compile or search
        log.info("the time limit ran out while reading (%.2f s of %g s)", read.wall, time_limit)
        return Result.unread(read)
    compiling = time.perf_counter(), time.process_time()
    problem = compile_programme(programme)
    compiled = PhaseTime(time.perf_counter() - compiling[0], time.process_time() - compiling[1])
    keep = kept_in(problem) if published_clashes == "keep" else Keep()
    if isinstance(reference, Programme):
        reference = published_timetable(compile_programme(reference))
    if reference is None:  # a template: keep to the usual times its file gives
        reference = pattern_timetable(problem)
    log.info(
        "solving %r: %d activities, %d days, %d rules%s",
        programme.course.title,
        len(problem.items),
        len(problem.dates),
        sum(1 for rule in problem.rules if not rule.planner_default),  # as check counts them
        "" if reference is None else ", keeping close to a reference",
    )
    options = SolveOptions(
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        deterministic_time=deterministic_time,
        pool_rooms=pool_rooms,
        unpin=unpin if isinstance(unpin, bool) else frozenset(unpin),
        progress=progress,
        log_search=log_search,
        parameters=dict(parameters or {}),
        began=began,
    )
    stop = stop if stop is not None else threading.Event()
    result = interruptible(
        lambda: solve_problem(problem, reference=reference, options=options, stop=stop), stop
    )
    if keep and result.timetable is not None and result.problem is not None:
        result.kept = verify(result.problem, result.timetable, keep)
    result.phases = {"read": read, "compile": compiled, **result.phases}
    log.debug(
        "phases (wall s): %s",
        ", ".join(f"{name} {spent.wall:.2f}" for name, spent in result.phases.items()),
    )
    for stage in result.stages:
        log.debug(
            "stage %s: %s, value %s, bound %s",
            stage.name,
            stage.status.value,
            stage.value,
            stage.bound,
        )
    log.info(
        "%s after %.2f s (model built in %.2f s, %.2f s in all)",
        result.status.value,
        result.wall_time,
        result.build_time,
        time.perf_counter() - began,
    )
    return result


@overload
def with_timetable(source: Result | WhatIf, /) -> Programme: ...


@overload
def with_timetable(source: Problem, timetable: Timetable, /) -> Programme: ...


def with_timetable(
    source: Problem | Result | WhatIf, timetable: Timetable | None = None, /
) -> Programme:
    """The programme with every activity placed at its time in ``timetable`` (a solved file).

    ``with_timetable(result)`` is the programme a solve found, or a what-if's repair: the
    scenario's programme (its changes made: a speaker's talks handed over, a room closed)
    at the repair's times, which is what ``solve --out`` and ``what-if --out`` write.
    ``with_timetable(problem, timetable)`` places any timetable of a compiled programme.
    Activities move into the list of the day they were placed on, in time order; transport legs
    get their solved departures. Everything else (rules, people, notes) is kept as it was.
    Raises ``ValueError`` for a result without a timetable.
    """
    if isinstance(source, Problem):
        if timetable is None:
            raise TypeError("with_timetable(problem, timetable) needs a timetable")
        return _with_timetable(source, timetable)
    if timetable is not None:
        raise TypeError("with_timetable(result) takes the result alone")
    return _solved(source)


def _with_timetable(problem: Problem, timetable: Timetable) -> Programme:
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
    return solved


def _same_time(solved: Placement | None, stated: Placement | None) -> bool:
    if solved is None or stated is None:
        return solved is stated
    return (solved.date, solved.start, solved.end) == (stated.date, stated.start, stated.end)


def _placed(activity: Activity, placement: Placement) -> Activity:
    """The activity at its placement; one with no printed end keeps its open end (and the
    least it lasts), so a solved file says no more than the planner did; a duration range
    stays (the time it now has is one it allows)."""
    from .clock import OpenStart, TimeRange
    from .model import DurationRange

    if activity.open_end:
        return activity.model_copy(
            update={"time": OpenStart(placement.start), "date": None, "dates": None}
        )
    update: dict[str, object] = {
        "time": TimeRange(placement.start, placement.end),
        "duration": activity.duration if isinstance(activity.duration, DurationRange) else None,
        "date": None,
        "dates": None,
        "pinned": True,  # a solved timetable: its times are the programme's now
    }
    if activity.venues:
        update["venue"], update["venues"] = placement.venue, None
    if activity.rooms:
        update["room"], update["rooms"] = placement.room, None
    return activity.model_copy(update=update)


def explain(
    programme: Programme | str | Path,
    *,
    time_limit: float = 10.0,
    unpin: bool | frozenset[str] = False,
    published_clashes: Literal["keep", "repair"] = "repair",
) -> Explanation:
    """Why no timetable exists: a minimal set of rules and pinned times that cannot all hold.

    ``explanation.feasible`` is True when a timetable exists after all, None when the budget
    (``time_limit``, in CP-SAT's deterministic seconds, so the same on any machine) did not
    decide; ``reasons`` are the rules, each with its sentence and line; ``minimal`` says
    whether dropping any one of them was shown to make the rest satisfiable. ``unpin`` frees
    the published times (all, or the activities named) so they are not among the reasons.
    ``published_clashes="keep"`` explains the problem a solve that keeps the errors the file
    forces solves (``solve``'s default; ``explain`` reads every rule as written by default).
    """
    from .keeping import kept_in
    from .solver.explain import explain_problem

    problem = compile_programme(_programme(programme))
    if published_clashes == "keep":
        kept_in(problem)
    unpinned: frozenset[str] | None = None
    if unpin is True:
        unpinned = frozenset(i.id for i in problem.items if i.ride is None)
    elif unpin:
        unpinned = frozenset(unpin)
    return explain_problem(problem, time_limit=time_limit, unpinned=unpinned)


@overload
def export(
    source: Programme | Result | WhatIf | str | Path,
    fmt: str,
    /,
    *,
    person: str | None = None,
    previous: bytes | None = None,
) -> bytes: ...


@overload
def export(
    source: Problem,
    timetable: Timetable,
    fmt: str,
    /,
    *,
    person: str | None = None,
    previous: bytes | None = None,
) -> bytes: ...


def export(
    source: Programme | Result | WhatIf | Problem | str | Path,
    timetable: Timetable | str,
    fmt: str | None = None,
    /,
    *,
    person: str | None = None,
    previous: bytes | None = None,
) -> bytes:
    """A programme in an export format (the file's bytes): ``export(programme, "html")``.

    ``source`` is a programme (or its path), exported with the times it states, or a solve's
    ``Result`` or a what-if's repair (``WhatIf``), exported as the programme
    ``with_timetable(result)`` gives (the brochure then has everything ``export`` of the
    solved file has: overview grid, day themes and texts).
    ``export(problem, timetable, fmt)`` exports any timetable of a compiled problem as it is.
    Formats: csv, xlsx, md, html, ics, frab-json (also frab), frab-xml, png. ``person`` (an
    id or a name) keeps what they take part in; ``previous`` (ics only) is the calendar
    exported last time, so that changed events get a higher ``SEQUENCE``.
    """
    from .exports import export as render
    from .timetable import published_timetable

    if isinstance(source, Problem):
        if not isinstance(timetable, Timetable) or fmt is None:
            raise TypeError("export(problem, timetable, fmt) needs a timetable and a format")
        return render(source, timetable, fmt, person=person, previous=previous)
    if not isinstance(timetable, str) or fmt is not None:
        raise TypeError("export(programme, fmt): a programme, a result or a path, then a format")
    if isinstance(source, Programme | str | Path):
        programme = _programme(source)
    else:
        programme = _solved(source)
    problem = compile_programme(programme)
    return render(
        problem, published_timetable(problem), timetable, person=person, previous=previous
    )


def _solved(result: Result | WhatIf) -> Programme:
    """A solve's programme at its times, or a what-if's: the scenario's programme (without
    the limits a local repair adds) at the repair's times."""
    from .whatif import WhatIf

    if isinstance(result, WhatIf):
        if result.timetable is None:
            raise ValueError(f"no timetable: the what-if ended {result.status}")
        scenario = result.programme or result.problem.programme
        return _with_timetable(compile_programme(scenario), result.timetable)
    if result.timetable is None or result.problem is None:
        raise ValueError(f"no timetable: the solve ended {result.status.value}")
    return _with_timetable(result.problem, result.timetable)


def diff(
    old: Programme | str | Path,
    new: Programme | str | Path,
    *,
    old_name: str | None = None,
    new_name: str | None = None,
) -> ProgrammeDiff:
    """What changed between two versions of a programme, activity by activity (added,
    removed, moved, retimed, re-staffed...), by the times each states."""
    from .diffing import diff_programmes

    def name(given: str | None, version: Programme | str | Path, default: str) -> str:
        if given is not None:
            return given
        return str(version) if not isinstance(version, Programme) else default

    return diff_programmes(
        _programme(old),
        _programme(new),
        old_name=name(old_name, old, "old"),
        new_name=name(new_name, new, "new"),
    )
