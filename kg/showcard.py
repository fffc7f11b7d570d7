"""``kg show``: an entity's card, statements and passages as text that fits the terminal.

It prints what the entity page of ``kg site`` shows (:func:`kg.sitepages.entity_view`), so the
terminal and the browser agree: statements grouped by property, each value with its spans,
qualifiers folded in, statistics by their values, claims that disagree, events, neighbours, and
then every passage once, numbered, the stated words between ``[[`` and ``]]``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

__all__ = ["entity_card"]


def entity_card(engine, iri: str, *, corpus: Path | None = None, width: int | None = None, model=None) -> str:
    """The card of the entity ``iri`` (a full IRI) as text of at most ``width`` columns.

    ``corpus`` is the corpus folder; without it each span shows its reference and hash. ``model`` is
    a :class:`kg.sitedata.Model` already loaded (the whole graph, as ``kg site`` loads it); without
    it only what the card shows is read (:func:`kg.showmodel.entity_model`). Raises
    :class:`kg.store.QueryError` when the entity is not in the graph.
    """
    from kg.sitecontext import Context, Passages
    from kg.siteentity import entity_view
    from kg.store import QueryError
    from kg.tables import terminal_width

    width = max(40, width or terminal_width())
    if model is None:
        from kg.showmodel import entity_model

        model = entity_model(engine, iri)
    if iri not in model.by_subject and iri not in model.by_object and iri not in model.labels:
        raise QueryError(f"{iri} is not in the graph")
    ctx = Context(model, None, Path("."), Passages(corpus), [])
    e = entity_view(ctx, iri)
    lines: list[str] = []
    notes: dict[str, int] = {}
    passages: list[tuple[int, dict]] = []

    def ref(ev: dict) -> str:
        if ev["short"] not in notes:
            notes[ev["short"]] = len(notes) + 1
            passages.append((notes[ev["short"]], ev))
        return f"[{notes[ev['short']]}]"

    def para(text: str, indent: int = 0, hang: int = 2) -> None:
        lines.extend(textwrap.wrap(text, width, initial_indent=" " * indent,
                                   subsequent_indent=" " * (indent + hang), break_on_hyphens=False) or [""])

    head = e["label"] + (f"  ({e['cls']['text']})" if e["cls"] else "") + f"  {e['short']}"
    para(head)
    lines.append("=" * min(width, len(head)))
    if e["aliases"]:
        para("Also called: " + "; ".join(e["aliases"]))
    if e["dates"]:
        para("Dates: " + "; ".join(f"{p} {v}" for p, v in e["dates"]))
    para(f"Stated in {e['n_spans']} evidence span{'' if e['n_spans'] == 1 else 's'}.")

    def section(title: str, groups: list[dict], prefix: str = "") -> None:
        if not groups:
            return
        lines.extend(["", title])
        for g in groups:
            for row in g["values"]:
                quals = "".join(f" ({k} {v})" for k, v in row["qualifiers"].items())
                refs = " ".join(ref(ev) for ev in row["evidence"])
                para(f"{prefix}{g['property']}: {row['value']['text']}{quals} {refs}", indent=2, hang=4)

    section("Statements", e["types"] + e["statements"])
    section("Qualified statements", e["qualified"])
    section("Statements naming it (\u2190 property: the entity that states it of this one)", e["referenced"], prefix="\u2190 ")
    if e["disputes"]:
        lines.extend(["", "Claims that disagree"])
        for d in e["disputes"]:
            para(f"{d['kind']}{' on ' + d['property'] if d['property'] else ''}{': ' + d['note'] if d['note'] else ''}",
                 indent=2)
            for side in d["sides"]:
                para(f"- {side['value']['text']} " + " ".join(ref(ev) for ev in side["evidence"]), indent=4)
    if e["statistics"]:
        lines.extend(["", "Statistics"])
        for s in e["statistics"]:
            cells = [f"{name} {', '.join(v['text'] for v in vs)}" for name, vs in s["cells"].items() if vs]
            quantity = ", ".join(v["text"] for v in s["quantity"])
            para(f"{quantity or s['stat']['text']}: {s['value']}; " + "; ".join(cells) + " "
                 + " ".join(ref(ev) for ev in s["evidence"]), indent=2, hang=4)
    if e["findings"]:
        lines.extend(["", "Findings"])
        for f in e["findings"]:
            para(f"{f['text'] or f['value']['text']} " + " ".join(ref(ev) for ev in f["evidence"]), indent=2, hang=4)
    if e["events"]:
        lines.extend(["", "Events"])
        for ev in e["events"]:
            para(f"{ev['date'] or '(undated)':<10}  {ev['value']['text']} ({ev['cls']})", indent=2, hang=14)
    if e["neighbours"]:
        lines.extend(["", "Neighbours"])
        para("; ".join(f"{n['value']['text']} ({', '.join(n['relations'])})" for n in e["neighbours"]), indent=2)
    lines.extend(["", "Passages" if corpus else "Evidence spans (no corpus: references and hashes)"])
    for number, ev in passages:
        where = f"document {ev['doc']}, characters {ev.get('start')}-{ev.get('end')}" if ev["doc"] else ""
        para(f"[{number}] {ev['short']}  {where}", indent=0, hang=4)
        if ev["passage"]:
            p = ev["passage"]
            body = str(p["span"]).replace("<b>", "").replace("</b>", "")
            from html import unescape

            para(" ".join(f"{p['before']}[[{unescape(body)}]]{p['after']}".split()), indent=4, hang=0)
        elif ev.get("sha256"):
            para(f"sha256 {ev['sha256']}", indent=4)
    return "\n".join(lines)
