"""The ``course-scheduler`` command: parse arguments, call the API, print, exit.

Exit codes: 0 success (for ``check``: no hard rule broken), 1 a hard rule is broken or no
timetable exists, 2 the input is unusable, 130 interrupted. Heavy modules (ortools, pandas)
are imported inside the commands that need them, so ``check`` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import ProgrammeError, one_line

EXIT_OK, EXIT_FAIL, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_INPUT
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except ProgrammeError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        _say("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `course-scheduler show FILE | head`: the reader is gone
        _silence_stdout()
        return EXIT_OK
    except OSError as exc:  # reading or writing outside the loader and atomic.py
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(one_line(f"{where}{exc.strerror or exc}"))
    except MemoryError:
        return _fail("out of memory")
    except Exception as exc:  # a bug: one line, not a traceback (unless asked for)
        if os.environ.get("COURSE_SCHEDULER_DEBUG"):
            traceback.print_exc()
        return _fail(
            f"internal error ({one_line(f'{type(exc).__name__}: {exc}')}); please report it "
            "(COURSE_SCHEDULER_DEBUG=1 shows the traceback)"
        )


def _fail(message: str) -> int:
    _say(f"error: {message}")
    return EXIT_INPUT


def _say(message: str) -> None:
    """One line on standard error, even when standard error is closed or a broken pipe."""
    with contextlib.suppress(OSError, ValueError):
        print(message, file=sys.stderr, flush=True)


def _silence_stdout() -> None:
    """Point standard output at /dev/null so the interpreter's final flush cannot fail."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="course-scheduler",
        description="Check, solve and explain multi-day course timetables.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="evaluate every rule against the times in FILE")
    check.add_argument("file", type=Path)
    check.add_argument("--format", choices=["text", "json", "github"], default="text")
    check.set_defaults(handler=_check)

    show = sub.add_parser("show", help="print the timetable in FILE")
    show.add_argument("file", type=Path)
    show.add_argument("--format", choices=["text", "csv"], default="text")
    show.set_defaults(handler=_show)

    schema = sub.add_parser("schema", help="print the JSON Schema of the programme format")
    schema.set_defaults(handler=_schema)

    from .cli_solve import add_solver_commands

    add_solver_commands(sub)
    from .cli_export import add_export_commands

    add_export_commands(sub)
    from .cli_whatif import add_whatif_commands

    add_whatif_commands(sub)
    from .cli_import import add_import_commands

    add_import_commands(sub)
    return parser


def _check(args: argparse.Namespace) -> int:
    from .checking import check
    from .loading import load

    report = check(load(args.file))
    if args.format == "json":
        print(report.to_json())
    elif args.format == "github":
        for f in report.findings:
            level = {"error": "error", "warning": "warning"}.get(f.level.value, "notice")
            location = f"file={f.file},line={f.line}" if f.line else f"file={f.file}"
            message = f"[{f.rule}] {f.message}".replace("%", "%25").replace("\n", "%0A")
            print(f"::{level} {location},title={f.rule}::{message}")
    else:
        print(format_report(report))
    return EXIT_OK if report.ok else EXIT_FAIL


def format_report(report: object) -> str:
    """Findings one per line, then a summary a planner reads first."""
    from .checking import Report
    from .rules.base import day_label
    from .text import plural

    assert isinstance(report, Report)
    lines = []
    for f in report.findings:
        when = ""
        if f.date is not None:
            when = day_label(f.date)
            if f.start is not None and f.end is not None:
                from .clock import format_clock

                when += f" {format_clock(f.start)}-{format_clock(f.end)}"
            when += ": "
        where = f"{f.location}: " if f.location else ""
        involved = f" [{', '.join(f.activities)}]" if f.activities else ""
        lines.append(f"{where}{f.level.value} [{f.rule}] {when}{f.message}{involved}")
    counts = report.counts()
    verdict = "OK" if report.ok else "FAILED"
    lines.append(
        f"{verdict}: {plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
        f"{plural(counts['info'], 'note')} ({report.scheduled}/{report.activities} activities "
        f"scheduled, {plural(report.checked_rules, 'rule')})"
    )
    return "\n".join(lines)


def _show(args: argparse.Namespace) -> int:
    from .compile import compile_programme
    from .loading import load
    from .timetable import published_timetable

    problem = compile_programme(load(args.file))
    timetable = published_timetable(problem)
    if args.format == "csv":
        from .exports.csv_ import timetable_csv

        sys.stdout.write(timetable_csv(problem, timetable))
    else:
        print(day_tables(problem, timetable))
    return EXIT_OK


def day_tables(problem: object, timetable: object) -> str:
    """The timetable the way the brochure prints it: a heading per day, then Time | Item."""
    from .clock import format_clock
    from .compile import Problem
    from .timetable import Timetable

    assert isinstance(problem, Problem) and isinstance(timetable, Timetable)
    programme = problem.programme
    out = [programme.course.title]
    if programme.course.location:
        out.append(programme.course.location)
    by_date: dict[object, list[str]] = {}
    for placement in timetable:
        item = problem.item(placement.activity)
        span = f"{format_clock(placement.start)} - {format_clock(placement.end)}"
        venue = ""
        day_index = problem.day_of_date.get(placement.date)
        default_venue = problem.day_venues[day_index] if day_index is not None else None
        if placement.venue and placement.venue != default_venue:
            venue = f"  @ {problem.venues[placement.venue].name}"
        by_date.setdefault(placement.date, []).append(f"  {span:<15} {item.title}{venue}")
    for index, date in enumerate(problem.dates):
        day = programme.days[index]
        out.append("")
        heading = f"{date:%A} {date.day} {date:%B} {date.year}"
        if day.theme:
            heading += f" — {day.theme}"
        out.append(heading)
        if day.venue:
            place = problem.venues[day.venue]
            out.append(f"  at {place.name}" + (f" ({place.address})" if place.address else ""))
        out.append(f"  {'Time':<15} Item")
        out.extend(by_date.get(date, ["  (nothing scheduled yet)"]))
    return "\n".join(out)


def _schema(args: argparse.Namespace) -> int:
    from .loading import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
