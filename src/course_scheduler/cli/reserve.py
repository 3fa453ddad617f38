"""What a command keeps back from its solve for the work after it: printing the answer and
writing it over the planner's file. The limit is when the command answers, so the solve
(which can stop when told) ends that much sooner; printing cannot stop part way.
``solve`` and ``what-if`` take their reserve from here, as slow as the process has run, and
write within the limit (``write_in_time``) should the reserve fall short: a write not
expected to fit in the time left is not begun, and one begun stops at the limit."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PRINT_PER_ACTIVITY = 60e-6
"""CPU seconds to lay out the solved timetable day by day, per activity (0.12 s at 2,000
generated conference talks): it is printed after the solve, and the command answers within
its limit, so the solve stops that much sooner."""

WRITE_PER_ACTIVITY = 0.5e-3
"""CPU seconds to write the solved programme over the planner's file (``--out``), per
activity: placing it at its time and putting the programme in its plain form (0.3-0.55 ms
at 2,000 and 10,000 generated conference talks, benchmarks/save_speed.py)."""
WRITE_PER_MOVED = 3.0e-3
"""And per activity the solve may place anew (one without a kept time: no time yet, not
pinned, or ``--unpin``): written as a new item by ruamel.yaml (1.3-3.0 ms at 2,000 talks,
the higher at load 4-5: with 2 ms, a 20 s limit answered at 23.8 s)."""
WRITE_PER_REORDERED = 4.5e-3
"""And per activity of a day whose order the answer may change (a what-if moves published
activities within their days): such a day is one part of the file, read and written whole by
ruamel.yaml (9.5 s for 2,000 generated conference talks every day of which changed order,
4.75 ms per activity with the 0.5 above; a what-if of 2,000 talks that moved 7 wrote for
6-7 s). A write cut short by the limit is not written at all (``write_in_time``), so this is
kept back rather than hoped for."""
WRITE_PER_BYTE = 0.3e-6
"""And per character of the file: looking over its lines for the parts that change, and
reading the result back to check it (0.25-0.35 us)."""


BEGIN_SHARE = 0.5
"""A write is begun when at least this share of its estimate (``write_seconds``) is left of
the limit. The estimates are the slowest measured (3 ms per talk placed anew, measured
1.3-3.0), and a write begun that runs out stops at the limit with the file as it was: so
only a write that could not fit even at twice the expected speed is not tried (the 2,000-talk
template's, 8 s expected, 4-7 s measured, with 3 s of a 5 s limit left)."""

RESERVE_SHARE = 0.5
"""The most kept back of what is left of the limit once the file is read. A write that would
need more (a loaded machine, 2,000 talks reordered: 40 s of a 60 s limit at load 9) is
unlikely to fit even so; the search then keeps its half, its answer is printed, and the
write is not begun or stops at the limit, saying so (``write_in_time``), rather than the
command answering early with nothing. Half of what is left, not of the limit: reading the
2,000-talk template took 5.5 s of a 10 s limit at load 7, and half the limit kept back left
the search nothing (``unknown`` at 5.5 s, where the search needs about a second)."""


def kept_back(
    programme: Any,
    began: float,
    out: Path | None,
    moved: int,
    *,
    limit: float,
    reordered: int = 0,
    answers: int = 1,
) -> float:
    """Seconds kept back from the solve for printing ``answers`` timetables
    (``PRINT_PER_ACTIVITY``) and, with ``out``, writing each over the file
    (``WRITE_PER_ACTIVITY``, ``WRITE_PER_MOVED`` for the ``moved`` activities the solve may
    place anew, ``WRITE_PER_REORDERED`` for the ``reordered`` ones on days whose order may
    change, ``WRITE_PER_BYTE``), as slow as this process has run so far (wall per CPU second
    since it began: a loaded machine prints and writes slowly too); at most
    ``RESERVE_SHARE`` of what is left of the ``limit`` since ``began``."""
    seconds = PRINT_PER_ACTIVITY * len(programme.all_activities())
    if out is not None:
        seconds += write_seconds(programme, moved, reordered)
    left = max(0.0, limit - (time.perf_counter() - began))
    return min(seconds * answers * slowness(began), RESERVE_SHARE * left)


def write_seconds(programme: Any, moved: int, reordered: int = 0) -> float:
    """CPU seconds expected to write ``programme``'s answer over its file: per activity
    (``WRITE_PER_ACTIVITY``), per one the solve may place anew (``moved``,
    ``WRITE_PER_MOVED``) or on a day whose order may change (``reordered``,
    ``WRITE_PER_REORDERED``), and per character of the file (``WRITE_PER_BYTE``)."""
    from ..loading import source_of

    seconds = WRITE_PER_ACTIVITY * len(programme.all_activities()) + WRITE_PER_MOVED * moved
    seconds += WRITE_PER_REORDERED * reordered
    return seconds + WRITE_PER_BYTE * len(source_of(programme).text or "")


def slowness(began: float) -> float:
    """Wall seconds per CPU second of this process since it ``began`` (at least 1): a
    loaded machine prints and writes as slowly as it has run."""
    cpu = time.process_time()
    return max(1.0, (time.perf_counter() - began) / cpu) if cpu > 0.05 else 1.0


def write_in_time(
    write: Callable[[float], None], out: Path, deadline: float, expected: float = 0.0
) -> str | None:
    """Run ``write`` (the answer saved over the planner's file to ``out``, given the
    ``deadline`` to stop at: ``loading.save``'s) unless less than ``BEGIN_SHARE`` of the
    ``expected`` seconds it takes is left before ``deadline``; a write begun stops at the
    deadline (the reserve fell short, on a machine slower than it ran so far, or a write
    costlier than estimated, such as a day's talks reordered). None when written; else what
    to say: the file was not written and why, anything at ``out`` is as it was, the answer is
    the one printed, and a longer ``--time-limit`` would have it written."""
    from ..errors import OutOfTime

    left = deadline - time.perf_counter()
    kept = "it was not written (any file there is as it was). The answer is printed below"
    if left < BEGIN_SHARE * expected:
        return (
            f"out of time: writing {out} would take about {expected:.1f} s, past the time "
            f"limit ({max(0.0, left):.1f} s of it were left); {kept}; give a longer "
            "--time-limit to have it written."
        )
    try:
        write(deadline)
    except OutOfTime:
        return (
            f"out of time: the time limit ran out while writing {out}; {kept}; give a longer "
            "--time-limit to have it written."
        )
    print(f"wrote {out}", file=sys.stderr)
    return None
