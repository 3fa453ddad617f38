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
from course_scheduler.model import CONFERENCE_OBJECTIVE, Programme, TimeRange
from course_scheduler.text import plural
from course_scheduler.timetable import published_timetable
from course_scheduler.whatif import (
    Change,
    ChangeDuration,
    MoveTransport,
    Scenario,
    Unavailable,
    what_if,
)

from .conftest import ROOT

EXAMPLES = ROOT / "examples"
OTHER_EVENTS = [
    "e2m2_2025",
    "ditum_huittinen_2018",
    "csama_2023",
    "stetson_saxophone_2025",
    "imprs_retreat_2016",
    "pack306_campout_2018",
    "britainx_uk_2024",
]
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
    "stetson_saxophone_2025": {
        ("info", "no-address", ("mon-registration",)): 1,  # away from the day's venue
        ("info", "no-address", ("mon-lunch",)): 1,  # away from the day's venue
        ("info", "no-address", ("mon-opening-meeting",)): 1,  # away from the day's venue
        ("info", "no-address", ("tue-movie",)): 1,  # away from the day's venue
        ("info", "no-address", ("thu-photo",)): 1,  # away from the day's venue
        ("info", "no-address", ("thu-dinner",)): 1,  # away from the day's venue
        ("error", "one-thing-at-a-time", ("mon-auditions", "mon-registration")): 1,
        ("error", "one-thing-at-a-time", ("thu-warm-up", "thu-dinner")): 1,
        ("error", "travel-time", ("fri-change", "fri-dinner")): 1,
        ("error", "travel-time", ("mon-in-dorm", "mon-practice")): 1,
        ("error", "travel-time", ("mon-practice", "mon-recital")): 1,
        ("error", "travel-time", ("sat-return", "sat-concert")): 1,
        ("error", "travel-time", ("thu-lights-out", "thu-movie")): 1,
        ("error", "travel-time", ("tue-lights-out", "tue-movie")): 1,
        ("info", "no-address", ("fri-walk.out",)): 1,
        ("info", "open-end", ("fri-lights-out",)): 1,
        ("info", "open-end", ("fri-meet-staff",)): 1,
        ("info", "open-end", ("mon-lights-out",)): 1,
        ("info", "open-end", ("sat-call-time",)): 1,
        ("info", "open-end", ("sat-meet-staff",)): 1,
        ("info", "open-end", ("sat-meet-staff-2",)): 1,
        ("info", "open-end", ("sat-wake-up",)): 1,
        ("info", "open-end", ("thu-lights-out",)): 1,
        ("info", "open-end", ("thu-meet-staff",)): 1,
        ("info", "open-end", ("thu-warm-up",)): 1,
        ("info", "open-end", ("tue-lights-out",)): 1,
        ("info", "open-end", ("tue-meet-staff",)): 1,
        ("info", "open-end", ("wed-lights-out",)): 1,
        ("info", "open-end", ("wed-meet-staff",)): 1,
        ("info", "unnamed", ("mon-hall-meeting",)): 1,
        ("info", "unnamed", ("wed-jam-session",)): 1,
        ("info", "untimed", ("sat-dress-combined",)): 1,
        ("info", "untimed", ("sat-dress-concert",)): 1,
        ("info", "untimed", ("sat-dress-symphonic",)): 1,
    },
    "imprs_retreat_2016": {
        ("info", "no-address", ("bus-back.out",)): 1,
        ("info", "no-address", ("bus-out.out",)): 1,
        ("info", "open-end", ("mon-dinner",)): 1,
        ("info", "open-end", ("mon-lunch",)): 1,
        ("info", "open-end", ("mon-moving-in",)): 1,
        ("info", "open-end", ("mon-stargazing",)): 1,
        ("info", "open-end", ("mon-student-meeting",)): 1,
        ("info", "open-end", ("tue-birdwatching",)): 1,
        ("info", "open-end", ("tue-breakfast",)): 1,
        ("info", "open-end", ("tue-breakout",)): 1,
        ("info", "open-end", ("tue-dinner",)): 1,
        ("info", "open-end", ("tue-lunch",)): 1,
        ("info", "open-end", ("tue-party",)): 1,
        ("info", "open-end", ("tue-social",)): 1,
        ("info", "open-end", ("wed-breakfast",)): 1,
        ("info", "open-end", ("wed-lunch",)): 1,
        ("info", "open-end", ("wed-moving-out",)): 1,
        ("info", "open-end", ("wed-presentations",)): 1,
        ("info", "open-end", ("wed-wrap-up",)): 1,
        ("info", "untimed", ("tue-canoeing",)): 1,
        ("info", "untimed", ("tue-hiking",)): 1,
    },
    "pack306_campout_2018": {
        ("info", "open-end", ("sat-campfire",)): 1,
        ("info", "open-end", ("sat-check-in",)): 1,
        ("info", "open-end", ("sat-clean-up",)): 1,
        ("info", "open-end", ("sat-dinner",)): 1,
        ("info", "open-end", ("sat-dinner-preparation",)): 1,
        ("info", "open-end", ("sat-four",)): 1,
        ("info", "open-end", ("sat-lights-out",)): 1,
        ("info", "open-end", ("sat-welcome",)): 1,
        ("info", "open-end", ("sun-breakfast",)): 1,
        ("info", "open-end", ("sun-breakfast-preparation",)): 1,
        ("info", "open-end", ("sun-clean-up",)): 1,
        ("info", "open-end", ("sun-closing",)): 1,
        ("info", "open-end", ("sun-den-activity",)): 1,
        ("info", "open-end", ("sun-seven",)): 1,
        ("info", "open-end", ("sun-strike-camp",)): 1,
        ("info", "open-end", ("sun-wake-up",)): 1,
    },
    "britainx_uk_2024": {
        ("info", "no-address", ("jan24-arrival",)): 1,  # away from the day's venue
        ("error", "transport", ("jan26-tour",)): 1,
        ("info", "first-name", ("jan25-lecture",)): 1,
        ("info", "no-address", ("feb02-to-uom.out",)): 1,
        ("info", "no-address", ("feb06-to-gatwick.out",)): 1,
        ("info", "no-address", ("jan25-trip.out",)): 1,
        ("info", "no-address", ("jan26-trip.out",)): 1,
        ("info", "no-address", ("jan28-trip.out",)): 2,
        ("info", "no-address", ("jan31-trip.out",)): 1,
        ("info", "no-return-time", ("feb02-to-uom.back",)): 1,
        ("info", "no-return-time", ("jan28-trip.back",)): 1,
        ("info", "open-end", ("feb06-take-off",)): 1,
        ("info", "open-end", ("feb07-arrival",)): 1,
        ("info", "open-end", ("jan24-arrival",)): 1,
        ("info", "open-end", ("jan24-free",)): 1,
        ("info", "open-end", ("jan29-arrival",)): 1,
        ("info", "open-end", ("jan29-dinner",)): 1,
        ("info", "scheduled", ("jan28-trip.back", "feb02-to-uom.back")): 1,
        ("info", "untimed", ("feb01-to-manchester",)): 1,
        ("info", "untimed", ("feb03-free",)): 1,
        ("info", "untimed", ("feb04-free",)): 1,
        ("info", "untimed", ("feb05-to-london",)): 1,
        ("info", "untimed", ("jan27-free",)): 1,
        ("info", "untimed", ("jan29-bioengineering",)): 1,
        ("info", "untimed", ("jan29-combustion",)): 1,
        ("info", "untimed", ("jan29-robotics",)): 1,
        ("info", "untimed", ("jan29-towing-tank",)): 1,
        ("info", "untimed", ("jan30-social",)): 1,
        ("info", "untimed", ("jan31-alumni",)): 1,
        ("info", "untimed", ("jan31-tuspark",)): 1,
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


def test_stetson_the_defects_a_careful_planner_flags() -> None:
    name = "stetson_saxophone_2025"
    overlaps = _messages(name, "one-thing-at-a-time")
    # the finalists audition during the three-hour registration; the winners leave the pizza
    # dinner at 6:45 for their warm-up
    assert any("(for Young Artist finalists)" in m and "by 60 minutes" in m for m in overlaps)
    assert any("(for Young Artist winners)" in m and "by 15 minutes" in m for m in overlaps)
    travel = _messages(name, "travel-time")
    lights_out = [m for m in travel if m.startswith("'Lights Out'")]
    assert ["(Tue 24 Jun" in lights_out[0], "(Thu 26 Jun" in lights_out[1]] == [True, True]
    assert len(lights_out) == 2 and all("from Lynn Business Center" in m for m in lights_out)
    assert any("'Change Clothes for Concert'" in m and "the trip takes 8" in m for m in travel)
    # the ensembles swap rooms at 3:15 with no gap, and the parallel chamber ensembles,
    # classes and masterclass groups share no room and no coach: none of it is a finding
    report = check(load(_programme(name)))
    assert not any(f.rule in ("one-use-per-room", "staff-one-place") for f in report.findings)
    assert not any("rehearsal" in a for f in report.findings for a in f.activities)


def test_imprs_the_retreat_reads_cleanly_with_each_row_until_the_next() -> None:
    name = "imprs_retreat_2016"
    report = check(load(_programme(name)))
    assert report.errors == [] and report.warnings == []
    open_ends = _messages(name, "open-end")
    assert any("'Birdwatching'" in m and "until 'Breakfast' starts at 8:00" in m for m in open_ends)
    assert any(
        "'Presentations continued and wrap-up'" in m
        and "until 'Bus leaves from Beetzseeheide' starts at 15:00" in m
        for m in open_ends
    )
    # the bus takes the printed 4 1/2 hours out and at most 5 hours back
    timetable = published_timetable(compile_programme(load(_programme(name))))
    out, back = timetable.get("bus-out.out"), timetable.get("bus-back.out")
    assert out is not None and (out.start, out.end) == (8 * 60, 12 * 60 + 30)
    assert back is not None and back.end == 20 * 60


def test_pack306_the_dens_that_cook_are_parts_of_the_row() -> None:
    name = "pack306_campout_2018"
    report = check(load(_programme(name)))
    assert report.errors == [] and report.warnings == []
    # the Webelos prepare dinner while the others have the welcome: parts of one block, no
    # overlap for anyone; the clean-up is read as lasting until the campfire
    open_ends = _messages(name, "open-end")
    assert any(
        "'Webelos 1 & 2 begin dinner preparation'" in m and "ends at 17:30" in m for m in open_ends
    )
    assert any("'Clean-up'" in m and "until 'Campfire' starts at 20:00" in m for m in open_ends)


def test_britainx_the_defects_a_careful_planner_flags() -> None:
    name = "britainx_uk_2024"
    # the Cranfield campus visit starts half an hour before the coach that brings the team
    (late,) = _messages(name, "transport")
    assert "starts at 11:00, before 酒店-克兰菲尔德大学" in late and "at 11:30" in late
    # "21:00后 返回伦敦" (after 21:00) and a blank "回程交通：" are returns with no time
    no_return = _messages(name, "no-return-time")
    assert sorted(m.split(" has ")[0] for m in no_return) == ["伦敦-剑桥", "酒店-曼彻斯特大学"]
    # "待定" (to be decided) and "全天" (all day) rows, and the UCL labs of a shared slot,
    # are listed with their day and no time
    assert len(_messages(name, "untimed")) == 12
    # the day trips are legs with their way back: the rows of the trip lie between the two
    timetable = published_timetable(compile_programme(load(_programme(name))))
    for leg, rows in (
        ("jan25-trip", ("jan25-tour", "jan25-exchange")),
        ("jan31-trip", ("jan31-lunch",)),
    ):
        out, back = timetable.get(f"{leg}.out"), timetable.get(f"{leg}.back")
        assert out is not None and back is not None
        for row in rows:
            placed = timetable.get(row)
            assert placed is not None and out.end <= placed.start and placed.end <= back.start


def test_britainx_unpinned_the_cranfield_day_cannot_fit_its_printed_coach_times() -> None:
    """Four hours of rows at Cranfield between a coach that arrives at 11:30 and one that
    leaves at 15:00: the page starts the tour at 11:00, before the coach arrives. A re-plan
    keeps that one error where the page prints it, and names it; with nothing kept
    (``--repair-published``) no timetable holds, and the reason names the fixed return and
    the transport rule."""
    from course_scheduler.solver.explain import explain_problem

    programme = load(_programme("britainx_uk_2024"))
    plain = programme.model_copy(
        update={"objective": programme.objective.model_copy(update=CONFERENCE_OBJECTIVE)}
    )
    kept = solve(plain, unpin=True, time_limit=30, deterministic_time=5, seed=0)
    assert kept.status == Status.OPTIMAL and kept.timetable is not None
    assert kept.kept is not None and kept.kept.added == []
    errors = check(programme, kept.timetable).errors
    assert [(f.rule, f.activities) for f in errors] == [("transport", ("jan26-tour",))]
    assert [f.message for f in kept.kept.errors] == [f.message for f in errors]
    tour = kept.timetable.get("jan26-tour")
    assert tour is not None and tour.start == 11 * 60  # where the page prints it
    assert "[transport] jan26-tour, as published" in kept.kept.line()
    result = solve(
        plain,
        unpin=True,
        time_limit=30,
        deterministic_time=5,
        seed=0,
        published_clashes="repair",
    )
    assert result.status == Status.INFEASIBLE
    problem = compile_programme(plain)
    why = explain_problem(
        compile_programme(plain), time_limit=10, unpinned=_unpinned_as_solve_does(problem)
    )
    assert why.feasible is False
    assert {"transport", "one-thing-at-a-time"} <= {r.rule for r in why.reasons}
    # and the coach's printed return, which `--unpin` keeps
    assert "pin:jan26-trip.back" in {r.rule for r in why.reasons}


# --- every example through every path ---------------------------------------------------------


@pytest.mark.parametrize("name", EVERY_EXAMPLE)
def test_every_example_checks_solves_repairs_and_exports(name: str) -> None:
    programme = load(_programme(name))
    report = check(programme)
    # everything printed has its time; what has none is a return the page prints no time for
    no_time = {a for f in report.findings if f.rule == "no-return-time" for a in f.activities}
    assert report.findings and report.activities - report.scheduled == len(no_time)

    # the solves below leave the day's shape (the planner defaults, tested on their own) out
    # of the objective, as for a conference, so each is proven optimal in a moment and the
    # same on every machine
    plain = programme.model_copy(
        update={"objective": programme.objective.model_copy(update=CONFERENCE_OBJECTIVE)}
    )

    # solve from scratch, every published time free; a timetable found has no error but
    # those the file forces, which the solve names as check reports them (CSAMA's lecturer
    # in two labs of one block), and when none exists the reason is named
    result = solve(plain, unpin=True, time_limit=60, deterministic_time=5)
    assert result.status in (Status.OPTIMAL, Status.INFEASIBLE), result.status
    if result.timetable is not None:
        errors = check(programme, result.timetable).errors
        kept = result.kept.errors if result.kept is not None else []
        assert [f.message for f in errors] == [f.message for f in kept]
        assert result.kept is None or result.kept.added == []
    else:
        from course_scheduler.solver.explain import explain_problem

        problem = compile_programme(programme)
        why = explain_problem(problem, time_limit=10, unpinned=_unpinned_as_solve_does(problem))
        assert why.feasible is False and why.reasons

    # a speaker cannot come: the least disruptive repair, or why there is none; of the solved
    # timetable when there is one (a timetable that holds, as a planner would publish it)
    published = plain
    if result.timetable is not None:
        assert result.problem is not None
        published = with_timetable(result.problem, result.timetable)
        assert len(check(published).errors) == len(kept)
    # a speaker cannot come; in a programme that names nobody, a session runs 30 minutes over
    scenario, changed = _disruption(published)
    repair = what_if(published, scenario, time_limit=60, minimal_explanation=False)
    assert repair.status in ("optimal", "infeasible"), repair.status
    if isinstance(changed, str):
        assert changed in repair.summary() or repair.removed
    elif repair.timetable is not None:
        ident, minutes, start = changed
        placed = repair.timetable.get(ident)
        assert placed is not None and placed.end - placed.start == minutes
        assert start is None or placed.start == start
    if repair.timetable is not None:
        # the repair adds no error; an error the published timetable already has stays as
        # published (the scenario's ``published_clashes: keep``), and the report says so
        after = check(repair.problem.programme, repair.timetable).errors
        before = {(f.rule, f.activities) for f in check(published).errors}
        assert {(f.rule, f.activities) for f in after} <= before
        if after:  # what the published timetable already broke stays so, named
            clashes = all(f.kind == "no_overlap" for f in after)
            kept = (
                plural(len(after), "clash", "clashes") if clashes else plural(len(after), "error")
            )
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


def _disruption(
    programme: Programme,
) -> tuple[Scenario, str | tuple[str, int, int | None]]:
    """What goes wrong: the first speaker who gives a session cannot come (what the repair
    names); when the programme names nobody, its first printed session (a start and an end)
    runs 30 minutes over, or when it prints no end at all, its first bus leaves an hour late
    (then: the item and the length the repair must give it)."""
    speaker = next(
        (
            p
            for p in programme.people
            if p.members is None and any(p.id in a.people for a in programme.all_activities())
        ),
        None,
    )
    if speaker is not None:
        absent = Unavailable(do="unavailable", person=speaker.id)
        return Scenario(name=f"{speaker.name} absent", changes=[absent]), speaker.name
    session = next(
        (a for a in programme.all_activities() if isinstance(a.time, TimeRange) and not a.block),
        None,
    )
    if session is not None:
        longer = session.minutes + 30
        change: Change = ChangeDuration(do="change_duration", activity=session.id, minutes=longer)
        return Scenario(name=f"{session.title} runs over", changes=[change]), (
            session.id,
            longer,
            None,
        )
    # nothing printed with an end (every row "from ..."): the first bus leaves an hour late
    leg = programme.transport[0]
    assert leg.depart is not None
    later = MoveTransport(do="move_transport", leg=leg.id, depart=leg.depart + 60)
    out = f"{leg.id}.out"
    return Scenario(name=f"{leg.title} an hour late", changes=[later]), (
        out,
        leg.ride_minutes,
        leg.depart + 60,
    )


def _unpinned_as_solve_does(problem: object) -> frozenset[str]:
    """What `solve --unpin` frees: every item but the rides, which keep their printed
    departures ("buses leave on time"); explaining any other set explains another problem
    than the one solved (the BritainX day at Cranfield is infeasible only with the coach's
    return where it was printed)."""
    from course_scheduler.compile import Problem

    assert isinstance(problem, Problem)
    return frozenset(i.id for i in problem.items if i.ride is None)


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
