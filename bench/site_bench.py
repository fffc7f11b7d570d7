"""How long kg site takes to write the site, and how long its pages take to open in headless Chromium.

Usage: python bench/site_bench.py [--runs 3]   (after kg build; needs chromium for the page times)

Prints the site write time (best and median of the runs, with and without passages, CPU time beside
wall time since the machine may be shared) and, per kind of page, the time from navigation to the
load event and to the page's own 'drawn' mark (window.kgStatus), as measured by the browser.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import corpus  # noqa: E402
from kg.browser import find_chromium, open_page  # noqa: E402
from kg.site import write_site  # noqa: E402
from kg.store import built_file, open_engine  # noqa: E402

PAGES = ["index.html", "entity/agency/knb.html", "entity/group/islamic-state.html", "entity/person/barack-obama.html",
         "document/d004.html", "document/d003.html", "question/attacks.html", "question/index.html", "timeline.html",
         "class/Person.html"]
TIMING = """(function () { var n = performance.getEntriesByType("navigation")[0];
  return {load: n.loadEventEnd, drawn: (window.kgStatus && window.kgStatus.ms) || null}; })()"""


NETWORK = """(async function () {
  document.getElementById("kg-network").scrollIntoView();
  window.kgDrawNetwork();
  for (var i = 0; i < 2400 && !window.kgNetworkStatus; i++) await new Promise(r => setTimeout(r, 25));
  return window.kgNetworkStatus;
})()"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    engine = open_engine(built_file(ROOT))
    folder = corpus.corpus_dir()
    out = Path(tempfile.mkdtemp(prefix="kg-site-bench-")) / "site"
    for label, passages in (("with passages", True), ("without passages", False)):
        if passages and folder is None:
            print("with passages: skipped (no corpus)")
            continue
        walls, cpus = [], []
        for _ in range(args.runs):
            c0, w0 = time.process_time(), time.perf_counter()
            report = write_site(engine, out, corpus=folder if passages else None)
            walls.append(time.perf_counter() - w0)
            cpus.append(time.process_time() - c0)
        print(f"kg site {label}: {sum(report.pages.values())} pages; wall best {min(walls):.2f} s, median "
              f"{statistics.median(walls):.2f} s; CPU best {min(cpus):.2f} s (load, questions in a thread: CPU counts both)")
    write_site(engine, out, corpus=folder)
    if not find_chromium():
        print("page open times: skipped (no chromium)")
        return 0
    print(f"{'page':40} {'load ms':>8} {'drawn ms':>9}")
    for page in PAGES:
        loads, drawn = [], []
        for _ in range(args.runs):
            r = open_page(out / page, evaluate=TIMING, timeout=60, ready="document.readyState === 'complete'")
            loads.append(r.result["load"])
            if r.result["drawn"] is not None:
                drawn.append(r.result["drawn"])
        d = f"{statistics.median(drawn):9.0f}" if drawn else f"{'-':>9}"
        print(f"{page:40} {statistics.median(loads):8.0f} {d}")
    # the neighbourhood network of an entity page, drawn once scrolled to: from the start of drawing
    # (vis-network and the label script loaded) to the view fitted and labelled
    print(f"\n{'entity page network':40} {'nodes':>6} {'labels':>7} {'drawn ms':>9}")
    for page in [p for p in PAGES if p.startswith("entity/")]:
        results = [open_page(out / page, evaluate=NETWORK, timeout=60, ready="window.kgDrawNetwork && window.kgStatus").result
                   for _ in range(args.runs)]
        print(f"{page:40} {results[0]['drawn']:6d} {results[0]['labels']:7d} "
              f"{statistics.median(r['ms'] for r in results):9.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
