"""Python's cycle collector paused while a large programme is read, compiled or checked."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the duration. Reading, compiling or checking 10,000
    activities allocates enough small objects to trigger it many times, and each pass walks
    the whole programme (hundreds of thousands of objects, and more as it grows, so the time
    grew faster than the programme): a third of the time, for nothing, since none of them
    makes reference cycles. It is back on (if it was) when the block ends; nested blocks leave
    it to the outermost."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
