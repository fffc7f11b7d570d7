"""The quantities check: one thing counted under two quantities is listed, unless marked different."""

from __future__ import annotations

from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL, RDF, SKOS

from kg.quantities import find_quantity_overlaps

KG = Namespace("https://w3id.org/kzkg/ontology#")
Q = Namespace("https://w3id.org/kzkg/id/quantity/")
S = Namespace("https://w3id.org/kzkg/id/stat/")


def dataset(*extra):
    ds = Dataset()
    g = ds.graph(DATASET_DEFAULT_GRAPH_ID)
    for q, label in ((Q.salafi, "Salafi followers in Kazakhstan"), (Q.radical, "Radical followers"),
                     (Q.mosques, "Number of mosques")):
        g.add((q, RDF.type, KG.Quantity))
        g.add((q, SKOS.prefLabel, Literal(label, lang="en")))
    for stat, q, unit, cat in ((S.a, Q.salafi, "people", None), (S.b, Q.radical, "people", "Salafi followers"),
                               (S.c, Q.mosques, "mosques", None)):
        g.add((stat, KG.quantity, q))
        g.add((stat, KG.unit, Literal(unit)))
        if cat:
            g.add((stat, KG.category, Literal(cat)))
    for triple in extra:
        g.add(triple)
    return ds


def test_a_category_that_names_another_quantity_is_listed():
    found = find_quantity_overlaps(dataset())
    assert [(o.a, o.b) for o in found] == [(str(Q.radical), str(Q.salafi))]
    assert "category" in found[0].why and found[0].score >= 85


def test_quantities_marked_different_are_not_listed():
    assert find_quantity_overlaps(dataset((Q.radical, OWL.differentFrom, Q.salafi))) == []


def test_different_units_are_not_listed():
    ds = dataset()
    g = ds.graph(DATASET_DEFAULT_GRAPH_ID)
    g.set((S.b, KG.unit, Literal("percent")))
    assert find_quantity_overlaps(ds) == []


def test_the_curated_quantities_count_one_thing_each(built):
    """Every figure of the same thing is under one quantity (issue 15), or the pair is marked different."""
    assert built.quantity_overlaps == []
