"""What each search tactic brings: the library with parts of ``solver/search.py`` switched off.

For each instance (generated: ``--shapes``, ``--sizes``; see ``benchmarks/instances.py``) and each
variant, one fresh process per solver seed (``peer_runner`` mode ``ours``: feasibility only, the
time to a timetable in hand, conversion and model build included), killed at ``--cap``. A cell
gives the median time over the seeds whose timetable checks clean (``overlap_check``), and how
many seeds found none. Variants (``Tactics``):

- ``all``: everything on (the default);
- ``no construction``: no constructed first timetable as a hint, so the fallback (CP-SAT's
  fixed greedy search to a first timetable) does the work;
- ``neither``: no construction and no fallback: CP-SAT's automatic search alone;
- ``no cliques``: speaker, tag and clash rules as NoOverlap over intervals;
- ``none``: all of the above off, the search as it was before (cells and NoOverlaps only).

Usage: python -m benchmarks.search_tactics [--shapes peer tracks] [--sizes 400 1000 2000]
       [--seeds 0 1 2] [--cap 60] [--variants all none ...] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks._timing import table
from benchmarks.instances import SHAPES, generated
from benchmarks.overlap_check import violations
from benchmarks.peer_compare import GRACE, run_child

VARIANTS = {
    "all": [],
    "no construction": ["construct=0"],
    "neither": ["construct=0", "fallback=0"],
    "no cliques": ["cliques=0"],
    "none": ["construct=0", "fallback=0", "cliques=0"],
}


def run(
    path: Path, data: dict[str, Any], seed: int, tactics: list[str], cap: float
) -> dict[str, Any]:
    scratch = Path(tempfile.mkdtemp(prefix="tactics-"))
    command = ["ours", str(path), "--cap", str(cap), "--seed", str(seed), "--tactics", *tactics]
    report = run_child(command, cap + GRACE, scratch)
    answer = report.pop("answer", None)
    valid = bool(answer) and not violations(data, answer)
    return {
        "seconds": report.get("final") if valid else None,
        "status": report["status"],
        "mib": report.get("maxrss_kib", 0) / 1024,
    }


def cell(runs: list[dict[str, Any]], cap: float) -> str:
    done = [r["seconds"] for r in runs if r["seconds"] is not None]
    missed = len(runs) - len(done)
    text = f"{statistics.median(done):.1f} s" if done else f"> {cap:.0f} s"
    if missed and done:
        text += f", {missed}/{len(runs)} none"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shapes", nargs="+", choices=sorted(SHAPES), default=["peer", "tracks"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[400, 1000, 2000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--cap", type=float, default=60.0)
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="tactics-instances-"))
    instances = [generated(s, n, None, scratch) for s in args.shapes for n in args.sizes]
    results: dict[str, dict[str, list[dict[str, Any]]]] = {v: {} for v in args.variants}
    for instance in instances:
        data = instance.data()
        for seed in args.seeds:  # variants interleaved, so machine load falls on all alike
            for variant in args.variants:
                report = run(instance.path, data, seed, VARIANTS[variant], args.cap)
                results[variant].setdefault(instance.name, []).append(report)
                print(
                    f"{instance.name} seed {seed} {variant}: {report['status']} "
                    f"{report['seconds']}",
                    file=sys.stderr,
                    flush=True,
                )
    header = ["variant", *(i.name for i in instances)]
    rows = [
        [variant, *(cell(results[variant][i.name], args.cap) for i in instances)]
        for variant in args.variants
    ]
    print(table(header, rows))
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
