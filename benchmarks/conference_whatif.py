"""What-if on a real conference: repairs of 38C3 (1,033 activities, 72 rooms, 4 days).

Goal (issue: conference schedules in and out): the 38C3 room-closure repair, a timetable with
fewest moves proven optimal or within 1 % of its bound, within 60 s on this 2-core machine;
the time to the first valid repair reported; memory under 2 GiB.

Each case runs in a fresh process (its peak memory is the case's own: import, repair,
verification). The clock starts after the import (reported apart) and after importing the
solver's packages (ortools: about 1 s, as in ``peer_compare``), and covers the whole
``what_if`` call: applying the scenario, the baseline check, the model, the solve and the
verification against the scenario's rules.

- first valid: the same call stopped at the solver's first timetable (which must then pass
  the verification: a repair that adds no error to the published schedule's), timed after one
  untimed call that warms the process up;
- 1 % / proven: when the objective came within 1 % of the bound, and when it was proven
  optimal (the lexicographic optimum: moves, then minutes);
- moves: activities that change time; rooms: that change room; minutes: of time-of-day shift.

Usage: python -m benchmarks.conference_whatif [--cap SECONDS] [--cases NAME ...]
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import subprocess
import sys
import threading
import time
from typing import Any

from benchmarks._timing import ROOT, table

REAL = ROOT.parent / "shared" / "real_schedules" / "38c3_schedule.xml"
SCENARIOS = ROOT / "examples" / "conferences" / "38c3"
INSTEAD = "saal-glitch,saal-zigzag,stage-huff,stage-yell,saal-5,sos-saal-6,sos-saal-d"

CASES: dict[str, dict[str, Any]] = {
    "saal1_closed_saturday": {"scenario": "saal1_closed_saturday.yaml"},
    "saal1_closed_saturday, 7 rooms instead of 10": {
        "scenario": "saal1_closed_saturday.yaml",
        "instead": INSTEAD.split(","),
    },
    "saal1_closed_saturday, the tracks' rooms only": {
        "scenario": "saal1_closed_saturday.yaml",
        "instead": [],
    },
    "saal1_closed_saturday, reach any": {"scenario": "saal1_closed_saturday.yaml", "reach": "any"},
    "anne_roth_from_17": {"scenario": "anne_roth_from_17.yaml"},
    "anne_roth_cannot_come": {"scenario": "anne_roth_cannot_come.yaml"},
}


def run_case(name: str, cap: float) -> dict[str, Any]:
    """One case, in this process: import, a run stopped at the first timetable, a full run."""
    for module in ("course_scheduler.solver.solve", "course_scheduler.solver.explain"):
        importlib.import_module(module)  # imported before the clock starts
    from course_scheduler.importers import read_schedule
    from course_scheduler.whatif import CloseRoom, load_scenario, what_if

    case = CASES[name]
    began = time.perf_counter()
    programme = read_schedule(REAL).programme
    imported = time.perf_counter() - began
    scenario = load_scenario(SCENARIOS / case["scenario"])
    if "instead" in case:
        (change,) = scenario.changes
        assert isinstance(change, CloseRoom)
        change.instead = case["instead"]
    if "reach" in case:
        scenario.reach = case["reach"]

    def first_repair() -> Any:
        stop = threading.Event()
        return what_if(
            programme, scenario, time_limit=cap, progress=lambda *_: stop.set(), stop=stop
        )

    first_repair()  # once untimed: the first call in a process pays for warming up
    began = time.perf_counter()
    first = first_repair()
    first_seconds = time.perf_counter() - began

    marks: list[tuple[float, float | None, float | None]] = []
    began = time.perf_counter()

    def progress(stage: str, elapsed: float, objective: Any) -> None:
        marks.append((time.perf_counter() - began, objective.total, objective.bound))

    result = what_if(programme, scenario, time_limit=cap, progress=progress)
    seconds = time.perf_counter() - began
    within = next(
        (t for t, v, b in marks if v is not None and b is not None and v - b <= 0.01 * abs(v)),
        None,
    )
    if result.status == "optimal":
        within = seconds if within is None else within
    last = marks[-1] if marks else (None, None, None)
    gap = None
    if last[1] and last[2] is not None:
        gap = (last[1] - last[2]) / abs(last[1])
    return {
        "case": name,
        "import": imported,
        "movable": len(result.may_move),
        "first": first_seconds if first.timetable is not None else None,
        "first_valid": first.valid,
        "within": within,
        "seconds": seconds,
        "status": result.status,
        "valid": result.valid,
        "moves": len(result.moved),
        "rooms": len(result.room_changes),
        "minutes": result.minutes,
        "gap": gap,
        "reasons": len(result.reasons),
        "kept": result.kept_clashes,
        "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _cell(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cap", type=float, default=60.0, help="time limit per run (s)")
    parser.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a case, in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_case(args.one, args.cap)))
        return
    from course_scheduler.text import plural

    if not REAL.exists():
        print(f"{REAL} is absent (it lives in ../shared/real_schedules): nothing to measure")
        return
    rows = []
    for name in args.cases:
        command = [sys.executable, "-m", "benchmarks.conference_whatif", "--one", name]
        command += ["--cap", str(args.cap)]
        out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        if r["status"] == "infeasible":
            outcome = f"no repair ({r['reasons']} reasons) in {r['seconds']:.2f} s"
        else:
            proven = "proven" if r["status"] == "optimal" else f"gap {100 * (r['gap'] or 0):.1f} %"
            valid = "valid" if r["valid"] else "NOT VALID"
            moves = plural(r["moves"], "move")
            rooms = plural(r["rooms"], "room change")
            outcome = f"{moves}, {rooms}, {r['minutes']} min; {proven}; {valid}"
        rows.append(
            [
                r["case"],
                r["movable"],
                _cell(r["first"]) + ("" if r["first_valid"] or r["first"] is None else " (!)"),
                _cell(r["within"]),
                _cell(r["seconds"])
                if r["status"] in ("optimal", "infeasible")
                else f"> {args.cap:.0f} s",
                outcome,
                f"{r['peak']:.0f} MiB",
            ]
        )
    print(
        table(
            [
                "38C3 scenario",
                "may move",
                "first valid repair",
                "within 1 % of bound",
                "proven",
                "outcome",
                "peak memory",
            ],
            rows,
        )
    )
    print(
        "times from the imported programme to the answer (import itself about "
        f"{r['import']:.2f} s); one CP-SAT worker, seed 0; cap {args.cap:.0f} s per run"
    )
    print(
        "goal: room closure with fewest moves, proven or within 1 % of its bound, in 60 s; < 2 GiB"
    )


if __name__ == "__main__":
    main()
