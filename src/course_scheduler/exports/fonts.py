"""Fonts for the PNG: matplotlib's default font, then installed fonts with the characters it lacks.

matplotlib draws with one family unless given a list, and its default (DejaVu Sans) has no
Chinese, Japanese or Korean: a programme titled in Chinese came out as empty boxes, with a
warning per missing character (189 for one study tour). So the text to draw is read first;
the characters the default font lacks are looked up in every installed font, and the fewest
fonts that have them follow the default in ``font.family`` (matplotlib falls back glyph by
glyph along that list). What no installed font has is told once, in words. Nothing is
downloaded and no font ships with the package.
"""

from __future__ import annotations

import contextlib
import functools
import warnings
from collections.abc import Iterator
from unicodedata import category

MATPLOTLIB_GLYPH_WARNING = r"Glyph \d+ .*missing from (current )?font"
"""matplotlib's own warning, one per missing character (silenced: ours says it once)."""


INVISIBLE = ("Cc", "Cf")
"""Control and format characters (a zero-width joiner): nothing to draw, no glyph needed."""


class MissingGlyphsWarning(UserWarning):
    """Some characters of the text have no glyph in any installed font: drawn as boxes."""


@functools.cache
def _charmap(path: str) -> frozenset[int]:
    """The code points a font file has glyphs for (empty when it cannot be read)."""
    from matplotlib.ft2font import FT2Font

    try:
        return frozenset(FT2Font(path).get_charmap())
    except (OSError, RuntimeError, ValueError):
        return frozenset()


NOT_FALLBACKS = ("Last Resort",)
"""Fonts that map every character to a "missing" sign (matplotlib ships one): never a fallback."""


def _installed() -> list[tuple[str, str]]:
    """(family, file) of every installed font of normal style and weight, by family name."""
    from matplotlib import font_manager

    fonts = {
        (entry.name, entry.fname)
        for entry in font_manager.fontManager.ttflist
        if entry.style == "normal"
        and entry.weight in (400, "normal", "regular", "book")
        and not entry.name.startswith(NOT_FALLBACKS)
    }
    return sorted(fonts)


@functools.cache
def _refreshed() -> bool:
    """Add the system's fonts that matplotlib's cached list lacks (it never looks again once
    the cache exists, so a font installed since is unseen); True when there were some."""
    from matplotlib import font_manager

    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    added = False
    for path in font_manager.findSystemFonts():
        if path not in known:
            with contextlib.suppress(OSError, RuntimeError, ValueError):
                font_manager.fontManager.addfont(path)
                added = True
    return added


def _cover(lacking: set[str]) -> list[str]:
    """The fewest installed fonts (greedily) that have characters of ``lacking``, which keeps
    what none has."""
    candidates = [(name, _charmap(path)) for name, path in _installed()]
    chosen: list[str] = []
    while lacking and candidates:
        name, has = max(candidates, key=lambda c: len({x for x in lacking if ord(x) in c[1]}))
        found = {x for x in lacking if ord(x) in has}
        if not found:
            break
        chosen.append(name)
        lacking -= found
    return chosen


def families(text: str) -> tuple[list[str], str]:
    """The ``font.family`` list that draws ``text`` (the default's, then fallbacks), and the
    characters no installed font has, in order of first appearance."""
    import matplotlib
    from matplotlib import font_manager

    base = list(matplotlib.rcParams["font.family"])
    default = font_manager.findfont(font_manager.FontProperties(family=base))
    wanted = dict.fromkeys(c for c in text if not c.isspace() and category(c) not in INVISIBLE)
    lacking = {c for c in wanted if ord(c) not in _charmap(default)}
    chosen = _cover(lacking) if lacking else []
    if lacking and _refreshed():
        chosen += _cover(lacking)
    return [*base, *dict.fromkeys(chosen)], "".join(c for c in wanted if c in lacking)


@contextlib.contextmanager
def fonts_for(text: str) -> Iterator[str]:
    """Draw with fonts that have ``text``'s characters, without matplotlib's warning per
    missing one; yields the characters that will still be boxes."""
    import matplotlib

    chosen, lacking = families(text)
    with matplotlib.rc_context({"font.family": chosen}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=MATPLOTLIB_GLYPH_WARNING, category=UserWarning)
        yield lacking


def say_missing(lacking: str) -> None:
    """One warning, in words, for the characters drawn as boxes."""
    if not lacking:
        return
    shown = " ".join(lacking[:12]) + (" ..." if len(lacking) > 12 else "")
    warnings.warn(
        f"the PNG draws {len(lacking)} characters as empty boxes ({shown}): no installed font "
        "has them; install one that does (for Chinese, Japanese or Korean, Noto Sans CJK or "
        "WenQuanYi) and export again",
        MissingGlyphsWarning,
        stacklevel=3,
    )
