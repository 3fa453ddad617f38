"""Exchanges that give a misfit audience a room that holds it, between construction and proof.

Why: with soft capacity the whole objective, a construction that leaves as few audiences
without a fitting room as the count's lower bound is proven optimal without writing the soft
model (``proof.py``). On shapes with a grid per room (FOSDEM 2020, 38C3 scaled up) the greedy
construction is often one or two misfits above the bound, and the soft model it then writes
takes 5 GiB and the whole time limit at 2,000 events. A misfit talk can often take another
cell it may use where a room holds it: moved there while a room is free, or exchanged with a
talk there that fits the misfit's room in return. Each exchange is tried on the cells first
(the rooms matched as after a solve), then kept only when the independent checker finds the
whole timetable valid and with fewer misfits; the pass repeats while that lowers them, in a
fixed order, so the same input gives the same timetable.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..timetable import Timetable
from .build import Build
from .slots import Cell, Choice

Chosen = dict[Cell, list[Choice]]
Move = list[tuple[Choice, Choice]]
"""Talks moved: (the choice it leaves, the choice it takes)."""

GAP_CLOSED = 8
"""The largest gap between the construction's misfits and their lower bound the pass takes
on. Each exchange kept lowers the count by one or two, so a small gap may close and prove the
construction; a construction far above the bound (296 misfits against 2 on one greedy order of
FOSDEM 2020 at 1,000 events) would spend minutes on the chains of every misfit and still
leave the gap to the search."""

TRIES_PER_MISFIT = 4
"""Checker runs allowed per misfit of the construction (each a full check: 0.1-0.5 s at
2,000 events), so the pass stays a small part of the time limit when nothing is found."""


@dataclass
class Exchanged:
    """The timetable after the pass, its cells, its misfits by the checker, and the checks
    it ran."""

    timetable: Timetable
    cells: Chosen
    misfits: int
    checks: int


def exchange(
    build: Build,
    chosen: Chosen,
    timetable: Timetable,
    counted: int,
    misfits: Callable[[Timetable], int | None],
    on_time: Callable[[], None] | None = None,
    lowest: int = 0,
) -> Exchanged | None:
    """Fewer misfits than ``timetable`` (the cells ``chosen``; ``counted`` misfits by the
    checker) has, by moves and exchanges of misfit talks, each kept only when ``misfits``
    (the checker's count; None: not valid, or something else costs) is lower; None when no
    move lowers the count and the timetable stays as it was, or when ``counted`` is more
    than ``GAP_CLOSED`` above ``lowest`` (the count's lower bound). ``on_time`` is called
    before each check and each misfit's chains, so a time limit stops the pass."""
    if build.pooled is None or counted == 0 or counted - lowest > GAP_CLOSED:
        return None
    cells = {cell: list(here) for cell, here in chosen.items()}
    best, checks, tries = counted, 0, TRIES_PER_MISFIT * counted
    current = timetable
    improved = True
    while improved and best > 0 and checks < tries:
        improved = False
        for trial in _candidates(build, cells, current, on_time):
            if checks >= tries:
                break
            if on_time is not None:
                on_time()
            made = build.cells_timetable(trial)
            if made is None:
                continue
            checks += 1
            count = misfits(made)
            if count is not None and count < best:
                cells, current, best, improved = trial, made, count, True
                break
    if best >= counted:
        return None
    return Exchanged(current, cells, best, checks)


DEPTH = 3
"""Talks moved by one chain at most: the misfit, the talk it puts out, and the talk that one
puts out (the largest rooms are often all taken by talks that need them)."""


CHAINS_PER_MISFIT = 2000
"""Chains looked at per misfit talk, in a fixed order (the cells of a talk on a grid per room
number hundreds: every chain of three would be millions)."""


def _candidates(
    build: Build, cells: Chosen, timetable: Timetable, on_time: Callable[[], None] | None
) -> Iterator[Chosen]:
    """Cells after one chain of moves that lowers the misfits of the cells it touches: a
    misfit talk takes a cell where a room holds it; the talk there, if any, takes the misfit's
    old cell, an empty cell where a room holds it, or a taken one whose talk moves on in
    turn. Best first, then in a fixed order; each talk moved finds its people and a room
    free (a first filter only: the checker decides)."""
    pooled = build.pooled
    assert pooled is not None
    people, rooms = _busy(build, timetable)
    found: list[tuple[int, tuple[int, ...], Move]] = []
    before: dict[Cell, int] = {}
    for cell in sorted(cells):
        for missing in _misfits(build, cell, cells[cell]):
            if on_time is not None:
                on_time()
            chains = _chains(build, cells, missing, cell, [], {missing.item.index})
            for move in itertools.islice(chains, CHAINS_PER_MISFIT):
                if not _fits_in(move, people, rooms, pooled.fits):
                    continue  # the cheap filter first: a gain is a matching per cell
                gain = _gain(build, cells, move, before)
                if gain > 0:
                    found.append((-gain, tuple(to.index for _, to in move), move))
    found.sort(key=lambda f: (f[0], f[1]))
    for _, _, move in found:
        yield _moved(cells, move)


def _chains(
    build: Build, cells: Chosen, leaving: Choice, back: Cell, made: Move, seen: set[int]
) -> Iterator[Move]:
    """Every chain that gives ``leaving`` (put out of its cell) a new one: ``back`` (where
    the chain began), an empty cell where a room holds it, or a taken one where a room holds
    it, whose talk moves on (at most ``DEPTH`` talks moved)."""
    pooled = build.pooled
    assert pooled is not None
    for taking in sorted(build.pooled_choices[leaving.item.index], key=lambda c: c.cell):
        if taking.cell == leaving.cell:
            continue
        move = [*made, (leaving, taking)]
        if taking.cell == back and made:
            yield move
            continue
        if not pooled.fits(taking):
            continue
        yield move
        if len(move) >= DEPTH:
            continue
        for occupant in cells.get(taking.cell, []):
            if occupant.item.index not in seen:
                more = seen | {occupant.item.index}
                yield from _chains(build, cells, occupant, back, move, more)


def _gain(build: Build, cells: Chosen, move: Move, before: dict[Cell, int]) -> int:
    """How many fewer misfits the cells the move touches have after it (``before``: each
    cell's misfits as ``cells`` has it, counted once per pass, since every chain through a
    cell asks again and each count is a matching)."""
    touched = {c.cell for pair in move for c in pair}
    after = _moved({cell: cells.get(cell, []) for cell in touched}, move)
    gain = 0
    for cell in touched:
        if cell not in before:
            before[cell] = len(_misfits(build, cell, cells.get(cell, [])))
        gain += before[cell] - len(_misfits(build, cell, after[cell]))
    return gain


def _moved(cells: Chosen, move: Move) -> Chosen:
    changed = dict(cells)
    for leaving, _ in move:
        changed[leaving.cell] = [c for c in changed[leaving.cell] if c is not leaving]
    for _, taking in move:
        changed[taking.cell] = [*changed.get(taking.cell, []), taking]
    return changed


def _misfits(build: Build, cell: Cell, here: list[Choice]) -> list[Choice]:
    """The talks of a cell whose matched room does not hold them."""
    pooled = build.pooled
    assert pooled is not None
    if not here:
        return []
    rooms = pooled.matched_rooms(cell, here)
    return [c for c in here if rooms.get(c.item.index) not in pooled.fits(c)]


def _choice_at(choices: list[Choice], cell: Cell) -> Choice | None:
    return next((c for c in choices if c.cell == cell), None)


Busy = dict[str, list[tuple[int, int, int, str]]]
"""Per person, or per room: (day, start, end, activity) of each talk."""


def _busy(build: Build, timetable: Timetable) -> tuple[Busy, Busy]:
    """Each person's and each room's talks."""
    day_of = {date: day for day, date in enumerate(build.problem.dates)}
    people: Busy = {}
    rooms: Busy = {}
    for item in build.problem.items:
        placed = timetable.get(item.id)
        if placed is None:
            continue
        span = (day_of[placed.date], placed.start, placed.end, item.id)
        for person in item.people:
            people.setdefault(person, []).append(span)
        if placed.room is not None:
            rooms.setdefault(placed.room, []).append(span)
    return people, rooms


def _fits_in(
    move: Move, people: Busy, rooms: Busy, fits: Callable[[Choice], frozenset[str]]
) -> bool:
    """Each talk moved finds its people free and a room free in its new cell (one that holds
    it, for the misfit), the talks moved aside."""
    moving = {leaving.item.id for leaving, _ in move}
    for number, (_, taking) in enumerate(move):
        item, cell = taking.item, taking.cell
        span = (cell.day, cell.start, cell.start + item.duration)
        if any(_overlaps(people.get(p, ()), span, moving) for p in item.people):
            return False
        usable = fits(taking) if number == 0 or fits(taking) else taking.rooms
        if all(_overlaps(rooms.get(r, ()), span, moving) for r in usable):
            return False
    return True


def _overlaps(
    spans: Iterable[tuple[int, int, int, str]], span: tuple[int, int, int], moving: set[str]
) -> bool:
    day, start, end = span
    return any(d == day and s < end and start < e and a not in moving for d, s, e, a in spans)
