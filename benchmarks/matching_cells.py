"""The check phase's room matching alone, cell by cell, on the cells a construction really has.

Each shape is generated at each size, solved to its first timetable (soft rules off, seed 0,
one worker, as ``benchmarks.scale`` runs it), and every cell whose rooms the check phase
matched (``PooledRooms._match`` called from ``search.checked_construction``) is kept. Those
cells are then matched again in this process, ``--rounds`` times in A B C C B A order, by
each of ``VARIANTS``: ``pairs`` (the code as it is: from ``augmenting.WARM_FROM`` rooms by
shortest augmenting paths, narrower cells of more than ``FLOW_ABOVE`` pairs by OR-Tools'
assignment with an arc per (talk, room), ``ranked.grid_matching``), ``assignment`` (every such
cell by OR-Tools) and ``chains`` (``CHAIN_ABOVE`` lowered to ``FLOW_ABOVE``: the flow along the
rooms by size, ``chains.py``, whose arcs grow with talks plus rooms). The answers' size and
total room cost (each talk's place in its ranking, ``big`` more when too small) are compared
on every large cell.

The table gives CPU seconds (medians over the rounds) of all cells and of the large ones,
the large cells' median talks x rooms, and the growth of the pairs' time from the smallest
size to each larger one as an exponent (time ~ events^k).

Usage: python -m benchmarks.matching_cells [--shapes peer real-cccamp2019 ...]
       [--sizes 1000 10000] [--rounds 4]
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks._timing import table
from benchmarks.instances import generated

SHAPES = ("peer", "real-cccamp2019", "real-debconf23", "real-sfscon2024")


def _cells(shape: str, size: int, scratch: Path) -> list[tuple[Any, Any, list[Any], Any]]:
    """The (pooled rooms, cell, choices, edges) of every cell the check phase matched."""
    from course_scheduler.compile import compile_programme
    from course_scheduler.importers.peer import programme_from_peer
    from course_scheduler.solver import search, slots
    from course_scheduler.solver.solve import SolveOptions, solve_problem

    programme = programme_from_peer(generated(shape, size, None, scratch).data())
    programme.objective.soft_rules = 0
    problem = compile_programme(programme)
    kept: list[tuple[Any, Any, list[Any], Any]] = []
    checking = [False]
    match, checked = slots.PooledRooms._match, search.checked_construction

    def spied_match(pooled: Any, cell: Any, here: list[Any], edges: Any) -> dict[int, str]:
        if checking[0]:
            kept.append((pooled, cell, here, edges))
        return match(pooled, cell, here, edges)

    def spied_check(build: Any, plan: Any) -> Any:
        checking[0] = True
        try:
            return checked(build, plan)
        finally:
            checking[0] = False

    slots.PooledRooms._match = spied_match  # type: ignore[method-assign]
    search.checked_construction = spied_check
    try:
        solve_problem(problem, options=SolveOptions(time_limit=120, seed=0, workers=1))
    finally:
        slots.PooledRooms._match = match  # type: ignore[method-assign]
        search.checked_construction = checked
    return kept


def _cost(pooled: Any, here: list[Any], edges: Any, big: int, matched: dict[int, str]) -> int:
    total = 0
    for c in here:
        room = matched.get(c.item.index)
        if room is None:
            continue
        order = pooled._rank(c.item, edges[c.item.index])
        place = order.index(room)
        total += place + (big if place >= len(pooled.fits(c)) else 0)
    return total


def _large(pooled: Any, here: list[Any], edges: Any) -> bool:
    from course_scheduler.solver.slots import FLOW_ABOVE

    return sum(len(edges[c.item.index]) for c in here) > FLOW_ABOVE


VARIANTS = ("pairs", "assignment", "chains")
"""How a large cell is matched: ``pairs`` as the code is (from ``augmenting.WARM_FROM`` rooms by
shortest augmenting paths, else OR-Tools' assignment of every (talk, room) pair); ``assignment``
every such cell by OR-Tools (``WARM_FROM`` beyond any cell); ``chains`` the flow along the rooms
by size (``CHAIN_ABOVE`` lowered to ``FLOW_ABOVE``)."""


@contextmanager
def _variant(name: str) -> Iterator[None]:
    from course_scheduler.solver import augmenting, slots

    kept = slots.CHAIN_ABOVE, augmenting.WARM_FROM
    if name == "chains":
        slots.CHAIN_ABOVE = slots.FLOW_ABOVE
    if name == "assignment":
        augmenting.WARM_FROM = 10**9
    try:
        yield
    finally:
        slots.CHAIN_ABOVE, augmenting.WARM_FROM = kept


def _timed(cells: list[tuple[Any, Any, list[Any], Any]], variant: str) -> tuple[float, float]:
    """CPU seconds of matching every cell, and of the large ones alone."""
    with _variant(variant):
        every = large = 0.0
        for pooled, cell, here, edges in cells:
            began = time.process_time()
            pooled._match(cell, here, edges)
            spent = time.process_time() - began
            every += spent
            large += spent if _large(pooled, here, edges) else 0.0
    return every, large


def _same_cost(cells: list[tuple[Any, Any, list[Any], Any]]) -> int:
    """The large cells whose matchings by every variant are as many and as cheap
    (AssertionError otherwise)."""
    checked = 0
    for pooled, cell, here, edges in cells:
        if not _large(pooled, here, edges):
            continue
        big = len(pooled.rooms(cell)) ** 2 + 1
        answers = []
        for variant in VARIANTS:
            with _variant(variant):
                matched = pooled._match(cell, here, edges)
            answers.append((len(matched), _cost(pooled, here, edges, big, matched)))
        assert len(set(answers)) == 1, answers
        checked += 1
    return checked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES))
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for shape in args.shapes:
            first: tuple[int, float] | None = None
            for size in sorted(args.sizes):
                cells = _cells(shape, size, Path(folder))
                same = _same_cost(cells)
                samples: dict[str, list[tuple[float, float]]] = {v: [] for v in VARIANTS}
                for k in range(args.rounds):
                    for variant in VARIANTS if k % 2 == 0 else VARIANTS[::-1]:
                        samples[variant].append(_timed(cells, variant))
                big = [(len(h), len(p.rooms(c))) for p, c, h, e in cells if _large(p, h, e)]
                pairs = statistics.median(s[0] for s in samples["pairs"])
                growth = ""
                if first is None:
                    first = (size, pairs)
                elif first[1] > 0:
                    growth = f"{math.log(pairs / first[1]) / math.log(size / first[0]):.2f}"
                timings = [
                    f"{statistics.median(s[part] for s in samples[variant]):.4f}"
                    for variant in VARIANTS
                    for part in (0, 1)
                ]
                rows.append(
                    [
                        shape,
                        size,
                        len(cells),
                        len(big),
                        "x".join(map(str, sorted(big)[len(big) // 2])) if big else "-",
                        *timings,
                        same,
                        growth,
                    ]
                )
                print(table(HEADER, rows[-1:]).splitlines()[-1], flush=True)
    print(table(HEADER, rows))


HEADER = (
    "shape",
    "events",
    "cells",
    "large",
    "talks x rooms",
    *(f"{variant}: {part}" for variant in VARIANTS for part in ("all", "large")),
    "same cost",
    "growth (pairs)",
)

if __name__ == "__main__":
    main()
