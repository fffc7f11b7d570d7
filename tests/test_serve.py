"""The real Oxigraph server on loopback: same answers as the embedded engine, push, errors."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from kg.query import load_queries, run_named
from kg.remote import RemoteEngine
from kg.serve import ServeError, oxigraph_binary, port_free, push, start_server
from kg.store import QueryError

from test_query import required_params


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nquads(built, tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "kg.nq"
    built.dataset.serialize(destination=str(path), format="nquads")
    return path


@pytest.fixture(scope="module")
def server(nquads):
    """The endpoint kg serve runs (kg.front), on a free loopback port."""
    import threading

    from kg.front import make_server

    front = make_server(nquads, "127.0.0.1", free_port(), timeout=60)
    thread = threading.Thread(target=front.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{front.server_address[1]}"
    front.shutdown()
    front.server_close()


def _unordered(value: str) -> str:
    """GROUP_CONCAT gives its parts in no set order: compare them as a sorted list."""
    return " | ".join(sorted(part for chunk in value.split(" | ") for part in chunk.split(", ")))


def canonical(result):
    """Rows as a sorted list; blank nodes anonymous (labels differ between stores); concatenations unordered."""
    out = []
    for row in result.rows:
        items = []
        for k, v in sorted(row.items()):
            value = "_:b" if v["type"] == "bnode" else _unordered(v["value"])
            items.append((k, v["type"], value, v.get("datatype", ""), v.get("xml:lang", "")))
        out.append(tuple(items))
    return sorted(out)


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_every_named_query_gives_the_same_rows_through_the_server(server, engine, name):
    q = load_queries()[name]
    params = required_params(q)
    local = run_named(engine, q, params)
    remote = run_named(RemoteEngine(server + "/query"), q, params)
    assert remote.variables == local.variables
    assert canonical(remote) == canonical(local)


def test_parameters_bind_the_same_way_remotely(server, engine):
    q = load_queries()["timeline"]
    params = {"from": "2011", "to": "2016", "kind": "kg:Attack"}
    assert canonical(run_named(RemoteEngine(server + "/query"), q, params)) == canonical(run_named(engine, q, params))


def test_query_page_is_served(server):
    import urllib.request

    with urllib.request.urlopen(server + "/", timeout=10) as resp:
        page = resp.read().decode("utf-8")
    assert "<form" in page or "query" in page.lower()
    assert "https://" not in page.split("<body", 1)[0] or "cdn" not in page.lower()


def test_port_in_use_is_refused(server):
    port = int(server.rsplit(":", 1)[1])
    assert not port_free("127.0.0.1", port)
    with pytest.raises(ServeError, match="already in use"):
        start_server(server, "127.0.0.1", port)


def test_server_error_and_unreachable_endpoint_give_clear_messages(server):
    with pytest.raises(QueryError, match="HTTP 400|refused the query"):
        RemoteEngine(server + "/query").query("SELECT ?x WHERE { ?x ?p }")
    with pytest.raises(QueryError, match="cannot reach"):
        RemoteEngine(f"http://127.0.0.1:{free_port()}/query", timeout=3).query("ASK {}")
    with pytest.raises(QueryError, match="not an http"):
        RemoteEngine("ftp://example.org/sparql")


@pytest.mark.parametrize("method", ["gsp", "update"])
def test_push_loads_the_graph_into_a_remote_store(nquads, tmp_path, engine, method):
    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(tmp_path / "rw"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        remote = RemoteEngine(url + "/query")
        for _ in range(100):
            try:
                remote.query("ASK {}")
                break
            except QueryError:
                time.sleep(0.1)
        target = url + ("/store" if method == "gsp" else "/update")
        sent = push(nquads, target, method)
        count = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        n_remote = int(remote.query(count).rows[0]["n"]["value"])
        n_local = int(engine.query(count).rows[0]["n"]["value"])
        assert n_remote == n_local
        assert sent == n_local
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_kg_serve_prints_address_and_stops_on_ctrl_c(built, root):
    port = free_port()
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", str(port)], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/query" in line
        assert RemoteEngine(f"http://127.0.0.1:{port}/query").query("ASK { ?s ?p ?o }").boolean is True
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
        assert port_free("127.0.0.1", port)
    finally:
        if proc.poll() is None:
            proc.kill()
