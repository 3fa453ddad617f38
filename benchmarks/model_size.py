"""How many cell literals the model makes per size, and how much input the conversion and the
build read: the model's own growth and the input's, apart from timing.

The model build makes one literal per activity and cell it may take (a pool of rooms alike, a
day, a slot start: ``solver/slots.py``); the build, the construction and the memory grow with
that count. On a shape where it grows faster than the events, no phase can be near-linear per
event while it stays linear per literal: this separates the two. It counts, it does not time:
conversion, compiling and the pools' cell scan (``PoolPlan.cells``) only, no model is built.

The input is counted as the conversion and the build read it: every unavailable slot id the
events list (``ids listed``: equal lists are compared id by id), the distinct (length, list)
pairs the conversion looks up once each and their ids (``lists``, ``ids looked up``), and the
compiled problem's distinct lists of candidate rooms and their rooms (``room lists``, ``rooms
listed``), which the build groups by pool and meets with the open rooms of every cell. Each
count's growth from the first size is given as an exponent of the events, so a phase's growth
can be set against the part of the input it reads.

Usage: python -m benchmarks.model_size [--shape peer|tracks|conference] [--sizes 1000 4000 10000]
"""

from __future__ import annotations

import argparse
import math
import tempfile
from pathlib import Path
from typing import Any

from benchmarks._timing import table
from benchmarks.instances import add_arguments, resolve
from course_scheduler.compile import compile_programme
from course_scheduler.importers.peer import programme_from_peer
from course_scheduler.solver.slots import plan_pools

COUNTS = ("ids listed", "ids looked up", "rooms listed", "cells")
"""The counts whose growth is printed, in the order of the pipeline."""


def input_count(data: dict[str, Any]) -> dict[str, int]:
    """The unavailable slot ids as the conversion reads them: all of them, and the distinct
    (event length, list) pairs with their ids (each such list is looked up once)."""
    events: list[dict[str, Any]] = data["events"]
    distinct = {(int(e["duration"]), tuple(e.get("slot_unavailability", ()))) for e in events}
    return {
        "ids listed": sum(len(e.get("slot_unavailability", ())) for e in events),
        "lists": len(distinct),
        "ids looked up": sum(len(listed) for _, listed in distinct),
    }


def count(data: dict[str, Any]) -> dict[str, int]:
    """Rooms, pools, pooled activities and their cells, for the first timetable's model, and
    the input the conversion and the build read (``input_count``, the room lists)."""
    read = input_count(data)
    programme = programme_from_peer(data)
    programme.objective.soft_rules = 0
    problem = compile_programme(programme)
    plan = plan_pools(problem)
    pooled = [] if plan is None else [i for i in problem.items if i.index in plan.items]
    cells = sum(len(plan.cells(problem, i, None)) for i in pooled) if plan is not None else 0
    room_lists = {item.rooms for item in problem.items}
    return {
        **read,
        "room lists": len(room_lists),
        "rooms listed": sum(map(len, room_lists)),
        "rooms": len(problem.room_slots),
        "pools": 0 if plan is None else len(plan.pools),
        "pooled": len(pooled),
        "cells": cells,
    }


def growth(first: tuple[int, dict[str, int]], size: int, found: dict[str, int]) -> str:
    """Each count of ``COUNTS`` at ``size`` events against the first size, as events^k."""
    ratio = math.log(size / first[0])
    parts = [
        f"{name} {math.log(found[name] / first[1][name]) / ratio:.2f}"
        for name in COUNTS
        if found[name] and first[1][name]
    ]
    return f"{first[0]:,} -> {size:,} events (events^k): " + ", ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser, folder=None)
    parser.set_defaults(shape="conference")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 10000])
    args = parser.parse_args()
    if args.instances is not None:
        args.shape = None
    scratch = Path(tempfile.mkdtemp(prefix="model-size-"))
    rows, lines = [], []
    first: tuple[int, dict[str, int]] | None = None
    for instance in resolve(args, args.sizes, scratch):
        data = instance.data()
        days = len({str(s["starts_at"])[:10] for s in data["slots"]})
        found = count(data)
        per = found["cells"] / max(1, found["pooled"])
        cells_growth = "—"
        if first is None:
            first = (instance.size, found)
        else:
            lines.append(growth(first, instance.size, found))
            if found["cells"] and first[1]["cells"]:
                ratio = math.log(instance.size / first[0])
                cells_growth = f"{math.log(found['cells'] / first[1]['cells']) / ratio:.2f}"
        rows.append(
            [
                f"{instance.size:,}",
                instance.name,
                days,
                found["rooms"],
                found["pools"],
                f"{found['ids listed']:,}",
                f"{found['lists']:,}",
                f"{found['ids looked up']:,}",
                f"{found['room lists']:,}",
                f"{found['rooms listed']:,}",
                f"{found['cells']:,}",
                f"{per:,.0f}",
                cells_growth,
            ]
        )
    header = ["events", "instance", "days", "rooms", "pools", "ids listed", "lists"]
    header += ["ids looked up", "room lists", "rooms listed", "cell literals", "per activity"]
    print(table([*header, "growth from the first (events^k)"], rows))
    for line in lines:
        print("growth", line)


if __name__ == "__main__":
    main()
