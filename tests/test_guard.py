"""Query checking (kg.guard): SERVICE, foreign FROM and updates refused, whatever the spelling."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.guard import RemoteAccessError, UpdateRefused, check_query

LOCAL = {"https://w3id.org/kzkg/id/evidence/d003-1997-2074"}


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { SeRvIcE ?endpoint { ?s ?p ?o } VALUES ?endpoint { <http://x/> } }",
    "PREFIX x: <http://x/> SELECT * WHERE { SERVICE x:sparql { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p 'a' . SERVICE<http://x/>{?s ?p ?o} }",
    "SELECT * WHERE { FILTER(?a<?b) SERVICE <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { # comment\n SERVICE <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p \"\"\"multi\nline\"\"\" . SERVICE <http://x/> {} }",
    "ASK { SERVICE <file:///etc/passwd> { ?s ?p ?o } }",
])
def test_service_refused(text):
    with pytest.raises(RemoteAccessError, match="SERVICE is refused"):
        check_query(text)
    assert check_query(text, allow_remote=True)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p 'SERVICE <http://x/> { }' }",
    "SELECT * WHERE { ?s ?p \"\"\"SERVICE <http://x/> {\n}\"\"\" }",
    "SELECT ?service WHERE { ?service ?p ?o }  # SERVICE <http://x/> { }",
    "PREFIX service: <http://x/> SELECT * WHERE { ?s service:p ?o }",
    "SELECT * WHERE { <http://x/#SERVICE> ?p ?o . ?s ?p 'FROM <http://y/>' }",
    "SELECT * WHERE { ?s ?p ?o FILTER(lang(?o) = 'from') }",
    "SELECT * WHERE { ?s ?p \"x\"@service }",
    "SELECT * FROM <https://w3id.org/kzkg/id/evidence/d003-1997-2074> WHERE { ?s ?p ?o }",
    "PREFIX ev: <https://w3id.org/kzkg/id/evidence/> SELECT * FROM NAMED ev:d003-1997-2074 WHERE { GRAPH ?g { ?s ?p ?o } }",
])
def test_harmless_queries_pass(text):
    check_query(text, local_graphs=LOCAL)


@pytest.mark.parametrize("text", [
    "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "PREFIX x: <http://example.org/> select * from x:data where { ?s ?p ?o }",
    "BASE <http://example.org/> SELECT * FROM <data> WHERE { ?s ?p ?o }",
    "SELECT * FROM <https://w3id.org/kzkg/id/evidence/d003-1997-2074> FROM <http://evil/> WHERE { ?s ?p ?o }",
])
def test_foreign_from_refused(text):
    with pytest.raises(RemoteAccessError, match="FROM <.*> is refused"):
        check_query(text, local_graphs=LOCAL)


def test_local_graphs_asked_only_when_there_is_a_from():
    calls = []
    check_query("SELECT * WHERE { ?s ?p ?o }", local_graphs=lambda: calls.append(1) or set())
    assert calls == []


@pytest.mark.parametrize("text", ["INSERT DATA { <a:b> <a:b> <a:b> }", "PREFIX a: <a:> DELETE WHERE { ?s ?p ?o }",
                                  "LOAD <http://x/>", "CLEAR ALL", "drop graph <a:b>",
                                  "WITH <a:b> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"])
def test_updates_refused(text):
    with pytest.raises(UpdateRefused, match="read-only"):
        check_query(text)


_filler = st.lists(st.sampled_from([
    "?s ?p ?o .", "'SERVICE'", '"FROM <http://x/>"', "<http://a/SERVICE>", "# SERVICE <x:y> {}\n",
    "?service", "FILTER(?a < ?b)", "BIND(1 AS ?from)", '"""a\nSERVICE"""', "ex:service",
]), max_size=6)


@settings(max_examples=200, deadline=None)
@given(_filler, _filler, st.sampled_from(["SERVICE", "service", "Service", "\\u0053ERVICE"]))
def test_service_found_among_anything(before, after, keyword):
    text = f"PREFIX ex: <http://e/> SELECT * WHERE {{ {' '.join(before)} {keyword} <http://x/> {{ ?a ?b ?c }} {' '.join(after)} }}"
    with pytest.raises(RemoteAccessError):
        check_query(text)


@settings(max_examples=200, deadline=None)
@given(_filler)
def test_decoys_alone_pass(parts):
    check_query(f"PREFIX ex: <http://e/> SELECT * WHERE {{ {' '.join(parts)} }}")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_checks_without_crashing(text):
    try:
        check_query(text, local_graphs=LOCAL)
    except (RemoteAccessError, UpdateRefused):
        pass
