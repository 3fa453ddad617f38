"""``what-if``: scenarios against the published timetable, one at a time or as a sweep."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from functools import partial
from pathlib import Path
from typing import Any

from ..errors import ProgrammeError
from .common import EXIT_FAIL, EXIT_OK, EXIT_UNKNOWN, check_out, check_solver_options


def add_whatif_commands(sub: Any) -> None:
    parser = sub.add_parser(
        "what-if",
        help="apply a scenario and find the least disruptive repair",
        description="Apply a scenario (a file, or the shortcuts) to FILE and re-plan with "
        "the published timetable as the reference: fewest activities moved, then fewest "
        "minutes. Prints what moves, or why no timetable exists.",
    )
    parser.add_argument(
        "file", type=Path, metavar="FILE", help="the programme whose timetable is repaired"
    )
    parser.add_argument("--scenario", type=Path, help="a scenario file (YAML or JSON)")
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="PERSON",
        help="PERSON cannot come (their activities are dropped; see --substitute)",
    )
    parser.add_argument(
        "--substitute",
        metavar="PERSON",
        help="with one --without: hand the absent person's activities to PERSON",
    )
    parser.add_argument(
        "--speaker-only",
        nargs=2,
        action="append",
        default=[],
        metavar=("PERSON", "DATE[:HH:MM-HH:MM]"),
        help="PERSON is available only then (repeat for more windows)",
    )
    parser.add_argument(
        "--close-room",
        nargs=2,
        action="append",
        default=[],
        metavar=("ROOM", "DATE[:HH:MM-HH:MM]"),
        help="ROOM cannot be used on DATE, or in those hours of it (its events move to other "
        "rooms of its kind with the seats they need; see --instead)",
    )
    parser.add_argument(
        "--instead",
        metavar="ROOM[,ROOM...]",
        help="with --close-room: the rooms its events may use (default: its tracks' rooms)",
    )
    parser.add_argument(
        "--reach",
        choices=["any", "local"],
        help="what may move: any activity, or only what the scenario displaces (then their "
        "neighbours): for a conference (default: the scenario's, else any)",
    )
    parser.add_argument(
        "--move-fixed",
        action="store_true",
        help="let an imported schedule's meals, breaks and plenaries move in time too "
        "(default: they keep their time)",
    )
    parser.add_argument(
        "--repair-published",
        action="store_true",
        help="also repair the clashes the published timetable already has (default: keep them)",
    )
    parser.add_argument("--sweep", choices=["tbc-speakers"], help="run a family of scenarios")
    parser.add_argument("--workers", type=int, default=2, help="parallel scenarios in a sweep")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="answer within this long, counted from the command's start: reading the file, "
        "the repair, its alternatives and writing --out included; in a sweep, each scenario's "
        "(its reading included) (default 30)",
    )
    parser.add_argument("--seed", type=int, default=0, help="CP-SAT's random seed (default 0)")
    parser.add_argument(
        "--alternatives",
        type=int,
        metavar="N",
        help="up to N distinct repairs to choose between: the fewest moves, every soft rule "
        "kept, the changed day closed up (no idle stretch), then other ways to close it up; "
        "with --out, the first goes to OUT and the others to OUT-2, OUT-3...",
    )
    parser.add_argument("--out", type=Path, help="write the repaired programme here")
    parser.set_defaults(handler=_what_if)


def scenario_from_args(args: argparse.Namespace) -> Any:
    """The scenario the shortcuts describe, added to the scenario file's changes if any."""
    from ..model import Availability
    from ..whatif import AvailableOnly, CloseRoom, Scenario, Unavailable, load_scenario

    changes: list[Any] = []
    names: list[str] = []
    settings: dict[str, Any] = {}
    if args.scenario is not None:
        loaded = load_scenario(args.scenario)
        changes.extend(loaded.changes)
        names.append(loaded.name or args.scenario.stem)
        settings = {
            "reach": loaded.reach,
            "published_clashes": loaded.published_clashes,
            "move_fixed": loaded.move_fixed,
        }
    if args.instead and not args.close_room:
        raise ProgrammeError("--instead goes with --close-room")
    instead = [x.strip() for x in (args.instead or "").split(",") if x.strip()]
    for room, when in args.close_room:
        closed = _window(when)
        changes.append(
            CloseRoom(
                do="close_room", room=room, date=closed.date, time=closed.time, instead=instead
            )
        )
        names.append(f"{room} closed on {_label(closed)}")
    if args.substitute and len(args.without) != 1:
        raise ProgrammeError("--substitute goes with exactly one --without")
    for person in args.without:
        talks = "substitute" if args.substitute else "drop"
        changes.append(
            Unavailable(do="unavailable", person=person, talks=talks, substitute=args.substitute)
        )
        names.append(f"without {person}")
    windows: dict[str, list[Availability]] = {}
    for person, when in args.speaker_only:
        windows.setdefault(person, []).append(_window(when))
    for person, spans in windows.items():
        changes.append(AvailableOnly(do="available_only", person=person, windows=spans))
        names.append(f"{person} only " + ", ".join(_label(w) for w in spans))
    if not changes:
        raise ProgrammeError("give --scenario, --without, --speaker-only, --close-room or --sweep")
    if args.reach:
        settings["reach"] = args.reach
    if args.repair_published:
        settings["published_clashes"] = "repair"
    if args.move_fixed:
        settings["move_fixed"] = True
    return Scenario(name="; ".join(names), changes=changes, **settings)


def _window(text: str) -> Any:
    from ..clock import TimeRange
    from ..model import Availability

    date_text, _, time_text = text.partition(":")
    try:
        date = dt.date.fromisoformat(date_text)
    except ValueError:
        raise ProgrammeError(
            f"'{text}' is not DATE or DATE:HH:MM-HH:MM (e.g. 2024-11-21:9:00-13:00)"
        ) from None
    try:
        time = TimeRange.parse(time_text) if time_text else None
    except ValueError as exc:
        raise ProgrammeError(f"'{text}': {exc}") from None
    return Availability(date=date, time=time)


def _label(window: Any) -> str:
    return str(window.date.isoformat()) + (f" {window.time}" if window.time else "")


def _what_if(args: argparse.Namespace) -> int:
    from ..errors import OutOfTime
    from ..loading import load

    check_solver_options(args)
    if args.alternatives is not None and not 1 <= args.alternatives <= 20:
        raise ProgrammeError("--alternatives must be between 1 and 20")
    if args.out is not None:
        check_out(args.out)
    began = getattr(args, "began", None) or time.perf_counter()
    try:  # reading the file counts against the limit, as for ``solve``
        programme = load(args.file, deadline=None if args.sweep else began + args.time_limit)
    except OutOfTime:
        from .solve import unread

        print(unread(args.time_limit, args.file, time.perf_counter() - began))
        return EXIT_UNKNOWN
    read = time.perf_counter() - began
    if args.sweep:
        return _sweep(programme, args)
    from ..whatif import what_if

    scenario = scenario_from_args(args)
    kept = _kept_back(programme, args, began)
    limit = max(0.0, args.time_limit - kept)
    try:  # each step of the repair looks at the clock; one spent before any: nothing to say
        if args.alternatives is not None:
            found = what_if(
                programme,
                scenario,
                time_limit=limit,
                seed=args.seed,
                alternatives=args.alternatives,
                began=began,
            )
        else:
            found = [what_if(programme, scenario, time_limit=limit, seed=args.seed, began=began)]
    except OutOfTime:
        print(_unbegun(args.time_limit, args.file, read, time.perf_counter() - began))
        return EXIT_UNKNOWN
    result = found[0]
    unwritten = None
    if args.out is not None:  # the files first: a reader of standard output may go away
        from .reserve import slowness, write_in_time, write_seconds

        moved, reordered = _moves(programme)
        for number, each in enumerate(found, 1):
            if each.timetable is not None and unwritten is None:
                out = _numbered(args.out, number)
                unwritten = write_in_time(
                    partial(_write, programme, scenario, each, out, args.file.name),
                    out,
                    began + args.time_limit,
                    write_seconds(programme, moved, reordered) * slowness(began),
                )
    print(result.summary())
    if unwritten is not None:
        print(unwritten)
    print()
    if result.feasible and args.alternatives is not None:
        from ..whatif.alternatives import cost

        for number, each in enumerate(found, 1):
            print(f"Alternative {number}, {each.label}: {cost(each)}")
            print(each.table())
            print()
        if not all(each.valid for each in found):
            return EXIT_FAIL
        return EXIT_OK if unwritten is None else EXIT_UNKNOWN
    if result.feasible:
        print(result.table())
        if not result.valid:
            return EXIT_FAIL
        return EXIT_OK if unwritten is None else EXIT_UNKNOWN
    if result.reasons:
        head = "No timetable can satisfy all of these together"
        if not result.minimal:
            head += " (not proven minimal)"
        print(head + ":")
        for reason in result.reasons:
            print(f"  - {reason}")
        return EXIT_FAIL
    return EXIT_UNKNOWN


def _unbegun(limit: float, file: Path, read: float, spent: float) -> str:
    """The limit ran out before the repair's first step (compiling the programme) could be
    begun: reading took most of it."""
    return (
        f"No repair was found within the time limit of {limit:g} s: reading {file} took "
        f"{read:.2f} s of it, and at {spent:.2f} s too little was left to begin the repair "
        "(compiling the programme, applying the scenario, solving, printing and writing the "
        "answer); nothing was solved. Give a longer --time-limit (it counts from the "
        "command's start)."
    )


def _kept_back(programme: Any, args: argparse.Namespace, began: float) -> float:
    """Seconds kept back from the repair for printing each answer and writing each file
    (``reserve.kept_back``). A repair moves published activities within their days (or to
    others), whose order then changes; those without a time yet are written anew."""
    from .reserve import kept_back

    moved, reordered = _moves(programme)
    answers = args.alternatives or 1
    return kept_back(
        programme,
        began,
        args.out,
        moved,
        limit=args.time_limit,
        reordered=reordered,
        answers=answers,
    )


def _moves(programme: Any) -> tuple[int, int]:
    """What a repair may write anew (the activities without a time yet) and reorder (the
    published ones: they may move within their days, or to others)."""
    activities = programme.all_activities()
    moved = sum(a.time is None for a in activities)
    return moved, len(activities) - moved


def _numbered(out: Path, number: int) -> Path:
    """OUT for the first alternative, OUT-2, OUT-3... (before the suffix) for the others."""
    return out if number == 1 else out.with_name(f"{out.stem}-{number}{out.suffix}")


def _write(
    programme: Any, scenario: Any, result: Any, out: Path, name: str, deadline: float
) -> None:
    """The repaired programme over the planner's file: only what the repair changes."""
    from ..api import with_timetable
    from ..errors import one_line
    from ..loading import save

    solved = with_timetable(result)
    label = "" if result.label == "fewest moves" else f" ({result.label})"
    header = one_line(
        f"# What-if by course-scheduler '{scenario.name}' on {name}{label}: {result.outcome()}"
    )
    save(solved, out, over=programme, header=header + "\n", as_read=True, deadline=deadline)


def _sweep(programme: Any, args: argparse.Namespace) -> int:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from ..whatif import matrix, sweep, tbc_scenarios

    scenarios = tbc_scenarios(programme)
    if not scenarios:
        print("No speaker is 'tbc': nothing to sweep.")
        return EXIT_OK
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=args.workers, mp_context=context, initializer=_leave_interrupts_to_the_command
    )
    try:
        outcomes = sweep(
            programme, scenarios, executor=pool, time_limit=args.time_limit, seed=args.seed
        )
    except KeyboardInterrupt:  # now, not once every running scenario's solve has finished
        for worker in multiprocessing.active_children():
            worker.terminate()
        # the pool's thread sees its workers gone and closes its pipes before the process
        # exits: Python 3.11's exit would otherwise write to a pipe that thread may be
        # closing at that moment ("Bad file descriptor" printed after "interrupted")
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    print(matrix(outcomes))
    return EXIT_OK


def _leave_interrupts_to_the_command() -> None:
    """In a sweep's worker: Ctrl-C is the command's to answer (it stops the workers), not a
    traceback from each of them."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
