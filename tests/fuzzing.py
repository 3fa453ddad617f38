"""Hostile and broken programme files, as hypothesis strategies, and the loader's promise.

Four families of cases, shared by the quick profile in ``test_robustness_fuzz.py`` and the
long one in ``fuzz_long.py``:

* ``mutated_texts``: the reference programme (``examples/barcelona_2024/programme.yaml``) with
  one to four edits of its text: lines deleted, duplicated (duplicate keys, duplicate ids),
  swapped or re-indented; two values swapped; a value replaced by a wrong type, a huge or
  negative number, a bad date or time, unicode, an empty string, a YAML tag
  (``!!python/object``...), an alias, a deeply nested structure; bytes flipped; the file cut.
* ``mutated_documents``: the reference read as data, one to three values anywhere in the tree
  replaced, deleted, duplicated or swapped, written back as YAML or JSON; these get past the
  YAML syntax to the validation and the cross-checks.
* ``plausible_documents``: one of the three example programmes with edits that mostly keep it
  valid (times, windows, departures, kinds, people, availability, rule parameters; activities
  unpinned, moved off their day or deleted): programmes that load, with odd timetables for
  the compiler, the checkers and the exports.
* ``random_documents``: any YAML or JSON document (scalars, lists, mappings, nested), and any
  text or bytes at all.

``load_or_refuse`` is the oracle: ``loads`` either returns a programme, which must then
compile and check (and export, when asked) without raising, or raises ``ProgrammeError``
naming the file and a line of it, on one line, and never the loader's catch-all for bugs.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import math
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from course_scheduler.checking import check
from course_scheduler.compile import compile_programme
from course_scheduler.errors import ProgrammeError
from course_scheduler.loading import loads
from course_scheduler.model import Programme

REFERENCE = Path(__file__).resolve().parents[1] / "examples" / "barcelona_2024" / "programme.yaml"
REFERENCE_TEXT = REFERENCE.read_text(encoding="utf-8")
REFERENCE_LINES = REFERENCE_TEXT.splitlines()
REFERENCE_DATA: Any = yaml.safe_load(REFERENCE_TEXT)
REFERENCE_JSON: Any = json.loads(json.dumps(REFERENCE_DATA, default=str))  # dates as text
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


# --- the oracle ----------------------------------------------------------------------------


TEXT_EXPORTS = ("csv", "md", "ics", "frab", "html")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def load_or_refuse(
    text: str | bytes, name: str = "fuzz.yaml", exports: tuple[str, ...] = ()
) -> Programme | None:
    """``loads`` keeps its promise on ``text``; a programme that loads checks and compiles.

    With ``exports``, the published timetable of a programme that loads is also exported in
    each of those formats, which must give bytes or a ``ProgrammeError`` (a bad time zone).
    """
    try:
        programme = loads(text, name=name)
    except ProgrammeError as error:
        assert_refusal(error, name, text)
        return None
    problem = compile_programme(programme)
    report = check(programme)
    assert report.activities >= report.scheduled >= 0
    if exports:
        from course_scheduler.exports import export
        from course_scheduler.timetable import published_timetable

        timetable = published_timetable(problem)
        for fmt in exports:
            try:
                data = export(problem, timetable, fmt)
            except ProgrammeError as error:
                assert error.file == name and error.line is not None, error
                continue
            assert data
            if fmt == "csv":
                for row in csv.reader(io.StringIO(data.decode("utf-8"), newline="")):
                    assert not any(cell.startswith(FORMULA_STARTS) for cell in row), row
    return programme


def assert_refusal(error: ProgrammeError, name: str, text: str | bytes) -> None:
    """One line naming the file and a line of it; never the loader's catch-all for bugs."""
    assert error.file == name, error
    assert error.line is not None and error.line >= 1, f"no line: {error}"
    lines = (text if isinstance(text, str) else text.decode("utf-8", "replace")).splitlines()
    assert error.line <= len(lines) + 1, f"line {error.line} of {len(lines)}: {error}"
    assert "internal error" not in error.message, error
    assert "\n" not in str(error) and "\r" not in str(error), f"not one line: {error!r}"


# --- mutations of the reference text -------------------------------------------------------

NESTED = "[" * 200 + "]" * 200
HOSTILE_SCALARS = [
    "",
    "''",
    '""',
    "~",
    "null",
    "true",
    "no",
    "0",
    "-1",
    "-30",
    "-0",
    "1e309",
    "-1e309",
    ".nan",
    ".inf",
    "-.inf",
    "99999999999999999999999999999999999999",
    "-99999999999999999999999999999999999999",
    "0x7fffffffffffffff",
    "0o777",
    "1_000",
    "190:20:30",
    "2024-02-30",
    "2024-13-01",
    "9999-12-31",
    "0001-01-01",
    "2024-11-18T09:00:00Z",
    '"25:00 - 26:00"',
    '"9:00 - 9:00"',
    '"23:59 - 24:00"',
    '"9:00 - 9:20 - 9:40"',
    '"9:00"',
    '"17.00h"',
    "1440",
    "1441",
    "'ünïcödé ✓ 🎉 Avinyó'",
    '"\\u202eevil\\u202c"',
    '"\\ud800"',
    '"\\x00nul"',
    '"tab\\there"',
    "[1, 2]",
    "[]",
    "{}",
    "{a: 1}",
    "[[], {}]",
    "*undefined",
    "&anchor value",
    "|\n  block",
    "'unclosed",
    '"unclosed',
    "@reserved",
    "`backtick",
    "%directive",
    "!!python/object/apply:os.system ['echo pwned']",
    "!!python/name:os.system",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!str 5",
    "!!int x",
    "!local value",
    "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>",
    '"' + "x" * 5000 + '"',
    NESTED,
    "{" + "a: {" * 100 + "}" * 101,
]
hostile_scalars = st.one_of(
    st.sampled_from(HOSTILE_SCALARS),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=30).map(json.dumps),
    st.text(max_size=20),
)


def _set_value(line: str, value: str) -> str:
    key, _, _ = line.partition(": ")
    return f"{key}: {value}"


@st.composite
def text_edit(draw: st.DrawFn, lines: list[str]) -> list[str]:
    """One edit of a list of lines."""
    n = len(lines)
    if n == 0:
        return [draw(st.text(max_size=40))]
    i = draw(st.integers(0, n - 1))
    edit = draw(
        st.sampled_from(
            [
                "delete",
                "duplicate",
                "swap_lines",
                "swap_values",
                "value",
                "value",
                "value",
                "insert",
                "indent",
                "truncate",
            ]
        )
    )
    out = list(lines)
    if edit == "delete":
        del out[i]
    elif edit == "duplicate":
        out.insert(i, out[i])
    elif edit == "swap_lines":
        j = draw(st.integers(0, n - 1))
        out[i], out[j] = out[j], out[i]
    elif edit in ("swap_values", "value"):
        valued = [k for k, line in enumerate(out) if ": " in line]
        if not valued:
            return out
        i = draw(st.sampled_from(valued))
        if edit == "swap_values":
            j = draw(st.sampled_from(valued))
            a, b = out[i].partition(": ")[2], out[j].partition(": ")[2]
            out[i], out[j] = _set_value(out[i], b), _set_value(out[j], a)
        else:
            out[i] = _set_value(out[i], draw(hostile_scalars))
    elif edit == "insert":
        indent = " " * draw(st.integers(0, 8))
        out.insert(i, indent + draw(st.one_of(st.sampled_from(HOSTILE_SCALARS), st.text())))
    elif edit == "indent":
        delta = draw(st.integers(-4, 4))
        line = out[i]
        out[i] = " " * delta + line if delta >= 0 else line[min(-delta, len(line)) :]
    else:
        cut = draw(st.integers(0, len(out[i])))
        out = [*out[:i], out[i][:cut]]
    return out


@st.composite
def mutated_texts(draw: st.DrawFn) -> str | bytes:
    """The reference programme's text with one to four edits, sometimes as damaged bytes."""
    lines = list(REFERENCE_LINES)
    for _ in range(draw(st.integers(1, 4))):
        lines = draw(text_edit(lines))
    text = "\n".join(lines) + "\n"
    if draw(st.integers(0, 9)) == 0:
        raw = bytearray(text.encode("utf-8"))
        for _ in range(draw(st.integers(1, 3))):
            position = draw(st.integers(0, max(0, len(raw) - 1)))
            if raw:
                raw[position] = draw(st.integers(0, 255))
        return bytes(raw)
    return text


# --- mutations of the reference as data ----------------------------------------------------


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*path, index)))
    return found


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def _nested(depth: int) -> Any:
    value: Any = "deep"
    for k in range(depth):
        value = [value] if k % 2 else {"a": value}
    return value


HOSTILE_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    -60,
    1,
    1441,
    10**30,
    -(10**30),
    2**63,
    1.5,
    math.inf,
    -math.inf,
    "",
    " ",
    "x" * 2000,
    "ünïcödé ✓ 🎉",
    "\u202eevil",
    "-",
    "9:00 - 9:00",
    "25:00 - 26:00",
    "0:00 - 24:00",
    "9:00",
    "1999-01-01",
    dt.date(2024, 11, 18),
    dt.date(1, 1, 1),
    dt.date(9999, 12, 31),
    [],
    {},
    [None],
    {"": None},
    _nested(30),
    "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>",
    "line\nbreak; with, commas",
]
hostile_values = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.integers(),
    st.text(max_size=20),
    st.dates(),
)


@st.composite
def mutated_documents(draw: st.DrawFn) -> tuple[str, str]:
    """(name, text): the reference as data with one to three changes, as YAML or JSON."""
    data = copy.deepcopy(REFERENCE_JSON)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _get(data, path[:-1])
        key = path[-1]
        edit = draw(st.sampled_from(["replace", "replace", "replace", "delete", "copy", "swap"]))
        if edit == "replace":  # a copy: later edits must not change the shared samples
            parent[key] = copy.deepcopy(draw(hostile_values))
        elif edit == "delete":
            del parent[key]
        elif edit == "copy" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif edit == "copy":
            copied = copy.deepcopy(parent[key])
            parent[draw(st.sampled_from(["id", "kind", "time", "x", "date"]))] = copied
        else:
            other = draw(st.sampled_from(paths))
            if other[: len(path)] != path and path[: len(other)] != other:
                a, b = _get(data, path), _get(data, other)
                parent[key] = b
                _get(data, other[:-1])[other[-1]] = a
    if draw(st.booleans()):
        text = yaml.dump(data, Dumper=_Dumper, allow_unicode=draw(st.booleans()), sort_keys=False)
        return "fuzz.yaml", text
    return "fuzz.json", json.dumps(data, default=str, indent=draw(st.sampled_from([None, 2, "\t"])))


# --- plausible edits: programmes that mostly load, with odd timetables --------------------

EXAMPLES = REFERENCE.parent
BASES: dict[str, Any] = {
    name: json.loads(json.dumps(yaml.safe_load((EXAMPLES / name).read_text("utf-8")), default=str))
    for name in ("programme.yaml", "corrected.yaml", "next_edition.yaml")
}
KINDS = ["welcome", "guest_talk", "qa", "coffee_break", "lunch", "wrap_up", "free_time", "other"]


def clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


time_ranges = st.tuples(st.integers(0, 1439), st.integers(1, 600)).map(
    lambda t: f"{clock(t[0])} - {clock(min(1440, t[0] + t[1]))}"
)


@st.composite
def plausible_documents(draw: st.DrawFn) -> tuple[str, str]:
    """(name, text): an example programme with one to six edits that keep it mostly valid:
    times, windows, departures, durations, kinds, people, dates and rule parameters changed;
    activities unpinned, moved off their day or deleted; rules deleted or made soft."""
    base = draw(st.sampled_from(sorted(BASES)))
    data = copy.deepcopy(BASES[base])
    days = data["days"]
    dates = [day["date"] for day in days]
    people = [person["id"] for person in data.get("people", [])]
    venues = [venue["id"] for venue in data["venues"]]
    for _ in range(draw(st.integers(1, 6))):
        target = draw(st.sampled_from(["activity", "activity", "day", "rule", "leg", "person"]))
        placed = [(d, a) for d, day in enumerate(days) for a in range(len(day["activities"]))]
        if target == "activity" and placed:
            d, a = draw(st.sampled_from(placed))
            activity = days[d]["activities"][a]
            edit = draw(
                st.sampled_from(["time", "kind", "people", "unplace", "delete", "venue", "pin"])
            )
            if edit == "time":
                activity["time"] = draw(time_ranges)
                activity.pop("duration", None)
            elif edit == "kind":
                activity["kind"] = draw(st.sampled_from(KINDS))
            elif edit == "people":
                activity["people"] = draw(st.lists(st.sampled_from(people or ["x"]), max_size=3))
            elif edit == "venue":
                activity["venue"] = draw(st.sampled_from(venues))
            elif edit == "pin":
                activity["pinned"] = draw(st.booleans())
            elif edit == "unplace":
                moved = days[d]["activities"].pop(a)
                moved.pop("time", None)
                moved["duration"] = draw(st.integers(1, 300))
                moved["dates"] = draw(st.lists(st.sampled_from(dates), min_size=1, max_size=3))
                data.setdefault("activities", []).append(moved)
            else:
                del days[d]["activities"][a]
        elif target == "day":
            day = draw(st.sampled_from(days))
            day["window"] = draw(time_ranges)
        elif target == "rule" and data.get("rules"):
            k = draw(st.integers(0, len(data["rules"]) - 1))
            rule = data["rules"][k]
            edit = draw(st.sampled_from(["numbers", "soft", "delete"]))
            if edit == "delete":
                del data["rules"][k]
            elif edit == "soft":
                rule["severity"] = "soft"
                rule["weight"] = draw(st.integers(0, 1000))
            else:
                for field in ("min_gap", "max_gap", "minutes", "weight"):
                    if field in rule or draw(st.booleans()):
                        rule[field] = draw(st.integers(0, 1500))
                if "within" in rule:
                    rule["within"] = draw(time_ranges)
        elif target == "leg" and data.get("transport"):
            leg = draw(st.sampled_from(data["transport"]))
            leg["ride_minutes"] = draw(st.integers(1, 400))
            if draw(st.booleans()):
                leg["depart"] = clock(draw(st.integers(0, 1439)))
                leg.pop("depart_window", None)
        elif target == "person" and data.get("people"):
            person = draw(st.sampled_from(data["people"]))
            person["status"] = draw(st.sampled_from(["confirmed", "tbc", "declined"]))
            person["available"] = [
                {"date": draw(st.sampled_from(dates)), "time": draw(time_ranges)}
                for _ in range(draw(st.integers(0, 2)))
            ]
    return f"plausible-{base}", yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


# --- random documents ----------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.dates(),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(
                st.sampled_from(
                    ["course", "venues", "days", "activities", "id", "title", "time", "rules"]
                ),
                st.text(max_size=8),
            ),
            children,
            max_size=4,
        ),
    ),
    max_leaves=25,
)


@st.composite
def random_documents(draw: st.DrawFn) -> tuple[str, str | bytes]:
    """(name, text): any document as YAML or JSON, or any text or bytes at all."""
    form = draw(st.sampled_from(["yaml", "json", "text", "bytes"]))
    if form == "yaml":
        return "random.yaml", yaml.safe_dump(draw(documents), allow_unicode=True)
    if form == "json":
        return "random.json", json.dumps(draw(documents), default=str)
    if form == "text":
        return "random.yaml", draw(st.text(max_size=200))
    return "random.yaml", draw(st.binary(max_size=200))
