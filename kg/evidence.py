"""The evidence model: one named graph per evidence span.

An evidence graph is named ``ev:dNNN-START-END``: document ``NNN``, characters ``START`` to
``END`` (Python string indices into the document decoded as UTF-8). The graph holds the triples
that the span states. Beside it, in the default graph of the same file, the curator records
``ev:dNNN-START-END kg:sha256 "<hex>"`` (and ``kg:note`` for the numbered note that backs it).
The build derives ``kg:document``, ``kg:start`` and ``kg:end`` from the name and verifies the hash
against the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg import corpus
from kg.namespaces import EV, KG, SOURCE

__all__ = ["Span", "parse_span", "span_triples", "verify_span", "SPAN_RE"]

SPAN_RE = re.compile(re.escape(str(EV)) + r"d(\d{3})-(\d+)-(\d+)$")


@dataclass(frozen=True)
class Span:
    """A span of a corpus document, named by an evidence graph IRI."""

    iri: URIRef
    doc: str
    start: int
    end: int

    @property
    def document(self) -> URIRef:
        return SOURCE[f"d{self.doc}"]


def parse_span(iri) -> Span | None:
    """The span an evidence IRI names, or ``None`` if the IRI is not of the form ``ev:dNNN-S-E``."""
    m = SPAN_RE.match(str(iri))
    if not m:
        return None
    if len(m.group(2)) > 12 or len(m.group(3)) > 12:  # no document is a terabyte; int() refuses 4,300 digits
        return None
    start, end = int(m.group(2)), int(m.group(3))
    if end <= start:
        return None
    return Span(URIRef(str(iri)), m.group(1), start, end)


def span_triples(span: Span):
    """The triples the build derives from an evidence IRI."""
    yield span.iri, RDF.type, KG.Evidence
    yield span.iri, KG.document, span.document
    yield span.iri, KG.start, Literal(span.start, datatype=XSD.integer)
    yield span.iri, KG.end, Literal(span.end, datatype=XSD.integer)


def verify_span(folder: Path, span: Span, recorded: str | None) -> str | None:
    """Check one span against the corpus; return a message saying what to fix, or ``None``."""
    try:
        text = corpus.span_text(folder, span.doc, span.start, span.end)
    except corpus.CorpusError as exc:
        return f"{exc}; find the right offsets with: kg locate {span.doc} \"some words\""
    actual = corpus.sha256_text(text)
    if recorded is None:
        return f"no kg:sha256 recorded; add: ev:d{span.doc}-{span.start}-{span.end} kg:sha256 \"{actual}\" ."
    if recorded != actual:
        preview = " ".join(text.split())[:60]
        return (
            f"kg:sha256 {recorded} does not match the text at {span.start}-{span.end} "
            f"(which hashes to {actual} and begins \"{preview}\"): the offsets or the hash are "
            f"wrong; re-run kg locate {span.doc} \"...\" and copy its offsets and hash"
        )
    return None
