"""Kept so that ``course_scheduler.peer`` keeps working: the converter lives in
``course_scheduler.importers.peer`` with the other importers."""

from .importers.peer import (
    PeerIndex,
    PeerSlot,
    assignment_from_timetable,
    peer_index,
    programme_from_peer,
    timetable_from_assignment,
)

__all__ = [
    "PeerIndex",
    "PeerSlot",
    "assignment_from_timetable",
    "peer_index",
    "programme_from_peer",
    "timetable_from_assignment",
]
