"""Repairing the published timetable after a scenario: fewest moves, or why none exists."""

from __future__ import annotations

from ..compile import Problem, compile_programme
from ..diffing import diff_problems
from ..model import Programme
from ..rules.base import Finding
from ..timetable import published_timetable
from .actions import apply, free_days
from .report import WhatIf
from .scenario import Scenario


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
    """Apply ``scenario`` and repair the published timetable with the fewest moves.

    First every activity keeps its day (times and venues may change); only if that is
    impossible (``day_moves=None``, the default) may sessions move to other days, each module
    as a whole. ``day_moves=False`` never moves days, ``True`` always allows it.
    """
    import time

    from ..checking import check_problem
    from ..solver.explain import explain_problem
    from ..solver.solve import SolveOptions, solve_problem

    began = time.perf_counter()
    reference_problem = compile_programme(programme)
    reference = published_timetable(reference_problem)
    applied = apply(programme, scenario)
    candidates = [applied.programme]
    if day_moves is not False:
        candidates.append(free_days(applied.programme))
    if day_moves is True:
        candidates = candidates[1:]
    for attempt, candidate in enumerate(candidates):
        problem = _with_lines(compile_programme(candidate), reference_problem)
        movable = frozenset(
            i.id for i in problem.items if i.ride is None and i.id not in applied.pinned
        )
        remaining = max(0.1, time_limit - (time.perf_counter() - began))
        options = SolveOptions(time_limit=remaining, seed=seed, workers=workers, unpin=movable)
        result = solve_problem(problem, reference=reference, options=options)
        if result.status.value != "infeasible":
            if attempt or day_moves is True:
                applied.notes.append("sessions may move to other days (same-day repair impossible)")
            break
    moved: list[str] = []
    minutes = 0
    diff = None
    warnings: list[Finding] = []
    reasons: list[str] = []
    if result.timetable is not None:
        diff = diff_problems(
            reference_problem, problem, old_times=reference, new_times=result.timetable
        )
        for change in result.timetable.placements.values():
            old = reference.get(change.activity)
            item = problem.item(change.activity)
            if old is None or item.ride is not None:
                continue
            if (old.date, old.start, old.venue) != (change.date, change.start, change.venue):
                moved.append(change.activity)
                minutes += abs((change.date - old.date).days * 24 * 60 + change.start - old.start)
        warnings = check_problem(problem, result.timetable).warnings
    elif result.status.value == "infeasible":
        explanation = explain_problem(
            problem,
            time_limit=time_limit,
            unpinned=movable,
            hint=reference,
            minimal=minimal_explanation,
        )
        reasons = [
            r.sentence + (f" (line {r.line})" if r.line else "") for r in explanation.reasons
        ]
    return WhatIf(
        scenario=scenario,
        status=result.status.value,
        problem=problem,
        reference=reference_problem,
        timetable=result.timetable,
        moved=sorted(moved),
        minutes=minutes,
        removed=applied.removed,
        notes=applied.notes,
        diff=diff,
        warnings=warnings,
        reasons=reasons,
        seconds=time.perf_counter() - began,
    )


def _with_lines(problem: Problem, original: Problem) -> Problem:
    """Line numbers of the original file, by id: the scenario's programme has no file."""
    import dataclasses

    lines = {item.id: item.line for item in original.items}
    problem.items = [dataclasses.replace(i, line=lines.get(i.id)) for i in problem.items]
    problem.rule_lines = {**problem.rule_lines, **original.rule_lines}
    problem.source = original.source
    return problem
