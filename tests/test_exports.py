"""Exports: every format read back by a real reader, agreeing with the others, and escaped.

The reference instance is exported to each format and parsed again (csv module, openpyxl,
markdown-it, the stdlib HTML parser and headless Chromium, icalendar, jsonschema, matplotlib's
PNG reader). A hostile copy of it (quotes, ampersands, ``<script>``, formula starts, commas,
newlines, non-ASCII names) checks that text survives every format intact and escaped.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from course_scheduler.cli import main
from course_scheduler.cli.export import EXPORT_FORMATS
from course_scheduler.compile import Problem, compile_programme, hidden_in_container
from course_scheduler.errors import ProgrammeError
from course_scheduler.exports import FORMATS, activity_uuid, export, find_person, neutralise, slug
from course_scheduler.loading import load
from course_scheduler.timetable import Timetable, published_timetable

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "examples" / "barcelona_2024" / "programme.yaml"
SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "c3voc-schedule.schema.json"
MADRID = ZoneInfo("Europe/Madrid")

HOSTILE_TITLE = "Q&A \"live\" <script>alert(1)</script>, =cmd|' /C calc'!A0; Avinyó, Sarrià"
HOSTILE_PERSON = 'Noferini, Andrea "Andy" <b>Avinyó</b>'
FORMULA_TITLES = {
    "d1-welcome": "+Welcome {{ 7*7 }} costs $5 & $10 &amp; `code`",
    "d1-ice-breaker": "@SUM(1+1)*cmd|' /C calc'!A0",
    "d1-lunch": "-2+3 lunch",
    "d1-wrap-up": "\t=1+1 wrap up",
    "d2-welcome": '=HYPERLINK("http://example.invalid","x")',
}
NEWLINE_TITLE = "Tea & coffee\nsecond line; with, commas"


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference() -> tuple[Problem, Timetable]:
    problem = compile_programme(load(REFERENCE))
    return problem, published_timetable(problem)


def write_hostile(folder: Path) -> Path:
    """A copy of the reference whose user strings try to break every format."""
    data = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    data["course"]["title"] = 'Diploma "Q&A" <Barcelona> in Sarrià'
    data["course"]["note"] = "<script>alert('note')</script>"
    data["modules"][0]["knowledge_session"] = "<img src=x onerror=alert(3)> & more"
    for person in data["people"]:
        if person["id"] == "noferini":
            person["name"] = HOSTILE_PERSON
    cei = next(v for v in data["venues"] if v["id"] == "cei")
    cei["name"] = 'CEI <International> & "Affairs"'
    cei["address"] = "Av. Vallvidrera, 25; 08017 Barcelona"
    day = data["days"][0]
    day["theme"] = '<script>alert("theme")</script> & Sarrià'
    day["description"] = "</p><script>alert(2)</script> {{ 7*7 }}"
    for activity in (a for d in data["days"] for a in d["activities"]):
        if activity["id"] == "d1-qa":
            activity["title"] = HOSTILE_TITLE
        elif activity["id"] == "d1-coffee":
            activity["title"] = NEWLINE_TITLE
        elif activity["id"] in FORMULA_TITLES:
            activity["title"] = FORMULA_TITLES[activity["id"]]
        elif activity["id"] == "d2-site-visit":
            activity["description"] = '<iframe src="javascript:alert(5)"></iframe> Avinyó'
    for leg in data["transport"]:
        leg["note"] = "<script>alert(4)</script> stops: Plaza Cataluña, Sarrià"
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Problem, Timetable]:
    path = write_hostile(tmp_path)
    problem = compile_programme(load(path))
    return path, problem, published_timetable(problem)


def run_cli(argv: list[str]) -> int:
    """The real command line, in this process (exit 2 on bad input)."""
    return main(argv)


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def unneutralise(cell: str) -> str:
    return (
        cell[1:] if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t", "\r") else cell
    )


def ics_events(data: bytes) -> list[Any]:
    from icalendar import Calendar

    return list(Calendar.from_ical(data).walk("VEVENT"))


def frab_events(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        event
        for day in document["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    ]


def expected_times(problem: Problem, timetable: Timetable) -> dict[str, tuple[dt.datetime, ...]]:
    def at(date: dt.date, minutes: int) -> dt.datetime:
        return dt.datetime.combine(date, dt.time(0), tzinfo=MADRID) + dt.timedelta(minutes=minutes)

    return {p.activity: (at(p.date, p.start), at(p.date, p.end)) for p in timetable}


# --- the registry ----------------------------------------------------------------------------


def test_the_cli_offers_every_format_of_the_registry() -> None:
    assert tuple(FORMATS) == EXPORT_FORMATS


def test_an_unknown_format_is_a_programme_error(reference: tuple[Problem, Timetable]) -> None:
    with pytest.raises(ProgrammeError, match="unknown export format 'pdf'"):
        export(*reference, "pdf")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_export_is_deterministic(reference: tuple[Problem, Timetable], fmt: str) -> None:
    first = export(*reference, fmt)
    assert first
    assert export(*reference, fmt) == first


# --- csv -------------------------------------------------------------------------------------


def test_csv_reads_back_as_the_timetable_rows(reference: tuple[Problem, Timetable]) -> None:
    """The columns of ``show --format csv`` and who each line is for (everyone, here: the
    reference has one group); at one start, lines keep the file's order."""
    problem, timetable = reference
    rows = csv_rows(export(problem, timetable, "csv"))
    assert {row.pop("for") for row in rows} == {""}
    assert sorted(rows, key=lambda r: r["id"]) == sorted(
        timetable.rows(problem), key=lambda r: r["id"]
    )
    assert [(r["date"], r["start"]) for r in rows] == sorted((r["date"], r["start"]) for r in rows)


def test_csv_keeps_hostile_text_and_neutralises_formulas(
    hostile: tuple[Path, Problem, Timetable],
) -> None:
    _, problem, timetable = hostile
    rows = {row["id"]: row for row in csv_rows(export(problem, timetable, "csv"))}
    assert rows["d1-qa"]["title"] == HOSTILE_TITLE
    assert rows["d1-coffee"]["title"] == NEWLINE_TITLE
    assert rows["d1-guest-talk"]["people"] == HOSTILE_PERSON
    for ident, title in FORMULA_TITLES.items():
        assert rows[ident]["title"] == "'" + title
        assert unneutralise(rows[ident]["title"]) == title
    for row in rows.values():
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_neutralise_prefixes_only_formula_starts() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\rx") == "'\rx"
    assert neutralise("Q&A = fine") == "Q&A = fine"
    assert neutralise("") == ""


# --- xlsx ------------------------------------------------------------------------------------


def test_xlsx_has_an_overview_and_a_sheet_per_day_matching_the_csv(
    reference: tuple[Problem, Timetable],
) -> None:
    from openpyxl import load_workbook

    problem, timetable = reference
    workbook = load_workbook(io.BytesIO(export(problem, timetable, "xlsx")))
    assert workbook.sheetnames[0] == "Overview"
    assert len(workbook.sheetnames) == 1 + len(problem.dates)
    overview = [c for row in workbook["Overview"].iter_rows(values_only=True) for c in row if c]
    for module in problem.programme.modules:
        assert module.knowledge_session in overview
        assert module.skills_session in overview
    read: list[dict[str, str]] = []
    for name in workbook.sheetnames[1:]:
        rows = list(workbook[name].iter_rows(values_only=True))
        assert rows[0] == (
            "Date",
            "Start",
            "End",
            "Title",
            "Kind",
            "Venue",
            "People",
            "Id",
            "Room",
            "For",
        )
        for date, start, end, *text in rows[1:]:
            read.append(
                {
                    "date": date.date().isoformat(),
                    "start": start.strftime("%H:%M"),
                    "end": end.strftime("%H:%M"),
                    **dict(
                        zip(
                            ("title", "kind", "venue", "people", "id", "room", "for"),
                            (t or "" for t in text),
                            strict=True,
                        )
                    ),
                }
            )
    assert read == csv_rows(export(problem, timetable, "csv"))


def test_xlsx_keeps_hostile_text_and_stores_no_formula(
    hostile: tuple[Path, Problem, Timetable],
) -> None:
    from openpyxl import load_workbook

    _, problem, timetable = hostile
    workbook = load_workbook(io.BytesIO(export(problem, timetable, "xlsx")))
    titles = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
            if sheet.title != "Overview" and row[7].value:
                titles[row[7].value] = row[3].value
    assert titles["d1-qa"] == HOSTILE_TITLE
    assert titles["d1-coffee"] == NEWLINE_TITLE
    for ident, title in FORMULA_TITLES.items():
        assert unneutralise(titles[ident]) == title


# --- markdown --------------------------------------------------------------------------------


def markdown_html(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(text)


def test_markdown_has_one_table_per_day(reference: tuple[Problem, Timetable]) -> None:
    problem, timetable = reference
    rendered = markdown_html(export(problem, timetable, "md").decode("utf-8"))
    assert rendered.count("<table>") == len(problem.dates)
    assert rendered.count("<h2>") == len(problem.dates)
    body_rows = rendered.count("<tr>") - len(problem.dates)
    assert body_rows == len(timetable)
    text = "".join(parse_html(rendered).text)
    for placement in timetable:
        assert problem.item(placement.activity).title in text


def test_markdown_renders_hostile_text_literally(hostile: tuple[Path, Problem, Timetable]) -> None:
    _, problem, timetable = hostile
    rendered = markdown_html(export(problem, timetable, "md").decode("utf-8"))
    assert "<script" not in rendered
    text = "".join(parse_html(rendered).text)
    assert HOSTILE_TITLE in text
    assert FORMULA_TITLES["d1-welcome"] in text
    assert "Tea &amp; coffee<br>second line; with, commas" in rendered
    for row in rendered.split("<tr>")[1:]:
        assert row.count("<td") in (0, 4), row  # no cell was split by a '|'


# --- html ------------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> _Tags:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser


def test_html_is_the_brochure(reference: tuple[Problem, Timetable]) -> None:
    problem, timetable = reference
    page = export(problem, timetable, "html").decode("utf-8")
    parsed = parse_html(page)
    text = " ".join(" ".join(parsed.text).split())
    programme = problem.programme
    assert programme.course.title in text
    assert "Overview of the programme" in text
    for module in programme.modules:
        assert module.knowledge_session in text
        assert f"Knowledge Session {module.number}" in text
    for day in programme.days:
        assert day.theme is not None and day.theme in text
        assert day.description is not None and " ".join(day.description.split()) in text
    assert "Monday 18 November" in text and "Friday 22 November" in text
    for placement in timetable:
        item = problem.item(placement.activity)
        if not hidden_in_container(problem, item):
            assert " ".join(item.title.split()) in text
    for leg in programme.transport:
        assert leg.note is not None and " ".join(leg.note.split()) in text
    assert "Afternoon visits" in text
    assert "This session will be held at the building of Metropolis offices" in text
    # self-contained and printable
    tags = {tag for tag, _ in parsed.tags}
    assert "script" not in tags and "link" not in tags and "img" not in tags
    for _, attrs in parsed.tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), value
    assert "@page" in page and "size: A4" in page and "@media print" in page


def test_html_escapes_every_user_string(hostile: tuple[Path, Problem, Timetable]) -> None:
    _, problem, timetable = hostile
    page = export(problem, timetable, "html").decode("utf-8")
    parsed = parse_html(page)
    tags = [tag for tag, _ in parsed.tags]
    assert "script" not in tags and "iframe" not in tags and "img" not in tags and "b" not in tags
    text = "".join(parsed.text)
    assert HOSTILE_TITLE in text
    assert "{{ 7*7 }}" in text  # data is never rendered as a template
    assert '<script>alert("theme")</script> & Sarrià' in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Avinyó" in page and "Sarrià" in page


def test_html_for_one_person(reference: tuple[Problem, Timetable]) -> None:
    problem, timetable = reference
    page = export(problem, timetable, "html", person="gao").decode("utf-8")
    assert "Programme for Yuan Gao" in page
    assert "Site visit Barcelona Superblocks" in page
    assert "Welcome, introductions and housekeeping" not in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        *extra,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on PATH (apt-get install chromium)")
def test_html_loads_in_a_browser_without_console_errors(
    hostile: tuple[Path, Problem, Timetable], tmp_path: Path
) -> None:
    _, problem, timetable = hostile
    page = tmp_path / "programme.html"
    page.write_bytes(export(problem, timetable, "html"))
    shot = tmp_path / "programme.png"
    result = chromium(page, tmp_path / "p1", f"--screenshot={shot}", "--window-size=1000,2400")
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "CONSOLE" not in result.stderr and "Uncaught" not in result.stderr, result.stderr

    dom = chromium(page, tmp_path / "p2", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "<script" not in dom.stdout and "<iframe" not in dom.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom.stdout

    pdf = tmp_path / "programme.pdf"
    printed = chromium(page, tmp_path / "p3", f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert printed.returncode == 0, printed.stderr[-2000:]
    boxes = {
        tuple(round(float(x)) for x in box.split())
        for box in re.findall(rb"/MediaBox \[([^\]]*)\]", pdf.read_bytes())
    }
    assert boxes == {(0, 0, 595, 842)}  # A4 in points


# --- ics -------------------------------------------------------------------------------------


def test_ics_has_one_event_per_activity_in_madrid_time(
    reference: tuple[Problem, Timetable],
) -> None:
    from icalendar import Calendar

    problem, timetable = reference
    data = export(problem, timetable, "ics")
    calendar = Calendar.from_ical(data)
    zones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert zones == ["Europe/Madrid"]
    events = ics_events(data)
    assert len(events) == len(timetable)
    times = expected_times(problem, timetable)
    for event in events:
        ident = str(event["X-COURSE-SCHEDULER-ID"])
        assert str(event["UID"]) == f"{activity_uuid(problem, ident)}@course-scheduler"
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert (start, end) == times[ident]
        assert event["DTSTART"].params["TZID"] == "Europe/Madrid"
        assert str(event["SUMMARY"]) == problem.item(ident).title
    talk = next(e for e in events if str(e["X-COURSE-SCHEDULER-ID"]) == "d1-guest-talk")
    assert str(talk["LOCATION"]) == (
        "CEI International Affairs, Finca Agustí Pons - Av. Vallvidrera, 25 08017 Barcelona"
    )
    assert "Andrea Noferini" in str(talk["DESCRIPTION"])
    visit = next(e for e in events if str(e["X-COURSE-SCHEDULER-ID"]) == "d2-site-visit")
    assert "a bus will pick us up at CEI" in str(visit["DESCRIPTION"])  # its leg's note
    for line in data.split(b"\r\n"):
        assert len(line) <= 75


def test_ics_uids_do_not_depend_on_the_time(reference: tuple[Problem, Timetable]) -> None:
    problem, timetable = reference
    moved = Timetable(
        {
            ident: dataclasses.replace(p, start=p.start + 30, end=p.end + 30)
            for ident, p in timetable.placements.items()
        }
    )
    before = {str(e["UID"]) for e in ics_events(export(problem, timetable, "ics"))}
    after = {str(e["UID"]) for e in ics_events(export(problem, moved, "ics"))}
    assert before == after and len(before) == len(timetable)


def test_ics_escapes_text_and_reads_back_intact(hostile: tuple[Path, Problem, Timetable]) -> None:
    _, problem, timetable = hostile
    data = export(problem, timetable, "ics")
    unfolded = data.replace(b"\r\n ", b"")
    assert b"SUMMARY:Q&A \"live\" <script>alert(1)</script>\\, =cmd|' /C calc'!A0\\; " in unfolded
    assert b"Tea & coffee\\nsecond line\\; with\\, commas" in unfolded
    summaries = {str(e["X-COURSE-SCHEDULER-ID"]): str(e["SUMMARY"]) for e in ics_events(data)}
    assert summaries["d1-qa"] == HOSTILE_TITLE
    assert summaries["d1-coffee"] == NEWLINE_TITLE
    for ident, title in FORMULA_TITLES.items():
        assert summaries[ident] == title
    welcome = next(e for e in ics_events(data) if str(e["X-COURSE-SCHEDULER-ID"]) == "d1-welcome")
    assert str(welcome["LOCATION"]) == (
        'CEI <International> & "Affairs", Av. Vallvidrera, 25; 08017 Barcelona'
    )


@pytest.mark.parametrize("who", ["noferini", "Andrea Noferini", "andrea  noferini"])
def test_ics_for_one_person(reference: tuple[Problem, Timetable], who: str) -> None:
    problem, timetable = reference
    events = ics_events(export(problem, timetable, "ics", person=who))
    assert [str(e["X-COURSE-SCHEDULER-ID"]) for e in events] == ["d1-guest-talk", "d1-qa"]


def test_an_unknown_person_is_named_in_the_error(reference: tuple[Problem, Timetable]) -> None:
    problem, timetable = reference
    with pytest.raises(ProgrammeError, match=r"no person 'Nobody'.*noferini \(Andrea Noferini\)"):
        export(problem, timetable, "ics", person="Nobody")
    assert find_person(problem, "YUAN GAO") == "gao"


# --- frab ------------------------------------------------------------------------------------


def frab_validator() -> Any:
    if not SCHEMA.exists():
        pytest.skip(f"the c3voc schedule schema is not at {SCHEMA} (it lives in ../shared)")
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_frab_validates_against_the_c3voc_schema(reference: tuple[Problem, Timetable]) -> None:
    problem, timetable = reference
    document = json.loads(export(problem, timetable, "frab"))
    frab_validator().validate(document)
    conference = document["schedule"]["conference"]
    assert conference["title"] == problem.programme.course.title
    assert conference["time_zone_name"] == "Europe/Madrid"
    assert (conference["start"], conference["end"], conference["daysCount"]) == (
        "2024-11-18",
        "2024-11-22",
        5,
    )
    assert [d["date"] for d in conference["days"]] == [d.isoformat() for d in problem.dates]
    events = frab_events(document)
    assert len(events) == len(timetable)
    assert len({e["id"] for e in events}) == len(events)
    assert {r["name"] for r in conference["rooms"]} == {
        room for day in conference["days"] for room in day["rooms"]
    }
    talk = next(e for e in events if e["guid"] == str(activity_uuid(problem, "d1-guest-talk")))
    assert talk["persons"][0]["name"] == "Andrea Noferini"
    assert (talk["start"], talk["duration"], talk["track"]) == ("09:45", "01:15", "Guest talk")
    assert talk["room"] == "CEI International Affairs"
    assert {t["name"] for t in conference["tracks"]} == {e["track"] for e in events}
    assert "Q&A" in {e["track"] for e in events}
    texts = {str(activity_uuid(problem, a.id)): a for a in problem.programme.all_activities()}
    assert any(a.description for a in texts.values())
    for event in events:
        activity = texts.get(event["guid"])  # bus rides have no text of their own
        described = activity.description if activity else None
        if described:
            assert event["abstract"] == described
            assert event["description"].startswith(described)
    for event in events:
        dt.datetime.fromisoformat(event["date"])  # an ISO date-time with an offset
        assert dt.datetime.fromisoformat(event["date"]).utcoffset() is not None


def test_frab_keeps_hostile_text_and_stays_valid(hostile: tuple[Path, Problem, Timetable]) -> None:
    _, problem, timetable = hostile
    document = json.loads(export(problem, timetable, "frab"))
    frab_validator().validate(document)
    events = {e["guid"]: e for e in frab_events(document)}
    assert events[str(activity_uuid(problem, "d1-qa"))]["title"] == HOSTILE_TITLE
    talk = events[str(activity_uuid(problem, "d1-guest-talk"))]
    assert talk["persons"][0]["name"] == HOSTILE_PERSON


def test_frab_guids_survive_a_re_solve(reference: tuple[Problem, Timetable]) -> None:
    problem, timetable = reference
    moved = Timetable(
        {
            i: dataclasses.replace(p, start=p.start + 5, end=p.end + 5)
            for i, p in timetable.placements.items()
        }
    )
    ids = {
        (e["guid"], e["id"]) for e in frab_events(json.loads(export(problem, timetable, "frab")))
    }
    again = {(e["guid"], e["id"]) for e in frab_events(json.loads(export(problem, moved, "frab")))}
    assert ids == again


# --- png -------------------------------------------------------------------------------------


def test_png_is_a_readable_week_view(reference: tuple[Problem, Timetable]) -> None:
    from matplotlib.image import imread

    problem, timetable = reference
    data = export(problem, timetable, "png")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = imread(io.BytesIO(data), format="png")
    height, width = pixels.shape[:2]
    assert width > 1000 and height > 1000
    assert len({tuple(p) for p in pixels[::40, ::40].reshape(-1, pixels.shape[2])}) > 10


def test_png_draws_hostile_text_without_mathtext(hostile: tuple[Path, Problem, Timetable]) -> None:
    _, problem, timetable = hostile
    assert export(problem, timetable, "png")[:8] == b"\x89PNG\r\n\x1a\n"


# --- all formats agree -----------------------------------------------------------------------


def test_csv_ics_frab_and_xlsx_agree_on_the_reference(reference: tuple[Problem, Timetable]) -> None:
    from openpyxl import load_workbook

    problem, timetable = reference

    def at(date: str, hhmm: str) -> dt.datetime:
        return dt.datetime.fromisoformat(f"{date}T{hhmm}").replace(tzinfo=MADRID)

    from_csv = {
        row["id"]: (at(row["date"], row["start"]), at(row["date"], row["end"]))
        for row in csv_rows(export(problem, timetable, "csv"))
    }
    from_ics = {
        str(e["X-COURSE-SCHEDULER-ID"]): (e.decoded("DTSTART"), e.decoded("DTEND"))
        for e in ics_events(export(problem, timetable, "ics"))
    }
    guid_to_id = {str(activity_uuid(problem, p.activity)): p.activity for p in timetable}
    from_frab = {}
    for event in frab_events(json.loads(export(problem, timetable, "frab"))):
        start = dt.datetime.fromisoformat(event["date"])
        hours, minutes = (int(x) for x in event["duration"].split(":"))
        end = start + dt.timedelta(hours=hours, minutes=minutes)
        assert dt.datetime.fromisoformat(event["end"]) == end
        from_frab[guid_to_id[event["guid"]]] = (start, end)
    workbook = load_workbook(io.BytesIO(export(problem, timetable, "xlsx")))
    from_xlsx = {}
    for sheet in workbook.worksheets[1:]:
        for date, start, end, _, _, _, _, ident, _, _ in sheet.iter_rows(
            min_row=2, values_only=True
        ):
            day = date.date()
            from_xlsx[ident] = (
                dt.datetime.combine(day, start, tzinfo=MADRID),
                dt.datetime.combine(day, end, tzinfo=MADRID),
            )
    expected = expected_times(problem, timetable)
    assert len(expected) == len(problem.items) == 50  # 46 activities and 4 bus rides
    assert from_csv == expected
    assert from_ics == expected
    assert from_frab == expected
    assert from_xlsx == expected


# --- the command -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_export_command_writes_the_same_bytes_as_the_api(
    reference: tuple[Problem, Timetable], tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"programme{FORMATS[fmt].suffix}"
    before = REFERENCE.read_bytes()
    assert run_cli(["export", str(REFERENCE), "--format", fmt, "--out", str(out)]) == 0
    assert out.read_bytes() == export(*reference, fmt)
    assert REFERENCE.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no temporary left behind


def test_export_command_prints_text_formats(
    reference: tuple[Problem, Timetable], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert run_cli(["export", str(REFERENCE), "--format", "ics", "--person", "Yuan Gao"]) == 0
    assert capsysbinary.readouterr().out == export(*reference, "ics", person="gao")


def test_export_command_replaces_only_the_named_file(tmp_path: Path) -> None:
    out = tmp_path / "week.csv"
    out.write_text("old content", encoding="utf-8")
    neighbour = tmp_path / "programme.csv"
    assert run_cli(["export", str(REFERENCE), "--format", "csv", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("date,start,end,title")
    assert not neighbour.exists()


def test_export_command_refuses_unusable_requests(tmp_path: Path) -> None:
    copy = tmp_path / "programme.yaml"
    copy.write_bytes(REFERENCE.read_bytes())
    before = copy.read_bytes()
    assert run_cli(["export", str(copy), "--format", "html", "--out", str(copy)]) == 2
    assert copy.read_bytes() == before
    assert run_cli(["export", str(copy), "--format", "png"]) == 2  # binary needs --out
    assert run_cli(["export", str(copy), "--format", "csv", "--out", str(tmp_path)]) == 2
    missing = tmp_path / "missing" / "out.csv"
    assert run_cli(["export", str(copy), "--format", "csv", "--out", str(missing)]) == 2
    assert run_cli(["export", str(tmp_path / "nope.yaml"), "--format", "csv"]) == 2
    assert run_cli(["export", str(copy), "--format", "csv", "--person", "Nobody"]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["programme.yaml"]


def test_xlsx_archive_has_fixed_timestamps(reference: tuple[Problem, Timetable]) -> None:
    archive = zipfile.ZipFile(io.BytesIO(export(*reference, "xlsx")))
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.parametrize(
    ("title", "expected"),
    [  # titles of 38C3's schedule (../shared/real_schedules/38c3_schedule.xml) and of ours
        ("Der Thüring-Test für Wahlsoftware", "der-thuring-test-fur-wahlsoftware"),
        ("Fnord-Nachrichtenrückblick 2024", "fnord-nachrichtenruckblick-2024"),
        ("Plaza Cataluña at 17.00h", "plaza-cataluna-at-17-00h"),
        ("Straße nach Łódź, Ærø and Œuvre", "strasse-nach-lodz-aero-and-oeuvre"),
        ("酒店-克兰菲尔德大学", ""),
    ],
)
def test_a_slug_keeps_accented_letters_as_their_base_letter(title: str, expected: str) -> None:
    """Before: 'der-th-ring-test-f-r-wahlsoftware'; a script with no Latin letters leaves
    nothing, and the frab export then numbers the event instead."""
    assert slug(title) == expected
