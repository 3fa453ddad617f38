"""The time limit of one solve, shared by every phase of it, and where the time went.

Why a module of its own: the limit is the caller's ("an answer within 120 s"), not CP-SAT's.
Building the model, constructing a first timetable, matching rooms and reading the answer
back are Python phases that take seconds on a large conference; each of them asks the budget
what is left, stops early when nothing is, and leaves the reading back of the best timetable
its share (``reserve``). Each phase's wall and CPU seconds are recorded, so benchmarks can show
the split without a profiler.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import OutOfTime

__all__ = ["FREE_PER_VARIABLE", "Budget", "OutOfTime", "PhaseTime", "timed"]

FREE_PER_VARIABLE = 0.2e-6
"""CPU seconds to free a model, per variable (its cell choices, the Python objects of the
rules, the proto): 0.16-0.24 us at 2,000 generated conference talks, a million variables;
0.3-3.8 s of wall at 10,000 talks, load 3-5). Freeing had no look at the clock and came
after the answer's time was taken: the limit overran by that much."""


@dataclass
class PhaseTime:
    """Seconds one phase took: wall clock and this process's CPU (steadier under load)."""

    wall: float = 0.0
    cpu: float = 0.0


@dataclass
class Budget:
    """A time limit counted from ``began`` (a ``time.perf_counter()`` moment)."""

    limit: float
    began: float = field(default_factory=time.perf_counter)
    reserve: float = 0.0
    """Seconds kept back for reading the best timetable once the search stops."""
    phases: dict[str, PhaseTime] = field(default_factory=dict)

    @property
    def deadline(self) -> float:
        return self.began + self.limit

    def elapsed(self) -> float:
        return time.perf_counter() - self.began

    def remaining(self) -> float:
        """Seconds left for searching (the reserve for reading the answer kept back)."""
        return self.deadline - self.reserve - time.perf_counter()

    def expired(self) -> bool:
        return self.remaining() <= 0

    def slowness(self, *names: str) -> float:
        """Wall seconds per CPU second of the phases ``names`` (all so far when none is named;
        at least 1): a loaded machine makes the phases still to come take longer, as it made
        these."""
        timed = (
            [self.phases[n] for n in names if n in self.phases] if names else self.phases.values()
        )
        wall = sum(p.wall for p in timed)
        cpu = sum(p.cpu for p in timed)
        return max(1.0, wall / cpu) if cpu > 0.05 else 1.0

    def freeing(self, variables: int) -> float:
        """Seconds that freeing a model of ``variables`` variables will take once the answer
        is in hand: it counts against the limit, so a phase stops in time for it."""
        return FREE_PER_VARIABLE * variables * self.slowness()

    def check(self, variables: int = 0) -> None:
        """Raise ``OutOfTime`` when the limit has run out (called between units of work),
        the time to free a model of ``variables`` variables kept back."""
        if self.remaining() <= self.freeing(variables):
            raise OutOfTime

    def phase(self, name: str) -> contextlib.AbstractContextManager[None]:
        """Add the time spent in the block to ``name`` (phases may recur: cuts, stages)."""
        return timed(self.phases, name)


@contextlib.contextmanager
def timed(phases: dict[str, PhaseTime], name: str) -> Iterator[None]:
    """Add the block's wall and CPU seconds to ``phases[name]`` (a solve's phases, a
    what-if's steps: both record where the time went the same way)."""
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        spent = phases.setdefault(name, PhaseTime())
        spent.wall += time.perf_counter() - wall
        spent.cpu += time.process_time() - cpu
