"""Pages of corroborated-statements (windows of document counts) and disagreements, old and new code interleaved.

Usage (from the project root):

    python bench/window_pages.py --rounds 3 --repeat 3 \\
        main-x10=/tmp/main:/tmp/store-x10-main new-x10=.:/tmp/store-x10-new ...

Each ``LABEL=ROOT:STORE`` is a source tree (its ``kg`` package and ``queries/``) and a store made
from a graph built by that tree (``bench/scale_graph.py N``): an on-disk store (a folder, opened
read-only as ``kg query`` opens ``build/store``) or N-Quads (loaded in memory, untimed). In every
round each label runs in a fresh interpreter, one after the other (A/B interleaved), and times every
case :data:`CASES` ``--repeat`` times as ``kg query`` runs it (:func:`kg.query.run_named` with
``--limit 100`` and an offset: first page, a middle page, the last page); it prints, per label and
case, the median over rounds of each round's median: wall time and processor time (user + system of
the process, ``time.process_time``), the rows and the total.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

CASES = [
    ("corroborated-statements", {}, "first"),
    ("corroborated-statements", {}, "last"),
    ("corroborated-statements", {"min": "1"}, "first"),
    ("corroborated-statements", {"min": "1"}, "middle"),
    ("corroborated-statements", {"min": "1"}, "last"),
    ("corroborated-statements", {"min": "1", "max": "1"}, "first"),
    ("corroborated-statements", {"min": "1", "max": "1"}, "middle"),
    ("corroborated-statements", {"min": "2", "max": "2"}, "first"),
    ("corroborated-statements", {"entity": "agency:knb", "min": "1"}, "first"),
    ("disagreements", {}, "first"),
    ("disagreements", {}, "middle"),
    ("disagreements", {"kind": "rounding"}, "first"),
    ("disagreements", {"kind": "different value"}, "middle"),
    ("disagreements", {"entity": "agency:knb"}, "first"),
    ("disagreements", {"kind": "different value"}, "first"),
    ("disagreements", {"kind": "different value"}, "last"),
    ("disagreements", {"kind": "DifferentValue"}, "middle"),
    ("disagreements", {"kind": "self-contradiction"}, "middle"),
    ("disagreements", {"kind": "possibly the same event"}, "last"),
]

_CHILD = r"""
import json, statistics, sys, time
root, store, repeat, cases = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
sys.path.insert(0, root)
from pathlib import Path
from kg.query import get_query, run_named
from kg.store import OxigraphEngine
if Path(store).is_dir():
    engine = OxigraphEngine.read_only(store)
else:
    engine = OxigraphEngine(Path(store), lenient=True)
out = []
for name, params, where in cases:
    q = get_query(name, Path(root) / "queries")
    total = run_named(engine, q, params, limit=1).total
    offset = {"first": 0, "middle": (total // 2) // 100 * 100, "last": max(0, (total - 1) // 100 * 100)}[where]
    walls, cpus = [], []
    for _ in range(repeat):
        c, t = time.process_time(), time.perf_counter()
        result = run_named(engine, q, params, limit=100, offset=offset)
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    out.append({"wall": statistics.median(walls), "cpu": statistics.median(cpus), "rows": len(result.rows),
                "total": result.total, "offset": offset})
print(json.dumps(out))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runs", nargs="+", help="LABEL=ROOT:STORE")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", nargs="*", help="only these questions")
    ap.add_argument("--cases", help="only these cases, by their number in CASES (0-based), e.g. 0,1,9-13")
    args = ap.parse_args()
    chosen = set(range(len(CASES)))
    if args.cases:
        chosen = set()
        for part in args.cases.split(","):
            a, _, b = part.partition("-")
            chosen |= set(range(int(a), int(b or a) + 1))
    cases = [c for i, c in enumerate(CASES) if i in chosen and (not args.only or c[0] in args.only)]
    runs = []
    for spec in args.runs:
        label, _, rest = spec.partition("=")
        root, _, store = rest.partition(":")
        runs.append((label, root, store))
    results: dict = {label: [] for label, _, _ in runs}
    for r in range(args.rounds):
        for label, root, store in runs:
            done = subprocess.run([sys.executable, "-c", _CHILD, root, store, str(args.repeat), json.dumps(cases)],
                                  capture_output=True, text=True)
            if done.returncode:
                sys.exit(f"{label}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")
            results[label].append(json.loads(done.stdout))
            print(f"round {r + 1} {label} done", file=sys.stderr, flush=True)
    print("| question | parameters | page | " + " | ".join(f"{label}: wall / processor ms (rows/total)" for label, _, _ in runs) + " |")
    print("|---|---|---|" + "---|" * len(runs))
    for i, (name, params, where) in enumerate(cases):
        cells = []
        for label, _, _ in runs:
            rows = [run[i] for run in results[label]]
            wall = statistics.median(x["wall"] for x in rows) * 1000
            cpu = statistics.median(x["cpu"] for x in rows) * 1000
            cells.append(f"{wall:.1f} / {cpu:.1f} ({rows[0]['rows']}/{rows[0]['total']})")
        shown = " ".join(f"{k}={v}" for k, v in params.items()) or "-"
        print(f"| {name} | {shown} | {where} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
