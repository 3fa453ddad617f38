"""How many cell literals the model makes per size: the model's own growth, apart from timing.

The model build makes one literal per activity and cell it may take (a pool of rooms alike, a
day, a slot start: ``solver/slots.py``); the build, the construction and the memory grow with
that count. On a shape where it grows faster than the events, no phase can be near-linear per
event while it stays linear per literal: this separates the two. It counts, it does not time:
conversion, compiling and the pools' cell scan (``PoolPlan.cells``) only, no model is built.

Usage: python -m benchmarks.model_size [--shape peer|tracks|conference] [--sizes 1000 4000 10000]
"""

from __future__ import annotations

import argparse
import math
import tempfile
from pathlib import Path

from benchmarks._timing import table
from benchmarks.instances import add_arguments, resolve
from course_scheduler.compile import compile_programme
from course_scheduler.importers.peer import programme_from_peer
from course_scheduler.solver.slots import plan_pools


def count(data: dict[str, object]) -> dict[str, int]:
    """Rooms, pools, pooled activities and their cells, for the first timetable's model."""
    programme = programme_from_peer(data)
    programme.objective.soft_rules = 0
    problem = compile_programme(programme)
    plan = plan_pools(problem)
    pooled = [] if plan is None else [i for i in problem.items if i.index in plan.items]
    cells = sum(len(plan.cells(problem, i, None)) for i in pooled) if plan is not None else 0
    return {
        "rooms": len(problem.room_slots),
        "pools": 0 if plan is None else len(plan.pools),
        "pooled": len(pooled),
        "cells": cells,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser, folder=None)
    parser.set_defaults(shape="conference")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 10000])
    args = parser.parse_args()
    if args.instances is not None:
        args.shape = None
    scratch = Path(tempfile.mkdtemp(prefix="model-size-"))
    rows, first = [], None
    for instance in resolve(args, args.sizes, scratch):
        data = instance.data()
        days = len({str(s["starts_at"])[:10] for s in data["slots"]})
        found = count(data)
        per = found["cells"] / max(1, found["pooled"])
        growth = "—"
        if first is None:
            first = (instance.size, found["cells"])
        elif found["cells"] and first[1]:
            ratio = math.log(instance.size / first[0])
            growth = f"{math.log(found['cells'] / first[1]) / ratio:.2f}"
        rows.append(
            [
                f"{instance.size:,}",
                instance.name,
                days,
                found["rooms"],
                found["pools"],
                f"{found['cells']:,}",
                f"{per:,.0f}",
                growth,
            ]
        )
    header = ["events", "instance", "days", "rooms", "pools", "cell literals", "per activity"]
    print(table([*header, "growth from the first (events^k)"], rows))


if __name__ == "__main__":
    main()
