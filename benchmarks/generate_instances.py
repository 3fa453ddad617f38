"""Seeded multi-track conference instances in the peer's schema (``peer-cs-bench/1``).

The same shape as ``../shared/benchmarks/peer_instances/cs_n*.json``: talk rooms on a 30- or
45-minute grid, workshop rooms with 90-minute slots, four 90-minute blocks a day (09:00, 11:00,
13:30, 15:30) from Monday 15 Sep 2025; 70 % 30-minute talks, 20 % 45-minute long talks, 10 %
90-minute workshops; one speaker per event, about one speaker in nine giving two events (such
pairs are listed in each other's ``unavailability``, as in the peer's files); about half the
events carry one topic tag; a few extra explicit clashes; about 16 % of events have a speaker
absent for half a day or a whole day and about 3 % need the main hall (every other room listed
in ``slot_unavailability``). Rooms and days grow with the event count so that there are about
1.4 slots per event. conference_scheduler and course_scheduler both read the output.

The denser three-day shape of ``benchmarks/generate_tracks.py`` is ``--shape tracks``; the one
shaped after published programmes, ``benchmarks/generate_conference.py``, ``--shape conference``.

Usage: python -m benchmarks.generate_instances --events 1000 [--seed 7] [--out FILE]
       python -m benchmarks.generate_instances --events 1000 2000 4000 --dir DIR
       python -m benchmarks.generate_instances --shape tracks --events 400 --dir DIR
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
from pathlib import Path
from typing import Any

SCHEMA = "peer-cs-bench/1"
FIRST_DAY = dt.date(2025, 9, 15)
BLOCKS = ("AM1", "AM2", "PM1", "PM2")
TALK_GRID = {
    "AM1": [(9 * 60, 30), (9 * 60 + 30, 30), (10 * 60, 30)],
    "AM2": [(11 * 60, 45), (11 * 60 + 45, 45)],
    "PM1": [(13 * 60 + 30, 30), (14 * 60, 30), (14 * 60 + 30, 30)],
    "PM2": [(15 * 60 + 30, 45), (16 * 60 + 15, 45)],
}
WORKSHOP_GRID = {
    "AM1": [(9 * 60, 90)],
    "AM2": [(11 * 60, 90)],
    "PM1": [(13 * 60 + 30, 90)],
    "PM2": [(15 * 60 + 30, 90)],
}
DEFAULT_SEED = 20260601


def shape(n_events: int) -> tuple[int, int, int]:
    """Days, talk rooms and workshop rooms for ``n_events`` (about 1.4 slots per event)."""
    days = min(10, max(1, round(math.sqrt(n_events) / 4)))
    talk = max(3, round(0.9 * n_events * 1.4 / (10 * days)))
    workshop = max(1, round(0.1 * n_events * 1.5 / (4 * days)))
    return days, talk, workshop


def generate(n_events: int, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """A feasible-looking instance with ``n_events`` events; the same seed gives the same file."""
    if n_events < 2:
        raise ValueError("at least 2 events")
    instance_seed = seed * 100_000 + n_events
    rng = random.Random(instance_seed)
    days, talk_rooms, workshop_rooms = shape(n_events)
    width = max(3, len(str(n_events)))

    rooms: list[tuple[str, dict[str, list[tuple[int, int]]], int]] = []
    for k in range(talk_rooms):
        capacity = 400 if k == 0 else rng.choice([60, 80, 100, 100, 120, 150, 200])
        rooms.append((f"Talk Room {k + 1}", TALK_GRID, capacity))
    for k in range(workshop_rooms):
        rooms.append((f"Workshop Room {k + 1}", WORKSHOP_GRID, rng.choice([40, 50])))
    main_hall = rooms[0][0]

    slots: list[dict[str, Any]] = []
    for d in range(days):
        date = FIRST_DAY + dt.timedelta(days=d)
        for room, grid, capacity in rooms:
            for block in BLOCKS:
                for start, minutes in grid[block]:
                    when = dt.datetime.combine(date, dt.time(start // 60, start % 60))
                    slots.append(
                        {
                            "id": f"D{d + 1}-{room.replace(' ', '')}-{start // 60:02d}{start % 60:02d}",
                            "venue": room,
                            "starts_at": when.isoformat(),
                            "duration": minutes,
                            "session": f"D{d + 1} {block} {room}",
                            "capacity": capacity,
                        }
                    )

    n_workshops = max(1, round(0.1 * n_events))
    n_long = round(0.2 * n_events)
    durations = [90] * n_workshops + [45] * n_long
    durations += [30] * (n_events - len(durations))
    rng.shuffle(durations)
    label = {30: "Talk", 45: "Long talk", 90: "Workshop"}
    names = [f"{label[m]} {i + 1:0{width}d}" for i, m in enumerate(durations)]

    # speakers: about one in nine gives two events
    n_double = round(0.11 * n_events)
    order = list(range(n_events))
    rng.shuffle(order)
    speaker_of: list[int] = [0] * n_events
    next_speaker = 0
    pairs: set[tuple[int, int]] = set()
    for k in range(n_double):
        a, b = order[2 * k], order[2 * k + 1]
        speaker_of[a] = speaker_of[b] = next_speaker
        pairs.add((min(a, b), max(a, b)))
        next_speaker += 1
    for i in order[2 * n_double :]:
        speaker_of[i] = next_speaker
        next_speaker += 1
    n_speakers = next_speaker
    speaker_width = max(3, len(str(n_speakers)))

    n_tags = max(2, round(n_events / 6.5))
    tags: list[list[str]] = [
        [f"topic-{rng.randrange(n_tags)}"] if rng.random() < 0.5 else [] for _ in range(n_events)
    ]
    for _ in range(round(0.06 * n_events)):
        a, b = rng.sample(range(n_events), 2)
        pairs.add((min(a, b), max(a, b)))
    unavailable: list[list[str]] = [[] for _ in range(n_events)]
    for a, b in sorted(pairs):
        unavailable[a].append(names[b])
        unavailable[b].append(names[a])

    by_day_block: dict[tuple[int, str], list[str]] = {}
    for slot in slots:
        d_label, block = slot["session"].split(" ")[:2]
        by_day_block.setdefault((int(d_label[1:]) - 1, block), []).append(slot["id"])
    not_main = [s["id"] for s in slots if s["venue"] != main_hall]
    main_capacity = 4 * days  # at most as many main-hall-only events as 45-minute hall slots
    main_only = 0
    slot_unavailable: list[list[str]] = []
    for i in range(n_events):
        barred: list[str] = []
        draw = rng.random()
        if draw < 0.07:  # speaker away for half a day
            d = rng.randrange(days)
            half = rng.choice([("AM1", "AM2"), ("PM1", "PM2")])
            barred = [x for block in half for x in by_day_block[(d, block)]]
        elif draw < 0.16 and days > 1:  # speaker away for a whole day
            d = rng.randrange(days)
            barred = [x for block in BLOCKS for x in by_day_block[(d, block)]]
        elif draw < 0.19 and durations[i] < 90 and main_only < main_capacity:
            barred = list(not_main)  # needs the main hall
            main_only += 1
        slot_unavailable.append(barred)

    events = [
        {
            "name": names[i],
            "duration": durations[i],
            "demand": (
                rng.randint(8, 50)
                if durations[i] == 90
                else min(450, max(6, round(rng.lognormvariate(math.log(60), 0.7))))
            ),
            "speakers": [f"Speaker {speaker_of[i] + 1:0{speaker_width}d}"],
            "tags": tags[i],
            "unavailability": unavailable[i],
            "slot_unavailability": slot_unavailable[i],
        }
        for i in range(n_events)
    ]
    counts = {str(m): durations.count(m) for m in (30, 45, 90)}
    return {
        "schema": SCHEMA,
        "generator": {
            "seed": seed,
            "instance_seed": instance_seed,
            "n_events": n_events,
            "days": days,
            "talk_rooms": talk_rooms,
            "workshop_rooms": workshop_rooms,
            "n_slots": len(slots),
            "n_speakers": n_speakers,
            "durations": counts,
            "blocks": list(BLOCKS),
            "script": "benchmarks/generate_instances.py",
        },
        "events": events,
        "slots": slots,
    }


def with_tags(data: dict[str, Any], size: int) -> dict[str, Any]:
    """``data`` with every event given one of about n / ``size`` tags, drawn at random (the
    same for a size and a number of events): tags of about ``size`` events each that may not
    overlap, which at 100 need more time than their slots give (no timetable exists)."""
    events = data["events"]
    rng = random.Random(len(events) + size)
    count = max(1, len(events) // size)
    for event in events:
        event["tags"] = [f"topic-{rng.randrange(count)}"]
    return data


def write(data: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, nargs="+", required=True)
    parser.add_argument("--shape", choices=["peer", "tracks", "conference"], default="peer")
    parser.add_argument("--seed", type=int, help="default: the shape's own")
    parser.add_argument("--out", type=Path, help="output file (one size only)")
    parser.add_argument(
        "--tag-size",
        type=int,
        help="every event one of about n/SIZE tags instead (peer shape; file tags{SIZE}_n{N})",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path("."),
        help="folder for gen_n{N}.json (tracks_n{N}.json, conference_n{N}.json)",
    )
    args = parser.parse_args()
    if args.out is not None and len(args.events) != 1:
        parser.error("--out takes one size; use --dir for several")
    if args.shape == "tracks":
        from benchmarks import generate_tracks

        make, seed, prefix = generate_tracks.generate, generate_tracks.DEFAULT_SEED, "tracks"
    elif args.shape == "conference":
        from benchmarks import generate_conference

        make, seed = generate_conference.generate, generate_conference.DEFAULT_SEED
        prefix = "conference"
    else:
        make, seed, prefix = generate, DEFAULT_SEED, "gen"
    if args.tag_size is not None:
        if args.shape != "peer":
            parser.error("--tag-size is for the peer shape")
        prefix = f"tags{args.tag_size}"
    for n in args.events:
        path = args.out or args.dir / f"{prefix}_n{n}.json"
        data = make(n, seed if args.seed is None else args.seed)
        write(with_tags(data, args.tag_size) if args.tag_size else data, path)
        print(path)


if __name__ == "__main__":
    main()
