"""A checked construction proven optimal by the soft capacity bound (``solver/proof.py``).

With soft capacity the whole objective, a construction that leaves no more audiences without a
fitting room than the count's lower bound is optimal, and the soft model (2.4 million cell
literals at 2,000 events of 38C3's grid) need not be written. The answer must be the one the
full model proves: the same optimum and bound, every rule kept, and the misfits the checker
counts on it are the objective's. Where anything else could cost, or the construction is above
the bound, the model is written and searched as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from benchmarks.instances import generated
from course_scheduler.checking import check_problem
from course_scheduler.compile import Problem, compile_programme
from course_scheduler.importers.peer import programme_from_peer
from course_scheduler.solver import exchange, proof, search
from course_scheduler.solver.build import Build
from course_scheduler.solver.solve import Result, SolveOptions, Status, solve_problem
from course_scheduler.timetable import Timetable

from .real_schedules import real_file


def _problem(shape: str, size: int, seed: int | None, folder: Path) -> Problem:
    if shape.startswith("real-38c3"):
        real_file("38c3")
    return compile_programme(programme_from_peer(generated(shape, size, seed, folder).data()))


def _solve(problem: Problem) -> Result:
    return solve_problem(problem, options=SolveOptions(time_limit=60, seed=0, workers=1))


def _capacity_findings(problem: Problem, result: Result) -> int:
    assert result.timetable is not None
    report = check_problem(problem, result.timetable)
    assert report.ok
    return sum(1 for finding in report.findings if finding.kind == "capacity")


@pytest.mark.parametrize(
    ("shape", "size", "seed"),
    [("real-38c3", 200, 0), ("real-38c3", 200, 1), ("tracks", 200, 0), ("conference", 200, 0)],
)
def test_the_proven_construction_is_the_full_models_optimum(
    shape: str, size: int, seed: int | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    problem = _problem(shape, size, seed, tmp_path)
    proven = _solve(problem)
    assert proven.status == Status.OPTIMAL and proven.objective is not None
    assert "bound" in proven.phases and "search" not in proven.phases  # no model searched
    monkeypatch.setattr(proof, "counted_construction", lambda *args, **kwargs: None)
    searched = _solve(problem)
    assert searched.status == Status.OPTIMAL and searched.objective is not None
    assert "search" in searched.phases
    assert proven.objective.total == searched.objective.total
    assert proven.objective.bound == searched.objective.bound
    assert proven.objective.terms == searched.objective.terms
    assert [(s.name, s.value, s.bound) for s in proven.stages] == [
        (s.name, s.value, s.bound) for s in searched.stages
    ]
    assert _capacity_findings(problem, proven) == proven.objective.terms["soft_rules"]


def _constructed(problem: Problem) -> tuple[Build, Timetable]:
    build = Build(problem, defer=True)
    plan = search.prepare(build, search.Tactics(), 0, False)
    timetable = search.checked_construction(build, plan)
    assert timetable is not None
    return build, timetable


def test_anything_else_that_may_cost_keeps_the_search(tmp_path: Path) -> None:
    """The same instance and construction: proven while soft capacity is the objective, not
    once idle minutes weigh something too (the bound says nothing of them)."""
    data = generated("tracks", 200, 0, tmp_path).data()
    problem = compile_programme(programme_from_peer(data))
    build, timetable = _constructed(problem)
    settled = proof.proven_construction(build, timetable)
    assert settled is not None and settled.misfits == 1
    programme = programme_from_peer(data)
    programme.objective.idle_minutes = 1
    build, timetable = _constructed(compile_programme(programme))
    assert proof.proven_construction(build, timetable) is None


def test_a_construction_above_the_bound_keeps_the_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tracks shape at 200 events (the generator's own seed): the construction leaves
    three audiences without a fitting room against a bound of two, so nothing is proven before
    the search (the exchanges, which reach two here, set aside: ``tests/test_exchange.py``),
    which finds and proves the optimum (two) as before."""
    monkeypatch.setattr(exchange, "exchange", lambda *args, **kwargs: None)
    problem = _problem("tracks", 200, None, tmp_path)
    build, timetable = _constructed(problem)
    pooled = build.pooled
    assert pooled is not None
    findings = sum(
        1 for finding in check_problem(problem, timetable).findings if finding.kind == "capacity"
    )
    bound = pooled.never_fit() + pooled.fitting_shortfall()
    assert findings > bound
    assert proof.proven_construction(build, timetable) is None
    result = _solve(problem)
    assert result.status == Status.OPTIMAL and result.objective is not None
    assert "search" in result.phases
    assert result.objective.total == bound < findings


@pytest.mark.parametrize(("shape", "seed"), [("real-38c3-odd", 1), ("conference", 0)])
def test_never_fit_is_the_models_constant(shape: str, seed: int, tmp_path: Path) -> None:
    """``never_fit`` (read from the options) counts the activities the model's count holds as
    a constant: those none of whose choices has a room that holds the audience."""
    build = Build(_problem(shape, 300, seed, tmp_path))
    pooled = build.pooled
    assert pooled is not None
    fitting: dict[int, bool] = {}
    for choices in pooled.choices.values():
        for choice in choices:
            index = choice.item.index
            fitting[index] = fitting.get(index, False) or bool(pooled.fits(choice))
    assert pooled.never_fit() == sum(1 for fits in fitting.values() if not fits)


def test_a_search_that_finds_nothing_reports_the_constructions_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tracks shape at 200 events (construction 3, bound 2; the exchanges set aside), the
    search given no time to find anything: the answer is the construction, and its objective
    is the checker's count of its misfits against the bound, not proven (before, no objective
    was reported)."""
    monkeypatch.setattr(exchange, "exchange", lambda *args, **kwargs: None)
    monkeypatch.setattr(search, "run", lambda *args, **kwargs: cp_model.UNKNOWN)
    problem = _problem("tracks", 200, None, tmp_path)
    result = _solve(problem)
    assert result.status == Status.FEASIBLE and result.timetable is not None
    assert result.objective is not None and not result.objective.optimal
    findings = _capacity_findings(problem, result)
    build, _ = _constructed(problem)
    pooled = build.pooled
    assert pooled is not None
    bound = pooled.never_fit() + pooled.fitting_shortfall()
    assert (findings, bound) == (3, 2)
    assert result.objective.terms["soft_rules"] == findings
    assert (result.objective.total, result.objective.bound) == (findings, bound)
