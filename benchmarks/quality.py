"""Planner quality of generated and repaired timetables, measured the way a planner looks at them.

Every real programme under ``examples/`` is re-planned three ways and each timetable is
compared with the published one by activity id:

* ``template``: the programme with every time removed (days, lengths and the listed order
  kept; an item printed with no end keeps the length ``check`` reads; each day's frame kept:
  its usual start and the house's meal times), solved: the example's
  ``template.yaml`` when it has one, else ``template_of``;
* ``--unpin``: the published programme with every time free;
* each scenario: the Barcelona what-ifs and next editions (``examples/barcelona_2024``).

Each is solved as ``course-scheduler solve`` (or ``what-if``) does: an error the file forces
(a clash at its printed times, two parts of one block too long to follow each other, a tour
before its coach) is kept as the file has it, and the status counts them ("optimal, 2 kept").

The measures, each computed here from the timetables, independently of the library's rules
(the published programme's own count in brackets where it has one):

* ``order``: of the pairs of activities on one day in both, the share in the published order;
* ``shift``: the mean minutes between the published and the new time of day;
* ``holes``: gaps under 15 minutes between a group's consecutive activities, travel aside
  (a walk rounded up to the 5-minute grid a planner writes times on: 7:25 after an 8-minute
  walk from 7:15 leaves no hole);
* ``meals out``: meals starting more than 60 minutes from their published start;
* ``shrunk``: activities lasting less than half their published length;
* ``after dinner``: activities whose kind does not take the evening, starting after the
  dinner (a meal published at 16:00 or later) of one of their groups on that day;
* ``openers``: arrivals, registrations, check-ins and welcomes with something of their
  groups now before them on their day that was after them in the published programme;
* ``breaks``: a break next to a meal or another break in a group's day, nothing between;
* ``out of step``: pairs published at one start in parallel (no group in both: sibling
  groups' sessions, a block's parts) that no longer start together;
* ``stacked``: pairs published one after the other that now start at one time;
* ``idle``: gaps over 45 minutes between a group's consecutive activities, travel aside.

Usage: ``python -m benchmarks.quality [--time-limit 60] [--only NAME ...] [--examples DIR]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations, pairwise
from pathlib import Path

from benchmarks import readings
from benchmarks._timing import ROOT, table
from course_scheduler import compile_programme, load, solve
from course_scheduler.compile import Item, Problem, hidden_in_container
from course_scheduler.edition import next_edition
from course_scheduler.model import Availability, Programme
from course_scheduler.rules.skeleton import printed_meal_times
from course_scheduler.timetable import Placement, Timetable, published_timetable
from course_scheduler.vocabulary import Category, Part, part_of
from course_scheduler.whatif import (
    AvailableOnly,
    Scenario,
    Unavailable,
    apply,
    load_scenario,
    what_if,
)

BARCELONA = ROOT / "examples" / "barcelona_2024"
GRID = 5  # minutes: the grid a planner writes times on, and the planner default's
SHORT = 15
IDLE = 45
MEAL_WINDOW = 60
DINNER_FROM = 16 * 60
OPENER_WORDS = ("welcome", "registration", "arrival", "check_in", "check-in")


@dataclass
class Made:
    """A timetable made for a case, and the published one it is judged against."""

    problem: Problem
    status: str
    timetable: Timetable | None
    published_problem: Problem
    published: Timetable
    kept: int = 0
    """Errors the file forces that the timetable keeps (``Result.kept``, a what-if's
    ``kept_errors``): the status says "optimal, 2 kept"."""


@dataclass
class Case:
    name: str
    make: Callable[[], Made]


# --- templates -----------------------------------------------------------------------------------


def template_of(programme: Programme) -> Programme:
    """The programme as a planner drafts a new edition: every time removed, each activity kept
    on its day with its published length (an open end with the length ``check`` reads), in
    the order the file lists it; the day's frame stays, as ``scripts/make_templates.py``
    keeps it: each day's usual start (its earliest printed time) and the meals' printed
    times as the usual meal times (``planner.meal_times``). Transport keeps its times."""
    problem = compile_programme(programme)
    lengths = published_timetable(problem)
    template = programme.model_copy(deep=True)
    meal_times = template.planner.meal_times
    meal_times.update(printed_meal_times(problem))
    for day, usual in zip(template.days, problem.day_starts, strict=True):
        day.start = usual
        for activity in day.activities:
            placed = lengths.get(activity.id)
            if activity.time is None or placed is None:
                continue
            activity.time, activity.duration = None, placed.end - placed.start
    return Programme.model_validate(template.model_dump(by_alias=True))


# --- measures ------------------------------------------------------------------------------------


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


def group_days(
    problem: Problem, timetable: Timetable
) -> dict[tuple[str, dt.date], list[tuple[Placement, Item]]]:
    """Each group's day in time order, without the rides a door-to-door visit contains."""
    days: dict[tuple[str, dt.date], list[tuple[Placement, Item]]] = {}
    for p in timetable:
        if p.activity not in problem.index:
            continue
        item = problem.item(p.activity)
        if hidden_in_container(problem, item):
            continue
        for group in item.groups:
            days.setdefault((group, p.date), []).append((p, item))
    for rows in days.values():
        rows.sort(key=lambda x: (x[0].start, x[0].end, x[1].index))
    return days


def gaps(problem: Problem, timetable: Timetable) -> Iterable[int]:
    """The gaps between a group's consecutive activities, less the travel between them rounded
    up to the planner's grid: the minutes between arriving at 7:23 and starting at 7:25 are
    the walk's, not a hole anybody could use."""
    for rows in group_days(problem, timetable).values():
        reach: tuple[int, str | None] | None = None
        for p, _ in rows:
            if reach is not None and p.start > reach[0]:
                walk = problem.travel_minutes(reach[1], p.venue)
                yield p.start - reach[0] - -(-walk // GRID) * GRID
            if reach is None or p.end > reach[0]:
                reach = (p.end, p.venue)


def short_holes(problem: Problem, timetable: Timetable) -> int:
    """Gaps under SHORT minutes between consecutive activities of a group, travel aside."""
    return sum(1 for gap in gaps(problem, timetable) if 0 < gap < SHORT)


def idle_stretches(problem: Problem, timetable: Timetable) -> int:
    """Gaps over IDLE minutes between consecutive activities of a group, travel aside."""
    return sum(1 for gap in gaps(problem, timetable) if gap > IDLE)


def off_part(problem: Problem, timetable: Timetable) -> int:
    return sum(
        1
        for p in timetable
        if part_of(p.start, p.end, problem.boundaries) not in problem.item(p.activity).parts
    )


def meals_out(problem: Problem, old: Timetable, new: Timetable) -> int:
    return sum(
        1
        for item in problem.items
        if item.category == Category.MEAL
        and (p := old.get(item.id)) is not None
        and (q := new.get(item.id)) is not None
        and abs(q.start - p.start) > MEAL_WINDOW
    )


def shrunk(old: Timetable, new: Timetable) -> int:
    return sum(
        1
        for q in new
        if (p := old.get(q.activity)) is not None and 2 * (q.end - q.start) < p.end - p.start
    )


def after_dinner(problem: Problem, old: Timetable, new: Timetable) -> int:
    """Activities of a day-group that start after its dinner there, their kind no evening one."""
    count = 0
    for rows in group_days(problem, new).values():
        dinners = [
            p.start
            for p, item in rows
            if item.category == Category.MEAL
            and (q := old.get(item.id)) is not None
            and q.start >= DINNER_FROM
        ]
        if dinners:
            count += sum(
                1 for p, item in rows if p.start > min(dinners) and Part.EVENING not in item.parts
            )
    return count


def _opener(item: Item) -> bool:
    return any(word in f"{item.kind} {item.title}".lower() for word in OPENER_WORDS)


def openers_late(problem: Problem, old: Timetable, new: Timetable) -> int:
    """Activities of an opener's groups now before it on its day, after it when published."""
    count = 0
    for rows in group_days(problem, new).values():
        for p, item in rows:
            was = old.get(item.id)
            if not _opener(item) or was is None:
                continue
            for q, other in rows:
                before = old.get(other.id)
                if other is item or before is None or before.date != was.date:
                    continue
                if q.start < p.start and before.start >= was.start:
                    count += 1
    return count


def breaks_next(problem: Problem, timetable: Timetable) -> int:
    """Breaks next to a meal or a break in a group's day (consecutive, nothing between)."""
    stops = (Category.BREAK, Category.MEAL)
    seen: set[tuple[str, str]] = set()
    for rows in group_days(problem, timetable).values():
        for (_, a), (_, b) in pairwise(rows):
            kinds = {a.category, b.category}
            if Category.BREAK in kinds and kinds <= set(stops):
                seen.add((a.id, b.id))
    return len(seen)


def out_of_step(problem: Problem, old: Timetable, new: Timetable, ids: set[str]) -> int:
    """Pairs published at one start in parallel that no longer start together. In parallel:
    no group in both (sibling groups' sessions, the parts of a block); two items of the same
    people printed at one start (CSAMA's Sunday registration and get-together) are a clash
    the file prints, not parallel sessions, and a re-plan that sets them apart is none."""
    count = 0
    for a, b in combinations(sorted(ids), 2):
        pa, pb, qa, qb = old.get(a), old.get(b), new.get(a), new.get(b)
        if not (pa and pb and qa and qb) or (pa.date, pa.start) != (pb.date, pb.start):
            continue
        if set(problem.item(a).groups) & set(problem.item(b).groups):
            continue
        count += (qa.date, qa.start) != (qb.date, qb.start)
    return count


def stacked(old: Timetable, new: Timetable, ids: set[str]) -> int:
    """Pairs published one after the other on a day that now start at one time."""
    count = 0
    for a, b in combinations(sorted(ids), 2):
        pa, pb, qa, qb = old.get(a), old.get(b), new.get(a), new.get(b)
        if not (pa and pb and qa and qb) or pa.date != pb.date:
            continue
        if (pa.end <= pb.start or pb.end <= pa.start) and (qa.date, qa.start) == (
            qb.date,
            qb.start,
        ):
            count += 1
    return count


# --- cases ---------------------------------------------------------------------------------------


def measure(case: Case) -> list[object]:
    began, cpu = time.perf_counter(), time.process_time()
    made = case.make()
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu
    timing = [f"{seconds:.1f}", f"{cpu_seconds:.1f}"]
    if made.timetable is None:
        return [case.name, made.status, *["-"] * (len(HEADER) - 4), *timing]
    problem, new = made.problem, made.timetable
    shift = made.problem.dates[0] - made.published_problem.dates[0]
    old = Timetable(  # the published timetable on the new edition's dates (same weekdays)
        {
            k: dataclasses.replace(p, date=p.date + shift)
            for k, p in made.published.placements.items()
        }
    )
    ids = {i.id for i in problem.items if i.ride is None} & set(old.placements)
    pub_problem, pub = made.published_problem, made.published
    return [
        case.name,
        f"{made.status}, {made.kept} kept" if made.kept else made.status,
        f"{100 * in_order(old, new, ids):.1f} %",
        f"{mean_shift(old, new, ids):.1f}",
        f"{short_holes(problem, new)} ({short_holes(pub_problem, pub)})",
        meals_out(problem, old, new),
        shrunk(old, new),
        f"{after_dinner(problem, old, new)} ({after_dinner(pub_problem, pub, pub)})",
        openers_late(problem, old, new),
        f"{breaks_next(problem, new)} ({breaks_next(pub_problem, pub)})",
        out_of_step(problem, old, new, ids),
        stacked(old, new, ids),
        f"{idle_stretches(problem, new)} ({idle_stretches(pub_problem, pub)})",
        *timing,
    ]


def _published(path: Path) -> tuple[Problem, Timetable]:
    problem = compile_programme(load(path))
    return problem, published_timetable(problem)


def _solved(path: Path, limit: float, *, unpin: bool = False, template: bool = False) -> Made:
    """A solve of ``path`` (or of its template: ``template.yaml`` beside it when there is one,
    else ``template_of``) judged against ``path``'s published times."""
    programme = load(path)
    if template:
        beside = path.with_name("template.yaml")
        programme = load(beside) if beside.exists() else template_of(programme)
    result = solve(programme, time_limit=limit, unpin=unpin)
    assert result.problem is not None
    made = Made(result.problem, result.status.value, result.timetable, *_published(path))
    made.kept = len(result.kept.errors) if result.kept is not None else 0
    return made


def _pattern(limit: float, edits: Scenario | None) -> Made:
    corrected = BARCELONA / "corrected.yaml"
    template = next_edition(load(corrected), dt.date(2025, 11, 17)).programme
    template = apply(template, load_scenario(BARCELONA / "next_edition_edits.yaml")).programme
    if edits is not None:
        template = apply(template, edits).programme
    result = solve(template, time_limit=limit)
    assert result.problem is not None
    return Made(result.problem, result.status.value, result.timetable, *_published(corrected))


def _repair(scenario: Scenario, limit: float) -> Made:
    corrected = BARCELONA / "corrected.yaml"
    result = what_if(load(corrected), scenario, time_limit=limit)
    made = Made(result.problem, result.status, result.timetable, *_published(corrected))
    made.kept = len(result.kept_errors) if result.timetable is not None else 0
    return made


def programmes(folder: Path = ROOT / "examples") -> list[tuple[str, Path]]:
    """Every real programme in ``folder`` (Barcelona's corrected one), by folder name."""
    found = (
        [("barcelona_2024", BARCELONA / "corrected.yaml")] if folder == ROOT / "examples" else []
    )
    for path in sorted(folder.glob("*/programme.yaml")):
        if path.parent != BARCELONA:
            found.append((path.parent.name, path))
    return found


def cases(limit: float, folder: Path = ROOT / "examples") -> list[Case]:
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
    found = []
    for name, path in programmes(folder):
        found.append(Case(f"{name}: template", lambda p=path: _solved(p, limit, template=True)))
        found.append(Case(f"{name}: --unpin", lambda p=path: _solved(p, limit, unpin=True)))
    if folder != ROOT / "examples":
        return found
    found += [
        Case("barcelona_2024: next edition", lambda: _pattern(limit, None)),
        Case("barcelona_2024: next edition, Galceran Tue", lambda: _pattern(limit, galceran)),
        Case("barcelona_2024: Yuan Gao substitutes", lambda: _repair(substitute, limit)),
    ]
    for path in sorted((BARCELONA / "scenarios").glob("*.yaml")):
        scenario = load_scenario(path)
        found.append(Case(f"barcelona_2024: {path.stem}", lambda s=scenario: _repair(s, limit)))
    return found


def solve_template(planted: Programme, time_limit: float, seeds: list[int]) -> None:
    """Print the planner's measures of ``planted``'s template solved once per seed, judged
    against the planted times, then each run's objective and gap: the table of the generated
    benchmarks (``benchmarks.academy``, ``benchmarks.bootcamp``), whose planted programme is
    the published one no real programme of their shape gave us."""
    published_problem = compile_programme(planted)
    published = published_timetable(published_problem)
    template = template_of(planted)
    rows, objectives = [], []
    for seed in seeds:

        def make(seed: int = seed) -> Made:
            result = solve(template, time_limit=time_limit, seed=seed)
            assert result.problem is not None
            objectives.append((seed, result.objective))
            return Made(result.problem, result.status.value, result.timetable,
                        published_problem, published)  # fmt: skip

        rows.append(measure(Case(f"template, seed {seed}", make)))
    print(table(HEADER, rows))
    print()
    for seed, objective in objectives:
        print(f"seed {seed}: {objective.line() if objective is not None else '-'}")
        if objective is not None:
            print(f"  gap: {objective.gap}")


HEADER = [
    "case",
    "status",
    "order",
    "shift (min)",
    "holes (pub)",
    "meals out",
    "shrunk",
    "after dinner (pub)",
    "openers",
    "breaks (pub)",
    "out of step",
    "stacked",
    "idle (pub)",
    "wall s",
    "CPU s",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--only", nargs="*", default=None, help="cases whose name contains this")
    parser.add_argument(
        "--examples",
        type=Path,
        default=ROOT / "examples",
        help="a folder of programmes (NAME/programme.yaml, with NAME/template.yaml if made)",
    )
    args = parser.parse_args()
    chosen = [
        case
        for case in cases(args.time_limit, args.examples.resolve())
        if not args.only or any(word in case.name for word in args.only)
    ]
    rows = []
    for case in chosen:
        rows.append(measure(case))
        print(table(HEADER, rows[-1:]).splitlines()[-1], flush=True)
    print()
    print(table(HEADER, rows))
    print()
    print(table(readings.HEADER, list(readings.rows(args.time_limit))))


if __name__ == "__main__":
    main()
