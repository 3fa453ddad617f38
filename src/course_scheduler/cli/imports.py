"""The ``import`` command: a published schedule (frab XML or JSON, a pretalx API export) → a
programme file.

``import FILE [--from frab-xml|frab-json|pretalx-api] [--timezone ZONE] [--strict]
[--out PROGRAMME]`` prints every note (and warning: an event left out, one person who may have
two ids) on how the file was read to standard error, one line each, then a summary; the
programme goes to ``--out`` (written atomically, never over the input; YAML, or JSON for a
``.json`` name) or to standard output. An ``--out`` that is already a programme (the planner's
file from the last import, with their comments) is updated rather than replaced: only the
values the new import changes change (``loading.save``). Exit 0 when imported, 2 when the
file cannot be read (with ``--strict``, also when an event cannot be read).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any

from .common import EXIT_OK, check_target

IMPORT_FORMATS = ("frab-xml", "frab-json", "pretalx-api")
"""Mirrors ``importers.FORMATS`` (kept literal so building the parser imports nothing)."""


def add_import_commands(sub: Any) -> None:
    command = sub.add_parser(
        "import",
        help="turn a published schedule (frab XML or JSON, pretalx API) into a programme file",
        description="Read a conference schedule as frab, pretalx or wafer publish it (or an "
        "export of pretalx's REST API), and write it as a programme that check, show, export "
        "and what-if read. An event that cannot be read is left out with a warning.",
    )
    command.add_argument(
        "file", type=Path, metavar="FILE", help="the published schedule (schedule.xml or .json)"
    )
    command.add_argument(
        "--from",
        dest="source_format",
        choices=IMPORT_FORMATS,
        help="the file's format (default: pretalx-api or frab-json for a .json file, by its "
        "content, else frab-xml)",
    )
    command.add_argument(
        "--strict",
        action="store_true",
        help="refuse the file when an event cannot be read (default: leave it out, warn)",
    )
    command.add_argument(
        "--timezone",
        metavar="ZONE",
        help="the conference's IANA time zone, when the file names none (or names it wrongly)",
    )
    command.add_argument("--out", type=Path, help="write the programme here (default: stdout)")
    command.set_defaults(handler=_import)


def _import(args: argparse.Namespace) -> int:
    from ..importers import read_schedule
    from ..loading import dump, save

    if args.out is not None:
        check_target(args.file, args.out)
    imported = read_schedule(
        args.file, args.source_format, timezone=args.timezone, strict=args.strict
    )
    programme = imported.programme
    for note in imported.notes:
        print(f"{note.level}: {note}", file=sys.stderr)
    activities = sum(len(day.activities) for day in programme.days)
    rooms = sum(len(venue.rooms) for venue in programme.venues)
    summary = (
        f"imported {imported.events} events as {activities} activities "
        f"({len(imported.split)} split at midnight, {len(imported.skipped)} left out), "
        f"{rooms} rooms, {len(programme.days)} days, {len(programme.people)} people"
    )
    if args.out is None:
        sys.stdout.write(dump(programme))
        sys.stdout.flush()
        print(summary, file=sys.stderr)
        return EXIT_OK
    if args.out.is_file():  # the planner's file from the last import: its ids stay
        from ..errors import ProgrammeError
        from ..importers.reimport import keep_ids
        from ..loading import load

        with contextlib.suppress(ProgrammeError):  # not a programme: ``save`` says so
            programme = keep_ids(programme, load(args.out))
    save(programme, args.out)  # over the planner's file when it is one: their comments stay
    print(f"{summary}; wrote {args.out}", file=sys.stderr)
    return EXIT_OK
