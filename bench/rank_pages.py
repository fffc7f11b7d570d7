"""One page of the listings that page by rank look-up, with the look-up and with the core sorted as before.

Usage (after ``python bench/scale_graph.py 10`` and ``100``, and the optimized stores of bench/SCALE.md)::

    python bench/rank_pages.py --store build/scale/store-x100-opt --nquads build/scale/kg-x100.nq --repeat 5

For each question with a ``#+ rank`` line (:mod:`kg.paging`), ``kg.query.run_named(engine, q, {},
limit=100, offset=...)`` (one page and the total, as ``kg query`` prints it) on the on-disk store
opened read-only and on an in-memory store loaded from the N-Quads: median milliseconds of
``--repeat`` runs in one warm process, first with the core sorted (``defaults`` not given to
:func:`kg.paging.run_page`: the code before the look-up), then by rank look-up.
"""

from __future__ import annotations

import argparse
import statistics
import time


def _time(run, repeat: int) -> tuple[float, object]:
    """Median milliseconds of ``repeat`` calls of ``run`` (after one warm-up), and its last result."""
    result = run()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def main(argv=None) -> int:
    """Print a table of the pages; returns 0."""
    import kg.query as query
    from kg.paging import page_plan
    from kg.store import OxigraphEngine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="an optimized on-disk store (opened read-only)")
    parser.add_argument("--nquads", help="N-Quads to load into an in-memory store")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--offsets", default="0,5000", help="offsets of the pages timed, comma-separated")
    args = parser.parse_args(argv)
    queries = query.load_queries()
    names = sorted(n for n, q in queries.items() if (p := page_plan(q.text)) and p.rank_pattern)
    engines = []
    if args.store:
        engines.append(("disk", OxigraphEngine.read_only(args.store)))
    if args.nquads:
        from pathlib import Path

        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(path=str(Path(args.nquads)), format=ox.RdfFormat.N_QUADS, lenient=True)
        engines.append(("memory", OxigraphEngine.from_store(store)))
    offsets = [int(o) for o in args.offsets.split(",")]
    original = query.default_text
    print("| engine | question | offset | rows/total | core sorted (ms) | rank look-up (ms) | ratio |")
    print("|---|---|---|---|---|---|---|")
    for label, engine in engines:
        for name in names:
            for offset in offsets:
                query.default_text = lambda q, e: None  # noqa: E731 - the core sorted, as before
                before, old = _time(lambda: query.run_named(engine, queries[name], {}, limit=100, offset=offset), args.repeat)
                query.default_text = original
                after, new = _time(lambda: query.run_named(engine, queries[name], {}, limit=100, offset=offset), args.repeat)
                same = "" if (old.total, len(old.rows)) == (new.total, len(new.rows)) else " (differs!)"
                print(f"| {label} | {name} | {offset} | {len(new.rows)}/{new.total}{same} | {before:.1f} | {after:.1f} | "
                      f"{before / after:.1f}x |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
