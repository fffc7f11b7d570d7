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

__all__ = ["write_jsonld", "jsonld_document", "used_prefixes", "xml_safe"]

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
