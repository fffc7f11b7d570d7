"""Exports any standard reader reads alike: JSON-LD with a real default graph and only the prefixes used,
and XML exports whatever the labels hold.

rdflib writes a dataset's default graph as a top-level object ``{"@graph": [...]}`` without ``@id``,
which JSON-LD readers (pyld, pyoxigraph) take for a named graph with a blank-node name, so the named
questions find nothing in the default graph. :func:`write_jsonld` lifts those nodes to the top-level
``@graph`` (the JSON-LD default graph) and keeps one object per named graph (``@id`` + ``@graph``);
its context holds only the prefixes of IRIs that occur.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from rdflib import Literal, URIRef

__all__ = ["write_jsonld", "jsonld_document", "used_prefixes", "xml_safe", "store_prefixes", "jsonld_from_store", "write_jsonld_from_store",
           "write_trig_from_store"]

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(value):
    """``value`` with the characters XML 1.0 cannot hold removed (strings only; other values unchanged)."""
    return _XML_BAD.sub("", value) if isinstance(value, str) else value


def used_prefixes(dataset) -> dict[str, str]:
    """The prefixes of :data:`kg.namespaces.PREFIXES` (and ``xsd``, ``rdf``) that IRIs of ``dataset`` use."""
    from kg.namespaces import PREFIXES

    iris = set()
    for quad in dataset.quads((None, None, None, None)):
        for term in quad:
            if isinstance(term, URIRef):
                iris.add(str(term))
            elif isinstance(term, Literal) and term.datatype is not None:
                iris.add(str(term.datatype))
    starts = {iri.split("#")[0] + "#" if "#" in iri else iri.rsplit("/", 1)[0] + "/" for iri in iris}
    out = {}
    for prefix, base in PREFIXES.items():
        if base in starts or any(iri.startswith(base) for iri in starts if len(iri) >= len(base)):
            out[prefix] = base
    return dict(sorted(out.items()))


def jsonld_document(dataset) -> dict:
    """The dataset as a JSON-LD document: default-graph nodes at the top, one object per named graph."""
    context = used_prefixes(dataset)
    text = dataset.serialize(format="json-ld", context=context, auto_compact=True)
    data = json.loads(text)
    items = data.get("@graph", []) if isinstance(data, dict) else data
    top: list = []
    for item in items:
        if isinstance(item, dict) and "@graph" in item and "@id" not in item:
            top.extend(item["@graph"])  # the default graph, written as an anonymous graph by rdflib
        else:
            top.append(item)
    return {"@context": context, "@graph": top}


def write_jsonld(dataset, path: Path) -> None:
    """Write :func:`jsonld_document` of ``dataset`` to ``path`` (UTF-8)."""
    Path(path).write_text(json.dumps(jsonld_document(dataset), ensure_ascii=False, indent=1), encoding="utf-8")


def _prefixes_of(iris) -> dict[str, str]:
    """The prefixes of :data:`kg.namespaces.PREFIXES` that some IRI of ``iris`` starts with, sorted by name."""
    from kg.namespaces import PREFIXES

    out = {prefix: base for prefix, base in PREFIXES.items() if any(iri.startswith(base) for iri in iris)}
    return dict(sorted(out.items()))


def store_prefixes(store) -> dict[str, str]:
    """:func:`used_prefixes` of a ``pyoxigraph.Store`` (the same prefixes for the same quads)."""
    return _prefixes_of(_namespaces(_store_iris(list(store))))


def _store_iris(quads) -> set[str]:
    import pyoxigraph as ox

    iris = set()
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    return iris


def _namespaces(iris) -> set[str]:
    return {iri.split("#")[0] + "#" if "#" in iri else iri.rsplit("/", 1)[0] + "/" for iri in iris}


def _compactor(context: dict[str, str]):
    """A function giving the compact IRI (``prefix:rest``) of an IRI under ``context``, longest base first."""
    by_base = {base: prefix for prefix, base in context.items()}
    seen: dict[str, str] = {}

    def compact(iri: str) -> str:
        out = seen.get(iri)
        if out is None:
            out = iri
            ends = [i + 1 for i, c in enumerate(iri) if c in "/#:"]
            for end in reversed(ends):  # the longest base the IRI starts with
                prefix = by_base.get(iri[:end])
                if prefix is not None and not iri[end:].startswith("//"):
                    out = f"{prefix}:{iri[end:]}"
                    break
            seen[iri] = out
        return out

    return compact


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def jsonld_from_store(store, context: dict[str, str] | None = None) -> dict:
    """The quads of a ``pyoxigraph.Store`` as the JSON-LD document :func:`jsonld_document` makes of a
    dataset: default-graph nodes at the top, each named graph as the ``@graph`` of its node, IRIs
    compacted with a context of the prefixes used (:func:`used_prefixes`, unless ``context`` is
    given), values in expanded form (``{"@value", "@type" | "@language"}``, ``{"@id"}``).
    Much faster than rdflib's JSON-LD writer.
    """
    import pyoxigraph as ox

    named, literal = ox.NamedNode, ox.Literal
    rows = []
    iris: set[str] = set()
    for s, p, o, g in store:  # one pass: plain strings, and every IRI for the context
        sv = s.value if type(s) is named else "_:" + s.value
        if type(s) is named:
            iris.add(sv)
        iris.add(p.value)
        if type(o) is literal:
            if o.language:
                ov = (o.value, "@language", o.language)
            else:
                dt = o.datatype.value
                iris.add(dt)
                ov = (o.value, None, None) if dt == _XSD_STRING else (o.value, "@type", dt)
        elif type(o) is named:
            iris.add(o.value)
            ov = (o.value, "@id", None)
        else:
            ov = ("_:" + o.value, "@id", None)
        if type(g) is named:
            iris.add(g.value)
            gv = g.value
        elif type(g) is ox.DefaultGraph:
            gv = None
        else:
            gv = "_:" + g.value
        rows.append((gv, sv, p.value, ov))
    context = _prefixes_of(_namespaces(iris)) if context is None else context
    compact = _compactor(context)
    top: dict[str, dict] = {}  # default-graph nodes (and the nodes naming graphs), by @id
    graphs: dict[str, dict[str, dict]] = {}
    for gv, sv, pv, (value, kind, extra) in rows:
        nodes = top if gv is None else graphs.setdefault(gv if gv.startswith("_:") else compact(gv), {})
        sid = sv if sv.startswith("_:") else compact(sv)
        node = nodes.get(sid)
        if node is None:
            node = nodes[sid] = {"@id": sid}
        if kind == "@id":
            item = {"@id": value if value.startswith("_:") else compact(value)}
        elif kind == "@type":
            item = {"@value": value, "@type": compact(extra)}
        elif kind == "@language":
            item = {"@value": value, "@language": extra}
        else:
            item = {"@value": value}
        values = node.get(pv)
        if values is None:
            values = node[pv] = []
        values.append(item)
    for nodes in (top, *graphs.values()):  # property IRIs compacted once per node
        for node in nodes.values():
            for key in [k for k in node if not k.startswith("@")]:
                node[compact(key)] = node.pop(key)
    for name, nodes in graphs.items():
        top.setdefault(name, {"@id": name})["@graph"] = list(nodes.values())
    return {"@context": context, "@graph": list(top.values())}


def write_jsonld_from_store(store, path: Path, context: dict[str, str] | None = None, document: dict | None = None) -> None:
    """Write :func:`jsonld_from_store` of ``store`` (or the ``document`` already made of it) to ``path``
    (UTF-8, no indentation: json's C encoder only runs without it). Raises ``OSError``."""
    document = jsonld_from_store(store, context) if document is None else document
    Path(path).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def write_trig_from_store(store, path: Path, context: dict[str, str] | None = None) -> None:
    """Write the quads of a ``pyoxigraph.Store`` as TriG with the prefixes used (pyoxigraph's writer)."""
    import pyoxigraph as ox

    context = store_prefixes(store) if context is None else context
    store.dump(str(path), format=ox.RdfFormat.TRIG, prefixes=context)
