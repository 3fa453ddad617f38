"""Alternatives a planner chooses between (``what_if(..., alternatives=N)``, CLI
``--alternatives N``): the least disruptive repair, the one that keeps every soft rule, the
day closed up; distinct, each valid, each told with its cost and written with its diff."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from course_scheduler.cli import main
from course_scheduler.loading import load
from course_scheduler.timetable import Timetable
from course_scheduler.whatif import Scenario, Unavailable, WhatIf, what_if
from course_scheduler.whatif.alternatives import cost, idle_minutes

from .conftest import CORRECTED, PUBLISHED

WEDNESDAY = dt.date(2024, 11, 20)
KHADY = Scenario(
    name="without Khady", changes=[Unavailable(do="unavailable", person="Khady Niang Sylla")]
)


@pytest.fixture(scope="module")
def three() -> list[WhatIf]:
    return what_if(load(CORRECTED), KHADY, time_limit=30, alternatives=3)


def _start(timetable: Timetable | None, ident: str) -> int:
    assert timetable is not None
    placement = timetable.get(ident)
    assert placement is not None
    return placement.start


def test_three_distinct_valid_repairs_along_the_trade_off(three: list[WhatIf]) -> None:
    assert [a.label for a in three] == [
        "fewest moves",
        "every soft rule kept",
        "the day closed up",
    ]
    assert all(a.valid and a.status == "optimal" for a in three)
    timetables = [a.timetable for a in three]
    assert all(t is not None for t in timetables)
    assert len({tuple(sorted(t.placements.items())) for t in timetables if t}) == 3
    fewest, soft, closed = three
    assert fewest.moved == [] and len(fewest.warnings) == 1  # the 75-minute hole stays
    assert soft.warnings == [] and closed.warnings == []
    assert soft.moved == closed.moved == ["d3-welcome"]
    coffee = _start(closed.timetable, "d3-coffee")
    assert _start(closed.timetable, "d3-welcome") + 15 == coffee  # right before the coffee
    holes = [idle_minutes(a.problem, a.timetable, WEDNESDAY) for a in three if a.timetable]
    assert holes[0] > holes[1] > holes[2]  # each closes more of Wednesday's hole


def test_each_says_its_cost(three: list[WhatIf]) -> None:
    assert cost(three[0]).startswith("nothing else has to move; 1 soft rule finding left")
    assert cost(three[1]) == "1 activity moves, 65 minutes in all; every soft rule holds"
    assert cost(three[2]) == "1 activity moves, 75 minutes in all; every soft rule holds"


def test_one_alternative_is_the_repair_itself() -> None:
    (only,) = what_if(load(CORRECTED), KHADY, time_limit=20, alternatives=1)
    single = what_if(load(CORRECTED), KHADY, time_limit=20)
    assert only.timetable == single.timetable and only.label == "fewest moves"


def test_the_command_prints_and_writes_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "repaired.yaml"
    code = main(
        [
            "what-if",
            str(CORRECTED),
            "--without",
            "Khady Niang Sylla",
            "--alternatives",
            "3",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "Alternative 3, the day closed up: 1 activity moves, 75 minutes in all" in printed
    written = [out, tmp_path / "repaired-2.yaml", tmp_path / "repaired-3.yaml"]
    original = CORRECTED.read_text(encoding="utf-8")
    comments = [line for line in original.splitlines() if line.lstrip().startswith("#")]
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert all(line in text.splitlines() for line in comments)
    closed = load(written[2])
    welcome = next(a for a in closed.all_activities() if a.id == "d3-welcome")
    assert str(welcome.time) == "11:00 - 11:15"
    assert '        time: "11:00 - 11:15"' in written[2].read_text(encoding="utf-8")


def test_alternatives_of_a_repair_that_keeps_old_errors() -> None:
    found = what_if(load(PUBLISHED), KHADY, time_limit=30, alternatives=3)
    assert len(found) >= 2
    assert all(a.valid for a in found)
    assert all(len(a.kept_errors) == 4 for a in found)  # the published defects stay as they were
