"""Bounded queries (kg.bounded, kg.output): deadlines that stop the work, Ctrl-C, streaming, caps."""

import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from kg.bounded import BoundedEngine, QueryTimeout, collect
from kg.guard import RemoteAccessError
from kg.output import write_events
from kg.store import QueryError, open_engine

N = 3000
NQ = "".join(f"<http://e/s{i}> <http://e/p> \"{i}\" <http://e/g{i % 3}> .\n<http://e/s{i}> <http://e/p> \"{i}\" .\n"
             for i in range(N))
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def engine(request):
    return open_engine(NQ.encode(), request.param)


def _children() -> set[int]:
    with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children") as fh:
        return {int(x) for x in fh.read().split()}


def test_answers_like_the_engine(engine):
    bounded = BoundedEngine(engine, 20)
    text = "SELECT ?s ?o WHERE { ?s <http://e/p> ?o } ORDER BY ?o LIMIT 3"
    assert collect(bounded.stream(text)).rows == engine.query(text).rows
    assert bounded.query("ASK { <http://e/s1> ?p ?o }").boolean is True
    assert bounded.name == engine.name


def test_timeout_stops_the_work_and_the_worker(engine):
    bounded = BoundedEngine(engine, 0.5)
    before = _children()
    t0 = time.monotonic()
    with pytest.raises(QueryTimeout, match="longer than 0.5 s"):
        bounded.query(CROSS)
    assert time.monotonic() - t0 < 3
    assert _children() == before  # the worker was killed and reaped


def test_first_rows_stream_before_the_query_ends(engine):
    bounded = BoundedEngine(engine, 30)
    stream = bounded.stream("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")  # 36 million rows
    t0 = time.monotonic()
    assert next(stream)[0] == "vars"
    assert next(stream)[0] == "row"
    assert time.monotonic() - t0 < 5
    stream.close()  # the reader stops: the worker is killed
    assert _children() == set()


def test_table_is_capped_with_a_note_and_csv_streams_every_row(engine):
    bounded = BoundedEngine(engine, 30)
    out = io.StringIO()
    assert write_events(bounded.stream("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"), "table", out, 10) == 10
    lines = out.getvalue().splitlines()
    assert lines[-2] == "(10 rows)" and lines[-1].startswith("(only the first 10 rows are shown")
    out = io.StringIO()
    assert write_events(bounded.stream("SELECT ?s WHERE { ?s <http://e/p> ?o }"), "csv", out) == N
    assert len(out.getvalue().splitlines()) == N + 1
    out = io.StringIO()
    write_events(bounded.stream("SELECT ?s ?o WHERE { ?s <http://e/p> ?o } ORDER BY ?s LIMIT 2"), "json", out)
    assert json.loads(out.getvalue())["results"]["bindings"][0]["s"] == {"type": "uri", "value": "http://e/s0"}


def test_memory_cap_ends_the_query_with_a_message():
    engine = open_engine(NQ.encode(), "oxigraph")
    bounded = BoundedEngine(engine, 60, memory_mb=200)
    with pytest.raises(QueryError, match="MB"):
        bounded.query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f")


def test_errors_and_refusals_come_through(engine):
    bounded = BoundedEngine(engine, 10)
    with pytest.raises(QueryError, match="syntax error"):
        bounded.query("SELECT ?x WHERE { ?x ?p }")
    with pytest.raises(RemoteAccessError):
        bounded.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(RemoteAccessError):
        bounded.query("SELECT * FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }")
    # a graph of the local dataset may be named, and no engine fetches it
    result = bounded.query("SELECT (COUNT(*) AS ?n) FROM <http://e/g1> WHERE { ?s ?p ?o }")
    assert result.rows[0]["n"]["value"] == str(N // 3)


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "soon"])
def test_timeout_must_be_positive(value, capsys):
    from kg.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["sparql", "ASK {}", "--timeout", value])
    assert exc.value.code == 2
    assert "positive number of seconds" in capsys.readouterr().err


def test_ctrl_c_stops_a_query_at_once(tmp_path, root):
    nq = tmp_path / "build" / "kg.nq"
    nq.parent.mkdir()
    nq.write_text(NQ)
    script = ("import sys; from kg.bounded import BoundedEngine; from kg.output import write_events; "
              "from kg.store import open_engine; "
              f"e = BoundedEngine(open_engine(__import__('pathlib').Path({str(nq)!r})), 600); "
              "print('started', flush=True); "
              f"write_events(e.stream({CROSS!r}), 'table', sys.stdout)")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "started"
    time.sleep(1.0)
    t0 = time.monotonic()
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=10)
    assert time.monotonic() - t0 < 2
    assert proc.returncode != 0


_ORPHAN = """
import os, sys, time
from kg.bounded import die_with_parent
parent = os.getpid()
pid = os.fork()
if pid == 0:
    die_with_parent(parent)
    time.sleep(60)
    os._exit(0)
print(pid, flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead and not yet reaped, does not)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            return not any(line.startswith("State:") and "Z" in line.split()[1] for line in fh)
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_worker_dies_with_its_parent_killed_outright():
    """A forked worker that asked to die with its parent is gone soon after the parent gets SIGKILL
    (which no handler of the parent sees), instead of running on orphaned until its alarm."""
    proc = subprocess.Popen([sys.executable, "-c", _ORPHAN], stdout=subprocess.PIPE, text=True)
    try:
        worker = int(proc.stdout.readline())
        assert _alive(worker)
        proc.kill()
        proc.wait(10)
        deadline = time.monotonic() + 10
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(worker), "the worker outlived its killed parent"
    finally:
        proc.kill()
        try:
            os.kill(worker, signal.SIGKILL)
        except (OSError, UnboundLocalError):
            pass


def test_prctl_needs_no_ctypes_import():
    """The request costs the worker no import of ctypes (3 to 5 ms of a cold kg query) where
    ``_ctypes`` can make the call itself."""
    code = ("import sys; from kg.bounded import _prctl; ok = _prctl(2 + 10**6, 0); "
            "print(int(ok), int('ctypes' in sys.modules))")  # an unknown option: EINVAL, no effect
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "0"]
