"""A stand-in for :func:`kg.search.export_index` until that module lands (delete this file then).

Only used by :func:`kg.site.search_index` when ``kg.search`` cannot be imported.
"""

from __future__ import annotations

__all__ = ["export_index"]


def export_index(model) -> list[dict]:
    """``[{iri, label, aliases, cls, detail}]`` for every named entity of a :class:`kg.sitedata.Model`."""
    rows = []
    for iri in model.entities:
        if iri not in model.labels:  # statistics, findings and the like have no name to search
            continue
        cls = model.main_class(iri)
        dates = model.dates(iri)
        rows.append({"iri": iri, "label": model.label(iri), "aliases": model.aliases.get(iri, []),
                     "cls": model.label(cls) if cls else "", "detail": dates[0][1] if dates else ""})
    return rows
