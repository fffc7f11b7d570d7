"""Stable IRIs for blank nodes, so no store can split or duplicate them (RDF 1.1 skolemization).

A blank node (a position, a membership, a qualified statement written ``[ ... ]``) has no name
outside the file that holds it: a store that receives the graph twice keeps two copies, and an
update split into several requests can cut a node from its evidence. The build therefore names
every blank node ``https://w3id.org/kzkg/id/node/<hash>``, the hash taken from the evidence graph
that holds it and its own triples (blank objects by their own hash, recursively), so the same input
always gives the same IRI and two different nodes never share one.

>>> from rdflib import Dataset, BNode, URIRef, Literal
>>> ds = Dataset(); g = ds.graph(URIRef("https://w3id.org/kzkg/id/evidence/d000-1-2"))
>>> node = BNode(); g.add((URIRef("http://e/a"), URIRef("http://e/p"), node)); g.add((node, URIRef("http://e/q"), Literal("x")))
>>> skolemize(ds)
1
>>> sorted(str(o) for o in g.objects(URIRef("http://e/a"), URIRef("http://e/p")))
['https://w3id.org/kzkg/id/node/...']
"""

from __future__ import annotations

import hashlib

__all__ = ["NODE", "skolemize", "skolem_names", "is_node"]

NODE = "https://w3id.org/kzkg/id/node/"


def is_node(iri) -> bool:
    """True for an IRI that :func:`skolemize` gave a blank node."""
    return str(iri).startswith(NODE)


def _describe(graph, node, depth: int = 0, seen: frozenset = frozenset()) -> str:
    from rdflib import BNode

    parts = []
    for p, o in graph.predicate_objects(node):
        if isinstance(o, BNode):
            inner = "cycle" if o in seen or depth > 6 else _describe(graph, o, depth + 1, seen | {node})
            parts.append(f"{p.n3()} [{inner}]")
        else:
            parts.append(f"{p.n3()} {o.n3()}")
    for s, p in graph.subject_predicates(node):
        if not isinstance(s, BNode):
            parts.append(f"^{p.n3()} {s.n3()}")
    return " ; ".join(sorted(parts))


def skolem_names(dataset) -> dict:
    """``{blank node: its stable IRI}`` for every blank node of ``dataset`` (see :func:`skolemize`).

    A node's name depends only on the triples that hold it (as subject or object) in the graph that
    names it, so a dataset of just the triples holding blank nodes gives the same names.
    """
    from rdflib import BNode, URIRef
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    graphs = sorted((g for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID),
                    key=lambda g: str(g.identifier))
    graphs.append(dataset.graph(DATASET_DEFAULT_GRAPH_ID))
    names: dict = {}  # BNode -> URIRef
    used: dict[URIRef, BNode] = {}
    for graph in graphs:
        nodes = {t for triple in graph for t in (triple[0], triple[2]) if isinstance(t, BNode)}
        for node in sorted(nodes - names.keys(), key=str):
            text = f"{graph.identifier}\n{_describe(graph, node)}"
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
            iri = URIRef(NODE + digest)
            n = 1
            while iri in used and used[iri] != node:  # identical descriptions in one graph stay distinct nodes
                n += 1
                iri = URIRef(f"{NODE}{digest}-{n}")
            used[iri] = node
            names[node] = iri
    return names


def skolemize(dataset) -> int:
    """Replace every blank node of ``dataset`` (an rdflib ``Dataset``) by a stable IRI, in place.

    A node is named from the first named graph (in IRI order) that holds it, else the default graph,
    and its triples there. Returns the number of nodes renamed.
    """
    from rdflib import BNode
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    names = skolem_names(dataset)
    if not names:
        return 0
    graphs = [g for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID]
    graphs.append(dataset.graph(DATASET_DEFAULT_GRAPH_ID))
    for graph in graphs:
        changed = [(s, p, o) for s, p, o in graph if isinstance(s, BNode) or isinstance(o, BNode)]
        for s, p, o in changed:
            graph.remove((s, p, o))
            graph.add((names.get(s, s), p, names.get(o, o)))
    return len(names)
