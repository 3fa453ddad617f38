"""Lists of rooms told apart once (``samelists``): equal lists get one tuple, different lists
different tuples, however alike their samples, and compile finds what the cross-checks read.
Then the programme's validation with the collector paused, and the speakers' note in time
order by the placements' fields."""

from __future__ import annotations

import datetime as dt
import gc
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.generate_real_scaled import generate_odd
from course_scheduler.compile import compile_programme
from course_scheduler.importers.peer import programme_from_peer
from course_scheduler.model import Programme
from course_scheduler.observations import _fields
from course_scheduler.samelists import ALIKE, SAMPLE, SameLists
from course_scheduler.timetable import Placement
from course_scheduler.validation import cross_check

NAMES = [f"room {k}" for k in range(3 * SAMPLE)]


@st.composite
def alike_lists(draw: st.DrawFn) -> list[list[str]]:
    """Lists of one or two lengths, each all the rooms less one or two, drawn again and again:
    long runs of equal samples that differ only between the sampled names."""
    lists = []
    for _ in range(draw(st.integers(1, 60))):
        dropped = set(draw(st.lists(st.integers(0, len(NAMES) - 1), min_size=1, max_size=2)))
        lists.append([name for k, name in enumerate(NAMES) if k not in dropped])
    return lists


@settings(deadline=None)  # a busy machine; each example is small
@given(alike_lists(), st.randoms(use_true_random=False))
def test_equal_lists_share_one_tuple_and_different_lists_do_not(
    lists: list[list[str]], order: random.Random
) -> None:
    same = SameLists()
    copies = [list(x) for x in lists]  # every list its own object, as pydantic makes them
    order.shuffle(copies)
    found = [same.shared(x) for x in copies]
    assert [list(t) for t in found] == copies
    for a, ta in zip(copies, found, strict=True):
        for b, tb in zip(copies, found, strict=True):
            assert (ta is tb) == (a == b)
    assert sorted(same.distinct()) == sorted({tuple(x) for x in copies})
    assert [same.shared(x) for x in copies] == found  # read again: found by the object
    assert all(a is b for a, b in zip([same.shared(x) for x in copies], found, strict=True))


def test_more_alike_lists_than_a_sample_keeps_are_still_told_apart() -> None:
    same = SameLists()
    lists = [[*NAMES[:-1], f"last {k}"] for k in range(ALIKE * 3)]  # the same samples
    found = [same.shared(list(x)) for x in lists * 2]
    assert len({id(t) for t in found}) == len(lists)
    assert found[: len(lists)] == found[len(lists) :]


def test_a_short_list_and_a_single_room_share_the_tuple_of_their_rooms() -> None:
    same = SameLists()
    assert same.shared(["a"]) is same.one(("a",))
    assert same.shared([]) == () and same.shared(["a", "b"]) is same.shared(["a", "b"])


def _odd() -> Programme:
    programme = programme_from_peer(generate_odd(300, 3))
    programme.objective.soft_rules = 0
    return programme


def test_compile_shares_one_tuple_per_distinct_list_of_rooms_and_reads_each_list_once(
    monkeypatch: Any,
) -> None:
    """The odd 38C3 shape: every talk its own list object, a few hundred distinct lists."""
    programme = _odd()
    listed = [a.rooms for a in programme.all_activities()]
    assert len({id(x) for x in listed}) == len(listed)
    copied: list[int] = []
    real = SameLists.one

    def counted(self: SameLists, names: tuple[str, ...]) -> tuple[str, ...]:
        copied.append(1)
        return real(self, names)

    monkeypatch.setattr(SameLists, "one", counted)
    cross_check(programme, None, SameLists())
    read = len(copied)
    assert read < len(listed) // 2  # each distinct list copied once, or a few more times
    copied.clear()
    problem = compile_programme(programme)
    assert len(copied) == read + sum(1 for x in listed if not x)  # none of the lists again
    by_list: dict[tuple[str, ...], tuple[str, ...]] = {}
    for item, rooms in zip(problem.items, listed, strict=True):
        assert item.rooms == tuple(rooms)
        assert by_list.setdefault(item.rooms, item.rooms) is item.rooms


def test_validating_a_programme_leaves_the_collector_as_it_was_and_its_models_old() -> None:
    data = _odd().model_dump(mode="json", by_alias=True, exclude_defaults=True)
    passes: list[str] = []

    def seen(phase: str, info: dict[str, Any]) -> None:
        passes.append(phase)

    gc.callbacks.append(seen)
    try:
        programme = Programme.model_validate(data)
    finally:
        gc.callbacks.remove(seen)
    assert gc.isenabled() and not passes
    young = {id(x) for generation in (0, 1) for x in gc.get_objects(generation=generation)}
    assert id(programme.activities[0]) not in young
    gc.disable()
    try:
        Programme.model_validate(data)
        assert not gc.isenabled()  # an outer pause is the outer caller's to end
    finally:
        gc.enable()


placements = st.builds(
    Placement,
    date=st.dates(dt.date(2026, 1, 1), dt.date(2026, 1, 3)),
    start=st.integers(0, 3),
    end=st.integers(3, 5),
    activity=st.sampled_from("abc"),
    venue=st.sampled_from(["v", "w"]),
    room=st.sampled_from(["r", "s"]),
)


@settings(deadline=None)
@given(st.lists(placements, max_size=30))
def test_the_speakers_note_orders_by_the_placements_fields_as_by_the_placements(
    placed: list[Placement],
) -> None:
    pairs = list(enumerate(placed))
    by_placement = sorted(pairs, key=lambda x: (x[1], x[0]))
    by_fields = sorted(pairs, key=lambda x: (*_fields(x[1]), x[0]))
    assert by_fields == by_placement
    every = ", ".join(repr(f) for f in Placement.__dataclass_fields__)
    assert repr(_fields) == f"operator.attrgetter({every})"
