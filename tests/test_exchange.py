"""Exchanges of misfit talks between construction and proof (``solver/exchange.py``).

Each exchange the pass keeps must leave a timetable the independent checker finds valid, with
no more audiences without a fitting room than before: asserted here by the checker on the
timetable returned, never by the pass's own count. On FOSDEM 2020 scaled up, where the
construction is one misfit above the bound, the pass reaches the bound and the solve is
proven optimal without the soft model.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.instances import generated
from course_scheduler.checking import check_problem
from course_scheduler.compile import Problem, compile_programme
from course_scheduler.importers.peer import programme_from_peer
from course_scheduler.solver import exchange, proof, search
from course_scheduler.solver.build import Build
from course_scheduler.solver.solve import SolveOptions, Status, solve_problem
from course_scheduler.timetable import Timetable
from tests.strategies import solver_settings

from .real_schedules import real_file


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("exchange")


def _problem(shape: str, size: int, seed: int | None, folder: Path) -> Problem:
    if shape.startswith("real-38c3"):
        real_file("38c3")
    return compile_programme(programme_from_peer(generated(shape, size, seed, folder).data()))


def _capacity(problem: Problem, timetable: Timetable) -> int:
    """Misfits by the checker; the timetable must break no hard rule."""
    report = check_problem(problem, timetable)
    assert check_problem(problem, timetable, hard_only=True).ok
    return sum(1 for finding in report.findings if finding.kind == "capacity")


def _pass(problem: Problem) -> tuple[Build, Timetable, exchange.Exchanged | None]:
    build = Build(problem, defer=True)
    plan = search.prepare(build, search.Tactics(), 0, False)
    constructed = search.checked_construction(build, plan)
    assert constructed is not None and plan.construction is not None
    chosen: exchange.Chosen = {}
    for choice, _ in plan.construction.placed.values():
        chosen.setdefault(choice.cell, []).append(choice)
    counted = proof.misfits_count(build, constructed)
    assert counted is not None
    done = exchange.exchange(
        build, chosen, constructed, counted, lambda t: proof.misfits_count(build, t)
    )
    return build, constructed, done


@solver_settings(8)
@given(
    st.sampled_from(["real-fosdem2020", "real-38c3", "tracks", "conference"]),
    st.integers(80, 240),
    st.integers(0, 40),
)
def test_every_exchange_keeps_the_timetable_valid_and_lowers_the_misfits(
    scratch: Path, shape: str, size: int, seed: int
) -> None:
    problem = _problem(shape, size, seed, scratch)
    _, constructed, done = _pass(problem)
    before = _capacity(problem, constructed)
    if done is None:
        return
    after = _capacity(problem, done.timetable)
    assert after == done.misfits < before
    assert set(done.timetable.placements) == set(constructed.placements)


def test_the_same_input_gives_the_same_exchanges(tmp_path: Path) -> None:
    problem = _problem("real-fosdem2020", 1000, None, tmp_path)
    _, _, first = _pass(problem)
    _, _, second = _pass(problem)
    assert first is not None and second is not None
    assert first.timetable.placements == second.timetable.placements


def test_fosdem_at_1000_reaches_the_bound_and_is_proven(tmp_path: Path) -> None:
    """The default instance at 1,000 events: the construction leaves 3 audiences without a
    fitting room against a bound of 2; the exchanges reach 2, so the solve answers optimal
    without writing the soft model (before: 10 s of CPU and 1.5 GiB to prove 2)."""
    problem = _problem("real-fosdem2020", 1000, None, tmp_path)
    build, constructed, done = _pass(problem)
    assert _capacity(problem, constructed) == 3
    assert done is not None and _capacity(problem, done.timetable) == 2
    pooled = build.pooled
    assert pooled is not None
    assert pooled.never_fit() + pooled.fitting_shortfall() == 2
    result = solve_problem(problem, options=SolveOptions(time_limit=60, seed=0, workers=1))
    assert result.status == Status.OPTIMAL and result.objective is not None
    assert "exchange" in result.phases and "search" not in result.phases
    assert result.timetable is not None and _capacity(problem, result.timetable) == 2
    assert (result.objective.total, result.objective.bound) == (2, 2)


def test_a_checker_that_refuses_every_exchange_keeps_the_construction(tmp_path: Path) -> None:
    """The checker decides: where it finds every exchanged timetable invalid, none is kept."""
    problem = _problem("real-fosdem2020", 1000, None, tmp_path)
    build = Build(problem, defer=True)
    plan = search.prepare(build, search.Tactics(), 0, False)
    constructed = search.checked_construction(build, plan)
    assert constructed is not None and plan.construction is not None
    chosen: exchange.Chosen = {}
    for choice, _ in plan.construction.placed.values():
        chosen.setdefault(choice.cell, []).append(choice)
    assert exchange.exchange(build, chosen, constructed, 3, lambda _: None) is None
