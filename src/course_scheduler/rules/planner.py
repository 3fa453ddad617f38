"""Planner defaults: the shape of a day a planner would sign, as soft rules with two readings.

Right by the rules is not enough: a timetable with a free afternoon at 8:45, a 10-minute hole
before every talk or the welcome after the first session passes every hard rule. These rules
are on unless the file turns them off (a weight of 0 in ``objective``); a file may also write
them out in ``rules`` like any other. Their findings are notes: they never fail ``check``.

* ``holes``: after an activity, the group's next one starts at once (or after the travel
  between them, rounded up to the grid's step), or at least ``minimum`` minutes later; two
  fixed times may force a short hole.
* ``order``: the order in which the file lists a day's activities (and a module's unplaced
  ones) holds.
* ``grid``: a time the solver chooses is on the grid (every 5 minutes by default).
* ``day_start``: a day's first activity (bus rides aside: they follow their leg) starts at the
  day's usual start, every minute away costing.
* ``parts``: an activity lies in a part of the day its kind takes (by its middle); meals
  keep to their usual times instead (``skeleton.py``).

Fixed means pinned at the file's time (and, in the model, not unpinned): nothing a solver can
change, so never a finding of these rules.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ..clock import format_clock
from ..compile import Item, Problem, hidden_in_container
from ..model import DayStartRule, GridRule, HolesRule, OrderRule, PartsRule, Severity
from ..text import plural
from ..timetable import Placement
from ..vocabulary import PARTS, Category, Part
from .base import (
    CheckContext,
    DrawnGroups,
    Finding,
    ModelContext,
    by_group,
    day_label,
    quote,
    register,
    travel_need,
    venue_expression,
)

DAY = 24 * 60


def fixed_at(item: Item, p: Placement) -> bool:
    """Pinned, and where the file pins it."""
    return item.pinned and item.fixed_start is not None and p.start == item.fixed_start


# --- holes ---------------------------------------------------------------------------------------


def longest_travel(problem: Problem) -> int:
    """The longest travel need between two venues, a day for a pair with no way between them:
    an activity that far away still follows at once, as the encoding reads it."""
    count = len(problem.venues)
    if sum(a != b for a, b in problem.travel) < count * (count - 1):
        return DAY
    return min(max(problem.travel.values(), default=0), DAY)


def hole_step(rule: HolesRule, problem: Problem) -> int:
    """The travel is rounded up to this before a gap counts as a hole: an 8-minute walk after
    a talk ending at 7:15 arrives at 7:23, and the grid's next time is 7:25; calling those 2
    minutes a hole would cost more than leaving the grid, and the day would go on at 7:23,
    which no planner writes. Only the travel is rounded: with none, a minute after the end is
    a hole (a start off the grid leaves no gap for free). The rule's own ``step``, else the
    programme's grid (a grid rule that weighs something, the planner default's included),
    else 1: the travel as it is."""
    if rule.step is not None:
        return rule.step
    grids = [
        other.minutes
        for other in problem.rules
        if isinstance(other, GridRule)
        and other.set_aside is None
        and (other.severity == Severity.HARD or other.weight)
    ]
    return max(grids, default=1)


def rounded_up(minutes: int, step: int) -> int:
    """``minutes`` rounded up to a multiple of ``step``."""
    return -(-minutes // step) * step


def check_holes(rule: HolesRule, ctx: CheckContext) -> Iterator[Finding]:
    problem = ctx.problem
    longest_need = longest_travel(problem)
    step = hole_step(rule, problem)
    reach = max(rule.minimum, step)
    for (group, date), pairs in ctx.visible_by_group_day().items():
        starts = [p.start for _, p in pairs]
        longest = max((p.end - p.start for _, p in pairs), default=0)
        for a, p in pairs:
            # what can cover a's end or start too soon: a window of starts around it
            low = bisect.bisect_left(starts, p.end - longest)
            high = bisect.bisect_left(starts, p.end + longest_need + reach)
            later = [(b, q) for b, q in pairs[low:high] if b is not a]
            after = [(b, q) for b, q in later if q.end > p.end]
            if not after:
                continue  # the day's last activity, or the next starts long after
            covered = True
            short = []  # what starts too soon after a's end (and its travel) to use the hole
            for b, q in after:
                need = travel_need(problem, a, p.venue, b, q.venue)
                reach_b = p.end + rounded_up(need, step)
                if q.start <= reach_b or (fixed_at(a, p) and fixed_at(b, q)):
                    break
                if q.start < p.end + need + rule.minimum:
                    short.append((q.start, b.index, b, q, need))
            else:
                covered = False
            if covered or not short:
                continue
            _, _, b, q, need = min(short, key=lambda x: x[:2])
            hole = Placement(date, p.end, q.start, a.id, p.venue)
            minutes = q.start - p.end - need
            travel = f" besides {plural(need, 'minute')} of travel" if need else ""
            yield ctx.finding(
                rule,
                f"a {minutes}-minute hole{travel} after {quote(a)}, before {quote(b)} "
                f"at {format_clock(q.start)} (a hole under {rule.minimum} minutes is wasted)",
                [a, b],
                hole,
                group=group,
                limit=rule.minimum,
                actual=minutes,
                unit="minutes",
            )


def post_holes(rule: HolesRule, m: ModelContext) -> None:
    """Per group and activity ``a``: some ``b`` runs by the time ``a`` ends plus the travel
    to it, rounded up to the grid's step (or both are fixed), or every ``b`` still to end
    starts ``minimum`` later or more."""
    problem = m.problem
    step = hole_step(rule, problem)

    def rounded(problem: Problem, a: Item, va: str | None, b: Item, vb: str | None) -> int:
        return rounded_up(travel_need(problem, a, va, b, vb), step)

    visible = [i for i in problem.items if not hidden_in_container(problem, i)]
    grouped = by_group(problem, visible)
    drawn = DrawnGroups(m, grouped)
    for group, items in grouped.items():
        for a in items:
            others = [b for b in items if b.index != a.index and m.may_share_day(a, b)]
            if not others or not drawn.judged(group, a):
                continue
            options: list[Any] = []
            far = m.model.new_bool_var(f"far_{a.id}")
            options.append(far)
            for b in others:
                need = m.need(a, b)
                together = [m.same_day(a, b)]
                later = m.model.new_bool_var(f"later_{a.id}_{b.id}")
                m.model.add(m.end(b) > m.end(a)).only_enforce_if(later)
                m.model.add(m.end(b) <= m.end(a)).only_enforce_if(later.Not())
                cover = m.model.new_bool_var(f"cover_{a.id}_{b.id}")
                m.model.add_implication(cover, later)
                m.model.add_bool_and(together).only_enforce_if(cover)
                if not (m.is_pinned(a) and m.is_pinned(b)):
                    walk = (
                        rounded_up(need, step)
                        if isinstance(need, int)
                        else venue_expression(m, a, b, rounded, "walk")
                    )
                    m.model.add(m.start(b) <= m.end(a) + walk).only_enforce_if(cover)
                options.append(cover)
                # far: every b on a's day that ends after a starts minimum after its travel
                m.model.add(m.start(b) >= m.end(a) + need + rule.minimum).only_enforce_if(
                    [far, *together, later]
                )
            m.model.add_bool_or(options).only_enforce_if(m.guard(rule, instance=a.id))


# --- order ---------------------------------------------------------------------------------------

LONG_LIST = 60
"""A day list longer than this (a conference's) has only its neighbours compared."""


def listed_pairs(problem: Problem) -> list[tuple[Item, Item]]:
    """Pairs (first, second) in the order the file lists them: each day's activities, and each
    module's activities not yet placed; only pairs sharing a group and not both pinned."""
    lists: dict[Any, list[Item]] = defaultdict(list)
    for item in problem.items:
        if item.ride is not None:
            continue
        if item.path[:1] == ("days",):
            lists[("day", item.path[1])].append(item)
        elif item.module is not None:
            lists[("module", item.module)].append(item)
    pairs = []
    for members in lists.values():
        for x, a in enumerate(members):
            seconds = members[x + 1 : x + 2] if len(members) > LONG_LIST else members[x + 1 :]
            for b in seconds:
                if problem.shares_group(a, b) and not (a.pinned and b.pinned):
                    pairs.append((a, b))
    return pairs


def check_order(rule: OrderRule, ctx: CheckContext) -> Iterator[Finding]:
    for a, b in listed_pairs(ctx.problem):
        p, q = ctx.placement(a), ctx.placement(b)
        if p is None or q is None or p.date != q.date or q.start >= p.start:
            continue
        yield ctx.finding(
            rule,
            f"{quote(b)} at {format_clock(q.start)} comes before {quote(a)} at "
            f"{format_clock(p.start)}, which the file lists first",
            [b, a],
            q,
            limit=p.start,
            actual=q.start,
            unit="time",
        )


def post_order(rule: OrderRule, m: ModelContext) -> None:
    for a, b in listed_pairs(m.problem):
        if not m.may_share_day(a, b):
            continue
        guard = m.guard(rule, instance=f"{a.id}<{b.id}")
        m.model.add_bool_or([m.same_day(a, b).Not(), m.before(a, b)]).only_enforce_if(guard)


# --- grid ----------------------------------------------------------------------------------------


def check_grid(rule: GridRule, ctx: CheckContext) -> Iterator[Finding]:
    for item, p in ctx.placed:
        if p.start % rule.minutes and not fixed_at(item, p):
            nearest = _on_grid(p.start, rule.minutes)
            yield ctx.finding(
                rule,
                f"{quote(item)} starts at {format_clock(p.start)}, off the "
                f"{rule.minutes}-minute grid ({format_clock(nearest)} is on it)",
                [item],
                p,
                limit=nearest,
                actual=p.start,
                unit="time",
            )


def _on_grid(minute: int, step: int) -> int:
    """The time on the grid nearest ``minute`` (the earlier one of two as near)."""
    down = minute - minute % step
    return down if minute - down <= down + step - minute else down + step


def post_grid(rule: GridRule, m: ModelContext) -> None:
    for item in m.problem.items:
        if m.is_pinned(item):
            continue
        steps = m.model.new_int_var(0, DAY // rule.minutes, f"grid_{item.id}")
        m.model.add(m.time_of_day(item) == rule.minutes * steps).only_enforce_if(
            m.guard(rule, instance=item.id)
        )


# --- day start -----------------------------------------------------------------------------------


def check_day_start(rule: DayStartRule, ctx: CheckContext) -> Iterator[Finding]:
    problem = ctx.problem
    first: dict[int, tuple[Item, Placement]] = {}
    movable: set[int] = set()
    for item, p in ctx.placed:
        day = problem.day_of_date.get(p.date)
        if day is None or item.ride is not None:
            continue
        first.setdefault(day, (item, p))
        if not fixed_at(item, p) or len(item.days) > 1:
            movable.add(day)
    for day, (item, p) in sorted(first.items()):
        usual = problem.day_starts[day]
        if usual is None or p.start == usual or day not in movable:
            continue
        away = abs(p.start - usual)
        side = "before" if p.start < usual else "after"
        finding = ctx.finding(
            rule,
            f"{day_label(p.date)} starts at {format_clock(p.start)} with {quote(item)}, "
            f"{plural(away, 'minute')} {side} its usual start {format_clock(usual)}",
            [item],
            p,
            limit=usual,
            actual=p.start,
            unit="time",
        )
        yield _times(finding, away)


def _times(finding: Finding, count: int) -> Finding:
    """A finding of a rule broken once per minute weighs its weight times the minutes."""
    import dataclasses

    return dataclasses.replace(finding, weight=finding.weight * count)


def post_day_start(rule: DayStartRule, m: ModelContext) -> None:
    """Per day with a usual start: ``first`` is the start of one activity on that day and no
    later than any; its distance from the usual start is counted minute by minute."""
    problem = m.problem
    activities = [i for i in problem.items if i.ride is None]
    for day, usual in enumerate(problem.day_starts):
        if usual is None:
            continue
        there = [i for i in activities if day in i.days]
        if not there or all(m.is_pinned(i) and len(i.days) == 1 for i in there):
            continue  # nothing can change how the day starts
        first = m.model.new_int_var(0, DAY, f"first_{day}")
        choices = []
        for item in there:
            on = m.on_day(item, day)
            m.model.add(first <= m.time_of_day(item)).only_enforce_if(on)
            chosen = m.model.new_bool_var(f"first_{day}_{item.id}")
            m.model.add_implication(chosen, on)
            m.model.add(first == m.time_of_day(item)).only_enforce_if(chosen)
            choices.append(chosen)
        empty = m.model.new_bool_var(f"empty_{day}")
        for item in there:
            m.model.add_implication(empty, m.on_day(item, day).Not())
        m.model.add(first == usual).only_enforce_if(empty)
        m.model.add_bool_or([*choices, empty])
        away = m.model.new_int_var(0, DAY, f"away_{day}")
        m.model.add_abs_equality(away, first - usual)
        m.count(rule, away, DAY)


# --- parts of the day ----------------------------------------------------------------------------


def judged_by_parts(item: Item) -> bool:
    """Does its kind leave out a part of the day? Meals never: a meal keeps to its usual
    time (``meal_times``), which the default part boundaries would only reshape."""
    return not set(item.parts) >= set(PARTS) and item.category != Category.MEAL


def check_parts(rule: PartsRule, ctx: CheckContext) -> Iterator[Finding]:
    problem = ctx.problem
    for item, p in ctx.placed:
        if not judged_by_parts(item) or fixed_at(item, p):
            continue
        part = problem.part(p.start, p.end)
        if part not in item.parts:
            takes = " or ".join(x.value for x in item.parts)
            middle = (p.start + p.end) // 2
            edge, later = _nearest_edge(p.start + p.end, _spans(item.parts, problem.boundaries))
            should = (
                f"at {format_clock(edge)} or later" if later else f"before {format_clock(edge)}"
            )
            yield ctx.finding(
                rule,
                f"{quote(item)} ({format_clock(p.start)}-{format_clock(p.end)}) is in the "
                f"{part.value}; a {problem.kinds[item.kind].label.lower()} belongs in the {takes} "
                f"(its middle, {format_clock(middle)}, should be {should})",
                [item],
                p,
                limit=edge,
                actual=middle,
                unit="time",
            )


def _nearest_edge(middle2: int, spans: list[tuple[int, int]]) -> tuple[int, bool]:
    """The edge of the nearest allowed part that a middle outside them all must cross, as a
    minute of the day, and whether the middle must move later to reach it (``middle2`` and
    ``spans`` count twice the middle, as the encoding does)."""
    edges = [(low - middle2, low // 2, True) for low, _ in spans if middle2 < low]
    edges += [(middle2 - high + 1, high // 2, False) for _, high in spans if middle2 >= high]
    _, edge, later = min(edges)
    return edge, later


def _spans(parts: tuple[Part, ...], boundaries: tuple[int, int, int]) -> list[tuple[int, int]]:
    """Twice-the-middle ranges [low, high) of the given parts, merged where they touch."""
    edges = [0, *(2 * b for b in boundaries), 4 * DAY]
    spans: list[tuple[int, int]] = []
    for index, part in enumerate(PARTS):
        if part in parts:
            low, high = edges[index], edges[index + 1]
            if spans and spans[-1][1] == low:
                spans[-1] = (spans[-1][0], high)
            else:
                spans.append((low, high))
    return spans


def post_parts(rule: PartsRule, m: ModelContext) -> None:
    problem = m.problem
    for item in problem.items:
        if not judged_by_parts(item) or m.is_pinned(item):
            continue
        middle2 = 2 * m.time_of_day(item) + m.duration(item)
        inside = []
        for low, high in _spans(item.parts, problem.boundaries):
            lit = m.model.new_bool_var(f"part_{item.id}_{low}")
            m.model.add(middle2 >= low).only_enforce_if(lit)
            m.model.add(middle2 < high).only_enforce_if(lit)
            inside.append(lit)
        m.model.add_bool_or(inside).only_enforce_if(m.guard(rule, instance=item.id))


register("holes", check_holes, post_holes)
register("order", check_order, post_order)
register("grid", check_grid, post_grid)
register("day_start", check_day_start, post_day_start)
register("parts", check_parts, post_parts)
