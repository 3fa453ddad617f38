"""Removing activities from a programme without losing what the planner wrote about the rest.

Two questions, each answered here once for every scenario action that removes something:

* **What goes.** The activities named, and those that cannot happen without them: an activity
  that ``depends_on`` a removed one, the parts of a removed block, and a Q&A that a
  ``max_gap: 0`` sequence holds right after a removed activity (questions on a talk that is
  not given). Nothing else follows: the
  certificates ceremony after an absent speaker's closing words stays.
* **What the rules become.** A rule loses only what it said about the removed activities. A
  rule that selects by kind (``time_window`` with ``kinds``, ``opens_day``, ``max_content``...)
  or names no activity is kept whole. A ``sequence`` keeps each consecutive pair whose two
  activities remain (removing the middle of [talk, case study, Q&A] leaves no pair, so the talk
  and the Q&A are no longer glued together); a ``clash`` keeps its remaining activities while
  two remain; ``date_window`` and the activity list of ``time_window`` keep the remaining ids;
  a ``deadline`` about a removed activity goes; work due after a removed session is still due
  (it no longer waits for that session). Every rule that goes or shrinks is reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import ProgrammeError
from ..model import (
    Activity,
    ClashRule,
    DateWindowRule,
    DeadlineRule,
    Kind,
    Programme,
    Rule,
    SameRoomRule,
    SequenceRule,
    TimeWindowRule,
)


@dataclass
class Removal:
    """What a removal did: the activities gone (each with its reason) and the rules touched."""

    reasons: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def dependants(programme: Programme) -> dict[str, set[str]]:
    """Activity id -> the activities that cannot happen without it."""
    result: dict[str, set[str]] = {}
    kinds = {a.id: a.kind for a in programme.all_activities()}
    for activity in programme.all_activities():
        for other in activity.depends_on:
            result.setdefault(other, set()).add(activity.id)
        if activity.block is not None:
            result.setdefault(activity.block, set()).add(activity.id)
    for rule in programme.rules:
        if isinstance(rule, SequenceRule) and rule.max_gap == 0:
            for a, b in zip(rule.activities, rule.activities[1:], strict=False):
                if kinds.get(b) == Kind.QA:
                    result.setdefault(a, set()).add(b)
    return result


def remove(programme: Programme, idents: Iterable[str], reason: str) -> Removal:
    """Remove ``idents`` (and what depends on them) from ``programme``, in place."""
    titles = {a.id: a for a in programme.all_activities()}
    removal = Removal()
    queue = list(dict.fromkeys(idents))
    for ident in queue:
        if ident not in titles:
            raise ProgrammeError(f"unknown activity '{ident}'")
        removal.reasons.setdefault(ident, reason)
    needs = dependants(programme)
    while queue:
        ident = queue.pop(0)
        for other in sorted(needs.get(ident, ())):
            if other not in removal.reasons:
                removal.reasons[other] = f"it cannot happen without {_name(titles[ident])}"
                queue.append(other)
    doomed = set(removal.reasons)
    for day in programme.days:
        day.activities = [a for a in day.activities if a.id not in doomed]
    programme.activities = [a for a in programme.activities if a.id not in doomed]
    for activity in programme.all_activities():
        activity.depends_on = [x for x in activity.depends_on if x not in doomed]
    for deadline in programme.deadlines:
        if deadline.set_by in doomed:
            removal.notes.append(
                f"'{deadline.title}' ({deadline.id}) is still due; {deadline.set_by}, which set "
                "the work, is removed"
            )
            deadline.set_by = None
    taken = {rule.id for rule in programme.rules}
    kept: list[Rule] = []
    for rule in programme.rules:
        pruned, note = _prune(rule, doomed, taken)
        kept.extend(pruned)
        if note:
            removal.notes.append(note)
    programme.rules = kept
    return removal


def _name(activity: Activity) -> str:
    return f"'{activity.title}' ({activity.id})" if len(activity.title) <= 40 else activity.id


def _prune(rule: Rule, doomed: set[str], taken: set[str]) -> tuple[list[Rule], str | None]:
    """The rule as it reads without ``doomed``: unchanged, smaller, split, or gone."""
    if isinstance(rule, SequenceRule):
        return _prune_sequence(rule, doomed, taken)
    if isinstance(rule, SameRoomRule):
        remaining = [x for x in rule.activities if x not in doomed]
        if len(remaining) == len(rule.activities):
            return [rule], None
        if len(remaining) < 2:
            return [], f"rule {rule.id} no longer applies: fewer than two of its activities remain"
        return [rule.model_copy(update={"activities": remaining})], _shrunk(rule.id, remaining)
    if isinstance(rule, ClashRule):
        remaining = [x for x in rule.activities if x not in doomed]
        if len(remaining) == len(rule.activities):
            return [rule], None
        if len(set(remaining)) < 2 and not rule.tracks:  # tracks still select activities
            return [], f"rule {rule.id} no longer applies: fewer than two of its activities remain"
        return [rule.model_copy(update={"activities": remaining})], _shrunk(rule.id, remaining)
    if isinstance(rule, DateWindowRule):
        remaining = [x for x in rule.activities if x not in doomed]
        if len(remaining) == len(rule.activities):
            return [rule], None
        if not remaining:
            return [], f"rule {rule.id} no longer applies: none of its activities remain"
        return [rule.model_copy(update={"activities": remaining})], _shrunk(rule.id, remaining)
    if isinstance(rule, TimeWindowRule):
        remaining = [x for x in rule.activities if x not in doomed]
        if len(remaining) == len(rule.activities):
            return [rule], None
        if not remaining and not rule.kinds:
            return [], f"rule {rule.id} no longer applies: none of its activities remain"
        return [rule.model_copy(update={"activities": remaining})], _shrunk(rule.id, remaining)
    if isinstance(rule, DeadlineRule) and rule.activity in doomed:
        return [], f"rule {rule.id} no longer applies: {rule.activity} is removed"
    return [rule], None


def _shrunk(rule: str, remaining: list[str]) -> str:
    return f"rule {rule} now holds only for {', '.join(remaining)}"


def _prune_sequence(
    rule: SequenceRule, doomed: set[str], taken: set[str]
) -> tuple[list[Rule], str | None]:
    """Consecutive pairs whose two activities remain, as runs; each run of two or more is a
    rule (the first keeps the id, later ones get ``<id>.2``, ``<id>.3``...)."""
    if not doomed.intersection(rule.activities):
        return [rule], None
    runs: list[list[str]] = [[]]
    for ident in rule.activities:
        if ident in doomed:
            runs.append([])
        else:
            runs[-1].append(ident)
    runs = [run for run in runs if len(run) >= 2]
    if not runs:
        return [], f"rule {rule.id} no longer applies: no two consecutive activities of it remain"
    rules: list[Rule] = []
    for k, run in enumerate(runs):
        ident = rule.id
        if k:
            n = k + 1
            while f"{rule.id}.{n}" in taken:
                n += 1
            ident = f"{rule.id}.{n}"
            taken.add(ident)
        rules.append(rule.model_copy(update={"id": ident, "activities": run}))
    return rules, f"rule {rule.id} now holds only for " + "; ".join(" → ".join(r) for r in runs)
