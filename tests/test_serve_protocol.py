"""kg serve and the SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/), request form by form.

The kind: a request naming the dataset's default graph with ``default-graph-uri`` got 403. Every
request form of the protocol's query operation is tried here, most of them as the W3C protocol
tests write them (``w3c/rdf-tests``, ``sparql/sparql11/protocol/manifest.ttl``: ``query_get``,
``query_post_form``, ``query_post_direct``, the ``query_dataset_*`` and ``bad_*`` tests), on a store
holding the tests' three graphs: what the endpoint supports is answered as the protocol says, what
it refuses gets the status the protocol (or HTTP) gives and one line of plain text.
"""

from __future__ import annotations

import http.client
import json
import threading
from urllib.parse import quote

import pytest

from kg.front import FrontServer
from kg.serve_protocol import DEFAULT_GRAPH_IRI

D = "http://kasei.us/2009/09/sparql/data/"
DATA = "".join(f"<{D}data{i}.rdf> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Document> <{D}data{i}.rdf> .\n"
               for i in (1, 2, 3))
DATA += '<http://e/s> <http://e/p> "in the default graph" .\n'


@pytest.fixture(scope="module")
def port():
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(input=DATA.encode(), format=ox.RdfFormat.N_QUADS)
    server = FrontServer(("127.0.0.1", 0), store, timeout=10)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def send(port, method, target, headers=None, body=b"", conn=None):
    """``(status, headers, body)`` of one raw request (``Host: localhost``)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", "localhost")
        for key, value in (headers or {}).items():
            conn.putheader(key, value)
        if body is None:  # the headers give their own Content-Length; the body is six bytes
            body = b"ASK {}"
        elif body or method in ("POST", "PUT"):
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body or None)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        if own:
            conn.close()


def graphs(name, *numbers):
    return "&".join(f"{name}={quote(D + f'data{i}.rdf', safe='')}" for i in numbers)


def boolean(answer) -> bool:
    status, headers, body = answer
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/sparql-results+json"), headers
    return json.loads(body)["boolean"]


ASK_12 = f"ASK {{ <{D}data1.rdf> a ?type . <{D}data2.rdf> a ?type . }}"
ASK_G12 = f"ASK {{ GRAPH ?g1 {{ <{D}data1.rdf> a ?type }} GRAPH ?g2 {{ <{D}data2.rdf> a ?type }} }}"
FORM, DIRECT = "application/x-www-form-urlencoded", "application/sparql-query"


# -- what the protocol supports, answered as it says ---------------------------------------------------

def test_query_get_and_post_form_naming_a_graph_the_store_does_not_hold(port):
    """query_get / query_post_form: ``default-graph-uri`` of data0.rdf, which no store holds: 200, not 403."""
    other = graphs("default-graph-uri", 0)
    assert boolean(send(port, "GET", f"/query?query={quote('ASK {}')}&{other}")) is True
    assert boolean(send(port, "POST", f"/query?{other}", {"Content-Type": FORM}, b"query=ASK%20%7B%7D")) is True
    assert boolean(send(port, "POST", "/sparql", {"Content-Type": DIRECT}, b"ASK {}")) is True


def test_protocol_default_and_named_graphs(port):
    """query_dataset_default_graphs_get/_post, query_dataset_named_graphs_get/_post, query_dataset_full."""
    assert boolean(send(port, "GET", f"/query?query={quote(ASK_12)}&{graphs('default-graph-uri', 1, 2)}")) is True
    assert boolean(send(port, "POST", f"/query?{graphs('default-graph-uri', 1, 2)}", {"Content-Type": DIRECT},
                        ASK_12.encode())) is True
    assert boolean(send(port, "GET", f"/query?query={quote(ASK_G12)}&{graphs('named-graph-uri', 1, 2)}")) is True
    assert boolean(send(port, "POST", f"/query?{graphs('named-graph-uri', 1, 2)}", {"Content-Type": DIRECT},
                        ASK_G12.encode())) is True
    full = f"ASK {{ <{D}data3.rdf> a ?type GRAPH ?g1 {{ <{D}data1.rdf> a ?type }} GRAPH ?g2 {{ <{D}data2.rdf> a ?type }} }}"
    target = f"/query?{graphs('default-graph-uri', 3)}&{graphs('named-graph-uri', 1, 2)}"
    assert boolean(send(port, "POST", target, {"Content-Type": DIRECT}, full.encode())) is True


def test_the_protocol_dataset_is_exactly_the_graphs_named(port):
    """Only the graphs named are in it (as Oxigraph's server reads it): the default graph alone hides
    the named graphs, and the protocol's dataset replaces the query's FROM (query_multiple_dataset)."""
    q = "ASK { GRAPH ?g { ?s ?p ?o } }"
    assert boolean(send(port, "GET", f"/query?query={quote(q)}&{graphs('default-graph-uri', 1)}")) is False
    assert boolean(send(port, "GET", f"/query?query={quote(q)}")) is True
    text = f"ASK FROM <{D}data3.rdf> {{ GRAPH ?g1 {{ <{D}data1.rdf> a ?type }} GRAPH ?g2 {{ <{D}data2.rdf> a ?type }} }}"
    assert boolean(send(port, "POST", f"/query?{graphs('named-graph-uri', 1, 2)}", {"Content-Type": DIRECT},
                        text.encode())) is True
    assert boolean(send(port, "POST", "/query", {"Content-Type": DIRECT}, text.encode())) is False  # FROM alone


def test_the_default_graph_is_named_by_its_iri(port):
    """``default-graph-uri`` = the IRI the README gives the default graph in other stores: that graph."""
    q = "SELECT ?o { <http://e/s> <http://e/p> ?o }"
    target = f"/query?query={quote(q)}&default-graph-uri={quote(DEFAULT_GRAPH_IRI, safe='')}"
    status, _, body = send(port, "GET", target, {"Accept": "text/csv"})
    assert (status, body.decode().split("\r\n")) == (200, ["o", "in the default graph", ""])
    status, _, body = send(port, "GET", target + "&" + graphs("default-graph-uri", 1), {"Accept": "text/csv"})
    assert (status, body.decode().split("\r\n")) == (200, ["o", "in the default graph", ""])  # merged with data1


@pytest.mark.parametrize("query, accept, media", [
    ("SELECT (1 AS ?value) {}", None, "application/sparql-results+json"),
    ("SELECT (1 AS ?value) {}", "text/csv", "text/csv"),
    ("SELECT (1 AS ?value) {}", "text/tab-separated-values", "text/tab-separated-values"),
    ("SELECT (1 AS ?value) {}", "application/sparql-results+xml", "application/sparql-results+xml"),
    ("SELECT (1 AS ?value) {}", "text/*", "text/csv"),
    ("SELECT (1 AS ?value) {}", "Text/CSV", "text/csv"),
    ("SELECT (1 AS ?value) {}", "application/sparql-results+json;q=0.5, text/csv", "text/csv"),
    ("SELECT (1 AS ?value) {}", "*/*, application/sparql-results+json;q=0", "application/sparql-results+xml"),
    ("SELECT (1 AS ?value) {}", "", "application/sparql-results+json"),
    ("ASK {}", "application/sparql-results+xml", "application/sparql-results+xml"),
    ("DESCRIBE <http://example.org/>", None, "text/turtle"),
    ("CONSTRUCT { <s:s> <s:p> 1 } WHERE {}", "application/n-triples", "application/n-triples"),
    ("CONSTRUCT { <s:s> <s:p> 1 } WHERE {}", "application/rdf+xml;q=0.2, application/ld+json", "application/ld+json"),
])
def test_accept_negotiation_for_every_result_format(port, query, accept, media):
    """query_content_type_*: each format by Accept, q values and wildcards as HTTP reads them."""
    headers = {"Content-Type": DIRECT} if accept is None else {"Content-Type": DIRECT, "Accept": accept}
    status, head, _ = send(port, "POST", "/query", headers, query.encode())
    assert status == 200 and head["Content-Type"].split(";")[0] == media
    assert head["Vary"] == "Accept"


def test_head_and_options(port):
    status, head, body = send(port, "HEAD", f"/query?query={quote('ASK {}')}")
    _, _, get_body = send(port, "GET", f"/query?query={quote('ASK {}')}")
    assert (status, body, head["Content-Length"]) == (200, b"", str(len(get_body)))
    status, head, _ = send(port, "OPTIONS", "/query", {"Origin": "http://x.example", "Access-Control-Request-Method": "POST"})
    assert status == 204 and head["Allow"] == "GET, HEAD, POST, OPTIONS" and "Access-Control-Allow-Origin" not in head


# -- what it refuses: the protocol's (or HTTP's) status, one line ---------------------------------------

REFUSED = [
    # bad_query_method; the other methods HTTP defines (TRACE was 501); one it does not define stays 501
    ("PUT", f"/query?query={quote('ASK {}')}", {"Content-Type": FORM}, b"", 405, "read-only"),
    ("TRACE", "/query", {}, b"", 405, "read-only"),
    ("CONNECT", "/query", {}, b"", 405, "read-only"),
    ("PROPFIND", "/query", {}, b"", 501, "Unsupported method"),
    # bad_multiple_queries, none, blank
    ("GET", f"/query?query={quote('ASK {}')}&query={quote('SELECT * {}')}", {}, b"", 400, "gives 2"),
    ("GET", "/query", {}, b"", 400, "exactly one query"),
    ("GET", "/query?query=%20", {}, b"", 400, "exactly one query"),
    ("POST", f"/query?query={quote('ASK {}')}", {"Content-Type": DIRECT}, b"ASK {}", 400, "not give it in the URL"),
    # bad_query_wrong_media_type, bad_query_missing_form_type, bad_query_missing_direct_type
    ("POST", "/query", {"Content-Type": "text/plain"}, b"ASK {}", 415, "text/plain"),
    ("POST", "/query", {}, b"query=ASK%20%7B%7D", 415, "application/sparql-query"),
    ("POST", "/query", {}, b"ASK {}", 415, "application/sparql-query"),
    # bad_query_non_utf8, and other charsets, codings and bytes
    ("POST", "/query", {"Content-Type": DIRECT + "; charset=UTF-16"}, "ASK {}".encode("utf-16"), 415, "utf-16"),
    ("POST", "/query", {"Content-Type": DIRECT + "; charset=ISO-8859-1"}, b"ASK {}", 415, "UTF-8"),
    ("POST", "/query", {"Content-Type": DIRECT, "Content-Encoding": "gzip"}, b"ASK {}", 415, "uncompressed"),
    ("POST", "/query", {"Content-Type": DIRECT}, b"ASK { \xff }", 400, "not UTF-8"),
    ("POST", "/query", {"Content-Type": FORM}, b"query=ASK%20%7B%FF%7D", 400, "not UTF-8"),
    ("GET", "/query?query=%C3%28", {}, b"", 400, "not UTF-8"),
    # bad_query_syntax
    ("GET", f"/query?query={quote('ASK {')}", {}, b"", 400, "syntax error"),
    # graphs that are not IRIs
    ("GET", f"/query?query={quote('ASK {}')}&default-graph-uri=", {}, b"", 400, "not an absolute IRI"),
    ("GET", f"/query?query={quote('ASK {}')}&named-graph-uri=not%20an%20iri", {}, b"", 400, "not an absolute IRI"),
    ("GET", f"/query?query={quote('ASK {}')}&default-graph-uri=http%3A%2F%2Fe%2F%00", {}, b"", 400, "not an absolute IRI"),
    # updates, by every form
    ("POST", "/query", {"Content-Type": "application/sparql-update"}, b"CLEAR ALL", 403, "read-only"),
    ("POST", "/query", {"Content-Type": FORM}, b"update=CLEAR+ALL", 403, "read-only"),
    ("GET", f"/query?query={quote('ASK {}')}&update=CLEAR%20ALL", {}, b"", 403, "read-only"),
    # Accept: nothing acceptable, q=0 only, a q that is not a number
    ("GET", f"/query?query={quote('ASK {}')}", {"Accept": "image/png"}, b"", 406, "no acceptable format"),
    ("GET", f"/query?query={quote('ASK {}')}", {"Accept": "text/csv;q=0"}, b"", 406, "no acceptable format"),
    ("GET", f"/query?query={quote('CONSTRUCT WHERE { ?s ?p ?o }')}", {"Accept": "text/csv"}, b"", 406, "text/turtle"),
    ("GET", f"/query?query={quote('ASK {}')}", {"Accept": "*/*;q=abc"}, b"", 400, "q value"),
    ("GET", f"/query?query={quote('ASK {}')}", {"Accept": "text/csv;q=2"}, b"", 400, "q value"),
    # a length int() would read but HTTP does not write (RFC 9110: 1*DIGIT)
    ("POST", "/query", {"Content-Type": DIRECT, "Content-Length": "+6"}, None, 400, "digits only"),
    ("POST", "/query", {"Content-Type": DIRECT, "Content-Length": "0_6"}, None, 400, "digits only"),
    ("POST", "/query", {"Content-Type": DIRECT, "Content-Length": " 6 x"}, None, 400, "digits only"),
    # too long: the URL (use POST), the body
    ("GET", "/query?query=" + quote("ASK {}" + " " * 70_000), {}, b"", 414, "by POST"),
    ("POST", "/query", {"Content-Type": DIRECT}, b"ASK {}" + b"#" * (1 << 20), 413, "at most"),
]


@pytest.mark.parametrize("method, target, headers, body, status, words", REFUSED,
                         ids=[f"{i}-{c[0]}-{c[4]}" for i, c in enumerate(REFUSED)])
def test_refusals_have_the_protocols_status_and_one_line(port, method, target, headers, body, status, words):
    got, head, text = send(port, method, target, headers, body)
    assert got == status, text
    assert head["Content-Type"] == "text/plain; charset=utf-8"
    lines = text.decode().splitlines()
    assert len(lines) == 1 and words in lines[0], text


def test_a_refused_body_is_not_read_as_the_next_request(port):
    """A POST refused before its body is read closes the connection: the body (here a whole second
    request) is never answered as a request of its own."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    smuggled = b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: localhost\r\n\r\n"
    status, head, _ = send(port, "POST", "/nothing", {"Content-Type": DIRECT}, smuggled, conn=conn)
    assert status == 404 and head.get("Connection") == "close"
    conn.close()



def test_questions_that_cannot_be_listed_are_one_line_not_a_dropped_connection(port, monkeypatch):
    from kg import front
    from kg.store import QueryError

    def broken():
        raise QueryError("queries/x.rq is a named pipe (FIFO), not a regular file")

    monkeypatch.setattr(front, "queries_json", broken)
    status, _, body = send(port, "GET", "/api/queries")
    assert (status, body) == (500, (b"the named questions cannot be listed: queries/x.rq is a named pipe (FIFO), "
                                    b"not a regular file\n"))
