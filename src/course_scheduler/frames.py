"""pandas views of the results: a timetable, a check report, a what-if, a sweep, a diff.

Typed columns, so a notebook can compute on them without parsing text: ``start`` and ``end``
are time-zone-aware date-times in the programme's own zone (the same instants the calendar
export gives), people are lists of names, kinds and levels are categories, counts are integers
and flags booleans. pandas is imported here only, when a frame is asked for: nothing on the
``check`` path loads it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from .checking import Report
    from .compile import Problem
    from .diffing import ProgrammeDiff, Version
    from .timetable import Placement, Timetable
    from .whatif.report import WhatIf
    from .whatif.sweep import Outcome

TIMETABLE_COLUMNS = (
    "date",
    "start",
    "end",
    "title",
    "kind",
    "venue",
    "people",
    "id",
    "room",
    "minutes",
)
"""The columns of ``show --format csv`` (typed), then the length in minutes."""


def moment(date: dt.date, minutes: int, timezone: str) -> dt.datetime:
    """The aware local date-time ``minutes`` after midnight on ``date`` (24:00 is the next
    day): the reading ``exports.local_datetime`` gives calendars."""
    from zoneinfo import ZoneInfo

    midnight = dt.datetime.combine(date, dt.time(0, 0))
    return (midnight + dt.timedelta(minutes=minutes)).replace(tzinfo=ZoneInfo(timezone))


def _times(values: Sequence[dt.datetime | None], timezone: str) -> pd.Series:
    import pandas as pd

    stamps = [pd.NaT if v is None else pd.Timestamp(v) for v in values]
    return pd.Series(stamps, dtype=f"datetime64[ns, {timezone}]")


def _category(values: Sequence[str | None], categories: Iterable[str] | None = None) -> pd.Series:
    import pandas as pd

    known = list(dict.fromkeys(categories if categories is not None else []))
    known += [v for v in dict.fromkeys(values) if v is not None and v not in known]
    return pd.Series(list(values), dtype=pd.CategoricalDtype(known))


def _frame(columns: dict[str, Any]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        {
            name: pd.Series(values) if isinstance(values, list) else values
            for name, values in columns.items()
        }
    )


def timetable_frame(problem: Problem, timetable: Timetable) -> pd.DataFrame:
    """One row per placed activity, in time order (``Timetable.to_frame``)."""
    zone = problem.programme.course.timezone
    rows = list(timetable)
    items = [problem.item(p.activity) for p in rows]
    return _frame(
        {
            "date": [p.date for p in rows],
            "start": _times([moment(p.date, p.start, zone) for p in rows], zone),
            "end": _times([moment(p.date, p.end, zone) for p in rows], zone),
            "title": [i.title for i in items],
            "kind": _category([i.kind for i in items]),
            "venue": [problem.venues[p.venue].name if p.venue else None for p in rows],
            "people": [[problem.people[x].name for x in i.people] for i in items],
            "id": [p.activity for p in rows],
            "room": [p.room for p in rows],
            "minutes": _ints([p.minutes for p in rows]),
        }
    )


def _ints(values: Sequence[int | None]) -> pd.Series:
    import pandas as pd

    if any(v is None for v in values):
        return pd.Series(values, dtype="Int64")
    return pd.Series(values, dtype="int64")


def report_frame(report: Report) -> pd.DataFrame:
    """One row per finding, in the report's order (``Report.to_frame``); against a baseline,
    first a column ``added``: whether the edit adds it."""
    from .rules.base import Level

    zone = report.timezone or "UTC"
    found = report.findings

    def at(date: dt.date | None, minutes: int | None) -> dt.datetime | None:
        return None if date is None or minutes is None else moment(date, minutes, zone)

    added: dict[str, list[bool]] = {}
    if report.comparison is not None:  # against a baseline: which findings the edit adds
        new = {id(f) for f in report.comparison.added}
        added["added"] = [id(f) in new for f in found]
    return _frame(
        {
            **added,
            "level": _category([f.level.value for f in found], [level.value for level in Level]),
            "rule": [f.rule for f in found],
            "kind": _category([f.kind for f in found]),
            "message": [f.message for f in found],
            "date": [f.date for f in found],
            "start": _times([at(f.date, f.start) for f in found], zone),
            "end": _times([at(f.date, f.end) for f in found], zone),
            "limit": _ints([f.limit for f in found]),
            "actual": _ints([f.actual for f in found]),
            "unit": [f.unit for f in found],
            "activities": [list(f.activities) for f in found],
            "groups": [list(f.groups) for f in found],
            "weight": _ints([f.weight for f in found]),
            "file": [f.file for f in found],
            "line": _ints([f.line for f in found]),
        }
    )


def whatif_frame(result: WhatIf) -> pd.DataFrame:
    """One row per activity of the published timetable: where it was, where the repair puts
    it, what changed; activities the scenario removes have no "after" and say why."""
    zone = result.reference.programme.course.timezone
    rows: list[tuple[str, Placement | None, Placement | None]] = []
    placed = {s.activity for s in result.shifts}
    rows += [(s.activity, s.old, s.new) for s in result.shifts]
    from .timetable import published_timetable

    before = published_timetable(result.reference)
    rows += [(ident, before.get(ident), None) for ident in result.removed if ident not in placed]

    def item_title(ident: str) -> str:
        index = result.reference.index.get(ident)
        return result.reference.items[index].title if index is not None else ident

    def at(p: Placement | None, end: bool) -> dt.datetime | None:
        return None if p is None else moment(p.date, p.end if end else p.start, zone)

    def venue(p: Placement | None) -> str | None:
        if p is None or p.venue is None:
            return None
        known = result.reference.venues.get(p.venue) or result.problem.venues.get(p.venue)
        return known.name if known is not None else p.venue

    shifts = {s.activity: s for s in result.shifts}
    return _frame(
        {
            "id": [r[0] for r in rows],
            "title": [item_title(r[0]) for r in rows],
            "moved": [bool(shifts[r[0]].moved) if r[0] in shifts else False for r in rows],
            "days": _ints([shifts[r[0]].days if r[0] in shifts else 0 for r in rows]),
            "minutes": _ints([shifts[r[0]].minutes if r[0] in shifts else 0 for r in rows]),
            "venue_changed": [
                shifts[r[0]].venue_changed if r[0] in shifts else False for r in rows
            ],
            "room_changed": [shifts[r[0]].room_changed if r[0] in shifts else False for r in rows],
            "removed": [r[2] is None for r in rows],
            "reason": [result.why_removed.get(r[0]) for r in rows],
            "before_start": _times([at(r[1], False) for r in rows], zone),
            "before_end": _times([at(r[1], True) for r in rows], zone),
            "after_start": _times([at(r[2], False) for r in rows], zone),
            "after_end": _times([at(r[2], True) for r in rows], zone),
            "before_venue": [venue(r[1]) for r in rows],
            "after_venue": [venue(r[2]) for r in rows],
            "before_room": [r[1].room if r[1] is not None else None for r in rows],
            "after_room": [r[2].room if r[2] is not None else None for r in rows],
        }
    )


def sweep_frame(outcomes: Sequence[Outcome]) -> pd.DataFrame:
    """One row per scenario of a sweep: feasible, moved, minutes moved, reasons."""
    return _frame(
        {
            "scenario": [o.scenario for o in outcomes],
            "feasible": pd_bool([o.feasible for o in outcomes]),
            "status": _category([o.status for o in outcomes]),
            "moved": _ints([o.moves for o in outcomes]),
            "minutes": _ints([o.minutes for o in outcomes]),
            "reasons": [list(o.reasons) for o in outcomes],
            "outcome": [o.text for o in outcomes],
        }
    )


def pd_bool(values: Sequence[bool]) -> pd.Series:
    import pandas as pd

    return pd.Series(values, dtype="bool")


def diff_frame(diff: ProgrammeDiff) -> pd.DataFrame:
    """One row per changed activity: the ways it changed and both versions' times and places."""
    zone = diff.timezone or "UTC"
    changes = diff.changes

    def at(version: Version | None, end: bool) -> dt.datetime | None:
        if version is None or version.date is None:
            return None
        minutes = version.end if end else version.start
        if minutes is None:
            return None
        return moment(dt.date.fromisoformat(version.date), minutes, zone)

    return _frame(
        {
            "id": [c.activity for c in changes],
            "title": [c.title for c in changes],
            "changes": [list(c.changes) for c in changes],
            "old_start": _times([at(c.old, False) for c in changes], zone),
            "old_end": _times([at(c.old, True) for c in changes], zone),
            "new_start": _times([at(c.new, False) for c in changes], zone),
            "new_end": _times([at(c.new, True) for c in changes], zone),
            "old_venue": [c.old.venue_name if c.old else None for c in changes],
            "new_venue": [c.new.venue_name if c.new else None for c in changes],
            "old_room": [c.old.room_name if c.old else None for c in changes],
            "new_room": [c.new.room_name if c.new else None for c in changes],
            "old_people": [list(c.old.people_names) if c.old else None for c in changes],
            "new_people": [list(c.new.people_names) if c.new else None for c in changes],
            "details": [c.details() for c in changes],
        }
    )
