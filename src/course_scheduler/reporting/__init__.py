"""How ``check`` tells its findings: text, json, github, md, sarif or junit.

One module per format, imported only when asked for, each with ``render(results) -> str``. A
run may cover several files, each a ``CheckedFile``; with a baseline a file shows only the
findings its version adds (``Comparison.added``) and says how many it fixed. What the formats
must agree on (the sentence of a finding, the verdict, the built-in rules) is defined here once.
Everything here is on the fast check path: the writers use the standard library only (no
ortools, pandas, networkx; SARIF and JUnit are written with ``json`` and ``xml.etree``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from ..clock import format_clock
from ..model import Programme, Severity
from ..observations import OBSERVATIONS
from ..rules.base import Finding, Level, day_label
from ..text import plural

if TYPE_CHECKING:
    from ..baseline import Comparison
    from ..checking import Report

FORMATS = ("text", "json", "github", "md", "sarif", "junit")
_MODULES = {"json": "json_", "md": "markdown"}


@dataclass(frozen=True)
class RuleInfo:
    """A rule as reports list it: its kind, the level of its findings, its sentence."""

    kind: str
    level: Level
    description: str


BUILT_IN_RULES = {
    "placement": RuleInfo(
        "placement",
        Level.ERROR,
        "Each activity is placed on a day and at a venue and room it allows, for its whole "
        "duration, in a slot of its room and outside its barred windows.",
    ),
    "scheduled": RuleInfo("scheduled", Level.INFO, "Every activity has a date and a time."),
    "attention": RuleInfo(
        "attention",
        Level.INFO,
        "Every item of the programme's attention list (what needs a person) is settled and "
        "removed.",
    ),
    **{rule: RuleInfo(rule, level, text) for rule, (level, text) in OBSERVATIONS.items()},
}
"""Checks every programme gets beside its own rules (their findings carry these rule ids)."""


@dataclass(frozen=True)
class CheckedFile:
    """One programme file checked, and compared with its ``baseline`` when one was given."""

    file: str
    programme: Programme
    report: Report
    baseline: str | None = None
    comparison: Comparison | None = None
    previous: Programme | None = None
    """The baseline's programme, when it exists and could be read (for the Markdown diff)."""
    note: str | None = None
    """Why the baseline is empty, when it is: absent at that revision, or unusable."""

    @property
    def findings(self) -> Sequence[Finding]:
        """What to report: everything, or with a baseline only what this version adds."""
        return self.comparison.added if self.comparison is not None else self.report.findings

    @property
    def ok(self) -> bool:
        return self.comparison.ok if self.comparison is not None else self.report.ok

    def counts(self) -> dict[str, int]:
        return self.comparison.counts() if self.comparison is not None else self.report.counts()

    def summary(self) -> str:
        """ "FAILED: 4 errors, 2 warnings, 0 notes (50/50 activities scheduled, 24 rules)",
        or with a baseline "OK: 0 new errors, ...; 1 fixed, 5 unchanged (against ...; ...)"."""
        if self.comparison is None:
            return self.report.summary()
        counts, report = self.counts(), self.report
        verdict = "OK" if self.ok else "FAILED"
        scope = (
            f"{report.scheduled}/{report.activities} activities scheduled, "
            f"{plural(report.checked_rules, 'rule')}"
        )
        found = ", ".join(
            plural(counts[level], "new " + noun)
            for level, noun in (("error", "error"), ("warning", "warning"), ("info", "note"))
        )
        return (
            f"{verdict}: {found}; {len(self.comparison.fixed)} fixed, "
            f"{self.comparison.unchanged} unchanged (against {self.baseline}; {scope})"
        )


def render(results: Sequence[CheckedFile], fmt: str) -> str:
    """The whole output of one run, ending with a newline."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    module = import_module(f".{_MODULES.get(fmt, fmt)}", __name__)
    text: str = module.render(results)
    return text


def when(finding: Finding) -> str:
    """ "Wed 20 Nov 2024 18:00-20:30", "Tue 20 May 2025 13:00" (a moment, such as a deadline),
    "Wed 20 Nov 2024" or "" (a finding about no day)."""
    if finding.date is None:
        return ""
    text = day_label(finding.date)
    if finding.start is not None and finding.end == finding.start:
        text += f" {format_clock(finding.start)}"
    elif finding.start is not None and finding.end is not None:
        text += f" {format_clock(finding.start)}-{format_clock(finding.end)}"
    return text


NAMED_ACTIVITIES = 10
"""How many of a finding's activities its sentence names before "and N more" (a list at
most two longer is named whole): a check of a 10,000-talk file with none placed yet would
otherwise print one 130 KB line. The formats made for programs still list every one (json;
SARIF in each result's properties and each fixed finding's)."""


def describe(finding: Finding) -> str:
    """The finding as a planner reads it: when, the sentence, the activities' ids (the
    first ``NAMED_ACTIVITIES`` of a long list, then how many more)."""
    moment = when(finding)
    involved = f" [{named(finding.activities)}]" if finding.activities else ""
    return f"{moment + ': ' if moment else ''}{finding.message}{involved}"


def named(ids: Sequence[str]) -> str:
    """``ids`` joined, or the first ``NAMED_ACTIVITIES`` and how many more: a list only two
    longer is named whole ("and 2 more" saves a reader nothing)."""
    if len(ids) <= NAMED_ACTIVITIES + 2:
        return ", ".join(ids)
    return f"{', '.join(ids[:NAMED_ACTIVITIES])} and {len(ids) - NAMED_ACTIVITIES:,} more"


def rules_of(programme: Programme) -> dict[str, RuleInfo]:
    """Every rule a check of ``programme`` may report, by id, the built-in ones first."""
    rules = dict(BUILT_IN_RULES)
    for rule in programme.rules:
        text = " ".join((rule.description or f"The {rule.kind} rule {rule.id}.").split())
        level = Level.ERROR if rule.severity == Severity.HARD else Level.WARNING
        rules[rule.id] = RuleInfo(rule.kind, level, text)
    return rules
