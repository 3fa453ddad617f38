"""A cell's rankings of its rooms read as arrays, for the flow with an arc per (activity, room).

Why: an activity's cost for a room is its place in the order it wants the cell's rooms in
(``Ladder.order``), and at scale every activity ranks them its own way (its constructed room
first): rC3 at 10,000 events has cells of 79 talks in 79 rooms, and making 79 lists of 79
rooms in Python and laying out the arcs from them took twice what OR-Tools took to solve the
flow. The place of each room is arithmetic on the ladder's lists, the same for every
activity but for where its audience cuts them and where its preferred room stands, so the
orders of a cell are made by array operations, one matrix per ladder.

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

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .slots import Ladder

Ranked = tuple["Ladder", int, str | None, int, list[int]]
"""A ladder (the rooms the activities may use), the audience (0: none), the preferred room,
how many of the rooms hold the audience, and the activities that rank the rooms so."""


def columns(ladder: Ladder) -> list[str]:
    """The ladder's rooms in the order of the columns of ``places``."""
    return ladder.unlimited + ladder.ascending


def places(ladder: Ladder, wants: list[tuple[int, str | None]]) -> Any:
    """For each (audience, preferred room) of ``wants``, the place of each of the ladder's
    rooms (``columns``) in ``Ladder.order(need, preferred)``: a matrix of one row per
    entry."""
    import numpy as np

    u, m = len(ladder.unlimited), len(ladder.ascending)
    width = u + m
    needs = np.array([need for need, _ in wants], dtype=np.int64)
    sizes = np.array(ladder.sizes, dtype=np.int64)
    at = np.searchsorted(sizes, needs, side="left")
    column = np.arange(width, dtype=np.int64)
    descending = {room: k for k, room in enumerate(ladder.descending)}
    down = np.array([u + descending[room] for room in ladder.ascending], dtype=np.int64)
    rank = np.arange(m, dtype=np.int64)
    holds = rank[None, :] >= at[:, None]
    place = np.empty((len(wants), width), dtype=np.int64)
    place[:, :u] = column[:u]
    place[:, u:] = np.where(holds, u + rank[None, :] - at[:, None], down[None, :])
    fit = np.ones((len(wants), width), dtype=bool)
    fit[:, u:] = holds
    none = needs <= 0
    if none.any():
        every = {room: k for k, room in enumerate(ladder.everything)}
        place[none] = np.array([every[room] for room in columns(ladder)], dtype=np.int64)
        fit[none] = True
    where = {room: k for k, room in enumerate(columns(ladder))}
    chosen = [(k, where[p]) for k, (_, p) in enumerate(wants) if p is not None and p in where]
    if chosen:
        rows = np.array([k for k, _ in chosen], dtype=np.int64)
        preferred = np.array([c for _, c in chosen], dtype=np.int64)
        moved, kinds = place[rows], fit[rows]
        own = np.arange(len(rows))
        at_place, fits = moved[own, preferred], kinds[own, preferred]
        same = kinds == fits[:, None]
        moved += same & (moved < at_place[:, None])
        holding = kinds.sum(axis=1)
        moved[own, preferred] = np.where(fits, 0, holding)
        place[rows] = moved
    return place


def orders(ladder: Ladder, wants: list[tuple[int, str | None]]) -> Any:
    """``Ladder.order(need, preferred)`` for each entry of ``wants``, as rows of positions in
    ``columns(ladder)``."""
    import numpy as np

    place = places(ladder, wants)
    order = np.empty_like(place)
    columns = np.broadcast_to(np.arange(place.shape[1], dtype=np.int64), place.shape)
    np.put_along_axis(order, place, columns, axis=1)
    return order


def ranked_matching(rows: list[Ranked], big: int) -> dict[int, str]:
    """``row_matching`` of the rows each ``Ladder.order`` makes (a room's cost its place,
    ``big`` more when it does not hold the audience), without making the orders: the same
    arcs, in the same order, as ``flow_matching`` lays out from them."""
    import numpy as np

    from .slots import pair_flow, path_matching

    by_ladder: dict[int, list[int]] = {}
    for k, (ladder, *_) in enumerate(rows):
        by_ladder.setdefault(id(ladder), []).append(k)
    # the rooms of each ladder once: a cell's rows (one per talk, each with a room of its
    # own first) share a few ladders, and reading every row's was rows times rooms
    rooms = sorted(set().union(*(rows[ks[0]][0].everything for ks in by_ladder.values())))
    items = [item for *_, members in rows for item in members]
    if not items or not rooms:
        return {}
    node = {room: len(items) + k for k, room in enumerate(rooms)}
    width = max(len(ladder.everything) for ladder, *_ in rows)  # as many as its columns
    heads = np.zeros((len(rows), width), dtype=np.int64)
    valid = np.zeros((len(rows), width), dtype=bool)
    for ks in by_ladder.values():
        ladder = rows[ks[0]][0]
        nodes = np.array([node[room] for room in columns(ladder)], dtype=np.int64)
        made = orders(ladder, [(rows[k][1], rows[k][2]) for k in ks])
        heads[ks, : len(nodes)] = nodes[made]
        valid[ks, : len(nodes)] = True
    fitting = np.array([row[3] for row in rows], dtype=np.int64)
    place = np.arange(width, dtype=np.int64)
    costs = place[None, :] + big * (place[None, :] >= fitting[:, None])
    counts = np.array([len(row[4]) for row in rows], dtype=np.int64)
    valid = np.repeat(valid, counts, axis=0)
    pair_heads = np.repeat(heads, counts, axis=0)[valid]
    pair_units = np.repeat(costs, counts, axis=0)[valid]
    pair_tails = np.repeat(np.arange(len(items), dtype=np.int64), valid.sum(axis=1))
    matched = pair_flow(items, rooms, pair_tails, pair_heads, pair_units)
    if matched is not None:
        return matched
    cost: dict[int, dict[str, int]] = {item: {} for item in items}  # no optimum reported
    for t, h, c in zip(pair_tails.tolist(), pair_heads.tolist(), pair_units.tolist(), strict=True):
        cost[items[t]][rooms[h - len(items)]] = c
    return path_matching(cost)
