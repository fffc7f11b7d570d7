"""The mentions check: names of entities written inside a literal on a node that does not link to them.

A description, a finding, a status or a role that names an entity of the graph is a relation held
only as text, which queries and networks cannot see. :func:`find_mentions` looks for every label and
alias of every entity (``skos:prefLabel``, ``skos:altLabel``, ``skos:hiddenLabel``, ``schema:name``)
in every literal of :data:`TEXT_PROPERTIES`, as whole words after :func:`kg.search.normalise`, with
one Aho-Corasick automaton (pyahocorasick) rather than one regular expression per label. Names of
fewer than :data:`MIN_LENGTH` characters are looked for only when written as an acronym in capitals
(``KNB``, ``IMU``); an acronym of any length (``CORE``, ``OSCE``) is looked for case-sensitively in
the text as written, so that a common word spelled alike ("core") is not taken for it. Topics and concepts are left
out (their labels are common nouns); a name several entities hold counts for those whose preferred
label it is, and not at all when the node links to any of them.

A mention is reported unless the node links to the entity: a triple between the two in either
direction, the entity named in an evidence graph that states something about the node, or the node
itself being the entity. ``kg:deliberatelyUnlinked "name"`` on the node marks a mention as deliberate
(a comparison, a name inside a title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from kg.namespaces import KG, PREFIXES, SCHEMA, shorten

__all__ = ["Mention", "TEXT_PROPERTIES", "MIN_LENGTH", "find_mentions", "format_mentions"]

MIN_LENGTH = 4
_K = PREFIXES["kg"]
#: Literal properties whose text is searched for names.
TEXT_PROPERTIES = tuple(URIRef(iri) for iri in (
    str(SCHEMA.description), _K + "addresses", _K + "outcome", _K + "status", _K + "ownership",
    _K + "legalStatus", _K + "adoptionStatus", _K + "operationalStatus", _K + "characterization",
    _K + "role", _K + "function", _K + "category", str(SKOS.editorialNote),
))
NAME_PROPERTIES = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SCHEMA.name)
UNLINKED = URIRef(_K + "deliberatelyUnlinked")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]*[A-Z0-9]$")


@dataclass(frozen=True, order=True)
class Mention:
    """An entity named (as ``name``) in the literal ``prop`` of ``node``, which does not link to it."""

    node: str
    prop: str
    entity: str
    name: str

    def describe(self) -> str:
        return f"{shorten(self.node)} {shorten(self.prop)} names {shorten(self.entity)} ({self.name!r}) without a link"


def _names(graph) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """Normalised names (at least MIN_LENGTH characters) and acronyms -> {entity: rank of the name}.

    Topics and concepts are left out: their labels are common nouns ("women", "police"), not names;
    so are the labels the build generated (kg.labels).
    """
    from rdflib import RDF

    from kg.search import normalise

    generic = set(graph.subjects(RDF.type, KG.Topic)) | set(graph.subjects(RDF.type, SKOS.Concept))
    generic |= set(graph.subjects(URIRef(_K + "generatedLabel"), None))
    names: dict[str, dict[str, int]] = {}
    acronyms: dict[str, dict[str, int]] = {}
    for rank, prop in enumerate(NAME_PROPERTIES):
        for entity, label in graph.subject_objects(prop):
            if not isinstance(entity, URIRef) or str(entity).startswith(_K) or entity in generic:
                continue
            text = str(label).strip()
            key = normalise(text)
            if _ACRONYM.match(text):  # "KNB", "CORE": capitals name it, "core" does not
                holders = acronyms.setdefault(text, {})
            elif len(key) >= MIN_LENGTH:
                holders = names.setdefault(key, {})
            else:
                continue
            holders[str(entity)] = min(rank, holders.get(str(entity), rank))
    return names, acronyms


def _automaton(keys):
    """An automaton of ``keys`` (each its own value), over-long keys left out (:mod:`kg.automaton`)."""
    from kg.automaton import automaton

    return automaton((key, key) for key in keys)


def _found(automaton, text: str, padded: bool) -> set[str]:
    """Keys found in ``text`` as whole words (``padded``: keys and text are space-delimited)."""
    if not len(automaton):
        return set()
    spans = []
    for end, key in automaton.iter(text):
        start = end - len(key) + 1
        if not padded:
            before = text[start - 1] if start > 0 else " "
            after = text[end + 1] if end + 1 < len(text) else " "
            if before.isalnum() or after.isalnum():
                continue
        spans.append((start, end, key))
    # a name inside a longer name found at the same place ("Aktobe" in "Aktobe attacks") is the longer one's
    return {key for start, end, key in spans
            if not any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in spans)}


def find_mentions(dataset) -> list[Mention]:
    """Every unlinked mention in the built dataset (an rdflib ``Dataset`` with its union default graph).

    Returns the mentions sorted by node, property and entity. Raises nothing on odd data: literals
    and names that do not normalise to anything are skipped.
    """
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from kg.search import normalise

    from kg.buildrdf import default_graph_reader

    graph = default_graph_reader(dataset)  # (rdflib's look-ups, faster)
    names, acronyms = _names(graph)
    words = _automaton(f" {key} " for key in names)
    capitals = _automaton(acronyms)
    in_graphs: dict[str, set[str]] = {}  # node -> evidence graphs stating something about it
    terms_of: dict[str, set[str]] = {}  # evidence graph -> every IRI it names
    from kg.buildrdf import graph_triples

    for triples, name in graph_triples(dataset):  # (the store's own sets: Graph.triples is several times slower)
        if name == DATASET_DEFAULT_GRAPH_ID:
            continue
        gid = str(name)
        for s, _, o in triples:
            in_graphs.setdefault(str(s), set()).add(gid)
            terms_of.setdefault(gid, set()).update((str(s), str(o)))
    found: set[Mention] = set()
    for prop in TEXT_PROPERTIES:
        for node, text in graph.subject_objects(prop):
            if not isinstance(text, Literal):
                continue
            hits = [(names[k.strip()], k.strip()) for k in _found(words, f" {normalise(str(text))} ", True)]
            hits += [(acronyms[k], k) for k in _found(capitals, str(text), False)]
            if not hits:
                continue
            deliberate = {normalise(str(n)) for n in graph.objects(node, UNLINKED)}
            nearby = {str(o) for o in graph.objects(node)} | {str(s) for s in graph.subjects(None, node)}
            for gid in in_graphs.get(str(node), ()):
                nearby |= terms_of[gid]
            nearby.add(str(node))
            for holders, key in hits:
                # a shared name is the entity's whose preferred label it is ("Kazakhstan": the country)
                if nearby & set(holders) or normalise(key) in deliberate:
                    continue
                best = min(holders.values())
                found.update(Mention(str(node), str(prop), e, key) for e, r in holders.items() if r == best)
    return sorted(found)


def format_mentions(mentions: list[Mention]) -> str:
    """One line per mention, for ``kg build --mentions``."""
    return "\n".join(m.describe() for m in mentions)
