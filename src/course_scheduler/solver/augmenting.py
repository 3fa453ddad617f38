"""A least-cost assignment by shortest augmenting paths, started from each row's cheapest column.

Why: a wide contested cell of a construction (SFSCON 2024 scaled to 10,000 events: 302 talks
in 302 rooms) is nearly matched already: nearly every talk's cheapest room is the one the
construction gave it, and only the few talks too large for theirs need a path. OR-Tools'
assignment solves it from scratch by cost scaling, whose rounds grow with the costs' range
(a room too small costs ``big``, the rooms squared, more): 9.5 ms a cell against 1.9 ms
here, 1.2 ms against 0.2 ms for the peer's 126-room cells (benchmarks/README.md, "The check
phase's room matching, sixth pass"). Below about a hundred columns the array passes here
cost more than OR-Tools' whole solve, so the caller keeps OR-Tools there (``WARM_FROM``).

The paths are Dijkstra's over reduced costs (row and column potentials kept feasible, as in
Jonker and Volgenant's method), with every column at the current least distance settled in
one array pass: costs are small integers, so many columns tie.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

NO_ARC = (1 << 62) - 1
"""The cost that marks a (row, column) pair not allowed: far above any total of real costs,
far enough below int64's limit that adding potentials to it cannot overflow."""

MOST_PATHS_SHARE = 8
"""At most one row in this many left to the paths (``least_columns``' ``most_paths``): the
contested cells of the scaled conferences leave one in 11-15 (9 of 104 rows, 21 of 302)."""

WARM_FROM = 100
"""Columns from which a cell's assignment is solved here rather than by OR-Tools: measured
faster from about 75 columns (DebConf 23 scaled: 0.65 against 0.79 ms a cell), slower at
71 (CCCamp 2019 scaled: 0.65 against 0.41 ms)."""


def least_columns(
    cost: npt.NDArray[np.int64], most_paths: int | None = None
) -> npt.NDArray[np.int64] | None:
    """A column for every row of ``cost`` (rows <= columns), no column twice, of least total
    cost; None when no such assignment avoids ``NO_ARC``, or when more than ``most_paths``
    rows find their cheapest column taken (the caller then solves it another way: each of
    those rows costs a path, each path array passes over the columns, and rows alike in
    their costs, 300 of them, took 0.13 s here against 7 ms by OR-Tools).

    Each row starts at its cheapest column unless an earlier row took it; the potentials are
    the rows' minima, so every reduced cost is >= 0 and every start is tight. Each row left
    without a column then takes the shortest path (in reduced costs) to a free column, and
    the potentials move by the path lengths, which keeps them feasible for the next one."""
    import numpy as np

    rows, width = cost.shape
    if rows > width:
        return None
    if rows == 0:
        return np.zeros(0, dtype=np.int64)
    row_potential = cost.min(axis=1)
    if int(row_potential.max()) >= NO_ARC:
        return None
    column_potential = np.zeros(width, dtype=np.int64)
    column_of = np.full(rows, -1, dtype=np.int64)
    row_at = np.full(width, -1, dtype=np.int64)
    for row, column in enumerate(cost.argmin(axis=1).tolist()):
        if row_at[column] < 0:
            column_of[row], row_at[column] = column, row
    left = np.flatnonzero(column_of < 0).tolist()
    if most_paths is not None and len(left) > most_paths:
        return None
    for start in left:
        if not _augment(cost, start, row_potential, column_potential, column_of, row_at):
            return None
    return column_of


def _augment(
    cost: npt.NDArray[np.int64],
    start: int,
    row_potential: npt.NDArray[np.int64],
    column_potential: npt.NDArray[np.int64],
    column_of: npt.NDArray[np.int64],
    row_at: npt.NDArray[np.int64],
) -> bool:
    """Give row ``start`` a column along a shortest augmenting path, updating the potentials
    and the matching in place; False when no free column can be reached.

    A settled column's distance is the level it was settled at (kept per level, not per
    column); the open ones' are in ``open_distance``, the settled ones' there ``NO_ARC``."""
    import numpy as np

    width = cost.shape[1]
    open_distance = cost[start] - row_potential[start] - column_potential
    reached_from = np.full(width, start, dtype=np.int64)
    settled = np.zeros(width, dtype=bool)
    everywhere = np.arange(width)
    levels: list[tuple[npt.NDArray[np.int64], int]] = []
    while True:
        level = int(open_distance.min())
        if level >= NO_ARC // 2:
            return False
        nearest = np.flatnonzero(open_distance == level)
        owners = row_at[nearest]
        free = nearest[owners < 0]
        if len(free):
            end = int(free[0])
            break
        levels.append((nearest, level))
        settled[nearest] = True
        open_distance[nearest] = NO_ARC
        if len(owners) == 1:
            owner = int(owners[0])
            shortest = cost[owner] + (level - row_potential[owner]) - column_potential
            by = owners[0]
        else:
            through = (cost[owners] - row_potential[owners, None]) - column_potential
            best = through.argmin(axis=0)
            shortest = through[best, everywhere] + level
            by = owners[best]
        shortest[settled] = NO_ARC
        shorter = shortest < open_distance
        open_distance = np.where(shorter, shortest, open_distance)
        reached_from = np.where(shorter, by, reached_from)
    for columns, at in levels:
        moved = at - level
        column_potential[columns] += moved
        row_potential[row_at[columns]] -= moved
    row_potential[start] += level
    column = end
    while True:
        row = int(reached_from[column])
        row_at[column] = row
        column, column_of[row] = int(column_of[row]), column
        if row == start:
            return True
