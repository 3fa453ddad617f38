"""Who is who in a published schedule: a person is their id *and* their name.

Real schedules cannot be trusted to give one id per person. A merged congress schedule gives
hundreds of speakers the placeholder id ``0``, and reuses one id for two to five different
names; keying people by id alone turns those names into one person, who is then "in two
places at once" in every check and gets other people's names in every export. So:

- An id that is empty, all zeros (``0``, ``00000000-0000-0000-0000-000000000000``), or a
  word for nothing (``null``, ``none``, ``-1``) is **no identity**: the person is known by name.
- Any other id (a ``guid``, else an ``id``, else a ``code``) identifies a person **together
  with the name** the event gives: the same id under another name is another person, so every
  event keeps its own names. Each id that carries several names gets one note, naming them.
- The same name under different ids stays two people (two people may share a name); when they
  are in two events at once, a warning says the pair may be one person with two ids.

Names are compared without case and with runs of blanks as one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

_NOTHING = frozenset({"null", "none", "nil", "undefined", "nan", "-1", "n/a", "na"})
_ZEROS = re.compile(r"^[0\-]+$")


def name_key(name: str) -> str:
    """A name as it is compared: blanks collapsed, case folded."""
    return " ".join(name.split()).casefold()


def real_id(value: str | None) -> str | None:
    """The id stripped, or None when it identifies nobody (empty, zeros, a word for nothing)."""
    text = (value or "").strip()
    if not text or _ZEROS.match(text) or text.casefold() in _NOTHING:
        return None
    return text


def identity(guid: str | None, ident: str | None, code: str | None) -> tuple[str, str] | None:
    """The first real id of a person, with its kind (``guid``, ``id`` or ``code``)."""
    for kind, value in (("guid", guid), ("id", ident), ("code", code)):
        found = real_id(value)
        if found is not None:
            return kind, found
    return None


@dataclass
class Appearance:
    """A person in one event, for the reports on ids and names."""

    person: str
    """The programme's person id."""
    name: str
    identity: tuple[str, str] | None
    start: dt.datetime
    end: dt.datetime
    title: str
    line: int | None


@dataclass
class Identities:
    """Every appearance of every person in a file, and what they say about its ids."""

    appearances: list[Appearance] = field(default_factory=list)
    placeholders: int = 0
    """Persons whose file gave an id that identifies nobody (``0``...)."""
    placeholder_values: set[str] = field(default_factory=set)

    def ids_with_several_names(self) -> list[tuple[tuple[str, str], list[str], int | None]]:
        """(identity, its names in file order, line of its first use) for each id that carries
        more than one name."""
        names: dict[tuple[str, str], dict[str, str]] = {}
        lines: dict[tuple[str, str], int | None] = {}
        for seen in self.appearances:
            if seen.identity is None:
                continue
            names.setdefault(seen.identity, {}).setdefault(name_key(seen.name), seen.name)
            lines.setdefault(seen.identity, seen.line)
        return [
            (key, list(found.values()), lines[key])
            for key, found in names.items()
            if len(found) > 1
        ]

    def names_in_two_places(self) -> list[tuple[str, list[tuple[Appearance, Appearance]]]]:
        """For each name that more than one person (by id) carries: the pairs of their events
        that overlap in time, those people being different. Names with no such pair are left
        out."""
        by_name: dict[str, list[Appearance]] = {}
        for seen in self.appearances:
            by_name.setdefault(name_key(seen.name), []).append(seen)
        result = []
        for seen_list in by_name.values():
            if len({s.person for s in seen_list}) < 2:
                continue
            ordered = sorted(seen_list, key=lambda s: (s.start, s.end))
            pairs = []
            for k, first in enumerate(ordered):
                for second in ordered[k + 1 :]:
                    if second.start >= first.end:
                        break
                    if second.person != first.person:
                        pairs.append((first, second))
            if pairs:
                result.append((ordered[0].name, pairs))
        return result
