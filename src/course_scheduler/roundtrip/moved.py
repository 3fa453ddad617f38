"""Activities that move from one list of the file to another carry their own text with them.

A solve places the talks of a template's unplaced ``activities:`` into the days (and a
what-if may move a talk to another day): in the written file the talk leaves one list and
joins another, each a part of the file written on its own. Made anew where it lands, the talk
would lose what the planner wrote on it: its end-of-line notes (``title: Opening  #
confirmed``), comment lines inside it, notes on its people or barred windows, its key order,
quoting and flow style. So each moved activity is read from its own lines (one ruamel.yaml
reading for all of them) and that node, comments and all, is what the list it joins receives,
with only its changed values set (``Merge``). The comment and blank lines inside it leave
its old place with it (they are written once, where the talk now is); those above it are the
planner's notes on the list's order and stay where they were, as before. A moved activity
with no comment is made anew, as before (see ``carried``).
"""

from __future__ import annotations

import bisect
import re
from typing import Any, NamedTuple

from ..errors import OutOfTime
from .clocked import source
from .lines import is_comment_or_blank

UNSAFE = re.compile(r"(?:^|[\s\[{,:-])[&*!][^\s\[\]{},]|[|>][-0-9]*\+|\t")
"""An anchor, alias or tag (``&a``, ``*a``, ``!!str``), a block text that keeps its
trailing blank lines (``|+``) or a tab: a line an item read alone may not read as it did."""


class Origin(NamedTuple):
    """A moved activity as the file wrote it: its node, its list's comment entry for it (the
    end-of-line note of an item written on one line) and its value as read."""

    node: Any
    entry: Any
    before: Any


def activity_lists(data: Any) -> list[tuple[Any, ...]]:
    """The paths of the programme's lists of activities: the unplaced one and each day's."""
    paths: list[tuple[Any, ...]] = []
    if not isinstance(data, dict):
        return paths
    if isinstance(data.get("activities"), list):
        paths.append(("activities",))
    for number, day in enumerate(data.get("days") or []):
        if isinstance(day, dict) and isinstance(day.get("activities"), list):
            paths.append(("days", number, "activities"))
    return paths


def moves(old: Any, new: Any) -> dict[Any, tuple[Any, ...]]:
    """Each activity that is in another list in ``new`` than in ``old``: its path in ``old``."""
    where: dict[Any, tuple[Any, ...]] = {}
    for path in activity_lists(old):
        for index, item in enumerate(_get(old, path)):
            if isinstance(item, dict) and "id" in item:
                where.setdefault(item["id"], (*path, index))
    found: dict[Any, tuple[Any, ...]] = {}
    for path in activity_lists(new):
        for item in _get(new, path):
            if not isinstance(item, dict) or "id" not in item:
                continue
            before = where.get(item["id"])
            if before is not None and before[:-1] != path:
                found[item["id"]] = before
    return found


def carried(
    reader: Any,
    text: list[str],
    lines: dict[Any, int],
    old: Any,
    moving: dict[Any, tuple[Any, ...]],
    deadline: float | None = None,
) -> tuple[dict[Any, Origin], set[int]]:
    """The moved activities that hold a comment, read from their own lines, and the lines
    (0-based) that go with them: the comment and blank lines inside each. One with no comment
    is made anew where it lands, as before: reading each moved talk of a 2,000-talk template
    and writing it back whole doubled the write's CPU (its key order, quoting and flow
    style are what it loses); carrying the 285 with a comment costs 40 % more
    (``benchmarks/README.md``). An activity whose lines cannot be cut out
    on their own (one of several on a line of flow style), that holds an ``UNSAFE`` line or a
    ``#`` line ruamel.yaml does not read as a comment (a line of a text) is made anew where
    it lands, as before. Read looking at ``deadline`` (``clocked``: ``OutOfTime`` past it;
    the 285 commented talks of a 2,000-talk template take a second and more)."""
    if not moving:
        return {}, set()
    starts = sorted((line - 1, path) for path, line in lines.items())
    firsts = [line for line, _ in starts]
    spans: list[tuple[Any, int, int, int]] = []
    for ident, path in moving.items():
        span = _span(path, lines, starts, firsts, text)
        if span is None or not any("#" in line for line in text[span[0] : span[1]]):
            continue  # nothing the planner noted on it: made anew (ruamel.yaml reads slowly)
        if not any(UNSAFE.search(line) for line in text[span[0] : span[1]]):
            spans.append((ident, *span))
    if not spans:
        return {}, set()
    offset = reader.sequence_dash_offset
    document = ["_:\n"]
    for _, first, last, column in spans:
        for number, line in enumerate(text[first:last]):
            lead = len(line) - len(line.lstrip(" "))
            cut = line[column if number == 0 else min(lead, column) :]
            document.append(" " * offset + cut if cut.strip() else cut)
    if not document[-1].endswith("\n"):
        document[-1] += "\n"
    try:
        items = reader.load(source("".join(document), deadline))["_"]
    except OutOfTime:
        raise
    except Exception:  # any text it cannot read alone (an alias): made anew, as before
        return {}, set()
    if len(items) != len(spans):
        return {}, set()
    comments = getattr(items, "ca", None)
    origins: dict[Any, Origin] = {}
    inside: set[int] = set()
    for number, (ident, first, last, _) in enumerate(spans):
        lines_inside = [i for i in range(first + 1, last) if is_comment_or_blank(text[i])]
        notes = "".join(_notes(items[number]))
        if any(text[i].strip() not in notes for i in lines_inside):
            continue  # a '#' line that is text (of a quoted text of several lines)
        entry = comments.items.get(number) if comments is not None else None
        origins[ident] = Origin(items[number], entry, _get(old, moving[ident]))
        inside.update(lines_inside)
    return origins, inside


def _notes(node: Any) -> list[str]:
    """The text of every comment ruamel.yaml holds in ``node`` and what it contains."""
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        comments = getattr(item, "ca", None)
        if comments is not None:
            stack += [comments.comment, comments.end, *comments.items.values()]
        if isinstance(item, dict):
            stack += item.values()
        elif isinstance(item, list):
            stack += item
        elif isinstance(getattr(item, "value", None), str):
            found.append(item.value)
    return found


def _span(
    path: tuple[Any, ...],
    lines: dict[Any, int],
    starts: list[tuple[int, tuple[Any, ...]]],
    firsts: list[int],
    text: list[str],
) -> tuple[int, int, int] | None:
    """An item's lines: (first, the line after its last, column of its dash); None when it
    shares a line with another item. Comment lines after its last value are its own when
    indented deeper than its dash; those that follow are about what comes next."""
    if path not in lines:
        return None
    first = lines[path] - 1
    if first >= len(text):
        return None
    line = text[first]
    column = len(line) - len(line.lstrip(" "))
    if line[column : column + 2] not in ("- ", "-\n"):
        return None
    end = len(text)
    for index in range(bisect.bisect_left(firsts, first), len(starts)):
        at_line, other = starts[index]  # not a slice: a copy of the rest for each item
        under = other[: len(path)] == path
        if at_line == first and not under and len(other) >= len(path):
            return None  # another item (or key) on the item's line: a flow collection
        if at_line > first and not under:
            end = at_line
            break
    last = end
    while last > first + 1 and is_comment_or_blank(text[last - 1]):
        last -= 1
    for index in range(last, end):  # comment lines after it: its own if indented in it
        line = text[index]
        if line.strip() and len(line) - len(line.lstrip(" ")) <= column:
            break
        if line.strip():
            last = index + 1
    return first, last, column


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data
