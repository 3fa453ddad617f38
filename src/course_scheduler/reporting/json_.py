"""JSON: the report of each file (``Report.as_dict`` plus its ``file``); with a baseline the
``findings`` are those the version adds, and ``baseline`` holds what it fixed. One file gives
one object, several files a list of them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from . import CheckedFile


def render(results: Sequence[CheckedFile]) -> str:
    documents = [document(result) for result in results]
    data: Any = documents[0] if len(documents) == 1 else documents
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def document(result: CheckedFile) -> dict[str, Any]:
    data = {"file": result.file, **result.report.as_dict()}
    if result.comparison is not None:
        data.update(
            ok=result.ok,
            counts=result.counts(),
            findings=[f.as_dict() for f in result.comparison.added],
            baseline={
                "source": result.baseline,
                "fixed": [f.as_dict() for f in result.comparison.fixed],
                "unchanged": result.comparison.unchanged,
            },
        )
    return data
