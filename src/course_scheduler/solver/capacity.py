"""A lower bound of the soft capacity rule that can be built at any size.

Why: soft capacity counts audiences left without a room that holds them. The solver can only
prove a timetable good when it knows how few it must leave: the bound. The exact relaxation
(``PooledRooms.fitting_shortfall``: a maximum matching of activities to the (day, start, room)
places holding their audience) has an edge per activity, cell and fitting room: a million at
1,000 events, so it was skipped above that and the bound stayed 0, which told a programme team
nothing.

Here the rooms of a cell are counted, not listed: a cell's rooms are sorted into capacity
levels, an activity is sent to the level of the smallest room it may use there, and a level
passes what it cannot seat to the next larger one (a room that holds 200 holds 100). Activities
with the same levels in the same cells are one node. The maximum flow from activities to rooms
is then as large as the matching's, or larger where an activity may not use every larger room
of a cell (a barred room): its shortfall is a valid lower bound, equal to the matching's when
no room is barred, and the graph has an edge per (group of alike activities, cell), not per
room. Solved by OR-Tools' max-flow in C++ (a few seconds at 20,000 events).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from .slots import Cell, Choice

UNLIMITED = 1 << 40
"""A room without a capacity figure holds any audience."""


def shortfall_bound(
    cells: dict[Cell, list[Choice]],
    fits: Callable[[Choice], frozenset[str]],
    capacity: dict[str, int | None],
) -> int:
    """How many activities that fit some place must still go without one, at least.

    ``cells``: the choices of every pooled cell; ``fits(choice)``: the rooms of a choice that
    hold its audience (empty: none does); ``capacity``: seats per room (None: unlimited)."""
    import numpy as np
    from ortools.graph.python import max_flow

    node = _Nodes()
    levels: dict[Cell, list[int]] = {}
    arcs: list[tuple[int, int, int]] = []
    sink = node("sink")
    for cell, choices in cells.items():
        rooms = frozenset().union(*{c.rooms for c in choices})
        sizes = sorted(_seats(capacity.get(room)) for room in rooms)
        distinct = sorted(set(sizes))
        levels[cell] = distinct
        for k, size in enumerate(distinct):
            here = node(("level", cell, k))
            arcs.append((here, sink, bisect_left(sizes, size + 1) - bisect_left(sizes, size)))
            if k + 1 < len(distinct):
                arcs.append((here, node(("level", cell, k + 1)), UNLIMITED))
    targets: dict[int, list[int]] = {}
    smallest: dict[frozenset[str], int] = {}
    for cell, choices in cells.items():
        distinct = levels[cell]
        for choice in choices:
            usable = fits(choice)
            if not usable:
                continue
            seats = smallest.get(usable)
            if seats is None:  # one figure per set of rooms, however many share it
                seats = smallest[usable] = min(_seats(capacity.get(room)) for room in usable)
            level = bisect_left(distinct, seats)
            targets.setdefault(choice.item.index, []).append(node(("level", cell, level)))
    groups: dict[tuple[int, ...], int] = {}
    for found in targets.values():
        key = tuple(sorted(set(found)))
        groups[key] = groups.get(key, 0) + 1
    source = node("source")
    for reached, count in groups.items():
        group = node(("group", reached))
        arcs.append((source, group, count))
        arcs.extend((group, target, count) for target in reached)
    if not groups:
        return 0
    flow = max_flow.SimpleMaxFlow()
    tails, heads, capacities = zip(*arcs, strict=True)
    flow.add_arcs_with_capacity(
        np.array(tails, dtype=np.int32),
        np.array(heads, dtype=np.int32),
        np.array(capacities, dtype=np.int64),
    )
    if flow.solve(source, sink) != flow.OPTIMAL:
        return 0
    return len(targets) - int(flow.optimal_flow())


def _seats(size: int | None) -> int:
    return UNLIMITED if size is None else size


class _Nodes:
    """Node numbers of the flow graph, given on first use."""

    def __init__(self) -> None:
        self.numbers: dict[Any, int] = {}

    def __call__(self, key: Any) -> int:
        number = self.numbers.get(key)
        if number is None:
            number = self.numbers[key] = len(self.numbers)
        return number
