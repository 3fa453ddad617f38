"""Why no timetable exists: a minimal set of rules (and pins) that cannot hold together.

Every hard rule (per person for availability) and every pinned time gets an assumption
literal on a feasibility-only copy of the model (CP-SAT returns no useful core when an
objective is present). One worker returns a small core; a deletion filter then shrinks it to
a minimal one: dropping any member makes the rest satisfiable.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..clock import format_clock
from ..compile import Item, Problem
from ..rules.base import day_label
from ..timetable import Timetable
from .build import Assumption, Build


@dataclass(frozen=True)
class Reason:
    rule: str
    key: str | None
    sentence: str
    line: int | None


@dataclass
class Explanation:
    feasible: bool
    reasons: list[Reason]

    def text(self, file: str | None = None) -> str:
        if self.feasible:
            return "A timetable exists: nothing to explain."
        lines = ["No timetable can satisfy all of these together:"]
        for reason in self.reasons:
            where = f" ({file}:{reason.line})" if file and reason.line else ""
            where = where or (f" (line {reason.line})" if reason.line else "")
            lines.append(f"  - {reason.sentence}{where}")
        return "\n".join(lines)


def explain_problem(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    unpinned: frozenset[str] | None = None,
    hint: Timetable | None = None,
    minimal: bool = True,
) -> Explanation:
    """``hint`` (e.g. the published timetable) speeds up the relaxed solves of the filter."""
    build = Build(problem, explain=True, unpinned=unpinned or frozenset())
    if hint is not None:
        build.hint(hint)
    assumptions = list(build.assumptions)
    status, core = _solve(build, assumptions, time_limit, seed)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Explanation(True, [])
    if status != cp_model.INFEASIBLE:
        return Explanation(False, [])
    members = [a for a in assumptions if a.literal.Index() in core] or assumptions
    if minimal:
        members = _deletion_filter(build, members, time_limit, seed)
    return Explanation(False, [_reason(problem, a) for a in members])


def _solve(
    build: Build, active: list[Assumption], time_limit: float, seed: int
) -> tuple[object, set[int]]:
    build.model.clear_assumptions()
    chosen = {a.literal.Index() for a in active}
    build.model.add_assumptions(
        [a.literal if a.literal.Index() in chosen else a.literal.Not() for a in build.assumptions]
    )
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.catch_sigint_signal = False  # Ctrl-C is the caller's (see solve.py)
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = time_limit
    status = build.solve(solver)
    core: set[int] = set()
    if status == cp_model.INFEASIBLE:
        core = set(solver.sufficient_assumptions_for_infeasibility())
    return status, core


def _deletion_filter(
    build: Build, members: list[Assumption], time_limit: float, seed: int
) -> list[Assumption]:
    """Drop each member in turn; keep it only if the rest become satisfiable without it.

    When the rest is still infeasible, its own core replaces it (often much smaller), so few
    solves are needed. A trial that runs out of time keeps its member: the set stays
    infeasible, though then perhaps not minimal.
    """
    kept = list(members)
    if len(kept) == 1:  # a single rule that cannot hold is minimal already
        return kept
    for candidate in list(members):
        if candidate not in kept:
            continue
        trial = [a for a in kept if a is not candidate]
        status, core = _solve(build, trial, min(time_limit, TRIAL_SECONDS), seed)
        if status == cp_model.INFEASIBLE:
            smaller = [a for a in trial if a.literal.Index() in core]
            kept = smaller if smaller else trial
    return kept


TRIAL_SECONDS = 2.0
"""Budget of one deletion-filter solve."""


def _reason(problem: Problem, assumption: Assumption) -> Reason:
    if assumption.rule.startswith("pin:"):
        item = problem.item(assumption.rule[4:])
        start = item.fixed_start or 0
        sentence = f"'{item.title}' is fixed at {format_clock(start)}-{format_clock(start + item.duration)}"
        return Reason(assumption.rule, None, sentence, item.line)
    rule = next(r for r in problem.rules if r.id == assumption.rule)
    if rule.kind == "availability" and assumption.key:
        person = problem.people[assumption.key]
        if person.status.value == "declined":
            sentence = f"{person.name} has declined"
        else:
            windows = ", ".join(
                day_label(w.date) + (f" {w.time}" if w.time else "") for w in person.available or []
            )
            sentence = f"{person.name} is available only on {windows}"
            outside = [w.date for w in person.available or [] if w.date not in problem.day_of_date]
            if outside:
                sentence += (
                    f", and the course runs {day_label(problem.dates[0])} to "
                    f"{day_label(problem.dates[-1])}"
                )
        involved = [i for i in problem.items if person.id in i.people]
        index = [p.id for p in problem.programme.people].index(person.id)
        line = problem.source.line(("people", index, "available")) or assumption.line
        return Reason(rule.id, person.id, sentence + _fixed_days(problem, involved), line)
    sentence = rule.description or f"rule {rule.id} ({rule.kind})"
    named = [*getattr(rule, "activities", []), getattr(rule, "activity", None)]
    involved = [problem.item(x) for x in named if isinstance(x, str) and x in problem.index]
    if rule.kind not in ("date_window", "deadline"):
        involved = []
    return Reason(
        rule.id,
        assumption.key,
        f"{sentence.rstrip('.')}{_fixed_days(problem, involved)} [{rule.id}]",
        assumption.line,
    )


def _fixed_days(problem: Problem, items: list[Item]) -> str:
    """ "; 'Networking event' is held on Wed 20 Nov 2024 (line 373)" for activities whose day
    the file fixes: the other half of a calendar conflict."""
    parts = []
    for item in items:
        if len(item.days) == 1:
            where = f" (line {item.line})" if item.line else ""
            parts.append(
                f"{_title(item)} is held on {day_label(problem.dates[item.days[0]])}{where}"
            )
    return "".join(f"; {part}" for part in parts)


def _title(item: Item) -> str:
    return f"'{item.title}'" if len(item.title) <= 50 else f"'{item.title[:47].rstrip()}...'"
