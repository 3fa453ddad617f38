"""The ``course-scheduler`` command: parse arguments, call the API, print, exit.

One module per command family (``check``, ``solve``, ``whatif``, ``export``, ``edition``,
``imports``) over ``common``, which they all share; nothing here imports a command module
upward. Exit codes: 0 success (for ``check``: no hard rule broken), 1 a hard rule is broken
or no timetable exists, 2 the input is unusable, 3 no answer within the limits, 130
interrupted. Heavy modules (ortools, pandas) are imported inside the commands that need them,
so ``check`` stays fast; the command modules themselves are imported once ``main`` listens
for Ctrl-C, so an interrupt while they load is an interrupt like any other.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = ["CHECK_FORMATS", "main"]

EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None, *, began: float | None = None) -> int:
    """Run one command. Ctrl-C at any moment, from the first line on (the imports of the
    commands included, where it may surface as another error, such as an extension module's
    "initialization failed"), exits 130 with one line; ``solve`` handles its own Ctrl-C (it
    keeps the best timetable found). A command's time limit (``solve --time-limit``) counts
    from ``began`` (a ``time.perf_counter()`` moment: the launcher passes when the process
    started), or from here: reading the file counts against it."""
    began = time.perf_counter() if began is None else began
    with _interrupts() as interrupted:
        try:
            with _warnings_as_lines():
                return _main(argv, interrupted, began)
        except KeyboardInterrupt:
            return _interrupted()
        except BaseException:
            if interrupted.is_set():
                return _interrupted()
            raise


@contextmanager
def _interrupts() -> Iterator[threading.Event]:
    """Record a Ctrl-C (then raise ``KeyboardInterrupt`` as Python does) for the duration,
    on the main thread, unless a caller installed a handler of its own.

    A Ctrl-C that lands where Python cannot raise it (a finaliser, or a library's compiled
    code calling back into Python, such as pydantic compiling a field's pattern) would be
    printed as "Exception ignored in: ..." with a traceback and then lost: it is raised
    again instead, a moment later, where it can reach ``main``. Compiled code that prints
    the error itself (``PyErr_Print``, as NumPy's ``import_array`` does when an extension
    that uses it loads, pandas' among them: a Ctrl-C while it imports NumPy) hands it to
    ``sys.excepthook``, which would print a bare traceback: the same there."""
    import _thread
    import sys

    interrupted = threading.Event()
    ours = threading.current_thread() is threading.main_thread() and (
        signal.getsignal(signal.SIGINT) is signal.default_int_handler
    )
    printing, showing = sys.unraisablehook, sys.excepthook

    def record(signum: int, frame: object) -> None:
        interrupted.set()
        raise KeyboardInterrupt

    def raise_again(unraisable: Any) -> None:
        if issubclass(unraisable.exc_type, KeyboardInterrupt):
            _thread.start_new_thread(_interrupt_main_soon, ())
        else:
            printing(unraisable)

    def show_or_raise_again(kind: type[BaseException], value: BaseException, tb: Any) -> None:
        if issubclass(kind, KeyboardInterrupt):
            interrupted.set()
            _thread.start_new_thread(_interrupt_main_soon, ())
        else:
            showing(kind, value, tb)

    if ours:
        signal.signal(signal.SIGINT, record)
        sys.unraisablehook = raise_again
        sys.excepthook = show_or_raise_again
    try:
        yield interrupted
    finally:
        if ours:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            sys.unraisablehook = printing
            sys.excepthook = showing


@contextmanager
def _warnings_as_lines() -> Iterator[None]:
    """A warning the library gives (a file written fresh because its layout could not be
    kept, a schedule's note) is one line on standard error, ``warning: ...``, not Python's
    format with the library's source line under it."""
    import warnings

    from ..errors import one_line
    from .common import say

    showing = warnings.showwarning

    def show(message: Warning | str, *args: object, **kwargs: object) -> None:
        say(f"warning: {one_line(str(message))}")

    warnings.showwarning = show
    try:
        yield
    finally:
        warnings.showwarning = showing


def _interrupt_main_soon() -> None:
    """From another thread, once the main thread has left the hook that asked (the handler
    runs in the main thread at once, and raising inside the hook is printed too)."""
    import _thread
    import time

    time.sleep(0.01)
    _thread.interrupt_main()


def _interrupted() -> int:
    from .common import say

    say("interrupted")
    return EXIT_INTERRUPTED


def _main(argv: Sequence[str] | None, interrupted: threading.Event, began: float) -> int:
    import argparse
    import os
    import traceback
    from collections.abc import Callable

    from ..errors import ProgrammeError, one_line
    from .common import EXIT_INPUT, EXIT_OK, fail, silence_stdout

    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_INPUT
    handler: Callable[[argparse.Namespace], int] = args.handler
    args.began = began
    try:
        return handler(args)
    except ProgrammeError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return _interrupted()
    except BrokenPipeError:  # e.g. `course-scheduler show FILE | head`: the reader is gone
        silence_stdout()
        return EXIT_OK
    except OSError as exc:  # reading or writing outside the loader and atomic.py
        if interrupted.is_set():
            return _interrupted()
        where = f"{exc.filename}: " if exc.filename else ""
        return fail(one_line(f"{where}{exc.strerror or exc}"))
    except MemoryError:
        return fail("out of memory")
    except Exception as exc:  # a bug: one line, not a traceback (unless asked for)
        if interrupted.is_set():  # an import cut short by Ctrl-C, and what followed from it
            return _interrupted()
        if os.environ.get("COURSE_SCHEDULER_DEBUG"):
            traceback.print_exc()
        return fail(
            f"internal error ({one_line(f'{type(exc).__name__}: {exc}')}); please report it "
            "(COURSE_SCHEDULER_DEBUG=1 shows the traceback)"
        )


def __getattr__(name: str) -> Any:
    if name == "CHECK_FORMATS":
        from .check import CHECK_FORMATS

        return CHECK_FORMATS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _parser() -> Any:
    import argparse

    from .. import __version__
    from .check import add_check_commands
    from .edition import add_edition_commands
    from .export import add_export_commands
    from .imports import add_import_commands
    from .solve import add_solver_commands
    from .whatif import add_whatif_commands

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
