"""Cost of bounding a query: each named question run directly on pyoxigraph and through
kg.bounded.BoundedEngine (a forked worker per query), median of 7 runs, on build/kg.nq.

    python bench/bounded.py
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from kg.bounded import BoundedEngine  # noqa: E402
from kg.query import load_queries, run_named  # noqa: E402
from kg.store import open_engine  # noqa: E402
from test_query import required_params  # noqa: E402


def median_ms(engine, query, params, runs=7) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        run_named(engine, query, params)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    direct = open_engine(ROOT / "build" / "kg.nq")
    bounded = BoundedEngine(direct, 30)
    overheads = []
    print(f"{'question':26} {'direct ms':>10} {'bounded ms':>11}")
    for name, query in load_queries().items():
        params = required_params(query)
        a, b = median_ms(direct, query, params), median_ms(bounded, query, params)
        overheads.append(b - a)
        print(f"{name:26} {a:10.1f} {b:11.1f}")
    print(f"median overhead of the worker: {statistics.median(overheads):.1f} ms per query "
          f"(max {max(overheads):.1f} ms)")


if __name__ == "__main__":
    main()
