"""The time limit as the user sees it: what a solve returns, and says, when the time runs out in
a Python phase (behaviour, not timing: the times are in benchmarks/README.md).

- the time runs out after the construction is checked, before the objective is built: the
  checked construction is the answer, and the objective is never written;
- a limit already spent: no timetable, and the command line says so in words;
- writing the held-back cell literals stops at the limit and resumes to the same model;
- freeing the model is part of the solve: a phase stops in time for it;
- the construction keeps back the time its check takes, and no more;
- the soft capacity bound looks at the clock as it reads the choices; a time out within it
  answers the checked construction with its count;
- a construction cut short by the limit orders nothing for a search;
- a stage that finds nothing in its share, with no timetable in hand, gets the rest of the time;
- reading the file counts (the command's limit starts with the command): reading looks at the
  clock as it goes, and a limit spent reading answers ``unknown`` and says so, exit 3;
- converting a peer instance with a deadline stops at it, and converts the same otherwise;
- writing over the planner's file past its deadline stops and leaves the file as it was;
  the command says so, prints the timetable, exit 3.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import weakref
from pathlib import Path
from typing import Any

import pytest
import yaml
from ortools.sat.python import cp_model

from benchmarks.generate_tracks import generate as generate_tracks
from benchmarks.instances import generated
from course_scheduler import api, errors, loading
from course_scheduler.checking import check_problem
from course_scheduler.cli import main
from course_scheduler.cli.solve import out_of_time, summary_line
from course_scheduler.compile import Problem, compile_programme
from course_scheduler.importers.peer import programme_from_peer
from course_scheduler.loading import load
from course_scheduler.solver import capacity, proof, search
from course_scheduler.solver import solve as solve_module
from course_scheduler.solver.budget import Budget, OutOfTime
from course_scheduler.solver.build import Build
from course_scheduler.solver.solve import SolveOptions, Status, solve_problem

from .real_schedules import real_file

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _conference(size: int = 300, soft: int | None = None) -> Problem:
    programme = programme_from_peer(generate_tracks(size, 6))
    if soft is not None:
        programme.objective.soft_rules = soft
    return compile_programme(programme)


def test_time_out_after_the_check_returns_the_construction_without_building_the_objective(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Soft capacity minimised; the time runs out as soon as the construction is checked:
    the rest of the model (the objective's cliques and room bounds) is not written, the
    checked construction is the answer, feasible, and the line the command prints says its
    costs were not counted."""
    problem = _conference()
    real = search.checked_construction
    builds: list[Build] = []

    def then_out_of_time(build: Build, plan: search.Plan) -> Any:
        found = real(build, plan)
        assert build.budget is not None and found is not None
        build.budget.limit = 0.0  # the time is out from here on
        builds.append(build)
        return found

    monkeypatch.setattr(search, "checked_construction", then_out_of_time)
    result = solve_problem(problem, options=SolveOptions(time_limit=60))
    assert result.status == Status.FEASIBLE and result.timetable is not None
    assert result.objective is None and "search" not in result.phases
    assert len(result.timetable) == len(problem.items)
    assert check_problem(problem, result.timetable).ok
    assert builds and builds[0].held_back > 0  # the rest of the model was never written
    line = summary_line(result)
    assert line.startswith("status: feasible  objective: -")
    assert "objective not counted" in result.summary()


def test_a_limit_spent_before_anything_is_built_answers_clearly(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """No timetable: the solve says so, and the command says why in words and exits 3."""
    result = solve_problem(_conference(100), options=SolveOptions(time_limit=1e-6))
    assert result.status == Status.UNKNOWN and result.timetable is None
    assert result.summary().startswith("unknown: no timetable")
    path = EXAMPLES / "stetson_saxophone_2025" / "template.yaml"
    code = main(["solve", str(path), "--time-limit", "0.000001"])
    out = capsys.readouterr().out
    assert code == 3
    assert "status: unknown" in out
    assert "No timetable was found within the time limit of 1e-06 s" in out
    assert f"reading {path} took" in out and "nothing was solved" in out


@pytest.mark.parametrize("out_at", [2, 3])
def test_writing_the_held_literals_stops_at_the_limit_and_resumes_to_the_same_model(
    out_at: int,
) -> None:
    """The cell literals held back are written with a look at the clock before each run of
    them (two runs here), then before their exactly-one constraints; a write stopped at
    either and resumed later gives the model written at once."""
    problem = _conference(400, soft=1000)
    stopped, at_once = Build(problem, defer=True), Build(problem, defer=True)
    looks = 0

    def out_of_time_at_last(variables: int) -> None:
        nonlocal looks
        looks += 1
        if looks == out_at:
            raise OutOfTime

    stopped._held.on_time = out_of_time_at_last
    with pytest.raises(OutOfTime):
        stopped.finish()
    assert stopped.held_back < at_once.held_back  # part written, the rest still held
    assert (stopped.held_back > 0) == (out_at == 2)
    stopped._held.on_time = None
    stopped.finished = False
    stopped.finish()
    at_once.finish()
    assert stopped.held_back == 0
    assert str(stopped.model.proto) == str(at_once.model.proto)


def test_the_model_is_freed_before_the_solve_returns_and_its_time_counted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Freeing a large model took seconds after the answer's time was taken: it is part of
    the solve now, recorded as the phase ``free`` and inside ``wall_time``, whether the
    search ran or the time ran out in the build."""
    real = search.checked_construction
    seen: list[weakref.ref[Build]] = []

    def spy(build: Build, plan: search.Plan) -> Any:
        seen.append(weakref.ref(build))
        return real(build, plan)

    monkeypatch.setattr(search, "checked_construction", spy)
    for options in (SolveOptions(time_limit=30, deterministic_time=1.0), SolveOptions(1e-6)):
        result = solve_problem(_conference(200), options=options)
        assert "free" in result.phases
        assert result.wall_time >= result.phases["free"].wall
    assert len(seen) == 1 and seen[0]() is None  # the second never got to the construction


def test_a_phase_stops_in_time_to_free_the_model() -> None:
    budget = Budget(1.0)
    budget.check(0)
    budget.check(1000)  # freeing a thousand variables: well within the second left
    with pytest.raises(OutOfTime):
        budget.check(10**8)  # freeing a hundred million: longer than the second left


def test_the_construction_keeps_back_the_time_its_check_takes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The construction stops ``check_reserve`` before the limit (a construction the limit
    leaves no time to check is no answer) and no more: kept back while it runs, a reserve
    longer than the check lost whole timetables (100 us per activity kept 2 s back at 20,000
    talks for a check of 0.2-0.5 s, and a 3 s limit answered nothing where 1.5 s found one).
    A reserve longer than the limit leaves the construction nothing: the search answers."""
    problem = _conference()
    real = search.prepare
    reserves: list[float] = []

    def spy(build: Build, tactics: Any, seed: int, full: bool, budget: Budget) -> Any:
        reserves.append(budget.reserve)
        return real(build, tactics, seed, full, budget)

    monkeypatch.setattr(search, "prepare", spy)
    result = solve_problem(problem, options=SolveOptions(time_limit=60))
    assert result.status == Status.OPTIMAL and "check" in result.phases
    assert "search" not in result.phases  # the checked construction is the answer
    assert reserves[0] >= solve_module.check_reserve(len(problem.items)) > 0

    per_activity = solve_module.CHECK_PER_ACTIVITY
    assert solve_module.check_reserve(10_000) == pytest.approx(per_activity * 10_000)
    assert solve_module.check_reserve(20_000) < 1.0  # the slowest check measured: 0.53 s
    assert solve_module.check_reserve(80_000) > 4 * solve_module.check_reserve(20_000)

    monkeypatch.setattr(solve_module, "check_reserve", lambda activities: 120.0)
    reserves.clear()
    problem = _conference(700)  # the construction looks at the clock every 512 steps
    result = solve_problem(problem, options=SolveOptions(time_limit=60))
    assert reserves[0] >= 120.0
    assert "search" in result.phases and result.timetable is not None
    assert check_problem(problem, result.timetable).ok


def test_the_soft_capacity_bound_looks_at_the_clock_as_it_reads_the_choices(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bound reads every list of cells of the model (26 s at 10,000 conference talks
    when it read them choice by choice, where a limit of 20 s answered at 40.8 s): it looks
    at the clock as it reads them, in each pass (every list once, then every group of alike
    activities), and as it files the choices for the exact matching where that is small
    enough; the same bound when the time is not out."""
    problem = _conference(400, soft=1000)
    monkeypatch.setattr(capacity, "ENTRIES_PER_LOOK", 1)
    looks = [0]

    def on_time() -> None:
        looks[0] += 1

    build = Build(problem, defer=True)
    assert build.pooled is not None
    watched = build.pooled.fitting_shortfall(on_time)
    groups = [g for g in build.pooled.alike() if g.cells]
    # and, where the matching is small enough to be worked out too, as its choices are filed
    assert looks[0] >= len({id(g.cells) for g in groups}) + len(groups) > 2
    unwatched, cut_short = Build(problem, defer=True).pooled, Build(problem, defer=True).pooled
    assert unwatched is not None and cut_short is not None
    assert watched == unwatched.fitting_shortfall()

    def out_of_time() -> None:
        raise OutOfTime

    with pytest.raises(OutOfTime):
        cut_short.fitting_shortfall(out_of_time)


def test_time_out_in_the_soft_capacity_bound_answers_the_construction_with_its_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The time runs out while the bound is tightened: the checked construction is the
    answer, with its count and the bound as it stood (the count was kept only once the bound
    was done: the answer said its costs were not counted)."""
    real_file("38c3")  # 38C3's rooms, copied up to 300 talks: exchanges leave the bound apart
    with tempfile.TemporaryDirectory() as folder:
        instance = generated("real-38c3", 300, None, Path(folder))
        problem = compile_programme(programme_from_peer(instance.data()))
    real = proof.tightened
    calls: list[int] = []

    def out_of_time_within(build: Build, counted: Any, on_time: Any = None) -> Any:
        assert build.budget is not None and on_time is not None
        calls.append(counted.misfits)
        build.budget.limit = 0.0  # the time is out from here on
        return real(build, counted, on_time)

    monkeypatch.setattr(proof, "tightened", out_of_time_within)
    result = solve_problem(problem, options=SolveOptions(time_limit=60))
    assert calls, "the bound was never tightened: the case is not exercised"
    assert result.status == Status.FEASIBLE and result.timetable is not None
    assert check_problem(problem, result.timetable).ok
    assert result.objective is not None and "search" not in result.phases
    assert result.objective.total == calls[-1]


def test_a_construction_cut_short_by_the_limit_orders_nothing_for_a_search() -> None:
    """The construction stopped by the limit places part of the programme; the greedy order
    for a search (every cell literal: the whole model written) is not made."""
    build = Build(_conference(700), defer=True)
    held = build.held_back
    spent = Budget(1.0, began=0.0)  # long over
    plan = search.prepare(build, search.Tactics(), 0, False, spent)
    assert plan.construction is not None and plan.construction.unplaced
    assert plan.greedy is None and build.held_back == held


def test_a_stage_that_finds_nothing_in_its_share_gets_the_rest_of_the_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A template's ranks merged into one stage get a quarter of the time to prove them all
    at once; the search finds nothing in it and no timetable is in hand: the stage goes on
    with the rest of the time, once, instead of the solve ending UNKNOWN with three quarters
    of its time unused (the E2M2 template at 3 s did, before)."""
    problem = compile_programme(load(EXAMPLES / "e2m2_2025" / "template.yaml"))
    real = search.run
    calls: list[float] = []

    def nothing_at_first(build: Build, solver: Any, plan: Any, callback: Any = None) -> Any:
        calls.append(solver.parameters.max_deterministic_time)
        code = real(build, solver, plan, callback)
        return cp_model.UNKNOWN if len(calls) == 1 else code  # the first: as if none in time

    monkeypatch.setattr(search, "run", nothing_at_first)
    options = SolveOptions(time_limit=60, deterministic_time=0.5)
    result = solve_problem(problem, options=options)
    assert len(calls) >= 2 and calls[1] > 2 * calls[0]
    assert result.stages[0].status == Status.UNKNOWN
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE) and result.timetable is not None
    assert check_problem(problem, result.timetable).ok


def test_slowness_is_wall_per_cpu_second_of_the_phases_so_far() -> None:
    budget = Budget(10.0)
    assert budget.slowness() == 1.0  # nothing measured yet
    budget.phases["build"] = solve_module.PhaseTime(wall=3.0, cpu=1.0)
    assert budget.slowness() == 3.0
    budget.phases["build"] = solve_module.PhaseTime(wall=0.5, cpu=1.0)
    assert budget.slowness() == 1.0  # never below: another thread's CPU is not a speed-up


class _Clock:
    """``time.perf_counter`` for a module under test: a second passes at each look."""

    def __init__(self) -> None:
        self.looks = 0

    def perf_counter(self) -> float:
        self.looks += 1
        return float(self.looks)


def test_reading_looks_at_the_clock_in_proportion_to_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a deadline, parsing looks at the clock every so many YAML events (or JSON
    tokens): a file twice as long is looked at about twice as often, and the deadline
    passing in the middle stops it with ``OutOfTime`` (not a ``ProgrammeError``: the file
    may be fine)."""
    monkeypatch.setattr(loading, "EVENTS_PER_LOOK", 64)
    looks = {}
    for name in ("barcelona_2024/programme.yaml", "e2m2_2025/template.yaml"):
        clock = _Clock()
        monkeypatch.setattr(loading, "time", clock)
        monkeypatch.setattr(errors, "time", clock)  # where ``in_time`` reads the clock
        loading.load(EXAMPLES / name, deadline=1e9)
        looks[name] = clock.looks
        raw = (EXAMPLES / name).read_bytes()
        events = sum(1 for _ in yaml.parse(raw.decode()))
        assert events // 64 <= clock.looks <= events // 64 + 4
        clock = _Clock()
        monkeypatch.setattr(loading, "time", clock)
        monkeypatch.setattr(errors, "time", clock)  # where ``in_time`` reads the clock
        with pytest.raises(OutOfTime):
            loading.load(EXAMPLES / name, deadline=5.0)  # passes at the fifth look
        assert clock.looks == 5
    assert len(set(looks.values())) == 2


def test_reading_with_a_deadline_not_reached_reads_the_same_programme() -> None:
    path = EXAMPLES / "barcelona_2024" / "programme.yaml"
    later = time.perf_counter() + 3600
    assert load(path, deadline=later) == load(path)
    json_text = load(path).model_dump_json(by_alias=True)
    assert loading.loads(json_text, name="p.json", deadline=later) == loading.loads(
        json_text, name="p.json"
    )
    with pytest.raises(OutOfTime):
        loading.loads(json_text, name="p.json", deadline=0.0)


def test_a_limit_spent_reading_a_path_answers_unknown_with_only_the_reading_phase() -> None:
    """``solve(path, began=...)``: the time went on reading; nothing is compiled, no
    timetable, and the result's phases say that reading was all there was."""
    path = EXAMPLES / "stetson_saxophone_2025" / "template.yaml"
    began = time.perf_counter() - 10  # ten seconds ago
    result = api.solve(path, time_limit=5, began=began)
    assert result.status == Status.UNKNOWN and result.timetable is None
    assert set(result.phases) == {"read"} and result.wall_time >= 10
    assert "reading" in out_of_time(5, path, result.phases)


def test_converting_a_peer_instance_stops_at_its_deadline() -> None:
    """The conversion looks at the clock as it goes: a deadline already passed stops it;
    one far off converts the same programme as none."""
    data = generate_tracks(300, 6)
    with pytest.raises(OutOfTime):
        programme_from_peer(data, deadline=0.0)
    later = time.perf_counter() + 3600
    assert programme_from_peer(data, deadline=later) == programme_from_peer(data)


def test_the_command_counts_its_limit_from_when_it_began(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The launcher passes when the process started: a command that began ten seconds ago
    with a limit of five answers at once, unknown, that reading took the time (exit 3)."""
    path = EXAMPLES / "stetson_saxophone_2025" / "template.yaml"
    code = main(["solve", str(path), "--time-limit", "5"], began=time.perf_counter() - 10)
    out = capsys.readouterr().out
    assert code == 3 and out.startswith("status: unknown")
    assert "No timetable was found within the time limit of 5 s: reading" in out


def test_with_out_the_solve_leaves_time_to_write_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Writing the solved file comes after the solve and within the command's limit: with
    ``--out`` the solve is given less time, at least the writing's reserve (per activity,
    per activity placed anew, per character of the file), than the same command without
    it; the file is written."""
    from course_scheduler.cli.reserve import WRITE_PER_ACTIVITY, WRITE_PER_BYTE, WRITE_PER_MOVED

    limits: list[float] = []
    real = api.solve

    def solve(programme: Any, **options: Any) -> Any:
        limits.append(options["time_limit"])
        return real(programme, **options)

    monkeypatch.setattr(api, "solve", solve)
    path = EXAMPLES / "barcelona_2024" / "next_edition.yaml"
    out = tmp_path / "solved.yaml"
    began = time.perf_counter()
    assert main(["solve", str(path), "--time-limit", "30"], began=began) == 0
    assert main(["solve", str(path), "--time-limit", "30", "--out", str(out)], began=began) == 0
    programme = load(path)
    activities = programme.all_activities()
    moved = [a for a in activities if not (a.pinned and a.time is not None)]
    assert moved  # talks with no time yet: the solve places them, the file gets them anew
    reserve = WRITE_PER_ACTIVITY * len(activities) + WRITE_PER_MOVED * len(moved)
    reserve += WRITE_PER_BYTE * len(path.read_text(encoding="utf-8"))
    without, with_out = limits
    assert without < 30 and 30 - with_out >= reserve and with_out < without
    written = {a.id for a in load(out).all_activities()}
    assert written == {a.id for a in programme.all_activities()}
    assert f"wrote {out}" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="no /proc: the start is now")
def test_the_process_start_counts_the_interpreters_start_up() -> None:
    """A fresh interpreter's age when it asks: more than nothing (Python started before this
    line), less than the longest start believed. Asked in that interpreter only: importing
    the launcher takes Ctrl-C (its first line), which this test process must keep."""
    probe = "import time; from course_scheduler.launch import LONGEST_START, process_started; "
    probe += "print(time.perf_counter() - process_started(), LONGEST_START)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    age, longest = map(float, done.stdout.split())
    assert 0.001 < age < longest


def test_the_command_ends_at_once_with_all_its_output_and_its_exit_code() -> None:
    """The process ends without Python's shutdown once the answer is printed
    (``launch.run``): everything printed still arrives, through a pipe, and the exit code
    is the command's."""
    path = EXAMPLES / "barcelona_2024" / "programme.yaml"
    shown = subprocess.run(
        [sys.executable, "-m", "course_scheduler", "show", str(path)],
        capture_output=True,
        text=True,
    )
    assert shown.returncode == 0 and shown.stdout == api.show(path)
    checked = subprocess.run(
        [sys.executable, "-m", "course_scheduler", "check", str(path)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 1 and checked.stdout.rstrip().splitlines()[-1].startswith("FAILED")


def test_a_write_past_its_deadline_stops_and_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    """Writing over the planner's file looks at its ``deadline`` as it goes: past it,
    ``OutOfTime`` and the file is untouched; with no deadline, the same write goes through."""
    path = tmp_path / "next_edition.yaml"
    path.write_bytes((EXAMPLES / "barcelona_2024" / "next_edition.yaml").read_bytes())
    before = path.read_bytes()
    programme = load(path)
    solved = api.with_timetable(api.solve(programme, time_limit=30, seed=0))
    with pytest.raises(OutOfTime):
        loading.save(solved, path, over=programme, as_read=True, deadline=time.perf_counter() - 1)
    assert path.read_bytes() == before
    loading.save(solved, path, over=programme, as_read=True, deadline=None)
    assert path.read_bytes() != before
    assert load(path).model_dump() == solved.model_dump()


def test_the_command_whose_write_runs_out_says_so_prints_the_answer_and_keeps_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``solve FILE --out FILE`` (the planner's own file) whose write runs out of time once
    begun (here its deadline already passed, as on a machine that became much slower than
    the estimate expected): the file is as it was, the command says that it was not written
    and why, prints the timetable found, and exits 3."""
    path = tmp_path / "next_edition.yaml"
    path.write_bytes((EXAMPLES / "barcelona_2024" / "next_edition.yaml").read_bytes())
    before = path.read_bytes()
    save = loading.save
    monkeypatch.setattr(
        loading, "save", lambda *a, **k: save(*a, **{**k, "deadline": time.perf_counter() - 1})
    )
    code = main(["solve", str(path), "--out", str(path), "--time-limit", "30"])
    captured = capsys.readouterr()
    assert code == 3 and path.read_bytes() == before
    assert f"the time limit ran out while writing {path}; it was not written" in captured.out
    assert "status: optimal" in captured.out or "status: feasible" in captured.out
    assert "wrote" not in captured.err


def test_a_limit_left_empty_by_the_writing_reserve_says_so() -> None:
    """When what printing and writing keep back leaves the solve nothing after reading,
    the words name both: the reading's seconds and those kept back."""
    from course_scheduler.solver.budget import PhaseTime

    path = EXAMPLES / "barcelona_2024" / "next_edition.yaml"
    said = out_of_time(20, path, {"read": PhaseTime(4.73, 1.2)}, kept=15.3)
    assert f"reading {path} took 4.73 s of it and 15.30 s were kept back" in said
    assert "kept back" not in out_of_time(20, path, {"read": PhaseTime(4.73, 1.2)})


def test_a_result_with_only_reading_says_reading_on_its_first_line() -> None:
    """A solve whose reading left no time (``Result.unread``) built nothing: its status
    line says the time went on reading, as when the reading itself ran out, so the line
    and the words after it agree."""
    from course_scheduler.solver.budget import PhaseTime

    line = summary_line(solve_module.Result.unread(PhaseTime(0.06, 0.05)))
    assert line == "status: unknown  objective: -  time: 0.06s (reading 0.06s)"


def test_the_reserve_never_takes_more_than_half_the_limit(tmp_path: Path) -> None:
    """However large the write is expected to be, the search keeps half of what is left of
    the limit after reading (its answer is printed even when the write cannot fit,
    ``write_in_time``; reading 6 s of a 10 s limit leaves it 2 s, not none); a small write
    keeps back what it is expected to take, the same with any limit above twice that."""
    from course_scheduler.cli.reserve import RESERVE_SHARE, kept_back

    programme = load(EXAMPLES / "barcelona_2024" / "corrected.yaml")
    out = tmp_path / "out.yaml"
    began = time.perf_counter()
    huge = kept_back(programme, began, out, 0, limit=10, reordered=10**6)
    assert RESERVE_SHARE * (10 - (time.perf_counter() - began)) <= huge <= RESERVE_SHARE * 10
    read = kept_back(programme, began - 6, out, 0, limit=10, reordered=10**6)
    assert read <= RESERVE_SHARE * 4  # half of what reading left, not of the limit
    small = [kept_back(programme, time.perf_counter(), out, 0, limit=t) for t in (30, 300)]
    assert 0 < small[0] < RESERVE_SHARE * 30 and small[1] == pytest.approx(small[0], rel=0.5)
