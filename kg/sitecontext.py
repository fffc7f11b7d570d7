"""What every page of ``kg site`` is drawn with: the :class:`Context` (model, templates, output folder,
passages), the passages of evidence spans read from the corpus (:class:`Passages`), and the view of a
value and of an evidence span handed to the templates as plain ``{"text", "href"}`` dicts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

from kg.output import visible
from kg.sitedata import passage_context, shorten
from kg.skolem import is_node

__all__ = ["DOCUMENT_PAGE", "Context", "Passages", "evidence_view"]

#: Spans per document page.
DOCUMENT_PAGE = 150


def _document_page(doc: str, number: int) -> str:
    return f"document/d{doc}.html" if number == 1 else f"document/d{doc}-{number}.html"


class Passages:
    """The text of evidence spans, read from the corpus when one is given (else nothing)."""

    def __init__(self, corpus: Path | None):
        self.corpus = corpus
        self.cache = {}

    def get(self, span) -> tuple[str, str, str] | None:
        """``(before, span, after)`` of a span, or ``None`` without a corpus or when unreadable."""
        if span.iri not in self.cache:
            self.cache[span.iri] = self._get(span)
        return self.cache[span.iri]

    def _get(self, span):
        if self.corpus is None:
            return None
        from kg import corpus

        try:
            text = corpus.document_text(self.corpus, span.doc)
        except corpus.CorpusError:
            return None
        if span.end > len(text):
            return None
        return passage_context(text, span.start, span.end)


@dataclass
class Context:
    model: object
    env: object
    out: Path
    passages: Passages
    scripts: list[str]
    cache: dict = None
    span_pages: dict = None

    def __post_init__(self):
        self.cache = {}
        self.span_pages = {}
        spans_by_doc = defaultdict(list)
        for span in self.model.spans.values():
            spans_by_doc[span.doc].append(span)
        # long documents are cut into pages of DOCUMENT_PAGE spans: d004.html, d004-2.html ...
        self.document_pages = {}
        for doc, spans in spans_by_doc.items():
            spans.sort(key=lambda s: (s.start, s.end))
            chunks = [spans[i:i + DOCUMENT_PAGE] for i in range(0, len(spans), DOCUMENT_PAGE)]
            self.document_pages[doc] = chunks
            for number, chunk in enumerate(chunks, 1):
                for span in chunk:
                    self.span_pages[span.iri] = _document_page(doc, number)

    def render(self, template: str, path: str, **values) -> None:
        depth = path.count("/")
        root = "../" * depth
        html = self.env.get_template(template).render(root=root, scripts=self.scripts,
                                                      with_passages=self.passages.corpus is not None, **values)
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")


def _value(model, term: dict) -> dict:
    if term["type"] == "uri":
        return {"text": model.label(term["value"]), "href": model.page(term["value"]), "iri": shorten(term["value"])}
    if term["type"] == "bnode":
        return {"text": model.fold(term["value"]), "href": None, "iri": ""}
    return {"text": term["value"], "href": None, "iri": ""}


def _highlight(text: str, names) -> Markup:
    """Escape a passage (its control and bidi characters drawn as escapes: :func:`kg.output.visible`)
    and mark the entity's names in it."""
    out = escape(visible(text))
    pattern = _names_pattern(tuple(names))
    if pattern is None:
        return Markup(out)
    return Markup(pattern.sub(lambda m: f"<b>{m.group(0)}</b>", str(out)))


@lru_cache(maxsize=4096)
def _names_pattern(names: tuple) -> re.Pattern | None:
    names = sorted({n for n in names if len(n) > 2}, key=len, reverse=True)
    if not names:
        return None
    return re.compile("|".join(re.escape(str(escape(visible(n)))) for n in names), re.IGNORECASE)


def evidence_view(ctx: Context, ev: str, names: list[str] = ()) -> dict:
    """An evidence span for a template: reference, document link, hash and (with the corpus) its passage."""
    key = (ev, tuple(names))
    cached = ctx.cache.get(key)
    if cached is None:
        cached = ctx.cache[key] = _evidence_view(ctx, ev, names)
    return cached


def _evidence_view(ctx: Context, ev: str, names) -> dict:
    model = ctx.model
    span = model.spans.get(ev)
    if span is None:
        return {"short": shorten(ev), "doc": "", "href": None, "passage": None, "sha256": ""}
    text = ctx.passages.get(span)
    passage = None
    if text:
        passage = {"before": text[0], "span": _highlight(text[1], names), "after": text[2]}
    page = ctx.span_pages.get(ev, f"document/d{span.doc}.html")
    return {"short": span.short, "doc": span.doc, "start": span.start, "end": span.end, "sha256": span.sha256,
            "href": f"{page}#{span.short.replace(':', '-')}", "passage": passage,
            "notes": [_value(model, {"type": "uri", "value": n}) for n in span.notes]}


def _is_bnode(iri: str) -> bool:
    """True for a blank node: a blank node label, or the IRI the build named it with (:mod:`kg.skolem`)."""
    return not iri.startswith(("http://", "https://")) or is_node(iri)
