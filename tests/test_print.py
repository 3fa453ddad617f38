"""Print-ready exports: the XLSX page setup, and the reference printed by LibreOffice on at most
seven A4 pages (the test runs where ``libreoffice`` is installed, e.g. Debian's
libreoffice-calc-nogui, and is skipped with a reason elsewhere)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from course_scheduler.compile import compile_programme
from course_scheduler.exports import export
from course_scheduler.exports.xlsx import LINE_POINTS
from course_scheduler.loading import load
from course_scheduler.timetable import published_timetable

from .conftest import PUBLISHED

LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


def reference_xlsx() -> bytes:
    problem = compile_programme(load(PUBLISHED))
    return export(problem, published_timetable(problem), "xlsx")


def test_every_sheet_is_set_up_for_a4_landscape_one_page_wide() -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(reference_xlsx()))
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9)  # 9: A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.oddFooter.center.text == "Page &P of &N"
        assert sheet.oddHeader.right.text == "&A"
    overview, *days = workbook.worksheets
    assert overview.print_title_cols == "$A:$A"
    assert overview.print_title_rows is not None
    for sheet in days:
        assert sheet.print_title_rows == "$1:$1"
        for row in sheet.iter_rows(min_row=2):
            title = str(row[3].value)
            if len(title) > 60:  # wider than its column: the row is as high as its lines
                height = sheet.row_dimensions[row[0].row].height
                assert height is not None and height >= 2 * LINE_POINTS, title
            assert row[3].alignment.wrap_text and row[0].alignment.vertical == "top"


@pytest.mark.skipif(
    LIBREOFFICE is None, reason="no LibreOffice (apt-get install libreoffice-calc-nogui)"
)
def test_the_reference_prints_on_at_most_seven_a4_pages(tmp_path: Path) -> None:
    from pypdf import PdfReader

    (tmp_path / "programme.xlsx").write_bytes(reference_xlsx())
    assert LIBREOFFICE is not None
    command = [
        LIBREOFFICE,
        f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(tmp_path),
        str(tmp_path / "programme.xlsx"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    pages = PdfReader(tmp_path / "programme.pdf").pages
    assert 6 <= len(pages) <= 7  # the overview and the five days, one page each
    for page in pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    text = pages[0].extract_text()
    assert "Metropolis Diploma" in text and "Page 1 of" in text
