"""A solve keeps the errors the file forces, adds none, and says so as ``check`` reads them
(``keeping.py``).

On generated programmes whose printed times are drawn at random (so people clash and talks
fall outside their window as often as not), some with a parallel block whose two parts
share a lecturer and fill it: the published timetable, with its errors kept, is itself a
timetable the solve may return, so a re-plan always exists; every error the independent
checker finds in it, reading the file as the user gave it, is one the published timetable
had (a clash by its pair, anything else word for word) or the structure forced; and what the
solve says it kept is exactly that. With nothing kept (``published_clashes="repair"``) no
timetable has an error at all. And on the real published files (Barcelona 2024: 4 errors,
CSAMA 2023: 5) the line names each error ``check`` reports.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import course_scheduler as cs
from course_scheduler.cli import main
from course_scheduler.rules.base import Finding
from course_scheduler.solver.solve import Status
from tests.strategies import date, make_programme, rng, solver_settings

from .conftest import ROOT

EXAMPLES = ROOT / "examples"


@st.composite
def printed(draw: st.DrawFn) -> dict[str, Any]:
    """One day, two to five talks printed at random times of a crowded morning for one or two
    of two lecturers, a window for talks that some printed times break, and sometimes a
    parallel block of labs whose two parts share a lecturer and are as long as the block."""
    activities: list[dict[str, Any]] = []
    for k in range(draw(st.integers(2, 5))):
        start = 9 * 60 + draw(st.integers(0, 10)) * 15
        length = draw(st.integers(1, 4)) * 15
        activities.append(
            {
                "id": f"t{k}",
                "title": f"Talk {k}",
                "kind": "talk",
                "time": rng(start, start + length),
                "people": sorted(draw(st.sets(st.sampled_from(["p0", "p1"]), min_size=1))),
            }
        )
    if draw(st.booleans()):
        start = 14 * 60 + draw(st.integers(0, 4)) * 15
        length = draw(st.integers(2, 6)) * 15
        parts = draw(st.integers(length // 2 + 15, length) if length >= 60 else st.just(length))
        activities.append(
            {
                "id": "labs",
                "title": "Labs",
                "kind": "workshop",
                "parallel": True,
                "time": rng(start, start + length),
            }
        )
        for k in range(2):
            activities.append(
                {
                    "id": f"lab{k}",
                    "title": f"Lab {k}",
                    "kind": "workshop",
                    "block": "labs",
                    "duration": parts // 15 * 15,
                    "people": ["p0"],
                }
            )
    rules: list[dict[str, Any]] = [
        {"id": "one-place", "kind": "no_overlap", "resource": "person"},
    ]
    if draw(st.booleans()):
        rules.append(
            {"id": "talk-hours", "kind": "time_window", "kinds": ["talk"], "within": "9:30 - 11:30"}
        )
    return {
        "course": {"title": "Generated"},
        "venues": [{"id": "hall", "name": "Hall"}],
        "people": [{"id": "p0", "name": "Ada Zero"}, {"id": "p1", "name": "Bo One"}],
        "days": [
            {"date": date(0), "venue": "hall", "window": "8:00 - 18:00", "activities": activities}
        ],
        "rules": rules,
    }


def _clash(f: Finding) -> tuple[str, tuple[str, ...]]:
    return f.rule, tuple(sorted(f.activities))


@solver_settings(25)
@given(data=printed())
def test_a_replan_has_no_error_the_published_timetable_did_not_have(data: dict[str, Any]) -> None:
    programme = make_programme(data)
    published = cs.check(programme).errors
    result = cs.solve(programme, unpin=True, time_limit=10, deterministic_time=2)
    assert result.timetable is not None, result.status  # the published one would do
    errors = cs.check(programme, result.timetable).errors
    clashes = Counter(_clash(f) for f in published if f.kind == "no_overlap")
    words = Counter((f.rule, f.message) for f in published if f.kind != "no_overlap")
    forced = (
        {("one-place", ("lab0", "lab1"))}
        if any(a.get("block") for a in data["days"][0]["activities"])
        else set()
    )
    for finding in errors:
        if finding.kind == "no_overlap" and _clash(finding) in forced:
            continue
        if finding.kind == "no_overlap":
            assert clashes[_clash(finding)] > 0, finding.message
            clashes[_clash(finding)] -= 1
        else:
            assert words[(finding.rule, finding.message)] > 0, finding.message
            words[(finding.rule, finding.message)] -= 1
    # one reading: what the solve says it kept is what check reports, and nothing else
    kept = result.kept.errors if result.kept is not None else []
    assert [f.message for f in kept] == [f.message for f in errors]
    assert result.kept is None or result.kept.added == []
    if errors:
        assert result.kept is not None
        assert all(f"[{f.rule}] {', '.join(f.activities)}" in result.kept.line() for f in errors)
    # nothing kept: a timetable, when there is one, has no error at all
    strict = cs.solve(
        programme, unpin=True, time_limit=10, deterministic_time=2, published_clashes="repair"
    )
    assert strict.kept is None
    if strict.timetable is not None:
        assert cs.check(programme, strict.timetable).errors == []
    else:
        assert strict.status == Status.INFEASIBLE


MUST_KEEP = {
    "barcelona_2024": set(),
    "csama_2023": {
        ("lecturers-one-place", ("thu-lab-5", "thu-lab-9")),
        ("lecturers-one-place", ("fri-lab-5", "fri-lab-9")),
    },
    "britainx_uk_2024": {("transport", ("jan26-tour",))},
}
"""Errors no re-plan can mend: CSAMA's labs share Johannes Rainer and fill their block;
BritainX's four hours at Cranfield fit the booked coaches only with the tour at 11:00."""


@pytest.mark.parametrize(
    ("name", "count"), [("barcelona_2024", 4), ("csama_2023", 5), ("britainx_uk_2024", 1)]
)
def test_the_published_errors_of_real_files_are_kept_or_mended_and_named(
    name: str, count: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``solve --unpin`` of the published file keeps no error ``check`` does not report of
    it, mends what it can, names each error it keeps in one line, and writes a file whose
    ``check`` reports exactly those."""
    path = EXAMPLES / name / "programme.yaml"
    published = cs.check(cs.load(path)).errors
    assert len(published) == count
    out = tmp_path / "solved.yaml"
    code = main(["solve", str(path), "--unpin", "--time-limit", "60", "--out", str(out)])
    assert code == 0
    said = capsys.readouterr().out
    solved = cs.check(cs.load(out)).errors
    kept = {_clash(f) for f in solved}
    assert kept <= {_clash(f) for f in published}
    assert MUST_KEEP[name] <= kept
    if name == "csama_2023":  # its three printed errors are mended, its two forced ones kept
        assert kept == MUST_KEEP[name]
    lines = [x for x in said.splitlines() if x.startswith("It keeps")]
    assert len(lines) == 1 and "and adds none" in lines[0]
    assert f"It keeps {len(solved)} error" in lines[0]
    for finding in solved:
        assert f"[{finding.rule}] {', '.join(finding.activities)}" in lines[0]


@pytest.mark.parametrize("window", [False, True])
def test_a_printed_clash_is_mended_when_nothing_stops_it_and_kept_when_something_does(
    window: bool,
) -> None:
    """Two hour-long talks of one speaker printed half an hour apart: free to move, a re-plan
    sets them apart; held by a window of 90 minutes they cannot be apart, and the clash is
    kept where it is printed, counted in the objective."""
    talks = [
        {"id": "a", "title": "Keynote", "kind": "talk", "time": "9:00 - 10:00", "people": ["p0"]},
        {"id": "b", "title": "Panel", "kind": "talk", "time": "9:30 - 10:30", "people": ["p0"]},
    ]
    rules: list[dict[str, Any]] = [{"id": "one-place", "kind": "no_overlap", "resource": "person"}]
    if window:
        rules.append(
            {"id": "tw", "kind": "time_window", "kinds": ["talk"], "within": "9:00 - 10:30"}
        )
    programme = make_programme(
        {
            "course": {"title": "T"},
            "venues": [{"id": "hall", "name": "Hall"}],
            "people": [{"id": "p0", "name": "Ada Zero"}],
            "days": [
                {"date": date(0), "venue": "hall", "window": "8:00 - 18:00", "activities": talks}
            ],
            "rules": rules,
        }
    )
    assert [f.rule for f in cs.check(programme).errors] == ["one-place"]
    result = cs.solve(programme, unpin=True, time_limit=10, deterministic_time=2)
    assert result.timetable is not None and result.objective is not None
    errors = cs.check(programme, result.timetable).errors
    if window:
        assert [f.rule for f in errors] == ["one-place"]
        assert result.kept is not None and len(result.kept.errors) == 1
        assert result.objective.terms["kept_errors"] == 1
        a, b = result.timetable.get("a"), result.timetable.get("b")
        assert a is not None and b is not None and (a.start, b.start) == (9 * 60, 9 * 60 + 30)
    else:
        assert errors == [] and result.kept is not None and result.kept.errors == []
        assert result.kept.mended == 1
        assert result.kept.line() == "It mends 1 error of the printed times, and adds none."
        assert result.objective.terms["kept_errors"] == 0
