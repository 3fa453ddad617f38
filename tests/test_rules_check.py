"""Every rule kind's checker on hand-made programmes: one violation gives exactly the expected
finding (rule id, level, activities, a message naming the activities or people), and the
smallest fix of the same programme gives no finding of that rule.

Each programme holds only the rule under test, so any other finding would be a false alarm
(the notes ``check`` adds about the file itself, ``observations``, are tested on their own).
The timetable checked is the one the file states (``check(programme)``).
"""

from __future__ import annotations

from typing import Any

import pytest

from course_scheduler.checking import check
from course_scheduler.observations import OBSERVATIONS
from course_scheduler.rules import REGISTRY, Finding, Level
from tests.strategies import date, make_programme

HALL = {
    "id": "hall",
    "name": "Main Hall",
    "rooms": [{"id": "r1", "name": "Room 1", "capacity": 40}],
}
ANNEX = {"id": "annex", "name": "Annex Building", "rooms": [{"id": "r2", "name": "Room 2"}]}
SITE = {"id": "site", "name": "Old Factory", "kind": "site"}


def act(ident: str, title: str, time: str, kind: str = "talk", **extra: Any) -> dict[str, Any]:
    return {"id": ident, "title": title, "kind": kind, "time": time, **extra}


def day(k: int, *activities: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "date": date(k),
        "venue": "hall",
        "window": "8:00 - 20:00",
        "activities": list(activities),
        **extra,
    }


def findings(rule: dict[str, Any], days: list[dict[str, Any]], **extra: Any) -> list[Finding]:
    """The findings of checking the file's own timetable under ``rule`` alone."""
    data = {"venues": [HALL, ANNEX, SITE], "days": days, "rules": [rule], **extra}
    report = check(make_programme(data))
    return [
        f
        for f in report.findings
        if f.rule != "scheduled"
        and not f.rule.startswith("planner-")
        and f.rule not in OBSERVATIONS
    ]


def one(result: list[Finding], rule: str, level: Level, activities: tuple[str, ...]) -> Finding:
    assert len(result) == 1, [f.message for f in result]
    (finding,) = result
    assert finding.rule == rule
    assert finding.level == level
    assert finding.activities == activities
    return finding


# --- day_window ---------------------------------------------------------------------------------


def test_day_window_outside_the_day() -> None:
    rule = {"id": "dw", "kind": "day_window"}
    early = act("a", "Early Keynote", "7:30 - 8:30")
    f = one(findings(rule, [day(0, early)]), "dw", Level.ERROR, ("a",))
    assert "'Early Keynote'" in f.message and "8:00-20:00" in f.message
    assert f.date == date(0) and f.start == 7 * 60 + 30
    assert findings(rule, [day(0, act("a", "Early Keynote", "8:00 - 9:00"))]) == []


def test_day_window_outside_own_window() -> None:
    rule = {"id": "dw", "kind": "day_window"}
    talk = act("a", "Morning Panel", "14:00 - 15:00", window="8:00 - 12:00")
    f = one(findings(rule, [day(0, talk)]), "dw", Level.ERROR, ("a",))
    assert "'Morning Panel'" in f.message and "own window 8:00-12:00" in f.message
    fixed = act("a", "Morning Panel", "11:00 - 12:00", window="8:00 - 12:00")
    assert findings(rule, [day(0, fixed)]) == []


def test_day_window_soft_is_a_warning() -> None:
    rule = {"id": "dw", "kind": "day_window", "severity": "soft", "weight": 7}
    f = one(
        findings(rule, [day(0, act("a", "Late Talk", "19:30 - 20:30"))]),
        "dw",
        Level.WARNING,
        ("a",),
    )
    assert f.weight == 7


# --- no_overlap ---------------------------------------------------------------------------------


def test_no_overlap_group() -> None:
    rule = {"id": "nog", "kind": "no_overlap", "resource": "group"}
    a = act("a", "Opening Lecture", "9:00 - 10:00")
    b = act("b", "Budget Workshop", "9:30 - 10:30", kind="workshop")
    f = one(findings(rule, [day(0, a, b)]), "nog", Level.ERROR, ("b", "a"))
    assert "'Budget Workshop'" in f.message and "'Opening Lecture'" in f.message
    assert "30 minutes" in f.message and f.groups == ("cohort",)
    assert "Participants" not in f.message  # one group: naming it tells nothing
    b_fixed = act("b", "Budget Workshop", "10:00 - 11:00", kind="workshop")
    assert findings(rule, [day(0, a, b_fixed)]) == []


def test_no_overlap_group_only_within_a_group() -> None:
    groups = [{"id": "north", "name": "North Track"}, {"id": "south", "name": "South Track"}]
    rule = {"id": "nog", "kind": "no_overlap", "resource": "group"}
    a = act("a", "North Lecture", "9:00 - 10:00", groups=["north"])
    b = act("b", "South Lecture", "9:00 - 10:00", groups=["south"])
    assert findings(rule, [day(0, a, b)], groups=groups) == []
    c = act("c", "Joint Plenary", "9:45 - 10:15", groups=["north", "south"])
    result = findings(rule, [day(0, a, b, c)], groups=groups)
    assert sorted(f.activities for f in result) == [("c", "a"), ("c", "b")]
    assert sorted(f.groups for f in result) == [("north",), ("south",)]
    assert sorted(f.message.rsplit(" (for ", 1)[1] for f in result) == [
        "North Track)",
        "South Track)",
    ]


def test_a_finding_shared_by_two_groups_is_reported_once_naming_both() -> None:
    """Regression (issue 11, defect 9): a pair both groups attend was reported once per group,
    without naming it, and a soft rule's weight was counted twice."""
    groups = [{"id": "north", "name": "North Track"}, {"id": "south", "name": "South Track"}]
    rule = {"id": "nog", "kind": "no_overlap", "resource": "group", "severity": "soft"}
    a = act("a", "Joint Lecture", "9:00 - 10:00")
    b = act("b", "Joint Workshop", "9:30 - 10:30", kind="workshop")
    (f,) = findings(rule, [day(0, a, b)], groups=groups)
    assert f.groups == ("north", "south")
    assert f.message.endswith("(for North Track and South Track)")
    compact = {"id": "cm", "kind": "compact", "max_gap": 10, "severity": "soft", "weight": 3}
    lunch = act("l", "Lunch", "12:00 - 13:00", kind="lunch")
    early = act("e", "Early Talk", "9:00 - 10:00")
    report = check(
        make_programme(
            {"venues": [HALL], "groups": groups, "days": [day(0, early, lunch)], "rules": [compact]}
        )
    )
    assert [f.groups for f in report.warnings] == [("north", "south")]
    assert report.penalty == 3


def test_no_overlap_person() -> None:
    groups = [{"id": "north", "name": "North Track"}, {"id": "south", "name": "South Track"}]
    people = [{"id": "ada", "name": "Ada Lovelace"}, {"id": "bob", "name": "Bob Moses"}]
    rule = {"id": "nop", "kind": "no_overlap", "resource": "person"}
    a = act("a", "Engines Talk", "9:00 - 10:00", groups=["north"], people=["ada"])
    b = act("b", "Notes Talk", "9:50 - 10:30", groups=["south"], people=["ada"])
    f = one(
        findings(rule, [day(0, a, b)], groups=groups, people=people), "nop", Level.ERROR, ("b", "a")
    )
    assert (
        "Ada Lovelace" in f.message
        and "'Notes Talk'" in f.message
        and "'Engines Talk'" in f.message
    )
    assert "10 minutes" in f.message
    b_fixed = {**b, "people": ["bob"]}
    assert findings(rule, [day(0, a, b_fixed)], groups=groups, people=people) == []


def test_no_overlap_room() -> None:
    groups = [{"id": "north", "name": "North Track"}, {"id": "south", "name": "South Track"}]
    rule = {"id": "nor", "kind": "no_overlap", "resource": "room"}
    a = act("a", "Room Talk One", "9:00 - 10:00", groups=["north"], room="r1")
    b = act("b", "Room Talk Two", "9:15 - 9:45", groups=["south"], room="r1")
    f = one(findings(rule, [day(0, a, b)], groups=groups), "nor", Level.ERROR, ("b", "a"))
    assert (
        "room r1" in f.message and "'Room Talk Two'" in f.message and "'Room Talk One'" in f.message
    )
    b_fixed = {**b, "room": "r2", "venue": "annex"}
    assert findings(rule, [day(0, a, b_fixed)], groups=groups) == []


def test_no_overlap_touching_is_not_overlap() -> None:
    rule = {"id": "nog", "kind": "no_overlap", "resource": "group"}
    a = act("a", "First", "9:00 - 10:00")
    b = act("b", "Second", "10:00 - 11:00")
    assert findings(rule, [day(0, a, b)]) == []


# --- sequence -----------------------------------------------------------------------------------


def test_sequence_gap_too_long() -> None:
    rule = {"id": "seq", "kind": "sequence", "activities": ["talk", "qa"], "max_gap": 0}
    talk = act("talk", "Guest Talk on Cities", "9:00 - 10:00", kind="guest_talk")
    qa = act("qa", "Questions and Answers", "10:10 - 10:30", kind="qa")
    f = one(findings(rule, [day(0, talk, qa)]), "seq", Level.ERROR, ("qa", "talk"))
    assert "'Questions and Answers'" in f.message and "'Guest Talk on Cities'" in f.message
    assert "immediately" in f.message
    qa_fixed = act("qa", "Questions and Answers", "10:00 - 10:20", kind="qa")
    assert findings(rule, [day(0, talk, qa_fixed)]) == []


def test_sequence_wrong_order_and_min_gap() -> None:
    rule = {"id": "seq", "kind": "sequence", "activities": ["x", "y"], "min_gap": 15}
    x = act("x", "Part One", "10:00 - 11:00")
    y = act("y", "Part Two", "9:00 - 10:00")
    f = one(findings(rule, [day(0, x, y)]), "seq", Level.ERROR, ("y", "x"))
    assert "at least 15 minutes" in f.message
    close = act("y", "Part Two", "11:10 - 12:00")
    one(findings(rule, [day(0, x, close)]), "seq", Level.ERROR, ("y", "x"))
    assert findings(rule, [day(0, x, act("y", "Part Two", "11:15 - 12:00"))]) == []


def test_sequence_on_another_day() -> None:
    rule = {"id": "seq", "kind": "sequence", "activities": ["x", "y"]}
    x = act("x", "Part One", "10:00 - 11:00")
    y = act("y", "Part Two", "9:00 - 10:00")
    f = one(findings(rule, [day(0, x), day(1, y)]), "seq", Level.ERROR, ("y", "x"))
    assert "same day" in f.message
    assert findings(rule, [day(0, x, act("y", "Part Two", "15:00 - 16:00")), day(1)]) == []


# --- opens_day ----------------------------------------------------------------------------------


def test_opens_day() -> None:
    rule = {"id": "open", "kind": "opens_day", "kinds": ["welcome"]}
    welcome = act("w", "Welcome and Coffee", "9:20 - 9:40", kind="welcome")
    talk = act("t", "Early Bird Talk", "9:00 - 9:20")
    f = one(findings(rule, [day(0, welcome, talk)]), "open", Level.ERROR, ("w", "t"))
    assert "'Early Bird Talk' (9:00) starts before it" in f.message
    assert "'Welcome and Coffee'" in f.message and "must open the day" in f.message
    # one welcome that starts late is one finding, naming all that start before it
    other = act("o", "Second Early Talk", "8:30 - 9:00")
    f = one(findings(rule, [day(0, welcome, talk, other)]), "open", Level.ERROR, ("w", "o", "t"))
    assert "'Second Early Talk' (8:30) and 'Early Bird Talk' (9:00) start before it" in f.message
    talk_fixed = act("t", "Early Bird Talk", "9:40 - 10:00")
    # a welcome on another day does not open this one
    assert (
        findings(rule, [day(0, welcome, talk_fixed), day(1, act("u", "Other", "8:00 - 9:00"))])
        == []
    )


# --- last_before --------------------------------------------------------------------------------


def test_last_before_something_in_between() -> None:
    rule = {"id": "lb", "kind": "last_before", "kinds": ["wrap_up"], "before": "lunch"}
    wrap = act("wrap", "Morning Wrap-up", "11:00 - 11:15", kind="wrap_up")
    talk = act("late", "Late Morning Talk", "11:15 - 12:00")
    lunch = act("lunch", "Lunch Buffet", "12:00 - 13:00", kind="lunch")
    f = one(findings(rule, [day(0, wrap, talk, lunch)]), "lb", Level.ERROR, ("late", "wrap"))
    assert "'Late Morning Talk'" in f.message and "'Morning Wrap-up'" in f.message
    assert "'Lunch Buffet'" in f.message
    talk_fixed = act("late", "Late Morning Talk", "10:00 - 10:45")
    assert findings(rule, [day(0, wrap, talk_fixed, lunch)]) == []


def test_last_before_ends_after_target_starts() -> None:
    rule = {"id": "lb", "kind": "last_before", "kinds": ["wrap_up"], "before": "lunch"}
    wrap = act("wrap", "Morning Wrap-up", "12:30 - 12:45", kind="wrap_up")
    lunch = act("lunch", "Lunch Buffet", "12:00 - 13:00", kind="lunch")
    f = one(findings(rule, [day(0, wrap, lunch)]), "lb", Level.ERROR, ("wrap", "lunch"))
    assert "must end before" in f.message and "'Lunch Buffet'" in f.message


# --- time_window --------------------------------------------------------------------------------


def test_time_window_by_kind() -> None:
    rule = {"id": "cw", "kind": "time_window", "kinds": ["coffee_break"], "within": "10:45 - 12:00"}
    coffee = act("c", "Tea and Coffee", "10:00 - 10:30", kind="coffee_break")
    talk = act("t", "Talk", "10:30 - 11:30")
    f = one(findings(rule, [day(0, coffee, talk)]), "cw", Level.ERROR, ("c",))
    assert "'Tea and Coffee'" in f.message and "10:45 - 12:00" in f.message
    coffee_fixed = act("c", "Tea and Coffee", "11:30 - 12:00", kind="coffee_break")
    assert findings(rule, [day(0, coffee_fixed, talk)]) == []


def test_time_window_by_activity_id() -> None:
    rule = {"id": "tw", "kind": "time_window", "activities": ["t"], "within": "9:00 - 11:00"}
    talk = act("t", "Named Talk", "10:30 - 11:30")
    other = act("o", "Other Talk", "14:00 - 15:00")
    one(findings(rule, [day(0, talk, other)]), "tw", Level.ERROR, ("t",))
    assert findings(rule, [day(0, act("t", "Named Talk", "10:00 - 11:00"), other)]) == []


# --- max_content --------------------------------------------------------------------------------


def test_max_content() -> None:
    rule = {"id": "mc", "kind": "max_content", "minutes": 150}
    a = act("a", "Opening Plenary", "9:00 - 10:00")
    b = act("b", "Second Session", "10:00 - 11:00")
    c = act("c", "Third Session", "11:00 - 12:00")
    f = one(findings(rule, [day(0, a, b, c)]), "mc", Level.ERROR, ("c", "a"))
    assert (
        "180 minutes" in f.message
        and "'Opening Plenary'" in f.message
        and "'Third Session'" in f.message
    )
    coffee = act("k", "Coffee", "10:00 - 10:30", kind="coffee_break")
    b_late = act("b", "Second Session", "10:30 - 11:30")
    c_late = act("c", "Third Session", "11:30 - 12:30")
    assert findings(rule, [day(0, a, coffee, b_late, c_late)]) == []


def test_max_content_non_content_kinds_do_not_count() -> None:
    rule = {"id": "mc", "kind": "max_content", "minutes": 120}
    a = act("a", "Morning Talk", "9:00 - 10:00")
    visit = act("v", "Site Visit", "10:00 - 12:00", kind="site_visit")
    assert findings(rule, [day(0, a, visit)]) == []


# --- travel_time --------------------------------------------------------------------------------


TRAVEL = [{"between": ["hall", "annex"], "minutes": 15}]


def test_travel_time() -> None:
    rule = {"id": "tt", "kind": "travel_time"}
    a = act("a", "Talk in the Hall", "9:00 - 10:00")
    b = act("b", "Talk in the Annex", "10:05 - 11:00", venue="annex")
    f = one(findings(rule, [day(0, a, b)], travel=TRAVEL), "tt", Level.ERROR, ("b", "a"))
    assert "'Talk in the Annex'" in f.message and "'Talk in the Hall'" in f.message
    assert "Main Hall" in f.message and "Annex Building" in f.message
    assert "5 minutes" in f.message and "takes 15" in f.message
    b_fixed = act("b", "Talk in the Annex", "10:15 - 11:00", venue="annex")
    assert findings(rule, [day(0, a, b_fixed)], travel=TRAVEL) == []


def test_travel_time_unlinked_venues_never_reachable() -> None:
    rule = {"id": "tt", "kind": "travel_time"}
    a = act("a", "Talk in the Hall", "9:00 - 10:00")
    b = act("b", "Talk in the Annex", "13:00 - 14:00", venue="annex")
    one(findings(rule, [day(0, a, b)]), "tt", Level.ERROR, ("b", "a"))


# --- transport ----------------------------------------------------------------------------------


def bus(**extra: Any) -> dict[str, Any]:
    leg = {
        "id": "bus",
        "title": "Bus to the Old Factory",
        "date": date(0),
        "from": "hall",
        "to": "site",
        "depart": "14:00",
        "ride_minutes": 30,
        "return": {"depart": "17:00"},
    }
    return {**leg, **extra}


def test_transport_served_before_arrival() -> None:
    rule = {"id": "tr", "kind": "transport"}
    visit = act(
        "v", "Factory Tour", "14:15 - 16:30", kind="site_visit", venue="site", transport="bus"
    )
    f = one(findings(rule, [day(0, visit)], transport=[bus()]), "tr", Level.ERROR, ("v",))
    assert "'Factory Tour'" in f.message and "Bus to the Old Factory" in f.message
    assert "14:30" in f.message
    visit_fixed = {**visit, "time": "14:30 - 16:30"}
    assert findings(rule, [day(0, visit_fixed)], transport=[bus()]) == []


def test_transport_served_after_return() -> None:
    rule = {"id": "tr", "kind": "transport"}
    visit = act(
        "v", "Factory Tour", "14:30 - 17:30", kind="site_visit", venue="site", transport="bus"
    )
    f = one(findings(rule, [day(0, visit)], transport=[bus()]), "tr", Level.ERROR, ("v",))
    assert "return bus" in f.message and "17:00" in f.message


def test_transport_including_travel() -> None:
    rule = {"id": "tr", "kind": "transport"}
    visit = act(
        "v",
        "Door-to-door Visit",
        "14:00 - 17:00",
        kind="site_visit",
        venue="site",
        transport="bus",
        includes_travel=True,
    )
    f = one(findings(rule, [day(0, visit)], transport=[bus()]), "tr", Level.ERROR, ("v",))
    assert "'Door-to-door Visit'" in f.message and "17:30" in f.message
    assert findings(rule, [day(0, {**visit, "time": "14:00 - 17:30"})], transport=[bus()]) == []


def test_transport_departure_outside_window() -> None:
    rule = {"id": "tr", "kind": "transport"}
    leg = bus(depart_window="13:00 - 13:30")
    del leg["depart"]
    # no served activity; the ride is placed by hand at 14:00
    from course_scheduler.checking import check_problem
    from course_scheduler.compile import compile_programme
    from course_scheduler.timetable import Placement, Timetable

    programme = make_programme(
        {"venues": [HALL, SITE], "days": [day(0)], "rules": [rule], "transport": [leg]}
    )
    problem = compile_programme(programme)
    late = Timetable({"bus.out": Placement(date(0), 14 * 60, 14 * 60 + 30, "bus.out", "hall")})
    result = [f for f in check_problem(problem, late).findings if f.rule == "tr"]
    f = one(result, "tr", Level.ERROR, ("bus.out",))
    assert "Bus to the Old Factory" in f.message
    assert "14:00" in f.message and "13:00-13:30" in f.message
    on_time = Timetable(
        {"bus.out": Placement(date(0), 13 * 60 + 15, 13 * 60 + 45, "bus.out", "hall")}
    )
    assert [f for f in check_problem(problem, on_time).findings if f.rule == "tr"] == []


# --- date_window --------------------------------------------------------------------------------


def test_date_window() -> None:
    rule = {
        "id": "dates",
        "kind": "date_window",
        "activities": ["fair"],
        "from": date(1),
        "to": date(2),
        "event": "the Book Fair",
    }
    fair = act("fair", "Visit to the Book Fair", "15:00 - 17:00", kind="site_visit")
    f = one(findings(rule, [day(0, fair), day(1)]), "dates", Level.ERROR, ("fair",))
    assert "'Visit to the Book Fair'" in f.message and "the Book Fair is only open" in f.message
    assert findings(rule, [day(0), day(1, fair)]) == []


# --- availability -------------------------------------------------------------------------------


def test_availability_wrong_day() -> None:
    people = [{"id": "ada", "name": "Ada Lovelace", "available": [{"date": date(1)}]}]
    rule = {"id": "av", "kind": "availability"}
    talk = act("t", "Analytical Engines", "9:00 - 10:00", people=["ada"])
    f = one(findings(rule, [day(0, talk), day(1)], people=people), "av", Level.ERROR, ("t",))
    assert "Ada Lovelace" in f.message and "'Analytical Engines'" in f.message
    assert findings(rule, [day(0), day(1, talk)], people=people) == []


def test_availability_wrong_time() -> None:
    people = [
        {
            "id": "ada",
            "name": "Ada Lovelace",
            "available": [{"date": date(0), "time": "14:00 - 18:00"}],
        }
    ]
    rule = {"id": "av", "kind": "availability"}
    talk = act("t", "Analytical Engines", "13:30 - 14:30", people=["ada"])
    f = one(findings(rule, [day(0, talk)], people=people), "av", Level.ERROR, ("t",))
    assert "14:00 - 18:00" in f.message
    assert findings(rule, [day(0, {**talk, "time": "14:00 - 15:00"})], people=people) == []


def test_availability_declined() -> None:
    people = [
        {"id": "ada", "name": "Ada Lovelace", "status": "declined"},
        {"id": "bob", "name": "Bob Moses"},
    ]
    rule = {"id": "av", "kind": "availability"}
    talk = act("t", "Analytical Engines", "9:00 - 10:00", people=["ada"])
    f = one(findings(rule, [day(0, talk)], people=people), "av", Level.ERROR, ("t",))
    assert "Ada Lovelace has declined" in f.message and "'Analytical Engines'" in f.message
    assert findings(rule, [day(0, {**talk, "people": ["bob"]})], people=people) == []


# --- confirmed ----------------------------------------------------------------------------------


def test_confirmed() -> None:
    people = [
        {"id": "kim", "name": "Kim Sylla", "status": "tbc"},
        {"id": "lee", "name": "Lee Park"},
    ]
    rule = {"id": "conf", "kind": "confirmed"}
    talk = act("t", "Keynote from Dakar", "10:00 - 11:00", kind="guest_talk", people=["kim"])
    f = one(findings(rule, [day(0, talk)], people=people), "conf", Level.ERROR, ("t",))
    assert (
        "Kim Sylla" in f.message
        and "'Keynote from Dakar'" in f.message
        and "not confirmed" in f.message
    )
    soft = {**rule, "severity": "soft", "weight": 10}
    w = one(findings(soft, [day(0, talk)], people=people), "conf", Level.WARNING, ("t",))
    assert w.weight == 10
    assert findings(rule, [day(0, {**talk, "people": ["lee"]})], people=people) == []


# --- deadline -----------------------------------------------------------------------------------


def test_deadline() -> None:
    lunch = act("lunch", "Farewell Lunch", "13:00 - 14:30", kind="lunch")
    rule = {"id": "dl", "kind": "deadline", "activity": "lunch", "confirm_by": date(1)}
    f = one(findings(rule, [day(0), day(1, lunch)]), "dl", Level.ERROR, ("lunch",))
    assert "'Farewell Lunch'" in f.message and "confirmed by" in f.message
    fixed = {**rule, "confirm_by": date(0)}
    assert findings(fixed, [day(0), day(1, lunch)]) == []


# --- compact ------------------------------------------------------------------------------------


def test_compact() -> None:
    rule = {"id": "cmp", "kind": "compact", "max_gap": 10}
    a = act("a", "First Talk", "9:00 - 10:00")
    b = act("b", "Second Talk", "10:30 - 11:30")
    lunch = act("l", "Lunch", "11:30 - 12:30", kind="lunch")
    after = act("z", "Afternoon Talk", "15:00 - 16:00")  # the afternoon is not compacted
    f = one(findings(rule, [day(0, a, b, lunch, after)]), "cmp", Level.ERROR, ("a", "b"))
    assert (
        "30 idle minutes" in f.message
        and "'First Talk'" in f.message
        and "'Second Talk'" in f.message
    )
    b_fixed = act("b", "Second Talk", "10:10 - 11:10")
    gap_to_lunch = act("l", "Lunch", "11:30 - 12:30", kind="lunch")
    one(findings(rule, [day(0, a, b_fixed, gap_to_lunch)]), "cmp", Level.ERROR, ("b", "l"))
    assert (
        findings(
            rule, [day(0, a, b_fixed, act("l", "Lunch", "11:20 - 12:20", kind="lunch"), after)]
        )
        == []
    )


def test_compact_needs_a_lunch() -> None:
    rule = {"id": "cmp", "kind": "compact", "max_gap": 10}
    a = act("a", "First Talk", "9:00 - 10:00")
    b = act("b", "Second Talk", "11:30 - 12:30")
    assert findings(rule, [day(0, a, b)]) == []


# --- module_day / module_order ------------------------------------------------------------------


MODULES = [
    {"id": "m1", "knowledge_session": "Basics"},
    {"id": "m2", "knowledge_session": "Advanced"},
]


def test_module_day() -> None:
    rule = {"id": "md", "kind": "module_day"}
    stray = act("s", "Advanced Preview", "15:00 - 16:00", module="m2")
    days = [
        day(0, act("a", "Basics Talk", "9:00 - 10:00"), stray, module="m1"),
        day(1, act("b", "Advanced Talk", "9:00 - 10:00"), module="m2"),
    ]
    result = findings(rule, days, modules=MODULES)
    # one stray activity breaks the rule twice: module m2 is split over two days, and day 0
    # now holds modules m1 and m2; both findings name the stray activity and nothing else.
    assert [(f.rule, f.level, f.activities) for f in result] == [("md", Level.ERROR, ("s",))] * 2
    assert "'Advanced Preview' of module m2" in result[0].message
    assert "away from the rest of the module" in result[0].message
    assert "modules m1 and m2 share" in result[1].message
    days[0]["activities"].pop()
    days[1]["activities"].append(stray)
    assert findings(rule, days, modules=MODULES) == []


def test_module_day_two_modules_one_day() -> None:
    rule = {"id": "md", "kind": "module_day"}
    a = act("a", "Basics Talk", "9:00 - 10:00", module="m1")
    b = act("b", "Advanced Talk", "10:00 - 11:00", module="m2")
    f = one(findings(rule, [day(0, a, b), day(1)], modules=MODULES), "md", Level.ERROR, ("b",))
    assert "modules m1 and m2 share" in f.message


def test_module_order() -> None:
    rule = {"id": "mo", "kind": "module_order", "before": ["m1"], "after": ["m2"]}
    days = [
        day(0, act("b", "Advanced Talk", "9:00 - 10:00"), module="m2"),
        day(1, act("a", "Basics Talk", "9:00 - 10:00"), module="m1"),
    ]
    f = one(findings(rule, days, modules=MODULES), "mo", Level.ERROR, ("b", "a"))
    assert "module m1" in f.message and "module m2" in f.message
    days[0]["module"], days[1]["module"] = "m1", "m2"
    days[0]["activities"], days[1]["activities"] = days[1]["activities"], days[0]["activities"]
    assert findings(rule, days, modules=MODULES) == []


# --- clash --------------------------------------------------------------------------------------


def test_clash() -> None:
    groups = [{"id": "north", "name": "North Track"}, {"id": "south", "name": "South Track"}]
    rule = {"id": "cl", "kind": "clash", "activities": ["x", "y"]}
    x = act("x", "Climate Finance", "9:00 - 10:00", groups=["north"])
    y = act("y", "Green Bonds", "9:30 - 10:30", groups=["south"])
    f = one(findings(rule, [day(0, x, y)], groups=groups), "cl", Level.ERROR, ("y", "x"))
    assert "'Green Bonds'" in f.message and "'Climate Finance'" in f.message
    assert "overlaps it by 30 minutes" in f.message
    assert (f.limit, f.actual, f.unit) == (0, 30, "minutes")
    # fixed: y after x; z overlaps both but is not named by the rule
    z = act("z", "Unrelated", "9:30 - 10:30", groups=["south"], venue="annex")
    y_fixed = {**y, "time": "10:00 - 11:00", "groups": ["north"]}
    assert findings(rule, [day(0, x, y_fixed, z)], groups=groups) == []


# --- capacity -----------------------------------------------------------------------------------


def test_capacity_from_group_size() -> None:
    groups = [{"id": "cohort", "name": "Participants", "size": 60}]
    rule = {"id": "cap", "kind": "capacity"}
    talk = act("t", "Packed Plenary", "9:00 - 10:00", room="r1")
    f = one(findings(rule, [day(0, talk)], groups=groups), "cap", Level.ERROR, ("t",))
    assert (
        "'Packed Plenary'" in f.message and "60 people" in f.message and "r1 holds 40" in f.message
    )
    assert (f.limit, f.actual, f.unit) == (40, 60, "people")
    assert findings(rule, [day(0, {**talk, "audience": 40})], groups=groups) == []


def test_capacity_unknown_sizes_are_fine() -> None:
    rule = {"id": "cap", "kind": "capacity"}
    talk = act("t", "Plenary", "9:00 - 10:00", room="r2", venue="annex", audience=500)
    assert findings(rule, [day(0, talk)]) == []


# --- due ----------------------------------------------------------------------------------------


def test_due_inside_a_meal_and_before_the_session_that_sets_it() -> None:
    rule = {"id": "due", "kind": "due"}
    lunch = act("l", "Lunch", "12:15 - 13:45", kind="lunch")
    talk = act("q", "Research Questions", "14:00 - 15:00")
    work = {"id": "hw", "title": "Homework: one question", "date": date(0), "time": "13:00"}
    f = one(
        findings(rule, [day(0, lunch, talk)], deadlines=[work]), "due", Level.ERROR, ("hw", "l")
    )
    assert "'Homework: one question' is due Mon 3 Mar 2025 at 13:00, during 'Lunch'" in f.message
    assert (f.start, f.end) == (13 * 60, 13 * 60)
    assert f.unit is None  # during a meal: it could end before, or start after
    at_start = {**work, "time": "12:15"}  # handed in as lunch starts: not during it
    assert findings(rule, [day(0, lunch, talk)], deadlines=[at_start]) == []
    early = {**work, "time": "14:30", "set_by": "q"}
    f = one(
        findings(rule, [day(0, lunch, talk)], deadlines=[early]), "due", Level.ERROR, ("hw", "q")
    )
    assert "before 'Research Questions'" in f.message and "which sets the work" in f.message
    assert (f.limit, f.actual, f.unit) == (14 * 60 + 30, 15 * 60, "time")
    later = {**early, "date": date(1), "time": "8:15"}
    assert findings(rule, [day(0, lunch, talk), day(1)], deadlines=[later]) == []


def test_due_not_during_other_kinds_and_for_its_groups_only() -> None:
    rule = {"id": "due", "kind": "due", "not_during": ["talk"], "severity": "soft", "weight": 3}
    groups = [{"id": "a", "name": "Track A"}, {"id": "b", "name": "Track B"}]
    talk = act("t", "Talk for B", "9:00 - 10:00", groups=["b"])
    work = {"id": "hw", "title": "Essay", "date": date(0), "time": "9:30", "groups": ["a"]}
    assert findings(rule, [day(0, talk)], groups=groups, deadlines=[work]) == []
    both = {**work, "groups": []}
    f = one(
        findings(rule, [day(0, talk)], groups=groups, deadlines=[both]),
        "due",
        Level.WARNING,
        ("hw", "t"),
    )
    assert f.weight == 3


# --- same_room --------------------------------------------------------------------------------


def test_same_room_parts_in_two_rooms() -> None:
    rule = {"id": "sr", "kind": "same_room", "activities": ["a", "a.2"]}
    first = act("a", "Late Concert", "19:00 - 20:00", room="r1")
    second = act("a.2", "Late Concert", "8:00 - 9:00", room="r2", venue="annex")
    f = one(findings(rule, [day(0, first), day(1, second)]), "sr", Level.ERROR, ("a", "a.2"))
    assert "'Late Concert' is in room r1 but 'Late Concert' in room r2" in f.message
    together = {**second, "room": "r1", "venue": "hall"}
    assert findings(rule, [day(0, first), day(1, together)]) == []


def test_same_room_without_rooms_is_fine_but_a_room_and_none_is_not() -> None:
    rule = {"id": "sr", "kind": "same_room", "activities": ["a", "b"]}
    a, b = act("a", "Opening", "9:00 - 10:00"), act("b", "Closing", "18:00 - 19:00")
    assert findings(rule, [day(0, a, b)]) == []
    f = one(findings(rule, [day(0, {**a, "room": "r1"}, b)]), "sr", Level.ERROR, ("a", "b"))
    assert "'Closing' in no room" in f.message


# --- coverage -----------------------------------------------------------------------------------


def test_every_registered_kind_is_covered() -> None:
    covered = {
        "day_window",
        "no_overlap",
        "sequence",
        "opens_day",
        "last_before",
        "time_window",
        "max_content",
        "travel_time",
        "transport",
        "date_window",
        "availability",
        "confirmed",
        "deadline",
        "due",
        "compact",
        "module_day",
        "module_order",
        "clash",
        "capacity",
        "holes",
        "order",
        "grid",
        "day_start",
        "parts",
        "same_room",
        # the day's skeleton: tests/test_skeleton.py
        "meal_times",
        "meal_drift",
        "openers",
        "spaced_breaks",
        "after_dinner",
        "together",
        "idle",
    }
    assert set(REGISTRY) == covered


@pytest.mark.parametrize("example", ["programme", "corrected"])
def test_reference_instance(example: str) -> None:
    """The printed Barcelona programme: its known inconsistencies, and none once corrected."""
    from course_scheduler.loading import load
    from tests.conftest import EXAMPLES

    report = check(load(EXAMPLES / f"{example}.yaml"))
    errors = sorted((f.rule, f.activities) for f in report.errors)
    if example == "corrected":
        assert errors == []
        assert [(f.rule, f.activities) for f in report.warnings] == [
            ("speakers-confirmed", ("d3-guest-talk",))
        ]
    else:
        assert errors == [
            ("no-overlap-cohort", ("bus-chimneys.out", "d3-free-afternoon")),
            ("no-overlap-cohort", ("d3-networking", "d3-free-afternoon")),
            ("transport-windows", ("d3-networking",)),
            ("travel-time", ("d5-lunch", "d5-wrap-up")),
        ]


# --- planner defaults -------------------------------------------------------------------------


def free(ident: str, title: str, time: str, kind: str = "talk", **extra: Any) -> dict[str, Any]:
    """An activity with a usual time the solver may move (the planner defaults judge it)."""
    return act(ident, title, time, kind, pinned=False, **extra)


@pytest.mark.parametrize(("start", "holes"), [("10:00", 0), ("10:10", 1), ("10:20", 0)])
def test_holes_shorter_than_the_minimum(start: str, holes: int) -> None:
    rule = {"id": "h", "kind": "holes", "severity": "soft", "weight": 5, "minimum": 15}
    a = free("a", "First Talk", "9:00 - 10:00")
    b = free("b", "Second Talk", f"{start} - 11:30")
    result = findings(rule, [day(0, a, b)])
    assert len(result) == holes
    if holes:
        assert "a 10-minute hole after 'First Talk'" in result[0].message
        assert (result[0].limit, result[0].actual, result[0].unit) == (15, 10, "minutes")
        assert (result[0].start, result[0].end, result[0].weight) == (600, 610, 5)


def test_a_hole_that_travel_fills_or_two_fixed_times_force_is_none() -> None:
    rule = {"id": "h", "kind": "holes", "minimum": 15}
    a = free("a", "Hall Talk", "9:00 - 10:00")
    b = free("b", "Annex Talk", "10:10 - 11:00", venue="annex")
    travel = [{"between": ["hall", "annex"], "minutes": 10}]
    assert findings(rule, [day(0, a, b)], travel=travel) == []
    fixed = [act("a", "Hall Talk", "9:00 - 10:00"), act("b", "Next Talk", "10:05 - 11:00")]
    assert findings(rule, [day(0, *fixed)]) == []
    (hole,) = findings(rule, [day(0, a, b)], travel=[{"between": ["hall", "annex"], "minutes": 5}])
    assert hole.level == Level.ERROR  # a hard holes rule, written in the file
    assert "a 5-minute hole besides 5 minutes of travel after 'Hall Talk'" in hole.message
    assert (hole.limit, hole.actual, hole.start, hole.end) == (15, 5, 600, 610)


def test_travel_rounded_up_to_the_grid_step_leaves_no_hole() -> None:
    """An 8-minute walk after a talk that ends at 10:00 arrives at 10:08, and the grid's next
    time is 10:10: those 2 minutes are the grid's, not a hole (else 10:08, off the grid, would
    cost less). Only the travel is rounded up to the step: the programme's grid (the planner
    default's 5 minutes), or the rule's own; with no grid, or no travel, every minute counts."""
    rule = {"id": "h", "kind": "holes", "minimum": 15}
    a = free("a", "Hall Talk", "9:00 - 10:00")
    walk = [{"between": ["hall", "annex"], "minutes": 8}]

    def at(start: str, venue: str = "annex", **extra: Any) -> list[int]:
        b = free("b", "Next Talk", f"{start} - 11:00", venue=venue)
        found = findings({**rule, **extra}, [day(0, a, b)], travel=walk, **options)
        return [f.actual for f in found]

    options: dict[str, Any] = {}
    assert at("10:10") == [] and at("10:08") == []
    assert at("10:11") == [3] and at("10:13") == [5]
    assert at("10:02", venue="hall") == [2]  # no travel to round: a start off the grid is no excuse
    assert at("10:10", step=1) == [2]
    assert at("10:10", step=10) == [] and at("10:20", step=10) == [12]
    options = {"objective": {"grid": 0}}  # no grid: the 2 minutes are a hole
    assert at("10:10") == [2]
    (hole,) = findings(
        rule, [day(0, a, free("b", "Next", "10:10 - 11:00", venue="annex"))], travel=walk, **options
    )
    assert "a 2-minute hole besides 8 minutes of travel after 'Hall Talk'" in hole.message
    options = {"objective": {"grid": 0}, "planner": {"grid": 10}}
    assert at("10:10") == [2]  # the setting alone, with its rule off
    options = {"planner": {"grid": 10}}
    assert at("10:10") == [] and at("10:11") == [3]


def test_order_follows_the_listing() -> None:
    rule = {"id": "o", "kind": "order", "severity": "soft", "weight": 10}
    talk = free("talk", "Keynote", "10:00 - 11:00")
    welcome = free("welcome", "Welcome", "9:00 - 9:20", kind="welcome")
    (f,) = findings(rule, [day(0, talk, welcome)])
    assert f.activities == ("welcome", "talk") and "which the file lists first" in f.message
    assert (f.limit, f.actual, f.unit) == (10 * 60, 9 * 60, "time")
    assert findings(rule, [day(0, welcome, talk)]) == []


def test_grid_judges_only_what_may_move() -> None:
    rule = {"id": "g", "kind": "grid", "minutes": 5, "severity": "soft"}
    (f,) = findings(rule, [day(0, free("a", "Odd Talk", "9:07 - 10:07"))])
    assert "off the 5-minute grid (9:05 is on it)" in f.message
    assert (f.limit, f.actual, f.unit) == (9 * 60 + 5, 9 * 60 + 7, "time")
    (late,) = findings(rule, [day(0, free("a", "Odd Talk", "9:08 - 10:08"))])
    assert "(9:10 is on it)" in late.message and late.limit == 9 * 60 + 10
    assert findings(rule, [day(0, act("a", "Odd Talk", "9:07 - 10:07"))]) == []


def test_day_start_counts_each_minute_away() -> None:
    rule = {"id": "ds", "kind": "day_start", "severity": "soft", "weight": 2}
    early = free("a", "Early Talk", "8:30 - 9:30")
    (f,) = findings(rule, [day(0, early, start="9:00")])
    assert f.weight == 60 and "30 minutes before its usual start 9:00" in f.message
    assert (f.limit, f.actual, f.unit) == (9 * 60, 8 * 60 + 30, "time")
    assert findings(rule, [day(0, free("a", "Talk", "9:00 - 10:00"), start="9:00")]) == []


def test_parts_of_the_day() -> None:
    rule = {"id": "p", "kind": "parts", "severity": "soft", "weight": 20}
    morning_free = free("f", "Free Time", "9:00 - 11:00", kind="free_time")
    (f,) = findings(rule, [day(0, morning_free)])
    assert "is in the morning; a free time belongs in the afternoon or evening" in f.message
    assert "(its middle, 10:00, should be at 14:30 or later)" in f.message
    assert (f.limit, f.actual, f.unit) == (14 * 60 + 30, 10 * 60, "time")
    assert findings(rule, [day(0, free("l", "Lunch", "13:15 - 14:15", kind="lunch"))]) == []
    late = {"midday": "13:30"}
    assert findings(rule, [day(0, free("t", "Talk", "12:30 - 13:20"))], day_parts=late) == []
