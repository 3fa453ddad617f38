"""The outcome of one scenario, as a planner reads it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..compile import Problem
from ..diffing import ProgrammeDiff
from ..rules.base import Finding
from ..timetable import Timetable
from .scenario import Scenario


@dataclass
class WhatIf:
    """The outcome of one scenario against the published timetable."""

    scenario: Scenario
    status: str
    problem: Problem
    reference: Problem
    timetable: Timetable | None
    moved: list[str]
    minutes: int
    removed: list[str]
    notes: list[str]
    diff: ProgrammeDiff | None
    warnings: list[Finding]
    reasons: list[str]
    seconds: float

    @property
    def feasible(self) -> bool:
        return self.timetable is not None

    def outcome(self) -> str:
        """One cell of a sweep matrix."""
        if self.timetable is None:
            if self.status == "infeasible":
                return "infeasible: " + ("; ".join(self.reasons[:2]) or "no timetable")
            return f"unknown ({self.status})"
        proven = "" if self.status == "optimal" else " (not proven minimal)"
        return f"feasible with {len(self.moved)} moves, {self.minutes} min{proven}"

    def summary(self) -> str:
        """A paragraph a planner reads first."""
        head = f"Scenario '{self.scenario.name}':"
        dropped = (
            f" {len(self.removed)} activities dropped ({', '.join(self.removed)})."
            if self.removed
            else ""
        )
        notes = "".join(f" {n}." for n in self.notes)
        if self.timetable is None:
            if self.status != "infeasible":
                return f"{head}{dropped}{notes} No timetable found within the time limit ({self.status})."
            return (
                f"{head}{dropped}{notes} No timetable can satisfy every hard rule; "
                "the rules that cannot hold together are listed below."
            )
        proven = (
            "This is proven to be the least disruptive repair."
            if self.status == "optimal"
            else "The time limit ran out before this could be proven the least disruptive repair."
        )
        moves = (
            "nothing else has to move"
            if not self.moved
            else f"{len(self.moved)} activities move by {self.minutes} minutes in all"
        )
        warnings = (
            f" {len(self.warnings)} soft rules are broken: "
            + "; ".join(w.message for w in self.warnings[:3])
            + ("..." if len(self.warnings) > 3 else "")
            + "."
            if self.warnings
            else ""
        )
        return f"{head}{dropped}{notes} A timetable exists and {moves}. {proven}{warnings}"

    def table(self) -> str:
        """Activity | before | after, for everything that moved or was dropped."""
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
        widths = [
            max(len(r[i]) for r in [*rows, ("activity", "before", "after")]) for i in range(3)
        ]
        lines = [
            "  ".join(
                h.ljust(w) for h, w in zip(("activity", "before", "after"), widths, strict=True)
            )
        ]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
        return "\n".join(lines)


def _at(version: Any) -> str:
    return f" @ {version.venue_name}" if version.venue_name else ""
