"""What a scenario means, on programmes that say less than the Barcelona one: no
``availability`` rule, no ``modules``, a group of people (``members``).

- ``talks: keep``: the absent person's activities stay where they are, without her; one that
  nobody else gives is flagged for the planner (never "nothing has to move" with her still
  giving it).
- A session not tied to its day (no module, no block, no leg, a printed time) may move to
  another day when no same-day repair exists; when day moves are not allowed, or a session is
  tied to its day, the report says so and how to allow it.
- ``--without`` one member of a group of people: the others still give the session.
"""

from __future__ import annotations

from typing import Any

import pytest

from course_scheduler import loads
from course_scheduler.model import Programme
from course_scheduler.whatif import Scenario, Unavailable, what_if

LIMIT = 20.0

TWO_DAYS = """
course: {title: Two mornings}
venues:
  - {id: hall, name: Hall, address: 1 Main Street}
people:
  - {id: ana, name: Ana Alves}
  - {id: ben, name: Ben Brown}
  - {id: cara, name: Cara Cruz}
  - {id: instructors, name: The instructors, members: [ben, cara]}
days:
  - date: 2025-03-03
    venue: hall
    window: "9:00 - 13:00"
    activities:
      - {id: welcome, time: "9:00 - 9:30", title: Welcome, kind: welcome}
      - {id: talk-ana, time: "9:30 - 10:30", title: Models of cities, kind: talk, people: [ana]}
      - {id: coffee, time: "10:30 - 11:00", title: Coffee, kind: coffee_break}
      - {id: panel, time: "11:00 - 12:00", title: Panel, kind: talk, people: [instructors]}
  - date: 2025-03-04
    venue: hall
    window: "9:00 - 13:00"
    activities:
      - {id: welcome-2, time: "9:00 - 9:30", title: Welcome back, kind: welcome}
      - {id: talk-ben, time: "9:30 - 10:30", title: Data of cities, kind: talk, people: [ben]}
rules:
  - {id: in-the-day, kind: day_window}
  - {id: one-thing, kind: no_overlap, resource: group}
  - {id: one-place, kind: no_overlap, resource: person}
"""
AVAILABILITY = "  - {id: when-available, kind: availability}\n"


def programme(*, availability: bool = True, text: str = TWO_DAYS) -> Programme:
    return loads(text + (AVAILABILITY if availability else ""), name="two_days.yaml")


def away(person: str, **fields: Any) -> Scenario:
    return Scenario(
        name=f"{person} away", changes=[Unavailable(do="unavailable", person=person, **fields)]
    )


@pytest.mark.parametrize("availability", [False, True])
def test_talks_keep_keeps_the_talk_without_the_absent_speaker_and_flags_it(
    availability: bool,
) -> None:
    result = what_if(programme(availability=availability), away("ana", talks="keep"))
    assert result.valid and result.removed == []
    assert result.timetable is not None and result.timetable.get("talk-ana") is not None
    assert result.programme is not None
    kept = next(a for a in result.programme.all_activities() if a.id == "talk-ana")
    assert kept.people == []  # the declined person does not give the talk
    assert any("talk-ana" in text and "nobody else gives it" in text for text in result.attention)
    assert "Please check: talk-ana ('Models of cities') is kept without Ana Alves" in (
        result.summary()
    )


def test_a_speaker_away_on_her_talks_day_gets_a_repair_on_another_day() -> None:
    result = what_if(
        programme(availability=False), away("ana", dates=["2025-03-03"]), time_limit=LIMIT
    )
    assert result.status == "optimal" and result.valid
    assert result.day_changes == ["talk-ana"] and result.moved == ["talk-ana"]
    assert result.timetable is not None
    moved = result.timetable.get("talk-ana")
    assert moved is not None and moved.date.isoformat() == "2025-03-04"
    assert "Sessions may move to other days (same-day repair impossible)" in result.summary()


def test_when_day_moves_are_not_allowed_the_report_says_so_and_how_to_allow_them() -> None:
    result = what_if(
        programme(), away("ana", dates=["2025-03-03"]), time_limit=LIMIT, day_moves=False
    )
    assert result.status == "infeasible"
    assert "day moves were not allowed: day_moves=False" in result.summary()
    assert "with day_moves=None, the default, sessions may move" in result.summary()


def test_a_session_tied_to_its_day_is_named_when_no_repair_exists() -> None:
    tied = TWO_DAYS.replace(
        '      - {id: talk-ana, time: "9:30 - 10:30", title: Models of cities, kind: talk, '
        "people: [ana]}\n",
        '      - {id: talks, time: "9:30 - 10:30", title: Talks, kind: talk}\n'
        '      - {id: talk-ana, time: "9:30 - 10:30", title: Models of cities, kind: talk, '
        "people: [ana], block: talks}\n",
    )
    assert tied != TWO_DAYS
    result = what_if(programme(text=tied), away("ana", dates=["2025-03-03"]), time_limit=LIMIT)
    assert result.status == "infeasible"
    summary = result.summary()
    assert "except 2 sessions tied to their day (talks, talk-ana: a block or a part" in summary


def test_without_one_member_of_a_group_of_people_the_others_still_give_the_session() -> None:
    result = what_if(programme(), away("ben"), time_limit=LIMIT)
    assert result.status == "optimal" and result.valid
    assert result.removed == ["talk-ben"]  # his own talk: nobody else gives it
    assert result.moved == []
    assert result.timetable is not None and result.timetable.get("panel") is not None
    assert result.programme is not None
    group = next(p for p in result.programme.people if p.id == "instructors")
    assert group.members == ["cara"]
    assert "Ben Brown leaves The instructors; Cara Cruz still takes part" in result.summary()


def test_without_every_member_the_group_session_goes_too() -> None:
    result = what_if(
        programme(),
        Scenario(
            name="both away",
            changes=[
                Unavailable(do="unavailable", person="ben"),
                Unavailable(do="unavailable", person="cara"),
            ],
        ),
        time_limit=LIMIT,
    )
    assert result.valid
    assert sorted(result.removed) == ["panel", "talk-ben"]


def test_a_substitute_for_a_member_takes_her_place_in_the_group() -> None:
    result = what_if(programme(), away("ben", talks="substitute", substitute="ana"))
    assert result.valid and result.removed == []
    assert result.programme is not None
    group = next(p for p in result.programme.people if p.id == "instructors")
    assert group.members == ["ana", "cara"]
