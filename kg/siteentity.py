"""The entity pages of ``kg site`` (and the card of ``kg show``, which prints the same view): statements
grouped by property with their spans, claims that disagree, statistics, findings, events, neighbours
and the small neighbourhood network.
"""

from __future__ import annotations

from collections import defaultdict

from kg.output import script_json
from kg.sitecontext import Context, _is_bnode, _value, evidence_view
from kg.sitedata import DISPUTABLE, KGNS, NAME_PROPERTIES, RDF, SCHEMA, STAT_COLUMNS, TYPE, shorten

__all__ = ["NETWORK_LIMIT", "TIMELINE_CLASSES", "dispute_record", "disputes", "entity_view", "events_of", "neighbours", "network_data",
           "statistic_row", "title", "write_entities"]

TIMELINE_CLASSES = (KGNS + "Event", KGNS + "LegalAct", KGNS + "Program")
STAT, FINDING, DISAGREEMENT = KGNS + "Statistic", KGNS + "Finding", KGNS + "Disagreement"
NETWORK_LIMIT = 40


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
    found = disputes(ctx, iri, names)
    n_spans = len({st.ev for st in model.by_subject.get(iri, []) + incoming})
    if model.is_a(iri, DISAGREEMENT):  # a curated record: its own sides, stated in the spans of its sides
        record = dispute_record(ctx, iri, model.card.get(iri, []), names)
        found = [{**record, "href": None}]
        n_spans = len({ev["short"] for side in record["sides"] for ev in side["evidence"]})
    view = {
        "iri": iri, "short": shorten(iri), "label": model.label(iri), "aliases": model.aliases.get(iri, []),
        "cls": _class_view(model, iri), "dates": model.dates(iri), "types": types,
        "statements": statements, "referenced": referenced, "qualified": qualified,
        "disputes": found,
        "statistics": [statistic_row(ctx, s) for s in sorted(dict.fromkeys(stats), key=lambda s: model.first_date(s) or "")],
        "findings": [{"value": {**_value(model, {"type": "uri", "value": f}),
                                "text": title(model.label(f), _literal(model, f, SCHEMA + "description"))},
                      "text": "",
                      "evidence": [evidence_view(ctx, ev, names) for ev in _spans_of(model, f)]}
                     for f in dict.fromkeys(findings)],
        "events": events_of(model, iri), "neighbours": neighbours(model, iri),
        "network": script_json(network_data(model, iri)),
        "n_spans": n_spans,
    }
    _passages_once(view)
    return view


def _passages_once(view: dict) -> None:
    """Each passage once on the page, where its span first comes (in the order the page shows the
    sections); a later statement of the same span shows its reference and a link to it."""
    lists = [side["evidence"] for d in view["disputes"] for side in d["sides"]]
    lists += [row["evidence"] for key in ("types", "statements", "qualified", "referenced")
              for group in view[key] for row in group["values"]]
    lists += [s["evidence"] for s in view["statistics"]] + [f["evidence"] for f in view["findings"]]
    first: dict[str, str] = {}
    for evidence in lists:
        for i, ev in enumerate(evidence):
            if not ev.get("passage"):
                continue
            if ev["short"] in first:  # the views are shared between pages: changed on copies
                evidence[i] = {**ev, "passage": None, "above": first[ev["short"]]}
            else:
                first[ev["short"]] = "passage-" + ev["short"].replace(":", "-")
                evidence[i] = {**ev, "anchor": first[ev["short"]]}


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
        lo = [v["text"] for v in values.get(KGNS + "minValue", [])][:1]
        hi = [v["text"] for v in values.get(KGNS + "maxValue", [])][:1]
        # an open range says which end it has ("hundreds 200–?" read as a figure missing)
        value = f"{lo[0]}–{hi[0]}" if lo and hi else f"at least {lo[0]}" if lo else f"at most {hi[0]}"
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
        out.append(dispute_record(ctx, node, facts, names))
    return out


def dispute_record(ctx, node: str, facts, names) -> dict:
    """One curated ``kg:Disagreement`` (``facts``: its ``(property, object)`` pairs) as the template shows
    it: kind, property, the curator's note, and each side with its value and spans."""
    model = ctx.model
    targets = [o["value"] for p, o in facts if p == KGNS + "disputes"]
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
    return {"kind": ", ".join(kind) or "disagreement", "note": " ".join(note),
            "property": ", ".join(prop), "sides": sides, "href": model.page(node)}


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
        elif _is_bnode(st.s) and model.is_a(st.s, RDF + "Statement"):
            # a qualified statement (rdf:subject, rdf:predicate, rdf:object): the link is its predicate,
            # from its subject to its object (the build asserts that triple too)
            yield from _statement_ends(model, st.s, iri)
        elif _is_bnode(st.s):  # through a qualifier node: its other named ends
            for q in model.by_subject.get(st.s, []):
                if q.o["type"] == "uri" and q.o["value"] != iri and q.p != TYPE and model.page(q.o["value"]):
                    yield q.o["value"], model.label(q.p), "in"


def _statement_ends(model, node, iri):
    """``(other, predicate label, direction)`` of a qualified statement ``node`` that names ``iri`` as
    its subject or object; nothing when it names neither or its other end has no page."""
    ends = {q.p: q.o["value"] for q in model.by_subject.get(node, []) if q.o["type"] == "uri"}
    subject, predicate, obj = ends.get(RDF + "subject"), ends.get(RDF + "predicate"), ends.get(RDF + "object")
    if predicate is None:
        return
    if obj == iri and subject and subject != iri and model.page(subject):
        yield subject, model.label(predicate), "in"
    elif subject == iri and obj and obj != iri and model.page(obj):
        yield obj, model.label(predicate), "out"


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
