"""What one version of a programme adds to the findings of another, and what it fixes.

A CI run should speak about the edit, not repeat every finding the programme already had. Two
findings are the same when they have the same *fingerprint*: the rule (id and kind), the level,
the activities involved (sorted: their order follows their times), the date, and the meaning of
the sentence. The meaning is the message with what an unrelated edit shifts masked out: clock
times, numbers, day labels, quoted activity titles, and the names of people, groups, venues,
rooms and transport legs. Line numbers are not part of it (every edit above a finding moves
them), nor the file name (the old version may come from git).

Findings are matched as multisets: two findings with one fingerprint in the old version and
three in the new one leave one added. Within a fingerprint, findings with the very same text are
paired first, so the one reported as added is the one whose sentence is new.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from .rules.base import Finding, Level

if TYPE_CHECKING:
    from .model import Programme

_QUOTED = re.compile(r"'[^']*'")
_DAY = re.compile(
    r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} "
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?: \d{4})?\b"
)
_NUMBER = re.compile(r"\d+")


class Fingerprint(NamedTuple):
    rule: str
    kind: str
    level: str
    activities: tuple[str, ...]
    date: str | None
    meaning: str

    def digest(self, occurrence: int = 0) -> str:
        """A short stable hash, e.g. for SARIF's ``partialFingerprints``; ``occurrence``
        tells apart findings that share a fingerprint."""
        parts = (self.rule, self.kind, self.level, ",".join(self.activities), self.date or "")
        text = "\x1f".join((*parts, self.meaning, str(occurrence)))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class Masker:
    """Masks the parts of a finding's sentence that move with unrelated edits."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        words = sorted({n for n in names if n.strip()}, key=lambda n: (-len(n), n))
        self._names = re.compile("|".join(map(re.escape, words))) if words else None

    def meaning(self, message: str) -> str:
        text = self._names.sub("<name>", message) if self._names else message
        text = _QUOTED.sub("<title>", text)
        text = _DAY.sub("<day>", text)
        return _NUMBER.sub("#", text)

    def fingerprint(self, finding: Finding) -> Fingerprint:
        return Fingerprint(
            rule=finding.rule,
            kind=finding.kind,
            level=finding.level.value,
            activities=tuple(sorted(finding.activities)),
            date=finding.date.isoformat() if finding.date else None,
            meaning=self.meaning(finding.message),
        )


def programme_names(programme: Programme) -> set[str]:
    """Names a finding's sentence may quote unmasked: people, groups, venues, rooms, legs."""
    names = {p.name for p in programme.people} | {g.name for g in programme.groups}
    for venue in programme.venues:
        names.add(venue.name)
        names.update(room.name for room in venue.rooms)
    names.update(leg.title for leg in programme.transport)
    return names


@dataclass(frozen=True)
class Comparison:
    """The findings of a new version against those of an old one."""

    added: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    unchanged: int

    @property
    def ok(self) -> bool:
        """No error that the old version did not have already."""
        return not any(f.level == Level.ERROR for f in self.added)

    def counts(self) -> dict[str, int]:
        """Added findings by level."""
        return {level.value: sum(f.level == level for f in self.added) for level in Level}

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": [f.as_dict() for f in self.added],
            "fixed": [f.as_dict() for f in self.fixed],
            "unchanged": self.unchanged,
        }


def compare(
    old: Sequence[Finding], new: Sequence[Finding], *, names: Iterable[str] = ()
) -> Comparison:
    """Match ``new`` against ``old`` by fingerprint; ``names`` (see ``programme_names``, of
    both versions) are masked in the sentences. Added findings keep the order of ``new``,
    fixed ones the order of ``old``."""
    masker = Masker(names)
    groups: dict[Fingerprint, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for index, finding in enumerate(old):
        groups[masker.fingerprint(finding)][0].append(index)
    for index, finding in enumerate(new):
        groups[masker.fingerprint(finding)][1].append(index)
    added: list[int] = []
    fixed: list[int] = []
    unchanged = 0
    for olds, news in groups.values():
        left_old, left_new = _pair_same_text(olds, news, old, new)
        paired = min(len(left_old), len(left_new))
        unchanged += len(news) - len(left_new) + paired
        added.extend(left_new[paired:])
        fixed.extend(left_old[paired:])
    return Comparison(
        added=tuple(new[i] for i in sorted(added)),
        fixed=tuple(old[i] for i in sorted(fixed)),
        unchanged=unchanged,
    )


def _pair_same_text(
    olds: list[int], news: list[int], old: Sequence[Finding], new: Sequence[Finding]
) -> tuple[list[int], list[int]]:
    """Pair findings whose messages are identical; return what is left on each side."""
    waiting: dict[str, list[int]] = defaultdict(list)
    for i in olds:
        waiting[old[i].message].append(i)
    left_new = []
    for j in news:
        same = waiting.get(new[j].message)
        if same:
            same.pop(0)
        else:
            left_new.append(j)
    left_old = sorted(i for remaining in waiting.values() for i in remaining)
    return left_old, left_new
