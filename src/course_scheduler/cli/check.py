"""``check``, ``show`` and ``schema``: the commands that read a programme without solving it.

They stay on the fast path: nothing here imports ortools, pandas or networkx.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..errors import ProgrammeError, one_line
from .common import EXIT_FAIL, EXIT_OK, fail, say

CHECK_FORMATS = ("text", "json", "github", "md", "sarif", "junit")
"""Mirrors ``reporting.FORMATS`` (kept literal so building the parser imports nothing)."""


def add_check_commands(sub: Any) -> None:
    check = sub.add_parser(
        "check",
        help="evaluate every rule against the times in FILE",
        description="Evaluate every rule against the times in each FILE. The exit code is the "
        "worst of the files: 0 no hard rule broken, 1 one is, 2 a file is unusable.",
    )
    check.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="programme files (YAML or JSON)"
    )
    check.add_argument(
        "--format",
        choices=CHECK_FORMATS,
        default="text",
        help="text for people (default), json for scripts, github annotations, md for pull "
        "requests, sarif for code scanning, junit for GitLab and Jenkins",
    )
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

    show = sub.add_parser(
        "show",
        help="print the timetable in FILE",
        description="Print the timetable FILE states, day by day (or as CSV).",
    )
    show.add_argument("file", type=Path, metavar="FILE", help="the programme file")
    show.add_argument(
        "--format",
        choices=["text", "csv"],
        default="text",
        help="text: a table per day (default); csv: one row per activity",
    )
    show.set_defaults(handler=_show)

    schema = sub.add_parser(
        "schema",
        help="print the JSON Schema of the programme format",
        description="Print the JSON Schema of the programme file format, for editors that "
        "complete and check YAML or JSON as it is typed.",
    )
    schema.set_defaults(handler=_schema)


def _check(args: argparse.Namespace) -> int:
    from ..checkrun import Skipped, check_file, one_baseline_for_many
    from ..reporting import CheckedFile, render

    one_baseline_for_many(args.baseline, len(args.files))
    if args.summary is not None and any(_same_file(args.summary, f) for f in args.files):
        raise ProgrammeError("--summary names a checked file; choose another path")
    results: list[CheckedFile] = []
    code = EXIT_OK
    for path in args.files:
        try:
            result = check_file(path, baseline=args.baseline, programmes_only=args.programmes_only)
        except ProgrammeError as exc:
            code = max(code, fail(str(exc)))
            continue
        if isinstance(result, Skipped):
            say(f"note: {one_line(result.file)}: {result.reason}; skipped")
            continue
        if result.note:
            say(f"note: {one_line(result.note)}")
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
    from ..api import show

    sys.stdout.write(show(args.file, args.format))
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from ..loading import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK
