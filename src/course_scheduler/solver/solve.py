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
    build = Build(problem, unpinned=unpinned, pool_rooms=options.pool_rooms)
    stages = _merge(_objectives(build, reference))
    if reference is not None:
        build.hint(reference)
    build_time = time.perf_counter() - began
    deadline = began + options.time_limit
    done: list[Stage] = []
    best: Timetable | None = None
    status = Status.UNKNOWN
    objective = bound = None
    if not stages:
        stages = [Objective("feasibility", 0, 0, [])]
    for stage in stages:
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
            code = build.solve(solver, callback)
        stage_status = _status(code)
        inexact = build.pooled is not None and build.pooled.inexact
        if (callback.interrupted or inexact) and stage_status == Status.OPTIMAL:
            stage_status = Status.FEASIBLE
        value = round(solver.objective_value) if stage_status in _FOUND else None
        stage_bound = round(solver.best_objective_bound) if stage_status in _FOUND else None
        seconds = time.perf_counter() - stage_began
        for part_name, part, _ in stage.parts or [(name, expression, 0)]:
            part_value = _value(solver, part) if stage_status in _FOUND else None
            part_bound = stage_bound if len(stage.parts) <= 1 else None
            done.append(Stage(part_name, stage_status, part_value, part_bound, seconds))
        if stage_status in _FOUND:
            best = build.timetable(solver)
            objective, bound = value, stage_bound
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


@dataclass
class Objective:
    """An expression to minimise with an upper bound on its value; ``parts`` when merged."""

    name: str
    expression: Any
    upper: int
    parts: list[tuple[str, Any, int]]


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
    total, multiplier = 0, 1
    terms = []
    for stage in reversed(stages):
        terms.append(stage.expression * multiplier)
        total += stage.upper * multiplier
        multiplier *= stage.upper + 1
    if multiplier >= MERGE_LIMIT:
        return stages
    name = " > ".join(s.name for s in stages)
    parts = [(s.name, s.expression, s.upper) for s in stages]
    return [Objective(name, sum(terms), total, parts)]


def _value(solver: cp_model.CpSolver, expression: Any) -> int:
    if isinstance(expression, int):
        return expression
    return int(solver.value(expression))


def _objectives(build: Build, reference: Timetable | None) -> list[Objective]:
    """The stages with non-zero weight, each an expression to minimise with its bound."""
    weights = build.problem.programme.objective
    stages: list[Objective] = []

    def add(name: str, terms: list[Any], upper: int, weight: int) -> None:
        if terms and weight:
            stages.append(Objective(name, sum(terms) * weight, upper * weight, []))

    penalties = [w * (1 - lit) for w, lit in build.penalties]
    penalties += [w * count for w, count, _ in build.penalty_counts]
    penalty_bound = sum(w for w, _ in build.penalties)
    penalty_bound += sum(w * upper for w, _, upper in build.penalty_counts)
    day_range = len(build.problem.dates) * DAY
    if reference is not None:
        # a repair: disturb the published timetable as little as possible, then soft rules
        moved, minutes = _stability(build, reference)
        add("activities moved", moved, len(moved), weights.moved_activities)
        add("minutes moved", minutes, len(minutes) * day_range, weights.moved_minutes)
        add("soft rules", penalties, penalty_bound, weights.soft_rules)
        return stages
    add("soft rules", penalties, penalty_bound, weights.soft_rules)
    idle, ends = _compactness(build)
    add("idle minutes", idle, len(idle) * DAY, weights.idle_minutes)
    add("day ends", ends, len(ends) * DAY, weights.day_end)
    return stages


def _stability(build: Build, reference: Timetable) -> tuple[list[Any], list[Any]]:
    """Per activity in the reference: a literal 'moved' and its minutes moved (absolute).

    Bus rides are left out: their times follow their leg's departure, which is an input."""
    problem, model = build.problem, build.model
    moved, minutes = [], []
    for item in problem.items:
        placement = reference.get(item.id)
        if placement is None or item.ride is not None:
            continue
        day = problem.day_of_date.get(placement.date)
        if day is None:
            continue
        target = day * DAY + placement.start
        start = build.start(item)
        flag = model.new_bool_var(f"moved_{item.id}")
        model.add(start == target).only_enforce_if(flag.Not())
        same_venue = [lit for lit, d, v in build.venue_literals(item) if v == placement.venue]
        if len(build.venue_literals(item)) > 1:
            model.add_bool_or([flag, *same_venue]) if same_venue else model.add(flag == 1)
        distance = model.new_int_var(0, len(problem.dates) * DAY, f"dist_{item.id}")
        model.add_abs_equality(distance, start - target)
        moved.append(flag)
        minutes.append(distance)
    return moved, minutes


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
