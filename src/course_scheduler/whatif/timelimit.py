"""A what-if's time limit, phase by phase: every step between reading the file and printing
the answer counts against it, and a step not expected to fit is not begun.

Why a module of its own: the solve has its own budget (``solver/budget.py``), but a what-if
does as much again in Python around it: compiling the published timetable and checking it,
applying the scenario (a copy of the programme and the loader's checks on it), finding the
published errors it leaves as they were, compiling each attempt, checking the repair. On a
fifth of a core a 2,000-talk file is read in 16 s of a 20 s limit, and those steps, none of
which looked at the clock, took the answer 4-9 s past it; and loading the solver (OR-Tools) to
solve is a step too, seconds long on a loaded machine. Each step now looks before it
begins (``look``, with its expected CPU seconds at the pace the process has run so far) and
the long ones look within; once the limit is out, ``OutOfTime`` stops the what-if, which then
answers "unknown", naming the step (``STEPS``) it stopped at.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import OutOfTime
from ..solver import budget

STEPS = {
    "reference": "compiling the published timetable and checking it",
    "scenario": "applying the scenario",
    "held": "finding the published errors the scenario leaves as they were",
    "displaced": "finding what the scenario displaces",
    "days": "letting sessions move to other days",
    "solver": "loading the solver (OR-Tools)",
    "compile": "compiling the scenario's programme",
    "check": "checking the repair found against the programme's rules",
    "explain": "working out which rules cannot hold together",
}
"""The steps a what-if times, in the words its report uses."""

PER_ACTIVITY = {
    "reference": 40e-6,
    "scenario": 190e-6,
    "held": 50e-6,
    "displaced": 50e-6,
    "compile": 30e-6,
    "check": 70e-6,
    "days": 270e-6,
}
"""CPU seconds each step takes per activity of the programme, the most of 2,000 and 10,000
generated conference talks (20-30, 100-186, 33-50 and 19-26 us for the first four, measured
at load 8-11; "displaced" is a compile and a check, as "held" is; "check" two of each and the
diff; "days", ``actions.free_days``, 173-266 us): a step is not begun when less of the limit is left than this at the process's pace.
The repair's check is kept back from the solve this way, and begun once a repair is in hand
unless the limit has passed (``repair.what_if``)."""

SOLVER_IMPORT_CPU = 0.4
"""CPU seconds to load the solver, OR-Tools with it, before the first solve (0.39 s; 4.2-4.8 s
of wall at load 10-11 on two cores, and more on a fifth of a core)."""


@dataclass
class TimeLimit:
    """``limit`` seconds counted from ``began`` (a ``time.perf_counter()`` moment), for a
    programme of ``activities`` activities; where the time went, and the step it ran out at."""

    limit: float
    began: float
    activities: int = 0
    phases: dict[str, budget.PhaseTime] = field(default_factory=dict)
    step: str | None = None
    """The step under way, or the one about to begin."""
    begun: bool = False
    """Whether ``step`` was begun (its look at the clock passed)."""

    @property
    def deadline(self) -> float:
        return self.began + self.limit

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def slowness(self) -> float:
        """Wall seconds per CPU second (at least 1): of the steps timed so far once they
        took a twentieth of a second of CPU, else of the process since ``began`` (the
        command's start: Python's start and the reading, as slow as the machine let them)."""
        cpu = sum(p.cpu for p in self.phases.values())
        if cpu > 0.05:
            return max(1.0, sum(p.wall for p in self.phases.values()) / cpu)
        process = time.process_time()
        spent = time.perf_counter() - self.began
        return max(1.0, spent / process) if process > 0.05 else 1.0

    def expected(self, step: str) -> float:
        """Wall seconds ``step`` is expected to take at the pace so far."""
        return PER_ACTIVITY.get(step, 0.0) * self.activities * self.slowness()

    def look(self, cpu: float = 0.0) -> None:
        """``OutOfTime`` when less is left than ``cpu`` seconds of CPU at the pace so far
        (nothing at all: when the limit has passed)."""
        if self.left() <= cpu * self.slowness():
            raise OutOfTime

    def fits(self, step: str) -> bool:
        """Whether ``step`` is expected to fit in what is left."""
        return self.left() > self.expected(step)

    @contextlib.contextmanager
    def phase(self, step: str, cpu: float | None = None) -> Iterator[None]:
        """Look at the clock, ``step``'s expected CPU seconds kept back (``cpu``, else
        ``PER_ACTIVITY``), then time the block."""
        self.step, self.begun = step, False
        self.look(PER_ACTIVITY.get(step, 0.0) * self.activities if cpu is None else cpu)
        self.begun = True
        with self.timed(step):
            yield

    def timed(self, step: str) -> contextlib.AbstractContextManager[None]:
        """Add the block's wall and CPU seconds to ``step``'s (a solve: it keeps its own
        limit)."""
        return budget.timed(self.phases, step)

    def stopped(self) -> str:
        """What the report says when the limit ran out at the step under way."""
        words = STEPS.get(self.step or "", self.step or "starting")
        when = "while" if self.begun else "before"
        spent = time.perf_counter() - self.began
        return (
            f"the time limit ran out {when} {words} (at {spent:.1f} s, of {self.limit:.1f} s "
            "for the repair, reading the file included): no repair is given; give a longer time "
            "limit"
        )
