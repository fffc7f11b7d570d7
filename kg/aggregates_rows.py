"""Build-time rows of listings whose page would otherwise join and sort the whole answer.

The question ``estimates`` lists every statistic as each evidence span states it, sorted on the
name of its quantity, its period, document, span and node. Finding those rows joins each of tens of
thousands of statistics to its span, document and quantity name, and sorting them reads every
name back from the store: over a second for one page at a few million quads, and more on disk.
So ``kg build`` computes the rows once (:func:`quads`, called by :func:`kg.aggregates.compute`), as
a pure function of the assembled dataset, in the default graph beside the cards, on nodes under
:data:`kg.aggregates.AGGREGATES`:

* an **estimate row** (a statistic as one span states it, W3C Web Annotation's specific resource):
  ``<aggregates#estimate-...> oa:hasSource ?statistic ; oa:hasScope ?span ; kg:estimateOf
  ?quantity ; kg:estimateRank 12``: one node per row of :data:`ESTIMATE_ROWS` (the rows of the
  question as plain SPARQL), ``kg:estimateRank`` (1, 2, ...) its place in that query's order, which
  a store sorts without reading a string. A page of the question is then the rows of the lowest
  ranks, and its total a count of one property;
* a **timeline entry** (an event, legal act or programme under one combination of its dates):
  ``<aggregates#timeline-...> oa:hasSource ?entity ; kg:firstYear 2013 ; kg:lastYear 2014 ;
  kg:timelineRank 57``: one node per row of :data:`TIMELINE_ENTRIES` whose years are integers,
  ``kg:timelineRank`` the place of its sort key, name and entity in the question's order (entries of
  one entity with the same key share it). The question ``timeline`` keeps the entries of the years
  asked for and sorts each entity on its lowest rank: the order of its earliest key, then its name
  and IRI, as before, without reading a date or a name; it computes the key it shows from the dates
  of the page's entities;
* a **people row** (a person's role in an organization, or a person without one):
  ``<aggregates#people-...> oa:hasSource ?person ; kg:rowRole "leader" ; kg:rowOrganization ?org ;
  kg:rowDate "2014" ; kg:rowDocument ?document ; kg:peopleRank 3``: one node per row of the question
  ``people`` (:data:`PEOPLE_ROWS` grouped as the question groups it), with the documents of the row and
  its place in the question's order (name, date, organization; then IRI, role, organization IRI);
* an **agency activity** (what a state agency took part in, organized, adopted, enforces, or a figure
  it stated): ``<aggregates#activity-...> oa:hasSource ?agency ; kg:rowRole "adopted" ; kg:rowObject
  ?act ; kg:firstYear 2015 ; kg:lastYear 2015 ; kg:activityRank 8``: one node per row of
  :data:`AGENCY_ACTIVITIES` that some year matches (its date's year; or from its start year to its end
  year, open when it has none), ranked in the question's order (agency name, date). The question
  ``agency-activities`` keeps the rows of the year asked for and looks up the name of what the agency
  did (of a stated figure: its quantity and value) and its date;
* a **repatriation row** (an operation with one of its figures, a figure no operation carries, a
  center, a programme): ``<aggregates#repatriation-...> kg:rowRole "figure" ; oa:hasSource ?item ;
  kg:rowObject ?statistic ; kg:repatriationRank 4``: one node per row of :data:`REPATRIATION_ROWS`,
  ``kg:rowRole`` its kind, ``oa:hasSource`` the operation, statistic, center or programme the row is
  about, ``kg:rowObject`` the statistic whose figure it shows (:data:`REPATRIATION_STATISTICS`; of two
  giving the same cells, the first IRI), ranked in the question's order. The question looks the name,
  date, figure, comparator, value and category up from those nodes.

A row holds what chooses and orders it and links to the graph's nodes, not copies of their names,
dates or values: the questions look those up for the rows of one page. Where a node has several
values of what a row shows (an operation with two dates, a statistic with two categories), each value
is a row of its own, as in the plain query, and only then the row says which (``kg:rowDate``,
``kg:rowCategory``, ``kg:rowComparator``), so that the look-up gives that row once. The rows rely on
the shapes for the rest: a statistic has one quantity and one value (``sh:maxCount 1``), an entity one
``skos:prefLabel``. What stays a literal, and why:

* ``kg:estimatePeriod``, ``kg:estimateStart`` of an estimate row: which period or start date of its
  statistic the row shows, only where the statistic has several (:func:`quads`), as above;
* ``kg:rowRole`` and ``kg:rowDate`` of a people row: the row groups every position of the person in the
  organization with that role and date, from every span that states one: no single node of the graph
  holds them, they are what the row is (a role of a relation, such as "leader" for ``kg:leaderOf``, is
  no value of the graph at all);
* ``kg:rowRole`` of an activity or repatriation row: the agency's part or the row's kind, a name of
  the branch of the plain query the row comes from, no value of the graph;
* ``kg:firstYear`` and ``kg:lastYear``: integers that choose the rows of a year without reading a date;
* the ranks: integers that order the rows without reading a string.

``tests/test_aggregates_rows.py`` compares the question that reads them with the plain SPARQL.
"""

from __future__ import annotations

__all__ = ["ESTIMATE_ROWS", "TIMELINE_ENTRIES", "PEOPLE_ROWS", "AGENCY_ACTIVITIES", "REPATRIATION_ROWS", "REPATRIATION_CELLS",
           "REPATRIATION_STATISTICS", "quads"]

from kg.aggregates import KG, OA, integer, node_digest

SCHEMA = "https://schema.org/"

_PREFIXES = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

# the rows of the question estimates, in its order: each statistic as each span states it
ESTIMATE_ROWS = _PREFIXES + """
SELECT DISTINCT ?stat ?ev ?docId ?quantityName ?period ?start WHERE {
  GRAPH ?ev { ?stat a kg:Statistic ; kg:quantity ?q . }
  ?ev kg:document/kg:documentId ?docId .
  OPTIONAL { ?q skos:prefLabel ?quantityName }
  FILTER(BOUND(?quantityName))
  OPTIONAL { ?stat kg:period ?period }
  OPTIONAL { ?stat schema:startDate ?start }
}
ORDER BY LCASE(?quantityName) COALESCE(STR(?period), STR(?start), "") ?docId ?ev ?stat
"""
# the quantities of each row (a statistic has one, but the rows are found by their names)
ESTIMATE_QUANTITIES = _PREFIXES + """
SELECT DISTINCT ?stat ?ev ?q ?quantityName WHERE {
  GRAPH ?ev { ?stat a kg:Statistic ; kg:quantity ?q . }
  ?q skos:prefLabel ?quantityName .
}
"""

# every dating of the events, acts and programmes of the question timeline, in its order
TIMELINE_ENTRIES = _PREFIXES + """
SELECT DISTINCT ?id ?name ?sort ?firstYear ?lastYear WHERE {
  { ?id a kg:Event } UNION { ?id a kg:LegalAct } UNION { ?id a kg:Program }
  OPTIONAL { ?id kg:date ?d }
  OPTIONAL { ?id schema:startDate ?s }
  OPTIONAL { ?id schema:endDate ?e }
  OPTIONAL { ?id kg:earliestDate ?early }
  OPTIONAL { ?id kg:latestDate ?late }
  BIND(COALESCE(?d, ?s, ?early) AS ?d0)
  FILTER(BOUND(?d0))
  BIND(COALESCE(STR(?early), STR(?d0)) AS ?sort)
  BIND(xsd:integer(SUBSTR(COALESCE(STR(?early), STR(?d0)), 1, 4)) AS ?firstYear)
  BIND(xsd:integer(SUBSTR(COALESCE(STR(?late), STR(?e), STR(?d0)), 1, 4)) AS ?lastYear)
  OPTIONAL { ?id skos:prefLabel ?name }
  FILTER(BOUND(?name))
}
ORDER BY ?sort ?name ?id
"""

# the rows of the question people, each with its documents, in its order (then by IRI, role and organization)
PEOPLE_ROWS = _PREFIXES + """PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?id ?name ?role ?org ?orgName ?date ?docId
WHERE {
  {
    GRAPH ?ev { ?pos org:member ?id ; org:organization ?org }
    ?id a kg:Person .
    # one quad pattern per OPTIONAL (in the same span), so that each runs per position
    OPTIONAL { GRAPH ?ev { ?pos kg:role ?role0 } }
    OPTIONAL { GRAPH ?ev { ?pos kg:date|schema:startDate ?date } }
    BIND(COALESCE(?role0, "member") AS ?role)
    OPTIONAL { ?ev kg:document/kg:documentId ?docId } FILTER(BOUND(?docId))
    OPTIONAL { ?org skos:prefLabel ?orgName }
    FILTER(BOUND(?orgName))
  } UNION {
    VALUES (?rel ?role) { (kg:leaderOf "leader") (kg:memberOf "member") (kg:founderOf "founder") (kg:chairOf "chair") }
    ?id a kg:Person .
    GRAPH ?ev { ?id ?rel ?org }
    FILTER NOT EXISTS { ?pos2 org:member ?id ; org:organization ?org }
    ?ev kg:document/kg:documentId ?docId .
    OPTIONAL { ?org skos:prefLabel ?orgName }
    FILTER(BOUND(?orgName))
  } UNION {
    ?id a kg:Person .
    FILTER NOT EXISTS { ?id kg:leaderOf|kg:memberOf|kg:founderOf|kg:chairOf ?x }
    FILTER NOT EXISTS { ?pos3 org:member ?id }
    # the documents whose spans state something about the person (kg:describedIn, computed beside these)
    GRAPH ?ev { ?id ?p ?o } ?ev kg:document ?doc . ?doc kg:documentId ?docId .
    BIND("(no role stated)" AS ?role)
  }
  OPTIONAL { ?id skos:prefLabel ?name }
  FILTER(BOUND(?name))
}
ORDER BY LCASE(?name) ?date ?orgName ?id ?role ?org
"""

# every activity of every agency with the years its date gives (the question agency-activities keeps a year's),
# in the question's order (then by role, what and date as written); a row per combination of dates, as the question
AGENCY_ACTIVITIES = _PREFIXES + """PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?id ?name ?role ?what ?whatName ?date ?y ?ys ?ye
WHERE {
  ?id a kg:StateAgency ; skos:prefLabel ?name .
  # each branch starts with one pattern and nests the rest, so that it runs per agency
  {
    { ?what kg:participant ?id BIND("took part in" AS ?role) } UNION { ?what kg:organizer ?id BIND("organized" AS ?role) }
    UNION { ?what kg:perpetratedBy ?id BIND("carried out" AS ?role) } UNION { ?what kg:designatedBy ?id BIND("banned or designated" AS ?role) }
    UNION { ?what kg:adoptedBy ?id BIND("adopted" AS ?role) } UNION { ?what kg:enforcedBy ?id BIND("enforces" AS ?role) }
    OPTIONAL { ?what kg:date ?d } OPTIONAL { ?what schema:startDate ?s } OPTIONAL { ?what schema:endDate ?e }
    BIND(COALESCE(?d, ?s) AS ?date)
    OPTIONAL { ?what skos:prefLabel ?whatName }
    FILTER(BOUND(?whatName))
  } UNION {
    ?what kg:statedBy ?id ; kg:quantity/skos:prefLabel ?qname ; kg:period ?d .
    OPTIONAL { ?what kg:value ?v }
    BIND("stated figure" AS ?role) BIND(?d AS ?date)
    BIND(CONCAT(?qname, ": ", COALESCE(STR(?v), "range")) AS ?whatName)
  }
  BIND(xsd:integer(SUBSTR(STR(?d), 1, 4)) AS ?y)
  BIND(xsd:integer(SUBSTR(STR(?s), 1, 4)) AS ?ys)
  BIND(xsd:integer(SUBSTR(STR(?e), 1, 4)) AS ?ye)
}
ORDER BY LCASE(?name) ?date ?id ?role ?what ?whatName ?y ?ys ?ye
"""

# the rows of the question repatriations (operations with their figures, figures of repatriation, centers,
# programmes), in its order
REPATRIATION_ROWS = _PREFIXES + """
SELECT DISTINCT ?kind ?id ?name ?date ?figure ?comparator ?value ?category WHERE {
  {
    ?id a kg:Repatriation ; skos:prefLabel ?name . BIND("repatriation" AS ?kind)
    OPTIONAL { ?id kg:date|schema:startDate ?date }
    # each OPTIONAL starts with one pattern and nests the rest, so that it runs per row
    OPTIONAL { ?st kg:about ?id OPTIONAL { ?st kg:value ?value } OPTIONAL { ?st kg:quantity ?fq OPTIONAL { ?fq skos:prefLabel ?figure } }
               FILTER(BOUND(?value) && BOUND(?figure))
               OPTIONAL { ?st kg:category ?category } OPTIONAL { ?st kg:comparator ?comparator } }
  } UNION {
    # the quantities chosen by their names first (a required label, filtered as it is read), then their statistics
    ?q a kg:Quantity ; skos:prefLabel ?figure .
    FILTER(CONTAINS(LCASE(?figure), "repatriat") || CONTAINS(LCASE(?figure), "returnee") || CONTAINS(LCASE(?figure), "returned"))
    GRAPH ?ev { ?st kg:quantity ?q ; kg:value ?value }
    OPTIONAL { ?ev kg:document/kg:documentId ?anyDocId } FILTER(BOUND(?anyDocId))
    # the statistic's details from the merged graph (a statistic is stated by one span), one pattern per OPTIONAL
    OPTIONAL { ?st kg:period ?period } OPTIONAL { ?st kg:category ?category }
    OPTIONAL { ?st kg:comparator ?comparator } OPTIONAL { ?st schema:startDate|kg:earliestDate ?ps }
    OPTIONAL { ?st schema:endDate|kg:latestDate ?pe }
    # a period over several years ("2019–2021") stays a period, not its first year
    BIND(COALESCE(STR(?period), IF(BOUND(?ps) && BOUND(?pe), CONCAT(STR(?ps), "–", STR(?pe)), STR(?ps))) AS ?date)
    # not a figure of a repatriation operation (listed above): one pattern per row, not a join per row
    OPTIONAL { ?st kg:about ?r0 FILTER EXISTS { ?r0 a kg:Repatriation } } FILTER(!BOUND(?r0))
    BIND("figure" AS ?kind) BIND(?st AS ?id) BIND(?figure AS ?name)
  } UNION {
    ?id a kg:RehabilitationCenter ; skos:prefLabel ?name . BIND("rehabilitation center" AS ?kind)
  } UNION {
    ?id a kg:Program ; kg:addresses ?topic .
    FILTER(CONTAINS(LCASE(?topic), "rehabilit") || CONTAINS(LCASE(?topic), "returnee") || CONTAINS(LCASE(?topic), "reintegrat"))
    ?id skos:prefLabel ?name .
    BIND("program" AS ?kind)
    OPTIONAL { ?id schema:startDate|kg:date ?date }
  }
}
ORDER BY ?kind STR(?date) ?name ?id ?value ?category ?comparator ?figure
"""
REPATRIATION_CELLS = ("kind", "id", "name", "date", "figure", "comparator", "value", "category")
# the same rows with the statistic each shows (of an operation, or the figure's own): the row points to it
REPATRIATION_STATISTICS = REPATRIATION_ROWS.replace("SELECT DISTINCT ?kind", "SELECT DISTINCT ?st ?kind", 1)


def quads(store, base: str) -> list:
    """The estimate rows of the dataset in the pyoxigraph ``store``, as default-graph quads.

    One node ``{base}estimate-HASH`` per row of :data:`ESTIMATE_ROWS` (named by a hash of the row's
    values, the same in every build), with ``oa:hasSource`` its statistic, ``oa:hasScope`` its span,
    ``kg:estimateOf`` the quantities the span gives the statistic under the row's quantity name,
    ``kg:estimatePeriod`` and ``kg:estimateStart`` the row's period and start date where the statistic
    has several (the question looks them up otherwise), and ``kg:estimateRank`` its place (1, 2, ...) in the query's order. Returns a list of
    ``pyoxigraph.Quad``; raises nothing on a graph without statistics.
    """
    import pyoxigraph as ox

    graph = ox.DefaultGraph()
    out = []
    quantities: dict = {}
    for row in store.query(ESTIMATE_QUANTITIES):
        quantities.setdefault((row["stat"], row["ev"], row["quantityName"]), set()).add(row["q"])
    rank_p, source_p, scope_p, of_p = (ox.NamedNode(KG + "estimateRank"), ox.NamedNode(OA + "hasSource"),
                                       ox.NamedNode(OA + "hasScope"), ox.NamedNode(KG + "estimateOf"))
    period_p, start_p = ox.NamedNode(KG + "estimatePeriod"), ox.NamedNode(KG + "estimateStart")
    for rank, row in enumerate(store.query(ESTIMATE_ROWS), 1):
        stat, ev, period, start = row["stat"], row["ev"], row["period"], row["start"]
        node = ox.NamedNode(f"{base}estimate-{node_digest(stat, ev, row['docId'], row['quantityName'], period, start, unbound='')}")
        out.append(ox.Quad(node, source_p, stat, graph))
        out.append(ox.Quad(node, scope_p, ev, graph))
        for q in sorted(quantities.get((stat, ev, row["quantityName"]), ()), key=str):
            out.append(ox.Quad(node, of_p, q, graph))
        # the question looks the period and start date up from the statistic; the row says which only
        # where the statistic has several (each a row of its own)
        if period is not None and len(_values(store, stat, KG + "period")) > 1:
            out.append(ox.Quad(node, period_p, period, graph))
        if start is not None and len(_values(store, stat, SCHEMA + "startDate")) > 1:
            out.append(ox.Quad(node, start_p, start, graph))
        out.append(ox.Quad(node, rank_p, integer(rank), graph))
    out.extend(_timeline_entries(store, base))
    out.extend(_people_rows(store, base))
    out.extend(_agency_activities(store, base))
    out.extend(_repatriation_rows(store, base))
    return out


def _timeline_entries(store, base: str) -> list:
    """The timeline entries of :func:`quads`."""
    import pyoxigraph as ox

    graph = ox.DefaultGraph()
    source_p = ox.NamedNode(OA + "hasSource")
    first_p, last_p, rank_p = (ox.NamedNode(KG + n) for n in ("firstYear", "lastYear", "timelineRank"))
    out, rank, previous = [], 0, None
    for row in store.query(TIMELINE_ENTRIES):
        entity, name, key, first, last = row["id"], row["name"], row["sort"], row["firstYear"], row["lastYear"]
        if (key, name, entity) != previous:
            rank, previous = rank + 1, (key, name, entity)
        if first is None or last is None:
            continue
        node = ox.NamedNode(f"{base}timeline-{node_digest(entity, name, key, first, last, unbound='')}")
        out.append(ox.Quad(node, source_p, entity, graph))
        out.append(ox.Quad(node, first_p, integer(first.value), graph))
        out.append(ox.Quad(node, last_p, integer(last.value), graph))
        out.append(ox.Quad(node, rank_p, integer(rank), graph))
    return out


def _people_rows(store, base: str) -> list:
    """The people rows of :func:`quads`."""
    import pyoxigraph as ox

    graph = ox.DefaultGraph()
    source_p = ox.NamedNode(OA + "hasSource")
    role_p, org_p, date_p, doc_p, rank_p = (ox.NamedNode(KG + n) for n in ("rowRole", "rowOrganization", "rowDate",
                                                                           "rowDocument", "peopleRank"))
    documents = {row["docId"]: row["doc"] for row in store.query(_PREFIXES + "SELECT ?doc ?docId WHERE { ?doc kg:documentId ?docId }")}
    out, rank, previous, node, seen = [], 0, None, None, set()
    for row in store.query(PEOPLE_ROWS):
        key = tuple(row[k] for k in ("id", "name", "role", "org", "orgName", "date"))
        if key != previous:
            rank, previous = rank + 1, key
            person, _, role, org, _, date = key
            node = ox.NamedNode(f"{base}people-{node_digest(*key, unbound='')}")
            out.append(ox.Quad(node, source_p, person, graph))
            out.append(ox.Quad(node, role_p, role, graph))
            if org is not None:
                out.append(ox.Quad(node, org_p, org, graph))
            if date is not None:
                out.append(ox.Quad(node, date_p, date, graph))
            out.append(ox.Quad(node, rank_p, integer(rank), graph))
        if row["docId"] in documents:
            found = ox.Quad(node, doc_p, documents[row["docId"]], graph)
            if found not in seen:
                seen.add(found)
                out.append(found)
    return out


def _values(store, subject, *predicates) -> list:
    """The distinct objects of ``subject`` (a pyoxigraph term, or ``None``) for any of ``predicates``
    (IRIs) in the default graph: what a question's look-up of them from that node finds."""
    import pyoxigraph as ox

    if subject is None:
        return []
    found: dict = {}
    for predicate in predicates:
        for q in store.quads_for_pattern(subject, ox.NamedNode(predicate), None, ox.DefaultGraph()):
            found[q.object] = None
    return list(found)


def _agency_activities(store, base: str) -> list:
    """The agency activities of :func:`quads`."""
    import pyoxigraph as ox

    graph = ox.DefaultGraph()
    source_p = ox.NamedNode(OA + "hasSource")
    role_p, what_p, date_p, first_p, last_p, rank_p = (ox.NamedNode(KG + n) for n in (
        "rowRole", "rowObject", "rowDate", "firstYear", "lastYear", "activityRank"))
    out, seen = [], {}
    for rank, row in enumerate(store.query(AGENCY_ACTIVITIES), 1):
        y, ys, ye = row["y"], row["ys"], row["ye"]
        # the question's year test: the year of the date, or else from the start year to the end year
        first, last = (y, y) if y is not None else (ys, ye)
        if first is None:
            continue
        key = tuple(row[k] for k in ("id", "role", "what", "whatName", "date", "y", "ys", "ye"))
        seen[key] = seen.get(key, 0) + 1
        node = ox.NamedNode(f"{base}activity-{node_digest(*key, seen[key], unbound='')}")
        out.append(ox.Quad(node, source_p, row["id"], graph))
        out.append(ox.Quad(node, role_p, row["role"], graph))
        out.append(ox.Quad(node, what_p, row["what"], graph))
        # the question looks the date up (a stated figure's period; else the date, or the start date);
        # the row says which only when the graph gives several, each a row of its own
        if row["role"].value == "stated figure":
            dates = _values(store, row["what"], KG + "period")
        else:
            dates = _values(store, row["what"], KG + "date") or _values(store, row["what"], SCHEMA + "startDate")
        if len(dates) > 1:
            out.append(ox.Quad(node, date_p, row["date"], graph))
        out.append(ox.Quad(node, first_p, integer(first.value), graph))
        if last is not None:
            out.append(ox.Quad(node, last_p, integer(last.value), graph))
        out.append(ox.Quad(node, rank_p, integer(rank), graph))
    return out


def _figure_dates(store, statistic) -> list:
    """The dates the question repatriations shows for a figure ``statistic``: its period, else its start and end
    dates as one period ("2019–2021"), else its start date, as plain strings (one per combination of values)."""
    import pyoxigraph as ox

    periods = _values(store, statistic, KG + "period") or [None]
    starts = _values(store, statistic, SCHEMA + "startDate", KG + "earliestDate") or [None]
    ends = _values(store, statistic, SCHEMA + "endDate", KG + "latestDate") or [None]
    shown = {period.value if period is not None else
             f"{start.value}\u2013{end.value}" if start is not None and end is not None else
             start.value if start is not None else None
             for period in periods for start in starts for end in ends}
    return [ox.Literal(text) for text in shown if text is not None]


def _repatriation_rows(store, base: str) -> list:
    """The repatriation rows of :func:`quads`."""
    import pyoxigraph as ox

    graph = ox.DefaultGraph()
    kind_p, source_p, statistic_p, rank_p = (ox.NamedNode(KG + "rowRole"), ox.NamedNode(OA + "hasSource"),
                                             ox.NamedNode(KG + "rowObject"), ox.NamedNode(KG + "repatriationRank"))
    choice_p = {"date": ox.NamedNode(KG + "rowDate"), "comparator": ox.NamedNode(KG + "rowComparator"),
                "category": ox.NamedNode(KG + "rowCategory")}
    # the rows in order, each with the statistic it shows (a figure's own, or the operation's figure): of
    # two giving the same cells, the first IRI (rows of equal cells sort together: they have the same keys)
    rows: dict = {}
    for row in store.query(REPATRIATION_STATISTICS):
        cells, statistic = tuple(row[name] for name in REPATRIATION_CELLS), row["st"]
        if cells not in rows:
            rows[cells] = statistic
        elif statistic is not None and (rows[cells] is None or str(statistic) < str(rows[cells])):
            rows[cells] = statistic
    out = []
    for rank, (cells, statistic) in enumerate(rows.items(), 1):
        row = dict(zip(REPATRIATION_CELLS, cells))
        kind, entity = row["kind"], row["id"]
        node = ox.NamedNode(f"{base}repatriation-{node_digest(*cells, unbound='')}")
        out.append(ox.Quad(node, kind_p, kind, graph))
        out.append(ox.Quad(node, source_p, entity, graph))
        if statistic is not None:
            out.append(ox.Quad(node, statistic_p, statistic, graph))
        # what the question looks up for the row; the row says which value it shows only where there are several
        found = {"comparator": _values(store, statistic, KG + "comparator"),
                 "category": _values(store, statistic, KG + "category"),
                 "date": (_figure_dates(store, statistic) if kind.value == "figure" else
                          _values(store, entity, KG + "date", SCHEMA + "startDate") if kind.value in ("repatriation", "program")
                          else [])}
        for name, values in found.items():
            if len(values) > 1:
                out.append(ox.Quad(node, choice_p[name], row[name], graph))
        out.append(ox.Quad(node, rank_p, integer(rank), graph))
    return out
