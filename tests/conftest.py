"""Shared fixtures: the project root, the corpus (or a skip), and one build of the real graph."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

# Several tests send Ctrl-C (SIGINT) to the kg processes they start. A shell without job control
# starts a background job (`bash .ci/run &`) with SIGINT ignored, and every child inherits that, so
# those kg processes never saw the signal. The session takes Python's own handler instead: a handler
# is reset to the default at exec, an ignored signal is not.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus_folder():
    """The corpus (every folder of KG_CORPUS, or ../shared/corpus) with the registered documents,
    usable wherever kg.corpus takes a folder; skips when there is none."""
    from kg.sources import open_corpus

    folder = open_corpus(ROOT)
    if folder is None:
        pytest.skip("corpus absent: ../shared/corpus not found and KG_CORPUS not set; span checks need the documents")
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The real graph built once (into a temporary folder), with its engine."""
    from kg.build import build
    from kg.store import open_engine

    out = tmp_path_factory.mktemp("build")
    result = build(ROOT, out=out, formats=("nquads",))
    assert result.ok, "the curated graph does not build:\n" + "\n".join(result.errors[:50])
    result.engine = open_engine(out / "kg.nq", "oxigraph")
    return result


@pytest.fixture(scope="session")
def engine(built):
    return built.engine


def rows(engine, text, **bindings):
    """Run SPARQL and return rows as dicts of plain strings."""
    result = engine.query(text, bindings or None)
    return [{k: v["value"] for k, v in r.items()} for r in result.rows]
