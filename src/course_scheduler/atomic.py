"""Write files so that nothing is ever half-written or lost: temporary file, then rename.

The data goes to a temporary file in the target's folder, is flushed to disk, and the file is
renamed over the target in one step; a failure at any point (disk full, permission denied,
Ctrl-C) removes the temporary file and leaves the previous target exactly as it was. A
target that is not a regular file (``/dev/stdout``, ``/dev/null``, a named pipe) is written
into directly: renaming over it would replace the device itself. Every failure is one
``ProgrammeError`` naming the file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from .errors import ProgrammeError

_HINTS = {
    getattr(errno, name, -1): hint
    for name, hint in (
        ("ENOSPC", "the disk is full"),
        ("EDQUOT", "the disk quota is exceeded"),
        ("EROFS", "the file system is read-only"),
        ("EACCES", "permission denied"),
        ("EPERM", "permission denied"),
    )
}


def write_text(path: str | Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: str | Path, data: bytes) -> None:
    """Replace ``path`` atomically; on any failure the previous file is left as it was."""
    target = Path(path)
    try:
        status: os.stat_result | None = os.stat(target)
    except OSError:
        status = None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise ProgrammeError("this is a folder; give a file name", file=str(path))
    if status is not None and not stat.S_ISREG(status.st_mode):
        _write_into(target, data)
        return
    directory = target.parent if str(target.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name[:100]}.", suffix=".tmp", dir=directory
        )
    except FileNotFoundError:
        problem = (
            "files cannot be created in this folder"
            if directory.is_dir()
            else "the output folder does not exist"
        )
        raise ProgrammeError(problem, file=str(path)) from None
    except OSError as exc:
        raise ProgrammeError(f"cannot write here: {_reason(exc)}", file=str(path)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode(status))
        if status is not None:  # keep the owner too (matters when root rewrites a file)
            with contextlib.suppress(OSError, AttributeError):
                os.chown(temporary, status.st_uid, status.st_gid)
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise ProgrammeError(f"cannot write the file: {_reason(exc)}", file=str(path)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(directory)


def _write_into(target: Path, data: bytes) -> None:
    """A device, a pipe or a socket: there is no file to replace, so write into it."""
    try:
        with open(target, "wb") as stream:
            stream.write(data)
    except OSError as exc:
        raise ProgrammeError(f"cannot write the file: {_reason(exc)}", file=str(target)) from None


def _mode(previous: os.stat_result | None) -> int:
    """The permissions the file had, or those a new file gets (``mkstemp`` makes it 0600)."""
    if previous is not None:
        return stat.S_IMODE(previous.st_mode)
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _sync_folder(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every system can open a folder)."""
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _reason(exc: OSError) -> str:
    reason = exc.strerror or str(exc) or type(exc).__name__
    hint = _HINTS.get(exc.errno or 0)
    return f"{reason} ({hint})" if hint and hint.lower() not in reason.lower() else reason
