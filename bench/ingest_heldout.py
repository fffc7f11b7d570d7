"""How much of each document's curation would `kg ingest` have proposed, had the document been new?

For each document: hide what only it states (its labels and aliases, its entities), ingest it, and
compare the draft with what the curators recorded:

* entities: the share of the document's curated entities (named nodes of its evidence graphs, not
  statistics, findings, notes, quantities, topics or positions) that the draft links (a mention of an
  entity other documents also name) or proposes (an acronym, name or title candidate whose folded text
  is one of the entity's labels or aliases);
* statistics: the share of its curated statistics with a value for which the draft has a figure
  candidate of the same value in an overlapping sentence.

The rule is kg/ingest_heldout.py's (unchanged since the first measurement; see bench/INGEST.md). An
entity also counts as found when it is an event or act stated in a sentence where the draft has an
event cue of a matching kind ("cue only" below: a cue is no name, so these are counted apart). The
table also gives the size of each draft (candidates; distinct proposed entities) and how many of the
proposed entities carry a curated name as they are (a lower bound of precision).

Run from the project root after `kg build`:  python bench/ingest_heldout.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.corpus import corpus_dir
from kg.ingest_heldout import heldout_scores
from kg.store import built_file, open_engine


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    folder = corpus_dir(None)
    if folder is None:
        print("the corpus is not found (../shared/corpus or $KG_CORPUS): nothing to measure", file=sys.stderr)
        return 2
    engine = open_engine(built_file(root))
    totals = [0] * 10
    print("| document | entities found / curated | share | found by link / name / cue only | statistics found / curated "
          "| share | candidates | proposed entities | of them curated names | seconds |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for doc in ("000", "001", "002", "003", "004"):
        t0 = time.perf_counter()
        s = heldout_scores(engine, folder, doc)
        dt = time.perf_counter() - t0
        row = [s[k] for k in ("entities_found", "entities", "stats_found", "stats", "by_link", "by_name", "by_cue",
                              "candidates", "proposed", "proposed_curated")]
        totals = [a + b for a, b in zip(totals, row)]
        print(_row(doc, row) + f" {dt:.1f} |")
    print(_row("all", totals) + " |")
    return 0


def _row(name: str, r: list[int]) -> str:
    return (f"| {name} | {r[0]} / {r[1]} | {r[0] / max(1, r[1]):.0%} | {r[4]} / {r[5]} / {r[6]} | {r[2]} / {r[3]} "
            f"| {r[2] / max(1, r[3]):.0%} | {r[7]} | {r[8]} | {r[9]} |")


if __name__ == "__main__":
    raise SystemExit(main())
