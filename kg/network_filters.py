"""Filters of a network, applied in this order by :func:`filter_graph`: class, relation, years,
document, neighbourhood. Each returns a new graph and drops the nodes it leaves without a link.
"""

from __future__ import annotations

import math

import networkx as nx

from kg.namespaces import BASE
from kg.network_facts import _local, _year

__all__ = ["by_class", "by_document", "by_relation", "by_years", "edge_period", "filter_graph", "find_node",
           "neighbourhood"]


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


def find_node(graph: nx.MultiDiGraph, name: str, engine=None) -> str:
    """The node of ``graph`` that ``name`` (an IRI, a prefixed name, a label or an alias) names.

    With ``engine`` (the graph the network was projected from), the name is resolved as every command
    resolves one (:func:`kg.search.entity_iri`: the same entity, or the same refusal, as ``kg show`` and
    ``-p entity=``), and the entity must be a node of ``graph``. Without it (a network read from a
    file), the nodes' own labels and aliases are ranked by the same rules (:class:`kg.search.SearchIndex`),
    with the class words of the nodes' classes.

    Raises
    ------
    KeyError
        The name is refused (no entity, or more than one alike: the message lists candidates), or the
        entity it names is not a node of this network.
    """
    from kg.query import ParamError, expand

    iri = expand(name) or name
    if iri in graph:
        return iri
    try:
        if engine is not None:
            from kg.search import entity_iri

            iri = entity_iri(engine, name)
        else:
            iri = _node_index(graph).resolve(name)
    except ParamError as exc:
        message = str(exc)
        if engine is None:
            message = message.replace("no entity is labelled", "no node of this network is named")
        raise KeyError(f"--around: {message}") from None
    if iri not in graph:
        from kg.namespaces import shorten

        raise KeyError(f"--around: {name!r} names {shorten(iri)}, which is not a node of the "
                       f"{graph.graph.get('projection', '')} network (with the filters given); "
                       "choose another projection, fewer filters, or another entity")
    return iri


def _node_index(graph: nx.MultiDiGraph):
    """A :class:`kg.search.SearchIndex` of the nodes' labels and aliases, with their classes' words as class words."""
    from kg.search import SearchIndex, normalise, singular

    entries = [{"iri": node, "label": d.get("label") or node, "aliases": [*d.get("aliases", []), d.get("short", "")],
                "cls": d.get("class_label", ""), "detail": d.get("date", "")} for node, d in graph.nodes(data=True)]
    generic = {singular(w) for _, d in graph.nodes(data=True) for w in normalise(d.get("class_label", "")).split()}
    return SearchIndex(entries, generic=generic)


def neighbourhood(graph: nx.MultiDiGraph, entity: str, steps: int = 1, engine=None) -> nx.MultiDiGraph:
    """The nodes within ``steps`` links of an entity (found by :func:`find_node`), either direction."""
    centre = find_node(graph, entity, engine)
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
    engine=None,
) -> nx.MultiDiGraph:
    """Apply the filters in order: class, relation, years ``(first, last)``, document, neighbourhood
    (``around`` is resolved by :func:`find_node`, with ``engine`` when given)."""
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
        graph = neighbourhood(graph, around, steps, engine)
    return graph
