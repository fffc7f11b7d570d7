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
    # (a band of statements resting on one document, void:triples 2, and the group of "b" starting at 2)
    assert counts == {"entities": "2", "spanCount": "1", "triples": "2", "distinctSubjects": "2", "documentCount": "1",
                      "statementRank": "2"}
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


def test_direct_types_are_the_most_specific_classes_of_each_entity(engine):
    from kg.aggregates import DIRECT_TYPE

    stored = {(r["e"], r["c"]) for r in _values(engine, f"SELECT ?e ?c WHERE {{ ?e <{DIRECT_TYPE}> ?c }}")}
    # worked out here in Python from the type and subclass triples, not with the aggregate's own query
    kg = "https://w3id.org/kzkg/ontology#"
    own = {r["c"] for r in _values(engine, f"SELECT ?c WHERE {{ ?c <http://www.w3.org/2000/01/rdf-schema#isDefinedBy> <{kg}> }}")}
    parents = defaultdict(set)
    for r in _values(engine, "SELECT ?a ?b WHERE { ?a <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?b }"):
        parents[r["a"]].add(r["b"])

    def above(c, seen=()):
        return set().union(*({p} | above(p, seen + (c,)) for p in parents[c] if p not in seen)) if parents[c] else set()

    types = defaultdict(set)
    for r in _values(engine, "SELECT ?e ?c WHERE { ?e a ?c }"):
        if r["e"].startswith("http") and not r["e"].startswith(ID + "aggregates#"):
            types[r["e"]].add(r["c"])
    expected = {(e, c) for e, cs in types.items() for c in cs
                if c in own and not any(c in above(s) for s in cs)}
    assert stored == expected
    assert ("https://w3id.org/kzkg/id/group/islamic-state", kg + "ArmedGroup") in stored
    assert ("https://w3id.org/kzkg/id/group/islamic-state", kg + "Group") not in stored
    assert (kg + "Violent", kg + "Stance") in stored  # an individual of the ontology has its class too


def test_direct_types_keep_unrelated_classes_and_drop_superclasses():
    import pyoxigraph as ox

    from kg.aggregates import DIRECT_TYPES, direct_types

    kg, rdfs = "https://w3id.org/kzkg/ontology#", "http://www.w3.org/2000/01/rdf-schema#"
    store = ox.Store()
    for cls in ("Event", "Attack", "FoiledPlot", "Loop"):
        store.add(ox.Quad(ox.NamedNode(kg + cls), ox.NamedNode(rdfs + "isDefinedBy"), ox.NamedNode(kg)))
    for sub, sup in (("Attack", "Event"), ("FoiledPlot", "Event"), ("Loop", "Loop")):
        store.add(ox.Quad(ox.NamedNode(kg + sub), ox.NamedNode(rdfs + "subClassOf"), ox.NamedNode(kg + sup)))
    typed = {"a": ("Event", "Attack"), "b": ("Attack", "FoiledPlot", "Event"), "c": ("Event",), "d": ("Loop",)}
    for name, classes in typed.items():
        for cls in classes + ("Unknown",):
            store.add(ox.Quad(ox.NamedNode(ID + "event/" + name), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                              ox.NamedNode(kg + cls)))
    found = sorted((q.subject.value.rsplit("/", 1)[1], q.object.value.rsplit("#", 1)[1]) for q in direct_types(store))
    assert found == [("a", "Attack"), ("b", "Attack"), ("b", "FoiledPlot"), ("c", "Event")]
    by_sparql = sorted((r["entity"].value.rsplit("/", 1)[1], r["class"].value.rsplit("#", 1)[1]) for r in store.query(DIRECT_TYPES))
    assert by_sparql == found
