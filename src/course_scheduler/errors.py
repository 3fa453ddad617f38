"""The one exception type for unusable input, and the source map that gives it a line number."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

Path = tuple[str | int, ...]


class OutOfTime(Exception):
    """A time limit ran out inside a phase that has nothing to return yet: reading a file, or
    a Python phase of a solve (``solver/budget.py``). Never a ``ProgrammeError``: the input
    may be fine, there was only not enough time to read or use it."""


def in_time(deadline: float | None, began: float = 0.0, share: float = 0.0) -> None:
    """``OutOfTime`` once ``deadline`` (a ``time.perf_counter()`` moment; None: no limit) has
    passed, or when less is left of it than ``share`` of the time spent since ``began``: the
    next step, which cannot be stopped part way, costs about that share of the last."""
    if deadline is not None:
        now = time.perf_counter()
        if deadline - now <= share * (now - began):
            raise OutOfTime


class ProgrammeError(ValueError):
    """Input that cannot be used: names the file, the line, the field and what is accepted."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        path: Path | None = None,
    ) -> None:
        self.message = one_line(message)
        self.file = file
        self.line = line
        if field is None and path:
            field = dotted(path)
        self.field = one_line(field) if field is not None else None
        self.path = path
        """The field as a path from the programme's root, when known (``field`` in words):
        a file's reader turns it into a line."""
        super().__init__(self.__str__())

    @property
    def location(self) -> str:
        """``file:line``, or nothing for input that did not come from a file."""
        if self.file is None:
            return ""
        file = one_line(self.file)
        return f"{file}:{self.line}" if self.line else file

    def __str__(self) -> str:
        where = f" (field '{self.field}')" if self.field else ""
        prefix = f"{self.location}: " if self.location else ""
        return f"{prefix}{self.message}{where}"


_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
MAX_MESSAGE = 600
"""Characters of a message kept; a hostile value quoted in full would flood the terminal."""


def one_line(text: str) -> str:
    """A message is one line, whatever the input it quotes: line breaks and other control
    characters (bidirectional overrides included) are shown escaped, and a very long message
    is cut in the middle."""
    cleaned = _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    if len(cleaned) > MAX_MESSAGE:
        half = MAX_MESSAGE // 2
        cleaned = f"{cleaned[:half]} … {cleaned[-half:]}"
    return cleaned


def dotted(path: Sequence[str | int]) -> str:
    """``days[2].activities[0].time``: the field path as a planner would search for it."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass
class SourceMap:
    """Line of every mapping key and sequence item in the file, by path from the root."""

    file: str | None = None
    lines: dict[Path, int] = field(default_factory=dict)
    text: str | None = field(default=None, repr=False, compare=False)
    """The text the programme was read from: what a round-trip write keeps (comments,
    layout) while changing only the values that changed (``roundtrip.py``)."""

    def line(self, path: Sequence[str | int]) -> int | None:
        """The line of ``path``, or of its nearest ancestor that the file spells out."""
        if not self.lines:  # a programme built in code, not read from a file
            return None
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), None)

    def error(self, message: str, path: Sequence[str | int]) -> ProgrammeError:
        return ProgrammeError(
            message, file=self.file, line=self.line(path), field=dotted(path), path=tuple(path)
        )
