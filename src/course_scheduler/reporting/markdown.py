"""Markdown, for a pull request comment or a job summary: per file a heading and the verdict, a
table of the findings (with a baseline: those the change adds, then the fixed ones folded), and
with a baseline that could be read, what changed between the two versions (``diffing``)."""

from __future__ import annotations

from collections.abc import Sequence

from ..exports.markdown import code, escape, table
from ..rules.base import Finding
from . import CheckedFile, describe


def render(results: Sequence[CheckedFile]) -> str:
    return "".join(section(result) for result in results)


def section(result: CheckedFile, *, with_diff: bool = True) -> str:
    """One file's part, ending with a blank line."""
    heading = f"### Check: {code(result.file)}"
    if result.baseline is not None:
        heading += f" against {code(result.baseline)}"
    verdict, _, rest = result.summary().partition(": ")
    lines = [heading, "", f"**{verdict}**: {escape(rest)}", ""]
    if result.note:
        lines += [f"_Note: {escape(result.note)}._", ""]
    if result.findings:
        noun = "Findings this version adds" if result.comparison is not None else "Findings"
        lines += [f"{noun}:", "", *findings_table(result.findings), ""]
    elif result.comparison is not None:
        lines += ["This version adds no finding.", ""]
    if result.comparison is not None and result.comparison.fixed:
        fixed = result.comparison.fixed
        lines += [f"<details><summary>Fixed ({len(fixed)})</summary>", ""]
        lines += [*findings_table(fixed), "", "</details>", ""]
    text = "\n".join(lines) + "\n"
    if with_diff and result.previous is not None and result.baseline is not None:
        from ..diffing import diff_programmes

        changes = diff_programmes(
            result.previous, result.programme, old_name=result.baseline, new_name=result.file
        )
        text += changes.to_markdown() + "\n"
    return text


def findings_table(findings: Sequence[Finding]) -> list[str]:
    rows = [
        [f.level.value, code(f.rule), escape(describe(f)), str(f.line) if f.line else ""]
        for f in findings
    ]
    return table(["Level", "Rule", "Finding", "Line"], rows)
