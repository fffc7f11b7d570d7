"""Where a load of N-Quads spends its time, and which way of loading is fastest (issue 12: loading x100
at least 10x faster than rdflib parses the same file).

Usage::

    python bench/load_split.py build/scale/kg-x100.nq --engine memory --method load
    python bench/load_split.py build/scale/kg-x100.nq --engine disk --threads 2
    python bench/load_split.py build/scale/kg-x100.nq --parse-only
    python bench/load_split.py --compare --rounds 3 \\
        build=build/scale/kg-x100.nq:memory:bulk_load load=build/scale/kg-x100.nq:memory:load \\
        rdflib=build/scale/kg-x100.nq:rdflib

One load: ``--engine`` memory (``pyoxigraph.Store()``), disk (a new on-disk store in a temporary
folder, flushed and compacted with ``Store.optimize()`` as ``kg build`` leaves it; the optimize time
is printed apart) or rdflib (``Dataset.parse``); ``--method``:

* ``bulk_load``: ``Store.bulk_load(path=...)``, what the benchmark and the build used (lenient unless
  ``--strict``); with ``--threads`` N > 1 the file is split at line ends into N byte ranges (kg's
  N-Quads have one statement per line and no blank nodes: each part parses alone), one
  ``bulk_load`` each, in its own thread, read through a memory map;
* ``load``: ``Store.load(path=...)``, parsing and inserting each quad in turn in one transaction;
* ``pipeline``: the file parsed into Python quads chunk by chunk (``pyoxigraph.parse``) while another
  thread inserts the previous chunk (``Store.extend``), so that parsing overlaps insertion.

It prints the wall time, the processor time (user + system, all threads, ``getrusage``), the quads
loaded and the peak resident memory (``VmHWM``). ``--parse-only`` times parsing alone
(``pyoxigraph.parse``, every quad a Python object: an upper bound of the parser's share).
``--compare LABEL=FILE:ENGINE[:METHOD[:strict]] ...`` runs each configuration ``--rounds`` times, each
load in a fresh interpreter, the order reversed every other round (A/B interleaved, same minutes),
and prints every run, then the medians and, when an ``rdflib`` configuration is among them, each
one's ratio to rdflib's median wall time. The figures are in bench/SCALE.md.
"""

from __future__ import annotations

import argparse
import io
import json
import mmap
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

METHODS = ("bulk_load", "load", "pipeline")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    """Peak resident memory of this process, MB (``VmHWM``: it starts again at exec, ``ru_maxrss`` does not)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _cuts(view: mmap.mmap, size: int, parts: int) -> list[int]:
    """Byte offsets that split the file into ``parts`` ranges of whole lines: [0, ..., size]."""
    cuts = [0]
    for i in range(1, parts):
        cuts.append(view.find(b"\n", size * i // parts) + 1 or size)
    return cuts + [size]


class _Range(io.RawIOBase):
    """A byte range of a memory map, read as a file."""

    def __init__(self, view: mmap.mmap, start: int, end: int):
        self.view, self.pos, self.end = view, start, end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.end - self.pos)
        buffer[:n] = self.view[self.pos:self.pos + n]
        self.pos += n
        return n


def _split_bulk_load(store, path: str, threads: int, lenient: bool) -> None:
    import pyoxigraph as ox

    size = os.path.getsize(path)
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as view:
        cuts = _cuts(view, size, threads)

        def load(start: int, end: int) -> None:
            reader = io.BufferedReader(_Range(view, start, end), 1 << 20)
            store.bulk_load(input=reader, format=ox.RdfFormat.N_QUADS, lenient=lenient)

        workers = [threading.Thread(target=load, args=(cuts[i], cuts[i + 1])) for i in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()


def _pipeline(store, path: str, lenient: bool, chunk: int = 4 << 20) -> None:
    import queue

    import pyoxigraph as ox

    todo: queue.Queue = queue.Queue(maxsize=2)
    failed: list[BaseException] = []

    def insert() -> None:
        while (quads := todo.get()) is not None:
            if not failed:
                try:
                    store.extend(quads)
                except BaseException as exc:  # reported by the parsing thread
                    failed.append(exc)

    inserter = threading.Thread(target=insert)
    inserter.start()
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        pos = 0
        while pos < len(data) and not failed:
            end = data.find(b"\n", pos + chunk) + 1 or len(data)
            todo.put(list(ox.parse(input=data[pos:end], format=ox.RdfFormat.N_QUADS, lenient=lenient)))
            pos = end
    finally:
        todo.put(None)
        inserter.join()
    if failed:
        raise failed[0]


def load_once(path: str, engine: str, method: str = "bulk_load", threads: int = 1, lenient: bool = True) -> dict:
    """Load ``path`` once in this process: ``{"wall", "cpu", "optimize", "quads", "peak_mb"}``
    (seconds; ``optimize``: the compaction of the on-disk store, included in ``wall`` and ``cpu``).
    Raises ``ValueError`` for an unknown engine or method, ``SyntaxError`` for bad N-Quads."""
    if engine == "rdflib":
        from rdflib import Dataset

        t, c = time.perf_counter(), _cpu()
        dataset = Dataset()
        dataset.parse(path, format="nquads")
        wall, used = time.perf_counter() - t, _cpu() - c
        return {"wall": wall, "cpu": used, "optimize": 0.0, "quads": sum(len(g) for g in dataset.graphs()),
                "peak_mb": _peak_mb()}
    if engine not in ("memory", "disk") or method not in METHODS:
        raise ValueError(f"unknown engine {engine!r} or method {method!r}")
    import pyoxigraph as ox

    folder = tempfile.mkdtemp(prefix="kg-load-") if engine == "disk" else None
    try:
        t, c = time.perf_counter(), _cpu()
        store = ox.Store(folder) if folder else ox.Store()
        if method == "bulk_load" and threads > 1:
            _split_bulk_load(store, path, threads, lenient)
        elif method == "bulk_load":
            store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS, lenient=lenient)
        elif method == "load":
            store.load(path=path, format=ox.RdfFormat.N_QUADS, lenient=lenient)
        else:
            _pipeline(store, path, lenient)
        optimize = 0.0
        if folder:  # as kg.store.stage_store leaves it for read-only readers
            store.flush()
            t2 = time.perf_counter()
            store.optimize()
            optimize = time.perf_counter() - t2
        wall, used = time.perf_counter() - t, _cpu() - c
        return {"wall": wall, "cpu": used, "optimize": optimize, "quads": len(store), "peak_mb": _peak_mb()}
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def compare(configs: list[str], rounds: int) -> int:
    """Run each ``LABEL=FILE:ENGINE[:METHOD[:strict]]`` ``rounds`` times in fresh interpreters,
    interleaved; print each run and the medians. Returns the exit status (2 for a bad configuration)."""
    parsed = []
    for spec in configs:
        label, _, rest = spec.partition("=")
        fields = rest.split(":")
        if not label or len(fields) < 2 or not os.path.isfile(fields[0]):
            print(f"load_split: bad configuration {spec!r}: give LABEL=FILE:ENGINE[:METHOD[:strict]] with an existing FILE",
                  file=sys.stderr)
            return 2
        parsed.append((label, fields[0], fields[1], fields[2] if len(fields) > 2 else "bulk_load",
                       len(fields) > 3 and fields[3] == "strict"))
    runs: dict[str, list[dict]] = {label: [] for label, *_ in parsed}
    for r in range(rounds):
        for label, path, engine, method, strict in parsed if r % 2 == 0 else parsed[::-1]:
            cmd = [sys.executable, __file__, path, "--engine", engine, "--method", method, "--json"]
            out = subprocess.run(cmd + (["--strict"] if strict else []), capture_output=True, text=True)
            with open("/proc/loadavg") as fh:
                load = fh.read().split()[0]
            if out.returncode:
                print(f"round {r + 1} {label}: failed: {(out.stderr.strip().splitlines() or ['?'])[-1]}", flush=True)
                continue
            row = json.loads(out.stdout)
            runs[label].append(row)
            print(f"round {r + 1} {label}: {row['wall']:.2f} s wall, {row['cpu']:.2f} s processor "
                  f"(optimize {row['optimize']:.2f} s), {row['quads']} quads, {row['peak_mb']:.0f} MB; load average {load}",
                  flush=True)
    medians = {label: (statistics.median(r["wall"] for r in rows), statistics.median(r["cpu"] for r in rows))
               for label, rows in runs.items() if rows}
    rdflib = next((medians[label] for label, _, engine, *_ in parsed if engine == "rdflib" and label in medians), None)
    for label, (wall, used) in medians.items():
        ratio = f"; rdflib / this {rdflib[0] / wall:.1f}x wall" if rdflib else ""
        print(f"median {label}: {wall:.2f} s wall, {used:.2f} s processor ({len(runs[label])} runs){ratio}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", help="an N-Quads file, or with --compare LABEL=FILE:ENGINE[:METHOD[:strict]] ...")
    ap.add_argument("--engine", choices=("memory", "disk", "rdflib"), default="memory")
    ap.add_argument("--method", choices=METHODS, default="bulk_load")
    ap.add_argument("--threads", type=int, default=1, help="bulk_load: byte ranges loaded at once, one thread each")
    ap.add_argument("--strict", action="store_true", help="validate IRIs (not lenient)")
    ap.add_argument("--parse-only", action="store_true")
    ap.add_argument("--compare", action="store_true", help="compare configurations, each in fresh processes")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.compare:
        return compare(args.paths, args.rounds)
    path = args.paths[0]
    if args.parse_only:
        import pyoxigraph as ox

        t, c = time.perf_counter(), _cpu()
        n = sum(1 for _ in ox.parse(path=path, format=ox.RdfFormat.N_QUADS, lenient=True))
        print(f"parse only: {time.perf_counter() - t:.2f} s wall, {_cpu() - c:.2f} s processor, {n} quads")
        return 0
    row = load_once(path, args.engine, args.method, args.threads, lenient=not args.strict)
    if args.json:
        print(json.dumps(row))
    else:
        print(f"{args.engine}, {args.method}, {args.threads} thread(s): {row['wall']:.2f} s wall, {row['cpu']:.2f} s "
              f"processor (optimize {row['optimize']:.2f} s), {row['quads']} quads, peak {row['peak_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
