"""Plain data → fresh YAML text, fast, byte for byte what PyYAML's pure-Python dumper writes.

A programme with no file to keep (an import into a new file, one built in code) is written
fresh. PyYAML's pure-Python emitter spent most of a large import (84 % of a 770-event one);
libyaml's emitter writes the same document several times faster and, for nearly every text,
identically. It differs on two kinds of text: one written in double quotes and too long for its
line (a description with line breaks and indented lines) is folded at other places, and a
character beyond U+FFFF (an emoji) is escaped where the pure emitter writes it as it is. Both
read back the same, but a file must not change with the library that wrote it, so libyaml
writes the document with a placeholder for each such text, and the placeholder becomes the
text as the pure emitter writes it: double-quoted texts by ``_double_quoted`` (the pure
emitter's folding, which depends only on the column where the text starts and the
indentation of its lines, computed a line at a time rather than a character at a time), the
rare text with a character beyond U+FFFF by the pure emitter itself, at the same nesting.
``tests/test_dumping.py`` compares the two writers on every example, every real schedule and
generated texts.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

WIDTH = 100
"""Where long lines are folded (the width programme files have always been written at)."""

_OPTIONS: dict[str, Any] = {"sort_keys": False, "allow_unicode": True, "width": WIDTH}
_FAST: type[yaml.SafeDumper] | None = getattr(yaml, "CSafeDumper", None)
_PLACEHOLDER = re.compile(r"csdq(\d+)qdsc")
_SPECIAL = re.compile("[^\n\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010fffe]|\ufeff")
"""What the emitter can write only escaped, in double quotes."""
_SPACE_BREAK = re.compile("[ ][\n\x85\u2028\u2029]|[\n\x85\u2028\u2029][ ]")
"""A space next to a line break: double quotes too (no other style keeps it)."""
_PURE_ONLY = re.compile("[\U00010000-\U0010ffff\x85\u2028\u2029]")
"""Characters the two emitters treat differently (libyaml escapes those beyond U+FFFF; the
other line breaks are rare enough to leave to the pure emitter)."""
_ESCAPED = re.compile('["\\\\\x85\u2028\u2029\ufeff]|[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd]')
_ESCAPES = {
    "\0": "0",
    "\x07": "a",
    "\x08": "b",
    "\t": "t",
    "\n": "n",
    "\x0b": "v",
    "\x0c": "f",
    "\r": "r",
    "\x1b": "e",
    '"': '"',
    "\\": "\\",
    "\x85": "N",
    "\xa0": "_",
    "\u2028": "L",
    "\u2029": "P",
}


def dump_data(data: Any) -> str:
    """``yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)``, fast."""
    if _FAST is None:  # PyYAML built without libyaml
        return str(yaml.safe_dump(data, **_OPTIONS))
    odd: list[tuple[tuple[str | int, ...], str]] = []
    text = str(yaml.dump(_swap(data, (), odd), Dumper=_FAST, **_OPTIONS))
    if not odd:
        return text

    def written(match: re.Match[str]) -> str:
        path, value = odd[int(match.group(1))]
        if _PURE_ONLY.search(value):
            return _pure(path, value)
        line_start = text.rfind("\n", 0, match.start()) + 1
        prefix = text[line_start : match.start()]
        return _double_quoted(value, len(prefix), _indent(prefix))

    result, count = _PLACEHOLDER.subn(written, text)
    if count != len(odd):  # a text of the file's own looks like a placeholder
        return str(yaml.safe_dump(data, **_OPTIONS))
    return result


def _swap(
    data: Any, path: tuple[str | int, ...], odd: list[tuple[tuple[str | int, ...], str]]
) -> Any:
    """A copy of ``data`` with each text the two emitters would write differently replaced
    by a numbered placeholder (a plain word), collected in ``odd`` with its path."""
    if isinstance(data, dict):
        return {k: _swap(v, (*path, k), odd) for k, v in data.items()}
    if isinstance(data, list):
        return [_swap(v, (*path, i), odd) for i, v in enumerate(data)]
    if isinstance(data, str) and (
        _PURE_ONLY.search(data) or _SPECIAL.search(data) or _SPACE_BREAK.search(data)
    ):
        odd.append((path, data))
        return f"csdq{len(odd) - 1}qdsc"
    return data


def _indent(prefix: str) -> int:
    """The indentation of a folded text's next lines, from what precedes it on its line: two
    more than its key (``key: "...``), or its list item's text column (``- "...``)."""
    if prefix.endswith(": "):
        return len(prefix) - len(prefix.lstrip(" -")) + 2
    return len(prefix)


def _double_quoted(text: str, start_column: int, indent: int) -> str:
    """``text`` in double quotes as the pure emitter writes it from ``start_column``: escapes
    for what is not printable, and a fold (a backslash, a new line at ``indent``) where the
    line would pass ``WIDTH``: at a space (then escaped: ``\\ ``) or right after an escape.
    Positions are visited a stretch at a time: the next escape, the next space past the
    width, instead of every character."""
    out = ['"']
    column = start_column + 1
    n = len(text)
    start = position = 0

    def fold() -> None:
        nonlocal column
        out.append("\n" + " " * indent)
        column = indent
        if text[start] == " ":
            out.append("\\")
            column += 1

    while True:
        found = _ESCAPED.search(text, position)
        escape = found.start() if found else n
        if position < escape and start == position and 0 < position < n - 1 and column > WIDTH:
            out.append("\\")  # right after an escape, the line is already full
            fold()
            position += 1
        while True:
            first = max(position, WIDTH - column + start + 1, 1)
            space = text.find(" ", first, min(escape, n - 1))
            if space < 0:
                break
            out.append(text[start:space] + "\\")
            start = space
            fold()
            position = space + 1
        if escape == n:
            out.append(text[start:])
            break
        out.append(text[start:escape])
        column += escape - start
        written = _escape(text[escape])
        out.append(written)
        column += len(written)
        start = position = escape + 1
        if 0 < escape < n - 1 and column - 1 > WIDTH:
            out.append("\\")
            fold()
    out.append('"')
    return "".join(out)


def _escape(character: str) -> str:
    if character in _ESCAPES:
        return "\\" + _ESCAPES[character]
    code = ord(character)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    if code <= 0xFFFF:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"


def _pure(path: tuple[str | int, ...], value: str) -> str:
    """``value`` as the pure emitter writes it at ``path``, in whatever style it chooses: the
    same keys and list levels around it give the same column and indentation."""
    nested: Any = value
    marked: Any = "csdqxqdsc"
    for step in reversed(path):
        nested = [nested] if isinstance(step, int) else {step: nested}
        marked = [marked] if isinstance(step, int) else {step: marked}
    text = str(yaml.safe_dump(nested, **_OPTIONS))
    begin = yaml.safe_dump(marked, **_OPTIONS).index("csdqxqdsc")
    return text[begin:].rstrip("\n")
