"""Run the code blocks of the documentation and compare the outputs they show.

Every Markdown file under ``docs/`` (and the README, the site's front page) is read block by
block, in order, in a sandbox of its own: a copy of ``examples/``, ``benchmarks/``, ``scripts/`` and ``tests/``, the
virtual environment on the PATH (as after ``source .venv/bin/activate``) and ``../shared``
beside it when this checkout has one. What each fenced block does, by its language:

- ``console``: ``$ command`` lines, each followed by the output it prints (standard output and
  error together, as a terminal shows them). The output must match; ``...`` stands for any
  text within a line, and alone on a line for any number of lines.
- ``sh`` (``bash``, ``shell``): the commands run one by one in one shell, without a check of
  their output.
- ``python``: executed; the blocks of one page share their names, like a notebook's cells.
- ``pycon``: ``>>>`` examples run as doctests (``...`` wildcards allowed) in that namespace.
- ``yaml`` and ``json``: must parse; a whole programme (``course`` and ``days``) must load.
- ``text``: shown as it is (an illustration, never a command; a ``$ `` prompt is refused).

An HTML comment right above a block changes what happens to it, one per line:

- ``<!-- test: skip REASON -->`` does not run it (a reason is required);
- ``<!-- test: exit 1 -->`` exit codes its commands may end with, besides 0;
- ``<!-- test: file NAME -->`` writes the block (a programme, a scenario) to NAME first;
- ``<!-- test: small OLD => NEW -->`` runs it with OLD replaced (benchmarks at a small size);
- ``<!-- test: timeout SECONDS -->`` (default 300).

A new page needs nothing more than its file: every ``.md`` under ``docs/`` is collected.
"""

from __future__ import annotations

import contextlib
import doctest
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SHARED = ROOT.parent / "shared"

RUN = {"console", "sh", "bash", "shell", "python", "pycon", "yaml", "json"}
SHOWN = {"text", ""}
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>```+|~~~+)\s*(?P<lang>[\w+-]*)")
DIRECTIVE = re.compile(r"^\s*<!--\s*test:\s*(?P<key>\w+)\s*(?P<value>.*?)\s*-->\s*$")


def pages() -> list[Path]:
    """Every page of the site, and the README (the front page)."""
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


@dataclass
class Block:
    page: Path
    line: int
    lang: str
    text: str
    directives: list[tuple[str, str]] = field(default_factory=list)

    def values(self, key: str) -> list[str]:
        return [value for k, value in self.directives if k == key]

    @property
    def where(self) -> str:
        page = self.page.relative_to(ROOT) if self.page.is_relative_to(ROOT) else self.page
        return f"{page}:{self.line}"


def blocks(page: Path) -> Iterator[Block]:
    """The fenced blocks of a page, each with the directives written right above it."""
    lines = page.read_text(encoding="utf-8").splitlines()
    pending: list[tuple[str, str]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        directive = DIRECTIVE.match(line)
        opened = FENCE.match(line)
        if directive:
            pending.append((directive["key"], directive["value"]))
        elif opened:
            indent, fence = opened["indent"], opened["fence"]
            body: list[str] = []
            index += 1
            while index < len(lines) and not lines[index].strip().startswith(fence):
                text = lines[index]
                body.append(text[len(indent) :] if text.startswith(indent) else text.lstrip())
                index += 1
            start = index - len(body)
            yield Block(page, start, opened["lang"].lower(), "\n".join(body) + "\n", pending)
            pending = []
        elif line.strip():
            pending = []
        index += 1


class DocsError(AssertionError):
    """A block that did not do what the page says, with its file and line."""


@dataclass
class Sandbox:
    """A folder laid out like a checkout, where a page's blocks run."""

    root: Path
    namespace: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def make(cls, base: Path) -> Sandbox:
        root = base / "course_scheduler"
        root.mkdir(parents=True)
        shutil.copytree(ROOT / "examples", root / "examples")
        for folder in ("benchmarks", "scripts", "tests"):
            shutil.copytree(
                ROOT / folder,
                root / folder,
                ignore=shutil.ignore_patterns("*.png", "__pycache__", ".hypothesis"),
            )
        (root / ".venv").symlink_to(Path(sys.prefix))
        if SHARED.is_dir():
            (base / "shared").symlink_to(SHARED)
        return cls(root, {"__name__": "__docs__"})

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COURSE_SCHEDULER")}
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = sys.prefix
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONPATH"] = str(self.root)
        env["COLUMNS"] = "100"
        env["NO_COLOR"] = "1"
        for who in ("AUTHOR", "COMMITTER"):
            env[f"GIT_{who}_NAME"] = "A Planner"
            env[f"GIT_{who}_EMAIL"] = "planner@example.org"
        env.pop("TERM", None)
        return env


def run_page(page: Path, base: Path) -> list[str]:
    """Run every block of ``page``; the skipped ones are returned with their reasons."""
    sandbox = Sandbox.make(base)
    skipped = []
    for block in blocks(page):
        reasons = block.values("skip")
        if reasons:
            if not all(reasons):
                raise DocsError(f"{block.where}: a skipped block needs a reason")
            skipped.append(f"{block.where}: {reasons[0]}")
            continue
        if "../shared" in block.text and not SHARED.is_dir():
            skipped.append(f"{block.where}: needs ../shared, absent here")
            continue
        run_block(block, sandbox)
    return skipped


def run_block(block: Block, sandbox: Sandbox) -> None:
    text = block.text
    for substitution in block.values("small"):
        old, _, new = substitution.partition("=>")
        if old.strip() not in text:
            raise DocsError(f"{block.where}: 'small' replaces {old.strip()!r}, not in the block")
        text = text.replace(old.strip(), new.strip())
    for name in block.values("file"):
        target = sandbox.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    if block.lang in ("console",):
        _console(block, text, sandbox)
    elif block.lang in ("sh", "bash", "shell"):
        _shell(block, text, sandbox)
    elif block.lang == "python":
        with _inside(sandbox.root):
            exec(compile(text, block.where, "exec"), sandbox.namespace)
    elif block.lang == "pycon":
        _doctest(block, text, sandbox)
    elif block.lang in ("yaml", "json"):
        _data(block, text)
    elif block.lang in SHOWN:
        if re.search(r"^\$ ", text, re.MULTILINE):
            raise DocsError(f"{block.where}: a command in a text block; make it a console block")
    else:
        raise DocsError(f"{block.where}: no runner for blocks of '{block.lang}'")


@contextlib.contextmanager
def _inside(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def commands(text: str) -> list[str]:
    """Shell lines, with backslash continuations joined and blank or comment lines left out."""
    joined: list[str] = []
    current = ""
    for line in text.splitlines():
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        if current.strip() and not current.lstrip().startswith("#"):
            joined.append(current.strip())
        current = ""
    return joined


def _script(lines: list[str], allowed: list[int]) -> str:
    """One shell running ``lines`` in order, stopping at the first that ends otherwise."""
    codes = " ".join(str(c) for c in allowed)
    parts = ["set -u"]
    for number, line in enumerate(lines):
        parts.append(line)
        parts.append(
            f'__rc=$?; case " {codes} " in *" $__rc "*) ;; '
            f'*) echo "__FAILED__ {number} $__rc" >&2; exit 97;; esac'
        )
    return "\n".join(parts) + "\n"


def _allowed(block: Block) -> list[int]:
    given = " ".join(block.values("exit")).split()
    return [0, *(int(code) for code in given)]


def _bash(block: Block, script: str, sandbox: Sandbox) -> subprocess.CompletedProcess[str]:
    timeout = float((block.values("timeout") or ["300"])[0])
    return subprocess.run(
        ["bash", "-c", script],
        cwd=sandbox.root,
        env=sandbox.env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def _shell(block: Block, text: str, sandbox: Sandbox) -> None:
    lines = commands(text)
    done = _bash(block, _script(lines, _allowed(block)), sandbox)
    failed = re.search(r"__FAILED__ (\d+) (\d+)", done.stderr)
    if failed or done.returncode != 0:
        which = lines[int(failed[1])] if failed else "the block"
        code = failed[2] if failed else done.returncode
        raise DocsError(
            f"{block.where}: `{which}` exited {code}\n--- stdout\n{done.stdout[-3000:]}"
            f"\n--- stderr\n{done.stderr[-3000:]}"
        )


def console_steps(text: str) -> list[tuple[str, str]]:
    """``(command, shown output)`` pairs of a console block."""
    steps: list[tuple[str, list[str]]] = []
    pending = ""
    for line in text.splitlines():
        if pending:
            pending += " " + line.strip().rstrip("\\").rstrip()
            if not line.rstrip().endswith("\\"):
                steps.append((pending, []))
                pending = ""
            continue
        if line.startswith("$ "):
            command = line[2:]
            if command.rstrip().endswith("\\"):
                pending = command.rstrip()[:-1].rstrip()
                continue
            steps.append((command, []))
        elif steps:
            steps[-1][1].append(line)
        elif line.strip():
            raise ValueError(f"output before any command: {line!r}")
    return [(command, "\n".join(shown)) for command, shown in steps]


def _console(block: Block, text: str, sandbox: Sandbox) -> None:
    """All the block's commands in one shell (a ``cd`` or a variable carries on, as in a
    terminal), standard error merged into standard output in the order they are written."""
    allowed = _allowed(block)
    steps = console_steps(text)
    script = ["exec 2>&1"]
    for command, _ in steps:
        script += [command, "printf '\\n__STEP__ %s\\n' $?"]
    done = _bash(block, "\n".join(script) + "\n", sandbox)
    outputs = re.split(r"\n__STEP__ (\d+)\n", done.stdout)
    for number, (command, shown) in enumerate(steps):
        if 2 * number + 1 >= len(outputs):
            raise DocsError(f"{block.where}: the shell stopped before `{command}`\n{done.stdout}")
        output, code = outputs[2 * number], int(outputs[2 * number + 1])
        if code not in allowed:
            raise DocsError(
                f"{block.where}: `{command}` exited {code} (expected "
                f"{' or '.join(map(str, allowed))})\n{output[-3000:]}"
            )
        if not matches(shown, output):
            raise DocsError(
                f"{block.where}: `{command}` printed something else.\n--- shown\n{shown}\n"
                f"--- printed\n{_cut(output)}"
            )


def _cut(text: str, keep: int = 2500) -> str:
    if len(text) <= 2 * keep:
        return text
    return f"{text[:keep]}\n[... {len(text) - 2 * keep} characters ...]\n{text[-keep:]}"


def matches(shown: str, printed: str) -> bool:
    """Does ``printed`` match ``shown``, where ``...`` stands for any text (alone on a line:
    any number of lines)? Trailing spaces and blank lines at the end do not count."""
    pattern = []
    for line in shown.rstrip().splitlines():
        if line.strip() == "...":
            pattern.append(r"(?:[^\n]*\n)*?")
        else:
            pattern.append(".*?".join(re.escape(part) for part in line.rstrip().split("...")))
            pattern.append(r"[ \t]*\n")
    clean = "\n".join(line.rstrip() for line in printed.rstrip().splitlines())
    return re.fullmatch("".join(pattern), clean + "\n" if clean else "", re.DOTALL) is not None


def _doctest(block: Block, text: str, sandbox: Sandbox) -> None:
    parser = doctest.DocTestParser()
    try:
        test = parser.get_doctest(text, sandbox.namespace, block.where, str(block.page), block.line)
    except ValueError as exc:
        raise DocsError(f"{block.where}: not a doctest: {exc}") from None
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    runner = doctest.DocTestRunner(optionflags=flags)
    report: list[str] = []
    with _inside(sandbox.root):
        runner.run(test, out=report.append, clear_globs=False)
    sandbox.namespace.update(test.globs)  # a DocTest works on a copy; later blocks see these
    if runner.failures:
        raise DocsError(f"{block.where}: doctest failed\n" + "".join(report))


def _data(block: Block, text: str) -> None:
    try:
        data = json.loads(text) if block.lang == "json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise DocsError(f"{block.where}: not valid {block.lang}: {exc}") from None
    if isinstance(data, dict) and "course" in data and "days" in data:
        from course_scheduler import ProgrammeError, loads

        try:
            loads(text, name=block.where)
        except ProgrammeError as exc:
            raise DocsError(f"{block.where}: the programme does not load: {exc}") from None
