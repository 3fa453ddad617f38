"""Text streams for ruamel.yaml that look at a deadline as it reads or writes them.

A part of a file (a day of 1,000 talks placed from a template) is read and written by
ruamel.yaml in seconds, in one call that cannot be told to stop; looked at only between
parts, a write begun just inside a command's time limit ran on past it (a 5 s ``solve --out``
of a 2,000-talk template answered at 6.1-6.6 s). ruamel.yaml reads a stream 4,096 characters
at a time and writes it token by token, so a stream that looks at the clock as it is read or
written stops the part within milliseconds of the deadline, with ``OutOfTime``. Without a
deadline the text itself is read and a plain stream written, as before: nothing changes.
"""

from __future__ import annotations

import io
from typing import Any

from ..errors import in_time

WRITES_PER_LOOK = 256
"""Tokens written between two looks at the clock (each look 0.1 us; 256 tokens about a
millisecond of ruamel.yaml's writing)."""


class _Reading(io.StringIO):
    def __init__(self, text: str, deadline: float) -> None:
        super().__init__(text)
        self.deadline = deadline

    def read(self, size: int | None = -1, /) -> str:
        in_time(self.deadline)
        return super().read(size)


class _Writing(io.StringIO):
    def __init__(self, deadline: float) -> None:
        super().__init__()
        self.deadline = deadline
        self.writes = 0

    def write(self, text: str, /) -> int:
        self.writes += 1
        if self.writes % WRITES_PER_LOOK == 0:
            in_time(self.deadline)
        return super().write(text)


def source(text: str, deadline: float | None) -> Any:
    """What ruamel.yaml reads ``text`` from: the text itself, or with a ``deadline`` a
    stream that raises ``OutOfTime`` when asked for more once the deadline has passed."""
    return text if deadline is None else _Reading(text, deadline)


def sink(deadline: float | None) -> io.StringIO:
    """What ruamel.yaml writes to (``getvalue()`` the text): with a ``deadline``, a stream
    that raises ``OutOfTime`` once it has passed, looked at every ``WRITES_PER_LOOK``
    writes."""
    return io.StringIO() if deadline is None else _Writing(deadline)
