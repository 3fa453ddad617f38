"""One reading (issue 25): an item means one thing to ``check``, ``solve``, ``what-if``,
``explain`` and the exports. One regression test (or more) per way the parts disagreed:
open ends that shrank to a minute, untimed rides that went missing and were then placed inside
dinner, blocks whose parts were stacked, parts that clashed with their own block, rides with a
departure window that ``check`` never tried, duration ranges on printed times, holes a
sub-group hid, explanations that named neither the structure nor the same set twice, and a
result far from proven that said so only as a number.

Solver calls: one worker, seed 0, time limits of a few seconds."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from course_scheduler import compile_programme, explain, solve, with_timetable
from course_scheduler.checking import check, check_problem
from course_scheduler.cli.solve import EXPLAIN_SECONDS, summary_line
from course_scheduler.exports import entries, export
from course_scheduler.loading import dump, load, loads
from course_scheduler.solver.explain import explain_problem
from course_scheduler.solver.objective import ObjectiveValue, RankValue
from course_scheduler.solver.solve import Result, Status
from course_scheduler.structure import read_open_ends
from course_scheduler.timetable import Placement, Timetable, published_timetable
from tests.conftest import ROOT
from tests.strategies import compile_data, date, fixed_feasible, make_programme

DITUM = ROOT / "examples" / "ditum_huittinen_2018" / "programme.yaml"
CSAMA = ROOT / "examples" / "csama_2023"
NO_OVERLAP = {"id": "one-thing", "kind": "no_overlap", "resource": "group"}
DAY_WINDOW = {"id": "day", "kind": "day_window"}
TRAVEL = {"id": "travel", "kind": "travel_time"}
TRANSPORT = {"id": "transport", "kind": "transport"}


def _day(
    activities: list[dict[str, Any]], rules: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    window = extra.pop("window", "8:00 - 20:00")
    day = {"date": date(0), "venue": "hall", "window": window, "activities": activities}
    venues = extra.pop("venues", [{"id": "hall", "name": "Hall", "address": "1 Main St"}])
    return {"venues": venues, "days": [day], "rules": rules, **extra}


def _solved_file_checks(result: Result) -> Any:
    """The solved file as ``solve --out`` writes it, read back from its text, checked."""
    assert result.problem is not None and result.timetable is not None
    text = dump(with_timetable(result.problem, result.timetable))
    return check(loads(text, name="solved.yaml"))


# --- open ends ------------------------------------------------------------------------------


def _dinner() -> dict[str, Any]:
    """A template (times not pinned): an evening talk, a coach to the inn, dinner printed with
    no end, and a coach back whose time the file does not give."""
    return _day(
        [
            {"id": "talk", "title": "Evening talk", "time": "17:00 - 18:00", "pinned": False},
            {
                "id": "dinner",
                "title": "Dinner at the inn",
                "time": "19:00 -",
                "kind": "dinner",
                "venue": "inn",
                "transport": "coach",
                "pinned": False,
            },
        ],
        [DAY_WINDOW, NO_OVERLAP, TRAVEL, TRANSPORT],
        window="8:00 - 23:00",
        venues=[
            {"id": "hall", "name": "Hall", "address": "1 Main St"},
            {"id": "inn", "name": "The Inn", "address": "2 High St"},
        ],
        travel=[{"between": ["hall", "inn"], "minutes": 30}],
        transport=[
            {
                "id": "coach",
                "title": "Coach to the inn",
                "date": date(0),
                "from": "hall",
                "to": "inn",
                "depart": "18:30",
                "ride_minutes": 30,
                "return": {},
            }
        ],
    )


def test_a_template_solve_never_cuts_dinner_for_the_coach_back() -> None:
    """The coach back has no time; dinner "from 19:00" is the day's last printed line, so it
    lasts until the coach back leaves, as late as the day allows (the coach arriving at 23:00):
    never a 15-minute dinner."""
    programme = make_programme(_dinner())
    result = solve(programme, time_limit=10)
    assert result.status == Status.OPTIMAL and result.timetable is not None
    dinner, back = result.timetable.get("dinner"), result.timetable.get("coach.back")
    assert dinner is not None and back is not None
    assert (dinner.start, dinner.end, back.start) == (19 * 60, 22 * 60 + 30, 22 * 60 + 30)
    assert check_problem(result.problem, result.timetable).errors == []  # type: ignore[arg-type]
    assert _solved_file_checks(result).errors == []


def test_a_timetable_that_cuts_an_open_end_below_its_reading_is_refused_in_both_readings() -> None:
    problem = compile_data(_dinner())
    dinner = problem.item("dinner")
    assert dinner.holds_reading and dinner.duration == 210  # 19:00 until 22:30
    published = published_timetable(problem)
    cut = Timetable(
        {
            **published.placements,
            "dinner": Placement(date(0), 19 * 60, 19 * 60 + 15, "dinner", "inn"),
            "coach.back": Placement(date(0), 19 * 60 + 15, 19 * 60 + 45, "coach.back", "inn"),
        }
    )
    errors = check_problem(problem, cut).errors
    assert [(f.rule, f.activities) for f in errors] == [("placement", ("dinner",))]
    assert "lasts at least 210 minutes" in errors[0].message
    assert not fixed_feasible(problem, cut)


def test_ditum_re_planned_keeps_every_open_end_and_passes_check() -> None:
    """DITUM prints starts only, and its 45-minute lunches run into what follows: every open
    end keeps the time the printed day leaves it, and the re-planned file passes check."""
    programme = load(DITUM)
    original = compile_programme(programme)
    result = solve(programme, unpin=True, time_limit=20, deterministic_time=8)
    assert result.timetable is not None and result.problem is not None
    readings = read_open_ends(result.problem, result.timetable)
    for item in original.items:
        p = result.timetable.get(item.id)
        assert p is not None
        assert p.minutes >= item.duration, (item.id, p, item.duration)
        if item.open_end:
            assert p.minutes == readings[item.id].length
    # Thursday's sports: printed from 12:00 until 18:35 after a lunch that runs to 12:15 and
    # a 10-minute way there: 370 minutes wherever it goes
    assert original.item("thu-sports").duration == 18 * 60 + 35 - (12 * 60 + 25)
    assert check_problem(result.problem, result.timetable).errors == []
    assert _solved_file_checks(result).errors == []


def test_a_day_of_open_ends_re_planned_keeps_each_reading_and_its_windows() -> None:
    """A day printed by starts only, re-planned with every time free: no open end shrinks
    below the time the printed day leaves it (the lunch stays an hour inside its window, the
    dinner keeps its evening), and the solved file, read the same way, passes check."""
    data = _day(
        [
            {"id": "coffee", "title": "Coffee", "time": "9:00 -", "kind": "coffee_break"},
            {"id": "talk", "title": "Talk", "time": "9:30 - 11:00", "kind": "talk"},
            {"id": "lunch", "title": "Lunch", "time": "12:00 -", "kind": "lunch"},
            {"id": "walk", "title": "Walk", "time": "13:00 -", "kind": "site_visit"},
            {"id": "dinner", "title": "Dinner", "time": "19:00 -", "kind": "dinner"},
        ],
        [
            DAY_WINDOW,
            NO_OVERLAP,
            {
                "id": "lunch-window",
                "kind": "time_window",
                "kinds": ["lunch"],
                "within": "12:00 - 14:00",
            },
        ],
        window="8:00 - 22:00",
    )
    problem = compile_data(data)
    printed = {i.id: i.duration for i in problem.items if i.open_end}
    assert printed == {"coffee": 30, "lunch": 60, "walk": 360, "dinner": 180}
    result = solve(make_programme(data), unpin=True, time_limit=10)
    assert result.timetable is not None
    for ident, least in printed.items():
        p = result.timetable.get(ident)
        assert p is not None and p.minutes >= least, (ident, p)
    assert check_problem(result.problem, result.timetable).errors == []  # type: ignore[arg-type]
    assert _solved_file_checks(result).errors == []


def _closing(followed: bool) -> dict[str, Any]:
    """A last day: a talk, closing remarks printed "17:00 -" that the file says take 15
    minutes, and (``followed``) a reception of the same people after them."""
    activities = [
        {"id": "talk", "title": "Talk", "time": "9:00 - 10:00", "kind": "talk"},
        {
            "id": "closing",
            "title": "Closing remarks",
            "time": "17:00 -",
            "duration": 15,
            "kind": "closing",
        },
    ]
    if followed:
        activities.append(
            {"id": "reception", "title": "Reception", "time": "18:00 - 19:00", "kind": "networking"}
        )
    return _day(activities, [DAY_WINDOW, NO_OVERLAP], window="8:00 - 23:00")


@pytest.mark.parametrize("followed", [False, True])
def test_an_open_end_with_a_duration_lasts_it_when_nothing_follows(followed: bool) -> None:
    """Nothing after it on its day: the closing remarks last the 15 minutes the file gives,
    not until 23:00, the day's end; a reception after them: until it starts, as before. The
    model accepts the timetable ``check`` reads and refuses the other reading, and a solve
    with every time free keeps the reading, in the solved file too."""
    data = _closing(followed)
    problem = compile_data(data)
    printed = published_timetable(problem)
    reading = read_open_ends(problem, printed)["closing"]
    read = 60 if followed else 15
    assert (reading.length, reading.last) == (read, not followed)
    closing = printed.get("closing")
    assert closing is not None and closing.minutes == read
    assert check_problem(problem, printed).errors == []
    assert fixed_feasible(problem, printed)
    other = 15 if followed else 6 * 60  # the other reading: to the day's end, or 15 minutes
    moved = dict(printed.placements)
    moved["closing"] = Placement(
        closing.date, closing.start, closing.start + other, "closing", "hall"
    )
    assert check_problem(problem, Timetable(moved)).errors != []
    assert not fixed_feasible(problem, Timetable(moved))
    result = solve(make_programme(data), unpin=True, time_limit=10, seed=0)
    assert result.timetable is not None and result.problem is not None
    placed = result.timetable.get("closing")
    reading = read_open_ends(result.problem, result.timetable)["closing"]
    assert placed is not None and placed.minutes == reading.length
    assert reading.last is not followed
    if not followed:
        assert placed.minutes == 15
    assert check_problem(result.problem, result.timetable).errors == []
    assert _solved_file_checks(result).errors == []


def test_csama_closing_remarks_are_the_15_minutes_the_file_gives_everywhere() -> None:
    """CSAMA 2023 prints its Friday closing remarks "17:00 -" with an assumed 15 minutes, the
    last thing of the course: ``check`` reads 15, the template script keeps 15 (no longer a
    range up to the day's end), and the template's solve places 15 minutes."""
    from scripts.make_templates import published_lengths

    path = CSAMA / "programme.yaml"
    assert published_lengths(path)["fri-closing"] == 15
    template = load(CSAMA / "template.yaml")
    closing = next(a for a in template.all_activities() if a.id == "fri-closing")
    assert closing.time is None and closing.duration_range == (15, 15)
    result = solve(template, time_limit=30, deterministic_time=5, seed=0)
    assert result.timetable is not None
    placed = result.timetable.get("fri-closing")
    assert placed is not None and placed.minutes == 15


# --- untimed rides --------------------------------------------------------------------------


def test_a_ride_with_no_time_is_listed_by_show_html_and_ics() -> None:
    problem = compile_programme(load(DITUM))
    timetable = published_timetable(problem)
    assert timetable.get("tue-bus.back") is None  # "return: {}": no time printed
    lines = [e for e in entries(problem, timetable) if e.id == "tue-bus.back"]
    assert len(lines) == 1 and lines[0].date.isoformat() == "2018-10-09"
    day = [e.id for e in entries(problem, timetable) if e.date == lines[0].date]
    assert day.index("tue-bus.back") > day.index("tue-lunch")  # after what it serves
    for fmt in ("html", "ics", "md", "csv"):
        assert "Bus to Laitila (return)" in export(problem, timetable, fmt).decode(), fmt
    from course_scheduler.exports.days import day_tables

    assert "Bus to Laitila (return)" in day_tables(problem, timetable)


# --- blocks ---------------------------------------------------------------------------------


def _sessions(parallel: bool | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {
        "id": "sessions",
        "title": "Thematic sessions",
        "time": "11:20 - 13:00",
    }
    if parallel is not None:
        block["parallel"] = parallel
    talks = [
        {"id": f"t{k}", "title": f"Talk {k}", "duration": 25, "block": "sessions", "kind": "talk"}
        for k in range(1, 5)
    ]
    return _day([block, *talks], [DAY_WINDOW, NO_OVERLAP])


def test_the_parts_of_a_block_run_one_after_another_in_listed_order() -> None:
    result = solve(make_programme(_sessions()), unpin=True, time_limit=10)
    assert result.timetable is not None
    starts = [result.timetable.get(f"t{k}").start for k in range(1, 5)]  # type: ignore[union-attr]
    ends = [result.timetable.get(f"t{k}").end for k in range(1, 5)]  # type: ignore[union-attr]
    assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))
    assert check_problem(result.problem, result.timetable).errors == []  # type: ignore[arg-type]


def test_stacked_parts_break_the_block_in_both_readings_unless_it_is_parallel() -> None:
    for parallel in (None, True):
        problem = compile_data(_sessions(parallel))
        stacked = Timetable(
            {
                "sessions": Placement(date(0), 680, 780, "sessions", "hall"),
                **{f"t{k}": Placement(date(0), 680, 705, f"t{k}", "hall") for k in range(1, 5)},
            }
        )
        errors = check_problem(problem, stacked).errors
        if parallel:
            assert errors == [] and fixed_feasible(problem, stacked)
        else:
            assert [(f.rule, f.activities) for f in errors] == [
                ("block", ("t2",)),
                ("block", ("t3",)),
                ("block", ("t4",)),
            ]
            assert "parallel: true" in errors[0].message
            assert not fixed_feasible(problem, stacked)


def test_parallel_is_refused_on_an_activity_with_no_parts() -> None:
    data = _day([{"id": "x", "title": "X", "time": "9:00 - 10:00", "parallel": True}], [])
    try:
        make_programme(data)
    except Exception as exc:  # ProgrammeError, located at the field
        assert "days[0].activities[0].parallel" in str(exc)
        assert "'parallel' is for a block" in str(exc)
    else:
        raise AssertionError("parallel on an activity without parts was accepted")


# --- blocks under other rules ---------------------------------------------------------------


def _lab_afternoon(rules: list[dict[str, Any]]) -> dict[str, Any]:
    return _day(
        [
            {
                "id": "labs",
                "title": "Lab afternoon",
                "time": "14:00 - 17:00",
                "room": "main",
                "parallel": True,
                "track": "Labs",
            },
            {
                "id": "lab-1",
                "title": "Lab 1",
                "time": "14:00 - 17:00",
                "block": "labs",
                "room": "main",
                "track": "Labs",
            },
            {"id": "lab-2", "title": "Lab 2", "time": "14:00 - 17:00", "block": "labs"},
        ],
        rules,
        venues=[
            {
                "id": "hall",
                "name": "Hall",
                "address": "1 Main St",
                "rooms": [{"id": "main", "name": "Main hall"}],
            }
        ],
    )


def test_a_part_never_clashes_with_its_own_block() -> None:
    """The lab afternoon in the main hall with one lab held there; a clash by track that the
    block and its part share; a clash naming the block and its part: the published times
    check clean, the solver finds them, and check says which rule names what it cannot mean."""
    rules = [
        {"id": "rooms", "kind": "no_overlap", "resource": "room"},
        {"id": "by-track", "kind": "clash", "tracks": ["Labs"]},
        {"id": "named", "kind": "clash", "activities": ["labs", "lab-2"]},
    ]
    programme = make_programme(_lab_afternoon(rules))
    report = check(programme)
    assert report.errors == []
    told = {(f.rule, f.activities) for f in report.warnings if f.kind == "contradiction"}
    assert told == {("by-track", ("lab-1", "labs")), ("named", ("lab-2", "labs"))}
    for unpin in (False, True):
        result = solve(programme, unpin=unpin, time_limit=10)
        assert result.status == Status.OPTIMAL, (unpin, result.status)
    problem = compile_data(_lab_afternoon(rules))
    assert fixed_feasible(problem, published_timetable(problem))


def test_a_sequence_that_can_only_contradict_a_block_is_an_error_of_check() -> None:
    rules = [{"id": "after", "kind": "sequence", "activities": ["labs", "lab-2"]}]
    report = check(make_programme(_lab_afternoon(rules)))
    told = [f for f in report.errors if f.kind == "contradiction"]
    assert [(f.rule, f.activities) for f in told] == [("after", ("lab-2", "labs"))]
    assert "can never hold" in told[0].message
    programme = make_programme(_lab_afternoon(rules))
    result = solve(programme, unpin=True, time_limit=10, published_clashes="repair")
    assert result.status == Status.INFEASIBLE
    # the file forces it: a solve that keeps such errors keeps this one, and names it as
    # check does
    kept = solve(programme, unpin=True, time_limit=10)
    assert kept.timetable is not None and kept.kept is not None
    assert {f.rule for f in kept.kept.errors} == {"after"}
    assert "contradiction" in {f.kind for f in kept.kept.errors}
    assert [f.message for f in check(programme, kept.timetable).errors] == [
        f.message for f in kept.kept.errors
    ]


# --- rides with a departure window ----------------------------------------------------------


def _windowed(window: str) -> dict[str, Any]:
    return _day(
        [
            {"id": "talk", "title": "Morning talk", "time": "9:00 - 10:00"},
            {
                "id": "lunch",
                "title": "Lunch at the farm",
                "time": "12:30 - 13:30",
                "kind": "lunch",
                "venue": "farm",
                "transport": "coach",
            },
        ],
        [NO_OVERLAP, TRAVEL, TRANSPORT],
        venues=[
            {"id": "hall", "name": "Hall", "address": "1 Main St"},
            {"id": "farm", "name": "Farm", "address": "2 Farm Rd"},
        ],
        travel=[{"between": ["hall", "farm"], "minutes": 120}],
        transport=[
            {
                "id": "coach",
                "title": "Coach to the farm",
                "date": date(0),
                "from": "hall",
                "to": "farm",
                "depart_window": window,
                "ride_minutes": 120,
                "return": {"depart": "15:00", "ride_minutes": 120},
            }
        ],
    )


def test_check_asks_whether_some_departure_in_the_window_works() -> None:
    late = make_programme(_windowed("10:45 - 11:30"))  # a 120-minute ride before 12:30
    errors = check(late).errors
    assert [(f.rule, f.activities) for f in errors] == [("transport", ("coach.out", "lunch"))]
    assert "no departure of Coach to the farm in its window (10:45-11:30)" in errors[0].message
    # the numbers of what breaks at the departure that breaks least, as the sentence goes on
    assert "'Lunch at the farm' starts at 12:30, before Coach" in errors[0].message
    assert (errors[0].limit, errors[0].actual, errors[0].unit) == (
        12 * 60 + 45,
        12 * 60 + 30,
        "time",
    )
    assert solve(late, time_limit=10).status == Status.INFEASIBLE
    fine = make_programme(_windowed("10:00 - 11:00"))
    report = check(fine)
    assert report.errors == []
    assert any("leaving at 10:00 keeps every rule" in f.message for f in report.findings)
    assert solve(fine, time_limit=10).status == Status.OPTIMAL


# --- duration ranges on printed times -------------------------------------------------------


def test_a_duration_range_on_a_printed_time_may_shrink_in_both_readings() -> None:
    data = _day(
        [
            {
                "id": "work",
                "title": "Work block",
                "time": "13:00 - 17:00",
                "duration": "60 - 240",
                "kind": "workshop",
            },
            {"id": "visit", "title": "Visitor", "time": "15:00 - 16:00", "kind": "talk"},
        ],
        [DAY_WINDOW, NO_OVERLAP],
    )
    programme = make_programme(data)
    assert [f.rule for f in check(programme).errors] == ["one-thing"]  # as printed
    result = solve(programme, time_limit=10)
    assert result.timetable is not None
    work = result.timetable.get("work")
    assert work is not None and (work.start, work.end) == (13 * 60, 15 * 60)
    assert check_problem(result.problem, result.timetable).errors == []  # type: ignore[arg-type]
    solved = _solved_file_checks(result)
    assert solved.errors == []
    written = with_timetable(result.problem, result.timetable)  # type: ignore[arg-type]
    kept = next(a for a in written.all_activities() if a.id == "work")
    assert str(kept.duration) == "60 - 240"  # the range the planner gave stays
    problem = compile_data(data)
    too_short = Timetable(
        {
            "work": Placement(date(0), 13 * 60, 13 * 60 + 30, "work", "hall"),
            "visit": Placement(date(0), 15 * 60, 16 * 60, "visit", "hall"),
        }
    )
    assert [f.rule for f in check_problem(problem, too_short).errors] == ["placement"]
    assert not fixed_feasible(problem, too_short)


# --- sub-groups ------------------------------------------------------------------------------


def test_a_sub_group_meeting_hides_no_hole_of_the_cohort() -> None:
    data = _day(
        [
            {"id": "a", "title": "Talk A", "duration": 60, "kind": "talk"},
            {
                "id": "meeting",
                "title": "Steering meeting",
                "duration": 30,
                "kind": "other",
                "groups": ["steering"],
            },
            {"id": "b", "title": "Talk B", "duration": 60, "kind": "talk"},
            {"id": "c", "title": "Talk C", "duration": 60, "kind": "talk"},
        ],
        [DAY_WINDOW, NO_OVERLAP],
        window="9:00 - 13:00",
        groups=[
            {"id": "cohort", "name": "Participants"},
            {"id": "steering", "name": "Steering group", "part_of": "cohort"},
        ],
    )
    # the listed order (which ranks above holes) would keep the meeting between the talks
    data["objective"] = {"order": 0}
    result = solve(make_programme(data), time_limit=10)
    assert result.status == Status.OPTIMAL and result.timetable is not None
    talks = sorted((result.timetable.get(x) for x in "abc"), key=lambda p: p.start)  # type: ignore[arg-type, return-value]
    assert all(p.end == q.start for p, q in itertools.pairwise(talks)), talks


# --- explanations ---------------------------------------------------------------------------


def _too_long_parts() -> dict[str, Any]:
    return _day(
        [
            {"id": "intro", "title": "Introduction", "time": "9:00 - 9:30"},
            {"id": "sessions", "title": "Thematic sessions", "time": "9:30 - 10:45"},
            {"id": "a", "title": "Talk A", "duration": 90, "block": "sessions"},
            {"id": "b", "title": "Talk B", "duration": 90, "block": "sessions"},
        ],
        [NO_OVERLAP, {"id": "rooms", "kind": "no_overlap", "resource": "room"}, TRAVEL],
    )


def test_an_explanation_names_the_structure_and_solve_and_explain_name_one_set(
    tmp_path: Any, capsys: Any
) -> None:
    """90-minute parts cannot fit their 75-minute block: the set names a part's length and
    its place inside the block (no rule at all), holds alone, and is what both commands say."""
    from course_scheduler import cli

    path = tmp_path / "sessions.yaml"
    path.write_text(dump(make_programme(_too_long_parts())), encoding="utf-8")
    why = explain(load(path))
    assert why.feasible is False and why.minimal  # type: ignore[attr-defined]
    sentences = [r.sentence for r in why.reasons]  # type: ignore[attr-defined]
    assert len(sentences) == 2
    assert any("lasts 90 minutes" in s for s in sentences)
    assert any(
        "is a part of 'Thematic sessions' (75 minutes, printed 9:30-10:45) and lies inside it" in s
        for s in sentences
    )
    assert cli.main(["solve", str(path), "--time-limit", "5"]) == 1
    solved = capsys.readouterr().out
    assert cli.main(["explain", str(path)]) == 1
    explained = capsys.readouterr().out
    reasons = [line for line in solved.splitlines() if line.startswith("  - ")]
    assert reasons == [line for line in explained.splitlines() if line.startswith("  - ")]
    assert len(reasons) == 2


def test_an_explanation_holds_alone_and_drops_to_satisfiable_without_any_member() -> None:
    """Verified the hard way: the set alone (every other rule and fact set aside) has no
    timetable, and without any one member it has one."""
    from ortools.sat.python import cp_model

    from course_scheduler.solver.build import Build
    from course_scheduler.solver.explain import _solve

    for data in (_too_long_parts(), _windowed("10:45 - 11:30")):
        problem = compile_data(data)
        why = explain_problem(problem, time_limit=EXPLAIN_SECONDS)
        assert why.feasible is False and why.minimal
        build = Build(problem, explain=True)
        named = {r.rule + (f"[{r.key}]" if r.key else "") for r in why.reasons}
        members = [
            a for a in build.assumptions if a.rule + (f"[{a.key}]" if a.key else "") in named
        ]
        assert len(members) == len(why.reasons)
        status, _ = _solve(build, members, 5.0, 0)
        assert status == cp_model.INFEASIBLE
        for dropped in members:
            status, _ = _solve(build, [m for m in members if m is not dropped], 5.0, 0)
            assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE), dropped.rule


# --- far from proven ------------------------------------------------------------------------


def test_a_result_far_from_proven_says_so_in_words() -> None:
    def result(cost: int, lowest: int | None, status: Status = Status.FEASIBLE) -> Result:
        ranks = (RankValue("skeleton", 0, 0), RankValue("shape", cost, lowest))
        value = ObjectiveValue(
            terms={"idle_minutes": cost},
            costs={"idle_minutes": cost},
            ranks=ranks,
            total=cost,
            bound=lowest,
            optimal=status == Status.OPTIMAL,
            rank_terms={"skeleton": (), "shape": ("idle_minutes",)},
        )
        return Result(status, Timetable({}), value, 60.0, 0.1)

    far = result(245, 0)
    assert far.far_from_proven
    assert "far from proven: the best possible may be much better" in summary_line(far)
    assert "the bound proves only 0 of 245" in summary_line(far)
    close = result(245, 200)
    assert not close.far_from_proven and "far from proven" not in summary_line(close)
    unknown = result(245, None)
    assert unknown.far_from_proven
    proven = result(245, 245, Status.OPTIMAL)
    assert "far from proven" not in summary_line(proven)
    # and on a real re-plan cut short: the words follow the ranks the solve reports
    real = solve(load(DITUM), unpin=True, time_limit=10, deterministic_time=0.5)
    assert real.objective is not None
    rank = real.objective.open_rank
    expected = (
        real.status != Status.OPTIMAL
        and rank is not None
        and rank.cost > 0
        and (rank.lowest is None or rank.lowest < rank.cost / 2)
    )
    assert real.far_from_proven == expected
    assert ("far from proven" in summary_line(real)) == expected
