"""The programme file format as pydantic models: the vocabulary of the whole library.

These models validate shape and local consistency (a time is a time, a duration is
positive), also when a field is assigned in Python (``activity.time = "18:00 - 20:00"`` is read
as a time; a value that is not one is refused there and then). Cross-references (an activity
naming an unknown person) are checked by ``validation.py`` whenever a ``Programme`` is made, by
``load``, ``Programme.model_validate`` or ``Programme(...)``, and again where every reading
starts (``compile_programme``). Whatever the entry point, a bad value is one ``ProgrammeError``
naming the field's path (and, for a file, its line).

Every command imports this module, and pydantic builds the 56 models' schemas then: a good part
of a ``check``'s time. So the annotations here are objects, not postponed strings (no ``from
__future__ import annotations``, which would have pydantic compile and evaluate each of some 300
strings again), and empty defaults come from the two small functions below rather than
``list``/``dict`` (whose signatures pydantic would read by tokenizing their text). The models and
their validation are the same either way.
"""

import datetime as dt
import re
from contextvars import ContextVar
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_serializer,
    model_validator,
)

from .clock import (
    OPEN_HINT,
    RANGE_HINT,
    OpenStart,
    TimeRange,
    format_clock,
    parse_clock,
    parse_time,
)
from .collector import collector_paused, promote_to_oldest
from .errors import ProgrammeError, SourceMap
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


def _to_time(value: Any) -> Any:
    if isinstance(value, TimeRange | OpenStart):
        return value
    if isinstance(value, str):
        return parse_time(value)
    raise ValueError(f"expected {OPEN_HINT}, got {type(value).__name__}")


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


_CLOCK_PATTERN = r"\d{1,2}(?:[:.]\d{2})?(?:\s*[aApP]\.?\s*[mM]\.?|h)?"
"""A printed time as the JSON Schema describes it (``clock.py`` gives the exact reading)."""
Range = Annotated[
    TimeRange,
    BeforeValidator(_to_range),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": rf"^\s*{_CLOCK_PATTERN}\s*[-–—]\s*{_CLOCK_PATTERN}\s*$",
            "description": "'9:00 - 9:20', '17.00h - 18.30h' or '9:00am - 1:00pm'",
        }
    ),
]
ActivityTime = Annotated[
    TimeRange | OpenStart,
    BeforeValidator(_to_time),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": rf"^\s*(?:{_CLOCK_PATTERN}\s*[-–—]\s*(?:{_CLOCK_PATTERN})?"
            rf"|[fF]rom\s+{_CLOCK_PATTERN})\s*$",
            "description": "'9:00 - 9:20' or '9:00am - 1:00pm'; '17:30 -' or 'from 17:30' for an "
            "item with no printed end",
        }
    ),
]
Clock = Annotated[
    int,
    BeforeValidator(_to_clock),
    PlainSerializer(format_clock, return_type=str),
    WithJsonSchema({"type": "string", "pattern": rf"^\s*{_CLOCK_PATTERN}\s*$"}),
]
Minutes = Annotated[int, Field(gt=0, le=24 * 60, description="minutes, 1 to 1440")]


def _empty_list() -> list[Any]:
    """A new empty list: ``default_factory=list`` with a signature read without tokenizing."""
    return []


def _empty_dict() -> dict[Any, Any]:
    """A new empty dict (see ``_empty_list``)."""
    return {}


PLANNING_YEARS = (1900, 2999)
"""The years a programme's dates may lie in: a date far outside them is a slip ("0001-01-01"),
and calendars, time zones and the day before or after it would fail on it."""


def _planning_date(value: dt.date) -> dt.date:
    first, last = PLANNING_YEARS
    if not first <= value.year <= last:
        raise ValueError(f"{value} is not a date of a programme (years {first} to {last})")
    return value


Date = Annotated[dt.date, AfterValidator(_planning_date)]


def _to_duration(value: Any) -> Any:
    """ "120 - 270" (minutes) is a range, like ``{min: 120, max: 270}``; a number is fixed."""
    if isinstance(value, str) and _RANGE_OF_MINUTES.match(value):
        low, high = (int(x) for x in re.split(r"\s*[-–]\s*", value.strip()))
        return {"min": low, "max": high}
    return value


_RANGE_OF_MINUTES = re.compile(r"^\s*\d+\s*[-–]\s*\d+\s*$")


class DurationRange(BaseModel):
    """An elastic duration: the solver chooses it (free time: "whatever is left, 2 to 4 1/2
    hours" is ``{min: 120, max: 270}``, or ``"120 - 270"``)."""

    model_config = ConfigDict(extra="forbid")

    min: Minutes
    max: Minutes

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min > self.max:
            raise ValueError(
                f"a duration range runs from its minimum to its maximum, not {self.min} to {self.max}"
            )
        return self

    def __str__(self) -> str:
        return f"{self.min} - {self.max}"


Duration = Annotated[Minutes | DurationRange, BeforeValidator(_to_duration)]


class _Strict(BaseModel):
    """Unknown keys are errors: a typo in a field name must never be silently ignored. An
    assignment is validated like the file's value (``activity.time = "18:00 - 20:00"`` becomes
    a time), and one that is not valid raises ``ProgrammeError`` naming the field, as a file
    would. (No custom ``__init__`` here: pydantic would call it for every nested model.)"""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, frozen=False, validate_assignment=True
    )

    def __setattr__(self, name: str, value: Any) -> None:
        try:
            super().__setattr__(name, value)
        except ValidationError as exc:
            error = _programme_error(exc, {name: value})
            if not error.path:  # the model as a whole refuses it (a time and a duration apart)
                error = ProgrammeError(error.message, path=(name,))
            raise error from None


def _programme_error(exc: ValidationError, data: Any) -> ProgrammeError:
    return from_validation(exc, data, SourceMap())


def from_validation(exc: ValidationError, data: Any, source: SourceMap) -> ProgrammeError:
    from .validation import from_validation as translate

    return translate(exc, data, source)


_VALIDATING: ContextVar[tuple[SourceMap] | None] = ContextVar("validating", default=None)
"""Set while ``Programme.model_validate`` runs: the source its errors are told from."""


class _Refused(Exception):
    """A ``ProgrammeError`` on its way out of pydantic, which would wrap a ValueError."""

    def __init__(self, error: ProgrammeError) -> None:
        super().__init__(str(error))
        self.error = error


class Status(StrEnum):
    CONFIRMED = "confirmed"
    TBC = "tbc"
    DECLINED = "declined"
    UNNAMED = "unnamed"
    """The programme names a role or a placeholder ("an elected representative", "to be
    announced", "selected from participants"), not a person: the session is planned, who
    gives it is not said. Not the same as ``tbc`` (a named person who has not confirmed)."""


class Kind(StrEnum):
    """The built-in kinds (``vocabulary.BUILTIN_KINDS`` gives their categories); a file may
    declare more under ``kinds``. Rules select activities by kind or by category."""

    WELCOME = "welcome"
    REGISTRATION = "registration"
    ARRIVAL = "arrival"
    CHECK_IN = "check_in"
    ICE_BREAKER = "ice_breaker"
    GUEST_TALK = "guest_talk"
    QA = "qa"
    COFFEE_BREAK = "coffee_break"
    SKILLS_SESSION = "skills_session"
    CASE_STUDY = "case_study"
    PARTICIPANTS_FLOOR = "participants_floor"
    WRAP_UP = "wrap_up"
    BREAKFAST = "breakfast"
    LUNCH = "lunch"
    DINNER = "dinner"
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

    midday: Clock = Field(default=DEFAULT_BOUNDARIES[0], description="default 13:00")
    afternoon: Clock = Field(default=DEFAULT_BOUNDARIES[1], description="default 14:30")
    evening: Clock = Field(default=DEFAULT_BOUNDARIES[2], description="default 18:30")

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        if not self.midday < self.afternoon < self.evening:
            raise ValueError("the parts of the day must begin in order: midday, afternoon, evening")
        return self

    @property
    def boundaries(self) -> tuple[int, int, int]:
        return self.midday, self.afternoon, self.evening


class Published(_Strict):
    """What a published schedule (frab, pretalx) said about an item that the programme format
    has no field of its own for: its identities, and an event's own type, subtitle and language.

    Imports set it on every event (empty when the file gave nothing) and exports give it back,
    so a schedule that goes through this library keeps the identities that conference apps and
    calendars already know, and an imported event's track, type and abstract as published.
    Rules never read it.
    """

    guid: str | None = Field(
        default=None,
        pattern=r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$",
        description="the item's UUID in the published schedule",
    )
    id: str | None = Field(
        default=None,
        max_length=200,
        description="the source's own id: an event's number, a person's id or code, "
        "a conference's acronym",
    )
    slug: str | None = Field(default=None, max_length=200)
    type: str | None = Field(
        default=None, description="an event's type as published, e.g. 'Talk 40 (30min +10 Q&A)'"
    )
    subtitle: str | None = None
    language: str | None = None


class Course(_Strict):
    title: str = Field(min_length=1)
    edition: str | None = Field(
        default=None,
        min_length=1,
        description="this edition's identity (e.g. 'metropolis-diploma-2025'): exports derive "
        "every event's UID and guid from it and the activity's id; default: the first day",
    )
    organiser: str | None = None
    location: str | None = None
    timezone: str = Field(default="Europe/Madrid", description="an IANA time zone name")
    url: str | None = Field(default=None, description="the course's or conference's web page")
    day_change: Clock | None = Field(
        default=None,
        description="when one conference day hands over to the next (frab's day change, e.g. "
        "6:00): an event that starts after midnight but before it belongs to the day before, "
        "in every export (omitted: midnight)",
    )
    note: str | None = None
    published: Published | None = None

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
    theme: str | None = Field(
        default=None,
        description="the theme and text of the day that holds the module, kept with the module "
        "when it may move to another day",
    )
    description: str | None = None


class Closed(_Strict):
    """A window in which a room cannot be used (not booked then, or booked by others)."""

    date: Date
    time: Range


class RoomKind(StrEnum):
    """What a room is for, as far as a repair needs to know: a talk displaced from a hall goes
    to another hall, not to a workshop space or an online channel."""

    HALL = "hall"
    WORKSHOP = "workshop"
    STAGE = "stage"
    ONLINE = "online"


class Room(_Strict):
    id: Id
    name: str
    capacity: int | None = Field(default=None, gt=0, le=10_000_000)
    kind: RoomKind | None = Field(
        default=None,
        description="hall, workshop, stage or online (a channel): an event moved out of a "
        "room goes only to a room of the same kind (omitted: any)",
    )
    slots: list[Range] | None = Field(
        default=None,
        description="a slot grid: activities in this room start at a slot's start and end "
        "within that slot (omitted: any time)",
    )
    closed: list[Closed] | None = Field(
        default=None,
        description="windows in which the room cannot be used (omitted: always open)",
    )
    published: Published | None = None


class VenueKind(StrEnum):
    VENUE = "venue"
    STOP = "stop"
    SITE = "site"


class Venue(_Strict):
    id: Id
    name: str
    address: str | None = None
    kind: VenueKind = VenueKind.VENUE
    rooms: list[Room] = Field(default_factory=_empty_list)
    note: str | None = None


class TravelLink(_Strict):
    """An edge of the travel graph; shortest paths give the time between any two venues.

    ``between: [a, b]`` holds both ways; ``from: a`` with ``to: b`` one way only (the road
    down is quicker than the road up; the return drive takes twice as long)."""

    between: tuple[Id, Id] | None = None
    origin: Id | None = Field(default=None, alias="from")
    to: Id | None = None
    minutes: Annotated[int, Field(ge=0, le=24 * 60)]
    mode: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        directed = self.origin is not None or self.to is not None
        if self.between is not None and directed:
            raise ValueError("give 'between' (both ways) or 'from' and 'to' (one way), not both")
        if self.between is None and (self.origin is None or self.to is None):
            raise ValueError(
                "give 'between: [A, B]' (both ways) or 'from: A' and 'to: B' (one way)"
            )
        return self

    @property
    def ends(self) -> tuple[str, str]:
        """The two venues (origin first for a one-way link)."""
        if self.between is not None:
            return self.between
        assert self.origin is not None and self.to is not None
        return self.origin, self.to

    @property
    def one_way(self) -> bool:
        return self.between is None


class Availability(_Strict):
    """A window when a person can take part: a date, optionally narrowed to a time range."""

    date: Date
    time: Range | None = None


class Barred(_Strict):
    """A window an activity must not overlap (in one room only, when ``room`` is given)."""

    date: Date
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
    online: bool | None = Field(
        default=None, description="true: takes part online (shown as online)"
    )
    members: list[Id] | None = Field(
        default=None,
        description="makes this entry a group of people ('Instructors'): an activity naming it "
        "takes each member; empty when the programme does not say who they are",
    )
    note: str | None = None
    published: Published | None = None


class Group(_Strict):
    id: Id
    name: str
    size: int | None = Field(default=None, gt=0, le=10_000_000)
    part_of: Id | None = Field(
        default=None,
        description="the group this one is a part of (the coordinators of the cohort): its "
        "members attend that group's activities too, and an activity for this group alone "
        "does not break that group's day",
    )


class Activity(_Strict):
    """Anything that occupies time. ``time`` is the published (fixed) time, if any."""

    id: Id
    title: str = Field(min_length=1)
    kind: KindName = "other"
    time: ActivityTime | None = Field(
        default=None,
        description="the published time; '17:30 -' or 'from 17:30' when no end is printed. "
        "With neither time nor duration, an activity on a day is untimed (breakfast, office "
        "hours to be announced): listed with its day, placed by nobody",
    )
    duration: Duration | None = Field(
        default=None,
        description="minutes, or a range the solver chooses from ('120 - 270'); with an open "
        "time, the least it lasts",
    )
    date: Date | None = Field(default=None, description="set by the enclosing day")
    dates: list[Date] | None = Field(default=None, description="candidate dates if unplaced")
    window: Range | None = Field(default=None, description="the activity must lie inside this")
    venue: Id | None = None
    venues: list[Id] | None = Field(default=None, description="candidate venues if open")
    room: Id | None = None
    rooms: list[Id] | None = None
    people: list[Id] = Field(default_factory=_empty_list)
    groups: list[Id] = Field(default_factory=_empty_list, description="empty means every group")
    module: Id | None = None
    transport: Id | None = Field(default=None, description="the leg that takes the group there")
    includes_travel: bool = Field(
        default=False, description="the printed time includes the bus rides of its leg"
    )
    pinned: bool = Field(default=True, description="a given time is kept by the solver")
    audience: int | None = Field(default=None, gt=0, le=10_000_000)
    barred: list[Barred] = Field(default_factory=_empty_list, description="windows it must avoid")
    depends_on: list[Id] = Field(
        default_factory=_empty_list,
        description="activities this one cannot happen without (a Q&A needs its talk): "
        "when they are dropped, so is this one",
    )
    optional: bool | None = Field(
        default=None,
        description="true: attendance is optional; it does not break the day of those who do "
        "not come, and is checked for those who do",
    )
    block: Id | None = Field(
        default=None,
        description="the activity this one is a part of (a talk inside 'Thematic sessions'): "
        "it lies inside that block's time and takes nobody's day apart from it",
    )
    parallel: bool | None = Field(
        default=None,
        description="on a block: its parts run side by side (labs, demos); without it they "
        "run one after another, in the order the file lists them",
    )
    alternatives: list[Id] | None = Field(
        default=None,
        min_length=2,
        description="places decided late (the beach or indoors, by weather): the timetable "
        "must work for each, unlike 'venues' where the solver picks one",
    )
    online: bool | None = Field(
        default=None, description="true: held online; no venue, no travel to or from it"
    )
    part: Part | None = Field(
        default=None,
        description="for an untimed activity, the part of the day printed ('Afternoon: ...')",
    )
    track: str | None = Field(
        default=None,
        min_length=1,
        description="the track (topic stream) it belongs to, e.g. 'Security'; "
        "a clash rule may name tracks",
    )
    abstract: str | None = Field(default=None, description="a short summary (frab 'abstract')")
    description: str | None = None
    url: str | None = Field(default=None, description="its web page")
    note: str | None = None
    published: Published | None = None

    @model_validator(mode="after")
    def _duration_agrees(self) -> Self:
        if isinstance(self.time, TimeRange) and self.duration is not None:
            low, high = self.duration_range
            if not low <= self.time.minutes <= high:
                raise ValueError(
                    f"'time' {self.time} lasts {self.time.minutes} minutes "
                    f"but 'duration' says {self.duration}"
                )
        if self.alternatives and (self.venue or self.venues):
            raise ValueError(
                "give 'alternatives' (places decided late, each must work) or 'venue'/'venues', "
                "not both"
            )
        if self.online and (self.venue or self.venues or self.alternatives):
            raise ValueError("an online activity has no venue; drop 'venue' or 'online'")
        if self.part is not None and not self.untimed:
            raise ValueError("'part' is for an activity with no time and no duration")
        return self

    @property
    def untimed(self) -> bool:
        """No time and no duration: it happens on its day at a time nobody states."""
        return self.time is None and self.duration is None

    @property
    def open_end(self) -> bool:
        """A printed start with no printed end."""
        return isinstance(self.time, OpenStart)

    @property
    def minutes(self) -> int:
        """The published length (of ``time``), or the shortest the duration allows."""
        if isinstance(self.time, TimeRange):
            return self.time.minutes
        return self.duration_range[0]

    @property
    def duration_range(self) -> tuple[int, int]:
        """Shortest and longest length (equal unless the duration is a range); an open end
        without a duration lasts at least a minute, an untimed activity nothing."""
        if isinstance(self.duration, DurationRange):
            return self.duration.min, self.duration.max
        if self.duration is not None:
            return self.duration, self.duration
        if isinstance(self.time, TimeRange):
            return self.time.minutes, self.time.minutes
        return (1, 1) if self.time is not None else (0, 0)


class Day(_Strict):
    date: Date
    label: str | None = Field(
        default=None, description="what the printed programme calls the day ('Day 1')"
    )
    theme: str | None = None
    module: Id | None = None
    description: str | None = None
    venue: Id | None = Field(default=None, description="default venue of the day's activities")
    window: Range = Field(description="the usable window of the day")
    start: Clock | None = Field(
        default=None, description="the day's usual start (default: its earliest listed time)"
    )
    note: str | None = None
    activities: list[Activity] = Field(default_factory=_empty_list)


class ReturnRide(_Strict):
    depart: Clock | None = None
    arrive: Clock | None = Field(default=None, description="approximate arrival back")
    to: list[Id] = Field(default_factory=_empty_list, description="drop-off stops, in order")
    ride_minutes: Minutes | None = None


class TransportLeg(_Strict):
    """A bus or walk out to a place and back, or only there (no ``return``: a one-way leg,
    the drive to the hotel; the way back, on another day, is a leg of its own); it occupies
    the group that rides it. ``return: {}`` is a return whose time is not known."""

    id: Id
    title: str
    mode: str = "bus"
    date: Date | None = None
    dates: list[Date] | None = None
    origin: Id = Field(alias="from")
    to: Id
    depart: Clock | None = None
    depart_window: Range | None = None
    ride_minutes: Minutes
    back: ReturnRide | None = Field(
        default=None, alias="return", description="the ride back; omitted for a one-way leg"
    )
    groups: list[Id] = Field(default_factory=_empty_list)
    note: str | None = None

    @model_validator(mode="after")
    def _one_departure(self) -> Self:
        if self.depart is None and self.depart_window is None:
            raise ValueError("give 'depart' (e.g. 14:30) or 'depart_window' (e.g. '14:00 - 15:30')")
        return self


class Deadline(_Strict):
    """A moment work is due ("homework due Tuesday, May 20 at 1:00pm"): not an activity, it
    takes no time; the ``due`` rule checks it against the sessions around it."""

    id: Id
    title: str = Field(min_length=1)
    date: Date
    time: Clock = Field(description="when it is due; 24:00 for the end of the day")
    set_by: Id | None = Field(default=None, description="the session that sets the work")
    groups: list[Id] = Field(default_factory=_empty_list, description="empty means every group")
    note: str | None = None


class Severity(StrEnum):
    HARD = "hard"
    SOFT = "soft"


class _Rule(_Strict):
    id: Id
    severity: Severity = Severity.HARD
    weight: int = Field(default=1, ge=0, le=1_000_000)
    description: str | None = Field(default=None, description="the rule in one sentence")
    set_aside: str | None = Field(
        default=None,
        description="why the rule is set aside (not checked nor solved for), e.g. a date window "
        "that no longer covers the edition's dates; 'check' lists it",
    )
    _default: bool = PrivateAttr(default=False)
    """A planner default the file did not write (its findings are notes)."""

    @property
    def planner_default(self) -> bool:
        """``_default``, read where pydantic keeps it: its own lookup of a private attribute
        takes two microseconds, and ``check`` asks once per finding (thousands at scale)."""
        private = self.__pydantic_private__
        return bool(private and private.get("_default"))


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
    kinds: list[Selector] = Field(default_factory=_empty_list)
    activities: list[Id] = Field(default_factory=_empty_list)
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
    start: Date = Field(alias="from")
    end: Date = Field(alias="to")
    event: str | None = None


class AvailabilityRule(_Rule):
    kind: Literal["availability"]


class ConfirmedRule(_Rule):
    kind: Literal["confirmed"]


class DeadlineRule(_Rule):
    kind: Literal["deadline"]
    activity: Id
    confirm_by: Date


class DueRule(_Rule):
    """Every deadline comes after the session that sets its work has ended, and does not fall
    inside an activity of ``not_during`` (default: meals) of its groups."""

    kind: Literal["due"]
    not_during: list[Selector] = Field(
        default_factory=lambda: [str(Category.MEAL)],
        description="kinds or categories a deadline must not fall inside (default: meals)",
    )


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
    """Named activities, and every activity of the named tracks, must not run at the same
    time (a shared speaker, a topic whose audience wants to see every talk...)."""

    kind: Literal["clash"]
    activities: list[Id] = Field(default_factory=_empty_list)
    tracks: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=_empty_list, description="every activity of these tracks is included"
    )

    @model_validator(mode="after")
    def _selects_something(self) -> Self:
        if not self.tracks and len(self.activities) < 2:
            raise ValueError("name at least two 'activities', or one or more 'tracks'")
        return self


class CapacityRule(_Rule):
    kind: Literal["capacity"]


class HolesRule(_Rule):
    """No hole shorter than ``minimum`` between a group's activities, unless travel (rounded
    up to the start-time grid) or two fixed times force it: a 10-minute gap before a talk is
    time nobody can use, the 2 minutes between an 8-minute walk from 7:15 and 7:25 are the
    grid's."""

    kind: Literal["holes"]
    minimum: Minutes = 15
    step: Minutes | None = Field(
        default=None,
        description="the travel before the next activity is rounded up to this many minutes "
        "(an 8-minute walk to 10 on a 5-minute grid) before a gap counts as a hole; default: "
        "the minutes of the programme's grid rule (the planner default's `planner.grid`), 1 "
        "with no grid",
    )


class OrderRule(_Rule):
    """Keep the order in which the file lists each day's activities (and each module's
    activities not yet placed): each pair the other way round is broken once."""

    kind: Literal["order"]


class GridRule(_Rule):
    """Start times on a grid (9:05, not 9:07)."""

    kind: Literal["grid"]
    minutes: Minutes = 5


class DayStartRule(_Rule):
    """A day starts at its usual start (its ``start``, else its earliest listed time), not as
    early as its window allows: broken by each minute away from it."""

    kind: Literal["day_start"]


class PartsRule(_Rule):
    """Each activity in a part of the day its kind takes (content in the morning and afternoon,
    lunch at midday, visits and free time in the afternoon, social events in the evening)."""

    kind: Literal["parts"]


DEFAULT_OPENERS = ("welcome", "registration", "arrival", "check_in", "breakfast")
"""The kinds that open the day they belong to, unless ``planner.openers`` says otherwise:
what a day starts with (a breakfast after a lecture is the first thing a planner moves)."""


class MealTimesRule(_Rule):
    """Each meal starts within ``slack`` minutes of its usual time: its own time when the file
    gives one (a template's usual time), else ``planner.meal_times`` for its kind, else the
    times the file gives other meals of its kind, else breakfast 7:30, lunch 12:30, dinner
    19:00 (by the part of the day its kind takes, or its name)."""

    kind: Literal["meal_times"]
    slack: Minutes = 60


class MealDriftRule(_Rule):
    """Each meal starts at its usual time (``MealTimesRule``): broken by each minute away from
    it. ``meal_times`` keeps a meal within its slack; this one says where in it."""

    kind: Literal["meal_drift"]


class OpenersRule(_Rule):
    """Arrival, registration, check-in, welcome and breakfast open their day: nothing of their
    groups that the file does not list before them starts before them on that day."""

    kind: Literal["openers"]
    kinds: list[Selector] = Field(
        default_factory=lambda: list(DEFAULT_OPENERS),
        description="the kinds (or categories) that open their day",
    )


class SpacedBreaksRule(_Rule):
    """A break is never next to a meal or another break: something of the group's day lies
    between them (a coffee right after lunch, two coffees back to back)."""

    kind: Literal["spaced_breaks"]


class AfterDinnerRule(_Rule):
    """Nothing starts after the day's dinner but what belongs in the evening (its kind takes
    the evening: social events, free time, meals, ceremonies...)."""

    kind: Literal["after_dinner"]


class TogetherRule(_Rule):
    """Parallel sessions start together: two sessions of sibling groups (or two parts of one
    block) that overlap in time start at the same time, or end at the same time."""

    kind: Literal["together"]


class IdleRule(_Rule):
    """No idle stretch longer than ``maximum`` minutes between a group's activities (travel
    aside), unless two fixed times make it: a stretch a planner would close."""

    kind: Literal["idle"]
    maximum: Minutes = 45


class SameRoomRule(_Rule):
    """The named activities take place in one room (the parts of an event split at midnight
    are one event: they cannot change room at midnight)."""

    kind: Literal["same_room"]
    activities: list[Id] = Field(min_length=2)


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
    | DueRule
    | CompactRule
    | ModuleDayRule
    | ModuleOrderRule
    | ClashRule
    | CapacityRule
    | HolesRule
    | OrderRule
    | GridRule
    | DayStartRule
    | PartsRule
    | MealTimesRule
    | MealDriftRule
    | OpenersRule
    | SpacedBreaksRule
    | AfterDinnerRule
    | TogetherRule
    | IdleRule
    | SameRoomRule,
    Field(discriminator="kind"),
]


Rank = Literal["disruption", "skeleton", "order", "shift", "soft_rules", "shape"]
DEFAULT_RANKING: tuple[Rank, ...] = (
    "disruption",
    "skeleton",
    "order",
    "shift",
    "soft_rules",
    "shape",
)
"""What counts first: with a reference (a repair, a template's usual times), moving what was
published; then the day's skeleton (meals at meal times, openers first, breaks spaced, nothing
after dinner, parallel sessions together); then the order the file lists the activities in;
then minutes of shift; then the file's soft rules; then the rest of the day's shape (idle
stretches, holes, grid, day start, parts, meal drift, idle minutes, day end)."""


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
    moved_rooms: int = Field(
        default=20,
        ge=0,
        le=1_000_000,
        description="per activity with a choice of rooms that leaves its published room",
    )
    off_track_rooms: int = Field(
        default=10,
        ge=0,
        le=1_000_000,
        description="per activity with a choice of rooms put in a room its track does not use",
    )
    moved_minutes: int = Field(
        default=1, ge=0, le=1_000_000, description="per minute of time-of-day shift"
    )
    moved_order: int = Field(
        default=200,
        ge=0,
        le=1_000_000,
        description="per pair of a day's activities a repair puts the other way round",
    )
    moved_parts: int = Field(
        default=100,
        ge=0,
        le=1_000_000,
        description="per activity a repair moves to another part of the day",
    )
    idle_minutes: int = Field(
        default=1, ge=0, le=1_000_000, description="per minute of holes inside a day"
    )
    day_end: int = Field(
        default=0, ge=0, le=1_000_000, description="per minute of a day's end (0: off)"
    )
    holes: int = Field(
        default=30, ge=0, le=1_000_000, description="planner default: per hole too short to use"
    )
    order: int = Field(
        default=10, ge=0, le=1_000_000, description="planner default: per pair out of listed order"
    )
    grid: int = Field(
        default=30,
        ge=0,
        le=1_000_000,
        description="planner default: per start off the grid (as much as a hole: a planner "
        "prints neither, and idle minutes count once per group waiting)",
    )
    day_start: int = Field(
        default=2,
        ge=0,
        le=1_000_000,
        description="planner default: per minute from a day's usual start",
    )
    parts: int = Field(
        default=20,
        ge=0,
        le=1_000_000,
        description="planner default: per activity outside its parts",
    )
    meal_times: int = Field(
        default=50,
        ge=0,
        le=1_000_000,
        description="day skeleton: per meal away from its usual time",
    )
    meal_drift: int = Field(
        default=1,
        ge=0,
        le=1_000_000,
        description="planner default: per minute a meal starts from its usual time",
    )
    openers: int = Field(
        default=50,
        ge=0,
        le=1_000_000,
        description="day skeleton: per arrival, registration or welcome that does not open its day",
    )
    spaced_breaks: int = Field(
        default=30,
        ge=0,
        le=1_000_000,
        description="day skeleton: per break next to a meal or another break",
    )
    after_dinner: int = Field(
        default=50,
        ge=0,
        le=1_000_000,
        description="day skeleton: per activity after dinner that does not belong in the evening",
    )
    together: int = Field(
        default=20,
        ge=0,
        le=1_000_000,
        description="day skeleton: per pair of parallel sessions that do not start together",
    )
    idle: int = Field(
        default=10,
        ge=0,
        le=1_000_000,
        description="planner default: per idle stretch a planner would close",
    )
    ranking: list[Rank] = Field(
        default_factory=lambda: list(DEFAULT_RANKING),
        description="the order in which the objective's ranks count, first the one that "
        "matters most; every rank once (default: disruption, skeleton, order, shift, soft_rules, "
        "shape)",
    )

    @field_validator("ranking")
    @classmethod
    def _every_rank_once(cls, ranking: list[Rank]) -> list[Rank]:
        if sorted(ranking) != sorted(DEFAULT_RANKING):
            raise ValueError(
                "name every rank once, in the order they count: " + ", ".join(DEFAULT_RANKING)
            )
        return ranking


CONFERENCE_OBJECTIVE = {
    "meal_times": 0,
    "meal_drift": 0,
    "openers": 0,
    "spaced_breaks": 0,
    "after_dinner": 0,
    "together": 0,
    "idle": 0,
    "holes": 0,
    "order": 0,
    "grid": 0,
    "day_start": 0,
    "parts": 0,
    "idle_minutes": 0,
    "day_end": 0,
    "moved_order": 0,
    "moved_parts": 0,
}
"""The planner defaults are about one cohort's day; a multi-track conference's schedule (an
imported one, the peer benchmark's) turns them off: its parallel talks leave "holes" in
nobody's day, and its listing order means nothing. So does a repair's order of one group's
day (one attendee group spans every parallel room): a conference repair counts the events
it moves, as few as possible, then their minutes of shift, not the parts of the day."""


class Planner(_Strict):
    """The settings of the planner defaults (their weights are in ``objective``)."""

    min_hole: Minutes = Field(default=15, description="a shorter hole is wasted")
    grid: Minutes = Field(default=5, description="start times on this grid")
    meal_times: dict[KindName, Clock] = Field(
        default_factory=_empty_dict,
        description="the usual start of each meal kind ({lunch: '12:30'}); a meal's own time "
        "in the file wins",
    )
    meal_slack: Minutes = Field(
        default=60, description="how far from its usual time a meal may start"
    )
    openers: list[Selector] = Field(
        default_factory=lambda: list(DEFAULT_OPENERS),
        description="the kinds (or categories) that open their day",
    )
    max_idle: Minutes = Field(
        default=45, description="a longer idle stretch between two activities is one to close"
    )


SOURCE = "course_scheduler.source"
"""The validation context's key for the file a programme is read from (``loading``)."""


class Programme(_Strict):
    """A whole edition. However it is made (``Programme.model_validate(data)``, ``Programme(
    **fields)``, or ``load`` of a file), pydantic validates the values and ``validation.py``
    the cross-references, and every error is one ``ProgrammeError`` with the field's path."""

    course: Course
    attention: list[str] = Field(
        default_factory=_empty_list,
        description="what needs a person before the programme is published (a new edition's "
        "to-do list): 'check' reports each item as a note until the planner removes it",
    )
    modules: list[Module] = Field(default_factory=_empty_list)
    venues: list[Venue] = Field(min_length=1)
    travel: list[TravelLink] = Field(default_factory=_empty_list)
    people: list[Person] = Field(default_factory=_empty_list)
    groups: list[Group] = Field(default_factory=lambda: [Group(id="cohort", name="Participants")])
    kinds: list[KindDeclaration] = Field(
        default_factory=_empty_list,
        description="kinds beyond the built-in ones, each with a category",
    )
    day_parts: DayParts = Field(default_factory=DayParts)
    days: list[Day] = Field(min_length=1)
    activities: list[Activity] = Field(
        default_factory=_empty_list, description="activities not yet placed on a day (templates)"
    )
    transport: list[TransportLeg] = Field(default_factory=_empty_list)
    deadlines: list[Deadline] = Field(
        default_factory=_empty_list, description="moments work is due (homework), checked by 'due'"
    )
    rules: list[Rule] = Field(default_factory=_empty_list)
    objective: Objective = Field(default_factory=Objective)
    planner: Planner = Field(default_factory=Planner)
    _source: Any = PrivateAttr(default=None)

    @model_serializer(mode="wrap")
    def _without_empty_attention(self, handler: SerializerFunctionWrapHandler) -> Any:
        """An empty to-do list is not written: files without one stay as they were."""
        data = handler(self)
        if isinstance(data, dict) and not data.get("attention"):
            data.pop("attention", None)
        return data

    def __init__(self, /, **data: Any) -> None:
        # pydantic calls a model's own __init__ from ``model_validate`` too (with the data as
        # keywords); there an error must not be a ValueError, or pydantic would wrap it again
        inside = _VALIDATING.get()
        try:
            try:
                super().__init__(**data)
            except ValidationError as exc:
                source = inside[0] if inside is not None else SourceMap()
                raise from_validation(exc, data, source) from None
            if inside is None:  # ``model_validate`` cross-checks once it has the programme
                _cross_check(self, None)
        except ProgrammeError as error:
            if inside is not None:
                raise _Refused(error) from None
            raise

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> Self:
        """pydantic's ``model_validate``, then the cross-checks; ``context={SOURCE: source}``
        gives the errors the file and lines of ``source`` (a ``SourceMap``).

        The cycle collector is paused while pydantic builds the models (``collector``): a file
        of 20,000 talks makes millions of small objects and no cycles, and each of the
        collector's full passes, set off as they pile up, walked all that was made so far and
        the parsed data too, so the time grew faster than the file (a third of validating
        20,000 talks). What was made then goes to the oldest generation, as compile's does."""
        context = options.get("context")
        given = context.get(SOURCE) if isinstance(context, dict) else None
        source = given if isinstance(given, SourceMap) else SourceMap()
        token = _VALIDATING.set((source,))
        try:
            with collector_paused():
                programme = super().model_validate(obj, **options)
                promote_to_oldest()
        except _Refused as refused:
            raise refused.error from None
        except ValidationError as exc:  # not a mapping at all
            raise from_validation(exc, obj, source) from None
        finally:
            _VALIDATING.reset(token)
        _cross_check(programme, source)
        if given is not None:
            programme._source = source
        return programme

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **options: Any) -> Self:
        import json

        try:
            data = json.loads(json_data)
        except ValueError as exc:
            raise ProgrammeError(f"JSON syntax error: {exc}") from None
        return cls.model_validate(data, **options)

    def all_activities(self) -> list[Activity]:
        """Every activity, day by day, then the unplaced ones, with dates filled from the day."""
        result: list[Activity] = []
        for day in self.days:
            for activity in day.activities:
                result.append(activity)
        result.extend(self.activities)
        return result


def _cross_check(programme: Programme, source: SourceMap | None) -> None:
    from .validation import cross_check

    cross_check(programme, source)


def source_of(programme: Programme) -> SourceMap:
    """The source map a programme was read with (an empty one for programmes built in code)."""
    found = getattr(programme, "_source", None)
    return found if isinstance(found, SourceMap) else SourceMap()


def ride_ids(leg: TransportLeg) -> tuple[str, str]:
    """Ids of the two rides a transport leg becomes: out to the destination, and back."""
    return f"{leg.id}.out", f"{leg.id}.back"


def release_module(programme: Programme, day: Day) -> None:
    """The day stops declaring its module (which may then move to another day); the day's
    theme and text go with the module, to be the theme of whichever day holds it."""
    module = next((m for m in programme.modules if m.id == day.module), None)
    if module is not None:
        module.theme = module.theme or day.theme
        module.description = module.description or day.description
        day.theme = day.description = None
    day.module = None
