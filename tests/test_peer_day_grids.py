"""A room whose slot grid changes from day to day, in the peer's schema.

Real programmes do this: a FOSDEM room holds one devroom on Saturday, on a 25-minute grid, and
another on Sunday, on a 30-minute one. The peer accepts such a file; our rooms have one grid for
every day, so the conversion makes the room as few rooms as keep each one's slots apart, each
closed on the others' days, named as the venue. The placements it allows must be exactly the
peer's, and answers must go both ways.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from benchmarks.generate_conference import generate_regridded, plant
from benchmarks.overlap_check import violations
from course_scheduler import Status
from course_scheduler.checking import check_problem
from course_scheduler.compile import compile_programme
from course_scheduler.importers.peer import (
    assignment_from_timetable,
    peer_index,
    programme_from_peer,
    timetable_from_assignment,
)
from course_scheduler.solver.solve import SolveOptions, solve_problem

DAYS = ("2027-02-06", "2027-02-07", "2027-02-08")
GRIDS = {
    "2027-02-06": (25, 4),  # a devroom on a 25-minute grid
    "2027-02-07": (30, 3),  # another on a 30-minute grid: its slots overlap the first's
    "2027-02-08": (25, 4),  # the first grid again: back in the first room
}


def _instance() -> dict[str, Any]:
    slots = []
    for day in DAYS:
        minutes, count = GRIDS[day]
        for k in range(count):
            start = dt.datetime.fromisoformat(f"{day}T10:00") + dt.timedelta(minutes=minutes * k)
            slots.append(
                {
                    "id": f"K-{day[-2:]}-{k}",
                    "venue": "K.3.201",
                    "starts_at": start.isoformat(),
                    "duration": minutes,
                    "session": f"{day} K.3.201",
                    "capacity": 80,
                }
            )
        slots.append(
            {
                "id": f"H-{day[-2:]}",
                "venue": "Hall",
                "starts_at": f"{day}T10:00:00",
                "duration": 50,
                "session": f"{day} Hall",
                "capacity": 500,
            }
        )
    events = [
        {
            "name": f"Talk {i}",
            "duration": 25,
            "demand": 40,
            "speakers": [f"Speaker {i % 6}"],
            "tags": [],
            "unavailability": [],
            "slot_unavailability": ["K-07-1"] if i == 2 else [],
        }
        for i in range(12)
    ]
    return {"schema": "peer-cs-bench/1", "events": events, "slots": slots}


def test_a_room_whose_grid_changes_by_day_becomes_one_room_per_grid() -> None:
    data = _instance()
    programme = programme_from_peer(data)
    rooms = {r.id: r for v in programme.venues for r in v.rooms}
    assert sorted(rooms) == ["Hall", "K.3.201", "K.3.201.2"]
    assert rooms["K.3.201"].name == rooms["K.3.201.2"].name == "K.3.201"
    assert [str(s) for s in rooms["K.3.201.2"].slots] == [
        "10:00 - 10:30",
        "10:30 - 11:00",
        "11:00 - 11:30",
    ]
    index = peer_index(data)
    assert {s.room for s in index.slots.values() if s.date.isoformat() == "2027-02-07"} == {
        "K.3.201.2",
        "Hall",
    }
    assert all(index.slot_at[(s.date, s.room, s.start)] == i for i, s in index.slots.items())


def test_it_allows_exactly_the_placements_the_peer_allows() -> None:
    data = _instance()
    problem = compile_programme(programme_from_peer(data))
    for event in data["events"][:3]:
        for slot in data["slots"]:
            answer = {event["name"]: slot["id"]}
            timetable = timetable_from_assignment(data, answer)
            assert assignment_from_timetable(data, timetable) == answer
            allowed = not [f for f in check_problem(problem, timetable).errors]
            expected = (
                slot["duration"] >= event["duration"]
                and slot["id"] not in event["slot_unavailability"]
            )
            assert allowed == expected, (event["name"], slot["id"])


def test_a_solve_fills_the_room_on_every_day_and_the_answer_is_valid() -> None:
    data = _instance()
    programme = programme_from_peer(data)
    programme.objective.soft_rules = 0
    problem = compile_programme(programme)
    result = solve_problem(problem, options=SolveOptions(time_limit=20, seed=0))
    assert result.status == Status.OPTIMAL and result.timetable is not None
    answer = assignment_from_timetable(data, result.timetable)
    assert len(answer) == 12 and violations(data, answer) == []
    assert len(set(answer.values())) == 12  # 11 grid slots and 3 hall slots for 12 talks


def test_slots_that_overlap_on_one_day_are_still_refused() -> None:
    data = _instance()
    data["slots"][1]["starts_at"] = "2027-02-06T10:10:00"
    with pytest.raises(ValueError, match="overlapping slots"):
        programme_from_peer(data)


def test_generated_instances_with_grids_changed_by_day_keep_their_planted_answer() -> None:
    # every slot of the second day 5 minutes later: each room's grid of that day overlaps its
    # grid of the others, and the planted answer keeps every rule (a day's times move together)
    moved, answer = generate_regridded(400, seed=11), plant(400, seed=11)[1]
    assert violations(moved, answer) == []
    second = sorted({s["starts_at"][:10] for s in moved["slots"]})[1]
    programme = programme_from_peer(moved)
    rooms = [r for v in programme.venues for r in v.rooms]
    venues = {s["venue"] for s in moved["slots"]}
    open_both = {s["venue"] for s in moved["slots"] if s["starts_at"].startswith(second)} & {
        s["venue"] for s in moved["slots"] if not s["starts_at"].startswith(second)
    }
    assert open_both and len(rooms) == len(venues) + len(open_both)
    assert {r.name for r in rooms} == venues
    problem = compile_programme(programme)
    timetable = timetable_from_assignment(moved, answer)
    assert check_problem(problem, timetable).errors == []
    assert assignment_from_timetable(moved, timetable) == answer
