"""The table of exact names a store keeps (:class:`kg.search_index.ExactTable`): the answers of the
names index for every name the exact tiers settle, read instead of it by a cold ``kg query``, and
never trusted when it is stale, foreign, of another version, damaged or not a file."""

from __future__ import annotations

import os
import threading

import pytest

from kg import search_graph
from kg.query import ParamError
from kg.search import (EXACT_TABLE, NAMES_CACHE, NAMES_CACHE_VERSION, ExactTable, SearchIndex, class_words,
                       export_index, resolve)
from kg.search_text import name_forms, normalise
from kg.store import OxigraphEngine, write_store

GROUP = "https://w3id.org/kzkg/id/group/"
PREF = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
ALT = "<http://www.w3.org/2004/02/skos/core#altLabel>"


def _variants(label: str) -> list[str]:
    """The label and the forms a text gives it: case, possessive, article, footnote, plural, no spaces, role."""
    return [label, label.lower(), label.upper(), f"{label}'s", f"The {label}", f"{label}18", f"{label}s",
            label.replace(" ", ""), f"President {label}", f"{label}/x"]


def test_the_table_settles_every_name_as_the_names_index_does(engine):
    index = SearchIndex(export_index(engine, details=False), generic=class_words(engine))
    data = ExactTable.from_index(index, "a header")
    table = ExactTable(data)
    names = sorted({text for _, _, _, _, text in index.keys})
    settled = 0
    for label in names:
        for text in _variants(label):
            got, want = table.settled(text), index.settled(text)
            if got is None and want is not None:
                # a text that is no name itself and holds a name with its place or owner ("... in Cairo",
                # "China's ..."): only the whole index knows what is in what, so the table leaves it to it
                assert any(kind.startswith("within:") for _, kind in name_forms(text)), text
                assert not table._exact_scores(normalise(text)), text
                continue
            assert got == want, text
            settled += got is not None
    assert settled > 2 * len(names)  # most names and many of their forms are settled by the exact tiers alone
    assert data.startswith(b"a header\n") and len(data) < 1_000_000


def _store(folder, lines: list[str]) -> OxigraphEngine:
    write_store(("\n".join(lines) + "\n").encode(), folder)
    return OxigraphEngine.read_only(folder)


LINES = [f'<{GROUP}a> {PREF} "Alpha Front" .', f'<{GROUP}b> {PREF} "Beta Front" .', f'<{GROUP}b> {ALT} "Alpha Front" .',
         f'<{GROUP}c> {PREF} "Gamma" .', f'<{GROUP}d> {PREF} "Gamma" .']


def test_a_name_the_table_settles_is_resolved_without_the_names_index(tmp_path, monkeypatch):
    folder = tmp_path / "store"
    assert resolve(_store(folder, LINES), "Alpha Front") == GROUP + "a"  # the first query writes both
    assert (folder / NAMES_CACHE).is_file() and (folder / EXACT_TABLE).is_file()

    def unread(engine):
        raise AssertionError("the names index was read")

    monkeypatch.setattr(search_graph, "_read_names_index", unread)
    engine = OxigraphEngine.read_only(folder)  # a new process's engine: nothing held on it yet
    assert resolve(engine, "Alpha Front") == GROUP + "a"  # a label beats another entity's alias
    assert resolve(engine, "ALPHA FRONT") == GROUP + "a"
    # a text that is no name itself and may be a name with its place or owner ("Alpha" a place, "Front"
    # a name): the table cannot tell, the index decides
    with pytest.raises(AssertionError, match="names index was read"):
        resolve(engine, "the Alpha Front's")
    assert resolve(engine, "beta fronts") == GROUP + "b"
    with pytest.raises(AssertionError, match="names index was read"):  # two alike: the index decides (and lists)
        resolve(engine, "Gamma")
    monkeypatch.undo()
    with pytest.raises(ParamError, match="'Gamma' names 2 entities"):
        resolve(OxigraphEngine.read_only(folder), "Gamma")


def _header(engine, version: str | None = None) -> str:
    version = version or f"{NAMES_CACHE_VERSION}.{search_graph.EXACT_TABLE_VERSION}"
    return f"{search_graph.EXACT_TABLE_HEADER}\t{version}\t{engine.store_stamp}"


def _planted(engine, header: str) -> bytes:
    """A table that says Alpha Front is group d, under ``header``."""
    lying = SearchIndex([{"iri": GROUP + "d", "label": "Alpha Front"}])
    return ExactTable.from_index(lying, header)


def test_a_table_of_another_store_or_version_is_not_read_and_is_made_again(tmp_path):
    folder = tmp_path / "store"
    engine = _store(folder, LINES)
    for header in (_header(engine, "0.0"), _header(engine).replace(engine.store_stamp, "1-2")):
        (folder / EXACT_TABLE).write_bytes(_planted(engine, header))
        assert resolve(OxigraphEngine.read_only(folder), "Alpha Front") == GROUP + "a"
        assert (folder / EXACT_TABLE).read_bytes().startswith((_header(engine) + "\n").encode())
    # the table of the right store and version is read: the planted one answers (so the two above were refused)
    (folder / EXACT_TABLE).write_bytes(_planted(engine, _header(engine)))
    assert resolve(OxigraphEngine.read_only(folder), "Alpha Front") == GROUP + "d"


def test_a_damaged_table_is_not_read_and_is_made_again(tmp_path):
    folder = tmp_path / "store"
    engine = _store(folder, LINES)
    assert resolve(engine, "Alpha Front") == GROUP + "a"
    whole = (folder / EXACT_TABLE).read_bytes()
    for damaged in (whole[: len(whole) // 2], whole.replace(b"\n=alpha front\t", b"\n=alpha front\t\n"),
                    whole.split(b"\n!stretches")[0] + b"\n"):
        with pytest.raises(ValueError):
            ExactTable(damaged)
        (folder / EXACT_TABLE).write_bytes(damaged)
        assert resolve(OxigraphEngine.read_only(folder), "Alpha Front") == GROUP + "a"
        assert (folder / EXACT_TABLE).read_bytes() == whole


def test_a_table_that_is_not_a_file_is_refused_not_waited_on(tmp_path):
    folder = tmp_path / "store"
    engine = _store(folder, LINES)
    os.mkfifo(folder / EXACT_TABLE)
    got = []
    worker = threading.Thread(target=lambda: got.append(resolve(engine, "Alpha Front")), daemon=True)
    worker.start()
    worker.join(60)
    assert got == [GROUP + "a"]


def test_a_store_folder_that_takes_no_file_answers_the_same_without_a_table(tmp_path):
    """A full disk (here: no file may grow, RLIMIT_FSIZE) leaves no table and no half-written one."""
    import resource
    import signal

    folder = tmp_path / "store"
    engine = _store(folder, LINES)
    limits, handler = resource.getrlimit(resource.RLIMIT_FSIZE), signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, limits[1]))
    try:
        assert resolve(engine, "Alpha Front") == GROUP + "a"
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, handler)
    assert sorted(p.name for p in folder.iterdir() if "kg-search" in p.name) == []


def test_no_table_is_made_for_a_folder_that_cannot_be_written(tmp_path, monkeypatch):
    """Making the table takes longer than reading the names index: a query by name in a read-only
    build folder (which would make it again at every query) does not make it."""
    folder = tmp_path / "store"
    engine = _store(folder, LINES)
    made = []
    real_access, real_make = os.access, ExactTable.from_index
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if path == folder and mode & os.W_OK
                        else real_access(path, mode, **kw))
    monkeypatch.setattr(ExactTable, "from_index", staticmethod(lambda *a: made.append(a) or real_make(*a)))
    assert resolve(engine, "Alpha Front") == GROUP + "a"
    assert made == [] and not (folder / EXACT_TABLE).exists()
    monkeypatch.setattr(os, "access", real_access)
    assert resolve(OxigraphEngine.read_only(folder), "Alpha Front") == GROUP + "a"
    assert len(made) == 1 and (folder / EXACT_TABLE).is_file()
