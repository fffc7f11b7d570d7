"""Labels the build generates for unnamed statistics, notes, positions, findings, statements, disagreements."""

from __future__ import annotations

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import SKOS

from kg.labels import GENERATED, generate_labels
from kg.namespaces import turtle_prefixes

ID = "https://w3id.org/kzkg/id/"
DATA = turtle_prefixes() + """
quantity:fighters a kg:Quantity ; skos:prefLabel "Kazakhstanis in Syria and Iraq"@en .
place:syria a kg:Country ; skos:prefLabel "Syria"@en .
person:a a kg:Person ; skos:prefLabel "Nurtai Abykaev"@en .
agency:knb a kg:StateAgency ; skos:prefLabel "National Security Committee"@en .
source:d003 a kg:Document ; skos:prefLabel "Country Reports on Terrorism 2015"@en .
stat:s1 a kg:Statistic ; kg:quantity quantity:fighters ; kg:value 350 ; kg:unit "people" ;
    kg:comparator "about" ; kg:period "2015-04"^^xsd:gYearMonth ; kg:refArea place:syria .
stat:s2 a kg:Statistic ; kg:quantity quantity:fighters ; kg:minValue 300 ; kg:maxValue 500 ; kg:unit "people" .
stat:s3 a kg:Statistic ; skos:prefLabel "Curated"@en ; kg:value 1 .
note:n1 a kg:Note ; kg:noteNumber 12 ; kg:inDocument source:d003 .
finding:f1 a kg:Finding ; schema:description "One two three four five six seven eight nine ten eleven twelve." .
finding:f2 a kg:Finding ; schema:description "Short finding." .
[] a kg:Position ; org:member person:a ; org:organization agency:knb ; kg:role "Chair" .
[] a rdf:Statement ; rdf:subject person:a ; rdf:predicate kg:leaderOf ; rdf:object agency:knb .
kg:leaderOf rdfs:label "leader of"@en .
[] a kg:Disagreement ; kg:disputedSubject quantity:fighters ; kg:disputedProperty kg:value ;
    kg:disagreementKind kg:Rounding .
kg:Rounding skos:prefLabel "rounding"@en .
"""


def test_generated_labels_name_every_unnamed_node_from_its_facts():
    ds = Dataset()
    ds.default_graph.parse(data=DATA, format="turtle")
    assert generate_labels(ds) == 8
    g = ds.default_graph
    labels = {str(g.value(s, SKOS.prefLabel)) for s in g.subjects(GENERATED, Literal(True))}
    assert labels == {
        "Kazakhstanis in Syria and Iraq: about 350 people (2015-04, Syria)",
        "Kazakhstanis in Syria and Iraq: 300-500 people",
        "Note 12 of Country Reports on Terrorism 2015",
        "One two three four five six seven eight nine ten…",
        "Short finding.",
        "Nurtai Abykaev: Chair, National Security Committee",
        "Nurtai Abykaev leader of National Security Committee",
        "Disagreement on Kazakhstanis in Syria and Iraq: value (rounding)",
    }
    assert str(g.value(URIRef(ID + "stat/s3"), SKOS.prefLabel)) == "Curated"
    assert (URIRef(ID + "stat/s3"), GENERATED, None) not in g


def test_no_visible_node_of_the_real_graph_lacks_a_label(engine):
    rows = engine.query("""
        PREFIX kg: <https://w3id.org/kzkg/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX schema: <https://schema.org/>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?n WHERE {
          VALUES ?c { kg:Statistic kg:Note kg:Position kg:Finding rdf:Statement kg:Disagreement }
          ?n a ?c . FILTER NOT EXISTS { ?n skos:prefLabel ?l } FILTER NOT EXISTS { ?n schema:name ?m }
        }""").rows
    assert rows == []


def test_generated_labels_are_not_search_names(engine):
    from kg.search import export_index

    generated = {r["n"]["value"] for r in engine.query(
        "SELECT ?n WHERE { ?n <https://w3id.org/kzkg/ontology#generatedLabel> true }").rows}
    assert len(generated) > 800
    assert not generated & {e["iri"] for e in export_index(engine)}
