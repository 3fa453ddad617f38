"""Shared fixtures: paths of the reference instance, and a helper to write programme files."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "barcelona_2024"
PUBLISHED = EXAMPLES / "programme.yaml"
CORRECTED = EXAMPLES / "corrected.yaml"
NEXT_EDITION = EXAMPLES / "next_edition.yaml"


REPRODUCIBLE_EPOCH = "1731888000"
"""2024-11-18T00:00:00Z: the export time the tests run at (``SOURCE_DATE_EPOCH``)."""


@pytest.fixture(autouse=True)
def reproducible_exports(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test exports at one fixed time, as a reproducible build would: the ICS ``DTSTAMP``
    is the export time, so two exports a second apart would differ. Tests of the clock itself
    remove or change the variable."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", REPRODUCIBLE_EPOCH)


@pytest.fixture
def published_text() -> str:
    return PUBLISHED.read_text(encoding="utf-8")
