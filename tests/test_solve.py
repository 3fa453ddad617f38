"""The solver on real data: the 2024 programme pinned and unpinned, and the 2025 template."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from course_scheduler import Status, check, compile_programme, load, solve, with_timetable
from course_scheduler.loading import dump, loads
from course_scheduler.model import Availability
from course_scheduler.timetable import published_timetable

from .conftest import CORRECTED, NEXT_EDITION, PUBLISHED

LIMIT = 20.0


def test_corrected_timetable_is_a_feasible_point_of_the_pinned_model() -> None:
    programme = load(CORRECTED)
    result = solve(programme, time_limit=LIMIT)
    assert result.status == Status.OPTIMAL
    assert result.timetable is not None
    published = published_timetable(compile_programme(programme))
    assert result.timetable.placements == published.placements


def test_published_programme_pinned_is_infeasible_unless_its_errors_are_kept() -> None:
    """Pinned as printed, the 2024 file breaks four hard rules: with nothing kept there is no
    timetable; by default the solve keeps the four where the file prints them and names
    each, as ``check`` reports them."""
    programme = load(PUBLISHED)
    result = solve(programme, time_limit=LIMIT, published_clashes="repair")
    assert result.status == Status.INFEASIBLE
    assert result.timetable is None and result.kept is None
    kept = solve(programme, time_limit=LIMIT)
    assert kept.status == Status.OPTIMAL and kept.timetable is not None
    assert kept.kept is not None and kept.kept.added == []
    errors = check(programme, kept.timetable).errors
    assert len(errors) == 4
    assert [f.message for f in kept.kept.errors] == [f.message for f in errors]


def test_corrected_programme_unpinned_solves_to_a_clean_timetable() -> None:
    programme = load(CORRECTED)
    result = solve(programme, unpin=True, time_limit=LIMIT)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert result.timetable is not None
    report = check(programme, result.timetable)
    assert report.ok, [f.message for f in report.errors]


def _module_dates(result: object) -> dict[str, dt.date]:
    from course_scheduler.solver.solve import Result

    assert isinstance(result, Result) and result.timetable is not None and result.problem
    return {
        item.module: p.date
        for item in result.problem.items
        if item.module is not None and (p := result.timetable.get(item.id)) is not None
    }


def test_next_edition_solves_and_the_solved_file_checks_clean(tmp_path: Path) -> None:
    programme = load(NEXT_EDITION)
    result = solve(programme, time_limit=LIMIT)
    assert result.status == Status.OPTIMAL
    assert result.problem is not None and result.timetable is not None
    days = _module_dates(result)
    assert days["m1"] == dt.date(2025, 11, 17) and days["m5"] == dt.date(2025, 11, 21)
    assert len(set(days.values())) == 5
    solved = with_timetable(result.problem, result.timetable)
    path = tmp_path / "solved.yaml"
    path.write_text(dump(solved), encoding="utf-8")
    report = check(load(path))
    assert report.ok and report.scheduled == report.activities
    frame = result.to_frame()
    assert list(frame.columns)[:7] == ["date", "start", "end", "title", "kind", "venue", "people"]
    assert len(frame) == report.activities


def test_changing_a_speakers_availability_moves_her_module() -> None:
    programme = load(NEXT_EDITION)
    dates = {}
    for only in (dt.date(2025, 11, 19), dt.date(2025, 11, 20)):
        variant = loads(dump(programme), name="variant.yaml")
        person = next(p for p in variant.people if p.id == "niang-sylla")
        person.available = [Availability(date=only)]
        result = solve(variant, time_limit=LIMIT)
        assert result.status == Status.OPTIMAL
        dates[only] = _module_dates(result)["m3"]
    assert dates == {d: d for d in dates}


def test_same_input_and_seed_give_the_same_file_byte_for_byte(tmp_path: Path) -> None:
    outputs = []
    for run in range(2):
        out = tmp_path / f"run{run}.yaml"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "course_scheduler.cli",
                "solve",
                str(NEXT_EDITION),
                "--out",
                str(out),
                "--seed",
                "7",
                "--time-limit",
                str(LIMIT),
            ],
            check=True,
            capture_output=True,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_solve_cli_reports_infeasible_with_exit_1(tmp_path: Path) -> None:
    out = tmp_path / "never.yaml"
    result = subprocess.run(
        [
            *(sys.executable, "-m", "course_scheduler.cli", "solve", str(PUBLISHED)),
            *("--out", str(out), "--repair-published"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "status: infeasible" in result.stdout
    assert not out.exists()
