"""Build-time rows of the listings of legal acts and of rehabilitation centers, with their rank.

A page of ``legal-acts`` or ``rehabilitation-centers`` sorted the whole answer: every act with its
kind, dates and the year written in its name, every center with the names of its cities and regions
concatenated, then the sort on those strings (half a second for one page at a few million quads, and
growing faster than the answer). So ``kg build`` computes the rows once (:func:`quads`, called by
:func:`kg.aggregates.compute`), as a pure function of the assembled dataset and of the direct types it
computes, in the default graph beside the cards, on nodes under :data:`kg.aggregates.AGGREGATES`, as
:mod:`kg.aggregates_rows` does for estimates, people and the timeline:

* a **legal-act row** (an act or programme under one combination of its kind and dates):
  ``<aggregates#act-...> oa:hasSource ?act ; kg:firstYear 2015 ; kg:lastYear 2015 ; kg:legalActRank 8 ;
  kg:legalActPlace 8``: one node per row of :data:`LEGAL_ACT_ROWS` (the rows of the question's core
  with every year), ``kg:legalActRank`` its place in the question's order (date or start date, name,
  IRI, kind), the year the question tests (of its date, else start or end date, else the first year
  written in its name) as ``kg:firstYear`` and ``kg:lastYear`` (none when the row has no year: the
  question lists it only with its default years), and ``kg:legalActPlace`` its place among the rows of
  the default years, for pages by rank look-up (:mod:`kg.paging`). The question keeps the rows of the
  years asked for and sorts them on their ranks, without reading a date or a name;
* a **center row**: ``<aggregates#center-...> oa:hasSource ?center ; kg:rowRegion "Aktobe Region, Western
  provinces of Kazakhstan"@en ; kg:rowCity "Aktobe"@en ; kg:centerRank 3``: one node per center, with
  the names of its cities and of their regions (:data:`CENTER_PLACES`) concatenated as the question
  concatenated them, but with the items of each in sorted order (:func:`concatenation`), and ranked in
  the question's order on them (regions, cities, name, IRI; :func:`center_order`). SPARQL leaves the
  order of the items of a ``GROUP_CONCAT`` to the engine, and one engine gave another order on another
  store (the build's and the query's: Aktobe's centers under "Aktobe Region, Western provinces of
  Kazakhstan" in one and "Western provinces of Kazakhstan, Aktobe Region" in the other), so that the
  cells and the order of the plain question were not one answer; a page now shows the cells it is
  sorted on. With ``place`` the question keeps the rows of the centers found
  from the place and sorts them on their ranks: the order of the whole answer, since a center's cities
  and regions do not depend on the place asked for.

As in :mod:`kg.aggregates_rows`, a row links to the graph's nodes and copies no name or date of them
(but a center's concatenated regions and cities, which no node holds and which it is sorted on): the
questions look those up for the rows of one page. Where an act has several values of what a row
shows (two dates, two kinds), each is a row of its own, as in the plain query, and only then the row says
which: ``kg:rowDate``, ``kg:rowStartDate``, ``kg:rowEndDate``, ``kg:rowClass`` (the class whose label is
the kind). The rows rely on the shapes for the rest (an entity has one ``skos:prefLabel``) and on the
ontology (a class has one ``rdfs:label``).

``tests/test_aggregates_listings.py`` compares the questions that read them with their plain SPARQL.
"""

from __future__ import annotations

__all__ = ["LEGAL_ACT_CLASSES", "LEGAL_ACT_ROWS", "CENTER_PLACES", "concatenation", "center_order", "quads"]

from kg.aggregates import KG, OA, integer, node_digest
from kg.aggregates_rows import SCHEMA, _values

RDFS = "http://www.w3.org/2000/01/rdf-schema#"

# the classes whose acts and programmes the question legal-acts lists (its VALUES ?cls)
LEGAL_ACT_CLASSES = ("Law", "Amendment", "CriminalCodeArticle", "Policy", "InternationalResolution", "StateProgram",
                     "CooperationProgram", "LegalAct", "Program")

# the rows of the question legal-acts with every year, in its order: its core, without the year test, with
# the direct types kg build computes (sesame:directType, kg/aggregates.py) given inline as (?id ?cls) pairs
LEGAL_ACT_ROWS = """PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?id ?name ?cls ?kind ?date ?start ?end ?year WHERE {
  VALUES (?id ?cls) { %s }
  FILTER EXISTS { { ?id a kg:LegalAct } UNION { ?id a kg:Program } }
  ?id skos:prefLabel ?name .
  ?cls rdfs:label ?kind .
  OPTIONAL { ?id kg:date ?date }
  OPTIONAL { ?id schema:startDate ?start }
  OPTIONAL { ?id schema:endDate ?end }
  BIND(IF(REGEX(STR(?name), "(^|[^0-9])(1[89]|20)[0-9]{2}([^0-9]|$)"),
          REPLACE(STR(?name), "^.*?(^|[^0-9])((1[89]|20)[0-9]{2})([^0-9].*)?$", "$2"), ?unbound) AS ?nameYear)
  BIND(xsd:integer(COALESCE(SUBSTR(STR(COALESCE(?date, ?start, ?end)), 1, 4), ?nameYear)) AS ?year)
}
ORDER BY COALESCE(STR(?date), STR(?start), "9999") ?name ?id ?kind STR(?date) STR(?start) STR(?end)
"""

# the cities and regions of every center, as the question rehabilitation-centers finds them (a row per city
# and region; a center without a city once, unbound), which :func:`quads` concatenates and sorts
CENTER_PLACES = """PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
SELECT ?id ?name ?cityName ?regionName
WHERE {
  ?id a kg:RehabilitationCenter ; skos:prefLabel ?name .
  OPTIONAL {
    ?id kg:basedIn|kg:activeIn ?city
    OPTIONAL { ?city skos:prefLabel ?cityName }
    FILTER(BOUND(?cityName))
    OPTIONAL {
      ?city schema:containedInPlace ?r
      OPTIONAL { ?r skos:prefLabel ?regionName }
      FILTER(BOUND(?regionName) && EXISTS { ?r a kg:Region })
    }
  }
}
"""


def quads(store, base: str, direct_types: list, years: tuple[int, int] | None) -> list:
    """The legal-act and center rows of the dataset in the pyoxigraph ``store``, as default-graph quads.

    ``direct_types``: the ``sesame:directType`` quads :func:`kg.aggregates.direct_types` made for the store
    (they are not in it); ``years``: the default (from, to) of the question legal-acts
    (:func:`kg.aggregates_places.default_years`), whose rows get a ``kg:legalActPlace`` (``None``: no place).
    Nodes are ``{base}act-HASH`` and ``{base}center-HASH``, named by a hash of the row's values (the same in
    every build). Returns a list of ``pyoxigraph.Quad``; raises nothing on a graph without acts or centers.
    """
    return _legal_act_rows(store, base, direct_types, years) + _center_rows(store, base)


def _legal_act_rows(store, base: str, direct_types: list, years: tuple[int, int] | None) -> list:
    """The legal-act rows of :func:`quads`."""
    import pyoxigraph as ox

    listed = {ox.NamedNode(KG + name) for name in LEGAL_ACT_CLASSES}
    pairs = [(q.subject, q.object) for q in direct_types if q.object in listed]
    if not pairs:
        return []
    graph = ox.DefaultGraph()
    source_p, first_p, last_p, rank_p, place_p = (ox.NamedNode(OA + "hasSource"), *(ox.NamedNode(KG + n) for n in (
        "firstYear", "lastYear", "legalActRank", "legalActPlace")))
    choice_p = {"date": ox.NamedNode(KG + "rowDate"), "start": ox.NamedNode(KG + "rowStartDate"),
                "end": ox.NamedNode(KG + "rowEndDate"), "cls": ox.NamedNode(KG + "rowClass")}
    looked = {"date": KG + "date", "start": SCHEMA + "startDate", "end": SCHEMA + "endDate"}
    kinds: dict = {}  # an act -> the kinds (labels of its listed direct classes) it has
    for entity, cls in pairs:
        kinds.setdefault(entity, set()).update(_values(store, cls, RDFS + "label"))
    text = LEGAL_ACT_ROWS % " ".join(f"({entity} {cls})" for entity, cls in pairs)
    out, seen, place = [], set(), 0
    for row in store.query(text):
        cells = tuple(row[k] for k in ("id", "name", "kind", "date", "start", "end"))
        if cells in seen:
            continue  # two classes of one label: one row, as the question's DISTINCT without the class
        seen.add(cells)
        entity, year = row["id"], row["year"]
        node = ox.NamedNode(f"{base}act-{node_digest(*cells, unbound='')}")
        out.append(ox.Quad(node, source_p, entity, graph))
        # the question looks the kind and the dates up; the row says which only where the act has several
        for name, predicate in looked.items():
            if row[name] is not None and len(_values(store, entity, predicate)) > 1:
                out.append(ox.Quad(node, choice_p[name], row[name], graph))
        if len(kinds.get(entity, ())) > 1:
            out.append(ox.Quad(node, choice_p["cls"], row["cls"], graph))
        if year is not None:
            out.append(ox.Quad(node, first_p, integer(int(year.value)), graph))
            out.append(ox.Quad(node, last_p, integer(int(year.value)), graph))
        out.append(ox.Quad(node, rank_p, integer(len(seen)), graph))
        # the rows of the default years: those of a year in them, and those without a year
        if years is not None and (year is None or years[0] <= int(year.value) <= years[1]):
            place += 1
            out.append(ox.Quad(node, place_p, integer(place), graph))
    return out


def concatenation(values: list):
    """What the question's ``GROUP_CONCAT(DISTINCT ...; separator=", ")`` of ``values`` (pyoxigraph literals,
    ``None`` where a row leaves the value unbound) gives on the embedded engine, with its items in sorted
    order: ``None`` when a value is unbound (the engine leaves the column unbound then), else a literal of the
    distinct values joined, with their language tag when they all have the same one (plain otherwise)."""
    import pyoxigraph as ox

    if any(v is None for v in values):
        return None
    languages = {v.language for v in values}
    text = ", ".join(sorted({v.value for v in values}))
    language = languages.pop() if len(languages) == 1 else None
    return ox.Literal(text, language=language) if language else ox.Literal(text)


def _order(term) -> tuple:
    """The place of a literal or named node (or ``None``, unbound: first) in a SPARQL ``ORDER BY``, as the
    embedded engine sorts them (by value, then language tag; a plain literal after tagged ones)."""
    if term is None:
        return (0, "", "")
    return (1, term.value, getattr(term, "language", None) or "\uffff")


def center_order(region, city, name, entity) -> tuple:
    """The sort key of a center row (``ORDER BY ?region ?city ?name ?id``): pyoxigraph terms or ``None``."""
    return _order(region), _order(city), _order(name), _order(entity)


def _center_rows(store, base: str) -> list:
    """The center rows of :func:`quads`: their regions and cities concatenated with the items of each in
    sorted order, so that the cells and the order are the same whatever order an engine concatenates in."""
    import pyoxigraph as ox

    graph = ox.DefaultGraph()
    source_p, region_p, city_p, rank_p = (ox.NamedNode(OA + "hasSource"), *(ox.NamedNode(KG + n) for n in (
        "rowRegion", "rowCity", "centerRank")))
    centers: dict = {}
    for row in store.query(CENTER_PLACES):
        found = centers.setdefault((row["id"], row["name"]), ([], []))
        found[0].append(row["regionName"])
        found[1].append(row["cityName"])
    rows = []
    for (entity, name), (regions, cities) in centers.items():
        region, city = concatenation(regions), concatenation(cities)
        rows.append((center_order(region, city, name, entity), entity, name, region, city))
    out = []
    for rank, (_, entity, name, region, city) in enumerate(sorted(rows, key=lambda row: row[0]), 1):
        node = ox.NamedNode(f"{base}center-{node_digest(entity, name, unbound='')}")
        out.append(ox.Quad(node, source_p, entity, graph))
        if region is not None:
            out.append(ox.Quad(node, region_p, region, graph))
        if city is not None:
            out.append(ox.Quad(node, city_p, city, graph))
        out.append(ox.Quad(node, rank_p, integer(rank), graph))
    return out
