"""Long lists of names that thousands of activities repeat, each distinct list read once.

A conference's talks each list their candidate rooms: hundreds of names, a few hundred
distinct lists among ten thousand talks, and every list its own object. The rooms grow with
the talks, so the names of all lists grow nearly as the talks squared (16 million names at
10,000 talks of the odd 38C3 shape against 230,000 at 1,000). Both readings of a programme
(the cross-checks and compile) must tell which lists are equal; copying and hashing each list,
or adding its names to a set, cost a pass over its names of several nanoseconds a name, and
remembering only the last few lists read misses nearly every time when the lists are not in
order. Here a list is matched by its length and a sample of its names, then confirmed by one
comparison with the list it seems to equal (its names the same objects: pointers compared);
only a list with no match is copied and hashed. The lists of one programme are read once:
what the cross-checks find, compile looks up by the list object itself.
"""

from __future__ import annotations

from collections.abc import Sequence

SAMPLE = 32
"""Names sampled, evenly spaced, to tell lists of one length apart without reading them."""
ALIKE = 4
"""Lists kept per sample: beyond that a list is hashed whole (lists that differ only
between the sampled names cost at most as many comparisons as before)."""


class SameLists:
    """The one tuple of every list of names equal to another: equal lists share it."""

    def __init__(self) -> None:
        self._alike: dict[tuple[object, ...], list[tuple[Sequence[str], tuple[str, ...]]]] = {}
        self._whole: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._read: dict[int, tuple[Sequence[str], tuple[str, ...]]] = {}
        """By the list object's id: the list (kept, so its id stays its own) and its tuple."""

    def shared(self, listed: Sequence[str]) -> tuple[str, ...]:
        """The tuple of ``listed``: the same object for every list equal to it."""
        read = self._read.get(id(listed))
        if read is not None and read[0] is listed:
            return read[1]
        size = len(listed)
        key = (size, *listed[:: size // SAMPLE or 1])
        alike = self._alike.get(key)
        if alike is None:
            alike = self._alike[key] = []
        for known, shared in alike:
            if known == listed:
                found = shared
                break
        else:
            found = self.one(tuple(listed))
            if len(alike) < ALIKE:
                alike.append((listed, found))
        self._read[id(listed)] = (listed, found)
        return found

    def one(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """The tuple equal to ``names`` already handed out, else ``names`` itself."""
        return self._whole.setdefault(names, names)

    def distinct(self) -> list[tuple[str, ...]]:
        """Every distinct list handed out so far."""
        return list(self._whole.values())
