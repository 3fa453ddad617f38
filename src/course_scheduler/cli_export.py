"""The ``export`` and ``diff`` commands: a timetable to files, and what changed between versions.

``export FILE --format F [--out PATH] [--person NAME] [--previous ICS]`` writes the timetable
of FILE (``--previous``: the calendar exported last time, for ICS sequence numbers); without
``--out`` the text formats go to standard output (the binary ones, xlsx and png, need
``--out``). The file is written atomically, only at the path ``--out`` names, and never over the
input. ``diff OLD NEW`` prints what changed; it exits 0 whatever changed, 2 when a file is
unusable. Heavy libraries (openpyxl, matplotlib, icalendar, jinja2) load inside the handlers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_INPUT = 0, 2

EXPORT_FORMATS = ("csv", "xlsx", "md", "html", "ics", "frab", "frab-json", "frab-xml", "png")
"""Mirrors ``exports.FORMATS`` (kept literal so building the parser imports nothing)."""


def add_export_commands(sub: Any) -> None:
    export = sub.add_parser(
        "export",
        help="write the timetable in FILE as csv, xlsx, md, html, ics, frab JSON or XML, or png",
        description="Write the timetable of a programme file in another format.",
    )
    export.add_argument("file", type=Path)
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS, dest="format")
    export.add_argument(
        "--out", type=Path, help="write here (atomically); text formats default to stdout"
    )
    export.add_argument(
        "--person", metavar="NAME", help="only what this person takes part in (an id or a name)"
    )
    export.add_argument(
        "--previous",
        type=Path,
        metavar="ICS",
        help="ics: the calendar exported last time; changed events get the next SEQUENCE "
        "(a missing file counts as none)",
    )
    export.set_defaults(handler=_export)

    diff = sub.add_parser(
        "diff",
        help="what changed between two versions of a programme",
        description="List the activities added, removed, moved, retimed or re-staffed.",
    )
    diff.add_argument("old", type=Path)
    diff.add_argument("new", type=Path)
    diff.add_argument("--format", choices=["text", "md", "json"], default="text")
    diff.set_defaults(handler=_diff)


def _export(args: argparse.Namespace) -> int:
    from .compile import compile_programme
    from .errors import ProgrammeError
    from .exports import FORMATS, export
    from .loading import load
    from .timetable import published_timetable

    spec = FORMATS[args.format]
    if args.out is None and spec.binary:
        raise ProgrammeError(f"--out is required for {args.format} (it is not text)")
    if args.out is not None:
        check_target(args.file, args.out)
    previous = _previous(args.previous, args.format)
    problem = compile_programme(load(args.file))
    data = export(
        problem, published_timetable(problem), args.format, person=args.person, previous=previous
    )
    if args.out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return EXIT_OK
    from .atomic import write_bytes

    write_bytes(args.out, data)
    print(f"wrote {args.out}", file=sys.stderr)
    return EXIT_OK


def _previous(path: Path | None, fmt: str) -> bytes | None:
    """The previous calendar's bytes; None when there is none yet (said on standard error)."""
    from .errors import ProgrammeError

    if path is None:
        return None
    if fmt != "ics":
        raise ProgrammeError(f"--previous is only for --format ics, not {fmt}")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        print(
            f"note: no previous calendar at {path}; every event starts at SEQUENCE 0",
            file=sys.stderr,
        )
        return None
    except OSError as exc:
        raise ProgrammeError(
            f"cannot read the file: {exc.strerror or exc}", file=str(path)
        ) from None


def check_target(source: Path, target: Path) -> None:
    """Refuse to write over the input file or onto a directory (``export`` and ``import``)."""
    from .errors import ProgrammeError

    if target.is_dir():
        raise ProgrammeError("--out names a folder; give a file name", file=str(target))
    try:
        same = target.exists() and source.exists() and target.samefile(source)
    except OSError:
        same = False
    if same or target.resolve() == source.resolve():
        raise ProgrammeError("--out names the input file; choose another path", file=str(target))


def _diff(args: argparse.Namespace) -> int:
    from .diffing import diff_programmes
    from .loading import load

    old, new = load(args.old), load(args.new)
    report = diff_programmes(old, new, old_name=str(args.old), new_name=str(args.new))
    if args.format == "json":
        sys.stdout.write(report.to_json())
    elif args.format == "md":
        sys.stdout.write(report.to_markdown())
    else:
        sys.stdout.write(report.to_text())
    return EXIT_OK
