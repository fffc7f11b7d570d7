"""Places of the timeline rows (kg/aggregates_places.py): the rows of the question, for its default years, in order."""

import pyoxigraph as ox

from kg.aggregates import AGGREGATES, KG, OA, integer
from kg.aggregates_places import activity_places, default_years, timeline_places
from kg.query import bind, load_queries, render, run_named

PREFIXES = """PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""


def test_the_years_are_the_defaults_of_the_questions():
    queries = load_queries()
    assert default_years("timeline", "from", "to") == tuple(int(queries["timeline"].param(n).default) for n in ("from", "to"))
    year = int(queries["agency-activities"].param("year").default)
    assert default_years("agency-activities", "year", "year") == (year, year)


def test_a_missing_question_or_default_gives_no_years(tmp_path):
    assert default_years("timeline", "from", "to", tmp_path) is None
    assert default_years("agency-activities", "year", "agency") is None
    assert timeline_places([], None) == [] and activity_places([], None) == []


def _entry(name, entity, rank, first, last, rank_property="timelineRank"):
    node, graph = ox.NamedNode(AGGREGATES + name), ox.DefaultGraph()
    return [ox.Quad(node, ox.NamedNode(OA + "hasSource"), ox.NamedNode("http://example.org/" + entity), graph),
            ox.Quad(node, ox.NamedNode(KG + rank_property), integer(rank), graph),
            ox.Quad(node, ox.NamedNode(KG + "firstYear"), integer(first), graph)] + (
           [] if last is None else [ox.Quad(node, ox.NamedNode(KG + "lastYear"), integer(last), graph)])


def test_each_entity_is_placed_once_at_its_lowest_rank_in_the_years():
    quads = (_entry("a-early", "a", 1, 1980, 1985) + _entry("a-late", "a", 4, 2000, 2001) + _entry("a-later", "a", 6, 2002, 2002)
             + _entry("b", "b", 2, 1985, 1995) + _entry("c", "c", 5, 2031, 2040) + _entry("d", "d", 3, 2030, 2030))
    # a node of another listing with some of the same properties is not an entry
    quads.append(ox.Quad(ox.NamedNode(AGGREGATES + "activity"), ox.NamedNode(KG + "firstYear"), integer(2000), ox.DefaultGraph()))
    places = {q.subject.value.rsplit("#", 1)[1]: int(q.object.value) for q in timeline_places(quads, (1990, 2030))}
    assert places == {"b": 1, "d": 2, "a-late": 3}
    assert {q.subject.value.rsplit("#", 1)[1] for q in timeline_places(quads, (1900, 2100))} == {"a-early", "b", "d", "c"}


def test_the_places_are_the_rows_of_the_question_as_plain_sparql(engine):
    """The timeline.rq file run whole (no page) lists the entities in the order of their places."""
    whole = run_named(engine, load_queries()["timeline"], {})
    placed = engine.query(PREFIXES + "SELECT ?id ?place WHERE { ?e kg:timelinePlace ?place ; oa:hasSource ?id } ORDER BY ?place")
    assert [int(r["place"]["value"]) for r in placed.rows] == list(range(1, len(whole.rows) + 1))
    assert [r["id"]["value"] for r in placed.rows] == [r["id"]["value"] for r in whole.rows]


def test_each_activity_row_of_the_year_is_placed():
    quads = (_entry("a1", "knb", 9, 2015, 2015, "activityRank") + _entry("a2", "knb", 3, 2010, None, "activityRank")
             + _entry("a3", "knb", 5, 2016, None, "activityRank") + _entry("a4", "mvd", 4, 2013, 2014, "activityRank")
             + _entry("a5", "mvd", 7, 2014, 2016, "activityRank") + _entry("t", "knb", 1, 2015, 2015))
    places = {q.subject.value.rsplit("#", 1)[1]: int(q.object.value) for q in activity_places(quads, 2015)}
    assert places == {"a2": 1, "a5": 2, "a1": 3}


def test_the_activity_places_are_the_rows_of_the_question_as_plain_sparql(engine):
    """agency-activities.rq run whole lists the rows of its default year in the order of their places."""
    q = load_queries()["agency-activities"]
    text = render(q, bind(q, {}, engine)).replace("SELECT ?id ?name", "SELECT ?row ?id ?name", 1)
    whole = engine.query(text)
    placed = engine.query(PREFIXES + "SELECT ?row ?place WHERE { ?row kg:activityPlace ?place } ORDER BY ?place")
    assert len(whole.rows) > 5
    assert [int(r["place"]["value"]) for r in placed.rows] == list(range(1, len(whole.rows) + 1))
    assert [r["row"]["value"] for r in placed.rows] == [r["row"]["value"] for r in whole.rows]
