"""More kinds of hostile and careless input, through the real command line (see test_hostile_inputs.py,
whose project copy, runner and checks are reused).

Each case stands for a kind found by trying every command as a new and as a hostile user would:

* usage errors of any command (a missing, unknown or mistyped argument): one line, exit 2, not
  argparse's usage block;
* an option given an empty value (it meant "not given", and the default ran silently), or given
  twice (the last one won silently), and a named question's parameter given twice;
* numbers out of range or of the wrong kind for every numeric option (widths, years, steps, limits);
* ``kg network`` outputs: a file the user wrote is never replaced, a folder or a missing folder is
  refused before the graph is opened, kzkg's own earlier outputs are replaced;
* ``kg add-source`` copying a document into the project (the corpus stays outside the repository);
* the served endpoint: methods that would change something, an update beside a query, a chunked body,
  a method or request line the server does not know (plain text, never an HTML page);
* Ctrl-C while a query runs: one line, exit 130, no traceback.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_hostile_inputs import KG, ROOT, _env, _raw, assert_one_line, kg, project, served  # noqa: F401 - fixtures


# -- usage errors: one line, exit 2 --------------------------------------------------------------

USAGE = [
    (["query"], "name"),
    (["query", "attacks", "--limit", "abc"], "--limit"),
    (["query", "attacks", "-f", "xml"], "--format"),
    (["query", "attacks", "unexpected"], "unexpected"),
    (["sparql", "ASK {}", "--engine", "nosuch"], "--engine"),
    (["network", "nosuch"], "nosuch"),
    (["network", "actor", "--layout", "nope"], "--layout"),
    (["serve", "--port", "-1"], "--port"),
    (["push"], "--endpoint"),
    (["search"], "text"),
    (["locate", "003"], "words"),
    (["show"], "name"),
    (["passage", "ev:d003-1-5", "ev:d003-1-5"], "ev:d003-1-5"),
    (["build", "--no-such-option"], "--no-such-option"),
    (["nosuchcommand"], "nosuchcommand"),
]


@pytest.mark.parametrize("args,word", USAGE, ids=["-".join(a)[:40] for a, _ in USAGE])
def test_usage_errors_are_one_line(project, args, word):
    code, err, _ = kg(*args, root=project if args[0] != "nosuchcommand" else None)
    assert_one_line(code, err, 2, word, "--help")


# -- empty values and options given twice ------------------------------------------------------------

EMPTY = [
    ["query", "attacks", "--endpoint", ""],
    ["sparql", "ASK {}", "--endpoint", " "],
    ["network", "actor", "-o", ""],
    ["network", "actor", "--around", ""],
    ["network", "legal", "--document", ""],
    ["site", "--out", ""],
    ["build", "--out", ""],
    ["build", "--only", ""],
    ["ingest", "003", "--out", ""],
    ["push", "--endpoint", ""],
    ["docs", "--out", ""],
]


@pytest.mark.parametrize("args", EMPTY, ids=["-".join(a[:3]).strip("-") for a in EMPTY])
def test_an_empty_option_value_is_refused_not_taken_for_the_default(project, args):
    drafts = project / "graph" / "drafts"
    before = sorted(p.name for p in drafts.iterdir()) if drafts.is_dir() else []
    code, err, out = kg(*args, root=project)
    option = next(a for a in args if a.startswith("-"))
    assert_one_line(code, err, 2, option, "is empty")
    assert out == b""
    assert (sorted(p.name for p in drafts.iterdir()) if drafts.is_dir() else []) == before  # no draft written


TWICE = [
    (["query", "attacks", "--limit", "1", "--limit", "2"], "--limit is given twice"),
    (["query", "attacks", "-p", "place=Aktobe", "-p", "place=Almaty"], "--param place is given twice"),
    (["query", "attacks", "-p", "from=2011", "-p", " from=2012"], "--param from is given twice"),
    (["network", "actor", "-o", "a.html", "--output", "b.html"], "is given twice"),
    (["show", "Aktobe", "--width", "80", "--width", "90"], "--width is given twice"),
]


@pytest.mark.parametrize("args,words", TWICE, ids=[f"twice-{i}" for i in range(len(TWICE))])
def test_an_option_given_twice_is_refused(project, args, words):
    code, err, out = kg(*args, root=project)
    assert_one_line(code, err, 2, words)
    assert out == b""


def test_sparql_text_and_file_together_are_refused(project, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("ASK { }", encoding="utf-8")
    code, err, out = kg("sparql", "SELECT * { ?s ?p ?o } LIMIT 1", "--file", str(path), root=project)
    assert_one_line(code, err, 2, "not both")
    assert out == b""


# -- numbers: range and kind, for every numeric option ----------------------------------------------

NUMBERS = [
    (["query", "attacks", "--width", "0"], "--width"),
    (["query", "attacks", "--width", "-5"], "--width"),
    (["sparql", "ASK {}", "--width", "1e3"], "--width"),
    (["show", "Aktobe", "--width", "abc"], "--width"),
    (["show", "Aktobe", "--width", "9" * 400], "--width"),
    (["network", "actor", "--steps", "-1"], "--steps"),
    (["network", "actor", "--steps", "99999999"], "--steps"),
    (["network", "actor", "--physics-limit", "-1"], "--physics-limit"),
    (["network", "actor", "--top", "0"], "--top"),
    (["network", "attack", "--from", "-5"], "--from"),
    (["network", "attack", "--to", "twenty"], "--to"),
    (["network", "attack", "--from", "2016", "--to", "2011"], "comes after"),
    (["network", "actor", "--timeout", "nan"], "--timeout"),
]


@pytest.mark.parametrize("args,word", NUMBERS, ids=[f"number-{i}" for i in range(len(NUMBERS))])
def test_numbers_out_of_range_are_one_line(project, args, word):
    code, err, out = kg(*args, root=project)
    assert_one_line(code, err, 2, word)
    assert out == b""


def test_a_width_in_range_still_fits_the_table(project):
    code, err, out = kg("query", "attacks", "-p", "place=Aktobe", "--columns", "name,date", "--width", "20", root=project)
    assert code == 0, err
    assert max(len(line) for line in out.decode().splitlines()) <= 20


# -- kg network: nobody's file is written over ------------------------------------------------------

@pytest.mark.parametrize("name", ["mine.html", "mine.gexf", "mine.graphml", "mine.json"])
def test_network_never_replaces_a_file_the_user_wrote(project, tmp_path, name):
    path = tmp_path / name
    path.write_text("my own notes\n", encoding="utf-8")
    option = "-o" if name.endswith(".html") else "--export"
    code, err, out = kg("network", "actor", option, str(path), root=project)
    assert_one_line(code, err, 2, str(path), "not written by kg")
    assert path.read_text(encoding="utf-8") == "my own notes\n"


@pytest.mark.parametrize("target,word", [("folder.html", "is a folder"), ("missing/page.html", "does not exist")])
def test_network_output_that_cannot_be_a_file_is_refused_before_the_graph_opens(project, tmp_path, target, word):
    (tmp_path / "folder.html").mkdir()
    code, err, _ = kg("network", "actor", "-o", str(tmp_path / target), root=project)
    assert_one_line(code, err, 2, word)
    assert "network:" not in err  # refused before the projection was computed


def test_network_one_file_named_twice_is_refused(project, tmp_path):
    code, err, _ = kg("network", "actor", "--export", str(tmp_path / "x.json"), "--export", str(tmp_path / "." / "x.json"),
                      root=project)
    assert_one_line(code, err, 2, "named twice")
    assert not (tmp_path / "x.json").exists()


def test_network_replaces_its_own_outputs(project, tmp_path):
    files = [tmp_path / f"actor.{ext}" for ext in ("html", "gexf", "graphml", "json")]
    args = ["network", "actor", "--around", "Islamic State", "-o", str(files[0])]
    args += [a for f in files[1:] for a in ("--export", str(f))]
    code, err, _ = kg(*args, root=project)
    assert code == 0, err
    first = [f.stat().st_mtime_ns for f in files]
    time.sleep(0.01)
    code, err, out = kg(*args, root=project)
    assert code == 0, err
    assert all(f.stat().st_mtime_ns > t for f, t in zip(files, first))
    assert out.decode().count("wrote ") == 4


# -- kg add-source: the corpus stays outside the project -------------------------------------------

@pytest.fixture
def fresh(project, tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    for name in ("ontology", "graph"):
        shutil.copytree(project / name, root / name)
    document = tmp_path / "report.txt"
    document.write_text("A made-up report about Aktobe.\n", encoding="utf-8")
    return root, document


@pytest.mark.parametrize("inside", ["graph", "."])
def test_add_source_never_copies_a_document_into_the_project(fresh, inside):
    root, document = fresh
    before = (root / "graph" / "sources.ttl").read_bytes()
    code, err, _ = kg("add-source", str(document), "--copy-to", str(root / inside), root=root)
    assert_one_line(code, err, 2, "inside the project")
    assert not (root / inside / document.name).exists()
    assert (root / "graph" / "sources.ttl").read_bytes() == before


def test_add_source_refuses_a_corpus_folder_inside_the_project(fresh):
    root, document = fresh
    folder = root / "corpus"
    folder.mkdir()
    shutil.copy(document, folder / document.name)
    before = (root / "graph" / "sources.ttl").read_bytes()
    code, err, _ = kg("add-source", str(folder / document.name), "--corpus", str(folder), root=root)
    assert_one_line(code, err, 2, "inside the project")
    assert (root / "graph" / "sources.ttl").read_bytes() == before


def test_add_source_a_registered_text_is_not_copied(fresh, tmp_path):
    root, document = fresh
    first, second = tmp_path / "corpus-a", tmp_path / "corpus-b"
    first.mkdir(), second.mkdir()
    code, err, _ = kg("add-source", str(document), "--copy-to", str(first), root=root)
    assert code == 0, err
    code, err, _ = kg("add-source", str(document), "--copy-to", str(second), root=root)
    assert_one_line(code, err, 2, "already registered")
    assert list(second.iterdir()) == []


# -- the served endpoint -------------------------------------------------------------------------------

H = b"Host: localhost\r\nConnection: close\r\n"
MORE_SERVER_CASES = [
    (b"PUT /query HTTP/1.1\r\n" + H + b"Content-Length: 1\r\n\r\nx", 405),
    (b"DELETE /store?default HTTP/1.1\r\n" + H + b"\r\n", 405),
    (b"PATCH / HTTP/1.1\r\n" + H + b"\r\n", 405),
    (b"BREW /query HTTP/1.1\r\n" + H + b"\r\n", 501),
    (b"GET / HTTP/1.1\r\n" + H + b"X-Long: " + b"a" * 70_000 + b"\r\n\r\n", 431),
    (b"GET /sparql?update=DROP%20ALL HTTP/1.1\r\n" + H + b"\r\n", 403),
    (b"GET /query?query=ASK%7B%7D&update=DROP%20ALL HTTP/1.1\r\n" + H + b"\r\n", 403),
    (b"POST /query HTTP/1.1\r\n" + H + b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 29\r\n\r\n"
     b"query=ASK%7B%7D&update=DROP+X", 403),
    (b"POST /query HTTP/1.1\r\n" + H + b"Content-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n"
     b"5\r\nASK{}\r\n0\r\n\r\n", 411),
    (b"POST /query HTTP/1.1\r\n" + H + b"Content-Type: application/sparql-query\r\nContent-Length: 5\r\n"
     b"Content-Length: 50\r\n\r\nASK{}", 400),
]


@pytest.mark.parametrize("request_bytes,status", MORE_SERVER_CASES, ids=[f"http-{i}" for i in range(len(MORE_SERVER_CASES))])
def test_served_endpoint_refuses_with_a_status_and_plain_text(served, request_bytes, status):
    code, body = _raw(served, request_bytes)
    assert code == status, body
    assert b"<html" not in body.lower() and b"Traceback" not in body
    if status >= 400:
        assert body.strip() and b"\n" not in body.strip(), body  # one line saying what is wrong


# -- Ctrl-C ----------------------------------------------------------------------------------------------

def test_ctrl_c_during_a_query_is_one_line(project):
    slow = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    proc = subprocess.Popen([*KG, "sparql", "--root", str(project), slow, "--timeout", "60"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=_env(), cwd=ROOT)
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert_one_line(proc.returncode, err.decode(), 130, "interrupted")
    assert out == b""


def test_the_parser_class_is_used_by_every_subcommand():
    """Extension modules add their subcommands through ``sub.add_parser``: each must be a kg Parser."""
    from kg.cli import Parser, parser

    ap = parser()
    subs = next(a for a in ap._actions if a.dest == "command").choices
    assert len(subs) >= 16
    assert all(isinstance(p, Parser) for p in subs.values()), [n for n, p in subs.items() if not isinstance(p, Parser)]
    assert sys.modules["kg.cli"].USAGE_ERROR == 2


# -- values echoed back, damaged files --------------------------------------------------------------

ECHOED = [
    ["query", "a\nb\x1b[31m"],
    ["query", "attacks", "-p", "pl\nace=x"],
    ["sparql", "SELECT * { ?s ?p ?o } LIMIT 1", "--columns", "s\np"],
    ["query", "attacks", "-f", "x\ny"],
]


@pytest.mark.parametrize("args", ECHOED, ids=[f"echo-{i}" for i in range(len(ECHOED))])
def test_a_value_echoed_in_an_error_stays_one_printable_line(project, args):
    code, err, _ = kg(*args, root=project)
    assert_one_line(code, err, 2, "\\n")
    assert not any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in err.rstrip("\n")), repr(err)


def test_a_parser_message_quoting_several_lines_is_one_line(project, tmp_path):
    root = tmp_path / "proj"
    for name in ("ontology", "graph"):
        shutil.copytree(project / name, root / name)
    ontology = root / "ontology" / "kg.ttl"
    text = ontology.read_text(encoding="utf-8")
    cut = text.index('skos:example "') + len('skos:example "') + 5  # inside a string, before the lines after it
    ontology.write_text(text[:cut], encoding="utf-8")
    code, err, _ = kg("build", "--check", root=root)
    assert_one_line(code, err, 2, "kg.ttl", "syntax error")


def test_a_damaged_store_is_answered_from_the_nquads(project, tmp_path):
    root = tmp_path / "proj"
    for name in ("ontology", "graph", "build"):
        shutil.copytree(project / name, root / name)
    code, err, expected = kg("query", "groups", "-f", "csv", "--limit", "0", root=root)
    assert code == 0, err
    table = next(iter(sorted((root / "build" / "store").glob("*.sst"))))
    table.write_bytes(b"garbage")
    code, err, out = kg("query", "groups", "-f", "csv", "--limit", "0", root=root)
    assert "Traceback" not in err
    assert code == 0, err
    # the same rows (the order inside GROUP_CONCAT cells is the engine's: an on-disk and an in-memory
    # store may list a group's aliases in another order, so the cells are compared as sets)
    assert _cells(out) == _cells(expected)
    warnings = [line for line in err.splitlines() if line.startswith("kg: warning:")]
    assert len(warnings) == 1 and "run kg build" in warnings[0], err


def test_rdflib_engine_failure_says_what_to_do(project):
    code, err, _ = kg("query", "groups", "-p", "group=isil", "--engine", "rdflib", root=project)
    assert_one_line(code, err, 2, "rdflib's engine", "leave out --engine rdflib")


def _cells(csv_bytes: bytes) -> list[tuple]:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8"))))
    return [tuple(frozenset(cell.split(" | ")) for cell in row) for row in rows]


# -- query workers never outlive what started them --------------------------------------------------

SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(x) for x in task.read_text().split()]
    return found


def _gone(pids: list[int], within: float = 10) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        if not any(Path(f"/proc/{p}").exists() and "Z" not in _state(p) for p in pids):
            return True
        time.sleep(0.2)
    return False


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def _workers_of(proc, within: float = 20) -> list[int]:
    end = time.monotonic() + within
    while time.monotonic() < end:
        if workers := _children(proc.pid):
            return workers
        time.sleep(0.2)
    return []


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
def test_a_killed_kg_sparql_leaves_no_worker_running(project):
    proc = subprocess.Popen([*KG, "sparql", "--root", str(project), SLOW, "--timeout", "120"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(), cwd=ROOT)
    workers = _workers_of(proc)
    assert workers, "no worker was forked"
    proc.terminate()  # SIGTERM: Python exits at once, without killing its worker itself
    proc.wait(timeout=30)
    assert _gone(workers), f"worker(s) {workers} still running after their kg sparql was killed"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
def test_ctrl_c_on_kg_serve_during_a_query_stops_its_worker(project):
    import threading
    import urllib.parse
    import urllib.request

    proc = subprocess.Popen([*KG, "serve", "--root", str(project), "--port", "0", "--timeout", "120"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), cwd=ROOT, text=True)
    line = proc.stdout.readline()
    url = line.split("SPARQL endpoint: ")[1].split()[0]

    def ask():
        try:
            urllib.request.urlopen(url + "?" + urllib.parse.urlencode({"query": SLOW}), timeout=60).read()
        except OSError:
            pass

    threading.Thread(target=ask, daemon=True).start()
    workers = _workers_of(proc)
    assert workers, "no worker was forked"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "Traceback" not in err, err
    assert _gone(workers), f"worker(s) {workers} still running after kg serve stopped"


# -- killed builds leave nothing behind ---------------------------------------------------------------

@pytest.fixture
def built_copy(project, tmp_path):
    root = tmp_path / "proj"
    for name in ("ontology", "graph", "build"):
        shutil.copytree(project / name, root / name)
    return root


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in [*folder.iterdir(), *(folder / ".cache").iterdir()]
                  if ".part-" in p.name or ".tmp-" in p.name)


def test_the_next_build_sweeps_what_a_killed_build_left(built_copy):
    import os

    out = built_copy / "build"
    dead = 4_194_304 + 4321  # above Linux's largest pid: no process has it
    (out / f".kg.trig.part-{dead}").write_text("half a file", encoding="utf-8")
    (out / f"store.tmp-{dead}").mkdir()
    (out / f"store.tmp-{dead}" / "000001.sst").write_bytes(b"x")
    (out / ".cache" / f".parse.tmp-{dead}").write_bytes(b"x")
    mine = out / f".kg.nq.tmp-{os.getpid()}"  # a running process's file is kept
    mine.write_text("in use", encoding="utf-8")
    code, err, _ = kg("build", root=built_copy)
    assert code == 0, err
    assert _leftovers(out) == [mine.name]


def test_sigterm_stops_a_build_like_ctrl_c(built_copy):
    proc = subprocess.Popen([*KG, "build", "--full", "--root", str(built_copy)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=_env(), cwd=ROOT)
    time.sleep(3)
    proc.terminate()
    _, err = proc.communicate(timeout=120)
    err = err.decode()
    if proc.returncode == 130:  # stopped (on a fast machine the build may have finished first)
        assert_one_line(proc.returncode, err, 130, "interrupted")
    else:
        assert proc.returncode == 0 and "Traceback" not in err, err
    time.sleep(1)  # a forked child dies with its parent
    assert _leftovers(built_copy / "build") == []


@pytest.mark.parametrize("args,word", [
    (["sparql", "   "], "is empty"),
    (["sparql", "# only a comment\n  # and another"], "is empty"),
    (["search", "   "], "give a name"),
], ids=["blank-query", "comments-only", "blank-search"])
def test_nothing_to_run_is_an_input_error(project, args, word):
    code, err, out = kg(*args, root=project)
    assert_one_line(code, err, 2, word)
    assert out == b""


def test_an_empty_query_file_is_named(project, tmp_path):
    path = tmp_path / "empty.rq"
    path.write_bytes(b"")
    code, err, _ = kg("sparql", "--file", str(path), root=project)
    assert_one_line(code, err, 2, "is empty", str(path))


def test_two_bad_files_are_one_line_each_and_deep_nesting_says_so(project, tmp_path):
    root = tmp_path / "proj"
    for name in ("ontology", "graph"):
        shutil.copytree(project / name, root / name)
    head = "@prefix kg: <https://w3id.org/kzkg/ontology#> .\n<https://w3id.org/kzkg/id/place/x> kg:p "
    (root / "graph" / "entities" / "deep.ttl").write_text(head + "[ kg:p " * 5000 + "1" + " ]" * 5000 + " .\n",
                                                          encoding="utf-8")
    (root / "graph" / "entities" / "list.ttl").write_text(head + "( " * 5000 + "1" + " )" * 5000 + " .\n",
                                                          encoding="utf-8")
    code, err, _ = kg("build", "--check", root=root)
    assert code == 2 and "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.startswith("kg: error: ")]
    assert len(lines) == 2, err
    assert all("nested more deeply" in line for line in lines), err
    assert {line.split(": ")[2].rsplit("/", 1)[1] for line in lines} == {"deep.ttl", "list.ttl"}, err


@pytest.mark.parametrize("method,path", [("gsp", "/store"), ("update", "/update")])
def test_push_to_a_read_only_endpoint_says_so(project, served, method, path):
    code, err, _ = kg("push", "--method", method, "--endpoint", served + path, "--timeout", "20", root=project)
    assert_one_line(code, err, 2, "read-only")
    assert "check --user" not in err  # no --user was given: the hint is not about a password
    # the refusal is the whole message: no count of the (served) graph saying all landed, no call to push again
    assert "nothing was written" in err and "holds" not in err and "again" not in err
