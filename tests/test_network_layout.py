"""Positions computed in Python (kg.network_layout): the same for the same graph whatever the order of
its nodes and in every process (PYTHONHASHSEED), components side by side, and the page drawn with
them: physics off, every node placed, nothing moved by the browser, nodes still draggable."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import networkx as nx
import pytest

from kg.browser import find_chromium, open_page
from kg.network_layout import DIRECT, LAYOUTS, PAGE_SCALE, PIECES, WHOLE, canonical, layout
from kg.render import render
from tests.conftest import ROOT

# A graph whose nodes and links are added in the order of a set of strings: that order changes with
# PYTHONHASHSEED, so only a layout that does not depend on it gives the same positions in two processes.
POSITIONS = """
import json, sys
import networkx as nx
from kg.network_layout import layout
edges = {(f"actor {i}", f"actor {(i * 7 + 3) % 60}") for i in range(60)} | {(f"lone {i}", f"pair {i}") for i in range(4)}
g = nx.MultiDiGraph()
g.add_edges_from(edges)
print(json.dumps(sorted((str(n), round(x, 6), round(y, 6)) for n, (x, y) in layout(g, method=sys.argv[1]).items())))
"""


def _positions_in_a_process(hash_seed: str, method: str = "spring") -> list:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    out = subprocess.run([sys.executable, "-c", POSITIONS, method], env=env, cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("method", LAYOUTS)
def test_same_positions_in_processes_with_different_hash_seeds(method):
    first = _positions_in_a_process("1", method)
    assert len(first) == 68
    assert _positions_in_a_process("2", method) == first
    assert _positions_in_a_process("3", method) == first


def test_the_order_in_which_nodes_were_added_changes_nothing():
    edges = [(f"n{i}", f"n{(i * 5 + 1) % 40}") for i in range(40)]
    forward, backward = nx.Graph(edges), nx.Graph(list(reversed(edges)))
    backward.add_nodes_from(sorted(forward, reverse=True))
    assert list(forward) != list(backward)
    assert layout(forward) == layout(backward)
    assert layout(forward, seed=8) != layout(forward)


def test_canonical_numbers_nodes_by_name_and_merges_parallel_links():
    g, nodes = canonical(nx.MultiDiGraph([("b", "a"), ("a", "b"), ("c", "c"), ("c", "a")]))
    assert nodes == ["a", "b", "c"]
    assert sorted(g.edges(data="weight")) == [(0, 1, 2), (0, 2, 1)]


def test_components_side_by_side_largest_first_none_overlapping():
    g = nx.union_all([nx.path_graph([f"big{i}" for i in range(30)]), nx.star_graph([f"mid{i}" for i in range(8)]),
                      nx.path_graph(["x", "y"]), nx.path_graph(["u", "v"])])
    pos = layout(g)
    boxes = {}
    for name, members in (("big", [n for n in g if n.startswith("big")]), ("mid", [n for n in g if n.startswith("mid")]),
                          ("xy", ["x", "y"]), ("uv", ["u", "v"])):
        xs, ys = [pos[n][0] for n in members], [pos[n][1] for n in members]
        boxes[name] = (min(xs), min(ys), max(xs), max(ys))
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = boxes[a], boxes[b]
            assert ax1 < bx0 or bx1 < ax0 or ay1 < by0 or by1 < ay0, (a, b)
    # the largest component comes first, in reading order: top left
    assert boxes["big"][0] == min(box[0] for box in boxes.values())
    assert boxes["big"][1] == min(box[1] for box in boxes.values())


def test_a_component_larger_than_direct_is_placed_by_communities_and_stays_repeatable():
    g = nx.relabel_nodes(nx.connected_caveman_graph(12, 50), lambda n: f"c{n}")
    assert len(g) > DIRECT
    pos = layout(g)
    assert len(pos) == len(g) and pos == layout(nx.Graph(sorted(g.edges(), reverse=True)))
    assert len({(round(x, 3), round(y, 3)) for x, y in pos.values()}) == len(g)
    # the communities sit close (not spread by ForceAtlas2's own scale): about sqrt(n) units of 100 across
    xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
    assert max(max(xs) - min(xs), max(ys) - min(ys)) < 4 * 100 * len(g) ** 0.5


def _bench():
    """bench/network_bench.py, for its measures of a drawing (crossings, overlapping dots)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("network_bench", ROOT / "bench" / "network_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _crossings(graph, pos) -> int:
    import numpy as np

    simple, nodes = canonical(graph)
    count, estimated = _bench().crossings(np.array([pos[n] for n in nodes]), simple.edges())
    assert not estimated
    return count


# Connected graphs past DIRECT that can be drawn without crossings: laid out community by community,
# links cross where the communities meet; ForceAtlas2 on the whole component then untangles them.
PLANAR = {
    "grid": nx.relabel_nodes(nx.grid_2d_graph(25, 25), lambda n: f"cell {n[0]} {n[1]}"),
    "tree": nx.relabel_nodes(nx.random_labeled_tree(700, seed=2), lambda n: f"entity {n}"),
}


@pytest.mark.parametrize("name", PLANAR)
def test_auto_refines_a_component_past_direct_with_forceatlas2_and_crosses_less(name):
    graph = PLANAR[name]
    assert DIRECT < len(graph) <= WHOLE and nx.is_connected(graph)
    auto, communities = layout(graph), layout(graph, method="spring")
    assert auto != communities  # spring past DIRECT is the communities' layout alone
    assert _crossings(graph, auto) < 0.2 * _crossings(graph, communities)
    # below DIRECT auto is spring, whose dots overlap less than ForceAtlas2's (bench/NETWORK.md, round 5)
    small = nx.relabel_nodes(nx.powerlaw_cluster_graph(120, 1, 0.3, seed=3), str)
    assert layout(small) == layout(small, method="spring")


def test_auto_crosses_less_than_spring_on_the_largest_networks_kg_network_draws(engine):
    from kg import network

    source = network.project(engine, "source")
    figures = network.project(engine, "source", figures=True)
    assert DIRECT < len(source) <= WHOLE < len(figures) <= PIECES
    for graph in (source, figures):  # the communities refined or laid out by ForceAtlas2, against spring's
        assert _crossings(graph, layout(graph)) < 0.6 * _crossings(graph, layout(graph, method="spring"))


def test_auto_past_direct_is_the_same_in_processes_with_different_hash_seeds():
    code = (
        "import json, networkx as nx\n"
        "from kg.network_layout import layout\n"
        "g = nx.Graph(sorted({(f'n{u}', f'n{v}') for u, v in nx.powerlaw_cluster_graph(520, 2, 0.3, seed=5).edges()}))\n"
        "print(json.dumps(sorted((n, round(x, 6), round(y, 6)) for n, (x, y) in layout(g).items())))"
    )
    runs = {subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed}, cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout for seed in ("1", "2")}
    assert len(runs) == 1 and len(json.loads(runs.pop())) == 520


def test_unknown_layout_is_refused():
    with pytest.raises(ValueError, match="unknown layout 'circle'"):
        layout(nx.path_graph(3), method="circle")
    assert layout(nx.Graph()) == {}
    assert layout(nx.Graph([("a", "a")])) == {"a": (0.0, 0.0)}


def _small_network() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for i in range(12):
        g.add_node(f"n{i}", label=f"Node {i}", **{"class": "Thing"}, classes=["Thing"], aliases=[])
    for i in range(11):
        g.add_edge(f"n{i}", f"n{(i * 5 + 1) % 12}", relation="tiedTo", kind="ties", label="tied to")
    return g


def _page_data(page: str):
    nodes = json.loads(re.search(r"var nodeData = (\[.*?\]);\n", page).group(1))
    options = json.loads(re.search(r"var options = (\{.*?\});\n", page).group(1))
    return nodes, options


def test_the_page_has_physics_off_and_the_positions_by_default():
    g = _small_network()
    nodes, options = _page_data(render(g))
    assert options["physics"] == {"enabled": False}
    assert options["interaction"].get("dragNodes", True) is True
    expected = layout(g, scale=PAGE_SCALE)
    assert {n["id"]: (n["x"], n["y"]) for n in nodes} == {
        node: (round(x, 1), round(y, 1)) for node, (x, y) in expected.items()
    }
    physics_nodes, physics = _page_data(render(g, layout="physics"))
    assert physics["physics"]["enabled"] is True and not any("x" in n for n in physics_nodes)


def test_kg_network_writes_the_same_page_in_processes_with_different_hash_seeds(tmp_path):
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"actor-{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "kg", "network", "actor", "-o", str(out)], env=env, cwd=ROOT,
                       capture_output=True, check=True)
        nodes, options = _page_data(out.read_text(encoding="utf-8"))
        assert options["physics"] == {"enabled": False} and all("x" in n and "y" in n for n in nodes)
        pages.append(sorted((n["id"], n["x"], n["y"]) for n in nodes))
    assert pages[0] == pages[1] and len(pages[0]) > 100


MOVED = """(function () {  // getPositions() truncates to whole units: a move is 1 or more
  var pos = window.kgNetwork.getPositions(), data = window.kgNetwork.body.data.nodes.get(), moved = 0;
  data.forEach(function (n) { if (Math.abs(pos[n.id].x - n.x) >= 1 || Math.abs(pos[n.id].y - n.y) >= 1) moved++; });
  return {n: data.length, moved: moved, physics: window.kgNetwork.physics.options.enabled,
          drag: window.kgNetwork.interactionHandler.options.dragNodes};
})()"""


def test_the_page_loads_in_chromium_and_keeps_the_positions(tmp_path):
    if not find_chromium():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    path = tmp_path / "small.html"
    path.write_text(render(_small_network()), encoding="utf-8")
    report = open_page(path, evaluate=MOVED, timeout=120, width=1200, height=800, settle=0.3)
    assert report.errors == [] and report.requests == []
    assert report.result == {"n": 12, "moved": 0, "physics": False, "drag": True}
