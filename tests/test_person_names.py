"""People as a planner types them: imported ids keep each accented letter's base letter, and
every command that takes a person reads a name one way (an export's ``--person``, a
what-if's absent speaker), accents or not.

Names from SFSCON 2024 and LSWT 2019 (the project's fixtures), as the files print them.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import pytest

from course_scheduler.compile import compile_programme
from course_scheduler.errors import ProgrammeError
from course_scheduler.exports import find_person
from course_scheduler.importers import read_schedule
from course_scheduler.model import Person, Programme
from course_scheduler.whatif.actions import person_id
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "conferences"


@cache
def imported(name: str) -> Programme:
    zone = {"sfscon2024": "Europe/Rome", "lswt2019": "Europe/Berlin"}[name]
    return read_schedule(FIXTURES / f"{name}.xml", timezone=zone).programme


@pytest.mark.parametrize(
    ("source", "name", "expected"),
    [
        ("sfscon2024", "Johannes Näder", "johannes-nader"),
        ("sfscon2024", "Petteri Kivimäki", "petteri-kivimaki"),
        ("sfscon2024", "Kaj Arnö", "kaj-arno"),
        ("sfscon2024", "João Francisco Lino Daniel", "joao-francisco-lino-daniel"),
        ("lswt2019", "Prof. Dr. Sören Auer", "prof.-dr.-soren-auer"),
        ("lswt2019", "Prof. Dr. Hans-Gert Gräbe", "prof.-dr.-hans-gert-grabe"),
    ],
)
def test_an_imported_id_keeps_each_accented_letters_base(
    source: str, name: str, expected: str
) -> None:
    """Was ``kaj-arn``, ``johannes-n-der``: the letter dropped, the id hard to type."""
    ids = {p.name: p.id for p in imported(source).people}
    assert ids[name] == expected


def without_accents(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))


@pytest.mark.parametrize("source", ["sfscon2024", "lswt2019"])
def test_an_export_and_a_what_if_find_everyone_by_id_name_or_name_without_accents(
    source: str,
) -> None:
    programme = imported(source)
    problem = compile_programme(programme)
    names = [p.name for p in programme.people]
    for person in programme.people:
        if names.count(person.name) > 1:
            continue
        for typed in {person.id, person.name, person.name.upper(), without_accents(person.name)}:
            assert person_id(programme, typed) == person.id == find_person(problem, typed), typed


def test_a_slip_of_the_keyboard_is_answered_with_the_nearest_name() -> None:
    programme = imported("sfscon2024")
    with pytest.raises(ProgrammeError, match=r"did you mean Kaj Arnö \(kaj-arno\)\?"):
        person_id(programme, "Kaj Arnoe")
    with pytest.raises(ProgrammeError, match=r"did you mean kaj-arno \(Kaj Arnö\)\?"):
        find_person(compile_programme(programme), "Kaj Arnoe")


def test_a_name_nobody_is_near_lists_a_dozen_people_and_how_many_more() -> None:
    programme = imported("sfscon2024")
    with pytest.raises(ProgrammeError) as caught:
        person_id(programme, "Zzyzx Qwerty")
    more = len(programme.people) - 12
    assert caught.value.message.endswith(f" and {more} more") and more > 0


def test_a_name_two_people_share_asks_for_an_id_in_both_commands() -> None:
    """The what-if took the first of them: the wrong speaker could be taken away."""
    programme = imported("sfscon2024")
    first = programme.people[0]
    twin = Person(id=f"{first.id}-2", name=first.name.upper())
    doubled = programme.model_copy(update={"people": [*programme.people, twin]})
    for find in (
        lambda typed: person_id(doubled, typed),
        lambda typed: find_person(compile_programme(doubled), typed),
    ):
        with pytest.raises(ProgrammeError, match="2 people are called"):
            find(first.name.lower())
        assert find(twin.id) == twin.id


def test_two_names_alike_without_accents_are_both_offered() -> None:
    """ "Anna Müller" and "Anna Muller" are two people: a slip offers both, not the last."""
    programme = imported("sfscon2024")
    twins = [Person(id="mueller-a", name="Anna Müller"), Person(id="muller-b", name="Anna Muller")]
    both = programme.model_copy(update={"people": [*programme.people, *twins]})
    with pytest.raises(ProgrammeError) as caught:
        person_id(both, "Anna Mueller")
    assert "Anna Müller (mueller-a)" in caught.value.message
    assert "Anna Muller (muller-b)" in caught.value.message
    assert (
        person_id(both, "ANNA MÜLLER") == "mueller-a"
        and person_id(both, "anna muller") == "muller-b"
    )
