"""Where another version of a programme comes from: a file, or a file at a git revision.

A pull request or a commit is judged against the version before it, which usually lives in
git rather than on disk. ``git:REF:PATH`` is read with ``git show REF:PATH`` (PATH as git reads
it: from the top of the repository, or from the current folder when it starts with ``./``).
``git:REF`` alone means "the file being checked, as it was at REF": what a hook or an action
checking several files at once needs. A missing git, a folder outside a repository or an
unknown REF is unusable input (``ProgrammeError``); a PATH that REF does not hold is a file that
did not exist yet, which is not an error: ``Source.data`` is then ``None``. (A file whose name
starts with ``git:`` is named ``./git:...``.)
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import ProgrammeError
from .loading import read

GIT_PREFIX = "git:"
GIT_TIMEOUT = 60.0
"""Seconds one git command may take (a repository on a network disk can be slow)."""


@dataclass(frozen=True)
class Source:
    """One version of a programme: its name in messages and its bytes (``None``: absent)."""

    label: str
    data: bytes | None
    note: str | None = None


def is_git(spec: str) -> bool:
    return spec.startswith(GIT_PREFIX)


def read_source(spec: str, *, checking: str | Path | None = None) -> Source:
    """The bytes ``spec`` names: a file path, ``git:REF:PATH``, or ``git:REF`` for the file
    ``checking`` as it was at REF. A file path that does not exist is an error."""
    if not is_git(spec):
        return Source(spec, read(spec))
    ref, sep, path = spec[len(GIT_PREFIX) :].partition(":")
    if not ref:
        raise ProgrammeError("a git version reads git:REF:PATH or git:REF", file=spec)
    if ref.startswith("-"):
        raise ProgrammeError("a git revision cannot start with '-'", file=spec)
    if sep:
        if not path:
            raise ProgrammeError("no PATH after git:REF: (git:REF:PATH)", file=spec)
        return _git_show(ref, path, cwd=None, label=spec)
    if checking is None:
        raise ProgrammeError("git:REF needs the file it stands for; give git:REF:PATH", file=spec)
    target = Path(checking)
    folder = target.parent
    if not folder.is_dir():
        raise ProgrammeError(f"no such folder {str(folder)!r}", file=spec)
    return _git_show(ref, f"./{target.name}", cwd=folder, label=f"{spec}:{target.as_posix()}")


def _git_show(ref: str, path: str, *, cwd: Path | None, label: str) -> Source:
    where = str(cwd) if cwd is not None else None
    inside = _git(["rev-parse", "--is-inside-work-tree"], where, label)
    if inside.returncode != 0:
        raise ProgrammeError(
            f"cannot read {ref!r} from git: {_first_line(inside.stderr) or 'not a git repository'}",
            file=label,
        )
    if _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], where, label).returncode:
        if (
            ref == "HEAD"
            and _git(["rev-parse", "--verify", "--quiet", "HEAD"], where, label).returncode
        ):
            return Source(label, None, note="there is no commit yet")
        raise ProgrammeError(
            f"git has no revision {ref!r} here (a branch of another repository must be "
            "fetched first)",
            file=label,
        )
    kind = _git(["cat-file", "-t", f"{ref}:{path}"], where, label)
    if kind.returncode != 0:
        return Source(label, None, note=f"{ref} has no such file")
    if kind.stdout.strip() != b"blob":
        raise ProgrammeError(
            f"is a {kind.stdout.decode().strip()} at {ref}, not a file", file=label
        )
    shown = _git(["show", "--no-textconv", f"{ref}:{path}"], where, label)
    if shown.returncode != 0:
        raise ProgrammeError(f"git show failed: {_first_line(shown.stderr)}", file=label)
    return Source(label, shown.stdout)


def _git(args: list[str], cwd: str | None, label: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=GIT_TIMEOUT
        )
    except FileNotFoundError:
        raise ProgrammeError(
            "git is not installed; it is needed to read this", file=label
        ) from None
    except subprocess.TimeoutExpired:
        raise ProgrammeError(f"git took more than {GIT_TIMEOUT:.0f} s", file=label) from None


def _first_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[0].removeprefix("fatal: ") if lines else ""
