"""Room slot grids and barred windows: the checker and the model read them the same way."""

from __future__ import annotations

from typing import Any

from course_scheduler import Status
from course_scheduler.checking import check_problem
from course_scheduler.compile import compile_programme
from course_scheduler.model import Closed, Programme
from course_scheduler.solver.solve import SolveOptions, solve_problem
from course_scheduler.timetable import Placement, Timetable, published_timetable

DAY = "2025-09-15"


def _programme(activities: list[dict[str, Any]]) -> Programme:
    return Programme.model_validate(
        {
            "course": {"title": "Slots"},
            "venues": [
                {
                    "id": "hall",
                    "name": "Hall",
                    "rooms": [
                        {"id": "r1", "name": "Room 1", "slots": ["9:00 - 9:30", "9:30 - 10:15"]},
                        {"id": "r2", "name": "Room 2"},
                    ],
                }
            ],
            "days": [{"date": DAY, "venue": "hall", "window": "8:00 - 18:00"}],
            "activities": activities,
            "rules": [{"id": "rooms", "kind": "no_overlap", "resource": "room"}],
        }
    )


def test_a_placement_off_the_grid_or_in_a_barred_window_is_an_error() -> None:
    problem = compile_programme(
        _programme(
            [
                {
                    "id": "t",
                    "title": "Talk",
                    "duration": 45,
                    "rooms": ["r1", "r2"],
                    "barred": [{"date": DAY, "time": "11:00 - 12:00", "room": "r2"}],
                }
            ]
        )
    )
    import datetime as dt

    day = dt.date(2025, 9, 15)
    cases = {
        (9 * 60 + 30, "r1"): [],
        (9 * 60, "r1"): ["does not fit a slot of room r1"],
        (11 * 60 + 30, "r2"): ["overlaps a barred window 11:00-12:00 in room r2"],
        (11 * 60 + 30, "r1"): ["does not fit a slot of room r1"],
        (13 * 60, "r2"): [],
    }
    for (start, room), expected in cases.items():
        timetable = Timetable({"t": Placement(day, start, start + 45, "t", "hall", room)})
        messages = [f.message for f in check_problem(problem, timetable).errors]
        assert [m.split(") ", 1)[1] for m in messages] == expected, (start, room)


def test_the_solver_keeps_to_the_grid_and_away_from_barred_windows() -> None:
    activities = [
        {
            "id": f"t{i}",
            "title": f"Talk {i}",
            "duration": 30,
            "rooms": ["r1"],
            "barred": [{"date": DAY, "time": "9:00 - 9:30"}] if i == 0 else [],
        }
        for i in range(2)
    ]
    problem = compile_programme(_programme(activities))
    result = solve_problem(problem, options=SolveOptions(time_limit=5))
    assert result.status == Status.OPTIMAL and result.timetable is not None
    starts = {k: p.start for k, p in result.timetable.placements.items()}
    assert starts == {"t0": 9 * 60 + 30, "t1": 9 * 60}
    assert check_problem(problem, result.timetable).ok
    activities.append({"id": "t2", "title": "Talk 2", "duration": 30, "rooms": ["r1"]})
    crowded = solve_problem(
        compile_programme(_programme(activities)), options=SolveOptions(time_limit=5)
    )
    assert crowded.status == Status.INFEASIBLE
    assert published_timetable(problem).placements == {}


def test_a_closed_room_is_neither_checked_clean_nor_chosen() -> None:
    """A room booked only part of the day: a placement while it is closed is an error, and
    the solver (pooled rooms and one interval per room alike) puts the talk elsewhere."""
    import datetime as dt

    programme = _programme([{"id": "t", "title": "Talk", "duration": 30, "rooms": ["r1"]}])
    programme.venues[0].rooms[0].closed = [
        Closed.model_validate({"date": DAY, "time": "9:00 - 9:30"})
    ]
    problem = compile_programme(programme)
    day = dt.date(2025, 9, 15)
    early = Timetable({"t": Placement(day, 9 * 60, 9 * 60 + 30, "t", "hall", "r1")})
    messages = [f.message for f in check_problem(problem, early).errors]
    assert [m.split(") ", 1)[1] for m in messages] == [
        "is in room r1 while it is closed (9:00-9:30)"
    ]
    for pool_rooms in (True, False):
        options = SolveOptions(time_limit=5, pool_rooms=pool_rooms)
        result = solve_problem(problem, options=options)
        assert result.timetable is not None
        assert result.timetable.placements["t"].start == 9 * 60 + 30
        assert check_problem(problem, result.timetable).ok


def test_a_next_edition_moves_a_room_closure_with_its_day() -> None:
    """Closures are dated like barred windows, so a template for next year moves them too."""
    import datetime as dt

    from course_scheduler.edition import next_edition

    programme = _programme([{"id": "t", "title": "Talk", "duration": 30, "rooms": ["r1"]}])
    programme.venues[0].rooms[0].closed = [
        Closed.model_validate({"date": DAY, "time": "9:00 - 9:30"})
    ]
    first = programme.days[0].date
    made = next_edition(programme, first + dt.timedelta(weeks=52)).programme
    (closed,) = made.venues[0].rooms[0].closed or []
    assert closed.date == first + dt.timedelta(weeks=52) and str(closed.time) == "9:00 - 9:30"
