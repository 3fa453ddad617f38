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


def promote_to_oldest() -> None:
    """Every object the collector tracks moved to its oldest generation, in constant time.

    A programme made while the collector was paused is all young: the first collection after
    the pause walks every object of it (every list of candidate rooms, item by item: a
    tenth of a second for a converted programme of 10,000 talks), and the next generation's
    collection walks them again, to find no garbage: they live as long as the programme. In
    the oldest generation only full collections visit them, as they would visit them anyway.
    ``gc.freeze`` followed by ``gc.unfreeze`` moves all tracked objects there without
    walking them. The caller's own young objects move with them (a reference cycle among
    them waits for the next full collection instead of a young one: freed later, never
    lost). Where the application keeps frozen objects of its own (``gc.freeze`` before a
    fork), ``unfreeze`` would release them too, so nothing is done then."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
