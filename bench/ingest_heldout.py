"""How much of each document's curation would `kg ingest` have proposed, had the document been new?

For each document: hide what only it states (its labels and aliases, its entities), ingest it, and
compare the draft with what the curators recorded:

* entities: the share of the document's curated entities (named nodes of its evidence graphs, not
  statistics, findings, notes, quantities, topics or positions) that the draft links (a mention of an
  entity other documents also name) or proposes (an acronym, name or title candidate whose folded text
  is one of the entity's labels or aliases);
* statistics: the share of its curated statistics with a value for which the draft has a figure
  candidate of the same value in an overlapping sentence.

Run from the project root after `kg build`:  python bench/ingest_heldout.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.ingest import heldout_scores  # noqa: E402
from kg.corpus import corpus_dir  # noqa: E402
from kg.store import built_file, open_engine  # noqa: E402


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    folder = corpus_dir(None)
    if folder is None:
        print("the corpus is not found (../shared/corpus or $KG_CORPUS): nothing to measure", file=sys.stderr)
        return 2
    engine = open_engine(built_file(root))
    totals = [0, 0, 0, 0]
    print("| document | entities found / curated | share | statistics found / curated | share | seconds |")
    print("|---|---|---|---|---|---|")
    for doc in ("000", "001", "002", "003", "004"):
        t0 = time.perf_counter()
        s = heldout_scores(engine, folder, doc)
        dt = time.perf_counter() - t0
        totals = [a + b for a, b in zip(totals, (s["entities_found"], s["entities"], s["stats_found"], s["stats"]))]
        print(f"| {doc} | {s['entities_found']} / {s['entities']} | {s['entities_found'] / max(1, s['entities']):.0%} "
              f"| {s['stats_found']} / {s['stats']} | {s['stats_found'] / max(1, s['stats']):.0%} | {dt:.1f} |")
    print(f"| all | {totals[0]} / {totals[1]} | {totals[0] / max(1, totals[1]):.0%} | {totals[2]} / {totals[3]} "
          f"| {totals[2] / max(1, totals[3]):.0%} | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
