"""How fast `check` is on the reference instance: whole process and in-process.

Goal (issue: the programme file and `check`): under 0.5 s as a whole process.
Usage: python -m benchmarks.check_speed [--runs N]
"""

from __future__ import annotations

import argparse

from benchmarks._timing import EXAMPLES, median_seconds, process_seconds, table


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
    bare = process_seconds(["--help"], args.runs)
    rows.append(["(course-scheduler --help)", f"{bare:.3f} s", "-", "-"])
    print(table(["file", "check, whole process", "load+check in-process", "goal"], rows))


if __name__ == "__main__":
    main()
