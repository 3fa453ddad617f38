"""Soft capacity's optimum on the conference shape, settled from both sides
(``benchmarks/capacity_optimum.py``).

From below: the events no slot they may take can seat, read from the instance's fields alone.
From above: a timetable of the copy with the capacity rule hard (those events excepted),
checked on the original instance by the benchmark's own checker, its misfits counted from the
original demands. Where the two meet, that is the optimum, and the library's bound (what the
solve reports) must be at most it; on this shape it is equal, so the bound is 0 only when the
optimum is.
"""

from __future__ import annotations

import pytest

from benchmarks.capacity_optimum import forced, hard_answer, misfits, shrunk
from benchmarks.generate_conference import plant
from benchmarks.overlap_check import violations
from course_scheduler.compile import compile_programme
from course_scheduler.importers.peer import programme_from_peer
from course_scheduler.solver.build import Build
from course_scheduler.solver.solve import SolveOptions, Status, solve_problem


def _library_bound(data: dict[str, object]) -> int:
    """What the model's count of misfits may not go below: audiences no place can seat, plus
    the flow bound over the rest (``PooledRooms._count_unfit``)."""
    pooled = Build(compile_programme(programme_from_peer(data))).pooled
    assert pooled is not None
    fitting: dict[int, bool] = {}
    for choices in pooled.choices.values():
        for choice in choices:
            fitting[choice.item.index] = fitting.get(choice.item.index, False) or bool(
                pooled.fits(choice)
            )
    never = sum(1 for fits in fitting.values() if not fits)
    return never + pooled.fitting_shortfall()


@pytest.mark.parametrize(("size", "seed"), [(150, 3), (400, 0), (400, 2)])
def test_the_bound_is_the_optimum_on_the_conference_shape(size: int, seed: int) -> None:
    data, planted = plant(size, seed)
    never = forced(data)
    status, answer, _ = hard_answer(data, never, 60, 0)
    assert status == "optimal" and answer is not None
    assert violations(data, answer) == []
    assert misfits(data, answer) == len(never) < misfits(data, planted)
    assert _library_bound(data) == len(never)


def test_the_reported_bound_is_not_zero_when_the_optimum_is_not() -> None:
    """The search's budget is deterministic (the same on any machine), the wall limit
    generous: at 10 s of wall a loaded machine (load 8-11) could stop the build before any
    answer, and the bound is what is asserted, not the time."""
    data, _ = plant(400, 0)
    never = forced(data)
    assert len(never) == 2
    problem = compile_programme(programme_from_peer(data))
    options = SolveOptions(time_limit=300, deterministic_time=5, seed=0, workers=1)
    result = solve_problem(problem, options=options)
    assert result.objective is not None
    assert result.objective.bound == len(never)  # from the build on, however short the solve


@pytest.mark.parametrize(("size", "seed"), [(30, 1), (60, 2)])
def test_with_smaller_rooms_the_bound_is_still_the_optimum(size: int, seed: int) -> None:
    """Rooms at 70 %: the hard copy has no timetable (more misfit than the forced ones),
    and the audiences too large for any room still take the only slots long enough for
    them; the bound counts that, so the solve proves its answer optimal, below the planted
    one's misfits."""
    data, planted = plant(size, seed)
    data = shrunk(data, 0.7)
    never = forced(data)
    bound = _library_bound(data)
    problem = compile_programme(programme_from_peer(data))
    result = solve_problem(problem, options=SolveOptions(time_limit=20, seed=0, workers=1))
    assert result.status == Status.OPTIMAL and result.objective is not None
    assert len(never) < bound == result.objective.total <= misfits(data, planted)
