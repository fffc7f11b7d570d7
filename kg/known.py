"""Unknown values refused with the known ones listed: classes, entity IRIs, documents, network filters.

A parameter naming a class, an entity or a document the graph does not hold would otherwise give an
empty answer and exit 0, which reads as "none". These functions raise :class:`kg.query.ParamError`
(or ``KeyError`` for the network filters, as :func:`kg.network.filter_graph` does) with the known
values, or the closest ones.
"""

from __future__ import annotations

import re

from kg.iris import PREFIXES, shorten
from kg.store import QueryError

__all__ = ["require_class", "require_entity", "require_document", "check_network_filters", "MAX_INTEGER_DIGITS"]

MAX_INTEGER_DIGITS = 18
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f]*$")
CLASSES = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?c WHERE { ?c a owl:Class FILTER(isIRI(?c)) }"""
DOCUMENTS = """PREFIX kg: <https://w3id.org/kzkg/ontology#>
SELECT DISTINCT ?d WHERE { ?d kg:documentId ?id }"""
# a SELECT with LIMIT 1, not an ASK: Virtuoso 7 answers ASK in JSON as a one-row table
EXISTS = "SELECT ?p WHERE { { ?e ?p ?o } UNION { ?s ?p ?e } } LIMIT 1"


def _error(message: str) -> QueryError:
    from kg.query import ParamError

    return ParamError(message)


def _listing(known: list[str], given: str, limit: int = 12) -> str:
    from difflib import get_close_matches  # only for a refused value

    close = get_close_matches(given, known, n=3, cutoff=0.6)
    if close:
        return f"closest: {', '.join(close)}"
    more = f" (and {len(known) - limit} more)" if len(known) > limit else ""
    return f"known: {', '.join(known[:limit])}{more}"


def _iri(term) -> str:
    """The IRI of an rdflib ``URIRef`` or a pyoxigraph ``NamedNode``, as text."""
    return getattr(term, "value", None) or str(term)


def _rows(engine, text) -> list[str]:
    return sorted(row[next(iter(row))]["value"] for row in engine.query(text).rows if row)


def require_class(engine, iri, given: str, name: str):
    """``iri`` if the ontology declares it as a class; else a :class:`ParamError` listing classes."""
    classes = _rows(engine, CLASSES)
    if _iri(iri) in classes:
        return iri
    short = [shorten(c) for c in classes if c.startswith(PREFIXES["kg"])]
    raise _error(f"--param {name}: {given!r} is not a class of the ontology; {_listing(short, shorten(_iri(iri)))}")


def require_entity(engine, iri, given: str, option: str | None = None):
    """``iri`` if it is a valid IRI the graph mentions; else a :class:`ParamError` saying so, beginning
    with ``option`` (such as ``--param entity``) when given."""
    prefix = f"{option}: " if option else ""
    if not _IRI.match(_iri(iri)):
        raise _error(f"{prefix}{given!r} is not a valid IRI (no spaces, quotes or angle brackets)")
    if _iri(iri) == PREFIXES["kg"] + "any":
        return iri
    # the IRI is checked above, so it can stand in the query text
    if not engine.query(EXISTS.replace("?e", "<" + _iri(iri) + ">")).rows:
        raise _error(f"{prefix}the graph holds nothing about {shorten(_iri(iri))}; give a label or alias, "
                     "or an IRI of the graph (kg search NAME finds them)")
    return iri


def require_document(engine, iri, given: str, name: str):
    """``iri`` if it is a document of ``graph/sources.ttl``; else a :class:`ParamError` listing them."""
    documents = _rows(engine, DOCUMENTS)
    if _iri(iri) in documents:
        return iri
    ids = [d.rsplit("/", 1)[-1].lstrip("d") for d in documents]
    raise _error(f"--param {name}: there is no document {given!r}; documents: {', '.join(ids)}")


def check_network_filters(graph, classes=None, relations=None, document=None) -> None:
    """Raise ``KeyError`` for a class, relation or document no node or link of ``graph`` carries."""
    from kg.network import _document_iri, _local, _normalise

    if classes:
        known = sorted({c for _, d in graph.nodes(data=True) for c in d.get("classes", [])})
        labels = {_normalise(d.get("class_label", "")) for _, d in graph.nodes(data=True)}
        names = {_normalise(c) for c in known} | labels
        for given in classes:
            wanted = _normalise(_local(given.split(":", 1)[-1] if given.startswith("kg:") else given))
            if wanted not in names:
                raise KeyError(f"--class {given}: no node of this network has that class; {_listing(known, given, 30)}")
    if relations:
        known = sorted({d.get(k, "") for _, _, d in graph.edges(data=True) for k in ("relation", "kind")} - {""})
        names = {_normalise(r) for r in known} | {_normalise(d.get("label", "")) for _, _, d in graph.edges(data=True)}
        for given in relations:
            if _normalise(given) not in names:
                raise KeyError(f"--relation {given}: no link of this network has that relation or kind; "
                               f"{_listing(known, given, 40)}")
    if document:
        try:
            doc = _document_iri(document)
        except (KeyError, ValueError) as exc:
            raise KeyError(f"--document {document}: {exc}") from None
        known = sorted({e for _, _, d in graph.edges(data=True) for e in d.get("evidence", ())
                        if str(e).startswith(PREFIXES["source"])})
        if doc not in known:
            ids = ", ".join(shorten(str(k)) for k in known)
            raise KeyError(f"--document {document}: no link of this network is stated by that document; documents: {ids}")
