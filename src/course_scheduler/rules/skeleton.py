"""The day's skeleton: what a planner fixes first when laying out a day, as planner defaults.

A timetable can keep every rule of the file and the listed order and still be one nobody
signs: lunch at 16:10, registration after lunch, a coffee right after lunch, a talk after
dinner, the parallel tutorials of one slot starting at 14:00, 15:25 and 17:40, an empty
stretch in the middle of the afternoon. These rules say what a day's frame is; they are on
unless the file turns them off (a weight of 0 in ``objective``) and they count before the
file's own soft rules (``objective.ranking``). Like every planner default they judge only
what a solve may move: two times the file pins are never a finding between them.

* ``meal_times``: each meal starts near its usual time (``usual_meal_times``); and
  ``meal_drift``, outside the skeleton's rank, counts each minute it starts away from it.
* ``openers``: arrival, registration, check-in and welcome open their day.
* ``spaced_breaks``: a break is never next to a meal or another break.
* ``after_dinner``: nothing after the day's dinner but what belongs in the evening.
* ``together``: parallel sessions (of sibling groups, or parts of one block) start together.
* ``idle``: no idle stretch longer than ``maximum`` minutes between a group's activities.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from ..clock import format_clock
from ..compile import Item, Problem, hidden_in_container
from ..model import (
    AfterDinnerRule,
    IdleRule,
    MealDriftRule,
    MealTimesRule,
    OpenersRule,
    SpacedBreaksRule,
    TogetherRule,
)
from ..text import plural
from ..timetable import Placement
from ..vocabulary import Category, KindInfo, Part
from .base import (
    CheckContext,
    DrawnGroups,
    Finding,
    ModelContext,
    by_group,
    quote,
    register,
    travel_need,
)
from .planner import DAY, fixed_at

SKELETON_KINDS = frozenset({"meal_times", "openers", "spaced_breaks", "after_dinner", "together"})
"""The rule kinds of the day's skeleton: as planner defaults, one rank of the objective. An
idle stretch is not in it: a planner closes one by moving things along, never by turning the
listed order round (``idle`` counts in the day's shape, after the order); nor is a meal's
drift inside its window (``meal_drift``), which only says where in it."""

# --- meals and their usual times -----------------------------------------------------------------

MEAL_DEFAULTS = {Part.MORNING: 7 * 60 + 30, Part.MIDDAY: 12 * 60 + 30, Part.EVENING: 19 * 60}
"""A meal's usual start when nothing in the file says it: breakfast, lunch, dinner."""
MEAL_WORDS = (
    ("breakfast", Part.MORNING),
    ("brunch", Part.MORNING),
    ("lunch", Part.MIDDAY),
    ("dinner", Part.EVENING),
    ("supper", Part.EVENING),
)
DINNER_FROM = 16 * 60
"""A meal whose usual time is this late is the day's dinner."""


def _default_time(kind: KindInfo) -> int | None:
    """The usual start of a meal kind by the one part of the day it takes, else by its name."""
    if len(kind.parts) == 1 and kind.parts[0] in MEAL_DEFAULTS:
        return MEAL_DEFAULTS[kind.parts[0]]
    words = f"{kind.name} {kind.label}".lower()
    for word, part in MEAL_WORDS:
        if word in words:
            return MEAL_DEFAULTS[part]
    return None


def usual_meal_times(problem: Problem) -> dict[int, int]:
    """Each meal's usual start (minutes of the day), by activity index: its own time in the
    file (a template's usual time, or the published one); else the middle of the times the
    file gives other meals of its kind; else ``planner.meal_times`` for its kind; else by
    the part of the day its kind takes or its name, fitted to its day (``fitted``). A meal
    with none of these is not judged."""
    meals = [i for i in problem.items if i.category == Category.MEAL and i.ride is None]
    given = printed_meal_times(problem)
    setting = problem.programme.planner.meal_times
    usual: dict[int, int] = {}
    defaulted: list[tuple[int, Item]] = []
    for item in meals:
        if item.fixed_start is not None:
            usual[item.index] = item.fixed_start
        elif item.kind in given:
            usual[item.index] = given[item.kind]
        elif item.kind in setting:
            usual[item.index] = setting[item.kind]
        elif (default := _default_time(problem.kinds[item.kind])) is not None:
            defaulted.append((default, item))
    # lunch first: the day's anchor, then the meals fitted around it
    for default, item in sorted(defaulted, key=lambda x: (abs(x[0] - LUNCH), x[1].index)):
        usual[item.index] = fitted(problem, item, default, usual)
    return usual


def printed_meal_times(problem: Problem) -> dict[str, int]:
    """The usual start of each meal kind the file times: the middle of the starts it gives
    the meals of that kind (the earlier of the two middles). What a meal of that kind with no
    time of its own keeps to, and what a template made from a published programme keeps as
    its ``planner.meal_times`` (``scripts/make_templates.py``): the house's meal times."""
    given: dict[str, list[int]] = {}
    for item in problem.items:
        if item.category == Category.MEAL and item.ride is None and item.fixed_start is not None:
            given.setdefault(item.kind, []).append(item.fixed_start)
    return {kind: sorted(times)[(len(times) - 1) // 2] for kind, times in given.items()}


LUNCH = MEAL_DEFAULTS[Part.MIDDAY]


def fitted(problem: Problem, meal: Item, default: int, known: dict[int, int]) -> int:
    """A default meal time moved as little as the meal's listed day needs: what the file
    lists before it (for all who eat it) fits between the day's window opening, or the last
    time it knows before it, and the meal; what it lists after it fits between the meal and
    the window's end, or the next time it knows. A campout whose dinner is followed by
    three and a half hours of listed evening before a 22:00 lights-out dines at 17:30, not
    19:00; a breakfast followed by five hours of sessions before a 12:30 lunch is at 7:00.
    Lengths are the least ones and rides and a block's parts are left out, so the fit is
    never tighter than the day; where the listing cannot fit at all the default stands. The
    time is on the planner's grid where the fit allows."""
    day = meal.home_day
    if day is None or len(meal.path) < 2:
        return default
    listed = [
        i
        for i in problem.items
        if i.path[:-1] == meal.path[:-1]
        and i.ride is None
        and i.block is None
        and not i.optional
        and set(meal.groups) <= set(i.groups)
    ]
    position = next(k for k, i in enumerate(listed) if i is meal)
    opening, closing = problem.day_windows[day]
    low = opening
    for item in listed[:position]:
        at = _known(item, known)
        low = (low if at is None else max(low, at)) + item.duration
    high = closing - meal.duration
    for item in reversed(listed[position + 1 :]):
        high -= item.duration
        at = _known(item, known)
        if at is not None:
            high = min(high, at - meal.duration)
    if low > high:
        return default
    at = min(max(default, low), high)
    step = problem.programme.planner.grid
    on_grid = at - at % step
    return on_grid if on_grid >= low else min(on_grid + step, high) if at % step else at


def _known(item: Item, known: dict[int, int]) -> int | None:
    """The time the file (or a meal fitted before) gives an item, if any."""
    return item.fixed_start if item.fixed_start is not None else known.get(item.index)


def check_meal_times(rule: MealTimesRule, ctx: CheckContext) -> Iterator[Finding]:
    usual = usual_meal_times(ctx.problem)
    for item, p in ctx.placed:
        at = usual.get(item.index)
        if at is None or fixed_at(item, p) or abs(p.start - at) <= rule.slack:
            continue
        away = abs(p.start - at)
        side = "before" if p.start < at else "after"
        yield ctx.finding(
            rule,
            f"{quote(item)} starts at {format_clock(p.start)}, {plural(away, 'minute')} {side} "
            f"its usual time {format_clock(at)} (a meal starts within {rule.slack} minutes of it)",
            [item],
            p,
            limit=rule.slack,
            actual=away,
            unit="minutes",
        )


def post_meal_times(rule: MealTimesRule, m: ModelContext) -> None:
    for index, at in usual_meal_times(m.problem).items():
        item = m.problem.items[index]
        if m.is_pinned(item):
            continue
        guard = m.guard(rule, instance=item.id)
        tod = m.time_of_day(item)
        m.model.add(tod >= at - rule.slack).only_enforce_if(guard)
        m.model.add(tod <= at + rule.slack).only_enforce_if(guard)


def check_meal_drift(rule: MealDriftRule, ctx: CheckContext) -> Iterator[Finding]:
    usual = usual_meal_times(ctx.problem)
    for item, p in ctx.placed:
        at = usual.get(item.index)
        if at is None or fixed_at(item, p) or p.start == at:
            continue
        away = abs(p.start - at)
        side = "before" if p.start < at else "after"
        finding = ctx.finding(
            rule,
            f"{quote(item)} starts at {format_clock(p.start)}, {plural(away, 'minute')} {side} "
            f"its usual time {format_clock(at)}",
            [item],
            p,
        )
        yield dataclasses.replace(finding, weight=finding.weight * away)


def post_meal_drift(rule: MealDriftRule, m: ModelContext) -> None:
    """Per meal with a usual time that a solve may move: its minutes away from it."""
    for index, at in usual_meal_times(m.problem).items():
        item = m.problem.items[index]
        if m.is_pinned(item):
            continue
        away = m.model.new_int_var(0, DAY, f"meal_drift_{item.id}")
        m.model.add_abs_equality(away, m.time_of_day(item) - at)
        m.count(rule, away, DAY)


def dinners(problem: Problem) -> list[Item]:
    """The meals whose usual time is in the evening, in some group's day."""
    usual = usual_meal_times(problem)
    return [
        problem.items[i] for i, at in usual.items() if at >= DINNER_FROM and problem.items[i].groups
    ]


# --- openers -------------------------------------------------------------------------------------


def listed_before(x: Item, y: Item) -> bool:
    """Does the file list ``x`` before ``y`` in one list (a day's, or the unplaced ones)?"""
    if len(x.path) < 2 or x.path[:-1] != y.path[:-1]:
        return False
    first, second = x.path[-1], y.path[-1]
    return isinstance(first, int) and isinstance(second, int) and first < second


def opener_pairs(problem: Problem, rule: OpenersRule) -> list[tuple[Item, Item]]:
    """(opener, other): an activity of the opener's groups that the file does not list
    before it, and so must not start before it on its day; rides follow their legs."""
    movers = [i for i in problem.items if i.ride is None and i.groups]
    pairs = []
    for opener in movers:
        if not opener.is_a(rule.kinds):
            continue
        for other in movers:
            if (
                other is opener
                or listed_before(other, opener)
                or not problem.shares_group(opener, other)
                or (opener.pinned and other.pinned)
            ):
                continue
            pairs.append((opener, other))
    return pairs


def check_openers(rule: OpenersRule, ctx: CheckContext) -> Iterator[Finding]:
    for opener, other in opener_pairs(ctx.problem, rule):
        p, q = ctx.placement(opener), ctx.placement(other)
        if p is None or q is None or p.date != q.date or q.start >= p.start:
            continue
        if fixed_at(opener, p) and fixed_at(other, q):
            continue
        yield ctx.finding(
            rule,
            f"{quote(other)} at {format_clock(q.start)} comes before {quote(opener)} at "
            f"{format_clock(p.start)}, which opens the day",
            [opener, other],
            p,
            limit=p.start,
            actual=q.start,
            unit="time",
        )


def post_openers(rule: OpenersRule, m: ModelContext) -> None:
    for opener, other in opener_pairs(m.problem, rule):
        if not m.may_share_day(opener, other) or (m.is_pinned(opener) and m.is_pinned(other)):
            continue
        guard = m.guard(rule, instance=f"{opener.id}<{other.id}")
        m.model.add(m.start(other) >= m.start(opener)).only_enforce_if(
            [*guard, m.same_day(opener, other)]
        )


# --- breaks spaced -------------------------------------------------------------------------------


def _visible(problem: Problem) -> list[Item]:
    """What takes a place in some group's day (a door-to-door visit's own rides aside)."""
    return [i for i in problem.items if i.groups and not hidden_in_container(problem, i)]


def break_pairs(problem: Problem) -> list[tuple[Item, Item, tuple[str, ...]]]:
    """(break, meal or break, the groups both are in the day of); two breaks once."""
    visible = _visible(problem)
    stops = [i for i in visible if i.category in (Category.BREAK, Category.MEAL)]
    pairs = []
    for first in stops:
        if first.category != Category.BREAK:
            continue
        for second in stops:
            if second is first or (
                second.category == Category.BREAK and second.index < first.index
            ):
                continue
            common = tuple(g for g in first.groups if g in second.groups)
            if common:
                pairs.append((first, second, common))
    return pairs


def check_spaced_breaks(rule: SpacedBreaksRule, ctx: CheckContext) -> Iterator[Finding]:
    days = ctx.visible_by_group_day()
    for brk, other, common in break_pairs(ctx.problem):
        p, q = ctx.placement(brk), ctx.placement(other)
        if p is None or q is None or p.date != q.date:
            continue
        if fixed_at(brk, p) and fixed_at(other, q):
            continue
        low, high = (p.end, q.start) if p.start <= q.start else (q.end, p.start)
        alone = [
            g
            for g in common
            if not any(
                y is not brk and y is not other and r.start >= low and r.end <= high
                for y, r in days.get((g, p.date), ())
            )
        ]
        if not alone:
            continue
        first, second = sorted([(brk, p), (other, q)], key=lambda x: (x[1].start, x[0].index))
        for group in alone:
            yield ctx.finding(
                rule,
                f"{quote(second[0])} at {format_clock(second[1].start)} comes right after "
                f"{quote(first[0])} ({format_clock(first[1].start)}-"
                f"{format_clock(first[1].end)}), with nothing between them",
                [brk, other],
                p,
                group=group,
            )


def post_spaced_breaks(rule: SpacedBreaksRule, m: ModelContext) -> None:
    """Per pair on one day: for each group of both, some activity of that group lies in the
    gap between them (after the first ends, ending before the second starts)."""
    problem = m.problem
    visible = _visible(problem)
    for brk, other, common in break_pairs(problem):
        if not m.may_share_day(brk, other) or (m.is_pinned(brk) and m.is_pinned(other)):
            continue
        guard = m.guard(rule, instance=f"{brk.id}~{other.id}")
        apart = m.same_day(brk, other).Not()
        between: dict[int, list[Any]] = {}
        for y in visible:
            if y is brk or y is other or not m.may_share_day(y, brk):
                continue
            if not any(g in y.groups for g in common):
                continue
            literals = []
            for first, second in ((brk, other), (other, brk)):
                inside = m.model.new_bool_var(f"between_{first.id}_{y.id}_{second.id}")
                m.model.add_implication(inside, m.same_day(y, brk))
                m.model.add(m.start(y) >= m.end(first)).only_enforce_if(inside)
                m.model.add(m.end(y) <= m.start(second)).only_enforce_if(inside)
                literals.append(inside)
            between[y.index] = literals
        for group in common:
            options = [
                lit for y in visible if group in y.groups for lit in between.get(y.index, ())
            ]
            m.model.add_bool_or([apart, *options]).only_enforce_if(guard)


# --- after dinner --------------------------------------------------------------------------------


def dinner_pairs(problem: Problem) -> list[tuple[Item, Item]]:
    """(dinner, other): an activity of the dinner's groups whose kind does not take the
    evening and that the file does not list after the dinner, so it must not start after
    the dinner does on that day. What the planner lists after dinner is the planner's
    evening (a summer school's exercises after dinner): a re-plan keeps it there, as
    ``openers`` keeps what the file lists before an opener."""
    visible = _visible(problem)
    pairs = []
    for dinner in dinners(problem):
        for other in visible:
            if other is dinner or Part.EVENING in other.parts or listed_before(dinner, other):
                continue
            if problem.shares_group(dinner, other) and not (dinner.pinned and other.pinned):
                pairs.append((dinner, other))
    return pairs


def check_after_dinner(rule: AfterDinnerRule, ctx: CheckContext) -> Iterator[Finding]:
    problem = ctx.problem
    for dinner, other in dinner_pairs(problem):
        p, q = ctx.placement(dinner), ctx.placement(other)
        if p is None or q is None or p.date != q.date or q.start <= p.start:
            continue
        if fixed_at(dinner, p) and fixed_at(other, q):
            continue
        label = problem.kinds[other.kind].label.lower()
        yield ctx.finding(
            rule,
            f"{quote(other)} at {format_clock(q.start)} comes after {quote(dinner)} at "
            f"{format_clock(p.start)}; a {label} belongs before dinner",
            [other, dinner],
            q,
            limit=p.start,
            actual=q.start,
            unit="time",
        )


def post_after_dinner(rule: AfterDinnerRule, m: ModelContext) -> None:
    for dinner, other in dinner_pairs(m.problem):
        if not m.may_share_day(dinner, other) or (m.is_pinned(dinner) and m.is_pinned(other)):
            continue
        guard = m.guard(rule, instance=f"{dinner.id}>{other.id}")
        m.model.add(m.start(other) <= m.start(dinner)).only_enforce_if(
            [*guard, m.same_day(dinner, other)]
        )


# --- parallel sessions together ------------------------------------------------------------------


def _parents(problem: Problem, item: Item) -> frozenset[str | None]:
    return frozenset(problem.group_parent.get(g) for g in item.for_groups)


def parallel_pairs(problem: Problem) -> list[tuple[Item, Item]]:
    """Pairs that run in parallel when they overlap: two parts of one block; two sessions
    of sibling groups (for groups of the same parent, or of none, and no one in both)."""
    parts: dict[str, list[Item]] = {}
    sessions: list[Item] = []
    for item in problem.items:
        if item.block is not None:
            parts.setdefault(item.block, []).append(item)
        elif item.category == Category.CONTENT and not item.optional and item.for_groups:
            sessions.append(item)
    pairs = []
    for members in parts.values():
        pairs += [(a, b) for k, a in enumerate(members) for b in members[k + 1 :]]
    for k, a in enumerate(sessions):
        for b in sessions[k + 1 :]:
            if problem.shares_group(a, b) or set(a.for_groups) & set(b.for_groups):
                continue
            if _parents(problem, a) == _parents(problem, b):
                pairs.append((a, b))
    return [(a, b) for a, b in pairs if not (a.pinned and b.pinned)]


def check_together(rule: TogetherRule, ctx: CheckContext) -> Iterator[Finding]:
    for a, b in parallel_pairs(ctx.problem):
        p, q = ctx.placement(a), ctx.placement(b)
        if p is None or q is None or p.date != q.date:
            continue
        if not (p.start < q.end and q.start < p.end) or p.start == q.start or p.end == q.end:
            continue
        if fixed_at(a, p) and fixed_at(b, q):
            continue
        yield ctx.finding(
            rule,
            f"{quote(a)} ({format_clock(p.start)}-{format_clock(p.end)}) and {quote(b)} "
            f"({format_clock(q.start)}-{format_clock(q.end)}) run in parallel but neither "
            "start nor end together",
            [a, b],
            p,
            limit=p.start,
            actual=q.start,
            unit="time",
        )


def post_together(rule: TogetherRule, m: ModelContext) -> None:
    for a, b in parallel_pairs(m.problem):
        if not m.may_share_day(a, b) or (m.is_pinned(a) and m.is_pinned(b)):
            continue
        guard = m.guard(rule, instance=f"{a.id}|{b.id}")
        model = m.model
        starts, ends, first, second = (
            model.new_bool_var(f"together_{a.id}_{b.id}_{k}") for k in range(4)
        )
        model.add(m.start(a) == m.start(b)).only_enforce_if(starts)
        model.add(m.end(a) == m.end(b)).only_enforce_if(ends)
        model.add(m.end(a) <= m.start(b)).only_enforce_if(first)
        model.add(m.end(b) <= m.start(a)).only_enforce_if(second)
        model.add_bool_or([m.same_day(a, b).Not(), starts, ends, first, second]).only_enforce_if(
            guard
        )


# --- idle stretches ------------------------------------------------------------------------------


def check_idle(rule: IdleRule, ctx: CheckContext) -> Iterator[Finding]:
    problem = ctx.problem
    for (group, _), pairs in ctx.visible_by_group_day().items():
        for a, p in pairs:
            after = [(b, q) for b, q in pairs if b is not a and q.end > p.end]
            if not after:
                continue  # the day's last activity
            if any(
                q.start <= p.end + travel_need(problem, a, p.venue, b, q.venue) + rule.maximum
                or (fixed_at(a, p) and fixed_at(b, q))
                for b, q in after
            ):
                continue
            b, q = min(after, key=lambda x: (x[1].start, x[0].index))
            stretch = Placement(p.date, p.end, q.start, a.id, p.venue)
            need = travel_need(problem, a, p.venue, b, q.venue)
            idle = q.start - p.end - need
            travel = f" besides {plural(need, 'minute')} of travel" if need else ""
            yield ctx.finding(
                rule,
                f"{plural(idle, 'minute')} with nothing to do{travel} after {quote(a)}, "
                f"before {quote(b)} at {format_clock(q.start)} (more than {rule.maximum} "
                "minutes idle)",
                [a, b],
                stretch,
                group=group,
                limit=rule.maximum,
                actual=idle,
                unit="minutes",
            )


def post_idle(rule: IdleRule, m: ModelContext) -> None:
    """Per group and activity ``a``: nothing of the group ends after ``a`` on its day (the
    day's last), or something that ends later starts by ``a``'s end plus the travel to it
    plus ``maximum`` (or both are fixed)."""
    problem = m.problem
    grouped = by_group(problem, [i for i in problem.items if not hidden_in_container(problem, i)])
    drawn = DrawnGroups(m, grouped)
    for group, items in grouped.items():
        for a in items:
            others = [b for b in items if b is not a and m.may_share_day(a, b)]
            if not others or not drawn.judged(group, a):
                continue
            last = m.model.new_bool_var(f"last_{a.id}")
            options: list[Any] = [last]
            for b in others:
                same = m.same_day(a, b)
                m.model.add(m.end(b) <= m.end(a)).only_enforce_if([last, same])
                cover = m.model.new_bool_var(f"near_{a.id}_{b.id}")
                m.model.add_implication(cover, same)
                m.model.add(m.end(b) > m.end(a)).only_enforce_if(cover)
                if not (m.is_pinned(a) and m.is_pinned(b)):
                    reach = m.end(a) + m.need(a, b) + rule.maximum
                    m.model.add(m.start(b) <= reach).only_enforce_if(cover)
                options.append(cover)
            m.model.add_bool_or(options).only_enforce_if(m.guard(rule, instance=a.id))


register("meal_times", check_meal_times, post_meal_times)
register("meal_drift", check_meal_drift, post_meal_drift)
register("openers", check_openers, post_openers)
register("spaced_breaks", check_spaced_breaks, post_spaced_breaks)
register("after_dinner", check_after_dinner, post_after_dinner)
register("together", check_together, post_together)
register("idle", check_idle, post_idle)
