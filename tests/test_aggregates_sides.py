"""Build-time aggregates of the two heaviest questions: statement corroborations, disagreement sides and rows.

Each is compared with the same answer computed over the graph itself: the corroborations with a
count made here in Python from the quads, the questions ``corroborated-statements`` and
``disagreements`` (which read the aggregates) with plain SPARQL that reads only the quads.
"""

from collections import defaultdict

import pytest

from kg.aggregates_sides import DISAGREEMENT_SIDES, HEADS, VALUE_CONFLICTS
from kg.query import ParamError, get_query, run_named

KG = "https://w3id.org/kzkg/ontology#"
PREFIXES = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
"""

# the question as it read before the aggregates: every statement grouped by subject, property, value
CORROBORATED_PLAIN = PREFIXES + """
SELECT ?subjectName ?property ?objectName ?documents ?documentIds WHERE {
  {
    SELECT ?s ?p ?o (COUNT(DISTINCT ?doc) AS ?documents) (GROUP_CONCAT(DISTINCT ?docId; separator=", ") AS ?documentIds)
    WHERE {
      VALUES (?min ?max) { (%(min)s %(max)s) }
      GRAPH ?ev { ?s ?p ?o }
      FILTER(?p NOT IN (rdf:type, skos:altLabel, rdf:subject, rdf:predicate, rdf:object))
      FILTER(isIRI(?s) && !STRSTARTS(STR(?s), "https://w3id.org/kzkg/id/node/"))
      ?ev kg:document ?doc . ?doc kg:documentId ?docId .
    }
    GROUP BY ?s ?p ?o ?min ?max
    HAVING (COUNT(DISTINCT ?doc) >= ?min && COUNT(DISTINCT ?doc) <= ?max)
  }
  OPTIONAL { ?s skos:prefLabel ?sl } OPTIONAL { ?p rdfs:label ?pl } OPTIONAL { ?o skos:prefLabel ?ol }
  BIND(COALESCE(?sl, STR(?s)) AS ?subjectName)
  BIND(COALESCE(?pl, STR(?p)) AS ?property)
  BIND(COALESCE(?ol, STR(?o)) AS ?objectName)
}
"""

# the question as plain SPARQL over the quads: the sides and conflicts computed in the query, paired here
_SIDES_AS = "{ SELECT ?disagreement (?node AS ?node%(x)s) (?ev AS ?ev%(x)s) (?text AS ?side%(x)s) (?value AS ?value%(x)s) WHERE { { %(sides)s } } }"
DISAGREEMENTS_PLAIN = PREFIXES + """
SELECT ?kindName ?subjectName ?property ?valueA ?valueB ?sideA ?docA ?evA ?sideB ?docB ?evB ?note ?disagreement WHERE {
  {
    { %(heads)s }
    %(sideA)s
    %(sideB)s
    FILTER(STR(?evA) < STR(?evB) || (?evA = ?evB && STR(?nodeA) < STR(?nodeB)))
    FILTER(?sideA != ?sideB)
    %(recorded)s
    ?evA kg:document/kg:documentId ?docA . ?evB kg:document/kg:documentId ?docB .
  } UNION {
    { %(heads)s }
    {
      SELECT ?disagreement (SAMPLE(?n) AS ?nodeA) (SAMPLE(?e) AS ?evA) WHERE {
        ?disagreement a kg:Disagreement ; kg:disputes ?n ; prov:wasDerivedFrom ?e . GRAPH ?e { ?n ?anyP ?anyO }
      }
      GROUP BY ?disagreement HAVING(COUNT(DISTINCT CONCAT(STR(?n), " ", STR(?e))) = 1)
    }
    OPTIONAL { ?nodeA skos:prefLabel ?nodeName }
    BIND(COALESCE(STR(?nodeName), STR(?nodeA)) AS ?sideA) BIND(?sideA AS ?valueA)
    BIND("(the same span; see the note)" AS ?sideB)
    %(recorded)s
    ?evA kg:document/kg:documentId ?docA .
  } UNION {
    { SELECT DISTINCT ?subjectName ?property ?valueA ?valueB ?sideA ?sideB ?evA ?evB WHERE { { %(conflicts)s } %(computed)s } }
    BIND("different value (computed, not yet recorded)" AS ?kindName)
    ?evA kg:document/kg:documentId ?docA . ?evB kg:document/kg:documentId ?docB .
  }
}
"""
HEADS_FULL = HEADS.replace(
    "(MIN(?subjLabel) AS ?subjectName)",
    "(MIN(?subjLabel) AS ?subjectName) (GROUP_CONCAT(DISTINCT ?propLabel; separator=\", \") AS ?property) (MIN(?noteText) AS ?note)").replace(
    "  OPTIONAL { ?disagreement kg:disputedSubject/skos:prefLabel ?subjLabel }",
    "  OPTIONAL { ?disagreement kg:disputedSubject/skos:prefLabel ?subjLabel }\n"
    "  OPTIONAL { ?disagreement kg:disputedProperty/rdfs:label ?propLabel }\n"
    "  OPTIONAL { ?disagreement skos:editorialNote ?noteText }")


def _body(text: str) -> str:
    """A query text without its PREFIX lines (to nest it as a sub-select)."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("PREFIX"))


def _plain_disagreements(kind: str | None = None, entity: str | None = None) -> str:
    """The question as plain SPARQL, with the kind and entity filters it had before the aggregates."""
    recorded, computed = [], []
    if kind:
        recorded.append(f"""FILTER EXISTS {{ ?disagreement kg:disagreementKind ?kc . ?kc skos:prefLabel ?kl
          FILTER(LCASE(STR(?kl)) = LCASE("{kind}") || LCASE(STRAFTER(STR(?kc), "#")) = LCASE("{kind}")) }}""")
        computed.append(f'FILTER(LCASE("{kind}") IN ("different value", "differentvalue"))')
    if entity:
        recorded.append(f"""FILTER(EXISTS {{ ?disagreement kg:disputedSubject|kg:disputes <{entity}> }}
          || EXISTS {{ ?disagreement kg:disputes ?n . ?n kg:about|kg:quantity <{entity}> }})""")
        computed.append(f"FILTER(?about = <{entity}>)")
    sides = _body(DISAGREEMENT_SIDES)
    return DISAGREEMENTS_PLAIN % {"heads": _body(HEADS_FULL), "sideA": _SIDES_AS % {"x": "A", "sides": sides},
                                  "sideB": _SIDES_AS % {"x": "B", "sides": sides}, "conflicts": _body(VALUE_CONFLICTS),
                                  "recorded": "\n".join(recorded), "computed": "\n".join(computed)}


def _term(cell: dict | None):
    return None if cell is None else (cell["type"], cell["value"], cell.get("datatype"), cell.get("xml:lang"))


def _rows(rows, concatenated=("documentIds", "property", "kindName")) -> list:
    """Rows as sorted tuples of (column, value); concatenations as sets of their items."""
    out = []
    for row in rows:
        cells = []
        for k, v in sorted(row.items()):
            value = v["value"]
            cells.append((k, tuple(sorted(set(value.split(", ")))) if k in concatenated else value))
        out.append(tuple(cells))
    return sorted(out, key=repr)


def test_corroborations_count_the_documents_of_each_statement(engine):
    stored = {}
    for row in engine.query(PREFIXES + """SELECT ?st ?s ?p ?o ?n WHERE {
            ?st kg:statementSubject ?s ; kg:statementPredicate ?p ; kg:statementObject ?o ; kg:documentCount ?n }""").rows:
        key = (row["s"]["value"], row["p"]["value"], _term(row["o"]))
        assert key not in stored, f"two corroboration nodes for {key}"
        stored[key] = int(row["n"]["value"])
    # counted here from the quads: the distinct documents of the spans that state each statement
    document = {r["ev"]["value"]: r["doc"]["value"] for r in engine.query(
        "SELECT ?ev ?doc WHERE { ?ev <https://w3id.org/kzkg/ontology#document> ?doc }").rows}
    documents = defaultdict(set)
    for r in engine.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }").rows:
        if r["s"]["type"] == "uri" and r["g"]["value"] in document:
            documents[(r["s"]["value"], r["p"]["value"], _term(r["o"]))].add(document[r["g"]["value"]])
    assert stored == {k: len(v) for k, v in documents.items() if len(v) >= 2}
    assert max(stored.values()) >= 4 and len(stored) >= 40


@pytest.mark.parametrize("given", [{}, {"min": "3"}, {"min": "2", "max": "3"}, {"min": "1", "max": "1"},
                                   {"min": "1", "max": "4"}, {"entity": "agency:knb"},
                                   {"entity": "group:islamic-state", "min": "1", "max": "2"}])
def test_corroborated_statements_equal_the_grouping_of_every_statement(engine, given):
    q = get_query("corroborated-statements")
    got = run_named(engine, q, given)
    bounds = {"min": given.get("min", "2"), "max": given.get("max", "99")}
    plain = CORROBORATED_PLAIN % bounds
    if "entity" in given:
        from kg.query import bind

        iri = bind(q, given, engine)["entity"].value
        plain = plain.replace("GRAPH ?ev { ?s ?p ?o }", f"GRAPH ?ev {{ ?s ?p ?o }} FILTER(?s = <{iri}> || ?o = <{iri}>)")
    expected = engine.query(plain)
    assert _rows(got.rows) == _rows(expected.rows)
    assert len(got.rows) > 0
    order = [(-int(r["documents"]["value"]), r["subjectName"]["value"].lower(), r["property"]["value"]) for r in got.rows]
    assert order == sorted(order)


@pytest.mark.parametrize("given", [{}, {"kind": "rounding"}, {"kind": "DifferentValue"}, {"kind": "self-contradiction"},
                                   {"entity": "agency:knb"}, {"entity": "quantity:kazakhstanis-in-syria-and-iraq"},
                                   {"entity": "group:islamic-state", "kind": "different value"}])
def test_disagreements_equal_the_plain_pairing_of_sides(engine, given):
    from kg.query import bind

    q = get_query("disagreements")
    got = run_named(engine, q, given)
    entity = bind(q, given, engine)["entity"].value if "entity" in given else None
    expected = engine.query(_plain_disagreements(given.get("kind"), entity)).rows
    assert _rows(got.rows) == _rows(expected)
    assert len(got.rows) > 0


def test_disagreements_come_in_the_order_of_the_question(engine):
    rows = run_named(engine, get_query("disagreements")).rows
    def key(r):
        return tuple(r.get(k, {}).get("value", "") for k in ("kindName",)) + (
            r.get("subjectName", {}).get("value", "").lower(),) + tuple(
            r.get(k, {}).get("value", "") for k in ("evA", "evB", "disagreement", "sideA", "sideB"))
    assert [key(r) for r in rows] == sorted(key(r) for r in rows)
    assert len(rows) >= 200
    # a disagreement recorded with a single side shows the name of its node, and the note
    single = [r for r in rows if r["sideB"]["value"] == "(the same span; see the note)"]
    assert single and all("evB" not in r and r["valueA"] == r["sideA"] for r in single)
    # the computed ones carry no disagreement
    computed = [r for r in rows if r["kindName"]["value"] == "different value (computed, not yet recorded)"]
    assert computed and all("disagreement" not in r for r in computed)


def test_a_kind_is_a_concept_of_the_kinds_of_disagreement_not_any_entity_of_that_name(engine):
    """The kind is chosen among the concepts of kg:DisagreementKinds before the disagreements are read
    (the filter used to test the label of every entity of the graph: 2 s a page at x100,
    bench/SCALE.md): an entity named like the value given is no kind, even as a disagreement's kind."""
    import pyoxigraph as ox

    from kg.store import OxigraphEngine

    kg = "https://w3id.org/kzkg/ontology#"
    store = ox.Store()
    store.extend(engine.store.quads_for_pattern(None, None, None))
    disagreement = next(store.quads_for_pattern(None, ox.NamedNode(kg + "disagreementKind"), None)).subject
    store.add(ox.Quad(disagreement, ox.NamedNode(kg + "disagreementKind"), ox.NamedNode("https://w3id.org/kzkg/id/place/aktobe")))
    other = OxigraphEngine(store=store)
    q = get_query("disagreements")
    with pytest.raises(ParamError, match="'Aktobe' is no concept of kg:DisagreementKinds"):
        run_named(other, q, {"kind": "Aktobe"})
    assert _rows(run_named(other, q, {"kind": "rounding"}).rows) == _rows(run_named(engine, q, {"kind": "rounding"}).rows) != []
