"""Rules about the flow of a day: breaks often enough, no idle holes in the morning, time to
travel between venues, and transport legs with what happens at their destination."""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterator
from typing import Any

from ..clock import format_clock
from ..compile import (
    UNREACHABLE,
    Item,
    Leg,
    Problem,
    entry_venue,
    exempt_pair,
    exit_venue,
    hidden_in_container,
)
from ..model import CompactRule, Kind, MaxContentRule, TransportRule, TravelTimeRule
from ..text import and_list, plural
from ..timetable import Placement
from ..vocabulary import Category
from .base import (
    CheckContext,
    DrawnGroups,
    Finding,
    ModelContext,
    by_group,
    quote,
    register,
    travel_need,
    when,
)
from .rides import check_day_trips, post_day_trips


def check_max_content(rule: MaxContentRule, ctx: CheckContext) -> Iterator[Finding]:
    """Per group and day, each session ``b`` and the earliest session ``a`` of its run: the
    run is broken by a break (or a ride: travel is not sitting in a session) that starts no
    earlier than ``a`` and ends no later than ``b`` starts. So a session ends at most
    ``minutes`` after the start of every session of its run that starts no later than it. That
    reading holds whether or not breaks overlap sessions (a programme without a group
    ``no_overlap`` rule), and is the encoding's, pair by pair.

    One run too long is one finding, however many of its sessions end past the limit and
    however many groups sit through it: it names the run's last session and the others that
    end past the limit, and a sub-group whose own session makes its run longer ("for
    Coordinators until ..."). A soft rule's finding weighs what the solver pays: once per
    session past the limit."""
    runs: dict[tuple[object, str], dict[str, tuple[Item, Placement, list[Item]]]] = {}
    for (group, date), pairs in ctx.visible_by_group_day().items():
        content = [(i, p) for i, p in pairs if _sitting(rule, i)]
        pauses = sorted(((p.end, p.start) for i, p in pairs if _pause(rule, i)))
        starts = [p.start for _, p in content]
        latest_break = -1  # the latest start of a break that has ended by b's start
        k = 0
        for item, p in content:  # in start order
            while k < len(pauses) and pauses[k][0] <= p.start:
                latest_break = max(latest_break, pauses[k][1])
                k += 1
            first, q = content[bisect.bisect_right(starts, latest_break)]
            if p.end - q.start > rule.minutes:
                run = runs.setdefault((date, first.id), {})
                _, last_p, past = run.get(group, (item, p, []))
                if p.end >= last_p.end:
                    last_p = p
                    last = item
                else:
                    last = run[group][0]
                run[group] = (last, last_p, [*past, item])
    for (_, first_id), by_group_run in runs.items():
        yield _run_finding(rule, ctx, ctx.problem.item(first_id), by_group_run)


def _run_finding(
    rule: MaxContentRule,
    ctx: CheckContext,
    first: Item,
    runs: dict[str, tuple[Item, Placement, list[Item]]],
) -> Finding:
    """The finding of one run, told from its outermost groups; a group inside them whose run
    goes on longer (its own session after the others') is named with where its run ends."""
    problem = ctx.problem
    groups = list(runs)
    outermost = [g for g in groups if not any(problem.contains(o, g) for o in groups if o != g)]
    main = max(outermost, key=lambda g: (runs[g][1].end, -groups.index(g)))
    last, p, _ = runs[main]
    first_p = ctx.timetable.get(first.id)
    assert first_p is not None
    past = list(dict.fromkeys(i for g in groups for i in runs[g][2] if i.id != last.id))
    if last.id == first.id:  # one session longer than the limit on its own
        message = (
            f"{quote(last)} lasts {plural(p.end - first_p.start, 'minute')} without a break "
            f"(at most {rule.minutes})"
        )
    else:
        message = (
            f"{quote(last)} ends at {format_clock(p.end)}, "
            f"{plural(p.end - first_p.start, 'minute')} after {quote(first)} began at "
            f"{format_clock(first_p.start)} without a break (at most {rule.minutes})"
        )
    longer = [g for g in groups if runs[g][1].end > p.end]
    past_main = [i for i in past if i.id not in {runs[g][0].id for g in longer}]
    if past_main:
        others = [quote(i) for i in past_main if i.id != first.id]
        if others:
            message += f"; {and_list(others)} {'ends' if len(others) == 1 else 'end'} past it too"
    for group in longer:
        end_item, end_p, _ = runs[group]
        name = problem.group_names.get(group, group)
        message += f" (for {name} until {quote(end_item)} ends at {format_clock(end_p.end)})"
    named = [last, first, *(i for i in past if i.id != first.id)]
    finding = ctx.finding(
        rule,
        message,
        named,
        p,
        group=main,
        limit=rule.minutes,
        actual=p.end - first_p.start,
        unit="minutes",
    )
    counted = len({i.id for g in groups for i in runs[g][2]})
    return dataclasses.replace(finding, groups=tuple(groups), weight=finding.weight * counted)


def _pause(rule: MaxContentRule, item: Item) -> bool:
    """What ends a run of sessions: one of the rule's breaks, or a ride or walk."""
    return item.is_a(rule.breaks) or item.category == Category.TRAVEL


def post_max_content(rule: MaxContentRule, m: ModelContext) -> None:
    """Per group, for each session ``b``: ``run`` is the start of a break that ends before
    ``b`` starts (one minute before the day if none), and every session of that day starting
    after ``run`` and before ``b`` starts at most ``minutes`` before ``b`` ends. Choosing the
    latest such break is the checker's reading; an earlier one is only stricter. Pairs and
    (break, session) choices instead of (session, break, session) triples keep the model
    small; a soft rule is broken once per session ``b``, whatever the groups."""
    problem = m.problem
    for a in problem.items:
        if not a.groups or not _sitting(rule, a) or a.max_duration <= rule.minutes:
            continue  # a session nobody sits in (a block's part of no group) breaks nothing
        guard = m.guard(rule, instance=a.id)
        length = m.duration(a)
        if isinstance(length, int) and length > rule.minutes:
            m.model.add_bool_or([]).only_enforce_if(guard)
        elif not isinstance(length, int):  # an elastic session may not stretch past it alone
            m.model.add(length <= rule.minutes).only_enforce_if(guard)
    grouped = by_group(problem, problem.items)
    drawn = DrawnGroups(m, grouped)
    for group, items in grouped.items():
        content = [i for i in items if _sitting(rule, i)]
        pauses = [i for i in items if _pause(rule, i) and not hidden_in_container(problem, i)]
        for b in content:
            others = [a for a in content if a.index != b.index and m.may_share_day(a, b)]
            if not others or not drawn.judged(group, b):
                continue
            run = _run_start(m, b, [k for k in pauses if m.may_share_day(k, b)])
            guard = m.guard(rule, instance=b.id)
            for a in others:
                short = m.model.new_bool_var(f"short_{a.id}_{b.id}")
                m.model.add(m.end(b) - m.start(a) <= rule.minutes).only_enforce_if(short)
                earlier = m.model.new_bool_var(f"before_run_{a.id}_{b.id}")
                m.model.add(m.start(a) <= run).only_enforce_if(earlier)
                lits = [*guard, m.same_day(a, b), m.before(a, b)]
                m.model.add_bool_or([short, earlier]).only_enforce_if(lits)


def _sitting(rule: MaxContentRule, item: Item) -> bool:
    """In a session, and not one of the rule's breaks."""
    return item.in_session and not item.is_a(rule.breaks)


def _run_start(m: ModelContext, b: Item, pauses: list[Item]) -> Any:
    """A variable equal to the start of one break that ends before ``b`` starts on its day, or
    to one minute before the day."""
    day = 24 * 60
    days = b.days
    run = m.model.new_int_var(min(days) * day - 1, (max(days) + 1) * day, f"run_{b.id}")
    none = m.model.new_bool_var(f"run_{b.id}_day")
    m.model.add(run == day * m.day(b) - 1).only_enforce_if(none)
    choices = [none]
    for k in pauses:
        lit = m.model.new_bool_var(f"run_{b.id}_{k.id}")
        m.model.add(run == m.start(k)).only_enforce_if(lit)
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


def check_compact(rule: CompactRule, ctx: CheckContext) -> Iterator[Finding]:
    """Per group and day with a lunch: after each activity that ends by the start of the day's
    last lunch, something of the group is running within ``max_gap`` minutes (it may have
    begun earlier: overlapping activities leave no hole). A hole is reported once for each
    activity it follows, as the encoding counts it."""
    problem = ctx.problem
    for (group, date), pairs in ctx.visible_by_group_day().items():
        lunches = [p.start for i, p in pairs if i.kind == Kind.LUNCH]
        if not lunches:
            continue
        last_lunch = max(lunches)
        for a, p in pairs:
            if a.kind == Kind.LUNCH or p.end > last_lunch:
                continue
            later = [
                (q.start, b, travel_need(problem, a, p.venue, b, q.venue))
                for b, q in pairs
                if b is not a and q.end > p.end
            ]
            if not later or any(start <= p.end + need + rule.max_gap for start, _, need in later):
                continue
            next_start, b, need = min(later, key=lambda x: (x[0], x[1].index))
            idle = next_start - p.end - need
            travel = f" besides {plural(need, 'minute')} of travel" if need else ""
            hole = Placement(date, p.end, next_start, a.id, p.venue)
            yield ctx.finding(
                rule,
                f"{plural(idle, 'idle minute')}{travel} after {quote(a)}, until {quote(b)} "
                f"starts at {format_clock(next_start)} (at most {rule.max_gap})",
                [a, b],
                hole,
                group=group,
                limit=rule.max_gap,
                actual=idle,
                unit="minutes",
            )


def post_compact(rule: CompactRule, m: ModelContext) -> None:
    """Per group: whatever ends before one of the group's lunches that day is followed within
    ``max_gap`` minutes (beyond the travel to it) by another of the group's activities still
    running then (it starts no later than that and ends after it)."""
    problem = m.problem
    visible = [i for i in problem.items if not hidden_in_container(problem, i)]
    grouped = by_group(problem, visible)
    drawn = DrawnGroups(m, grouped)
    for group, items in grouped.items():
        lunches = [i for i in items if i.kind == Kind.LUNCH]
        for a in items:
            if a.kind == Kind.LUNCH or not drawn.judged(group, a):
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
                lits = [*m.guard(rule, instance=a.id), m.same_day(a, lunch), morning]
                m.model.add_bool_or(followers).only_enforce_if(lits)


def _follower(m: ModelContext, a: Item, b: Item, max_gap: int) -> Any:
    """A literal that may be true only when ``b`` runs within ``max_gap`` after ``a`` ends and
    the group has travelled to it."""
    lit = m.model.new_bool_var(f"next_{a.id}_{b.id}")
    m.model.add(m.end(b) > m.end(a)).only_enforce_if(lit)
    m.model.add(m.start(b) <= m.end(a) + m.need(a, b) + max_gap).only_enforce_if(lit)
    m.model.add(m.day(b) == m.day(a)).only_enforce_if(lit)
    return lit


def check_travel_time(rule: TravelTimeRule, ctx: CheckContext) -> Iterator[Finding]:
    """Per group and day, every pair of located activities with nothing located wholly between
    them: the later starts at least the travel time after the earlier ends. Overlapping
    activities are ``no_overlap``'s business. With shortest paths (the triangle inequality),
    this finds a broken pair exactly when the encoding's reading (every pair, unless something
    that moves the group lies between) does."""
    problem = ctx.problem
    for (group, _), pairs in ctx.visible_by_group_day().items():
        located = [(i, p) for i, p in pairs if p.venue is not None]
        by_end = sorted(located, key=lambda x: (x[1].end, x[1].start, x[0].index))
        latest_start = -1  # of what has ended by the current item's start
        k = 0
        for b, q in located:  # in start order
            while k < len(by_end) and by_end[k][1].end <= q.start:
                latest_start = max(latest_start, by_end[k][1].start)
                k += 1
            for a, p in reversed(by_end[:k]):
                if p.end <= latest_start:
                    break
                if exempt_pair(problem, a, b):
                    continue
                need = problem.travel_need(a, p.venue, b, q.venue)
                gap = q.start - p.end
                if gap < need:
                    o = _place_names(problem, a, exit_venue(problem, a, p.venue))
                    d = _place_names(problem, b, entry_venue(problem, b, q.venue))
                    trip = (
                        f"the travel graph has no way from {o} to {d}"
                        if need >= UNREACHABLE
                        else f"the trip takes {need}"
                    )
                    yield ctx.finding(
                        rule,
                        f"{quote(b)} ({when(q)}) leaves {plural(gap, 'minute')} to get from {o} to {d} "
                        f"after {quote(a)}; {trip}",
                        [b, a],
                        q,
                        group=group,
                        limit=need if need < UNREACHABLE else None,
                        actual=gap,
                        unit="minutes",
                    )


def _place_names(problem: Problem, item: Item, venue: str | None) -> str:
    """The place's name; for one decided late, every alternative ("the Beach or the Hall")."""
    places = [venue] if not item.alternatives or venue != item.venues[0] else item.alternatives
    names = [problem.venues[v].name if v else "?" for v in places]
    return " or ".join(names)


def post_travel_time(rule: TravelTimeRule, m: ModelContext) -> None:
    """Per group, for two located activities on one day, the first ending before the second
    starts: the second starts at least the shortest travel time after the first ends, unless
    something that moves the group (a bus ride, a door-to-door visit) lies between them. With
    no mover between, shortest paths obey the triangle inequality, so every pair is implied by
    those with nothing between them (the checker's reading) and the other way round."""
    problem = m.problem
    located = [
        i
        for i in problem.items
        if any(v is not None for v in i.venues) and not hidden_in_container(problem, i)
    ]
    grouped = by_group(problem, located)
    drawn = DrawnGroups(m, grouped)
    kept = problem.kept_findings.get(rule.id, frozenset())
    for group, items in grouped.items():
        movers = [i for i in items if _moves(problem, i)]
        for x, a in enumerate(items):
            for b in items[x + 1 :]:
                if exempt_pair(problem, a, b) or not m.may_share_day(a, b):
                    continue
                if not (drawn.judged(group, a) and drawn.judged(group, b)):
                    continue
                for first, second in ((a, b), (b, a)):
                    _travel_pair(
                        rule, m, first, second, movers + _kept_ends(items, first, second, kept)
                    )


def _kept_ends(
    items: list[Item], first: Item, second: Item, kept: frozenset[frozenset[str]]
) -> list[Item]:
    """The other end of a published shortfall a repair keeps (``Problem.kept_findings``) into
    ``second`` or out of ``first``: lying between them, it makes them no consecutive pair,
    as a bus ride does; the kept pair itself is left out by its guard."""
    if not kept:
        return []
    return [
        k
        for k in items
        if k.index not in (first.index, second.index)
        and (frozenset((k.id, second.id)) in kept or frozenset((first.id, k.id)) in kept)
    ]


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
            need = problem.travel_need(first, venue_first, second, venue_second)
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
                overlap = m.model.new_bool_var(f"overlap_{first.id}_{second.id}")
                m.model.add(m.start(second) < m.end(first)).only_enforce_if(overlap)
                between.append(overlap)
            guard = m.guard(rule, instance=f"{first.id}>{second.id}", about=(second, first))
            lits = [*guard, m.same_day(first, second), lit_first, lit_second]
            ok = m.model.new_bool_var(f"travel_{first.id}_{second.id}")
            m.model.add(m.start(second) >= m.end(first) + need).only_enforce_if(ok)
            m.model.add_bool_or([ok, *between]).only_enforce_if(lits)


def check_transport(rule: TransportRule, ctx: CheckContext) -> Iterator[Finding]:
    """Each leg: its ride out inside its departure window, its return after its arrival on
    the same day, and what it serves fitting between them (``_served_findings``); then the
    day trips two one-way legs make (``rides.check_day_trips``)."""
    problem = ctx.problem
    for leg in problem.legs.values():
        out_item = problem.items[leg.out]
        back_item = problem.items[leg.back] if leg.back is not None else None
        out = ctx.placement(out_item)
        back = ctx.placement(back_item) if back_item is not None else None
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
                limit=high if out.start > high else low,
                actual=out.start,
                unit="time",
            )
        if (
            back_item is not None
            and back is not None
            and (back.date != out.date or back.start < out.end)
        ):
            yield ctx.finding(
                rule,
                f"{leg.title} returns ({when(back)}) before it has arrived ({when(out)})",
                [back_item, out_item],
                back,
                line=leg.line,
                limit=out.end if back.date == out.date else None,
                actual=back.start if back.date == out.date else None,
                unit="time" if back.date == out.date else None,
            )
        for index in leg.served:
            item = problem.items[index]
            p = ctx.placement(item)
            if p is not None:
                yield from _served_findings(rule, ctx, leg, item, p, out, back)
    yield from check_day_trips(rule, ctx)


def _served_findings(
    rule: TransportRule,
    ctx: CheckContext,
    leg: Leg,
    item: Item,
    p: Placement,
    out: Placement,
    back: Placement | None,
) -> Iterator[Finding]:
    """What a leg serves is on its day, at its destination or at a place reached from there
    (the walk there after the arrival, and back before the return ride), and door to door
    with its rides when its printed time includes them (from the departure to the arrival
    back, or for a one-way leg from the departure on). For an activity whose place is decided
    late (``alternatives``) the longest walk counts."""
    problem = ctx.problem
    place = problem.venues[leg.destination].name
    walk, walk_back = _walks(problem, leg, item, p.venue)
    if p.date != out.date:
        yield ctx.finding(
            rule, f"{quote(item)} ({when(p)}) is not on the day of {leg.title}", [item], p
        )
        return
    if walk >= UNREACHABLE or walk_back >= UNREACHABLE:
        there = problem.venues[p.venue].name if p.venue else "?"
        yield ctx.finding(
            rule,
            f"{quote(item)} is at {there}, but {leg.title} goes to {place} and the travel "
            f"graph has no way from there to {there}"
            + (" and back" if leg.back is not None else ""),
            [item],
            p,
        )
        return
    if item.includes_travel:
        if p.start != out.start or (back is not None and p.end != back.end):
            yield ctx.finding(
                rule,
                f"{quote(item)} ({when(p)}) should run door to door with its bus, "
                f"from {format_clock(out.start)}"
                + (f" until back at {format_clock(back.end)}" if back else ""),
                [item],
                p,
                limit=out.start if p.start != out.start or back is None else back.end,
                actual=p.start if p.start != out.start or back is None else p.end,
                unit="time",
            )
        elif back is not None and walk + walk_back > back.start - out.end:
            yield ctx.finding(
                rule,
                f"{quote(item)} leaves {plural(back.start - out.end, 'minute')} at {place}, less "
                f"than the {plural(walk + walk_back, 'minute')} of walking there and back",
                [item],
                p,
                limit=walk + walk_back,
                actual=back.start - out.end,
                unit="minutes",
            )
        elif leg.back is None and p.end < out.end + walk:
            yield ctx.finding(
                rule,
                f"{quote(item)} ends at {format_clock(p.end)}, before {leg.title} reaches "
                f"{place} at {format_clock(out.end)}"
                + (f" and the {plural(walk, 'minute')} from there" if walk else ""),
                [item],
                p,
                limit=out.end + walk,
                actual=p.end,
                unit="time",
            )
        return
    walking = f" and the {plural(walk, 'minute')} from {place}" if walk else ""
    if p.start < out.end + walk:
        yield ctx.finding(
            rule,
            f"{quote(item)} starts at {format_clock(p.start)}, before {leg.title} "
            f"reaches {place} at {format_clock(out.end)}{walking}",
            [item],
            p,
            limit=out.end + walk,
            actual=p.start,
            unit="time",
        )
    if back is not None and p.end + walk_back > back.start:
        back_walk = f" after a {walk_back}-minute walk back" if walk_back else ""
        yield ctx.finding(
            rule,
            f"{quote(item)} ends at {format_clock(p.end)}, but the return bus leaves "
            f"{place} at {format_clock(back.start)}{back_walk}",
            [item],
            p,
            limit=back.start - walk_back,
            actual=p.end,
            unit="time",
        )


def _walks(problem: Problem, leg: Leg, item: Item, venue: str | None) -> tuple[int, int]:
    """Minutes from the leg's destination to ``venue``, and back (0 for a venue-less item);
    the longest over an activity's ``alternatives``."""
    places = item.alternatives or (venue,)
    if all(place is None for place in places):
        return 0, 0
    back = 0
    if leg.back is not None:  # a one-way leg has no ride back to walk to
        back = max(problem.travel_minutes(place, leg.destination) for place in places)
    return max(problem.travel_minutes(leg.destination, place) for place in places), back


def post_transport(rule: TransportRule, m: ModelContext) -> None:
    """As the checker, leg by leg, then ``rides.post_day_trips``."""
    problem = m.problem
    for leg in problem.legs.values():
        out = problem.items[leg.out]
        guard = m.guard(rule, about=(out,))
        m.model.add(m.time_of_day(out) >= leg.depart_window[0]).only_enforce_if(guard)
        m.model.add(m.time_of_day(out) <= leg.depart_window[1]).only_enforce_if(guard)
        if leg.back is not None:
            back = problem.items[leg.back]
            back_guard = m.guard(rule, about=(back, out))
            m.model.add(m.day(back) == m.day(out)).only_enforce_if(back_guard)
            m.model.add(m.start(back) >= m.end(out)).only_enforce_if(back_guard)
        for index in leg.served:
            item = problem.items[index]
            _post_served(m, leg, item, m.guard(rule, about=(item,)))
    post_day_trips(rule, m)


def _post_served(m: ModelContext, leg: Leg, item: Item, guard: list[Any]) -> None:
    problem = m.problem
    out = problem.items[leg.out]
    back = problem.items[leg.back] if leg.back is not None else None
    m.model.add(m.day(item) == m.day(out)).only_enforce_if(guard)
    if item.includes_travel:
        m.model.add(m.start(item) == m.start(out)).only_enforce_if(guard)
        if back is not None:
            m.model.add(m.end(item) == m.end(back)).only_enforce_if(guard)
    for literal, _, venue in m.venue_literals(item):
        walk, walk_back = _walks(problem, leg, item, venue)
        lits = [*guard, literal]
        if walk >= UNREACHABLE or walk_back >= UNREACHABLE:
            m.model.add_bool_or([literal.Not()]).only_enforce_if(guard)
        elif item.includes_travel and back is not None:
            m.model.add(m.start(back) - m.end(out) >= walk + walk_back).only_enforce_if(lits)
        elif item.includes_travel:
            m.model.add(m.end(item) >= m.end(out) + walk).only_enforce_if(lits)
        else:
            m.model.add(m.start(item) >= m.end(out) + walk).only_enforce_if(lits)
            if back is not None:
                m.model.add(m.end(item) + walk_back <= m.start(back)).only_enforce_if(lits)


register("max_content", check_max_content, post_max_content)
register("compact", check_compact, post_compact)
register("travel_time", check_travel_time, post_travel_time)
register("transport", check_transport, post_transport)
