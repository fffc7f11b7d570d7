"""Hostile and careless input through the real command line, in subprocesses.

The promise (README, "Guarantees"): bad input gets one line on standard error saying what is wrong
and what to do, exit 2 (input) or 1 (data), never a traceback; nothing the user wrote is overwritten;
nothing leaves the machine unless asked. Each case here stands for a kind of fault found by trying
the commands as a hostile user would (the kind is fixed where it arises, not the example):

* output that cannot be written (a full disk) and a terminal that cannot show a character;
* queries the engine's parser cannot survive (nesting thousands deep), or column lists naming nothing;
* corpus folders and documents that cannot be read or are not UTF-8;
* ``kg add-source`` values that would break ``graph/sources.ttl`` (impossible dates, line breaks,
  bytes that are not UTF-8), folders it cannot write, and two registrations at once;
* ``kg docs`` asked to write over a file or over the user's own pages;
* remote servers that answer with control characters, line breaks, bottomless JSON or no numbers;
* ``kg push`` targets and credentials that HTTP cannot carry;
* the served endpoint: NUL bytes and over-long names in file paths, two ``Host`` headers, an
  absolute-form target naming another host, query strings that are not UTF-8, stalled bodies.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg"]


# -- the project copy every command runs on (built once) ------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project's hand-edited folders, built once, so that no case rebuilds the checkout."""
    root = tmp_path_factory.mktemp("project")
    for name in ("ontology", "graph"):
        shutil.copytree(ROOT / name, root / name)
    done = subprocess.run([*KG, "build", "--root", str(root)], capture_output=True, text=True, timeout=900,
                          env=_env())
    assert done.returncode == 0, done.stderr[-2000:]
    return root


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A corpus folder of our own: document 003 is a made-up UTF-8 text (no document is quoted)."""
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "003_test.txt").write_text("Alpha beta gamma. Қазақстан delta 😀 epsilon.\n", encoding="utf-8")
    return folder


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "KG_CORPUS"}
    env.update(extra)
    return env


def kg(*args, root: Path | None = None, stdout=None, env=None, timeout: float = 300) -> tuple[int, str, bytes]:
    """Run ``kg ARGS`` (``--root`` added after the subcommand); return exit code, stderr text and stdout bytes."""
    argv = list(args)
    if root is not None:
        argv[1:1] = ["--root", str(root)]
    done = subprocess.run([*KG, *argv], stdout=stdout if stdout is not None else subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env or _env(), timeout=timeout, cwd=ROOT)
    return done.returncode, done.stderr.decode("utf-8", "replace"), done.stdout or b""


def assert_one_line(code: int, err: str, expected: int, *words: str) -> None:
    """Exit ``expected``, no traceback, exactly one line on standard error holding every word."""
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert len(lines[0]) < 1000, lines[0][:200]  # a pasted page is not echoed whole
    assert code == expected, err
    assert lines[0].startswith("kg: error: "), err
    for word in words:
        assert word in lines[0], err


# -- queries, columns, files: one line, exit 2 -------------------------------------------------------

DEEP = "ASK " + "{" * 3000 + "}" * 3000
QUERY_CASES = [
    (["sparql", DEEP], "nests"),
    (["sparql", "SELECT * WHERE { FILTER(" + "(" * 1000 + "1" + ")" * 1000 + ") }"], "nests"),
    (["sparql", "SELECT * { ?s ?p ?o } LIMIT 3", "--columns", ","], "--columns"),
    (["sparql", "SELECT * { ?s ?p ?o } LIMIT 3", "--columns", " "], "--columns"),
    (["sparql", "SELECT * { ?s ?p ?o } LIMIT 3", "--columns", ",", "-f", "csv"], "--columns"),
    (["sparql", "SELECT * { ?s ?p ?o } LIMIT 3", "--columns", " , ", "-f", "json"], "--columns"),
    (["sparql", "SELECT * { ?s ?p ?o } LIMIT 3", "--columns", "s,nothing", "-f", "tsv"], "nothing"),
    (["passage", "x" * 100_000], "evidence span"),
    (["sparql", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"], "SERVICE"),
    (["sparql", "LOAD <http://example.org/data.ttl>"], "read-only"),
    (["sparql", "DROP ALL"], "read-only"),
    (["sparql", "SELECT ?x WHERE { ?x ?p }"], "syntax"),
    (["search", "Islamic State", "-n", "-1"], "-n"),
    (["passage", "ev:d003-9-3"], "evidence span"),
]


@pytest.mark.parametrize("args,word", QUERY_CASES, ids=[f"{a[0]}-{i}" for i, (a, _) in enumerate(QUERY_CASES)])
def test_bad_queries_and_options_are_one_line(project, args, word):
    code, err, _ = kg(*args, root=project)
    assert_one_line(code, err, 2, word)


def test_deep_nesting_just_under_the_limit_still_runs(project):
    from kg.guard import MAX_NESTING

    code, err, out = kg("sparql", "ASK " + "{" * MAX_NESTING + "}" * MAX_NESTING, "-f", "json", root=project)
    assert code == 0, err
    assert json.loads(out)["boolean"] is True


UNTERMINATED = [  # each quote once started a scan to the end of the text: hours for a 600 KB query
    'SELECT * { ?s ?p ?o } LIMIT 1 ' + '"\\' * 300_000,
    "SELECT * { ?s ?p ?o } LIMIT 1 '''" + "a'" * 300_000,
    "SELECT * { ?s ?p ?o } LIMIT 1 '" + "\\" * 600_001,
]


@pytest.mark.parametrize("text", UNTERMINATED, ids=["double", "triple-single", "backslashes"])
def test_unterminated_strings_do_not_hang_the_check(project, tmp_path, text):
    path = tmp_path / "long.rq"
    path.write_text(text, encoding="utf-8")
    code, err, _ = kg("sparql", "--file", str(path), root=project, timeout=120)  # a hang fails here
    assert_one_line(code, err, 2, "syntax error")


def test_a_string_cannot_hide_service_across_a_line_break():
    from kg.guard import RemoteAccessError, check_query

    with pytest.raises(RemoteAccessError):
        check_query('SELECT * { ?s ?p "a\\\nSERVICE <http://example.org/> { ?s ?p "b" } }')


@pytest.mark.parametrize("content", [b"SELECT \xff\xfe", b"caf\xe9"], ids=["binary", "latin-1"])
def test_query_files_that_are_not_utf8(project, tmp_path, content):
    path = tmp_path / "my query.rq"
    path.write_bytes(content)
    code, err, _ = kg("sparql", "--file", str(path), root=project)
    assert_one_line(code, err, 2, "UTF-8")


def test_a_folder_as_query_file(project, tmp_path):
    code, err, _ = kg("sparql", "--file", str(tmp_path), root=project)
    assert_one_line(code, err, 2, str(tmp_path))


@pytest.mark.parametrize("args", [["search", "Islamic State"], ["show", "Islamic State", "--no-passages"],
                                  ["sparql", "SELECT * { ?s ?p ?o } LIMIT 500", "-f", "csv"]],
                         ids=["search", "show", "sparql-csv"])
def test_output_that_cannot_be_written_is_one_line(project, args):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system to fill the disk")
    with open("/dev/full", "wb") as full:
        code, err, _ = kg(*args, root=project, stdout=full)
    assert_one_line(code, err, 2, "No space left on device")


def test_a_terminal_that_cannot_show_a_name_gets_escapes(project):
    code, err, out = kg("search", "Қазақстан", root=project, env=_env(PYTHONIOENCODING="ascii", LANG="C", LC_ALL="C"))
    assert "Traceback" not in err
    assert code in (0, 1), err
    assert out.isascii()


def test_invalid_utf8_on_the_command_line(project):
    code, err, _ = kg("search", os.fsdecode(b"isil\xff\xfe"), root=project)
    assert "Traceback" not in err
    assert code in (0, 1), err


# -- the corpus ----------------------------------------------------------------------------------------

def test_passage_of_a_made_up_document(project, corpus):
    code, err, out = kg("passage", "ev:d003-18-27", "--corpus", str(corpus), root=project)
    assert code == 0, err
    assert out.decode("utf-8").splitlines()[1] == "Қазақстан"
    # the made-up 003 is not the registered one: the offsets may point at other words, and it says so
    assert "not the one registered" in err and "Traceback" not in err


@pytest.mark.parametrize("how", ["--corpus", "KG_CORPUS"])
@pytest.mark.parametrize("target", ["missing", "file"])
def test_corpus_that_is_not_a_folder(project, corpus, tmp_path, how, target):
    path = tmp_path / "nowhere" if target == "missing" else corpus / "003_test.txt"
    extra = ["--corpus", str(path)] if how == "--corpus" else []
    env = _env(KG_CORPUS=str(path)) if how == "KG_CORPUS" else None
    code, err, _ = kg("passage", "ev:d003-0-5", *extra, root=project, env=env)
    assert_one_line(code, err, 2, how, "not a folder")


def test_a_corpus_document_that_is_not_utf8(project, tmp_path):
    from kg.sources import registered_documents

    name = registered_documents(project)["003"].file_name  # kg locate finds a document by its registered name
    (tmp_path / name).write_bytes(b"Alpha \xff\xfe beta")
    for args in (["passage", "ev:d003-0-5"], ["locate", "003", "Alpha"]):
        code, err, _ = kg(*args, "--corpus", str(tmp_path), root=project)
        assert_one_line(code, err, 2, "document 003 is not UTF-8")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_corpus_folder(project, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "003_test.txt").write_text("Alpha beta", encoding="utf-8")
    folder.chmod(0)
    try:
        code, err, _ = kg("passage", "ev:d003-0-5", "--corpus", str(folder), root=project)
    finally:
        folder.chmod(0o700)
    assert_one_line(code, err, 2, "cannot read")


# -- kg add-source: refused values never reach graph/sources.ttl ----------------------------------------

@pytest.fixture
def registry(project, tmp_path):
    """A fresh project copy (ontology and graph only) with a corpus folder holding one new document."""
    root = tmp_path / "proj"
    root.mkdir()
    shutil.copytree(project / "ontology", root / "ontology")
    shutil.copytree(project / "graph", root / "graph")
    corpus = tmp_path / "my corpus"
    corpus.mkdir()
    (corpus / "new report.txt").write_text("A made-up report about Aktobe.\n", encoding="utf-8")
    return root, corpus


BAD_SOURCE_OPTIONS = [
    (["--date", "2024-13"], "--date"),
    (["--date", "2023-02-29"], "--date"),
    (["--date", "٢٠٢٤"], "--date"),
    (["--title", 'Line one\nline two """ .'], "--title"),
    (["--title", os.fsdecode(b"T\xff\xfeitle")], "--title"),
    (["--publisher", "A\rB"], "--publisher"),
    (["--url", "javascript:alert(1)"], "--url"),
]


@pytest.mark.parametrize("options,word", BAD_SOURCE_OPTIONS, ids=[o[0][0] + str(i) for i, o in enumerate(BAD_SOURCE_OPTIONS)])
def test_add_source_refuses_values_that_would_break_the_registry(registry, options, word):
    root, corpus = registry
    before = (root / "graph" / "sources.ttl").read_bytes()
    code, err, _ = kg("add-source", str(corpus / "new report.txt"), "--corpus", str(corpus), *options, root=root)
    assert_one_line(code, err, 2, word)
    assert (root / "graph" / "sources.ttl").read_bytes() == before


def test_add_source_quotes_and_unicode_in_a_title_stay_valid_turtle(registry):
    from rdflib import Graph, Literal
    from rdflib.namespace import SKOS

    root, corpus = registry
    title = 'He said "no" \\ <b> . ; @prefix x: <y> . """ Қазақстан ‮ 😀'
    code, err, out = kg("add-source", str(corpus / "new report.txt"), "--corpus", str(corpus), "--title", title,
                        "--date", "2024-02-29", root=root)
    assert code == 0, err
    graph = Graph().parse(root / "graph" / "sources.ttl", format="turtle")
    assert (None, SKOS.prefLabel, Literal(title, lang="en")) in graph
    assert out.decode().strip() == "005"


def test_add_source_same_file_twice_and_same_text_under_another_name(registry):
    root, corpus = registry
    file = corpus / "new report.txt"
    assert kg("add-source", str(file), "--corpus", str(corpus), root=root)[0] == 0
    after_first = (root / "graph" / "sources.ttl").read_bytes()
    shutil.copyfile(file, corpus / "renamed.txt")
    for path in (file, corpus / "renamed.txt"):
        code, err, _ = kg("add-source", str(path), "--corpus", str(corpus), root=root)
        assert_one_line(code, err, 2, "already registered as document 005")
    assert (root / "graph" / "sources.ttl").read_bytes() == after_first


def test_add_source_where_it_cannot_write(registry, tmp_path):
    root, corpus = registry
    sources = root / "graph" / "sources.ttl"
    kept = sources.read_bytes()
    sources.unlink()
    sources.mkdir()  # a folder where the file should be: no user can append to it
    code, err, _ = kg("add-source", str(corpus / "new report.txt"), "--corpus", str(corpus), root=root)
    assert_one_line(code, err, 2, "cannot", "nothing was registered")
    sources.rmdir()
    sources.write_bytes(kept)
    blocker = tmp_path / "not a folder"
    blocker.write_text("x")
    code, err, _ = kg("add-source", str(corpus / "new report.txt"), "--corpus", str(corpus), "--copy-to",
                      str(blocker), root=root)
    assert_one_line(code, err, 2, "--copy-to")
    assert sources.read_bytes() == kept


def test_add_source_twice_at_once_gives_two_ids(registry):
    from kg.sources import registered_documents

    root, corpus = registry
    files = []
    for i in range(4):
        path = corpus / f"doc {i}.txt"
        path.write_text(f"A made-up document number {i}.\n", encoding="utf-8")
        files.append(path)
    procs = [subprocess.Popen([*KG, "add-source", "--root", str(root), str(f), "--corpus", str(corpus)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), cwd=ROOT) for f in files]
    ids = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        ids.append(out.decode().strip())
    assert sorted(ids) == ["005", "006", "007", "008"]
    assert sorted(d.file_name for d in registered_documents(root).values() if d.id in ids) == [f.name for f in files]


# -- kg docs never writes over the user's files ---------------------------------------------------------

def test_docs_out_a_file_or_a_folder_of_the_users(project, tmp_path):
    mine = tmp_path / "notes.txt"
    mine.write_text("mine")
    code, err, _ = kg("docs", "--out", str(mine), root=project)
    assert_one_line(code, err, 2, "is a file")
    (tmp_path / "index.html").write_text("<p>my own page</p>")
    code, err, _ = kg("docs", "--out", str(tmp_path), root=project)
    assert_one_line(code, err, 2, "not written by kg docs")
    assert (tmp_path / "index.html").read_text() == "<p>my own page</p>"
    assert mine.read_text() == "mine"


# -- remote endpoints and push targets that misbehave ---------------------------------------------------

class _Fake(BaseHTTPRequestHandler):
    """Answers every request with ``server.answer`` = (status, body); PUT and update POSTs with 204."""

    def log_message(self, *args):
        pass

    def _any(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, body = self.server.answer
        if self.command == "PUT" or self.path.endswith("/update"):
            status, body = 204, b""
        self.send_response(status)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _any


@pytest.fixture
def fake():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Fake)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def _results(vars_, bindings) -> bytes:
    return json.dumps({"head": {"vars": vars_}, "results": {"bindings": bindings}}).encode()


REMOTE_ANSWERS = [
    ((200, b"[" * 200000), "did not answer with SPARQL JSON"),
    ((200, b'{"a":' * 100000), "did not answer with SPARQL JSON"),
    ((400, b"bad\r\nrequest\x1b[31m red\x85 next\x0b line"), "refused the query"),
    ((500, bytes(range(256))), "refused the query"),
    ((200, _results(["x\x00", ""], [])), "head.vars"),
]


@pytest.mark.parametrize("answer,word", REMOTE_ANSWERS, ids=["deep-array", "deep-object", "400-control", "500-binary",
                                                            "bad-vars"])
def test_remote_answers_are_one_printable_line(project, fake, answer, word):
    fake.answer = answer
    url = f"http://127.0.0.1:{fake.server_address[1]}/sparql"
    code, err, _ = kg("sparql", "SELECT ?x { ?x ?p ?o }", "--endpoint", url, "--timeout", "20", root=project)
    assert_one_line(code, err, 2, word)
    assert not any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in err.rstrip("\n")), repr(err)


def test_remote_control_characters_in_values_do_not_reach_the_terminal(project, fake):
    fake.answer = (200, _results(["x"], [{"x": {"type": "literal", "value": "a\x1b[2J\x07b"}}]))
    url = f"http://127.0.0.1:{fake.server_address[1]}/sparql"
    code, err, out = kg("sparql", "SELECT ?x { ?x ?p ?o }", "--endpoint", url, root=project)
    assert code == 0, err
    assert b"\x1b" not in out and b"\x07" not in out
    assert "a\\x1b[2J\\x07b" in out.decode("utf-8")  # shown escaped (kg.output.escaped)


PUSH_CASES = [
    (["--endpoint", "http://a b/store"], None, None, "not a URL"),
    (["--endpoint", "http://127.0.0.1:1/store\r\nX-Injected: 1"], None, None, "not a URL"),
    (["--endpoint", "{url}", "--user", "a:b"], {"KG_PUSH_PASSWORD": "p"}, None, "--user"),
    (["--endpoint", "{url}", "--user", os.fsdecode(b"u\xff")], {"KG_PUSH_PASSWORD": "p"}, None, "not valid text"),
    (["--endpoint", "{url}", "--user", "u"], {"KG_PUSH_PASSWORD": "p\nq"}, None, "control character"),
    (["--endpoint", "{url}"], None, (200, _results(["n"], [{"n": {"type": "literal", "value": "abc"}}])), "number"),
    (["--endpoint", "{url}"], None, (200, _results(["x"], [{"x": {"type": "literal", "value": "1"}}])), "number"),
    (["--endpoint", "{url}"], None, (200, _results(["n"], [{"n": {"type": "literal", "value": "9" * 5000}}])),
     "number"),
]


@pytest.mark.parametrize("args,env,answer,word", PUSH_CASES, ids=[f"push-{i}" for i in range(len(PUSH_CASES))])
def test_push_refusals_are_one_line(project, fake, args, env, answer, word):
    fake.answer = answer or (200, _results(["n"], []))
    url = f"http://127.0.0.1:{fake.server_address[1]}/store"
    args = [a.replace("{url}", url) for a in args]
    code, err, _ = kg("push", *args, "--timeout", "20", root=project, env=_env(**(env or {})))
    assert_one_line(code, err, 2, word)
    assert "p\nq" not in err


def test_push_error_bodies_are_one_printable_line(project, fake):
    class Failing(_Fake):
        def do_PUT(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = bytes(range(256))
            self.send_response(500)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    fake.RequestHandlerClass = Failing
    fake.answer = (200, _results(["n"], []))
    code, err, _ = kg("push", "--endpoint", f"http://127.0.0.1:{fake.server_address[1]}/store", "--timeout", "20",
                      root=project)
    assert_one_line(code, err, 2, "HTTP 500")
    assert not any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in err.rstrip("\n")), repr(err)


# -- the served endpoint ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(project):
    """``kg serve --port 0`` on the project copy; yields its base URL; at the end, its standard error
    must hold no traceback."""
    proc = subprocess.Popen([*KG, "serve", "--root", str(project), "--port", "0", "--timeout", "10"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), cwd=ROOT, text=True)
    line = proc.stdout.readline()
    assert "SPARQL endpoint: " in line, proc.stderr.read() if proc.poll() is not None else line
    base = line.split("SPARQL endpoint: ")[1].split()[0].rsplit("/query", 1)[0]
    yield base
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err, err
    assert proc.returncode == 0, err


def _raw(base: str, request: bytes, timeout: float = 30) -> tuple[int, bytes]:
    """Send raw bytes; return the status and the body."""
    host, port = base.split("//")[1].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


H = b"Host: localhost\r\nConnection: close\r\n"
SERVER_CASES = [
    (b"GET /static/a%00b HTTP/1.1\r\n" + H + b"\r\n", 404),
    (b"GET /static/" + b"a" * 5000 + b" HTTP/1.1\r\n" + H + b"\r\n", 404),
    (b"GET /static/" + b"/".join([b"b" * 250] * 20) + b" HTTP/1.1\r\n" + H + b"\r\n", 404),
    (b"GET /static/%2e%2e/%2e%2e/pyproject.toml HTTP/1.1\r\n" + H + b"\r\n", 404),
    (b"GET /site/..%2f..%2fpyproject.toml HTTP/1.1\r\n" + H + b"\r\n", 404),
    (b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nConnection: close\r\n\r\n", 403),
    (b"GET http://evil.example/query?query=ASK%7B%7D HTTP/1.1\r\n" + H + b"\r\n", 403),
    (b"GET /query?query=ASK%7B%7D%ff%fe HTTP/1.1\r\n" + H + b"\r\n", 400),
    (b"GET /query?query=ASK" + b"%7B" * 3000 + b"%7D" * 3000 + b" HTTP/1.1\r\n" + H + b"\r\n", 400),
    (b"POST /query HTTP/1.1\r\n" + H + b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 18\r\n\r\n"
     b"query=ASK%7B%7D%ff", 400),
    (b"POST /query HTTP/1.1\r\n" + H + b"Content-Type: application/sparql-query\r\nContent-Length: 8\r\n\r\nDROP ALL", 403),
    (b"POST /query HTTP/1.1\r\n" + H + b"Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nASK{}", 415),
    (b"POST /query HTTP/1.1\r\n" + H + b"Content-Type: application/sparql-query\r\nContent-Length: 99999999999\r\n\r\n", 413),
]


@pytest.mark.parametrize("request_bytes,status", SERVER_CASES, ids=[f"http-{i}" for i in range(len(SERVER_CASES))])
def test_served_endpoint_answers_hostile_requests_with_a_status(served, request_bytes, status):
    code, body = _raw(served, request_bytes)
    assert code == status, body
    assert b"Traceback" not in body


def test_served_endpoint_still_answers_after_them(served):
    code, body = _raw(served, b"GET /query?query=ASK%7B%7D HTTP/1.1\r\n" + H + b"Accept: application/json\r\n\r\n")
    assert (code, json.loads(body)["boolean"]) == (200, True)


def test_a_stalled_request_body_frees_its_thread():
    import pyoxigraph as ox

    from kg.front import FrontServer

    server = FrontServer(("127.0.0.1", 0), ox.Store(), client_timeout=1.0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        start = time.monotonic()
        code, body = _raw(f"http://127.0.0.1:{server.server_address[1]}",
                          b"POST /query HTTP/1.1\r\n" + H + b"Content-Type: application/sparql-query\r\n"
                          b"Content-Length: 100\r\n\r\nASK", timeout=30)
        assert (code, time.monotonic() - start < 10) == (408, True), body
    finally:
        server.shutdown()
        server.server_close()


# -- the search: a pasted page of text is answered at once, with the same ranking ------------------------

@pytest.mark.parametrize("text", ["a" * 100_000, "a b " * 25_000], ids=["one-long-word", "many-words"])
def test_search_for_a_pasted_page(project, text):
    code, err, _ = kg("search", text, root=project, timeout=600)
    assert "Traceback" not in err
    assert code in (0, 1), err


def test_fuzzy_bound_never_skips_a_key_that_could_match():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kg.search import FUZZY_MIN, _may_reach, _ratio

    @settings(max_examples=400, deadline=None)
    @given(st.text(alphabet="ab ", min_size=1, max_size=40), st.text(alphabet="ab ", min_size=1, max_size=40))
    def check(needle, key):
        if not _may_reach(len(needle), len(key)):
            assert _ratio(needle, key) < FUZZY_MIN

    check()
    assert not _may_reach(1000, 20) and _may_reach(20, 1000) and _may_reach(12, 10)


@pytest.mark.parametrize("origin", ["http://x\r\nSet-Cookie: a=b", "http://localhost:3000/page", "localhost", ""])
def test_serve_cors_takes_only_an_origin(project, origin):
    code, err, _ = kg("serve", "--port", "0", "--cors", origin, root=project, timeout=120)
    assert "Traceback" not in err
    assert code == 2, err
    assert "is not an origin" in err.splitlines()[-1]
