"""The Python API as a user meets it: names, types, interrupts, logging, solver parameters,
exports of a solve, the next edition's edits."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import pydoc
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import course_scheduler as cs
from course_scheduler.cli import main

from .conftest import CORRECTED, EXAMPLES, ROOT

USER_SCRIPT = ROOT / "tests" / "api_typing" / "user_script.py"


def test_every_public_name_is_listed_and_resolves() -> None:
    names = set(cs.__all__)
    assert names <= set(dir(cs))
    for name in names:
        assert getattr(cs, name) is not None
    assert {"solve", "what_if", "sweep", "tbc_scenarios", "Scenario", "Level", "export"} <= names
    with pytest.raises(AttributeError, match="exprot"):
        cs.exprot  # type: ignore[attr-defined]  # noqa: B018


def test_help_lists_the_api() -> None:
    text = pydoc.render_doc(cs, renderer=pydoc.plaintext)
    for name in ("solve", "check", "what_if", "explain", "export", "next_edition", "Level"):
        assert f"\n    {name}(" in text or f"class {name}(" in text, name


def test_import_and_dir_stay_light() -> None:
    """``import course_scheduler`` and ``dir()`` load no solver, no pandas, no graphs."""
    code = (
        "import sys, course_scheduler as cs\n"
        "dir(cs)\n"
        "heavy = sorted(m for m in ('ortools', 'pandas', 'networkx', 'numpy') if m in sys.modules)\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _mypy(script: Path) -> tuple[int, str]:
    from mypy import api

    stdout, stderr, code = api.run(
        [
            "--strict",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            str(script),
        ]
    )
    return code, stdout + stderr


def test_a_user_script_with_every_public_name_passes_mypy_strict() -> None:
    text = USER_SCRIPT.read_text(encoding="utf-8")
    missing = [name for name in cs.__all__ if f"cs.{name}" not in text]
    assert not missing, f"the user script does not use {missing}"
    code, output = _mypy(USER_SCRIPT)
    assert code == 0, output


def test_mypy_catches_a_misspelt_name(tmp_path: Path) -> None:
    script = tmp_path / "misspelt.py"
    script.write_text(
        "import course_scheduler as cs\n\n"
        "programme = cs.load('programme.yaml')\n"
        "data = cs.exprot(programme, 'html')\n"
        "level = cs.Levle.ERROR\n",
        encoding="utf-8",
    )
    code, output = _mypy(script)
    assert code == 1
    assert 'Module has no attribute "exprot"' in output
    assert 'Module has no attribute "Levle"' in output


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to the process itself")
def test_an_interrupt_returns_the_best_timetable_so_far() -> None:
    """Ctrl-C (a notebook's "interrupt kernel") during cs.solve: INTERRUPTED, with the best
    timetable found so far, which breaks no hard rule of the programme."""
    sent: list[int | None] = []

    def progress(stage: str, elapsed: float, objective: cs.ObjectiveValue) -> None:
        if not sent:
            sent.append(objective.total)
            os.kill(os.getpid(), signal.SIGINT)  # as if pressed now

    previous = signal.getsignal(signal.SIGINT)
    programme = cs.load(CORRECTED)
    result = cs.solve(programme, unpin=True, time_limit=60, progress=progress)
    assert sent, "no timetable was found before the interrupt"
    assert result.status == cs.Status.INTERRUPTED
    assert result.timetable is not None and result.problem is not None
    assert result.wall_time < 30
    solved = cs.with_timetable(result.problem, result.timetable)
    assert cs.check(solved).ok
    assert len(result.timetable) == len(cs.compile_programme(programme).items)
    assert signal.getsignal(signal.SIGINT) is previous  # handed back


def test_the_stop_event_ends_a_solve_from_its_progress_callback() -> None:
    stop = threading.Event()
    calls: list[str] = []

    def progress(stage: str, elapsed: float, objective: cs.ObjectiveValue) -> None:
        calls.append(stage)
        stop.set()

    result = cs.solve(CORRECTED, unpin=True, time_limit=60, progress=progress, stop=stop)
    assert result.status == cs.Status.INTERRUPTED
    assert result.timetable is not None
    assert calls


def test_logging_and_the_search_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="course_scheduler")
    result = cs.solve(CORRECTED, time_limit=30, log_search=True)
    assert result.status == cs.Status.OPTIMAL
    ours = [r.getMessage() for r in caplog.records if r.name == "course_scheduler"]
    assert any(m.startswith("solving 'Metropolis") for m in ours), ours
    assert any(m.startswith("optimal after") for m in ours), ours
    search = [r.getMessage() for r in caplog.records if r.name == "course_scheduler.search"]
    assert any("CP-SAT" in m for m in search), search[:5]


def test_the_search_log_reaches_stderr_without_logging_set_up() -> None:
    code = (
        "import course_scheduler as cs\n"
        f"cs.solve({str(CORRECTED)!r}, time_limit=30, log_search=True)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "CP-SAT" in out.stderr
    assert out.stdout == ""


def test_cp_sat_parameters_by_name() -> None:
    first = cs.solve(
        CORRECTED, unpin=True, time_limit=60, parameters={"stop_after_first_solution": True}
    )
    best = cs.solve(CORRECTED, unpin=True, time_limit=60)
    assert best.status == cs.Status.OPTIMAL
    assert first.status == cs.Status.FEASIBLE  # stopped at its first timetable
    assert first.objective is not None and best.objective is not None
    # the totals of two solves are not comparable (merged or rank by rank): their costs are
    assert sum(first.objective.costs.values()) > sum(best.objective.costs.values())
    enum = cs.solve(CORRECTED, time_limit=30, parameters={"search_branching": "fixed_search"})
    assert enum.status == cs.Status.OPTIMAL
    with pytest.raises(ValueError, match="did you mean num_workers"):
        cs.solve(CORRECTED, time_limit=5, parameters={"num_worker": 2})
    with pytest.raises(ValueError, match="search_branching"):
        cs.solve(CORRECTED, time_limit=5, parameters={"search_branching": "sideways"})


def test_export_of_a_solve_is_the_brochure_of_the_solved_file(tmp_path: Path) -> None:
    """cs.export(result, "html") gives what 'solve --out' then 'export' give: the overview
    grid, the day themes and descriptions of the solved file."""
    template = EXAMPLES / "next_edition.yaml"
    result = cs.solve(template, time_limit=30)
    assert result.status == cs.Status.OPTIMAL
    solved = tmp_path / "solved.yaml"
    assert main(["solve", str(template), "--out", str(solved), "--time-limit", "30"]) == 0
    cli = tmp_path / "solved.html"
    assert main(["export", str(solved), "--format", "html", "--out", str(cli)]) == 0
    html = cs.export(result, "html")
    assert html == cli.read_bytes()
    theme = cs.load(template).modules[0].theme
    assert theme is not None and theme in html.decode()
    bare = cs.export(result.problem, result.timetable, "html")  # type: ignore[arg-type]
    assert theme not in bare.decode()  # the compiled template's own timetable, as it is


def test_next_edition_edits_settle_the_availability_they_set(tmp_path: Path) -> None:
    edits = EXAMPLES / "next_edition_edits.yaml"
    plain = cs.next_edition(CORRECTED, "2025-11-17")
    edited = cs.next_edition(CORRECTED, "2025-11-17", edits=edits)
    asked = [n for n in plain.attention if n.startswith("Khady Niang Sylla's availability")]
    assert asked, plain.attention
    assert not any(n in edited.attention for n in asked)
    assert "edit: Khady Niang Sylla's availability is the planner's (the edits file)" in (
        edited.attention
    )
    out = tmp_path / "template.yaml"
    args = ["next-edition", str(CORRECTED), "--start", "2025-11-17", "--edits", str(edits)]
    assert main([*args, "--out", str(out)]) == 0
    written = cs.load(out)  # the to-do list is in the file, where check reports it
    assert written.attention == edited.programme.attention == edited.attention
    assert cs.dump(edited.programme) in out.read_text(encoding="utf-8")


def test_out_of_time_is_said_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    """Which of the two explanations a 0.05 s limit gets depends on whether reading the file
    (imports included, when this test runs first) left any of it to solve: the command must
    give the one its own phases call for, after the same first sentence."""
    code = main(["solve", str(CORRECTED), "--unpin", "--time-limit", "0.05"])
    out = capsys.readouterr().out
    assert code == 3
    assert "No timetable was found within the time limit of 0.05 s" in out
    if "(reading " in out.splitlines()[0]:
        assert f"reading {CORRECTED} took" in out and "nothing was solved" in out
    else:
        assert "none was proven impossible" in out


def test_out_of_time_tells_a_slow_read_from_an_undecided_search() -> None:
    from course_scheduler.cli.solve import out_of_time
    from course_scheduler.solver.budget import PhaseTime

    read_only = {"read": PhaseTime(wall=0.33, cpu=0.3)}
    searched = {**read_only, "build": PhaseTime(0.01, 0.01), "search": PhaseTime(0.02, 0.04)}
    unread = out_of_time(0.05, CORRECTED, read_only)
    undecided = out_of_time(0.05, CORRECTED, searched)
    assert f"reading {CORRECTED} took 0.33 s of it, and nothing was solved" in unread
    assert "explain" not in unread
    assert "none was proven impossible" in undecided
    assert f"course-scheduler explain {CORRECTED}" in undecided
    assert out_of_time(0.05, CORRECTED) == undecided


def test_version_and_help_on_every_argument(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from course_scheduler.cli import _parser

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"course-scheduler {cs.__version__}"
    missing: list[str] = []

    def walk(parser: argparse.ArgumentParser, name: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {a.dest: a.help for a in action._choices_actions}
                for command, sub in action.choices.items():
                    if not helps.get(command) or not sub.description:
                        missing.append(command)
                    walk(sub, command)
            elif not action.help:
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")

    walk(_parser(), "course-scheduler")
    assert not missing


def test_what_if_reads_a_programme_and_a_scenario_from_their_files() -> None:
    scenario_file = EXAMPLES / "scenarios" / "superblocks_bus_1530.yaml"
    by_path = cs.what_if(CORRECTED, scenario_file, time_limit=30)
    loaded = cs.what_if(cs.load(CORRECTED), cs.load_scenario(scenario_file), time_limit=30)
    assert by_path.feasible and by_path.moved == loaded.moved == ["d2-site-visit"]
    assert by_path.minutes == loaded.minutes == 60


def test_what_if_out_writes_the_programme_with_timetable_gives(tmp_path: Path) -> None:
    """The repaired programme is the library's (``with_timetable(repair)``): what 'what-if
    --out' writes is that programme, and against the file the planner gave, only what the
    repair moves has another time."""
    from .test_frames import _printed_times

    scenario_file = EXAMPLES / "scenarios" / "superblocks_bus_1530.yaml"
    repair = cs.what_if(CORRECTED, scenario_file, time_limit=30)
    repaired = cs.with_timetable(repair)
    out = tmp_path / "repaired.yaml"
    args = ["what-if", str(CORRECTED), "--scenario", str(scenario_file), "--time-limit", "30"]
    assert main([*args, "--out", str(out)]) == 0
    assert cs.load(out).model_dump() == repaired.model_dump()
    assert cs.check(repaired).ok
    moved = cs.check(repaired)  # the repair's times are the file's now: nothing left to place
    assert moved.scheduled == moved.activities
    given, now = _printed_times(CORRECTED), _printed_times(out)
    assert set(now) == set(given)
    assert sorted(i for i in given if now[i] != given[i]) == repair.moved == ["d2-site-visit"]
    assert now["d2-site-visit"][0] - given["d2-site-visit"][0] == dt.timedelta(minutes=60)
    html = cs.export(repair, "html").decode()
    assert "15:30" in html
    with pytest.raises(ValueError, match="no timetable"):
        cs.with_timetable(dataclasses.replace(repair, timetable=None))


def test_check_against_a_baseline_is_what_diff_check_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``check(new, baseline=old)`` and 'diff OLD NEW --check' give one comparison: the
    corrected 2024 programme fixes the published one's four errors and adds none."""
    import json

    published = EXAMPLES / "programme.yaml"
    report = cs.check(CORRECTED, baseline=published)
    assert report.comparison is not None and report.comparison.ok
    fixed = [f.message for f in report.comparison.fixed if f.level == cs.Level.ERROR]
    assert sorted(fixed) == sorted(f.message for f in cs.check(published).errors)
    assert len(fixed) == 4 and report.comparison.added == ()
    assert main(["diff", str(published), str(CORRECTED), "--check", "--format", "json"]) == 0
    said = json.loads(capsys.readouterr().out)["check"]
    assert [f["message"] for f in said["baseline"]["fixed"]] == [
        f.message for f in report.comparison.fixed
    ]
    frame = report.to_frame()
    assert frame["added"].dtype == bool and not frame["added"].any()
    worse = cs.check(published, baseline=CORRECTED)  # the other way round: the errors come back
    assert worse.comparison is not None and not worse.comparison.ok
    assert sorted(f.message for f in worse.comparison.added if f.level == cs.Level.ERROR) == (
        sorted(fixed)
    )
    assert worse.to_frame()["added"].sum() == len(worse.comparison.added)
    assert cs.check(CORRECTED).comparison is None


def test_show_is_the_command_s_output(capsys: pytest.CaptureFixture[str]) -> None:
    published = EXAMPLES / "programme.yaml"
    for fmt in ("text", "csv"):
        assert main(["show", str(published), "--format", fmt]) == 0
        assert capsys.readouterr().out == cs.show(published, fmt)  # type: ignore[arg-type]
    assert "Guest speaker" in cs.show(cs.load(published))
    with pytest.raises(ValueError, match="text or csv"):
        cs.show(published, "xlsx")  # type: ignore[arg-type]
