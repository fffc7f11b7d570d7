"""Benchmark of network pages: generated graphs of 100, 1,000 and 10,000 nodes.

For each size and layout it measures the time to write the page (projection already done: layout,
pyvis data, HTML), the size of the page, and in headless Chromium (offline) the time from
navigation until the network is first drawn, the wall-clock time from starting the browser, and
the time of one redraw after a zoom (how responsive the page stays).

    python bench/network_bench.py                       # 100, 1000, 10000 nodes; auto, physics, python
    python bench/network_bench.py --sizes 100 1000 --repeat 3
    python bench/network_bench.py --curated --repeat 3     # the pages of the built graph (after kg build)
    python bench/network_bench.py --compare-layouts --x10 --repeat 3   # layouts: time, crossings, overlaps, stress
    python bench/network_bench.py --compare-layouts auto --processes  # and the same drawing whatever PYTHONHASHSEED

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


def curated(repeat: int, layouts=("python",)) -> str:
    """The page of each projection of the built graph and of a neighbourhood, in each layout (interleaved):
    write time, drawing, labels, and whether two openings drew the same positions."""
    from kg import network
    from kg.store import built_file, open_engine

    engine = open_engine(built_file(Path(__file__).resolve().parent.parent))
    graphs = {name: network.project(engine, name) for name in network.PROJECTIONS}
    graphs["actor around Islamic State"] = network.neighbourhood(graphs["actor"], "Islamic State", steps=2)
    head = ("| network | nodes | links | layout | write page (s) | drawn after navigation (s) | "
            "fit and label first view (ms) | labels on the first view | same positions at every opening | "
            "console errors |")
    out = [head, "|---|---:|---:|---|---:|---:|---:|---:|---|---:|"]
    positions = "[window.kgStatus, JSON.stringify(kgNetwork.getPositions())]"
    with tempfile.TemporaryDirectory() as folder:
        for name, graph in graphs.items():
            runs = {layout: {"writes": [], "draws": [], "fits": [], "labels": [], "seen": set(), "errors": 0}
                    for layout in layouts}
            for _ in range(repeat):
                for layout in layouts:  # interleaved
                    run = runs[layout]
                    t0 = time.perf_counter()
                    path = Path(folder) / "page.html"
                    path.write_text(render(graph, site="../site/", layout=layout), encoding="utf-8")
                    run["writes"].append(time.perf_counter() - t0)
                    report = open_page(path, timeout=300, width=1400, height=1000, evaluate=positions, settle=0.2)
                    status, drawn = report.result
                    run["errors"] += len(report.errors)
                    run["draws"].append(status["ms"] / 1000)
                    run["fits"].append(status["fitMs"])
                    run["labels"].append(status["labels"])
                    run["seen"].add(drawn)
            for layout, run in runs.items():
                out.append(f"| {name} | {graph.number_of_nodes():,} | {graph.number_of_edges():,} | {layout} | "
                           f"{statistics.median(run['writes']):.2f} | {statistics.median(run['draws']):.2f} | "
                           f"{statistics.median(run['fits']):.0f} | {statistics.median(run['labels']):.0f} | "
                           f"{'yes' if len(run['seen']) == 1 else 'no: ' + str(len(run['seen'])) + ' drawings'} | "
                           f"{run['errors']} |")
                print(out[-1], file=sys.stderr, flush=True)
    return "\n".join(out)


def old_layout():
    """The layout of git's ``main`` (``kg/network_layout.py`` as committed there), loaded under another name,
    so that old and new code run interleaved in one process; None if main has no such module."""
    import subprocess
    import types

    root = Path(__file__).resolve().parent.parent
    found = subprocess.run(["git", "-C", str(root), "show", "main:kg/network_layout.py"], capture_output=True, text=True)
    if found.returncode:
        return None
    module = types.ModuleType("kg_main_network_layout")
    exec(compile(found.stdout, "main:kg/network_layout.py", "exec"), module.__dict__)  # noqa: S102 - our own code
    return module.layout


def crossings(pos, edges, limit: int = 4_000_000, seed: int = 1) -> tuple[float, bool]:
    """Pairs of links (sharing no end) whose segments cross: exact up to ``limit`` pairs, else estimated
    from ``limit`` pairs drawn at random. Returns (count, estimated)."""
    import numpy as np

    e = np.array([(u, v) for u, v in edges if u != v], dtype=int).reshape(-1, 2)
    m = len(e)
    total = m * (m - 1) // 2
    if total == 0:
        return 0, False
    if total <= limit:
        i, j = np.triu_indices(m, 1)
    else:
        rng = np.random.default_rng(seed)
        i, j = rng.integers(0, m, limit), rng.integers(0, m, limit)
        keep = i < j
        i, j = i[keep], j[keep]
    a, b, c, d = pos[e[i, 0]], pos[e[i, 1]], pos[e[j, 0]], pos[e[j, 1]]
    shared = (e[i, 0] == e[j, 0]) | (e[i, 0] == e[j, 1]) | (e[i, 1] == e[j, 0]) | (e[i, 1] == e[j, 1])

    def orient(p, q, r):
        return np.sign((q[:, 0] - p[:, 0]) * (r[:, 1] - p[:, 1]) - (q[:, 1] - p[:, 1]) * (r[:, 0] - p[:, 0]))

    cross = (orient(a, b, c) * orient(a, b, d) < 0) & (orient(c, d, a) * orient(c, d, b) < 0) & ~shared
    found = int(cross.sum())
    return (found if total <= limit else found * total / len(i)), total > limit


def stress(pos, graph, sources: int = 200, seed: int = 1) -> float:
    """Normalised stress: sum of (scale * drawn distance - path length)^2 / path length^2 over pairs of
    nodes of one component (from at most ``sources`` sources), with the scale that minimises it,
    divided by the number of pairs; 0 is perfect."""
    import numpy as np

    rng = random.Random(seed)
    nodes = sorted(graph)
    chosen = nodes if len(nodes) <= sources else rng.sample(nodes, sources)
    drawn, paths = [], []
    for s in chosen:
        for t, dist in nx.single_source_shortest_path_length(graph, s).items():
            if t != s:
                drawn.append(float(np.hypot(*(pos[s] - pos[t]))))
                paths.append(dist)
    if not paths:
        return 0.0
    x, d = np.array(drawn), np.array(paths, dtype=float)
    alpha = (x / d).sum() / ((x / d) ** 2).sum()
    return float((((alpha * x - d) / d) ** 2).mean())


#: Overlaps are counted with every layout scaled to this bounding-box area per node (page units
#: squared): the page fits the drawing to its window, so this is what the reader sees.
AREA_PER_NODE = 200.0**2


def overlaps(pos, radii) -> int:
    """Pairs of nodes whose discs (the page's sizes) overlap, the layout scaled to :data:`AREA_PER_NODE`."""
    import numpy as np

    box = np.ptp(pos, axis=0)
    area = max(float(box[0]) * float(box[1]), 1e-9)
    pos = pos * np.sqrt(AREA_PER_NODE * len(pos) / area)
    total = 0
    for start in range(0, len(pos), 2000):
        block = pos[start : start + 2000]
        dist = np.hypot(block[:, None, 0] - pos[None, :, 0], block[:, None, 1] - pos[None, :, 1])
        reach = radii[start : start + 2000, None] + radii[None, :]
        hit = dist < reach
        idx = np.arange(start, start + len(block))[:, None]
        total += int((hit & (np.arange(len(pos))[None, :] > idx)).sum())
    return total


def layout_graphs(scale10: bool, only=None) -> dict[str, nx.MultiDiGraph]:
    """The networks `kg network` draws from the built graph: each projection with the default filters,
    the largest (the source network with --figures) and the actor network with --keep-isolates; with
    ``scale10`` the actor and source ones of the x10 graph; and a generated graph of 10,000 nodes (with
    ``only``, only the graphs named there)."""
    from kg import network
    from kg.store import built_file, open_engine

    root = Path(__file__).resolve().parent.parent
    big = root / "build" / "scale" / "kg-x10.nq"
    if scale10 and not big.exists():
        raise SystemExit(f"{big} is missing: python bench/scale_graph.py 10")
    wanted = {name: (built_file(root), name, {}) for name in network.PROJECTIONS}
    wanted["source --figures"] = (built_file(root), "source", {"figures": True})
    wanted["actor --keep-isolates"] = (built_file(root), "actor", {"keep_isolates": True})
    if scale10:
        wanted.update({f"{name} x10": (big, name, {}) for name in ("actor", "source")})
    engines, graphs = {}, {}
    for name, (store, projection, options) in wanted.items():
        if not only or name in only:
            if store not in engines:
                engines[store] = open_engine(store)
            graphs[name] = network.project(engines[store], projection, **options)
    if not only or "generated 10,000" in only:
        graphs["generated 10,000"] = generated(10000)
    return {name: graph for name, graph in graphs.items() if not only or name in only}


def positions_digest(name: str, method: str, scale10: bool) -> str:
    """SHA-1 of the positions (rounded to 1e-6) of one graph of :func:`layout_graphs` by one method."""
    import hashlib
    import json

    from kg.network_layout import layout

    pos = layout(layout_graphs(scale10, [name])[name], method=method, seed=7, scale=1000.0)
    rows = sorted((str(n), round(x, 6), round(y, 6)) for n, (x, y) in pos.items())
    return hashlib.sha1(json.dumps(rows).encode()).hexdigest()


def same_in_processes(name: str, method: str, scale10: bool, seeds=("1", "2", "3")) -> int:
    """How many different drawings processes with these ``PYTHONHASHSEED`` give (1: the same in every one)."""
    import os
    import subprocess

    digests = set()
    for seed in seeds:
        argv = [sys.executable, __file__, "--digest", name, method] + (["--x10"] if scale10 else [])
        out = subprocess.run(argv, env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True)
        digests.add(out.stdout.strip())
    return len(digests)


def compare_layouts(repeat: int, methods, kk_max: int, scale10: bool, only=None, processes=False, seeds=0) -> str:
    """Time (processor and wall, median) and readability of each layout on each graph, old and new interleaved;
    with ``seeds``, also the median crossings and overlaps over the seeds 1 to ``seeds`` (not timed)."""
    import numpy as np

    from kg.network_layout import canonical, layout
    from kg.render import _sizes

    old = old_layout()
    candidates = {"main (round 4)": (lambda g, seed=7: old(g, seed=seed, scale=1000.0))} if old else {}
    for m in methods:
        candidates[f"nx {m}"] = (lambda g, seed=7, m=m: layout(g, method=m, seed=seed, scale=1000.0))
    out = ["| graph | nodes | links | layout | processor (s) | wall (s) | crossings | overlapping nodes | stress |"
           + (f" crossings, median of seeds 1-{seeds} | overlapping, median |" if seeds else "")
           + (" drawings in 3 processes |" if processes else ""),
           "|---|---:|---:|---|---:|---:|---:|---:|---:|" + ("---:|---:|" if seeds else "") + ("---:|" if processes else "")]
    for name, graph in layout_graphs(scale10, only).items():
        simple, nodes = canonical(graph)
        sizes = _sizes(graph, "degree")
        radii = np.array([sizes[n] for n in nodes])

        def measure(positions):
            pos = np.array([positions[n] for n in nodes], dtype=float)
            return crossings(pos, simple.edges()), overlaps(pos, radii), pos

        times: dict[str, list] = {c: [] for c in candidates}
        results = {}
        for _ in range(repeat):
            for cand, fn in candidates.items():  # interleaved: old, new, old, new...
                if "kamada" in cand and len(graph) > kk_max:
                    continue
                t, w = time.process_time(), time.perf_counter()
                results[cand] = fn(graph)
                times[cand].append((time.process_time() - t, time.perf_counter() - w))
        for cand, positions in results.items():
            (count, estimated), overlapping, pos = measure(positions)
            cpu = statistics.median(t for t, _ in times[cand])
            wall = statistics.median(w for _, w in times[cand])
            row = (f"| {name} | {len(graph):,} | {simple.number_of_edges():,} | {cand} | {cpu:.2f} | {wall:.2f} | "
                   f"{'~' if estimated else ''}{count:,.0f} | {overlapping:,} | {stress(pos, simple):.3f} |")
            if seeds:
                found = [measure(candidates[cand](graph, seed=s))[:2] for s in range(1, seeds + 1)]
                row += (f" {statistics.median(c for (c, _), _ in found):,.0f} {[round(c) for (c, _), _ in found]} | "
                        f"{statistics.median(o for _, o in found):,.0f} |")
            if processes:  # PYTHONHASHSEED 1, 2, 3 (the method's own code: main's is not importable by name)
                row += f" {same_in_processes(name, cand[3:], scale10)} |" if cand.startswith("nx ") else " - |"
            out.append(row)
            print(row, file=sys.stderr, flush=True)
        for cand in candidates:
            if cand not in results:
                out.append(f"| {name} | {len(graph):,} | {simple.number_of_edges():,} | {cand} | not tried "
                           f"(over {kk_max:,} nodes) | | | | |")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument(
        "--layouts", nargs="+", default=None, choices=["auto", "physics", "python"],
        help="page layouts to measure (default: auto, physics and python; with --curated: python)",
    )
    ap.add_argument("--physics-max", type=int, default=1000, help="largest graph tried with browser physics")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--curated", action="store_true", help="measure the pages of the built graph instead")
    ap.add_argument("--compare-layouts", nargs="*", metavar="METHOD",
                    help="time and readability of kg's old layout and of these networkx layouts (default: all of "
                    "kg.network_layout.LAYOUTS) on the projections, their x10 (--x10) and a generated graph")
    ap.add_argument("--x10", action="store_true", help="with --compare-layouts, the x10 graph too (bench/scale_graph.py 10)")
    ap.add_argument("--only", nargs="+", metavar="GRAPH", help="with --compare-layouts, only these graphs "
                    "(actor, attack, legal, source, 'source --figures', 'actor --keep-isolates', 'actor x10', "
                    "'source x10', 'generated 10,000')")
    ap.add_argument("--processes", action="store_true", help="with --compare-layouts, also count the drawings "
                    "that three processes with PYTHONHASHSEED 1, 2, 3 give (1: the same)")
    ap.add_argument("--seeds", type=int, default=0, help="with --compare-layouts, also the median crossings and "
                    "overlaps over the layouts' seeds 1 to N (a single seed's figures vary much)")
    ap.add_argument("--digest", nargs=2, metavar=("GRAPH", "METHOD"), help=argparse.SUPPRESS)
    ap.add_argument("--kk-max", type=int, default=1000, help="largest graph given to Kamada-Kawai (default 1000)")
    args = ap.parse_args()
    args.layouts_given = args.layouts is not None
    args.layouts = args.layouts or ["auto", "physics", "python"]
    if args.digest:
        print(positions_digest(args.digest[0], args.digest[1], args.x10))
        return 0
    if args.compare_layouts is not None:
        from kg.network_layout import LAYOUTS

        print(f"Python {platform.python_version()}, networkx {nx.__version__}, repeat {args.repeat} (median)\n")
        print(compare_layouts(args.repeat, args.compare_layouts or LAYOUTS, args.kk_max, args.x10, args.only,
                             args.processes, args.seeds))
        return 0
    if not find_chromium():
        print("no Chromium: apt-get install chromium", file=sys.stderr)
        return 2
    if args.curated:
        print(f"Python {platform.python_version()}, {platform.machine()}, repeat {args.repeat} (median), 1400x1000\n")
        print(curated(args.repeat, args.layouts if args.layouts_given else ("python",)))
        return 0
    rows = run(args.sizes, args.layouts, args.repeat, args.physics_max)
    print(f"Python {platform.python_version()}, {platform.machine()}, repeat {args.repeat} (median)\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
