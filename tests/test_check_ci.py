"""``check`` for CI: several files, programmes recognised, ``--baseline``, ``--summary`` and
``diff --check``, on a repository of two commits (one error added, one warning fixed)."""

from __future__ import annotations

import contextlib
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from course_scheduler.checkrun import is_programme
from course_scheduler.cli import main

from .ci_repo import ADDED_RULE, FIXED_RULE, MKDOCS, two_commits
from .conftest import CORRECTED, EXAMPLES, PUBLISHED

SCENARIO = EXAMPLES / "scenarios" / "khady_absent.yaml"


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def run(*args: str, cwd: Path | None = None) -> Done:
    """The command in this process (in ``cwd``), its output captured."""
    out, err = io.StringIO(), io.StringIO()
    here = Path.cwd()
    try:
        os.chdir(cwd or here)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(here)
    return Done(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return two_commits(tmp_path_factory.mktemp("ci") / "programmes")


def test_what_is_a_programme(tmp_path: Path) -> None:
    assert is_programme(CORRECTED.read_bytes(), "corrected.yaml")
    assert not is_programme(SCENARIO.read_bytes(), "scenario.yaml")
    assert not is_programme(MKDOCS.encode(), "mkdocs.yml")
    assert not is_programme(b"on: push\njobs:\n  days:\n    course: 1\n", "ci.yml")
    data = yaml.safe_load(CORRECTED.read_text(encoding="utf-8"))
    as_json = json.dumps(data, default=str, indent=2).encode()
    assert is_programme(as_json, "programme.json")
    assert not is_programme(b'{"changes": []}', "scenario.json")
    assert is_programme(b'{\n  "course": {"title": "x"},\n  "days": [\n', "cut.json")
    broken = CORRECTED.read_bytes().replace(b"course:", b"course: [unclosed", 1)
    assert is_programme(broken, "broken.yaml"), "a broken programme is still one"
    assert is_programme(b"\xef\xbb\xbfcourse:\n  title: x\ndays: []\n", "bom.yaml")


def test_several_files_exit_with_the_worst(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(CORRECTED.read_bytes().replace(b"course:", b"course: [unclosed", 1))
    both = run("check", str(CORRECTED), str(PUBLISHED))
    assert both.returncode == 1
    assert f"{CORRECTED}: OK: 0 errors, 1 warning" in both.stdout
    assert f"{PUBLISHED}: FAILED: 4 errors, 2 warnings" in both.stdout
    worst = run("check", str(broken), str(PUBLISHED), str(SCENARIO), "--programmes-only")
    assert worst.returncode == 2
    assert "FAILED: 4 errors" in worst.stdout, "the other files are still checked"
    errors = worst.stderr.splitlines()
    assert errors[0].startswith(f"error: {broken}:") and "Traceback" not in worst.stderr
    assert (
        errors[1]
        == f"note: {SCENARIO}: not a programme (no top-level 'course' and 'days'); skipped"
    )
    assert run("check", str(SCENARIO)).returncode == 2, "without --programmes-only: an error"
    skipped = run("check", str(SCENARIO), "--programmes-only", "--format", "json")
    assert skipped.returncode == 0 and json.loads(skipped.stdout) == []


def test_one_baseline_file_for_several_programmes_is_refused() -> None:
    done = run("check", str(CORRECTED), str(PUBLISHED), "--baseline", str(PUBLISHED))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "give git:REF" in done.stderr


def test_baseline_reports_the_added_error_and_counts_the_fixed_warning(repo: Path) -> None:
    done = run("check", "programme.yaml", "--baseline", "git:HEAD~1", cwd=repo)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        f"programme.yaml:210: error [{ADDED_RULE}] Mon 18 Nov 2024 9:20-9:45"
    )
    assert lines[1] == (
        "FAILED: 1 new error, 0 new warnings, 0 new notes; 1 fixed, 3 unchanged "
        "(against git:HEAD~1:programme.yaml; 51/51 activities scheduled, 24 rules)"
    )
    plain = run("check", "programme.yaml", cwd=repo)
    assert "FAILED: 1 error, 0 warnings" in plain.stdout
    same = run("check", "programme.yaml", "--baseline", "git:HEAD:programme.yaml", cwd=repo)
    assert same.returncode == 0 and "OK: 0 new errors" in same.stdout
    assert "0 fixed, 4 unchanged" in same.stdout
    back = run("check", "programme.yaml", "--baseline", "git:HEAD~1", cwd=repo)
    assert back.stdout == done.stdout, "same input, same bytes"


def test_baseline_in_every_format(repo: Path) -> None:
    def check(fmt: str) -> str:
        done = run("check", "programme.yaml", "--baseline", "git:HEAD~1", "--format", fmt, cwd=repo)
        assert done.returncode == 1, (fmt, done.stderr)
        return done.stdout

    data = json.loads(check("json"))
    assert data["ok"] is False and data["counts"] == {"error": 1, "warning": 0, "info": 0}
    assert [f["rule"] for f in data["findings"]] == [ADDED_RULE]
    assert [f["rule"] for f in data["baseline"]["fixed"]] == [FIXED_RULE]
    assert data["baseline"]["source"] == "git:HEAD~1:programme.yaml"
    github = check("github").splitlines()
    assert len(github) == 2
    assert github[0].startswith(f"::error file=programme.yaml,line=210,title={ADDED_RULE}::")
    assert github[1].startswith("::notice title=course-scheduler%3A programme.yaml::FAILED")
    assert "1 fixed" in github[1]
    markdown = check("md")
    assert "### Check: `programme.yaml` against `git:HEAD~1:programme.yaml`" in markdown
    assert markdown.count(f"| error | `{ADDED_RULE}` |") == 1
    assert "<summary>Fixed (1)</summary>" in markdown and f"`{FIXED_RULE}`" in markdown
    assert "### Programme changes:" in markdown and "(`d1-welcome`)" in markdown
    sarif = json.loads(check("sarif"))
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["baselineState"]) for r in results] == [(ADDED_RULE, "new")]
    assert sarif["runs"][0]["properties"]["baselines"][0]["unchanged"] == 3
    junit = check("junit")
    assert junit.count("<failure ") == 1 and '<property name="fixed" value="1" />' in junit


def test_a_new_file_has_every_finding_new(repo: Path, tmp_path: Path) -> None:
    new = repo / "next.yaml"
    new.write_bytes(PUBLISHED.read_bytes())
    try:
        done = run("check", "next.yaml", "--baseline", "git:HEAD", cwd=repo)
    finally:
        new.unlink()
    assert done.returncode == 1 and "FAILED: 4 new errors, 2 new warnings" in done.stdout
    assert done.stderr == (
        "note: git:HEAD:next.yaml: HEAD has no such file; every finding counts as new\n"
    )


def test_summary_is_appended(repo: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n\n", encoding="utf-8")
    args = ["check", "programme.yaml", "--baseline", "git:HEAD~1", "--summary", str(summary)]
    done = run(*args, "--format", "github", cwd=repo)
    assert done.returncode == 1 and done.stdout.startswith("::error ")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Earlier step\n\n### Check: `programme.yaml`")
    assert "**FAILED**: 1 new error," in text and "### Programme changes:" in text


def test_diff_check_appends_the_added_and_fixed_findings(repo: Path) -> None:
    text = run("diff", "git:HEAD~1", "programme.yaml", "--check", cwd=repo)
    assert text.returncode == 1
    assert text.stdout.startswith(
        "git:HEAD~1:programme.yaml → programme.yaml: 1 activity changed: 1 modified (1 retimed)\n"
    )
    assert f"error [{ADDED_RULE}]" in text.stdout and "; 1 fixed, 3 unchanged" in text.stdout
    markdown = run(
        "diff", "git:HEAD~1:programme.yaml", "programme.yaml", "--check", "--format", "md", cwd=repo
    )
    assert markdown.returncode == 1
    assert markdown.stdout.count("### Programme changes:") == 1
    assert markdown.stdout.index("### Programme changes:") < markdown.stdout.index("### Check:")
    data = json.loads(
        run("diff", "git:HEAD~1", "programme.yaml", "--check", "--format", "json", cwd=repo).stdout
    )
    assert data["counts"]["retimed"] == 1
    assert [f["rule"] for f in data["check"]["findings"]] == [ADDED_RULE]
    plain = run("diff", "git:HEAD~1", "programme.yaml", cwd=repo)
    assert plain.returncode == 0 and "new error" not in plain.stdout
    fixed_only = run("diff", "programme.yaml", "git:HEAD~1:programme.yaml", "--check", cwd=repo)
    assert fixed_only.returncode == 0 and "0 new errors, 1 new warning," in fixed_only.stdout
    missing = run("diff", "git:HEAD~1:nothing.yaml", "programme.yaml", cwd=repo)
    assert missing.returncode == 2 and "diff needs both versions" in missing.stderr


def test_summary_never_writes_into_a_checked_file(tmp_path: Path) -> None:
    programme = tmp_path / "programme.yaml"
    programme.write_bytes(CORRECTED.read_bytes())
    done = run("check", str(programme), "--summary", str(programme))
    assert done.returncode == 2 and "--summary names a checked file" in done.stderr
    assert programme.read_bytes() == CORRECTED.read_bytes()
