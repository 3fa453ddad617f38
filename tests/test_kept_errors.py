"""Repairs that keep what was already wrong: a published error the scenario does not reach is
kept exactly as published, and only that error.

1. One reading of an instance, two sides: for every rule kind whose errors a repair keeps,
   on tiny programmes with random (often broken) timetables, the timetable fixed into the
   model with each error the checker reports kept (``Problem.kept_findings``; clashes by
   ``kept_overlaps``) is feasible, and keeping all but one error is not: the encoding leaves
   out exactly the instances the checker names.
2. The published 2024 programme (four errors): a what-if gives a repair, names what it keeps,
   moves nothing to tidy them, and ``--repair-published`` repairs them.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from course_scheduler.checking import check_problem
from course_scheduler.loading import load
from course_scheduler.rules.overlap import kept_overlaps
from course_scheduler.whatif import Scenario, Unavailable, what_if
from course_scheduler.whatif.repair import KEEPABLE
from tests.strategies import agreement_cases, fixed_feasible, hard, only_rules, solver_settings

from .conftest import PUBLISHED

KINDS = sorted(KEEPABLE | {"no_overlap"})


def _keep(problem: object, rule: object, findings: list[object]) -> object:
    kept = only_rules(problem, rule)  # type: ignore[arg-type]
    kept.kept_findings = {rule.id: frozenset(frozenset(f.activities) for f in findings)}  # type: ignore[attr-defined]
    return kept


@pytest.mark.parametrize("kind", KINDS)
@settings(
    parent=solver_settings(25),
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_error_of_a_timetable_can_be_kept_and_only_it(kind: str, data: st.DataObject) -> None:
    case = data.draw(agreement_cases(kind))
    problem = case.problem
    (rule,) = problem.rules
    report = check_problem(problem, case.timetable)
    assume(not hard(report, "placement"))
    errors = hard(report, rule.id)
    assume(errors)
    kept = _keep(problem, rule, errors)
    if kind == "no_overlap":
        kept.kept_overlaps = tuple(kept_overlaps(problem, case.timetable))  # type: ignore[attr-defined]
    assert fixed_feasible(kept, case.timetable), [f.message for f in errors]  # type: ignore[arg-type]
    if kind == "no_overlap":
        return  # a clash is kept pair by pair by its own means (test_kept_overlaps.py)
    first = frozenset(errors[0].activities)
    others = [f for f in errors if frozenset(f.activities) != first]
    if not others:
        return
    one = _keep(problem, rule, [errors[0]])
    assert not fixed_feasible(one, case.timetable), [f.message for f in others]  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def without_khady() -> object:
    scenario = Scenario(
        name="without Khady", changes=[Unavailable(do="unavailable", person="Khady Niang Sylla")]
    )
    return what_if(load(PUBLISHED), scenario, time_limit=20)


def test_the_published_file_gets_a_repair_that_names_what_it_keeps(without_khady: object) -> None:
    result = without_khady
    assert result.valid and result.status == "optimal"  # type: ignore[attr-defined]
    assert result.moved == []  # type: ignore[attr-defined]  # nothing moved to tidy old defects
    kept = {(f.rule, frozenset(f.activities)) for f in result.kept_errors}  # type: ignore[attr-defined]
    assert kept == {
        ("no-overlap-cohort", frozenset({"bus-chimneys.out", "d3-free-afternoon"})),
        ("no-overlap-cohort", frozenset({"d3-networking", "d3-free-afternoon"})),
        ("transport-windows", frozenset({"d3-networking"})),
        ("travel-time", frozenset({"d5-lunch", "d5-wrap-up"})),
    }
    summary = result.summary()  # type: ignore[attr-defined]
    assert "It keeps 4 errors of the published timetable exactly as published" in summary
    assert "transport-windows: d3-networking" in summary


def test_repair_published_repairs_the_old_errors_too() -> None:
    scenario = Scenario(
        name="without Khady",
        published_clashes="repair",
        changes=[Unavailable(do="unavailable", person="Khady Niang Sylla")],
    )
    result = what_if(load(PUBLISHED), scenario, time_limit=20)
    assert result.kept_errors == []
    if result.feasible:
        assert result.valid
        report = check_problem(result.problem, result.timetable)  # type: ignore[arg-type]
        assert report.errors == []


def test_a_late_bus_moves_nothing_to_tidy_an_old_defect() -> None:
    """E2M2 as published breaks seven rules; its first drive leaving 30 minutes late once
    moved Tuesday's lunch (to tidy the homework due during it). Now nothing moves: each old
    error stays as published, named."""
    from pathlib import Path

    from course_scheduler.whatif import MoveTransport

    path = Path(__file__).resolve().parents[1] / "examples" / "e2m2_2025" / "programme.yaml"
    scenario = Scenario(
        name="late drive",
        changes=[MoveTransport(do="move_transport", leg="sun18-drive", depart="9:30am")],
    )
    result = what_if(load(path), scenario, time_limit=20)
    assert result.valid
    assert result.moved == []
    assert {"homework-due", "travel-time"} <= {f.rule for f in result.kept_errors}
