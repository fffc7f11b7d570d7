"""kg.showmodel: the card of one entity drawn from a few bounded queries is the card the whole model draws."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.showcard import entity_card
from kg.showmodel import entity_model
from kg.sitedata import KGNS, load_model, model_from_rows
from kg.store import QueryError

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("rdflib", "networkx", "pyshacl", "jinja2", "pyvis", "pandas")


@pytest.fixture(scope="module")
def whole(engine):
    return load_model(engine)


def _sample(model) -> list[str]:
    """At least 40 entities across classes: the first three of every class, and entities whose card has
    statistics, disagreements, qualifiers or statements naming it through a qualifier node."""
    by_class: dict[str, list[str]] = {}
    for iri in model.entities:
        by_class.setdefault(model.main_class(iri) or "", []).append(iri)
    picked = [i for members in by_class.values() for i in members[:3]]
    about = sorted({st.o["value"] for sts in model.by_subject.values() for st in sts if st.p == KGNS + "about"})
    disputed = sorted({o["value"] for facts in model.card.values() for p, o in facts
                       if p == KGNS + "disputedSubject" and o["type"] == "uri"})
    qualified = sorted({st.s for sts in model.by_subject.values() for st in sts if st.qualifiers})
    picked += about[:8] + disputed[:8] + qualified[:8]
    picked += [KGNS.replace("ontology#", "id/") + p for p in ("person/barack-obama", "group/islamic-state")]
    return [i for i in dict.fromkeys(picked) if i in model.entities]


def test_the_sample_is_large_and_spans_classes(whole):
    sample = _sample(whole)
    assert len(sample) >= 40
    assert len({whole.main_class(i) for i in sample}) >= 10


def test_every_card_of_the_sample_is_the_whole_models_card_without_passages(engine, whole):
    differ = [iri for iri in _sample(whole)
              if entity_card(engine, iri, width=100) != entity_card(engine, iri, width=100, model=whole)]
    assert differ == []


def test_every_card_of_the_sample_is_the_whole_models_card_with_passages(engine, whole, corpus_folder):
    differ = [iri for iri in _sample(whole)
              if entity_card(engine, iri, corpus=corpus_folder, width=90)
              != entity_card(engine, iri, corpus=corpus_folder, width=90, model=whole)]
    assert differ == []


def test_the_model_does_not_depend_on_the_order_rows_come_in(engine):
    """An engine may return rows in any order (Oxigraph's follows its index, rdflib's its own): the model
    sorts them, so statements, aliases and evidence come out alike from the whole graph and from a part."""
    default = engine.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows
    quads = engine.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    one, other = model_from_rows(default, quads), model_from_rows(default[::-1], quads[::-1])
    iri = KGNS.replace("ontology#", "id/") + "group/islamic-state"
    assert one.aliases[iri] == other.aliases[iri]
    assert [(s.ev, s.p, s.o["value"]) for s in one.by_subject[iri]] == [(s.ev, s.p, s.o["value"]) for s in other.by_subject[iri]]
    assert entity_card(engine, iri, model=one, width=100) == entity_card(engine, iri, model=other, width=100)


def test_the_part_read_is_bounded_by_the_card(engine, whole):
    iri = KGNS.replace("ontology#", "id/") + "person/barack-obama"
    part = entity_model(engine, iri)
    statements = sum(len(v) for v in part.by_subject.values())
    assert statements < 40 < sum(len(v) for v in whole.by_subject.values()) // 100
    assert part.by_subject[iri] == whole.by_subject[iri]


def test_an_iri_not_in_the_graph_or_not_an_iri_is_a_query_error(engine):
    with pytest.raises(QueryError, match="is not in the graph"):
        entity_card(engine, "https://w3id.org/kzkg/id/group/no-such-group")
    with pytest.raises(QueryError, match="is not an IRI"):
        entity_model(engine, "https://w3id.org/kzkg/id/group/x> } ?s ?p ?o {")


def test_kg_show_imports_no_heavy_library():
    from kg.store import is_stale

    if is_stale(ROOT):
        from kg import cli

        assert cli.main(["build"]) == cli.OK
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "kg", "show", "Barack Obama", "--no-passages"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.startswith("Barack Obama  (person)")
    names = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in proc.stderr.splitlines()
             if line.startswith("import time:")}
    assert "pyoxigraph" in names and sorted(names & set(HEAVY)) == []
