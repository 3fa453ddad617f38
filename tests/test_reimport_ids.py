"""An import over the planner's file keeps the ids that file gives its people and rooms.

The file here is the import of SFSCON 2024 (the project's fixture) with a person's and a
room's ids changed as an older import spelled them (``johannes-n-der``: accented letters were
dropped) or as a planner renamed them; the next import of the same schedule leaves the file
byte for byte as it was, where it replaced them, and every reference, with new ids."""

from __future__ import annotations

from pathlib import Path

from course_scheduler.cli import main
from course_scheduler.loading import load
from tests.conftest import ROOT

SFSCON = ROOT / "tests" / "fixtures" / "conferences" / "sfscon2024.xml"


def test_a_re_import_keeps_the_files_ids_of_people_and_rooms(tmp_path: Path) -> None:
    out = tmp_path / "sfscon.yaml"
    args = ["import", str(SFSCON), "--timezone", "Europe/Rome", "--out", str(out)]
    assert main(args) == 0
    fresh = load(out)
    person = next(p for p in fresh.people if p.name == "Johannes Näder")
    room = next(
        r
        for v in fresh.venues
        for r in v.rooms
        if any(a.room == r.id for a in fresh.all_activities())
    )
    text = out.read_text(encoding="utf-8")
    assert text.count(f" {person.id}\n") >= 2  # the person and at least one talk
    edited = text.replace(f" {person.id}\n", " johannes-n-der\n").replace(
        f" {room.id}\n", " planners-room\n"
    )
    out.write_text(edited, encoding="utf-8")
    assert main(args) == 0
    assert out.read_text(encoding="utf-8") == edited
    kept = load(out)
    assert "johannes-n-der" in {p.id for p in kept.people}
    assert "planners-room" in {r.id for v in kept.venues for r in v.rooms}
