"""Rules about order: sequences (Q&A right after its talk), what opens a day, what closes the
morning, modules kept to one day each and in a given order."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from ..clock import format_clock
from ..compile import Item, hidden_in_container
from ..model import LastBeforeRule, ModuleDayRule, ModuleOrderRule, OpensDayRule, SequenceRule
from ..text import plural
from ..timetable import Placement
from .base import CheckContext, Finding, ModelContext, by_group, day_label, quote, register, when


def _gap_text(rule: SequenceRule) -> str:
    if rule.max_gap == 0 and rule.min_gap == 0:
        return "immediately"
    if rule.max_gap is None:
        return f"at least {plural(rule.min_gap, 'minute')} later" if rule.min_gap else "later"
    return f"{rule.min_gap} to {plural(rule.max_gap, 'minute')} later"


def check_sequence(rule: SequenceRule, ctx: CheckContext) -> Iterator[Finding]:
    problem = ctx.problem
    for first_id, second_id in zip(rule.activities, rule.activities[1:], strict=False):
        a, b = problem.item(first_id), problem.item(second_id)
        p, q = ctx.placement(a), ctx.placement(b)
        if p is None or q is None:
            continue
        gap = q.start - p.end
        same_day = p.date == q.date
        too_far = rule.max_gap is not None and gap > rule.max_gap
        if not same_day or gap < rule.min_gap or too_far:
            yield ctx.finding(
                rule,
                f"{quote(b)} ({when(q)}) must follow {quote(a)} ({when(p)}) "
                f"{_gap_text(rule)} on the same day"
                + (f", not {_gap_said(gap)}" if same_day else ""),
                [b, a],
                q,
                limit=_gap_limit(rule, gap) if same_day else None,
                actual=gap if same_day else None,
                unit="minutes" if same_day else None,
            )


def post_sequence(rule: SequenceRule, m: ModelContext) -> None:
    problem = m.problem
    for first_id, second_id in zip(rule.activities, rule.activities[1:], strict=False):
        a, b = problem.item(first_id), problem.item(second_id)
        guard = m.guard(rule, about=(b, a))
        m.model.add(m.day(a) == m.day(b)).only_enforce_if(guard)
        m.model.add(m.start(b) >= m.end(a) + rule.min_gap).only_enforce_if(guard)
        if rule.max_gap is not None:
            m.model.add(m.start(b) <= m.end(a) + rule.max_gap).only_enforce_if(guard)


def _group_days(ctx: CheckContext) -> dict[tuple[str, dt.date], list[tuple[Item, Placement]]]:
    return ctx.visible_by_group_day()


def check_opens_day(rule: OpensDayRule, ctx: CheckContext) -> Iterator[Finding]:
    """One finding per opener that does not open its day, naming everything that starts
    before it: one wrong start time is one finding, not one per activity it passes."""
    kinds = set(rule.kinds)
    for (group, _), pairs in _group_days(ctx).items():
        openers = [(i, p) for i, p in pairs if i.is_a(kinds)]
        for opener, p in openers:
            earlier = [(o, q) for o, q in pairs if not o.is_a(kinds) and q.start < p.start]
            if not earlier:
                continue
            verb = "starts" if len(earlier) == 1 else "start"
            yield ctx.finding(
                rule,
                f"{quote(opener)} ({when(p)}) must open the day, but "
                f"{_listed([(o, q.start) for o, q in earlier])} {verb} before it",
                [opener, *(o for o, _ in earlier)],
                p,
                group=group,
                limit=earlier[0][1].start,
                actual=p.start,
                unit="time",
            )


def _listed(items: list[tuple[Item, int]]) -> str:
    """'A' (9:20), 'B' (9:45) and 3 more."""
    shown = [f"{quote(i)} ({format_clock(start)})" for i, start in items[:3]]
    if len(items) > 3:
        shown.append(plural(len(items) - 3, "more"))
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def post_opens_day(rule: OpensDayRule, m: ModelContext) -> None:
    problem = m.problem
    kinds = set(rule.kinds)
    openers = [i for i in problem.items if i.is_a(kinds)]
    for opener in openers:
        for other in problem.items:
            if other.is_a(kinds) or not problem.shares_group(opener, other):
                continue
            if not m.may_share_day(opener, other) or _hidden(m, other):
                continue
            lits = [*m.guard(rule), m.same_day(opener, other)]
            m.model.add(m.start(other) >= m.start(opener)).only_enforce_if(lits)


def _hidden(m: ModelContext, item: Item) -> bool:
    return hidden_in_container(m.problem, item)


def check_last_before(rule: LastBeforeRule, ctx: CheckContext) -> Iterator[Finding]:
    """Per closer and target of a group's day: one finding when the closer does not end
    before the target, and one naming everything that comes between them."""
    kinds = set(rule.kinds)
    for (group, _), pairs in _group_days(ctx).items():
        closers = [(i, p) for i, p in pairs if i.is_a(kinds)]
        targets = [(i, p) for i, p in pairs if i.is_a([rule.before])]
        for closer, p in closers:
            for target, q in targets:
                if p.end > q.start:
                    yield ctx.finding(
                        rule,
                        f"{quote(closer)} ({when(p)}) must end before {quote(target)} ({when(q)})",
                        [closer, target],
                        p,
                        group=group,
                        limit=q.start,
                        actual=p.end,
                        unit="time",
                    )
                    continue
                between = [
                    (other, r)
                    for other, r in pairs
                    if other not in (closer, target)
                    and not other.is_a(kinds)
                    and not other.is_a([rule.before])
                    and p.start < r.start < q.start
                ]
                if between:
                    verb = "comes" if len(between) == 1 else "come"
                    yield ctx.finding(
                        rule,
                        f"{_listed([(o, r.start) for o, r in between])} {verb} after "
                        f"{quote(closer)} ({when(p)}), which must be the last item before "
                        f"{quote(target)}",
                        [*(o for o, _ in between), closer],
                        between[0][1],
                        group=group,
                    )


def post_last_before(rule: LastBeforeRule, m: ModelContext) -> None:
    """Per group and day: the closer ends before the target, and every other activity of the
    group starts no later than the closer or no earlier than the target."""
    problem = m.problem
    kinds = set(rule.kinds)
    visible = [i for i in problem.items if not _hidden(m, i)]
    for items in by_group(problem, visible).values():
        closers = [i for i in items if i.is_a(kinds)]
        targets = [i for i in items if i.is_a([rule.before])]
        others = [i for i in items if not i.is_a(kinds) and not i.is_a([rule.before])]
        for closer in closers:
            for target in targets:
                if not m.may_share_day(closer, target):
                    continue
                both = m.same_day(closer, target)
                m.model.add(m.end(closer) <= m.start(target)).only_enforce_if(
                    [*m.guard(rule, instance=f"{closer.id}>{target.id}"), both]
                )
                for other in others:
                    if not m.may_share_day(closer, other):
                        continue
                    outside = m.model.new_bool_var(f"outside_{closer.id}_{other.id}_{target.id}")
                    guard = m.guard(rule, instance=f"{other.id}|{closer.id}")
                    lits = [*guard, both, m.same_day(closer, other)]
                    m.model.add(m.start(other) <= m.start(closer)).only_enforce_if([*lits, outside])
                    m.model.add(m.start(other) >= m.start(target)).only_enforce_if(
                        [*lits, outside.Not()]
                    )


def module_days(ctx: CheckContext) -> dict[str, list[tuple[Item, Placement]]]:
    modules: dict[str, list[tuple[Item, Placement]]] = defaultdict(list)
    for item, p in ctx.placed:
        if item.module is not None:
            modules[item.module].append((item, p))
    return modules


def check_module_day(rule: ModuleDayRule, ctx: CheckContext) -> Iterator[Finding]:
    problem = ctx.problem
    owner: dict[dt.date, str] = {}
    for module, pairs in sorted(module_days(ctx).items()):
        declared = [problem.dates[d] for d, x in enumerate(problem.day_modules) if x == module]
        if len(declared) > 1:
            yield ctx.finding(
                rule,
                f"module {module} is declared on {len(declared)} days "
                f"({', '.join(day_label(d) for d in declared)}); a module has one day",
                [],
                line=problem.source.line(("days", problem.day_modules.index(module), "module")),
            )
        dates = sorted({p.date for _, p in pairs} | set(declared))
        if len(dates) > 1:
            home = declared[0] if declared else dates[0]
            for item, p in pairs:
                if p.date != home:
                    yield ctx.finding(
                        rule,
                        f"{quote(item)} of module {module} is on {day_label(p.date)}, "
                        f"away from the rest of the module ({day_label(home)})",
                        [item],
                        p,
                    )
        for date in dates:
            if date in owner and owner[date] != module:
                item, p = pairs[0]
                yield ctx.finding(
                    rule,
                    f"modules {owner[date]} and {module} share {day_label(date)}; "
                    "each module has a day of its own",
                    [item],
                    p,
                )
            owner.setdefault(date, module)


def post_module_day(rule: ModuleDayRule, m: ModelContext) -> None:
    problem = m.problem
    modules = sorted({i.module for i in problem.items if i.module is not None})
    for module in modules:
        day = m.module_day(module)
        for item in problem.items:
            if item.module == module:
                m.model.add(m.day(item) == day).only_enforce_if(m.guard(rule))
        for d, declared in enumerate(problem.day_modules):
            if declared == module:
                m.model.add(day == d).only_enforce_if(m.guard(rule))
    if len(modules) > 1:
        m.model.add_all_different([m.module_day(x) for x in modules]).only_enforce_if(m.guard(rule))


def check_module_order(rule: ModuleOrderRule, ctx: CheckContext) -> Iterator[Finding]:
    days = module_days(ctx)
    for early in rule.before:
        for late in rule.after:
            if not days.get(early) or not days.get(late):
                continue
            last_early = max(days[early], key=lambda x: x[1].date)
            first_late = min(days[late], key=lambda x: x[1].date)
            if last_early[1].date >= first_late[1].date:
                yield ctx.finding(
                    rule,
                    f"module {early} ({day_label(last_early[1].date)}) must come before "
                    f"module {late} ({day_label(first_late[1].date)})",
                    [first_late[0], last_early[0]],
                    first_late[1],
                )


def post_module_order(rule: ModuleOrderRule, m: ModelContext) -> None:
    problem = m.problem
    for early in rule.before:
        for late in rule.after:
            for a in problem.items:
                if a.module != early:
                    continue
                for b in problem.items:
                    if b.module == late:
                        m.model.add(m.day(a) < m.day(b)).only_enforce_if(m.guard(rule))


register("sequence", check_sequence, post_sequence)
register("opens_day", check_opens_day, post_opens_day)
register("last_before", check_last_before, post_last_before)
register("module_day", check_module_day, post_module_day)
register("module_order", check_module_order, post_module_order)


def _gap_said(gap: int) -> str:
    """How the second of two glued activities starts against the first's end, in words."""
    if gap == 0:
        return "as it ends"
    return f"{plural(abs(gap), 'minute')} {'after' if gap > 0 else 'before'} it ends"


def _gap_limit(rule: SequenceRule, gap: int) -> int | None:
    """The bound a gap between two glued activities breaks: the least when it is too short,
    else the most."""
    if gap < rule.min_gap:
        return rule.min_gap
    return rule.max_gap
