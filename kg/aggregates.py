"""Whole-graph aggregates computed at build time and stored as data beside the cards.

Some questions count over the whole graph (how many entities of each class, what each document
contributes): no index makes such a count fast on millions of quads, so ``kg build`` computes it
once and the questions read the result. The aggregates are a pure function of the assembled
dataset (:func:`compute` takes a pyoxigraph store holding it, without any aggregate), so that
they can be recomputed after any change (:func:`is_aggregate` tells their triples apart). They
are written in the default graph, beside the cards, and not in a named graph: every named graph
of the dataset is an evidence span to the site, the network and the questions about evidence
(``GRAPH ?ev``), and the aggregates are no evidence. Their own nodes are fragments of
:data:`AGGREGATES` (``.../id/aggregates#class-Attack``), which no entity page is made for. They use
the W3C VoID vocabulary:

* **class partitions**: ``<aggregates#dataset> void:classPartition ?part . ?part void:class kg:Attack ;
  void:entities 15`` for every class of the ontology that has instances: the number of distinct
  entities of that class (IRIs under ``https://w3id.org/kzkg/id/`` with a ``skos:prefLabel``);
* **mentions**: ``?entity kg:describedIn ?document`` when the entity is the subject of a statement
  in an evidence span of the document, and ``?entity kg:mentionedIn ?document`` when it is the
  subject or the (IRI) object of one: what "which documents state something about it" looks up,
  one triple per entity and document instead of one row per quad;
* **document subsets**: ``<aggregates#dataset> void:subset ?sub . ?sub dcterms:source source:d003 ;
  kg:spanCount 120 ; void:triples 800 ; void:distinctSubjects 140`` for every document: its
  evidence spans, the statements they hold (one per quad) and the distinct subjects of those, and
  ``kg:documentRank 4``, its place by document id among those with an id and a title (what a page of
  the question of coverage looks up);
* **corroborations** (:func:`corroborations`): for every statement (IRI subject) that evidence spans
  of two or more documents state, a node ``<aggregates#statement-...> kg:statementSubject ?s ;
  kg:statementPredicate ?p ; kg:statementObject ?o ; kg:documentCount 3``: what the question of
  corroborated statements sorts and filters on, without grouping every statement of the graph (a
  statement without such a node rests on one document at most);
* **statement groups and bands** (:mod:`kg.aggregates_statements`): where the rows of each document
  count and subject name start in that question's order, and how many rows each count has, so
  that a page of any window of counts (``min=1`` included) is looked up, not sorted;
* **sides and computed conflicts** of disagreements, what the question of disagreements sorts on
  (:mod:`kg.aggregates_sides`), and the places of its rows among those of each kind, for pages of
  one kind (:mod:`kg.aggregates_kinds`);
* **listing rows** with their rank, what the questions of estimates, people, agency activities,
  repatriations and the timeline page on (:mod:`kg.aggregates_rows`), and those of legal acts and
  rehabilitation centers (:mod:`kg.aggregates_listings`);
* **places** (``kg:timelinePlace``, ``kg:activityPlace``): the rows of the timeline and of agency
  activities for their default years numbered in their order, for pages by rank look-up
  (:mod:`kg.aggregates_places`; ``kg:legalActPlace``, of the legal acts, with their rows);
* **casualty rows**, the figures the question of casualties lists, numbered in its order
  (:mod:`kg.aggregates_counts`);
* **direct types**: ``?entity sesame:directType ?class`` (RDF4J's name for it) for every class of the
  ontology the entity (or individual of the ontology, such as ``kg:Violent``) has of which no other
  class it has is a subclass (``rdfs:subClassOf+``): its most specific classes, what a listing shows
  as the kind of each row and sorts or filters on, one triple per entity (two when it has two
  unrelated classes) instead of a ``NOT EXISTS`` per row and class.

``tests/test_aggregates.py`` compares each aggregate with the same count made by plain SPARQL.
"""

from __future__ import annotations

__all__ = ["AGGREGATES", "DATASET", "is_aggregate", "compute", "aggregate_nquads", "add_to_build", "CLASS_COUNTS", "DOCUMENT_COUNTS",
           "DESCRIBED_IN", "MENTIONED_IN", "CORROBORATED", "corroborations", "DIRECT_TYPE", "DIRECT_TYPES",
           "direct_types", "add_to_dataset", "OA", "XSD_INTEGER", "node_digest", "integer"]

ID = "https://w3id.org/kzkg/id/"
AGGREGATES = ID + "aggregates#"
DATASET = AGGREGATES + "dataset"
VOID = "http://rdfs.org/ns/void#"
KG = "https://w3id.org/kzkg/ontology#"
DCTERMS = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DIRECT_TYPE = "http://www.openrdf.org/schema/sesame#directType"
OA = "http://www.w3.org/ns/oa#"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def node_digest(*terms, unbound: str = "None") -> str:
    """20 hexadecimal digits of the SHA-1 of ``terms`` (their ``str``, space-separated; ``None`` written
    as ``unbound``): the local name of a build-time node, the same in every build of the same data.
    Used by :mod:`kg.aggregates_sides`, :mod:`kg.aggregates_rows` and :mod:`kg.aggregates_counts`."""
    import hashlib

    text = " ".join(unbound if t is None else str(t) for t in terms)
    return hashlib.sha1(text.encode()).hexdigest()[:20]


def integer(n: int):
    """``n`` as a pyoxigraph ``xsd:integer`` literal (a rank, a year, a count)."""
    import pyoxigraph as ox

    return ox.Literal(str(n), datatype=ox.NamedNode(XSD_INTEGER))

# the plain SPARQL each aggregate stands for (tests/test_aggregates.py runs them to compare)
CLASS_COUNTS = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?class (COUNT(DISTINCT ?id) AS ?entities)
WHERE {
  ?class rdfs:isDefinedBy kg: .
  ?id a ?class .
  FILTER(STRSTARTS(STR(?id), "https://w3id.org/kzkg/id/"))
  FILTER EXISTS { ?id skos:prefLabel ?name }
}
GROUP BY ?class
"""
DOCUMENT_COUNTS = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
SELECT ?doc (COUNT(DISTINCT ?ev) AS ?spans) (COUNT(*) AS ?statements) (COUNT(DISTINCT ?s) AS ?subjects)
WHERE {
  ?ev kg:document ?doc .
  GRAPH ?ev { ?s ?p ?o }
}
GROUP BY ?doc
"""
# the ids of the documents the question of coverage lists (those with a title), for kg:documentRank
DOCUMENT_IDS = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?doc ?docId WHERE { ?doc kg:documentId ?docId FILTER EXISTS { ?doc skos:prefLabel ?title } }
"""
DESCRIBED_IN = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
SELECT DISTINCT ?entity ?doc WHERE { ?ev kg:document ?doc . GRAPH ?ev { ?entity ?p ?o } FILTER(isIRI(?entity)) }
"""
MENTIONED_IN = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
SELECT DISTINCT ?entity ?doc WHERE {
  ?ev kg:document ?doc .
  { GRAPH ?ev { ?entity ?p ?o } } UNION { GRAPH ?ev { ?s ?p ?entity } }
  FILTER(isIRI(?entity))
}
"""

DIRECT_TYPES = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?entity ?class WHERE {
  ?class rdfs:isDefinedBy kg: .
  ?entity a ?class .
  FILTER(isIRI(?entity) && !STRSTARTS(STR(?entity), "https://w3id.org/kzkg/id/aggregates#"))
  FILTER NOT EXISTS { ?entity a ?sub . ?sub rdfs:subClassOf+ ?class }
}
"""
CORROBORATED = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
SELECT ?s ?p ?o (COUNT(DISTINCT ?doc) AS ?documents)
WHERE { ?ev kg:document ?doc . GRAPH ?ev { ?s ?p ?o } FILTER(isIRI(?s)) }
GROUP BY ?s ?p ?o
HAVING (COUNT(DISTINCT ?doc) >= 2)
"""


def is_aggregate(subject: str, predicate: str) -> bool:
    """Whether a triple (subject and predicate IRIs) is one :func:`compute` makes."""
    return subject.startswith(AGGREGATES) or predicate in (KG + "describedIn", KG + "mentionedIn", DIRECT_TYPE)


def _local(iri: str) -> str:
    """The last segment of an IRI (after ``#`` or ``/``), for readable node names."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def compute(store) -> list:
    """The aggregate quads of the dataset in the pyoxigraph ``store`` (which must hold no aggregates).

    Returns a list of ``pyoxigraph.Quad`` in the default graph. Raises ``ValueError`` when the store
    already holds aggregates (they would count themselves).
    """
    import pyoxigraph as ox

    graph = ox.DefaultGraph()
    dataset = ox.NamedNode(DATASET)
    if any(True for _ in store.quads_for_pattern(dataset, None, None)) or any(
            True for _ in store.quads_for_pattern(None, ox.NamedNode(KG + "describedIn"), None)):
        raise ValueError("the store already holds aggregates: compute them on the dataset without them")
    quads = [ox.Quad(dataset, ox.NamedNode(RDF_TYPE), ox.NamedNode(VOID + "Dataset"), graph)]

    def add(s, p, o):
        quads.append(ox.Quad(s, ox.NamedNode(p), o, graph))

    for row in store.query(CLASS_COUNTS):
        cls, count = row["class"], row["entities"]
        part = ox.NamedNode(f"{AGGREGATES}class-{_local(cls.value)}")
        add(dataset, VOID + "classPartition", part)
        add(part, VOID + "class", cls)
        add(part, VOID + "entities", count)
    for query, prop in ((DESCRIBED_IN, "describedIn"), (MENTIONED_IN, "mentionedIn")):
        for row in store.query(query):
            add(row["entity"], KG + prop, row["doc"])
    ids = {row["doc"]: row["docId"].value for row in store.query(DOCUMENT_IDS)}
    listed = []  # (document id, subset) of the documents the question of coverage lists
    for row in store.query(DOCUMENT_COUNTS):
        doc = row["doc"]
        sub = ox.NamedNode(f"{AGGREGATES}document-{_local(doc.value)}")
        add(dataset, VOID + "subset", sub)
        add(sub, DCTERMS + "source", doc)
        add(sub, KG + "spanCount", row["spans"])
        add(sub, VOID + "triples", row["statements"])
        add(sub, VOID + "distinctSubjects", row["subjects"])
        if doc in ids:
            listed.append((ids[doc], sub.value, sub))
    # kg:documentRank: each subset's place in the order of queries/coverage-documents.rq (document id, by
    # code point, as SPARQL orders plain literals), so that a page of it is a look-up (kg/paging.py)
    for rank, (_, _, sub) in enumerate(sorted(listed, key=lambda item: item[:2]), start=1):
        add(sub, KG + "documentRank", integer(rank))
    quads.extend(corroborations(store))
    quads.extend(_statement_groups(store))
    sides = _disagreement_aggregates(store)
    quads.extend(sides)
    quads.extend(_kind_places(store, sides))
    quads.extend(_row_aggregates(store))
    quads.extend(_place_aggregates(quads))
    types = direct_types(store)
    quads.extend(types)
    quads.extend(_count_aggregates(store))
    quads.extend(_listing_aggregates(store, types))
    return quads


def _statement_groups(store) -> list:
    """Where each block of the question of corroborated statements starts (:mod:`kg.aggregates_statements`)."""
    from kg.aggregates_statements import quads

    return quads(store, AGGREGATES)


def _disagreement_aggregates(store) -> list:
    """The sides of recorded disagreements and the computed conflicts (:mod:`kg.aggregates_sides`)."""
    from kg.aggregates_sides import quads

    return quads(store, AGGREGATES)


def _kind_places(store, made: list) -> list:
    """The places of the rows of disagreements among those of each kind (:mod:`kg.aggregates_kinds`)."""
    from kg.aggregates_kinds import quads

    return quads(store, made, AGGREGATES)


def _row_aggregates(store) -> list:
    """The rows of listings stored with their rank (:mod:`kg.aggregates_rows`)."""
    from kg.aggregates_rows import quads

    return quads(store, AGGREGATES)


def _place_aggregates(quads: list) -> list:
    """The places of the rows of the timeline and of agency activities for their default years (:mod:`kg.aggregates_places`)."""
    from kg.aggregates_places import activity_places, default_years, timeline_places

    year = default_years("agency-activities", "year", "year")
    return (timeline_places(quads, default_years("timeline", "from", "to"))
            + activity_places(quads, year[0] if year else None))


def _listing_aggregates(store, types: list) -> list:
    """The rows of legal acts and rehabilitation centers with their rank (:mod:`kg.aggregates_listings`)."""
    from kg.aggregates_listings import quads
    from kg.aggregates_places import default_years

    return quads(store, AGGREGATES, types, default_years("legal-acts", "from", "to"))


def _count_aggregates(store) -> list:
    """The numbered rows of the casualty figures (:mod:`kg.aggregates_counts`)."""
    from kg.aggregates_counts import casualty_quads

    return casualty_quads(store, AGGREGATES)


def corroborations(store) -> list:
    """The corroboration nodes of the dataset in the pyoxigraph ``store``, as default-graph quads.

    One node per statement (IRI subject) that the evidence spans of two or more documents state
    (:data:`CORROBORATED`), named by a hash of the statement so that it is the same in every build,
    with its subject, predicate, object and ``kg:documentCount``. Returns a list of ``pyoxigraph.Quad``.
    """
    import hashlib

    import pyoxigraph as ox

    graph = ox.DefaultGraph()
    names = [ox.NamedNode(KG + n) for n in ("statementSubject", "statementPredicate", "statementObject", "documentCount")]
    quads = []
    for row in store.query(CORROBORATED):
        s, p, o = row["s"], row["p"], row["o"]
        digest = hashlib.sha1(f"{s} {p} {o}".encode()).hexdigest()[:20]
        node = ox.NamedNode(f"{AGGREGATES}statement-{digest}")
        quads.extend(ox.Quad(node, name, term, graph) for name, term in zip(names, (s, p, o, row["documents"])))
    return quads


def transitive_closure(direct: dict) -> dict:
    """``{node: every node reachable in one step or more}`` for a ``{node: set of direct successors}``
    map (for ``rdfs:subClassOf``: each class with all its superclasses; a node is its own only on a
    cycle). Nodes are any hashable values; raises nothing."""
    closed: dict = {}
    for node in direct:
        seen: set = set()
        todo = list(direct[node])
        while todo:
            step = todo.pop()
            if step not in seen:
                seen.add(step)
                todo.extend(direct.get(step, ()))
        closed[node] = seen
    return closed


def direct_types(store) -> list:
    """``?entity sesame:directType ?class`` quads (default graph) for the entities of the pyoxigraph ``store``.

    For every IRI (an entity under ``https://w3id.org/kzkg/id/``, or an individual of the ontology such as
    ``kg:Violent``; not an aggregate node) and every class of the ontology (``rdfs:isDefinedBy
    kg:``) it has (``rdf:type``, default graph) such that no class it has is a subclass of that class
    (``rdfs:subClassOf``, one step or more): what :data:`DIRECT_TYPES` selects, computed over the type and
    subclass triples alone. Returns a list of ``pyoxigraph.Quad``; raises nothing on a graph without types.
    """
    import pyoxigraph as ox

    graph = ox.DefaultGraph()
    own = {q.subject for q in store.quads_for_pattern(None, ox.NamedNode(RDFS + "isDefinedBy"), ox.NamedNode(KG), graph)}
    parents: dict = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(RDFS + "subClassOf"), None, graph):
        parents.setdefault(q.subject, set()).add(q.object)
    above = transitive_closure(parents)  # class -> its superclasses, one step or more

    types: dict = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None, graph):
        s = q.subject
        if isinstance(s, ox.NamedNode) and not s.value.startswith(AGGREGATES):
            types.setdefault(s, set()).add(q.object)
    kind = ox.NamedNode(DIRECT_TYPE)
    direct: dict = {}  # the same set of classes has the same direct classes
    out = []
    for entity, classes in types.items():
        key = frozenset(classes)
        if key not in direct:
            covered = set().union(*(above.get(c, ()) for c in classes))
            direct[key] = [c for c in classes if c in own and c not in covered]
        out.extend(ox.Quad(entity, kind, cls, graph) for cls in direct[key])
    return out


def aggregate_nquads(nquads: bytes) -> bytes:
    """The aggregates of a dataset given as N-Quads (without aggregates), as N-Quads."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(input=nquads, format=ox.RdfFormat.N_QUADS)
    return ox.serialize(compute(store), format=ox.RdfFormat.N_QUADS)


def add_to_build(result, computed: bytes | None = None, dataset: bool = True) -> list:
    """Add the aggregates of a build's assembled dataset to it (and to its N-Quads when serialized).

    ``result`` is a :class:`kg.build.BuildResult`; its dataset is read as it is, so call this once,
    after the dataset is complete and before the outputs are written (its N-Quads are made first
    when it has none). ``computed``: the aggregates
    of this very dataset as N-Quads, when they were made already (by the build's child process, with
    :func:`compute` on its copy of the store the checks ran on: see :mod:`kg.build`); else they are
    computed here. With ``dataset`` false, the rdflib dataset is left to the caller: the quads are
    returned (``pyoxigraph.Quad``), for :func:`add_to_dataset`. Raises ``SyntaxError`` when
    ``computed`` is not N-Quads.
    """
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    import pyoxigraph as ox

    store = getattr(getattr(result, "engine", None), "store", None)
    if computed is not None:
        extra = computed
        quads = list(ox.parse(input=extra, format=ox.RdfFormat.N_QUADS))
    elif isinstance(store, ox.Store):  # the store the checks ran on: the exports are written from it
        quads = compute(store)
        extra = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    else:
        if result.nquads is None:  # (the outputs are written from them, then)
            result.nquads = result.dataset.serialize(format="nquads", encoding="utf-8")
        extra = aggregate_nquads(result.nquads)
        quads = list(ox.parse(input=extra, format=ox.RdfFormat.N_QUADS))
    if isinstance(store, ox.Store):
        store.extend(quads)
    if dataset:
        add_to_dataset(result.dataset.graph(DATASET_DEFAULT_GRAPH_ID), quads)
    if result.nquads is not None:
        result.nquads = result.nquads + (b"" if result.nquads.endswith(b"\n") or not result.nquads else b"\n") + extra
    return quads


def add_to_dataset(graph, quads) -> None:
    """Add the triples of ``quads`` (``pyoxigraph.Quad``; their graph ignored) to the rdflib ``graph``,
    as rdflib's N-Triples parser would make them (a literal of ``xsd:string`` without a datatype),
    about five times faster than writing them out and parsing them back. Raises nothing."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    plain = "http://www.w3.org/2001/XMLSchema#string"
    terms: dict = {}  # keyed by pyoxigraph terms (hashed in Rust)

    def term(t):
        found = terms.get(t)
        if found is None:
            kind = type(t)
            if kind is ox.NamedNode:
                found = URIRef(t.value)
            elif kind is ox.Literal:
                datatype = t.datatype.value
                found = (Literal(t.value, lang=t.language) if t.language else
                         Literal(t.value, datatype=None if datatype == plain else URIRef(datatype)))
            else:
                found = BNode(t.value)
            terms[t] = found
        return found

    from kg.buildrdf import triple_adder

    add = triple_adder(graph.store)  # Graph.add without its assertions, faster
    for q in quads:
        add((term(q.subject), term(q.predicate), term(q.object)), graph)
