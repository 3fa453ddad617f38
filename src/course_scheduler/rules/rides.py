"""A day trip, in the transport rule's reading: the rides of a day take a group out of its
home and back, and what it does away lies before its way home.

A leg's own rides are tied by the leg (the return after the arrival, what it serves in
between). Two one-way legs are not: a bus out in the morning and a bus back in the evening,
given as two legs with free departures, could swap, or leave the day's visit after the ride
home. The reading, per group and day:

- the day's *home* is the place a ride out of the group leaves from (a one-way leg, or the
  outward ride of a leg with a return, never a return) and another of its rides comes back
  to; when the rides give several such places, the day's ``venue`` if it is one of them,
  else none;
- when the day starts at home, every ride back home leaves after a ride out of home has
  arrived;
- with one ride out of home and one ride back (from ``X``) that day, an activity at a place
  nearer ``X`` than home ends before the ride back leaves: the way home ends the day's time
  away.

A day starts at home unless it is the programme's first day (the group arrives from
anywhere) or the group's last earlier day with a ride from or to home had more rides out of
it than back (it slept away). Which rides can be on a day (a leg listed for several dates has
a ride on each candidate day) decides the home and the start from the file alone, so both
readings agree on them.

"Nearer" is the travel graph's shortest time; a place reached from neither is on neither
side. Home is not simply the day's ``venue``: on a tour the day's venue is where the day is
spent (the college visited), not where the group sleeps. Nothing here says where the group
is *before* its ride out: it may reach the trip's side on its own (a morning in town before
the bus from the city centre), so only the end of the day is read. A day with two trips out
of one home is read by the ride order only, which holds for any number of trips.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..clock import format_clock
from ..compile import Item, Problem, entry_venue, exempt_pair, exit_venue, hidden_in_container
from ..model import TransportRule
from ..timetable import Placement
from .base import CheckContext, Finding, ModelContext, by_group, quote, when


def ride_ends(problem: Problem, ride: Item) -> tuple[str | None, str | None]:
    """Where a ride leaves from and where it first sets the group down."""
    venue = ride.venues[0]
    return entry_venue(problem, ride, venue), exit_venue(problem, ride, venue)


def away(problem: Problem, item: Item, venue: str | None, side: str, home: str) -> bool:
    """Is ``item`` at ``venue`` on ``side``'s side of the trip: nearer it than home? For a
    place decided late every alternative must be, so no plan is judged on a maybe."""
    places = item.alternatives if item.alternatives and venue == item.venues[0] else (venue,)
    return all(
        place is not None
        and problem.travel_minutes(side, place) < problem.travel_minutes(home, place)
        for place in places
    )


def group_rides(problem: Problem) -> dict[str, list[Item]]:
    """Each group's rides that take it somewhere else (a ride a door-to-door visit contains
    is the visit's)."""
    rides = []
    for item in problem.items:
        if item.ride is None or hidden_in_container(problem, item):
            continue
        origin, destination = ride_ends(problem, item)
        if origin is not None and destination is not None and origin != destination:
            rides.append(item)
    return by_group(problem, rides)


def day_home(problem: Problem, rides: list[Item], day: int) -> str | None:
    """The group's home on ``day``, from the rides that can be on it (see the module)."""
    here = [r for r in rides if day in r.days]
    origins = {ride_ends(problem, r)[0] for r in here if r.ride is not None and r.ride[1] == "out"}
    destinations = {ride_ends(problem, r)[1] for r in here}
    homes = sorted(p for p in origins & destinations if p is not None)
    if len(homes) == 1:
        return homes[0]
    venue = problem.day_venues[day]
    return venue if venue in homes else None


def starts_at_home(problem: Problem, rides: list[Item], home: str, day: int) -> bool:
    """Does the group's ``day`` start at ``home``? ``rides``: the group's rides."""
    if day == 0:
        return False
    for earlier in range(day - 1, -1, -1):
        fixed = [r for r in rides if r.days == (earlier,)]
        outs = sum(1 for r in fixed if ride_ends(problem, r)[0] == home)
        ins = sum(1 for r in fixed if ride_ends(problem, r)[1] == home)
        if outs or ins:
            return outs <= ins
    return True


def _split(problem: Problem, rides: list[Item], home: str) -> tuple[list[Item], list[Item]]:
    """The rides out of home and the rides back to it."""
    outs = [r for r in rides if ride_ends(problem, r)[0] == home]
    backs = [r for r in rides if ride_ends(problem, r)[1] == home]
    return outs, backs


def check_day_trips(rule: TransportRule, ctx: CheckContext) -> Iterator[Finding]:
    """Per group and day, as the module says, on the placed rides and activities."""
    problem = ctx.problem
    rides_of = group_rides(problem)
    for (group, date), pairs in ctx.visible_by_group_day().items():
        day = problem.day_of_date[date]
        rides = rides_of.get(group, [])
        home = day_home(problem, rides, day)
        if home is None:
            continue
        placed = dict(pairs)
        outs, backs = _split(problem, [r for r in rides if r in placed], home)
        if not outs:
            continue
        if starts_at_home(problem, rides, home, day):
            for back in backs:
                pb = placed[back]
                if not any(placed[o].end <= pb.start for o in outs):
                    by_arrival = sorted(outs, key=lambda o: (placed[o].end, o.index))
                    first = by_arrival[0]
                    yield ctx.finding(
                        rule,
                        f"{quote(back)} ({when(pb)}) brings the group back to "
                        f"{problem.venues[home].name} before {quote(first)} has taken it out "
                        f"({when(placed[first])})",
                        [back, *by_arrival],
                        pb,
                        group=group,
                        limit=placed[first].end,
                        actual=pb.start,
                        unit="time",
                    )
        if len(outs) == 1 and len(backs) == 1:
            yield from _away_findings(rule, ctx, group, home, backs[0], placed)


def _away_findings(
    rule: TransportRule,
    ctx: CheckContext,
    group: str,
    home: str,
    back: Item,
    placed: dict[Item, Placement],
) -> Iterator[Finding]:
    problem = ctx.problem
    pb = placed[back]
    leaving = ride_ends(problem, back)[0]
    assert leaving is not None
    for item, p in placed.items():
        if item.ride is not None or p.venue is None or exempt_pair(problem, item, back):
            continue
        if away(problem, item, p.venue, leaving, home) and p.end > pb.start:
            yield ctx.finding(
                rule,
                f"{quote(item)} ({when(p)}) at {problem.venues[p.venue].name} ends after "
                f"{quote(back)} leaves {problem.venues[leaving].name} for "
                f"{problem.venues[home].name} at {format_clock(pb.start)}",
                [item, back],
                p,
                group=group,
                limit=pb.start,
                actual=p.end,
                unit="time",
            )


def post_day_trips(rule: TransportRule, m: ModelContext) -> None:
    """The module's reading with day literals: a ride that may run on several days (a leg
    with ``dates``) is one of the group's rides on the day it takes."""
    problem = m.problem
    rides_of = group_rides(problem)
    for group, items in by_group(problem, problem.items).items():
        rides = rides_of.get(group, [])
        activities = [
            i
            for i in items
            if i.ride is None
            and any(v is not None for v in i.venues)
            and not hidden_in_container(problem, i)
        ]
        for day in sorted({d for r in rides for d in r.days}):
            home = day_home(problem, rides, day)
            if home is None:
                continue
            outs, backs = _split(problem, [r for r in rides if day in r.days], home)
            if not outs:
                continue
            if starts_at_home(problem, rides, home, day):
                for back in backs:
                    _post_after_an_out(rule, m, group, day, back, outs)
            for out in outs:
                for back in backs:
                    others = [r for r in outs + backs if r not in (out, back)]
                    one_trip = [
                        m.on_day(out, day),
                        m.on_day(back, day),
                        *(m.on_day(r, day).Not() for r in others),
                    ]
                    _post_away(rule, m, home, back, activities, day, one_trip)


def _post_after_an_out(
    rule: TransportRule, m: ModelContext, group: str, day: int, back: Item, outs: list[Item]
) -> None:
    firsts = []
    for out in outs:
        first = m.model.new_bool_var(f"trip_{group}_{out.id}_{back.id}")
        m.model.add(m.end(out) <= m.start(back)).only_enforce_if(first)
        m.model.add_implication(first, m.on_day(out, day))
        firsts.append(first)
    guard = m.guard(rule, instance=f"trip:{back.id}", about=(back, *outs))
    for out in outs:
        m.model.add_bool_or(firsts).only_enforce_if(
            [*guard, m.on_day(back, day), m.on_day(out, day)]
        )


def _post_away(
    rule: TransportRule,
    m: ModelContext,
    home: str,
    back: Item,
    activities: list[Item],
    day: int,
    one_trip: list[object],
) -> None:
    problem = m.problem
    leaving = ride_ends(problem, back)[0]
    assert leaving is not None
    for item in activities:
        if exempt_pair(problem, item, back):
            continue
        for literal, d, venue in m.venue_literals(item):
            if d == day and away(problem, item, venue, leaving, home):
                guard = m.guard(rule, instance=f"trip:{item.id}>{back.id}", about=(item, back))
                m.model.add(m.end(item) <= m.start(back)).only_enforce_if(
                    [*guard, *one_trip, literal]
                )
