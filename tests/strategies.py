"""Hypothesis strategies and small helpers shared by the ``test_rules_*`` modules.

Three families of generated cases:

* ``single_group_cases`` / ``overlap_cases``: one group, one to three days, activities laid
  end to end (or with one planted overlap) inside the day windows, with the rules built
  around the timetable so that it satisfies them.
* ``planted_cases``: richer programmes that are feasible by construction: a timetable is
  planted first (kinds incl. welcome, coffee break, lunch, Q&A, guest talk; venues with
  travel times; people whose availability is derived around their planted times; a bus
  leg; sequences taken from the planted order; time windows around the planted times) and
  every rule is then written so that the planted timetable satisfies it.
* ``agreement_cases(kind)``: a tiny programme, one rule of ``kind`` and a random timetable,
  possibly broken, for the checker-versus-CP-SAT agreement test.

Helpers at the top turn YAML-like dicts into validated programmes (the loader's cross
checks included) and pin a timetable into a CP-SAT model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from course_scheduler.checking import Report, check_problem
from course_scheduler.clock import format_clock
from course_scheduler.compile import Problem, compile_programme
from course_scheduler.errors import SourceMap
from course_scheduler.loading import validate
from course_scheduler.model import CONTENT_KINDS, Kind, Programme
from course_scheduler.rules import Finding, Level
from course_scheduler.timetable import Placement, Timetable

DAY0 = dt.date(2025, 3, 3)  # a Monday
DAY = 24 * 60


# --- helpers -------------------------------------------------------------------------------


def date(k: int) -> dt.date:
    return DAY0 + dt.timedelta(days=k)


def rng(start: int, end: int) -> str:
    """'9:00 - 9:20' from minutes of the day."""
    return f"{format_clock(start)} - {format_clock(end)}"


def make_programme(data: dict[str, Any]) -> Programme:
    """Validate a YAML-like dict exactly as the loader does (pydantic, then cross checks)."""
    full = {"course": {"title": "Test course"}, **data}
    return validate(full, SourceMap(file="test.yaml"))


def compile_data(data: dict[str, Any]) -> Problem:
    return compile_programme(make_programme(data))


def hard(report: Report, rule: str | None = None) -> list[Finding]:
    """Error findings, optionally of one rule id."""
    return [f for f in report.findings if f.level == Level.ERROR and rule in (None, f.rule)]


def of_rule(report: Report, rule: str) -> list[Finding]:
    return [f for f in report.findings if f.rule == rule]


def only_rules(problem: Problem, *rules: Any) -> Problem:
    """The same problem with only the given rules (no other constraint is posted)."""
    return dataclasses.replace(problem, rules=list(rules))


def cp_solver(time_limit: float = 5.0) -> Any:
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = time_limit
    return solver


def fixed_feasible(problem: Problem, timetable: Timetable, **build: Any) -> bool:
    """Is ``timetable`` a feasible point of ``problem``'s model? (raises if undecided)."""
    from ortools.sat.python import cp_model

    from course_scheduler.solver.build import Build

    model = Build(problem, **build)
    model.fix(timetable)
    status = cp_solver().solve(model.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    if status == cp_model.INFEASIBLE:
        return False
    raise AssertionError(f"CP-SAT could not decide a fully fixed model (status {status})")


def describe(problem: Problem, timetable: Timetable) -> str:
    """A timetable as text, for assertion messages."""
    lines = []
    for p in timetable:
        item = problem.item(p.activity)
        lines.append(
            f"  {p.date} {rng(p.start, p.end)} {p.activity} [{item.kind.value}] "
            f"venue={p.venue} room={p.room} groups={item.groups} people={item.people}"
        )
    return "\n".join(lines)


# --- shared vocabulary of the generators ------------------------------------------------------

PLANT_KINDS = [
    Kind.WELCOME,
    Kind.GUEST_TALK,
    Kind.QA,
    Kind.COFFEE_BREAK,
    Kind.LUNCH,
    Kind.TALK,
    Kind.SKILLS_SESSION,
    Kind.CASE_STUDY,
    Kind.WRAP_UP,
    Kind.NETWORKING,
]
BREAK_KINDS = (Kind.COFFEE_BREAK, Kind.LUNCH, Kind.FREE_TIME)


@dataclass
class Planted:
    """A generated programme and the timetable it was built around."""

    data: dict[str, Any]
    timetable: Timetable
    notes: list[str] = field(default_factory=list)

    @property
    def programme(self) -> Programme:
        return make_programme(self.data)

    @property
    def problem(self) -> Problem:
        return compile_programme(self.programme)


def _floyd(n: int, links: list[tuple[int, int, int]]) -> list[list[int]]:
    inf = 10**6
    d = [[0 if i == j else inf for j in range(n)] for i in range(n)]
    for a, b, w in links:
        d[a][b] = min(d[a][b], w)
        d[b][a] = min(d[b][a], w)
    for k in range(n):
        for i in range(n):
            for j in range(n):
                d[i][j] = min(d[i][j], d[i][k] + d[k][j])
    return d


# --- single-group timetables (test_rules_properties) ---------------------------------------


@st.composite
def _day_plan(draw: st.DrawFn, n_activities: int) -> dict[str, Any]:
    """Activities of one day laid end to end with gaps, inside a window around them."""
    start = draw(st.integers(7 * 12, 10 * 12)) * 5
    cursor = start + draw(st.integers(0, 6)) * 5
    slots = []
    for _ in range(n_activities):
        duration = draw(st.integers(1, 18)) * 5
        slots.append((cursor, cursor + duration, draw(st.sampled_from(PLANT_KINDS))))
        cursor += duration + draw(st.integers(0, 6)) * 5
    end = max(cursor, slots[-1][1] + draw(st.integers(0, 12)) * 5)
    return {"window": (start, min(end, DAY)), "slots": slots}


@st.composite
def single_group_cases(draw: st.DrawFn, overlap: bool = False) -> Planted:
    """One group on one to three days, no overlap (or exactly one planted overlap).

    Every day is fully inside its window, and the rules are built around the timetable:
    day_window, no_overlap (group), a time_window per activity around its slot, a
    date_window per activity over its date, and one sequence of each day's order.
    """
    n_days = draw(st.integers(1, 3))
    plans = [draw(_day_plan(draw(st.integers(1 if not overlap else 2, 5)))) for _ in range(n_days)]
    days: list[dict[str, Any]] = []
    placements: dict[str, Placement] = {}
    rules: list[dict[str, Any]] = [
        {"id": "day-window", "kind": "day_window"},
        {"id": "no-overlap-group", "kind": "no_overlap", "resource": "group"},
    ]
    planted_overlap: tuple[str, str] | None = None
    if overlap:
        # shift one activity of one day so that it shares time with the previous one
        candidates = [(d, k) for d, plan in enumerate(plans) for k in range(1, len(plan["slots"]))]
        d, k = draw(st.sampled_from(candidates))
        slots = plans[d]["slots"]
        prev_start, prev_end, _ = slots[k - 1]
        start, end, kind = slots[k]
        duration = end - start
        new_start = draw(st.integers(prev_start, prev_end - 1))
        slots[k] = (new_start, new_start + duration, kind)
        low = min(plans[d]["window"][0], new_start)
        plans[d]["window"] = (low, max(plans[d]["window"][1], new_start + duration))
        planted_overlap = (f"a{d}_{k - 1}", f"a{d}_{k}")
    for d, plan in enumerate(plans):
        activities = []
        for k, (start, end, kind) in enumerate(plan["slots"]):
            ident = f"a{d}_{k}"
            activities.append(
                {
                    "id": ident,
                    "title": f"{kind.value.replace('_', ' ').title()} {d}.{k}",
                    "kind": kind.value,
                    "time": rng(start, end),
                    "pinned": draw(st.booleans()),
                }
            )
            placements[ident] = Placement(date(d), start, end, ident, "hall")
            low, high = max(0, start - draw(st.integers(0, 60))), min(DAY, end + draw(st.integers(0, 60)))
            rules.append({"id": f"tw-{ident}", "kind": "time_window", "activities": [ident], "within": rng(low, high)})
            rules.append(
                {"id": f"dw-{ident}", "kind": "date_window", "activities": [ident], "from": date(d), "to": date(d)}
            )
        days.append({"date": date(d), "venue": "hall", "window": rng(*plan["window"]), "activities": activities})
        ordered = sorted(plan["slots"])
        if not overlap and len(ordered) > 1:
            ids = [f"a{d}_{plan['slots'].index(s)}" for s in ordered]
            gaps = [b[0] - a[1] for a, b in zip(ordered, ordered[1:], strict=False)]
            rules.append(
                {"id": f"seq-{d}", "kind": "sequence", "activities": ids, "min_gap": min(gaps), "max_gap": max(gaps)}
            )
    data = {"venues": [{"id": "hall", "name": "Hall"}], "days": days, "rules": rules}
    notes = [f"overlap {planted_overlap}"] if planted_overlap else []
    return Planted(data, Timetable(placements), notes)


def overlap_cases() -> st.SearchStrategy[Planted]:
    return single_group_cases(overlap=True)
