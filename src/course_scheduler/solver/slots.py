"""Rooms with slot grids, pooled: an activity picks a (pool, day, slot) cell, rooms come after.

Why: with an optional interval per candidate room, every room's NoOverlap holds nearly every
activity of a multi-track event and CP-SAT's disjunctive propagation stalls (benchmarks/README.md:
no timetable for 400 events in 120 s, against under 2 s this way). Rooms of one venue that share a
slot grid are interchangeable in time, so an activity chooses one cell (pool, day, slot start)
with a literal, a room rule only bounds how many activities a cell holds, and rooms are matched
to activities after each solve. Counting is not always enough (a room barred for some
activities, capacities): then the matching finds a set of rooms too few for the activities that
can only use them (Hall's theorem), a cut says so, and the solve runs again with it.

Only rooms whose slots do not overlap qualify (an activity then starts at a slot start and ends
inside it, so two cells of a pool never overlap), and only when every activity that may use the
room qualifies too: a room shared with an interval-modelled activity stays with intervals. An
activity a ``same_room`` rule names is interval-modelled: its room is a choice the rule reads.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, NamedTuple

from ..compile import Item, Problem
from ..model import NoOverlapRule, SameRoomRule, Severity
from ..rules.overlap import audience


@dataclass(frozen=True)
class Pool:
    venue: str | None
    grid: tuple[tuple[int, int], ...]
    rooms: tuple[str, ...]


class Cell(NamedTuple):
    pool: int
    day: int
    start: int


@dataclass(slots=True, eq=False)
class Choice:
    """One cell an activity may take, and the rooms of the pool it may use there (compared by
    identity; hundreds of thousands are made, so a plain slotted class)."""

    literal: Any
    item: Item
    cell: Cell
    rooms: frozenset[str]


CellOptions = list[tuple[Cell, frozenset[str]]]


@dataclass
class PoolPlan:
    """Which rooms are pooled (and into which pool) and which activities use the pools."""

    pools: list[Pool]
    pool_of: dict[str, int]
    items: frozenset[int]
    _cells: dict[tuple[Any, ...], CellOptions] = field(default_factory=dict)
    _open: dict[tuple[int, int, int, int], frozenset[str]] = field(default_factory=dict)
    _ends: dict[int, dict[int, int]] = field(default_factory=dict)

    def cells(self, problem: Problem, item: Item, start: int | None) -> CellOptions:
        """The cells ``item`` may take (only slot starts equal to ``start`` when given).

        Activities alike in length, rooms, days, venues and barred windows share one answer:
        in a multi-track programme most of them are alike, and the scan over every pool, day
        and slot is the costly part of building the model."""
        key = (item.duration, item.rooms, item.options, item.barred, start)
        cells = self._cells.get(key)
        if cells is None:
            cells = self._cells[key] = self._scan(problem, item, start)
        return cells

    def _scan(self, problem: Problem, item: Item, start: int | None) -> CellOptions:
        venues: dict[int, set[str | None]] = defaultdict(set)
        for day, venue in item.options:
            venues[day].add(venue)
        by_pool: dict[int, list[str]] = defaultdict(list)
        for room in item.rooms:
            by_pool[self.pool_of[room]].append(room)
        bars: dict[int, list[tuple[int, int, str | None]]] = defaultdict(list)
        for day, begin, end, barred_room in item.barred:
            bars[day].append((begin, end, barred_room))
        cells = []
        for day in item.days:
            for index, rooms in sorted(by_pool.items()):
                pool = self.pools[index]
                if pool.venue not in venues[day]:
                    continue
                everywhere = frozenset(rooms)
                for slot_start, slot_end in pool.grid:
                    if slot_end - slot_start < item.duration:
                        continue
                    if start is not None and slot_start != start:
                        continue
                    finish = slot_start + item.duration
                    allowed = everywhere & self.open_rooms(problem, index, day, slot_start, finish)
                    for b, e, barred in bars[day]:
                        if b < finish and slot_start < e:
                            allowed = frozenset() if barred is None else allowed - {barred}
                    if allowed:
                        cells.append((Cell(index, day, slot_start), allowed))
        return cells

    def slot_end(self, cell: Cell) -> int:
        """When the slot a cell stands for ends."""
        ends = self._ends.get(cell.pool)
        if ends is None:
            ends = self._ends[cell.pool] = dict(self.pools[cell.pool].grid)
        return ends[cell.start]

    def open_rooms(
        self, problem: Problem, pool: int, day: int, start: int, end: int
    ) -> frozenset[str]:
        """The rooms of ``pool`` not closed at any time in [start, end) on ``day``."""
        key = (pool, day, start, end)
        rooms = self._open.get(key)
        if rooms is None:
            closed = problem.room_closed
            rooms = self._open[key] = frozenset(
                room
                for room in self.pools[pool].rooms
                if not any(d == day and b < end and start < e for d, b, e in closed.get(room, ()))
            )
        return rooms


def plan_pools(problem: Problem) -> PoolPlan | None:
    """Pool the rooms that qualify; None when none does (or a soft room rule needs intervals)."""
    rules = [r for r in problem.rules if isinstance(r, NoOverlapRule) and r.resource == "room"]
    if any(r.severity == Severity.SOFT for r in rules):
        return None
    gridded = {room for room, slots in problem.room_slots.items() if _disjoint(slots)}
    together = {x for r in problem.rules if isinstance(r, SameRoomRule) for x in r.activities}
    pooled = {
        i.index
        for i in problem.items
        if i.rooms
        and not i.elastic
        and i.id not in together  # one room for several: a room literal each, not a count
        and all(r in gridded for r in i.rooms)
    }
    while True:
        shared = {r for i in problem.items if i.index not in pooled for r in i.rooms}
        kept = {i for i in pooled if not shared.intersection(problem.items[i].rooms)}
        if kept == pooled:
            break
        pooled = kept
    if not pooled:
        return None
    rooms = sorted({r for i in pooled for r in problem.items[i].rooms})
    keys: dict[tuple[str | None, tuple[tuple[int, int], ...]], list[str]] = defaultdict(list)
    for room in rooms:
        keys[(problem.room_venue.get(room), tuple(sorted(problem.room_slots[room])))].append(room)
    pools = [Pool(venue, grid, tuple(members)) for (venue, grid), members in keys.items()]
    pool_of = {room: index for index, pool in enumerate(pools) for room in pool.rooms}
    return PoolPlan(pools, pool_of, frozenset(pooled))


def _bound(
    model: Any,
    usable: list[tuple[Any, frozenset[str]]],
    everything: frozenset[str],
    guard: list[Any],
    slack: Any = 0,
) -> None:
    """For each set of rooms some activity is limited to (and for all of them): at most that
    many activities limited to it, plus ``slack``. Necessary by Hall's theorem; the cuts add
    what is missing."""
    by_rooms: dict[frozenset[str], list[Any]] = {}
    for literal, rooms in usable:
        by_rooms.setdefault(rooms, []).append(literal)
    subsets = dict.fromkeys([*by_rooms, *([everything] if everything else [])])  # in order
    for subset in subsets:
        inside = [rooms for rooms in by_rooms if rooms <= subset]
        if sum(len(by_rooms[rooms]) for rooms in inside) > len(subset):
            members = [literal for rooms in inside for literal in by_rooms[rooms]]
            model.add(sum(members) <= len(subset) + slack).only_enforce_if(guard)


Spans = dict[tuple[int, int], list[Any]]
"""An activity's cell literals by the time they give it: (start, end) in absolute minutes."""


def time_cliques(members: list[Spans]) -> list[list[Any]]:
    """At most one of several activities at any moment, over their cell literals.

    Two intervals overlap exactly when both contain the later start, so "at most one literal
    whose interval covers t" for every start t says it all (intervals have the Helly property);
    a point whose intervals are a subset of a neighbour's adds nothing and is dropped.
    Clause-like at-most-one constraints propagate as soon as a literal is set, where a NoOverlap
    over intervals whose starts have holes waits for bounds to move (and stalled on the denser
    conference instances, benchmarks/README.md)."""
    spans = [
        (start, end, k, literals)
        for k, m in enumerate(members)
        for (start, end), literals in m.items()
    ]
    spans.sort(key=lambda x: x[:3])
    points = sorted({span[0] for span in spans})
    covering: list[list[int]] = []
    running: list[int] = []
    nxt = 0
    for t in points:
        running = [j for j in running if spans[j][1] > t]
        while nxt < len(spans) and spans[nxt][0] <= t:
            running.append(nxt)
            nxt += 1
        covering.append(running)
    sets = [frozenset(here) for here in covering]
    cliques = []
    for j, here in enumerate(covering):
        if len({spans[x][2] for x in here}) < 2 or (j and sets[j] == sets[j - 1]):
            continue
        if any(sets[j] < sets[n] for n in (j - 1, j + 1) if 0 <= n < len(sets)):
            continue
        cliques.append([literal for x in here for literal in spans[x][3]])
    return cliques


def _disjoint(slots: tuple[tuple[int, int], ...]) -> bool:
    ordered = sorted(slots)
    return all(a[1] <= b[0] for a, b in pairwise(ordered))


@dataclass
class CapacityLimit:
    """A capacity rule as it applies to pooled activities: hard (guard) or soft (weight)."""

    guard: list[Any]
    weight: int | None


@dataclass
class PooledRooms:
    """The pooled part of one model: choices per cell, the room and capacity rules on them,
    and the matching of rooms after a solve."""

    problem: Problem
    plan: PoolPlan
    model: Any
    choices: dict[Cell, list[Choice]] = field(default_factory=lambda: defaultdict(list))
    exclusive: list[list[Any]] = field(default_factory=list)
    capacity: list[CapacityLimit] = field(default_factory=list)
    short: dict[Cell, Any] = field(default_factory=dict)
    """Soft capacity: per cell, how many activities that fit some room find none free."""
    preferred: dict[int, str] = field(default_factory=dict)
    explain: bool = False
    """Building a model for explanations: no implied bound that needs the room rule."""
    inexact: bool = False
    _need: dict[int, int | None] = field(default_factory=dict)
    _fits: dict[tuple[frozenset[str], int], frozenset[str]] = field(default_factory=dict)
    _matched: dict[Cell, tuple[tuple[int, ...], dict[int, str]]] = field(default_factory=dict)
    _orders: dict[tuple[frozenset[str], int, str | None], list[str]] = field(default_factory=dict)

    def make_exclusive(self, guard: list[Any]) -> None:
        """A room rule holds (under ``guard``): one activity per room and cell."""
        self.exclusive.append(guard)

    def limit_capacity(self, guard: list[Any] | None = None, weight: int | None = None) -> None:
        """A capacity rule holds: hard under ``guard``, or soft at ``weight`` per audience
        that does not fit its room."""
        self.capacity.append(CapacityLimit(guard or [], weight))

    def rooms(self, cell: Cell) -> tuple[str, ...]:
        return self.plan.pools[cell.pool].rooms

    def need(self, item: Item) -> int | None:
        try:
            return self._need[item.index]
        except KeyError:
            need = self._need[item.index] = audience(self.problem, item)
            return need

    def fits(self, choice: Choice) -> frozenset[str]:
        """The rooms of ``choice`` that hold its audience (all of them without a figure)."""
        need = self.need(choice.item)
        if need is None:
            return choice.rooms
        key = (choice.rooms, need)
        fit = self._fits.get(key)
        if fit is None:
            capacity = self.problem.room_capacity
            fit = frozenset(
                r for r in choice.rooms if (size := capacity.get(r)) is None or size >= need
            )
            self._fits[key] = fit
        return fit

    # --- posting, once every rule has said what it needs -----------------------------------

    def post(self, penalty_counts: list[tuple[int, Any, int]]) -> None:
        hard = [c.guard for c in self.capacity if c.weight is None]
        soft = [c.weight for c in self.capacity if c.weight is not None]
        if self.problem.programme.objective.soft_rules == 0:
            soft = []  # soft rules cost nothing in this objective: no need to count them
        for cell, choices in self.choices.items():
            by_rooms = [(c.literal, c.rooms) for c in choices]
            by_fit = [(c.literal, self.fits(c)) for c in choices] if hard or soft else []
            for guard in hard:
                for literal, fit in by_fit:
                    if not fit:
                        self.model.add_bool_or([literal.Not()]).only_enforce_if(guard)
            for guard in self.exclusive:
                _bound(self.model, by_rooms, frozenset(self.rooms(cell)), guard)
                for capacity_guard in hard:
                    _bound(self.model, by_fit, frozenset(), [*guard, *capacity_guard])
            if soft and self.exclusive:
                self._short_of_rooms(cell, [(lit, fit) for lit, fit in by_fit if fit])
        if soft:
            self._count_unfit(soft, penalty_counts)

    def _short_of_rooms(self, cell: Cell, by_fit: list[tuple[Any, frozenset[str]]]) -> None:
        """Soft capacity, one room per activity: the activities of a cell that fit some room
        but find none free, at least (activities limited to a set of rooms) - (its size)."""
        if not by_fit:
            return
        short = self.model.new_int_var(0, len(by_fit), f"short_{cell}")
        self.short[cell] = short
        _bound(self.model, by_fit, frozenset(), [], slack=short)

    def _count_unfit(self, weights: list[int], penalty_counts: list[tuple[int, Any, int]]) -> None:
        """Soft capacity as one count: activities placed where no room holds their audience,
        plus, per cell, those left without a room that holds them.

        An activity that fits no room anywhere is a constant (the solver need not prove that
        the sum of its cells is one). The count's lower bound is what a maximum matching of
        activities to the (room, day, slot) places that hold them leaves over: no timetable
        does better, and as the domain of the count it becomes the objective's bound at once
        (the peer's 400-event instance: proven optimal in about a second, not in 120 s)."""
        unfit: dict[int, list[Any]] = defaultdict(list)
        total: dict[int, int] = defaultdict(int)
        for choices in self.choices.values():
            for choice in choices:
                total[choice.item.index] += 1
                if not self.fits(choice):
                    unfit[choice.item.index].append(choice.literal)
        never = sum(1 for index, literals in unfit.items() if len(literals) == total[index])
        misplaced = [lit for i, lits in unfit.items() if len(lits) < total[i] for lit in lits]
        upper = len(misplaced) + sum(len(self.choices[cell]) for cell in self.short)
        lower = self.fitting_shortfall() if self.exclusive and not self.explain else 0
        count = self.model.new_int_var(min(lower, upper), upper, "unfit_audiences")
        self.model.add(count == sum(misplaced) + sum(self.short.values()))
        for weight in weights:
            penalty_counts.append((weight, count + never, upper + never))

    def fitting_shortfall(self) -> int:
        """How many activities that fit some place cannot all have one: those a maximum
        matching to the (room, day, slot) places holding their audience leaves out. 0 when the
        graph is too large to be worth it."""
        size = sum(len(self.fits(c)) for choices in self.choices.values() for c in choices)
        if size > MATCHING_LIMIT:
            return 0
        places: dict[int, set[tuple[int, int, str]]] = defaultdict(set)
        for cell, choices in self.choices.items():
            for choice in choices:
                for room in self.fits(choice):
                    places[choice.item.index].add((cell.day, cell.start, room))
        return len(places) - len(maximum_matching(places))

    def fix_rooms(self, placed: list[tuple[Choice, str | None]]) -> None:
        """A timetable's own rooms, for checking it as a point of the model: the counting
        bounds cannot see two activities given the same room, or an audience too large."""
        taken: dict[tuple[Cell, str], int] = defaultdict(int)
        unfit: dict[Cell, int] = defaultdict(int)
        hard = [c.guard for c in self.capacity if c.weight is None]
        false = self.model.new_constant(0)
        for choice, room in placed:
            if room is None:
                continue
            taken[(choice.cell, room)] += 1
            if room not in self.fits(choice):
                unfit[choice.cell] += 1 if self.fits(choice) else 0
                for guard in hard:
                    self.model.add_bool_or([false]).only_enforce_if(guard)
        if any(count > 1 for count in taken.values()):
            for guard in self.exclusive:
                self.model.add_bool_or([false]).only_enforce_if(guard)
        for cell, count in unfit.items():
            short = self.short.get(cell)
            if short is not None:
                self.model.add(short >= count)

    # --- after a solve ------------------------------------------------------------------------

    def chosen(self, is_true: Any) -> dict[Cell, list[Choice]]:
        taken: dict[Cell, list[Choice]] = {}
        for cell, choices in self.choices.items():
            here = [c for c in choices if is_true(c.literal)]
            if here:
                taken[cell] = here
        return taken

    def assign(self, chosen: dict[Cell, list[Choice]]) -> dict[int, tuple[Cell, str]]:
        """Rooms for the chosen cells: every activity a room it may use, each room once when a
        room rule holds, as many audiences fitting as possible, smallest fitting room first.
        A cell ``cuts`` has just matched for this answer is not matched again."""
        rooms: dict[int, tuple[Cell, str]] = {}
        strict = self._strict()
        for cell, here in chosen.items():
            key = tuple(c.item.index for c in here)
            known = self._matched.get(cell)
            if known is not None and known[0] == key:
                matched = known[1]
            else:
                matched = self._match(cell, here, self._edges(here, strict))
            for choice in here:
                room = matched.get(choice.item.index)
                if room is None:  # no room rule: rooms may be shared
                    usable = self.fits(choice) if strict else choice.rooms
                    room = self._rank(choice, usable)[0]
                rooms[choice.item.index] = (cell, room)
        return rooms

    def _strict(self) -> bool:
        """Every capacity rule is hard: rooms too small are no option at all."""
        return bool(self.capacity) and all(c.weight is None for c in self.capacity)

    def _edges(self, here: list[Choice], strict: bool) -> dict[int, frozenset[str]]:
        return {c.item.index: (self.fits(c) if strict else c.rooms) for c in here}

    @property
    def rooms_exclusive(self) -> bool:
        """A hard room rule holds (unguarded): one activity per room and cell."""
        return any(not guard for guard in self.exclusive)

    def room_order(self, choice: Choice) -> list[str]:
        """The rooms a construction may give ``choice``, best first (smallest that holds the
        audience); only those that hold it when a hard capacity rule says so."""
        hard = any(c.weight is None and not c.guard for c in self.capacity)
        return self._rank(choice, self.fits(choice) if hard else choice.rooms)

    def _rank(self, choice: Choice, usable: frozenset[str]) -> list[str]:
        """``usable`` best first; the same for every activity with that audience and
        preference, so computed once for them."""
        need = self.need(choice.item) or 0
        preferred = self.preferred.get(choice.item.index)
        order = self._orders.get((usable, need, preferred))
        if order is not None:
            return order
        capacity = self.problem.room_capacity

        def key(room: str) -> tuple[int, int, int, str]:
            """Rooms that hold the audience, smallest first; then the others, largest first
            (450 people are better off in 400 seats than in 60)."""
            size = capacity.get(room)
            if size is None or size >= need:
                return (0, 0 if room == preferred else 1, size or 0, room)
            return (1, 0 if room == preferred else 1, -size, room)

        order = self._orders[(usable, need, preferred)] = sorted(usable, key=key)
        return order

    def _match(
        self, cell: Cell, here: list[Choice], edges: dict[int, frozenset[str]]
    ) -> dict[int, str]:
        orders = {c.item.index: self._rank(c, edges[c.item.index]) for c in here}
        firsts = {i: order[0] for i, order in orders.items() if order}
        if len(firsts) == len(orders) and len(set(firsts.values())) == len(firsts):
            return firsts  # each its best room, no two the same: nothing costs less
        cost = {i: {room: rank for rank, room in enumerate(order)} for i, order in orders.items()}
        big = len(self.rooms(cell)) ** 2 + 1
        for c in here:
            fit = self.fits(c)
            for room in cost[c.item.index]:
                if room not in fit:
                    cost[c.item.index][room] += big
        return min_cost_matching(cost)

    def cuts(self, solver: Any, chosen: dict[Cell, list[Choice]]) -> bool:
        """Add the cuts the solver's answer (``chosen``: its cells) breaks; True when there were
        any. ``inexact`` tells whether the answer's soft capacity cost is higher than the model
        counted. Each cell's room matching is kept for ``assign``."""
        self.inexact = False
        self._matched = {}
        if not self.exclusive:
            return False
        added = False
        strict = self._strict()
        hard = [c.guard for c in self.capacity if c.weight is None]
        for cell, here in chosen.items():
            fits = {c.item.index: self.fits(c) for c in here}
            by_rooms = {c.item.index: c.rooms for c in here}
            assigned = fits if strict else by_rooms
            matched = self._match(cell, here, assigned)
            self._matched[cell] = (tuple(c.item.index for c in here), matched)
            complete = len(matched) == len(here)
            graphs: list[tuple[dict[int, frozenset[str]], list[Any], Any]] = [
                (by_rooms, [], lambda c: c.rooms)
            ]
            for guard in hard:
                graphs.append((fits, guard, self.fits))
            for edges, extra, usable in graphs:
                if complete and (edges is by_rooms or strict):
                    continue  # every activity has a room of its own: no set of rooms is short
                short = hall_violator(edges, matched if edges is assigned else None)
                if short is None:
                    continue
                members = [c.literal for c in self.choices[cell] if usable(c) <= short]
                for guard in self.exclusive:
                    self.model.add(sum(members) <= len(short)).only_enforce_if([*guard, *extra])
                added = True
            short_var = self.short.get(cell)
            if short_var is None or added:
                continue
            counted = solver.value(short_var)
            fitting = {i: f for i, f in fits.items() if f}
            fitting_matched = _matching(fitting)
            short = hall_violator(fitting, fitting_matched)
            if short is not None and len(fitting) - len(fitting_matched) > counted:
                members = [
                    c.literal for c in self.choices[cell] if self.fits(c) and self.fits(c) <= short
                ]
                self.model.add(sum(members) - len(short) <= short_var)
                added = True
                continue
            unfit = sum(
                1
                for c in here
                if fits[c.item.index] and matched.get(c.item.index) not in fits[c.item.index]
            )
            self.inexact = self.inexact or unfit > counted
        return added


def min_cost_matching(cost: dict[int, dict[str, int]]) -> dict[int, str]:
    """A maximum matching of activities to rooms of least total cost among maximum ones.

    Successive shortest augmenting paths (queue-based Bellman-Ford on the residual graph): the
    cells are small (a pool's rooms, its activities), so this stays well under a millisecond.
    """
    owner: dict[str, int] = {}
    room_of: dict[int, str] = {}
    while True:
        item_dist = {i: 0 for i in cost if i not in room_of}
        if not item_dist:
            break
        room_dist: dict[str, int] = {}
        reached_from: dict[str, int] = {}  # room -> the activity that reaches it
        came_by: dict[int, str] = {}  # taken activity -> the room it would give up
        queue: deque[int] = deque(item_dist)
        while queue:
            item = queue.popleft()
            for room, c in cost[item].items():
                if room_of.get(item) == room:
                    continue
                d = item_dist[item] + c
                if d >= room_dist.get(room, _FAR):
                    continue
                room_dist[room] = d
                reached_from[room] = item
                holder = owner.get(room)
                if holder is not None and d - cost[holder][room] < item_dist.get(holder, _FAR):
                    item_dist[holder] = d - cost[holder][room]
                    came_by[holder] = room
                    queue.append(holder)
        free = [r for r in room_dist if r not in owner]
        if not free:
            break
        room = min(free, key=lambda r: (room_dist[r], r))
        while True:
            item = reached_from[room]
            previous = came_by.get(item) if item in room_of else None
            owner[room] = item
            room_of[item] = room
            if previous is None:
                break
            room = previous
    return room_of


_FAR = 1 << 60


MATCHING_LIMIT = 1_000_000
"""(activity, room, slot) pairs above which the capacity bound is not computed: building and
matching them would cost more than the bound saves (about 1 s per million in Python)."""


def maximum_matching(
    edges: dict[int, set[tuple[int, int, str]]],
) -> dict[int, tuple[int, int, str]]:
    """A maximum matching of activities to places (large graphs: thousands of activities).

    Greedy first, then one breadth-first augmenting path per activity left over (Kuhn): on
    these instances almost every activity is matched greedily, so few searches are needed."""
    owner: dict[tuple[int, int, str], int] = {}
    place_of: dict[int, tuple[int, int, str]] = {}
    order = sorted(edges, key=lambda i: (len(edges[i]), i))
    for item in order:
        free = next((p for p in edges[item] if p not in owner), None)
        if free is not None:
            owner[free] = item
            place_of[item] = free
    for item in order:
        if item in place_of:
            continue
        came_from: dict[tuple[int, int, str], int] = {}
        queue = deque([item])
        seen_items = {item}
        end = None
        while queue and end is None:
            current = queue.popleft()
            for place in edges[current]:
                if place in came_from:
                    continue
                came_from[place] = current
                holder = owner.get(place)
                if holder is None:
                    end = place
                    break
                if holder not in seen_items:
                    seen_items.add(holder)
                    queue.append(holder)
        while end is not None:
            taker = came_from[end]
            previous = place_of.get(taker)
            owner[end] = taker
            place_of[taker] = end
            end = previous
    return place_of


def _matching(edges: dict[int, frozenset[str]]) -> dict[int, str]:
    return min_cost_matching({i: dict.fromkeys(rooms, 0) for i, rooms in edges.items()})


def hall_violator(
    edges: dict[int, frozenset[str]], matching: dict[int, str] | None = None
) -> frozenset[str] | None:
    """Rooms fewer than the activities limited to them, or None when all can be matched
    (``matching``: a maximum matching of ``edges``, when already at hand).

    From an activity a maximum matching leaves out, the rooms reachable by alternating paths
    are all taken, and every activity that reaches them can use only them: one more activity
    than rooms (König)."""
    if matching is None:
        matching = _matching(edges)
    owner = {room: item for item, room in matching.items()}
    left = [i for i in edges if i not in matching]
    if not left:
        return None
    seen_rooms: set[str] = set()
    queue = deque([left[0]])
    while queue:
        item = queue.popleft()
        for room in edges[item]:
            if room not in seen_rooms:
                seen_rooms.add(room)
                queue.append(owner[room])
    return frozenset(seen_rooms)
