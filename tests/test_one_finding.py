"""One cause, one finding: a run of sessions without a break is one finding (not one per row,
not one more per sub-group); a ride is not sitting in a session; one wrong start time of a
block is one finding that names what it explains; a welcome that does not open its day is one
finding naming all that start before it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from course_scheduler import check, compile_programme, loads
from course_scheduler.checking import check_problem
from course_scheduler.solver.solve import SolveOptions, Status, solve_problem
from course_scheduler.timetable import published_timetable
from tests.strategies import fixed_feasible

from .conftest import CORRECTED, ROOT

RUNS = """
course: {title: Runs}
venues:
  - {id: hall, name: Hall, address: 1 Main Street}
  - {id: farm, name: Farm, address: 2 Farm Road}
travel:
  - {between: [hall, farm], minutes: 90}
groups:
  - {id: everyone, name: Students and teachers}
  - {id: coordinators, name: Coordinators, part_of: everyone}
transport:
  - {id: van, title: Van to the farm, date: 2025-03-04, from: hall, to: farm, depart: "10:00",
     ride_minutes: 90}
days:
  - date: 2025-03-03
    venue: hall
    window: "8:00 - 20:00"
    activities:
      - {id: s1, time: "9:00 - 10:00", title: Session 1, kind: talk}
      - {id: s2, time: "10:00 - 11:00", title: Session 2, kind: talk}
      - {id: s3, time: "11:00 - 12:00", title: Session 3, kind: talk}
      - {id: s4, time: "12:00 - 13:00", title: Session 4, kind: talk}
      - {id: lunch, time: "13:00 - 14:00", title: Lunch, kind: lunch}
      - {id: s5, time: "14:00 - 15:00", title: Session 5, kind: talk}
      - {id: s6, time: "15:00 - 16:00", title: Session 6, kind: talk}
      - {id: s7, time: "16:00 - 17:00", title: Session 7, kind: talk}
      - {id: meet, time: "17:00 - 17:30", title: Coordinators meeting, kind: talk,
         groups: [coordinators]}
  - date: 2025-03-04
    venue: hall
    window: "8:00 - 20:00"
    activities:
      - {id: t1, time: "9:00 - 10:00", title: Morning talk, kind: talk}
      - {id: t2, time: "11:30 - 12:30", title: Talk at the farm, kind: talk, venue: farm,
         transport: van}
rules:
  - {id: breaks, kind: max_content, minutes: 120}
"""


def test_each_run_without_a_break_is_one_finding() -> None:
    report = check(loads(RUNS, name="runs.yaml"))
    found = [f for f in report.findings if f.rule == "breaks"]
    assert [f.activities[:2] for f in found] == [("s4", "s1"), ("s7", "s5")]
    morning, afternoon = (f.message for f in found)
    assert morning == (
        "'Session 4' ends at 13:00, 240 minutes after 'Session 1' began at 9:00 without a break "
        "(at most 120); 'Session 3' ends past it too"
    )
    # the coordinators sit through the afternoon run too, and longer: said once, in it
    assert afternoon == (
        "'Session 7' ends at 17:00, 180 minutes after 'Session 5' began at 14:00 without a break "
        "(at most 120) (for Coordinators until 'Coordinators meeting' ends at 17:30)"
    )


def test_a_ride_between_sessions_ends_the_run_in_both_readings() -> None:
    problem = compile_programme(loads(RUNS, name="runs.yaml"))
    published = published_timetable(problem)
    assert not [f for f in check_problem(problem, published).errors if "t2" in f.activities]
    tuesday = dataclasses.replace(problem, rules=[r for r in problem.rules if r.id == "breaks"])
    # the published Tuesday (talk, 90-minute van ride, talk) holds in the model too
    keep = {p.activity: p for p in published if p.date.isoformat() == "2025-03-04"}
    monday_free = dataclasses.replace(published, placements=keep)
    assert fixed_feasible(
        tuesday, monday_free, unpinned=frozenset(i.id for i in problem.items if i.id not in keep)
    )


def test_a_soft_run_weighs_once_per_session_past_the_limit_as_the_solver_counts() -> None:
    soft = RUNS.replace(
        "{id: breaks, kind: max_content, minutes: 120}",
        "{id: breaks, kind: max_content, minutes: 120, severity: soft, weight: 3}",
    )
    programme = loads(soft, name="runs.yaml")
    report = check(programme)
    assert len([f for f in report.warnings if f.rule == "breaks"]) == 2
    # 'Session 3' and 'Session 4' in the morning; 'Session 7' and the meeting in the afternoon
    assert report.penalty == 3 * 4
    problem = compile_programme(programme)
    options = SolveOptions(time_limit=10, seed=0, workers=1)
    result = solve_problem(problem, reference=published_timetable(problem), options=options)
    assert result.status == Status.OPTIMAL
    assert result.timetable is not None
    assert result.objective is not None
    soft = result.objective.costs["soft_rules"]
    assert check_problem(problem, result.timetable).penalty == soft == 12


CSAMA = ROOT / "examples" / "csama_2023" / "programme.yaml"


@pytest.fixture
def slipped(tmp_path: Path) -> Path:
    """CSAMA with one wrong start: Tuesday's labs block printed an hour late."""
    text = CSAMA.read_text()
    wrong = text.replace('{id: tue-labs, time: "14:00–17:00"', '{id: tue-labs, time: "15:00–18:00"')
    assert wrong != text
    path = tmp_path / "programme.yaml"
    path.write_text(wrong)
    return path


def test_a_block_at_a_wrong_start_is_one_finding_naming_what_it_explains(slipped: Path) -> None:
    text = slipped.read_text()
    report = check(loads(text, name=str(slipped)))
    tuesday = [
        f for f in report.errors if f.date is not None and f.date.isoformat() == "2023-06-13"
    ]
    assert len(tuesday) == 1, [f.message for f in tuesday]
    (finding,) = tuesday
    assert finding.rule == "placement"
    assert finding.message.startswith(
        "'Labs' (Tue 13 Jun 15:00-18:00) holds none of its 2 parts: 'Lab 3: End-to-end RNA-Seq "
        "workflow' (14:00-17:00), 'Lab 4: Single-cell transcriptomics' (14:00-17:00) lie outside"
        " it; is its time right? Its parts run 14:00-17:00. At that time this also explains: "
        "[one-thing-at-a-time] 'Flashlight talks' (Tue 13 Jun 17:00-17:30) overlaps 'Labs'"
    ), finding.message
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "id: tue-labs" in t)
    assert finding.line == line
    assert set(finding.activities) == {"tue-labs", "tue-lab-3", "tue-lab-4", "tue-flashlight"}
    # the rest of the file's findings are as they were
    before = check(loads(CSAMA.read_text(), name=str(CSAMA)))
    others = [f.message for f in report.findings if f is not finding]
    assert others == [f.message for f in before.findings]


def test_a_part_outside_its_block_is_still_named_alone() -> None:
    text = CSAMA.read_text()
    one_part = text.replace(
        'id: tue-lab-3\n        time: "14:00–17:00"', 'id: tue-lab-3\n        time: "13:00–16:00"'
    )
    assert one_part != text
    found = [f for f in check(loads(one_part, name="c.yaml")).errors if f.rule == "placement"]
    assert [f.activities for f in found] == [("tue-lab-3",)]
    assert "is a part of 'Labs' (Tue 13 Jun 14:00-17:00) but lies outside it" in found[0].message


def test_a_late_welcome_is_one_finding_naming_all_that_start_before_it() -> None:
    text = CORRECTED.read_text().replace('time: "9:00 - 9:20"', 'time: "10:00 - 10:20"', 1)
    found = [f for f in check(loads(text, name="c.yaml")).errors if f.kind == "opens_day"]
    assert len(found) == 1
    assert found[0].activities == ("d1-welcome", "d1-ice-breaker", "d1-guest-talk")
    assert "'Ice breaking activity' (9:20) and 'Guest speaker" in found[0].message
