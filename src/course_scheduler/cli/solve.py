"""The solver's commands (``solve``); they import ortools, so they live apart from ``check``."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .common import (
    EXIT_FAIL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNKNOWN,
    check_out,
    check_solver_options,
)

T = TypeVar("T")


def add_solver_commands(sub: Any) -> None:
    solve = sub.add_parser("solve", help="generate a timetable for FILE")
    solve.add_argument("file", type=Path)
    solve.add_argument("--reference", type=Path, help="keep close to this programme's times")
    solve.add_argument("--out", type=Path, help="write the solved programme here (atomically)")
    solve.add_argument("--time-limit", type=float, default=30.0, help="seconds (default 30)")
    solve.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    solve.add_argument("--workers", type=int, default=1, help="CP-SAT workers (default 1)")
    solve.add_argument(
        "--deterministic-time",
        type=float,
        default=None,
        help="budget in CP-SAT deterministic seconds, reproducible across machines",
    )
    solve.add_argument(
        "--unpin", action="store_true", help="let the solver move the published times too"
    )
    solve.set_defaults(handler=_solve)

    explain = sub.add_parser("explain", help="say which rules make FILE impossible to timetable")
    explain.add_argument("file", type=Path)
    explain.add_argument("--unpin", action="store_true", help="let published times move")
    explain.add_argument("--time-limit", type=float, default=10.0)
    explain.set_defaults(handler=_explain)


def _solve(args: argparse.Namespace) -> int:
    from ..api import load, solve, with_timetable
    from ..exports.days import day_tables
    from ..loading import save
    from ..solver.solve import Status

    check_solver_options(args)
    if args.out is not None:
        check_out(args.out)
    programme = load(args.file)
    reference = load(args.reference) if args.reference else None
    stop = threading.Event()
    with _progress() as progress:
        result = _interruptible(
            lambda: solve(
                programme,
                reference=reference,
                time_limit=args.time_limit,
                seed=args.seed,
                workers=args.workers,
                deterministic_time=args.deterministic_time,
                unpin=args.unpin,
                progress=progress,
                stop=stop,
            ),
            stop,
        )
    interrupted = result.status == Status.INTERRUPTED
    if result.timetable is not None and result.problem is not None and args.out:
        # the file first: a reader of standard output that goes away must not lose it
        solved = with_timetable(result.problem, result.timetable)
        header = (
            f"# Solved by course-scheduler from {args.file.name}: status {result.status.value}"
            + ("" if result.status == Status.OPTIMAL else " (not proven optimal)")
            + f", seed {args.seed}.\n"
        )
        save(solved, args.out, over=programme, header=header)
        print(f"wrote {args.out}", file=sys.stderr)
    print(summary_line(result))
    if result.timetable is None or result.problem is None:
        if result.status == Status.INFEASIBLE:
            unpinned = _unpinned_ids(result.problem) if args.unpin else None
            explanation = explain(result.problem, args.time_limit, unpinned)
            print(explanation.text(str(args.file)))
            return EXIT_UNKNOWN if explanation.undecided else EXIT_FAIL
        if interrupted:
            print("interrupted before any timetable was found; nothing written")
            return EXIT_INTERRUPTED
        return EXIT_UNKNOWN
    if interrupted:
        print("interrupted: the best timetable found so far, not proven optimal")
    print()
    print(day_tables(result.problem, result.timetable))
    return EXIT_INTERRUPTED if interrupted else EXIT_OK


def _unpinned_ids(problem: Any) -> frozenset[str]:
    """What ``--unpin`` frees: every activity but the bus rides (their times are inputs)."""
    return frozenset(i.id for i in problem.items if i.ride is None)


def _interruptible(work: Callable[[], T], stop: threading.Event) -> T:
    """Run ``work`` (a solve watching ``stop``) on a worker thread; Ctrl-C sets ``stop``.

    Python runs signal handlers on the main thread only, and only between bytecodes: while
    the main thread sits inside CP-SAT's C++ search, a handler would wait for the search to
    end. So the search runs on a worker thread and the main thread waits in short joins,
    where the handler runs at once. The first Ctrl-C sets ``stop`` (the solve then stops and
    keeps the best timetable found); a second one raises ``KeyboardInterrupt``. This needs
    the solver to leave SIGINT alone (CP-SAT's ``catch_sigint_signal`` off: its own handler
    is thread-local) and to stop its search when ``stop`` is set, between solutions too.
    Off the main thread (the command run from a program's thread), signals are not ours.
    """
    from ..solver.solve import install_interrupt

    if threading.current_thread() is not threading.main_thread():
        return work()
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:  # handed over to the main thread below
            failure.append(exc)

    worker = threading.Thread(target=run, name="course-scheduler-solve", daemon=True)
    restore = install_interrupt(stop)
    try:
        worker.start()
        while worker.is_alive():
            worker.join(0.1)
    finally:
        restore()
    if failure:
        raise failure[0]
    return outcome[0]


def explain(problem: Any, time_limit: float, unpinned: frozenset[str] | None) -> Any:
    from ..solver.explain import explain_problem

    return explain_problem(problem, time_limit=time_limit, unpinned=unpinned)


def _explain(args: argparse.Namespace) -> int:
    from ..compile import compile_programme
    from ..loading import load

    check_solver_options(args)
    problem = compile_programme(load(args.file))
    unpinned = _unpinned_ids(problem) if args.unpin else None
    explanation = explain(problem, args.time_limit, unpinned)
    print(explanation.text(str(args.file)))
    if explanation.undecided:
        return EXIT_UNKNOWN
    return EXIT_OK if explanation.feasible else EXIT_FAIL


def summary_line(result: Any) -> str:
    objective = "-" if result.objective is None else str(result.objective)
    bound = "-" if result.bound is None else str(result.bound)
    stages = ", ".join(f"{s.name}={s.value}" for s in result.stages if s.value is not None)
    return (
        f"status: {result.status.value}  objective: {objective}  bound: {bound}  "
        f"time: {result.wall_time:.2f}s (build {result.build_time:.2f}s)"
        + (f"  [{stages}]" if stages else "")
    )


class _progress:
    """A live line (elapsed, best objective, bound) on a terminal; silent otherwise."""

    def __enter__(self) -> Any:
        if not sys.stdout.isatty():
            return None
        from rich.live import Live
        from rich.text import Text

        self.text = Text("solving...")
        self.live = Live(self.text, refresh_per_second=8, transient=True)
        self.live.__enter__()
        return self.update

    def update(self, stage: str, elapsed: float, best: float | None, bound: float | None) -> None:
        from rich.text import Text

        self.live.update(Text(f"{stage}: {elapsed:6.2f}s  best {best}  bound {bound}"))

    def __exit__(self, *exc: object) -> None:
        live = getattr(self, "live", None)
        if live is not None:
            live.__exit__(None, None, None)
