"""Loading: every kind of bad input gives one ProgrammeError naming file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from course_scheduler import ProgrammeError
from course_scheduler.loading import dump, json_schema, load, loads

from .conftest import CORRECTED, PUBLISHED, ROOT

OTHER_EVENTS = [
    ROOT / "examples" / name / "programme.yaml"
    for name in ("e2m2_2025", "ditum_huittinen_2018", "csama_2023")
]


def _broken(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, f"fixture text not found: {old!r}"
    return text.replace(old, new, count)


def _error(text: str) -> ProgrammeError:
    with pytest.raises(ProgrammeError) as caught:
        loads(text, name="broken.yaml")
    return caught.value


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_reference_loads_with_every_day_and_person() -> None:
    programme = load(PUBLISHED)
    assert [d.date.isoformat() for d in programme.days] == [
        "2024-11-18",
        "2024-11-19",
        "2024-11-20",
        "2024-11-21",
        "2024-11-22",
    ]
    names = {p.name for p in programme.people}
    assert names == {
        "Andrea Noferini",
        "Yuan Gao",
        "Khady Niang Sylla",
        "Marta Galceran",
        "Laura Seoane",
        "Jordi Vaquer",
    }
    assert {p.id: p.status.value for p in programme.people}["niang-sylla"] == "tbc"
    assert len(programme.all_activities()) == 46
    assert next(m.knowledge_session for m in programme.modules) == (
        "City diplomacy in a changing international context"
    )


@pytest.mark.parametrize(
    ("old", "new", "needle", "field", "words"),
    [
        ('time: "9:00 - 9:20"', 'time: "25:00 - 25:20"', "25:00", "time", "hour 25"),
        ('time: "9:00 - 9:20"', 'time: "9:75 - 9:90"', "9:75", "time", "minutes 75"),
        ('time: "9:00 - 9:20"', 'time: "9:20 - 9:00"', "9:20 - 9:00", "time", "ends before"),
        ("people: [noferini]", "people: [nobody]", "[nobody]", "people[0]", "unknown person"),
        ("venue: superblocks", "venue: atlantis", "atlantis", "venue", "unknown venue"),
        ("id: d1-ice-breaker", "id: d1-welcome", "id: d1-welcome", "id", "duplicate activity"),
        (
            "kind: welcome",
            "kind: party",
            "kind: party",
            "kind",
            "unknown kind 'party'; declare it under 'kinds'",
        ),
        ("status: tbc", "status: maybe", "status: maybe", "status", "'confirmed'"),
        ("ride_minutes: 30", "ride_minutes: thirty", "thirty", "ride_minutes", "integer"),
        (  # a slip no calendar can hold (the day before it does not exist)
            "- date: 2024-11-22",
            "- date: 0001-01-01",
            "0001-01-01",
            "date",
            "0001-01-01 is not a date of a programme (years 1900 to 2999)",
        ),
    ],
)
def test_bad_values_name_file_line_field(
    published_text: str, old: str, new: str, needle: str, field: str, words: str
) -> None:
    text = _broken(published_text, old, new)
    error = _error(text)
    assert error.file == "broken.yaml"
    lines = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    assert error.line == lines[-1]
    assert error.field is not None and error.field.endswith(field)
    assert words in str(error)


def test_unknown_activity_in_a_rule(published_text: str) -> None:
    text = _broken(published_text, "[d1-guest-talk, d1-qa]", "[d1-guest-talk, d1-quiz]")
    error = _error(text)
    assert "unknown activity 'd1-quiz'" in str(error)
    assert error.line == _line_of(text, "d1-quiz")


def test_yaml_syntax_error_has_a_line(published_text: str) -> None:
    text = _broken(published_text, "course:", "course: [unclosed")
    error = _error(text)
    assert "YAML syntax error" in error.message
    assert error.line is not None and error.line > 0


def test_duplicate_key_is_an_error(published_text: str) -> None:
    text = _broken(
        published_text, "  timezone: Europe/Madrid", "  timezone: Europe/Madrid\n  timezone: UTC"
    )
    error = _error(text)
    assert "duplicate key 'timezone'" in error.message
    assert error.line == _line_of(text, "timezone: UTC")


def test_unknown_field_is_an_error(published_text: str) -> None:
    text = _broken(
        published_text, "  timezone: Europe/Madrid", "  timezone: Europe/Madrid\n  colour: red"
    )
    error = _error(text)
    assert "unknown field 'colour'" in error.message
    assert error.line == _line_of(text, "colour: red")


def test_cycle_in_ordering_rules(published_text: str) -> None:
    text = _broken(
        published_text,
        "rules:\n",
        "rules:\n  - id: loop\n    kind: sequence\n    activities: [d1-qa, d1-guest-talk]\n",
    )
    error = _error(text)
    assert "cycle" in error.message and "d1-guest-talk" in error.message
    assert error.line == _line_of(text, "id: loop")


def test_wrong_top_level_type() -> None:
    error = _error("- just\n- a list\n")
    assert "expected a mapping" in error.message and error.line == 1


def test_empty_and_binary_and_missing_files(tmp_path: Path) -> None:
    assert "empty" in _error("").message
    binary = tmp_path / "x.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ProgrammeError, match="UTF-8"):
        load(binary)
    with pytest.raises(ProgrammeError, match="no such file"):
        load(tmp_path / "missing.yaml")
    with pytest.raises(ProgrammeError, match="directory"):
        load(tmp_path)


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    error = _error("\n".join(lines) + "\n")
    assert "refusing" in error.message


def test_deep_nesting_is_refused() -> None:
    error = _error("[" * 5000 + "]" * 5000)
    assert "nest" in error.message


def test_load_never_modifies_the_input(tmp_path: Path) -> None:
    copy = tmp_path / "programme.yaml"
    copy.write_bytes(PUBLISHED.read_bytes())
    before = copy.stat().st_mtime_ns, copy.read_bytes()
    load(copy)
    assert (copy.stat().st_mtime_ns, copy.read_bytes()) == before


@pytest.mark.parametrize("path", [PUBLISHED, CORRECTED, *OTHER_EVENTS])
def test_round_trip_yaml_and_json(path: Path, tmp_path: Path) -> None:
    programme = load(path)
    again = loads(dump(programme), name="dumped.yaml")
    assert again.model_dump() == programme.model_dump()
    as_json = tmp_path / "programme.json"
    as_json.write_text(
        json.dumps(programme.model_dump(mode="json", by_alias=True)), encoding="utf-8"
    )
    assert load(as_json).model_dump() == programme.model_dump()


def test_json_schema_describes_the_format() -> None:
    schema = json_schema()
    assert schema["title"] == "course_scheduler programme"
    assert {"course", "venues", "days"} <= set(schema["properties"])
    jsonschema = pytest.importorskip("jsonschema")
    for path in (PUBLISHED, *OTHER_EVENTS):  # 12-hour and open times, kinds, deadlines...
        jsonschema.validate(
            json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str)), schema
        )
    time = schema["$defs"]["Activity"]["properties"]["time"]["anyOf"][0]
    assert "from 17:30" in time["description"]


_LISTS = """\
a:
  - one
  - "two"
  - 3
  - &x four
  - *x
  - [five, 'six', 7:30]
b: [p, q,
    r]
c:
- - deep
  - yes
"""


def test_list_items_read_the_short_way_keep_their_values_and_lines() -> None:
    """A list's plain texts are read without a call per item (a 10,000-talk file whose
    talks list their rooms: 2.5 million of them), with the value and line the full reading
    gives: quoted, numbers, times, booleans, anchors and aliases alike."""
    from course_scheduler.loading import _parse_yaml

    data, source = _parse_yaml(_LISTS, "lists.yaml", None)
    assert data == yaml.safe_load(_LISTS)
    lines = {path: line for path, line in source.lines.items() if path}
    assert lines == {
        ("a",): 1,
        **{("a", k): 2 + k for k in range(6)},
        **{("a", 5, k): 7 for k in range(3)},
        ("b",): 8,
        ("b", 0): 8,
        ("b", 1): 8,
        ("b", 2): 9,
        ("c",): 10,
        ("c", 0): 11,
        ("c", 0, 0): 11,
        ("c", 0, 1): 12,
    }


def test_a_forbidden_character_in_a_list_item_names_its_line_and_field() -> None:
    with pytest.raises(ProgrammeError) as raised:
        loads(
            'course: {title: T}\ndays: []\npeople: []\nx:\n  - ok\n  - "bad\\u0007"\n',
            name="f.yaml",
        )
    assert raised.value.line == 6 and "U+0007" in str(raised.value) and "x[1]" in str(raised.value)
