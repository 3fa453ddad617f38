"""What-if runs: a scenario applied to a programme, repaired against its published timetable.

A scenario is a short list of changes (a person away, a venue closed, a bus at another time,
an exhibition closing earlier...). Applying it gives a new programme; re-solving with every
activity movable and the original timetable as the reference gives the least disruptive
repair (fewest activities moved, then the day's skeleton, then fewest minutes, then soft
rules), or, when no timetable exists, the minimal set of rules that cannot hold together. Sweeps run many
scenarios through any ``concurrent.futures.Executor`` (a process pool, or a dask cluster's
``Client.get_executor()``).
"""

from __future__ import annotations

from .actions import Applied, apply, free_days, person_id
from .repair import what_if
from .report import WhatIf
from .scenario import (
    AddActivity,
    AvailableOnly,
    Change,
    ChangeDateWindow,
    ChangeDuration,
    CloseRoom,
    CloseVenue,
    MoveTransport,
    Pin,
    RemoveActivity,
    Scenario,
    Unavailable,
    load_scenario,
)
from .sweep import Outcome, Sweep, matrix, sweep, tbc_scenarios

__all__ = [
    "AddActivity",
    "Applied",
    "AvailableOnly",
    "Change",
    "ChangeDateWindow",
    "ChangeDuration",
    "CloseRoom",
    "CloseVenue",
    "MoveTransport",
    "Outcome",
    "Pin",
    "RemoveActivity",
    "Scenario",
    "Sweep",
    "Unavailable",
    "WhatIf",
    "apply",
    "free_days",
    "load_scenario",
    "matrix",
    "person_id",
    "sweep",
    "tbc_scenarios",
    "what_if",
]
