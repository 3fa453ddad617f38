"""One validation path: a programme built in Python (a dict, keywords, assignment, a list
edited in place) meets the same cross-checks as a file, and the same ``ProgrammeError`` with
the field's path (and the line, when there is a file). Then the property over generated
programmes edited by assignment: ``check`` raises nothing but ``ProgrammeError``, and a
solved Python-built programme passes ``check``."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import course_scheduler as cs
from course_scheduler import ProgrammeError
from course_scheduler.loading import parse
from course_scheduler.model import Activity, Programme
from course_scheduler.solver.solve import Status
from tests.strategies import Planted, planted_cases, rng, solver_settings

from .conftest import CORRECTED


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    found, _ = parse(CORRECTED.read_bytes(), name=str(CORRECTED))
    assert isinstance(found, dict)
    return found


def _first_activity(d: dict[str, Any]) -> dict[str, Any]:
    activity = d["days"][0]["activities"][0]
    assert isinstance(activity, dict)
    return activity


@pytest.mark.parametrize("build", ["model_validate", "keywords"])
def test_a_misspelt_venue_is_refused_with_its_path_however_the_programme_is_made(
    data: dict[str, Any], build: str
) -> None:
    broken = copy.deepcopy(data)
    _first_activity(broken)["venue"] = "ceii"
    with pytest.raises(ProgrammeError) as caught:
        if build == "model_validate":
            Programme.model_validate(broken)
        else:
            Programme(**broken)
    assert "unknown venue 'ceii'" in caught.value.message
    assert caught.value.field == "days[0].activities[0].venue"
    assert caught.value.path == ("days", 0, "activities", 0, "venue")
    assert caught.value.file is None  # no file: no line to name


def test_a_value_pydantic_refuses_is_a_programme_error_with_its_path(data: dict[str, Any]) -> None:
    broken = copy.deepcopy(data)
    _first_activity(broken)["time"] = "25:00 - 25:20"
    for build in (Programme.model_validate, lambda d: Programme(**d)):
        with pytest.raises(ProgrammeError) as caught:
            build(broken)
        assert caught.value.field == "days[0].activities[0].time"
        assert "hour 25" in caught.value.message


def test_a_loaded_file_and_its_dict_give_the_same_error_the_file_with_its_line(
    data: dict[str, Any],
) -> None:
    text = CORRECTED.read_text().replace("venue: superblocks", "venue: atlantis", 1)
    with pytest.raises(ProgrammeError) as from_file:
        cs.loads(text, name="broken.yaml")
    broken = copy.deepcopy(data)
    for activity in (a for day in broken["days"] for a in day["activities"]):
        if activity.get("venue") == "superblocks":
            activity["venue"] = "atlantis"
            break
    with pytest.raises(ProgrammeError) as from_dict:
        Programme.model_validate(broken)
    assert from_file.value.message == from_dict.value.message
    assert from_file.value.field == from_dict.value.field
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "venue: atlantis" in t)
    assert (from_file.value.file, from_file.value.line) == ("broken.yaml", line)


def test_an_assigned_time_is_read_as_a_time_and_check_reads_it(data: dict[str, Any]) -> None:
    programme = Programme.model_validate(data)
    welcome = programme.days[0].activities[0]
    welcome.time = "18:00 - 20:00"  # type: ignore[assignment]
    assert (welcome.time.start, welcome.time.end) == (18 * 60, 20 * 60)  # type: ignore[union-attr]
    report = cs.check(programme)
    moved = [f for f in report.errors if welcome.id in f.activities]
    assert moved, "the welcome at 18:00 breaks rules that the check must report"


def test_an_assignment_that_is_not_valid_is_refused_at_once_naming_the_field(
    data: dict[str, Any],
) -> None:
    programme = Programme.model_validate(data)
    welcome = programme.days[0].activities[0]
    before = welcome.time
    with pytest.raises(ProgrammeError) as caught:
        welcome.time = "18:00 - 27:00"  # type: ignore[assignment]
    assert caught.value.field == "time" and "hour 27" in caught.value.message
    assert welcome.time == before  # nothing half-assigned
    with pytest.raises(ProgrammeError) as caught:
        welcome.duration = -5
    assert caught.value.field == "duration"


def test_an_unknown_person_added_after_a_solve_is_refused_by_check_not_a_key_error(
    data: dict[str, Any],
) -> None:
    programme = Programme.model_validate(data)
    result = cs.solve(programme, time_limit=10)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    programme.days[1].activities[1].people.append("nobody")
    with pytest.raises(ProgrammeError) as caught:
        cs.check(programme)
    assert "unknown person 'nobody'" in caught.value.message
    assert caught.value.field == "days[1].activities[1].people[0]"
    with pytest.raises(ProgrammeError):
        cs.solve(programme, time_limit=5)


def test_a_loaded_programme_edited_in_python_is_refused_at_its_line() -> None:
    programme = cs.load(CORRECTED)
    target = programme.days[1].activities[2]
    target.venue = "nowhere"
    with pytest.raises(ProgrammeError) as caught:
        cs.check(programme)
    lines = CORRECTED.read_text().splitlines()
    assert caught.value.file == str(CORRECTED)
    assert caught.value.line is not None and f"id: {target.id}" in "\n".join(
        lines[caught.value.line - 1 : caught.value.line + 2]
    )
    assert caught.value.field == "days[1].activities[2].venue"


def test_a_wrong_thing_appended_to_a_list_is_a_programme_error(data: dict[str, Any]) -> None:
    programme = Programme.model_validate(data)
    programme.days[1].activities.append("a talk")  # type: ignore[arg-type]
    with pytest.raises(ProgrammeError) as caught:
        cs.check(programme)
    assert caught.value.field is not None and caught.value.field.startswith("days[1].activities[")
    programme = Programme.model_validate(data)
    programme.days[1].activities.append(
        Activity(id=programme.days[0].activities[0].id, title="Twice", duration=30)
    )
    with pytest.raises(ProgrammeError) as caught:
        cs.check(programme)
    assert "duplicate activity id" in caught.value.message


# --- the property: built in Python, edited by assignment -------------------------------------

EDIT_TIMES = [
    "9:00 - 9:45",
    "10:30 - 11:00",
    "14:00 - 15:30",
    "23:00 - 23:59",
    "25:00 - 26:00",
    "9:75 - 10:00",
    "11:00 - 10:00",
    "later",
    "",
]
OPEN_TIMES = ["17:30 -", "from 9:00"]


@st.composite
def edits(draw: st.DrawFn, programme: Programme, *, solvable: bool) -> list[tuple[Any, str, Any]]:
    """Assignments a planner might make in Python, valid or not: (object, field, value)."""
    activities = programme.all_activities()
    venues = [v.id for v in programme.venues] + ["atlantis"]
    people = [p.id for p in programme.people] + ["nobody"]
    ids = [a.id for a in activities] + ["ghost"]
    times = EDIT_TIMES if solvable else EDIT_TIMES + OPEN_TIMES
    result: list[tuple[Any, str, Any]] = []
    for _ in range(draw(st.integers(1, 4))):
        target = draw(st.sampled_from(activities))
        field = draw(
            st.sampled_from(["time", "duration", "venue", "people", "kind", "pinned", "block"])
        )
        value: Any
        if field == "time":
            value = draw(st.sampled_from(times)) if target.time is not None else None
        elif field == "duration":
            value = draw(st.sampled_from([None, 30, 45, 0, -10, 2000, "60 - 90"]))
        elif field == "venue":
            value = draw(st.sampled_from([None, *venues]))
        elif field == "people":
            value = draw(st.lists(st.sampled_from(people), max_size=2))
        elif field == "kind":
            value = draw(st.sampled_from(["lunch", "qa", "coffee_break", "party", 7]))
        elif field == "pinned":
            value = draw(st.booleans())
        else:
            value = draw(st.sampled_from([None, *ids])) if not solvable else None
        result.append((target, field, value))
    return result


def _closed_ends(case: Planted, data: dict[str, Any]) -> None:
    """Each open end printed as the span the planted timetable gives it. The two readings of an
    open end are another part of the work (``check``'s reading for ``solve`` too); this
    property is about how a programme is made, not about how an open end is read."""
    for day in data["days"]:
        for activity in day["activities"]:
            time = activity.get("time")
            if isinstance(time, str) and (time.rstrip().endswith("-") or "from" in time):
                placed = case.timetable.get(activity["id"])
                assert placed is not None
                activity["time"] = rng(placed.start, placed.end)
                activity.pop("duration", None)


def _edited(case: Planted, data: st.DataObject, *, solvable: bool) -> Programme:
    full = {"course": {"title": "Built in Python"}, **copy.deepcopy(case.data)}
    if solvable:
        _closed_ends(case, full)
    build = data.draw(st.sampled_from(["model_validate", "keywords"]))
    programme = Programme.model_validate(full) if build == "model_validate" else Programme(**full)
    for target, field, value in data.draw(edits(programme, solvable=solvable)):
        try:
            setattr(target, field, value)
        except ProgrammeError as error:  # refused at once, naming the field
            assert error.field is not None and error.field.startswith(field), str(error)
    return programme


@solver_settings(60)
@given(case=planted_cases(), data=st.data())
def test_check_of_a_programme_edited_in_python_raises_only_programme_error(
    case: Planted, data: st.DataObject
) -> None:
    programme = _edited(case, data, solvable=False)
    _fast_and_walked_agree(programme)
    try:
        report = cs.check(programme)
    except ProgrammeError as error:
        assert error.field, str(error)  # always the field's path
        return
    assert report.activities == len(cs.compile_programme(programme).items)


def _fast_and_walked_agree(programme: Programme) -> None:
    """The cross-checks ask of all activities at once whether any fails (the common, clean
    case), and walk them one by one only then: the two readings agree."""
    from course_scheduler.errors import SourceMap
    from course_scheduler.validation import _Checker

    checker = _Checker(programme, SourceMap())
    try:
        checker._unique_ids()
    except ProgrammeError:
        return
    try:
        for path, activity in checker._activities():
            checker._activity(path, activity)
        walked = True
    except ProgrammeError:
        walked = False
    assert checker._activities_clean() == walked


@solver_settings(20)
@given(case=planted_cases(), data=st.data())
def test_a_solved_python_built_programme_passes_check(case: Planted, data: st.DataObject) -> None:
    programme = _edited(case, data, solvable=True)
    try:
        result = cs.solve(programme, time_limit=5, unpin=True)
    except ProgrammeError:
        return  # refused: nothing to solve
    if result.timetable is None:
        assert result.status in (Status.INFEASIBLE, Status.UNKNOWN)
        return
    solved = cs.with_timetable(result.problem, result.timetable)
    report = cs.check(solved)
    assert report.errors == [], [f.message for f in report.errors]
    # and the solved programme read back from its data is the same programme
    assert Programme.model_validate(solved.model_dump(by_alias=True)) == solved


@solver_settings(10)
@given(case=planted_cases(), data=st.data())
def test_a_what_if_on_a_python_built_programme_returns_a_repair_that_checks(
    case: Planted, data: st.DataObject
) -> None:
    from course_scheduler.whatif import RemoveActivity, Scenario, what_if

    programme = _edited(case, data, solvable=True)
    try:
        cs.check(programme)
    except ProgrammeError:
        return  # refused: no repair to ask for
    ids = [a.id for a in programme.all_activities() if not a.untimed]
    gone = data.draw(st.sampled_from(ids))
    scenario = Scenario(
        name="drop one", changes=[RemoveActivity(do="remove_activity", activity=gone)]
    )
    result = what_if(programme, scenario, time_limit=5)
    if result.timetable is None:
        assert result.status in ("infeasible", "unknown"), result.status
        return
    assert result.valid, [f.message for f in result.new_errors]
    assert result.timetable.get(gone) is None


@pytest.mark.parametrize(
    ("where", "added", "field", "message"),
    [
        ("activities", {"id": "floating", "title": "Floating"}, "activities[{n}]", "which only"),
        (
            "days[1]",
            {"id": "part", "title": "Part", "duration": 20, "block": "d1-skills"},
            "days[1].activities[{n}].block",
            "a part and its block are on one day",
        ),
        (
            "days[1]",
            {"id": "lone", "title": "Lone", "time": "9:00 - 10:00", "parallel": True},
            "days[1].activities[{n}].parallel",
            "'parallel' is for a block",
        ),
    ],
)
def test_an_activity_appended_in_python_meets_the_checks_of_the_later_passes(
    data: dict[str, Any], where: str, added: dict[str, Any], field: str, message: str
) -> None:
    """The first pass over a clean programme's activities also tells the later checks which
    activities are untimed and whether any is a part or a block: an activity appended in
    Python that breaks one of those checks is still refused, at its path."""
    programme = Programme.model_validate(data)
    listed = programme.activities if where == "activities" else programme.days[1].activities
    listed.append(Activity(**added))
    with pytest.raises(ProgrammeError) as caught:
        cs.check(programme)
    assert message in caught.value.message
    assert caught.value.field == field.format(n=len(listed) - 1)


@pytest.mark.parametrize("listed", ["people", "rules"])
def test_a_repeated_person_or_rule_id_is_refused_at_the_second(
    data: dict[str, Any], listed: str
) -> None:
    """The ids of a long list are compared as a set first; a repeat is still placed."""
    broken = copy.deepcopy(data)
    assert len(broken[listed]) >= 2
    broken[listed].append(copy.deepcopy(broken[listed][1]))
    with pytest.raises(ProgrammeError) as caught:
        Programme.model_validate(broken)
    label = {"people": "person", "rules": "rule"}[listed]
    assert f"duplicate {label} id '{broken[listed][1]['id']}'" in caught.value.message
    assert caught.value.field == f"{listed}[{len(broken[listed]) - 1}].id"
