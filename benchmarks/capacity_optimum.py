"""The optimum of soft capacity on generated instances, found from below and from above.

Why: ``scale --mode ours-opt`` reports the objective against a bound; when they differ nobody
knows which side is weak. Here the two sides are settled apart:

- from below, the events *forced* to misfit: no slot they may take (long enough, not in their
  ``slot_unavailability``) is in a room that holds their ``demand``. Read from the instance's
  own fields, no code of the library involved: every timetable leaves at least these;
- from above, a timetable that leaves only those: the same instance with the capacity rule
  made hard (the forced events' demand set to 5 in a copy, as no room can hold them anyway),
  solved for a first timetable. Its answer is checked on the *original* instance by the
  benchmark's own checker (``overlap_check``) and its misfits counted from the original
  demands and capacities. When they equal the forced count, that is the optimum.
- the library's bound: the lower bound of a short ``ours-opt`` solve of the original
  (``objective.bound``), to compare with the optimum.

``--rooms F`` multiplies every slot's capacity by F (rounded, at least 1) in both copies:
smaller rooms, where the optimum is more than the forced misfits and the hard copy has no
timetable (status "infeasible": then the optimum is above the forced count, and the short
solve's objective is an upper bracket).

Usage: PYTHONPATH=. python -m benchmarks.capacity_optimum --shape conference --sizes 400 2000
       [--seeds 20270205 0 1 2] [--rooms 1.0] [--cap 120] [--bound-cap 20]
"""

from __future__ import annotations

import argparse
import copy
import time
from typing import Any

from benchmarks.instances import SHAPES
from benchmarks.overlap_check import violations
from course_scheduler.compile import compile_programme
from course_scheduler.importers.peer import assignment_from_timetable, programme_from_peer
from course_scheduler.model import Severity
from course_scheduler.solver.solve import SolveOptions, solve_problem


def forced(data: dict[str, Any]) -> set[str]:
    """Events no slot they may take can seat, from the instance's fields alone."""
    out = set()
    for event in data["events"]:
        barred = set(event.get("slot_unavailability", []))
        if not any(
            s["capacity"] >= event["demand"]
            and s["duration"] >= event["duration"]
            and s["id"] not in barred
            for s in data["slots"]
        ):
            out.add(event["name"])
    return out


def misfits(data: dict[str, Any], answer: dict[str, str]) -> int:
    """Events of ``answer`` in a slot whose room is smaller than their demand."""
    demand = {e["name"]: e["demand"] for e in data["events"]}
    capacity = {s["id"]: s["capacity"] for s in data["slots"]}
    return sum(1 for name, slot in answer.items() if demand[name] > capacity[slot])


def shrunk(data: dict[str, Any], factor: float) -> dict[str, Any]:
    """The instance with every room's capacity times ``factor``."""
    if factor == 1.0:
        return data
    out = copy.deepcopy(data)
    for slot in out["slots"]:
        slot["capacity"] = max(1, round(slot["capacity"] * factor))
    return out


def hard_answer(
    data: dict[str, Any], never: set[str], cap: float, seed: int
) -> tuple[str, dict[str, str] | None, float]:
    """A first timetable of the copy where every audience but the forced ones must fit."""
    copied = copy.deepcopy(data)
    for event in copied["events"]:
        if event["name"] in never:
            event["demand"] = 5
    programme = programme_from_peer(copied)
    for rule in programme.rules:
        if getattr(rule, "id", None) == "capacity":
            rule.severity = Severity.HARD
    programme.objective.soft_rules = 0
    cpu = time.process_time()
    result = solve_problem(
        compile_programme(programme),
        options=SolveOptions(time_limit=cap, seed=seed, workers=1),
    )
    spent = time.process_time() - cpu
    if result.timetable is None:
        return result.status.value, None, spent
    return result.status.value, assignment_from_timetable(data, result.timetable), spent


def soft_bound(data: dict[str, Any], cap: float, seed: int) -> tuple[int | None, int | None]:
    """The objective and the bound, in misfits, of a short solve minimising soft capacity."""
    result = solve_problem(
        compile_programme(programme_from_peer(data)),
        options=SolveOptions(time_limit=cap, seed=seed, workers=1),
    )
    if result.objective is None:
        return None, None
    return result.objective.total, result.objective.bound


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shape", default="conference", choices=sorted(SHAPES))
    parser.add_argument("--sizes", type=int, nargs="+", default=[400, 2000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[20270205, 0, 1, 2])
    parser.add_argument("--rooms", type=float, default=1.0, help="room capacity factor")
    parser.add_argument("--cap", type=float, default=120, help="time limit of the hard solve")
    parser.add_argument("--bound-cap", type=float, default=20, help="time limit, soft solve")
    parser.add_argument("--solver-seed", type=int, default=0)
    args = parser.parse_args()
    print(
        "| events | instance seed | rooms × | planted misfits | forced | hard copy | "
        "its misfits (checked) | CPU s | optimum | short solve: objective / bound |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        for seed in args.seeds:
            made = SHAPES[args.shape](size, seed)
            data = shrunk(made, args.rooms)
            planted = _planted(args.shape, size, seed)
            never = forced(data)
            status, answer, cpu = hard_answer(data, never, args.cap, args.solver_seed)
            found = "—"
            optimum = f"> {len(never)}" if status == "infeasible" else "?"
            if answer is not None:
                broken = violations(data, answer)
                count = misfits(data, answer)
                found = f"{count}" if not broken else f"{count}, {len(broken)} violations"
                if not broken and count == len(never):
                    optimum = str(count)
            objective, bound = soft_bound(data, args.bound_cap, args.solver_seed)
            print(
                f"| {size:,} | {seed} | {args.rooms:g} | "
                f"{misfits(data, planted) if planted else '—'} | {len(never)} | {status} | "
                f"{found} | {cpu:.1f} | {optimum} | {objective} / {bound} |",
                flush=True,
            )


def _planted(shape: str, size: int, seed: int) -> dict[str, str] | None:
    if shape != "conference":
        return None
    from benchmarks.generate_conference import plant

    return plant(size, seed)[1]


if __name__ == "__main__":
    main()
