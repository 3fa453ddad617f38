"""The peer-schema converter: exact mapping, solved timetables checked three independent ways.

Small cases only (the long side-by-side benchmark is ``benchmarks/peer_compare.py``):
the peer's cs_n20.json from ../shared (skipped with a reason where it is absent) and a
generated multi-track instance. A solved timetable must check clean with our checker, pass the
benchmark's interval-overlap checker and, where conference_scheduler is installed, its validator.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks import generate_real_scaled as real_scaled
from benchmarks.generate_instances import generate
from benchmarks.generate_tracks import generate as generate_tracks
from benchmarks.overlap_check import violations
from course_scheduler import Programme, Status
from course_scheduler.checking import check_problem
from course_scheduler.compile import compile_programme
from course_scheduler.importers.peer import (
    assignment_from_timetable,
    peer_index,
    programme_from_peer,
    timetable_from_assignment,
)
from course_scheduler.solver.solve import SolveOptions, solve_problem
from tests.real_schedules import real_file
from tests.strategies import solver_settings

ROOT = Path(__file__).resolve().parents[1]
PEER_N20 = ROOT.parent / "shared" / "benchmarks" / "peer_instances" / "cs_n20.json"


def _peer_n20() -> dict[str, Any]:
    if not PEER_N20.exists():
        pytest.skip(f"the peer's instance {PEER_N20} is absent (it lives in ../shared)")
    data: dict[str, Any] = json.loads(PEER_N20.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def small() -> dict[str, Any]:
    """A generated multi-track instance: one day, four talk rooms and a workshop room."""
    return generate(30, seed=11)


def _solve(data: dict[str, Any]) -> dict[str, str]:
    programme = programme_from_peer(data)
    problem = compile_programme(programme)
    result = solve_problem(problem, options=SolveOptions(time_limit=20))
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert result.timetable is not None
    report = check_problem(problem, result.timetable)
    assert report.ok, [f.message for f in report.errors]
    return assignment_from_timetable(data, result.timetable)


def _peer_agrees(data: dict[str, Any], answer: dict[str, str]) -> None:
    pytest.importorskip("conference_scheduler", reason="conference_scheduler is not installed")
    from benchmarks.peer_runner import peer_violations

    assert peer_violations(data, answer) == []


@pytest.mark.parametrize("source", ["peer cs_n20", "generated n=30"])
def test_a_solved_instance_is_valid_for_all_three_checkers(
    source: str, small: dict[str, Any]
) -> None:
    data = _peer_n20() if source == "peer cs_n20" else small
    answer = _solve(data)
    assert len(answer) == len(data["events"])
    assert violations(data, answer) == []
    _peer_agrees(data, answer)


def test_the_conversion_keeps_every_room_day_and_rule() -> None:
    data = _peer_n20()
    programme = programme_from_peer(data)
    rooms = programme.venues[0].rooms
    assert [r.name for r in rooms] == [
        "Talk Room 1",
        "Talk Room 2",
        "Talk Room 3",
        "Workshop Room 1",
    ]
    assert [str(s) for s in rooms[3].slots or []] == [
        "9:00 - 10:30",
        "11:00 - 12:30",
        "13:30 - 15:00",
        "15:30 - 17:00",
    ]
    assert rooms[0].capacity == 400
    assert [d.date.isoformat() for d in programme.days] == ["2025-09-15"]
    kinds = [rule.kind for rule in programme.rules]
    assert kinds[:2] == ["no_overlap", "no_overlap"] and kinds[-1] == "capacity"
    assert programme.rules[-1].severity == "soft"
    clashes = {tuple(r.activities) for r in programme.rules if r.kind == "clash"}  # type: ignore[union-attr]
    index = peer_index(data)
    for event in data["events"]:
        for tag in event["tags"]:
            members = [index.events[e["name"]] for e in data["events"] if tag in e["tags"]]
            if len(members) > 1:
                assert tuple(members) in clashes
    workshop = next(a for a in programme.activities if a.duration == 90)
    assert workshop.rooms == ["Workshop-Room-1"]


@pytest.mark.parametrize("compress", [True, False])
def test_barred_windows_allow_exactly_the_slots_the_peer_allows(
    compress: bool, small: dict[str, Any]
) -> None:
    for data in (small, generate(12, seed=3)):
        problem = compile_programme(programme_from_peer(data, compress=compress))
        for event in data["events"]:
            barred = set(event["slot_unavailability"])
            for slot in data["slots"]:
                timetable = timetable_from_assignment(data, {event["name"]: slot["id"]})
                report = check_problem(problem, timetable)
                placement_ok = not [f for f in report.errors if f.rule == "placement"]
                expected = slot["duration"] >= event["duration"] and slot["id"] not in barred
                assert placement_ok == expected, (event["name"], slot["id"], compress)


@st.composite
def _unavailable_lists(draw: st.DrawFn) -> dict[str, Any]:
    """A small generated instance of either shape, some slots removed (a room missing a slot on
    some date) and each event's unavailable slots redrawn: whole days, whole rooms, a few
    slots, every slot, listed twice or in any order, or none."""
    if draw(st.booleans()):
        data = generate(draw(st.integers(8, 16)), seed=draw(st.integers(0, 99)))
    else:
        data = generate_tracks(draw(st.integers(40, 44)), seed=draw(st.integers(0, 99)))
    slots = data["slots"]
    keep = draw(st.lists(st.booleans(), min_size=len(slots), max_size=len(slots)))
    data["slots"] = slots = [s for s, k in zip(slots, keep, strict=True) if k] or slots[:1]
    ids = [s["id"] for s in slots]
    days: dict[str, list[str]] = {}
    rooms: dict[str, list[str]] = {}
    for s in slots:
        days.setdefault(s["starts_at"][:10], []).append(s["id"])
        rooms.setdefault(s["venue"], []).append(s["id"])
    pieces = st.sampled_from([*days.values(), *rooms.values(), ids]) | st.lists(
        st.sampled_from(ids), max_size=6
    )
    for event in data["events"]:
        listed = [x for piece in draw(st.lists(pieces, max_size=3)) for x in piece]
        event["slot_unavailability"] = draw(st.permutations(listed)) if listed else []
    return data


@solver_settings(12)
@given(data=_unavailable_lists(), compress=st.booleans())
def test_any_unavailable_slots_allow_exactly_the_placements_the_peer_allows(
    data: dict[str, Any], compress: bool
) -> None:
    _placements_agree(data, compress)


@pytest.mark.parametrize("compress", [True, False])
def test_speakers_away_on_parts_of_many_days_keep_exactly_the_peer_s_placements(
    compress: bool,
) -> None:
    """Few rooms on many days (DebConf 23 copied by days), every event away on part of most
    days, some on a whole day or from a whole room: all days of a list are read in one pass
    (``_days``), days and rooms left out of the candidates among them, and each placement is
    still allowed exactly when the peer allows it."""
    real_file("debconf23")
    data, _ = real_scaled.plant(60, 3, "debconf23", (), True)
    rng = random.Random(5)
    by_day: dict[str, list[str]] = {}
    by_room: dict[str, list[str]] = {}
    for slot in data["slots"]:
        by_day.setdefault(slot["starts_at"][:10], []).append(slot["id"])
        by_room.setdefault(slot["venue"], []).append(slot["id"])
    assert len(by_day) >= 8
    for event in data["events"]:
        listed = [x for day in by_day.values() if rng.random() < 0.7 for x in rng.sample(day, 2)]
        if rng.random() < 0.3:
            listed += rng.choice(list(by_day.values()))
        if rng.random() < 0.3:
            listed += rng.choice(list(by_room.values()))
        rng.shuffle(listed)
        event["slot_unavailability"] = listed
    _placements_agree(data, compress)


def test_lists_alike_but_for_their_middle_are_told_apart(small: dict[str, Any]) -> None:
    """Equal lists are read once, found by their length and a few of their ids and then
    compared whole: many lists that agree on those ids (more than are compared one by one
    under one key) and equal lists given as new objects or as tuples each keep their own
    slots."""
    data = copy.deepcopy(small)
    ids = [s["id"] for s in data["slots"]]
    events = data["events"]
    for k, event in enumerate(events[:12]):
        event["duration"] = events[0]["duration"]
        event["slot_unavailability"] = [ids[0], ids[1 + k], ids[20], ids[30 - k], ids[-1]]
    for k, event in enumerate(events[12:24]):
        listed = list(events[k]["slot_unavailability"])
        event["slot_unavailability"] = tuple(listed) if k % 2 else listed
    _placements_agree(data, compress=True)


def test_each_activity_has_its_own_validated_list_of_rooms(small: dict[str, Any]) -> None:
    """The candidate rooms skip validation name by name: the programme is the one its own
    data validates to, and no two activities share a list."""
    programme = programme_from_peer(small)
    again = Programme.model_validate(programme.model_dump(by_alias=True, exclude_unset=True))
    assert again.__dict__ == programme.__dict__  # (not its private source map)
    assert [a.model_fields_set for a in again.activities] == [
        a.model_fields_set for a in programme.activities
    ]
    lists = [a.rooms for a in programme.activities]
    assert len({id(x) for x in lists}) == len(lists)
    programme.activities[0].rooms = ["no-such-room"]
    assert programme.activities[1].rooms == again.activities[1].rooms


def _placements_agree(data: dict[str, Any], compress: bool) -> None:
    """Every event put in every slot at once: the checker finds a placement error for exactly
    the events that are longer than the slot or list it as unavailable."""
    problem = compile_programme(programme_from_peer(data, compress=compress))
    index = peer_index(data)
    for slot in index.slots.values():
        timetable = timetable_from_assignment(data, dict.fromkeys(index.events, slot.id))
        report = check_problem(problem, timetable)
        refused = {a for f in report.errors if f.rule == "placement" for a in f.activities}
        expected = {
            index.events[e["name"]]
            for e in data["events"]
            if e["duration"] > slot.end - slot.start or slot.id in e["slot_unavailability"]
        }
        assert refused == expected, (slot.id, compress)


def test_compression_merges_barred_slots_into_fewer_windows(small: dict[str, Any]) -> None:
    plain = programme_from_peer(small, compress=False)
    merged = programme_from_peer(small, compress=True)
    assert sum(len(a.barred) for a in merged.activities) < sum(
        len(a.barred) for a in plain.activities
    )


def test_a_clash_is_found_by_all_three_checkers(small: dict[str, Any]) -> None:
    tagged = [e for e in small["events"] if e["tags"]]
    a = tagged[0]
    b = next(e for e in tagged[1:] if e["tags"][0] == a["tags"][0])
    at_nine = [s for s in small["slots"] if s["starts_at"].endswith("T09:00:00")]
    fits_a = [s["id"] for s in at_nine if s["duration"] >= a["duration"]]
    fits_b = [s["id"] for s in at_nine if s["duration"] >= b["duration"]]
    slot_a = fits_a[0]
    slot_b = next(x for x in fits_b if x != slot_a)
    broken = {a["name"]: slot_a, b["name"]: slot_b}  # same time, different rooms, same tag
    assert any("(tag " in text for text in violations(small, broken))
    problem = compile_programme(programme_from_peer(small))
    report = check_problem(problem, timetable_from_assignment(small, broken))
    assert any(f.kind == "clash" for f in report.errors)
    pytest.importorskip("conference_scheduler", reason="conference_scheduler is not installed")
    from benchmarks.peer_runner import peer_violations

    assert any("clashes" in text for text in peer_violations(small, broken))


def test_round_trip_between_answers_and_timetables(small: dict[str, Any]) -> None:
    answer = {e["name"]: s["id"] for e, s in zip(small["events"][:3], small["slots"], strict=False)}
    timetable = timetable_from_assignment(small, answer)
    assert assignment_from_timetable(small, timetable) == answer


def test_unusable_instances_are_refused_with_a_reason(small: dict[str, Any]) -> None:
    wrong = copy.deepcopy(small)
    wrong["events"][0]["slot_unavailability"] = ["no-such-slot"]
    with pytest.raises(ValueError, match="unknown slot"):
        programme_from_peer(wrong)
    wrong = copy.deepcopy(small)
    wrong["schema"] = "something/else"
    with pytest.raises(ValueError, match="schema"):
        programme_from_peer(wrong)
    wrong = copy.deepcopy(small)
    wrong["slots"][1]["capacity"] = wrong["slots"][0]["capacity"] + 1
    with pytest.raises(ValueError, match="different capacities"):
        programme_from_peer(wrong)


def test_the_generator_is_seeded_and_shaped_like_the_peer() -> None:
    a, b = generate(200, seed=5), generate(200, seed=5)
    assert a == b
    assert generate(200, seed=6) != a
    g = a["generator"]
    assert g["n_events"] == 200 and len(a["events"]) == 200
    assert g["durations"] == {"30": 140, "45": 40, "90": 20}
    assert len(a["slots"]) == g["n_slots"] >= 1.3 * 200
    names = {e["name"] for e in a["events"]}
    for event in a["events"]:
        assert set(event["unavailability"]) <= names
        for other in event["unavailability"]:
            partner = next(e for e in a["events"] if e["name"] == other)
            assert event["name"] in partner["unavailability"]
    big = generate(4000, seed=5)["generator"]
    assert big["n_slots"] >= 1.3 * 4000


def test_barred_windows_with_the_same_times_share_one_time_range() -> None:
    """Speakers away from slots of their own, room by room (a third of the events, 5 % of the
    slots each): every barred window of one event length and one time is one immutable
    object (669,056 windows at 10,000 events made 113 MiB of copies), and the programme is
    the one its own text reads as."""
    data = generate(150, 11)
    rng = random.Random(4)
    ids = [slot["id"] for slot in data["slots"]]
    for event in data["events"][::3]:
        event["slot_unavailability"] = sorted({*event["slot_unavailability"], *rng.sample(ids, 20)})
    programme = programme_from_peer(data)
    by_length: dict[tuple[int, Any], set[int]] = {}
    windows = 0
    for activity in programme.all_activities():
        for barred in activity.barred:
            by_length.setdefault((activity.duration, barred.time), set()).add(id(barred.time))
            windows += 1
    assert windows > 2 * len(by_length) > 0
    assert all(len(objects) == 1 for objects in by_length.values())
    # shared, and still each window's own: a planner's edit of one leaves the others
    (length, time), objects = next((key, o) for key, o in by_length.items() if key[1].start)
    holders = [b for a in programme.all_activities() if a.duration == length for b in a.barred]
    holders = [b for b in holders if b.time == time]
    assert len(holders) > 1
    holders[0].time = "6:00 - 6:30"
    assert [str(b.time) for b in holders[1:]] == [str(time)] * (len(holders) - 1)
    assert holders[0].time.start == 360 and objects == {id(holders[1].time)}
