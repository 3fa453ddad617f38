"""The long agreement profile: ``python -m tests.agreement_long --cases 10000`` (from the
repository root).

Shares ``--cases`` between the promises the suite checks on a few dozen cases each:

* planted programmes (feasible by construction, sometimes lacking rules, with a second group
  or a walk from the bus stop): the planted timetable checks clean and is feasible when fixed
  into the model; the solver's timetable checks clean;
* every rule kind on tiny programmes with random timetables: the checker reports a hard
  finding exactly when the timetable fixed into a model of that rule alone is infeasible;
* scenarios of every action: the rules are kept as promised and the repair checks clean;
* explanations: a set called minimal is infeasible and each proper subset is feasible.

Prints the cases run per family and the time; a broken promise stops the run with
hypothesis's smallest failing example. ``--seed`` repeats a run exactly.
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

from tests import test_correctness_properties as properties
from tests import test_rules_agreement as agreement
from tests.strategies import agreement_cases, planted_cases

SHARES = {"planted": 0.3, "rule kinds": 0.4, "scenarios": 0.2, "explanations": 0.1}


def _families(total: int) -> list[tuple[str, int, Callable[..., None], dict[str, Any]]]:
    planted = agreement.test_planted_timetable_checks_clean_and_is_feasible.hypothesis.inner_test
    solved = agreement.test_solver_timetable_checks_clean.hypothesis.inner_test

    def both(case: Any) -> None:
        planted(case)
        solved(case)

    def kinds(kind: str) -> Callable[[Any], None]:
        def one(case: Any) -> None:
            agreement._agree(case)

        return one

    scenario = properties.test_every_scenario_keeps_the_rules_and_its_repair_checks_clean
    explain = properties.test_every_set_called_minimal_is_infeasible_and_each_proper_subset_feasible
    per_kind = max(1, round(total * SHARES["rule kinds"] / len(agreement.AGREEMENT_KINDS)))
    families: list[tuple[str, int, Callable[..., None], dict[str, Any]]] = [
        ("planted", round(total * SHARES["planted"]), both, {"case": planted_cases()})
    ]
    families += [
        (f"rule {kind}", per_kind, kinds(kind), {"case": agreement_cases(kind)})
        for kind in agreement.AGREEMENT_KINDS
    ]
    families.append(
        (
            "scenarios",
            round(total * SHARES["scenarios"]),
            scenario.hypothesis.inner_test,
            {"data": st.data(), "case": planted_cases()},
        )
    )
    families.append(
        (
            "explanations",
            round(total * SHARES["explanations"]),
            explain.hypothesis.inner_test,
            {"made": properties.infeasible_programmes()},
        )
    )
    return families


def run(test: Callable[..., None], strategies: dict[str, Any], cases: int, seed: int) -> int:
    count = [0]

    @settings(
        max_examples=cases,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(**strategies)
    def case(**drawn: Any) -> None:
        test(**drawn)
        count[0] += 1

    seeded: Callable[[], Any] = use_seed(seed)(case)
    seeded()
    return count[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.agreement_long", description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000, help="total cases (default 10000)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    print(f"seed {seed}; {args.cases} cases", flush=True)
    total = 0
    began = time.perf_counter()
    for name, cases, test, strategies in _families(args.cases):
        start = time.perf_counter()
        ran = run(test, strategies, max(1, cases), seed)
        total += ran
        print(f"  {name:<22} {ran:>6} cases  {time.perf_counter() - start:8.1f}s", flush=True)
    print(f"total {total} cases, {time.perf_counter() - began:.1f}s, no broken promise")
    return 0


if __name__ == "__main__":
    sys.exit(main())
