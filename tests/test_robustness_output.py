"""Nothing lost: outputs are replaced atomically, failures leave the previous file and the
input untouched, and a disk that is full or refuses the write gives one clear line, exit 2.

Tests run as root here, where a read-only folder (chmod) does not stop a write; the failures
are real paths that cannot be written (under /proc and /sys, a missing folder, /dev/full)
or ``os.replace``/``os.fsync`` made to fail as a full disk would.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from course_scheduler import atomic
from course_scheduler.atomic import write_bytes
from course_scheduler.cli import main
from course_scheduler.errors import ProgrammeError

from .conftest import CORRECTED, PUBLISHED

PREVIOUS = b"the previous output\n"


def disk_full(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    path = tmp_path / "out.csv"
    path.write_bytes(PREVIOUS)
    return path


def left_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- atomic.write_bytes ----------------------------------------------------------------------


@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_a_full_disk_leaves_the_previous_file_and_no_temporary(
    previous: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.setattr(atomic.os, where, disk_full)
    with pytest.raises(ProgrammeError) as caught:
        write_bytes(previous, b"new content")
    assert str(caught.value) == (
        f"{previous}: cannot write the file: No space left on device (the disk is full)"
    )
    assert previous.read_bytes() == PREVIOUS
    assert left_in(previous.parent) == ["out.csv"]


def test_an_interrupted_write_leaves_the_previous_file(
    previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def ctrl_c(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        write_bytes(previous, b"new content")
    assert previous.read_bytes() == PREVIOUS
    assert left_in(previous.parent) == ["out.csv"]


def test_a_write_replaces_the_file_and_keeps_its_permissions(previous: Path) -> None:
    previous.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(previous, 1234, 5678)
    write_bytes(previous, b"new content")
    assert previous.read_bytes() == b"new content"
    assert stat.S_IMODE(previous.stat().st_mode) == 0o640
    if os.geteuid() == 0:
        assert (previous.stat().st_uid, previous.stat().st_gid) == (1234, 5678)
    fresh = previous.parent / "fresh.csv"
    write_bytes(fresh, b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0600
    assert left_in(previous.parent) == ["fresh.csv", "out.csv"]


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("/proc/course-scheduler-test.csv", "files cannot be created in this folder"),
        ("/sys/course-scheduler-test.csv", "cannot write here"),
        ("/nonexistent-folder/out.csv", "the output folder does not exist"),
        ("/dev/full", "No space left on device (the disk is full)"),
    ],
)
def test_unwritable_places_give_one_clear_error(target: str, words: str) -> None:
    if not Path(target).parent.exists() and "nonexistent" not in target:
        pytest.skip(f"no {Path(target).parent} here")
    with pytest.raises(ProgrammeError) as caught:
        write_bytes(target, b"data")
    assert str(caught.value).startswith(f"{target}: ")
    assert words in str(caught.value)


@pytest.mark.skipif(not os.path.exists("/dev/null") or sys.platform == "win32", reason="POSIX")
def test_a_device_is_written_into_never_replaced() -> None:
    before = os.stat("/dev/null")
    write_bytes("/dev/null", b"discarded")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_folder_is_not_a_target(tmp_path: Path) -> None:
    with pytest.raises(ProgrammeError, match="this is a folder; give a file name"):
        write_bytes(tmp_path, b"data")


# --- the commands ----------------------------------------------------------------------------


def test_export_on_a_full_disk_exits_2_and_keeps_the_previous_file(
    previous: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(atomic.os, "replace", disk_full)
    code = main(["export", str(CORRECTED), "--format", "csv", "--out", str(previous)])
    assert code == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: {previous}: cannot write the file: No space left on device (the disk is full)\n"
    )
    assert previous.read_bytes() == PREVIOUS
    assert left_in(previous.parent) == ["out.csv"]


def test_solve_on_a_full_disk_exits_2_and_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "solved.yaml"
    out.write_bytes(PREVIOUS)
    monkeypatch.setattr(atomic.os, "fsync", disk_full)
    code = main(["solve", str(CORRECTED), "--out", str(out), "--time-limit", "5"])
    assert code == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"error: {out}: cannot write the file: No space left on device (the disk is full)"
    ]
    assert out.read_bytes() == PREVIOUS
    assert left_in(tmp_path) == ["solved.yaml"]


def test_a_failed_run_leaves_the_previous_output(tmp_path: Path, previous: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(PUBLISHED.read_text(encoding="utf-8").replace("course:", "course: [", 1))
    assert main(["export", str(broken), "--format", "csv", "--out", str(previous)]) == 2
    assert main(["solve", str(broken), "--out", str(previous)]) == 2
    assert previous.read_bytes() == PREVIOUS


def test_the_input_is_never_modified(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "programme.yaml"
    source.write_bytes(CORRECTED.read_bytes())
    before = (source.read_bytes(), source.stat().st_mtime_ns, source.stat().st_mode)
    runs = [
        ["check", str(source)],
        ["show", str(source), "--format", "csv"],
        ["export", str(source), "--format", "ics", "--out", str(tmp_path / "course.ics")],
        ["export", str(source), "--format", "html", "--out", str(source)],  # refused
        ["diff", str(source), str(source)],
        ["solve", str(source), "--time-limit", "5", "--out", str(tmp_path / "solved.yaml")],
    ]
    for argv in runs:
        main(argv)
    capsys.readouterr()
    assert (source.read_bytes(), source.stat().st_mtime_ns, source.stat().st_mode) == before
    assert left_in(tmp_path) == ["course.ics", "programme.yaml", "solved.yaml"]


def test_an_unexpected_error_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import course_scheduler.checking

    def bug(*args: object) -> None:
        raise RuntimeError("a bug\nwith two lines")

    monkeypatch.setattr(course_scheduler.checking, "check", bug)
    monkeypatch.delenv("COURSE_SCHEDULER_DEBUG", raising=False)
    assert main(["check", str(CORRECTED)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("error: internal error (RuntimeError: a bug\\nwith two lines)")
    monkeypatch.setenv("COURSE_SCHEDULER_DEBUG", "1")
    assert main(["check", str(CORRECTED)]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_a_closed_pipe_is_not_an_error() -> None:
    """`course-scheduler show FILE | head -1`: the reader goes away; no noise, exit 0."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "course_scheduler.cli",
            "export",
            str(CORRECTED),
            "--format",
            "html",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the program writes anything
    err = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert err == b""
