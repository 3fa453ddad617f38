"""A large cell's room matching as a flow along rooms sorted by size, not talk by talk.

Why: an activity's cost for a room is its place in the order it wants the rooms in
(``Ladder.order``: the rooms that hold its audience smallest first, then the others largest
first), and that order is made of stretches of a few lists shared by every activity of the
cell (the ladder's rooms by size). A flow that enters such a list where the activity's
stretch begins and moves along it one room per unit of cost reaches every room at the cost
the activity gives it, with a handful of arcs per activity where one arc per (activity, room)
grew with talks times rooms (a 10,000-talk conference: cells of 130 talks and 150 rooms).

Every path costs at least what its activity gives the room it ends in, and each room is
reached at exactly that cost by some path, so the least flow costs what the least matching
does, and any way of reading the flow as paths gives a matching of that cost.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .slots import Ladder

Wanted = tuple["Ladder", int, str | None, list[int]]
"""A ladder (the rooms an activity may use), the audience (0: none), the room it prefers
(first of its kind) and the activities that want the rooms so."""

Stretch = tuple[int, int, int]
"""Which of a ladder's lists (``_LISTS``), where in it, and the cost of that room."""

_LISTS = ("everything", "unlimited", "ascending", "descending")


def stretches(
    ladder: Ladder, need: int, preferred: str | None, big: int, places: list[dict[str, int]]
) -> tuple[list[Stretch], int | None]:
    """Where an activity's order enters the ladder's lists, at what cost (a list's rooms after
    an entry cost one more each), and what its preferred room costs (None: not one of its
    rooms). ``big`` is added to the rooms that do not hold the audience; ``places``: each
    list's rooms by position. A preferred room comes first of its kind (``Ladder.order``):
    the rooms of its kind before it cost one more, those after it what they cost without it;
    the preferred room itself is left to the caller (an arc of its own)."""
    if need <= 0:
        kinds = [[(0, 0, len(ladder.everything))]]
    else:
        at = bisect_left(ladder.sizes, need)
        below = bisect_right(ladder.negated, -need)
        kinds = [
            [(1, 0, len(ladder.unlimited)), (2, at, len(ladder.ascending))],
            [(3, below, len(ladder.descending))],
        ]
    found: list[Stretch] = []
    preferred_cost = None
    first = 0  # the cost of a kind's first room
    for k, kind in enumerate(kinds):
        first += big if k else 0
        where = None  # the stretch holding the preferred room, and its place in the list
        if preferred is not None:
            for n, (which, start, end) in enumerate(kind):
                place = places[which].get(preferred)
                if place is not None and start <= place < end:
                    where, preferred_cost = (n, place), first
        position = first
        for n, (which, start, end) in enumerate(kind):
            if start >= end:
                continue
            after = where is None or n > where[0]
            found.append((which, start, position if after else position + 1))
            if where is not None and n == where[0] and where[1] + 1 < end:
                found.append((which, where[1] + 1, position + where[1] + 1 - start))
            position += end - start
        first = position
    return found, preferred_cost


def chain_matching(wanted: list[Wanted], rooms: list[str], big: int) -> dict[int, str] | None:
    """A maximum matching of activities to ``rooms`` (each once) of least total cost, the cost
    of a room being its place in the activity's order (``Ladder.order``) plus ``big`` when it
    does not hold the audience: the same answer in cost as ``row_matching`` on those orders."""
    from .slots import least_cost_flow

    items = [item for *_, members in wanted for item in members]
    if not items or not rooms:
        return {}
    room_node = {room: len(items) + k for k, room in enumerate(rooms)}
    nodes = len(items) + len(rooms)
    tails: list[int] = []
    heads: list[int] = []
    caps: list[int] = []
    costs: list[int] = []

    def arc(tail: int, head: int, capacity: int, cost: int) -> int:
        tails.append(tail)
        heads.append(head)
        caps.append(capacity)
        costs.append(cost)
        return len(tails) - 1

    chains: dict[tuple[int, int], tuple[list[str], int, int]] = {}
    """Per (ladder, list): its rooms, its first node and its first room arc."""

    def chain(ladder: Ladder, which: int) -> tuple[list[str], int, int]:
        nonlocal nodes
        key = (id(ladder), which)
        known = chains.get(key)
        if known is None:
            members: list[str] = getattr(ladder, _LISTS[which])
            first, first_arc = nodes, len(tails)
            for k, room in enumerate(members):
                arc(first + k, room_node[room], 1, 0)
            for k in range(len(members) - 1):
                arc(first + k, first + k + 1, len(items), 1)
            nodes += len(members)
            known = chains[key] = (members, first, first_arc)
        return known

    places: dict[int, list[dict[str, int]]] = {}
    entries: list[tuple[int, int]] = []
    """Per entry arc: the arc and its activity."""
    item = 0
    for ladder, need, preferred, members in wanted:
        known = places.get(id(ladder))
        if known is None:
            known = places[id(ladder)] = [
                {room: k for k, room in enumerate(getattr(ladder, name))} for name in _LISTS
            ]
        found, preferred_cost = stretches(ladder, need, preferred, big, known)
        for _ in members:
            for which, start, cost in found:
                _, first, _ = chain(ladder, which)
                entries.append((arc(item, first + start, 1, cost), item))
            if preferred is not None and preferred_cost is not None:
                entries.append((arc(item, room_node[preferred], 1, preferred_cost), item))
            item += 1
    source, sink = nodes, nodes + 1
    for k in range(len(items)):
        arc(source, k, 1, 0)
    for node in room_node.values():
        arc(node, sink, 1, 0)
    flows = least_cost_flow(tails, heads, caps, costs, source, sink, len(items))
    if flows is None:
        return None  # the caller matches otherwise
    used = flows.tolist()
    matched: dict[int, str] = {}
    entering: dict[int, list[int]] = {}
    for index, activity in entries:
        if used[index]:
            head = heads[index]
            if head >= len(items) + len(rooms):  # into a chain
                entering.setdefault(head, []).append(activity)
            else:
                matched[items[activity]] = rooms[head - len(items)]
    for listed, first, first_arc in chains.values():
        waiting: list[int] = []
        for k, room in enumerate(listed):
            waiting += entering.get(first + k, [])
            if used[first_arc + k]:
                matched[items[waiting.pop()]] = room
    return matched
