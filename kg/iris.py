"""Prefixes of the project's IRIs and their short forms, without rdflib.

The query path (``kg query``, ``kg sparql``) needs only these strings; importing rdflib costs more
than the question itself on the curated graph, so they live here and :mod:`kg.namespaces` (the
checked rdflib namespaces of the build) re-exports them.
"""

from __future__ import annotations

__all__ = ["BASE", "INSTANCE_KINDS", "PREFIXES", "turtle_prefixes", "shorten", "is_absolute_iri"]

BASE = "https://w3id.org/kzkg/"

#: Instance prefixes: one per kind of entity, so that IRIs read as ``group:hizb-ut-tahrir``.
INSTANCE_KINDS = (
    "group", "person", "agency", "intl", "organization", "event", "law", "place",
    "source", "work", "note", "stat", "quantity", "topic", "finding", "position",
)

PREFIXES: dict[str, str] = {
    "kg": BASE + "ontology#",
    **{kind: BASE + f"id/{kind}/" for kind in INSTANCE_KINDS},
    "ev": BASE + "id/evidence/",
    "disagreement": BASE + "id/disagreement/",  # (kg:Disagreement records, graph/disagreements/)
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "time": "http://www.w3.org/2006/time#",
    "qb": "http://purl.org/linked-data/cube#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "sh": "http://www.w3.org/ns/shacl#",
}


def turtle_prefixes() -> str:
    """``@prefix`` lines for every project prefix, to head Turtle or TriG written in code."""
    return "".join(f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in PREFIXES.items())


def shorten(iri: str) -> str:
    """Return ``prefix:local`` for an IRI in a known namespace, else the IRI itself."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best):
            best, name = ns, prefix
    if best:
        local = iri[len(best):]
        if local and all(c.isalnum() or c in "-_." for c in local):
            return f"{name}:{local}"
    return iri


def is_absolute_iri(value: str) -> bool:
    """True when ``value`` is an absolute IRI (RFC 3987, as pyoxigraph's parser reads it: a scheme, no
    space, control character or ``<>"{}|^`\\``) that a store can name a graph with; raises nothing."""
    import pyoxigraph as ox

    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return ":" in value and "\x00" not in value
