"""Shared fixtures: paths of the reference instance, and a helper to write programme files."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "barcelona_2024"
PUBLISHED = EXAMPLES / "programme.yaml"
CORRECTED = EXAMPLES / "corrected.yaml"
NEXT_EDITION = EXAMPLES / "next_edition.yaml"


@pytest.fixture
def published_text() -> str:
    return PUBLISHED.read_text(encoding="utf-8")
