"""Cost of one ``kg show`` card: the whole model (kg.sitedata.load_model, the path before) against the
part the card reads (kg.showmodel.entity_model), on the built graph and on copies of it.

    python bench/show_bench.py [1 10] [--repeat 3]

For each scale N (``bench/scale_graph.py``: N copies, copy 0 the built graph itself), the N-Quads are
loaded into an on-disk store (as ``kg build`` leaves it), opened read-only as ``kg query`` opens it,
and each entity's card is drawn by both paths without the query worker (the engine itself), without
passages: median of ``--repeat`` runs, in milliseconds, and whether both cards are the same text.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

ENTITIES = ("person/barack-obama", "group/islamic-state", "event/aktobe-attacks-2016", "place/kazakhstan")


def _ms(fn, repeat: int) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, out


def main() -> None:
    from kg.showcard import entity_card
    from kg.sitedata import load_model
    from kg.store import OxigraphEngine, write_store
    from scale_graph import scale

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scales", nargs="*", type=int, default=[1, 10])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    source = ROOT / "build" / "kg.nq"
    print("| scale | quads | entity | whole model (ms) | card's part (ms) | same card |")
    print("|---|---|---|---|---|---|")
    for n in args.scales:
        tmp = Path(tempfile.mkdtemp(prefix="show-bench-"))
        try:
            nq = tmp / "kg.nq"
            if n == 1:
                shutil.copy(source, nq)
            else:
                scale(source, n, nq)
            engine = OxigraphEngine.read_only(write_store(nq, tmp / "store"))
            quads = len(engine.store)
            for local in ENTITIES:
                iri = "https://w3id.org/kzkg/id/" + local
                whole, old = _ms(lambda: entity_card(engine, iri, width=100, model=load_model(engine)), args.repeat)
                part, new = _ms(lambda: entity_card(engine, iri, width=100), args.repeat)
                print(f"| x{n} | {quads} | {local} | {whole:.0f} | {part:.0f} | {'yes' if old == new else 'NO'} |",
                      flush=True)
            del engine
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
