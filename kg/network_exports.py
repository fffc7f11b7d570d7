"""Exports of a network with every attribute: GraphML, GEXF (Gephi) and node-link JSON."""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx

__all__ = ["EXPORT_FORMATS", "export"]

EXPORT_FORMATS = {".graphml": "graphml", ".gexf": "gexf", ".json": "json"}


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
    from kg.outputs import GENERATOR, written_whole

    if fmt not in ("graphml", "gexf", "json"):
        raise ValueError(f"cannot tell the export format of {path}: use .graphml, .gexf or .json")

    with written_whole(path) as tmp:  # a full disk leaves the previous export, not half of one
        if fmt == "graphml":
            flat = _flattened(graph)
            flat.graph["generator"] = GENERATOR  # marks the file as kzkg's: kg network replaces only its own
            nx.write_graphml(flat, tmp)
        elif fmt == "gexf":
            nx.write_gexf(_flattened(graph), tmp)
        else:
            data = nx.node_link_data(graph, edges="links")
            data["graph"] = {**data.get("graph", {}), "generator": GENERATOR}
            for item in data["nodes"] + data["links"]:
                for key, value in list(item.items()):
                    item[key] = _jsonable(value)
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return path
