"""The duplicates check: entities of one class with similar names whose dates and places overlap.

Two entities are likely duplicates when they share their most specific class, some pair of their
names (labels and aliases, after :func:`kg.search.normalise`) scores at least :data:`THRESHOLD` on
rapidfuzz's ``token_sort_ratio``, their years overlap (or one has none) and their places overlap
once widened through ``schema:containedInPlace`` (or one has none), and the words in which the
names differ look like one misspelt word, not two numbers or two other names. ``owl:differentFrom`` between
the two, in either direction, marks a pair as checked and different: it is no longer listed; so
does any other direct link between them (one is part of, or amends, the other).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.namespace import SKOS

from kg.namespaces import PREFIXES, SCHEMA, shorten

__all__ = ["Duplicate", "THRESHOLD", "find_duplicates", "format_duplicates"]

THRESHOLD = 90
_K = PREFIXES["kg"]
NAME_PROPERTIES = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SCHEMA.name)
DATE_PROPERTIES = tuple(URIRef(p) for p in (
    _K + "date", _K + "earliestDate", _K + "latestDate", str(SCHEMA.startDate), str(SCHEMA.endDate),
    str(SCHEMA.datePublished), str(SCHEMA.foundingDate), str(SCHEMA.dissolutionDate)))
PLACE_PROPERTIES = tuple(URIRef(p) for p in (
    _K + "place", _K + "basedIn", _K + "refArea", str(SCHEMA.containedInPlace), str(SCHEMA.location)))
_YEAR = re.compile(r"^-?(\d{4})")


@dataclass(frozen=True, order=True)
class Duplicate:
    """Two entities of one class that are probably one: their names, the class and the name score."""

    a: str
    b: str
    cls: str
    score: int
    name_a: str
    name_b: str

    def describe(self) -> str:
        return (f"{shorten(self.a)} ({self.name_a!r}) and {shorten(self.b)} ({self.name_b!r}) may be one "
                f"{shorten(self.cls)} (names {self.score}% alike): merge them, or state owl:differentFrom")


def _specific_classes(graph) -> dict[URIRef, set[URIRef]]:
    subclasses: dict[URIRef, set[URIRef]] = {}
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        subclasses.setdefault(sup, set()).add(sub)
    out: dict[URIRef, set[URIRef]] = {}
    for s, c in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and not str(s).startswith(_K):
            out.setdefault(s, set()).add(c)
    return {s: {c for c in cs if not (subclasses.get(c, set()) & cs - {c})} for s, cs in out.items()}


def _years(graph, entity) -> set[int]:
    return {int(m.group(1)) for p in DATE_PROPERTIES for v in graph.objects(entity, p)
            if (m := _YEAR.match(str(v)))}


def _places(graph, entity) -> set:
    places = {o for p in PLACE_PROPERTIES for o in graph.objects(entity, p) if isinstance(o, URIRef)}
    stack = list(places)
    while stack:
        for up in graph.objects(stack.pop(), SCHEMA.containedInPlace):
            if up not in places:
                places.add(up)
                stack.append(up)
    return places


def _alike(a: str, b: str) -> bool:
    """The words that differ look like one misspelt word, not another name or number.

    ``article 174`` / ``article 233`` and ``Northern`` / ``Southern Kazakhstan`` differ; a name that
    adds words to the other (``Tengrinews`` / ``Tengrinews TV``) may be the same thing.
    """
    from rapidfuzz import fuzz

    wa, wb = set(a.split()), set(b.split())
    only_a, only_b = wa - wb, wb - wa
    if not only_a or not only_b:
        return True
    if any(w.isdigit() for w in only_a) and any(w.isdigit() for w in only_b):
        return False
    return fuzz.ratio(" ".join(sorted(only_a)), " ".join(sorted(only_b))) >= 80


def find_duplicates(dataset, threshold: int = THRESHOLD) -> list[Duplicate]:
    """Likely duplicates in a built dataset (rdflib ``Dataset``), sorted; see the module for the rules."""
    from rapidfuzz import fuzz, process

    from kg.search import normalise

    from kg.buildrdf import default_graph_reader

    graph = default_graph_reader(dataset)  # (rdflib's look-ups, faster)
    classes = _specific_classes(graph)
    for node in graph.subjects(URIRef(_K + "generatedLabel"), None):
        classes.pop(node, None)  # generated labels (kg.labels) are made from facts, not names
    names: dict[URIRef, list[tuple[str, str]]] = {}
    for prop in NAME_PROPERTIES:
        for s, label in graph.subject_objects(prop):
            if s in classes and normalise(str(label)):
                names.setdefault(s, []).append((normalise(str(label)), str(label)))
    different = {frozenset((a, b)) for a, b in graph.subject_objects(OWL.differentFrom)}
    by_class: dict[URIRef, list[tuple[URIRef, str, str]]] = {}
    for entity, found in names.items():
        for cls in classes[entity]:
            by_class.setdefault(cls, []).extend((entity, key, text) for key, text in found)
    out: dict[frozenset, Duplicate] = {}
    for cls, rows in sorted(by_class.items()):
        keys = [key for _, key, _ in rows]
        scores = process.cdist(keys, keys, scorer=fuzz.token_sort_ratio, score_cutoff=threshold, workers=1)
        for i, j in zip(*scores.nonzero()):
            (a, _, ta), (b, _, tb) = rows[i], rows[j]
            if str(a) >= str(b) or frozenset((a, b)) in different or not _alike(rows[i][1], rows[j][1]):
                continue
            if graph.value(a, None, b) is not None or graph.value(b, None, a) is not None:
                continue  # already related (part of, amends...): a curator has told them apart
            ya, yb = _years(graph, a), _years(graph, b)
            if ya and yb and (max(ya) < min(yb) or max(yb) < min(ya)):
                continue
            pa, pb = _places(graph, a), _places(graph, b)
            if pa and pb and not pa & pb:
                continue
            found = Duplicate(str(a), str(b), str(cls), int(scores[i, j]), ta, tb)
            pair = frozenset((a, b))
            if pair not in out or found.score > out[pair].score:
                out[pair] = found
    return sorted(out.values())


def format_duplicates(duplicates: list[Duplicate]) -> str:
    """One line per likely duplicate, for ``kg build --duplicates``."""
    return "\n".join(d.describe() for d in duplicates)
