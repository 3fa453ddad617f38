"""The solver's commands (``solve``); they import ortools, so they live apart from ``check``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar

from .common import (
    EXIT_FAIL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNKNOWN,
    check_out,
    check_solver_options,
)

T = TypeVar("T")

EXPLAIN_SECONDS = 10.0
"""The budget of an explanation, in deterministic seconds, whichever command prints it: the
same file gives the same set from ``solve`` and from ``explain``."""


def add_solver_commands(sub: Any) -> None:
    solve = sub.add_parser(
        "solve",
        help="generate a timetable for FILE",
        description="Find a timetable for FILE that breaks no hard rule, best by its objective: "
        "with a reference (or a template's usual times) the least disruptive one. Prints the "
        "status and the days; exit 0 found, 1 none can exist (with the reasons), 2 unusable "
        "input, 3 the time limit ran out first, 130 interrupted (the best so far is kept).",
    )
    solve.add_argument("file", type=Path, metavar="FILE", help="the programme file to solve")
    solve.add_argument(
        "--reference",
        type=Path,
        metavar="FILE",
        help="keep close to this programme's times (fewest moves, then fewest minutes)",
    )
    solve.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write the solved programme here (atomically; never over FILE unless named)",
    )
    solve.add_argument(
        "--time-limit",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="answer within this long, counted from the command's start: reading the file "
        "and building the model included (default 30)",
    )
    solve.add_argument("--seed", type=int, default=0, help="CP-SAT's random seed (default 0)")
    solve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="CP-SAT workers (default 1; more are interleaved, still deterministic)",
    )
    solve.add_argument(
        "--deterministic-time",
        type=float,
        default=None,
        metavar="SECONDS",
        help="budget in CP-SAT deterministic seconds, reproducible across machines",
    )
    solve.add_argument(
        "--unpin", action="store_true", help="let the solver move the published times too"
    )
    solve.add_argument(
        "--repair-published",
        action="store_true",
        help="keep none of the errors the file's printed times or its structure force (by "
        "default they are kept as the file has them, and named)",
    )
    solve.set_defaults(handler=_solve)

    explain = sub.add_parser(
        "explain",
        help="say which rules make FILE impossible to timetable",
        description="Name a minimal set of rules and pinned times of FILE that cannot hold "
        "together. Exit 0 when a timetable exists after all, 1 when none can, 3 when the "
        "budget did not decide.",
    )
    explain.add_argument("file", type=Path, metavar="FILE", help="the programme file")
    explain.add_argument(
        "--unpin", action="store_true", help="let published times move (not among the reasons)"
    )
    explain.add_argument(
        "--time-limit",
        type=float,
        default=EXPLAIN_SECONDS,
        metavar="SECONDS",
        help="budget in CP-SAT deterministic seconds, the same on any machine (default "
        f"{EXPLAIN_SECONDS:g}, as when 'solve' explains)",
    )
    explain.set_defaults(handler=_explain)


def _solve(args: argparse.Namespace) -> int:
    from ..api import load
    from ..errors import OutOfTime

    check_solver_options(args)
    if args.out is not None:
        check_out(args.out)
    began = getattr(args, "began", None) or time.perf_counter()
    deadline = began + args.time_limit  # reading the files counts against the limit
    try:
        programme = load(args.file, deadline=deadline)
        reference = load(args.reference, deadline=deadline) if args.reference else None
    except OutOfTime:  # said before the solver is imported (ortools: 0.3-0.5 s)
        read = time.perf_counter() - began
        print(f"status: unknown  objective: -  time: {read:.2f}s (reading {read:.2f}s)")
        print(unread(args.time_limit, args.file, read))
        return EXIT_UNKNOWN
    from ..api import explain, solve, with_timetable
    from ..loading import save
    from ..solver.solve import Status
    from .reserve import slowness, write_in_time, write_seconds

    clashes: Literal["keep", "repair"] = "repair" if args.repair_published else "keep"
    kept = _kept_back(programme, began, args.out, args.unpin, args.time_limit)
    with _progress() as progress:
        result = solve(  # Ctrl-C: the best timetable so far, Status.INTERRUPTED
            programme,
            reference=reference,
            time_limit=max(0.0, args.time_limit - kept),
            seed=args.seed,
            workers=args.workers,
            deterministic_time=args.deterministic_time,
            unpin=args.unpin,
            progress=progress,
            published_clashes=clashes,
            began=began,
        )
    interrupted = result.status == Status.INTERRUPTED
    unwritten = None
    if result.timetable is not None and result.problem is not None and args.out:
        # the file first: a reader of standard output that goes away must not lose it
        header = (
            f"# Solved by course-scheduler from {args.file.name}: status {result.status.value}"
            + ("" if result.status == Status.OPTIMAL else " (not proven optimal)")
            + f", seed {args.seed}.\n"
        )

        def write(until: float) -> None:
            solved = with_timetable(result)
            save(solved, args.out, over=programme, header=header, as_read=True, deadline=until)

        expected = write_seconds(programme, _moved(programme, args.unpin)) * slowness(began)
        unwritten = write_in_time(write, args.out, deadline, expected)
    print(summary_line(result))
    if unwritten is not None:
        print(unwritten)
    if result.kept is not None and result.kept.line():
        print(result.kept.line())
    if result.timetable is None or result.problem is None:
        if result.status == Status.INFEASIBLE:
            # the explanation's own budget, not the search's: `explain FILE` prints this set
            explanation = explain(
                programme,
                time_limit=EXPLAIN_SECONDS,
                unpin=args.unpin,
                published_clashes=clashes,
            )
            print(explanation.text(str(args.file)))
            return EXIT_UNKNOWN if explanation.undecided else EXIT_FAIL
        if interrupted:
            print("interrupted before any timetable was found; nothing written")
            return EXIT_INTERRUPTED
        print(out_of_time(args.time_limit, args.file, result.phases, kept))
        return EXIT_UNKNOWN
    if interrupted:
        print("interrupted: the best timetable found so far, not proven optimal")
    print()
    print(result.table())
    if interrupted:
        return EXIT_INTERRUPTED
    return EXIT_OK if unwritten is None else EXIT_UNKNOWN


def _kept_back(programme: Any, began: float, out: Path | None, unpin: bool, limit: float) -> float:
    """Seconds kept back from the solve for printing the timetable and, with ``--out``,
    writing the file (``reserve.kept_back``): an activity without a kept time (none yet,
    not pinned, or ``--unpin``) is written anew."""
    from .reserve import kept_back

    return kept_back(programme, began, out, _moved(programme, unpin), limit=limit)


def _moved(programme: Any, unpin: bool) -> int:
    """The activities a solve may place anew, each written as a new item: those without a
    kept time (none yet, not pinned, or ``--unpin``)."""
    return sum(unpin or not (a.pinned and a.time is not None) for a in programme.all_activities())


def out_of_time(
    limit: float, file: Path, phases: Mapping[str, Any] | None = None, kept: float = 0.0
) -> str:
    """What an undecided search means, in words: not that no timetable exists. When reading
    the file took the whole limit (only the phase ``read`` ran), it says so instead, with
    the seconds ``kept`` back for printing and writing the answer."""
    if phases is not None and set(phases) == {"read"}:
        return unread(limit, file, phases["read"].wall, kept)
    return (
        f"No timetable was found within the time limit of {limit:g} s, and none was proven "
        "impossible either: give a longer --time-limit (or run 'course-scheduler explain "
        f"{file}' to see whether the rules can hold together at all)."
    )


def unread(limit: float, file: Path, seconds: float, kept: float = 0.0) -> str:
    """Reading the file took the whole limit, or what the answer's printing and writing
    keep back of it (``kept`` seconds) left nothing: a longer limit is the only remedy
    (``explain`` would not help, nothing was tried)."""
    writing = (
        f" and {kept:.2f} s were kept back to print and write the answer" if kept >= 0.5 else ""
    )
    return (
        f"No timetable was found within the time limit of {limit:g} s: reading {file} took "
        f"{seconds:.2f} s of it{writing}, and nothing was solved. Give a longer --time-limit "
        "(it counts from the command's start)."
    )


def _explain(args: argparse.Namespace) -> int:
    from ..api import explain, load

    check_solver_options(args)
    explanation = explain(load(args.file), time_limit=args.time_limit, unpin=args.unpin)
    print(explanation.text(str(args.file)))
    if explanation.undecided:
        return EXIT_UNKNOWN
    return EXIT_OK if explanation.feasible else EXIT_FAIL


def summary_line(result: Any) -> str:
    """``status: feasible  objective: skeleton 0, soft rules 2 (weight 3), order 1 pair  gap:
    ...  time: ...``: the objective by named terms, never the solver's raw sum; a result far
    from proven says so in words on a line of its own."""
    objective = result.objective
    said = objective.line() if objective is not None else "objective: -"
    gap = f"  gap: {objective.gap}" if objective is not None else ""
    phase = "reading" if set(result.phases) == {"read"} else "build"  # nothing was built
    line = (
        f"status: {result.status.value}  {said}{gap}  "
        f"time: {result.wall_time:.2f}s ({phase} {result.build_time:.2f}s)"
    )
    if result.far_from_proven:
        rank = objective.open_rank
        proves = 0 if rank.lowest is None else rank.lowest
        line += (
            "\nfar from proven: the best possible may be much better (for the "
            f"{rank.name.replace('_', ' ')}, the bound proves only {proves} of {rank.cost}); "
            "another run may give another timetable, and a longer --time-limit a better one"
        )
    return line


class _progress:
    """A live line (elapsed, the best objective by named terms, how far it may be) on a
    terminal; silent otherwise. Its clock runs between answers too: a long search with no
    better answer yet must not look stuck."""

    def __enter__(self) -> Any:
        if not sys.stdout.isatty():
            return None
        from rich.live import Live

        self.began = time.perf_counter()
        self.best = "solving..."
        self.live = Live(self, refresh_per_second=4, transient=True)
        self.live.__enter__()
        return self.update

    def __rich__(self) -> Any:
        """Rendered at each refresh (rich's protocol), with the time as it is then."""
        from rich.text import Text

        return Text(f"{time.perf_counter() - self.began:6.2f}s  {self.best}")

    def update(self, stage: str, elapsed: float, objective: Any) -> None:
        self.began = time.perf_counter() - elapsed  # the solve's clock, load and build included
        self.best = f"{objective.line()}  ({objective.gap})"

    def __exit__(self, *exc: object) -> None:
        live = getattr(self, "live", None)
        if live is not None:
            live.__exit__(None, None, None)
