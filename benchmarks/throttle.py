"""The time limit on a loaded machine, simulated on our own process only.

A machine at load 10 on two cores gives a process about a fifth of a core. Loading the machine
to see what that does to the time limit would slow everyone else's measurements, so this
driver slows only the process it runs: the whole process group is stopped (``SIGSTOP``) for
``--off`` seconds after every ``--on`` seconds it runs (20 ms on, 80 ms off by default: a
fifth of a core, the wall clock running five times faster than the process's CPU, its solver
threads included).

Two kinds of run, each a fresh process:

- ``cli``: ``course-scheduler solve FILE --time-limit T`` on the programme file converted from
  a generated instance (written once as YAML, as a planner's file would be): "answered" is
  when the process exited, counted from its start (Python starting and importing included);
- ``ours`` and ``ours-opt``: ``benchmarks.peer_runner`` on the generated instance itself,
  as ``benchmarks.scale`` runs it (the clock starts once the instance is parsed; conversion
  counts): "answered" is the runner's own figure.

Each row gives the limit, size, shape, throttle, when the answer came and by how much it
overran the limit, when the command (or the solve) returned, before the process ended, the
process's CPU seconds, the status, and the phase that took most wall time (from the solve's
phase timings; ``read`` is starting the command and reading the file, or converting the
instance), with the load average before and after.

Usage: python -m benchmarks.throttle [--shapes peer tracks conference] [--sizes 2000 10000]
       [--limits 5 20 60] [--modes cli ours ours-opt] [--on 0.02] [--off 0.08] [--json OUT]
       python -m benchmarks.throttle --run [--on 0.02] [--off 0.08] -- COMMAND ...
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._timing import ROOT, table
from benchmarks.instances import generated

STARTED = time.perf_counter()
"""When this module was imported: in a child, just after Python started."""
PHASE_LINE = re.compile(r"phases \(wall s\): (.*)$")


def throttled(command: list[str], on: float, off: float, timeout: float) -> dict[str, Any]:
    """Run ``command`` in a session of its own, stopped ``off`` s after every ``on`` s;
    its wall time from start to exit, its CPU seconds (children included), exit code and
    output (to files: a full pipe would stop it). The process is always left running
    (``SIGCONT``) before it is waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        began = time.perf_counter()
        child = subprocess.Popen(
            command, cwd=ROOT, stdout=out, stderr=err, start_new_session=True, text=True
        )
        try:
            while child.poll() is None:
                if off > 0:
                    time.sleep(on)
                    _signal(child.pid, signal.SIGSTOP)
                    time.sleep(off)
                    _signal(child.pid, signal.SIGCONT)
                else:
                    time.sleep(0.01)
                if time.perf_counter() - began > timeout:
                    _signal(child.pid, signal.SIGKILL)
                    break
        finally:
            _signal(child.pid, signal.SIGCONT)
        child.wait()
        wall = time.perf_counter() - began
        texts = []
        for stream in (out, err):
            stream.seek(0)
            texts.append(stream.read())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {
        "wall": wall,
        "cpu": cpu,
        "rc": child.returncode,
        "stdout": texts[0],
        "stderr": texts[1],
    }


def _signal(group: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signum)


def _load() -> str:
    """The one-minute load average, to print beside each row."""
    return Path("/proc/loadavg").read_text(encoding="ascii").split()[0]


def programme_file(instance_path: Path, scratch: Path) -> Path:
    """The generated instance as a programme file (YAML), written once."""
    target = scratch / (instance_path.stem + ".yaml")
    if not target.exists():
        from course_scheduler.importers.peer import programme_from_peer
        from course_scheduler.loading import dump

        data = json.loads(instance_path.read_text(encoding="utf-8"))
        target.write_text(dump(programme_from_peer(data), fresh=True), encoding="utf-8")
    return target


def run_cli(path: Path, limit: float, on: float, off: float) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.throttle", "--child", "solve", str(path)]
    command += ["--time-limit", str(limit)]
    done = throttled(command, on, off, timeout=limit * 10 + 120)
    status = re.search(r"status: (\w+)", done["stdout"])
    returned = re.search(r"returned at ([0-9.]+) s", done["stderr"])
    phases = _phases(done["stderr"])
    return {
        "answered": done["wall"],
        "returned": float(returned.group(1)) if returned else None,
        "cpu": done["cpu"],
        "status": status.group(1) if status else f"exit {done['rc']}",
        "rc": done["rc"],
        "phases": phases,
    }


def run_runner(mode: str, path: Path, limit: float, on: float, off: float) -> dict[str, Any]:
    out = Path(tempfile.mkdtemp(prefix="throttle-")) / "run.json"
    command = [sys.executable, "-m", "benchmarks.peer_runner", mode, str(path)]
    command += ["--cap", str(limit), "--out", str(out)]
    done = throttled(command, on, off, timeout=limit * 10 + 120)
    if not out.exists():
        tail = done["stderr"].strip().splitlines()[-1:]
        return {"answered": None, "status": f"exit {done['rc']} {tail}", "phases": {}}
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    phases = dict(report.get("phases_wall") or {})
    if report.get("convert") is not None:
        phases["read"] = report["convert"]
    return {
        "answered": report["answered"],
        "returned": report.get("returned"),
        "process": done["wall"],
        "cpu": done["cpu"],
        "status": report["status"],
        "phases": phases,
    }


def _phases(stderr: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for line in stderr.splitlines():
        match = PHASE_LINE.search(line)
        if match:
            for item in match.group(1).split(", "):
                name, _, seconds = item.rpartition(" ")
                found[name] = float(seconds)
    return found


def child(argv: list[str]) -> int:
    """``course-scheduler ARGV`` as the installed command runs it (``launch``: its end
    included), with the solve's phase timings logged to standard error, and when the
    command returned."""
    from course_scheduler import launch

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("course_scheduler")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    command = launch.main

    def timed() -> int:
        code = command()
        print(f"returned at {time.perf_counter() - STARTED:.2f} s", file=sys.stderr, flush=True)
        return code

    sys.argv = ["course-scheduler", *argv]
    launch.main = timed  # type: ignore[method-assign]
    end = getattr(launch, "run", None)  # the command's own end, where it has one
    return end() if end is not None else timed()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        raise SystemExit(child(sys.argv[2:]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shapes", nargs="+", default=["peer", "tracks", "conference"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--limits", type=float, nargs="+", default=[5, 20, 60])
    parser.add_argument("--modes", nargs="+", default=["cli"], choices=["cli", "ours", "ours-opt"])
    parser.add_argument("--on", type=float, default=0.02, help="seconds running per period")
    parser.add_argument("--off", type=float, default=0.08, help="seconds stopped per period")
    parser.add_argument("--scratch", type=Path, help="where instances are written (kept)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    parser.add_argument("--run", action="store_true", help="throttle the COMMAND given after --")
    parser.add_argument("command", nargs="*")
    args = parser.parse_args()
    if args.run:
        done = throttled(args.command, args.on, args.off, timeout=3600)
        sys.stdout.write(done["stdout"])
        sys.stderr.write(done["stderr"])
        print(
            f"answered at {done['wall']:.2f} s ({done['cpu']:.2f} s CPU), exit {done['rc']}",
            file=sys.stderr,
        )
        raise SystemExit(done["rc"])
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="throttle-"))
    throttle = f"{args.on * 1000:.0f}/{args.off * 1000:.0f} ms"
    rows, records = [], []
    for shape in args.shapes:
        for size in args.sizes:
            instance = generated(shape, size, None, scratch)
            for limit in args.limits:
                for mode in args.modes:
                    load = _load()
                    if mode == "cli":
                        path = programme_file(instance.path, scratch)
                        run = run_cli(path, limit, args.on, args.off)
                    else:
                        run = run_runner(mode, instance.path, limit, args.on, args.off)
                    after = _load()
                    answered = run["answered"]
                    over = "—" if answered is None else f"{answered - limit:+.2f}"
                    slowest = max(run["phases"].items(), key=lambda p: p[1], default=None)
                    rows.append(
                        [
                            f"{limit:g}",
                            f"{size:,}",
                            shape,
                            mode,
                            throttle,
                            "—" if answered is None else f"{answered:.2f}",
                            over,
                            "—" if run["returned"] is None else f"{run['returned']:.2f}",
                            f"{run['cpu']:.2f}",
                            run["status"],
                            "—" if slowest is None else f"{slowest[0]} {slowest[1]:.2f}",
                            f"{load}-{after}",
                        ]
                    )
                    records.append({"shape": shape, "size": size, "limit": limit, **run})
                    print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
    header = [
        "limit s",
        "events",
        "shape",
        "run",
        "throttle",
        "answered s",
        "over s",
        "returned s",
        "CPU s",
    ]
    header += ["status", "slowest phase (wall s)", "load"]
    print(table(header, rows))
    if args.json:
        args.json.write_text(json.dumps(records, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
