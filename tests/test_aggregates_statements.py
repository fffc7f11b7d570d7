"""Statement groups and bands (kg/aggregates_statements.py): where each block of the question of
corroborated statements starts, checked against plain SPARQL, and every page of several windows of
document counts against the sorted whole answer, found without sorting the core."""

import re
from collections import Counter

import pyoxigraph as ox
import pytest

from kg.aggregates import corroborations
from kg.aggregates_statements import _PREFIXES as PREFIXES, quads, window
from kg.paging import page_plan
from kg.query import bind, get_query, render, run_named
from kg.store import OxigraphEngine
from test_paging_ranks import Recording

# every statement the question lists with min=1 (plain SPARQL over the quads), in the question's order
ORDERED = PREFIXES + """
SELECT ?s ?documents (LCASE(?subjectName) AS ?key) WHERE {
  {
    SELECT ?s ?p ?o (COUNT(DISTINCT ?doc) AS ?documents) WHERE {
      GRAPH ?ev { ?s ?p ?o }
      FILTER(?p NOT IN (rdf:type, skos:altLabel, rdf:subject, rdf:predicate, rdf:object))
      FILTER(isIRI(?s) && !STRSTARTS(STR(?s), "https://w3id.org/kzkg/id/node/"))
      ?ev kg:document ?doc . ?doc kg:documentId ?docId .
    }
    GROUP BY ?s ?p ?o
  }
  OPTIONAL { ?s skos:prefLabel ?sl } OPTIONAL { ?p rdfs:label ?pl }
  BIND(COALESCE(?sl, STR(?s)) AS ?subjectName)
  BIND(COALESCE(?pl, STR(?p)) AS ?property)
}
ORDER BY DESC(?documents) LCASE(?subjectName) ?property ?s ?p ?o
"""


def _key(row):
    """A row with the items of its concatenated documents sorted (their order is the engine's)."""
    return tuple(sorted((k, tuple(sorted(v["value"].split(", ")))) for k, v in row.items()))


def _term(t: dict):
    return (t["value"], t.get("xml:lang"))


def test_each_group_starts_where_the_sorted_answer_changes_count_or_subject_name(engine):
    starts, bands, last = {}, Counter(), None
    for place, row in enumerate(engine.query(ORDERED).rows, 1):
        block = (row["documents"]["value"], _term(row["key"]))
        if block != last:
            starts[place], last = set(), block
        starts[max(starts)].add(row["s"]["value"])
        bands[int(row["documents"]["value"])] += 1
    stored = {}
    for row in engine.query(PREFIXES + "SELECT ?k ?s WHERE { ?g kg:statementRank ?k ; kg:statementSubject ?s }").rows:
        stored.setdefault(int(row["k"]["value"]), set()).add(row["s"]["value"])
    assert stored == starts
    counted = {int(r["c"]["value"]): int(r["n"]["value"]) for r in engine.query(
        PREFIXES + "SELECT ?c ?n WHERE { ?b <http://rdfs.org/ns/void#triples> ?n ; kg:documentCount ?c }").rows}
    assert counted == dict(bands)
    assert bands[1] > 5000 and max(bands) >= 4  # most statements rest on one document; some on four or more
    assert len(starts) < bands[1] / 3  # groups, not statements: a few quads per subject


@pytest.mark.parametrize("given", [{}, {"min": "1"}, {"min": "1", "max": "1"}, {"min": "2", "max": "2"},
                                   {"min": "3", "max": "4"}, {"min": "1", "max": "3"}, {"min": "40"}])
def test_every_page_of_a_window_is_the_rows_of_the_sorted_whole_answer(engine, given):
    q = get_query("corroborated-statements")
    whole = [_key(r) for r in run_named(engine, q, given).rows]
    core = page_plan(render(q, bind(q, given, engine))).core
    sizes = (100, 997, len(whole) + 5) if len(whole) > 1000 else (1, 3, 10, len(whole) - 1, len(whole), len(whole) + 5)
    for size in [s for s in sizes if s > 0]:
        pages = []
        for offset in range(0, len(whole) + 2 * size, size):
            recording = Recording(engine)
            page = run_named(recording, q, given, limit=min(size, 1000), offset=offset)
            assert (page.total, page.offset) == (len(whole), offset), (size, offset)
            assert core not in recording.texts, "the core was sorted instead of looked up"
            pages += page.rows
            if size > 1000:
                break
        assert [_key(r) for r in pages] == (whole if size <= 1000 else whole[:1000]), size


def test_small_pages_across_the_edges_of_bands_and_groups(engine):
    q = get_query("corroborated-statements")
    given = {"min": "1"}
    whole = [_key(r) for r in run_named(engine, q, given).rows]
    places = sorted(int(r["k"]["value"]) for r in engine.query(PREFIXES + "SELECT ?k WHERE { ?g kg:statementRank ?k }").rows)
    for start in places[:3] + places[len(places) // 2:len(places) // 2 + 3] + places[-3:] + [41, 42, len(whole) - 1]:
        for size in (1, 2, 7):
            offset = max(0, start - 2)  # the page starts a row before the group's first row
            page = run_named(engine, q, given, limit=size, offset=offset)
            assert [_key(r) for r in page.rows] == whole[offset:offset + size], (start, size)


def test_the_window_is_read_from_the_bind_line():
    q = get_query("corroborated-statements")
    engine = OxigraphEngine(b"")
    assert window(page_plan(render(q, bind(q, {"min": "1", "max": "7"}, engine))).core) == (1, 7)
    assert window(page_plan(render(q, bind(q, {}, engine))).core) == (2, 99)


def _small(extra: str = "") -> OxigraphEngine:
    """A store of three documents and their spans, with the corroborations, statement groups and bands kg build adds."""
    docs = "".join(f"<{ID}d{i}> <{KG}document> <{ID}doc{i}> .\n<{ID}doc{i}> <{KG}documentId> \"00{i}\" .\n"
                   for i in range(3))
    text = (docs + f"<{ID}a> <{KG}memberOf> <{ID}b> <{ID}d0> .\n<{ID}a> <{KG}memberOf> <{ID}b> <{ID}d1> .\n"
            f"<{ID}a> <{KG}tiedTo> <{ID}c> <{ID}d0> .\n<{ID}b> <{KG}tiedTo> <{ID}c> <{ID}d2> .\n"
            f"<{ID}c> <{KG}tiedTo> <{ID}a> <{ID}d2> .\n"
            f"<{ID}a> <{SKOS}prefLabel> \"Alpha\"@en .\n<{ID}b> <{SKOS}prefLabel> \"alpha\"@en .\n" + extra)
    store = ox.Store()
    store.load(input=text.encode(), format=ox.RdfFormat.N_QUADS)
    store.extend(corroborations(store) + quads(store, ID + "aggregates#"))
    return OxigraphEngine(store=store)


ID, KG = "https://w3id.org/kzkg/id/", "https://w3id.org/kzkg/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


@pytest.mark.parametrize("extra", ["", f"<{ID}d> <{KG}tiedTo> <{ID}a> <{ID}d1> .\n<{ID}d> <{KG}tiedTo> <{ID}b> <{ID}d1> .\n"
                                   f"<{ID}d> <{SKOS}prefLabel> \"Zeta\"@en .\n<{ID}d> <{SKOS}prefLabel> \"Beta\"@kk .\n"])
def test_two_subjects_of_one_name_are_one_block_and_a_subject_of_two_names_is_sorted(extra):
    engine = _small(extra)
    q = get_query("corroborated-statements")
    whole = [_key(r) for r in run_named(engine, q, {"min": "1"}).rows]
    assert len(whole) == (8 if extra else 4)  # d named twice: each of its rows twice, in two blocks
    for size in (1, 2, 3):
        pages = []
        for offset in range(0, len(whole) + size, size):
            pages += run_named(engine, q, {"min": "1"}, limit=size, offset=offset).rows
        assert [_key(r) for r in pages] == whole


def test_a_store_built_without_bands_sorts_the_core(engine):
    store = ox.Store()
    store.extend(q for q in engine.store.quads_for_pattern(None, None, None)
                 if not re.search(r"aggregates#(documents|statements)-", q.subject.value if hasattr(q.subject, "value") else ""))
    bare = OxigraphEngine(store=store)
    q = get_query("corroborated-statements")
    page = run_named(bare, q, {"min": "1"}, limit=50, offset=100)
    assert [_key(r) for r in page.rows] == [_key(r) for r in run_named(engine, q, {"min": "1"}, limit=50, offset=100).rows]
    assert page.total == run_named(engine, q, {"min": "1"}, limit=1).total


# the groups' query as it read before the statements were counted per subject first (round 4)
_GROUPS_PER_STATEMENT = PREFIXES + """SELECT ?documents ?subjectKey ?s (COUNT(*) AS ?rows) WHERE {
  { SELECT ?s ?p ?o (COUNT(DISTINCT ?doc) AS ?documents) WHERE { ?ev kg:document ?doc . GRAPH ?ev { ?s ?p ?o } FILTER(isIRI(?s)) }
    GROUP BY ?s ?p ?o }
  FILTER(?p NOT IN (rdf:type, skos:altLabel, rdf:subject, rdf:predicate, rdf:object))
  FILTER(!STRSTARTS(STR(?s), "https://w3id.org/kzkg/id/node/"))
  OPTIONAL { ?s skos:prefLabel ?sl }
  BIND(COALESCE(?sl, STR(?s)) AS ?subjectName)
  BIND(LCASE(?subjectName) AS ?subjectKey)
}
GROUP BY ?documents ?subjectKey ?s
ORDER BY DESC(?documents) ?subjectKey ?s
"""


@pytest.mark.parametrize("extra", ["", f"<{ID}d> <{KG}tiedTo> <{ID}a> <{ID}d1> .\n<{ID}d> <{KG}tiedTo> <{ID}b> <{ID}d1> .\n"
                                   f"<{ID}d> <{KG}tiedTo> <{ID}c> <{ID}d2> .\n<{ID}d> <{KG}tiedTo> <{ID}c> <{ID}d0> .\n"
                                   f"<{ID}d> <{SKOS}prefLabel> \"Zeta\"@en .\n<{ID}d> <{SKOS}prefLabel> \"Beta\"@kk .\n"
                                   f"<{ID}node/q1> <{KG}tiedTo> <{ID}a> <{ID}d1> .\n"
                                   f"<{ID}e> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KG}Group> <{ID}d1> .\n"])
def test_the_groups_counted_per_subject_first_are_those_counted_per_statement(extra):
    from kg.aggregates_statements import STATEMENT_GROUPS

    store = _small(extra).store
    rows = lambda text: [tuple(row) for row in store.query(text)]  # noqa: E731
    assert rows(STATEMENT_GROUPS) == rows(_GROUPS_PER_STATEMENT)
    assert len(rows(STATEMENT_GROUPS)) == (8 if extra else 4)


def test_the_groups_of_the_curated_graph_are_those_counted_per_statement(engine):
    from kg.aggregates_statements import STATEMENT_GROUPS

    rows = lambda text: [tuple(r[k]["value"] for k in ("documents", "subjectKey", "s", "rows"))  # noqa: E731
                         for r in engine.query(text).rows]
    assert rows(STATEMENT_GROUPS) == rows(_GROUPS_PER_STATEMENT)
