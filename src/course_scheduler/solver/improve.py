"""Large-neighbourhood search on a mostly pooled model: better timetables within the limit.

Why: with one worker CP-SAT improves a conference timetable by its own tree search only. On
the soft capacity rule (audiences without a room that holds them) it stalls with a gap (the
dense 400-event conference: 2 found against a bound of 1, for a minute). Moving a few
activities at a time finds what the tree search does not: keep the incumbent timetable, free
the activities whose audience has no fitting room and everything placed in a window of time
around one of them, let CP-SAT rearrange only those, keep any better answer, repeat. The
activities left in place are fixed by assumptions, so each round solves the same model
(nothing is copied or rebuilt), and every answer is a timetable of the full model.

The loop ends when the answer equals the proven bound, after a few rounds in a row without a
better answer, when its share of the time is spent, or when it is stopped. The best answer
becomes the complete hint of a last ordinary solve, which reports it (with the global bound)
and may still improve on it. Rounds draw their windows from a generator seeded by the solve's
seed; under ``deterministic_time`` each round's budget is deterministic too, so the same
input and seed give the same answer.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from .build import DAY, Build, hint_values, solution
from .slots import Choice

SHARE = 0.6
"""Of the time left after the first answer, the share the rounds may take."""
ROUND_SECONDS = 2.0
"""A round's wall-clock limit."""
ROUND_DETERMINISTIC = 0.2
"""A round's limit in CP-SAT's deterministic seconds, when the solve must be reproducible."""
FIRST_SHARE = 0.2
"""Of a stage's time, the share CP-SAT's own search has before the rounds start."""
STALL = 6
"""Rounds in a row without a better answer after which the rounds stop: the answer may be
optimal already, and only CP-SAT's own search can prove it."""


@dataclass
class Rounds:
    """What the rounds did, for benchmarks and tests."""

    tried: int = 0
    improved: int = 0
    values: list[float] = field(default_factory=list)


def improve(
    build: Build,
    solver: Any,
    budget: float,
    seed: int,
    callback: Any = None,
    most: int | None = None,
    load: float = 0.0,
) -> Rounds:
    """Rounds of large-neighbourhood search from the answer ``solver`` holds, for at most
    ``budget`` seconds (and ``most`` rounds, each on a deterministic budget, when the solve
    must be reproducible); the best answer is left as the model's complete hint. ``load``:
    the seconds a solve takes before it searches (loading the model): a round is only
    started with time for that and some search, and given both."""
    rounds = Rounds()
    pooled = build.pooled
    if pooled is None:
        return rounds
    began = time.perf_counter()
    bound = solver.best_objective_bound
    best_value = solver.objective_value
    best = solution(solver)
    chosen = pooled.chosen(best)
    rng = random.Random(seed)
    share = 0.15
    params = solver.parameters
    stalled = 0
    while best_value > bound + 1e-6 and (most is None or rounds.tried < most):
        if stalled >= STALL:
            break
        left = budget - (time.perf_counter() - began)
        if left < 0.2 + load or getattr(callback, "interrupted", False):
            break
        free = _neighbourhood(build, chosen, rng, share)
        fixed = [
            choice.index
            for choices in chosen.values()
            for choice in choices
            if choice.item.index not in free and choice.index != build.true_index
        ]
        hint_values(build.model, best)
        build.model.clear_assumptions()
        build.model.proto.assumptions.extend(fixed)
        params.max_time_in_seconds = min(ROUND_SECONDS + load, left)
        if most is not None:
            params.max_deterministic_time = ROUND_DETERMINISTIC
        rounds.tried += 1
        started = time.perf_counter()
        try:
            code = build.solve(solver, callback)
        finally:
            build.model.clear_assumptions()
        if load:  # no round is quicker than loading the model: the quickest says how long
            load = min(load, time.perf_counter() - started)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and (
            solver.objective_value < best_value - 1e-6
        ):
            best_value = solver.objective_value
            best = solution(solver)
            chosen = pooled.chosen(best)
            rounds.improved += 1
            rounds.values.append(best_value)
            stalled = 0
            continue
        stalled += 1
        # nothing better around there: look wider; the round ran out of time: look narrower
        share = min(1.0, share * 1.5) if code == cp_model.OPTIMAL else max(0.02, share * 0.7)
    hint_values(build.model, best)
    return rounds


def _neighbourhood(
    build: Build, chosen: dict[Any, list[Choice]], rng: random.Random, share: float
) -> set[int]:
    """The activities one round frees: those whose audience has no fitting room where they
    are, and every activity placed in a window of time around one of them (or around a
    random one), the window grown until about ``share`` of the activities are in it."""
    pooled = build.pooled
    assert pooled is not None
    placed: list[tuple[int, int]] = []
    costly: list[int] = []
    for cell, choices in chosen.items():
        matched = pooled.matched_rooms(cell, choices)
        for choice in choices:
            at = cell.day * DAY + cell.start
            placed.append((at, choice.item.index))
            fit = pooled.fits(choice)
            if not fit or matched.get(choice.item.index) not in fit:
                costly.append(choice.item.index)
    placed.sort()
    if not placed:
        return set()
    centre = rng.choice(costly) if costly and rng.random() < 0.8 else rng.choice(placed)[1]
    middle = next(k for k, (_, index) in enumerate(placed) if index == centre)
    width = max(1, int(share * len(placed)))
    low = max(0, min(middle - width // 2, len(placed) - width))
    return {index for _, index in placed[low : low + width]} | set(costly)
