"""Writing the solved programme over the planner's file (``solve FILE --out OUT``) at scale.

Programme files of generated conferences (``generate_conference``, converted with
``programme_from_peer`` and written by the library's own writer), with planner comments
added (a note at the top, a note above every 50th talk, ``# confirmed`` after every 7th
title): a ``template`` (every talk unplaced, in the top-level list: the solve places all of
them) and a ``solved`` file (the template's timetable written fresh: every talk on its day,
pinned; a solve over it keeps them). The conference template of 10,000 talks (38 MB: every
talk's candidate rooms) is over the reader's 20 MiB limit, so it is not among them.

Each file, each code (``--code DIR ...``: a ``src`` folder, e.g. main's from ``git archive``;
alternated run by run), ``--runs`` times: a child process reads the file (``read``), solves it
(``solve``, ``--limit`` seconds, seed 0) and writes the programme over the file's text as the
command does (``write``: ``with_timetable`` and ``save`` with a header), CPU and wall seconds
of each, and the whole process's CPU and wall from its start; then the command itself,
``course-scheduler solve FILE --out OUT --time-limit T`` (``--command-limit``), its CPU
and wall as a whole process. Medians, with the range; the written files' SHA-256 compared
between the codes.
Usage: PYTHONPATH=. python -m benchmarks.save_speed [--sizes 2000 10000] [--kinds template
solved] [--code src OLD/src] [--runs 3] [--limit 120] [--command-limit 60] [--scratch DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._timing import ROOT, table

HEADER = "# Solved by course-scheduler from {name}: status {status}, seed 0.\n"


def commented(text: str) -> str:
    """A fresh programme file with a planner's comments: a note at the top, a note above
    each day and every 50th activity, an end-of-line note after every 7th title."""
    out = ["# Programme for the conference: edited by hand, keep the notes\n"]
    items = titles = 0
    for line in text.splitlines(keepends=True):
        if line.startswith("- date:"):
            out.append("# the next day\n")
        item = re.match(r"^(\s*)- id: ", line)
        if item and titles:
            items += 1
            if items % 50 == 0:
                out.append(f"{item.group(1)}# --- a block of talks ---\n")
        if re.match(r"^\s+title: ", line):
            titles += 1
            if titles % 7 == 0:
                line = line.rstrip("\n") + "  # confirmed\n"
        out.append(line)
    return "".join(out)


def make(size: int, kind: str, scratch: Path, limit: float) -> Path:
    """The programme file of ``size`` generated conference talks (see the module), once."""
    target = scratch / f"conference_{size}_{kind}.yaml"
    if target.exists():
        return target
    from benchmarks.instances import generated
    from course_scheduler.api import solve, with_timetable
    from course_scheduler.importers.peer import programme_from_peer
    from course_scheduler.loading import dump

    instance = generated("conference", size, None, scratch)
    programme = programme_from_peer(json.loads(instance.path.read_text(encoding="utf-8")))
    if kind == "solved":
        result = solve(programme, time_limit=limit, seed=0)
        programme = with_timetable(result)
    target.write_text(commented(dump(programme, fresh=True)), encoding="utf-8")
    return target


def child(path: Path, out: Path, limit: float) -> None:
    """One run, in a process of its own: read, solve, write, as ``solve --out`` does."""
    from course_scheduler.launch import process_started

    began = process_started()
    from course_scheduler.api import load, solve, with_timetable
    from course_scheduler.loading import save

    phases: dict[str, list[float]] = {}

    def timed(name: str, action: Any) -> Any:
        cpu, wall = time.process_time(), time.perf_counter()
        value = action()
        phases[name] = [time.process_time() - cpu, time.perf_counter() - wall]
        return value

    programme = timed("read", lambda: load(path))
    result = timed("solve", lambda: solve(programme, time_limit=limit, seed=0, began=began))
    header = HEADER.format(name=path.name, status=result.status.value)

    def write() -> None:
        solved = with_timetable(result)
        try:
            save(solved, out, over=programme, header=header, as_read=True)
        except TypeError:  # a code without ``as_read``: it reads the file again
            save(solved, out, over=programme, header=header)

    timed("write", write)
    phases["process"] = [time.process_time(), time.perf_counter() - began]
    digest = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
    print(json.dumps({"phases": phases, "sha": digest, "status": result.status.value}))


def run_child(code: Path, path: Path, out: Path, limit: float) -> dict[str, Any]:
    environment = {**os.environ, "PYTHONPATH": f"{code}{os.pathsep}{ROOT}"}
    command = [sys.executable, "-m", "benchmarks.save_speed", "--child", str(path), str(out)]
    done = subprocess.run(
        [*command, str(limit)], env=environment, capture_output=True, text=True, check=True
    )
    record: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return record


def run_command(code: Path, path: Path, out: Path, limit: float) -> list[float]:
    """``course-scheduler solve FILE --out OUT --time-limit T``: CPU and wall seconds."""
    environment = {**os.environ, "PYTHONPATH": f"{code}{os.pathsep}{ROOT}"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    command = [sys.executable, "-m", "course_scheduler", "solve", str(path), "--out", str(out)]
    subprocess.run(
        [*command, "--time-limit", str(limit)],
        env=environment,
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return [cpu, wall]


def spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--kinds", nargs="+", default=["template", "solved"])
    parser.add_argument("--code", type=Path, nargs="+", default=[ROOT / "src"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=float, default=120.0)
    parser.add_argument("--command-limit", type=float, default=None)
    parser.add_argument("--scratch", type=Path, default=None)
    args = parser.parse_args()
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="save_speed_"))
    scratch.mkdir(parents=True, exist_ok=True)
    load = Path("/proc/loadavg")
    print(f"load at start: {load.read_text().split()[0] if load.exists() else '?'}")
    header = ["file", "size", "code", "status"]
    header += [f"{p} CPU / wall s" for p in ("read", "solve", "write", "process")]
    if args.command_limit is not None:
        header.append(f"command (limit {args.command_limit:g} s) CPU / wall s")
    header.append("written (SHA-256)")
    rows: list[list[str]] = []
    for size in args.sizes:
        for kind in args.kinds:
            if kind == "template" and size > 2500:
                continue  # over the reader's 20 MiB limit (see the module)
            path = make(size, kind, scratch, args.limit)
            runs: dict[Path, list[dict[str, Any]]] = {code: [] for code in args.code}
            commands: dict[Path, list[list[float]]] = {code: [] for code in args.code}
            for number in range(args.runs):
                order = args.code if number % 2 == 0 else args.code[::-1]
                for index, code in enumerate(order):
                    out = scratch / f"out_{index}.yaml"
                    runs[code].append(run_child(code, path, out, args.limit))
                    if args.command_limit is not None:
                        commands[code].append(run_command(code, path, out, args.command_limit))
            shas = {code: {r["sha"] for r in records} for code, records in runs.items()}
            for code, records in runs.items():
                row = [
                    f"{size} {kind}",
                    f"{path.stat().st_size / 1e6:.1f} MB",
                    str(code),
                    records[-1]["status"],
                ]
                for phase in ("read", "solve", "write", "process"):
                    cpu = [r["phases"][phase][0] for r in records]
                    wall = [r["phases"][phase][1] for r in records]
                    row.append(f"{spread(cpu)} / {spread(wall)}")
                if args.command_limit is not None:
                    row.append(
                        f"{spread([c[0] for c in commands[code]])} / "
                        f"{spread([c[1] for c in commands[code]])}"
                    )
                same = len({sha for s in shas.values() for sha in s}) == 1
                row.append(",".join(sorted(shas[code])) + (" (same)" if same else ""))
                rows.append(row)
            print(table(header, rows), flush=True)  # so far: a long run shows as it goes
    print(f"load at end: {load.read_text().split()[0] if load.exists() else '?'}")


if __name__ == "__main__":
    main()
