"""Repairing the published timetable after a scenario: fewest moves, or why none exists."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..compile import Problem, compile_programme
from ..diffing import diff_problems
from ..model import Programme
from ..rules.base import Finding
from ..timetable import Timetable, published_timetable, shifts
from .actions import apply, free_days
from .report import WhatIf
from .scenario import Scenario

if TYPE_CHECKING:
    from ..solver.solve import Result

Attempt = Callable[[Programme], tuple[Problem, frozenset[str], "Result"]]


def what_if(
    programme: Programme,
    scenario: Scenario,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int = 1,
    day_moves: bool | None = None,
    minimal_explanation: bool = True,
) -> WhatIf:
    """Apply ``scenario`` and repair the published timetable with the least disruption.

    What is minimised, in order: the activities moved (a move to another day and a change of
    venue cost extra), then the minutes of time-of-day shift, then broken soft rules. First
    every activity keeps its day (times and venues may change); only if that is impossible
    (``day_moves=None``, the default) may sessions move to other days, each module as a whole.
    ``day_moves=False`` never moves days, ``True`` always allows it. The repair is checked
    against the scenario's programme, which keeps every rule of the original except what a
    removal takes away (``removal.py``).
    """
    from ..checking import check_problem
    from ..solver.explain import explain_problem
    from ..solver.solve import SolveOptions, solve_problem

    began = time.perf_counter()
    reference_problem = compile_programme(programme)
    reference = published_timetable(reference_problem)
    baseline_errors = len(check_problem(reference_problem, reference).errors)
    applied = apply(programme, scenario)
    candidates = _candidates(applied.programme, day_moves)

    def solve(candidate: Programme) -> tuple[Problem, frozenset[str], Result]:
        problem = _with_lines(compile_programme(candidate), reference_problem)
        movable = frozenset(
            i.id for i in problem.items if i.ride is None and i.id not in applied.pinned
        )
        remaining = max(0.1, time_limit - (time.perf_counter() - began))
        options = SolveOptions(time_limit=remaining, seed=seed, workers=workers, unpin=movable)
        return problem, movable, solve_problem(problem, reference=reference, options=options)

    for attempt, candidate in enumerate(candidates):
        problem, movable, result = solve(candidate)
        if result.status.value != "infeasible":
            if attempt or day_moves is True:
                applied.notes.append("sessions may move to other days (same-day repair impossible)")
            break
    timetable: Timetable | None = result.timetable
    status: str = result.status.value
    outcome = WhatIf(
        scenario=scenario,
        status=status,
        problem=problem,
        reference=reference_problem,
        timetable=timetable,
        shifts=[],
        removed=applied.removed,
        notes=applied.notes,
        diff=None,
        warnings=[],
        reasons=[],
        seconds=0.0,
        why_removed=applied.why_removed,
        attention=applied.attention,
        baseline_errors=baseline_errors,
    )
    if timetable is not None:
        outcome.diff = diff_problems(
            reference_problem, problem, old_times=reference, new_times=timetable
        )
        movers = [i.id for i in problem.items if i.ride is None]
        outcome.shifts = shifts(reference, timetable, movers)
        outcome.warnings = _once(check_problem(problem, timetable).warnings)
    elif status == "infeasible":
        # first: was the programme solvable at all without the scenario? (cheap, and it
        # decides how the reasons below read)
        outcome.baseline_feasible = _baseline_feasible(programme, day_moves, solve)
        explanation = explain_problem(
            problem,
            time_limit=time_limit,
            unpinned=movable,
            hint=reference,
            minimal=minimal_explanation,
        )
        outcome.reasons = [
            r.sentence + (f" (line {r.line})" if r.line else "") for r in explanation.reasons
        ]
        outcome.minimal = explanation.minimal
        if explanation.undecided:
            outcome.notes.append(
                "which rules cannot hold together could not be worked out within the time limit"
            )
    outcome.seconds = time.perf_counter() - began
    return outcome


def _candidates(programme: Programme, day_moves: bool | None) -> list[Programme]:
    """The programmes to try in turn: days kept, then (if allowed) sessions free to move days."""
    if day_moves is True:
        return [free_days(programme)]
    if day_moves is False:
        return [programme]
    return [programme, free_days(programme)]


def _baseline_feasible(programme: Programme, day_moves: bool | None, solve: Attempt) -> bool | None:
    """Could the programme be timetabled without the scenario, with the same freedom (every
    activity movable but the scenario's pins)? If not, the scenario is not to blame. None when
    the time limit ran out before that was decided."""
    for candidate in _candidates(programme, day_moves):
        _, _, result = solve(candidate)
        if result.timetable is not None:
            return True
        if result.status.value != "infeasible":
            return None
    return False


def _once(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))


def _with_lines(problem: Problem, original: Problem) -> Problem:
    """Line numbers of the user's file, by id: the scenario's programme has no file of its own,
    and its activities and rules may sit at other positions than in the file. A rule split by a
    removal (``<id>.2``) points at the line of the rule it came from."""
    lines = {item.id: item.line for item in original.items}
    problem.items = [dataclasses.replace(i, line=lines.get(i.id)) for i in problem.items]
    rule_lines = {}
    for rule_id in problem.rule_lines:
        base = rule_id if rule_id in original.rule_lines else rule_id.rpartition(".")[0]
        rule_lines[rule_id] = original.rule_lines.get(base)
    problem.rule_lines = rule_lines
    problem.source = original.source
    return problem
