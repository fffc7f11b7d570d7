"""Build-time listing rows (kg/aggregates_rows.py): the questions that page on them give what plain SPARQL gives.

Each question is compared, rows and order, with its text as it read before the rows were stored
(plain SPARQL over the quads), for its defaults and several other parameter values, whole and a page
at a time; and the rows are computed on small graphs made here: a statistic with two periods and two
spans; operations, events, programmes and statistics with several dates, categories or equal cells,
where a row must say which value it shows. A last test checks that the rows link to the graph's nodes
and copy no name, date or value of it (but to say which of several a row shows).
"""

import pytest

from kg.query import bind, get_query, run_named

PREFIXES = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
"""

# the question estimates as it read before its rows were stored: every statistic joined to its span,
# document and quantity name, and sorted on them
ESTIMATES_PLAIN = PREFIXES + """
SELECT ?quantityName ?value ?low ?high ?comparator ?unit ?period ?start ?end (GROUP_CONCAT(DISTINCT ?placeName; separator=", ") AS ?places)
       ?category ?statedByName ?citedName ?docId ?ev ?stat
WHERE {
  {
    SELECT DISTINCT ?stat ?ev ?docId ?quantityName ?period ?start WHERE {
      %(bind)s
      GRAPH ?ev { ?stat a kg:Statistic ; kg:quantity ?q . }
      ?ev kg:document/kg:documentId ?docId .
      OPTIONAL { ?q skos:prefLabel ?quantityName }
      FILTER(BOUND(?quantityName))
      OPTIONAL { ?stat kg:period ?period }
      OPTIONAL { ?stat schema:startDate ?start }
    }
  }
  OPTIONAL { ?stat kg:value ?value }
  OPTIONAL { ?stat kg:minValue ?low }
  OPTIONAL { ?stat kg:maxValue ?high }
  OPTIONAL { ?stat kg:comparator ?comparator }
  OPTIONAL { ?stat kg:unit ?unit }
  OPTIONAL { ?stat schema:endDate ?end }
  OPTIONAL { ?stat kg:refArea/skos:prefLabel ?placeName }
  OPTIONAL { ?stat kg:category ?category }
  OPTIONAL { ?stat kg:statedBy/skos:prefLabel ?statedByName }
  OPTIONAL { ?stat kg:citedSource/skos:prefLabel ?citedName }
}
GROUP BY ?quantityName ?value ?low ?high ?comparator ?unit ?period ?start ?end ?category ?statedByName ?citedName ?docId ?ev ?stat
ORDER BY LCASE(?quantityName) COALESCE(STR(?period), STR(?start), "") ?docId ?ev ?stat
"""


CONCATENATED = ("places", "documents", "datesStated")


def _norm(rows: list) -> list:
    """Rows in their order, each concatenation as the sorted list of its items (GROUP_CONCAT's order is free)."""
    return [{k: (sorted(v["value"].split(", ")) if k in CONCATENATED else v) for k, v in row.items()} for row in rows]


def _estimates_plain(engine, given: dict) -> list:
    q = get_query("estimates")
    iri = bind(q, given, engine)["quantity"].value if "quantity" in given else None
    return engine.query(ESTIMATES_PLAIN % {"bind": f"BIND(<{iri}> AS ?q)" if iri else ""}).rows


def _quantities(engine) -> list[str]:
    """Every quantity of a statistic, by IRI: the first, middle and last are asked about below."""
    rows = engine.query(PREFIXES + "SELECT DISTINCT ?q WHERE { ?s a kg:Statistic ; kg:quantity ?q } ORDER BY ?q").rows
    return [r["q"]["value"] for r in rows]


@pytest.mark.parametrize("pick", [None, "quantity:kazakhstanis-in-syria-and-iraq", 0, -1, "middle", "Kazakhstanis who went to foreign conflict zones"])
def test_estimates_equal_the_plain_question(engine, pick):
    if pick is None:
        given = {}
    elif isinstance(pick, str) and pick != "middle":
        given = {"quantity": pick}
    else:
        found = _quantities(engine)
        given = {"quantity": found[len(found) // 2 if pick == "middle" else pick]}
    got = run_named(engine, get_query("estimates"), given)
    expected = _estimates_plain(engine, given)
    assert _norm(got.rows) == _norm(expected)
    assert len(got.rows) > (200 if not given else 0)


@pytest.mark.parametrize("limit,offset", [(100, 0), (7, 0), (7, 7), (50, 250), (10, 10_000)])
def test_estimates_pages_are_slices_of_the_whole(engine, limit, offset):
    whole = run_named(engine, get_query("estimates"), {})
    page = run_named(engine, get_query("estimates"), {}, limit=limit, offset=offset)
    assert page.rows == whole.rows[offset:offset + limit]
    assert page.total == len(whole.rows)


def test_estimate_rows_rank_every_row_once(engine):
    from kg.aggregates_rows import ESTIMATE_ROWS

    stored = engine.query(PREFIXES + """PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?row ?rank ?stat ?ev WHERE { ?row kg:estimateRank ?rank ; oa:hasSource ?stat ; oa:hasScope ?ev }
        ORDER BY ?rank""").rows
    plain = engine.query(ESTIMATE_ROWS).rows
    assert [int(r["rank"]["value"]) for r in stored] == list(range(1, len(plain) + 1))
    assert [(r["stat"]["value"], r["ev"]["value"]) for r in stored] == [(r["stat"]["value"], r["ev"]["value"]) for r in plain]


# the question timeline as it read before its entries were stored: every event, act and programme
# with its dates, grouped and sorted on its earliest key and name
TIMELINE_PLAIN = PREFIXES + """PREFIX sesame: <http://www.openrdf.org/schema/sesame#>
SELECT (MAX(?shown) AS ?date) (GROUP_CONCAT(DISTINCT ?shown; separator=", ") AS ?datesStated) ?sortKey ?kindName ?id ?name
       (GROUP_CONCAT(DISTINCT ?placeName; separator=", ") AS ?places) (GROUP_CONCAT(DISTINCT ?docId; separator=", ") AS ?documents)
WHERE {
  {
    # the rows: the events and acts of the period, with what they are sorted on
    SELECT ?id ?name (MIN(?sort) AS ?sortKey) WHERE {
      VALUES (?from ?to) { (%(from)s %(to)s) }
      %(kind)s
      { ?id a kg:Event } UNION { ?id a kg:LegalAct } UNION { ?id a kg:Program }
      OPTIONAL { ?id kg:date ?d }
      OPTIONAL { ?id schema:startDate ?s }
      OPTIONAL { ?id schema:endDate ?e }
      OPTIONAL { ?id kg:earliestDate ?early }
      OPTIONAL { ?id kg:latestDate ?late }
      BIND(COALESCE(?d, ?s, ?early) AS ?d0)
      FILTER(BOUND(?d0))
      # sorts "late 2013" after "2013-07": the earliest possible date first
      BIND(COALESCE(STR(?early), STR(?d0)) AS ?sort)
      # a period or a rough date is found by every year it may cover
      BIND(xsd:integer(SUBSTR(COALESCE(STR(?early), STR(?d0)), 1, 4)) AS ?firstYear)
      BIND(xsd:integer(SUBSTR(COALESCE(STR(?late), STR(?e), STR(?d0)), 1, 4)) AS ?lastYear)
      FILTER(?firstYear <= ?to && ?lastYear >= ?from)
      OPTIONAL { ?id skos:prefLabel ?name }
      FILTER(BOUND(?name))
    }
    GROUP BY ?id ?name
  }
  # the details of each row, looked up once the rows are chosen; documents from the mentions kg build
  # computed (kg/aggregates.py)
  VALUES (?from ?to) { (%(from)s %(to)s) }
  OPTIONAL { ?id kg:date ?d }
  OPTIONAL { ?id schema:startDate ?s }
  OPTIONAL { ?id schema:endDate ?e }
  OPTIONAL { ?id kg:earliestDate ?early }
  OPTIONAL { ?id kg:latestDate ?late }
  OPTIONAL { ?id kg:dateQualifier ?qualifier }
  OPTIONAL { ?id kg:timeOfDay ?clock }
  BIND(COALESCE(?d, ?s, ?early) AS ?d0)
  FILTER(BOUND(?d0))
  BIND(xsd:integer(SUBSTR(COALESCE(STR(?early), STR(?d0)), 1, 4)) AS ?firstYear)
  BIND(xsd:integer(SUBSTR(COALESCE(STR(?late), STR(?e), STR(?d0)), 1, 4)) AS ?lastYear)
  FILTER(?firstYear <= ?to && ?lastYear >= ?from)
  # the date as the text gives it: qualifier, end of a period, time of day
  BIND(CONCAT(IF(BOUND(?qualifier), CONCAT(?qualifier, " "), ""), STR(?d0),
              IF(!STRSTARTS(COALESCE(STR(?e), STR(?late), STR(?d0)), STR(?d0)), CONCAT("–", COALESCE(STR(?e), STR(?late))), ""),
              IF(BOUND(?clock), CONCAT(" ", STR(?clock)), "")) AS ?shown)
  # the most specific classes of each row, which kg build computed (sesame:directType, kg/aggregates.py)
  OPTIONAL { ?id sesame:directType ?cls OPTIONAL { ?cls rdfs:label ?kindName } FILTER(BOUND(?kindName)) }
  FILTER(BOUND(?kindName))
  OPTIONAL { ?id kg:place/skos:prefLabel ?placeName }
  OPTIONAL { ?id kg:describedIn ?doc OPTIONAL { ?doc kg:documentId ?docId } FILTER(BOUND(?docId)) }
}
GROUP BY ?sortKey ?kindName ?id ?name
ORDER BY ?sortKey ?name ?id
"""


@pytest.mark.parametrize("given", [{}, {"from": "2015", "to": "2015"}, {"from": "2011", "to": "2011"}, {"kind": "kg:Attack"},
                                   {"from": "1980", "to": "1995"}, {"kind": "kg:LegalAct", "from": "2010", "to": "2016"},
                                   {"from": "2016", "to": "2030"}, {"from": "1", "to": "9999"}])
def test_timeline_equals_the_plain_question(engine, given):
    q = get_query("timeline")
    kind = bind(q, given, engine).get("kind")
    expected = engine.query(TIMELINE_PLAIN % {"from": given.get("from", "1990"), "to": given.get("to", "2030"),
                                              "kind": f"?id a <{kind.value}> ." if "kind" in given else ""}).rows
    got = run_named(engine, q, given)
    assert _norm(got.rows) == _norm(expected)
    assert len(got.rows) > 0
    for offset in (0, 3, len(expected) - 2):
        page = run_named(engine, q, given, limit=5, offset=offset)
        assert _norm(page.rows) == _norm(expected[offset:offset + 5]) and page.total == len(expected)


# the question people as it read before its rows were stored: positions, relations and people
# without either, grouped and sorted on names
PEOPLE_PLAIN = PREFIXES + """
SELECT ?id ?name ?role ?org ?orgName ?date (GROUP_CONCAT(DISTINCT ?docId; separator=", ") AS ?documents)
WHERE {
  # each branch binds the parameters, starts from the people (or the person or organization asked for)
  # and looks up its documents
  {
    %(person)s
    %(organization)s
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
    %(person)s
    %(organization)s
    VALUES (?rel ?role) { (kg:leaderOf "leader") (kg:memberOf "member") (kg:founderOf "founder") (kg:chairOf "chair") }
    ?id a kg:Person .
    GRAPH ?ev { ?id ?rel ?org }
    FILTER NOT EXISTS { ?pos2 org:member ?id ; org:organization ?org }
    ?ev kg:document/kg:documentId ?docId .
    OPTIONAL { ?org skos:prefLabel ?orgName }
    FILTER(BOUND(?orgName))
  } UNION {
    %(person)s
    ?id a kg:Person .
    FILTER NOT EXISTS { ?id kg:leaderOf|kg:memberOf|kg:founderOf|kg:chairOf ?x }
    FILTER NOT EXISTS { ?pos3 org:member ?id }
    # documents from the mentions kg build computed (kg/aggregates.py): one row per document, not per quad
    ?id kg:describedIn ?doc . ?doc kg:documentId ?docId .
    BIND("(no role stated)" AS ?role)
  }
  OPTIONAL { ?id skos:prefLabel ?name }
  FILTER(BOUND(?name))
}
GROUP BY ?id ?name ?role ?org ?orgName ?date
ORDER BY LCASE(?name) ?date ?orgName
"""


def _people_plain(engine, given: dict) -> list:
    bound = bind(get_query("people"), given, engine)
    person = f"BIND(<{bound['person'].value}> AS ?id)" if "person" in given else ""
    organization = f"BIND(<{bound['organization'].value}> AS ?org)" if "organization" in given else ""
    text = PEOPLE_PLAIN % {"person": person, "organization": organization}
    if "organization" in given:  # the third branch (people without a role) has no organization
        text = text[:text.index("  } UNION {\n    " + person + "\n    ?id a kg:Person .\n    FILTER NOT EXISTS")] + "  }\n" + text[text.index("  OPTIONAL { ?id skos:prefLabel ?name }"):]
    return engine.query(text).rows


def _people_key(row: dict) -> tuple:
    return tuple(row.get(k, {}).get("value", "") for k in ("name", "date", "orgName"))


@pytest.mark.parametrize("given", [{}, {"organization": "agency:knb"}, {"organization": "KNB"}, {"person": "Nurtai Abykaev"},
                                   {"person": "Casey Michel"}, {"organization": "organization:pavlodar-interfaith-relations-center"}, {"person": "person:alim-shaumetov"}])
def test_people_equal_the_plain_question(engine, given):
    got = run_named(engine, get_query("people"), given).rows
    expected = _people_plain(engine, given)
    assert sorted(map(repr, _norm(got))) == sorted(map(repr, _norm(expected)))
    # the same order: rows whose names, dates and organizations tie may come in either order
    assert [_people_key(r) for r in got] == [_people_key(r) for r in expected]
    assert len(got) > 0
    for offset in (0, 3, len(got) - 2):
        page = run_named(engine, get_query("people"), given, limit=5, offset=offset)
        assert page.rows == got[offset:offset + 5] and page.total == len(got)


# the question agency-activities as it read before its rows were stored: every agency's activities,
# tested for the year, sorted on names and dates
AGENCY_ACTIVITIES_PLAIN = PREFIXES + """
SELECT ?id ?name ?role ?what ?whatName ?date
WHERE {
  VALUES ?year { %(year)s }
  %(agency)s
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
  # the year test stays in the top-level group, where the parameter is bound
  BIND(xsd:integer(SUBSTR(STR(?d), 1, 4)) AS ?y)
  BIND(xsd:integer(SUBSTR(STR(?s), 1, 4)) AS ?ys)
  BIND(xsd:integer(SUBSTR(STR(?e), 1, 4)) AS ?ye)
  FILTER((BOUND(?y) && ?y = ?year) || (!BOUND(?y) && BOUND(?ys) && ?ys <= ?year && (!BOUND(?ye) || ?ye >= ?year)))
}
ORDER BY LCASE(?name) ?date
"""


def _activity_key(row: dict) -> tuple:
    return row["name"]["value"].lower(), row.get("date", {}).get("value", "")


@pytest.mark.parametrize("given", [{}, {"year": "2016"}, {"year": "2023"}, {"agency": "KNB", "year": "2016"}, {"year": "2010"},
                                   {"agency": "agency:government-of-kazakhstan", "year": "2015"}, {"year": "2019"}, {"year": "1995"}])
def test_agency_activities_equal_the_plain_question(engine, given):
    q = get_query("agency-activities")
    bound = bind(q, given, engine)
    agency = f"?id org:subOrganizationOf* <{bound['agency'].value}> ." if "agency" in given else ""
    expected = engine.query(AGENCY_ACTIVITIES_PLAIN % {"year": given.get("year", "2015"), "agency": agency}).rows
    got = run_named(engine, q, given).rows
    assert sorted(map(repr, got)) == sorted(map(repr, expected))
    # the same order: rows of one agency and date may come in either order
    assert [_activity_key(r) for r in got] == [_activity_key(r) for r in expected]
    assert len(got) > 0 or given.get("year") == "1995"
    for offset in {0, 3, max(len(got) - 2, 0)}:
        page = run_named(engine, q, given, limit=5, offset=offset)
        assert page.rows == got[offset:offset + 5] and page.total == len(got)


# the question repatriations as it read before its rows were stored: four branches, sorted on kind,
# date and name
REPATRIATIONS_PLAIN = PREFIXES + """
SELECT ?kind ?id ?name ?date ?figure ?comparator ?value ?category (GROUP_CONCAT(DISTINCT ?docId; separator=", ") AS ?documents)
WHERE {
  {
    # the rows: each branch finds its items with what they are sorted on; their documents are looked up
    # once the rows are chosen
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
  }
  # the documents of each row, from the mentions kg build computed (kg/aggregates.py): for a figure,
  # the documents of the spans that state it
  OPTIONAL { ?id kg:describedIn ?doc OPTIONAL { ?doc kg:documentId ?docId } FILTER(BOUND(?docId)) }
}
GROUP BY ?kind ?id ?name ?date ?figure ?comparator ?value ?category
ORDER BY ?kind STR(?date) ?name ?id ?value ?category ?comparator ?figure
"""


def test_repatriations_equal_the_plain_question(engine):
    q = get_query("repatriations")
    expected = engine.query(REPATRIATIONS_PLAIN).rows
    got = run_named(engine, q, {}).rows
    assert _norm(got) == _norm(expected)
    assert {r["kind"]["value"] for r in got} == {"repatriation", "figure", "rehabilitation center", "program"}
    for offset in (0, 3, len(got) - 2):
        page = run_named(engine, q, {}, limit=5, offset=offset)
        assert _norm(page.rows) == _norm(got[offset:offset + 5]) and page.total == len(got)


SMALL = """
@prefix kg: <https://w3id.org/kzkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/kzkg/id/> .
id:q1 skos:prefLabel "zeta quantity" . id:q2 skos:prefLabel "Alpha quantity" .
id:s1 a kg:Statistic ; kg:quantity id:q1 ; kg:value 5 ; kg:period "2015"^^xsd:gYear , "2016"^^xsd:gYear .
id:s2 a kg:Statistic ; kg:quantity id:q2 ; kg:value 7 ; schema:startDate "2010-01-01"^^xsd:date .
id:e1 kg:document id:d1 . id:d1 kg:documentId "001" .
id:e2 kg:document id:d2 . id:d2 kg:documentId "002" .
"""


def test_estimate_rows_of_a_statistic_with_two_periods_and_two_spans():
    """One row per statistic, span and period, in the order of the plain question, paged as it."""
    import pyoxigraph as ox

    from kg.aggregates_rows import quads
    from kg.store import OxigraphEngine

    store = ox.Store()
    store.load(SMALL.encode(), format=ox.RdfFormat.TURTLE)
    graphs = {"e1": "id:s1 a kg:Statistic ; kg:quantity id:q1 . id:s2 a kg:Statistic ; kg:quantity id:q2 .",
              "e2": "id:s1 a kg:Statistic ; kg:quantity id:q1 ."}
    for name, body in graphs.items():
        prefixes = "".join(line + "\n" for line in SMALL.splitlines() if line.startswith("@prefix"))
        store.load((prefixes + body).encode(), format=ox.RdfFormat.TURTLE,
                   to_graph=ox.NamedNode(f"https://w3id.org/kzkg/id/{name}"))
    store.extend(quads(store, "https://w3id.org/kzkg/id/aggregates#"))
    engine = OxigraphEngine.from_store(store)
    got = run_named(engine, get_query("estimates"), {})
    expected = _estimates_plain(engine, {})
    assert _norm(got.rows) == _norm(expected)
    shown = [(r["quantityName"]["value"], r.get("period", r.get("start"))["value"], r["docId"]["value"]) for r in got.rows]
    assert shown == [("Alpha quantity", "2010-01-01", "001"), ("zeta quantity", "2015", "001"), ("zeta quantity", "2015", "002"),
                     ("zeta quantity", "2016", "001"), ("zeta quantity", "2016", "002")]
    for offset in range(5):
        assert run_named(engine, get_query("estimates"), {}, limit=2, offset=offset).rows == got.rows[offset:offset + 2]


# a graph made here where the rows point to nodes with several values of what the questions show: an
# operation and an event with two dates, a statistic with two categories, two statistics giving the
# same cells, a figure dated by a start and an end, an agency stating a figure of two periods
SEVERAL = """
@prefix kg: <https://w3id.org/kzkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/kzkg/id/> .
id:e1 kg:document id:d1 . id:d1 kg:documentId "001" .
id:op1 a kg:Repatriation ; skos:prefLabel "Operation one" ; kg:date "2019"^^xsd:gYear ; schema:startDate "2018-12-01"^^xsd:date .
id:op2 a kg:Repatriation ; skos:prefLabel "Operation two" ; kg:date "2020"^^xsd:gYear .
id:q1 a kg:Quantity ; skos:prefLabel "Nationals repatriated" .
id:q2 a kg:Quantity ; skos:prefLabel "Returnees in camps" .
id:s1 a kg:Statistic ; kg:about id:op1 ; kg:quantity id:q1 ; kg:value 10 ; kg:category "children" , "women" ; kg:comparator "about" .
id:s2 a kg:Statistic ; kg:about id:op2 ; kg:quantity id:q1 ; kg:value 5 .
id:s3 a kg:Statistic ; kg:about id:op2 ; kg:quantity id:q1 ; kg:value 5 .
id:s4 a kg:Statistic ; kg:quantity id:q2 ; kg:value 7 ; schema:startDate "2019"^^xsd:gYear ; schema:endDate "2021"^^xsd:gYear .
id:s5 a kg:Statistic ; kg:quantity id:q2 ; kg:value 8 ; kg:period "2016"^^xsd:gYear , "2017"^^xsd:gYear ; kg:statedBy id:a1 .
id:c1 a kg:RehabilitationCenter ; skos:prefLabel "A center" ; kg:date "2015"^^xsd:gYear .
id:p1 a kg:Program ; skos:prefLabel "A programme" ; kg:addresses "rehabilitation of returnees" ; kg:date "2017"^^xsd:gYear , "2016"^^xsd:gYear .
id:a1 a kg:StateAgency ; skos:prefLabel "An agency" .
id:v1 skos:prefLabel "An event" ; kg:participant id:a1 ; kg:date "2016-05-01"^^xsd:date , "2016-06-01"^^xsd:date .
id:v2 skos:prefLabel "A second event" ; kg:organizer id:a1 ; schema:startDate "2015"^^xsd:gYear ; schema:endDate "2017"^^xsd:gYear .
"""


def _several_engine():
    """An engine over :data:`SEVERAL` (its statements also in the span id:e1) with the aggregates kg build adds."""
    import pyoxigraph as ox

    from kg.aggregates import compute
    from kg.store import OxigraphEngine

    store = ox.Store()
    store.load(SEVERAL.encode(), format=ox.RdfFormat.TURTLE)
    store.load(SEVERAL.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("https://w3id.org/kzkg/id/e1"))
    store.extend(compute(store))
    return OxigraphEngine.from_store(store)


def test_repatriation_rows_of_nodes_with_several_values():
    engine = _several_engine()
    q = get_query("repatriations")
    expected = engine.query(REPATRIATIONS_PLAIN).rows
    got = run_named(engine, q, {}).rows
    assert _norm(got) == _norm(expected)
    shown = [(r["kind"]["value"], r["name"]["value"], r.get("date", {}).get("value"), r.get("category", {}).get("value"))
             for r in got]
    assert shown == [("figure", "Returnees in camps", "2016", None), ("figure", "Returnees in camps", "2017", None),
                     ("figure", "Returnees in camps", "2019–2021", None),
                     ("program", "A programme", "2016", None), ("program", "A programme", "2017", None),
                     ("rehabilitation center", "A center", None, None),
                     ("repatriation", "Operation one", "2018-12-01", "children"), ("repatriation", "Operation one", "2018-12-01", "women"),
                     ("repatriation", "Operation one", "2019", "children"), ("repatriation", "Operation one", "2019", "women"),
                     ("repatriation", "Operation two", "2020", None)]
    for limit in (1, 2, 3):
        for offset in range(0, len(got) + 2):
            page = run_named(engine, q, {}, limit=limit, offset=offset)
            assert page.rows == got[offset:offset + limit] and page.total == len(got)


def test_agency_activities_of_nodes_with_several_values():
    engine = _several_engine()
    q = get_query("agency-activities")
    for year in ("2015", "2016", "2017"):
        expected = engine.query(AGENCY_ACTIVITIES_PLAIN % {"year": year, "agency": ""}).rows
        got = run_named(engine, q, {"year": year}).rows
        assert sorted(map(repr, got)) == sorted(map(repr, expected))
        assert [_activity_key(r) for r in got] == [_activity_key(r) for r in expected]
    got = run_named(engine, q, {"year": "2016"}).rows
    assert [(r["whatName"]["value"], r["date"]["value"]) for r in got] == [
        ("A second event", "2015"), ("Returnees in camps: 8", "2016"), ("An event", "2016-05-01"), ("An event", "2016-06-01")]


KG = "https://w3id.org/kzkg/ontology#"
OA = "http://www.w3.org/ns/oa#"
# what each kind of row may hold: links to nodes, ranks, years, kinds and roles, and the values that say
# which of several a row shows
ROW_PROPERTIES = {
    "repatriationRank": {KG + "rowRole", OA + "hasSource", KG + "rowObject", KG + "rowDate", KG + "rowCategory", KG + "rowComparator"},
    "activityRank": {OA + "hasSource", KG + "rowRole", KG + "rowObject", KG + "rowDate", KG + "firstYear", KG + "lastYear",
                     KG + "activityPlace"},  # its place among the default year's rows (kg/aggregates_places.py)
    "timelineRank": {OA + "hasSource", KG + "firstYear", KG + "lastYear", KG + "timelinePlace"},
    "estimateRank": {OA + "hasSource", OA + "hasScope", KG + "estimateOf", KG + "estimatePeriod", KG + "estimateStart"},
}


@pytest.mark.parametrize("rank", sorted(ROW_PROPERTIES))
def test_rows_point_to_the_graph_instead_of_copying_it(engine, rank):
    """A row holds its rank and links to nodes: no name, value or category of the graph; a date only to say
    which of several the row shows."""
    used = engine.query(PREFIXES + f"SELECT DISTINCT ?p WHERE {{ ?row kg:{rank} ?r ; ?p ?o }}").rows
    assert {r["p"]["value"] for r in used} <= ROW_PROPERTIES[rank] | {KG + rank}
    # a value stored on a row is one of several its node has
    chosen = engine.query(PREFIXES + f"""PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?row ?p (COUNT(DISTINCT ?other) AS ?n) WHERE {{
          VALUES (?p ?looked) {{ (kg:rowDate kg:date) (kg:rowDate schema:startDate) (kg:rowDate kg:period)
                                (kg:rowCategory kg:category) (kg:rowComparator kg:comparator)
                                (kg:estimatePeriod kg:period) (kg:estimateStart schema:startDate) }}
          ?row kg:{rank} ?r ; ?p ?value .
          {{ ?row kg:rowObject ?node }} UNION {{ ?row oa:hasSource ?node }}
          ?node ?looked ?other .
        }} GROUP BY ?row ?p""").rows
    assert all(int(r["n"]["value"]) > 1 for r in chosen)
