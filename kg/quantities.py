"""The quantities check: statistics that seem to count one thing under two quantities.

A quantity (``kg:Quantity``) names the thing counted; categories (``kg:category``), periods and places
are qualifiers of each statistic. When the same thing is filed under two quantities, no question puts
its estimates side by side. Two quantities are listed when

* their labels (after :func:`kg.search.normalise`) score at least :data:`THRESHOLD` on rapidfuzz's
  ``token_set_ratio`` (one label's words are nearly all in the other's), or
* a category of a statistic of one scores at least :data:`THRESHOLD` against the label of the
  other (the thing counted written as a category),

and their statistics share a unit. ``owl:differentFrom`` between the two quantities marks a pair as
checked and different. Used by ``kg build`` (a warning per pair) and ``kg build --quantities``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import OWL, RDF, URIRef
from rdflib.namespace import SKOS

from kg.namespaces import PREFIXES, shorten

__all__ = ["QuantityOverlap", "THRESHOLD", "find_quantity_overlaps", "format_quantity_overlaps"]

THRESHOLD = 85
_K = PREFIXES["kg"]


@dataclass(frozen=True, order=True)
class QuantityOverlap:
    """Two quantities whose statistics may count the same thing, and why."""

    a: str
    b: str
    score: int
    why: str

    def describe(self) -> str:
        return (f"{shorten(self.a)} and {shorten(self.b)} may count one thing ({self.why}, {self.score}% alike): "
                "file their statistics under one quantity with categories, or state owl:differentFrom")


def find_quantity_overlaps(dataset) -> list[QuantityOverlap]:
    """Pairs of quantities of ``dataset`` (an rdflib ``Dataset`` as built) that may count one thing.

    Returns the pairs sorted by IRIs, each once; an empty list when every quantity counts its own thing.
    """
    from rapidfuzz import fuzz

    from kg.search import normalise

    from kg.buildrdf import default_graph_reader

    graph = default_graph_reader(dataset)  # (rdflib's look-ups, faster)
    quantity = URIRef(_K + "Quantity")
    labels = {q: normalise(str(graph.value(q, SKOS.prefLabel) or "")) for q in graph.subjects(RDF.type, quantity)}
    units: dict[URIRef, set[str]] = {}
    categories: dict[URIRef, set[str]] = {}
    for stat, q in graph.subject_objects(URIRef(_K + "quantity")):
        units.setdefault(q, set()).update(str(u) for u in graph.objects(stat, URIRef(_K + "unit")))
        categories.setdefault(q, set()).update(normalise(str(c)) for c in graph.objects(stat, URIRef(_K + "category")))
    different = {frozenset((a, b)) for a, b in graph.subject_objects(OWL.differentFrom)}
    found: dict[frozenset, QuantityOverlap] = {}
    names = sorted(q for q in labels if labels[q] and q in units)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if frozenset((a, b)) in different or not (units[a] & units[b]):
                continue
            score = int(fuzz.token_set_ratio(labels[a], labels[b]))
            why = "labels"
            for x, y in ((a, b), (b, a)):
                for cat in categories.get(x, ()):
                    s = int(fuzz.token_set_ratio(cat, labels[y])) if len(cat.split()) >= 2 else 0
                    if s > score:
                        score, why = s, f"a category of {shorten(str(x))} names the other"
            if score >= THRESHOLD:
                found[frozenset((a, b))] = QuantityOverlap(str(a), str(b), score, why)
    return sorted(found.values())


def format_quantity_overlaps(overlaps: list[QuantityOverlap]) -> str:
    """One line per pair, or a line saying there are none."""
    if not overlaps:
        return "no two quantities seem to count the same thing"
    return "\n".join(o.describe() for o in overlaps)
