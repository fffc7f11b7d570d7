"""The incremental build (kg.buildcache, the caches of kg.build and kg.validate) gives the results of a full build.

Most tests run on a small project cut from the curated graph (the ontology, the sources, three
card files and two claims files: about 2,000 quads, with real SHACL violations and failed checks
to compare), edited between builds; one runs on a copy of the whole curated graph.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.build import build

ROOT = Path(__file__).resolve().parent.parent
SUBSET = ("graph/sources.ttl", "graph/entities/core.ttl", "graph/entities/d001.ttl", "graph/entities/d002.ttl",
          "graph/claims/d001.trig", "graph/claims/d002.trig")
PREFIXES = """@prefix kg: <https://w3id.org/kzkg/ontology#> .
@prefix ev: <https://w3id.org/kzkg/id/evidence/> .
@prefix event: <https://w3id.org/kzkg/id/event/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""


def make_project(folder: Path, files=SUBSET) -> Path:
    """A project of the ontology and ``files`` of the curated graph, with an (empty) output folder
    ``build/``: the caches are then kept even when the data does not conform, as here."""
    shutil.copytree(ROOT / "ontology", folder / "ontology")
    (folder / "build").mkdir()
    for name in files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, folder / name)
    return folder


def outcome(result) -> dict:
    """Everything a build reports and produces, in a form that compares whatever the order."""
    quads = sorted(set(result.nquads.decode("utf-8").splitlines())) if result.nquads else None
    return {"errors": sorted(result.errors), "warnings": sorted(result.warnings), "quads": quads,
            "mentions": result.mentions, "duplicates": result.duplicates, "quantities": result.quantity_overlaps,
            "labels": result.generated_labels, "verified": result.verified, "spans": dict(result.spans),
            "cards": dict(result.cards)}


def both(project: Path) -> tuple:
    """The incremental build (with the caches of project/build) and a full build (elsewhere)."""
    incremental = build(project, out=project / "build", formats=("nquads",))
    full = build(project, out=project / "full", formats=("nquads",), full=True)
    return incremental, full


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


# -- edits a curator makes, each of a kind the caches must notice --------------------------------

def change_literal(project: Path, n: int) -> None:
    path = project / "graph/claims/d001.trig"
    text = path.read_text(encoding="utf-8")
    m = re.search(r'schema:description "([^"\\\n]+)"', text)
    path.write_text(text[:m.start(1)] + f"edited {n}: " + text[m.start(1):], encoding="utf-8")


def negative_count(project: Path, n: int) -> None:
    """A SHACL violation (kg:killed below 0) in a new evidence graph of a claims file."""
    path = project / "graph/claims/d002.trig"
    head = "" if path.exists() else PREFIXES  # after remove_file: a new file, with its prefixes
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(head + f"\nev:d002-{10 + n}-{20 + n} {{ event:bench-attack-{n} a kg:Attack ; kg:killed -{n + 1} . }}\n")


def retype_card(project: Path, n: int) -> None:
    """An organization several nodes point to (sh:class kg:Organization) becomes a place: their results change."""
    path = project / "graph/entities/core.ttl"
    text = path.read_text(encoding="utf-8")
    m = re.search(r"^(agency:[\w-]+) a kg:(\w+)", text, re.MULTILINE)
    if m:
        path.write_text(text[:m.start(2)] + "City" + text[m.end(2):], encoding="utf-8")


def rename_label(project: Path, n: int) -> None:
    path = project / "graph/entities/d001.ttl"
    text = path.read_text(encoding="utf-8")
    m = re.search(r'skos:prefLabel "([^"\\\n]+)"', text)
    path.write_text(text[:m.start(1)] + f"Renamed {n} " + text[m.start(1):], encoding="utf-8")


def remove_file(project: Path, n: int) -> None:
    (project / "graph/claims/d002.trig").unlink(missing_ok=True)


def add_file(project: Path, n: int) -> None:
    (project / f"graph/claims/d001-extra-{n}.trig").write_text(
        PREFIXES + f'ev:d001-{n}-{n + 40} {{ event:extra-{n} a kg:Attack ; kg:date "2011-05-17"^^xsd:date ; '
        f'kg:killed {n} . }}\nev:d001-{n}-{n + 40} kg:sha256 "{"0" * 64}" .\n', encoding="utf-8")


def change_shapes(project: Path, n: int) -> None:
    """A new shape: the cached SHACL results were made with other shapes and cannot be reused."""
    with open(project / "ontology/shapes.ttl", "a", encoding="utf-8") as fh:
        fh.write(f"\nkg:BenchShape{n} a sh:NodeShape ; sh:targetClass kg:Attack ; "
                 f"sh:property [ sh:path kg:wounded ; sh:minCount 1 ; sh:message \"bench {n}\" ] .\n")


EDITS = [change_literal, negative_count, retype_card, rename_label, remove_file, add_file, change_shapes]


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(EDITS), min_size=1, max_size=2))
def test_incremental_build_equals_full_build_over_edits(tmp_path_factory, edits):
    project = make_project(tmp_path_factory.mktemp("project"))
    build(project, out=project / "build", formats=("nquads",))  # fills the caches
    for n, change in enumerate(edits):
        change(project, n)
        incremental, full = both(project)
        assert outcome(incremental) == outcome(full), change.__name__
        assert full.shacl_mode["mode"] == "full"


def test_a_violation_is_reported_by_the_incremental_build_and_cleared(tmp_path):
    project = make_project(tmp_path / "p")
    before = build(project, out=project / "build", formats=("nquads",))
    assert before.shacl_mode["mode"] == "full"
    original = (project / "graph/claims/d002.trig").read_text(encoding="utf-8")
    negative_count(project, 4)
    with_violation = build(project, out=project / "build", formats=("nquads",))
    assert with_violation.shacl_mode["mode"] == "incremental"
    assert 0 < with_violation.shacl_mode["validated"] < 10  # the new node and the few it touches
    assert with_violation.parsed == 1
    added = sorted(set(with_violation.errors) - set(before.errors))
    assert any("event:bench-attack-4 kg:killed" in e and "(value: -5)" in e for e in added), added
    assert sorted(with_violation.errors) == sorted(build(project, out=tmp_path / "full", formats=("nquads",),
                                                         full=True).errors)
    (project / "graph/claims/d002.trig").write_text(original, encoding="utf-8")
    cleared = build(project, out=project / "build", formats=("nquads",))
    assert cleared.shacl_mode["mode"] == "incremental"
    assert sorted(cleared.errors) == sorted(before.errors)
    assert not any("bench-attack" in e for e in cleared.errors)


def test_retyped_card_revalidates_the_nodes_pointing_to_it(tmp_path):
    project = make_project(tmp_path / "p")
    build(project, out=project / "build", formats=("nquads",))
    retype_card(project, 0)
    incremental, full = both(project)
    assert incremental.shacl_mode["mode"] == "incremental"
    assert sorted(incremental.errors) == sorted(full.errors)
    assert any("must point to an organization" in e for e in set(full.errors))


def test_a_damaged_cache_is_ignored_and_rebuilt(tmp_path):
    project = make_project(tmp_path / "p")
    first = build(project, out=project / "build", formats=("nquads",))
    cache = project / "build" / ".cache"
    entries = sorted((cache / "files").glob("*.pickle"))
    assert len(entries) == len(list((project / "ontology").glob("*.ttl"))) + len(SUBSET)
    entries[0].write_bytes(b"not a pickle")
    entries[1].write_bytes(entries[1].read_bytes()[:100])  # truncated
    (cache / "shacl.pickle").write_bytes(b"\x80\x05garbage")
    again = build(project, out=project / "build", formats=("nquads",))
    assert again.parsed == 2 and again.shacl_mode["mode"] == "full"
    assert outcome(again) == outcome(first)
    third = build(project, out=project / "build", formats=("nquads",))  # the damaged entries were rewritten
    assert third.parsed == 0 and third.shacl_mode == {"mode": "incremental", "validated": 0}


def test_another_code_version_misses_the_cache(tmp_path, monkeypatch):
    from kg import buildcache

    project = make_project(tmp_path / "p")
    build(project, out=project / "build", formats=("nquads",))
    buildcache.code_version.cache_clear()
    monkeypatch.setattr(buildcache, "code_version", lambda: "another version")
    again = build(project, out=project / "build", formats=("nquads",))
    assert again.parsed == len(list((project / "ontology").glob("*.ttl"))) + len(SUBSET)
    assert again.shacl_mode["mode"] == "full"


def test_full_reads_no_cache(tmp_path):
    project = make_project(tmp_path / "p")
    build(project, out=project / "build", formats=("nquads",))
    full = build(project, out=project / "build", formats=("nquads",), full=True)
    assert full.parsed == len(list((project / "ontology").glob("*.ttl"))) + len(SUBSET)
    assert full.shacl_mode["mode"] == "full"


def test_check_writes_no_cache(tmp_path):
    project = make_project(tmp_path / "p")
    build(project, out=project / "build", write=False)
    assert list((project / "build").iterdir()) == []


def test_written_exports_read_back_as_the_nquads(tmp_path):
    """kg.trig and kg.jsonld, written by pyoxigraph from the store, hold exactly the quads of kg.nq."""
    import json

    import pyoxigraph as ox
    from pyld import jsonld as pyld

    project = make_project(tmp_path / "p", SUBSET[:3] + ("graph/claims/d001.trig",))
    (tmp_path / "out").mkdir()
    result = build(project, out=tmp_path / "out", validate=False)
    assert result.ok, result.errors[:3]

    def read(data: bytes, fmt) -> set:
        store = ox.Store()
        store.bulk_load(input=data, format=fmt)
        return set(store)

    expected = read((tmp_path / "out" / "kg.nq").read_bytes(), ox.RdfFormat.N_QUADS)
    assert len(expected) > 1000
    assert read((tmp_path / "out" / "kg.trig").read_bytes(), ox.RdfFormat.TRIG) == expected
    document = json.loads((tmp_path / "out" / "kg.jsonld").read_text(encoding="utf-8"))
    assert read(json.dumps(document).encode(), ox.RdfFormat.JSON_LD) == expected
    assert read(pyld.to_rdf(document, {"format": "application/n-quads"}).encode(), ox.RdfFormat.N_QUADS) == expected
    from kg.exports import used_prefixes

    assert document["@context"] == used_prefixes(result.dataset)
    assert all("@id" in item for item in document["@graph"])


def test_a_failed_export_leaves_the_previous_outputs_and_store(tmp_path, monkeypatch):
    from kg import exports
    from kg.load import InputError

    project = make_project(tmp_path / "p", SUBSET[:3] + ("graph/claims/d001.trig",))
    out = tmp_path / "out"
    out.mkdir()
    build(project, out=out, validate=False)
    before = {name: (out / name).read_bytes() for name in ("kg.nq", "kg.trig", "kg.jsonld", "kg-build.json")}
    store_marker = (out / "store" / "complete").stat().st_mtime_ns
    change_literal(project, 0)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports, "write_jsonld_from_store", full_disk)
    with pytest.raises(InputError, match="the disk is full"):
        build(project, out=out, validate=False)
    assert {name: (out / name).read_bytes() for name in before} == before
    assert (out / "store" / "complete").stat().st_mtime_ns == store_marker
    assert not [p.name for p in out.iterdir() if ".tmp-" in p.name]  # no temporary file or store left


def test_curated_graph_after_one_change_equals_full_build(tmp_path):
    """On a copy of the whole curated graph: one claims file edited (a literal and a new violation)."""
    project = make_project(tmp_path / "p", [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "graph").rglob("*"))
                                            if p.is_file() and "drafts" not in p.parts])
    first = build(project, out=project / "build", formats=("nquads",))
    assert first.ok, first.errors[:5]
    path = project / "graph/claims/d003.trig"
    text = path.read_text(encoding="utf-8")
    m = re.search(r'schema:description "([^"\\\n]+)"', text)
    path.write_text(text[:m.start(1)] + "edited: " + text[m.start(1):]
                    + '\nev:d003-1-9 { event:bench-attack a kg:Attack ; kg:killed -2 . }\n', encoding="utf-8")
    incremental, full = both(project)
    assert incremental.parsed == 1 and incremental.shacl_mode["mode"] == "incremental"
    assert outcome(incremental) == outcome(full)
    assert any("event:bench-attack kg:killed" in e for e in incremental.errors)


def test_every_kind_of_edit_in_turn(tmp_path):
    project = make_project(tmp_path / "p")
    build(project, out=project / "build", formats=("nquads",))
    for n, change in enumerate(EDITS):
        change(project, n)
        incremental, full = both(project)
        assert outcome(incremental) == outcome(full), change.__name__
        expected = "full" if change is change_shapes else "incremental"
        assert incremental.shacl_mode["mode"] == expected, change.__name__


def test_an_altered_cache_entry_is_detected(tmp_path):
    """A cache file whose bytes were changed (here: one flipped byte of a valid entry) is a miss."""
    from kg import buildcache

    folder = tmp_path / "cache"
    buildcache.write_entry(folder, "x.pickle", {"quads": [1, 2, 3]})
    assert buildcache.read_entry(folder, "x.pickle") == {"quads": [1, 2, 3]}
    data = bytearray((folder / "x.pickle").read_bytes())
    data[-3] ^= 0x01
    (folder / "x.pickle").write_bytes(bytes(data))
    assert buildcache.read_entry(folder, "x.pickle") is None
    assert buildcache.read_entry(folder, "missing.pickle") is None
    assert not [p for p in folder.iterdir() if ".tmp-" in p.name]


def test_local_shapes_accepts_the_project_shapes_and_refuses_deeper_ones():
    """Shapes that look past a node's own triples and its neighbours' types are validated in full."""
    from rdflib import Graph

    from kg.validate import local_shapes

    assert local_shapes(Graph().parse(ROOT / "ontology" / "shapes.ttl"))
    head = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
    deeper = {
        "node": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:T ] .",
        "inverse": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ] .",
        "sequence": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .",
        "sparql": 'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE { }" ] .',
        "objects": "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .",
        "nested": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; "
                  "sh:or ( [ sh:or ( [ sh:path ex:q ; sh:minCount 1 ] ) ] ) ] .",
    }
    for name, text in deeper.items():
        assert not local_shapes(Graph().parse(data=head + text, format="turtle")), name
    local = "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path [ sh:alternativePath ( ex:p ex:q ) ] ; " \
            "sh:class ex:D ; sh:or ( [ sh:datatype ex:x ] [ sh:class ex:E ] ) ] ."
    assert local_shapes(Graph().parse(data=head + local, format="turtle"))
