"""Typed frames, checked against what the user gave: the times printed in the file, the
instants a published schedule states, the numbers a finding's sentence says."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
import yaml

import course_scheduler as cs
from course_scheduler.clock import format_clock
from course_scheduler.importers import read_schedule
from course_scheduler.timetable import published_timetable

from .conftest import CORRECTED, PUBLISHED, ROOT
from .real_schedules import read_source, real_file

SIMPLE_TIME = re.compile(r"^(\d{1,2}):(\d\d) - (\d{1,2}):(\d\d)$")
EXAMPLE_PROGRAMMES = sorted(ROOT.glob("examples/*/programme.yaml"))


def _printed_times(path: Path) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """Each activity's printed "H:MM - H:MM" on its day, read from the YAML text itself."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    zone = ZoneInfo(data["course"]["timezone"])
    found = {}
    for day in data["days"]:
        for activity in day.get("activities", []):
            match = SIMPLE_TIME.match(str(activity.get("time", "")))
            if match is None:
                continue
            h1, m1, h2, m2 = (int(x) for x in match.groups())
            date = day["date"]  # a written (dumped) file quotes its dates
            date = date if isinstance(date, dt.date) else dt.date.fromisoformat(date)
            midnight = dt.datetime.combine(date, dt.time(0), tzinfo=zone)
            found[activity["id"]] = (
                midnight + dt.timedelta(hours=h1, minutes=m1),
                midnight + dt.timedelta(hours=h2, minutes=m2),
            )
    return found


def test_a_timetable_frame_has_the_file_s_times_in_its_zone() -> None:
    programme = cs.load(CORRECTED)
    problem = cs.compile_programme(programme)
    frame = published_timetable(problem).to_frame(problem)
    assert str(frame["start"].dt.tz) == programme.course.timezone == "Europe/Madrid"
    assert isinstance(frame["kind"].dtype, pd.CategoricalDtype)
    assert frame["minutes"].dtype == "int64"
    printed = _printed_times(CORRECTED)
    assert len(printed) > 40
    rows = frame.set_index("id")
    for ident, (start, end) in printed.items():
        assert rows.loc[ident, "start"] == start, ident
        assert rows.loc[ident, "end"] == end, ident
        assert rows.loc[ident, "minutes"] == (end - start).total_seconds() // 60
    people = {p.id: p.name for p in programme.people}
    raw = yaml.safe_load(CORRECTED.read_text(encoding="utf-8"))
    for day in raw["days"]:
        for activity in day.get("activities", []):
            if activity["id"] in rows.index:
                named = [people[p] for p in activity.get("people", [])]
                assert rows.loc[activity["id"], "people"] == named


def test_a_timetable_frame_of_a_published_schedule_has_its_instants() -> None:
    """DebConf 23 states its times in UTC for a conference in Kochi: the frame's starts are
    the file's instants, shown in the conference's zone."""
    path = real_file("debconf23")
    programme = read_schedule(path).programme
    problem = cs.compile_programme(programme)
    frame = published_timetable(problem).to_frame(problem)
    assert str(frame["start"].dt.tz) == "Asia/Kolkata"
    guid = {a.id: a.published.guid for a in programme.all_activities() if a.published}
    starts: dict[str, pd.Timestamp] = {}
    for ident, start in zip(frame["id"], frame["start"], strict=True):
        starts.setdefault(guid[ident] or "", start)  # the first part of a split event
    events = read_source(path).events
    assert len(events) > 100
    for event in events:
        assert starts[event.guid] == pd.Timestamp(event.start), event.title


def test_a_report_frame_gives_each_finding_s_numbers() -> None:
    report = cs.check(PUBLISHED)
    frame = report.to_frame()
    assert list(frame["level"].cat.categories) == ["error", "warning", "info"]
    assert len(frame) == len(report.findings)
    late = frame[frame["message"].str.contains("but the return bus leaves")]
    assert len(late) == 1
    row = late.iloc[0]
    assert (row["actual"], row["limit"], row["unit"]) == (20 * 60 + 30, 20 * 60, "time")
    assert row["end"] == pd.Timestamp("2024-11-20 20:30", tz="Europe/Madrid")
    assert row["activities"] == ["d3-networking"]
    document = json.loads(report.to_json())
    found = next(f for f in document["findings"] if "return bus" in f["message"])
    assert (found["limit"], found["actual"], found["unit"]) == ("20:00", "20:30", "time")


NUMBERED_KINDS = frozenset(
    {
        "after_dinner",
        "compact",
        "day_start",
        "day_window",
        "directions",
        "grid",
        "holes",
        "idle",
        "last_before",
        "max_content",
        "meal_times",
        "no_overlap",
        "openers",
        "opens_day",
        "order",
        "parts",
        "sequence",
        "time_window",
        "together",
        "transport",
        "travel_time",
    }
)
"""The kinds whose findings on the examples are about a number or a time (the others, and
``spaced_breaks``, are about a day, a person, a place or what lies between two activities;
``due``, ``clash`` and ``capacity``, which no example breaks, are in test_rules_check)."""


def _unpinned(programme: cs.Programme) -> cs.Programme:
    """The file with none of its times pinned: they become usual times, which the planner
    defaults and the day's skeleton judge."""
    free = programme.model_copy(deep=True)
    for activity in free.all_activities():
        activity.pinned = False
    return free


def _shifted(problem: cs.Problem, timetable: cs.Timetable) -> cs.Timetable:
    """Every placement 0, 7, 14 or 21 minutes later (by its index): off the grid, parallel
    sessions apart, holes opened and overlaps made."""
    return cs.Timetable(
        {
            ident: dataclasses.replace(
                p,
                start=p.start + 7 * (problem.item(ident).index % 4),
                end=p.end + 7 * (problem.item(ident).index % 4),
            )
            for ident, p in timetable.placements.items()
        }
    )


def _mirrored(timetable: cs.Timetable) -> cs.Timetable:
    """Each day turned round (its last activity first): the listed order, openers, meals and
    dinners, parts of the day and rides all out of place."""
    days: dict[dt.date, list[cs.Placement]] = {}
    for p in timetable.placements.values():
        days.setdefault(p.date, []).append(p)
    turned = {}
    for placements in days.values():
        axis = min(p.start for p in placements) + max(p.end for p in placements)
        for p in placements:
            turned[p.activity] = dataclasses.replace(p, start=axis - p.end, end=axis - p.start)
    return cs.Timetable(turned)


@functools.cache
def _findings(path: Path) -> list[cs.Finding]:
    """The findings of the file as published, with its times unpinned, and of two timetables
    made from its own: shifted and mirrored."""
    programme = cs.load(path)
    free = _unpinned(programme)
    problem = cs.compile_programme(free)
    published = published_timetable(problem)
    return [
        *cs.check(programme).findings,
        *cs.check(free).findings,
        *cs.check(free, _shifted(problem, published)).findings,
        *cs.check(free, _mirrored(published)).findings,
    ]


def _said(minutes: int) -> str:
    """A number of minutes as a sentence may give it: 240, or "4 hours", "1 hour 30 min"."""
    hours, rest = divmod(abs(minutes), 60)
    spelt = f"{hours} hours?" + (f" {rest} min" if rest else "") if hours else str(abs(minutes))
    return rf"\b({abs(minutes)}|{spelt})\b"


def _assert_said(finding: cs.Finding) -> None:
    if finding.unit is None:
        assert finding.limit is None and finding.actual is None, finding
        return
    assert finding.actual is not None, finding
    if finding.unit == "time":
        assert format_clock(finding.actual) in finding.message, finding.message
    else:  # a negative gap is said as "... minutes before"
        assert re.search(_said(finding.actual), finding.message), finding.message


@pytest.mark.parametrize("path", EXAMPLE_PROGRAMMES, ids=lambda p: p.parent.name)
def test_what_a_finding_counts_is_what_its_sentence_says(path: Path) -> None:
    """On every example as published, with its times unpinned (the planner defaults and the
    day's skeleton judge them), and on two timetables made from its own (shifted, mirrored):
    the value a finding is about appears in its sentence, as a clock time or a number of
    minutes or people."""
    findings = _findings(path)
    for finding in findings:
        _assert_said(finding)
    numbered = {f.kind for f in findings if f.unit is not None}
    assert numbered, "no finding about a number on this example"
    assert numbered <= NUMBERED_KINDS, numbered - NUMBERED_KINDS
    if path == PUBLISHED:
        assert sum(f.unit is not None for f in cs.check(path).findings) >= 3


def test_every_kind_about_a_number_gives_it_on_the_examples() -> None:
    """Across the examples, every rule kind whose finding is about a number or a time (the
    planner defaults and the day's skeleton included) gives it, and one of another kind never
    does (its ``limit`` and ``actual`` stay empty)."""
    findings = [f for path in EXAMPLE_PROGRAMMES for f in _findings(path)]
    numbered = {f.kind for f in findings if f.unit is not None}
    assert numbered >= NUMBERED_KINDS, sorted(NUMBERED_KINDS - numbered)
    others = {f.kind for f in findings if f.kind not in NUMBERED_KINDS}
    assert {"spaced_breaks", "open-end", "untimed"} <= others


def test_a_published_schedule_s_clashes_say_their_minutes() -> None:
    """38C3 as published: 142 clashes (its nested DJ set is a block's part), each with the
    minutes it overlaps, as its sentence says."""
    programme = read_schedule(real_file("38c3")).programme
    findings = cs.check(programme).findings
    assert len(findings) == 142 and all(f.unit == "minutes" for f in findings)
    for finding in findings:
        _assert_said(finding)


def test_a_what_if_frame_has_a_row_per_activity(tmp_path: Path) -> None:
    programme = cs.load(CORRECTED)
    scenario = cs.Scenario(
        name="without her",
        changes=[{"do": "unavailable", "person": "niang-sylla"}],  # type: ignore[list-item]
    )
    result = cs.what_if(programme, scenario, time_limit=30)
    assert result.feasible
    frame = result.to_frame()
    assert sorted(frame.loc[frame["moved"], "id"]) == result.moved
    assert int(frame["minutes"].sum()) == result.minutes
    removed = frame[frame["removed"]]
    assert sorted(removed["id"]) == sorted(result.removed)
    assert removed["after_start"].isna().all()
    assert list(removed["reason"]) == [result.why_removed[i] for i in removed["id"]]
    printed = _printed_times(CORRECTED)
    kept = frame[~frame["removed"] & frame["id"].isin(list(printed))]
    for ident, before in zip(kept["id"], kept["before_start"], strict=True):
        assert before == printed[ident][0]
    assert str(frame["after_start"].dt.tz) == "Europe/Madrid"


def test_a_sweep_frame_has_a_row_per_scenario() -> None:
    programme = cs.load(CORRECTED)
    scenarios = cs.tbc_scenarios(programme)[:2]
    outcomes = cs.sweep(programme, scenarios, time_limit=30)
    frame = outcomes.to_frame()
    assert list(frame["scenario"]) == [s.name for s in scenarios]
    assert list(frame["feasible"]) == [o.feasible for o in outcomes]
    assert frame["feasible"].dtype == bool and frame["moved"].dtype == "int64"
    assert list(frame["moved"]) == [o.moves for o in outcomes]
    assert list(frame["reasons"]) == [list(o.reasons) for o in outcomes]


def test_a_diff_frame_has_both_versions_times() -> None:
    changes = cs.diff(PUBLISHED, CORRECTED)
    frame = changes.to_frame()
    assert len(frame) == len(changes.changes) > 0
    old, new = _printed_times(PUBLISHED), _printed_times(CORRECTED)
    checked = 0
    for row in frame.itertuples():
        if row.id in old and row.id in new:
            assert (row.old_start, row.old_end) == old[row.id]
            assert (row.new_start, row.new_end) == new[row.id]
            checked += 1
    assert checked > 0
    assert all(isinstance(kinds, list) and kinds for kinds in frame["changes"])
