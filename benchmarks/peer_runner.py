"""One timed solve of a peer-schema instance, in its own process (run by ``peer_compare``).

Modes:
  ours             course_scheduler, feasibility only (every objective weight 0): the time to the
                   first valid timetable in hand (rooms matched, read back)
  ours-opt         course_scheduler with the soft capacity rule minimised (the final timetable;
                   the time of its first solution is recorded too)
  (``--seed`` and ``--tactics`` change the solver's seed and search tactics for both)
  peer             conference_scheduler's ``scheduler.schedule(events, slots)`` (PuLP/CBC),
                   called plainly
  peer-workaround  the same with a never-used dummy slot in every event's ``unavailability``, so
                   that the peer enforces tags and clashes for every event (see the shared README)
  validate         not timed: run the peer's ``validator.schedule_violations`` on an answer

The clock starts once the instance is parsed and the solver's package imported, and stops when
the answer (event name → slot id) is in hand, so it covers conversion, model build and solve for
both tools. For ours the cap is the solver's time limit, counted from that start (conversion
and compilation count against it); the report has CPU seconds (this process, all its
threads), the first solution's wall and CPU time, the bound, and each phase's CPU seconds.
Prints one JSON object: times, status, the answer, and the peak memory of this process
(``peak_kib``) and of its children (CBC runs as a child of PuLP) in KiB, to standard output
or ``--out``.

Usage: python -m benchmarks.peer_runner MODE INSTANCE.json [--cap S] [--answer FILE] [--out FILE]
       [--seed N] [--tactics NAME=VALUE ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

MODES = ("ours", "ours-opt", "peer", "peer-workaround")


def run_ours(
    data: dict[str, Any],
    cap: float,
    optimise: bool,
    seed: int = 0,
    tactics: dict[str, Any] | None = None,
) -> dict[str, Any]:
    # import costs outside the clock: CP-SAT, and modules a solve imports where it first
    # needs them: the checker (the check of a construction, 12-15 ms) and the rooms' flow
    # (only where a cell is large: at 10,000 peer events, not at 1,000, 7 ms), which made
    # the check phase's growth a matter of which imports fell in it
    from ortools.graph.python import min_cost_flow  # noqa: F401
    from ortools.sat.python import cp_model  # noqa: F401

    from course_scheduler import checking  # noqa: F401
    from course_scheduler.compile import compile_programme
    from course_scheduler.errors import OutOfTime
    from course_scheduler.importers.peer import (
        COMPILE_SHARE,
        assignment_from_timetable,
        programme_from_peer,
    )
    from course_scheduler.solver import chains  # noqa: F401
    from course_scheduler.solver.search import Tactics
    from course_scheduler.solver.solve import SolveOptions, solve_problem

    first: list[tuple[float, float]] = []
    began, cpu = time.perf_counter(), time.process_time()

    def progress(stage: str, elapsed: float, objective: Any) -> None:
        if not first:
            first.append((time.perf_counter() - began, time.process_time() - cpu))

    try:
        programme = programme_from_peer(data, deadline=began + cap)
        converting = time.perf_counter() - began
        if cap - converting < COMPILE_SHARE * converting:  # no time to compile it
            raise OutOfTime
    except OutOfTime:  # the conversion counts against the limit, and took it all
        return {
            "status": "unknown",
            "final": None,
            "answered": time.perf_counter() - began,
            "cpu": time.process_time() - cpu,
            "limit": cap,
            "convert": time.perf_counter() - began,
            "phases_cpu": {"convert": time.process_time() - cpu},
            "answer": None,
        }
    if not optimise:
        programme.objective.soft_rules = 0
    converted = time.perf_counter() - began
    converted_cpu = time.process_time() - cpu
    problem = compile_programme(programme)
    compiled_cpu = time.process_time() - cpu - converted_cpu
    options = SolveOptions(
        time_limit=cap,  # the cap covers conversion and compilation too
        began=began,
        seed=seed,
        workers=1,
        progress=progress,
        tactics=Tactics(**tactics or {}),
    )
    result = solve_problem(problem, options=options)
    answer = (
        assignment_from_timetable(data, result.timetable) if result.timetable is not None else None
    )
    final = time.perf_counter() - began
    phases = {"convert": converted_cpu, "compile": compiled_cpu}
    phases.update({name: spent.cpu for name, spent in result.phases.items()})
    return {
        "status": result.status.value,
        "first_solution": first[0][0] if first else None,
        "first_cpu": first[0][1] if first else None,
        "final": final if answer is not None else None,
        "answered": final,
        "returned": result.wall_time,  # when the solve returned, counted from the start
        "cpu": time.process_time() - cpu,
        "limit": cap,
        "convert": converted,
        "build": result.build_time,
        "phases_cpu": phases,
        "phases_wall": {name: spent.wall for name, spent in result.phases.items()},
        "objective": result.objective.total if result.objective is not None else None,
        "bound": result.objective.bound if result.objective is not None else None,
        "answer": answer,
    }


def peak_kib() -> int:
    """This process's peak resident memory in KiB: ``VmHWM`` where Linux gives it, which
    starts afresh with the program; ``ru_maxrss`` keeps the peak of the process it was forked
    from (the benchmark, holding the parsed instance: 0.9 GiB at 10,000 events of tracks)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def parse_tactics(pairs: list[str]) -> dict[str, Any]:
    """``construct=0 cliques=1`` as keyword arguments of ``Tactics``."""
    result: dict[str, Any] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        result[name] = value not in ("0", "false", "no")
    return result


def peer_objects(data: dict[str, Any], workaround: bool) -> tuple[list[Any], list[Any]]:
    """The peer's Event and Slot objects for an instance (with the dummy slot if asked)."""
    from conference_scheduler.resources import Event, Slot

    slots = {
        s["id"]: Slot(
            venue=s["venue"],
            starts_at=dt.datetime.fromisoformat(s["starts_at"]),
            duration=int(s["duration"]),
            capacity=int(s["capacity"]),
            session=s["session"],
        )
        for s in data["slots"]
    }
    events = {
        e["name"]: Event(e["name"], int(e["duration"]), int(e["demand"]), tags=list(e["tags"]))
        for e in data["events"]
    }
    dummy = Slot(
        venue="never used", starts_at=dt.datetime(1900, 1, 1), duration=0, capacity=0, session="-"
    )
    for e in data["events"]:
        event = events[e["name"]]
        event.add_unavailability(
            *(events[o] for o in e["unavailability"]),
            *(slots[s] for s in e["slot_unavailability"]),
        )
        if workaround:
            event.add_unavailability(dummy)
    return list(events.values()), list(slots.values())


def run_peer(data: dict[str, Any], workaround: bool) -> dict[str, Any]:
    from conference_scheduler import scheduler

    began = time.perf_counter()
    events, slots = peer_objects(data, workaround)
    status, answer = "feasible", None
    try:
        schedule = scheduler.schedule(events, slots)
        ids = {id(slot): raw["id"] for slot, raw in zip(slots, data["slots"], strict=True)}
        answer = {item.event.name: ids[id(item.slot)] for item in schedule}
    except ValueError:  # the peer's way of saying "no valid solution found"
        status = "infeasible"
    final = time.perf_counter() - began
    return {
        "status": status,
        "final": final if answer else None,
        "answer": answer,
    }


def peer_violations(data: dict[str, Any], answer: dict[str, str]) -> list[str]:
    """The peer's own validator on an answer, with every event's clash rules switched on."""
    from conference_scheduler import validator
    from conference_scheduler.resources import ScheduledItem

    events, slots = peer_objects(data, workaround=True)
    by_name = {e.name: e for e in events}
    by_id = {raw["id"]: slot for slot, raw in zip(slots, data["slots"], strict=True)}
    schedule = [ScheduledItem(by_name[n], by_id[s]) for n, s in answer.items()]
    return list(validator.schedule_violations(schedule, events, slots))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=[*MODES, "validate"])
    parser.add_argument("instance", type=Path)
    parser.add_argument("--cap", type=float, default=120.0)
    parser.add_argument("--answer", type=Path, help="validate: a JSON answer (name → slot id)")
    parser.add_argument("--out", type=Path, help="write the JSON here (default: standard output)")
    parser.add_argument("--seed", type=int, default=0, help="ours: the solver's seed")
    parser.add_argument(
        "--tactics",
        nargs="*",
        default=[],
        metavar="NAME=VALUE",
        help="ours: search tactics to change (course_scheduler.solver.search.Tactics), "
        "e.g. construct=0 fallback=0",
    )
    args = parser.parse_args()
    data = json.loads(args.instance.read_text(encoding="utf-8"))
    parsed_kib = peak_kib()
    if args.mode == "validate":
        answer = json.loads(args.answer.read_text(encoding="utf-8"))
        began = time.perf_counter()
        found = peer_violations(data, answer)
        report: dict[str, Any] = {"violations": found, "seconds": time.perf_counter() - began}
    elif args.mode.startswith("ours"):
        report = run_ours(
            data, args.cap, args.mode == "ours-opt", args.seed, parse_tactics(args.tactics)
        )
    else:
        import conference_scheduler.scheduler  # noqa: F401  (import cost outside the clock)

        report = run_peer(data, workaround=args.mode == "peer-workaround")
    report["mode"] = args.mode
    report["maxrss_kib"] = peak_kib()
    report["parsed_kib"] = parsed_kib  # the instance as parsed JSON, before the clock starts
    report["children_maxrss_kib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    text = json.dumps(report) + "\n"
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
