"""The real programmes of other events (examples/OTHER_EVENTS.md), encoded as published: what
``check`` finds in each, pinned (level, rule, activities), with the defects their READMEs name
told in words; and every example, the reference included, through every path the library
has: check, solve, what-if and export in every format (nothing is special to Barcelona)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from course_scheduler import Status, check, compile_programme, load, solve, with_timetable
from course_scheduler.exports import FORMATS, entries, export
from course_scheduler.model import CONFERENCE_OBJECTIVE
from course_scheduler.text import plural
from course_scheduler.timetable import published_timetable
from course_scheduler.whatif import Scenario, Unavailable, what_if

from .conftest import ROOT

EXAMPLES = ROOT / "examples"
OTHER_EVENTS = ["e2m2_2025", "ditum_huittinen_2018", "csama_2023"]
EVERY_EXAMPLE = ["barcelona_2024", *OTHER_EVENTS]

PINNED: dict[str, dict[tuple[str, str, tuple[str, ...]], int]] = {
    "e2m2_2025": {
        ("error", "homework-due", ("hw-question", "tue20-lunch")): 1,
        ("error", "one-thing-at-a-time", ("tue20-one-on-one", "tue20-epidemic-cards")): 1,
        ("error", "speakers-one-place", ("tue20-one-on-one", "tue20-epidemic-cards")): 2,
        ("error", "travel-time", ("sun18-dinner", "sun18-night-walk")): 1,
        ("error", "travel-time", ("sun18-night-walk", "sun18-office-hours")): 1,
        ("error", "travel-time", ("thu22-lunch", "thu22-hike")): 1,
        ("warning", "compact-mornings", ("mon19-breakfast", "mon19-road-map")): 1,
        ("warning", "compact-mornings", ("tue20-breakfast", "tue20-road-map")): 1,
        ("warning", "directions", ("sun18-drive.out", "sat24-drive.out")): 1,
        ("warning", "sessions-with-breaks", ("fri23-one-on-one", "fri23-photo")): 1,
        ("warning", "sessions-with-breaks", ("fri23-phylogenetics", "fri23-road-map")): 1,
        ("warning", "sessions-with-breaks", ("mon26-talks", "mon26-talks")): 1,
        ("warning", "sessions-with-breaks", ("sat17-bootcamp", "sat17-bootcamp")): 1,
        ("warning", "sessions-with-breaks", ("sat24-one-on-one", "sat24-one-on-one")): 1,
        ("warning", "sessions-with-breaks", ("thu22-comparison", "thu22-response")): 1,
        ("warning", "sessions-with-breaks", ("tue20-one-on-one", "tue20-epidemic-cards")): 1,
        ("warning", "sessions-with-breaks", ("wed21-discussion", "wed21-road-map")): 1,
        ("warning", "sessions-with-breaks", ("wed21-feedback", "wed21-tutorial")): 1,
        ("info", "first-name", ("fri23-seminar",)): 1,
        ("info", "first-name", ("mon19-data-models",)): 1,
        ("info", "first-name", ("mon19-fever",)): 1,
        ("info", "first-name", ("mon19-maths",)): 2,
        ("info", "first-name", ("mon19-questions-1",)): 1,
        ("info", "first-name", ("sat17-bootcamp",)): 1,
        ("info", "first-name", ("tue20-regression",)): 1,
        ("info", "first-name", ("wed21-paper",)): 1,
        ("info", "no-address", ("sat24-drive.out",)): 1,
        ("info", "no-address", ("sun18-drive.out",)): 1,
        ("info", "no-address", ("sun18-night-walk",)): 1,
        ("info", "no-address", ("thu22-walk-out.out",)): 2,
        ("info", "open-end", ("fri23-farewell",)): 1,
        ("info", "open-end", ("sat24-lunch-to-go",)): 1,
        ("info", "open-end", ("sun18-meet",)): 1,
        ("info", "untimed", ("sat17-downloads",)): 1,
        ("info", "untimed", ("sat17-office-hours",)): 1,
        ("info", "untimed", ("sun25-office-hours",)): 1,
    },
    "ditum_huittinen_2018": {
        ("error", "one-thing-at-a-time", ("fri-closing", "fri-lunch")): 1,
        ("error", "one-thing-at-a-time", ("mon-coordinators", "mon-lunch")): 1,
        ("error", "one-thing-at-a-time", ("thu-sports", "thu-lunch")): 1,
        ("error", "travel-time", ("wed-turku", "wed-lunch")): 1,
        ("warning", "compact-mornings", ("thu-art-shows", "thu-lunch")): 1,
        ("warning", "compact-mornings", ("tue-bus.out", "tue-brewery")): 1,
        ("info", "no-address", ("fri-skating",)): 1,
        ("info", "no-address", ("mon-town-hall",)): 1,
        ("info", "no-address", ("sun-pick-up.out",)): 1,
        ("info", "no-address", ("thu-sports",)): 1,
        ("info", "no-address", ("thu-teachers-dinner",)): 1,  # restaurants and a pub
        ("info", "no-address", ("tue-bus.out",)): 2,
        ("info", "no-address", ("tue-teachers-dinner",)): 1,
        ("info", "no-address", ("wed-bus-back.out",)): 1,
        ("info", "no-address", ("wed-bus-out.out",)): 1,
        ("info", "no-address", ("wed-lunch",)): 1,
        ("info", "no-address", ("wed-teachers-dinner",)): 1,
        ("info", "no-address", ("wed-turku",)): 1,
        ("info", "no-return-time", ("tue-bus.back",)): 1,
        ("info", "open-end", ("fri-closing",)): 1,
        ("info", "open-end", ("fri-lunch",)): 1,
        ("info", "open-end", ("fri-preparation",)): 1,
        ("info", "open-end", ("fri-skating",)): 1,
        ("info", "open-end", ("mon-coordinators",)): 1,
        ("info", "open-end", ("mon-lunch",)): 1,
        ("info", "open-end", ("mon-opening",)): 1,
        ("info", "open-end", ("mon-party",)): 1,
        ("info", "open-end", ("mon-town-hall",)): 1,
        ("info", "open-end", ("mon-town-walk",)): 1,
        ("info", "open-end", ("sun-arrival",)): 1,
        ("info", "open-end", ("thu-art-shows",)): 1,
        ("info", "open-end", ("thu-coordinators",)): 1,
        ("info", "open-end", ("thu-lunch",)): 1,
        ("info", "open-end", ("thu-sports",)): 1,
        ("info", "open-end", ("thu-teachers-dinner",)): 1,
        ("info", "open-end", ("tue-brewery",)): 1,
        ("info", "open-end", ("tue-lunch",)): 1,
        ("info", "open-end", ("tue-teachers-dinner",)): 1,
        ("info", "open-end", ("wed-lunch",)): 1,
        ("info", "open-end", ("wed-teachers-dinner",)): 1,
        ("info", "open-end", ("wed-tuorla",)): 1,
        ("info", "open-end", ("wed-turku",)): 1,
        ("info", "scheduled", ("tue-bus.back",)): 1,
        ("info", "unnamed", ("mon-town-hall",)): 1,
        ("info", "untimed", ("fri-free",)): 1,
        ("info", "untimed", ("fri-italians",)): 1,
        ("info", "untimed", ("mon-art-projects",)): 1,
        ("info", "untimed", ("mon-free",)): 1,
        ("info", "untimed", ("mon-our-school",)): 1,
        ("info", "untimed", ("sat-departure",)): 1,
        ("info", "untimed", ("thu-free",)): 1,
        ("info", "untimed", ("thu-students-evening",)): 1,
        ("info", "untimed", ("tue-company",)): 1,
        ("info", "untimed", ("wed-free",)): 1,
    },
    "csama_2023": {
        ("error", "lecturers-one-place", ("fri-lab-9", "fri-lab-5")): 1,
        ("error", "lecturers-one-place", ("thu-lab-9", "thu-lab-5")): 1,
        ("error", "one-thing-at-a-time", ("mon-help-desk", "mon-lunch")): 1,
        ("error", "one-thing-at-a-time", ("sun-get-together", "sun-registration")): 1,
        ("error", "travel-time", ("wed-excursion", "wed-lunch")): 1,
        ("warning", "same-start", ("sun-registration", "sun-get-together")): 1,
        ("info", "first-name", ("lecture-19",)): 3,
        ("info", "no-address", ("wed-excursion",)): 1,
        ("info", "open-end", ("fri-closing",)): 1,
        ("info", "unnamed", ("mon-flashlight",)): 1,
        ("info", "untimed", ("sun-material",)): 1,
    },
}
"""Each example's findings as a multiset: (level, rule, activities) -> how many."""


def _programme(name: str) -> Path:
    return EXAMPLES / name / "programme.yaml"


def _report(name: str) -> object:
    return check(load(_programme(name)))


@pytest.mark.parametrize("name", OTHER_EVENTS)
def test_check_finds_exactly_the_pinned_findings(name: str) -> None:
    report = check(load(_programme(name)))
    found = Counter((f.level.value, f.rule, f.activities) for f in report.findings)
    assert found == Counter(PINNED[name])
    # every finding points at a line of the file that names its first activity or leg
    lines = _programme(name).read_text(encoding="utf-8").splitlines()
    for finding in report.findings:
        assert finding.line is not None, finding
        if finding.activities:
            ident = finding.activities[0].split(".")[0]
            near = "\n".join(lines[finding.line - 1 : finding.line + 3])
            assert ident in near, (finding.message, near)


def _messages(name: str, rule: str) -> list[str]:
    report = check(load(_programme(name)))
    return [f.message for f in report.findings if f.rule == rule]


def test_e2m2_the_defects_a_careful_planner_flags() -> None:
    name = "e2m2_2025"
    (due,) = _messages(name, "homework-due")
    assert "is due Tue 20 May 2025 at 13:00, during 'Lunch' (Tue 20 May 12:15-13:45)" in due
    (overlap,) = _messages(name, "one-thing-at-a-time")
    assert "'One-on-One Instructor Meetings'" in overlap and "by 15 minutes" in overlap
    people = _messages(name, "speakers-one-place")
    assert [m.split(" for ")[1].split(" by ")[0] for m in people] == ["Angelo", "Santino"]
    travel = _messages(name, "travel-time")
    assert any("to V.O.I.M.M.A." in m and "(for those who join" in m for m in travel)
    assert any("from Andasibe National Park or Mitsinjo to Cyperus Hotel" in m for m in travel)
    (directions,) = _messages(name, "directions")
    assert "takes 4 hours" in directions and "8 hours back" in directions
    open_ends = _messages(name, "open-end")
    assert any("'Lunch to Go'" in m and "until 'Drive to Madagascar" in m for m in open_ends)
    first_names = {m.split(",")[0] for m in _messages(name, "first-name")}
    assert first_names == {
        "Taratra",
        "Cara",
        "Sophie",
        "Santino",
        "Angelo",
        "Charlie",
        "Christian",
        "Abby",
        "Marius",
    }
    # the packed lunch before the drive is a meal, not a session (max_content ignores it)
    assert not any("Lunch to Go" in m for m in _messages(name, "sessions-with-breaks"))


def test_ditum_the_defects_a_careful_planner_flags() -> None:
    name = "ditum_huittinen_2018"
    overlaps = _messages(name, "one-thing-at-a-time")
    assert len(overlaps) == 3 and all("overlaps 'Lunch at school'" in m for m in overlaps)
    assert overlaps[0].endswith("(for Coordinators)")  # only they meet at 12.00 on Monday
    (turku,) = _messages(name, "travel-time")
    assert "leaves 15 minutes to get from Tuorla Guesthouse to Turku" in turku
    assert turku.endswith("(for Students)")
    holes = _messages(name, "compact-mornings")
    assert any("(for Students and teachers, except Coordinators)" in m for m in holes)
    (no_return,) = _messages(name, "no-return-time")
    assert "Bus to Laitila has a return with no time" in no_return
    (mayor,) = _messages(name, "unnamed")
    assert "the mayor of Huittinen" in mayor
    assert len(_messages(name, "untimed")) == 10


def test_csama_the_defects_a_careful_planner_flags() -> None:
    name = "csama_2023"
    rainer = _messages(name, "lecturers-one-place")
    assert len(rainer) == 2 and all("for Johannes Rainer" in m for m in rainer)
    overlaps = _messages(name, "one-thing-at-a-time")
    assert any(
        "'Installation help desk'" in m and "join 'Installation help desk'" in m for m in overlaps
    )
    (same,) = _messages(name, "same-start")
    assert "both start at 18:00 on Sun 11 Jun" in same
    (unnamed,) = _messages(name, "unnamed")
    assert "selected from participants" in unnamed
    # the parallel labs and demos are parts of a block: no false overlap for the group
    assert not any("Lab " in m or "Demos" in m for m in overlaps)


# --- every example through every path ---------------------------------------------------------


@pytest.mark.parametrize("name", EVERY_EXAMPLE)
def test_every_example_checks_solves_repairs_and_exports(name: str) -> None:
    programme = load(_programme(name))
    report = check(programme)
    assert report.findings and report.scheduled >= report.activities - 1

    # the solves below leave the day's shape (the planner defaults, tested on their own) out
    # of the objective, as for a conference, so each is proven optimal in a moment and the
    # same on every machine
    plain = programme.model_copy(
        update={"objective": programme.objective.model_copy(update=CONFERENCE_OBJECTIVE)}
    )

    # solve from scratch, every published time free; a timetable found checks clean, and
    # when none exists the reason is named
    result = solve(plain, unpin=True, time_limit=60, deterministic_time=5)
    assert result.status in (Status.OPTIMAL, Status.INFEASIBLE), result.status
    if result.timetable is not None:
        assert check(programme, result.timetable).errors == []
    else:
        from course_scheduler.solver.explain import explain_problem

        problem = compile_programme(programme)
        every = frozenset(i.id for i in problem.items)
        why = explain_problem(problem, time_limit=10, unpinned=every)
        assert why.feasible is False and why.reasons

    # a speaker cannot come: the least disruptive repair, or why there is none; of the solved
    # timetable when there is one (a timetable that holds, as a planner would publish it)
    published = plain
    if result.timetable is not None:
        assert result.problem is not None
        published = with_timetable(result.problem, result.timetable)
        assert check(published).errors == []
    speaker = next(
        p
        for p in programme.people
        if p.members is None and any(p.id in a.people for a in programme.all_activities())
    )
    scenario = Scenario(
        name=f"{speaker.name} absent",
        changes=[Unavailable(do="unavailable", person=speaker.id)],
    )
    repair = what_if(published, scenario, time_limit=60, minimal_explanation=False)
    assert repair.status in ("optimal", "infeasible"), repair.status
    assert speaker.name in repair.summary() or repair.removed
    if repair.timetable is not None:
        # the repair adds no error; a clash the published timetable already has stays as
        # published (the scenario's ``published_clashes: keep``), and the report says so
        after = check(repair.problem.programme, repair.timetable).errors
        before = {(f.rule, f.activities) for f in check(published).errors}
        assert {(f.rule, f.activities) for f in after} <= before
        if after:
            kept = plural(len(after), "clash", "clashes")
            assert f"keeps {kept} of the published timetable" in repair.summary()

    # every export of the published timetable, each showing every line of every day
    problem = compile_programme(programme)
    timetable = published_timetable(problem)
    lines = entries(problem, timetable)
    for fmt in FORMATS:
        data = export(problem, timetable, fmt)
        assert data, fmt
        if fmt in ("xlsx", "png"):
            continue
        text = _readable(data.decode("utf-8"))
        # the brochure tells the rides a door-to-door visit includes under its transport
        told = [e for e in lines if fmt != "html" or not _inside_a_visit(problem, e)]
        missing = [e.title for e in told if _readable(e.title)[:40] not in text]
        assert missing == [], fmt
        if fmt != "csv" and any(
            e.end is None and e.start is not None and not e.deadline for e in lines
        ):
            assert "from " in text or "From " in text, fmt
    frab = json.loads(export(problem, timetable, "frab"))
    events = [
        e
        for day in frab["schedule"]["conference"]["days"]
        for room in day["rooms"].values()
        for e in room
    ]
    assert len(events) == len(lines)


def _inside_a_visit(problem: object, entry: object) -> bool:
    from course_scheduler.compile import Problem, hidden_in_container
    from course_scheduler.exports import Entry

    assert isinstance(problem, Problem) and isinstance(entry, Entry)
    return entry.item is not None and hidden_in_container(problem, entry.item)


def _readable(text: str) -> str:
    """Text as a reader sees it: entities decoded, ICS lines unfolded, escapes dropped."""
    import html

    unfolded = text.replace("\r\n ", "").replace("\n ", "")
    return " ".join(html.unescape(unfolded).replace("\\", "").split())
