"""The examples' templates (``scripts/make_templates.py``): each committed ``template.yaml`` is
what the script makes of its ``programme.yaml``; it keeps every activity on its day with the
length the programme gives it (an open end: the length ``check`` reads), every leg with its
ride, and every comment of the planner's file; it has no printed time left; and it solves to a
timetable that passes ``check`` with every length kept (or, for a programme whose published
facts cannot hold once the solver must place them, says which rule cannot)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from course_scheduler import Status, check, compile_programme, load, solve
from course_scheduler.model import CONFERENCE_OBJECTIVE, Activity, Programme
from course_scheduler.timetable import published_timetable
from scripts.make_templates import PROGRAMME, SKIPPED, TEMPLATE, example_dirs, main, make_template

from .conftest import ROOT

EXAMPLES = ROOT / "examples"
NAMES = [d.name for d in example_dirs()]

FORCED = {
    "csama_2023": (
        "lecturers-one-place",
        {("thu-lab-5", "thu-lab-9"), ("fri-lab-5", "fri-lab-9")},
    )
}
"""Templates whose structure forces an error, its rule and the pairs: CSAMA prints Johannes
Rainer in two labs of the same parallel block, each as long as the block, on Thursday and on
Friday. A solve keeps those two overlaps (and names them); with nothing kept there is no
timetable, and the explanation names the rule."""


def _paths(name: str) -> tuple[Path, Path]:
    return EXAMPLES / name / PROGRAMME, EXAMPLES / name / TEMPLATE


def test_every_example_but_the_reference_has_a_template() -> None:
    with_programme = {p.parent.name for p in EXAMPLES.glob(f"*/{PROGRAMME}")}
    assert set(NAMES) == with_programme - set(SKIPPED)
    assert len(NAMES) >= 6
    assert all((EXAMPLES / n / TEMPLATE).is_file() for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_the_committed_template_is_what_the_script_makes(name: str) -> None:
    programme, template = _paths(name)
    assert template.read_text(encoding="utf-8") == make_template(programme)


def test_check_mode_fails_on_a_stale_template(tmp_path: Path) -> None:
    source = EXAMPLES / "imprs_retreat_2016" / PROGRAMME
    (tmp_path / PROGRAMME).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["--check", str(tmp_path)]) == 1  # no template yet
    assert main([str(tmp_path)]) == 0
    assert main(["--check", str(tmp_path)]) == 0
    template = tmp_path / TEMPLATE
    template.write_text(template.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert main(["--check", str(tmp_path)]) == 1


def _by_id(programme: Programme) -> dict[str, tuple[Activity, object]]:
    found: dict[str, tuple[Activity, object]] = {}
    for day in programme.days:
        for activity in day.activities:
            found[activity.id] = (activity, day.date)
    for activity in programme.activities:
        found[activity.id] = (activity, None)
    return found


@pytest.mark.parametrize("name", NAMES)
def test_the_template_keeps_every_activity_with_its_day_and_length(name: str) -> None:
    programme_path, template_path = _paths(name)
    programme, template = load(programme_path), load(template_path)
    published = published_timetable(compile_programme(programme))
    before, after = _by_id(programme), _by_id(template)
    assert list(before) == list(after)  # every activity, in the file's order
    for ident, (old, date) in before.items():
        new, new_date = after[ident]
        assert new_date == date, ident
        assert new.time is None, ident
        kept = ("title", "kind", "block", "groups", "people", "venue", "room", "optional")
        assert [getattr(new, k) for k in kept] == [getattr(old, k) for k in kept], ident
        if old.time is None:
            assert new.duration == old.duration, ident  # untimed stays untimed
            continue
        placed = published.get(ident)
        assert placed is not None
        length = placed.end - placed.start  # the length every command reads
        low, high = new.duration_range
        assert high == length, ident
        least = old.open_end and old.duration is not None  # then the file's least length
        assert low == (old.duration_range[0] if least else length), ident


@pytest.mark.parametrize("name", NAMES)
def test_the_template_keeps_every_leg_and_leaves_its_departure_free(name: str) -> None:
    programme, template = (load(p) for p in _paths(name))
    windows = {d.date: d.window for d in template.days}
    assert len(programme.transport) == len(template.transport)
    for old, new in zip(programme.transport, template.transport, strict=True):
        assert (new.id, new.date, new.origin, new.to, new.ride_minutes) == (
            old.id,
            old.date,
            old.origin,
            old.to,
            old.ride_minutes,
        )
        assert new.depart is None and new.depart_window is not None
        if new.date is not None:
            assert new.depart_window == windows[new.date]
        if new.back is not None:
            assert (new.back.depart, new.back.arrive) == (None, None)
    # what no solver chooses stays as printed
    assert template.deadlines == programme.deadlines
    assert template.rules == programme.rules
    assert [d.window for d in template.days] == [d.window for d in programme.days]


_COMMENT = re.compile(r"#\s*(.*?)\s*$")


@pytest.mark.parametrize("name", NAMES)
def test_the_template_keeps_the_planners_comments(name: str) -> None:
    programme, template = (p.read_text(encoding="utf-8") for p in _paths(name))

    def comments(text: str) -> list[str]:
        return [m.group(1) for line in text.splitlines() if (m := _COMMENT.search(line))]

    kept = " ".join(comments(template))
    missing = [c for c in comments(programme) if c and c not in kept]
    assert missing == []
    # and every printed time is in a comment where it stood
    assert template.count('# printed "') + template.count('; printed "') >= sum(
        1 for a, _ in _by_id(load(_paths(name)[0])).values() if a.time is not None
    )


@pytest.mark.parametrize("name", NAMES)
def test_the_template_solves_and_every_length_holds(name: str) -> None:
    """The hard rules alone (the day's shape is the planner defaults' to judge, with their own
    tests), one worker, a fixed seed and a deterministic limit: the same answer everywhere."""
    template = load(_paths(name)[1])
    plain = template.model_copy(
        update={"objective": template.objective.model_copy(update=CONFERENCE_OBJECTIVE)}
    )
    result = solve(plain, time_limit=30, deterministic_time=5, seed=0)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE), result.status
    assert result.timetable is not None
    errors = check(template, result.timetable).errors
    if name in FORCED:
        rule, pairs = FORCED[name]
        # what the solve says it kept is what check reports of the solved timetable
        assert result.kept is not None and result.kept.added == []
        assert [f.message for f in result.kept.errors] == [f.message for f in errors]
        assert {(f.rule, tuple(sorted(f.activities))) for f in errors} == {
            (rule, pair) for pair in pairs
        }
        assert "two parts of one block" in result.kept.line()
        strict = solve(plain, time_limit=30, deterministic_time=5, published_clashes="repair")
        assert strict.status == Status.INFEASIBLE
        from course_scheduler.solver.explain import explain_problem

        why = explain_problem(compile_programme(plain), time_limit=10)
        assert why.feasible is False
        assert rule in {r.rule for r in why.reasons}
    else:
        assert result.kept is None and errors == []
    activities = _by_id(template)
    for placement in result.timetable:
        activity, date = activities.get(placement.activity, (None, None))
        if activity is None:
            continue  # a bus or walk
        low, high = activity.duration_range
        assert low <= placement.end - placement.start <= high, placement.activity
        assert date is None or placement.date == date, placement.activity


@pytest.mark.parametrize("name", NAMES)
def test_the_template_keeps_the_days_frame(name: str) -> None:
    """Each day keeps its usual start (what the programme's days read: their earliest printed
    time), and each meal kind the programme times keeps its usual start (the middle of its
    printed starts, ``planner.meal_times``); every meal of the template reads it as its usual
    time, as a meal of that kind with no time of its own reads it in the programme. The
    benchmark's own template (``template_of``) keeps the same frame."""
    from benchmarks.quality import template_of
    from course_scheduler.rules.skeleton import printed_meal_times, usual_meal_times

    programme_path, template_path = _paths(name)
    programme = load(programme_path)
    printed = printed_meal_times(compile_programme(programme))
    template = load(template_path)
    assert template.planner.meal_times == printed
    assert template_of(programme).planner.meal_times == printed
    problem = compile_programme(template)
    starts = compile_programme(programme).day_starts
    assert problem.day_starts == starts
    assert [d.start for d in template_of(programme).days] == starts
    usual = usual_meal_times(problem)
    for item in problem.items:
        if item.kind in printed and item.index in usual:
            assert usual[item.index] == printed[item.kind], item.id


def test_the_meal_times_of_a_generated_programme_are_the_middle_of_its_printed_starts(
    tmp_path: Path,
) -> None:
    """Breakfasts printed at 7:00, 7:30 and 8:00 and one lunch at 12:15: the template says
    breakfast 7:30 and lunch 12:15; a programme with no timed meal gets no planner block."""
    days = []
    for day, start in enumerate(("7:00", "8:00", "7:30")):
        activities = [
            {"id": f"b{day}", "title": "Breakfast", "kind": "breakfast", "time": f"{start} -"},
            {"id": f"t{day}", "title": "Talk", "kind": "talk", "time": "9:00 - 10:00"},
        ]
        if day == 1:
            activities.append(
                {"id": "l1", "title": "Lunch", "kind": "lunch", "time": "12:15 - 13:00"}
            )
        days.append(
            {"date": f"2025-06-0{day + 2}", "window": "6:00 - 22:00", "activities": activities}
        )
    data = {
        "course": {"title": "Generated"},
        "venues": [{"id": "hall", "name": "Hall"}],
        "days": days,
        "rules": [],
    }
    import yaml

    path = tmp_path / PROGRAMME
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    text = make_template(path)
    made = tmp_path / TEMPLATE
    made.write_text(text, encoding="utf-8")
    assert load(made).planner.meal_times == {"breakfast": 7 * 60 + 30, "lunch": 12 * 60 + 15}
    for day in days:
        day["activities"] = [a for a in day["activities"] if a["kind"] == "talk"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert "\nplanner:" not in make_template(path)
