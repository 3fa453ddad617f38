"""SARIF 2.1.0, for code scanning and the CIs that read it: one run, the programmes' rules in
``tool.driver.rules`` (described by their own sentence), one result per finding.

Each result carries the rule, its level (``error``, ``warning``, ``note``), the sentence, the
file and line, and in ``partialFingerprints`` the baseline fingerprint (rule, activities, date,
meaning; not the line), so a code-scanning service follows a finding across edits. With a
baseline the results are the findings the change adds, marked ``baselineState: new``; the run's
``properties`` tell, per file, what was fixed and what is unchanged.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from ..baseline import Masker, programme_names
from ..rules.base import Finding, Level
from . import CheckedFile, RuleInfo, describe, rules_of

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT = "courseSchedulerFinding/v1"
_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


def render(results: Sequence[CheckedFile]) -> str:
    from .. import __version__

    rules: dict[str, RuleInfo] = {}
    for result in results:
        for ident, info in rules_of(result.programme).items():
            rules.setdefault(ident, info)
    for result in results:  # a finding of a rule no programme declares (should not happen)
        for f in result.findings:
            rules.setdefault(f.rule, RuleInfo(f.kind, f.level, f"The {f.kind} rule {f.rule}."))
    index = {ident: i for i, ident in enumerate(rules)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "course-scheduler",
                "version": __version__,
                "rules": [_rule(ident, info) for ident, info in rules.items()],
            }
        },
        "results": [r for result in results for r in _results(result, index)],
    }
    files = [_file_properties(result) for result in results if result.comparison is not None]
    if files:
        run["properties"] = {"baselines": files}
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rule(ident: str, info: RuleInfo) -> dict[str, Any]:
    return {
        "id": ident,
        "shortDescription": {"text": info.description},
        "fullDescription": {"text": info.description},
        "defaultConfiguration": {"level": _LEVEL[info.level]},
        "properties": {"kind": info.kind},
    }


def _results(result: CheckedFile, index: dict[str, int]) -> list[dict[str, Any]]:
    masker = Masker(programme_names(result.programme))
    seen: Counter[str] = Counter()
    out = []
    for f in result.findings:
        fingerprint = masker.fingerprint(f)
        digest = fingerprint.digest()
        occurrence = seen[digest]
        seen[digest] += 1
        entry: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _LEVEL[f.level],
            "message": {"text": describe(f)},
            "locations": [_location(f, result.file)],
            "partialFingerprints": {FINGERPRINT: fingerprint.digest(occurrence)},
            "properties": _finding_properties(f),
        }
        if result.comparison is not None:
            entry["baselineState"] = "new"
        out.append(entry)
    return out


def _location(f: Finding, file: str) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(f.file or file)}}
    if f.line:
        physical["region"] = {"startLine": f.line}
    return {"physicalLocation": physical}


def artifact_uri(path: str) -> str:
    """A relative path stays relative (code scanning wants paths from the repository's top),
    with ``/`` separators and percent-escapes; an absolute one becomes a ``file:`` URI."""
    pure = PurePath(path)
    return pure.as_uri() if pure.is_absolute() else quote(pure.as_posix())


def _finding_properties(f: Finding) -> dict[str, Any]:
    data = f.as_dict()
    return {key: data[key] for key in ("kind", "date", "start", "end", "activities")}


def _file_properties(result: CheckedFile) -> dict[str, Any]:
    assert result.comparison is not None
    return {
        "file": result.file,
        "baseline": result.baseline,
        "fixed": [
            {
                "ruleId": f.rule,
                "level": _LEVEL[f.level],
                "message": describe(f),
                "activities": list(f.activities),
            }
            for f in result.comparison.fixed
        ],
        "unchanged": result.comparison.unchanged,
    }
