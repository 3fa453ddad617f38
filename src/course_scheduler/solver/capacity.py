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
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from .slots import Cell

UNLIMITED = 1 << 40
"""A room without a capacity figure holds any audience."""
ENTRIES_PER_LOOK = 32_768
"""(cell, rooms) entries read between two looks at the clock (about 15 ms of reading)."""


class Alike(NamedTuple):
    """Activities the flow sees as one: they may take the same cells with the same rooms
    (one list of them: ``PoolPlan.cells`` shares it between activities alike) and the same
    rooms of those hold their audiences."""

    cells: Sequence[tuple[Cell, frozenset[str]]]
    fit: Callable[[frozenset[str]], frozenset[str]]
    """The rooms of a set that hold the audience (empty: none does)."""
    audience: Hashable
    """Equal for two groups exactly when ``fit`` is the same function of the rooms."""
    activities: int
    """How many they are."""


def shortfall_bound(
    groups: Sequence[Alike],
    capacity: dict[str, int | None],
    on_time: Callable[[], None] | None = None,
) -> int:
    """How many activities that fit some place must still go without one, at least.

    ``groups``: the activities, alike ones together (``Alike``); ``capacity``: seats per
    room (None: unlimited).

    Every activity needs a room of a cell it may take, whether its audience fits or not: one
    whose audience no room can hold still takes a place, and may take the only places long
    enough for another (a 50-minute talk of 900 listeners in the one hall with 50-minute
    slots). So every activity is sent through the graph, at a cost of one where a fitting
    activity enters a cell by its smallest room (any room of the cell) rather than by the
    rooms that hold it, and the least cost is the bound: a timetable is such a flow, its cost
    its misfits. Where not every activity finds a place even so (no timetable exists), the
    maximum flow of the fitting activities alone gives the bound, as before.

    The graph is read from the lists of cells, each list once however many activities share
    it and each group of alike activities once, and its arcs are kept as columns: a (cell,
    activity) choice one by one was 12.4 million objects at 10,000 generated conference
    talks, 21 s of a 25 s solve and 2 GiB, where their 1,486 groups read 1.6 million
    entries."""
    from ortools.graph.python import max_flow, min_cost_flow

    graph = _Graph.of(groups, capacity, on_time)
    if not graph.fitting.tails:
        return 0
    placing = min_cost_flow.SimpleMinCostFlow()
    tails, heads, capacities, costs = graph.levels.arrays(graph.placing)
    if on_time is not None:
        on_time()
    placing.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    placing.set_node_supply(graph.source, graph.activities)
    placing.set_node_supply(graph.sink, -graph.activities)
    if (
        placing.solve_max_flow_with_min_cost() == placing.OPTIMAL
        and placing.maximum_flow() == graph.activities
    ):
        return int(placing.optimal_cost())
    if on_time is not None:
        on_time()
    flow = max_flow.SimpleMaxFlow()
    tails, heads, capacities, _ = graph.levels.arrays(graph.fitting)
    flow.add_arcs_with_capacity(tails, heads, capacities)
    if flow.solve(graph.source, graph.sink) != flow.OPTIMAL:
        return 0
    return graph.fitting_activities - int(flow.optimal_flow())


class _Arcs:
    """Arcs as columns (tail, head, capacity, cost per unit): a group's arcs go in by one
    ``extend`` each, and OR-Tools takes the columns as arrays."""

    def __init__(self) -> None:
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.capacities: list[int] = []
        self.costs: list[int] = []

    def add(self, tail: int, heads: Sequence[int], capacity: int, cost: int = 0) -> None:
        """An arc from ``tail`` to each of ``heads``."""
        self.tails.extend([tail] * len(heads))
        self.heads.extend(heads)
        self.capacities.extend([capacity] * len(heads))
        self.costs.extend([cost] * len(heads))

    def arrays(self, more: _Arcs) -> tuple[Any, Any, Any, Any]:
        """These arcs and ``more``'s, each column one array."""
        import numpy as np

        return (
            np.array(self.tails + more.tails, dtype=np.int32),
            np.array(self.heads + more.heads, dtype=np.int32),
            np.array(self.capacities + more.capacities, dtype=np.int64),
            np.array(self.costs + more.costs, dtype=np.int64),
        )


class _Clock:
    """Looks at the clock (``on_time``) once every ``ENTRIES_PER_LOOK`` entries read."""

    def __init__(self, on_time: Callable[[], None] | None) -> None:
        self.on_time = on_time
        self.read = 0

    def __call__(self, entries: int) -> None:
        if self.on_time is None:
            return
        self.read += entries
        if self.read >= ENTRIES_PER_LOOK:
            self.read = 0
            self.on_time()


@dataclass
class _List:
    """One list of cells as the graph reads it, whatever the audience: each entry's cell
    (by its number in ``_LevelIndex``) and set of rooms (by its place in ``rooms``), and the
    lowest level of every cell of the list."""

    cells: Any
    rooms: list[frozenset[str]]
    which: Any
    lowest: tuple[int, ...]


class _LevelIndex:
    """Every cell's levels (the distinct sizes of its rooms, ascending, and their nodes) in
    one sorted array, so that the levels an audience reaches in all cells of a list are one
    ``searchsorted``, not a bisection per cell in Python (1.6 million at 10,000 generated
    conference talks). A level's key is its cell's number times the count of distinct sizes
    of the whole graph, plus its size's place among them: ordered by cell, then size, and
    never near the end of an int64 however many cells."""

    def __init__(self) -> None:
        self.number: dict[Cell, int] = {}
        self._levels: list[tuple[list[int], list[int]]] = []

    def add(self, cell: Cell, distinct: list[int], nodes: list[int]) -> None:
        if distinct:
            self.number[cell] = len(self.number)
            self._levels.append((distinct, nodes))

    def done(self) -> None:
        """The arrays, once every cell is added."""
        import numpy as np

        sizes = sorted({size for distinct, _ in self._levels for size in distinct})
        self.place = {size: k for k, size in enumerate(sizes)}
        """Each size's place among every cell's sizes."""
        self.width = len(sizes)
        keys = [
            number * self.width + self.place[size]
            for number, (distinct, _) in enumerate(self._levels)
            for size in distinct
        ]
        self.keys = np.array(keys, dtype=np.int64)
        self.nodes = np.array([n for _, nodes in self._levels for n in nodes], dtype=np.int64)
        self.bottoms = np.array([nodes[0] for _, nodes in self._levels], dtype=np.int64)

    def read(self, cells: Sequence[tuple[Cell, frozenset[str]]]) -> _List:
        import numpy as np

        number = self.number
        numbers: list[int] = []
        which: list[int] = []
        place: dict[int, int] = {}
        rooms_of: list[frozenset[str]] = []
        for cell, rooms in cells:
            at = number.get(cell)
            if at is None:
                continue
            k = place.get(id(rooms))
            if k is None:
                k = place[id(rooms)] = len(rooms_of)
                rooms_of.append(rooms)
            numbers.append(at)
            which.append(k)
        read = np.array(numbers, dtype=np.int64)
        lowest = tuple(np.unique(self.bottoms[read]).tolist())
        return _List(read, rooms_of, np.array(which, dtype=np.intp), lowest)

    def reached(self, read: _List, places: list[int]) -> tuple[int, ...]:
        """The level nodes the entries of ``read`` enter by their smallest room that holds
        the audience, ascending; ``places``: that room's size (its place in ``place``) for
        each set of ``read.rooms``, -1 where none holds it. The size is one of the cell's
        own (the room is one of the cell's), so its key is one of the cell's levels."""
        import numpy as np

        per_entry = np.array(places, dtype=np.int64)[read.which]
        fits = per_entry >= 0
        if not fits.any():
            return ()
        at = np.searchsorted(self.keys, read.cells[fits] * self.width + per_entry[fits])
        return tuple(np.unique(self.nodes[at]).tolist())


class _Graph:
    """The rooms of each cell by capacity level (``levels``: a level passes what it cannot
    seat to the next larger one, each to the sink with its number of rooms), and the
    activities, alike ones as one node: ``fitting``, from the source to the level of each
    cell's smallest room that holds them (fitting activities only); ``placing``, every
    activity, to those levels at no cost and to each cell's smallest level at a cost of one
    (none for an activity that fits nowhere: it is counted apart)."""

    def __init__(self) -> None:
        self.node = _Nodes()
        self.sink = self.node("sink")
        self.source = self.node("source")
        self.levels = _Arcs()
        self.fitting = _Arcs()
        self.placing = _Arcs()
        self.activities = 0
        self.fitting_activities = 0

    @classmethod
    def of(
        cls,
        groups: Sequence[Alike],
        capacity: dict[str, int | None],
        on_time: Callable[[], None] | None = None,
    ) -> _Graph:
        """``on_time``: called every ``ENTRIES_PER_LOOK`` entries of each pass, and raises
        when time is out."""
        graph = cls()
        clock = _Clock(on_time)
        index = _LevelIndex()
        for cell, rooms in _rooms_by_cell(groups, clock).items():
            sizes = sorted(_seats(capacity.get(room)) for room in rooms)
            distinct = sorted(set(sizes))
            nodes = [graph.node(("level", cell, k)) for k in range(len(distinct))]
            index.add(cell, distinct, nodes)
            for k, size in enumerate(distinct):
                rooms_of_size = bisect_left(sizes, size + 1) - bisect_left(sizes, size)
                graph.levels.add(nodes[k], [graph.sink], rooms_of_size)
                if k + 1 < len(distinct):
                    graph.levels.add(nodes[k], [nodes[k + 1]], UNLIMITED)
        index.done()
        fitting: dict[tuple[int, ...], int] = {}
        placing: dict[tuple[tuple[int, ...], tuple[int, ...]], int] = {}
        lists: dict[int, _List] = {}
        least: dict[tuple[int, Hashable], int] = {}
        """(id of a set of rooms, audience) -> the size of its smallest room that holds the
        audience (its place in ``index.place``), -1 when none does."""

        def seats(rooms: frozenset[str], group: Alike) -> int:
            key = (id(rooms), group.audience)
            found = least.get(key)
            if found is None:
                usable = group.fit(rooms)
                smallest = min(_seats(capacity.get(room)) for room in usable) if usable else None
                found = least[key] = -1 if smallest is None else index.place[smallest]
            return found

        for group in groups:
            clock(len(group.cells))
            read = lists.get(id(group.cells))
            if read is None:
                read = lists[id(group.cells)] = index.read(group.cells)
            if not read.lowest:
                continue
            reached = index.reached(read, [seats(rooms, group) for rooms in read.rooms])
            graph.activities += group.activities
            if reached:
                graph.fitting_activities += group.activities
                fitting[reached] = fitting.get(reached, 0) + group.activities
            key = (reached, read.lowest)
            placing[key] = placing.get(key, 0) + group.activities
        node = graph.node
        for reached, count in fitting.items():
            group_node = node(("fitting", reached))
            graph.fitting.add(graph.source, [group_node], count)
            graph.fitting.add(group_node, reached, count)
        for (entered, bottoms), count in placing.items():
            group_node = node(("placing", entered, bottoms))
            graph.placing.add(graph.source, [group_node], count)
            graph.placing.add(group_node, entered, count)
            graph.placing.add(group_node, bottoms, count, 1 if entered else 0)
        return graph


def _rooms_by_cell(groups: Iterable[Alike], clock: _Clock) -> dict[Cell, frozenset[str]]:
    """Every room some activity may take in each cell: each list read once, and each set of
    rooms (shared between the lists of activities alike) joined once per cell."""
    seen: set[int] = set()
    sets: dict[Cell, dict[int, frozenset[str]]] = {}
    for group in groups:
        cells = group.cells
        if id(cells) in seen:
            continue
        seen.add(id(cells))
        clock(len(cells))
        for cell, rooms in cells:
            known = sets.get(cell)
            if known is None:
                sets[cell] = {id(rooms): rooms}
            elif id(rooms) not in known:
                known[id(rooms)] = rooms
    return {cell: frozenset().union(*known.values()) for cell, known in sets.items()}


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
