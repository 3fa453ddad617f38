"""Rules about where things happen together: activities that share one room.

A published schedule splits an event that runs past midnight into parts, one per date
(``importers/schedule.py``); a repair that moves such an event to another room must move every
part there, or the audience would change rooms at midnight.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from ..model import SameRoomRule
from .base import CheckContext, Finding, ModelContext, quote, register


def check_same_room(rule: SameRoomRule, ctx: CheckContext) -> Iterator[Finding]:
    placed = []
    for ident in dict.fromkeys(rule.activities):
        placement = ctx.timetable.get(ident)
        if placement is not None:
            placed.append((ctx.problem.item(ident), placement))
    rooms = {p.room for _, p in placed}
    if len(rooms) < 2:
        return
    (first, p), *others = placed
    elsewhere = [(item, q) for item, q in others if q.room != p.room]
    where = ", ".join(f"{quote(item)} in {_room(q.room)}" for item, q in elsewhere)
    yield ctx.finding(
        rule,
        f"{quote(first)} is in {_room(p.room)} but {where}; they take place in one room",
        [first, *(item for item, _ in elsewhere)],
        p,
    )


def _room(room: str | None) -> str:
    return f"room {room}" if room else "no room"


def post_same_room(rule: SameRoomRule, m: ModelContext) -> None:
    """For each pair of consecutive activities and each room either may take: both are in it
    or neither is (a room one of them cannot take counts as false). Rooms with a slot grid too:
    the activities it names are never pooled (``solver/slots.plan_pools``)."""
    items = [m.problem.item(x) for x in dict.fromkeys(rule.activities)]
    guard = m.guard(rule, instance=rule.id)
    for a, b in pairwise(items):
        rooms_a = {room: lit for lit, room in m.room_literals(a)}
        rooms_b = {room: lit for lit, room in m.room_literals(b)}
        if not rooms_a and not rooms_b:
            continue
        if not rooms_a or not rooms_b:  # one has a room, the other never does
            m.model.add_bool_or([]).only_enforce_if(guard)
            continue
        for room in sorted(set(rooms_a) | set(rooms_b)):
            if room in rooms_a and room in rooms_b:
                m.model.add(rooms_a[room] == rooms_b[room]).only_enforce_if(guard)
            else:  # a room only one of them may take: that one is not in it
                only = rooms_a[room] if room in rooms_a else rooms_b[room]
                m.model.add_bool_or([only.Not()]).only_enforce_if(guard)


register("same_room", check_same_room, post_same_room)
