"""An import over the planner's file from the last import keeps the ids that file gives.

The ids an import makes are slugs of names (``schedule.id_base``): a change in how they are
made (accented letters kept as their base letter, this release), a person or room renamed in
the published schedule, or an id the planner changed by hand would otherwise give the same
person or room another id on the next import, and the file's references to it (scenario
files, rules the planner wrote, ``--person``) would stop finding it. A person is the same
one when the published id (or guid) is, else when the name is; a room when its guid is, else
its name. Activities keep the published event's id already (``event-N``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..model import Activity, Day, Person, Programme, Room, Venue


def keep_ids(new: Programme, old: Programme) -> Programme:
    """``new`` with each person and room that ``old`` has under another id given old's id."""
    people = _same(
        ((p.id, _identity(p.published), p.name) for p in old.people),
        ((p.id, _identity(p.published), p.name) for p in new.people),
    )
    old_rooms = [r for v in old.venues for r in v.rooms]
    new_rooms = [r for v in new.venues for r in v.rooms]
    rooms = _same(
        ((r.id, _identity(r.published), r.name) for r in old_rooms),
        ((r.id, _identity(r.published), r.name) for r in new_rooms),
    )
    if not people and not rooms:
        return new
    return new.model_copy(
        update={
            "people": [_person(p, people) for p in new.people],
            "venues": [_venue(v, rooms) for v in new.venues],
            "days": [_day(d, people, rooms) for d in new.days],
        }
    )


def _identity(published: object) -> str | None:
    if published is None:
        return None
    return getattr(published, "guid", None) or getattr(published, "id", None)


def _same(
    old: Iterable[tuple[str, str | None, str]], new: Iterable[tuple[str, str | None, str]]
) -> dict[str, str]:
    """New id → old id, for what is the same person or room under another id; never onto an
    id the new import gives to someone else, and by a name only when one has it on each side."""
    old = list(old)
    new = list(new)
    by_identity = {identity: ident for ident, identity, _ in old if identity}
    names = Counter(name for _, _, name in old)
    new_names = Counter(name for _, _, name in new)
    by_name = {name: ident for ident, _, name in old if names[name] == 1}
    taken = {ident for ident, _, _ in new}
    found: dict[str, str] = {}
    for ident, identity, name in new:
        before = by_identity.get(identity) if identity else None
        if before is None and new_names[name] == 1:
            before = by_name.get(name)
        if before is not None and before != ident and before not in taken:
            found[ident] = before
    if len(set(found.values())) < len(found):  # two onto one: keep none of them
        twice = {v for v, n in Counter(found.values()).items() if n > 1}
        found = {k: v for k, v in found.items() if v not in twice}
    return found


def _person(person: Person, ids: dict[str, str]) -> Person:
    return person.model_copy(update={"id": ids[person.id]}) if person.id in ids else person


def _venue(venue: Venue, rooms: dict[str, str]) -> Venue:
    return venue.model_copy(update={"rooms": [_room(r, rooms) for r in venue.rooms]})


def _room(room: Room, rooms: dict[str, str]) -> Room:
    return room.model_copy(update={"id": rooms[room.id]}) if room.id in rooms else room


def _day(day: Day, people: dict[str, str], rooms: dict[str, str]) -> Day:
    return day.model_copy(
        update={"activities": [_activity(a, people, rooms) for a in day.activities]}
    )


def _activity(activity: Activity, people: dict[str, str], rooms: dict[str, str]) -> Activity:
    return activity.model_copy(
        update={
            "people": [people.get(p, p) for p in activity.people],
            "room": rooms.get(activity.room, activity.room) if activity.room else activity.room,
            "rooms": [rooms.get(r, r) for r in activity.rooms]
            if activity.rooms
            else activity.rooms,
            "barred": [
                b.model_copy(update={"room": rooms[b.room]}) if b.room in rooms else b
                for b in activity.barred
            ],
        }
    )
