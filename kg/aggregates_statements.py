"""Build-time places of the statements the question of corroborated statements lists, and its pages.

The question ``corroborated-statements`` lists statements (IRI subject) with the number of
documents whose evidence spans state them, between ``min`` and ``max``, sorted on that number
(descending), the subject's name (lower case), the property's name and the IRIs. Its default (two
or more documents) reads the corroboration nodes (:func:`kg.aggregates.corroborations`); with
``min=1`` it must group every statement of the graph and sort them all for one page, and a page
grows with the graph (2.5 to 3.2 s at x10). A rank per statement would add four or five quads per
statement (about 65% more quads). Instead ``kg build`` stores where each **group** of rows starts:

* a **statement group** ``<aggregates#statements-HASH> kg:statementRank 523 ; kg:statementSubject
  ?s`` for each document count and subject name (lower case): the rows of the statements with that
  count whose subjects have that name form one block of the question's order, and ``523`` is the
  place of its first row in the order of the whole answer with ``min=1`` (all counts); one
  ``kg:statementSubject`` per subject of that name (usually one);
* a **band** ``<aggregates#documents-3> kg:documentCount 3 ; void:triples 9`` for each document
  count: how many rows have it.

Two quads per subject and count instead of five per statement (x1: about 3,000 quads for 7,700
statements). A page of any ``(min, max)`` is then found by :func:`page_rows`: the bands give the
total and the places the page covers, the groups starting on the page are looked up by place
(an inline ``VALUES``: an index look-up), the group holding the first place by a few probes below
it, and the statements of those subjects alone are counted and sorted by the question's own
``ORDER BY``. The work is that of the page's subjects, whatever the size of the graph.

``tests/test_aggregates_statements.py`` checks the places against the sorted answer of plain
SPARQL and walks every page of several windows.
"""

from __future__ import annotations

__all__ = ["STATEMENT_GROUPS", "quads", "page_rows", "window"]

import re

from kg.aggregates import KG, integer, node_digest

VOID_TRIPLES = "http://rdfs.org/ns/void#triples"
# the question's filters and the subject's name and sort key: all the groups (below) need
_SUBJECT_FILTERS = """
  FILTER(?p NOT IN (rdf:type, skos:altLabel, rdf:subject, rdf:predicate, rdf:object))
  FILTER(!STRSTARTS(STR(?s), "https://w3id.org/kzkg/id/node/"))
  OPTIONAL { ?s skos:prefLabel ?sl }
  BIND(COALESCE(?sl, STR(?s)) AS ?subjectName)
  BIND(LCASE(?subjectName) AS ?subjectKey)"""
# and the property's name, which a page's rows show
_FILTERS = _SUBJECT_FILTERS + """
  OPTIONAL { ?p rdfs:label ?pl }
  BIND(COALESCE(?pl, STR(?p)) AS ?property)"""
_PREFIXES = """PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX void: <http://rdfs.org/ns/void#>
"""

# the rows of the question with min=1 (every statement), counted by document count, subject name and
# subject, in the question's order: what the groups and bands are made from. The statements are
# counted per subject and document count first, and the names looked up for those counts only
# (a subject's name does not depend on the statement): a join and a lower-casing per subject and
# count instead of per statement, 0.06 instead of 0.09 s of processor time on the curated graph,
# on the build's critical path; the same rows (a subject with two names has its count under each)
STATEMENT_GROUPS = _PREFIXES + """SELECT ?documents ?subjectKey ?s ?rows WHERE {
  { SELECT ?s ?documents (COUNT(*) AS ?rows) WHERE {
      { SELECT ?s ?p ?o (COUNT(DISTINCT ?doc) AS ?documents) WHERE { ?ev kg:document ?doc . GRAPH ?ev { ?s ?p ?o } FILTER(isIRI(?s)) }
        GROUP BY ?s ?p ?o }
      FILTER(?p NOT IN (rdf:type, skos:altLabel, rdf:subject, rdf:predicate, rdf:object))
      FILTER(!STRSTARTS(STR(?s), "https://w3id.org/kzkg/id/node/"))
    }
    GROUP BY ?s ?documents }
  OPTIONAL { ?s skos:prefLabel ?sl }
  BIND(COALESCE(?sl, STR(?s)) AS ?subjectName)
  BIND(LCASE(?subjectName) AS ?subjectKey)
}
ORDER BY DESC(?documents) ?subjectKey ?s
"""


def quads(store, base: str) -> list:
    """The statement groups and bands of the dataset in the pyoxigraph ``store``, as default-graph quads.

    ``base`` is the namespace of the nodes (:data:`kg.aggregates.AGGREGATES`). Returns a list of
    ``pyoxigraph.Quad``; raises nothing on a graph without evidence.
    """
    import pyoxigraph as ox

    graph = ox.DefaultGraph()
    rank, subject = ox.NamedNode(KG + "statementRank"), ox.NamedNode(KG + "statementSubject")
    out, bands, place, last = [], {}, 1, None
    for row in store.query(STATEMENT_GROUPS):
        documents, key, rows = row["documents"], row["subjectKey"], int(row["rows"].value)
        node = ox.NamedNode(f"{base}statements-{node_digest(documents.value, key)}")
        if (documents, key) != last:  # a new block of the order starts here
            out.append(ox.Quad(node, rank, integer(place), graph))
            last = (documents, key)
        out.append(ox.Quad(node, subject, row["s"], graph))
        bands[int(documents.value)] = bands.get(int(documents.value), 0) + rows
        place += rows
    for documents, rows in bands.items():
        band = ox.NamedNode(f"{base}documents-{documents}")
        out.append(ox.Quad(band, ox.NamedNode(KG + "documentCount"), integer(documents), graph))
        out.append(ox.Quad(band, ox.NamedNode(VOID_TRIPLES), integer(rows), graph))
    return out


_WINDOW = re.compile(r'VALUES\s*\(\?min \?max\)\s*\{\s*\(\s*"?(\d+)\S*\s+"?(\d+)\S*\s*\)\s*\}')


def window(core: str) -> tuple[int, int] | None:
    """The ``(min, max)`` a rendered core of the question binds (its bind line), or ``None``."""
    found = _WINDOW.search(core)
    return (int(found.group(1)), int(found.group(2))) if found else None


def page_rows(engine, plan, limit: int, offset: int):
    """One page of the core of the question of corroborated statements (``plan``: its
    :class:`kg.paging.PagePlan`, rendered without ``entity``), found from the stored groups.

    Returns a :class:`kg.store.Result` of the core's variables with the total, or ``None`` when the
    store holds no bands (built before them) or its groups do not give exactly the places asked
    for (the caller then sorts the core). Raises :class:`kg.store.QueryError` when the engine fails.
    """
    from kg.store import Result

    bounds = window(plan.core)
    if bounds is None:
        return None
    bands = {int(r["documents"]["value"]): int(r["rows"]["value"]) for r in engine.query(_PREFIXES + """
        SELECT ?documents ?rows WHERE { ?band void:triples ?rows ; kg:documentCount ?documents }""").rows}
    if not bands:
        return None
    low, high = bounds
    before = sum(n for c, n in bands.items() if c > high)
    total = sum(n for c, n in bands.items() if low <= c <= high)
    first, last = before + offset + 1, before + min(offset + limit, total)
    if first > last:
        return Result(plan.variables, [], total=total, offset=offset)
    starts = _group_starts(engine, first, last)
    if not starts or min(starts) > first:
        return None
    counts = sorted(bands.items(), reverse=True)

    def band(place: int) -> int:  # the document count of the rows at that place of the whole order
        edge = 0
        for documents, rows in counts:
            edge += rows
            if place <= edge:
                return documents
        return 0

    rows = _group_rows(engine, {k: (band(k), s) for k, s in starts.items()})
    if rows is None:
        return None
    page = [row for place, row in rows if first <= place <= last]
    if [place for place, _ in rows if first <= place <= last] != list(range(first, last + 1)):
        return None  # a gap or an overlap: the groups do not fit this store's rows
    return Result(plan.variables, [{k: v for k, v in row.items() if k in plan.variables} for row in page],
                  total=total, offset=offset)


def _group_starts(engine, first: int, last: int) -> dict:
    """``{place: [subject IRIs]}`` of the groups starting between ``first`` and ``last``, and of the
    group holding ``first`` (found by probing the places below it, 64, then 256... at a time)."""
    starts = _starts_at(engine, range(first, last + 1))
    width, top = 64, first - 1
    while first not in starts and top >= 1:
        below = _starts_at(engine, range(max(1, top - width + 1), top + 1))
        if below:
            start = max(below)
            starts[start] = below[start]
            break
        top, width = top - width, width * 4
    return starts


def _starts_at(engine, places) -> dict:
    """``{place: [subject IRIs]}`` of the statement groups starting at one of ``places``."""
    found: dict = {}
    places = list(places)
    for i in range(0, len(places), 1000):
        values = " ".join(str(p) for p in places[i:i + 1000])
        for row in engine.query(_PREFIXES + f"""SELECT ?place ?s WHERE {{ VALUES ?place {{ {values} }}
                ?group kg:statementRank ?place ; kg:statementSubject ?s }}""").rows:
            found.setdefault(int(row["place"]["value"]), []).append(row["s"]["value"])
    return found


def _group_rows(engine, groups: dict) -> list | None:
    """``[(place, row)]``: the rows of the given groups (``{start: (document count, [subjects])}``),
    each at its place (the group's start, then one more per row in the question's order); ``None``
    when a subject has several names (two labels: its rows are in two blocks, or the groups are stale)."""
    import pyoxigraph as ox

    from kg.query import sparql_term

    values = " ".join(f"({start} {sparql_term(ox.NamedNode(s))} {documents})"
                      for start, (documents, subjects) in groups.items() for s in subjects)
    subjects = " ".join(sorted({sparql_term(ox.NamedNode(s)) for _, ss in groups.values() for s in ss}))
    text = _PREFIXES + f"""SELECT ?start ?s ?p ?o ?documents ?subjectName ?subjectKey ?property WHERE {{
  VALUES (?start ?s ?documents) {{ {values} }}
  {{ SELECT ?s ?p ?o (COUNT(DISTINCT ?doc) AS ?documents) WHERE {{
      VALUES ?s {{ {subjects} }} GRAPH ?ev {{ ?s ?p ?o }} ?ev kg:document ?doc }} GROUP BY ?s ?p ?o }}""" + _FILTERS + """
}
ORDER BY ?start ?subjectKey ?property ?s ?p ?o
"""
    out, names, at = [], {}, {}
    for row in engine.query(text).rows:
        start = int(row["start"]["value"])
        if names.setdefault((start, row["s"]["value"]), row["subjectName"]) != row["subjectName"]:
            return None
        at[start] = at.get(start, start - 1) + 1
        out.append((at[start], row))
    return out
