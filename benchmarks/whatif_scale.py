"""What-if on programmes with slot grids, 400 to 10,000 talks: a room closed, answered in time?

Each instance (a shape of ``benchmarks/instances.py`` at a size) is solved once into a
programme with times and rooms (its "published" timetable, cached in ``--scratch``); then
four scenarios close a room of its first day: the busiest room for three hours from its
first talk; the second busiest for the whole day; the third busiest for two hours, its
events offered the two least used rooms (``instead``); the least used room for an hour
from its first talk (``quiet``: its events may take its free slots later). A room closed
whose events may go nowhere else gets the three least used rooms but the last as
``instead``. Each row: the what-if's answer (status, activities moved, valid), wall and CPU
seconds, and the start of the reason when no repair exists.

Usage: python -m benchmarks.whatif_scale [--shapes conference real-38c3 ...]
       [--sizes 400 2000] [--time-limit 30] [--scratch DIR]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks._timing import table
from benchmarks.instances import SHAPES, generated

SCENARIOS = ("morning", "day", "instead", "quiet")


def solved_file(shape: str, size: int, scratch: Path) -> Path | None:
    """The instance solved (60 s, seed 0) and written as a programme, once."""
    from course_scheduler.api import with_timetable
    from course_scheduler.compile import compile_programme
    from course_scheduler.dumping import dump_data
    from course_scheduler.importers.peer import programme_from_peer
    from course_scheduler.solver.solve import SolveOptions, solve_problem

    target = scratch / f"{shape}_{size}_solved.yaml"
    if target.exists():
        return target
    instance = json.loads(generated(shape, size, None, scratch).path.read_text("utf-8"))
    problem = compile_programme(programme_from_peer(instance))
    result = solve_problem(problem, options=SolveOptions(time_limit=60, seed=0))
    if result.timetable is None:
        return None
    solved = with_timetable(problem, result.timetable)
    data = solved.model_dump(mode="json", by_alias=True, exclude_none=True)
    target.write_text(dump_data(data), encoding="utf-8")
    return target


def closures(programme: Any) -> dict[str, Any]:
    """The four scenarios' changes, from the published timetable's first day."""
    from course_scheduler.clock import format_clock
    from course_scheduler.compile import compile_programme
    from course_scheduler.timetable import published_timetable
    from course_scheduler.whatif import CloseRoom

    placements = published_timetable(compile_programme(programme)).placements.values()
    first_day = min(p.date for p in placements)
    used = Counter(p.room for p in placements if p.date == first_day and p.room)
    rooms = [room for room, _ in used.most_common()]
    begins = min(p.start for p in placements if p.date == first_day and p.room == rooms[0])
    hours = f"{format_clock(begins)} - {format_clock(begins + 180)}"
    two = f"{format_clock(begins)} - {format_clock(begins + 120)}"
    opens = min(p.start for p in placements if p.date == first_day and p.room == rooms[-1])
    hour = f"{format_clock(opens)} - {format_clock(opens + 60)}"
    return {
        "morning": CloseRoom(do="close_room", room=rooms[0], date=first_day, time=hours),
        "day": CloseRoom(do="close_room", room=rooms[1], date=first_day),
        "instead": CloseRoom(
            do="close_room", room=rooms[2], date=first_day, time=two, instead=rooms[-2:]
        ),
        "quiet": CloseRoom(do="close_room", room=rooms[-1], date=first_day, time=hour),
        "fallback": rooms[-4:-1],
    }


def run(path: Path, name: str, change: Any, fallback: list[str], limit: float) -> list[object]:
    from course_scheduler import ProgrammeError, load
    from course_scheduler.whatif import Scenario, what_if

    programme = load(path)
    began, cpu = time.perf_counter(), time.process_time()
    try:
        outcome = what_if(programme, Scenario(name=name, changes=[change]), time_limit=limit)
    except ProgrammeError:  # its events may go to no other room: name some
        change = change.model_copy(update={"instead": fallback})
        began, cpu = time.perf_counter(), time.process_time()
        outcome = what_if(programme, Scenario(name=name, changes=[change]), time_limit=limit)
    wall, used = time.perf_counter() - began, time.process_time() - cpu
    found = outcome.timetable is not None
    return [
        name,
        outcome.status,
        len(outcome.moved) if found else "-",
        outcome.valid if found else "-",
        f"{wall:.1f}",
        f"{used:.1f}",
        (outcome.reasons[0][:70] + "...") if outcome.reasons else "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shapes", nargs="+", default=["conference"], choices=sorted(SHAPES))
    parser.add_argument("--sizes", nargs="+", type=int, default=[400, 2000])
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--scratch", type=Path, default=None)
    args = parser.parse_args()
    from course_scheduler import load

    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="whatif_scale_"))
    scratch.mkdir(parents=True, exist_ok=True)
    rows = []
    for shape in args.shapes:
        for size in args.sizes:
            path = solved_file(shape, size, scratch)
            if path is None:
                rows.append([f"{shape} {size}", "not solved in 60 s", "", "", "", "", "", ""])
                continue
            changes = closures(load(path))
            for name in SCENARIOS:
                row = run(path, name, changes[name], changes["fallback"], args.time_limit)
                rows.append([f"{shape} {size}", *row])
                print(" | ".join(map(str, rows[-1])), flush=True)
    header = ["instance", "scenario", "status", "moved", "valid", "wall s", "CPU s", "reason"]
    print(table(header, rows))
    print(f"what-if time limit {args.time_limit:g} s, seed 0, one worker")


if __name__ == "__main__":
    main()
