"""The PNG week view, measured after drawing: every label inside its own block and the frame,
no two labels over each other, times with their end, tbc marked, venue colours unlike kinds."""

from __future__ import annotations

import functools
import warnings
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
import yaml

from course_scheduler.clock import format_clock
from course_scheduler.compile import compile_programme
from course_scheduler.exports import CATEGORY_COLOURS, KIND_COLOURS, export
from course_scheduler.exports.fonts import MissingGlyphsWarning, families
from course_scheduler.exports.png import VENUE_COLOURS, drawn_text, week_figure
from course_scheduler.loading import load
from course_scheduler.model import Programme
from course_scheduler.timetable import published_timetable

from .conftest import CORRECTED, PUBLISHED, ROOT
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
    found["britainx"] = load(BRITAINX)  # titles in Chinese, drawn in a font that has them
    from .real_schedules import FILES, REAL

    if (REAL / FILES["cccamp2019"]).exists():
        from course_scheduler.importers import read_schedule

        found["cccamp2019"] = read_schedule(REAL / FILES["cccamp2019"]).programme
    return found


@pytest.mark.parametrize("which", ["published", "corrected", "hostile", "britainx", "cccamp2019"])
def test_every_label_lies_inside_its_block_and_none_overlaps_another(
    which: str, tmp_path: Path
) -> None:
    found = programmes(tmp_path)
    if which not in found:
        pytest.skip("the CCCamp 2019 schedule is absent (it lives in ../shared/real_schedules)")
    problem, timetable, blocks, labels = (
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
        when = f"{format_clock(p.start)}–{format_clock(p.end)}"
        if problem.item(ident).open_end:  # as the file prints it: no end
            when = f"from {format_clock(p.start)}"
        assert text.get_text().startswith(when)
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


# --- fonts ---------------------------------------------------------------------------------------

BRITAINX = ROOT / "examples" / "britainx_uk_2024" / "programme.yaml"


def _fontconfig_has(text: str) -> list[str]:
    """Families fontconfig (the system's own font list, read apart from matplotlib's) says
    have every character of ``text``; None when fontconfig is not there."""
    import shutil
    import subprocess

    if shutil.which("fc-list") is None:
        pytest.skip("fc-list (fontconfig) is not installed: no second reading of the fonts")
    charset = " ".join(f"{ord(c):x}" for c in set(text))
    out = subprocess.run(
        ["fc-list", f":charset={charset}", "family"], capture_output=True, text=True, check=True
    ).stdout
    return sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()})


def _exported(programme: Programme) -> tuple[bytes, list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        problem = compile_programme(programme)
        data = export(problem, published_timetable(problem), "png")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return data, list(caught)


def test_chinese_titles_are_drawn_in_a_font_that_has_them_or_said_once() -> None:
    """The BritainX tour prints its titles in Chinese. With a font installed that has them
    (as fontconfig says), it follows the default font and nothing is missing; without one,
    a single warning says so in words, never one per character."""
    programme = load(BRITAINX)
    problem = compile_programme(programme)
    text = drawn_text(problem, published_timetable(problem))
    chinese = "".join(dict.fromkeys(c for c in text if "\u4e00" <= c <= "\u9fff"))
    assert len(chinese) > 100
    having = _fontconfig_has(chinese)
    chosen, lacking = families(text)
    _, caught = _exported(programme)
    assert not [w for w in caught if "Glyph" in str(w.message)]  # matplotlib's, per character
    told = [w for w in caught if issubclass(w.category, MissingGlyphsWarning)]
    if having:
        assert set(chosen[1:]) & set(having), (chosen, having)
        assert not any(c in lacking for c in chinese) and told == []
    else:
        assert set(chinese) <= set(lacking)
        assert len(told) == 1 and "characters as empty boxes" in str(told[0].message)


def test_characters_no_font_has_are_said_once(tmp_path: Path) -> None:
    """Two unassigned code points (no font can have them) in titles drawn many times: one
    warning naming both, in words, and no warning of matplotlib's; the command says it on
    standard error as one line."""
    from course_scheduler.cli import main

    data = yaml.safe_load(CORRECTED.read_text(encoding="utf-8"))
    data["course"]["title"] += " \u0378"
    for day in data["days"]:
        for activity in day["activities"]:
            activity["title"] += " \u0379"
    path = tmp_path / "unassigned.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _, caught = _exported(load(path))
    assert [str(w.message) for w in caught] == [
        "the PNG draws 2 characters as empty boxes (\u0378 \u0379): no installed font has "
        "them; install one that does (for Chinese, Japanese or Korean, Noto Sans CJK or "
        "WenQuanYi) and export again"
    ]
    assert caught[0].category is MissingGlyphsWarning
    out = tmp_path / "week.png"
    import contextlib
    import io

    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        assert main(["export", str(path), "--format", "png", "--out", str(out)]) == 0
    lines = errors.getvalue().splitlines()
    assert lines[0].startswith("warning: the PNG draws 2 characters as empty boxes")
    assert len(lines) == 2 and lines[1] == f"wrote {out}"
    _, clean = _exported(load(CORRECTED))
    assert clean == []
