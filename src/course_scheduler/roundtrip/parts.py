"""The changed parts of a YAML file, each round-tripped on its own by ruamel.yaml.

ruamel.yaml reads and writes a 1.8 MB file (an imported conference) in seconds where a repair
changes a few activities. So each smallest part that holds a change (an activity, a day, a
person) is cut out on whole lines, found by the line map of the file's own reading, written
as a document of its own and put back at its place; the whole file only when a part cannot
be cut out (the top level changes, a change inside a line of flow style)."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import in_time
from ..model import Programme
from .clocked import sink, source
from .lines import compose, is_comment_or_blank
from .merge import Merge, YamlNodes, at, ids, reads_back, styles
from .moved import Origin, carried, moves

_KEY_LINE = re.compile(r"^( *)(?:- )*[^\s#-][^:#]*:\s*(?:#.*)?$")
_DASH_LINE = re.compile(r"^( *)- ")
_INDENTED = re.compile(r"^( *)\S")


def yaml_over(
    body: str,
    old: Any,
    new: Any,
    programme: Programme,
    lines: dict[Any, int],
    *,
    deadline: float | None = None,
) -> str:
    """Each changed part of the file round-tripped on its own (``_parts``), so a large file
    (an imported conference) pays for what changed, not for the whole; the whole document
    when a part cannot be cut out. An activity moved to another list takes its own lines
    along (``moved``); should its new list not take them (a list made whole, in a new day),
    it is made anew there, and the comment lines inside it stay where they were, as before.
    ``deadline``: ``OutOfTime`` once it has passed, looked at between parts and, through the
    streams ruamel.yaml reads and writes (``clocked``), within each."""
    moving = moves(old, new)
    text, left = _laid(body, old, new, programme, lines, moving, deadline)
    if left:
        kept = {ident: path for ident, path in moving.items() if ident not in left}
        text, _ = _laid(body, old, new, programme, lines, kept, deadline)
    return text


def _laid(
    body: str,
    old: Any,
    new: Any,
    programme: Programme,
    lines: dict[Any, int],
    moving: dict[Any, tuple[Any, ...]],
    deadline: float | None = None,
) -> tuple[str, dict[Any, Origin]]:
    """``yaml_over`` with the moved activities ``moving`` carried: the text, and the ones
    carried that no list took."""
    from ruamel.yaml import YAML

    from . import minimal

    reader = YAML(typ="rt")
    reader.preserve_quotes = True
    reader.width = 100  # new long texts fold as fresh files do; unchanged ones keep their lines
    reader.brace_single_entry_mapping_in_flow_sequence = True
    reader.indent(**_indentation(body))
    py = programme.model_dump(mode="python", by_alias=True, exclude_none=True)
    mini = minimal(programme)
    file_styles = styles(body)
    text_lines = body.splitlines(keepends=True)
    origins, inside = carried(reader, text_lines, lines, old, moving, deadline)
    spans = _spans(_parts(old, new, (), lines), lines, text_lines)
    if spans is None:
        in_time(deadline)
        if inside:
            body = "".join(x for i, x in enumerate(text_lines) if i not in inside)
        written = _round_trip(reader, body, file_styles, old, new, py, mini, origins, deadline)
        return written, origins
    offset = reader.sequence_dash_offset
    began, done = time.perf_counter(), 0
    for path, first, last, column in sorted(spans, key=lambda s: s[1], reverse=True):
        in_time(deadline, began, (last - first) / done if done else 0.0)  # cost by its lines
        done += last - first
        original = [x for i, x in enumerate(text_lines[first:last], first) if i not in inside]
        fragment = _dedent(original, column)
        key = path[-1]
        values = [_get(tree, path) for tree in (old, new, py, mini)]
        if isinstance(key, str):
            wrapped = [{key: value} for value in values]
        else:  # a list item: the value of a key, so that it is indented as in the file
            fragment = "_:\n" + "".join(
                " " * offset + x if x.strip() else x for x in fragment.splitlines(keepends=True)
            )
            wrapped = [{"_": [value]} for value in values]
        if isinstance(key, str) and emptied(fragment, key, values[0], values[1], deadline):
            written = emptied_text(fragment, key)
        else:
            before, after, py_part, mini_part = wrapped
            written = _round_trip(
                reader, fragment, file_styles, before, after, py_part, mini_part, origins, deadline
            )
        if not isinstance(key, str):
            written = "".join(
                x[offset:] if x.startswith(" " * offset) else x
                for x in written.splitlines(keepends=True)[1:]
            )
        text_lines[first:last] = _indented(written, original, column)
    return "".join(text_lines), origins


def _round_trip(
    reader: Any,
    text: str,
    styles: dict[tuple[str, bool], type],
    old: Any,
    new: Any,
    py: Any,
    mini: Any,
    origins: dict[Any, Origin] | None = None,
    deadline: float | None = None,
) -> str:
    """``text`` (a document, or a part of one) with ``new``'s changes over ``old`` set in it;
    an activity that joins a list from another is ``origins``' node (``moved``). Read and
    written looking at ``deadline`` (``clocked``)."""
    document = reader.load(source(text, deadline))
    before = _emit(reader, document, deadline)
    merge = Merge(YamlNodes(styles), origins)
    if isinstance(document, list):
        merge.sequence(document, old, new, py, mini)
    else:
        merge.mapping(document, old, new, py, mini)
    return compose(text, before, _emit(reader, document, deadline))


_PLAIN_KEY = re.compile(r"[a-z][a-z0-9_]*")
_NOT_PLAIN = re.compile(r"(?:^|[\s\[{,:-])[&*!][^\s\[\]{},]|[|>][-+0-9]*\s*(?:#.*)?$|\t")
"""An anchor, alias or tag (``&a``, ``*a``, ``!!str``), a block text's indicator (``|``,
``>-``) or a tab: a line ruamel.yaml may write otherwise than it reads."""
_QUOTED = re.compile(r"""(?:^|:|-)\s+(["'])""")
"""A value in quotes: on one line only if the line ends with its quote."""


def emptied(fragment: str, key: str, old: Any, new: Any, deadline: float | None = None) -> bool:
    """Is this part a list of items emptied (``activities:`` of a template once every talk is
    placed on a day), in a fragment plain enough that ruamel.yaml would write its comment
    and blank lines back as they are (``emptied_text``)? Its lines looked over by
    ``deadline`` (a second at 2,000 unplaced talks)."""
    if new != [] or not isinstance(old, list) or not old or _PLAIN_KEY.fullmatch(key) is None:
        return False
    if not reads_back(key) or "\r" in fragment:
        return False
    return all(_plain(line) for line in _looking(fragment.splitlines(), deadline))


LINES_PER_LOOK = 4096
"""Lines looked over between two looks at the clock (about 20 ms)."""


def _looking(lines: Iterable[str], deadline: float | None) -> Iterator[str]:
    """``lines``, with a look at ``deadline`` every ``LINES_PER_LOOK`` of them."""
    for number, line in enumerate(lines):
        if number % LINES_PER_LOOK == 0:
            in_time(deadline)
        yield line


def _plain(line: str) -> bool:
    """A comment or blank line, or one that holds no text of several lines (whose next line
    could start with ``#`` and look like a comment) and nothing ``_NOT_PLAIN``."""
    if is_comment_or_blank(line):
        return True
    if _NOT_PLAIN.search(line) is not None:
        return False
    quoted = _QUOTED.search(line)
    return quoted is None or line.rstrip().endswith(quoted.group(1))


def emptied_text(fragment: str, key: str) -> str:
    """What the round trip writes for an emptied list, without reading the list: the key
    with ``[]`` after the comment and blank lines of the part (``lines.compose`` keeps the
    comment lines of what a change removes; every other line of the list goes, the key's
    own end-of-line comment included). Saves reading and writing every item of the list
    (9 of every 10 seconds of the write at 2,000 unplaced talks); ``tests/test_roundtrip.py``
    compares it with the round trip."""
    kept = [line for line in fragment.splitlines(keepends=True)[1:] if is_comment_or_blank(line)]
    if kept and not kept[-1].endswith("\n"):
        kept[-1] += "\n"
    return "".join(kept) + f"{key}: []\n"


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = at(data, step)
    return data


def _parts(
    old: Any, new: Any, path: tuple[Any, ...], lines: dict[Any, int]
) -> list[tuple[Any, ...]]:
    """The smallest parts of the file that hold every change: a mapping whose keys or
    scalar values change, a list whose items change in number or order, descending into
    what is the same shape (a day whose one activity moved is that activity)."""
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict) and list(old) == list(new):
        found: list[tuple[Any, ...]] = []
        for key in new:
            if old[key] == new[key]:
                continue
            inner = (*path, key)
            if inner not in lines or not _same_shape(old[key], new[key]):
                return [path]
            found += _parts(old[key], new[key], inner, lines)
        return found
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        if ids(old, new) is not None and [v["id"] for v in old] != [v["id"] for v in new]:
            return [path]
        found = []
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            if before == after:
                continue
            inner = (*path, index)
            if inner not in lines or not _same_shape(before, after):
                return [path]
            found += _parts(before, after, inner, lines)
        return found
    return [path]


def _same_shape(old: Any, new: Any) -> bool:
    return (isinstance(old, dict) and isinstance(new, dict)) or (
        isinstance(old, list) and isinstance(new, list)
    )


def _spans(
    paths: list[tuple[Any, ...]], lines: dict[Any, int], text: list[str]
) -> list[tuple[tuple[Any, ...], int, int, int]] | None:
    """Where each part lies: (path, first line, line after it, column of its key or dash),
    0-based; None when a part cannot be cut out on whole lines (the root, a part sharing its
    line with what follows it, a key not at the start of its line)."""
    if not paths or () in paths:
        return None
    starts = sorted((line - 1, path) for path, line in lines.items())
    spans = []
    for path in paths:
        first = lines[path] - 1
        last = len(text)
        for line, other in starts:
            if line > first and other[: len(path)] != path:
                last = line
                break
            if line == first and other[: len(path)] != path and len(other) >= len(path):
                return None  # a flow collection: the part shares its line
        if first >= len(text):
            return None
        column = _column(text[first], path[-1])
        if column is None:
            return None
        spans.append((path, first, last, column))
    spans.sort(key=lambda s: s[1])
    for (_, _, end, _), (_, begin, _, _) in itertools.pairwise(spans):
        if begin < end:
            return None  # one part inside another: cannot happen, but then the whole file
    return spans


def _column(line: str, key: Any) -> int | None:
    """Where the part starts on its first line: its key, or its list item's dash."""
    lead = len(line) - len(line.lstrip(" "))
    if isinstance(key, int):
        return lead if line[lead : lead + 2] in ("- ", "-\n") else None
    found = re.match(r"( *(?:- +)*)", line)
    column = len(found.group(1)) if found else lead
    return column if line[column:].startswith(f"{key}:") else None


def _dedent(lines: list[str], column: int) -> str:
    """A part's lines as a document of its own: its first line from its key (or dash) on,
    the others without the part's indentation."""
    out = [lines[0][column:]]
    for line in lines[1:]:
        lead = len(line) - len(line.lstrip(" "))
        out.append(line[min(lead, column) :])
    return "".join(out)


def _indented(text: str, original: list[str], column: int) -> list[str]:
    """A part written as a document of its own, back at its place: a line the part had keeps
    its own text (a comment at the margin stays there), a new line takes the part's
    indentation (the first one its key's or dash's place on the line)."""
    queues: dict[str, list[str]] = {}
    for index, line in enumerate(original):
        lead = len(line) - len(line.lstrip(" "))
        queues.setdefault(line[column if index == 0 else min(lead, column) :], []).append(line)
    out = []
    for index, line in enumerate(text.splitlines(keepends=True)):
        kept = queues.get(line)
        if kept:
            out.append(kept.pop(0))
        elif not line.strip():
            out.append(line)
        elif index == 0:
            out.append(original[0][:column] + line)
        else:
            out.append(" " * column + line)
    return out


def _emit(writer: Any, document: Any, deadline: float | None = None) -> str:
    stream = sink(deadline)
    writer.dump(document, stream)
    return stream.getvalue()


def _indentation(text: str) -> dict[str, int]:
    """The file's indentation as ruamel.yaml takes it: of a nested mapping, and of a list
    under its key (``offset``: where the dash is; ``sequence``: where the item's text is)."""
    mapping = offset = None
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    for line, following in itertools.pairwise(lines):
        key = _KEY_LINE.match(line)
        if key is None:
            continue
        column = len(line) - len(line.lstrip(" -"))
        dash = _DASH_LINE.match(following)
        if dash is not None and offset is None:
            offset = max(0, len(dash.group(1)) - column)
        elif dash is None and mapping is None:
            inner = _INDENTED.match(following)
            if inner is not None and len(inner.group(1)) > column:
                mapping = len(inner.group(1)) - column
        if mapping is not None and offset is not None:
            break
    mapping = mapping or 2
    offset = 2 if offset is None else offset
    return {"mapping": mapping, "sequence": offset + 2, "offset": offset}
