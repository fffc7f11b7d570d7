"""Tests of kg.network (projections, filters, metrics, exports), kg.render (pages) and kg.browser.

Unit tests build a tiny dataset inline with the project's own build step (kg.build.assemble), so
qualified statements, superclass types and evidence metadata are derived as in a real build.
Content tests use the curated graph and compare with counts computed independently by SPARQL.
Browser tests open each page in headless Chromium with the network off; they skip where no
Chromium is installed.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from kg import network as N
from kg.build import assemble
from kg.load import parse_file
from kg.namespaces import BASE, turtle_prefixes
from kg.render import OfflineError, check_offline, render, write_page
from kg.store import open_engine

ROOT = Path(__file__).resolve().parent.parent
ID = BASE + "id/"
MARKUP = 'Alpha <b>bold</b> <img src=x onerror="window.kgPwned=1"></script><script>window.kgPwned=2</script>'

CARDS = turtle_prefixes() + """
group:a a kg:ArmedGroup ; skos:prefLabel "MARKUP"@en ; skos:altLabel "AG"@en .
group:b a kg:ArmedGroup ; skos:prefLabel "Beta"@en .
person:p a kg:Person ; skos:prefLabel "Pat Doe"@en .
agency:c a kg:StateAgency ; skos:prefLabel "Court"@en .
agency:parl a kg:StateAgency ; skos:prefLabel "Parliament"@en .
place:x a kg:City ; skos:prefLabel "X City"@en .
place:kz a kg:Country ; skos:prefLabel "Kazakhstan"@en .
topic:police a kg:Topic ; skos:prefLabel "police"@en .
event:des a kg:Designation ; skos:prefLabel "Designation of Alpha"@en .
event:att a kg:Attack ; skos:prefLabel "Attack in X"@en .
law:l a kg:Law ; skos:prefLabel "Law on groups"@en .
work:w a kg:CitedWork ; schema:name "Work W" .
source:d000 a kg:Document ; skos:prefLabel "Document zero"@en .
source:d003 a kg:Document ; skos:prefLabel "Document three"@en .
""".replace("MARKUP", MARKUP.replace('"', '\\"'))

CLAIMS = turtle_prefixes() + """
ev:d003-1-10 {
    person:p kg:leaderOf group:a .
    [] a rdf:Statement ; rdf:subject group:a ; rdf:predicate kg:pledgedAllegianceTo ; rdf:object group:b ;
       kg:date "2015"^^xsd:gYear .
}
ev:d000-5-9 {
    event:des kg:designatedGroup group:a ; kg:designatedBy agency:c ; kg:status "banned" ;
        kg:date "2016-01-02"^^xsd:date .
    [] a kg:Position ; org:member person:p ; org:organization agency:c ; kg:role "Judge" ; kg:date "2014"^^xsd:gYear .
    event:att kg:date "2016-06"^^xsd:gYearMonth ; kg:perpetratedBy group:a ; kg:place place:x ; kg:target topic:police .
    place:x schema:containedInPlace place:kz .
    law:l kg:adoptedBy agency:parl ; kg:bans group:b ; kg:date "2005"^^xsd:gYear .
}
ev:d000-20-30 {
    note:d000-1 a kg:Note ; kg:inDocument source:d000 ; kg:citesWork work:w .
}
ev:d000-5-9 kg:note note:d000-1 .
"""


def _iri(short: str) -> str:
    kind, local = short.split(":")
    return f"{ID}{kind}/{local}"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The tiny dataset, built as kg build builds, as an oxigraph engine and an rdflib Dataset."""
    folder = tmp_path_factory.mktemp("tiny")
    (folder / "cards.ttl").write_text(CARDS, encoding="utf-8")
    (folder / "claims.trig").write_text(CLAIMS, encoding="utf-8")
    files = [
        parse_file(ROOT / "ontology" / "kg.ttl", "ontology"),
        parse_file(folder / "cards.ttl", "data"),
        parse_file(folder / "claims.trig", "claims"),
    ]
    result = assemble(files)
    assert not result.errors, result.errors
    nquads = result.dataset.serialize(format="nquads")
    return {"engine": open_engine(nquads), "dataset": result.dataset}


@pytest.fixture(scope="module")
def facts(tiny):
    return N.read_facts(tiny["engine"])


def _edges(graph):
    return {(graph.nodes[u]["short"], d["relation"], graph.nodes[v]["short"]) for u, v, d in graph.edges(data=True)}


# --- projections -------------------------------------------------------------------------------


def test_actor_network_nodes_carry_label_class_aliases_sources(facts):
    g = N.actor_network(facts)
    a = g.nodes[_iri("group:a")]
    assert a["label"] == MARKUP
    assert a["aliases"] == ["AG"]
    assert a["class"] == "ArmedGroup" and {"Group", "Organization", "Actor"} <= set(a["classes"])
    assert a["sources"] == [_iri("source:d000"), _iri("source:d003")]
    assert g.nodes[_iri("person:p")]["class_label"] == "person"


def test_actor_network_typed_edges_with_evidence_and_dates(facts):
    g = N.actor_network(facts)
    assert _edges(g) == {
        ("person:p", "leaderOf", "group:a"),
        ("group:a", "pledgedAllegianceTo", "group:b"),
        ("person:p", "position", "agency:c"),
        ("agency:c", "designated", "group:a"),
        ("agency:parl", "bans", "group:b"),
    }
    assert _iri("place:kz") not in g  # an actor without links is dropped
    data = {d["relation"]: d for _, _, d in g.edges(data=True)}
    assert data["pledgedAllegianceTo"]["date"] == "2015" and data["pledgedAllegianceTo"]["kind"] == "allegiance"
    assert data["leaderOf"]["evidence"] == [_iri("source:d003")]
    assert data["leaderOf"]["graphs"] == [f"{ID}evidence/d003-1-10"]
    assert data["position"]["role"] == "Judge" and data["position"]["date"] == "2014"
    assert data["designated"]["via"] == _iri("event:des") and data["designated"]["start_date"] == "2016-01-02"
    assert data["designated"]["status"] == "banned" and data["designated"]["evidence"] == [_iri("source:d000")]
    assert data["bans"]["via"] == _iri("law:l") and data["bans"]["start_date"] == "2005"
    assert data["leaderOf"]["label"] == "leader of"


def test_keep_isolates(facts):
    assert _iri("place:kz") in N.actor_network(facts, keep_isolates=True)


def test_attack_network(facts):
    g = N.attack_network(facts)
    assert _edges(g) == {
        ("event:att", "perpetratedBy", "group:a"),
        ("event:att", "place", "place:x"),
        ("event:att", "target", "topic:police"),
        ("place:x", "containedInPlace", "place:kz"),
    }
    assert all(d["date"] == "2016-06" for u, _, d in g.edges(data=True) if u == _iri("event:att"))


def test_legal_network(facts):
    g = N.legal_network(facts)
    assert _edges(g) == {
        ("event:des", "designatedGroup", "group:a"),
        ("event:des", "designatedBy", "agency:c"),
        ("law:l", "adoptedBy", "agency:parl"),
        ("law:l", "bans", "group:b"),
    }
    assert g.nodes[_iri("law:l")]["date"] == "2005"


def test_source_network(facts):
    g = N.source_network(facts)
    edges = _edges(g)
    assert ("source:d003", "backs", "group:a") in edges and ("source:d000", "backs", "group:a") in edges
    assert ("source:d000", "cites", "work:w") in edges
    assert ("work:w", "backs", "law:l") in edges  # the span citing note d000-1 states the law
    assert ("work:w", "backs", "group:a") in edges and ("work:w", "backs", "person:p") in edges
    assert ("work:w", "backs", "place:kz") in edges
    assert not any(v == _iri("note:d000-1") for _, _, v in edges)


def test_engines_agree(tiny):
    for name in N.PROJECTIONS:
        ox, rdf = N.project(tiny["engine"], name), N.project(tiny["dataset"], name)
        assert _edges(ox) == _edges(rdf), name
        assert dict(ox.nodes(data="label")) == dict(rdf.nodes(data="label"))


def test_projection_predicates_are_declared_in_the_ontology():
    text = (ROOT / "ontology" / "kg.ttl").read_text(encoding="utf-8")
    from kg.namespaces import shorten

    for table in (N.ACTOR_PREDICATES, N.ATTACK_PREDICATES, N.LEGAL_PREDICATES, N.SOURCE_PREDICATES):
        for iri in table:
            assert f"\n{shorten(iri)}" in text, iri


# --- filters -----------------------------------------------------------------------------------


def test_filters(facts):
    g = N.actor_network(facts)
    assert set(N.by_class(g, ["Group"])) == {_iri("group:a"), _iri("group:b")}
    assert set(N.by_class(g, ["kg:StateAgency"])) == {_iri("agency:c"), _iri("agency:parl")}
    assert set(N.by_class(g, [g.nodes[_iri("group:a")]["class_label"].upper()])) == {_iri("group:a"), _iri("group:b")}
    assert _edges(N.by_relation(g, ["allegiance"])) == {("group:a", "pledgedAllegianceTo", "group:b")}
    assert {r for _, r, _ in _edges(N.by_relation(g, ["leaderOf", "position"]))} == {"leaderOf", "position"}
    in_2014 = {r for _, r, _ in _edges(N.by_years(g, 2014, 2014))}
    assert in_2014 == {"leaderOf", "position", "bans"}  # undated kept; the 2005 ban is still in force
    assert {r for _, r, _ in _edges(N.by_years(g, 2014, 2014, dated_only=True))} == {"position", "bans"}
    assert {r for _, r, _ in _edges(N.by_years(g, 2016, None))} == {"leaderOf", "designated", "bans"}
    assert {r for _, r, _ in _edges(N.by_document(g, "003"))} == {"leaderOf", "pledgedAllegianceTo"}
    assert N.by_document(g, "source:d003").number_of_nodes() == 3


def test_neighbourhood_by_label_or_alias(facts):
    g = N.actor_network(facts)
    one = N.neighbourhood(g, "ag", steps=1)
    assert set(one) == {_iri(x) for x in ("group:a", "group:b", "person:p", "agency:c")}
    assert set(N.neighbourhood(g, "Beta", steps=0)) == {_iri("group:b")}
    assert set(N.neighbourhood(g, "group:b", steps=2)) == set(one) | {_iri("agency:parl")}
    with pytest.raises(KeyError, match="no node"):
        N.neighbourhood(g, "Gamma")
    # the same ranking as -p entity= (kg.search): word prefixes, fuzzy misspellings, case and accents
    assert set(N.neighbourhood(g, "PAT", steps=0)) == {_iri("person:p")}
    assert set(N.neighbourhood(g, "Pat Doé", steps=0)) == {_iri("person:p")}
    assert set(N.neighbourhood(g, "Pat Dooe", steps=0)) == {_iri("person:p")}
    composed = N.filter_graph(g, classes=["Actor"], relations=["leadership", "allegiance"], around="Pat Doe", steps=2)
    assert set(composed) == {_iri("person:p"), _iri("group:a"), _iri("group:b")}


# --- metrics and exports -----------------------------------------------------------------------


def test_metrics(facts):
    g = N.actor_network(facts)
    values = N.centrality(g)
    assert values["degree"][_iri("group:a")] == 3
    assert max(values["betweenness"], key=values["betweenness"].get) == _iri("group:a")
    assert abs(sum(values["pagerank"].values()) - 1) < 1e-6
    found = N.communities(g)
    assert set().union(*found) == set(g)
    annotated = N.annotate(g)
    assert {"degree", "betweenness", "pagerank", "community"} <= set(annotated.nodes[_iri("group:a")])
    report = N.metrics_report(g, top=3)
    assert "most central by betweenness" in report and "communities (Louvain" in report


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
def test_exports_round_trip(facts, tmp_path, suffix):
    g = N.annotate(N.actor_network(facts))
    path = N.export(g, tmp_path / f"actor{suffix}")
    if suffix == ".graphml":
        back = nx.read_graphml(path)
    elif suffix == ".gexf":
        back = nx.read_gexf(path)
    else:
        back = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="links")
    assert back.number_of_nodes() == g.number_of_nodes() and back.number_of_edges() == g.number_of_edges()
    node = back.nodes[_iri("group:a")]
    assert node["label"] == MARKUP and node["class"] == "ArmedGroup"
    relations = sorted(d["relation"] for _, _, d in back.edges(data=True))
    assert relations == sorted(d["relation"] for _, _, d in g.edges(data=True))


# --- pages -------------------------------------------------------------------------------------


def test_page_is_offline_and_escapes_markup(facts):
    page = render(N.actor_network(facts), title="<script>alert(1)</script>")
    check_offline(page)
    assert "Content-Security-Policy" in page
    assert "<b>bold</b>" not in page and "<script>alert(1)" not in page
    assert page.count("\n<script>") == 3  # vis-network, the label placement and our own script, nothing from the data
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    with pytest.raises(OfflineError):
        check_offline('<html><script src="https://cdn.example/x.js"></script></html>')
    with pytest.raises(OfflineError):
        check_offline('<link rel="stylesheet" href="https://cdn.example/x.css">')


def test_large_graph_uses_python_layout():
    g = nx.barabasi_albert_graph(600, 2, seed=1)
    g = nx.relabel_nodes(g, {n: f"n{n}" for n in g})
    multi = nx.MultiDiGraph(g)
    for n in multi:
        multi.nodes[n].update(label=n, **{"class": "Thing"}, classes=["Thing"], aliases=[])
    page = render(multi)
    data = json.loads(page.split("var nodeData = ", 1)[1].split(";\n", 1)[0])
    assert len(data) == 600 and all("x" in n and "y" in n for n in data)
    assert '"physics": {"enabled": false}' in page
    positions = N.layout(nx.barabasi_albert_graph(2500, 2, seed=1))
    assert len(positions) == 2500


# --- the curated graph -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    """The curated graph: build/kg.nq when fresh, else built in memory (validation skipped)."""
    from kg.build import build
    from kg.store import built_file, is_stale

    if not is_stale(ROOT):
        return open_engine(built_file(ROOT))
    result = build(ROOT, write=False, validate=False)
    return open_engine(result.dataset.serialize(format="nquads"))


_ACTOR_TRIPLES = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT DISTINCT ?s ?rel ?o WHERE {
  VALUES (?p ?rel) {
    (kg:memberOf "memberOf") (org:memberOf "memberOf") (kg:leaderOf "leaderOf") (org:headOf "leaderOf")
    (kg:chairOf "chairOf") (kg:founderOf "founderOf") (kg:pledgedAllegianceTo "pledgedAllegianceTo")
    (kg:absorbedInto "absorbedInto") (kg:splitFrom "splitFrom") (kg:branchOf "branchOf")
    (kg:cooperatesWith "cooperatesWith") (kg:tiedTo "tiedTo") (kg:supports "supports")
    (org:subOrganizationOf "subOrganizationOf")
  }
  ?s ?p ?o . ?s a kg:Actor . ?o a kg:Actor .
}"""
_EVIDENCE = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
SELECT DISTINCT ?s ?p ?o ?doc WHERE { GRAPH ?ev { ?s ?p ?o } ?ev kg:document ?doc . FILTER(isIRI(?s) && isIRI(?o)) }
"""
_ATTACKS = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
SELECT DISTINCT ?a WHERE {
  { ?a a kg:Attack } UNION { ?a a kg:FoiledPlot }
  ?a kg:perpetratedBy|kg:claimedBy|kg:attributedTo|kg:attributedBy|kg:place|kg:target|kg:subEventOf ?x .
}"""
_BANS = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
SELECT DISTINCT ?act ?g WHERE { { ?act a kg:LegalAct } UNION { ?act a kg:Program } UNION { ?act a kg:Designation }
  ?act kg:bans|kg:designatedGroup ?g . FILTER(isIRI(?g)) }"""


def test_real_actor_network_matches_sparql(real):
    g = N.actor_network(real)
    expected = {(r["s"]["value"], r["rel"]["value"], r["o"]["value"]) for r in real.query(_ACTOR_TRIPLES).rows}
    plain = {
        (u, d["relation"], v) for u, v, d in g.edges(data=True) if d["relation"] in set(N.ACTOR_PREDICATES.values())
    }
    assert plain == expected
    documents = {}
    for r in real.query(_EVIDENCE).rows:
        documents.setdefault((r["s"]["value"], r["p"]["value"], r["o"]["value"]), set()).add(r["doc"]["value"])
    for u, v, d in g.edges(data=True):
        if d["relation"] in set(N.ACTOR_PREDICATES.values()):
            stated = set().union(
                *(documents.get((u, p, v), set()) for p, rel in N.ACTOR_PREDICATES.items() if rel == d["relation"])
            )
            assert set(d["evidence"]) == stated, (u, d["relation"], v)
    for _, data in g.nodes(data=True):
        assert data["label"] and data["class"] and isinstance(data["aliases"], list)
        assert "Actor" in data["classes"]


def test_real_attack_and_legal_networks_match_sparql(real):
    attacks = {r["a"]["value"] for r in real.query(_ATTACKS).rows}
    g = N.attack_network(real)
    assert {n for n, d in g.nodes(data=True) if {"Attack", "FoiledPlot"} & set(d["classes"])} == attacks
    bans = {(r["act"]["value"], r["g"]["value"]) for r in real.query(_BANS).rows}
    legal = N.legal_network(real)
    assert {(u, v) for u, v, d in legal.edges(data=True) if d["relation"] in ("bans", "designatedGroup")} == bans


def test_real_source_network_backs_every_document(real):
    g = N.source_network(real)
    docs = {
        r["d"]["value"]
        for r in real.query(
            "PREFIX kg: <https://w3id.org/kzkg/ontology#> SELECT DISTINCT ?d WHERE { ?ev kg:document ?d }"
        ).rows
    }
    assert {u for u, _, d in g.edges(data=True) if d["relation"] == "backs" and u.startswith(ID + "source/")} == docs


def test_cli_network(real, tmp_path, monkeypatch, capsys):
    from kg import cli

    monkeypatch.setattr(cli, "_engine", lambda args, root: real)
    page, graphml = tmp_path / "actor.html", tmp_path / "actor.graphml"
    assert cli.main(["network", "actor", "-o", str(page), "--export", str(graphml), "--metrics"]) == 0
    captured = capsys.readouterr()
    assert "most central by degree" in captured.out and page.exists() and graphml.exists()
    # the size of the network once, as the report's first line (stdout and stderr share a terminal)
    assert (captured.out + captured.err).count("actor network: ") == 1
    assert cli.main(["network", "actor", "--around", "no such entity at all", "-o", str(page)]) == 2
    assert cli.main(["network", "legal", "-o", str(tmp_path / "x.png")]) == 2


# --- in the browser ----------------------------------------------------------------------------


def _chromium():
    from kg.browser import find_chromium

    binary = find_chromium()
    if not binary:
        pytest.skip("no Chromium on this machine (apt-get install chromium); the page was not opened")
    return binary


@pytest.mark.parametrize("name", list(N.PROJECTIONS))
def test_real_page_draws_offline(real, tmp_path, monkeypatch, name):
    """kg network NAME -o page.html draws every node of the curated projection, offline, without errors."""
    _chromium()
    from kg import cli
    from kg.browser import open_page

    monkeypatch.setattr(cli, "_engine", lambda args, root: real)
    path = tmp_path / f"{name}.html"
    assert cli.main(["network", name, "-o", str(path)]) == 0
    g = N.project(real, name)
    assert g.number_of_nodes() > 0
    report = open_page(path, timeout=90)
    assert report.errors == [] and report.requests == []
    assert report.drawn == g.number_of_nodes() and report.edges == g.number_of_edges()


def test_markup_label_is_displayed_as_text(facts, tmp_path):
    _chromium()
    from kg.browser import open_page

    path = write_page(N.actor_network(facts), tmp_path / "markup.html")
    probe = """(function () {
      var search = document.getElementById('kg-search');
      search.value = 'ag';
      search.dispatchEvent(new Event('change'));
      var details = document.getElementById('kg-details');
      var node = kgNetwork.body.data.nodes.get('NODE');
      var edgeId = kgNetwork.body.data.edges.getIds()[0];
      kgNetwork.emit('hoverEdge', {edge: edgeId});
      var hovered = kgNetwork.body.data.edges.get(edgeId);
      return {pwned: window.kgPwned || null, images: document.images.length, label: node.label, full: node.fullLabel,
              tooltip: node.title.textContent, tooltipChildren: node.title.children.length,
              details: details.textContent, detailsChildren: details.children.length,
              scripts: document.scripts.length, edgeLabel: hovered.label, relation: hovered.relationLabel};
    })()""".replace("NODE", _iri("group:a"))
    report = open_page(path, evaluate=probe)
    assert report.errors == [] and report.drawn == N.actor_network(facts).number_of_nodes()
    seen = report.result
    assert seen["pwned"] is None and seen["images"] == 0 and seen["scripts"] == 3
    # drawn as text on the canvas: the whole name, or its first words on two lines cut with an ellipsis
    assert seen["full"] == MARKUP and seen["label"]
    assert MARKUP.startswith(seen["label"].replace("\n", " ").rstrip("…"))
    assert seen["tooltip"].startswith(MARKUP) and seen["tooltipChildren"] == 0
    assert seen["details"].startswith(MARKUP) and seen["detailsChildren"] == 0
    assert seen["edgeLabel"] == seen["relation"] and seen["relation"]  # the link's label shows on hover
