"""A large real programme file loads and checks, in YAML and JSON, with its errors at their lines.

38C3 as imported from ``../shared/real_schedules`` is copied up by rooms
(``benchmarks.check_files.copied_up``: every room, person and talk again with ``.c2``, ``.c3``),
so each full copy is the real programme again, apart from the others: its own rooms and
people. The file is larger than the reader's former limit of 20 MiB once a planner's long
comment is added, and the check of every full copy finds what the real file's check finds.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from benchmarks.check_files import copied_up
from course_scheduler import loading
from course_scheduler.checking import check
from course_scheduler.dumping import dump_data
from course_scheduler.errors import ProgrammeError
from course_scheduler.importers import read_schedule
from course_scheduler.loading import load, loads

from .real_schedules import real_file

TALKS = 3_000


@cache
def imported() -> dict[str, Any]:
    programme = read_schedule(real_file("38c3")).programme
    data: dict[str, Any] = programme.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


@cache
def big() -> dict[str, Any]:
    return copied_up(imported(), TALKS)


def _copy_of(activity_id: str) -> int:
    head, _, tail = activity_id.rpartition(".c")
    return int(tail) if head and tail.isdigit() else 1


def _errors_by_copy(report: Any) -> Counter[int]:
    counted: Counter[int] = Counter()
    for finding in report.errors:
        copies = {_copy_of(a) for a in finding.activities}
        assert len(copies) == 1, finding  # the copies share no room and no person
        counted[copies.pop()] += 1
    return counted


def test_a_real_programme_copied_up_loads_and_checks_in_yaml_and_json(tmp_path: Path) -> None:
    real = loads(dump_data(imported()), name="38c3.yaml")
    expected = len(check(real).errors)
    assert expected > 0  # the published file has its own clashes
    full_copies = TALKS // len(real.all_activities())
    assert full_copies >= 2
    padding = "# " + "a planner's note " * 80 + "\n"
    text = padding * (21 * 1024 * 1024 // len(padding)) + dump_data(big())
    assert len(text.encode("utf-8")) > 20 * 1024 * 1024  # over the former limit
    for path, written in (
        (tmp_path / "big.yaml", text),
        (tmp_path / "big.json", json.dumps(big(), indent=2, ensure_ascii=False)),
    ):
        path.write_text(written, encoding="utf-8")
        programme = load(path)
        assert len(programme.all_activities()) == TALKS
        counted = _errors_by_copy(check(programme))
        assert [counted[k] for k in range(1, full_copies + 1)] == [expected] * full_copies
        assert counted[full_copies + 1] <= expected


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_an_error_near_the_end_of_a_big_file_names_its_line_and_field(suffix: str) -> None:
    data = json.loads(json.dumps(big()))
    day = len(data["days"]) - 1
    last = len(data["days"][day]["activities"]) - 1
    data["days"][day]["activities"][last]["time"] = "25:00 - 26:00"
    as_json = suffix == ".json"
    text = json.dumps(data, indent=2, ensure_ascii=False) if as_json else dump_data(data)
    with pytest.raises(ProgrammeError) as caught:
        loads(text, name="big" + suffix)
    error = caught.value
    assert error.file == "big" + suffix
    assert error.field == f"days[{day}].activities[{last}].time"
    assert error.line is not None
    assert "25:00 - 26:00" in text.split("\n")[error.line - 1]  # descriptions hold U+2028


def test_the_byte_limit_is_above_a_real_programme_of_twenty_thousand_talks() -> None:
    per_talk = len(json.dumps(big(), indent=2, ensure_ascii=False).encode("utf-8")) / TALKS
    assert 20_000 * per_talk < loading.MAX_FILE_BYTES
    values = [loading.MAX_NODES]
    loading._check_data(big(), (), loading.SourceMap(), values, 0)
    assert (loading.MAX_NODES - values[0]) / TALKS * 20_000 < loading.MAX_NODES / 2
