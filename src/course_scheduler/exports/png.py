"""PNG: a week view. Days are columns, time runs down, each activity is a block coloured by kind.

Activities that overlap share their column side by side. A strip at the left of each column
shows the venue, in colours chosen far from every kind's colour (the legend names them), and
a dashed line marks the moment the group changes place, the first block there saying where
("→ venue"); bus rides are hatched. A block that depends on someone still to be confirmed has a
dashed outline and says "TBC". Each label gives the start and end time, then the title, wrapped
to its block and measured after drawing: lines are dropped or shortened until the text lies
inside its block, so no label runs over another or past the frame (a block too small for one
line gets none). Drawn with matplotlib's Agg canvas directly (no pyplot, so no global state and
no display needed); user text is drawn with mathtext off, so a ``$`` in a title stays a dollar
sign.
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING, Any

from ..model import Status
from . import ink, kind_colour, kind_title, participants, short_day
from .fonts import fonts_for, say_missing

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..compile import Problem
    from ..timetable import Placement, Timetable

VENUE_COLOURS = (
    "#f032e6",
    "#ffff33",
    "#00ffff",
    "#000075",
    "#8e0152",
    "#808000",
    "#bfef45",
    "#000000",
    "#543005",
    "#40004b",
)
"""Venue strips: magenta, yellow, cyan, navy, wine, olive, lime, black, brown, aubergine, each at
least 30 (CIE76 ΔE) from every kind's colour, so a strip is never read as a kind."""
STRIP = 0.07
"""Width of the venue strip, in day columns."""
GAP = 0.04
FONT = 6.0
DPI = 150
PAD = 2.0
"""Pixels between a label and the edge of its block."""


def render(problem: Problem, timetable: Timetable, *, person: str | None = None) -> bytes:
    """The PNG's bytes, drawn with fonts that have every character of its text where one is
    installed (``fonts``); what none has is said once (``MissingGlyphsWarning``)."""
    with fonts_for(drawn_text(problem, timetable, person)) as lacking:
        figure = week_figure(problem, timetable, person=person)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    say_missing(lacking)
    return buffer.getvalue()


def drawn_text(problem: Problem, timetable: Timetable, person: str | None = None) -> str:
    """Every text the week view may draw: titles, themes, kinds, venues, names, its signs."""
    placed = [problem.item(p.activity) for p in timetable]
    texts = [problem.programme.course.title, "→–… TBC: someone to be confirmed"]
    texts += [day.theme or "" for day in problem.programme.days]
    texts += [item.title for item in placed]
    texts += [kind_title(problem, kind) for kind in {item.kind for item in placed}]
    texts += [venue.name for venue in problem.venues.values()]
    if person is not None:
        texts.append(problem.people[person].name)
    return "\n".join(texts)


def week_figure(problem: Problem, timetable: Timetable, *, person: str | None = None) -> Figure:
    """The drawn week view. Each block is a patch with gid ``block:ID`` and its label a text
    with gid ``label:ID``, so their extents can be read back. Its texts are measured in the
    fonts that will draw them (``render`` draws it under the same ones)."""
    with fonts_for(drawn_text(problem, timetable, person)):
        return _week_figure(problem, timetable, person=person)


def _week_figure(problem: Problem, timetable: Timetable, *, person: str | None) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle

    placements = list(timetable)
    dates = problem.dates
    top, bottom = _hours(problem, placements)
    column_inches = 2.3
    figure = Figure(figsize=(1.0 + column_inches * len(dates), 11.0), dpi=DPI)
    FigureCanvasAgg(figure)  # measuring text (get_window_extent) draws on this canvas
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
    depends = participants(problem)
    pending = {
        ident
        for ident, people in depends.items()
        if any(problem.people[p].status == Status.TBC for p in people)
    }
    blocks: list[tuple[Placement, Any, str | None]] = []
    for index, date in enumerate(dates):
        todays = [p for p in placements if p.date == date]
        arrivals = _venue_changes(axes, problem, todays, index, venues)
        for placement, lane, lanes in _lanes(todays):
            item = problem.item(placement.activity)
            if placement.venue is not None:
                axes.add_patch(
                    Rectangle(
                        (index + GAP / 2, placement.start),
                        STRIP - GAP / 2,
                        placement.minutes,
                        facecolor=venues[placement.venue],
                        edgecolor="#9e9e9e",
                        linewidth=0.3,
                    )
                )
            width = (1 - STRIP - GAP) / lanes
            x = index + STRIP + lane * width
            tbc = item.id in pending
            block = Rectangle(
                (x, placement.start),
                width,
                placement.minutes,
                facecolor=kind_colour(problem, item.kind),
                edgecolor="#222222" if item.ride is not None or tbc else "#ffffff",
                linewidth=0.9 if tbc else 0.6,
                linestyle=(0, (3, 2)) if tbc else "solid",
                hatch="////" if item.ride is not None else None,
                gid=f"block:{item.id}",
            )
            axes.add_patch(block)
            blocks.append((placement, block, arrivals.get(placement.activity)))
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
            label=kind_title(problem, k),
        )
        for k in used
    ]
    if pending & {p.activity for p in placements}:
        kind_handles.append(
            Patch(
                facecolor="#ffffff",
                edgecolor="#222222",
                linestyle=(0, (3, 2)),
                label="TBC: someone to be confirmed",
            )
        )
    venue_handles = [
        Patch(facecolor=colour, edgecolor="#9e9e9e", label=problem.venues[v].name)
        for v, colour in venues.items()
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
    for placement, block, arrival in blocks:
        _label(axes, problem, placement, block, placement.activity in pending, arrival)
    return figure


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
    tbc: bool,
    arrival: str | None,
) -> None:
    """Times and title (and "→ venue" on arrival), as much as fits inside the block."""
    from ..clock import format_clock

    item = problem.item(placement.activity)
    box = block.get_window_extent()
    room_w, room_h = box.width - 2 * PAD, box.height - 2 * PAD
    if room_h < FONT * DPI / 72 or room_w < 4 * FONT:
        return
    when = f"{format_clock(placement.start)}–{format_clock(placement.end)}"
    if item.open_end:  # drawn as long as check reads it; labelled as the file prints it
        when = f"from {format_clock(placement.start)}"
    content = " ".join([when, *(["TBC"] if tbc else []), *item.title.split()])
    x0, y0 = axes.transData.inverted().transform((box.x0 + PAD, box.y1 - PAD))
    text = axes.text(
        x0,
        y0,
        "",
        fontsize=FONT,
        va="top",
        ha="left",
        color=ink(kind_colour(problem, item.kind)),
        linespacing=1.05,
        parse_math=False,
        gid=f"label:{item.id}",
        bbox=None
        if item.ride is None
        else {"facecolor": "#636363", "edgecolor": "none", "pad": 0.5},
    )
    per_char = FONT * 0.55 * DPI / 72
    for chars in range(max(int(room_w / per_char), 4), 3, -1):
        lines = textwrap.wrap(content, chars, break_long_words=True)
        if arrival:
            lines += textwrap.wrap(f"→ {arrival}", chars, break_long_words=True)
        text.set_text("\n".join(lines))
        if text.get_window_extent().width > room_w:
            continue  # wrap narrower
        if _shorten(text, lines, chars, room_w, room_h):
            return
    text.remove()


def _shorten(text: Any, lines: list[str], chars: int, room_w: float, room_h: float) -> bool:
    """Drop lines from the end (marking the cut with "…") until the text's measured extent
    fits ``room_w`` x ``room_h`` pixels; False when even one line does not."""
    while lines:
        text.set_text("\n".join(lines))
        extent = text.get_window_extent()
        if extent.height <= room_h and extent.width <= room_w:
            return True
        lines = lines[:-1]
        if lines:
            lines[-1] = textwrap.shorten(lines[-1] + " …", chars, placeholder=" …")
    return False


def _venue_changes(
    axes: Any, problem: Problem, placements: list[Placement], column: int, venues: dict[str, str]
) -> dict[str, str]:
    """A dashed line where the group's place differs from the one before; returns the venue
    name for the first activity at each new place (its label says "→ venue")."""
    arrivals: dict[str, str] = {}
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
                color="#333333",
            )
            arrivals[placement.activity] = problem.venues[placement.venue].name
        previous = placement.venue
    return arrivals
