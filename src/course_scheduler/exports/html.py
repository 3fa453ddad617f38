"""HTML: the printable programme, laid out like the printed brochure.

The page is one self-contained file (inline CSS, no script, no external resource) that prints
on A4: the overview grid of the week (knowledge session, skills session and afternoon of each
day) when the programme has modules, else a list of its days; then each day on its own page
(date, theme, description, venue, the ``Time | Item`` table, the transport of the day), then the
visits. It speaks the file's words: a day is "Day 1" only when the file labels it so, the
overview's labels come from its modules, the visits are "Afternoon visits" only when its
modules name afternoons. Every line of a day is shown (``exports.entries``): "from 17:30" for
an item with no printed end, untimed items where the file lists them, deadlines at their time,
who an item is for; a conference's days are its conference days (``midnight``). The template
is ``templates/programme.html.j2``, rendered by jinja2 with autoescaping: this module passes
plain strings and never marks anything safe, so every user string is escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..vocabulary import Category
from . import (
    Details,
    Entry,
    day_heading,
    details,
    entries,
    entry_people,
    for_whom,
    kind_colour,
    kind_title,
    time_range,
    transport_note,
    where,
)
from .midnight import listed_dates

if TYPE_CHECKING:
    from ..compile import Problem
    from ..timetable import Placement, Timetable

TEMPLATE = "programme.html.j2"
VISIT_CATEGORIES = frozenset({Category.VISIT, Category.SOCIAL})
"""What the visits page tells: visits and outings, and social events (a networking event)."""


def render(problem: Problem, timetable: Timetable, *, person: str | None = None) -> bytes:
    return programme_html(problem, timetable, person=person).encode("utf-8")


def programme_html(problem: Problem, timetable: Timetable, *, person: str | None = None) -> str:
    from importlib.resources import files

    import jinja2

    source = files(__package__).joinpath("templates", TEMPLATE).read_text(encoding="utf-8")
    environment = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.from_string(source).render(**context(problem, timetable, person))


def context(problem: Problem, timetable: Timetable, person: str | None) -> dict[str, Any]:
    """Everything the template shows, as plain strings, lists and dicts."""
    programme = problem.programme
    course = programme.course
    notes = details(problem)
    placements_by_date: dict[object, list[Placement]] = {}
    for placement in timetable:
        placements_by_date.setdefault(placement.date, []).append(placement)
    entries_by_date: dict[object, list[Entry]] = {}
    listed = entries(problem, timetable, person=person)
    for entry in listed:
        entries_by_date.setdefault(entry.date, []).append(entry)
    shown = listed_dates(problem, timetable, (entry.date for entry in listed))
    visits = _visits(problem, timetable, notes)
    visit_of_day = {visit["date"]: visit for visit in visits}
    days = []
    for index, date in enumerate(problem.dates):
        if date not in shown:
            continue
        day = programme.days[index]
        venue = problem.venues[day.venue] if day.venue else None
        placements = placements_by_date.get(date, [])
        days.append(
            {
                "index": index,
                "anchor": f"day-{index + 1}",
                "label": day.label or "",
                "heading": day_heading(date, year=False),
                "year": str(date.year),
                "theme": day.theme or "",
                "description": day.description or "",
                "note": day.note or "",
                "venue": venue.name if venue else "",
                "address": (venue.address or "") if venue else "",
                "rows": [
                    _row(problem, entry, day.venue, notes)
                    for entry in entries_by_date.get(date, [])
                    if entry.placement is None or _shown(problem, entry.placement)
                ],
                "transport": _transport(problem, placements),
                "visit": visit_of_day.get(date.isoformat()),
            }
        )
    return {
        "title": course.title,
        "organiser": course.organiser or "",
        "location": course.location or "",
        "course_note": course.note or "",
        "person": problem.people[person].name if person else "",
        "overview": _overview(problem, days),
        "days": days,
        "visits": visits,
        "visits_heading": "Afternoon visits"
        if any(m.afternoon for m in programme.modules)
        else "Visits",
        "legend": _legend(problem, timetable),
    }


def _shown(problem: Problem, placement: Placement) -> bool:
    """A bus ride inside a visit's printed time is told under Transport, not as a row."""
    from ..compile import hidden_in_container

    return not hidden_in_container(problem, problem.item(placement.activity))


def _row(problem: Problem, entry: Entry, day_venue: str | None, notes: Details) -> dict[str, str]:
    """A line of the day's table. The place is told only when it is not the day's venue (and
    not already in the title: "Free time at the beach" is not followed by "at the beach")."""
    item = entry.item
    ride = item is not None and item.ride is not None
    title = entry.title
    names = [n for n in entry_people(problem, entry) if n.casefold() not in title.casefold()]
    place = where(problem, entry)
    shown = ""
    elsewhere = entry.venue != day_venue or entry.online or bool(entry.alternatives)
    if place and (elsewhere or ride) and place.casefold() not in title.casefold():
        preposition = "from" if ride else ("" if entry.online else "at")
        shown = f"{preposition} {place}".strip()
    description, _ = notes.get(entry.id, (None, None))
    visit = _is_visit(problem, entry.kind)
    meta = [
        x
        for x in (shown, f"with {', '.join(names)}" if names else "", for_whom(problem, entry))
        if x
    ]
    return {
        "id": entry.id,
        "time": entry.when,
        "title": title,
        "kind": entry.kind,
        "kind_label": kind_title(problem, entry.kind)
        if entry.kind in problem.kinds
        else "Deadline",
        "colour": kind_colour(problem, entry.kind),
        "meta": " · ".join(meta),
        "transport": "yes" if ride else "",
        "part": "yes" if entry.in_block else "",
        "visit": "yes" if visit and entry.placement is not None else "",
        "description": "" if visit and entry.placement is not None else (description or ""),
    }


def _is_visit(problem: Problem, kind: str) -> bool:
    info = problem.kinds.get(kind)
    return info is not None and info.category in VISIT_CATEGORIES


def _transport(problem: Problem, placements: list[Placement]) -> list[dict[str, str]]:
    """Each transport leg ridden that day: its times as placed, its stops and its note."""
    from ..clock import format_clock

    rides: dict[str, dict[str, Placement]] = {}
    for placement in placements:
        item = problem.item(placement.activity)
        if item.ride is not None:
            rides.setdefault(item.ride[0], {})[item.ride[1]] = placement
    result = []
    for leg_model in problem.programme.transport:
        if leg_model.id not in rides:
            continue
        leg = problem.legs[leg_model.id]
        times = rides[leg.id]
        parts = []
        if "out" in times:
            out = times["out"]
            parts.append(
                f"{leg_model.mode.capitalize()} leaves {problem.venues[leg.origin].name} at "
                f"{format_clock(out.start)} and arrives at {problem.venues[leg.destination].name} "
                f"around {format_clock(out.end)}."
            )
        if "back" in times:
            back = times["back"]
            stops = ", ".join(problem.venues[s].name for s in leg.drop_offs)
            parts.append(
                f"Return at {format_clock(back.start)}, back around {format_clock(back.end)} "
                f"(stops: {stops})."
            )
        result.append({"title": leg.title, "times": " ".join(parts), "note": leg_model.note or ""})
    return result


def _visits(problem: Problem, timetable: Timetable, notes: Details) -> list[dict[str, Any]]:
    """The afternoon visits page: one entry per day with visits or networking events, marked
    *, **, ... in day order, as the brochure marks its afternoons. The same marker stands in the
    overview's afternoon cell and after each of that day's rows, and links to the entry, which
    tells each of the day's visits (time, place, description) and its buses' notes once."""
    by_date: dict[str, list[Placement]] = {}
    for placement in timetable:
        if _is_visit(problem, problem.item(placement.activity).kind):
            by_date.setdefault(placement.date.isoformat(), []).append(placement)
    modules = {m.id: m for m in problem.programme.modules}
    visits: list[dict[str, Any]] = []
    for date, placements in by_date.items():
        day = problem.day_of_date[placements[0].date]
        module_id = problem.day_modules[day]
        module = modules.get(module_id) if module_id else None
        items = []
        transport: list[str] = []
        for placement in placements:
            item = problem.item(placement.activity)
            note = transport_note(problem, notes, item)
            if note and note not in transport:
                transport.append(note)
            items.append(
                {
                    "id": item.id,
                    "title": item.title,
                    "time": time_range(placement, item),
                    "where": problem.venues[placement.venue].name if placement.venue else "",
                    "description": notes.get(item.id, (None, None))[0] or "",
                }
            )
        first = items[0]["title"]
        visits.append(
            {
                "anchor": f"visits-{date}",
                "marker": "*" * (len(visits) + 1),
                "title": (module.afternoon if module and module.afternoon else None) or first,
                "date": date,
                "heading": day_heading(placements[0].date, year=False),
                "items": items,
                "transport": transport,
            }
        )
    return visits


def _overview(problem: Problem, days: list[dict[str, Any]]) -> dict[str, Any]:
    """The week grid: a column per day; rows for the sessions and the afternoon."""
    modules = {m.id: m for m in problem.programme.modules}
    columns = []
    for day in days:
        module_id = problem.day_modules[day["index"]]
        module = modules.get(module_id) if module_id else None
        number = f" {module.number}" if module is not None and module.number is not None else ""
        visit = day["visit"]
        columns.append(
            {
                "label": day["label"] or day["heading"],
                "heading": day["heading"],
                "anchor": day["anchor"],
                "knowledge": module.knowledge_session if module else "",
                "knowledge_label": f"Knowledge Session{number}",
                "skills": (module.skills_session or "") if module else "",
                "skills_label": f"Skills Session{number}",
                "afternoon": (module.afternoon or "") if module else "",
                "visit_anchor": visit["anchor"] if visit else "",
                "visit_marker": visit["marker"] if visit else "",
            }
        )
    return {
        "columns": columns,
        "modules": bool(modules),
        "has_knowledge": any(c["knowledge"] for c in columns),
        "has_skills": any(c["skills"] for c in columns),
        "has_afternoon": any(c["afternoon"] for c in columns),
    }


def _legend(problem: Problem, timetable: Timetable) -> list[dict[str, str]]:
    kinds = sorted({problem.item(p.activity).kind for p in timetable}, key=str)
    return [{"label": kind_title(problem, k), "colour": kind_colour(problem, k)} for k in kinds]
