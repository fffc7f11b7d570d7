"""What the network projections read from the built graph, once: nodes and their names, classes and
dates; relations with their evidence documents and spans; qualified statements, positions and notes.

:func:`read_facts` returns a :class:`Facts`; the relation tables (``ACTOR_PREDICATES`` ...) and
:data:`RELATION_KINDS` say which predicates each projection draws and what kind of link each is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Namespace

from kg.namespaces import BASE, ORG, SCHEMA, shorten

__all__ = ["ACTOR_PREDICATES", "ATTACK_PREDICATES", "Facts", "LEGAL_PREDICATES", "RELATION_KINDS", "SOURCE_PREDICATES",
           "SYMMETRIC", "read_facts"]

K = Namespace(BASE + "ontology#")
RDF_STATEMENT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement"
OWL = "http://www.w3.org/2002/07/owl#"
_PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX kg: <https://w3id.org/kzkg/ontology#>
"""
Q_TYPES = _PREFIXES + "SELECT ?e ?type WHERE { ?e a ?type . FILTER(isIRI(?e) && isIRI(?type)) }"
Q_SUBCLASS = _PREFIXES + "SELECT ?sub ?sup WHERE { ?sub rdfs:subClassOf ?sup . FILTER(isIRI(?sub) && isIRI(?sup)) }"
Q_TERM_LABELS = _PREFIXES + "SELECT ?t ?label WHERE { ?t rdfs:label ?label }"
Q_LABELS = (
    _PREFIXES
    + """
SELECT ?e ?p ?l (LANG(?l) AS ?lang) WHERE {
  VALUES ?p { skos:prefLabel skos:altLabel schema:name }
  ?e ?p ?l . FILTER(isIRI(?e) && isLiteral(?l))
}"""
)
Q_VALUES = (
    _PREFIXES
    + """
SELECT ?e ?p ?v WHERE {
  VALUES ?p { kg:date schema:startDate schema:endDate schema:datePublished schema:foundingDate
              schema:dissolutionDate kg:killed kg:wounded kg:status }
  ?e ?p ?v . FILTER(isIRI(?e) && isLiteral(?v))
}"""
)
Q_EDGES = _PREFIXES + "SELECT ?s ?p ?o WHERE { ?s ?p ?o . FILTER(isIRI(?s) && isIRI(?o) && ?p != rdf:type) }"
Q_EDGE_EVIDENCE = (
    _PREFIXES
    + """
SELECT ?s ?p ?o ?ev ?doc WHERE {
  GRAPH ?ev { ?s ?p ?o . FILTER(isIRI(?s) && isIRI(?o) && ?p != rdf:type) }
  ?ev kg:document ?doc .
}"""
)
Q_MENTIONS = (
    _PREFIXES
    + """
SELECT DISTINCT ?e ?ev ?doc WHERE {
  GRAPH ?ev { { ?e ?p ?o } UNION { ?s ?q ?e . FILTER(?q != rdf:type && ?q != rdf:predicate) } }
  ?ev kg:document ?doc . FILTER(isIRI(?e))
}"""
)
Q_QUALIFIED = (
    _PREFIXES
    + """
SELECT ?st ?s ?p ?o ?dp ?d WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { VALUES ?dp { kg:date schema:startDate schema:endDate } ?st ?dp ?d }
}"""
)
Q_POSITIONS = (
    _PREFIXES
    + """
SELECT ?pos ?member ?org ?role ?dp ?d ?ev ?doc WHERE {
  ?pos a kg:Position ; org:member ?member ; org:organization ?org .
  OPTIONAL { ?pos kg:role ?role }
  OPTIONAL { VALUES ?dp { kg:date schema:startDate schema:endDate } ?pos ?dp ?d }
  OPTIONAL { GRAPH ?ev { ?pos org:member ?member } ?ev kg:document ?doc }
}"""
)
Q_NOTES = (
    _PREFIXES
    + """
SELECT ?note ?work ?doc ?ev WHERE {
  ?note kg:citesWork ?work .
  OPTIONAL { ?note kg:inDocument ?doc }
  OPTIONAL { ?ev kg:note ?note }
}"""
)

#: Relations of each projection: predicate IRI -> relation name.
ACTOR_PREDICATES = {
    str(K.memberOf): "memberOf",
    str(ORG.memberOf): "memberOf",
    str(K.leaderOf): "leaderOf",
    str(ORG.headOf): "leaderOf",
    str(K.chairOf): "chairOf",
    str(K.founderOf): "founderOf",
    str(K.pledgedAllegianceTo): "pledgedAllegianceTo",
    str(K.absorbedInto): "absorbedInto",
    str(K.splitFrom): "splitFrom",
    str(K.branchOf): "branchOf",
    str(K.cooperatesWith): "cooperatesWith",
    str(K.tiedTo): "tiedTo",
    str(K.supports): "supports",
    str(ORG.subOrganizationOf): "subOrganizationOf",
}
ATTACK_PREDICATES = {
    str(K.perpetratedBy): "perpetratedBy",
    str(K.claimedBy): "claimedBy",
    str(K.attributedTo): "attributedTo",
    str(K.attributedBy): "attributedBy",
    str(K.place): "place",
    str(K.target): "target",
    str(K.subEventOf): "subEventOf",
}
LEGAL_PREDICATES = {
    str(K.adoptedBy): "adoptedBy",
    str(K.enforcedBy): "enforcedBy",
    str(K.bans): "bans",
    str(K.amends): "amends",
    str(K.legalBasis): "legalBasis",
    str(K.designatedBy): "designatedBy",
    str(K.designatedGroup): "designatedGroup",
}
SOURCE_PREDICATES = {
    str(K.citedSource): "citedSource",
    str(K.cites): "cites",
    str(K.citesWork): "cites",
    str(SCHEMA.author): "author",
    str(SCHEMA.publisher): "publisher",
}
SYMMETRIC = {"cooperatesWith", "tiedTo"}

#: The kind of each relation: what the issue calls the edge types, used to filter and colour.
RELATION_KINDS = {
    "memberOf": "membership",
    "position": "membership",
    "subOrganizationOf": "membership",
    "leaderOf": "leadership",
    "chairOf": "leadership",
    "founderOf": "leadership",
    "pledgedAllegianceTo": "allegiance",
    "supports": "support",
    "absorbedInto": "absorption",
    "splitFrom": "absorption",
    "branchOf": "absorption",
    "designated": "designation",
    "bans": "designation",
    "designatedBy": "designation",
    "designatedGroup": "designation",
    "cooperatesWith": "cooperation",
    "tiedTo": "ties",
    "perpetratedBy": "perpetration",
    "claimedBy": "perpetration",
    "attributedTo": "perpetration",
    "attributedBy": "attribution",
    "place": "place",
    "containedInPlace": "place",
    "target": "target",
    "subEventOf": "event",
    "adoptedBy": "adoption",
    "enforcedBy": "enforcement",
    "amends": "amendment",
    "legalBasis": "legal basis",
    "backs": "evidence",
    "cites": "citation",
    "citedSource": "citation",
    "author": "authorship",
    "publisher": "authorship",
}
_RELATION_LABELS = {
    "position": "holds a position in",
    "designated": "designated",
    "backs": "backs",
    "containedInPlace": "contained in place",
}


def _year(value: str | None) -> int | None:
    """The year of an ``xsd:date``, ``gYearMonth`` or ``gYear`` lexical form."""
    if not value:
        return None
    text = value.strip()
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("-").split("-")[0]
    return sign * int(digits) if digits.isdigit() else None


@dataclass
class Facts:
    """What the projections read from the dataset, once."""

    nodes: dict[str, dict] = field(default_factory=dict)
    triples: dict[tuple[str, str, str], dict] = field(default_factory=dict)
    qualified: dict[tuple[str, str, str], dict] = field(default_factory=dict)
    positions: dict[str, dict] = field(default_factory=dict)
    mentions: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    notes: list[dict] = field(default_factory=list)
    term_labels: dict[str, str] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)


def _select(source, text: str) -> list[dict[str, str]]:
    """Rows of a SELECT as plain strings, from an engine (:mod:`kg.store`, :mod:`kg.remote`) or an rdflib graph."""
    from rdflib import Graph

    if isinstance(source, Graph):
        result = source.query(text)
        return [{str(v): str(row[v]) for v in result.vars if row[v] is not None} for row in result]
    return [{k: v["value"] for k, v in row.items()} for row in source.query(text).rows]


def read_facts(source) -> Facts:
    """Read the nodes, relations and their evidence that the projections need.

    Parameters
    ----------
    source : kg.store.Engine, rdflib.Dataset, str or Path
        The built dataset (default graph merged, one named graph per evidence span), or the path of
        its N-Quads file.
    """
    from kg.store import open_engine

    if isinstance(source, (str, Path)):
        source = open_engine(Path(source))
    facts = Facts()
    supers: dict[str, set[str]] = defaultdict(set)
    for row in _select(source, Q_SUBCLASS):
        supers[row["sub"]].add(row["sup"])
    for row in _select(source, Q_TERM_LABELS):
        facts.term_labels.setdefault(row["t"], row["label"])
    types: dict[str, set[str]] = defaultdict(set)
    for row in _select(source, Q_TYPES):
        types[row["e"]].add(row["type"])
    names: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row in _select(source, Q_LABELS):
        names[row["e"]].append((row["p"], row["l"], row.get("lang", "")))
    values: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in _select(source, Q_VALUES):
        values[row["e"]][row["p"].rsplit("/", 1)[-1].rsplit("#", 1)[-1]].append(row["v"])
    for row in _select(source, Q_MENTIONS):
        facts.mentions.setdefault(row["e"], {}).setdefault(row["doc"], set()).add(row["ev"])
    for iri in set(types) | set(names):
        if iri.startswith(str(K)) or any(t.startswith(OWL) or t.endswith("#Property") for t in types.get(iri, ())):
            continue  # a term of the ontology, not an entity
        facts.nodes[iri] = _node(iri, types.get(iri, set()), names.get(iri, []), values.get(iri, {}), supers, facts)
    facts.documents = {iri: n["label"] for iri, n in facts.nodes.items() if "Document" in n["classes"]}
    for row in _select(source, Q_EDGES):
        facts.triples.setdefault((row["s"], row["p"], row["o"]), {"evidence": set(), "graphs": set()})
    for row in _select(source, Q_EDGE_EVIDENCE):
        slot = facts.triples.setdefault((row["s"], row["p"], row["o"]), {"evidence": set(), "graphs": set()})
        slot["evidence"].add(row["doc"])
        slot["graphs"].add(row["ev"])
    for row in _select(source, Q_QUALIFIED):
        slot = facts.qualified.setdefault((row["s"], row["p"], row["o"]), {})
        if "dp" in row:
            slot[_DATE_KEYS[row["dp"]]] = row["d"]
    for row in _select(source, Q_POSITIONS):
        pos = facts.positions.setdefault(
            row["pos"], {"member": row["member"], "org": row["org"], "evidence": set(), "graphs": set()}
        )
        if "role" in row:
            pos["role"] = row["role"]
        if "dp" in row:
            pos[_DATE_KEYS[row["dp"]]] = row["d"]
        if "doc" in row:
            pos["evidence"].add(row["doc"])
            pos["graphs"].add(row["ev"])
    facts.notes = _select(source, Q_NOTES)
    return facts


_DATE_KEYS = {str(K.date): "date", str(SCHEMA.startDate): "start_date", str(SCHEMA.endDate): "end_date"}


def _node(iri, types, names, values, supers, facts) -> dict:
    """The attributes of one node: label, aliases (other names only, each once), classes, dates, sources."""
    from kg.sitedata import distinct_aliases

    closed = set(types)
    stack = list(types)
    while stack:
        for sup in supers.get(stack.pop(), ()):
            if sup not in closed:
                closed.add(sup)
                stack.append(sup)
    own = [t for t in closed if t.startswith(str(K))]
    specific = [t for t in own if not any(t in _ancestors(o, supers) for o in own if o != t)]
    specific.sort(key=lambda t: (-len(_ancestors(t, supers)), t))
    cls = specific[0] if specific else min(closed, default="")
    pref = [(lang, text) for p, text, lang in names if p.endswith("prefLabel")]
    pref.sort(key=lambda x: (x[0] not in ("en", ""), x[0], x[1]))
    others = sorted({text for p, text, _ in names})
    label = pref[0][1] if pref else (others[0] if others else _slug_label(iri))
    node = {
        "label": label,
        "class": _local(cls) if cls else "Thing",
        "class_label": facts.term_labels.get(cls, _local(cls) if cls else "thing"),
        "classes": sorted(_local(t) for t in own) or ([_local(cls)] if cls else []),
        "aliases": distinct_aliases(label, others),
        "iri": iri,
        "short": shorten(iri),
        "sources": sorted(facts.mentions.get(iri, {})),
    }
    for key, name in (
        ("date", "date"),
        ("startDate", "start_date"),
        ("endDate", "end_date"),
        ("datePublished", "date"),
        ("foundingDate", "start_date"),
        ("dissolutionDate", "end_date"),
    ):
        if key in values and name not in node:
            node[name] = min(values[key])
    for key in ("killed", "wounded"):
        if key in values:
            node[key] = max(int(float(v)) for v in values[key])
    if "status" in values:
        node["status"] = "; ".join(sorted(set(values["status"])))
    return node


def _ancestors(cls: str, supers: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(supers.get(cls, ()))
    while stack:
        sup = stack.pop()
        if sup not in seen:
            seen.add(sup)
            stack.extend(supers.get(sup, ()))
    return seen


def _slug_label(iri: str) -> str:
    """A readable label from an IRI's slug, for entities without a name: ``knb-aktobe-branch`` -> ``knb aktobe branch``."""
    return _local(iri).replace("-", " ") or iri


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
