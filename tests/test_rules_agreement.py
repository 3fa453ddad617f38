"""The two readings of every rule agree (DESIGN.md, principle 1): the checker (plain Python
over a timetable) and the CP-SAT encoding (``post_<kind>`` through ``solver.build.Build``).

1. Planted programmes, feasible by construction (``strategies.planted_cases``):
   (a) the planted timetable checks with no error;
   (b) pinned into the full model with ``Build.fix`` it is feasible;
   (c) the solver, free to move every activity, returns a timetable that checks clean;
   (d) made infeasible on purpose, the solver says INFEASIBLE, never a broken timetable.
2. Per rule kind, on tiny programmes with random (often broken) timetables: the checker
   reports a hard finding of rule R  <=>  the timetable fixed into a model holding only R is
   infeasible. The restrictions that make the two semantics coincide are documented in
   ``strategies`` (SEQUENTIAL_KINDS, SINGLE_GROUP_KINDS, NO_LEG_KINDS and the comments
   marked "restriction").
3. Disagreements these tests once found, each kept as a minimal regression test (all fixed:
   confirmed, clash, max_content breaks and groups, travel through a bus ride, last_before
   and compact across groups, compact with two lunches, a module declared on two days).

Solver calls: one worker, seed 0, at most 5 seconds; hypothesis derandomized.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from course_scheduler.checking import check_problem
from course_scheduler.compile import compile_programme
from course_scheduler.rules import REGISTRY
from course_scheduler.solver.solve import SolveOptions, Status, solve_problem
from course_scheduler.timetable import Placement, published_timetable
from tests.strategies import (
    Case,
    Planted,
    agreement_cases,
    compile_data,
    date,
    describe,
    fixed_feasible,
    hard,
    only_rules,
    planted_cases,
    rng,
    solver_settings,
)

SOLVER_SETTINGS = solver_settings(40)
OPTIONS = SolveOptions(time_limit=5, seed=0, workers=1)


def errors_text(report: Any) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in report.errors]


# --- 1. planted programmes ----------------------------------------------------------------------


@SOLVER_SETTINGS
@given(case=planted_cases())
def test_planted_timetable_checks_clean_and_is_feasible(case: Planted) -> None:
    problem = case.problem
    report = check_problem(problem, case.timetable)
    assert report.errors == [], (describe(problem, case.timetable), errors_text(report))
    assert report.scheduled == len(problem.items)
    assert fixed_feasible(problem, case.timetable), describe(problem, case.timetable)


@SOLVER_SETTINGS
@given(case=planted_cases())
def test_solver_timetable_checks_clean(case: Planted) -> None:
    problem = case.problem
    options = dataclasses.replace(OPTIONS, unpin=True)
    result = solve_problem(problem, options=options)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE), result.status
    assert result.timetable is not None
    report = check_problem(problem, result.timetable)
    assert report.errors == [], (describe(problem, result.timetable), errors_text(report))
    assert report.scheduled == len(problem.items)
    # and the solver's answer is a feasible point of the model it solved
    unpinned = frozenset(i.id for i in problem.items if i.ride is None)
    assert fixed_feasible(problem, result.timetable, unpinned=unpinned)


def _assert_infeasible(data: dict[str, Any], *, unpin: bool) -> None:
    problem = compile_data(data)
    result = solve_problem(problem, options=dataclasses.replace(OPTIONS, unpin=unpin))
    if result.timetable is not None:  # never a broken timetable presented as a solution
        report = check_problem(problem, result.timetable)
        raise AssertionError(
            f"solver said {result.status.value}; checker: {errors_text(report)}\n"
            + describe(problem, result.timetable)
        )
    assert result.status == Status.INFEASIBLE


@SOLVER_SETTINGS
@given(case=planted_cases(), data=st.data())
def test_person_available_only_outside_the_course_is_infeasible(
    case: Planted, data: st.DataObject
) -> None:
    programme = case.data
    ident = data.draw(st.sampled_from(sorted(i for i in case.timetable.placements if "." not in i)))
    after = len(programme["days"]) + data.draw(st.integers(0, 5))
    ghost = {"id": "ghost", "name": "Gil Ghost", "available": [{"date": date(after)}]}
    broken = {**programme, "people": [*programme["people"], ghost]}
    if not any(r["kind"] == "availability" for r in broken["rules"]):  # a programme may lack it
        broken["rules"] = [*broken["rules"], {"id": "availability", "kind": "availability"}]
    for activity in [a for d in broken["days"] for a in d["activities"]] + broken["activities"]:
        if activity["id"] == ident:
            activity["people"] = [*activity.get("people", []), "ghost"]
    # the planted timetable now breaks availability, in both readings
    problem = compile_data(broken)
    found = hard(check_problem(problem, case.timetable), "availability")
    assert [f.activities for f in found] == [(ident,)] and "Gil Ghost" in found[0].message
    assert not fixed_feasible(problem, case.timetable)
    _assert_infeasible(broken, unpin=True)


def _pin(data: dict[str, Any], placement: Placement) -> None:
    """Make an activity of ``data`` a pinned one at its planted time (on its planted day)."""
    days = {d["date"]: d for d in data["days"]}
    for activity in list(data["activities"]):
        if activity["id"] == placement.activity:  # a template: move it onto its day
            data["activities"].remove(activity)
            for key in ("duration", "dates", "module"):
                activity.pop(key, None)
            days[placement.date]["activities"].append(activity)
    for activity in [a for d in data["days"] for a in d["activities"]]:
        if activity["id"] == placement.activity:
            activity["time"] = rng(placement.start, placement.end)
            activity["pinned"] = True


@SOLVER_SETTINGS
@given(case=planted_cases(), data=st.data())
def test_sequence_that_pinned_activities_cannot_meet_is_infeasible(
    case: Planted, data: st.DataObject
) -> None:
    """Two activities pinned at their planted times, and a sequence that excludes them:
    gap bounds that miss their gap, or (other day, wrong order) no possible gap at all."""
    ids = sorted(x for x in case.timetable.placements if "." not in x and x != "visit")
    assume(len(ids) >= 2)
    first, second = data.draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
    p, q = case.timetable.placements[first], case.timetable.placements[second]
    broken = copy.deepcopy(case.data)
    _pin(broken, p)
    _pin(broken, q)
    gap = q.start - p.end
    bounds: dict[str, int] = {"min_gap": 0}
    if p.date == q.date and gap >= 0:
        bounds = {"max_gap": gap - 1} if gap > 0 else {"min_gap": gap + 1}
    seq = {"id": "impossible", "kind": "sequence", "activities": [first, second], **bounds}
    # the planted sequences go (they could close an ordering cycle, which the loader rejects)
    broken["rules"] = [r for r in broken["rules"] if r["kind"] != "sequence"] + [seq]
    problem = compile_data(broken)
    report = check_problem(problem, case.timetable)
    # (a sequence naming a block and its own part is also told as a contradiction)
    broken_rule = [f for f in report.errors if f.kind != "contradiction"]
    assert [f.rule for f in broken_rule] == ["impossible"], errors_text(report)
    assert broken_rule[0].activities == (second, first)
    assert not fixed_feasible(problem, case.timetable)
    _assert_infeasible(broken, unpin=False)


@pytest.mark.parametrize("example", ["programme", "corrected"])
def test_reference_instance_readings_agree(example: str) -> None:
    """The published Barcelona timetable breaks hard rules and is infeasible when pinned; the
    corrected one checks clean and is feasible; the solver's timetable for it checks clean."""
    from course_scheduler.loading import load
    from tests.conftest import EXAMPLES

    problem = compile_programme(load(EXAMPLES / f"{example}.yaml"))
    timetable = published_timetable(problem)
    report = check_problem(problem, timetable)
    assert fixed_feasible(problem, timetable) == report.ok
    assert report.ok == (example == "corrected")
    if example == "corrected":
        result = solve_problem(problem, options=OPTIONS)
        assert result.timetable is not None
        assert check_problem(problem, result.timetable).errors == []


# --- 2. per rule kind: checker <=> model ----------------------------------------------------------

AGREEMENT_KINDS = sorted(REGISTRY)
"""Every rule kind."""


def _agree(case: Case) -> None:
    problem = case.problem
    (rule,) = problem.rules
    report = check_problem(problem, case.timetable)
    assert not hard(report, "placement"), "the generator must give valid placements"
    broken = bool(hard(report, rule.id))
    feasible = fixed_feasible(only_rules(problem, rule), case.timetable)
    assert broken != feasible, (
        f"checker {'reports' if broken else 'accepts'} but the model "
        f"{'accepts' if feasible else 'rejects'}: {case.rule}\n"
        + describe(problem, case.timetable)
        + f"\n{[f.message for f in report.findings if f.rule == rule.id]}"
    )


@pytest.mark.parametrize("kind", AGREEMENT_KINDS)
@SOLVER_SETTINGS
@given(data=st.data())
def test_checker_agrees_with_model(kind: str, data: st.DataObject) -> None:
    _agree(data.draw(agreement_cases(kind)))


@pytest.mark.parametrize("kind", AGREEMENT_KINDS)
@solver_settings(8)
@given(data=st.data())
def test_solver_respects_each_rule(kind: str, data: st.DataObject) -> None:
    """Solving a tiny programme with only rule R: any timetable returned has no R error."""
    case = data.draw(agreement_cases(kind))
    result = solve_problem(case.problem, options=OPTIONS)
    assert result.status != Status.UNKNOWN
    if result.timetable is not None:
        report = check_problem(case.problem, result.timetable)
        assert report.errors == [], (describe(case.problem, result.timetable), errors_text(report))


# --- 3. known disagreements (minimal reproductions) -----------------------------------------------


def _one_day(
    activities: list[dict[str, Any]], rules: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    day = {"date": date(0), "venue": "hall", "window": "8:00 - 20:00", "activities": activities}
    return {"venues": [{"id": "hall", "name": "Hall"}], "days": [day], "rules": rules, **extra}


def _readings(data: dict[str, Any]) -> tuple[list[str], bool]:
    """(error messages of the checker, feasibility of the pinned model) for the file's times."""
    problem = compile_data(data)
    timetable = published_timetable(problem)
    return errors_text(check_problem(problem, timetable)), fixed_feasible(problem, timetable)


def _assert_agree(data: dict[str, Any]) -> None:
    errors, feasible = _readings(data)
    assert bool(errors) != feasible, f"checker errors {errors}, model feasible: {feasible}"


TWO_GROUPS = [{"id": "A", "name": "Track A"}, {"id": "B", "name": "Track B"}]


def test_max_content_break_of_a_content_kind() -> None:
    data = _one_day(
        [
            {"id": "q", "title": "Open Questions", "kind": "qa", "time": "9:00 - 10:00"},
            {"id": "t", "title": "Talk", "kind": "talk", "time": "10:00 - 11:00"},
        ],
        [{"id": "mc", "kind": "max_content", "minutes": 90, "breaks": ["qa"]}],
    )
    _assert_agree(data)  # checker: clean; model: infeasible


def test_max_content_break_of_another_group() -> None:
    data = _one_day(
        [
            {
                "id": "a",
                "title": "Joint Talk 1",
                "kind": "talk",
                "time": "9:00 - 10:00",
                "groups": ["A", "B"],
            },
            {
                "id": "k",
                "title": "Coffee for A",
                "kind": "coffee_break",
                "time": "10:00 - 10:30",
                "groups": ["A"],
            },
            {
                "id": "b",
                "title": "Joint Talk 2",
                "kind": "talk",
                "time": "10:30 - 11:30",
                "groups": ["A", "B"],
            },
        ],
        [{"id": "mc", "kind": "max_content", "minutes": 90}],
        groups=TWO_GROUPS,
    )
    _assert_agree(data)  # checker: error for Track B; model: feasible


@pytest.mark.parametrize("link", [None, 45])
def test_travel_time_through_a_bus_ride(link: int | None) -> None:
    data = _one_day(
        [
            {"id": "a", "title": "Morning Talk", "kind": "talk", "time": "9:00 - 10:00"},
            {
                "id": "s",
                "title": "Site Visit",
                "kind": "site_visit",
                "time": "10:30 - 12:00",
                "venue": "site",
                "transport": "bus",
            },
        ],
        [{"id": "tt", "kind": "travel_time"}],
        venues=[{"id": "hall", "name": "Hall"}, {"id": "site", "name": "Site", "kind": "site"}],
        travel=[] if link is None else [{"between": ["hall", "site"], "minutes": link}],
        transport=[
            {
                "id": "bus",
                "title": "Bus",
                "date": date(0),
                "from": "hall",
                "to": "site",
                "depart": "10:00",
                "ride_minutes": 30,
                "return": {"depart": "12:00"},
            }
        ],
    )
    _assert_agree(data)  # checker: clean; model: infeasible


def test_last_before_across_groups() -> None:
    data = _one_day(
        [
            {
                "id": "w",
                "title": "Wrap-up",
                "kind": "wrap_up",
                "time": "9:00 - 10:00",
                "groups": ["A", "B"],
            },
            {
                "id": "o",
                "title": "B Talk",
                "kind": "talk",
                "time": "10:00 - 11:00",
                "groups": ["B"],
            },
            {
                "id": "l",
                "title": "A Lunch",
                "kind": "lunch",
                "time": "12:00 - 13:00",
                "groups": ["A"],
            },
        ],
        [{"id": "lb", "kind": "last_before", "kinds": ["wrap_up"], "before": "lunch"}],
        groups=TWO_GROUPS,
    )
    _assert_agree(data)  # checker: clean; model: infeasible


def test_compact_with_two_lunches_a_day() -> None:
    data = _one_day(
        [
            {"id": "l1", "title": "Early Lunch", "kind": "lunch", "time": "12:00 - 13:00"},
            {"id": "a", "title": "Talk", "kind": "talk", "time": "13:00 - 14:00"},
            {"id": "l2", "title": "Second Lunch", "kind": "lunch", "time": "15:00 - 16:00"},
        ],
        [{"id": "cmp", "kind": "compact", "max_gap": 10}],
    )
    _assert_agree(data)  # checker: clean; model: infeasible


def test_compact_across_groups() -> None:
    data = _one_day(
        [
            {
                "id": "a",
                "title": "Joint Talk",
                "kind": "talk",
                "time": "9:00 - 10:00",
                "groups": ["A", "B"],
            },
            {
                "id": "k",
                "title": "A Talk",
                "kind": "talk",
                "time": "10:00 - 11:00",
                "groups": ["A"],
            },
            {
                "id": "la",
                "title": "A Lunch",
                "kind": "lunch",
                "time": "11:00 - 12:00",
                "groups": ["A"],
            },
            {
                "id": "lb",
                "title": "B Lunch",
                "kind": "lunch",
                "time": "12:00 - 13:00",
                "groups": ["B"],
            },
        ],
        [{"id": "cmp", "kind": "compact", "max_gap": 10}],
        groups=TWO_GROUPS,
    )
    _assert_agree(data)  # checker: error (Track B idles 10:00-12:00); model: feasible


def test_holes_next_to_a_place_with_no_way_to_it() -> None:
    """The encoding lets an activity at an unreachable place follow at once (the travel rules
    judge the trip); the checker once looked only as far as the longest known trip."""
    annex = {"venue": "annex", "pinned": False}
    data = _one_day(
        [
            {"id": "a", "title": "Annex Talk", "kind": "talk", "time": "9:00 - 10:01", **annex},
            {"id": "b", "title": "Hall Talk", "kind": "talk", "time": "9:00 - 10:00"},
            {"id": "c", "title": "Next Talk", "kind": "talk", "time": "10:15 - 11:00", **annex},
            {"id": "d", "title": "Late Talk", "kind": "talk", "time": "10:45 - 11:30"},
        ],
        [{"id": "h", "kind": "holes", "minimum": 15}],
        venues=[{"id": "hall", "name": "Hall"}, {"id": "annex", "name": "Annex"}],
    )
    assert _readings(data) == ([], True)
    data["days"][0]["activities"].pop()  # without the Late Talk, a 14-minute hole in both
    errors, feasible = _readings(data)
    assert len(errors) == 1 and "a 14-minute hole after 'Annex Talk'" in errors[0]
    assert not feasible


@pytest.mark.parametrize(
    ("start", "grid", "step", "hole"),
    [
        ("10:10", 5, None, False),  # 2 minutes after the walk: the grid's
        ("10:11", 5, None, True),  # 3 minutes: a hole
        ("10:10", 5, 1, True),  # the rule's own step
        ("10:10", None, None, True),  # no grid rule: every minute counts
        ("10:10", 10, None, False),
        ("10:11", 10, None, True),
    ],
)
def test_holes_after_travel_rounded_to_the_grid(
    start: str, grid: int | None, step: int | None, hole: bool
) -> None:
    """Both readings round the travel up to the grid's step before a gap counts as a hole,
    the step read from the programme's grid rule unless the holes rule gives its own."""
    moved = {"pinned": False}
    holes: dict[str, Any] = {"id": "h", "kind": "holes", "minimum": 15}
    if step is not None:
        holes["step"] = step
    rules = [holes]
    if grid is not None:
        rules.append({"id": "g", "kind": "grid", "minutes": grid, "severity": "soft"})
    data = _one_day(
        [
            {"id": "a", "title": "Hall Talk", "kind": "talk", "time": "9:00 - 10:00", **moved},
            {
                "id": "b",
                "title": "Annex Talk",
                "kind": "talk",
                "time": f"{start} - 11:00",
                "venue": "annex",
                **moved,
            },
        ],
        rules,
        venues=[{"id": "hall", "name": "Hall"}, {"id": "annex", "name": "Annex"}],
        travel=[{"between": ["hall", "annex"], "minutes": 8}],
        objective={"grid": 0},
    )
    errors, feasible = _readings(data)
    assert (len(errors), feasible) == ((1, False) if hole else (0, True)), errors


def test_max_content_and_a_part_nobody_sits_in() -> None:
    """A part of a block names no group: no group sits in it, so a 10-minute part breaks no
    1-minute limit in either reading (the encoding once failed every such part on its own)."""
    data = _one_day(
        [
            {"id": "b", "title": "Evening", "kind": "networking", "time": "9:00 - 9:20"},
            {"id": "p", "title": "Part", "kind": "talk", "block": "b", "duration": 10},
        ],
        [{"id": "mc", "kind": "max_content", "minutes": 1}],
    )
    problem = compile_data(data)
    assert problem.item("p").groups == ()
    timetable = published_timetable(problem)
    timetable.placements["p"] = Placement(date(0), 9 * 60, 9 * 60 + 10, "p", "hall")
    assert errors_text(check_problem(problem, timetable)) == []
    assert fixed_feasible(problem, timetable)


def test_module_declared_on_two_days() -> None:
    data = {
        "venues": [{"id": "hall", "name": "Hall"}],
        "modules": [{"id": "m1", "knowledge_session": "Basics"}],
        "days": [
            {
                "date": date(0),
                "venue": "hall",
                "window": "8:00 - 20:00",
                "module": "m1",
                "activities": [{"id": "a", "title": "Talk", "time": "9:00 - 10:00"}],
            },
            {"date": date(1), "venue": "hall", "window": "8:00 - 20:00", "module": "m1"},
        ],
        "rules": [{"id": "md", "kind": "module_day"}],
    }
    _assert_agree(data)  # checker: clean; model: infeasible


def test_confirmed_hard_is_posted() -> None:
    data = _one_day(
        [
            {
                "id": "t",
                "title": "Keynote",
                "kind": "guest_talk",
                "time": "9:00 - 10:00",
                "people": ["k"],
            }
        ],
        [{"id": "conf", "kind": "confirmed"}],
        people=[{"id": "k", "name": "Kim Sylla", "status": "tbc"}],
    )
    problem = compile_data(data)
    result = solve_problem(problem, options=OPTIONS)
    assert result.status == Status.INFEASIBLE and result.timetable is None
    _assert_agree(data)  # checker: error; model: infeasible
    soft = {**data, "rules": [{"id": "conf", "kind": "confirmed", "severity": "soft"}]}
    result = solve_problem(compile_data(soft), options=OPTIONS)
    assert result.timetable is not None and result.objective is not None
    assert result.objective.terms["soft_rules"] == 1


def test_clash_naming_an_activity_twice_agrees() -> None:
    data = _one_day(
        [
            {"id": "a", "title": "Talk A", "time": "9:00 - 10:00"},
            {"id": "b", "title": "Talk B", "time": "10:00 - 11:00"},
        ],
        [{"id": "cl", "kind": "clash", "activities": ["a", "a", "b"]}],
    )
    _assert_agree(data)  # checker: clean; model: infeasible


# --- 4. the constructs of real programmes: structure both readings share --------------------------


@solver_settings(30)
@given(data=st.data())
def test_a_part_lies_inside_its_block_in_both_readings(data: st.DataObject) -> None:
    """A part of a block (given a duration, or a time printed with no end) placed anywhere on
    its day: the checker's placement error <=> the pinned model (no rule at all) is infeasible."""
    grid = st.integers(8 * 4, 18 * 4).map(lambda x: x * 15)
    block_start, part_start = data.draw(grid), data.draw(grid)
    block_length = data.draw(st.integers(2, 12)) * 15
    part: dict[str, Any] = {"id": "part", "title": "Demos", "block": "block"}
    if data.draw(st.booleans()):
        part["duration"] = data.draw(st.integers(1, 8)) * 15
    else:
        part.update(time=f"{part_start // 60}:{part_start % 60:02d} -", pinned=False)
    activities = [
        {"id": "block", "title": "Evening session", "duration": block_length},
        part,
    ]
    problem = compile_data(_one_day(activities, []))
    item = problem.item("part")
    length = data.draw(st.integers(item.duration, min(item.max_duration, 24 * 60 - part_start)))
    timetable = published_timetable(problem)
    timetable.placements["block"] = Placement(
        date(0), block_start, block_start + block_length, "block", "hall"
    )
    timetable.placements["part"] = Placement(
        date(0), part_start, part_start + length, "part", "hall"
    )
    report = check_problem(problem, timetable)
    outside = bool(hard(report, "placement"))
    assert outside == (part_start < block_start or part_start + length > block_start + block_length)
    assert outside != fixed_feasible(problem, timetable)


def test_an_optional_activity_and_a_sub_group_agree() -> None:
    """An optional help desk inside lunch: an overlap for those who join only; a meeting of a
    sub-group: in its day and not in its parent's."""
    data = _one_day(
        [
            {"id": "lunch", "title": "Lunch", "kind": "lunch", "time": "12:00 - 14:00"},
            {"id": "desk", "title": "Help desk", "time": "13:30 - 14:00", "optional": True},
            {"id": "meet", "title": "Steering group", "time": "14:00 - 15:00", "groups": ["sub"]},
            {"id": "talk", "title": "Talk", "time": "14:30 - 15:30"},
        ],
        [{"id": "one", "kind": "no_overlap", "resource": "group"}],
        groups=[
            {"id": "cohort", "name": "Participants"},
            {"id": "sub", "name": "Steering group", "part_of": "cohort"},
        ],
    )
    errors, feasible = _readings(data)
    assert len(errors) == 2 and not feasible  # the joiners' overlap, and the sub-group's
    assert errors[0].endswith("(for those of Participants who join 'Help desk')")
    assert errors[1].endswith("(for Steering group)")
    data["days"][0]["activities"][3]["time"] = "15:00 - 16:00"
    data["days"][0]["activities"][1]["time"] = "16:00 - 16:30"  # the desk now overlaps nothing
    data["days"][0]["activities"][1]["groups"] = ["cohort"]
    errors, feasible = _readings(data)
    assert errors == [] and feasible


# --- 4. real programmes: every rule read the same way twice -----------------------------------


@pytest.mark.parametrize(
    "name", ["barcelona_2024", "e2m2_2025", "ditum_huittinen_2018", "csama_2023"]
)
def test_each_rule_reads_a_real_programme_the_same_way_twice(name: str) -> None:
    """On each real programme's published timetable, rule by rule: the checker reports an
    error of the rule exactly when the timetable, fixed into a model of that rule alone, is
    infeasible (sub-groups, optional activities, blocks, open ends and one-way legs as printed)."""
    from course_scheduler.loading import load
    from tests.conftest import ROOT

    problem = compile_programme(load(ROOT / "examples" / name / "programme.yaml"))
    timetable = published_timetable(problem)
    report = check_problem(problem, timetable)
    assert not hard(report, "placement"), errors_text(report)
    disagree = [
        rule.id
        for rule in problem.rules
        if bool(hard(report, rule.id)) == fixed_feasible(only_rules(problem, rule), timetable)
    ]
    assert disagree == [], errors_text(report)
