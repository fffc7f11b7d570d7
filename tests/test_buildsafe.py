"""Builds that cannot collide or lie (kg.buildsafe): lock, outputs replaced together, staleness by content."""

import errno
import json
import subprocess
import sys
import time

import pytest

from kg.build import OUTPUT_FILES
from kg.buildsafe import MANIFEST, BuildBusy, build_lock, stale_reason, write_together
from kg.cli import main
from kg.load import InputError
from kg.store import is_stale

from test_build import claim, project  # noqa: F401  (the tiny-project fixture)

SHA = "a205fce6e44a1c0f6175706a3df7173f8323cf9051c4993333cf03238cde00f0"


@pytest.fixture
def built_project(project):  # noqa: F811
    claim(project, "group:tj kg:stance kg:NonViolent .", sha=SHA)
    assert main(["build", "--root", str(project)]) == 0
    return project


def test_stale_by_content_changed_added_deleted(built_project):
    root = built_project
    assert stale_reason(root) is None and not is_stale(root)
    card = root / "graph" / "entities" / "t.ttl"
    text = card.read_text()
    card.write_text(text + "\n# a comment\n")
    assert stale_reason(root) == "graph/entities/t.ttl changed"
    card.write_text(text)
    assert stale_reason(root) is None  # same content, newer time: not stale
    extra = root / "graph" / "entities" / "u.ttl"
    extra.write_text("")
    assert stale_reason(root) == "graph/entities/u.ttl was added"
    extra.unlink()
    (root / "graph" / "claims" / "t.trig").rename(root / "graph" / "t.txt")
    assert stale_reason(root) == "graph/claims/t.trig was deleted"
    (root / "build" / MANIFEST).write_text("{not json")
    assert stale_reason(root) == "the built graph is missing"


def test_failed_write_leaves_previous_outputs_whole(built_project, monkeypatch):
    out = built_project / "build"
    before = {name: (out / name).read_bytes() for name in [*OUTPUT_FILES.values(), MANIFEST]}

    def full_disk(tmp):
        tmp.write_bytes(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(InputError, match="the disk is full; the previous outputs are unchanged"):
        write_together(out, {"kg.trig": lambda tmp: tmp.write_text("new"), "kg.nq": full_disk}, root=built_project)
    assert {name: (out / name).read_bytes() for name in before} == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".") and "tmp" in p.name) == []


def test_an_interrupted_write_leaves_no_temporary_and_the_previous_outputs(built_project):
    """Ctrl-C or SIGTERM (a KeyboardInterrupt in kg) while the outputs are written: the temporary files
    are removed (a SIGTERM-ed build had left .kg.jsonld.tmp-PID and others) and the outputs are the
    previous ones."""
    out = built_project / "build"
    before = {name: (out / name).read_bytes() for name in [*OUTPUT_FILES.values(), MANIFEST]}

    def stopped(tmp):
        tmp.write_bytes(b"partial")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_together(out, {"kg.trig": lambda tmp: tmp.write_text("new"), "kg.jsonld": stopped}, root=built_project)
    assert {name: (out / name).read_bytes() for name in before} == before
    assert sorted(p.name for p in out.iterdir() if ".tmp-" in p.name or ".part-" in p.name) == []


def test_unwritable_out_is_one_clear_line(project, tmp_path, capsys):  # noqa: F811
    blocker = tmp_path / "afile"
    blocker.write_text("mine")
    assert main(["build", "--root", str(project), "--out", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: error: cannot write to") and "Traceback" not in err
    assert blocker.read_text() == "mine"


def test_out_never_overwrites_files_the_build_did_not_write(project, tmp_path, capsys):  # noqa: F811
    claim(project, "group:tj kg:stance kg:NonViolent .", sha=SHA)
    mine = tmp_path / "notes.txt"
    mine.write_text("my notes")
    assert main(["build", "--root", str(project), "--out", str(mine)]) == 2
    assert "is a file" in capsys.readouterr().err and mine.read_text() == "my notes"
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "kg.nq").write_text("my own quads")
    assert main(["build", "--root", str(project), "--out", str(folder)]) == 2
    assert "kg.nq, which kg build did not write" in capsys.readouterr().err
    assert (folder / "kg.nq").read_text() == "my own quads"
    fresh = tmp_path / "fresh"
    assert main(["build", "--root", str(project), "--out", str(fresh)]) == 0
    assert main(["build", "--root", str(project), "--out", str(fresh)]) == 0  # its own outputs: replaced


def test_lock_refuses_or_waits(tmp_path):
    said = []
    with build_lock(tmp_path):
        with pytest.raises(BuildBusy, match="another kg build is writing"):
            with build_lock(tmp_path, wait=False):
                pass
    with build_lock(tmp_path, wait=False, say=said.append):
        pass
    assert said == []


def test_two_concurrent_builds_both_finish_and_outputs_are_whole(built_project):
    root = built_project
    expected = sorted((root / "build" / "kg.nq").read_text().splitlines())
    procs = [subprocess.Popen([sys.executable, "-m", "kg", "build", "--root", str(root)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert any("waiting for it to finish" in err for _, err in results)
    written = (root / "build" / "kg.nq").read_text()
    assert sorted(written.splitlines()) == expected
    manifest = json.loads((root / "build" / MANIFEST).read_text())
    assert manifest["outputs"]["kg.nq"]["size"] == len(written.encode())
    assert stale_reason(root) is None


def test_only_checks_one_document_of_the_clean_graph(root, capsys):
    assert main(["build", "--root", str(root), "--only", "d003*"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("built ") and "59 evidence graphs" in captured.out


def test_only_matching_nothing_is_refused(project, capsys):  # noqa: F811
    claim(project, "group:tj kg:stance kg:NonViolent .", sha=SHA)
    assert main(["build", "--root", str(project), "--only", "d009*"]) == 2
    assert "--only d009*: no claims file matches; claims files: t.trig" in capsys.readouterr().err


def test_bad_query_file_and_max_rows(tmp_path, capsys):
    bad = tmp_path / "q.rq"
    bad.write_bytes(b"SELECT * WHERE { ?s ?p '\xe9' }")
    assert main(["sparql", "--file", str(bad)]) == 2
    assert "q.rq:1: not UTF-8 text (byte 24); save the file as UTF-8" in capsys.readouterr().err  # as every input
    with pytest.raises(SystemExit):
        main(["sparql", "ASK {}", "--max-rows", "-1"])
    assert "is not a number of rows" in capsys.readouterr().err
