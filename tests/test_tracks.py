"""The denser track-shaped conference instances (benchmarks/generate_tracks.py).

The generator must make what the benchmarks claim (three days, slots 13-14 % more than events,
40 % of speakers with several talks, about n/7 tracks of up to 16 events, 20-24 % of events
barred from some slots, rooms booked by half day) and be feasible by construction: its planted
timetable keeps every rule. Every timetable we solve on such instances (small sizes here)
checks clean three ways: our checker, the benchmark's overlap checker and the peer's validator.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from benchmarks.generate_tracks import generate_untagged, plant
from benchmarks.instances import from_folder, generated
from benchmarks.overlap_check import violations
from course_scheduler import Status
from course_scheduler.checking import check_problem
from course_scheduler.compile import compile_programme
from course_scheduler.importers.peer import (
    assignment_from_timetable,
    programme_from_peer,
    timetable_from_assignment,
)
from course_scheduler.solver.solve import SolveOptions, solve_problem


@pytest.mark.parametrize("size", [100, 400])
def test_the_generator_makes_the_shape_it_promises(size: int) -> None:
    data, _ = plant(size, seed=7)
    assert plant(size, seed=7)[0] == data and plant(size, seed=8)[0] != data
    events, slots = data["events"], data["slots"]
    assert len(events) == size and 1.13 * size <= len(slots) <= 1.14 * size + 1
    assert len({s["starts_at"][:10] for s in slots}) == 3
    talks = Counter(s for e in events for s in e["speakers"])
    several = sum(1 for n in talks.values() if n > 1)
    assert 0.35 <= several / len(talks) <= 0.45 and max(talks.values()) <= 3
    tracks = Counter(t for e in events for t in e["tags"])
    assert abs(len(tracks) - size / 7) <= 1 and max(tracks.values()) <= 16
    barred = sum(1 for e in events if e["slot_unavailability"])
    assert 0.20 <= barred / size <= 0.25
    booked = Counter((s["venue"], s["starts_at"][:10]) for s in slots)
    rooms = {s["venue"] for s in slots}
    assert len(booked) < 3 * len(rooms)  # some rooms are not booked on every day


@pytest.mark.parametrize("size", [60, 400])
def test_the_planted_timetable_keeps_every_rule(size: int) -> None:
    data, answer = plant(size, seed=7)
    assert violations(data, answer) == []
    problem = compile_programme(programme_from_peer(data))
    report = check_problem(problem, timetable_from_assignment(data, answer))
    assert report.errors == [], [f.message for f in report.errors[:3]]


@pytest.mark.parametrize(("size", "seed"), [(25, 20261208), (30, 0), (35, 2)])
def test_a_programme_of_one_room_is_made_and_keeps_every_rule(size: int, seed: int) -> None:
    """The smallest programmes have one room, so no event can be barred from the others
    (these sizes and seeds raised before)."""
    data, answer = plant(size, seed=seed)
    assert len({s["venue"] for s in data["slots"]}) == 1
    assert violations(data, answer) == []


def test_the_untagged_variant_only_drops_the_tags() -> None:
    data, answer = plant(100, seed=7)
    untagged = generate_untagged(100, seed=7)
    assert all(e["tags"] == [] for e in untagged["events"])
    assert [{**e, "tags": []} for e in data["events"]] == untagged["events"]
    assert untagged["slots"] == data["slots"] and violations(untagged, answer) == []


def _peer_agrees(data: dict[str, Any], answer: dict[str, str]) -> None:
    pytest.importorskip("conference_scheduler", reason="conference_scheduler is not installed")
    from benchmarks.overlap_check import clashing_pairs
    from benchmarks.peer_runner import peer_violations

    found = peer_violations(data, answer)
    # the peer's validator reads clashes by slot, not by time (benchmarks/README.md): exactly
    # the pairs that overlap when an event occupies its whole slot, nothing else
    assert len(found) == len(clashing_pairs(data, answer, slot_occupancy=True))


@pytest.mark.parametrize(("size", "seed"), [(40, 1), (100, 2), (100, 3)])
def test_every_timetable_solved_on_the_shape_checks_clean(size: int, seed: int) -> None:
    data, _ = plant(size, seed=seed)
    programme = programme_from_peer(data)
    programme.objective.soft_rules = 0  # the first timetable, as the benchmarks time it
    problem = compile_programme(programme)
    result = solve_problem(problem, options=SolveOptions(time_limit=30, seed=seed))
    assert result.status == Status.OPTIMAL and result.timetable is not None
    assert check_problem(problem, result.timetable).ok
    answer = assignment_from_timetable(data, result.timetable)
    assert len(answer) == size and violations(data, answer) == []
    _peer_agrees(data, answer)


def test_benchmark_instances_come_from_a_folder_that_exists_or_are_generated(tmp_path: Any) -> None:
    with pytest.raises(SystemExit, match="does not exist"):
        from_folder(tmp_path / "absent", None)
    instance = generated("tracks", 50, 9, tmp_path)
    assert instance.name == "tracks n=50 (seed 9)" and instance.size == 50
    assert [i.name for i in from_folder(tmp_path, None)] == [instance.path.name]
    with pytest.raises(SystemExit, match="no instance of"):
        from_folder(tmp_path, [60])
