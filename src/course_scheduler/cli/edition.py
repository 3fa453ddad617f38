"""``next-edition``: roll a programme forward to new dates as a template, with the planner's edits."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from ..errors import ProgrammeError
from .common import EXIT_OK, check_target


def add_edition_commands(sub: Any) -> None:
    parser = sub.add_parser(
        "next-edition",
        help="roll FILE forward to new dates as a template to solve",
        description="Move every date of FILE to the edition starting on --start (same "
        "weekdays), keep its times as usual times (not pinned), let modules move days, set "
        "aside what can no longer hold, apply the planner's edits (a scenario file), and list "
        "what needs a person. Then 'course-scheduler solve TEMPLATE' keeps to the old pattern.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="last edition's programme file")
    parser.add_argument("--start", required=True, help="the new first day (YYYY-MM-DD)")
    parser.add_argument("--out", type=Path, required=True, help="the template to write")
    parser.add_argument(
        "--keep",
        action="append",
        default=[],
        metavar="ACTIVITY",
        help="keep this activity's time fixed (repeat)",
    )
    parser.add_argument(
        "--edits", type=Path, help="a scenario file of the planner's changes for this edition"
    )
    parser.set_defaults(handler=_next_edition)


def _next_edition(args: argparse.Namespace) -> int:
    from ..api import dump, load
    from ..atomic import write_text
    from ..edition import next_edition

    try:
        start = dt.date.fromisoformat(args.start)
    except ValueError:
        raise ProgrammeError(f"--start '{args.start}' is not a date like 2025-11-17") from None
    check_target(args.file, args.out)
    programme = load(args.file)
    made = next_edition(programme, start, keep=frozenset(args.keep), edits=args.edits)
    template = made.programme
    command = f"next-edition {args.file.name} --start {start}"
    command += "".join(f" --keep {k}" for k in args.keep)
    command += f" --edits {args.edits.name}" if args.edits else ""
    header = (
        f"# Template by course-scheduler {command}: usual times (not pinned) that 'solve' "
        "keeps to; 'attention' says what needs a person.\n"
    )
    write_text(args.out, dump(template, over=programme, header=header))
    print(f"{template.course.title}: the edition starting {start}, a template to solve.")
    if template.attention:
        print("Needs a person before it is published (the file's 'attention' list):")
        print("\n".join(f"  - {note}" for note in template.attention))
    else:
        print(
            "Nothing needs a person before it is published (the file's 'attention' list is empty)."
        )
    print(f"wrote {args.out}", file=sys.stderr)
    return EXIT_OK
