"""What an item *is*, read one way by ``check``, the solver, ``explain`` and every export.

Two constructs of printed programmes say more than a start and a length, and both readings of
them live here side by side, like a rule's (``rules/``): ``read_*`` over a concrete timetable
(plain Python, on the check path) and ``post_*`` into a CP-SAT model through the
``ModelContext`` protocol (no ortools import). They are tested against each other.

* **Open ends** ("from 17:30", no printed end). The item lasts until what follows it, never
  into it: a part of a block until the next part of that block starts or the block ends;
  anything else until the next activity of one of its groups starts (leaving the time to get
  there when that is elsewhere), or the day's window ends. Its *least* length is the
  ``duration`` the file gives (then what follows may start sooner, and it overlaps it, as the
  file says), else its reading in the file itself: then nothing of its groups may start within
  that reading (``holds_reading``), so a solve never cuts "Tea and coffee on arrival" to a
  minute. A duration range ``"60 - 240"`` also caps it. An open end with a ``duration`` that
  nothing of its groups follows on its day (not a part of a block) lasts that duration: the
  day's window is when things may happen, not something it runs into, so "17:00 -" closing
  remarks of 15 minutes are 15 minutes, not six hours (``OpenEnd.last``).
* **Blocks.** Parts lie inside their block (``solver.build``). Unless the block says
  ``parallel: true``, its parts run one after another in the order the file lists them (a
  part with a place elsewhere leaves the time to get there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from .compile import DAY, UNREACHABLE, Item, Problem

if TYPE_CHECKING:
    from .rules.base import ModelContext
    from .timetable import Placement, Timetable


@dataclass(frozen=True)
class OpenEnd:
    """How long an activity with no printed end is read to last, and why."""

    length: int
    until: Item | None
    """What it lasts until (the next activity, or its block); None: the day's end."""
    by_block: bool = False
    travel: int = 0
    """The minutes left to get to ``until``."""
    reach: int = 0
    """Minutes from its start until what follows (less the travel), its block's or the day's
    end: the length, unless its least length (or its cap) says otherwise."""
    until_start: int | None = None
    """When ``until`` starts (an activity; None for a block or the day's end)."""
    last: bool = False
    """Nothing of its groups follows it on its day and the file gives its ``duration``: it
    lasts that, not until the day's end."""


def read_open_ends(
    problem: Problem, timetable: Timetable, *, published: bool = False
) -> dict[str, OpenEnd]:
    """The reading of every placed activity with no printed end (see the module docstring),
    from the starts and places of what is around it in ``timetable``; its own end there is
    not read. ``published``: the file's own timetable, where a place the file leaves to a
    choice is not known yet (no travel is counted to or from it).

    Blocks first: a part of an open-ended block ends with the block's reading."""
    opened = [i for i in problem.items if i.open_end and timetable.get(i.id) is not None]
    if not opened:
        return {}
    by_date: dict[dt.date, list[tuple[Item, Placement]]] = {}
    for item in problem.items:
        p = timetable.get(item.id)
        if p is not None:
            by_date.setdefault(p.date, []).append((item, p))
    result: dict[str, OpenEnd] = {}
    for item in sorted(opened, key=lambda i: i.block is not None):
        p = timetable.get(item.id)
        assert p is not None
        day = problem.day_of_date[p.date]
        placed = by_date[p.date]
        block = problem.item(item.block) if item.block is not None else None
        bp = timetable.get(block.id) if block is not None else None
        if block is not None and bp is not None and bp.date == p.date:
            known = result.get(block.id)
            end = bp.start + known.length if known is not None else bp.end
            reading = OpenEnd(end - p.start, block, True, reach=end - p.start)
        else:  # the day's end; for a part whose block has no time yet, as long as it can be
            end = problem.day_windows[day][1]
            if block is not None:
                end = min(end, p.start + block.max_duration)
            reading = OpenEnd(end - p.start, None, reach=end - p.start)
        for other, q in _followers(item, placed):
            if q.start <= p.start:
                continue
            travel = reading_travel(
                problem, item, _venue(problem, item, p, published), other,
                _venue(problem, other, q, published),
            )  # fmt: skip
            if q.start - travel - p.start < reading.reach:
                reach = q.start - travel - p.start
                reading = OpenEnd(reach, other, False, travel, reach, q.start)
        last = _last(item, p, placed)
        length = item.duration if last else max(reading.reach, item.duration)
        if item.longest:
            length = min(length, item.longest)
        result[item.id] = OpenEnd(
            length,
            reading.until,
            reading.by_block,
            reading.travel,
            reading.reach,
            reading.until_start,
            last,
        )
    return result


def _last(item: Item, p: Placement, placed: list[tuple[Item, Placement]]) -> bool:
    """An open end with a ``duration``, no part of a block, that nothing of its groups
    starts after on its day (``OpenEnd.last``)."""
    if item.holds_reading or item.block is not None:
        return False
    return not any(q.start > p.start for _, q in _followers(item, placed))


def printed_room(problem: Problem, published: Timetable) -> dict[str, int]:
    """For each open end of the file's own timetable ``published``: the minutes from when it
    can begin (its start, or the end of what its groups do before it, and the way from
    there, when that runs past its start) until what follows it. What an open end with no
    ``duration`` keeps wherever it moves."""
    readings = read_open_ends(problem, published, published=True)
    room: dict[str, int] = {}
    for ident, reading in readings.items():
        item = problem.item(ident)
        p = published.get(ident)
        assert p is not None
        placed = [(o, q) for o in problem.items if (q := published.get(o.id)) and q.date == p.date]
        begins = p.start
        for other, q in _followers(item, placed):
            if q.start < p.start:
                travel = reading_travel(
                    problem, other, _venue(problem, other, q, True), item,
                    _venue(problem, item, p, True),
                )  # fmt: skip
                begins = max(begins, q.end + travel)
        ends = p.start + reading.reach - _ride_back(problem, published, item, reading)
        ends -= _parts_to_come(problem, published, item)
        ends -= _listed_to_come(problem, published, item, reading)
        ends = min(ends, _ride_out(problem, published, item, p, reading))
        room[ident] = max(1, ends - begins)
    return room


def _listed_to_come(problem: Problem, published: Timetable, item: Item, reading: OpenEnd) -> int:
    """The minutes of what the file lists after an open end on its day, for its groups and
    with no time of its own, up to what the open end lasts until (a session printed with a
    duration only): it runs between them."""
    if item.home_day is None or item.block is not None:
        return 0
    until = (
        reading.until.path[3] if reading.until and reading.until.home_day == item.home_day else None
    )
    mine = set(item.groups)
    minutes = 0
    for other in problem.items:
        if other.home_day != item.home_day or other.ride is not None or other.block is not None:
            continue
        listed = int(other.path[3])
        if listed <= int(item.path[3]) or (until is not None and listed >= int(until)):
            continue
        if other.days == item.days and published.get(other.id) is None and mine & set(other.groups):
            minutes += other.duration
    return minutes


def _ride_out(
    problem: Problem, published: Timetable, item: Item, p: Placement, reading: OpenEnd
) -> int:
    """The latest an open end may end when what it lasts until is served by a ride with no
    time (a departure window): the group must get to the ride and take it first, leaving by
    the window's end."""
    latest = p.start + reading.reach
    until = reading.until
    if until is None or reading.by_block or until.leg is None or until.includes_travel:
        return latest
    leg = problem.legs[until.leg]
    out = problem.items[leg.out]
    if published.get(out.id) is not None or not set(item.groups) & set(out.groups):
        return latest
    venue = _venue(problem, item, p, True)
    to_ride = reading_travel(problem, item, venue, out, leg.origin) if venue else 0
    arrive = (reading.until_start or latest) - out.duration
    return min(latest, arrive - to_ride, leg.depart_window[1] - to_ride)


def _parts_to_come(problem: Problem, published: Timetable, item: Item) -> int:
    """For a part of a block whose parts run in listed order: the minutes of the parts listed
    after it that the file gives no time, up to the next one it does (they run between)."""
    if item.block is None or problem.item(item.block).parallel:
        return 0
    parts = [p.id for p in sequences(problem).get(item.block, [])]
    minutes = 0
    later = parts[parts.index(item.id) + 1 :] if item.id in parts else []
    for part in (problem.item(x) for x in later):
        if published.get(part.id) is not None:
            break
        minutes += part.duration
    return minutes


def _ride_back(problem: Problem, published: Timetable, item: Item, reading: OpenEnd) -> int:
    """The minutes an open end served by a leg must leave for its ride back when the file
    gives that ride no time (``return: {}``): the walk to it, the ride, and the way on from
    where it stops to what follows. ("from 19:00 Dinner at the inn", nothing after it: the
    dinner lasts until the coach back leaves, at the latest when it still arrives in the day.)"""
    if item.leg is None or item.includes_travel:
        return 0
    leg = problem.legs[item.leg]
    if leg.back is None or published.get(problem.items[leg.back].id) is not None:
        return 0
    mine = published.get(item.id)
    assert mine is not None
    for index in leg.served:  # the ride back comes after the last of what the leg serves
        other = published.get(problem.items[index].id)
        if other is not None and other.start > mine.start:
            return 0
    back = problem.items[leg.back]
    venue = item.venues[0] if len(item.venues) == 1 else None
    walk = reading_travel(problem, item, venue, back, leg.destination) if venue else 0
    onward = 0
    if reading.until is not None and not reading.by_block and len(reading.until.venues) == 1:
        onward = reading_travel(
            problem, back, leg.destination, reading.until, reading.until.venues[0]
        )
    return walk + back.duration + max(0, onward - reading.travel)


def _followers(
    item: Item, placed: list[tuple[Item, Placement]]
) -> Iterator[tuple[Item, Placement]]:
    """What may end an open end: the other parts of its block, or what its groups do."""
    if item.block is not None:
        return ((o, q) for o, q in placed if o.block == item.block and o is not item)
    mine = set(item.groups)
    return ((o, q) for o, q in placed if o is not item and mine & set(o.groups))


def _venue(problem: Problem, item: Item, p: Placement, published: bool) -> str | None:
    if not published:
        return p.venue
    day = problem.day_of_date[p.date]
    venues = {v for d, v in item.options if d == day}
    return p.venue if len(venues) == 1 else None


def reading_travel(
    problem: Problem, item: Item, venue: str | None, other: Item, other_venue: str | None
) -> int:
    """Minutes an open end leaves to get from where it is to ``other``: 0 when a place is not
    known, or when the travel graph has no way between them (that is the travel rule's to say)."""
    if venue is None or other_venue is None:
        return 0
    need = problem.travel_need(item, venue, other, other_venue)
    return 0 if need >= UNREACHABLE else need


def open_end_findings(
    problem: Problem, timetable: Timetable
) -> Iterator[tuple[Item, Placement, str]]:
    """Open ends whose length in ``timetable`` is not their reading there: (item, placement,
    what is wrong). A solver's timetable has none; a file's own never has (it is read so)."""
    for ident, reading in read_open_ends(problem, timetable).items():
        item = problem.item(ident)
        p = timetable.get(ident)
        assert p is not None
        if item.holds_reading and reading.reach < item.duration:
            what = _what_follows(reading)
            yield (
                item,
                p,
                (
                    f"has no printed end and lasts at least {item.duration} minutes (its reading "
                    f"in the file), but {what} leaves it only {max(reading.reach, 0)}"
                ),
            )
        elif reading.last and p.minutes != reading.length:
            yield (
                item,
                p,
                (
                    f"has no printed end and nothing of its groups follows it that day, so it "
                    f"lasts its {reading.length} minutes, not {p.minutes}"
                ),
            )
        elif p.minutes != reading.length:
            yield (
                item,
                p,
                (
                    f"has no printed end, so it lasts until {_what_follows(reading)} "
                    f"({reading.length} minutes), not {p.minutes}"
                ),
            )


def _what_follows(reading: OpenEnd) -> str:
    if reading.until is None:
        return "the end of the day"
    if reading.by_block:
        return f"its block '{reading.until.title}' ends"
    travel = f" (less {reading.travel} minutes of travel)" if reading.travel else ""
    return f"'{reading.until.title}' starts{travel}"


def post_open_ends(m: ModelContext, guard: Any = None, least: Any = None) -> None:
    """The reading as constraints: ``reach`` is the least of the day's (or block's) end and
    the start, less the travel, of every follower that starts later on the same day, and
    equals one of them; the length is ``reach`` held between the least length and the cap.
    ``guard(item)`` gives the literals under which an open end that holds its reading may
    not be cut below it, ``least(item)`` the least length a ``duration`` gives (explanations
    name both facts); None: always, and the duration."""
    problem = m.problem
    for item in problem.items:
        if item.open_end:
            held = guard(item) if guard is not None and item.holds_reading else []
            shortest = least(item) if least is not None else item.duration
            _post_open_end(m, item, held, shortest)


def _post_open_end(m: ModelContext, item: Item, held: list[Any], shortest: Any) -> None:
    model = m.model
    start = m.start(item)
    days = item.days
    low, high = min(days) * DAY - DAY, (max(days) + 1) * DAY
    reach_end = model.new_int_var(low, high, f"reach_{item.id}")
    tight: list[Any] = []
    if item.block is not None:
        bound = m.end(m.problem.item(item.block))
        model.add(reach_end <= bound)
        at_bound = model.new_bool_var(f"reach_{item.id}_block")
        model.add(reach_end == bound).only_enforce_if(at_bound)
        tight.append(at_bound)
    else:
        windows = m.problem.day_windows
        for day in days:
            on = m.on_day(item, day)
            bound_value = day * DAY + windows[day][1]
            model.add(reach_end <= bound_value).only_enforce_if(on)
            at_bound = model.new_bool_var(f"reach_{item.id}_day_{day}")
            model.add(reach_end == bound_value).only_enforce_if(at_bound)
            model.add_implication(at_bound, on)
            tight.append(at_bound)
    mine = set(item.groups)
    may_be_last = not item.holds_reading and item.block is None
    follows: list[Any] = []
    for other in m.problem.items:
        if other is item or not m.may_share_day(item, other):
            continue
        if item.block is not None:
            if other.block != item.block:
                continue
        elif not mine & set(other.groups):
            continue
        later = model.new_bool_var(f"later_{item.id}_{other.id}")
        model.add(m.start(other) >= start + 1).only_enforce_if(later)
        model.add(m.start(other) <= start).only_enforce_if(later.Not())
        same = m.same_day(item, other)
        travel = _travel_expression(m, item, other)
        model.add(reach_end <= m.start(other) - travel).only_enforce_if([later, same])
        at_other = model.new_bool_var(f"reach_{item.id}_{other.id}")
        model.add(reach_end == m.start(other) - travel).only_enforce_if(at_other)
        model.add_bool_and([later, same]).only_enforce_if(at_other)
        tight.append(at_other)
        if may_be_last:
            follow = model.new_bool_var(f"follows_{item.id}_{other.id}")
            model.add_bool_and([later, same]).only_enforce_if(follow)
            model.add_bool_or([later.Not(), same.Not()]).only_enforce_if(follow.Not())
            follows.append(follow)
    model.add_bool_or(tight)
    reach = reach_end - start
    if item.holds_reading:
        model.add(reach >= item.duration).only_enforce_if(held)
    least = model.new_int_var(-DAY - DAY, DAY + DAY, f"least_{item.id}")
    model.add_max_equality(least, [reach, shortest])
    if may_be_last:  # nothing follows it on its day: it lasts its duration (``OpenEnd.last``)
        last = model.new_bool_var(f"last_{item.id}")
        model.add_bool_and([f.Not() for f in follows]).only_enforce_if(last)
        model.add_bool_or([last, *follows])
        least_or_last = model.new_int_var(-DAY - DAY, DAY + DAY, f"length_{item.id}")
        model.add(least_or_last == shortest).only_enforce_if(last)
        model.add(least_or_last == least).only_enforce_if(last.Not())
        least = least_or_last
    model.add_min_equality(m.duration(item), [least, item.longest])


def _travel_expression(m: ModelContext, item: Item, other: Item) -> Any:
    """``reading_travel`` over the places the two may take: a number, or a variable."""
    from .rules.base import venue_expression

    return venue_expression(m, item, other, reading_travel, "reach_need")


# --- blocks --------------------------------------------------------------------------------


def sequences(problem: Problem) -> dict[str, list[Item]]:
    """Each block whose parts run one after another, with its timed parts in listed order."""
    parts: dict[str, list[Item]] = {}
    for item in problem.items:
        if item.block is not None and not problem.item(item.block).parallel:
            parts.setdefault(item.block, []).append(item)
    return {block: found for block, found in parts.items() if len(found) > 1}


def part_gap(
    problem: Problem, first: Item, venue: str | None, second: Item, other: str | None
) -> int:
    """Minutes between two consecutive parts: the travel from one's place to the next."""
    need = problem.travel_need(first, venue, second, other)
    return min(need, DAY)


def read_block_order(
    problem: Problem, timetable: Timetable
) -> Iterator[tuple[Item, Item, Placement, Placement, int]]:
    """Consecutive parts of a sequential block that do not follow one another: (block, the
    part, the part before it, their placements (part first), the travel between them)."""
    for block, parts in sequences(problem).items():
        for first, second in pairwise(parts):
            p, q = timetable.get(first.id), timetable.get(second.id)
            if p is None or q is None:
                continue
            gap = part_gap(problem, first, p.venue, second, q.venue)
            if q.date != p.date or q.start < p.end + gap:
                yield problem.item(block), second, q, p, gap


def post_block_order(m: ModelContext, guard: Any = None) -> None:
    """Each part of a sequential block starts once the one listed before it has ended (and
    the group has got there). ``guard(block)``: the literals it holds under (explanations)."""
    problem = m.problem
    for block, parts in sequences(problem).items():
        held = guard(problem.item(block)) if guard is not None else []
        for first, second in pairwise(parts):
            need = _part_need(m, first, second)
            m.model.add(m.start(second) >= m.end(first) + need).only_enforce_if(held)


def _part_need(m: ModelContext, first: Item, second: Item) -> Any:
    """``part_gap`` over the places the two parts may take: a number, or a variable."""
    from .rules.base import venue_expression

    return venue_expression(m, first, second, part_gap, "part_need")


# --- rules that can only contradict the structure ---------------------------------------------


@dataclass(frozen=True)
class Contradiction:
    """A rule that names what the structure already decides the other way."""

    rule: str
    error: bool
    """True: the rule can never hold; False: part of it can never apply, and is left out."""
    items: tuple[Item, ...]
    message: str


def contradictions(problem: Problem) -> Iterator[Contradiction]:
    """A ``clash`` naming a block and its own part (the part lies inside it: that pair is
    left out in both readings), a ``sequence`` that puts a part before or after its own block,
    or two parts of a block that runs them in listed order the other way round (it can never
    hold). Each needs a block: without one (a conference's thousands of clash rules) there is
    nothing to look at."""
    if all(item.block is None for item in problem.items):
        return
    order = {part.id: k for parts in sequences(problem).values() for k, part in enumerate(parts)}
    for rule in problem.rules:
        named = [problem.item(x) for x in dict.fromkeys(getattr(rule, "activities", []))]
        if rule.kind == "clash":
            ids = {i.id for i in named}
            for part in named:
                if part.block is not None and part.block in ids:
                    block = problem.item(part.block)
                    yield Contradiction(
                        rule.id,
                        False,
                        (part, block),
                        f"rule {rule.id} keeps '{part.title}' apart from '{block.title}', but "
                        "it is a part of that block and lies inside it: that pair is left out",
                    )
        elif rule.kind == "sequence":
            for a, b in pairwise(named):
                if a.block == b.id or b.block == a.id:
                    part, block = (a, b) if a.block == b.id else (b, a)
                    yield Contradiction(
                        rule.id,
                        True,
                        (b, a),
                        f"rule {rule.id} asks '{b.title}' to follow '{a.title}', but "
                        f"'{part.title}' is a part of '{block.title}' and lies inside it: "
                        "the rule can never hold",
                    )
                elif a.block is not None and a.block == b.block and _later(order, a, b):
                    block = problem.item(a.block)
                    yield Contradiction(
                        rule.id,
                        True,
                        (b, a),
                        f"rule {rule.id} asks '{b.title}' to follow '{a.title}', but the parts "
                        f"of '{block.title}' run one after another as the file lists them, "
                        f"'{b.title}' first: the rule can never hold (say 'parallel: true' on "
                        "the block if its parts have no order)",
                    )


def _later(order: dict[str, int], a: Item, b: Item) -> bool:
    """Does the block list ``a`` after ``b`` (both parts of one sequential block)?"""
    return a.id in order and b.id in order and order[a.id] > order[b.id]
