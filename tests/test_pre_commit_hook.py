"""The pre-commit hook, run by the real pre-commit (``try-repo``) in a programme repository.

``pre-commit try-repo`` clones this project at its committed HEAD (plus staged and modified
tracked files, as a shadow commit) and pip-installs it into an environment of its own, as it
would for a user: about half a minute, once per test run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .ci_repo import ADDED_RULE, first_commit, git, git_env, require_git, stage_second
from .conftest import ROOT

HOOK = "course-scheduler-check"


def test_the_manifest_declares_the_hook() -> None:
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert hook["id"] == HOOK and hook["language"] == "python"
    assert hook["entry"] == "course-scheduler check --programmes-only"
    assert hook["args"] == ["--baseline", "git:HEAD"]
    files = hook["files"]
    import re

    matching = [
        n for n in ("a.yaml", "b.yml", "c.json", "d.txt", "e.yaml.bak") if re.search(files, n)
    ]
    assert matching == ["a.yaml", "b.yml", "c.json"]
    assert yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_the_hook_refuses_the_edit_that_adds_an_error(tmp_path: Path) -> None:
    require_git()
    _require_committed_project()
    repo = first_commit(tmp_path / "programmes")
    stage_second(repo)
    env = git_env()
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), HOOK]
    done = subprocess.run(
        [*command, "--all-files", "--verbose", "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    out = done.stdout
    assert done.returncode == 1, out + done.stderr
    assert "course-scheduler check...." in out and "Failed" in out
    errors = [line for line in out.splitlines() if " error [" in line]
    assert len(errors) == 1 and errors[0].startswith(f"programme.yaml:210: error [{ADDED_RULE}]")
    assert (
        "FAILED: 1 new error, 0 new warnings, 0 new notes; 1 fixed, 3 unchanged "
        "(against git:HEAD:programme.yaml; 51/51 activities scheduled, 24 rules)"
    ) in out
    reason = "not a programme (no top-level 'course' and 'days'); skipped"
    assert f"note: mkdocs.yml: {reason}" in out and f"note: scenario.yaml: {reason}" in out


def _require_committed_project() -> None:
    """try-repo installs what git has of this project: skip when that is not all of it."""
    if not (ROOT / ".git").exists():
        pytest.skip("the project is not a git checkout; pre-commit try-repo needs one")
    if not git(ROOT, "ls-files", "--", ".pre-commit-hooks.yaml").strip():
        pytest.skip(".pre-commit-hooks.yaml is not in git yet; try-repo would not see it")
    untracked = git(
        ROOT, "ls-files", "--others", "--exclude-standard", "--", "src", "pyproject.toml"
    )
    if untracked.strip():
        pytest.skip(f"files not in git would be missing from try-repo's copy: {untracked.split()}")
    try:
        subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "HEAD"], check=True, capture_output=True
        )
    except subprocess.CalledProcessError:
        pytest.skip("the project has no commit yet")
