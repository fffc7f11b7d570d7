"""Namespaces of the ontology, the instance data and the reused vocabularies.

The ontology namespace is a checked :class:`rdflib.namespace.DefinedNamespace`: a typo in a term
the code uses fails at import time instead of silently minting a new IRI.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace, URIRef

from kg.iris import BASE, INSTANCE_KINDS, PREFIXES, shorten, turtle_prefixes

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

# the prefixes themselves live in kg.iris, which the query path imports without rdflib
assert PREFIXES["kg"] == str(KG._NS) and PREFIXES["ev"] == str(EV)


def bind_prefixes(graph) -> None:
    """Bind the project prefixes on an rdflib graph or dataset."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, Namespace(iri), override=True, replace=True)
