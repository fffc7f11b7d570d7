"""Positions of a network's nodes computed in Python, the same for the same graph in every process.

The layouts are networkx's own (:func:`networkx.spring_layout`, Fruchterman-Reingold;
:func:`networkx.forceatlas2_layout`; :func:`networkx.kamada_kawai_layout`) run with a fixed seed on
a canonical copy of the graph: nodes numbered in the order of their names and links sorted, so that
neither the order in which a projection added its nodes nor Python's hash randomisation (the order
of sets of strings, ``PYTHONHASHSEED``) changes a position.

Each connected component is laid out on its own, in an area that grows with its number of nodes,
and the components are set side by side in rows, largest first (the largest at the top left).
networkx's layouts hold an ``n`` by ``n`` matrix (or loop over the nodes in Python past 500 nodes),
so a component of more than :data:`DIRECT` nodes is placed in two steps: its Louvain communities
are each laid out on their own around their place in the layout of the graph of communities. A
community still larger than :data:`DIRECT` is split again the same way; one that Louvain cannot
split is laid out whole.

The default, ``auto``, chooses by the size of each component (:data:`DIRECT`, :data:`WHOLE`,
:data:`PIECES`; the figures behind each limit are in bench/NETWORK.md, round 5): spring up to
:data:`DIRECT` nodes; past that, the communities laid out by spring are the start of
:data:`REFINE` iterations of ForceAtlas2 on the whole component, up to :data:`WHOLE` nodes; up to
:data:`PIECES` nodes, the communities laid out by ForceAtlas2; beyond, the communities' layout,
each community placed by the same rules.
"""

from __future__ import annotations

import math

import networkx as nx

__all__ = ["DIRECT", "LAYOUTS", "PAGE_SCALE", "PIECES", "REFINE", "WHOLE", "canonical", "layout"]

#: The layouts that :func:`layout` can use, by name (compared in bench/NETWORK.md): ``auto``, the
#: choice by size below, or one networkx layout for every component.
LAYOUTS = ("auto", "spring", "forceatlas2", "kamada-kawai")

#: The ``scale`` of the network pages' layouts: 150 page units per square root of a node, so that the
#: labels of neighbours stand apart once a reader zooms in (tests/test_network_labels.py).
PAGE_SCALE = 1500.0

#: Largest graph (or community) laid out in one piece: networkx's Fruchterman-Reingold works on a
#: dense matrix below 500 nodes and loops over the nodes in Python from 500 on (ten times slower).
#: ``auto`` uses spring up to this size: ForceAtlas2 packs leaves onto their hubs (a median of 32
#: overlapping dots on the actor network over seeds 1 to 7, against 5) for about as many crossings.
DIRECT = 499

# The choice of ``auto`` by the number of nodes of a component, measured on every network `kg network`
# draws (bench/NETWORK.md, round 5: `python bench/network_bench.py --compare-layouts ...`):
#: Up to this size (past :data:`DIRECT`), the communities' layout is the start of :data:`REFINE`
#: iterations of ForceAtlas2 on the whole component: on the source network (956 nodes) a median of
#: 8,813 crossings over seeds 1 to 5 and no overlapping dots, in 2.9 s of processor time, against
#: 20,475 and 13 for the communities alone (0.7 s) and 13,031 for ForceAtlas2 community by community
#: (3.0 s). Beyond, ForceAtlas2's ``n`` by ``n`` arrays cost too much (about 40 ms an iteration at
#: 1,000 nodes, growing as the square; on the 1,823 nodes of the source network with --figures, 50
#: iterations on the whole, from a start twice as large, gave more crossings than the communities
#: alone, in 11 s).
WHOLE = 1000
#: Iterations of ForceAtlas2 from the communities' layout, on the source network (medians over seeds
#: 1 to 5): 30 are not settled (9,532 crossings, 34 overlapping dots); 40, 45, 50 and 60 give about
#: the same drawing (8,901, 8,850, 8,813, 8,797 crossings, 0 overlapping); 50 leaves a margin.
REFINE = 50
#: The communities' layout (a disc of radius about sqrt(n)) enlarged towards ForceAtlas2's own scale:
#: from 5 times it settles within 40 iterations for every seed tried; from 10 times, 40 iterations
#: left every seed far from settled (26,486 to 134,709 crossings) and 50 some with 27 overlapping dots.
REFINE_START = 5.0
#: Up to this size (past :data:`WHOLE`), the communities and the graph of communities are laid out by
#: ForceAtlas2 (200 iterations each, from random starts): on the source network with --figures (1,823
#: nodes) a median of 18,018 crossings over seeds 1 to 5 in 8.9 s, against 36,883 with spring alone
#: (round 4, 3.6 s), 34,198 with spring and the 895 nodes of its largest community refined as above
#: (5.7 s), and 24,911 with every community of more than 20 nodes refined (6.1 s, seeds 1 to 3).
#: Beyond, spring: ForceAtlas2 took 43 s on the 9,560 nodes of the x10 source network (round 4).
PIECES = 2000


def canonical(graph: nx.Graph) -> tuple[nx.Graph, list]:
    """An undirected simple graph on the nodes ``0..n-1`` numbered in the order of ``str(node)``.

    Returns the graph and the list of the original nodes (``nodes[i]`` is node ``i``). Links are
    added sorted, self-loops dropped, parallel links counted in the ``weight`` of the one link.

    Examples
    --------
    >>> g, nodes = canonical(nx.MultiDiGraph([("b", "a"), ("a", "b"), ("c", "c")]))
    >>> nodes, sorted(g.edges(data="weight"))
    (['a', 'b', 'c'], [(0, 1, 2)])
    """
    nodes = sorted(graph, key=lambda node: (str(node), repr(node)))
    index = {node: i for i, node in enumerate(nodes)}
    weights: dict[tuple[int, int], int] = {}
    for u, v in graph.edges():
        i, j = sorted((index[u], index[v]))
        if i != j:
            weights[i, j] = weights.get((i, j), 0) + 1
    out = nx.Graph()
    out.add_nodes_from(range(len(nodes)))
    out.add_weighted_edges_from((i, j, w) for (i, j), w in sorted(weights.items()))
    return out, nodes


def _direct(graph: nx.Graph, method: str, seed: int) -> dict[int, tuple[float, float]]:
    """Positions of a small connected graph of integer nodes by the named networkx layout, centred,
    within a disc of radius ``sqrt(n)`` (the area per node is the same whatever the size)."""
    n = len(graph)
    if n == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    if method == "auto":
        method = "spring"
    if method == "spring":
        pos = nx.spring_layout(graph, seed=seed, weight=None, iterations=100 if n <= 200 else 50, method="force")
    elif method == "forceatlas2":
        pos = nx.forceatlas2_layout(graph, seed=seed, max_iter=200)
    elif method == "kamada-kawai":
        pos = nx.kamada_kawai_layout(graph, weight=None, pos=nx.circular_layout(sorted(graph)))
    else:
        raise ValueError(f"unknown layout {method!r}: use one of {', '.join(LAYOUTS)}")
    return _disc(pos)


def _refine(graph: nx.Graph, start: dict, seed: int) -> dict[int, tuple[float, float]]:
    """:data:`REFINE` iterations of ForceAtlas2 on a connected graph from the positions ``start``,
    within a disc of radius ``sqrt(n)``."""
    import numpy as np

    begin = {node: np.array(start[node], dtype=float) * REFINE_START for node in graph}
    return _disc(nx.forceatlas2_layout(graph, pos=begin, seed=seed, max_iter=REFINE))


def _disc(pos: dict) -> dict[int, tuple[float, float]]:
    """Positions centred and scaled to a disc of radius ``sqrt(n)``."""
    import numpy as np

    n = len(pos)
    nodes = sorted(pos)
    arr = np.array([pos[node] for node in nodes], dtype=float)
    arr -= arr.mean(axis=0)
    arr *= math.sqrt(n) / max(float(np.sqrt((arr**2).sum(axis=1)).max()), 1e-9)
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, arr)}


def _split(graph: nx.Graph, seed: int) -> list[list[int]]:
    """Louvain communities of a connected graph of integer nodes, each sorted, largest first."""
    found = nx.community.louvain_communities(graph, seed=seed)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def _pieces(graph: nx.Graph, groups: list[list[int]], method: str, seed: int) -> list[dict]:
    """Each group of nodes placed on its own (:func:`_place`), in the node numbers of ``graph``."""
    out = []
    for group in groups:
        sub, nodes = canonical(graph.subgraph(group))
        out.append({nodes[j]: xy for j, xy in _place(sub, method, seed).items()})
    return out


def _pack(pieces: list[dict], gap: float = 1.5) -> dict[int, tuple[float, float]]:
    """Pieces side by side in rows by their bounding boxes, in the given order (largest first),
    reading order (y grows downwards, as on a canvas), rows about 1.4 times as wide as tall."""
    boxes = []
    for piece in pieces:
        xs, ys = [x for x, _ in piece.values()], [y for _, y in piece.values()]
        boxes.append((min(xs), min(ys), max(max(xs) - min(xs), 1.0), max(max(ys) - min(ys), 1.0)))
    area = sum((w + gap) * (h + gap) for _, _, w, h in boxes)
    width = max(boxes[0][2], math.sqrt(1.4 * area))
    out: dict[int, tuple[float, float]] = {}
    x = y = row = 0.0
    for piece, (x0, y0, w, h) in zip(pieces, boxes):
        if x and x + w > width:
            x, y, row = 0.0, y + row + gap, 0.0
        for node, (px, py) in piece.items():
            out[node] = (x + px - x0, y + py - y0)
        x += w + gap
        row = max(row, h)
    return out


def _place(graph: nx.Graph, method: str, seed: int) -> dict[int, tuple[float, float]]:
    """Positions of a graph of integer nodes, a piece of ``k`` nodes taking a disc of radius about
    ``sqrt(k)``: each connected component on its own, packed largest first; a component of more
    than :data:`DIRECT` nodes community by community (with ``auto``, as the module's text says)."""
    components = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    if len(components) > 1:
        return _centred(_pack(_pieces(graph, components, method, seed)))
    groups = _split(graph, seed) if len(graph) > DIRECT else []
    if len(groups) < 2:  # small, or no communities to split on: in one piece
        return _direct(graph, method, seed)
    if method == "auto" and len(graph) <= WHOLE:
        return _refine(graph, _communities(graph, groups, "spring", seed), seed)
    if method == "auto" and len(graph) <= PIECES:
        return _communities(graph, groups, "forceatlas2", seed)
    return _communities(graph, groups, method, seed)


def _communities(graph: nx.Graph, groups: list[list[int]], method: str, seed: int) -> dict:
    """Positions of a connected graph whose nodes are split in ``groups``: each group laid out on its
    own around its place in the layout of the graph of groups, centred."""
    member = {node: i for i, group in enumerate(groups) for node in group}
    meta = nx.Graph()
    meta.add_nodes_from(range(len(groups)))
    for u, v in graph.edges():
        a, b = sorted((member[u], member[v]))
        if a != b:
            meta.add_edge(a, b)
    # the graph of communities, laid out in the same way, gives k communities a disc of radius
    # sqrt(k): spread so that the component's n nodes get about sqrt(n). (ForceAtlas2's overlap
    # prevention on discs of the communities' sizes was tried: worse, see bench/NETWORK.md.)
    centres = _place(meta, method, seed)
    scale = 1.2 * math.sqrt(len(graph) / len(groups))
    out: dict[int, tuple[float, float]] = {}
    for i, piece in enumerate(_pieces(graph, groups, method, seed)):
        cx, cy = (c * scale for c in centres[i])
        for node, (x, y) in piece.items():
            out[node] = (cx + x, cy + y)
    return _centred(out)


def _centred(pos: dict) -> dict:
    if not pos:
        return pos
    mx = sum(x for x, _ in pos.values()) / len(pos)
    my = sum(y for _, y in pos.values()) / len(pos)
    return {node: (x - mx, y - my) for node, (x, y) in pos.items()}


def layout(
    graph: nx.Graph, *, method: str = "auto", seed: int = 7, scale: float = 1000.0
) -> dict[object, tuple[float, float]]:
    """Positions of the nodes, the same for the same graph in every process.

    Parameters
    ----------
    graph : networkx graph
        Any graph; directions and parallel links are ignored.
    method : {"auto", "spring", "forceatlas2", "kamada-kawai"}
        ``auto`` (the default) chooses by the size of each component (see the module's text and
        bench/NETWORK.md); the others use that networkx layout for every component.
    seed : int
        Seed of the layout's random start and of the Louvain communities of large graphs.
    scale : float
        Half the width of the drawing for 100 nodes; it grows with the square root of the number
        of nodes, so that the area per node stays about the same.

    Returns
    -------
    dict
        ``{node: (x, y)}``, centred on the origin.

    Raises
    ------
    ValueError
        For an unknown ``method``.

    Examples
    --------
    >>> pos = layout(nx.path_graph(["a", "b", "c"]))
    >>> sorted(pos) == ["a", "b", "c"] and pos == layout(nx.path_graph(["c", "b", "a"]))
    True
    """
    if method not in LAYOUTS:
        raise ValueError(f"unknown layout {method!r}: use one of {', '.join(LAYOUTS)}")
    simple, nodes = canonical(graph)
    n = len(nodes)
    if n == 0:
        return {}
    unit = scale / 10  # a piece of 100 nodes takes a disc of radius 10 units
    return {nodes[i]: (x * unit, y * unit) for i, (x, y) in sorted(_place(simple, method, seed).items())}

