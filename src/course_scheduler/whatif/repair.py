"""Repairing the published timetable after a scenario: fewest moves, or why none exists.

What a repair keeps, and what it checks:

- **What the published timetable already breaks** is kept as it is by default
  (``published_clashes: keep``): the planner asked about the scenario, not about the file's
  old defects, and a published conference schedule is full of them (38C3: 140 clashes).
  A clash (a group, a person or a room in two activities at once) may stay only while both
  activities stay at their published times; every other pair must be apart, so a clash the
  scenario causes is never kept. Any other published error the scenario does not reach (a
  visit ending after its bus leaves, a walk too short) is kept exactly: its activities keep
  their published placements (a repair never moves them just to tidy an old defect) and the
  rule's encoding leaves that one instance out (``Problem.kept_findings``). An error the
  scenario reaches (one of its activities is removed, changed or displaced, or the finding
  reads otherwise after the scenario) is repaired. ``repair`` fixes them all.
- **What may move**: every activity (``reach: any``), or, for a conference, only what the
  scenario displaces and then their neighbours (``reach: local``, ``local.py``).
- **Verification**: the repair is checked against the scenario's programme, which keeps every
  rule of the original (``removal.py``), with no clash kept and none of the repair's own
  limits (room hours); every error left must be one the published timetable already had,
  word for word. A repair that fails this is reported as not valid, never as a success.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Literal, overload

from ..compile import KeptOverlap, Problem, compile_programme, kind_table
from ..diffing import diff_problems
from ..errors import OutOfTime, in_time
from ..keeping import KEEPABLE, as_published
from ..model import Programme
from ..rules.base import Finding
from ..text import and_list, plural
from ..timetable import Timetable, published_timetable, shifts
from ..vocabulary import SESSION_CATEGORIES
from .actions import Applied, apply, free_days, tied_to_day
from .alternatives import Way, changed_days, ways
from .local import Freedom, displaced, neighbours, out_of_meals, with_room_hours
from .report import WhatIf
from .scenario import Scenario
from .timelimit import SOLVER_IMPORT_CPU, TimeLimit

if TYPE_CHECKING:
    from ..solver.solve import Progress, Result, Status

_SOLVER = "course_scheduler.solver.solve"
"""The solver's module: importing it imports OR-Tools (``timelimit.SOLVER_IMPORT_CPU``)."""

NOT_BEGUN = (
    "the time limit ran out before the repair could be searched for (reading the file, "
    "applying the scenario and compiling took it): give a longer time limit"
)

Attempt = Callable[[Programme], tuple[Problem, frozenset[str], "Result"]]


@overload
def what_if(
    programme: Programme | str | FsPath,
    scenario: Scenario | str | FsPath,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int = 1,
    day_moves: bool | None = None,
    minimal_explanation: bool = True,
    reach: Literal["any", "local"] | None = None,
    published_clashes: Literal["keep", "repair"] | None = None,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    alternatives: None = None,
    began: float | None = None,
) -> WhatIf: ...


@overload
def what_if(
    programme: Programme | str | FsPath,
    scenario: Scenario | str | FsPath,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int = 1,
    day_moves: bool | None = None,
    minimal_explanation: bool = True,
    reach: Literal["any", "local"] | None = None,
    published_clashes: Literal["keep", "repair"] | None = None,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    alternatives: int,
    began: float | None = None,
) -> list[WhatIf]: ...


def what_if(
    programme: Programme | str | FsPath,
    scenario: Scenario | str | FsPath,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int = 1,
    day_moves: bool | None = None,
    minimal_explanation: bool = True,
    reach: Literal["any", "local"] | None = None,
    published_clashes: Literal["keep", "repair"] | None = None,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    alternatives: int | None = None,
    began: float | None = None,
) -> WhatIf | list[WhatIf]:
    """Apply ``scenario`` and repair the published timetable with the least disruption.

    ``alternatives=N`` returns a list of up to N distinct repairs a planner chooses between
    (``alternatives.py``): the least disruptive first, then the day the scenario changed
    closed up (no idle stretch, as few moves as that allows), then other ways to close it
    up, each differing from those before it; fewer when no other repair exists in time.

    What is minimised, in order: the activities moved (a move to another day and a change of
    venue or room cost extra, a room outside the activity's track more), then the minutes of
    time-of-day shift, then broken soft rules. With ``reach="any"`` first every activity keeps
    its day (times, venues and rooms may change); only if that is impossible
    (``day_moves=None``, the default) may sessions move to other days, each module as a whole.
    ``day_moves=False`` never moves days, ``True`` always allows it. ``reach="local"`` moves
    only what the scenario displaces (then their neighbours), each on its day (``local.py``).
    ``reach`` and ``published_clashes`` default to the scenario's. ``progress`` and ``stop``
    are passed to each solve (``solver.solve.solve_problem``). A path names a programme or a
    scenario file.

    ``time_limit`` counts from the call, or from ``began`` (a ``time.perf_counter()``
    moment: the command line passes when its process started): reading a path, compiling,
    applying the scenario, every solve, checking the repair and every alternative count
    against it (``timelimit.py``): a step not expected to fit in what is left is not begun,
    and the answer is then ``unknown``, its notes naming the step (``WhatIf.stopped_at``),
    or the alternatives found so far. A limit spent before anything of the programme was
    compiled (reading a path took it, say) raises ``OutOfTime``.
    """
    began = time.perf_counter() if began is None else began
    if not isinstance(programme, Programme):
        from ..loading import load

        programme = load(programme, deadline=began + time_limit)
    if not isinstance(scenario, Scenario):
        from .scenario import load_scenario

        scenario = load_scenario(scenario)
    from ..checking import check_problem
    from ..rules.overlap import kept_overlaps

    def spent() -> bool:
        """The limit has run out: no further attempt is begun (each costs a model's build)."""
        try:
            in_time(began + time_limit)
        except OutOfTime:
            return True
        return False

    reach = reach or scenario.reach
    clashes = published_clashes or scenario.published_clashes
    clock = TimeLimit(time_limit, began, len(programme.all_activities()))
    with clock.phase("reference"):  # a limit already spent: OutOfTime, nothing to report on
        reference_problem = compile_programme(programme)
        reference = published_timetable(reference_problem)
        baseline = check_problem(reference_problem, reference).errors
    applied: Applied | None = None

    def stopped() -> WhatIf:
        """The limit ran out at a step before any repair was in hand: unknown, and why."""
        notes = [*(applied.notes if applied is not None else []), clock.stopped()]
        outcome = WhatIf(
            scenario=scenario,
            status="unknown",
            problem=reference_problem,
            reference=reference_problem,
            timetable=None,
            shifts=[],
            removed=applied.removed if applied is not None else [],
            notes=notes,
            diff=None,
            warnings=[],
            reasons=[],
            seconds=time.perf_counter() - began,
            why_removed=applied.why_removed if applied is not None else {},
            attention=applied.attention if applied is not None else [],
            baseline_errors=len(baseline),
            phases=clock.phases,
            stopped_at=clock.step,
        )
        return outcome

    try:
        with clock.phase("scenario"):
            applied = apply(programme, scenario, limit=clock)
        with clock.phase("held"):
            kept = tuple(kept_overlaps(reference_problem, reference)) if clashes == "keep" else ()
            _pin_split_events(applied)
            fixed = set() if scenario.move_fixed else _pin_fixed(applied)
            held = Held()
            if clashes == "keep":
                held = held_errors(applied.programme, reference_problem, reference, baseline, kept)
    except OutOfTime:
        return stopped() if alternatives is None else [stopped()]
    movable_ids: frozenset[str] | None = None

    def solve(
        candidate: Programme, way: Way | None = None, only: frozenset[str] | None = None
    ) -> tuple[Problem, frozenset[str], Result]:
        assert applied is not None
        with clock.phase("solver", cpu=0.0 if _SOLVER in sys.modules else SOLVER_IMPORT_CPU):
            from ..solver.solve import Result, SolveOptions, Status, solve_problem
        with clock.phase("compile"):
            problem = _with_lines(compile_programme(candidate), reference_problem)
            problem = as_published(problem, held.frozen, reference)
        problem.kept_overlaps = kept
        problem.kept_findings = held.findings
        movable = frozenset(
            i.id
            for i in problem.items
            if i.ride is None
            and i.id not in applied.pinned
            and i.id not in held.frozen
            and (movable_ids is None or i.id in movable_ids)
            and (only is None or i.id in only)
        )
        if spent():  # reading, the scenario and compiling took the limit: no model is built
            if NOT_BEGUN not in applied.notes:
                applied.notes.append(NOT_BEGUN)
            return problem, movable, Result(Status.UNKNOWN, None, None, 0.0, 0.0)
        # the repair found is checked against the rules before it is given: that is kept back
        remaining = max(0.1, clock.left() - clock.expected("check"))
        if way is not None:  # one of several alternatives: a share of what is left
            remaining = max(0.1, remaining / way.left)
        options = SolveOptions(
            time_limit=remaining,
            seed=seed,
            workers=workers,
            unpin=movable,
            progress=progress,
            soft_first=way is not None,
            close_up=way.close_up if way is not None else frozenset(),
            differ_from=way.differ_from if way is not None else (),
        )
        with clock.timed("solve"):
            result = solve_problem(problem, reference=reference, options=options, stop=stop)
        return problem, movable, result

    freedom: Freedom | None = None
    base = solved = applied.programme
    """The programme solved, without the repair's own limits: what the repair is checked by."""
    try:
        if reach == "local":
            with clock.phase("displaced"):
                scenario_problem = _with_lines(
                    compile_programme(applied.programme), reference_problem
                )
                scenario_problem.kept_overlaps = kept
                seeds = displaced(scenario_problem, reference) - held.frozen
                steps = [
                    Freedom("displaced", seeds, seeds),
                    Freedom("neighbours", neighbours(scenario_problem, reference, seeds), seeds),
                ]
            for freedom in steps:
                movable_ids = freedom.movable
                candidate = with_room_hours(applied.programme, reference, freedom.movable)
                candidate, meals = out_of_meals(candidate, reference, freedom.movable)
                solved = candidate
                problem, movable, result = solve(candidate)
                if result.status.value != "infeasible":
                    break
                if freedom is steps[0] and spent():  # not proven: the neighbours were not tried
                    result = dataclasses.replace(result, status=_unknown())
                    applied.notes.append(
                        "the time limit ran out before the neighbours of what is displaced "
                        "could move too"
                    )
                    break
            if meals:
                applied.notes.append(
                    "sessions that move stay out of the conference's meals, as published"
                )
        else:
            tries = _candidates(applied.programme, day_moves, clock)
            for attempt, candidate in enumerate(tries):
                base = candidate
                solved = out_of_meals(candidate, reference, None)[0]
                problem, movable, result = solve(solved)
                if result.status.value != "infeasible":
                    if attempt or day_moves is True:
                        applied.notes.append(
                            "sessions may move to other days (same-day repair impossible)"
                        )
                    break
                if day_moves is None and not attempt and (spent() or not clock.fits("days")):
                    # not proven: the other days were not tried
                    result = dataclasses.replace(result, status=_unknown())
                    applied.notes.append(
                        "no same-day repair exists; the time limit ran out before sessions "
                        "could be tried on other days"
                    )
                    break
            if result.status.value == "infeasible":
                applied.notes.append(_day_moves_note(applied.programme, day_moves))
        timetable: Timetable | None = result.timetable
        status: str = result.status.value
        outcome = WhatIf(
            scenario=scenario,
            status=status,
            problem=problem,
            reference=reference_problem,
            timetable=timetable,
            shifts=[],
            removed=applied.removed,
            notes=applied.notes,
            diff=None,
            warnings=[],
            reasons=[],
            seconds=0.0,
            why_removed=applied.why_removed,
            attention=applied.attention,
            baseline_errors=len(baseline),
            freedom=freedom.sentence() if freedom is not None else None,
            may_move=movable | (freedom.movable if freedom is not None else frozenset()),
            programme=base,
            phases=clock.phases,
        )
        if timetable is not None:
            with clock.phase("check", cpu=0.0):  # kept back from the solve
                _measure(outcome, base, problem, timetable, baseline)
        elif status == "infeasible" and spent():
            outcome.notes.append(
                "which rules cannot hold together could not be worked out within the time limit"
            )
        elif status == "infeasible":
            # first: was the programme solvable at all without the scenario? (cheap, and it
            # decides how the reasons below read)
            undecided = True
            with contextlib.suppress(OutOfTime):  # proven infeasible all the same
                if reach == "any":
                    # a published timetable that breaks no rule is one (10,000 talks: 10 s)
                    outcome.baseline_feasible = not baseline or _baseline_feasible(
                        programme, day_moves, solve, clock
                    )
                with clock.phase("explain"):
                    from ..solver.explain import explain_problem

                    # the solve's own proof (rooms counted), else a search for the rules
                    explanation = result.explanation or explain_problem(
                        problem,
                        time_limit=max(0.1, min(time_limit, clock.left())),
                        unpinned=movable,
                        hint=reference,
                        minimal=minimal_explanation,
                        count=False,  # the solve counted places already
                    )
                outcome.reasons = [
                    r.sentence + (f" (line {r.line})" if r.line else "")
                    for r in explanation.reasons
                ]
                outcome.minimal = explanation.minimal
                undecided = explanation.undecided
                pins = [r.rule.removeprefix("pin:") for r in explanation.reasons]
                held_fixed = [i for i in pins if i in fixed]
                if held_fixed:
                    outcome.notes.append(_fixed_note(problem, held_fixed))
            if undecided:
                outcome.notes.append(
                    "which rules cannot hold together could not be worked out within the time limit"
                )
    except OutOfTime:
        return stopped() if alternatives is None else [stopped()]
    outcome.seconds = time.perf_counter() - began
    if alternatives is None:
        return outcome
    found = [outcome]
    days = changed_days(outcome) if outcome.valid else frozenset()
    on_days = frozenset(
        i.id
        for i in outcome.problem.items
        if (p := reference.get(i.id)) is None or outcome.problem.day_of_date.get(p.date) in days
    )
    for way in ways(days, alternatives):
        if len(found) >= alternatives or time.perf_counter() - began >= time_limit:
            break
        step = time.perf_counter()
        way.left = max(1, alternatives - len(found))
        if way.differ:
            way.differ_from = tuple(o.timetable for o in found[1:] if o.timetable is not None)
        try:
            problem, _, result = solve(solved, way, on_days)
            made = result.timetable
            if made is None or any(made == o.timetable for o in found):
                continue
            other = dataclasses.replace(
                outcome,
                status=result.status.value,
                problem=problem,
                timetable=made,
                label=way.label,
                notes=list(outcome.notes),
            )
            with clock.phase("check", cpu=0.0):  # kept back from the solve
                _measure(other, base, problem, made, baseline)
        except OutOfTime:  # the alternatives found so far, each checked
            outcome.notes.append(
                "the time limit ran out before more alternatives could be looked for"
            )
            break
        other.seconds = time.perf_counter() - step
        found.append(other)
    return found


def _unknown() -> Status:
    """``Status.UNKNOWN`` (the solver is loaded by then: a solve ran)."""
    from ..solver.solve import Status

    return Status.UNKNOWN


def _measure(
    outcome: WhatIf,
    base: Programme,
    problem: Problem,
    timetable: Timetable,
    baseline: list[Finding],
) -> None:
    """What the repair moves, the soft findings it leaves, and its check against the rules."""
    from ..checking import check_problem

    reference_problem = outcome.reference
    reference = published_timetable(reference_problem)
    outcome.diff = diff_problems(
        reference_problem, problem, old_times=reference, new_times=timetable
    )
    movers = [i.id for i in problem.items if i.ride is None]
    outcome.shifts = shifts(reference, timetable, movers)
    outcome.warnings = _once(check_problem(problem, timetable).warnings)
    outcome.new_errors, outcome.kept_errors = verify(base, reference_problem, timetable, baseline)
    outcome.kept_clashes = len(outcome.kept_errors)


def verify(
    programme: Programme, reference_problem: Problem, timetable: Timetable, baseline: list[Finding]
) -> tuple[list[Finding], list[Finding]]:
    """The repair against the scenario's programme (every rule of the original, no error
    kept, no limit of the repair's own; with sessions free to move days when the repair needed
    that): the errors the published timetable did not already have word for word, and those
    of its errors that are left as they were."""
    from ..checking import check_problem

    problem = _with_lines(compile_programme(programme), reference_problem)
    errors = check_problem(problem, timetable).errors
    known = Counter(_identity(f) for f in baseline)
    new, old = [], []
    for finding in errors:
        identity = _identity(finding)
        if known[identity] > 0:
            known[identity] -= 1
            old.append(finding)
        else:
            new.append(finding)
    return new, old


def _identity(finding: Finding) -> tuple[str, tuple[str, ...], str]:
    return finding.rule, tuple(sorted(finding.activities)), finding.message


@dataclass
class Held:
    """The published errors a repair keeps as they are (besides clashes)."""

    findings: dict[str, frozenset[frozenset[str]]] = field(default_factory=dict)
    """By rule, the activities of each kept error (``Problem.kept_findings``)."""
    frozen: frozenset[str] = frozenset()
    """Their activities: they keep their published placements."""


def held_errors(
    programme: Programme,
    reference_problem: Problem,
    reference: Timetable,
    baseline: list[Finding],
    kept: tuple[KeptOverlap, ...],
) -> Held:
    """The published errors the scenario does not reach: the same error, word for word, in
    the scenario's programme at the times it states (a bus the scenario moves, at its new
    time), none of whose activities the scenario removes, adds or changes, nor names in an
    error the published timetable did not have."""
    from ..checking import check_problem

    problem = _with_lines(compile_programme(programme), reference_problem)
    problem.kept_overlaps = kept
    stated = published_timetable(problem)
    after = check_problem(problem, stated).errors
    before = Counter(_identity(f) for f in baseline)
    reached = {i.id for i in problem.items if reference.get(i.id) != stated.get(i.id)}
    still: Counter[tuple[str, tuple[str, ...], str]] = Counter()
    for finding in after:
        identity = _identity(finding)
        if before[identity] > still[identity]:
            still[identity] += 1
        else:
            reached.update(finding.activities)
    kinds = {rule.id: rule.kind for rule in problem.rules}
    known = set(problem.index) | {d.id for d in problem.deadlines}
    findings: dict[str, set[frozenset[str]]] = {}
    for finding in baseline:
        activities = frozenset(finding.activities)
        if (
            kinds.get(finding.rule) in KEEPABLE
            and still[_identity(finding)] > 0
            and activities <= known
            and not activities & reached
        ):
            findings.setdefault(finding.rule, set()).add(activities)
    frozen = frozenset(
        ident
        for sets in findings.values()
        for group in sets
        for ident in group
        if ident in problem.index
    )
    return Held({rule: frozenset(sets) for rule, sets in findings.items()}, frozen)


def _pin_split_events(applied: Applied) -> None:
    """An event split at midnight keeps its time: moving one part would change its length."""
    from ..importers.schedule import split_parts

    for parts in split_parts(applied.programme):
        applied.pinned.update(parts)


def _fixed_note(problem: Problem, ids: list[str]) -> str:
    """What to do about a plenary, meal or break the reasons name as fixed: the file does
    not pin it, the what-if does (``_pin_fixed``), and says how not to."""
    titles = and_list([f"'{problem.item(i).title}'" for i in ids])
    verb, them = ("keeps its", "it") if len(ids) == 1 else ("keep their", "them")
    return (
        f"{titles} {verb} time as an imported schedule's plenaries, meals and breaks do; "
        f"'--move-fixed' (move_fixed: true) lets {them} move"
    )


def _pin_fixed(applied: Applied) -> set[str]:
    """An imported schedule's meals, breaks and plenaries keep their time (a conference
    lunch does not move to 16:00); they may still change room. ``move_fixed`` lets them.
    The ids pinned so, for the note that says how to let them move."""
    from ..compile import kind_table
    from ..vocabulary import Category

    fixed = {Category.MEAL, Category.BREAK, Category.CEREMONY}
    kinds = kind_table(applied.programme)
    pinned: set[str] = set()
    for activity in applied.programme.all_activities():
        info = kinds.get(activity.kind)
        if activity.published is not None and info is not None and info.category in fixed:
            applied.pinned.add(activity.id)
            pinned.add(activity.id)
    return pinned


def _candidates(
    programme: Programme, day_moves: bool | None, clock: TimeLimit
) -> Iterator[Programme]:
    """The programmes to try in turn: days kept, then (if allowed) sessions free to move days
    (a step of the limit: a copy of every activity, 0.35 s of CPU at 2,000 talks)."""
    if day_moves is not True:
        yield programme
    if day_moves is not False:  # made only when asked for
        with clock.phase("days"):
            freed = free_days(programme)
        yield freed


def _day_moves_note(programme: Programme, day_moves: bool | None) -> str:
    """What freedom of days the failed repair had, and how to give it more."""
    if day_moves is False:
        return (
            "every activity kept its day (day moves were not allowed: day_moves=False); "
            "with day_moves=None, the default, sessions may move to other days when no "
            "same-day repair exists"
        )
    kinds = kind_table(programme)
    blocks = {a.block for a in programme.all_activities() if a.block is not None}
    tied = [
        a.id
        for day in programme.days
        for a in day.activities
        if kinds[a.kind].category in SESSION_CATEGORIES and tied_to_day(a, blocks)
    ]
    note = "sessions could move to other days too (each module as a whole)"
    if tied:
        shown = ", ".join(tied[:5]) + (", ..." if len(tied) > 5 else "")
        note += (
            f", except {plural(len(tied), 'session')} tied to {'its' if len(tied) == 1 else 'their'} "
            f"day ({shown}: a block or a part of one, a transport leg, no printed time or end); "
            "a session listed with 'dates' and 'pinned: false' may move to those dates"
        )
    return note


def _baseline_feasible(
    programme: Programme, day_moves: bool | None, solve: Attempt, clock: TimeLimit
) -> bool | None:
    """Could the programme be timetabled without the scenario, with the same freedom (every
    activity movable but the scenario's pins)? If not, the scenario is not to blame. None when
    the time limit ran out before that was decided."""
    for candidate in _candidates(programme, day_moves, clock):
        _, _, result = solve(candidate)
        if result.timetable is not None:
            return True
        if result.status.value != "infeasible":
            return None
    return False


def _once(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))


def _with_lines(problem: Problem, original: Problem) -> Problem:
    """Line numbers of the user's file, by id: the scenario's programme has no file of its own,
    and its activities and rules may sit at other positions than in the file. A rule split by a
    removal (``<id>.2``) points at the line of the rule it came from."""
    lines = {item.id: item.line for item in original.items}
    problem.items = [dataclasses.replace(i, line=lines.get(i.id)) for i in problem.items]
    rule_lines = {}
    for rule_id in problem.rule_lines:
        base = rule_id if rule_id in original.rule_lines else rule_id.rpartition(".")[0]
        rule_lines[rule_id] = original.rule_lines.get(base)
    problem.rule_lines = rule_lines
    problem.source = original.source
    return problem
