"""The documentation runs: every code block of every page (and of the README, the front page)
is executed and every output it shows is compared with what the command prints now
(``tests/docs_blocks.py`` says how); the README stays a short front page whose set-up
commands are what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from .docs_blocks import DOCS, ROOT, DocsError, blocks, console_steps, matches, pages, run_page


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_block_of_the_page_runs_and_prints_what_it_shows(page: Path, tmp_path: Path) -> None:
    skipped = run_page(page, tmp_path)  # each with its reason, checked by the runner
    assert all(": " in reason for reason in skipped)


def test_every_page_is_in_the_navigation() -> None:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    listed: set[str] = set()

    def walk(entry: object) -> None:
        if isinstance(entry, str):
            listed.add(entry)
        elif isinstance(entry, dict):
            for value in entry.values():
                walk(value)
        elif isinstance(entry, list):
            for value in entry:
                walk(value)

    walk(config["nav"])
    on_disk = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    assert on_disk == listed


def test_the_readme_is_a_short_front_page() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    words = len(re.findall(r"\S+", text))
    assert words < 1500, words
    assert "source .venv/bin/activate" in text


def test_the_readme_set_up_commands_are_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    shown = [b.text.strip() for b in blocks(ROOT / "README.md") if b.lang == "sh"][:2]
    assert len(shown) == 2
    main_job, tests = shown
    assert tests in ci, "the README's test command is not the one .ci/run runs"
    assert main_job.startswith("python3 -m venv .venv && .venv/bin/pip install")
    assert "course-scheduler check examples/barcelona_2024/programme.yaml" in main_job
    assert readme.count(tests) == 1


# --- the runner itself -----------------------------------------------------------------------


def test_shown_output_is_matched_with_wildcards() -> None:
    assert matches("a\n...\nz", "a\nb\nc\nz\n")
    assert matches("wrote ... in ... s", "wrote out.yaml in 0.25 s")
    assert matches("x\n...", "x\n")
    assert not matches("a\nz", "a\nb\nz")
    assert not matches("OK: 0 errors", "FAILED: 1 error")
    assert console_steps("$ echo a \\\n   b\nout\n$ ls\n") == [("echo a b", "out"), ("ls", "")]


def _page(tmp_path: Path, text: str) -> Path:
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    return page


def test_a_drifted_output_a_failing_command_and_a_bare_skip_are_caught(tmp_path: Path) -> None:
    drifted = _page(tmp_path, "```console\n$ echo 2 notes\n0 notes\n```\n")
    with pytest.raises(DocsError, match="printed something else"):
        run_page(drifted, tmp_path / "a")
    failing = _page(tmp_path, "```sh\npython -m benchmarks.no_such_benchmark\n```\n")
    with pytest.raises(DocsError, match="exited 1"):
        run_page(failing, tmp_path / "b")
    exit_code = _page(tmp_path, "<!-- test: exit 1 -->\n```console\n$ false\n```\n")
    assert run_page(exit_code, tmp_path / "c") == []
    bare = _page(tmp_path, "<!-- test: skip -->\n```sh\nfalse\n```\n")
    with pytest.raises(DocsError, match="needs a reason"):
        run_page(bare, tmp_path / "d")
    skipped = _page(tmp_path, "<!-- test: skip installs packages -->\n```sh\nfalse\n```\n")
    assert run_page(skipped, tmp_path / "e") == [f"{skipped}:2: installs packages"]
