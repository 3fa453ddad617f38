"""A programme repository as CI sees one: two commits of the reference programme.

The first commit holds ``examples/barcelona_2024/corrected.yaml`` as ``programme.yaml`` (one
warning: an unconfirmed speaker), a what-if scenario and an mkdocs configuration with a Python
tag (neither is a programme). The second commit confirms the speaker (fixing the warning),
lengthens Monday's welcome into the ice breaker (breaking the no-overlap rule: one error) and
adds two comment lines at the top, so every line number moves.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import CORRECTED, EXAMPLES

MKDOCS = """\
site_name: Course programmes
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
"""

EDITS = [
    (
        '      - id: d1-welcome\n        time: "9:00 - 9:20"',
        '      - id: d1-welcome\n        time: "9:00 - 9:30"',
    ),
    ("    status: tbc\n", "    status: confirmed\n"),
]
"""(old, new) replacements, each found exactly once in the reference."""

ADDED_RULE, FIXED_RULE = "no-overlap-cohort", "speakers-confirmed"


def second_version(text: str) -> str:
    for old, new in EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return "# Edited: the speaker confirmed, a longer welcome.\n#\n" + text


def git_env() -> dict[str, str]:
    """Git without the machine's configuration, with a fixed author."""
    env = dict(os.environ)
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Planner",
        GIT_AUTHOR_EMAIL="planner@example.org",
        GIT_COMMITTER_NAME="Planner",
        GIT_COMMITTER_EMAIL="planner@example.org",
    )
    return env


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=git_env(), capture_output=True, text=True, check=True
    )
    return done.stdout


def require_git() -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")


def first_commit(path: Path) -> Path:
    """A new repository at ``path`` whose one commit is the reference programme and two
    YAML files that are not programmes."""
    require_git()
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    shutil.copyfile(CORRECTED, path / "programme.yaml")
    shutil.copyfile(EXAMPLES / "scenarios" / "khady_absent.yaml", path / "scenario.yaml")
    (path / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "The 2024 programme")
    return path


def stage_second(repo: Path) -> None:
    """The second version of the programme, staged (what a pre-commit hook sees)."""
    programme = repo / "programme.yaml"
    programme.write_text(second_version(programme.read_text(encoding="utf-8")), encoding="utf-8")
    git(repo, "add", "programme.yaml")


def two_commits(path: Path) -> Path:
    repo = first_commit(path)
    stage_second(repo)
    git(repo, "commit", "-q", "-m", "Confirm the speaker; a longer welcome")
    return repo
