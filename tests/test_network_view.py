"""What the network pages show: relation kinds true to the link, classes told apart, the source
projection without statistics and findings by default, spans in tooltips, links to the site; and, in
headless Chromium, every network fitted in the viewport on its first drawing."""

from __future__ import annotations

import json
import re

import pytest

from kg import network
from kg.browser import find_chromium, open_page
from kg.render import MAX_CLASSES, class_colours, render
from tests.conftest import rows


def test_supports_and_ties_are_kinds_of_their_own():
    assert network.RELATION_KINDS["supports"] == "support"
    assert network.RELATION_KINDS["tiedTo"] == "ties"
    assert network.RELATION_KINDS["pledgedAllegianceTo"] == "allegiance"
    assert network.RELATION_KINDS["cooperatesWith"] == "cooperation"


def test_actor_network_edges_carry_the_kind_of_their_predicate(engine):
    graph = network.project(engine, "actor")
    kinds = {d["relation"]: d["kind"] for _, _, d in graph.edges(data=True)}
    for relation, kind in kinds.items():
        assert kind == network.RELATION_KINDS.get(relation, relation)
    expected = rows(engine, "PREFIX kg: <https://w3id.org/kzkg/ontology#> SELECT DISTINCT ?s ?o WHERE { GRAPH ?g { ?s kg:supports ?o } ?s a kg:Actor . ?o a kg:Actor }")
    support = {(u, v) for u, v, d in graph.edges(data=True) if d["kind"] == "support"}
    assert support == {(r["s"], r["o"]) for r in expected}


def test_source_network_leaves_figures_out_by_default_and_counts_them(engine):
    plain = network.project(engine, "source")
    full = network.project(engine, "source", figures=True)
    figure_classes = {"Statistic", "Finding", "Quantity"}
    assert not [n for n, d in plain.nodes(data=True) if figure_classes & set(d.get("classes", []))]
    assert [n for n, d in full.nodes(data=True) if "Statistic" in d.get("classes", [])]
    doc = "https://w3id.org/kzkg/id/source/d003"
    stats = rows(engine, """PREFIX kg: <https://w3id.org/kzkg/ontology#>
        SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } ?g kg:document <%s> . ?s a kg:Statistic }""" % doc)
    assert plain.nodes[doc]["statistics"] == int(stats[0]["n"])
    assert plain.number_of_nodes() < full.number_of_nodes()


@pytest.mark.parametrize("projection", list(network.PROJECTIONS))
def test_classes_shown_have_distinct_colours(engine, projection):
    colours = class_colours(network.project(engine, projection))
    own = {name: colour for name, colour in colours.values() if not name.startswith("other ")}
    assert len(own) <= MAX_CLASSES
    assert len(set(own.values())) == len(own), own
    grouped = {colour for name, colour in colours.values() if name.startswith("other ")}
    assert not grouped & set(own.values())


def test_tooltips_name_the_spans_and_nodes_link_to_the_site(engine):
    graph = network.neighbourhood(network.project(engine, "actor"), "Islamic State", steps=1)
    page = render(graph, site="../site/")
    edges = json.loads(re.search(r"var edgeData = (\[.*?\]);\n", page).group(1))
    nodes = json.loads(re.search(r"var nodeData = (\[.*?\]);\n", page).group(1))
    assert all("spans: ev:d" in e["title"] for e in edges)
    isil = next(n for n in nodes if n["id"].endswith("/group/islamic-state"))
    assert isil["href"] == "../site/entity/group/islamic-state.html"
    assert "click to open its page" in isil["title"]


FIT = """(function () {
  var net = window.kgNetwork, box = document.getElementById("kg-network").getBoundingClientRect();
  var pos = net.getPositions(), ids = Object.keys(pos), out = 0, labelled = 0;
  ids.forEach(function (id) {
    var p = net.canvasToDOM(pos[id]);
    if (p.x < 0 || p.y < 0 || p.x > box.width || p.y > box.height) out++;
    if (net.body.data.nodes.get(id).label) labelled++;
  });
  var opened = null;
  window.kgOpen = function (h) { opened = h; };
  net.emit("click", {nodes: [ids[0]], edges: []});
  return {n: ids.length, out: out, labelled: labelled, opened: opened, href: net.body.data.nodes.get(ids[0]).href};
})()"""


@pytest.mark.parametrize("projection", list(network.PROJECTIONS))
def test_each_network_fits_the_viewport_on_first_draw(engine, projection, tmp_path):
    if not find_chromium():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    graph = network.project(engine, projection)
    path = tmp_path / f"{projection}.html"
    path.write_text(render(graph, site="../site/"), encoding="utf-8")
    report = open_page(path, evaluate=FIT, timeout=180, width=1400, height=900)
    assert report.errors == [] and report.requests == []
    result = report.result
    assert result["n"] == graph.number_of_nodes() and result["out"] == 0
    assert result["labelled"] <= (25 if graph.number_of_nodes() <= 300 else 12) or graph.number_of_nodes() <= 25
    assert result["opened"] == result["href"] and result["href"].startswith("../site/")
