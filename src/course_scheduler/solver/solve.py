"""Solve a problem: objectives in lexicographic stages (or one weighted sum), deterministic.

Stages, in order, each only when its weight is non-zero: broken soft rules, activities moved
from the reference, minutes moved, idle minutes inside days, day ends. A stage that is proven
optimal is frozen (its objective bounded by the value found) before the next one starts, so the
result is "fewest activities moved, then fewest minutes", exactly. A stage that runs out of
budget stops the sequence and the result is reported as feasible, not optimal.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ortools.sat.python import cp_model

from ..compile import Problem
from ..timetable import Timetable
from . import search
from .build import DAY, Build


class Status(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"
    INTERRUPTED = "interrupted"


@dataclass
class Stage:
    name: str
    status: Status
    value: int | None
    bound: int | None
    seconds: float


@dataclass
class Result:
    """What a solve produced; ``timetable`` is None unless a timetable was found."""

    status: Status
    timetable: Timetable | None
    objective: int | None
    bound: int | None
    wall_time: float
    build_time: float
    stages: list[Stage] = field(default_factory=list)
    problem: Problem | None = None

    @property
    def found(self) -> bool:
        return self.timetable is not None

    def to_frame(self) -> Any:
        """The timetable as a DataFrame (columns as ``show --format csv``)."""
        if self.timetable is None or self.problem is None:
            raise ValueError(f"no timetable: the solve ended {self.status.value}")
        return self.timetable.to_frame(self.problem)


Progress = Callable[[str, float, float | None, float | None], None]
"""Called with (stage, elapsed seconds, best objective, bound) as solutions arrive."""


@dataclass
class SolveOptions:
    time_limit: float = 30.0
    seed: int = 0
    workers: int = 1
    deterministic_time: float | None = None
    unpin: frozenset[str] | bool = False
    progress: Progress | None = None
    pool_rooms: bool = True
    """Rooms sharing a venue and a slot grid as one pool (a literal per pool, day and slot;
    rooms matched after the solve). False: an optional interval per room, for comparison."""
    tactics: search.Tactics = field(default_factory=search.Tactics)
    """How the search goes about a mostly pooled model (``search.py``); parts can be switched
    off for comparison."""


def _status(code: Any) -> Status:
    if code == cp_model.OPTIMAL:
        return Status.OPTIMAL
    if code == cp_model.FEASIBLE:
        return Status.FEASIBLE
    if code == cp_model.INFEASIBLE:
        return Status.INFEASIBLE
    return Status.UNKNOWN


def solve_problem(
    problem: Problem,
    *,
    reference: Timetable | None = None,
    options: SolveOptions | None = None,
    stop: threading.Event | None = None,
) -> Result:
    options = options or SolveOptions()
    began = time.perf_counter()
    unpinned = _unpinned(problem, options.unpin)
    build = Build(
        problem,
        unpinned=unpinned,
        pool_rooms=options.pool_rooms,
        cliques=options.tactics.cliques,
    )
    stages = _merge(_objectives(build, reference))
    if reference is not None:
        build.hint(reference)
    plan = search.prepare(build, options.tactics, options.seed, hinted=reference is not None)
    build_time = time.perf_counter() - began
    deadline = began + options.time_limit
    done: list[Stage] = []
    best: Timetable | None = None
    status = Status.UNKNOWN
    objective = bound = None
    if not stages:
        stages = [Objective("feasibility", [])]
    for number, stage in enumerate(stages, 1):
        name, expression = stage.name, stage.expression
        if stop is not None and stop.is_set():
            status = Status.INTERRUPTED
            break
        remaining = deadline - time.perf_counter()
        if remaining <= 0.05:
            status = Status.FEASIBLE if best is not None else Status.UNKNOWN
            break
        if not isinstance(expression, int):
            build.model.minimize(expression)
        solver = _solver(options, remaining, len(stages))
        callback = _Callback(name, began, options.progress, stop)
        stage_began = time.perf_counter()
        with _stop_when_set(stop, solver, callback):
            code = search.run(build, solver, plan, callback)
        stage_status = _status(code)
        inexact = build.pooled is not None and build.pooled.inexact
        if (callback.interrupted or inexact) and stage_status == Status.OPTIMAL:
            stage_status = Status.FEASIBLE
        value = round(solver.objective_value) if stage_status in _FOUND else None
        stage_bound = round(solver.best_objective_bound) if stage_status in _FOUND else None
        seconds = time.perf_counter() - stage_began
        for term in stage.terms or [Term(name, expression, 1, 0)]:
            part_value = _value(solver, term.expression) if stage_status in _FOUND else None
            part_bound = stage_bound if len(stage.terms) <= 1 else None
            done.append(Stage(term.name, stage_status, part_value, part_bound, seconds))
        if stage_status in _FOUND:
            best = build.timetable(solver)
            objective, bound = value, stage_bound
            if number < len(stages):  # the next stage starts from it
                build.hint(best)
        if callback.interrupted:
            status = Status.INTERRUPTED
            break
        if stage_status != Status.OPTIMAL:
            status = stage_status if best is None or stage_status in _FOUND else Status.FEASIBLE
            break
        status = Status.OPTIMAL
        if not isinstance(expression, int) and value is not None:
            build.model.add(expression <= value)
    return Result(
        status=status,
        timetable=best,
        objective=objective,
        bound=bound,
        wall_time=time.perf_counter() - began,
        build_time=build_time,
        stages=done,
        problem=problem,
    )


_FOUND = (Status.OPTIMAL, Status.FEASIBLE)


def _unpinned(problem: Problem, unpin: frozenset[str] | bool) -> frozenset[str]:
    if unpin is True:
        return frozenset(i.id for i in problem.items if i.ride is None)
    if unpin is False:
        return frozenset()
    unknown = sorted(set(unpin) - set(problem.index))
    if unknown:
        from ..errors import ProgrammeError

        raise ProgrammeError(f"cannot unpin unknown activities: {', '.join(unknown)}")
    return frozenset(unpin)


def _solver(options: SolveOptions, remaining: float, stage_count: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.05, remaining)
    params.random_seed = options.seed
    params.num_workers = max(1, options.workers)
    if options.workers > 1:
        params.interleave_search = True
    if options.deterministic_time is not None:
        params.max_deterministic_time = options.deterministic_time / stage_count
    params.log_search_progress = False
    # Ctrl-C belongs to the caller (install_interrupt and a `stop` event). CP-SAT's own
    # handler is thread-local (a Ctrl-C while solving off the main thread aborts the process
    # with std::bad_function_call) and resets SIGINT to SIG_DFL after each solve.
    params.catch_sigint_signal = False
    return solver


@contextlib.contextmanager
def _stop_when_set(
    stop: threading.Event | None, solver: cp_model.CpSolver, callback: _Callback
) -> Iterator[None]:
    """Stop the search as soon as ``stop`` is set, not only when the next solution arrives."""
    if stop is None:
        yield
        return
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(0.05):
            if stop.is_set():
                callback.interrupted = True
                solver.stop_search()

    watcher = threading.Thread(target=watch, name="course-scheduler-stop", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        finished.set()
        watcher.join()


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(
        self, stage: str, began: float, progress: Progress | None, stop: threading.Event | None
    ) -> None:
        super().__init__()
        self.stage = stage
        self.began = began
        self.progress = progress
        self.stop = stop
        self.interrupted = False

    def on_solution_callback(self) -> None:
        if self.progress is not None:
            self.progress(
                self.stage,
                time.perf_counter() - self.began,
                self.objective_value,
                self.best_objective_bound,
            )
        if self.stop is not None and self.stop.is_set():
            self.interrupted = True
            self.stop_search()


@dataclass(frozen=True)
class Term:
    """One named quantity of the objective, counted plainly (activities, minutes...), and the
    weight the file gives it; reports show each term by name."""

    name: str
    expression: Any
    weight: int
    upper: int
    """An upper bound of the unweighted value."""


@dataclass
class Objective:
    """A lexicographic stage: the weighted sum of its terms, with an upper bound; a merged
    stage lists the terms of every stage it holds."""

    name: str
    terms: list[Term]
    multipliers: list[int] = field(default_factory=list)

    @property
    def expression(self) -> Any:
        factors = self.multipliers or [1] * len(self.terms)
        return sum(t.expression * (t.weight * k) for t, k in zip(self.terms, factors, strict=True))

    @property
    def upper(self) -> int:
        factors = self.multipliers or [1] * len(self.terms)
        return sum(t.upper * t.weight * k for t, k in zip(self.terms, factors, strict=True))


MERGE_LIMIT = 2**52
"""Merged lexicographic weights must stay exact in CP-SAT's double-precision objective."""


def _merge(stages: list[Objective]) -> list[Objective]:
    """Lexicographic stages as one weighted sum when the weights stay small enough.

    Each stage is multiplied by one more than the largest value all later stages together can
    take, so no improvement later can pay for a worse earlier stage: one solve proves the
    lexicographic optimum, instead of one solve per stage.
    """
    if len(stages) < 2:
        return stages
    multiplier = 1
    terms: list[Term] = []
    factors: list[int] = []
    for stage in reversed(stages):
        terms[:0] = stage.terms
        factors[:0] = [multiplier] * len(stage.terms)
        multiplier *= stage.upper + 1
    if multiplier >= MERGE_LIMIT:
        return stages
    return [Objective(" > ".join(s.name for s in stages), terms, factors)]


def _value(solver: cp_model.CpSolver, expression: Any) -> int:
    if isinstance(expression, int):
        return expression
    return int(solver.value(expression))


def _objectives(build: Build, reference: Timetable | None) -> list[Objective]:
    """The stages with a non-zero weight, in lexicographic order."""
    weights = build.problem.programme.objective
    stages: list[Objective] = []

    def stage(name: str, *terms: Term) -> None:
        kept = [t for t in terms if t.weight and not isinstance(t.expression, int)]
        if kept:
            stages.append(Objective(name, kept))

    penalties = [w * (1 - lit) for w, lit in build.penalties]
    penalties += [w * count for w, count, _ in build.penalty_counts]
    penalty_bound = sum(w for w, _ in build.penalties)
    penalty_bound += sum(w * upper for w, _, upper in build.penalty_counts)
    soft = Term("soft rules", sum(penalties), weights.soft_rules, penalty_bound)
    if reference is not None:
        # a repair: disturb the published timetable as little as possible, then soft rules
        shifts = _stability(build, reference)
        stage(
            "disruption",
            Term(
                "activities moved", sum(shifts.moved), weights.moved_activities, len(shifts.moved)
            ),
            Term("days changed", sum(shifts.days), weights.moved_days, len(shifts.days)),
            Term("venues changed", sum(shifts.venues), weights.moved_venues, len(shifts.venues)),
        )
        stage(
            "shift",
            Term(
                "minutes moved",
                sum(shifts.minutes),
                weights.moved_minutes,
                len(shifts.minutes) * DAY,
            ),
        )
        stage("soft rules", soft)
        return stages
    stage("soft rules", soft)
    if not (weights.idle_minutes or weights.day_end):
        return stages  # no need to build the day spans
    idle, ends = _compactness(build)
    stage("idle minutes", Term("idle minutes", sum(idle), weights.idle_minutes, len(idle) * DAY))
    stage("day ends", Term("day ends", sum(ends), weights.day_end, len(ends) * DAY))
    return stages


@dataclass
class Shifts:
    """Per activity of the reference, what a repair changes, as a planner counts it."""

    moved: list[Any] = field(default_factory=list)
    """Literals: the activity is not at its reference day and time of day."""
    days: list[Any] = field(default_factory=list)
    """Literals: it is on another day."""
    venues: list[Any] = field(default_factory=list)
    """Literals: it may change venue and does."""
    minutes: list[Any] = field(default_factory=list)
    """Minutes between its time of day and the reference's (the day aside)."""


def _stability(build: Build, reference: Timetable) -> Shifts:
    """What moves, measured by time of day within a day; a change of day and a change of venue
    are counted on their own. Bus rides are left out: their times follow their leg's departure,
    which is an input."""
    problem, model = build.problem, build.model
    shifts = Shifts()
    for item in problem.items:
        placement = reference.get(item.id)
        if placement is None or item.ride is not None:
            continue
        day = problem.day_of_date.get(placement.date)
        if day is None:
            continue
        tod = build.time_of_day(item)
        moved = model.new_bool_var(f"moved_{item.id}")
        model.add(build.start(item) == day * DAY + placement.start).only_enforce_if(moved.Not())
        shifts.moved.append(moved)
        if len(item.days) > 1:
            shifts.days.append(build.on_day(item, day).Not())
        elif day not in item.days:
            shifts.days.append(build.true)
        options = build.venue_literals(item)
        if len(options) > 1:
            same = [lit for lit, _, venue in options if venue == placement.venue]
            shifts.venues.append(build.true if not same else build.any_of(same).Not())
        distance = model.new_int_var(0, DAY, f"shift_{item.id}")
        model.add_abs_equality(distance, tod - placement.start)
        shifts.minutes.append(distance)
    return shifts


def _compactness(build: Build) -> tuple[list[Any], list[Any]]:
    """Per day: the span from first start to last end (idle plus work), and the last end."""
    problem, model = build.problem, build.model
    spans, ends = [], []
    for day in range(len(problem.dates)):
        items = [i for i in problem.items if day in i.days and i.ride is None]
        movable = [i for i in items if i.fixed_start is None or i.id in build.unpinned]
        if not movable:
            continue
        first = model.new_int_var(0, DAY, f"first_{day}")
        last = model.new_int_var(0, DAY, f"last_{day}")
        for item in items:
            on = build.on_day(item, day)
            model.add(first <= build.time_of_day(item)).only_enforce_if(on)
            model.add(last >= build.time_of_day(item) + item.duration).only_enforce_if(on)
        spans.append(last - first)
        ends.append(last)
    return spans, ends


def install_interrupt(stop: threading.Event) -> Callable[[], None]:
    """Turn Ctrl-C into a request to stop the search and keep the best timetable so far."""
    previous = signal.getsignal(signal.SIGINT)

    def handler(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    signal.signal(signal.SIGINT, handler)

    def restore() -> None:
        signal.signal(signal.SIGINT, previous)

    return restore
