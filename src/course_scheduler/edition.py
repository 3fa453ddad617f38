"""The last edition as a pattern: roll a programme forward to new dates, as a template to solve.

``next_edition(programme, start)`` moves every date by the same number of days (so each day
keeps its weekday), unpins every time (the times stay, as the *usual* times: solving the
template keeps to them as far as the new facts allow, ``timetable.pattern_timetable``), lets
each module's sessions move to another day should the new facts need it, and lists what only
a person can settle:

* an external date window that no longer covers the new dates (an exhibition of last year)
  is *set aside* in the template (``set_aside`` says why), so that the template solves as it
  is written; nothing is silently kept or dropped;
* speakers still to be confirmed, and availability carried over from the old dates;
* rules and texts that name dates (a deadline moves with the dates; a title that says
  "Monday 18" does not).

The planner's own edits for the new edition are a scenario (``whatif.scenario``) applied on
top, so a template is always "last edition, rolled forward, plus these changes".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from .compile import kind_table
from .errors import ProgrammeError, SourceMap
from .model import DateWindowRule, DeadlineRule, Programme, Status, release_module
from .rules.base import day_label
from .text import WEEKDAYS
from .vocabulary import SESSION_CATEGORIES

if TYPE_CHECKING:
    from .whatif import Scenario


@dataclass
class NextEdition:
    programme: Programme
    attention: list[str] = field(default_factory=list)
    """What needs a person before the template is solved and published."""


def next_edition(
    programme: Programme | str | FsPath,
    start: dt.date | str,
    *,
    keep: frozenset[str] = frozenset(),
    edits: Scenario | str | FsPath | None = None,
) -> NextEdition:
    """The template of the next edition starting on ``start`` (the same weekday as the old
    first day). ``keep``: activities whose time stays fixed (pinned). ``edits``: the planner's
    own changes for the new edition, a scenario (or a scenario file) applied to the template;
    the people whose availability they set no longer need asking, so their carried-over
    availability leaves ``attention``, and what the edits changed or dropped joins it."""
    if not isinstance(programme, Programme):
        from .loading import load

        programme = load(programme)
    if isinstance(start, str):
        try:
            start = dt.date.fromisoformat(start)
        except ValueError:
            raise ProgrammeError(f"start '{start}' is not a date like 2025-11-17") from None
    first = programme.days[0].date
    if start.weekday() != first.weekday():
        ahead = (first.weekday() - start.weekday()) % 7
        nearest = ahead if ahead <= 3 else ahead - 7
        same = start + dt.timedelta(days=nearest)
        raise ProgrammeError(
            f"{start} is a {WEEKDAYS[start.weekday()]} but the edition of {first.year} "
            f"started on a {WEEKDAYS[first.weekday()]}: give a "
            f"{WEEKDAYS[first.weekday()]}, e.g. {same}"
        )
    known = {a.id for a in programme.all_activities()}
    unknown = sorted(keep - known)
    if unknown:
        raise ProgrammeError(f"--keep names unknown activities: {', '.join(unknown)}")
    shift = start - first
    p = programme.model_copy(deep=True)
    result = NextEdition(p)
    old_dates = [day.date for day in programme.days]
    _move_dates(p, shift)
    _free_times(p, keep)
    _free_modules(p)
    _people(result, shift)
    _rules(result, programme, shift)
    _unnamed_sessions(result)
    _edition(result, shift, old_dates)
    from .loading import validate

    data = p.model_dump(by_alias=True, mode="json")
    _texts(result, data, shift, old_dates)
    data["attention"] = [*programme.attention, *result.attention]
    result.programme = validate(data, _source(programme))
    if edits is not None:
        _edit(result, edits)
        result.programme.attention = [*programme.attention, *result.attention]
    return result


def _edit(result: NextEdition, edits: Scenario | str | FsPath) -> None:
    """The planner's edits applied to the template, and the notes they settle or add."""
    from .whatif import AvailableOnly, Scenario, Unavailable, apply, load_scenario, person_id

    scenario = edits if isinstance(edits, Scenario) else load_scenario(edits)
    applied = apply(result.programme, scenario)
    template = applied.programme
    ids = {
        person_id(template, change.person)
        for change in scenario.changes
        if isinstance(change, AvailableOnly | Unavailable)
    }
    asked = [person.name for person in template.people if person.id in ids]
    notes = [
        note
        for note in result.attention
        if not any(note.startswith(f"{name}'s availability") for name in asked)
    ]
    notes += [f"edit: {name}'s availability is the planner's (the edits file)" for name in asked]
    notes += [f"edit: {note}" for note in applied.notes]
    notes += [f"edit: {ident} dropped ({why})" for ident, why in applied.why_removed.items()]
    notes += applied.attention
    result.programme, result.attention = template, notes


def _source(programme: Programme) -> SourceMap:
    from .loading import source_of

    return source_of(programme)


def _move_dates(p: Programme, shift: dt.timedelta) -> None:
    for day in p.days:
        day.date += shift
        for activity in day.activities:
            _move_activity_dates(activity, shift)
    for activity in p.activities:
        _move_activity_dates(activity, shift)
    for venue in p.venues:  # a room's closures move with the days, as barred windows do
        for room in venue.rooms:
            for closed in room.closed or ():
                closed.date += shift
    for deadline in p.deadlines:
        deadline.date += shift
    for leg in p.transport:
        if leg.date is not None:
            leg.date += shift
        if leg.dates:
            leg.dates = [d + shift for d in leg.dates]


def _move_activity_dates(activity: object, shift: dt.timedelta) -> None:
    from .model import Activity

    assert isinstance(activity, Activity)
    if activity.date is not None:
        activity.date += shift
    if activity.dates:
        activity.dates = [d + shift for d in activity.dates]
    for barred in activity.barred:
        barred.date += shift


def _free_times(p: Programme, keep: frozenset[str]) -> None:
    """Every time becomes a usual time (not pinned), but those the planner keeps."""
    for activity in p.all_activities():
        if activity.time is not None:
            activity.pinned = activity.id in keep


def _free_modules(p: Programme) -> None:
    """A day's sessions belong to its module; that module may move to another day (its
    sessions together, as ``module_day`` keeps them): the day stops declaring it, each session
    names it and may take any course date. Breaks, lunches and visits keep their day."""
    kinds = kind_table(p)
    dates = [day.date for day in p.days]
    for day in p.days:
        if day.module is None:
            continue
        for activity in day.activities:
            session = kinds[activity.kind].category in SESSION_CATEGORIES
            if activity.module is None and session:
                activity.module = day.module
            if activity.module == day.module and not activity.pinned:
                activity.dates = list(dates)
        release_module(p, day)


def _people(result: NextEdition, shift: dt.timedelta) -> None:
    for person in result.programme.people:
        if person.status == Status.TBC:
            result.attention.append(f"{person.name} is still to be confirmed (status: tbc)")
        if person.available is not None:
            for window in person.available:
                window.date += shift
            days = ", ".join(day_label(w.date) for w in person.available)
            result.attention.append(
                f"{person.name}'s availability is last edition's, moved to the same weekdays "
                f"({days}): ask"
            )


def _rules(result: NextEdition, old: Programme, shift: dt.timedelta) -> None:
    new_dates = [day.date for day in result.programme.days]
    titles = {a.id: a.title for a in result.programme.all_activities()}
    for rule in result.programme.rules:
        if isinstance(rule, DeadlineRule):
            rule.confirm_by += shift
            result.attention.append(
                f"rule {rule.id}: the deadline moves with the dates, to {day_label(rule.confirm_by)}"
            )
        elif isinstance(rule, DateWindowRule):
            what = rule.event or "its window"
            if all(rule.start <= d <= rule.end for d in new_dates):
                result.attention.append(
                    f"rule {rule.id}: {what} ({day_label(rule.start)} to {day_label(rule.end)}) "
                    "still covers the new dates: check it is still so"
                )
                continue
            rule.set_aside = (
                f"{what} was open {day_label(rule.start)} to {day_label(rule.end)}, which does "
                f"not cover the new dates ({day_label(new_dates[0])} to "
                f"{day_label(new_dates[-1])}); find this edition's dates, then restore the rule"
            )
            result.attention.append(f"rule {rule.id} is set aside: {rule.set_aside}")
            about = ", ".join(
                f"{ident} ('{titles.get(ident, ident)}')" for ident in rule.activities
            )
            if about:
                result.attention.append(
                    f"{about} took place during {what} (rule {rule.id}, set aside): decide "
                    "whether and when it happens in this edition"
                )


_TEXTS = frozenset(
    {
        "title",
        "location",
        "note",
        "description",
        "theme",
        "abstract",
        "label",
        "role",
        "organisation",
        "address",
        "event",
        "name",
        "knowledge_session",
        "skills_session",
        "afternoon",
    }
)
"""The fields of free text, where dates are printed ("Barcelona, 18th to 22nd November")."""
_COURSE_TEXTS = frozenset({"title", "location", "note"})
"""The course's own texts: its year is the edition's (nothing to check when it moves)."""


def _texts(
    result: NextEdition, data: dict[str, Any], shift: dt.timedelta, old_dates: list[dt.date]
) -> None:
    """Every date the texts name moves with the edition (``datetexts``): the course's subtitle,
    a lunch to confirm "on Monday 18"; one that is not a day of the edition (an exhibition's)
    moves too and goes on the to-do list. A set-aside rule's text stays: it tells what the
    rule was."""
    set_aside = {r["id"] for r in data.get("rules", []) if r.get("set_aside")}

    def visit(node: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(node, dict):
            if "published" in path or (path[:1] == ("rules",) and node.get("id") in set_aside):
                return
            for key, value in node.items():
                if isinstance(value, str) and key in _TEXTS:
                    node[key] = _moved_text(result, value, (*path, key), data, shift, old_dates)
                elif isinstance(value, dict | list):
                    visit(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                visit(value, (*path, index))

    visit(data, ())


def _moved_text(
    result: NextEdition,
    text: str,
    path: tuple[str | int, ...],
    data: dict[str, Any],
    shift: dt.timedelta,
    old_dates: list[dt.date],
) -> str:
    from .datetexts import move_dates

    new, moved = move_dates(text, shift, old_dates)
    course = path[:1] == ("course",) and path[-1] in _COURSE_TEXTS
    for change in moved:
        if change.own or (course and not change.dates):
            continue
        what = (
            "the edition's year" if not change.dates else "a date that is not a day of the edition"
        )
        result.attention.append(
            f"{_where(path, data)} named {change.old}, {what}; it now says {change.new}: check it"
        )
    return new


def _where(path: tuple[str | int, ...], data: dict[str, Any]) -> str:
    """ "the description of d3-networking", "the course's location"."""
    field = str(path[-1])
    if path[0] == "course":
        return f"the course's {field}"
    node: Any = data
    owner = None
    for step in path[:-1]:
        node = node[step]
        if isinstance(node, dict) and "id" in node:
            owner = node["id"]
        elif isinstance(node, dict) and "date" in node and path[0] == "days":
            owner = f"the day {node['date']}"
    if owner is None:
        return f"{field} of {path[0]}"
    return f"the {field} of {owner}"


def _edition(result: NextEdition, shift: dt.timedelta, old_dates: list[dt.date]) -> None:
    """An edition named in the file (``course.edition``, which event identities derive from)
    is renamed, or the new edition's events would take the last one's identities."""
    from .datetexts import move_dates

    course = result.programme.course
    if course.edition is None:
        return
    old = course.edition
    new = move_dates(old, shift, old_dates)[0]
    if new == old:
        new = f"{old} {old_dates[0] + shift}"
    course.edition = new
    result.attention.append(
        f"the edition was '{old}', now '{new}' (calendars and apps tell editions apart by it): "
        "check the name"
    )


def _unnamed_sessions(result: NextEdition) -> None:
    """A session that names no one while the others of its kind do (Tuesday's guest talk):
    someone must be found, and ``check`` would not say so."""
    activities = result.programme.all_activities()
    with_people = {a.kind for a in activities if a.people}
    kinds = kind_table(result.programme)
    for activity in activities:
        session = kinds[activity.kind].category in SESSION_CATEGORIES
        if session and not activity.people and activity.kind in with_people:
            result.attention.append(
                f"{activity.id} ('{activity.title}') names no one, while the other "
                f"{_sessions_of(kinds[activity.kind].label)} do: who gives it?"
            )


def _sessions_of(label: str) -> str:
    """'guest talk sessions', but not 'other other sessions': an import's catch-all kind is
    labelled 'Other', which cannot stand in front of 'sessions' after 'the other'."""
    if label.casefold() in {"other", "others"}:
        return f"sessions of its kind ('{label}')"
    return f"{label.lower()} sessions"
