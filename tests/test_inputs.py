"""Input paths that are not regular files, through every reader of the project (kg/inputs.py).

The kind: a FIFO named ``graph/claims/x.trig`` made ``kg build`` wait forever. Any path a reader is
given, or finds by glob, may be a named pipe, a socket, a device, a folder named ``x.ttl``, a file too
large, a file that changes or is swapped while read, or bytes that are not UTF-8. Each reader must
answer with its own error class, one line naming the path, at once (never a hang).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kg import inputs
from kg.inputs import InputError, read_bytes, read_text

ROOT = Path(__file__).resolve().parent.parent
QUERY = "#+ summary: Is anything there?\nASK { ?s ?p ?o }\n"


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()


def _folder(path: Path) -> None:
    path.mkdir()


def _device(path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero: endless bytes


KINDS = {"fifo": (_fifo, "named pipe"), "socket": (_socket, "socket"), "folder": (_folder, "folder"),
         "device": (_device, "character device")}


def finishes(call, seconds: float = 20.0):
    """``call()``'s exception (or None), failing the test if it does not return within ``seconds``."""
    box: list = []

    def run():
        try:
            call()
            box.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            box.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert box, f"{call} did not return within {seconds} s: it waits on the input"
    return box[0]


# -- the mechanism ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_read_refuses_what_is_not_a_regular_file(tmp_path, kind):
    make, words = KINDS[kind]
    path = tmp_path / "x.ttl"
    make(path)
    exc = finishes(lambda: read_bytes(path))
    assert isinstance(exc, InputError)
    assert str(exc).startswith(f"{path} is ") and words in str(exc) and "\n" not in str(exc)


def test_read_keeps_the_callers_error_class(tmp_path):
    path = tmp_path / "x.rq"
    os.mkfifo(path)
    with pytest.raises(KeyError, match="named pipe"):
        read_text(path, error=KeyError)


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "big.ttl"
    with open(path, "wb") as fh:
        fh.truncate(3 * 2**20)  # sparse: no bytes written
    monkeypatch.setattr(inputs.os, "read", lambda *a: pytest.fail("a file over the limit was read"))
    with pytest.raises(InputError, match=r"big.ttl is 3 MB, more than the 2 MB"):
        read_bytes(path, limit=2 * 2**20)


def test_a_file_that_grows_while_read_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "x.ttl"
    path.write_bytes(b"a" * (3 << 20))
    real = os.read

    def read_then_append(fd, n):
        data = real(fd, n)
        with open(path, "ab") as fh:
            fh.write(b"more")
        return data

    monkeypatch.setattr(inputs.os, "read", read_then_append)
    with pytest.raises(InputError, match="changed while kg read it"):
        read_bytes(path)


def test_a_file_swapped_between_stat_and_open_is_refused(tmp_path, monkeypatch):
    path, other = tmp_path / "x.ttl", tmp_path / "y.ttl"
    path.write_text("a")
    other.write_text("b")
    real = os.stat
    monkeypatch.setattr(inputs.os, "stat", lambda p, *a, **k: real(other if Path(p) == path else p, *a, **k))
    with pytest.raises(InputError, match="changed while kg read it"):
        read_bytes(path)


def test_missing_and_not_utf8_and_bom(tmp_path):
    with pytest.raises(InputError, match="is not a file: nothing is there"):
        read_bytes(tmp_path / "gone.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(b"ok\nok\n\xff\n")
    with pytest.raises(InputError, match=r"bad.ttl:3: not UTF-8 text \(byte 6\)"):
        read_text(bad)
    bom = tmp_path / "bom.ttl"
    bom.write_bytes(b"\xef\xbb\xbfx")
    assert read_text(bom) == "x"
    assert read_text(bom, bom=False) == "\ufeffx"


def test_a_pipe_is_read_only_when_asked(tmp_path):
    path = tmp_path / "q.rq"
    os.mkfifo(path)

    def writer():
        with open(path, "wb") as fh:
            fh.write(b"ASK {}")

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    assert read_text(path, pipes=True) == "ASK {}"
    thread.join(5)


def test_a_silent_pipe_is_refused_after_the_wait(tmp_path, monkeypatch):
    path = tmp_path / "q.rq"
    os.mkfifo(path)
    monkeypatch.setattr(inputs, "PIPE_WAIT", 0.2)
    with pytest.raises(InputError, match="sent nothing for 0.2 s"):
        read_text(path, pipes=True)


# -- every reader of the project, with every kind -----------------------------------------------

def _load(folder: Path, name: str):
    from kg.load import parse_file

    return parse_file(folder / name, "data")


def _query_file(folder: Path, name: str):
    from kg.query import parse_query_file

    return parse_query_file(folder / name, folder)


def _queries(folder: Path, name: str):
    from kg.query import load_queries

    (folder / "ok.rq").write_text(QUERY)
    return load_queries(folder)


def _checks(folder: Path, name: str):
    from kg.validate import load_checks

    return load_checks(folder)


def _querycheck(folder: Path, name: str):
    from kg.querycheck import check_query_file

    return check_query_file(folder / name)


def _corpus(folder: Path, name: str):
    from kg.corpus import document_text

    return document_text(folder, "007")


def _add_source(folder: Path, name: str):
    from kg.sources import add_source

    return add_source(folder, folder / name, corpus=[str(folder)])


def _hash(folder: Path, name: str):
    from kg.buildsafe import _sha256

    return _sha256(folder / name)


READERS = {  # reader: (the name the path gets, the error classes it may raise)
    "load.parse_file": (_load, "x.ttl", "kg.inputs.InputError"),
    "query.parse_query_file": (_query_file, "x.rq", "kg.store.QueryError"),
    "query.load_queries": (_queries, "x.rq", "kg.store.QueryError"),
    "validate.load_checks": (_checks, "x-violation.rq", "kg.inputs.InputError"),
    "querycheck.check_query_file": (_querycheck, "x.rq", "builtins.OSError"),
    "corpus.document_text": (_corpus, "007_x.txt", "kg.corpus.CorpusError"),
    "sources.add_source": (_add_source, "x.txt", "kg.corpus.CorpusError"),
    "buildsafe._sha256": (_hash, "x.ttl", "builtins.OSError"),
}


def _class(dotted: str):
    import importlib

    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("kind", ["fifo", "socket", "folder", "device"])
@pytest.mark.parametrize("reader", READERS)
def test_every_reader_refuses_every_kind_at_once(tmp_path, reader, kind):
    call, name, error = READERS[reader]
    make, words = KINDS[kind]
    folder = tmp_path / "queries" if reader.startswith(("query", "validate")) else tmp_path
    folder.mkdir(exist_ok=True)
    make(folder / name)
    exc = finishes(lambda: call(folder, name))
    assert isinstance(exc, _class(error)), repr(exc)
    if not reader.startswith("buildsafe"):  # the hash is only told to mark the file unreadable
        assert str(folder / name) in str(exc) and words in str(exc), str(exc)


# -- the known fault, through the command line -------------------------------------------------------

@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("inputs")
    for name in ("ontology", "graph"):
        shutil.copytree(ROOT / name, root / name)
    return root


@pytest.mark.parametrize("where, kind", [("graph/claims/x.trig", "fifo"), ("ontology/x.ttl", "fifo"),
                                         ("graph/entities/x.ttl", "folder")])
def test_kg_build_with_a_fifo_or_folder_among_the_inputs(copy, where, kind):
    path = copy / where
    KINDS[kind][0](path)
    try:
        done = subprocess.run([sys.executable, "-m", "kg", "build", "--root", str(copy)], capture_output=True, check=False,
                              text=True, timeout=120, cwd=ROOT)
    finally:
        path.rmdir() if kind == "folder" else path.unlink()
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2, done.stderr
    assert lines == [f"kg: error: {path} is {'a folder' if kind == 'folder' else 'a named pipe (FIFO)'}, "
                     + lines[0].split(", ", 1)[1]], done.stderr


# -- what a command reads of a file it is about to replace, and of its own build ----------------------

def _replaceable(folder: Path, name: str):
    from kg.outputs import check_replaceable

    return check_replaceable(folder / name, ("kg",), "-o")


def _docs_page(folder: Path, name: str):
    from kg.docs import _check_out

    return _check_out(folder, folder, [folder / name])


def _draft(folder: Path, name: str):
    from kg.ingest import Draft
    from kg.ingest_write import write_draft

    return write_draft(Draft("003"), "", folder / name)


OUTPUT_READERS = {  # reader: (the name the path gets, the error class)
    "outputs.check_replaceable": (_replaceable, "page.html", "kg.outputs.OutputRefused"),
    "docs._check_out": (_docs_page, "index.html", "kg.docs.DocsError"),
    "ingest_write.write_draft": (_draft, "d003.trig", "builtins.FileExistsError"),
}


@pytest.mark.parametrize("kind", ["fifo", "socket", "device"])
@pytest.mark.parametrize("reader", OUTPUT_READERS)
def test_a_file_about_to_be_replaced_is_never_waited_on(tmp_path, reader, kind):
    """Each checks the head of an existing file for its mark before replacing it: a FIFO there is refused."""
    call, name, error = OUTPUT_READERS[reader]
    make, words = KINDS[kind]
    make(tmp_path / name)
    exc = finishes(lambda: call(tmp_path, name))
    assert isinstance(exc, _class(error)), repr(exc)
    assert str(tmp_path / name) in str(exc) and words in str(exc), str(exc)


def test_a_fifo_in_place_of_the_built_graph_or_its_manifest_means_build_again(tmp_path):
    from kg.buildsafe import MANIFEST, read_manifest, stale_reason

    out = tmp_path / "build"
    out.mkdir()
    (tmp_path / "ontology").mkdir()
    os.mkfifo(out / MANIFEST)
    assert finishes(lambda: read_manifest(out)) is None and read_manifest(out) is None
    (out / MANIFEST).unlink()
    (out / MANIFEST).write_text(json.dumps({"inputs": {}, "outputs": {"kg.nq": {"size": 0}}}))
    os.mkfifo(out / "kg.nq")
    assert finishes(lambda: stale_reason(tmp_path)) is None
    assert stale_reason(tmp_path) == "the built graph is missing"


def test_a_fifo_among_the_site_templates_is_refused_before_any_page_is_drawn(tmp_path, monkeypatch):
    from kg import site

    templates, static = tmp_path / "templates", tmp_path / "static"
    templates.mkdir()
    static.mkdir()
    (templates / "entity.html").write_text("<p>{{ x }}</p>")
    os.mkfifo(templates / "page.html")
    monkeypatch.setattr(site, "TEMPLATES", templates)
    monkeypatch.setattr(site, "STATIC", static)
    exc = finishes(site._check_package_files)
    assert isinstance(exc, InputError) and str(exc).startswith(f"{templates / 'page.html'} is a named pipe"), exc


def test_a_fifo_in_the_build_cache_is_a_miss(tmp_path):
    from kg.buildcache import read_entry

    os.mkfifo(tmp_path / "entry.pickle")
    assert finishes(lambda: read_entry(tmp_path, "entry.pickle")) is None
    assert read_entry(tmp_path, "entry.pickle") is None


def test_a_file_named_with_a_line_break_is_still_one_error_line(tmp_path):
    from kg.load import load_project

    (tmp_path / "ontology").mkdir()
    claims = tmp_path / "graph" / "claims"
    claims.mkdir(parents=True)
    for name in ("bad\nline.trig", "esc\x1b[2J.trig"):
        (claims / name).write_text("@prefix x: <http://x/> .\nx:a x:b .\n")
    with pytest.raises(InputError) as caught:
        load_project(tmp_path)
    lines = str(caught.value).splitlines()
    assert len(lines) == 2 and "\x1b" not in str(caught.value), lines
    assert lines[0].startswith(f"{claims}/bad\\nline.trig:2:8: syntax error") and "esc\\x1b[2J.trig:2:8" in lines[1]


def test_an_unreadable_file_says_how_to_fix_it(tmp_path, monkeypatch):
    """As root every file is readable, so the refusal of the system is simulated at the open."""
    import errno

    path = tmp_path / "x.ttl"
    path.write_text("a")

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(inputs.os, "open", refuse)
    with pytest.raises(InputError, match=r"x.ttl cannot be read \(permission denied\): give this user read permission"):
        read_bytes(path)


def test_a_folder_of_graph_that_cannot_be_listed_is_refused_not_skipped(tmp_path, monkeypatch):
    """The glob skips a folder it cannot list, so its claims would be left out of the build silently.
    As root every folder can be listed, so the system's answer is simulated (os.access)."""
    from kg import load

    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "core.ttl").write_text("")
    closed = tmp_path / "graph" / "claims"
    closed.mkdir(parents=True)
    (closed / "d001.trig").write_text("")
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == closed else real(p, mode))
    with pytest.raises(InputError) as caught:
        load.find_files(tmp_path)
    assert str(caught.value) == (f"{closed} cannot be listed (permission denied), so its files would be left out unread: "
                                 "give this user read and search permission (chmod u+rx)")
    monkeypatch.setattr(os, "access", real)
    assert [p.name for p, _ in load.find_files(tmp_path)] == ["core.ttl", "d001.trig"]


@pytest.mark.parametrize("reader", ["query.load_queries", "validate.load_checks"])
def test_a_question_or_check_folder_that_cannot_be_listed_is_refused(tmp_path, monkeypatch, reader):
    call, name, error = READERS[reader]
    folder = tmp_path / "queries"
    folder.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == folder else real(p, mode))
    exc = finishes(lambda: call(folder, name))
    assert isinstance(exc, _class(error)) and str(exc).startswith(f"{folder} cannot be listed (permission denied)"), exc
