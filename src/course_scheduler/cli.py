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

CHECK_FORMATS = ("text", "json", "github", "md", "sarif", "junit")
"""Mirrors ``reporting.FORMATS`` (kept literal so building the parser imports nothing)."""


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

    check = sub.add_parser(
        "check",
        help="evaluate every rule against the times in FILE",
        description="Evaluate every rule against the times in each FILE. The exit code is the "
        "worst of the files: 0 no hard rule broken, 1 one is, 2 a file is unusable.",
    )
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    check.add_argument("--format", choices=CHECK_FORMATS, default="text")
    check.add_argument(
        "--baseline",
        metavar="OLD",
        help="report only the findings added since OLD (a file, git:REF:PATH, or git:REF for "
        "each FILE as it was at REF) and how many were fixed; the exit code follows new errors",
    )
    check.add_argument(
        "--summary",
        type=Path,
        metavar="FILE",
        help="also append a Markdown report to FILE (with --baseline: what changed, what was "
        "added and fixed), e.g. $GITHUB_STEP_SUMMARY",
    )
    check.add_argument(
        "--programmes-only",
        action="store_true",
        help="skip, with a note, files that are not programmes (no top-level course and days)",
    )
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
    from .cli_edition import add_edition_commands

    add_edition_commands(sub)
    from .cli_import import add_import_commands

    add_import_commands(sub)
    return parser


def _check(args: argparse.Namespace) -> int:
    from .checkrun import Skipped, check_file, one_baseline_for_many
    from .reporting import CheckedFile, render

    one_baseline_for_many(args.baseline, len(args.files))
    if args.summary is not None and any(_same_file(args.summary, f) for f in args.files):
        raise ProgrammeError("--summary names a checked file; choose another path")
    results: list[CheckedFile] = []
    code = EXIT_OK
    for path in args.files:
        try:
            result = check_file(path, baseline=args.baseline, programmes_only=args.programmes_only)
        except ProgrammeError as exc:
            code = max(code, _fail(str(exc)))
            continue
        if isinstance(result, Skipped):
            _say(f"note: {one_line(result.file)}: {result.reason}; skipped")
            continue
        if result.note:
            _say(f"note: {one_line(result.note)}")
        results.append(result)
        code = max(code, EXIT_OK if result.ok else EXIT_FAIL)
    sys.stdout.write(render(results, args.format))
    if args.summary is not None:
        with open(args.summary, "a", encoding="utf-8") as summary:
            summary.write(render(results, "md"))
    return code


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


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
    """The timetable the way the brochure prints it: a heading per day, then Time | Item (every
    line of the day: "from 17:30" for an item with no printed end, untimed items, deadlines)."""
    from .compile import Problem
    from .exports import entries, for_whom, where
    from .timetable import Timetable

    assert isinstance(problem, Problem) and isinstance(timetable, Timetable)
    programme = problem.programme
    out = [programme.course.title]
    if programme.course.location:
        out.append(programme.course.location)
    by_date: dict[object, list[str]] = {}
    for entry in entries(problem, timetable):
        venue = ""
        day_index = problem.day_of_date.get(entry.date)
        default_venue = problem.day_venues[day_index] if day_index is not None else None
        place = where(problem, entry)
        if place and (entry.venue != default_venue or entry.online or entry.alternatives):
            venue = f"  @ {place}"
        who = for_whom(problem, entry)
        who = f" ({who})" if who else ""
        mark = "  " if entry.in_block else ""
        line = f"  {entry.when:<15} {mark}{entry.title}{who}{venue}"
        by_date.setdefault(entry.date, []).append(line)
    for index, date in enumerate(problem.dates):
        day = programme.days[index]
        out.append("")
        heading = f"{date:%A} {date.day} {date:%B} {date.year}"
        if day.theme:
            heading += f" — {day.theme}"
        out.append(heading)
        if day.venue:
            home = problem.venues[day.venue]
            out.append(f"  at {home.name}" + (f" ({home.address})" if home.address else ""))
        out.append(f"  {'Time':<15} Item")
        out.extend(by_date.get(date, ["  (nothing scheduled yet)"]))
    return "\n".join(out)


def _schema(args: argparse.Namespace) -> int:
    from .loading import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
