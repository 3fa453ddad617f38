"""Explanations of infeasibility on the 2024 programme: minimal and in plain words."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from course_scheduler import compile_programme, load
from course_scheduler.model import Availability
from course_scheduler.solver.explain import explain_problem

from .conftest import CORRECTED, PUBLISHED


def test_published_programme_conflict_is_the_free_afternoon_against_the_networking() -> None:
    explanation = explain_problem(compile_programme(load(PUBLISHED)))
    assert not explanation.feasible
    assert [r.rule for r in explanation.reasons] == [
        "pin:d3-free-afternoon",
        "pin:d3-networking",
        "no-overlap-cohort",
    ]


def test_speaker_only_available_after_the_course() -> None:
    programme = load(CORRECTED)
    person = next(p for p in programme.people if p.id == "niang-sylla")
    person.available = [Availability(date=dt.date(2024, 11, 23))]
    explanation = explain_problem(compile_programme(programme))
    assert [(r.rule, r.key) for r in explanation.reasons] == [
        ("speaker-availability", "niang-sylla")
    ]
    sentence = explanation.reasons[0].sentence
    assert "Khady Niang Sylla is available only on Sat 23 Nov 2024" in sentence
    assert "the course runs Mon 18 Nov 2024 to Fri 22 Nov 2024" in sentence
    assert explanation.reasons[0].line is not None


def test_corrected_programme_has_nothing_to_explain() -> None:
    assert explain_problem(compile_programme(load(CORRECTED))).feasible


def test_explain_and_solve_commands_print_the_reasons() -> None:
    """``explain`` reads every rule as written; ``solve`` does with ``--repair-published``
    (by default it keeps the file's printed errors, and has a timetable)."""
    for command in (["explain"], ["solve", "--repair-published"]):
        result = subprocess.run(
            [sys.executable, "-m", "course_scheduler.cli", *command, str(PUBLISHED)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 1
        assert "No timetable can satisfy all of these together:" in result.stdout
        assert "'Free afternoon' is fixed at 14:00-18:30" in result.stdout
