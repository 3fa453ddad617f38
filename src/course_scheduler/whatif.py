"""What-if runs: a scenario applied to a programme, repaired against its published timetable.

A scenario is a short list of changes (a person away, a venue closed, a bus at another time,
an exhibition closing earlier...). Applying it gives a new programme; re-solving with every
activity movable and the original timetable as the reference gives the least disruptive
repair (fewest activities moved, then fewest minutes, then soft rules), or, when no
timetable exists, the minimal set of rules that cannot hold together. Sweeps run many
scenarios through any ``concurrent.futures.Executor`` (a process pool, or a dask cluster's
``Client.get_executor()``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from .clock import TimeRange
from .compile import Problem, compile_programme
from .diffing import ProgrammeDiff, diff_problems
from .errors import ProgrammeError
from .model import (
    CONTENT_KINDS,
    Activity,
    Availability,
    Clock,
    DateWindowRule,
    Id,
    Minutes,
    Programme,
    Status,
    _Strict,
)
from .rules.base import Finding, day_label
from .timetable import Timetable, published_timetable

# --- the scenario vocabulary -----------------------------------------------------------------


class Unavailable(_Strict):
    """A person cannot come at all, or not on some dates or in some windows."""

    do: Literal["unavailable"]
    person: str = Field(description="an id or a display name")
    dates: list[dt.date] = Field(default_factory=list)
    windows: list[Availability] = Field(default_factory=list)
    talks: Literal["drop", "substitute", "keep"] = Field(
        default="drop",
        description="when absent entirely: drop their activities (and what is glued right "
        "after them, such as the Q&A), hand them to 'substitute', or keep them (infeasible)",
    )
    substitute: str | None = None


class AvailableOnly(_Strict):
    """A person can come only in the given windows (a date, optionally a time range)."""

    do: Literal["available_only"]
    person: str
    windows: list[Availability] = Field(min_length=1)


class RemoveActivity(_Strict):
    do: Literal["remove_activity"]
    activity: Id


class AddActivity(_Strict):
    do: Literal["add_activity"]
    activity: Activity
    date: dt.date | None = Field(default=None, description="the day to add it to, if fixed")


class ChangeDuration(_Strict):
    do: Literal["change_duration"]
    activity: Id
    minutes: Minutes


class CloseVenue(_Strict):
    """A venue cannot be used on a date; what was there moves to ``instead``."""

    do: Literal["close_venue"]
    venue: Id
    date: dt.date
    instead: Id | None = Field(
        default=None, description="default: the venue of the nearest other course day"
    )


class MoveTransport(_Strict):
    """A leg departs at another time; its return moves by the same amount."""

    do: Literal["move_transport"]
    leg: Id
    depart: Clock


class ChangeDateWindow(_Strict):
    """An external date window changes (an exhibition closes earlier)."""

    do: Literal["date_window"]
    rule: Id
    start: dt.date | None = Field(default=None, alias="from")
    end: dt.date | None = Field(default=None, alias="to")


class Pin(_Strict):
    """Keep these activities at their published times in the repair."""

    do: Literal["pin"]
    activities: list[Id] = Field(min_length=1)


Change = Annotated[
    Unavailable
    | AvailableOnly
    | RemoveActivity
    | AddActivity
    | ChangeDuration
    | CloseVenue
    | MoveTransport
    | ChangeDateWindow
    | Pin,
    Field(discriminator="do"),
]


class Scenario(_Strict):
    name: str = "scenario"
    description: str | None = None
    changes: list[Change] = Field(min_length=1)


def load_scenario(path: str | FsPath) -> Scenario:
    """Read a scenario file (YAML or JSON); errors name the file and line."""
    from .loading import _from_validation, parse

    name = str(path)
    try:
        raw = FsPath(path).read_bytes()
    except OSError as exc:
        raise ProgrammeError(f"cannot read the scenario: {exc.strerror}", file=name) from None
    data, source = parse(raw, name=name)
    if not isinstance(data, dict):
        raise ProgrammeError("a scenario is a mapping with 'changes'", file=name, line=1)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise _from_validation(exc, data, source) from None


# --- applying a scenario -----------------------------------------------------------------------


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
    from .loading import validate

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
    from .loading import source_of

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


# --- running it -----------------------------------------------------------------------------------


@dataclass
class WhatIf:
    """The outcome of one scenario against the published timetable."""

    scenario: Scenario
    status: str
    problem: Problem
    reference: Problem
    timetable: Timetable | None
    moved: list[str]
    minutes: int
    removed: list[str]
    notes: list[str]
    diff: ProgrammeDiff | None
    warnings: list[Finding]
    reasons: list[str]
    seconds: float

    @property
    def feasible(self) -> bool:
        return self.timetable is not None

    def outcome(self) -> str:
        """One cell of a sweep matrix."""
        if self.timetable is None:
            if self.status == "infeasible":
                return "infeasible: " + ("; ".join(self.reasons[:2]) or "no timetable")
            return f"unknown ({self.status})"
        proven = "" if self.status == "optimal" else " (not proven minimal)"
        return f"feasible with {len(self.moved)} moves, {self.minutes} min{proven}"

    def summary(self) -> str:
        """A paragraph a planner reads first."""
        head = f"Scenario '{self.scenario.name}':"
        dropped = (
            f" {len(self.removed)} activities dropped ({', '.join(self.removed)})."
            if self.removed
            else ""
        )
        notes = "".join(f" {n}." for n in self.notes)
        if self.timetable is None:
            if self.status != "infeasible":
                return f"{head}{dropped}{notes} No timetable found within the time limit ({self.status})."
            return (
                f"{head}{dropped}{notes} No timetable can satisfy every hard rule; "
                "the rules that cannot hold together are listed below."
            )
        proven = (
            "This is proven to be the least disruptive repair."
            if self.status == "optimal"
            else "The time limit ran out before this could be proven the least disruptive repair."
        )
        moves = (
            "nothing else has to move"
            if not self.moved
            else f"{len(self.moved)} activities move by {self.minutes} minutes in all"
        )
        warnings = (
            f" {len(self.warnings)} soft rules are broken: "
            + "; ".join(w.message for w in self.warnings[:3])
            + ("..." if len(self.warnings) > 3 else "")
            + "."
            if self.warnings
            else ""
        )
        return f"{head}{dropped}{notes} A timetable exists and {moves}. {proven}{warnings}"

    def table(self) -> str:
        """Activity | before | after, for everything that moved or was dropped."""
        if self.diff is None:
            return ""
        rows = []
        for change in self.diff.changes:
            if change.changes == ("removed",) and change.activity not in self.removed:
                continue
            rows.append(
                (
                    change.activity,
                    change.old.when + _at(change.old) if change.old else "-",
                    change.new.when + _at(change.new) if change.new else "(dropped)",
                )
            )
        if not rows:
            return "(no activity moves)"
        widths = [
            max(len(r[i]) for r in [*rows, ("activity", "before", "after")]) for i in range(3)
        ]
        lines = [
            "  ".join(
                h.ljust(w) for h, w in zip(("activity", "before", "after"), widths, strict=True)
            )
        ]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
        return "\n".join(lines)


def _with_lines(problem: Problem, original: Problem) -> Problem:
    """Line numbers of the original file, by id: the scenario's programme has no file."""
    import dataclasses

    lines = {item.id: item.line for item in original.items}
    problem.items = [dataclasses.replace(i, line=lines.get(i.id)) for i in problem.items]
    problem.rule_lines = {**problem.rule_lines, **original.rule_lines}
    problem.source = original.source
    return problem


def _at(version: Any) -> str:
    return f" @ {version.venue_name}" if version.venue_name else ""


def what_if(
    programme: Programme,
    scenario: Scenario,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int = 1,
    day_moves: bool | None = None,
    minimal_explanation: bool = True,
) -> WhatIf:
    """Apply ``scenario`` and repair the published timetable with the fewest moves.

    First every activity keeps its day (times and venues may change); only if that is
    impossible (``day_moves=None``, the default) may sessions move to other days, each module
    as a whole. ``day_moves=False`` never moves days, ``True`` always allows it.
    """
    import time

    from .checking import check_problem
    from .solver.explain import explain_problem
    from .solver.solve import SolveOptions, solve_problem

    began = time.perf_counter()
    reference_problem = compile_programme(programme)
    reference = published_timetable(reference_problem)
    applied = apply(programme, scenario)
    candidates = [applied.programme]
    if day_moves is not False:
        candidates.append(free_days(applied.programme))
    if day_moves is True:
        candidates = candidates[1:]
    for attempt, candidate in enumerate(candidates):
        problem = _with_lines(compile_programme(candidate), reference_problem)
        movable = frozenset(
            i.id for i in problem.items if i.ride is None and i.id not in applied.pinned
        )
        remaining = max(0.1, time_limit - (time.perf_counter() - began))
        options = SolveOptions(time_limit=remaining, seed=seed, workers=workers, unpin=movable)
        result = solve_problem(problem, reference=reference, options=options)
        if result.status.value != "infeasible":
            if attempt or day_moves is True:
                applied.notes.append("sessions may move to other days (same-day repair impossible)")
            break
    moved: list[str] = []
    minutes = 0
    diff = None
    warnings: list[Finding] = []
    reasons: list[str] = []
    if result.timetable is not None:
        diff = diff_problems(
            reference_problem, problem, old_times=reference, new_times=result.timetable
        )
        for change in result.timetable.placements.values():
            old = reference.get(change.activity)
            item = problem.item(change.activity)
            if old is None or item.ride is not None:
                continue
            if (old.date, old.start, old.venue) != (change.date, change.start, change.venue):
                moved.append(change.activity)
                minutes += abs((change.date - old.date).days * 24 * 60 + change.start - old.start)
        warnings = check_problem(problem, result.timetable).warnings
    elif result.status.value == "infeasible":
        explanation = explain_problem(
            problem,
            time_limit=time_limit,
            unpinned=movable,
            hint=reference,
            minimal=minimal_explanation,
        )
        reasons = [
            r.sentence + (f" (line {r.line})" if r.line else "") for r in explanation.reasons
        ]
    return WhatIf(
        scenario=scenario,
        status=result.status.value,
        problem=problem,
        reference=reference_problem,
        timetable=result.timetable,
        moved=sorted(moved),
        minutes=minutes,
        removed=applied.removed,
        notes=applied.notes,
        diff=diff,
        warnings=warnings,
        reasons=reasons,
        seconds=time.perf_counter() - began,
    )


# --- sweeps ------------------------------------------------------------------------------------------


def tbc_scenarios(programme: Programme) -> list[Scenario]:
    """For every speaker still 'tbc': absent, and available only on each course day."""
    scenarios = []
    for person in programme.people:
        if person.status != Status.TBC:
            continue
        scenarios.append(
            Scenario(
                name=f"{person.name} absent",
                changes=[Unavailable(do="unavailable", person=person.id)],
            )
        )
        for day in programme.days:
            scenarios.append(
                Scenario(
                    name=f"{person.name} only on {day_label(day.date)}",
                    changes=[
                        AvailableOnly(
                            do="available_only",
                            person=person.id,
                            windows=[Availability(date=day.date)],
                        )
                    ],
                )
            )
    return scenarios


@dataclass(frozen=True)
class Outcome:
    """A sweep cell: small and picklable, so it travels back from any executor."""

    scenario: str
    feasible: bool
    status: str
    moves: int
    minutes: int
    text: str


def _run_one(payload: tuple[str, dict[str, Any], float, int]) -> Outcome:
    from .loading import loads

    text, scenario_data, time_limit, seed = payload
    programme = loads(text, name="programme")
    scenario = Scenario.model_validate(scenario_data)
    result = what_if(
        programme, scenario, time_limit=time_limit, seed=seed, minimal_explanation=False
    )
    return Outcome(
        scenario.name,
        result.feasible,
        result.status,
        len(result.moved),
        result.minutes,
        result.outcome(),
    )


def sweep(
    programme: Programme,
    scenarios: Sequence[Scenario],
    *,
    executor: Executor | None = None,
    time_limit: float = 30.0,
    seed: int = 0,
) -> list[Outcome]:
    """Run scenarios in parallel through ``executor`` (default: in this process, in order).

    A cell's reason is the solver's own core of rules that cannot hold together: small, but
    not shrunk to a minimal set (run the scenario alone with ``what_if`` for that).
    Each task gets the programme as text and the scenario as plain data, so any executor
    that pickles its arguments works: a process pool, or ``dask.distributed``'s
    ``Client.get_executor()``. Results come back in the order of ``scenarios``.
    """
    from .loading import dump

    text = dump(programme)
    payloads = [
        (text, s.model_dump(mode="json", by_alias=True), time_limit, seed) for s in scenarios
    ]
    if executor is None:
        return [_run_one(p) for p in payloads]
    return list(executor.map(_run_one, payloads))


def matrix(outcomes: Sequence[Outcome]) -> str:
    width = max((len(o.scenario) for o in outcomes), default=8)
    lines = [f"{'scenario'.ljust(width)}  outcome"]
    lines += [f"{o.scenario.ljust(width)}  {o.text}" for o in outcomes]
    return "\n".join(lines)
