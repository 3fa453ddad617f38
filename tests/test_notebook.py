"""The results as a notebook shows them: a short ``repr`` that says what each holds, and
``_repr_html_`` whose text is the object's own (read back from the HTML, unescaped)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

import course_scheduler as cs
from course_scheduler.cli import main

from .conftest import CORRECTED, EXAMPLES, PUBLISHED


class _Read(HTMLParser):
    """The text of an HTML fragment by element: list items, table rows, pre blocks."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.items: list[str] = []
        self.rows: list[list[str]] = []
        self.pre: list[str] = []
        self.strong: list[str] = []
        self._open: list[str] = []
        self.feed(html)
        self.close()
        assert not self._open, f"unclosed {self._open}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open.append(tag)
        if tag == "li":
            self.items.append("")
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")
        elif tag == "pre":
            self.pre.append("")
        elif tag == "strong":
            self.strong.append("")

    def handle_endtag(self, tag: str) -> None:
        assert self._open and self._open[-1] == tag, (self._open, tag)
        self._open.pop()

    def handle_data(self, data: str) -> None:
        where = self._open[-1] if self._open else ""
        if where == "li":
            self.items[-1] += data
        elif where in ("td", "th"):
            self.rows[-1][-1] += data
        elif where == "pre":
            self.pre[-1] += data
        elif where == "strong":
            self.strong[-1] += data


def _short(text: str, lines: int) -> None:
    assert len(text.splitlines()) <= lines, text
    assert "Problem(" not in text and "Programme(" not in text  # never the whole model


def test_a_report_shows_its_summary_and_its_findings(capsys: pytest.CaptureFixture[str]) -> None:
    report = cs.check(PUBLISHED)
    counts = report.counts()
    assert report.summary() == (
        f"FAILED: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes "
        f"({report.scheduled}/{report.activities} activities scheduled, "
        f"{report.checked_rules} rules)"
    )
    assert main(["check", str(PUBLISHED)]) == 1
    assert report.summary() in capsys.readouterr().out  # the line the command prints
    text = repr(report)
    _short(text, 12)
    assert text.splitlines()[0] == f"<Report {report.summary()}>"
    assert text.splitlines()[1:] == [f"  {f.level.value}: {f.message}" for f in report.findings]
    html = _Read(report._repr_html_())
    assert html.strong == [report.summary()]
    header, *rows = html.rows
    assert header == ["level", "rule", "when", "finding", "where"]
    assert [row[3] for row in rows] == [f.message for f in report.findings]  # & and ' intact
    assert any("&" in f.message or "'" in f.message for f in report.findings)
    edit = cs.check(PUBLISHED, baseline=CORRECTED)
    assert edit.comparison is not None
    assert f"against the baseline {len(edit.comparison.added)} added" in repr(edit)


def test_a_long_report_says_how_many_it_leaves_out() -> None:
    many = cs.check(EXAMPLES.parent / "stetson_saxophone_2025" / "programme.yaml")
    assert len(many.findings) > 10
    lines = repr(many).splitlines()
    assert len(lines) == 12 and lines[-1] == f"  ... and {len(many.findings) - 10} more"
    assert lines[1:11] == [f"  {f.level.value}: {f.message}" for f in many.findings[:10]]


def test_a_solve_shows_its_status_objective_and_days(capsys: pytest.CaptureFixture[str]) -> None:
    result = cs.solve(CORRECTED, time_limit=30)
    assert result.status == cs.Status.OPTIMAL and result.objective is not None
    text = repr(result)
    _short(text, 1)
    assert text.startswith("<Result optimal: 51 activities placed; objective: ")
    assert result.objective.line() in text and result.objective.gap in text
    html = _Read(result._repr_html_())
    assert html.pre == [result.table()]
    assert main(["solve", str(CORRECTED), "--time-limit", "30"]) == 0
    assert result.table() in capsys.readouterr().out  # the days the command prints
    for activity in cs.load(CORRECTED).all_activities():
        if activity.time is not None:
            assert activity.title.split("(")[0][:30] in result.table(), activity.title
    objective = result.objective
    assert repr(objective) == f"<ObjectiveValue {objective.line()}; {objective.gap}>"
    header, *rows = _Read(objective._repr_html_()).rows
    assert header == ["rank", "term", "count", "cost"]
    assert {row[1]: int(row[2]) for row in rows} == {
        name: objective.terms[name] for _, name, _, _ in rows
    }
    assert {row[1] for row in rows} == set(objective.terms)


def test_an_explanation_lists_its_reasons() -> None:
    explanation = cs.explain(PUBLISHED, time_limit=10)
    assert explanation.feasible is False
    lines = repr(explanation).splitlines()
    proven = "minimal" if explanation.minimal else "not proven minimal"
    assert lines[0] == (
        f"<Explanation: no timetable can exist: {len(explanation.reasons)} reasons ({proven})>"
    )
    assert [line.strip() for line in lines[1:]] == [
        f"{r.sentence} (line {r.line})" if r.line else r.sentence for r in explanation.reasons
    ]
    html = _Read(explanation._repr_html_())
    assert html.items == [line.strip() for line in lines[1:]]
    assert repr(cs.explain(CORRECTED, time_limit=10)) == "<Explanation: a timetable exists>"


def test_a_what_if_and_a_sweep_show_their_outcomes() -> None:
    scenario = EXAMPLES / "scenarios" / "superblocks_bus_1530.yaml"
    repair = cs.what_if(CORRECTED, scenario, time_limit=30)
    lines = repr(repair).splitlines()
    assert lines[0] == f"<WhatIf 'The Superblocks bus leaves at 15:30': {repair.outcome()}>"
    assert [line[2:] for line in lines[1:]] == repair.table().splitlines()
    assert "d2-site-visit" in lines[-1]
    html = _Read(repair._repr_html_())
    assert html.pre == [repair.table()]
    programme = cs.load(CORRECTED)
    outcomes = cs.sweep(programme, cs.tbc_scenarios(programme)[:2], time_limit=30)
    header, *rows = _Read(outcomes._repr_html_()).rows
    assert header == ["scenario", "outcome"]
    assert rows == [[o.scenario, o.text] for o in outcomes]
    assert "Outcome(scenario='Khady Niang Sylla absent', feasible=True" in repr(outcomes)
