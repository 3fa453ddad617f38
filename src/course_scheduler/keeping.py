"""What a solve keeps of the errors the file itself forces, and its check that it adds none.

A published programme is full of small defects (a lecturer printed in two parallel labs, a
tour that starts before its coach arrives), and a planner who re-plans it asks for a
timetable, not for a proof that the printed one was wrong. So a solve may keep every error
that the file's pinned times or its structure force, mends what it can, names in one line
each it keeps, and adds none:

- **a clash** (a group, a person or a room in two activities at once) among the pinned
  times the file states is kept while both activities stay at those times; moved, they must
  be apart (``KeptOverlap`` with its published ``at``);
- **a clash the structure forces**: two parts of one block that share a person, group or
  room and are too long to follow each other inside it overlap wherever the block is, so the
  pair may overlap anywhere (``KeptOverlap`` with no ``at``). This is the only error a
  template (no times) can force: the file says the parts run side by side;
- **any other error** of a kind whose encoding names each instance's activities
  (``KEEPABLE``): that one instance is left out of the encoding while its activities are all
  where the file places them (``Problem.kept_findings``, ``Problem.kept_at``).

Every error kept where a move could mend it costs as much as a meal out of its time (the
skeleton rank), so a re-plan keeps one only when mending it would break more of the day.

``published_clashes="repair"`` (CLI ``--repair-published``) keeps none of them: the solve then
has a timetable only if the file can have one without them, and otherwise explains why.

The solved timetable is then checked by every rule, nothing kept (``verify``): each error left
must be one of those kept (a clash by its pair and rule, anything else word for word), so what
the solve says it kept is what ``check`` reports of the solved file. This module imports no
solver: the same reading serves ``check``'s side.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from .compile import Item, KeptOverlap, Problem
from .model import NoOverlapRule, Severity
from .rules.base import Finding
from .text import plural
from .timetable import Timetable, published_timetable

KEEPABLE = frozenset(
    {
        "day_window",
        "time_window",
        "date_window",
        "availability",
        "sequence",
        "travel_time",
        "transport",
        "due",
    }
)
"""Rule kinds whose encodings name each instance's activities as the checker's findings do
(``ModelContext.guard(about=...)``), so that one published error can be left out exactly.
Clashes (``no_overlap``) are kept by their own means (``KeptOverlap``)."""

Keeping = Literal["keep", "repair"]


@dataclass
class Keep:
    """The errors a solve is allowed to keep, and the activities that then stay put."""

    overlaps: tuple[KeptOverlap, ...] = ()
    findings: dict[str, frozenset[frozenset[str]]] = field(default_factory=dict)
    """By rule, the activities of each kept error that is not a clash."""
    baseline: tuple[Finding, ...] = ()
    """Every error of the pinned times, as ``check`` words it."""

    def __bool__(self) -> bool:
        return bool(self.overlaps or self.findings)


def stated(problem: Problem) -> Timetable:
    """What the file forces: the published placement of every activity it pins (rides at
    their printed departures included); a template's usual times are the solver's to move."""
    published = published_timetable(problem)
    fixed = {i.id for i in problem.items if i.pinned or i.ride is not None}
    return Timetable({ident: p for ident, p in published.placements.items() if ident in fixed})


def keep_for(problem: Problem) -> Keep:
    """The errors of ``problem``'s pinned times and of its structure that a solve keeps."""
    from .checking import check_problem
    from .rules.overlap import kept_overlaps

    times = stated(problem)
    baseline = tuple(check_problem(problem, times).errors)
    forced = forced_overlaps(problem)
    anywhere = {(k.rule, k.resource, k.first, k.second) for k in forced}
    published = [
        k
        for k in (kept_overlaps(problem, times) if baseline else [])
        if (k.rule, k.resource, k.first, k.second) not in anywhere
    ]
    kinds = {rule.id: rule.kind for rule in problem.rules}
    findings: dict[str, set[frozenset[str]]] = {}
    for finding in baseline:
        activities = frozenset(finding.activities)
        if kinds.get(finding.rule) in KEEPABLE and activities <= set(problem.index):
            findings.setdefault(finding.rule, set()).add(activities)
    return Keep(
        overlaps=(*forced, *published),
        findings={rule: frozenset(sets) for rule, sets in findings.items()},
        baseline=baseline,
    )


def kept_in(problem: Problem) -> Keep:
    """Set ``problem`` to keep the errors the file forces (``keep_for``), and say what it keeps.

    A clash may stay while both activities are at their printed times; any other error
    while its activities are all where the file places them (``Problem.kept_at``): moved,
    the rule holds for them again. Each error kept costs in the skeleton rank
    (``Build.kept_costs``), so a re-plan mends one when that breaks nothing of the day's
    frame."""
    keep = keep_for(problem)
    if keep:
        problem.kept_overlaps = keep.overlaps
        problem.kept_findings = keep.findings
        problem.kept_at = {
            p.activity: (p.date, p.start, p.end, p.venue)
            for p in stated(problem).placements.values()
        }
    return keep


def forced_overlaps(problem: Problem) -> list[KeptOverlap]:
    """Pairs of parts of one block that share a person, a group or a room and cannot follow
    one another inside it (their shortest lengths add up to more than its longest): the file
    itself runs them side by side, wherever the block is placed."""
    parts: dict[str, list[Item]] = {}
    for item in problem.items:
        if item.block is not None and item.block in problem.index:
            parts.setdefault(item.block, []).append(item)
    found: list[KeptOverlap] = []
    for rule in problem.rules:
        if not isinstance(rule, NoOverlapRule) or rule.severity != Severity.HARD:
            continue
        for block, items in parts.items():
            room = problem.item(block).max_duration
            for index, a in enumerate(items):
                for b in items[index + 1 :]:
                    if a.duration + b.duration <= room:
                        continue
                    first, second = sorted((a.id, b.id))
                    for key in sorted(_shared(rule, a, b)):
                        found.append(KeptOverlap(rule.id, key, first, second, None))
    return found


def _shared(rule: NoOverlapRule, a: Item, b: Item) -> set[str]:
    if rule.resource == "person":
        return set(a.people) & set(b.people)
    if rule.resource == "group":
        return set(a.groups) & set(b.groups)
    return set(a.rooms[:1]) & set(b.rooms[:1]) if len(a.rooms) == len(b.rooms) == 1 else set()


def as_published(problem: Problem, frozen: frozenset[str], reference: Timetable) -> Problem:
    """The frozen activities with the length the published timetable gives them: one printed
    with no end is elastic in a solve, and kept as it was read (its error word for word)."""
    items = []
    for item in problem.items:
        placed = reference.get(item.id)
        if item.id in frozen and item.elastic and placed is not None:
            length = placed.end - placed.start
            item = dataclasses.replace(item, duration=length, longest=0)
        items.append(item)
    problem.items = items
    return problem


@dataclass
class Kept:
    """What a solved timetable kept of the errors the file forces, checked by every rule."""

    errors: list[Finding]
    """The errors ``check`` reports of the solved timetable, each one the file forced."""
    added: list[Finding]
    """Errors the file did not force (none, unless something is wrong: then said, never hidden)."""
    forced: frozenset[tuple[str, str]] = frozenset()
    """The pairs kept because the file's structure runs them side by side."""
    mended: int = 0
    """Errors of the printed times the timetable no longer has."""

    def line(self) -> str:
        """ "It keeps 2 errors the file itself forces ([transport] jan26-tour, as published;
        ...), mends 3, and adds none ('--repair-published' keeps none of them)." ("" when the
        file forces none)."""
        mends = f"mends {plural(self.mended, 'error')} of the printed times"
        if not self.errors and not self.added:
            return f"It {mends}, and adds none." if self.mended else ""
        named = "; ".join(self._name(f) for f in self.errors)
        text = f"It keeps {plural(len(self.errors), 'error')} the file itself forces ({named})"
        if self.mended:
            text += f", {mends}"
        if not self.added:
            return f"{text}, and adds none ('--repair-published' keeps none of them)."
        more = "; ".join(_name(f) for f in self.added)
        return (
            f"{text if self.errors else 'It keeps no error of the file'}, but adds "
            f"{plural(len(self.added), 'error')} the file does not have ({more}): please "
            "report this."
        )

    def _name(self, finding: Finding) -> str:
        if finding.kind == "no_overlap" and _pair(finding) in self.forced:
            return f"{_name(finding)}, two parts of one block"
        return f"{_name(finding)}, as published"


def _name(finding: Finding) -> str:
    return f"[{finding.rule}] {', '.join(finding.activities)}"


def _pair(finding: Finding) -> tuple[str, str]:
    ordered = sorted(finding.activities)
    return (ordered[0], ordered[-1])


def verify(problem: Problem, timetable: Timetable, keep: Keep) -> Kept:
    """``timetable`` checked by every rule of ``problem`` with nothing kept: the errors it has,
    split into those the file forces (a kept clash by its pair and rule, any other error word
    for word as the pinned times have it) and any other."""
    from .checking import check_problem

    strict = dataclasses.replace(problem, kept_overlaps=(), kept_findings={})
    errors = check_problem(strict, timetable).errors
    forced = frozenset((k.first, k.second) for k in keep.overlaps if k.at is None)
    clashes = Counter(
        _clash(f) for f in keep.baseline if f.kind == "no_overlap" and _pair(f) not in forced
    )
    clashes.update((k.rule, k.first, k.second) for k in keep.overlaps if k.at is None)
    exact = Counter(_identity(f) for f in keep.baseline if f.kind != "no_overlap")
    kept, added = [], []
    for finding in errors:
        if finding.kind == "no_overlap" and clashes[_clash(finding)] > 0:
            clashes[_clash(finding)] -= 1
            kept.append(finding)
        elif exact[_identity(finding)] > 0:
            exact[_identity(finding)] -= 1
            kept.append(finding)
        else:
            added.append(finding)
    left = Counter(_key(f) for f in kept)
    mended = 0
    for finding in keep.baseline:
        if left[_key(finding)] > 0:
            left[_key(finding)] -= 1
        else:
            mended += 1
    return Kept(kept, added, forced, mended)


def _key(finding: Finding) -> tuple[object, ...]:
    return _clash(finding) if finding.kind == "no_overlap" else _identity(finding)


def _clash(finding: Finding) -> tuple[str, str, str]:
    first, second = _pair(finding)
    return finding.rule, first, second


def _identity(finding: Finding) -> tuple[str, tuple[str, ...], str]:
    return finding.rule, tuple(sorted(finding.activities)), finding.message
