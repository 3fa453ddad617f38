"""What-if on a conference: a room closed for a day, a speaker away, on small made-up
programmes shaped like an imported schedule (one venue, rooms, fixed times, tracks, the
import's three rules). The real schedules are in ``test_conference_whatif_real.py``.

What is pinned: ``close_room`` gives the room's events a choice of rooms (``instead``, or its
tracks' rooms) and keeps the parts of an event split at midnight together; a local repair
moves only what the scenario displaces, keeps lengths and days, prefers the published room
and the track's rooms, keeps the published schedule's own clashes as they are and never one
the scenario causes, and is verified against the scenario's rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from course_scheduler import ProgrammeError
from course_scheduler.clock import TimeRange
from course_scheduler.compile import compile_programme
from course_scheduler.model import CONFERENCE_OBJECTIVE, Programme
from course_scheduler.timetable import Placement, Timetable, published_timetable
from course_scheduler.whatif import CloseRoom, Scenario, Unavailable, apply, what_if
from course_scheduler.whatif.local import night, room_hours, with_room_hours
from tests.strategies import make_programme

D0, D1 = dt.date(2024, 12, 27), dt.date(2024, 12, 28)
LIMIT = 10.0
RULES = [
    {"id": "day-window", "kind": "day_window"},
    {"id": "one-place-per-person", "kind": "no_overlap", "resource": "person"},
    {"id": "one-event-per-room", "kind": "no_overlap", "resource": "room"},
]
ROOMS = [
    {"id": "hall-a", "name": "Hall A"},
    {"id": "hall-b", "name": "Hall B"},
    {"id": "hall-c", "name": "Hall C"},
    {"id": "workshop", "name": "Workshop Room"},
]


def talk(ident: str, time: str, room: str, people: list[str], track: str | None = None) -> Any:
    activity = {"id": ident, "title": f"Talk {ident}", "kind": "talk", "time": time}
    activity.update(room=room, people=people, published={})
    if track is not None:
        activity["track"] = track
    return activity


def conference(day0: list[Any], day1: list[Any] | None = None) -> Programme:
    people = sorted({x for a in [*day0, *(day1 or [])] for x in a["people"]})
    days = [{"date": D0, "venue": "cong", "window": "0:00 - 24:00", "activities": day0}]
    if day1 is not None:
        days.append({"date": D1, "venue": "cong", "window": "0:00 - 24:00", "activities": day1})
    return make_programme(
        {
            "venues": [{"id": "cong", "name": "Congress", "rooms": ROOMS}],
            "people": [{"id": x, "name": x.title()} for x in people],
            "groups": [{"id": "attendees", "name": "Attendees"}],
            "days": days,
            "rules": RULES,
            "objective": CONFERENCE_OBJECTIVE,  # as an import writes it
        }
    )


def close(room: str, date: dt.date = D0, instead: list[str] | None = None) -> Scenario:
    change = CloseRoom(do="close_room", room=room, date=date, instead=instead or [])
    return Scenario(name=f"{room} closed", reach="local", changes=[change])


def placement(result: Any, ident: str) -> Placement:
    p = result.timetable.get(ident)
    assert p is not None
    return p


# --- close_room -------------------------------------------------------------------------------


def test_close_room_gives_its_events_the_rooms_of_their_tracks() -> None:
    programme = conference(
        [
            talk("a", "10:00 - 11:00", "hall-a", ["ann"], "Security"),
            talk("b", "10:00 - 11:00", "hall-b", ["bob"], "Security"),
            talk("c", "12:00 - 13:00", "hall-c", ["cat"], "Science"),
            talk("w", "10:00 - 12:00", "workshop", ["wes"]),
        ],
        [talk("s", "10:00 - 11:00", "hall-a", ["sue"], "Science")],
    )
    applied = apply(programme, close("hall-a"))
    by_id = {a.id: a for a in applied.programme.all_activities()}
    # hall-a holds Security and Science; those tracks also use hall-b and hall-c
    # (hall-a itself stays a choice: closed all day, it only names the closure when nothing
    # else fits)
    assert by_id["a"].room is None and by_id["a"].rooms == ["hall-a", "hall-b", "hall-c"]
    assert by_id["s"].room == "hall-a"  # another day: untouched
    assert by_id["b"].room == "hall-b" and by_id["w"].room == "workshop"
    assert "Hall A closed on Fri 27 Dec 2024: 1 activity there may use Hall B, Hall C" in (
        applied.notes
    )


def test_close_room_refuses_what_it_cannot_read() -> None:
    programme = conference([talk("w", "10:00 - 12:00", "workshop", ["wes"])])
    with pytest.raises(ProgrammeError, match="unknown room 'gym'"):
        apply(programme, close("gym"))
    with pytest.raises(ProgrammeError, match="not one of the course days"):
        apply(programme, close("workshop", dt.date(2025, 1, 1)))
    with pytest.raises(ProgrammeError, match="name the rooms its events may use with 'instead'"):
        apply(programme, close("workshop"))  # no track: nothing to go by
    with pytest.raises(ProgrammeError, match="other than the closed one, not 'workshop'"):
        apply(programme, close("workshop", instead=["workshop"]))


def test_close_room_moves_both_parts_of_an_event_split_at_midnight() -> None:
    late = {**talk("late", "23:00 - 24:00", "hall-b", ["dj"]), "title": "Night Set"}
    early = {**talk("late.2", "0:00 - 1:00", "hall-a", ["dj"]), "title": "Night Set"}
    early["room"] = "hall-b"
    programme = conference([late], [early, talk("x", "0:30 - 1:30", "hall-a", ["xen"])])
    applied = apply(programme, close("hall-b", D1, instead=["hall-a", "hall-c"]))
    by_id = {a.id: a for a in applied.programme.all_activities()}
    # the closed room stays a choice on its closed date only (where it names the closure)
    assert by_id["late"].rooms == ["hall-a", "hall-c"]
    assert by_id["late.2"].rooms == ["hall-b", "hall-a", "hall-c"]
    (rule,) = [r for r in applied.programme.rules if r.kind == "same_room"]
    assert rule.activities == ["late", "late.2"]
    result = what_if(programme, close("hall-b", D1, instead=["hall-a", "hall-c"]), time_limit=LIMIT)
    assert result.valid and result.status == "optimal"
    # hall-a is busy at 0:30 on the second day: both parts go to hall-c, at their times
    assert placement(result, "late").room == placement(result, "late.2").room == "hall-c"
    assert result.moved == []


# --- a local repair ---------------------------------------------------------------------------


def test_a_closed_room_moves_its_events_to_free_rooms_at_their_times_first() -> None:
    programme = conference(
        [
            talk("a1", "10:00 - 11:00", "hall-a", ["ann"], "Security"),
            talk("a2", "11:15 - 12:15", "hall-a", ["amy"], "Security"),
            talk("b1", "10:00 - 11:00", "hall-b", ["bob"], "Security"),
            talk("b2", "12:30 - 13:30", "hall-b", ["ben"], "Security"),
            talk("c1", "11:00 - 12:00", "hall-c", ["cat"], "Science"),
            talk("w1", "9:00 - 13:30", "workshop", ["wes"]),
        ]
    )
    result = what_if(programme, close("hall-a", instead=["hall-b", "hall-c"]), time_limit=LIMIT)
    assert result.valid and result.status == "optimal"
    # a2 fits hall-b at its own time; a1 finds no free room at 10:00 (b1 in hall-b, c1 in
    # hall-c from 11:00 only... hall-c is free at 10:00): both keep their times
    assert result.moved == []
    assert placement(result, "a2").room == "hall-b"  # its track's room, not hall-c
    assert placement(result, "a1").room == "hall-c"
    assert result.room_changes == ["a1", "a2"]
    assert "Only the 2 activities the scenario displaces may move" in result.summary()


def test_an_event_moves_in_time_only_when_no_room_is_free_and_stays_in_its_rooms_hours() -> None:
    programme = conference(
        [
            talk("a1", "10:00 - 11:00", "hall-a", ["ann"], "Security"),
            talk("a2", "11:00 - 12:00", "hall-a", ["amy"], "Security"),
            talk("a3", "14:00 - 15:00", "hall-a", ["abe"], "Security"),
            talk("b1", "10:00 - 12:00", "hall-b", ["bob"], "Security"),
            talk("b2", "19:00 - 20:00", "hall-b", ["ben"], "Security"),
        ]
    )
    result = what_if(programme, close("hall-a", instead=["hall-b"]), time_limit=LIMIT)
    assert result.valid and result.status == "optimal" and result.freedom is not None
    # hall-b is busy 10:00-12:00: a1 and a2 move, within hall-a's hours (10:00-15:00, not to
    # the free evening of hall-b), so to 12:00 and 13:00; a3 keeps its time
    assert result.moved == ["a1", "a2"] and result.minutes == 240
    assert {placement(result, x).start for x in ("a1", "a2")} == {12 * 60, 13 * 60}
    assert placement(result, "a3") == Placement(D0, 14 * 60, 15 * 60, "a3", "cong", "hall-b")
    for shift in result.shifts:  # lengths and days kept
        assert shift.new.minutes == shift.old.minutes and shift.new.date == shift.old.date
    for ident in ("b1", "b2"):  # not displaced: where they were
        assert placement(result, ident) == published_timetable(result.reference).get(ident)


def test_the_published_clashes_are_kept_but_not_one_the_scenario_causes() -> None:
    programme = conference(
        [
            # Ann is listed in two rooms at once in the published schedule
            talk("a", "10:00 - 11:00", "hall-a", ["ann"], "Security"),
            talk("b", "10:00 - 11:00", "hall-b", ["ann"], "Security"),
            talk("c", "12:00 - 13:00", "hall-c", ["cat"], "Security"),
            talk("d", "12:00 - 13:00", "hall-a", ["dan"], "Security"),
        ]
    )
    # Cat cannot come and Dan gives her talk: Dan would be in two rooms at 12:00
    scenario = Scenario(
        name="cat away",
        reach="local",
        changes=[Unavailable(do="unavailable", person="cat", talks="substitute", substitute="dan")],
    )
    result = what_if(programme, scenario, time_limit=LIMIT)
    assert result.valid and result.status == "optimal"
    assert result.baseline_errors == 1 and result.kept_clashes == 1
    assert len(result.moved) == 1 and set(result.moved) <= {"c", "d"}
    assert "keeps 1 clash of the published timetable as published, and adds none" in (
        result.summary()
    )
    # repairing the published clash too moves a or b as well
    repaired = what_if(programme, scenario, time_limit=LIMIT, published_clashes="repair")
    assert repaired.valid and repaired.kept_clashes == 0
    assert len(repaired.moved) == 2


def test_a_speaker_away_for_part_of_a_day_gets_an_availability_rule() -> None:
    programme = conference(
        [
            talk("a", "10:00 - 11:00", "hall-a", ["ann"], "Security"),
            talk("b", "11:00 - 12:00", "hall-a", ["bob"], "Security"),
            talk("c", "13:00 - 14:00", "hall-a", ["cat"], "Security"),
        ]
    )
    window = {"date": D0, "time": TimeRange(0, 12 * 60)}
    change = Unavailable.model_validate({"do": "unavailable", "person": "ann", "windows": [window]})
    result = what_if(programme, Scenario(reach="local", changes=[change]), time_limit=LIMIT)
    assert result.valid and result.status == "optimal"
    assert result.moved == ["a"]
    assert placement(result, "a") == Placement(D0, 12 * 60, 13 * 60, "a", "cong", "hall-a")
    assert any("no availability rule; one is added" in n for n in result.notes)


def test_neighbours_move_only_when_the_displaced_alone_cannot() -> None:
    programme = conference(
        [
            talk("a0", "9:00 - 10:00", "hall-a", ["ann"], "Security"),
            talk("a1", "10:00 - 11:00", "hall-a", ["amy"], "Security"),
            talk("a2", "14:00 - 15:00", "hall-a", ["abe"], "Security"),
            talk("b0", "9:00 - 12:00", "hall-b", ["bob"], "Security"),
            talk("b1", "13:00 - 15:00", "hall-b", ["ben"], "Security"),
            talk("late", "20:00 - 21:00", "hall-b", ["lou"], "Security"),
        ]
    )
    # hall-b is free only 12:00-13:00 within hall-a's hours (9:00-15:00): three hours of
    # hall-a cannot fit, so hall-b's own talks make room (within hall-b's hours, 9:00-21:00)
    result = what_if(programme, close("hall-a", instead=["hall-b"]), time_limit=LIMIT)
    assert result.valid and result.status == "optimal"
    assert result.freedom is not None and "3 neighbours" in result.freedom
    assert result.moved == ["b0", "b1"]
    for ident in ("a0", "a1", "a2"):
        assert placement(result, ident).room == "hall-b"


def test_a_scenario_that_displaces_nothing_moves_nothing() -> None:
    programme = conference([talk("a", "10:00 - 11:00", "hall-a", ["ann"], "Security")])
    window = {"date": D0, "time": TimeRange(14 * 60, 15 * 60)}
    change = Unavailable.model_validate({"do": "unavailable", "person": "ann", "windows": [window]})
    result = what_if(programme, Scenario(reach="local", changes=[change]), time_limit=LIMIT)
    assert result.valid and result.moved == [] and result.room_changes == []
    assert "The scenario displaces no activity: everything keeps its place." in result.summary()


# --- room hours -------------------------------------------------------------------------------


def test_the_night_is_the_quietest_time_of_day() -> None:
    placements = [
        Placement(D0, 10 * 60, 12 * 60, "a", None, "r"),
        Placement(D1, 1 * 60, 2 * 60, "b", None, "r"),  # after midnight: the night before
        Placement(D1, 11 * 60, 23 * 60, "c", None, "r"),
    ]
    timetable = Timetable({p.activity: p for p in placements})
    assert night(timetable) == 2 * 60  # the longest quiet stretch is 2:00-10:00
    hours = room_hours(timetable, [D0, D1])
    assert hours[("r", 0)] == (10 * 60, 26 * 60)  # until 2:00 the next morning
    assert hours[("r", 1)] == (11 * 60, 23 * 60)
    assert night(Timetable({})) == 0


def test_room_hours_become_windows_of_the_movable_only() -> None:
    programme = conference(
        [
            talk("a", "10:00 - 11:00", "hall-a", ["ann"]),
            talk("b", "16:00 - 17:00", "hall-a", ["bob"]),
            talk("c", "9:00 - 10:00", "hall-b", ["cat"]),
        ]
    )
    reference = published_timetable(compile_programme(programme))
    windowed = with_room_hours(programme, reference, frozenset({"a", "c"}))
    by_id = {x.id: x for x in windowed.all_activities()}
    assert by_id["a"].window == TimeRange(10 * 60, 17 * 60)
    assert by_id["b"].window is None
    assert by_id["c"].window == TimeRange(9 * 60, 10 * 60)
    assert all(x.window is None for x in programme.all_activities())  # a copy
