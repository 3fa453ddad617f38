"""``course-scheduler check FILE`` as a planner's CI runs it, on programme files of 1,000 to
20,000 talks: file size, whole-process CPU and wall, peak memory, and where the time goes.

The files, written once into ``--scratch`` (YAML by the library's own writer, JSON as ``save``
writes it), each ``solved`` (every talk on its day, at its time and room) and ``unplaced``
(every talk in the top-level ``activities`` list, with its length, no time, room or block):

- ``real-38c3``: 38C3 as ``course-scheduler import`` reads it from
  ``../shared/real_schedules/38c3_schedule.xml`` (1,033 activities in 72 rooms over 4 days,
  with their titles, abstracts, descriptions, speakers and published ids), copied up by rooms:
  copy ``k`` repeats every room, person and talk with the suffix ``.ck`` (``Saal 1 #2``), the
  talks at their real times, until there are ``n`` talks (the last copy cut short). The real
  file's own clashes (142 errors) are copied too, so the report grows with the file;
- ``conference`` and ``peer``: generated instances (``benchmarks.instances``) converted by
  ``programme_from_peer``, placed at the planted (conference) or greedy (peer,
  ``check_scale.greedy_answer``) timetable by ``with_timetable``; their ``unplaced`` file is
  the conversion itself, each talk listing its candidate rooms and barred windows, which
  grows faster than the talks (the conference shape's rooms grow with it).

Each file, ``--runs`` times, alternating ``--code`` folders (a ``src``, e.g. main's from
``git archive``) run by run: the command as a process of its own (``python -m
course_scheduler check FILE``, output thrown away): CPU (user + system) and wall, peak
resident MiB; then the same steps in a child that times each phase (``imports``; ``read``
the bytes; ``parse`` to plain data with every line; ``validate`` by pydantic and the
cross-checks; ``compile``; ``check`` the rules; ``print`` the text report). Medians, with
the range for the whole process; the growth from the smallest size to each larger one as a
power of the talks.

Usage: PYTHONPATH=. python -m benchmarks.check_files [--sizes 1000 10000 20000]
[--kinds real-38c3 conference peer] [--states solved unplaced] [--formats yaml json]
[--code src OLD/src] [--runs 3] [--scratch DIR] [--make-only]
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._timing import ROOT, table

REAL = ROOT.parent / "shared" / "real_schedules" / "38c3_schedule.xml"
KINDS = ("real-38c3", "conference", "peer")
STATES = ("solved", "unplaced")
FORMATS = ("yaml", "json")
_REFERENCES = ("block", "depends_on", "alternatives")
"""An activity's fields that name other activities: a copy names the copy's."""
PHASES = ("imports", "read", "parse", "validate", "compile", "check", "print")


def _suffixed(value: str, copy_number: int) -> str:
    return value if copy_number == 1 else f"{value}.c{copy_number}"


def copied_up(data: dict[str, Any], size: int) -> dict[str, Any]:
    """The imported programme's plain data with its rooms, people and talks copied (see the
    module) until it holds ``size`` talks."""
    talks = [a for day in data["days"] for a in day["activities"]]
    copies = math.ceil(size / len(talks))
    out = copy.deepcopy(data)
    venue = out["venues"][0]
    rooms, people = venue["rooms"], out["people"]
    days = out["days"]
    for day in days:
        day["activities"] = []
    left = size
    for number in range(1, copies + 1):
        if number > 1:
            for room in data["venues"][0]["rooms"]:
                copied = copy.deepcopy(room)
                copied["id"] = _suffixed(room["id"], number)
                copied["name"] = f"{room['name']} #{number}"
                copied.pop("published", None)
                rooms.append(copied)
            for person in data["people"]:
                copied = copy.deepcopy(person)
                copied["id"] = _suffixed(person["id"], number)
                copied.pop("published", None)
                people.append(copied)
        for day, source in zip(days, data["days"], strict=True):
            for activity in source["activities"]:
                if left == 0:
                    break
                left -= 1
                copied = copy.deepcopy(activity)
                copied["id"] = _suffixed(activity["id"], number)
                if "room" in copied:
                    copied["room"] = _suffixed(copied["room"], number)
                copied["people"] = [_suffixed(p, number) for p in copied.get("people", [])]
                for field in _REFERENCES:
                    if isinstance(copied.get(field), list):
                        copied[field] = [_suffixed(a, number) for a in copied[field]]
                    elif field in copied:
                        copied[field] = _suffixed(copied[field], number)
                if number > 1:
                    copied.pop("published", None)
                day["activities"].append(copied)
    kept = {a["id"] for day in days for a in day["activities"]}
    for day in days:  # the last copy is cut short: what it no longer holds is not named
        for activity in day["activities"]:
            for field in _REFERENCES:
                named = activity.get(field)
                if isinstance(named, list):
                    activity[field] = [a for a in named if a in kept]
                elif named is not None and named not in kept:
                    del activity[field]
    return out


def unplaced(data: dict[str, Any]) -> dict[str, Any]:
    """Every talk of a solved file moved to the top-level list, with its length for a time
    (and out of its block: a block's parts are on one day, which an unplaced talk has not)."""
    out = copy.deepcopy(data)
    moved = []
    for day in out["days"]:
        for activity in day["activities"]:
            start, end = (t.strip() for t in activity.pop("time").split("-"))
            activity["duration"] = _minutes(end) - _minutes(start)
            for key in ("room", "pinned", "block"):  # a block's parts share a placed day
                activity.pop(key, None)
            moved.append(activity)
        day["activities"] = []
    out["activities"] = moved
    return out


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _plain(programme: Any) -> dict[str, Any]:
    data: dict[str, Any] = programme.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


def _generated(kind: str, size: int, state: str, scratch: Path) -> dict[str, Any]:
    from benchmarks import generate_conference
    from benchmarks.check_scale import greedy_answer
    from benchmarks.instances import generated
    from course_scheduler.api import with_timetable
    from course_scheduler.compile import compile_programme
    from course_scheduler.importers.peer import programme_from_peer, timetable_from_assignment

    if kind == "conference":
        instance, answer = generate_conference.plant(size)
    else:
        instance = json.loads(generated(kind, size, None, scratch).path.read_text("utf-8"))
        answer = greedy_answer(instance)
    programme = programme_from_peer(instance)
    if state == "unplaced":
        return _plain(programme)
    timetable = timetable_from_assignment(instance, answer)
    return _plain(with_timetable(compile_programme(programme), timetable))


def _real(size: int, state: str, scratch: Path) -> dict[str, Any]:
    import yaml

    imported = scratch / "38c3_imported.yaml"
    if not imported.exists():
        command = [sys.executable, "-m", "course_scheduler", "import", str(REAL)]
        subprocess.run([*command, "--out", str(imported)], check=True, capture_output=True)
    data = yaml.load(imported.read_text("utf-8"), Loader=yaml.CSafeLoader)
    solved = copied_up(data, size)
    return solved if state == "solved" else unplaced(solved)


def make(kind: str, size: int, state: str, fmt: str, scratch: Path) -> Path:
    """The file (see the module), written once."""
    target = scratch / f"{kind}_{size}_{state}.{fmt}"
    if target.exists():
        return target
    other = target.with_suffix(".json" if fmt == "yaml" else ".yaml")
    if other.exists():
        data = _read_plain(other)
    elif kind == "real-38c3":
        data = _real(size, state, scratch)
    else:
        data = _generated(kind, size, state, scratch)
    if fmt == "json":
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        from course_scheduler.dumping import dump_data

        text = dump_data(data)
    target.write_text(text, encoding="utf-8")
    return target


def _read_plain(path: Path) -> dict[str, Any]:
    text = path.read_text("utf-8")
    if path.suffix == ".json":
        loaded: dict[str, Any] = json.loads(text)
        return loaded
    import yaml

    loaded = yaml.load(text, Loader=yaml.CSafeLoader)
    return loaded


def child(path: Path) -> None:
    """The check's phases, in a process of its own (``--child``); prints them as JSON."""
    from course_scheduler.launch import process_started

    began = process_started()
    times: dict[str, float] = {}
    cpu = time.process_time()

    def lap(name: str) -> None:
        nonlocal cpu
        now = time.process_time()
        times[name] = times.get(name, 0.0) + now - cpu
        cpu = now

    from course_scheduler import checking, loading
    from course_scheduler.reporting import CheckedFile, render

    times["imports"] = time.process_time()
    cpu = time.process_time()
    compile_programme = checking.compile_programme

    def timed_compile(programme: Any) -> Any:
        lap("check")
        problem = compile_programme(programme)
        lap("compile")
        return problem

    checking.compile_programme = timed_compile  # type: ignore[attr-defined]
    raw = loading.read(path)
    lap("read")
    data, source = loading.parse(raw, name=str(path))
    lap("parse")
    programme = loading.validate(data, source)
    lap("validate")
    report = checking.check(programme)
    lap("check")
    with open(os.devnull, "w", encoding="utf-8") as sink:
        sink.write(render([CheckedFile(str(path), programme, report)], "text"))
    lap("print")
    wall = time.perf_counter() - began
    print(json.dumps({"phases": times, "cpu": time.process_time(), "wall": wall}))


def _environment(code: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{code}{os.pathsep}{ROOT}"}


def whole(code: Path, path: Path) -> tuple[float, float, float, int]:
    """CPU seconds, wall seconds, peak MiB and exit code of ``check FILE`` as a process."""
    command = [sys.executable, "-m", "course_scheduler", "check", str(path)]
    began = time.perf_counter()
    process = subprocess.Popen(
        command, env=_environment(code), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, process.returncode


def phases(code: Path, path: Path) -> dict[str, float]:
    command = [sys.executable, "-m", "benchmarks.check_files", "--child", str(path)]
    done = subprocess.run(
        command, env=_environment(code), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return {}
    measured: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])["phases"]
    return measured


def _cell(samples: list[float], digits: int = 2) -> str:
    if not samples:
        return "-"
    middle = statistics.median(samples)
    if len(samples) == 1:
        return f"{middle:.{digits}f}"
    return f"{middle:.{digits}f} ({min(samples):.{digits}f}-{max(samples):.{digits}f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 20000])
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--states", nargs="+", choices=STATES, default=list(STATES))
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--code", type=Path, nargs="+", default=[ROOT / "src"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scratch", type=Path)
    parser.add_argument("--make-only", action="store_true")
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="check_files_"))
    scratch.mkdir(parents=True, exist_ok=True)
    print(f"files in {scratch}; load {os.getloadavg()[0]:.1f}", flush=True)
    rows = []
    medians: dict[tuple[str, str, str, str], dict[int, float]] = {}
    for kind in args.kinds:
        for state in args.states:
            for fmt in args.formats:
                for size in args.sizes:
                    path = make(kind, size, state, fmt, scratch)
                    if args.make_only:
                        print(f"{path.name}: {path.stat().st_size:,} bytes", flush=True)
                        continue
                    for code in args.code:
                        rows.append(_measure(args, kind, state, fmt, size, code, path, medians))
    if args.make_only:
        return
    print(f"load {os.getloadavg()[0]:.1f}")
    for row in rows:
        key = (row[0], row[1], row[2], row[-1])
        series = medians[key]
        smallest = min(series)
        size = int(row[3].replace(",", ""))
        if size != smallest and series[smallest] > 0:
            growth = math.log(series[size] / series[smallest]) / math.log(size / smallest)
            row[-1] = f"{growth:.2f}"
        else:
            row[-1] = "-"
    header = ["file", "state", "format", "talks", "MB", "code", "exit", "CPU s", "wall s"]
    header += ["peak MiB", *PHASES, "growth"]
    print(table(header, rows))


def _measure(
    args: argparse.Namespace,
    kind: str,
    state: str,
    fmt: str,
    size: int,
    code: Path,
    path: Path,
    medians: dict[tuple[str, str, str, str], dict[int, float]],
) -> list[str]:
    cpus, walls, peaks, codes = [], [], [], set()
    split: dict[str, list[float]] = {name: [] for name in PHASES}
    for _ in range(args.runs):
        cpu, wall, peak, exit_code = whole(code, path)
        cpus.append(cpu)
        walls.append(wall)
        peaks.append(peak)
        codes.add(exit_code)
        for name, seconds in phases(code, path).items():
            split[name].append(seconds)
    label = str(code)
    medians.setdefault((kind, state, fmt, label), {})[size] = statistics.median(cpus)
    row = [kind, state, fmt, f"{size:,}", f"{path.stat().st_size / 1e6:.1f}", code.parent.name]
    row += [",".join(map(str, sorted(codes))), _cell(cpus), _cell(walls), f"{max(peaks):.0f}"]
    row += [_cell(split[name], 3) for name in PHASES]
    row.append(label)
    print(" | ".join(row[:-1]), flush=True)
    return row


if __name__ == "__main__":
    main()
