"""kg build: parsing errors name file and line, bad data exits 1, good data builds and verifies."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.build import build
from kg.cli import main
from kg.load import InputError
from kg.namespaces import turtle_prefixes

PREFIXES = turtle_prefixes()


@pytest.fixture
def project(tmp_path, root):
    """A tiny project: the real ontology and sources, one card and one claim on document 003."""
    shutil.copytree(root / "ontology", tmp_path / "ontology")
    (tmp_path / "graph" / "entities").mkdir(parents=True)
    (tmp_path / "graph" / "claims").mkdir()
    shutil.copy(root / "graph" / "sources.ttl", tmp_path / "graph" / "sources.ttl")
    (tmp_path / "graph" / "entities" / "t.ttl").write_text(
        PREFIXES + 'group:tj a kg:ReligiousMovement ; skos:prefLabel "Tablighi Jamaat"@en .\n', encoding="utf-8")
    return tmp_path


def claim(project, body, sha="0" * 64, span="d003-2315-2428"):
    text = PREFIXES + f"ev:{span} {{ {body} }}\nev:{span} kg:sha256 \"{sha}\" .\n"
    (project / "graph" / "claims" / "t.trig").write_text(text, encoding="utf-8")


def test_malformed_turtle_names_file_and_line(project):
    bad = project / "graph" / "entities" / "bad.ttl"
    bad.write_text(PREFIXES + "group:x a kg:ArmedGroup ;\n  skos:prefLabel \"X\"@en ,, \"Y\"@en .\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        build(project, write=False)
    message = str(exc.value)
    assert f"{bad}:{PREFIXES.count(chr(10)) + 2}:" in message  # the line of the double comma
    assert "syntax error" in message


def test_cli_exit_2_on_syntax_error_and_nothing_written(project, capsys):
    (project / "graph" / "claims" / "broken.trig").write_text(PREFIXES + "ev:d003-1-2 { group:x a }\n", encoding="utf-8")
    code = main(["build", "--root", str(project)])
    assert code == 2
    assert f"broken.trig:{PREFIXES.count(chr(10)) + 1}:" in capsys.readouterr().err
    assert not (project / "build").exists()


def test_span_that_does_not_verify_exits_1_with_fix(project, corpus_folder, capsys):
    claim(project, "group:tj kg:stance kg:NonViolent .", sha="ab" * 32)
    code = main(["build", "--root", str(project)])
    err = capsys.readouterr().err
    assert code == 1
    assert "does not match the text at 2315-2428" in err
    assert "kg locate" in err
    assert not (project / "build").exists()


def test_valid_claim_builds_and_verifies(project, corpus_folder, capsys):
    sha = "a205fce6e44a1c0f6175706a3df7173f8323cf9051c4993333cf03238cde00f0"
    claim(project, "group:tj kg:stance kg:NonViolent .", sha=sha)
    assert main(["build", "--root", str(project)]) == 0
    out = capsys.readouterr().out
    assert "1 spans verified" in out
    for name in ("kg.trig", "kg.nq", "kg.jsonld"):
        assert (project / "build" / name).stat().st_size > 1000


def test_undefined_property_and_missing_card_are_reported(project, corpus_folder):
    sha = "a205fce6e44a1c0f6175706a3df7173f8323cf9051c4993333cf03238cde00f0"
    claim(project, "group:tj kg:stanse kg:NonViolent ; kg:tiedTo group:nobody .", sha=sha)
    result = build(project, write=False)
    text = "\n".join(result.errors)
    assert "kg:stanse" in text and "is not a term of the ontology" in text
    assert "group:nobody is used in" in text and "has no class" in text


def test_shacl_message_says_what_to_fix(project, corpus_folder):
    sha = "a205fce6e44a1c0f6175706a3df7173f8323cf9051c4993333cf03238cde00f0"
    claim(project, 'event:a a kg:Attack ; kg:date "June 2016" ; kg:place group:tj .', sha=sha)
    (project / "graph" / "entities" / "e.ttl").write_text(
        PREFIXES + 'event:a a kg:Attack ; skos:prefLabel "An attack"@en .\n', encoding="utf-8")
    result = build(project, write=False)
    text = "\n".join(result.errors)
    assert "kg:date must be an xsd:date" in text
    assert "kg:place must be a kg:Place" in text


def test_graph_outside_evidence_is_refused(project):
    (project / "graph" / "claims" / "t.trig").write_text(
        PREFIXES + "group:g { group:tj kg:stance kg:NonViolent . }\n", encoding="utf-8")
    result = build(project, write=False)
    assert any("is not an evidence span" in e for e in result.errors)


def test_out_folder_inside_input_is_refused(project, capsys):
    code = main(["build", "--root", str(project), "--out", str(project / "graph")])
    assert code == 2
    assert "hand-edited" in capsys.readouterr().err


def test_real_graph_builds_and_every_span_verifies(built, corpus_folder):
    assert built.ok
    assert built.verified == len(built.spans) > 0


def test_python_m_kg_runs():
    proc = subprocess.run([sys.executable, "-m", "kg", "queries"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert "summary" not in proc.stdout and proc.stdout.strip()
