"""The PNG week view, measured after drawing: every label inside its own block and the frame,
no two labels over each other, times with their end, tbc marked, venue colours unlike kinds."""

from __future__ import annotations

import functools
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from course_scheduler.clock import format_clock
from course_scheduler.compile import compile_programme
from course_scheduler.exports import CATEGORY_COLOURS, KIND_COLOURS
from course_scheduler.exports.png import VENUE_COLOURS, week_figure
from course_scheduler.loading import load
from course_scheduler.model import Programme
from course_scheduler.timetable import published_timetable

from .conftest import CORRECTED, PUBLISHED
from .test_exports import write_hostile


@functools.cache
def drawn_corrected() -> tuple[Any, Any, dict[str, Any], dict[str, Any]]:
    return drawn(load(CORRECTED))


def drawn(programme: Programme) -> tuple[Any, Any, dict[str, Any], dict[str, Any]]:
    problem = compile_programme(programme)
    timetable = published_timetable(problem)
    figure = week_figure(problem, timetable)
    figure.canvas.draw()
    axes = figure.axes[0]
    blocks = {p.get_gid()[6:]: p for p in axes.patches if (p.get_gid() or "").startswith("block:")}
    labels = {t.get_gid()[6:]: t for t in axes.texts if (t.get_gid() or "").startswith("label:")}
    return problem, timetable, blocks, labels


def programmes(tmp_path: Path) -> dict[str, Programme]:
    found = {"published": load(PUBLISHED), "corrected": load(CORRECTED)}  # corrected: cached
    found["hostile"] = load(write_hostile(tmp_path))
    from .real_schedules import FILES, REAL

    if (REAL / FILES["cccamp2019"]).exists():
        from course_scheduler.importers import read_schedule

        found["cccamp2019"] = read_schedule(REAL / FILES["cccamp2019"]).programme
    return found


@pytest.mark.parametrize("which", ["published", "corrected", "hostile", "cccamp2019"])
def test_every_label_lies_inside_its_block_and_none_overlaps_another(
    which: str, tmp_path: Path
) -> None:
    found = programmes(tmp_path)
    if which not in found:
        pytest.skip("the CCCamp 2019 schedule is absent (it lives in ../shared/real_schedules)")
    _, timetable, blocks, labels = (
        drawn_corrected() if which == "corrected" else drawn(found[which])
    )
    assert set(blocks) == set(timetable.placements)
    frame = next(iter(blocks.values())).axes.get_window_extent()
    extents = {}
    for ident, text in labels.items():
        box, block = text.get_window_extent(), blocks[ident].get_window_extent()
        assert block.x0 - 0.5 <= box.x0 and box.x1 <= block.x1 + 0.5, (ident, text.get_text())
        assert block.y0 - 0.5 <= box.y0 and box.y1 <= block.y1 + 0.5, (ident, text.get_text())
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 <= frame.y1
        extents[ident] = box
    for (a, first), (b, second) in combinations(extents.items(), 2):
        assert not first.overlaps(second), (a, b)
    for ident, text in labels.items():  # each label starts with its start and end
        p = timetable.placements[ident]
        assert text.get_text().startswith(f"{format_clock(p.start)}–{format_clock(p.end)}")
    long_enough = {i for i, p in timetable.placements.items() if p.minutes >= 15}
    assert long_enough <= set(labels)  # every block of a quarter of an hour says what it is


def test_a_tbc_activity_is_marked() -> None:
    _, _, blocks, labels = drawn_corrected()
    for ident in ("d3-guest-talk", "d3-qa"):  # Khady Niang Sylla is to be confirmed
        assert " TBC " in labels[ident].get_text()
        assert blocks[ident].get_linestyle() != "solid"
    assert "TBC" not in labels["d1-guest-talk"].get_text()
    assert blocks["d1-guest-talk"].get_linestyle() == "solid"


def test_a_change_of_place_is_said_in_the_first_block_there() -> None:
    _, _, _, labels = drawn_corrected()
    assert "→ Poblenou Superblocks" in labels["d2-site-visit"].get_text().replace("\n", " ")


def _lab(colour: str) -> tuple[float, float, float]:
    """sRGB → CIE L*a*b* (D65), written here to judge the palette independently."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _delta(a: str, b: str) -> float:
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b), strict=True)) ** 0.5


def test_venue_colours_are_unlike_every_kind_colour_and_each_other() -> None:
    kinds = [*KIND_COLOURS.values(), *CATEGORY_COLOURS.values()]  # a declared kind: its category's
    for venue in VENUE_COLOURS:
        nearest = min(_delta(venue, kind) for kind in kinds)
        assert nearest >= 30, (venue, nearest)
    for a, b in combinations(VENUE_COLOURS, 2):
        assert _delta(a, b) >= 20, (a, b)
