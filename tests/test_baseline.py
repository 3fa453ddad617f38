"""Baseline comparison: what a version adds and fixes, matched by rule, activities and meaning."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from course_scheduler.baseline import Masker, compare, programme_names
from course_scheduler.checking import check
from course_scheduler.loading import load, loads
from course_scheduler.rules.base import Finding, Level

from .ci_repo import ADDED_RULE, FIXED_RULE, second_version
from .conftest import CORRECTED, PUBLISHED


def findings_of(text: str, name: str = "programme.yaml") -> tuple[list[Finding], set[str]]:
    programme = loads(text, name=name)
    return list(check(programme).findings), programme_names(programme)


def test_the_corrected_programme_fixes_five_and_keeps_one() -> None:
    old, new = load(PUBLISHED), load(CORRECTED)
    result = compare(check(old).findings, check(new).findings)
    assert result.added == ()
    # the tbc speaker, the two bus destinations and the lunch's restaurant with no address
    assert result.unchanged == 4
    assert sorted(f.rule for f in result.fixed) == [
        "compact-mornings",
        "no-overlap-cohort",
        "no-overlap-cohort",
        "transport-windows",
        "travel-time",
    ]
    assert result.ok
    back = compare(check(new).findings, check(old).findings)
    assert back.counts() == {"error": 4, "warning": 1, "info": 0} and not back.ok
    assert back.fixed == ()


def test_the_second_commit_adds_one_error_and_fixes_one_warning() -> None:
    text = CORRECTED.read_text(encoding="utf-8")
    old, old_names = findings_of(text)
    new, new_names = findings_of(second_version(text))
    result = compare(old, new, names=old_names | new_names)
    assert [(f.rule, f.level, f.activities) for f in result.added] == [
        (ADDED_RULE, Level.ERROR, ("d1-ice-breaker", "d1-welcome"))
    ]
    assert [(f.rule, f.level) for f in result.fixed] == [(FIXED_RULE, Level.WARNING)]
    assert result.unchanged == 3 and not result.ok  # the three no-address notes


def test_moved_lines_shifted_times_and_renames_add_nothing() -> None:
    """Every line moves, the overlaps change length, an activity, the group and a venue are
    renamed: the sentences differ, but each finding is the one the old version had."""
    text = PUBLISHED.read_text(encoding="utf-8")
    edited = "# a note\n# another\n\n" + text
    for old_text, new_text in [
        ('time: "14:00 - 18:30"', 'time: "14:00 - 18:45"'),
        ('d3-welcome\n        time: "9:30 - 9:45"', 'd3-welcome\n        time: "9:25 - 9:40"'),
        ("title: Free afternoon", "title: Afternoon off"),
        ("name: Participants", "name: Diploma participants"),
        ("name: Metropolis offices", "name: The Metropolis offices"),
    ]:
        assert edited.count(old_text) == 1, old_text
        edited = edited.replace(old_text, new_text)
    old, old_names = findings_of(text)
    new, new_names = findings_of(edited)
    assert len(old) == len(new) == 9
    assert len({f.message for f in new} - {f.message for f in old}) >= 4  # sentences differ
    assert {f.line for f in new}.isdisjoint({f.line for f in old})
    result = compare(old, new, names=old_names | new_names)
    assert result.added == () and result.fixed == () and result.unchanged == 9


def test_a_moved_day_is_a_new_finding() -> None:
    """The date is part of the fingerprint: the same clash on another day is another clash."""
    old = _finding("no-overlap-cohort", ("b", "a"), dt.date(2024, 11, 20), "'B' overlaps 'A'")
    new = _finding("no-overlap-cohort", ("a", "b"), dt.date(2024, 11, 21), "'B' overlaps 'A'")
    moved = compare([old], [new])
    assert moved.added == (new,) and moved.fixed == (old,)
    same_day = _finding("no-overlap-cohort", ("a", "b"), dt.date(2024, 11, 20), "'A' overlaps 'B'")
    assert compare([old], [same_day]).unchanged == 1


def test_findings_sharing_a_fingerprint_match_as_multisets() -> None:
    day = dt.date(2024, 11, 20)
    first = _finding("placement", ("x",), day, "'X' lasts 30 minutes instead of 45")
    second = _finding("placement", ("x",), day, "'X' lasts 20 minutes instead of 45")
    third = _finding("placement", ("x",), day, "'X' lasts 10 minutes instead of 45")
    result = compare([first, second], [second, third, first])
    assert result.added == (third,), "the one whose text is new is the one added"
    assert result.fixed == () and result.unchanged == 2
    result = compare([first, second, third], [third])
    assert result.fixed == (first, second) and result.unchanged == 1
    other_problem = _finding(
        "placement", ("x",), day, "'X' is in room r2, which is not at its venue"
    )
    assert compare([first], [other_problem]).added == (other_problem,)


def test_the_meaning_masks_times_numbers_days_titles_and_names() -> None:
    masker = Masker(["Participants", "The Three Chimneys"])
    a = "'Talk' (Wed 20 Nov 17:00-17:30) overlaps 'Free afternoon' for Participants by 30 minutes"
    b = "'Keynote' (Thu 21 Nov 9:00-9:45) overlaps 'Lunch' for Participants by 5 minutes"
    assert masker.meaning(a) == masker.meaning(b)
    assert masker.meaning("ends at 20:30, at The Three Chimneys") == masker.meaning(
        "ends at 21:00, at Participants"
    )
    assert masker.meaning("starts before the bus") != masker.meaning("ends after the bus")


_TEMPLATES = [
    "'{t}' ({w}) overlaps '{u}' by {n} minutes",
    "'{t}' ends at {h}:{m:02d}, but the return bus leaves at {h}:00",
    "{n} idle minutes between '{t}' and '{u}' from {h}:{m:02d} (at most 10)",
]
_DATES = [None, dt.date(2024, 11, 18), dt.date(2024, 11, 19)]


@st.composite
def findings(draw: st.DrawFn) -> tuple[Finding, tuple[object, ...]]:
    """A finding, and its identity as the generator knows it (independent of the masker)."""
    rule = draw(st.sampled_from(["r1", "r2"]))
    level = draw(st.sampled_from(list(Level)))
    acts = draw(st.lists(st.sampled_from("abc"), max_size=3, unique=True))
    date = draw(st.sampled_from(_DATES))
    template = draw(st.integers(0, len(_TEMPLATES) - 1))
    words = {
        "t": draw(st.sampled_from(["Welcome", "Lunch", "Visit"])),
        "u": draw(st.sampled_from(["Talk", "Q&A"])),
        "w": f"Mon 18 Nov {draw(st.integers(8, 20))}:00-{draw(st.integers(8, 20))}:30",
        "n": draw(st.integers(0, 300)),
        "h": draw(st.integers(0, 23)),
        "m": draw(st.integers(0, 59)),
    }
    finding = Finding(
        rule=rule,
        kind="k",
        level=level,
        message=_TEMPLATES[template].format(**words),
        activities=tuple(acts),
        date=date,
        line=draw(st.integers(1, 500)),
    )
    return finding, (rule, level, tuple(sorted(acts)), date, template)


@given(st.lists(findings(), max_size=12), st.lists(findings(), max_size=12), st.randoms())
def test_comparison_agrees_with_counting_identities(
    old: list[tuple[Finding, tuple[object, ...]]],
    new: list[tuple[Finding, tuple[object, ...]]],
    rnd: random.Random,
) -> None:
    old_ids, new_ids = Counter(i for _, i in old), Counter(i for _, i in new)
    result = compare([f for f, _ in old], [f for f, _ in new])
    assert len(result.added) == sum((new_ids - old_ids).values())
    assert len(result.fixed) == sum((old_ids - new_ids).values())
    assert result.unchanged + len(result.added) == len(new)
    assert result.ok == (not any(f.level == Level.ERROR for f in result.added))
    back = compare([f for f, _ in new], [f for f, _ in old])
    assert Counter(back.fixed) == Counter(result.added)
    shuffled = [f for f, _ in new]
    rnd.shuffle(shuffled)
    same = compare([f for f, _ in new], shuffled)
    assert same.added == () and same.fixed == () and same.unchanged == len(new)


def _finding(rule: str, acts: tuple[str, ...], date: dt.date, message: str) -> Finding:
    return Finding(
        rule=rule, kind="k", level=Level.ERROR, message=message, activities=acts, date=date
    )
