"""What real programmes print, read the way a planner reads it (issue 12): open ends, untimed
items, blocks and their parts, optional attendance and sub-groups, one-way legs, directed
travel, deadlines, places decided late, online sessions, unnamed speakers and groups of
people; and the file errors each construct can make, each located."""

from __future__ import annotations

from typing import Any

import pytest

from course_scheduler import ProgrammeError
from course_scheduler.checking import check, check_problem
from course_scheduler.timetable import published_timetable
from tests.strategies import compile_data, date, fixed_feasible, make_programme


def _day(
    activities: list[dict[str, Any]], rules: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    day = {"date": date(0), "venue": "hall", "window": "8:00 - 22:00", "activities": activities}
    venues = extra.pop("venues", [{"id": "hall", "name": "Hall", "address": "1 Main Street"}])
    return {"venues": venues, "days": [day], "rules": rules or [], **extra}


def _findings(data: dict[str, Any]) -> list[tuple[str, str, tuple[str, ...]]]:
    """What ``check`` says about the file (its rules, and the notes on the file itself)."""
    report = check(make_programme(data))
    return [(f.level.value, f.rule, f.activities) for f in report.findings]


def _report(data: dict[str, Any]) -> Any:
    problem = compile_data(data)
    return problem, published_timetable(problem), check(problem.programme)


NO_OVERLAP = {"id": "one-at-a-time", "kind": "no_overlap", "resource": "group"}
TRAVEL = {"id": "travel", "kind": "travel_time"}


# --- open ends -------------------------------------------------------------------------------


def test_an_open_end_lasts_until_what_follows_and_invents_no_overlap() -> None:
    data = _day(
        [
            {"id": "meet", "title": "Meet", "time": "7:00am -", "kind": "welcome"},
            {"id": "talk", "title": "Talk", "time": "7:30 - 8:30"},
            {"id": "dinner", "title": "Farewell dinner", "time": "from 18:30", "kind": "lunch"},
        ],
        [NO_OVERLAP],
    )
    data["days"][0]["window"] = "7:00 - 22:00"
    problem, timetable, report = _report(data)
    assert (timetable.get("meet").start, timetable.get("meet").end) == (7 * 60, 7 * 60 + 30)
    assert timetable.get("dinner").end == 22 * 60  # the end of the day
    assert [f.rule for f in report.errors] == []
    notes = {f.activities: f.message for f in report.findings if f.rule == "open-end"}
    assert "until 'Talk' starts at 7:30" in notes[("meet",)]
    assert "until the end of the day (22:00)" in notes[("dinner",)]
    assert fixed_feasible(problem, timetable)


def test_an_open_end_leaves_the_time_to_travel_and_keeps_its_least_length() -> None:
    venues = [
        {"id": "hall", "name": "Hall", "address": "1 Main Street"},
        {"id": "inn", "name": "Guest house", "address": "2 Main Street"},
    ]
    data = _day(
        [
            {
                "id": "lunch",
                "title": "Lunch",
                "time": "12.00 -",
                "duration": 45,
                "kind": "lunch",
                "venue": "inn",
            },
            {"id": "walk", "title": "Walk", "time": "13.00 -", "kind": "site_visit"},
        ],
        [NO_OVERLAP, TRAVEL],
        venues=venues,
        travel=[{"between": ["hall", "inn"], "minutes": 25}],
    )
    _, timetable, report = _report(data)
    # 25 minutes to walk leave 35 for lunch, less than its 45: the lunch keeps its 45
    assert timetable.get("lunch").end == 12 * 60 + 45
    assert [(f.rule, f.activities) for f in report.errors] == [("travel", ("walk", "lunch"))]
    assert "leaves 15 minutes" in report.errors[0].message


def test_the_parts_of_a_block_end_with_the_next_part_or_the_block() -> None:
    data = _day(
        [
            {"id": "block", "title": "Thematic sessions", "time": "10:00 - 12:00"},
            {"id": "p1", "title": "First", "time": "10:00 -", "block": "block"},
            {"id": "p2", "title": "Second", "time": "10:40 -", "block": "block"},
            {"id": "p3", "title": "Third", "time": "11:20 -", "block": "block"},
            {"id": "lunch", "title": "Lunch", "time": "12:00 - 13:00", "kind": "lunch"},
        ],
        [NO_OVERLAP, {"id": "people", "kind": "no_overlap", "resource": "person"}],
    )
    problem, timetable, report = _report(data)
    spans = [(timetable.get(x).start, timetable.get(x).end) for x in ("p1", "p2", "p3")]
    assert spans == [(600, 640), (640, 680), (680, 720)]
    assert report.errors == []
    assert "until its block 'Thematic sessions' ends at 12:00" in next(
        f.message for f in report.findings if f.activities == ("p3",)
    )
    assert fixed_feasible(problem, timetable)


# --- blocks, parallel parts and items side by side -------------------------------------------


def test_parallel_parts_are_no_overlap_for_the_group_but_a_person_is_in_one_place() -> None:
    data = _day(
        [
            {"id": "labs", "title": "Labs", "time": "14:00 - 17:00", "parallel": True},
            {
                "id": "lab5",
                "title": "Lab 5",
                "time": "14:00 - 17:00",
                "block": "labs",
                "people": ["rainer", "gatto"],
            },
            {
                "id": "lab9",
                "title": "Lab 9",
                "time": "14:00 - 17:00",
                "block": "labs",
                "people": ["rainer"],
            },
        ],
        [NO_OVERLAP, {"id": "people", "kind": "no_overlap", "resource": "person"}],
        people=[
            {"id": "rainer", "name": "Johannes Rainer"},
            {"id": "gatto", "name": "Laurent Gatto"},
        ],
    )
    assert _findings(data) == [("error", "people", ("lab9", "lab5"))]


def test_a_part_outside_its_block_is_a_placement_error_in_both_readings() -> None:
    data = _day(
        [
            {"id": "block", "title": "Evening session", "time": "20:10 - 22:00"},
            {"id": "part", "title": "Demos", "time": "19:30 - 20:30", "block": "block"},
        ]
    )
    problem = compile_data(data)
    timetable = published_timetable(problem)
    report = check_problem(problem, timetable)
    assert [(f.rule, f.activities) for f in report.errors] == [("placement", ("part",))]
    assert "is a part of 'Evening session'" in report.errors[0].message
    assert not fixed_feasible(problem, timetable)


def test_two_items_at_one_start_without_a_block_are_told() -> None:
    data = _day(
        [
            {"id": "reg", "title": "Registration", "time": "18:00–20:00"},
            {"id": "drinks", "title": "Get together", "time": "18:00–20:00", "kind": "networking"},
        ],
        [NO_OVERLAP],
    )
    assert ("warning", "same-start", ("reg", "drinks")) in _findings(data)
    data["days"][0]["activities"][1]["block"] = "reg"  # printed in one slot: a part of it
    assert _findings(data) == []


# --- optional attendance and sub-groups ------------------------------------------------------


def test_an_optional_activity_breaks_nobody_s_day_and_is_checked_for_those_who_join() -> None:
    venues = [
        {"id": "hall", "name": "Hall", "address": "1 Main Street"},
        {"id": "forest", "name": "Forest", "address": "Reserve road", "kind": "site"},
    ]
    data = _day(
        [
            {"id": "office", "title": "Office hours", "time": "14:00 - 17:30"},
            {
                "id": "walk",
                "title": "Night walk",
                "time": "17:30 - 20:00",
                "venue": "forest",
                "kind": "site_visit",
                "optional": True,
            },
            {"id": "help", "title": "Help desk", "time": "15:00 - 15:30", "optional": True},
            {"id": "dinner", "title": "Dinner", "time": "20:00 - 21:00", "kind": "lunch"},
        ],
        [NO_OVERLAP, TRAVEL],
        venues=venues,
        travel=[{"between": ["hall", "forest"], "minutes": 15}],
    )
    problem, _, report = _report(data)
    errors = {(f.rule, f.activities): f for f in report.errors}
    assert set(errors) == {
        ("one-at-a-time", ("help", "office")),
        ("travel", ("walk", "office")),
        ("travel", ("dinner", "walk")),
    }
    assert errors[("one-at-a-time", ("help", "office"))].message.endswith(
        "(for those who join 'Help desk')"
    )
    assert errors[("travel", ("dinner", "walk"))].groups == ("cohort+walk",)
    assert problem.group_parent["cohort+walk"] == "cohort"


def test_a_sub_group_s_meeting_breaks_only_its_own_day() -> None:
    groups = [
        {"id": "everyone", "name": "Students and teachers"},
        {"id": "teachers", "name": "Teachers", "part_of": "everyone"},
        {"id": "coordinators", "name": "Coordinators", "part_of": "teachers"},
    ]
    data = _day(
        [
            {"id": "shows", "title": "Art shows", "time": "9.00 - 10.30"},
            {
                "id": "meeting",
                "title": "Coordinators meeting",
                "time": "10.30 - 11.30",
                "groups": ["coordinators"],
            },
            {"id": "lunch", "title": "Lunch", "time": "11.30 - 12.30", "kind": "lunch"},
            {
                "id": "dinner",
                "title": "Teachers' dinner",
                "time": "11.00 - 12.00",
                "groups": ["teachers"],
                "kind": "networking",
            },
        ],
        [NO_OVERLAP, {"id": "holes", "kind": "compact", "max_gap": 15, "severity": "soft"}],
        groups=groups,
    )
    problem, _, report = _report(data)
    # the teachers' dinner overlaps lunch for the teachers (and so the coordinators), and
    # the coordinators' meeting too; the others' days have holes, each its own
    overlap = {f.activities: f.message for f in report.errors}
    assert set(overlap) == {("dinner", "meeting"), ("lunch", "dinner")}
    assert overlap[("lunch", "dinner")].endswith("(for Teachers)")
    assert overlap[("dinner", "meeting")].endswith("(for Coordinators)")
    holes = {f.activities: (f.message, f.groups) for f in report.warnings}
    assert holes == {
        ("shows", "dinner"): (
            "30 idle minutes after 'Art shows', until 'Teachers' dinner' starts at 11:00 "
            "(at most 15) (for Teachers, except Coordinators)",
            ("teachers",),
        ),
        ("shows", "lunch"): (
            "60 idle minutes after 'Art shows', until 'Lunch' starts at 11:30 (at most 15) "
            "(for Students and teachers, except Teachers)",
            ("everyone",),
        ),
    }
    assert problem.item("shows").groups == ("everyone", "teachers", "coordinators")


# --- transport: one way, directed travel, returns with no time, places decided late ---------


def _two_towns(**extra: Any) -> dict[str, Any]:
    venues = [
        {"id": "town", "name": "Capital"},
        {"id": "hotel", "name": "Hotel", "address": "RN2"},
        {"id": "park", "name": "National park", "kind": "site"},
        {"id": "reserve", "name": "Reserve", "kind": "site"},
    ]
    days = [
        {"date": date(0), "venue": "town", "window": "6:00 - 22:00", "activities": []},
        {"date": date(1), "venue": "hotel", "window": "6:00 - 22:00", "activities": []},
        {"date": date(2), "venue": "hotel", "window": "6:00 - 22:00", "activities": []},
    ]
    return {
        "venues": venues,
        "days": days,
        "rules": [NO_OVERLAP, TRAVEL, {"id": "transport", "kind": "transport"}],
        **extra,
    }


def test_one_way_legs_on_two_days_whose_directions_disagree() -> None:
    data = _two_towns(
        travel=[
            {"from": "town", "to": "hotel", "minutes": 240},
            {"from": "hotel", "to": "town", "minutes": 480},
        ],
        transport=[
            {
                "id": "out",
                "title": "Drive to the hotel",
                "date": date(0),
                "from": "town",
                "to": "hotel",
                "depart": "9:00am",
                "ride_minutes": 240,
            },
            {
                "id": "back",
                "title": "Drive back",
                "date": date(2),
                "from": "hotel",
                "to": "town",
                "depart": "1:00pm",
                "ride_minutes": 480,
            },
        ],
    )
    data["days"][0]["activities"] = [
        {"id": "office", "title": "Office hours", "time": "2:00-5:30pm", "venue": "hotel"}
    ]
    problem, timetable, report = _report(data)
    assert problem.legs["out"].back is None and "out.back" not in problem.index
    assert timetable.get("out.out").end == 13 * 60
    assert problem.travel[("town", "hotel")] == 240 and problem.travel[("hotel", "town")] == 480
    assert report.errors == []
    directions = [f for f in report.findings if f.rule == "directions"]
    assert [f.activities for f in directions] == [(), ("out.out", "back.out")]
    assert "4 hours" in directions[1].message and "8 hours back" in directions[1].message
    notes = {f.rule for f in report.findings if f.level.value == "info"}
    assert "no-address" in notes  # the capital has no address


def test_a_return_with_no_time_is_asked_for() -> None:
    data = _two_towns(
        travel=[{"between": ["hotel", "park"], "minutes": 20}],
        transport=[
            {
                "id": "bus",
                "title": "Bus to the park",
                "date": date(1),
                "from": "hotel",
                "to": "park",
                "depart": "8:30",
                "ride_minutes": 20,
                "return": {},
            }
        ],
    )
    assert ("info", "no-return-time", ("bus.back",)) in _findings(data)


def test_a_place_decided_late_must_work_for_every_alternative() -> None:
    data = _two_towns(
        travel=[
            {"between": ["hotel", "park"], "minutes": 20},
            {"between": ["hotel", "reserve"], "minutes": 35},
        ],
    )
    data["days"][1]["activities"] = [
        {
            "id": "hike",
            "title": "Hike",
            "time": "7:00am-11:00am",
            "kind": "site_visit",
            "alternatives": ["park", "reserve"],
        },
        {"id": "lunch", "title": "Lunch", "time": "11:30-12:30pm", "kind": "lunch"},
    ]
    problem, timetable, report = _report(data)
    (error,) = report.errors  # 30 minutes: enough from the park, not from the reserve
    assert error.activities == ("lunch", "hike") and "National park or Reserve" in error.message
    assert not fixed_feasible(problem, timetable)
    data["days"][1]["activities"][1]["time"] = "11:35-12:30pm"
    problem = compile_data(data)
    assert check_problem(problem, published_timetable(problem)).errors == []
    assert fixed_feasible(problem, published_timetable(problem))


def test_an_online_session_needs_no_travel() -> None:
    data = _two_towns(travel=[{"between": ["hotel", "park"], "minutes": 20}])
    data["days"][1]["activities"] = [
        {
            "id": "hike",
            "title": "Hike",
            "time": "9:00 - 11:00",
            "venue": "park",
            "kind": "site_visit",
        },
        {"id": "talk", "title": "Talk", "time": "11:00 - 12:00", "online": True},
    ]
    problem, _, report = _report(data)
    assert problem.item("talk").venues == (None,) and report.errors == []


# --- deadlines --------------------------------------------------------------------------------


def test_a_deadline_inside_lunch_or_before_the_session_that_sets_it() -> None:
    data = _day(
        [
            {"id": "lunch", "title": "Lunch", "time": "12:15-1:45pm", "kind": "lunch"},
            {"id": "questions", "title": "Research questions", "time": "2:00-3:00pm"},
        ],
        [{"id": "due", "kind": "due"}],
        deadlines=[
            {
                "id": "hw",
                "title": "Homework: a research question",
                "date": date(0),
                "time": "1:00pm",
            },
            {
                "id": "hw2",
                "title": "Homework: edit it",
                "date": date(0),
                "time": "2:30pm",
                "set_by": "questions",
            },
            {"id": "hw3", "title": "Homework: read", "date": date(0), "time": "12:15pm"},
        ],
    )
    problem, timetable, report = _report(data)
    assert [(f.rule, f.activities) for f in report.errors] == [
        ("due", ("hw", "lunch")),
        ("due", ("hw2", "questions")),
    ]
    assert "during 'Lunch'" in report.errors[0].message
    assert "before 'Research questions'" in report.errors[1].message
    assert not fixed_feasible(problem, timetable)


# --- people -------------------------------------------------------------------------------------


def test_unnamed_and_first_name_speakers_and_a_group_of_people() -> None:
    data = _day(
        [
            {
                "id": "talks",
                "title": "Flashlight talks",
                "time": "17:00 - 17:30",
                "people": ["someone"],
            },
            {"id": "lecture", "title": "Lecture", "time": "9:00 - 10:00", "people": ["cara"]},
            {
                "id": "panel",
                "title": "Career panel",
                "time": "16:00 - 17:00",
                "people": ["instructors"],
            },
            {
                "id": "lab",
                "title": "Lab",
                "time": "16:30 - 17:00",
                "people": ["ana"],
                "block": "panel",
            },
        ],
        [{"id": "people", "kind": "no_overlap", "resource": "person"}],
        people=[
            {"id": "someone", "name": "selected from participants", "status": "unnamed"},
            {"id": "cara", "name": "Cara"},
            {"id": "ana", "name": "Ana Lima"},
            {"id": "instructors", "name": "The instructors", "members": ["ana", "cara"]},
        ],
    )
    problem = compile_data(data)
    assert problem.item("panel").people == ("ana", "cara")
    assert problem.item("panel").named == ("instructors",)
    found = _findings(data)
    assert ("info", "unnamed", ("talks",)) in found
    assert ("info", "first-name", ("lecture",)) in found
    assert [f for f in found if f[0] == "error"] == []  # a part does not clash with its block


# --- untimed items ------------------------------------------------------------------------------


def test_untimed_items_are_listed_with_their_day_and_read_by_no_rule() -> None:
    data = _day(
        [
            {"id": "opening", "title": "Opening ceremony", "time": "9.00 -"},
            {"id": "art", "title": "Presentation of art projects"},
            {
                "id": "company",
                "title": "A company visit",
                "part": "afternoon",
                "kind": "site_visit",
            },
        ],
        [NO_OVERLAP],
    )
    problem, _, report = _report(data)
    assert [u.id for u in problem.untimed] == ["art", "company"]
    assert "art" not in problem.index
    notes = [f for f in report.findings if f.rule == "untimed"]
    assert [f.activities for f in notes] == [("art",), ("company",)]
    assert "(printed: afternoon)" in notes[1].message


# --- the file's errors, each located ----------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {"days": 1, "activity": {"id": "p", "title": "P", "time": "9:00 - 9:30", "block": "b"}},
            "block",
            "a part and its block are on one day",
        ),
        (
            {"activity": {"id": "p", "title": "P", "time": "9:00 - 9:30", "block": "nothing"}},
            "block",
            "unknown activity 'nothing'",
        ),
        (
            {"activity": {"id": "u", "title": "Untimed", "venue": "hall", "online": True}},
            "days[0].activities[1]",
            "an online activity has no venue",
        ),
        (
            {
                "activity": {
                    "id": "v",
                    "title": "V",
                    "time": "9:00 - 9:30",
                    "venue": "hall",
                    "alternatives": ["hall", "hall"],
                }
            },
            "days[0].activities[1]",
            "give 'alternatives'",
        ),
        (
            {"floating": {"id": "f", "title": "Floating"}},
            "activities[0]",
            "only an activity on a day can be",
        ),
        (
            {
                "rule": {"id": "s", "kind": "sequence", "activities": ["b", "u"]},
                "activity": {"id": "u", "title": "Untimed"},
            },
            "rules[0].activities[1]",
            "no rule can place it",
        ),
        (
            {
                "groups": [
                    {"id": "a", "name": "A", "part_of": "b"},
                    {"id": "b", "name": "B", "part_of": "a"},
                ]
            },
            "groups[0].part_of",
            "goes round in a circle",
        ),
        (
            {"travel": [{"between": ["hall", "hall"], "from": "hall", "to": "hall", "minutes": 5}]},
            "travel[0]",
            "not both",
        ),
        (
            {"deadlines": [{"id": "b", "title": "Clash", "date": date(0), "time": "9:00"}]},
            "deadlines[0].id",
            "duplicate activity or deadline id 'b'",
        ),
        (
            {"people": [{"id": "g", "name": "G", "members": ["nobody"]}]},
            "people[0].members[0]",
            "unknown person 'nobody'",
        ),
    ],
)
def test_construct_errors_name_their_field(change: dict[str, Any], field: str, words: str) -> None:
    data = _day([{"id": "b", "title": "Block", "time": "9:00 - 10:00"}])
    if "days" in change:
        data["days"].append(
            {"date": date(1), "venue": "hall", "window": "8:00 - 22:00", "activities": []}
        )
        data["days"][1]["activities"].append(change["activity"])
    elif "activity" in change:
        data["days"][0]["activities"].append(change["activity"])
    if "floating" in change:
        data["activities"] = [change["floating"]]
    if "rule" in change:
        data["rules"] = [change["rule"]]
    for key in ("groups", "travel", "deadlines", "people"):
        if key in change:
            data[key] = change[key]
    with pytest.raises(ProgrammeError) as caught:
        make_programme(data)
    error = caught.value
    assert error.field is not None and field in error.field, (error.field, str(error))
    assert words in str(error)
