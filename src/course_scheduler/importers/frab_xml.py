"""frab/Pentabarf/pretalx ``schedule.xml`` → ``RawSchedule`` (read by ``importers.schedule``).

Speakers written directly under ``<event>`` (``<person>`` or ``<speaker>``, or a ``<speakers>``
list) instead of inside ``<persons>`` are read as its persons and marked, so the import notes
them. A file that is no frab schedule is refused with what it looks like (``shapes``).

The file is read by the standard library's expat parser into a small tree that remembers the
line of every element, so every message names the line. A document type declaration or an
entity is refused (a schedule needs neither, and they are how XML files attack readers), and
so is a file over ``MAX_FILE_BYTES``, deeper than ``MAX_DEPTH`` or with more than
``MAX_NODES`` elements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat

from ..errors import ProgrammeError
from ..loading import MAX_DEPTH, MAX_NODES
from .schedule import EVENT_TEXTS, RawDay, RawEvent, RawPerson, RawSchedule, rooms_in_order
from .shapes import describe_xml, not_frab, sniff

FORMAT = "frab XML"


@dataclass
class Node:
    tag: str
    attrib: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def find(self, tag: str) -> Node | None:
        return next((child for child in self.children if child.tag == tag), None)

    def findall(self, tag: str) -> list[Node]:
        return [child for child in self.children if child.tag == tag]

    def findtext(self, tag: str) -> str | None:
        child = self.find(tag)
        return None if child is None else child.text


def parse_tree(raw: bytes, name: str) -> Node:
    """Bytes → the element tree with lines; raises ``ProgrammeError`` naming the line."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    stack: list[Node] = []
    root: list[Node] = []
    count = [0]

    def refuse(*_: object) -> None:
        raise ProgrammeError(
            "a document type declaration or entity is not allowed in a schedule",
            file=name,
            line=parser.CurrentLineNumber,
        )

    def start(tag: str, attrib: dict[str, str]) -> None:
        count[0] += 1
        if count[0] > MAX_NODES or len(stack) >= MAX_DEPTH:
            raise ProgrammeError(
                f"the document is too large or too deep (over {MAX_NODES:,} elements or "
                f"{MAX_DEPTH} levels)",
                file=name,
                line=parser.CurrentLineNumber,
            )
        node = Node(tag, attrib, parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].parts.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(raw, True)
    except expat.ExpatError as exc:
        message = expat.errors.messages.get(exc.code, str(exc))
        raise ProgrammeError(f"XML syntax error: {message}", file=name, line=exc.lineno) from None
    return root[0]


def read(raw: bytes, name: str) -> RawSchedule:
    """A frab ``schedule.xml`` as plain strings with their lines."""
    sniffed = sniff(raw)
    if sniffed is not None and not sniffed.startswith("XML"):
        raise ProgrammeError(not_frab(sniffed), file=name, line=1)
    root = parse_tree(raw, name)
    conference = root.find("conference")
    if root.tag != "schedule" or conference is None:
        looks = describe_xml(root.tag, [child.tag for child in root.children])
        raise ProgrammeError(not_frab(looks), file=name, line=root.line)
    version = root.find("version")
    schedule = RawSchedule(
        file=name,
        format=FORMAT,
        version=None if version is None else version.text,
        version_line=None if version is None else version.line,
        lines={"conference": conference.line},
    )
    for tag in ("title", "acronym", "start", "time_zone_name", "url", "base_url"):
        node = conference.find(tag)
        if node is not None:
            setattr(schedule, tag, node.text)
            schedule.lines[tag] = node.line
    rooms: list[tuple[str, str | None]] = []
    listed = conference.find("rooms")
    for room in listed.findall("room") if listed is not None else []:
        rooms.append((room.attrib.get("name", "").strip(), room.attrib.get("guid")))
    for d, day in enumerate(root.findall("day")):
        where = f"schedule.day[{d}]"
        schedule.days.append(
            RawDay(
                where=where,
                line=day.line,
                date=day.attrib.get("date"),
                start=day.attrib.get("start"),
                end=day.attrib.get("end"),
            )
        )
        for r, room in enumerate(day.findall("room")):
            room_name = room.attrib.get("name", "").strip()
            rooms.append((room_name, room.attrib.get("guid")))
            for e, node in enumerate(room.findall("event")):
                schedule.events.append(
                    _event(node, f"{where}.room[{r}].event[{e}]", room_name, day)
                )
    schedule.rooms = rooms_in_order((n, g) for n, g in rooms if n)
    return schedule


def _event(node: Node, where: str, room: str, day: Node) -> RawEvent:
    event = RawEvent(
        where=where,
        line=node.line,
        room=room,
        day_date=day.attrib.get("date"),
        day_start=day.attrib.get("start"),
        id=node.attrib.get("id"),
        guid=node.attrib.get("guid"),
        code=node.attrib.get("code"),
    )
    for tag in EVENT_TEXTS:  # identities are attributes in XML
        child = node.find(tag)
        if child is not None:
            setattr(event, tag, child.text)
            event.lines[tag] = child.line
    own = node.find("room")
    if own is not None:
        event.own_room = own.text
        event.lines["room"] = own.line
    persons = node.find("persons")
    listed = persons.findall("person") if persons is not None else []
    stray = [*node.findall("person"), *node.findall("speaker")]
    speakers = node.find("speakers")
    if speakers is not None:
        stray += [*speakers.findall("speaker"), *speakers.findall("person")]
    for person in [*listed, *stray]:
        event.persons.append(
            RawPerson(
                name=person.text,
                id=person.attrib.get("id"),
                guid=person.attrib.get("guid"),
                code=person.attrib.get("code"),
            )
        )
    event.stray_persons = bool(stray)
    return event
