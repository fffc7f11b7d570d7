"""The query engine, chosen by name in one place, and the built graph it serves.

Two embedded engines answer the same SPARQL over the same built dataset:

* ``oxigraph`` (default): pyoxigraph's in-memory store; see ``bench/RESULTS.md`` for the figures
  that made it the default;
* ``rdflib``: rdflib's own SPARQL engine over an in-memory ``Dataset``.

Both return SPARQL 1.1 JSON-style bindings (``{"type": "uri", "value": ...}``), the same shape
SPARQLWrapper returns from a remote endpoint, so results compare and format alike.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ENGINES", "QueryError", "Result", "Engine", "open_engine", "built_file", "built_store", "is_stale",
           "write_store", "stage_store", "commit_store", "to_oxigraph"]

ENGINES = ("oxigraph", "rdflib")


class QueryError(Exception):
    """A query is malformed or failed; the message says what is wrong."""


class Result:
    """A SELECT result (``variables`` and ``rows``) or an ASK answer (``boolean``).

    ``total`` is the number of rows of the whole answer when ``rows`` is one page of it, ``offset``
    the index of the first row of ``rows`` in it. (A plain class, not a dataclass: importing
    :mod:`dataclasses` costs a cold ``kg query`` about a third of Python's own start.)
    """

    __hash__ = None  # mutable, compared by value

    def __init__(self, variables: list[str], rows: list[dict[str, dict]], boolean: bool | None = None,
                 total: int | None = None, offset: int = 0):
        self.variables, self.rows, self.boolean, self.total, self.offset = variables, rows, boolean, total, offset

    def _fields(self) -> tuple:
        return self.variables, self.rows, self.boolean, self.total, self.offset

    def __eq__(self, other) -> bool:
        return other.__class__ is self.__class__ and self._fields() == other._fields()

    def __repr__(self) -> str:
        return ("Result(variables={!r}, rows={!r}, boolean={!r}, total={!r}, offset={!r})").format(*self._fields())

    def to_dataframe(self):
        """The rows as a pandas ``DataFrame``, one column per variable, values as Python values.

        IRIs and text become ``str``; ``xsd:integer`` (and its kin) ``int``, ``xsd:decimal``,
        ``xsd:double`` and ``xsd:float`` ``float``, ``xsd:boolean`` ``bool``; an unbound value is
        ``None``. Needs pandas (``pip install "kzkg[pandas]"``): raises :class:`ImportError` saying
        so when it is missing, :class:`QueryError` for an ASK result.
        """
        try:
            import pandas as pd
        except ImportError as exc:
            raise ImportError('Result.to_dataframe needs pandas: pip install -e ".[pandas]"') from exc
        if self.boolean is not None:
            raise QueryError("an ASK result has no rows to make a DataFrame of")
        return pd.DataFrame([[_python_value(r.get(v)) for v in self.variables] for r in self.rows],
                            columns=self.variables)


def page(result: Result, limit: int | None, offset: int) -> Result:
    """One page of a complete result (for engines that cannot page themselves)."""
    if result.boolean is not None or (limit is None and not offset):
        return result
    end = None if limit is None else offset + limit
    return Result(result.variables, result.rows[offset:end], total=len(result.rows), offset=offset)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger",
                                "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong")}


def _python_value(term: dict | None):
    if term is None:
        return None
    value, datatype = term["value"], term.get("datatype")
    try:
        if datatype in _INTEGERS:
            return int(value)
        if datatype in (_XSD + "decimal", _XSD + "double", _XSD + "float"):
            return float(value)
    except ValueError:
        return value
    if datatype == _XSD + "boolean":
        return value in ("true", "1")
    return value


def built_file(root: Path) -> Path:
    return root / "build" / "kg.nq"


def built_store(nquads: Path) -> Path:
    """The on-disk Oxigraph store that ``kg build`` leaves beside the built N-Quads."""
    return nquads.parent / "store"


_COMPLETE = "complete"  # written last into a store folder: the load finished


def write_store(nquads: bytes | Path, folder: Path) -> Path:
    """Load N-Quads into a new on-disk Oxigraph store at ``folder``, replacing any old one.

    The store is written beside (``folder`` + ``.tmp-PID``) and renamed into place once complete,
    so that a reader never opens a half-written store. Returns ``folder``.
    """
    return commit_store(stage_store(nquads, folder), folder)


def stage_store(nquads: bytes | Path, folder: Path) -> Path:
    """Load N-Quads into a complete new on-disk store beside ``folder`` (not yet in place); return
    its path, for :func:`commit_store` (or ``shutil.rmtree`` when the build fails)."""
    import os
    import shutil

    import pyoxigraph as ox

    tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    store = ox.Store(str(tmp))
    # lenient: the IRIs are not validated a second time. These N-Quads are the build's own, and the
    # build loaded the same bytes strictly into its in-memory engine (its checks run there), which
    # refuses an invalid IRI; skipping the second check saves about a fifth of this load (x10: 0.85 s
    # against 1.06 s in memory, alternating, 4 runs each).
    if isinstance(nquads, Path):
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS, lenient=True)
    else:
        store.bulk_load(input=nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
    store.flush()
    store.optimize()  # compacted for read-only readers: see the note before commit_store
    del store  # closes the database
    (tmp / _COMPLETE).write_text("", encoding="utf-8")
    return tmp


# Why every store the build leaves is compacted (``Store.optimize``): ``bulk_load`` leaves RocksDB's
# files unsorted in level 0 (57 files at x100), and a store opened read-only, as ``kg query`` opens
# it, never compacts them: each look-up then searches every file. Measured at x100 (4.4 million
# quads, 1 December 2026, /tmp/rocmp.py in bench/SCALE.md): one page of ``estimates`` 6.0 s before,
# 1.95 s after; ``timeline`` 2.7 -> 0.9 s; ``people`` 2.5 -> 0.82 s. It costs 4 s at x100 and
# under 10 ms on the curated graph.


def commit_store(staged: Path, folder: Path) -> Path:
    """Put a store made by :func:`stage_store` in place of ``folder`` (the old one removed); return ``folder``."""
    import os
    import shutil

    old = folder.with_name(f"{folder.name}.old-{os.getpid()}")
    (staged / _COMPLETE).touch()  # newer than the N-Quads written meanwhile: kg query takes the store as fresh
    if folder.exists():
        folder.rename(old)
    staged.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
    return folder


def _fresh_store(nquads: Path) -> Path | None:
    """The store beside ``nquads`` if it is complete and not older than them, else None."""
    marker = built_store(nquads) / _COMPLETE
    try:
        return marker.parent if marker.stat().st_mtime >= nquads.stat().st_mtime else None
    except OSError:
        return None


def _input_files(root: Path):
    """The hand-edited inputs of a build (the globs of :func:`kg.load.find_files`, without rdflib)."""
    yield from (root / "ontology").glob("*.ttl")
    graph = root / "graph"
    if graph.is_dir():
        yield from graph.rglob("*.ttl")
        yield from graph.rglob("*.trig")


def is_stale(root: Path) -> bool:
    """True when the built graph is missing, or any input was changed, added or deleted since (by content)."""
    from kg.buildsafe import stale_reason

    return stale_reason(root) is not None


def _ox_term(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def to_oxigraph(term):
    """A pyoxigraph term from an rdflib term (or the pyoxigraph term itself).

    Raises ``ValueError`` for an invalid IRI or language tag, :class:`QueryError` for anything
    that is not an RDF term.
    """
    import pyoxigraph as ox

    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return term
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"cannot bind {term!r}")


def _rdflib_term(term) -> dict:
    from rdflib import BNode, Literal
    from rdflib.namespace import XSD

    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype and term.datatype != XSD.string:
            out["datatype"] = str(term.datatype)
        return out
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    return {"type": "uri", "value": str(term)}


class Engine:
    """An embedded engine over the built dataset."""

    name = "?"

    def query(self, text: str, bindings: dict | None = None, *, limit: int | None = None,
              offset: int = 0) -> Result:  # pragma: no cover - interface
        """Answer SPARQL ``text``; ``limit`` rows from ``offset`` (all when ``limit`` is None).

        ``bindings`` (variable name -> RDF term) are the engine's own substitutions; named
        questions bind their parameters in the text instead (:func:`kg.query.render`). Raises
        :class:`QueryError` for a syntax error or a failed evaluation.
        """
        raise NotImplementedError


class OxigraphEngine(Engine):
    """pyoxigraph: a store loaded in memory from N-Quads, or an on-disk store opened read-only."""

    name = "oxigraph"

    def __init__(self, nquads: bytes | str | Path | None = None, *, store=None, lenient: bool = False):
        """Load ``nquads`` (a path, or the N-Quads themselves) into a new in-memory store, or take
        ``store``. ``lenient``: IRIs are not validated (for N-Quads a build has already loaded
        strictly, as :func:`stage_store` does); otherwise an invalid one raises ``SyntaxError``."""
        import pyoxigraph as ox

        if store is not None:
            self.store = store
            return
        self.store = ox.Store()
        # Store.load, not bulk_load: in memory both insert every quad in one transaction (pyoxigraph's
        # in-memory store takes one writer), but bulk_load first parses a batch of a million quads,
        # then inserts it, so each quad's strings have left the cache when they are inserted; load
        # inserts each quad as it is parsed. At x100 (4.7 million quads, bench/SCALE.md "Loads, sixth
        # pass"): 213 MB less peak memory (1,633 against 1,846 MB) and 10% less processor time (15.3
        # against 17.0 s, medians of 3 interleaved).
        if isinstance(nquads, Path):
            self.store.load(path=str(nquads), format=ox.RdfFormat.N_QUADS, lenient=lenient)
        else:
            self.store.load(input=nquads, format=ox.RdfFormat.N_QUADS, lenient=lenient)

    @classmethod
    def from_store(cls, store) -> "OxigraphEngine":
        """An engine over an open ``pyoxigraph.Store``."""
        return cls(store=store)

    @classmethod
    def read_only(cls, path: str | Path) -> "OxigraphEngine":
        """An engine over the on-disk store at ``path``, opened read-only (no parsing).

        Raises :class:`QueryError` when the folder holds no readable store.
        """
        import pyoxigraph as ox

        try:
            engine = cls(store=ox.Store.read_only(str(path)))
        except (OSError, RuntimeError) as exc:  # RuntimeError: RocksDB's "Corruption: ..." of a damaged file
            raise QueryError(f"cannot open the store {path}: {' '.join(str(exc).split())[:200]}; run kg build") from exc
        # which store this is (a rebuild writes a new folder and marker): caches kept in it check it (kg.search)
        try:
            marker = (Path(path) / _COMPLETE).stat()
            engine.store_stamp = f"{marker.st_ino}-{marker.st_mtime_ns}"
        except OSError:
            engine.store_stamp = None
        engine.store_path = Path(path)
        return engine

    def query(self, text: str, bindings: dict | None = None, *, limit: int | None = None,
              offset: int = 0) -> Result:
        import pyoxigraph as ox

        subs = {ox.Variable(k): to_oxigraph(v) for k, v in (bindings or {}).items()}
        try:
            answer = self.store.query(text, substitutions=subs or None)
            if isinstance(answer, ox.QueryBoolean):
                return Result([], [], bool(answer))
            if not isinstance(answer, ox.QuerySolutions):
                raise QueryError("only SELECT and ASK queries are supported here; use kg build outputs for graphs")
            variables = [v.value for v in answer.variables]
            rows, total = [], 0
            end = None if limit is None else offset + limit
            # only the rows of the page are converted; the others are counted
            for solution in answer:
                if total >= offset and (end is None or total < end):
                    row = {}
                    for name in variables:
                        term = solution[name]
                        if term is not None:
                            row[name] = _ox_term(term)
                    rows.append(row)
                total += 1
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}") from exc
        return Result(variables, rows, total=total, offset=offset)


class RdflibEngine(Engine):
    name = "rdflib"

    def __init__(self, nquads: bytes | str | Path):
        from rdflib import Dataset

        self.dataset = Dataset()
        if isinstance(nquads, Path):
            self.dataset.parse(str(nquads), format="nquads")
        else:
            self.dataset.parse(data=nquads, format="nquads")

    def query(self, text: str, bindings: dict | None = None, *, limit: int | None = None,
              offset: int = 0) -> Result:
        from pyparsing import ParseException

        try:
            answer = self.dataset.query(text, initBindings=bindings or {})
        except ParseException as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except Exception as exc:  # rdflib raises many kinds while evaluating
            raise QueryError(f"rdflib's engine failed on this query ({' '.join(str(exc).split())[:200]}); "
                             "the default engine answers it: leave out --engine rdflib") from exc
        if answer.type == "ASK":
            return Result([], [], bool(answer.askAnswer))
        if answer.type != "SELECT":
            raise QueryError("only SELECT and ASK queries are supported here")
        variables = [str(v) for v in answer.vars]
        rows = [{k: _rdflib_term(row[k]) for k in variables if row[k] is not None} for row in answer]
        return page(Result(variables, rows), limit, offset)


def open_engine(source, name: str = "oxigraph") -> Engine:
    """An engine over N-Quads, by name (``oxigraph`` or ``rdflib``).

    ``source`` is a path (a :class:`~pathlib.Path`, or a string naming a file such as
    ``"build/kg.nq"``), or the N-Quads themselves as ``bytes`` or a string of several lines. A string
    that looks like a file name but names no file is a :class:`QueryError` saying so. For Oxigraph
    and the path of a build's ``kg.nq``, the on-disk store the build left beside it (``store/``) is
    opened read-only when it is complete and up to date: nothing is parsed.
    """
    if isinstance(source, str) and "\n" not in source.strip() and not source.rstrip().endswith(" ."):
        path = Path(source).expanduser()
        if not path.is_file():
            raise QueryError(f"{source}: no such file; build it with kg build, or pass the N-Quads text itself")
        source = path
    if name == "oxigraph":
        if isinstance(source, Path) and (store := _fresh_store(source)) is not None:
            try:
                return OxigraphEngine.read_only(store)
            except QueryError as exc:  # a damaged store: the N-Quads beside it give the same answers, slower
                import sys

                from kg.output import one_line

                print(f"kg: warning: {one_line(exc)} (answering from {one_line(source.name)} meanwhile, which is slower)",
                      file=sys.stderr)
        return OxigraphEngine(source)
    if name == "rdflib":
        return RdflibEngine(source)
    raise QueryError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
