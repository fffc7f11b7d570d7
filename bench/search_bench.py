"""Benchmark of entity search and the build's curation checks on the built graph (build/kg.nq).

Measures: building the search index (once per engine), ranking a set of typed names (median and
worst of each), the mentions, duplicates and generated-labels passes, and the literal check over
the input files.

    kg build && python bench/search_bench.py [--repeat 5]

Results are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAMES = ["Obama", "Zhylanbayev", "Zhylanbaev", "Financial Monitoring Agency", "Ministry of Internal Affairs",
         "Kazakh government", "Prosecutor's office in Astana", "Zakon.kz 2017", "Aktobe attacks",
         "Nursultan/Astana", "Islamic Stat", "KNB", "Ақтөбе", "Hizb ut-Tahrir"]


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), max(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    from kg import duplicates, labels, literals, mentions, search
    from kg.build import assemble
    from kg.load import find_files, load_project
    from kg.store import built_file, open_engine

    engine = open_engine(built_file(ROOT))
    rows = []
    med, worst = timed(lambda: search.SearchIndex(search.export_index(engine)), args.repeat)
    index = search.index_for(engine)
    rows.append(("search index (export_index + keys)", f"{len(index.entries)} entities, {len(index.keys)} keys", med, worst))
    per_name = [timed(lambda n=n: index.search(n, 10), args.repeat)[0] for n in NAMES]
    rows.append(("one search, median over names", f"{len(NAMES)} names", statistics.median(per_name), max(per_name)))
    dataset = assemble(load_project(ROOT)).dataset
    med, worst = timed(lambda: labels.generate_labels(assemble(load_project(ROOT)).dataset), 1)
    rows.append(("load + assemble + generated labels", "", med, worst))
    n = labels.generate_labels(dataset)
    med, worst = timed(lambda: mentions.find_mentions(dataset), args.repeat)
    rows.append(("mentions check", f"{len(mentions.find_mentions(dataset))} mentions", med, worst))
    med, worst = timed(lambda: duplicates.find_duplicates(dataset), args.repeat)
    rows.append(("duplicates check", f"{len(duplicates.find_duplicates(dataset))} pairs", med, worst))
    paths = [p for p, _ in find_files(ROOT)]
    med, worst = timed(lambda: literals.check_files(paths), args.repeat)
    rows.append(("literal check", f"{len(paths)} files", med, worst))
    print(f"generated labels on this graph: {n}\n")
    print("| step | size | median s | worst s |\n|---|---|---|---|")
    for step, size, med, worst in rows:
        print(f"| {step} | {size} | {med:.4f} | {worst:.4f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
