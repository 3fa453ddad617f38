"""Rules about sharing: one thing at a time per group, person and room; explicit clashes;
room capacity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from ..compile import Item, Problem, exempt_pair
from ..model import CapacityRule, ClashRule, NoOverlapRule, Severity
from ..text import plural
from ..timetable import Placement
from .base import CheckContext, Finding, ModelContext, quote, register, when


def overlapping_pairs(
    problem: Problem, pairs: Iterable[tuple[Item, Placement]], *, ordered: bool = False
) -> Iterator[tuple[Item, Placement, Item, Placement]]:
    """Every overlapping pair, found by a sweep in time order over the still-running items.

    O(n log n + k) for k overlapping pairs: each item is compared only with those that have
    not ended when it starts. A served activity and its own rides are left to the transport rule.
    ``ordered``: the pairs already come in time order (as ``CheckContext.placed`` does).
    """
    if not ordered:
        pairs = sorted(pairs, key=lambda x: (x[1].date, x[1].start, x[1].end, x[0].index))
    running: list[tuple[Item, Placement]] = []
    for item, p in pairs:
        running = [(o, q) for o, q in running if q.date == p.date and q.end > p.start]
        for other, q in running:
            if not exempt_pair(problem, item, other):
                yield other, q, item, p
        running.append((item, p))


def _members(rule: NoOverlapRule, ctx: CheckContext) -> dict[str, list[tuple[Item, Placement]]]:
    """Placed items per group, person or room, each list in time order."""
    members: dict[str, list[tuple[Item, Placement]]] = defaultdict(list)
    if rule.resource == "room":
        for pair in ctx.placed:
            if pair[1].room:
                members[pair[1].room].append(pair)
        return members
    by_group = rule.resource == "group"
    for pair in ctx.placed:
        for key in pair[0].groups if by_group else pair[0].people:
            members[key].append(pair)
    return members


def _resource_name(rule: NoOverlapRule, key: str, ctx: CheckContext) -> str:
    problem = ctx.problem
    if rule.resource == "person":
        return problem.people[key].name
    if rule.resource == "room":
        return f"room {key}"
    names = {g.id: g.name for g in problem.programme.groups}
    return names.get(key, key)


def check_no_overlap(rule: NoOverlapRule, ctx: CheckContext) -> Iterator[Finding]:
    for key, pairs in sorted(_members(rule, ctx).items()):
        if len(pairs) < 2:
            continue
        group = key if rule.resource == "group" else None
        who = "" if group is not None else f" for {_resource_name(rule, key, ctx)}"
        for a, p, b, q in overlapping_pairs(ctx.problem, pairs, ordered=True):
            yield ctx.finding(
                rule,
                f"{quote(b)} ({when(q)}) overlaps {quote(a)} ({when(p)}){who} "
                f"by {plural(min(p.end, q.end) - q.start, 'minute')}",
                [b, a],
                q,
                group=group,
            )


def post_no_overlap(rule: NoOverlapRule, m: ModelContext) -> None:
    problem = m.problem
    if rule.resource == "room":
        pooled = m.pooled_rooms()
        if pooled is not None:  # rooms with slot grids: counted per cell (solver/slots.py)
            pooled.make_exclusive(m.guard(rule))
        by_room: dict[str, list[object]] = defaultdict(list)
        for item in problem.items:
            for literal, room in m.room_literals(item):
                by_room[room].append(
                    m.model.new_optional_fixed_size_interval_var(
                        m.start(item), item.duration, literal, f"room_{item.id}_{room}"
                    )
                )
        for intervals in by_room.values():
            _no_overlap(m, rule, intervals)
        return
    members: dict[str, list[Item]] = defaultdict(list)
    for item in problem.items:
        for key in item.groups if rule.resource == "group" else item.people:
            members[key].append(item)
    for items in members.values():
        exempt = [
            (a, b) for a in items for b in items if a.index < b.index and exempt_pair(problem, a, b)
        ]
        if not exempt:
            m.apart(items, m.guard(rule))
            continue
        blocked = {i for pair in exempt for i in (pair[0].index, pair[1].index)}
        free = [i for i in items if i.index not in blocked]
        m.apart(free, m.guard(rule))
        for a in items:
            for b in items:
                touches = a.index in blocked or b.index in blocked
                if a.index < b.index and touches and not exempt_pair(problem, a, b):
                    _pair_apart(m, rule, a, b)


def _no_overlap(m: ModelContext, rule: NoOverlapRule, intervals: list[object]) -> None:
    if len(intervals) > 1:
        m.model.add_no_overlap(intervals).only_enforce_if(m.guard(rule))


def _pair_apart(m: ModelContext, rule: NoOverlapRule | ClashRule, a: Item, b: Item) -> None:
    order = m.before(a, b)
    guard = m.guard(rule)
    m.model.add(m.end(a) <= m.start(b)).only_enforce_if([*guard, order])
    m.model.add(m.end(b) <= m.start(a)).only_enforce_if([*guard, order.Not()])


def check_clash(rule: ClashRule, ctx: CheckContext) -> Iterator[Finding]:
    pairs = []
    for ident in dict.fromkeys(rule.activities):  # by id: thousands of clash rules stay cheap
        placement = ctx.timetable.get(ident)
        if placement is not None:
            pairs.append((ctx.problem.item(ident), placement))
    for a, _p, b, q in overlapping_pairs(ctx.problem, pairs):
        yield ctx.finding(
            rule, f"{quote(b)} ({when(q)}) must not run at the same time as {quote(a)}", [b, a], q
        )


def post_clash(rule: ClashRule, m: ModelContext) -> None:
    m.apart([m.problem.item(x) for x in dict.fromkeys(rule.activities)], m.guard(rule))


def audience(problem: Problem, item: Item) -> int | None:
    """Expected audience: the activity's own figure, or the sizes of its groups."""
    if item.audience is not None:
        return item.audience
    sizes = [problem.group_size.get(g) for g in item.groups]
    return sum(s for s in sizes if s) or None


def check_capacity(rule: CapacityRule, ctx: CheckContext) -> Iterator[Finding]:
    problem = ctx.problem
    for item, p in ctx.placed:
        need = audience(problem, item)
        room_capacity = problem.room_capacity.get(p.room) if p.room else None
        if need is not None and room_capacity is not None and need > room_capacity:
            yield ctx.finding(
                rule,
                f"{quote(item)} expects {need} people but room {p.room} holds {room_capacity}",
                [item],
                p,
            )


def post_capacity(rule: CapacityRule, m: ModelContext) -> None:
    problem = m.problem
    pooled = m.pooled_rooms()
    if pooled is not None:  # rooms with slot grids are matched after the solve (solver/slots.py)
        if rule.severity == Severity.SOFT:
            pooled.limit_capacity(weight=rule.weight)
        else:
            pooled.limit_capacity(guard=m.guard(rule))
    for item in problem.items:
        need = audience(problem, item)
        if need is None:
            continue
        for literal, room in m.room_literals(item):
            room_capacity = problem.room_capacity.get(room)
            if room_capacity is not None and need > room_capacity:
                m.model.add_bool_or([literal.Not()]).only_enforce_if(m.guard(rule))


register("no_overlap", check_no_overlap, post_no_overlap)
register("clash", check_clash, post_clash)
register("capacity", check_capacity, post_capacity)
