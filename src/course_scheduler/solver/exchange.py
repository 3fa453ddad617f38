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
fixed order, so the same input gives the same timetable. A chain must find the people of
each talk it moves, the clash rules that name it and its groups free (where every track has
a clash rule, as on the odd 38C3 shape, a filter on people alone let through only chains the
checker refused), and the chains of a round that touch neither the same cells nor the same
talks are tried together first: one check for a round's gains.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..model import ClashRule, NoOverlapRule
from ..timetable import Timetable
from .build import Build
from .slots import Cell, Choice

Chosen = dict[Cell, list[Choice]]
Move = list[tuple[Choice, Choice]]
"""Talks moved: (the choice it leaves, the choice it takes)."""

GAP_CLOSED = 32
"""The largest gap between the construction's misfits and their lower bound the pass takes
on. A round looks at every misfit's chains (0.1-0.15 s of CPU each on the odd 38C3 shape at
2,000 events) and keeps the chains that do not meet at once, so a gap of ten closed in three
rounds there (4 s); a construction far above the bound (296 misfits against 2 on one greedy
order of FOSDEM 2020 at 1,000 events) would spend a minute a round and is left to the
search. A count, not a time: the same input gives the same timetable on any machine."""

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
    before each check and each misfit's chains, so a time limit stops the pass.

    Each round first tries every chain found that touches no cell and moves no talk another
    chain before it in the order already took, as one timetable (one check for the round's
    gains, not one round per misfit), then the chains one by one as before when the checker
    refuses that one."""
    if build.pooled is None or counted == 0 or counted - lowest > GAP_CLOSED:
        return None
    shared = _shared(build)
    cells = {cell: list(here) for cell, here in chosen.items()}
    best, checks, tries = counted, 0, TRIES_PER_MISFIT * counted
    current = timetable
    improved = True
    while improved and best > lowest and checks < tries:
        improved = False
        people, rooms = _busy(build, current, shared)
        found = _found(build, cells, people, rooms, shared, on_time)
        together = _together(cells, found, people, rooms, build, shared)
        singles = (_moved(cells, move) for move in found)
        for trial in itertools.chain(together, singles):
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


def _together(
    cells: Chosen, found: list[Move], people: Busy, rooms: Busy, build: Build, shared: Shared
) -> list[Chosen]:
    """The cells after every chain of ``found`` (best first) that touches no cell and moves
    no talk an earlier one kept did, and still finds its people, clash rules and groups free
    after them (rooms are a cell's: another chain's cells cannot take them); none when fewer
    than two such chains are found (the chains one by one try that)."""
    pooled = build.pooled
    assert pooled is not None
    busy, touched, moved, kept = dict(people), set[Cell](), set[int](), []
    for move in found:
        here = {c.cell for pair in move for c in pair}
        talks = {leaving.item.index for leaving, _ in move}
        if here & touched or talks & moved or not _fits_in(move, busy, rooms, pooled.fits, shared):
            continue
        _shift(busy, move, shared)
        touched |= here
        moved |= talks
        kept.append(move)
    if len(kept) < 2:
        return []
    after = cells
    for move in kept:
        after = _moved(after, move)
    return [after]


DEPTH = 3
"""Talks moved by one chain at most: the misfit, the talk it puts out, and the talk that one
puts out (the largest rooms are often all taken by talks that need them)."""


CHAINS_PER_MISFIT = 2000
"""Chains looked at per misfit talk, in a fixed order (the cells of a talk on a grid per room
number hundreds: every chain of three would be millions)."""


def _found(
    build: Build,
    cells: Chosen,
    people: Busy,
    rooms: Busy,
    shared: Shared,
    on_time: Callable[[], None] | None,
) -> list[Move]:
    """Chains of moves that lower the misfits of the cells they touch: a misfit talk takes a
    cell where a room holds it; the talk there, if any, takes the misfit's old cell, an empty
    cell where a room holds it, or a taken one whose talk moves on in turn. Best first, then
    in a fixed order; each talk moved finds its people, clash rules, groups and a room free
    (a first filter only: the checker decides)."""
    pooled = build.pooled
    assert pooled is not None
    found: list[tuple[int, tuple[int, ...], Move]] = []
    before: dict[Cell, int] = {}

    def free(taking: Choice, moving: set[str]) -> bool:
        cell, item = taking.cell, taking.item
        span, day = (cell.start, cell.start + item.duration), cell.day
        keys = shared[item.id]
        return not any(_overlaps(people.get((key, day), ()), span, moving) for key in keys)

    for cell in sorted(cells):
        for missing in _misfits(build, cell, cells[cell]):
            if on_time is not None:
                on_time()
            chains = _chains(build, cells, missing, cell, [], {missing.item.index}, free)
            for move in itertools.islice(chains, CHAINS_PER_MISFIT):
                if not _fits_in(move, people, rooms, pooled.fits, shared):
                    continue  # the cheap filter first: a gain is a matching per cell
                gain = _gain(build, cells, move, before)
                if gain > 0:
                    found.append((-gain, tuple(to.index for _, to in move), move))
    found.sort(key=lambda f: (f[0], f[1]))
    return [move for _, _, move in found]


def _chains(
    build: Build,
    cells: Chosen,
    leaving: Choice,
    back: Cell,
    made: Move,
    seen: set[int],
    free: Callable[[Choice, set[str]], bool],
) -> Iterator[Move]:
    """Every chain that gives ``leaving`` (put out of its cell) a new one: ``back`` (where
    the chain began), an empty cell where a room holds it, or a taken one where a room holds
    it, whose talk moves on (at most ``DEPTH`` talks moved). Shortest first: every single
    move, then every chain of two, then of three. Depth first, the first fitting cell's
    chains of three took the whole ``CHAINS_PER_MISFIT`` (1,993 of 2,000 under one cell for
    the last misfit of odd 38C3 at 2,000 events, solver seed 2), and a free cell where a room
    held the misfit, one move away, was never looked at. A cell where ``free`` finds the
    talk's people, clash rules or groups taken (the talks of the chain and of that cell moved
    aside) ends no chain and starts none: where every track has a clash rule, nearly every
    cell is so."""
    order: dict[int, list[Choice]] = {}
    for length in range(len(made) + 1, DEPTH + 1):
        yield from _chains_of(build, cells, leaving, back, made, seen, free, length, order)


def _chains_of(
    build: Build,
    cells: Chosen,
    leaving: Choice,
    back: Cell,
    made: Move,
    seen: set[int],
    free: Callable[[Choice, set[str]], bool],
    length: int,
    order: dict[int, list[Choice]],
) -> Iterator[Move]:
    """The chains of ``_chains`` that move ``length`` talks, in a fixed order (``order``: each
    talk's cells sorted once for all lengths)."""
    pooled = build.pooled
    assert pooled is not None
    moving = {talk.item.id for talk, _ in made} | {leaving.item.id}
    index = leaving.item.index
    if index not in order:
        order[index] = sorted(build.pooled_choices[index], key=lambda c: c.cell)
    for taking in order[index]:
        if taking.cell == leaving.cell:
            continue
        move = [*made, (leaving, taking)]
        occupants = cells.get(taking.cell, [])
        if not free(taking, moving | {o.item.id for o in occupants}):
            continue
        if taking.cell == back and made:
            if len(move) == length:
                yield move
            continue
        if not pooled.fits(taking):
            continue
        if len(move) == length:
            yield move
            continue
        for occupant in occupants:
            if occupant.item.index not in seen:
                more = seen | {occupant.item.index}
                yield from _chains_of(build, cells, occupant, back, move, more, free, length, order)


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


Busy = dict[tuple[str, int], list[tuple[int, int, str]]]
"""Per person, clash rule or group, or per room, and day: (start, end, activity) of each talk
(by day: a clash rule of a huge track names a hundred talks)."""
Shared = dict[str, tuple[str, ...]]
"""Per activity, its people, clash rules and groups (``_shared``)."""


def _shared(build: Build) -> Shared:
    """What each activity shares with others that must not run at once: its people, the
    clash rules that name it, and its groups where a rule keeps a group to one thing at a
    time (38C3's odd shape has a clash rule per huge track: moves that ignored them were all
    refused by the checker)."""
    problem = build.problem
    shared: dict[str, list[str]] = {
        item.id: [f"person {p}" for p in item.people] for item in problem.items
    }
    by_group = any(
        isinstance(rule, NoOverlapRule) and rule.resource == "group" for rule in problem.rules
    )
    for item in problem.items if by_group else ():
        shared[item.id] += [f"group {g}" for g in item.groups]
    for rule in problem.rules:
        if isinstance(rule, ClashRule):
            for ident in dict.fromkeys(rule.activities):
                if ident in shared:
                    shared[ident].append(f"clash {rule.id}")
    return {ident: tuple(keys) for ident, keys in shared.items()}


def _busy(build: Build, timetable: Timetable, shared: Shared) -> tuple[Busy, Busy]:
    """Each person's, clash rule's and group's talks (``shared``), and each room's."""
    day_of = {date: day for day, date in enumerate(build.problem.dates)}
    people: Busy = {}
    rooms: Busy = {}
    for item in build.problem.items:
        placed = timetable.get(item.id)
        if placed is None:
            continue
        day, span = day_of[placed.date], (placed.start, placed.end, item.id)
        for key in shared[item.id]:
            people.setdefault((key, day), []).append(span)
        if placed.room is not None:
            rooms.setdefault((placed.room, day), []).append(span)
    return people, rooms


def _fits_in(
    move: Move,
    people: Busy,
    rooms: Busy,
    fits: Callable[[Choice], frozenset[str]],
    shared: Shared,
) -> bool:
    """Each talk moved finds its people, clash rules and groups free and a room free in its
    new cell (one that holds it, for the misfit), the talks moved aside."""
    moving = {leaving.item.id for leaving, _ in move}
    for number, (_, taking) in enumerate(move):
        item, cell = taking.item, taking.cell
        span = (cell.start, cell.start + item.duration)
        if any(_overlaps(people.get((key, cell.day), ()), span, moving) for key in shared[item.id]):
            return False
        usable = fits(taking) if number == 0 or fits(taking) else taking.rooms
        if all(_overlaps(rooms.get((r, cell.day), ()), span, moving) for r in usable):
            return False
    return not any(_meet(a, b, shared) for a, b in itertools.combinations(move, 2))


def _meet(a: tuple[Choice, Choice], b: tuple[Choice, Choice], shared: Shared) -> bool:
    """Two talks of one chain share a person, clash rule or group and overlap where the chain
    puts them (each was moved aside for the other's check)."""
    x, y = a[1], b[1]
    if x.cell.day != y.cell.day or not set(shared[x.item.id]) & set(shared[y.item.id]):
        return False
    return (
        x.cell.start < y.cell.start + y.item.duration
        and y.cell.start < x.cell.start + x.item.duration
    )


def _shift(people: Busy, move: Move, shared: Shared) -> None:
    """``people`` (``_busy``'s first, or a copy of it) after ``move``: each talk moved off its
    old span and onto its new one, in new lists (a copy's lists are the original's)."""
    for leaving, taking in move:
        item, day = taking.item, taking.cell.day
        span = (taking.cell.start, taking.cell.start + item.duration, item.id)
        for key in shared[item.id]:
            old = (key, leaving.cell.day)
            people[old] = [s for s in people.get(old, ()) if s[2] != item.id]
            people[(key, day)] = [*people.get((key, day), ()), span]


def _overlaps(
    spans: Iterable[tuple[int, int, str]], span: tuple[int, int], moving: set[str]
) -> bool:
    start, end = span
    return any(s < end and start < e and a not in moving for s, e, a in spans)
