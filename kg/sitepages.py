"""The pages of ``kg site``: what each page shows, gathered from a :class:`kg.sitedata.Model`.

Each ``write_*`` function renders one kind of page with its template and returns how many it wrote.
Values are handed to the templates as ``{"text", "href"}`` dicts; the templates escape all text.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

from kg.sitedata import DISPUTABLE, KGNS, NAME_PROPERTIES, RDF, SCHEMA, STAT_COLUMNS, TYPE, passage_context, shorten
from kg.skolem import is_node

__all__ = ["Passages", "Context", "write_entities", "write_documents", "write_classes", "write_timeline",
           "write_questions", "answer_questions", "write_home", "entity_view", "title", "timeline_items", "TIMELINE_CLASSES"]

TIMELINE_CLASSES = (KGNS + "Event", KGNS + "LegalAct", KGNS + "Program")
STAT, FINDING, DISAGREEMENT = KGNS + "Statistic", KGNS + "Finding", KGNS + "Disagreement"
#: Links that name the groups and places of an event, for the timeline filters.
GROUP_LINKS = (KGNS + "perpetratedBy", KGNS + "claimedBy", KGNS + "attributedTo", KGNS + "designatedGroup",
               KGNS + "participant", KGNS + "defendant", KGNS + "carriedOutBy")
NETWORK_LIMIT = 40
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
    """Escape a passage and mark the entity's names in it."""
    out = escape(text)
    pattern = _names_pattern(tuple(names))
    if pattern is None:
        return Markup(out)
    return Markup(pattern.sub(lambda m: f"<b>{m.group(0)}</b>", str(out)))


@lru_cache(maxsize=4096)
def _names_pattern(names: tuple) -> re.Pattern | None:
    names = sorted({n for n in names if len(n) > 2}, key=len, reverse=True)
    if not names:
        return None
    return re.compile("|".join(re.escape(str(escape(n))) for n in names), re.IGNORECASE)


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


def _rows(ctx, statements, names, value_of) -> list[dict]:
    """Statements grouped by property, each value once with every span that states it."""
    model = ctx.model
    groups: dict[str, dict] = {}
    for st in statements:
        group = groups.setdefault(st.p, {"property": model.label(st.p), "iri": shorten(st.p), "values": {}})
        key = value_of(st)
        row = group["values"].setdefault(key, {"value": _value(model, st.o if value_of is _object else
                                                              {"type": "bnode" if _is_bnode(st.s) else "uri",
                                                               "value": st.s}),
                                               "qualifiers": {}, "evidence": []})
        for qp, qo in st.qualifiers:
            row["qualifiers"].setdefault(model.label(qp), model.term_text(qo))
        if st.ev not in [e["key"] for e in row["evidence"]]:
            row["evidence"].append({"key": st.ev, **evidence_view(ctx, st.ev, names)})
    out = []
    for p, group in sorted(groups.items(), key=lambda kv: kv[1]["property"]):
        group["values"] = sorted(group["values"].values(), key=lambda r: r["value"]["text"])
        out.append(group)
    return out


def _object(st):
    return (st.o["type"], st.o["value"])


def _subject(st):
    return st.s


def _is_bnode(iri: str) -> bool:
    """True for a blank node: a blank node label, or the IRI the build named it with (:mod:`kg.skolem`)."""
    return not iri.startswith(("http://", "https://")) or is_node(iri)


def entity_view(ctx: Context, iri: str) -> dict:
    """Everything an entity page shows, as plain values for the template."""
    model = ctx.model
    names = [model.label(iri)] + model.aliases.get(iri, [])
    own = [st for st in model.by_subject.get(iri, []) if st.p not in NAME_PROPERTIES or st.p == SCHEMA + "name"]
    incoming = model.by_object.get(iri, [])
    statements = _rows(ctx, [st for st in own if st.p != TYPE], names, _object)
    types = _rows(ctx, [st for st in own if st.p == TYPE], names, _object)
    # facts stated about it through a qualifier node (a position, a membership ...), folded to one line
    folded = [st for st in incoming if _is_bnode(st.s) and not model.is_a(st.s, RDF + "Statement")]
    named_in = [st for st in incoming if not _is_bnode(st.s) and st.p not in (KGNS + "about", KGNS + "quantity")]
    referenced = _rows(ctx, named_in, names, _subject)
    qualified = _rows(ctx, folded, names, _subject)
    stats = [st.s for st in incoming if st.p in (KGNS + "about", KGNS + "quantity") and model.is_a(st.s, STAT)]
    findings = [st.s for st in incoming if st.p == KGNS + "about" and model.is_a(st.s, FINDING)]
    about_other = [st for st in incoming if st.p == KGNS + "about" and not model.is_a(st.s, STAT)
                   and not model.is_a(st.s, FINDING)]
    referenced += _rows(ctx, about_other, names, _subject)
    return {
        "iri": iri, "short": shorten(iri), "label": model.label(iri), "aliases": model.aliases.get(iri, []),
        "cls": _class_view(model, iri), "dates": model.dates(iri), "types": types,
        "statements": statements, "referenced": referenced, "qualified": qualified,
        "disputes": disputes(ctx, iri, names),
        "statistics": [statistic_row(ctx, s) for s in sorted(dict.fromkeys(stats), key=lambda s: model.first_date(s) or "")],
        "findings": [{"value": {**_value(model, {"type": "uri", "value": f}),
                                "text": title(model.label(f), _literal(model, f, SCHEMA + "description"))},
                      "text": "",
                      "evidence": [evidence_view(ctx, ev, names) for ev in _spans_of(model, f)]}
                     for f in dict.fromkeys(findings)],
        "events": events_of(model, iri), "neighbours": neighbours(model, iri),
        "network": json.dumps(network_data(model, iri)).replace("</", "<\\/"),
        "n_spans": len({st.ev for st in model.by_subject.get(iri, []) + incoming}),
    }


def title(label: str, detail: str) -> str:
    """One title from a label and a detail that may say it again: the label alone when it holds the
    detail (a statistic's label holds its value), the detail alone when the label is its beginning (a
    finding's label is its description cut short), else ``label: detail``. Compared as the search
    compares names.

    >>> title("People killed: 3 people (civilians; 2016)", "3")
    'People killed: 3 people (civilians; 2016)'
    >>> title("No figures exist on the number of…", "No figures exist on the number of women radicalized.")
    'No figures exist on the number of women radicalized.'
    >>> title("Ban on hijabs", "in force since 2017")
    'Ban on hijabs: in force since 2017'
    """
    from kg.search import normalise

    whole, start, said = normalise(label), normalise(label.rstrip("…").rstrip(".")), normalise(detail)
    if not said or said == whole or f" {said} " in f" {whole} ":
        return label
    if start and (said.startswith(start + " ") or said == start):
        return detail
    return f"{label}: {detail}"


def _class_view(model, iri):
    cls = model.main_class(iri)
    return {"text": model.label(cls), "href": f"class/{cls.rsplit('#', 1)[1]}.html"} if cls else None


def _literal(model, iri, prop) -> str:
    values = [st.o["value"] for st in model.by_subject.get(iri, []) if st.p == prop]
    return values[0] if values else ""


def _spans_of(model, iri) -> list[str]:
    return list(dict.fromkeys(st.ev for st in model.by_subject.get(iri, [])))


def statistic_row(ctx, stat: str) -> dict:
    """One statistic as a table row: value (with comparator or range), unit, period, place, category..."""
    model = ctx.model
    values = defaultdict(list)
    for st in model.by_subject.get(stat, []):
        v = _value(model, st.o)
        if v not in values[st.p]:
            values[st.p].append(v)
    value = ", ".join(v["text"] for v in values.get(KGNS + "value", []))
    if not value and (values.get(KGNS + "minValue") or values.get(KGNS + "maxValue")):
        lo = values.get(KGNS + "minValue", [{"text": "?"}])[0]["text"]
        hi = values.get(KGNS + "maxValue", [{"text": "?"}])[0]["text"]
        value = f"{lo}–{hi}"
    comparator = " ".join(v["text"] for v in values.get(KGNS + "comparator", []))
    cells = {name: values.get(prop, []) for name, prop in STAT_COLUMNS[1:]}
    quantity = values.get(KGNS + "quantity", [])
    # the row's title names what is counted; its label would say again the value, unit, place... beside it
    named = {**_value(model, {"type": "uri", "value": stat})}
    if quantity:
        named["text"] = ", ".join(q["text"] for q in quantity)
    return {"stat": named,
            "quantity": quantity,
            "value": f"{comparator} {value}".strip(), "cells": cells,
            "evidence": [evidence_view(ctx, ev) for ev in _spans_of(model, stat)]}


def disputes(ctx, iri: str, names) -> list[dict]:
    """Claims about the entity that disagree, side by side.

    Two sources: curated ``kg:Disagreement`` nodes that name the entity (as disputed subject or
    target, or a target about it), and, found here, a property of :data:`DISPUTABLE` given different
    values by different spans.
    """
    model = ctx.model
    out = []
    by_prop = defaultdict(lambda: defaultdict(list))
    for st in model.by_subject.get(iri, []):
        if st.p in DISPUTABLE and st.o["type"] == "literal":
            by_prop[st.p][st.o["value"]].append(st.ev)
    for p, values in by_prop.items():
        if len(values) < 2:
            continue
        vs = sorted(values)
        if all(any(a != b and b.startswith(a) for b in vs) for a in vs[:-1]) and len(vs) == 2:
            continue  # 2011 and 2011-05: one date at two precisions
        out.append({"kind": "different values", "note": "", "property": model.label(p), "href": None,
                    "sides": [{"value": {"text": v, "href": None},
                               "evidence": [evidence_view(ctx, ev, names) for ev in dict.fromkeys(evs)]}
                              for v, evs in sorted(values.items())]})
    about = {iri} | {st.s for st in model.by_object.get(iri, []) if st.p == KGNS + "about"}
    for node, facts in _disagreements(model):
        targets = [o["value"] for p, o in facts if p == KGNS + "disputes"]
        subjects = [o["value"] for p, o in facts if p == KGNS + "disputedSubject"]
        if not (set(targets) | set(subjects)) & about:
            continue
        kind = [model.label(o["value"]) for p, o in facts if p == KGNS + "disagreementKind"]
        note = [o["value"] for p, o in facts if p.endswith("editorialNote")]
        prop = [model.label(o["value"]) for p, o in facts if p == KGNS + "disputedProperty"]
        sides = []
        for t in targets:
            stated = [st for st in model.by_subject.get(t, []) if st.p != TYPE]
            summary = (statistic_row(ctx, t)["value"] if model.is_a(t, STAT)
                       else _literal(model, t, SCHEMA + "description") or model.label(t))
            sides.append({"value": {"text": title(model.label(t), summary), "href": model.page(t)},
                          "evidence": [evidence_view(ctx, ev, names) for ev in dict.fromkeys(st.ev for st in stated)]})
        derived = [o["value"] for p, o in facts if p.endswith("wasDerivedFrom")]
        if not sides and derived:
            sides = [{"value": {"text": shorten(d), "href": None}, "evidence": [evidence_view(ctx, d, names)]}
                     for d in derived]
        out.append({"kind": ", ".join(kind) or "disagreement", "note": " ".join(note),
                    "property": ", ".join(prop), "sides": sides, "href": model.page(node)})
    return out


def _disagreements(model) -> list:
    cached = getattr(model, "_disagreements", None)
    if cached is None:
        cached = [(n, f) for n, f in model.card.items() if DISAGREEMENT in model.types.get(n, ())]
        model._disagreements = cached
    return cached


def _linked(model, iri):
    """``(other, relation label, direction)`` for every named entity linked to ``iri`` by a statement."""
    for st in model.by_subject.get(iri, []):
        if st.o["type"] == "uri" and st.p != TYPE and model.page(st.o["value"]):
            yield st.o["value"], model.label(st.p), "out"
    for st in model.by_object.get(iri, []):
        if not _is_bnode(st.s) and model.page(st.s):
            yield st.s, model.label(st.p), "in"
        elif _is_bnode(st.s):  # through a qualifier node: its other named ends
            for q in model.by_subject.get(st.s, []):
                if q.o["type"] == "uri" and q.o["value"] != iri and q.p != TYPE and model.page(q.o["value"]):
                    yield q.o["value"], model.label(q.p), "in"


def neighbours(model, iri) -> list[dict]:
    """Named entities linked to ``iri`` (statistics and findings left out), with the relations, by label."""
    found: dict[str, set[str]] = defaultdict(set)
    for other, rel, direction in _linked(model, iri):
        if other == iri or model.is_a(other, STAT) or model.is_a(other, FINDING):
            continue
        found[other].add(rel if direction == "out" else f"{rel} (of this)")
    return sorted(({"value": _value(model, {"type": "uri", "value": o}), "relations": sorted(r),
                    "cls": model.label(model.main_class(o) or "")} for o, r in found.items()),
                  key=lambda n: n["value"]["text"].casefold())


def events_of(model, iri) -> list[dict]:
    """Events, acts and programs linked to the entity (or the entity itself), in time order."""
    found = {o for o, _, _ in _linked(model, iri) if any(model.is_a(o, c) for c in TIMELINE_CLASSES)}
    rows = [{"value": _value(model, {"type": "uri", "value": e}), "date": model.first_date(e) or "",
             "cls": model.label(model.main_class(e) or "")} for e in found]
    return sorted(rows, key=lambda r: (r["date"] or "9999", r["value"]["text"]))


def network_data(model, iri) -> dict:
    """Nodes and links of the entity's neighbourhood (at most :data:`NETWORK_LIMIT` neighbours)."""
    nodes = {iri: {"id": iri, "label": model.label(iri), "group": model.label(model.main_class(iri) or ""),
                   "href": model.page(iri), "centre": True}}
    edges = []
    for other, rel, direction in _linked(model, iri):
        if model.is_a(other, STAT) or model.is_a(other, FINDING) or other == iri:
            continue
        if other not in nodes:
            if len(nodes) > NETWORK_LIMIT:
                continue
            nodes[other] = {"id": other, "label": model.label(other),
                            "group": model.label(model.main_class(other) or ""), "href": model.page(other)}
        pair = (iri, other) if direction == "out" else (other, iri)
        if not any(e["from"] == pair[0] and e["to"] == pair[1] and e["label"] == rel for e in edges):
            edges.append({"from": pair[0], "to": pair[1], "label": rel})
    return {"nodes": list(nodes.values()), "edges": edges}


def write_entities(ctx: Context) -> int:
    for iri in ctx.model.entities:
        ctx.render("entity.html", ctx.model.page(iri), e=entity_view(ctx, iri))
    return len(ctx.model.entities)


def write_documents(ctx: Context) -> int:
    """One page per document (more for long ones): spans in reading order, each with its facts."""
    model = ctx.model
    for doc_iri, info in sorted(model.documents.items()):
        doc = doc_iri.rsplit("/d", 1)[1]
        chunks = ctx.document_pages.get(doc, [[]])
        cited = {}
        pages = []
        for chunk in chunks:
            spans = []
            for span in chunk:
                facts = []
                for st in model.by_span.get(span.iri, []):
                    if _is_bnode(st.s) or st.p == TYPE and model.page(st.s) is None:
                        continue
                    facts.append({"subject": _value(model, {"type": "uri", "value": st.s}),
                                  "property": model.label(st.p), "value": _value(model, st.o)})
                    if st.p in (KGNS + "citesWork", KGNS + "citedSource", KGNS + "cites") and st.o["type"] == "uri":
                        cited[st.o["value"]] = _value(model, st.o)
                for note in span.notes:
                    for st in model.by_subject.get(note, []):
                        if st.p == KGNS + "citesWork":
                            cited[st.o["value"]] = _value(model, st.o)
                spans.append({"anchor": span.short.replace(":", "-"), **evidence_view(ctx, span.iri), "facts": facts})
            pages.append(spans)
        total = sum(len(c) for c in chunks)
        links = [{"number": n, "href": _document_page(doc, n).split("/", 1)[1],
                  "first": (n - 1) * DOCUMENT_PAGE + 1, "last": min(n * DOCUMENT_PAGE, total)}
                 for n in range(1, len(chunks) + 1)]
        for number, spans in enumerate(pages, 1):
            ctx.render("document.html", _document_page(doc, number), doc=doc, title=info.get("title", doc),
                       file=info.get("fileName", ""), spans=spans, total=total, number=number, pager=links,
                       cited=sorted(cited.values(), key=lambda v: v["text"].casefold()))
    return len(model.documents)


def class_index(model) -> list[dict]:
    """Entities by their most specific class: ``[{cls, name, label, entities}]`` by label."""
    by_class = defaultdict(list)
    for iri in model.entities:
        cls = model.main_class(iri)
        if cls and not _is_bnode(iri):
            by_class[cls].append(iri)
    return sorted(({"cls": c, "name": c.rsplit("#", 1)[1], "label": model.label(c), "entities": sorted(
        members, key=lambda i: model.label(i).casefold())} for c, members in by_class.items()),
        key=lambda c: c["label"].casefold())


def write_classes(ctx: Context) -> int:
    classes = class_index(ctx.model)
    for c in classes:
        ctx.render("class.html", f"class/{c['name']}.html", cls=c,
                   entities=[{**_value(ctx.model, {"type": "uri", "value": i}),
                              "date": ctx.model.first_date(i) or ""} for i in c["entities"]])
    return len(classes)


def _vis_date(value: str) -> str | None:
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not m:
        return None
    return f"{m.group(1)}-{m.group(2) or '01'}-{m.group(3) or '01'}"


def timeline_items(model) -> list[dict]:
    """Every dated event, legal act and program, as vis-timeline items with class, groups and places."""
    items = []
    for iri in model.entities:
        if not any(model.is_a(iri, c) for c in TIMELINE_CLASSES):
            continue
        first = model.first_date(iri)
        start = _vis_date(first) if first else None
        if not start:
            continue
        groups, places = set(), set()
        for st in model.by_subject.get(iri, []):
            if st.o["type"] != "uri":
                continue
            if st.p in GROUP_LINKS and model.is_a(st.o["value"], KGNS + "Group"):
                groups.add(model.label(st.o["value"]))
            elif st.p == KGNS + "place":
                places.add(model.label(st.o["value"]))
        end = next((v for p, v in [(st.p, st.o["value"]) for st in model.by_subject.get(iri, [])]
                    if p == SCHEMA + "endDate"), None)
        item = {"id": shorten(iri), "content": model.label(iri), "start": start, "date": first,
                "cls": model.label(model.main_class(iri) or ""), "groups": sorted(groups), "places": sorted(places),
                "href": model.page(iri), "year": int(start[:4])}
        if end and _vis_date(end) and _vis_date(end) > start:
            item["end"] = _vis_date(end)
        items.append(item)
    return sorted(items, key=lambda i: (i["start"], i["content"]))


def write_timeline(ctx: Context) -> int:
    items = timeline_items(ctx.model)
    ctx.render("timeline.html", "timeline.html", n=len(items),
               items=json.dumps(items, ensure_ascii=False).replace("</", "<\\/"),
               classes=sorted({i["cls"] for i in items}), groups=sorted({g for i in items for g in i["groups"]}),
               places=sorted({p for i in items for p in i["places"]}))
    return 1


QUESTION_ROW_LIMIT = 500


def answer_questions(engine) -> dict:
    """Every named question answered for its defaults: ``{name: (query, result or None, error or None)}``."""
    from kg.query import load_queries, run_named
    from kg.store import QueryError

    answers = {}
    for name, q in load_queries().items():
        needed = [p.name for p in q.params if p.required]
        if needed:
            answers[name] = (q, None, "needs " + ", ".join(needed))
            continue
        try:
            answers[name] = (q, run_named(engine, q, {}), None)
        except QueryError as exc:
            answers[name] = (q, None, str(exc))
    return answers


def write_questions(ctx: Context, answers: dict) -> tuple[int, dict[str, str]]:
    """Write a page, a CSV and a JSON per answered question (see :func:`answer_questions`)."""
    from kg.query import format_result

    model, errors, listed = ctx.model, {}, []
    (ctx.out / "question").mkdir(parents=True, exist_ok=True)
    for name, (q, result, error) in answers.items():
        params = [{"name": p.name, "type": p.type, "description": p.description,
                   "default": p.default if p.default is not None else ("required" if p.required else "any")}
                  for p in q.params]
        if error:
            if error.startswith("needs "):
                params_needed = error[len("needs "):]
                error = (f"This question has no answer without its parameter ({params_needed}): ask it with "
                         f"kg query {name} -p {params_needed.split(',')[0]}=NAME, or on the query page. "
                         "Entity pages show the same for each entity.")
            else:
                errors[name] = error
            ctx.render("question.html", f"question/{name}.html", q=q, params=params, error=error,
                       variables=[], rows=[], total=0, limit=QUESTION_ROW_LIMIT)
            listed.append({"name": name, "summary": q.summary, "rows": None})
            continue
        (ctx.out / "question" / f"{name}.csv").write_text(format_result(result, "csv") + "\n", encoding="utf-8")
        (ctx.out / "question" / f"{name}.json").write_text(format_result(result, "json"), encoding="utf-8")
        rows = [[_cell(model, r.get(v)) for v in result.variables] for r in result.rows[:QUESTION_ROW_LIMIT]]
        ctx.render("question.html", f"question/{name}.html", q=q, params=params, error=None,
                   variables=result.variables, rows=rows, total=len(result.rows), limit=QUESTION_ROW_LIMIT)
        listed.append({"name": name, "summary": q.summary, "rows": len(result.rows)})
    ctx.render("questions.html", "question/index.html", questions=listed)
    return len(listed), errors


def _cell(model, term) -> dict:
    if term is None:
        return {"text": "", "href": None}
    if term["type"] == "uri":
        if term["value"] in model.spans:
            span = model.spans[term["value"]]
            return {"text": span.short, "href": f"document/d{span.doc}.html#{span.short.replace(':', '-')}"}
        return {"text": model.label(term["value"]), "href": model.page(term["value"])}
    return {"text": term["value"], "href": None}


def write_home(ctx: Context, report) -> int:
    model = ctx.model
    classes = class_index(model)
    n_statements = sum(len(v) for v in model.by_span.values())
    ctx.render("index.html", "index.html", classes=classes, n_entities=len(model.entities),
               n_spans=len(model.spans), n_statements=n_statements,
               documents=[{"id": d.rsplit("/d", 1)[1], "title": info.get("title", ""),
                           "spans": sum(1 for s in model.spans.values() if s.doc == d.rsplit("/d", 1)[1])}
                          for d, info in sorted(model.documents.items())],
               pages=report.pages)
    return 1
