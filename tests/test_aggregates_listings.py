"""Build-time rows of legal acts and rehabilitation centers (kg/aggregates_listings.py): the questions that page on
them give what their plain SPARQL gives.

Each question is compared with its text as it read before the rows were stored (plain SPARQL that sorts the whole
answer), for its defaults and other parameter values, whole and a page at a time, on the curated graph and on a
small graph made here with the corner cases: an undated act, an act dated only by the year in its name, an act with
two dates, an act with a date and two start dates (rows the question's order leaves tied), an act of two kinds, an
act of a year outside the default years, an act whose date gives no year; a center in two cities of two regions, a
center whose city has no region, a center without a city, a city in two regions.

The plain question of centers concatenated the names of a center's cities and regions in the order the engine met
them, which differs between stores (the build's and the query's gave "Eurasia, Central Asia" and "Central Asia,
Eurasia"); the rows now hold them with their items sorted, and are sorted on them. So the centers are compared with
the items of each concatenation sorted, and in the order of the plain rows sorted on those cells.
"""

import re

import pytest
from test_aggregates_rows import PREFIXES as ROW_PREFIXES
from test_aggregates_rows import SEVERAL  # its Turtle prefixes and the span id:e1 of document 001

from kg.query import bind, get_query, run_named

PREFIXES = ROW_PREFIXES + """PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX sesame: <http://www.openrdf.org/schema/sesame#>
"""

# the question legal-acts as it read before its rows were stored (queries/legal-acts.rq of 1 December 2026)
LEGAL_ACTS_PLAIN = PREFIXES + """SELECT ?id ?name ?kind ?date ?start ?end
       (GROUP_CONCAT(DISTINCT ?topic; separator=" | ") AS ?addresses)
       (GROUP_CONCAT(DISTINCT ?adopter; separator=", ") AS ?adoptedBy)
       (GROUP_CONCAT(DISTINCT ?enforcer; separator=", ") AS ?enforcedBy)
       (GROUP_CONCAT(DISTINCT ?docId; separator=", ") AS ?documents)
WHERE {
  {  #+ page
    # the rows: the acts of the period, with their kind and dates (what they are sorted on)
    SELECT DISTINCT ?id ?name ?kind ?date ?start ?end WHERE {
      VALUES (?from ?to) { (%(from)s %(to)s) }
      VALUES ?cls { kg:Law kg:Amendment kg:CriminalCodeArticle kg:Policy kg:InternationalResolution kg:StateProgram kg:CooperationProgram kg:LegalAct kg:Program }
      # the most specific classes of each act, which kg build computed (sesame:directType, kg/aggregates.py)
      ?id sesame:directType ?cls .
      FILTER EXISTS { { ?id a kg:LegalAct } UNION { ?id a kg:Program } }
      ?id skos:prefLabel ?name .
      ?cls rdfs:label ?kind .
      OPTIONAL { ?id kg:date ?date }
      OPTIONAL { ?id schema:startDate ?start }
      OPTIONAL { ?id schema:endDate ?end }
      # no date: the first year written in the act's name ("Law on Countering Extremism of 2005")
      BIND(IF(REGEX(STR(?name), "(^|[^0-9])(1[89]|20)[0-9]{2}([^0-9]|$)"),
              REPLACE(STR(?name), "^.*?(^|[^0-9])((1[89]|20)[0-9]{2})([^0-9].*)?$", "$2"), ?unbound) AS ?nameYear)
      BIND(xsd:integer(COALESCE(SUBSTR(STR(COALESCE(?date, ?start, ?end)), 1, 4), ?nameYear)) AS ?year)
      # undated items are listed only when no year range is asked for
      FILTER((!BOUND(?year) && ?from = 1900 && ?to = 2100) || (?year >= ?from && ?year <= ?to))
    }
  }  #+ page end
  # the details of each row, looked up once the rows are chosen; documents from the mentions kg build
  # computed (kg/aggregates.py) (a nested OPTIONAL runs per row, a join would not)
  OPTIONAL { ?id kg:addresses ?topic }
  OPTIONAL { ?id kg:adoptedBy/skos:prefLabel ?adopter }
  OPTIONAL { ?id kg:enforcedBy|kg:operatedBy ?e OPTIONAL { ?e skos:prefLabel ?enforcer } FILTER(BOUND(?enforcer)) }
  OPTIONAL { ?id kg:describedIn ?doc OPTIONAL { ?doc kg:documentId ?docId } FILTER(BOUND(?docId)) }
}
GROUP BY ?id ?name ?kind ?date ?start ?end
ORDER BY COALESCE(STR(?date), STR(?start), "9999") ?name ?id ?kind
"""

# the question rehabilitation-centers as it read before its rows were stored
CENTERS_PLAIN = PREFIXES + """SELECT ?region ?city ?id ?name
       (GROUP_CONCAT(DISTINCT ?st; separator=" | ") AS ?status)
       (GROUP_CONCAT(DISTINCT ?fn; separator=" | ") AS ?functions)
       (GROUP_CONCAT(DISTINCT ?contact; separator=" | ") AS ?contacts)
       (GROUP_CONCAT(DISTINCT ?docId; separator=", ") AS ?documents)
WHERE {
  {  #+ page
    # the rows: the centers with their city and region (what they are sorted on)
    SELECT (GROUP_CONCAT(DISTINCT ?regionName; separator=", ") AS ?region) (GROUP_CONCAT(DISTINCT ?cityName; separator=", ") AS ?city) ?id ?name
    WHERE {
      %(place)s
      ?id a kg:RehabilitationCenter ; skos:prefLabel ?name .
      # each OPTIONAL starts with one pattern and nests the rest, so that it runs per center
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
    GROUP BY ?id ?name
  }  #+ page end
  # the details of each row, looked up once the rows are chosen; documents from the mentions kg build
  # computed (kg/aggregates.py) (a nested OPTIONAL runs per row, a join would not)
  OPTIONAL { ?id kg:status|kg:operationalStatus ?st }
  OPTIONAL { ?id kg:function ?fn }
  OPTIONAL {
    ?c kg:participant|kg:target ?id
    FILTER EXISTS { ?c a kg:Contact }
    OPTIONAL { ?c kg:date ?cd } OPTIONAL { ?c kg:outcome ?co }
    BIND(CONCAT(COALESCE(STR(?cd), "undated"), ": ", COALESCE(?co, "no outcome recorded")) AS ?contact)
  }
  OPTIONAL { ?id kg:mentionedIn ?doc OPTIONAL { ?doc kg:documentId ?docId } FILTER(BOUND(?docId)) }
}
GROUP BY ?region ?city ?id ?name
ORDER BY ?region ?city ?name ?id
"""

CONCATENATED = ("region", "city", "status", "functions", "contacts", "documents", "addresses", "adoptedBy", "enforcedBy")


def _cells(row: dict) -> tuple:
    """A row with the items of each concatenation sorted (SPARQL leaves their order to the engine)."""
    return tuple(sorted((k, tuple(sorted(re.split(r" \| |, ", v["value"]))) if k in CONCATENATED else v["value"],
                         v.get("xml:lang"), v.get("datatype")) for k, v in row.items()))


def _legal_acts_plain(engine, given: dict) -> list:
    return engine.query(LEGAL_ACTS_PLAIN % {"from": given.get("from", "1900"), "to": given.get("to", "2100")}).rows


def _act_key(row: dict) -> tuple:
    """The question's order: COALESCE(STR(?date), STR(?start), "9999") ?name ?id ?kind."""
    return (row.get("date", row.get("start", {"value": "9999"}))["value"], row["name"]["value"], row["id"]["value"],
            row["kind"]["value"])


def _check_legal_acts(engine, given: dict) -> list:
    """The question's rows against the plain question's: the same rows, in the same order (rows the order leaves
    tied, of one act and kind, in either order), and every page a slice of them with the total."""
    q = get_query("legal-acts")
    expected = _legal_acts_plain(engine, given)
    got = run_named(engine, q, given)
    assert got.variables == ["id", "name", "kind", "date", "start", "end", "addresses", "adoptedBy", "enforcedBy", "documents"]
    assert sorted(map(_cells, got.rows)) == sorted(map(_cells, expected))
    assert [_act_key(r) for r in got.rows] == [_act_key(r) for r in expected]
    for limit in (1, 2, 5):
        for offset in range(0, len(got.rows) + 2, 3 if len(got.rows) > 20 else 1):
            page = run_named(engine, q, given, limit=limit, offset=offset)
            assert page.rows == got.rows[offset:offset + limit] and page.total == len(got.rows), (limit, offset)
    return got.rows


@pytest.mark.parametrize("given", [{}, {"from": "2015", "to": "2015"}, {"from": "1900", "to": "2100"}, {"from": "1", "to": "9999"},
                                   {"from": "2005", "to": "2016"}, {"from": "1992", "to": "1992"}, {"from": "2101", "to": "9999"},
                                   {"from": "1900", "to": "2099"}])
def test_legal_acts_equal_the_plain_question(engine, given):
    rows = _check_legal_acts(engine, given)
    assert len(rows) > (50 if not given or given == {"from": "1900", "to": "2100"} else 0) or given["from"] == "2101"


def _place(engine, given: dict) -> str:
    if "place" not in given:
        return ""
    iri = bind(get_query("rehabilitation-centers"), given, engine)["place"].value
    return f"<{iri}> ^schema:containedInPlace*/(^kg:basedIn|^kg:activeIn) ?id ."


def _center_key(cells: tuple) -> tuple:
    """ORDER BY ?region ?city ?name ?id on rows of :func:`_cells` (an unbound cell first)."""
    found = {k: (", ".join(v) if isinstance(v, tuple) else v) for k, v, *_ in cells}
    return tuple((k in found, found.get(k, "")) for k in ("region", "city", "name", "id"))


def _check_centers(engine, given: dict) -> list:
    q = get_query("rehabilitation-centers")
    expected = [_cells(r) for r in engine.query(CENTERS_PLAIN % {"place": _place(engine, given)}).rows]
    got = run_named(engine, q, given)
    assert got.variables == ["region", "city", "id", "name", "status", "functions", "contacts", "documents"]
    assert [_cells(r) for r in got.rows] == sorted(expected, key=_center_key)
    for limit in (1, 2, 7):
        for offset in range(len(got.rows) + 2):
            page = run_named(engine, q, given, limit=limit, offset=offset)
            assert page.rows == got.rows[offset:offset + limit] and page.total == len(got.rows), (limit, offset)
    return got.rows


@pytest.mark.parametrize("given", [{}, {"place": "place:aktobe"}, {"place": "place:kazakhstan"}, {"place": "place:almaty"},
                                   {"place": "place:central-asia"}])
def test_rehabilitation_centers_equal_the_plain_question(engine, given):
    rows = _check_centers(engine, given)
    assert len(rows) > (30 if not given else 0)


def test_the_cities_and_regions_shown_are_those_sorted_on():
    """A page shows the concatenations it is sorted on, their items in sorted order."""
    import pyoxigraph as ox

    from kg.aggregates_listings import concatenation

    assert concatenation([ox.Literal("Zhezkazgan", language="en"), ox.Literal("Almaty", language="en"),
                          ox.Literal("Almaty", language="en")]) == ox.Literal("Almaty, Zhezkazgan", language="en")
    assert concatenation([ox.Literal("b", language="en"), ox.Literal("a", language="kk")]) == ox.Literal("a, b")
    assert concatenation([ox.Literal("a", language="en"), None]) is None


# a graph made here with the corner cases of both questions (with the ontology, for the classes and their labels)
SMALL = "".join(line + "\n" for line in SEVERAL.splitlines()[:7]) + """id:undated a kg:Law , kg:LegalAct ; skos:prefLabel "Undated law"@en ; kg:addresses "extremism" .
id:named a kg:Policy , kg:LegalAct ; skos:prefLabel "Policy of 2011 on schools"@en .
id:named2 a kg:Policy , kg:LegalAct ; skos:prefLabel "Decree 1850 on land"@en .
id:twodates a kg:Amendment , kg:LegalAct ; skos:prefLabel "Amendment of two dates"@en ;
    kg:date "2016"^^xsd:gYear , "2014-05"^^xsd:gYearMonth .
id:tied a kg:StateProgram , kg:Program ; skos:prefLabel "Program with two starts"@en ; kg:date "2015"^^xsd:gYear ;
    schema:startDate "2015-01-01"^^xsd:date , "2015-06-01"^^xsd:date ; schema:endDate "2017"^^xsd:gYear , "2018"^^xsd:gYear .
id:twokinds a kg:Law , kg:CooperationProgram , kg:LegalAct , kg:Program ; skos:prefLabel "Law and programme"@en ;
    kg:date "2015"^^xsd:gYear .
id:old a kg:Law , kg:LegalAct ; skos:prefLabel "Old statute"@en ; kg:date "1850"^^xsd:gYear .
id:rough a kg:Law , kg:LegalAct ; skos:prefLabel "Statute of the 2010s"@en ; kg:date "c. 2012" .
id:ended a kg:Policy , kg:LegalAct ; skos:prefLabel "A policy ended in 2019"@en ; schema:endDate "2019"^^xsd:gYear .
id:r1 a kg:Region ; skos:prefLabel "Zeta Region"@en . id:r2 a kg:Region ; skos:prefLabel "Alpha Region"@en .
id:r3 a kg:Region ; skos:prefLabel "Beta Region"@en .
id:town1 a kg:City ; skos:prefLabel "Zhezkazgan"@en ; schema:containedInPlace id:r1 .
id:town2 a kg:City ; skos:prefLabel "Almaty"@en ; schema:containedInPlace id:r2 .
id:town3 a kg:City ; skos:prefLabel "Kokshetau"@en ; schema:containedInPlace id:r2 , id:r3 .
id:town4 a kg:City ; skos:prefLabel "Astana"@en .
id:c1 a kg:RehabilitationCenter ; skos:prefLabel "Center in two cities"@en ; kg:basedIn id:town1 ; kg:activeIn id:town2 ;
    kg:status "active" .
id:c2 a kg:RehabilitationCenter ; skos:prefLabel "Center in a city of two regions"@en ; kg:basedIn id:town3 .
id:c3 a kg:RehabilitationCenter ; skos:prefLabel "Center without a region"@en ; kg:basedIn id:town4 , id:town2 .
id:c4 a kg:RehabilitationCenter ; skos:prefLabel "Center without a city"@en ; kg:function "counselling" .
id:c5 a kg:RehabilitationCenter ; skos:prefLabel "A center in Almaty"@en ; kg:basedIn id:town2 .
"""


@pytest.fixture(scope="module")
def small(root):
    """An engine over :data:`SMALL` and the ontology (its statements also in the span id:e1), with the aggregates."""
    import pyoxigraph as ox

    from kg.aggregates import compute
    from kg.store import OxigraphEngine

    store = ox.Store()
    store.load(path=str(root / "ontology" / "kg.ttl"), format=ox.RdfFormat.TURTLE)
    store.load(SMALL.encode(), format=ox.RdfFormat.TURTLE)
    store.load(SMALL.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("https://w3id.org/kzkg/id/e1"))
    store.extend(compute(store))
    return OxigraphEngine.from_store(store)


def _shown(rows: list, *names) -> list:
    return [tuple(r[n]["value"] if n in r else None for n in names) for r in rows]


def test_legal_acts_of_the_corner_cases(small):
    rows = _check_legal_acts(small, {})
    # an act of a year outside the default years (of its date, or of its name) is not listed with them; a date
    # that gives no year is listed as undated, after the dated ones (its text sorts after "9999")
    assert _shown(rows, "name", "kind", "date", "start", "end") == [
        ("Amendment of two dates", "amendment", "2014-05", None, None),
        ("Law and programme", "cooperation program", "2015", None, None),
        ("Law and programme", "law", "2015", None, None),
        ("Program with two starts", "state program", "2015", "2015-01-01", "2017"),
        ("Program with two starts", "state program", "2015", "2015-01-01", "2018"),
        ("Program with two starts", "state program", "2015", "2015-06-01", "2017"),
        ("Program with two starts", "state program", "2015", "2015-06-01", "2018"),
        ("Amendment of two dates", "amendment", "2016", None, None),
        ("A policy ended in 2019", "policy or regulation", None, None, "2019"),
        ("Policy of 2011 on schools", "policy or regulation", None, None, None),
        ("Undated law", "law", None, None, None),
        ("Statute of the 2010s", "law", "c. 2012", None, None)]
    # the years asked for: of the date, else the start or end date, else the name; rows without one only with the defaults
    assert _shown(_check_legal_acts(small, {"from": "2011", "to": "2015"}), "name", "date") == [
        ("Amendment of two dates", "2014-05"), ("Law and programme", "2015"), ("Law and programme", "2015")] + [
        ("Program with two starts", "2015")] * 4 + [("Policy of 2011 on schools", None)]
    assert _shown(_check_legal_acts(small, {"from": "1800", "to": "1899"}), "name") == [("Old statute",), ("Decree 1850 on land",)]
    assert _shown(_check_legal_acts(small, {"from": "2019", "to": "2030"}), "name") == [("A policy ended in 2019",)]
    assert len(_check_legal_acts(small, {"from": "1900", "to": "2099"})) == 10  # the dated rows, not the undated
    for given in ({"from": "1900", "to": "2100"}, {"from": "2016", "to": "2016"}, {"from": "1", "to": "9999"}, {"from": "2012", "to": "2012"}):
        _check_legal_acts(small, given)


def test_rehabilitation_centers_of_the_corner_cases(small):
    rows = _check_centers(small, {})
    assert _shown(rows, "region", "city", "name", "status") == [
        (None, None, "Center without a city", None),
        (None, "Almaty, Astana", "Center without a region", None),
        ("Alpha Region", "Almaty", "A center in Almaty", None),
        ("Alpha Region, Beta Region", "Kokshetau", "Center in a city of two regions", None),
        ("Alpha Region, Zeta Region", "Almaty, Zhezkazgan", "Center in two cities", "active")]
    assert all(r["city"]["xml:lang"] == "en" for r in rows if "city" in r)
    assert _shown(_check_centers(small, {"place": "Alpha Region"}), "name") == [
        ("Center without a region",), ("A center in Almaty",), ("Center in a city of two regions",), ("Center in two cities",)]
    assert _shown(_check_centers(small, {"place": "Astana"}), "name") == [("Center without a region",)]
    assert _check_centers(small, {"place": "Beta Region"})


KG = "https://w3id.org/kzkg/ontology#"
OA = "http://www.w3.org/ns/oa#"
# what each kind of row may hold: links, ranks, years, and the values that say which of several a row shows
ROW_PROPERTIES = {
    "legalActRank": {OA + "hasSource", KG + "firstYear", KG + "lastYear", KG + "legalActPlace", KG + "rowDate", KG + "rowStartDate",
                     KG + "rowEndDate", KG + "rowClass"},
    "centerRank": {OA + "hasSource", KG + "rowRegion", KG + "rowCity"},
}


@pytest.mark.parametrize("rank", sorted(ROW_PROPERTIES))
@pytest.mark.parametrize("graph", ["curated", "small"])
def test_rows_point_to_the_graph(request, graph, rank):
    """A row holds its rank and links to nodes; a date or class only to say which of several its act has."""
    engine = request.getfixturevalue("engine" if graph == "curated" else "small")
    used = engine.query(PREFIXES + f"SELECT DISTINCT ?p WHERE {{ ?row kg:{rank} ?r ; ?p ?o }}").rows
    assert {r["p"]["value"] for r in used} <= ROW_PROPERTIES[rank] | {KG + rank}
    chosen = engine.query(PREFIXES + f"""SELECT ?row ?p (COUNT(DISTINCT ?other) AS ?n) WHERE {{
          VALUES (?p ?looked) {{ (kg:rowDate kg:date) (kg:rowStartDate schema:startDate) (kg:rowEndDate schema:endDate)
                                (kg:rowClass sesame:directType) }}
          ?row kg:{rank} ?r ; ?p ?value ; oa:hasSource ?node .
          ?node ?looked ?other .
        }} GROUP BY ?row ?p""").rows
    assert all(int(r["n"]["value"]) > 1 for r in chosen)
    if graph == "small" and rank == "legalActRank":
        assert {r["p"]["value"].rsplit("#")[1] for r in chosen} == {"rowDate", "rowStartDate", "rowEndDate", "rowClass"}


def test_the_classes_of_legal_acts_are_those_of_the_question():
    from kg.aggregates_listings import LEGAL_ACT_CLASSES, LEGAL_ACT_ROWS

    text = get_query("legal-acts").text
    listed = re.search(r"FILTER\(\?cls IN \(([^)]*)\)\)", text).group(1).replace(",", " ").split()
    assert listed == ["kg:" + name for name in LEGAL_ACT_CLASSES]
    assert re.search(r"VALUES \?cls \{([^}]*)\}", LEGAL_ACTS_PLAIN).group(1).split() == listed
    # the year is found as the question found it before (the year written in the name)
    name_year = re.search(r"BIND\(IF\(REGEX.*?AS \?nameYear\)", LEGAL_ACTS_PLAIN, re.DOTALL).group(0)
    assert " ".join(name_year.split()) in " ".join(LEGAL_ACT_ROWS.split())
