"""Named questions (``queries/*.rq``), parameter binding, ad-hoc SPARQL and result formats.

Each named query is one ``.rq`` file whose header states the question and its parameters::

    #+ summary: Which attacks happened in a place, with date, perpetrator and casualties?
    #+ params:
    #+   - place: entity; a place IRI, label or alias; optional
    #+   - from: integer; first year; default 1990

A parameter line is ``- NAME: TYPE; DESCRIPTION; default VALUE | optional | required``. Types:
``entity`` (an IRI, a prefixed name such as ``group:isil``, or any label or alias, matched case-
and accent-insensitively), ``class`` (a prefixed class name), ``document`` (000 to 004),
``integer`` and ``string``. Values are bound by the engine (pyoxigraph ``substitutions``, rdflib
``initBindings``), never pasted into the query text.

Conventions that make one query text run alike on every engine: every parameter is always bound
(an optional entity that is not given is bound to the wildcard ``kg:any``, tested as
``FILTER(?place = kg:any || EXISTS { ... ?place ... })``); every parameter variable is projected by
the ``SELECT`` (and listed in ``GROUP BY``), as pyoxigraph requires; :func:`run_named` drops the
parameter columns from what it returns.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.namespaces import PREFIXES, shorten
from kg.store import QueryError, Result

__all__ = [
    "Param",
    "NamedQuery",
    "ParamError",
    "load_queries",
    "get_query",
    "parse_query_file",
    "bind",
    "resolve_entity",
    "format_result",
    "FORMATS",
    "normalise",
    "run_named",
    "ANY",
]

ANY = URIRef(PREFIXES["kg"] + "any")
QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
TYPES = ("entity", "class", "document", "integer", "string")
FORMATS = ("table", "csv", "tsv", "json")
LABEL_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
SELECT ?e ?label ?rank WHERE {
  { ?e skos:prefLabel ?label BIND(0 AS ?rank) } UNION { ?e skos:altLabel ?label BIND(1 AS ?rank) }
  UNION { ?e schema:name ?label BIND(2 AS ?rank) }
}
"""


class ParamError(QueryError):
    """A parameter is unknown, missing or has a bad value."""


@dataclass
class Param:
    name: str
    type: str
    description: str
    default: str | None = None
    required: bool = False


@dataclass
class NamedQuery:
    name: str
    path: Path
    summary: str
    text: str
    params: list[Param] = field(default_factory=list)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


_PARAM_LINE = re.compile(r"^#\+\s+-\s*([A-Za-z_]\w*)\s*:\s*(\w+)\s*;\s*(.*)$")


def parse_query_file(path: Path) -> NamedQuery:
    """Read a ``.rq`` file and its header; a malformed header names the file and line."""
    text = path.read_text(encoding="utf-8")
    summary, params = "", []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#+"):
            if line.strip() and not line.startswith("#"):
                break
            continue
        if line.startswith("#+ summary:"):
            summary = line.split(":", 1)[1].strip()
        elif line.startswith("#+   -") or line.startswith("#+ -"):
            m = _PARAM_LINE.match(line)
            if not m or m.group(2) not in TYPES:
                raise QueryError(f"{path}:{lineno}: bad parameter line; write '#+   - NAME: TYPE; description; "
                                 f"default VALUE | optional | required' with TYPE one of {', '.join(TYPES)}")
            name, ptype, rest = m.groups()
            parts = [p.strip() for p in rest.split(";")]
            default, required = None, False
            for part in parts[1:]:
                if part.startswith("default "):
                    default = part[len("default "):].strip()
                elif part == "required":
                    required = True
            params.append(Param(name, ptype, parts[0], default, required))
    if not summary:
        raise QueryError(f"{path}:1: missing '#+ summary: <the question>' header")
    return NamedQuery(path.stem, path, summary, text, params)


def load_queries(folder: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every named query in the folder (not its ``checks/``), by name."""
    return {p.stem: parse_query_file(p) for p in sorted(folder.glob("*.rq"))}


def get_query(name: str, folder: Path = QUERIES_DIR) -> NamedQuery:
    queries = load_queries(folder)
    if name not in queries:
        close = get_close_matches(name, list(queries), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; kg queries lists them"
        raise QueryError(f"no named query {name!r}{hint}")
    return queries[name]


def normalise(text: str) -> str:
    """Case- and accent-insensitive form of a label, with white space folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().replace("’", "'").split())


def expand(value: str) -> str | None:
    """A full IRI from ``<iri>``, ``http(s)://...`` or a known ``prefix:local``; else ``None``."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if re.match(r"^https?://\S+$", value):
        return value
    m = re.match(r"^([A-Za-z][\w-]*):([\w.\-]+)$", value)
    if m and m.group(1) in PREFIXES:
        return PREFIXES[m.group(1)] + m.group(2)
    return None


def resolve_entity(engine, value: str) -> URIRef:
    """An entity IRI from an IRI, a prefixed name, or a label or alias (unique match required)."""
    iri = expand(value)
    if iri:
        if not re.match(r"^[^\s<>\"{}|\\^`]+$", iri):
            raise ParamError(f"{value!r} is not a valid IRI")
        return URIRef(iri)
    needle = normalise(value)
    labels: dict[str, dict[str, int]] = {}
    for row in engine.query(LABEL_QUERY).rows:
        ranks = labels.setdefault(normalise(row["label"]["value"]), {})
        iri, rank = row["e"]["value"], int(row["rank"]["value"])
        ranks[iri] = min(rank, ranks.get(iri, rank))
    ranks = labels.get(needle, {})
    best = min(ranks.values(), default=None)
    # a preferred label beats an alias, which beats a title: "Kazakhstan" is the country
    found = {iri for iri, rank in ranks.items() if rank == best}
    if len(found) == 1:
        return URIRef(found.pop())
    if len(found) > 1:
        raise ParamError(f"{value!r} names {len(found)} entities: {', '.join(sorted(shorten(f) for f in found))}; give one IRI")
    close = get_close_matches(needle, list(labels), n=3, cutoff=0.75)
    hint = f"; close labels: {', '.join(repr(c) for c in close)}" if close else ""
    raise ParamError(f"no entity is labelled {value!r}{hint}")


def _coerce(engine, param: Param, value: str):
    if param.type == "entity":
        return resolve_entity(engine, value)
    if param.type == "class":
        iri = expand(value) or expand("kg:" + value)
        if not iri:
            raise ParamError(f"--param {param.name}: {value!r} is not a class name (for example kg:Attack)")
        return URIRef(iri)
    if param.type == "document":
        m = re.fullmatch(r"(?:source:)?d?(\d{3})", value.strip())
        if not m:
            raise ParamError(f"--param {param.name}: {value!r} is not a document id (000 to 004)")
        return URIRef(PREFIXES["source"] + "d" + m.group(1))
    if param.type == "integer":
        if not re.fullmatch(r"-?\d+", value.strip()):
            raise ParamError(f"--param {param.name}: {value!r} is not an integer")
        return Literal(int(value), datatype=XSD.integer)
    return Literal(value)


def bind(query: NamedQuery, given: dict[str, str], engine) -> dict[str, object]:
    """Check and convert parameters (given, else defaults) to RDF terms to bind by the engine."""
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params) or "none"
        raise ParamError(f"query {query.name} has no parameter {', '.join(unknown)} (its parameters: {known})")
    bindings = {}
    for param in query.params:
        value = given.get(param.name, param.default)
        if value is None:
            if param.required:
                raise ParamError(f"query {query.name} needs --param {param.name}=... ({param.description})")
            bindings[param.name] = ANY
            continue
        bindings[param.name] = _coerce(engine, param, value)
    return bindings


def run_named(engine, query: NamedQuery, given: dict[str, str] | None = None) -> Result:
    """Bind the parameters of a named query, run it, and drop the parameter columns."""
    bindings = bind(query, given or {}, engine)
    result = engine.query(query.text, bindings)
    if result.boolean is not None:
        return result
    hidden = set(bindings)
    variables = [v for v in result.variables if v not in hidden]
    rows = [{k: v for k, v in row.items() if k not in hidden} for row in result.rows]
    return Result(variables, rows)


def parse_param_args(items: list[str]) -> dict[str, str]:
    """``["key=value", ...]`` -> dict; a malformed item is refused."""
    out = {}
    for item in items:
        if "=" not in item:
            raise ParamError(f"--param {item!r}: write --param NAME=VALUE")
        key, value = item.split("=", 1)
        if not re.fullmatch(r"[A-Za-z_]\w*", key.strip()):
            raise ParamError(f"--param {item!r}: {key!r} is not a parameter name")
        out[key.strip()] = value
    return out


def _cell(term: dict | None, short: bool) -> str:
    if term is None:
        return ""
    value = term["value"]
    return shorten(value) if short and term["type"] == "uri" else value


def format_result(result: Result, fmt: str = "table", *, width: int | None = None,
                  columns: list[str] | None = None, engine=None) -> str:
    """Render a result as a table that fits the terminal (:mod:`kg.tables`), CSV, TSV or SPARQL 1.1 JSON.

    ``columns`` keeps only the named columns (every format); ``width`` and ``engine`` (to show
    statistics and findings by their values) apply to the table.
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "table" and result.boolean is None:
        from kg.tables import format_table

        return format_table(result, width=width, columns=columns, engine=engine)
    if columns and result.boolean is None:
        from kg.tables import select_columns

        result = select_columns(result, columns)
    if fmt == "json":
        if result.boolean is not None:
            return json.dumps({"head": {}, "boolean": result.boolean}, indent=2)
        return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": result.rows}},
                          indent=2, ensure_ascii=False)
    if result.boolean is not None:
        return "true" if result.boolean else "false"
    rows = [[_cell(r.get(v), False) for v in result.variables] for r in result.rows]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
    writer.writerow(result.variables)
    writer.writerows(rows)
    return buf.getvalue().rstrip("\n")
