"""Exports: byte for byte the same in separate processes, and inert whatever the text.

``test_exports.py`` checks the hostile copy of the reference (``write_hostile``) format by
format; this adds what it leaves out: every export compared across processes with different
hash seeds, and a harsher copy where every user string a spreadsheet, browser or calendar
reads (venue, room, person and module names, course title and themes, not only activity
titles) tries formula injection, attribute breaking, CR/LF property injection and long
multibyte lines.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from course_scheduler.compile import Problem, compile_programme
from course_scheduler.exports import export
from course_scheduler.loading import load
from course_scheduler.timetable import Timetable, published_timetable

from .conftest import CORRECTED
from .test_exports import HOSTILE_TITLE, write_hostile

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DETERMINISTIC = ("csv", "frab", "frab-xml", "html", "md", "xlsx")
"""Same bytes whenever they are made; ICS too, except its DTSTAMP (the export time), see
``test_ics_updates``."""

EXPORT_ALL = """
import sys
from pathlib import Path
from course_scheduler.cli import main

folder = Path(sys.argv[1])
for source in sys.argv[2:]:
    for fmt in {formats!r}:
        out = folder / f"{{Path(source).stem}}.{{fmt}}"
        assert main(["export", source, "--format", fmt, "--out", str(out)]) == 0, (source, fmt)
"""


def test_exports_are_byte_identical_in_separate_processes(tmp_path: Path) -> None:
    """Two runs, one after the other (a second apart at least: a clock in a file shows), with
    different hash seeds (set and dict orders differ)."""
    hostile = write_hostile(tmp_path)
    script = EXPORT_ALL.format(formats=DETERMINISTIC)
    folders = []
    for seed in ("1", "2"):
        folder = tmp_path / f"run{seed}"
        folder.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        command = [sys.executable, "-c", script, str(folder), str(CORRECTED), str(hostile)]
        began = time.monotonic()
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=120)
        time.sleep(max(0.0, 1.05 - (time.monotonic() - began)))
        folders.append(folder)
    first, second = folders
    names = sorted(p.name for p in first.iterdir())
    assert len(names) == 2 * len(DETERMINISTIC)
    assert names == sorted(p.name for p in second.iterdir())
    differ = [name for name in names if (first / name).read_bytes() != (second / name).read_bytes()]
    assert differ == []


# --- a harsher hostile programme -------------------------------------------------------------

ATTRIBUTE_BREAKER = '" onmouseover="alert(1)" x="\' ><img src=x onerror=alert(2)>'
CRLF_TITLE = "Lunch\r\nBEGIN:VEVENT\r\nUID:evil@example.invalid\r\nSUMMARY:injected\r\nEND:VEVENT"
LONG_TITLE = "Sessió 🎉 à Sarrià; " * 20
NAMES = {
    "venue": '=HYPERLINK("http://example.invalid","venue")',
    "room": "@SUM(1+1)",
    "person": "-2+3 Gao",
    "module": "=cmd|' /C calc'!A0",
    "course": "+Diploma",
    "theme": "=1+1 theme",
}


def write_harsher(folder: Path) -> Path:
    data = yaml.safe_load(write_hostile(folder).read_text(encoding="utf-8"))
    data["course"]["title"] = NAMES["course"]
    data["modules"][1]["knowledge_session"] = NAMES["module"]
    data["days"][1]["theme"] = NAMES["theme"]
    for person in data["people"]:
        if person["id"] == "gao":
            person["name"] = NAMES["person"]
    for venue in data["venues"]:
        if venue["id"] == "superblocks":
            venue["name"] = NAMES["venue"]
        for room in venue.get("rooms", []):
            room["name"] = NAMES["room"]
    titles = {"d1-lunch": CRLF_TITLE, "d1-guest-talk": ATTRIBUTE_BREAKER, "d2-lunch": LONG_TITLE}
    for activity in (a for day in data["days"] for a in day["activities"]):
        activity["title"] = titles.get(activity["id"], activity["title"])
    path = folder / "harsher.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def harsher(tmp_path: Path) -> tuple[Problem, Timetable]:
    problem = compile_programme(load(write_harsher(tmp_path)))
    return problem, published_timetable(problem)


def test_csv_neutralises_formulas_in_every_column(harsher: tuple[Problem, Timetable]) -> None:
    rows = list(csv.reader(io.StringIO(export(*harsher, "csv").decode("utf-8"), newline="")))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert "'" + NAMES["venue"] in cells
    assert any(cell.startswith("'" + NAMES["person"]) for cell in cells)
    by_id = {row[7]: row for row in rows[1:]}
    assert by_id["d1-lunch"][3] == CRLF_TITLE  # kept intact, quoted by the csv module
    assert by_id["d1-guest-talk"][3] == ATTRIBUTE_BREAKER


def test_xlsx_stores_no_formula_in_any_sheet(harsher: tuple[Problem, Timetable]) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(export(*harsher, "xlsx")))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS), cell.value
                    texts.append(cell.value)
    for name in ("venue", "module", "course"):
        assert "'" + NAMES[name] in texts, name
    assert workbook.properties.title == "'" + NAMES["course"]


class _Document(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_attributes_cannot_be_broken_out_of(harsher: tuple[Problem, Timetable]) -> None:
    document = _Document()
    document.feed(export(*harsher, "html").decode("utf-8"))
    allowed = {"class", "id", "href", "style", "lang", "charset", "name", "content", "scope"}
    for tag, attributes in document.tags:
        assert tag not in ("script", "img", "iframe", "object", "embed"), tag
        for name, _ in attributes:
            assert name in allowed, (tag, name)
    text = "".join(document.text)
    assert ATTRIBUTE_BREAKER in text
    assert HOSTILE_TITLE in text


def test_ics_lines_cannot_be_injected_or_split_inside_a_character(
    harsher: tuple[Problem, Timetable],
) -> None:
    from icalendar import Calendar

    problem, timetable = harsher
    data = export(problem, timetable, "ics")
    events = list(Calendar.from_ical(data).walk("VEVENT"))
    assert len(events) == len(timetable)
    assert all(not str(e["UID"]).startswith("evil") for e in events)
    assert sum(line.startswith(b"BEGIN:VEVENT") for line in data.split(b"\r\n")) == len(timetable)
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # folding never cuts a multibyte character in two
    assert b"\r" not in data.replace(b"\r\n", b"") and b"\n" not in data.replace(b"\r\n", b"")
    summaries = {str(e["X-COURSE-SCHEDULER-ID"]): str(e["SUMMARY"]) for e in events}
    assert summaries["d1-lunch"] == CRLF_TITLE.replace("\r\n", "\n")  # one text, escaped
    assert summaries["d2-lunch"] == LONG_TITLE
    assert summaries["d1-guest-talk"] == ATTRIBUTE_BREAKER


def test_frab_and_markdown_keep_the_text_inert(harsher: tuple[Problem, Timetable]) -> None:
    from markdown_it import MarkdownIt

    document: dict[str, Any] = json.loads(export(*harsher, "frab"))
    titles = [
        event["title"]
        for day in document["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    ]
    assert ATTRIBUTE_BREAKER in titles and CRLF_TITLE in titles
    rendered = MarkdownIt("commonmark").enable("table").render(export(*harsher, "md").decode())
    markdown = _Document()
    markdown.feed(rendered)
    assert {tag for tag, _ in markdown.tags} <= {
        "h1",
        "h2",
        "h3",
        "p",
        "table",
        "thead",
        "tbody",
    } | {"tr", "th", "td", "br", "em", "strong", "code", "a", "ul", "li"}
    assert all(
        name in ("href", "style", "title") for _, attrs in markdown.tags for name, _ in attrs
    )
    assert ATTRIBUTE_BREAKER in "".join(markdown.text)
