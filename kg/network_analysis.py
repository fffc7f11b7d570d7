"""Analysis and layout of a network: degree, betweenness and PageRank, Louvain communities, a text
report of the most central nodes, and positions computed in Python for graphs too large for the
browser's physics.
"""

from __future__ import annotations

import math

import networkx as nx

__all__ = ["annotate", "centrality", "communities", "layout", "metrics_report"]


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
