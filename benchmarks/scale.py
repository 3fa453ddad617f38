"""Beyond the peer's sizes: our time to a feasible timetable on generated instances, and memory.

Each size is a generated instance of the peer's kind (``benchmarks.generate_instances``, default
seed). Each run is a fresh process: ``library`` is course_scheduler as it is (``peer_runner``
mode ``ours``: conversion, model build and solve to the first timetable, feasibility only; rooms
pooled, ``solver/slots.py``); the other models are the standalone formulations of
``benchmarks.formulations`` (``pooled-nooverlap`` is the one the library follows). Peak memory
is the process's ``ru_maxrss``. Every answer is checked by ``benchmarks.overlap_check``.

Usage: python -m benchmarks.scale [--sizes 400 1000 2000 4000] [--cap 120] [--runs 1]
       [--models library pooled-nooverlap]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks._timing import ROOT, table
from benchmarks.generate_instances import generate, write
from benchmarks.overlap_check import violations
from benchmarks.peer_compare import run_child

MODELS = ("library", "library-intervals", "pooled-nooverlap", "pooled", "time-indexed", "interval")


def run_formulation(model: str, path: Path, cap: float) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.formulations", "--cap", str(cap)]
    try:
        done = subprocess.run(
            [*command, "--child", model, str(path)],
            capture_output=True,
            text=True,
            timeout=cap * 2 + 60,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        return {"status": "cap"}
    lines = done.stdout.strip().splitlines()
    if not lines:
        return {"status": "error", "error": done.stderr.strip().splitlines()[-1:]}
    report: dict[str, Any] = json.loads(lines[-1])
    report["status"] = "ok" if report["seconds"] is not None else "cap"
    return report


def measure(model: str, path: Path, data: dict[str, Any], cap: float) -> dict[str, Any]:
    if model == "library":
        scratch = Path(tempfile.mkdtemp(prefix="scale-"))
        report = run_child(["ours", str(path), "--cap", str(cap)], cap + 60, scratch)
        answer = report.pop("answer", None)
        return {
            "seconds": report.get("first"),
            "status": report["status"],
            "mib": report["maxrss_kib"] / 1024 if "maxrss_kib" in report else None,
            "violations": None if not answer else len(violations(data, answer)),
            "build": report.get("build"),
            "convert": report.get("convert"),
        }
    report = run_formulation(model, path, cap)
    return {
        "seconds": report.get("seconds"),
        "status": report["status"],
        "mib": report.get("maxrss_mib"),
        "violations": report.get("violations"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[400, 1000, 2000, 4000])
    parser.add_argument(
        "--models", nargs="+", choices=MODELS, default=["library", "pooled-nooverlap"]
    )
    parser.add_argument("--cap", type=float, default=120.0)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="scale-instances-"))
    rows, raw = [], []
    for size in args.sizes:
        path = scratch / f"gen_n{size}.json"
        data = generate(size)
        write(data, path)
        g = data["generator"]
        row: list[object] = [
            size,
            f"{g['days']} d, {g['talk_rooms'] + g['workshop_rooms']} rooms, {g['n_slots']} slots",
        ]
        for model in args.models:
            runs = [measure(model, path, data, args.cap) for _ in range(args.runs)]
            raw.append({"size": size, "model": model, "runs": runs})
            done = [r for r in runs if r["seconds"] is not None and r["violations"] == 0]
            memory = max((r["mib"] for r in runs if r["mib"] is not None), default=None)
            mib = "—" if memory is None else f"{memory:,.0f} MiB"
            if done:
                seconds = statistics.median(r["seconds"] for r in done)
                row.append(f"{seconds:.1f} s, {mib}")
            else:
                state = runs[-1]["status"]
                text = f"> {args.cap:.0f} s" if state in ("cap", "unknown") else state
                row.append(f"{text}, {mib}")
            print(f"n={size} {model}: {row[-1]}", file=sys.stderr, flush=True)
        rows.append(row)
    print(table(["events", "instance", *(f"{m}: first feasible" for m in args.models)], rows))
    if args.json is not None:
        args.json.write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
