"""The pages of ``kg site``: what each page shows, gathered from a :class:`kg.sitedata.Model`.

Each ``write_*`` function renders one kind of page with its template and returns how many it wrote.
Values are handed to the templates as ``{"text", "href"}`` dicts; the templates escape all text.
The entity pages are drawn by :mod:`kg.siteentity`, with the context of :mod:`kg.sitecontext`; this
module re-exports their public names.
"""

from __future__ import annotations

import re
from collections import defaultdict

from kg.output import script_json
from kg.sitecontext import DOCUMENT_PAGE, Context, Passages, _document_page, _is_bnode, _value, evidence_view
from kg.siteentity import TIMELINE_CLASSES, entity_view, statistic_row, title, write_entities
from kg.sitedata import KGNS, SCHEMA, TYPE, shorten

__all__ = ["Passages", "Context", "write_entities", "write_documents", "write_classes", "write_timeline",
           "write_questions", "answer_questions", "answer_row", "write_home", "entity_view", "evidence_view", "statistic_row",
           "title", "timeline_items", "TIMELINE_CLASSES", "DOCUMENT_PAGE"]

#: Links that name the groups and places of an event, for the timeline filters.
GROUP_LINKS = (KGNS + "perpetratedBy", KGNS + "claimedBy", KGNS + "attributedTo", KGNS + "designatedGroup",
               KGNS + "participant", KGNS + "defendant", KGNS + "carriedOutBy")


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
               items=script_json(items),
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
    from kg.query import format_result, type_text

    model, errors, listed = ctx.model, {}, []
    (ctx.out / "question").mkdir(parents=True, exist_ok=True)
    for name, (q, result, error) in answers.items():
        params = [{"name": p.name, "type": type_text(p), "description": p.description,
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
        rows = [answer_row(model, r, result.variables) for r in result.rows[:QUESTION_ROW_LIMIT]]
        ctx.render("question.html", f"question/{name}.html", q=q, params=params, error=None,
                   variables=result.variables, rows=rows, total=len(result.rows), limit=QUESTION_ROW_LIMIT)
        listed.append({"name": name, "summary": q.summary, "rows": len(result.rows)})
    ctx.render("questions.html", "question/index.html", questions=listed)
    return len(listed), errors


def answer_row(model, row: dict, variables: list[str]) -> list[dict]:
    """The cells of one answer row for a question page, as ``{"text", "href"}`` dicts.

    Takes the site's model, the row (variable -> SPARQL JSON term) and the variables in column order.
    An IRI shows its label, linked to its page, unless the label is already a text cell of the same row
    (an ``id`` column beside its ``name``): then it shows the IRI's short form (``event:taraz-2011``), as
    the timeline and the entity pages do, so that no row says the same thing twice. Raises nothing.
    """
    terms = [row.get(v) for v in variables]
    cells = [_cell(model, t) for t in terms]
    texts = {c["text"] for t, c in zip(terms, cells) if t is not None and t["type"] != "uri"}
    for term, cell in zip(terms, cells):
        if term is not None and term["type"] == "uri" and cell["text"] in texts and term["value"] not in model.spans:
            cell["text"] = shorten(term["value"])
    return cells


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
