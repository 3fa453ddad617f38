"""File → validated ``Programme``, with ``file:line`` on every error.

The YAML is composed into nodes first (safe loader only), so every key and list item keeps
its line; the nodes are then turned into plain data with a size budget (YAML aliases can
otherwise expand exponentially), validated by pydantic, and cross-checked for references,
duplicates and ordering cycles. ``load`` raises only ``ProgrammeError``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path as FsPath
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import Path, ProgrammeError, SourceMap, dotted
from .model import Activity, Programme, TransportLeg

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_NODES = 2_000_000
MAX_DEPTH = 64
MAX_ACTIVITIES = 50_000

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def ride_ids(leg: TransportLeg) -> tuple[str, str]:
    """Ids of the two rides a transport leg becomes: out to the destination, and back."""
    return f"{leg.id}.out", f"{leg.id}.back"


def load(path: str | FsPath) -> Programme:
    """Read and validate a programme file (YAML or JSON). Raises only ``ProgrammeError``."""
    name = str(path)
    try:
        raw = FsPath(path).read_bytes()
    except FileNotFoundError:
        raise ProgrammeError("no such file", file=name) from None
    except IsADirectoryError:
        raise ProgrammeError("is a directory, expected a programme file", file=name) from None
    except OSError as exc:
        raise ProgrammeError(f"cannot read the file: {exc.strerror}", file=name) from None
    return loads(raw, name=name)


def loads(raw: bytes | str, *, name: str = "<string>") -> Programme:
    """Validate programme text; ``name`` is used in error messages."""
    try:
        data, source = parse(raw, name=name)
        return validate(data, source)
    except ProgrammeError:
        raise
    except RecursionError:
        raise ProgrammeError(
            f"the document is nested too deeply (more than {MAX_DEPTH} levels)", file=name
        ) from None
    except Exception as exc:  # the promise of load(): nothing but ProgrammeError escapes
        raise ProgrammeError(f"cannot read the programme: {exc}", file=name) from None


def parse(raw: bytes | str, *, name: str) -> tuple[Any, SourceMap]:
    """Bytes → plain data and the line of every key, enforcing the size limits."""
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > MAX_FILE_BYTES:
        raise ProgrammeError(
            f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes", file=name
        )
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ProgrammeError(
                f"is not UTF-8 text (byte {exc.start} cannot be decoded)", file=name
            ) from None
    else:
        text = raw
    source = SourceMap(file=name)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "syntax error"
        if name.endswith(".json"):
            return _parse_json(text, name)
        raise ProgrammeError(f"YAML syntax error: {problem}", file=name, line=line) from None
    except yaml.YAMLError as exc:
        raise ProgrammeError(f"YAML error: {exc}", file=name) from None
    if node is None:
        raise ProgrammeError("the file is empty; expected a programme with 'course'", file=name)
    budget = [MAX_NODES]
    data = _to_data(node, (), source, _Loader(""), budget, 0)
    return data, source


def _parse_json(text: str, name: str) -> tuple[Any, SourceMap]:
    try:
        return json.loads(text), SourceMap(file=name)
    except json.JSONDecodeError as exc:
        raise ProgrammeError(f"JSON syntax error: {exc.msg}", file=name, line=exc.lineno) from None


def _to_data(
    node: yaml.Node,
    path: Path,
    source: SourceMap,
    loader: yaml.SafeLoader,
    budget: list[int],
    depth: int,
) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise source.error(
            f"the document expands to more than {MAX_NODES:,} values "
            "(YAML aliases repeated too often?); refusing to read it",
            path,
        )
    if depth > MAX_DEPTH:
        raise source.error(f"nested more than {MAX_DEPTH} levels deep", path)
    source.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = (
                loader.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            )
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise ProgrammeError(
                    "YAML merge keys ('<<') are not supported; write the fields out",
                    file=source.file,
                    line=key_node.start_mark.line + 1,
                )
            if not isinstance(key, str | int) or isinstance(key, bool):
                raise ProgrammeError(
                    "a key must be a plain name",
                    file=source.file,
                    line=key_node.start_mark.line + 1,
                    field=dotted(path),
                )
            key = str(key)
            if key in result:
                raise ProgrammeError(
                    f"duplicate key '{key}' (first given on line {source.lines[(*path, key)]})",
                    file=source.file,
                    line=key_node.start_mark.line + 1,
                    field=dotted((*path, key)),
                )
            source.lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _to_data(value_node, (*path, key), source, loader, budget, depth + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            items.append(_to_data(item, (*path, index), source, loader, budget, depth + 1))
        return items
    try:
        return loader.construct_object(node)
    except yaml.YAMLError as exc:
        raise source.error(f"cannot read this value: {exc}", path) from None
    except ValueError as exc:  # e.g. a date like 2024-02-30
        raise source.error(f"cannot read this value: {exc}", path) from None


def validate(data: Any, source: SourceMap) -> Programme:
    """Plain data → Programme, then the cross-checks pydantic cannot do alone."""
    if not isinstance(data, dict):
        raise ProgrammeError(
            f"expected a mapping with 'course', 'venues', 'days'... at the top, "
            f"got {type(data).__name__}",
            file=source.file,
            line=1,
        )
    try:
        programme = Programme.model_validate(data)
    except ValidationError as exc:
        raise _from_validation(exc, data, source) from None
    _cross_check(programme, source)
    programme._source = source
    return programme


def source_of(programme: Programme) -> SourceMap:
    """The source map a programme was loaded with (an empty one for programmes built in code)."""
    found = getattr(programme, "_source", None)
    return found if isinstance(found, SourceMap) else SourceMap()


def _from_validation(exc: ValidationError, data: Any, source: SourceMap) -> ProgrammeError:
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
        elif isinstance(node, dict) or isinstance(part, int):
            if isinstance(part, str) and not (isinstance(node, dict) and _is_tag(part, node)):
                path.append(part)
                node = None
        else:
            continue
    return tuple(path)


def _is_tag(part: str, node: dict[str, Any]) -> bool:
    return node.get("kind") == part or part in {"function-after", "function-before"}


def _cross_check(programme: Programme, source: SourceMap) -> None:
    """References, duplicate ids, dates and ordering cycles, each error at its line."""
    _Checker(programme, source).run()


class _Checker:
    def __init__(self, programme: Programme, source: SourceMap) -> None:
        self.p = programme
        self.source = source
        self.venues = {v.id for v in programme.venues}
        self.rooms = {r.id: v.id for v in programme.venues for r in v.rooms}
        self.people = {p.id for p in programme.people}
        self.groups = {g.id for g in programme.groups}
        self.modules = {m.id for m in programme.modules}
        self.legs = {leg.id for leg in programme.transport}
        self.dates = {d.date for d in programme.days}
        self.activity_ids: set[str] = set()

    def fail(self, message: str, path: Path) -> ProgrammeError:
        return self.source.error(message, path)

    def run(self) -> None:
        self._unique_ids()
        self._days()
        for path, activity in self._activities():
            self._activity(path, activity)
        self._transport()
        self._travel_and_people()
        self._rules()
        self._cycles()
        count = len(self.activity_ids)
        if count > MAX_ACTIVITIES:
            raise self.fail(
                f"{count:,} activities; the limit is {MAX_ACTIVITIES:,} per programme", ("days",)
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

    def _unique_ids(self) -> None:
        p = self.p
        self._unique("venue", ((("venues", i), v.id) for i, v in enumerate(p.venues)), set())
        rooms = (
            (("venues", i, "rooms", j), r.id)
            for i, v in enumerate(p.venues)
            for j, r in enumerate(v.rooms)
        )
        self._unique("room", rooms, set())
        self._unique("person", ((("people", i), x.id) for i, x in enumerate(p.people)), set())
        self._unique("group", ((("groups", i), x.id) for i, x in enumerate(p.groups)), set())
        self._unique("module", ((("modules", i), x.id) for i, x in enumerate(p.modules)), set())
        self._unique("rule", ((("rules", i), x.id) for i, x in enumerate(p.rules)), set())
        self._unique(
            "transport", ((("transport", i), x.id) for i, x in enumerate(p.transport)), set()
        )
        rides = (
            (("transport", i), ride) for i, leg in enumerate(p.transport) for ride in ride_ids(leg)
        )
        self._unique(
            "activity", ((path, a.id) for path, a in self._activities()), self.activity_ids
        )
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
        in_day = path[0] == "days"
        if in_day:
            day = self.p.days[int(path[1])]
            if a.date is not None and a.date != day.date:
                raise self.fail(
                    f"date {a.date} differs from its day {day.date}; move the activity "
                    "to that day or drop 'date'",
                    (*path, "date"),
                )
            if a.dates is not None:
                raise self.fail(
                    "'dates' is only for activities not placed on a day", (*path, "dates")
                )
        for field_name in ("date",):
            value = getattr(a, field_name)
            if value is not None and value not in self.dates:
                raise self.fail(f"{value} is not one of the course days", (*path, field_name))
        for k, value in enumerate(a.dates or []):
            if value not in self.dates:
                raise self.fail(f"{value} is not one of the course days", (*path, "dates", k))
        self._ref("venue", self.venues, a.venue, (*path, "venue"))
        for k, v in enumerate(a.venues or []):
            self._ref("venue", self.venues, v, (*path, "venues", k))
        for name, rooms in (("room", [a.room] if a.room else []), ("rooms", a.rooms or [])):
            for k, r in enumerate(rooms):
                self._ref(
                    "room", self.rooms, r, (*path, name) if name == "room" else (*path, name, k)
                )
        for k, barred in enumerate(a.barred):
            self._ref("room", self.rooms, barred.room, (*path, "barred", k, "room"))
        for k, person in enumerate(a.people):
            self._ref("person", self.people, person, (*path, "people", k))
        for k, group in enumerate(a.groups):
            self._ref("group", self.groups, group, (*path, "groups", k))
        self._ref("module", self.modules, a.module, (*path, "module"))
        self._ref("transport leg", self.legs, a.transport, (*path, "transport"))
        if a.includes_travel and a.transport is None:
            raise self.fail("'includes_travel' needs 'transport' (the leg it includes)", path)

    def _transport(self) -> None:
        for i, leg in enumerate(self.p.transport):
            path: Path = ("transport", i)
            self._ref("venue", self.venues, leg.origin, (*path, "from"))
            self._ref("venue", self.venues, leg.to, (*path, "to"))
            for k, stop in enumerate(leg.back.to):
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
            for k, venue in enumerate(link.between):
                self._ref("venue", self.venues, venue, ("travel", i, "between", k))

    def _rules(self) -> None:
        for i, rule in enumerate(self.p.rules):
            path: Path = ("rules", i)
            for field_name in ("activities",):
                for k, ident in enumerate(getattr(rule, field_name, None) or []):
                    self._ref("activity", self.activity_ids, ident, (*path, field_name, k))
            activity = getattr(rule, "activity", None)
            self._ref("activity", self.activity_ids, activity, (*path, "activity"))
            for field_name in ("before", "after"):
                values = getattr(rule, field_name, None)
                if isinstance(values, list):
                    for k, ident in enumerate(values):
                        self._ref("module", self.modules, ident, (*path, field_name, k))

    def _cycles(self) -> None:
        """Ordering rules must form a DAG; a cycle can never be satisfied, whatever the times."""
        for kind, edges in (("activity", self._activity_edges()), ("module", self._module_edges())):
            cycle = _find_cycle(edges)
            if cycle is not None:
                nodes, rule_index = cycle
                chain = " → ".join(nodes)
                raise self.fail(
                    f"the ordering rules form a cycle of {kind}s: {chain}; "
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


def dump(programme: Programme) -> str:
    """Programme → YAML text that ``loads`` reads back to an equal programme."""
    data = programme.model_dump(mode="json", by_alias=True, exclude_none=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the file format, for editors."""
    schema = Programme.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "course_scheduler programme"
    return schema
