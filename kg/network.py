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
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import Namespace

from kg.namespaces import BASE, ORG, SCHEMA, shorten

__all__ = [
    "EXPORT_FORMATS",
    "PROJECTIONS",
    "RELATION_KINDS",
    "actor_network",
    "annotate",
    "attack_network",
    "by_class",
    "by_document",
    "by_relation",
    "by_years",
    "centrality",
    "communities",
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

K = Namespace(BASE + "ontology#")
RDF_STATEMENT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement"
OWL = "http://www.w3.org/2002/07/owl#"
EXPORT_FORMATS = {".graphml": "graphml", ".gexf": "gexf", ".json": "json"}

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


def _facts(source) -> Facts:
    return source if isinstance(source, Facts) else read_facts(source)


def _new_graph(facts: Facts, name: str) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(projection=name)
    graph.graph["documents"] = dict(facts.documents)
    return graph


def _add_node(graph: nx.MultiDiGraph, facts: Facts, iri: str) -> None:
    if iri not in graph:
        attrs = facts.nodes.get(iri) or {
            "label": _slug_label(iri),
            "class": "Thing",
            "class_label": "thing",
            "classes": [],
            "aliases": [],
            "iri": iri,
            "short": shorten(iri),
            "sources": [],
        }
        graph.add_node(iri, **{k: (list(v) if isinstance(v, list) else v) for k, v in attrs.items()})


def _add_edge(graph, facts, s, o, relation, *, predicate="", evidence=(), graphs=(), key=None, **attrs) -> None:
    """Add (or merge into) one typed edge with its evidence."""
    _add_node(graph, facts, s)
    _add_node(graph, facts, o)
    key = key or relation
    if graph.has_edge(s, o, key):
        data = graph.edges[s, o, key]
        data["evidence"] = sorted(set(data["evidence"]) | set(evidence))
        data["graphs"] = sorted(set(data["graphs"]) | set(graphs))
        for k, v in attrs.items():
            if v is not None:
                data.setdefault(k, v)
        return
    label = _RELATION_LABELS.get(relation) or facts.term_labels.get(predicate) or relation
    graph.add_edge(
        s,
        o,
        key=key,
        relation=relation,
        label=label,
        kind=RELATION_KINDS.get(relation, relation),
        predicate=predicate,
        evidence=sorted(set(evidence)),
        graphs=sorted(set(graphs)),
        symmetric=relation in SYMMETRIC,
        **{k: v for k, v in attrs.items() if v is not None},
    )


def _has_class(facts: Facts, iri: str, *classes: str) -> bool:
    node = facts.nodes.get(iri)
    return bool(node) and any(c in node["classes"] for c in classes)


def _finish(graph: nx.MultiDiGraph, keep_isolates: bool) -> nx.MultiDiGraph:
    if not keep_isolates:
        graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    return graph


def _period_of(node: dict) -> dict:
    """Dates an edge inherits from a dated act, ban or designation: open from its date."""
    start = node.get("start_date") or node.get("date")
    return {"start_date": start, "end_date": node.get("end_date")} if start else {}


def actor_network(source, *, keep_isolates: bool = False) -> nx.MultiDiGraph:
    """The actor network: actors linked by membership, leadership, allegiance, absorption, bans, cooperation.

    Actors are instances of ``kg:Actor`` (people, groups, state agencies, international and other
    organizations, states). Positions (``kg:Position``) become ``position`` edges from the member to
    the organization with their role and date; a designation (``kg:Designation``) or a legal act
    that bans a group becomes a ``designated`` or ``bans`` edge from the body that designates or
    adopts it to the group, with ``via`` naming the event or act.

    Parameters
    ----------
    source : kg.store.Engine, rdflib.Dataset, Facts, str or Path
        The built dataset.
    keep_isolates : bool
        Keep actors without any link (default: drop them).

    Returns
    -------
    networkx.MultiDiGraph
    """
    facts = _facts(source)
    graph = _new_graph(facts, "actor")
    if keep_isolates:
        for iri in facts.nodes:
            if _has_class(facts, iri, "Actor"):
                _add_node(graph, facts, iri)
    for (s, p, o), ev in facts.triples.items():
        relation = ACTOR_PREDICATES.get(p)
        if relation and _has_class(facts, s, "Actor") and _has_class(facts, o, "Actor"):
            dates = facts.qualified.get((s, p, o), {})
            _add_edge(graph, facts, s, o, relation, predicate=p, evidence=ev["evidence"], graphs=ev["graphs"], **dates)
    for pos in facts.positions.values():
        if _has_class(facts, pos["member"], "Actor") and _has_class(facts, pos["org"], "Actor"):
            _add_edge(
                graph,
                facts,
                pos["member"],
                pos["org"],
                "position",
                predicate=str(ORG.member),
                key="position:" + pos.get("role", ""),
                evidence=pos["evidence"],
                graphs=pos["graphs"],
                role=pos.get("role"),
                date=pos.get("date"),
                start_date=pos.get("start_date"),
                end_date=pos.get("end_date"),
            )
    by_subject: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in facts.triples:
        if p in (str(K.designatedBy), str(K.designatedGroup), str(K.adoptedBy), str(K.bans)):
            by_subject[s][p].append(o)
    for act, props in by_subject.items():
        designation = _has_class(facts, act, "Designation")
        bodies = props.get(str(K.designatedBy), []) + props.get(str(K.adoptedBy), [])
        targets = props.get(str(K.designatedGroup), []) + props.get(str(K.bans), [])
        node = facts.nodes.get(act, {})
        for body in bodies:
            for target in targets:
                if not (_has_class(facts, body, "Actor") and _has_class(facts, target, "Actor")):
                    continue
                pred = str(K.designatedGroup) if (act, str(K.designatedGroup), target) in facts.triples else str(K.bans)
                ev = facts.triples[(act, pred, target)]
                relation = "designated" if designation else "bans"
                _add_edge(
                    graph,
                    facts,
                    body,
                    target,
                    relation,
                    predicate=pred,
                    key=f"{relation}:{act}",
                    evidence=ev["evidence"],
                    graphs=ev["graphs"],
                    via=act,
                    via_label=node.get("label"),
                    status=node.get("status"),
                    **_period_of(node),
                )
    return _finish(graph, keep_isolates)


def attack_network(source, *, keep_isolates: bool = False) -> nx.MultiDiGraph:
    """The attack network: attacks and foiled plots with perpetrators, places and targets.

    Edges go from the attack to the actor (``perpetratedBy``, ``claimedBy``, ``attributedTo``,
    ``attributedBy``), the place (``place``, and ``containedInPlace`` up the place hierarchy) and
    the target (``target``); each takes the attack's date.
    """
    facts = _facts(source)
    graph = _new_graph(facts, "attack")
    attacks = {iri for iri in facts.nodes if _has_class(facts, iri, "Attack", "FoiledPlot")}
    if keep_isolates:
        for iri in attacks:
            _add_node(graph, facts, iri)
    contained = defaultdict(list)
    for (s, p, o), ev in facts.triples.items():
        if p == str(SCHEMA.containedInPlace):
            contained[s].append((o, ev))
    places: set[str] = set()
    for (s, p, o), ev in facts.triples.items():
        relation = ATTACK_PREDICATES.get(p)
        if relation and s in attacks:
            node = facts.nodes[s]
            _add_edge(
                graph,
                facts,
                s,
                o,
                relation,
                predicate=p,
                evidence=ev["evidence"],
                graphs=ev["graphs"],
                date=node.get("date"),
                start_date=node.get("start_date"),
                end_date=node.get("end_date"),
            )
            if relation == "place":
                places.add(o)
    seen: set[str] = set()
    while places:
        place = places.pop()
        seen.add(place)
        for parent, ev in contained.get(place, ()):
            _add_edge(
                graph,
                facts,
                place,
                parent,
                "containedInPlace",
                predicate=str(SCHEMA.containedInPlace),
                evidence=ev["evidence"],
                graphs=ev["graphs"],
            )
            if parent not in seen:
                places.add(parent)
    return _finish(graph, keep_isolates)


def legal_network(source, *, keep_isolates: bool = False) -> nx.MultiDiGraph:
    """The legal network: legal acts, programs and designations, who adopts and enforces them, what they ban.

    Edges go from the act to the body (``adoptedBy``, ``enforcedBy``, ``designatedBy``), to the
    group or thing it bans (``bans``, ``designatedGroup``), to the act it amends (``amends``); an
    event or act whose ``legalBasis`` is an act links to it. Edges start at the act's date.
    """
    facts = _facts(source)
    graph = _new_graph(facts, "legal")
    acts = {iri for iri in facts.nodes if _has_class(facts, iri, "LegalAct", "Program", "Designation")}
    if keep_isolates:
        for iri in acts:
            _add_node(graph, facts, iri)
    for (s, p, o), ev in facts.triples.items():
        relation = LEGAL_PREDICATES.get(p)
        if relation and (s in acts or (relation == "legalBasis" and o in acts)):
            _add_edge(
                graph,
                facts,
                s,
                o,
                relation,
                predicate=p,
                evidence=ev["evidence"],
                graphs=ev["graphs"],
                **_period_of(facts.nodes.get(s, {})),
            )
    return _finish(graph, keep_isolates)


#: Classes the source projection leaves out unless asked (``figures=True``): counted on the documents instead.
FIGURE_CLASSES = ("Statistic", "Finding", "Quantity")


def source_network(source, *, keep_isolates: bool = False, figures: bool = False) -> nx.MultiDiGraph:
    """The source network: documents, the works they cite and the entities they back.

    A ``backs`` edge goes from a document to every entity its evidence spans state something about
    (its ``weight`` counts the spans), and from a cited work to every entity stated in a span whose
    note cites the work. A ``cites`` edge goes from a document to the works its notes cite; a
    ``citedSource`` edge from a statistic to the work it names as its origin; ``author`` and
    ``publisher`` edges from a work to who wrote or published it.

    Statistics, findings and quantities (hundreds of nodes that hide the rest) are left out unless
    ``figures`` is true; each document and cited work then carries their number (``statistics``,
    ``findings``) so the tooltip still tells them.
    """
    facts = _facts(source)
    graph = _new_graph(facts, "source")
    counted: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if keep_isolates:
        for iri in facts.nodes:
            if _has_class(facts, iri, "Source"):
                _add_node(graph, facts, iri)
    skip = ("Note", "Evidence", "Document") + (() if figures else FIGURE_CLASSES)
    for entity, docs in facts.mentions.items():
        if entity not in facts.nodes or _has_class(facts, entity, *skip):
            if entity in facts.nodes and not figures and _has_class(facts, entity, *FIGURE_CLASSES):
                kind = "statistics" if _has_class(facts, entity, "Statistic") else (
                    "findings" if _has_class(facts, entity, "Finding") else "quantities")
                for doc in docs:
                    counted[doc][kind] += 1
            continue
        for doc, spans in docs.items():
            _add_edge(
                graph,
                facts,
                doc,
                entity,
                "backs",
                predicate=str(K.document),
                evidence=[doc],
                graphs=spans,
                weight=len(spans),
            )
    works_of_span: dict[str, set[str]] = defaultdict(set)
    for row in facts.notes:
        if "doc" in row:
            _add_edge(
                graph,
                facts,
                row["doc"],
                row["work"],
                "cites",
                predicate=str(K.citesWork),
                evidence=[row["doc"]],
                notes=None,
            )
        if "ev" in row:
            works_of_span[row["ev"]].add(row["work"])
    for entity, docs in facts.mentions.items():
        if entity not in facts.nodes or _has_class(facts, entity, *skip):
            continue
        for doc, spans in docs.items():
            for span in spans:
                for work in works_of_span.get(span, ()):
                    _add_edge(
                        graph, facts, work, entity, "backs", predicate=str(K.citesWork), evidence=[doc], graphs=[span]
                    )
    for (s, p, o), ev in facts.triples.items():
        relation = SOURCE_PREDICATES.get(p)
        if relation and p != str(K.citesWork) and s in facts.nodes and o in facts.nodes:
            if not figures and (_has_class(facts, s, *FIGURE_CLASSES) or _has_class(facts, o, *FIGURE_CLASSES)):
                if relation == "citedSource":
                    counted[o]["statistics"] += 1
                continue
            _add_edge(graph, facts, s, o, relation, predicate=p, evidence=ev["evidence"], graphs=ev["graphs"])
    for node, counts in counted.items():
        if node in graph:
            graph.nodes[node].update(counts)
    graph.graph["figures"] = figures
    return _finish(graph, keep_isolates)


PROJECTIONS = {"actor": actor_network, "attack": attack_network, "legal": legal_network, "source": source_network}


def project(source, name: str = "actor", **kwargs) -> nx.MultiDiGraph:
    """The projection called ``name`` (actor, attack, legal or source) of the dataset."""
    if name not in PROJECTIONS:
        raise ValueError(f"unknown projection {name!r}: choose one of {', '.join(PROJECTIONS)}")
    return PROJECTIONS[name](source, **kwargs)


# --- Filters -----------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    from kg.query import normalise

    return normalise(text)


def _drop_emptied(before: nx.MultiDiGraph, after: nx.MultiDiGraph, keep=()) -> nx.MultiDiGraph:
    """Remove the nodes that had links before a filter and have none after it."""
    after.remove_nodes_from([n for n in list(after) if after.degree(n) == 0 and before.degree(n) > 0 and n not in keep])
    return after


def _edge_subgraph(graph: nx.MultiDiGraph, keep_edge) -> nx.MultiDiGraph:
    out = graph.copy()
    out.remove_edges_from([(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True) if not keep_edge(d)])
    return _drop_emptied(graph, out)


def by_class(graph: nx.MultiDiGraph, classes) -> nx.MultiDiGraph:
    """Keep the nodes of the given classes (subclasses included) and the links among them.

    Classes are named as ``ArmedGroup``, ``kg:ArmedGroup``, a full IRI or a label (``armed group``).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", classes=["Group", "ArmedGroup"], class_label="armed group")
    >>> g.add_node("b", classes=["Person"], class_label="person")
    >>> sorted(by_class(g, ["Group"]))
    ['a']
    """
    wanted = {_normalise(_local(c.split(":", 1)[-1] if c.startswith("kg:") else c)) for c in classes}
    keep = [
        n
        for n, d in graph.nodes(data=True)
        if wanted & ({_normalise(c) for c in d.get("classes", [])} | {_normalise(d.get("class_label", ""))})
    ]
    return graph.subgraph(keep).copy()


def by_relation(graph: nx.MultiDiGraph, relations) -> nx.MultiDiGraph:
    """Keep the links of the given relations (``memberOf``) or kinds (``membership``), and their ends."""
    wanted = {_normalise(r) for r in relations}
    return _edge_subgraph(
        graph,
        lambda d: bool(
            wanted & {_normalise(d.get("relation", "")), _normalise(d.get("kind", "")), _normalise(d.get("label", ""))}
        ),
    )


def edge_period(data: dict) -> tuple[float, float] | None:
    """The years an edge is valid: ``(first, last)``, open ends infinite; ``None`` if undated."""
    start, end = _year(data.get("start_date")), _year(data.get("end_date"))
    if start is not None or end is not None:
        return (start if start is not None else -math.inf, end if end is not None else math.inf)
    point = _year(data.get("date"))
    return None if point is None else (point, point)


def by_years(
    graph: nx.MultiDiGraph, first: int | None = None, last: int | None = None, *, dated_only: bool = False
) -> nx.MultiDiGraph:
    """Keep the links valid at some time between the years ``first`` and ``last`` (inclusive).

    A link with a period is valid when the period overlaps; a link with a date when the date falls
    inside. Undated links are kept unless ``dated_only``.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "b", date="2015-04")
    0
    >>> g.add_edge("a", "c", start_date="2016")
    0
    >>> sorted(by_years(g, 2014, 2015).edges())
    [('a', 'b')]
    """
    lo = -math.inf if first is None else first
    hi = math.inf if last is None else last

    def valid(data):
        period = edge_period(data)
        if period is None:
            return not dated_only
        return period[0] <= hi and period[1] >= lo

    return _edge_subgraph(graph, valid)


def _document_iri(document: str) -> str:
    text = document.strip()
    if text.startswith("http"):
        return text
    text = text.split(":", 1)[-1].lstrip("d")
    return f"{BASE}id/source/d{text.zfill(3)}"


def by_document(graph: nx.MultiDiGraph, document: str) -> nx.MultiDiGraph:
    """Keep the links that a document (``003``, ``d003``, ``source:d003`` or its IRI) states."""
    doc = _document_iri(document)
    return _edge_subgraph(graph, lambda d: doc in d.get("evidence", ()))


def find_node(graph: nx.MultiDiGraph, name: str) -> str:
    """The node named by an IRI, a prefixed name, a label or an alias, ranked by :mod:`kg.search`.

    Raises
    ------
    KeyError
        No node, or more than one equally good, has that name; the message lists candidates.
    """
    from kg.query import ParamError, expand
    from kg.search import SearchIndex

    iri = expand(name) or name
    if iri in graph:
        return iri
    entries = [{"iri": node, "label": d.get("label") or node, "aliases": [*d.get("aliases", []), d.get("short", "")],
                "cls": d.get("class_label", ""), "detail": d.get("date", "")} for node, d in graph.nodes(data=True)]
    index = SearchIndex(entries)
    try:
        return index.resolve(name)
    except ParamError as exc:
        raise KeyError(str(exc).replace("no entity is labelled", "no node of this network is named")) from None


def neighbourhood(graph: nx.MultiDiGraph, entity: str, steps: int = 1) -> nx.MultiDiGraph:
    """The nodes within ``steps`` links of an entity (found by IRI, label or alias), either direction."""
    centre = find_node(graph, entity)
    near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), centre, cutoff=steps)
    out = graph.subgraph(near).copy()
    out.graph["centre"] = centre
    out.graph["steps"] = steps
    return out


def filter_graph(
    graph: nx.MultiDiGraph,
    *,
    classes=None,
    relations=None,
    years=None,
    document=None,
    around=None,
    steps: int = 1,
    dated_only: bool = False,
) -> nx.MultiDiGraph:
    """Apply the filters in order: class, relation, years ``(first, last)``, document, neighbourhood."""
    if classes:
        graph = by_class(graph, classes)
    if relations:
        graph = by_relation(graph, relations)
    if years or dated_only:
        first, last = years or (None, None)
        graph = by_years(graph, first, last, dated_only=dated_only)
    if document:
        graph = by_document(graph, document)
    if around:
        graph = neighbourhood(graph, around, steps)
    return graph


# --- Analysis ----------------------------------------------------------------------------------


def centrality(
    graph: nx.MultiDiGraph, *, seed: int = 0, measures=("degree", "betweenness", "pagerank")
) -> dict[str, dict[str, float]]:
    """Degree, betweenness and PageRank of every node: ``{"degree": {node: value}, ...}``.

    Degree and betweenness are computed on the undirected simple graph (betweenness sampled from
    500 sources past 2,000 nodes); PageRank on the directed graph with parallel links as weight.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b"), ("c", "b"), ("b", "d")])
    >>> values = centrality(g)
    >>> values["degree"]["b"], round(values["betweenness"]["b"], 3)
    (3, 1.0)
    """
    simple = nx.Graph(graph.to_undirected(as_view=True))
    out: dict[str, dict[str, float]] = {}
    if "degree" in measures:
        out["degree"] = dict(simple.degree())
    if "betweenness" in measures:
        k = 500 if len(simple) > 2000 else None
        out["betweenness"] = nx.betweenness_centrality(simple, k=k, seed=seed) if len(simple) else {}
    if "pagerank" in measures:
        directed = nx.DiGraph()
        directed.add_nodes_from(graph)
        for u, v in graph.edges():
            w = directed.get_edge_data(u, v, {"weight": 0})["weight"]
            directed.add_edge(u, v, weight=w + 1)
        out["pagerank"] = (
            nx.pagerank(directed, weight="weight")
            if directed.number_of_edges()
            else {n: 1 / max(len(directed), 1) for n in directed}
        )
    return out


def communities(graph: nx.MultiDiGraph, *, seed: int = 0) -> list[set[str]]:
    """Louvain communities of the undirected graph, largest first."""
    simple = nx.Graph(graph.to_undirected(as_view=True))
    if not simple.number_of_edges():
        return [{n} for n in simple]
    found = nx.community.louvain_communities(simple, seed=seed)
    return sorted(found, key=lambda c: (-len(c), min(c)))


def annotate(graph: nx.MultiDiGraph, *, seed: int = 0) -> nx.MultiDiGraph:
    """A copy of the graph whose nodes carry ``degree``, ``betweenness``, ``pagerank`` and ``community``."""
    out = graph.copy()
    for measure, values in centrality(graph, seed=seed).items():
        nx.set_node_attributes(out, values, measure)
    for index, members in enumerate(communities(graph, seed=seed)):
        for node in members:
            out.nodes[node]["community"] = index
    return out


def metrics_report(graph: nx.MultiDiGraph, *, top: int = 10, seed: int = 0) -> str:
    """The most central actors by each measure and the communities, as text."""
    values = centrality(graph, seed=seed)

    def label(node):
        return graph.nodes[node].get("label", node)

    name = graph.graph.get("projection", "network")
    lines = [f"{name} network: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} links"]
    for measure in ("degree", "betweenness", "pagerank"):
        lines.append(f"\nmost central by {measure}:")
        ranked = sorted(values[measure].items(), key=lambda kv: (-kv[1], label(kv[0])))[:top]
        for node, value in ranked:
            shown = f"{value:d}" if isinstance(value, int) else f"{value:.4f}"
            lines.append(f"  {shown:>8}  {label(node)}  [{graph.nodes[node].get('class', '')}]")
    found = communities(graph, seed=seed)
    lines.append(f"\ncommunities (Louvain, seed {seed}): {len(found)}")
    for index, members in enumerate(found[:top]):
        names = sorted(label(n) for n in members)
        more = f" and {len(names) - 8} more" if len(names) > 8 else ""
        lines.append(f"  {index}: {len(members)} nodes: {', '.join(names[:8])}{more}")
    return "\n".join(lines)


def _force_layout(graph: nx.Graph, seed: int, iterations: int = 80):
    """Fruchterman-Reingold on dense numpy arrays: positions in [-1, 1] for up to a few thousand nodes."""
    import numpy as np

    nodes = list(graph)
    n = len(nodes)
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1, 1, size=(n, 2)).astype(np.float32)
    edges = np.array([(index[u], index[v]) for u, v in graph.edges() if u != v], dtype=int).reshape(-1, 2)
    k = np.float32(2.0 / math.sqrt(n))
    temperature = 0.2
    for _ in range(iterations):
        dx = pos[:, 0, None] - pos[None, :, 0]
        dy = pos[:, 1, None] - pos[None, :, 1]
        weight = (k * k) / (dx * dx + dy * dy + np.float32(1e-6))
        force = np.stack([(dx * weight).sum(axis=1), (dy * weight).sum(axis=1)], axis=1)
        if len(edges):
            d = pos[edges[:, 0]] - pos[edges[:, 1]]
            length = np.sqrt((d**2).sum(axis=1))[:, None] + 1e-6
            pull = d * length / k
            np.add.at(force, edges[:, 0], -pull)
            np.add.at(force, edges[:, 1], pull)
        force -= pos * 0.05 * n * k  # gravity keeps components together
        size = np.sqrt((force**2).sum(axis=1))[:, None] + 1e-9
        pos += force / size * np.minimum(size, temperature)
        temperature *= 0.95
    pos -= pos.mean(axis=0)
    pos /= max(np.abs(pos).max(), 1e-9)
    return {node: (float(pos[i, 0]), float(pos[i, 1])) for node, i in index.items()}


def layout(graph: nx.Graph, *, seed: int = 7, scale: float = 1000.0) -> dict[str, tuple[float, float]]:
    """Positions of the nodes computed in Python, for graphs too large for the browser's physics.

    Up to 1,500 nodes: a Fruchterman-Reingold force layout (numpy). Larger graphs: Louvain
    communities are placed by a force layout of the community graph, and each community is laid
    out on its own inside a disc whose area grows with its size, so the cost grows with the sum of
    the squared community sizes rather than the square of the whole.
    """
    simple = nx.Graph(graph.to_undirected(as_view=True)) if graph.is_multigraph() or graph.is_directed() else graph
    n = len(simple)
    if n == 0:
        return {}
    if n <= 1500:
        pos = _force_layout(simple, seed, iterations=80 if n <= 500 else 50)
        return {
            node: (x * scale * math.sqrt(n / 100 + 0.5), y * scale * math.sqrt(n / 100 + 0.5))
            for node, (x, y) in pos.items()
        }
    groups = (
        nx.community.louvain_communities(simple, seed=seed, max_level=2) if simple.number_of_edges() else [set(simple)]
    )
    member = {node: i for i, group in enumerate(groups) for node in group}
    meta = nx.Graph()
    meta.add_nodes_from(range(len(groups)))
    meta.add_edges_from((member[u], member[v]) for u, v in simple.edges() if member[u] != member[v])
    centres = _force_layout(meta, seed)
    spread = scale * math.sqrt(n) / 4
    out: dict[str, tuple[float, float]] = {}
    for i, group in enumerate(groups):
        sub = simple.subgraph(group)
        inner = _force_layout(sub, seed, iterations=50) if len(group) <= 1500 else nx.random_layout(sub, seed=seed)
        radius = scale * 0.15 * math.sqrt(len(group))
        cx, cy = centres[i]
        for node, (x, y) in inner.items():
            out[node] = (cx * spread + float(x) * radius, cy * spread + float(y) * radius)
    return out


# --- Exports -----------------------------------------------------------------------------------


def _flat(value):
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in (sorted(value) if isinstance(value, set) else value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _flattened(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are scalars (lists joined with ``; ``), as GraphML and GEXF need.

    Strings lose the characters XML 1.0 cannot hold (control characters), and every edge gets a
    unique key ``e0``, ``e1``... (GraphML and GEXF use it as the edge id); the relation key is kept
    as the ``relation_key`` attribute.
    """
    from kg.exports import xml_safe

    out = nx.MultiDiGraph()
    out.graph.update({xml_safe(k): xml_safe(_flat(v)) for k, v in graph.graph.items() if v is not None})
    for node, data in graph.nodes(data=True):
        out.add_node(xml_safe(node), **{xml_safe(k): xml_safe(_flat(v)) for k, v in data.items() if v is not None})
    for i, (u, v, k, data) in enumerate(graph.edges(keys=True, data=True)):
        attrs = {xml_safe(a): xml_safe(_flat(b)) for a, b in data.items() if b is not None}
        attrs["relation_key"] = xml_safe(str(k))
        out.add_edge(xml_safe(u), xml_safe(v), key=f"e{i}", **attrs)
    return out


def _jsonable(value):
    if isinstance(value, set):
        return sorted(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def export(graph: nx.MultiDiGraph, path: str | Path, fmt: str | None = None) -> Path:
    """Write a network as GraphML, GEXF (for Gephi) or node-link JSON, chosen by ``fmt`` or the suffix."""
    path = Path(path)
    fmt = fmt or EXPORT_FORMATS.get(path.suffix.lower())
    if fmt == "graphml":
        nx.write_graphml(_flattened(graph), path)
    elif fmt == "gexf":
        nx.write_gexf(_flattened(graph), path)
    elif fmt == "json":
        data = nx.node_link_data(graph, edges="links")
        for item in data["nodes"] + data["links"]:
            for key, value in list(item.items()):
                item[key] = _jsonable(value)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    else:
        raise ValueError(f"cannot tell the export format of {path}: use .graphml, .gexf or .json")
    return path
