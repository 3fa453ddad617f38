"""A boot camp with rotating groups, generated: issue 20's second hard template shape.

No published programme of this shape is used (the ones the issue names are held back for
evaluation), so one is built the way such weeks are printed: a cohort split into small groups
that rotate, half day by half day, through parallel hands-on tutorials, between lectures for
everyone, with coffee in the morning and the afternoon and lunch at its time:

- ``groups`` sibling groups (what is for everyone is for each of them), split into three
  equal sets; three tutorials per half day, each with its tutor and its room, given three
  times in a row (three *slots*), each time to the next set, so that every group takes every
  tutorial of its half day; the three tutorials of one slot run side by side;
- each day: breakfast, a lecture, slot 1, coffee, slots 2 and 3, lunch, a lecture, slot 4,
  coffee, slots 5 and 6, a wrap-up; the first day opens with registration and a welcome
  instead of breakfast; the second has free time, the boot camp dinner and a poster session
  after it; the last day ends with lunch and the closing;
- rules: day windows, one thing at a time per group, person and room, and a soft rule of
  the file (no more than two hours of sessions without a break).

``planted(groups, days)`` is that programme with its published times (it keeps every hard
rule, every soft one and the day's skeleton: the tests say so);
``benchmarks.quality.template_of`` removes them. With 12 groups and 5 days: 118 activities,
each tutorial for four groups.

Usage: ``python -m benchmarks.bootcamp [--groups 12] [--days 5] [--time-limit 60] [--seeds 0 1 2]``
prints, per solver seed, the planner-quality measures of the template's solve against the
planted week, the objective by named terms and how far it may be, with wall and CPU seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from course_scheduler.clock import format_clock
from course_scheduler.errors import SourceMap
from course_scheduler.loading import validate
from course_scheduler.model import Programme

MONDAY = dt.date(2026, 9, 7)
SETS = 3
"""Tutorials per half day, and the sets of groups that rotate through them."""
SLOT = 45
TOPICS = (
    ("Working in the shell", "Version control", "Notebooks"),
    ("Data frames", "Plotting", "Statistics in practice"),
)
"""The morning's and the afternoon's tutorials."""


def _at(start: int, minutes: int) -> str:
    return f"{format_clock(start)} - {format_clock(start + minutes)}"


def _hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _day_rows(d: int, days: int, sets: list[list[str]]) -> list[dict[str, Any]]:
    """Day ``d``'s activities as printed (see the module docstring)."""
    tag = f"d{d + 1}"
    first, last = d == 0, d == days - 1
    rows: list[dict[str, Any]] = []

    def everyone(ident: str, title: str, kind: str, start: int, minutes: int, **extra: Any) -> None:
        rows.append(
            {"id": f"{tag}-{ident}", "title": title, "kind": kind, "time": _at(start, minutes),
             **extra}
        )  # fmt: skip

    def slot(half: int, number: int, start: int) -> None:
        """The three tutorials of one slot, side by side, each for the next set."""
        for t, topic in enumerate(TOPICS[half]):
            who = sets[(t + number) % SETS]
            rows.append(
                {"id": f"{tag}-h{half + 1}-s{number + 1}-t{t + 1}",
                 "title": f"Tutorial: {topic} (groups {who[0][1:]}-{who[-1][1:]})",
                 "kind": "tutorial", "time": _at(start, SLOT), "groups": who,
                 "room": f"lab{t + 1}", "people": [f"tutor{half}{t}"]}
            )  # fmt: skip

    morning = _hm("9:00")
    if not first:
        everyone("breakfast", "Breakfast", "breakfast", _hm("7:45"), 45)
    else:
        everyone("registration", "Registration", "registration", _hm("8:30"), 30, room="foyer")
        everyone("welcome", "Welcome", "welcome", _hm("9:00"), 15, room="hall")
        morning = _hm("9:15")
    lecture = 45 if not first else 30
    everyone("lecture-am", "Lecture", "lecture", morning, lecture, room="hall",
             people=[f"lecturer{2 * d}"])  # fmt: skip
    at = morning + lecture
    slot(0, 0, at)
    everyone("coffee-am", "Coffee", "coffee_break", at + SLOT, 30)
    slot(0, 1, at + SLOT + 30)
    slot(0, 2, at + 2 * SLOT + 30)
    everyone("lunch", "Lunch", "lunch", _hm("12:30"), 60)
    if last:
        everyone("closing", "Closing", "closing", _hm("13:30"), 30, room="hall")
    else:
        afternoon = _hm("13:30")
        everyone("lecture-pm", "Lecture", "lecture", afternoon, 45, room="hall",
                 people=[f"lecturer{2 * d + 1}"])  # fmt: skip
        at = afternoon + 45
        slot(1, 0, at)
        everyone("coffee-pm", "Coffee", "coffee_break", at + SLOT, 30)
        slot(1, 1, at + SLOT + 30)
        slot(1, 2, at + 2 * SLOT + 30)
        everyone("wrap-up", "Wrap-up", "wrap_up", at + 3 * SLOT + 30, 15, room="hall")
        if d == 1:
            everyone("free", "Free time", "free_time", _hm("17:15"), 75)
            everyone("dinner", "Boot camp dinner", "dinner", _hm("18:30"), 90)
            everyone("posters", "Poster session", "poster_session", _hm("20:00"), 90,
                     room="foyer")  # fmt: skip
    return rows


def planted(groups: int = 12, days: int = 5) -> Programme:
    """The boot camp with its published times (see the module docstring)."""
    if groups % SETS or groups < SETS:
        raise ValueError(f"the groups split into {SETS} equal sets: give a multiple of {SETS}")
    size = groups // SETS
    sets = [[f"g{k + 1}" for k in range(s * size, (s + 1) * size)] for s in range(SETS)]
    rooms = [{"id": f"lab{t + 1}", "name": f"Teaching Lab {t + 1}"} for t in range(SETS)]
    rooms += [{"id": "hall", "name": "Lecture Hall"}, {"id": "foyer", "name": "Foyer"}]
    people = [
        {"id": f"tutor{h}{t}", "name": f"Tutor {'AB'[h]}{t + 1}"}
        for h in range(2)
        for t in range(SETS)
    ]
    people += [{"id": f"lecturer{d}", "name": f"Lecturer {d + 1}"} for d in range(2 * days)]
    plan = []
    for d in range(days):
        rows = _day_rows(d, days, sets)
        plan.append(
            {
                "date": MONDAY + dt.timedelta(days=d),
                "venue": "campus",
                "window": "7:00 - 22:00",
                "activities": rows,
            }
        )
    data = {
        "course": {"title": "Data Skills Boot Camp (generated)"},
        "kinds": [
            {"id": "lecture", "category": "content", "label": "Lecture"},
            {"id": "tutorial", "category": "content", "label": "Tutorial"},
            {"id": "poster_session", "category": "social", "parts": ["evening"]},
        ],
        "venues": [{"id": "campus", "name": "Campus", "rooms": rooms}],
        "people": people,
        "groups": [{"id": g, "name": f"Group {g[1:]}"} for s in sets for g in s],
        "days": plan,
        "rules": [
            {"id": "day", "kind": "day_window"},
            {"id": "groups", "kind": "no_overlap", "resource": "group"},
            {"id": "people", "kind": "no_overlap", "resource": "person"},
            {"id": "rooms", "kind": "no_overlap", "resource": "room"},
            {
                "id": "breaks",
                "kind": "max_content",
                "minutes": 120,
                "severity": "soft",
                "weight": 2,
                "description": "No more than two hours of sessions without a break.",
            },
        ],
    }
    return validate(data, SourceMap(file="boot camp (generated)"))


def main() -> None:
    from benchmarks.quality import solve_template
    from course_scheduler import compile_programme

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--groups", type=int, default=12)
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seeds", type=int, nargs="*", default=[0])
    args = parser.parse_args()
    if args.groups <= 0 or args.groups % SETS:
        parser.error(
            f"--groups: the groups split into {SETS} equal sets: give a multiple of {SETS}"
        )
    camp = planted(args.groups, args.days)
    activities = len(compile_programme(camp).items)
    print(f"{activities} activities, {args.groups} groups, {args.days} days")
    solve_template(camp, args.time_limit, args.seeds)


if __name__ == "__main__":
    main()
