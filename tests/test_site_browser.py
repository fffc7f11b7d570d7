"""The site in headless Chromium, offline: every kind of page opens without a console error, the search
box finds people and agencies by name and alias, entity pages show their passages, the timeline draws
every dated event."""

from __future__ import annotations

import json
import re

import pytest

from kg.browser import find_chromium, open_page
from kg.site import write_site

pytestmark = pytest.mark.skipif(not find_chromium(), reason="Chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def site(engine, tmp_path_factory):
    from kg import corpus

    out = tmp_path_factory.mktemp("site-browser") / "site"
    return write_site(engine, out, corpus=corpus.corpus_dir())


PAGES = ["index.html", "timeline.html", "entity/agency/knb.html", "entity/person/barack-obama.html",
         "entity/group/islamic-state.html", "entity/event/aktobe-attacks-2016.html", "document/d003.html",
         "document/d004.html", "class/Person.html", "question/index.html", "question/attacks.html",
         "question/entity-statements.html"]


@pytest.mark.parametrize("page", PAGES)
def test_every_kind_of_page_opens_without_console_error(site, page):
    report = open_page(site.out / page, timeout=60)
    assert report.errors == [], report.errors
    assert report.requests == [], "nothing is fetched from the network"
    assert report.drawn is not None, "the page finished drawing"


SEARCH = """(async function (text) {
  var input = document.getElementById("kg-search-home");
  input.value = text;
  input.dispatchEvent(new Event("input"));
  for (var i = 0; i < 2400 && !document.querySelector("#kg-search-home-results a"); i++) await new Promise(r => setTimeout(r, 25));
  return Array.prototype.map.call(document.querySelectorAll("#kg-search-home-results a"),
    function (a) { return a.getAttribute("href"); });
})(%s)"""


@pytest.mark.parametrize("text, page", [("Obama", "entity/person/barack-obama.html"),
                                        ("KNB", "entity/agency/knb.html"),
                                        ("isil", "entity/group/islamic-state.html")])
def test_search_finds_the_page(site, text, page):
    report = open_page(site.out / "index.html", evaluate=SEARCH % json.dumps(text), timeout=60)
    assert report.errors == []
    assert report.result and report.result[0] == page, report.result[:5]


def test_the_search_box_on_an_entity_page_links_relative_to_the_site(site):
    report = open_page(site.out / "entity/agency/knb.html", evaluate=SEARCH.replace("kg-search-home", "kg-search") % '"Obama"')
    assert report.errors == []
    assert report.result[0] == "../../entity/person/barack-obama.html"


PASSAGES = """Array.prototype.map.call(document.querySelectorAll("blockquote.passage mark"), function (m) { return m.textContent; })"""


def test_entity_page_shows_its_passages(site, engine):
    from kg import corpus

    folder = corpus.corpus_dir()
    if folder is None:
        pytest.skip("corpus absent: passages need the documents")
    report = open_page(site.out / "entity/person/barack-obama.html", evaluate=PASSAGES)
    assert report.result == [corpus.span_text(folder, "003", 352, 571)] * len(report.result) and report.result


TIMELINE = """(function () {
  var data = JSON.parse(document.getElementById("kg-timeline-data").textContent);
  return {items: data.length, drawn: document.querySelectorAll("#kg-timeline .vis-item.vis-box, #kg-timeline .vis-item.vis-range").length,
          texts: Array.prototype.map.call(document.querySelectorAll("#kg-timeline .vis-item .vis-item-content"), function (e) { return e.textContent; })};
})()"""


def test_timeline_draws_every_dated_event(site):
    report = open_page(site.out / "timeline.html", evaluate=TIMELINE, timeout=60)
    assert report.errors == []
    html = (site.out / "timeline.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script id="kg-timeline-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert report.result["items"] == len(data) == report.drawn
    assert report.result["drawn"] == len(data)
    assert sorted(report.result["texts"]) == sorted(i["content"] for i in data)


FILTER = """(function () {
  var select = document.getElementById("tl-class");
  select.value = "attack";
  select.dispatchEvent(new Event("change"));
  return Number(document.getElementById("tl-count").textContent);
})()"""


def test_timeline_filters_by_class(site):
    html = (site.out / "timeline.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script id="kg-timeline-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    report = open_page(site.out / "timeline.html", evaluate=FILTER)
    assert report.result == sum(1 for i in data if i["cls"] == "attack") > 0


MINI = """(async function () {
  for (var j = 0; j < 400 && typeof window.kgDrawNetwork !== "function"; j++) await new Promise(r => setTimeout(r, 25));
  window.kgDrawNetwork();
  // vis-network (500 kB) is loaded on demand: on a loaded machine that and the layout take seconds
  for (var i = 0; i < 2400 && !window.kgNetworkStatus; i++) await new Promise(r => setTimeout(r, 25));
  if (!window.kgNetworkStatus) return {status: null, out: null};
  try {
    var net = window.kgNetwork, box = document.getElementById("kg-network").getBoundingClientRect();
    var pos = net.getPositions(), out = 0;
    Object.keys(pos).forEach(function (id) { var p = net.canvasToDOM(pos[id]); if (p.x < 0 || p.y < 0 || p.x > box.width || p.y > box.height) out++; });
    return {status: window.kgNetworkStatus, out: out};
  } catch (e) { return {error: String(e)}; }
})()"""


def test_entity_network_is_drawn_when_reached_and_fits(site):
    html = (site.out / "entity/agency/knb.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script id="kg-network-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    report = open_page(site.out / "entity/agency/knb.html", evaluate=MINI, timeout=120)
    assert report.errors == []
    assert report.result is not None and "error" not in report.result, report.result
    assert report.result["status"] is not None, "the entity network was not drawn within 60 s"
    assert report.result["status"]["drawn"] == len(data["nodes"]) and report.result["out"] == 0
