"""One reading on every example: each solved with every time unpinned, and from its template
(``next-edition`` a year on), must pass ``check`` with no item shorter than its reading.

For each example and each way of solving, the table gives the solve's status, the errors the
solve says it kept (``Result.kept``: those the file itself forces, ``keeping.py``), the errors
``check`` finds in the timetable against the rules the solve was given, nothing kept
(``check`` of the problem) and in the solved file as written (``with_timetable``, read back
from its text): one reading gives the same three numbers; and
the items shorter than their reading: an item shorter than its printed time or duration, an
open end shorter than the time the printed programme leaves it (or its ``duration``). Usage: ``python -m benchmarks.readings [--time-limit 30]``;
``python -m benchmarks.quality`` prints this table after its own.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks._timing import ROOT, table
from course_scheduler import compile_programme, load, solve, with_timetable
from course_scheduler.checking import check, check_problem
from course_scheduler.compile import Problem
from course_scheduler.edition import next_edition
from course_scheduler.loading import dump, loads
from course_scheduler.model import Programme
from course_scheduler.timetable import Timetable

HEADER = ["example", "solved", "status", "kept", "check", "solved file", "shorter", "seconds"]


def examples() -> list[Path]:
    """Every programme under examples/: each event's published one, and the reference's
    corrected version and next-edition template."""
    barcelona = ROOT / "examples" / "barcelona_2024"
    extra = [barcelona / "corrected.yaml", barcelona / "next_edition.yaml"]
    return sorted([*ROOT.glob("examples/*/programme.yaml"), *extra])


def shorter(problem: Problem, timetable: Timetable) -> list[str]:
    """The items of ``timetable`` shorter than ``problem`` reads them."""
    found = []
    for item in problem.items:
        p = timetable.get(item.id)
        if p is None:
            continue
        if p.end - p.start < item.duration:  # the least: printed, held or stated
            found.append(item.id)
    return found


def template(programme: Programme) -> Programme:
    """The next edition a year on, on the same weekdays (every time a usual one)."""
    first = programme.days[0].date
    start = first + dt.timedelta(days=364)
    return next_edition(programme, start).programme


def rows(limit: float) -> Iterator[list[object]]:
    for path in examples():
        programme = load(path)
        for way, given, unpin in (
            ("every time unpinned", programme, True),
            ("from its template", template(programme), False),
        ):
            began = time.perf_counter()
            result = solve(given, time_limit=limit, unpin=unpin)
            seconds = time.perf_counter() - began
            name = f"{path.parent.name}/{path.stem}"
            if result.timetable is None or result.problem is None:
                yield [name, way, result.status.value, "-", "-", "-", "-", f"{seconds:.1f}"]
                continue
            problem, timetable = result.problem, result.timetable
            strict = dataclasses.replace(problem, kept_overlaps=(), kept_findings={})
            errors = len(check_problem(strict, timetable).errors)
            kept = len(result.kept.errors) if result.kept is not None else 0
            written = loads(dump(with_timetable(problem, timetable)), name="solved.yaml")
            file_errors = len(check(written).errors)
            short = shorter(compile_programme(given), timetable)
            yield [
                name,
                way,
                result.status.value,
                kept,
                errors,
                file_errors,
                len(short),
                f"{seconds:.1f}",
            ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()
    print(table(HEADER, list(rows(args.time_limit))))


if __name__ == "__main__":
    main()
