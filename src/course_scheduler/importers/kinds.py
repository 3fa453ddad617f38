"""What a published event and room are, read from the words the schedule uses for them.

A schedule says "Lunch", "Afternoon break", "Keynote" or "Opening Ceremony" in an event's
type or title, and "Saal 1", "Workshop room" or "Stream" in a room's name. A repair needs to
know which is which: a conference keeps its meals, breaks and plenaries where they are, and
sends a talk displaced from a hall to another hall, not to a solder area. The readings:

- **Meals and breaks**: a type or title that *starts* with breakfast, lunch, dinner, or a
  (coffee, tea, morning, afternoon...) break: ``breakfast``, ``lunch``, ``dinner``,
  ``coffee_break``. "Breaking NATO Radio Encryption" is a talk.
- **Plenaries** (kind ``plenary``, category ceremony, declared in the imported programme): a
  type naming a keynote, plenary, ceremony, opening or closing; a title naming a keynote, a
  plenary, a ceremony or an opening or closing event ("31C3 Opening Event"), or that is
  "Opening" or "Closing" (with "session", "remarks"...), not a talk that starts with the
  word ("Opening pAMDora's box").
- **Talks and workshops** as before: a type naming a workshop, or a talk (frab's
  ``lecture``, ``Vortrag``) .
- **Rooms**: a name naming an online channel or stream is ``online``; a workshop, lab,
  solder, hacking or maker space, an area, a table or a tent is ``workshop``; a stage, floor
  or Bühne is ``stage``; a hall, Saal, auditorium, aula, theatre or lecture room is
  ``hall``; anything else has no kind (no limit). A hall and a stage both seat an audience
  facing a speaker: a repair treats them as one kind (``same_kind``).
"""

from __future__ import annotations

import re

from ..model import Kind, RoomKind

PLENARY = "plenary"
PLENARY_KIND = {
    "id": PLENARY,
    "category": "ceremony",
    "label": "Plenary",
    "description": "A keynote, opening, closing or other plenary of the conference (read from "
    "the schedule's type or title): a repair keeps it where it is",
}
"""The kind an import declares when it finds a plenary."""

_MEALS = (
    ("breakfast", re.compile(r"^\W*(breakfast|fr[üu]hst[üu]ck)\b")),
    ("lunch", re.compile(r"^\W*(lunch|mittag(essen|spause)?)\b")),
    ("dinner", re.compile(r"^\W*(dinner|abendessen|supper)\b")),
    (
        "coffee_break",
        re.compile(
            r"^\W*((morning|afternoon|evening|mid-?morning|short|long|coffee|tea|"
            r"kaffee)\s*)?(break|pause|coffee|tea|kaffeepause)\b"
        ),
    ),
)
_PLENARY_TYPE = re.compile(r"keynote|plenary|plenar|ceremony|zeremonie|\bopening\b|\bclosing\b")
_PLENARY_TITLE = re.compile(
    r"keynote|plenary|ceremony|\b(opening|closing) event\b|"
    r"^\W*(opening|closing)(\s+(session|remarks|words|address|plenary))?\s*($|[(:\-–])"
)

_ROOM_KINDS = (
    (RoomKind.ONLINE, re.compile(r"\b(online|stream|channel|virtual|remote|livestream|zoom)\b")),
    (
        RoomKind.WORKSHOP,
        re.compile(
            r"workshop|\blab\b|solder|sodlering|l[öo]tstation|hack|make(r|space)|\barea\b|\btable\b|"
            r"tisch|\btent\b|zelt|"
            r"\bbof\b|meeting room|seminar"
        ),
    ),
    (RoomKind.STAGE, re.compile(r"\bstage\b|b[üu]hne|\bfloor\b")),
    (
        RoomKind.HALL,
        re.compile(
            r"\bhall\b|saal|s[äa]le\b|auditor|\baula\b|theat|lecture|h[öo]rsaal|amphi|"
            r"plenary"
        ),
    ),
)


def kind_of(event_type: str | None, title: str | None = None) -> str:
    """The kind of a published event, from its type, else its title (module docstring)."""
    kind_text = " ".join((event_type or "").split()).casefold()
    title_text = " ".join((title or "").split()).casefold()
    for kind, pattern in _MEALS:  # "Lunch" of type "Break" is lunch
        if pattern.search(kind_text) or pattern.search(title_text):
            return kind
    if _PLENARY_TYPE.search(kind_text) or _PLENARY_TITLE.search(title_text):
        return PLENARY
    if "workshop" in kind_text:
        return Kind.WORKSHOP.value
    if "talk" in kind_text or kind_text in {"lecture", "vortrag", "keynote"}:
        return Kind.TALK.value
    return Kind.OTHER.value


def room_kind(name: str) -> RoomKind | None:
    """What a room is for, read from its name; None when the name does not say."""
    text = " ".join(name.split()).casefold()
    for kind, pattern in _ROOM_KINDS:
        if pattern.search(text):
            return kind
    return None


def same_kind(a: RoomKind | None, b: RoomKind | None) -> bool:
    """Whether an event of a room of kind ``a`` may move to a room of kind ``b``: always when
    either is unknown; halls and stages take each other's events."""
    if a is None or b is None:
        return True
    seated = {RoomKind.HALL, RoomKind.STAGE}
    return a == b or (a in seated and b in seated)
