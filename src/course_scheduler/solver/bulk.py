"""Writing to the CP-SAT model by variable index, in bulk.

Why: a conference's model holds a literal per activity and cell it may take (1.3 million at
10,000 events). OR-Tools' Python API makes an object for each variable and each term of each
constraint; at that size the objects, not the solver, took most of the time. Here the cell
literals are plain indices into the model: variables are appended by copying a template, and
the constraints over them (exactly one cell, at most one at a moment, at most so many in a
cell) are written straight into the model's protocol buffer, exactly as the API would write
them. An ``IntVar`` is made for a literal only where a rule needs one (``literal``).

A literal is an ``int``: a variable's index, or ``-index - 1`` for its negation (CP-SAT's own
convention).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ortools.sat.python import cp_model

_TEMPLATES: dict[int, Any] = {}
"""Models of 2**k Boolean variables and nothing else, made on first use."""

_LOWEST = -(2**63)


def _template(size: int) -> Any:
    """``size`` a power of two: the first made by the API, the others each of two halves."""
    model = _TEMPLATES.get(size)
    if model is None:
        model = cp_model.CpModel()
        if size == 1:
            model.new_bool_var("")
        else:
            half = _template(size // 2)
            model.proto.merge_from(half)
            model.proto.merge_from(half)
        _TEMPLATES[size] = model
    return model.proto


def new_booleans(model: Any, count: int) -> range:
    """The indices of ``count`` new unnamed Boolean variables: whole templates are appended
    (one per bit of ``count``), not one variable at a time."""
    proto = model.proto
    first = len(proto.variables)
    bit = 0
    while count >> bit:
        if count >> bit & 1:
            proto.merge_from(_template(1 << bit))
        bit += 1
    return range(first, len(proto.variables))


def literal(model: Any, index: int) -> Any:
    """The API's object for a literal (its ``Not()`` for a negated one)."""
    if index < 0:
        return cp_model.IntVar(model.proto, -index - 1).Not()
    return cp_model.IntVar(model.proto, index)


def index_of(literal: Any) -> int:
    return int(literal.Index())


def exactly_one(model: Any, literals: Sequence[int]) -> None:
    model.proto.constraints.add().exactly_one.literals.extend(literals)


def at_most_one(model: Any, literals: Sequence[int], enforcement: Sequence[int] = ()) -> None:
    constraint = model.proto.constraints.add()
    if enforcement:
        constraint.enforcement_literal.extend(enforcement)
    constraint.at_most_one.literals.extend(literals)


def at_most(
    model: Any,
    literals: Sequence[int],
    bound: int,
    enforcement: Sequence[int] = (),
    slack: int | None = None,
) -> None:
    """``sum(literals) <= bound (+ slack)``; ``literals`` are variable indices (the same one
    may come twice: it counts twice), ``slack`` an integer variable's index."""
    variables = sorted(literals)
    if len(set(variables)) < len(variables) or slack in variables:
        terms = [(x, 1) for x in literals] + ([] if slack is None else [(slack, -1)])
        linear(model, terms, _LOWEST, bound, enforcement)
        return
    coefficients = [1] * len(variables)
    if slack is not None:
        at = bisect_left(variables, slack)
        variables.insert(at, slack)
        coefficients.insert(at, -1)
    constraint = model.proto.constraints.add()
    if enforcement:
        constraint.enforcement_literal.extend(enforcement)
    constraint.linear.vars.extend(variables)
    constraint.linear.coeffs.extend(coefficients)
    constraint.linear.domain.extend((_LOWEST, bound))


def linear(
    model: Any,
    terms: Iterable[tuple[int, int]],
    low: int,
    high: int,
    enforcement: Sequence[int] = (),
) -> None:
    """``low <= sum(coefficient * variable) <= high`` over (variable index, coefficient)
    terms, written as the API writes it: each variable once, in index order."""
    merged: dict[int, int] = {}
    for variable, coefficient in terms:
        merged[variable] = merged.get(variable, 0) + coefficient
    ordered = sorted((v, c) for v, c in merged.items() if c)
    constraint = model.proto.constraints.add()
    if enforcement:
        constraint.enforcement_literal.extend(enforcement)
    constraint.linear.vars.extend(v for v, _ in ordered)
    constraint.linear.coeffs.extend(c for _, c in ordered)
    constraint.linear.domain.extend((low, high))


class Held:
    """A model, and cell literals with their exactly-one constraints given indices in it but
    not yet written.

    Why: when a checked construction is the first timetable (no objective), CP-SAT never
    sees the model, yet writing a 10,000-event conference's 12 million cell literals took
    most of its build and memory. ``reserve`` hands out the indices the variables will have
    (after the model's last variable and those already held); ``written`` appends them and
    the constraints, in the order they were held, exactly as written at once, and returns the
    model: its owner reads the model only through it (``Build.model``). It holds no
    reference to its owner, so the pool can read the model through it without a cycle."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self.on_time: Callable[[int], None] | None = None
        """Called between runs while writing, with the variables written so far: a solve's
        time limit may stop it (``OutOfTime``); what is written stays consistent with what is
        still held."""
        self.count = 0
        self.runs: list[int] = []
        """How many each ``reserve`` asked for: written one run at a time, as at once, so the
        templates made are no larger (one call for 12 million literals would cache templates
        of twice as many)."""
        self.groups: list[tuple[int, int]] = []
        """(first index, how many): the literals of one activity, exactly one of them true."""

    def reserve(self, count: int) -> range:
        """The indices of ``count`` Boolean variables to be written after those held."""
        first = len(self._model.proto.variables) + self.count
        self.count += count
        self.runs.append(count)
        return range(first, first + count)

    def exactly_one(self, literals: range) -> None:
        self.groups.append((literals.start, len(literals)))

    def size(self) -> int:
        """Variables written in the model (what freeing it costs: those held are only a
        count)."""
        return len(self._model.proto.variables)

    def unwritten(self) -> Any:
        """The model as it is, what is held not written (for what names variables by index
        in a part of the model of its own: a hint)."""
        return self._model

    def written(self) -> Any:
        """The model, what is held appended first (its variables, then its constraints)."""
        if self.count or self.groups:
            # 12 million literals of a 10,000-event conference take seconds to write: the time
            # limit is looked at before each run (256 activities' literals); what is held
            # stays true to what is not yet written if it stops there
            on_time = self.on_time
            runs, self.runs = self.runs, []
            for k, count in enumerate(runs):
                if on_time is not None:
                    self.runs = runs[k:]
                    on_time(self.size())
                new_booleans(self._model, count)
                self.count -= count
            self.runs = []
            constraints = self._model.proto.constraints
            groups, self.groups = self.groups, []
            for k, (first, count) in enumerate(groups):
                if on_time is not None and k % 256 == 0:
                    self.groups = groups[k:]
                    on_time(self.size())
                constraints.add().exactly_one.literals.extend(range(first, first + count))
            self.groups = []
        return self._model
