"""The on-disk store the build leaves, opened read-only by kg query; paging in the engine."""

import os
import subprocess
import sys

from kg.store import OxigraphEngine, built_store, open_engine, write_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def test_build_leaves_a_store_that_opens_read_only(built, tmp_path):
    nq = tmp_path / "kg.nq"
    nq.write_bytes(built.nquads)
    write_store(built.nquads, built_store(nq))
    engine = open_engine(nq)
    assert engine.store is not None and isinstance(engine, OxigraphEngine)
    in_memory = OxigraphEngine(built.nquads)
    assert engine.query(COUNT).rows == in_memory.query(COUNT).rows
    # read-only: an update is refused
    try:
        engine.store.update("INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }")
    except (OSError, RuntimeError):
        pass
    else:  # pragma: no cover - a writable store would be a bug
        raise AssertionError("the store kg query opens must be read-only")


def test_a_store_older_than_the_nquads_is_not_used(built, tmp_path):
    nq = tmp_path / "kg.nq"
    nq.write_bytes(built.nquads)
    write_store(b"<http://e/s> <http://e/p> <http://e/o> <http://e/g> .\n", built_store(nq))
    later = os.stat(built_store(nq) / "complete").st_mtime + 10
    os.utime(nq, (later, later))  # the N-Quads were rebuilt after the store
    engine = open_engine(nq)
    assert int(engine.query(COUNT).rows[0]["n"]["value"]) > 1000


def test_rewriting_the_store_replaces_it(tmp_path):
    folder = tmp_path / "store"
    write_store(b"<http://e/a> <http://e/p> <http://e/o> <http://e/g> .\n", folder)
    write_store(b"<http://e/b> <http://e/p> <http://e/o> <http://e/g> .\n", folder)
    rows = OxigraphEngine.read_only(folder).query("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    assert [r["s"]["value"] for r in rows] == ["http://e/b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_the_query_path_imports_neither_rdflib_nor_networkx(built, tmp_path):
    nq = tmp_path / "kg.nq"
    nq.write_bytes(built.nquads)
    write_store(built.nquads, built_store(nq))
    code = ("import sys; from pathlib import Path; from kg import cli; cli.parser(extensions=False); "
            "from kg.store import open_engine; from kg.query import format_result, get_query, run_named; "
            f"engine = open_engine(Path({str(nq)!r})); "
            "print(format_result(run_named(engine, get_query('entity-statements'), {'entity': 'tablighi jamaat'}, limit=3))); "
            "print(sorted(m for m in ('rdflib', 'networkx', 'pyshacl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_engine_pages_count_every_row(engine):
    whole = engine.query("SELECT ?s WHERE { ?s a ?c } ORDER BY ?s ?c")
    page = engine.query("SELECT ?s WHERE { ?s a ?c } ORDER BY ?s ?c", limit=5, offset=7)
    assert page.total == whole.total == len(whole.rows) and page.rows == whole.rows[7:12]
