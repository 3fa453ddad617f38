"""``check`` at scale: our validator, in-process, on timetables of 1,000 and 10,000 activities.

Each instance is generated (``benchmarks.generate_instances``) and given a timetable by a quick
greedy (each event, in order, into the earliest free slot it may use where none of its speakers,
tags or clash partners is busy), so no solver is involved. Times, median of ``--runs``, in
CPU seconds of this process (steady on a shared machine; the wall time of ``check`` is shown
too): ``compile`` (programme → problem), ``check_problem`` (every rule over the timetable: the
part that grows with the timetable) and ``check`` (both, which is what ``course_scheduler.check``
does after loading). Goal: under 0.2 s at 10,000 activities. With ``--profile`` the functions that
dominate ``check`` are printed (cProfile, by own time).

Usage: python -m benchmarks.check_scale [--sizes 1000 10000] [--runs 5] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import pstats
import statistics
import time
from collections import defaultdict
from functools import partial
from typing import Any

from benchmarks._timing import table
from benchmarks.generate_instances import generate


def greedy_answer(data: dict[str, Any]) -> dict[str, str]:
    """Event name → slot id, first fit in time order; an event with no clean slot goes anywhere."""
    slots = sorted(data["slots"], key=lambda s: (s["starts_at"], s["id"]))
    start = {s["id"]: dt.datetime.fromisoformat(s["starts_at"]) for s in slots}
    free = [s for s in slots]
    busy: dict[str, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    answer: dict[str, str] = {}
    for event in data["events"]:
        keys = [f"s:{x}" for x in event["speakers"]] + [f"t:{x}" for x in event["tags"]]
        keys += ["u:" + "|".join(sorted((event["name"], o))) for o in event["unavailability"]]
        barred = set(event["slot_unavailability"])
        length = dt.timedelta(minutes=event["duration"])
        chosen = None
        for k, slot in enumerate(free):
            if slot["duration"] < event["duration"] or slot["id"] in barred:
                continue
            a = start[slot["id"]]
            z = a + length
            if all(not (s < z and a < e) for key in keys for s, e in busy[key]):
                chosen = k
                break
        if chosen is None:
            chosen = next((k for k, s in enumerate(free) if s["duration"] >= event["duration"]), 0)
        slot = free.pop(chosen)
        a = start[slot["id"]]
        for key in keys:
            busy[key].append((a, a + length))
        answer[event["name"]] = slot["id"]
    return answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    from course_scheduler.checking import check, check_problem
    from course_scheduler.compile import compile_programme
    from course_scheduler.importers.peer import programme_from_peer, timetable_from_assignment

    rows = []
    profiles = []
    for size in args.sizes:
        data = generate(size)
        programme = programme_from_peer(data)
        timetable = timetable_from_assignment(data, greedy_answer(data))
        problem = compile_programme(programme)
        samples: dict[str, list[float]] = defaultdict(list)
        report = None
        for _ in range(args.runs):
            for name, action in (
                ("compile", partial(compile_programme, programme)),
                ("check_problem", partial(check_problem, problem, timetable)),
                ("check", partial(check, programme, timetable)),
            ):
                wall, cpu = time.perf_counter(), time.process_time()
                done = action()
                samples[f"{name} cpu"].append(time.process_time() - cpu)
                samples[name].append(time.perf_counter() - wall)
                if name == "check_problem":
                    report = done
        assert report is not None
        counts = report.counts()
        med = {k: statistics.median(v) for k, v in samples.items()}
        rows.append(
            [
                f"{size:,}",
                f"{med['compile cpu'] * 1000:.0f} ms",
                f"{med['check_problem cpu'] * 1000:.0f} ms",
                f"{med['check cpu'] * 1000:.0f} ms",
                f"{med['check'] * 1000:.0f} ms",
                "met" if med["check cpu"] < 0.2 else "missed",
                f"{counts['error']} errors, {counts['warning']} warnings",
            ]
        )
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            check(programme, timetable)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(8)
            profiles.append(f"--- check on {size:,} activities, by own time ---\n{out.getvalue()}")
    print(
        table(
            [
                "activities",
                "compile, CPU",
                "check_problem, CPU",
                "check (both), CPU",
                "check, wall",
                "< 0.2 s CPU",
                "findings",
            ],
            rows,
        )
    )
    for text in profiles:
        print()
        print(text)


if __name__ == "__main__":
    main()
