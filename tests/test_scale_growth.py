"""The growth figures ``benchmarks.scale --phases`` prints: every phase a run reports has a
column, and the three estimates (first small run, paired by run, medians) are what their
labels say, computed from the runs' own figures."""

from __future__ import annotations

import math
from typing import Any

from benchmarks.scale import exponents, phase_table


def _run(cpu: float, phases: dict[str, float]) -> dict[str, Any]:
    return {"status": "feasible", "cpu": cpu, "seconds": cpu, "mib": 1.0, "phases_cpu": phases}


def _rows() -> list[tuple[int, str, dict[str, Any]]]:
    """Three runs at each size; the first small run is the slowest, as a cold first run is."""
    small = [(0.16, 0.040), (0.10, 0.020), (0.11, 0.025)]
    large = [(1.20, 0.40), (1.50, 0.45), (1.30, 0.50)]
    rows = []
    for size, runs in ((1000, small), (10000, large)):
        for cpu, check in runs:
            phases = {"convert": cpu / 4, "check": check, "free": cpu / 100, "polish": 0.01}
            rows.append((size, "x", _run(cpu, phases)))
    return rows


def _figures(line: str) -> dict[str, str]:
    """``name figure`` pairs after the label: "CPU overall 1.08, check 1.05, free~ 0.90"."""
    pairs = (part.rsplit(" ", 1) for part in line.split(": ", 1)[1].split(", "))
    return {name: figure for name, figure in pairs}


def test_every_phase_a_run_reports_has_a_column_free_included() -> None:
    header = phase_table(_rows(), optimise=False).splitlines()[0]
    for phase in ("convert", "check", "free", "polish"):
        assert f"| {phase}, CPU s " in header
    assert header.index("free, CPU s") < header.index("polish, CPU s")


def test_the_three_growth_estimates_read_the_runs_they_name() -> None:
    lines = exponents(_rows()).splitlines()
    first = [line for line in lines if "first 1,000-event run against this run" in line]
    paired = [line for line in lines if "paired by run (3 pairs)" in line]
    medians = [line for line in lines if "medians of 3 and 3 runs" in line]
    assert len(first) == 3 and len(paired) == 1 and len(medians) == 1
    k = [float(_figures(line)["check"]) for line in first]
    assert k == [round(math.log(y / 0.040, 10), 2) for y in (0.40, 0.45, 0.50)]
    low, high = _figures(paired[0])["check"].split("-")
    pairs = [math.log(y / x, 10) for x, y in ((0.040, 0.40), (0.020, 0.45), (0.025, 0.50))]
    assert (float(low), float(high)) == (round(min(pairs), 2), round(max(pairs), 2))
    assert float(_figures(medians[0])["check"]) == round(math.log(0.45 / 0.025, 10), 2)
    assert float(_figures(medians[0])["CPU overall"]) == round(math.log(1.30 / 0.11, 10), 2)
    # a phase of at most 5 ms in the small run is shown, marked
    assert "free~" in _figures(medians[0])
