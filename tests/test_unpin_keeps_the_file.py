"""`solve --unpin` of a published programme with nothing to minimise keeps what is valid.

An imported conference has no soft rule: any valid timetable is optimal. The first timetable
moves as little as it can from the file; the search after it traded that for whichever
timetable CP-SAT met first (SFSCON 2024: 4 talks moved, LSWT 2019: 1, FOSDEM 2019: a BoF from
14:00 to 9:30), though the published one breaks no rule. Compared here with the times and
rooms the file states, read from the programme the user gave.
"""

from __future__ import annotations

import pytest

from course_scheduler.api import solve
from course_scheduler.checking import check
from course_scheduler.importers import read_schedule
from course_scheduler.solver.solve import Status
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "conferences"


@pytest.mark.parametrize(
    ("name", "zone"), [("sfscon2024", "Europe/Rome"), ("lswt2019", "Europe/Berlin")]
)
def test_a_valid_published_conference_is_kept_as_it_is(name: str, zone: str) -> None:
    programme = read_schedule(FIXTURES / f"{name}.xml", timezone=zone).programme
    assert check(programme).ok  # the file breaks no rule: nothing needs to move
    result = solve(programme, unpin=True, time_limit=20, seed=0)
    assert result.status == Status.OPTIMAL and result.timetable is not None
    published = {
        a.id: (day.date, a.time.start, a.time.end, a.room)
        for day in programme.days
        for a in day.activities
        if a.time is not None
    }
    assert len(published) == len(result.timetable.placements)
    solved = {
        p.activity: (p.date, p.start, p.end, p.room) for p in result.timetable.placements.values()
    }
    assert solved == published


def test_a_re_plan_that_mends_published_clashes_moves_only_talks_in_them() -> None:
    """FOSDEM 2020 prints three clashes of one speaker's talks. Mending them moves three
    talks; every other talk keeps its printed time (the last rank: fewest moved from the
    file), where before a cancelled talk in no clash moved too."""
    programme = read_schedule(FIXTURES / "fosdem2020.xml", timezone="Europe/Brussels").programme
    report = check(programme)
    clashing = {a for f in report.findings if f.level == "error" for a in f.activities}
    assert len([f for f in report.findings if f.level == "error"]) == 3
    result = solve(programme, unpin=True, time_limit=30, seed=0)
    assert result.status == Status.OPTIMAL and result.timetable is not None
    printed = {
        a.id: (day.date, a.time.start) for day in programme.days for a in day.activities if a.time
    }
    moved = {
        p.activity
        for p in result.timetable.placements.values()
        if (p.date, p.start) != printed[p.activity]
    }
    assert moved and moved <= clashing
    assert check(programme, result.timetable).ok
