"""Markdown: the course heading, then one ``Time | Item | Venue | People`` table per day.

Every line of a day is there (``exports.entries``): an item with no printed end shows "from
17:30", an untimed item its part of the day or nothing, a deadline "due 13:00"; who an item
is for (a sub-group, optional attendance) follows its title. A conference's days are its
conference days (``midnight``): an event after midnight under the evening it belongs to.

Text is escaped so that it renders as written (GitHub, CommonMark): Markdown punctuation gets
a backslash (so does a leading ``-``, ``+``, ``=`` or ``1.``), ``<`` and ``>`` cannot open HTML,
``|`` cannot split a cell, ``&`` cannot start an entity, ``$`` cannot start maths, and a newline
inside a cell becomes ``<br>``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import day_heading, entries, entry_people, for_whom, where
from .midnight import listed_dates

if TYPE_CHECKING:
    from ..compile import Problem
    from ..timetable import Timetable

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!$])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(?:([-+=])|(\d+)([.)]))")


def escape(text: str) -> str:
    """Inline Markdown text that renders literally; newlines become ``<br>``."""
    escaped = _ENTITY.sub(r"\\&", _SPECIAL.sub(r"\\\1", text))
    lines = escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(_LINE_START.sub(_start, line.strip()) for line in lines)


def _start(match: re.Match[str]) -> str:
    """A line that would open a list, a heading underline or a numbered item stays text."""
    if match.group(1):
        return f"\\{match.group(1)}"
    return f"{match.group(2)}\\{match.group(3)}"


def code(text: str) -> str:
    """A Markdown code span of ``text``: a backtick inside cannot end it early."""
    inside = " ".join(text.replace("`", "'").split())
    return f"`{inside}`"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A pipe table; cells must already be escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(cell or " " for cell in row) + " |" for row in rows)
    return lines


def render(problem: Problem, timetable: Timetable, *, person: str | None = None) -> bytes:
    return markdown(problem, timetable, person=person).encode("utf-8")


def markdown(problem: Problem, timetable: Timetable, *, person: str | None = None) -> str:
    programme = problem.programme
    out = [f"# {escape(programme.course.title)}", ""]
    if person is not None:
        out += [f"Programme for **{escape(problem.people[person].name)}**", ""]
    if programme.course.location:
        out += [escape(programme.course.location), ""]
    by_date: dict[object, list[list[str]]] = {}
    listed = entries(problem, timetable, person=person)
    for entry in listed:
        title = ("↳ " if entry.in_block else "") + escape(entry.title)
        who = for_whom(problem, entry)
        if who:
            title += f" ({escape(who)})"
        by_date.setdefault(entry.date, []).append(
            [
                entry.when,
                title,
                escape(where(problem, entry)),
                escape(", ".join(entry_people(problem, entry))),
            ]
        )
    shown = listed_dates(problem, timetable, (entry.date for entry in listed))
    for index, date in enumerate(problem.dates):
        if date not in shown:
            continue
        day = programme.days[index]
        heading = day_heading(date)
        if day.label:
            heading = f"{escape(day.label)}: {heading}"
        if day.theme:
            heading += f" — {escape(day.theme)}"
        out += [f"## {heading}", ""]
        if day.venue:
            place = problem.venues[day.venue]
            at = escape(place.name) + (f", {escape(place.address)}" if place.address else "")
            out += [f"At {at}", ""]
        rows = by_date.get(date)
        if rows:
            out += table(["Time", "Item", "Venue", "People"], rows)
        else:
            out.append("*Nothing scheduled.*")
        out.append("")
    return "\n".join(out)
