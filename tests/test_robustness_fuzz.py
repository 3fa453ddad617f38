"""Hostile and broken programme files: the loader's promise, and the command line's.

The quick fuzz profile (a few hundred hypothesis cases, a few seconds); the long one is
``python -m tests.fuzz_long --cases 10000``. Every case either loads (then checks and
compiles) or raises ``ProgrammeError`` naming the file and a line; the command line turns the
error into one line on standard error and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from course_scheduler.cli import main
from course_scheduler.errors import ProgrammeError
from course_scheduler.loading import loads

from .fuzzing import (
    NESTED,
    REFERENCE_TEXT,
    assert_refusal,
    load_or_refuse,
    mutated_documents,
    mutated_texts,
    plausible_documents,
    random_documents,
)


def quick(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- the quick fuzz profile ----------------------------------------------------------------


@quick(150)
@given(mutated_texts())
def test_mutated_reference_text_loads_or_names_a_line(text: str | bytes) -> None:
    load_or_refuse(text, "fuzz.yaml")


@quick(80)
@given(mutated_documents())
def test_mutated_reference_document_loads_or_names_a_line(named: tuple[str, str]) -> None:
    name, text = named
    load_or_refuse(text, name)


@quick(25)
@given(plausible_documents())
def test_plausible_edits_load_check_compile_and_export(named: tuple[str, str]) -> None:
    name, text = named
    load_or_refuse(text, name, exports=("csv", "ics"))


@quick(150)
@given(random_documents())
def test_random_documents_load_or_name_a_line(named: tuple[str, str | bytes]) -> None:
    name, text = named
    load_or_refuse(text, name)


# --- the mutations the issue names, one by one ---------------------------------------------


def _replace(old: str, new: str) -> str:
    assert old in REFERENCE_TEXT, old
    return REFERENCE_TEXT.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("label", "text", "needle", "words"),
    [
        ("deleted line", _replace("        title: Welcome, introductions and housekeeping\n", ""), "id: d1-welcome", "missing required field 'title'"),
        ("swapped values", _replace("ride_minutes: 30", "ride_minutes: cei"), "ride_minutes: cei", "integer"),
        ("wrong type", _replace("venue: superblocks", "venue: [superblocks]"), "[superblocks]", "string"),
        ("huge number", _replace("ride_minutes: 30", "ride_minutes: 1" + "0" * 40), "ride_minutes: 1000", "out of range"),
        ("huge int string", _replace("ride_minutes: 30", "ride_minutes: " + "9" * 5000), "ride_minutes: 999", "limit"),
        ("negative duration", _replace('time: "9:00 - 9:20"', "duration: -20"), "duration: -20", "greater than 0"),
        ("zero duration", _replace('time: "9:00 - 9:20"', "duration: 0"), "duration: 0", "greater than 0"),
        ("unicode", _replace("kind: welcome", "kind: wélcome ✓"), "wélcome", "'welcome'"),
        ("empty string", _replace("title: Welcome, introductions and housekeeping", "title: ''"), "title: ''", "at least 1"),
        ("empty id", _replace("id: d1-welcome", "id: ''"), "id: ''", "at least 1"),
        ("duplicated key", _replace("        kind: welcome\n", "        kind: welcome\n" * 2), "kind: welcome", "duplicate key"),
        ("deeply nested", _replace("people: [noferini]", "people: " + NESTED), "people: [[[", "nested"),
        ("python tag", _replace("people: [noferini]", "people: !!python/object/apply:os.system [id]"), "python/object", "not allowed"),
        ("control character", _replace("title: Welcome, introductions", 'title: "Welcome\\x1b[2J, introductions'), "Welcome\\x1b", "U+001B"),
        ("bidi override", _replace("id: d1-welcome", 'id: "d1-\\u202ewelcome"'), "u202e", "should match pattern"),
        ("time out of the day", _replace('time: "9:00 - 9:20"', 'time: "23:00 - 25:00"'), "25:00", "hour 25"),
        ("bad date", _replace("date: 2024-11-18", "date: 2024-02-30"), "2024-02-30", "out of range"),
        ("infinite", _replace("ride_minutes: 30", "ride_minutes: .inf"), "ride_minutes: .inf", "out of range"),
        ("not a number", _replace("ride_minutes: 30", "ride_minutes: .nan"), "ride_minutes: .nan", "finite"),
    ],
)  # fmt: skip
def test_each_kind_of_damage_is_refused_at_its_line(
    label: str, text: str, needle: str, words: str
) -> None:
    with pytest.raises(ProgrammeError) as caught:
        loads(text, name="damaged.yaml")
    error = caught.value
    assert_refusal(error, "damaged.yaml", text)
    assert words in str(error), (label, str(error))
    line = _line_of(text, needle) + (label == "duplicated key")  # the second one
    assert error.line == line, (label, str(error))


def test_json_programmes_name_lines_too() -> None:
    data = yaml.safe_load(REFERENCE_TEXT)
    data["days"][1]["activities"][2]["kind"] = "party"
    text = json.dumps(data, default=str, indent="\t")  # tabs: not YAML, still JSON
    with pytest.raises(ProgrammeError) as caught:
        loads(text, name="programme.json")
    assert caught.value.line == _line_of(text, '"party"')
    duplicated = text.replace('"kind": "party"', '"kind": "party", "kind": "qa"')
    with pytest.raises(ProgrammeError, match="duplicate key 'kind'") as caught:
        loads(duplicated, name="programme.json")
    assert caught.value.line == _line_of(duplicated, '"party"')
    data["days"][1]["activities"][2]["kind"] = "qa"
    data["days"][1]["activities"][2]["title"] = "Questions 🎉 and answers"
    escaped = json.dumps(data, default=str)  # the emoji as a surrogate pair escape
    assert "\\ud83c\\udf89" in escaped
    programme = loads(escaped, name="programme.json")
    assert programme.days[1].activities[2].title == "Questions 🎉 and answers"
    lone = escaped.replace("\\ud83c\\udf89", "\\ud83c")
    with pytest.raises(ProgrammeError, match="U\\+D83C") as caught:
        loads(lone, name="programme.json")
    assert caught.value.line == 1


@pytest.mark.parametrize("name", ["programme.yaml", "programme.json"])
def test_a_lone_surrogate_in_python_text_is_refused_at_its_line(name: str) -> None:
    """Only ``loads`` of a ``str`` can carry one (files are decoded strictly); libyaml and the
    JSON scan failed inside on it, an "internal error" with no line."""
    needle = "title: Welcome, introductions"
    text = REFERENCE_TEXT.replace(needle, "title: Welcome\udc80, introductions", 1)
    with pytest.raises(ProgrammeError, match="U\\+DC80 \\(a lone surrogate\\)") as caught:
        loads(text, name=name)
    assert caught.value.line == _line_of(REFERENCE_TEXT, needle)


def test_error_messages_stay_on_one_line() -> None:
    text = REFERENCE_TEXT + '"x\\nerror: INJECTED": 1\n"x\\nerror: INJECTED": 2\n'
    with pytest.raises(ProgrammeError) as caught:
        loads(text, name="damaged.yaml")
    assert "\n" not in str(caught.value)
    assert "\\n" in str(caught.value)  # shown escaped
    huge = _replace('time: "9:00 - 9:20"', 'time: "' + "9" * 10_000 + '"')
    with pytest.raises(ProgrammeError) as caught:
        loads(huge, name="damaged.yaml")
    assert len(str(caught.value)) < 1000


# --- the command line: exit 2, one readable line -------------------------------------------

HOSTILE_FILES = {
    "binary.yaml": b"\x00\x01\x02\xff\xfe garbage",
    "empty.yaml": b"",
    "list.yaml": b"- just\n- a list\n",
    "tag.yaml": b"course: !!python/object/apply:os.system ['echo pwned']\n",
    "bomb.yaml": (
        "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 9))
    ).encode(),
    "deep.json": ("[" * 100 + "]" * 100).encode(),
    "broken.json": b'{"course": {"title": "x"},\n "venues": [}\n',
    "damaged.yaml": _replace("ride_minutes: 30", "ride_minutes: -30").encode(),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_every_command_exits_2_with_one_line(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(HOSTILE_FILES[name])
    out = tmp_path / "out.csv"
    for argv in (
        ["check", str(path)],
        ["show", str(path)],
        ["export", str(path), "--format", "csv", "--out", str(out)],
        ["diff", str(path), str(path)],
        ["solve", str(path), "--time-limit", "1"],
    ):
        assert main(argv) == 2, argv
        captured = capsys.readouterr()
        assert captured.out == ""
        lines = captured.err.splitlines()
        assert len(lines) == 1, (argv, captured.err)
        assert lines[0].startswith(f"error: {path}:"), lines[0]
        assert "Traceback" not in captured.err
    assert path.read_bytes() == HOSTILE_FILES[name]
    assert not out.exists()
