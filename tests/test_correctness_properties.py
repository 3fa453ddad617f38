"""Properties behind the correctness promises (issue 11), over generated programmes:

* every scenario action keeps every rule of the programme except what a removal takes away
  (a rule whose referenced activities are all gone, a sequence pair with a gone end), and a
  repair checks clean against the rules kept;
* every set ``explain`` calls minimal is infeasible, and each of its proper subsets is
  feasible.

(The third, "what the solver returns checks clean; what checks clean is feasible when fixed
into the model, over programmes that also lack rules", is ``test_rules_agreement``'s planted
suite, whose generator now leaves rules out, adds a second group and walks from the bus stop.)
The long profile runs more cases: ``python -m tests.agreement_long``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from course_scheduler.checking import check_problem
from course_scheduler.compile import Problem
from course_scheduler.errors import ProgrammeError
from course_scheduler.model import Programme
from course_scheduler.solver.build import Build
from course_scheduler.solver.explain import Explanation, _solve, explain_problem
from course_scheduler.whatif import Scenario, apply, what_if
from course_scheduler.whatif.scenario import (
    AddActivity,
    AvailableOnly,
    ChangeDateWindow,
    ChangeDuration,
    CloseVenue,
    MoveTransport,
    Pin,
    RemoveActivity,
    Unavailable,
)
from tests.strategies import Planted, compile_data, date, planted_cases, rng, solver_settings

SETTINGS = solver_settings(25)


# --- scenario actions keep the rules --------------------------------------------------------------


def referenced(rule: Any) -> list[str]:
    """The activity ids a rule names (an empty list: it selects by kind, or names none)."""
    ids = list(getattr(rule, "activities", None) or [])
    single = getattr(rule, "activity", None)
    return [*ids, single] if isinstance(single, str) else ids


@st.composite
def scenarios(draw: st.DrawFn, case: Planted) -> Scenario:
    """One to three changes of any kind the vocabulary has, aimed at what the programme holds."""
    programme = case.programme
    ids = [a.id for a in programme.all_activities()]
    people = [p.id for p in programme.people]
    dates = [day.date for day in programme.days]
    options: list[st.SearchStrategy[Any]] = [
        st.builds(RemoveActivity, do=st.just("remove_activity"), activity=st.sampled_from(ids)),
        st.builds(
            ChangeDuration,
            do=st.just("change_duration"),
            activity=st.sampled_from(ids),
            minutes=st.integers(1, 12).map(lambda x: x * 10),
        ),
        st.builds(
            Pin,
            do=st.just("pin"),
            activities=st.lists(st.sampled_from(ids), min_size=1, max_size=2),
        ),
        st.builds(
            CloseVenue,
            do=st.just("close_venue"),
            venue=st.sampled_from([v.id for v in programme.venues if v.kind.value == "venue"]),
            date=st.sampled_from(dates),
        ),
        st.builds(
            AddActivity,
            do=st.just("add_activity"),
            activity=st.builds(
                lambda minutes: {
                    "id": "extra",
                    "title": "Extra Session",
                    "kind": "workshop",
                    "duration": minutes,
                },
                st.integers(1, 6).map(lambda x: x * 10),
            ),
        ),
    ]
    if people:
        person = st.sampled_from(people)
        options.append(
            st.builds(
                Unavailable,
                do=st.just("unavailable"),
                person=person,
                talks=st.sampled_from(["drop", "substitute"]),
                substitute=st.sampled_from(people) if len(people) > 1 else st.none(),
            ).filter(lambda c: c.talks == "drop" or (c.substitute and c.substitute != c.person))
        )
        options.append(
            st.builds(
                AvailableOnly,
                do=st.just("available_only"),
                person=person,
                windows=st.lists(
                    st.builds(lambda d: {"date": d}, st.sampled_from(dates)), min_size=1, max_size=2
                ),
            )
        )
    if programme.transport:
        options.append(
            st.builds(
                MoveTransport,
                do=st.just("move_transport"),
                leg=st.just("bus"),
                depart=st.integers(8 * 12, 16 * 12).map(lambda x: x * 5),
            )
        )
    if any(r.id == "date-window" for r in programme.rules):
        options.append(
            st.builds(
                ChangeDateWindow,
                do=st.just("date_window"),
                rule=st.just("date-window"),
                end=st.sampled_from(dates).map(lambda d: d - dt.timedelta(days=1)),
            )
        )
    changes = draw(st.lists(st.one_of(options), min_size=1, max_size=3))
    return Scenario(name="generated", changes=changes)


def _kept_as_promised(original: Programme, applied: Programme, removed: set[str]) -> None:
    after = {rule.id: rule for rule in applied.rules}
    for rule in original.rules:
        names = referenced(rule)
        remaining = [x for x in names if x not in removed]
        if not names or not (set(names) & removed):
            assert rule.id in after, f"{rule.id} ({rule.kind}) lost though nothing it names went"
            continue
        if rule.kind == "sequence":
            pairs = list(zip(rule.activities, rule.activities[1:], strict=False))
            kept_pairs = [p for p in pairs if not set(p) & removed]
            pieces = [r for r in applied.rules if r.id.split(".")[0] == rule.id]
            held = {p for r in pieces for p in zip(r.activities, r.activities[1:], strict=False)}
            assert held == set(kept_pairs), (rule.id, held, kept_pairs)
        elif remaining and (rule.kind != "clash" or len(set(remaining)) >= 2):
            assert rule.id in after, f"{rule.id} lost though {remaining} remain"
            assert set(referenced(after[rule.id])) == set(remaining)


@SETTINGS
@given(data=st.data(), case=planted_cases())
def test_every_scenario_keeps_the_rules_and_its_repair_checks_clean(
    data: st.DataObject, case: Planted
) -> None:
    programme = case.programme
    scenario = data.draw(scenarios(case))
    try:
        applied = apply(programme, scenario)
    except ProgrammeError:
        assume(False)  # a change the programme cannot take (e.g. an activity made too long)
        return
    _kept_as_promised(programme, applied.programme, set(applied.removed))
    result = what_if(programme, scenario, time_limit=5, minimal_explanation=False)
    written = {r.id for r in result.problem.rules if not r.planner_default}  # the planner's aside
    assert written == {r.id for r in applied.programme.rules if r.set_aside is None}
    if result.timetable is not None:
        report = check_problem(result.problem, result.timetable)
        kept = {(f.rule, f.message) for f in result.kept_errors}  # as published, named
        left = [f.message for f in report.errors if (f.rule, f.message) not in kept]
        assert left == [], left
        assert result.valid
        assert set(result.moved) <= {s.activity for s in result.shifts}


# --- explanations called minimal are minimal ---------------------------------------------------------


@st.composite
def infeasible_programmes(draw: st.DrawFn) -> tuple[Problem, frozenset[str]]:
    """A planted programme made infeasible in one of several ways, and what may move."""
    case = draw(planted_cases())
    data = case.data
    activities = [a for day in data["days"] for a in day["activities"]]
    timed = [a for a in activities if "time" in a]
    way = draw(st.sampled_from(["ghost", "window", "reversed", "closed"]))
    rules = data["rules"]
    if way == "ghost" or not timed:
        target = draw(st.sampled_from(activities + data["activities"]))
        ghost = {"id": "ghost", "name": "Gil Ghost", "available": [{"date": date(9)}]}
        data["people"] = [*data["people"], ghost]
        target["people"] = [*target.get("people", []), "ghost"]
        if not any(r["kind"] == "availability" for r in rules):
            rules.append({"id": "availability", "kind": "availability"})
    elif way == "window":
        target = draw(st.sampled_from(timed))
        rules.append(
            {
                "id": "too-late",
                "kind": "time_window",
                "activities": [target["id"]],
                "within": rng(21 * 60, 23 * 60),
            }
        )
    elif way == "reversed" and len(timed) >= 2:
        first, second = draw(st.permutations(timed))[:2]
        first["pinned"] = second["pinned"] = True
        rules.append(
            {
                "id": "order",
                "kind": "sequence",
                "activities": [second["id"], first["id"]],
                "min_gap": 24 * 60,
            }
        )
    else:
        target = draw(st.sampled_from(timed))
        day = next(d for d in data["days"] if target in d["activities"])
        rules.append(
            {
                "id": "closed",
                "kind": "date_window",
                "activities": [target["id"]],
                "from": day["date"] + dt.timedelta(days=1),
                "to": day["date"] + dt.timedelta(days=1),
            }
        )
    try:
        problem = compile_data(data)
    except ProgrammeError:  # e.g. the new order closes a cycle with a planted sequence
        assume(False)
        raise
    movable = [i.id for i in problem.items if i.ride is None]
    unpinned = (
        frozenset(draw(st.lists(st.sampled_from(movable), unique=True))) if movable else frozenset()
    )
    return problem, unpinned


def _holds(
    problem: Problem, unpinned: frozenset[str], keys: set[tuple[str, str | None]]
) -> bool | None:
    """Feasibility of the model with exactly the assumptions ``keys`` on (None: undecided)."""
    build = Build(problem, explain=True, unpinned=unpinned)
    active = [a for a in build.assumptions if (a.rule, a.key) in keys]
    status, _ = _solve(build, active, 5.0, 0)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    if status == cp_model.INFEASIBLE:
        return False
    return None


def check_minimal(problem: Problem, unpinned: frozenset[str], explanation: Explanation) -> None:
    if explanation.feasible is not False or not explanation.minimal:
        return
    keys = {(r.rule, r.key) for r in explanation.reasons}
    assert keys and _holds(problem, unpinned, keys) is False, keys
    for key in keys:
        assert _holds(problem, unpinned, keys - {key}) is not False, (keys, "without", key)


@SETTINGS
@given(made=infeasible_programmes())
def test_every_set_called_minimal_is_infeasible_and_each_proper_subset_feasible(
    made: tuple[Problem, frozenset[str]],
) -> None:
    problem, unpinned = made
    explanation = explain_problem(problem, time_limit=10, unpinned=unpinned)
    assert explanation.feasible is not True or not explanation.reasons
    check_minimal(problem, unpinned, explanation)
