"""Documents as data: a new document is registered with kg add-source, cited, built and counted.

The document is written for the test (invented sentences, below), in a temporary corpus folder, and
registered in a temporary copy of the project: nothing assumes how many documents there are.
"""

import os
import re
import shutil

import pytest

from kg.cli import main
from kg.corpus import sha256_text
from kg.namespaces import turtle_prefixes
from kg.sources import add_source, next_id, registered_documents

PREFIXES = turtle_prefixes()
TEXT = (
    "Notes on a training seminar, written for the test suite.\n"
    "The Steppe Prevention Forum held a two-day seminar on online recruitment in March 2024.\n"
    "Forty-two teachers from Karaganda attended it, and a second seminar is planned for Shymkent.\n"
)


@pytest.fixture
def project(tmp_path, root):
    """A copy of the project's ontology and sources, with an empty corpus folder of its own."""
    shutil.copytree(root / "ontology", tmp_path / "p" / "ontology")
    (tmp_path / "p" / "graph" / "entities").mkdir(parents=True)
    (tmp_path / "p" / "graph" / "claims").mkdir()
    shutil.copy(root / "graph" / "sources.ttl", tmp_path / "p" / "graph" / "sources.ttl")
    (tmp_path / "corpus").mkdir()
    return tmp_path / "p"


def register(project, capsys, *extra, name="seminar-notes.txt", text=TEXT):
    corpus = project.parent / "corpus"
    (corpus / name).write_text(text, encoding="utf-8")
    code = main(["add-source", str(corpus / name), "--root", str(project), "--corpus", str(corpus), *extra])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out.strip()


def cite(project, capsys, doc):
    """Locate one sentence of the new document and write a card and a claims file citing it."""
    corpus = project.parent / "corpus"
    code = main(["locate", doc, "The Steppe Prevention Forum held", "--until", "March 2024.",
                 "--root", str(project), "--corpus", str(corpus)])
    out = capsys.readouterr().out
    assert code == 0
    ev, sha = re.search(r"^(ev:d\d{3}-\d+-\d+)\s.*sha256=([0-9a-f]{64})", out).groups()
    (project / "graph" / "entities" / f"d{doc}.ttl").write_text(
        PREFIXES + 'organization:steppe-prevention-forum a kg:NGO ; skos:prefLabel "Steppe Prevention Forum"@en .\n',
        encoding="utf-8")
    (project / "graph" / "claims" / f"d{doc}.trig").write_text(
        PREFIXES + f'{ev} {{ organization:steppe-prevention-forum schema:description "holds seminars on recruitment"@en . }}\n'
        f'{ev} kg:sha256 "{sha}" .\n', encoding="utf-8")
    return ev, sha


def test_add_source_registers_builds_and_counts_a_new_document(project, capsys):
    before = (project / "graph" / "sources.ttl").read_bytes()
    expected = next_id(project)
    doc = register(project, capsys, "--title", "Seminar notes", "--date", "2024-03",
                   "--publisher", "Steppe Prevention Forum", "--url", "https://example.org/notes")
    assert doc == expected == f"{max(int(i) for i in registered_documents(project) if i != doc) + 1:03d}"
    after = (project / "graph" / "sources.ttl").read_bytes()
    assert after.startswith(before)  # appended; nothing the user wrote is rewritten
    card = registered_documents(project)[doc]
    assert (card.title, card.file_name, card.sha256) == ("Seminar notes", "seminar-notes.txt", sha256_text(TEXT))
    assert '"2024-03"^^xsd:gYearMonth' in after.decode() and 'schema:url "https://example.org/notes"' in after.decode()
    assert not list((project / "graph").rglob("seminar-notes.txt"))  # the file stays in its corpus folder

    ev, _ = cite(project, capsys, doc)
    corpus = project.parent / "corpus"
    assert main(["build", "--root", str(project), "--corpus", str(corpus)]) == 0
    out = capsys.readouterr()
    assert "built" in out.out and "1 spans verified" in out.out
    assert f"document {doc} (seminar-notes.txt) is in none" not in out.err
    assert main(["query", "coverage-documents", "--root", str(project), "--corpus", str(corpus), "-f", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "docId,title,spans,statements,subjects"
    assert f"{doc},Seminar notes,1,1,1" in lines
    assert main(["query", "document-entities", "-p", f"document={doc}", "--root", str(project), "-f", "csv"]) == 0
    assert "Steppe Prevention Forum" in capsys.readouterr().out


def test_a_changed_document_is_reported_once_by_its_hash(project, capsys):
    doc = register(project, capsys, "--title", "Seminar notes")
    cite(project, capsys, doc)
    corpus = project.parent / "corpus"
    changed = TEXT.replace("Forty-two", "Forty-three")
    (corpus / "seminar-notes.txt").write_text(changed, encoding="utf-8")
    assert main(["build", "--root", str(project), "--corpus", str(corpus)]) == 1
    err = capsys.readouterr().err
    message = f"document {doc} changed: its SHA-256 is {sha256_text(changed)}, graph/sources.ttl records {sha256_text(TEXT)}"
    assert err.count(message) == 1
    assert err.count(f"d{doc}-") == 0  # its spans are not reported one by one
    assert not (project / "build").exists()


def test_several_corpus_folders_from_kg_corpus(project, capsys, monkeypatch, tmp_path):
    doc = register(project, capsys, "--title", "Seminar notes")
    cite(project, capsys, doc)
    other = tmp_path / "elsewhere"
    other.mkdir()
    monkeypatch.setenv("KG_CORPUS", os.pathsep.join([str(other), str(project.parent / "corpus")]))
    assert main(["build", "--root", str(project), "--check"]) == 0
    assert "1 spans verified" in capsys.readouterr().out
    monkeypatch.setenv("KG_CORPUS", str(other))
    assert main(["build", "--root", str(project), "--check"]) == 0
    assert f"document {doc} (seminar-notes.txt) is in none of the corpus folders" in capsys.readouterr().err


def test_document_parameter_accepts_registered_ids_and_lists_them(project, capsys):
    doc = register(project, capsys, "--title", "Seminar notes")
    cite(project, capsys, doc)
    corpus = project.parent / "corpus"
    assert main(["build", "--root", str(project), "--corpus", str(corpus)]) == 0
    capsys.readouterr()
    unknown = f"{int(doc) + 1:03d}"
    assert main(["query", "document-entities", "-p", f"document={unknown}", "--root", str(project)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"registered in graph/sources.ttl: {', '.join(registered_documents(project))}" in err
    assert doc in err


def test_add_source_refuses_bad_input_in_one_line(project, capsys, tmp_path):
    outside = tmp_path / "loose.txt"
    outside.write_text("A loose note that lives outside every corpus folder.\n", encoding="utf-8")
    corpus = project.parent / "corpus"
    sources = (project / "graph" / "sources.ttl").read_bytes()
    cases = [
        ([str(outside)], "is not in a corpus folder"),
        ([str(outside), "--copy-to", str(tmp_path / "missing")], "is not a folder"),
        ([str(tmp_path / "nothing.txt")], "is not a file"),
    ]
    (corpus / "bin.txt").write_bytes(b"\xff\xfe\x00bad")
    cases.append(([str(corpus / "bin.txt")], "is not UTF-8 text"))
    (corpus / "dated.txt").write_text("A text with a bad date option.\n", encoding="utf-8")
    cases.append(([str(corpus / "dated.txt"), "--date", "March 2024"], "give the date at the precision known"))
    for argv, expected in cases:
        assert main(["add-source", *argv, "--root", str(project), "--corpus", str(corpus)]) == 2, argv
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and expected in err, err
    assert (project / "graph" / "sources.ttl").read_bytes() == sources
    doc = register(project, capsys, name="seminar-notes.txt")
    assert main(["add-source", str(corpus / "seminar-notes.txt"), "--root", str(project), "--corpus", str(corpus)]) == 2
    assert f"already registered as document {doc}" in capsys.readouterr().err


def test_copy_to_copies_into_a_corpus_folder_and_never_overwrites(project, capsys, tmp_path):
    outside = tmp_path / "loose.txt"
    outside.write_text("A loose note written for the test, copied into the corpus.\n", encoding="utf-8")
    corpus = project.parent / "corpus"
    doc, path = add_source(project, outside, copy_to=corpus, corpus=[corpus])
    assert path == corpus / "loose.txt" and path.read_text(encoding="utf-8") == outside.read_text(encoding="utf-8")
    assert registered_documents(project)[doc].file_name == "loose.txt"
    outside.write_text("Another text under the same name.\n", encoding="utf-8")
    assert main(["add-source", str(outside), "--copy-to", str(corpus), "--root", str(project), "--corpus", str(corpus)]) == 2
    assert "exists and differs" in capsys.readouterr().err
    assert "copied into the corpus" in (corpus / "loose.txt").read_text(encoding="utf-8")


def test_sources_file_without_final_newline_keeps_its_text(project, capsys):
    path = project / "graph" / "sources.ttl"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "  # the curator's last comment"
    path.write_text(text, encoding="utf-8")
    doc = register(project, capsys)
    after = path.read_text(encoding="utf-8")
    assert after.startswith(text + "\n")
    assert doc in registered_documents(project)
