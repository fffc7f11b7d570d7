"""Remote endpoints that want a login, and endpoints that redirect (``--endpoint``, kg/remote.py).

* ``--user NAME`` with the password in ``$KG_ENDPOINT_PASSWORD`` (or the variable ``--password-env``
  names) logs in by HTTP basic authentication, or by digest authentication when the endpoint asks for
  it: before, an endpoint with accounts could not be queried at all;
* a redirect is not followed: SPARQLWrapper's global opener followed one to any server (a trial sent a
  query to 169.254.169.254), and the message then named the first URL's answer.
The servers are real HTTP servers on loopback; the digest one checks the RFC 7616 response (MD5, qop
auth) and turns basic credentials down without a challenge, as Virtuoso's ``/sparql-auth`` does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kg.remote import RemoteEngine
from kg.store import QueryError

ROOT = Path(__file__).resolve().parent.parent
ANSWER = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "ok"}}]}}).encode()
USER, PASSWORD, REALM, NONCE = "bob", "pä:ss wörd", "SPARQL", "d41d8cd98f00b204"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


class _Endpoint(BaseHTTPRequestHandler):
    """``server.scheme``: "basic" (wants Basic), "digest" (wants Digest; Basic turned down without a
    challenge), "open", or "redirect" (302 to ``server.target``). Records each request's Authorization."""

    def log_message(self, *args):
        pass

    def _send(self, code: int, body: bytes = b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        auth = self.headers.get("Authorization") or ""
        self.server.seen.append(auth)
        scheme = self.server.scheme
        if scheme == "redirect":
            return self._send(302, headers=[("Location", self.server.target)])
        if scheme == "basic":
            good = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if auth != good:
                return self._send(401, b"login", [("WWW-Authenticate", f'Basic realm="{REALM}"')])
        if scheme == "digest":
            if not auth.startswith("Digest "):
                # basic credentials turned down without saying which scheme is wanted (as Virtuoso does)
                headers = [] if auth else [("WWW-Authenticate", f'Digest realm="{REALM}", nonce="{NONCE}", qop="auth"')]
                return self._send(401, b"login", headers)
            p = dict(re.findall(r'(\w+)="?([^",]*)"?', auth[len("Digest "):]))
            ha1 = _md5(f"{USER}:{REALM}:{PASSWORD}")
            ha2 = _md5(f"POST:{p.get('uri')}")
            want = _md5(f"{ha1}:{NONCE}:{p.get('nc')}:{p.get('cnonce')}:{p.get('qop')}:{ha2}")
            if p.get("username") != USER or p.get("response") != want:
                return self._send(401, b"wrong", [("WWW-Authenticate", f'Digest realm="{REALM}", nonce="{NONCE}", qop="auth"')])
        self._send(200, ANSWER, [("Content-Type", "application/sparql-results+json")])


def _serve(scheme: str, target: str = ""):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    server.scheme, server.target, server.seen = scheme, target, []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def endpoint(request):
    servers = []

    def make(scheme: str, target: str = ""):
        servers.append(_serve(scheme, target))
        return servers[-1], f"http://127.0.0.1:{servers[-1].server_address[1]}/sparql"

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("scheme", ["basic", "digest"])
def test_a_login_answers_basic_and_digest_authentication(endpoint, scheme):
    server, url = endpoint(scheme)
    rows = RemoteEngine(url, user=USER, password=PASSWORD).query("SELECT ?x { ?x ?p ?o }").rows
    assert rows == [{"x": {"type": "literal", "value": "ok"}}]
    assert server.seen[-1].startswith("Basic " if scheme == "basic" else "Digest ")


@pytest.mark.parametrize("scheme", ["basic", "digest"])
def test_no_login_or_a_wrong_one_is_one_line_that_says_what_to_give(endpoint, scheme):
    _, url = endpoint(scheme)
    with pytest.raises(QueryError, match=r"refused the query: HTTP 401 \(an endpoint with accounts: give --user NAME "
                                         r"and the password in \$KG_ENDPOINT_PASSWORD\)"):
        RemoteEngine(url).query("SELECT ?x { ?x ?p ?o }")
    with pytest.raises(QueryError, match=r"HTTP 401 \(check --user and the password variable\)") as err:
        RemoteEngine(url, user=USER, password="wrong").query("SELECT ?x { ?x ?p ?o }")
    assert "wrong" not in str(err.value).replace("HTTP 401 (check", "")


def test_a_user_name_with_a_colon_is_refused():
    with pytest.raises(QueryError, match="holds no ':'"):
        RemoteEngine("http://127.0.0.1:9/sparql", user="a:b", password="x")


def test_a_redirect_is_not_followed(endpoint):
    elsewhere, target = endpoint("open")
    _, url = endpoint("redirect", target)
    with pytest.raises(QueryError) as err:
        RemoteEngine(url, user=USER, password=PASSWORD).query("SELECT ?x { ?x ?p ?o }")
    assert f"answered with a redirect (HTTP 302) to {target}; kg does not follow redirects" in str(err.value)
    assert elsewhere.seen == []  # neither the query nor the credentials went to the other server


def _kg(*argv, env=None):
    return subprocess.run([sys.executable, "-m", "kg", *argv], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, **(env or {})})


def test_the_commands_log_in_with_the_password_from_the_environment(endpoint):
    _, url = endpoint("digest")
    done = _kg("sparql", "SELECT ?x { ?x ?p ?o }", "--endpoint", url, "--user", USER, "--format", "csv",
               "--password-env", "MY_STORE_PASSWORD", env={"MY_STORE_PASSWORD": PASSWORD})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["x", "ok"]


@pytest.mark.parametrize("argv,says", [
    (["sparql", "SELECT * { ?s ?p ?o }", "--user", USER], "--user logs in to a remote endpoint: give --endpoint URL too"),
    (["sparql", "SELECT * { ?s ?p ?o }", "--endpoint", "http://127.0.0.1:9/sparql", "--user", USER],
     "--user bob: put the endpoint's password in $KG_ENDPOINT_PASSWORD"),
    (["network", "actor", "--metrics", "--endpoint", "http://127.0.0.1:9/sparql", "--user", USER],
     "--user bob: put the endpoint's password in $KG_ENDPOINT_PASSWORD"),
])
def test_a_user_without_an_endpoint_or_a_password_is_one_line(argv, says):
    env = {k: v for k, v in os.environ.items() if k != "KG_ENDPOINT_PASSWORD"}
    done = subprocess.run([sys.executable, "-m", "kg", *argv], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and says in done.stderr, done.stderr
