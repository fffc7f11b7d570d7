"""The first view of every network the project draws can be read, in headless Chromium: each projection of
``kg network``, a neighbourhood, and the small networks of entity pages, at a desktop, a laptop and a
phone size. The label boxes are read from vis-network itself (``labelModule.size``, canvas coordinates,
converted with ``canvasToDOM``): every label shown lies inside the network's box and outside the
panels over it, no two overlap, and the most central node is labelled. Skips without Chromium."""

from __future__ import annotations

import pytest

from kg import network
from kg.browser import find_chromium, open_page
from kg.render import render

pytestmark = pytest.mark.skipif(not find_chromium(), reason="Chromium is not installed (apt-get install chromium)")

VIEWPORTS = [(1400, 1000), (1024, 768), (390, 844)]

#: What the page drew: the box of every label shown and of every panel over the network, in the
#: network element's pixels; the nodes drawn outside it; the most central node and whether it is labelled.
LABELS = """(function () {
  var net = window.kgNetwork, box = net.body.container.getBoundingClientRect();
  var shown = [], outside = 0, ids = net.body.nodeIndices, positions = net.getPositions();
  ids.forEach(function (id) {
    var node = net.body.nodes[id], p = net.canvasToDOM(positions[id]);
    if (p.x < 0 || p.y < 0 || p.x > box.width || p.y > box.height) outside++;
    if (!node.options.label || !node.labelModule.visible()) return;
    var s = node.labelModule.size;
    var a = net.canvasToDOM({x: s.left, y: s.top}), b = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
    shown.push({id: id, label: node.options.label, l: a.x, t: a.y, r: b.x, b: b.y});
  });
  var panels = [];
  document.querySelectorAll(".kg-panel").forEach(function (el) {
    if (el.offsetParent === null) return;
    var r = el.getBoundingClientRect();
    if (!r.width || !r.height) return;
    var p = {name: el.id, l: r.left - box.left, t: r.top - box.top, r: r.right - box.left, b: r.bottom - box.top};
    if (p.r > 0 && p.l < box.width && p.b > 0 && p.t < box.height) panels.push(p);
  });
  var data = net.body.data.nodes.get(), top = null;
  data.forEach(function (n) { if (top === null || (n.rank !== undefined ? n.rank : 0) < (top.rank !== undefined ? top.rank : 0)) top = n; });
  var centre = data.filter(function (n) { return n.centre; })[0];
  var first = centre || top;
  return {width: box.width, height: box.height, n: ids.length, outside: outside, shown: shown, panels: panels,
          first: first ? first.id : null};
})()"""


def _overlap(p: dict, q: dict) -> bool:
    return p["l"] < q["r"] and q["l"] < p["r"] and p["t"] < q["b"] and q["t"] < p["b"]


def check(result: dict) -> list[str]:
    """What is wrong with a drawn view (see :data:`LABELS`): labels outside, overlapping, nodes outside."""
    problems = []
    if result["outside"]:
        problems.append(f"{result['outside']} nodes drawn outside the view")
    if not result["shown"]:
        problems.append("no label shown")
    for s in result["shown"]:
        if s["l"] < 0 or s["t"] < 0 or s["r"] > result["width"] or s["b"] > result["height"]:
            problems.append(f"label {s['label']!r} cut by the edge: {s}")
        for p in result["panels"]:
            if _overlap(s, p):
                problems.append(f"label {s['label']!r} under the panel {p['name']}")
    shown = result["shown"]
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            if _overlap(a, b):
                problems.append(f"labels {a['label']!r} and {b['label']!r} overlap")
    if result["first"] not in {s["id"] for s in shown}:
        problems.append(f"the most central node {result['first']} is not labelled")
    return problems


def _graphs(engine):
    actors = network.project(engine, "actor")
    graphs = {name: network.project(engine, name) for name in network.PROJECTIONS}
    graphs["actor around Islamic State"] = network.neighbourhood(actors, "Islamic State", steps=2)
    graphs["legal, community colours"] = network.annotate(graphs["legal"])
    return graphs


@pytest.fixture(scope="module")
def pages(engine, tmp_path_factory):
    folder = tmp_path_factory.mktemp("network-labels")
    out = {}
    for name, graph in _graphs(engine).items():
        path = folder / (name.replace(" ", "-").replace(",", "") + ".html")
        colour = "community" if "community" in name else "class"
        path.write_text(render(graph, site="../site/", color_by=colour), encoding="utf-8")
        out[name] = (path, graph)
    return out


NAMES = list(network.PROJECTIONS) + ["actor around Islamic State", "legal, community colours"]


@pytest.mark.parametrize("size", VIEWPORTS, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", NAMES)
def test_network_first_view_labels_fit_and_do_not_overlap(pages, name, size):
    path, graph = pages[name]
    report = open_page(path, evaluate=LABELS, timeout=180, width=size[0], height=size[1], settle=0.2)
    assert report.errors == [] and report.requests == []
    assert report.result["n"] == graph.number_of_nodes()
    assert check(report.result) == []
    limit = 25 if graph.number_of_nodes() <= 300 else 12
    assert len(report.result["shown"]) <= limit


ENTITIES = ["entity/group/islamic-state.html", "entity/agency/knb.html", "entity/person/barack-obama.html",
            "entity/event/aktobe-attacks-2016.html"]

MINI = """(async function () {
  for (var j = 0; j < 400 && typeof window.kgDrawNetwork !== "function"; j++) await new Promise(r => setTimeout(r, 25));
  window.kgDrawNetwork();
  for (var i = 0; i < 2400 && !window.kgNetworkStatus; i++) await new Promise(r => setTimeout(r, 25));
  await new Promise(r => setTimeout(r, 100));
  return %s;
})()""" % LABELS


@pytest.fixture(scope="module")
def site(engine, tmp_path_factory):
    from kg.site import write_site

    return write_site(engine, tmp_path_factory.mktemp("labels-site") / "site", corpus=None)


@pytest.mark.parametrize("size", VIEWPORTS, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("page", ENTITIES)
def test_entity_network_labels_fit_and_do_not_overlap(site, page, size):
    report = open_page(site.out / page, evaluate=MINI, timeout=60, width=size[0], height=size[1],
                       ready="window.kgDrawNetwork && window.kgStatus")
    assert report.errors == []
    assert check(report.result) == []


ZOOMED = """(async function () {
  var net = window.kgNetwork, before = window.kgLabelView.boxes().map(function (b) { return b.id; });
  net.moveTo({scale: net.getScale() * 3, animation: false});
  window.kgLabelView.relabel();
  await new Promise(r => setTimeout(r, 300));
  var result = %s;
  result.before = before;
  return result;
})()""" % LABELS


@pytest.mark.parametrize("name", ["actor", "source"])
def test_zooming_in_shows_other_labels_still_inside_and_apart(pages, name):
    path, _ = pages[name]
    report = open_page(path, evaluate=ZOOMED, timeout=180, width=1400, height=1000, settle=0.2)
    assert report.errors == []
    result = report.result
    # zoomed in, the most central node may lie outside the view: the other checks hold all the same
    assert [p for p in check(result) if "most central" not in p and "outside the view" not in p] == []
    # names hidden on the first view appear: twice as many labels, or 40% of the nodes in the zoomed
    # view. The browser's physics lays the network out differently with the machine's speed (vis-network
    # steps in time, not only in iterations), so the view zoomed into differs from run to run: the actor
    # network gave 13 to 17 labels for 25 to 28 nodes in view (1 December 2026, idle and with both cores
    # busy), and half of them failed one run in four
    after, in_view = {s["id"] for s in result["shown"]}, result["n"] - result["outside"]
    assert after - set(result["before"])
    assert len(after) >= min(2 * len(result["before"]), 0.4 * in_view), (len(after), len(result["before"]), in_view)


HOVER = """(async function () {
  var net = window.kgNetwork, shown = window.kgLabelView.boxes().map(function (b) { return b.id; });
  var hidden = net.body.nodeIndices.filter(function (id) { return shown.indexOf(id) < 0; })[0];
  net.emit("hoverNode", {node: hidden});
  var during = net.body.data.nodes.get(hidden).label;
  net.emit("blurNode", {node: hidden});
  return {during: during, after: net.body.data.nodes.get(hidden).label, full: net.body.data.nodes.get(hidden).fullLabel};
})()"""


def test_a_node_pointed_at_shows_its_label(pages):
    path, _ = pages["actor"]
    report = open_page(path, evaluate=HOVER, timeout=180, width=1400, height=1000)
    result = report.result
    assert result["during"] and result["full"].startswith(result["during"].split("\n")[0].rstrip("…"))
    assert result["after"] == ""


#: The drawing area grows under a drawn view (a window made taller, a scroll bar or a panel gone, the
#: viewport of a headless screenshot, which is taller than the window the page was laid out in):
#: vis-network scales its view in proportion, so labels chosen for the old size were drawn past the new
#: edge until a timer fitted the view again (the source network at 1280x900 cut "Narcotics, Radicalism,
#: and Armed ..." mid-word). The labels must be chosen again before the next frame.
GROWN = """(async function () {
  var box = document.getElementById("kg-network");
  box.style.bottom = "%dpx";
  window.dispatchEvent(new Event("resize"));
  await new Promise(r => setTimeout(r, 400));
  box.style.bottom = "0px";
  window.dispatchEvent(new Event("resize"));
  await new Promise(r => requestAnimationFrame(r));
  return %s;
})()"""


@pytest.mark.parametrize("name", ["source", "actor"])
def test_labels_are_chosen_again_before_a_resized_view_is_drawn(pages, name):
    path, _ = pages[name]
    report = open_page(path, evaluate=GROWN % (90, LABELS), timeout=180, width=1280, height=900, settle=0.2)
    assert report.errors == []
    assert check(report.result) == []


@pytest.mark.parametrize("name", ["source", "legal"])
def test_first_view_labels_fit_at_any_window_size(pages, name):
    """A property over window sizes, phone to wide screen: the first view of a network shows its labels
    wholly inside the view and apart, its nodes inside, whatever the width and height (hypothesis picks
    the sizes; each is a page drawn in Chromium, so the examples are few)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    path, _ = pages[name]

    @settings(max_examples=5, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.integers(min_value=320, max_value=2200), st.integers(min_value=480, max_value=1400))
    def drawn(width, height):
        report = open_page(path, evaluate=LABELS, timeout=180, width=width, height=height, settle=0.2)
        assert report.errors == []
        assert check(report.result) == [], (width, height)

    drawn()
