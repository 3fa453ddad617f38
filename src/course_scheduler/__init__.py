"""course_scheduler: programme files → CP-SAT timetables, checked and explained.

The public API is loaded lazily so that ``import course_scheduler`` (and the ``check`` path)
costs no more than the modules actually used: the solver pulls in ortools only when called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import ProgrammeError

if TYPE_CHECKING:
    from .api import (
        check,
        compile_programme,
        dump,
        explain,
        load,
        loads,
        save,
        solve,
        with_timetable,
    )
    from .checking import Report
    from .edition import next_edition
    from .importers import import_schedule
    from .model import Programme
    from .rules.base import Finding
    from .solver.solve import Result, Status
    from .timetable import Placement, Timetable

__version__ = "0.1.0"

_LAZY = {
    "load": "api",
    "loads": "api",
    "dump": "api",
    "save": "api",
    "check": "api",
    "solve": "api",
    "explain": "api",
    "export": "exports",
    "import_schedule": "importers",
    "compile_programme": "api",
    "with_timetable": "api",
    "next_edition": "edition",
    "Programme": "model",
    "Report": "checking",
    "Finding": "rules.base",
    "Timetable": "timetable",
    "Placement": "timetable",
    "Result": "solver.solve",
    "Status": "solver.solve",
}

__all__ = [
    "Finding",
    "Placement",
    "Programme",
    "ProgrammeError",
    "Report",
    "Result",
    "Status",
    "Timetable",
    "__version__",
    "check",
    "compile_programme",
    "dump",
    "explain",
    "export",
    "import_schedule",
    "load",
    "loads",
    "next_edition",
    "save",
    "solve",
    "with_timetable",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'course_scheduler' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
