"""Why no timetable exists: a minimal set of rules (and pins) that cannot hold together.

Every hard rule (per person for availability) and every pinned time gets an assumption
literal on a feasibility-only copy of the model (CP-SAT returns no useful core when an
objective is present). One worker returns a small core; a deletion filter then shrinks it to
a minimal one: dropping any member makes the rest satisfiable.

The structural facts of the file are assumptions too (a pinned time, a part's length and its
place inside its block, an open end's least length, a block's order), so a set can name them.
The set is verified at the end: solved alone, every other rule and fact set aside, it must be
infeasible, or it is not called proven.

Every solve is budgeted in CP-SAT's deterministic time, derived from the caller's time limit,
so the same input gives the same explanation on any machine and under any load. A set is
called minimal only when every deletion trial was decided; a trial that runs out of budget
keeps its member and the set is reported as "not proven minimal". When the first solve cannot
decide feasibility at all, the explanation says so instead of listing rules.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..clock import format_clock
from ..compile import Item, Problem
from ..model import NoOverlapRule, Severity
from ..rules.base import day_label
from ..rules.describe import describe
from ..text import plural
from ..timetable import Timetable
from . import overrun, search
from .budget import Budget as WallBudget
from .budget import OutOfTime
from .build import Assumption, Build
from .overrun import Overrun
from .shortage import Shortage, sentence
from .slots import plan_pools


@dataclass(frozen=True)
class Reason:
    rule: str
    key: str | None
    sentence: str
    line: int | None


@dataclass
class Explanation:
    feasible: bool | None
    """True: a timetable exists; False: none can; None: undecided within the budget."""
    reasons: list[Reason]
    minimal: bool = True
    """Every proper subset of ``reasons`` was shown satisfiable (only meaningful when infeasible)."""
    seconds: float = 0.0
    budget: float = 0.0

    @property
    def undecided(self) -> bool:
        return self.feasible is None

    def _head(self) -> str:
        if self.feasible:
            return "a timetable exists"
        if self.feasible is None:
            return f"undecided within {self.budget:g} s"
        proven = "minimal" if self.minimal else "not proven minimal"
        return f"no timetable can exist: {plural(len(self.reasons), 'reason')} ({proven})"

    def _reasons(self) -> list[str]:
        return [r.sentence + (f" (line {r.line})" if r.line else "") for r in self.reasons]

    def __repr__(self) -> str:
        """Whether a timetable exists, then the reasons, one line each."""
        from ..display import text_lines

        return text_lines(f"<Explanation: {self._head()}>", self._reasons())

    def _repr_html_(self) -> str:
        """Whether a timetable exists, and the reasons as a list (for Jupyter)."""
        from ..display import html_block

        return html_block(f"Explanation: {self._head()}", items=self._reasons())

    def text(self, file: str | None = None) -> str:
        if self.feasible:
            return "A timetable exists: nothing to explain."
        if self.feasible is None:
            return (
                f"Could not decide within {self.budget:g} s whether any timetable exists; "
                "give a longer --time-limit."
            )
        head = "No timetable can satisfy all of these together"
        if not self.minimal:
            head += " (not proven minimal: some smaller set might already be impossible)"
        lines = [head + ":"]
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
    count: bool = True,
) -> Explanation:
    """Why ``problem`` has no timetable, within ``time_limit`` (deterministic) seconds.

    First, on a model of pooled rooms (``count``): are there places enough for every activity
    (``counted``)? Then half the budget goes to the first solve (is there a timetable at all,
    and which small set of assumptions the solver blames); the deletion filter shares the rest
    between its trials. ``hint`` (e.g. the published timetable) speeds up the relaxed solves
    of the filter."""
    began = time.perf_counter()
    if count:
        short = counted(problem, unpinned=unpinned, seed=seed, hint=hint, time_limit=time_limit)
        if short is not None:
            short.seconds, short.budget = time.perf_counter() - began, time_limit
            return short
    budget = Budget(time_limit)
    build = Build(problem, explain=True, unpinned=unpinned or frozenset())
    if hint is not None:
        build.hint(hint)
    assumptions = list(build.assumptions)
    status, core = _solve(build, assumptions, budget.take(0.5), seed)

    def done(feasible: bool | None, members: list[Assumption], proven: bool = True) -> Explanation:
        reasons = [_reason(problem, a) for a in members]
        seconds = time.perf_counter() - began
        return Explanation(feasible, reasons, proven, seconds, time_limit)

    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return done(True, [])
    if status != cp_model.INFEASIBLE:
        return done(None, [])
    chosen = [a for a in assumptions if a.literal.Index() in core]
    members = chosen or assumptions
    proven = len(members) == 1
    verify = budget.take(0.1)
    if minimal and not proven:
        members, proven = _deletion_filter(build, members, budget, seed)
    # the set alone, every other rule and fact set aside: it must truly be impossible
    alone, _ = _solve(build, members, verify, seed)
    return done(False, members, proven and alone == cp_model.INFEASIBLE)


def counted(
    problem: Problem,
    *,
    unpinned: frozenset[str] | None = None,
    seed: int = 0,
    hint: Timetable | None = None,
    time_limit: float | None = None,
) -> Explanation | None:
    """No timetable, by counting places (``shortage.py``) or the minutes of activities kept
    apart (``overrun.py``), when most activities sit in pooled rooms; else None. The places are read as a solve reads them: from a construction (or, with
    ``hint``, from the timetable it repairs), so ``explain`` and ``solve`` give one reason.

    Why before the search for rules: a programme short of places by a handful of talks has
    thousands of room rules' instances and cells, and CP-SAT's search for the rules that
    clash could not decide within its budget at 2,000 talks (``benchmarks/whatif_scale.py``)."""
    plan = plan_pools(problem)
    if plan is None or 2 * len(plan.items) <= len(problem.items):
        return None
    clock = None if time_limit is None else WallBudget(time_limit / 2, time.perf_counter())
    try:  # half the limit at most (in seconds of the clock): the search needs the rest
        build = Build(problem, unpinned=unpinned or frozenset(), defer=True, budget=clock)
        tactics = search.Tactics(fallback=False)
        prepared = search.prepare(build, tactics, seed, hint is not None, clock, hint)
    except OutOfTime:
        return None
    return None if prepared.shortage is None else explained(problem, prepared.shortage)


def explained(problem: Problem, found: Shortage | Overrun) -> Explanation:
    """The shortage as an explanation: one reason, at the line of the first activity left
    out, under the hard room rule (not proven minimal: a smaller set may be short too); an
    overrun under the rule that keeps its activities apart, at its first activity's line."""
    if isinstance(found, Overrun):
        first = next(i for i in problem.items if i.index == found.activities[0])
        said = overrun.sentence(problem, found)
        return Explanation(False, [Reason(found.rule, found.key, said, first.line)], minimal=False)
    first = next(i for i in problem.items if i.index == found.short[0])
    rule = next(
        (
            r.id
            for r in problem.rules
            if isinstance(r, NoOverlapRule) and r.resource == "room" and r.severity == Severity.HARD
        ),
        "rooms",
    )
    seated = any(r.kind == "capacity" and r.severity == Severity.HARD for r in problem.rules)
    reason = Reason(rule, None, sentence(problem, found, seated), first.line)
    return Explanation(False, [reason], minimal=False)


class Budget:
    """Deterministic seconds left for the solves of one explanation."""

    def __init__(self, seconds: float) -> None:
        self.left = max(0.01, seconds)

    def take(self, share: float) -> float:
        """``share`` of what is left, reserved for one solve."""
        amount = self.left * share
        self.left -= amount
        return max(0.01, amount)


def _solve(
    build: Build, active: list[Assumption], budget: float, seed: int
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
    solver.parameters.max_deterministic_time = budget
    # a safety net only: deterministic time is what bounds the search, reproducibly
    solver.parameters.max_time_in_seconds = WALL_FACTOR * budget + 1.0
    search.configure(solver.parameters, build)
    status = build.solve(solver)
    core: set[int] = set()
    if status == cp_model.INFEASIBLE:
        core = set(solver.sufficient_assumptions_for_infeasibility())
    return status, core


WALL_FACTOR = 20.0
"""Wall-clock seconds allowed per deterministic second before a solve is cut off anyway."""


def _deletion_filter(
    build: Build, members: list[Assumption], budget: Budget, seed: int
) -> tuple[list[Assumption], bool]:
    """Drop each member in turn; keep it only if the rest become satisfiable without it.

    When the rest is still infeasible, its own core replaces it (often much smaller), so few
    solves are needed. A trial that runs out of budget keeps its member: the set stays
    infeasible, but it is then not proven minimal (the second value is False).
    """
    kept = list(members)
    undecided: set[int] = set()
    for k, candidate in enumerate(members):
        if candidate not in kept or len(kept) == 1:
            continue
        trial = [a for a in kept if a is not candidate]
        to_test = sum(1 for a in members[k:] if a in kept)
        status, core = _solve(build, trial, budget.take(1 / to_test), seed)
        if status == cp_model.INFEASIBLE:
            smaller = [a for a in trial if a.literal.Index() in core]
            kept = smaller if smaller else trial
        elif status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            undecided.add(id(candidate))
    proven = not any(id(a) in undecided for a in kept)
    return kept, proven


def _reason(problem: Problem, assumption: Assumption) -> Reason:
    if assumption.rule.startswith("closed:") and assumption.key:
        room = assumption.rule.removeprefix("closed:")
        day, start, end = (int(x) for x in assumption.key.split(":"))
        name = next(
            (r.name for v in problem.venues.values() for r in v.rooms if r.id == room), room
        )
        hours = (
            "" if (start, end) == (0, 24 * 60) else f" {format_clock(start)}-{format_clock(end)}"
        )
        sentence = f"{name} is closed on {day_label(problem.dates[day])}{hours}"
        return Reason(assumption.rule, assumption.key, sentence, assumption.line)
    fact, _, ident = assumption.rule.partition(":")
    if ident and fact in FACTS:
        item = problem.item(ident)
        return Reason(assumption.rule, None, FACTS[fact](problem, item), item.line)
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
    titles = {item.id: item.title for item in problem.items}
    sentence = rule.description or describe(rule, titles)
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


def _pinned(problem: Problem, item: Item) -> str:
    start = item.fixed_start or 0
    if item.open_end:
        return f"{_title(item)} is fixed to start at {format_clock(start)}"
    end = start + (item.fixed_length or item.duration)
    return f"{_title(item)} is fixed at {format_clock(start)}-{format_clock(end)}"


def _length(problem: Problem, item: Item) -> str:
    least = "at least " if item.open_end else ""
    return f"{_title(item)} lasts {least}{plural(item.duration, 'minute')}"


def _inside(problem: Problem, item: Item) -> str:
    assert item.block is not None
    block = problem.item(item.block)
    length = block.fixed_length or block.duration
    window = plural(length, "minute")
    if block.fixed_start is not None:  # moved or not, its length is the fact
        start = block.fixed_start
        window += f", printed {format_clock(start)}-{format_clock(start + length)}"
    return f"{_title(item)} is a part of {_title(block)} ({window}) and lies inside it"


def _held(problem: Problem, item: Item) -> str:
    return (
        f"{_title(item)} has no printed end and lasts at least the "
        f"{plural(item.duration, 'minute')} the printed programme leaves it (nothing of its "
        "groups starts sooner after it)"
    )


def _order(problem: Problem, item: Item) -> str:
    parts = [p for p in problem.items if p.block == item.id]
    names = ", ".join(_title(p) for p in parts)
    return f"the parts of {_title(item)} run one after another, as listed ({names})"


FACTS: dict[str, Callable[[Problem, Item], str]] = {
    "pin": _pinned,
    "length": _length,
    "inside": _inside,
    "held": _held,
    "order": _order,
}
"""The facts of the file an explanation may name beside its rules (``Build._fact``): a pinned
time, a part's length, a part inside its block, an open end's least length, a block's order."""
