"""A checked construction proven best by the soft capacity bound, before the soft model is written.

Why: with soft capacity minimised the whole model is written, a literal per activity and cell
it may take, and CP-SAT searches from the construction that reads audiences. Where nearly every
room has a grid of its own (38C3's programme scaled up) an activity may take nearly every slot
long enough for it: 2.4 million cell literals at 2,000 events, 4.5-5.7 GiB and 46-77 s of CPU,
only for CP-SAT to confirm the construction, which already left no more audiences without a
fitting room than the count's lower bound says any timetable must. When the objective is that
count alone, the bound is read from the cells the build already has (the activities no room of
any cell they may take can seat, plus the flow's shortfall, ``PooledRooms.fitting_shortfall``:
the model's own lower bound of the count) and the construction's misfits are counted by the
checker, independent of the model: if they are equal, the construction is optimal and the
model is never written. Otherwise the model is written and searched as before, the flow's
answer kept for it, and the count and bound are kept too: a run whose search finds nothing
better in time reports them (``Counted.value``) rather than no objective at all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from ..model import Severity
from ..timetable import Timetable
from .build import Build
from .objective import ObjectiveValue, Rank, broken, evaluate


@dataclass(frozen=True)
class Counted:
    """The construction's soft capacity cost, counted by the checker, and the count's lower
    bound: the optimum when they are equal, else what a run that finds nothing better has."""

    misfits: int
    """Audiences left without a room that holds them (each soft capacity rule counts them)."""
    lowest: int
    """No timetable leaves fewer (never-fit, plus the flow's shortfall when it was needed)."""
    weights: tuple[int, ...]

    @property
    def proven(self) -> bool:
        return self.misfits <= self.lowest

    @property
    def rank(self) -> Rank:
        """The objective's one rank as the model would have it, its counts as numbers."""
        upper = self.misfits
        counts = [(weight, self.misfits, upper) for weight in self.weights]
        return Rank("soft_rules", [broken("soft_rules", [], counts)])

    @property
    def cost(self) -> int:
        return sum(self.weights) * self.misfits

    @property
    def bound(self) -> int:
        return sum(self.weights) * min(self.lowest, self.misfits)

    def value(self) -> ObjectiveValue:
        """The objective in words as a search would report it: the cost, and the bound (the
        gap), proven when they meet."""
        rank, cost, low = self.rank, self.cost, self.bound
        return evaluate(
            [rank],
            lambda _: 0,
            lambda _: low,
            optimal=[self.proven],
            total=cost,
            raw_bound=low,
        )


def proven_construction(
    build: Build, timetable: Timetable, on_time: Callable[[], None] | None = None
) -> Counted | None:
    """The construction's count when it meets the count's lower bound (optimal); None when
    it does not, or soft capacity is not the whole objective (``counted_construction``)."""
    counted = counted_construction(build, timetable, on_time)
    return counted if counted is not None and counted.proven else None


def counted_construction(
    build: Build,
    timetable: Timetable,
    on_time: Callable[[], None] | None = None,
    flow: bool = True,
) -> Counted | None:
    """The construction's misfits and the count's lower bound when soft capacity is the whole
    objective; None when it is not, or the checker finds anything else (``on_time``: called
    before the check and the flow, which take seconds on a large model, and raises when time
    is out). ``flow=False``: the bound is the activities that fit nowhere alone, the flow
    left for ``tightened`` (on the odd 38C3 shape at 2,000 events it files 2.4 million
    choices by cell, 7-17 s of CPU and a gigabyte, where exchanges reach the first bound)."""
    weights = _capacity_alone(build)
    if not weights:
        return None
    if on_time is not None:
        on_time()
    misfits = misfits_count(build, timetable)
    pooled = build.pooled
    if misfits is None or pooled is None:
        return None
    counted = Counted(misfits, pooled.never_fit(), tuple(weights))
    return tightened(build, counted, on_time) if flow else counted


def tightened(build: Build, counted: Counted, on_time: Callable[[], None] | None = None) -> Counted:
    """``counted`` with the flow's shortfall added to its bound (``never_fit``'s alone),
    when the misfits are above it and the flow is a bound (one room per activity)."""
    pooled = build.pooled
    if counted.proven or pooled is None or not pooled.exclusive or pooled.explain:
        return counted
    if on_time is not None:
        on_time()
    shortfall = pooled.fitting_shortfall(on_time)
    return dataclasses.replace(counted, lowest=pooled.never_fit() + shortfall)


def _capacity_alone(build: Build) -> list[int]:
    """The soft capacity weights when the objective would be their count and nothing else
    (no other soft rule, planner default, kept error or day shape can cost): else none."""
    pooled = build.pooled
    if pooled is None or build.explain or build.finished:
        return []
    weights = pooled.soft_weights()
    objective = build.problem.programme.objective
    if sum(weights) <= 0 or "soft_rules" not in objective.ranking:
        return []
    others = [
        build.penalties,
        build.penalty_counts,
        build.kept_costs,
        *build.defaults.values(),
        *build.default_counts.values(),
    ]
    if any(others) or objective.idle_minutes or objective.day_end:
        return []
    return weights


def misfits_count(build: Build, timetable: Timetable) -> int | None:
    """The timetable's audiences without a room that holds them, by the checker; None when it
    finds anything else (a rule the objective would count, or a hard one broken)."""
    from ..checking import check_problem

    report = check_problem(build.problem, timetable)
    per_rule: dict[str, int] = {}
    for finding in report.findings:
        if finding.kind != "capacity":
            return None
        per_rule[finding.rule] = per_rule.get(finding.rule, 0) + 1
    soft = {
        rule.id
        for rule in build.problem.rules
        if rule.kind == "capacity" and rule.severity == Severity.SOFT
    }
    if not set(per_rule) <= soft or len(set(per_rule.values())) > 1:
        return None
    return next(iter(per_rule.values()), 0)
