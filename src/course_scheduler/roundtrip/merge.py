"""Changed values set in a document that keeps the file's comments and styles (ruamel.yaml's
round-trip document, or plain JSON data): mappings key by key, lists of items with ids by id
(the fewest items move), other lists position by position; new values in the style of their
neighbours."""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import difflib
import json
import re
from collections.abc import Callable, MutableMapping, MutableSequence
from typing import Any

import yaml

_MISSING: Any = object()
FLOW_WIDTH = 60
"""A new list of short values is written on one line (``people: [a, b]``), a longer one
an item a line."""
_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
_resolve: Callable[[Any, str, tuple[bool, bool]], str] = _RESOLVER.resolve


class Nodes:
    """How new values are made: plain data for JSON."""

    def value(
        self, new: Any, py: Any, mini: Any, like: Any, siblings: list[Any], key: Any = None
    ) -> Any:
        if isinstance(new, dict):
            keys = mini if isinstance(mini, dict) else new
            return {k: self.value(new[k], at(py, k), at(mini, k), None, [], k) for k in keys}
        if isinstance(new, list):
            return [self.value(v, at(py, i), at(mini, i), None, []) for i, v in enumerate(new)]
        return new


class YamlNodes(Nodes):
    """New values for a ruamel.yaml document, in the style of what they replace or join: a
    new text quoted as the file quotes the same key elsewhere (``time: "9:00 - 9:20"``)."""

    def __init__(self, styles: dict[tuple[str, bool], type]) -> None:
        self.styles = styles

    def value(
        self, new: Any, py: Any, mini: Any, like: Any, siblings: list[Any], key: Any = None
    ) -> Any:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        if isinstance(new, dict):
            node = CommentedMap()
            keys = mini if isinstance(mini, dict) else new
            for inner in keys:
                node[inner] = self.value(
                    new[inner], at(py, inner), at(mini, inner), None, [], inner
                )
            if _flow(like) or any(_flow(s) for s in siblings[:1]):
                node.fa.set_flow_style()
            return node
        if isinstance(new, list):
            seq = CommentedSeq()
            seq.extend(
                self.value(v, at(py, i), at(mini, i), None, seq[:1], key) for i, v in enumerate(new)
            )
            short = sum(len(str(v)) + 2 for v in new) <= FLOW_WIDTH
            scalars = all(not isinstance(v, dict | list) for v in new)
            if not new or _flow(like) or (like is None and scalars and short):
                seq.fa.set_flow_style()  # an empty list is written [] on its key's line
            return seq
        return self.scalar(new, py, like, key)

    def scalar(self, new: Any, py: Any, like: Any, key: Any) -> Any:
        from ruamel.yaml.scalarstring import (
            DoubleQuotedScalarString,
            FoldedScalarString,
            ScalarString,
        )

        if isinstance(py, dt.date) and not isinstance(like, str):
            return py
        if not isinstance(new, str):
            return new
        style = type(like) if isinstance(like, ScalarString) else None
        if like is None and isinstance(key, str):
            style = self.styles.get((key, len(new) > FOLD_WIDTH))
        if style is FoldedScalarString:
            fits = "\n" not in new and new == new.strip() and "  " not in new
            if fits and len(new) > FOLD_WIDTH:
                return folded(new)
            style = None
        if style is not None and style is not ScalarString:
            return style(new)
        if reads_back(new):
            return new
        return DoubleQuotedScalarString(new)


_VALUE = re.compile(r"""(?:^|[{,\s-])([A-Za-z_][\w-]*): +(?:(["'])|(>)[-+]?\s*$|[^\s\[{>|&*!#])""")
FOLD_WIDTH = 84
"""Where a new text in folded style (``>-``) breaks its lines, as hand-written files do."""


def styles(text: str) -> dict[tuple[str, bool], type]:
    """How the file writes each key's texts, short and long (``(key, long)``), where it
    mostly quotes them (``time: "9:00"``) or folds them (``description: >-``): read from
    the text, so that a part of a large file written alone writes as the rest."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        FoldedScalarString,
        SingleQuotedScalarString,
    )

    counts: dict[tuple[str, bool], dict[str, int]] = {}
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        for found in _VALUE.finditer(line):
            style = found.group(2) or found.group(3) or ""
            long = style == ">" or len(line) - found.end() >= FOLD_WIDTH - 1
            tally = counts.setdefault((found.group(1), long), {})
            tally[style] = tally.get(style, 0) + 1
    kinds = {
        '"': DoubleQuotedScalarString,
        "'": SingleQuotedScalarString,
        ">": FoldedScalarString,
    }
    return {
        key: kinds[best]
        for key, tally in counts.items()
        if (best := max(tally, key=lambda k: tally[k])) in kinds
    }


def folded(text: str) -> Any:
    """``text`` in folded style, its lines broken at spaces near ``FOLD_WIDTH``."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    node = FoldedScalarString(text)
    breaks, start, last = [], 0, None
    for position, character in enumerate(text):
        if character != " ":
            continue
        if position - start > FOLD_WIDTH and last is not None:
            breaks.append(last)
            start = last + 1
        last = position
    if len(text) - start > FOLD_WIDTH and last is not None and last > start:
        breaks.append(last)
    node.fold_pos = breaks
    return node


def _flow(node: Any) -> bool:
    fa = getattr(node, "fa", None)
    return bool(fa is not None and fa.flow_style())


def reads_back(text: str) -> bool:
    """Would the reader of programme files (PyYAML, YAML 1.1) read ``text`` written plain as
    this text? Not ``15:30`` (a number of minutes to it), ``yes``, ``2024-11-18``, ``~``."""
    if not text or text != text.strip() or "\n" in text:
        return False
    return _resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG


def at(data: Any, key: Any) -> Any:
    if isinstance(data, dict):
        return data.get(key, _MISSING)
    if isinstance(data, list) and isinstance(key, int) and key < len(data):
        return data[key]
    return _MISSING


class Merge:
    """Sets the values of ``new`` that differ from ``old`` in the document ``node``."""

    def __init__(self, nodes: Nodes, origins: dict[Any, Any] | None = None) -> None:
        self.nodes = nodes
        self.origins = origins if origins is not None else {}
        """Activities that join a list from another (``moved.Origin`` by id): their nodes as
        the file wrote them, comments included, take the place of new ones."""

    def mapping(
        self, node: MutableMapping[Any, Any], old: Any, new: Any, py: Any, mini: Any
    ) -> None:
        old = old if isinstance(old, dict) else {}
        added: list[Any] = []
        for key, value in new.items():
            before = old.get(key, _MISSING)
            if before == value:
                continue
            if key in node and _back_to_default(key, value, mini):
                del node[key]  # set back to what goes without saying (pinned: true): unwritten
            elif key in node:
                self.replace(node, key, before, value, at(py, key), at(mini, key))
            else:
                made = self.nodes.value(value, at(py, key), at(mini, key), None, [], key)
                self._carry(made, value, at(py, key), at(mini, key))
                _insert(node, self._position(node, new, key), key, made)
                added.append(key)
        gone = [k for k in node if k in old and k not in new]
        _carry_comment(node, gone, added)
        for key in gone:
            del node[key]

    def _carry(self, made: Any, value: Any, py: Any, mini: Any) -> None:
        """A new list's activities that come from another list: their nodes as the file
        wrote them (``origins``) instead of the ones just made."""
        if not self.origins or not isinstance(value, list) or ids([], value) is None:
            return
        for index, item in enumerate(value):
            origin = self.origins.pop(item["id"], None)
            if origin is None:
                continue
            made[index] = self._carried(origin, item, at(py, index), at(mini, index))
            _end_of_line_moves(made, index, origin.entry)

    def _carried(self, origin: Any, item: dict[str, Any], py: Any, mini: Any) -> Any:
        """A moved activity's node with its changes set. A key that takes the place of the
        only one gone (a placed talk's ``time:`` for its ``duration:``) takes its place in
        the item and its comments, the lines below it included: in the file, those were
        the item's own lines, and the item is all that carries them now."""
        node, before = origin.node, origin.before
        gone = [k for k in node if k in before and k not in item]
        added = [k for k in item if k not in before]
        if len(gone) == 1 and len(added) == 1 and hasattr(node, "insert"):
            key, place = added[0], list(node).index(gone[0])
            made = self.nodes.value(item[key], at(py, key), at(mini, key), None, [], key)
            entry = node.ca.items.pop(gone[0], None)
            del node[gone[0]]
            node.insert(place, key, made)
            if entry is not None:
                node.ca.items[key] = entry
            before = {k: v for k, v in before.items() if k != gone[0]} | {key: item[key]}
        if before != item:
            self.mapping(node, before, item, py, mini)
        return node

    def replace(self, parent: Any, key: Any, before: Any, value: Any, py: Any, mini: Any) -> None:
        current = parent[key]
        if isinstance(value, dict) and isinstance(before, dict) and isinstance(current, dict):
            self.mapping(current, before, value, py, mini)
        elif isinstance(value, list) and isinstance(before, list) and isinstance(current, list):
            if value:
                self.sequence(current, before, value, py, mini)
            else:  # a fresh [] (the emptied list's comments stay as lines of the file)
                comments = getattr(parent, "ca", None)
                if comments is not None:
                    comments.items.pop(key, None)
                parent[key] = self.nodes.value(value, py, mini, None, [], key)
        else:
            parent[key] = self.nodes.value(value, py, mini, current, [], key)

    def sequence(
        self, seq: MutableSequence[Any], old: list[Any], new: list[Any], py: Any, mini: Any
    ) -> None:
        if len(seq) != len(old):  # not the list the file wrote: set it whole
            seq[:] = [
                self.nodes.value(v, at(py, i), at(mini, i), None, []) for i, v in enumerate(new)
            ]
            return
        keys = ids(old, new)
        if keys is not None:
            self._by_id(seq, old, new, py, mini, keys)
        elif len(old) == len(new):
            for index, value in enumerate(new):
                if old[index] != value:
                    self.replace(seq, index, old[index], value, at(py, index), at(mini, index))
        else:
            self._by_content(seq, old, new, py, mini)

    def _by_id(
        self,
        seq: MutableSequence[Any],
        old: list[Any],
        new: list[Any],
        py: Any,
        mini: Any,
        keys: tuple[list[Any], list[Any]],
    ) -> None:
        old_ids, new_ids = keys
        where = {ident: index for index, ident in enumerate(old_ids)}
        comments = getattr(seq, "ca", None)
        notes = (
            {} if comments is None else {i: comments.items.get(n) for n, i in enumerate(old_ids)}
        )
        for index, value in enumerate(new):  # changed items, in place
            place = where.get(new_ids[index])
            if place is not None and old[place] != value:
                self.replace(seq, place, old[place], value, at(py, index), at(mini, index))
        kept = set(new_ids)
        for index in sorted(
            (i for i, ident in enumerate(old_ids) if ident not in kept), reverse=True
        ):
            del seq[index]
        survivors = [ident for ident in old_ids if ident in kept]
        nodes = dict(zip(survivors, list(seq), strict=True))
        rank = {ident: index for index, ident in enumerate(survivors)}
        stay = _longest_run([rank[i] for i in new_ids if i in nodes])
        staying = {survivors[i] for i in stay}
        for index in range(len(seq) - 1, -1, -1):
            if survivors[index] not in staying:
                del seq[index]
        for index, ident in enumerate(new_ids):  # moved and new items, at their new places
            if ident in staying:
                continue
            node = nodes.get(ident)
            origin = self.origins.pop(ident, None) if node is None else None
            if origin is not None:
                node = self._carried(origin, new[index], at(py, index), at(mini, index))
                seq.insert(index, node)
                _end_of_line_moves(seq, index, origin.entry)
            elif node is None:
                node = self.nodes.value(
                    new[index], at(py, index), at(mini, index), None, _first(seq)
                )
                seq.insert(index, node)
            else:
                seq.insert(index, node)
                _end_of_line_moves(seq, index, notes.get(ident))

    def _by_content(
        self, seq: MutableSequence[Any], old: list[Any], new: list[Any], py: Any, mini: Any
    ) -> None:
        keys_old = [json.dumps(v, sort_keys=True) for v in old]
        keys_new = [json.dumps(v, sort_keys=True) for v in new]
        matcher = difflib.SequenceMatcher(a=keys_old, b=keys_new, autojunk=False)
        for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
            if tag == "equal":
                continue
            made = [
                self.nodes.value(new[j], at(py, j), at(mini, j), None, _first(seq))
                for j in range(j1, j2)
            ]
            del seq[i1:i2]
            for offset, node in enumerate(made):
                seq.insert(i1 + offset, node)

    @staticmethod
    def _position(node: MutableMapping[Any, Any], new: dict[str, Any], key: str) -> int:
        """After the last key that precedes ``key`` in the model's order and the file has."""
        keys = list(node)
        position = 0
        for other in new:
            if other == key:
                break
            if other in node:
                position = keys.index(other) + 1
        return position


def _first(seq: MutableSequence[Any]) -> list[Any]:
    """The list's first item, the sibling whose style a new item takes (``YamlNodes.value``
    looks at no other): not a copy of the whole list for every item inserted, which made
    filling a day's list of 1,000 talks quadratic."""
    return [seq[0]] if len(seq) else []


def _back_to_default(key: Any, value: Any, mini: Any) -> bool:
    """A plain value the model writes only when it differs from its default, now the
    default again (``mini`` leaves it out)."""
    return isinstance(mini, dict) and key not in mini and not isinstance(value, dict | list)


def ids(old: list[Any], new: list[Any]) -> tuple[list[Any], list[Any]] | None:
    """The items' ids when every item of both lists is a mapping with a distinct ``id``."""
    lists = []
    for items in (old, new):
        if not all(isinstance(v, dict) and "id" in v for v in items):
            return None
        idents = [v["id"] for v in items]
        if len(set(idents)) != len(idents):
            return None
        lists.append(idents)
    return lists[0], lists[1]


def _longest_run(sequence: list[int]) -> list[int]:
    """The longest increasing subsequence of ``sequence`` (its values): the items that can
    keep their places while the others move around them."""
    tails: list[int] = []
    tail_at: list[int] = []
    before: list[int] = [-1] * len(sequence)
    for index, value in enumerate(sequence):
        spot = bisect.bisect_left(tails, value)
        if spot == len(tails):
            tails.append(value)
            tail_at.append(index)
        else:
            tails[spot] = value
            tail_at[spot] = index
        before[index] = tail_at[spot - 1] if spot else -1
    result = []
    index = tail_at[-1] if tail_at else -1
    while index >= 0:
        result.append(sequence[index])
        index = before[index]
    return result[::-1]


def _carry_comment(mapping: Any, gone: list[Any], added: list[Any]) -> None:
    """When one key takes the place of another (a template's ``duration:`` becomes the solved
    ``time:``), the gone key's end-of-line comment moves to the new one: it is the planner's
    note on that item (``# printed "8:00am-2:00pm"``), not on the value, and would otherwise go
    with its line. A comment that also holds comment lines below it stays where it is."""
    comments = getattr(mapping, "ca", None)
    if comments is None or len(gone) != 1 or len(added) != 1 or added[0] in comments.items:
        return
    entry = comments.items.get(gone[0])
    token = entry[2] if entry and len(entry) > 2 else None
    if token is None or token.value.rstrip("\n").count("\n"):
        return
    comments.items[added[0]] = comments.items.pop(gone[0])


def _end_of_line_moves(seq: Any, index: int, entry: Any) -> None:
    """A moved item keeps its end-of-line comment. An item written on one line
    (``- {id: break, ...}  # printed "6:00-6:30pm"``) has it in its list's comments, by
    position, which the move would leave behind; an item of several lines has it inside, so it
    moves with it. Only the end of the line moves: comment and blank lines after the item stay
    where they were in the file (``lines.compose`` keeps them)."""
    token = entry[0] if entry else None
    if token is None:
        return
    comment = token.value.split("\n", 1)[0]
    if not comment.strip():
        return
    moved = copy.copy(token)
    moved.value = comment + "\n"
    seq.ca.items[index] = [moved, *entry[1:]]


def _insert(mapping: MutableMapping[Any, Any], position: int, key: Any, value: Any) -> None:
    insert = getattr(mapping, "insert", None)
    if insert is not None:
        insert(position, key, value)
        return
    items = list(mapping.items())
    items.insert(position, (key, value))
    mapping.clear()
    mapping.update(items)
