"""The long fuzz profile: ``python -m tests.fuzz_long --cases 10000`` (from the repository root).

Runs the four families of ``tests/fuzzing.py`` (mutated texts, mutated documents, plausible
edits, random documents) with hypothesis, sharing ``--cases`` between them, and checks the
loader's promise on every case: a programme loads (and then checks, compiles and exports
to csv, md, ics, frab and html without raising), or ``ProgrammeError`` names the file and a
line. It prints the count of cases, how many loaded, and the time; a broken promise stops
the run with hypothesis's smallest failing example. ``--seed`` repeats a run exactly.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import seed as use_seed
from hypothesis import strategies as st

from .fuzzing import (
    TEXT_EXPORTS,
    load_or_refuse,
    mutated_documents,
    mutated_texts,
    plausible_documents,
    random_documents,
)

SHARES = {"mutated texts": 0.35, "mutated documents": 0.25, "plausible edits": 0.2, "random": 0.2}


def _family(name: str) -> st.SearchStrategy[tuple[str, str | bytes]]:
    if name == "mutated texts":
        return mutated_texts().map(lambda text: ("fuzz.yaml", text))
    if name == "mutated documents":
        return mutated_documents()
    if name == "plausible edits":
        return plausible_documents()
    return random_documents()


def run(family: str, cases: int, seed: int, exports: tuple[str, ...]) -> tuple[int, int]:
    """(cases run, programmes that loaded) for one family."""
    counts = [0, 0]

    @settings(
        max_examples=cases,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(_family(family))
    def case(named: tuple[str, str | bytes]) -> None:
        name, text = named
        loaded = load_or_refuse(text, name, exports)
        counts[0] += 1
        counts[1] += loaded is not None

    seeded: Callable[[], Any] = use_seed(seed)(case)
    seeded()
    return counts[0], counts[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz_long", description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000, help="total cases (default 10000)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    parser.add_argument("--no-exports", action="store_true", help="skip the exports (faster)")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    exports = () if args.no_exports else TEXT_EXPORTS
    print(f"seed {seed}; {args.cases} cases; exports: {', '.join(exports) or 'none'}", flush=True)
    total = loaded = 0
    began = time.perf_counter()
    for family, share in SHARES.items():
        cases = max(1, round(args.cases * share))
        start = time.perf_counter()
        ran, ok = run(family, cases, seed, exports)
        total, loaded = total + ran, loaded + ok
        print(
            f"  {family:<18} {ran:>7} cases  {ok:>6} loaded  {time.perf_counter() - start:7.1f}s",
            flush=True,
        )
    elapsed = time.perf_counter() - began
    print(f"total {total} cases, {loaded} loaded, {elapsed:.1f}s, no broken promise")
    return 0


if __name__ == "__main__":
    sys.exit(main())
