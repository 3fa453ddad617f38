"""Polishing a timetable day by day: a large-neighbourhood search for models of intervals.

Why: on a template of a few hundred activities (a week of rehearsals, meals and concerts)
CP-SAT's one worker proves the day's skeleton and the listed order quickly, then stalls on
the last rank, the day's shape (a lunch two minutes off the grid, an idle hour before a
meal), with a bound far below what it found. The whole week is too large a neighbourhood;
one day with the rest of the week fixed is small enough for CP-SAT to solve to optimality
in a fraction of a second. So: keep the incumbent timetable, free the activities of one
day (every other activity stays at its start), let CP-SAT re-plan that day under the same
model and objective (every rank above frozen, as the caller left it), keep a better answer,
go on to the next day. A day proven best is not tried again until another day changed.

Each round solves a copy of the model whose other activities have their start's domain
reduced to one value, so every answer is an answer of the full model: the checker reads it
as it reads any other. The best answer is left as the model's complete hint for a last
ordinary solve, which reports it with CP-SAT's global bound. Days are visited in an order
drawn from the solve's seed.
"""

from __future__ import annotations

import random
import time
from typing import Any, Protocol

from ortools.sat.python import cp_model

from .build import DAY, Build, hint_values, solution
from .improve import Rounds

ROUND_SECONDS = 3.0
"""A round's wall-clock limit (one day of a 219-activity template: 0.1-1 s)."""
SHARE = 0.6
"""Of the time left after CP-SAT's own search stalls, the share the rounds may take; the
rest is the last ordinary solve's, which proves the bound."""


class Listener(Protocol):
    """The solve's callback, as the rounds use it: they stop when it was interrupted, and tell
    it each better answer, which the rounds find by solvers of their own."""

    interrupted: bool

    def found_elsewhere(self, solver: cp_model.CpSolver, bound: float) -> None: ...


def polish(
    build: Build,
    solver: cp_model.CpSolver,
    budget: float,
    seed: int,
    callback: Listener | None = None,
) -> Rounds:
    """Rounds over the days from the answer ``solver`` holds, for at most ``budget`` seconds;
    the best answer found is left as the model's complete hint and told to ``callback`` with
    the whole model's bound (a round's own bound holds only with the other days fixed)."""
    rounds = Rounds()
    began = time.perf_counter()
    best = solution(solver)
    best_value = solver.objective_value
    bound = solver.best_objective_bound
    starts = _starts(build)
    days = len(build.problem.dates)
    order = list(range(days))
    random.Random(seed).shuffle(order)
    settled: set[int] = set()
    load = 2 * build.expected_load()  # copying the model and loading the copy
    while best_value > bound + 1e-6 and len(settled) < days:
        better = False
        for day in order:
            left = budget - (time.perf_counter() - began) - load
            if left < 0.2 or (callback is not None and callback.interrupted):
                hint_values(build.model, best)
                return rounds
            if day in settled:
                continue
            rounds.tried += 1
            code, local = _round(build, solver, best, starts, day, min(ROUND_SECONDS, left))
            if local is not None and local.objective_value < best_value - 1e-6:
                best, best_value = solution(local), local.objective_value
                rounds.improved += 1
                rounds.values.append(best_value)
                better = True
                settled.clear()  # the days around it may now do better too
                if callback is not None:
                    callback.found_elsewhere(local, bound)
            if code == cp_model.OPTIMAL:
                settled.add(day)
            if best_value <= bound + 1e-6:
                break
        if not better:  # a whole pass found nothing better: another would find the same
            break
    hint_values(build.model, best)
    return rounds


def _starts(build: Build) -> list[tuple[int, int]]:
    """(start variable index, activity index) of every activity with a start variable."""
    found = []
    for item in build.problem.items:
        start = build.start(item)
        if hasattr(start, "index"):
            found.append((start.index, item.index))
    return found


def _round(
    build: Build,
    solver: cp_model.CpSolver,
    best: list[int],
    starts: list[tuple[int, int]],
    day: int,
    seconds: float,
) -> tuple[Any, cp_model.CpSolver | None]:
    """Re-plan ``day``: every activity that starts on another day stays where it is. The
    round's solver holds its answer, if it found one."""
    model = build.model.clone()
    for variable, _ in starts:
        value = best[variable]
        if value // DAY != day:
            model.add(model.get_int_var_from_proto_index(variable) == value)
    hint_values(model, best)
    local = cp_model.CpSolver()
    _copy(local.parameters, solver.parameters)
    local.parameters.max_time_in_seconds = seconds
    local.parameters.cp_model_presolve = True
    local.parameters.log_search_progress = False
    code = local.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return code, None
    return code, local


def _copy(target: Any, source: Any) -> None:
    """CP-SAT's parameters copied (``copy_from`` since ortools 9.12, ``CopyFrom`` before)."""
    copy = getattr(target, "copy_from", None) or target.CopyFrom
    copy(source)
