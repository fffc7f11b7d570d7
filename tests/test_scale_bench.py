"""The scale benchmark's question worker (bench/scale_worker.py): the rows it counts are those of
:func:`kg.query.run_named` in one process, and its caps stop a question without stopping the run.

Behaviour tests, not timed ones: the figures are bench/scale.py's (bench/SCALE.md).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import scale  # noqa: E402  (bench/scale.py)
from scale_worker import QuestionWorker, prepare  # noqa: E402

from kg.query import get_query, run_named  # noqa: E402
from kg.store import OxigraphEngine, stage_store  # noqa: E402

SLOW = """#+ summary: How many ways are there to pick three quads of the graph (a cross product too large to finish)?
SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }
"""
HUNGRY = """#+ summary: Every pair of quads of the graph, sorted (a cross product held in memory to be sorted)?
SELECT ?a ?b ?c ?d ?e ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d ?c ?f
"""
ONE_GROUP = {"group": "group:hizb-ut-tahrir"}


@pytest.fixture(scope="module")
def nquads(built) -> Path:
    """The curated graph's N-Quads, as the build wrote them."""
    return next(p for p in built.outputs if str(p).endswith(".nq"))


@pytest.fixture(scope="module")
def in_process(nquads):
    """The curated graph loaded in this process, as the benchmark's worker loads it."""
    return OxigraphEngine(nquads)


@pytest.fixture()
def questions(tmp_path) -> Path:
    """A folder of named questions: ``groups`` as in queries/, one that never ends, one that
    outgrows any memory cap."""
    folder = tmp_path / "queries"
    folder.mkdir()
    shutil.copy(ROOT / "queries" / "groups.rq", folder)
    (folder / "slow.rq").write_text(SLOW, encoding="utf-8")
    (folder / "hungry.rq").write_text(HUNGRY, encoding="utf-8")
    return folder


def _key(row: dict) -> tuple:
    """A row with the items of each concatenated value sorted: SPARQL leaves the order of the items of
    a GROUP_CONCAT to the engine, and Oxigraph's differs from one process to the next (``groups``)."""
    return tuple(sorted((k, v["type"], v.get("datatype"), v.get("xml:lang"), tuple(sorted(re.split(r" \| |, ", v["value"]))))
                        for k, v in row.items()))


def _same_as_in_process(row: dict, expected) -> None:
    assert row["status"] == "ok", row
    variables, rows = row["answer"]
    assert variables == expected.variables
    assert [_key(r) for r in rows] == [_key(r) for r in expected.rows]
    assert (row["rows"], row["total"]) == (len(expected.rows), expected.total)
    assert len(row["times"]) == 1 and row["seconds"] == row["times"][0]


def test_worker_answers_every_case_as_run_named(nquads, in_process):
    """Every question of the benchmark, with its defaults and its selective value, one page and the
    whole answer: the worker's rows, total and row count are those of run_named in this process."""
    todo = scale.cases()
    assert len(todo) > 40
    with QuestionWorker("memory", nquads) as worker:
        assert worker.quads == len(in_process.store)
        for name, _, params in todo:
            query = get_query(name)
            for variant, limit in (("page", 7), ("new", None)):
                row = worker.run(variant, name, params, repeat=1, page=7, answer=True)
                _same_as_in_process(row, run_named(in_process, query, params, limit=limit))
        assert worker.starts == 1


def test_worker_on_disk_and_original_texts(nquads, in_process, tmp_path):
    """The on-disk worker opens the store read-only and gives the same rows; an original text
    (commit ORIGINAL) runs with its parameters bound as it ran then."""
    store = stage_store(nquads, tmp_path / "store")
    with QuestionWorker("disk", store) as worker:
        assert worker.quads == len(in_process.store)
        for name, params in (("groups", ONE_GROUP), ("groups", {}), ("attacks", {"place": "place:aktobe"})):
            row = worker.run("page", name, params, repeat=1, page=5, answer=True)
            _same_as_in_process(row, run_named(in_process, get_query(name), params, limit=5))
        row = worker.run("original", "groups", ONE_GROUP, repeat=1, answer=True)
        _same_as_in_process(row, prepare("original", "groups", ONE_GROUP)(in_process))


def test_question_over_the_time_cap_is_reported_and_the_next_runs(nquads, in_process, questions):
    """A question over --limit-s is reported as over the cap; its worker is killed and the next
    question runs in a new one, which loads the store again."""
    expected = run_named(in_process, get_query("groups", questions), ONE_GROUP, limit=100)
    with QuestionWorker("memory", nquads, queries=questions) as worker:
        first = worker.proc.pid
        assert worker.run("page", "slow", {}, repeat=3, limit_s=1) == {"status": "> 1 s"}
        assert worker.proc is None
        _same_as_in_process(worker.run("page", "groups", ONE_GROUP, repeat=1, answer=True), expected)
        assert worker.starts == 2 and worker.proc.pid != first
        # a failing question is reported; the worker goes on
        bad = worker.run("page", "groups", {"group": "group:no-such-group"})
        assert bad["status"].startswith("error: --param group: the graph holds nothing about group:no-such-group")
        assert worker.run("page", "no-such-question", {})["status"].startswith("error: no named query 'no-such-question'")
        _same_as_in_process(worker.run("page", "groups", ONE_GROUP, repeat=1, answer=True), expected)
        assert worker.starts == 2
        # a worker that died between two questions is replaced
        os.kill(worker.proc.pid, signal.SIGKILL)
        worker.proc.join()
        _same_as_in_process(worker.run("page", "groups", ONE_GROUP, repeat=1, answer=True), expected)
        assert worker.starts == 3


def test_question_over_the_memory_cap_is_reported_and_the_next_runs(nquads, in_process, questions):
    """A question that outgrows --limit-gb (the worker's address space) is reported as killed; the
    next question runs in a new worker."""
    expected = run_named(in_process, get_query("groups", questions), ONE_GROUP, limit=100)
    with QuestionWorker("memory", nquads, queries=questions, limit_gb=1) as worker:
        assert worker.run("new", "hungry", {}, repeat=1, limit_s=300) == {"status": "killed (memory)"}
        _same_as_in_process(worker.run("page", "groups", ONE_GROUP, repeat=1, answer=True), expected)
        assert worker.starts == 2


def test_report_reads_results_without_per_run_times(tmp_path, monkeypatch):
    """Results recorded before the worker (no "times") still make the tables."""
    old = {"scale": 1, "file": "build/kg.nq", "quads": 10, "loads": [], "questions": [
        {"status": "ok", "seconds": 0.0021, "rows": 1, "total": 1, "repeat": 3, "question": "groups",
         "case": "selective", "params": ONE_GROUP, "engine": "memory", "variant": "page"},
        {"status": "> 60 s", "repeat": 3, "question": "disagreements", "case": "defaults", "params": {},
         "engine": "memory", "variant": "page"}]}
    (tmp_path / "x1.json").write_text(scale.json.dumps(old), encoding="utf-8")
    monkeypatch.setattr(scale, "RESULTS", tmp_path)
    text = scale.report()
    assert "| groups | selective: group=group:hizb-ut-tahrir | 2.1 (1/1) | - |" in text
    assert "| disagreements | defaults: - | > 60 s | - |" in text
