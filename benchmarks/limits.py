"""Every command that takes ``--time-limit``: when it answers, against the limit.

Each run is the command as a fresh process (``python -m course_scheduler ...``), timed from
its start to its exit (Python's start, the imports, reading, solving, printing and writing
included), unthrottled or at a fifth of a core (``--throttle``: ``benchmarks.throttle``,
the process group stopped 80 ms after every 20 ms it runs). The files are the generated
conference programmes of ``benchmarks.save_speed`` (``make``: the 2,000-talk ``solved`` file,
every talk pinned on its day, and the ``template``, every talk unplaced), with a planner's
comments. Commands, on the solved file unless named:

- ``solve`` and ``solve-out`` (``--out``) on the template;
- ``resolve-out``: ``solve --unpin --out`` on the solved file (talks move within their days);
- ``what-if`` and ``what-if-out``: a room closed for a morning, its talks offered three other
  rooms (no same-day repair: sessions move days), with and without ``--out``;
- ``what-if-alt``: the same with ``--alternatives 2 --out``;
- ``explain`` (its limit is CP-SAT deterministic seconds, not wall: shown for the record).

Each code given (``--code DIR ...``: a ``src`` folder, e.g. main's from ``git archive``) runs
each command at each limit, the codes alternated ABBA over ``--runs``. Per row: the limit,
the command, the code, the median wall from start to exit and its range, the median over
the limit, CPU seconds, the exit codes, what each run gave (``answer``), and the load before
and after.

Usage: PYTHONPATH=. python -m benchmarks.limits [--size 2000] [--limits 5 20]
       [--commands solve solve-out what-if what-if-out] [--code src OLD/src] [--runs 2]
       [--throttle] [--scratch DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks._timing import ROOT, table
from benchmarks.save_speed import make
from benchmarks.throttle import _load, throttled

SCENARIO = ["--close-room", "Devroom-1", "2027-02-05:9:00-13:00"]
SCENARIO += ["--instead", "Devroom-2,Devroom-3,Devroom-10"]


def arguments(command: str, files: dict[str, Path], out: Path, limit: float) -> list[str]:
    """The command line of ``command`` (see the module) at ``limit``."""
    solved, template = str(files["solved"]), str(files["template"])
    given = {
        "solve": ["solve", template],
        "solve-out": ["solve", template, "--out", str(out)],
        "resolve-out": ["solve", solved, "--unpin", "--out", str(out)],
        "what-if": ["what-if", solved, *SCENARIO],
        "what-if-out": ["what-if", solved, *SCENARIO, "--out", str(out)],
        "what-if-alt": ["what-if", solved, *SCENARIO, "--alternatives", "2", "--out", str(out)],
        "explain": ["explain", solved],
    }[command]
    return [*given, "--time-limit", f"{limit:g}"]


def answer(stdout: str, stderr: str) -> str:
    """What the run gave, in a word: ``written`` (a timetable, its file written), ``not
    written`` (a timetable, the write stopped at the limit), ``printed`` (a timetable, no
    ``--out``), ``none`` (no timetable: out of time, or none exists)."""
    if "it was not written" in stdout:
        return "not written"
    if "wrote " in stderr:
        return "written"
    if (
        "A timetable exists" in stdout
        or "status: optimal" in stdout
        or "status: feasible" in stdout
    ):
        return "printed"
    return "none"


def run(code: Path, argv: list[str], limit: float, throttle: bool) -> dict[str, Any]:
    environment = {**os.environ, "PYTHONPATH": f"{code}{os.pathsep}{ROOT}"}
    command = [sys.executable, "-m", "course_scheduler", *argv]
    saved = os.environ.copy()
    os.environ.update(environment)
    try:
        off = 0.08 if throttle else 0.0
        return throttled(command, 0.02, off, timeout=limit * 12 + 300)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--limits", type=float, nargs="+", default=[5, 20])
    parser.add_argument(
        "--commands", nargs="+", default=["solve-out", "resolve-out", "what-if", "what-if-out"]
    )
    parser.add_argument("--code", type=Path, nargs="+", default=[ROOT / "src"])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--throttle", action="store_true", help="a fifth of a core")
    parser.add_argument("--scratch", type=Path)
    args = parser.parse_args()
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="limits-"))
    files = {kind: make(args.size, kind, scratch, 120) for kind in ("solved", "template")}
    out = scratch / "out.yaml"
    rows = []
    for limit in args.limits:
        for command in args.commands:
            argv = arguments(command, files, out, limit)
            walls: dict[Path, list[float]] = {code: [] for code in args.code}
            cpus: dict[Path, list[float]] = {code: [] for code in args.code}
            codes: dict[Path, list[int]] = {code: [] for code in args.code}
            answers: dict[Path, list[str]] = {code: [] for code in args.code}
            load = _load()
            for number in range(args.runs):
                order = args.code if number % 2 == 0 else list(reversed(args.code))
                for code in order:
                    out.unlink(missing_ok=True)
                    done = run(code, argv, limit, args.throttle)
                    walls[code].append(done["wall"])
                    cpus[code].append(done["cpu"])
                    codes[code].append(done["rc"])
                    answers[code].append(answer(done["stdout"], done["stderr"]))
                    print(f"{limit:g} {command} {code}: {done['wall']:.2f} s", file=sys.stderr)
            after = _load()
            for code in args.code:
                wall = statistics.median(walls[code])
                rows.append(
                    [
                        f"{limit:g}",
                        command,
                        str(code),
                        f"{wall:.2f} ({min(walls[code]):.2f}-{max(walls[code]):.2f})",
                        f"{wall - limit:+.2f}",
                        f"{statistics.median(cpus[code]):.2f}",
                        ",".join(str(c) for c in codes[code]),
                        ", ".join(answers[code]),
                        f"{load}-{after}",
                    ]
                )
    header = ["limit s", "command", "code", "wall s (range)", "over", "CPU s", "exit", "answer"]
    header.append("load")
    print(table(header, rows))


if __name__ == "__main__":
    main()
