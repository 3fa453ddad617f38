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
of a cell (a barred room), and the graph has an edge per (group of alike activities, cell), not
per room.

The matching sees only the activities that fit somewhere, so the places the others must take
stay free in it: with rooms at 70 % of the generated conferences' the 50-minute talks no room
can seat take the only hall slots as long, and the bound said 8 where the optimum is 11. So
every activity is placed: a minimum-cost flow where a fitting activity pays one for entering
a cell by any room rather than by one that holds it (``shortfall_bound``). Its cost is at
least the matching's shortfall where no room is barred, and at most any timetable's misfits.
Solved by OR-Tools' flows in C++ (a second or two at 2,000 events).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from .slots import Cell, Choice

UNLIMITED = 1 << 40
"""A room without a capacity figure holds any audience."""
CELLS_PER_LOOK = 16
"""Cells read between two looks at the clock (10,000 generated conference talks: 2,028
cells of 6,500 choices each, about 13 ms a cell)."""


def shortfall_bound(
    cells: dict[Cell, list[Choice]],
    fits: Callable[[Choice], frozenset[str]],
    capacity: dict[str, int | None],
    on_time: Callable[[], None] | None = None,
) -> int:
    """How many activities that fit some place must still go without one, at least.

    ``cells``: the choices of every pooled cell; ``fits(choice)``: the rooms of a choice that
    hold its audience (empty: none does); ``capacity``: seats per room (None: unlimited).

    Every activity needs a room of a cell it may take, whether its audience fits or not: one
    whose audience no room can hold still takes a place, and may take the only places long
    enough for another (a 50-minute talk of 900 listeners in the one hall with 50-minute
    slots). So every activity is sent through the graph, at a cost of one where a fitting
    activity enters a cell by its smallest room (any room of the cell) rather than by the
    rooms that hold it, and the least cost is the bound: a timetable is such a flow, its cost
    its misfits. Where not every activity finds a place even so (no timetable exists), the
    maximum flow of the fitting activities alone gives the bound, as before."""
    import numpy as np
    from ortools.graph.python import max_flow, min_cost_flow

    graph = _Graph.of(cells, fits, capacity, on_time)
    if not graph.fitting:
        return 0
    placing = min_cost_flow.SimpleMinCostFlow()
    arcs = graph.arcs + graph.placing
    tails, heads, capacities, costs = zip(*arcs, strict=True)
    placing.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32),
        np.array(heads, dtype=np.int32),
        np.array(capacities, dtype=np.int64),
        np.array(costs, dtype=np.int64),
    )
    placing.set_node_supply(graph.source, graph.activities)
    placing.set_node_supply(graph.sink, -graph.activities)
    if (
        placing.solve_max_flow_with_min_cost() == placing.OPTIMAL
        and placing.maximum_flow() == graph.activities
    ):
        return int(placing.optimal_cost())
    flow = max_flow.SimpleMaxFlow()
    tails, heads, capacities, _ = zip(*(graph.arcs + graph.fitting), strict=True)
    flow.add_arcs_with_capacity(
        np.array(tails, dtype=np.int32),
        np.array(heads, dtype=np.int32),
        np.array(capacities, dtype=np.int64),
    )
    if flow.solve(graph.source, graph.sink) != flow.OPTIMAL:
        return 0
    return graph.fitting_activities - int(flow.optimal_flow())


Arc = tuple[int, int, int, int]
"""Tail, head, capacity, cost per unit."""


class _Graph:
    """The rooms of each cell by capacity level (``arcs``: a level passes what it cannot seat
    to the next larger one, each to the sink with its number of rooms), and the activities,
    alike ones as one node: ``fitting``, from the source to the level of each cell's smallest
    room that holds them (fitting activities only); ``placing``, every activity, to those
    levels at no cost and to each cell's smallest level at a cost of one (none for an
    activity that fits nowhere: it is counted apart)."""

    def __init__(self) -> None:
        self.node = _Nodes()
        self.sink = self.node("sink")
        self.source = self.node("source")
        self.arcs: list[Arc] = []
        self.fitting: list[Arc] = []
        self.placing: list[Arc] = []
        self.activities = 0
        self.fitting_activities = 0

    @classmethod
    def of(
        cls,
        cells: dict[Cell, list[Choice]],
        fits: Callable[[Choice], frozenset[str]],
        capacity: dict[str, int | None],
        on_time: Callable[[], None] | None = None,
    ) -> _Graph:
        """``on_time``: called every ``CELLS_PER_LOOK`` cells of each pass, and raises when
        time is out."""
        graph = cls()
        node = graph.node
        levels: dict[Cell, list[int]] = {}
        for k, (cell, choices) in enumerate(cells.items()):
            if on_time is not None and k % CELLS_PER_LOOK == 0:
                on_time()
            rooms = frozenset().union(*{c.rooms for c in choices})
            sizes = sorted(_seats(capacity.get(room)) for room in rooms)
            distinct = sorted(set(sizes))
            levels[cell] = distinct
            for k, size in enumerate(distinct):
                here = node(("level", cell, k))
                seats = bisect_left(sizes, size + 1) - bisect_left(sizes, size)
                graph.arcs.append((here, graph.sink, seats, 0))
                if k + 1 < len(distinct):
                    graph.arcs.append((here, node(("level", cell, k + 1)), UNLIMITED, 0))
        targets: dict[int, list[int]] = {}
        anywhere: dict[int, list[int]] = {}
        smallest: dict[frozenset[str], int] = {}
        for k, (cell, choices) in enumerate(cells.items()):
            if on_time is not None and k % CELLS_PER_LOOK == 0:
                on_time()
            distinct = levels[cell]
            if not distinct:
                continue
            bottom = node(("level", cell, 0))
            for choice in choices:
                anywhere.setdefault(choice.item.index, []).append(bottom)
                usable = fits(choice)
                if not usable:
                    continue
                least = smallest.get(usable)
                if least is None:  # one figure per set of rooms, however many share it
                    least = smallest[usable] = min(_seats(capacity.get(room)) for room in usable)
                level = bisect_left(distinct, least)
                targets.setdefault(choice.item.index, []).append(node(("level", cell, level)))
        graph.activities = len(anywhere)
        graph.fitting_activities = len(targets)
        fitting: dict[tuple[int, ...], int] = {}
        placing: dict[tuple[tuple[int, ...], tuple[int, ...]], int] = {}
        for index, bottoms in anywhere.items():
            found = tuple(sorted(set(targets.get(index, ()))))
            if found:
                fitting[found] = fitting.get(found, 0) + 1
            key = (found, tuple(sorted(set(bottoms))))
            placing[key] = placing.get(key, 0) + 1
        for reached, count in fitting.items():
            group = node(("fitting", reached))
            graph.fitting.append((graph.source, group, count, 0))
            graph.fitting.extend((group, target, count, 0) for target in reached)
        for (entries, lowest), count in placing.items():
            group = node(("placing", entries, lowest))
            cost = 1 if entries else 0
            graph.placing.append((graph.source, group, count, 0))
            graph.placing.extend((group, target, count, 0) for target in entries)
            graph.placing.extend((group, bottom, count, cost) for bottom in lowest)
        return graph


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
