"""FOSDEM 2020 as Pentabarf published it (tests/fixtures/conferences/fosdem2020.xml): a shape
none of our real schedules has. Two days, 35 rooms that each hold another devroom (track) on
Sunday than on Saturday, 872 talks of 5 minutes to a day-long stand, mostly 15-30 minutes at
starts of each room's own, nearly every speaker with one talk. Pentabarf's XML has what frab's
and pretalx's add left out: no time zone, no ``<date>`` or guid on an event, no ``<version>``.

Every expectation is read from the file here with ElementTree, never through the importer:
each talk's day, time, room and people, and the file's own clashes, which ``check`` must report
exactly. The scaled shape (``real-fosdem2020``) is tested with the others in
``test_real_scaled_shape``; here, that it keeps the file's structure.
"""

from __future__ import annotations

import datetime as dt
import functools
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import pytest

from benchmarks import generate_real_scaled as real_scaled
from course_scheduler.checking import check
from course_scheduler.cli import main
from course_scheduler.errors import ProgrammeError
from course_scheduler.importers import Imported, read_schedule
from course_scheduler.loading import load

FOSDEM = Path(__file__).parent / "fixtures" / "conferences" / "fosdem2020.xml"
ZONE = "Europe/Brussels"


@dataclass(frozen=True)
class Talk:
    id: str
    date: dt.date
    start: int
    end: int
    room: str
    persons: tuple[tuple[str, str], ...]
    """(Pentabarf's person id, name)."""
    track: str


def _minutes(text: str) -> int:
    hours, minutes = text.strip().split(":")
    return int(hours) * 60 + int(minutes)


@functools.cache
def talks() -> tuple[Talk, ...]:
    """The file's talks: a Pentabarf event has a start and a duration under its day's date."""
    found = []
    for day in ET.parse(FOSDEM).getroot().iter("day"):
        date = dt.date.fromisoformat(day.get("date", ""))
        for room in day.iter("room"):
            for event in room.iter("event"):
                start = _minutes(event.findtext("start") or "")
                found.append(
                    Talk(
                        id=event.get("id", ""),
                        date=date,
                        start=start,
                        end=start + _minutes(event.findtext("duration") or ""),
                        room=room.get("name", ""),
                        persons=tuple(
                            (p.get("id", ""), (p.text or "").strip()) for p in event.iter("person")
                        ),
                        track=(event.findtext("track") or "").strip(),
                    )
                )
    return tuple(found)


def _clashes(keyed: dict[str, list[Talk]]) -> set[frozenset[str]]:
    return {
        frozenset((a.id, b.id))
        for listed in keyed.values()
        for a, b in combinations(listed, 2)
        if a.date == b.date and a.start < b.end and b.start < a.end
    }


@functools.cache
def imported() -> Imported:
    return read_schedule(FOSDEM, timezone=ZONE)


def test_the_fixture_is_the_whole_programme() -> None:
    found = talks()
    assert len(found) == 872
    assert len({t.room for t in found}) == 35
    assert sorted({t.date for t in found}) == [dt.date(2020, 2, 1), dt.date(2020, 2, 2)]
    tracks_by_room: dict[str, set[tuple[dt.date, str]]] = defaultdict(set)
    for t in found:
        tracks_by_room[t.room].add((t.date, t.track))
    assert sum(1 for held in tracks_by_room.values() if len(held) >= 2) >= 25


def test_every_talk_is_imported_at_its_published_day_time_room_and_people() -> None:
    programme = imported().programme
    rooms = {r.id: r.name for v in programme.venues for r in v.rooms}
    names = {p.id: p.name for p in programme.people}
    got = {
        a.id: (
            day.date,
            a.time.start,
            a.time.end,
            rooms[a.room],
            sorted(names[p] for p in a.people),
            a.track,
        )
        for day in programme.days
        for a in day.activities
        if a.time is not None and a.room is not None
    }
    expected = {
        f"event-{t.id}": (t.date, t.start, t.end, t.room, sorted(n for _, n in t.persons), t.track)
        for t in talks()
    }
    assert got == expected
    assert sorted(r.name for v in programme.venues for r in v.rooms) == sorted(
        {t.room for t in talks()}
    )
    assert {p.published.id for p in programme.people if p.published} == {
        i for t in talks() for i, _ in t.persons
    }
    assert [n.message for n in imported().notes] == [
        "the file has no <version>; exports write one of their own"
    ]


def test_a_file_without_a_time_zone_asks_for_one() -> None:
    with pytest.raises(ProgrammeError, match=r"fosdem2020\.xml:\d+: .*--timezone"):
        read_schedule(FOSDEM)


def test_check_reports_exactly_the_files_own_clashes() -> None:
    by_person: dict[str, list[Talk]] = defaultdict(list)
    by_room: dict[str, list[Talk]] = defaultdict(list)
    for t in talks():
        by_room[t.room].append(t)
        for person_id, _ in t.persons:
            by_person[person_id].append(t)
    person_clashes = {frozenset(f"event-{i}" for i in pair) for pair in _clashes(by_person)}
    assert len(person_clashes) == 3 and _clashes(by_room) == set()
    report = check(imported().programme)
    assert Counter(f.rule for f in report.errors) == {"one-place-per-person": 3}
    assert {frozenset(f.activities) for f in report.errors} == person_clashes


def test_import_then_check_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "fosdem.yaml"
    assert main(["import", str(FOSDEM), "--out", str(out)]) == 2
    assert "--timezone" in capsys.readouterr().err
    assert main(["import", str(FOSDEM), "--timezone", ZONE, "--out", str(out)]) == 0
    assert "imported 872 events as 872 activities" in capsys.readouterr().err
    assert load(out).course.timezone == ZONE
    assert main(["check", str(out)]) == 1
    assert "FAILED: 3 errors, 0 warnings" in capsys.readouterr().out


def test_the_scaled_shape_keeps_the_files_lengths_starts_and_devrooms() -> None:
    data, answer = real_scaled.plant(3000, 1, "fosdem2020")
    lengths = {t.end - t.start for t in talks()}
    starts = {f"{t.start // 60:02d}:{t.start % 60:02d}" for t in talks()}
    assert {s["duration"] for s in data["slots"]} <= lengths
    assert {s["starts_at"][11:16] for s in data["slots"]} <= starts
    assert len({s["starts_at"][14:16] for s in data["slots"]}) >= 10
    slot_of = {s["id"]: s for s in data["slots"]}
    tags_by_room_day: dict[tuple[str, str], set[str]] = defaultdict(set)
    for event in data["events"]:
        slot = slot_of[answer[event["name"]]]
        for tag in event["tags"]:
            tags_by_room_day[(slot["venue"], slot["starts_at"][:10])].add(tag.split(" #")[0])
    rooms_days: dict[str, set[frozenset[str]]] = defaultdict(set)
    for (room, _), tracks in tags_by_room_day.items():
        rooms_days[room].add(frozenset(tracks))
    assert sum(1 for held in rooms_days.values() if len(held) >= 2) >= 25


def test_next_edition_asks_who_gives_the_sessions_that_name_no_one() -> None:
    """The import's catch-all kind is labelled 'Other': the question reads 'the other sessions
    of its kind', not 'the other other sessions'. The 19 counted here are the file's events of
    that kind without a person, read with ElementTree."""
    from course_scheduler.edition import next_edition

    programme = imported().programme
    result = next_edition(programme, dt.date(2021, 2, 6))
    asked = [line for line in result.attention if "names no one" in line]
    unnamed = {f"event-{t.id}" for t in talks() if not t.persons}
    assert {line.split(" ", 1)[0] for line in asked} == unnamed
    ending = "while the other sessions of its kind ('Other') do: who gives it?"
    assert all(line.endswith(ending) for line in asked)
