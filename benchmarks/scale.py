"""Beyond the peer's sizes: our time to a timetable in hand on generated instances, and memory.

``--phases`` gives a table for ``library`` of CPU seconds (steadier than wall time on a shared
machine: this process and its solver thread), wall time, peak memory (and how much of it the
instance takes once parsed from JSON, before the clock starts), the first answer, the
final objective against its bound (``--mode ours-opt``: the soft capacity rule minimised, so the
gap means something), when the solve returned against its time limit, and each phase's CPU seconds
(conversion, compilation, model build, construction, the check of a constructed
timetable when any valid one will do, search, room matching, read-back, tidy-up, freeing the
model; any other phase a run reports gets a column too). With ``--phases`` and several sizes
the growth of each phase from the smallest to the largest size is given as an exponent
(time ~ events^k) for each larger size, with that of the input's size (the events'
unavailable slot ids, which the generators make grow faster than the events), three ways:
the first run at the smallest size against each larger run (as before), run against run
paired by seed, and from the medians at each size (the steadiest: ``exponents``).

Each size is a generated instance of one shape (``--shape peer``: the peer's kind,
``benchmarks.generate_instances``; ``--shape tracks``: the denser three-day conference of
``benchmarks.generate_tracks``; ``--shape conference``: shaped after published programmes,
``benchmarks.generate_conference``; ``--shape real-38c3`` and the other ``real-`` shapes: real
published schedules scaled up, ``benchmarks.generate_real_scaled``; see
``benchmarks/instances.py``), or the files of
``--instances DIR``. Each run is a fresh process: ``library`` is course_scheduler as it is
(``peer_runner`` mode ``ours``: conversion, model build, search, room matching and read-back to
the first timetable, feasibility only); the other models are the standalone formulations of
``benchmarks.formulations`` (``pooled-nooverlap`` is the one the library followed before its
search tactics, ``solver/search.py``). ``--seeds`` runs the library once per solver seed: the
table gives the median and the slowest, and counts runs without a timetable. Peak memory is the
process's ``ru_maxrss`` (the largest over the runs). Every answer is checked by
``benchmarks.overlap_check``.

Usage: python -m benchmarks.scale [--shape peer|tracks|conference|real-38c3|... | --instances DIR] [--sizes 400 1000 2000 4000]
       [--cap 120] [--seeds 0] [--models library pooled-nooverlap] [--json OUT]
       [--phases [--mode ours|ours-opt]]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks._timing import ROOT, table
from benchmarks.instances import add_arguments, resolve
from benchmarks.overlap_check import violations
from benchmarks.peer_compare import run_child

PHASE_FIELDS = (
    "cpu",
    "first_solution",
    "first_cpu",
    "answered",
    "returned",
    "limit",
    "objective",
    "bound",
    "phases_cpu",
    "parsed_kib",
)
PHASES = (
    "convert",
    "compile",
    "build",
    "construct",
    "check",
    "search",
    "rooms",
    "read back",
    "tidy",
    "free",
)
"""The phases every table shows, in the order a solve goes through them (``Result.phases``;
``free``: the model freed before the solve returns); a phase a run reports that is not
listed here gets a column of its own after them (``phase_names``), so none is hidden."""
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


def measure(model: str, path: Path, cap: float, seed: int, mode: str = "ours") -> dict[str, Any]:
    """One run in a fresh process; a library run keeps its answer (``answer``) to be
    checked once the instance is loaded here (after the runs: a large instance takes
    gigabytes once parsed, and the runs should have the machine's memory to themselves)."""
    if model == "library":
        scratch = Path(tempfile.mkdtemp(prefix="scale-"))
        command = [mode, str(path), "--cap", str(cap), "--seed", str(seed)]
        report = run_child(command, cap + 60, scratch)
        return {
            "seconds": report.get("final"),
            "status": report["status"],
            "mib": report["maxrss_kib"] / 1024 if "maxrss_kib" in report else None,
            "answer": report.pop("answer", None),
            "build": report.get("build"),
            "convert": report.get("convert"),
            **{k: report.get(k) for k in PHASE_FIELDS},
        }
    report = run_formulation(model, path, cap)
    return {
        "seconds": report.get("seconds"),
        "status": report["status"],
        "mib": report.get("maxrss_mib"),
        "violations": report.get("violations"),
    }


def describe(data: dict[str, Any]) -> str:
    g = data["generator"]
    rooms = g.get("rooms", g.get("talk_rooms", 0) + g.get("workshop_rooms", 0))
    return f"{g['days']} d, {rooms} rooms, {len(data['slots'])} slots"


def cell(runs: list[dict[str, Any]], cap: float) -> str:
    """Median (and slowest, with several runs) time of the valid runs, peak memory, failures."""
    done = [r["seconds"] for r in runs if r["seconds"] is not None and r["violations"] == 0]
    memory = max((r["mib"] for r in runs if r["mib"] is not None), default=None)
    mib = "—" if memory is None else f"{memory:,.0f} MiB"
    failed = len(runs) - len(done)
    if not done:
        state = runs[-1]["status"]
        return f"{f'> {cap:.0f} s' if state in ('cap', 'unknown') else state}, {mib}"
    text = f"{statistics.median(done):.1f} s"
    if len(runs) > 1:
        text += f" (max {max(done):.1f} s)"
    text += f", {mib}"
    if failed:
        text += f", {failed} of {len(runs)} without a timetable"
    return text


def phase_names(rows: list[tuple[int, str, dict[str, Any]]]) -> list[str]:
    """``PHASES``, then every other phase some run reports, in the order first seen."""
    names = list(PHASES)
    for _, _, r in rows:
        names += [p for p in r.get("phases_cpu") or {} if p not in names]
    return names


def phase_table(rows: list[tuple[int, str, dict[str, Any]]], optimise: bool) -> str:
    """One row per run of the library: CPU, wall, memory, first answer, gap, phases."""
    names = phase_names(rows)
    body = []
    for size, name, r in rows:
        phases = r.get("phases_cpu") or {}
        first = r.get("first_cpu")
        gap = "—"
        if optimise and r.get("objective") is not None and r.get("bound") is not None:
            gap = f"{r['objective'] / 1000:g} / {r['bound'] / 1000:g}"
            if r["objective"] > r["bound"]:
                gap += f" ({(r['objective'] - r['bound']) / max(r['objective'], 1):.0%})"
        body.append(
            [
                f"{size:,}",
                name,
                r["status"],
                "—" if r.get("cpu") is None else f"{r['cpu']:.2f}",
                "—" if r["seconds"] is None else f"{r['seconds']:.2f}",
                "—" if r["mib"] is None else f"{r['mib']:,.0f}",
                "—" if r.get("parsed_kib") is None else f"{r['parsed_kib'] / 1024:,.0f}",
                "—" if first is None else f"{first:.2f}",
                gap,
                "—" if r.get("returned") is None else f"{r['returned']:.1f} / {r['limit']:.0f}",
                *(f"{phases[p]:.3f}" if p in phases else "—" for p in names),
            ]
        )
    header = [
        "events",
        "instance",
        "status",
        "CPU s",
        "wall s",
        "MiB",
        "MiB parsed",
        "first answer, CPU s",
        "objective / bound" if optimise else "gap",
        "solve returned / limit, s",
        *(f"{p}, CPU s" for p in names),
    ]
    text = table(header, body)
    growth = exponents(rows)
    if growth:
        text += "\n" + growth
    return text


def exponents(rows: list[tuple[int, str, dict[str, Any]]]) -> str:
    """Growth from the smallest size to each larger one, as k in time ~ events^k, three ways.

    - *first small run against each large run* (the figure printed before stop 32): one line
      per large run, all against the first run at the smallest size, so one slow or fast small
      run (0.08-0.16 s at 1,000 events) moves every line alike;
    - *paired by run*: the i-th run at the smallest size against the i-th at the larger one
      (the same solver seed), the range over the pairs: each small run is used once;
    - *medians*: the median of the runs at each size, phase by phase: the estimate that the
      noise of one run moves least, and the one the README's growth figures quote."""
    done = [(size, r) for size, _, r in rows if r.get("cpu") and r.get("phases_cpu")]
    sizes = sorted({size for size, _ in done})
    if len(sizes) < 2:
        return ""
    names = phase_names(rows)
    runs = {size: [r for s, r in done if s == size] for size in sizes}
    small = sizes[0]
    lines = []
    for large in sizes[1:]:
        head = f"growth {small:,} -> {large:,} events (time ~ events^k)"
        for b in runs[large]:
            found = _growth(runs[small][0], b, small, large, names)
            lines.append(f"{head}, first {small:,}-event run against this run: {_text(found)}")
        pairs = [
            _growth(a, b, small, large, names)
            for a, b in zip(runs[small], runs[large], strict=False)
        ]
        if len(pairs) > 1:
            lines.append(f"{head}, paired by run ({len(pairs)} pairs), range: {_ranges(pairs)}")
        if len(runs[small]) > 1 or len(runs[large]) > 1:
            found = _growth(_medians(runs[small]), _medians(runs[large]), small, large, names)
            lines.append(
                f"{head}, medians of {len(runs[small])} and {len(runs[large])} runs: "
                + _text(found)
            )
    return "\n".join(lines)


def _growth(
    a: dict[str, Any], b: dict[str, Any], small: int, large: int, names: list[str]
) -> dict[str, float]:
    """The exponents of run ``b`` (at ``large`` events) against run ``a`` (at ``small``): the
    whole CPU, the input (unavailable slot ids) and every phase both report; a phase of at
    most 5 ms in ``a`` is named with a ``~`` (``free~``): a millisecond of noise there moves
    its exponent by 0.1 or more."""
    ratio = math.log(large / small)
    found = {"CPU overall": math.log(b["cpu"] / a["cpu"]) / ratio}
    if a.get("entries") and b.get("entries"):  # the input itself: unavailable slot ids
        found["input size"] = math.log(b["entries"] / a["entries"]) / ratio
    for phase in names:
        x, y = a["phases_cpu"].get(phase), b["phases_cpu"].get(phase)
        if x and y and x > 0:
            found[phase if x > 0.005 else f"{phase}~"] = math.log(y / x) / ratio
    return found


def _text(found: dict[str, float]) -> str:
    return ", ".join(f"{name} {value:.2f}" for name, value in found.items())


def _ranges(pairs: list[dict[str, float]]) -> str:
    """Each figure's lowest and highest over the pairs (those every pair has; ``~`` when it
    is small in any of them)."""
    values: dict[str, list[float]] = {}
    small: set[str] = set()
    for found in pairs:
        for name, value in found.items():
            values.setdefault(name.rstrip("~"), []).append(value)
            if name.endswith("~"):
                small.add(name.rstrip("~"))
    return ", ".join(
        f"{name}{'~' if name in small else ''} {min(v):.2f}-{max(v):.2f}"
        for name, v in values.items()
        if len(v) == len(pairs)
    )


def _medians(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """A run made of the medians of ``runs``: CPU and each phase (over the runs that report
    it); the input is the same in every run of a size."""
    phases: dict[str, list[float]] = {}
    for r in runs:
        for phase, spent in r["phases_cpu"].items():
            phases.setdefault(phase, []).append(spent)
    return {
        "cpu": statistics.median(r["cpu"] for r in runs),
        "entries": runs[0].get("entries"),
        "phases_cpu": {phase: statistics.median(spent) for phase, spent in phases.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser, folder=None)
    parser.set_defaults(shape="peer")
    parser.add_argument("--sizes", type=int, nargs="+", default=[400, 1000, 2000, 4000])
    parser.add_argument(
        "--models", nargs="+", choices=MODELS, default=["library", "pooled-nooverlap"]
    )
    parser.add_argument("--cap", type=float, default=120.0)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="library: solver seeds")
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--phases", action="store_true", help="library only: CPU, memory, gap and phases per run"
    )
    parser.add_argument(
        "--mode",
        choices=["ours", "ours-opt"],
        default="ours",
        help="library: first timetable (ours) or soft capacity minimised (ours-opt)",
    )
    args = parser.parse_args()
    if args.instances is not None:
        args.shape = None
    if args.phases:
        args.models = ["library"]
    scratch = Path(tempfile.mkdtemp(prefix="scale-instances-"))
    rows, raw = [], []
    detail: list[tuple[int, str, dict[str, Any]]] = []
    for instance in resolve(args, args.sizes, scratch):
        by_model: dict[str, list[dict[str, Any]]] = {}
        for model in args.models:
            seeds = args.seeds if model == "library" else [0]
            by_model[model] = [
                measure(model, instance.path, args.cap, seed, args.mode) for seed in seeds
            ]
        data = instance.data()
        entries = sum(len(e.get("slot_unavailability", ())) for e in data["events"])
        row: list[object] = [instance.size, instance.name, describe(data)]
        for model, runs in by_model.items():
            for r in runs:
                if "answer" in r:
                    answer = r.pop("answer")
                    r["violations"] = None if not answer else len(violations(data, answer))
            raw.append(
                {"size": instance.size, "instance": instance.name, "model": model, "runs": runs}
            )
            detail += [
                (instance.size, instance.name, {**r, "entries": entries})
                for r in runs
                if model == "library"
            ]
            row.append(cell(runs, args.cap))
            print(f"n={instance.size} {model}: {row[-1]}", file=sys.stderr, flush=True)
        del data
        rows.append(row)
    if args.phases:
        print(phase_table(detail, args.mode == "ours-opt"))
    else:
        header = ["events", "instance", "shape", *(f"{m}: timetable in hand" for m in args.models)]
        print(table(header, rows))
    if args.json is not None:
        args.json.write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
