"""PNG: a week view. Days are columns, time runs down, each activity is a block coloured by kind.

Activities that overlap share their column side by side. A strip at the left of each column
shows the venue (one colour per venue, in the legend) and a dashed line with an arrow marks the
moment the group changes place; bus rides are hatched. Drawn with matplotlib's Agg canvas
directly (no pyplot, so no global state and no display needed); user text is drawn with
mathtext off, so a ``$`` in a title stays a dollar sign.
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING, Any

from . import ink, kind_colour, kind_label, short_day

if TYPE_CHECKING:
    from ..compile import Problem
    from ..timetable import Placement, Timetable

VENUE_COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
STRIP = 0.07
"""Width of the venue strip, in day columns."""
GAP = 0.04
FONT = 6.0
DPI = 150


def render(problem: Problem, timetable: Timetable, *, person: str | None = None) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle

    placements = list(timetable)
    dates = problem.dates
    top, bottom = _hours(problem, placements)
    column_inches = 2.3
    figure = Figure(figsize=(1.0 + column_inches * len(dates), 11.0), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes(
        (0.6 / figure.get_figwidth(), 0.13, 1 - 0.8 / figure.get_figwidth(), 0.77)
    )
    axes.set_xlim(0, len(dates))
    axes.set_ylim(bottom, top)
    axes.set_yticks(range(top, bottom + 1, 60))
    axes.set_yticklabels([f"{m // 60}:00" for m in range(top, bottom + 1, 60)], fontsize=7)
    axes.grid(axis="y", color="#e0e0e0", linewidth=0.5)
    axes.set_axisbelow(True)
    axes.xaxis.tick_top()
    axes.set_xticks([i + 0.5 for i in range(len(dates))])
    labels = []
    for index, date in enumerate(dates):
        theme = problem.programme.days[index].theme or ""
        labels.append("\n".join([short_day(date), *textwrap.wrap(theme, 30)[:2]]))
    axes.set_xticklabels(labels, fontsize=7)
    for label in axes.get_xticklabels():
        label.set_parse_math(False)
    axes.tick_params(axis="x", length=0)
    for boundary in range(1, len(dates)):
        axes.axvline(boundary, color="#9e9e9e", linewidth=0.6)
    venues = _venue_colours(placements)
    points_per_minute = 0.77 * 11.0 * 72 / max(bottom - top, 1)
    for index, date in enumerate(dates):
        todays = [p for p in placements if p.date == date]
        for placement, lane, lanes in _lanes(todays):
            item = problem.item(placement.activity)
            if placement.venue is not None:
                axes.add_patch(
                    Rectangle(
                        (index + GAP / 2, placement.start),
                        STRIP - GAP / 2,
                        placement.minutes,
                        facecolor=venues[placement.venue],
                        edgecolor="none",
                    )
                )
            width = (1 - STRIP - GAP) / lanes
            x = index + STRIP + lane * width
            colour = kind_colour(problem, item.kind)
            block = Rectangle(
                (x, placement.start),
                width,
                placement.minutes,
                facecolor=colour,
                edgecolor="#ffffff" if item.ride is None else "#222222",
                linewidth=0.6,
                hatch="////" if item.ride is not None else None,
            )
            axes.add_patch(block)
            _label(axes, problem, placement, block, x, width * column_inches, points_per_minute)
        _venue_changes(axes, problem, todays, index, venues)
    title = problem.programme.course.title
    if person is not None:
        title += f": {problem.people[person].name}"
    figure.suptitle(title, fontsize=11, y=0.985, parse_math=False)
    used = sorted({problem.item(p.activity).kind for p in placements}, key=str)
    kind_handles = [
        Patch(
            facecolor=kind_colour(problem, k),
            edgecolor="#222222" if k == "transport" else "#bdbdbd",
            hatch="////" if k == "transport" else None,
            label=kind_label(k),
        )
        for k in used
    ]
    venue_handles = [
        Patch(facecolor=colour, label=problem.venues[v].name) for v, colour in venues.items()
    ]
    for handles, title_text, anchor in (
        (kind_handles, "Kinds", (0.0, 0.0)),
        (venue_handles, "Venues (left strip)", (0.55, 0.0)),
    ):
        if not handles:
            continue
        legend = figure.legend(
            handles=handles,
            title=title_text,
            loc="lower left",
            bbox_to_anchor=anchor,
            ncol=3 if title_text == "Kinds" else 1,
            fontsize=6.5,
            title_fontsize=7,
            frameon=False,
        )
        for text in legend.get_texts():
            text.set_parse_math(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _hours(problem: Problem, placements: list[Placement]) -> tuple[int, int]:
    """Whole hours around everything placed (the day windows when nothing is)."""
    starts = [p.start for p in placements] or [w[0] for w in problem.day_windows]
    ends = [p.end for p in placements] or [w[1] for w in problem.day_windows]
    top = min(starts) // 60 * 60
    bottom = -(-max(ends) // 60) * 60
    return top, max(bottom, top + 60)


def _lanes(placements: list[Placement]) -> list[tuple[Placement, int, int]]:
    """Each placement with its lane and the number of lanes of its overlapping cluster."""
    result: list[tuple[Placement, int, int]] = []
    cluster: list[tuple[Placement, int]] = []
    lane_ends: list[int] = []
    cluster_end = -1
    for placement in sorted(placements, key=lambda p: (p.start, -p.end, p.activity)):
        if cluster and placement.start >= cluster_end:
            result.extend((p, lane, len(lane_ends)) for p, lane in cluster)
            cluster, lane_ends = [], []
        lane = next((i for i, end in enumerate(lane_ends) if end <= placement.start), None)
        if lane is None:
            lane = len(lane_ends)
            lane_ends.append(placement.end)
        else:
            lane_ends[lane] = placement.end
        cluster.append((placement, lane))
        cluster_end = max(cluster_end, placement.end)
    result.extend((p, lane, len(lane_ends)) for p, lane in cluster)
    return result


def _venue_colours(placements: list[Placement]) -> dict[str, str]:
    colours: dict[str, str] = {}
    for placement in placements:
        if placement.venue is not None and placement.venue not in colours:
            colours[placement.venue] = VENUE_COLOURS[len(colours) % len(VENUE_COLOURS)]
    return colours


def _label(
    axes: Any,
    problem: Problem,
    placement: Placement,
    block: Any,
    x: float,
    width_inches: float,
    points_per_minute: float,
) -> None:
    """Start time and title, wrapped to the block and clipped to it."""
    from ..clock import format_clock

    item = problem.item(placement.activity)
    height_points = placement.minutes * points_per_minute
    max_lines = int((height_points - 1) // (FONT * 1.15))
    if max_lines < 1:
        return
    chars = max(int(width_inches * 72 / (FONT * 0.58)), 4)
    title = " ".join(item.title.split())
    lines = textwrap.wrap(f"{format_clock(placement.start)} {title}", chars)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = textwrap.shorten(lines[-1] + " …", chars, placeholder=" …")
    text = axes.text(
        x + 0.015,
        placement.start + 0.5,
        "\n".join(lines),
        fontsize=FONT,
        va="top",
        ha="left",
        color=ink(kind_colour(problem, item.kind)),
        linespacing=1.05,
        parse_math=False,
        bbox=None
        if item.ride is None
        else {"facecolor": "#636363", "edgecolor": "none", "pad": 0.5},
    )
    text.set_clip_path(block)


def _venue_changes(
    axes: Any, problem: Problem, placements: list[Placement], column: int, venues: dict[str, str]
) -> None:
    """A dashed line and "→ venue" where the group's place differs from the one before."""
    previous: str | None = None
    for placement in sorted(placements, key=lambda p: (p.start, p.end)):
        if placement.venue is None:
            continue
        if previous is not None and placement.venue != previous:
            axes.plot(
                [column + 0.005, column + 0.995],
                [placement.start, placement.start],
                linestyle=(0, (3, 2)),
                linewidth=0.8,
                color=venues[placement.venue],
            )
            axes.text(
                column + 0.995,
                placement.start - 1,
                "→ " + problem.venues[placement.venue].name,
                fontsize=5.2,
                ha="right",
                va="bottom",
                color="#333333",
                style="italic",
                parse_math=False,
                bbox={"facecolor": "#ffffff", "edgecolor": "none", "alpha": 0.8, "pad": 0.4},
            )
        previous = placement.venue
