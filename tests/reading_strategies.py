"""Generated programmes with every construct one reading must hold for (issue 25): open ends
(with and without a least ``duration``), untimed items, blocks with sequential and parallel
parts, a sub-group's own activities, optional activities and a bus with a departure window.

Each day is laid out row by row, one thing at a time for the cohort, so the printed programme
is consistent: every hard rule holds at the printed times, an open end's reading is the time
until the next row. Times are printed on most rows and pinned on some; the rest are left to
the solver (``pinned: false`` or a duration only).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from course_scheduler.clock import format_clock
from tests.strategies import date, rng

VENUES = [
    {"id": "hall", "name": "Main Hall", "address": "1 Main Street"},
    {"id": "annex", "name": "Annex", "address": "3 Side Street"},
    {"id": "farm", "name": "Hill Farm", "kind": "site", "address": "Farm Road"},
]
TRAVEL = [
    {"between": ["hall", "annex"], "minutes": 10},
    {"between": ["hall", "farm"], "minutes": 40},
    {"between": ["annex", "farm"], "minutes": 45},
]
PEOPLE = [
    {"id": "ada", "name": "Ada Lovelace"},
    {"id": "alan", "name": "Alan Turing"},
    {"id": "grace", "name": "Grace Hopper"},
]
RULES = [
    {"id": "day", "kind": "day_window"},
    {"id": "one-thing", "kind": "no_overlap", "resource": "group"},
    {"id": "one-place", "kind": "no_overlap", "resource": "person"},
    {"id": "rooms", "kind": "no_overlap", "resource": "room"},
    {"id": "travel", "kind": "travel_time"},
    {"id": "transport", "kind": "transport"},
]


@st.composite
def reading_programmes(draw: st.DrawFn) -> dict[str, Any]:
    """A programme (as data) whose printed times keep every hard rule."""
    n_days = draw(st.integers(1, 2))
    days: list[dict[str, Any]] = []
    transport: list[dict[str, Any]] = []
    for d in range(n_days):
        activities: list[dict[str, Any]] = []
        cursor = 9 * 60
        place = "hall"
        bus = d == 0 and draw(st.booleans())
        n_rows = draw(st.integers(2, 5))
        bus_at = draw(st.integers(0, n_rows - 1)) if bus else None
        for k in range(n_rows):
            ident = f"d{d}r{k}"
            if k == bus_at:
                cursor, place = _bus(draw, ident, d, cursor, place, activities, transport)
                continue
            cursor, place = _row(draw, ident, d, cursor, place, activities)
            if draw(st.integers(0, 3)) == 0:  # a line with no time at all
                activities.append(
                    {"id": f"{ident}-note", "title": f"Notice {d}.{k}", "kind": "other"}
                )
        days.append(
            {
                "date": date(d),
                "venue": "hall",
                "window": rng(8 * 60, max(cursor, 18 * 60) + 60),
                "activities": activities,
            }
        )
    _open_last(draw, days)
    return {
        "venues": VENUES,
        "travel": TRAVEL,
        "people": PEOPLE,
        "groups": [
            {"id": "cohort", "name": "Participants"},
            {"id": "steering", "name": "Steering group", "part_of": "cohort"},
        ],
        "days": days,
        "transport": transport,
        "rules": [r for r in RULES if r["id"] != "transport" or transport],
    }


def _printed(draw: st.DrawFn, activity: dict[str, Any], start: int, end: int) -> None:
    """A printed time (pinned or a usual one), or only a duration."""
    way = draw(st.sampled_from(["pinned", "usual", "duration"]))
    if way == "duration":
        activity["duration"] = end - start
    else:
        activity["time"] = rng(start, end)
        activity["pinned"] = way == "pinned"


def _row(
    draw: st.DrawFn,
    ident: str,
    d: int,
    cursor: int,
    place: str,
    activities: list[dict[str, Any]],
) -> tuple[int, str]:
    """One thing the cohort does (or, for a sub-group or an optional activity, those who
    attend it while the others wait), then the time to the next row."""
    shape = draw(st.sampled_from(["plain", "plain", "open", "block", "steering", "optional"]))
    length = draw(st.integers(2, 8)) * 15
    venue = draw(st.sampled_from(["hall", "hall", "annex"]))
    cursor += TRAVEL_MINUTES[(place, venue)] if place != venue else 0
    start, end = cursor, cursor + length
    activity: dict[str, Any] = {
        "id": ident,
        "title": f"Session {ident}",
        "kind": draw(st.sampled_from(["talk", "workshop", "coffee_break", "lunch"])),
        "venue": venue,
    }
    if draw(st.booleans()):
        activity["people"] = [draw(st.sampled_from([p["id"] for p in PEOPLE]))]
    if shape == "open":
        activity["time"] = f"{format_clock(start)} -"
        activity["pinned"] = draw(st.booleans())
        if draw(st.booleans()):  # its least length, no longer than its row
            activity["duration"] = draw(st.integers(1, length // 15)) * 15
        activities.append(activity)
        # the next row starts when it ends: the open end is read until then
        return end, venue
    _printed(draw, activity, start, end)
    if shape == "steering":
        activity["groups"] = ["steering"]
    if shape == "optional":
        activity["optional"] = True
    activities.append(activity)
    if shape == "block":
        activity.pop("people", None)
        _parts(draw, ident, activity, start, end, activities)
    gap = draw(st.integers(0, 2)) * 15
    return end + gap, venue


TRAVEL_MINUTES = {
    (a, b): link["minutes"] for link in TRAVEL for a, b in (link["between"], link["between"][::-1])
}


def _parts(
    draw: st.DrawFn,
    ident: str,
    block: dict[str, Any],
    start: int,
    end: int,
    activities: list[dict[str, Any]],
) -> None:
    """Two or three parts: side by side (``parallel: true``) or one after another in the
    order they are listed, each with its time or only a duration."""
    parallel = draw(st.booleans())
    if parallel:
        block["parallel"] = True
    n = draw(st.integers(2, 3))
    cursor = start
    for k in range(n):
        if parallel:
            a, b = start, end - draw(st.integers(0, (end - start) // 30)) * 15
        else:
            share = (end - start) // n
            a, b = cursor, cursor + share
            cursor = b
        part: dict[str, Any] = {
            "id": f"{ident}p{k}",
            "title": f"Part {k} of {ident}",
            "kind": "talk",
            "block": ident,
            "people": [PEOPLE[k]["id"]],
        }
        if draw(st.integers(0, 3)) == 0:
            part["time"] = f"{format_clock(a)} -"  # a part printed with no end
            if not parallel and k == n - 1:
                part["time"] = rng(a, b)
        else:
            _printed(draw, part, a, b)
        activities.append(part)


def _bus(
    draw: st.DrawFn,
    ident: str,
    d: int,
    cursor: int,
    place: str,
    activities: list[dict[str, Any]],
    transport: list[dict[str, Any]],
) -> tuple[int, str]:
    """A bus to the farm with a departure window around the departure that works, a visit
    there, and the ride back at a printed time (or none)."""
    origin = "hall"
    cursor += TRAVEL_MINUTES[(place, origin)] if place != origin else 0
    depart = cursor
    ride = TRAVEL_MINUTES[(origin, "farm")]
    visit_start = depart + ride + draw(st.integers(0, 1)) * 15
    visit_end = visit_start + draw(st.integers(4, 8)) * 15
    leg: dict[str, Any] = {
        "id": f"bus{d}",
        "title": "Bus to the farm",
        "date": date(d),
        "from": origin,
        "to": "farm",
        "depart_window": rng(depart - draw(st.integers(1, 2)) * 15, depart),
        "ride_minutes": ride,
    }
    back = visit_end + draw(st.integers(0, 1)) * 15
    leg["return"] = {"depart": format_clock(back)} if draw(st.booleans()) else {}
    transport.append(leg)
    visit: dict[str, Any] = {
        "id": ident,
        "title": "Visit to the farm",
        "kind": "site_visit",
        "venue": "farm",
        "transport": leg["id"],
    }
    if draw(st.booleans()):
        visit["time"] = rng(visit_start, visit_end)
        visit["pinned"] = draw(st.booleans())
    else:
        visit["time"] = f"{format_clock(visit_start)} -"
        visit["duration"] = visit_end - visit_start
    activities.append(visit)
    return back + ride + 15, origin


def _open_last(draw: st.DrawFn, days: list[dict[str, Any]]) -> None:
    """Sometimes a day's last line is printed with no end: it lasts until the day's end."""
    for day in days:
        timed = [a for a in day["activities"] if "time" in a and "block" not in a]
        last = timed[-1] if timed else None
        if last is not None and "transport" not in last and draw(st.integers(0, 2)) == 0:
            start = last["time"].split(" -")[0]
            last["time"] = f"{start} -"
            last.pop("duration", None)
