"""One validation path for every entry point: a file, a dict, keyword construction, assignment.

pydantic checks each value where it is (a time is a time, a duration is positive); the
cross-checks here check what only the whole programme can say: references, duplicate ids,
dates that are course days, blocks on their part's day, ordering cycles. They run wherever a
``Programme`` is made (``Programme.model_validate``, ``Programme(...)``, and so ``load``) and
again where every reading starts (``compile_programme``: ``check``, ``solve``, ``explain``,
``what_if``), so a programme edited in Python after it was made (``activity.venue = "hal"``,
``day.activities.append(...)``) is refused there with the same ``ProgrammeError``: the field's
path, and its line when the programme came from a file.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .errors import Path, ProgrammeError, SourceMap
from .model import SOURCE, Activity, Programme, ride_ids
from .samelists import SameLists
from .vocabulary import BUILTIN_KINDS, CATEGORY_NAMES

if TYPE_CHECKING:
    from pydantic import ValidationError


def from_validation(exc: ValidationError, data: Any, source: SourceMap) -> ProgrammeError:
    """pydantic's first complaint, at the field's path in ``data`` (and its line in the file)."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    path = _data_path(first["loc"], data)
    message = first["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if first["type"] == "extra_forbidden":
        message = f"unknown field '{path[-1]}'"
        path = (*path[:-1], path[-1])
    elif first["type"] == "missing":
        message = f"missing required field '{path[-1]}'" if path else message
    more = len(errors) - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return source.error(message, path)


def _data_path(loc: tuple[int | str, ...], data: Any) -> Path:
    """Drop the parts of a pydantic location that are union tags rather than keys of the data."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, list) and isinstance(part, int):
            path.append(part)
            node = node[part] if 0 <= part < len(node) else None
        elif isinstance(node, dict) and isinstance(part, str) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(part, str) and part in getattr(type(node), "model_fields", {}):
            path.append(part)  # a model given in place of its data (built in Python)
            node = getattr(node, part)
        elif isinstance(node, dict) or isinstance(part, int):
            if isinstance(part, str) and not (isinstance(node, dict) and _is_tag(part, node)):
                path.append(part)
                node = None
        else:
            continue
    return tuple(path)


def _is_tag(part: str, node: dict[str, Any]) -> bool:
    return node.get("kind") == part or part in {"function-after", "function-before"}


def cross_check(
    programme: Programme, source: SourceMap | None = None, lists: SameLists | None = None
) -> None:
    """References, duplicate ids, dates and ordering cycles, each error at its line.

    A programme changed in Python may hold what no assignment validates (a plain dict or
    text appended to a list of activities): when the checks trip over such a value, the
    programme is validated again from its data, which names the field. ``lists``: where the
    activities' lists of rooms are told apart (``samelists``), for compile to find them
    there instead of reading them again."""
    source = source or SourceMap()
    collecting = gc.isenabled()
    gc.disable()  # small objects by the thousand, no cycles: the collector would walk them all
    try:
        _Checker(programme, source, lists).run()
    except (AttributeError, TypeError, KeyError) as exc:
        data = programme.model_dump(by_alias=True, warnings=False)
        Programme.model_validate(data, context={SOURCE: source})
        raise ProgrammeError(
            f"the programme holds a value of the wrong type ({type(exc).__name__}: {exc}); "
            "add models (Activity(...), a rule's class), or make the programme again with "
            "Programme.model_validate",
            file=source.file,
        ) from None
    finally:
        if collecting:
            gc.enable()


class _Checker:
    def __init__(
        self, programme: Programme, source: SourceMap, lists: SameLists | None = None
    ) -> None:
        self.p = programme
        self.source = source
        self.lists = lists or SameLists()
        self.venues = {v.id for v in programme.venues}
        self.rooms = {r.id: v.id for v in programme.venues for r in v.rooms}
        self.people = {p.id for p in programme.people}
        self.groups = {g.id for g in programme.groups}
        self.modules = {m.id for m in programme.modules}
        self.legs = {leg.id for leg in programme.transport}
        self.dates = {d.date for d in programme.days}
        self.activity_ids: set[str] = set()
        self.kinds = set(BUILTIN_KINDS) | {k.id for k in programme.kinds}
        self._activities_by_id: dict[str, tuple[Path, Activity]] | None = None
        self._untimed_set: set[str] | None = None
        self._blocks: set[str] | None = None
        self._parts = True
        """Whether an activity may be a part or a block (``block``, ``parallel``): only then
        are the activities walked again for those fields (``_activities_clean`` tells)."""

    def fail(self, message: str, path: Path) -> ProgrammeError:
        return self.source.error(message, path)

    def run(self) -> None:
        self._kinds()
        self._unique_ids()
        self._days()
        if not self._activities_clean():
            for path, activity in self._activities():
                self._activity(path, activity)
        if self._parts:
            for path, activity in self._activities():
                if activity.block is not None:
                    self._block(path, activity)
                if activity.parallel is not None:
                    self._parallel(path, activity)
        self._transport()
        self._travel_and_people()
        self._groups()
        self._deadlines()
        self._rules()
        self._cycles()

    def _kinds(self) -> None:
        """Declared kinds have names of their own, apart from the categories' names (a rule's
        ``kinds: [meal]`` must mean one thing)."""
        self._unique("kind", ((("kinds", i), k.id) for i, k in enumerate(self.p.kinds)), set())
        for i, declared in enumerate(self.p.kinds):
            if declared.id in CATEGORY_NAMES:
                raise self.fail(
                    f"'{declared.id}' is a category; a kind needs a name of its own "
                    f"(e.g. '{declared.id}_slot')",
                    ("kinds", i, "id"),
                )

    def _kind(self, kind: str, path: Path, *, categories: bool) -> None:
        if kind in self.kinds or (categories and kind in CATEGORY_NAMES):
            return
        import difflib  # only for a file that fails here: not on every check's path

        choices = sorted(self.kinds | (CATEGORY_NAMES if categories else set()))
        close = difflib.get_close_matches(kind, choices, n=1)
        guess = f" (did you mean '{close[0]}'?)" if close else ""
        also = f"; categories: {', '.join(sorted(CATEGORY_NAMES))}" if categories else ""
        raise self.fail(
            f"unknown kind '{kind}'{guess}; declare it under 'kinds' with its category, or use "
            f"one of: {', '.join(sorted(self.kinds))}{also}",
            path,
        )

    def _activities(self) -> Iterator[tuple[Path, Activity]]:
        for d, day in enumerate(self.p.days):
            for a, activity in enumerate(day.activities):
                yield ("days", d, "activities", a), activity
        for a, activity in enumerate(self.p.activities):
            yield ("activities", a), activity

    def _unique(self, label: str, items: Iterator[tuple[Path, str]], seen: set[str]) -> None:
        first: dict[str, Path] = {}
        for path, ident in items:
            if ident in first or ident in seen:
                where = self.source.line(first[ident]) if ident in first else None
                also = f" (first on line {where})" if where else ""
                raise self.fail(f"duplicate {label} id '{ident}'{also}", (*path, "id"))
            first[ident] = path
        seen.update(first)

    def _unique_list(self, label: str, name: str, listed: Sequence[Any]) -> None:
        """``_unique`` over a top-level list, its paths made only when an id repeats (a
        conference lists thousands of speakers and clash rules)."""
        ids = [x.id for x in listed]
        if len(set(ids)) < len(ids):
            self._unique(label, (((name, i), x.id) for i, x in enumerate(listed)), set())

    def _unique_ids(self) -> None:
        p = self.p
        self._unique("venue", ((("venues", i), v.id) for i, v in enumerate(p.venues)), set())
        rooms = (
            (("venues", i, "rooms", j), r.id)
            for i, v in enumerate(p.venues)
            for j, r in enumerate(v.rooms)
        )
        self._unique("room", rooms, set())
        self._unique_list("person", "people", p.people)
        self._unique("group", ((("groups", i), x.id) for i, x in enumerate(p.groups)), set())
        self._unique("module", ((("modules", i), x.id) for i, x in enumerate(p.modules)), set())
        self._unique_list("rule", "rules", p.rules)
        self._unique(
            "transport", ((("transport", i), x.id) for i, x in enumerate(p.transport)), set()
        )
        rides = (
            (("transport", i), ride) for i, leg in enumerate(p.transport) for ride in ride_ids(leg)
        )
        ids = [a.id for a in p.all_activities()]
        unique = set(ids)
        if len(unique) == len(ids) and unique.isdisjoint(self.activity_ids):
            self.activity_ids.update(unique)  # no paths made unless there is an error to place
        else:
            activities = ((path, a.id) for path, a in self._activities())
            self._unique("activity", activities, self.activity_ids)
        self._unique("activity (a transport ride)", rides, self.activity_ids)
        days = ((("days", i), d.date.isoformat()) for i, d in enumerate(p.days))
        self._unique("day (date)", days, set())

    def _ref(
        self, kind: str, known: set[str] | dict[str, str], ident: str | None, path: Path
    ) -> None:
        if ident is not None and ident not in known:
            choices = ", ".join(sorted(known)[:12]) or "none are defined"
            raise self.fail(f"unknown {kind} '{ident}'; known {kind}s: {choices}", path)

    def _days(self) -> None:
        for i, day in enumerate(self.p.days):
            self._ref("venue", self.venues, day.venue, ("days", i, "venue"))
            self._ref("module", self.modules, day.module, ("days", i, "module"))

    def _activity(self, path: Path, a: Activity) -> None:
        """One activity's references. Paths are made only for an error: this runs on every
        activity whenever a programme is made or read, so the common case is a set lookup."""
        if a.kind not in self.kinds:
            self._kind(a.kind, (*path, "kind"), categories=False)
        if path[0] == "days":
            day = self.p.days[int(path[1])]
            if a.date is not None and a.date != day.date:
                raise self.fail(
                    f"date {a.date} differs from its day {day.date}; move the activity "
                    "to that day or drop 'date'",
                    (*path, "date"),
                )
            if a.dates is not None and a.pinned and a.time is not None:
                raise self.fail(
                    "'dates' on an activity placed on a day needs 'pinned: false': its day "
                    "and time are then its usual place, and it may move to those dates",
                    (*path, "dates"),
                )
        if a.date is not None and a.date not in self.dates:
            raise self.fail(f"{a.date} is not one of the course days", (*path, "date"))
        for k, date in enumerate(a.dates or ()):
            if date not in self.dates:
                raise self.fail(f"{date} is not one of the course days", (*path, "dates", k))
        single = (
            ("venue", self.venues, "venue", a.venue),
            ("room", self.rooms, "room", a.room),
            ("module", self.modules, "module", a.module),
            ("transport leg", self.legs, "transport", a.transport),
        )
        for kind, known, name, ident in single:
            if ident is not None and ident not in known:
                self._ref(kind, known, ident, (*path, name))
        lists = (
            ("venue", self.venues, "venues", a.venues),
            ("room", self.rooms, "rooms", a.rooms),
            ("person", self.people, "people", a.people),
            ("group", self.groups, "groups", a.groups),
            ("activity", self.activity_ids, "depends_on", a.depends_on),
            ("venue", self.venues, "alternatives", a.alternatives),
        )
        for kind, known, name, values in lists:
            for k, member in enumerate(values or ()):
                if member not in known:
                    self._ref(kind, known, member, (*path, name, k))
        for k, barred in enumerate(a.barred):
            self._ref("room", self.rooms, barred.room, (*path, "barred", k, "room"))
        if a.id in a.depends_on:
            k = a.depends_on.index(a.id)
            raise self.fail("an activity cannot depend on itself", (*path, "depends_on", k))
        if a.includes_travel and a.transport is None:
            raise self.fail("'includes_travel' needs 'transport' (the leg it includes)", path)
        if a.untimed:
            self._untimed(path, a)

    def _activities_clean(self) -> bool:
        """Whether every activity passes ``_activity``, asked in one pass that only collects
        what the activities name (each field read once, from the model's own dictionary);
        only when one does not pass is each activity walked in turn, to find the first error
        and its path. A programme is cross-checked whenever it is made and again where every
        reading starts, so this is what a clean programme of 10,000 activities pays each time
        (about 20 ms here). The same pass notes the untimed activities and whether any is a
        part or a block, which the later checks would otherwise each walk the activities for."""
        p = self.p
        for day in p.days:
            for a in day.activities:
                d = a.__dict__
                if d["date"] is not None and d["date"] != day.date:
                    return False
                if d["dates"] is not None and d["pinned"] and d["time"] is not None:
                    return False
                if d["time"] is None and d["duration"] is None and d["transport"] is not None:
                    return False
        venues: set[str] = set()
        rooms: set[str] = set()
        named: set[str] = set()
        groups: set[str] = set()
        needed: set[str] = set()
        dates: set[object] = set()
        lists = self.lists
        untimed: set[str] = set()
        parts = False
        kinds, modules, legs = self.kinds, self.modules, self.legs
        for a in p.all_activities():
            d = a.__dict__
            if d["kind"] not in kinds:
                return False
            leg = d["transport"]
            if (leg is not None and leg not in legs) or (d["includes_travel"] and leg is None):
                return False
            if d["module"] is not None and d["module"] not in modules:
                return False
            if d["venue"] is not None:
                venues.add(d["venue"])
            if d["venues"]:
                venues.update(d["venues"])
            if d["alternatives"]:
                venues.update(d["alternatives"])
            if d["room"] is not None:
                rooms.add(d["room"])
            if d["rooms"]:  # talks repeat long lists: each distinct one added once, below
                lists.shared(d["rooms"])
            if d["barred"]:
                rooms.update(b.room for b in d["barred"] if b.room is not None)
            if d["date"] is not None:
                dates.add(d["date"])
            if d["dates"]:
                dates.update(d["dates"])
            named.update(d["people"])
            groups.update(d["groups"])
            if d["depends_on"]:
                if d["id"] in d["depends_on"]:
                    return False
                needed.update(d["depends_on"])
            if d["time"] is None and d["duration"] is None:
                untimed.add(d["id"])
            if d["block"] is not None or d["parallel"] is not None:
                parts = True
        rooms.update(*lists.distinct())
        if untimed and any(a.time is None and a.duration is None for a in p.activities):
            return False  # only an activity on a day may be untimed
        self._untimed_set, self._parts = untimed, parts
        return (
            venues <= self.venues
            and rooms <= self.rooms.keys()
            and named <= self.people
            and groups <= self.groups
            and needed <= self.activity_ids
            and dates <= self.dates
        )

    def _untimed(self, path: Path, a: Activity) -> None:
        if not a.untimed:
            return
        if path[0] != "days":
            raise self.fail(
                "give 'time' or 'duration' (an activity with neither is untimed, which only "
                "an activity on a day can be)",
                path,
            )
        if a.transport is not None:
            raise self.fail(
                "an untimed activity (no time, no duration) cannot have 'transport'; "
                "give it a time or a duration",
                (*path, "transport"),
            )

    def _block(self, path: Path, a: Activity) -> None:
        """A part names a block on its own day that has a time and is not itself a part."""
        if a.block is None:
            return
        blocks = self._by_id()
        where = (*path, "block")
        if a.block not in blocks:
            self._ref("activity", set(), a.block, where)
        block_path, block = blocks[a.block]
        if block.id == a.id:
            raise self.fail("an activity cannot be a part of itself", where)
        if block_path[:2] != path[:2] or path[0] != "days":
            raise self.fail(
                f"a part and its block are on one day: '{a.block}' is not on this day", where
            )
        if block.block is not None:
            raise self.fail(
                f"'{a.block}' is itself a part of '{block.block}'; blocks do not nest", where
            )
        if block.untimed:
            raise self.fail(
                f"the block '{a.block}' needs a time or a duration for its parts to lie in", where
            )

    def _parallel(self, path: Path, a: Activity) -> None:
        """``parallel`` says how a block's parts run: only a block (an activity some part
        names in ``block``) can say it."""
        if self._blocks is None:
            self._blocks = {x.block for _, x in self._activities() if x.block is not None}
        if a.id not in self._blocks:
            raise self.fail(
                "'parallel' is for a block (an activity other activities name in 'block'): "
                f"no activity is a part of '{a.id}'",
                (*path, "parallel"),
            )

    def _untimed_ids(self) -> set[str]:
        if self._untimed_set is None:
            self._untimed_set = {
                a.id for a in self.p.all_activities() if a.time is None and a.duration is None
            }  # untimed
        return self._untimed_set

    def _by_id(self) -> dict[str, tuple[Path, Activity]]:
        if self._activities_by_id is None:
            self._activities_by_id = {a.id: (path, a) for path, a in self._activities()}
        return self._activities_by_id

    def _transport(self) -> None:
        for i, leg in enumerate(self.p.transport):
            path: Path = ("transport", i)
            self._ref("venue", self.venues, leg.origin, (*path, "from"))
            self._ref("venue", self.venues, leg.to, (*path, "to"))
            for k, stop in enumerate(leg.back.to if leg.back is not None else []):
                self._ref("venue", self.venues, stop, (*path, "return", "to", k))
            for k, group in enumerate(leg.groups):
                self._ref("group", self.groups, group, (*path, "groups", k))
            for field_path, value in (((*path, "date"), leg.date),):
                if value is not None and value not in self.dates:
                    raise self.fail(f"{value} is not one of the course days", field_path)
            for k, value in enumerate(leg.dates or []):
                if value not in self.dates:
                    raise self.fail(f"{value} is not one of the course days", (*path, "dates", k))

    def _travel_and_people(self) -> None:
        for i, link in enumerate(self.p.travel):
            if link.between is not None:
                for k, venue in enumerate(link.between):
                    self._ref("venue", self.venues, venue, ("travel", i, "between", k))
            else:
                self._ref("venue", self.venues, link.origin, ("travel", i, "from"))
                self._ref("venue", self.venues, link.to, ("travel", i, "to"))
        groups = {p.id for p in self.p.people if p.members is not None}
        for i, person in enumerate(self.p.people if groups else ()):
            for k, member in enumerate(person.members or []):
                path: Path = ("people", i, "members", k)
                self._ref("person", self.people, member, path)
                if member in groups:
                    raise self.fail(
                        f"'{member}' is a group of people itself; list its members instead", path
                    )

    def _groups(self) -> None:
        """``part_of`` names another group, and following it never leads back."""
        parent = {g.id: g.part_of for g in self.p.groups}
        for i, group in enumerate(self.p.groups):
            path: Path = ("groups", i, "part_of")
            self._ref("group", self.groups, group.part_of, path)
            seen = [group.id]
            current = group.part_of
            while current is not None:
                if current in seen:
                    chain = " → ".join([*seen, current])
                    raise self.fail(f"'part_of' goes round in a circle: {chain}", path)
                seen.append(current)
                current = parent.get(current)

    def _deadlines(self) -> None:
        self._unique(
            "activity or deadline",
            ((("deadlines", i), x.id) for i, x in enumerate(self.p.deadlines)),
            self.activity_ids,
        )
        untimed = self._untimed_ids()
        for i, deadline in enumerate(self.p.deadlines):
            path: Path = ("deadlines", i)
            if deadline.date not in self.dates:
                raise self.fail(f"{deadline.date} is not one of the course days", (*path, "date"))
            self._ref("activity", self.activity_ids, deadline.set_by, (*path, "set_by"))
            if deadline.set_by in untimed:
                raise self.fail(
                    f"'{deadline.set_by}' has no time, so nothing can come after it; "
                    "give it a time",
                    (*path, "set_by"),
                )
            for k, group in enumerate(deadline.groups):
                self._ref("group", self.groups, group, (*path, "groups", k))

    def _rules(self) -> None:
        untimed = self._untimed_ids()
        tracks: set[str] | None = None
        for i, rule in enumerate(self.p.rules):
            path: Path = ("rules", i)
            fields = vars(rule)  # a field a rule's kind does not have is simply absent
            for field_name in ("kinds", "breaks", "not_during"):
                for k, selector in enumerate(fields.get(field_name) or ()):
                    if selector not in self.kinds and selector not in CATEGORY_NAMES:
                        self._kind(selector, (*path, field_name, k), categories=True)
            before = fields.get("before")
            if isinstance(before, str):
                self._kind(before, (*path, "before"), categories=True)
            listed = fields.get("activities")
            if listed and not (self.activity_ids.issuperset(listed) and untimed.isdisjoint(listed)):
                for k, ident in enumerate(listed):
                    if ident not in self.activity_ids or ident in untimed:
                        self._ref("activity", self.activity_ids, ident, (*path, "activities", k))
                        self._timed(ident, untimed, (*path, "activities", k))
            activity = fields.get("activity")
            if activity is not None:
                self._ref("activity", self.activity_ids, activity, (*path, "activity"))
                self._timed(activity, untimed, (*path, "activity"))
            if rule.kind == "clash" and fields.get("tracks"):
                if tracks is None:
                    tracks = {a.track for _, a in self._activities() if a.track}
                for k, track in enumerate(fields["tracks"]):
                    self._ref("track", tracks, track, (*path, "tracks", k))
            for field_name in ("before", "after"):
                values = fields.get(field_name)
                if isinstance(values, list):
                    for k, ident in enumerate(values):
                        self._ref("module", self.modules, ident, (*path, field_name, k))

    def _timed(self, ident: str | None, untimed: set[str], path: Path) -> None:
        if ident in untimed:
            raise self.fail(
                f"'{ident}' has no time and no duration, so no rule can place it; "
                "give it a time or a duration",
                path,
            )

    def _cycles(self) -> None:
        """Ordering rules must form a DAG; a cycle can never be satisfied, whatever the times."""
        for kind, edges in (("activity", self._activity_edges()), ("module", self._module_edges())):
            cycle = _find_cycle(edges)
            if cycle is not None:
                nodes, rule_index = cycle
                chain = " → ".join(nodes)
                noun = "activities" if kind == "activity" else "modules"
                raise self.fail(
                    f"the ordering rules form a cycle of {noun}: {chain}; "
                    "an order must not lead back to where it starts",
                    ("rules", rule_index),
                )

    def _activity_edges(self) -> dict[str, list[tuple[str, int]]]:
        edges: dict[str, list[tuple[str, int]]] = {}
        for i, rule in enumerate(self.p.rules):
            if rule.kind == "sequence":
                for a, b in zip(rule.activities, rule.activities[1:], strict=False):
                    edges.setdefault(a, []).append((b, i))
        return edges

    def _module_edges(self) -> dict[str, list[tuple[str, int]]]:
        edges: dict[str, list[tuple[str, int]]] = {}
        for i, rule in enumerate(self.p.rules):
            if rule.kind == "module_order":
                for a in rule.before:
                    for b in rule.after:
                        edges.setdefault(a, []).append((b, i))
        return edges


def _find_cycle(edges: dict[str, list[tuple[str, int]]]) -> tuple[list[str], int] | None:
    """An iterative depth-first search; returns the cycle's nodes and the rule closing it."""
    state: dict[str, int] = {}
    for root in sorted(edges):
        if state.get(root):
            continue
        stack: list[tuple[str, Iterator[tuple[str, int]]]] = [(root, iter(edges.get(root, [])))]
        trail = [root]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            advanced = False
            for child, rule_index in children:
                if state.get(child) == 1:
                    start = trail.index(child)
                    return [*trail[start:], child], rule_index
                if not state.get(child):
                    state[child] = 1
                    trail.append(child)
                    stack.append((child, iter(edges.get(child, []))))
                    advanced = True
                    break
            if not advanced:
                state[node] = 2
                trail.pop()
                stack.pop()
    return None
