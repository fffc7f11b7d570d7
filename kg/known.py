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

__all__ = ["require_class", "require_instance", "require_concept", "require_entity", "require_document",
           "check_network_filters", "MAX_INTEGER_DIGITS"]

MAX_INTEGER_DIGITS = 18
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f]*$")
CLASSES = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?c WHERE { ?c a owl:Class FILTER(isIRI(?c)) }"""
# the classes with their direct superclasses, for a class parameter limited to some (one small query)
HIERARCHY = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?c ?s WHERE { ?c a owl:Class FILTER(isIRI(?c)) OPTIONAL { ?c rdfs:subClassOf ?s FILTER(isIRI(?s)) } }"""
# the types of one entity (kg build states every superclass too), each with a direct subclass the
# entity also has: a type without one is its most specific class
TYPES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?t ?sub WHERE { <%s> a ?t OPTIONAL { <%s> a ?sub . ?sub rdfs:subClassOf ?t FILTER(?sub != ?t) } }"""
EXAMPLE = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?e WHERE { ?e a <%s> ; skos:prefLabel ?l } ORDER BY ?l LIMIT 1"""
CONCEPTS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?c ?l WHERE { ?c skos:inScheme <%s> OPTIONAL { ?c skos:prefLabel ?l } } ORDER BY ?c"""
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


def require_class(engine, iri, given: str, name: str, within=()):
    """``iri`` if the ontology declares it as a class (and, with ``within``, full IRIs of classes, if it
    is one of them, a subclass or a superclass of one: a class that can select their instances); else a
    :class:`ParamError` listing the classes it may be."""
    if not within:
        classes = _rows(engine, CLASSES)
    else:
        parents = _parents(engine)
        up = {c: _closure(c, parents) for c in parents}
        classes = sorted(c for c in parents if any(w in up[c] or c in up.get(w, ()) for w in within))
    if _iri(iri) in classes:
        return iri
    short = [shorten(c) for c in classes if c.startswith(PREFIXES["kg"])]
    if within and _iri(iri) in up:
        wanted = " or ".join(_noun(w).split(" ", 1)[1] for w in within)
        raise _error(f"--param {name}: {shorten(_iri(iri))} selects no {wanted}: give one of {', '.join(short)}")
    raise _error(f"--param {name}: {given!r} is not a class of the ontology; {_listing(short, shorten(_iri(iri)))}")


def _parents(engine) -> dict[str, set[str]]:
    """Every class the ontology declares, with its direct superclasses (full IRIs)."""
    parents: dict[str, set[str]] = {}
    for row in engine.query(HIERARCHY).rows:
        parents.setdefault(row["c"]["value"], set()).update([row["s"]["value"]] if row.get("s") else [])
    return parents


def _closure(cls: str, parents: dict[str, set[str]]) -> set[str]:
    """``cls`` and every class above it (rdfs:subClassOf, any number of steps)."""
    seen, todo = {cls}, [cls]
    while todo:
        for p in parents.get(todo.pop(), ()):
            if p not in seen:
                seen.add(p)
                todo.append(p)
    return seen


def _noun(iri: str) -> str:
    """``a state agency`` for kg:StateAgency: the class's local name as words, with its article."""
    local = re.split(r"[#/]", iri)[-1]
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local)
    words = " ".join(w if w.isupper() else w.lower() for w in words.split())
    vowel = words[:1] in "aeiou" or (words[:1] in "AEFHILMNORSX" and words.split()[0].isupper())
    return f"{'an' if vowel else 'a'} {words}"


def require_instance(engine, iri, name: str, within) -> object:
    """``iri`` if the entity is of one of the classes ``within`` (full IRIs), by its ``rdf:type``s (one
    small query, on any store); else a :class:`ParamError` saying what it is, what to give and an
    example of what to give."""
    value = _iri(iri)
    rows = engine.query(TYPES % (value, value)).rows
    types = {row["t"]["value"] for row in rows}
    if types & set(within):
        return iri
    # a graph that states only the most specific class (not built by kg build): the ontology's hierarchy
    # decides; a graph without the ontology, which declares none of the classes, cannot, and is not refused
    parents = _parents(engine)
    if any(set(within) & _closure(t, parents) for t in types) or not set(within) & set(parents):
        return iri
    specific = sorted(t for t in {row["t"]["value"] for row in rows if not row.get("sub")} if t.startswith(PREFIXES["kg"]))
    specific = specific or sorted({row["t"]["value"] for row in rows if not row.get("sub")})
    what = f"is {_noun(specific[0])} ({', '.join(map(shorten, specific))})" if specific else "has no class in the graph"
    wanted = " or ".join(_noun(w) for w in within)
    examples = [row["e"]["value"] for w in within[:1] for row in engine.query(EXAMPLE % w).rows]
    example = f", e.g. {shorten(examples[0])}" if examples else ""
    raise _error(f"--param {name}: {shorten(value)} {what}, not {wanted}: give {wanted}{example}; "
                 "kg search NAME finds one")


def require_concept(engine, given: str, name: str, scheme: str) -> str:
    """The label of the concept of ``scheme`` (a full IRI) that ``given`` names, by its label or its local
    name (case-, accent- and space-insensitive) or its IRI (``kg:Rounding``); else a :class:`ParamError` naming every accepted value."""
    from kg.query import expand, normalise

    concepts = [(row["c"]["value"], row["l"]["value"] if row.get("l") else "") for row in engine.query(CONCEPTS % scheme).rows]
    wanted = normalise(given).replace(" ", "")
    for iri, label in concepts:
        local = re.split(r"[#/]", iri)[-1]
        if wanted in (normalise(label).replace(" ", ""), local.casefold()) or expand(given) == iri:
            return label or local
    accepted = ", ".join(f"{label} ({re.split(r'[#/]', iri)[-1]})" if label else re.split(r"[#/]", iri)[-1]
                         for iri, label in sorted(concepts, key=lambda c: c[1]))
    raise _error(f"--param {name}: {given[:60]!r} is no concept of {shorten(scheme)}; give one of: {accepted or 'none (the scheme is empty)'}")


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
