"""The shared vocabulary of a day's shape: categories of activity and parts of the day.

A *kind* is what a file calls an activity (``guest_talk``, ``lunch``, or one the file
declares: ``breakfast``, ``poster_session``, ``hike``). Every kind belongs to one *category*,
the stable vocabulary that rules and objectives speak: a rule may select activities by kind or
by category (``kinds: [meal]`` is every meal, whatever the file calls it), ``max_content``
counts the sitting categories, the planner defaults know where each category belongs in a day.

A day has four *parts*, morning, midday, afternoon and evening, with boundaries a file may
move (``day_parts``); an activity is in the part that holds its middle. Each kind has the parts
it naturally takes (its category's unless the kind says otherwise): content in the morning and
afternoon, lunch at midday, visits and free time in the afternoon, social events in the
evening.

Plain data only: the check path reads this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    CONTENT = "content"
    """Sessions: talks, Q&A, workshops, skills sessions, case studies."""
    BREAK = "break"
    MEAL = "meal"
    FREE = "free"
    SOCIAL = "social"
    VISIT = "visit"
    """Site visits and excursions: away from the venue, usually a whole afternoon."""
    TRAVEL = "travel"
    CEREMONY = "ceremony"
    ADMIN = "admin"
    """Welcomes, housekeeping, wrap-ups: the frame of a day."""


class Part(StrEnum):
    MORNING = "morning"
    MIDDAY = "midday"
    AFTERNOON = "afternoon"
    EVENING = "evening"


PARTS = tuple(Part)

SESSION_CATEGORIES = frozenset({Category.CONTENT, Category.CEREMONY, Category.ADMIN})
"""What counts as sitting in a session (``max_content``; a day's module): not a meal, a break,
free time, a visit, a social event or a ride, whatever its kind is called."""

DEFAULT_BOUNDARIES = (13 * 60, 14 * 60 + 30, 18 * 60 + 30)
"""Where midday, afternoon and evening begin (minutes of the day): 13:00, 14:30, 18:30."""

CATEGORY_PARTS: dict[Category, tuple[Part, ...]] = {
    Category.CONTENT: (Part.MORNING, Part.MIDDAY, Part.AFTERNOON),
    Category.BREAK: (Part.MORNING, Part.MIDDAY, Part.AFTERNOON),
    Category.MEAL: PARTS,
    Category.FREE: (Part.AFTERNOON, Part.EVENING),
    Category.SOCIAL: (Part.AFTERNOON, Part.EVENING),
    Category.VISIT: (Part.AFTERNOON,),
    Category.TRAVEL: PARTS,
    Category.CEREMONY: PARTS,
    Category.ADMIN: PARTS,
}
"""The parts of the day each category naturally takes, unless its kind says otherwise.
Sessions and breaks take the midday too: where lunch falls is the meal's own usual time
(the ``meal_times`` planner default), so a noon-lunch day keeps its sessions from 13:00 on."""


@dataclass(frozen=True)
class KindInfo:
    """A kind as the rules see it: its category, the parts of the day it takes, its label."""

    name: str
    category: Category
    parts: tuple[Part, ...]
    label: str

    @classmethod
    def of(
        cls,
        name: str,
        category: Category,
        parts: tuple[Part, ...] | None = None,
        label: str | None = None,
    ) -> KindInfo:
        return cls(
            name,
            category,
            parts if parts else CATEGORY_PARTS[category],
            label or name.replace("_", " ").capitalize(),
        )


_C = Category
BUILTIN_KINDS: dict[str, KindInfo] = {
    info.name: info
    for info in (
        KindInfo.of("welcome", _C.ADMIN, (Part.MORNING,), "Welcome"),
        KindInfo.of("registration", _C.ADMIN, label="Registration"),
        KindInfo.of("arrival", _C.ADMIN, label="Arrival"),
        KindInfo.of("check_in", _C.ADMIN, label="Check-in"),
        KindInfo.of("ice_breaker", _C.CONTENT, (Part.MORNING,), "Ice breaker"),
        KindInfo.of("guest_talk", _C.CONTENT, label="Guest talk"),
        KindInfo.of("qa", _C.CONTENT, label="Q&A"),
        KindInfo.of("skills_session", _C.CONTENT, label="Skills session"),
        KindInfo.of("case_study", _C.CONTENT, label="Case study"),
        KindInfo.of("participants_floor", _C.CONTENT, label="Participants' floor"),
        KindInfo.of("wrap_up", _C.ADMIN, label="Wrap-up"),
        KindInfo.of("coffee_break", _C.BREAK, label="Coffee break"),
        KindInfo.of("breakfast", _C.MEAL, (Part.MORNING,), "Breakfast"),
        KindInfo.of("lunch", _C.MEAL, (Part.MIDDAY,), "Lunch"),
        KindInfo.of("dinner", _C.MEAL, (Part.EVENING,), "Dinner"),
        KindInfo.of("site_visit", _C.VISIT, label="Site visit"),
        KindInfo.of("networking", _C.SOCIAL, label="Networking"),
        KindInfo.of("closing", _C.CEREMONY, label="Closing"),
        KindInfo.of("certificates", _C.CEREMONY, label="Certificates"),
        KindInfo.of("group_picture", _C.CEREMONY, label="Group picture"),
        KindInfo.of("free_time", _C.FREE, label="Free time"),
        KindInfo.of("transport", _C.TRAVEL, label="Transport"),
        KindInfo.of("talk", _C.CONTENT, label="Talk"),
        KindInfo.of("workshop", _C.CONTENT, label="Workshop"),
        KindInfo.of("other", _C.CONTENT, label="Other"),
    )
}
"""The kinds every programme knows; a file may declare more (``kinds:``) or re-declare these."""

CATEGORY_NAMES = frozenset(c.value for c in Category)


def part_of(start: int, end: int, boundaries: tuple[int, int, int] = DEFAULT_BOUNDARIES) -> Part:
    """The part of the day holding the middle of [start, end)."""
    middle2 = start + end  # twice the middle: no rounding
    midday, afternoon, evening = boundaries
    if middle2 < 2 * midday:
        return Part.MORNING
    if middle2 < 2 * afternoon:
        return Part.MIDDAY
    if middle2 < 2 * evening:
        return Part.AFTERNOON
    return Part.EVENING
