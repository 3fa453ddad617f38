"""One event per event, under its conference day, in every format.

A conference day runs past midnight (38C3's until 6:00), so an event at 0:30, or one from
23:00 to 2:00 that the import split at midnight, belongs to the evening before. Each format
is read here on its own terms, as a reader of that file would: CSV and XLSX by their date and
times (a time past midnight counts on from the day's date: "24:30"), Markdown, HTML and
``show`` by their day headings and printed clock times (a start earlier than the hour the
source's day begins is in the small hours after it; an end not after the start is the next
day), ICS by its instants, frab by its days. Every reading must give the events of the source
file, read independently of the library (``real_schedules``): each once, under the frab day
the file lists it in (that day's local date), with its start and end. On the real schedules
of ../shared/real_schedules, the trimmed 39C3 fixture and generated schedules with nights.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_scheduler.compile import compile_programme
from course_scheduler.exports import entries, export
from course_scheduler.exports.days import day_tables
from course_scheduler.importers import read_schedule
from course_scheduler.loading import load
from course_scheduler.timetable import published_timetable

from .real_schedules import FILES, Source, read_source, real_file
from .test_examples import EVERY_EXAMPLE, _programme

CCC39 = Path(__file__).parent / "fixtures" / "conferences" / "39c3_trimmed.xml"
DAY = 24 * 60
FORMULA = ("=", "+", "-", "@", "\t", "\r")

Event = tuple[dt.date, str, dt.datetime, dt.datetime]
"""(day it is listed under, title, start, end), instants in UTC."""


def norm(title: str) -> str:
    return " ".join(title.split())


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def at(date: dt.date, minutes: int, zone: dt.tzinfo) -> dt.datetime:
    """``minutes`` after midnight of ``date`` on the local wall clock (past 24:00 is later)."""
    naive = dt.datetime.combine(date, dt.time()) + dt.timedelta(minutes=minutes)
    return utc(naive.replace(tzinfo=zone))


def clock(text: str) -> int:
    hours, minutes = text.strip().split(":")
    return int(hours) * 60 + int(minutes)


# --- what the source says --------------------------------------------------------------------


def local_zone(source: Source) -> dt.tzinfo:
    """The file's time zone; without one, the one UTC offset all its dates carry (rC3)."""
    if source.zone is not None:
        return source.zone
    offsets = {event.start.utcoffset() for event in source.events}
    assert len(offsets) == 1 and None not in offsets, offsets
    return dt.timezone(next(iter(offsets)) or dt.timedelta())


def expected(source: Source) -> Counter[Event]:
    """Each event of the file under its frab day, as the date that day starts on locally."""
    zone = local_zone(source)
    result: Counter[Event] = Counter()
    for event in source.events:
        assert event.day_start is not None
        day = event.day_start.astimezone(zone).date()
        result[(day, norm(event.title), utc(event.start), utc(event.end))] += 1
    return result


def day_starts(source: Source) -> dict[dt.date, int]:
    """Each frab day's local date and the minute after midnight it begins."""
    starts = {}
    for event in source.events:
        assert event.day_start is not None
        local = event.day_start.astimezone(local_zone(source))
        starts[local.date()] = local.hour * 60 + local.minute
    return starts


# --- each format, read on its own terms ------------------------------------------------------


def cell_text(value: object) -> str:
    """A spreadsheet cell as written before the export neutralised a formula start."""
    text = str(value or "")
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA) else text


def from_csv(data: bytes, zone: dt.tzinfo) -> Counter[Event]:
    result: Counter[Event] = Counter()
    for row in csv.DictReader(io.StringIO(data.decode("utf-8"))):
        date = dt.date.fromisoformat(row["date"])
        start, end = at(date, clock(row["start"]), zone), at(date, clock(row["end"]), zone)
        result[(date, norm(cell_text(row["title"])), start, end)] += 1
    return result


def from_xlsx(data: bytes, zone: dt.tzinfo) -> Counter[Event]:
    from openpyxl import load_workbook

    def minutes(value: object) -> int:
        if isinstance(value, dt.time):
            return value.hour * 60 + value.minute
        assert isinstance(value, str), value  # 24:00 and later are text
        return clock(value)

    result: Counter[Event] = Counter()
    for sheet in load_workbook(io.BytesIO(data)).worksheets[1:]:
        for row in sheet.iter_rows(min_row=2, values_only=True):
            assert isinstance(row[0], dt.datetime)
            date = row[0].date()
            start, end = at(date, minutes(row[1]), zone), at(date, minutes(row[2]), zone)
            result[(date, norm(cell_text(row[3])), start, end)] += 1
    return result


_HEADING = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) (\d{1,2}) (\w+) (\d{4})"
)


def heading_date(text: str) -> dt.date | None:
    match = _HEADING.search(text)
    if match is None:
        return None
    return dt.datetime.strptime(" ".join(match.groups()), "%d %B %Y").date()


def printed(
    date: dt.date, when: str, starts: dict[dt.date, int], zone: dt.tzinfo
) -> tuple[dt.datetime, dt.datetime]:
    """The instants a printed "23:00 - 2:00" means under the day of ``date``."""
    first, _, last = when.partition(" - ")
    start = clock(first)
    if start < starts[date]:
        start += DAY  # before the day begins: in the small hours after it
    end = clock(last) + start // DAY * DAY
    if end <= start:
        end += DAY
    return at(date, start, zone), at(date, end, zone)


def from_markdown(data: bytes, zone: dt.tzinfo, starts: dict[dt.date, int]) -> Counter[Event]:
    result: Counter[Event] = Counter()
    date = None
    for line in data.decode("utf-8").splitlines():
        if line.startswith("## "):
            date = heading_date(line)
        elif line.startswith("| ") and not line.startswith("| Time |"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            assert date is not None
            title = re.sub(r"\\(.)", r"\1", cells[1].removeprefix("↳ ")).replace("<br>", " ")
            start, end = printed(date, cells[0], starts, zone)
            result[(date, norm(title), start, end)] += 1
    return result


class _Brochure(HTMLParser):
    """(day heading, time, title) of every row of every day's table."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[str, str, str]] = []
        self.heading = ""
        self.field: str | None = None
        self.time = self.title = ""
        self.in_row = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "h2":
            self.heading, self.field = "", "heading"
        elif tag == "tr" and (attributes.get("id") or "").startswith("activity-"):
            self.in_row, self.time, self.title = True, "", ""
        elif self.in_row and tag == "td" and "time" in classes:
            self.field = "time"
        elif self.in_row and tag == "span" and "multiline" in classes and not self.title:
            self.field = "title"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "td", "span"):
            self.field = None
        if tag == "tr" and self.in_row:
            self.rows.append((self.heading, self.time, self.title))
            self.in_row = False

    def handle_data(self, data: str) -> None:
        if self.field == "heading":
            self.heading += data
        elif self.field == "time":
            self.time += data
        elif self.field == "title":
            self.title += data


def from_html(data: bytes, zone: dt.tzinfo, starts: dict[dt.date, int]) -> Counter[Event]:
    brochure = _Brochure()
    brochure.feed(data.decode("utf-8"))
    result: Counter[Event] = Counter()
    for heading, time, title in brochure.rows:
        # "Friday 27 December <span>2024</span>": the year follows the day in the heading
        words = heading.split()
        date = heading_date(" ".join(words[:3] + [w for w in words[3:] if w.isdigit()][:1]))
        assert date is not None, heading
        start, end = printed(date, time.strip(), starts, zone)
        result[(date, norm(title), start, end)] += 1
    return result


_SHOWN = re.compile(r"^  (\d+:\d\d - \d+:\d\d)\s+(.*)$")


def from_show(text: str, zone: dt.tzinfo, starts: dict[dt.date, int]) -> Counter[Event]:
    result: Counter[Event] = Counter()
    date = None
    for line in text.splitlines():
        if line and not line.startswith(" "):
            date = heading_date(line) or date
            continue
        match = _SHOWN.match(line)
        if match is None:
            continue
        assert date is not None
        start, end = printed(date, match.group(1), starts, zone)
        result[(date, norm(match.group(2)), start, end)] += 1
    return result


def from_ics(data: bytes) -> Counter[tuple[str, dt.datetime, dt.datetime]]:
    from icalendar import Calendar

    return Counter(
        (norm(str(e["SUMMARY"])), utc(e.decoded("DTSTART")), utc(e.decoded("DTEND")))
        for e in Calendar.from_ical(data).walk("VEVENT")
    )


def from_frab_xml(data: bytes) -> Counter[Event]:
    result: Counter[Event] = Counter()
    for day in ET.fromstring(data).iter("day"):
        date = dt.date.fromisoformat(day.get("date", ""))
        for event in day.iter("event"):
            start = dt.datetime.fromisoformat(event.findtext("date") or "")
            end = start + dt.timedelta(minutes=clock(event.findtext("duration") or ""))
            result[(date, norm(event.findtext("title") or ""), utc(start), utc(end))] += 1
    return result


def from_frab_json(data: bytes) -> Counter[Event]:
    result: Counter[Event] = Counter()
    for day in json.loads(data)["schedule"]["conference"]["days"]:
        date = dt.date.fromisoformat(day["date"])
        for events in day["rooms"].values():
            for event in events:
                start = dt.datetime.fromisoformat(event["date"])
                end = start + dt.timedelta(minutes=clock(event["duration"]))
                result[(date, norm(event["title"]), utc(start), utc(end))] += 1
    return result


# --- the comparison --------------------------------------------------------------------------


def listings(path: Path) -> Iterator[tuple[str, Counter[Event]]]:
    """Every format's reading of the timetable imported from ``path``."""
    source = read_source(path)
    zone, starts = local_zone(source), day_starts(source)
    problem = compile_programme(read_schedule(path).programme)
    timetable = published_timetable(problem)
    readers: dict[str, Callable[[bytes], Counter[Event]]] = {
        "csv": lambda data: from_csv(data, zone),
        "xlsx": lambda data: from_xlsx(data, zone),
        "md": lambda data: from_markdown(data, zone, starts),
        "html": lambda data: from_html(data, zone, starts),
        "frab-xml": from_frab_xml,
        "frab-json": from_frab_json,
    }
    for fmt, read in readers.items():
        yield fmt, read(export(problem, timetable, fmt))
    yield "show", from_show(day_tables(problem, timetable), zone, starts)
    yield "ics", _undated(from_ics(export(problem, timetable, "ics")))


def _undated(
    calendar: Counter[tuple[str, dt.datetime, dt.datetime]],
) -> Counter[tuple[dt.date, str, dt.datetime, dt.datetime]]:
    """A calendar has no conference days: every event under one stand-in date."""
    return Counter({(dt.date.min, t, s, e): n for (t, s, e), n in calendar.items()})


def assert_every_format_lists_the_source(path: Path) -> None:
    want = expected(read_source(path))
    undated = Counter({(dt.date.min, t, s, e): n for (_, t, s, e), n in want.items()})
    for fmt, got in listings(path):
        target = undated if fmt == "ics" else want
        assert sum(got.values()) == sum(target.values()), fmt
        missing, extra = target - got, got - target
        assert not missing and not extra, (fmt, sorted(missing)[:3], sorted(extra)[:3])


@pytest.mark.parametrize("name", [*FILES, "39c3"])
def test_every_format_lists_each_event_once_under_its_conference_day(name: str) -> None:
    assert_every_format_lists_the_source(CCC39 if name == "39c3" else real_file(name))


def test_an_event_past_midnight_is_one_row_under_the_evening_before() -> None:
    """38C3's 'Nintendo Karaoke' (Fri 23:00 to Sat 2:00) and the night after it, as printed."""
    problem = compile_programme(read_schedule(real_file("38c3")).programme)
    timetable = published_timetable(problem)
    rows = list(csv.DictReader(io.StringIO(export(problem, timetable, "csv").decode("utf-8"))))
    karaoke = [r for r in rows if r["title"] == "Nintendo Karaoke"]
    assert [(r["date"], r["start"], r["end"]) for r in karaoke] == [
        ("2024-12-27", "23:00", "26:00")
    ]
    shown = day_tables(problem, timetable).splitlines()
    friday = shown.index("Friday 27 December 2024")
    saturday = shown.index("Saturday 28 December 2024")
    assert "  23:00 - 2:00    Nintendo Karaoke" in shown[friday:saturday]
    assert not any("Nintendo Karaoke" in line for line in shown[saturday:])
    # the small hours follow the evening, in time order, before the next day's heading
    night = [line for line in shown[friday:saturday] if re.match(r"  [0-5]:\d\d - ", line)]
    assert night and shown.index(night[0]) > shown.index("  23:00 - 2:00    Nintendo Karaoke")
    assert len(rows) == len(read_source(real_file("38c3")).events) == 1007


# --- generated schedules with nights ---------------------------------------------------------

ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata")
FIRST = dt.date(2024, 12, 27)  # no clock change near it in any of the zones


@st.composite
def night_schedules(draw: st.DrawFn) -> str:
    """A frab XML schedule whose days run from the morning to a day change after midnight,
    events back to back or with gaps in each room, some at or across midnight, some in the
    small hours after the last day; days may skip a date."""
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    change = draw(st.integers(2, 6)) * 60
    opens = draw(st.integers(8, 11)) * 60
    offsets = sorted(draw(st.sets(st.integers(0, 4), min_size=1, max_size=3)))
    rooms = draw(st.integers(1, 3))
    number = 0
    days = []
    for index, offset in enumerate(offsets, start=1):
        date = FIRST + dt.timedelta(days=offset)
        begin, end = at(date, opens, zone), at(date, DAY + change, zone)
        body = []
        for room in range(1, rooms + 1):
            events = []
            start = opens + draw(st.integers(0, 36)) * 5
            while start < DAY + change and len(events) < 8:
                minutes = draw(st.integers(1, 60)) * 5
                number += 1
                moment = dt.datetime.combine(date, dt.time()) + dt.timedelta(minutes=start)
                events.append(
                    f'<event id="{number}" guid="00000000-0000-4000-8000-{number:012d}">'
                    f"<date>{moment.replace(tzinfo=zone).isoformat()}</date>"
                    f"<start>{moment:%H:%M}</start>"
                    f"<duration>{minutes // 60:02d}:{minutes % 60:02d}</duration>"
                    f"<room>Hall {room}</room><title>Session {number}</title><subtitle/>"
                    "<track>Talks</track><type>Talk</type><abstract/><description/>"
                    "<persons/></event>"
                )
                start += minutes + draw(st.sampled_from([0, 0, 5, 30, 90, 240]))
            body.append(f'<room name="Hall {room}">{"".join(events)}</room>')
        opening, closing = begin.astimezone(zone).isoformat(), end.astimezone(zone).isoformat()
        days.append(
            f'<day index="{index}" date="{date.isoformat()}" start="{opening}" end="{closing}">'
            f"{''.join(body)}</day>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<schedule><version>1</version><conference>'
        f"<acronym>nights</acronym><title>Nights</title><time_zone_name>{zone.key}"
        f"</time_zone_name></conference>{''.join(days)}</schedule>\n"
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(night_schedules())
def test_generated_nights_list_each_event_once_under_its_day(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "schedule.xml"
        path.write_text(text, encoding="utf-8")
        assert_every_format_lists_the_source(path)


# --- course programmes: calendar days, as before ---------------------------------------------


@pytest.mark.parametrize("name", EVERY_EXAMPLE)
def test_a_programme_without_day_change_lists_each_activity_on_its_own_date(name: str) -> None:
    """No ``day_change``: every row is its activity's date and times, every day is listed."""
    problem = compile_programme(load(_programme(name)))
    assert problem.programme.course.day_change is None
    timetable = published_timetable(problem)
    listed = [e for e in entries(problem, timetable) if e.placement is not None]
    assert len(listed) == len(timetable)
    for entry in listed:
        placement = timetable.placements[entry.id]
        assert (entry.date, entry.start) == (placement.date, placement.start)
        assert entry.end in (None, placement.end)
    shown = day_tables(problem, timetable)
    assert all(f"{d:%A} {d.day} {d:%B} {d.year}" in shown for d in problem.dates)
