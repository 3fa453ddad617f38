"""What changed between two versions of a programme, activity by activity.

Each activity (bus rides included) is compared by id. An activity is *added* or *removed*, or
it changed in one or more ways: *moved* (its date or start time; being scheduled or unscheduled
counts as a move), *moved_venue*, *moved_room* (another room, by name: a room whose id alone
changed has not moved), *retimed* (its duration), *people* (who takes part). Times are
those the files state (``published_timetable``). The report reads as text, as Markdown for a
pull request, or as JSON.

A venue is the same place when its id is, or when it has the name of a venue the other
version no longer has under that id: an import of an export names the conference's venue
after the export's acronym, the same place under another id. Two venues of one name that
both versions have stay two places.

Two editions of a course (every day a year later, by the same number of days) are compared
by day of the edition and time of day: the report says "dates shifted by 364 days" once, and
an activity has moved only when its day of the edition or its time did.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .clock import format_clock, format_hhmm

if TYPE_CHECKING:
    import pandas as pd

    from .compile import Item, Problem
    from .model import Programme
    from .timetable import Placement, Timetable

CHANGE_KINDS = ("added", "removed", "moved", "moved_venue", "moved_room", "retimed", "people")
"""Every kind of change, in the order reports list them."""

_HEADINGS = {
    "added": "added",
    "removed": "removed",
    "moved": "moved in time",
    "moved_venue": "moved venue",
    "moved_room": "moved room",
    "retimed": "retimed",
    "people": "people changed",
}


@dataclass(frozen=True)
class Version:
    """One activity as one version of the programme has it."""

    title: str
    kind: str
    duration: int
    date: str | None
    start: int | None
    end: int | None
    venue: str | None
    venue_name: str | None
    people: tuple[str, ...]
    people_names: tuple[str, ...]
    day: int | None = None
    """Which day of the edition (0: its first), when it is placed."""
    room: str | None = None
    room_name: str | None = None

    @property
    def when(self) -> str:
        if self.date is None or self.start is None or self.end is None:
            return "unscheduled"
        from .exports import short_day

        date = dt.date.fromisoformat(self.date)
        day = f"{short_day(date)} {date.year}"
        return f"{day} {format_clock(self.start)}-{format_clock(self.end)}"

    @property
    def where(self) -> str:
        venue = self.venue_name or "no venue"
        return f"{venue}, {self.room_name}" if self.room_name else venue

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "kind": self.kind,
            "date": self.date,
            "start": None if self.start is None else format_hhmm(self.start),
            "end": None if self.end is None else format_hhmm(self.end),
            "duration": self.duration,
            "venue": self.venue,
            "venue_name": self.venue_name,
            "room": self.room,
            "room_name": self.room_name,
            "people": list(self.people),
            "people_names": list(self.people_names),
        }


@dataclass(frozen=True)
class ActivityChange:
    activity: str
    changes: tuple[str, ...]
    old: Version | None
    new: Version | None

    @property
    def title(self) -> str:
        version = self.new or self.old
        assert version is not None
        return version.title

    def details(self) -> list[str]:
        """One phrase per change, e.g. "moved: Wed 20 Nov 2024 9:30-9:45 → ... 9:45-10:00"."""
        old, new = self.old, self.new
        if new is not None and old is None:
            return [f"added: {new.when} at {new.where}"]
        if old is not None and new is None:
            return [f"removed: was {old.when} at {old.where}"]
        assert old is not None and new is not None
        phrases = []
        for change in self.changes:
            if change == "moved":
                phrases.append(f"moved: {old.when} → {new.when}")
            elif change == "moved_venue":
                before, after = old.venue_name or "no venue", new.venue_name or "no venue"
                phrases.append(f"moved venue: {before} → {after}")
            elif change == "moved_room":
                phrases.append(
                    f"moved room: {old.room_name or 'no room'} → {new.room_name or 'no room'}"
                )
            elif change == "retimed":
                now = "" if "moved" in self.changes else f" (now {new.when})"
                phrases.append(f"retimed: {old.duration} → {new.duration} minutes{now}")
            elif change == "people":
                gone = [
                    n
                    for p, n in zip(old.people, old.people_names, strict=True)
                    if p not in new.people
                ]
                came = [
                    n
                    for p, n in zip(new.people, new.people_names, strict=True)
                    if p not in old.people
                ]
                parts = [f"+{n}" for n in came] + [f"−{n}" for n in gone]
                phrases.append("people: " + ", ".join(parts))
        return phrases

    def as_dict(self) -> dict[str, Any]:
        return {
            "activity": self.activity,
            "title": self.title,
            "changes": list(self.changes),
            "details": self.details(),
            "old": None if self.old is None else self.old.as_dict(),
            "new": None if self.new is None else self.new.as_dict(),
        }


@dataclass
class ProgrammeDiff:
    old_name: str
    new_name: str
    changes: list[ActivityChange] = field(default_factory=list)
    timezone: str | None = None
    """The new version's time zone: the frame's times are in it."""

    def to_frame(self) -> pd.DataFrame:
        """One row per changed activity: the kinds of change (a list), both versions' start
        and end as aware date-times, venues and people (imports pandas)."""
        from .frames import diff_frame

        return diff_frame(self)

    shifted: int | None = None
    """Days every date moved by, when the two are editions of one course (every day moved by
    the same number of days): activities are then compared by day of the edition."""
    first_days: tuple[dt.date, dt.date] | None = None
    """The first day of each edition, when ``shifted``."""

    def shift_text(self) -> str:
        """ "dates shifted by 364 days (Mon 18 Nov 2024 → Mon 17 Nov 2025)"."""
        if self.shifted is None or self.first_days is None:
            return ""
        from .exports import short_day

        old, new = self.first_days
        return (
            f"dates shifted by {self.shifted} day{'s' if abs(self.shifted) != 1 else ''} "
            f"({short_day(old)} {old.year} → {short_day(new)} {new.year})"
        )

    def counts(self) -> dict[str, int]:
        return {kind: sum(kind in c.changes for c in self.changes) for kind in CHANGE_KINDS}

    def headline(self) -> str:
        """ "5 activities changed: 1 added, 4 modified (3 moved in time, 3 retimed)".

        The added, removed and modified counts add up to the total; the ways the modified ones
        changed may add up to more, since one activity can move and be retimed at once."""
        shift = self.shift_text()
        if not self.changes:
            return f"{shift}; no other changes" if shift else "no changes"
        if shift:
            return f"{shift}; {self._changed()}"
        return self._changed()

    def _changed(self) -> str:
        counts = self.counts()
        modified = sum(1 for c in self.changes if c.changes[0] not in ("added", "removed"))
        parts = [f"{counts[k]} {k}" for k in ("added", "removed") if counts[k]]
        if modified:
            ways = [k for k in CHANGE_KINDS[2:] if counts[k]]
            detail = ", ".join(f"{counts[k]} {_HEADINGS[k]}" for k in ways)
            several = sum(counts[k] for k in ways) > modified
            parts.append(
                f"{modified} modified ({detail}{'; some in more than one way' if several else ''})"
            )
        noun = "activity" if len(self.changes) == 1 else "activities"
        return f"{len(self.changes)} {noun} changed: {', '.join(parts)}"

    def summary(self) -> str:
        return f"{self.old_name} → {self.new_name}: {self.headline()}"

    def to_text(self) -> str:
        lines = [self.summary()]
        for change in self.changes:
            mark = {"added": "+", "removed": "-"}.get(change.changes[0], "~")
            lines.append(f"{mark} {change.activity}: {_one_line(change.title)}")
            lines.extend(f"    {phrase}" for phrase in change.details())
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        from .exports.markdown import code, escape, table

        lines = [
            f"### Programme changes: {code(self.old_name)} → {code(self.new_name)}",
            "",
        ]
        if not self.changes:
            return "\n".join([*lines, "No changes.", ""])
        lines += [escape(self.headline()), ""]
        rows = [
            [
                escape(", ".join(_HEADINGS[k] for k in change.changes)),
                f"{escape(change.title)} ({code(change.activity)})",
                escape(_side(change.old)),
                escape(_side(change.new)),
            ]
            for change in self.changes
        ]
        lines += table(["Change", "Activity", "Before", "After"], rows)
        lines.append("")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "old": self.old_name,
            "new": self.new_name,
            "shifted_days": self.shifted,
            "counts": self.counts(),
            "changes": [c.as_dict() for c in self.changes],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n"


def diff_programmes(
    old: Programme, new: Programme, *, old_name: str = "old", new_name: str = "new"
) -> ProgrammeDiff:
    """Compare two programmes by the times they state."""
    from .compile import compile_programme

    return diff_problems(
        compile_programme(old), compile_programme(new), old_name=old_name, new_name=new_name
    )


def diff_problems(
    old: Problem,
    new: Problem,
    *,
    old_name: str = "old",
    new_name: str = "new",
    old_times: Timetable | None = None,
    new_times: Timetable | None = None,
) -> ProgrammeDiff:
    """Compare two problems by the times their files state, or by the timetables given."""
    from .timetable import published_timetable

    old_times = old_times or published_timetable(old)
    new_times = new_times or published_timetable(new)
    old_items = {item.id: item for item in old.items}
    new_items = {item.id: item for item in new.items}
    shifted = edition_shift(old.dates, new.dates)
    renamed = _renamed_venues(old, new)
    changes: list[ActivityChange] = []
    old_rooms, new_rooms = _room_names(old), _room_names(new)
    for ident in dict.fromkeys([*old_items, *new_items]):
        before = (
            _version(old, old_items[ident], old_times.get(ident), old_rooms)
            if ident in old_items
            else None
        )
        after = (
            _version(new, new_items[ident], new_times.get(ident), new_rooms)
            if ident in new_items
            else None
        )
        kinds = _kinds(before, after, by_day=shifted is not None, renamed=renamed)
        if kinds:
            changes.append(ActivityChange(ident, kinds, before, after))
    changes.sort(key=_order)
    diff = ProgrammeDiff(
        old_name, new_name, changes, new.programme.course.timezone, shifted=shifted
    )
    if shifted is not None:
        diff.first_days = (min(old.dates), min(new.dates))
    return diff


def edition_shift(old: list[dt.date], new: list[dt.date]) -> int | None:
    """The days every date moved by, when two programmes are editions of one course: as
    many days, each moved by the same nonzero number of days. None otherwise."""
    if not old or len(old) != len(new):
        return None
    moves = {(b - a).days for a, b in zip(sorted(old), sorted(new), strict=True)}
    if len(moves) != 1:
        return None
    days = moves.pop()
    return days or None


def _version(
    problem: Problem, item: Item, placement: Placement | None, rooms: dict[str, str]
) -> Version:
    if placement is not None:
        venue: str | None = placement.venue
    else:
        venues = item.venues
        venue = venues[0] if len(venues) == 1 else None
    day = problem.day_of_date.get(placement.date) if placement is not None else None
    return Version(
        day=day,
        title=item.title,
        kind=item.kind,
        duration=item.duration,
        date=placement.date.isoformat() if placement else None,
        start=placement.start if placement else None,
        end=placement.end if placement else None,
        venue=venue,
        venue_name=problem.venues[venue].name if venue else None,
        room=placement.room if placement else None,
        room_name=rooms.get(placement.room, placement.room)
        if placement and placement.room
        else None,
        people=item.people,
        people_names=tuple(problem.people[p].name for p in item.people),
    )


def _room_names(problem: Problem) -> dict[str, str]:
    return {r.id: r.name for v in problem.venues.values() for r in v.rooms}


def _renamed_venues(old: Problem, new: Problem) -> set[tuple[str, str]]:
    """(old id, new id) of a venue that only the old version has and one of the same name
    that only the new one has: one place under a new id (see the module's docstring)."""
    gone = {v: old.venues[v].name for v in old.venues if v not in new.venues}
    came = {v: new.venues[v].name for v in new.venues if v not in old.venues}
    return {(a, b) for a, name in gone.items() for b, other in came.items() if name == other}


def _kinds(
    old: Version | None,
    new: Version | None,
    *,
    by_day: bool,
    renamed: Collection[tuple[str, str]] = (),
) -> tuple[str, ...]:
    if old is None and new is None:
        return ()
    if old is None:
        return ("added",)
    if new is None:
        return ("removed",)
    kinds = []
    when_old = (old.day if by_day else old.date, old.start)
    when_new = (new.day if by_day else new.date, new.start)
    if when_old != when_new:
        kinds.append("moved")
    if old.venue != new.venue and (old.venue, new.venue) not in renamed:
        kinds.append("moved_venue")
    if old.room_name != new.room_name and old.date is not None and new.date is not None:
        kinds.append("moved_room")
    if old.duration != new.duration:
        kinds.append("retimed")
    if set(old.people) != set(new.people):
        kinds.append("people")
    return tuple(kinds)


def _order(change: ActivityChange) -> tuple[bool, str, int, str]:
    """By the time the activity has now (or had), unscheduled last, then by id."""
    version = change.new if change.new is not None and change.new.date else change.old
    if version is None or version.date is None or version.start is None:
        return (True, "", 0, change.activity)
    return (False, version.date, version.start, change.activity)


def _side(version: Version | None) -> str:
    if version is None:
        return "—"
    people = f", with {', '.join(version.people_names)}" if version.people_names else ""
    return f"{version.when} at {version.where} ({version.duration} min{people})"


def _one_line(text: str) -> str:
    return " ".join(text.split())
