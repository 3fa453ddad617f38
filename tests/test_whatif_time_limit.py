"""``what-if``'s time limit as the user sees it (behaviour, not timing: the times are in
benchmarks/README.md, "Every command's time limit"):

- the command's limit counts from when it began: a limit spent reading answers at once that
  reading took it, exit 3, nothing solved;
- with ``--out`` the repair is given less time than without, at least the writing's reserve
  (``cli/reserve.py``, as for ``solve``), and the moment the command began is passed down;
- once the limit is spent, no further attempt is begun: none at all when reading, the
  scenario and compiling took it; no day moves after a same-day repair
  proved impossible (the answer is then unknown, not infeasible, and says why), no
  explanation of an infeasible repair (said in words);
- a sweep's scenario counts its own reading of the programme: a limit spent there is an
  unknown cell that says so;
- a write over ``--out`` that runs out of time leaves that file as it was and says so;
- every step between reading and answering looks at the clock before it begins
  (``whatif/timelimit.py``; here a clock that runs out at one step, no wall clock read): that
  step is not begun, no step after it runs, the answer is unknown and names it, the command
  exits 3 with ``--out`` as it was; a limit spent before the first step raises ``OutOfTime``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from course_scheduler import whatif
from course_scheduler.cli import main
from course_scheduler.cli.reserve import (
    PRINT_PER_ACTIVITY,
    WRITE_PER_ACTIVITY,
    WRITE_PER_BYTE,
    WRITE_PER_REORDERED,
)
from course_scheduler.errors import OutOfTime
from course_scheduler.loading import dump, load, source_of
from course_scheduler.whatif import Scenario, Unavailable, repair, what_if
from course_scheduler.whatif.sweep import _run_one
from course_scheduler.whatif.timelimit import TimeLimit

from .conftest import CORRECTED
from .test_whatif_semantics import programme


def _away(person: str, date: str) -> Scenario:
    changes = [Unavailable(do="unavailable", person=person, dates=[date])]
    return Scenario(name=f"{person} away", changes=changes)


def _spent_after(monkeypatch: pytest.MonkeyPatch, solves: int) -> list[str]:
    """The limit runs out once ``solves`` solves have run (the repair's clock, ``in_time``,
    says so from then on); the names of the attempts made are recorded."""
    from course_scheduler.solver import solve as solve_module

    made: list[str] = []
    real_solve, real_free = solve_module.solve_problem, repair.free_days

    def solve_problem(problem: Any, **options: Any) -> Any:
        made.append("solve")
        return real_solve(problem, **options)

    def free_days(candidate: Any) -> Any:
        made.append("free days")
        return real_free(candidate)

    def in_time(deadline: float | None, began: float = 0.0, share: float = 0.0) -> None:
        if made.count("solve") >= solves:
            raise OutOfTime

    monkeypatch.setattr(solve_module, "solve_problem", solve_problem)
    monkeypatch.setattr(repair, "free_days", free_days)
    monkeypatch.setattr(repair, "in_time", in_time)
    return made


def test_a_limit_spent_before_the_first_attempt_builds_no_model_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Reading, applying the scenario and compiling took the limit: no solve is begun, the
    answer is unknown, and the report says what took the time."""
    made = _spent_after(monkeypatch, 0)
    result = what_if(programme(availability=False), _away("ana", "2025-03-03"), time_limit=20)
    assert made == [] and result.status == "unknown" and result.timetable is None
    assert "ran out before the repair could be searched for" in result.summary()


def test_no_day_moves_are_tried_once_the_same_day_attempt_spent_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ana is away on her talk's day: no same-day repair exists (proven), and with time left
    her talk moves to the other day (``test_whatif_semantics``). With the limit spent by
    then, the other days are not tried: the answer is unknown, never infeasible, and says
    that the days were not tried."""
    made = _spent_after(monkeypatch, 1)
    result = what_if(programme(availability=False), _away("ana", "2025-03-03"), time_limit=20)
    assert made == ["solve"]  # no copy with days free, no second solve
    assert result.status == "unknown" and result.timetable is None and not result.reasons
    assert "before sessions could be tried on other days" in result.summary()


def test_an_infeasible_repair_is_not_explained_once_the_limit_is_spent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With days kept (``day_moves=False``) the same scenario has no repair: proven, so
    infeasible; with the limit spent, the rules that cannot hold together are not looked
    for, and the report says so. With time left they are named."""
    scenario = _away("ana", "2025-03-03")
    explained = what_if(programme(availability=False), scenario, time_limit=20, day_moves=False)
    assert explained.status == "infeasible" and explained.reasons
    _spent_after(monkeypatch, 1)
    result = what_if(programme(availability=False), scenario, time_limit=20, day_moves=False)
    assert result.status == "infeasible" and not result.reasons
    assert "could not be worked out within the time limit" in result.summary()


def test_the_command_counts_its_limit_from_when_it_began(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A command that began ten seconds ago with a limit of five: reading took the time, said
    at once, exit 3, nothing solved."""
    args = ["what-if", str(CORRECTED), "--without", "Khady Niang Sylla", "--time-limit", "5"]
    code = main(args, began=time.perf_counter() - 10)
    out = capsys.readouterr().out
    assert code == 3 and "No timetable was found within the time limit of 5 s: reading" in out


def test_with_out_the_repair_leaves_time_to_print_and_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The repair is given the command's limit less what printing and writing will take,
    from the moment the command began: with ``--out`` less by at least the writing's
    reserve (a day whose order the repair changes is written whole: every placed activity
    counts), with two alternatives' files by twice that; the file is written."""
    calls: list[dict[str, Any]] = []
    real = whatif.what_if

    def recorded(*args: Any, **options: Any) -> Any:
        calls.append(options)
        return real(*args, **options)

    monkeypatch.setattr(whatif, "what_if", recorded)
    out = tmp_path / "repaired.yaml"
    base = ["what-if", str(CORRECTED), "--without", "Khady Niang Sylla", "--time-limit", "30"]
    began = time.perf_counter()
    assert main(base, began=began) == 0
    assert main([*base, "--out", str(out)], began=began) == 0
    assert out.is_file() and f"wrote {out}" in capsys.readouterr().err
    assert main([*base, "--out", str(out), "--alternatives", "2"], began=began) == 0
    assert all(call["began"] == began for call in calls)
    without, with_out, two = (call["time_limit"] for call in calls)
    programme_read = load(CORRECTED)
    activities = len(programme_read.all_activities())
    placed = sum(a.time is not None for a in programme_read.all_activities())
    reserve = (WRITE_PER_ACTIVITY + PRINT_PER_ACTIVITY) * activities
    reserve += WRITE_PER_REORDERED * placed
    reserve += WRITE_PER_BYTE * len(source_of(programme_read).text or "")
    assert without < 30 and 30 - with_out >= reserve - 1e-9 and 30 - two >= 2 * reserve - 1e-9


def test_a_sweep_scenario_whose_reading_spends_its_limit_is_an_unknown_cell() -> None:
    """Each scenario of a sweep counts its reading of the programme against its limit: with
    none left, its cell is unknown and says that reading took it; with time, it is solved."""
    loaded = load(CORRECTED)
    text, source = dump(loaded), source_of(loaded)
    scenario = Scenario(
        name="khady absent", changes=[Unavailable(do="unavailable", person="niang-sylla")]
    )
    data = scenario.model_dump(mode="json", by_alias=True)
    cell = _run_one((text, source, data, 1e-9, 0))
    assert cell.status == "unknown" and not cell.feasible
    assert "out of time: reading the programme took" in cell.text
    solved = _run_one((text, source, data, 30.0, 0))
    assert solved.feasible and solved.status != "unknown"


def test_a_repair_whose_write_runs_out_keeps_the_file_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--out`` naming a file that exists, the write running out of time (a deadline
    already passed): that file is as it was, the command says so, prints the repair, exit 3."""
    from course_scheduler import loading

    out = tmp_path / "repaired.yaml"
    out.write_text("# the planner's earlier repair\n", encoding="utf-8")
    save = loading.save
    monkeypatch.setattr(
        loading, "save", lambda *a, **k: save(*a, **{**k, "deadline": time.perf_counter() - 1})
    )
    args = ["what-if", str(CORRECTED), "--without", "Khady Niang Sylla", "--out", str(out)]
    code = main([*args, "--time-limit", "30"])
    captured = capsys.readouterr()
    assert code == 3 and out.read_text(encoding="utf-8") == "# the planner's earlier repair\n"
    assert f"the time limit ran out while writing {out}; it was not written" in captured.out
    assert "d3-guest-talk" in captured.out and "wrote" not in captured.err


class _SpentAt(TimeLimit):
    """The limit runs out at one step: before it begins, or (``within``) once it has begun;
    no wall clock is read for the decision (``left``)."""

    at: tuple[str, bool] = ("", False)

    def left(self) -> float:
        return -1.0 if (self.step, self.begun) == self.at else 3600.0


def _spent_at(monkeypatch: pytest.MonkeyPatch, step: str, *, within: bool = False) -> list[str]:
    """What-if's clock runs out at ``step``; the solves begun are recorded."""
    from course_scheduler.solver import solve as solve_module

    solves: list[str] = []
    real_solve = solve_module.solve_problem

    def solve_problem(problem: Any, **options: Any) -> Any:
        solves.append("solve")
        return real_solve(problem, **options)

    monkeypatch.setattr(_SpentAt, "at", (step, within))
    monkeypatch.setattr(repair, "TimeLimit", _SpentAt)
    monkeypatch.setattr(solve_module, "solve_problem", solve_problem)
    return solves


@pytest.mark.parametrize(
    ("step", "within", "words", "solves"),
    [
        ("scenario", False, "before applying the scenario", 0),
        ("scenario", True, "while applying the scenario", 0),
        ("held", False, "before finding the published errors the scenario leaves", 0),
        ("solver", False, "before loading the solver (OR-Tools)", 0),
        ("compile", False, "before compiling the scenario's programme", 0),
        ("days", False, "before letting sessions move to other days", 1),
        ("check", False, "before checking the repair found against the programme's rules", 2),
    ],
)
def test_each_step_stops_when_the_limit_runs_out_and_the_report_says_where(
    monkeypatch: pytest.MonkeyPatch, step: str, within: bool, words: str, solves: int
) -> None:
    """Ana away on Monday: with time, her talk moves to Tuesday (``test_whatif_semantics``:
    no same-day repair, then days free, two solves).
    With the limit out at a step, that step is not begun (or, within the scenario's, nothing
    after the change is done), no step after it runs, no repair is given, not even one found
    but not yet checked, and the report names the step; the answer is unknown."""
    made = _spent_at(monkeypatch, step, within=within)
    result = what_if(programme(availability=False), _away("ana", "2025-03-03"), time_limit=20)
    assert result.status == "unknown" and result.timetable is None and result.stopped_at == step
    assert f"The time limit ran out {words}" in result.summary()
    assert "no repair is given" in result.summary() and not result.reasons
    order = ["reference", "scenario", "held", "solver", "compile", "solve", "days", "check"]
    later = order[order.index(step) + (0 if not within else 1) :]
    assert not set(later) & set(result.phases) and len(made) == solves
    assert result.outcome() == "unknown (unknown)"


def test_a_local_repair_stops_before_finding_what_is_displaced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``reach: local`` first finds what the scenario displaces (a compile and a check of the
    scenario's programme): with the limit out there, nothing is solved and the report says
    so."""
    made = _spent_at(monkeypatch, "displaced")
    result = what_if(
        programme(availability=False), _away("ana", "2025-03-03"), time_limit=20, reach="local"
    )
    assert result.status == "unknown" and result.stopped_at == "displaced" and made == []
    assert "before finding what the scenario displaces" in result.summary()


def test_an_infeasible_repair_stays_infeasible_when_its_explanation_is_out_of_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Days kept, Ana away on her talk's day: proven infeasible. With the limit out before
    the explanation, the answer is still infeasible (that was proven), without reasons, and
    says they could not be worked out."""
    _spent_at(monkeypatch, "explain")
    result = what_if(
        programme(availability=False), _away("ana", "2025-03-03"), time_limit=20, day_moves=False
    )
    assert result.status == "infeasible" and not result.reasons and result.stopped_at is None
    assert "explain" not in result.phases
    assert "could not be worked out within the time limit" in result.summary()


def test_alternatives_stop_at_the_limit_with_those_found_so_far(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first repair is checked; the limit runs out at the next check: the answer is the
    first repair alone, saying that more were not looked for."""
    made: list[str] = []

    class SecondCheck(TimeLimit):
        def left(self) -> float:
            if self.step == "check" and not self.begun:
                made.append("check")
            return -1.0 if made.count("check") > 1 else 3600.0

    monkeypatch.setattr(repair, "TimeLimit", SecondCheck)
    found = what_if(
        load(CORRECTED),
        Scenario(name="away", changes=[Unavailable(do="unavailable", person="niang-sylla")]),
        time_limit=30,
        alternatives=3,
    )
    assert len(found) == 1 and found[0].valid
    assert "before more alternatives could be looked for" in found[0].summary()


def test_a_limit_spent_before_anything_was_compiled_raises_and_applies_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The limit is spent when ``what_if`` is called (reading took it): ``OutOfTime`` at once,
    the scenario not even applied (main's code applied it, checked it and compiled it, on a
    fifth of a core for seconds past the limit, before finding the limit spent)."""
    applied: list[str] = []
    real = repair.apply
    monkeypatch.setattr(repair, "apply", lambda *a, **k: applied.append("apply") or real(*a, **k))
    with pytest.raises(OutOfTime):
        what_if(
            programme(availability=False),
            _away("ana", "2025-03-03"),
            time_limit=20,
            began=time.perf_counter() - 20,
        )
    assert applied == []


def test_the_command_stopped_at_a_step_says_so_and_leaves_out_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command whose limit runs out while the scenario is applied: exit 3, the step named,
    no repair printed, the file at ``--out`` byte for byte as it was."""
    _spent_at(monkeypatch, "scenario", within=True)
    out = tmp_path / "repaired.yaml"
    out.write_bytes(b"# the planner's earlier repair\r\nkeep: me\n")
    args = ["what-if", str(CORRECTED), "--without", "Khady Niang Sylla", "--out", str(out)]
    code = main([*args, "--time-limit", "30"])
    captured = capsys.readouterr()
    assert code == 3 and out.read_bytes() == b"# the planner's earlier repair\r\nkeep: me\n"
    assert "The time limit ran out while applying the scenario" in captured.out
    assert "No timetable found within the time limit (unknown)" in captured.out
    assert "wrote" not in captured.err and "d3-guest-talk" not in captured.out.split("\n\n")[-1]


def test_the_command_with_no_time_left_for_the_first_step_says_reading_took_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Read in time, but too little left to compile the programme: ``what_if`` raises
    ``OutOfTime`` before anything, and the command says reading took the limit, exit 3."""
    _spent_at(monkeypatch, "reference")
    args = ["what-if", str(CORRECTED), "--without", "Khady Niang Sylla", "--time-limit", "30"]
    code = main(args)
    out = capsys.readouterr().out
    assert code == 3 and "No repair was found within the time limit of 30 s: reading" in out
    assert "too little was left to begin the repair" in out
