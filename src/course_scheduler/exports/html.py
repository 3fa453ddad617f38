"""HTML: the printable programme, laid out like the printed brochure.

The page is one self-contained file (inline CSS, no script, no external resource) that prints
on A4: the overview grid of the week (knowledge session, skills session and afternoon of each
day), then each day on its own page (date, theme, description, venue, the ``Time | Item``
table, the transport of the day), then the afternoon visits. The template is
``templates/programme.html.j2``, rendered by jinja2 with autoescaping: this module passes plain
strings and never marks anything safe, so every user string is escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import (
    Details,
    day_heading,
    details,
    kind_colour,
    kind_label,
    people_names,
    time_range,
    transport_note,
)

if TYPE_CHECKING:
    from ..compile import Problem
    from ..timetable import Placement, Timetable

TEMPLATE = "programme.html.j2"
VISIT_KINDS = frozenset({"site_visit", "networking"})


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
    visits = _visits(problem, timetable, notes)
    visit_of_day = {visit["date"]: visit for visit in visits}
    days = []
    for index, date in enumerate(problem.dates):
        day = programme.days[index]
        venue = problem.venues[day.venue] if day.venue else None
        placements = placements_by_date.get(date, [])
        days.append(
            {
                "anchor": f"day-{index + 1}",
                "label": f"Day {index + 1}",
                "heading": day_heading(date, year=False),
                "year": str(date.year),
                "theme": day.theme or "",
                "description": day.description or "",
                "note": day.note or "",
                "venue": venue.name if venue else "",
                "address": (venue.address or "") if venue else "",
                "rows": [
                    _row(problem, p, day.venue, notes) for p in placements if _shown(problem, p)
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
        "legend": _legend(problem, timetable),
    }


def _shown(problem: Problem, placement: Placement) -> bool:
    """A bus ride inside a visit's printed time is told under Transport, not as a row."""
    from ..compile import hidden_in_container

    return not hidden_in_container(problem, problem.item(placement.activity))


def _row(
    problem: Problem, placement: Placement, day_venue: str | None, notes: Details
) -> dict[str, str]:
    item = problem.item(placement.activity)
    names = [n for n in people_names(problem, item) if n.casefold() not in item.title.casefold()]
    where = ""
    if placement.venue is not None and (placement.venue != day_venue or item.ride is not None):
        preposition = "from" if item.ride is not None else "at"
        where = f"{preposition} {problem.venues[placement.venue].name}"
    description, _ = notes.get(item.id, (None, None))
    colour = kind_colour(problem, item.kind)
    return {
        "id": item.id,
        "time": time_range(placement),
        "title": item.title,
        "kind": item.kind,
        "kind_label": kind_label(item.kind),
        "colour": colour,
        "people": ", ".join(names),
        "where": where,
        "transport": "yes" if item.ride is not None else "",
        "visit": "yes" if item.kind in VISIT_KINDS else "",
        "description": "" if item.kind in VISIT_KINDS else (description or ""),
    }


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
        if problem.item(placement.activity).kind in VISIT_KINDS:
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
                    "time": time_range(placement),
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
    for index, day in enumerate(days):
        module_id = problem.day_modules[index]
        module = modules.get(module_id) if module_id else None
        number = f" {module.number}" if module is not None and module.number is not None else ""
        visit = day["visit"]
        columns.append(
            {
                "label": day["label"],
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
        "has_knowledge": any(c["knowledge"] for c in columns),
        "has_skills": any(c["skills"] for c in columns),
        "has_afternoon": any(c["afternoon"] for c in columns),
    }


def _legend(problem: Problem, timetable: Timetable) -> list[dict[str, str]]:
    kinds = sorted({problem.item(p.activity).kind for p in timetable}, key=str)
    return [{"label": kind_label(k), "colour": kind_colour(problem, k)} for k in kinds]
