"""The sweep that finds overlapping pairs, against every pair compared one by one.

``overlapping_pairs`` skips its sweep when one scan finds no activity starting before an
earlier one on its date has ended, and the clash rule puts its activities in time order by
their rank in ``CheckContext.placed``: both are shortcuts, so both are checked here against
the plain reading (every two placements on one date that share a minute, a block and its
part or a served activity and its own ride left alone), in the order the sweep gives them.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_scheduler.compile import Item, Problem, exempt_pair
from course_scheduler.model import ClashRule
from course_scheduler.rules.base import CheckContext
from course_scheduler.rules.overlap import check_clash, overlapping_pairs
from course_scheduler.timetable import Placement
from tests.strategies import Case, Planted, agreement_cases, planted_cases

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Pair = tuple[Item, Placement]


def _time_order(pairs: list[Pair]) -> list[Pair]:
    return sorted(pairs, key=lambda x: (x[1].date, x[1].start, x[1].end, x[0].index))


def _every_pair(problem: Problem, pairs: list[Pair]) -> list[tuple[str, str]]:
    """Each later activity with each earlier one it overlaps, compared one by one."""
    ordered = _time_order(pairs)
    found = []
    for j, (b, q) in enumerate(ordered):
        for a, p in ordered[:j]:
            if p.date == q.date and p.end > q.start and not exempt_pair(problem, b, a):
                found.append((a.id, b.id))
    return found


def _swept(problem: Problem, pairs: list[Pair], *, ordered: bool) -> list[tuple[str, str]]:
    return [(a.id, b.id) for a, _, b, _ in overlapping_pairs(problem, pairs, ordered=ordered)]


def _check(problem: Problem, ctx: CheckContext, seed: int) -> None:
    placed = list(ctx.placed)
    assert _swept(problem, placed, ordered=True) == _every_pair(problem, placed)
    shuffled = placed[:]
    random.Random(seed).shuffle(shuffled)
    assert _swept(problem, shuffled, ordered=False) == _every_pair(problem, placed)
    # a few activities, as a clash rule names them (repeated, some not placed)
    rng = random.Random(seed)
    named = [item.id for item, _ in rng.sample(placed, min(len(placed), rng.randint(2, 6)))]
    named += rng.sample(named, min(len(named), 2))
    named += [i.id for i in problem.items if i.id not in ctx.timetable.placements][:1]
    rule = ClashRule.model_validate({"id": "c", "kind": "clash", "activities": named})
    chosen = [(item, p) for item, p in placed if item.id in set(named)]
    expected = _every_pair(problem, chosen)
    assert [(f.activities[1], f.activities[0]) for f in check_clash(rule, ctx)] == expected


@SETTINGS
@given(case=planted_cases(), seed=st.integers(0, 10**6))
def test_the_sweep_finds_every_overlapping_pair(case: Planted, seed: int) -> None:
    problem = case.problem
    _check(problem, CheckContext(problem, case.timetable), seed)


@SETTINGS
@given(case=agreement_cases("no_overlap"), seed=st.integers(0, 10**6))
def test_the_sweep_finds_every_overlapping_pair_of_a_random_timetable(
    case: Case, seed: int
) -> None:
    _check(case.problem, CheckContext(case.problem, case.timetable), seed)
