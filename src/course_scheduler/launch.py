"""The ``course-scheduler`` command's first lines: Ctrl-C is ours from here on.

Python's own start-up (before any line of this package runs) answers Ctrl-C with a
traceback; nothing here can change that. From this module's first line, a Ctrl-C while the
command's modules load is recorded rather than raised (an import cut short may surface as
another error, or leave half a module behind), and the command then exits 130 with one line.
Once the command runs, ``cli.main`` takes over (and ``solve`` its own Ctrl-C). This module
imports only the interpreter's built-in ``_signal``, so it is listening within microseconds.
"""

from __future__ import annotations

import _signal
from typing import NoReturn

_heard: list[int] = []


def _record(signum: int, frame: object) -> None:
    _heard.append(signum)


try:
    if _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
        _signal.signal(_signal.SIGINT, _record)
except ValueError:  # not the main thread of the main interpreter: signals are not ours
    pass

EXIT_INTERRUPTED = 130
LONGEST_START = 10.0
"""Seconds of an interpreter's start believed (``process_started``); a longer one is a
clock that does not match, and the command's own start is taken instead."""


def process_started() -> float:
    """When this process started, as a ``time.perf_counter()`` moment: a command's time limit
    counts from there, as its user's does (Python's start-up and the imports included: a few
    tenths of a second, seconds on a loaded machine). Linux gives it (``/proc/self/stat``, in
    ticks since boot); elsewhere, or if it cannot be read, it is now."""
    import os
    import time

    now = time.perf_counter()
    try:
        with open("/proc/self/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()  # after "pid (name)": field 3 on
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22, starttime
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - started
    except (OSError, ValueError, IndexError, AttributeError):
        return now
    return now - age if 0 <= age <= LONGEST_START else now


def main() -> int:
    """Load the command and run it; 130 when Ctrl-C came at any point."""
    try:
        began = process_started()
        try:
            from .plugins import settle

            settle()  # this process is the command's: see ``plugins``
            from .cli import main as run
        finally:  # from here a Ctrl-C raises, as ``cli.main`` expects
            if _signal.getsignal(_signal.SIGINT) is _record:
                _signal.signal(_signal.SIGINT, _signal.default_int_handler)
        if _heard:
            raise KeyboardInterrupt
        return run(began=began)
    except KeyboardInterrupt:
        import contextlib
        import sys

        with contextlib.suppress(OSError, ValueError):
            print("interrupted", file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED
    finally:  # the command is done: a Ctrl-C while this process shuts down changes nothing
        if _heard or _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
            _signal.signal(_signal.SIGINT, _signal.SIG_IGN)


def run() -> NoReturn:
    """The command's entry point (``course-scheduler``, ``python -m course_scheduler``):
    ``main``, then its output flushed and the process ended at once with its exit code.

    Python's own shutdown frees every object and module one by one: after a solve of 2,000
    talks that took 0.2-0.6 s of CPU, after the answer was printed (3 s of wall at a fifth
    of a core, a loaded machine), and a solve's time limit is when the command answers. The
    command has nothing left to do by then (every file it wrote is closed, by ``atomic.py``),
    and the system takes the memory back at once. Not after a command that used processes
    (a what-if sweep's pool): their shared resources are released by Python's shutdown."""
    import contextlib
    import os
    import sys

    code = main()
    if "multiprocessing" in sys.modules:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader gone, or a stream closed
            stream.flush()
    os._exit(code)
