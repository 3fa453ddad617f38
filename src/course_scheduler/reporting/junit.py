"""JUnit XML, for the CIs that show test reports (GitLab, Jenkins): a test suite per file and a
test case per rule, the built-in ``placement`` and ``scheduled`` checks included.

A test case fails when its rule has error findings (a broken hard rule): its ``<failure>``
lists them, one per line. Warnings and notes do not fail a case, as they do not fail ``check``;
they are listed in the case's ``<system-out>``. With a baseline, only the findings the change
adds count, and the suite's properties name the baseline and how many findings were fixed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from ..rules.base import Finding, Level
from . import CheckedFile, describe, rules_of


def render(results: Sequence[CheckedFile]) -> str:
    root = ET.Element("testsuites", name="course-scheduler check")
    totals = {"tests": 0, "failures": 0}
    for result in results:
        suite = _suite(result)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(result: CheckedFile) -> ET.Element:
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_rule[f.rule].append(f)
    rules = list(rules_of(result.programme))
    rules += [rule for rule in by_rule if rule not in rules]
    suite = ET.Element("testsuite", name=result.file)
    if result.comparison is not None:
        properties = ET.SubElement(suite, "properties")
        for name, value in (
            ("baseline", str(result.baseline)),
            ("fixed", str(len(result.comparison.fixed))),
            ("unchanged", str(result.comparison.unchanged)),
        ):
            ET.SubElement(properties, "property", name=name, value=value)
    failures = 0
    for rule in rules:
        case = ET.SubElement(suite, "testcase", classname=result.file, name=rule)
        findings = by_rule.get(rule, [])
        errors = [f for f in findings if f.level == Level.ERROR]
        others = [f for f in findings if f.level != Level.ERROR]
        if errors:
            failures += 1
            noun = "error" if len(errors) == 1 else "errors"
            failure = ET.SubElement(
                case, "failure", message=f"{len(errors)} {noun}: {errors[0].message}", type="error"
            )
            failure.text = "\n".join(_line(f) for f in errors)
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in others)
    suite.set("tests", str(len(rules)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    return suite


def _line(f: Finding) -> str:
    where = f"{f.location}: " if f.location else ""
    return f"{where}{f.level.value}: {describe(f)}"
