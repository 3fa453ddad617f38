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
from ..text import and_list, hours, plural
from .build import DAY
from .slots import CellOptions, Options

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
    (``expired``). Only the members of groups are read, and alike activities (one list of
    cells, or lists that differ from one base only in rooms, ``slots.Barred``; one length)
    once; a set that needs no more than one of its members may occupy alone is passed over
    without merging its times: most groups are so (a speaker's two talks), and the count
    runs before every construction. An activity with no cell at all is left out: no rule
    that keeps it apart is why (the search for the rules names what is)."""
    known: dict[tuple[int, int], _Times] = {}
    of_part: dict[tuple[int, int], _Times] = {}
    of_activity: dict[int, _Times] = {}

    def part_times(cells: CellOptions, length: int) -> _Times:
        shape = (id(cells), length)
        found = of_part.get(shape)
        if found is None:
            found = of_part[shape] = _times(cells, length, shape)
        return found

    def times(index: int) -> _Times:
        found = options[index]
        cells = getattr(found.cells, "base", found.cells)  # the same starts as its base
        length = found.item.duration
        shape = (id(cells), length)
        alike = known.get(shape)
        if alike is None:  # a list made of days' parts (``slots.ByDays``): each read once
            parts = [part_times(part, length) for part in getattr(cells, "parts", [cells])]
            alike = known[shape] = _joined_times(parts, shape) if len(parts) > 1 else parts[0]
        of_activity[index] = alike
        return alike

    def days_read_cheaply(index: int) -> list[int] | None:
        """The days of a list made of days' parts (``slots.ByDays``), read off each part's
        first cell; None for another list (its cells would have to be read)."""
        cells = options[index].cells
        parts = getattr(getattr(cells, "base", cells), "parts", None)
        return [part[0][0].day for part in parts if part] if parts else None

    for members, rule, key in groups:
        if expired is not None and expired():
            return None
        if len(members) < 2:
            continue
        unique = [i for i in dict.fromkeys(members) if i in options]
        if len(unique) > 1 and _enough_by_days(options, unique, days_read_cheaply):
            continue
        present = [(i, t) for i in unique if (t := of_activity.get(i) or times(i)).minutes]
        if len(present) < 2:
            continue
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


def _times(cells: CellOptions, length: int, key: tuple[int, int]) -> _Times:
    starts = sorted({cell.day * DAY + cell.start for cell, _ in cells})
    merged = _merged([(s, s + length) for s in starts])
    days = {start // DAY for start in starts}
    return _Times(key, length, merged, sum(end - start for start, end in merged), days)


def _enough_by_days(
    options: dict[int, Options],
    members: list[int],
    days_of: Callable[[int], list[int] | None],
) -> bool:
    """True when ``members`` surely have time enough, read without their cells: each day
    any of them may take holds at least the longest of those that may take it, and their
    lengths add up to no more. Why: the groups of a 10,000-talk programme whose talks each
    have a list of cells of their own (38C3 scaled, some slots barred per talk) cost half a
    second to read cell by cell, and a speaker's ten talks over twelve days need no reading.
    False when a member's days are not read so cheaply, or it may take only one day (the
    sets of one day are counted on their own)."""
    longest: dict[int, int] = {}
    for index in members:
        days = days_of(index)
        if days is None or len(days) < 2:
            return False
        length = options[index].item.duration
        for day in days:
            if longest.get(day, 0) < length:
                longest[day] = length
    return sum(options[i].item.duration for i in members) <= sum(longest.values())


def _joined_times(parts: list[_Times], key: tuple[int, int]) -> _Times:
    """The times of a list made of parts, each on days of its own."""
    spans = _merged([span for part in parts for span in part.spans])
    days = set().union(*(part.days for part in parts))
    return _Times(key, parts[0].length, spans, sum(part.minutes for part in parts), days)


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
        f"{hours(found.needed)} between them, but the times any of them may take "
        f"(a start of its slots, for its length) add up to {hours(found.available)} "
        f"on {and_list(dates)}: {hours(found.needed - found.available)} too long "
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
        name = problem.group_names.get(found.key, found.key)
        return f"of {name}, who attend one at a time,"
    if rule is not None and rule.kind == "clash":
        return "that may never run at once"
    return "kept apart"
