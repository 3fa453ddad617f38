"""Build and solve times of the next-edition template to proven optimality, and the command.

Goal (issue: generate timetables): model build plus solve under 1 s in-process. The first
call in a process also pays for loading CP-SAT and the rule modules: it is shown apart
("first call"), and the medians are of the calls after it.
Usage: python -m benchmarks.solve_speed [--runs N]
"""

from __future__ import annotations

import argparse
import statistics

from benchmarks._timing import EXAMPLES, process_seconds, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from course_scheduler import load, solve

    rows = []
    cases = [
        ("next_edition.yaml", {}),
        ("corrected.yaml (pinned)", {}),
        ("corrected.yaml (unpinned)", {"unpin": True}),
    ]
    for label, options in cases:
        programme = load(EXAMPLES / label.split()[0])
        first = solve(programme, time_limit=60, **options)
        results = [solve(programme, time_limit=60, **options) for _ in range(args.runs)]
        build = statistics.median(r.build_time for r in results)
        wall = statistics.median(r.wall_time for r in results)
        last = results[-1]
        rows.append(
            [
                label,
                f"{build:.2f} s",
                f"{wall - build:.2f} s",
                f"{wall:.2f} s",
                f"{first.wall_time:.2f} s",
                last.status.value,
                ", ".join(f"{s.name} {s.value}" for s in last.stages),
            ]
        )
    whole = process_seconds(["solve", str(EXAMPLES / "next_edition.yaml")], args.runs)
    print(
        table(
            [
                "instance",
                "build",
                "solve",
                "build+solve",
                "first call",
                "status",
                "objective by stage",
            ],
            rows,
        )
    )
    print(f"\nwhole process `course-scheduler solve next_edition.yaml`: {whole:.2f} s (median)")


if __name__ == "__main__":
    main()
