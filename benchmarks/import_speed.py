"""Importing and checking real published schedules: time in-process, whole process, memory.

Goal (issue: conference schedules in and out): import and `check` of 38C3 (1,007 events, 72
rooms) under 1 s in-process; memory under 2 GiB. Each file is read from
../shared/real_schedules; a file that is absent is left out of the table.

Writing the imported programme: "write before" is PyYAML's pure-Python dumper (what `import`
used), "write now" the fast path (`course_scheduler.dumping`: libyaml, with the pure
emitter's exact output), both in-process; the second table gives the import with its write,
before and after, and the write's share of it.
Usage: python -m benchmarks.import_speed [--runs N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from benchmarks._timing import ROOT, median_seconds, process_seconds, table

REAL = ROOT.parent / "shared" / "real_schedules"
FILES = (
    "38c3_schedule.xml",
    "debconf23_schedule.xml",
    "cccamp2019_schedule.json",
    "rc3_channels_2020_schedule.json",
)

PEAK = textwrap.dedent(
    """
    import resource, sys
    from course_scheduler.checking import check
    from course_scheduler.importers import read_schedule
    report = check(read_schedule(sys.argv[1]).programme)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, report.counts()["error"])
    """
)
"""Run in a fresh process: its peak resident memory is the import and check, nothing else."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import yaml

    from course_scheduler.checking import check
    from course_scheduler.importers import read_schedule
    from course_scheduler.loading import dump

    rows = []
    writes = []
    for name in FILES:
        path = REAL / name
        if not path.exists():
            continue
        imported = read_schedule(path)
        activities = len(imported.programme.all_activities())
        read = median_seconds(lambda p=path: read_schedule(p), args.runs)
        checked = median_seconds(lambda i=imported: check(i.programme), args.runs)
        data = imported.programme.model_dump(mode="json", by_alias=True, exclude_none=True)
        pure = median_seconds(
            lambda i=imported: yaml.safe_dump(
                i.programme.model_dump(mode="json", by_alias=True, exclude_none=True),
                sort_keys=False,
                allow_unicode=True,
                width=100,
            ),
            args.runs,
        )
        fast = median_seconds(lambda i=imported: dump(i.programme), args.runs)
        assert dump(imported.programme) == yaml.safe_dump(
            data, sort_keys=False, allow_unicode=True, width=100
        )
        writes.append(
            [
                name,
                f"{pure * 1000:.0f} ms",
                f"{fast * 1000:.0f} ms",
                f"{pure / fast:.1f}x",
                f"{(read + pure) * 1000:.0f} ms ({pure / (read + pure):.0%} writing)",
                f"{(read + fast) * 1000:.0f} ms ({fast / (read + fast):.0%} writing)",
            ]
        )
        both = median_seconds(lambda p=path: check(read_schedule(p).programme), args.runs)
        command = [sys.executable, "-c", PEAK, str(path)]
        peak_kib, errors = subprocess.run(
            command, capture_output=True, text=True, check=True
        ).stdout.split()
        with tempfile.TemporaryDirectory() as folder:
            out = str(Path(folder) / "programme.yaml")
            command_time = process_seconds(
                ["import", str(path), "--out", out], max(1, args.runs // 2)
            )
            check_time = process_seconds(["check", out], max(1, args.runs // 2))
        rows.append(
            [
                name,
                f"{imported.events} / {activities}",
                f"{read * 1000:.0f} ms",
                f"{checked * 1000:.0f} ms",
                f"{both * 1000:.0f} ms",
                errors,
                f"{int(peak_kib) / 1024:.0f} MiB",
                f"{command_time:.2f} s",
                f"{check_time:.2f} s",
            ]
        )
    print(
        table(
            [
                "file",
                "events / activities",
                "import",
                "check",
                "import + check",
                "errors found",
                "peak memory (fresh process)",
                "import command",
                "check command",
            ],
            rows,
        )
    )
    print("goal: import + check of 38C3 under 1 s in-process; memory under 2 GiB")
    print("(the commands are whole processes; import writes the programme as YAML)")
    print()
    print(
        table(
            [
                "file",
                "write before (pure PyYAML)",
                "write now (fast)",
                "faster",
                "import + write before",
                "import + write now",
            ],
            writes,
        )
    )
    print("(in-process medians; both writes give the same bytes, asserted on every file)")


if __name__ == "__main__":
    main()
