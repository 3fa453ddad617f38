"""Solve a problem: objectives in lexicographic stages (or one weighted sum), deterministic.

Stages, in order, each only when its weight is non-zero: broken soft rules, activities moved
from the reference, minutes moved, idle minutes inside days, day ends. A stage that is proven
optimal is frozen (its objective bounded by the value found) before the next one starts, so the
result is "fewest activities moved, then fewest minutes", exactly. A stage that runs out of
budget stops the sequence and the result is reported as feasible, not optimal.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ortools.sat.python import cp_model

from ..compile import Item, Problem, hidden_in_container
from ..timetable import Placement, Timetable
from ..vocabulary import Part
from . import parameters, search
from .build import DAY, Build

if TYPE_CHECKING:
    import pandas as pd


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

    def to_frame(self) -> pd.DataFrame:
        """The timetable as a DataFrame (``Timetable.to_frame``); an error when none was
        found."""
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
    soft_first: bool = False
    """The file's soft rules (a compact morning...) before the disruption of the reference
    (``whatif`` alternatives: a repair that keeps every soft rule)."""
    close_up: frozenset[int] = frozenset()
    """Days (indices) whose idle minutes, and then the day's shape, come right after the
    disruption, before its minutes (``whatif`` alternatives: the day a scenario opened a
    hole in, closed up)."""
    differ_from: tuple[Timetable, ...] = ()
    """Repairs the answer must not be a variant of: of what each moved (from the reference),
    something stays (``Build.differ``)."""
    log_search: bool = False
    """Pass CP-SAT's own search log through (``parameters.log_search``)."""
    parameters: dict[str, object] = field(default_factory=dict)
    """CP-SAT parameters by name (``SatParameters``), set last: they win over the above."""


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
    problem = unpin(problem, unpinned)
    build = Build(
        problem,
        unpinned=unpinned,
        pool_rooms=options.pool_rooms,
        cliques=options.tactics.cliques,
    )
    stages = _merge(
        _objectives(build, reference, soft_first=options.soft_first, close_up=options.close_up)
    )
    if reference is not None:
        for other in options.differ_from:
            build.differ(other, reference, unpinned)
    holds = (
        reference is not None
        and not options.soft_first
        and not options.close_up
        and not options.differ_from
        and _holds_as_it_is(problem, reference)
    )
    if reference is not None:
        if holds:
            # nothing needs to move: the least disruptive timetable is the reference itself
            # (no move, no shift), so the model only has to confirm it and count its costs
            build.fix(reference)
        build.hint(reference)
    plan = search.prepare(build, options.tactics, options.seed, hinted=reference is not None)
    build_time = time.perf_counter() - began
    deadline = began + options.time_limit
    if not holds and build.pooled is None:
        first = _first_timetable(problem, unpinned, options, reference, deadline, stop)
        if first == Status.INFEASIBLE:
            return Result(
                status=Status.INFEASIBLE,
                timetable=None,
                objective=None,
                bound=None,
                wall_time=time.perf_counter() - began,
                build_time=build_time,
                problem=problem,
            )
        if isinstance(first, Timetable):
            build.hint(first)
            build.complete_hint(_solver(options, max(0.05, deadline - time.perf_counter()), 1))
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


def _first_timetable(
    problem: Problem,
    unpinned: frozenset[str],
    options: SolveOptions,
    reference: Timetable | None,
    deadline: float,
    stop: threading.Event | None,
) -> Timetable | Status:
    """A first timetable from the hard rules alone (a lighter model, no objective), to start
    the full search from; or the proof that none exists, which needs no objective either.
    Soft rules and the planner defaults multiply the model's constraints several times over:
    without them CP-SAT finds a first timetable in a fraction of the time."""
    lean = Build(problem, unpinned=unpinned, hard_only=True, pool_rooms=options.pool_rooms)
    if reference is not None:
        lean.hint(reference)
    solver = _solver(options, max(0.05, deadline - time.perf_counter()), 1)
    callback = _Callback("first timetable", time.perf_counter(), None, stop)
    with _stop_when_set(stop, solver, callback):
        code = lean.solve(solver, callback)
    status = _status(code)
    if status in _FOUND:
        return lean.timetable(solver)
    return status


def _holds_as_it_is(problem: Problem, reference: Timetable) -> bool:
    """Does the reference place every activity and break no hard rule of ``problem``? Then
    disruption and shift are zero there, the lexicographic optimum: the solve is a check."""
    from ..checking import check_problem

    if any(reference.get(item.id) is None for item in problem.items):
        return False
    return check_problem(problem, reference).ok


def unpin(problem: Problem, ids: frozenset[str]) -> Problem:
    """The problem with these activities no longer pinned: the problem the solver solved, so
    that checking its answer reads the planner defaults (which leave pinned times alone) the
    way the model did."""
    if not ids:
        return problem
    import dataclasses

    items = [dataclasses.replace(i, pinned=False) if i.id in ids else i for i in problem.items]
    return dataclasses.replace(problem, items=items)


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
    parameters.configure(solver, options.parameters, log_search=options.log_search)
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


def _objectives(
    build: Build,
    reference: Timetable | None,
    *,
    soft_first: bool = False,
    close_up: frozenset[int] = frozenset(),
) -> list[Objective]:
    """The stages with a non-zero weight, in lexicographic order.

    Without a reference: the file's soft rules, then the day's shape (the planner defaults,
    idle minutes inside days, day ends). With one (a repair, or a template's pattern): the
    disruption of it (activities moved, days and venues changed, pairs put the other way
    round, activities moved to another part of the day), then the minutes of shift, then the
    soft rules, then the shape. The alternatives of a repair reorder them: ``soft_first``
    puts the soft rules first; ``close_up`` (days) puts the idle minutes of those days and
    then the shape right after the disruption, before the minutes of shift."""
    weights = build.problem.programme.objective
    stages: list[Objective] = []

    def stage(name: str, *terms: Term) -> None:
        kept = [t for t in terms if t.weight and not isinstance(t.expression, int)]
        if kept:
            stages.append(Objective(name, kept))

    soft = _penalty_term("soft rules", build.penalties, build.penalty_counts, weights.soft_rules)
    planner = _penalty_term("planner defaults", build.shape, build.shape_counts, 1)
    # day spans only when they weigh something (thousands of variables on a conference)
    idle, ends = _compactness(build) if weights.idle_minutes or weights.day_end else ([], [])
    shape = (
        planner,
        Term("idle minutes", sum(idle), weights.idle_minutes, len(idle) * DAY),
        Term("day ends", sum(ends), weights.day_end, len(ends) * DAY),
    )
    shape_early = bool(close_up) and reference is not None
    if soft_first:
        stage("soft rules", soft)
    if reference is not None:
        shifts = _stability(build, reference)
        stage(
            "disruption",
            Term(
                "activities moved", sum(shifts.moved), weights.moved_activities, len(shifts.moved)
            ),
            Term("days changed", sum(shifts.days), weights.moved_days, len(shifts.days)),
            Term("venues changed", sum(shifts.venues), weights.moved_venues, len(shifts.venues)),
            Term("pairs reordered", sum(shifts.order), weights.moved_order, len(shifts.order)),
            Term("parts changed", sum(shifts.parts), weights.moved_parts, len(shifts.parts)),
            *_room_terms(build, reference),
        )
        if shape_early:  # no hole left where it can close, before the minutes
            there = _idle(build, sorted(close_up))
            stage(
                "idle minutes of the day",
                Term("idle minutes of the day", sum(there), 1, len(there) * DAY),
            )
            stage("shape", *shape)
        stage(
            "shift",
            Term(
                "minutes moved",
                sum(shifts.minutes),
                weights.moved_minutes,
                len(shifts.minutes) * DAY,
            ),
        )
    if not soft_first:
        stage("soft rules", soft)
    if not shape_early:
        stage("shape", *shape)
    return stages


def _penalty_term(
    name: str, literals: list[tuple[int, Any]], counts: list[tuple[int, Any, int]], weight: int
) -> Term:
    """The weighted sum of broken soft constraints (a literal false, a count above zero)."""
    terms = [w * (1 - lit) for w, lit in literals] + [w * count for w, count, _ in counts]
    upper = sum(w for w, _ in literals) + sum(w * bound for w, _, bound in counts)
    return Term(name, sum(terms), weight, upper)


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
    order: list[Any] = field(default_factory=list)
    """Literals: two activities of one group's day in the reference, now the other way round."""
    parts: list[Any] = field(default_factory=list)
    """Literals: the activity is now in another part of the day than in the reference."""


REORDER_LIST = 40
"""A group's day with more activities than this (a conference's) compares only neighbours."""


def _stability(build: Build, reference: Timetable) -> Shifts:
    """What moves, measured by time of day within a day; a change of day, of venue, of order
    and of part of the day are counted on their own. Bus rides are left out: their times
    follow their leg's departure, which is an input."""
    problem, model = build.problem, build.model
    weights = problem.programme.objective
    shifts = Shifts()
    kept: list[tuple[Item, Placement]] = []
    for item in problem.items:
        placement = reference.get(item.id)
        if placement is None or item.ride is not None:
            continue
        day = problem.day_of_date.get(placement.date)
        if day is None:
            continue
        kept.append((item, placement))
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
        if weights.moved_parts and not build.is_pinned(item):
            shifts.parts.append(_part_changed(build, item, placement))
    if weights.moved_order:
        shifts.order = _reordered(build, kept)
    return shifts


def _room_terms(build: Build, reference: Timetable) -> list[Term]:
    """Rooms kept, for activities with a choice of rooms (a closed room's events): leaving
    the published room, then a room its track does not use (the rooms the reference gives its
    track's activities), each counted once per activity. Pooled rooms are matched after the
    solve, preferring the reference's room (``slots.py``), so they are not counted here."""
    problem, weights = build.problem, build.problem.programme.objective
    track_rooms: dict[str, set[str]] = {}
    for item in problem.items:
        placement = reference.get(item.id)
        if item.track is not None and placement is not None and placement.room is not None:
            track_rooms.setdefault(item.track, set()).add(placement.room)
    changed, off_track = [], []
    for item in problem.items:
        placement = reference.get(item.id)
        rooms = build.room_literals(item)
        if placement is None or placement.room is None or len(rooms) < 2:
            continue
        same = [lit for lit, room in rooms if room == placement.room]
        changed.append(same[0].Not() if same else build.true)
        kept = track_rooms.get(item.track, set()) if item.track is not None else set()
        outside = [lit for lit, room in rooms if room not in kept]
        if kept and outside:
            off_track.append(sum(outside))
    return [
        Term("rooms changed", sum(changed), weights.moved_rooms, len(changed)),
        Term("rooms off track", sum(off_track), weights.off_track_rooms, len(off_track)),
    ]


def _part_changed(build: Build, item: Item, placement: Placement) -> Any:
    """A literal true when the activity's middle leaves the part of the day it had."""
    problem, model = build.problem, build.model
    part = problem.part(placement.start, placement.end)
    edges = [0, *(2 * b for b in problem.boundaries), 4 * DAY]
    index = list(Part).index(part)
    middle2 = 2 * build.time_of_day(item) + build.duration(item)
    stays = model.new_bool_var(f"part_{item.id}")
    model.add(middle2 >= edges[index]).only_enforce_if(stays)
    model.add(middle2 < edges[index + 1]).only_enforce_if(stays)
    return stays.Not()


def _reordered(build: Build, kept: list[tuple[Item, Placement]]) -> list[Any]:
    """For two activities of one group's day in the reference, one ending before the other
    starts: a literal true when they are still on one day, the other way round."""
    days: dict[tuple[str, Any], list[tuple[Item, Placement]]] = {}
    for item, placement in kept:
        for group in item.groups:
            days.setdefault((group, placement.date), []).append((item, placement))
    seen: set[tuple[int, int]] = set()
    literals = []
    for members in days.values():
        members.sort(key=lambda x: (x[1].start, x[0].index))
        for x, (a, p) in enumerate(members):
            later = [(b, q) for b, q in members[x + 1 :] if q.start >= p.end]
            if len(members) > REORDER_LIST:
                later = later[:1]
            for b, _ in later:
                key = (a.index, b.index)
                if key in seen or (build.is_pinned(a) and build.is_pinned(b)):
                    continue
                seen.add(key)
                inverted = build.model.new_bool_var(f"reordered_{a.id}_{b.id}")
                build.model.add_bool_and([build.same_day(a, b)]).only_enforce_if(inverted)
                build.model.add(build.start(b) < build.start(a)).only_enforce_if(inverted)
                build.model.add_bool_or([inverted, build.same_day(a, b).Not(), build.before(a, b)])
                literals.append(inverted)
    return literals


def _compactness(build: Build) -> tuple[list[Any], list[Any]]:
    """Per day with something movable: the idle minutes between its first start and last end
    (the span less the minutes its activities fill), and the last end."""
    weights = build.problem.programme.objective
    if not (weights.idle_minutes or weights.day_end):
        return [], []
    ends: list[Any] = []
    return _idle(build, range(len(build.problem.dates)), ends), ends


def _idle(build: Build, days: Iterable[int], ends: list[Any] | None = None) -> list[Any]:
    """Per day of ``days`` with something movable, its idle minutes (and into ``ends``, its
    last end)."""
    problem, model = build.problem, build.model
    idle: list[Any] = []
    for day in days:
        items = [i for i in problem.items if day in i.days and not hidden_in_container(problem, i)]
        if all(build.is_pinned(i) and len(i.days) == 1 for i in items):
            continue
        first = model.new_int_var(0, DAY, f"first_{day}")
        last = model.new_int_var(0, DAY, f"last_{day}")
        busy = []
        for item in items:
            on = build.on_day(item, day)
            model.add(first <= build.time_of_day(item)).only_enforce_if(on)
            model.add(last >= build.time_of_day(item) + build.duration(item)).only_enforce_if(on)
            filled = model.new_int_var(0, item.max_duration, f"filled_{day}_{item.id}")
            model.add(filled == build.duration(item)).only_enforce_if(on)
            model.add(filled == 0).only_enforce_if(on.Not())
            busy.append(filled)
        gap = model.new_int_var(0, DAY, f"idle_{day}")
        model.add(gap >= last - first - sum(busy))
        idle.append(gap)
        if ends is not None:
            ends.append(last)
    return idle
