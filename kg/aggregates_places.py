"""Build-time places of the rows of listings whose stored ranks are not one per row of the answer.

A page of a listing is found by rank look-up (:mod:`kg.paging`, a ``#+ rank`` line) when the rows
of its answer, for its defaults, are numbered 1, 2, ... N. The question ``timeline`` lists events,
acts and programmes, each once, at the lowest rank of its datings in the years asked for
(``kg:timelineRank`` of the timeline entries, :mod:`kg.aggregates_rows`): an entity dated twice has
two ranks, and an entity with no dating in those years none. So ``kg build`` numbers the rows of
the question for its default years (:func:`timeline_places`, called by
:func:`kg.aggregates.compute` with the entries it has just made), as a pure function of them, on the
entry that gives each row its rank:

* ``<aggregates#timeline-...> kg:timelinePlace 57``: the place (1, 2, ...) of the entry's entity in
  the timeline of the default years (``from`` and ``to`` of ``queries/timeline.rq``), set on the
  entity's entry of lowest rank among those that overlap them.

``tests/test_paging_ranks.py`` checks that these are the rows of the question, in its order.
"""

from __future__ import annotations

__all__ = ["timeline_places", "timeline_years"]

import re
from pathlib import Path

from kg.aggregates import KG, OA, integer

QUERIES = Path(__file__).resolve().parent.parent / "queries"  # as kg.query.QUERIES_DIR


def timeline_years(folder: Path = QUERIES) -> tuple[int, int] | None:
    """The default ``from`` and ``to`` years of the question ``timeline`` in ``folder`` (``None`` without them).

    Read from the header lines of ``timeline.rq`` (``#+   - from: integer; ...; default 1990``) without
    importing the question library (``kg build`` stays fast); the test compares with :mod:`kg.query`.
    """
    try:
        text = (folder / "timeline.rq").read_text(encoding="utf-8")
    except OSError:
        return None
    found = dict(re.findall(r"^#\+\s+-\s*(from|to)\s*:[^\n]*?;\s*default\s+(-?\d{1,18})\s*(?:;|$)", text, re.M))
    return (int(found["from"]), int(found["to"])) if len(found) == 2 else None


def timeline_places(quads, years: tuple[int, int] | None) -> list:
    """The places of the rows of the timeline of ``years`` (first, last), from the timeline entries.

    ``quads`` holds the aggregate quads made so far (``pyoxigraph.Quad``), among them each timeline
    entry's ``kg:timelineRank``, ``kg:firstYear``, ``kg:lastYear`` and ``oa:hasSource``. An entity is a
    row when one of its entries overlaps the years; its place orders the rows by their lowest rank
    there. Returns one default-graph quad ``entry kg:timelinePlace N`` per row; none when ``years`` is
    ``None``.
    """
    import pyoxigraph as ox

    if years is None:
        return []
    wanted = {ox.NamedNode(KG + "timelineRank"): "rank", ox.NamedNode(KG + "firstYear"): "first",
              ox.NamedNode(KG + "lastYear"): "last", ox.NamedNode(OA + "hasSource"): "id"}
    entries: dict = {}
    for quad in quads:
        field = wanted.get(quad.predicate)
        if field is not None:
            entries.setdefault(quad.subject, {})[field] = quad.object
    lowest: dict = {}  # entity -> (rank, entry)
    for entry, fields in entries.items():
        if len(fields) < 4:
            continue  # a node of another listing with one of these properties
        rank, first, last = int(fields["rank"].value), int(fields["first"].value), int(fields["last"].value)
        found = lowest.get(fields["id"])
        if first <= years[1] and last >= years[0] and (found is None or (rank, entry.value) < (found[0], found[1].value)):
            lowest[fields["id"]] = (rank, entry)
    place_p, graph = ox.NamedNode(KG + "timelinePlace"), ox.DefaultGraph()
    ordered = sorted(lowest.values(), key=lambda found: (found[0], found[1].value))
    return [ox.Quad(entry, place_p, integer(place), graph) for place, (_, entry) in enumerate(ordered, 1)]
