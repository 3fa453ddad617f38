"""The ``course-scheduler`` command: parse arguments, call the API, print, exit.

One module per command family (``check``, ``solve``, ``whatif``, ``export``, ``edition``,
``imports``) over ``common``, which they all share; nothing here imports a command module
upward. Exit codes: 0 success (for ``check``: no hard rule broken), 1 a hard rule is broken
or no timetable exists, 2 the input is unusable, 3 no answer within the limits, 130
interrupted. Heavy modules (ortools, pandas) are imported inside the commands that need them,
so ``check`` stays fast.
"""

from __future__ import annotations

import argparse
import os
import traceback
from collections.abc import Callable, Sequence

from ..errors import ProgrammeError, one_line
from .check import CHECK_FORMATS, add_check_commands
from .common import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, fail, say, silence_stdout
from .edition import add_edition_commands
from .export import add_export_commands
from .imports import add_import_commands
from .solve import add_solver_commands
from .whatif import add_whatif_commands

__all__ = ["CHECK_FORMATS", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_INPUT
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except ProgrammeError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        say("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `course-scheduler show FILE | head`: the reader is gone
        silence_stdout()
        return EXIT_OK
    except OSError as exc:  # reading or writing outside the loader and atomic.py
        where = f"{exc.filename}: " if exc.filename else ""
        return fail(one_line(f"{where}{exc.strerror or exc}"))
    except MemoryError:
        return fail("out of memory")
    except Exception as exc:  # a bug: one line, not a traceback (unless asked for)
        if os.environ.get("COURSE_SCHEDULER_DEBUG"):
            traceback.print_exc()
        return fail(
            f"internal error ({one_line(f'{type(exc).__name__}: {exc}')}); please report it "
            "(COURSE_SCHEDULER_DEBUG=1 shows the traceback)"
        )


def _parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="course-scheduler",
        description="Check, solve and explain multi-day course timetables. Exit codes: 0 "
        "fine, 1 a hard rule is broken or no timetable exists, 2 unusable input, 3 no answer "
        "within the time limit, 130 interrupted. 'course-scheduler COMMAND --help' says more.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}", help="print the version"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add_commands in (
        add_check_commands,
        add_solver_commands,
        add_export_commands,
        add_whatif_commands,
        add_edition_commands,
        add_import_commands,
    ):
        add_commands(sub)
    return parser
