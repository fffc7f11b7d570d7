"""Can pyoxigraph load one N-Quads file faster from several threads? (issue 12: loading x100 >= 10x rdflib)

Usage::

    python bench/load_split.py build/scale/kg-x100.nq --engine memory --threads 1
    python bench/load_split.py build/scale/kg-x100.nq --engine disk --threads 2

Splits the file into ``--threads`` parts at line ends (N-Quads has one statement per line and, in
kg's exports, no blank nodes: every part parses alone) and runs one ``Store.bulk_load`` per part,
each in its own thread, reading its byte range of the file through a memory map. Prints the wall
time of the load, the processor time it used (user + system, all threads), the quads in the store,
and for the on-disk store the time of ``Store.optimize()`` after it. ``--parse-only`` instead times
parsing the file alone (``pyoxigraph.parse``, every quad made a Python object: an upper bound).
Run each configuration in a fresh process (as above): the figures are in bench/SCALE.md.
"""

from __future__ import annotations

import argparse
import io
import mmap
import os
import resource
import shutil
import tempfile
import threading
import time


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


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


def main() -> int:
    import pyoxigraph as ox

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path")
    ap.add_argument("--engine", choices=("memory", "disk"), default="memory")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--parse-only", action="store_true")
    args = ap.parse_args()
    if args.parse_only:
        t, c = time.perf_counter(), _cpu()
        n = sum(1 for _ in ox.parse(path=args.path, format=ox.RdfFormat.N_QUADS, lenient=True))
        print(f"parse only: {time.perf_counter() - t:.2f} s wall, {_cpu() - c:.2f} s processor, {n} quads")
        return 0
    size = os.path.getsize(args.path)
    folder = tempfile.mkdtemp(prefix="kg-load-") if args.engine == "disk" else None
    try:
        store = ox.Store(folder) if folder else ox.Store()
        with open(args.path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as view:
            cuts = _cuts(view, size, args.threads)

            def load(start: int, end: int) -> None:
                reader = io.BufferedReader(_Range(view, start, end), 1 << 20)
                store.bulk_load(input=reader, format=ox.RdfFormat.N_QUADS, lenient=True)

            t, c = time.perf_counter(), _cpu()
            threads = [threading.Thread(target=load, args=(cuts[i], cuts[i + 1])) for i in range(args.threads)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall, used = time.perf_counter() - t, _cpu() - c
        print(f"{args.engine}, {args.threads} thread(s): {wall:.2f} s wall, {used:.2f} s processor, {len(store)} quads")
        if folder:
            t = time.perf_counter()
            store.optimize()
            print(f"optimize: {time.perf_counter() - t:.2f} s")
        return 0
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
