"""Faults found by trying every command as a new user and then as a breaker (round u7).

Each test stands for a kind of fault, fixed where it arises:

* a result of no column (``SELECT * WHERE {}``) drawn as a table: a traceback (every command that
  prints a table: ``kg sparql``, ``kg query``);
* a Turtle or TriG file that ends inside a statement: the message gave a negative column, or, without a
  final line break, "string index out of range" with no line at all (every file the build parses);
* a name of millions of characters: pyahocorasick freed its trie recursively and the build died of a
  segmentation fault, with no message (every automaton of names: the mentions check and ``kg ingest``);
  such a name is now refused with file and line.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg"]


def _kg(*args, cwd=ROOT, timeout=300):
    return subprocess.run([*KG, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd)


def _one_error(done, code=2):
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.returncode == code, (done.returncode, done.stderr[-2000:])
    lines = [line for line in done.stderr.splitlines() if not line.startswith("kg: warning")]
    assert len(lines) == 1, done.stderr


# -- a result without a column ---------------------------------------------------------------------

def test_a_table_of_no_column_says_so_instead_of_failing():
    from kg.store import Result
    from kg.tables import format_table

    text = format_table(Result([], [{}]), width=80)
    assert "no column" in text and text.splitlines()[-1] == "(1 row)"
    assert format_table(Result([], []), width=80).splitlines()[-1] == "(0 rows)"
    from kg.store import QueryError

    with pytest.raises(QueryError) as caught:
        format_table(Result([], [{}]), width=80, columns=["x"])
    assert str(caught.value) == "--columns: no column x in this result (it has none: the query selects no variable)"


@pytest.mark.skipif(not (ROOT / "build" / "kg.nq").exists(), reason="needs kg build")
def test_kg_sparql_selecting_no_variable_prints_a_table_without_a_traceback():
    done = _kg("sparql", "SELECT * WHERE {}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "(1 row)" in done.stdout


# -- a file that ends inside a statement -------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".ttl", ".trig"])
@pytest.mark.parametrize("ending", ["\n", " \n\n", ""])
def test_a_file_ending_inside_a_statement_names_its_last_line_and_a_real_column(tmp_path, suffix, ending):
    from kg.load import InputError, parse_file

    path = tmp_path / f"x{suffix}"
    path.write_text('@prefix kg: <https://w3id.org/kzkg/ontology#> .\n\nkg:a kg:b kg:c ; kg:d "x"' + ending,
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse_file(path, "data")
    message = str(caught.value)
    assert message.startswith(f"{path}:3:"), message
    column = int(message.split(":")[2])
    assert 1 <= column <= len('kg:a kg:b kg:c ; kg:d "x"') + 1, message
    assert "ends inside a statement" in message and "index out of range" not in message


@pytest.mark.parametrize("suffix", [".ttl", ".trig"])
def test_a_file_without_a_final_line_break_still_parses(tmp_path, suffix):
    from kg.load import parse_file

    path = tmp_path / f"x{suffix}"
    path.write_text("@prefix kg: <https://w3id.org/kzkg/ontology#> .\nkg:a kg:b kg:c .", encoding="utf-8")
    assert len(parse_file(path, "data").quads) == 1


# -- a name of millions of characters ----------------------------------------------------------------

@pytest.mark.parametrize("module", ["mentions", "ingest"])
def test_an_automaton_of_a_name_of_a_million_characters_does_not_crash_the_process(module):
    make = {
        "mentions": "from kg.mentions import _automaton, _found\n"
                    "a = _automaton([' ' + 'x' * 1_000_000 + ' ', ' ab '])\n"
                    "assert _found(a, ' ab cd ', True) == {' ab '}\n",
        "ingest": "from kg.ingest_match import Matcher\n"
                  "m = Matcher({'x' * 1_000_000: {'a'}, 'ab': {'b'}})\n"
                  "assert [h[2] for h in m.find('see ab here')] == ['ab']\n",
    }[module]
    done = subprocess.run([sys.executable, "-c", make + "del a\n" if module == "mentions" else make + "del m\n"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])


def test_a_name_longer_than_any_name_is_refused_with_file_and_line(tmp_path):
    from kg.automaton import LONGEST_KEY
    from kg.literals import check_text

    text = ('@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
            f'<https://w3id.org/kzkg/id/place/x> skos:prefLabel "{"x" * (LONGEST_KEY + 1)}"@en ;\n'
            f'    skos:altLabel "y", "{"z" * (LONGEST_KEY + 1)}"@en .\n')
    problems = check_text(text, "f.ttl")
    assert [p.split(":")[1] for p in problems] == ["2", "3"], problems
    assert all(f"a name of {LONGEST_KEY + 1} characters" in p for p in problems)
    assert check_text(text.replace("x" * (LONGEST_KEY + 1), "x").replace("z" * (LONGEST_KEY + 1), "z"), "f.ttl") == []
    long_description = ('@prefix schema: <https://schema.org/> .\n'
                        f'<https://w3id.org/kzkg/id/place/x> schema:description "{"w " * 5000}" .\n')
    assert check_text(long_description, "f.ttl") == []


# -- a question or a quality check that does not parse names its file ---------------------------------

def _small_project(tmp_path: Path) -> Path:
    """A project of the ontology and an empty graph/ (it builds in a second), with queries/ of its own."""
    import shutil

    project = tmp_path / "project"
    shutil.copytree(ROOT / "ontology", project / "ontology")
    (project / "graph").mkdir()
    shutil.copytree(ROOT / "queries", project / "queries")
    return project


def test_a_named_question_that_does_not_parse_names_its_file(tmp_path):
    project = _small_project(tmp_path)
    bad = project / "queries" / "zz-bad.rq"
    bad.write_text("#+ summary: a broken question\nSELECT ?x WHERE { ?x ?p }\n", encoding="utf-8")
    assert _kg("build", "--root", str(project)).returncode == 0
    done = _kg("query", "zz-bad", "--root", str(project))
    _one_error(done)
    assert str(bad) in done.stderr and "SPARQL syntax error" in done.stderr, done.stderr


def test_a_quality_check_that_does_not_parse_names_its_file(tmp_path):
    project = _small_project(tmp_path)
    bad = project / "queries" / "checks" / "zz-violation.rq"
    bad.write_text("#+ message: {x}\nSELECT ?x WHERE { ?x ?p }\n", encoding="utf-8")
    done = _kg("build", "--root", str(project))
    _one_error(done)
    assert str(bad) in done.stderr and "SPARQL syntax error" in done.stderr, done.stderr


# -- a project missing its shapes or its graph says so ------------------------------------------------

def test_a_build_without_shapes_or_graph_files_warns_instead_of_passing_in_silence(tmp_path):
    project = _small_project(tmp_path)
    (project / "ontology" / "shapes.ttl").unlink()
    done = _kg("build", "--root", str(project))
    assert done.returncode == 0, done.stderr[-2000:]
    warnings = [line for line in done.stderr.splitlines() if line.startswith("kg: warning")]
    assert any("no ontology/shapes.ttl" in w and "NOT validated" in w for w in warnings), done.stderr
    assert any("no file in graph/" in w for w in warnings), done.stderr
    (project / "ontology" / "shapes.ttl").write_bytes((ROOT / "ontology" / "shapes.ttl").read_bytes())
    done = _kg("build", "--root", str(project))
    assert "shapes.ttl" not in done.stderr, done.stderr


# -- a blank parameter value -----------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["", "   ", "\t"])
def test_a_blank_entity_parameter_is_refused_as_blank_not_looked_up(value):
    from kg.query import ParamError, resolve_entity

    with pytest.raises(ParamError) as caught:
        resolve_entity(None, value, "--param place")
    assert str(caught.value).startswith("--param place is empty: give an IRI, a label or an alias"), caught.value


def test_kg_query_with_a_blank_parameter_says_it_is_empty(tmp_path):
    project = _small_project(tmp_path)
    assert _kg("build", "--root", str(project)).returncode == 0
    done = _kg("query", "attacks", "-p", "place=", "--root", str(project))
    _one_error(done)
    assert "--param place is empty: give an IRI" in done.stderr and "labelled" not in done.stderr, done.stderr


# -- an evidence span given where an entity is expected -------------------------------------------------

@pytest.mark.parametrize("text", ["ev:d003-352-571", "<https://w3id.org/kzkg/id/evidence/d003-352-571>"])
def test_an_evidence_span_given_for_an_entity_is_refused_with_kg_passage(text):
    from kg.query import ParamError
    from kg.search import entity_iri

    with pytest.raises(ParamError) as caught:
        entity_iri(None, text, "--param entity")  # refused before the graph is asked
    assert str(caught.value) == ("--param entity: ev:d003-352-571 is an evidence span, not an entity: kg passage "
                                 "ev:d003-352-571 shows its text; give an entity it names (kg search NAME)")


# -- a terminal width out of the range --width takes --------------------------------------------------------

@pytest.mark.parametrize("columns,width", [("5", 20), ("1", 20), ("99999999999999999999", 10_000), ("80", 80),
                                           ("abc", 120), ("-3", 120)])
def test_the_terminal_width_is_held_within_the_range_of_width(monkeypatch, columns, width):
    from kg.tables import terminal_width

    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setattr("os.get_terminal_size", lambda fd: (_ for _ in ()).throw(OSError()))
    assert terminal_width() == width


def test_the_range_of_terminal_widths_is_the_range_of_the_width_option():
    from kg.cli import WIDTH
    from kg.tables import WIDTHS

    WIDTH(str(WIDTHS[0])), WIDTH(str(WIDTHS[1]))
    for outside in (WIDTHS[0] - 1, WIDTHS[1] + 1):
        with pytest.raises(Exception):
            WIDTH(str(outside))


# -- graph/sources.ttl: a file name that leads out of the corpus, an id registered twice ------------------

def _sources_project(tmp_path: Path, old: str, new: str) -> Path:
    project = tmp_path / "p"
    (project / "graph").mkdir(parents=True)
    text = (ROOT / "graph" / "sources.ttl").read_text(encoding="utf-8")
    assert old in text
    (project / "graph" / "sources.ttl").write_text(text.replace(old, new, 1), encoding="utf-8")
    return project


@pytest.mark.parametrize("name", ["../../../etc/passwd", "/etc/passwd", "sub/003.txt", ".."])
def test_a_file_name_that_leads_out_of_the_corpus_folder_is_refused_and_never_read(tmp_path, name):
    from kg.inputs import InputError
    from kg.sources import Corpus, registered_documents

    project = _sources_project(tmp_path, '"003_03c6016f879b7335.txt"', '"' + name + '"')
    with pytest.raises(InputError) as caught:
        registered_documents(project)
    message = str(caught.value)
    assert len(message.splitlines()) == 1 and "document 003: kg:fileName" in message and "is not a file name" in message
    folder = tmp_path / "corpus"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("not of the corpus", encoding="utf-8")
    assert Corpus([folder], {}).find("../secret.txt") is None
    assert Corpus([folder], {}).find("secret.txt") is None


def test_a_document_id_registered_twice_is_refused(tmp_path):
    from kg.inputs import InputError
    from kg.sources import registered_documents

    project = _sources_project(tmp_path, 'kg:documentId "004"', 'kg:documentId "003"')
    with pytest.raises(InputError) as caught:
        registered_documents(project)
    assert "document id 003 is registered twice (source:d003 and source:d004)" in str(caught.value)


# -- kg passage, show, site and ingest find documents as the build does -------------------------------------

def test_kg_passage_finds_a_document_by_its_registered_name_in_any_corpus_folder(tmp_path):
    project = tmp_path / "p"
    (project / "graph").mkdir(parents=True)
    (project / "ontology").mkdir()
    text = "Alpha beta gamma.\n"
    import hashlib

    (project / "graph" / "sources.ttl").write_text(
        "@prefix kg: <https://w3id.org/kzkg/ontology#> .\n"
        "<https://w3id.org/kzkg/id/source/d005> a kg:Document ; kg:documentId \"005\" ;\n"
        f"    kg:fileName \"plain name.txt\" ; kg:sha256 \"{hashlib.sha256(text.encode()).hexdigest()}\" .\n",
        encoding="utf-8")
    first, second = tmp_path / "c1", tmp_path / "c2"
    first.mkdir(), second.mkdir()
    (second / "plain name.txt").write_text(text, encoding="utf-8")
    done = _kg("passage", "ev:d005-6-10", "--root", str(project), "--corpus", str(first), "--corpus", str(second))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1] == "beta" and done.stderr == ""


# -- a network that filters leave empty ---------------------------------------------------------------------

@pytest.mark.skipif(not (ROOT / "build" / "kg.nq").exists(), reason="needs kg build")
def test_a_network_left_empty_by_its_filters_warns_and_says_which_filters(tmp_path):
    done = _kg("network", "attack", "--from", "2090", "--dated-only", "-o", str(tmp_path / "n.html"))
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("kg: warning")]
    assert len(warnings) == 1 and "no node of the attack network" in warnings[0] and "--dated-only" in warnings[0]
    done = _kg("network", "attack", "--from", "2011", "-o", str(tmp_path / "m.html"))
    assert done.returncode == 0 and "kg: warning" not in done.stderr, done.stderr


# -- a question name typed in capitals ---------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["ATTACKS", "Attacks", " attacks", "atacks"])
def test_a_question_name_in_other_case_or_misspelled_is_refused_with_the_right_name(typed):
    from kg.query import get_query
    from kg.store import QueryError

    with pytest.raises(QueryError) as caught:
        get_query(typed)
    assert str(caught.value).endswith("did you mean attacks?"), caught.value


# -- a file of ontology/ the loader does not read ---------------------------------------------------------

def test_a_file_of_ontology_that_is_not_read_is_named_in_a_warning(tmp_path):
    from kg.model import unread_files

    (tmp_path / "ontology").mkdir()
    for name in ("kg.ttl", "extra.trig", "more.TTL", "README.md", ".hidden"):
        (tmp_path / "ontology" / name).write_text("", encoding="utf-8")
    (tmp_path / "graph").mkdir()
    (tmp_path / "graph" / "x.nt").write_text("", encoding="utf-8")
    warnings = unread_files(tmp_path)
    assert [w.split(" ")[0] for w in warnings] == ["graph/x.nt", "ontology/extra.trig", "ontology/more.TTL"], warnings
    assert "only .ttl files of ontology/ are" in warnings[1]


# -- kg push to a URL with a fragment ---------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["http://127.0.0.1:1/store?x=1#frag", "http://127.0.0.1:1/store#"])
def test_a_push_url_with_a_fragment_is_refused_before_any_request(url):
    from kg.push import PushError, check_url

    with pytest.raises(PushError) as caught:
        check_url(url)
    assert "holds a fragment (#...), which HTTP never sends" in str(caught.value)
    assert check_url("http://127.0.0.1:1/store?x=1") == "http://127.0.0.1:1/store?x=1"


# -- kg search with no match, in a format a script reads ------------------------------------------------------

@pytest.mark.skipif(not (ROOT / "build" / "kg.nq").exists(), reason="needs kg build")
@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
def test_kg_search_without_a_match_still_writes_an_empty_answer_in_the_format_asked(fmt):
    import json

    done = _kg("search", "zzzqqqxxw", "-f", fmt)
    assert done.returncode == 1 and done.stderr == "kg: no entity matches 'zzzqqqxxw'\n", done.stderr
    if fmt == "json":
        assert json.loads(done.stdout)["results"]["bindings"] == []
    else:
        assert done.stdout.splitlines() == [("," if fmt == "csv" else "\t").join(
            ["taken", "score", "label", "matched", "class", "detail", "entity"])]


# -- kg build --only: warnings that come from the claims not read ------------------------------------------------

def test_build_only_counts_the_warnings_of_files_it_did_not_read_instead_of_printing_them():
    done = _kg("build", "--only", "d003*", "--check")
    warnings = [line for line in done.stderr.splitlines() if line.startswith("kg: warning")]
    assert not any("no date" in w or "likely duplicates" in w for w in warnings), warnings
    assert any(w.startswith("kg: warning: --only: ") and "warning(s) of files outside d003*" in w for w in warnings), warnings


# -- kg network --site naming a folder with no site ------------------------------------------------------------------

@pytest.mark.skipif(not (ROOT / "build" / "kg.nq").exists(), reason="needs kg build")
def test_network_site_folder_without_a_site_warns(tmp_path):
    done = _kg("network", "legal", "--site", "../nosite/", "-o", str(tmp_path / "n.html"))
    assert done.returncode == 0, done.stderr
    assert "kg: warning: --site ../nosite/: no kg site at" in done.stderr, done.stderr
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "pages").mkdir()
    done = _kg("network", "legal", "--site", "../site/", "-o", str(tmp_path / "pages" / "n.html"))
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr


# -- a card named outside the graph's namespace (a @base, a redefined prefix) -------------------------------------

@pytest.mark.parametrize("text", ['@base <http://elsewhere.example/> .\n<zz> a kg:City ; skos:prefLabel "Zz"@en .\n',
                                  '@prefix place: <http://elsewhere.example/> .\nplace:zz a kg:City ; skos:prefLabel "Zz"@en .\n'])
def test_a_card_outside_the_namespace_of_entities_is_refused_with_its_line(tmp_path, text):
    from kg.load import parse_file
    from kg.model import check_cards

    path = tmp_path / "graph" / "entities" / "x.ttl"
    path.parent.mkdir(parents=True)
    path.write_text("@prefix kg: <https://w3id.org/kzkg/ontology#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                    "@prefix place: <https://w3id.org/kzkg/id/place/> .\nplace:ok a kg:City ; skos:prefLabel \"Ok\"@en .\n"
                    + text, encoding="utf-8")
    errors = check_cards([parse_file(path, "data")])
    assert errors == [f"{path}:6: <http://elsewhere.example/zz> is a card outside the graph's entities "
                      "(https://w3id.org/kzkg/id/...): name it with a prefix of the project (place:, group:...); "
                      "check @base and @prefix lines"], errors
