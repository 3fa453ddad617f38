"""How CP-SAT searches: parameters for the model's shape, a first timetable, a greedy order.

Why a module of its own: which parameters help depends on the model (mostly pooled cells or
mostly intervals), and one fixed set is fragile (a dense 1,000-event conference: nothing in
60 s with the pooled settings alone, 24 s of presolve with CP-SAT's defaults). What helps on
both instance shapes measured in benchmarks/README.md is kept here, and each part can be
switched off (``Tactics``) so the benchmarks can say what it brings.

On a mostly pooled model the search has two independent ways to a first timetable, so that
neither has to be lucky: a construction in Python (``construct.py``) given as a hint, which
CP-SAT tries first; and a greedy order of the cell literals (fewest options first, least waste
of a slot first, value true) that CP-SAT's portfolio branching follows at every other restart,
with everything CP-SAT knows (every rule, clause learning) behind it. Both are deterministic;
the portfolio runs inside one worker, so the default of one worker stays reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ortools.sat.python import cp_model

from .build import Build
from .construct import Construction, construct

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

BRANCHING = {
    "portfolio": cp_model.PORTFOLIO_SEARCH,
    "automatic": cp_model.AUTOMATIC_SEARCH,
    "fixed": cp_model.FIXED_SEARCH,
}


@dataclass(frozen=True)
class Tactics:
    """What the search uses on a mostly pooled model (each part can be switched off to measure
    what it brings; ``benchmarks/search_tactics.py``)."""

    cliques: bool = True
    """Rules that keep activities apart as at-most-one per moment over cell literals
    (``slots.time_cliques``), instead of a NoOverlap over intervals."""
    construct: bool = True
    """A first timetable by construction, given as a hint."""
    greedy: bool = True
    """The greedy order of cell literals as CP-SAT's decision strategy."""
    branching: Literal["portfolio", "automatic", "fixed"] = "portfolio"
    """How CP-SAT branches: its fixed (greedy) and automatic searches in turn, at restarts;
    only the automatic one; only the fixed one."""


def configure(params: Any, build: Build) -> None:
    """Set the parameters that suit the model's shape on ``params`` (CP-SAT SatParameters)."""
    if build.mostly_pooled:
        for name, value in POOLED.items():
            setattr(params, name, value)


def prepare(build: Build, tactics: Tactics, seed: int, hinted: bool) -> Construction | None:
    """Once per model, before the first solve: the greedy order, and (unless the caller has
    ``hinted`` the model already, e.g. with a published timetable) a constructed first
    timetable as the hint. Returns the construction, if one ran."""
    pooled = build.pooled
    if pooled is None or not build.mostly_pooled or build.explain:
        return None
    if tactics.greedy:
        build.model.add_decision_strategy(
            greedy_order(build), cp_model.CHOOSE_FIRST, cp_model.SELECT_MAX_VALUE
        )
    if hinted or not tactics.construct:
        return None
    result = construct(
        build.pooled_choices,
        build.apart_groups,
        slot_end=pooled.plan.slot_end,
        rooms=pooled.room_order if pooled.rooms_exclusive else None,
        seed=seed,
    )
    build.hint_cells(result.placed)
    return result


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
        literals += [c.literal for c in ranked if c.literal is not build.true]
    return literals


def run(build: Build, solver: Any, tactics: Tactics, callback: Any = None) -> Any:
    """Solve with the parameters that suit the model; the status code CP-SAT returned."""
    configure(solver.parameters, build)
    if build.mostly_pooled and build.pooled is not None and tactics.greedy:
        solver.parameters.search_branching = BRANCHING[tactics.branching]
    return build.solve(solver, callback)
