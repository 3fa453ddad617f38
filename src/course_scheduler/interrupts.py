"""Ctrl-C (or a notebook's "interrupt kernel") as a request to stop a search and keep its best.

The library and the command line share this: the first interrupt sets a ``stop`` event, which
the solver watches, so the search ends at once and returns the best timetable found so far
(``Status.INTERRUPTED``); a second interrupt raises ``KeyboardInterrupt`` as usual.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import TypeVar

from .logs import log

T = TypeVar("T")


def install_interrupt(stop: threading.Event) -> Callable[[], None]:
    """Turn SIGINT into ``stop.set()`` (a second one raises ``KeyboardInterrupt``); returns
    the function that puts the previous handler back."""
    previous = signal.getsignal(signal.SIGINT)

    def handler(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        log.info("interrupted: stopping the search and keeping the best timetable so far")
        stop.set()

    signal.signal(signal.SIGINT, handler)

    def restore() -> None:
        signal.signal(signal.SIGINT, previous)

    return restore


def interruptible(work: Callable[[], T], stop: threading.Event) -> T:
    """Run ``work`` (a search watching ``stop``) so that an interrupt sets ``stop``.

    Python runs signal handlers on the main thread only, and only between bytecodes: while
    the main thread sits inside CP-SAT's C++ search, a handler would wait for the search to
    end. So the search runs on a worker thread and the main thread waits in short joins, where
    the handler runs at once. This needs the solver to leave SIGINT alone (CP-SAT's
    ``catch_sigint_signal`` off: its own handler is thread-local) and to stop its search when
    ``stop`` is set, between solutions too. Off the main thread (a solve started from a
    program's own thread) signals are not ours to take: ``work`` simply runs.
    """
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
