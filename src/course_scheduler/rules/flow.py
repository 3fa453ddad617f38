"""Rules about the flow of a day: breaks often enough, no idle holes in the morning, time to
travel between venues, and transport legs with what happens at their destination."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from ..clock import format_clock
from ..compile import Item, Problem, entry_venue, exempt_pair, exit_venue, hidden_in_container
from ..model import CONTENT_KINDS, CompactRule, Kind, MaxContentRule, TransportRule, TravelTimeRule
from .base import CheckContext, Finding, ModelContext, by_group, quote, register, when


def check_max_content(rule: MaxContentRule, ctx: CheckContext) -> Iterator[Finding]:
    breaks = set(rule.breaks)
    for pairs in ctx.visible_by_group_day().values():
        first: Item | None = None
        run_start = 0
        reported = False
        for item, p in pairs:
            if item.kind in breaks:
                first, reported = None, False
            elif item.kind in CONTENT_KINDS:
                if first is None:
                    first, run_start = item, p.start
                if p.end - run_start > rule.minutes and not reported:
                    reported = True
                    yield ctx.finding(
                        rule,
                        f"{p.end - run_start} minutes of sessions without a break, from "
                        f"{quote(first)} at {format_clock(run_start)} to the end of {quote(item)} "
                        f"at {format_clock(p.end)} (at most {rule.minutes})",
                        [item, first],
                        p,
                    )


def post_max_content(rule: MaxContentRule, m: ModelContext) -> None:
    """Per group, for each session ``b``: ``run`` is the end of a break before it that day
    (the day's start if none), and every session of that day starting between ``run`` and
    ``b`` starts at most ``minutes`` before ``b`` ends. Choosing the last break is the
    checker's reading; an earlier one is only stricter. Pairs and (break, session) choices
    instead of (session, break, session) triples keep the model small."""
    problem = m.problem
    breaks = set(rule.breaks)
    for a in problem.items:
        if a.kind in CONTENT_KINDS and a.kind not in breaks and a.duration > rule.minutes:
            m.model.add_bool_or([]).only_enforce_if(m.guard(rule))
    for items in by_group(problem, problem.items).values():
        content = [i for i in items if i.kind in CONTENT_KINDS and i.kind not in breaks]
        pauses = [i for i in items if i.kind in breaks and not hidden_in_container(problem, i)]
        for b in content:
            others = [a for a in content if a.index != b.index and m.may_share_day(a, b)]
            if not others:
                continue
            run = _run_start(m, b, [k for k in pauses if m.may_share_day(k, b)])
            for a in others:
                short = m.model.new_bool_var(f"short_{a.id}_{b.id}")
                m.model.add(m.end(b) - m.start(a) <= rule.minutes).only_enforce_if(short)
                earlier = m.model.new_bool_var(f"before_run_{a.id}_{b.id}")
                m.model.add(m.start(a) < run).only_enforce_if(earlier)
                lits = [*m.guard(rule), m.same_day(a, b), m.before(a, b)]
                m.model.add_bool_or([short, earlier]).only_enforce_if(lits)


def _run_start(m: ModelContext, b: Item, pauses: list[Item]) -> Any:
    """A variable equal to the end of one break before ``b`` on its day, or the day's start."""
    day_start = 24 * 60
    items_days = b.days
    run = m.model.new_int_var(
        min(items_days) * day_start, (max(items_days) + 1) * day_start, f"run_{b.id}"
    )
    choices = []
    none = m.model.new_bool_var(f"run_{b.id}_day")
    m.model.add(run == day_start * m.day(b)).only_enforce_if(none)
    choices.append(none)
    for k in pauses:
        lit = m.model.new_bool_var(f"run_{b.id}_{k.id}")
        m.model.add(run == m.end(k)).only_enforce_if(lit)
        m.model.add(m.end(k) <= m.start(b)).only_enforce_if(lit)
        m.model.add(m.day(k) == m.day(b)).only_enforce_if(lit)
        choices.append(lit)
    m.model.add_exactly_one(choices)
    return run


def _between(m: ModelContext, a: Item, k: Item, b: Item) -> Any:
    """A literal that may be true only when ``k`` lies between ``a`` and ``b`` on their day."""
    lit = m.model.new_bool_var(f"between_{a.id}_{k.id}_{b.id}")
    m.model.add(m.start(k) >= m.end(a)).only_enforce_if(lit)
    m.model.add(m.end(k) <= m.start(b)).only_enforce_if(lit)
    m.model.add(m.day(k) == m.day(a)).only_enforce_if(lit)
    return lit


def _mornings(ctx: CheckContext) -> Iterator[list[tuple[Item, int, int]]]:
    """Per group and day: (item, start, end) of what ends before the day's last lunch, and
    the lunches themselves."""
    for pairs in ctx.visible_by_group_day().values():
        lunches = [p for i, p in pairs if i.kind == Kind.LUNCH]
        if not lunches:
            continue
        last_lunch = max(p.start for p in lunches)
        yield [(i, p.start, p.end) for i, p in pairs if p.end <= last_lunch or i.kind == Kind.LUNCH]


def check_compact(rule: CompactRule, ctx: CheckContext) -> Iterator[Finding]:
    for morning in _mornings(ctx):
        for (a, _, a_end), (b, b_start, _) in itertools.pairwise(morning):
            if a.kind == Kind.LUNCH:
                continue
            gap = b_start - a_end
            if gap > rule.max_gap:
                p = ctx.placement(a)
                yield ctx.finding(
                    rule,
                    f"{gap} idle minutes between {quote(a)} and {quote(b)} "
                    f"from {format_clock(a_end)} (at most {rule.max_gap})",
                    [a, b],
                    p,
                )


def post_compact(rule: CompactRule, m: ModelContext) -> None:
    """Per group: whatever ends before one of the group's lunches that day is followed by
    another of the group's activities within ``max_gap`` minutes."""
    problem = m.problem
    visible = [i for i in problem.items if not hidden_in_container(problem, i)]
    for items in by_group(problem, visible).values():
        lunches = [i for i in items if i.kind == Kind.LUNCH]
        for a in items:
            if a.kind == Kind.LUNCH:
                continue
            followers: list[Any] | None = None
            for lunch in lunches:
                if not m.may_share_day(a, lunch):
                    continue
                if followers is None:
                    followers = [
                        _follower(m, a, b, rule.max_gap)
                        for b in items
                        if b.index != a.index and m.may_share_day(a, b)
                    ]
                morning = m.model.new_bool_var(f"morning_{a.id}_{lunch.id}")
                m.model.add(m.end(a) <= m.start(lunch)).only_enforce_if(morning)
                m.model.add(m.end(a) > m.start(lunch)).only_enforce_if(morning.Not())
                lits = [*m.guard(rule), m.same_day(a, lunch), morning]
                m.model.add_bool_or(followers).only_enforce_if(lits)


def _follower(m: ModelContext, a: Item, b: Item, max_gap: int) -> Any:
    lit = m.model.new_bool_var(f"next_{a.id}_{b.id}")
    m.model.add(m.start(b) >= m.end(a)).only_enforce_if(lit)
    m.model.add(m.start(b) <= m.end(a) + max_gap).only_enforce_if(lit)
    m.model.add(m.day(b) == m.day(a)).only_enforce_if(lit)
    return lit


def check_travel_time(rule: TravelTimeRule, ctx: CheckContext) -> Iterator[Finding]:
    problem = ctx.problem
    for pairs in ctx.visible_by_group_day().values():
        located = [(i, p) for i, p in pairs if p.venue is not None]
        for (a, p), (b, q) in itertools.pairwise(located):
            origin = exit_venue(problem, a, p.venue)
            destination = entry_venue(problem, b, q.venue)
            need = problem.travel_minutes(origin, destination)
            gap = q.start - p.end
            if 0 <= gap < need and not exempt_pair(problem, a, b):
                names = problem.venues
                o = names[origin].name if origin else "?"
                d = names[destination].name if destination else "?"
                yield ctx.finding(
                    rule,
                    f"{quote(b)} ({when(q)}) leaves {gap} minutes to get from {o} to {d} "
                    f"after {quote(a)}; the trip takes {need}",
                    [b, a],
                    q,
                )


def post_travel_time(rule: TravelTimeRule, m: ModelContext) -> None:
    """Per group, for two located activities: the later starts after the earlier ends plus
    the shortest travel time, unless something that moves the group (a bus ride, a
    door-to-door visit) lies between them. That is the checker's "consecutive" reading: with
    no mover between, shortest paths obey the triangle inequality, so every pair is implied
    by the consecutive ones and the other way round."""
    problem = m.problem
    located = [
        i
        for i in problem.items
        if any(v is not None for v in i.venues) and not hidden_in_container(problem, i)
    ]
    for items in by_group(problem, located).values():
        movers = [i for i in items if _moves(problem, i)]
        for x, a in enumerate(items):
            for b in items[x + 1 :]:
                if exempt_pair(problem, a, b) or not m.may_share_day(a, b):
                    continue
                for first, second in ((a, b), (b, a)):
                    _travel_pair(rule, m, first, second, movers)


def _moves(problem: Problem, item: Item) -> bool:
    return any(entry_venue(problem, item, v) != exit_venue(problem, item, v) for v in item.venues)


def _travel_pair(
    rule: TravelTimeRule,
    m: ModelContext,
    first: Item,
    second: Item,
    movers: list[Item],
) -> None:
    problem = m.problem
    between: list[Any] | None = None
    for lit_first, day_first, venue_first in m.venue_literals(first):
        for lit_second, day_second, venue_second in m.venue_literals(second):
            if day_first != day_second:
                continue
            need = problem.travel_minutes(
                exit_venue(problem, first, venue_first),
                entry_venue(problem, second, venue_second),
            )
            if need <= 0:
                continue
            if between is None:
                between = [
                    _between(m, first, k, second)
                    for k in movers
                    if k.index not in (first.index, second.index)
                    and m.may_share_day(first, k)
                    and m.may_share_day(second, k)
                ]
            order = m.before(first, second)
            lits = [*m.guard(rule), m.same_day(first, second), order, lit_first, lit_second]
            ok = m.model.new_bool_var(f"travel_{first.id}_{second.id}")
            m.model.add(m.start(second) >= m.end(first) + need).only_enforce_if(ok)
            m.model.add_bool_or([ok, *between]).only_enforce_if(lits)


def check_transport(rule: TransportRule, ctx: CheckContext) -> Iterator[Finding]:
    problem = ctx.problem
    for leg in problem.legs.values():
        out_item, back_item = problem.items[leg.out], problem.items[leg.back]
        out, back = ctx.placement(out_item), ctx.placement(back_item)
        if out is None:
            continue
        low, high = leg.depart_window
        if not low <= out.start <= high:
            allowed = (
                format_clock(low) if low == high else f"{format_clock(low)}-{format_clock(high)}"
            )
            yield ctx.finding(
                rule,
                f"{leg.title} departs at {format_clock(out.start)}, not at {allowed}",
                [out_item],
                out,
                line=leg.line,
            )
        if back is not None and (back.date != out.date or back.start < out.end):
            yield ctx.finding(
                rule,
                f"{leg.title} returns ({when(back)}) before it has arrived ({when(out)})",
                [back_item, out_item],
                back,
                line=leg.line,
            )
        for index in leg.served:
            item = problem.items[index]
            p = ctx.placement(item)
            if p is None:
                continue
            place = problem.venues[leg.destination].name
            if p.date != out.date:
                yield ctx.finding(
                    rule, f"{quote(item)} ({when(p)}) is not on the day of {leg.title}", [item], p
                )
            elif item.includes_travel:
                if p.start != out.start or (back is not None and p.end != back.end):
                    yield ctx.finding(
                        rule,
                        f"{quote(item)} ({when(p)}) should run door to door with its bus, "
                        f"from {format_clock(out.start)}"
                        + (f" until back at {format_clock(back.end)}" if back else ""),
                        [item],
                        p,
                    )
            else:
                if p.start < out.end:
                    yield ctx.finding(
                        rule,
                        f"{quote(item)} starts at {format_clock(p.start)}, before {leg.title} "
                        f"reaches {place} at {format_clock(out.end)}",
                        [item],
                        p,
                    )
                if back is not None and p.end > back.start:
                    yield ctx.finding(
                        rule,
                        f"{quote(item)} ends at {format_clock(p.end)}, but the return bus leaves "
                        f"{place} at {format_clock(back.start)}",
                        [item],
                        p,
                    )


def post_transport(rule: TransportRule, m: ModelContext) -> None:
    problem = m.problem
    for leg in problem.legs.values():
        out, back = problem.items[leg.out], problem.items[leg.back]
        guard = m.guard(rule)
        m.model.add(m.time_of_day(out) >= leg.depart_window[0]).only_enforce_if(guard)
        m.model.add(m.time_of_day(out) <= leg.depart_window[1]).only_enforce_if(guard)
        m.model.add(m.day(back) == m.day(out)).only_enforce_if(guard)
        m.model.add(m.start(back) >= m.end(out)).only_enforce_if(guard)
        for index in leg.served:
            item = problem.items[index]
            m.model.add(m.day(item) == m.day(out)).only_enforce_if(guard)
            if item.includes_travel:
                m.model.add(m.start(item) == m.start(out)).only_enforce_if(guard)
                m.model.add(m.end(item) == m.end(back)).only_enforce_if(guard)
            else:
                m.model.add(m.start(item) >= m.end(out)).only_enforce_if(guard)
                m.model.add(m.end(item) <= m.start(back)).only_enforce_if(guard)


register("max_content", check_max_content, post_max_content)
register("compact", check_compact, post_compact)
register("travel_time", check_travel_time, post_travel_time)
register("transport", check_transport, post_transport)
