"""What-if on real conferences (../shared/real_schedules; skipped where absent): rooms closed
for a day at DebConf 23, CCCamp 2019 and on two days of 38C3, a speaker late or replaced.

Each repair is checked here on its own terms, not through the what-if's own verification:
the repaired programme (``with_timetable``) checked with ``check`` has no error the imported
programme did not already have; every event keeps its length and day; what the scenario did
not displace stays where it was; displaced events use their candidate rooms, move in time only
when none of those is free at their published time, and leave their track's rooms only when
none of those is free; the parts of an event split at midnight stay in one room.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from course_scheduler.api import with_timetable
from course_scheduler.checking import check
from course_scheduler.cli import main
from course_scheduler.clock import TimeRange
from course_scheduler.compile import compile_programme
from course_scheduler.importers import read_schedule
from course_scheduler.importers.schedule import split_parts
from course_scheduler.loading import dump, validate
from course_scheduler.model import Programme
from course_scheduler.timetable import Placement, published_timetable
from course_scheduler.whatif import CloseRoom, Scenario, WhatIf, apply, load_scenario, what_if
from tests.conftest import ROOT
from tests.real_schedules import real_file

LIMIT = 30.0
SCENARIOS = ROOT / "examples" / "conferences" / "38c3"
SATURDAY = dt.date(2024, 12, 28)


@cache
def imported(name: str) -> Programme:
    path = real_file(name)
    kind = "frab-json" if path.suffix == ".json" else "frab-xml"
    found = read_schedule(path, kind)
    return found.programme if hasattr(found, "programme") else found[0]


@cache
def congress_weekend() -> Programme:
    """38C3's Saturday and Sunday in the rooms the Saal 1 scenario uses: about 200 events."""
    scenario = load_scenario(SCENARIOS / "saal1_closed_saturday.yaml")
    (change,) = scenario.changes
    assert isinstance(change, CloseRoom)
    rooms = {change.room, *change.instead}
    data = imported("38c3").model_dump(mode="json", by_alias=True, exclude_none=True)
    days = [d for d in data["days"] if d["date"] in ("2024-12-28", "2024-12-29")]
    for day in days:
        day["activities"] = [a for a in day["activities"] if a["room"] in rooms]
    used = {x for day in days for a in day["activities"] for x in a.get("people", [])}
    data["days"] = days
    data["people"] = [p for p in data["people"] if p["id"] in used]
    from course_scheduler.errors import SourceMap

    return validate(data, SourceMap(file="38c3-weekend.yaml"))


def close(
    room: str, date: str, instead: list[str] | None = None, time: str | None = None
) -> Scenario:
    change = CloseRoom(
        do="close_room",
        room=room,
        date=dt.date.fromisoformat(date),
        instead=instead or [],
        time=TimeRange.parse(time) if time else None,
    )
    return Scenario(name=f"{room} closed", reach="local", changes=[change])


def errors(programme: Programme) -> Counter[tuple[str, tuple[str, ...], str]]:
    return Counter(
        (f.rule, tuple(sorted(f.activities)), f.message) for f in check(programme).errors
    )


def assert_sound(programme: Programme, scenario: Scenario, result: WhatIf) -> None:
    assert result.valid and result.status == "optimal", result.summary()
    assert result.timetable is not None and result.programme is not None
    # checked as a file: nothing the published schedule did not already break
    repaired = with_timetable(compile_programme(result.programme), result.timetable)
    assert errors(repaired) - errors(programme) == Counter()
    reference = published_timetable(compile_programme(programme))
    applied = apply(programme, scenario)
    after = {a.id: a for a in applied.programme.all_activities()}
    changed = set()
    for ident, old in reference.placements.items():
        new = result.timetable.get(ident)
        if new is None:
            assert ident in result.removed
            continue
        assert (new.date, new.minutes) == (old.date, old.minutes), ident  # day and length
        if after[ident].rooms:  # displaced by a closed room: one of its candidates
            assert new.room in after[ident].rooms, ident
        if (new.start, new.room) != (old.start, old.room):
            changed.add(ident)
    assert changed <= result.may_move  # the rest stays exactly where it was
    placements = list(result.timetable)
    shut = {
        (room.id, c.date): c.time
        for venue in applied.programme.venues
        for room in venue.rooms
        for c in room.closed or []
    }
    for ident in sorted(changed):
        old, new = reference.placements[ident], result.timetable.placements[ident]
        activity = after[ident]
        candidates = [
            room
            for room in activity.rooms or ([old.room] if old.room else [])
            if not (
                (window := shut.get((room, old.date))) is not None
                and window.start < old.end
                and old.start < window.end
            )
        ]  # a room closed at the event's own time was never free
        if activity.rooms and new.start != old.start:
            # moved in time out of a closed room: no candidate was free at its own time
            at_home = Placement(old.date, old.start, old.end, ident, old.venue, None)
            assert not any(_free(room, at_home, placements) for room in candidates), ident
        track_rooms = {
            reference.placements[a.id].room
            for a in programme.all_activities()
            if activity.track is not None and a.track == activity.track
        }
        if activity.track is not None and new.room not in track_rooms:
            assert not any(
                _free(room, new, placements) for room in candidates if room in track_rooms
            ), ident
    for parts in split_parts(programme):
        rooms = {
            result.timetable.placements[p].room for p in parts if p in result.timetable.placements
        }
        assert len(rooms) <= 1, parts


def _free(room: str, at: Placement, placements: list[Placement]) -> bool:
    """Nothing else in ``room`` overlaps ``at``."""
    return not any(
        p.room == room
        and p.activity != at.activity
        and p.date == at.date
        and p.start < at.end
        and at.start < p.end
        for p in placements
    )


# --- DebConf 23 and CCCamp 2019 ---------------------------------------------------------------


def test_debconf_kuthiran_closed_its_talks_change_room_and_keep_their_times() -> None:
    programme = imported("debconf23")
    scenario = close("kuthiran", "2023-09-12")
    result = what_if(programme, scenario, time_limit=LIMIT)
    assert_sound(programme, scenario, result)
    assert result.moved == [] and len(result.room_changes) == 6
    assert "6 activities change room" in result.summary()


def test_debconf_anamudi_closed_all_day_has_no_repair_outside_lunch_and_says_so() -> None:
    """Kuthiran and Ponmudi have room for Anamudi's six talks only over lunch (12:30-15:30 at
    DebConf 23): talks never move into the conference's meals, so no repair exists, and the
    explanation names the closure."""
    programme = imported("debconf23")
    scenario = close("anamudi", "2023-09-15", ["kuthiran", "ponmudi"])
    result = what_if(programme, scenario, time_limit=LIMIT)
    assert result.status == "infeasible" and result.timetable is None
    assert "Anamudi is closed on Fri 15 Sep 2023" in result.reasons
    assert any("stay out of the conference's meals" in n for n in result.notes)


def test_debconf_anamudi_closed_for_the_morning_its_talks_move_out_of_lunch() -> None:
    programme = imported("debconf23")
    scenario = close("anamudi", "2023-09-15", ["kuthiran", "ponmudi"], "9:00 - 13:00")
    result = what_if(programme, scenario, time_limit=LIMIT)
    assert_sound(programme, scenario, result)
    assert result.timetable is not None
    assert result.freedom is not None and result.freedom.startswith("Only the 2 activities")
    friday = next(d for d in programme.days if d.date == dt.date(2023, 9, 15))
    lunch = result.timetable.placements[next(a.id for a in friday.activities if a.kind == "lunch")]
    for ident in result.moved:
        moved = result.timetable.placements[ident]
        assert not (
            moved.date == lunch.date and moved.start < lunch.end and lunch.start < moved.end
        )
        assert not (moved.room == "anamudi" and moved.start < 13 * 60)


def test_cccamp_meitner_closed_curie_makes_room() -> None:
    """Two rooms become one on the last day: the displaced talks alone cannot fit into Curie
    within Meitner's hours, so Curie's own talks move too (the second step of a local repair)."""
    programme = imported("cccamp2019")
    scenario = close("meitner", "2019-08-25")
    result = what_if(programme, scenario, time_limit=LIMIT)
    assert_sound(programme, scenario, result)
    assert result.freedom is not None and "neighbours" in result.freedom
    assert {result.timetable.placements[x].room for x in result.room_changes} == {"curie"}


# --- 38C3 -------------------------------------------------------------------------------------


def test_38c3_saal_1_closed_on_saturday() -> None:
    programme = congress_weekend()
    scenario = load_scenario(SCENARIOS / "saal1_closed_saturday.yaml")
    result = what_if(programme, scenario, time_limit=LIMIT)
    assert_sound(programme, scenario, result)
    saal_1 = [
        a.id
        for day in programme.days
        for a in day.activities
        if a.room == "saal-1" and day.date == SATURDAY
    ]
    assert set(result.room_changes) >= set(saal_1)
    # the night's KI-Karma runs past midnight: both parts move to one room, at their times
    karma = result.timetable.placements["event-638"], result.timetable.placements["event-638.2"]
    assert karma[0].room == karma[1].room != "saal-1"
    assert "event-638" not in result.moved
    assert result.kept_clashes == result.baseline_errors > 0


def test_38c3_a_late_speaker_moves_to_the_first_free_time_in_her_room() -> None:
    programme = congress_weekend()
    scenario = load_scenario(SCENARIOS / "anne_roth_from_17.yaml")
    result = what_if(programme, scenario, time_limit=LIMIT)
    assert_sound(programme, scenario, result)
    assert result.moved == ["event-599"]
    talk = result.timetable.placements["event-599"]
    assert talk.room == "saal-1" and talk.start >= 17 * 60


def test_38c3_a_substitute_is_never_in_two_rooms() -> None:
    programme = congress_weekend()
    scenario = load_scenario(SCENARIOS / "anne_roth_cannot_come.yaml")
    result = what_if(programme, scenario, time_limit=LIMIT)
    assert_sound(programme, scenario, result)
    ours, his = (result.timetable.placements[x] for x in ("event-599", "event-460"))
    assert ours.end <= his.start or his.end <= ours.start
    assert len(result.moved) == 1


def test_the_example_scenarios_apply_to_the_whole_congress() -> None:
    programme = imported("38c3")
    for path in sorted(SCENARIOS.glob("*.yaml")):
        applied = apply(programme, load_scenario(path))
        assert applied.notes, path.name


def test_what_if_command_on_an_imported_conference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "weekend.yaml"
    source.write_text(dump(congress_weekend()), encoding="utf-8")
    out = tmp_path / "repaired.yaml"
    scenario = load_scenario(SCENARIOS / "saal1_closed_saturday.yaml")
    (change,) = scenario.changes
    assert isinstance(change, CloseRoom)
    args = ["what-if", str(source), "--close-room", "saal-1", "2024-12-28"]
    args += ["--instead", ",".join(change.instead), "--reach", "local", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "Saal 1 closed on Sat 28 Dec 2024" in printed
    assert "proven to be the least disruptive repair among those that move only these" in printed
    assert "@ 38C3, Saal GLITCH" in printed or "@ 38C3, Stage" in printed
    # the repaired file adds no error to the imported one
    assert main(["check", str(out), "--baseline", str(source)]) == 0
