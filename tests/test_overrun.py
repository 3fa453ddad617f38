"""Adding up the minutes of activities kept apart (solver/overrun.py) against a plain reading
of what it must do, and against the model.

- what it finds is a set of activities kept apart by one hard rule whose lengths add up to
  more than the minutes, counted one by one, that any of them may occupy; and when a whole
  group overruns so, it finds one;
- where it finds one, CP-SAT on the model alone (no construction, no count) finds no
  timetable either; ``solve`` and ``explain`` give the same sentence, naming the rule;
- a clash rule, a speaker and a group, each with more to do than time to do it in, are
  said in words; with one talk fewer, a timetable is found.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from course_scheduler.compile import Problem
from course_scheduler.solver import search
from course_scheduler.solver.build import DAY, Build
from course_scheduler.solver.explain import explain_problem
from course_scheduler.solver.overrun import Overrun, overrun, sentence
from course_scheduler.solver.solve import SolveOptions, Status, solve_problem
from course_scheduler.whatif import CloseRoom, Scenario, what_if
from tests.strategies import solver_settings
from tests.test_pooled_rooms import DATES, GRIDS, _problem
from tests.test_shortage import one_morning

HALF_HOURS = [
    f"{9 + k // 2}:{(k % 2) * 30:02d} - {9 + (k + 1) // 2}:{(k + 1) % 2 * 30:02d}" for k in range(6)
]
"""Six half-hour slots, 9:00 to 12:00."""


@st.composite
def kept_apart(draw: Any) -> dict[str, Any]:
    """Two or three gridded rooms over one or two days, talks that may use some of them (a
    few barred at times), one clash rule over many of them and speakers shared: groups kept
    apart that often need about as much time as their slots give."""
    days = draw(st.integers(1, 2))
    rooms = [
        {"id": f"r{k}", "name": f"Room {k}", "slots": GRIDS[draw(st.sampled_from(sorted(GRIDS)))]}
        for k in range(draw(st.integers(2, 3)))
    ]
    ids = [r["id"] for r in rooms]
    people = ["p0", "p1"]
    talks = []
    for k in range(draw(st.integers(3, 12))):
        talk: dict[str, Any] = {
            "id": f"a{k}",
            "title": f"Talk {k}",
            "kind": "talk",
            "duration": draw(st.sampled_from([30, 45, 90])),
            "rooms": draw(st.lists(st.sampled_from(ids), min_size=1, unique=True)),
        }
        if draw(st.integers(0, 3)) == 0:
            talk["barred"] = [
                {"date": DATES[draw(st.integers(0, days - 1))], "time": "9:00 - 10:30"}
            ]
        speakers = draw(st.lists(st.sampled_from(people), max_size=1))
        if speakers:
            talk["people"] = speakers
        talks.append(talk)
    topic = draw(st.lists(st.sampled_from([t["id"] for t in talks]), min_size=2, unique=True))
    return {
        "course": {"title": "Kept apart"},
        "venues": [{"id": "hall", "name": "Hall", "rooms": rooms}],
        "people": [{"id": p, "name": p.upper()} for p in people],
        "days": [{"date": d, "venue": "hall", "window": "8:00 - 18:00"} for d in DATES[:days]],
        "activities": talks,
        "rules": [
            {"id": "rooms", "kind": "no_overlap", "resource": "room"},
            {"id": "speakers", "kind": "no_overlap", "resource": "person"},
            {"id": "topic", "kind": "clash", "activities": topic},
        ],
        "objective": {"day_end": 0, "idle_minutes": 0},
    }


def _minutes(build: Build, members: list[int]) -> tuple[int, int]:
    """The lengths of ``members`` added up, and the minutes any of them may occupy, counted
    one by one from each of its cells."""
    options = build.pooled_options
    needed = sum(options[i].item.duration for i in members)
    occupied: set[int] = set()
    for index in members:
        length = options[index].item.duration
        for cell, _ in options[index].cells:
            start = cell.day * DAY + cell.start
            occupied.update(range(start, start + length))
    return needed, len(occupied)


def _groups(build: Build) -> list[tuple[list[int], str, str | None]]:
    return [(g, *build.apart_reasons[k]) for k, g in enumerate(build.apart_groups)]


@solver_settings(150)
@given(kept_apart())
def test_an_overrun_is_a_group_needing_more_minutes_than_it_may_occupy(
    data: dict[str, Any],
) -> None:
    build = Build(_problem(data))
    if build.pooled is None:
        return
    groups = _groups(build)
    found = overrun(build.pooled_options, groups)
    if found is not None:
        group = next(g for g, rule, key in groups if (rule, key) == (found.rule, found.key))
        assert set(found.activities) <= set(group)
        needed, occupied = _minutes(build, list(found.activities))
        assert (found.needed, found.available) == (needed, occupied)
        assert needed > occupied
    for members, _, _ in groups:  # an activity with no cell at all is not counted
        options = build.pooled_options
        present = [i for i in members if i in options and options[i].cells]
        if len(present) > 1:
            needed, occupied = _minutes(build, present)
            if needed > occupied:
                assert found is not None


@solver_settings(60)
@given(kept_apart())
def test_an_overrun_agrees_with_the_model(data: dict[str, Any]) -> None:
    counted = solve_problem(_problem(data), options=SolveOptions(time_limit=10, seed=0))
    alone = SolveOptions(time_limit=10, seed=0, tactics=search.Tactics(construct=False))
    searched = solve_problem(_problem(data), options=alone)
    assert searched.status in (Status.OPTIMAL, Status.FEASIBLE, Status.INFEASIBLE)
    if counted.explanation is not None:
        assert counted.status == Status.INFEASIBLE
        assert searched.status == Status.INFEASIBLE
        said = counted.explanation.reasons[0].sentence
        if "too long" in said:  # explain adds up minutes as solve does: the same reason
            reasons = explain_problem(_problem(data), time_limit=10).reasons
            assert [r.sentence for r in reasons] == [said]
    if searched.timetable is not None:
        assert counted.status != Status.INFEASIBLE


def _half_day(talks: int, rule: dict[str, Any], speaker: str | None = None) -> Problem:
    """``talks`` half-hour talks in three rooms of six half-hour slots, kept apart by
    ``rule``."""
    rooms = [{"id": f"r{k}", "name": f"Room {k}", "slots": HALF_HOURS} for k in range(3)]
    activities = [
        {
            "id": f"t{k}",
            "title": f"Talk {k}",
            "kind": "talk",
            "duration": 30,
            "rooms": [r["id"] for r in rooms],
            **({"people": [speaker]} if speaker else {}),
            **({"groups": ["juniors"]} if rule.get("resource") == "group" else {}),
        }
        for k in range(talks)
    ]
    return _problem(
        {
            "course": {"title": "Half a day"},
            "venues": [{"id": "hall", "name": "Hall", "rooms": rooms}],
            "people": [{"id": "ada", "name": "Ada Lovelace"}],
            "groups": [{"id": "juniors", "name": "the juniors", "size": 20}],
            "days": [{"date": DATES[0], "venue": "hall", "window": "8:00 - 18:00"}],
            "activities": activities,
            "rules": [{"id": "rooms", "kind": "no_overlap", "resource": "room"}, rule],
        }
    )


def test_a_clash_rule_over_more_talks_than_its_time_holds_is_said_in_minutes() -> None:
    clash = {"id": "topic", "kind": "clash", "activities": [f"t{k}" for k in range(7)]}
    result = solve_problem(_half_day(9, clash), options=SolveOptions(time_limit=10, seed=0))
    assert result.status == Status.INFEASIBLE and result.explanation is not None
    [reason] = result.explanation.reasons
    assert reason.rule == "topic"
    assert reason.sentence.startswith(
        "7 activities that may never run at once last 3 hours 30 min between them, but the "
        "times any of them may take (a start of its slots, for its length) add up to 3 hours "
        "on Mon 15 Sep 2025: 30 minutes too long (such as 'Talk 0'"
    )
    assert reason.sentence.endswith("[topic]")
    explained = explain_problem(_half_day(9, clash), time_limit=10)
    assert [r.sentence for r in explained.reasons] == [reason.sentence]
    alone = SolveOptions(time_limit=10, seed=0, tactics=search.Tactics(construct=False))
    assert solve_problem(_half_day(9, clash), options=alone).status == Status.INFEASIBLE
    clash["activities"] = [f"t{k}" for k in range(6)]
    fits = solve_problem(_half_day(9, clash), options=SolveOptions(time_limit=10, seed=0))
    assert fits.status == Status.OPTIMAL and fits.explanation is None


def test_a_speaker_with_more_talks_than_hours_is_named() -> None:
    rule = {"id": "speakers", "kind": "no_overlap", "resource": "person"}
    result = solve_problem(_half_day(7, rule, "ada"), options=SolveOptions(time_limit=10))
    assert result.status == Status.INFEASIBLE and result.explanation is not None
    [reason] = result.explanation.reasons
    assert (reason.rule, reason.key) == ("speakers", "ada")
    assert reason.sentence.startswith(
        "7 activities of Ada Lovelace, who takes part in one at a time, last 3 hours 30 min"
    )
    fits = solve_problem(_half_day(6, rule, "ada"), options=SolveOptions(time_limit=10))
    assert fits.status == Status.OPTIMAL


def test_a_group_with_more_sessions_than_hours_is_named() -> None:
    rule = {"id": "groups", "kind": "no_overlap", "resource": "group"}
    result = solve_problem(_half_day(7, rule), options=SolveOptions(time_limit=10))
    assert result.status == Status.INFEASIBLE and result.explanation is not None
    [reason] = result.explanation.reasons
    assert (reason.rule, reason.key) == ("groups", "juniors")
    assert "7 activities of the juniors, who attend one at a time, last" in reason.sentence


def test_days_in_a_row_are_said_as_one_run() -> None:
    dates = ["2025-09-15", "2025-09-16", "2025-09-17", "2025-09-19"]
    talks = [
        {"id": f"t{k}", "title": f"Talk {k}", "kind": "talk", "duration": 30} for k in range(2)
    ]
    problem = _problem(
        {
            "course": {"title": "Four days"},
            "venues": [{"id": "hall", "name": "Hall"}],
            "days": [{"date": d, "venue": "hall", "window": "9:00 - 17:00"} for d in dates],
            "activities": talks,
            "rules": [{"id": "topic", "kind": "clash", "activities": ["t0", "t1"]}],
        }
    )
    found = Overrun((0, 1), "topic", None, 60, 30, (0, 1, 2, 3))
    said = sentence(problem, found)
    assert "add up to 30 minutes on Mon 15 Sep 2025 to Wed 17 Sep 2025 and Fri 19 Sep 2025:" in said
    assert said.startswith("2 activities that may never run at once last 1 hour between them")


def test_a_what_if_that_leaves_a_speaker_too_little_time_says_so() -> None:
    """Every room closes at 10:30: Ada's five half-hour talks keep rooms enough (nine places
    for nine talks) but only an hour and a half of time. The what-if names her, and CP-SAT's
    own search for the rules (no counting) finds no repair either."""
    talks = [
        {
            "id": f"ada-{k}",
            "title": f"Ada {k}",
            "kind": "talk",
            "time": HALF_HOURS[k],
            "room": "room-a",
            "people": ["ada"],
        }
        for k in range(5)
    ]
    talks += [
        {
            "id": f"b-{k}",
            "title": f"B {k}",
            "kind": "talk",
            "time": HALF_HOURS[k],
            "room": "room-b",
            "people": [f"s{k}"],
        }
        for k in range(4)
    ]
    names = ("room-a", "room-b", "room-c")
    rooms = [{"id": r, "name": r, "slots": HALF_HOURS} for r in names]
    people = [{"id": "ada", "name": "Ada Lovelace"}]
    people += [{"id": f"s{k}", "name": f"S{k}"} for k in range(4)]
    programme = one_morning(rooms, talks, people)
    changes = [
        CloseRoom(
            do="close_room",
            room=room,
            date="2027-02-05",
            time="10:30 - 12:00",
            instead=[r for r in names if r != room],
        )
        for room in names
    ]
    outcome = what_if(programme, Scenario(name="Closed at 10:30", changes=changes), time_limit=20)
    assert outcome.status == "infeasible"
    [reason] = outcome.reasons
    assert reason.startswith(
        "5 activities of Ada Lovelace, who takes part in one at a time, last 2 hours 30 min "
        "between them, but the times any of them may take (a start of its slots, for its "
        "length) add up to 1 hour 30 min on Fri 5 Feb 2027: 1 hour too long"
    )
    searched = explain_problem(
        outcome.problem, time_limit=10, unpinned=outcome.may_move, count=False
    )
    assert searched.feasible is False
