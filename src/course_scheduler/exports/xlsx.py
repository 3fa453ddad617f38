"""XLSX: an overview sheet (the week's modules), then one sheet per day with the CSV's columns.

Dates and times are real spreadsheet dates and times, so they sort and compute; text cells are
neutralised against formula injection exactly like the CSV (openpyxl would otherwise store a
title starting with ``=`` as a formula). The zip is rewritten with fixed timestamps so the
same timetable always gives the same bytes.

Every sheet is set up to print: A4 landscape, scaled to the page's width (as many pages down as
it needs, one for a day of the reference), the header row (the overview's first column too)
repeated on each page, the course and the sheet in the header, page numbers in the footer.
Rows of wrapped text get a height for the lines they need, since neither the file format nor
openpyxl measures text: a spreadsheet that honours the stored heights shows every line.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import entry_rows, generated_at, neutralise, short_day
from .midnight import listed_dates

if TYPE_CHECKING:
    from ..compile import Problem
    from ..timetable import Timetable

HEADER = ("Date", "Start", "End", "Title", "Kind", "Venue", "People", "Id", "Room", "For")
_WIDTHS = (12, 8, 8, 60, 16, 30, 30, 22, 14, 24)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def text(value: str) -> str:
    """A safe text cell: no control characters XML cannot hold, nothing that runs as a formula."""
    return neutralise(_ILLEGAL.sub("", value))


def render(problem: Problem, timetable: Timetable, *, person: str | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    rows_by_date: dict[str, list[dict[str, str]]] = {}
    for row in entry_rows(problem, timetable, person=person):
        rows_by_date.setdefault(row["date"], []).append(row)
    shown = listed_dates(problem, timetable, map(dt.date.fromisoformat, rows_by_date))
    workbook = Workbook()
    overview = workbook.active
    overview.title = "Overview"
    _overview(problem, overview, person, [d for d in problem.dates if d in shown])
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    used: set[str] = {"overview"}
    for index, date in enumerate(problem.dates):
        if date not in shown:
            continue
        label = problem.programme.days[index].label
        name = f"{label} {short_day(date)}" if label else short_day(date)
        sheet = workbook.create_sheet(_sheet_name(name, used))
        sheet.append([text(h) for h in HEADER])
        for cell in sheet[1]:
            cell.font = bold
        for row in rows_by_date.get(date.isoformat(), []):
            sheet.append(
                [
                    dt.date.fromisoformat(row["date"]),
                    _clock(row["start"]),
                    _clock(row["end"]),
                    *(
                        text(row[c])
                        for c in ("title", "kind", "venue", "people", "id", "room", "for")
                    ),
                ]
            )
        for line in sheet.iter_rows(min_row=2):
            line[0].number_format = "yyyy-mm-dd"
            line[1].number_format = line[2].number_format = "hh:mm"
            for cell in line:
                cell.alignment = wrap
        for column, width in enumerate(_WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.freeze_panes = "A2"
        fit_rows(sheet, _WIDTHS, first=2)
        print_setup(sheet, problem.programme.course.title, rows="1:1")
    stamp = generated_at(problem).replace(tzinfo=None)
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.properties.creator = "course-scheduler"
    workbook.properties.title = text(problem.programme.course.title)
    buffer = io.BytesIO()
    # not workbook.save(): openpyxl's save_workbook stamps properties.modified with the clock
    from openpyxl.writer.excel import ExcelWriter

    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(workbook, archive).save()  # writes and closes the archive
    return _fixed_zip(buffer.getvalue())


def _overview(problem: Problem, sheet: Any, person: str | None, dates: list[dt.date]) -> None:
    """The week at a glance: a column per day listed (``dates``), a row per module field."""
    from openpyxl.styles import Alignment, Font

    programme = problem.programme
    modules = {m.id: m for m in programme.modules}
    sheet.append([text(programme.course.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    if programme.course.location:
        sheet.append([text(programme.course.location)])
    if person is not None:
        sheet.append([text(f"Programme for {problem.people[person].name}")])
    sheet.append([])
    days = [problem.day_of_date[date] for date in dates]
    labels = [programme.days[d].label or "" for d in days]
    if any(labels):
        sheet.append(["", *(text(label) for label in labels)])
    sheet.append(["Date", *dates])
    header_rows = (sheet.max_row - (1 if any(labels) else 0), sheet.max_row)
    rows: list[tuple[str, list[str | None]]] = [("Theme", [programme.days[d].theme for d in days])]
    for label, field_name in (
        ("Knowledge session", "knowledge_session"),
        ("Skills session", "skills_session"),
        ("Afternoon", "afternoon"),
    ):
        values = [_module_text(modules, problem, d, field_name) for d in days]
        if any(values):  # a programme without modules has no module rows
            rows.append((label, values))
    rows.append(("Venue", [_venue_text(problem, d) for d in days]))
    for label, values in rows:
        sheet.append([label, *(text(value or "") for value in values)])
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in sheet.iter_rows(min_row=header_rows[0]):
        line[0].font = Font(bold=True)
        for cell in line:
            cell.alignment = wrap
            if cell.row == header_rows[1]:
                cell.number_format = "ddd d mmm yyyy"
    sheet.column_dimensions["A"].width = 20
    from openpyxl.utils import get_column_letter

    widths = [20, *(32 for _ in dates)]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    fit_rows(sheet, widths, first=header_rows[0])
    print_setup(
        sheet, programme.course.title, rows=f"{header_rows[0]}:{header_rows[1]}", columns="A:A"
    )


LINE_POINTS = 15.0
"""Height of one line of 11-point text, in points (a spreadsheet's default row)."""


def fit_rows(sheet: Any, widths: Sequence[float], *, first: int) -> None:
    """Give each row from ``first`` on the height its wrapped text needs: per cell, a line per
    column width's worth of characters in each of its paragraphs (a little generous, since
    the width counts the font's widest digits)."""
    for row in sheet.iter_rows(min_row=first):
        lines = 1
        for cell, width in zip(row, widths, strict=False):
            if isinstance(cell.value, str) and cell.value:
                per_line = max(1, int(width) - 1)
                paragraphs = cell.value.split("\n")
                lines = max(lines, sum(max(1, -(-len(p) // per_line)) for p in paragraphs))
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = lines * LINE_POINTS


def print_setup(sheet: Any, title: str, *, rows: str, columns: str | None = None) -> None:
    """A4 landscape, one page wide, titles repeated, header and footer (see the docstring)."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.9
    sheet.page_margins.header = sheet.page_margins.footer = 0.35
    sheet.print_title_rows = rows
    if columns is not None:
        sheet.print_title_cols = columns
    sheet.oddHeader.left.text = _header_text(title)
    sheet.oddHeader.right.text = "&A"
    sheet.oddFooter.center.text = "Page &P of &N"


def _header_text(title: str) -> str:
    """The title as header text: '&' doubled (a lone '&' starts a header code), kept short."""
    short = title if len(title) <= 80 else title[:77].rstrip() + "..."
    return text(short).replace("&", "&&")


def _module_text(modules: dict[str, Any], problem: Problem, day: int, field: str) -> str | None:
    module_id = problem.day_modules[day]
    module = modules.get(module_id) if module_id else None
    return getattr(module, field) if module is not None else None


def _venue_text(problem: Problem, day: int) -> str | None:
    venue_id = problem.day_venues[day]
    if venue_id is None:
        return None
    venue = problem.venues[venue_id]
    return f"{venue.name}, {venue.address}" if venue.address else venue.name


def _clock(hhmm: str) -> dt.time | str | None:
    """A time cell; empty for an untimed item (no start) or an item with no printed end."""
    if not hhmm:
        return None
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return dt.time(hours, minutes) if hours < 24 else hhmm


def _sheet_name(name: str, used: set[str]) -> str:
    """At most 31 characters, none of ``[]:*?/\\``, unique regardless of case."""
    base = _SHEET_FORBIDDEN.sub("-", name)[:31]
    candidate, counter = base, 2
    while candidate.casefold() in used:
        suffix = f" ({counter})"
        candidate, counter = base[: 31 - len(suffix)] + suffix, counter + 1
    used.add(candidate.casefold())
    return candidate


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry dated 1980-01-01, so equal workbooks are equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return output.getvalue()
