"""A cell's rankings of its rooms read as arrays, for the flow with an arc per (activity, room).

Why: an activity's cost for a room is its place in the order it wants the cell's rooms in
(``Ladder.order``), and at scale every activity ranks them its own way (its constructed room
first): rC3 at 10,000 events has cells of 79 talks in 79 rooms, and making 79 lists of 79
rooms in Python and laying out the arcs from them took twice what OR-Tools took to solve the
flow. The place of each room is arithmetic on the ladder's lists, the same for every
activity but for where its audience cuts them and where its preferred room stands, so the
places of a cell are made by array operations, one matrix per ladder, and the flow's arcs
are that matrix as it stands: every activity by every room of its ladder.

For an audience ``need`` > 0 that ``at`` rooms with a figure are too small for, a ladder's
columns (``columns``: its rooms without a figure, by name, then those with one by size and
name) take these places in ``Ladder.order``: a room without a figure its place
among them; a room that holds the audience, ``i``-th by size, ``u + i - at`` (``u``: rooms
without a figure); one that does not, ``d``-th by size from the largest, ``u + d`` (the
others come after the ``u + m - at`` that hold it, from the largest, the first of them
``m - at``-th from the largest). With no audience, its place in the ``everything`` list:
the column itself, unless a room has a figure of 0 (sorted there among those without one;
a programme's capacities are positive). A preferred room is then put first of its kind:
the rooms of its kind before it move one place on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from . import augmenting

if TYPE_CHECKING:
    from .slots import Ladder

Wanted = tuple["Ladder", list[tuple[int, int, str | None]]]
"""A ladder (the rooms some activities may use) and those activities, each with its
audience (0: none) and preferred room."""


def columns(ladder: Ladder) -> list[str]:
    """The ladder's rooms in the order of the columns of ``places``."""
    return ladder.unlimited + ladder.ascending


class Layout(NamedTuple):
    """What ``places`` reads of a ladder whatever the audiences, made once per ladder
    (``layout``): a cell's ladder is its pool's, the same in every cell of the pool, and
    making these lists and maps again for each cell was a walk over its rooms each time."""

    unlimited: int
    sizes: Any
    """The sizes of the rooms with a figure, ascending (an array)."""
    down: Any
    """Per room with a figure, by size, its place when it does not hold the audience."""
    where: dict[str, int]
    """Each room's column."""
    every: Any
    """Each column's place when there is no audience (its place in ``everything``)."""


def layout(ladder: Ladder, known: dict[int, Layout] | None = None) -> Layout:
    """The ladder's ``Layout``, kept in ``known`` by the ladder's identity (the caller keeps
    the ladders alive while ``known`` is)."""
    import numpy as np

    found = known.get(id(ladder)) if known is not None else None
    if found is not None:
        return found
    u = len(ladder.unlimited)
    descending = {room: k for k, room in enumerate(ladder.descending)}
    every = {room: k for k, room in enumerate(ladder.everything)}
    made = Layout(
        unlimited=u,
        sizes=np.array(ladder.sizes, dtype=np.int64),
        down=np.array([u + descending[room] for room in ladder.ascending], dtype=np.int64),
        where={room: k for k, room in enumerate(columns(ladder))},
        every=np.array([every[room] for room in columns(ladder)], dtype=np.int64),
    )
    if known is not None:
        known[id(ladder)] = made
    return made


def places(
    ladder: Ladder, wants: list[tuple[int, str | None]], known: dict[int, Layout] | None = None
) -> Any:
    """For each (audience, preferred room) of ``wants``, the place of each of the ladder's
    rooms (``columns``) in ``Ladder.order(need, preferred)``: a matrix of one row per
    entry."""
    return placed(ladder, wants, known)[0]


def placed(
    ladder: Ladder, wants: list[tuple[int, str | None]], known: dict[int, Layout] | None = None
) -> tuple[Any, Any]:
    """``places``, and whether each room holds each entry's audience (a matrix alike)."""
    import numpy as np

    lay = layout(ladder, known)
    u, m = lay.unlimited, len(lay.down)
    width = u + m
    needs = np.array([need for need, _ in wants], dtype=np.int64)
    at = np.searchsorted(lay.sizes, needs, side="left")
    rank = np.arange(m, dtype=np.int64)
    holds = rank[None, :] >= at[:, None]
    place = np.empty((len(wants), width), dtype=np.int64)
    place[:, :u] = np.arange(u, dtype=np.int64)
    place[:, u:] = np.where(holds, u + rank[None, :] - at[:, None], lay.down[None, :])
    fit = np.ones((len(wants), width), dtype=bool)
    fit[:, u:] = holds
    none = needs <= 0
    if none.any():
        place[none] = lay.every
        fit[none] = True
    where = lay.where
    chosen = [(k, where[p]) for k, (_, p) in enumerate(wants) if p is not None and p in where]
    if chosen:
        rows = np.array([k for k, _ in chosen], dtype=np.int64)
        preferred = np.array([c for _, c in chosen], dtype=np.int64)
        every_row = len(rows) == len(wants)  # the rows in place: no copies of the matrices
        moved, kinds = (place, fit) if every_row else (place[rows], fit[rows])
        own = np.arange(len(rows))
        at_place, fits = moved[own, preferred], kinds[own, preferred]
        same = kinds == fits[:, None]
        moved += same & (moved < at_place[:, None])
        holding = kinds.sum(axis=1)
        moved[own, preferred] = np.where(fits, 0, holding)
        if not every_row:
            place[rows] = moved
    return place, fit


def grid_matching(
    groups: list[Wanted], big: int, known: dict[int, Layout] | None = None
) -> dict[int, str]:
    """``row_matching`` of the activities of ``groups`` (a room's cost its place in the
    activity's ``Ladder.order``, ``big`` more when it does not hold the audience), solved as
    the flow with an arc per (activity, room): each group's costs one matrix (``placed``),
    its arcs the grid of its activities by its ladder's columns.

    Why not the arcs in each activity's order of rooms (as the rankings list them): that
    took inverting every ranking and gathering the nodes and costs by it, half the time of a
    CCCamp 2019 cell at 10,000 events beside OR-Tools' solve, for the rooms among ties only;
    the matching is one of least cost, not a particular one of that cost.

    A cell of ``augmenting.WARM_FROM`` rooms or more, where every activity can have a room of
    its own, is solved by shortest augmenting paths from each activity's cheapest room
    (``_warm_matching``) rather than by OR-Tools: its activities nearly all have their
    constructed room at no cost already."""
    import numpy as np

    from .slots import assignment, pair_flow, path_matching

    items = [item for _, members in groups for item, _, _ in members]
    if len(groups) == 1:
        rooms = columns(groups[0][0])
        node = None
    else:
        rooms = sorted(set().union(*(ladder.everything for ladder, _ in groups)))
        node = {room: k for k, room in enumerate(rooms)}
    if not items or not rooms:
        return {}
    if len(rooms) >= augmenting.WARM_FROM and len(items) <= len(rooms):
        warm = _warm_matching(groups, big, known, items, rooms, node)
        if warm is not None:
            return warm
    tails, heads, units = [], [], []
    first = 0
    every_one = True  # every activity has an arc
    for ladder, members in groups:
        place = _room_costs(ladder, members, big, known)
        count, width = place.shape
        every_one = every_one and width > 0
        if node is None:
            nodes = np.arange(width, dtype=np.int32)
        else:
            nodes = np.array([node[room] for room in columns(ladder)], dtype=np.int32)
        tails.append(np.repeat(np.arange(first, first + count, dtype=np.int32), width))
        heads.append(np.tile(nodes, count))
        units.append(place.ravel())
        first += count
    pair_tails, pair_rooms = np.concatenate(tails), np.concatenate(heads)
    pair_units = np.concatenate(units)
    if every_one and len(items) <= len(rooms):
        assigned = assignment(items, rooms, pair_tails, pair_rooms, pair_units)
        if assigned is not None:
            return assigned
    pair_heads = pair_rooms.astype(np.int64) + len(items)
    matched = pair_flow(items, rooms, pair_tails.astype(np.int64), pair_heads, pair_units)
    if matched is not None:
        return matched
    cost: dict[int, dict[str, int]] = {item: {} for item in items}  # no optimum reported
    for t, h, c in zip(pair_tails.tolist(), pair_heads.tolist(), pair_units.tolist(), strict=True):
        cost[items[t]][rooms[h - len(items)]] = c
    return path_matching(cost)


def _warm_matching(
    groups: list[Wanted],
    big: int,
    known: dict[int, Layout] | None,
    items: list[int],
    rooms: list[str],
    node: dict[str, int] | None,
) -> dict[int, str] | None:
    """``grid_matching`` of a wide cell by ``augmenting.least_columns`` on the cell's costs as
    one matrix (a pair outside an activity's ladder ``NO_ARC``); None when some activity
    cannot have a room of its own, or more than one in ``MOST_PATHS_SHARE`` (at least 4)
    find their cheapest room taken, and OR-Tools decides."""
    import numpy as np

    if node is None:  # one ladder: its matrix is the cell's
        ((ladder, members),) = groups
        cost = _room_costs(ladder, members, big, known)
    else:
        cost = np.full((len(items), len(rooms)), augmenting.NO_ARC, dtype=np.int64)
        first = 0
        for ladder, members in groups:
            at = np.array([node[room] for room in columns(ladder)], dtype=np.int64)
            cost[first : first + len(members), at] = _room_costs(ladder, members, big, known)
            first += len(members)
    most = max(4, len(items) // augmenting.MOST_PATHS_SHARE)
    chosen = augmenting.least_columns(cost, most)
    if chosen is None:
        return None
    return {item: rooms[k] for item, k in zip(items, chosen.tolist(), strict=True)}


def _room_costs(
    ladder: Ladder,
    members: list[tuple[int, int, str | None]],
    big: int,
    known: dict[int, Layout] | None,
) -> Any:
    """Each activity's cost of each of the ladder's rooms (``columns``): its place in the
    activity's ranking, ``big`` more where the room does not hold the audience (a matrix)."""
    place, fit = placed(ladder, [(need, preferred) for _, need, preferred in members], known)
    place[~fit] += big
    return place
