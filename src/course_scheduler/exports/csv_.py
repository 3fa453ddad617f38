"""CSV: one row per line of the programme (``exports.entries``: placed activities, untimed
items, deadlines), the columns of ``show --format csv`` and who it is for.

This is the one CSV writer of the project. Every cell that a spreadsheet would read as a
formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with
``'`` so that opening the file never runs anything; quotes, commas and newlines are quoted
the RFC 4180 way by the ``csv`` module.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from . import ROW_COLUMNS, entry_rows, neutralise

if TYPE_CHECKING:
    from ..compile import Problem
    from ..timetable import Timetable


def timetable_csv(problem: Problem, timetable: Timetable, *, person: str | None = None) -> str:
    """The timetable as CSV text (header, then one row per line of each day, days in order)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(ROW_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in entry_rows(problem, timetable, person=person):
        writer.writerow({column: neutralise(value) for column, value in row.items()})
    return buffer.getvalue()


def render(problem: Problem, timetable: Timetable, *, person: str | None = None) -> bytes:
    return timetable_csv(problem, timetable, person=person).encode("utf-8")
