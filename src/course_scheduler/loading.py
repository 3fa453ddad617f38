"""File → validated ``Programme``, with ``file:line`` on every error.

YAML is read as a stream of events by the safe loader (libyaml when available) and turned
into plain data directly, recording the line of every key and list item. The limits are
enforced while reading, so a hostile file costs little: the file size before parsing
(``MAX_FILE_BYTES``), every value charged to a budget as it is read, aliases counted in full
(``value_budget``: a "billion laughs" file stops after a few lines), the nesting depth as lists
and mappings open (``MAX_DEPTH``), the activities as they are read (``MAX_ACTIVITIES``). An
alias can only name a finished anchor, so the data never contains itself. Only plain values
are read (text, numbers, booleans, null, dates, lists, mappings); any other tag, such as
``!!python/object``, is refused, and so is text no export can carry (control characters,
lone surrogates) or a number beyond ``MAX_NUMBER``. JSON files are read by the ``json``
module, with a light scan of the text for the lines. Then pydantic validates the data (after
a second, cheap activity count) and the cross-checks (references, duplicates, ordering
cycles) run. ``load`` and ``loads`` raise only ``ProgrammeError``, naming the file and a line.
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
from collections.abc import Iterator
from pathlib import Path as FsPath
from typing import Any

import yaml

from .errors import OutOfTime, Path, ProgrammeError, SourceMap, dotted, in_time
from .model import SOURCE, Programme
from .model import ride_ids as ride_ids  # where readers of files have looked for them
from .model import source_of as source_of

MAX_FILE_BYTES = 64 * 1024 * 1024
"""A programme file larger than this is refused before it is parsed. Twice a real programme
of 20,000 talks: 38C3 as imported (titles, abstracts, descriptions, speakers, published ids;
1.6-1.7 KB a talk) copied up to 20,000 talks is 31.7 MB of YAML and 34.2 MB of JSON
(``benchmarks/check_files.py``); the former limit of 20 MiB refused it above ~12,000 talks.
The size bounds memory (the bytes, the text, the parser's copy: a few hundred MiB at worst)
and the time to scan a file of few values; ``MAX_NODES`` bounds the values."""
MAX_NODES = 2_000_000
"""Values (scalars, lists, mappings) any document may expand to, aliases counted in full:
about 19 a talk in a real programme (377,000 for 38C3 copied up to 20,000 talks), so this
leaves room for 50,000 talks (``MAX_ACTIVITIES``) while a "billion laughs" stops at once. A
larger file may hold more (``value_budget``)."""
BYTES_PER_VALUE = 4
"""A file may expand to one value per this many bytes of its text, when that is more than
``MAX_NODES``: as many as a file of that size could hold written out (``- 1`` and its line
end), so aliases never take a document beyond what its size allows anyway. A programme whose
talks each list their candidate rooms has 250 values a talk (a generated conference of
10,000 talks, every room its length fits: 2.5 million values in 37.8 MB of YAML, which a
flat ``MAX_NODES`` refused)."""
MAX_DEPTH = 64
"""Nesting levels (the root mapping is one, a value in it two...); a programme needs seven."""
MAX_ACTIVITIES = 50_000
"""Activities per programme (on days and unplaced), counted before validation."""
EVENTS_PER_LOOK = 4096
"""YAML events (or JSON tokens) read between two looks at the clock, when reading has a
deadline: about 8 ms of reading at 2,000 activities (0.5-1.0 s, half a million events)."""
VALIDATE_SHARE = 0.25
"""Validating a programme takes up to this share of parsing it (0.16-0.20 on generated
conferences of 2,000 talks): pydantic cannot be stopped part way, so with a deadline it is
not begun when less than this (times the parse's own wall time) is left."""
MAX_NUMBER = 10**9
"""Numbers beyond ±this are refused: no field needs them, and they would overflow CP-SAT."""

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_BAD_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_JSON_TOKEN = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"(\s*:)?|[{}\[\]]|[^\s{}\[\],:"]+')
_SURROGATE = re.compile("[\ud800-\udfff]")
_STR = _YAML + "str"
_REMEMBERED = 40
"""Plain scalars up to this length have their resolved tag remembered (keys, times, flags)."""


def load(path: str | FsPath, *, deadline: float | None = None) -> Programme:
    """Read and validate a programme file (YAML or JSON). Raises only ``ProgrammeError``, or
    ``OutOfTime`` when a ``deadline`` (a ``time.perf_counter()`` moment: a solve's time
    limit) comes before the file is read."""
    return loads(read(path), name=str(path), deadline=deadline)


def read(path: str | FsPath, *, what: str = "a programme file") -> bytes:
    """The bytes of a file, at most one past ``MAX_FILE_BYTES`` (``parse`` refuses more).

    Only a regular file is read: a FIFO nobody writes to would wait for ever, a device
    (``/dev/zero``, a terminal) would never end or wait for typing. The file is opened without
    waiting, then looked at, so even a FIFO is refused at once. ``what`` names what was
    expected, for the messages."""
    name = str(path)
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ProgrammeError("no such file", file=name) from None
    except IsADirectoryError:
        raise ProgrammeError(f"is a directory, expected {what}", file=name) from None
    except OSError as exc:
        raise ProgrammeError(f"cannot read the file: {exc.strerror or exc}", file=name) from None
    mode = os.fstat(handle).st_mode
    if not stat.S_ISREG(mode):
        os.close(handle)
        if stat.S_ISDIR(mode):
            raise ProgrammeError(f"is a directory, expected {what}", file=name)
        raise ProgrammeError(
            f"is {_file_kind(mode)}, not a regular file; expected {what} (save it to a file first)",
            file=name,
        )
    with os.fdopen(handle, "rb") as stream:
        try:
            return stream.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise ProgrammeError(
                f"cannot read the file: {exc.strerror or exc}", file=name
            ) from None


def _file_kind(mode: int) -> str:
    kinds = (
        (stat.S_ISFIFO, "a pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((words for test, words in kinds if test(mode)), "a special file")


def loads(raw: bytes | str, *, name: str = "<string>", deadline: float | None = None) -> Programme:
    """Validate programme text; ``name`` is used in error messages. With a ``deadline``
    the parse looks at the clock as it reads, and raises ``OutOfTime`` when the deadline
    passes, or when too little is left to validate what it read (``VALIDATE_SHARE``)."""
    try:
        began = time.perf_counter()
        in_time(deadline)
        data, source = parse(raw, name=name, deadline=deadline)
        in_time(deadline, began, VALIDATE_SHARE)
        return validate(data, source)
    except (ProgrammeError, OutOfTime):
        raise
    except RecursionError:
        raise ProgrammeError(
            f"the document is nested too deeply (more than {MAX_DEPTH} levels)", file=name, line=1
        ) from None
    except MemoryError:
        raise ProgrammeError("the document is too large to read", file=name, line=1) from None
    except Exception as exc:  # the promise of load(): nothing but ProgrammeError escapes
        raise ProgrammeError(
            f"internal error while reading the programme ({type(exc).__name__}: {exc}); "
            "please report it with the file",
            file=name,
        ) from None


def parse(
    raw: bytes | str, *, name: str, deadline: float | None = None, published: bool = False
) -> tuple[Any, SourceMap]:
    """Bytes → plain data and the line of every key, enforcing the size limits; ``OutOfTime``
    when a ``deadline`` passes while reading (looked at every ``EVENTS_PER_LOOK`` events).

    ``published``: a schedule someone else published, read by an importer, whose texts may
    hold control characters (a DEL in one of 631 descriptions of 36C3's wiki sessions): its
    text values are left for the importer to show as U+FFFD and note, not refused (a
    programme file's still are: every export must carry them)."""
    size = len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
    if size > MAX_FILE_BYTES:
        raise ProgrammeError(
            f"the file is larger than the limit of {MAX_FILE_BYTES:,} bytes", file=name, line=1
        )
    text = _decode(raw, name) if isinstance(raw, bytes) else _unicode(raw, name)
    if name.lower().endswith(".json"):
        data, source = _parse_json(text, name, deadline, published)
    else:
        data, source = _parse_yaml(text, name, deadline)
    source.text = text
    return data, source


def value_budget(text: str) -> int:
    """Values a document of this text may expand to (``MAX_NODES``, ``BYTES_PER_VALUE``)."""
    return max(MAX_NODES, len(text) // BYTES_PER_VALUE)


def _parse_json(
    text: str, name: str, deadline: float | None, published: bool = False
) -> tuple[Any, SourceMap]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        try:  # a .json file may still hold YAML
            return _parse_yaml(text, name, deadline)
        except ProgrammeError:
            pass
        raise ProgrammeError(f"JSON syntax error: {exc.msg}", file=name, line=exc.lineno) from None
    except ValueError as exc:  # e.g. a number of more than 4300 digits
        raise ProgrammeError(f"cannot read a number: {exc}", file=name, line=1) from None
    in_time(deadline)
    source = _json_lines(text, name, deadline)
    budget = value_budget(text)
    _check_data(data, (), source, [budget], 0, budget, texts=not published)
    return data, source


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ProgrammeError(
            f"is not UTF-8 text (byte {exc.start} cannot be decoded); save it as UTF-8",
            file=name,
            line=line,
        ) from None


def _unicode(text: str, name: str) -> str:
    """Text given as ``str`` (``loads`` from Python) may hold a lone surrogate, which no file
    can: bytes are decoded strictly. Neither libyaml nor the line scan can read one, so it is
    refused here, by its line, rather than failing inside them."""
    surrogate = _SURROGATE.search(text)
    if surrogate is None:
        return text
    raise ProgrammeError(
        f"the character U+{ord(surrogate.group()):04X} (a lone surrogate) is not Unicode text",
        file=name,
        line=text.count("\n", 0, surrogate.start()) + 1,
    )


def _parse_yaml(text: str, name: str, deadline: float | None) -> tuple[Any, SourceMap]:
    source = SourceMap(file=name)
    loader = _Loader(text)
    clean = _BAD_CHARACTERS.search(text) is None
    try:
        data = _Builder(loader, source, deadline, clean, value_budget(text)).run()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "syntax error"
        raise ProgrammeError(f"YAML syntax error: {problem}", file=name, line=line) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else 1
        character = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise ProgrammeError(
            f"the character U+{character:04X} is not allowed in a YAML file",
            file=name,
            line=line,
        ) from None
    except yaml.YAMLError as exc:
        raise ProgrammeError(f"YAML error: {exc}", file=name, line=1) from None
    finally:
        loader.dispose()
    return data, source


def _timed(get_event: Any, deadline: float) -> Any:
    """``get_event`` with a look at the clock every ``EVENTS_PER_LOOK`` events (a separate
    function, so reading without a deadline pays nothing for it)."""
    count = 0

    def timed() -> Any:
        nonlocal count
        count += 1
        if count >= EVENTS_PER_LOOK:
            count = 0
            in_time(deadline)
        return get_event()

    return timed


def _line(event: yaml.Event) -> int:
    mark = event.start_mark
    return mark.line + 1 if mark is not None else 1


class _Open:
    """A list or mapping being read: its data, where it is, and what it has cost so far."""

    __slots__ = ("anchor", "budget", "counts", "data", "height", "is_map", "key", "path")

    def __init__(self, data: Any, path: Path, anchor: str | None, budget: int) -> None:
        self.data = data
        self.path = path
        self.anchor = anchor
        self.budget = budget  # the node budget left when it opened
        self.key: str | None = None  # a mapping's key waiting for its value
        self.height = 1
        self.is_map = isinstance(data, dict)
        self.counts = not self.is_map and (  # a list of activities: its items are counted
            path == ("activities",)
            or (len(path) == 3 and path[0] == "days" and path[2] == "activities")
        )


class _Builder:
    """YAML events → plain data and the line of every key and item, within the limits.

    Reading events (rather than composing a node graph first) keeps a hostile file cheap:
    every value, aliases counted in full, is charged to a budget (``value_budget``) as it is
    read, and the nesting depth is checked as lists and mappings open; an alias reuses the
    data of its anchor, with the size and height measured when the anchor was read, so a
    "billion laughs" file is refused after reading a few lines. An alias can only name a
    finished anchor, so the data can never contain itself.

    A plain text value (most of a programme: ids, titles, times) is read without a call per
    event: its tag is known from its first character when the resolver's table has no rule for
    it (what the resolver itself would decide), and a text is searched for forbidden
    characters only when it is written in double quotes (the one style with escapes) or the
    file itself holds one (``clean``: the file's text was searched once).
    """

    def __init__(
        self,
        loader: Any,
        source: SourceMap,
        deadline: float | None = None,
        clean: bool = False,
        budget: int = MAX_NODES,
    ) -> None:
        self.loader = loader  # a SafeLoader or CSafeLoader: the events, resolver, constructors
        self.source = source
        self.deadline = deadline
        self.clean = clean
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # data, values, height
        self.stack: list[_Open] = []
        self.budget = self.most = budget
        self.activities = 0  # counted as they are read: a huge file stops at the limit
        resolvers = getattr(loader, "yaml_implicit_resolvers", {})
        plain = None not in resolvers and not getattr(loader, "yaml_path_resolvers", None)
        self.plain_firsts = frozenset(k for k in resolvers if k) if plain else None
        """First characters the resolver may read as other than text (``None``: it has rules
        by path or for any first character, so it is asked about every scalar)."""
        self.resolved: dict[str, str] = {}

    def fail(self, message: str, line: int, path: Path | None = None) -> ProgrammeError:
        field = dotted(path) if path else None
        return ProgrammeError(message, file=self.source.file, line=line, field=field)

    def run(self) -> Any:
        root: list[Any] = []
        documents = 0
        get_event = self.loader.get_event
        if self.deadline is not None:
            get_event = _timed(get_event, self.deadline)
        stack = self.stack
        scalar_event = yaml.ScalarEvent
        while True:
            event = get_event()
            if event is None:
                break
            if (
                type(event) is scalar_event
                and stack
                and event.anchor is None
                and self._read_plainly(event, stack[-1])
            ):
                continue
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self.fail(
                        "a second document ('---') in the file; a programme is one document",
                        _line(event),
                    )
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                done = stack.pop()
                if done.anchor is not None:
                    self.anchors[done.anchor] = (done.data, done.budget - self.budget, done.height)
                self._attach(done.data, done.height, root)
            elif isinstance(event, yaml.NodeEvent):
                self._node(event, root)
        if not root or root[0] is None:
            raise self.fail("the file is empty; expected a programme with 'course'", 1)
        return root[0]

    def _read_plainly(self, event: yaml.ScalarEvent, parent: _Open) -> bool:
        """A text (``_text``) as a mapping's key or value or a list's item, read the short
        way; ``False`` leaves the event to ``_node``, which reads it as before (or raises its
        error). Items of a list of activities are counted there."""
        value = self._text(event)
        if value is None:
            return False
        check = not self.clean or event.style == '"'
        if parent.is_map:
            key = parent.key
            if key is None:
                if check:
                    _check_scalar(value, parent.path, self.source)
                if value in parent.data:
                    return False  # a duplicate: _node says so
                self.source.lines[(*parent.path, value)] = _line(event)
                parent.key = value
                return True
            path: Path = (*parent.path, key)
        elif parent.counts:
            return False
        else:
            path = (*parent.path, len(parent.data))
        if len(self.stack) >= MAX_DEPTH:
            return False
        line = _line(event)
        self.source.lines.setdefault(path, line)
        self._charge(1, line, path)
        if check:
            _check_scalar(value, path, self.source)
        if parent.is_map:
            parent.data[parent.key] = value
            parent.key = None
        else:
            parent.data.append(value)
        if parent.height < 2:
            parent.height = 2
        return True

    def _text(self, event: yaml.ScalarEvent) -> str | None:
        """The event's value when it is a text by the resolver's own rules: no tag, and
        quoted, or plain and read as text (``_tag``); ``None`` otherwise."""
        firsts = self.plain_firsts
        if firsts is None or (event.tag is not None and event.tag != "!"):
            return None
        value: str = event.value
        plain = event.implicit[0] and (not value or value[0] in firsts)
        return None if plain and self._tag(event) != _STR else value

    def _node(self, event: yaml.NodeEvent, root: list[Any]) -> None:
        line = _line(event)
        parent = self.stack[-1] if self.stack else None
        if parent is not None and parent.is_map and parent.key is None:
            self._key(event, parent, line)
            return
        if parent is None:
            path: Path = ()
        elif parent.is_map:
            assert parent.key is not None
            path = (*parent.path, parent.key)
        else:
            path = (*parent.path, len(parent.data))
            if parent.counts:
                self.activities += 1
                if self.activities > MAX_ACTIVITIES:
                    raise self.fail(
                        f"more than {MAX_ACTIVITIES:,} activities, the limit per programme",
                        line,
                        path,
                    )
        self.source.lines.setdefault(path, line)
        depth = len(self.stack)
        if isinstance(event, yaml.AliasEvent):
            anchored = self.anchors.get(str(event.anchor))
            if anchored is None:
                raise self.fail(
                    f"the alias '*{event.anchor}' names no finished anchor: an alias must come "
                    "after its '&' anchor, and outside it",
                    line,
                    path,
                )
            data, size, height = anchored
            self._charge(size, line, path)
            self._deep(depth + height, line, path)
            self._attach(data, height, root)
            return
        self._charge(1, line, path)
        self._deep(depth + 1, line, path)
        if isinstance(event, yaml.ScalarEvent):
            value = self._scalar(event, self._tag(event), path, line)
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, 1, 1)
            self._attach(value, 1, root)
            return
        expected = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
        tag = getattr(event, "tag", None)
        if tag not in (None, "!", _YAML + expected):
            raise self._bad_tag(str(tag), line, path)
        container: Any = {} if expected == "map" else []
        self.stack.append(_Open(container, path, event.anchor, self.budget + 1))

    def _key(self, event: yaml.NodeEvent, parent: _Open, line: int) -> None:
        key: Any = None
        if isinstance(event, yaml.ScalarEvent):
            tag = self._tag(event)
            if tag == _YAML + "merge":
                raise self.fail(
                    "YAML merge keys ('<<') are not supported; write the fields out", line
                )
            key = self._scalar(event, tag, parent.path, line)
        if not isinstance(key, str | int) or isinstance(key, bool):
            raise self.fail("a key must be a plain name", line, parent.path)
        key = str(key)
        path = (*parent.path, key)
        if key in parent.data:
            raise self.fail(
                f"duplicate key '{key}' (first given on line {self.source.lines[path]})",
                line,
                path,
            )
        self.source.lines[path] = line
        parent.key = key

    def _attach(self, value: Any, height: int, root: list[Any]) -> None:
        if not self.stack:
            root.append(value)
            return
        parent = self.stack[-1]
        if parent.is_map:
            parent.data[parent.key] = value
            parent.key = None
        else:
            parent.data.append(value)
        parent.height = max(parent.height, height + 1)

    def _charge(self, values: int, line: int, path: Path) -> None:
        self.budget -= values
        if self.budget < 0:
            raise self.fail(
                f"the document expands to more than {self.most:,} values "
                "(YAML aliases repeated too often?); refusing to read it",
                line,
                path,
            )

    def _deep(self, depth: int, line: int, path: Path) -> None:
        if depth > MAX_DEPTH:
            raise self.fail(f"the document is nested more than {MAX_DEPTH} levels deep", line, path)

    def _tag(self, event: yaml.ScalarEvent) -> str:
        """The scalar's tag; a plain one's as the resolver reads it from the value alone
        (when ``plain_firsts`` says so), remembered for the next plain scalar of that value:
        the keys, ``true``, ``false`` and times come again and again."""
        tag = event.tag
        if tag is None or tag == "!":
            if self.plain_firsts is None or not event.implicit[0]:
                return str(self.loader.resolve(yaml.ScalarNode, event.value, event.implicit))
            value = event.value
            known = self.resolved.get(value)
            if known is None:
                known = str(self.loader.resolve(yaml.ScalarNode, value, event.implicit))
                if len(value) <= _REMEMBERED:
                    self.resolved[value] = known
            return known
        return str(tag)

    def _scalar(self, event: yaml.ScalarEvent, tag: str, path: Path, line: int) -> Any:
        if tag == _YAML + "str":
            value: Any = event.value
        elif tag in _SCALAR_TAGS:
            node = yaml.ScalarNode(tag, event.value)
            try:
                value = self.loader.yaml_constructors[tag](self.loader, node)
            except (ValueError, OverflowError, TypeError, yaml.YAMLError) as exc:
                raise self.fail(
                    f"cannot read the value {event.value[:40]!r}: {exc}", line, path
                ) from None
        else:
            raise self._bad_tag(tag, line, path)
        _check_scalar(value, path, self.source)
        return value

    def _bad_tag(self, tag: str, line: int, path: Path) -> ProgrammeError:
        shown = "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag
        return self.fail(
            f"the YAML tag '{shown}' is not allowed: a programme holds only text, numbers, "
            "true/false, dates, lists and mappings",
            line,
            path,
        )


def _check_scalar(value: Any, path: Path, source: SourceMap) -> None:
    """Text every export can carry; numbers no field needs beyond ``MAX_NUMBER``."""
    if isinstance(value, str):
        bad = _BAD_CHARACTERS.search(value)
        if bad is not None:
            raise source.error(
                f"the text contains the control or invalid character U+{ord(bad.group()):04X} "
                f"at position {bad.start() + 1}; remove it",
                path,
            )
    elif isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
        raise source.error(
            f"the number {value:.6g} is out of range (at most ±{MAX_NUMBER:,})", path
        )


def _check_data(
    data: Any,
    path: Path,
    source: SourceMap,
    budget: list[int],
    depth: int,
    most: int = MAX_NODES,
    texts: bool = True,
) -> None:
    """The limits and text checks of ``_to_data``, for data read by the ``json`` module
    (``budget``: the values left of ``most``; ``texts``: text values are checked too)."""
    budget[0] -= 1
    if budget[0] < 0:
        raise source.error(f"the document has more than {most:,} values", path)
    if depth > MAX_DEPTH:
        raise source.error(f"the document is nested more than {MAX_DEPTH} levels deep", path)
    if isinstance(data, dict):
        for key, value in data.items():
            _check_scalar(key, (*path, key), source)
            _check_data(value, (*path, key), source, budget, depth + 1, most, texts)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _check_data(value, (*path, index), source, budget, depth + 1, most, texts)
    elif texts or not isinstance(data, str):
        _check_scalar(data, path, source)


def _json_lines(text: str, name: str, deadline: float | None = None) -> SourceMap:
    """The line of every key and item of a valid JSON text; a duplicate key is an error.

    ``json.loads`` has read the text already; this scan only follows its structure: keys (a
    string and its colon, one match), other strings, brackets and bare values; commas, colons
    and whitespace are skipped by the search. A list's items are counted as they start, and
    the line is counted on from the last key or item, so the text is gone over once.
    """
    source = SourceMap(file=name)
    lines = source.lines
    line = 1
    counted = 0  # the position up to which the line breaks are counted

    stack: list[tuple[Path, dict[str, int] | None, list[int]]] = []  # path, keys, item count
    value_path: Path = ()
    tokens = _JSON_TOKEN.finditer(text)
    if deadline is not None:
        tokens = _timed_tokens(tokens, deadline)
    for match in tokens:
        if match.group(2) is not None:  # a key and its colon
            key = match.group(1)
            path, keys, _ = stack[-1]
            assert keys is not None
            if "\\" in key:
                key = json.loads(f'"{key}"')
            start = match.start()
            line += text.count("\n", counted, start)
            counted = start
            if key in keys:
                raise ProgrammeError(
                    f"duplicate key '{key}' (first given on line {keys[key]})",
                    file=name,
                    line=line,
                    field=dotted((*path, key)),
                )
            keys[key] = line
            value_path = (*path, key)
            lines[value_path] = line
            continue
        token = match.group()
        if token == "}" or token == "]":
            stack.pop()
            continue
        start = match.start()
        line += text.count("\n", counted, start)
        counted = start
        if stack:  # a value starts: a mapping's (its key is known) or a list's next item
            path, keys, count = stack[-1]
            if keys is None:
                value_path = (*path, count[0])
                count[0] += 1
                lines[value_path] = line
        else:
            value_path = ()
            lines[()] = line
        if token == "{":
            stack.append((value_path, {}, [0]))
        elif token == "[":
            stack.append((value_path, None, [0]))
    lines.setdefault((), 1)
    return source


def _timed_tokens(tokens: Iterator[re.Match[str]], deadline: float) -> Iterator[re.Match[str]]:
    for count, match in enumerate(tokens, 1):
        if count % EVENTS_PER_LOOK == 0:
            in_time(deadline)
        yield match


def validate(data: Any, source: SourceMap) -> Programme:
    """Plain data → Programme: pydantic, then the cross-checks (``validation.py``), every
    error at its line."""
    if not isinstance(data, dict):
        raise ProgrammeError(
            f"expected a mapping with 'course', 'venues', 'days'... at the top, "
            f"got {type(data).__name__}",
            file=source.file,
            line=1,
        )
    _count_activities(data, source)
    return Programme.model_validate(data, context={SOURCE: source})


def _count_activities(data: dict[str, Any], source: SourceMap) -> None:
    """Refuse a programme with too many activities before pydantic builds a model of each."""
    days = data.get("days")
    on_days = (
        [day.get("activities") for day in days if isinstance(day, dict)]
        if isinstance(days, list)
        else []
    )
    unplaced = data.get("activities")
    count = sum(len(a) for a in on_days if isinstance(a, list))
    count += len(unplaced) if isinstance(unplaced, list) else 0
    if count > MAX_ACTIVITIES:
        where: Path = ("activities",) if isinstance(unplaced, list) and unplaced else ("days",)
        raise source.error(
            f"{count:,} activities; the limit is {MAX_ACTIVITIES:,} per programme", where
        )


def dump(
    programme: Programme,
    *,
    over: Programme | str | None = None,
    header: str | None = None,
    fresh: bool = False,
    as_read: bool = False,
    deadline: float | None = None,
) -> str:
    """Programme → text that ``loads`` reads back to an equal programme.

    A programme read from a file is written over that file's text (``roundtrip.py``): its
    comments, order and layout stay and only the values that changed change; JSON stays JSON.
    ``over`` names another origin: a programme (the file it was read from) or the text
    itself. A programme with no origin, or ``fresh=True``, is written fresh as YAML.
    ``header``: comment lines for the top (see ``roundtrip.HEADER_PREFIXES``).
    ``as_read=True``: ``over`` is a programme exactly as read from its file, not changed
    since, so its reading serves and the file is not read again.
    ``deadline``: a ``time.perf_counter()`` moment (a command's time limit) past which
    writing over the origin's text stops with ``OutOfTime`` (``roundtrip.write_over``)."""
    origin = programme if over is None else over
    text = origin if isinstance(origin, str) else source_of(origin).text
    if fresh or text is None:
        from .dumping import dump_data

        data = programme.model_dump(mode="json", by_alias=True, exclude_none=True)
        return (header or "") + dump_data(data)
    from .roundtrip import write_over

    name = source_of(origin).file if isinstance(origin, Programme) else None
    read = origin if as_read and isinstance(origin, Programme) else None
    return write_over(
        programme, text, name=name or "<programme>", header=header, as_read=read, deadline=deadline
    )


def save(
    programme: Programme,
    path: str | FsPath,
    *,
    over: Programme | str | None = None,
    header: str | None = None,
    as_read: bool = False,
    deadline: float | None = None,
) -> None:
    """Write ``programme`` to ``path`` atomically (``atomic.py``), over its origin as
    ``dump`` does; a ``.json`` path is written as JSON (over a JSON origin, kept as it is),
    any other as YAML. A programme with no origin is written over the file at ``path``
    when there is one (an import that updates the planner's file). ``as_read`` and
    ``deadline``: as for ``dump``; past the deadline, ``OutOfTime`` and nothing is written
    (the file at ``path`` is as it was)."""
    from .atomic import write_text

    target = FsPath(path)
    as_json = target.suffix.lower() == ".json"
    origin: Programme | str = programme if over is None else over
    text = origin if isinstance(origin, str) else source_of(origin).text
    if text is None and target.is_file():
        try:
            existing = load(target, deadline=deadline)
        except ProgrammeError:
            existing = None
        if existing is not None:
            origin, text = existing, source_of(existing).text
    origin_json = text is not None and text.lstrip().startswith("{")
    if text is not None and as_json == origin_json:
        written = dump(programme, over=origin, header=header, as_read=as_read, deadline=deadline)
        write_text(target, written)
    elif as_json:
        data = programme.model_dump(mode="json", by_alias=True, exclude_none=True)
        write_text(target, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        write_text(target, dump(programme, header=header, fresh=True))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the file format, for editors."""
    schema = Programme.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "course_scheduler programme"
    return schema
