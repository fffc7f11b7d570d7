"""Build-time aggregates (kg/aggregates.py): each equals the same count made over the graph itself."""

from collections import defaultdict

import pytest

from kg.aggregates import compute

ID = "https://w3id.org/kzkg/id/"


def _values(engine, text):
    return [{k: v["value"] for k, v in row.items()} for row in engine.query(text).rows]


def test_class_partitions_count_the_labelled_entities_of_each_class(engine):
    stored = {r["class"]: int(r["n"]) for r in _values(engine, """
        PREFIX void: <http://rdfs.org/ns/void#>
        SELECT ?class ?n WHERE { ?d void:classPartition ?part . ?part void:class ?class ; void:entities ?n }""")}
    # counted here in Python from the plain triples: instances of each class of the ontology that have a label
    own = {r["c"] for r in _values(engine, "SELECT ?c WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#isDefinedBy> "
                                           "<https://w3id.org/kzkg/ontology#> }")}
    labelled = {r["s"] for r in _values(engine, "SELECT DISTINCT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }")}
    counted = defaultdict(set)
    for r in _values(engine, "SELECT ?id ?c WHERE { ?id a ?c }"):  # the aggregates' own void:Dataset is no entity
        if r["c"] in own and r["id"].startswith(ID) and r["id"] in labelled:
            counted[r["c"]].add(r["id"])
    assert stored == {c: len(ids) for c, ids in counted.items()}
    assert stored["https://w3id.org/kzkg/ontology#Attack"] >= 10


def test_document_subsets_count_spans_statements_and_subjects(engine):
    stored = {r["doc"]: (int(r["spans"]), int(r["triples"]), int(r["subjects"])) for r in _values(engine, """
        PREFIX void: <http://rdfs.org/ns/void#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX kg: <https://w3id.org/kzkg/ontology#>
        SELECT ?doc ?spans ?triples ?subjects WHERE {
          ?d void:subset ?part . ?part dcterms:source ?doc ; kg:spanCount ?spans ; void:triples ?triples ;
                                 void:distinctSubjects ?subjects }""")}
    document = {r["ev"]: r["doc"] for r in _values(engine, "SELECT ?ev ?doc WHERE { ?ev <https://w3id.org/kzkg/ontology#document> ?doc }")}
    spans, quads, subjects = defaultdict(set), defaultdict(int), defaultdict(set)
    for r in _values(engine, "SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } }"):
        if r["g"] in document:
            doc = document[r["g"]]
            spans[doc].add(r["g"])
            quads[doc] += 1
            subjects[doc].add(r["s"])
    assert stored == {d: (len(spans[d]), quads[d], len(subjects[d])) for d in spans}
    assert len(stored) >= 5


def test_aggregates_are_recomputed_from_the_dataset_alone():
    import pyoxigraph as ox

    kg, g = "https://w3id.org/kzkg/ontology#", ox.NamedNode(ID + "evidence/d001-0-10")
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(kg + "Attack"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#isDefinedBy"),
                      ox.NamedNode(kg)))
    store.add(ox.Quad(g, ox.NamedNode(kg + "document"), ox.NamedNode(ID + "source/d001")))
    for name in ("a", "b"):
        node = ox.NamedNode(ID + "event/" + name)
        store.add(ox.Quad(node, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(kg + "Attack")))
        store.add(ox.Quad(node, ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"), ox.Literal(name)))
        store.add(ox.Quad(node, ox.NamedNode(kg + "killed"), ox.Literal("3", datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer")), g))
    quads = compute(store)
    counts = {q.predicate.value.rsplit("#", 1)[1]: q.object.value for q in quads if q.object.__class__ is ox.Literal}
    assert counts == {"entities": "2", "spanCount": "1", "triples": "2", "distinctSubjects": "2"}
    described = sorted(q.subject.value.rsplit("/", 1)[1] for q in quads if q.predicate.value == kg + "describedIn")
    assert described == ["a", "b"]
    store.extend(quads)
    with pytest.raises(ValueError, match="already holds"):
        compute(store)


def test_mentions_are_the_documents_whose_spans_state_something_about_an_entity(engine):
    stored = {(r["e"], r["d"], r["p"]) for r in _values(engine, """
        PREFIX kg: <https://w3id.org/kzkg/ontology#>
        SELECT ?e ?p ?d WHERE { ?e ?p ?d FILTER(?p IN (kg:describedIn, kg:mentionedIn)) }""")}
    document = {r["ev"]: r["doc"] for r in _values(engine, "SELECT ?ev ?doc WHERE { ?ev <https://w3id.org/kzkg/ontology#document> ?doc }")}
    kg = "https://w3id.org/kzkg/ontology#"
    expected = set()
    for r in engine.query("SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } }").rows:
        doc = document.get(r["g"]["value"])
        if doc is None:
            continue
        if r["s"]["type"] == "uri":
            expected |= {(r["s"]["value"], doc, kg + "describedIn"), (r["s"]["value"], doc, kg + "mentionedIn")}
        if r["o"]["type"] == "uri":
            expected.add((r["o"]["value"], doc, kg + "mentionedIn"))
    assert stored == expected
    assert ("https://w3id.org/kzkg/id/agency/knb", "https://w3id.org/kzkg/id/source/d003", kg + "mentionedIn") in stored
