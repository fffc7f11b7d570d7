"""Namespaces of the ontology, the instance data and the reused vocabularies.

The ontology namespace is a checked :class:`rdflib.namespace.DefinedNamespace`: a typo in a term
the code uses fails at import time instead of silently minting a new IRI.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace, URIRef

__all__ = [
    "BASE",
    "KG",
    "ID",
    "EV",
    "SOURCE",
    "SCHEMA",
    "ORG",
    "PROV",
    "QB",
    "OA",
    "PREFIXES",
    "turtle_prefixes",
    "bind_prefixes",
    "shorten",
]

BASE = "https://w3id.org/kzkg/"


class KG(DefinedNamespace):
    """Terms of the project ontology that the code refers to."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    Actor: URIRef
    Person: URIRef
    Organization: URIRef
    Group: URIRef
    StateAgency: URIRef
    InternationalOrganization: URIRef
    Event: URIRef
    Attack: URIRef
    FoiledPlot: URIRef
    Designation: URIRef
    LegalAct: URIRef
    Program: URIRef
    Place: URIRef
    Country: URIRef
    Source: URIRef
    Document: URIRef
    CitedWork: URIRef
    Publication: URIRef
    Note: URIRef
    Evidence: URIRef
    Statistic: URIRef
    Quantity: URIRef
    Topic: URIRef
    Position: URIRef
    Finding: URIRef
    document: URIRef
    start: URIRef
    end: URIRef
    sha256: URIRef
    note: URIRef
    fileName: URIRef
    documentId: URIRef
    memberOf: URIRef
    leaderOf: URIRef
    date: URIRef


ID = Namespace(BASE + "id/")
EV = Namespace(BASE + "id/evidence/")
SOURCE = Namespace(BASE + "id/source/")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
QB = Namespace("http://purl.org/linked-data/cube#")
OA = Namespace("http://www.w3.org/ns/oa#")

#: Instance prefixes: one per kind of entity, so that IRIs read as ``group:hizb-ut-tahrir``.
INSTANCE_KINDS = (
    "group", "person", "agency", "intl", "organization", "event", "law", "place",
    "source", "work", "note", "stat", "quantity", "topic", "finding", "position",
)

PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    **{kind: BASE + f"id/{kind}/" for kind in INSTANCE_KINDS},
    "ev": str(EV),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "time": "http://www.w3.org/2006/time#",
    "qb": str(QB),
    "oa": str(OA),
    "dcterms": "http://purl.org/dc/terms/",
    "sh": "http://www.w3.org/ns/shacl#",
}

def turtle_prefixes() -> str:
    """``@prefix`` lines for every project prefix, to head Turtle or TriG written in code."""
    return "".join(f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in PREFIXES.items())


def bind_prefixes(graph) -> None:
    """Bind the project prefixes on an rdflib graph or dataset."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, Namespace(iri), override=True, replace=True)


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
