"""CP-SAT parameters a caller passes by name, and CP-SAT's own log passed through.

``solve(..., parameters={"num_search_workers": 4, "max_memory_in_mb": 2000})`` sets any field
of CP-SAT's ``SatParameters`` after the solver's own defaults, so a caller who knows CP-SAT can
tune what the options do not cover. A misspelt name is refused with the names it resembles
rather than ignored. ``log_search=True`` passes CP-SAT's search log to the logger
``course_scheduler.search`` (at INFO), or to standard error when logging is not set up to show
it, so that asking for the log always shows it.
"""

from __future__ import annotations

import difflib
import logging
import sys
from collections.abc import Mapping
from typing import Any

from ortools.sat import sat_parameters_pb2
from ortools.sat.python import cp_model

log = logging.getLogger("course_scheduler.search")

_FIELDS = sat_parameters_pb2.SatParameters.DESCRIPTOR.fields_by_name


def configure(
    solver: cp_model.CpSolver, parameters: Mapping[str, object], *, log_search: bool
) -> None:
    """Set ``parameters`` on ``solver`` (after its defaults) and route its log if asked."""
    params = solver.parameters
    for name, value in parameters.items():
        field = _FIELDS.get(name)
        if field is None:
            close = difflib.get_close_matches(name, list(_FIELDS), n=3)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise ValueError(f"{name!r} is not a CP-SAT parameter{hint}")
        try:
            if field.enum_type is not None:
                value = _enum(type(params), field.enum_type, value)
            if _repeated(field):
                values = getattr(params, name)
                values.clear()
                values.extend(list(value))  # type: ignore[call-overload]
            else:
                setattr(params, name, value)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"CP-SAT parameter {name!r} cannot be {value!r} ({exc})") from None
    if log_search:
        params.log_search_progress = True
        params.log_to_stdout = False
        solver.log_callback = _emit


def _repeated(field: Any) -> bool:
    if hasattr(field, "is_repeated"):
        return bool(field.is_repeated)
    return bool(field.label == field.LABEL_REPEATED)


def _enum(owner: type, enum: Any, value: object) -> object:
    """An enum value given by name (any case) or number, as the parameters object takes it
    (the class constant: a number for protobuf messages, an enum member for newer OR-Tools)."""
    if isinstance(value, str):
        name = enum.values_by_name[value.upper()].name
    elif isinstance(value, int):
        name = enum.values_by_number[value].name
    else:
        name = getattr(value, "name", str(value))
    choices = ", ".join(v.name.lower() for v in enum.values)
    if name not in enum.values_by_name:
        raise ValueError(f"expected one of {choices}")
    return getattr(owner, name)


def _emit(line: str) -> None:
    """One line of CP-SAT's log: to logging when it shows INFO records, else to stderr."""
    if log.isEnabledFor(logging.INFO) and _handled():
        log.info(line.rstrip("\n"))
    else:
        print(line.rstrip("\n"), file=sys.stderr, flush=True)


def _handled() -> bool:
    """Is there a handler besides the package's NullHandler on the way to the root?"""
    logger: logging.Logger | None = log
    while logger is not None:
        if any(not isinstance(h, logging.NullHandler) for h in logger.handlers):
            return True
        if not logger.propagate:
            return False
        logger = logger.parent
    return False
