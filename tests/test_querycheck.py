"""The add-a-query rules are checked when a query file is read, and a broken file says what to change."""

import re
import shutil

import pytest

from kg.query import get_query, load_queries, parse_query_file
from kg.querycheck import check_query_file, check_query_text
from kg.store import QueryError

HEADER = """#+ summary: Which entities does a document mention?
#+ params:
#+   - document: document; the document; default 003
#+   - kind: class; only entities of this class; optional
PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
GOOD = HEADER + """SELECT ?id (COUNT(DISTINCT ?ev) AS ?spans) ?document ?kind
WHERE {
  ?ev kg:document ?document . GRAPH ?ev { ?id ?p ?o }
  FILTER(?kind = kg:any || EXISTS { ?id a ?kind })   # ?unused in a comment is ignored
}
GROUP BY ?id ?document ?kind
"""


def test_every_query_of_the_library_follows_the_rules(root):
    files = sorted((root / "queries").rglob("*.rq"))
    assert len(files) > 20
    assert {str(f): check_query_file(f) for f in files} == {str(f): [] for f in files}


def test_a_correct_query_passes():
    assert check_query_text(GOOD, ["document", "kind"]) == []


@pytest.mark.parametrize("broken, expected", [
    (GOOD.replace("?document ?kind\nWHERE", "?document\nWHERE"),
     "q:7: parameter ?kind is not projected: add ?kind to the SELECT clause"),
    (GOOD.replace("GROUP BY ?id ?document ?kind", "GROUP BY ?id ?kind"),
     "q:12: parameter ?document is not grouped: add it to GROUP BY"),
    (GOOD.replace("SELECT ?id (COUNT(DISTINCT ?ev) AS ?spans) ?document ?kind", "SELECT ?id (COUNT(DISTINCT ?ev) AS ?kind) ?document")
         .replace("GROUP BY ?id ?document ?kind", "GROUP BY ?id ?document"),
     "q:12: parameter ?kind is not grouped: add it to GROUP BY"),
    (GOOD.replace("FILTER(?kind = kg:any || EXISTS { ?id a ?kind })",
                  "{ SELECT ?id WHERE { ?id a ?kind } }"),
     "q:8: parameter ?kind is not used in the top-level WHERE group (a sub-select, SELECT or GROUP BY does not count)"),
    (GOOD.replace("FILTER(?kind = kg:any || EXISTS { ?id a ?kind })", "").replace("?kind", "").replace("#+   - kind", "#+   - kind"),
     "q:1: parameter kind is declared but ?kind is not in the query"),
])
def test_each_broken_rule_says_what_to_change(broken, expected):
    problems = check_query_text(broken, ["document", "kind"], "q")
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected)
    assert "every parameter must be" in problems[0] or "remove its" in problems[0]


def test_strings_and_iris_do_not_count_as_variables():
    text = GOOD.replace("FILTER(?kind = kg:any || EXISTS { ?id a ?kind })", 'FILTER(STR(?id) != "?kind")') \
               .replace("?document ?kind\nWHERE", "?document\nWHERE")
    problems = check_query_text(text, ["document", "kind"], "q")
    assert [p.split(":")[2].split("(")[0].strip() for p in problems] == [
        "parameter ?kind is not used in the top-level WHERE group", "parameter ?kind is not projected"]


def test_a_broken_query_file_is_refused_when_read_with_the_fix(tmp_path, root):
    """A named question whose '#+ if' block is never closed is refused when read, naming the file and
    the block, by every way of reading it."""
    folder = tmp_path / "queries"
    shutil.copytree(root / "queries", folder)
    path = folder / "document-entities.rq"
    text = path.read_text(encoding="utf-8")
    end = re.search(r"^ *#\+ end\n", text, re.M)  # the first block's end, however indented
    assert end
    path.write_text(text[:end.start()] + text[end.end():], encoding="utf-8")
    with pytest.raises(QueryError) as exc:
        parse_query_file(path)
    assert str(exc.value).startswith(str(path)) and "'#+ if kind'" in str(exc.value)
    with pytest.raises(QueryError, match="#\\+ if kind"):
        load_queries(folder)
    with pytest.raises(QueryError, match="#\\+ if kind"):
        get_query("document-entities", folder)
    # kg query NAME reads only its own file (a cold start reads no other): another question still answers
    assert get_query("attacks", folder).name == "attacks"


def test_an_aggregate_without_group_by_asks_for_one():
    problems = check_query_text(GOOD.replace("GROUP BY ?id ?document ?kind\n", ""), ["document", "kind"], "q")
    assert [p.split(" (")[0] for p in problems] == [
        "q:11: parameter ?document is not grouped: add GROUP BY with ?document and the other plain SELECT variables",
        "q:11: parameter ?kind is not grouped: add GROUP BY with ?kind and the other plain SELECT variables"]


def test_queries_bound_by_a_values_line_need_not_project_their_parameters():
    """With a '#+ bind' line (parameters bound by a VALUES block), projection and grouping are not required."""
    text = HEADER + """SELECT ?id (COUNT(DISTINCT ?ev) AS ?spans)
WHERE {
  VALUES ?document { <https://w3id.org/kzkg/id/source/d003> }  #+ bind
  ?ev kg:document ?document . GRAPH ?ev { ?id ?p ?o }
  #+ if kind
  #+   ?id a ?kind .
  #+ end
}
GROUP BY ?id
"""
    assert check_query_text(text, ["document", "kind"], "q") == []
    unused = text.replace("#+   ?id a ?kind .", "#+   ?id a kg:Group .")
    assert check_query_text(unused, ["document", "kind"], "q") == [
        "q:1: parameter kind is declared but ?kind is not in the query: use it in the WHERE group or an "
        "'#+ if kind' block, or remove its '#+   - kind:' header line"]
