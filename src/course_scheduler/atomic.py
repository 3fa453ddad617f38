"""Write files so that nothing is ever half-written or lost: temporary file, then rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import ProgrammeError


def write_text(path: str | Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: str | Path, data: bytes) -> None:
    """Replace ``path`` atomically; on any failure the previous file is left as it was."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    except FileNotFoundError:
        raise ProgrammeError("the output folder does not exist", file=str(path)) from None
    except OSError as exc:
        raise ProgrammeError(f"cannot write here: {exc.strerror}", file=str(path)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise ProgrammeError(f"cannot write the file: {exc.strerror}", file=str(path)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
