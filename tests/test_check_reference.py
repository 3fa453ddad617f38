"""The checker on the real 2024 programme: exactly what it finds, and a clean corrected copy."""

from __future__ import annotations

import subprocess
import sys

from course_scheduler import check, load

from .conftest import CORRECTED, PUBLISHED

EXPECTED_PUBLISHED = [
    ("info", "no-address", "2024-11-19", "14:30", ("bus-superblocks.out",)),
    ("warning", "compact-mornings", "2024-11-20", "9:45", ("d3-welcome", "d3-guest-talk")),
    ("warning", "speakers-confirmed", "2024-11-20", "10:00", ("d3-guest-talk",)),
    (
        "error",
        "no-overlap-cohort",
        "2024-11-20",
        "17:00",
        ("bus-chimneys.out", "d3-free-afternoon"),
    ),
    ("info", "no-address", "2024-11-20", "17:00", ("bus-chimneys.out",)),
    ("error", "no-overlap-cohort", "2024-11-20", "18:00", ("d3-networking", "d3-free-afternoon")),
    ("error", "transport-windows", "2024-11-20", "18:00", ("d3-networking",)),
    ("error", "travel-time", "2024-11-22", "13:35", ("d5-lunch", "d5-wrap-up")),
    ("info", "no-address", "2024-11-22", "13:35", ("d5-lunch",)),  # the restaurant's
]


def _summary(report: object) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    from course_scheduler.checking import Report

    assert isinstance(report, Report)
    rows = []
    for f in report.findings:
        d = f.as_dict()
        rows.append((d["level"], d["rule"], d["date"], d["start"], tuple(d["activities"])))
    return rows


def test_published_programme_findings_are_exactly_these() -> None:
    report = check(load(PUBLISHED))
    assert _summary(report) == EXPECTED_PUBLISHED
    assert not report.ok
    assert report.scheduled == report.activities == 50


def test_findings_carry_file_line_and_a_sentence() -> None:
    report = check(load(PUBLISHED))
    lines = PUBLISHED.read_text(encoding="utf-8").splitlines()
    for finding in report.findings:
        assert finding.file == str(PUBLISHED)
        assert finding.line is not None
        first = finding.activities[0].split(".")[0]
        window = "\n".join(lines[finding.line - 1 : finding.line + 1])
        assert first in window, (finding, window)
    messages = " ".join(f.message for f in report.findings)
    assert "return bus leaves The Three Chimneys" in messages
    assert "Khady Niang Sylla, who is not confirmed yet" in messages
    assert "overlaps 'Free afternoon'" in messages


def test_corrected_copy_checks_clean_apart_from_the_unconfirmed_speaker() -> None:
    report = check(load(CORRECTED))
    assert report.ok
    assert [(f.level.value, f.rule) for f in report.findings] == [
        ("info", "no-address"),  # the page prints no address for the two bus destinations
        ("warning", "speakers-confirmed"),
        ("info", "no-address"),
        ("info", "no-address"),  # nor for the restaurant of the farewell lunch
    ]


def test_check_path_imports_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "from course_scheduler.cli import main\n"
        f"code = main(['check', {str(CORRECTED)!r}, '--format', 'json'])\n"
        "heavy = sorted(m for m in ('ortools', 'pandas', 'networkx', 'numpy', 'ruamel', 'ruamel.yaml') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout
