"""The order of the N-Quads the build writes, and the loads that depend on it (issue 12: loading).

``kg.validate.dataset_nquads`` writes the lines sorted: the same dataset gives the same bytes in
every process (rdflib keeps each graph's triples in a set, whose order follows Python's string hash,
different in each process), and each subject's quads come together, which pyoxigraph's in-memory
store loads faster (bench/SCALE.md, "Loads, sixth pass"). Behaviour tests; the figures are the
benchmark's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# a dataset of several graphs and subjects, written by a child process with a chosen string hash seed
WRITE = """
import sys
from rdflib import Dataset, Literal, URIRef
from kg.validate import dataset_nquads

ID = "https://w3id.org/kzkg/id/"
ds = Dataset()
for d in range(12):
    g = ds.graph(URIRef(f"{ID}evidence/d{d:03d}-1-2"))
    for i in range(25):
        s = URIRef(f"{ID}event/e{(i * 7 + d) % 31}")
        g.add((s, URIRef("https://schema.org/description"), Literal(f"fact {d} {i}", lang="en")))
        ds.default_graph.add((s, URIRef("https://w3id.org/kzkg/ontology#mentionedIn"), URIRef(f"{ID}source/d{d:03d}")))
sys.stdout.buffer.write(dataset_nquads(ds))
"""


def _written(seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-c", WRITE], cwd=ROOT, env=env, capture_output=True, check=True).stdout


def test_the_same_dataset_gives_the_same_bytes_in_every_process():
    first, second = _written("1"), _written("2")
    assert first == second
    assert first.count(b"\n") == 12 * 25 + 12 * 25  # nothing lost: every quad once


def test_each_subject_s_quads_come_together():
    lines = _written("3").splitlines()
    assert lines == sorted(lines)
    subjects = [line.split(b" ", 1)[0] for line in lines]
    runs = [s for i, s in enumerate(subjects) if i == 0 or subjects[i - 1] != s]
    assert len(runs) == len(set(subjects)) == 31


def test_the_built_nquads_are_sorted_before_the_aggregates(built):
    """kg build writes the dataset sorted, then the build-time aggregates (kg.aggregates) after it."""
    from kg.aggregates import is_aggregate

    nquads = next(p for p in built.outputs if str(p).endswith(".nq"))
    lines = nquads.read_bytes().splitlines()

    def aggregate(line: bytes) -> bool:  # as bench/scale_graph.py tells them
        s, p = line.decode().split(" ", 2)[:2]
        return is_aggregate(s[1:-1], p[1:-1])

    dataset = [line for line in lines if not aggregate(line)]
    assert len(dataset) > 30000
    assert dataset == sorted(dataset)
    assert lines[:len(dataset)] == dataset  # the aggregates only after the dataset


def test_an_engine_loaded_in_memory_still_refuses_a_bad_iri():
    """Store.load (kg.store.OxigraphEngine in memory) validates as bulk_load did: strict N-Quads."""
    from kg.store import OxigraphEngine

    good = b"<https://w3id.org/kzkg/id/a> <https://schema.org/name> \"a\" .\n"
    assert OxigraphEngine(good).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"]["value"] == "1"
    with pytest.raises(SyntaxError):
        OxigraphEngine(good + b"<https://w3id.org/kzkg/id/b c> <https://schema.org/name> \"b\" .\n")


def test_a_lenient_engine_takes_the_build_s_own_nquads_unchecked():
    """lenient=True (kg serve's load of the build's kg.nq, as build/store is loaded): IRIs not validated again."""
    from kg.store import OxigraphEngine

    odd = b"<https://w3id.org/kzkg/id/b c> <https://schema.org/name> \"b\" .\n"
    assert len(OxigraphEngine(odd, lenient=True).store) == 1
    with pytest.raises(SyntaxError):
        OxigraphEngine(odd)
