"""What the site and ``kg show`` read: the built graph gathered once into plain Python objects.

:func:`load_model` asks the engine three questions (the default graph, every evidence graph, the
evidence records) and indexes the answers: labels, aliases, classes, the statements of every
evidence span, and the spans themselves. Entity pages, document pages, the timeline and the
terminal card are all drawn from one :class:`Model`, so they agree with each other.

Qualifier nodes (``rdf:Statement`` nodes that date a relation, ``kg:Position`` and other blank
nodes) are folded into the statement they qualify: they never appear as entities of their own.
The build names every blank node with an IRI (``https://w3id.org/kzkg/id/node/<hash>``, see
:mod:`kg.skolem`); the model reads such an IRI as the blank node it stands for (``"type": "bnode"``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from functools import lru_cache

from kg import iris
from kg.iris import BASE, PREFIXES
from kg.skolem import is_node

#: :func:`kg.iris.shorten`, remembered: a site asks for the same IRIs tens of thousands of times
shorten = lru_cache(maxsize=None)(iris.shorten)

__all__ = ["Model", "Statement", "SpanInfo", "load_model", "model_from_rows", "distinct_aliases", "DATE_PROPERTIES",
           "DISPUTABLE", "SPAN_PROPERTIES", "passage_context"]

EV = PREFIXES["ev"]  # the evidence namespace, as text (kg.namespaces would import rdflib)

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
SKOS = PREFIXES["skos"]
SCHEMA = PREFIXES["schema"]
KGNS = PREFIXES["kg"]
TYPE = RDF + "type"
ID = BASE + "id/"

#: Properties that date an entity, in the order a card shows them.
DATE_PROPERTIES = [KGNS + "date", SCHEMA + "startDate", SCHEMA + "endDate", KGNS + "earliestDate",
                   KGNS + "latestDate", SCHEMA + "foundingDate", SCHEMA + "dissolutionDate", SCHEMA + "datePublished"]
#: Properties for which two different values from two spans are a disagreement worth showing side by side.
DISPUTABLE = set(DATE_PROPERTIES) | {KGNS + p for p in ("killed", "wounded", "value", "minValue", "maxValue",
                                                         "legalStatus", "operationalStatus", "stance", "status")}
#: Card-level properties that the page header shows instead of listing them as statements.
NAME_PROPERTIES = {SKOS + "prefLabel", SKOS + "altLabel", SCHEMA + "name", RDFS + "label"}
#: Properties of a statistic, in the order of the statistics table.
STAT_COLUMNS = [("value", KGNS + "value"), ("unit", KGNS + "unit"), ("period", KGNS + "period"),
                ("place", KGNS + "refArea"), ("category", KGNS + "category"), ("stated by", KGNS + "statedBy"),
                ("cited work", KGNS + "citedSource")]


@dataclass
class SpanInfo:
    """An evidence span: its IRI, document id, offsets, recorded hash and the note that backs it."""

    iri: str
    doc: str
    start: int
    end: int
    sha256: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def short(self) -> str:
        return shorten(self.iri)


@dataclass
class Statement:
    """One triple stated in one evidence span, with the qualifiers of its ``rdf:Statement`` node."""

    s: str
    p: str
    o: dict
    ev: str
    qualifiers: list[tuple[str, dict]] = field(default_factory=list)


@dataclass
class Model:
    """The built graph, indexed for pages: labels, classes, statements by subject and object, spans."""

    labels: dict[str, str]
    aliases: dict[str, list[str]]
    types: dict[str, set[str]]
    superclasses: dict[str, set[str]]
    spans: dict[str, SpanInfo]
    documents: dict[str, dict]
    by_subject: dict[str, list[Statement]]
    by_object: dict[str, list[Statement]]
    by_span: dict[str, list[Statement]]
    card: dict[str, list[tuple[str, dict]]]
    entities: list[str]

    def label(self, iri: str) -> str:
        """The preferred label of an IRI, else its prefixed name."""
        return self.labels.get(iri) or shorten(iri)

    def main_class(self, iri: str) -> str | None:
        """The most specific project class of an entity (the one with the most project superclasses)."""
        own = [t for t in self.types.get(iri, ()) if t.startswith(KGNS)]
        if not own:
            return None
        return max(own, key=lambda t: (len(self.superclasses.get(t, ())), t))

    def is_a(self, iri: str, cls: str) -> bool:
        """True when the entity is of the class ``cls`` (a full IRI), subclasses included."""
        return cls in self.types.get(iri, ())

    def term_text(self, term: dict) -> str:
        """A term as a reader sees it: a label for an IRI, the plain value for a literal."""
        if term["type"] == "uri":
            return self.label(term["value"])
        if term["type"] == "bnode":
            return self.fold(term["value"])
        return term["value"]

    def fold(self, node: str) -> str:
        """A qualifier (blank) node written out on one line: its class and its values."""
        parts = []
        for st in self.by_subject.get(node, []):
            if st.p == TYPE:
                continue
            parts.append(f"{self.label(st.p)} {self.term_text(st.o)}")
        kind = self.main_class(node)
        head = self.label(kind) if kind else "statement"
        return f"{head}: " + "; ".join(dict.fromkeys(parts)) if parts else head

    def dates(self, iri: str) -> list[tuple[str, str]]:
        """``(property label, value)`` of the dates stated about an entity, without repeats."""
        seen = {}
        for st in self.by_subject.get(iri, []) + [Statement(iri, p, o, "") for p, o in self.card.get(iri, [])]:
            if st.p in DATE_PROPERTIES:
                seen.setdefault((st.p, st.o["value"]), None)
        order = {p: i for i, p in enumerate(DATE_PROPERTIES)}
        return [(self.label(p), v) for p, v in sorted(seen, key=lambda k: (order[k[0]], k[1]))]

    def first_date(self, iri: str) -> str | None:
        """The earliest date (ISO text) stated about an entity by any of the date properties."""
        values = [v for _, v in self.dates(iri) if re.match(r"^-?\d{4}", v)]
        return min(values) if values else None

    def page(self, iri: str) -> str | None:
        """The site path of an entity's page (``entity/group/islamic-state.html``), or ``None``."""
        if iri in self.documents:
            return f"document/{iri.rsplit('/', 1)[1]}.html"
        if iri not in self._pages:
            return None
        return self._pages[iri]

    _pages: dict[str, str] = field(default_factory=dict)


_PAGE_RE = re.compile(r"^[A-Za-z0-9._-]+$")


def _page_path(iri: str) -> str | None:
    if not iri.startswith(ID) or iri.startswith(str(EV)) or is_node(iri):
        return None
    rest = iri[len(ID):]
    kind, _, local = rest.partition("/")
    if not local or not _PAGE_RE.match(kind) or not _PAGE_RE.match(local):
        return None
    return f"entity/{kind}/{local}.html"


def _unskolem(row: dict) -> dict:
    """A result row with each skolem IRI of a blank node (:mod:`kg.skolem`) typed as the blank node it names."""
    return {k: {**t, "type": "bnode"} if t["type"] == "uri" and is_node(t["value"]) else t for k, t in row.items()}


def distinct_aliases(label: str, aliases) -> list[str]:
    """The aliases that are other names: in their order, without the label itself nor repeats, compared
    as the search compares names (:func:`kg.search.normalise`: case, accents, punctuation folded).

    >>> distinct_aliases("Islamic State", ["IS", "Islamic State", "ISIL", "islamic state", "Isil"])
    ['IS', 'ISIL']
    """
    from kg.search import normalise

    seen = {normalise(label)}
    out = []
    for alias in aliases:
        key = normalise(alias)
        if key and key not in seen:
            seen.add(key)
            out.append(alias)
    return out


#: Properties of an evidence span (in the default graph) that :class:`SpanInfo` holds.
SPAN_PROPERTIES = tuple(KGNS + p for p in ("document", "start", "end", "sha256", "note"))
_SPAN_IRI = re.compile(r"/d(\d+)-(\d+)-(\d+)$")


@lru_cache(maxsize=None)
def _graph_key(g: str) -> tuple:
    """Evidence graphs in document order (document, start, end), any other graph after them by IRI."""
    m = _SPAN_IRI.search(g)
    return (0, int(m[1]), int(m[2]), int(m[3]), g) if m else (1, 0, 0, 0, g)


def _default_key(row: dict) -> tuple:
    o = row["o"]
    return row["s"]["value"], row["p"]["value"], o["type"], o["value"], o.get("datatype", ""), o.get("xml:lang", "")


def _quad_key(row: dict) -> tuple:
    o = row["o"]
    return (_graph_key(row["g"]["value"]), row["s"]["value"], row["p"]["value"], o["type"], o["value"],
            o.get("datatype", ""), o.get("xml:lang", ""))


def load_model(engine) -> Model:
    """Gather the built graph from an engine into a :class:`Model`.

    Takes any engine of :mod:`kg.store` (or a remote one) holding the built dataset. Raises
    :class:`kg.store.QueryError` when the engine cannot answer. :func:`kg.showmodel.entity_model`
    gathers the part of the same model that one entity's card reads.
    """
    default = engine.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows
    quads = engine.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    return model_from_rows(default, quads)


def model_from_rows(default: list[dict], quads: list[dict]) -> Model:
    """A :class:`Model` from result rows: ``default`` the ``s p o`` rows of the default graph, ``quads``
    the ``g s p o`` rows of the named graphs (SPARQL JSON-style terms).

    The rows are put in one order first (evidence graphs by document and offsets, then subject,
    property, value), so that the model does not depend on the order an engine returns them in:
    the whole graph and a part of it (:mod:`kg.showmodel`) index the same statements alike.
    """
    default = sorted((_unskolem(row) for row in default), key=_default_key)
    quads = sorted((_unskolem(row) for row in quads), key=_quad_key)
    labels: dict[str, str] = {}
    ranks: dict[str, int] = {}
    aliases: dict[str, list[str]] = defaultdict(list)
    types: dict[str, set[str]] = defaultdict(set)
    supers: dict[str, set[str]] = defaultdict(set)
    card: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    spans: dict[str, SpanInfo] = {}
    documents: dict[str, dict] = {}
    rank_of = {SKOS + "prefLabel": 0, SCHEMA + "name": 1, RDFS + "label": 2}
    span_facts: dict[str, dict] = defaultdict(dict)
    for row in default:
        s, p, o = row["s"]["value"], row["p"]["value"], row["o"]
        if p in rank_of and o["type"] == "literal" and o.get("xml:lang", "en") == "en":
            if rank_of[p] < ranks.get(s, 9):
                labels[s], ranks[s] = o["value"], rank_of[p]
        elif p == SKOS + "altLabel":
            if o["value"] not in aliases[s]:
                aliases[s].append(o["value"])
        elif p == TYPE:
            types[s].add(o["value"])
        elif p == RDFS + "subClassOf" and o["type"] == "uri":
            supers[s].add(o["value"])
        if s.startswith(str(EV)):
            if p in (KGNS + "document", KGNS + "start", KGNS + "end", KGNS + "sha256"):
                span_facts[s][p.rsplit("#", 1)[1]] = o["value"]
            elif p == KGNS + "note":
                span_facts[s].setdefault("notes", []).append(o["value"])
        elif p in (KGNS + "documentId", KGNS + "fileName"):
            documents.setdefault(s, {})[p.rsplit("#", 1)[1]] = o["value"]
        card[s].append((p, o))
    # transitive superclasses, so that the most specific class is the one with the most ancestors
    closed: dict[str, set[str]] = {}

    def ancestors(c: str, seen=()) -> set[str]:
        if c not in closed:
            out = set()
            for parent in supers.get(c, ()):
                if parent not in seen:
                    out |= {parent} | ancestors(parent, seen + (c,))
            closed[c] = out
        return closed[c]

    for c in list(supers):
        ancestors(c)
    for s, facts in span_facts.items():
        if "document" in facts and "start" in facts:
            doc = facts["document"].rsplit("/d", 1)[1]
            spans[s] = SpanInfo(s, doc, int(facts["start"]), int(facts["end"]), facts.get("sha256", ""),
                                facts.get("notes", []))
    by_subject: dict[str, list[Statement]] = defaultdict(list)
    by_object: dict[str, list[Statement]] = defaultdict(list)
    by_span: dict[str, list[Statement]] = defaultdict(list)
    reified: dict[str, dict] = defaultdict(dict)
    for row in quads:
        st = Statement(row["s"]["value"], row["p"]["value"], row["o"], row["g"]["value"])
        by_subject[st.s].append(st)
        if st.o["type"] in ("uri", "bnode"):
            by_object[st.o["value"]].append(st)
        by_span[st.ev].append(st)
        if row["s"]["type"] == "bnode" and st.p in (RDF + "subject", RDF + "predicate", RDF + "object"):
            reified[(st.ev, st.s)][st.p] = st.o["value"]
    # fold rdf:Statement qualifiers into the plain triple of the same span
    for (ev, node), parts in reified.items():
        if len(parts) != 3:
            continue
        qualifiers = [(q.p, q.o) for q in by_subject.get(node, [])
                      if q.ev == ev and q.p not in (TYPE, RDF + "subject", RDF + "predicate", RDF + "object")]
        for st in by_subject.get(parts[RDF + "subject"], []):
            if st.ev == ev and st.p == parts[RDF + "predicate"] and st.o["value"] == parts[RDF + "object"]:
                st.qualifiers.extend(qualifiers)
    aliases = {iri: distinct_aliases(labels.get(iri, ""), names) for iri, names in aliases.items()}
    for doc_iri, info in documents.items():
        info.setdefault("title", labels.get(doc_iri, doc_iri))
    entities = sorted({s for s in list(labels) + list(types) + list(by_subject) if _page_path(s)}
                      - set(documents))
    model = Model(labels, dict(aliases), dict(types), closed, spans, documents, dict(by_subject),
                  dict(by_object), dict(by_span), dict(card), entities)
    model._pages = {iri: _page_path(iri) for iri in entities}
    return model


_SENTENCE_END = re.compile(r"[.!?]\s|\n\s*\n")


def passage_context(text: str, start: int, end: int, limit: int = 300) -> tuple[str, str, str]:
    """``(before, span, after)``: a span with the rest of the sentences it begins and ends in.

    ``before`` runs back to the end of the previous sentence, ``after`` on to the end of the
    sentence, each at most ``limit`` characters (cut at a space when longer).
    """
    left = text[max(0, start - limit):start]
    cut = None
    for m in _SENTENCE_END.finditer(left):
        cut = m.end()
    before = left[cut:] if cut is not None else (left if start - limit <= 0 else left.split(" ", 1)[-1])
    right = text[end:end + limit]
    m = _SENTENCE_END.search(right)
    after = right[: m.start() + 1] if m else (right if end + limit >= len(text) else right.rsplit(" ", 1)[0])
    if text[start:end].rstrip().endswith((".", "!", "?")):
        after = ""
    return before, text[start:end], after
