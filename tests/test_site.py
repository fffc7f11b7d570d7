"""kg site: the static site written from the real graph, with and without passages."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from kg.query import format_result, get_query, run_named
from kg.site import write_site
from tests.conftest import rows

OBAMA = "https://w3id.org/kzkg/id/person/barack-obama"
KNB = "https://w3id.org/kzkg/id/agency/knb"


@pytest.fixture(scope="module")
def site_plain(engine, tmp_path_factory):
    out = tmp_path_factory.mktemp("site-plain") / "site"
    return write_site(engine, out, corpus=None)


@pytest.fixture(scope="module")
def site_passages(engine, corpus_folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("site-passages") / "site"
    return write_site(engine, out, corpus=corpus_folder)


def test_every_kind_of_page_is_written(site_plain, engine):
    out = site_plain.out
    n_docs = len(rows(engine, "PREFIX kg: <https://w3id.org/kzkg/ontology#> SELECT DISTINCT ?d WHERE { ?d kg:documentId ?i }"))
    assert site_plain.pages["document"] == n_docs == len(list((out / "document").glob("d[0-9][0-9][0-9].html")))
    assert (out / "index.html").is_file() and (out / "timeline.html").is_file()
    assert len(list((out / "entity").rglob("*.html"))) == site_plain.pages["entity"]
    assert (out / "entity" / "person" / "barack-obama.html").is_file()
    assert (out / "static" / "vendor" / "vis-timeline-graph2d.min.js").is_file()


def test_no_page_refers_to_another_host(site_plain):
    for page in [site_plain.out / "index.html", site_plain.out / "timeline.html",
                 site_plain.out / "entity" / "agency" / "knb.html", site_plain.out / "document" / "d003.html"]:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["']https?://""", html), page


def test_without_corpus_spans_show_reference_and_hash(site_plain):
    html = (site_plain.out / "entity" / "agency" / "knb.html").read_text(encoding="utf-8")
    assert not site_plain.passages
    assert "<mark>" not in html
    assert "ev:d001-1187-1281" in html and "sha256" in html


def test_with_corpus_the_passage_is_shown_with_the_span_marked(site_passages, corpus_folder):
    from kg import corpus

    html = (site_passages.out / "entity" / "agency" / "knb.html").read_text(encoding="utf-8")
    span = corpus.span_text(corpus_folder, "001", 1187, 1281)
    marked = re.search(r'<a href="[^"]*#ev-d001-1187-1281">ev:d001-1187-1281</a>.*?<mark>(.*?)</mark>', html, re.S)
    assert marked, "the KNB page shows the passage of ev:d001-1187-1281"
    text = re.sub(r"</?b>", "", marked.group(1)).replace("&#39;", "'").replace("&amp;", "&")
    assert text == span
    assert "<b>KNB</b>" in marked.group(1), "the entity's name is marked inside its passage"


def test_entity_page_lists_every_span_that_names_it(site_plain, engine):
    spans = {r["g"].rsplit("/", 1)[1] for r in rows(engine, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {{ <{KNB}> ?p ?o }} UNION {{ ?s ?p <{KNB}> }} }} }}")}
    html = (site_plain.out / "entity" / "agency" / "knb.html").read_text(encoding="utf-8")
    shown = set(re.findall(r">ev:(d\d{3}-\d+-\d+)<", html))
    assert spans <= shown, sorted(spans - shown)[:5]


def test_search_index_holds_names_and_aliases_with_pages(site_plain):
    index = json.loads((site_plain.out / "search-index.json").read_text(encoding="utf-8"))
    knb = next(i for i in index if i["iri"] == KNB)
    assert "KNB" in knb["aliases"] and knb["href"] == "entity/agency/knb.html"
    assert all((site_plain.out / i["href"]).is_file() for i in index)


def test_timeline_holds_every_dated_event(site_plain, engine):
    dated = rows(engine, """PREFIX kg: <https://w3id.org/kzkg/ontology#> PREFIX schema: <https://schema.org/>
        SELECT DISTINCT ?e WHERE { { ?e a kg:Event } UNION { ?e a kg:LegalAct } UNION { ?e a kg:Program }
        { ?e kg:date ?d } UNION { ?e schema:startDate ?d } UNION { ?e kg:earliestDate ?d } UNION { ?e kg:latestDate ?d }
        UNION { ?e schema:endDate ?d } }""")
    html = (site_plain.out / "timeline.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script id="kg-timeline-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    from kg.namespaces import shorten

    assert {i["id"] for i in data} == {shorten(r["e"]) for r in dated}


def test_question_downloads_equal_kg_query(site_plain, engine):
    for name in ("attacks", "coverage-documents", "groups"):
        expected = format_result(run_named(engine, get_query(name), {}), "csv")
        written = (site_plain.out / "question" / f"{name}.csv").read_text(encoding="utf-8").rstrip("\n")
        body = list(csv.reader(io.StringIO(written)))
        assert _canonical(body) == _canonical(list(csv.reader(io.StringIO(expected))))
        html = (site_plain.out / "question" / f"{name}.html").read_text(encoding="utf-8")
        assert f"{len(body) - 1} row" in html


def test_question_pages_never_repeat_a_label_in_one_row(site_plain, engine):
    """An IRI whose label is already a cell of its row (``id`` beside ``name``) shows its short form,
    linked to its page, in every question page; the other IRIs show their labels."""
    from kg.namespaces import shorten

    checked = 0
    for page in sorted((site_plain.out / "question").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        body = re.search(r'<table class="answer">.*?<tbody>(.*?)</tbody>', html, re.S)
        if not body:
            continue
        for tr in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S):
            cells = re.findall(r"<td>(.*?)</td>", tr, re.S)
            links = {re.sub(r"<[^>]+>", "", c).strip() for c in cells if c.startswith("<a ")}
            texts = {re.sub(r"<[^>]+>", "", c).strip() for c in cells if not c.startswith("<a ")}
            assert not links & (texts - {""}), (page.name, cells)
            checked += 1
    assert checked > 100
    html = (site_plain.out / "question" / "attacks.html").read_text(encoding="utf-8")
    first = run_named(engine, get_query("attacks"), {}).rows[0]["id"]["value"]
    assert f'>{shorten(first)}</a></td><td>' in html


def _canonical(table):
    """Rows with the parts of concatenated cells sorted (GROUP_CONCAT gives no order)."""
    return sorted(tuple(" | ".join(sorted(re.split(r" \| |, ", c))) for c in r) for r in table)


def test_a_folder_not_written_by_kg_site_is_refused(engine, tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ValueError, match="not written by kg site"):
        write_site(engine, tmp_path, corpus=None)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def _synthetic_engine():
    """A tiny built dataset: one attack whose death toll two documents state differently, two figures
    about it, and a curator's kg:Disagreement over the figures (the default graph holds the union)."""
    from kg.store import open_engine

    B = "https://w3id.org/kzkg/"
    K = B + "ontology#"
    named = {
        "evidence/d001-10-40": [("event/x", K + "killed", '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'),
                                ("stat/a", K + "value", '"8"^^<http://www.w3.org/2001/XMLSchema#integer>'),
                                ("stat/a", K + "about", "<" + B + "id/event/x>"),
                                ("stat/a", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "<" + K + "Statistic>")],
        "evidence/d002-5-25": [("event/x", K + "killed", '"5"^^<http://www.w3.org/2001/XMLSchema#integer>'),
                               ("stat/b", K + "value", '"2"^^<http://www.w3.org/2001/XMLSchema#integer>'),
                               ("stat/b", K + "about", "<" + B + "id/event/x>"),
                               ("stat/b", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "<" + K + "Statistic>")],
    }
    lines = []
    for graph, triples in named.items():
        for s, p, o in triples:
            lines.append(f"<{B}id/{s}> <{p}> {o} <{B}id/{graph}> .")
            lines.append(f"<{B}id/{s}> <{p}> {o} .")
        doc, start, end = graph.split("/d")[1].split("-")
        ev = f"<{B}id/{graph}>"
        lines += [f'{ev} <{K}document> <{B}id/source/d{doc}> .', f'{ev} <{K}start> "{start}"^^<http://www.w3.org/2001/XMLSchema#integer> .',
                  f'{ev} <{K}end> "{end}"^^<http://www.w3.org/2001/XMLSchema#integer> .', f'{ev} <{K}sha256> "{doc * 20}" .',
                  f'<{B}id/source/d{doc}> <{K}documentId> "{doc}" .']
    d = f"<{B}id/disagreement/x-toll>"
    lines += [f'<{B}id/event/x> <http://www.w3.org/2004/02/skos/core#prefLabel> "Attack X"@en .',
              f'<{B}id/event/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{K}Attack> .',
              f'{d} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{K}Disagreement> .',
              f'{d} <{K}disputes> <{B}id/stat/a> .', f'{d} <{K}disputes> <{B}id/stat/b> .',
              f'{d} <{K}disputedSubject> <{B}id/event/x> .', f'{d} <{K}disagreementKind> <{K}DifferentValue> .',
              f'<{K}DifferentValue> <http://www.w3.org/2004/02/skos/core#prefLabel> "different value"@en .',
              f'{d} <http://www.w3.org/2004/02/skos/core#editorialNote> "curator note in own words" .']
    return open_engine("\n".join(lines) + "\n")


def test_claims_that_disagree_are_side_by_side(tmp_path):
    report = write_site(_synthetic_engine(), tmp_path / "site", corpus=None)
    html = (report.out / "entity" / "event" / "x.html").read_text(encoding="utf-8")
    section = html.split('<section id="disputes">', 1)[1].split("</section>", 1)[0]
    boxes = section.split('<div class="dispute">')[1:]
    assert len(boxes) == 2
    values = [re.findall(r'<div class="side"><div class="val">(.*?)</div>', b, re.S) for b in boxes]
    computed = next(v for v, b in zip(values, boxes) if "different values" in b)
    assert [re.sub(r"<[^>]+>", "", x).strip() for x in computed] == ["3", "5"]
    curated = next(b for b in boxes if "curator note in own words" in b)
    assert "different value" in curated and "ev:d001-10-40" in curated and "ev:d002-5-25" in curated
    assert "8" in curated and "2" in curated
    # statistics about it, as a table with their spans
    stats = html.split('<section id="statistics">', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<td class="num">(.*?)</td>', stats) == ["8", "2"] or \
        sorted(re.findall(r'<td class="num">(.*?)</td>', stats)) == ["2", "8"]


def test_events_are_in_time_order(site_plain):
    html = (site_plain.out / "entity" / "group" / "islamic-state.html").read_text(encoding="utf-8")
    events = html.split('<section id="events">', 1)[1].split("</section>", 1)[0]
    dates = [d for d in re.findall(r'<td class="date">(.*?)</td>', events) if d]
    assert dates == sorted(dates) and len(dates) >= 3


def test_every_span_link_lands_on_its_anchor(site_plain, engine):
    out = site_plain.out
    n_spans = len(rows(engine, "PREFIX kg: <https://w3id.org/kzkg/ontology#> SELECT ?e WHERE { ?e a kg:Evidence }"))
    anchors = {}
    for page in (out / "document").glob("*.html"):
        for anchor in re.findall(r'<li id="(ev-d\d{3}-\d+-\d+)" class="span">', page.read_text(encoding="utf-8")):
            anchors[anchor] = page.name
    assert len(anchors) == n_spans
    for entity in ("agency/knb", "group/islamic-state", "person/barack-obama"):
        html = (out / "entity" / f"{entity}.html").read_text(encoding="utf-8")
        for target, anchor in re.findall(r'href="\.\./\.\./document/([^"#]+)#(ev-[^"]+)"', html):
            assert anchors[anchor] == target, (entity, anchor)


def test_qualifier_nodes_named_by_the_build_are_folded_not_pages(site_plain):
    """The build names blank nodes (kg.skolem: .../id/node/<hash>); the site still folds them into one line."""
    out = site_plain.out
    assert not (out / "entity" / "node").exists()
    html = (out / "entity" / "person" / "barack-obama.html").read_text(encoding="utf-8")
    # its values in one order (kg.sitedata sorts the statements: properties by IRI), not the store's
    assert "member Barack Obama; organization Government of the United States; date 2015; role President" in html
    assert "/id/node/" not in html and "entity/node/" not in html


def test_kg_site_from_the_command_line(tmp_path, capsys, built):
    from kg.cli import main

    assert main(["site", "--out", str(tmp_path / "site"), "--no-passages"]) == 0
    assert (tmp_path / "site" / "index.html").is_file()
    assert "wrote " in capsys.readouterr().out


def test_links_through_a_qualified_statement_are_named_by_its_predicate(engine):
    """A qualified statement (rdf:subject, rdf:predicate, rdf:object) links its subject and object by its
    predicate: no neighbour, network link or event of any entity is related by the words of the
    reification vocabulary (the pages listed "rdf:subject (of this)" beside "inspired by (of this)")."""
    from kg.sitedata import load_model
    from kg.siteentity import network_data, neighbours

    model = load_model(engine)
    reified = ("rdf:subject", "rdf:predicate", "rdf:object")
    for iri in model.entities:
        for n in neighbours(model, iri):
            assert not any(r.startswith(reified) for r in n["relations"]), (iri, n["relations"])
        assert not [e for e in network_data(model, iri)["edges"] if e["label"].startswith(reified)], iri
    found = {n["value"]["text"]: n["relations"] for n in neighbours(model, "https://w3id.org/kzkg/id/group/islamic-state")}
    assert found["Aktobe attacks (June 2016)"] == ["inspired by (of this)"]


def test_the_card_of_kg_show_counts_its_spans_in_words_that_agree(engine):
    """kg show prints the entity page's view as text: one span is 'span', several are 'spans'
    ('Stated in 1 evidence spans.' was printed for Barack Obama), as the page says it."""
    from kg.showcard import entity_card

    assert "\nStated in 1 evidence span.\n" in entity_card(engine, OBAMA)
    assert re.search(r"\nStated in (\d+) evidence spans\.\n", entity_card(engine, KNB)).group(1) != "1"


def test_every_entity_page_shows_something_of_its_entity(site_plain):
    """No entity page is only a heading: the 65 pages of curated disagreements (where each entity page's
    '(record)' link leads) showed their title and 'stated in 0 evidence spans', the record's kind, note
    and sides being in the default graph, which the page did not read."""
    empty = [p.relative_to(site_plain.out).as_posix() for p in (site_plain.out / "entity").rglob("*.html")
             if "<section" not in p.read_text(encoding="utf-8")]
    assert empty == []
    html = (site_plain.out / "entity/disagreement/convictions-2015-003-71-vs-004-138-317.html").read_text(encoding="utf-8")
    assert "stated in 3 evidence spans" in html and html.count('class="side"') == 3
    assert "ev:d003-4805-4929" in html and "ev:d004-108872-109090" in html


def test_a_passage_is_shown_once_on_an_entity_page(site_passages):
    """A span that states several things about an entity was quoted whole under each of them (the four
    statements of a citation note, four times the same note); it is quoted once, where it first comes,
    and the later statements link to it."""
    note = (site_passages.out / "entity/note/d000-10.html").read_text(encoding="utf-8")
    assert note.count('<blockquote class="passage"') == 1 and note.count("its passage is shown above") == 3
    for page in (site_passages.out / "entity").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        quoted = re.findall(r'<blockquote class="passage" id="([^"]+)"', html)
        assert len(quoted) == len(set(quoted)), page
        assert set(re.findall(r'<span class="above"><a href="#([^"]+)"', html)) <= set(quoted), page


def test_a_range_with_one_end_says_which(site_plain):
    """A statistic with a minimum and no maximum read 'hundreds 200–?' on the pages; it reads
    'hundreds at least 200' (and a maximum alone 'at most N')."""
    pages = list((site_plain.out / "entity").rglob("*.html"))
    assert [p.name for p in pages if "–?" in p.read_text(encoding="utf-8")] == []
    assert "hundreds at least 200" in (site_plain.out / "entity/group/islamic-state.html").read_text(encoding="utf-8")
