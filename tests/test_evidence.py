"""The evidence model: span IRIs, locating passages, and every span of every document verifying."""

import pytest
from rdflib import URIRef

from kg import corpus
from kg.evidence import parse_span, verify_span
from kg.namespaces import EV
from kg.sources import open_corpus, registered_ids

from conftest import ROOT


def test_parse_span():
    span = parse_span(EV["d003-1997-2074"])
    assert (span.doc, span.start, span.end) == ("003", 1997, 2074)
    assert str(span.document).endswith("/source/d003")
    assert parse_span(EV["d003-20-10"]) is None
    assert parse_span(URIRef("https://w3id.org/kzkg/id/evidence/x")) is None


def test_locate_finds_offsets_and_hash(corpus_folder):
    matches = corpus.locate(corpus_folder, "003", "Kazakhstani courts designated ISIL", until="October 15.")
    assert len(matches) == 1
    m = matches[0]
    text = corpus.document_text(corpus_folder, "003")
    assert text[m.start:m.end].startswith("Kazakhstani courts designated ISIL")
    assert text[m.start:m.end].endswith("October 15.")
    assert m.sha256 == corpus.sha256_text(text[m.start:m.end])
    assert m.evidence == f"ev:d003-{m.start}-{m.end}"


def test_locate_is_flexible_about_line_breaks(corpus_folder):
    text = corpus.document_text(corpus_folder, "004")
    i = text.index("\n", 5000)
    words = text[i - 20:i + 20].split()
    assert corpus.locate(corpus_folder, "004", " ".join(words))


def test_verify_span_says_what_is_wrong(corpus_folder):
    span = parse_span(EV["d003-1997-2074"])
    assert verify_span(corpus_folder, span, "30c7dac50ea1cb2b3d7545ba89cb7e8f04ac37ae3995e5c12dcd042b8c659de3") is None
    assert "does not match" in verify_span(corpus_folder, span, "0" * 64)
    assert "no kg:sha256 recorded" in verify_span(corpus_folder, span, None)
    far = parse_span(EV["d003-1-99999"])
    assert "outside document 003" in verify_span(corpus_folder, far, "0" * 64)


def test_documents_match_their_recorded_hashes(corpus_folder, built, root):
    from kg.namespaces import KG

    docs = open_corpus(root)
    for doc in built.dataset.default_graph.subjects(predicate=KG.fileName):
        name = str(built.dataset.default_graph.value(doc, KG.fileName))
        recorded = str(built.dataset.default_graph.value(doc, KG.sha256))
        assert docs.find(name) is not None, f"{name} is in no corpus folder"
        assert corpus.sha256_text(docs.find(name).read_bytes().decode("utf-8")) == recorded, name


@pytest.mark.parametrize("doc", registered_ids(ROOT))
def test_every_span_of_each_document_verifies(built, corpus_folder, doc):
    spans = [s for s in map(parse_span, built.spans) if s.doc == doc]
    assert spans, f"document {doc} has no evidence yet"
    hashes = {str(s): str(o) for s, o in built.dataset.default_graph.subject_objects(
        URIRef("https://w3id.org/kzkg/ontology#sha256"))}
    for span in spans:
        assert verify_span(corpus_folder, span, hashes.get(str(span.iri))) is None, span.iri


def test_no_evidence_graph_copies_a_sentence(built, corpus_folder):
    """Text values are the curators' words: no literal repeats 12 or more words of its document.

    Names, titles and addresses (labels, schema:name, schema:url) are facts and may be verbatim."""
    import re

    from rdflib import Literal

    word = re.compile(r"[0-9a-z]+")
    shingles = {}
    docs = open_corpus(ROOT)
    for doc in {parse_span(iri).doc for iri in built.spans}:
        words = word.findall(corpus.document_text(docs, doc).lower())
        shingles[doc] = {" ".join(words[i:i + 12]) for i in range(len(words) - 11)}
    for iri in built.spans:
        doc = parse_span(iri).doc
        for _, p, o in built.dataset.graph(iri):
            verbatim_ok = ("name" in str(p) or "Label" in str(p) or "url" in str(p))
            if isinstance(o, Literal) and len(str(o).split()) >= 12 and not verbatim_ok:
                words = word.findall(str(o).lower())
                for i in range(len(words) - 11):
                    assert " ".join(words[i:i + 12]) not in shingles[doc], f"{iri} {p} copies the document"
