"""The outcome of one scenario, as a planner reads it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..clock import format_clock
from ..compile import Problem
from ..diffing import ProgrammeDiff
from ..model import Programme
from ..rules.base import Finding, day_label
from ..solver.budget import PhaseTime
from ..text import plural
from ..timetable import Placement, Shift, Timetable
from .scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

MINIMISED = (
    "fewest activities moved, moved to another day or venue, turned round or moved to another "
    "part of the day, or changing room (more for a room its track does not use), then the "
    "day's skeleton (meals at meal times, openers first, breaks apart, nothing after dinner), "
    "then the listed order, then fewest minutes of time-of-day shift, then soft rules"
)
"""What a repair minimises, in the words the summary uses (``solver.solve._objectives``)."""


@dataclass
class WhatIf:
    """The outcome of one scenario against the published timetable."""

    scenario: Scenario
    status: str
    problem: Problem
    reference: Problem
    timetable: Timetable | None
    shifts: list[Shift]
    """Every activity of the reference placed in the repair, moved or not."""
    removed: list[str]
    notes: list[str]
    diff: ProgrammeDiff | None
    warnings: list[Finding]
    reasons: list[str]
    seconds: float
    why_removed: dict[str, str] = field(default_factory=dict)
    attention: list[str] = field(default_factory=list)
    minimal: bool = True
    """The reasons were proven minimal (dropping any one makes the rest satisfiable)."""
    baseline_errors: int = 0
    """Hard rules the published timetable already breaks, before the scenario."""
    baseline_feasible: bool | None = None
    """Whether the programme without the scenario can be timetabled with the same freedom
    (only asked when the scenario's repair is infeasible)."""
    freedom: str | None = None
    """What a local repair let move, in a sentence (None: every activity may move)."""
    may_move: frozenset[str] = frozenset()
    """The activities the solve let move (in time; rooms too for those with a choice)."""
    new_errors: list[Finding] = field(default_factory=list)
    """Errors of the repair, checked against the scenario's programme, that the published
    timetable did not have (none, or the repair is not valid)."""
    kept_clashes: int = 0
    """How many errors of the published timetable the repair leaves as they were."""
    kept_errors: list[Finding] = field(default_factory=list)
    """Those errors (clashes, and what else the scenario does not reach), as the repair has
    them: word for word as in the published timetable."""
    programme: Programme | None = None
    """The scenario's programme (without the repair's own limits): what ``--out`` writes,
    with the repair's times."""
    label: str = "fewest moves"
    """Which of the alternatives a planner chooses between (``alternatives.py``)."""
    phases: dict[str, PhaseTime] = field(default_factory=dict)
    """Wall and CPU seconds of each step of the what-if (``timelimit.STEPS``, and ``solve``)."""
    stopped_at: str | None = None
    """The step at which the time limit ran out before any repair was in hand (the status is
    then ``unknown``); None when it did not."""

    def to_frame(self) -> pd.DataFrame:
        """One row per activity of the published timetable: moved or not, days and minutes
        moved, venue and room changes, before and after as aware date-times; activities the
        scenario removes have no after and give the reason (imports pandas)."""
        from ..frames import whatif_frame

        return whatif_frame(self)

    @property
    def valid(self) -> bool:
        """A timetable that adds no error to those the published timetable had."""
        return self.timetable is not None and not self.new_errors

    @property
    def feasible(self) -> bool:
        return self.timetable is not None

    @property
    def moved(self) -> list[str]:
        """Activities whose day or time of day changes (what the repair minimises)."""
        return sorted(s.activity for s in self.shifts if s.moved)

    @property
    def day_changes(self) -> list[str]:
        return sorted(s.activity for s in self.shifts if s.days)

    @property
    def venue_changes(self) -> list[str]:
        return sorted(s.activity for s in self.shifts if s.venue_changed)

    @property
    def room_changes(self) -> list[str]:
        """Activities in another room of the same venue."""
        return sorted(s.activity for s in self.shifts if s.room_changed and not s.venue_changed)

    @property
    def minutes(self) -> int:
        """Minutes of time-of-day shift over every moved activity."""
        return sum(s.minutes for s in self.shifts)

    def outcome(self) -> str:
        """One cell of a sweep matrix."""
        if self.timetable is None:
            if self.status == "infeasible":
                before = (
                    " (already without the scenario)" if self.baseline_feasible is False else ""
                )
                return f"infeasible{before}: " + ("; ".join(self.reasons[:2]) or "no timetable")
            return f"unknown ({self.status})"
        if not self.valid:
            return f"NOT VALID: {plural(len(self.new_errors), 'new error')}"
        proven = "" if self.status == "optimal" else " (not proven least disruptive)"
        return f"feasible: {self.moves_text()}{proven}"

    def moves_text(self) -> str:
        """ "3 activities move (1 to another day), 45 minutes in all; 2 change venue"."""
        moved, days, venues = self.moved, self.day_changes, self.venue_changes
        rooms = self.room_changes
        if not moved and not venues and not rooms:
            return "nothing else has to move"
        parts = []
        if moved:
            other_day = f" ({len(days)} to another day)" if days else ""
            verb = "moves" if len(moved) == 1 else "move"
            parts.append(
                f"{plural(len(moved), 'activity')} {verb}{other_day}, "
                f"{plural(self.minutes, 'minute')} in all"
            )
        if venues:
            verb = "changes" if len(venues) == 1 else "change"
            parts.append(f"{plural(len(venues), 'activity')} {verb} venue")
        if rooms:
            verb = "changes" if len(rooms) == 1 else "change"
            parts.append(f"{plural(len(rooms), 'activity')} {verb} room")
        return "; ".join(parts)

    def summary(self) -> str:
        """A paragraph a planner reads first."""
        parts = [f"Scenario '{self.scenario.name or 'unnamed'}':"]
        if self.baseline_errors:
            parts.append(
                f"Before the scenario, the published timetable already breaks "
                f"{plural(self.baseline_errors, 'hard rule')} ('course-scheduler check' lists them)."
            )
        if self.removed:
            reasons = ", ".join(
                f"{ident} ({self.why_removed[ident]})" if ident in self.why_removed else ident
                for ident in self.removed
            )
            verb = "is" if len(self.removed) == 1 else "are"
            parts.append(f"{plural(len(self.removed), 'activity')} {verb} dropped: {reasons}.")
        parts.extend(f"{_sentence(n)}" for n in self.notes)
        if self.freedom is not None:
            parts.append(self.freedom)
        if self.timetable is None:
            if self.status != "infeasible":
                parts.append(f"No timetable found within the time limit ({self.status}).")
            elif self.baseline_feasible is False:
                parts.append(
                    "No timetable can satisfy every hard rule, and none could before the "
                    "scenario either: the programme itself cannot be timetabled with this "
                    "freedom, whatever the scenario changes. The rules that cannot hold "
                    "together are listed below."
                )
            else:
                minimal = "" if self.minimal else " (a set that cannot hold, not proven minimal)"
                parts.append(
                    "No timetable can satisfy every hard rule; the rules that cannot hold "
                    f"together are listed below{minimal}."
                )
        elif not self.valid:
            shown = "; ".join(f.message for f in self.new_errors[:3])
            parts.append(
                f"The solver's timetable is NOT a valid repair: checked against the programme's "
                f"rules it has {plural(len(self.new_errors), 'error')} the published timetable "
                f"did not have ({shown}). Please report this."
            )
        else:
            parts.append(f"A timetable exists and {self.moves_text()}.")
            if self.kept_errors or self.kept_clashes:
                parts.append(self.kept_text())
            within = " among those that move only these" if self.freedom else ""
            if self.status == "optimal":
                parts.append(
                    f"This is proven to be the least disruptive repair{within} ({MINIMISED})."
                )
            else:
                parts.append(
                    "The time limit ran out before this could be proven the least disruptive "
                    "repair."
                )
            if self.warnings:
                verb = "is" if len(self.warnings) == 1 else "are"
                shown = "; ".join(w.message for w in self.warnings[:3])
                more = "..." if len(self.warnings) > 3 else ""
                parts.append(
                    f"{plural(len(self.warnings), 'soft rule finding')} {verb} left: {shown}{more}."
                )
        if self.attention:
            parts.append("Please check: " + "; ".join(self.attention) + ".")
        return " ".join(parts)

    def __repr__(self) -> str:
        """The outcome in a line, then what moves (or why no repair exists)."""
        from ..display import text_lines

        head = f"<WhatIf '{self.scenario.name or 'unnamed'}': {self.outcome()}>"
        lines = self.table().splitlines() if self.timetable is not None else self.reasons
        return text_lines(head, lines)

    def _repr_html_(self) -> str:
        """The summary, then the table of moves or the reasons (for Jupyter)."""
        from ..display import html_block

        return html_block(
            f"What if: {self.scenario.name or 'unnamed'}",
            paragraphs=[self.summary()],
            items=self.reasons if self.timetable is None else (),
            pre=self.table(),
        )

    def kept_text(self) -> str:
        """ "It keeps 4 errors of the published timetable exactly as published (2 clashes;
        transport-windows: d3-networking; ...), and adds none." """
        kept = self.kept_errors
        clashes = [f for f in kept if f.kind == "no_overlap"]
        others = [f for f in kept if f.kind != "no_overlap"]
        if not others:
            count = len(clashes) or self.kept_clashes
            return (
                f"It keeps {plural(count, 'clash', 'clashes')} of the published timetable as "
                "published, and adds none."
            )
        words = [plural(len(clashes), "clash", "clashes")] if clashes else []
        words += [f"{f.rule}: {', '.join(f.activities)}" for f in others]
        return (
            f"It keeps {plural(len(kept), 'error')} of the published timetable exactly as "
            f"published ({'; '.join(words)}), and adds none ('--repair-published' repairs "
            "them too)."
        )

    def table(self) -> str:
        """Activity | before | after, for everything that moved, changed venue or room, or was
        dropped or added."""
        if self.diff is None or self.timetable is None:
            return ""
        rows: list[tuple[str, str, str, str]] = []
        moving = {s.activity: s for s in self.shifts if s.moved or s.venue_changed}
        moving.update({s.activity: s for s in self.shifts if s.room_changed})
        for change in self.diff.changes:
            if change.old is None or change.new is None:
                if change.changes == ("removed",) and change.activity not in self.removed:
                    continue
                before = change.old.when + _at(change.old) if change.old else "-"
                after = change.new.when + _at(change.new) if change.new else "(dropped)"
                rows.append((change.title, change.activity, before, after))
        placed = sorted(moving.values(), key=lambda s: (s.new, s.activity))
        for shift in placed:
            title = self.problem.item(shift.activity).title
            rows.append((title, shift.activity, self._where(shift.old), self._where(shift.new)))
        if not rows:
            return "(no activity moves)"
        lines = [("activity", "title", "before", "after")]
        lines += [(ident, _short(title), a, b) for title, ident, a, b in rows]
        widths = [max(len(r[i]) for r in lines) for i in range(4)]
        text = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in lines]
        return "\n".join(line.rstrip() for line in text)

    def _where(self, placement: Placement) -> str:
        """ "Sat 28 Dec 2024 16:00-18:00 @ 38C3, Saal 1"."""
        problem = self.problem
        text = f"{day_label(placement.date)} {format_clock(placement.start)}-"
        text += format_clock(placement.end)
        if placement.venue is not None:
            text += f" @ {problem.venues[placement.venue].name}"
        if placement.room is not None:
            text += f", {self._room_names.get(placement.room, placement.room)}"
        return text

    @property
    def _room_names(self) -> dict[str, str]:
        return {r.id: r.name for v in self.reference.programme.venues for r in v.rooms}


def _short(title: str) -> str:
    return title if len(title) <= 40 else title[:37].rstrip() + "..."


def _sentence(text: str) -> str:
    """A note as a sentence: its first word capitalised, unless it is an identifier
    (``event-67179da4...``, ``niang-sylla``), which is written as it is."""
    text = text.strip()
    if text.split(" ", 1)[0].isalpha():
        text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _at(version: Any) -> str:
    return f" @ {version.venue_name}" if version.venue_name else ""
