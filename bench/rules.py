"""Time the credit check with repair suggestions on the Diploma catalogue.

    python -m bench.rules

Prints the median time per scenario for the full check (findings and repair
suggestions) against a bare validity test of the same units (set arithmetic
and sums only), and their ratio.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from assessor_app.domain.credit_rules import check_selection, is_valid_set
from assessor_app.store.catalogue_files import load_default_catalogue

SCENARIOS: dict[str, list[str]] = {
    "valid choice": ["B1", "B2", "B4", "B5", "B8", "B9", "C12", "C13"],
    "one toggle short (B -2)": ["B1", "B2", "B4", "B5", "B8", "C12", "C13", "C16"],
    "group C over by 3": ["B1", "B2", "B4", "B5", "B8", "B9", "C12", "C13", "C7"],
    "missing value chosen": ["B1", "B2", "B4", "B5", "B8", "B9", "C12", "C11"],
    "half a choice": ["B1", "B2", "B4", "C1"],
    "nothing chosen": [],
}


def median_ms(fn: Callable[[], object], repeat: int = 30) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    qual = load_default_catalogue()
    print(f"{'scenario':28} {'check ms':>9} {'bare ms':>9} {'ratio':>7} {'changes':>8}")
    for name, chosen in SCENARIOS.items():
        full = median_ms(lambda chosen=chosen: check_selection(qual, chosen))
        units = set(chosen) | set(qual.mandatory_refs)
        bare = median_ms(lambda units=units: is_valid_set(qual, units))
        verdict = check_selection(qual, chosen)
        size = verdict.suggestions[0].size if verdict.suggestions else 0
        print(f"{name:28} {full:9.3f} {bare:9.4f} {full / bare:7.0f} {size:8d}")


if __name__ == "__main__":
    main()
