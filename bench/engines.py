"""Measure the embedded engines on the built graph: load time, memory, and every named query.

Usage: python bench/engines.py [--repeat 5] [--scale 1]

``--scale N`` loads N copies of the graph (IRIs renamed per copy) to see how load and query times
grow. Prints a Markdown table; bench/RESULTS.md keeps the figures with the command that made them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.build import build  # noqa: E402
from kg.query import load_queries, run_named  # noqa: E402
from kg.store import open_engine  # noqa: E402

SAMPLE = {"entity": "Islamic State", "group": "group:islamic-state"}


def scaled(nquads: str, n: int) -> str:
    if n <= 1:
        return nquads
    copies = [nquads]
    for i in range(1, n):
        copies.append(nquads.replace("https://w3id.org/kzkg/id/", f"https://w3id.org/kzkg/copy{i}/id/"))
    return "".join(copies)


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--scale", type=int, default=1)
    args = ap.parse_args()

    t0 = time.perf_counter()
    result = build(ROOT, write=False)
    t_build = time.perf_counter() - t0
    if not result.ok:
        print("the graph does not build; fix it first", file=sys.stderr)
        return 1
    text = scaled(result.dataset.serialize(format="nquads"), args.scale)
    data = text.encode("utf-8")
    n_quads = text.count("\n")
    print(f"graph: {n_quads} quads (scale {args.scale}); full kg build with validation: {t_build:.2f} s")
    print("build phases: " + ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items()))
    print()
    engines = {}
    print("| engine | load (s) | quads/s | peak Python memory (MB) |")
    print("|---|---|---|---|")
    for name in ("oxigraph", "rdflib"):
        tracemalloc.start()
        t = time.perf_counter()
        engines[name] = open_engine(data, name)
        load = time.perf_counter() - t
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        print(f"| {name} | {load:.2f} | {n_quads / load:,.0f} | {peak:.0f} |")
    print()
    print(f"| query | oxigraph (ms) | rdflib (ms) | rows | rdflib / oxigraph |")
    print("|---|---|---|---|---|")
    for qname, q in load_queries().items():
        params = {p.name: SAMPLE.get(p.name, "group:islamic-state") for p in q.params if p.required}
        cells, rows = [], 0
        for name in ("oxigraph", "rdflib"):
            eng = engines[name]
            rows = len(run_named(eng, q, params).rows)
            cells.append(timed(lambda: run_named(eng, q, params), args.repeat) * 1000)
        print(f"| {qname} | {cells[0]:.1f} | {cells[1]:.1f} | {rows} | {cells[1] / max(cells[0], 1e-6):.0f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
