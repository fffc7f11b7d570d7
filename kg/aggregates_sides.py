"""Build-time aggregates of disagreements: sides, computed conflicts and the rows of the question.

The question ``disagreements`` lists every pair of sides of every disagreement, sorted on the text
of each side; computing those texts (a dozen look-ups per side) and comparing every statistic with
every other of its quantity takes seconds at a few million quads, for one page as for all. So
``kg build`` computes them once (:func:`quads`, called by :func:`kg.aggregates.compute`), as a pure
function of the assembled dataset, in the default graph beside the cards, on nodes under
:data:`kg.aggregates.AGGREGATES`:

* a **side** of a recorded ``kg:Disagreement`` (a disputed node as one evidence span states it, W3C
  Web Annotation's specific resource): ``<aggregates#side-...> kg:sideOf ?disagreement ;
  oa:hasSource ?node ; oa:hasScope ?span ; kg:sideText "..." ; rdf:value "..."``, for every
  disputed node and span of the disagreement that holds a statement about the node
  (:data:`DISAGREEMENT_SIDES`);
* a **computed conflict** (:data:`VALUE_CONFLICTS`): two spans giving the same statistic (quantity,
  unit, category, subject or period and place) or the same date or casualty figure of one subject
  different values, and no curator has recorded it: ``<aggregates#conflict-...> kg:conflictName
  "..." ; kg:conflictProperty "..." ; kg:conflictAbout ?entity`` (the quantity, subject and
  statistics it is about) with two sides of the same shape (``kg:sideOf`` the conflict);
* a **row** of the question: ``<aggregates#pair-...> kg:pairOf ?disagreementOrConflict ; kg:sideA
  ?side ; kg:sideB ?side ; kg:sortKey "..."``: two sides of a recorded disagreement whose texts
  differ (the one whose span sorts first is A), the single side of a disagreement recorded with one
  (no ``kg:sideB``; ``kg:sideText`` the name of its node), or the two sides of a computed conflict;
  only when each side's span has a document. The key (:func:`sort_key`) sorts the rows as the
  question's order did (kinds, subject, spans, disagreement, side texts), and ``kg:rank`` (1, 2,
  ...) is each row's place in that order, which a store sorts far faster than the strings.

``tests/test_aggregates_sides.py`` compares the question that reads them with plain SPARQL over the graph.
"""

from __future__ import annotations

__all__ = ["DISAGREEMENT_SIDES", "VALUE_CONFLICTS", "HEADS", "SEPARATOR", "sort_key", "quads"]

from kg.aggregates import KG, OA, integer, node_digest

RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
ONE_SIDE = "(the same span; see the note)"  # what the question shows as the other side of a one-sided disagreement

_PREFIXES = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

# one row per (disagreement, disputed node, span holding the node): the side as the question shows it
DISAGREEMENT_SIDES = _PREFIXES + """
SELECT ?disagreement ?node ?ev (MIN(STR(?sideText)) AS ?text) (MIN(STR(?plain)) AS ?value) WHERE {
  ?disagreement a kg:Disagreement ; kg:disputes ?node ; prov:wasDerivedFrom ?ev .
  GRAPH ?ev { ?node ?any ?anyValue }
  OPTIONAL { ?disagreement kg:disputedProperty ?prop . GRAPH ?ev { ?node ?prop ?pv } }
  OPTIONAL { GRAPH ?ev { ?node kg:value ?v } }
  OPTIONAL { GRAPH ?ev { ?node kg:minValue ?lo ; kg:maxValue ?hi } }
  OPTIONAL { GRAPH ?ev { ?node kg:comparator ?c } }
  OPTIONAL { GRAPH ?ev { ?node kg:unit ?u } }
  OPTIONAL { GRAPH ?ev { ?node kg:category ?cat } }
  OPTIONAL { GRAPH ?ev { ?node kg:period ?per } }
  OPTIONAL { GRAPH ?ev { ?node schema:startDate ?s } }
  OPTIONAL { GRAPH ?ev { ?node schema:endDate ?e } }
  OPTIONAL { GRAPH ?ev { ?node kg:date ?d } }
  OPTIONAL { GRAPH ?ev { ?node kg:dateQualifier ?dq } }
  OPTIONAL { GRAPH ?ev { ?node kg:refArea ?ra } OPTIONAL { ?ra skos:prefLabel ?place } FILTER(BOUND(?place)) }
  OPTIONAL { GRAPH ?ev { ?node kg:statedBy ?by } OPTIONAL { ?by skos:prefLabel ?byName } FILTER(BOUND(?byName)) }
  OPTIONAL { GRAPH ?ev { ?node schema:description ?desc } }
  OPTIONAL { ?node skos:prefLabel ?name }
  BIND(COALESCE(STR(?pv), STR(?v), IF(BOUND(?lo), CONCAT(STR(?lo), "–", STR(?hi)), ?unbound),
                STR(?desc), STR(?d), STR(?name), STR(?node)) AS ?plain)
  BIND(CONCAT(IF(BOUND(?c), CONCAT(?c, " "), ""), ?plain, IF(BOUND(?u), CONCAT(" ", ?u), ""),
              IF(BOUND(?cat), CONCAT("; ", ?cat), ""),
              IF(BOUND(?per) || BOUND(?s), CONCAT("; ", COALESCE(STR(?per), CONCAT(STR(?s), "–", COALESCE(STR(?e), "")))), ""),
              IF(BOUND(?d) && (BOUND(?v) || BOUND(?pv) || BOUND(?desc)) && STR(?d) != ?plain, CONCAT("; ", STR(?d)), ""),
              IF(BOUND(?dq), CONCAT(" (", ?dq, ")"), ""),
              IF(BOUND(?place), CONCAT("; ", ?place), ""),
              IF(BOUND(?byName), CONCAT("; stated by ", ?byName), "")) AS ?sideText)
}
GROUP BY ?disagreement ?node ?ev
"""

# one row per conflict the graph finds and no curator has recorded (with the entities it is about)
VALUE_CONFLICTS = _PREFIXES + """
SELECT ?subjectName ?property ?valueA ?valueB ?sideA ?sideB ?evA ?evB ?nodeA ?nodeB ?about WHERE {
  {
    # the same statistic quantity, unit and category, and the same subject (or the same period and
    # place) with different values in two spans
    {
      SELECT ?sa ?sb ?a ?b ?q ?evA ?evB ?ua ?ca ?cb ?aa ?pa ?ra WHERE {
        GRAPH ?evA { ?sa kg:quantity ?q ; kg:value ?a }
        GRAPH ?evB { ?sb kg:quantity ?q ; kg:value ?b }
        FILTER(?sa != ?sb && ?a != ?b && STR(?evA) < STR(?evB))
        OPTIONAL { ?sa kg:unit ?ua } OPTIONAL { ?sb kg:unit ?ub }
        FILTER(COALESCE(STR(?ua), "") = COALESCE(STR(?ub), ""))
        OPTIONAL { ?sa kg:category ?ca } OPTIONAL { ?sb kg:category ?cb }
        FILTER(COALESCE(STR(?ca), "") = COALESCE(STR(?cb), ""))
        OPTIONAL { ?sa kg:about ?aa } OPTIONAL { ?sb kg:about ?ab }
        OPTIONAL { ?sa kg:period ?pa } OPTIONAL { ?sb kg:period ?pb }
        OPTIONAL { ?sa kg:refArea ?ra } OPTIONAL { ?sb kg:refArea ?rb }
        FILTER((BOUND(?aa) && ?aa = ?ab)
            || (!BOUND(?aa) && !BOUND(?ab) && COALESCE(STR(?pa), "") = COALESCE(STR(?pb), "") && COALESCE(STR(?ra), "") = COALESCE(STR(?rb), "")))
      }
    }
    FILTER NOT EXISTS { ?d a kg:Disagreement ; kg:disputes ?sa , ?sb }
    OPTIONAL { ?sa kg:comparator ?cmpA } OPTIONAL { ?sb kg:comparator ?cmpB }
    OPTIONAL { ?sa kg:refArea ?ra OPTIONAL { ?ra skos:prefLabel ?placeName } }
    OPTIONAL { ?q skos:prefLabel ?qn } FILTER(BOUND(?qn))
    BIND(CONCAT(?qn, IF(BOUND(?pa), CONCAT(" (", STR(?pa), ")"), "")) AS ?subjectName)
    BIND("value" AS ?property)
    BIND(STR(?a) AS ?valueA) BIND(STR(?b) AS ?valueB)
    BIND(CONCAT(IF(BOUND(?cmpA), CONCAT(?cmpA, " "), ""), STR(?a), IF(BOUND(?ua), CONCAT(" ", ?ua), ""),
                IF(BOUND(?ca), CONCAT("; ", ?ca), ""), IF(BOUND(?placeName), CONCAT("; ", ?placeName), "")) AS ?sideA)
    BIND(CONCAT(IF(BOUND(?cmpB), CONCAT(?cmpB, " "), ""), STR(?b), IF(BOUND(?ua), CONCAT(" ", ?ua), ""),
                IF(BOUND(?cb), CONCAT("; ", ?cb), ""), IF(BOUND(?placeName), CONCAT("; ", ?placeName), "")) AS ?sideB)
    BIND(?sa AS ?nodeA) BIND(?sb AS ?nodeB)
    VALUES ?role { 1 2 3 4 }
    BIND(IF(?role = 1, ?q, IF(?role = 2, ?aa, IF(?role = 3, ?sa, ?sb))) AS ?about)
  } UNION {
    # a date or casualty figure of one subject stated differently by two spans
    VALUES ?p { kg:date schema:startDate schema:endDate kg:killed kg:wounded schema:foundingDate schema:dissolutionDate }
    GRAPH ?evA { ?s ?p ?a }
    GRAPH ?evB { ?s ?p ?b }
    FILTER(STR(?a) != STR(?b) && STR(?evA) < STR(?evB))
    # a date given at two precisions (2011 and 2011-12) is not a disagreement
    FILTER(!STRSTARTS(STR(?a), STR(?b)) && !STRSTARTS(STR(?b), STR(?a)))
    FILTER NOT EXISTS { ?d a kg:Disagreement ; kg:disputes|kg:disputedSubject ?s ; kg:disputedProperty ?p }
    OPTIONAL { ?p rdfs:label ?property } FILTER(BOUND(?property))
    OPTIONAL { ?s skos:prefLabel ?subjectName } FILTER(BOUND(?subjectName))
    BIND(STR(?a) AS ?valueA) BIND(STR(?b) AS ?valueB) BIND(STR(?a) AS ?sideA) BIND(STR(?b) AS ?sideB)
    BIND(?s AS ?nodeA) BIND(?s AS ?nodeB) BIND(?s AS ?about)
  }
}
"""


HEADS = _PREFIXES + """
SELECT ?disagreement (GROUP_CONCAT(DISTINCT ?kindLabel; separator=", ") AS ?kindName) (MIN(?subjLabel) AS ?subjectName)
WHERE {
  ?disagreement a kg:Disagreement ; kg:disagreementKind ?k .
  ?k skos:prefLabel ?kindLabel .
  OPTIONAL { ?disagreement kg:disputedSubject/skos:prefLabel ?subjLabel }
}
GROUP BY ?disagreement
"""
DOCUMENT_IDS = _PREFIXES + "SELECT ?ev ?docId WHERE { ?ev kg:document/kg:documentId ?docId }"
COMPUTED_KIND = "different value (computed, not yet recorded)"
SEPARATOR = "\u001f"  # below every character of a name or value: the key sorts as its fields in turn



def sort_key(kind: str, subject: str | None, ev_a: str, ev_b: str | None, disagreement: str | None,
             side_a: str, side_b: str) -> str:
    """The key that sorts listing rows as ``ORDER BY ?kindName LCASE(?subjectName) ?evA ?evB ?disagreement ?sideA ?sideB``."""
    return SEPARATOR.join((kind, (subject or "").lower(), ev_a, ev_b or "", disagreement or "", side_a, side_b))


def quads(store, base: str) -> list:
    """The sides, computed conflicts and listing rows of the disagreements of ``store``, as default-graph quads.

    ``store`` is a pyoxigraph store holding the assembled dataset; ``base`` the IRI the aggregate
    nodes are made under. Sides: one node ``{base}side-HASH`` per row of :data:`DISAGREEMENT_SIDES`;
    conflicts: one node ``{base}conflict-HASH`` per distinct row of :data:`VALUE_CONFLICTS`, with two
    sides; rows: one node ``{base}pair-HASH`` per row of the question ``disagreements`` (a pair of
    sides whose texts differ, a disagreement with a single side, a conflict), ``kg:pairOf`` its
    disagreement or conflict, ``kg:sideA`` (and ``kg:sideB``) and ``kg:sortKey`` (:func:`sort_key`);
    a row needs a document for the span of each of its sides. Names are hashes of what they stand
    for, the same in every build; ``kg:rank`` numbers the rows in the order of their keys (then of
    their names). Returns a list of ``pyoxigraph.Quad``.
    """
    import pyoxigraph as ox

    out, graph = [], ox.DefaultGraph()

    def add(s, p, o):
        out.append(ox.Quad(s, ox.NamedNode(p), o if not isinstance(o, str) else ox.Literal(o), graph))

    def side(iri, owner, source, scope, text, value):
        node = ox.NamedNode(iri)
        add(node, KG + "sideOf", owner)
        add(node, OA + "hasSource", source)
        add(node, OA + "hasScope", scope)
        add(node, KG + "sideText", text)
        add(node, RDF_VALUE, value)
        return node

    rows = []

    def pair(owner, side_a, side_b, key, name=None):
        node = ox.NamedNode(f"{base}pair-{node_digest(side_a, side_b)}")
        add(node, KG + "pairOf", owner)
        add(node, KG + "sideA", side_a)
        if side_b is not None:
            add(node, KG + "sideB", side_b)
        else:  # a single side is shown by the name of its node
            add(node, KG + "sideText", name)
        add(node, KG + "sortKey", key)
        rows.append((key, node.value, node))

    docs = {row["ev"]: row["docId"] for row in store.query(DOCUMENT_IDS)}
    # the kinds sorted: GROUP_CONCAT joins them in the order the store finds them, which differs between stores
    heads = {row["disagreement"]: (", ".join(sorted(set(row["kindName"].value.split(", ")))),
                                   row["subjectName"].value if row["subjectName"] else None)
             for row in store.query(HEADS)}
    by_disagreement: dict = {}
    for row in store.query(DISAGREEMENT_SIDES):
        d, node, ev = row["disagreement"], row["node"], row["ev"]
        text, value = row["text"].value, row["value"].value
        iri = side(f"{base}side-{node_digest(d, node, ev)}", d, node, ev, text, value)
        by_disagreement.setdefault(d, []).append((iri, node, ev, text))
    for d, found in by_disagreement.items():
        if d not in heads:
            continue
        kind, subject = heads[d]
        if len(found) == 1:
            iri, node, ev, _ = found[0]
            if ev in docs:
                names = [q.object.value for q in store.quads_for_pattern(node, ox.NamedNode(SKOS_PREF), None, graph)]
                name = min(names) if names else node.value
                pair(d, iri, None, sort_key(kind, subject, ev.value, None, d.value, name, ONE_SIDE), name)
            continue
        for a_iri, node_a, ev_a, text_a in found:
            for b_iri, node_b, ev_b, text_b in found:
                ordered = ev_a.value < ev_b.value or (ev_a == ev_b and node_a.value < node_b.value)
                if ordered and text_a != text_b and ev_a in docs and ev_b in docs:
                    pair(d, a_iri, b_iri, sort_key(kind, subject, ev_a.value, ev_b.value, d.value, text_a, text_b))
    found_conflicts: dict[tuple, set] = {}
    keys = ("subjectName", "property", "valueA", "valueB", "sideA", "sideB", "evA", "evB", "nodeA", "nodeB")
    for row in store.query(VALUE_CONFLICTS):
        about = found_conflicts.setdefault(tuple(row[k] for k in keys), set())
        if row["about"] is not None:
            about.add(row["about"])
    for key, about in found_conflicts.items():
        name, prop, value_a, value_b, side_a, side_b, ev_a, ev_b, node_a, node_b = key
        digest = node_digest(*key)
        conflict = ox.NamedNode(f"{base}conflict-{digest}")
        add(conflict, KG + "conflictName", name.value)
        add(conflict, KG + "conflictProperty", prop.value)
        for entity in sorted(about, key=str):
            add(conflict, KG + "conflictAbout", entity)
        a = side(f"{base}side-{digest}-a", conflict, node_a, ev_a, side_a.value, value_a.value)
        b = side(f"{base}side-{digest}-b", conflict, node_b, ev_b, side_b.value, value_b.value)
        if ev_a in docs and ev_b in docs:
            pair(conflict, a, b, sort_key(COMPUTED_KIND, name.value, ev_a.value, ev_b.value, None, side_a.value, side_b.value))
    # the rank of each row in that order: an integer, which a store compares without reading a string
    for rank, (_, _, node) in enumerate(sorted(rows), 1):
        add(node, KG + "rank", integer(rank))
    return out
