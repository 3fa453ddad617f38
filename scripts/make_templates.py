"""Templates of the real programmes under ``examples/``: what a planner writes for a new edition.

Each ``programme.yaml`` (the programme as published) becomes a ``template.yaml`` beside it with
every time removed and everything else kept: each session stays on its day with its length,
each day keeps its frame (its window, its usual start, the house's meal times), and the
solver chooses when each session happens. So ``solve template.yaml`` shows what the library makes
of a real programme it has to lay out itself, and ``benchmarks/quality.py`` can compare that
with the published days.

How each printed time becomes a length:

* ``time: "9:00 - 9:45"`` -> ``duration: 45``;
* an open end (``"17:30 -"``, no printed end) -> ``duration:`` the length ``check`` reads for it
  (until the next item of its groups, or the end of its block or day), never the one-minute
  least length a bare open end has, since a planner who prints "from 17:30" does not mean a
  minute;
* a bus or walk that leaves at a printed time (``depart:``) -> ``depart_window:`` its day's
  window; a printed return time is dropped (``return: {}`` keeps the ride back, its time the
  solver's);
* each day keeps its usual start (``start:``, after its window): the earliest time the
  programme prints on it, what ``check`` and the solver already read as the day's usual
  start (``Problem.day_starts``). With its window it is the day's frame, not a session's time:
  without it nothing anchors a template's day, and one whose dinner the house serves at 18:30
  begins half an hour early to eat then (E2M2's Sunday, its meeting point printed at 7:00);
* the meals' times become the house's usual meal times: ``planner: meal_times:`` gets, for
  each meal kind the programme times, the middle of its printed starts (what ``check`` and
  the solver already read as that kind's usual time, ``printed_meal_times``). A planner
  drafting a new edition knows when the house serves breakfast; without it a template falls
  back to the generic 7:30, 12:30 and 19:00, and an early-rising field course (E2M2: 6:30,
  12:00, 18:30) is laid out an hour late. A kind the file already sets keeps the printed
  middle, as every command reads it;
* untimed items, top-level activities, deadlines (moments work is due, not sessions), day
  windows, availability and every rule stay as they are.

Each change carries the printed time in a comment (``# printed "9:00 - 9:45"``); every other
line, comment and the layout are kept (ruamel.yaml round trip), so the template reads like the
programme and a diff between the two shows only the times.

The reference (``barcelona_2024``) is left out: its template is ``next_edition.yaml``, which the
``next-edition`` command makes from it.

Usage: ``python -m scripts.make_templates [--check] [EXAMPLE_DIR ...]`` (default: every example
with a ``programme.yaml`` but the reference). ``--check`` writes nothing and exits 1 when a
committed template differs from what the programme gives.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from course_scheduler import compile_programme, load
from course_scheduler.rules.skeleton import printed_meal_times
from course_scheduler.timetable import published_timetable

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SKIPPED = {"barcelona_2024": "its template is next_edition.yaml, made by `next-edition`"}
PROGRAMME = "programme.yaml"
TEMPLATE = "template.yaml"

HEADER = (
    "TEMPLATE, generated from {source} by `python -m scripts.make_templates`: do not edit,\n"
    "regenerate. Every printed time is removed (in a comment where it stood); each session\n"
    "keeps its day and its length, and the solver chooses when it happens. An item printed with\n"
    "no end keeps the length `check` reads for it; a bus or walk may leave at any time of its\n"
    "day. Each day keeps its usual start (its earliest printed time) and the meals' printed\n"
    "times are the usual meal times (`planner: meal_times:`, at the end). Untimed items,\n"
    "deadlines, windows and rules are as in {source}.\n"
)
MEAL_TIMES_NOTE = (
    "the house's meal times, kept by the template: each meal kind's usual start, the middle\n"
    "of its printed starts in {source}"
)


class _Emitter(RoundTripEmitter):
    """ruamel.yaml's round-trip emitter, with one fix: after an end-of-line comment on a
    one-line (flow) item of a list, it forgot the line break before the second key of a block
    mapping that follows (``- id: b time: 2``, which no longer parses) when the list opens with
    a comment line. A comment always ends its line, so the next key starts a new one."""

    def write_comment(self, comment: Any, pre: bool = False) -> None:
        super().write_comment(comment, pre)
        if not pre:
            self.no_newline = False


def _yaml() -> YAML:
    yaml = YAML()
    yaml.Emitter = _Emitter
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def example_dirs() -> list[Path]:
    """Every example with a published programme, the reference aside."""
    return sorted(p.parent for p in EXAMPLES.glob(f"*/{PROGRAMME}") if p.parent.name not in SKIPPED)


def published_lengths(path: Path) -> dict[str, int]:
    """Minutes each timed activity lasts as published: its printed range, or for an open end
    the length ``check`` reads (the same reading every command uses)."""
    timetable = published_timetable(compile_programme(load(path)))
    return {p.activity: p.end - p.start for p in timetable}


def make_template(path: Path) -> str:
    """The template of the programme at ``path``, as YAML text."""
    yaml = _yaml()
    data = yaml.load(path.read_text(encoding="utf-8"))
    lengths = published_lengths(path)
    problem = compile_programme(load(path))
    _keep_meal_times(data, printed_meal_times(problem), path.name)
    windows: dict[str, str] = {}
    for day, usual in zip(data.get("days") or [], problem.day_starts, strict=True):
        windows[str(day["date"])] = str(day["window"])
        if "start" not in day and usual is not None:
            day.insert(list(day).index("window") + 1, "start", _clock(usual))
            _note(day, "start", "the earliest printed time: the day's usual start")
        activities = day.get("activities") or []
        for index, activity in enumerate(activities):
            if "time" in activity:
                _untime(activities, index, lengths[str(activity["id"])])
    for leg in data.get("transport") or []:
        _free_departure(leg, windows)
    _set_header(data, path.name)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _keep_meal_times(data: CommentedMap, times: dict[str, int], source: str) -> None:
    """Write the house's meal times (``printed_meal_times``) as ``planner: meal_times:``,
    a kind's printed middle over what the file sets for it, as every command reads it."""
    if not times:
        return
    planner = data.get("planner")
    if planner is None:
        planner = data["planner"] = CommentedMap()
        data.yaml_set_comment_before_after_key(
            "planner", before=MEAL_TIMES_NOTE.format(source=source)
        )
    meals = planner.get("meal_times")
    if meals is None:
        meals = planner["meal_times"] = CommentedMap()
    for kind, minute in sorted(times.items(), key=lambda x: (x[1], x[0])):
        meals[kind] = _clock(minute)


def _clock(minute: int) -> DoubleQuotedScalarString:
    return DoubleQuotedScalarString(f"{minute // 60}:{minute % 60:02d}")


def _untime(activities: CommentedSeq, index: int, length: int) -> None:
    """Replace the printed ``time`` of ``activities[index]`` by the ``duration`` it gives,
    where it stood."""
    activity = activities[index]
    printed = str(activity["time"])
    if "duration" in activity:
        activity["duration"] = _as_written(activity["duration"], length)
    else:
        activity.insert(list(activity).index("time"), "duration", length)
    _move_comments(activity, "time", "duration")
    del activity["time"]
    note = f'printed "{printed}"'
    if _flow(activity):
        _note(activities, index, note)  # a one-line mapping: the note goes after it
    else:
        _note(activity, "duration", note)


def _as_written(duration: Any, length: int) -> Any:
    """An open end's least length (``duration: 45``) becomes a range from it to the length
    ``check`` reads, as the file allows both; a range a timed row agrees with stays."""
    if isinstance(duration, int) and length > duration:
        return DoubleQuotedScalarString(f"{duration} - {length}")
    return duration


def _free_departure(leg: CommentedMap, windows: dict[str, str]) -> None:
    if "depart" in leg:
        printed = str(leg["depart"])
        window = DoubleQuotedScalarString(_leg_window(leg, windows))
        leg.insert(list(leg).index("depart"), "depart_window", window)
        _move_comments(leg, "depart", "depart_window")
        del leg["depart"]
        _note(leg, "depart_window", f'printed depart "{printed}"')
    back = leg.get("return")
    if isinstance(back, CommentedMap):
        for key in ("depart", "arrive"):
            if key in back:
                printed = f'printed return {key} "{back[key]}"'
                _move_comments(back, key, None)
                del back[key]
                _note(leg, "return", printed)


def _leg_window(leg: CommentedMap, windows: dict[str, str]) -> str:
    """The window of the leg's day (or the widest of its days): when it may leave."""
    if "date" in leg:
        return windows[str(leg["date"])]
    dates = [str(d) for d in leg.get("dates") or windows]
    starts, ends = zip(*(windows[d].split("-") for d in dates), strict=True)
    return f"{min(starts, key=_minutes).strip()} - {max(ends, key=_minutes).strip()}"


def _minutes(clock: str) -> int:
    hours, _, minutes = clock.strip().replace(".", ":").partition(":")
    return int(hours) * 60 + int(minutes or 0)


def _move_comments(mapping: CommentedMap, old: str, new: str | None) -> None:
    """Keep the comments of ``old``, a key about to go: its end-of-line comment and the full
    lines after it (which belong to what follows) go to ``new``; when ``new`` is None only the
    full lines are kept, on the key before ``old``."""
    tokens = mapping.ca.items.pop(old, None)
    token = tokens[2] if tokens and len(tokens) > 2 else None
    if token is None:
        return
    first, _, rest = token.value.partition("\n")
    if new is not None:
        _merge_eol(mapping, new, [first], rest, after=True)
        return
    keys = list(mapping)
    position = keys.index(old)
    if position and rest.strip():
        _merge_eol(mapping, keys[position - 1], [], rest, after=True)


def _note(container: CommentedMap | CommentedSeq, key: Any, note: str) -> None:
    """Put ``note`` first in the end-of-line comment of ``key`` (a key or a list index)."""
    _merge_eol(container, key, [f"# {note}"], "", after=False)


def _merge_eol(
    container: CommentedMap | CommentedSeq, key: Any, firsts: list[str], rest: str, after: bool
) -> None:
    """Join ``firsts`` to ``key``'s own end-of-line comment (before it, or after it when
    ``after``), and its full lines with ``rest``; written two spaces after the value, whatever
    column the programme had the comment at."""
    position = 0 if isinstance(container, CommentedSeq) else 2
    slot = container.ca.items.get(key)
    token = slot[position] if slot and len(slot) > position else None
    own_first, _, own_rest = (token.value if token is not None else "").partition("\n")
    ordered = [own_first, *firsts] if after else [*firsts, own_first]
    texts = [t.strip().lstrip("#").strip() for t in ordered if t.strip()]
    line = f" # {'; '.join(texts)}" if texts else ""
    value = line + "\n" + (own_rest + rest if after else rest + own_rest)
    slot = container.ca.items.setdefault(key, [None, None, None, None])
    slot[position] = CommentToken(value, CommentMark(0))  # its other slots are other comments


def _flow(node: CommentedMap | CommentedSeq) -> bool:
    return bool(node.fa.flow_style())


def _set_header(data: CommentedMap, source: str) -> None:
    """Put the template notice above the programme's own opening comment."""
    text = HEADER.format(source=source)
    notice = "".join(f"# {line}\n" if line else "#\n" for line in text.splitlines()) + "#\n"
    before = data.ca.comment
    if before and before[1]:
        first: CommentToken = before[1][0]
        first.value = notice + first.value
    else:
        data.yaml_set_start_comment(text.rstrip("\n"))


def _targets(names: list[str]) -> Iterator[Path]:
    if not names:
        yield from example_dirs()
        return
    for name in names:
        directory = Path(name)
        if not (directory / PROGRAMME).is_file():
            directory = EXAMPLES / name
        if not (directory / PROGRAMME).is_file():
            raise SystemExit(f"error: no {PROGRAMME} in {name}")
        yield directory


def _shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("examples", nargs="*", help="example directories (default: every one)")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; fail when a template is stale"
    )
    args = parser.parse_args(argv)
    stale = []
    for directory in _targets(args.examples):
        text = make_template(directory / PROGRAMME)
        target = directory / TEMPLATE
        if args.check:
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                stale.append(target)
            continue
        target.write_text(text, encoding="utf-8")
        print(f"wrote {_shown(target)}")
    for target in stale:
        print(f"stale: {_shown(target)} (run python -m scripts.make_templates)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
