"""The one exception type for unusable input, and the source map that gives it a line number."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

Path = tuple[str | int, ...]


class ProgrammeError(ValueError):
    """Input that cannot be used: names the file, the line, the field and what is accepted."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        super().__init__(self.__str__())

    @property
    def location(self) -> str:
        if self.file is None:
            return "<programme>"
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        where = f" (field '{self.field}')" if self.field else ""
        return f"{self.location}: {self.message}{where}"


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

    def line(self, path: Sequence[str | int]) -> int | None:
        """The line of ``path``, or of its nearest ancestor that the file spells out."""
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), None)

    def error(self, message: str, path: Sequence[str | int]) -> ProgrammeError:
        return ProgrammeError(message, file=self.file, line=self.line(path), field=dotted(path))
