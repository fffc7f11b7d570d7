"""The four projections of the graph to networks (actor, attack, legal, source), pure functions from the
built dataset (or the :class:`kg.network_facts.Facts` read from it) to a :class:`networkx.MultiDiGraph`.
See :mod:`kg.network` for what the nodes and edges carry.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from kg.namespaces import ORG, SCHEMA, shorten
from kg.network_facts import (
    _RELATION_LABELS,
    ACTOR_PREDICATES,
    ATTACK_PREDICATES,
    K,
    LEGAL_PREDICATES,
    RELATION_KINDS,
    SOURCE_PREDICATES,
    SYMMETRIC,
    Facts,
    _slug_label,
    read_facts,
)

__all__ = ["FIGURE_CLASSES", "PROJECTIONS", "actor_network", "attack_network", "legal_network", "project",
           "source_network"]


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
