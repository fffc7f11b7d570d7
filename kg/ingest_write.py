"""The TriG writer of ``kg ingest``'s drafts: one named graph per sentence, named and hashed as a
curator writes it, every candidate marked ``kg:candidate`` with its kind (see :mod:`kg.ingest`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.ingest import Draft

__all__ = ["write_draft"]


def _literal(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def write_draft(draft: Draft, text: str, path: Path) -> Path:
    """Write ``draft`` (a :class:`kg.ingest.Draft` of ``text``) as TriG at ``path`` and return the path.

    Raises ``FileExistsError`` if ``path`` exists and is not a draft written by kg ingest (a
    curator's file is never overwritten)."""
    from kg.corpus import sha256_text

    from kg.inputs import read_head

    if (path.exists() or path.is_symlink()) and not read_head(path, 64, error=FileExistsError).startswith(b"# Draft of document"):
        raise FileExistsError(f"{path} exists and is not a draft written by kg ingest; move it away first")
    lines = [
        f"# Draft of document {draft.doc} written by `kg ingest`: candidates for a curator, not curated facts.",
        "# Keep, edit or delete each block; drop the kg:candidate triples; move the file to graph/claims/.",
        "@prefix kg:     <https://w3id.org/kzkg/ontology#> .",
        "@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix ev:     <https://w3id.org/kzkg/id/evidence/> .",
        "@prefix draft:  <https://w3id.org/kzkg/id/draft/> .",
        "",
    ]
    n_stat = 0
    for (start, end), cands in sorted(draft.spans.items()):
        ev = f"ev:d{draft.doc}-{start}-{end}"
        linked = sorted({c.entity for c in cands if c.kind == "mention"})
        body = []
        for c in cands:
            if c.kind == "mention":
                note = f"  # {c.note}" if c.note else ""
                body.append(f"    <{c.entity}> kg:candidate \"mention\" ; skos:altLabel {_literal(c.text)}@en .{note}")
            elif c.kind == "acronym" and c.note:
                body.append(f"    <{c.entity}> kg:candidate \"acronym\" ; skos:altLabel {_literal(c.value)}@en .  # {c.note}")
            elif c.kind in ("acronym", "name", "title", "citation"):
                cls = f" a {c.cls} ;" if c.cls else ""
                alias = f" ; skos:altLabel {_literal(c.value)}@en" if c.value else ""
                body.append(f"    <{c.entity}>{cls} kg:candidate \"{c.kind}\" ; skos:prefLabel {_literal(c.text if c.kind != 'acronym' else c.text.rsplit('(', 1)[0].strip())}@en{alias} .")
            elif c.kind == "event":
                extra = f" ; skos:prefLabel {_literal(c.label)}@en" if c.label else ""
                extra += f" ; kg:place <{c.place}>" if c.place else ""
                extra += f" ; kg:date \"{c.date[0]}\"^^{c.date[1]}" if c.date else ""
                body.append(f"    <{c.entity}> a {c.cls} ; kg:candidate \"event\"{extra} .  # cue: {_literal(c.text)}")
            elif c.kind == "date":
                body.append(f"    # date: {_literal(c.text)} -> kg:date \"{c.value}\"^^{c.datatype}")
            elif c.kind == "figure":
                n_stat += 1
                about = " ; kg:about " + " , ".join(f"<{e}>" for e in linked) if linked else ""
                cmp = f" ; kg:comparator {_literal(c.comparator)}" if c.comparator else ""
                unit = f" ; kg:unit {_literal(c.unit)}" if c.unit else ""
                body.append(f"    draft:d{draft.doc}-stat-{n_stat} a kg:Statistic ; kg:candidate \"figure\" ; "
                            f"kg:value {c.value}{unit}{cmp}{about} .")
        lines.append(f"{ev} {{")
        lines.extend(body)
        lines.append("}")
        lines.append(f"{ev} kg:sha256 \"{sha256_text(text[start:end])}\" .")
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)  # a link of that name would have the draft written through it (into graph/claims/...)
    tmp.write_text("\n".join(lines), encoding="utf-8")
    tmp.replace(path)
    return path
