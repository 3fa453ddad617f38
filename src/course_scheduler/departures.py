"""Rides with a departure window: ``check`` asks what the solver asks, whether some departure
in the window keeps every rule.

A leg may give ``depart_window`` instead of a departure ("the bus leaves between 14:00 and
15:30"): the file's own timetable has no time for the ride, so no rule could read it, and a
120-minute ride before a 12:30 lunch went unseen while the solver said no timetable exists.
Here each such ride of a leg on one day is tried at every minute of its window against the
day as the file prints it, with every hard rule: a departure works when it adds no error.
None working is an error of the transport rule, told with what goes wrong at the departure
that breaks least; the earliest that works is a note. The ride stays without a time: that is
the solver's to choose.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from .clock import format_clock
from .compile import Item, Leg, Problem
from .model import Severity
from .rules import REGISTRY, CheckContext, Finding, Level
from .rules.base import when
from .structure import open_end_findings, read_open_ends
from .timetable import Placement, Timetable


def departure_findings(problem: Problem, timetable: Timetable) -> Iterator[Finding]:
    """For each leg whose ride out has no time in ``timetable`` (a departure window) and one
    day: an error when no departure in the window keeps every hard rule, else a note."""
    transport = next(
        (r for r in problem.rules if r.kind == "transport" and r.severity == Severity.HARD), None
    )
    if transport is None:
        return
    for leg in problem.legs.values():
        out = problem.items[leg.out]
        if timetable.get(out.id) is not None or len(out.days) != 1:
            continue
        yield from _try_departures(problem, timetable, leg, out, transport.id)


def _try_departures(
    problem: Problem, timetable: Timetable, leg: Leg, out: Item, rule: str
) -> Iterator[Finding]:
    date = problem.dates[out.days[0]]
    day = {k: p for k, p in timetable.placements.items() if p.date == date}
    before = _errors(problem, day)
    low, high = leg.depart_window
    best: tuple[int, int, list[Finding]] | None = None
    for start in range(low, high + 1):
        ride = Placement(date, start, start + out.duration, out.id, out.options[0][1])
        added = [f for f in _errors(problem, {**day, out.id: ride}).values() if f not in before]
        if not added:
            yield _finding(
                problem,
                rule,
                Level.INFO,
                f"{leg.title} has no time, only a departure window "
                f"({format_clock(low)}-{format_clock(high)}): leaving at "
                f"{format_clock(start)} keeps every rule (the earliest that does)",
                out,
                ride,
                leg,
            )
            return
        if best is None or len(added) < best[0]:
            best = (len(added), start, added)
    assert best is not None
    _, start, added = best
    ride = Placement(date, start, start + out.duration, out.id, out.options[0][1])
    first = sorted(added, key=lambda f: (f.start or 0, f.rule))[0]
    finding = _finding(
        problem,
        rule,
        Level.ERROR,
        f"no departure of {leg.title} in its window ({format_clock(low)}-{format_clock(high)}) "
        f"keeps every rule: leaving at {format_clock(start)}, the one that breaks least, "
        f"{first.message}",
        out,
        ride,
        leg,
        tuple(dict.fromkeys(x for f in added for x in f.activities)),
    )
    # the sentence goes on with what breaks at that departure: so do the numbers
    yield dataclasses.replace(finding, limit=first.limit, actual=first.actual, unit=first.unit)


def _errors(problem: Problem, placements: dict[str, Placement]) -> dict[Finding, Finding]:
    """The hard findings of every rule on these placements (a set that keeps its order),
    each open end read anew among them, as the solver reads it: until what follows it (a
    ride now placed included), never cut below the length it holds."""
    timetable = Timetable(placements)
    readings = read_open_ends(problem, timetable)
    if readings:
        timetable = Timetable(
            {
                k: dataclasses.replace(p, end=p.start + readings[k].length) if k in readings else p
                for k, p in placements.items()
            }
        )
    ctx = CheckContext(problem, timetable)
    found: dict[Finding, Finding] = {}
    for item, p, text in open_end_findings(problem, timetable):
        message = f"'{item.title}' ({when(p)}) {text}"
        cut = Finding("placement", "placement", Level.ERROR, message, (item.id,), p.date)
        found[cut] = cut
    for rule in problem.rules:
        if rule.severity == Severity.HARD:
            for finding in REGISTRY[rule.kind].check(rule, ctx):
                found[finding] = finding
    return found


def _finding(
    problem: Problem,
    rule: str,
    level: Level,
    message: str,
    out: Item,
    ride: Placement,
    leg: Leg,
    involved: tuple[str, ...] = (),
) -> Finding:
    return Finding(
        rule=rule,
        kind="transport",
        level=level,
        message=message,
        activities=tuple(dict.fromkeys((out.id, *involved))),
        date=ride.date,
        start=ride.start,
        end=ride.end,
        file=problem.source.file,
        line=leg.line,
    )
