"""Problem → CP-SAT model: one start per activity, domains for windows, literals for choices.

Time is absolute: ``start = 1440 * day + time_of_day``, so a single NoOverlap per group or person
covers the whole course and only rules about "the same day" need day literals. Candidate
(day, venue) options and rooms are literals with exactly one chosen; rooms get optional
intervals. Every rule is posted by its own module in ``rules/`` through this object.
Rooms with slot grids are pooled instead (``slots.py``): a literal per (pool, day, slot) cell,
rooms matched after the solve.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from ..compile import Item, Problem
from ..model import Rule, Severity
from ..rules import REGISTRY
from ..rules.base import need_expression
from ..structure import post_block_order, post_open_ends
from ..timetable import Placement, Timetable, new_placement
from . import bulk
from .budget import Budget
from .slots import (
    Cell,
    Choice,
    Choices,
    Options,
    PooledRooms,
    Spans,
    plan_pools,
    time_cliques,
)

DAY = 24 * 60
LOAD_PER_VARIABLE = 2e-6
"""Seconds CP-SAT takes to load a model, per variable (a pooled conference's literals; 1.1
million took about 2 s of a solve at 10,000 events)."""
LOAD_SLACK = 5.0
"""How much longer than the size's estimate loading a model may be found to take (a shared
machine under load is several times slower than the one the estimate was measured on)."""


def solution(solver: cp_model.CpSolver) -> list[int]:
    """Every variable's value in the solver's last answer, read at once (by variable index):
    one call per literal cost half a second for 460,000 cell literals."""
    return list(solver.response_proto.solution)


def hint_values(model: Any, values: list[int]) -> None:
    """Every variable of ``model`` hinted at its value in ``values`` (an answer of it, by
    variable index), replacing any hint: a complete hint CP-SAT starts its search from."""
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


@dataclass
class Assumption:
    """A named, removable part of the model, for explanations: a rule (or one of its parts) or a pin."""

    literal: Any
    rule: str
    key: str | None
    line: int | None


@dataclass
class Build:
    problem: Problem
    unpinned: frozenset[str] = frozenset()
    explain: bool = False
    hard_only: bool = False
    """Leave the soft rules out: a lighter model, to find a first timetable or prove none."""
    pool_rooms: bool = True
    """Pool rooms with slot grids (``slots.py``); False keeps an optional interval per room."""
    cliques: bool = True
    """Keep pooled activities apart with at-most-one per moment (``apart``); False: NoOverlap."""
    _held: bulk.Held = field(
        default_factory=lambda: bulk.Held(cp_model.CpModel()), init=False, repr=False
    )
    penalties: list[tuple[int, Any]] = field(default_factory=list)
    penalty_counts: list[tuple[int, Any, int]] = field(default_factory=list)
    defaults: dict[str, list[tuple[int, Any]]] = field(default_factory=dict)
    """The planner defaults' soft literals by rule kind: (weight, literal), kept apart from the
    file's soft rules because they rank elsewhere in the objective, each a term of its own."""
    default_counts: dict[str, list[tuple[int, Any, int]]] = field(default_factory=dict)
    """Planner defaults that count more than one break, by rule kind: (weight, integer
    expression, its upper bound)."""
    assumptions: list[Assumption] = field(default_factory=list)
    kept_costs: list[Any] = field(default_factory=list)
    """One literal per error the file forces that the timetable keeps as the file has it
    (``Problem.kept_at``): a solve mends such an error when nothing of the day's skeleton
    costs more (the *skeleton* rank, ``kept_errors``)."""
    apart_groups: list[list[int]] = field(default_factory=list)
    """Pooled activities that a hard rule keeps apart in time (for the construction)."""
    apart_reasons: list[tuple[str, str | None]] = field(default_factory=list)
    """For each of ``apart_groups``, in order: the rule that keeps it apart and its key
    (the person, the group), for the sentence of a proof that it cannot be
    (``overrun.py``)."""
    budget: Budget | None = None
    """The solve's time limit: building stops (``OutOfTime``) when it runs out."""
    defer: bool = False
    """Hold back the largest part of a pooled model (cliques, the cells' room bounds) until
    ``finish``: a construction needs none of it, and when a checked construction is the
    answer (no objective) it is never written (half the build of a 10,000-event
    conference); a repair whose activities cannot all have a room is answered before it is
    written (``shortage.py``)."""

    def __post_init__(self) -> None:
        self._held.on_time = self.budget.check if self.budget is not None else None
        self.true = self.model.new_bool_var("true")
        self.model.add(self.true == 1)
        self.true_index = bulk.index_of(self.true)
        self._day: dict[int, Any] = {}
        self._tod: dict[int, Any] = {}
        self._start: dict[int, Any] = {}
        self._interval: dict[int, Any] = {}
        self._length: dict[int, Any] = {}
        self._end: dict[int, Any] = {}
        self._end_of_fixed_length: dict[int, Any] = {}
        self._needs: dict[tuple[int, int], Any] = {}
        self._on_day: dict[tuple[int, int], Any] = {}
        self._options: dict[int, list[tuple[Any, int, str | None]]] = {}
        self._rooms: dict[int, list[tuple[Any, str]]] = {}
        self._same: dict[tuple[int, int], Any] = {}
        self._before: dict[tuple[int, int], Any] = {}
        self._module_day: dict[str, Any] = {}
        self._guards: dict[tuple[str, str | None], Any] = {}
        self._kept_here: dict[tuple[str, frozenset[str]], Any] = {}
        self._soft: dict[tuple[str, str], Any] = {}
        self._answer: tuple[Any, dict[Cell, list[Choice]]] | None = None
        self._by_span: dict[int, Spans] = {}
        self._pending: list[tuple[list[Item], list[Any]]] = []
        self.finished = False
        self.load: float | None = None
        """The quickest solve so far, in seconds: no solve is quicker than loading the
        model into CP-SAT (seconds at 10,000 events, whatever the solve's time limit)."""
        self._modules_apart = not self.explain and any(
            r.kind == "module_day" and r.severity == Severity.HARD for r in self.problem.rules
        )
        plan = plan_pools(self.problem) if self.pool_rooms else None
        self.pooled = (
            PooledRooms(self.problem, plan, self._held.written, explain=self.explain)
            if plan
            else None
        )
        # after ``pooled`` (the same lists): the cell choices are freed by these lists, in the
        # order they were made, not by the pool's lists by cell (0.45 s for 10,000 events,
        # against 0.06 s)
        self._choices: Choices = self.pooled.by_item if self.pooled else Choices()
        run: list[Item] = []
        for item in self.problem.items:
            if item.index % 256 == 0:
                self._on_time()
            if self._in_bulk(item):
                run.append(item)
                if len(run) == 256:  # the time limit is looked at between runs
                    self._pooled_run(run)
                    run = []
                continue
            self._pooled_run(run)
            run = []
            self._variables(item)
        self._pooled_run(run)
        for item in self.problem.items:
            if item.block is not None:
                self._inside_block(item, self.problem.item(item.block))
        post_open_ends(self, self._held_fact, self._least)
        post_block_order(self, self._in_order)
        for rule in self.problem.rules:
            if (self.explain or self.hard_only) and rule.severity == Severity.SOFT:
                continue  # a soft rule never makes a timetable impossible: nothing to explain
            self._on_time()
            REGISTRY[rule.kind].post(rule, self)
        self._kept_clashes()
        if not self.defer:
            self.finish()

    @property
    def model(self) -> Any:
        """The CP-SAT model, with the cell literals held back (``_pooled_run``) written first:
        every reader and writer (the rules, ``finish``, the pool, the search) comes through
        here, so none sees the model without them."""
        return self._held.written()

    def size(self) -> int:
        """Variables written in the model so far (those held back not counted: they are
        only a count until written), without writing any."""
        return self._held.size()

    @property
    def held_back(self) -> int:
        """How many cell literals have their indices but are not in the model yet: all of a
        pooled model's when a checked construction answers and nothing read the model."""
        return self._held.count

    def _kept_clashes(self) -> None:
        """A cost for each clash of the file's printed times that the timetable keeps (both
        activities where the file prints them, an elastic one at its printed end too, as
        ``rules.overlap`` keeps it), when a solve keeps them (``Problem.kept_at``): one of the
        two moves or is shortened, and the clash goes, unless that costs more."""
        if self.problem.kept_at is None or self.explain:
            return
        for overlap in self.problem.kept_overlaps:
            if overlap.at is None:
                continue
            moves = []
            ends = overlap.ends or (None, None)
            for ident, (date, start), end in zip(
                (overlap.first, overlap.second), overlap.at, ends, strict=True
            ):
                day = self.problem.day_of_date.get(date)
                if ident not in self.problem.index or day is None:
                    break
                item = self.problem.item(ident)
                moved = self.model.new_bool_var(f"moved_{ident}")
                self.model.add(self.start(item) != day * DAY + start).only_enforce_if(moved)
                moves.append(moved)
                if end is not None and item.elastic:  # a length that may change: shortened
                    cut = self.model.new_bool_var(f"cut_{ident}")
                    self.model.add(self.end(item) != day * DAY + end).only_enforce_if(cut)
                    moves.append(cut)
            else:
                kept = self.model.new_bool_var(f"kept_{overlap.first}_{overlap.second}")
                self.model.add_bool_or([*moves, kept])
                self.kept_costs.append(kept)

    def _on_time(self) -> None:
        if self.budget is not None:
            self.budget.check(self.size())

    @property
    def pooled_choices(self) -> Choices:
        """Per pooled activity (by index), the cells it may take (made when first read)."""
        return self._choices

    @property
    def pooled_options(self) -> dict[int, Options]:
        """Per pooled activity (by index), its cells and literals, no choice made."""
        return self._choices.options

    @property
    def mostly_pooled(self) -> bool:
        """Most activities sit in pooled cells: the model is then mostly Boolean, and CP-SAT
        finds timetables far sooner without presolve, the LP relaxation, probing and SAT
        inprocessing (on the peer's 400-event instance: 2.1 s with only the first two off,
        0.4 s with all four; benchmarks/README.md)."""
        return 2 * len(self._choices) > len(self.problem.items)

    def _pinned(self, item: Item) -> bool:
        return item.fixed_start is not None and item.pinned and item.id not in self.unpinned

    def _in_bulk(self, item: Item) -> bool:
        """A pooled activity that makes no variable but its cell literals: those of a run of
        them are made in one step (``_pooled_run``)."""
        return (
            self.pooled is not None
            and item.index in self.pooled.plan.items
            and not self._pinned(item)
        )

    def _pooled_run(self, run: list[Item]) -> None:
        """The cell literals of a run of pooled activities (``_in_bulk``), as one after the
        other would make them (the same variables, in the same order), in one call: one
        call per activity took a fifth of the build of a 10,000-event conference."""
        if not run:
            return
        assert self.pooled is not None
        plan = self.pooled.plan
        cells = [plan.cells(self.problem, item, None) for item in run]
        literals = self._held.reserve(sum(len(c) for c in cells if len(c) > 1))
        at = 0
        for item, options in zip(run, cells, strict=True):
            self._rooms[item.index] = []
            if len(options) > 1:
                held = literals[at : at + len(options)]
                self._held.exactly_one(held)
                self._choices.add(Options(item, options, held))
                at += len(options)
            else:
                self._pooled_choices(item, options)

    def _variables(self, item: Item) -> None:
        i = item.index
        if self.pooled is not None and i in self.pooled.plan.items:
            pinned = self._pinned(item)
            start_at = item.fixed_start if pinned and not self.explain else None
            self._rooms[i] = []
            self._pooled_choices(item, self.pooled.plan.cells(self.problem, item, start_at))
            if pinned:
                self._timing(item)  # the pin is said on the time of day
            return
        self._timing(item)
        self._options[i] = self._option_literals(item)
        self._rooms[i] = self._room_literals(item)
        self._slots_and_bars(item)

    def _timing(self, item: Item) -> None:
        """Day, time of day, start and interval of an activity. A pooled activity's cell says
        all of them, so they are made (and tied to its cells) only when a rule asks for one:
        on a multi-track programme whose rules all read cells, a quarter of a million
        constraints fewer at 2,000 activities."""
        m, i = self.model, item.index
        choices = self._choices.get(i)
        cells = [c.cell for c in choices] if choices else None
        days = tuple(sorted({c.day for c in cells})) if cells else item.days
        self._day[i] = m.new_int_var_from_domain(
            cp_model.Domain.from_values(days), f"day_{item.id}"
        )
        if cells:
            starts = sorted({c.start for c in cells})
            tod = m.new_int_var_from_domain(cp_model.Domain.from_values(starts), f"tod_{item.id}")
        else:
            tod = m.new_int_var(0, DAY - item.duration, f"tod_{item.id}")
        self._tod[i] = tod
        if self._pinned(item):
            if self.explain:
                literal = self._assume(f"pin:{item.id}", None, item.line)
                m.add(tod == item.fixed_start).only_enforce_if(literal)
            else:
                m.add(tod == item.fixed_start)
        if cells:
            values = sorted({c.day * DAY + c.start for c in cells})
            start = m.new_int_var_from_domain(cp_model.Domain.from_values(values), f"s_{item.id}")
        else:
            start = m.new_int_var(
                min(days) * DAY, max(days) * DAY + DAY - item.duration, f"s_{item.id}"
            )
        m.add(start == DAY * self._day[i] + tod)
        self._start[i] = start
        relaxed = self.explain and item.block is not None and not item.elastic and not cells
        if item.elastic or relaxed:  # the solver chooses the length (free time: "whatever is left")
            shortest = 1 if relaxed or self._stated_least(item) else item.duration
            length = m.new_int_var(shortest, item.max_duration, f"len_{item.id}")
            if relaxed:  # a part's length is a fact an explanation may name
                fact = self._assume(f"length:{item.id}", None, item.line)
                m.add(length == item.duration).only_enforce_if(fact)
            end = m.new_int_var(min(days) * DAY, (max(days) + 1) * DAY, f"e_{item.id}")
            m.add(tod + length <= DAY)
            self._length[i], self._end[i] = length, end
            self._interval[i] = m.new_interval_var(start, length, end, f"iv_{item.id}")
        else:  # pooled activities are never elastic (slots.plan_pools)
            self._interval[i] = m.new_fixed_size_interval_var(start, item.duration, f"iv_{item.id}")
        for choice in choices or []:
            if choice.index != self.true_index:
                cell = choice.cell
                m.add(start == cell.day * DAY + cell.start).only_enforce_if(self.literal(choice))

    def _timed(self, item: Item) -> int:
        """The activity's index, once its day, time and interval exist."""
        if item.index not in self._start:
            self._timing(item)
        return item.index

    def _inside_block(self, part: Item, block: Item) -> None:
        """A part of a block lies inside it, like a domain: structural (an explanation may
        name it, as a fact of the file)."""
        m = self.model
        fact = self._fact(f"inside:{part.id}", part)
        m.add(self.day(part) == self.day(block)).only_enforce_if(fact)
        m.add(self.start(part) >= self.start(block)).only_enforce_if(fact)
        m.add(self.end(part) <= self.end(block)).only_enforce_if(fact)

    def _fact(self, key: str, item: Item) -> list[Any]:
        """The literals a structural fact of the file holds under: none in a solve; in an
        explanation, an assumption of its own, so the set that cannot hold may name it."""
        return [self._assume(key, None, item.line)] if self.explain else []

    def _held_fact(self, item: Item) -> list[Any]:
        return self._fact(f"held:{item.id}", item)

    def _stated_least(self, item: Item) -> bool:
        """An open end's least length (its ``duration``, or the length it holds): a fact an
        explanation may name."""
        return self.explain and item.open_end

    def _least(self, item: Item) -> Any:
        if not self._stated_least(item):
            return item.duration
        least = self.model.new_int_var(1, item.duration, f"least_of_{item.id}")
        key = f"{'held' if item.holds_reading else 'length'}:{item.id}"
        fact = self._assume(key, None, item.line)
        self.model.add(least == item.duration).only_enforce_if(fact)
        return least

    def _in_order(self, block: Item) -> list[Any]:
        return self._fact(f"order:{block.id}", block)

    def _pooled_choices(
        self,
        item: Item,
        cells: list[tuple[Any, frozenset[str]]],
    ) -> None:
        """One literal per cell the activity may take; it fixes the day, time, venue and pool.
        A run of them holds its new literals back instead (``_pooled_run``)."""
        literals: Sequence[int]
        if not cells:  # no slot anywhere fits: no timetable
            self.model.add_bool_or([self.true.Not()])
            literals = []
        elif len(cells) == 1:
            literals = [self.true_index]
        else:
            literals = bulk.new_booleans(self.model, len(cells))
            bulk.exactly_one(self.model, literals)
        self._choices.add(Options(item, cells, literals))

    def literal(self, choice: Choice) -> Any:
        """The API's object for a cell literal (cells are plain indices until a rule needs
        one: ``bulk``)."""
        if choice.index == self.true_index:
            return self.true
        return bulk.literal(self.model, choice.index)

    def _pooled_venues(self, item: Item) -> list[tuple[Any, int, str | None]]:
        """A pooled activity's (day, venue) literals, from its cells; made when a rule asks."""
        assert self.pooled is not None
        pools = self.pooled.plan.pools
        choices = self._choices[item.index]
        venues: dict[int, int] = {}
        for day, _ in item.options:
            venues[day] = venues.get(day, 0) + 1
        return [
            (
                self.on_day(item, day)
                if venues[day] == 1
                else self.any_of(
                    [
                        self.literal(c)
                        for c in choices
                        if (c.cell.day, pools[c.cell.pool].venue) == (day, venue)
                    ]
                ),
                day,
                venue,
            )
            for day, venue in item.options
        ]

    def any_of(self, literals: list[Any]) -> Any:
        """A literal true exactly when one of ``literals`` (at most one of which holds) is."""
        if not literals:
            return self.true.Not()
        if len(literals) == 1:
            return literals[0]
        literal = self.model.new_bool_var("")
        self.model.add(sum(literals) == literal)
        return literal

    def _slots_and_bars(self, item: Item) -> None:
        """Slot grids of the candidate rooms and barred windows: structural, like domains."""
        m, tod = self.model, self._tod[item.index]
        for literal, room in self._rooms[item.index]:
            venue = self.problem.room_venue.get(room)
            at_venue = [lit for lit, _, v in self._options[item.index] if v == venue]
            m.add_bool_or(at_venue).only_enforce_if(literal)
            starts = self.problem.slot_starts(room, item.duration)
            if starts is None:
                continue
            if not starts:
                m.add_bool_or([literal.Not()])
                continue
            domain = cp_model.Domain.from_values(starts)
            m.add_linear_expression_in_domain(tod, domain).only_enforce_if(literal)
        rooms = dict((r, lit) for lit, r in self._rooms[item.index])
        for day, start, end, barred_room in item.barred:
            if day not in item.days or (barred_room is not None and barred_room not in rooms):
                continue
            lits = [self.on_day(item, day)]
            if barred_room is not None:
                lits.append(rooms[barred_room])
            self._avoid(item, start, end, lits)
        for room, literal in rooms.items():
            for day, start, end in self.problem.room_closed.get(room, ()):
                if day in item.days:
                    lits = [self.on_day(item, day), literal]
                    if self.explain:  # a closed room can be why no timetable exists
                        lits.append(self._assume(f"closed:{room}", f"{day}:{start}:{end}", None))
                    self._avoid(item, start, end, lits)

    def _avoid(self, item: Item, start: int, end: int, literals: list[Any]) -> None:
        """When ``literals`` hold, the activity ends by ``start`` or begins at ``end`` or later."""
        m, tod = self.model, self._tod[item.index]
        early = m.new_bool_var(f"avoid_{item.id}_{start}")
        m.add(tod + self.duration(item) <= start).only_enforce_if([*literals, early])
        m.add(tod >= end).only_enforce_if([*literals, early.Not()])

    def _option_literals(self, item: Item) -> list[tuple[Any, int, str | None]]:
        if len(item.options) == 1:
            day, venue = item.options[0]
            return [(self.true, day, venue)]
        per_day: dict[int, list[str | None]] = {}
        for day, venue in item.options:
            per_day.setdefault(day, []).append(venue)
        if all(len(v) == 1 for v in per_day.values()):
            return [(self.on_day(item, d), d, venues[0]) for d, venues in per_day.items()]
        literals = []
        for day, venue in item.options:
            literal = self.model.new_bool_var(f"opt_{item.id}_{day}_{venue}")
            self.model.add_implication(literal, self.on_day(item, day))
            literals.append((literal, day, venue))
        self.model.add_exactly_one(lit for lit, _, _ in literals)
        return literals

    def _room_literals(self, item: Item) -> list[tuple[Any, str]]:
        if not item.rooms:
            return []
        if len(item.rooms) == 1:
            return [(self.true, item.rooms[0])]
        literals = [(self.model.new_bool_var(f"room_{item.id}_{r}"), r) for r in item.rooms]
        self.model.add_exactly_one(lit for lit, _ in literals)
        return literals

    def _assume(self, rule: str, key: str | None, line: int | None) -> Any:
        literal = self._guards.get((rule, key))
        if literal is None:
            name = rule if key is None else f"{rule}[{key}]"
            literal = self.model.new_bool_var(f"assume_{name}")
            self._guards[(rule, key)] = literal
            self.assumptions.append(Assumption(literal, rule, key, line))
        return literal

    # --- the ModelContext interface used by rules/ ---------------------------------------

    def start(self, item: Item) -> Any:
        return self._start[self._timed(item)]

    def end(self, item: Item) -> Any:
        """The end: a variable for an elastic activity, else one expression made once (rules
        ask for it tens of thousands of times)."""
        index = self._timed(item)  # made on demand: an elastic one's end variable with it
        end = self._end.get(index)
        if end is None:
            end = self._end_of_fixed_length.get(index)
            if end is None:
                end = self._start[index] + item.duration
                self._end_of_fixed_length[index] = end
        return end

    def need(self, a: Item, b: Item) -> Any:
        """``need_expression(a, b)``, made once per pair however many rules ask."""
        key = (a.index, b.index)
        need = self._needs.get(key)
        if need is None:
            need = self._needs[key] = need_expression(self, a, b)
        return need

    def duration(self, item: Item) -> Any:
        """The length: a number, or the variable of an elastic activity."""
        return self._length.get(item.index, item.duration)

    def optional_interval(self, item: Item, literal: Any, name: str) -> Any:
        """The activity's interval when ``literal`` holds (in one room, say)."""
        length = self._length.get(item.index)
        if length is None:
            return self.model.new_optional_fixed_size_interval_var(
                self.start(item), item.duration, literal, name
            )
        return self.model.new_optional_interval_var(
            self.start(item), length, self._end[item.index], literal, name
        )

    def day(self, item: Item) -> Any:
        return self._day[self._timed(item)]

    def time_of_day(self, item: Item) -> Any:
        return self._tod[self._timed(item)]

    def interval(self, item: Item) -> Any:
        return self._interval[self._timed(item)]

    def on_day(self, item: Item, day: int) -> Any:
        if item.days == (day,):
            return self.true
        if day not in item.days:
            return self.true.Not()
        key = (item.index, day)
        literal = self._on_day.get(key)
        choices = self._choices.get(item.index)
        if literal is None and choices is not None:  # the sum of the day's cells, not reified
            by_day: dict[int, list[Any]] = {}
            for choice in choices:
                by_day.setdefault(choice.cell.day, []).append(self.literal(choice))
            for d in item.days:
                self._on_day[(item.index, d)] = self.any_of(by_day.get(d, []))
            literal = self._on_day[key]
        if literal is None:
            literal = self.model.new_bool_var(f"on_{item.id}_{day}")
            self.model.add(self._day[item.index] == day).only_enforce_if(literal)
            self.model.add(self._day[item.index] != day).only_enforce_if(literal.Not())
            self._on_day[key] = literal
        return literal

    def is_pinned(self, item: Item) -> bool:
        """Fixed at the file's time in this model."""
        return item.fixed_start is not None and item.pinned and item.id not in self.unpinned

    def count(self, rule: Rule, expression: Any, upper: int) -> None:
        """A rule broken ``expression`` times (minutes away from a day's usual start): a soft
        rule pays its weight for each; a hard one allows none."""
        if rule.severity == Severity.SOFT:
            counts = (
                self.default_counts.setdefault(rule.kind, [])
                if rule.planner_default
                else self.penalty_counts
            )
            counts.append((rule.weight, expression, upper))
            return
        self.model.add(expression == 0).only_enforce_if(self.guard(rule))

    def may_share_day(self, a: Item, b: Item) -> bool:
        """Can the two be on one day? Not without a common candidate day, nor (under a hard
        ``module_day`` rule, outside explanations) when they belong to different modules: each
        module then has a day of its own, so constraints between them would never bite."""
        if self._modules_apart and a.module and b.module and a.module != b.module:
            return False
        return bool(set(a.days) & set(b.days))

    def same_day(self, a: Item, b: Item) -> Any:
        if not self.may_share_day(a, b):
            return self.true.Not()
        if len(a.days) == 1 and a.days == b.days:
            return self.true
        key = (min(a.index, b.index), max(a.index, b.index))
        literal = self._same.get(key)
        if literal is None:
            literal = self.model.new_bool_var(f"same_{a.id}_{b.id}")
            self.model.add(self.day(a) == self.day(b)).only_enforce_if(literal)
            self.model.add(self.day(a) != self.day(b)).only_enforce_if(literal.Not())
            self._same[key] = literal
        return literal

    def before(self, a: Item, b: Item) -> Any:
        """A literal true exactly when ``a`` starts no later than ``b`` (ties go to the lower index)."""
        if a.index > b.index:
            return self.before(b, a).Not()
        key = (a.index, b.index)
        literal = self._before.get(key)
        if literal is None:
            literal = self.model.new_bool_var(f"before_{a.id}_{b.id}")
            self.model.add(self.start(a) <= self.start(b)).only_enforce_if(literal)
            self.model.add(self.start(a) > self.start(b)).only_enforce_if(literal.Not())
            self._before[key] = literal
        return literal

    def apart(self, items: list[Item], guard: list[Any], rule: str, key: str | None = None) -> None:
        """At most one of ``items`` at any moment: over their cell literals when all of them
        are pooled (``slots.time_cliques``), else a NoOverlap over their intervals."""
        if len(items) < 2:
            return
        self._on_time()
        if not guard:
            self.apart_groups.append([i.index for i in items if i.index in self._choices])
            self.apart_reasons.append((rule, key))
        if self.cliques and all(i.index in self._choices for i in items):
            if self.defer and not self.finished:
                self._pending.append((items, guard))
                return
            self._cliques(items, guard)
            return
        self.model.add_no_overlap([self.interval(i) for i in items]).only_enforce_if(guard)

    def _cliques(self, items: list[Item], guard: list[Any]) -> None:
        self._on_time()
        enforcement = [bulk.index_of(g) for g in guard]
        for clique in time_cliques([self._spans(i) for i in items]):
            bulk.at_most_one(self.model, clique, enforcement)

    def finish(self) -> None:
        """Write what ``defer`` held back: the at-most-one cliques of pooled activities kept
        apart, and the cells' room bounds (and soft capacity count). They make no variable
        the rules read, so the model is the same as written at once, in another order."""
        if self.finished:
            return
        self.finished = True
        for items, guard in self._pending:
            self._cliques(items, guard)
        self._pending.clear()
        if self.pooled is not None:
            self._on_time()
            self.pooled.post(self.penalty_counts, self._on_time)

    def _spans(self, item: Item) -> Spans:
        """A pooled activity's cell literals by the time they give it (cached: an activity is
        in several groups)."""
        spans = self._by_span.get(item.index)
        if spans is None:
            spans = self._by_span[item.index] = {}
            for c in self._choices[item.index]:
                start = c.cell.day * DAY + c.cell.start
                spans.setdefault((start, start + item.duration), []).append(c.index)
        return spans

    def venue_literals(self, item: Item) -> list[tuple[Any, int, str | None]]:
        options = self._options.get(item.index)
        if options is None:
            options = self._options[item.index] = self._pooled_venues(item)
        return options

    def room_literals(self, item: Item) -> list[tuple[Any, str]]:
        return self._rooms[item.index]

    def pooled_rooms(self) -> PooledRooms | None:
        return self.pooled

    def module_day(self, module: str) -> Any:
        variable = self._module_day.get(module)
        if variable is None:
            variable = self.model.new_int_var(0, len(self.problem.dates) - 1, f"module_{module}")
            self._module_day[module] = variable
        return variable

    def guard(
        self,
        rule: Rule,
        key: str | None = None,
        *,
        instance: str | None = None,
        about: Sequence[Item | str] = (),
    ) -> list[Any]:
        if about and rule.severity == Severity.HARD:
            kept = self._kept_instance(rule.id, about)
            if kept is not None:  # a published error kept as it is, while its items are there
                return [kept.Not()]
        if rule.severity == Severity.SOFT:
            cached = self._soft.get((rule.id, instance)) if instance is not None else None
            if cached is not None:
                return [cached]
            literal = self.model.new_bool_var(f"ok_{rule.id}")
            literals = (
                self.defaults.setdefault(rule.kind, []) if rule.planner_default else self.penalties
            )
            literals.append((rule.weight, literal))
            if instance is not None:
                self._soft[(rule.id, instance)] = literal
            return [literal]
        if self.explain:
            return [self._assume(rule.id, key, self.problem.rule_lines.get(rule.id))]
        return []

    def _kept_instance(self, rule: str, about: Sequence[Item | str]) -> Any:
        """None when the instance about these activities is not a published error kept;
        else a literal that holds only while they are all where the file places them (true
        for a what-if, which pins them; a solve lets them move and counts the literal)."""
        kept = self.problem.kept_findings.get(rule)
        if not kept:
            return None
        ids = frozenset(x if isinstance(x, str) else x.id for x in about)
        if ids not in kept:
            return None
        at = self.problem.kept_at
        if at is None:
            return self.true
        here = self._kept_here.get((rule, ids))
        if here is None:
            here = self._kept_here[(rule, ids)] = self._at_published(rule, ids, at)
            self.kept_costs.append(here)
        return here

    def _at_published(
        self,
        rule: str,
        ids: frozenset[str],
        at: dict[str, tuple[dt.date, int, int, str | None]],
    ) -> Any:
        here = self.model.new_bool_var(f"kept_{rule}_{'_'.join(sorted(ids))}")
        for ident in sorted(ids):
            item = self.problem.item(ident) if ident in self.problem.index else None
            placed = at.get(ident)
            day = self.problem.day_of_date.get(placed[0]) if placed is not None else None
            if item is None or placed is None or day is None or day not in item.days:
                self.model.add(here == 0)
                return here
            _, start, end, venue = placed
            self.model.add(self.start(item) == day * DAY + start).only_enforce_if(here)
            if item.elastic:
                self.model.add(self.end(item) == day * DAY + end).only_enforce_if(here)
            options = self.venue_literals(item)
            if venue is not None and len(options) > 1:
                chosen = [lit for lit, _, v in options if v == venue]
                self.model.add_bool_or(chosen).only_enforce_if(here)
        return here

    def differ(self, other: Timetable, reference: Timetable, movable: Iterable[str]) -> None:
        """Not the repair ``other`` again, nor a variant of it: one of the ``movable``
        activities it moved (from ``reference``) stays where the reference has it; when it
        moved none, something moves. So a second way to close a hole keeps what the first
        way moved, instead of moving the same things a few minutes apart."""
        kept: list[Any] = []
        moving: list[Any] = []
        for ident in sorted(movable):
            was = reference.get(ident)
            day = self.problem.day_of_date.get(was.date) if was is not None else None
            if was is None or day is None or ident not in self.problem.index:
                continue
            there = other.get(ident)
            stays = self.model.new_bool_var(f"stays_{ident}_{len(kept) + len(moving)}")
            start = self.start(self.problem.item(ident))
            self.model.add(start == day * DAY + was.start).only_enforce_if(stays)
            self.model.add(start != day * DAY + was.start).only_enforce_if(stays.Not())
            if there is None or (there.date, there.start) != (was.date, was.start):
                kept.append(stays)
            else:
                moving.append(stays.Not())
        self.model.add_bool_or(kept or moving)

    # --- solving ----------------------------------------------------------------------------

    def solve(self, solver: cp_model.CpSolver, callback: Any = None) -> Any:
        """``solver.solve`` until the pooled rooms can be matched: each answer whose cells
        hold activities no room assignment can serve adds the cuts that rule it out, and the
        search resumes from it, within the solver's time limit. An answer still short of rooms
        when time runs out is no timetable (UNKNOWN). The search parameters are the caller's
        (``search.py``)."""
        self.finish()
        params = solver.parameters
        budget, began = params.max_time_in_seconds, time.perf_counter()
        while True:
            self._answer = None
            if budget - (time.perf_counter() - began) < self.expected_load():
                return cp_model.UNKNOWN  # the time would be over before the search began
            started = time.perf_counter()
            with self._phase("search"):
                code = solver.solve(self.model, callback)
            spent = time.perf_counter() - started
            self.load = spent if self.load is None else min(self.load, spent)
            if self.pooled is None or code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return code
            with self._phase("rooms"):
                self._answer = (solver, self.pooled.chosen(solution(solver)))
                cut = self.pooled.cuts(solver, self._answer[1])
            if not cut:
                return code
            remaining = budget - (time.perf_counter() - began)
            # a solve first loads the model, whatever its limit: none is started without time
            if remaining <= max(0.05, self.load) or (
                callback is not None and getattr(callback, "interrupted", False)
            ):
                self._answer = None
                return cp_model.UNKNOWN
            params.max_time_in_seconds = remaining
            self.hint(self.timetable(solver))

    def expected_load(self) -> float:
        """Seconds a solve will take before it searches: the quickest solve so far, or,
        before any, an estimate from the model's size (2 us a variable on this machine).

        The quickest solve is loading plus searching; when it ran to its own time limit it
        is mostly searching (a course's ranks, solved one after the other, each for a share
        of the time), so it counts for at most ``LOAD_SLACK`` times the size's estimate: a
        loaded machine's slowness, not the last search's length."""
        estimate = LOAD_PER_VARIABLE * len(self.model.proto.variables)
        if self.load is not None:
            return min(self.load, LOAD_SLACK * estimate)
        return estimate

    def _phase(self, name: str) -> Any:
        return self.budget.phase(name) if self.budget is not None else contextlib.nullcontext()

    # --- reading solutions ------------------------------------------------------------------

    def hint(
        self, timetable: Timetable, cells: dict[int, tuple[Choice, str | None]] | None = None
    ) -> None:
        """A hint from a timetable (replacing any earlier one): the cell of a pooled activity
        (whose room the matching then prefers; the cell fixes its day and time), else its day
        and time; a pooled activity in ``cells`` (a construction's) takes that cell and room
        instead. Written to the model in bulk: one call per value took seconds at 2,000
        activities."""
        variables: list[int] = []
        values: list[int] = []
        for item in self.problem.items:
            constructed = cells.get(item.index) if cells is not None else None
            if constructed is not None and self.pooled is not None:
                cell, room = constructed
                if room is not None:
                    self.pooled.preferred[item.index] = room
                if cell.index != self.true_index:
                    variables.append(cell.index)
                    values.append(1)
                continue
            placed = self._placed(item, timetable)
            if placed is None:
                continue
            placement, day = placed
            if item.index in self._choices and self.pooled is not None:
                if placement.room is not None:
                    self.pooled.preferred[item.index] = placement.room
                taken = self._choice_for(item.index, day, placement)
                if taken is not None:
                    if taken.index != self.true_index:  # a hint names a variable once
                        variables.append(taken.index)
                        values.append(1)
                    continue
            if item.index not in self._day:
                continue
            variables += [v.Index() for v in (self._day[item.index], self._tod[item.index])]
            values += [day, placement.start]
            if item.index in self._length:  # an elastic activity: its length and end too
                variables += [self._length[item.index].Index(), self._end[item.index].Index()]
                values += [placement.end - placement.start, day * DAY + placement.end]
        self._set_hint(variables, values)

    def hint_cells(self, placed: dict[int, tuple[Choice, str | None]]) -> None:
        """A hint from chosen cells (and rooms the matching should prefer), e.g. a construction's."""
        assert self.pooled is not None
        for index, (_, room) in placed.items():
            if room is not None:
                self.pooled.preferred[index] = room
        literals = [c.index for c, _ in placed.values() if c.index != self.true_index]
        self._set_hint(literals, [1] * len(literals))

    def _set_hint(self, variables: list[int], values: list[int]) -> None:
        """Written to the model as it is, cell literals held back or not: a hint names
        variables by index, in a part of the model of its own (a construction's hint leaves
        the cell literals unwritten when no solve follows)."""
        model = self._held.unwritten()
        model.clear_hints()
        hint = model.proto.solution_hint
        hint.vars.extend(variables)
        hint.values.extend(values)

    def hint_solution(self, solver: cp_model.CpSolver) -> None:
        """Hint every variable at its value in ``solver``'s answer (replacing any hint)."""
        hint_values(self.model, solution(solver))

    def complete_hint(self, solver: cp_model.CpSolver) -> bool:
        """Turn the current hint (days and times) into one for every variable: solve with the
        hinted variables fixed, then hint the whole answer. CP-SAT starts its search from a
        complete, feasible hint at once; from days and times alone it often cannot rebuild the
        rest (the order and same-day literals, the soft rules') and searches as if unhinted."""
        solver.parameters.fix_variables_to_their_hinted_value = True
        code = solver.solve(self.model)
        solver.parameters.fix_variables_to_their_hinted_value = False
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        self.hint_solution(solver)
        return True

    def _placed(self, item: Item, timetable: Timetable) -> tuple[Placement, int] | None:
        """The item's placement in ``timetable`` and its day, when it has one on a day the
        item may take."""
        placement = timetable.get(item.id)
        if placement is None:
            return None
        day = self.problem.day_of_date.get(placement.date)
        if day is None or day not in item.days:
            return None
        return placement, day

    def _choice_for(self, index: int, day: int, placement: Placement) -> Choice | None:
        """The choice of the cell a placement of activity ``index`` is in (``_position_for``)."""
        position = self._position_for(index, day, placement)
        return None if position is None else self._choices.choice(index, position)

    def _position_for(self, index: int, day: int, placement: Placement) -> int | None:
        """The position among activity ``index``'s cells of the one a placement is in: same
        day and start, in its room's pool (or at its venue when it names no room)."""
        assert self.pooled is not None
        plan = self.pooled.plan
        pool = plan.pool_of.get(placement.room) if placement.room is not None else None
        for position, (cell, rooms) in enumerate(self._choices.options[index].cells):
            if cell.day != day or cell.start != placement.start:
                continue
            if placement.room is None:
                if plan.pools[cell.pool].venue == placement.venue:
                    return position
            elif placement.room in rooms and pool == cell.pool:
                return position
        return None

    def reference_cells(self, timetable: Timetable) -> dict[int, tuple[int, str | None]]:
        """Per pooled activity that ``timetable`` places in one of its cells: that cell's
        position among its cells, and the room (what a construction starts from to repair
        the timetable: ``construct``'s ``start``)."""
        assert self.pooled is not None
        found: dict[int, tuple[int, str | None]] = {}
        for index, options in self._choices.options.items():
            placed = self._placed(options.item, timetable)
            if placed is None:
                continue
            placement, day = placed
            position = self._position_for(index, day, placement)
            if position is not None:
                found[index] = (position, placement.room)
        return found

    def timetable(self, solver: cp_model.CpSolver) -> Timetable:
        pooled = {}
        if self.pooled is not None:
            answer = self._answer
            if answer is not None and answer[0] is solver:
                chosen = answer[1]  # read once, in ``solve``
            else:
                chosen = self.pooled.chosen(solution(solver))
            pooled = self.pooled.assign(chosen, solver)
        placements = {}
        for item in self.problem.items:
            room: str | None
            if item.index in pooled:  # the cell says when and where
                cell, room = pooled[item.index]
                day, tod = cell.day, cell.start
                venue = self.pooled.plan.pools[cell.pool].venue if self.pooled else None
            else:
                day = solver.value(self._day[item.index])
                tod = solver.value(self._tod[item.index])
                venue = next(
                    (v for lit, d, v in self._options[item.index] if solver.boolean_value(lit)),
                    None,
                )
                room = next(
                    (r for lit, r in self._rooms[item.index] if solver.boolean_value(lit)), None
                )
            length = (
                solver.value(self._length[item.index])
                if item.index in self._length
                else item.duration
            )
            placements[item.id] = Placement(
                date=self.problem.dates[day],
                start=tod,
                end=tod + length,
                activity=item.id,
                venue=venue,
                room=room,
            )
        return Timetable(placements)

    def cells_timetable(
        self, chosen: dict[Cell, list[Choice]], others: Timetable | None = None
    ) -> Timetable | None:
        """The timetable of chosen cells (rooms matched as after a solve), when every pooled
        activity has one and every other is pooled too, or placed in ``others`` (the
        timetable a repair starts from); else None."""
        if self.pooled is None:
            return None
        if others is None and len(self._choices) < len(self.problem.items):
            return None
        pooled = self.pooled.assign(chosen)
        if len(pooled) < len(self._choices):
            return None
        pools, dates = self.pooled.plan.pools, self.problem.dates
        placements: dict[str, Placement] = {}
        for item in self.problem.items:
            found = pooled.get(item.index)
            if found is None:
                kept = others.get(item.id) if others is not None else None
                if kept is None:
                    return None
                placements[item.id] = kept
                continue
            cell, room = found
            placements[item.id] = new_placement(
                dates[cell.day],
                cell.start,
                cell.start + item.duration,
                item.id,
                pools[cell.pool].venue,
                room,
            )
        return Timetable(placements)

    def fix(self, timetable: Timetable) -> None:
        """Pin every placed activity to the timetable (to test that it is a feasible point)."""
        rooms: list[tuple[Choice, str | None]] = []
        for item in self.problem.items:
            placement = timetable.get(item.id)
            if placement is None:
                continue
            day = self.problem.day_of_date.get(placement.date, -1)
            if item.index in self._day:
                self.model.add(self._day[item.index] == day)
                self.model.add(self._tod[item.index] == placement.start)
                self.model.add(self.duration(item) == placement.end - placement.start)
            for literal, d, venue in self.venue_literals(item):
                if d == day:
                    self.model.add(literal == int(venue == placement.venue))
            for literal, room in self._rooms[item.index]:
                self.model.add(literal == int(room == placement.room))
            if item.index in self._choices and self.pooled is not None:
                taken = self._choice_for(item.index, day, placement) if placement.room else None
                if taken is None:
                    self.model.add_bool_or([self.true.Not()])
                    continue
                self.model.add_bool_or([self.literal(taken)])
                rooms.append((taken, placement.room))
        if self.pooled is not None:
            self.pooled.fix_rooms(rooms)
