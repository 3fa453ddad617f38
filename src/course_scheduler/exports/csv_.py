"""CSV: one row per placed activity, the columns of ``show --format csv``.

This is the one CSV writer of the project. Every cell that a spreadsheet would read as a
formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with
``'`` so that opening the file never runs anything; quotes, commas and newlines are quoted
the RFC 4180 way by the ``csv`` module.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from . import neutralise

if TYPE_CHECKING:
    from ..compile import Problem
    from ..timetable import Timetable


def timetable_csv(problem: Problem, timetable: Timetable) -> str:
    """The timetable as CSV text (header, then one row per activity in time order)."""
    from ..timetable import COLUMNS

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in timetable.rows(problem):
        writer.writerow({column: neutralise(value) for column, value in row.items()})
    return buffer.getvalue()


def render(problem: Problem, timetable: Timetable, *, person: str | None = None) -> bytes:
    return timetable_csv(problem, timetable).encode("utf-8")
