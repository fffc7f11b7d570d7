"""Measure the embedded engines on the built graph: load time, memory, and every named query.

Usage: python bench/engines.py [--repeat 5] [--scale 1] [--limit-s 60] [--limit-gb 6]

Each query runs in a child process capped at ``--limit-s`` seconds and ``--limit-gb`` of memory,
so that an engine that blows up on a query is reported as such instead of killing the run.

``--scale N`` loads N copies of the graph (IRIs renamed per copy) to see how load and query times
grow. Prints a Markdown table; bench/RESULTS.md keeps the figures with the command that made them.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
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


def _child(name, data, qname, params, repeat, limit_gb, out):
    resource.setrlimit(resource.RLIMIT_AS, (limit_gb << 30, limit_gb << 30))
    try:
        eng = open_engine(data, name)
        q = load_queries()[qname]
        rows = len(run_named(eng, q, params).rows)
        out.put(("ok", timed(lambda: run_named(eng, q, params), repeat), rows))
    except MemoryError:
        out.put(("out of memory", None, None))
    except Exception as exc:  # report, do not crash the benchmark
        out.put((f"error: {exc}"[:60], None, None))


def run_capped(name, data, qname, params, repeat, limit_s, limit_gb):
    """(median seconds or None, rows or None, status) of one query in a capped child process."""
    out = mp.Queue()
    proc = mp.Process(target=_child, args=(name, data, qname, params, repeat, limit_gb, out))
    proc.start()
    proc.join(limit_s)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return None, None, f"> {limit_s} s"
    if out.empty():
        return None, None, "killed (memory)"
    status, seconds, rows = out.get()
    return seconds, rows, status


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--limit-s", type=int, default=60)
    ap.add_argument("--limit-gb", type=int, default=6)
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
    print("| engine | load (s) | quads/s | Python heap at load, tracemalloc (MB; Oxigraph keeps its data in Rust) |")
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
    print("| query | oxigraph (ms) | rdflib (ms) | rows | rdflib / oxigraph |")
    print("|---|---|---|---|---|")
    for qname, q in load_queries().items():
        params = {p.name: SAMPLE.get(p.name, "group:islamic-state") for p in q.params if p.required}
        ox = timed(lambda: run_named(engines["oxigraph"], q, params), args.repeat)
        rows = len(run_named(engines["oxigraph"], q, params).rows)
        rl, rl_rows, status = run_capped("rdflib", data, qname, params, 1, args.limit_s, args.limit_gb)
        if rl is None:
            print(f"| {qname} | {ox * 1000:.1f} | {status} | {rows} | - |", flush=True)
        else:
            same = "" if rl_rows == rows else f" (rdflib: {rl_rows} rows)"
            print(f"| {qname} | {ox * 1000:.1f} | {rl * 1000:.0f} | {rows}{same} | {rl / ox:.0f}x |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
