"""Page-first listings (kg/paging.py): a page equals the same rows of the whole answer, with its total."""

import re

import pytest

from kg.cli import main
from kg.paging import check_page_block, page_plan
from kg.query import bind, load_queries, render, run_named

PAGED = sorted(name for name, q in load_queries().items() if page_plan(q.text))


def _key(row):
    """A row with the items of each concatenated value sorted: SPARQL leaves the order of the items of a
    GROUP_CONCAT to the engine, and it follows the join order, which differs between a page and the whole."""
    return tuple(sorted((k, tuple(sorted(re.split(r" \| |, ", v["value"])))) for k, v in row.items()))


def test_the_long_listings_are_paged():
    assert {"timeline", "estimates"} <= set(PAGED)


@pytest.mark.parametrize("name", PAGED)
def test_pages_are_the_rows_of_the_whole_answer(engine, name):
    q = load_queries()[name]
    whole = run_named(engine, q, {})
    size = max(3, len(whole.rows) // 4)
    pages = []
    for offset in range(0, len(whole.rows) + size, size):
        page = run_named(engine, q, {}, limit=size, offset=offset)
        assert page.total == len(whole.rows) and page.offset == offset and len(page.rows) <= size
        assert page.variables == whole.variables
        pages += page.rows
    assert [_key(r) for r in pages] == [_key(r) for r in whole.rows]


def test_a_page_looks_up_the_details_of_its_rows_only(engine):
    q = load_queries()["timeline"]
    plan = page_plan(render(q, bind(q, {}, engine)))
    assert "skos:prefLabel ?placeName" not in plan.core and "LIMIT" not in plan.core
    core = engine.query(plan.core, limit=2, offset=5)
    details = plan.details(core.variables, core.rows)
    assert details.count("VALUES (?id ?rank)") == 1 and "#+ page" not in details
    assert [r["id"] for r in engine.query(details).rows] == [r["id"] for r in core.rows]


@pytest.mark.parametrize("text, message", [
    ("SELECT ?a WHERE {\n  {  #+ page\n    SELECT ?a WHERE { ?a ?b ?c }\n  }  #+ page end\n}\nORDER BY ?name\n",
     "ORDER BY uses ?name, which the page core does not project"),
    ("SELECT ?a WHERE {\n  {  #+ page\n    SELECT ?a WHERE { ?a ?b ?c } LIMIT 3\n  }  #+ page end\n}\nORDER BY ?a\n",
     "own ORDER BY, LIMIT or OFFSET"),
    ("SELECT ?a WHERE {\n  {  #+ page\n    SELECT ?a WHERE { ?a ?b ?c }\n  }\n}\nORDER BY ?a\n", "'}  #+ page end'"),
    ("SELECT ?a WHERE {\n  {  #+ page\n    SELECT ?a WHERE { ?a ?b ?c }\n  }  #+ page end\n}\n", "ends with an ORDER BY"),
])
def test_a_misplaced_core_is_refused_with_its_line(text, message):
    problem = check_page_block("q.rq", text)
    assert problem and problem.startswith("q.rq:") and message in problem


def test_a_well_formed_core_passes():
    text = "SELECT ?a WHERE {\n  {  #+ page\n    SELECT ?a (MIN(?c) AS ?k) WHERE { ?a ?b ?c } GROUP BY ?a\n  }  #+ page end\n}\nORDER BY ?k ?a\n"
    assert check_page_block("q.rq", text) is None


def test_cli_prints_one_page_of_a_paged_question_with_the_total(capsys, built):
    whole = run_named(built.engine, load_queries()["timeline"], {})
    assert main(["query", "timeline", "--limit", "4", "--offset", "2", "-f", "tsv"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 5 and lines[0].split("\t")[4] == "id"
    assert [line.split("\t")[4] for line in lines[1:]] == [r["id"]["value"] for r in whole.rows[2:6]]
    assert f"(rows 3-6 of {len(whole.rows)};" in captured.err
