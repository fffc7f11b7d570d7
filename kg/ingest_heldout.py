"""The held-out measurement of ``kg ingest`` (``bench/ingest_heldout.py``): ingest a document as if
it were new and count what of its curation the draft finds.

The matching rule (when a curated entity or statistic counts as found) is the one
``bench/INGEST.md`` states; it is unchanged since the first measurement. Besides the counts, the
result says how each found entity was found (linked, proposed by name, or only by an event cue).
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.ingest import ID, fold, ingest_text, label_index

__all__ = ["CURATED_QUERY", "STATS_QUERY", "heldout_scores"]

CURATED_QUERY = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?e ?label ?start ?end ?kind WHERE {
  ?ev kg:document/kg:documentId ?doc ; kg:start ?start ; kg:end ?end .
  GRAPH ?ev { { ?e ?p ?o } UNION { ?s ?p ?e } }
  FILTER(isIRI(?e) && STRSTARTS(STR(?e), "https://w3id.org/kzkg/id/"))
  ?e skos:prefLabel|skos:altLabel|skos:hiddenLabel|schema:name ?label .
  OPTIONAL { VALUES ?kind { kg:Event kg:LegalAct kg:Program } ?e a ?kind }
}
"""
STATS_QUERY = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
SELECT DISTINCT ?st ?value ?start ?end WHERE {
  ?ev kg:document/kg:documentId ?doc ; kg:start ?start ; kg:end ?end .
  GRAPH ?ev { ?st a kg:Statistic ; kg:value ?value }
}
"""
NOT_ENTITIES = ("stat/", "finding/", "evidence/", "source/", "quantity/", "topic/", "note/", "node/", "disagreement/")


def heldout_scores(engine, folder: Path, doc: str) -> dict[str, int]:
    """Ingest document ``doc`` as if it were new and count what of its curation the draft finds.

    Returns ``{"entities", "entities_found", "stats", "stats_found"}`` (counts), ``missed`` (the IRIs
    not found), how the found were found (``by_link``, ``by_name``, ``by_cue``: counts) and the size
    of the draft (``candidates``, ``proposed`` entities). See
    ``bench/ingest_heldout.py`` for the definitions.
    """
    from kg.corpus import document_text

    text = document_text(folder, doc)
    draft = ingest_text(doc, text, label_index(engine, exclude_doc=doc))
    labels: dict[str, set[str]] = {}
    spans: dict[str, set[tuple[int, int, str]]] = {}
    values = _doc_values(doc)
    for row in engine.query(CURATED_QUERY.replace("WHERE {", "WHERE {" + values, 1)).rows:
        iri = row["e"]["value"]
        if any(iri.startswith(ID + p) for p in NOT_ENTITIES):
            continue
        label = " ".join(fold(row["label"]["value"]).split())
        bare = re.sub(r"\s*\([^)]*\)$", "", label)
        labels.setdefault(iri, set()).update({label, bare, re.sub(r"^the ", "", bare)})
        if "kind" in row:
            kind = row["kind"]["value"].rsplit("#", 1)[1]
            spans.setdefault(iri, set()).add((int(row["start"]["value"]), int(row["end"]["value"]), kind))
    cands = draft.candidates()
    linked = {c.entity for c in cands if c.kind == "mention"}
    proposed = set()
    for c in cands:
        if c.kind in ("acronym", "name", "title", "citation"):
            proposed.add(" ".join(fold(c.text.rsplit("(", 1)[0] if c.kind == "acronym" else c.text).split()))
            if c.value:
                proposed.add(" ".join(fold(c.value).split()))
    cues = [(c.start, c.cls) for c in cands if c.kind == "event"]
    event_classes = {"kg:Attack", "kg:FoiledPlot", "kg:Operation", "kg:Trial", "kg:Unrest", "kg:Conference",
                     "kg:Release", "kg:Designation", "kg:Conflict"}
    wanted = {"Event": event_classes, "LegalAct": {"kg:LegalAct", "kg:Program"}, "Program": {"kg:LegalAct", "kg:Program"}}

    def cued(iri: str) -> bool:
        """An event or act stated in a sentence where the draft proposes one of a matching kind."""
        return any(s <= pos < e and cls in wanted[kind] for s, e, kind in spans.get(iri, ()) for pos, cls in cues)

    found = {iri for iri, names in labels.items() if iri in linked or names & proposed or cued(iri)}
    by_link = {iri for iri in found if iri in linked}
    by_name = {iri for iri in found - by_link if labels[iri] & proposed}
    figures = [(c.start, c.end, float(c.value)) for c in cands if c.kind == "figure"]
    stats = {}
    for row in engine.query(STATS_QUERY.replace("WHERE {", "WHERE {" + values, 1)).rows:
        try:
            value = float(row["value"]["value"])
        except ValueError:
            continue
        stats[row["st"]["value"]] = (int(row["start"]["value"]), int(row["end"]["value"]), value)
    stats_found = sum(1 for s, e, v in stats.values() if any(fs < e and s < fe and fv == v for fs, fe, fv in figures))
    return {"entities": len(labels), "entities_found": len(found), "stats": len(stats), "stats_found": stats_found,
            "missed": sorted(set(labels) - found), "by_link": len(by_link), "by_name": len(by_name),
            "by_cue": len(found - by_link - by_name), "candidates": len(cands), "proposed": draft.summary()["proposed"],
            "proposed_curated": _proposed_curated(cands, labels)}


def _proposed_curated(cands, labels: dict[str, set[str]]) -> int:
    """How many distinct proposed entities (names, acronyms, titles, citations) carry one of the
    curated names: a lower bound of the draft's precision, its proposals a curator keeps as they are."""
    names = set().union(*labels.values()) if labels else set()
    hits = set()
    for c in cands:
        if c.kind in ("acronym", "name", "title", "citation"):
            texts = {" ".join(fold(c.text.rsplit("(", 1)[0] if c.kind == "acronym" else c.text).split())}
            if c.value:
                texts.add(" ".join(fold(c.value).split()))
            if texts & names:
                hits.add(c.entity)
    return len(hits)


def _doc_values(doc: str) -> str:
    """A ``VALUES ?doc { "NNN" }`` block for a checked three-digit document id."""
    if not re.fullmatch(r"\d{3}", doc):
        raise ValueError(f"{doc!r} is not a three-digit document id")
    return f' VALUES ?doc {{ "{doc}" }} '
