"""Seeded instances made from real published schedules, scaled up, feasible by construction.

The peer's schema (``peer-cs-bench/1``). The other generators draw a conference from statistics;
this one starts from a real programme and keeps its structure: its rooms, its days, its slot
grid (every real talk's room, start time and length is a slot: staggered starts, grids that
change from day to day, 5-minute to 12-hour events), its speakers (who gave which talks,
hosts with dozens of events included) and its tracks. The schedules, read with the library's
own importers from ``../shared/real_schedules`` (not copied into the project):

- ``38c3``: 38C3, Hamburg, 27-30 Dec 2024, frab XML as pretalx published it (via the
  EventFahrplan/EventFahrplan repository's test resources): 1,033 activities once events
  past midnight are split, 72 rooms, 4 days, 8 tracks;
- ``debconf23``: DebConf 23, Kochi, 10-17 Sep 2023, frab XML from wafer (via Wilm0r/giggity):
  117 events, 5 rooms, 8 days, 20-minute talks beside 3.5-hour workshops;
- ``cccamp2019``: Chaos Communication Camp 2019, frab JSON (via voc/schedule): 80 events in 2
  rooms over 5 days;
- ``rc3``: rC3 2020 "Channels", frab JSON exported by pretalx (via voc/schedule): 48 events,
  5 rooms, 4 days;
- ``fosdem2020``: FOSDEM 2020, Brussels, 1-2 Feb 2020, Pentabarf XML (via mttcrsp/fosdem; the
  project's fixture ``tests/fixtures/conferences/fosdem2020.xml``, every event kept): 872
  events, 35 rooms, 2 days; a room holds another devroom (track) each day, talks of 5-60
  minutes (most 15-30) at starts of its own, and nearly every speaker gives one talk;
- ``sfscon2024``: SFSCON 2024, Bolzano, 8-9 Nov 2024, the frab-like XML of the conference's
  WordPress site (via noi-techpark/it.sfscon.app.backend; the project's fixture
  ``tests/fixtures/conferences/sfscon2024.xml``): 109 events, 9 rooms, 2 days; one full day of
  four seminar rooms on a common 20-minute grid of 15-minute talks (a room's talks one track
  after another), a short second day of side events of 1-3 hours, rooms that hold one event;
- ``lswt2019``: the 7th Leipzig Semantic Web Day, 22 May 2019, the frab-like XML its Jekyll
  site generated (via AKSW/lswt2019.aksw.org; the project's fixture
  ``tests/fixtures/conferences/lswt2019.xml``): an academic conference of one day, 30 events
  in 3 rooms once its hackathon (no duration) is left out: a lecture hall of 10-30-minute talks
  and a keynote, a tutorial room of 45-minute tutorials, coffee breaks and lunch listed in both
  rooms, and an evening social event of 4 hours in a room of its own.

Scaling (``plant(n, seed, source)``): the real programme is one *copy*; copies are added until
the slots are 13-22 % more than ``n``, each copy either more rooms (the real rooms again, ``#2``,
``#3``...) or more days (the real days again, after the last), as a seeded draw decides (days
at most doubled, or tripled for a programme of 4 days or fewer). Each copy keeps its own
speakers (a copy's people are the real people's pattern again). A timetable is planted first:
``n`` of the slots (drawn at random) hold the events made from them, as long as the real talk;
the other slots are left free, and a share of them removed, so that rooms lack slots here and
there. Where the real file has two talks of one room at once, or one speaker in two rooms at
once, the later talk is dropped, or the speaker left off it: the planted timetable keeps every
rule. Tracks become tags: a real track's talks run in parallel, and a tag's may not, so each
copy's track is split into as few tags as keep its planted talks apart (``Security #3/2``).
Rooms have no capacity in the files: a room's is drawn by how many talks it held (the busiest
about 1,500 seats, a small room 20-60); demand is drawn around the planted room's capacity.
Unavailability: 6 % of the speakers away one day on which they do not speak (every slot of it
in their events' ``slot_unavailability``), 3 % of the events barred from 1-3 rooms (not their
planted one).

``variant`` adds deliberately odd but plausible features (``generate_odd``, on 38C3):
``huge-tracks`` (3-5 tags of 100-300 events, as many as the planted timetable keeps apart),
``busy-speakers`` (5 % of the events given to speakers with 6-10 talks), ``short-lists``
(every event barred from 1-4 slots, none its own), ``durations`` (each event 15-240 minutes,
no longer than its slot); ``odd`` is all four. ``generate_few_rooms`` scales DebConf 23 by days
only once its rooms are tripled (a handful of rooms, many days of 20-minute talks and long
workshops).

``plant`` returns the instance and its planted answer (event name -> slot id). Any n >= 20.

Usage: python -m benchmarks.generate_real_scaled --source 38c3 --events 1000 [--seed 7] --out F
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import math
import random
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks._timing import ROOT
from benchmarks.generate_tracks import peer_slot

SCHEMA = "peer-cs-bench/1"
REAL = ROOT.parent / "shared" / "real_schedules"
FIXTURES = ROOT / "tests" / "fixtures" / "conferences"
SOURCES = {
    "38c3": REAL / "38c3_schedule.xml",
    "debconf23": REAL / "debconf23_schedule.xml",
    "cccamp2019": REAL / "cccamp2019_schedule.json",
    "rc3": REAL / "rc3_channels_2020_schedule.json",
    "fosdem2020": FIXTURES / "fosdem2020.xml",
    "sfscon2024": FIXTURES / "sfscon2024.xml",
    "lswt2019": FIXTURES / "lswt2019.xml",
}
TIMEZONES = {
    "fosdem2020": "Europe/Brussels",
    "sfscon2024": "Europe/Rome",
    "lswt2019": "Europe/Berlin",
}
"""The zone of a file that names none and whose times carry no offset (Pentabarf's)."""
VARIANTS = ("huge-tracks", "busy-speakers", "short-lists", "durations")
FIRST_DAY = dt.date(2027, 12, 27)
DEFAULT_SEED = 20241227


@dataclass(frozen=True)
class _Talk:
    """One real talk: its room (index), day (index), start and end in minutes, people, track."""

    room: int
    day: int
    start: int
    end: int
    people: tuple[str, ...]
    track: str | None


@dataclass(frozen=True)
class _Real:
    rooms: tuple[str, ...]
    days: int
    talks: tuple[_Talk, ...]


@dataclass(frozen=True)
class _Slot:
    id: str
    room: str
    day: int
    start: int
    minutes: int
    capacity: int
    talk: _Talk
    copy: int


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@functools.cache
def real(source: str) -> _Real:
    """The real programme as talks that keep every rule: in a room, one talk at a time (the
    later of two that overlap is dropped); a person is left off the later of two of their
    talks that overlap."""
    from course_scheduler.importers import read_schedule

    path = SOURCES[source]
    if not path.exists():
        raise FileNotFoundError(f"the real schedule {path} is absent")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        programme = read_schedule(path, timezone=TIMEZONES.get(source)).programme
    people = programme.people
    person_ids = _frozen_ids([p.id for p in people], [p.name for p in people], "person")
    venue_rooms = [r for v in programme.venues for r in v.rooms]
    room_ids = _frozen_ids([r.id for r in venue_rooms], [r.name for r in venue_rooms], "room")
    rooms: list[str] = []
    index: dict[str, int] = {}
    talks: list[_Talk] = []
    busy_room: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    busy_person: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for day, plan in enumerate(programme.days):
        ordered = sorted(
            (a for a in plan.activities if a.room and a.time and a.time.end > a.time.start),
            key=lambda a: (a.time.start, a.time.end, room_ids[a.room]),
        )
        for a in ordered:
            span = (a.time.start, a.time.end)
            room_id = room_ids[a.room]
            if room_id not in index:
                index[room_id] = len(rooms)
                rooms.append(room_id)
            room = index[room_id]
            if any(_overlap(span, b) for b in busy_room[(room, day)]):
                continue
            busy_room[(room, day)].append(span)
            people = []
            for person in map(person_ids.__getitem__, a.people):
                if not any(_overlap(span, b) for b in busy_person[(person, day)]):
                    busy_person[(person, day)].append(span)
                    people.append(person)
            talks.append(_Talk(room, day, span[0], span[1], tuple(people), a.track))
    return _Real(tuple(rooms), len(programme.days), tuple(talks))


def _frozen_ids(ids: list[str], names: list[str], prefix: str) -> dict[str, str]:
    """The import's id → the id its import gave the name until December 2026 (each letter
    outside ASCII a hyphen, ``-2`` for a repeat, in the file's order), which the instances
    are made from: every table of the README was measured on them, and a change in how the
    library makes ids must not change the benchmark (the ids name the speakers and rooms,
    and order them)."""
    frozen: dict[str, str] = {}
    used: set[str] = set()
    for ident, name in zip(ids, names, strict=True):
        base = re.sub(r"[^A-Za-z0-9_.\-]+", "-", name.strip()).strip("-._")[:60]
        base = base.strip("-._").casefold()
        if not base or not base[0].isalnum():
            base = f"{prefix}-{base}".rstrip("-") if base else prefix
        made, k = base, 2
        while made in used:
            made, k = f"{base}-{k}", k + 1
        used.add(made)
        frozen[ident] = made
    return frozen


def _capacities(programme: _Real, rng: random.Random) -> list[int]:
    """Seats by how busy the room was: the busiest about 1,500, the quietest 20-60."""
    held = [0] * len(programme.rooms)
    for t in programme.talks:
        held[t.room] += t.end - t.start
    rank = sorted(range(len(held)), key=lambda r: -held[r])
    seats = [0] * len(held)
    for k, r in enumerate(rank):
        seats[r] = max(20, 5 * round(1500 * (k + 1) ** -0.9 * rng.uniform(0.8, 1.2) / 5))
    return seats


def _copies(
    programme: _Real, target: int, rng: random.Random, days_only: bool
) -> list[tuple[int, int]]:
    """(room copy, day copy) of each copy of the programme: enough for ``target`` slots."""
    need = math.ceil(target / len(programme.talks))
    if days_only:
        rooms_x = min(3, need)
        return [(r, d) for d in range(math.ceil(need / rooms_x)) for r in range(rooms_x)]
    most = 3 if programme.days <= 4 else 2
    days_x = rng.randint(1, max(1, min(most, need)))
    rooms_x = math.ceil(need / days_x)
    return [(r, d) for d in range(days_x) for r in range(rooms_x)]


def _slots(
    programme: _Real, n_events: int, rng: random.Random, days_only: bool
) -> tuple[list[_Slot], int]:
    target = math.ceil(n_events * rng.uniform(1.13, 1.22))
    seats = _capacities(programme, rng)
    slots: list[_Slot] = []
    copies = _copies(programme, target, rng, days_only)
    room_seats = {
        (r, room): max(20, 5 * round(seats[room] * rng.uniform(0.8, 1.2) / 5))
        for r in sorted({c[0] for c in copies})
        for room in range(len(programme.rooms))
    }
    for k, (r, d) in enumerate(copies):
        for t in programme.talks:
            name = programme.rooms[t.room] + (f" #{r + 1}" if r else "")
            day = d * programme.days + t.day
            ident = f"D{day + 1}-R{t.room + 1}.{r + 1}-{t.start // 60:02d}{t.start % 60:02d}"
            capacity = room_seats[(r, t.room)]
            slots.append(_Slot(ident, name, day, t.start, t.end - t.start, capacity, t, k))
    return slots, target


def _apart(candidates: list[int], span: list[tuple[int, int]], size: int) -> list[int]:
    """Up to ``size`` of ``candidates`` (in their order) whose planted times do not overlap."""
    chosen: list[int] = []
    busy: list[tuple[int, int]] = []
    for i in candidates:
        if not any(_overlap(span[i], b) for b in busy):
            chosen.append(i)
            busy.append(span[i])
            if len(chosen) == size:
                break
    return chosen


def _chains(members: list[int], span: list[tuple[int, int]]) -> list[list[int]]:
    """As few groups as keep the members' planted times apart (by start, first that fits)."""
    chains: list[list[int]] = []
    ends: list[int] = []
    for i in sorted(members, key=lambda i: span[i]):
        for c, end in enumerate(ends):
            if end <= span[i][0]:
                chains[c].append(i)
                ends[c] = span[i][1]
                break
        else:
            chains.append([i])
            ends.append(span[i][1])
    return chains


def plant(
    n_events: int,
    seed: int = DEFAULT_SEED,
    source: str = "38c3",
    variants: tuple[str, ...] = (),
    days_only: bool = False,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The instance with ``n_events`` events and the planted timetable that keeps its rules."""
    if n_events < 20:
        raise ValueError("at least 20 events")
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        raise ValueError(f"unknown variants {sorted(unknown)}; expected some of {VARIANTS}")
    instance_seed = seed * 100_000 + n_events
    rng = random.Random(instance_seed)
    programme = real(source)
    slots, target = _slots(programme, n_events, rng, days_only)
    filled = set(rng.sample(range(len(slots)), n_events))
    free = [k for k in range(len(slots)) if k not in filled]
    kept = filled | set(rng.sample(free, min(len(free), target - n_events)))
    planted = [slots[k] for k in sorted(filled)]
    slots = [s for k, s in enumerate(slots) if k in kept]
    rng.shuffle(planted)
    span = [(s.day * 1440 + s.start, s.day * 1440 + s.start + s.minutes) for s in planted]
    durations = [s.minutes for s in planted]
    if "durations" in variants:
        lengths = (15, 20, 30, 45, 60, 90, 120, 180, 240)
        durations = [min(m, rng.choice(lengths) if rng.random() < 0.5 else 240) for m in durations]
    n = n_events
    width = max(3, len(str(n)))
    names = [f"Talk {i + 1:0{width}d}" for i in range(n)]

    # speakers: the real people of each copy; a talk nobody gives is given by someone new
    speakers: list[list[str]] = []
    for i, s in enumerate(planted):
        who = [p + (f" #{s.copy + 1}" if s.copy else "") for p in s.talk.people]
        speakers.append(who or [f"Speaker of {names[i]}"])
    if "busy-speakers" in variants:
        pool = rng.sample(range(n), n)
        given = 0
        while given < n // 20 and pool:
            group = _apart(pool[:60], span, rng.randint(6, 10))
            if len(group) < 6:
                break
            person = f"Busy speaker {given + 1}"
            for i in group:
                speakers[i] = [*speakers[i], person]
            given += len(group)
            taken = set(group)
            pool = [i for i in pool if i not in taken]
    talks_of: dict[str, list[int]] = defaultdict(list)
    for i, who in enumerate(speakers):
        for p in who:
            talks_of[p].append(i)

    # tags: each copy's real track split into as few tags as keep its talks apart
    tags: list[list[str]] = [[] for _ in range(n)]
    tracks: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, s in enumerate(planted):
        if s.talk.track:
            tracks[(s.talk.track, s.copy)].append(i)
    for (track, copy), members in sorted(tracks.items()):
        for c, chain in enumerate(_chains(members, span)):
            for i in chain:
                tags[i].append(f"{track} #{copy + 1}/{c + 1}")
    if "huge-tracks" in variants:
        for t in range(rng.randint(3, 5)):
            order = sorted(rng.sample(range(n), n), key=lambda i: span[i][1])
            for i in _apart(order, span, rng.randint(100, 300)):
                tags[i].append(f"Huge track {t + 1}")

    # unavailability: speakers away a day they do not speak; rooms that do not suit a talk
    by_day: dict[int, list[str]] = defaultdict(list)
    by_room: dict[str, list[str]] = defaultdict(list)
    for s in slots:
        by_day[s.day].append(s.id)
        by_room[s.room].append(s.id)
    barred: list[set[str]] = [set() for _ in range(n)]
    for person in sorted(talks_of):
        if rng.random() < 0.06:
            busy = {planted[i].day for i in talks_of[person]}
            days = sorted(set(by_day) - busy)
            if days:
                away = by_day[rng.choice(days)]
                for i in talks_of[person]:
                    barred[i].update(away)
    rooms = sorted(by_room)
    for i in range(n):
        if rng.random() < 0.03 and len(rooms) > 1:
            others = [r for r in rng.sample(rooms, min(4, len(rooms))) if r != planted[i].room]
            for room in others[: rng.randint(1, 3)]:
                barred[i].update(by_room[room])
    if "short-lists" in variants:
        ids = [s.id for s in slots]
        for i in range(n):
            for ident in rng.sample(ids, min(len(ids), rng.randint(1, 4))):
                if ident != planted[i].id:
                    barred[i].add(ident)

    events = [
        {
            "name": names[i],
            "duration": durations[i],
            "demand": max(5, round(planted[i].capacity * rng.uniform(0.4, 1.05))),
            "speakers": speakers[i],
            "tags": tags[i],
            "unavailability": sorted(
                {names[j] for p in speakers[i] for j in talks_of[p] if j != i}
            ),
            "slot_unavailability": sorted(barred[i]),
        }
        for i in range(n)
    ]
    ordered = sorted(slots, key=lambda s: (s.day, s.room, s.start))
    data = {
        "schema": SCHEMA,
        "generator": {
            "shape": shape_name(source, variants, days_only),
            "source": SOURCES[source].name,
            "seed": seed,
            "instance_seed": instance_seed,
            "n_events": n,
            "days": len({s.day for s in slots}),
            "rooms": len({s.room for s in slots}),
            "n_slots": len(slots),
            "n_speakers": len(talks_of),
            "n_tags": len({t for ts in tags for t in ts}),
            "largest_tag": max(
                (sum(1 for ts in tags if t in ts) for t in {t for ts in tags for t in ts}),
                default=0,
            ),
            "most_talks": max(len(v) for v in talks_of.values()),
            "barred_events": sum(1 for b in barred if b),
            "script": "benchmarks/generate_real_scaled.py",
        },
        "events": events,
        "slots": [peer_slot(s, FIRST_DAY, f"D{s.day + 1} {s.room}") for s in ordered],
    }
    return data, {names[i]: planted[i].id for i in range(n)}


def shape_name(source: str, variants: tuple[str, ...] = (), days_only: bool = False) -> str:
    name = f"real-{source}"
    if days_only:
        name += "-few-rooms"
    if set(variants) == set(VARIANTS):
        return name + "-odd"
    return "-".join([name, *variants])


def generate(n_events: int, seed: int = DEFAULT_SEED, source: str = "38c3") -> dict[str, Any]:
    """The instance alone; the same seed gives the same instance."""
    return plant(n_events, seed, source)[0]


def generate_odd(n_events: int, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """38C3 scaled, with every odd variant: huge tracks, busy speakers, short lists, durations."""
    return plant(n_events, seed, "38c3", VARIANTS)[0]


def generate_few_rooms(n_events: int, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """DebConf 23 with its rooms tripled, then scaled by days alone."""
    return plant(n_events, seed, "debconf23", days_only=True)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--source", choices=sorted(SOURCES), default="38c3")
    parser.add_argument("--variants", nargs="*", choices=VARIANTS, default=[])
    parser.add_argument("--days-only", action="store_true")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    from benchmarks.generate_instances import write

    data, _ = plant(args.events, args.seed, args.source, tuple(args.variants), args.days_only)
    write(data, args.out)
    print(f"{args.out}: {data['generator']}")


if __name__ == "__main__":
    main()
