"""How the results show themselves in a console and a notebook.

A dataclass's own ``repr`` of a check report, a solve's result or a what-if prints every field,
the compiled programme included: pages of text where a planner wants one line. Each result
gives instead a short ``repr`` (what it is, its verdict, then a few lines of what it holds)
and ``_repr_html_`` for Jupyter, built here from plain text with the standard library (no
pandas: a report stays on the check path even when a notebook shows it).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

SHOWN = 10
"""Findings, reasons or moves a ``repr`` lists before "... and N more"."""


def text_lines(head: str, lines: Sequence[str], *, shown: int = SHOWN) -> str:
    """``head`` then the first ``shown`` lines, indented, and how many are left out."""
    body = [f"  {line}" for line in lines[:shown]]
    if len(lines) > shown:
        body.append(f"  ... and {len(lines) - shown} more")
    return "\n".join([head, *body])


def html_block(
    head: str,
    *,
    paragraphs: Sequence[str] = (),
    items: Sequence[str] = (),
    table: tuple[Sequence[str], Sequence[Sequence[object]]] | None = None,
    pre: str = "",
) -> str:
    """A heading line, paragraphs, a list, a table (header, rows) and preformatted text, every
    piece of text escaped."""
    parts = [f"<div><p><strong>{escape(head)}</strong></p>"]
    parts += [f"<p>{escape(text)}</p>" for text in paragraphs if text]
    if items:
        parts.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>")
    if table is not None:
        header, rows = table
        parts.append("<table><thead><tr>")
        parts += [f"<th>{escape(name)}</th>" for name in header]
        parts.append("</tr></thead><tbody>")
        for row in rows:
            cells = "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in row)
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</tbody></table>")
    if pre:
        parts.append(f"<pre>{escape(pre)}</pre>")
    parts.append("</div>")
    return "".join(parts)
