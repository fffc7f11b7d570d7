"""Labels the build generates for nodes a user sees but no curator named.

Statistics, notes, positions, findings, qualified statements and disagreements carry facts, not
names; without a label they show as bare IRIs in listings, tooltips and pages. :func:`generate_labels`
gives each one that has neither ``skos:prefLabel`` nor ``schema:name`` a label made from its facts,
in the default graph of the built dataset, marked ``kg:generatedLabel true`` so that nothing takes it
for curated data (search, the mentions check and the duplicates check leave such labels out):

* a statistic: ``quantity: [comparator] value unit (category; period, place)``;
* a note: ``Note N of <document>``;
* a position: ``person: role, organization``;
* a finding: the first words of its description;
* a qualified statement: ``subject property object``;
* a disagreement: ``Disagreement on <subject>: <property> (<kind>)``.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, BNode, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import ORG, SKOS, XSD

from kg.namespaces import PREFIXES, SCHEMA

__all__ = ["GENERATED", "FINDING_WORDS", "generate_labels", "label_of"]

_K = PREFIXES["kg"]
GENERATED = URIRef(_K + "generatedLabel")
FINDING_WORDS = 10


def _k(name: str) -> URIRef:
    return URIRef(_K + name)


def label_of(graph, term) -> str:
    """The name of a term for a generated label: its preferred label, name or rdfs:label, else its
    value (a literal) or the last part of its IRI with dashes as spaces."""
    if isinstance(term, Literal):
        return str(term)
    for prop in (SKOS.prefLabel, SCHEMA.name, RDFS.label):
        values = sorted(graph.objects(term, prop), key=lambda v: (getattr(v, "language", None) not in ("en", None), str(v)))
        if values:
            return str(values[0])
    if isinstance(term, BNode):
        return "(unnamed)"
    return str(term).rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1].replace("-", " ")


def _first(graph, node, name: str):
    values = sorted(graph.objects(node, _k(name)), key=str)
    return values[0] if values else None


def _number(value) -> str:
    text = str(value)
    return text.removesuffix(".0")


def _statistic(graph, node) -> str:
    def name(prop):
        value = _first(graph, node, prop)
        return "" if value is None else label_of(graph, value)

    value, low, high = (_first(graph, node, p) for p in ("value", "minValue", "maxValue"))
    if value is not None:
        amount = _number(value)
    elif low is not None or high is not None:
        amount = f"{_number(low) if low is not None else '?'}-{_number(high) if high is not None else '?'}"
    else:
        amount = "?"
    head = " ".join(x for x in (name("comparator"), amount, name("unit")) if x)
    where = ", ".join(x for x in (name("period"), name("refArea")) if x)
    extra = "; ".join(x for x in (name("category"), where) if x)
    return f"{name('quantity') or 'statistic'}: {head}" + (f" ({extra})" if extra else "")


def _note(graph, node) -> str:
    number, document = _first(graph, node, "noteNumber"), _first(graph, node, "inDocument")
    return f"Note {number if number is not None else '?'} of {label_of(graph, document) if document is not None else 'a document'}"


def _position(graph, node) -> str:
    person, organization = graph.value(node, ORG.member), graph.value(node, ORG.organization)
    role = _first(graph, node, "role")
    who = label_of(graph, person) if person is not None else "someone"
    what = ", ".join(x for x in (str(role) if role is not None else "", label_of(graph, organization) if organization is not None else "") if x)
    return f"{who}: {what or 'position'}"


def _finding(graph, node) -> str | None:
    description = graph.value(node, SCHEMA.description)
    if description is None:
        return None
    words = str(description).split()
    text = " ".join(words[:FINDING_WORDS])
    return text + ("…" if len(words) > FINDING_WORDS else "")


def _statement(graph, node) -> str:
    parts = (graph.value(node, RDF.subject), graph.value(node, RDF.predicate), graph.value(node, RDF.object))
    return " ".join(label_of(graph, p) if p is not None else "?" for p in parts)


def _disagreement(graph, node) -> str:
    subject, prop = _first(graph, node, "disputedSubject"), _first(graph, node, "disputedProperty")
    kind = _first(graph, node, "disagreementKind")
    text = "Disagreement" + (f" on {label_of(graph, subject)}" if subject is not None else "")
    if prop is not None:
        text += f": {label_of(graph, prop)}"
    return text + (f" ({label_of(graph, kind)})" if kind is not None else "")


MAKERS = (("Statistic", _statistic), ("Note", _note), ("Position", _position), ("Finding", _finding),
          ("Disagreement", _disagreement))


def generate_labels(dataset) -> int:
    """Add a generated ``skos:prefLabel`` (and ``kg:generatedLabel true``) to every unnamed node of
    the kinds above in the dataset's default graph; return how many were added."""
    graph = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    kinds = [(RDF.Statement, _statement)] + [(_k(name), make) for name, make in MAKERS]
    added, seen = [], set()
    for cls, make in kinds:
        for node in sorted(set(graph.subjects(RDF.type, cls)), key=str):
            if node in seen or (node, SKOS.prefLabel, None) in graph or (node, SCHEMA.name, None) in graph:
                continue
            seen.add(node)
            text = make(graph, node)
            if text:
                added.append((node, " ".join(text.split())))
    for node, text in added:
        graph.add((node, SKOS.prefLabel, Literal(text, lang="en")))
        graph.add((node, GENERATED, Literal(True, datatype=XSD.boolean)))
    return len(added)
