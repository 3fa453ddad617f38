"""One file checked for CI: is it a programme, what does it break, what did it add or fix.

A hook or an action hands over every ``.yaml`` and ``.json`` file an edit touches, most of
which may not be programmes (workflow files, tool configurations, what-if scenarios). A file
*is a programme* when its top level is a mapping with both ``course`` and ``days``: for JSON
as parsed, for YAML both keys written at the start of a line, which needs no parsing, so a
configuration full of custom tags (``!Ref``, ``!!python/name:``) is recognised as "not a
programme" rather than refused. A broken programme still has those two keys, and so it is
still reported as broken.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from . import checking
from .errors import ProgrammeError
from .loading import loads, read
from .model import Programme
from .reporting import CheckedFile
from .sources import GIT_PREFIX, is_git, read_source

_TOP_KEY = re.compile(rb"""^(?:"(course|days)"|'(course|days)'|(course|days))[ \t]*:""", re.M)
_JSON_KEY = re.compile(rb"""^\s*"(course|days)"\s*:""", re.M)


@dataclass(frozen=True)
class Skipped:
    """A file that is not a programme, and why it was left alone."""

    file: str
    reason: str


def is_programme(raw: bytes, name: str) -> bool:
    """Whether the file is meant as a programme (see the module's docstring)."""
    if name.lower().endswith(".json"):
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            return _keys(_JSON_KEY, raw) or _keys(_TOP_KEY, raw)
        return isinstance(data, dict) and "course" in data and "days" in data
    return _keys(_TOP_KEY, raw.removeprefix(b"\xef\xbb\xbf"))


def _keys(pattern: re.Pattern[bytes], raw: bytes) -> bool:
    found = {next(g for g in m.groups() if g) for m in pattern.finditer(raw)}
    return found == {b"course", b"days"}


def check_file(
    path: str | Path, *, baseline: str | None = None, programmes_only: bool = False
) -> CheckedFile | Skipped:
    """Check ``path``, compared with ``baseline`` (a file, ``git:REF:PATH`` or ``git:REF``)
    when given; a baseline that is absent or unusable counts as one without findings, and the
    result's ``note`` says so. Raises ``ProgrammeError`` when the file is unusable or the
    baseline cannot be looked up (no git, an unknown revision, a missing baseline file)."""
    name = str(path)
    raw = read(path)
    if programmes_only and not is_programme(raw, name):
        return Skipped(name, "not a programme (no top-level 'course' and 'days')")
    programme = loads(raw, name=name)
    result = CheckedFile(name, programme, checking.check(programme))
    if baseline is None:
        return result
    source = read_source(baseline, checking=path)
    if source.data is None:
        note = f"{source.label}: {source.note}; every finding counts as new"
        return replace(against(result, source.label, None), note=note)
    try:
        old = loads(source.data, name=source.label)
    except ProgrammeError as exc:
        note = f"the baseline is unusable ({exc}); every finding counts as new"
        return replace(against(result, source.label, None), note=note)
    return against(result, source.label, old)


def against(result: CheckedFile, label: str, old: Programme | None) -> CheckedFile:
    """``result`` compared with the findings of ``old`` (``None``: a version with none)."""
    report = checking.against(result.report, result.programme, old)
    return replace(
        result, report=report, baseline=label, comparison=report.comparison, previous=old
    )


def one_baseline_for_many(baseline: str | None, files: int) -> None:
    """A baseline file stands for one programme; ``git:REF`` can stand for each."""
    if baseline is None or files <= 1:
        return
    if is_git(baseline) and ":" not in baseline.removeprefix(GIT_PREFIX):
        return
    raise ProgrammeError(
        f"--baseline {baseline} names one programme but {files} files are checked; "
        "give git:REF to compare each file with its version at REF",
    )
