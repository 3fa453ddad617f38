"""A programme written over the file it came from: only the values that changed change.

The planner's file is theirs: their comments (``# assumption: ...``), key order, quoting,
flow or block style and blank lines stay, and ``git diff`` after a repair shows the moved
times, what the scenario itself changed and at most a header comment. How:

1. The file as written is read again (``loading.loads``: the planner may have changed the
   programme in memory since), and both versions are put in one normal form (the model's
   plain data, defaults included), so a value counts as changed only when its meaning changed:
   ``"9:00-9:20"`` and ``"9:00 - 9:20"`` are the same time.
2. The file is read by a round-trip YAML library (ruamel.yaml), which keeps comments and
   styles in its document, and each changed value is set in that document: mappings key by
   key, lists of items with ids by id (an item kept keeps its place; one that moved in the
   day's order is moved, the fewest possible), other lists position by position. A new value
   takes the style of its neighbours (a new activity among ``{id: ...}`` lines is one too),
   and a text is quoted wherever the reader of programme files (YAML 1.1) would otherwise
   read something else (``"15:30"``, ``"yes"``).
3. ruamel.yaml writes the document twice, untouched and changed, and only the lines that
   differ between the two are applied to the file's own text. ruamel.yaml re-wraps long
   plain texts and indents every list alike; this way, what it reformats without a change
   keeps the file's bytes. Comment lines and blank lines of a removed item stay where they
   were (an end-of-line comment goes with its line, but moves to the key that takes its key's
   place: a solved template's ``time:`` keeps the ``# printed ...`` of its ``duration:``).
   An activity that moves to another list (an unplaced talk placed on a day) is its own
   node read from its lines, comments and all (``moved``), not a new one.
4. The result is read back and must be the programme given, or the programme is written
   fresh (``RoundTripWarning``): the data is never wrong, whatever the file's layout.

A file exactly as a fresh write makes it (an import, a template written before) is written
fresh again: the same layout, at a fraction of the cost on a large file.

JSON files stay JSON, with their key order and indentation (the same steps without a YAML
library: JSON has no comments).
"""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

from ..errors import ProgrammeError, in_time
from ..model import Programme
from .lines import compose
from .merge import Merge, Nodes
from .parts import yaml_over

_INDENTED = re.compile(r"^( *)\S")

HEADER_PREFIXES = (
    "# Solved by course-scheduler",
    "# What-if by course-scheduler",
    "# Template by course-scheduler",
)
"""How the header comments this tool writes begin: a later write replaces them."""


class RoundTripWarning(UserWarning):
    """The file could not be kept as it was written; the programme was written fresh."""


def write_over(
    programme: Programme,
    text: str,
    *,
    name: str,
    header: str | None = None,
    as_read: Programme | None = None,
    deadline: float | None = None,
) -> str:
    """``programme`` as text laid over ``text``, the file it came from (see the module).

    ``header``: comment lines for the top (each starting with one of ``HEADER_PREFIXES``),
    replacing those an earlier write put there; JSON has no comments and gets none.
    ``as_read``: the programme ``text`` was read as, unchanged since (a command that read
    the file and solved it): used instead of reading the file again (2 s of CPU of a 3.4 MB
    file). Should it have changed, the result does not read back as ``programme`` and is
    written fresh (step 4): the data is right either way.
    ``deadline``: a ``time.perf_counter()`` moment (a command's time limit) past which the
    write stops with ``OutOfTime``, looked at as the file is read, between its parts and
    within each (``clocked``), and as the result is read back; nothing is written by this
    function, so the caller's file is as it was."""
    from ..dumping import dump_data
    from ..loading import dump

    body = strip_header(text) if header else text
    is_json = _is_json(body)
    try:
        original, lines = _read(body, text, name, as_read, deadline)
    except ProgrammeError:  # the file no longer reads: nothing of it can be kept
        return (header or "") + dump(programme, fresh=True)
    old, new = _normal(original), _normal(programme)
    if old == new:
        return body if is_json or not header else header + body
    in_time(deadline)
    if not is_json and _fresh(old, body):  # written as a fresh file is: so it stays
        return (header or "") + dump_data(new)
    if is_json:
        result = _json_over(body, old, new, minimal(programme))
    else:
        result = yaml_over(body, old, new, programme, lines, deadline=deadline)
    in_time(deadline)
    if not _reads_as(result, name, new, deadline):
        warnings.warn(
            f"{name}: the changes could not be laid over the file as written; "
            "the programme is written fresh (its comments are not kept)",
            RoundTripWarning,
            stacklevel=2,
        )
        result = dump(programme, fresh=True)
    return result if is_json or not header else header + result


def _read(
    body: str, text: str, name: str, as_read: Programme | None, deadline: float | None = None
) -> tuple[Programme, dict[Any, int]]:
    """The programme ``body`` reads as, and the line of each of its paths: ``as_read``'s
    when it was read from ``text`` (``body`` is ``text`` without its header's comment
    lines, whose lines come that many sooner), else ``body`` read again."""
    from ..loading import loads, source_of

    source = source_of(as_read) if as_read is not None else None
    if as_read is None or source is None or source.text != text or not text.endswith(body):
        original = loads(body, name=name, deadline=deadline)
        return original, source_of(original).lines
    shift = text[: len(text) - len(body)].count("\n")
    if not shift:
        return as_read, source.lines
    return as_read, {path: line - shift for path, line in source.lines.items()}


def _reads_as(text: str, name: str, expected: Any, deadline: float | None = None) -> bool:
    """Does ``text`` read back as the programme whose normal form is ``expected``? Read by
    ``deadline`` (``OutOfTime`` past it: the reading looks at the clock as it goes)."""
    from ..loading import loads

    try:
        return bool(_normal(loads(text, name=name, deadline=deadline)) == expected)
    except ProgrammeError:
        return False


def _fresh(old: dict[str, Any], body: str) -> bool:
    """Is ``body`` what a fresh write of ``old`` gives? A fresh write writes each top-level
    key in turn, each whole before the next begins, so its first key alone is where it
    starts: a file that does not start so (a planner's comment at the top, keys in another
    order) is known not to be one without writing all of it (1.6 s at 2,000 talks)."""
    from ..dumping import dump_data

    first = next(iter(old), None)
    if first is None or not body.startswith(dump_data({first: old[first]})):
        return False
    return bool(dump_data(old) == body)


def strip_header(text: str) -> str:
    """``text`` without the header comment lines an earlier write of ours put at its top."""
    lines = text.splitlines(keepends=True)
    skip = 0
    while skip < len(lines) and lines[skip].startswith(HEADER_PREFIXES):
        skip += 1
    return "".join(lines[skip:])


def _normal(programme: Programme) -> Any:
    return programme.model_dump(mode="json", by_alias=True, exclude_none=True)


def minimal(programme: Programme) -> Any:
    """What a new item writes: its values without the defaults a planner would not write."""
    return programme.model_dump(
        mode="json", by_alias=True, exclude_none=True, exclude_defaults=True
    )


def _is_json(text: str) -> bool:
    stripped = text.lstrip()
    if not stripped.startswith("{"):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _json_over(body: str, old: Any, new: Any, mini: Any) -> str:
    document = json.loads(body)
    indent = _json_indent(body)
    ascii_only = "\\u" in body and body.isascii()

    def write(data: Any) -> str:
        return json.dumps(data, indent=indent, ensure_ascii=ascii_only) + "\n"

    before = write(document)
    Merge(Nodes()).mapping(document, old, new, new, mini)
    return compose(body, before, write(document))


def _json_indent(text: str) -> int | None:
    for line in text.splitlines()[1:]:
        found = _INDENTED.match(line)
        if found is not None and found.group(1):
            return len(found.group(1))
    return None
