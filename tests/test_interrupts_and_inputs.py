"""Interrupts and located errors everywhere: Ctrl-C at any moment of a command exits 130 with
one line (never a traceback, never "internal error"); a path that is not a regular file (a
FIFO nobody writes to, a device, a folder) is refused at once, whatever reads it; scenario
errors that depend on the programme name the scenario's file, line and field; ``same_room`` on
rooms with a slot grid is solved, and agrees with ``check``."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

import course_scheduler as cs
from course_scheduler import ProgrammeError
from course_scheduler.cli import main
from course_scheduler.loading import load, loads
from course_scheduler.solver.solve import Status
from course_scheduler.whatif import load_scenario, what_if

from .conftest import CORRECTED, NEXT_EDITION, PUBLISHED

COMMAND = [sys.executable, "-m", "course_scheduler"]
SCRIPT = Path(sys.executable).parent / "course-scheduler"
"""The installed command: what a planner runs (``python -m`` adds runpy's own search for the
package before any line of ours, a window of its own)."""
DELAYS = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.6, 0.9, 1.3)
"""After the interpreter's own start-up and the import of the launcher, through which no package
can listen (``launch.py``): twice a bare interpreter's start, measured on the machine as loaded
as it is (a few tens of milliseconds when idle)."""


def _python_start() -> float:
    """Wall time of a bare interpreter that imports what the launcher script imports."""
    times = []
    for _ in range(3):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import re, sys"], check=True)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


@pytest.mark.parametrize(
    ("args", "finished"),
    [
        (["check", str(PUBLISHED)], 1),
        (["solve", str(NEXT_EDITION), "--time-limit", "20"], 0),
        (["what-if", str(CORRECTED), "--without", "niang-sylla", "--time-limit", "20"], 0),
    ],
    ids=["check", "solve", "what-if"],
)
def test_ctrl_c_at_any_moment_exits_130_with_one_line(args: list[str], finished: int) -> None:
    if not SCRIPT.exists():
        pytest.skip("the course-scheduler command is not installed next to this interpreter")
    start = _python_start()
    outcomes = []
    for delay in DELAYS:
        process = subprocess.Popen(
            [str(SCRIPT), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        time.sleep(2 * start + delay)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
        outcomes.append((delay, process.returncode, err))
        assert "Traceback" not in err and "internal error" not in err, (delay, err)
        if process.returncode == finished and "interrupted" not in err:
            continue  # done before the signal came
        assert process.returncode == 130, (delay, process.returncode, err)
        assert err.strip() in ("", "interrupted"), (delay, err)
    assert any(code == 130 for _, code, _ in outcomes), outcomes


def _python_running(seconds: float) -> None:
    """Python code running (a handler runs between its bytecodes) until the interrupt that is
    raised again arrives, or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pass


def test_a_ctrl_c_where_python_cannot_raise_it_is_raised_again_not_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A Ctrl-C that lands in a finaliser (or in compiled code calling back into Python) is
    'unraisable': Python would print it with a traceback and carry on. The command raises it
    again where ``main`` turns it into exit 130."""
    from course_scheduler.cli import _interrupts

    class Finalised:
        def __del__(self) -> None:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), _interrupts() as interrupted:
        Finalised()
        _python_running(10)
    assert interrupted.is_set()
    err = capsys.readouterr().err
    assert "Exception ignored" not in err and "Traceback" not in err


def test_a_ctrl_c_that_compiled_code_prints_is_raised_again_not_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Compiled code that runs Python and prints its error itself (``PyErr_Print``: NumPy's
    ``import_array`` does, in every extension that loads it, pandas' too) would print a bare
    traceback of the Ctrl-C and carry on (seen once in CI, a what-if interrupted while NumPy
    loaded). The command raises it again, as for the unraisable, and prints nothing."""
    import ctypes

    from course_scheduler.cli import _interrupts

    code = b"import os, signal\nos.kill(os.getpid(), signal.SIGINT)\nfor _ in range(10**6): pass\n"
    before = sys.excepthook
    with pytest.raises(KeyboardInterrupt), _interrupts() as interrupted:
        assert ctypes.pythonapi.PyRun_SimpleString(code) == -1  # printed, then carried on
        _python_running(10)
    assert interrupted.is_set()
    err = capsys.readouterr().err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert sys.excepthook is before  # put back


def test_a_sweep_stops_at_ctrl_c_without_waiting_for_its_workers() -> None:
    process = subprocess.Popen(
        [*COMMAND, "what-if", str(PUBLISHED), "--sweep", "tbc-speakers", "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(_python_start() + 2.5)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: the workers hear it too
    began = time.perf_counter()
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130 and err.strip() == "interrupted", err
    assert time.perf_counter() - began < 10


# --- paths that are not regular files -----------------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    path = tmp_path / "programme.yaml"
    os.mkfifo(path)
    return path


def test_check_of_a_fifo_nobody_writes_to_is_refused_at_once(fifo: Path) -> None:
    began = time.perf_counter()
    result = subprocess.run(
        [*COMMAND, "check", str(fifo)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: {fifo}: is a pipe (FIFO), not a regular file; expected a programme file "
        "(save it to a file first)"
    )
    assert time.perf_counter() - began < 30


@pytest.mark.parametrize("what", ["scenario", "import", "previous", "baseline"])
def test_every_reader_refuses_a_fifo(
    fifo: Path, what: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = {
        "scenario": ["what-if", str(CORRECTED), "--scenario", str(fifo)],
        "import": ["import", str(fifo), "--from", "frab-xml"],
        "previous": [
            "export",
            str(CORRECTED),
            "--format",
            "ics",
            "--previous",
            str(fifo),
            "--out",
            str(tmp_path / "c.ics"),
        ],
        "baseline": ["check", str(CORRECTED), "--baseline", str(fifo)],
    }[what]
    code = main(args)
    err = capsys.readouterr().err
    assert "is a pipe (FIFO), not a regular file" in err, err
    assert code == 2 or (what == "baseline" and code == 0), (code, err)


def test_devices_and_folders_are_refused_with_what_they_are(tmp_path: Path) -> None:
    with pytest.raises(ProgrammeError, match="is a character device, not a regular file"):
        load("/dev/null")
    with pytest.raises(ProgrammeError, match="is a directory, expected a programme file"):
        load(tmp_path)
    with pytest.raises(ProgrammeError, match="no such file"):
        load(tmp_path / "missing.yaml")


# --- scenario errors name the scenario file and line ---------------------------------------------


def _scenario(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        (
            "changes:\n  - {do: pin, activities: [d1-welcome]}\n"
            "  - do: unavailable\n    person: Nobody Here\n",
            4,
            "changes[1].person",
            "unknown person 'Nobody Here'",
        ),
        (
            "changes:\n  - {do: close_room, room: nowhere, date: 2024-11-18}\n",
            2,
            "changes[0].room",
            "unknown room 'nowhere'",
        ),
        (
            "changes:\n  - {do: close_venue, venue: cei, date: 2025-01-01}\n",
            2,
            "changes[0].date",
            "2025-01-01 is not one of the course days",
        ),
        (
            "changes:\n  - {do: remove_activity, activity: d9-nothing}\n",
            2,
            "changes[0].activity",
            "unknown activity 'd9-nothing'",
        ),
        (
            "changes:\n  - do: add_activity\n    date: 2024-11-18\n    activity:\n"
            "      id: extra\n      title: Extra\n      duration: 30\n      venue: atlantis\n",
            8,
            "changes[0].activity.venue",
            "unknown venue 'atlantis'",
        ),
    ],
)
def test_scenario_errors_that_depend_on_the_programme_name_the_scenario_line(
    tmp_path: Path, text: str, line: int, field: str, words: str
) -> None:
    path = _scenario(tmp_path, text)
    with pytest.raises(ProgrammeError) as caught:
        what_if(load(CORRECTED), load_scenario(path), time_limit=5)
    assert (caught.value.file, caught.value.line, caught.value.field) == (str(path), line, field)
    assert words in caught.value.message


def test_a_scenario_error_on_the_command_line_names_the_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _scenario(tmp_path, "changes:\n  - {do: unavailable, person: nobody}\n")
    assert main(["what-if", str(CORRECTED), "--scenario", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}:2: unknown person 'nobody'"), err
    assert "(field 'changes[0].person')" in err


# --- same_room on rooms with a slot grid ----------------------------------------------------------

GRID = """
course: {title: Same room on a grid}
venues:
  - id: hall
    name: Hall
    rooms:
      - {id: r1, name: Room 1, slots: ["9:00 - 10:00", "10:00 - 11:00", "11:00 - 12:00"]}
      - {id: r2, name: Room 2, slots: ["9:00 - 10:00", "10:00 - 11:00", "11:00 - 12:00"]}
days:
  - date: 2025-03-03
    venue: hall
    window: "9:00 - 12:00"
    activities:
      - {id: keynote, title: Keynote, time: "9:00 - 10:00", room: r1}
      - {id: busy, title: Busy in room 2, time: "10:00 - 11:00", room: r2}
activities:
  - {id: part-1, title: Workshop part 1, duration: 60, rooms: [r1, r2], date: 2025-03-03}
  - {id: part-2, title: Workshop part 2, duration: 60, rooms: [r1, r2], date: 2025-03-03}
  - {id: talk, title: A talk, duration: 60, rooms: [r1, r2], date: 2025-03-03}
rules:
  - {id: rooms-apart, kind: no_overlap, resource: room}
  - {id: parts-together, kind: same_room, activities: [part-1, part-2]}
"""


def test_same_room_on_rooms_with_a_slot_grid_is_solved_and_checks_clean() -> None:
    programme = loads(GRID, name="grid.yaml")
    result = cs.solve(programme, time_limit=10)
    assert result.status == Status.OPTIMAL and result.timetable is not None
    one, two = result.timetable.get("part-1"), result.timetable.get("part-2")
    assert one is not None and two is not None and one.room == two.room
    report = cs.check(cs.with_timetable(result.problem, result.timetable))
    assert report.errors == []


def test_same_room_that_cannot_hold_is_refused_by_both_readings_at_the_rule() -> None:
    text = GRID.replace(
        "rooms: [r1, r2], date: 2025-03-03}\n  - {id: part-2",
        "rooms: [r1], date: 2025-03-03}\n  - {id: part-2",
    )
    text = text.replace(
        "{id: part-2, title: Workshop part 2, duration: 60, rooms: [r1, r2]",
        "{id: part-2, title: Workshop part 2, duration: 60, rooms: [r2]",
    )
    programme = loads(text, name="grid.yaml")
    result = cs.solve(programme, time_limit=10)
    assert result.status == Status.INFEASIBLE
    explanation = cs.explain(programme, time_limit=10)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "id: parts-together" in t)
    assert any(r.line == line for r in explanation.reasons), explanation.text("grid.yaml")
    placed = (
        text.replace(
            "  - {id: part-1, title: Workshop part 1, duration: 60, rooms: [r1], date: 2025-03-03}\n"
            "  - {id: part-2, title: Workshop part 2, duration: 60, rooms: [r2], date: 2025-03-03}\n",
            "",
        )
        .replace(
            "      - {id: busy,",
            '      - {id: part-1, title: Workshop part 1, time: "11:00 - 12:00", room: r1}\n'
            '      - {id: part-2, title: Workshop part 2, time: "10:00 - 11:00", room: r2}\n'
            "      - {id: busy,",
        )
        .replace(
            'time: "10:00 - 11:00", room: r2}\nactivities',
            'time: "11:00 - 12:00", room: r2}\nactivities',
        )
    )
    findings = cs.check(loads(placed, name="grid.yaml")).errors
    assert [f.rule for f in findings] == ["parts-together"], [f.message for f in findings]
