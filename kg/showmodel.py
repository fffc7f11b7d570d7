"""The part of the built graph that one entity's card reads, gathered with a few bounded queries.

``kg show`` draws one card; :func:`kg.sitedata.load_model` reads the whole graph (every quad
through the query worker) to draw every page of ``kg site``. :func:`entity_model` asks instead for
what the card of one entity shows, each question bounded by the card rather than by the graph:

* every statement of the entity and every statement naming it (in any evidence graph);
* every statement of the nodes the card writes out: qualifier and ``rdf:Statement`` nodes, the
  statistics and findings about it, the claims of the disagreements that name it (recursively
  for blank nodes inside them);
* of every term these statements hold: its labels, aliases, classes, dates, whether it is a
  document (default graph, a few properties only); the class hierarchy of the ontology;
* the records of the evidence spans behind them (document, offsets, hash, notes).

The rows are indexed by :func:`kg.sitedata.model_from_rows`, the same code as the whole model, so
:func:`kg.siteentity.entity_view` gives the same view from either (``tests/test_showmodel.py``
compares the cards of a sample of entities). No rdflib is imported.
"""

from __future__ import annotations

from kg.sitedata import (DATE_PROPERTIES, KGNS, RDFS, SCHEMA, SKOS, SPAN_PROPERTIES, TYPE, Model,
                         model_from_rows)
from kg.skolem import is_node

__all__ = ["entity_model", "FACT_PROPERTIES"]

#: Properties of the default graph read for every term the card names: classes, names, dates, documents.
FACT_PROPERTIES = (TYPE, SKOS + "prefLabel", SCHEMA + "name", RDFS + "label", SKOS + "altLabel",
                   KGNS + "documentId", KGNS + "fileName", *DATE_PROPERTIES)
_WRITTEN_OUT = (KGNS + "about", KGNS + "quantity")  # subjects naming it so are statistics or findings, drawn whole
_DISAGREEMENT_LINKS = (KGNS + "disputes", KGNS + "disputedSubject")
_CHUNK = 1000  # IRIs per VALUES block (each query forks a worker: few and large)
_NOT_IN_IRI = set('<>"{}|^`\\') | {chr(c) for c in range(0x21)}


def _iri(value: str) -> str:
    """``<value>`` for a SPARQL text; a value no IRI can hold is a :class:`kg.store.QueryError`."""
    if not value or _NOT_IN_IRI & set(value):
        from kg.store import QueryError

        raise QueryError(f"{value!r} is not an IRI")
    return f"<{value}>"


def _values(name: str, iris) -> str:
    return f"VALUES ?{name} {{ {' '.join(_iri(i) for i in iris)} }}"


def _of(properties) -> str:
    """A filter keeping ``?p`` among ``properties`` (a VALUES block of them would make Oxigraph scan the graph)."""
    return f"FILTER(?p IN ({', '.join(_iri(p) for p in properties)}))"


def _ask(engine, template: str, iris) -> list[dict]:
    """The rows of ``template`` (``{values}`` replaced by a VALUES block of ``?s``) for every IRI, in chunks."""
    iris = sorted(set(iris))
    rows: list[dict] = []
    for i in range(0, len(iris), _CHUNK):
        rows.extend(engine.query(template.replace("{values}", _values("s", iris[i:i + _CHUNK]))).rows)
    return rows


def _node_terms(term: dict) -> bool:
    return term["type"] in ("uri", "bnode")


def entity_model(engine, iri: str) -> Model:
    """The :class:`kg.sitedata.Model` of what the card of ``iri`` (a full IRI) shows.

    Takes any engine of :mod:`kg.store` (or a remote one) holding the built dataset. Every list the
    card reads is whole (all the statements of each subject drawn, all the statements naming the
    entity); the rest of the graph is left out. Raises :class:`kg.store.QueryError` when ``iri`` is
    not an IRI or the engine cannot answer.
    """
    quads: dict[tuple, dict] = {}
    drawn: set[str] = set()  # subjects whose named-graph statements are all in ``quads``

    def add_quads(rows):
        for row in rows:
            key = (row["g"]["value"], row["s"]["value"], row["p"]["value"], row["o"]["type"], row["o"]["value"],
                   row["o"].get("datatype"), row["o"].get("xml:lang"))
            quads.setdefault(key, row)

    def draw(subjects) -> list[dict]:
        """All the named-graph statements of ``subjects`` and, recursively, of the blank nodes they hold."""
        todo = set(subjects) - drawn
        out = []
        while todo:
            drawn.update(todo)
            rows = _ask(engine, "SELECT ?g ?s ?p ?o WHERE { {values} GRAPH ?g { ?s ?p ?o } }", todo)
            add_quads(rows)
            out.extend(rows)
            todo = {r["o"]["value"] for r in rows if r["o"]["type"] == "uri" and is_node(r["o"]["value"])} - drawn
        return out

    own = draw([iri])
    naming = [{**row, "o": {"type": "uri", "value": iri}} for row in engine.query(
        f"SELECT ?g ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p {_iri(iri)} }} }}").rows]
    add_quads(naming)
    draw({r["s"]["value"] for r in naming if is_node(r["s"]["value"]) or r["p"]["value"] in _WRITTEN_OUT})
    # disagreements that name it, or a statement (statistic ...) about it, with the claims they set side by side
    about = {iri} | {r["s"]["value"] for r in naming if r["p"]["value"] == KGNS + "about"}
    nodes = {r["n"]["value"] for r in _ask(engine, "SELECT DISTINCT ?n WHERE { {values} ?n ?p ?s . "
                                           f"{_of(_DISAGREEMENT_LINKS)} ?n a {_iri(KGNS + 'Disagreement')} }}",
                                           about)}
    # the entity may be such a record itself: its card draws the record
    if engine.query(f"SELECT ?t WHERE {{ {_iri(iri)} a ?t FILTER(?t = {_iri(KGNS + 'Disagreement')}) }}").rows:
        nodes.add(iri)
    default: dict[tuple, dict] = {}

    def add_default(rows):
        for row in rows:
            default.setdefault((row["s"]["value"], row["p"]["value"], row["o"]["type"], row["o"]["value"],
                                row["o"].get("datatype"), row["o"].get("xml:lang")), row)

    cards = _ask(engine, "SELECT ?s ?p ?o WHERE { {values} ?s ?p ?o }", nodes) if nodes else []
    add_default(cards)
    draw({r["o"]["value"] for r in cards if r["p"]["value"] == KGNS + "disputes" and _node_terms(r["o"])})
    derived = {r["o"]["value"] for r in cards if r["p"]["value"].endswith("wasDerivedFrom") and _node_terms(r["o"])}
    # the terms named (their classes, names, dates) and the evidence spans (their records); then the
    # classes' own names, until nothing new
    terms = {iri, *DATE_PROPERTIES} | derived | {row["g"]["value"] for row in quads.values()}
    for row in list(quads.values()) + cards:
        terms.update(t["value"] for t in (row["s"], row["p"], row["o"]) if _node_terms(t))
    facts_of = f"SELECT ?s ?p ?o WHERE {{ {{values}} ?s ?p ?o {_of(FACT_PROPERTIES + SPAN_PROPERTIES)} }}"
    asked: set[str] = set()
    while terms - asked:
        new = terms - asked
        asked |= new
        rows = _ask(engine, facts_of, new)
        add_default(rows)
        terms |= {r["o"]["value"] for r in rows if r["p"]["value"] in (TYPE, KGNS + "note") and r["o"]["type"] == "uri"}
    _draw_unnamed_subjects(engine, asked, default, draw)
    add_default([{**row, "p": {"type": "uri", "value": RDFS + "subClassOf"}} for row in engine.query(
        f"SELECT ?s ?o WHERE {{ ?s {_iri(RDFS + 'subClassOf')} ?o }}").rows])
    return model_from_rows(list(default.values()), list(quads.values()))


def _draw_unnamed_subjects(engine, terms: set[str], default: dict, draw) -> None:
    """Draw the terms with neither a name nor a class that are subjects in an evidence graph: the whole
    model counts them among the entities (with a page), so the card may link to them."""
    from kg.sitedata import _page_path

    known = {key[0] for key in default}
    bare = {t for t in terms if t not in known and _page_path(t)}
    if bare:
        found = _ask(engine, "SELECT ?s WHERE { {values} FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } }", bare)
        draw({r["s"]["value"] for r in found})
