"""Rules about sharing: one thing at a time per group, person and room; explicit clashes;
room capacity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from ..compile import Item, KeptOverlap, Problem, exempt_pair
from ..model import CapacityRule, ClashRule, NoOverlapRule, Severity
from ..text import plural
from ..timetable import Placement, Timetable
from .base import CheckContext, Finding, ModelContext, quote, register, when

DAY = 24 * 60


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
    elif not isinstance(pairs, list):
        pairs = list(pairs)
    if not _may_overlap(pairs):
        return
    running: list[tuple[Item, Placement]] = []
    for item, p in pairs:
        if running:
            date, start = p.date, p.start
            running = [(o, q) for o, q in running if q.date == date and q.end > start]
            for other, q in running:
                if not exempt_pair(problem, item, other):
                    yield other, q, item, p
        running.append((item, p))


def _may_overlap(pairs: list[tuple[Item, Placement]]) -> bool:
    """Whether any of ``pairs`` (in time order) starts before one before it on its date has
    ended: the one scan most lists need (a person's talks, a room's day, a clash rule's few
    activities rarely overlap), cheaper than the sweep that finds which pairs do."""
    day, latest = None, 0
    for _, p in pairs:
        if p.date != day:
            day, latest = p.date, p.end
        elif p.start < latest:
            return True
        elif p.end > latest:
            latest = p.end
    return False


def _members(rule: NoOverlapRule, ctx: CheckContext) -> dict[str, list[tuple[Item, Placement]]]:
    """Placed items per group, person or room, each list in time order (as ``ctx.placed``)."""
    placed = ctx.placed
    return {key: [placed[k] for k in found] for key, found in _positions(rule, ctx).items()}


def _positions(rule: NoOverlapRule, ctx: CheckContext) -> dict[str, list[int]]:
    """Positions in ``ctx.placed`` per group, person or room, each list in time order.

    A room is read from ``ctx.keys``, in time order; a group's or a person's activities are
    read as listed (``CheckContext.by_index``) and each list of two or more put in time order
    by sorting its positions: a walk in time order over 10,000 activities jumps about memory,
    and at that size took two to four times as long as one in the order listed."""
    members: dict[str, list[int]] = defaultdict(list)
    if rule.resource == "room":
        for k, key in enumerate(ctx.keys):
            room = key[5]
            if room:
                members[room].append(k)
        return members
    position = ctx.position
    by_person = rule.resource != "group"
    for item, _ in ctx.by_index:
        names = item.people if by_person else item.groups
        if names:
            at = position[item.index]
            for name in names:
                members[name].append(at)
    for found in members.values():
        if len(found) > 1:
            found.sort()
    return members


def _keys_may_overlap(keys: list[tuple[Any, ...]], positions: list[int]) -> bool:
    """``_may_overlap`` of the activities at ``positions`` (in time order) of ``ctx.keys``."""
    day, latest = None, 0
    for k in positions:
        key = keys[k]
        if key[0] != day:
            day, latest = key[0], key[2]
        elif key[1] < latest:
            return True
        elif key[2] > latest:
            latest = key[2]
    return False


def _resource_name(rule: NoOverlapRule, key: str, ctx: CheckContext) -> str:
    problem = ctx.problem
    if rule.resource == "person":
        return problem.people[key].name
    if rule.resource == "room":
        return f"room {key}"
    return problem.group_names.get(key, key)


def check_no_overlap(rule: NoOverlapRule, ctx: CheckContext) -> Iterator[Finding]:
    kept_by_key = _kept(rule, ctx.problem)
    for key, a, p, b, q in clashes(rule, ctx):
        kept = kept_by_key.get(key)
        if kept and _still_kept(kept, a, p, b, q):
            continue
        group = key if rule.resource == "group" else None
        who = "" if group is not None else f" for {_resource_name(rule, key, ctx)}"
        yield ctx.finding(
            rule,
            f"{quote(b)} ({when(q)}) overlaps {quote(a)} ({when(p)}){who} "
            f"by {plural(min(p.end, q.end) - q.start, 'minute')}",
            [b, a],
            q,
            group=group,
            limit=0,
            actual=min(p.end, q.end) - q.start,
            unit="minutes",
        )


def clashes(
    rule: NoOverlapRule, ctx: CheckContext
) -> Iterator[tuple[str, Item, Placement, Item, Placement]]:
    """Every pair that shares the rule's group, person or room and overlaps, with that key,
    kept or not."""
    members = _positions(rule, ctx)
    keys, placed = ctx.keys, ctx.placed
    for key in sorted([key for key, found in members.items() if len(found) > 1]):
        found = members[key]
        if not _keys_may_overlap(keys, found):
            continue
        pairs = [placed[k] for k in found]
        for a, p, b, q in overlapping_pairs(ctx.problem, pairs, ordered=True):
            yield key, a, p, b, q


def kept_overlaps(problem: Problem, timetable: Timetable) -> list[KeptOverlap]:
    """The overlaps of ``timetable`` (a group, a person or a room in two activities at once),
    as overlaps a repair may keep."""
    ctx = CheckContext(problem, timetable)
    found = []
    for rule in problem.rules:
        if not isinstance(rule, NoOverlapRule):
            continue
        for key, a, p, b, q in clashes(rule, ctx):
            if rule.resource == "room" and key in problem.room_slots:
                continue
            (first, pa), (second, pb) = sorted([(a.id, p), (b.id, q)], key=lambda x: x[0])
            at = ((pa.date, pa.start), (pb.date, pb.start))
            found.append(KeptOverlap(rule.id, key, first, second, at, (pa.end, pb.end)))
    return found


def _kept(rule: NoOverlapRule, problem: Problem) -> dict[str, dict[tuple[str, str], KeptOverlap]]:
    """The published overlaps a repair keeps, by group, person or room. Rooms with a slot grid
    are counted per cell (``solver/slots.py``), where no pair can be told apart: none is kept."""
    kept = problem.kept(rule.id)
    if rule.resource == "room":
        kept = {room: pairs for room, pairs in kept.items() if room not in problem.room_slots}
    return kept


def _still_kept(
    kept: dict[tuple[str, str], KeptOverlap], a: Item, p: Placement, b: Item, q: Placement
) -> bool:
    """Both activities of a kept overlap are where the published timetable had them."""
    (first, pa), (second, pb) = sorted([(a.id, p), (b.id, q)], key=lambda x: x[0])
    overlap = kept.get((first, second))
    if overlap is None:
        return False
    if overlap.at is None:  # forced by the file's structure: kept wherever they are
        return True
    if overlap.ends is not None and (pa.end, pb.end) != overlap.ends:
        return False
    return ((pa.date, pa.start), (pb.date, pb.start)) == overlap.at


def post_no_overlap(rule: NoOverlapRule, m: ModelContext) -> None:
    problem = m.problem
    kept_by_key = _kept(rule, problem)
    if rule.resource == "room":
        pooled = m.pooled_rooms()
        if pooled is not None:  # rooms with slot grids: counted per cell (solver/slots.py)
            pooled.make_exclusive(m.guard(rule))
        by_room: dict[str, list[tuple[Item, Any, Any]]] = defaultdict(list)
        for item in problem.items:
            for literal, room in m.room_literals(item):
                interval = m.optional_interval(item, literal, f"room_{item.id}_{room}")
                by_room[room].append((item, literal, interval))
        for room, in_room in by_room.items():
            kept = kept_by_key.get(room, {})
            conditions: dict[tuple[str, str], Any] = _exempt(problem, [i for i, _, _ in in_room])
            for pair, overlap in kept.items():
                if pair not in conditions:
                    conditions[pair] = _kept_condition(m, overlap, problem)
            _apart(m, rule, in_room, conditions, room)
        return
    members: dict[str, list[Item]] = defaultdict(list)
    for item in problem.items:
        for key in item.groups if rule.resource == "group" else item.people:
            members[key].append(item)
    for key, items in members.items():
        special = _exempt(problem, items)
        for pair, overlap in kept_by_key.get(key, {}).items():
            if pair not in special:
                special[pair] = _kept_condition(m, overlap, problem)
        _apart(m, rule, [(i, None, None) for i in items], special, key)


def _exempt(problem: Problem, items: list[Item]) -> dict[tuple[str, str], Any]:
    """The pairs of ``items`` the sharing rules leave alone, each mapped to None: a block and
    its own part (the part lies inside it), a served activity and its own rides. Found by
    the blocks and rides among them, not by comparing every pair."""
    present = {i.id for i in items}
    special: dict[tuple[str, str], Any] = {}
    for item in items:
        if item.block is not None and item.block in present:
            special[_ids(item, problem.item(item.block))] = None
        if item.ride is not None:
            for served in problem.legs[item.ride[0]].served:
                other = problem.items[served]
                if other.id in present:
                    special[_ids(item, other)] = None
    return special


def _ids(a: Item, b: Item) -> tuple[str, str]:
    return (a.id, b.id) if a.id < b.id else (b.id, a.id)


def _apart(
    m: ModelContext,
    rule: NoOverlapRule,
    members: list[tuple[Item, Any, Any]],
    special: dict[tuple[str, str], Any],
    key: str,
) -> None:
    """``members`` (item, presence literal or None, interval or None) kept apart, except for
    the ``special`` pairs: None for a pair the rule exempts (a served activity and its own
    rides), else a literal under which the pair may overlap (a kept published overlap). Their
    activities are kept apart from everything else pair by pair.

    Members with an interval (optional room intervals) get one NoOverlap; members without one
    (always present: people and groups) are kept apart by ``m.apart``, which on pooled cells is
    at most one per moment over the cell literals and needs no interval at all."""
    special = {pair: value for pair, value in special.items() if value is not False}
    blocked = {ident for pair in special for ident in pair}
    free = [(item, interval) for item, _, interval in members if item.id not in blocked]
    if all(interval is None for _, interval in free):
        m.apart([item for item, _ in free], m.guard(rule), rule.id, key)
    else:
        _no_overlap(m, rule, [interval for _, interval in free])
    if not blocked:
        return
    for a, lit_a, _ in members:
        for b, lit_b, _ in members:
            if a.index >= b.index or not (a.id in blocked or b.id in blocked):
                continue
            if not m.may_share_day(a, b):
                continue
            pair = _ids(a, b)
            if pair in special and special[pair] is None:
                continue
            present = [lit for lit in (lit_a, lit_b) if lit is not None]
            allowed = special.get(pair)
            unless = [] if allowed is None else [allowed.Not()]
            _pair_apart(m, rule, a, b, [*present, *unless])


def _kept_condition(m: ModelContext, overlap: KeptOverlap, problem: Problem) -> Any:
    """A literal that holds only when both activities of ``overlap`` are at their published
    times (False when one of them is gone or cannot be there); None (the pair may overlap
    anywhere) for an overlap the file's structure forces."""
    if overlap.at is None:
        return None
    at = []
    ends = overlap.ends or (None, None)
    for ident, (date, start), end in zip(
        (overlap.first, overlap.second), overlap.at, ends, strict=True
    ):
        day = problem.day_of_date.get(date)
        if ident not in problem.index or day is None or day not in problem.item(ident).days:
            return False
        at.append(
            (problem.item(ident), day * DAY + start, None if end is None else day * DAY + end)
        )
    literal = m.model.new_bool_var(f"kept_{overlap.rule}_{overlap.first}_{overlap.second}")
    for item, start, end in at:
        m.model.add(m.start(item) == start).only_enforce_if(literal)
        if end is not None and item.elastic:
            m.model.add(m.end(item) == end).only_enforce_if(literal)
    return literal


def _no_overlap(m: ModelContext, rule: NoOverlapRule, intervals: list[object]) -> None:
    if len(intervals) > 1:
        m.model.add_no_overlap(intervals).only_enforce_if(m.guard(rule))


def _pair_apart(
    m: ModelContext, rule: NoOverlapRule | ClashRule, a: Item, b: Item, enforce: list[Any]
) -> None:
    """``a`` and ``b`` apart whenever every literal of ``enforce`` holds."""
    order = m.before(a, b)
    guard = m.guard(rule)
    m.model.add(m.end(a) <= m.start(b)).only_enforce_if([*guard, *enforce, order])
    m.model.add(m.end(b) <= m.start(a)).only_enforce_if([*guard, *enforce, order.Not()])


def check_clash(rule: ClashRule, ctx: CheckContext) -> Iterator[Finding]:
    """The named activities that are placed, in time order by their positions
    (``ctx.position``), looked at in ``ctx.keys`` first: thousands of clash rules stay cheap."""
    index, position = ctx.problem.index.get, ctx.position
    ranks = sorted(
        {
            k
            for ident in rule.activities
            if (i := index(ident)) is not None and (k := position[i]) >= 0
        }
    )
    if len(ranks) < 2 or not _keys_may_overlap(ctx.keys, ranks):
        return
    placed = ctx.placed
    pairs = [placed[k] for k in ranks]
    for a, p, b, q in overlapping_pairs(ctx.problem, pairs, ordered=True):
        overlap = min(p.end, q.end) - max(p.start, q.start)
        yield ctx.finding(
            rule,
            f"{quote(b)} ({when(q)}) must not run at the same time as {quote(a)}, but overlaps "
            f"it by {plural(overlap, 'minute')}",
            [b, a],
            q,
            limit=0,
            actual=overlap,
            unit="minutes",
        )


def post_clash(rule: ClashRule, m: ModelContext) -> None:
    """The named activities apart, except a block and its own part (which lies inside it:
    the checker's ``overlapping_pairs`` leaves that pair alone too)."""
    items = [m.problem.item(x) for x in dict.fromkeys(rule.activities)]
    special = _exempt(m.problem, items)
    if not special:
        m.apart(items, m.guard(rule), rule.id)
        return
    blocked = {ident for pair in special for ident in pair}
    m.apart([i for i in items if i.id not in blocked], m.guard(rule), rule.id)
    for a in items:
        for b in items:
            if (
                a.index < b.index
                and (a.id in blocked or b.id in blocked)
                and _ids(a, b) not in special
                and m.may_share_day(a, b)
            ):
                _pair_apart(m, rule, a, b, [])


def audience(problem: Problem, item: Item) -> int | None:
    """Expected audience: the activity's own figure, or the sizes of the groups it is for."""
    if item.audience is not None:
        return item.audience
    sizes = [problem.group_size.get(g) for g in item.for_groups or item.groups]
    return sum(s for s in sizes if s) or None


def check_capacity(rule: CapacityRule, ctx: CheckContext) -> Iterator[Finding]:
    """The audience is worked out only for an item in a room of known capacity, and read
    from the item when it gives one (a conference's 10,000 talks do)."""
    problem = ctx.problem
    capacity = problem.room_capacity.get
    for item, p in ctx.placed:
        room_capacity = capacity(p.room) if p.room else None
        if room_capacity is None:
            continue
        need = item.audience if item.audience is not None else audience(problem, item)
        if need is not None and need > room_capacity:
            yield ctx.finding(
                rule,
                f"{quote(item)} expects {need} people but room {p.room} holds {room_capacity}",
                [item],
                p,
                limit=room_capacity,
                actual=need,
                unit="people",
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
                guard = m.guard(rule, about=(item,))
                m.model.add_bool_or([literal.Not()]).only_enforce_if(guard)


register("no_overlap", check_no_overlap, post_no_overlap)
register("clash", check_clash, post_clash)
register("capacity", check_capacity, post_capacity)
