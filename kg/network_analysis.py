"""Analysis of a network: degree, betweenness and PageRank, Louvain communities, and a text report
of the most central nodes. (Positions are computed in :mod:`kg.network_layout`.)
"""

from __future__ import annotations

import networkx as nx

__all__ = ["annotate", "centrality", "communities", "metrics_report"]


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

    from kg.output import one_line

    def label(node):  # a label from the graph, on its report line (escaped: kg.output.one_line)
        return one_line(graph.nodes[node].get("label", node))

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
