"""An independent checker for answers to the peer's instances (event name → slot id).

Written for the benchmark from the instance's rules alone (the shared README), sharing no code
with course_scheduler's rules or with conference_scheduler's validator: every event in exactly
one existing slot at least as long as it and not in its ``slot_unavailability``; at most one event
per slot; and no two events that share a room, a speaker, a tag or an ``unavailability`` entry
overlap in real time (an event occupies [slot start, slot start + its own duration)). Overlaps
are found per resource by a sweep over the intervals in start order. ``slot_occupancy`` switches
to the peer model's stricter reading (an event occupies its whole slot) to explain where the
peer's validator and the instance's rules part.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any


def _minutes(text: str) -> int:
    when = dt.datetime.fromisoformat(text)
    return (when - dt.datetime(2000, 1, 1)) // dt.timedelta(minutes=1)


def violations(
    data: Mapping[str, Any], assignment: Mapping[str, str], *, slot_occupancy: bool = False
) -> list[str]:
    """Every broken rule, one sentence each; an empty list means the answer is valid.

    ``slot_occupancy=True`` reads the rules the way conference_scheduler's own model does: an
    event occupies its whole slot, so two clashing events in overlapping slots clash even when
    the events themselves do not overlap (a 30-minute talk at 11:00 in a 90-minute workshop slot
    and another at 11:45). The instance's rules (the default) count real time.
    """
    problems, resources, interval = _read(data, assignment, slot_occupancy)
    for kind, key, other, name in _overlaps(resources, interval):
        problems.append(f"{other!r} and {name!r} overlap ({kind} {key})")
    return problems


def clashing_pairs(
    data: Mapping[str, Any], assignment: Mapping[str, str], *, slot_occupancy: bool = False
) -> set[frozenset[str]]:
    """The distinct pairs of events that overlap where they must not, whatever the reasons (a
    shared speaker and a clash rule on one pair count once, as the peer's validator counts)."""
    _, resources, interval = _read(data, assignment, slot_occupancy)
    return {frozenset((a, b)) for _, _, a, b in _overlaps(resources, interval)}


Resources = dict[tuple[str, str], list[str]]


def _read(
    data: Mapping[str, Any], assignment: Mapping[str, str], slot_occupancy: bool
) -> tuple[list[str], Resources, dict[str, tuple[int, int]]]:
    """Problems with the placements themselves; who shares what; each event's interval."""
    slots = {s["id"]: s for s in data["slots"]}
    events = {e["name"]: e for e in data["events"]}
    problems: list[str] = []
    for name in assignment:
        if name not in events:
            problems.append(f"unknown event {name!r}")
    held: dict[str, str] = {}
    interval: dict[str, tuple[int, int]] = {}
    for name, event in events.items():
        slot_id = assignment.get(name)
        if slot_id is None:
            problems.append(f"{name!r} is not scheduled")
            continue
        slot = slots.get(slot_id)
        if slot is None:
            problems.append(f"{name!r} is in an unknown slot {slot_id!r}")
            continue
        if event["duration"] > slot["duration"]:
            problems.append(f"{name!r} ({event['duration']} min) does not fit slot {slot_id!r}")
        if slot_id in event.get("slot_unavailability", []):
            problems.append(f"{name!r} is in slot {slot_id!r}, which it must avoid")
        if slot_id in held:
            problems.append(f"slot {slot_id!r} holds both {held[slot_id]!r} and {name!r}")
        held[slot_id] = name
        start = _minutes(slot["starts_at"])
        length = int(slot["duration"]) if slot_occupancy else int(event["duration"])
        interval[name] = (start, start + length)

    resources: Resources = defaultdict(list)
    for name, event in events.items():
        if name not in interval:
            continue
        resources[("room", slots[assignment[name]]["venue"])].append(name)
        for speaker in event.get("speakers", []):
            resources[("speaker", speaker)].append(name)
        for tag in event.get("tags", []):
            resources[("tag", tag)].append(name)
    pairs = {
        tuple(sorted((name, other)))
        for name, event in events.items()
        for other in event.get("unavailability", [])
        if other in events and other != name
    }
    for a, b in pairs:
        resources[("clash", f"{a} / {b}")] += [a, b]
    return problems, resources, interval


def _overlaps(
    resources: Mapping[tuple[str, str], list[str]], interval: Mapping[str, tuple[int, int]]
) -> Iterator[tuple[str, str, str, str]]:
    for (kind, key), names in sorted(resources.items()):
        ordered = sorted((interval[n], n) for n in names if n in interval)
        running: list[tuple[int, str]] = []  # (end, name) of the intervals still open
        for (start, end), name in ordered:
            running = [(e, n) for e, n in running if e > start]
            for _, other in running:
                yield kind, key, other, name
            running.append((end, name))
