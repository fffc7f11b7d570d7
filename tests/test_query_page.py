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
#: Rows of one page of the page (its PAGE_SIZE, as kg query prints them)
PAGE_SIZE = int(re.search(r"var PAGE_SIZE = (\d+);", PAGE.read_text(encoding="utf-8")).group(1))
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


def _run_in_page(server, jobs, extra=""):
    """Each job's first page in the page (and what ``extra`` adds per job), as a dict by name."""
    script = """(async function () {
      var out = {};
      const wait = async () => { while (!window.kgDone) await new Promise(r => setTimeout(r, 20)); return window.kgDone; };
      for (const job of %s) {
        window.kgSetQuery(job.text, job.given);
        window.kgRun();
        const done = await wait();
        out[job.name] = done.error ? {error: done.error} : {first: window.kgLastResult, total: window.kgLastTotal};
        %s
      }
      return out;
    })()""" % (json.dumps(jobs), extra)
    report = open_page(server, offline=False, evaluate=script, timeout=240)
    assert report.errors == [] and report.requests and all(u.startswith("http://127.0.0.1") for u in report.requests)
    return report


def test_every_named_question_gives_the_first_page_of_kg_query(server, engine):
    """The page shows what kg query prints: the first page (page first where the question has a core)
    and the total of the whole answer."""
    if not find_chromium():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from kg.query import DEFAULT_PAGE

    assert PAGE_SIZE == DEFAULT_PAGE
    queries = load_queries()
    jobs = [{"name": n, "text": q.text, "given": GIVEN.get(n, {})} for n, q in queries.items()]
    report = _run_in_page(server, jobs)
    assert report.drawn == len(queries), "the page lists every named question from /api/queries"
    answers = report.result
    for name, q in queries.items():
        expected = run_named(engine, q, GIVEN.get(name, {}), limit=PAGE_SIZE)
        got = answers[name]
        assert "error" not in got, (name, got)
        assert got["first"]["variables"] == expected.variables, name
        assert _canonical(expected.variables, got["first"]["bindings"]) == _canonical(expected.variables, expected.rows), name
        assert got["total"] == expected.total, name
        assert len(got["first"]["bindings"]) == min(PAGE_SIZE, expected.total), name
        assert expected.total > 0 or name in ("disagreements",), name


def test_pages_of_a_listing_put_together_are_its_whole_answer(server, engine):
    """Next pages of a question with a page core, and of one without, are kg query's pages; the
    'whole answer' download holds every row."""
    if not find_chromium():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from kg.paging import page_plan

    queries = load_queries()
    paged = [n for n, q in queries.items() if page_plan(q.text) and run_named(engine, q, {}, limit=1).total > PAGE_SIZE]
    plain = [n for n, q in queries.items() if not page_plan(q.text) and run_named(engine, q, GIVEN.get(n, {}), limit=1).total > PAGE_SIZE]
    assert paged, "a question with a page core answers more than one page on the curated graph"
    names = paged[:1] + plain[:1]
    jobs = [{"name": n, "text": queries[n].text, "given": GIVEN.get(n, {})} for n in names]
    extra = """
        out[job.name].pages = [];
        for (let offset = %d; offset < window.kgLastTotal; offset += %d) {
          window.kgShowPage(offset);
          await wait();
          out[job.name].pages.push(window.kgLastResult);
        }
        out[job.name].whole = await window.kgWholeAnswer();""" % (PAGE_SIZE, PAGE_SIZE)
    answers = _run_in_page(server, jobs, extra).result
    for name in names:
        got, q = answers[name], queries[name]
        whole = run_named(engine, q, GIVEN.get(name, {}))
        pages = [got["first"]] + got["pages"]
        assert len(pages) == -(-whole.total // PAGE_SIZE), name
        for i, page in enumerate(pages):
            expected = run_named(engine, q, GIVEN.get(name, {}), limit=PAGE_SIZE, offset=i * PAGE_SIZE)
            assert _canonical(whole.variables, page["bindings"]) == _canonical(whole.variables, expected.rows), (name, i)
        rows = [r for page in pages for r in page["bindings"]]
        assert _canonical(whole.variables, rows) == _canonical(whole.variables, whole.rows), name
        assert _canonical(whole.variables, got["whole"]["bindings"]) == _canonical(whole.variables, whole.rows), name


def test_listings_with_ranks_are_paged_by_look_up_as_kg_query_pages_them(server, engine):
    """A question with a '#+ rank' line and its defaults: each page is found by rank look-up (kg.paging),
    the pages are kg query's, and an offset past the end gives no row and the total."""
    if not find_chromium():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from kg.paging import page_plan

    queries = load_queries()
    names = sorted(n for n, q in queries.items() if (plan := page_plan(q.text)) and plan.rank_pattern)
    assert len(names) >= 4
    jobs = [{"name": n, "text": queries[n].text, "given": {}} for n in names]
    extra = """
        out[job.name].paths = [window.kgLastPath];
        out[job.name].pages = [];
        for (let offset = %d; offset < window.kgLastTotal + %d; offset += %d) {
          window.kgShowPage(offset);
          await wait();
          out[job.name].pages.push({rows: window.kgLastResult, total: window.kgLastTotal});
          out[job.name].paths.push(window.kgLastPath);
        }""" % (PAGE_SIZE, PAGE_SIZE, PAGE_SIZE)
    answers = _run_in_page(server, jobs, extra).result
    for name in names:
        got, q = answers[name], queries[name]
        whole = run_named(engine, q, {})
        assert set(got["paths"]) == {"rank"}, name
        pages = [{"rows": got["first"], "total": got["total"]}] + got["pages"]
        assert len(pages) == -(-whole.total // PAGE_SIZE) + 1, name
        for i, page in enumerate(pages):
            expected = run_named(engine, q, {}, limit=PAGE_SIZE, offset=i * PAGE_SIZE)
            assert page["total"] == whole.total, (name, i)
            assert _canonical(whole.variables, page["rows"]["bindings"]) == _canonical(whole.variables, expected.rows), (name, i)


def _typed_and_run(server, text, answer, **size):
    """The page's report once ``text`` is typed in and run: ``answer`` (a JavaScript expression) is its result."""
    if not find_chromium():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    script = """(async function () {
      window.kgSetQuery(%s, {});
      window.kgRun();
      while (!window.kgDone) await new Promise(r => setTimeout(r, 20));
      return %s;
    })()""" % (json.dumps(text), answer)
    return open_page(server, offline=False, evaluate=script, timeout=120, **size)


@pytest.mark.parametrize("width, height", [(390, 844), (1400, 900)])
def test_the_page_fits_a_phone_and_a_desktop(server, width, height):
    """With a listing answered, the page is no wider than the window and the query and its answer get the
    window's width (on a 390 px phone the list of questions took 22em beside them, leaving 80 px)."""
    report = _typed_and_run(server, load_queries()["estimates"].text, """{
      scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
      main: document.querySelector("main").getBoundingClientRect().width,
      rows: document.querySelectorAll("#results tbody tr").length, error: window.kgDone.error || null}""",
                            width=width, height=height)
    assert report.errors == []
    r = report.result
    assert r["error"] is None and r["rows"] == PAGE_SIZE
    assert r["scroll"] <= r["client"], r
    if width < 760:
        assert r["main"] >= 0.9 * r["client"], r


@pytest.mark.parametrize("typed, where", [
    ("SELECT ?x WHERE { ?x ?p }", "error at the end of the query"),
    # kg: is declared by the page, ahead of the typed lines: the error is on line 3 of what was typed
    ("SELECT ?x WHERE {\n  ?x a kg:Attack .\n  BIND(1 AS) .\n}", "error at 3:13"),
])
def test_a_syntax_error_is_placed_in_the_text_typed(server, typed, where):
    """The engine counts lines in the text the page sends, which adds the project's prefixes (and a last
    line break): 'error at 2:1' for a one-line query, 'error at 4:13' for the third line of one using kg:.
    The page gives the position in what was typed."""
    report = _typed_and_run(server, typed, "window.kgDone.error || null")
    assert report.result and where in report.result, report.result
