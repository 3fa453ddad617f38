"""A planner's script that uses every public name of course_scheduler, for ``mypy --strict``.

It is type-checked, never run (tests/test_api.py): each line states the type the API promises,
so a name that loses its type (``Any``) or disappears fails the check.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pandas as pd

import course_scheduler as cs

path = Path("examples/barcelona_2024/corrected.yaml")
version: str = cs.__version__
programme: cs.Programme = cs.load(path)
again: cs.Programme = cs.loads(cs.dump(programme), name="copy.yaml")
cs.save(again, Path("copy.yaml"))
schema: dict[str, object] = cs.json_schema()
problem: cs.Problem = cs.compile_programme(programme)

report: cs.Report = cs.check(programme)
finding: cs.Finding = report.findings[0]
level: cs.Level = finding.level
limit: int | None = finding.limit
findings_frame: pd.DataFrame = report.to_frame()
edit: cs.Report = cs.check(programme, baseline="examples/barcelona_2024/programme.yaml")
comparison: cs.Comparison | None = edit.comparison
added: tuple[cs.Finding, ...] = comparison.added if comparison else ()
days: str = cs.show(programme)
rows: str = cs.show(path, "csv")

stop = threading.Event()


def progress(stage: str, elapsed: float, objective: cs.ObjectiveValue) -> None:
    if elapsed > 60 or objective.terms.get("meal_times", 0) > 0:
        stop.set()


watch: cs.Progress = progress
result: cs.Result = cs.solve(
    programme, time_limit=10, progress=watch, stop=stop, log_search=False, parameters={}
)
status: cs.Status = result.status
moved: int = result.objective.terms["moved_activities"] if result.objective else 0
timetable: cs.Timetable | None = result.timetable
placement: cs.Placement | None = timetable.get("d1-welcome") if timetable else None
frame: pd.DataFrame = result.to_frame()
solved: cs.Programme = cs.with_timetable(problem, timetable or cs.Timetable({}))
solved_file: cs.Programme = cs.with_timetable(result)
brochure: bytes = cs.export(result, "html")
calendar: bytes = cs.export(programme, "ics", person="Laura Seoane")
grid: bytes = cs.export(problem, timetable or cs.Timetable({}), "md")

explanation: cs.Explanation = cs.explain(programme, time_limit=5)
reasons: list[str] = [reason.sentence for reason in explanation.reasons]

scenario: cs.Scenario = cs.load_scenario("examples/barcelona_2024/next_edition_edits.yaml")
repair: cs.WhatIf = cs.what_if(programme, scenario, time_limit=10)
repair_frame: pd.DataFrame = repair.to_frame()
repaired: cs.Programme = cs.with_timetable(repair)
repaired_brochure: bytes = cs.export(repair, "html")
outcomes = cs.sweep(programme, cs.tbc_scenarios(programme)[:2], time_limit=5)
first: cs.Outcome = outcomes[0]
sweep_frame: pd.DataFrame = outcomes.to_frame()

template: cs.NextEdition = cs.next_edition(programme, dt.date(2025, 11, 17), edits=scenario)
changes: cs.ProgrammeDiff = cs.diff(programme, template.programme)
diff_frame: pd.DataFrame = changes.to_frame()
imported: cs.Programme = cs.import_schedule("schedule.xml", "frab-xml")

try:
    cs.load("missing.yaml")
except cs.ProgrammeError as error:
    where: str = error.location
