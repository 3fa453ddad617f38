"""What every command shares: exit codes, one-line messages, and the checks on arguments and
output paths made before any work starts (so a bad ``--out`` never costs a solve)."""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
from pathlib import Path

from ..errors import ProgrammeError

EXIT_OK, EXIT_FAIL, EXIT_INPUT, EXIT_UNKNOWN, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def say(message: str) -> None:
    """One line on standard error, even when standard error is closed or a broken pipe."""
    with contextlib.suppress(OSError, ValueError):
        print(message, file=sys.stderr, flush=True)


def fail(message: str) -> int:
    say(f"error: {message}")
    return EXIT_INPUT


def silence_stdout() -> None:
    """Point standard output at /dev/null so the interpreter's final flush cannot fail."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def check_solver_options(args: argparse.Namespace) -> None:
    """Refuse solver options no search can use, before loading anything."""
    if not 1 <= getattr(args, "workers", 1) <= 64:
        raise ProgrammeError("--workers must be between 1 and 64")
    if not 0 <= getattr(args, "seed", 0) < 2**31:
        raise ProgrammeError("--seed must be between 0 and 2147483647")
    if not (0 < args.time_limit < math.inf):
        raise ProgrammeError("--time-limit must be a positive number of seconds")
    budget = getattr(args, "deterministic_time", None)
    if budget is not None and not (0 < budget < math.inf):
        raise ProgrammeError("--deterministic-time must be a positive number")


def check_out(out: Path) -> None:
    """Refuse an --out that cannot be written before spending the time limit on a solve."""
    if out.is_dir():
        raise ProgrammeError("--out names a folder; give a file name", file=str(out))
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ProgrammeError("the output folder does not exist", file=str(out))


def check_target(source: Path, target: Path) -> None:
    """Refuse to write over the input file or onto a directory (``export`` and ``import``)."""
    if target.is_dir():
        raise ProgrammeError("--out names a folder; give a file name", file=str(target))
    try:
        same = target.exists() and source.exists() and target.samefile(source)
    except OSError:
        same = False
    if same or target.resolve() == source.resolve():
        raise ProgrammeError("--out names the input file; choose another path", file=str(target))
