"""Which instances a benchmark runs: files from a folder, or generated ones of a named shape.

Every benchmark table names the instances it used (file name, or shape, size and seed of a
generated one). A folder that does not exist, or lacks a size that was asked for, is an error:
a benchmark never substitutes other instances silently.

Shapes (``--shape``):
- ``peer``: ``generate_instances``, the kind of the peer's own instances (four 90-minute blocks,
  about 1.4 slots per event, days and rooms growing with the size);
- ``tracks``: ``generate_tracks``, a denser three-day conference (13-14 % more slots than
  events, rooms booked by half day, n/7 tracks, 40 % of speakers with several talks), feasible
  by construction;
- ``tracks-untagged``: the same instances with every tag removed (fewer rules; the stall case
  of issue 14);
- ``conference``: ``generate_conference``, shaped after published programmes (38C3, DebConf,
  FOSDEM, PyCon US): slot lengths that vary by room and time of day, staggered starts, halls to
  workshop rooms of 15-1,500 seats, devrooms booked by half day, speakers with 1-14 events,
  tracks kept apart by ``unavailability``, speakers away whole days; feasible by construction;
- ``conference-regridded``: the same with every slot of the even days 5 minutes later, so each
  room's grid changes from day to day (a FOSDEM room that holds another devroom on Sunday);
- ``real-38c3``, ``real-debconf23``, ``real-cccamp2019``, ``real-rc3``, ``real-fosdem2020``,
  ``real-sfscon2024``, ``real-lswt2019``:
  ``generate_real_scaled``, a real published schedule (its rooms, days, slot grid, speakers
  and tracks) copied by rooms or days up to the size; ``real-38c3-odd``: 38C3 with huge tracks, speakers of 6-10 talks, a
  short barred list on every event and durations of 15-240 minutes;
  ``real-debconf23-few-rooms``: DebConf 23 scaled by days alone (15 rooms, hundreds of days).
"""

from __future__ import annotations

import argparse
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import (
    generate_conference,
    generate_instances,
    generate_real_scaled,
    generate_tracks,
)
from benchmarks._timing import ROOT

PEER_DIR = ROOT.parent / "shared" / "benchmarks" / "peer_instances"
SHAPES: dict[str, Callable[[int, int], dict[str, Any]]] = {
    "peer": generate_instances.generate,
    "tracks": generate_tracks.generate,
    "tracks-untagged": generate_tracks.generate_untagged,
    "conference": generate_conference.generate,
    "conference-regridded": generate_conference.generate_regridded,
    **{
        f"real-{source}": functools.partial(generate_real_scaled.generate, source=source)
        for source in generate_real_scaled.SOURCES
    },
    "real-38c3-odd": generate_real_scaled.generate_odd,
    "real-debconf23-few-rooms": generate_real_scaled.generate_few_rooms,
}
DEFAULT_SEEDS = {
    "peer": generate_instances.DEFAULT_SEED,
    "tracks": generate_tracks.DEFAULT_SEED,
    "tracks-untagged": generate_tracks.DEFAULT_SEED,
    "conference": generate_conference.DEFAULT_SEED,
    "conference-regridded": generate_conference.DEFAULT_SEED,
    **dict.fromkeys(
        [name for name in SHAPES if name.startswith("real-")], generate_real_scaled.DEFAULT_SEED
    ),
}


@dataclass(frozen=True)
class Instance:
    path: Path
    name: str
    """What a table shows: the file name, or e.g. ``tracks n=400 (seed 20261208)``."""
    size: int

    def data(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        return loaded


def add_arguments(parser: argparse.ArgumentParser, *, folder: Path | None = PEER_DIR) -> None:
    """``--instances DIR`` or ``--shape NAME`` (with ``--seed``); ``folder`` is the default."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--instances",
        type=Path,
        default=folder,
        help="a folder of instances in the peer's schema (default: %(default)s)",
    )
    group.add_argument("--shape", choices=sorted(SHAPES), help="generate instances of this shape")
    parser.add_argument("--seed", type=int, help="generator seed (default: the shape's own)")


def resolve(args: argparse.Namespace, sizes: list[int] | None, scratch: Path) -> list[Instance]:
    """The instances the arguments name, in order of size; SystemExit with a reason if absent."""
    if args.shape is not None:
        if not sizes:
            raise SystemExit("--shape needs --sizes")
        return [generated(args.shape, n, args.seed, scratch) for n in sizes]
    if args.instances is None:
        raise SystemExit("name the instances: --instances DIR or --shape NAME")
    return from_folder(args.instances, sizes)


def from_folder(folder: Path, sizes: list[int] | None) -> list[Instance]:
    if not folder.is_dir():
        raise SystemExit(
            f"instance folder {folder} does not exist: pass --instances DIR, "
            f"or --shape {{{','.join(sorted(SHAPES))}}} to generate instances"
        )
    found = []
    for path in sorted(folder.glob("*.json")):
        events = json.loads(path.read_text(encoding="utf-8")).get("events")
        if isinstance(events, list):
            found.append(Instance(path, path.name, len(events)))
    found.sort(key=lambda i: (i.size, i.name))
    if sizes is None:
        if not found:
            raise SystemExit(f"no instance files (*.json with events) in {folder}")
        return found
    missing = sorted(set(sizes) - {i.size for i in found})
    if missing:
        have = ", ".join(str(i.size) for i in found) or "none"
        raise SystemExit(f"{folder} has no instance of {missing} events (it has: {have})")
    return [i for i in found if i.size in sizes]


def generated(shape: str, size: int, seed: int | None, scratch: Path) -> Instance:
    seed = DEFAULT_SEEDS[shape] if seed is None else seed
    path = scratch / f"{shape}_n{size}_s{seed}.json"
    if not path.exists():
        generate_instances.write(SHAPES[shape](size, seed), path)
    return Instance(path, f"{shape} n={size} (seed {seed})", size)
