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
from course_scheduler.solver.slots import PooledRooms
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


def _constructed(problem: Problem) -> tuple[Build, Timetable, exchange.Chosen, int, int]:
    """The checked construction, its cells, its misfits by the checker and their bound."""
    build = Build(problem, defer=True)
    plan = search.prepare(build, search.Tactics(), 0, False)
    constructed = search.checked_construction(build, plan)
    assert constructed is not None and plan.construction is not None
    chosen: exchange.Chosen = {}
    for choice, _ in plan.construction.placed.values():
        chosen.setdefault(choice.cell, []).append(choice)
    counted = proof.misfits_count(build, constructed)
    pooled = build.pooled
    assert counted is not None and pooled is not None
    return build, constructed, chosen, counted, pooled.never_fit() + pooled.fitting_shortfall()


def _pass(problem: Problem) -> tuple[Build, Timetable, exchange.Exchanged | None]:
    build, constructed, chosen, counted, lowest = _constructed(problem)
    done = exchange.exchange(
        build, chosen, constructed, counted, lambda t: proof.misfits_count(build, t), None, lowest
    )
    return build, constructed, done


class _Stopped(Exception):
    pass


def test_a_construction_far_above_the_bound_is_left_to_the_search(tmp_path: Path) -> None:
    """More than ``GAP_CLOSED`` misfits above the bound: no chain is looked at and nothing is
    checked (a greedy order gone wrong would otherwise spend minutes on every misfit)."""
    build, constructed, chosen, counted, lowest = _constructed(
        _problem("real-fosdem2020", 1000, None, tmp_path)
    )
    checked: list[Timetable] = []

    def count(timetable: Timetable) -> int | None:
        checked.append(timetable)
        return proof.misfits_count(build, timetable)

    far = lowest + exchange.GAP_CLOSED + 1
    assert exchange.exchange(build, chosen, constructed, far, count, None, lowest) is None
    assert checked == []
    near = exchange.exchange(build, chosen, constructed, counted, count, None, lowest)
    assert counted - lowest <= exchange.GAP_CLOSED and near is not None and checked


def test_the_time_limit_stops_the_pass_while_it_looks_for_chains(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``on_time`` (the solve's budget check, which raises when the limit has come) is called
    before the first misfit's chains are looked at, not only between the checks (which come
    after every misfit's chains)."""
    build, constructed, chosen, counted, lowest = _constructed(
        _problem("real-fosdem2020", 1000, None, tmp_path)
    )
    calls: list[int] = []
    chains = exchange._chains
    looked: list[int] = []

    def counted_chains(*args: object, **kwargs: object) -> object:
        looked.append(1)
        return chains(*args, **kwargs)

    monkeypatch.setattr(exchange, "_chains", counted_chains)

    def out_of_time() -> None:
        calls.append(1)
        raise _Stopped

    with pytest.raises(_Stopped):
        exchange.exchange(
            build,
            chosen,
            constructed,
            counted,
            lambda t: pytest.fail("checked"),
            out_of_time,
            lowest,
        )
    assert calls == [1] and looked == []


@solver_settings(8)
@given(
    st.sampled_from(["real-fosdem2020", "real-38c3", "real-38c3-odd", "tracks", "conference"]),
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
    build, constructed, chosen, _, _ = _constructed(
        _problem("real-fosdem2020", 1000, None, tmp_path)
    )
    assert exchange.exchange(build, chosen, constructed, 3, lambda _: None) is None


def test_no_timetable_the_pass_checks_puts_clashing_talks_at_once(tmp_path: Path) -> None:
    """The odd 38C3 shape has a clash rule per track (up to 109 talks): a chain that puts two
    talks of one track, or of one speaker, at the same time is refused by the checker, so the
    pass's filter must leave it out before a check is spent on it (before: every chain the
    first misfits found broke a clash rule, and 28 checks lowered 7 misfits to 6)."""
    problem = _problem("real-38c3-odd", 400, None, tmp_path)
    build, constructed, chosen, counted, _ = _constructed(problem)
    broken: list[str] = []

    def count(timetable: Timetable) -> int | None:
        report = check_problem(problem, timetable)
        broken.extend(f.kind for f in report.findings if f.kind in ("clash", "no_overlap"))
        return proof.misfits_count(build, timetable)

    lowest = build.pooled.never_fit() if build.pooled is not None else 0
    done = exchange.exchange(build, chosen, constructed, counted, count, None, lowest)
    assert done is not None and done.checks and broken == []
    assert _capacity(problem, done.timetable) == done.misfits < counted


def test_the_odd_38c3_shape_reaches_its_bound_without_the_flow_or_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The odd 38C3 shape at 200 events: the construction leaves 10 audiences without a
    fitting room, one of them fits no room anywhere (the bound). Exchanges, several kept at
    once, reach 1, so the solve is proven without the soft model and without the flow that
    tightens the bound (which files every choice by cell: a gigabyte at 2,000 events)."""
    problem = _problem("real-38c3-odd", 200, None, tmp_path)

    def no_flow(self: PooledRooms) -> int:
        raise AssertionError("the flow was not needed")

    monkeypatch.setattr(PooledRooms, "fitting_shortfall", no_flow)
    result = solve_problem(problem, options=SolveOptions(time_limit=60, seed=0, workers=1))
    assert result.status == Status.OPTIMAL and result.objective is not None
    assert "exchange" in result.phases and "search" not in result.phases
    assert result.timetable is not None and _capacity(problem, result.timetable) == 1
    assert result.objective.total == result.objective.bound == 1
    build = Build(problem, defer=True)
    assert build.pooled is not None and build.pooled.never_fit() == 1
