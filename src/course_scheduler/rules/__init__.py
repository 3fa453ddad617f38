"""Rule kinds, each with an independent checker and CP-SAT encoding (see ``base``)."""

from . import calendar, flow, order, overlap, planner, rooms, skeleton
from .base import REGISTRY, CheckContext, Finding, Level, ModelContext, RuleKind

__all__ = [
    "REGISTRY",
    "CheckContext",
    "Finding",
    "Level",
    "ModelContext",
    "RuleKind",
    "calendar",
    "flow",
    "order",
    "overlap",
    "planner",
    "rooms",
    "skeleton",
]
