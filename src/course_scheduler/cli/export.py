"""The ``export`` and ``diff`` commands: a timetable to files, and what changed between versions.

``export FILE --format F [--out PATH] [--person NAME] [--previous ICS]`` writes the timetable
of FILE (``--previous``: the calendar exported last time, for ICS sequence numbers); without
``--out`` the text formats go to standard output (the binary ones, xlsx and png, need
``--out``). The file is written atomically, only at the path ``--out`` names, and never over the
input. ``diff OLD NEW`` prints what changed (either may be ``git:REF:PATH``); it exits 0
whatever changed, 2 when a file is unusable. ``diff OLD NEW --check`` appends the findings NEW
adds against OLD and those it fixes, and exits 1 when it adds an error. Heavy libraries (openpyxl, matplotlib, icalendar, jinja2) load inside the handlers.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..diffing import ProgrammeDiff
    from ..model import Programme

from .common import EXIT_FAIL, EXIT_OK, check_target

EXPORT_FORMATS = ("csv", "xlsx", "md", "html", "ics", "frab", "frab-json", "frab-xml", "png")
"""Mirrors ``exports.FORMATS`` (kept literal so building the parser imports nothing)."""


def add_export_commands(sub: Any) -> None:
    export = sub.add_parser(
        "export",
        help="write the timetable in FILE as csv, xlsx, md, html, ics, frab JSON or XML, or png",
        description="Write the timetable of a programme file in another format.",
    )
    export.add_argument("file", type=Path, metavar="FILE", help="the programme file")
    export.add_argument(
        "--format",
        required=True,
        choices=EXPORT_FORMATS,
        dest="format",
        help="the format to write (frab is frab-json; xlsx and png need --out)",
    )
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
    diff.add_argument("old", help="a file, git:REF:PATH, or git:REF (NEW as it was at REF)")
    diff.add_argument("new", help="a file or git:REF:PATH")
    diff.add_argument(
        "--format",
        choices=["text", "md", "json"],
        default="text",
        help="text (default), md for a pull request, json for scripts",
    )
    diff.add_argument(
        "--check",
        action="store_true",
        help="append the findings NEW adds and those it fixes (exit 1 when it adds an error)",
    )
    diff.set_defaults(handler=_diff)


def _export(args: argparse.Namespace) -> int:
    from ..api import export, load
    from ..errors import ProgrammeError
    from ..exports import FORMATS

    spec = FORMATS[args.format]
    if args.out is None and spec.binary:
        raise ProgrammeError(f"--out is required for {args.format} (it is not text)")
    if args.out is not None:
        check_target(args.file, args.out)
    previous = _previous(args.previous, args.format)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        data = export(load(args.file), args.format, person=args.person, previous=previous)
    for warning in caught:  # a sentence on standard error, not Python's warning format
        print(f"warning: {warning.message}", file=sys.stderr)
    if args.out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return EXIT_OK
    from ..atomic import write_bytes

    write_bytes(args.out, data)
    print(f"wrote {args.out}", file=sys.stderr)
    return EXIT_OK


def _previous(path: Path | None, fmt: str) -> bytes | None:
    """The previous calendar's bytes; None when there is none yet (said on standard error)."""
    from ..errors import ProgrammeError

    if path is None:
        return None
    if fmt != "ics":
        raise ProgrammeError(f"--previous is only for --format ics, not {fmt}")
    from ..loading import read

    if not path.exists():
        print(
            f"note: no previous calendar at {path}; every event starts at SEQUENCE 0",
            file=sys.stderr,
        )
        return None
    data = read(path, what="the calendar exported last time")
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR"):
        raise ProgrammeError(
            f"{path}, line 1: --previous takes the calendar exported last time (an .ics file "
            "that begins BEGIN:VCALENDAR), not a programme"
        )
    return data


def _diff(args: argparse.Namespace) -> int:
    from ..api import check, diff

    new_name, new = _version(args.new, None)
    old_name, old = _version(args.old, args.new)
    report = diff(old, new, old_name=old_name, new_name=new_name)
    if not args.check:
        sys.stdout.write(_diff_text(report, args.format))
        return EXIT_OK
    from ..reporting import CheckedFile

    found = check(new, baseline=old)
    checked = CheckedFile(
        new_name, new, found, baseline=old_name, comparison=found.comparison, previous=old
    )
    if args.format == "json":
        import json

        from ..reporting.json_ import document

        data = {**report.as_dict(), "check": document(checked)}
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "md":
        from ..reporting.markdown import section

        sys.stdout.write(report.to_markdown() + "\n" + section(checked, with_diff=False))
    else:
        from ..reporting import render

        sys.stdout.write(report.to_text() + render([checked], "text"))
    return EXIT_OK if checked.ok else EXIT_FAIL


def _diff_text(report: ProgrammeDiff, fmt: str) -> str:
    if fmt == "json":
        return report.to_json()
    return report.to_markdown() if fmt == "md" else report.to_text()


def _version(spec: str, other: str | None) -> tuple[str, Programme]:
    """A programme named by a path or a git version (``git:REF`` stands for ``other``)."""
    from ..errors import ProgrammeError
    from ..loading import loads
    from ..sources import is_git, read_source

    checking = other if other is not None and not is_git(other) else None
    source = read_source(spec, checking=checking)
    if source.data is None:
        raise ProgrammeError(f"{source.note}; diff needs both versions", file=source.label)
    return source.label, loads(source.data, name=source.label)
