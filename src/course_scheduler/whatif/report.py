"""The outcome of one scenario, as a planner reads it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..compile import Problem
from ..diffing import ProgrammeDiff
from ..rules.base import Finding
from ..text import plural
from ..timetable import Shift, Timetable
from .scenario import Scenario

MINIMISED = (
    "fewest activities moved, moved to another day or venue, turned round or moved to another "
    "part of the day, then fewest minutes of time-of-day shift, then soft rules"
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
        proven = "" if self.status == "optimal" else " (not proven least disruptive)"
        return f"feasible: {self.moves_text()}{proven}"

    def moves_text(self) -> str:
        """ "3 activities move (1 to another day), 45 minutes in all; 2 change venue"."""
        moved, days, venues = self.moved, self.day_changes, self.venue_changes
        if not moved and not venues:
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
        else:
            parts.append(f"A timetable exists and {self.moves_text()}.")
            if self.status == "optimal":
                parts.append(f"This is proven to be the least disruptive repair ({MINIMISED}).")
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

    def table(self) -> str:
        """Activity | before | after, for everything that moved, changed venue or was dropped."""
        if self.diff is None:
            return ""
        rows = []
        for change in self.diff.changes:
            if change.changes == ("removed",) and change.activity not in self.removed:
                continue
            rows.append(
                (
                    change.activity,
                    change.old.when + _at(change.old) if change.old else "-",
                    change.new.when + _at(change.new) if change.new else "(dropped)",
                )
            )
        if not rows:
            return "(no activity moves)"
        head = ("activity", "before", "after")
        widths = [max(len(r[i]) for r in [*rows, head]) for i in range(3)]
        lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
        return "\n".join(line.rstrip() for line in lines)


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _at(version: Any) -> str:
    return f" @ {version.venue_name}" if version.venue_name else ""
