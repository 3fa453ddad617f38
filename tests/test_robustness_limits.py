"""Limits: a file too large, too wide, too deep or with too many activities is refused at
once, with a clear message; YAML aliases cannot blow up memory; only safe YAML is read."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from course_scheduler import loading
from course_scheduler.errors import ProgrammeError
from course_scheduler.loading import load, loads

from .fuzzing import REFERENCE_TEXT


def refused(text: str | bytes, name: str = "limits.yaml") -> tuple[ProgrammeError, float]:
    began = time.perf_counter()
    with pytest.raises(ProgrammeError) as caught:
        loads(text, name=name)
    elapsed = time.perf_counter() - began
    error = caught.value
    assert error.file == name and error.line is not None and error.line >= 1, error
    return error, elapsed


def minimal(activities: list[dict[str, object]]) -> dict[str, object]:
    return {
        "course": {"title": "Limits"},
        "venues": [{"id": "v", "name": "Venue"}],
        "days": [{"date": "2025-03-03", "window": "9:00 - 17:00"}],
        "activities": activities,
    }


# --- size ----------------------------------------------------------------------------------


def test_a_file_over_the_byte_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    big = b"# padding\n" * (loading.MAX_FILE_BYTES // 10 + 1)
    assert len(big) > loading.MAX_FILE_BYTES
    error, elapsed = refused(big)
    assert "larger than the limit of 67,108,864 bytes" in error.message
    assert elapsed < 1.0
    path = tmp_path / "big.yaml"
    path.write_bytes(big)
    began = time.perf_counter()
    with pytest.raises(ProgrammeError, match="larger than the limit"):
        load(path)
    assert time.perf_counter() - began < 1.0
    _, elapsed = refused(big.decode("ascii"))  # text is measured in UTF-8 bytes too
    assert elapsed < 1.0


def test_a_file_at_the_byte_limit_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    size = len(REFERENCE_TEXT.encode("utf-8"))
    monkeypatch.setattr(loading, "MAX_FILE_BYTES", size)
    assert loads(REFERENCE_TEXT, name="exact.yaml").course.title
    monkeypatch.setattr(loading, "MAX_FILE_BYTES", size - 1)
    refused(REFERENCE_TEXT)


# --- values and aliases --------------------------------------------------------------------


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_in_well_under_a_second() -> None:
    error, elapsed = refused(billion_laughs())  # 10**9 values as written
    assert "expands to more than 2,000,000 values" in error.message
    assert "refusing" in error.message
    assert elapsed < 1.0, elapsed
    assert error.line is not None and error.line <= 9


def test_wide_alias_bomb_in_a_programme_field_is_refused_quickly() -> None:
    bomb = billion_laughs(levels=7, width=12)  # 12**7 = 35 million values
    text = REFERENCE_TEXT + "\n" + "".join("x" + line for line in bomb.splitlines(True))
    error, elapsed = refused(text)
    assert "refusing" in error.message and elapsed < 1.0


def test_aliases_within_the_budget_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "a: &x [1, 2, 3]\nb: *x\nc: [*x, *x]\n"
    data, _ = loading.parse(text, name="ok.yaml")
    assert data == {"a": [1, 2, 3], "b": [1, 2, 3], "c": [[1, 2, 3], [1, 2, 3]]}
    # a: 1 list + 3, b: 4 more, c: 1 + 2 * 4, plus the root mapping and its three keys
    monkeypatch.setattr(loading, "MAX_NODES", 20)
    loading.parse(text, name="ok.yaml")
    monkeypatch.setattr(loading, "MAX_NODES", 15)
    with pytest.raises(ProgrammeError, match="more than 15 values"):
        loading.parse(text, name="ok.yaml")


def test_the_value_limit_applies_without_aliases_and_to_json(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(loading, "MAX_NODES", 1000)
    monkeypatch.setattr(loading, "BYTES_PER_VALUE", 10**9)  # the floor alone, at any size
    wide = {"course": {"title": "x"}, "items": list(range(2000))}
    error, _ = refused(yaml.safe_dump(wide))
    assert "more than 1,000 values" in error.message
    error, _ = refused(json.dumps(wide), name="wide.json")
    assert "more than 1,000 values" in error.message


def test_a_larger_file_may_hold_as_many_values_as_its_size_allows_but_no_alias_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The floor (``MAX_NODES``) is for any document; a file may hold one value per
    ``BYTES_PER_VALUE`` bytes beyond it, written out (a programme whose 10,000 talks each
    list their candidate rooms: 2.5 million values in 37.8 MB, refused by a flat limit).
    Aliases still stop at what the file's size allows."""
    monkeypatch.setattr(loading, "MAX_NODES", 1000)
    wide = {"course": {"title": "x"}, "items": [f"Room-{k:03d}" for k in range(2000)]}
    text = yaml.safe_dump(wide)
    assert len(text) // loading.BYTES_PER_VALUE > 2000
    data, _ = loading.parse(text, name="wide.yaml")
    assert data == wide
    data, _ = loading.parse(json.dumps(wide), name="wide.json")
    assert data == wide
    bomb = billion_laughs(levels=5, width=10)  # 100,000 values from a few hundred bytes
    error, _ = refused(text + bomb)
    budget = len(text + bomb) // loading.BYTES_PER_VALUE
    assert f"expands to more than {budget:,} values" in error.message


def test_an_alias_cannot_make_the_document_contain_itself() -> None:
    for text in ("a: &a [1, *a]\n", "&r {a: *r}\n", "a: *nowhere\n"):
        error, elapsed = refused(text)
        assert "names no finished anchor" in error.message and elapsed < 0.1


# --- depth ---------------------------------------------------------------------------------


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    limit = loading.MAX_DEPTH  # every value is a level: the root mapping is 1, a scalar in it 2
    ok = "a: " + "[" * (limit - 2) + "1" + "]" * (limit - 2) + "\n"
    loading.parse(ok, name="ok.yaml")
    too_deep = "a: " + "[" * (limit - 1) + "1" + "]" * (limit - 1) + "\n"
    error, _ = refused(too_deep)
    assert f"nested more than {limit} levels" in error.message
    error, _ = refused("{" + '"a": {' * 100 + "}" * 101, name="deep.json")
    assert f"nested more than {limit} levels" in error.message
    error, elapsed = refused("[" * 100_000 + "]" * 100_000)  # the parser's own limit
    assert "nest" in error.message and elapsed < 1.0


def test_aliases_count_for_the_depth(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "MAX_DEPTH", 6)
    loading.parse("a: &x [[[[1]]]]\nb: *x\n", name="ok.yaml")  # root, 4 lists, 1: 6 levels
    error, _ = refused("a: &x [[[[1]]]]\nb: [*x]\n")
    assert "nested more than 6 levels" in error.message and error.line == 2


# --- activities ----------------------------------------------------------------------------


def test_too_many_activities_are_refused_before_validation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_validation(*args: object, **kwargs: object) -> None:
        raise AssertionError("pydantic validation ran before the activity limit")

    monkeypatch.setattr(loading, "MAX_ACTIVITIES", 45)
    monkeypatch.setattr(loading.Programme, "model_validate", no_validation)
    error, _ = refused(REFERENCE_TEXT)  # 46 activities
    assert "more than 45 activities" in error.message
    data = yaml.safe_load(REFERENCE_TEXT)
    error, _ = refused(json.dumps(data, default=str, indent=1), name="programme.json")
    assert "46 activities; the limit is 45 per programme" in error.message


def many_activities(count: int) -> list[dict[str, object]]:
    return [{"id": f"a{i}", "title": "t", "duration": 30} for i in range(count)]


def test_reading_stops_at_the_activity_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "MAX_ACTIVITIES", 2_000)
    text = yaml.dump(minimal(many_activities(20_000)), Dumper=yaml.CSafeDumper, sort_keys=False)
    began = time.perf_counter()
    with pytest.raises(ProgrammeError) as caught:
        loading.parse(text, name="many.yaml")
    stopped = time.perf_counter() - began
    assert "more than 2,000 activities" in caught.value.message
    assert caught.value.field == "activities[2000]"
    assert caught.value.line == text[: text.index("id: a2000\n")].count("\n") + 1
    under = yaml.dump(minimal(many_activities(2_000)), Dumper=yaml.CSafeDumper, sort_keys=False)
    began = time.perf_counter()
    loading.parse(under, name="many.yaml")
    assert stopped < 3 * (time.perf_counter() - began) + 0.1  # a tenth of the file was read


def test_the_activity_limit_at_full_scale(request: pytest.FixtureRequest) -> None:
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("reads a 2 MB file: run with -m slow")
    limit = loading.MAX_ACTIVITIES
    activities = many_activities(limit + 1)
    text = yaml.dump(minimal(activities), Dumper=yaml.CSafeDumper, sort_keys=False)
    error, elapsed = refused(text)
    assert f"more than {limit:,} activities" in error.message
    assert error.field == f"activities[{limit}]"
    assert elapsed < 10.0  # pydantic and the checks never start
    error, elapsed = refused(json.dumps(minimal(activities)), name="programme.json")
    assert f"{limit + 1:,} activities; the limit is {limit:,}" in error.message
    assert elapsed < 10.0


test_the_activity_limit_at_full_scale = pytest.mark.slow(test_the_activity_limit_at_full_scale)


def test_numbers_beyond_any_field_are_refused() -> None:
    for value in ("1" + "0" * 12, "-1" + "0" * 12, ".inf", "1.0e+300"):
        text = REFERENCE_TEXT.replace("ride_minutes: 30", f"ride_minutes: {value}", 1)
        error, _ = refused(text)
        assert "out of range" in error.message, (value, error)


# --- safe YAML only ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!!python/object:argparse.Namespace {{a: 1}}",
        "!!binary aGVsbG8=",
        "!!set {{a, b}}",
        "!!omap [a: 1]",
        "!custom value",
    ],
)
def test_unsafe_or_unknown_tags_are_refused_with_a_clear_error(value: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = REFERENCE_TEXT.replace(
        "title: Welcome, introductions and housekeeping",
        "title: " + value.format(marker=marker),
        1,
    )
    error, _ = refused(text)
    assert "is not allowed: a programme holds only text, numbers" in error.message
    shown = value.format(marker=marker)[:8]
    assert error.line == next(i for i, line in enumerate(text.splitlines(), 1) if shown in line)
    assert not marker.exists()


def test_merge_keys_and_multiple_documents_are_refused() -> None:
    error, _ = refused("base: &b {a: 1}\nother:\n  <<: *b\n")
    assert "merge keys" in error.message and error.line == 3
    error, _ = refused(REFERENCE_TEXT + "---\ncourse: {title: x}\n")
    assert "a second document" in error.message
