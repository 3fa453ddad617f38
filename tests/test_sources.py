"""Other versions of a programme: a file, git:REF:PATH and git:REF, and the errors of each."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from course_scheduler.errors import ProgrammeError
from course_scheduler.sources import read_source

from .ci_repo import first_commit, git, git_env, require_git, two_commits
from .conftest import CORRECTED


def test_a_file_is_read_as_it_is_on_disk() -> None:
    source = read_source(str(CORRECTED))
    assert source.data == CORRECTED.read_bytes() and source.label == str(CORRECTED)
    with pytest.raises(ProgrammeError, match="no such file"):
        read_source("missing.yaml")


def test_git_versions_by_path_and_for_the_file_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = two_commits(tmp_path / "repo")
    first = CORRECTED.read_bytes()
    monkeypatch.chdir(repo)
    _git_only_env(monkeypatch)
    assert read_source("git:HEAD~1:programme.yaml").data == first
    assert read_source("git:HEAD:programme.yaml").data == (repo / "programme.yaml").read_bytes()
    assert read_source("git:main~1:./programme.yaml").data == first
    monkeypatch.chdir(tmp_path)  # git:REF finds the repository from the file checked
    short = read_source("git:HEAD~1", checking=repo / "programme.yaml")
    assert short.data == first
    assert short.label == f"git:HEAD~1:{(repo / 'programme.yaml').as_posix()}"


def test_a_file_the_revision_lacks_is_absent_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = first_commit(tmp_path / "repo")
    _git_only_env(monkeypatch)
    (repo / "new.yaml").write_text("course: {}\n", encoding="utf-8")
    source = read_source("git:HEAD", checking=repo / "new.yaml")
    assert source.data is None and source.note == "HEAD has no such file"


def test_git_errors_are_one_line_programme_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = first_commit(tmp_path / "repo")
    _git_only_env(monkeypatch)
    monkeypatch.chdir(repo)
    with pytest.raises(
        ProgrammeError, match=r"git has no revision 'nope' here \(a branch of another"
    ):
        read_source("git:nope:programme.yaml")
    with pytest.raises(ProgrammeError, match="cannot start with '-'"):
        read_source("git:--output=x:programme.yaml")
    with pytest.raises(ProgrammeError, match="is a tree at HEAD"):
        read_source("git:HEAD:./")
    with pytest.raises(ProgrammeError, match="git:REF:PATH"):
        read_source("git:")
    with pytest.raises(ProgrammeError, match="needs the file"):
        read_source("git:HEAD")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "p.yaml").write_text("x: 1\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(ProgrammeError, match="not a git repository"):
        read_source("git:HEAD", checking=outside / "p.yaml")


def test_without_git_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ProgrammeError, match="git is not installed"):
        read_source("git:HEAD:programme.yaml")


def test_a_repository_without_commits_has_an_empty_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_git()
    _git_only_env(monkeypatch)
    git(tmp_path, "init", "-q")
    source = read_source("git:HEAD", checking=tmp_path / "programme.yaml")
    assert source.data is None and source.note == "there is no commit yet"


def _git_only_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine's git configuration stays out of the test."""
    for key, value in git_env().items():
        if os.environ.get(key) != value:
            monkeypatch.setenv(key, value)
