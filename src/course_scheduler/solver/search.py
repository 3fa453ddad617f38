"""How CP-SAT searches: parameters for the model's shape, and a first timetable by construction.

Why a module of its own: which parameters help depends on the model (mostly pooled cells or
mostly intervals), and one fixed set is fragile (a dense 1,000-event conference: nothing in
60 s with the pooled settings, 24 s of presolve with the defaults). What helps on both
instance shapes measured in benchmarks/README.md is kept here and nowhere else.
"""

from __future__ import annotations

from typing import Any

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


def configure(params: Any, build: Build) -> None:
    """Set the parameters that suit the model's shape on ``params`` (CP-SAT SatParameters)."""
    if build.mostly_pooled:
        for name, value in POOLED.items():
            setattr(params, name, value)


def first_hint(build: Build, seed: int) -> Construction | None:
    """Hint a constructed timetable of the pooled activities (none when few are pooled)."""
    pooled = build.pooled
    if pooled is None or not build.mostly_pooled or build.explain:
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


def run(build: Build, solver: Any, callback: Any = None) -> Any:
    """Solve with the parameters that suit the model; the status code CP-SAT returned."""
    configure(solver.parameters, build)
    return build.solve(solver, callback)
