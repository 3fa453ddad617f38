"""Activities that need more places than there are: a proof, from rooms alone, that no
timetable exists.

Why: on a 10,000-talk conference, closing a room for a morning displaced 8 talks that may
use only three other rooms, full every day, whose own talks may use nothing else. CP-SAT's
search (no presolve nor LP relaxation on a pooled model, ``search.POOLED``) found neither a
repair nor a proof in a minute, and the what-if answered "unknown". Counting places proves
it at once, and says so in words a planner can act on.

The reading: a place is a room in a cell (a pool, a day, a start) that an activity may take
there. When a hard room rule holds, the model lets each place hold one activity (the cells'
room bounds, ``PooledRooms.post``) and asks much more besides (cells that overlap in time,
activities kept apart); the places alone are a relaxation of it. So when some activities
can take, between them, fewer places than they are (Hall's condition fails), no timetable
holds them all.

The method: a matching of activities to places is given (a construction's placements, or
the placements of the timetable a what-if repairs); from each activity it leaves out, a
breadth-first search for an augmenting path (a place held leads to its holder's other
places); a path found is taken (the matching grows, nothing else changes). Once no path
leads from an activity, none will after later paths are taken; the activities left out at
the end and every activity reached from them are the set: each place they may take is held
by one of them, one place fewer than activities for each left out.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..compile import Item, Problem
from ..reporting import named
from ..rules.base import day_label, quote
from ..text import and_list, plural
from .slots import Cell, Options

Place = tuple[Cell, str]
"""A room in a cell."""

MOST_LOOKS = 2_000_000
"""Places looked at before the search gives up (no proof, no harm): about a second. The set
of a what-if is small (the displaced activities' rooms); an open programme finds a free place
in an activity's first cells."""


@dataclass(frozen=True)
class Shortage:
    """Activities (by index) that may take between them only ``places``, ``len(short)``
    fewer than they are: ``short`` are those a matching left without one."""

    activities: tuple[int, ...]
    short: tuple[int, ...]
    places: tuple[Place, ...]


def shortage(
    options: dict[int, Options],
    rooms: Callable[[Item, frozenset[str]], list[str]],
    matched: dict[int, Place],
    expired: Callable[[], bool] | None = None,
    most: int = MOST_LOOKS,
) -> Shortage | None:
    """The activities of ``options`` that cannot all have a place, found from ``matched``
    (activity -> its place, no place twice; every other activity is left out to begin
    with); None when every one can (so far as places go) or the search gave up (``most``
    places looked at, or ``expired``). ``rooms(item, listed)``: the rooms of a cell's
    ``listed`` rooms the activity may use (those that hold its audience when a hard
    capacity rule says so)."""
    holder: dict[Place, int] = {}
    place_of: dict[int, Place] = {}
    for index, place in matched.items():
        if index in options and place not in holder:
            holder[place] = index
            place_of[index] = place
    looks = 0

    def places(index: int) -> Iterator[Place]:
        nonlocal looks
        item = options[index].item
        for cell, listed in options[index].cells:
            for room in rooms(item, listed):
                looks += 1
                yield cell, room

    def out_of_looks() -> bool:
        return looks > most or (expired is not None and expired())

    left: list[int] = []
    for start in options:
        if start in place_of:
            continue
        came_from: dict[int, tuple[int, Place] | None] = {start: None}
        queue = deque([start])
        free: tuple[int, Place] | None = None
        while queue and free is None:
            if out_of_looks():
                return None
            index = queue.popleft()
            for place in places(index):
                other = holder.get(place)
                if other is None:
                    free = index, place
                    break
                if other not in came_from:
                    came_from[other] = index, place
                    queue.append(other)
        if free is None:
            left.append(start)
            continue
        index, place = free
        while True:  # each activity on the path takes the place it was reached by
            holder[place] = index
            place_of[index] = place
            step = came_from[index]
            if step is None:
                break
            index, place = step
    if not left:
        return None
    return _set_of(left, places, holder)


def _set_of(
    left: list[int], places: Callable[[int], Iterator[Place]], holder: dict[Place, int]
) -> Shortage | None:
    """``left`` and every activity reached from them, and the places they may take (each
    held by one of them: else a path would have been found; None if one is not)."""
    reached = dict.fromkeys(left)
    seen: dict[Place, None] = {}
    queue = deque(left)
    while queue:
        for place in places(queue.popleft()):
            if place in seen:
                continue
            seen[place] = None
            other = holder.get(place)
            if other is None:
                return None
            if other not in reached:
                reached[other] = None
                queue.append(other)
    return Shortage(tuple(reached), tuple(left), tuple(seen))


NAMED_ROOMS = 8
"""Rooms a sentence names before "and N more"."""


def sentence(problem: Problem, found: Shortage, seated: bool = False) -> str:
    """The shortage in words: which rooms (by name) on which days, how many places for how many
    activities, and some of those the count left out (any of the set could be: a planner
    reads them as examples, not culprits). ``seated``: a hard capacity rule leaves out the
    rooms too small for an audience, so the sentence says so. A set with no place at all is
    never said this way: no room is short then (``search._short_of_places`` leaves it to the
    search for the rules)."""
    assert found.places, "a set with no place at all is the search's to explain"
    items = {item.index: item for item in problem.items}
    names = {room.id: room.name for venue in problem.venues.values() for room in venue.rooms}
    rooms = sorted({names.get(room, room) for _, room in found.places})
    shown = list(rooms)
    if len(shown) > NAMED_ROOMS + 2:
        shown = [*shown[:NAMED_ROOMS], f"{len(rooms) - NAMED_ROOMS} more rooms"]
    days = sorted({cell.day for cell, _ in found.places})
    dates = [day_label(problem.dates[day]) for day in days]
    if len(dates) > NAMED_ROOMS + 2:
        dates = [*dates[:NAMED_ROOMS], f"{len(days) - NAMED_ROOMS} more days"]
    short = [quote(items[i]) for i in found.short]
    where = f"{and_list(shown)} on {and_list(dates)}"
    seats = " (those of the rooms that seat each one)" if seated else ""
    return (
        f"{plural(len(found.activities), 'activity')} may only take places in {where}, "
        f"{plural(len(found.places), 'place')}{seats} (a room at one of its start times) "
        f"between them: {len(found.short)} too many (such as {named(short)})"
    )
