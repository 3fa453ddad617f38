"""The test command: lint, format check, types, the documentation build, then the test suite
(``python -m scripts.test``).

The site is built with ``mkdocs build --strict`` into a temporary folder (a broken link, a
missing page or a docstring mkdocstrings cannot read fails the run); the code blocks of its
pages run in the test suite (``tests/test_docs.py``). pytest's "no tests ran" (exit 5)
counts as a failure here, as it must in CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

SITE = tempfile.mkdtemp(prefix="course-scheduler-site-")

STEPS = [
    [sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks", "scripts"],
    [sys.executable, "-m", "ruff", "format", "--check", "src", "tests", "benchmarks", "scripts"],
    [sys.executable, "-m", "mypy"],
    [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", SITE],
    [sys.executable, "-m", "pytest", "-q", *sys.argv[1:]],
]


def main() -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner about its successor
    for step in STEPS:
        print("$", " ".join(step[2:]), flush=True)
        code = subprocess.call(step)
        if code != 0:
            print(f"failed with exit code {code}: {' '.join(step[2:])}", flush=True)
            return code or 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
