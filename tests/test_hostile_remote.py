"""Remote endpoints (``--endpoint``, kg/remote.py) given or answering what they should not.

* an endpoint URL holding a user name or password (``http://user:secret@host/sparql``): urllib takes
  ``user:secret@host`` for the host name, so the password went to the name resolver (off the machine)
  and the message said "Name or service not known"; now one line refuses it before anything is sent,
  on every command that takes ``--endpoint`` (they all open kg.remote.RemoteEngine);
* an endpoint answering without end: the whole answer was read into memory (10 GB for a 3 GB answer
  in a trial) and parsed after the deadline; now reading stops past ``kg.remote.MAX_ANSWER`` bytes.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kg import remote
from kg.store import QueryError

ROOT = Path(__file__).resolve().parent.parent


class _Rows(BaseHTTPRequestHandler):
    """Answers every query with ``server.rows`` rows of a 1000-character literal, as one stream."""

    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.hits += 1
        row = json.dumps({"x": {"type": "literal", "value": "a" * 1000}}).encode()
        body = b'{"head": {"vars": ["x"]}, "results": {"bindings": [' + b",".join([row] * self.server.rows) + b"]}}"
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass  # the client stopped reading


@pytest.fixture
def rows_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Rows)
    server.hits, server.rows = 0, 10
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def _url(server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/sparql"


@pytest.mark.parametrize("netloc", ["user:s3cret@127.0.0.1", "user@127.0.0.1", ":s3cret@127.0.0.1",
                                    "user:s3cret@[::1]"])
def test_an_endpoint_holding_credentials_is_refused_before_any_look_up(monkeypatch, netloc):
    asked = []
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: asked.append(host) or [])
    with pytest.raises(QueryError) as err:
        remote.RemoteEngine(f"http://{netloc}:1/sparql").query("SELECT * { ?s ?p ?o }")
    assert "holds a user name or password" in str(err.value) and "s3cret" not in str(err.value)
    assert asked == []


def test_an_endpoint_url_python_cannot_split_is_one_line():
    with pytest.raises(QueryError, match="is not valid"):
        remote.RemoteEngine("http://u:p@[::1/sparql")


@pytest.mark.parametrize("argv", [
    ["sparql", "SELECT * { ?s ?p ?o }"],
    ["query", "coverage-classes"],
    ["search", "isil"],
    ["network", "actor", "--metrics"],
])
def test_every_command_with_an_endpoint_refuses_credentials_in_one_line(rows_server, argv):
    url = _url(rows_server).replace("127.0.0.1", "user:s3cret@127.0.0.1")
    done = subprocess.run([sys.executable, "-m", "kg", *argv, "--endpoint", url], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "holds a user name or password" in done.stderr and "s3cret" not in done.stderr
    assert rows_server.hits == 0


def test_an_answer_larger_than_the_cap_is_refused(rows_server, monkeypatch):
    monkeypatch.setattr(remote, "MAX_ANSWER", 100_000)
    rows_server.rows = 99  # about 104 KB: just over
    with pytest.raises(QueryError, match=r"answered more than 0 MB: ask for fewer rows"):
        remote.RemoteEngine(_url(rows_server)).query("SELECT ?x { ?x ?p ?o }")


def test_an_answer_within_the_cap_is_read_whole(rows_server, monkeypatch):
    monkeypatch.setattr(remote, "MAX_ANSWER", 100_000)
    rows_server.rows = 90  # about 95 KB: just under
    result = remote.RemoteEngine(_url(rows_server)).query("SELECT ?x { ?x ?p ?o }")
    assert len(result.rows) == 90 and result.rows[0]["x"]["value"] == "a" * 1000


def test_push_gives_up_on_a_server_that_trickles_its_answer_at_the_deadline():
    """A socket timeout restarts at every byte: a store sending one byte every half second held each
    request of ``kg push --timeout 2`` for 50 s (985 of them); the timeout is now the whole request's."""
    import time

    from faultserver import FaultServer

    from kg.push import PushError, _Client

    server = FaultServer("trickle")
    try:
        client = _Client(None, None, 2.0, False)
        start = time.monotonic()
        with pytest.raises(PushError, match=r"did not answer in full within 2 s") as err:
            client.send("POST", server.url + "/update", b"DROP SILENT GRAPH <urn:x>", "application/sparql-update")
        assert time.monotonic() - start < 6
        assert not err.value.refused  # a slow answer may pass on another try
    finally:
        server.close()
