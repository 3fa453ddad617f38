"""The fast dumper writes byte for byte what PyYAML's pure-Python dumper writes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from course_scheduler.dumping import dump_data
from course_scheduler.importers import read_schedule
from course_scheduler.loading import load

from .real_schedules import FILES, real_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p for p in ROOT.glob("examples/*/*.yaml") if "edits" not in p.name)


def _pure(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_examples_dump_as_the_pure_dumper_does(path: Path) -> None:
    data = load(path).model_dump(mode="json", by_alias=True, exclude_none=True)
    assert dump_data(data) == _pure(data)


@pytest.mark.parametrize("name", sorted(FILES))
def test_real_schedules_dump_as_the_pure_dumper_does(name: str) -> None:
    zone = "Europe/Berlin" if name == "rc3" else None  # rC3 names no time zone
    programme = read_schedule(real_file(name), None, timezone=zone).programme
    data = programme.model_dump(mode="json", by_alias=True, exclude_none=True)
    fast = dump_data(data)
    assert fast == _pure(data)
    assert yaml.safe_load(fast) == data


_TEXT = st.text(
    alphabet=st.sampled_from(
        [
            " ",
            " ",
            " ",
            "\n",
            "\t",
            "a",
            "b",
            "é",
            "ß",
            '"',
            "\\",
            "'",
            ":",
            "#",
            "-",
            "\x85",
            "\u2028",
            "\ufeff",
            "\x01",
            "\xa0",
            "😀",
            "漢",
            "\r",
            "\x7f",
        ]
    )
    | st.characters(codec="utf-8", exclude_categories=("Cs",)),
    max_size=400,
)
_KEY = st.text(alphabet="abcdefghij_", min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        _KEY,
        st.recursive(
            _TEXT,
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEY, inner, max_size=3),
            max_leaves=8,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_generated_documents_dump_as_the_pure_dumper_does(data: dict[str, object]) -> None:
    """Documents like a programme (a mapping at the top) of hostile texts: every escape,
    line breaks next to spaces, characters beyond U+FFFF, long lines at every depth."""
    assert dump_data(data) == _pure(data)
