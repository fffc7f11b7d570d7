"""The query engine, chosen by name in one place, and the built graph it serves.

Two embedded engines answer the same SPARQL over the same built dataset:

* ``oxigraph`` (default): pyoxigraph's in-memory store; see ``bench/RESULTS.md`` for the figures
  that made it the default;
* ``rdflib``: rdflib's own SPARQL engine over an in-memory ``Dataset``.

Both return SPARQL 1.1 JSON-style bindings (``{"type": "uri", "value": ...}``), the same shape
SPARQLWrapper returns from a remote endpoint, so results compare and format alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["ENGINES", "QueryError", "Result", "Engine", "open_engine", "built_file", "is_stale"]

ENGINES = ("oxigraph", "rdflib")


class QueryError(Exception):
    """A query is malformed or failed; the message says what is wrong."""


@dataclass
class Result:
    """A SELECT result (``variables`` and ``rows``) or an ASK answer (``boolean``)."""

    variables: list[str]
    rows: list[dict[str, dict]]
    boolean: bool | None = None

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


def is_stale(root: Path) -> bool:
    """True when the built graph is missing or older than any input file."""
    from kg.load import find_files

    target = built_file(root)
    if not target.exists():
        return True
    built = target.stat().st_mtime
    return any(path.stat().st_mtime > built for path, _ in find_files(root))


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


def _rdflib_to_ox(term):
    import pyoxigraph as ox
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

    def query(self, text: str, bindings: dict | None = None) -> Result:  # pragma: no cover - interface
        raise NotImplementedError


class OxigraphEngine(Engine):
    name = "oxigraph"

    def __init__(self, nquads: bytes | str | Path):
        import pyoxigraph as ox

        self.store = ox.Store()
        if isinstance(nquads, Path):
            self.store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        else:
            self.store.bulk_load(input=nquads, format=ox.RdfFormat.N_QUADS)

    def query(self, text: str, bindings: dict | None = None) -> Result:
        import pyoxigraph as ox

        subs = {ox.Variable(k): _rdflib_to_ox(v) for k, v in (bindings or {}).items()}
        try:
            answer = self.store.query(text, substitutions=subs or None)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}") from exc
        if isinstance(answer, ox.QueryBoolean):
            return Result([], [], bool(answer))
        if not isinstance(answer, ox.QuerySolutions):
            raise QueryError("only SELECT and ASK queries are supported here; use kg build outputs for graphs")
        variables = [v.value for v in answer.variables]
        rows = []
        for solution in answer:
            row = {}
            for name in variables:
                term = solution[name]
                if term is not None:
                    row[name] = _ox_term(term)
            rows.append(row)
        return Result(variables, rows)


class RdflibEngine(Engine):
    name = "rdflib"

    def __init__(self, nquads: bytes | str | Path):
        from rdflib import Dataset

        self.dataset = Dataset()
        if isinstance(nquads, Path):
            self.dataset.parse(str(nquads), format="nquads")
        else:
            self.dataset.parse(data=nquads, format="nquads")

    def query(self, text: str, bindings: dict | None = None) -> Result:
        from pyparsing import ParseException

        try:
            answer = self.dataset.query(text, initBindings=bindings or {})
        except ParseException as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except Exception as exc:  # rdflib raises many kinds while evaluating
            raise QueryError(f"query failed: {exc}") from exc
        if answer.type == "ASK":
            return Result([], [], bool(answer.askAnswer))
        if answer.type != "SELECT":
            raise QueryError("only SELECT and ASK queries are supported here")
        variables = [str(v) for v in answer.vars]
        rows = [{k: _rdflib_term(row[k]) for k in variables if row[k] is not None} for row in answer]
        return Result(variables, rows)


def open_engine(source, name: str = "oxigraph") -> Engine:
    """An engine over N-Quads, by name (``oxigraph`` or ``rdflib``).

    ``source`` is a path (a :class:`~pathlib.Path`, or a string naming a file such as
    ``"build/kg.nq"``), or the N-Quads themselves as ``bytes`` or a string of several lines. A string
    that looks like a file name but names no file is a :class:`QueryError` saying so.
    """
    if isinstance(source, str) and "\n" not in source.strip() and not source.rstrip().endswith(" ."):
        path = Path(source).expanduser()
        if not path.is_file():
            raise QueryError(f"{source}: no such file; build it with kg build, or pass the N-Quads text itself")
        source = path
    if name == "oxigraph":
        return OxigraphEngine(source)
    if name == "rdflib":
        return RdflibEngine(source)
    raise QueryError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
