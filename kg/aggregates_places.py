"""Build-time places of the rows of listings whose stored ranks are not one per row of the answer.

A page of a listing is found by rank look-up (:mod:`kg.paging`, a ``#+ rank`` line) when the rows
of its answer, for its defaults, are numbered 1, 2, ... N. Two listings keep only the rows of the
years asked for, so that their stored ranks (:mod:`kg.aggregates_rows`) have gaps:

* the question ``timeline`` lists events, acts and programmes, each once, at the lowest rank of its
  datings (``kg:timelineRank`` of the timeline entries) in the years asked for: an entity dated twice
  has two ranks, and an entity with no dating in those years none;
* the question ``agency-activities`` lists the activity rows (``kg:activityRank``) of one year.

So ``kg build`` numbers the rows of each for its default years (``from`` and ``to`` of
``queries/timeline.rq``, ``year`` of ``queries/agency-activities.rq``), as a pure function of the rows
:func:`kg.aggregates.compute` has just made (:func:`places`), on the node that gives each row its rank:

* ``<aggregates#timeline-...> kg:timelinePlace 57``: the place (1, 2, ...) of the entry's entity in
  the timeline of the default years, set on the entity's entry of lowest rank among those that
  overlap them (:func:`timeline_places`);
* ``<aggregates#activity-...> kg:activityPlace 8``: the place of an activity row among the rows of
  the default year (:func:`activity_places`).

``tests/test_aggregates_places.py`` compares them with the questions run whole, and
``tests/test_paging_ranks.py`` checks every question whose core finds its rows by them.
"""

from __future__ import annotations

__all__ = ["places", "timeline_places", "activity_places", "default_years"]

import re
from pathlib import Path

from kg.aggregates import KG, OA, integer


def default_years(question: str, first: str, last: str, folder: Path | None = None) -> tuple[int, int] | None:
    """The default values of the integer parameters ``first`` and ``last`` of ``folder/question.rq``
    (default: the questions of the project built, :func:`kg.paths.queries_dir`).

    Read from its header lines (``#+   - from: integer; ...; default 1990``) without importing the
    question library, so that ``kg build`` stays fast (the test compares with :mod:`kg.query`).
    Returns ``None`` when the file or a default is missing, or when the file is a link leading outside
    the project (the folder's parent; it is not read).
    """
    from kg.load import outside_link
    from kg.paths import queries_dir

    folder = queries_dir() if folder is None else folder
    path = folder / f"{question}.rq"
    if outside_link(path, folder.parent):
        return None
    from kg.inputs import InputError, read_text

    try:
        text = read_text(path, bom=False)  # a regular file only: a FIFO named x.rq would wait forever
    except InputError:
        return None
    found = dict(re.findall(r"^#\+\s+-\s*(\w+)\s*:[^\n]*?;\s*default\s+(-?\d{1,18})\s*(?:;|$)", text, re.M))
    return (int(found[first]), int(found[last])) if first in found and last in found else None


def places(quads, rank: str, place: str, years: tuple[int, int] | None, once_per_source: bool) -> list:
    """Quads ``node place N`` numbering the rows of ``quads`` that overlap ``years``, in rank order.

    ``rank`` and ``place`` are local names of properties of the kg: ontology. ``quads`` holds aggregate
    quads (``pyoxigraph.Quad``); a row is a node with the property ``rank``,
    ``kg:firstYear`` and ``oa:hasSource`` (and ``kg:lastYear``; without one it runs on for ever). It
    overlaps (first, last) when it starts by ``last`` and ends from ``first``. With
    ``once_per_source``, only the overlapping row of lowest rank of each source is numbered (ties by
    node IRI). Returns no quad when ``years`` is ``None``.
    """
    import pyoxigraph as ox

    if years is None:
        return []
    wanted = {ox.NamedNode(KG + rank): "rank", ox.NamedNode(KG + "firstYear"): "first",
              ox.NamedNode(KG + "lastYear"): "last", ox.NamedNode(OA + "hasSource"): "source"}
    rows: dict = {}
    for quad in quads:
        field = wanted.get(quad.predicate)
        if field is not None:
            rows.setdefault(quad.subject, {})[field] = quad.object
    kept: dict = {}  # the source (or the row) -> (rank, row)
    for node, fields in rows.items():
        if not {"rank", "first", "source"} <= fields.keys():
            continue  # a node of another listing with some of these properties
        start, end = int(fields["first"].value), int(fields["last"].value) if "last" in fields else None
        if start > years[1] or (end is not None and end < years[0]):
            continue
        key, found = (fields["source"] if once_per_source else node), (int(fields["rank"].value), node.value)
        if key not in kept or found < kept[key]:
            kept[key] = found
    place_p, graph = ox.NamedNode(KG + place), ox.DefaultGraph()
    return [ox.Quad(ox.NamedNode(node), place_p, integer(n), graph) for n, (_, node) in enumerate(sorted(kept.values()), 1)]


def timeline_places(quads, years: tuple[int, int] | None) -> list:
    """``entry kg:timelinePlace N`` for each row of the timeline of ``years`` (first, last): see :func:`places`."""
    return places(quads, "timelineRank", "timelinePlace", years, once_per_source=True)


def activity_places(quads, year: int | None) -> list:
    """``row kg:activityPlace N`` for each activity row of ``year``: see :func:`places`."""
    return places(quads, "activityRank", "activityPlace", None if year is None else (year, year), once_per_source=False)
