"""The search index of a built graph: the names, classes, details and ranks :mod:`kg.search` ranks by.

:func:`export_index` reads every named entity of an engine's graph (what ``kg/static/search.js``
searches on the pages); :func:`class_words` the words of the classes' labels; :func:`index_for`
keeps the full :class:`~kg.search_index.SearchIndex` on the engine; :func:`names_index` the index of
names alone, cached in the folder of an on-disk store (:data:`NAMES_CACHE`), beside the table of its
exact names that :func:`exact_table` reads (:data:`EXACT_TABLE`).
"""

from __future__ import annotations

from kg.search_index import RANK_ENTITY, RECORD_CLASSES, ExactTable, SearchIndex
from kg.search_text import STOPWORDS, normalise, singular

__all__ = ["export_index", "class_words", "index_for", "names_index", "exact_table", "NAMES_CACHE",
           "NAMES_CACHE_VERSION", "EXACT_TABLE", "EXACT_TABLE_VERSION"]

_NAMES = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
SELECT ?e ?p ?label WHERE {
  VALUES ?p { skos:prefLabel skos:altLabel schema:name skos:hiddenLabel }
  ?e ?p ?label . FILTER(isIRI(?e) && !STRSTARTS(STR(?e), "https://w3id.org/kzkg/ontology#"))
  FILTER NOT EXISTS { ?e <https://w3id.org/kzkg/ontology#generatedLabel> true }
}
"""
_CLASSES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?e ?label ?depth WHERE {
  ?e a ?c . ?c rdfs:label ?label . FILTER(isIRI(?e) && (LANG(?label) = "en" || LANG(?label) = ""))
  FILTER NOT EXISTS { ?e a ?d . ?d rdfs:subClassOf+ ?c . FILTER(?d != ?c) }
}
"""
_DETAILS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?e ?rank ?value WHERE {
  { VALUES (?p ?rank) { (kg:date 0) (schema:startDate 0) (kg:earliestDate 1) (schema:datePublished 0)
                        (schema:foundingDate 1) (kg:period 2) }
    ?e ?p ?v . BIND(STR(?v) AS ?value) }
  UNION
  { VALUES (?p ?rank) { (kg:place 3) (kg:basedIn 3) (schema:containedInPlace 3) (kg:refArea 3)
                        (org:subOrganizationOf 4) (schema:isPartOf 4) (kg:subEventOf 4) }
    ?e ?p ?o . ?o skos:prefLabel ?l . BIND(STR(?l) AS ?value) }
  UNION
  { ?post org:member ?e ; org:organization ?o . ?o skos:prefLabel ?l . BIND(5 AS ?rank) BIND(STR(?l) AS ?value) }
  FILTER(isIRI(?e))
}
"""
_RECORDS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?e WHERE { VALUES ?top { %s } ?c rdfs:subClassOf* ?top . ?e a ?c . FILTER(isIRI(?e)) }
"""
#: What each organisation (not an armed group or movement: "Islamic State in Afghanistan" is another
#: group's name), place, programme or law is in or part of, through any chain of these links: what a
#: name with its place or owner (``Al-Azhar University in Cairo``, ``the KNB's Border Guard Service``)
#: must be within (:func:`~kg.search_text.name_forms`)
_WITHIN = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT DISTINCT ?e ?in WHERE {
  VALUES ?top { kg:Organization kg:Place kg:Program kg:LegalAct }
  ?c rdfs:subClassOf* ?top . ?e a ?c .
  FILTER NOT EXISTS { ?e a ?g . ?g rdfs:subClassOf* kg:Group }
  ?e (kg:basedIn|kg:place|schema:containedInPlace|kg:activeIn|kg:placedIn|org:subOrganizationOf|schema:isPartOf
      |kg:operatedBy|kg:partOfProgram|kg:adoptedBy)+ ?in .
  FILTER(isIRI(?e) && isIRI(?in) && ?in != ?e)
}
"""
_CLASS_LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?label WHERE { ?c a owl:Class ; rdfs:label ?label . FILTER(LANG(?label) = "en" || LANG(?label) = "") }
"""


def _ranks(engine) -> dict[str, int]:
    """The rank of each instance of :data:`RECORD_CLASSES` (and their subclasses) in the engine's
    graph: IRI -> :data:`RANK_WORK` or :data:`RANK_RECORD` (the lower, if both)."""
    from kg.iris import PREFIXES

    ranks: dict[str, int] = {}
    for rank, classes in RECORD_CLASSES.items():
        tops = " ".join(f"<{PREFIXES[c.split(':')[0]]}{c.split(':')[1]}>" for c in classes)
        for row in engine.query(_RECORDS % tops).rows:
            iri = row["e"]["value"]
            ranks[iri] = min(rank, ranks.get(iri, rank))
    return ranks


def class_words(engine) -> list[str]:
    """The words of the English ``rdfs:label`` of every class of the engine's graph (singular,
    normalised, without :data:`STOPWORDS`), sorted: ``attack``, ``group``, ``law``... A text made
    of these only names a kind of thing. Raises ``QueryError`` if the engine fails."""
    words = {singular(w) for row in engine.query(_CLASS_LABELS).rows for w in normalise(row["label"]["value"]).split()}
    return sorted(words - STOPWORDS)


def export_index(engine, details: bool = True) -> list[dict]:
    """Every named entity of the graph as ``{iri, label, aliases, titles, hidden, cls, detail, rank, within}``.

    Nodes whose only label the build generated (``kg:generatedLabel``, see :mod:`kg.labels`) are
    facts, not named things, and are left out.

    ``label`` is the English (else first) ``skos:prefLabel``, else the first ``schema:name``;
    ``aliases`` the other labels, alternative labels and names; ``hidden`` the hidden labels
    (misspellings); ``cls`` the label of the most specific class; ``detail`` a date, a place and a
    parent (organization, event or work) or, for a person, an organization they belong to; ``rank``
    :data:`RANK_ENTITY` (2), or for an instance of :data:`RECORD_CLASSES` :data:`RANK_WORK` (1, a cited
    work or corpus document) or :data:`RANK_RECORD` (0, a disagreement, statistic, quantity...): a
    lower rank comes after the entities a text matches alike; ``within`` the IRIs of the places and
    organisations an organisation, place, programme or law is in or part of (:data:`_WITHIN`), by which a
    name written with its place or owner is checked. The list is sorted by IRI and is what ``kg/static/search.js`` searches. Without ``details``, ``cls`` and ``detail`` are empty
    (two queries fewer: enough to match names). Raises ``QueryError`` if the engine fails.
    """
    names: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for row in engine.query(_NAMES).rows:
        prop = row["p"]["value"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        lang = row["label"].get("xml:lang", "")
        names.setdefault(row["e"]["value"], {}).setdefault(prop, []).append((lang, row["label"]["value"]))
    classes: dict[str, list[str]] = {}
    for row in engine.query(_CLASSES).rows if details else ():
        classes.setdefault(row["e"]["value"], []).append(row["label"]["value"])
    details_of: dict[str, dict[int, set[str]]] = {}
    for row in engine.query(_DETAILS).rows if details else ():
        details_of.setdefault(row["e"]["value"], {}).setdefault(int(row["rank"]["value"]), set()).add(row["value"]["value"])
    ranks = _ranks(engine)
    within: dict[str, list[str]] = {}
    for row in engine.query(_WITHIN).rows:
        within.setdefault(row["e"]["value"], []).append(row["in"]["value"])
    entries = []
    for iri in sorted(names):
        by = names[iri]
        pref = sorted(by.get("prefLabel", []), key=lambda x: (x[0] not in ("en", ""), x))
        ordered = [t for _, t in pref] + sorted(t for _, t in by.get("altLabel", []))
        named = sorted(t for _, t in by.get("name", []))
        if not ordered and not named:
            continue
        label = (ordered or named)[0]
        aliases: list[str] = []
        for text in ordered[1:]:
            if text != label and text not in aliases:
                aliases.append(text)
        titles = [t for t in dict.fromkeys(named) if t != label and t not in aliases]
        hidden = sorted({t for _, t in by.get("hiddenLabel", [])} - {label} - set(aliases) - set(titles))
        found = details_of.get(iri, {})
        dates = sorted(found.get(0, set()) or found.get(1, set()))
        parts = [dates[0][:10]] if dates else []
        if not dates and found.get(2):
            parts.append(min(found[2]))
        parts += sorted(found.get(3, set()))[:1] + [f"part of {p}" for p in sorted(found.get(4, set()))[:1]]
        parts += [f"member of {p}" for p in sorted(found.get(5, set()))[:1]]
        entries.append({"iri": iri, "label": label, "aliases": aliases, "titles": titles, "hidden": hidden,
                        "cls": min(classes.get(iri, [""])), "detail": ", ".join(parts),
                        "rank": ranks.get(iri, RANK_ENTITY), "within": sorted(within.get(iri, []))})
    return entries


def index_for(engine) -> SearchIndex:
    """The search index of an engine's graph, built once and kept on the engine object."""
    index = getattr(engine, "_kg_search_index", None)
    if index is None:
        index = SearchIndex(export_index(engine), generic=class_words(engine))
        try:
            engine._kg_search_index = index
        except AttributeError:  # an engine that refuses attributes: rebuild each time
            pass
    return index



#: The names index of an on-disk store, kept in the store's folder by the first name resolved after a
#: build (a rebuild replaces the folder, and the stamp of the store it was made from is checked).
NAMES_CACHE = "kg-search-names.json"
#: Changes when what the cache holds changes (2: the ranks and the class words; 3: the folded keys;
#: 4: what each entity is within, for names with their place or owner; 6: the main titles of works)
NAMES_CACHE_VERSION = 6


def names_index(engine) -> SearchIndex:
    """The index of names only (no classes or details) of the engine's graph, kept on the engine object
    (as :func:`index_for` keeps the full one: a server resolves many names with one engine); the
    first one made for an on-disk store also writes the store's :data:`EXACT_TABLE` when it has no valid one."""
    import os

    index = getattr(engine, "_kg_names_index", None)
    if index is None:
        index = _read_names_index(engine)
        try:
            engine._kg_names_index = index
        except AttributeError:  # an engine that refuses attributes: read each time
            pass
        folder = _kept_in(engine)
        # made only where it can be written: making it takes longer than reading the names index
        if folder is not None and exact_table(engine) is None and os.access(folder, os.W_OK):
            header = f"{EXACT_TABLE_HEADER}\t{NAMES_CACHE_VERSION}.{EXACT_TABLE_VERSION}\t{engine.store_stamp}"
            data = ExactTable.from_index(index, header)
            if data is not None and _keep(folder / EXACT_TABLE, data):
                _hold(engine, "_kg_exact_table", ExactTable(data))
    return index


def _kept_in(engine):
    """The folder of the engine's on-disk store, where its caches are kept, if it has one and its stamp."""
    folder, stamp = getattr(engine, "store_path", None), getattr(engine, "store_stamp", None)
    return folder if folder is not None and stamp else None


def _hold(engine, name: str, value) -> None:
    """Keep ``value`` on the engine object as ``name``, unless the engine refuses attributes."""
    try:
        setattr(engine, name, value)
    except AttributeError:
        pass


def _keep(path, data: bytes) -> bool:
    """Write ``data`` to ``path`` whole (a temporary file renamed into place); False when the folder is
    read-only or full (no cache then, the same answers)."""
    import os

    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
        return True
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
        return False


#: The exact names of the names index (:class:`~kg.search_index.ExactTable`), kept beside its cache:
#: a cold ``kg query`` settles a name there by reading a few lines, the names index only otherwise.
EXACT_TABLE = "kg-search-exact.txt"
#: Changes when the table's lines change (the names cache's version is written beside it too)
EXACT_TABLE_VERSION = 1
EXACT_TABLE_HEADER = "kzkg exact names"


def exact_table(engine) -> ExactTable | None:
    """The table of exact names kept in the folder of the engine's on-disk store, when it was made from
    this store (its stamp) by this version of the names index and of the table; else None (a stale,
    foreign, damaged or missing table is not read: :func:`names_index` writes it again). Read once per
    engine, through :mod:`kg.inputs` (a FIFO or folder planted there is refused, not waited on)."""
    table = getattr(engine, "_kg_exact_table", None)
    if table is None:
        table = False
        folder = _kept_in(engine)
        stamp = getattr(engine, "store_stamp", "")
        header = f"{EXACT_TABLE_HEADER}\t{NAMES_CACHE_VERSION}.{EXACT_TABLE_VERSION}\t{stamp}\n"
        if folder is not None:
            from kg.inputs import InputError, read_bytes

            try:
                data = read_bytes(folder / EXACT_TABLE, error=ValueError)
                if data.startswith(header.encode()):
                    table = ExactTable(data)
            except (OSError, ValueError, InputError):
                pass
        _hold(engine, "_kg_exact_table", table)
    return table or None


def _read_names_index(engine) -> SearchIndex:
    """The names index from the cache of the engine's on-disk store when it has a valid one; else
    built, and cached when the store folder is writable."""
    import json

    folder, stamp = _kept_in(engine), getattr(engine, "store_stamp", None)
    cache = folder / NAMES_CACHE if folder is not None else None
    if cache is not None:
        try:
            # through kg.inputs, as every file kg reads: a FIFO or folder planted there is refused, not waited on
            from kg.inputs import read_text

            data = json.loads(read_text(cache, error=ValueError))
            if data.get("stamp") == stamp and data.get("version") == NAMES_CACHE_VERSION:
                return SearchIndex(data["entries"], data["keys"], data["generic"], data["folds"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    index = SearchIndex(export_index(engine, details=False), generic=class_words(engine))
    if cache is not None:
        # what search() and resolve() read of the entries: iri, label, rank, within (when any)
        entries = [{"iri": e["iri"], "label": e["label"], "rank": e["rank"],
                    **({"within": e["within"]} if e.get("within") else {})} for e in index.entries.values()]
        _keep(cache, json.dumps({"stamp": stamp, "version": NAMES_CACHE_VERSION, "keys": index.keys, "folds": index.folds,
                                 "entries": entries, "generic": sorted(index.generic)}, ensure_ascii=False).encode())
    return index
