"""Side by side with conference_scheduler on conference instances, each run in its own process.

The instances are the files of a folder (``--instances DIR``, default
``../shared/benchmarks/peer_instances``: the peer's own, ``cs_n{20,50,100,200,400}.json``) or
generated ones of a shape (``--shape peer|tracks|conference``, see ``benchmarks/instances.py``); the table
names each instance it used, and a missing folder is an error, never a silent substitute. Each
instance is solved by:

- ours: course_scheduler, feasibility only: the time to a timetable in hand;
- ours-opt: course_scheduler minimising the soft capacity rule: the time to its final timetable;
- peer: conference_scheduler's ``scheduler.schedule`` (PuLP/CBC), called plainly;
- peer-workaround: the same with a never-used dummy slot in every event's ``unavailability``.

Every time is to the answer in hand: for ours, after the search, the room matching and the
read-back into event → slot (not the solver's first solution, which comes earlier). Runs
alternate between the modes (the order rotates each round), ``--runs`` rounds, each run in
a fresh process (``benchmarks.peer_runner``) killed with its children at ``--cap`` seconds; a mode
that hits the cap is not run again at that size. Every distinct answer is then checked three
ways: our validator (``course_scheduler.checking.check_problem``), the peer's
``validator.schedule_violations`` (with every event's clash rules switched on) and the
benchmark's own interval-overlap checker (``benchmarks.overlap_check``). A time only counts when
its timetable keeps the instance's rules: our validator and the overlap checker both find
nothing. The peer's validator reads the rules more strictly (an event occupies its whole slot, so
a talk at 11:00-11:30 in a 90-minute workshop slot "clashes" with one at 11:45); where it reports
exactly the distinct pairs the overlap checker finds under that reading (``clashing_pairs(..., slot_occupancy=True)``), the
count is marked † and the timetable still counts as valid; any other disagreement is shown. Memory is the run's peak resident set of the
solving process (``peer_runner.peak_kib``: its own, not the benchmark's it was started from)
plus that of its largest child (CBC runs as one).

For ours the table adds CPU seconds (steadier than wall time on a shared machine) and, when
the soft capacity rule is minimised, the audiences left without a fitting room against the
proven bound. Above a few hundred events the peer builds gigabytes of binaries: run the large
sizes with ``--modes ours ours-opt``.

Usage: python -m benchmarks.peer_compare [--instances DIR | --shape peer|tracks|conference] [--sizes N ...]
       [--runs 3] [--cap 120] [--modes ours ours-opt peer peer-workaround] [--json OUT]
       [--plot PNG] [--from-json IN]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._timing import ROOT, table
from benchmarks.instances import add_arguments, resolve
from benchmarks.overlap_check import clashing_pairs, violations
from benchmarks.peer_runner import MODES

GRACE = 10.0
"""Seconds a run may overrun the cap (process start, writing the answer) before it is killed;
our solver is given the cap minus the conversion time as its own time limit."""
LABELS = {
    "ours": "ours, first",
    "ours-opt": "ours, final",
    "peer": "peer, plain",
    "peer-workaround": "peer, workaround",
}


def run_child(args: list[str], cap: float, scratch: Path) -> dict[str, Any]:
    """Run ``peer_runner`` ARGS in a new session; kill the whole session at ``cap`` seconds."""
    out = scratch / f"run-{os.getpid()}-{time.monotonic_ns()}.json"
    command = [sys.executable, "-m", "benchmarks.peer_runner", *args, "--out", str(out)]
    began = time.perf_counter()
    child = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _, err = child.communicate(timeout=cap)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        return {"status": "cap", "wall": time.perf_counter() - began}
    wall = time.perf_counter() - began
    if child.returncode != 0 or not out.exists():
        tail = err.decode(errors="replace").strip().splitlines()[-3:]
        return {"status": "error", "wall": wall, "error": " / ".join(tail)}
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    report["wall"] = wall
    return report


def digest(answer: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(answer, sort_keys=True).encode()).hexdigest()[:16]


def validate(
    data: dict[str, Any], path: Path, answer: dict[str, str], scratch: Path, cap: float
) -> dict[str, Any]:
    """Our checker, the peer's validator (in a child process) and the overlap checker."""
    from course_scheduler.checking import check_problem
    from course_scheduler.compile import compile_programme
    from course_scheduler.importers.peer import programme_from_peer, timetable_from_assignment

    problem = compile_programme(programme_from_peer(data))
    report = check_problem(problem, timetable_from_assignment(data, answer))
    ours = [f.message for f in report.errors]
    overlap = violations(data, answer)
    strict = clashing_pairs(data, answer, slot_occupancy=True)
    peer_found: list[str] | None = None
    peer_status = "not installed"
    if importlib.util.find_spec("conference_scheduler") is not None:
        answer_file = scratch / f"answer-{digest(answer)}.json"
        answer_file.write_text(json.dumps(answer), encoding="utf-8")
        peer = run_child(["validate", str(path), "--answer", str(answer_file)], cap, scratch)
        peer_found = peer.get("violations")
        peer_status = "ok" if peer_found is not None else peer["status"]
    return {
        "ours": len(ours),
        "peer": None if peer_found is None else len(peer_found),
        "peer_status": peer_status,
        "overlap": len(overlap),
        "slot_occupancy": len(strict),
        "valid": not ours and not overlap,
        "peer_agrees": not peer_found,
        "examples": (ours + overlap + (peer_found or []))[:3],
        "capacity_warnings": len(report.warnings),
    }


def measure(args: argparse.Namespace) -> list[dict[str, Any]]:
    scratch = Path(tempfile.mkdtemp(prefix="peer-compare-"))
    results = []
    for instance in resolve(args, args.sizes, scratch):
        path, source, size = instance.path, instance.name, instance.size
        runs: dict[str, list[dict[str, Any]]] = {m: [] for m in args.modes}
        for round_ in range(args.runs):
            shift = round_ % len(args.modes)
            for mode in args.modes[shift:] + args.modes[:shift]:
                if any(r["status"] in ("cap", "error", "unknown") for r in runs[mode]):
                    continue
                report = run_child(
                    [mode, str(path), "--cap", str(args.cap)], args.cap + GRACE, scratch
                )
                if (report.get("final") or 0) > args.cap + GRACE / 2:
                    report["status"] = "cap"
                runs[mode].append(report)
                print(
                    f"n={size} round {round_ + 1} {mode}: {report['status']} "
                    f"{report.get('final') or report['wall']:.2f} s",
                    file=sys.stderr,
                    flush=True,
                )
        data = instance.data()  # after the runs: parsed, a large instance takes gigabytes
        checks: dict[str, dict[str, Any]] = {}
        for mode_runs in runs.values():
            for r in mode_runs:
                answer = r.pop("answer", None)
                if answer:
                    key = digest(answer)
                    r["answer_digest"] = key
                    if key not in checks:
                        checks[key] = validate(data, path, answer, scratch, args.validate_cap)
                        checks[key]["answer"] = answer
        results.append({"size": size, "instance": source, "runs": runs, "checks": checks})
    return results


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def summarise(entry: dict[str, Any], mode: str, cap: float) -> dict[str, Any]:
    """Median times over valid runs, the validity verdict and the peak memory of one mode."""
    runs = entry["runs"].get(mode, [])
    checks = entry["checks"]
    verdicts = [checks[r["answer_digest"]] for r in runs if "answer_digest" in r]
    valid = [
        r
        for r in runs
        if "answer_digest" in r and checks[r["answer_digest"]]["valid"] and r["status"] != "cap"
    ]
    capped = any(r["status"] in ("cap", "unknown") for r in runs)
    memory = [
        (r.get("maxrss_kib", 0) + r.get("children_maxrss_kib", 0)) / 1024
        for r in runs
        if "maxrss_kib" in r
    ]
    finished = [r for r in valid if r.get("objective") is not None and r.get("bound") is not None]
    return {
        "cpu": _median([r["cpu"] for r in valid if r.get("cpu") is not None]),
        "gap": f"{finished[-1]['objective'] / 1000:g} / {finished[-1]['bound'] / 1000:g}"
        if finished
        else "—",
        "final": _median([r["final"] for r in valid if r.get("final") is not None]),
        "invalid_final": _median(
            [
                r["final"]
                for r in runs
                if r.get("final") is not None and r not in valid and r["status"] != "cap"
            ]
        ),
        "capped": capped,
        "errors": [r.get("error", "") for r in runs if r["status"] == "error"],
        "status": [r["status"] for r in runs],
        "memory_mib": max(memory) if memory else None,
        "verdicts": verdicts,
        "cap": cap,
        "ours": mode.startswith("ours"),
    }


def _time(summary: dict[str, Any], key: str) -> str:
    value = summary[key]
    if value is not None:
        unproven = key == "final" and "feasible" in summary["status"] and summary["ours"]
        return f"{value:.2f} s" + (" (not proven optimal)" if unproven else "")
    if summary["invalid_final"] is not None:
        return f"({summary['invalid_final']:.2f} s, invalid)"
    if summary["capped"]:
        return f"> {summary['cap']:.0f} s"
    if summary["errors"]:
        return "error"
    return "—"


def _cpu(summary: dict[str, Any] | None) -> str:
    """Median CPU seconds of our valid runs (this process and its solver thread)."""
    if summary is None or summary["cpu"] is None:
        return "—"
    return f"{summary['cpu']:.2f}"


def _verdict(summary: dict[str, Any]) -> str:
    if not summary["verdicts"]:
        return "—"
    v = summary["verdicts"][-1]
    peer = "n/a" if v["peer"] is None else str(v["peer"])
    if v["valid"] and v["peer"] and v["peer"] == v["slot_occupancy"]:
        peer += "†"  # the peer's slot-level reading, not a broken rule (see the README)
    mark = "valid" if v["valid"] else "INVALID"
    return f"{mark} ({v['ours']}/{peer}/{v['overlap']})"


def _memory(summary: dict[str, Any]) -> str:
    value = summary["memory_mib"]
    return "—" if value is None else f"{value:,.0f}"


def render(results: list[dict[str, Any]], cap: float, modes: list[str]) -> str:
    rows = []
    for entry in results:
        s = {m: summarise(entry, m, cap) for m in modes}
        ours = s.get("ours")
        peer_times = [
            s[m]["final"] for m in ("peer", "peer-workaround") if m in s and s[m]["final"]
        ]
        ratio = "—"
        if ours and ours["final"]:
            if peer_times:
                ratio = f"{min(peer_times) / ours['final']:.1f}×"
            elif any(s[m]["capped"] for m in ("peer", "peer-workaround") if m in s):
                ratio = f"> {cap / ours['final']:.0f}×"
        peer_memory = [s[m]["memory_mib"] for m in ("peer", "peer-workaround") if m in s]
        ours_memory = [s[m]["memory_mib"] for m in ("ours", "ours-opt") if m in s]
        rows.append(
            [
                entry["size"],
                entry["instance"],
                _time(s["ours"], "final") if "ours" in s else "—",
                _cpu(s.get("ours")),
                _time(s["ours-opt"], "final") if "ours-opt" in s else "—",
                _cpu(s.get("ours-opt")),
                s["ours-opt"]["gap"] if "ours-opt" in s else "—",
                _time(s["peer"], "final") if "peer" in s else "—",
                _time(s["peer-workaround"], "final") if "peer-workaround" in s else "—",
                ratio,
                _fmt_mib(ours_memory),
                _fmt_mib(peer_memory),
                *(_verdict(s[m]) for m in modes),
            ]
        )
    header = [
        "events",
        "instance",
        "ours: first",
        "CPU s",
        "ours: final",
        "CPU s",
        "capacity: found / bound",
        "peer: plain",
        "peer: workaround",
        "peer/ours",
        "MiB ours",
        "MiB peer",
        *(f"checks {LABELS[m]}" for m in modes),
    ]
    return table(header, rows)


def _fmt_mib(values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    return f"{max(known):,.0f}" if known else "—"


def plot(results: list[dict[str, Any]], cap: float, modes: list[str], path: Path) -> None:
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    styles = {
        "ours": ("ours: first timetable", "o-", "tab:blue", "final"),
        "ours-opt": ("ours: final (capacity minimised)", "s--", "tab:cyan", "final"),
        "peer": ("peer: plain call", "^-", "tab:red", "final"),
        "peer-workaround": ("peer: with workaround", "v-", "tab:orange", "final"),
    }
    for mode in modes:
        label, style, colour, key = styles[mode]
        xs, ys, hollow_x, hollow_y = [], [], [], []
        for entry in results:
            s = summarise(entry, mode, cap)
            if s[key] is not None:
                xs.append(entry["size"])
                ys.append(s[key])
            elif s["invalid_final"] is not None:
                hollow_x.append(entry["size"])
                hollow_y.append(s["invalid_final"])
            elif s["capped"]:
                hollow_x.append(entry["size"])
                hollow_y.append(cap)
        ax.plot(xs, ys, style, color=colour, label=label)
        if hollow_x:
            ax.plot(hollow_x, hollow_y, style[0], color=colour, mfc="none", ms=10)
    ax.axhline(cap, color="grey", linestyle=":", linewidth=1)
    ax.text(min(e["size"] for e in results), cap * 1.08, f"cap {cap:.0f} s", color="grey")
    ax.set_xscale("log")
    ax.set_yscale("log")
    sizes = sorted({e["size"] for e in results})
    ax.set_xticks(sizes)
    ax.xaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xlabel("events")
    ax.set_ylabel("seconds (median; conversion + build + solve)")
    ax.set_title("Time to a valid timetable (hollow: over the cap, or invalid)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument(
        "--sizes", type=int, nargs="+", help="event counts (default: every file of the folder)"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cap", type=float, default=120.0, help="seconds per run")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--validate-cap", type=float, default=900.0, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="write every run and check here")
    parser.add_argument("--from-json", type=Path, help="only print (and plot) a saved --json")
    parser.add_argument("--plot", type=Path, help="write a log-scale PNG of time versus size")
    args = parser.parse_args()
    if args.from_json is not None:
        results = json.loads(args.from_json.read_text(encoding="utf-8"))
        args.sizes = [entry["size"] for entry in results]
    else:
        results = measure(args)
    print(render(results, args.cap, args.modes))
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if args.plot is not None:
        plot(results, args.cap, args.modes, args.plot)


if __name__ == "__main__":
    main()
