"""kg ingest: candidates from a text, the draft file, and the held-out measurement."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib import Dataset

from kg.corpus import sha256_text
from kg.evidence import parse_span
from kg.ingest import fold, heldout_scores, ingest_text, sentences, write_draft
from kg.ingest_match import text_key

TEXT = (
    "The Committee for National Security (KNB) said on 15 June 2015 that more than 300 people had left.\n"
    "In March 2016 the Islamic State released a video in Raqqa.\n\n"
    "Officials of the Ministry of Digital Affairs met Aibek Tulegenov in 2017, as Smith (2018) notes."
)
INDEX = {text_key("Islamic State"): {"https://w3id.org/kzkg/id/group/islamic-state"},
         text_key("Raqqa"): {"https://w3id.org/kzkg/id/place/raqqa"}}


def test_fold_keeps_length_and_folds_case_accents_and_quotes():
    for text in ("Ақтөбе", "Nur-Sultan’s", "ÍSIL — Zhanaözen", "Straße"):
        assert len(fold(text)) == len(text)
    assert fold("ÍSIL’s") == "isil's"
    assert fold("Zhanaözen – Aktau") == "zhanaozen - aktau"


def test_sentences_are_trimmed_spans_of_the_text():
    spans = sentences(TEXT)
    assert len(spans) == 3
    assert TEXT[spans[1][0]:spans[1][1]] == "In March 2016 the Islamic State released a video in Raqqa."


def test_candidates_of_each_kind():
    draft = ingest_text("999", TEXT, INDEX)
    got = {(c.kind, c.text) for c in draft.candidates()}
    assert ("mention", "Islamic State") in got and ("mention", "Raqqa") in got
    acronym = next(c for c in draft.candidates() if c.kind == "acronym")
    assert (acronym.value, acronym.cls) == ("KNB", "kg:StateAgency")
    dates = {c.text: (c.value, c.datatype) for c in draft.candidates() if c.kind == "date"}
    assert dates["15 June 2015"] == ("2015-06-15", "xsd:date")
    assert dates["March 2016"] == ("2016-03", "xsd:gYearMonth")
    assert dates["2017"] == ("2017", "xsd:gYear")
    figure = next(c for c in draft.candidates() if c.kind == "figure" and c.value == "300")
    assert (figure.comparator, figure.unit) == ("more than", "people")
    names = {c.text: c.cls for c in draft.candidates() if c.kind == "name"}
    assert names["Ministry of Digital Affairs"] == "kg:StateAgency"
    assert "Aibek Tulegenov" in names
    assert ("citation", "Smith (2018)") in got


def test_draft_is_trig_whose_spans_verify(tmp_path):
    draft = ingest_text("999", TEXT, INDEX)
    path = write_draft(draft, TEXT, tmp_path / "d999.trig")
    ds = Dataset()
    ds.parse(path, format="trig")
    spans = [g.identifier for g in ds.graphs() if parse_span(g.identifier)]
    assert len(spans) == 3
    for name in spans:
        span = parse_span(name)
        recorded = str(ds.default_graph.value(name, next(p for p in ds.default_graph.predicates(name))))
        assert recorded == sha256_text(TEXT[span.start:span.end])


def test_draft_never_overwrites_a_curated_file(tmp_path):
    target = tmp_path / "d999.trig"
    target.write_text("# my own claims\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_draft(ingest_text("999", TEXT, INDEX), TEXT, target)
    assert target.read_text(encoding="utf-8") == "# my own claims\n"


def test_kg_ingest_writes_a_draft_the_build_ignores(built, corpus_folder, root, tmp_path):
    out = tmp_path / "d002.trig"
    proc = subprocess.run([sys.executable, "-m", "kg", "ingest", "002", "--out", str(out)],
                          capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "mentions" in proc.stdout and out.exists()
    assert "kg:candidate \"mention\"" in out.read_text(encoding="utf-8")


def test_held_out_statistics_are_mostly_proposed(engine, corpus_folder):
    """At least 60% of each document's curated statistics get a figure candidate (issue 14's target)."""
    found = total = 0
    for doc in ("000", "001", "002", "003", "004"):
        s = heldout_scores(engine, corpus_folder, doc)
        found, total = found + s["stats_found"], total + s["stats"]
    assert total > 250 and found / total >= 0.6
