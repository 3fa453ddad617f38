"""An activity that moves from one list to another (a template's unplaced talk placed on a
day by a solve, a talk moved to another day) keeps what the planner wrote on it: every
comment, once, on the line it was on; its key order, quoting and flow style. Checked on
generated files with a comment at each place an item can hold one, and on a real example."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from course_scheduler.clock import TimeRange
from course_scheduler.errors import SourceMap
from course_scheduler.loading import dump, load, loads, source_of, validate
from course_scheduler.model import Programme

ROOT = Path(__file__).resolve().parents[1]
_NOTE = re.compile(r"# (n\d+)\.")


def _normal(programme: Programme) -> Any:
    return programme.model_dump(mode="json", by_alias=True, exclude_none=True)


def _notes(text: str) -> Counter[str]:
    """Each numbered note (``# n7.``) of the file, full line or end of line, by number."""
    return Counter(_NOTE.findall(text))


@st.composite
def _file(draw: st.DrawFn) -> tuple[str, list[str], bool]:
    """A programme with talks to move into the second day's list: from the top-level
    unplaced ``activities`` (with a ``duration``) or from the first day (with a ``time``);
    each talk in block style with a numbered note at every place one can be (the end of each
    key's line, a line inside, the end of its nested lists' lines, after its last key), or on
    one line with a note after it; notes between the talks; every list of the file indented
    alike. Returns the text, the talks' ids and whether they start on the first day.

    (A file whose lists are indented unlike each other loses a comment line between two
    one-line items of the emptied list, with main's code as with this: ruamel.yaml does not
    keep it, and the whole list is re-indented. Not a move's doing; left as it is.)"""
    offset = draw(st.sampled_from([0, 2]), label="dash offset")
    on_day = draw(st.booleans(), label="from the first day")
    pad = " " * offset
    count = iter(range(1000))

    def note() -> str:
        return f"# n{next(count)}."

    def eol() -> str:
        return f"  {note()}" if draw(st.booleans(), label="note") else ""

    items: list[str] = []
    ids: list[str] = []
    for number in range(draw(st.integers(1, 4), label="talks")):
        ident = f"t{number}"
        ids.append(ident)
        when = "time: 9:00 - 9:30" if on_day else "duration: 30"
        if draw(st.booleans(), label="one line"):
            items.append(f"{pad}- {{id: {ident}, title: Talk {number}, kind: talk, {when}}}{eol()}")
        else:
            title = draw(st.sampled_from([f"Talk {number}", f'"Talk {number}"']), label="title")
            keys = [[f"title: {title}{eol()}"], [f"kind: talk{eol()}"], [f"{when}{eol()}"]]
            if draw(st.booleans(), label="people"):
                keys.append(["people:", f"{pad}- p1{eol()}", f"{pad}- p2{eol()}"])
            if draw(st.booleans(), label="barred"):
                window = "{date: '2025-01-07', time: '12:00 - 13:00'}"
                keys.append(["barred:", f"{pad}- {window}{eol()}"])
            keys = draw(st.permutations(keys), label="key order")
            if draw(st.booleans(), label="line inside"):
                keys.insert(draw(st.integers(0, len(keys) - 1)), [note()])
            lines = [f"- id: {ident}{eol()}"] + [f"  {line}" for key in keys for line in key]
            items += [pad + line for line in lines]
        if draw(st.booleans(), label="line between"):
            items.append(f"{pad}{note()}")

    def listed(indent: str) -> str:
        return "".join(f"{indent}{line}\n" for line in items)

    head = (
        f"course:\n  title: T\nvenues:\n{pad}- id: v\n{pad}  name: V\npeople:\n"
        f"{pad}- id: p1\n{pad}  name: P 1\n{pad}- id: p2\n{pad}  name: P 2\ndays:\n"
        f"{pad}- date: '2025-01-06'\n{pad}  venue: v\n{pad}  window: 9:00 - 18:00\n"
    )
    first = f"{pad}  activities:\n{listed(pad + '  ')}" if on_day else f"{pad}  activities: []\n"
    fixed = f"{pad}  activities:\n{pad}{pad}  - {{id: fixed, title: Fixed, time: 8:00 - 8:30}}\n"
    second = draw(st.sampled_from(["", fixed]), label="second day's list")
    day = f"{pad}- date: '2025-01-07'\n{pad}  venue: v\n{pad}  window: 8:00 - 18:00\n"
    text = head + first + day + second
    if not on_day:
        text += f"{note()}\nactivities:\n{listed('')}"
    return text + f"{note()}\nrules: []\n", ids, on_day


def _placed(original: Programme, ids: list[str], on_day: bool) -> Programme:
    """The programme with every talk on the second day, half an hour each from 9:00, as a
    solve places them."""
    moved = original.model_copy(deep=True)
    source = moved.days[0].activities if on_day else moved.activities
    talks = [a for a in source if a.id in ids]
    for number, talk in enumerate(talks):
        talk.duration = None
        talk.time = TimeRange(9 * 60 + 30 * number, 9 * 60 + 30 * number + 30)
    if on_day:
        moved.days[0].activities = []
    else:
        moved.activities = []
    moved.days[1].activities = [*moved.days[1].activities, *talks]
    return validate(moved.model_dump(by_alias=True, mode="json"), SourceMap())


@settings(max_examples=80, deadline=None)
@given(_file())
def test_a_placed_talk_keeps_every_note_once(case: tuple[str, list[str], bool]) -> None:
    text, ids, on_day = case
    original = loads(text, name="p.yaml")
    placed = _placed(original, ids, on_day)
    written = dump(placed, over=original)
    assert _normal(loads(written, name="p.yaml")) == _normal(placed)
    assert _notes(written) == _notes(text)
    lines = {_spaced(line) for line in written.splitlines()}
    for line in text.splitlines():  # each note stays on its own line: its key, its item
        if _NOTE.search(line) and "duration" not in line and "time:" not in line:
            assert _spaced(line) in lines, line


def _spaced(line: str) -> str:
    """A line without its indentation, one space before its comment."""
    return re.sub(r"\s+#", " #", line.strip())


def test_a_real_template_whose_sessions_were_unplaced_gets_its_notes_back() -> None:
    """IMPRS 2016's template with its first day's sessions taken off the day into the
    unplaced list, as a planner who has not decided yet would write them, then placed back
    on the day as a solve places them: every note on them (``# printed "13:00h -"``, the
    ``# assumption: ...`` line inside one) comes back with them, once."""
    path = ROOT / "examples" / "imprs_retreat_2016" / "template.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    where = source_of(load(path)).lines
    first, last = where[("days", 0, "activities")], where[("days", 1)] - 2
    body = [line[4:] if line.startswith("    ") else line for line in lines[first:last]]
    unplaced = "".join([*lines[: first - 1], "    activities: []\n", *lines[last:]])
    unplaced += "activities:\n" + "".join(body)
    original = loads(unplaced, name="template.yaml")
    assert not original.days[0].activities and len(original.activities) == 5
    placed = original.model_copy(deep=True)
    placed.days[0].activities, placed.activities = placed.activities, []
    placed = validate(placed.model_dump(by_alias=True, mode="json"), SourceMap())
    written = dump(placed, over=original)
    assert _normal(loads(written, name="template.yaml")) == _normal(placed)
    assert _all_notes(written) == _all_notes(unplaced)
    kept = {_spaced(line) for line in written.splitlines()}
    noted = [line for line in body if "  # " in line and not line.lstrip().startswith("#")]
    assert len(noted) == 6
    assert all(_spaced(line) in kept for line in noted)


def _all_notes(text: str) -> Counter[str]:
    """Every comment of the file, full line or end of line, by its text."""
    return Counter(
        "#" + line.split("#", 1)[1].strip()
        for line in text.splitlines()
        if line.lstrip().startswith("#") or "  # " in line
    )


def test_a_talk_placed_on_a_new_day_is_made_anew_and_its_notes_stay() -> None:
    """A day the file does not have is written whole, its talks made anew: a talk moved there
    cannot take its lines along, so its comment lines stay where they were (once)."""
    text = (
        "course:\n  title: T\nvenues:\n- id: v\n  name: V\ndays:\n"
        "- date: '2025-01-06'\n  venue: v\n  window: 9:00 - 18:00\n  activities: []\n"
        "activities:\n- id: t0\n  title: Talk  # n0.\n  # n1.\n  duration: 30\n"
    )
    original = loads(text, name="p.yaml")
    data = original.model_dump(by_alias=True, mode="json", exclude_none=True)
    talk = {**data["activities"][0], "time": "9:00 - 9:30"}
    del talk["duration"]
    day = {"date": "2025-01-07", "venue": "v", "window": "9:00 - 18:00", "activities": [talk]}
    data["days"].append(day)
    data["activities"] = []
    placed = validate(data, SourceMap())
    written = dump(placed, over=original)
    assert _normal(loads(written, name="p.yaml")) == _normal(placed)
    assert _notes(written)["n1"] == 1
