"""Entity search: one normalisation and one ranking for every place a name is typed.

``-p entity=NAME``, ``kg network --around NAME``, ``kg search TEXT`` and the pages' search boxes
(``kg/static/search.js``, the same rules in JavaScript) all go through this module.

Names are matched on ``skos:prefLabel``, ``skos:altLabel``, ``schema:name`` and ``skos:hiddenLabel``
(misspellings: matched, never shown) after :func:`normalise`. A label also answers to derived keys:
without a bracketed qualifier (``Aktobe attacks (June 2016)`` -> ``Aktobe attacks``; not for a bare
year, as in the citation ``Shaumetov (2018)``, whose bare form names the author), the acronym in
its brackets (``Committee for National Security (KNB)`` -> ``KNB``) and each part of a slash variant
(``Nursultan/Astana`` -> ``Nursultan``, ``Astana``). Matches are ranked in tiers:

0. exact: the whole label, normalised;
1. exact on a derived key, on the label with its spaces removed (``Nur Sultan`` -> ``Nursultan``),
   or on its singular/plural variant (``Aktobe attack`` -> ``Aktobe attacks``, see :func:`singular`);
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
* a fuzzy match only from :data:`FUZZY_TAKE` and clearly ahead of the next.

Otherwise :func:`resolve` raises a ``ParamError`` listing a short ranked list of candidates with
their class and a distinguishing detail (date, place, parent), on one line.
"""

from __future__ import annotations

import re
import unicodedata
from collections import namedtuple

__all__ = [
    "normalise",
    "singular",
    "label_keys",
    "Match",
    "SearchIndex",
    "export_index",
    "class_words",
    "index_for",
    "search",
    "resolve",
    "AMBIGUOUS_LIMIT",
    "FUZZY_MIN",
    "KAZAKH_ROMANISATION",
    "RECORD_CLASSES",
    "RANK_ENTITY",
    "RANK_WORK",
    "RANK_RECORD",
    "MONTHS",
    "STOPWORDS",
]

#: How many candidates an ambiguous or unknown name lists.
AMBIGUOUS_LIMIT = 8
#: The lowest fuzzy score (0-1000) listed; a fuzzy match is taken alone only from FUZZY_TAKE.
FUZZY_MIN, FUZZY_TAKE = 800, 850
#: How far the best match must lead the next in the exact tiers (0, 1) and the fuzzy tier (4); the
#: word tiers (2, 3) take a match by the rule of names named after it (see the module), not by a lead.
MARGIN = {0: 1, 1: 1, 4: 30}
# a preferred label beats an alias, which beats a title (schema:name), which beats a misspelling
KIND_LABEL, KIND_ALIAS, KIND_TITLE, KIND_HIDDEN = 0, 1, 2, 3
#: Ranks of what a name names: a real-world entity (event, group, person, place, law, publication...),
#: a cited work or corpus document, a record about statements (a disagreement, a statistic...)
RANK_ENTITY, RANK_WORK, RANK_RECORD = 2, 1, 0
#: The classes (with their subclasses) of the lower ranks: works cited or read, then records about
#: claims (annotations, observations, the quantities they measure, findings, notes, positions)
RECORD_CLASSES = {RANK_WORK: ("kg:CitedWork", "kg:Document"),
                  RANK_RECORD: ("oa:Annotation", "qb:Observation", "kg:Quantity", "kg:Finding", "kg:Note",
                                "kg:Evidence", "rdf:Statement", "org:Membership")}
#: What an exact match loses per rank below an entity (less than a kind: an alias loses 100)
RANK_PENALTY = 25
#: The words of a date: a text of these (and numbers) only is a date, not a name
MONTHS = frozenset("january february march april may june july august september october november december".split())
#: Words that neither name a thing nor make a text a class name (``the attack``)
STOPWORDS = frozenset("a an and at by for from in of on or the to with".split())

#: Kazakh letters romanised as the graph's names are (Aktobe, Zhanaozen), not as anyascii does (q, gh, ng)
KAZAKH_ROMANISATION = {"Ғ": "G", "ғ": "g", "Қ": "K", "қ": "k", "Ң": "N", "ң": "n"}
_KAZAKH = str.maketrans(KAZAKH_ROMANISATION)
_APOSTROPHES = "'`\u00b4\u02b9\u02bb\u02bc\u02bd\u2018\u2019\u201b\u2032"
_BRACKETS = re.compile(r"\s*\(([^()]*)\)")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&-]{1,11}$")
_YEAR = re.compile(r"^\d{4}[a-z]?$")


def normalise(text: str) -> str:
    """The search form of a text: ASCII (accents dropped, Cyrillic and Kazakh transliterated by
    anyascii, the Kazakh letters ғ, қ, ң as g, k, n), lower case, apostrophes and full stops removed, any other run of punctuation, dashes
    or white space one space.

    >>> normalise("Nur-Sultan’s  ÁKIMAT")
    'nur sultans akimat'
    >>> normalise("Ақтөбе, Жаңаөзен")
    'aktobe zhanaozen'
    """
    text = str(text)
    if text.isascii():  # anyascii and NFC leave ASCII as it is: not imported for an ASCII name
        out = text.lower()
    else:
        from anyascii import anyascii

        out = anyascii(unicodedata.normalize("NFC", text).translate(_KAZAKH)).lower()
    out = re.sub(r"[" + _APOSTROPHES + r".]", "", out)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", out).split())


def singular(word: str) -> str:
    """The singular form of a normalised English word, by the regular plural endings only, so that a
    name answers to its singular or plural variant (both sides are folded alike; an irregular or
    foreign word is left as it is, and then only matches as written).

    >>> [singular(w) for w in ["attacks", "activities", "churches", "taxes", "affairs", "laws"]]
    ['attack', 'activity', 'church', 'tax', 'affair', 'law']
    >>> [singular(w) for w in ["militias", "ghazis", "status", "kazakhs", "us", "2010s"]]
    ['militia', 'ghazi', 'status', 'kazakh', 'us', '2010']

    A word that is a whole name by itself (``Edwards``, ``ISIS``) is not a plural:
    :class:`SearchIndex` leaves such words as they are.
    """
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def label_keys(label: str) -> list[tuple[str, bool]]:
    """``(key, derived)`` pairs a label answers to: itself, then derived keys (see the module).

    >>> label_keys("Aktobe attacks (June 2016)")
    [('aktobe attacks june 2016', False), ('aktobe attacks', True)]
    >>> label_keys("Shaumetov (2018)")
    [('shaumetov 2018', False)]
    >>> label_keys("Nursultan/Astana")
    [('nursultan astana', False), ('nursultan', True), ('astana', True)]
    """
    keys = [normalise(label)]
    bare = _BRACKETS.sub(" ", label)
    if bare != label:
        # "Shaumetov (2018)" is a citation: its bare form names the author, not the work
        if not all(_YEAR.match(inner.strip()) for inner in _BRACKETS.findall(label)):
            keys.append(normalise(bare))
        keys += [normalise(inner) for inner in _BRACKETS.findall(label)
                 if _ACRONYM.match(inner.strip()) and sum(c.isupper() for c in inner) >= 2]
    if "/" in bare:
        keys += [normalise(part) for part in bare.split("/") if sum(c.isalpha() for c in part) >= 2]
    out: list[tuple[str, bool]] = []
    for i, key in enumerate(keys):
        if key and key not in [k for k, _ in out]:
            out.append((key, i > 0))
    return out


class Match(namedtuple("Match", "iri label cls detail score matched")):
    """One ranked candidate: the entity, the label shown, its class and detail, the score, and the
    label or alias that matched (a named tuple: no :mod:`dataclasses` on the query path)."""

    __slots__ = ()

    @property
    def tier(self) -> int:
        return 5 - self.score // 2000

    def describe(self) -> str:
        """``label [class, detail] (short IRI)``, one line of a candidate list."""
        from kg.iris import shorten

        extra = ", ".join(x for x in (self.cls, self.detail) if x)
        via = f" (as {self.matched!r})" if normalise(self.matched) != normalise(self.label) else ""
        return f"{self.label}{via} [{extra}] {shorten(self.iri)}"


def _ratio(a: str, b: str) -> int:
    """Indel similarity in tenths of a percent (0-1000), rounded half up, as in search.js."""
    from rapidfuzz.distance import Indel

    total = len(a) + len(b)
    if not total:
        return 1000
    return (1000 * (total - Indel.distance(a, b)) * 2 + total) // (2 * total)


def _shown(text: str, limit: int = 80) -> str:
    """``text`` quoted for a message, cut to ``limit`` characters: a pasted page is not echoed whole."""
    text = " ".join(str(text).split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _may_reach(needle: int, key: int) -> bool:
    """Whether a text of ``needle`` characters can be :data:`FUZZY_MIN` similar to a key of ``key``
    characters or to a window of its words: the best Indel similarity, all of the shorter text shared,
    is ``2 * min / (needle + key)``; a window is shorter than its key. Skipping the keys this rules out
    changes no score, and keeps a pasted page of text from costing minutes."""
    if needle <= key:
        return True
    total = needle + key
    return (1000 * 2 * key * 2 + total) // (2 * total) >= FUZZY_MIN


class SearchIndex:
    """Normalised keys of every entity, built from the entries of :func:`export_index`."""

    def __init__(self, entries: list[dict], keys: list | None = None, generic=(), folds: list | None = None):
        """``keys``, if given, are the ``keys`` of an index of the same ``entries`` (as stored by
        :func:`resolve`'s cache), so that no label is normalised again; ``folds``, if given with them,
        are its :attr:`folds` (each key with its words singular), so that no word is folded again
        either. ``generic`` are the class words (:func:`class_words`): a text made of them only
        resolves as an exact name."""
        self.entries = {e["iri"]: e for e in entries}
        self.generic = frozenset(generic) - STOPWORDS
        self.keys: list[tuple[str, str, int, bool, str]] = []  # key, iri, kind, derived, matched text
        self.exact: dict[str, list[int]] = {}
        if keys is not None:
            self.keys = [tuple(k) for k in keys]
            for i, key in enumerate(self.keys):
                self.exact.setdefault(key[0], []).append(i)
        for entry in entries if keys is None else ():
            names = [(entry["label"], KIND_LABEL)] + [(a, KIND_ALIAS) for a in entry.get("aliases", [])]
            names += [(n, KIND_TITLE) for n in entry.get("titles", [])]
            names += [(h, KIND_HIDDEN) for h in entry.get("hidden", [])]
            for text, kind in names:
                for key, derived in label_keys(text):
                    self.exact.setdefault(key, []).append(len(self.keys))
                    self.keys.append((key, entry["iri"], kind, derived, text))
        # a word that is a whole name by itself ("Edwards", "ISIS") is a name, not a plural
        self.proper = {k[0] for k in self.keys if " " not in k[0]}
        self.rank = [self.entries[k[1]].get("rank", RANK_ENTITY) for k in self.keys]
        #: each key with its words singular (:meth:`_fold`), by key position
        self.folds: list[str] = (list(folds) if keys is not None and folds is not None and len(folds) == len(self.keys)
                                 else [self._fold(k[0]) for k in self.keys])
        self.compact: dict[str, list[int]] = {}
        self.folded: dict[str, list[int]] = {}
        self.of_iri: dict[str, list[int]] = {}
        for i, (key, iri, *_rest) in enumerate(self.keys):
            self.compact.setdefault(key.replace(" ", ""), []).append(i)
            self.folded.setdefault(self.folds[i], []).append(i)
            self.of_iri.setdefault(iri, []).append(i)

    # The words of each key, for the word tiers (:meth:`_scored`): made on first use, so that a name
    # the exact look-ups settle (most names given to ``kg query``) does not pay for them.
    @property
    def raw_words(self) -> list[list[str]]:
        """The words of each key, by key position."""
        if "_raw_words" not in self.__dict__:
            self._raw_words = [k[0].split() for k in self.keys]
        return self._raw_words

    @property
    def words(self) -> list[set[str]]:
        """The set of singular words of each key (the words of its fold), by key position."""
        if "_words" not in self.__dict__:
            self._words = [set(f.split()) for f in self.folds]
        return self._words

    def _singular(self, word: str) -> str:
        """:func:`singular`, except for a word that is a whole name of the index by itself."""
        return word if word in self.proper else singular(word)

    def _fold(self, key: str) -> str:
        """A normalised key with each word singular (see :meth:`_singular`)."""
        return " ".join(self._singular(w) for w in key.split())

    def _exact_scores(self, needle: str) -> dict[int, int]:
        """Score of every key ``needle`` matches exactly (tier 0), as a derived key, without its
        spaces or as its singular/plural variant (tier 1): key position -> score. Three dictionary
        look-ups."""
        scores: dict[int, int] = {}
        for i in self.exact.get(needle, ()):
            _, _, kind, derived, _ = self.keys[i]
            scores[i] = (5 - (1 if derived else 0)) * 2000 + 1000 - 100 * kind - RANK_PENALTY * (2 - self.rank[i])
        near = self.compact.get(needle.replace(" ", ""), []) + self.folded.get(self._fold(needle), [])
        for i in near:  # "Nur Sultan" / "Nursultan", "Aktobe attack" / "Aktobe attacks"
            if i not in scores:
                scores[i] = 4 * 2000 + 1000 - 100 * self.keys[i][2] - RANK_PENALTY * (2 - self.rank[i])
        return scores

    def _scored(self, needle: str, fuzzy: bool = True) -> dict[int, int]:
        """Score of every key that matches at all: key position -> score (tier 4, fuzzy, only if ``fuzzy``)."""
        scores = self._exact_scores(needle)
        qwords = needle.split()
        if not qwords:
            return scores
        # the same tests, once per word: a repeated word changes nothing
        distinct = list(dict.fromkeys(self._singular(w) for w in qwords))
        for i, (key, _, kind, _, _) in enumerate(self.keys):
            if i in scores:
                continue
            words = self.words[i]
            # an entity beats a work, which beats a record; then the share of the name the text covers,
            # an alias a little less
            within = 333 * self.rank[i]
            within += min(332, max(0, (333 * len(needle) + len(key) // 2) // max(len(key), 1) - 3 * kind))
            if all(w in words for w in distinct):
                scores[i] = 3 * 2000 + within
            elif all(any(k.startswith(w) for k in self.raw_words[i]) for w in distinct):
                scores[i] = 2 * 2000 + within
        if fuzzy and len(needle) >= 4:
            qsorted = " ".join(sorted(qwords))
            n = len(qwords)
            for i, (key, _, kind, _, _) in enumerate(self.keys):
                if i in scores or not _may_reach(len(needle), len(key)):
                    continue
                kw = self.raw_words[i]
                best = max(_ratio(needle, key), _ratio(qsorted, " ".join(sorted(kw))))
                if len(kw) > n:
                    best = max(best, *(_ratio(needle, " ".join(kw[j:j + n])) for j in range(len(kw) - n + 1)))
                if best >= FUZZY_MIN:
                    scores[i] = 1 * 2000 + best - 10 * kind
        return scores

    def _ranked(self, text: str, fuzzy: bool = True) -> list[tuple[str, int, int]]:
        """``(iri, score, key position)`` of every entity matching ``text``, best first, by its best key."""
        needle = normalise(text)
        scores = self._scored(needle, fuzzy)
        if "/" in text:
            for part in text.split("/"):
                if sum(c.isalpha() for c in part) >= 2:
                    for i, score in self._scored(normalise(part), fuzzy).items():
                        scores[i] = max(scores.get(i, 0), score - 1)
        best: dict[str, tuple[int, int]] = {}
        for i, score in scores.items():
            iri = self.keys[i][1]
            if iri not in best or score > best[iri][0]:
                best[iri] = (score, i)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], len(self.entries[kv[0]]["label"]),
                                                      self.entries[kv[0]]["label"], kv[0]))
        return [(iri, score, i) for iri, (score, i) in ranked]

    def _match(self, iri: str, score: int, i: int) -> Match:
        e = self.entries[iri]
        shown = self.keys[i][4] if self.keys[i][2] != KIND_HIDDEN else e["label"]
        return Match(iri, e["label"], e.get("cls", ""), e.get("detail", ""), score, shown)

    def search(self, text: str, limit: int | None = 10, *, fuzzy: bool = True) -> list[Match]:
        """Ranked entities matching ``text``, best first (one per entity, by its best label); without
        the fuzzy tier if not ``fuzzy``."""
        return [self._match(*r) for r in self._ranked(text, fuzzy)[:limit]]

    def is_generic(self, text: str) -> bool:
        """Whether ``text`` is made of class words only (``attack``, ``the groups``: a kind of thing),
        or of numbers and month names only (``May 2011``: a date): no name of one entity."""
        words = [self._singular(w) for w in normalise(text).split() if w not in STOPWORDS]
        if words and all(w.isdigit() or w in MONTHS for w in words):
            return True  # a date or a number: "May 2011", "2007"
        return bool(words) and all(w in self.generic for w in words)

    def _named_after(self, iri: str, words: set[str]) -> bool:
        """Whether a name of ``iri`` holds every one of ``words`` (singular forms)."""
        return any(words <= self.words[i] for i in self.of_iri[iri])

    def _rivals(self, ranked: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """The matches after the best one of the same tier and rank (entity, work, record), in the word tiers."""
        def group(score: int) -> tuple[int, int]:  # a word tier's score: 2000 per tier, 333 per rank, the cover
            return score // 2000, score % 2000 // 333

        return [r for r in ranked[1:] if group(r[1]) == group(ranked[0][1])]

    def _choose(self, ranked: list[tuple[str, int, int]], text: str) -> str | None:
        """The IRI the rules of the module take from the full ranking of ``text``, or None for a refusal."""
        if not ranked:
            return None
        iri, score, i = ranked[0]
        tier = 5 - score // 2000
        second = ranked[1][1] if len(ranked) > 1 else -10**6
        if tier <= 1:
            return iri if score - second >= MARGIN[tier] else None
        if self.is_generic(text):
            return None
        if tier == 4:
            return iri if score - second >= MARGIN[4] and score % 2000 >= FUZZY_TAKE else None
        if self._too_short(text, i):
            return None
        return iri if all(self._named_after(r[0], self.words[i]) for r in self._rivals(ranked)) else None

    def _too_short(self, text: str, i: int) -> bool:
        """Whether ``text`` holds fewer than half the words of key ``i`` (stop words aside): one word of a
        long name, not the name shortened ("Obama", "Tablighi" are half of theirs)."""
        said = {self._singular(w) for w in normalise(text).split()} - STOPWORDS
        return 2 * len(said) < len(self.words[i] - STOPWORDS)

    def resolve(self, text: str) -> str:
        """The IRI of the one entity ``text`` names; ``ParamError`` (with candidates) otherwise."""
        from kg.query import ParamError

        # An exact score (tiers 0 and 1: at least 8,650) is above every word tier's (at most 6,999), so
        # when one entity leads the exact matches by its tier's margin, it leads every match: the
        # pass over every key is made only when that is not so (the same answer, a few ms sooner).
        if "/" not in text:
            best: dict[str, int] = {}
            for i, score in self._exact_scores(normalise(text)).items():
                best[self.keys[i][1]] = max(best.get(self.keys[i][1], 0), score)
            ranked = sorted(best.items(), key=lambda kv: -kv[1])
            if ranked and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= MARGIN[5 - ranked[0][1] // 2000]):
                return ranked[0][0]
        # A fuzzy score (at most 3000) is below every other tier's (4000 and more), and a match of
        # tiers 0-3 is taken or refused by the matches of its own tier: the fuzzy pass (rapidfuzz over
        # every key) is made only when there is no such match, or to list candidates for a refusal.
        ranked = self._ranked(text, fuzzy=False)
        taken = self._choose(ranked, text)
        if taken is None:
            ranked = self._ranked(text)
            taken = self._choose(ranked, text)
        if taken is not None:
            return taken
        found = [self._match(*r) for r in ranked]
        listed = "; ".join(m.describe() for m in found[:AMBIGUOUS_LIMIT])
        more = f" and {len(found) - AMBIGUOUS_LIMIT} more" if len(found) > AMBIGUOUS_LIMIT else ""
        if not found:
            raise ParamError(f"no entity is labelled {_shown(text)} (nor anything close); try kg search with fewer words")
        top = found[0]
        if top.tier < 2 and len(found) > 1 and found[1].score == top.score:
            raise ParamError(f"{_shown(text)} names {sum(m.score == top.score for m in found)} entities: "
                             f"{listed}{more}; give one IRI or a longer name")
        if top.tier < 4 and self.is_generic(text):
            raise ParamError(f"{_shown(text)} names a kind of thing or a date, not one entity; "
                             f"{len(found)} entities match it, best first: {listed}{more}; "
                             "give one IRI or a fuller name")
        rivals = self._rivals(ranked) if top.tier in (2, 3) else []
        if rivals and not all(self._named_after(r[0], self.words[ranked[0][2]]) for r in rivals):
            alike = 1 + len(rivals)
            raise ParamError(f"no entity is labelled {_shown(text)}, and it matches {alike} entities alike "
                             f"(not all named after the first); candidates, best first: {listed}{more}; "
                             "give one IRI or a fuller name")
        if top.tier in (2, 3):
            raise ParamError(f"no entity is labelled {_shown(text)}, and it is only a part of the names it matches; "
                             f"candidates, best first: {listed}{more}; give one IRI or a fuller name")
        raise ParamError(f"no entity is labelled {_shown(text)}; candidates, best first: {listed}{more}; "
                         "give one IRI or a fuller name")


# --- The index of the built graph ----------------------------------------------------------------

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
    """Every named entity of the graph as ``{iri, label, aliases, titles, hidden, cls, detail, rank}``.

    Nodes whose only label the build generated (``kg:generatedLabel``, see :mod:`kg.labels`) are
    facts, not named things, and are left out.

    ``label`` is the English (else first) ``skos:prefLabel``, else the first ``schema:name``;
    ``aliases`` the other labels, alternative labels and names; ``hidden`` the hidden labels
    (misspellings); ``cls`` the label of the most specific class; ``detail`` a date, a place and a
    parent (organization, event or work) or, for a person, an organization they belong to; ``rank``
    :data:`RANK_ENTITY` (2), or for an instance of :data:`RECORD_CLASSES` :data:`RANK_WORK` (1, a cited
    work or corpus document) or :data:`RANK_RECORD` (0, a disagreement, statistic, quantity...): a
    lower rank comes after the entities a text matches alike. The list is sorted by IRI and is what ``kg/static/search.js`` searches. Without ``details``, ``cls`` and ``detail`` are empty
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
                        "rank": ranks.get(iri, RANK_ENTITY)})
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


def search(engine, text: str, limit: int | None = 10) -> list[Match]:
    """Ranked entities of the engine's graph matching ``text`` (see the module for the tiers)."""
    return index_for(engine).search(text, limit)


def resolve(engine, text: str) -> str:
    """The IRI of the one entity ``text`` names in the engine's graph.

    Raises ``kg.query.ParamError`` when no entity, or more than one equally good, answers; the
    message lists the best candidates with class and detail.
    """
    from kg.query import ParamError

    if getattr(engine, "_kg_search_index", None) is not None:
        return index_for(engine).resolve(text)
    # names alone decide the match; the classes and details that describe candidates are looked up
    # (the full index) only when the name is refused
    try:
        return _names_index(engine).resolve(text)
    except ParamError:
        return index_for(engine).resolve(text)


#: The names index of an on-disk store, kept in the store's folder by the first name resolved after a
#: build (a rebuild replaces the folder, and the stamp of the store it was made from is checked).
NAMES_CACHE = "kg-search-names.json"
#: Changes when what the cache holds changes (2: the ranks and the class words; 3: the folded keys)
NAMES_CACHE_VERSION = 3


def _names_index(engine) -> SearchIndex:
    """The index of names only (no classes or details) of the engine's graph, from the cache of its
    on-disk store when it has a valid one; else built, and cached when the store folder is writable."""
    import json
    import os

    folder, stamp = getattr(engine, "store_path", None), getattr(engine, "store_stamp", None)
    cache = folder / NAMES_CACHE if folder is not None and stamp else None
    if cache is not None:
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
            if data.get("stamp") == stamp and data.get("version") == NAMES_CACHE_VERSION:
                return SearchIndex(data["entries"], data["keys"], data["generic"], data["folds"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    index = SearchIndex(export_index(engine, details=False), generic=class_words(engine))
    if cache is not None:
        tmp = cache.with_name(f".{NAMES_CACHE}.tmp-{os.getpid()}")
        try:
            # what search() reads of the entries: iri, label, rank
            entries = [{"iri": e["iri"], "label": e["label"], "rank": e["rank"]} for e in index.entries.values()]
            tmp.write_text(json.dumps({"stamp": stamp, "version": NAMES_CACHE_VERSION, "keys": index.keys,
                                       "folds": index.folds, "entries": entries, "generic": sorted(index.generic)},
                                      ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, cache)
        except OSError:  # a read-only build folder: no cache, the same answer
            try:
                tmp.unlink()
            except OSError:
                pass
    return index
