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


def test_two_talks_of_one_audience_may_move_to_one_new_start() -> None:
    """A repair of a reference with talks of the same audience at 9:00 and 9:40 (off the
    grid) that must both move, where only 9:30 is left (two rooms): two talks published
    apart start together now. The reordering count gave a tie to the lower index and so proved every
    such repair infeasible; the checker finds nothing wrong with one."""
    from course_scheduler.checking import check_problem
    from course_scheduler.model import Programme
    from course_scheduler.solver import search
    from course_scheduler.solver.solve import SolveOptions, solve_problem
    from course_scheduler.timetable import Placement, Timetable

    def room(ident: str, slot: str) -> dict[str, object]:
        return {"id": ident, "name": ident.upper(), "slots": [slot]}

    def talk(ident: str, rooms: list[str]) -> dict[str, object]:
        return {"id": ident, "title": ident, "kind": "talk", "rooms": rooms, "duration": 30}

    programme = Programme.model_validate(
        {
            "course": {"title": "Ties"},
            "venues": [
                {
                    "id": "hall",
                    "name": "Hall",
                    "rooms": [
                        room("r0", "9:30 - 10:30"),
                        room("r1", "9:30 - 10:30"),
                        room("r2", "9:00 - 10:00"),
                    ],
                }
            ],
            "days": [{"date": "2025-09-15", "venue": "hall", "window": "8:00 - 18:00"}],
            "activities": [
                talk("a0", ["r2"]),
                talk("a1", ["r0", "r1"]),
                talk("a2", ["r0", "r1", "r2"]),
            ],
            "rules": [{"id": "rooms", "kind": "no_overlap", "resource": "room"}],
            "objective": {"day_end": 0, "idle_minutes": 0},
        }
    )
    problem = compile_programme(programme)
    day = problem.dates[0]
    # a1 off the grid, a2 in a0's room at a0's time: both must move, and only 9:30 is left
    published = {"a0": (540, "r2"), "a1": (580, "r0"), "a2": (540, "r2")}
    reference = Timetable(
        {k: Placement(day, s, s + 30, k, "hall", r) for k, (s, r) in published.items()}
    )
    options = SolveOptions(
        time_limit=10,
        seed=0,
        unpin=frozenset({"a1", "a2"}),
        tactics=search.Tactics(construct=False),
    )
    result = solve_problem(problem, reference=reference, options=options)
    assert result.status == Status.OPTIMAL
    assert result.timetable is not None
    assert check_problem(problem, result.timetable, hard_only=True).ok
