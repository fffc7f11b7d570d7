"""Every page kg draws, from a graph and a new document written to attack it: no script of theirs runs,
no ``javascript:`` becomes a link, and their text is shown, control characters and bidirectional
overrides drawn as escapes (``\\u202e``) instead of obeyed.

The kind: a value of the graph or a passage of a document is data wherever a page shows it, in HTML
text, an attribute, JSON inside a ``<script>`` element, or text a script draws (tooltips, canvas
labels, search results, timeline items, the query page's cells). One mechanism for each way in:
Jinja's autoescape with :func:`kg.output.visible` as ``finalize`` for every template (site, network
pages, docs), :func:`kg.output.script_json` for every JSON a page embeds, :func:`kg.output.link_target`
for every link that is not a path of the site, and the same escapes in the query page's script.
The corpus has none of this; a user's new document may, so the project here is a temporary one:
the real ontology, one hostile document registered with ``kg add-source``, an entity whose label,
aliases and description carry the same payloads, an attack, and spans over every hostile passage.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_build import PREFIXES

from kg.browser import find_chromium, open_page
from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
#: What a script of the attacker does if it ever runs
PWN = "document.title='PWNED'"
#: Raw in the document: tags, a closing </script>, a comment opener with <script (which would swallow the
#: rest of a script element), javascript: links, bidi overrides and isolates, C0 and C1 controls (no NUL,
#: which the corpus reader refuses), separators and a very long word.
DOC = ("Hostile report. A closing tag </script><script>" + PWN + "</script> in the text.\n"
       "An image <img src=x onerror=\"" + PWN + "\"> and a link <a href=\"javascript:" + PWN + "\">here</a>.\n"
       "Reversed: \u202eevil desrever\u202c and isolates \u2067x\u2069 and controls \x01\x07\x1b[31m red \x7f\x85.\n"
       "A very long word " + "W" * 3000 + " ends.\n"
       "Separators \u2028 line \u2029 paragraph </script><!--<script> end.\n")
#: The same in a name (Turtle escapes; a name takes no control character, kg.literals refuses them there)
NAME = ("<img src=x onerror=\\\"" + PWN + "\\\"></script><!--<script>" + PWN + "</script>\\u202eEvil\\u2028"
        + "L" * 400)
#: How a page shows that name's start
SHOWN = "<img src=x onerror=\"" + PWN + "\"></script><!--<script>" + PWN + "</script>\\u202eEvil\\u2028"
UNSHOWN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _span(start: str, end: str) -> tuple[str, str]:
    s = DOC.index(start)
    e = DOC.index(end, s) + len(end)
    return f"d005-{s}-{e}", hashlib.sha256(DOC[s:e].encode()).hexdigest()


def make_hostile_project(base: Path) -> tuple[Path, Path]:
    """A project in ``base/project`` with the hostile document in ``base/corpus`` registered as 005 and
    claims on it, built; returns the project and corpus folders."""
    project, corpus = base / "project", base / "corpus"
    shutil.copytree(ROOT / "ontology", project / "ontology")
    (project / "graph" / "entities").mkdir(parents=True)
    (project / "graph" / "claims").mkdir()
    shutil.copy(ROOT / "graph" / "sources.ttl", project / "graph" / "sources.ttl")
    shutil.copytree(ROOT / "queries", project / "queries")  # and a question whose file name is a script URL
    (project / "queries" / f"javascript:{PWN}.rq").write_text(
        "#+ summary: Which names hold </script><img src=x onerror=alert(1)>?\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?x ?name WHERE { ?x skos:prefLabel ?name }\n",
        encoding="utf-8")
    corpus.mkdir()
    (corpus / "005_hostile.txt").write_text(DOC, encoding="utf-8")
    assert main(["add-source", str(corpus / "005_hostile.txt"), "--root", str(project), "--corpus", str(corpus),
                 "--title", "Hostile </script><img src=x onerror=\"" + PWN + "\">"]) == 0
    (project / "graph" / "entities" / "t.ttl").write_text(PREFIXES + f"""
group:hostile a kg:ArmedGroup ; skos:prefLabel "Hostile {NAME}"@en ; skos:altLabel "Alias {NAME}"@en .
group:tj a kg:ReligiousMovement ; skos:prefLabel "Tablighi Jamaat"@en .
event:hostile-attack a kg:Attack ; skos:prefLabel "Attack {NAME}"@en .
""", encoding="utf-8")
    claims = [("A closing", "in the text.", (f'group:hostile kg:inspiredBy group:tj ; schema:description "Said {NAME}"@en ; '
                                              f'schema:url "javascript:{PWN}" ; dcterms:source <javascript:{PWN}> .')),
              ("An image", "here</a>.", 'event:hostile-attack kg:date "2015-06-05"^^xsd:date ; kg:carriedOutBy group:hostile .'),
              ("Reversed", "\x85.", "group:tj kg:tiedTo group:hostile ."),
              ("A very long", "ends.", 'group:hostile kg:legalStatus "banned" .'),
              ("Separators", "end.", "event:hostile-attack kg:perpetratedBy group:hostile .")]
    text = PREFIXES
    for start, end, body in claims:
        ev, sha = _span(start, end)
        text += f'ev:{ev} {{ {body} }}\nev:{ev} kg:sha256 "{sha}" .\n'
    (project / "graph" / "claims" / "d005.trig").write_text(text, encoding="utf-8")
    assert main(["build", "--root", str(project), "--corpus", str(corpus)]) == 0
    return project, corpus


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile project, built, with its site (and networks) and docs written."""
    project, corpus = make_hostile_project(tmp_path_factory.mktemp("hostile"))
    assert main(["site", "--root", str(project), "--corpus", str(corpus), "--networks"]) == 0
    assert main(["docs", "--root", str(project)]) == 0
    return project


def _pages(project: Path) -> list[Path]:
    site = project / "build" / "site"
    return sorted(site.rglob("*.html")) + [project / "build" / "docs" / "index.html", project / "build" / "docs" / "shapes.html"]


class _Elements(HTMLParser):
    """The links and the text of each script element of a page, as a browser's parser splits them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.scripts, self._script = [], [], None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction") and value is not None:
                self.links.append(value)
        if tag == "script":
            self._script = []

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None


def test_every_page_kind_is_drawn_from_the_hostile_graph(hostile):
    names = {p.relative_to(hostile / "build").as_posix() for p in _pages(hostile)}
    for page in ("site/entity/group/hostile.html", "site/entity/event/hostile-attack.html", "site/document/d005.html",
                 "site/timeline.html", "site/class/ArmedGroup.html", "site/question/groups.html", "site/index.html",
                 "site/network/actor.html", "site/network/attack.html", "site/network/source.html", "docs/index.html"):
        assert page in names


def test_no_page_links_to_a_script_url_nor_holds_an_unshown_character(hostile):
    """The written pages themselves (what any browser, old or new, reads): every link a path of the site
    or an http(s) URL, no script element that an attacker's text could end or turn into a comment, no
    raw control or bidi character in any page, script or search index kg wrote."""
    for page in _pages(hostile):
        html = page.read_text(encoding="utf-8")
        parsed = _Elements()
        parsed.feed(html)
        for link in parsed.links:  # (a scheme is what comes before the first ':' of a URL, if no '/', '?', '#' does)
            scheme = re.match(r"\s*([^:/?#]*):", link)
            assert link == "data:," or link.startswith("data:image/png;") or not scheme \
                or scheme.group(1).lower() in ("http", "https"), (page, link)  # (an icon, pyLODE's images)
        for script in parsed.scripts:
            if len(script) < 20000:  # (vis-network and the label script are the project's own code)
                assert "<!--" not in script and "<script" not in script.lower() and "</" not in script, (page, script[:300])
        if "vis-network" not in html:  # (the vendored library holds its own control characters)
            assert not UNSHOWN.search(html), (page, UNSHOWN.search(html))
    for name in ("search-index.js", "search-index.json"):
        text = (hostile / "build" / "site" / name).read_text(encoding="utf-8")
        assert "\\\\u202eEvil" in text and not UNSHOWN.search(text)


def test_passages_show_controls_and_overrides_as_escapes(hostile):
    page = (hostile / "build" / "site" / "document" / "d005.html").read_text(encoding="utf-8")
    assert "Reversed: \\u202eevil desrever\\u202c and isolates \\u2067x\\u2069 and controls \\x01\\x07\\x1b[31m red \\x7f\\x85." in page
    assert "&lt;img src=x onerror=&#34;document.title=&#39;PWNED&#39;&#34;&gt;" in page
    assert "W" * 3000 in page  # the long word whole (the style sheet breaks it anywhere)


BROWSER = pytest.mark.skipif(not find_chromium(), reason="Chromium is not installed (apt-get install chromium)")

#: What a page shows once drawn: its title, its text, and the text its scripts drew (timeline items,
#: the network's labels and tooltips, the entity page's small network)
SEEN = """(function () {
  function texts(selector) { return Array.prototype.map.call(document.querySelectorAll(selector), function (e) { return e.textContent; }); }
  var out = {title: document.title, text: document.body.innerText, items: texts(".vis-item-content"), nodes: []};
  var net = window.kgNetwork || (window.kgMiniNetwork || null);
  if (net && net.body && net.body.data) {
    out.nodes = net.body.data.nodes.get().map(function (n) {
      return [n.fullLabel || n.label || "", n.title && n.title.textContent !== undefined ? n.title.textContent : String(n.title || "")];
    });
  }
  return out;
})()"""


@BROWSER
@pytest.mark.parametrize("page", ["site/entity/group/hostile.html", "site/entity/event/hostile-attack.html",
                                  "site/document/d005.html", "site/timeline.html", "site/class/ArmedGroup.html",
                                  "site/question/groups.html", "site/question/attacks.html", "site/index.html",
                                  "site/question/index.html", f"site/question/javascript:{PWN}.html",
                                  "site/network/actor.html", "site/network/attack.html", "site/network/source.html",
                                  "docs/index.html", "docs/shapes.html"])
def test_in_chromium_no_hostile_script_runs_and_the_text_is_shown(hostile, page):
    ready = "window.kgStatus || (document.readyState === 'complete' && !document.querySelector('#kg-network, #kg-timeline'))"
    report = open_page(hostile / "build" / page, evaluate=SEEN, ready=ready, timeout=60)
    assert report.errors == [], report.errors
    seen = report.result
    assert seen["title"] != "PWNED" and "PWNED" not in seen["title"].replace(PWN, ""), seen["title"]
    everything = json.dumps(seen, ensure_ascii=False)
    assert not UNSHOWN.search(seen["text"] + "".join(seen["items"]) + "".join(a + b for a, b in seen["nodes"])), page
    if page.startswith(("site/entity", "site/class", "site/question/groups")):
        assert SHOWN in seen["text"], seen["text"][:2000]
    if page == "site/document/d005.html":
        assert "<img src=x onerror=\"" + PWN + "\">" in seen["text"] and "\\u202eevil desrever\\u202c" in seen["text"]
    if page == "site/timeline.html":
        assert any(SHOWN in item for item in seen["items"]), seen["items"]
    if page.startswith("site/network/") and page != "site/network/source.html":
        assert any(SHOWN in label for label, _ in seen["nodes"]) and any(SHOWN in tip for _, tip in seen["nodes"]), everything[:2000]


@BROWSER
def test_in_chromium_the_search_box_shows_the_hostile_name_as_text(hostile):
    script = """(async function () {
      var input = document.getElementById("kg-search-home");
      input.value = "hostile";
      input.dispatchEvent(new Event("input"));
      for (var i = 0; i < 400 && !document.querySelector("#kg-search-home-results a"); i++) await new Promise(r => setTimeout(r, 25));
      return {title: document.title, found: Array.prototype.map.call(document.querySelectorAll("#kg-search-home-results a"),
        function (a) { return [a.textContent, a.getAttribute("href")]; })};
    })()"""
    report = open_page(hostile / "build" / "site" / "index.html", evaluate=script, timeout=60)
    assert report.errors == [] and report.result["title"] != "PWNED"
    found = {href: text for text, href in report.result["found"]}
    assert found["document/d005.html"].startswith("Hostile </script><img src=x onerror="), found  # text, not markup
    assert found["entity/group/hostile.html"].startswith("Hostile "), found
    assert not UNSHOWN.search("".join(found.values())), found


@BROWSER
def test_in_chromium_the_query_page_of_kg_serve_shows_hostile_values_as_text(hostile):
    """The query page (kg/static/query-page.html) as kg serve serves it, answering a question over the
    hostile graph: each cell is text, escapes drawn; the page's title is its own."""
    from kg.front import make_server

    server = make_server(hostile / "build" / "kg.nq", "127.0.0.1", 0, timeout=30, site=hostile / "build" / "site")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    query = ("#+ summary: Names \u202eesrever\u202c of the graph\n"
             "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?x ?label WHERE { ?x skos:prefLabel ?label "
             "FILTER(STRSTARTS(STR(?label), 'Hostile')) }")
    script = """(async function () {
      while (!window.kgSetQuery) await new Promise(r => setTimeout(r, 20));
      window.kgSetQuery(%s, {});
      window.kgRun();
      while (!window.kgDone) await new Promise(r => setTimeout(r, 20));
      return {title: document.title, summary: document.getElementById("summary").textContent, cells: Array.prototype.map.call(document.querySelectorAll("#results td"), function (td) {
        return [td.textContent, td.title]; })};
    })()""" % json.dumps(query)
    try:
        report = open_page(f"http://127.0.0.1:{server.server_address[1]}/", offline=False, evaluate=script, timeout=60,
                           ready="document.readyState === 'complete'")
    finally:
        server.shutdown()
        server.server_close()
    assert report.errors == [], report.errors
    assert report.result["title"] != "PWNED"
    assert report.result["summary"] == "Names \\u202eesrever\\u202c of the graph"
    cells = [text for text, _ in report.result["cells"]]
    assert any(("Hostile " + SHOWN) in cell for cell in cells), cells
    assert not UNSHOWN.search("".join(a + b for a, b in report.result["cells"]))


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:x",
                                 "java\nscript:x", "\x01javascript:x", "data:text/html,<script>x</script>", "vbscript:x",
                                 "file:///etc/passwd", "//evil.example/x", "https://a.example/\"onmouseover=x", "https://a b"])
def test_link_target_refuses_every_url_a_click_could_run_or_leave_by(url):
    from kg.output import link_target

    assert link_target(url) is None


@pytest.mark.parametrize("url", ["entity/group/x.html", "../site/", "https://w3id.org/kzkg/id/group/x", "http://127.0.0.1:7878/",
                                 "document/d003.html#ev-d003-1-2"])
def test_link_target_keeps_site_paths_and_web_urls(url):
    from kg.output import link_target

    assert link_target(url) == url


def test_a_network_page_refuses_a_site_root_that_would_run_on_a_click(hostile, tmp_path, capsys):
    from kg.render import render

    assert main(["network", "actor", "-o", str(tmp_path / "n.html"), "--site", "javascript:alert(1)//", "--root", str(hostile)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("kg: error: --site javascript:alert(1)//: give the site's folder"), err
    assert not (tmp_path / "n.html").exists()
    with pytest.raises(ValueError, match="not a link a page may follow"):
        render(__import__("networkx").MultiDiGraph(), site="data:text/html,x")


@pytest.mark.parametrize("value, shown", [("a\bb", "a\\x08b"), ("a\fb", "a\\x0cb"), ("a\x01b", "a\\x01b"), ("a\u202eb", "a\\u202eb"),
                                          ("a\u2028b", "a\\u2028b"), ("a\\b", "a\\b"), ("tab\tand\nline", "tab\tand\nline"),
                                          ("</script><!--<script>", "</script><!--<script>"), ("Ақтөбе 😀 'x' & y", "Ақтөбе 😀 'x' & y")])
def test_script_json_reads_back_as_the_page_shows_it_and_cannot_end_its_element(value, shown):
    from kg.output import script_json

    text = str(script_json({"k": [value], value: 1}))
    assert json.loads(text) == {"k": [shown], shown: 1}
    assert not re.search(r"[<>&'\u2028\u2029]", text) and not UNSHOWN.search(text), text
