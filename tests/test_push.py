"""kg push (kg.push) and remote queries against a real store and a fault-injection server."""

import base64
import contextlib
import socket
import subprocess
import time

import pytest

from faultserver import FaultServer
from kg.cli import main
from kg.push import PushError, push
from kg.query import load_queries, run_named
from kg.remote import RemoteEngine
from kg.serve import oxigraph_binary
from kg.store import QueryError

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nquads(built, tmp_path_factory):
    path = tmp_path_factory.mktemp("push") / "kg.nq"
    path.write_bytes(built.nquads)
    return path


@pytest.fixture
def store(tmp_path):
    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(tmp_path / "rw"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            RemoteEngine(url + "/query").query("ASK {}")
            break
        except QueryError:
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def _count(url):
    return int(RemoteEngine(url + "/query").query(COUNT).rows[0]["n"]["value"])


def test_the_build_has_no_blank_nodes(nquads):
    assert b"_:" not in nquads.read_bytes()


@pytest.mark.parametrize("method,path", [("gsp", "/store"), ("update", "/update")])
def test_pushing_twice_gives_the_same_store(store, nquads, engine, method, path):
    first = push(nquads, store + path, method)
    assert first.ok and first.quads == _count(store)
    people = run_named(RemoteEngine(store + "/query"), load_queries()["people"]).rows
    second = push(nquads, store + path, method)
    assert second.ok and _count(store) == first.quads
    assert len(run_named(RemoteEngine(store + "/query"), load_queries()["people"]).rows) == len(people)
    assert len(people) == len(run_named(engine, load_queries()["people"]).rows)


def test_failure_halfway_says_what_landed_and_a_retry_completes(store, nquads):
    proxy = FaultServer("halfway", upstream=store, fail_after=300)
    try:
        with pytest.raises(PushError) as exc:
            push(nquads, proxy.url + "/store", "gsp", query_url=store + "/query")
        message = str(exc.value)
        assert message.startswith("push stopped after 300 of 984 graphs") or "push stopped after 300 of" in message
        assert "graphs complete" in message and "run kg push again to complete it" in message
        assert exc.value.refused is False and "refused" not in message
        report = push(nquads, proxy.url + "/store", "gsp", query_url=store + "/query")
        assert report.ok and _count(store) == report.quads
    finally:
        proxy.close()


def test_a_refusal_halfway_says_what_landed_and_to_fix_it_before_pushing_again(store, nquads):
    proxy = FaultServer("refuse-halfway", upstream=store, fail_after=50)
    try:
        with pytest.raises(PushError) as exc:
            push(nquads, proxy.url + "/store", "gsp", query_url=store + "/query")
        message = str(exc.value)
        assert exc.value.refused is True
        assert message.startswith("push refused after 50 of ") and "HTTP 403" in message, message
        assert f"the endpoint holds {_count(store)} of the " in message and "50 of " in message.split("holds")[1]
        assert "fix what was refused, then run kg push again" in message and "to complete it" not in message
    finally:
        proxy.close()


def test_a_refusal_before_anything_is_written_says_only_that(store, nquads, capsys):
    """The endpoint already holds the build (as kg serve's read-only store does): a refused push is
    not followed by counts saying every graph is complete and a call to push again to complete it."""
    assert push(nquads, store + "/store", "gsp").ok
    for method, path in (("gsp", "/store"), ("update", "/update")):
        proxy = FaultServer("refuse-halfway", upstream=store, fail_after=0)
        try:
            with pytest.raises(PushError) as exc:
                push(nquads, proxy.url + path, method, query_url=store + "/query")
            message = str(exc.value)
            assert exc.value.refused is True
            assert message.startswith("push refused, nothing was written: ") and "HTTP 403" in message, message
            assert "holds" not in message and "complete" not in message and "again" not in message
            assert [r[0] for r in proxy.requests] == ["PUT" if method == "gsp" else "POST"]  # nothing counted either
        finally:
            proxy.close()
        proxy = FaultServer("refuse-halfway", upstream=store, fail_after=0)
        try:
            assert main(["push", "--endpoint", proxy.url + path, "--method", method, "--query-endpoint",
                         store + "/query"]) == 2
            err = capsys.readouterr().err
            assert err.count("\n") == 1 and err.startswith("kg: error: push refused, nothing was written: "), err
        finally:
            proxy.close()


def test_redirects_refused_unless_asked(store, nquads):
    proxy = FaultServer("redirect", upstream=store)
    try:
        with pytest.raises(PushError, match=r"answered with a redirect \(HTTP 307\).*--follow-redirects"):
            push(nquads, proxy.url + "/store", "gsp", query_url=store + "/query")
        assert _count(store) == 0
    finally:
        proxy.close()


@pytest.mark.parametrize("target,message", [
    ("file:///tmp/kg", "is not an http(s) URL"), ("notaurl", "is not an http(s) URL"),
    ("http://127.0.0.1:99999/store", "is not a URL"), ("ftp://example.org/x", "is not an http(s) URL"),
])
def test_push_targets_that_are_not_http_urls(nquads, target, message):
    with pytest.raises(PushError, match=message.replace("(", r"\(").replace(")", r"\)")):
        push(nquads, target)


def test_credentials_never_echoed(nquads, capsys, monkeypatch, built):
    assert main(["push", "--endpoint", "http://bob:hunter2@127.0.0.1:9/store"]) == 2
    err = capsys.readouterr().err
    assert "hunter2" not in err and "bob" not in err and "--user NAME" in err
    seen = FaultServer("error")
    try:
        monkeypatch.setenv("MY_PASS", "hunter2")
        assert main(["push", "--endpoint", seen.url + "/store", "--user", "bob", "--password-env", "MY_PASS"]) == 2
        captured = capsys.readouterr()
        assert "hunter2" not in captured.err + captured.out and "HTTP 500" in captured.err
    finally:
        seen.close()


@contextlib.contextmanager
def _serving(handler):
    """A ``http.server`` with ``handler`` on a free loopback port, in a thread; yields the port."""
    import http.server
    import threading

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_basic_auth_is_sent(nquads):
    import http.server

    seen = []

    class H(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_PUT(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append(self.headers.get("Authorization"))
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()

    with _serving(H) as port:
        with pytest.raises(PushError, match="HTTP 401; check --user"):
            push(nquads, f"http://127.0.0.1:{port}/store", user="bob", password="pw")
        # turned down without a challenge: asked once more without credentials, so that an endpoint that wants
        # digest authentication (Virtuoso's /sparql-auth answers so) can say so
        assert seen == ["Basic " + base64.b64encode(b"bob:pw").decode(), None]


def test_digest_auth_is_answered_and_the_default_graph_goes_where_asked(nquads):
    """An endpoint that turns basic credentials down and asks for digest authentication (RFC 7616, as
    Virtuoso's /sparql-auth) gets a digest answer that it can check; with ``default_graph``, no request
    touches the default graph: its triples go to that named graph."""
    import hashlib
    import http.server
    import urllib.parse
    import urllib.request

    md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731
    targets, accepted = [], []

    class H(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_PUT(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            header = self.headers.get("Authorization") or ""
            if header.startswith("Digest "):
                fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(header[7:]))
                expected = md5(":".join([md5("bob:SPARQL:pw"), fields["nonce"], fields["nc"], fields["cnonce"],
                                         fields["qop"], md5("PUT:" + fields["uri"])]))
                if fields["username"] == "bob" and fields["response"] == expected:
                    targets.append(urllib.parse.urlsplit(self.path).query)
                    accepted.append(header)
                    self.send_response(201)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            self.send_response(401)
            if not header:  # Virtuoso: a challenge only to a request without credentials
                self.send_header("WWW-Authenticate", 'Digest realm="SPARQL", nonce="n0nce", qop="auth", algorithm="MD5"')
            self.send_header("Content-Length", "0")
            self.end_headers()

    with _serving(H) as port:
        report = push(nquads, f"http://127.0.0.1:{port}/store", user="bob", password="pw",
                      verify=False, default_graph="urn:kzkg:default")
        assert len(accepted) == len(report.sent) and "pw" not in "".join(accepted)
        assert "default" not in targets and "graph=urn%3Akzkg%3Adefault" in targets
        assert report.sent["urn:kzkg:default"] > 0 and "" not in report.sent


@pytest.mark.parametrize("iri", ["", "default", "urn:a b", "http://x/<y>", "http://x/\nz"])
def test_a_default_graph_that_is_not_an_absolute_iri_is_refused(nquads, iri):
    with pytest.raises(PushError, match="is not an absolute IRI"):
        push(nquads, "http://127.0.0.1:9/store", verify=False, default_graph=iri)


def test_a_default_graph_named_like_a_built_graph_is_refused(nquads, built):
    taken = next(str(g.identifier) for g in built.dataset.graphs() if str(g.identifier).startswith("https://w3id.org/kzkg/id/evidence"))
    with pytest.raises(PushError, match="already has a named graph"):
        push(nquads, "http://127.0.0.1:9/store", verify=False, default_graph=taken)


def test_a_store_without_a_default_graph_is_told_to_name_one(nquads):
    """Virtuoso refuses DROP DEFAULT (HTTP 400, SP031): the error says to give --default-graph."""
    import http.server

    class H(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            ok = b"DEFAULT" not in body
            self.send_response(204 if ok else 400)
            self.send_header("Content-Length", "0")
            self.end_headers()

    with _serving(H) as port:
        with pytest.raises(PushError, match="give --default-graph IRI"):
            push(nquads, f"http://127.0.0.1:{port}/update", "update", verify=False)


# --- remote queries against faults ------------------------------------------------------------

@pytest.mark.parametrize("mode,message", [
    ("error", "answered HTTP 500|refused the query"),
    ("html", "did not answer with SPARQL JSON results"),
    ("wrongjson", "no head and results.bindings"),
    ("badterm", "not an RDF term"),
])
def test_remote_faults_are_one_clear_error(mode, message):
    server = FaultServer(mode)
    try:
        with pytest.raises(QueryError, match=message):
            RemoteEngine(server.url + "/sparql", timeout=10).query("SELECT ?n WHERE { ?s ?p ?n }")
    finally:
        server.close()


@pytest.mark.parametrize("mode", ["slow", "trickle"])
def test_remote_deadline_is_total(mode):
    server = FaultServer(mode)
    try:
        t0 = time.monotonic()
        with pytest.raises(QueryError, match="did not answer in full within 2 s"):
            RemoteEngine(server.url + "/sparql", timeout=2).query("SELECT ?n WHERE { ?s ?p ?n }")
        assert time.monotonic() - t0 < 4
    finally:
        server.close()


def test_remote_good_answer_and_no_service():
    server = FaultServer("good")
    try:
        assert RemoteEngine(server.url + "/sparql").query("SELECT ?n WHERE { ?s ?p ?n }").rows == [
            {"n": {"type": "literal", "value": "1"}}]
        with pytest.raises(QueryError, match="SERVICE is refused"):
            RemoteEngine(server.url + "/sparql").query("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }")
        assert len(server.requests) == 1
    finally:
        server.close()


# --- property-based: parsing what a remote sends, checking what a user types ---------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kg.push import check_url, safe_url  # noqa: E402
from kg.remote import parse_results  # noqa: E402

_json = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                         st.sampled_from(["head", "vars", "results", "bindings", "boolean", "type", "value", "x"]),
                         inner, max_size=3), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_json)
def test_any_json_is_results_or_one_clear_error(value):
    import json

    try:
        result = parse_results(json.dumps(value).encode())
    except QueryError as exc:
        assert "SPARQL JSON results" in str(exc) or "not an RDF term" in str(exc)
        return
    assert result.boolean is not None or isinstance(result.rows, list)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_push_target_is_accepted_or_refused_without_credentials(text):
    url = f"http://user:s3cret@{text}" if text.startswith("h") else text
    try:
        check_url(url)
    except PushError as exc:
        assert "s3cret" not in str(exc)
    # (a password's letters may show only where the path itself holds them: hypothesis found text='s3')
    if "s3" not in text:
        assert "s3cret" not in safe_url(f"https://bob:s3cret@example.org/{text}")
        assert "s3" not in safe_url(f"https://bob:s3/c@r@et@example.org/{text}")
