"""Build-time casualty rows (kg/aggregates_counts.py), and questions rewritten to read build-time data.

Each question is compared with the same question as it read before, over the quads alone: the rows of
``casualties`` (which reads the numbered casualty rows) with its plain SPARQL, in the same order of
its sort columns; ``document-entities`` and ``document-contributions`` (which read
``sesame:directType``) with their per-entity subclass test.
"""

from collections import Counter

import pytest

from kg.aggregates_counts import CASUALTY_ROWS
from kg.query import bind, get_query, render, run_named

ID = "https://w3id.org/kzkg/id/"

# the question of casualties as it read before the casualty rows: every figure found in the quads
CASUALTIES_PLAIN = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?id ?name ?date ?measure ?category ?comparator ?value ?unit ?docId ?ev
WHERE {
  %(bind)s
  ?id a kg:Attack ; skos:prefLabel ?name .
  OPTIONAL { ?id kg:date ?d0 }
  OPTIONAL { ?id kg:dateQualifier ?dq }
  OPTIONAL { ?id kg:timeOfDay ?clock }
  BIND(CONCAT(IF(BOUND(?dq), CONCAT(?dq, " "), ""), STR(?d0), IF(BOUND(?clock), CONCAT(" ", STR(?clock)), "")) AS ?date)
  {
    GRAPH ?ev { ?id kg:killed ?value }
    BIND("killed (total)" AS ?measure)
    ?ev kg:document/kg:documentId ?docId .
    BIND("all" AS ?category)
  } UNION {
    GRAPH ?ev { ?id kg:wounded ?value }
    BIND("wounded (total)" AS ?measure)
    ?ev kg:document/kg:documentId ?docId .
    BIND("all" AS ?category)
  } UNION {
    GRAPH ?ev { ?s kg:about ?id ; kg:quantity ?qty ; kg:value ?value }
    ?qty skos:prefLabel ?measure .
    OPTIONAL { GRAPH ?ev { ?s kg:category ?cat } }
    OPTIONAL { GRAPH ?ev { ?s kg:comparator ?comparator } }
    OPTIONAL { GRAPH ?ev { ?s kg:unit ?unit } }
    ?ev kg:document/kg:documentId ?docId .
    BIND(COALESCE(?cat, "all") AS ?category)
  }
}
ORDER BY ?d0 ?name ?measure ?category
"""


def _cells(rows) -> list:
    return [tuple(sorted((k, v["value"]) for k, v in row.items())) for row in rows]


def _items(rows) -> list:
    """Rows with each value as the sorted items of a concatenation (GROUP_CONCAT leaves their order to the engine)."""
    import re

    return sorted(tuple(sorted((k, tuple(sorted(re.split(r" \| |, ", v["value"])))) for k, v in row.items())) for row in rows)


def _sort_columns(rows) -> list:
    return [tuple(row[k]["value"] if k in row else None for k in ("date", "name", "measure", "category")) for row in rows]


@pytest.mark.parametrize("attack", [None, "event:aktobe-attacks-2016", "event:almaty-attack-2016", "event:atyrau-explosions-2011", "event:taraz-attack-2011"])
def test_casualties_give_the_rows_of_the_plain_question_in_its_order(engine, attack):
    given = {"attack": attack} if attack else {}
    new = run_named(engine, get_query("casualties"), given)
    bound = f"BIND(<{bind(get_query('casualties'), given, engine)['attack'].value}> AS ?id)" if attack else ""
    plain = engine.query(CASUALTIES_PLAIN % {"bind": bound})
    assert new.rows, f"no casualty figure for {attack}"
    assert Counter(_cells(new.rows)) == Counter(_cells(plain.rows))
    assert _sort_columns(new.rows) == _sort_columns(plain.rows)


def test_casualty_rows_are_numbered_once_each_in_the_order_of_the_plain_rows(engine):
    stored = engine.query("""PREFIX kg: <https://w3id.org/kzkg/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?row ?rank ?attack ?span WHERE { ?row kg:casualtyOf ?attack ; kg:rank ?rank ; oa:hasScope ?span }""").rows
    ranks = sorted(int(r["rank"]["value"]) for r in stored)
    assert ranks == list(range(1, len(ranks) + 1))
    assert len({r["row"]["value"] for r in stored}) == len(stored)
    # one row of the question per numbered row, and as many as the plain question has
    assert len(stored) == len(engine.query(CASUALTIES_PLAIN % {"bind": ""}).rows) == len(engine.query(CASUALTY_ROWS).rows)
    by_rank = [r["attack"]["value"] for r in sorted(stored, key=lambda r: int(r["rank"]["value"]))]
    assert by_rank[0] == ID + "event/almaty-shooting-2000"  # the earliest attack with a figure comes first


def test_casualty_rows_follow_a_changed_figure():
    """The rows are a function of the dataset: a figure added to a span gets its row and rank."""
    import pyoxigraph as ox

    from kg.aggregates_counts import casualty_quads

    kg = "https://w3id.org/kzkg/ontology#"
    store = ox.Store()
    attack, span, doc = ox.NamedNode(ID + "event/a"), ox.NamedNode(ID + "ev/d1-0-9"), ox.NamedNode(ID + "source/d1")
    for s, p, o, g in ((attack, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(kg + "Attack"), None),
                       (attack, "http://www.w3.org/2004/02/skos/core#prefLabel", ox.Literal("A"), None),
                       (span, kg + "document", doc, None), (doc, kg + "documentId", ox.Literal("001"), None),
                       (attack, kg + "killed", ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), span)):
        store.add(ox.Quad(s, ox.NamedNode(p), o, g or ox.DefaultGraph()))
    first = casualty_quads(store, ID + "aggregates#")
    # the figure is looked up in the span: the row does not copy it
    assert {q.predicate.value.rsplit("#", 1)[-1] for q in first} == {"casualtyOf", "casualtyMeasure", "hasSource", "hasScope", "rank"}
    store.add(ox.Quad(attack, ox.NamedNode(kg + "wounded"), ox.Literal("7", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer")), span))
    second = casualty_quads(store, ID + "aggregates#")
    ranks = {q.subject.value: q.object.value for q in second if q.predicate.value == kg + "rank"}
    assert sorted(ranks.values()) == ["1", "2"]
    assert {q.subject.value for q in first} < set(ranks)  # the first row keeps its name (a hash of what it stands for)


def test_casualty_rows_of_a_span_stating_two_figures():
    """A span stating two totals of one attack gives two rows, each saying the figure it shows, in the plain order."""
    import pyoxigraph as ox

    from kg.aggregates import compute
    from kg.store import OxigraphEngine

    store = ox.Store()
    store.load(b"""@prefix kg: <https://w3id.org/kzkg/ontology#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix id: <https://w3id.org/kzkg/id/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        id:a a kg:Attack ; skos:prefLabel "A" ; kg:date "2011"^^xsd:gYear ; kg:killed 3 , 4 ; kg:wounded 7 .
        id:b a kg:Attack ; skos:prefLabel "B" ; kg:date "2012"^^xsd:gYear ; kg:killed 1 .
        id:e1 kg:document id:d1 . id:d1 kg:documentId "001" .""", format=ox.RdfFormat.TURTLE)
    store.load(b"""@prefix kg: <https://w3id.org/kzkg/ontology#> . @prefix id: <https://w3id.org/kzkg/id/> .
        id:a kg:killed 3 , 4 ; kg:wounded 7 . id:b kg:killed 1 .""", format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ID + "e1"))
    rows = compute(store)
    chosen = sorted(q.object.value for q in rows if q.predicate.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
                    and "casualty-" in q.subject.value)
    assert chosen == ["3", "4"]  # only the two figures of one measure and span say which they are
    store.extend(rows)
    engine = OxigraphEngine.from_store(store)
    new = run_named(engine, get_query("casualties"), {})
    plain = engine.query(CASUALTIES_PLAIN % {"bind": ""})
    assert Counter(_cells(new.rows)) == Counter(_cells(plain.rows))
    assert [(r["name"]["value"], r["measure"]["value"], r["value"]["value"]) for r in new.rows] == [
        ("A", "killed (total)", "3"), ("A", "killed (total)", "4"), ("A", "wounded (total)", "7"), ("B", "killed (total)", "1")]
    for offset in range(5):
        assert run_named(engine, get_query("casualties"), {}, limit=1, offset=offset).rows == new.rows[offset:offset + 1]


# the class of each entity as document-entities and document-contributions looked it up before sesame:directType
_DIRECT_TYPE = "  OPTIONAL { ?id sesame:directType ?cls OPTIONAL { ?cls rdfs:label ?className } FILTER(BOUND(?className)) }\n"
_SUBCLASS_TEST = """  OPTIONAL {
    ?id a ?cls
    OPTIONAL { ?cls rdfs:label ?className }
    FILTER(BOUND(?className) && EXISTS { ?cls rdfs:isDefinedBy kg: })
    FILTER NOT EXISTS { ?id a ?sub FILTER(EXISTS { ?sub rdfs:subClassOf+ ?cls } && EXISTS { ?sub rdfs:isDefinedBy kg: }) }
  }
"""
CASES = [("document-entities", {}), ("document-entities", {"document": "000"}), ("document-entities", {"document": "004"}),
         ("document-entities", {"kind": "kg:Group"}), ("document-entities", {"document": "000", "kind": "kg:Person"}),
         ("document-entities", {"document": "001", "kind": "kg:Event"}), ("document-contributions", {}),
         ("document-contributions", {"document": "000"}), ("document-contributions", {"document": "001"}),
         ("document-contributions", {"document": "002"}), ("document-contributions", {"document": "004"})]


@pytest.mark.parametrize("name, given", CASES)
def test_rewritten_questions_give_the_rows_they_gave_before(engine, name, given):
    query = get_query(name)
    text = render(query, bind(query, given, engine))
    before = text.replace(_DIRECT_TYPE, _SUBCLASS_TEST)
    assert before != text, f"{name}: the test no longer finds the rewritten lines"
    rows, old_rows = engine.query(text).rows, engine.query(before).rows
    assert rows, f"{name} {given}: no rows"
    assert _items(rows) == _items(old_rows)
