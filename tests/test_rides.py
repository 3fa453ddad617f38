"""The day-trip reading of the transport rule (``rules/rides.py``): a ride back home leaves
after a ride out has arrived, and what is away ends before the way home. Its checker and its
encoding against each other on generated day trips, and both on real programmes."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_scheduler import check, compile_programme, load, solve
from course_scheduler.checking import check_problem
from course_scheduler.rules import REGISTRY
from course_scheduler.rules.base import RuleKind
from course_scheduler.rules.rides import (
    check_day_trips,
    day_home,
    group_rides,
    post_day_trips,
    starts_at_home,
)
from course_scheduler.timetable import published_timetable

from .conftest import ROOT
from .strategies import (
    agreement_cases,
    compile_data,
    date,
    describe,
    fixed_feasible,
    hard,
    solver_settings,
)

EXAMPLES = ROOT / "examples"
DITUM = EXAMPLES / "ditum_huittinen_2018"


@solver_settings(80)
@given(data=st.data())
def test_day_trip_checker_agrees_with_its_encoding(data: st.DataObject) -> None:
    """The day-trip reading alone (the rest of the transport rule set aside, so it cannot hide
    a disagreement): the checker reports an error exactly when the timetable, fixed into the
    model, is infeasible. Two one-way legs or a leg with a return, on one day or on any."""
    case = data.draw(agreement_cases("transport", day_trip=True))
    trips_only = RuleKind("transport", check_day_trips, post_day_trips, False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(REGISTRY, "transport", trips_only)
        report = check_problem(case.problem, case.timetable)
        broken = bool(hard(report, case.rule["id"]))
        feasible = fixed_feasible(case.problem, case.timetable)
    assert broken != feasible, (
        describe(case.problem, case.timetable)
        + f"\n{[f.message for f in report.findings if f.rule == case.rule['id']]}"
    )


@solver_settings(150)
@given(data=st.data())
def test_each_day_trip_error_can_be_kept_and_only_it(data: st.DataObject) -> None:
    """A repair keeps a published error as it is: with every day-trip error of a timetable
    kept (``Problem.kept_findings``, by the activities each finding names), the timetable is
    feasible; keeping only the first, it is not while another remains."""
    case = data.draw(agreement_cases("transport", day_trip=True))
    trips_only = RuleKind("transport", check_day_trips, post_day_trips, False)
    rule_id = case.rule["id"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(REGISTRY, "transport", trips_only)
        errors = hard(check_problem(case.problem, case.timetable), rule_id)
        sets = [frozenset(f.activities) for f in errors]
        every = dataclasses.replace(case.problem, kept_findings={rule_id: frozenset(sets)})
        assert fixed_feasible(every, case.timetable), [f.message for f in errors]
        if any(other != sets[0] for other in sets[1:]):
            one = dataclasses.replace(case.problem, kept_findings={rule_id: frozenset(sets[:1])})
            assert not fixed_feasible(one, case.timetable), [f.message for f in errors]


def _two_buses(back: str, visit: str, *, days: int = 2) -> dict[str, Any]:
    """A day out to the garden by two one-way buses (9:00-10:00 out), on the last of
    ``days`` days, with a visit at the garden at ``visit``."""
    activities = [
        {"id": "visit", "title": "Garden visit", "time": visit, "venue": "garden"},
        {"id": "talk", "title": "Talk", "time": "20:00 - 21:00", "venue": "hall"},
    ]
    bus = {"date": date(days - 1), "ride_minutes": 60}
    return {
        "venues": [{"id": "hall", "name": "Hall"}, {"id": "garden", "name": "Garden"}],
        "travel": [{"between": ["hall", "garden"], "minutes": 60}],
        "days": [
            {"date": date(d), "venue": "hall", "window": "8:00 - 22:00", "activities": []}
            for d in range(days - 1)
        ]
        + [
            {
                "date": date(days - 1),
                "venue": "hall",
                "window": "8:00 - 22:00",
                "activities": activities,
            }
        ],
        "transport": [
            {
                "id": "out",
                "title": "Bus out",
                "from": "hall",
                "to": "garden",
                "depart": "9:00",
                **bus,
            },
            {
                "id": "home",
                "title": "Bus home",
                "from": "garden",
                "to": "hall",
                "depart": back,
                **bus,
            },
        ],
        "rules": [{"id": "rides", "kind": "transport"}],
    }


@pytest.mark.parametrize(
    ("back", "visit", "days", "broken"),
    [
        ("17:00", "10:00 - 16:00", 2, False),  # out, the visit, home
        ("9:30", "10:00 - 11:00", 2, True),  # home leaves before the bus out has arrived
        ("9:45", "8:00 - 8:30", 2, True),  # ... the ride order alone broken
        ("10:00", "8:00 - 8:30", 2, False),  # home leaves as the bus out arrives
        ("16:00", "10:00 - 16:30", 2, True),  # the visit ends after the bus home leaves
        ("16:00", "10:00 - 16:00", 2, False),  # ... or just as it leaves
        ("9:30", "10:00 - 11:00", 1, True),  # on the first day too: the visit is after home
        ("9:30", "8:00 - 8:30", 1, False),  # first day: the group may start away
    ],
)
def test_day_trip_boundaries_in_both_readings(
    back: str, visit: str, days: int, broken: bool
) -> None:
    problem = compile_data(_two_buses(back, visit, days=days))
    timetable = published_timetable(problem)
    report = check_problem(problem, timetable)
    assert bool(hard(report, "rides")) == broken, [f.message for f in report.findings]
    assert fixed_feasible(problem, timetable) != broken


def _ditum_with_bus_back_at(tmp_path: Path, depart: str) -> Path:
    text = (DITUM / "programme.yaml").read_text(encoding="utf-8")
    printed = '    to: school\n    depart: "19.30"\n'
    assert text.count(printed) == 1
    path = tmp_path / "programme.yaml"
    path.write_text(text.replace(printed, f'    to: school\n    depart: "{depart}"\n'), "utf-8")
    return path


def _trip_messages(path: Path) -> list[str]:
    return [f.message for f in check(load(path)).findings if f.kind == "transport"]


def test_ditum_as_printed_is_a_day_trip_that_reads_clean() -> None:
    """Wednesday's two one-way buses make a day trip from the school; as printed, the bus
    back (19.30) leaves after everything in Turku and Tuorla."""
    problem = compile_programme(load(DITUM / "programme.yaml"))
    rides = group_rides(problem)["everyone"]
    wednesday = problem.day_of_date[problem.dates[3]]
    assert day_home(problem, rides, wednesday) == "school"
    assert starts_at_home(problem, rides, "school", wednesday)
    assert _trip_messages(DITUM / "programme.yaml") == []


def test_ditum_bus_back_in_the_morning_is_flagged(tmp_path: Path) -> None:
    """The bus back from Turku put at 8:40 (where a template solve used to put it): it brings
    the group home before the bus out has taken it, and the day in Turku is after it."""
    messages = _trip_messages(_ditum_with_bus_back_at(tmp_path, "8.40"))
    assert any(
        m.startswith("'Bus leaves back to Huittinen' (Wed 10 Oct 8:40-10:00) brings the group "
                     "back to our school before 'Bus to Tuorla (Bus leaves at school)'")
        for m in messages
    ), messages  # fmt: skip
    assert any(
        m.startswith("'Discover Turku with tasks for students'")
        and "ends after 'Bus leaves back to Huittinen' leaves Turku for our school at 8:40" in m
        for m in messages
    ), messages
    assert any(m.startswith("'Teachers´ dinner at Brewery & Restaurant Koulu'") for m in messages)


def test_ditum_bus_back_before_the_teachers_dinner_in_turku_is_flagged(tmp_path: Path) -> None:
    """At 17:30 the bus is after the bus out but before the teachers' dinner in Turku (18.00;
    the day in Turku, printed with no end, is read as lasting until the bus)."""
    messages = _trip_messages(_ditum_with_bus_back_at(tmp_path, "17.30"))
    assert not any("brings the group back" in m for m in messages)
    assert any(
        m.startswith("'Teachers´ dinner at Brewery & Restaurant Koulu' (Wed 10 Oct 18:00-")
        and "ends after 'Bus leaves back to Huittinen' leaves Turku for our school at 17:30" in m
        for m in messages
    ), messages


def test_ditum_template_solves_to_a_day_out_and_back() -> None:
    """The template frees both buses' departures: the solve sends the bus out first and the
    bus back after the day in Turku, for every group, judged on the file the user gave."""
    template = load(DITUM / "template.yaml")
    result = solve(template, time_limit=30, seed=0)
    assert result.timetable is not None
    at = {p.activity: p for p in result.timetable}
    out, back = at["wed-bus-out.out"], at["wed-bus-back.out"]
    assert out.end <= at["wed-tuorla"].start
    assert at["wed-tuorla"].end <= at["wed-lunch"].start
    for away in ("wed-lunch", "wed-turku", "wed-teachers-dinner"):
        assert at[away].end <= back.start, (away, at[away], back)
    assert check(template, result.timetable).errors == []


@pytest.mark.parametrize(
    ("name", "date", "home", "venue"),
    [
        # the day's venue is the college visited; the trip goes from the hotel and back
        ("britainx_uk_2024", "2024-01-25", "london-hotel", "new-college"),
        # the bus to the Three Chimneys leaves from and returns to Plaza Catalunya; the day
        # is at CEI before it, reached on the group's own
        ("barcelona_2024", "2024-11-20", "plaza-catalunya", "cei"),
    ],
)
def test_home_is_where_the_trip_leaves_from_not_the_day_venue(
    name: str, date: str, home: str, venue: str
) -> None:
    path = EXAMPLES / name / "programme.yaml"
    problem = compile_programme(load(path))
    day = [d.isoformat() for d in problem.dates].index(date)
    assert problem.day_venues[day] == venue
    rides = next(iter(group_rides(problem).values()))
    assert day_home(problem, rides, day) == home
    messages = _trip_messages(path)
    assert not any("brings the group back" in m or "ends after" in m for m in messages), messages
