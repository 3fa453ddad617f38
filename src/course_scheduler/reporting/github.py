"""GitHub Actions workflow commands: ``::error file=F,line=N,title=RULE::[RULE] sentence``.

A runner turns each line into an annotation on the file in the pull request. With a baseline,
only the findings the change adds are annotated, and a ``::notice`` says how many it fixed.
Values are escaped as the runner expects (``%``, line breaks, and in properties ``:`` and ``,``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..rules.base import Level
from . import CheckedFile

_COMMAND = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def render(results: Sequence[CheckedFile]) -> str:
    lines = []
    for result in results:
        for f in result.findings:
            where = f"file={_property(f.file or result.file)}"
            if f.line:
                where += f",line={f.line}"
            lines.append(
                f"::{_COMMAND[f.level]} {where},title={_property(f.rule)}::"
                + _data(f"[{f.rule}] {f.message}")
            )
        if result.comparison is not None:
            title = _property(f"course-scheduler: {result.file}")
            lines.append(f"::notice title={title}::{_data(result.summary())}")
    return "".join(line + "\n" for line in lines)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
