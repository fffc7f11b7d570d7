"""Pages by rank look-up (kg/paging.py, ``#+ rank`` lines): the same rows and totals as sorting the core."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.paging import MAX_LOOKUP, check_page_block, check_ranks, page_plan, rank_total, run_page
from kg.query import bind, load_queries, render, run_named
from kg.store import OxigraphEngine, Result

QUERIES = load_queries()
RANKED = sorted(name for name, q in QUERIES.items() if (plan := page_plan(q.text)) and plan.rank_pattern)


def _key(row):
    """A row with the items of each concatenated value sorted: SPARQL leaves the order of the items of a
    GROUP_CONCAT to the engine, and it follows the join order, which differs between a page and the whole."""
    return tuple(sorted((k, tuple(sorted(re.split(r" \| |, ", v["value"])))) for k, v in row.items()))


class Recording:
    """An engine that keeps the text of every query it answers."""

    def __init__(self, engine):
        self.engine, self.texts = engine, []

    def query(self, text, bindings=None, *, limit=None, offset=0):
        self.texts.append(text)
        return self.engine.query(text, bindings, limit=limit, offset=offset)


def test_the_listings_with_build_time_ranks_page_by_look_up():
    assert {"estimates", "people", "casualties", "disagreements", "timeline", "legal-acts", "rehabilitation-centers"} <= set(RANKED)


@pytest.mark.parametrize("name, given", [("legal-acts", {"from": "2015", "to": "2015"}), ("legal-acts", {"from": "1", "to": "9999"}),
                                         ("rehabilitation-centers", {"place": "place:aktobe"})])
def test_a_page_of_other_parameters_sorts_stored_ranks_not_names(engine, name, given):
    """With parameters other than the defaults the core is sorted, but it reads the rows' ranks (and years), no
    name or date: the order was stored by kg build (kg/aggregates_listings.py)."""
    q = QUERIES[name]
    core = page_plan(render(q, bind(q, given, engine))).core
    body = core[core.index("SELECT"):]
    assert "Rank ?rank" in body and not re.search(r"prefLabel|kg:date|startDate|GROUP_CONCAT|REGEX", body)
    recording = Recording(engine)
    page = run_named(recording, q, given, limit=3, offset=1)
    assert core in recording.texts
    assert [_key(r) for r in page.rows] == [_key(r) for r in run_named(engine, q, given).rows[1:4]]


@pytest.mark.parametrize("name", RANKED)
def test_the_ranks_of_the_defaults_are_one_to_n_one_row_each(engine, name):
    q = QUERIES[name]
    text = render(q, bind(q, {}, engine))
    assert check_ranks(engine, text) is None
    assert run_named(engine, q, {}, limit=1).total > 1


@pytest.mark.parametrize("name", RANKED)
def test_every_page_is_the_rows_of_the_sorted_whole_answer(engine, name):
    q = QUERIES[name]
    whole = [_key(r) for r in run_named(engine, q, {}).rows]
    core = page_plan(render(q, bind(q, {}, engine))).core
    for size in (1, 3, 10, 100, len(whole) - 1, len(whole), len(whole) + 5):
        pages = []
        for offset in range(0, len(whole) + 2 * size, size):
            recording = Recording(engine)
            page = run_named(recording, q, {}, limit=size, offset=offset)
            assert (page.total, page.offset) == (len(whole), offset), (size, offset)
            assert core not in recording.texts, "the core was sorted instead of looked up"
            pages += page.rows
        assert [_key(r) for r in pages] == whole, size


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(RANKED), size=st.integers(1, 120), offset=st.integers(0, 400))
def test_any_page_is_the_same_slice_of_the_whole_answer(engine, name, size, offset):
    q = QUERIES[name]
    whole = run_named(engine, q, {})
    page = run_named(engine, q, {}, limit=size, offset=offset)
    assert page.total == len(whole.rows) and page.variables == whole.variables
    assert [_key(r) for r in page.rows] == [_key(r) for r in whole.rows[offset:offset + size]]


def test_a_parameter_of_the_core_sorts_the_core_as_before(engine):
    q = QUERIES["estimates"]
    given_ = {"quantity": "quantity:kazakhstanis-in-syria-and-iraq"}
    recording = Recording(engine)
    page = run_named(recording, q, given_, limit=3, offset=2)
    assert page_plan(render(q, bind(q, given_, engine))).core in recording.texts
    assert [_key(r) for r in page.rows] == [_key(r) for r in run_named(engine, q, given_).rows[2:5]]


QUESTION = """PREFIX kg: <https://w3id.org/kzkg/ontology#>
SELECT ?row ?rank ?name WHERE {
  {  #+ page
    #+ rank ?rank: ?row kg:peopleRank ?rank .
    SELECT ?row ?rank WHERE { ?row kg:peopleRank ?rank . }
  }  #+ page end
  OPTIONAL { ?row kg:rowRole ?name }
}
ORDER BY ?rank
"""


def _engine(ranks):
    """An in-memory engine holding one row per rank given (``ex:rN kg:peopleRank N``)."""
    lines = [f'<http://example.org/r{i}-{r}> <https://w3id.org/kzkg/ontology#peopleRank> "{r}"'
             f'^^<http://www.w3.org/2001/XMLSchema#integer> .' for i, r in enumerate(ranks)]
    lines += [f'<http://example.org/r{i}-{r}> <https://w3id.org/kzkg/ontology#rowRole> "role {r}" .'
              for i, r in enumerate(ranks)]
    return OxigraphEngine(("\n".join(lines) + "\n").encode())


@pytest.mark.parametrize("n", [0, 1, 2, 63, 64, 65, 130, 1000, 4097])
def test_the_total_is_found_by_probing_whatever_n(n):
    engine = _engine(range(1, n + 1))
    plan = page_plan(QUESTION)
    assert rank_total(engine, plan) == n
    for limit, offset in ((1, 0), (10, 0), (10, max(0, n - 3)), (7, n), (7, n + 50), (MAX_LOOKUP, 0)):
        recording = Recording(engine)
        page = run_page(recording, QUESTION, limit, offset, defaults=QUESTION)
        assert page.total == n and [int(r["rank"]["value"]) for r in page.rows] == list(range(offset + 1, min(n, offset + limit) + 1))
        assert len(recording.texts) <= 8 and (page_plan(QUESTION).core in recording.texts) == (n == 0)


@pytest.mark.parametrize("ranks", [[1, 2, 4], [1, 2, 2, 3], [2, 3, 4], [1, 3]])
def test_check_ranks_finds_a_gap_or_a_tie(ranks):
    """What run_page relies on and tests/test_paging_ranks.py checks of every question: ranks 1..N, one row each."""
    assert "not 1.." in check_ranks(_engine(ranks), QUESTION)


@pytest.mark.parametrize("ranks, offset", [([1, 2, 2, 3], 0), ([1, 2, 2, 3], 1), ([1, 3, 4, 5], 0), ([1, 2, 5, 6], 1)])
def test_a_page_with_a_tie_or_a_gap_inside_falls_back_to_the_core(ranks, offset):
    engine = _engine(ranks)
    recording = Recording(engine)
    page = run_page(recording, QUESTION, 3, offset, defaults=QUESTION)
    assert page_plan(QUESTION).core in recording.texts and page.total == len(ranks)
    whole = engine.query(QUESTION)
    assert sorted(map(_key, page.rows)) == sorted(map(_key, whole.rows[offset:offset + 3]))


def test_without_the_defaults_or_beyond_the_longest_look_up_the_core_is_sorted():
    engine = _engine(range(1, 6))
    for defaults, limit in ((None, 2), (QUESTION.replace("{ ?row kg:peopleRank", "{ VALUES ?x { 1 } ?row kg:peopleRank"), 2), (QUESTION, MAX_LOOKUP + 1)):
        recording = Recording(engine)
        page = run_page(recording, QUESTION, limit, 1, defaults=defaults)
        assert page.total == 5 and page_plan(QUESTION).core in recording.texts


@pytest.mark.parametrize("line, message", [
    ("    #+ rank ?rank ?row kg:peopleRank ?rank .", "write the line '#+ rank ?RANK: PATTERN'"),
    ("    #+ rank ?rank: ?x kg:peopleRank ?rank .", "does not bind ?row"),
    ("    #+ rank ?place: ?row kg:peopleRank ?rank .", "does not bind ?place"),
])
def test_a_bad_rank_line_is_refused_with_its_line(line, message):
    text = QUESTION.replace("    #+ rank ?rank: ?row kg:peopleRank ?rank .", line)
    problem = check_page_block("q.rq", text)
    assert problem and problem.startswith("q.rq:4:") and message in problem


def test_a_rank_line_outside_the_core_or_in_an_if_block_is_refused():
    outside = QUESTION.replace("    #+ rank ?rank: ?row kg:peopleRank ?rank .\n", "") + "#+ rank ?rank: ?row kg:peopleRank ?rank .\n"
    assert "inside the page core" in check_page_block("q.rq", outside)
    inside_if = QUESTION.replace("    #+ rank", "    #+ if x\n    #+ rank").replace(
        "    SELECT ?row ?rank WHERE", "    #+ end\n    SELECT ?row ?rank WHERE")
    assert "inside an '#+ if' block" in check_page_block("q.rq", inside_if)
    assert check_page_block("q.rq", QUESTION) is None


def test_a_result_of_the_look_up_is_a_result_of_the_core_variables():
    engine = _engine(range(1, 4))
    page = run_page(engine, QUESTION, 2, 0, defaults=QUESTION)
    assert isinstance(page, Result) and page.variables == ["row", "rank", "name"]
    assert [r["name"]["value"] for r in page.rows] == ["role 1", "role 2"]
