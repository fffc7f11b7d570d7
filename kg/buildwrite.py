"""Writing what ``kg build`` made: the N-Quads, TriG, JSON-LD and the on-disk store, replaced together.

TriG and JSON-LD are written by pyoxigraph from the store the checks ran on, in a child process
(:mod:`kg.buildfork`): the child of the checks, working ahead (:func:`_exports_in_child`), or one
forked for them; the store is made in a thread (:class:`kg.buildstore.StagedStore`).
"""

from __future__ import annotations

from pathlib import Path

from kg.load import InputError

__all__ = ["OUTPUT_FILES", "write_outputs"]

OUTPUT_FILES = {"trig": "kg.trig", "nquads": "kg.nq", "json-ld": "kg.jsonld"}


def _write_exports(store, side, parts: dict) -> bool:
    """TriG and JSON-LD (the formats in ``side``) of a ``pyoxigraph.Store`` into the paths ``parts``,
    with the same prefixes (those the data uses), TriG written in a thread while the JSON-LD document
    is encoded. Raises ``OSError``."""
    from kg.exports import jsonld_from_store, store_prefixes, write_jsonld_from_store, write_trig_from_store

    from kg.buildfork import Threaded

    document = jsonld_from_store(store) if "json-ld" in side else None  # its context: the prefixes used
    context = document["@context"] if document else store_prefixes(store)
    trig = None
    if "trig" in side:  # pyoxigraph's writer, in a thread (it leaves the interpreter lock) while JSON is encoded
        trig = Threaded(lambda: write_trig_from_store(store, parts["trig"], context))
    try:
        if document is not None:
            write_jsonld_from_store(store, parts["json-ld"], document=document)
    finally:
        if trig is not None:
            trig.join()
    if trig is not None:
        trig.result()  # raises what writing TriG raised
    return True


def _part_paths(out: Path, formats) -> dict:
    """Where TriG and JSON-LD (those of ``formats``) are written before :func:`kg.buildsafe.write_together`
    takes them: beside the outputs, named after this process."""
    import os

    return {fmt: Path(out) / f".{OUTPUT_FILES[fmt]}.part-{os.getpid()}" for fmt in ("trig", "json-ld") if fmt in formats}


def _exports_in_child(store, formats, parts: dict, held: dict | None = None):
    """What the child of the checks does next (``then`` of :class:`kg.buildfork.Forked`): it works
    ahead, writing TriG and JSON-LD from its copy of the store with the aggregates
    :func:`kg.aggregates.compute` makes of it (those it made already, in ``held``: ``{"quads": ...,
    "lines": their N-Quads}``), while the parent validates; then it waits for the lines the parent
    appended to the N-Quads (:func:`kg.aggregates.add_to_build`), and writes the exports again when
    those are not the quads it added."""
    def then(receive) -> bool:
        import pyoxigraph as ox

        side = [fmt for fmt in ("trig", "json-ld") if fmt in formats]
        ahead, lines = None, None
        try:
            added = (held or {}).get("quads")
            if added is None:
                from kg.aggregates import compute

                added = compute(store)
            else:
                lines = held.get("lines")
            store.extend(added)
            ahead = added
            _write_exports(store, side, parts)
        except Exception:
            pass  # done again below, after the parent's lines
        extra = receive()
        if ahead is not None and all(p.exists() for p in parts.values()):
            if extra == lines:  # the parent appended the lines this child made: nothing to compare
                return True
            theirs = list(ox.parse(input=extra, format=ox.RdfFormat.N_QUADS)) if extra.strip() else []
            if set(theirs) == set(ahead):
                return True
        else:
            theirs = list(ox.parse(input=extra, format=ox.RdfFormat.N_QUADS)) if extra.strip() else []
        for quad in ahead or ():
            store.remove(quad)
        store.extend(theirs)
        return _write_exports(store, side, parts)
    return then


class _Later:
    """The exports the child of the checks writes (:meth:`kg.buildfork.Forked.later`), or written here
    when it could not."""

    def __init__(self, child, exports):
        self._child, self._exports, self._done = child, exports, False

    def result(self) -> bool:
        if not self._done:
            if self._child.later() is None:
                self._exports()  # raises what writing raises, as without a child
            self._done = True
        return True

    def discard(self) -> None:
        self._child.discard()


def write_outputs(result, out: Path, formats=("trig", "nquads", "json-ld"), root: Path | None = None,
                  staged=None, previous: Path | None = None, exporter=None, exported_from: bytes | None = None,
                  meanwhile=None) -> None:
    """Write the merged dataset in the standard formats, all replaced together (see :mod:`kg.buildsafe`),
    and the on-disk store ``kg query`` opens, put in place only once they all are. Raises
    :class:`InputError` when an output cannot be written; the previous outputs are then left as they were.

    TriG and JSON-LD are written by pyoxigraph from the store the checks ran on (an order of
    magnitude faster than rdflib's writers), with the prefixes the data uses, in a child process
    (:class:`kg.buildfork.Forked`) while this one writes the N-Quads. ``staged``: the on-disk store
    already being loaded (:class:`kg.buildstore.StagedStore`, with the N-Quads before what was
    appended since), else it is made here, in a thread (``previous``: the N-Quads of the store
    there, whose copy is updated when it can be). ``exporter``: a :class:`kg.buildfork.Forked` child
    holding the store as it was when the N-Quads were ``exported_from`` (see :func:`_exports_in_child`),
    which writes TriG and JSON-LD when the N-Quads are those with lines appended. ``meanwhile``: a
    function called once the child and the store's thread are at work, before the files are written.
    """
    from kg.buildfork import Forked
    from kg.buildstore import StagedStore
    from kg.buildsafe import write_together
    from kg.store import OxigraphEngine, built_store, commit_store

    nquads = result.nquads
    if nquads is None:
        text = result.dataset.serialize(format="nquads")
        nquads = result.nquads = text.encode("utf-8") if isinstance(text, str) else text
    engine = result.engine if isinstance(result.engine, OxigraphEngine) else OxigraphEngine(nquads)
    store = engine.store
    side = [fmt for fmt in ("trig", "json-ld") if fmt in formats]
    parts = _part_paths(out, formats)

    def exports() -> bool:
        return _write_exports(store, side, parts)

    exported = None
    if side and Path(out).is_dir():
        given = len(exported_from) if exported_from is not None else -1
        if (exporter is not None and given >= 0 and nquads[:given] == exported_from
                and exporter.send(nquads[given:])):
            exported = _Later(exporter, exports)  # the child of the checks writes them (kg.buildfork)
        else:
            exported = Forked(exports)

    def export(fmt: str):
        def move(tmp: Path) -> None:
            (exported or Forked(exports)).result()  # raises what writing raised (OSError: see write_together)
            parts[fmt].replace(tmp)
        return move

    makers = {"nquads": lambda tmp: tmp.write_bytes(nquads), "trig": export("trig"), "json-ld": export("json-ld")}
    writers = {OUTPUT_FILES[fmt]: makers[fmt] for fmt in formats}
    folder = built_store(out / OUTPUT_FILES["nquads"])
    if staged is None and "nquads" in formats:
        staged = StagedStore(nquads, folder, previous)  # the store kg query opens read-only, instead of parsing the N-Quads
    done = None
    try:
        if staged is not None:
            staged.complete(nquads)  # in its thread, while the files are written
        if meanwhile is not None:
            meanwhile()
        result.outputs += write_together(out, writers, root=root)
        if staged is not None:
            try:
                done = staged.finish(nquads)
            except OSError as exc:
                raise InputError(f"cannot write the store {folder}: {exc}; the other outputs are written, "
                                 "kg query reads build/kg.nq instead") from None
    finally:
        if exported is not None:
            exported.discard()
        for part in parts.values():
            part.unlink(missing_ok=True)
        if staged is not None and done is None:
            staged.discard()
    if done is not None:
        result.outputs.append(commit_store(done, folder))
