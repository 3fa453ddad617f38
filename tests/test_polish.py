"""Polishing day by day (``solver/polish.py``) on a generated music academy week: the rounds
start from a poor first answer, never return a worse one, and what they return is a timetable
every hard rule's checker accepts (one reading: the model's answer, read by the checker)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from benchmarks.academy import planted
from benchmarks.quality import template_of
from course_scheduler.checking import check_problem
from course_scheduler.compile import compile_programme
from course_scheduler.solver.build import Build
from course_scheduler.solver.objective import merge
from course_scheduler.solver.polish import polish
from course_scheduler.solver.solve import _objectives


def _first_answer(build: Build) -> cp_model.CpSolver:
    """The first timetable CP-SAT finds under the planner's objective (far from its best)."""
    stages = merge(_objectives(build, None))
    build.model.minimize(stages[0].expression)
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = 0
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20.0
    solver.parameters.stop_after_first_solution = True
    assert solver.solve(build.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    solver.parameters.stop_after_first_solution = False
    return solver


class _Listener:
    """What the solve's callback is told: each better answer, with the bound it gives."""

    interrupted = False

    def __init__(self) -> None:
        self.found: list[tuple[float, float]] = []

    def found_elsewhere(self, solver: cp_model.CpSolver, bound: float) -> None:
        self.found.append((solver.objective_value, bound))


def test_day_rounds_improve_a_first_answer_and_the_checker_agrees() -> None:
    problem = compile_programme(template_of(planted(ensembles=2, days=3)))
    build = Build(problem)
    build.finish()
    solver = _first_answer(build)
    first = solver.objective_value
    bound = solver.best_objective_bound
    listener = _Listener()
    rounds = polish(build, solver, 20.0, seed=0, callback=listener)
    assert rounds.tried >= 1
    assert rounds.values == sorted(rounds.values, reverse=True)
    # each better answer is told as it comes (the live line), with the whole model's bound
    assert listener.found == [(value, bound) for value in rounds.values]
    # the model's hint is now the best answer: read it back as the full model's answer
    reader = cp_model.CpSolver()
    reader.parameters.num_workers = 1
    reader.parameters.max_time_in_seconds = 20.0
    reader.parameters.fix_variables_to_their_hinted_value = True
    assert reader.solve(build.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    polished = reader.objective_value
    assert polished <= first
    if rounds.improved:
        assert polished == rounds.values[-1] < first
    timetable = build.timetable(reader)
    assert len(timetable) == len(problem.items)
    report = check_problem(problem, timetable)
    assert report.ok, report


def test_day_rounds_stop_at_once_without_time() -> None:
    problem = compile_programme(template_of(planted(ensembles=2, days=2)))
    build = Build(problem)
    build.finish()
    solver = _first_answer(build)
    rounds = polish(build, solver, 0.0, seed=0)
    assert rounds.tried == 0 and rounds.improved == 0
