"""Exports any standard reader reads alike (kg.exports): JSON-LD by pyld and pyoxigraph, well-formed XML."""

import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from kg.exports import jsonld_document, used_prefixes, xml_safe
from kg.network import export
from kg.query import load_queries, run_named
from kg.store import OxigraphEngine

from test_query import required_params
from test_serve import canonical


@pytest.fixture(scope="module")
def jsonld(built):
    return jsonld_document(built.dataset)


def _engine_from(data: bytes, fmt):
    import pyoxigraph as ox

    engine = OxigraphEngine.__new__(OxigraphEngine)
    engine.store = ox.Store()
    engine.store.bulk_load(input=data, format=fmt)
    return engine


def _same_answers(engine, other):
    for name, q in load_queries().items():
        params = required_params(q)
        assert canonical(run_named(other, q, params)) == canonical(run_named(engine, q, params)), name


def test_default_graph_is_the_jsonld_default_graph(jsonld):
    assert all("@id" in item for item in jsonld["@graph"])  # no anonymous graph object
    assert all(not str(item.get("@id", "")).startswith("_:") for item in jsonld["@graph"])


def test_jsonld_read_back_holds_the_same_quads(jsonld, engine):
    """Every quad of kg.nq comes back from the JSON-LD, with its datatype, language and graph, and no other."""
    import pyoxigraph as ox
    from pyld import jsonld as pyld

    expected = set(engine.store)
    assert set(_engine_from(json.dumps(jsonld).encode(), ox.RdfFormat.JSON_LD).store) == expected
    nquads = pyld.to_rdf(jsonld, {"format": "application/n-quads"})
    assert set(_engine_from(nquads.encode(), ox.RdfFormat.N_QUADS).store) == expected


def test_named_questions_same_on_jsonld_read_by_pyoxigraph(jsonld, engine):
    import pyoxigraph as ox

    other = _engine_from(json.dumps(jsonld).encode(), ox.RdfFormat.JSON_LD)
    assert len(other.store) == len(engine.store)
    _same_answers(engine, other)


def test_named_questions_same_on_jsonld_read_by_pyld(jsonld, engine):
    import pyoxigraph as ox
    from pyld import jsonld as pyld

    nquads = pyld.to_rdf(jsonld, {"format": "application/n-quads"})
    other = _engine_from(nquads.encode(), ox.RdfFormat.N_QUADS)
    assert len(other.store) == len(engine.store)
    _same_answers(engine, other)


def test_context_carries_only_the_prefixes_used(jsonld, built):
    context = jsonld["@context"]
    assert "brick" not in context and "kg" in context
    text = json.dumps(jsonld["@graph"])
    for prefix in context:
        assert f'"{prefix}:' in text or f'{prefix}:' in text, prefix
    assert used_prefixes(built.dataset) == context


def test_graphml_and_gexf_are_well_formed_with_unique_edge_ids(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("a", label="bad \x00\x07\x1b label <b>&", classes=["Group"])
    g.add_node("b", label="ok\ttab\nline")
    g.add_edge("a", "b", key="memberOf", relation="memberOf", label="x\x0c")
    g.add_edge("b", "a", key="memberOf", relation="memberOf")
    g.add_edge("a", "b", key="tiedTo", relation="tiedTo")
    for suffix in (".graphml", ".gexf"):
        path = export(g, tmp_path / f"n{suffix}")
        root = ET.parse(path).getroot()  # well-formed XML
        ids = [e.get("id") for e in root.iter() if e.tag.endswith("edge")]
        assert len(ids) == 3 and len(set(ids)) == 3
    back = nx.read_graphml(tmp_path / "n.graphml")
    assert back.nodes["a"]["label"] == "bad  label <b>&"
    assert sorted(d["relation_key"] for _, _, d in back.edges(data=True)) == ["memberOf", "memberOf", "tiedTo"]


def test_xml_safe():
    assert xml_safe("a\x00b\ufffec\ud800") == "abc" and xml_safe(3) == 3
