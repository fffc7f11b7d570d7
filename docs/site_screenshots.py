"""Screenshots of each kind of page of kg site, of the query page and of the networks, for the README.

Usage: python docs/site_screenshots.py   (after kg build; needs chromium; writes docs/site-*.png)

The site is built WITHOUT passages (references and hashes only), so that no sentence of a document
ends up in the repository, not even as an image.
"""

import json
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import network  # noqa: E402
from kg.browser import open_page  # noqa: E402
from kg.query import load_queries  # noqa: E402
from kg.render import write_page  # noqa: E402
from kg.site import write_site  # noqa: E402
from kg.store import built_file, open_engine  # noqa: E402

TYPE = """(async function (id, text) {
  var i = document.getElementById(id); i.value = text; i.dispatchEvent(new Event("input"));
  for (var k = 0; k < 200 && !document.querySelector("#" + id + "-results a"); k++) await new Promise(r => setTimeout(r, 25));
  return true; })(%s, %s)"""


def _query_server(engine):
    """The query page with /api/queries and /query on a loopback port (what kg serve offers)."""
    page = (ROOT / "kg" / "static" / "query-page.html").read_bytes()
    queries = [{"name": q.name, "summary": q.summary, "text": q.text, "params": [vars(p) for p in q.params]}
               for q in load_queries().values()]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, body, ctype):
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self._send(page if self.path == "/" else json.dumps(queries).encode(), "text/html" if self.path == "/" else "application/json")

        def do_POST(self):
            text = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())["query"][0]
            result = engine.query(text)
            self._send(json.dumps({"head": {"vars": result.variables}, "results": {"bindings": result.rows}}).encode(),
                       "application/sparql-results+json")

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def main() -> int:
    engine = open_engine(built_file(ROOT))
    out = ROOT / "build" / "site-screenshots"
    report = write_site(engine, out, corpus=None)
    print(f"site without passages: {sum(report.pages.values())} pages in {report.seconds:.1f} s")
    docs = ROOT / "docs"
    shots = {
        "site-home": ("index.html", TYPE % ('"kg-search-home"', '"KNB"')),
        "site-entity": ("entity/group/islamic-state.html", None),
        "site-document": ("document/d003.html", None),
        "site-question": ("question/attacks.html", None),
        "site-timeline": ("timeline.html", None),
    }
    for name, (page, script) in shots.items():
        r = open_page(out / page, screenshot=docs / f"{name}.png", evaluate=script, settle=1.0, width=1400, height=900)
        print(f"{name}: {page}, console errors {r.errors}")
    for projection in ("actor", "source"):
        path = write_page(network.project(engine, projection), out / f"network-{projection}.html",
                          title=f"{projection.capitalize()} network", site="./")
        r = open_page(path, screenshot=docs / f"network-{projection}.png", settle=1.0, width=1400, height=900)
        print(f"network-{projection}: {r.drawn} nodes drawn, console errors {r.errors}")
    httpd = _query_server(engine)
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    pick = """(async function () {
      document.querySelectorAll("#questions button")[2].click();
      document.querySelector("#params input[name=place]").value = "Aktobe";
      window.kgRun();
      while (!window.kgDone) await new Promise(r => setTimeout(r, 20));
      return window.kgDone;
    })()"""
    r = open_page(url, offline=False, evaluate=pick, screenshot=docs / "query-page.png", settle=0.5, width=1400, height=900)
    print(f"query-page: {r.result}, console errors {r.errors}")
    httpd.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
