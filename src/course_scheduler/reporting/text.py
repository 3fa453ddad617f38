"""Text: one line per finding (``FILE:LINE: level [rule] when: sentence [ids]``), then a verdict
a planner reads first; with several files, each verdict names its file."""

from __future__ import annotations

from collections.abc import Sequence

from . import CheckedFile, describe


def render(results: Sequence[CheckedFile]) -> str:
    lines = []
    for result in results:
        for f in result.findings:
            where = f"{f.location}: " if f.location else ""
            lines.append(f"{where}{f.level.value} [{f.rule}] {describe(f)}")
        prefix = f"{result.file}: " if len(results) > 1 else ""
        lines.append(prefix + result.summary())
    return "".join(line + "\n" for line in lines)
