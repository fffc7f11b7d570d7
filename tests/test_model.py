"""The model enforced (kg.model, kg.known): cards, disjoint classes, documents, bad input as one clear line."""

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.build import build
from kg.cli import main
from kg.evidence import parse_span
from kg.load import InputError, load_project
from kg.namespaces import EV, turtle_prefixes
from kg.query import ANY, ParamError, bind, get_query

from test_build import claim, project  # noqa: F401  (the tiny-project fixture)

PREFIXES = turtle_prefixes()
SHA = "a205fce6e44a1c0f6175706a3df7173f8323cf9051c4993333cf03238cde00f0"


def _card(project, text, name="x.ttl"):  # noqa: F811
    path = project / "graph" / "entities" / name
    path.write_text(PREFIXES + text, encoding="utf-8")
    return path


def test_statement_on_a_card_is_an_error_naming_file_and_line(project):  # noqa: F811
    claim(project, "group:tj kg:stance kg:NonViolent .", sha=SHA)
    path = _card(project, 'group:tj skos:altLabel "TJ"@en ;\n    kg:stance kg:Violent .\n')
    result = build(project, write=False)
    line = PREFIXES.count("\n") + 2
    assert any(e.startswith(f"{path}:{line}: group:tj kg:stance ... is a statement on an entity card") for e in result.errors)


def test_disjoint_classes_are_checked(project):  # noqa: F811
    claim(project, "group:tj kg:stance kg:NonViolent .", sha=SHA)
    _card(project, 'place:x a kg:City , kg:Person ; skos:prefLabel "X"@en .\n')
    result = build(project, write=False)
    assert any("place:x is a kg:Person and a kg:Place, classes the ontology declares disjoint" in e for e in result.errors)


def test_unread_files_are_warned_about(project):  # noqa: F811
    claim(project, "group:tj kg:stance kg:NonViolent .", sha=SHA)
    (project / "graph" / "extra.jsonld").write_text("{}")
    (project / "graph" / "more.nt").write_text("")
    result = build(project, write=False)
    assert [w for w in result.warnings if "is not read" in w] == [
        "graph/extra.jsonld is not read (only .ttl and .trig files are): convert it to Turtle or TriG, or move it out of graph/",
        "graph/more.nt is not read (only .ttl and .trig files are): convert it to Turtle or TriG, or move it out of graph/"]


def test_shacl_warnings_are_printed(built):
    assert any("event:september-11-attacks: no date" in w for w in built.warnings)


def test_bom_non_utf8_huge_number_invalid_iri(project):  # noqa: F811
    claim(project, "group:tj kg:stance kg:NonViolent .", sha=SHA)
    path = project / "graph" / "entities" / "t.ttl"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert build(project, write=False, validate=False).ok  # a byte-order mark is dropped
    bad = project / "graph" / "entities" / "bad.ttl"
    bad.write_bytes(b"# ok\n# caf\xe9\n")
    with pytest.raises(InputError, match=r"bad.ttl:2: not UTF-8 text \(byte 10\)"):
        build(project, write=False)
    bad.write_text(PREFIXES + "group:tj kg:count " + "9" * 5000 + " .\n")
    with pytest.raises(InputError, match=r"bad.ttl:\d+: a number of 5000 digits"):
        build(project, write=False)
    bad.write_text(PREFIXES + "\n<https://w3id.org/kzkg/id/group/a b> a kg:ArmedGroup .\n")
    errors = build(project, write=False, validate=False).errors
    assert any(":" + str(PREFIXES.count("\n") + 2) + ": <https://w3id.org/kzkg/id/group/a b> is not a valid IRI" in e
               for e in errors)


def test_load_project_with_a_relative_path(project, monkeypatch):  # noqa: F811
    monkeypatch.chdir(project.parent)
    files = load_project(project.name)
    assert {f.path.name for f in files} >= {"kg.ttl", "sources.ttl", "t.ttl"}


def test_changed_document_is_reported_once_with_full_hashes(project, corpus_folder, tmp_path):  # noqa: F811
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_folder.folders[0], corpus)
    doc = next(corpus.glob("003_*.txt"))
    doc.write_bytes(b"x" + doc.read_bytes())
    text = "".join(f"ev:d003-{s}-{s + 10} {{ group:tj kg:stance kg:NonViolent . }}\nev:d003-{s}-{s + 10} kg:sha256 \"{'0' * 64}\" .\n"
                   for s in range(100, 400, 20))
    (project / "graph" / "claims" / "t.trig").write_text(PREFIXES + text)
    result = build(project, corpus=corpus, write=False, validate=False)
    assert len(result.errors) == 1
    assert "document 003 changed: its SHA-256 is " in result.errors[0]
    recorded = "f8d6a66a6b5ba0d6dc4c8be32e83ba5e40ec5f43cb29c2c8e3bd22e86b3d1bd6"
    assert len(result.errors[0].split("its SHA-256 is ")[1].split(",")[0]) == 64
    assert "graph/sources.ttl records " in result.errors[0] and recorded != ""


def test_hash_mismatch_shows_both_full_hashes(project, corpus_folder):  # noqa: F811
    claim(project, "group:tj kg:stance kg:NonViolent .", sha="ab" * 32)
    errors = build(project, write=False, validate=False).errors
    assert any(f"kg:sha256 {'ab' * 32} does not match" in e and f"hashes to {SHA} " in e for e in errors)


def test_damaged_build_is_one_line(built_tmp_project, capsys):
    nq = built_tmp_project / "build" / "kg.nq"
    data = bytearray(nq.read_bytes())
    data[10:20] = b"<<<<<<<<<<"
    nq.write_bytes(bytes(data))
    assert main(["sparql", "--root", str(built_tmp_project), "ASK {}"]) == 0
    assert "building the graph first (build/kg.nq is not the file the build wrote)" in capsys.readouterr().err
    nq.write_bytes(b"<<<")  # damaged behind the manifest's back, time and size included
    from kg.buildsafe import MANIFEST
    manifest = built_tmp_project / "build" / MANIFEST
    import json
    data = json.loads(manifest.read_text())
    stat = nq.stat()
    data["outputs"]["kg.nq"].update(size=stat.st_size, mtime_ns=stat.st_mtime_ns)
    manifest.write_text(json.dumps(data))
    with pytest.raises(SystemExit) as exc:
        main(["sparql", "--root", str(built_tmp_project), "ASK {}"])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "kg.nq is damaged (" in err and "run kg build" in err and "Traceback" not in err


@pytest.fixture
def built_tmp_project(project):  # noqa: F811
    claim(project, "group:tj kg:stance kg:NonViolent .", sha=SHA)
    assert main(["build", "--root", str(project)]) == 0
    return project


@pytest.mark.parametrize("query,params,message", [
    ("document-entities", {"kind": "kg:Nope"}, "is not a class of the ontology; closest: kg:Note"),
    # a class parameter limited to some classes lists those (tests/test_param_types.py)
    ("timeline", {"kind": "kg:Nope"}, "is not a class of the ontology; known: kg:Amendment, kg:Attack, kg:Conference"),
    ("document-entities", {"document": "007"}, "'007' is not a registered document id (registered in graph/sources.ttl: 000, 001, 002, 003, 004)"),
    ("entity-statements", {"entity": "group:no-such-group"}, "the graph holds nothing about group:no-such-group"),
    ("entity-statements", {"entity": "<http://x/a b>"}, "no entity is labelled"),
    ("timeline", {"from": "9" * 5000}, "is out of range for timeline: from is a whole number from 1 to 9999"),
])
def test_unknown_values_are_refused_with_the_known_ones(engine, query, params, message):
    with pytest.raises(ParamError, match=message.replace("(", r"\(").replace(")", r"\)")):
        bind(get_query(query), params, engine)


def test_network_filters_refuse_unknown_values(capsys, built):
    for option, value, message in [("--class", "Nothing", "known: Actor"), ("--relation", "nothing", "known: absorbedInto"),
                                   ("--document", "009", "documents: source:d000")]:
        assert main(["network", "actor", option, value]) == 2
        assert message in capsys.readouterr().err


# --- property-based tests ---------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_span_parsing_never_fails(tail):
    span = parse_span(str(EV) + tail)
    if span is not None:
        assert 0 <= span.start < span.end and len(span.doc) == 3


@given(st.integers(0, 10**11), st.integers(1, 10**11), st.integers(0, 999))
def test_span_parsing_round_trips(start, length, doc):
    span = parse_span(f"{EV}d{doc:03d}-{start}-{start + length}")
    assert (span.doc, span.start, span.end) == (f"{doc:03d}", start, start + length)
    assert parse_span(f"{EV}d{doc:03d}-{start}-{'9' * 5000}") is None  # offsets past 12 digits are no span


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30))
def test_integer_and_string_binding_never_crashes(engine, value):
    query = get_query("timeline")
    try:
        bound = bind(query, {"from": value}, engine)
    except ParamError:
        return
    assert int(bound["from"].value) == int(value.strip())
    assert bound["kind"] == ANY


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=30))
def test_entity_binding_is_one_iri_or_a_clear_refusal(engine, value):
    try:
        bound = bind(get_query("entity-statements"), {"entity": value}, engine)
    except ParamError as exc:
        assert str(exc)
        return
    assert getattr(bound["entity"], "value", str(bound["entity"])).startswith("http")
