"""Seeded instances shaped after real published multi-track conferences, feasible by construction.

The peer's schema (``peer-cs-bench/1``), a third shape beside ``generate_instances`` (even
blocks) and ``generate_tracks`` (a dense three-day grid). Its statistics come from published
programmes:

- 38C3 (Hamburg, Dec 2024; frab XML of the real schedule, 1,007 events, 72 rooms, 4 days):
  event lengths from 15 to 300 minutes (60, 40, 120, 90, 30 and 45 the most common); starts off
  the hour (:15, :30, :45, :55...); 79 % of the people give one event, 12 % two, 4 % three,
  and a few hosts 8-47;
- DebConf 23 (Kochi, Sep 2023; frab XML from wafer): 45- and 20-minute talks beside 2-3.5 hour
  workshops;
- FOSDEM 2014 and 2023 (the published ``schedule/xml``, and the devroom managers' manual):
  two days, developer rooms booked by half day or day, each with its own grid of 20-30 minute
  talks and one topic, beside the main halls (Janson seats about 1,400, the smallest rooms 30-50);
- PyCon US (the 2008 chairman's report: three-hour tutorials in rooms for 18-90; the 2010
  schedule: 30- and 45-minute talks, staggered starts so that lunch comes in two waves).

What that gives, per size (days: 2 below 2,500 events, one more per 2,500, at most 5):

- rooms of four kinds, each with its own day: halls (600-1,500 seats: a 50-minute keynote,
  then 50-minute talks, a lightning session of 25-minute slots at the end of the day), talk
  rooms (80-400: 30-minute slots in the morning, 40 in the afternoon, 20 at the end of the
  day), devrooms (30-150, booked by half day: a grid of 20, 25 or 30 minutes for the whole
  half day) and workshop rooms (15-60: three-hour tutorials, or 120- and 90-minute
  workshops); each room starts its day 0-15 minutes late (staggered starts), so the time
  points are many and slots of different rooms overlap in part; a few rooms are closed for
  a session on some days; rooms are added until the slots are 15-22 % more than the events;
- a timetable is planted first (events made from the slots they fill, most as long as their
  slot, some shorter); everything below is drawn so that it keeps every rule;
- speakers with 1 to about 15 events (the 38C3 shares; a host's events are a devroom's
  half day), their other events in ``unavailability``;
- main-conference tracks: about n/40 groups of 5-12 talks in halls and talk rooms, pairwise in
  each other's ``unavailability`` (a track's talks do not overlap); each devroom is one topic
  (a tag shared by all its events, over every half day it is booked);
- speakers away a whole day (6 % of them) or half a day (5 %): every slot of it in their events'
  ``slot_unavailability``; 3 % of the events barred from the small rooms (recording needed);
- demand around the planted room's capacity (some above it: the capacity rule is soft).

``plant(n, seed)`` returns the instance and its planted answer (event name -> slot id);
``generate(n, seed)`` the instance only. Any n >= 20.

Usage: python -m benchmarks.generate_instances --shape conference --events 1000 [--seed 7]
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from benchmarks.generate_tracks import peer_slot

SCHEMA = "peer-cs-bench/1"
FIRST_DAY = dt.date(2027, 2, 5)
DEFAULT_SEED = 20270205
Session = tuple[int, tuple[int, ...]]
"""A session of a room's day: its start (minutes after midnight) and its slots' lengths."""

HALL: tuple[Session, ...] = (
    (9 * 60 + 30, (50,)),
    (10 * 60 + 30, (50, 50)),
    (13 * 60, (50, 50, 50)),
    (16 * 60, (50, 50)),
    (18 * 60, (25, 25, 25, 25)),
)
TALK: tuple[Session, ...] = (
    (10 * 60, (30, 30, 30, 30)),
    (13 * 60 + 15, (40, 40, 40)),
    (15 * 60 + 30, (40, 40, 40)),
    (17 * 60 + 45, (20, 20, 20)),
)
TUTORIAL: tuple[Session, ...] = ((9 * 60, (180,)), (13 * 60 + 30, (180,)))
WORKSHOP: tuple[Session, ...] = (
    (9 * 60, (120,)),
    (11 * 60 + 15, (90,)),
    (13 * 60 + 45, (120,)),
    (16 * 60, (90,)),
)
HALVES = ((9 * 60, 12 * 60 + 30), (13 * 60 + 30, 18 * 60 + 30))
"""A devroom's half days: its grid fills the span."""
KINDS = (("hall", 0.04), ("talk", 0.26), ("devroom", 0.40), ("workshop", 0.30))
CAPACITY = {"hall": (600, 1500), "talk": (80, 400), "devroom": (30, 150), "workshop": (15, 60)}
SMALL = 50
"""Rooms of fewer seats are not recorded: some talks must avoid them."""
TALKS_PER_SPEAKER = ((1, 0.79), (2, 0.12), (3, 0.045), (4, 0.015), (5, 0.01), (6, 0.01))
HOSTS = 0.05
"""Share of devroom half days whose talks all have one host as a speaker besides their own."""


@dataclass(frozen=True)
class _Slot:
    id: str
    room: str
    kind: str
    day: int
    half: int
    session: int
    start: int
    minutes: int
    capacity: int


def days_for(n_events: int) -> int:
    return min(5, 2 + n_events // 2500)


def _pattern(kind: str, rng: random.Random) -> tuple[Session, ...]:
    """A room's sessions, the same every day it is open: a devroom's grid fills both halves."""
    if kind == "devroom":
        grid = rng.choice((20, 25, 30))
        return tuple((start, (grid,) * ((end - start) // grid)) for start, end in HALVES)
    if kind == "workshop":
        return TUTORIAL if rng.random() < 0.4 else WORKSHOP
    return HALL if kind == "hall" else TALK


def _day_of(
    room: tuple[str, str, int, int, tuple[Session, ...]], day: int, rng: random.Random
) -> list[_Slot]:
    """One room's slots on one day: a devroom by half day or day, a few sessions closed.

    The room's grid is the same on every day: the peer conversion reads one grid per room
    (the union of its days' slots), and refuses a room whose slots overlap across days.
    """
    kind, name, capacity, late, pattern = room
    sessions = list(enumerate(pattern))
    if kind == "devroom":
        halves = rng.choice(((0,), (1,), (0, 1), (0, 1)))
        sessions = [(k, s) for k, s in sessions if k in halves]
    elif kind != "hall" and len(sessions) > 1 and rng.random() < 0.1:
        del sessions[rng.randrange(len(sessions))]  # closed for a sponsor's event or a meeting
    slots = []
    for k, (start, lengths) in sessions:
        at = start + late
        for minutes in lengths:
            ident = f"D{day + 1}-{name.replace(' ', '')}-{at // 60:02d}{at % 60:02d}"
            half = 0 if at < 13 * 60 else 1
            slots.append(_Slot(ident, name, kind, day, half, k, at, minutes, capacity))
            at += minutes
    return slots


def _rooms(n_events: int, days: int, rng: random.Random) -> list[_Slot]:
    """Rooms added until there are 15-22 % more slots than events (the last one cut short)."""
    target = math.ceil(n_events * rng.uniform(1.15, 1.22))
    slots: list[_Slot] = []
    counts: dict[str, int] = defaultdict(int)
    while len(slots) < target:
        kind = "hall" if not slots else rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
        counts[kind] += 1
        name = f"{kind.capitalize()} {counts[kind]}"
        low, high = CAPACITY[kind]
        capacity = rng.randrange(low, high + 1, 5)
        late = rng.choice((0, 0, 5, 10, 15))
        open_days = (
            range(days)
            if kind in ("hall", "talk")
            else sorted(rng.sample(range(days), rng.randint(1, days)))
        )
        room = (kind, name, capacity, late, _pattern(kind, rng))
        for day in open_days:
            slots += _day_of(room, day, rng)
    return slots[:target]


def _duration(slot: _Slot, rng: random.Random) -> int:
    """Most events fill their slot; some are shorter (a 25-minute talk in a 30-minute slot)."""
    if rng.random() < 0.75:
        return slot.minutes
    shorter = [m for m in (15, 20, 25, 30, 40, 45, 90, 120) if m < slot.minutes]
    return rng.choice(shorter[-3:]) if shorter else slot.minutes


def _span(slot: _Slot) -> tuple[int, int]:
    """The whole slot, in minutes of the programme: kept apart by slot, the stricter reading."""
    return slot.day * 1440 + slot.start, slot.day * 1440 + slot.start + slot.minutes


def _apart(candidates: list[int], span: list[tuple[int, int]], size: int) -> list[int]:
    """Up to ``size`` of ``candidates`` (in their order) whose planted slots do not overlap."""
    chosen: list[int] = []
    for i in candidates:
        a, b = span[i]
        if all(b <= span[j][0] or span[j][1] <= a for j in chosen):
            chosen.append(i)
            if len(chosen) == size:
                break
    return chosen


def _speakers(
    planted: list[_Slot], span: list[tuple[int, int]], rng: random.Random
) -> list[list[int]]:
    """Each speaker's events: a draw from the 38C3 counts, never overlapping when planted."""
    n = len(planted)
    pool = rng.sample(range(n), n)
    taken = [False] * n
    groups: list[list[int]] = []
    counts, weights = zip(*TALKS_PER_SPEAKER, strict=True)
    head = 0
    while head < n:
        if taken[pool[head]]:
            head += 1
            continue
        want = rng.choices(counts, weights)[0]
        window = [i for i in pool[head : head + 8 * want + 8] if not taken[i]]
        group = _apart(window, span, want)
        for i in group:
            taken[i] = True
        groups.append(group)
    return groups


def plant(n_events: int, seed: int = DEFAULT_SEED) -> tuple[dict[str, Any], dict[str, str]]:
    """The instance with ``n_events`` events and the planted timetable that keeps its rules."""
    if n_events < 20:
        raise ValueError("at least 20 events")
    instance_seed = seed * 100_000 + n_events
    rng = random.Random(instance_seed)
    days = days_for(n_events)
    slots = _rooms(n_events, days, rng)
    planted = [slots[k] for k in sorted(rng.sample(range(len(slots)), n_events))]
    rng.shuffle(planted)
    durations = [_duration(s, rng) for s in planted]
    span = [_span(s) for s in planted]
    width = max(3, len(str(n_events)))
    label = {"hall": "Talk", "talk": "Talk", "devroom": "Devroom talk", "workshop": "Workshop"}
    names = [f"{label[s.kind]} {i + 1:0{width}d}" for i, s in enumerate(planted)]

    speakers: list[list[int]] = [[] for _ in range(n_events)]  # indices of groups
    groups = _speakers(planted, span, rng)
    for k, group in enumerate(groups):
        for i in group:
            speakers[i] = [k]
    sessions: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    for i, s in enumerate(planted):
        sessions[(s.room, s.day, s.half)].append(i)
    for key in sorted(sessions):
        if key[0].startswith("Devroom") and rng.random() < HOSTS:
            host = len(groups)
            groups.append(sorted(sessions[key]))  # the host of a devroom's half day
            for i in groups[-1]:
                speakers[i].append(host)

    pairs: set[tuple[int, int]] = set()
    main = [i for i, s in enumerate(planted) if s.kind in ("hall", "talk")]
    n_tracks = max(1, round(n_events / 40))
    for _ in range(n_tracks):
        track = _apart(rng.sample(main, min(len(main), 40)), span, rng.randint(5, 12))
        pairs.update((min(a, b), max(a, b)) for a in track for b in track if a != b)
    unavailable: list[list[str]] = [[] for _ in range(n_events)]
    for a, b in sorted(pairs):
        if not set(speakers[a]) & set(speakers[b]):  # a shared speaker is listed below
            unavailable[a].append(names[b])
            unavailable[b].append(names[a])
    for group in groups:
        for i in group:
            unavailable[i] += [names[j] for j in group if j != i and names[j] not in unavailable[i]]
    tags = [[f"devroom-{s.room.split()[-1]}"] if s.kind == "devroom" else [] for s in planted]

    by_half: dict[tuple[int, int], list[str]] = defaultdict(list)
    by_day: dict[int, list[str]] = defaultdict(list)
    for s in slots:
        by_half[(s.day, s.half)].append(s.id)
        by_day[s.day].append(s.id)
    small = [s.id for s in slots if s.capacity < SMALL]
    barred: list[set[str]] = [set() for _ in range(n_events)]
    for group in groups:
        draw = rng.random()
        busy_days = {planted[i].day for i in group}
        busy_halves = {(planted[i].day, planted[i].half) for i in group}
        away: list[str] = []
        if draw < 0.06 and days > 1:
            free = sorted(set(by_day) - busy_days)
            away = by_day[rng.choice(free)] if free else []
        elif draw < 0.11:
            free_halves = sorted(set(by_half) - busy_halves)
            away = by_half[rng.choice(free_halves)] if free_halves else []
        for i in group:
            barred[i].update(away)
    for i in rng.sample(range(n_events), round(0.03 * n_events)):
        if planted[i].capacity >= SMALL:
            barred[i].update(small)

    events = [
        {
            "name": names[i],
            "duration": durations[i],
            "demand": max(5, round(planted[i].capacity * rng.uniform(0.3, 1.05))),
            "speakers": [f"Speaker {k + 1:05d}" for k in speakers[i]],
            "tags": tags[i],
            "unavailability": unavailable[i],
            "slot_unavailability": sorted(barred[i]),
        }
        for i in range(n_events)
    ]
    ordered = sorted(slots, key=lambda s: (s.day, s.room, s.start))
    kinds = sorted({s.kind for s in slots})
    data = {
        "schema": SCHEMA,
        "generator": {
            "shape": "conference",
            "seed": seed,
            "instance_seed": instance_seed,
            "n_events": n_events,
            "days": days,
            "rooms": len({s.room for s in slots}),
            "rooms_by_kind": {k: len({s.room for s in slots if s.kind == k}) for k in kinds},
            "n_slots": len(slots),
            "n_speakers": len(groups),
            "n_tracks": n_tracks,
            "barred_events": sum(1 for b in barred if b),
            "script": "benchmarks/generate_conference.py",
        },
        "events": events,
        "slots": [
            peer_slot(s, FIRST_DAY, f"D{s.day + 1} {s.room} S{s.session + 1}") for s in ordered
        ],
    }
    answer = {names[i]: planted[i].id for i in range(n_events)}
    return data, answer


def generate(n_events: int, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """The instance alone; the same seed gives the same instance."""
    return plant(n_events, seed)[0]


def generate_regridded(n_events: int, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """The same instance with every slot of the even days (the second, the fourth) 5 minutes
    later: each room's grid then changes from day to day, as a FOSDEM room's does when it holds
    another devroom on Sunday. A day's times move together, so the planted answer keeps every
    rule; the peer conversion must make such a room one room per grid."""
    data, _ = plant(n_events, seed)
    dates = sorted({str(s["starts_at"])[:10] for s in data["slots"]})
    later = {d for k, d in enumerate(dates) if k % 2 == 1}
    for slot in data["slots"]:
        if str(slot["starts_at"])[:10] in later:
            start = dt.datetime.fromisoformat(slot["starts_at"]) + dt.timedelta(minutes=5)
            slot["starts_at"] = start.isoformat()
    data["generator"]["shape"] = "conference-regridded"
    return data
