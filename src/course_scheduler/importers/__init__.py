"""Published schedules and other tools' instances → ``Programme``: one module per source format.

``import_schedule(path, fmt)`` reads a frab XML (``frab-xml``) or frab JSON (``frab-json``)
schedule, as frab, pretalx, Pentabarf and wafer publish it, or an export of pretalx's REST API
(``pretalx-api``); ``read_schedule`` also returns the notes on how the file was read
(``importers.schedule`` lists every reading). A file of another shape is refused with what it
looks like (``shapes``). ``peer`` converts the peer benchmark's instances.
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

FORMATS = ("frab-xml", "frab-json", "pretalx-api")
"""The schedule formats ``import`` reads."""


class ScheduleWarning(UserWarning):
    """A quirk of a published schedule read in a documented way (``Note``)."""


def guess_format(path: str | Path, raw: bytes | None = None) -> str:
    """``frab-json`` for a ``.json`` file (``pretalx-api`` when its content has that shape),
    else ``frab-xml``."""
    if not str(path).lower().endswith(".json"):
        return "frab-xml"
    if raw is not None:
        from .shapes import looks_like_pretalx_api

        if looks_like_pretalx_api(raw):
            return "pretalx-api"
    return "frab-json"


def read_schedule(
    path: str | Path,
    fmt: str | None = None,
    *,
    timezone: str | None = None,
    strict: bool = False,
) -> Imported:
    """Read a published schedule: the programme and the notes on how the file was read.

    An event that cannot be read is left out with a located warning; ``strict`` refuses the
    file instead. Raises only ``ProgrammeError`` (naming the file, the line and the field)
    for a file that cannot be read as a schedule.
    """
    if fmt is not None and fmt not in FORMATS:
        raise ProgrammeError(
            f"unknown schedule format {fmt!r}; expected one of {', '.join(FORMATS)}"
        )
    name = str(path)
    raw = _read_bytes(name)
    fmt = fmt or guess_format(path, raw)
    try:
        if fmt == "frab-xml":
            from .frab_xml import read
        elif fmt == "frab-json":
            from .frab_json import read
        else:
            from .pretalx_api import read
        return programme_from_schedule(read(raw, name), timezone=timezone, strict=strict)
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
    path: str | Path,
    fmt: str | None = None,
    *,
    timezone: str | None = None,
    strict: bool = False,
) -> Programme:
    """A published schedule as a programme; each note becomes a ``ScheduleWarning``."""
    imported = read_schedule(path, fmt, timezone=timezone, strict=strict)
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
