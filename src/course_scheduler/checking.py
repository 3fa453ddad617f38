"""Run every rule's checker over a timetable and collect a ``Report``.

This is the fast path CI runs on every commit: it must not import ortools, pandas or networkx.
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .clock import format_clock
from .compile import Problem, compile_programme
from .model import Programme
from .rules import REGISTRY, CheckContext, Finding, Level
from .rules.base import quote, when
from .timetable import Timetable, published_timetable


@dataclass
class Report:
    """Findings sorted by date and time; ``ok`` when no hard rule is broken."""

    findings: list[Finding] = field(default_factory=list)
    checked_rules: int = 0
    activities: int = 0
    scheduled: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == Level.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == Level.WARNING]

    @property
    def penalty(self) -> int:
        """Sum of the weights of the broken soft rules (what the solver minimises)."""
        return sum(f.weight for f in self.warnings)

    def counts(self) -> dict[str, int]:
        counter = Counter(f.level.value for f in self.findings)
        return {level.value: counter.get(level.value, 0) for level in Level}

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "counts": self.counts(),
            "rules": self.checked_rules,
            "activities": self.activities,
            "scheduled": self.scheduled,
            "findings": [f.as_dict() for f in self.findings],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)


def check(programme: Programme, timetable: Timetable | None = None) -> Report:
    """Evaluate every rule of ``programme`` on ``timetable`` (default: the times in the file)."""
    with collector_paused():
        problem = compile_programme(programme)
        return check_problem(problem, timetable or published_timetable(problem))


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the duration. Checking 10,000 activities allocates
    enough small objects to trigger it several times, and each pass walks the whole programme
    (tens of thousands of objects): a third of the time, for nothing, since checking makes no
    reference cycles. It is back on (if it was) when the block ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_problem(problem: Problem, timetable: Timetable) -> Report:
    with collector_paused():
        return _check_problem(problem, timetable)


def _check_problem(problem: Problem, timetable: Timetable) -> Report:
    ctx = CheckContext(problem, timetable)
    findings = list(_placement_findings(ctx))
    for rule in problem.rules:
        findings.extend(REGISTRY[rule.kind].check(rule, ctx))
    unscheduled = [i for i in problem.items if timetable.get(i.id) is None]
    if unscheduled:
        names = ", ".join(i.id for i in unscheduled[:5]) + ("..." if len(unscheduled) > 5 else "")
        findings.append(
            Finding(
                rule="scheduled",
                kind="scheduled",
                level=Level.INFO,
                message=f"{len(unscheduled)} activities have no date and time yet ({names}); "
                "'course-scheduler solve' fills them in",
                activities=tuple(i.id for i in unscheduled),
                file=problem.source.file,
                line=unscheduled[0].line,
            )
        )
    order = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}
    findings.sort(
        key=lambda f: (
            f.date is None,
            f.date or 0,
            f.start if f.start is not None else -1,
            order[f.level],
            f.rule,
            f.activities,
        )
    )
    return Report(
        findings=findings,
        checked_rules=len(problem.rules),
        activities=len(problem.items),
        scheduled=len(problem.items) - len(unscheduled),
    )


def _placement_findings(ctx: CheckContext) -> list[Finding]:
    """Structural: each placement uses an allowed day, venue and room, for its full duration."""
    problem = ctx.problem
    findings = []
    for item, p in ctx.placed:
        day = problem.day_of_date.get(p.date)
        problems = []
        if day is None or (day, p.venue) not in item.options:
            problems.append("is placed on a day or at a venue it does not allow")
        if p.end - p.start != item.duration:
            problems.append(f"lasts {p.end - p.start} minutes instead of {item.duration}")
        if item.rooms and p.room not in item.rooms:
            problems.append(f"is in room {p.room}, not one of {', '.join(item.rooms)}")
        if p.room and problem.room_venue.get(p.room) != p.venue:
            problems.append(f"is in room {p.room}, which is not at its venue")
        ends = problem.slot_ends.get(p.room) if p.room else None
        if ends is not None and p.end > ends.get(p.start, -1):
            problems.append(f"does not fit a slot of room {p.room}")
        for b_day, b_start, b_end, b_room in item.barred:
            in_room = b_room is None or b_room == p.room
            if b_day == day and in_room and p.start < b_end and b_start < p.end:
                where = f" in room {b_room}" if b_room else ""
                problems.append(
                    f"overlaps a barred window {format_clock(b_start)}-{format_clock(b_end)}{where}"
                )
        for text in problems:
            findings.append(
                Finding(
                    rule="placement",
                    kind="placement",
                    level=Level.ERROR,
                    message=f"{quote(item)} ({when(p)}) {text}",
                    activities=(item.id,),
                    date=p.date,
                    start=p.start,
                    end=p.end,
                    file=problem.source.file,
                    line=item.line,
                )
            )
    return findings
