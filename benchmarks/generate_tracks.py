"""Seeded multi-track conference instances of a harder, denser shape, feasible by construction.

The peer's schema (``peer-cs-bench/1``), but shaped like a busy three-day conference rather than
``generate_instances``' roomy one:

- 3 days, 5 blocks of 90 minutes a day (09:00, 10:45, 13:30, 15:15, 17:00);
- talk rooms on a 30-minute grid (3 slots a block) or a 45-minute grid (2 a block); halls and
  labs with whole-block slots; every room is booked by half day (morning: 2 blocks, afternoon:
  3), so most rooms lack their slots on some half days, and rooms are added until the slots
  are 13-14 % more than the events (the last booking may be cut short to hit that);
- a timetable is planted first: the events are made from the slots they fill (30-minute talks
  in 30-minute slots, 45 or 30 in 45-minute slots, 90 or 45 in halls, 90-minute workshops in
  labs); everything below is drawn so that this timetable keeps every rule;
- 40 % of the speakers give 2 or 3 talks, at times that do not overlap in the planted timetable
  (listed in each other's ``unavailability``, as the peer needs to know);
- about n/7 tracks (tags) of 4 to 16 events, whose planted times do not overlap; an event is in
  at most two tracks;
- 20-24 % of the events are barred from some slots (``slot_unavailability``): a speaker away
  for a half day or a day (never when one of their talks is planted), or rooms that do not suit
  the event (never its planted room);
- demand is drawn around the planted room's capacity (some audiences exceed it: the capacity
  rule is soft).

``plant(n, seed)`` returns the instance and its planted answer (event name -> slot id), so
tests and benchmarks can check that an instance is feasible. ``generate(n, seed)`` returns the
instance only; ``generate_untagged(n, seed)`` the same without its tags. Sizes 100 to 4,000
(any n >= 20 works).

Usage: python -m benchmarks.generate_instances --shape tracks --events 1000 [--seed 7]
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

SCHEMA = "peer-cs-bench/1"
FIRST_DAY = dt.date(2026, 6, 8)
DAYS = 3
BLOCKS = (9 * 60, 10 * 60 + 45, 13 * 60 + 30, 15 * 60 + 15, 17 * 60)
BLOCK_MINUTES = 90
HALVES = ((0, 1), (2, 3, 4))
"""Blocks of the morning and of the afternoon: rooms are booked by half day."""
GRIDS = {
    "hall": ((0, 90),),
    "lab": ((0, 90),),
    "talk30": ((0, 30), (30, 30), (60, 30)),
    "talk45": ((0, 45), (45, 45)),
}
"""Slots of one block, per room kind: (offset from the block's start, minutes)."""
KINDS = (("talk30", 0.45), ("talk45", 0.30), ("hall", 0.10), ("lab", 0.15))
CAPACITY = {"hall": (250, 500), "lab": (20, 40), "talk30": (40, 160), "talk45": (40, 160)}
DEFAULT_SEED = 20261208


@dataclass(frozen=True)
class _Slot:
    id: str
    room: str
    kind: str
    day: int
    block: int
    start: int
    minutes: int
    capacity: int


def _slot_count(n_events: int, rng: random.Random) -> int:
    return math.ceil(n_events * rng.uniform(1.13, 1.14))


def _rooms(n_events: int, rng: random.Random) -> list[_Slot]:
    """Rooms booked half day by half day until there are 13-14 % more slots than events."""
    target = _slot_count(n_events, rng)
    halves = [(d, h) for d in range(DAYS) for h in range(len(HALVES))]
    slots: list[_Slot] = []
    k = 0
    while len(slots) < target:
        k += 1
        kind = rng.choices([x for x, _ in KINDS], [w for _, w in KINDS])[0]
        low, high = CAPACITY[kind]
        capacity = rng.randrange(low, high + 1, 5)
        name = f"{kind.capitalize()} {k}"
        booked = halves if kind == "hall" else rng.sample(halves, rng.randint(2, len(halves)))
        for day, half in sorted(booked):
            for block in HALVES[half]:
                for offset, minutes in GRIDS[kind]:
                    start = BLOCKS[block] + offset
                    ident = f"D{day + 1}-{name.replace(' ', '')}-{start // 60:02d}{start % 60:02d}"
                    slots.append(_Slot(ident, name, kind, day, block, start, minutes, capacity))
    return slots[:target]


def _duration(slot: _Slot, rng: random.Random) -> int:
    if slot.kind == "talk30":
        return 30
    if slot.kind == "talk45":
        return 45 if rng.random() < 0.8 else 30
    if slot.kind == "lab":
        return 90
    return 90 if rng.random() < 0.5 else 45


def _free(busy: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    return all(span[1] <= a or b <= span[0] for a, b in busy)


def _groups(
    candidates: list[int],
    span: list[tuple[int, int]],
    size: int,
    rng: random.Random,
) -> list[int]:
    """Up to ``size`` of ``candidates`` (in random order) whose planted times do not overlap."""
    chosen: list[int] = []
    busy: list[tuple[int, int]] = []
    for i in rng.sample(candidates, len(candidates)):
        if _free(busy, span[i]):
            chosen.append(i)
            busy.append(span[i])
            if len(chosen) == size:
                break
    return chosen


def plant(n_events: int, seed: int = DEFAULT_SEED) -> tuple[dict[str, Any], dict[str, str]]:
    """The instance with ``n_events`` events and the planted timetable that keeps its rules."""
    if n_events < 20:
        raise ValueError("at least 20 events")
    instance_seed = seed * 100_000 + n_events
    rng = random.Random(instance_seed)
    slots = _rooms(n_events, rng)
    filled = sorted(rng.sample(range(len(slots)), n_events))
    planted = [slots[k] for k in filled]
    rng.shuffle(planted)
    durations = [_duration(s, rng) for s in planted]
    span = [
        (s.day * 1440 + s.start, s.day * 1440 + s.start + m)
        for s, m in zip(planted, durations, strict=True)
    ]
    width = max(3, len(str(n_events)))
    label = {30: "Talk", 45: "Long talk", 90: "Session"}
    names = [f"{label[m]} {i + 1:0{width}d}" for i, m in enumerate(durations)]

    # speakers: 40 % give two or three talks, at planted times that do not overlap
    speaker_of = [-1] * n_events
    talks: list[list[int]] = []
    unplaced = list(range(n_events))
    for _ in range(round(n_events / 4)):
        group = _groups(unplaced[: 12 * 3], span, rng.choice((2, 3)), rng)
        if len(group) < 2:
            continue
        for i in group:
            speaker_of[i] = len(talks)
        talks.append(group)
        taken = set(group)
        unplaced = [i for i in unplaced if i not in taken]
        rng.shuffle(unplaced)
    for i in unplaced:
        speaker_of[i] = len(talks)
        talks.append([i])

    # tracks: about n/7 tags of 4 to 16 events, no two of whose planted times overlap
    tags: list[list[str]] = [[] for _ in range(n_events)]
    for t in range(max(2, round(n_events / 7))):
        open_ = [i for i in range(n_events) if len(tags[i]) < 2]
        for i in _groups(open_, span, rng.randint(4, 16), rng):
            tags[i].append(f"track-{t + 1}")

    # barred slots: a speaker away (never when they speak), or rooms unsuited to the event
    by_half: dict[tuple[int, int], list[str]] = defaultdict(list)
    by_day: dict[int, list[str]] = defaultdict(list)
    rooms: dict[str, list[str]] = defaultdict(list)
    half_of = {b: h for h, blocks in enumerate(HALVES) for b in blocks}
    for s in slots:
        by_half[(s.day, half_of[s.block])].append(s.id)
        by_day[s.day].append(s.id)
        rooms[s.room].append(s.id)
    barred: list[set[str]] = [set() for _ in range(n_events)]
    share = rng.uniform(0.20, 0.24)
    order = rng.sample(range(n_events), n_events)
    for i in order:
        if sum(1 for b in barred if b) >= share * n_events:
            break
        if barred[i]:
            continue
        draw = rng.random()
        if draw < 0.6:  # the speaker is away for a half day or a day, for all their talks
            own = talks[speaker_of[i]]
            busy_halves = {(planted[j].day, half_of[planted[j].block]) for j in own}
            busy_days = {planted[j].day for j in own}
            if draw < 0.4:
                options = sorted(set(by_half) - busy_halves)
                away = by_half[rng.choice(options)] if options else []
            else:
                days = sorted(set(by_day) - busy_days)
                away = by_day[rng.choice(days)] if days else []
            for j in own:
                barred[j].update(away)
        else:  # some rooms do not suit it (none to bar where the programme has one room)
            others = sorted(set(rooms) - {planted[i].room})
            if not others:
                continue
            for room in rng.sample(others, max(1, round(len(others) * rng.uniform(0.2, 0.5)))):
                barred[i].update(rooms[room])

    unavailable: list[list[str]] = [[] for _ in range(n_events)]
    for group in talks:
        for i in group:
            unavailable[i] = [names[j] for j in group if j != i]
    speaker_width = max(3, len(str(len(talks))))
    events = [
        {
            "name": names[i],
            "duration": durations[i],
            "demand": max(5, round(planted[i].capacity * rng.uniform(0.4, 1.05))),
            "speakers": [f"Speaker {speaker_of[i] + 1:0{speaker_width}d}"],
            "tags": tags[i],
            "unavailability": unavailable[i],
            "slot_unavailability": sorted(barred[i]),
        }
        for i in range(n_events)
    ]
    ordered = sorted(slots, key=lambda s: (s.day, s.room, s.start))
    data = {
        "schema": SCHEMA,
        "generator": {
            "shape": "tracks",
            "seed": seed,
            "instance_seed": instance_seed,
            "n_events": n_events,
            "days": DAYS,
            "rooms": len({s.room for s in slots}),
            "n_slots": len(slots),
            "n_speakers": len(talks),
            "n_tracks": len({t for ts in tags for t in ts}),
            "barred_events": sum(1 for b in barred if b),
            "durations": {str(m): durations.count(m) for m in (30, 45, 90)},
            "script": "benchmarks/generate_tracks.py",
        },
        "events": events,
        "slots": [
            peer_slot(s, FIRST_DAY, f"D{s.day + 1} B{s.block + 1} {s.room}") for s in ordered
        ],
    }
    answer = {names[i]: planted[i].id for i in range(n_events)}
    return data, answer


def peer_slot(slot: Any, first_day: dt.date, session: str) -> dict[str, Any]:
    """A generated slot (``id``, ``room``, ``day``, ``start`` and ``minutes`` from 0:00,
    ``capacity``) in the peer's schema, the generators' shared output."""
    return {
        "id": slot.id,
        "venue": slot.room,
        "starts_at": dt.datetime.combine(
            first_day + dt.timedelta(days=slot.day), dt.time(slot.start // 60, slot.start % 60)
        ).isoformat(),
        "duration": slot.minutes,
        "session": session,
        "capacity": slot.capacity,
    }


def generate(n_events: int, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """The instance alone; the same seed gives the same instance."""
    return plant(n_events, seed)[0]


def generate_untagged(n_events: int, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """The same instance with every tag removed: strictly fewer rules, the planted timetable
    still keeps them all. The issue's stall case (a search that found nothing in 60 s on the
    400-event one): fewer clashes let a search wander further before it commits."""
    data = generate(n_events, seed)
    for event in data["events"]:
        event["tags"] = []
    data["generator"]["shape"] = "tracks-untagged"
    data["generator"]["n_tracks"] = 0
    return data
