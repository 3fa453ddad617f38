"""Published schedules and other tools' instances → ``Programme``: one module per source format.

``import_schedule(path, fmt)`` reads a frab XML (``frab-xml``) or frab JSON (``frab-json``)
schedule, as frab, pretalx, Pentabarf and wafer publish it; ``read_schedule`` also returns
the notes on how the file was read (``importers.schedule`` lists every reading). ``peer``
converts the peer benchmark's instances.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from ..errors import ProgrammeError
from ..loading import MAX_FILE_BYTES
from ..model import Programme
from .schedule import Imported, Note, programme_from_schedule

__all__ = [
    "FORMATS",
    "Imported",
    "Note",
    "ScheduleWarning",
    "guess_format",
    "import_schedule",
    "read_schedule",
]

FORMATS = ("frab-xml", "frab-json")
"""The schedule formats ``import`` reads."""


class ScheduleWarning(UserWarning):
    """A quirk of a published schedule read in a documented way (``Note``)."""


def guess_format(path: str | Path) -> str:
    """``frab-json`` for a ``.json`` file, else ``frab-xml``."""
    return "frab-json" if str(path).lower().endswith(".json") else "frab-xml"


def read_schedule(
    path: str | Path, fmt: str | None = None, *, timezone: str | None = None
) -> Imported:
    """Read a published schedule: the programme and the notes on how the file was read.

    Raises only ``ProgrammeError`` (naming the file, the line and the field) for a file that
    cannot be read as a schedule.
    """
    fmt = fmt or guess_format(path)
    if fmt not in FORMATS:
        raise ProgrammeError(
            f"unknown schedule format {fmt!r}; expected one of {', '.join(FORMATS)}"
        )
    name = str(path)
    raw = _read_bytes(name)
    try:
        if fmt == "frab-xml":
            from .frab_xml import read
        else:
            from .frab_json import read
        return programme_from_schedule(read(raw, name), timezone=timezone)
    except ProgrammeError:
        raise
    except RecursionError:
        raise ProgrammeError("the document is nested too deeply", file=name) from None
    except Exception as exc:  # the promise: nothing but ProgrammeError escapes
        raise ProgrammeError(
            f"internal error while importing the schedule ({type(exc).__name__}: {exc}); "
            "please report it with the file",
            file=name,
        ) from None


def import_schedule(
    path: str | Path, fmt: str | None = None, *, timezone: str | None = None
) -> Programme:
    """A published schedule as a programme; each note becomes a ``ScheduleWarning``."""
    imported = read_schedule(path, fmt, timezone=timezone)
    for note in imported.notes:
        warnings.warn(str(note), ScheduleWarning, stacklevel=2)
    return imported.programme


def _read_bytes(name: str) -> bytes:
    from ..loading import read

    raw = read(name, what="a schedule file")
    if len(raw) > MAX_FILE_BYTES:
        raise ProgrammeError(
            f"the file is larger than the limit of {MAX_FILE_BYTES:,} bytes", file=name, line=1
        )
    return raw
