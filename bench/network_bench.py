"""Benchmark of network pages: generated graphs of 100, 1,000 and 10,000 nodes.

For each size and layout it measures the time to write the page (projection already done: layout,
pyvis data, HTML), the size of the page, and in headless Chromium (offline) the time from
navigation until the network is first drawn, the wall-clock time from starting the browser, and
the time of one redraw after a zoom (how responsive the page stays).

    python bench/network_bench.py                       # 100, 1000, 10000 nodes; auto, physics, python
    python bench/network_bench.py --sizes 100 1000 --repeat 3
    python bench/network_bench.py --curated --repeat 3     # the pages of the built graph (after kg build)

Results are printed as a Markdown table; bench/NETWORK.md records them with the command.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.browser import find_chromium, open_page
from kg.render import render

CLASSES = [
    ("ArmedGroup", "armed or terrorist group"),
    ("Person", "person"),
    ("StateAgency", "state agency"),
    ("InternationalOrganization", "international organization or platform"),
    ("Country", "country"),
    ("NGO", "non-governmental organization"),
]
RELATIONS = [
    ("memberOf", "membership"),
    ("leaderOf", "leadership"),
    ("pledgedAllegianceTo", "allegiance"),
    ("cooperatesWith", "cooperation"),
    ("designated", "designation"),
]
AUTO_LIMIT = 400  # kg.render's default physics_limit: past it, auto is the python layout
ZOOM = """new Promise(function (resolve) {
  var t = performance.now();
  kgNetwork.once('afterDrawing', function () {
    var redrawMs = performance.now() - t, t2 = performance.now();
    kgLabelView.relabel();  // the labels chosen again for the zoomed view (debounced after a user's zoom)
    var relabelMs = performance.now() - t2;
    resolve({redrawMs: redrawMs, relabelMs: relabelMs, fitMs: window.kgStatus.fitMs, labels: kgLabelView.boxes().length});
  });
  kgNetwork.moveTo({scale: kgNetwork.getScale() * 1.5});
})"""


def generated(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """An actor-like network: power law degrees with clustering, classes, aliases, sources, typed links."""
    rng = random.Random(seed)
    base = nx.powerlaw_cluster_graph(n, 2, 0.3, seed=seed)
    graph = nx.MultiDiGraph(projection="generated")
    docs = {f"https://w3id.org/kzkg/id/source/d00{i}": f"Document {i}" for i in range(5)}
    graph.graph["documents"] = docs
    for node in base:
        cls, label = rng.choice(CLASSES)
        graph.add_node(
            f"n{node}",
            label=f"Entity {node}",
            aliases=[f"E{node}"],
            **{"class": cls},
            class_label=label,
            classes=[cls, "Actor"],
            sources=[rng.choice(list(docs))],
            short=f"group:n{node}",
        )
    for u, v in base.edges():
        relation, kind = rng.choice(RELATIONS)
        graph.add_edge(
            f"n{u}",
            f"n{v}",
            key=relation,
            relation=relation,
            kind=kind,
            label=relation,
            evidence=[rng.choice(list(docs))],
            symmetric=relation == "cooperatesWith",
        )
    return graph


def run(sizes, layouts, repeat: int, physics_max: int) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            graph = generated(n)
            for layout in layouts:
                if (layout == "physics" and n > physics_max) or (layout == "auto" and n > AUTO_LIMIT):
                    continue
                writes, draws, walls, redraws, errors, drawn = [], [], [], [], [], None
                fits, relabels = [], []
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    page = render(graph, layout=layout)
                    path = Path(folder) / f"g{n}-{layout}.html"
                    path.write_text(page, encoding="utf-8")
                    writes.append(time.perf_counter() - t0)
                    report = open_page(path, timeout=300, evaluate=ZOOM, settle=0.2)
                    drawn = report.drawn
                    errors += report.errors
                    if report.drawn_ms is not None:
                        draws.append(report.drawn_ms / 1000)
                    walls.append(report.wall_s)
                    if report.result:
                        redraws.append(report.result["redrawMs"])
                        fits.append(report.result["fitMs"])
                        relabels.append(report.result["relabelMs"])
                rows.append(
                    {
                        "nodes": n,
                        "links": graph.number_of_edges(),
                        "layout": layout,
                        "write_s": statistics.median(writes),
                        "size_mb": path.stat().st_size / 1e6,
                        "drawn_s": statistics.median(draws) if draws else None,
                        "wall_s": statistics.median(walls),
                        "redraw_ms": statistics.median(redraws) if redraws else None,
                        "fit_ms": statistics.median(fits) if fits else None,
                        "relabel_ms": statistics.median(relabels) if relabels else None,
                        "drawn": drawn,
                        "errors": len(errors),
                    }
                )
                print(rows[-1], file=sys.stderr)
    return rows


def fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def table(rows) -> str:
    head = (
        "| nodes | links | layout | write page (s) | page size (MB) | drawn after navigation (s) | "
        "browser start to drawn (s) | redraw after zoom (ms) | fit and label first view (ms) | "
        "labels chosen after zoom (ms) | nodes drawn | console errors |"
    )
    out = [head, "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(
            f"| {r['nodes']:,} | {r['links']:,} | {r['layout']} | {r['write_s']:.2f} | {r['size_mb']:.2f} | "
            f"{fmt(r['drawn_s'], '.2f')} | {r['wall_s']:.2f} | {fmt(r['redraw_ms'], '.0f')} | "
            f"{fmt(r['fit_ms'], '.0f')} | {fmt(r['relabel_ms'], '.0f')} | "
            f"{fmt(r['drawn'], ',')} | {r['errors']} |"
        )
    return "\n".join(out)


def curated(repeat: int) -> str:
    """The page of each projection of the built graph and of a neighbourhood: write time, drawing, labels."""
    from kg import network
    from kg.store import built_file, open_engine

    engine = open_engine(built_file(Path(__file__).resolve().parent.parent))
    graphs = {name: network.project(engine, name) for name in network.PROJECTIONS}
    graphs["actor around Islamic State"] = network.neighbourhood(graphs["actor"], "Islamic State", steps=2)
    out = ["| network | nodes | links | write page (s) | drawn after navigation (s) | fit and label first view (ms) | "
           "labels on the first view | console errors |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as folder:
        for name, graph in graphs.items():
            writes, draws, fits, labels, errors = [], [], [], [], 0
            for _ in range(repeat):
                t0 = time.perf_counter()
                path = Path(folder) / "page.html"
                path.write_text(render(graph, site="../site/"), encoding="utf-8")
                writes.append(time.perf_counter() - t0)
                report = open_page(path, timeout=300, width=1400, height=1000,
                                   evaluate="window.kgStatus", settle=0.2)
                errors += len(report.errors)
                draws.append(report.result["ms"] / 1000)
                fits.append(report.result["fitMs"])
                labels.append(report.result["labels"])
            out.append(f"| {name} | {graph.number_of_nodes():,} | {graph.number_of_edges():,} | "
                       f"{statistics.median(writes):.2f} | {statistics.median(draws):.2f} | "
                       f"{statistics.median(fits):.0f} | {statistics.median(labels):.0f} | {errors} |")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument(
        "--layouts", nargs="+", default=["auto", "physics", "python"], choices=["auto", "physics", "python"]
    )
    ap.add_argument("--physics-max", type=int, default=1000, help="largest graph tried with browser physics")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--curated", action="store_true", help="measure the pages of the built graph instead")
    args = ap.parse_args()
    if not find_chromium():
        print("no Chromium: apt-get install chromium", file=sys.stderr)
        return 2
    if args.curated:
        print(f"Python {platform.python_version()}, {platform.machine()}, repeat {args.repeat} (median), 1400x1000\n")
        print(curated(args.repeat))
        return 0
    rows = run(args.sizes, args.layouts, args.repeat, args.physics_max)
    print(f"Python {platform.python_version()}, {platform.machine()}, repeat {args.repeat} (median)\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
