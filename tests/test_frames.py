"""Typed frames, checked against what the user gave: the times printed in the file, the
instants a published schedule states, the numbers a finding's sentence says."""

from __future__ import annotations

import datetime as dt
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
            midnight = dt.datetime.combine(day["date"], dt.time(0), tzinfo=zone)
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


@pytest.mark.parametrize(
    "path",
    [PUBLISHED, *EXAMPLE_PROGRAMMES, "38c3"],
    ids=lambda p: p if isinstance(p, str) else p.parent.name,
)
def test_what_a_finding_counts_is_what_its_sentence_says(path: Path | str) -> None:
    """On every example, and on 38C3 as published (142 clashes; its nested DJ set is a block's part): the value a finding is about
    appears in its sentence, as a clock time or a number of minutes or people."""
    if isinstance(path, str):
        programme = read_schedule(real_file(path)).programme
        findings = cs.check(programme).findings
        assert len(findings) == 142 and all(f.unit == "minutes" for f in findings)
    else:
        findings = cs.check(path).findings
    counted = 0
    for finding in findings:
        if finding.unit is None:
            assert finding.limit is None and finding.actual is None
            continue
        assert finding.actual is not None
        counted += 1
        if finding.unit == "time":
            assert format_clock(finding.actual) in finding.message, finding.message
        else:
            assert re.search(rf"\b{finding.actual}\b", finding.message), finding.message
    if path == PUBLISHED:
        assert counted >= 3


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
