"""Run every rule's checker over a timetable and collect a ``Report``.

This is the fast path CI runs on every commit: it must not import ortools, pandas or networkx.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from .baseline import Comparison, compare, programme_names
from .clock import format_clock
from .collector import collector_paused
from .compile import Item, Problem, compile_programme
from .departures import departure_findings
from .model import Programme, Severity
from .observations import observations
from .rules import REGISTRY, CheckContext, Finding, Level
from .rules.base import quote, when
from .structure import contradictions, open_end_findings, read_block_order
from .text import and_list, plural
from .timetable import Placement, Timetable, open_choices, published_timetable

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Report:
    """Findings sorted by date and time; ``ok`` when no hard rule is broken."""

    findings: list[Finding] = field(default_factory=list)
    checked_rules: int = 0
    activities: int = 0
    scheduled: int = 0
    timezone: str | None = None
    """The programme's time zone: the frame's times are in it."""
    comparison: Comparison | None = None
    """Against a baseline (``check(new, baseline=old)``): the findings this version adds,
    those it fixes, and how many it keeps; None without one."""

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

    def summary(self) -> str:
        """ "FAILED: 4 errors, 2 warnings, 3 notes (50/50 activities scheduled, 24 rules)",
        the line ``check`` prints under the findings."""
        counts = self.counts()
        found = ", ".join(
            plural(counts[level], noun)
            for level, noun in (("error", "error"), ("warning", "warning"), ("info", "note"))
        )
        scope = (
            f"{self.scheduled}/{self.activities} activities scheduled, "
            f"{plural(self.checked_rules, 'rule')}"
        )
        return f"{'OK' if self.ok else 'FAILED'}: {found} ({scope})"

    def __repr__(self) -> str:
        """The summary, then the first findings, one line each."""
        from .display import text_lines

        added = ""
        if self.comparison is not None:
            added = (
                f"; against the baseline {len(self.comparison.added)} added, "
                f"{len(self.comparison.fixed)} fixed"
            )
        lines = [f"{f.level.value}: {f.message}" for f in self.findings]
        return text_lines(f"<Report {self.summary()}{added}>", lines)

    def _repr_html_(self) -> str:
        """The summary and a table of the findings (for Jupyter)."""
        from .display import html_block
        from .reporting import when

        rows = [(f.level.value, f.rule, when(f), f.message, f.location) for f in self.findings]
        header = ("level", "rule", "when", "finding", "where")
        return html_block(self.summary(), table=(header, rows))

    def to_frame(self) -> pd.DataFrame:
        """One row per finding: level and kind as categories, ``start`` and ``end`` as aware
        date-times in the programme's zone, ``limit``/``actual``/``unit``, the activities and
        groups as lists, the file and line; against a baseline, first ``added``: whether
        this version adds the finding (imports pandas)."""
        from .frames import report_frame

        return report_frame(self)


def against(report: Report, programme: Programme, old: Programme | None) -> Report:
    """``report`` (of ``programme``) compared with the findings of ``old`` (None: a version
    with none). Findings are matched by what they say, not by line or time (``baseline``),
    so an edit is told by what it adds and fixes, not by every finding the file already had."""
    names = programme_names(programme)
    old_findings: list[Finding] = []
    if old is not None:
        old_findings = check(old).findings
        names |= programme_names(old)
    return dataclasses.replace(
        report, comparison=compare(old_findings, report.findings, names=names)
    )


def check(programme: Programme, timetable: Timetable | None = None) -> Report:
    """Evaluate every rule of ``programme`` on ``timetable`` (default: the times in the file)."""
    with collector_paused():
        report = _check_programme(programme, timetable)
    return report


def _check_programme(programme: Programme, timetable: Timetable | None) -> Report:
    """Compile and check; the compiled problem is freed on return, while the collector is
    still paused (otherwise its first pass afterwards walks every object of it: a third of
    the time of checking 10,000 activities)."""
    problem = compile_programme(programme)
    if timetable is None:
        return _check_problem(problem, published_timetable(problem), published=True)
    return _check_problem(problem, timetable)


def check_problem(problem: Problem, timetable: Timetable, *, hard_only: bool = False) -> Report:
    """``hard_only``: only the hard rules (and where each activity is placed) are checked, for
    a caller that only asks whether the timetable is ``ok`` (soft findings never change that;
    on a conference of 10,000 talks their sentences took most of the time)."""
    with collector_paused():
        return _check_problem(problem, timetable, hard_only=hard_only)


def _check_problem(
    problem: Problem, timetable: Timetable, *, published: bool = False, hard_only: bool = False
) -> Report:
    """``published``: the timetable is the file's own, so the choices it had to make for
    activities with a fixed time and open venue or room are told as notes, and so is what a
    careful planner asks about the file (``observations``: open ends, untimed items...)."""
    ctx = CheckContext(problem, timetable)
    findings = list(_placement_findings(ctx))
    findings.extend(_structure_findings(problem, timetable, published=published))
    findings.extend(_rule_findings(ctx, hard_only=hard_only))
    findings = _parts_outside(ctx, findings)
    if published:
        findings.extend(departure_findings(problem, timetable))
        findings.extend(_choice_notes(problem, timetable))
        findings.extend(observations(problem, timetable))
    findings.extend(_set_aside_notes(problem))
    findings.extend(_attention_notes(problem))
    unscheduled = []
    if len(ctx.placed) < len(problem.items):
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
        checked_rules=sum(1 for rule in problem.rules if not rule.planner_default),
        activities=len(problem.items),
        scheduled=len(problem.items) - len(unscheduled),
        timezone=problem.programme.course.timezone,
    )


def _rule_findings(ctx: CheckContext, *, hard_only: bool = False) -> list[Finding]:
    findings: list[Finding] = []
    for rule in ctx.problem.rules:
        if hard_only and rule.severity == Severity.SOFT:
            continue
        found = list(REGISTRY[rule.kind].check(rule, ctx))
        if found:  # most of a conference's thousands of clash rules find nothing
            findings.extend(merge_groups(ctx.problem, found))
    return findings


def _parts_outside(ctx: CheckContext, findings: list[Finding]) -> list[Finding]:
    """Parts that lie outside their block: one finding per block, whatever the number of parts.

    When every part (two or more) lies outside the block, on one day, the block's own time is
    the likely slip (one wrong start time): the finding is the block's, gives the time its
    parts take, and names the other findings that this one cause explains: those about the
    block that are gone when it is checked at its parts' time. They are folded into it, so one
    slip is one finding. Otherwise the parts are named, at the first one's line."""
    problem = ctx.problem
    if not any(item.block is not None for item, _ in ctx.by_index):  # a conference has none
        return list(findings)
    outside: dict[str, list[tuple[Item, Placement]]] = {}
    parts: dict[str, list[tuple[Item, Placement]]] = {}
    for item, p in ctx.placed:
        if item.block is None:
            continue
        held = ctx.timetable.get(item.block)
        if held is None:
            continue
        parts.setdefault(item.block, []).append((item, p))
        if held.date != p.date or p.start < held.start or p.end > held.end:
            outside.setdefault(item.block, []).append((item, p))
    result = list(findings)
    for block_id, lying in outside.items():
        block, bp = problem.item(block_id), ctx.timetable.placements[block_id]
        dates = {p.date for _, p in lying}
        if len(lying) >= 2 and len(lying) == len(parts[block_id]) and len(dates) == 1:
            result = _block_slip(ctx, result, block, bp, lying)
            continue
        items = [i for i, _ in lying]
        named = and_list([f"{quote(i)} ({when(p)})" for i, p in lying])
        verb = "is a part" if len(items) == 1 else "are parts"
        lies = "lies" if len(items) == 1 else "lie"
        result.append(
            _placement(
                problem,
                f"{named} {verb} of {quote(block)} ({when(bp)}) but {lies} outside it",
                items,
                lying[0][1],
                items[0].line,
            )
        )
    return result


def _block_slip(
    ctx: CheckContext,
    findings: list[Finding],
    block: Item,
    bp: Placement,
    parts: list[tuple[Item, Placement]],
) -> list[Finding]:
    problem = ctx.problem
    start = min(p.start for _, p in parts)
    end = max(p.end for _, p in parts)
    date = parts[0][1].date
    moved = dataclasses.replace(bp, date=date, start=start, end=end)
    fixed = Timetable({**ctx.timetable.placements, block.id: moved})
    after = Counter(_what(f) for f in _rule_findings(CheckContext(problem, fixed)))
    explained = []
    kept = []
    for finding in findings:
        if block.id in finding.activities and after[_what(finding)] == 0:
            explained.append(finding)
        else:
            kept.append(finding)
    shown = [f"{quote(i)} ({format_clock(p.start)}-{format_clock(p.end)})" for i, p in parts[:3]]
    more = f" and {plural(len(parts) - 3, 'more')}" if len(parts) > 3 else ""
    message = (
        f"{quote(block)} ({when(bp)}) holds none of its {plural(len(parts), 'part')}: "
        f"{', '.join(shown)}{more} lie outside it; is its time right? Its parts run "
        f"{format_clock(start)}-{format_clock(end)}"
    )
    if explained:
        told = "; ".join(f"[{f.rule}] {f.message}" for f in explained)
        message += f". At that time this also explains: {told}"
    others = [i for i, _ in parts]
    for finding in explained:
        others.extend(problem.item(x) for x in finding.activities if x in problem.index)
    items = list({i.id: i for i in [block, *others]}.values())
    kept.append(_placement(problem, message, items, bp, block.line))
    return kept


def _what(finding: Finding) -> tuple[str, tuple[str, ...]]:
    """A finding apart from its times and words: its rule and the activities it is about."""
    return finding.rule, tuple(sorted(finding.activities))


def _placement(
    problem: Problem, message: str, items: list[Item], p: Placement, line: int | None
) -> Finding:
    return Finding(
        rule="placement",
        kind="placement",
        level=Level.ERROR,
        message=message,
        activities=tuple(i.id for i in items),
        date=p.date,
        start=p.start,
        end=p.end,
        file=problem.source.file,
        line=line,
    )


def _set_aside_notes(problem: Problem) -> Iterator[Finding]:
    """A rule the file sets aside is neither checked nor solved for: say so, every time."""
    for rule in problem.set_aside:
        yield Finding(
            rule=rule.id,
            kind=rule.kind,
            level=Level.INFO,
            message=f"rule {rule.id} is set aside: {rule.set_aside}",
            file=problem.source.file,
            line=problem.rule_lines.get(rule.id),
        )


def _attention_notes(problem: Problem) -> Iterator[Finding]:
    """The programme's to-do list (``attention:``, what a new edition leaves to a person):
    a note per item, every time, until the planner settles and removes it."""
    for index, item in enumerate(problem.programme.attention):
        yield Finding(
            rule="attention",
            kind="attention",
            level=Level.INFO,
            message=f"needs a person: {item}",
            file=problem.source.file,
            line=problem.source.line(("attention", index)),
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
        yield _about_placed(
            problem,
            "choice",
            Level.INFO,
            item,
            p,
            f"{quote(item)} has a fixed time but a choice of "
            + (f"venues ({', '.join(choices)})" if len(choices) > 1 else "rooms")
            + f"; checked at {where}, where it fits best ('course-scheduler solve' chooses)",
        )


def merge_groups(problem: Problem, findings: Iterable[Finding]) -> list[Finding]:
    """One finding per broken instance: the same finding found in the day of several groups
    becomes one that names them (when the programme has more than one group). A sub-group's
    day holds its parent's activities, so what breaks the parent's day breaks the sub-group's
    too: only the outermost groups are named ("for Participants", not "for Participants and
    Coordinators"), and nobody is named when that is the one group of the course."""
    merged: dict[Finding, list[str]] = {}
    for finding in findings:
        # most findings name no group (a conference's): they are their own key, uncopied
        key = dataclasses.replace(finding, groups=()) if finding.groups else finding
        groups = merged.setdefault(key, [])
        groups.extend(g for g in finding.groups if g not in groups)
    if len(problem.group_ids) < 2:
        return [dataclasses.replace(f, groups=tuple(g)) if g else f for f, g in merged.items()]
    names = problem.group_names or {g.id: g.name for g in problem.programme.groups}
    roots = [g for g in problem.group_ids if problem.group_parent.get(g) is None]
    result = []
    for finding, groups in merged.items():
        outermost, spared = outer_groups(problem, groups)
        message = finding.message
        if outermost and not (len(roots) == 1 and outermost == roots and not spared):
            message += f" (for {and_list([names.get(g, g) for g in outermost])}"
            if spared:
                message += f", except {and_list([names.get(g, g) for g in spared])}"
            message += ")"
        result.append(dataclasses.replace(finding, message=message, groups=tuple(outermost)))
    return result


def outer_groups(problem: Problem, groups: Iterable[str]) -> tuple[list[str], list[str]]:
    """The outermost of ``groups`` (those no other of them contains), and the outermost groups
    under them whose day is not among ``groups`` (the coordinators, whose meeting fills the
    hole that the rest of the cohort has)."""
    named = list(dict.fromkeys(groups))
    inside = set(named)
    outermost = [g for g in named if not any(problem.contains(o, g) for o in inside if o != g)]
    spared = [
        g
        for g in problem.group_ids
        if g not in inside
        and problem.group_parent.get(g) in inside
        and set(problem.ancestors(g)) & set(outermost)
    ]
    return outermost, spared


def _placement_findings(ctx: CheckContext) -> list[Finding]:
    """Structural: each placement uses an allowed day, venue and room, for its full duration.
    Options are read as sets once per tuple, looked up inline (thousands of activities share a
    handful of them). A room list is not made a set (``_listed_rooms``). The activities are
    read in the order the problem lists them (``CheckContext.by_index``), and what is found
    is put in time order afterwards, as a reading in time order finds it."""
    problem = ctx.problem
    found: list[tuple[tuple[Any, ...], Finding]] = []
    sets: dict[int, frozenset[Any]] = {}
    listed_rooms = _listed_rooms(ctx)
    closed_on = _closed_by_day(problem)
    day_of, room_venue, slot_ends = (
        problem.day_of_date.get,
        problem.room_venue.get,
        problem.slot_ends,
    )
    for item, p in ctx.by_index:
        day = day_of(p.date)
        problems = []
        start, end, room, venue = p.start, p.end, p.room, p.venue
        duration, longest = item.duration, item.longest
        options, rooms = item.options, item.rooms
        allowed = sets.get(id(options))
        if allowed is None:
            allowed = sets[id(options)] = frozenset(options)
        if day is None or (day, venue) not in allowed:
            problems.append("is placed on a day or at a venue it does not allow")
        length = end - start
        elastic = longest > duration
        if item.open_end:
            pass  # its length is read from what follows it (``_structure_findings``)
        elif elastic and not duration <= length <= longest:
            problems.append(
                f"lasts {plural(length, 'minute')}, outside its {duration} to {longest} minutes"
            )
        elif not elastic and length != duration:
            problems.append(f"lasts {plural(length, 'minute')} instead of {duration}")
        if end > 24 * 60:
            problems.append("runs past midnight")
        if rooms and room not in listed_rooms[id(rooms)]:
            problems.append(f"is in room {room}, not one of {', '.join(rooms)}")
        if room and room_venue(room) != venue:
            problems.append(f"is in room {room}, which is not at its venue")
        ends = slot_ends.get(room) if room and slot_ends else None
        if ends is not None and end > ends.get(start, -1):
            problems.append(f"does not fit a slot of room {room}")
        closed = closed_on.get(room) if room and day is not None else None
        for c_start, c_end in closed.get(day, ()) if closed and day is not None else ():
            if start < c_end and c_start < end:
                problems.append(
                    f"is in room {room} while it is closed "
                    f"({format_clock(c_start)}-{format_clock(c_end)})"
                )
        for b_day, b_start, b_end, b_room in item.barred:
            in_room = b_room is None or b_room == room
            if b_day == day and in_room and start < b_end and b_start < end:
                where = f" in room {b_room}" if b_room else ""
                problems.append(
                    f"overlaps a barred window {format_clock(b_start)}-{format_clock(b_end)}{where}"
                )
        for text in problems:
            found.append(
                (
                    (p.date, p.start, p.end, item.index),
                    _placed_error(problem, "placement", item, p, text),
                )
            )
    found.sort(key=itemgetter(0))  # stable: an activity's findings keep their order
    return [finding for _, finding in found]


def _closed_by_day(problem: Problem) -> dict[str, dict[int, list[tuple[int, int]]]]:
    """Each room's closed windows by day index, in the order the problem lists them. A room
    of a programme that runs for hundreds of days may be closed on each of them (DebConf 23
    copied by days: 240 windows a room at 10,000 talks), and every activity in it read them
    all."""
    by_day: dict[str, dict[int, list[tuple[int, int]]]] = {}
    for room, windows in problem.room_closed.items():
        days: dict[int, list[tuple[int, int]]] = {}
        by_day[room] = days
        for c_day, c_start, c_end in windows:
            days.setdefault(c_day, []).append((c_start, c_end))
    return by_day


def _listed_rooms(ctx: CheckContext) -> dict[int, set[Any]]:
    """For each list of rooms (by identity) of the placed activities, the rooms they are
    placed in that it lists. A list is searched for those few rooms, not made a set: 38C3
    with its rooms copied to 10,000 talks has 900 lists of 1,600 rooms, and making each a set
    was most of the check's reading of placements (0.14 s of 0.16); ``set.intersection``
    stops once it has found them all."""
    wanted: dict[int, set[Any]] = {}
    lists: dict[int, tuple[str, ...]] = {}
    for item, p in ctx.by_index:
        rooms = item.rooms
        if rooms:
            found = wanted.get(id(rooms))
            if found is None:
                found = wanted[id(rooms)] = set()
                lists[id(rooms)] = rooms
            found.add(p.room)
    return {key: found.intersection(lists[key]) for key, found in wanted.items()}


def _structure_findings(
    problem: Problem, timetable: Timetable, *, published: bool
) -> Iterator[Finding]:
    """What an item is, read as the solver reads it (``structure``): an open end lasts until
    what follows it (the file's own timetable is read so, so only another one can differ),
    and the parts of a block that is not ``parallel`` run one after another."""
    found: list[tuple[str, Item, Placement, str]] = []
    if not published:
        found.extend(
            ("placement", i, p, text) for i, p, text in open_end_findings(problem, timetable)
        )
    for block, part, q, p, gap in read_block_order(problem, timetable):
        before = problem.item(p.activity)
        travel = f" and the {plural(gap, 'minute')} to get there" if gap else ""
        found.append(
            (
                "block",
                part,
                q,
                f"starts before {quote(before)} ({when(p)}) has ended{travel}: the parts of "
                f"{quote(block)} run one after another, in the order the file lists them "
                "(if they run side by side, say 'parallel: true' on the block)",
            )
        )
    for c in contradictions(problem):
        yield Finding(
            rule=c.rule,
            kind="contradiction",
            level=Level.ERROR if c.error else Level.WARNING,
            message=c.message,
            activities=tuple(i.id for i in c.items),
            file=problem.source.file,
            line=problem.rule_lines.get(c.rule),
        )
    for rule, item, p, text in found:
        yield _placed_error(problem, rule, item, p, text)


def _placed_error(problem: Problem, rule: str, item: Item, p: Placement, text: str) -> Finding:
    """An error about one placed activity (``text``: what is wrong with it, after its name
    and time)."""
    return _about_placed(problem, rule, Level.ERROR, item, p, f"{quote(item)} ({when(p)}) {text}")


def _about_placed(
    problem: Problem, rule: str, level: Level, item: Item, p: Placement, message: str
) -> Finding:
    """A finding about one placed activity, at its placement and at the activity's line of
    the file."""
    return Finding(
        rule=rule,
        kind=rule,
        level=level,
        message=message,
        activities=(item.id,),
        date=p.date,
        start=p.start,
        end=p.end,
        file=problem.source.file,
        line=item.line,
    )
