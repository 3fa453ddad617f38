"""The composite GitHub Action, its steps run here the way a runner runs them.

A runner evaluates each step's ``${{ }}`` expressions (this action keeps them in ``env:``, never
in a script), writes the script to a file, runs it with ``bash --noprofile --norc -eo pipefail``
in the workspace with the ``GITHUB_*`` variables set, adds the lines a step writes to
``$GITHUB_PATH`` to the PATH of later steps, and stops at the first step that fails. The
package is installed already, so the action runs with ``install: false`` (its install step
then does nothing; its script is still checked by ``bash -n``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from .ci_repo import ADDED_RULE, FIXED_RULE, first_commit, git, git_env, stage_second
from .conftest import ROOT

ACTION = ROOT / "action.yml"
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@dataclass
class Run:
    steps: list[subprocess.CompletedProcess[str]]
    summary: str

    @property
    def code(self) -> int:
        return self.steps[-1].returncode


def load_action() -> Any:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(action, dict) and action["runs"]["using"] == "composite"
    return action


def run_action(workspace: Path, inputs: dict[str, str], github: dict[str, str], tmp: Path) -> Run:
    action = load_action()
    context = {f"github.{key}": value for key, value in github.items()}
    for name, spec in action["inputs"].items():
        if name in inputs:
            context[f"inputs.{name}"] = inputs[name]
        else:
            assert not spec.get("required"), f"input {name} is required"
            context[f"inputs.{name}"] = _evaluate(str(spec.get("default", "")), context)
    tmp.mkdir(parents=True, exist_ok=True)
    files = {name: tmp / name for name in ("summary.md", "path.txt", "env.txt")}
    for file in files.values():
        file.write_text("", encoding="utf-8")
    runner_env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    runner_env.update(git_env())
    runner_env.update(
        CI="true",
        GITHUB_ACTIONS="true",
        GITHUB_WORKSPACE=str(workspace),
        GITHUB_BASE_REF=github.get("base_ref", ""),
        GITHUB_ACTION_PATH=github["action_path"],
        GITHUB_STEP_SUMMARY=str(files["summary.md"]),
        GITHUB_PATH=str(files["path.txt"]),
        GITHUB_ENV=str(files["env.txt"]),
        RUNNER_TEMP=str(tmp),
    )
    paths = [str(Path(sys.executable).parent)]  # where this course-scheduler is installed
    done: list[subprocess.CompletedProcess[str]] = []
    for index, step in enumerate(action["runs"]["steps"]):
        assert set(step) <= {"name", "shell", "env", "run"}, "a step this runner cannot run"
        assert step["shell"] == "bash" and "${{" not in step["run"], "expressions go in env:"
        script = tmp / f"step{index}.sh"
        script.write_text(step["run"], encoding="utf-8")
        env = dict(runner_env)
        env.update({key: _evaluate(str(v), context) for key, v in step.get("env", {}).items()})
        env["PATH"] = os.pathsep.join([*paths, runner_env.get("PATH", "")])
        bash = ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)]
        result = subprocess.run(bash, cwd=workspace, env=env, capture_output=True, text=True)
        done.append(result)
        if result.returncode != 0:
            break
        added = files["path.txt"].read_text(encoding="utf-8").split("\n")
        paths = [line for line in reversed(added) if line] + [str(Path(sys.executable).parent)]
    return Run(done, files["summary.md"].read_text(encoding="utf-8"))


def _evaluate(value: str, context: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        assert match.group(1) in context, f"an expression this runner does not know: {match[0]}"
        return context[match.group(1)]

    return _EXPRESSION.sub(one, value)


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A workspace as actions/checkout leaves it for a pull request: the head of the branch
    (depth 1), with an origin whose main holds the first commit."""
    origin = tmp_path / "origin.git"
    author = first_commit(tmp_path / "author")
    git(tmp_path, "init", "-q", "--bare", str(origin))
    git(author, "remote", "add", "origin", str(origin))
    git(author, "push", "-q", "origin", "main")
    git(author, "checkout", "-q", "-b", "edit")
    stage_second(author)
    git(author, "commit", "-q", "-m", "Confirm the speaker; a longer welcome")
    git(author, "push", "-q", "origin", "edit")
    workspace = tmp_path / "workspace"
    url = origin.as_uri()
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "edit", url, str(workspace))
    assert "origin/main" not in git(workspace, "branch", "-r")
    return workspace


def _github(base_ref: str) -> dict[str, str]:
    return {"base_ref": base_ref, "action_path": str(ROOT)}


def test_a_pull_request_gets_one_annotation_one_fix_and_a_summary(
    pull_request: Path, tmp_path: Path
) -> None:
    inputs = {"programmes": "*.yaml\n*.yml", "install": "false"}
    run = run_action(pull_request, inputs, _github("main"), tmp_path / "runner")
    assert [step.returncode for step in run.steps] == [0, 0, 1]
    install, _fetch, check = run.steps
    assert install.stdout == "" and "origin/main" in git(pull_request, "branch", "-r")
    annotations = check.stdout.splitlines()
    assert len(annotations) == 2
    assert annotations[0].startswith(f"::error file=programme.yaml,line=210,title={ADDED_RULE}::")
    assert annotations[1].startswith("::notice title=course-scheduler%3A programme.yaml::FAILED")
    assert "1 fixed, 3 unchanged (against git:origin/main:programme.yaml" in annotations[1]
    assert "note: mkdocs.yml: not a programme" in check.stderr
    assert "note: scenario.yaml: not a programme" in check.stderr
    summary = run.summary
    assert summary.startswith(
        "### Check: `programme.yaml` against `git:origin/main:programme.yaml`"
    )
    assert "**FAILED**: 1 new error, 0 new warnings, 0 new notes; 1 fixed, 3 unchanged" in summary
    assert summary.count(f"| error | `{ADDED_RULE}` |") == 1
    assert "<summary>Fixed (1)</summary>" in summary and f"| warning | `{FIXED_RULE}` |" in summary
    assert "### Programme changes: `git:origin/main:programme.yaml` → `programme.yaml`" in summary
    assert "| retimed | Welcome, introductions and housekeeping (`d1-welcome`) |" in summary


def test_a_pull_request_that_breaks_nothing_passes(pull_request: Path, tmp_path: Path) -> None:
    git(pull_request, "checkout", "-q", "-b", "harmless", "HEAD")
    git(
        pull_request,
        "fetch",
        "-q",
        "--depth=1",
        "origin",
        "+refs/heads/main:refs/remotes/origin/main",
    )
    git(pull_request, "checkout", "-q", "origin/main", "--", "programme.yaml")
    programme = pull_request / "programme.yaml"
    programme.write_text("# a comment moves every line\n" + programme.read_text("utf-8"), "utf-8")
    inputs = {"programmes": "programme.yaml", "install": "false"}
    run = run_action(pull_request, inputs, _github("main"), tmp_path / "runner")
    assert run.code == 0 and run.steps[-1].stdout.startswith("::notice ")
    assert "**OK**: 0 new errors, 0 new warnings, 0 new notes; 0 fixed, 4 unchanged" in run.summary
    assert "This version adds no finding." in run.summary


def test_without_a_base_every_finding_counts(pull_request: Path, tmp_path: Path) -> None:
    inputs = {"programmes": "programme.yaml", "install": "false"}
    run = run_action(pull_request, inputs, _github(""), tmp_path / "runner")
    assert [step.returncode for step in run.steps] == [0, 0, 1]
    out = run.steps[-1].stdout
    assert out.count("::error ") == 1 and "::notice title=course-scheduler" not in out
    # the reference's bus destinations and its farewell lunch's restaurant have no address
    assert out.count("::notice file=") == 3
    assert run.summary.startswith("### Check: `programme.yaml`\n\n**FAILED**: 1 error, 0 warnings")


def test_an_unknown_base_fails_with_git_s_reason(pull_request: Path, tmp_path: Path) -> None:
    inputs = {"programmes": "programme.yaml", "install": "false"}
    run = run_action(pull_request, inputs, _github("no-such-branch"), tmp_path / "runner")
    assert [step.returncode for step in run.steps] == [0, 128]
    assert "no-such-branch" in run.steps[-1].stderr


def test_every_script_is_valid_bash(tmp_path: Path) -> None:
    for index, step in enumerate(load_action()["runs"]["steps"]):
        script = tmp_path / f"{index}.sh"
        script.write_text(step["run"], encoding="utf-8")
        assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0
