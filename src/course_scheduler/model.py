"""The programme file format as pydantic models: the vocabulary of the whole library.

These models validate shape and local consistency only (a time is a time, a duration is
positive). Cross-references (an activity naming an unknown person) are checked in
``loading.py`` where the file's line numbers are at hand, so the error can point at them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .clock import RANGE_HINT, TimeRange, format_clock, parse_clock
from .vocabulary import DEFAULT_BOUNDARIES, Category, Part

Id = Annotated[
    str,
    Field(
        min_length=1,
        max_length=80,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
        description="letters, digits, '-', '_' or '.', starting with a letter or digit",
    ),
]


def _to_range(value: Any) -> Any:
    if isinstance(value, TimeRange):
        return value
    if isinstance(value, str):
        return TimeRange.parse(value)
    raise ValueError(f"expected {RANGE_HINT}, got {type(value).__name__}")


def _to_clock(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("expected a time like 9:00")
    if isinstance(value, int):
        # YAML 1.1 reads an unquoted 17:00 as the sexagesimal integer 1020.
        if 0 <= value <= 24 * 60:
            return value
        raise ValueError(f"{value} is not a time like 9:00")
    if isinstance(value, str):
        return parse_clock(value)
    raise ValueError(f"expected a time like 9:00, got {type(value).__name__}")


Range = Annotated[
    TimeRange,
    BeforeValidator(_to_range),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}[:.]\d{2}\s*[-–]\s*\d{1,2}[:.]\d{2}$"}),
]
Clock = Annotated[
    int,
    BeforeValidator(_to_clock),
    PlainSerializer(format_clock, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}[:.]\d{2}h?$"}),
]
Minutes = Annotated[int, Field(gt=0, le=24 * 60, description="minutes, 1 to 1440")]


class _Strict(BaseModel):
    """Unknown keys are errors: a typo in a field name must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False)


class Status(StrEnum):
    CONFIRMED = "confirmed"
    TBC = "tbc"
    DECLINED = "declined"


class Kind(StrEnum):
    """The built-in kinds (``vocabulary.BUILTIN_KINDS`` gives their categories); a file may
    declare more under ``kinds``. Rules select activities by kind or by category."""

    WELCOME = "welcome"
    ICE_BREAKER = "ice_breaker"
    GUEST_TALK = "guest_talk"
    QA = "qa"
    COFFEE_BREAK = "coffee_break"
    SKILLS_SESSION = "skills_session"
    CASE_STUDY = "case_study"
    PARTICIPANTS_FLOOR = "participants_floor"
    WRAP_UP = "wrap_up"
    LUNCH = "lunch"
    SITE_VISIT = "site_visit"
    NETWORKING = "networking"
    CLOSING = "closing"
    CERTIFICATES = "certificates"
    GROUP_PICTURE = "group_picture"
    FREE_TIME = "free_time"
    TRANSPORT = "transport"
    TALK = "talk"
    WORKSHOP = "workshop"
    OTHER = "other"


KindName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=80,
        description="a kind: built in (guest_talk, lunch, coffee_break...) or declared in 'kinds'",
    ),
]
Selector = Annotated[
    str,
    Field(
        min_length=1,
        max_length=80,
        description="a kind, or a category (content, break, meal, free, social, visit, travel, "
        "ceremony, admin) for every kind in it",
    ),
]


class KindDeclaration(_Strict):
    """A kind the file uses beyond the built-in ones (breakfast, dinner, poster_session, hike),
    or a built-in one re-declared (another label, other parts of the day)."""

    id: Id
    category: Category
    parts: list[Part] | None = Field(
        default=None,
        description="the parts of the day it naturally takes (default: its category's)",
    )
    label: str | None = Field(default=None, description="how exports name it")
    description: str | None = None


class DayParts(_Strict):
    """Where the parts of a day begin; the morning is what comes before midday."""

    midday: Clock = Field(default=DEFAULT_BOUNDARIES[0], description="default 12:30")
    afternoon: Clock = Field(default=DEFAULT_BOUNDARIES[1], description="default 14:30")
    evening: Clock = Field(default=DEFAULT_BOUNDARIES[2], description="default 18:30")

    @model_validator(mode="after")
    def _in_order(self) -> DayParts:
        if not self.midday < self.afternoon < self.evening:
            raise ValueError("the parts of the day must begin in order: midday, afternoon, evening")
        return self

    @property
    def boundaries(self) -> tuple[int, int, int]:
        return self.midday, self.afternoon, self.evening


class Course(_Strict):
    title: str = Field(min_length=1)
    organiser: str | None = None
    location: str | None = None
    timezone: str = Field(default="Europe/Madrid", description="an IANA time zone name")
    note: str | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone '{value}'; expected an IANA name like Europe/Madrid"
            ) from None
        return value


class Module(_Strict):
    """A column of the printed overview: what a day of the course is about."""

    id: Id
    number: int | None = None
    knowledge_session: str
    skills_session: str | None = None
    afternoon: str | None = None


class Closed(_Strict):
    """A window in which a room cannot be used (not booked then, or booked by others)."""

    date: dt.date
    time: Range


class Room(_Strict):
    id: Id
    name: str
    capacity: int | None = Field(default=None, gt=0, le=10_000_000)
    slots: list[Range] | None = Field(
        default=None,
        description="a slot grid: activities in this room start at a slot's start and end "
        "within that slot (omitted: any time)",
    )
    closed: list[Closed] = Field(
        default_factory=list, description="windows in which the room cannot be used"
    )


class VenueKind(StrEnum):
    VENUE = "venue"
    STOP = "stop"
    SITE = "site"


class Venue(_Strict):
    id: Id
    name: str
    address: str | None = None
    kind: VenueKind = VenueKind.VENUE
    rooms: list[Room] = Field(default_factory=list)
    note: str | None = None


class TravelLink(_Strict):
    """An edge of the travel graph; shortest paths give the time between any two venues."""

    between: tuple[Id, Id]
    minutes: Annotated[int, Field(ge=0, le=24 * 60)]
    mode: str | None = None
    note: str | None = None


class Availability(_Strict):
    """A window when a person can take part: a date, optionally narrowed to a time range."""

    date: dt.date
    time: Range | None = None


class Barred(_Strict):
    """A window an activity must not overlap (in one room only, when ``room`` is given)."""

    date: dt.date
    time: Range
    room: Id | None = None


class Person(_Strict):
    id: Id
    name: str = Field(min_length=1)
    role: str | None = None
    organisation: str | None = None
    status: Status = Status.CONFIRMED
    available: list[Availability] | None = Field(
        default=None, description="omitted means available throughout the course"
    )
    note: str | None = None


class Group(_Strict):
    id: Id
    name: str
    size: int | None = Field(default=None, gt=0, le=10_000_000)


class Activity(_Strict):
    """Anything that occupies time. ``time`` is the published (fixed) time, if any."""

    id: Id
    title: str = Field(min_length=1)
    kind: KindName = "other"
    time: Range | None = None
    duration: Minutes | None = None
    date: dt.date | None = Field(default=None, description="set by the enclosing day")
    dates: list[dt.date] | None = Field(default=None, description="candidate dates if unplaced")
    window: Range | None = Field(default=None, description="the activity must lie inside this")
    venue: Id | None = None
    venues: list[Id] | None = Field(default=None, description="candidate venues if open")
    room: Id | None = None
    rooms: list[Id] | None = None
    people: list[Id] = Field(default_factory=list)
    groups: list[Id] = Field(default_factory=list, description="empty means every group")
    module: Id | None = None
    transport: Id | None = Field(default=None, description="the leg that takes the group there")
    includes_travel: bool = Field(
        default=False, description="the printed time includes the bus rides of its leg"
    )
    pinned: bool = Field(default=True, description="a given time is kept by the solver")
    audience: int | None = Field(default=None, gt=0, le=10_000_000)
    barred: list[Barred] = Field(default_factory=list, description="windows it must avoid")
    depends_on: list[Id] = Field(
        default_factory=list,
        description="activities this one cannot happen without (a Q&A needs its talk): "
        "when they are dropped, so is this one",
    )
    description: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _duration_agrees(self) -> Activity:
        if self.time is None and self.duration is None:
            raise ValueError("give either 'time' (e.g. '9:00 - 9:20') or 'duration' (minutes)")
        if self.time is not None and self.duration not in (None, self.time.minutes):
            raise ValueError(
                f"'time' {self.time} lasts {self.time.minutes} minutes "
                f"but 'duration' says {self.duration}"
            )
        return self

    @property
    def minutes(self) -> int:
        if self.time is not None:
            return self.time.minutes
        assert self.duration is not None
        return self.duration


class Day(_Strict):
    date: dt.date
    theme: str | None = None
    module: Id | None = None
    description: str | None = None
    venue: Id | None = Field(default=None, description="default venue of the day's activities")
    window: Range = Field(description="the usable window of the day")
    note: str | None = None
    activities: list[Activity] = Field(default_factory=list)


class ReturnRide(_Strict):
    depart: Clock | None = None
    arrive: Clock | None = Field(default=None, description="approximate arrival back")
    to: list[Id] = Field(default_factory=list, description="drop-off stops, in order")
    ride_minutes: Minutes | None = None


class TransportLeg(_Strict):
    """A bus or walk out to a place and back; it occupies the group that rides it."""

    id: Id
    title: str
    mode: str = "bus"
    date: dt.date | None = None
    dates: list[dt.date] | None = None
    origin: Id = Field(alias="from")
    to: Id
    depart: Clock | None = None
    depart_window: Range | None = None
    ride_minutes: Minutes
    back: ReturnRide = Field(alias="return")
    groups: list[Id] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _one_departure(self) -> TransportLeg:
        if self.depart is None and self.depart_window is None:
            raise ValueError("give 'depart' (e.g. 14:30) or 'depart_window' (e.g. '14:00 - 15:30')")
        return self


class Severity(StrEnum):
    HARD = "hard"
    SOFT = "soft"


class _Rule(_Strict):
    id: Id
    severity: Severity = Severity.HARD
    weight: int = Field(default=1, ge=0, le=1_000_000)
    description: str | None = Field(default=None, description="the rule in one sentence")


class DayWindowRule(_Rule):
    kind: Literal["day_window"]


class NoOverlapRule(_Rule):
    kind: Literal["no_overlap"]
    resource: Literal["group", "person", "room"]


class SequenceRule(_Rule):
    """Each activity follows the previous one on the same day, with a gap in [min_gap, max_gap]."""

    kind: Literal["sequence"]
    activities: list[Id] = Field(min_length=2)
    min_gap: int = Field(default=0, ge=0, le=24 * 60)
    max_gap: int | None = Field(default=None, ge=0, le=24 * 60)


class OpensDayRule(_Rule):
    kind: Literal["opens_day"]
    kinds: list[Selector] = Field(min_length=1)


class LastBeforeRule(_Rule):
    """An activity of ``kinds`` is the group's last activity before ``before`` on its day."""

    kind: Literal["last_before"]
    kinds: list[Selector] = Field(min_length=1)
    before: Selector


class TimeWindowRule(_Rule):
    kind: Literal["time_window"]
    kinds: list[Selector] = Field(default_factory=list)
    activities: list[Id] = Field(default_factory=list)
    within: Range


class MaxContentRule(_Rule):
    kind: Literal["max_content"]
    minutes: Minutes
    breaks: list[Selector] = Field(
        default_factory=lambda: [str(Category.BREAK), str(Category.MEAL), str(Category.FREE)],
        description="what ends a run of sessions: kinds or categories (default: every break, "
        "meal and free time)",
    )


class TravelTimeRule(_Rule):
    kind: Literal["travel_time"]


class TransportRule(_Rule):
    kind: Literal["transport"]


class DateWindowRule(_Rule):
    kind: Literal["date_window"]
    activities: list[Id] = Field(min_length=1)
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    event: str | None = None


class AvailabilityRule(_Rule):
    kind: Literal["availability"]


class ConfirmedRule(_Rule):
    kind: Literal["confirmed"]


class DeadlineRule(_Rule):
    kind: Literal["deadline"]
    activity: Id
    confirm_by: dt.date


class CompactRule(_Rule):
    kind: Literal["compact"]
    max_gap: int = Field(ge=0, le=24 * 60)


class ModuleDayRule(_Rule):
    kind: Literal["module_day"]


class ModuleOrderRule(_Rule):
    """Every module in ``before`` is held on an earlier day than every module in ``after``."""

    kind: Literal["module_order"]
    before: list[Id] = Field(min_length=1)
    after: list[Id] = Field(min_length=1)


class ClashRule(_Rule):
    """Named activities must not run at the same time (shared speaker, shared topic...)."""

    kind: Literal["clash"]
    activities: list[Id] = Field(min_length=2)


class CapacityRule(_Rule):
    kind: Literal["capacity"]


Rule = Annotated[
    DayWindowRule
    | NoOverlapRule
    | SequenceRule
    | OpensDayRule
    | LastBeforeRule
    | TimeWindowRule
    | MaxContentRule
    | TravelTimeRule
    | TransportRule
    | DateWindowRule
    | AvailabilityRule
    | ConfirmedRule
    | DeadlineRule
    | CompactRule
    | ModuleDayRule
    | ModuleOrderRule
    | ClashRule
    | CapacityRule,
    Field(discriminator="kind"),
]


class Objective(_Strict):
    """Weights of the solver's goals; see the README's 'Objectives' section."""

    soft_rules: int = Field(default=1000, ge=0, le=1_000_000)
    moved_activities: int = Field(default=100, ge=0, le=1_000_000)
    moved_days: int = Field(
        default=100, ge=0, le=1_000_000, description="per activity moved to another day"
    )
    moved_venues: int = Field(
        default=50, ge=0, le=1_000_000, description="per activity that changes venue"
    )
    moved_minutes: int = Field(
        default=1, ge=0, le=1_000_000, description="per minute of time-of-day shift"
    )
    idle_minutes: int = Field(default=0, ge=0, le=1_000_000)
    day_end: int = Field(default=1, ge=0, le=1_000_000)


class Programme(_Strict):
    course: Course
    modules: list[Module] = Field(default_factory=list)
    venues: list[Venue] = Field(min_length=1)
    travel: list[TravelLink] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=lambda: [Group(id="cohort", name="Participants")])
    kinds: list[KindDeclaration] = Field(
        default_factory=list, description="kinds beyond the built-in ones, each with a category"
    )
    day_parts: DayParts = Field(default_factory=DayParts)
    days: list[Day] = Field(min_length=1)
    activities: list[Activity] = Field(
        default_factory=list, description="activities not yet placed on a day (templates)"
    )
    transport: list[TransportLeg] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    objective: Objective = Field(default_factory=Objective)
    _source: Any = PrivateAttr(default=None)

    def all_activities(self) -> list[Activity]:
        """Every activity, day by day, then the unplaced ones, with dates filled from the day."""
        result: list[Activity] = []
        for day in self.days:
            for activity in day.activities:
                result.append(activity)
        result.extend(self.activities)
        return result
