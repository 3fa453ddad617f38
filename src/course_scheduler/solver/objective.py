"""The objective as a planner reads it: ranks of named terms, and how far a result may be.

The solver minimises ranks lexicographically (``objective.ranking``): what moved from a
reference, the day's skeleton, minutes of shift, the file's soft rules, the rest of the
day's shape. Each rank is a weighted sum of named *terms* (``moved_activities``,
``meal_times``, ``soft_rules``, ``order``...), each counted plainly (activities, pairs,
minutes, broken instances). The ranks are merged into one sum when their multipliers stay
exact, so one solve proves the lexicographic optimum; its raw value (6,558,902,946) means
nothing to a planner, so results and the live line report the terms by name, and the bound
is read back rank by rank into words: what is proven best, and how far the first rank that
is not may still come down.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..text import plural

MERGE_LIMIT = 2**52
"""Merged lexicographic weights must stay exact in CP-SAT's double-precision objective."""


@dataclass(frozen=True)
class Term:
    """One named quantity: ``count`` counted plainly, ``cost`` what it adds to its rank (the
    count times its weight, or a sum of weighted broken rules), ``upper`` a bound of ``cost``."""

    name: str
    count: Any
    cost: Any
    upper: int


def weighted(name: str, count: Any, weight: int, upper_count: int) -> Term:
    """A term that costs ``weight`` per unit of ``count`` (at most ``upper_count`` units)."""
    return Term(name, count, count * weight, upper_count * weight)


def broken(
    name: str, literals: Sequence[tuple[int, Any]], counts: Sequence[tuple[int, Any, int]]
) -> Term:
    """Soft rules as a term: each literal false is one broken instance of its weight; each
    count is that many broken instances (minutes away from a usual start)."""
    count = sum(1 - lit for _, lit in literals) + sum(c for _, c, _ in counts)
    cost = sum(w * (1 - lit) for w, lit in literals) + sum(w * c for w, c, _ in counts)
    upper = sum(w for w, _ in literals) + sum(w * bound for w, _, bound in counts)
    return Term(name, count, cost, upper)


@dataclass
class Rank:
    """A lexicographic rank: the sum of its terms' costs. A merged rank holds several, each
    term with the multiplier of the rank it came from."""

    name: str
    terms: list[Term]
    multipliers: list[int] = field(default_factory=list)
    parts: list[tuple[str, int, list[Term]]] = field(default_factory=list)
    """The ranks merged into this one: (name, multiplier, terms), first the one that counts most."""

    def __post_init__(self) -> None:
        if not self.parts:
            self.parts = [(self.name, 1, self.terms)]

    @property
    def expression(self) -> Any:
        factors = self.multipliers or [1] * len(self.terms)
        return sum(t.cost * k for t, k in zip(self.terms, factors, strict=True))

    @property
    def upper(self) -> int:
        factors = self.multipliers or [1] * len(self.terms)
        return sum(t.upper * k for t, k in zip(self.terms, factors, strict=True))


def live(terms: Sequence[Term]) -> list[Term]:
    """The terms that can be non-zero (a constant sum is no term to minimise)."""
    return [t for t in terms if not isinstance(t.cost, int) and t.upper > 0]


def merge(ranks: list[Rank]) -> list[Rank]:
    """Lexicographic ranks as one weighted sum when the weights stay small enough.

    Each rank is multiplied by one more than the largest value all later ranks together can
    take, so no improvement later can pay for a worse earlier rank: one solve proves the
    lexicographic optimum, instead of one solve per rank.
    """
    if len(ranks) < 2:
        return ranks
    multiplier = 1
    terms: list[Term] = []
    factors: list[int] = []
    parts: list[tuple[str, int, list[Term]]] = []
    for rank in reversed(ranks):
        terms[:0] = rank.terms
        factors[:0] = [multiplier] * len(rank.terms)
        parts[:0] = [(rank.name, multiplier, rank.terms)]
        multiplier *= rank.upper + 1
    if multiplier >= MERGE_LIMIT:
        return ranks
    return [Rank(" > ".join(r.name for r in ranks), terms, factors, parts)]


# --- what a result reports -----------------------------------------------------------------------


@dataclass(frozen=True)
class RankValue:
    """A rank's cost in the timetable found and the least it could have (None: unknown)."""

    name: str
    cost: int
    lowest: int | None

    @property
    def proven(self) -> bool:
        return self.lowest is not None and self.lowest >= self.cost


UNITS: dict[str, tuple[str, str]] = {
    "moved_activities": ("moved", "activity"),
    "moved_days": ("days changed", "activity"),
    "moved_venues": ("venues changed", "activity"),
    "moved_rooms": ("rooms changed", "activity"),
    "off_track_rooms": ("rooms off track", "activity"),
    "moved_order": ("order changed", "pair"),
    "moved_parts": ("parts changed", "activity"),
    "moved_minutes": ("shift", "min"),
    "order": ("order", "pair"),
    "day_start": ("day start", "min"),
    "idle_minutes": ("idle", "min"),
    "idle": ("idle", "stretch"),
    "meal_drift": ("meal drift", "min"),
    "day_end": ("day end", "min"),
}
"""How the line names a term and counts it ("order 1 pair", "shift 15 min"); others by
their name, a plain number."""


FAR_FROM_PROVEN = 0.5
"""The share of an open rank's cost its bound may leave unproven before the result says, in
words, that it is far from proven."""


def _said(name: str, count: int) -> str:
    words, unit = UNITS.get(name, (name.replace("_", " "), ""))
    if unit == "min":
        return f"{words} {count} min"
    if unit:
        return f"{words} {plural(count, unit)}" if unit != "activity" else f"{words} {count}"
    return f"{words} {count}"


@dataclass(frozen=True)
class ObjectiveValue:
    """The objective of a timetable, by name: ``terms[name]`` counts plainly (activities
    moved, pairs out of order, minutes, broken instances), ``costs[name]`` is what the term
    adds to its rank; ``ranks`` in the order they count; ``total`` and ``bound`` are the
    solver's raw numbers (comparable with each other only); ``gap`` says in words what is
    proven and how far the rest may be."""

    terms: dict[str, int]
    costs: dict[str, int]
    ranks: tuple[RankValue, ...]
    total: int | None
    bound: int | None
    optimal: bool
    rank_terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The terms of each rank, by rank name."""

    @property
    def proven(self) -> bool:
        return self.optimal or all(r.proven for r in self.ranks)

    @property
    def open_rank(self) -> RankValue | None:
        """The first rank not proven best (None when the whole objective is proven)."""
        if self.proven:
            return None
        return next((rank for rank in self.ranks if not rank.proven), None)

    @property
    def far_from_proven(self) -> bool:
        """The first open rank's bound leaves more than ``FAR_FROM_PROVEN`` of its cost
        unproven (or nothing is known of it): the best possible may be much better, and
        another run may differ."""
        rank = self.open_rank
        if rank is None or rank.cost <= 0:
            return False
        return rank.lowest is None or rank.lowest < rank.cost * (1 - FAR_FROM_PROVEN)

    @property
    def gap(self) -> str:
        if self.proven:
            return "proven best"
        proven = []
        for k, rank in enumerate(self.ranks):
            if rank.proven:
                proven.append(_rank_words(rank.name))
                continue
            said = ""
            if proven:
                said = f"{', '.join(proven)} proven best; "
            if rank.lowest is None:
                said += f"{_rank_words(rank.name)} {self._rank_count(rank.name)} not proven best"
            else:
                said += (
                    f"{_rank_words(rank.name)} {self._rank_count(rank.name)} (cost {rank.cost}): "
                    f"the bound allows cost {rank.lowest}, up to {rank.cost - rank.lowest} less"
                )
            later = self.ranks[k + 1 :]
            given = [_rank_words(r.name) for r in later if r.proven]
            rest = [_rank_words(r.name) for r in later if not r.proven]
            if given:
                said += f"; {', '.join(given)} best with it as it is"
            if rest:
                said += f"; {', '.join(rest)} not compared yet"
            return said
        return "proven best"

    def _rank_count(self, rank: str) -> str:
        names = self.rank_terms.get(rank, ())
        if rank == "soft_rules":
            return f"{self.terms.get('soft_rules', 0)} broken"
        minutes = [n for n in names if UNITS.get(n, ("", ""))[1] == "min"]
        counted = sum(self.terms.get(n, 0) for n in names if n not in minutes)
        spent = sum(self.terms.get(n, 0) for n in minutes)
        if minutes and (len(minutes) == len(names) or (spent and not counted)):
            return f"{spent} min"  # a shape of minutes only: never "shape 0 (cost 375)"
        return f"{counted} and {spent} min" if spent else str(counted)

    def __repr__(self) -> str:
        return f"<ObjectiveValue {self.line()}; {self.gap}>"

    def _repr_html_(self) -> str:
        """A row per named term, rank by rank (count and cost), then the gap (for Jupyter)."""
        from ..display import html_block

        rows = [
            (rank.name, name, self.terms[name], self.costs.get(name, 0))
            for rank in self.ranks
            for name in self.rank_terms.get(rank.name, ())
            if name in self.terms
        ]
        return html_block(
            f"Objective: {self.gap}",
            paragraphs=[self.line()],
            table=(("rank", "term", "count", "cost"), rows),
        )

    def line(self) -> str:
        """``objective: skeleton 0, soft rules 2 (weight 3), order 1 pair, idle 15 min``."""
        said: list[str] = []
        for rank in self.ranks:
            names = [n for n in self.rank_terms.get(rank.name, ()) if n in self.terms]
            if rank.name == "soft_rules":
                count, cost = self.terms.get("soft_rules", 0), self.costs.get("soft_rules", 0)
                said.append(f"soft rules {count}" + (f" (weight {cost})" if count else ""))
            elif rank.name == "skeleton":
                found = [_said(n, self.terms[n]) for n in names if self.terms[n]]
                total = sum(self.terms[n] for n in names)
                said.append(f"skeleton {total}" + (f" ({', '.join(found)})" if found else ""))
            elif rank.name == "order":
                said.append(_said("order", self.terms.get("order", 0)))
            else:
                found = [_said(n, self.terms[n]) for n in names if self.terms[n]]
                said.extend(found or [f"{_rank_words(rank.name)} 0"])
        return "objective: " + ", ".join(said)


def _rank_words(name: str) -> str:
    return name.replace("_", " ")


def evaluate(
    ranks: Sequence[Rank],
    value: Callable[[Any], int],
    bound: Callable[[Rank], int | None],
    *,
    optimal: Sequence[bool],
    total: int | None = None,
    raw_bound: int | None = None,
) -> ObjectiveValue:
    """Read the terms of ``ranks`` (as solved: merged or one after the other) through
    ``value``; ``bound(rank)`` is the solver's bound of a solved rank (None: not solved), and
    ``optimal`` says of each whether it was proven. A merged rank's bound is read back rank
    by rank: the first rank can cost no less than the bound divided by its multiplier; the
    next, given the first at that least, no less than what remains divided by its own..."""
    terms: dict[str, int] = {}
    costs: dict[str, int] = {}
    values: list[RankValue] = []
    rank_terms: dict[str, tuple[str, ...]] = {}
    for rank, proven in zip(ranks, optimal, strict=True):
        low = bound(rank)
        remaining = low
        for name, multiplier, members in rank.parts:
            rank_terms[name] = tuple(t.name for t in members)
            cost = 0
            for term in members:
                terms[term.name] = _read(value, term.count)
                costs[term.name] = _read(value, term.cost)
                cost += costs[term.name]
            lowest: int | None
            if proven:
                lowest = cost
            elif remaining is None:
                lowest = None
            else:
                lowest = max(0, remaining // multiplier)
                remaining = remaining - cost * multiplier if lowest >= cost else None
            values.append(RankValue(name, cost, min(lowest, cost) if lowest is not None else None))
    return ObjectiveValue(
        terms=terms,
        costs=costs,
        ranks=tuple(values),
        total=total,
        bound=raw_bound,
        optimal=all(optimal) and len(optimal) == len(ranks),
        rank_terms=rank_terms,
    )


def _read(value: Callable[[Any], int], expression: Any) -> int:
    if isinstance(expression, int):
        return expression
    return round(value(expression))
