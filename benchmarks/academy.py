"""A music academy week, generated: the hard template shape of issue 20, planted and then solved.

No real programme of this shape is at hand with its rooms and groups, so one is built the way
such weeks are printed (a summer music academy: ensembles rehearsing in parallel in their
rooms, soundchecks one after the other on the stage, a lecture for everyone, meals, an evening
concert each day) and its times are removed, as a planner drafts the next edition:

- ``ensembles`` sibling groups (what is for everyone is for each of them), each with a tutor,
  a visiting teacher and a room of its own; a stage and a hall shared by all;
- day 1: registration and welcome, the first rehearsals in parallel, lunch, workshops in
  parallel, coffee, a masterclass for everyone, practice, dinner, the opening concert;
- the middle days: breakfast, rehearsals in parallel, coffee, workshops in parallel, lunch,
  each ensemble's soundcheck on the stage in turn with practice before and after it, coffee,
  a lecture for everyone, dinner, a concert;
- the last day: breakfast, final rehearsals, coffee, workshops, lunch, the final concert, the
  closing;
- rules: day windows, one thing at a time per group, person and room, and a soft rule of the
  file (no more than three hours of sessions without a break).

``planted(ensembles, days)`` is that programme with its published times (it keeps every hard
rule and the day's skeleton, and breaks its soft rule on the first morning: the tests say so);
``benchmarks.quality.template_of`` removes them.
With 5 ensembles and 6 days: 156 activities.

Usage: ``python -m benchmarks.academy [--ensembles 5] [--days 6] [--time-limit 60] [--seeds 0 1 2]``
prints, per solver seed, the objective by named terms, how far it may be, the planner-quality
measures against the planted week, and wall and CPU seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from course_scheduler.clock import format_clock
from course_scheduler.errors import SourceMap
from course_scheduler.loading import validate
from course_scheduler.model import Programme

MONDAY = dt.date(2026, 7, 6)
SOUNDCHECK = 30


def _at(start: int, minutes: int) -> str:
    return f"{format_clock(start)} - {format_clock(start + minutes)}"


def _hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def planted(ensembles: int = 5, days: int = 6) -> Programme:
    """The academy week with its published times (see the module docstring)."""
    groups = [{"id": f"ens{e}", "name": f"Ensemble {e + 1}"} for e in range(ensembles)]
    rooms = [{"id": f"room{e}", "name": f"Studio {e + 1}"} for e in range(ensembles)]
    rooms += [{"id": "stage", "name": "Stage"}, {"id": "hall", "name": "Concert Hall"}]
    people = [{"id": f"tutor{e}", "name": f"Tutor {e + 1}"} for e in range(ensembles)]
    people += [{"id": f"visitor{e}", "name": f"Visiting Teacher {e + 1}"} for e in range(ensembles)]
    people += [{"id": "lecturer", "name": "Guest Lecturer"}]
    plan: list[dict[str, Any]] = []

    def everyone(ident: str, title: str, kind: str, when: str, minutes: int, **extra: Any) -> None:
        plan_day.append(
            {"id": ident, "title": title, "kind": kind, "time": _at(_hm(when), minutes), **extra}
        )

    def each(ident: str, title: str, kind: str, when: str, minutes: int, **extra: Any) -> None:
        for e in range(ensembles):
            plan_day.append(
                {
                    "id": f"{ident}-e{e}",
                    "title": f"{title}, Ensemble {e + 1}",
                    "kind": kind,
                    "time": _at(_hm(when), minutes),
                    "groups": [f"ens{e}"],
                    "venue": "academy",
                    "room": f"room{e}",
                    "people": [f"{p}{e}" for p in extra.get("people", [])],
                }
            )

    for d in range(days):
        plan_day: list[dict[str, Any]] = []
        tag = f"d{d + 1}"
        first, last = d == 0, d == days - 1
        if first:
            everyone(f"{tag}-registration", "Registration", "registration", "9:00", 60, room="hall")
            everyone(f"{tag}-welcome", "Welcome", "welcome", "10:00", 30, room="hall")
            each(f"{tag}-rehearsal", "First rehearsal", "rehearsal", "10:30", 120, people=["tutor"])
            everyone(f"{tag}-lunch", "Lunch", "lunch", "12:30", 60)
            each(f"{tag}-workshop", "Workshop", "workshop", "13:30", 90, people=["visitor"])
            everyone(f"{tag}-coffee", "Coffee", "coffee_break", "15:00", 30)
            everyone(
                f"{tag}-masterclass", "Masterclass", "masterclass", "15:30", 90, room="hall",
                people=["lecturer"],
            )  # fmt: skip
            each(f"{tag}-practice", "Practice", "practice", "17:00", 90)
            everyone(f"{tag}-dinner", "Dinner", "dinner", "18:30", 60)
            everyone(f"{tag}-concert", "Opening concert", "concert", "20:00", 90, room="hall")
        else:
            everyone(f"{tag}-breakfast", "Breakfast", "breakfast", "7:30", 60)
            each(f"{tag}-rehearsal", "Rehearsal", "rehearsal", "9:00", 120, people=["tutor"])
            everyone(f"{tag}-coffee-am", "Coffee", "coffee_break", "11:00", 30)
            each(f"{tag}-workshop", "Workshop", "workshop", "11:30", 60, people=["visitor"])
            everyone(f"{tag}-lunch", "Lunch", "lunch", "12:30", 60)
            if last:
                everyone(f"{tag}-concert", "Final concert", "concert", "14:00", 120, room="hall")
                everyone(f"{tag}-closing", "Closing", "closing", "16:00", 30, room="hall")
            else:
                span = ensembles * SOUNDCHECK
                for e in range(ensembles):
                    begin = _hm("13:30")
                    check = begin + e * SOUNDCHECK
                    ens = {"groups": [f"ens{e}"], "venue": "academy"}
                    if check > begin:
                        plan_day.append(
                            {"id": f"{tag}-practice-a-e{e}", "title": f"Practice, Ensemble {e + 1}",
                             "kind": "practice", "time": _at(begin, check - begin),
                             "room": f"room{e}", **ens}
                        )  # fmt: skip
                    plan_day.append(
                        {"id": f"{tag}-soundcheck-e{e}", "title": f"Soundcheck, Ensemble {e + 1}",
                         "kind": "soundcheck", "time": _at(check, SOUNDCHECK), "room": "stage",
                         **ens}
                    )  # fmt: skip
                    after = check + SOUNDCHECK
                    if after < begin + span:
                        plan_day.append(
                            {"id": f"{tag}-practice-b-e{e}", "title": f"Practice, Ensemble {e + 1}",
                             "kind": "practice", "time": _at(after, begin + span - after),
                             "room": f"room{e}", **ens}
                        )  # fmt: skip
                end = _hm("13:30") + span
                everyone(f"{tag}-coffee-pm", "Coffee", "coffee_break", format_clock(end), 30)
                everyone(
                    f"{tag}-lecture", "Lecture", "lecture", format_clock(end + 30), 90,
                    room="hall", people=["lecturer"],
                )  # fmt: skip
                dinner = max(_hm("18:30"), end + 120)
                everyone(f"{tag}-dinner", "Dinner", "dinner", format_clock(dinner), 60)
                everyone(
                    f"{tag}-concert",
                    "Concert",
                    "concert",
                    format_clock(dinner + 90),
                    90,
                    room="hall",
                )
        for activity in plan_day:
            if "room" in activity and not activity.get("people"):
                activity.pop("people", None)
        plan.append(
            {
                "date": MONDAY + dt.timedelta(days=d),
                "venue": "academy",
                "window": "7:00 - 22:30",
                "activities": plan_day,
            }
        )
    data = {
        "course": {"title": "Summer Music Academy (generated)"},
        "kinds": [
            {"id": "rehearsal", "category": "content", "label": "Rehearsal"},
            {"id": "soundcheck", "category": "content", "label": "Soundcheck"},
            {"id": "masterclass", "category": "content", "label": "Masterclass"},
            {"id": "lecture", "category": "content", "label": "Lecture"},
            {"id": "practice", "category": "free", "parts": ["midday", "afternoon", "evening"]},
            {"id": "concert", "category": "social", "parts": ["afternoon", "evening"]},
        ],
        "venues": [{"id": "academy", "name": "Music Academy", "rooms": rooms}],
        "people": people,
        "groups": groups,
        "days": plan,
        "rules": [
            {"id": "day", "kind": "day_window"},
            {"id": "groups", "kind": "no_overlap", "resource": "group"},
            {"id": "people", "kind": "no_overlap", "resource": "person"},
            {"id": "rooms", "kind": "no_overlap", "resource": "room"},
            {
                "id": "breaks",
                "kind": "max_content",
                "minutes": 180,
                "severity": "soft",
                "weight": 2,
                "description": "No more than three hours of sessions without a break.",
            },
        ],
    }
    return validate(data, SourceMap(file="academy (generated)"))


def main() -> None:
    from benchmarks.quality import solve_template
    from course_scheduler import compile_programme

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ensembles", type=int, default=5)
    parser.add_argument("--days", type=int, default=6)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seeds", type=int, nargs="*", default=[0])
    args = parser.parse_args()
    week = planted(args.ensembles, args.days)
    activities = len(compile_programme(week).items)
    print(f"{activities} activities, {args.ensembles} ensembles, {args.days} days")
    solve_template(week, args.time_limit, args.seeds)


if __name__ == "__main__":
    main()
