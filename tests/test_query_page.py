"""The query page (kg/static/query-page.html): every named question gives the rows of kg query.

A small loopback server stands in for kg serve (kg/front.py): the page at /, the files of kg/static/
at /static/ (the page resolves names with static/search.js), the named questions at /api/queries and
a SPARQL 1.1 Protocol endpoint at /query answered by the embedded engine. Headless Chromium (offline
but for loopback) pastes each question's text into the page, fills the parameters and runs it.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kg.browser import find_chromium, open_page
from kg.namespaces import PREFIXES
from kg.query import load_queries, run_named

STATIC = Path(__file__).resolve().parent.parent / "kg" / "static"
PAGE = STATIC / "query-page.html"
#: Parameters for the questions that need one (every other question runs with its defaults); "tablighi"
#: is no whole label: kg.search takes Tablighi Jamaat, ahead of the events named after it.
GIVEN = {"entity-statements": {"entity": "tablighi"}, "entity-documents": {"entity": "knb"},
         "entity-cited-works": {"entity": "Islamic State"}, "group-neighbourhood": {"group": "ISIL"},
         "attacks": {"place": "Aktobe"}, "estimates": {"quantity": "quantity:kazakhstanis-in-syria-and-iraq"}}


def test_page_declares_the_project_prefixes_and_fetches_nothing_outside():
    html = PAGE.read_text(encoding="utf-8")
    declared = dict(re.findall(r'"([\w-]+)": "([^"]+)"', html.split("var PREFIXES =", 1)[1].split("};", 1)[0]))
    assert declared == PREFIXES
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assert "fetch(\"http" not in html and "//cdn" not in html


def test_page_resolves_names_on_the_terms_of_kg_search():
    from kg import known, search

    script = PAGE.read_text(encoding="utf-8")
    margin = re.search(r"var MARGIN = (\{[^}]*\})", script).group(1)
    assert json.loads(re.sub(r"(\d+):", r'"\1":', margin)) == {str(k): v for k, v in search.MARGIN.items()}
    assert re.search(r"FUZZY_TAKE = (\d+)", script).group(1) == str(search.FUZZY_TAKE)
    assert re.search(r"AMBIGUOUS_LIMIT = (\d+)", script).group(1) == str(search.AMBIGUOUS_LIMIT)
    assert re.search(r"MAX_INTEGER_DIGITS = (\d+)", script).group(1) == str(known.MAX_INTEGER_DIGITS)
    assert search._NAMES.strip() == json.loads(re.search(r"var NAMES = (.*?);\n", script, re.S).group(1)
                                               .replace('" +\n    "', "")).strip()


@pytest.fixture(scope="module")
def server(engine):
    queries = [{"name": q.name, "summary": q.summary, "text": q.text,
                "params": [vars(p) for p in q.params]} for q in load_queries().values()]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, body: bytes, ctype: str, code: int = 200):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path == "/":
                self._send(PAGE.read_bytes(), "text/html; charset=utf-8")
            elif self.path.startswith("/static/") and (STATIC / self.path[len("/static/"):]).is_file():
                self._send((STATIC / self.path[len("/static/"):]).read_bytes(), "text/javascript; charset=utf-8")
            elif self.path == "/api/queries":
                self._send(json.dumps(queries).encode(), "application/json")
            else:
                self._send(b"not found", "text/plain", 404)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            text = urllib.parse.parse_qs(self.rfile.read(length).decode())["query"][0]
            try:
                result = engine.query(text)
            except Exception as exc:  # the page shows the endpoint's message
                self._send(str(exc).encode(), "text/plain", 400)
                return
            if result.boolean is not None:
                body = {"head": {}, "boolean": result.boolean}
            else:
                body = {"head": {"vars": result.variables}, "results": {"bindings": result.rows}}
            self._send(json.dumps(body).encode(), "application/sparql-results+json")

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def _canonical(variables, rows):
    """Rows as sorted tuples of plain values, concatenated cells with their parts sorted (GROUP_CONCAT has no order)."""
    out = []
    for r in rows:
        out.append(tuple(" | ".join(sorted(re.split(r" \| |, |; ", r[v]["value"]))) if v in r else "" for v in variables))
    return sorted(out)


def test_every_named_question_gives_the_rows_of_kg_query(server, engine):
    if not find_chromium():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    queries = load_queries()
    jobs = [{"name": n, "text": q.text, "given": GIVEN.get(n, {})} for n, q in queries.items()]
    script = """(async function () {
      var out = {};
      for (const job of %s) {
        window.kgSetQuery(job.text, job.given);
        window.kgRun();
        while (!window.kgDone) await new Promise(r => setTimeout(r, 20));
        out[job.name] = window.kgDone.error ? {error: window.kgDone.error} : window.kgLastResult;
      }
      return out;
    })()""" % json.dumps(jobs)
    report = open_page(server, offline=False, evaluate=script, timeout=240)
    assert report.errors == [] and report.requests and all(u.startswith("http://127.0.0.1") for u in report.requests)
    assert report.drawn == len(queries), "the page lists every named question from /api/queries"
    answers = report.result
    for name, q in queries.items():
        expected = run_named(engine, q, GIVEN.get(name, {}))
        got = answers[name]
        assert "error" not in got, (name, got)
        assert got["variables"] == expected.variables, name
        assert _canonical(expected.variables, got["bindings"]) == _canonical(expected.variables, expected.rows), name
        assert len(got["bindings"]) == len(expected.rows) > 0 or name in ("disagreements",), name
