"""Applying a scenario: each change turns a programme into the programme the scenario
describes (the input is never modified)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..clock import TimeRange
from ..errors import ProgrammeError
from ..model import (
    CONTENT_KINDS,
    Activity,
    Availability,
    DateWindowRule,
    Programme,
    Status,
)
from ..rules.base import day_label
from .scenario import (
    AddActivity,
    AvailableOnly,
    ChangeDateWindow,
    ChangeDuration,
    CloseVenue,
    MoveTransport,
    Pin,
    RemoveActivity,
    Scenario,
    Unavailable,
)


@dataclass
class Applied:
    programme: Programme
    pinned: set[str] = field(default_factory=set)
    removed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def person_id(programme: Programme, name: str) -> str:
    """A person by id or by display name (case-insensitive)."""
    for person in programme.people:
        if name in (person.id,) or person.name.casefold() == name.casefold():
            return person.id
    known = ", ".join(f"{p.name} ({p.id})" for p in programme.people)
    raise ProgrammeError(f"unknown person '{name}'; known people: {known}")


def apply(programme: Programme, scenario: Scenario) -> Applied:
    """The programme as the scenario changes it (the input is never modified)."""
    applied = Applied(programme.model_copy(deep=True))
    for change in scenario.changes:
        _APPLY[type(change)](applied, change)
    from ..loading import validate

    # one pass of the loader's own checks: a scenario cannot produce what a file could not
    data = applied.programme.model_dump(by_alias=True, mode="json")
    applied.programme = validate(data, _source(programme))
    return applied


def free_days(programme: Programme) -> Programme:
    """Sessions may move to any course day, each module as a whole (they keep their module);
    days stop declaring modules; breaks, lunches and visits keep their day; venues follow the
    day unless the activity names one."""
    p = programme.model_copy(deep=True)
    dates = [day.date for day in p.days]
    for day in p.days:
        staying = []
        for activity in day.activities:
            if activity.module is None and activity.kind in CONTENT_KINDS:
                activity.module = day.module
            if activity.module is None:
                staying.append(activity)
                continue
            activity.date, activity.dates = None, list(dates)
            p.activities.append(activity)
        day.activities = staying
        day.module = None
    for activity in p.activities:
        if activity.date is not None:
            activity.date, activity.dates = None, list(dates)
    return Programme.model_validate(p.model_dump(by_alias=True))


def _source(programme: Programme) -> Any:
    from ..loading import source_of

    return source_of(programme)


def _activities(p: Programme) -> list[Activity]:
    return p.all_activities()


def _unavailable(applied: Applied, change: Unavailable) -> None:
    p = applied.programme
    ident = person_id(p, change.person)
    person = next(x for x in p.people if x.id == ident)
    if not change.dates and not change.windows:
        person.status = Status.DECLINED
        affected = [a for a in _activities(p) if ident in a.people]
        if change.talks == "substitute":
            if change.substitute is None:
                raise ProgrammeError("talks: substitute needs 'substitute' (a person)")
            other = person_id(p, change.substitute)
            for activity in affected:
                activity.people = [other if x == ident else x for x in activity.people]
            applied.notes.append(f"{person.name}'s activities go to {change.substitute}")
        elif change.talks == "drop":
            _remove(applied, [a.id for a in affected], glued=True)
        return
    windows = _availability_windows(p, person.available)
    for date in change.dates:
        windows = [(d, r) for d, r in windows if d != date]
    for window in change.windows:
        cut = window.time or TimeRange(0, 24 * 60)
        windows = [
            (d, piece)
            for d, r in windows
            for piece in ([r] if d != window.date else _subtract(r, cut))
        ]
    person.available = [Availability(date=d, time=r) for d, r in windows]


def _availability_windows(
    p: Programme, available: list[Availability] | None
) -> list[tuple[dt.date, TimeRange]]:
    if available is None:
        return [(day.date, TimeRange(0, 24 * 60)) for day in p.days]
    return [(w.date, w.time or TimeRange(0, 24 * 60)) for w in available]


def _subtract(span: TimeRange, cut: TimeRange) -> list[TimeRange]:
    pieces = []
    if cut.start > span.start:
        pieces.append(TimeRange(span.start, min(span.end, cut.start)))
    if cut.end < span.end:
        pieces.append(TimeRange(max(span.start, cut.end), span.end))
    return [x for x in pieces if x.end > x.start]


def _available_only(applied: Applied, change: AvailableOnly) -> None:
    p = applied.programme
    ident = person_id(p, change.person)
    person = next(x for x in p.people if x.id == ident)
    person.available = list(change.windows)


def _remove(applied: Applied, idents: Iterable[str], *, glued: bool) -> None:
    """Remove activities, and with ``glued`` also what a sequence holds right after them."""
    p = applied.programme
    doomed = set(idents)
    if glued:
        grew = True
        while grew:
            grew = False
            for rule in p.rules:
                if rule.kind == "sequence" and rule.max_gap == 0:
                    for a, b in zip(rule.activities, rule.activities[1:], strict=False):
                        if a in doomed and b not in doomed:
                            doomed.add(b)
                            grew = True
    known = {a.id for a in _activities(p)}
    missing = sorted(doomed - known)
    if missing:
        raise ProgrammeError(f"unknown activity '{missing[0]}'")
    for day in p.days:
        day.activities = [a for a in day.activities if a.id not in doomed]
    p.activities = [a for a in p.activities if a.id not in doomed]
    kept_rules = []
    for rule in p.rules:
        listed = getattr(rule, "activities", None)
        if isinstance(listed, list):
            remaining = [x for x in listed if x not in doomed]
            if len(remaining) < (2 if rule.kind in ("sequence", "clash") else 1):
                continue
            rule.activities = remaining  # type: ignore[union-attr]
        if getattr(rule, "activity", None) in doomed:
            continue
        kept_rules.append(rule)
    p.rules = kept_rules
    applied.removed.extend(sorted(doomed))


def _remove_activity(applied: Applied, change: RemoveActivity) -> None:
    _remove(applied, [change.activity], glued=False)


def _add_activity(applied: Applied, change: AddActivity) -> None:
    p = applied.programme
    if change.date is None:
        p.activities.append(change.activity)
        return
    for day in p.days:
        if day.date == change.date:
            day.activities.append(change.activity)
            return
    raise ProgrammeError(f"{change.date} is not one of the course days")


def _find(p: Programme, ident: str) -> Activity:
    for activity in _activities(p):
        if activity.id == ident:
            return activity
    raise ProgrammeError(f"unknown activity '{ident}'")


def _change_duration(applied: Applied, change: ChangeDuration) -> None:
    activity = _find(applied.programme, change.activity)
    if activity.time is not None:
        activity.time = TimeRange(activity.time.start, activity.time.start + change.minutes)
    activity.duration = change.minutes if activity.time is None else None


def _close_venue(applied: Applied, change: CloseVenue) -> None:
    p = applied.programme
    if change.venue not in {v.id for v in p.venues}:
        raise ProgrammeError(f"unknown venue '{change.venue}'")
    instead = change.instead or _nearest_other_venue(p, change.venue, change.date)
    for day in p.days:
        if day.date != change.date:
            continue
        default = day.venue
        if day.venue == change.venue:
            day.venue = instead
        for activity in day.activities:
            if activity.venue == change.venue or (
                activity.venue is None and default == change.venue
            ):
                activity.venue = instead
            if activity.venues:
                activity.venues = [v for v in activity.venues if v != change.venue] or [instead]
    for leg in p.transport:
        if leg.date == change.date and leg.origin == change.venue:
            leg.origin = instead
    applied.notes.append(f"{change.venue} closed on {day_label(change.date)}: using {instead}")


def _nearest_other_venue(p: Programme, closed: str, date: dt.date) -> str:
    others = sorted(
        (abs((day.date - date).days), day.date, day.venue)
        for day in p.days
        if day.venue is not None and day.venue != closed
    )
    if not others or others[0][2] is None:
        raise ProgrammeError(f"no other day's venue to use instead of '{closed}'; give 'instead'")
    return others[0][2]


def _move_transport(applied: Applied, change: MoveTransport) -> None:
    leg = next((x for x in applied.programme.transport if x.id == change.leg), None)
    if leg is None:
        raise ProgrammeError(f"unknown transport leg '{change.leg}'")
    shift = change.depart - (leg.depart if leg.depart is not None else change.depart)
    leg.depart, leg.depart_window = change.depart, None
    if leg.back.arrive is not None:
        leg.back.arrive += shift
    if leg.back.depart is not None:
        leg.back.depart += shift


def _date_window(applied: Applied, change: ChangeDateWindow) -> None:
    for rule in applied.programme.rules:
        if rule.id == change.rule:
            if not isinstance(rule, DateWindowRule):
                raise ProgrammeError(f"rule '{change.rule}' is not a date_window rule")
            rule.start = change.start or rule.start
            rule.end = change.end or rule.end
            return
    raise ProgrammeError(f"unknown rule '{change.rule}'")


def _pin(applied: Applied, change: Pin) -> None:
    for ident in change.activities:
        _find(applied.programme, ident)
    applied.pinned.update(change.activities)


_APPLY: dict[type, Callable[[Applied, Any], None]] = {
    Unavailable: _unavailable,
    AvailableOnly: _available_only,
    RemoveActivity: _remove_activity,
    AddActivity: _add_activity,
    ChangeDuration: _change_duration,
    CloseVenue: _close_venue,
    MoveTransport: _move_transport,
    ChangeDateWindow: _date_window,
    Pin: _pin,
}
