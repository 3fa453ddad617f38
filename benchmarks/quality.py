"""Planner quality of generated and repaired timetables, measured the way a planner looks at them.

For each case a timetable is made (a solve with every time unpinned, a solve from the last
edition's pattern, a what-if repair) and compared with the published one by activity id:

* ``in order``: of the pairs of activities on one day in both, the share in the published order;
* ``mean shift``: the mean minutes between the published and the new time of day;
* ``holes``: gaps under 15 minutes between a group's consecutive activities that travel does
  not explain (the published programme's count beside it);
* ``off part``: activities outside the parts of the day their kind takes (by their middle);
* ``early days``: days that start before their published start;
* ``after lunch``: sessions placed after the day's lunch on a day whose published sessions are
  all before it; ``after closing``: anything after the closing ceremony on its day that was
  before it in the published programme.

Every figure is computed here from the timetables, independently of the library's rules.
Usage: ``python -m benchmarks.quality [--time-limit 30]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from benchmarks import readings
from benchmarks._timing import ROOT, table
from course_scheduler import compile_programme, load, solve
from course_scheduler.compile import Problem
from course_scheduler.edition import next_edition
from course_scheduler.model import Availability
from course_scheduler.timetable import Timetable, published_timetable
from course_scheduler.vocabulary import SESSION_CATEGORIES, Category, part_of
from course_scheduler.whatif import (
    AvailableOnly,
    Scenario,
    Unavailable,
    apply,
    load_scenario,
    what_if,
)

BARCELONA = ROOT / "examples" / "barcelona_2024"
SHORT = 15
SESSIONS = SESSION_CATEGORIES - {Category.ADMIN, Category.CEREMONY}


@dataclass
class Made:
    """A timetable made for a case, and the published one it is judged against."""

    problem: Problem
    status: str
    timetable: Timetable | None
    published_problem: Problem
    published: Timetable


@dataclass
class Case:
    name: str
    make: Callable[[], Made]


def in_order(old: Timetable, new: Timetable, ids: set[str]) -> float:
    """Share of same-day pairs (in both) that keep the published order."""
    same = kept = 0
    for a, b in combinations(sorted(ids), 2):
        pa, pb, qa, qb = old.get(a), old.get(b), new.get(a), new.get(b)
        if None in (pa, pb, qa, qb):
            continue
        assert pa and pb and qa and qb
        if pa.date != pb.date or qa.date != qb.date or pa.start == pb.start:
            continue
        same += 1
        kept += (pa.start < pb.start) == (qa.start < qb.start)
    return kept / same if same else 1.0


def mean_shift(old: Timetable, new: Timetable, ids: set[str]) -> float:
    shifts = [
        abs(q.start - p.start)
        for ident in ids
        if (p := old.get(ident)) is not None and (q := new.get(ident)) is not None
    ]
    return sum(shifts) / len(shifts) if shifts else 0.0


def short_holes(problem: Problem, timetable: Timetable) -> int:
    """Gaps under SHORT minutes between consecutive activities of a group, travel aside."""
    count = 0
    by_day: dict[tuple[str, dt.date], list[tuple[int, int, str | None, str]]] = {}
    hidden = {
        i.id
        for i in problem.items
        if i.ride and any(problem.items[s].includes_travel for s in problem.legs[i.ride[0]].served)
    }
    for p in timetable:
        item = problem.item(p.activity)
        if item.id in hidden:
            continue
        for group in item.groups:
            by_day.setdefault((group, p.date), []).append((p.start, p.end, p.venue, item.id))
    for rows in by_day.values():
        rows.sort()
        reach = None
        for start, end, venue, _ in rows:
            if reach is not None and start > reach[0]:
                need = problem.travel_minutes(reach[1], venue)
                if 0 < start - reach[0] - need < SHORT:
                    count += 1
            if reach is None or end > reach[0]:
                reach = (end, venue)
    return count


def off_part(problem: Problem, timetable: Timetable) -> int:
    return sum(
        1
        for p in timetable
        if part_of(p.start, p.end, problem.boundaries) not in problem.item(p.activity).parts
    )


def early_days(old: Timetable, new: Timetable) -> int:
    """Days whose first activity (bus rides aside) starts before the published first one."""

    def firsts(tt: Timetable) -> dict[dt.date, int]:
        found: dict[dt.date, int] = {}
        for p in tt:
            if "." not in p.activity:
                found[p.date] = min(found.get(p.date, p.start), p.start)
        return found

    before, after = firsts(old), firsts(new)
    return sum(1 for date, start in after.items() if date in before and start < before[date])


def after_lunch(problem: Problem, old: Timetable, new: Timetable) -> int:
    """Sessions after the day's lunch where the published sessions of that day all precede it."""

    def days(tt: Timetable) -> dict[dt.date, tuple[list[int], int | None]]:
        found: dict[dt.date, tuple[list[int], int | None]] = {}
        for p in tt:
            if p.activity not in problem.index:
                continue
            item = problem.item(p.activity)
            starts, lunch = found.setdefault(p.date, ([], None))
            if item.kind == "lunch":
                found[p.date] = (starts, p.start if lunch is None else min(lunch, p.start))
            elif item.category in SESSIONS:
                starts.append(p.start)
        return found

    published, made = days(old), days(new)
    count = 0
    for date, (starts, lunch) in made.items():
        before, before_lunch = published.get(date, ([], None))
        if lunch is not None and before_lunch is not None and all(s < before_lunch for s in before):
            count += sum(1 for start in starts if start > lunch)
    return count


def after_closing(problem: Problem, old: Timetable, new: Timetable) -> int:
    """Activities after the closing on its day that were before it in the published one."""
    closing = next((i.id for i in problem.items if i.kind == "closing"), None)
    if closing is None or new.get(closing) is None or old.get(closing) is None:
        return 0
    c_old, c_new = old.get(closing), new.get(closing)
    assert c_old and c_new
    return sum(
        1
        for p in new
        if p.date == c_new.date
        and p.start > c_new.start
        and (q := old.get(p.activity)) is not None
        and q.start < c_old.start
        and q.date == c_old.date
    )


def measure(case: Case) -> list[object]:
    began = time.perf_counter()
    made = case.make()
    seconds = time.perf_counter() - began
    if made.timetable is None:
        return [case.name, made.status, *["-"] * 7, f"{seconds:.2f}"]
    problem, new = made.problem, made.timetable
    shift = made.problem.dates[0] - made.published_problem.dates[0]
    old = Timetable(  # the published timetable on the new edition's dates (same weekdays)
        {
            k: dataclasses.replace(p, date=p.date + shift)
            for k, p in made.published.placements.items()
        }
    )
    ids = {i.id for i in problem.items if i.ride is None} & set(old.placements)
    return [
        case.name,
        made.status,
        f"{100 * in_order(old, new, ids):.1f} %",
        f"{mean_shift(old, new, ids):.1f}",
        f"{short_holes(problem, new)} ({short_holes(made.published_problem, made.published)})",
        off_part(problem, new),
        early_days(old, new),
        after_lunch(problem, old, new),
        after_closing(problem, old, new),
        f"{seconds:.2f}",
    ]


def _published(path: Path = BARCELONA / "corrected.yaml") -> tuple[Problem, Timetable]:
    problem = compile_programme(load(path))
    return problem, published_timetable(problem)


def _solved(path: Path, limit: float, unpin: bool) -> Made:
    """A solve of ``path`` judged against ``path``'s own published times."""
    result = solve(load(path), time_limit=limit, unpin=unpin)
    assert result.problem is not None
    return Made(result.problem, result.status.value, result.timetable, *_published(path))


def _pattern(limit: float, edits: Scenario | None) -> Made:
    template = next_edition(load(BARCELONA / "corrected.yaml"), dt.date(2025, 11, 17)).programme
    template = apply(template, load_scenario(BARCELONA / "next_edition_edits.yaml")).programme
    if edits is not None:
        template = apply(template, edits).programme
    result = solve(template, time_limit=limit)
    assert result.problem is not None
    return Made(result.problem, result.status.value, result.timetable, *_published())


def _repair(scenario: Scenario, limit: float) -> Made:
    result = what_if(load(BARCELONA / "corrected.yaml"), scenario, time_limit=limit)
    return Made(result.problem, result.status, result.timetable, *_published())


def cases(limit: float) -> list[Case]:
    galceran = Scenario(
        name="Galceran only on Tuesday",
        changes=[
            AvailableOnly(
                do="available_only",
                person="galceran",
                windows=[Availability(date=dt.date(2025, 11, 18))],
            )
        ],
    )
    substitute = Scenario(
        name="Yuan Gao for Khady Niang Sylla",
        changes=[
            Unavailable(
                do="unavailable", person="niang-sylla", talks="substitute", substitute="gao"
            )
        ],
    )
    found = [
        Case(
            "corrected, every time unpinned",
            lambda: _solved(BARCELONA / "corrected.yaml", limit, True),
        ),
        Case("next edition (2024 as pattern)", lambda: _pattern(limit, None)),
        Case("next edition, Galceran only Tue", lambda: _pattern(limit, galceran)),
        Case("what-if: Yuan Gao substitutes", lambda: _repair(substitute, limit)),
    ]
    for path in sorted((BARCELONA / "scenarios").glob("*.yaml")):
        scenario = load_scenario(path)
        found.append(Case(f"what-if: {path.stem}", lambda s=scenario: _repair(s, limit)))
    for path in sorted(ROOT.glob("examples/*/programme.yaml")):
        if path.parent != BARCELONA:  # real programmes of other events, from their own rules
            name = f"{path.parent.name}, every time unpinned"
            found.append(Case(name, lambda p=path: _solved(p, limit, True)))
    return found


HEADER = [
    "case",
    "status",
    "in order",
    "mean shift (min)",
    "holes <15 (published)",
    "off part",
    "early days",
    "after lunch",
    "after closing",
    "seconds",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()
    print(table(HEADER, [measure(case) for case in cases(args.time_limit)]))
    print()
    print(table(readings.HEADER, list(readings.rows(args.time_limit))))


if __name__ == "__main__":
    main()
