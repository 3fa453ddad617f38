"""A person or a room found by what a planner types: an id, a display name, or the name as
typed on a keyboard without accents. One reading for every command that takes one (an
export's ``--person``, a what-if's absent speaker or substitute, a closed room)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from .errors import ProgrammeError
from .text import base_letters

Named = Sequence[tuple[str, str]]
"""The programme's people or rooms as (id, display name)."""

SHOWN = 12
"""How many an error lists when no name is near the one typed."""


def one(
    named: Named,
    typed: str,
    *,
    unknown: str,
    plural: str,
    line: str = "{name} ({id})",
    file: str | None = None,
) -> str:
    """The id ``typed`` means (``matching``), or an error that says what to type instead: the
    ids when several share the name, else the nearest names, else the first ``SHOWN``.
    ``unknown`` begins the error for no match ("unknown person 'X'"); ``plural`` names them
    ("people", "rooms"); ``line`` writes one of them."""
    found = matching(named, typed)
    if len(found) == 1:
        return found[0]
    if found:
        raise ProgrammeError(
            f"{len(found)} {plural} are called '{typed}'; give an id: {', '.join(found)}",
            file=file,
        )
    near = nearest(named, typed)
    if near:
        meant = " or ".join(line.format(id=ident, name=shown) for ident, shown in near)
        raise ProgrammeError(f"{unknown}; did you mean {meant}?", file=file)
    raise ProgrammeError(f"{unknown}; known {plural}: {listed(named, line)}", file=file)


def matching(people: Named, name: str) -> list[str]:
    """The ids ``name`` may mean: the id itself; else everyone whose display name it is (case
    and spacing aside); else everyone whose name it is once accents are set aside ("Ingo
    Kuper" for Ingo Küper). Several: the caller asks for an id."""
    if any(ident == name for ident, _ in people):
        return [name]
    for reading in (_spaced, _plain):
        wanted = reading(name)
        found = [ident for ident, shown in people if reading(shown) == wanted]
        if found:
            return found
    return []


def nearest(people: Named, name: str) -> list[tuple[str, str]]:
    """Up to three whose names are near ``name`` (a typing slip), nearest first."""
    by_plain: dict[str, list[tuple[str, str]]] = {}
    for ident, shown in people:  # "Anna Müller" and "Anna Muller" are two, both offered
        by_plain.setdefault(_plain(shown), []).append((ident, shown))
    close = difflib.get_close_matches(_plain(name), list(by_plain), 3, 0.75)
    return [one for plain in close for one in by_plain[plain]][:3]


def listed(people: Named, line: str = "{name} ({id})") -> str:
    """The first ``SHOWN``, and how many more: a congress has hundreds of people."""
    shown = [line.format(id=ident, name=name) for ident, name in people[:SHOWN]]
    more = len(people) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "") if shown else "none"


def _spaced(name: str) -> str:
    return " ".join(name.split()).casefold()


def _plain(name: str) -> str:
    return " ".join(base_letters(name).split()).casefold()
