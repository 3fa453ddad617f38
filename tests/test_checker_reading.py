"""The checker's faster readings against a plain reading, on generated timetables.

The checker reads where each activity is placed in the order the problem lists its activities
(``CheckContext.by_index``, which lies in memory so), each room's closed windows by day, and a
person's activities listed then put in time order (``rules.overlap._members``). A plain
reading walks the activities in time order, every closed window of a room, every person's
activities by filtering the whole timetable. On DebConf 23 copied by days (rooms closed on
hundreds of days, lists of rooms, speakers of several talks) and a first-fit timetable with
activities moved by hypothesis to other times, rooms and days, both find the same findings
in the same order, and the same overlapping pairs per person, in the same order.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.check_scale import greedy_answer
from benchmarks.generate_real_scaled import generate_few_rooms
from course_scheduler.checking import _placement_findings
from course_scheduler.clock import format_clock
from course_scheduler.compile import Item, Problem, compile_programme, exempt_pair
from course_scheduler.importers.peer import programme_from_peer, timetable_from_assignment
from course_scheduler.loading import load
from course_scheduler.model import ClashRule, NoOverlapRule
from course_scheduler.rules import CheckContext
from course_scheduler.rules.base import quote, when
from course_scheduler.rules.overlap import _members, check_clash, clashes
from course_scheduler.text import plural
from course_scheduler.timetable import Placement, Timetable, new_placement, published_timetable

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@functools.cache
def _first_fit() -> tuple[Problem, Timetable]:
    data = generate_few_rooms(240, 5)
    problem = compile_programme(programme_from_peer(data))
    return problem, timetable_from_assignment(data, greedy_answer(data))


MOVES = st.lists(
    st.tuples(
        st.integers(0, 10**6),
        st.integers(0, 10**6),
        st.sampled_from(["time and room", "time", "room", "shift", "day"]),
        st.sampled_from([-30, -7, 5, 15, 600]),
    ),
    min_size=1,
    max_size=60,
)


def _moved(
    problem: Problem, timetable: Timetable, moves: list[tuple[int, int, str, int]]
) -> Timetable:
    placements = dict(timetable.placements)
    ids = sorted(placements)
    rooms = sorted(problem.room_venue)
    for which, other, how, shift in moves:
        ident = ids[which % len(ids)]
        mine, theirs = placements[ident], placements[ids[other % len(ids)]]
        length = mine.end - mine.start
        if how == "time and room":
            mine = dataclasses.replace(
                mine,
                date=theirs.date,
                start=theirs.start,
                end=theirs.start + length,
                venue=theirs.venue,
                room=theirs.room,
            )
        elif how == "time":
            mine = dataclasses.replace(
                mine, date=theirs.date, start=theirs.start, end=theirs.start + length
            )
        elif how == "room" and rooms:
            room = rooms[other % len(rooms)]
            mine = dataclasses.replace(mine, room=room, venue=problem.room_venue[room])
        elif how in ("shift", "room"):  # a programme without rooms: shifted instead
            mine = dataclasses.replace(mine, start=mine.start + shift, end=mine.end + shift)
        else:
            mine = dataclasses.replace(mine, date=theirs.date)
        placements[ident] = mine
    return Timetable(placements)


def _plain_time_order(problem: Problem, timetable: Timetable) -> list[tuple[Item, Placement]]:
    """Every placed activity, sorted by date, start, end and its place in the problem's list."""
    pairs = [(i, timetable.placements[i.id]) for i in problem.items if i.id in timetable.placements]
    return sorted(pairs, key=lambda x: (x[1].date, x[1].start, x[1].end, x[0].index))


def _plain_pairs(problem: Problem, pairs: list[tuple[Item, Placement]]) -> list[tuple[str, str]]:
    """Of ``pairs`` in time order, each later one with every earlier one on its date that has
    not ended when it starts (and that the sharing rules do not exempt): (earlier, later)."""
    found = []
    for j, (b, q) in enumerate(pairs):
        for a, p in pairs[:j]:
            if p.date == q.date and p.end > q.start and not exempt_pair(problem, b, a):
                found.append((a.id, b.id))
    return found


def _plain_placement_findings(problem: Problem, timetable: Timetable) -> list[tuple[str, str]]:
    """Each placed activity in time order, every closed window of its room, its list of rooms
    read with ``in``: (activity, message) as the checker words them."""
    found = []
    for item, p in _plain_time_order(problem, timetable):
        day = problem.day_of_date.get(p.date)
        texts = []
        if day is None or (day, p.venue) not in item.options:
            texts.append("is placed on a day or at a venue it does not allow")
        length = p.end - p.start
        if item.open_end:
            pass
        elif item.longest > item.duration and not item.duration <= length <= item.longest:
            texts.append(
                f"lasts {plural(length, 'minute')}, outside its {item.duration} to "
                f"{item.longest} minutes"
            )
        elif item.longest <= item.duration and length != item.duration:
            texts.append(f"lasts {plural(length, 'minute')} instead of {item.duration}")
        if p.end > 24 * 60:
            texts.append("runs past midnight")
        if item.rooms and p.room not in item.rooms:
            texts.append(f"is in room {p.room}, not one of {', '.join(item.rooms)}")
        if p.room and problem.room_venue.get(p.room) != p.venue:
            texts.append(f"is in room {p.room}, which is not at its venue")
        ends = problem.slot_ends.get(p.room) if p.room else None
        if ends is not None and p.end > ends.get(p.start, -1):
            texts.append(f"does not fit a slot of room {p.room}")
        for c_day, c_start, c_end in problem.room_closed.get(p.room, ()) if p.room else ():
            if c_day == day and p.start < c_end and c_start < p.end:
                texts.append(
                    f"is in room {p.room} while it is closed "
                    f"({format_clock(c_start)}-{format_clock(c_end)})"
                )
        for b_day, b_start, b_end, b_room in item.barred:
            if b_day == day and b_room in (None, p.room) and p.start < b_end and b_start < p.end:
                where = f" in room {b_room}" if b_room else ""
                texts.append(
                    f"overlaps a barred window {format_clock(b_start)}-{format_clock(b_end)}{where}"
                )
        found += [(item.id, f"{quote(item)} ({when(p)}) {text}") for text in texts]
    return found


def _plain_person_overlaps(problem: Problem, timetable: Timetable) -> list[tuple[str, str, str]]:
    """Each person in order of name, their activities filtered from the timetable in time
    order, every earlier one on the same date that has not ended when a later one starts."""
    placed = _plain_time_order(problem, timetable)
    found = []
    for person in sorted({p for item in problem.items for p in item.people}):
        mine: list[tuple[Item, Placement]] = []
        for item, p in placed:
            mine += [(item, p)] * item.people.count(person)
        for (j, (b, q)), (i, (a, p)) in itertools.product(enumerate(mine), repeat=2):
            if i < j and p.date == q.date and p.end > q.start and not exempt_pair(problem, b, a):
                found.append((person, a.id, b.id))
    return found


@SETTINGS
@given(moves=MOVES)
def test_the_placements_read_as_listed_find_what_a_reading_in_time_order_finds(
    moves: list[tuple[int, int, str, int]],
) -> None:
    problem, first_fit = _first_fit()
    timetable = _moved(problem, first_fit, moves)
    fast = [
        (f.activities[0], f.message) for f in _placement_findings(CheckContext(problem, timetable))
    ]
    assert fast == _plain_placement_findings(problem, timetable)


@SETTINGS
@given(moves=MOVES)
def test_each_persons_activities_listed_then_sorted_overlap_as_in_time_order(
    moves: list[tuple[int, int, str, int]],
) -> None:
    problem, first_fit = _first_fit()
    timetable = _moved(problem, first_fit, moves)
    ctx = CheckContext(problem, timetable)
    rule = next(r for r in problem.rules if isinstance(r, NoOverlapRule) and r.resource == "person")
    members = _members(rule, ctx)
    placed = _plain_time_order(problem, timetable)
    for person, pairs in members.items():
        assert pairs == [(i, p) for i, p in placed for _ in range(i.people.count(person))]
    fast = [(key, a.id, b.id) for key, a, _, b, _ in clashes(rule, ctx)]
    assert fast == _plain_person_overlaps(problem, timetable)


@SETTINGS
@given(moves=MOVES)
def test_the_time_order_read_as_listed_is_the_plain_sort(
    moves: list[tuple[int, int, str, int]],
) -> None:
    """``CheckContext.keys`` are sorted, not the activities: the same order, and each key
    says the placement of the activity at its position (as do the positions by index)."""
    problem, first_fit = _first_fit()
    timetable = _moved(problem, first_fit, moves)
    ctx = CheckContext(problem, timetable)
    placed = _plain_time_order(problem, timetable)
    assert ctx.placed == placed
    assert [(p.date, p.start, p.end, i.index, p.room) for i, p in placed] == [
        (d, s, e, i, r) for d, s, e, i, _, r, _, _ in ctx.keys
    ]
    assert [ctx.position[i.index] for i, _ in placed] == list(range(len(placed)))


@SETTINGS
@given(moves=MOVES)
def test_rooms_and_clash_rules_overlap_as_a_plain_reading_finds(
    moves: list[tuple[int, int, str, int]],
) -> None:
    """Each room's activities and each clash rule's, filtered from the timetable in time
    order, every pair that overlaps: the same pairs in the same order as the checker's."""
    problem, first_fit = _first_fit()
    timetable = _moved(problem, first_fit, moves)
    ctx = CheckContext(problem, timetable)
    placed = _plain_time_order(problem, timetable)
    rule = next(r for r in problem.rules if isinstance(r, NoOverlapRule) and r.resource == "room")
    fast = [(key, a.id, b.id) for key, a, _, b, _ in clashes(rule, ctx)]
    plain = [
        (room, a, b)
        for room in sorted({p.room for _, p in placed if p.room})
        for a, b in _plain_pairs(problem, [(i, p) for i, p in placed if p.room == room])
    ]
    assert fast == plain
    clash_rules = [r for r in problem.rules if isinstance(r, ClashRule)]
    assert clash_rules
    for clash in clash_rules:
        named = set(clash.activities)
        fast_pairs = [f.activities for f in check_clash(clash, ctx)]
        plain_pairs = _plain_pairs(problem, [(i, p) for i, p in placed if i.id in named])
        assert fast_pairs == [(b, a) for a, b in plain_pairs]


@functools.cache
def _grouped() -> tuple[Problem, Timetable]:
    """A summer school of six groups nested in one another: most sessions are for several."""
    problem = compile_programme(load(EXAMPLES / "e2m2_2025" / "programme.yaml"))
    return problem, published_timetable(problem)


@SETTINGS
@given(moves=MOVES)
def test_each_groups_activities_listed_then_sorted_overlap_as_in_time_order(
    moves: list[tuple[int, int, str, int]],
) -> None:
    problem, published = _grouped()
    timetable = _moved(problem, published, moves)
    ctx = CheckContext(problem, timetable)
    placed = _plain_time_order(problem, timetable)
    rule = next(r for r in problem.rules if isinstance(r, NoOverlapRule) and r.resource == "group")
    fast = [(key, a.id, b.id) for key, a, _, b, _ in clashes(rule, ctx)]
    plain = [
        (group, a, b)
        for group in sorted({g for i, _ in placed for g in i.groups})
        for a, b in _plain_pairs(problem, [(i, p) for i, p in placed if group in i.groups])
    ]
    assert fast == plain


def test_the_generated_moves_reach_every_kind_of_placement_finding() -> None:
    """The cases above are not all clean: a move of every activity finds rooms closed, rooms
    not listed, other days, wrong lengths and people in two talks at once."""
    problem, first_fit = _first_fit()
    n = len(first_fit.placements)
    moves = [(k, 7 * k + 3, how, 15) for k in range(n) for how in ("time and room", "shift")]
    timetable = _moved(problem, first_fit, moves[: n // 2] + moves[n + 1 :: 3])
    texts = [message for _, message in _plain_placement_findings(problem, timetable)]
    for words in ("while it is closed", "not one of", "does not fit a slot", "does not allow"):
        assert any(words in text for text in texts), words
    assert len(_plain_person_overlaps(problem, timetable)) >= 3
    placed = _plain_time_order(problem, timetable)
    rooms = {p.room for _, p in placed if p.room}
    assert (
        sum(len(_plain_pairs(problem, [x for x in placed if x[1].room == r])) for r in rooms) >= 3
    )
    clash_rules = [r for r in problem.rules if isinstance(r, ClashRule)]
    named = [{*r.activities} for r in clash_rules]
    assert sum(len(_plain_pairs(problem, [x for x in placed if x[0].id in n])) for n in named) >= 3
    grouped, published = _grouped()
    moved = _moved(grouped, published, [(k, 5 * k + 1, "time", 0) for k in range(0, 70, 3)])
    placed = _plain_time_order(grouped, moved)
    groups = {g for i, _ in placed for g in i.groups}
    assert sum(len(_plain_pairs(grouped, [x for x in placed if g in x[0].groups])) for g in groups)


@given(
    date=st.dates(),
    start=st.integers(-100, 3000),
    length=st.integers(0, 600),
    activity=st.text(max_size=8),
    venue=st.none() | st.text(max_size=5),
    room=st.none() | st.text(max_size=5),
)
def test_a_placement_made_in_one_step_is_the_dataclass_one(
    date: object, start: int, length: int, activity: str, venue: str | None, room: str | None
) -> None:
    made = Placement(date, start, start + length, activity, venue, room)  # type: ignore[arg-type]
    fast = new_placement(date, start, start + length, activity, venue, room)  # type: ignore[arg-type]
    assert fast == made and hash(fast) == hash(made) and repr(fast) == repr(made)
    assert vars(fast) == vars(made) and not fast < made and not made < fast
    assert dataclasses.replace(fast, start=start + 1) == dataclasses.replace(made, start=start + 1)
