"""Run every rule's checker over a timetable and collect a ``Report``.

This is the fast path CI runs on every commit: it must not import ortools, pandas or networkx.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .clock import format_clock
from .compile import Problem, compile_programme
from .model import Programme
from .rules import REGISTRY, CheckContext, Finding, Level
from .rules.base import quote, when
from .text import plural
from .timetable import Timetable, open_choices, published_timetable


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
        if timetable is None:
            return _check_problem(problem, published_timetable(problem), published=True)
        return _check_problem(problem, timetable)


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


def _check_problem(problem: Problem, timetable: Timetable, *, published: bool = False) -> Report:
    """``published``: the timetable is the file's own, so the choices it had to make for
    activities with a fixed time and open venue or room are told as notes."""
    ctx = CheckContext(problem, timetable)
    findings = list(_placement_findings(ctx))
    for rule in problem.rules:
        findings.extend(merge_groups(problem, REGISTRY[rule.kind].check(rule, ctx)))
    if published:
        findings.extend(_choice_notes(problem, timetable))
    unscheduled = [i for i in problem.items if timetable.get(i.id) is None]
    if unscheduled:
        names = ", ".join(i.id for i in unscheduled[:5]) + ("..." if len(unscheduled) > 5 else "")
        findings.append(
            Finding(
                rule="scheduled",
                kind="scheduled",
                level=Level.INFO,
                message=f"{plural(len(unscheduled), 'activity')} "
                f"{'has' if len(unscheduled) == 1 else 'have'} no date and time yet ({names}); "
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


def _choice_notes(problem: Problem, timetable: Timetable) -> Iterator[Finding]:
    """A fixed time with a choice of venues or rooms is checked where it fits best; say so."""
    for item in open_choices(problem):
        p = timetable.get(item.id)
        if p is None:
            continue
        choices = [problem.venues[v].name if v else "no venue" for v in item.venues]
        where = problem.venues[p.venue].name if p.venue else "no venue"
        if p.room:
            where += f", room {p.room}"
        yield Finding(
            rule="choice",
            kind="choice",
            level=Level.INFO,
            message=f"{quote(item)} has a fixed time but a choice of "
            + (f"venues ({', '.join(choices)})" if len(choices) > 1 else "rooms")
            + f"; checked at {where}, where it fits best ('course-scheduler solve' chooses)",
            activities=(item.id,),
            date=p.date,
            start=p.start,
            end=p.end,
            file=problem.source.file,
            line=item.line,
        )


def merge_groups(problem: Problem, findings: Iterable[Finding]) -> list[Finding]:
    """One finding per broken instance: the same finding found in the day of several groups
    becomes one that names them (when the programme has more than one group)."""
    merged: dict[Finding, list[str]] = {}
    for finding in findings:
        key = dataclasses.replace(finding, groups=())
        groups = merged.setdefault(key, [])
        groups.extend(g for g in finding.groups if g not in groups)
    if len(problem.group_ids) < 2:
        return [dataclasses.replace(f, groups=tuple(g)) for f, g in merged.items()]
    names = {g.id: g.name for g in problem.programme.groups}
    result = []
    for finding, groups in merged.items():
        message = finding.message
        if groups:
            message += f" (for {_and([names.get(g, g) for g in groups])})"
        result.append(dataclasses.replace(finding, message=message, groups=tuple(groups)))
    return result


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


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
            problems.append(f"lasts {plural(p.end - p.start, 'minute')} instead of {item.duration}")
        if item.rooms and p.room not in item.rooms:
            problems.append(f"is in room {p.room}, not one of {', '.join(item.rooms)}")
        if p.room and problem.room_venue.get(p.room) != p.venue:
            problems.append(f"is in room {p.room}, which is not at its venue")
        ends = problem.slot_ends.get(p.room) if p.room else None
        if ends is not None and p.end > ends.get(p.start, -1):
            problems.append(f"does not fit a slot of room {p.room}")
        for c_day, c_start, c_end in problem.room_closed.get(p.room, ()) if p.room else ():
            if c_day == day and p.start < c_end and c_start < p.end:
                problems.append(
                    f"is in room {p.room} while it is closed "
                    f"({format_clock(c_start)}-{format_clock(c_end)})"
                )
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
