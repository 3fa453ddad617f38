"""Interval versus time-indexed CP-SAT formulations of the peer's conference instances.

Standalone models (built straight from the peer schema, not through course_scheduler), each
solved for a first feasible answer with one CP-SAT worker and seed 0, checked by
``benchmarks.overlap_check``:

- ``library``: course_scheduler itself (``programme_from_peer`` + ``solve``, feasibility only):
  since issue 6 the ``pooled-nooverlap`` formulation below (``solver/slots.py``), with rooms
  matched after the solve and Hall cuts when a matching fails;
- ``library-intervals``: course_scheduler with ``pool_rooms=False``, its earlier model: one start
  per activity, room literals with the slot grid as a domain enforced per room, optional
  intervals and a NoOverlap per room, NoOverlap per speaker and clash;
- ``interval``: the same technique written directly: one absolute start per event whose domain
  is the allowed slot starts, one optional interval per candidate room (its domain narrowed to
  that room's allowed starts), NoOverlap per room, speaker, tag and clash pair;
- ``time-indexed``: one literal per allowed placement (event, room, day, slot), exactly one per
  event, at most one per (room, day, slot), and per speaker / tag / clash pair at most one
  placement covering each start time; CP-SAT presolve off (it costs more than it saves here);
- ``pooled``: time-indexed over (room pool, day, slot) instead of rooms, where a pool is the set
  of rooms sharing one slot grid: at most as many events as the pool has rooms in each slot
  (plus the same bound for every smaller set of rooms some event is restricted to), the same
  resource constraints; rooms are then given slot by slot by a bipartite matching (largest
  audience first into the smallest room that holds it). Linear in rooms, not quadratic;
- ``pooled-nooverlap``: the pooled placement literals, with the speaker / tag / clash rules as
  NoOverlap over intervals whose start the literals fix (the way course_scheduler posts them).

Usage: python -m benchmarks.formulations [--instances DIR | --shape peer|tracks|conference] [--sizes N ...]
       [--models ...] [--cap 120]
The instances are those of ``benchmarks/instances.py``: by default the peer's files (all of them,
or those of ``--sizes``); ``--shape`` generates them instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks._timing import table
from benchmarks.instances import add_arguments, resolve

MODELS = ("library", "library-intervals", "interval", "time-indexed", "pooled", "pooled-nooverlap")


class Instance:
    """The peer's instance in integer minutes: placements allowed for each event."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        first = min(dt.date.fromisoformat(s["starts_at"][:10]) for s in data["slots"])
        self.slots: dict[str, tuple[str, int, int, int, int]] = {}
        """slot id → (room, day, start of day, length, capacity)"""
        for s in data["slots"]:
            when = dt.datetime.fromisoformat(s["starts_at"])
            day = (when.date() - first).days
            minute = when.hour * 60 + when.minute
            self.slots[s["id"]] = (s["venue"], day, minute, int(s["duration"]), int(s["capacity"]))
        self.events = data["events"]
        self.allowed: list[list[str]] = []
        for e in self.events:
            barred = set(e["slot_unavailability"])
            self.allowed.append(
                [
                    sid
                    for sid, (_, _, _, length, _) in self.slots.items()
                    if length >= e["duration"] and sid not in barred
                ]
            )
        index = {e["name"]: i for i, e in enumerate(self.events)}
        groups: dict[str, set[int]] = defaultdict(set)
        for i, e in enumerate(self.events):
            for speaker in e["speakers"]:
                groups[f"speaker:{speaker}"].add(i)
            for tag in e["tags"]:
                groups[f"tag:{tag}"].add(i)
            for other in e["unavailability"]:
                pair = sorted((i, index[other]))
                groups[f"pair:{pair[0]}-{pair[1]}"].update(pair)
        unique = {tuple(sorted(m)) for m in groups.values() if len(m) > 1}
        self.groups: list[tuple[int, ...]] = sorted(unique)

    def start(self, sid: str) -> int:
        _, day, minute, _, _ = self.slots[sid]
        return day * 1440 + minute


def _solver(cap: float, literals: bool = False) -> Any:
    """One worker, seed 0, stop at the first solution. For the Boolean (time-indexed) models,
    presolve and the LP relaxation are off: measured on cs_n400, presolve took 10.6 s of 13.5 s
    (3.4 s without it); on 2,000 generated events the LP made the pooled model 8 times slower."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = cap
    solver.parameters.stop_after_first_solution = True
    if literals:
        solver.parameters.cp_model_presolve = False
        solver.parameters.linearization_level = 0
    return solver


def _found(code: Any) -> bool:
    from ortools.sat.python import cp_model

    return bool(code in (cp_model.OPTIMAL, cp_model.FEASIBLE))


def solve_library(
    data: dict[str, Any], cap: float, pool_rooms: bool = True
) -> tuple[dict[str, str] | None, int]:
    import course_scheduler as cs
    from course_scheduler.importers.peer import assignment_from_timetable, programme_from_peer

    programme = programme_from_peer(data)
    programme.objective.soft_rules = 0
    result = cs.solve(programme, time_limit=cap, pool_rooms=pool_rooms)
    if result.timetable is None:
        return None, 0
    return assignment_from_timetable(data, result.timetable), 0


def solve_interval(data: dict[str, Any], cap: float) -> tuple[dict[str, str] | None, int]:
    from ortools.sat.python import cp_model

    inst = Instance(data)
    model = cp_model.CpModel()
    starts, intervals = [], []
    by_room: dict[str, list[Any]] = defaultdict(list)
    choice: list[list[tuple[Any, str, dict[int, str]]]] = []
    for i, e in enumerate(inst.events):
        per_room: dict[str, dict[int, str]] = defaultdict(dict)
        for sid in inst.allowed[i]:
            per_room[inst.slots[sid][0]][inst.start(sid)] = sid
        values = sorted({v for room in per_room.values() for v in room})
        start = model.new_int_var_from_domain(cp_model.Domain.from_values(values), f"s{i}")
        starts.append(start)
        intervals.append(model.new_fixed_size_interval_var(start, e["duration"], f"i{i}"))
        options = []
        for room, at in per_room.items():
            literal = model.new_bool_var(f"r{i}_{room}")
            model.add_linear_expression_in_domain(
                start, cp_model.Domain.from_values(sorted(at))
            ).only_enforce_if(literal)
            by_room[room].append(
                model.new_optional_fixed_size_interval_var(start, e["duration"], literal, "")
            )
            options.append((literal, room, at))
        model.add_exactly_one(lit for lit, _, _ in options)
        choice.append(options)
    for room_intervals in by_room.values():
        model.add_no_overlap(room_intervals)
    for members in inst.groups:
        model.add_no_overlap([intervals[i] for i in members])
    solver = _solver(cap)
    if not _found(solver.solve(model)):
        return None, len(model.proto.variables)
    answer = {}
    for i, e in enumerate(inst.events):
        value = solver.value(starts[i])
        for literal, _, at in choice[i]:
            if solver.boolean_value(literal):
                answer[e["name"]] = at[value]
    return answer, len(model.proto.variables)


def _cover(
    model: Any, inst: Instance, placed: list[list[tuple[Any, int]]], duration: list[int]
) -> None:
    """Per resource group: at most one placement of its events covers each start time."""
    for members in inst.groups:
        points = sorted({s for i in members for _, s in placed[i]})
        for t in points:
            covering = [lit for i in members for lit, s in placed[i] if s <= t < s + duration[i]]
            if len(covering) > 1:
                model.add_at_most_one(covering)


def solve_time_indexed(data: dict[str, Any], cap: float) -> tuple[dict[str, str] | None, int]:
    from ortools.sat.python import cp_model

    inst = Instance(data)
    model = cp_model.CpModel()
    per_slot: dict[str, list[Any]] = defaultdict(list)
    placed: list[list[tuple[Any, int]]] = []
    names: list[list[tuple[Any, str]]] = []
    for i in range(len(inst.events)):
        row, named = [], []
        for sid in inst.allowed[i]:
            literal = model.new_bool_var("")
            per_slot[sid].append(literal)
            row.append((literal, inst.start(sid)))
            named.append((literal, sid))
        model.add_exactly_one(lit for lit, _ in row)
        placed.append(row)
        names.append(named)
    for literals in per_slot.values():
        if len(literals) > 1:
            model.add_at_most_one(literals)
    _cover(model, inst, placed, [e["duration"] for e in inst.events])
    solver = _solver(cap, literals=True)
    if not _found(solver.solve(model)):
        return None, len(model.proto.variables)
    answer = {}
    for i, e in enumerate(inst.events):
        for literal, sid in names[i]:
            if solver.boolean_value(literal):
                answer[e["name"]] = sid
    return answer, len(model.proto.variables)


def _intervals(
    model: Any, inst: Instance, placed: list[list[tuple[Any, int]]], duration: list[int]
) -> None:
    """Per resource group: a NoOverlap over intervals whose start the placement literals fix."""
    from ortools.sat.python import cp_model

    made: dict[int, Any] = {}
    for members in inst.groups:
        for i in members:
            if i not in made:
                values = sorted({s for _, s in placed[i]})
                start = model.new_int_var_from_domain(cp_model.Domain.from_values(values), "")
                for literal, s in placed[i]:
                    model.add(start == s).only_enforce_if(literal)
                made[i] = model.new_fixed_size_interval_var(start, duration[i], "")
        model.add_no_overlap([made[i] for i in members])


def solve_pooled_nooverlap(data: dict[str, Any], cap: float) -> tuple[dict[str, str] | None, int]:
    return solve_pooled(data, cap, resources=_intervals)


def solve_pooled(
    data: dict[str, Any], cap: float, resources: Any = _cover
) -> tuple[dict[str, str] | None, int]:
    from ortools.sat.python import cp_model

    inst = Instance(data)
    grid: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for room, _, minute, length, _ in inst.slots.values():
        grid[room].add((minute, length))
    pool_of: dict[str, int] = {}
    pools: dict[tuple[tuple[int, int], ...], int] = {}
    for room, cells in grid.items():
        pool_of[room] = pools.setdefault(tuple(sorted(cells)), len(pools))
    # (pool, absolute start) → slot ids there, by room
    cell_slots: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)
    for sid, (room, _, _, _, _) in inst.slots.items():
        cell_slots[(pool_of[room], inst.start(sid))][room] = sid
    model = cp_model.CpModel()
    placed: list[list[tuple[Any, int]]] = []
    cells: list[list[tuple[Any, tuple[int, int], frozenset[str]]]] = []
    in_cell: dict[tuple[int, int], list[tuple[Any, frozenset[str]]]] = defaultdict(list)
    for i in range(len(inst.events)):
        rooms_at: dict[tuple[int, int], set[str]] = defaultdict(set)
        for sid in inst.allowed[i]:
            room = inst.slots[sid][0]
            rooms_at[(pool_of[room], inst.start(sid))].add(room)
        row, named = [], []
        for cell, rooms in sorted(rooms_at.items()):
            literal = model.new_bool_var("")
            row.append((literal, cell[1]))
            named.append((literal, cell, frozenset(rooms)))
            in_cell[cell].append((literal, frozenset(rooms)))
        model.add_exactly_one(lit for lit, _ in row)
        placed.append(row)
        cells.append(named)
    for cell, entries in in_cell.items():
        available = frozenset(cell_slots[cell])
        for subset in {rooms for _, rooms in entries} | {available}:
            members = [lit for lit, rooms in entries if rooms <= subset]
            if len(members) > len(subset):
                model.add(sum(members) <= len(subset))
    resources(model, inst, placed, [e["duration"] for e in inst.events])
    solver = _solver(cap, literals=True)
    if not _found(solver.solve(model)):
        return None, len(model.proto.variables)
    chosen: dict[tuple[int, int], list[tuple[int, frozenset[str]]]] = defaultdict(list)
    for i in range(len(inst.events)):
        for literal, cell, rooms in cells[i]:
            if solver.boolean_value(literal):
                chosen[cell].append((i, rooms))
    answer: dict[str, str] = {}
    for cell, events in chosen.items():
        rooms_here = cell_slots[cell]
        capacity = {room: inst.slots[sid][4] for room, sid in rooms_here.items()}
        demand = {i: inst.events[i]["demand"] for i, _ in events}
        match = assign_rooms(events, capacity, demand)
        for i, room in match.items():
            answer[inst.events[i]["name"]] = rooms_here[room]
    return answer, len(model.proto.variables)


def assign_rooms(
    events: list[tuple[int, frozenset[str]]], capacity: dict[str, int], demand: dict[int, int]
) -> dict[int, str]:
    """Rooms for the events of one slot: a maximum bipartite matching (augmenting paths) that
    tries rooms smallest-first among those holding the audience, largest audience first."""
    order = sorted(events, key=lambda x: (len(x[1]), -demand[x[0]]))
    owner: dict[str, int] = {}
    allowed = dict(events)

    def preference(i: int) -> list[str]:
        rooms = sorted(allowed[i] & capacity.keys(), key=lambda r: capacity[r])
        fits = [r for r in rooms if capacity[r] >= demand[i]]
        return fits + [r for r in reversed(rooms) if r not in fits]

    def augment(i: int, seen: set[str]) -> bool:
        for room in preference(i):
            if room in seen:
                continue
            seen.add(room)
            if room not in owner or augment(owner[room], seen):
                owner[room] = i
                return True
        return False

    for i, _ in order:
        augment(i, set())
    return {i: room for room, i in owner.items()}


SOLVERS = {
    "library": solve_library,
    "interval": solve_interval,
    "time-indexed": solve_time_indexed,
    "library-intervals": lambda data, cap: solve_library(data, cap, pool_rooms=False),
    "pooled": solve_pooled,
    "pooled-nooverlap": solve_pooled_nooverlap,
}


def child(model: str, path: Path, cap: float) -> None:
    """Run one model on one instance in this process and print a JSON report."""
    from ortools.sat.python import cp_model  # noqa: F401  (import cost outside the clock)

    from benchmarks.overlap_check import violations

    data = json.loads(path.read_text(encoding="utf-8"))
    began = time.perf_counter()
    answer, variables = SOLVERS[model](data, cap)
    seconds = time.perf_counter() - began
    problems = violations(data, answer) if answer is not None else None
    report = {
        "model": model,
        "seconds": seconds if answer is not None else None,
        "variables": variables,
        "violations": None if problems is None else len(problems),
        "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(report))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--sizes", type=int, nargs="+")
    parser.add_argument("--models", nargs="+", choices=MODELS, default=list(MODELS))
    parser.add_argument("--cap", type=float, default=120.0)
    parser.add_argument("--child", nargs=2, metavar=("MODEL", "INSTANCE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.cap)
        return
    scratch = Path(tempfile.mkdtemp(prefix="formulations-"))
    rows = []
    for instance in resolve(args, args.sizes, scratch):
        size, path = instance.size, instance.path
        row: list[object] = [size, instance.name]
        for model in args.models:
            command = [sys.executable, "-m", "benchmarks.formulations", "--cap", str(args.cap)]
            try:
                done = subprocess.run(
                    [*command, "--child", model, str(path)],
                    capture_output=True,
                    text=True,
                    timeout=args.cap * 2 + 60,
                )
                lines = done.stdout.strip().splitlines()
                report = json.loads(lines[-1]) if lines else None
            except subprocess.TimeoutExpired:
                report = None
            if report is None or report["seconds"] is None:
                row.append(f"> {args.cap:.0f} s")
            else:
                mark = "" if report["violations"] == 0 else f" ({report['violations']} broken)"
                size_of = f", {report['variables']:,} vars" if report["variables"] else ""
                row.append(
                    f"{report['seconds']:.1f} s, {report['maxrss_mib']:,.0f} MiB{size_of}{mark}"
                )
            print(f"n={size} {model}: {row[-1]}", file=sys.stderr, flush=True)
        rows.append(row)
    print(table(["events", "instance", *args.models], rows))


if __name__ == "__main__":
    main()
