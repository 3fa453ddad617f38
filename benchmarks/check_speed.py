"""How fast `check` is on the reference instance: whole process and in-process.

Goal (issue: the programme file and `check`): under 0.5 s as a whole process; with a baseline
(issue: CI on a programme repository) at most twice that: a second programme is loaded and
checked, from a file or from git (`git show`, when the project is a git checkout).
Usage: python -m benchmarks.check_speed [--runs N]
"""

from __future__ import annotations

import argparse
import subprocess

from benchmarks._timing import EXAMPLES, ROOT, median_seconds, process_seconds, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from course_scheduler.checking import check
    from course_scheduler.loading import load

    rows = []
    for name in ("programme.yaml", "corrected.yaml"):
        path = EXAMPLES / name
        whole = process_seconds(["check", str(path)], args.runs)
        inproc = median_seconds(lambda p=path: check(load(p)), args.runs)
        rows.append([name, f"{whole:.3f} s", f"{inproc * 1000:.1f} ms", "0.5 s"])
    corrected, published = EXAMPLES / "corrected.yaml", EXAMPLES / "programme.yaml"
    baselines = [("--baseline programme.yaml", str(published))]
    if _in_git(corrected):
        path = corrected.relative_to(ROOT).as_posix()
        baselines.append((f"--baseline git:HEAD:{path}", f"git:HEAD:{path}"))
    for label, baseline in baselines:
        whole = process_seconds(["check", str(corrected), "--baseline", baseline], args.runs)
        rows.append([f"corrected.yaml {label}", f"{whole:.3f} s", "-", "1.0 s"])
    bare = process_seconds(["--help"], args.runs)
    rows.append(["(course-scheduler --help)", f"{bare:.3f} s", "-", "-"])
    print(table(["file", "check, whole process", "load+check in-process", "goal"], rows))


def _in_git(path: object) -> bool:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "--error-unmatch", str(path)], capture_output=True
    )
    return done.returncode == 0


if __name__ == "__main__":
    main()
