"""``diff``: what changed between two versions of a programme, as text, Markdown and JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from course_scheduler.cli import main
from course_scheduler.diffing import CHANGE_KINDS, diff_programmes
from course_scheduler.loading import load

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "barcelona_2024"
PUBLISHED = EXAMPLES / "programme.yaml"
CORRECTED = EXAMPLES / "corrected.yaml"


def run_cli(argv: list[str]) -> int:
    """The real command line, in this process (exit 2 on bad input)."""
    return main(argv)


def variant(tmp_path: Path, name: str, edit: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of the published programme changed by ``edit``."""
    data = yaml.safe_load(PUBLISHED.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def activity(data: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(a for day in data["days"] for a in day["activities"] if a["id"] == ident)


def test_published_to_corrected_lists_exactly_the_corrections() -> None:
    report = diff_programmes(load(PUBLISHED), load(CORRECTED))
    kinds = {c.activity: c.changes for c in report.changes}
    assert kinds == {
        "d3-welcome": ("moved",),
        "d3-free-afternoon": ("retimed",),
        "d3-chimneys-visit": ("added",),
        "d3-networking": ("moved", "retimed"),
        "d5-lunch": ("moved", "retimed"),
    }
    assert report.counts() == {
        "added": 1,
        "removed": 0,
        "moved": 3,
        "moved_venue": 0,
        "moved_room": 0,
        "retimed": 3,
        "people": 0,
    }
    # in time order of the new version
    assert [c.activity for c in report.changes] == [
        "d3-welcome",
        "d3-free-afternoon",
        "d3-chimneys-visit",
        "d3-networking",
        "d5-lunch",
    ]


def test_text_report_tells_each_change() -> None:
    report = diff_programmes(
        load(PUBLISHED), load(CORRECTED), old_name="programme.yaml", new_name="corrected.yaml"
    )
    text = report.to_text()
    assert text.splitlines()[0] == (
        "programme.yaml → corrected.yaml: 5 activities changed: 1 added, "
        "4 modified (3 moved in time, 3 retimed; some in more than one way)"
    )
    assert "    moved: Wed 20 Nov 2024 9:30-9:45 → Wed 20 Nov 2024 9:45-10:00" in text
    assert "+ d3-chimneys-visit: Visit to the Three Chimneys (Manifesta 15)" in text
    assert "    retimed: 270 → 150 minutes (now Wed 20 Nov 2024 14:00-16:30)" in text


def test_no_changes_between_a_file_and_itself() -> None:
    report = diff_programmes(load(PUBLISHED), load(PUBLISHED), old_name="a", new_name="b")
    assert report.changes == []
    assert report.to_text() == "a → b: no changes\n"
    assert json.loads(report.to_json())["changes"] == []
    assert "No changes." in report.to_markdown()


def test_removed_moved_venue_and_people(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        day = data["days"][0]
        day["activities"] = [a for a in day["activities"] if a["id"] != "d1-ice-breaker"]
        activity(data, "d2-skills")["venue"] = "avinyo"
        activity(data, "d1-qa")["people"] = ["noferini", "gao"]
        activity(data, "d5-closing")["people"] = []
        moved = activity(data, "d4-case-study")
        data["days"][3]["activities"].remove(moved)
        moved["time"] = "14:00 - 14:15"
        data["days"][4]["activities"].append(moved)

    new = variant(tmp_path, "new.yaml", edit)
    report = diff_programmes(load(PUBLISHED), load(new))
    kinds = {c.activity: c.changes for c in report.changes}
    assert kinds == {
        "d1-ice-breaker": ("removed",),
        "d1-qa": ("people",),
        "d2-skills": ("moved_venue",),
        "d4-case-study": ("moved", "moved_venue"),  # Friday's default venue is Avinyó
        "d5-closing": ("people",),
    }
    details = {c.activity: c.details() for c in report.changes}
    assert details["d1-qa"] == ["people: +Andrea Noferini, +Yuan Gao"]
    assert details["d5-closing"] == ["people: −Jordi Vaquer"]
    assert details["d2-skills"] == ["moved venue: CEI International Affairs → Metropolis offices"]
    assert details["d4-case-study"] == [
        "moved: Thu 21 Nov 2024 11:30-11:45 → Fri 22 Nov 2024 14:00-14:15",
        "moved venue: CEI International Affairs → Metropolis offices",
    ]
    assert details["d1-ice-breaker"] == [
        "removed: was Mon 18 Nov 2024 9:20-9:45 at CEI International Affairs"
    ]


def test_a_moved_bus_is_a_change(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["transport"][1]["depart"] = "16:45"

    report = diff_programmes(load(PUBLISHED), load(variant(tmp_path, "bus.yaml", edit)))
    assert [(c.activity, c.changes) for c in report.changes] == [("bus-chimneys.out", ("moved",))]


def test_json_report_is_machine_readable() -> None:
    document = json.loads(diff_programmes(load(PUBLISHED), load(CORRECTED)).to_json())
    assert set(document["counts"]) == set(CHANGE_KINDS)
    networking = next(c for c in document["changes"] if c["activity"] == "d3-networking")
    assert networking["changes"] == ["moved", "retimed"]
    assert (networking["old"]["start"], networking["new"]["start"]) == ("18:00", "18:30")
    assert (networking["old"]["duration"], networking["new"]["duration"]) == (150, 90)
    added = next(c for c in document["changes"] if c["activity"] == "d3-chimneys-visit")
    assert added["old"] is None and added["new"]["venue"] == "three-chimneys"


def test_markdown_report_is_a_table_that_renders_titles_literally(tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    hostile = 'Q&A "live" <script>alert(1)</script> | =cmd; Avinyó, Sarrià'

    def edit(data: dict[str, Any]) -> None:
        activity(data, "d1-qa")["title"] = hostile
        activity(data, "d1-qa")["time"] = "11:00 - 11:20"

    new = variant(tmp_path, "new`name.yaml", edit)
    report = diff_programmes(load(PUBLISHED), load(new), old_name="old.yaml", new_name=str(new))
    rendered = MarkdownIt("commonmark").enable("table").render(report.to_markdown())
    assert "<script" not in rendered
    assert rendered.count("<table>") == 1
    rows = rendered.split("<tbody>")[1].split("<tr>")[1:]
    assert len(rows) == 1 and rows[0].count("<td>") == 4
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | =cmd; Avinyó, Sarrià" in rendered
    assert "retimed" in rows[0]


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
def test_diff_command_exits_0_whatever_changed(
    fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(["diff", str(PUBLISHED), str(CORRECTED), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "d3-chimneys-visit" in out
    if fmt == "json":
        assert json.loads(out)["counts"]["added"] == 1
    assert run_cli(["diff", str(PUBLISHED), str(PUBLISHED), "--format", fmt]) == 0


def test_diff_command_exits_2_on_unusable_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("course: [unclosed\n", encoding="utf-8")
    assert run_cli(["diff", str(PUBLISHED), str(broken)]) == 2
    assert run_cli(["diff", str(tmp_path / "missing.yaml"), str(PUBLISHED)]) == 2
    assert capsys.readouterr().out == ""


def test_two_editions_are_compared_by_day_of_the_edition_and_time_of_day(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The next edition, every date a year on (364 days, the same weekdays): nothing moved
    but the dates, said once; an activity moved to another day or time still shows."""
    import datetime as dt

    from course_scheduler.edition import next_edition

    template = next_edition(load(CORRECTED), dt.date(2025, 11, 17)).programme
    for item in template.all_activities():
        item.pinned, item.dates = True, None  # as a solved 2025 file has them
    diff = diff_programmes(load(CORRECTED), template, old_name="2024", new_name="2025")
    assert diff.shifted == 364
    assert diff.changes == []
    assert diff.headline() == (
        "dates shifted by 364 days (Mon 18 Nov 2024 → Mon 17 Nov 2025); no other changes"
    )
    lunch = next(a for a in template.all_activities() if a.id == "d5-lunch")
    assert lunch.time is not None
    lunch.time = type(lunch.time)(lunch.time.start + 20, lunch.time.end + 20)
    moved = diff_programmes(load(CORRECTED), template)
    assert [(c.activity, c.changes) for c in moved.changes] == [("d5-lunch", ("moved",))]
    assert moved.headline().startswith("dates shifted by 364 days")
    assert moved.as_dict()["shifted_days"] == 364
    assert run_cli(["diff", str(CORRECTED), str(EXAMPLES / "next_edition.yaml")]) == 0
    out = capsys.readouterr().out
    assert "dates shifted by 364 days" in out and "moved in time" not in out


def test_a_programme_whose_days_move_unevenly_is_no_new_edition(tmp_path: Path) -> None:
    def first_day_earlier(data: dict[str, Any]) -> None:
        data["days"][0]["date"] = "2024-11-17"  # a Sunday before, the rest as they were

    path = variant(tmp_path, "uneven.yaml", first_day_earlier)
    diff = diff_programmes(load(PUBLISHED), load(path))
    assert diff.shifted is None
    assert {c.activity for c in diff.changes} >= {"d1-welcome"}


def test_a_venue_under_a_new_id_with_its_name_has_not_moved(tmp_path: Path) -> None:
    """An import of an export names the conference's venue after the export's acronym: the
    same place under another id. Only a venue of another id and another name is a move."""

    def renamed(value: Any, old: str) -> Any:
        if isinstance(value, dict):
            return {k: renamed(v, old) for k, v in value.items()}
        if isinstance(value, list):
            return [renamed(v, old) for v in value]
        return "renamed" if value == old else value

    def edit(data: dict[str, Any]) -> None:
        old = data["venues"][0]["id"]
        assert all(v["name"] != old for v in data["venues"])
        data.update(renamed(data, old))

    new = variant(tmp_path, "new.yaml", edit)
    report = diff_programmes(load(PUBLISHED), load(new))
    assert [c.changes for c in report.changes] == []


def test_a_move_between_two_venues_of_one_name_is_a_move(tmp_path: Path) -> None:
    """Two places that share a name but both stay in the programme are two places: the name
    says one venue is the other only when that venue's old id is gone."""

    def same_names(data: dict[str, Any]) -> None:
        first, second = data["venues"][:2]
        second["name"] = first["name"]

    before = variant(tmp_path, "before.yaml", same_names)

    def moved(data: dict[str, Any]) -> None:
        same_names(data)
        activity(data, "d2-skills")["venue"] = "avinyo"

    after = variant(tmp_path, "after.yaml", moved)
    report = diff_programmes(load(before), load(after))
    assert {c.activity: c.changes for c in report.changes} == {"d2-skills": ("moved_venue",)}


def test_a_talk_in_another_room_is_a_change_and_a_room_renamed_by_id_is_not(
    tmp_path: Path,
) -> None:
    """PyCon HK 2025 (the project's pretalx fixture): a talk moved to another room is listed
    (``diff`` said "no changes" after a what-if moved 32 FOSDEM talks out of a closed room);
    the same room under a new id (a re-import that spells ids anew) is no move."""
    from course_scheduler.importers import read_schedule

    source = Path(__file__).resolve().parent / "fixtures" / "conferences"
    programme = read_schedule(source / "pretalx_api_pyconhk2025.json").programme
    data = programme.model_dump(mode="json", by_alias=True, exclude_none=True)
    rooms = {r["id"]: r["name"] for v in data["venues"] for r in v["rooms"]}
    talk = next(
        a for d in data["days"] for a in d["activities"] if a["title"] == "pip install community"
    )
    before = rooms[talk["room"]]
    other = next(r for r in rooms if r != talk["room"])
    moved = json.loads(json.dumps(data))
    next(a for d in moved["days"] for a in d["activities"] if a["id"] == talk["id"])["room"] = other
    renamed = json.loads(json.dumps(data))
    for venue in renamed["venues"]:
        for room in venue["rooms"]:
            room["id"] = f"{room['id']}-new"
    for day in renamed["days"]:
        for item in day["activities"]:
            if item.get("room"):
                item["room"] = f"{item['room']}-new"
    from course_scheduler.errors import SourceMap
    from course_scheduler.loading import validate

    def read(data: dict[str, Any]) -> Any:
        return validate(data, SourceMap(file="edited.yaml"))

    report = diff_programmes(programme, read(moved))
    assert [(c.activity, c.changes) for c in report.changes] == [(talk["id"], ("moved_room",))]
    assert report.changes[0].details() == [f"moved room: {before} → {rooms[other]}"]
    assert "1 moved room" in report.headline()
    assert diff_programmes(programme, read(renamed)).changes == []
