"""course_scheduler: programme files → CP-SAT timetables, checked and explained.

Load a programme (``load``), check the timetable it states (``check``), solve for a new one
(``solve``), ask what happens if something changes (``what_if``, ``sweep``), say why no
timetable exists (``explain``), roll it forward to the next edition (``next_edition``), read a
published conference schedule (``import_schedule``) and write it out again (``export``).

The names are loaded on first use, so that ``import course_scheduler`` and the ``check`` path
stay light (no ortools, pandas or networkx until a solve or a frame asks for them); type
checkers, IDEs, ``dir()`` and ``help()`` see every public name all the same. Log records go to
``logging.getLogger("course_scheduler")``. The module itself imports nothing at all, so the
command (``launch.py``) listens for Ctrl-C from its first milliseconds.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it so)
if TYPE_CHECKING:
    from .api import (
        check,
        compile_programme,
        diff,
        dump,
        explain,
        export,
        json_schema,
        load,
        loads,
        save,
        show,
        solve,
        with_timetable,
    )
    from .baseline import Comparison
    from .checking import Report
    from .compile import Problem
    from .diffing import ProgrammeDiff
    from .edition import NextEdition, next_edition
    from .errors import ProgrammeError
    from .importers import import_schedule
    from .model import Programme
    from .rules.base import Finding, Level
    from .solver.explain import Explanation
    from .solver.objective import ObjectiveValue
    from .solver.solve import Progress, Result, Status
    from .timetable import Placement, Timetable
    from .whatif import Outcome, Scenario, WhatIf, load_scenario, sweep, tbc_scenarios, what_if

__version__ = "0.1.0"

_LAZY = {
    "ProgrammeError": "errors",
    "check": "api",
    "compile_programme": "api",
    "diff": "api",
    "dump": "api",
    "explain": "api",
    "export": "api",
    "json_schema": "api",
    "load": "api",
    "loads": "api",
    "save": "api",
    "show": "api",
    "solve": "api",
    "with_timetable": "api",
    "Comparison": "baseline",
    "Report": "checking",
    "Problem": "compile",
    "ProgrammeDiff": "diffing",
    "NextEdition": "edition",
    "next_edition": "edition",
    "import_schedule": "importers",
    "Programme": "model",
    "Finding": "rules.base",
    "Level": "rules.base",
    "Explanation": "solver.explain",
    "ObjectiveValue": "solver.objective",
    "Progress": "solver.solve",
    "Result": "solver.solve",
    "Status": "solver.solve",
    "Placement": "timetable",
    "Timetable": "timetable",
    "Outcome": "whatif",
    "Scenario": "whatif",
    "WhatIf": "whatif",
    "load_scenario": "whatif",
    "sweep": "whatif",
    "tbc_scenarios": "whatif",
    "what_if": "whatif",
}

__all__ = [
    "Comparison",
    "Explanation",
    "Finding",
    "Level",
    "NextEdition",
    "ObjectiveValue",
    "Outcome",
    "Placement",
    "Problem",
    "Programme",
    "ProgrammeDiff",
    "ProgrammeError",
    "Progress",
    "Report",
    "Result",
    "Scenario",
    "Status",
    "Timetable",
    "WhatIf",
    "__version__",
    "check",
    "compile_programme",
    "diff",
    "dump",
    "explain",
    "export",
    "import_schedule",
    "json_schema",
    "load",
    "load_scenario",
    "loads",
    "next_edition",
    "save",
    "show",
    "solve",
    "sweep",
    "tbc_scenarios",
    "what_if",
    "with_timetable",
]


if not TYPE_CHECKING:  # a type checker sees the imports above, never an open-ended hook

    def __getattr__(name: str) -> object:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'course_scheduler' has no attribute {name!r}")
        from importlib import import_module

        value = getattr(import_module(f".{module}", __name__), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    """Every public name, loaded or not (so ``dir()``, completion and ``help()`` list them)."""
    return sorted(set(globals()) | set(__all__))
