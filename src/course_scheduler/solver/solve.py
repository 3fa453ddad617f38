"""Solve a problem: the objective's ranks lexicographically (merged into one weighted sum when
exact, else one after the other), deterministic.

Ranks, in the file's ``objective.ranking`` (``objective.py``): disruption of a reference,
the day's skeleton, the listed order, minutes of shift, the file's soft rules, the rest of the
day's shape; each only with a non-zero term. A rank solved on its own is frozen (its
objective bounded by the value found) before the next one starts, so the result is "fewest
activities moved, then fewest minutes", exactly when each is proven. A merged solve that
cannot prove its optimum in a quarter of the time left goes on rank by rank; a rank cut short is
frozen where it got, and the result is reported as feasible, not optimal, with how far it
may be.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ortools.sat.python import cp_model

from ..collector import collector_paused
from ..compile import Item, Problem, hidden_in_container
from ..timetable import Placement, Timetable
from ..vocabulary import Part
from . import exchange, parameters, proof, search
from .budget import Budget, OutOfTime, PhaseTime
from .build import DAY, Build
from .draft import draft
from .explain import Explanation, explained
from .objective import (
    ObjectiveValue,
    Rank,
    RankValue,
    Term,
    broken,
    evaluate,
    live,
    merge,
    weighted,
)
from .overrun import Overrun
from .shortage import Shortage

if TYPE_CHECKING:
    import pandas as pd

    from ..keeping import Kept
    from .construct import Construction


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
    objective: ObjectiveValue | None
    """The objective by named terms, with the solver's bound read back into words (``gap``);
    None without a timetable, and when the timetable is a checked construction the search
    never read (the time ran out first) and soft capacity is not the whole objective: its
    costs were not counted. Where it is, the checker's count and the bound are reported."""
    wall_time: float
    build_time: float
    stages: list[Stage] = field(default_factory=list)
    problem: Problem | None = None
    phases: dict[str, PhaseTime] = field(default_factory=dict)
    """Where the time went: wall and CPU seconds of each phase (build, construct, search,
    rooms, read back, and the first timetable's model when one is made)."""
    kept: Kept | None = None
    """The errors the file forces that the timetable keeps, checked by every rule
    (``keeping.py``); None when the file forces none or keeping was turned off."""
    explanation: Explanation | None = None
    """Why no timetable exists, when the solve proved it by counting rooms
    (``shortage.py``) or minutes (``overrun.py``); else None (``explain_problem`` looks for the rules that clash)."""

    @classmethod
    def unread(cls, read: PhaseTime) -> Result:
        """The answer when reading the input took the whole time limit: no timetable, and
        the one phase ``read``, so the command can say that reading was what took it."""
        return cls(Status.UNKNOWN, None, None, read.wall, read.wall, phases={"read": read})

    @property
    def found(self) -> bool:
        return self.timetable is not None

    @property
    def far_from_proven(self) -> bool:
        """A timetable not proven best whose first open rank's bound leaves much room
        (``ObjectiveValue.far_from_proven``): the best possible may be much better, and another
        run may differ."""
        if self.status == Status.OPTIMAL or self.objective is None:
            return False
        return self.objective.far_from_proven

    def to_frame(self) -> pd.DataFrame:
        """The timetable as a DataFrame (``Timetable.to_frame``); an error when none was
        found."""
        if self.timetable is None or self.problem is None:
            raise ValueError(f"no timetable: the solve ended {self.status.value}")
        return self.timetable.to_frame(self.problem)

    def summary(self) -> str:
        """ "optimal: 51 activities placed; objective: ...; proven best (0.52 s)", then what
        it keeps of the errors the file forces ("It keeps 1 error ...")."""
        if self.timetable is None:
            found = "no timetable"
        elif self.objective is None:
            found = (
                f"{len(self.timetable)} activities placed; objective not counted (the time ran "
                "out before the search read this timetable)"
            )
        else:
            found = (
                f"{len(self.timetable)} activities placed; {self.objective.line()}; "
                f"{self.objective.gap}"
            )
        kept = self.kept.line() if self.kept is not None else ""
        return f"{self.status.value}: {found} ({self.wall_time:.2f} s)" + (
            f". {kept}" if kept else ""
        )

    def table(self) -> str:
        """The timetable day by day, as ``solve`` prints it ("" without one)."""
        if self.timetable is None or self.problem is None:
            return ""
        from ..exports.days import day_tables

        return day_tables(self.problem, self.timetable)

    def __repr__(self) -> str:
        return f"<Result {self.summary()}>"

    def _repr_html_(self) -> str:
        """The summary and the days (for Jupyter)."""
        from ..display import html_block

        return html_block(f"Solve: {self.summary()}", pre=self.table())


Progress = Callable[[str, float, ObjectiveValue], None]
"""Called with (stage, elapsed seconds, the objective by named terms) as solutions arrive."""


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
    began: float | None = None
    """When the time limit started (a ``time.perf_counter()`` moment; default: the call). A
    caller that loads, converts or compiles first passes when it began, so those count too."""


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
    """The best timetable within ``options.time_limit`` seconds, counted from
    ``options.began``: every phase counts, the Python ones too (building the model, the
    construction, room matching), and each stops early when the time is out; the answer is
    the best timetable found by then (``Result.phases`` says where the time went).

    Python's cycle collector is paused meanwhile, as during ``check``: building the model
    makes millions of small objects and no garbage cycles, and each collection walked all of
    them (11-13 % of a 2,000-event solve)."""
    options = options or SolveOptions()
    budget = Budget(options.time_limit, options.began or time.perf_counter())
    unpinned = _unpinned(problem, options.unpin)
    problem = unpin(problem, unpinned)
    kept: list[Timetable] = []
    counts: list[proof.Counted] = []
    built: list[Build] = []
    with collector_paused():
        try:
            result = _solve(
                problem, reference, options, stop, budget, unpinned, kept, counts, built
            )
        except OutOfTime:  # the best so far: a checked construction, or nothing yet
            result = Result(
                status=Status.FEASIBLE if kept else Status.UNKNOWN,
                timetable=kept[0] if kept else None,
                objective=counts[0].value() if kept and counts else None,
                wall_time=budget.elapsed(),
                build_time=budget.elapsed(),
                problem=problem,
                phases=budget.phases,
            )
        # freeing the model counts against the limit (``Budget.freeing``), and comes before
        # the collector is back on: its first collection would walk the whole model (1 s of
        # 2,000 conference talks at load 6), every object of it young
        with budget.phase("free"):
            built.clear()
    result.wall_time = budget.elapsed()
    return result


def _solve(
    problem: Problem,
    reference: Timetable | None,
    options: SolveOptions,
    stop: threading.Event | None,
    budget: Budget,
    unpinned: frozenset[str],
    kept: list[Timetable],
    counts: list[proof.Counted],
    built: list[Build],
) -> Result:
    """``kept``: where a checked construction is put as soon as it is made, for the caller
    to return if the time runs out in a Python phase after it (``counts``: its soft capacity
    count and bound, when that is the objective); ``built``: where the model is put, for the
    caller to free within the time limit."""
    began = budget.began
    with budget.phase("build"):
        build = Build(
            problem,
            unpinned=unpinned,
            pool_rooms=options.pool_rooms,
            cliques=options.tactics.cliques,
            budget=budget,
            defer=True,
        )
    built.append(build)
    constructed = None
    counted: proof.Counted | None = None
    """The construction's soft capacity count and its bound: what a run that finds nothing
    better reports."""
    if reference is None:  # a first timetable before the rest of the model is written
        # the construction stops in time for its check: a construction the limit leaves no
        # time to check is no answer (``check_reserve``)
        checking = check_reserve(len(problem.items)) * budget.slowness()
        budget.reserve = checking + budget.freeing(build.size())
        with budget.phase("construct"):
            plan = search.prepare(build, options.tactics, options.seed, False, budget)
        budget.reserve = 0.0
        if plan.shortage is not None:
            return _short(problem, plan.shortage, budget)
        with budget.phase("check"):
            constructed = search.checked_construction(build, plan)
        if constructed is not None:
            kept.append(constructed)
        on_time = _on_time(budget, build)
        if constructed is not None and build.pooled is not None and build.pooled.soft_weights():
            with budget.phase("bound"):  # the flow only when exchanges leave the misfits above
                counted = proof.counted_construction(build, constructed, on_time, flow=False)
                if counted is not None:  # kept[0]'s count: what a run out of time reports
                    counts.append(counted)
                if counted is not None and counted.misfits - counted.lowest > exchange.GAP_CLOSED:
                    counted = counts[0] = proof.tightened(build, counted, on_time)
            if counted is not None and not counted.proven and plan.construction is not None:
                with budget.phase("exchange"):
                    better = _exchanged(build, plan.construction, constructed, counted, on_time)
                if better is not None:  # the search, if any, starts from it
                    constructed = kept[0] = better.timetable
                    plan.construction.placed = {
                        choice.item.index: (choice, constructed.placements[choice.item.id].room)
                        for here in better.cells.values()
                        for choice in here
                    }
                    counted = counts[0] = dataclasses.replace(counted, misfits=better.misfits)
            if counted is not None and not counted.proven:
                with budget.phase("bound"):
                    counted = counts[0] = proof.tightened(build, counted, on_time)
            if counted is not None and counted.proven:  # the soft model need not be written
                return _proven(problem, constructed, counted, options, budget)
    with budget.phase("build"):
        holds = (
            reference is not None
            and not options.soft_first
            and not options.close_up
            and not options.differ_from
            and _holds_as_it_is(problem, reference)
        )
    if reference is not None:  # before the cliques are written: a shortage needs none of them
        with budget.phase("construct"):
            repaired = None if holds else reference
            plan = search.prepare(build, options.tactics, options.seed, True, budget, repaired)
        if plan.shortage is not None:
            return _short(problem, plan.shortage, budget)
        if plan.construction is not None and not options.differ_from:
            # the answer if the search finds none in time (one that must differ from other
            # alternatives is not checked for that: the model alone knows)
            with budget.phase("check"):
                constructed = search.checked_construction(build, plan, reference)
            if constructed is not None:
                kept.append(constructed)
    with budget.phase("build"):
        if build.pooled is None or build.pooled.soft_weights():
            build.finish()  # the soft capacity count is part of the objective
        ranks = _objectives(
            build, reference, soft_first=options.soft_first, close_up=options.close_up
        )
        # last, and apart: merged into the others' sum it made them harder to prove (38C3
        # kept 9 published errors where 7 do), and a share of its own took their time
        nearest = _file_rank(build, unpinned) if ranks and reference is None and unpinned else []
        stages = merge(ranks) + nearest
        ranks += nearest
    if constructed is not None and not stages:  # any valid timetable will do: this one
        return _any_valid(problem, constructed, options, budget, "construction")
    with budget.phase("build"):
        build.finish()
        if reference is not None:
            for other in options.differ_from:
                build.differ(other, reference, unpinned)
        if reference is not None:
            if holds:
                # nothing needs to move: the least disruptive timetable is the reference itself
                # (no move, no shift), so the model only has to confirm it and count its costs
                build.fix(reference)
            if plan.construction is None:  # else the repair it constructed is the hint
                build.hint(reference)
        budget.check(build.size())  # the objective is written: is there time to search?
    budget.reserve = read_back_reserve(build, budget)
    checked = budget.phases.get("check")
    if checked is not None:  # reading the construction matched every cell's rooms: as costly
        reading = 1.5 * checked.wall + budget.freeing(build.size())
        budget.reserve = max(budget.reserve, min(reading, budget.limit / 4))
    build_time = time.perf_counter() - began
    deadline = budget.deadline - budget.reserve
    if not holds and build.pooled is None:
        first = _first_timetable(problem, unpinned, options, reference, budget, stop)
        if first == Status.INFEASIBLE:
            return Result(
                status=Status.INFEASIBLE,
                timetable=None,
                objective=None,
                wall_time=time.perf_counter() - began,
                build_time=build_time,
                problem=problem,
                phases=budget.phases,
            )
        interrupted = stop is not None and stop.is_set()  # the search says so (INTERRUPTED)
        if (
            isinstance(first, Timetable)
            and not stages
            and not interrupted
            and _clean(problem, first)
        ):
            return _any_valid(problem, first, options, budget, "first timetable")
        if isinstance(first, Timetable):
            build.hint(first)
            # completed under the objective: every soft literal as the timetable has it, so the
            # search starts from the costs the first timetable really has
            if stages and not isinstance(stages[0].expression, int):
                build.model.minimize(stages[0].expression)
            remaining = max(0.05, deadline - time.perf_counter())
            build.complete_hint(_solver(options, min(remaining, max(1.0, remaining / 5)), 1))
    done: list[Stage] = []
    best: Timetable | None = None
    status = Status.UNKNOWN
    objective: ObjectiveValue | None = None
    queue = list(stages) or [Rank("feasibility", [])]
    solved: list[tuple[Rank, bool]] = []
    bounds: dict[int, int] = {}
    shares = Shares(deadline, options.deterministic_time)
    unproven = finished = False
    retried = False
    """A stage that found no timetable in its share, with none in hand yet, is given the
    rest of the time once (else the solve ended UNKNOWN with most of its time unused)."""
    skipped: list[Rank] = []
    """Ranks whose share of the time gave no answer (reported as not compared)."""
    while queue:
        stage = queue.pop(0)
        if stop is not None and stop.is_set():
            status = Status.INTERRUPTED
            queue.insert(0, stage)
            break
        # a merged stage gets a share of the time to prove every rank at once; if it cannot, its
        # ranks are solved one after the other from its best timetable, each with a share
        split = len(stage.parts) > 1
        last = {id(r) for r in nearest}
        if id(stage) in last:  # what the ranks before it leave
            share = 1.0
        else:
            share = MERGED_SHARE if split else 1 / (1 + sum(id(r) not in last for r in queue))
        solver = shares.solver(options, 1.0 if retried else share)
        if solver is None:
            status = Status.FEASIBLE if best is not None else Status.UNKNOWN
            queue.insert(0, stage)
            break
        if best is not None and build.pooled is None and len(stages) == 1:
            # a rank of a merged stage that could not prove: it starts from a complete hint,
            # and presolving the whole model again took its whole share on a 157-activity
            # template (benchmarks/academy.py)
            solver.parameters.cp_model_presolve = False
        expression = stage.expression
        if not isinstance(expression, int):
            build.model.minimize(expression)
        current = [r for r, _ in solved] + [stage, *queue]
        callback = _Callback(
            stage, current, [p for _, p in solved], bounds, began, options.progress, stop
        )
        stage_began = time.perf_counter()
        plan.polish = not split and not queue  # the last rank, once it stalls
        with _stop_when_set(stop, solver, callback):
            code = search.run(build, solver, plan, callback)
        shares.spent(solver)
        stage_status = _status(code)
        inexact = build.pooled is not None and build.pooled.inexact
        if (callback.interrupted or inexact) and stage_status == Status.OPTIMAL:
            stage_status = Status.FEASIBLE
        found = stage_status in _FOUND
        value = round(solver.objective_value) if found else None
        stage_bound = round(solver.best_objective_bound) if found else None
        done.append(
            Stage(stage.name, stage_status, value, stage_bound, time.perf_counter() - stage_began)
        )
        proven = stage_status == Status.OPTIMAL
        if found:
            assert stage_bound is not None
            with budget.phase("read back"):
                best = build.timetable(solver)
            # the next stage starts from it, every variable as it is (a complete hint)
            build.hint(best) if build.pooled is not None else build.hint_solution(solver)
            bounds[id(stage)] = stage_bound
            current = [r for r, _ in solved] + [stage, *queue]
            flags = [p for _, p in solved] + [proven]
            objective = _report(current, flags, bounds, solver.value, value)
            if split and not proven and shares.left() and not callback.interrupted:
                queue[:0] = [Rank(name, terms) for name, _, terms in stage.parts]
                continue
            solved.append((stage, proven))
        if callback.interrupted:
            status = Status.INTERRUPTED
            if not found:
                queue.insert(0, stage)
            break
        if not found and best is not None and stage_status == Status.UNKNOWN and shares.left():
            skipped.append(stage)  # no answer in its share: the next rank gets the time
            unproven = True
            continue
        nothing_yet = not found and best is None and stage_status == Status.UNKNOWN
        seconds_left = shares.deadline - time.perf_counter()
        again = seconds_left > 2 * build.expected_load()
        if nothing_yet and not retried and shares.left() and again:
            retried = True
            queue.insert(0, stage)
            continue
        if not found:
            status = stage_status if best is None else Status.FEASIBLE
            queue.insert(0, stage)  # not reached: reported as such
            break
        unproven = unproven or not proven
        if not isinstance(expression, int) and value is not None:
            build.model.add(expression <= value)  # this rank keeps what it reached
    else:
        finished = True
    if finished:
        status = Status.FEASIBLE if unproven else Status.OPTIMAL
    if best is None and constructed is not None and status != Status.INFEASIBLE:
        # the search found nothing in time: the checked construction is the best so far (not
        # when it proved there is none: the model holds rules the construction's check does
        # not, e.g. differing from other alternatives)
        best = constructed
        # counted by the checker when soft capacity is the objective, else not counted
        objective = counted.value() if counted is not None else None
        if status != Status.INTERRUPTED:
            status = Status.FEASIBLE
    counted_as_is = best is constructed and counted is not None  # by the checker: exact
    if (
        best is not None
        and status != Status.OPTIMAL
        and objective is not None
        and not counted_as_is
    ):
        place = {rank.name: k for k, rank in enumerate(ranks)}
        left = sorted(
            ranks_of(solved, [*skipped, *queue]), key=lambda r: place.get(r.parts[0][0], 0)
        )
        with budget.phase("tidy"):
            objective = _tidy(build, left, best, objective, options, budget)
    return Result(
        status=status,
        timetable=best,
        objective=objective,
        wall_time=time.perf_counter() - began,
        build_time=build_time,
        stages=done,
        problem=problem,
        phases=budget.phases,
    )


def _any_valid(
    problem: Problem, timetable: Timetable, options: SolveOptions, budget: Budget, source: str
) -> Result:
    """``timetable``, already checked clean, as the answer of a solve with nothing to
    minimise: any valid timetable will do, and this one was made to look like the file (the
    construction tries the published times first; the first timetable moves as little as it
    can from the planner's draft). Searching on would only trade it for whichever timetable
    CP-SAT meets first: on FOSDEM 2019's published programme with every time unpinned, one
    BoF of 775 events moved from 14:00 to 9:30 for no reason any rule gives."""
    feasible = evaluate(
        [Rank("feasibility", [])],
        lambda _: 0,
        lambda _: 0,
        optimal=[True],
        total=0,
        raw_bound=0,
    )
    seconds = time.perf_counter() - budget.began
    if options.progress is not None:
        options.progress(source, seconds, feasible)
    return Result(
        status=Status.OPTIMAL,
        timetable=timetable,
        objective=feasible,
        wall_time=seconds,
        build_time=seconds,
        stages=[Stage("feasibility", Status.OPTIMAL, 0, 0, 0.0)],
        problem=problem,
        phases=budget.phases,
    )


def _clean(problem: Problem, timetable: Timetable) -> bool:
    """Does the checker (every rule's own reading, not the model's) find nothing wrong?"""
    from ..checking import check_problem

    return check_problem(problem, timetable, hard_only=True).ok


def _short(problem: Problem, found: Shortage | Overrun, budget: Budget) -> Result:
    """No timetable: the activities of ``found`` cannot all have a room (``shortage.py``)
    or all their time (``overrun.py``), said in words as the explanation
    (``explain.explained``)."""
    seconds = time.perf_counter() - budget.began
    explanation = explained(problem, found)
    explanation.seconds = seconds
    return Result(
        status=Status.INFEASIBLE,
        timetable=None,
        objective=None,
        wall_time=seconds,
        build_time=seconds,
        problem=problem,
        phases=budget.phases,
        explanation=explanation,
    )


def _proven(
    problem: Problem,
    constructed: Timetable,
    settled: proof.Counted,
    options: SolveOptions,
    budget: Budget,
) -> Result:
    """The checked construction, proven optimal by the soft capacity bound (``proof.py``)."""
    rank, cost = settled.rank, settled.cost
    value = settled.value()
    seconds = time.perf_counter() - budget.began
    if options.progress is not None:
        options.progress(rank.name, seconds, value)
    return Result(
        status=Status.OPTIMAL,
        timetable=constructed,
        objective=value,
        wall_time=seconds,
        build_time=seconds,
        stages=[Stage(rank.name, Status.OPTIMAL, cost, cost, seconds)],
        problem=problem,
        phases=budget.phases,
    )


def _exchanged(
    build: Build,
    construction: Construction,
    constructed: Timetable,
    counted: proof.Counted,
    on_time: Callable[[], None],
) -> exchange.Exchanged | None:
    """The construction with fewer misfits by exchanges (``exchange.py``), each checked."""
    chosen: exchange.Chosen = {}
    for choice, _ in construction.placed.values():
        chosen.setdefault(choice.cell, []).append(choice)
    return exchange.exchange(
        build,
        chosen,
        constructed,
        counted.misfits,
        lambda timetable: proof.misfits_count(build, timetable),
        on_time,
        lowest=counted.lowest,
    )


HELD_PER_VARIABLE = 3
"""Held-back cell choices that cost as much to free as one variable written in the model
(``FREE_PER_VARIABLE``): they are Python objects only, once something files them by cell
(12.4 million at 10,000 generated conference talks took 0.83 s to free)."""


def _on_time(budget: Budget, build: Build) -> Callable[[], None]:
    """``budget.check``, keeping back the time to free the model as it stands, its held-back
    choices included: the soft capacity bound and the exchanges read the model's choices
    (the bound read every one of them, 26 s at 10,000 conference talks, before it read the
    lists they are made from) and stop for the time limit, and freeing what they made then
    came after it (0.8 s over)."""
    return lambda: budget.check(build.size() + build.held_back // HELD_PER_VARIABLE)


def ranks_of(solved: list[tuple[Rank, bool]], queue: list[Rank]) -> list[Rank]:
    return [r for r, _ in solved] + queue


def _tidy(
    build: Build,
    ranks: list[Rank],
    best: Timetable,
    objective: ObjectiveValue,
    options: SolveOptions,
    budget: Budget,
) -> ObjectiveValue:
    """Count the terms of a search cut short truthfully. A soft rule's literal is only
    pushed true where its rank was minimised; in a rank the search never reached (or left
    early) it may stay false where the rule holds, and the terms would overstate what is
    broken. With every activity fixed where it is, a short solve sets each literal as the
    timetable has it; the ranks' bounds stay those of the search. It is skipped (the terms
    as the search left them) when what is left of the time limit would not load the model."""
    terms = [t for rank in ranks for t in rank.terms]
    left = budget.deadline - budget.freeing(build.size()) - time.perf_counter()
    if not terms or left < max(0.1, 2 * build.expected_load()):
        return objective
    build.fix(best)
    build.model.minimize(sum(t.cost for t in terms))
    solver = _solver(options, min(5.0, left), 1)
    if solver.solve(build.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return objective
    lowest = {r.name: r.lowest for r in objective.ranks}
    tidy = evaluate(
        ranks,
        solver.value,
        lambda rank: None,
        optimal=[False] * len(ranks),
        total=objective.total,
        raw_bound=objective.bound,
    )
    values = tuple(
        RankValue(r.name, r.cost, _least(r.cost, lowest.get(r.name))) for r in tidy.ranks
    )
    return dataclasses.replace(tidy, ranks=values)


def _least(cost: int, lowest: int | None) -> int | None:
    return None if lowest is None else min(cost, lowest)


MERGED_SHARE = 0.25
"""The share of the time a merged stage gets to prove every rank at once before its ranks go
one after the other (on the 157-activity academy template the merged stage proved nothing in
29 s, the ranks one after the other each proved theirs in under 5 s)."""


@dataclass
class Shares:
    """What is left of the search's time (and of the deterministic time) to share among
    stages (``budget.Budget`` is the whole solve's time limit, every phase counted)."""

    deadline: float
    deterministic: float | None

    def left(self) -> bool:
        enough = self.deadline - time.perf_counter() > 0.5
        return enough and (self.deterministic is None or self.deterministic > 0.05)

    def solver(self, options: SolveOptions, share: float) -> cp_model.CpSolver | None:
        """A solver for a stage given ``share`` of what is left; None when nothing is."""
        remaining = self.deadline - time.perf_counter()
        if remaining <= 0.05 or (self.deterministic is not None and self.deterministic <= 0):
            return None
        solver = _solver(options, remaining * share, 1)
        if self.deterministic is not None:
            solver.parameters.max_deterministic_time = max(0.01, self.deterministic * share)
        return solver

    def spent(self, solver: cp_model.CpSolver) -> None:
        if self.deterministic is not None:
            self.deterministic -= solver.response_proto.deterministic_time


def _report(
    stages: list[Rank],
    proven: list[bool],
    bounds: dict[int, int],
    value: Callable[[Any], Any],
    total: int | None,
) -> ObjectiveValue:
    """The objective of the timetable ``value`` reads, every rank's terms by name; ranks not
    yet solved (one after the other) have no bound."""
    flags = proven + [False] * (len(stages) - len(proven))
    solved = [s for s in stages if id(s) in bounds]
    return evaluate(
        stages,
        value,
        lambda rank: bounds.get(id(rank)),
        optimal=flags,
        total=total,
        raw_bound=bounds.get(id(solved[-1])) if solved else None,
    )


_FOUND = (Status.OPTIMAL, Status.FEASIBLE)

CHECK_PER_ACTIVITY = 30e-6
"""CPU seconds to check a construction, per activity, up to ``CHECK_MEASURED_AT`` activities
(every hard rule's checker and the cells' room matching): at most 15 us at 10,000 activities
of the twelve benchmark shapes, 26 us at 20,000 (SFSCON 2024 scaled), rounded up."""
CHECK_MEASURED_AT = 20_000
CHECK_GROWTH = 0.3
"""Beyond ``CHECK_MEASURED_AT`` activities the check's time per activity is taken to grow as
activities^0.3: the check of a construction grows as activities^1.1-1.3 on those shapes."""


def check_reserve(activities: int) -> float:
    """CPU seconds the construction leaves before the limit for its check: a construction
    the limit leaves no time to check is no answer, and a check has no look at the clock.

    Too much is a timetable lost: at 100 us per activity (the check before its room matching
    got faster: 26-90 us) a 3 s limit at 20,000 talks kept 2 s back for a 0.2 s check, and
    answered nothing where 1.5 s gave a timetable. Too little overruns the limit by the
    difference (a limit is to be kept to within a second)."""
    beyond = float(max(1.0, activities / CHECK_MEASURED_AT) ** CHECK_GROWTH)
    return CHECK_PER_ACTIVITY * activities * beyond


READ_BACK_PER_LITERAL = 1e-6
READ_BACK_PER_ACTIVITY = 50e-6
"""Seconds to read one cell literal's value and match rooms for it, and to turn one activity
into a placement (measured on 4,000-event conferences, rounded up)."""


def read_back_reserve(build: Build, budget: Budget) -> float:
    """Seconds the search leaves at the end of the time limit for reading its best timetable
    (cells, room matching, placements: about half a second at 4,000 activities) and for
    CP-SAT returning after its own limit (it frees the model first: 0.8 s after the limit at
    4,000 events on a loaded machine, about what loading the model takes), and for freeing
    the model once the answer is in hand (``Budget.freeing``). Each would otherwise overrun
    the time limit. At most a quarter of the limit."""
    literals = build.pooled_choices.count()
    items = len(build.problem.items)
    estimate = READ_BACK_PER_LITERAL * literals + READ_BACK_PER_ACTIVITY * items
    # a loaded machine makes these take longer as it made building the model take longer
    slowness = budget.slowness("build")
    freeing = budget.freeing(build.size())
    return min((estimate + build.expected_load()) * slowness + freeing, budget.limit / 4)


def _first_timetable(
    problem: Problem,
    unpinned: frozenset[str],
    options: SolveOptions,
    reference: Timetable | None,
    budget: Budget,
    stop: threading.Event | None,
) -> Timetable | Status:
    """A first timetable from the hard rules alone (a lighter model), to start the full
    search from; or the proof that none exists, which needs no objective. Soft rules and the
    planner defaults multiply the model's constraints several times over: without them CP-SAT
    finds a first timetable in a fraction of the time.

    It starts from the reference, else from a planner's draft (``draft.py``: the listed order,
    meals at their usual times, the file's own times where it gives them); without a
    reference the lean model then moves as little as it can from the draft, for a tenth of
    the time left (at most 10 s): a first timetable a planner would recognise, not the first
    one CP-SAT stumbles on (on a 73-activity template: 85 % of the draft's order kept at
    first, 98 % after this)."""
    with budget.phase("first timetable"):
        lean = Build(
            problem,
            unpinned=unpinned,
            hard_only=True,
            pool_rooms=options.pool_rooms,
            budget=budget,
        )
        start = reference if reference is not None else draft(problem)
        lean.hint(start)
        solver = _solver(options, max(0.05, budget.remaining()), 1)
        first = Rank("first timetable", [])
        callback = _Callback(first, [first], [], {}, time.perf_counter(), None, stop)
        with _stop_when_set(stop, solver, callback):
            code = lean.solve(solver, callback)
        status = _status(code)
        if status not in _FOUND:
            return status
        found = lean.timetable(solver)
        remaining = budget.remaining()
        if reference is not None or callback.interrupted or remaining < 1:
            return found
        lean.hint(found)
        lean.model.minimize(sum(_distances(lean, start)))
        solver = _solver(options, min(10.0, remaining / 10), 10)
        with _stop_when_set(stop, solver, callback):
            code = lean.solve(solver, callback)
        return lean.timetable(solver) if _status(code) in _FOUND else found


def _distances(build: Build, start: Timetable) -> list[Any]:
    """Minutes between each activity and its place in ``start`` (a change of day counts)."""
    problem, model = build.problem, build.model
    distances = []
    for item in problem.items:
        placed = start.get(item.id)
        day = problem.day_of_date.get(placed.date) if placed is not None else None
        if placed is None or day is None or build.is_pinned(item):
            continue
        distance = model.new_int_var(0, len(problem.dates) * DAY, f"from_draft_{item.id}")
        model.add_abs_equality(distance, build.start(item) - (day * DAY + placed.start))
        distances.append(distance)
    return distances


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
        self,
        stage: Rank,
        stages: list[Rank],
        proven: list[bool],
        bounds: dict[int, int],
        began: float,
        progress: Progress | None,
        stop: threading.Event | None,
    ) -> None:
        super().__init__()
        self.stage = stage
        self.stages = stages
        self.proven = proven
        self.bounds = bounds
        self.began = began
        self.progress = progress
        self.stop = stop
        self.interrupted = False
        self.improved_at: float | None = None
        """When the last answer came (``search.run`` stops a stalled search by it)."""

    def on_solution_callback(self) -> None:
        self._found(self.value, self.objective_value, self.best_objective_bound)
        if self.stop is not None and self.stop.is_set():
            self.interrupted = True
            self.stop_search()

    def found_elsewhere(self, solver: cp_model.CpSolver, bound: float) -> None:
        """A better answer a search of its own found from this one's (a round that re-plans
        one day, ``polish.py``), reported as this search's with this search's bound, so the
        live line moves while the rounds run."""
        self._found(solver.value, solver.objective_value, bound)

    def _found(self, value: Callable[[Any], Any], objective: float, bound: float) -> None:
        self.improved_at = time.perf_counter()
        if self.progress is not None:
            bounds = {**self.bounds, id(self.stage): round(bound)}
            reported = _report(self.stages, self.proven, bounds, value, round(objective))
            self.progress(self.stage.name, time.perf_counter() - self.began, reported)


KEPT_WEIGHT = 50
"""What keeping an error the file forces costs, in the skeleton rank: as much as a meal out
of its time. A re-plan mends a printed clash or a tour before its coach when that breaks no
more of the day's frame; a repair (a reference) never moves what it need not to mend one,
as the disruption ranks first."""


def _objectives(
    build: Build,
    reference: Timetable | None,
    *,
    soft_first: bool = False,
    close_up: frozenset[int] = frozenset(),
) -> list[Rank]:
    """The ranks with a term that can be non-zero, in the file's ``objective.ranking``.

    With a reference (a repair, or a template's pattern): its *disruption* (activities moved,
    days and venues changed, pairs put the other way round, activities moved to another part
    of the day, rooms) and its *shift* (minutes of time of day). Always: the day's *skeleton*
    (``rules/skeleton.py``), the file's listed *order*, the file's *soft rules* (broken rules
    by their weights), and the rest of the day's *shape* (the other planner defaults, idle
    minutes inside days, day ends). Without a reference, when file times may move, the
    caller adds a last rank, the fewest of them *moved* (``_file_rank``).

    The alternatives of a repair (``whatif.alternatives``) reorder the ranking:
    ``soft_first`` counts the soft rules first; ``close_up`` (days) counts, right after the
    disruption, the idle minutes of those days, then the day's skeleton, order and shape,
    and the minutes of shift after them."""
    from ..rules.skeleton import SKELETON_KINDS

    weights = build.problem.programme.objective
    found: dict[str, list[Term]] = {}
    defaults = {
        kind: broken(kind, build.defaults.get(kind, []), build.default_counts.get(kind, []))
        for kind in sorted(set(build.defaults) | set(build.default_counts))
    }
    found["skeleton"] = [t for kind, t in defaults.items() if kind in SKELETON_KINDS]
    if build.kept_costs:  # an error the file forces, kept where a move would mend it
        found["skeleton"].append(
            weighted("kept_errors", sum(build.kept_costs), KEPT_WEIGHT, len(build.kept_costs))
        )
    found["order"] = [t for kind, t in defaults.items() if kind == "order"]
    if weights.soft_rules:
        found["soft_rules"] = [broken("soft_rules", build.penalties, build.penalty_counts)]
    # day spans only when they weigh something (thousands of variables on a conference)
    idle, ends = _compactness(build) if weights.idle_minutes or weights.day_end else ([], [])
    found["shape"] = [
        *(t for kind, t in defaults.items() if kind not in SKELETON_KINDS | {"order"}),
        weighted("idle_minutes", sum(idle), weights.idle_minutes, len(idle) * DAY),
        weighted("day_end", sum(ends), weights.day_end, len(ends) * DAY),
    ]
    if reference is not None:
        shifts = _stability(build, reference)
        found["disruption"] = [
            weighted(
                "moved_activities", sum(shifts.moved), weights.moved_activities, len(shifts.moved)
            ),
            weighted("moved_days", sum(shifts.days), weights.moved_days, len(shifts.days)),
            weighted("moved_venues", sum(shifts.venues), weights.moved_venues, len(shifts.venues)),
            weighted("moved_order", sum(shifts.order), weights.moved_order, len(shifts.order)),
            weighted("moved_parts", sum(shifts.parts), weights.moved_parts, len(shifts.parts)),
            *_room_terms(build, reference),
        ]
        found["shift"] = [
            weighted(
                "moved_minutes",
                sum(shifts.minutes),
                weights.moved_minutes,
                len(shifts.minutes) * DAY,
            )
        ]
    ranking: list[str] = list(weights.ranking)
    if soft_first:
        ranking = ["soft_rules", *(name for name in ranking if name != "soft_rules")]
    if close_up and reference is not None:
        problem = build.problem
        visible = [i for i in problem.items if not hidden_in_container(problem, i)]
        found["close_up"] = [
            weighted("idle_minutes", sum(there), 1, len(there) * DAY)
            for there in [
                [
                    _idle(build, day, group, members)
                    for day in sorted(close_up)
                    for group, members in _group_days(
                        problem, [i for i in visible if day in i.days]
                    ).items()
                ]
            ]
            if there
        ]
        after = ranking.index("disruption") + 1
        shape = [name for name in ranking[after:] if name in ("skeleton", "order", "shape")]
        rest = [name for name in ranking[after:] if name not in shape]
        ranking = [*ranking[:after], "close_up", *shape, *rest]
    ranks = []
    for name in ranking:
        terms = live(found.get(name, []))
        if terms:
            ranks.append(Rank(name, terms))
    return ranks


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


def _file_rank(build: Build, unpinned: frozenset[str]) -> list[Rank]:
    """Last of all, when times the file gives are free to move and nothing says where to
    (no reference): the fewest of them moved. Every other rank comes first, and it has only
    the time they leave (``_solve``), so it only chooses among timetables they find equally
    good, the one a planner recognises: FOSDEM 2020's re-plan that mends its three clashes
    moved a cancelled talk in none of them too."""
    from ..timetable import published_timetable

    problem, model = build.problem, build.model
    own = published_timetable(problem)
    moved = []
    for item in problem.items:
        placement = own.get(item.id)
        day = problem.day_of_date.get(placement.date) if placement is not None else None
        if placement is None or day is None or item.id not in unpinned or item.ride is not None:
            continue
        changed = model.new_bool_var(f"from_file_{item.id}")
        at = day * DAY + placement.start
        model.add(build.start(item) == at).only_enforce_if(~changed)
        # both ways: a rank the time never reaches still reports the true count
        model.add(build.start(item) != at).only_enforce_if(changed)
        moved.append(changed)
    if not moved:
        return []
    return [Rank("moved", [weighted("moved_activities", sum(moved), 1, len(moved))])]


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
        weighted("moved_rooms", sum(changed), weights.moved_rooms, len(changed)),
        weighted("off_track_rooms", sum(off_track), weights.off_track_rooms, len(off_track)),
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
    starts: a literal true when they are still on one day, the other way round (a tie is
    not: ``_first``)."""
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
                build.model.add_bool_or(
                    [inverted, build.same_day(a, b).Not(), _first(build, b, a).Not()]
                )
                literals.append(inverted)
    return literals


def _first(build: Build, b: Item, a: Item) -> Any:
    """A literal true exactly when ``b`` starts strictly before ``a``. Why not ``before``: it
    gives a tie to the lower index, so for a lower-indexed ``b`` its negation read a tie as
    ``b`` first, and a repair that moved two parallel talks of one audience, published apart,
    to one new start was proven infeasible (the reordering literal asks a strict order)."""
    if a.index < b.index:
        return build.before(a, b).Not()
    first = build.model.new_bool_var(f"first_{b.id}_{a.id}")
    build.model.add(build.start(b) < build.start(a)).only_enforce_if(first)
    build.model.add(build.start(b) >= build.start(a)).only_enforce_if(first.Not())
    return first


def _compactness(build: Build) -> tuple[list[Any], list[Any]]:
    """Per group and day with something movable: the idle minutes between the group's first
    start and last end (the span less the minutes its activities fill); per day, the last end.
    Counted group by group, so a sub-group's meeting never hides the hole it leaves in the
    day of everyone else (a day is the cohort's and the steering group's alike); a group
    whose day that day can hold nothing of its own is its parent's, counted once."""
    problem, model = build.problem, build.model
    idle: list[Any] = []
    ends: list[Any] = []
    weights = problem.programme.objective
    if not (weights.idle_minutes or weights.day_end):
        return idle, ends
    visible = [i for i in problem.items if not hidden_in_container(problem, i)]
    for day in range(len(problem.dates)):
        items = [i for i in visible if day in i.days]
        if all(build.is_pinned(i) and len(i.days) == 1 and not i.elastic for i in items):
            continue  # nothing there can move or change its length
        if weights.day_end:
            last = model.new_int_var(0, DAY, f"last_{day}")
            for item in items:
                end = build.time_of_day(item) + build.duration(item)
                model.add(last >= end).only_enforce_if(build.on_day(item, day))
            ends.append(last)
        if weights.idle_minutes:
            for group, members in _group_days(problem, items).items():
                idle.append(_idle(build, day, group, members))
    return idle, ends


def _group_days(problem: Problem, items: list[Item]) -> dict[str, list[Item]]:
    """The real groups' days (items in candidate order), each once: a group whose parent's
    day holds all of its own items there (it has none of its own) is left out."""
    days: dict[str, list[Item]] = {}
    for group in problem.group_ids:
        if group in problem.joining:
            continue  # those who join an optional activity: their parent's day and that one
        members = [i for i in items if group in i.groups]
        if members:
            days[group] = members
    kept: dict[str, list[Item]] = {}
    for group, members in days.items():
        parent = problem.group_parent.get(group)
        if parent in days and {i.index for i in members} == {i.index for i in days[parent]}:
            continue
        kept[group] = members
    return kept


def _idle(build: Build, day: int, group: str, items: list[Item]) -> Any:
    model = build.model
    first = model.new_int_var(0, DAY, f"first_{day}_{group}")
    last = model.new_int_var(0, DAY, f"last_{day}_{group}")
    busy = []
    for item in items:
        on = build.on_day(item, day)
        model.add(first <= build.time_of_day(item)).only_enforce_if(on)
        model.add(last >= build.time_of_day(item) + build.duration(item)).only_enforce_if(on)
        filled = model.new_int_var(0, item.max_duration, f"filled_{day}_{group}_{item.id}")
        model.add(filled == build.duration(item)).only_enforce_if(on)
        model.add(filled == 0).only_enforce_if(on.Not())
        busy.append(filled)
    gap = model.new_int_var(0, DAY, f"idle_{day}_{group}")
    model.add(gap >= last - first - sum(busy))
    return gap
