"""kg docs: the ontology and shapes pages, with figures from the built graph, open offline."""

import re

import pytest

from conftest import rows

KG = "https://w3id.org/kzkg/ontology#"


@pytest.fixture(scope="module")
def docs(built, root, tmp_path_factory):
    pytest.importorskip("pylode", reason="pyLODE is not installed: pip install -e '.[docs]'")
    from kg.docs import write_docs

    out = tmp_path_factory.mktemp("docs")
    paths = write_docs(root, built.engine, out)
    assert [p.name for p in paths] == ["index.html", "shapes.html"]
    return out


def _class_block(page, local):
    start = page.index(f"<code>{KG}{local}</code>")
    return page[start:page.index("</table>", start)]


def test_every_class_has_its_instance_count_and_an_example(docs, engine, root):
    from rdflib import OWL, RDF, Graph

    page = (docs / "index.html").read_text(encoding="utf-8")
    classes = {str(c) for c in Graph().parse(root / "ontology" / "kg.ttl").subjects(RDF.type, OWL.Class)
               if str(c).startswith(KG)}
    assert page.count('class="kg-instances"') == len(classes)
    for local in ("Attack", "ArmedGroup", "Document", "Statistic"):
        n = rows(engine, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{KG}{local}> }}")[0]["n"]
        first = rows(engine, f"SELECT (MIN(STR(?x)) AS ?x) WHERE {{ ?x a <{KG}{local}> }}")[0]["x"]
        block = _class_block(page, local)
        assert f"{n} in the built graph" in block, local
        assert f'<a href="{first}">' in block, local


def test_shapes_page_lists_every_shape_and_links_resolve(docs, root):
    from rdflib import RDF, Graph, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    shapes = Graph().parse(root / "ontology" / "shapes.ttl")
    n_shapes = len(set(shapes.subjects(RDF.type, sh.NodeShape)))
    page = (docs / "shapes.html").read_text(encoding="utf-8")
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert page.count("<h2 id=") == n_shapes
    assert "needs one kg:sha256 of 64 lower-case hex digits" in page  # a message of the Evidence shape
    ids = set(re.findall(r'id="([^"]+)"', index))
    for anchor in re.findall(r'href="index\.html#([^"]+)"', page):
        assert anchor in ids, anchor
    shape_ids = set(re.findall(r'id="([^"]+)"', page))
    for anchor in re.findall(r'href="shapes\.html#([^"]+)"', index):
        assert anchor in shape_ids, anchor
    assert 'href="shapes.html#Attack"' in _class_block(index, "Attack")


def test_pages_open_offline_without_console_errors(docs):
    from kg.browser import find_chromium, open_page

    if not find_chromium():
        pytest.skip("no Chromium on this machine (apt-get install chromium); the pages were not opened")
    for name, probe in (("index.html", "document.querySelectorAll('.kg-instances').length"),
                        ("shapes.html", "document.querySelectorAll('h2').length")):
        report = open_page(docs / name, ready="document.readyState === 'complete'", evaluate=probe, timeout=90)
        assert report.errors == [] and report.requests == [], name
        assert report.result > 0, name


def test_cli_docs_writes_pages_and_refuses_an_input_folder(built, root, tmp_path, monkeypatch, capsys):
    pytest.importorskip("pylode", reason="pyLODE is not installed: pip install -e '.[docs]'")
    from kg import cli

    monkeypatch.setattr(cli, "_engine", lambda args, r: built.engine)
    assert cli.main(["docs", "--out", str(tmp_path / "docs")]) == 0
    assert capsys.readouterr().out.split() == ["wrote", str(tmp_path / "docs" / "index.html"),
                                              "wrote", str(tmp_path / "docs" / "shapes.html")]
    assert cli.main(["docs", "--out", str(root / "ontology" / "docs")]) == 2
    assert "hand-edited" in capsys.readouterr().err
    assert not (root / "ontology" / "docs").exists()


def test_pages_read_on_a_phone(docs):
    """At 390x844 neither page is wider than the window and nothing covers the text: pyLODE's table of
    contents, fixed at the right, covered the ontology page, whose text ran one letter a line."""
    from kg.browser import find_chromium, open_page

    if not find_chromium():
        pytest.skip("no Chromium on this machine (apt-get install chromium); the pages were not opened")
    probe = """(function () {
      var h = document.querySelector("h1, h2").getBoundingClientRect(), doc = document.documentElement;
      var hit = document.elementFromPoint(h.left + 5, h.top + h.height / 2);
      return {scroll: doc.scrollWidth, client: doc.clientWidth, covered: !hit || !hit.closest("h1, h2"),
              lines: Math.round(doc.scrollHeight / window.innerHeight)};
    })()"""
    for name in ("index.html", "shapes.html"):
        report = open_page(docs / name, ready="document.readyState === 'complete'", evaluate=probe,
                           width=390, height=844, timeout=90)
        r = report.result
        assert report.errors == [] and r["scroll"] <= r["client"] and not r["covered"], (name, r)


def test_ontology_page_shows_control_and_bidi_characters_escaped(built, tmp_path):
    """A label of a user's ontology with a right-to-left override (U+202E) or an escape character
    reaches pyLODE's page as its escape, as on the shapes page and the site: drawn as it is, the
    override reversed the rest of the line."""
    pytest.importorskip("pylode", reason="pyLODE is not installed: pip install -e '.[docs]'")
    import shutil
    from pathlib import Path

    from kg.docs import write_docs

    root = tmp_path / "project"
    shutil.copytree(Path(__file__).resolve().parents[1] / "ontology", root / "ontology")
    kg_ttl = root / "ontology" / "kg.ttl"
    kg_ttl.write_text(kg_ttl.read_text(encoding="utf-8") + '\nkg:HostileThing a owl:Class ;\n'
                      '    rdfs:label "Hostile\\u202eThing\\u001b[2J"@en ;\n    skos:definition "a\\u2066b" .\n',
                      encoding="utf-8")
    page = (write_docs(root, built.engine, tmp_path / "docs")[0]).read_text(encoding="utf-8")
    assert "Hostile\\u202eThing\\x1b[2J" in page and "a\\u2066b" in page
    assert not re.search("[\u202e\u2066\x1b]", page)
