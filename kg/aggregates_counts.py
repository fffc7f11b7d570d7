"""Build-time aggregates of counted figures: the rows of the question of casualties, in its order.

The question ``casualties`` lists every casualty figure of every attack (a total of killed or
wounded, or a statistic about the attack), one row per figure and evidence span, sorted on the
attack's date and name, the measure and the category. Found by the graph alone, every page sorts
all the figures of the graph on those strings first, and the work grows faster than the answer
on a store of millions of quads. So ``kg build`` numbers the rows once (:func:`casualty_quads`,
called by :func:`kg.aggregates.compute`), as a pure function of the assembled dataset, in the
default graph beside the cards, on nodes under :data:`kg.aggregates.AGGREGATES`:

* a **casualty row** (one row of :data:`CASUALTY_ROWS`): ``<aggregates#casualty-HASH>
  kg:casualtyOf ?attack ; kg:casualtyMeasure ?measure ; oa:hasSource ?source ; oa:hasScope ?span ;
  kg:rank 12``: a figure that the evidence span ``?span`` states, either ``?attack kg:killed
  ?value`` (or ``kg:wounded``: the measure is the property, the source the attack) or a statistic
  ``?source kg:about ?attack ; kg:quantity ?measure ; kg:value ?value`` (W3C Web Annotation's
  source and scope, as the sides of disagreements); ``kg:rank`` (1, 2, ...) is the row's place in
  the question's order (date, name, measure, category; ties by span, source and value), which a
  store sorts far faster than the strings. Where the span states several values of that figure,
  each is a row of its own, which says the one it shows (``rdf:value ?value``).

The question reads the rows and their ranks, then looks the shown values (the figure, the attack's
name and date, the statistic's category...) up in the graph for the rows of one page. ``tests/test_aggregates_counts.py`` compares it with :data:`CASUALTY_ROWS` over
the quads.
"""

from __future__ import annotations

__all__ = ["CASUALTY_ROWS", "casualty_quads"]

from kg.aggregates import KG, OA, integer, node_digest

RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"

# the rows of the question of casualties as plain SPARQL over the quads, in its order
CASUALTY_ROWS = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?attack ?measure ?source ?span ?value ?measureName ?category WHERE {
  ?attack a kg:Attack ; skos:prefLabel ?name .
  OPTIONAL { ?attack kg:date ?d0 }
  {
    VALUES (?measure ?measureName) { (kg:killed "killed (total)") (kg:wounded "wounded (total)") }
    GRAPH ?span { ?attack ?measure ?value }
    BIND(?attack AS ?source)
    BIND("all" AS ?category)
  } UNION {
    GRAPH ?span { ?source kg:about ?attack ; kg:quantity ?measure ; kg:value ?value }
    ?measure skos:prefLabel ?measureName .
    OPTIONAL { GRAPH ?span { ?source kg:category ?cat } }
    BIND(COALESCE(?cat, "all") AS ?category)
  }
  FILTER EXISTS { ?span kg:document/kg:documentId ?docId }
}
ORDER BY ?d0 ?name ?measureName ?category STR(?span) STR(?source) STR(?value)
"""



def casualty_quads(store, base: str) -> list:
    """The casualty rows of the dataset in the pyoxigraph ``store``, as default-graph quads.

    One node ``{base}casualty-HASH`` per distinct (attack, measure, source, span, value) of
    :data:`CASUALTY_ROWS`, named by a hash of those so that it is the same in every build, with
    ``kg:rank`` its place in the rows' order (the first place, when a figure has two categories).
    Returns a list of ``pyoxigraph.Quad``; an empty list on a graph without attacks.
    """
    import pyoxigraph as ox

    graph = ox.DefaultGraph()
    names = [ox.NamedNode(p) for p in (KG + "casualtyOf", KG + "casualtyMeasure", OA + "hasSource", OA + "hasScope")]
    rank_of, value_of, value_p = ox.NamedNode(KG + "rank"), ox.NamedNode(RDF_VALUE), ox.NamedNode(KG + "value")
    out, seen = [], set()
    for row in store.query(CASUALTY_ROWS):
        terms = tuple(row[v] for v in ("attack", "measure", "source", "span", "value"))
        if terms in seen:
            continue
        seen.add(terms)
        node = ox.NamedNode(f"{base}casualty-{node_digest(*terms)}")
        out.extend(ox.Quad(node, name, term, graph) for name, term in zip(names, terms))
        # the question looks the figure up in the span (a total: the attack's measure; else the statistic's
        # kg:value); the row says which only where the span states several (each a row of its own)
        attack, measure, source, span, value = terms
        stated = store.quads_for_pattern(source, measure if source == attack else value_p, None, span)
        if len({q.object for q in stated}) > 1:
            out.append(ox.Quad(node, value_of, value, graph))
        out.append(ox.Quad(node, rank_of, integer(len(seen)), graph))
    return out
