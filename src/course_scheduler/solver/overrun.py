"""Activities that may not run at once and need more time than they can have: a proof, from
times alone, that no timetable exists.

Why: on a conference whose tags each gather about 100 talks that may not overlap (a tag's
audience wants every talk), the talks of a tag last 65 hours and the slots they may take
span 48. The construction leaves some out, counting places finds rooms enough, and CP-SAT's
search on the pooled model (no presolve nor LP relaxation, ``search.POOLED``) found neither a
timetable nor a proof in two minutes, at 1,000 talks as at 10,000. Adding up minutes proves
it at once, and says which activities, in words a planner can act on.

The reading: a group of pooled activities the model keeps apart (``Build.apart_groups``: at
most one of them at any moment, under a hard rule) occupy disjoint times, each within the
times its own cells give it (a start of its cells' slots, for its length). So the lengths of
any set of them add up to no more than the union of those times. Two sets are tried per
group: all of it, and those of it that may only take one day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..compile import Problem
from ..reporting import named
from ..rules.base import day_label, quote
from ..text import plural
from .build import DAY
from .slots import Options

Apart = tuple[list[int], str, str | None]
"""A group of pooled activities kept apart, the rule that keeps them apart and its key (the
person, the group), as ``Build.apart_groups`` and ``Build.apart_reasons`` give them."""


@dataclass(frozen=True)
class Overrun:
    """Activities (by index) kept apart by ``rule`` (for ``key``) that last ``needed``
    minutes between them, with only ``available`` minutes, on ``days``, that any of them
    may take."""

    activities: tuple[int, ...]
    rule: str
    key: str | None
    needed: int
    available: int
    days: tuple[int, ...]


def overrun(
    options: dict[int, Options],
    groups: Sequence[Apart],
    expired: Callable[[], bool] | None = None,
) -> Overrun | None:
    """The first set of a group of ``groups`` whose activities last longer than the times
    they may take; None when none does (so far as minutes go) or time ran out
    (``expired``). Alike activities (one list of cells, one length) are read once, and a
    set that needs no more than one of its members may occupy alone is passed over without
    merging its times: most groups are so (a speaker's two talks), and the count runs
    before every construction (13,400 members of 1,866 groups at 10,000 talks: 20 ms)."""
    known: dict[tuple[int, int], _Times] = {}
    of_activity: dict[int, _Times] = {}
    for index, found in options.items():
        shape = (id(found.cells), found.item.duration)
        times = known.get(shape)
        if times is None:
            times = known[shape] = _times(found, shape)
        of_activity[index] = times
    length = {i: t.length for i, t in of_activity.items()}
    alone = {i: t.minutes for i, t in of_activity.items()}
    one_day_only = {i for i, t in of_activity.items() if len(t.days) == 1}
    for members, rule, key in groups:
        if expired is not None and expired():
            return None
        unique = [i for i in dict.fromkeys(members) if i in of_activity]
        if len(unique) < 2:
            continue
        needed = sum(map(length.__getitem__, unique))
        if needed <= max(map(alone.__getitem__, unique)) and one_day_only.isdisjoint(unique):
            continue  # the union holds at least the times of any one of them
        present = [(i, of_activity[i]) for i in unique]
        one_day: dict[int, list[tuple[int, _Times]]] = defaultdict(list)
        for index, t in present:
            if len(t.days) == 1:
                one_day[next(iter(t.days))].append((index, t))
        for subset in [present, *(s for s in one_day.values() if 1 < len(s) < len(present))]:
            if len(subset) < 2:
                continue
            needed = sum(t.length for _, t in subset)
            alike = {t.key: t for _, t in subset}.values()
            if needed <= max(t.minutes for t in alike):
                continue  # the union holds at least the times of any one of them
            union = _merged([span for t in alike for span in t.spans])
            available = sum(end - start for start, end in union)
            if needed > available:
                on = tuple(sorted({start // DAY for start, _ in union}))
                activities = tuple(i for i, _ in subset)
                return Overrun(activities, rule, key, needed, available, on)
    return None


@dataclass(frozen=True)
class _Times:
    """The times activities alike (``key``: one list of cells, one ``length``) may occupy:
    disjoint ``spans``, ``minutes`` in all, on ``days``."""

    key: tuple[int, int]
    length: int
    spans: list[tuple[int, int]]
    minutes: int
    days: set[int]


def _times(options: Options, key: tuple[int, int]) -> _Times:
    length = options.item.duration
    starts = sorted({cell.day * DAY + cell.start for cell, _ in options.cells})
    merged = _merged([(s, s + length) for s in starts])
    days = {start // DAY for start in starts}
    return _Times(key, length, merged, sum(end - start for start, end in merged), days)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` as the fewest disjoint spans covering the same minutes, in order."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


NAMED_DAYS = 8
"""Days a sentence names before "and N more"."""


def sentence(problem: Problem, found: Overrun) -> str:
    """The overrun in words: who or what keeps the activities apart, how long they last
    between them, how much time they may take, and some of them (examples, not culprits)."""
    items = {item.index: item for item in problem.items}
    members = [quote(items[i]) for i in found.activities]
    dates = _runs(problem, found.days)
    if len(dates) > NAMED_DAYS + 2:
        dates = [*dates[:NAMED_DAYS], f"{len(dates) - NAMED_DAYS} more"]
    return (
        f"{plural(len(found.activities), 'activity')} {_apart_by(problem, found)} last "
        f"{_hours(found.needed)} between them, but the times any of them may take "
        f"(a start of its slots, for its length) add up to {_hours(found.available)} "
        f"on {_joined(dates)}: {_hours(found.needed - found.available)} too long "
        f"(such as {named(members)}) [{found.rule}]"
    )


def _runs(problem: Problem, days: tuple[int, ...]) -> list[str]:
    """The days in words, three or more days in a row as one ("Mon 15 Sep 2025 to Mon 22
    Sep 2025")."""
    runs: list[list[int]] = []
    for day in days:
        date = problem.dates[day]
        if runs and (date - problem.dates[runs[-1][-1]]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    said: list[str] = []
    for run in runs:
        labels = [day_label(problem.dates[day]) for day in run]
        said += [f"{labels[0]} to {labels[-1]}"] if len(run) > 2 else labels
    return said


def _apart_by(problem: Problem, found: Overrun) -> str:
    """What keeps them apart: a person or a group in one activity at a time, or a clash
    rule."""
    rule = next((r for r in problem.rules if r.id == found.rule), None)
    resource = getattr(rule, "resource", None)
    if resource == "person" and found.key in problem.people:
        return f"of {problem.people[found.key].name}, who takes part in one at a time,"
    if resource == "group" and found.key is not None:
        groups = {group.id: group.name for group in problem.programme.groups}
        return f"of {groups.get(found.key, found.key)}, who attend one at a time,"
    if rule is not None and rule.kind == "clash":
        return "that may never run at once"
    return "kept apart"


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return plural(minutes, "minute")
    return plural(hours, "hour") + (f" {rest} min" if rest else "")


def _joined(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
