"""Sweeps: many scenarios through any executor, one small picklable outcome each."""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import SourceMap
from ..model import (
    Availability,
    Programme,
    Status,
)
from ..rules.base import day_label
from .repair import what_if
from .scenario import AvailableOnly, Scenario, Unavailable

if TYPE_CHECKING:
    import pandas as pd


def tbc_scenarios(programme: Programme) -> list[Scenario]:
    """For every speaker still 'tbc': absent, and available only on each course day."""
    scenarios = []
    for person in programme.people:
        if person.status != Status.TBC:
            continue
        scenarios.append(
            Scenario(
                name=f"{person.name} absent",
                changes=[Unavailable(do="unavailable", person=person.id)],
            )
        )
        for day in programme.days:
            scenarios.append(
                Scenario(
                    name=f"{person.name} only on {day_label(day.date)}",
                    changes=[
                        AvailableOnly(
                            do="available_only",
                            person=person.id,
                            windows=[Availability(date=day.date)],
                        )
                    ],
                )
            )
    return scenarios


@dataclass(frozen=True)
class Outcome:
    """A sweep cell: small and picklable, so it travels back from any executor."""

    scenario: str
    feasible: bool
    status: str
    moves: int
    minutes: int
    text: str
    reasons: tuple[str, ...] = ()
    """When no repair exists: the rules that cannot hold together (the solver's core)."""


class Sweep(list[Outcome]):
    """The outcomes of a sweep, in the order of its scenarios (a list, with a frame)."""

    def to_frame(self) -> pd.DataFrame:
        """One row per scenario: feasible, status, activities moved, minutes moved, the
        reasons when no repair exists, and the outcome in words (imports pandas)."""
        from ..frames import sweep_frame

        return sweep_frame(self)

    def _repr_html_(self) -> str:
        """A row per scenario: its outcome in words (for Jupyter)."""
        from ..display import html_block

        feasible = sum(o.feasible for o in self)
        return html_block(
            f"Sweep: {len(self)} scenarios, {feasible} with a repair",
            table=(("scenario", "outcome"), [(o.scenario, o.text) for o in self]),
        )


Payload = tuple[str, SourceMap, dict[str, Any], float, int]


def _run_one(payload: Payload) -> Outcome:
    from ..errors import OutOfTime
    from ..loading import loads

    began = time.perf_counter()  # the scenario's limit counts its reading of the programme
    text, source, scenario_data, time_limit, seed = payload
    scenario = Scenario.model_validate(scenario_data)
    try:
        programme = loads(text, name=source.file or "programme", deadline=began + time_limit)
        # the copy has the structure of the user's file, item for item: its lines are the file's
        programme._source = source
        result = what_if(
            programme,
            scenario,
            time_limit=time_limit,
            seed=seed,
            minimal_explanation=False,
            began=began,
        )
    except OutOfTime:  # reading took the limit (what_if's first step found none left)
        read = time.perf_counter() - began
        said = f"unknown (out of time: reading the programme took {read:.2f} s of {time_limit:g} s)"
        return Outcome(scenario.name or "unnamed", False, "unknown", 0, 0, said)
    return Outcome(
        scenario.name or "unnamed",
        result.feasible,
        result.status,
        len(result.moved),
        result.minutes,
        result.outcome(),
        tuple(result.reasons),
    )


def sweep(
    programme: Programme,
    scenarios: Sequence[Scenario],
    *,
    executor: Executor | None = None,
    time_limit: float = 30.0,
    seed: int = 0,
) -> Sweep:
    """Run scenarios in parallel through ``executor`` (default: in this process, in order).

    A cell's reason is the solver's own core of rules that cannot hold together: small, but
    not shrunk to a minimal set (run the scenario alone with ``what_if`` for that).
    Each task gets the programme as text (with the line map of the user's file, so that every
    line a finding cites is a line of that file) and the scenario as plain data, so any executor
    that pickles its arguments works: a process pool, or ``dask.distributed``'s
    ``Client.get_executor()``. Results come back in the order of ``scenarios``.
    """
    from ..loading import dump, source_of

    text, source = dump(programme), source_of(programme)
    payloads: list[Payload] = [
        (text, source, s.model_dump(mode="json", by_alias=True), time_limit, seed)
        for s in scenarios
    ]
    if executor is None:
        return Sweep(_run_one(p) for p in payloads)
    return Sweep(executor.map(_run_one, payloads))


def matrix(outcomes: Sequence[Outcome]) -> str:
    width = max((len(o.scenario) for o in outcomes), default=8)
    lines = [f"{'scenario'.ljust(width)}  outcome"]
    lines += [f"{o.scenario.ljust(width)}  {o.text}" for o in outcomes]
    return "\n".join(lines)
