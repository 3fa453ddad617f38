"""A rule's meaning in one sentence, made from its current values.

A planner's ``description`` is the best sentence for a rule as the file wrote it, but it is
free text: when a scenario changes the rule's values (an exhibition that closes earlier, a
sequence that loses an activity), the old words would quote facts that no longer hold. So
every sentence that states dates, times, gaps or activities can be rebuilt here from the
values themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..text import plural
from .base import day_label


def describe(rule: Any, titles: Mapping[str, str]) -> str:
    """One sentence (no final full stop) for ``rule``; ``titles`` maps activity ids to titles."""
    writer = _WRITERS.get(rule.kind)
    return writer(rule, titles) if writer else f"rule {rule.id} ({rule.kind})"


def _names(ids: Sequence[str], titles: Mapping[str, str]) -> str:
    quoted = [_quote(titles.get(x, x)) for x in ids]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _quote(title: str) -> str:
    return f"'{title}'" if len(title) <= 50 else f"'{title[:47].rstrip()}...'"


def _kinds(kinds: Sequence[str]) -> str:
    words = [str(k).replace("_", " ") for k in kinds]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _sequence(rule: Any, titles: Mapping[str, str]) -> str:
    if rule.max_gap == 0 and rule.min_gap == 0:
        gap = "directly"
    elif rule.max_gap is None:
        gap = f"at least {plural(rule.min_gap, 'minute')} apart" if rule.min_gap else "in order"
    else:
        gap = f"{rule.min_gap} to {plural(rule.max_gap, 'minute')} apart"
    return f"{_names(rule.activities, titles)} follow each other {gap} on the same day"


def _time_window(rule: Any, titles: Mapping[str, str]) -> str:
    parts = []
    if rule.kinds:
        parts.append(f"every {_kinds(rule.kinds)}")
    if rule.activities:
        parts.append(_names(rule.activities, titles))
    many = len(rule.activities) + (2 if rule.kinds else 0) > 1
    return f"{' and '.join(parts)} {'lie' if many else 'lies'} within {rule.within}"


def _date_window(rule: Any, titles: Mapping[str, str]) -> str:
    event = f" while {rule.event} is open" if rule.event else ""
    return (
        f"{_names(rule.activities, titles)} "
        f"{'take' if len(rule.activities) > 1 else 'takes'} place{event}, from {day_label(rule.start)} "
        f"to {day_label(rule.end)}"
    )


def _max_content(rule: Any, titles: Mapping[str, str]) -> str:
    return (
        f"no more than {plural(rule.minutes, 'minute')} of sessions run without a break "
        f"({_kinds(rule.breaks)})"
        if rule.breaks
        else f"no session run lasts more than {plural(rule.minutes, 'minute')}"
    )


_WRITERS: dict[str, Callable[[Any, Mapping[str, str]], str]] = {
    "day_window": lambda r, t: "every activity lies inside its day's window",
    "no_overlap": lambda r, t: f"each {r.resource} takes part in one activity at a time",
    "sequence": _sequence,
    "opens_day": lambda r, t: f"a {_kinds(r.kinds)} opens each day",
    "last_before": lambda r, t: f"a {_kinds(r.kinds)} is the last item before {_kinds([r.before])}",
    "time_window": _time_window,
    "max_content": _max_content,
    "travel_time": lambda r, t: "between activities at different places there is time to travel",
    "transport": lambda r, t: "what a bus serves fits its departure, rides and return",
    "date_window": _date_window,
    "availability": lambda r, t: "people take part only when they are available",
    "confirmed": lambda r, t: "every person an activity depends on is confirmed",
    "deadline": lambda r, t: (
        f"{_names([r.activity], t)} must be confirmed by {day_label(r.confirm_by)}, "
        "a day before it takes place"
    ),
    "compact": lambda r, t: (
        f"the group's activities before lunch leave holes of at most {plural(r.max_gap, 'minute')}"
    ),
    "module_day": lambda r, t: "each module has a day of its own",
    "module_order": lambda r, t: (
        f"module(s) {', '.join(r.before)} come before module(s) {', '.join(r.after)}"
    ),
    "clash": lambda r, t: f"{_names(list(dict.fromkeys(r.activities)), t)} never run at once",
    "capacity": lambda r, t: "every audience fits its room",
    "same_room": lambda r, t: f"{_names(r.activities, t)} take place in one room",
    "meal_times": lambda r, t: (
        f"each meal starts within {plural(r.slack, 'minute')} of its usual time"
    ),
    "openers": lambda r, t: f"a {_kinds(r.kinds)} opens its day",
    "spaced_breaks": lambda r, t: "a break is never next to a meal or another break",
    "after_dinner": lambda r, t: "nothing but evening activities comes after dinner",
    "together": lambda r, t: "parallel sessions start together",
    "idle": lambda r, t: f"no idle stretch longer than {plural(r.maximum, 'minute')}",
}
