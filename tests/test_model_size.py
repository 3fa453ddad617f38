"""``benchmarks.model_size``'s counts of the input: what it says the conversion looks up is
what the conversion looks up, so a phase's growth can be set against it."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate_conference import generate as generate_conference
from benchmarks.generate_tracks import generate as generate_tracks
from benchmarks.model_size import COUNTS, growth, input_count
from course_scheduler.importers import peer

ROOT = Path(__file__).resolve().parents[1]
PEER_INSTANCES = ROOT.parent / "shared" / "benchmarks" / "peer_instances"


def _looked_up(data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every list of unavailable slot ids the conversion looks up."""
    seen: list[int] = []
    plain = peer._unavailable

    def counting(numbers: dict[str, int], listed: list[Any], name: str) -> Any:
        seen.append(len(listed))
        return plain(numbers, listed, name)

    monkeypatch.setattr(peer, "_unavailable", counting)
    peer.programme_from_peer(data)
    return seen


def _check(data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    found = input_count(data)
    seen = _looked_up(data, monkeypatch)
    assert found["lists"] == len(seen)
    assert found["ids looked up"] == sum(seen)
    assert found["ids listed"] == sum(len(e.get("slot_unavailability", [])) for e in data["events"])
    assert found["ids looked up"] <= found["ids listed"]


@pytest.mark.parametrize("n", [60, 300])
def test_the_ids_looked_up_are_those_the_conversion_looks_up_on_generated_shapes(
    n: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracks = generate_tracks(n)
    _check(tracks, monkeypatch)
    _check(generate_conference(n), monkeypatch)
    if n >= 300:  # speakers away together share a list: read once, compared after
        assert input_count(tracks)["ids looked up"] < input_count(tracks)["ids listed"]


def test_the_ids_looked_up_are_those_the_conversion_looks_up_on_the_peer_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = sorted(PEER_INSTANCES.glob("*.json"))
    if not files:
        pytest.skip("the peer's instances are not next to the repository")
    for path in files:
        data = json.loads(path.read_text())
        found = input_count(data)
        assert found["ids looked up"] == sum(_looked_up(data, monkeypatch))


def test_growth_is_each_count_as_an_exponent_of_the_events() -> None:
    small = {name: 1000 for name in COUNTS}
    large = {"ids listed": 100_000, "ids looked up": 10_000, "rooms listed": 0, "cells": 31_623}
    line = growth((1000, small), 10_000, large)
    assert line.startswith("1,000 -> 10,000 events (events^k): ")
    figures = dict(part.rsplit(" ", 1) for part in line.split(": ", 1)[1].split(", "))
    assert figures == {"ids listed": "2.00", "ids looked up": "1.00", "cells": "1.50"}
    assert math.isclose(math.log(31_623 / 1000, 10), 1.5, abs_tol=0.005)
