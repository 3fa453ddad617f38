"""The scenario vocabulary: the changes a what-if run can make to a programme, and the
scenario file that lists them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path as FsPath
from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, ValidationError

from ..errors import Path, ProgrammeError, SourceMap
from ..model import (
    Activity,
    Availability,
    Clock,
    Id,
    Minutes,
    Range,
    _Strict,
)


class _Change(_Strict):
    """A change of a scenario; one read from a file knows where it is written."""

    _where: tuple[SourceMap, Path] | None = PrivateAttr(default=None)


def located(change: _Change, error: ProgrammeError) -> ProgrammeError:
    """An error a change met in the programme, told at the change in its scenario file (the
    field whose value the message quotes, else the change); as it is, for a change given
    on the command line. An error of the programme the change leaves names that field too."""
    if change._where is None:
        return error
    source, path = change._where
    message = error.message
    if error.path:
        message += f" (in the programme as this change leaves it: field '{error.field}')"
    return source.error(message, (*path, *_quoted_field(change, error.message)))


def _quoted_field(model: object, message: str) -> Path:
    """The path to the first value of ``model`` (nested models and lists too) that the
    message quotes, or () when it quotes none."""
    for name in getattr(type(model), "model_fields", {}):
        value = getattr(model, name)
        values = value if isinstance(value, list) else [value]
        for k, item in enumerate(values):
            where: Path = (name, k) if isinstance(value, list) else (name,)
            quoted = f"'{item}'" if isinstance(item, str) else f"{item}"
            if isinstance(item, str | dt.date) and quoted in message:
                return where
            inner = _quoted_field(item, message)
            if inner:
                return (*where, *inner)
    return ()


class Unavailable(_Change):
    """A person cannot come at all, or not on some dates or in some windows."""

    do: Literal["unavailable"]
    person: str = Field(description="an id or a display name")
    dates: list[dt.date] = Field(default_factory=list)
    windows: list[Availability] = Field(default_factory=list)
    talks: Literal["drop", "substitute", "keep"] = Field(
        default="drop",
        description="when absent entirely: drop their activities that nobody else gives (and "
        "what is glued right after them, such as the Q&A), hand them to 'substitute', or keep "
        "them where they are without the absent person (flagged when nobody else gives them)",
    )
    substitute: str | None = None


class AvailableOnly(_Change):
    """A person can come only in the given windows (a date, optionally a time range)."""

    do: Literal["available_only"]
    person: str
    windows: list[Availability] = Field(min_length=1)


class RemoveActivity(_Change):
    do: Literal["remove_activity"]
    activity: Id


class AddActivity(_Change):
    do: Literal["add_activity"]
    activity: Activity
    date: dt.date | None = Field(default=None, description="the day to add it to, if fixed")


class ChangeDuration(_Change):
    do: Literal["change_duration"]
    activity: Id
    minutes: Minutes


class CloseVenue(_Change):
    """A venue cannot be used on a date; what was there moves to ``instead``."""

    do: Literal["close_venue"]
    venue: Id
    date: dt.date
    instead: Id | None = Field(
        default=None, description="default: the venue of the nearest other course day"
    )


class CloseRoom(_Change):
    """A room cannot be used on a date, or in some hours of it: its events then move to other
    rooms (of the same kind, with the seats they need) and, only where no room is free at
    their time, to other times (in the room itself too, outside the closed hours)."""

    do: Literal["close_room"]
    room: str = Field(min_length=1, description="the room's id or name ('Saal 1')")
    date: dt.date
    time: Range | None = Field(
        default=None, description="the hours it is closed, e.g. '9:00 - 13:00' (default: all day)"
    )
    instead: list[str] = Field(
        default_factory=list,
        description="the rooms (ids or names) its events may use instead (default: the other "
        "rooms of the tracks it holds, the rooms the published schedule gives the same tracks)",
    )


class MoveTransport(_Change):
    """A leg departs at another time; its return moves by the same amount."""

    do: Literal["move_transport"]
    leg: Id
    depart: Clock


class ChangeDateWindow(_Change):
    """An external date window changes (an exhibition closes earlier)."""

    do: Literal["date_window"]
    rule: Id
    start: dt.date | None = Field(default=None, alias="from")
    end: dt.date | None = Field(default=None, alias="to")


class Pin(_Change):
    """Keep these activities at their published times in the repair."""

    do: Literal["pin"]
    activities: list[Id] = Field(min_length=1)


Change = Annotated[
    Unavailable
    | AvailableOnly
    | RemoveActivity
    | AddActivity
    | ChangeDuration
    | CloseVenue
    | CloseRoom
    | MoveTransport
    | ChangeDateWindow
    | Pin,
    Field(discriminator="do"),
]


class Scenario(_Strict):
    name: str | None = Field(
        default=None, description="shown in reports; a scenario file defaults to its file name"
    )
    description: str | None = None
    reach: Literal["any", "local"] = Field(
        default="any",
        description="what may move: 'any' activity (a course), or 'local': only what the "
        "scenario displaces, then also their neighbours if that is not enough (a conference)",
    )
    move_fixed: bool = Field(
        default=False,
        description="true: an imported schedule's meals, breaks and plenaries may move in time "
        "too (default: they keep their time; they may still change room)",
    )
    published_clashes: Literal["keep", "repair"] = Field(
        default="keep",
        description="clashes the published timetable already has (a person or a room in two "
        "events at once): 'keep' them as published, or 'repair' them too",
    )
    changes: list[Change] = Field(min_length=1)


def load_scenario(path: str | FsPath) -> Scenario:
    """Read a scenario file (YAML or JSON); errors name the file and line."""
    from ..loading import parse, read
    from ..validation import from_validation

    name = str(path)
    raw = read(path, what="a scenario file")
    data, source = parse(raw, name=name)
    if not isinstance(data, dict):
        raise ProgrammeError("a scenario is a mapping with 'changes'", file=name, line=1)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise from_validation(exc, data, source) from None
    if scenario.name is None:
        scenario.name = FsPath(path).stem
    for index, change in enumerate(scenario.changes):
        change._where = (source, ("changes", index))
    return scenario
