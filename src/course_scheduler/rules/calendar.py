"""Rules about when things may happen: day windows, time windows, date windows, deadlines
(to confirm an activity, and work due at a time), speaker availability and confirmation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..clock import format_clock
from ..compile import DeadlineItem, Item, Problem
from ..model import (
    AvailabilityRule,
    ConfirmedRule,
    DateWindowRule,
    DayWindowRule,
    DeadlineRule,
    DueRule,
    Status,
    TimeWindowRule,
)
from ..timetable import Placement
from .base import CheckContext, Finding, ModelContext, day_label, quote, register, when


def check_day_window(rule: DayWindowRule, ctx: CheckContext) -> Iterator[Finding]:
    problem = ctx.problem
    for item, p in ctx.placed:
        day = problem.day_of_date.get(p.date)
        if day is None:
            yield ctx.finding(
                rule, f"{quote(item)} is on {day_label(p.date)}, not a course day", [item], p
            )
            continue
        start, end = problem.day_windows[day]
        if p.start < start or p.end > end:
            yield ctx.finding(
                rule,
                f"{quote(item)} ({when(p)}) falls outside the day's usable window "
                f"{format_clock(start)}-{format_clock(end)}",
                [item],
                p,
                limit=start if p.start < start else end,
                actual=p.start if p.start < start else p.end,
                unit="time",
            )
        if item.window is not None and (p.start < item.window[0] or p.end > item.window[1]):
            yield ctx.finding(
                rule,
                f"{quote(item)} ({when(p)}) falls outside its own window "
                f"{format_clock(item.window[0])}-{format_clock(item.window[1])}",
                [item],
                p,
                limit=item.window[0] if p.start < item.window[0] else item.window[1],
                actual=p.start if p.start < item.window[0] else p.end,
                unit="time",
            )


def _within(m: ModelContext, item: Item, start: int, end: int, lits: list[Any]) -> None:
    """``item`` lies inside [start, end) of its day whenever all of ``lits`` hold."""
    tod = m.time_of_day(item)
    m.model.add(tod >= start).only_enforce_if(lits)
    m.model.add(tod + m.duration(item) <= end).only_enforce_if(lits)


def post_day_window(rule: DayWindowRule, m: ModelContext) -> None:
    problem = m.problem
    for item in problem.items:
        guard = m.guard(rule, about=(item,))
        windows = {problem.day_windows[d] for d in item.days}
        if len(windows) == 1:
            start, end = windows.pop()
            _within(m, item, start, end, guard)
        else:
            for d in item.days:
                start, end = problem.day_windows[d]
                lits = [*guard, m.on_day(item, d)]
                _within(m, item, start, end, lits)
        if item.window is not None:
            _within(m, item, item.window[0], item.window[1], guard)


def _selected(rule: TimeWindowRule, items: list[Item]) -> list[Item]:
    ids = set(rule.activities)
    kinds = set(rule.kinds)
    return [i for i in items if i.id in ids or i.is_a(kinds)]


def check_time_window(rule: TimeWindowRule, ctx: CheckContext) -> Iterator[Finding]:
    chosen = {i.index for i in _selected(rule, ctx.problem.items)}
    for item, p in ctx.placed:
        if item.index in chosen and not rule.within.contains(p.start, p.end):
            yield ctx.finding(
                rule,
                f"{quote(item)} ({when(p)}) is not within {rule.within}",
                [item],
                p,
                limit=rule.within.start if p.start < rule.within.start else rule.within.end,
                actual=p.start if p.start < rule.within.start else p.end,
                unit="time",
            )


def post_time_window(rule: TimeWindowRule, m: ModelContext) -> None:
    for item in _selected(rule, m.problem.items):
        guard = m.guard(rule, about=(item,))
        _within(m, item, rule.within.start, rule.within.end, guard)


def _date_range(rule: DateWindowRule) -> str:
    return f"{day_label(rule.start)} to {day_label(rule.end)}"


def check_date_window(rule: DateWindowRule, ctx: CheckContext) -> Iterator[Finding]:
    chosen = set(rule.activities)
    event = rule.event or "it"
    for item, p in ctx.placed:
        if item.id in chosen and not (rule.start <= p.date <= rule.end):
            yield ctx.finding(
                rule,
                f"{quote(item)} is on {day_label(p.date)}, but {event} is only open "
                f"{_date_range(rule)}",
                [item],
                p,
            )


def post_date_window(rule: DateWindowRule, m: ModelContext) -> None:
    problem = m.problem
    allowed = [d for d, date in enumerate(problem.dates) if rule.start <= date <= rule.end]
    for ident in rule.activities:
        item = problem.item(ident)
        for d in item.days:
            if d not in allowed:
                guard = m.guard(rule, about=(item,))
                m.model.add_bool_or([m.on_day(item, d).Not()]).only_enforce_if(guard)


def check_deadline(rule: DeadlineRule, ctx: CheckContext) -> Iterator[Finding]:
    item = ctx.problem.item(rule.activity)
    p = ctx.placement(item)
    if p is not None and p.date <= rule.confirm_by:
        yield ctx.finding(
            rule,
            f"{quote(item)} on {day_label(p.date)} must be confirmed by "
            f"{day_label(rule.confirm_by)}, which leaves no day to confirm it",
            [item],
            p,
        )


def post_deadline(rule: DeadlineRule, m: ModelContext) -> None:
    item = m.problem.item(rule.activity)
    for d in item.days:
        if m.problem.dates[d] <= rule.confirm_by:
            m.model.add_bool_or([m.on_day(item, d).Not()]).only_enforce_if(m.guard(rule))


def check_due(rule: DueRule, ctx: CheckContext) -> Iterator[Finding]:
    """Per deadline: the session that sets the work has ended by then, and no activity of
    ``not_during`` of one of its groups is running at that moment (one that ends or starts at
    it is not: work due at 13:00 may be handed in as lunch starts)."""
    problem = ctx.problem
    for deadline in problem.deadlines:
        date, due = problem.dates[deadline.day], deadline.time
        moment = Placement(date, due, due, deadline.id)
        if deadline.set_by is not None:
            setter = problem.item(deadline.set_by)
            p = ctx.placement(setter)
            if p is not None and (p.date, p.end) > (date, due):
                yield _due_finding(
                    ctx,
                    rule,
                    deadline,
                    f"{_due_text(problem, deadline)}, before {quote(setter)} ({when(p)}), "
                    "which sets the work, has ended",
                    setter,
                    moment,
                    late=p.end if p.date == date else None,
                )
        mine = set(deadline.groups)
        for item, p in ctx.placed:
            if p.date != date or not p.start < due < p.end:
                continue
            if item.is_a(rule.not_during) and mine & set(item.groups):
                yield _due_finding(
                    ctx,
                    rule,
                    deadline,
                    f"{_due_text(problem, deadline)}, during {quote(item)} ({when(p)})",
                    item,
                    moment,
                )


def _due_text(problem: Problem, deadline: DeadlineItem) -> str:
    title = deadline.title if len(deadline.title) <= 60 else deadline.title[:57].rstrip() + "..."
    return f"'{title}' is due {day_label(problem.dates[deadline.day])} at {format_clock(deadline.time)}"


def _due_finding(
    ctx: CheckContext,
    rule: DueRule,
    deadline: DeadlineItem,
    message: str,
    item: Item,
    moment: Placement,
    late: int | None = None,
) -> Finding:
    """``late``: when the session that sets the work ends, on the deadline's day (the
    finding's ``actual``, against the deadline as ``limit``)."""
    import dataclasses

    finding = ctx.finding(
        rule,
        message,
        [item],
        moment,
        line=deadline.line,
        limit=None if late is None else moment.start,
        actual=late,
        unit=None if late is None else "time",
    )
    return dataclasses.replace(finding, activities=(deadline.id, item.id))


def post_due(rule: DueRule, m: ModelContext) -> None:
    """Times are absolute minutes, so "not during" is: the activity ends by the deadline or
    starts at it or later, whatever its day."""
    problem = m.problem
    for deadline in problem.deadlines:
        due = deadline.day * 24 * 60 + deadline.time
        if deadline.set_by is not None:
            setter = problem.item(deadline.set_by)
            guard = m.guard(
                rule, instance=f"{deadline.id}<{setter.id}", about=(deadline.id, setter)
            )
            m.model.add(m.end(setter) <= due).only_enforce_if(guard)
        mine = set(deadline.groups)
        for item in problem.items:
            if not item.is_a(rule.not_during) or not mine & set(item.groups):
                continue
            if deadline.day not in item.days:
                continue
            early = m.model.new_bool_var(f"due_{deadline.id}_after_{item.id}")
            late = m.model.new_bool_var(f"due_{deadline.id}_before_{item.id}")
            m.model.add(m.end(item) <= due).only_enforce_if(early)
            m.model.add(m.start(item) >= due).only_enforce_if(late)
            guard = m.guard(rule, instance=f"{deadline.id}|{item.id}", about=(deadline.id, item))
            m.model.add_bool_or([early, late]).only_enforce_if(guard)


def _windows_text(windows: list[tuple[str, str | None]]) -> str:
    parts = [f"{date}" + (f" {time}" if time else "") for date, time in windows]
    return ", ".join(parts)


def check_availability(rule: AvailabilityRule, ctx: CheckContext) -> Iterator[Finding]:
    people = ctx.problem.people
    for item, p in ctx.placed:
        for ident in item.people:
            person = people[ident]
            if person.status == Status.DECLINED:
                yield ctx.finding(
                    rule, f"{person.name} has declined but is booked for {quote(item)}", [item], p
                )
                continue
            if person.available is None:
                continue
            fits = any(
                w.date == p.date and (w.time is None or w.time.contains(p.start, p.end))
                for w in person.available
            )
            if not fits:
                windows = [
                    (day_label(w.date), str(w.time) if w.time else None) for w in person.available
                ]
                yield ctx.finding(
                    rule,
                    f"{person.name} is available only on {_windows_text(windows)}, "
                    f"but {quote(item)} is on {when(p)}",
                    [item],
                    p,
                )


def post_availability(rule: AvailabilityRule, m: ModelContext) -> None:
    problem = m.problem
    for item in problem.items:
        for ident in item.people:
            person = problem.people[ident]
            guard = m.guard(rule, ident, about=(item,))
            if person.status == Status.DECLINED:
                m.model.add_bool_or([]).only_enforce_if(guard)
                continue
            if person.available is None:
                continue
            choices: list[Any] = []
            for w in person.available:
                d = problem.day_of_date.get(w.date)
                if d is None or d not in item.days:
                    continue
                choice = m.model.new_bool_var(f"avail_{item.id}_{ident}_{len(choices)}")
                m.model.add_implication(choice, m.on_day(item, d))
                if w.time is not None:
                    _within(m, item, w.time.start, w.time.end, [choice])
                choices.append(choice)
            m.model.add_bool_or(choices).only_enforce_if(guard)


def check_confirmed(rule: ConfirmedRule, ctx: CheckContext) -> Iterator[Finding]:
    people = ctx.problem.people
    for item, p in ctx.placed:
        for ident in item.people:
            if people[ident].status == Status.TBC:
                yield ctx.finding(
                    rule,
                    f"{quote(item)} depends on {people[ident].name}, who is not confirmed yet",
                    [item],
                    p,
                )


def post_confirmed(rule: ConfirmedRule, m: ModelContext) -> None:
    """Confirmation does not depend on the timetable: each activity with a tbc person breaks the
    rule whatever the times (infeasible when hard, a fixed penalty when soft)."""
    for item in m.problem.items:
        for ident in item.people:
            if m.problem.people[ident].status == Status.TBC:
                m.model.add_bool_or([]).only_enforce_if(m.guard(rule))


register("day_window", check_day_window, post_day_window)
register("time_window", check_time_window, post_time_window)
register("date_window", check_date_window, post_date_window)
register("deadline", check_deadline, post_deadline)
register("due", check_due, post_due)
register("availability", check_availability, post_availability)
register("confirmed", check_confirmed, post_confirmed)
