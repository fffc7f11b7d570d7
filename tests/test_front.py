"""The served endpoint (kg.front): SPARQL 1.1 Protocol through SPARQLWrapper, and what it refuses."""

import json
import socket
import threading
import time
import urllib.error
import urllib.request

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.front import FrontServer, negotiate

NQ = "".join(f"<http://e/s{i}> <http://e/p> \"{i}\" <http://e/g{i % 2}> .\n<http://e/s{i}> <http://e/p> \"{i}\" .\n"
             for i in range(2000))


def _start(tmp_path, **options):
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(input=NQ.encode(), format=ox.RdfFormat.N_QUADS)
    server = FrontServer(("127.0.0.1", 0), store, **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    static = tmp_path_factory.mktemp("static")
    (static / "app.js").write_text("console.log(1)")
    site = tmp_path_factory.mktemp("site")
    (site / "index.html").write_text("<p>site</p>")
    server, url = _start(tmp_path_factory, timeout=2, static=static, site=site)
    yield url
    server.shutdown()
    server.server_close()


def _get(url, headers=None, data=None):
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _client(url, query, fmt, method):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(url + "/query")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client.query().convert()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_ask_construct(endpoint, method):
    from SPARQLWrapper import CSV, JSON, TURTLE, XML

    select = "SELECT ?o WHERE { <http://e/s7> ?p ?o }"
    assert _client(endpoint, select, JSON, method)["results"]["bindings"] == [{"o": {"type": "literal", "value": "7"}}]
    xml = _client(endpoint, select, XML, method)
    assert [n.firstChild.data for n in xml.getElementsByTagName("literal")] == ["7"]
    assert _client(endpoint, select, CSV, method).decode().split() == ["o", "7"]
    assert _client(endpoint, "ASK { <http://e/s7> ?p ?o }", JSON, method)["boolean"] is True
    graph = _client(endpoint, "CONSTRUCT WHERE { <http://e/s7> ?p ?o }", TURTLE, method)
    assert b"<http://e/s7>" in graph and b'"7"' in graph


def test_accept_negotiation(endpoint):
    q = "/query?query=" + urllib.request.quote("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    status, headers, _ = _get(endpoint + q, {"Accept": "text/tab-separated-values;q=0.9, text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    status, headers, _ = _get(endpoint + q, {"Accept": "image/png"})
    assert status == 406
    status, headers, body = _get(endpoint + q)
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    assert negotiate("a/b;q=0.1, c/d, e/f;q=0") == ["c/d", "a/b"]


def test_timeout_is_503_with_a_message_and_the_work_stops(endpoint):
    q = "/query?query=" + urllib.request.quote("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    t0 = time.monotonic()
    status, _, body = _get(endpoint + q)
    assert status == 503 and b"longer than 2 s" in body
    assert time.monotonic() - t0 < 5
    status, _, _ = _get(endpoint + "/query?query=ASK%7B%7D")
    assert status == 200  # the server goes on answering


def test_read_only(endpoint):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert _get(endpoint + "/update", form, b"update=CLEAR%20ALL")[0] == 403
    assert _get(endpoint + "/query", {"Content-Type": "application/sparql-update"}, b"CLEAR ALL")[0] == 403
    status, _, body = _get(endpoint + "/query", {"Content-Type": "application/sparql-query"}, b"DROP ALL")
    assert status == 403 and b"read-only" in body
    assert _get(endpoint + "/query?query=ASK%7B%3Fs%3Fp%3Fo%7D")[2].find(b"true") > 0


def test_syntax_error_is_400(endpoint):
    status, _, body = _get(endpoint + "/query?query=" + urllib.request.quote("SELECT ?x WHERE { ?x ?p }"))
    assert status == 400 and body.startswith(b"SPARQL syntax error")


def test_no_cors_and_no_foreign_host(endpoint):
    status, headers, _ = _get(endpoint + "/query?query=ASK%7B%7D", {"Origin": "http://evil.example"})
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    assert _get(endpoint + "/", {"Host": "evil.example"})[0] == 403  # DNS rebinding
    assert _get(endpoint + "/", {"Host": "localhost:1234"})[0] == 200


def test_cors_when_asked(tmp_path):
    server, url = _start(tmp_path, cors="http://localhost:3000")
    try:
        status, headers, _ = _get(url + "/query?query=ASK%7B%7D", {"Origin": "http://localhost:3000"})
        assert headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
        status, headers, _ = _get(url + "/query?query=ASK%7B%7D", {"Origin": "http://other:3000"})
        assert "Access-Control-Allow-Origin" not in headers
    finally:
        server.shutdown()
        server.server_close()


def test_pages_static_site_and_queries(endpoint):
    status, headers, body = _get(endpoint + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert _get(endpoint + "/static/app.js")[2] == b"console.log(1)"
    assert _get(endpoint + "/static/../../etc/passwd")[0] == 404
    assert _get(endpoint + "/static/%2e%2e/%2e%2e/etc/passwd")[0] == 404
    assert _get(endpoint + "/site/")[2] == b"<p>site</p>"
    status, _, body = _get(endpoint + "/api/queries")
    queries = json.loads(body)
    people = next(q for q in queries if q["name"] == "people")
    assert people["params"][0] == {"name": "person", "type": "entity", "description": people["params"][0]["description"],
                                   "default": None, "required": False}
    assert people["text"].startswith("#+ summary:")


class Recorder:
    """A loopback listener that records every connection made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.running = False
        self.sock.close()


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } }",
    "SELECT * FROM <http://127.0.0.1:PORT/data.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://127.0.0.1:PORT/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
])
def test_a_page_cannot_make_the_endpoint_send_a_request(endpoint, tmp_path, text):
    recorder = Recorder()
    try:
        query = text.replace("PORT", str(recorder.port))
        status, _, body = _get(endpoint + "/query", {"Content-Type": "application/x-www-form-urlencoded",
                                                     "Origin": "http://evil.example"},
                               urllib.parse.urlencode({"query": query}).encode())
        if "ERVICE" in text:  # it would send a request (\\u0053 is S): refused
            assert status == 403 and b"refused" in body
        else:  # FROM names a graph of the store, which holds none at that IRI: an empty graph, nothing fetched
            assert status == 200 and b'"bindings":[]' in body
        status, _, _ = _get(endpoint + "/query?default-graph-uri=" + urllib.request.quote(f"http://127.0.0.1:{recorder.port}/x")
                            + "&query=ASK%7B%7D")
        assert status == 200  # the protocol's dataset (sparql11-protocol 2.1.4): an empty graph, nothing fetched
        time.sleep(0.5)
        assert recorder.connections == 0
        # the control: with remote access allowed, the same query does reach the listener
        if "SERVICE <" in text:
            server, url = _start(tmp_path, allow_remote=True, timeout=5)
            try:
                _get(url + "/query?query=" + urllib.request.quote(query))
            finally:
                server.shutdown()
                server.server_close()
            assert recorder.connections >= 1
    finally:
        recorder.close()


@given(st.text(max_size=60))
def test_negotiate_never_fails(header):
    """Any header gives the types it accepts (q above 0) and one format or none, or one line refusing a
    q that is not a number from 0 to 1."""
    from kg.serve_protocol import RESULT_TYPES, ProtocolError, accept_ranges, choose

    try:
        accepted = negotiate(header)
    except ProtocolError as exc:
        assert exc.status == 400 and "q=" in str(exc) and "\n" not in str(exc)
        return
    assert isinstance(accepted, list) and all("," not in m for m in accepted)
    assert choose(accept_ranges(header), RESULT_TYPES) in (None, *RESULT_TYPES)


def test_cli_port_errors(capsys, built):
    from kg.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["serve", "--port", "70000"])
    assert exc.value.code == 2 and "not a port number" in capsys.readouterr().err
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        assert main(["serve", "--port", str(busy.getsockname()[1])]) == 2
    assert "already in use" in capsys.readouterr().err


def test_crashed_server_exits_non_zero(monkeypatch, capsys, built):
    from kg import front
    from kg.cli import main

    def broken(self, poll_interval=0.5):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(front.FrontServer, "serve_forever", broken)
    assert main(["serve", "--port", "0"]) == 1
    assert "the server stopped: RuntimeError: disk gone" in capsys.readouterr().err


def test_port_messages():
    import errno

    from kg.serve import serve_message

    assert serve_message(PermissionError(errno.EACCES, "Permission denied"), "127.0.0.1", 80).startswith(
        "port 80 needs administrator rights")
    assert "already in use" in serve_message(OSError(errno.EADDRINUSE, "in use"), "127.0.0.1", 7878)
    assert "not an address of this machine" in serve_message(OSError(errno.EADDRNOTAVAIL, "x"), "10.9.9.9", 7878)


@pytest.mark.parametrize("declared", [b"99999999999", b"999999999999", b"9" * 40, b"9" * 5000])
def test_a_body_far_over_the_limit_is_refused_at_once_not_drained(endpoint, declared):
    """A refused body of up to 16 MB is read and dropped, so that a client still sending it reads the
    refusal; a length of 12 digits or more was taken for just over the limit and waited on for the whole
    client timeout (30 s) when no such body came."""
    host, port = endpoint.split("//")[1].rsplit(":", 1)
    start = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=40) as sock:
        sock.sendall(b"POST /query HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: " + declared + b"\r\nConnection: close\r\n\r\nASK {}")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.0 413 ") and b"at most 1024 KB" in data, data[:300]
    assert time.monotonic() - start < 5


def test_connections_past_the_cap_are_answered_busy_and_the_server_goes_on(tmp_path):
    """Clients that open connections and send nothing held a thread each for the client timeout, with
    no bound on the threads; past ``max_connections`` a connection is now answered 503 at once."""
    server, url = _start(tmp_path, max_connections=3, client_timeout=20)
    port = server.server_address[1]
    idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(3)]
    try:
        time.sleep(0.3)  # (the three are accepted and hold their threads)
        extra = socket.create_connection(("127.0.0.1", port), timeout=10)
        started = time.monotonic()
        answer = extra.recv(4096)
        assert answer.startswith(b"HTTP/1.1 503 ") and b"try again" in answer, answer
        assert time.monotonic() - started < 5
        extra.close()
        idle.pop().close()  # one slot frees: a query is answered again
        deadline = time.monotonic() + 10
        while True:
            status, _, body = _get(url + "/query?query=" + urllib.request.quote("ASK { ?s ?p ?o }"),
                                   headers={"Accept": "application/sparql-results+json"})
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        for s in idle:
            s.close()
        server.shutdown()
        server.server_close()
