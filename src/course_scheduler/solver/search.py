"""How CP-SAT searches: parameters for the model's shape, a first timetable, a fallback.

Why a module of its own: which parameters help depends on the model (mostly pooled cells or
mostly intervals), and one fixed set is fragile (a dense 1,000-event conference: nothing in
60 s with the pooled settings alone, 24 s of presolve with CP-SAT's defaults). What helps on
both instance shapes measured in benchmarks/README.md is kept here, and each part can be
switched off (``Tactics``) so the benchmarks can say what it brings.

On a mostly pooled model there are two ways to a first timetable, tried in turn within one
worker (a sequential portfolio: the default of one worker stays reproducible, and on this
2-core machine two interleaved workers were 25 times slower to a first timetable):

1. a construction in Python (``construct.py``) given as a complete hint, which CP-SAT checks
   against every rule first (the construction knows only rooms, capacities and the rules that
   keep activities apart);
2. only when the construction leaves activities out: CP-SAT's fixed search along a greedy
   order of the cell literals (fewest options first, least waste of a slot first, value
   true), with every rule and clause learning behind it, stopped at its first timetable; the
   automatic search then improves on it. Given always, the order cost memory and time for
   nothing when the hint was complete (benchmarks/README.md).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from ..timetable import Timetable
from .budget import Budget
from .build import Build
from .construct import Construction, construct
from .improve import FIRST_SHARE, ROUND_DETERMINISTIC, SHARE, Rounds, improve
from .overrun import Overrun, overrun
from .polish import SHARE as POLISH_SHARE
from .polish import polish
from .shortage import Place, Shortage, shortage
from .slots import Cell, Choice, PooledRooms

POOLED = {
    "cp_model_presolve": False,
    "linearization_level": 0,
    "cp_model_probing_level": 0,
    "use_sat_inprocessing": False,
    "symmetry_level": 0,
}
"""When pooled literals make up most of the model: presolve, the LP relaxation, probing and SAT
inprocessing cost more than they bring (the peer's 400-event instance: 2.1 s with only the first
two off, 0.4 s with all four; at 2,000 generated events the LP alone made the search 8 times
slower). Symmetries are still computed without presolve but not used by one worker (2,000
generated events: 1.2 s of 2.4 s)."""


@dataclass(frozen=True)
class Tactics:
    """What the search uses on a mostly pooled model (each part can be switched off to measure
    what it brings; ``benchmarks/search_tactics.py``)."""

    cliques: bool = True
    """Rules that keep activities apart as at-most-one per moment over cell literals
    (``slots.time_cliques``), instead of a NoOverlap over intervals."""
    construct: bool = True
    """A first timetable by construction, given as a hint."""
    fallback: bool = True
    """When the construction leaves activities out (or is off): a first timetable by CP-SAT's
    fixed search along the greedy order, then its automatic search."""
    improve: bool = True
    """With an objective: rounds of large-neighbourhood search from the first answer."""


@dataclass
class Plan:
    """What ``prepare`` decided for one model: the construction, and the greedy order still to
    follow before the automatic search (None once a timetable is in hand, or not needed)."""

    construction: Construction | None = None
    greedy: list[Any] | None = None
    improve: bool = True
    """Rounds of large-neighbourhood search once there is an answer (``improve.py``)."""
    seed: int = 0
    rounds: Rounds | None = None
    """What the rounds did, when there were any."""
    polish: bool = False
    """The stage searched now is the last rank, on its own: once CP-SAT's search stalls, the
    timetable is polished day by day (``polish.py``). Set by the caller per stage."""
    polished: Rounds | None = None
    """What the day-by-day rounds did on a model of intervals (``polish.py``), if any."""
    shortage: Shortage | Overrun | None = None
    """Activities that cannot all have a room (``shortage.py``), or all their time
    (``overrun.py``): no timetable exists."""


def configure(params: Any, build: Build) -> None:
    """Set the parameters that suit the model's shape on ``params`` (CP-SAT SatParameters)."""
    if build.mostly_pooled:
        for name, value in POOLED.items():
            setattr(params, name, value)


def prepare(
    build: Build,
    tactics: Tactics,
    seed: int,
    hinted: bool,
    budget: Budget | None = None,
    reference: Timetable | None = None,
) -> Plan:
    """Once per model, before the first solve: unless the caller has ``hinted`` the model
    already (e.g. with a published timetable), a constructed first timetable as the hint, and
    the greedy order when that construction is incomplete.

    A model hinted with the ``reference`` it repairs (a what-if) gets a construction that
    starts from it (``repair``), as the hint when it places every activity. Where counting
    proves that no timetable exists (minutes before the construction, places after it:
    ``overrun.py``, ``shortage.py``), ``shortage`` says so and nothing else is prepared."""
    plan = Plan(improve=tactics.improve, seed=seed)
    pooled = build.pooled
    if pooled is None or not build.mostly_pooled or build.explain:
        return plan
    if hinted:
        if reference is not None and tactics.construct:
            plan.shortage, plan.construction = repair(build, reference, seed, budget)
        return plan
    if tactics.construct:
        plan.shortage = _short_of_time(build, budget)
        if plan.shortage is not None:  # no construction can place them all: none is tried
            return plan
        plan.construction = _constructed(build, seed, budget, None)
        build.hint_cells(plan.construction.placed)
        if plan.construction.unplaced:
            held = {i: (c.cell, room) for i, (c, room) in plan.construction.placed.items() if room}
            plan.shortage = _short_of_places(build, held, budget)
            if plan.shortage is not None:
                return plan
    out_of_time = budget is not None and budget.expired()
    if out_of_time:  # the construction was cut short: no time to search from its order either
        return plan  # (ordering every cell literal writes the whole model: seconds at 10,000)
    if tactics.fallback and (plan.construction is None or plan.construction.unplaced):
        plan.greedy = greedy_order(build)
    return plan


def repair(
    build: Build, reference: Timetable, seed: int, budget: Budget | None
) -> tuple[Shortage | Overrun | None, Construction | None]:
    """A construction that keeps every activity of ``reference`` that still fits where it is
    and places the rest (``construct``'s ``start``), written as the model's hint (with the
    reference's values for what is not pooled) when it places every activity; else None,
    and the model keeps the reference's hint. First, from the reference's places: are there
    places enough for every activity at all (``shortage.py``)? If not, that, and no
    construction; nor when activities kept apart need more time than they have
    (``overrun.py``).

    Why: the reference hint of a repair leaves out exactly the activities the scenario
    displaced, and on a large programme CP-SAT's search could not complete it (10,000
    conference talks, 4 displaced by a closed room into rooms with free slots: the
    construction places them in 4 steps). The construction knows only rooms and the rules
    that keep activities apart; CP-SAT checks the hint against every rule and, from it,
    minimises what moves."""
    pooled = build.pooled
    assert pooled is not None
    start = build.reference_cells(reference)
    options = build.pooled_options
    held: dict[int, Place] = {}
    for index, (position, room) in start.items():
        cell, listed = options[index].cells[position]
        if room is not None and room in pooled.room_order(options[index].item, listed):
            held[index] = (cell, room)
    found = _short_of_places(build, held, budget) or _short_of_time(build, budget)
    if found is not None:
        return found, None
    construction = _constructed(build, seed, budget, start)
    if construction.unplaced:
        return None, None
    build.hint(reference, construction.placed)
    return None, construction


def _short_of_places(
    build: Build, matched: dict[int, Place], budget: Budget | None
) -> Shortage | None:
    """Activities that cannot all have a place (``shortage.py``), from ``matched``; None
    when no hard room rule holds (a room may then hold several activities at once), and
    when they have no place at all: no room is short then, and the search for the rules
    names the rule or fact that leaves them none (a slot too short, a time barred)."""
    pooled = build.pooled
    assert pooled is not None
    if not pooled.rooms_exclusive:
        return None
    expired = budget.expired if budget is not None else None
    found = shortage(build.pooled_options, pooled.room_order, matched, expired)
    return found if found is not None and found.places else None


def _short_of_time(build: Build, budget: Budget | None) -> Overrun | None:
    """Activities kept apart that need more time than they can have (``overrun.py``),
    asked before any construction: a construction cannot tell it from a hard programme,
    and went on ejecting for two minutes at 10,000 talks (milliseconds to count)."""
    reasons = build.apart_reasons
    groups = [(members, *reasons[k]) for k, members in enumerate(build.apart_groups)]
    expired = budget.expired if budget is not None else None
    return overrun(build.pooled_options, groups, expired)


def _constructed(
    build: Build,
    seed: int,
    budget: Budget | None,
    start: dict[int, tuple[int, str | None]] | None,
) -> Construction:
    """The construction of the model's pooled activities, reading audiences when they cost
    something; the blind one when that places more."""
    pooled = build.pooled
    assert pooled is not None
    reads = pooled.rooms_exclusive and bool(pooled.soft_weights())
    construction = _construct(build, seed, budget, pooled if reads else None, start)
    if reads and construction.unplaced:
        # largest audiences first can leave out what fewest options first would place
        blind = _construct(build, seed, budget, None, start)
        if len(blind.unplaced) < len(construction.unplaced):
            construction = blind
    return construction


def _construct(
    build: Build,
    seed: int,
    budget: Budget | None,
    audiences: PooledRooms | None,
    start: dict[int, tuple[int, str | None]] | None = None,
) -> Construction:
    """The construction of the model's pooled activities (``audiences``: reading them;
    ``start``: where a repaired timetable has them)."""
    pooled = build.pooled
    assert pooled is not None
    return construct(
        build.pooled_options,
        build.apart_groups,
        slot_end=pooled.plan.slot_end,
        rooms=pooled.room_order if pooled.rooms_exclusive else None,
        choice_of=build.pooled_choices.choice,
        seed=seed,
        expired=budget.expired if budget is not None else None,
        audiences=audiences,
        start=start,
    )


def checked_construction(
    build: Build, plan: Plan, others: Timetable | None = None
) -> Timetable | None:
    """The construction as a timetable, when it places every activity of an all-pooled model
    (or every pooled one, the others as ``others`` has them: the timetable a repair starts
    from) and the checker (every rule's own reading, independent of the model) finds nothing
    wrong with it; else None.

    Why: when any valid timetable will do (no objective), this is one, and CP-SAT would only
    confirm it: on a 10,000-event conference loading the model into CP-SAT takes longer than
    building it. The checker and the model are tested to agree (a timetable that checks clean
    is a feasible point of the model), so nothing is lost by asking the checker. A repair's
    search may find nothing in its time (a what-if on 10,000 talks free to change days: the
    model took 22 s of 30 to write), and a valid repair, however many it moves, is an answer
    where "unknown" is none."""
    from ..checking import check_problem

    construction = plan.construction
    if construction is None or construction.unplaced:
        return None
    chosen: dict[Cell, list[Choice]] = {}
    for choice, _ in construction.placed.values():
        chosen.setdefault(choice.cell, []).append(choice)
    timetable = build.cells_timetable(chosen, others)
    if timetable is None or not check_problem(build.problem, timetable, hard_only=True).ok:
        return None
    return timetable


def greedy_order(build: Build) -> list[Any]:
    """Every cell literal: activities with fewest options first, and each activity's cells
    in order of the slot time they leave unused (a 30-minute talk in a 30-minute slot before
    a 90-minute one), so that "first literal not yet false, set true" is a greedy timetable."""
    assert build.pooled is not None
    slot_end = build.pooled.plan.slot_end
    choices = build.pooled_choices
    literals = []
    for index in sorted(choices, key=lambda i: (len(choices[i]), i)):
        ranked = sorted(
            choices[index], key=lambda c: slot_end(c.cell) - c.cell.start - c.item.duration
        )
        literals += [build.literal(c) for c in ranked if c.index != build.true_index]
    return literals


def run(build: Build, solver: Any, plan: Plan, callback: Any = None) -> Any:
    """Solve with the parameters that suit the model, the fallback first when the plan has
    one; the status code CP-SAT returned (the solver holds the answer it belongs to).

    On a mostly pooled model with an objective, CP-SAT's search is stopped when it stalls
    (no better answer for ``patience``) and rounds of large-neighbourhood search continue
    from its answer (``improve.py``); then CP-SAT's search resumes from the best answer for
    the time left (it alone proves a bound). Under a deterministic budget the split is fixed
    instead: a share for each."""
    params = solver.parameters
    configure(params, build)
    if plan.improve and build.pooled is None and build.model.has_objective():
        return _polished(build, solver, plan, callback)
    if not (plan.improve and build.mostly_pooled and build.model.has_objective()):
        return _search(build, solver, plan, callback)
    began, budget = time.perf_counter(), params.max_time_in_seconds
    total = params.max_deterministic_time
    deterministic = total < 1e9
    if deterministic:
        params.max_time_in_seconds = budget * FIRST_SHARE
        params.max_deterministic_time = total * FIRST_SHARE
        code = _search(build, solver, plan, callback)
    else:
        with _Stall(solver, callback, began, budget) as stall:
            code = _search(build, solver, plan, callback)
        if not stall.stopped:
            return code
    left = budget - (time.perf_counter() - began)
    if code != cp_model.FEASIBLE or left <= 0.05 or getattr(callback, "interrupted", False):
        return code
    most = int(total * (1 - FIRST_SHARE) * SHARE / ROUND_DETERMINISTIC) if deterministic else None
    # every solve first loads the model (seconds at 10,000 events, whatever its time limit):
    # the rounds leave the last solve time for that, so the limit holds
    load = 0.0 if deterministic else stall.first
    plan.rounds = improve(
        build, solver, min(left * SHARE, left - 2 * load), plan.seed, callback, most, load
    )
    params.max_time_in_seconds = max(0.05, budget - (time.perf_counter() - began))
    if deterministic:
        params.max_deterministic_time = total * (1 - FIRST_SHARE) * (1 - SHARE)
    return build.solve(solver, callback)


def _polished(build: Build, solver: Any, plan: Plan, callback: Any) -> Any:
    """On a model of intervals, for the last rank: CP-SAT's search until it stalls, rounds
    that re-plan one day at a time from its answer (``polish.py``), then CP-SAT's search
    again from the best one for the time left (it alone proves a bound). Earlier ranks and
    merged stages search as before; under a deterministic budget, CP-SAT's search alone: the
    rounds' split of the time is the wall clock's."""
    params = solver.parameters
    if not plan.polish or params.max_deterministic_time < 1e9 or callback is None:
        return _search(build, solver, plan, callback)
    began, budget = time.perf_counter(), params.max_time_in_seconds
    with _Stall(solver, callback, began, budget, POLISH_PATIENCE) as stall:
        code = _search(build, solver, plan, callback)
    left = budget - (time.perf_counter() - began)
    if not stall.stopped or code != cp_model.FEASIBLE or left <= 0.5:
        return code
    if getattr(callback, "interrupted", False):
        return code
    plan.polished = polish(build, solver, left * POLISH_SHARE, plan.seed, callback)
    params.max_time_in_seconds = max(0.05, budget - (time.perf_counter() - began))
    return build.solve(solver, callback)


PATIENCE = 5.0
POLISH_PATIENCE = (2.0, 0.25, 10.0)
"""The same for the last rank's search before it is polished day by day: rounds of one day
are cheap, so they start sooner (the Stetson template's shape: with the patience above the
rounds often never started within the rank's 30 s)."""
"""Seconds without a better answer (at least; half the time of the last one, at most) after
which CP-SAT's search counts as stalled."""


class _Stall:
    """Stops CP-SAT's search once it has an answer and has found none better for a while
    (the callback records when answers come), unless too little of ``budget`` is left for
    rounds and a last solve, each of which first loads the model (about as long as the first
    answer took). ``stopped``: it did stop it."""

    def __init__(
        self,
        solver: Any,
        callback: Any,
        began: float,
        budget: float,
        patience: tuple[float, float, float] = (PATIENCE, 0.5, 60.0),
    ) -> None:
        self.solver, self.callback, self.began, self.budget = solver, callback, began, budget
        self.patience = patience
        """(at least, share of the time to the last answer, at most) seconds of waiting."""
        self.stopped = False
        self.first = 0.0
        """Seconds to the first answer (mostly loading the model into CP-SAT)."""
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="stall", daemon=True)

    def __enter__(self) -> _Stall:
        if self.callback is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()

    def _watch(self) -> None:
        while not self._done.wait(0.1):
            last = getattr(self.callback, "improved_at", None)
            if last is None:
                continue
            if not self.first:
                self.first = last - self.began
            now = time.perf_counter()
            if self.budget - (now - self.began) < 3 * self.first + 1:
                continue  # too little time left to load the model for rounds and once more
            least, share, most = self.patience
            if now - last > max(least, min(share * (last - self.began), most)):
                self.stopped = True
                self.solver.stop_search()
                return


def _search(build: Build, solver: Any, plan: Plan, callback: Any) -> Any:
    """CP-SAT's search, after the greedy fallback when the plan has one."""
    params = solver.parameters
    if plan.greedy is None:
        return build.solve(solver, callback)
    began, budget = time.perf_counter(), params.max_time_in_seconds
    build.model.add_decision_strategy(plan.greedy, cp_model.CHOOSE_FIRST, cp_model.SELECT_MAX_VALUE)
    params.search_branching = cp_model.FIXED_SEARCH
    params.stop_after_first_solution = True
    try:
        code = build.solve(solver, callback)
    finally:
        build.model.proto.search_strategy.clear()
        params.search_branching = cp_model.AUTOMATIC_SEARCH
        params.stop_after_first_solution = False
    if code != cp_model.FEASIBLE:  # no timetable, a proof, or one with nothing to improve
        return code
    plan.greedy = None
    remaining = budget - (time.perf_counter() - began)
    if remaining <= 0.05 or getattr(callback, "interrupted", False):
        return code
    build.hint(build.timetable(solver))
    params.max_time_in_seconds = remaining
    return build.solve(solver, callback)
