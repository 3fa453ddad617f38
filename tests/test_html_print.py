"""The HTML brochure: footnote markers that agree with the visits page, and a print where
nothing is clipped, shrunk or run into a neighbouring cell (measured in headless Chromium,
skipped with a reason where it is absent)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from course_scheduler.compile import compile_programme
from course_scheduler.exports import export
from course_scheduler.loading import load
from course_scheduler.timetable import published_timetable

from .conftest import CORRECTED, PUBLISHED

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class _Links(HTMLParser):
    """Every link to a visit entry with its text, and every entry's marker."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (target, text, where)
        self.markers: dict[str, str] = {}
        self._href: str | None = None
        self._entry: str | None = None
        self._heading = False
        self._text = ""
        self._where = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and (found.get("href") or "").startswith("#visits-"):
            self._href, self._text = (found["href"] or "")[1:], ""
        if tag == "div" and "visit" in (found.get("class") or "").split():
            self._entry = found.get("id")
        if tag == "h3" and self._entry:
            self._heading, self._text = True, ""
        if tag == "tr":
            self._where = found.get("id") or ""
        if tag == "td" and "label" not in (found.get("class") or ""):
            self._where = self._where or "overview"

    def handle_data(self, data: str) -> None:
        if self._href is not None or self._heading:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, self._text, self._where))
            self._href = None
        if tag == "h3" and self._heading and self._entry:
            self.markers[self._entry] = self._text.split()[0]
            self._heading, self._entry = False, None


def _marker(text: str) -> str:
    return re.search(r"\*+$", text.strip()).group()  # type: ignore[union-attr]


@pytest.mark.parametrize("path", [PUBLISHED, CORRECTED])
def test_footnote_markers_agree_with_the_visits_page(path: Path) -> None:
    problem = compile_programme(load(path))
    timetable = published_timetable(problem)
    parser = _Links()
    parser.feed(export(problem, timetable, "html").decode("utf-8"))
    assert parser.markers == {"visits-2024-11-19": "*", "visits-2024-11-20": "**"}
    rows = {t: [] for t in parser.markers}  # type: dict[str, list[str]]
    for target, text, where in parser.links:
        assert _marker(text) == parser.markers[target], (target, text, where)
        if where.startswith("activity-"):
            rows[target].append(where.removeprefix("activity-"))
    visits = {
        p.activity: p.date.isoformat()
        for p in timetable
        if problem.item(p.activity).kind in ("site_visit", "networking")
    }
    for ident, date in visits.items():  # each visit row points at its own day's entry
        assert ident in rows[f"visits-{date}"], ident
    overview = [text for _, text, where in parser.links if where == "overview"]
    assert [_marker(t) for t in overview] == ["*", "**"]


def _long_words(folder: Path) -> Path:
    """The corrected programme with words no line can hold: a title, a web address, a module."""
    data = yaml.safe_load(CORRECTED.read_text(encoding="utf-8"))
    for day in data["days"]:
        for activity in day["activities"]:
            if activity["id"] == "d1-welcome":
                activity["title"] = "Welcome " + "Supercalifragilistic" * 8
            if activity["id"] == "d1-lunch":
                activity["description"] = "See https://example.org/" + "long-path-segment" * 12
    data["modules"][0]["knowledge_session"] = "Internationalisation" * 6
    path = folder / "long.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        f"--user-data-dir={profile}",
        *extra,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


MEASURE = """
<script>
addEventListener("load", () => {
  const over = [];
  for (const el of document.querySelectorAll("td, th, p, h1, h2, h3, h4, span")) {
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== "inline") {
      over.push(el.textContent.trim().slice(0, 40));
    }
  }
  if (document.documentElement.scrollWidth > innerWidth) over.push("the page itself");
  document.body.setAttribute("data-overflow", JSON.stringify(over));
});
</script>
"""
"""Added to a copy of the page only, to measure it: the export itself carries no script."""


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on PATH (apt-get install chromium)")
def test_nothing_is_clipped_shrunk_or_run_over_in_print(tmp_path: Path) -> None:
    from pypdf import PdfReader

    problem = compile_programme(load(_long_words(tmp_path)))
    page = tmp_path / "programme.html"
    html = export(problem, published_timetable(problem), "html").decode("utf-8")
    page.write_text(html, encoding="utf-8")
    pdf = tmp_path / "programme.pdf"
    printed = _chromium(page, tmp_path / "p1", f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert printed.returncode == 0, printed.stderr[-2000:]
    reader = PdfReader(pdf)
    sizes: list[float] = []
    for sheet in reader.pages:
        assert (round(float(sheet.mediabox.width)), round(float(sheet.mediabox.height))) == (
            595,
            842,
        )

        def header(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
            if text.strip() == "Time":  # each day's table header, 9.5pt in the style sheet
                sx, sy = cm[0] * tm[0] + cm[2] * tm[1], cm[1] * tm[0] + cm[3] * tm[1]
                sizes.append(size * (sx * sx + sy * sy) ** 0.5)

        sheet.extract_text(visitor_text=header)
    assert len(sizes) == len(problem.dates)
    assert all(abs(size - 9.5) < 0.1 for size in sizes), sizes  # printed at full size
    measured = tmp_path / "measured.html"
    measured.write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = _chromium(measured, tmp_path / "p2", "--window-size=794,1123", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = re.search(r'data-overflow="([^"]*)"', dom.stdout)
    assert found is not None and found.group(1) == "[]", found and found.group(1)
