"""The property of issue 25 over generated programmes (``reading_strategies``) with open ends,
untimed items, sequential and parallel blocks, a sub-group's own activities, optional
activities and a bus with a departure window:

* every timetable ``solve`` (as printed, and with every time unpinned) or ``what-if``
  returns passes ``check`` with the rules it was given, and so does the solved file as
  written; a repair adds no error to the programme it repairs;
* every item lasts at least its reading (its printed length, an open end's held reading or
  its ``duration``, a range's least);
* when none exists, the explanation cannot hold alone (re-solved with every other rule and
  fact set aside), is minimal or says "not proven minimal", and is the set ``explain`` gives.

Solver calls: one worker, seed 0, deterministic budgets; hypothesis derandomized.
"""

from __future__ import annotations

from typing import Any

from hypothesis import event, given

from course_scheduler import compile_programme, solve, with_timetable
from course_scheduler.checking import check, check_problem
from course_scheduler.cli.solve import EXPLAIN_SECONDS
from course_scheduler.compile import Problem
from course_scheduler.loading import dump, loads
from course_scheduler.solver.explain import Explanation, explain_problem
from course_scheduler.solver.solve import Result, Status
from course_scheduler.timetable import Timetable, published_timetable
from course_scheduler.whatif import RemoveActivity, Scenario, what_if
from tests.reading_strategies import reading_programmes
from tests.strategies import describe, make_programme, solver_settings

SETTINGS = solver_settings(30)


def _lengths_hold(problem: Problem, timetable: Timetable) -> None:
    for item in problem.items:
        p = timetable.get(item.id)
        assert p is not None, item.id
        assert p.minutes >= item.duration, (item.id, p, item.duration)


def _holds(original: Problem, result: Result) -> None:
    """The timetable passes check with the rules it was solved under, lasts as read, and the
    file ``solve --out`` writes passes check too."""
    assert result.problem is not None and result.timetable is not None
    report = check_problem(result.problem, result.timetable)
    assert report.errors == [], (describe(result.problem, result.timetable), report.errors)
    _lengths_hold(original, result.timetable)
    written = loads(dump(with_timetable(result.problem, result.timetable)), name="solved.yaml")
    assert check(written).errors == [], [f.message for f in check(written).errors]


def _explained(problem: Problem, result: Result, unpinned: frozenset[str]) -> Explanation:
    """``solve``'s explanation (of the problem it solved) is ``explain``'s (of the file),
    and it cannot hold alone."""
    assert result.problem is not None
    from_solve = explain_problem(result.problem, time_limit=EXPLAIN_SECONDS, unpinned=unpinned)
    from_explain = explain_problem(problem, time_limit=EXPLAIN_SECONDS, unpinned=unpinned)
    assert from_solve.text() == from_explain.text()
    assert from_explain.feasible is not True
    if from_explain.feasible is False:
        assert from_explain.reasons
        assert from_explain.minimal or "not proven minimal" in from_explain.text()
        _infeasible_alone(problem, from_explain, unpinned)
    return from_explain


def _infeasible_alone(problem: Problem, why: Explanation, unpinned: frozenset[str]) -> None:
    from ortools.sat.python import cp_model

    from course_scheduler.solver.build import Build
    from course_scheduler.solver.explain import _solve

    build = Build(problem, explain=True, unpinned=unpinned)
    named = {(r.rule, r.key) for r in why.reasons}
    members = [a for a in build.assumptions if (a.rule, a.key) in named]
    assert len(members) == len(why.reasons)
    status, _ = _solve(build, members, 5.0, 0)
    assert status == cp_model.INFEASIBLE
    if why.minimal:
        for dropped in members:
            status, _ = _solve(build, [m for m in members if m is not dropped], 5.0, 0)
            assert status != cp_model.INFEASIBLE, dropped.rule


@SETTINGS
@given(data=reading_programmes())
def test_every_timetable_returned_passes_check_and_keeps_every_reading(
    data: dict[str, Any],
) -> None:
    programme = make_programme(data)
    problem = compile_programme(programme)
    printed = published_timetable(problem)
    published_ok = check_problem(problem, printed).ok
    rides = frozenset(i.id for i in problem.items if i.ride is None)
    for construct, present in _constructs(problem).items():
        if present:
            event(construct)
    for unpin in (False, True):
        result = solve(programme, unpin=unpin, time_limit=20, deterministic_time=3)
        event(f"{'unpinned' if unpin else 'as printed'}: {result.status.value}")
        if result.timetable is not None:
            _holds(problem, result)
        elif result.status == Status.INFEASIBLE:
            assert not (unpin is False and published_ok and _all_placed(problem, printed))
            _explained(problem, result, rides if unpin else frozenset())
    if not published_ok:
        return
    removed = next(i.id for i in problem.items if i.ride is None and i.block is None)
    scenario = Scenario(
        name=f"without {removed}",
        changes=[RemoveActivity(do="remove_activity", activity=removed)],
    )
    repair = what_if(programme, scenario, time_limit=20, minimal_explanation=False)
    event(f"repair: {repair.status}")
    if repair.timetable is not None:
        after = check(repair.problem.programme, repair.timetable)
        assert after.errors == [], [f.message for f in after.errors]
        _lengths_hold(compile_programme(repair.problem.programme), repair.timetable)


def _all_placed(problem: Problem, timetable: Timetable) -> bool:
    """Every activity has its time in the file: the printed timetable is then a timetable."""
    return all(timetable.get(i.id) is not None for i in problem.items)


def _constructs(problem: Problem) -> dict[str, bool]:
    """Which constructs a generated programme holds (reported as hypothesis events)."""
    blocks = {i.block for i in problem.items if i.block is not None}
    return {
        "open end": any(i.open_end and i.holds_reading for i in problem.items),
        "open end with a duration": any(i.open_end and not i.holds_reading for i in problem.items),
        "untimed item": bool(problem.untimed),
        "sequential block": any(not problem.item(b).parallel for b in blocks),
        "parallel block": any(problem.item(b).parallel for b in blocks),
        "sub-group activity": any(i.for_groups == ("steering",) for i in problem.items),
        "optional activity": any(i.optional for i in problem.items),
        "windowed leg": any(
            leg.depart_window[0] < leg.depart_window[1] for leg in problem.legs.values()
        ),
    }
