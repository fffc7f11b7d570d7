"""Virtuoso Open Source, a second real store: started on loopback, loaded, every named question compared.

The store is Debian's ``virtuoso-opensource`` (7.2). It is loaded as a user would load it, with
``kg push`` (:func:`kg.push.push`): SPARQL Update at ``/sparql-auth``, as the database's ``dba`` user
with digest authentication, the dataset's default graph into the graph ``DEFAULT_GRAPH``
(``--default-graph``: Virtuoso keeps no default graph of its own and refuses ``DROP DEFAULT``, error
SP031). The endpoint URL names that graph as the query's default graph (``default-graph-uri``), since
without it Virtuoso answers over the union of all its graphs (and counts each triple once per graph).

Each question is compared with the embedded engine after one normalisation (:func:`loose`):
Virtuoso gives ``GROUP_CONCAT`` results without a language tag, and an empty string where Oxigraph
leaves the column unbound. Virtuoso 7.2 also answers an ``ASK`` in SPARQL JSON as a one-row table
(``__ASK_RETVAL`` = 1 or 0) instead of ``{"boolean": ...}``, so :class:`RemoteEngine` gets no boolean
and the check of entity parameters (kg.known, an ``ASK``) refuses every entity; the questions are
therefore run through :class:`VirtuosoEngine`, which reads that table as the boolean, and
:func:`test_virtuoso_answers_ask_as_a_table` pins the behaviour itself. The other differences are listed, with what was seen, in
``DIFFERENCES``; the tests pin each of them, so a question that starts to agree must move to the
agreeing ones. Skipped with a reason when Virtuoso is not installed (``.ci/run`` installs it).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from kg.paging import page_plan
from kg.query import load_queries, run_named
from kg.remote import RemoteEngine
from kg.store import QueryError

from test_query import required_params
from test_serve import _unordered

VIRTUOSO = shutil.which("virtuoso-t")
DEFAULT_GRAPH = "https://w3id.org/kzkg/graph/default"

pytestmark = pytest.mark.skipif(
    not VIRTUOSO,
    reason="Virtuoso Open Source is not installed (Debian: apt-get install virtuoso-opensource; .ci/run does it)",
)

#: Questions Virtuoso answers differently, and how (seen with virtuoso-opensource 7.2.5.1).
DIFFERENCES = {
    "attacks": "GROUP_CONCAT skips unbound values where Oxigraph leaves the whole column unbound (regions of an "
               "attack with one place inside a region and one not); with a group (not run here), the link and "
               "statedBy columns come back empty",
    "group-neighbourhood": "misses groups within two steps (Taliban and al-Qaeda, 2 steps from group:islamic-state): "
                           "the path sequences of alternative and inverse paths in the UNION branches are not joined "
                           "with the start group bound by VALUES (the same paths from a constant group agree); which "
                           "rows come out depends on how the store was loaded (Virtuoso's bulk loader gave 16 more "
                           "groups instead); the same "
                           "steps as triple patterns joined on variables, or as UNIONs of the two directions, miss "
                           "the same two",
}
#: Differences whose rows are all rows of the embedded engine's answer (Virtuoso leaves some out).
SUBSET = {"group-neighbourhood"}
#: Differences only in aggregated columns: same rows, Virtuoso fills columns Oxigraph leaves unbound.
# (rehabilitation-centers was one until kg build concatenated its cities and regions, kg/aggregates_listings.py)
FILLS_UNBOUND: set = set()
#: Questions Virtuoso refuses to compile (casualties was one until it read its rows from kg build as data).
COMPILER_ERRORS: set = set()
#: Differences that vanish when the en dash (U+2013) of the embedded engine's answer is read as "?".
# (disagreements was one until its side texts came from kg build as data: Virtuoso no longer writes them)
# (timeline was one until its dates were typed with STRDT(..., xsd:string): Virtuoso 7.2 turns a string
# built by CONCAT into a narrow one, en dash '?', when GROUP_CONCAT or STR reads it, not when STRDT does)
DASH_AS_QUESTION_MARK: set = set()


class VirtuosoEngine(RemoteEngine):
    """:class:`RemoteEngine` that reads Virtuoso's ``__ASK_RETVAL`` table as the answer of an ``ASK``."""

    def query(self, text, bindings=None, **options):
        result = super().query(text, bindings, **options)
        if result.boolean is None and result.variables == ["__ASK_RETVAL"] and len(result.rows) <= 1:
            result.boolean = bool(result.rows) and result.rows[0]["__ASK_RETVAL"]["value"] not in ("0", "false")
        return result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]



@pytest.fixture(scope="module")
def virtuoso(built, tmp_path_factory):
    """A Virtuoso server on loopback holding the built graph; yields its SPARQL endpoint URL."""
    from kg.push import push

    folder = tmp_path_factory.mktemp("virtuoso")
    nquads = next(path for path in built.outputs if path.name == "kg.nq")
    sql_port, http_port = _free_port(), _free_port()
    (folder / "virtuoso.ini").write_text(f"""[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DirsAllowed = ., {folder}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
""", encoding="utf-8")
    proc = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(folder / "virtuoso.ini")], cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}/sparql"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base + "?query=ASK%7B%7D", timeout=5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Virtuoso did not start; see {folder}/virtuoso.log")
                time.sleep(1)
        report = push(nquads, f"http://127.0.0.1:{http_port}/sparql-auth", "update", user="dba", password="dba",
                      timeout=120, default_graph=DEFAULT_GRAPH)
        assert report.ok, report.summary()
        yield base + "?" + urllib.parse.urlencode({"default-graph-uri": DEFAULT_GRAPH})
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _cells(row: dict) -> dict:
    return {k: (v["type"], _unordered(v["value"]), v.get("datatype", "")) for k, v in row.items() if v["value"] != ""}


def loose(result) -> list:
    """Rows without language tags and without empty values; concatenations unordered."""
    return sorted(tuple(sorted(_cells(r).items())) for r in result.rows)


def test_virtuoso_answers_ask_as_a_table(virtuoso):
    """Virtuoso's own answer to ASK in SPARQL JSON: a table with one column __ASK_RETVAL, not a boolean."""
    import json

    request = urllib.request.Request(virtuoso, data=urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode(),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.loads(response.read())
    assert "boolean" not in answer, "Virtuoso now answers ASK with a boolean: VirtuosoEngine is no longer needed"
    assert answer["head"]["vars"] == ["__ASK_RETVAL"] and answer["results"]["bindings"][0]["__ASK_RETVAL"]["value"] == "1"
    assert VirtuosoEngine(virtuoso).query("ASK { ?s ?p ?o }").boolean is True
    assert VirtuosoEngine(virtuoso).query("ASK { <https://w3id.org/kzkg/id/none> ?p ?o }").boolean is False


def test_the_whole_graph_is_loaded(virtuoso, built):
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    answer = RemoteEngine(virtuoso).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    default = len(built.dataset.graph(DATASET_DEFAULT_GRAPH_ID))
    assert int(answer.rows[0]["n"]["value"]) == default


@pytest.mark.parametrize("name", sorted(n for n in load_queries() if n not in DIFFERENCES))
def test_named_question_gives_the_same_rows_on_virtuoso(virtuoso, engine, name):
    q = load_queries()[name]
    params = required_params(q)
    local, remote = run_named(engine, q, params), run_named(VirtuosoEngine(virtuoso, timeout=120), q, params)
    assert remote.variables == local.variables
    assert loose(remote) == loose(local)


@pytest.mark.parametrize("name", sorted(DIFFERENCES))
def test_documented_difference_on_virtuoso(virtuoso, engine, name):
    """Each listed difference is still there, and is the kind the list says."""
    q = load_queries()[name]
    params = required_params(q)
    remote_engine = VirtuosoEngine(virtuoso, timeout=120)
    if name in COMPILER_ERRORS:
        with pytest.raises(QueryError, match="SP031"):
            run_named(remote_engine, q, params)
        return
    local, remote = run_named(engine, q, params), run_named(remote_engine, q, params)
    assert remote.variables == local.variables and remote.rows
    assert loose(remote) != loose(local), f"{name} now agrees on Virtuoso: move it out of DIFFERENCES"
    if name in SUBSET:
        assert set(loose(remote)) < set(loose(local))
    if name in FILLS_UNBOUND:
        filled = [_cells(r) for r in remote.rows]
        assert len(remote.rows) == len(local.rows)
        assert all(any(all(f.get(k) == v for k, v in _cells(r).items()) for f in filled) for r in local.rows)
    if name in DASH_AS_QUESTION_MARK:
        def dashed(rows):
            return sorted(tuple((k, (kind, value.replace("\u2013", "?"), datatype)) for k, (kind, value, datatype) in row)
                          for row in rows)

        assert dashed(loose(local)) == dashed(loose(remote))


RANKED = sorted(n for n, q in load_queries().items() if (plan := page_plan(q.text)) and plan.rank_pattern)


class Recording:
    """An engine that keeps the text of every query it passes on."""

    def __init__(self, engine):
        self.engine, self.texts = engine, []

    def query(self, text, bindings=None, **options):
        self.texts.append(text)
        return self.engine.query(text, bindings, **options)


@pytest.mark.parametrize("name", RANKED)
def test_pages_by_rank_look_up_are_the_same_on_virtuoso(virtuoso, engine, name):
    """A page found by rank look-up (kg.paging, '#+ rank' line) through Virtuoso: the rows and total of
    the embedded engine's page, and the look-up was used (the core was never sorted)."""
    from kg.query import bind, render

    q = load_queries()[name]
    core = page_plan(render(q, bind(q, {}, engine))).core
    recording = Recording(VirtuosoEngine(virtuoso, timeout=120))
    total = run_named(engine, q, {}, limit=1).total
    for limit, offset in ((10, 0), (7, 10), (10, total - 4), (5, total + 3)):
        local, far = run_named(engine, q, {}, limit=limit, offset=offset), run_named(recording, q, {}, limit=limit, offset=offset)
        assert (far.total, far.variables) == (local.total, local.variables), (limit, offset)
        assert loose(far) == loose(local) or name in DASH_AS_QUESTION_MARK, (limit, offset)
        assert len(far.rows) == len(local.rows)
    assert core not in recording.texts


@pytest.mark.parametrize("given", [{}, {"min": "1"}, {"min": "1", "max": "1"}, {"min": "2", "max": "3"}])
def test_pages_of_corroborated_statements_found_from_their_groups_are_the_same_on_virtuoso(virtuoso, engine, given):
    """A page of a window of document counts found from the stored statement groups
    (kg/aggregates_statements.py, '#+ ranks statements') through Virtuoso: the embedded engine's page."""
    from kg.query import bind, render

    q = load_queries()["corroborated-statements"]
    core = page_plan(render(q, bind(q, given, engine))).core
    recording = Recording(VirtuosoEngine(virtuoso, timeout=120))
    total = run_named(engine, q, given, limit=1).total
    for limit, offset in ((10, 0), (7, 38), (100, total // 2), (10, total - 4), (5, total + 3)):
        local, far = run_named(engine, q, given, limit=limit, offset=offset), run_named(recording, q, given, limit=limit, offset=offset)
        assert (far.total, far.variables) == (local.total, local.variables), (limit, offset)
        assert loose(far) == loose(local), (limit, offset)
    assert core not in recording.texts


@pytest.mark.parametrize("name, given", [("legal-acts", {}), ("legal-acts", {"from": "2015", "to": "2015"}),
                                         ("legal-acts", {"from": "1", "to": "9999"}), ("rehabilitation-centers", {}),
                                         ("rehabilitation-centers", {"place": "place:kazakhstan"})])
def test_listings_ranked_at_build_time_keep_their_order_on_virtuoso(virtuoso, engine, name, given):
    """The rows of legal acts and rehabilitation centers come in the order of the ranks kg build stored
    (kg/aggregates_listings.py) on both engines, whole and by pages, with any parameter."""
    q = load_queries()[name]
    remote_engine = VirtuosoEngine(virtuoso, timeout=120)
    local, remote = run_named(engine, q, given), run_named(remote_engine, q, given)
    assert loose(remote) == loose(local) and remote.rows
    def order(rows):
        return [(r["id"]["value"], r.get("date", {}).get("value"), r.get("start", {}).get("value")) for r in rows]

    assert order(remote.rows) == order(local.rows)
    pages = [row for offset in range(0, len(local.rows), 7) for row in run_named(remote_engine, q, given, limit=7, offset=offset).rows]
    assert order(pages) == order(local.rows)


def test_a_query_logs_in_to_virtuoso_by_digest_authentication(virtuoso):
    """Virtuoso's ``/sparql-auth`` turns basic credentials down and asks for digest authentication: kg's
    ``--user`` answers it (kg.remote), and without a login the endpoint's refusal says what to give."""
    auth = virtuoso.replace("/sparql?", "/sparql-auth?", 1)
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/kzkg/ontology#Person> }"
    public = RemoteEngine(virtuoso).query(text).rows
    assert int(RemoteEngine(auth, user="dba", password="dba").query(text).rows[0]["n"]["value"]) == \
        int(public[0]["n"]["value"]) > 0
    with pytest.raises(QueryError, match=r"refused the query: HTTP 401 \(an endpoint with accounts: give --user NAME"):
        RemoteEngine(auth).query(text)
