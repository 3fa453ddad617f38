"""What-if repairs, the tbc sweep and an explanation on the reference instance.

Goals (issue: what-if runs): a single repair under 1 s in-process including the proof of
minimal disruption; the full tbc sweep under 10 s wall on 2 cores; an explanation of an
infeasible reference variant under 2 s.
Usage: python -m benchmarks.whatif_speed [--runs N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from benchmarks._timing import EXAMPLES, median_seconds, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from course_scheduler import compile_programme, load
    from course_scheduler.solver.explain import explain_problem
    from course_scheduler.whatif import load_scenario, what_if

    corrected = load(EXAMPLES / "corrected.yaml")
    rows = []
    for name in sorted((EXAMPLES / "scenarios").glob("*.yaml")):
        scenario = load_scenario(name)
        result = what_if(corrected, scenario, time_limit=60)
        seconds = median_seconds(lambda s=scenario: what_if(corrected, s, time_limit=60), args.runs)
        rows.append([name.stem, f"{seconds:.2f} s", result.outcome()[:60]])
    published = compile_programme(load(EXAMPLES / "programme.yaml"))
    seconds = median_seconds(lambda: explain_problem(published), args.runs)
    rows.append(["explain programme.yaml (pinned)", f"{seconds:.2f} s", "3 reasons"])
    command = [
        sys.executable,
        "-m",
        "course_scheduler.cli",
        "what-if",
        str(EXAMPLES / "corrected.yaml"),
        "--sweep",
        "tbc-speakers",
        "--workers",
        "2",
    ]
    began = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    rows.append(
        [
            "tbc sweep, whole command, 2 workers",
            f"{time.perf_counter() - began:.2f} s",
            "6 scenarios",
        ]
    )
    print(table(["case", "median time", "outcome"], rows))


if __name__ == "__main__":
    main()
