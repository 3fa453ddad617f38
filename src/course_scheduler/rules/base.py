"""What every rule shares: findings, the checking context, and the solver-side interface.

A rule family module defines, side by side, ``check_<kind>(rule, ctx) -> Iterator[Finding]``
(plain Python over a concrete timetable) and ``post_<kind>(rule, model)`` (the CP-SAT encoding,
through the ``ModelContext`` protocol so this package never imports ortools). The two are
written independently and tested against each other.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, Protocol

from ..clock import format_clock
from ..compile import Item, Problem, entry_venue, exempt_pair, exit_venue, hidden_in_container
from ..model import Severity
from ..text import MONTHS, WEEKDAYS
from ..timetable import Placement, Timetable

if TYPE_CHECKING:
    from ..model import Rule


Unit = Literal["minutes", "time", "people"]
"""What a finding's ``limit`` and ``actual`` count."""

_Key = tuple[dt.date, int, int, int, int, str | None, Item, Placement]
"""An activity placed: date, start, end, index, place in the problem's list, room, the item
and the placement (``CheckContext.keys``)."""


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One broken rule instance, told in a sentence a planner understands."""

    rule: str
    kind: str
    level: Level
    message: str
    activities: tuple[str, ...] = ()
    date: dt.date | None = None
    start: int | None = None
    end: int | None = None
    file: str | None = None
    line: int | None = None
    weight: int = 0
    groups: tuple[str, ...] = ()
    """The groups whose day breaks the rule, for rules read group by group."""
    limit: int | None = None
    """The value the rule allows (the latest end, the longest stretch, the travel needed...),
    in ``unit``; None when the finding is not about a number (a day, a person, a place, what
    lies between two activities). A rule about order reads as a bound on a start: an item
    listed after another, or not an opener, may start no earlier than it (``limit`` its start,
    ``actual`` the item's). A note that sets two lengths side by side gives the other one."""
    actual: int | None = None
    """The value the timetable has, in ``unit``, to compare with ``limit``; the finding's
    sentence says it."""
    unit: Unit | None = None
    """``minutes`` (a length), ``time`` (minutes after midnight on ``date``) or ``people``."""

    @property
    def location(self) -> str:
        if not self.file:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level.value,
            "rule": self.rule,
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
            "start": format_clock(self.start) if self.start is not None else None,
            "end": format_clock(self.end) if self.end is not None else None,
            "activities": list(self.activities),
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "groups": list(self.groups),
            **self.measure(),
        }

    def measure(self) -> dict[str, Any]:
        """``limit`` and ``actual`` for the JSON report: clock times as text, like ``start``;
        nothing for a finding about no number (so reports of those keep their shape)."""
        if self.unit is None:
            return {}
        show = format_clock if self.unit == "time" else (lambda value: value)
        return {
            "limit": None if self.limit is None else show(self.limit),
            "actual": None if self.actual is None else show(self.actual),
            "unit": self.unit,
        }


def new_finding(values: dict[str, Any]) -> Finding:
    """The finding of ``values`` (every field): the same as ``Finding(**values)``, made in one
    step. A frozen dataclass's constructor sets its 15 fields one by one through
    ``object.__setattr__`` (3.5 of 4 µs a finding), and a large programme may have thousands
    (the capacity rule's warnings); ``tests/test_scale.py`` holds the two ways to agree."""
    finding = object.__new__(Finding)
    object.__setattr__(finding, "__dict__", values)
    return finding


@dataclass
class CheckContext:
    """A timetable laid over a problem, with the lookups every checker needs."""

    problem: Problem
    timetable: Timetable
    placed: list[tuple[Item, Placement]] = field(init=False)
    """The placed activities in time order (date, start, end, then as listed)."""
    by_index: list[tuple[Item, Placement]] = field(init=False)
    """The same in the order the problem lists them: for a reading whose order does not
    matter. The items and their placements were made in this order and lie in memory so; at
    10,000 activities a pass in time order jumps about it and takes up to twice as long."""

    keys: list[_Key] = field(init=False)
    """``placed`` as tuples, in the same order: date, start, end, the item's index, its place
    in the problem's list (the same number, unless a caller made the items otherwise: it keeps
    the sort from ever comparing what follows), its room, the item and its placement. They
    are made in one reading of the placements in the order listed, so a sweep in time order
    that looks for overlaps (``rules.overlap``) reads these tuples, not the activities and
    their placements: those lie in memory in the order listed, and at 10,000 activities a
    walk over them in time order cost two to four times one as listed."""

    def __post_init__(self) -> None:
        get = self.timetable.placements.get
        keys = [
            (p.date, p.start, p.end, item.index, k, p.room, item, p)
            for k, item in enumerate(self.problem.items)
            if (p := get(item.id)) is not None
        ]
        self.by_index = [(key[6], key[7]) for key in keys]
        self.keys = keys = _time_order(keys)
        self.placed = [(key[6], key[7]) for key in keys]

    @cached_property
    def position(self) -> list[int]:
        """Each item's position in ``placed`` by its index (-1 when it is not placed): a rule
        puts its few activities in time order by sorting these numbers."""
        position = [-1] * len(self.problem.items)
        for k, key in enumerate(self.keys):
            position[key[3]] = k
        return position

    def placement(self, item: Item) -> Placement | None:
        return self.timetable.get(item.id)

    def by_group(self) -> dict[str, list[tuple[Item, Placement]]]:
        """Placed items of each group, in time order."""
        result: dict[str, list[tuple[Item, Placement]]] = defaultdict(list)
        for item, placement in self.placed:
            for group in item.groups:
                result[group].append((item, placement))
        return result

    def by_group_day(self) -> dict[tuple[str, dt.date], list[tuple[Item, Placement]]]:
        result: dict[tuple[str, dt.date], list[tuple[Item, Placement]]] = defaultdict(list)
        for item, placement in self.placed:
            for group in item.groups:
                result[(group, placement.date)].append((item, placement))
        return result

    def visible_by_group_day(self) -> dict[tuple[str, dt.date], list[tuple[Item, Placement]]]:
        """As ``by_group_day`` without the rides a door-to-door visit already contains."""
        result = self.by_group_day()
        return {
            key: [(i, p) for i, p in pairs if not hidden_in_container(self.problem, i)]
            for key, pairs in result.items()
        }

    def finding(
        self,
        rule: Rule,
        message: str,
        items: Sequence[Item],
        placement: Placement | None = None,
        *,
        line: int | None = None,
        group: str | None = None,
        limit: int | None = None,
        actual: int | None = None,
        unit: Unit | None = None,
    ) -> Finding:
        """A finding located at the first item's line (or the rule's line); ``group`` for the
        rules that read each group's day on its own (the report merges the groups of one
        broken instance into one finding)."""
        hard = rule.severity == Severity.HARD
        level = Level.ERROR if hard else Level.INFO if rule.planner_default else Level.WARNING
        where = line
        if where is None:
            where = items[0].line if items else self.problem.rule_lines.get(rule.id)
        return new_finding(
            {
                "rule": rule.id,
                "kind": rule.kind,
                "level": level,
                "message": message,
                "activities": tuple(item.id for item in items),
                "date": placement.date if placement else None,
                "start": placement.start if placement else None,
                "end": placement.end if placement else None,
                "file": self.problem.source.file,
                "line": where,
                "weight": 0 if hard else rule.weight,
                "groups": (group,) if group is not None else (),
                "limit": limit,
                "actual": actual,
                "unit": unit,
            }
        )


def _time_order(keys: list[_Key]) -> list[_Key]:
    """``sorted(keys)``, by their date and start first: the activities that share both (a
    conference's slot) are put together as read, so only those few are compared as tuples.
    At 10,000 talks a sort of them all took twice as long, the tuples compared a dozen times
    each."""
    together: dict[tuple[dt.date, int], list[_Key]] = {}
    for key in keys:
        at = key[0], key[1]
        found = together.get(at)
        if found is None:
            together[at] = [key]
        else:
            found.append(key)
    ordered: list[_Key] = []
    for at in sorted(together):
        found = together[at]
        if len(found) > 1:
            found.sort()
        ordered += found
    return ordered


def by_group(problem: Problem, items: Iterable[Item]) -> dict[str, list[Item]]:
    """Items of each group: the rules about a day's flow read each group's day on its own."""
    result: dict[str, list[Item]] = {}
    for item in items:
        for group in item.groups:
            result.setdefault(group, []).append(item)
    return result


class DrawnGroups:
    """Where a group drawn from another (a part of it, or those of it who join an optional
    activity) is its parent again: the items whose day can hold none of the group's own
    activities. There the group's day is its parent's, item for item, so a day-flow rule
    posted for the parent already says all it would say; posting it again for each such group
    only multiplied the model (a file with five optional activities, five copies).

    Built from the same ``grouped`` lists the rule posts, and only where the parent's items
    are all the group's too, so the skipped constraints are exactly duplicates.

    A group whose list is another's, item for item (twelve boot-camp groups in three sets
    that take the same sessions), says nothing new either: the rules that use this post the
    same constraints over the same items, with one guard per activity, so only the first of
    such twins is judged (a boot camp's ``holes`` and ``idle``: 96,000 constraints -> 24,000)."""

    def __init__(self, m: ModelContext, grouped: dict[str, list[Item]]) -> None:
        self._parent_day: dict[str, set[int]] = {}
        self._twins: set[str] = set()
        first: dict[tuple[int, ...], str] = {}
        for group, items in grouped.items():
            if first.setdefault(tuple(i.index for i in items), group) != group:
                self._twins.add(group)
        for group, items in grouped.items():
            parent = m.problem.group_parent.get(group)
            if parent is None or parent not in grouped:
                continue
            inherited = {i.index for i in grouped[parent]}
            if not inherited <= {i.index for i in items}:
                continue
            own = [i for i in items if i.index not in inherited]
            self._parent_day[group] = {
                i.index
                for i in items
                if i.index in inherited and not any(m.may_share_day(i, o) for o in own)
            }

    def judged(self, group: str, item: Item) -> bool:
        """Must ``group``'s constraints about ``item`` (its day) be posted for ``group``?"""
        return group not in self._twins and item.index not in self._parent_day.get(group, ())


def when(p: Placement) -> str:
    """ "Wed 20 Nov 14:00-18:30", the way findings quote a placement. The names are English
    whatever the process's locale, as the sentences are (``strftime`` took 4 of the 7
    microseconds it took, and a large conference's check quotes thousands of placements)."""
    d = p.date
    day = f"{_WEEKDAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]}"
    return f"{day} {format_clock(p.start)}-{format_clock(p.end)}"


def day_label(date: dt.date) -> str:
    return f"{_WEEKDAYS[date.weekday()]} {date.day} {_MONTHS[date.month - 1]} {date.year}"


_WEEKDAYS = tuple(name[:3] for name in WEEKDAYS)
_MONTHS = tuple(name[:3] for name in MONTHS)


def quote(item: Item) -> str:
    """An activity's title, shortened for a sentence."""
    title = item.title if len(item.title) <= 60 else item.title[:57].rstrip() + "..."
    return f"'{title}'"


def travel_need(problem: Problem, a: Item, va: str | None, b: Item, vb: str | None) -> int:
    """Travel minutes from where ``a`` ends to where ``b`` begins (0 for its own bus)."""
    if exempt_pair(problem, a, b):
        return 0
    need = problem.travel_minutes(exit_venue(problem, a, va), entry_venue(problem, b, vb))
    return min(need, 24 * 60)


class ModelContext(Protocol):
    """What a rule's CP-SAT encoding may use; implemented by ``solver.build.Build``.

    Times are absolute minutes (day index x 1440 + minute of the day). ``guard(rule)`` returns
    the enforcement literals a constraint of ``rule`` must carry: none for a hard rule in a
    normal solve, the rule's assumption literal when explaining (one per ``key``), and a
    literal whose falsity is penalised for a soft rule: fresh on every call, or one per
    ``instance`` (a broken instance is paid for once, however many groups or constraints it
    spans, as the checker counts it).
    """

    problem: Problem

    @property
    def model(self) -> Any: ...
    def start(self, item: Item) -> Any: ...
    def end(self, item: Item) -> Any: ...
    def duration(self, item: Item) -> Any: ...
    def optional_interval(self, item: Item, literal: Any, name: str) -> Any: ...
    def day(self, item: Item) -> Any: ...
    def time_of_day(self, item: Item) -> Any: ...
    def interval(self, item: Item) -> Any: ...
    def apart(self, items: list[Item], guard: list[Any], rule: str, key: str | None = None) -> None:
        """At most one of ``items`` at any moment (under ``guard``), as ``rule`` says (for
        ``key``: the person, the group or the room)."""

    def same_day(self, a: Item, b: Item) -> Any: ...
    def before(self, a: Item, b: Item) -> Any: ...
    def on_day(self, item: Item, day: int) -> Any: ...
    def venue_literals(self, item: Item) -> list[tuple[Any, int, str | None]]: ...
    def room_literals(self, item: Item) -> list[tuple[Any, str]]: ...
    def pooled_rooms(self) -> Any: ...
    def module_day(self, module: str) -> Any: ...
    def guard(
        self,
        rule: Rule,
        key: str | None = None,
        *,
        instance: str | None = None,
        about: Sequence[Item | str] = (),
    ) -> list[Any]:
        """``about``: the activities (or a deadline's id) the constraint is about, as the
        checker's finding for that instance names them; a published error a repair keeps
        (``Problem.kept_findings``) is then not posted."""

    def may_share_day(self, a: Item, b: Item) -> bool: ...
    def need(self, a: Item, b: Item) -> Any: ...
    def is_pinned(self, item: Item) -> bool: ...
    def count(self, rule: Rule, expression: Any, upper: int) -> None: ...


def need_expression(m: ModelContext, a: Item, b: Item) -> Any:
    """The travel from ``a`` to ``b``: a number, or a variable when their venues are chosen."""
    return venue_expression(m, a, b, travel_need, "need")


def venue_expression(
    m: ModelContext,
    a: Item,
    b: Item,
    between: Callable[[Problem, Item, str | None, Item, str | None], int],
    name: str,
) -> Any:
    """``between`` (minutes from ``a`` at one venue to ``b`` at another, such as the travel or
    a block's gap between parts) over the venues the two may take on one day: a number when
    every choice gives the same, else a variable tied to the venue literals."""
    problem = m.problem
    combos = [
        (la, lb, between(problem, a, va, b, vb))
        for la, da, va in m.venue_literals(a)
        for lb, db, vb in m.venue_literals(b)
        if da == db
    ]
    values = {minutes for _, _, minutes in combos}
    if len(values) <= 1:
        return values.pop() if values else 0
    variable = m.model.new_int_var(min(values), max(values), f"{name}_{a.id}_{b.id}")
    for la, lb, value in combos:
        m.model.add(variable == value).only_enforce_if([la, lb])
    return variable


CheckFn = Callable[[Any, CheckContext], Iterator[Finding]]
PostFn = Callable[[Any, ModelContext], None]


@dataclass(frozen=True)
class RuleKind:
    """A rule kind's two independent readings, and whether it depends on the timetable at all."""

    kind: str
    check: CheckFn
    post: PostFn
    static: bool = False


REGISTRY: dict[str, RuleKind] = {}


def register(kind: str, check: CheckFn, post: PostFn, *, static: bool = False) -> None:
    REGISTRY[kind] = RuleKind(kind, check, post, static)
