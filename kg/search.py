"""Entity search: one normalisation and one ranking for every place a name is typed.

``-p entity=NAME``, ``kg network --around NAME``, ``kg search TEXT`` and the pages' search boxes
(``kg/static/search.js``, the same rules in JavaScript) all go through this module. Its parts:
:mod:`kg.search_text` (the search form of a text), :mod:`kg.search_index` (ranking and resolution
over an index of names), :mod:`kg.search_graph` (the index of a built graph); every name they
export is importable from here.

Names are matched on ``skos:prefLabel``, ``skos:altLabel``, ``schema:name`` and ``skos:hiddenLabel``
(misspellings: matched, never shown) after :func:`normalise`. A label also answers to derived keys:
without a bracketed qualifier (``Aktobe attacks (June 2016)`` -> ``Aktobe attacks``; not for a bare
year, as in the citation ``Shaumetov (2018)``, whose bare form names the author), the acronym in
its brackets (``Committee for National Security (KNB)`` -> ``KNB``) and each part of a slash variant
(``Nursultan/Astana`` -> ``Nursultan``, ``Astana``). Matches are ranked in tiers:

0. exact: the whole label, normalised;
1. exact on a derived key, on the label with its spaces removed (``Nur Sultan`` -> ``Nursultan``),
   or on its singular/plural variant (``Aktobe attack`` -> ``Aktobe attacks``, see :func:`singular`);
   below these, exact on a name the text holds in a form documents write (:func:`name_forms`: a
   possessive ``IMU’s``, a leading article ``The PGO``, a role before a person's name ``Chair Nurtai
   Abykaev``), so that a real label holding the article or possessive (``The Guardian``) wins; a word
   tier match of such a name (``Satybau’s`` -> ``Sayragul Satybau``) counts as the text's own;
2. all words: every word of the text is a word of the label, singular or plural
   (``Obama`` -> ``Barack Obama``);
3. word prefixes: every word of the text begins a word of the label (``Kazakh govern``);
4. fuzzy: Indel similarity (rapidfuzz) of the whole label, its sorted words, or a window of as many
   label words as the text has (a misspelt surname), at least :data:`FUZZY_MIN`.

Within a tier a real-world entity (an event, group, person, place, law, publication...) comes before
a cited work or corpus document, which comes before a record about statements (a disagreement, a
statistic, a quantity...: the ranks of :data:`RECORD_CLASSES`) when the words match alike; in the
exact tiers a preferred label beats an alias, which beats a hidden label, before that; in the word
tiers the label the text covers best comes first. A score is one integer, ``(5 - tier) * 2000 +
within``, so that Python and JavaScript sort alike.

:func:`resolve` takes one entity only when the text names it and nothing else alike:

* in the exact tiers, the one entity whose label or alias the text is (a label beats an alias of
  another entity, an entity beats a work or a record);
* in the word tiers the text is only part of a name, and the length of the rest of each name says
  nothing about which one is meant: the best match is taken only when the text holds at least half
  the words of its name (``Obama``, ``Tablighi``; not one word of a long title) and every other match
  of its tier and rank is named after it, its name holding every word of the best match's name
  (``Tablighi`` -> ``Tablighi Jamaat``, not the ``Tablighi Jamaat ban`` event named after the group);
  ``Ministry of Culture`` matching two ministries alike is refused;
* a text made of class words only (``attack``, ``groups``, ``the law``: words of the classes'
  ``rdfs:label``), or of numbers and month names only (``May 2011``), names a kind of thing or a
  date, not one entity: it resolves only as an exact label or alias;
* a word-prefix match only when a word of the text is a whole word of the name, or each word holds
  three quarters of the word it begins (``Barack Obam``; not ``Even`` for the "January events");
* a fuzzy match only from :data:`FUZZY_TAKE`, clearly ahead of the next, and when each word of the text
  is a word of the name or a misspelling of one (the same first letter, not the word with an ending
  added or cut: not ``Additional`` or ``Traditionally`` for ``Traditional Islam``);
* a text of demonyms only (``Chinese``) is an adjective: it resolves only as an exact name;
* a work answers to its main title (before a colon or spaced dash) as an exact name only: it is cited whole;
* never an entity the text writes with a place or owner the graph does not have it in, in any tier
  (``Eurasian National University in Cairo``, ``Uzbek Border Guard Service``: a country's adjective
  names the country, :func:`~kg.search_text.demonyms`), nor one it writes as the owner of another
  name (``Radio Free Europe/Radio Liberty's Guardian``): :meth:`~kg.search_index.SearchIndex.contradicted`;
  a country the graph lacks (``Egypt’s Al-Azhar University``) may hold only what the graph puts in no
  country.

Otherwise :func:`resolve` raises a ``ParamError`` listing a short ranked list of candidates with
their class and a distinguishing detail (date, place, parent), on one line.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing on the query path
if TYPE_CHECKING:  # what __getattr__ below gives, for readers and linters
    from kg.search_graph import (EXACT_TABLE, NAMES_CACHE, NAMES_CACHE_VERSION, class_words, exact_table, export_index,
                                 index_for, names_index)
    from kg.search_index import (
        AMBIGUOUS_LIMIT,
        ExactTable,
        FUZZY_MIN,
        FUZZY_TAKE,
        MARGIN,
        RANK_ENTITY,
        RANK_RECORD,
        RANK_WORK,
        RECORD_CLASSES,
        Match,
        SearchIndex,
    )
    from kg.search_text import (KAZAKH_ROMANISATION, MONTHS, STOPWORDS, label_keys, name_forms, normalise, shown,
                                singular)

#: The part that defines each name this module exports: imported when a name of it is first asked
#: for (PEP 562), so that an IRI typed for -p entity= (kg.query imports entity_iri) or a build that
#: only normalises (kg.mentions, kg.duplicates) loads no more of the search than it uses.
_PARTS = {
    "kg.search_text": ("normalise", "singular", "label_keys", "shown", "name_forms", "KAZAKH_ROMANISATION", "MONTHS",
                       "STOPWORDS"),
    "kg.search_index": ("Match", "SearchIndex", "ExactTable", "AMBIGUOUS_LIMIT", "FUZZY_MIN", "FUZZY_TAKE", "MARGIN", "RANK_ENTITY",
                        "RANK_WORK", "RANK_RECORD", "RECORD_CLASSES", "_may_reach", "_ratio"),
    "kg.search_graph": ("export_index", "class_words", "index_for", "names_index", "exact_table", "NAMES_CACHE",
                        "NAMES_CACHE_VERSION", "EXACT_TABLE", "_NAMES", "_CLASSES", "_DETAILS", "_RECORDS", "_CLASS_LABELS"),
}
_ALIASES = {"_shown": "shown", "_names_index": "names_index"}  # former private names, kept for callers


def __getattr__(name: str):
    """A name of :mod:`kg.search_text`, :mod:`kg.search_index` or :mod:`kg.search_graph`, imported on
    first use. Raises ``AttributeError`` for any other name."""
    import importlib

    wanted = _ALIASES.get(name, name)
    for module, names in _PARTS.items():
        if wanted in names:
            value = getattr(importlib.import_module(module), wanted)
            globals()[name] = value
            return value
    raise AttributeError(f"module 'kg.search' has no attribute {name!r}")


__all__ = [
    "normalise",
    "singular",
    "label_keys",
    "shown",
    "name_forms",
    "Match",
    "SearchIndex",
    "export_index",
    "class_words",
    "index_for",
    "names_index",
    "search",
    "resolve",
    "entity_iri",
    "AMBIGUOUS_LIMIT",
    "FUZZY_MIN",
    "FUZZY_TAKE",
    "MARGIN",
    "KAZAKH_ROMANISATION",
    "RECORD_CLASSES",
    "RANK_ENTITY",
    "RANK_WORK",
    "RANK_RECORD",
    "MONTHS",
    "STOPWORDS",
    "NAMES_CACHE",
    "NAMES_CACHE_VERSION",
    "ExactTable",
    "exact_table",
    "EXACT_TABLE",
]


def search(engine, text: str, limit: int | None = 10) -> list:
    """Ranked entities of the engine's graph matching ``text`` (see the module for the tiers), as
    :class:`~kg.search_index.Match` tuples."""
    from kg.search_graph import index_for

    return index_for(engine).search(text, limit)


def resolve(engine, text: str) -> str:
    """The IRI of the one entity ``text`` names in the engine's graph.

    Raises ``kg.query.ParamError`` when no entity, or more than one equally good, answers; the
    message lists the best candidates with class and detail.
    """
    from kg.query import ParamError
    from kg.search_graph import exact_table, index_for, names_index

    if getattr(engine, "_kg_search_index", None) is not None:
        return index_for(engine).resolve(text)
    # a name the exact tiers settle is found in the store's table of exact names (a few of its lines); the
    # names index is read only for the others, and the classes and details that describe candidates
    # (the full index) only when the name is refused
    table = exact_table(engine)
    if table is not None and (iri := table.settled(text)) is not None:
        return iri
    try:
        return names_index(engine).resolve(text)
    except ParamError:
        return index_for(engine).resolve(text)



def entity_iri(engine, text: str, option: str | None = None) -> str:
    """The IRI of the entity ``text`` names in the engine's graph: the one way a typed name becomes an
    entity, for ``kg show``, ``-p entity=`` (and every parameter of type entity), ``kg network
    --around`` and the mark of ``kg search`` (the pages run the same rules in ``kg/static/search.js``).

    ``text`` is an IRI (``<...>`` or ``http(s)://...``) or a prefixed name of the project
    (``group:islamic-state``), which must be valid and name something the graph holds, or else a name
    (label, alias, title, misspelling...) that :func:`resolve` takes.

    Raises ``kg.query.ParamError``: for an invalid IRI, one the graph holds nothing about or an
    evidence span (``ev:dNNN-START-END``, a graph name, no entity) (the
    message begins with ``option``, such as ``--param entity``, when given), or for a name no entity,
    or more than one alike, answers (the message lists the candidates).
    """
    from kg.known import require_entity
    from kg.query import expand

    iri = expand(text)
    if iri is None:
        return resolve(engine, text)
    from kg.iris import PREFIXES

    if iri.startswith(PREFIXES["ev"]):  # a graph name the build describes, which no entity statement names
        from kg.iris import shorten
        from kg.query import ParamError

        raise ParamError(f"{option + ': ' if option else ''}{shorten(iri)} is an evidence span, not an entity: "
                         f"kg passage {shorten(iri)} shows its text; give an entity it names (kg search NAME)")
    require_entity(engine, iri, text, option)
    return iri
