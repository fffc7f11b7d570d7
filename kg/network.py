"""Networks drawn from the graph: projections, filters, metrics and exports.

A projection is a pure function from the built dataset (an engine of :mod:`kg.store` or an rdflib
``Dataset``) to a :class:`networkx.MultiDiGraph`. Every node carries ``label``, ``class`` (the most
specific class), ``classes`` (all its classes, superclasses included), ``aliases``, its dates and
``sources`` (the documents whose evidence spans mention it). Every edge carries ``relation`` (a short
name), ``label`` (the ontology's label of the relation), ``kind`` (membership, leadership, ...),
``evidence`` (the documents that state it) and ``graphs`` (the evidence spans), plus its dates.

Four projections:

* :func:`actor_network`: groups, people, agencies, international and other organizations and states,
  linked by membership, positions, leadership, allegiance, absorption, designation or ban,
  cooperation and their kin;
* :func:`attack_network`: attacks and foiled plots with their perpetrators, places and targets;
* :func:`legal_network`: legal acts, programs and designations with the bodies that adopt and
  enforce them and the groups they ban;
* :func:`source_network`: documents, the works they cite and the entities they back.

Dates: an edge has ``date`` (a point) or ``start_date``/``end_date`` (a period, either end open).
A relation stated through a qualified statement takes its dates; an edge of an event takes the
event's date; an edge of a legal act, a ban or a designation starts at its date and stays open.

The code lives in cohesive modules, all of whose public names this module re-exports (imports of
``kg.network`` keep working): :mod:`kg.network_facts` (what is read from the graph),
:mod:`kg.network_projections` (the four projections), :mod:`kg.network_filters`,
:mod:`kg.network_analysis` (metrics, communities), :mod:`kg.network_layout` (positions computed in
Python, the same in every process) and :mod:`kg.network_exports`.
"""

from __future__ import annotations

from kg.network_analysis import annotate, centrality, communities, metrics_report
from kg.network_exports import EXPORT_FORMATS, export
from kg.network_facts import (
    ACTOR_PREDICATES,
    ATTACK_PREDICATES,
    LEGAL_PREDICATES,
    RELATION_KINDS,
    SOURCE_PREDICATES,
    SYMMETRIC,
    Facts,
    read_facts,
)
from kg.network_filters import (
    by_class,
    by_document,
    by_relation,
    by_years,
    edge_period,
    filter_graph,
    find_node,
    neighbourhood,
)
from kg.network_layout import layout
from kg.network_projections import (
    FIGURE_CLASSES,
    PROJECTIONS,
    actor_network,
    attack_network,
    legal_network,
    project,
    source_network,
)

# helpers other modules reach through kg.network (kg.known)
from kg.network_facts import _local  # noqa: F401, E402
from kg.network_filters import _document_iri, _normalise  # noqa: F401, E402

__all__ = [
    "ACTOR_PREDICATES",
    "ATTACK_PREDICATES",
    "EXPORT_FORMATS",
    "FIGURE_CLASSES",
    "Facts",
    "LEGAL_PREDICATES",
    "PROJECTIONS",
    "RELATION_KINDS",
    "SOURCE_PREDICATES",
    "SYMMETRIC",
    "actor_network",
    "annotate",
    "attack_network",
    "by_class",
    "by_document",
    "by_relation",
    "by_years",
    "centrality",
    "communities",
    "edge_period",
    "export",
    "filter_graph",
    "find_node",
    "layout",
    "legal_network",
    "metrics_report",
    "neighbourhood",
    "project",
    "read_facts",
    "source_network",
]
