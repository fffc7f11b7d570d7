"""The ranking and resolution rules of :mod:`kg.search` over an in-memory index of names.

:class:`SearchIndex` holds the normalised keys of every entity (from the entries
:func:`kg.search_graph.export_index` makes, or any list of the same shape) and ranks and resolves a
typed text by the tiers and rules the docstring of :mod:`kg.search` sets out. It needs no graph:
:mod:`kg.search_graph` builds it from one.
"""

from __future__ import annotations

import re
from collections import namedtuple

from kg.search_text import (MAIN_TITLE, MONTHS, PLACE_WORDS, STOPWORDS, demonyms, label_keys, name_forms, normalise,
                            singular)
from kg.search_text import shown as _shown

__all__ = ["Match", "SearchIndex", "ExactTable", "AMBIGUOUS_LIMIT", "FUZZY_MIN", "FUZZY_TAKE", "MARGIN", "RANK_ENTITY",
           "RANK_WORK", "RANK_RECORD", "RANK_PENALTY", "FORM_PENALTY", "RECORD_CLASSES", "KIND_LABEL", "KIND_ALIAS",
           "KIND_TITLE", "KIND_HIDDEN"]

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
#: What an exact match of a name a text holds (:func:`~kg.search_text.name_forms`: ``The IMU’s``) loses:
#: it falls to tier 1, below every exact or tier-1 match of the text itself (at least 8,650)
FORM_PENALTY = 400
#: The IRIs of persons, the only entities a name after a role or title (``President Obama``) names
PERSON_NAMESPACE = "https://w3id.org/kzkg/id/person/"
#: Two names joined by "and" or "&": in a word or fuzzy tier, they name no person
_PAIR = re.compile(r"\s(?:and|&)\s")
#: The IRIs of works (cited works and publications), which answer to their main titles
WORK_NAMESPACE = "https://w3id.org/kzkg/id/work/"
#: The IRIs of places, whose names a text may write without a word of PLACE_WORDS (``Mangystau``)
PLACE_NAMESPACE = "https://w3id.org/kzkg/id/place/"


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



def _may_reach(needle: int, key: int) -> bool:
    """Whether a text of ``needle`` characters can be :data:`FUZZY_MIN` similar to a key of ``key``
    characters or to a window of its words: the best Indel similarity, all of the shorter text shared,
    is ``2 * min / (needle + key)``; a window is shorter than its key. Skipping the keys this rules out
    changes no score, and keeps a pasted page of text from costing minutes."""
    if needle <= key:
        return True
    total = needle + key
    return (1000 * 2 * key * 2 + total) // (2 * total) >= FUZZY_MIN



def _misspelling(word: str, key: str) -> bool:
    """Whether the normalised ``word`` may be ``key`` misspelt: the same first letter, :data:`FUZZY_MIN`
    similar, and neither the other with letters added at its end (``traditionally``, ``kazakhstani``)."""
    return (word[:1] == key[:1] and not word.startswith(key) and not key.startswith(word)
            and _ratio(word, key) >= FUZZY_MIN)


class _ExactTiers:
    """The exact tiers (0 and 1) of a resolution, over the look-ups a subclass gives: its
    :meth:`_exact_scores` (key position -> score), :meth:`_iri` (the entity of a key position),
    :meth:`_numbered` and :attr:`proper` (the keys of one word). :class:`SearchIndex` gives them from
    its keys, :class:`ExactTable` from a text it looks up in place; both settle a name alike
    (:meth:`settled`)."""

    proper: frozenset | set = frozenset()
    #: whether :meth:`_named` and :meth:`_within` answer (the whole index), so that a ``within:`` form
    #: (a name with its place or owner) can be settled here
    knows_places = False

    def _iri(self, i: int) -> str:
        raise NotImplementedError

    def _numbered(self, word: str) -> bool:
        """Whether ``word``, a normalised word holding a digit, is a word of a key."""
        raise NotImplementedError

    def _exact_scores(self, needle: str) -> dict[int, int]:
        raise NotImplementedError

    def _scored(self, needle: str, fuzzy: bool = True, forms: list | None = None) -> dict[int, int]:
        raise NotImplementedError

    def _singular(self, word: str) -> str:
        """:func:`singular`, except for a word that is a whole name of the index by itself."""
        return word if word in self.proper else singular(word)

    def _fold(self, key: str) -> str:
        """A normalised key with each word singular (see :meth:`_singular`)."""
        return " ".join(self._singular(w) for w in key.split())

    def _form_scores(self, forms: list[tuple[str, str]], exact_only: bool = False, needle: str = "") -> dict[int, int]:
        """Scores of the keys the names a text holds (:func:`~kg.search_text.name_forms`) match: an exact
        or tier-1 match falls to tier 1 less :data:`FORM_PENALTY` (keeping its order), a word-tier match
        keeps its score (not with ``exact_only``); a role form counts for persons only, a ``within:`` form
        (``Al-Azhar University in Cairo``) as an exact name only, or as the name with ``of [the]`` and a
        name of what its place names (``the KNB's Aktobe branch``: ``Aktobe branch of the National
        Security Committee``), of an entity its places name or that is in them (:meth:`_named`,
        :meth:`_within`: only :class:`SearchIndex` has them), a footnote form (``Aktobe18``) as an exact
        name only and not when the text's glued word is a word of a name (``needle``: the normalised
        text)."""
        scores: dict[int, int] = {}
        for form, kind in forms:
            if kind == "footnote" and any(self._numbered(w) for w in needle.split() if not w.isalpha()):
                continue
            # a name without its footnote, place or owner counts only as an exact name: "Center in Almaty"
            # is no name of the one centre in Almaty the graph knows
            exact = exact_only or kind == "footnote" or kind.startswith("within:")
            found = self._exact_scores(form) if exact else self._scored(form, fuzzy=False)
            places = kind[7:].split("|") if kind.startswith("within:") else []
            # "the KNB's Aktobe branch": a label "Aktobe branch of the National Security Committee"
            for place in places:
                for key in self._owned_keys(form, self._named(place), place):
                    for j, score in self._exact_scores(key).items():
                        found.setdefault(j, score)
            for i, score in found.items():
                if kind == "role" and not self._iri(i).startswith(PERSON_NAMESPACE):
                    continue
                if places and not all(self._holds(self._iri(i), form, place) for place in places):
                    continue
                if score >= 4 * 2000:
                    score = 4 * 2000 + score % 2000 - FORM_PENALTY - (50 if score < 5 * 2000 else 0)
                scores[i] = max(scores.get(i, 0), score)
        return scores

    def _named(self, place: str) -> set[str]:
        """The entities a normalised place or owner names (see :meth:`SearchIndex._named`)."""
        raise NotImplementedError

    def _within(self, iri: str, places: list[set[str]]) -> bool:
        """Whether each of ``places`` holds ``iri`` or an entity it is in (see :meth:`SearchIndex._within`)."""
        raise NotImplementedError

    def _owned_keys(self, form: str, named: set[str], place: str = "") -> list[str]:
        """The labels ``form`` written with a name of the entities ``named`` may have (see
        :meth:`SearchIndex._owned_keys`)."""
        raise NotImplementedError

    def _holds(self, iri: str, form: str, place: str) -> bool:
        """Whether ``place`` (a normalised place or owner written with the name ``form``) holds ``iri``
        (see :meth:`SearchIndex._holds`)."""
        raise NotImplementedError

    def settled(self, text: str) -> str | None:
        """The IRI of the entity ``text`` names when the exact tiers settle it: one entity leads every
        exact match of the text and of the names it holds by its tier's margin; else None (the word and
        fuzzy tiers decide, or refuse: :meth:`SearchIndex.resolve`).

        An exact score (tiers 0 and 1: at least 8,200, a name form's) is above every word tier's (at
        most 6,999), so when one entity leads the exact matches by its tier's margin, it leads every
        match: the pass over every key is not needed."""
        if "/" in text:
            return None
        forms = name_forms(text)
        needle = normalise(text)
        scores = self._exact_scores(needle)
        if not self.knows_places and any(kind.startswith("within:") for _, kind in forms):
            # a name with its place or owner ("Al-Azhar University in Cairo"): only the whole index knows
            # what is in what. A form's score is below every exact or tier-1 match of the text itself
            # (FORM_PENALTY), so when the text matches a key itself the forms cannot change the answer
            if not scores:
                return None
            forms = [(form, kind) for form, kind in forms if not kind.startswith("within:")]
        for i, score in self._form_scores(forms, exact_only=True, needle=needle).items():
            scores[i] = max(scores.get(i, 0), score)
        best: dict[str, int] = {}
        for i, score in scores.items():
            best[self._iri(i)] = max(best.get(self._iri(i), 0), score)
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        if ranked and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= MARGIN[5 - ranked[0][1] // 2000]):
            return ranked[0][0]
        return None


class SearchIndex(_ExactTiers):
    """Normalised keys of every entity, built from the entries of :func:`export_index`."""

    knows_places = True

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
            # a cited work or document, or a publication (an entity, as a book is): its main title too
            work = entry.get("rank", RANK_ENTITY) == RANK_WORK or entry["iri"].startswith(WORK_NAMESPACE)
            for text, kind in names:
                for key, derived in label_keys(text, work):
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
    def vocabulary(self) -> set[str]:
        """Every word of every key."""
        if "_vocabulary" not in self.__dict__:
            self._vocabulary = {w for k in self.keys for w in k[0].split()}
        return self._vocabulary

    @property
    def words(self) -> list[set[str]]:
        """The set of singular words of each key (the words of its fold), by key position."""
        if "_words" not in self.__dict__:
            self._words = [set(f.split()) for f in self.folds]
        return self._words

    def _iri(self, i: int) -> str:
        return self.keys[i][1]

    def _numbered(self, word: str) -> bool:
        return word in self.vocabulary

    def _exact_score(self, i: int) -> int:
        """The score of key ``i`` matched exactly: tier 0, or 1 for a derived key."""
        _, _, kind, derived, _ = self.keys[i]
        return (5 - (1 if derived else 0)) * 2000 + 1000 - 100 * kind - RANK_PENALTY * (2 - self.rank[i])

    def _near_score(self, i: int) -> int:
        """The score of key ``i`` matched without its spaces or as its singular/plural variant (tier 1);
        never above :meth:`_exact_score`."""
        return 4 * 2000 + 1000 - 100 * self.keys[i][2] - RANK_PENALTY * (2 - self.rank[i])

    def _exact_scores(self, needle: str) -> dict[int, int]:
        """Score of every key ``needle`` matches exactly (tier 0), as a derived key, without its
        spaces or as its singular/plural variant (tier 1): key position -> score. Three dictionary
        look-ups."""
        scores: dict[int, int] = {}
        for i in self.exact.get(needle, ()):
            scores[i] = self._exact_score(i)
        near = self.compact.get(needle.replace(" ", ""), []) + self.folded.get(self._fold(needle), [])
        for i in near:  # "Nur Sultan" / "Nursultan", "Aktobe attack" / "Aktobe attacks"
            if i not in scores:
                scores[i] = self._near_score(i)
        return scores

    def _named(self, place: str) -> set[str]:
        """The entities a normalised place or owner names: those of which it is a name (tiers 0 and 1),
        the places named as the place it is a demonym of (:func:`~kg.search_text.demonyms`: ``kazakh`` for
        ``Kazakhstan``), and the places whose name is it, or it with another last word, and a last word of
        :data:`PLACE_WORDS` (``mangystau`` and ``mangystau oblast`` for ``Mangystau Region``; not
        ``pavlodar region`` for the city of ``Pavlodar``), these only when no place has that very name
        (``almaty region`` is not also the city whose alias is ``Almaty City``)."""
        if "_place_stems" not in self.__dict__:  # made from the keys of places only: a few hundred
            self._place_stems: dict[str, set[str]] = {}
            for iri in (iri for iri in self.of_iri if iri.startswith(PLACE_NAMESPACE)):
                for stem, _, last in (self.keys[i][0].rpartition(" ") for i in self.of_iri[iri]):
                    if stem and singular(last) in PLACE_WORDS:
                        self._place_stems.setdefault(stem, set()).add(iri)
        named = {self.keys[j][1] for j in self._exact_scores(place)}
        if (country := demonyms().get(place)) is not None:  # "Kazakh", "Kazakhstani": the places named Kazakhstan
            named |= {self.keys[j][1] for j in self.exact.get(country, ())
                      if self.keys[j][1].startswith(PLACE_NAMESPACE)}
        if any(iri.startswith(PLACE_NAMESPACE) for iri in named):
            return named  # "Almaty Region" is the region, not also the city whose alias is "Almaty City"
        named |= self._place_stems.get(place, set())
        stem, _, last = place.rpartition(" ")
        return named | self._place_stems.get(stem, set()) if stem and singular(last) in PLACE_WORDS else named

    def _within(self, iri: str, places: list[set[str]]) -> bool:
        """Whether each of ``places`` (the entities a ``within:`` form's places or owners name) holds
        ``iri`` itself or an entity ``iri`` is in or part of (the ``within`` of its entry)."""
        inside = self.entries[iri].get("within", ())
        return all(iri in named or not named.isdisjoint(inside) for named in places)

    def _owned_keys(self, form: str, named: set[str], place: str = "") -> list[str]:
        """The labels a name ``form`` written with its place or owner (``place``, naming the entities
        ``named``) may have: ``form`` after ``of`` or ``of the`` and each key of the entities (``the KNB's
        Aktobe branch``: ``aktobe branch of the national security committee``), or before it, or before
        ``place`` itself when it is a demonym (``Kazakhstani authorities``: ``kazakh authorities``)."""
        keys = {self.keys[i][0] for iri in named for i in self.of_iri.get(iri, ())}
        if place in demonyms():
            keys.add(place)
        return [k for key in sorted(keys) for k in (f"{form} of {key}", f"{form} of the {key}", f"{key} {form}")]

    def _holds(self, iri: str, form: str, place: str) -> bool:
        """Whether ``place``, written with the name ``form``, holds ``iri``: ``iri`` is, is in or is part
        of an entity ``place`` names (:meth:`_named`, :meth:`_within`), or a name of ``iri`` holds the words
        of ``place`` (or of the place it is a demonym of), or holds the name with ``place``
        (:meth:`_owned_keys`: ``Aktobe branch of the National Security Committee``), or ``place`` is a
        country the index lacks and the graph puts ``iri`` in no country (:meth:`_foreign`)."""
        named = self._named(place)
        if self._within(iri, [named]):
            return True
        said = [{self._singular(w) for w in p.split()} for p in (place, demonyms().get(place, place))]
        if any(words <= self.words[i] for words in said for i in self.of_iri.get(iri, ())):
            return True  # a title that holds the place: "... China's Campaign of Repression against ..."
        owned = self._owned_keys(form, named, place)
        if any(self.keys[j][1] == iri for key in owned for j in self._exact_scores(key)):
            return True
        return not named and self._foreign(iri, place)

    def _foreign(self, iri: str, place: str) -> bool:
        """Whether ``place``, a country of :data:`~kg.search_text.DEMONYMS_FILE` (by its name or a
        demonym) that no entity of the index names, may hold ``iri``: no place ``iri`` is, or is in, is a
        country of that table (``Egypt’s Al-Azhar University``: the graph has the university in Cairo and
        no country for Cairo; never ``Egypt’s Ministry of Internal Affairs`` of Kazakhstan)."""
        countries = set(demonyms().values())
        if demonyms().get(place, place) not in countries:
            return False
        return not any(self.keys[i][0] in countries for x in [iri, *self.entries[iri].get("within", ())]
                       if x.startswith(PLACE_NAMESPACE) for i in self.of_iri.get(x, ()))

    def _scored(self, needle: str, fuzzy: bool = True, forms: list | None = None) -> dict[int, int]:
        """Score of every key that matches at all: key position -> score (tier 4, fuzzy, only if
        ``fuzzy``); with ``forms`` (:func:`~kg.search_text.name_forms` of the text), the keys they match
        too (:meth:`_form_scores`), a match of the text itself first."""
        scores = self._exact_scores(needle)
        self._add_words(needle, scores, fuzzy)
        for i, score in self._form_scores(forms or [], needle=needle).items():
            if score > scores.get(i, 0):
                scores[i] = score
        return scores

    def _add_words(self, needle: str, scores: dict[int, int], fuzzy: bool) -> None:
        """Adds to ``scores`` the word tiers' and (if ``fuzzy``) the fuzzy tier's matches of ``needle``."""
        qwords = needle.split()
        if not qwords:
            return
        # the same tests, once per word: a repeated word changes nothing
        distinct = list(dict.fromkeys(self._singular(w) for w in qwords))
        for i, (key, _, kind, derived, _) in enumerate(self.keys):
            if i in scores or derived == MAIN_TITLE:  # a main title is cited whole
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
            for i, (key, _, kind, derived, _) in enumerate(self.keys):
                if i in scores or derived == MAIN_TITLE or not _may_reach(len(needle), len(key)):
                    continue
                kw = self.raw_words[i]
                best = max(_ratio(needle, key), _ratio(qsorted, " ".join(sorted(kw))))
                if len(kw) > n:
                    best = max(best, *(_ratio(needle, " ".join(kw[j:j + n])) for j in range(len(kw) - n + 1)))
                if best >= FUZZY_MIN:
                    scores[i] = 1 * 2000 + best - 10 * kind

    def _ranked(self, text: str, fuzzy: bool = True) -> list[tuple[str, int, int]]:
        """``(iri, score, key position)`` of every entity matching ``text``, best first, by its best key."""
        needle = normalise(text)
        scores = self._scored(needle, fuzzy, name_forms(text))
        # each side of a slash is a name ("ISIS/Daesh"), unless the whole text or a name it holds is an
        # exact name: the slash is then inside a name ("Radio Free Europe/Radio Liberty's Azattyq")
        if "/" in text and all(score < 4 * 2000 for score in scores.values()):
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
        """The IRI the rules of the module take from the full ranking of ``text``, or None for a refusal
        (also when ``text`` writes the IRI's entity with a place or owner that contradicts the graph:
        :meth:`contradicted`)."""
        taken = self._take(ranked, text)
        return taken if taken is None or not self.contradicted(text, taken) else None

    def _take(self, ranked: list[tuple[str, int, int]], text: str) -> str | None:
        """:meth:`_choose` before the check of the places and owners ``text`` writes."""
        if ranked and ranked[0][1] < 4 * 2000 and _PAIR.search(text):
            # two names joined ("Junisbai and Junisbai") name a work of two authors, or two things: no person
            ranked = [r for r in ranked if not r[0].startswith(PERSON_NAMESPACE)]
        if not ranked:
            return None
        iri, score, i = ranked[0]
        tier = 5 - score // 2000
        second = ranked[1][1] if len(ranked) > 1 else -10**6
        if tier <= 1:
            return iri if score - second >= MARGIN[tier] else None
        if self.is_generic(text):
            return None
        if self._too_short(text, i):  # in the fuzzy tier too: "Turning" is no misspelt name of a long title
            return None
        if self._adjective(text):  # "Chinese", "the Uyghur": a demonym names a place only as owner
            return None
        if tier == 3 and not self._truncated(text, i):  # "Even" is no name of the "January events"
            return None
        if tier == 4:
            if not self._misspelt(text, i):  # "Additional" is no misspelling of "Traditional Islam"
                return None
            return iri if score - second >= MARGIN[4] and score % 2000 >= FUZZY_TAKE else None
        return iri if all(self._named_after(r[0], self.words[i]) for r in self._rivals(ranked)) else None

    def contradicted(self, text: str, iri: str) -> list[str]:
        """The places or owners ``text`` writes with a name of ``iri`` (its ``within:`` forms,
        :func:`~kg.search_text.name_forms`) that name places or containers of the index, or are demonyms
        (:meth:`_is_place`), but do not hold ``iri`` (:meth:`_holds`), and those that name ``iri`` as the
        place or owner of another name, normalised: a name with a place or owner the graph does not have
        it in (``Uzbek Border Guard Service``, ``Eurasian National University in Cairo``), or the owner of
        another name, names no entity, whatever a word or fuzzy tier finds. Empty when ``text``, or a
        name it holds not with a place (``The Islamic Movement of Uzbekistan``), is a name of ``iri``."""
        forms = name_forms(text)
        exact = [normalise(text)] + [form for form, kind in forms if not kind.startswith("within:")]
        if any(self.keys[i][1] == iri for key in exact for i in self._exact_scores(key)):
            return []
        wrong: list[str] = []
        for form, kind in forms:
            if not kind.startswith("within:"):
                continue
            places = kind[7:].split("|")
            if not self._names(iri, form):
                # the place or owner of another name, not that name: "Radio Free Europe/Radio Liberty's Guardian"
                wrong += [p for p in places if iri in self._named(p) and p not in wrong]
            elif all(self._is_place(p) for p in places):
                wrong += [p for p in places if not self._holds(iri, form, p) and p not in wrong]
        return wrong

    def _is_place(self, place: str) -> bool:
        """Whether the normalised ``place`` names something another entity can be in or part of: a place,
        an entity some entity is within (an organisation with parts...), or a demonym of a place the
        index may lack (``Uzbek``); not a topic a name holds after ``of`` (``... Victims of Destructive
        Religious Movements``)."""
        if "_containers" not in self.__dict__:
            self._containers = {x for e in self.entries.values() for x in e.get("within", ())}
        return place in demonyms() or any(x in self._containers or x.startswith(PLACE_NAMESPACE)
                                          for x in self._named(place))

    def _names(self, iri: str, form: str) -> bool:
        """Whether the normalised name ``form`` names ``iri`` in any tier: its words are words of a name of
        ``iri``, or it is :data:`FUZZY_MIN` similar to such a name or to as many of its words."""
        words = {self._singular(w) for w in form.split()}
        n = len(form.split())
        for i in self.of_iri.get(iri, ()):
            kw = self.raw_words[i]
            windows = [self.keys[i][0]] + [" ".join(kw[j:j + n]) for j in range(len(kw) - n + 1)]
            if words <= self.words[i] or max(_ratio(form, w) for w in windows) >= FUZZY_MIN:
                return True
        return False

    @staticmethod
    def _said(text: str) -> list[list[str]]:
        """The words of ``text``, normalised, without stop words; of each side of a slash too, if it has one."""
        parts = [text] + (text.split("/") if "/" in text else [])
        return [[w for w in normalise(part).split() if w not in STOPWORDS] for part in parts]

    def _adjective(self, text: str) -> bool:
        """Whether ``text`` is made of demonyms only (``Chinese``, ``the Uyghur``,
        :func:`~kg.search_text.demonyms`): an adjective of a place or people, which names an entity only
        as an exact name of it, never by a word or fuzzy tier."""
        words = self._said(text)[0]
        return bool(words) and all(w in demonyms() for w in words)

    def _truncated(self, text: str, i: int) -> bool:
        """Whether the word-prefix match of ``text`` with key ``i`` is a name shortened as it is typed:
        a word of the text (stop words aside) is a whole word of the key (``Barack Obam``, ``In Indonesia``),
        or each word only begins a word of the key and holds three quarters of it at least (``Obam``,
        ``Najibulla``). An ordinary word that merely begins a word of a name (``Even`` of ``events``,
        ``Nor`` of ``Northern``, ``Total`` of ``Total.kz``) names nothing."""
        words, keywords = self._said(text)[0], self.raw_words[i]
        if any(self._singular(w) in self.words[i] for w in words):
            return True
        return bool(words) and all(any(k.startswith(w) and 4 * len(w) >= 3 * len(k) for k in keywords) for w in words)

    def _misspelt(self, text: str, i: int) -> bool:
        """Whether ``text`` (or a side of its slash) is key ``i`` misspelt, word by word: each of its words
        (stop words aside) is a word of the key, or is :data:`FUZZY_MIN` similar to one with the same first
        letter and is not it with letters added or cut at its end, or is a demonym of the same place as one
        (``Kazakhstani`` for ``Kazakh``). An ordinary word that looks like a word of a name (``Additional``, ``Traditionally`` for ``Traditional
        Islam``), or a word that is no word of the name at all (``Similarly the Ministry ...``), makes no
        fuzzy match a name."""
        keywords, places = self.raw_words[i], demonyms()
        for words in self._said(text):
            # a demonym of the same place is the same word ("Kazakhstani authorities", "Kazakh authorities")
            if words and all(self._singular(w) in self.words[i] or any(_misspelling(w, k) for k in keywords)
                             or w in places and any(places.get(k) == places[w] for k in keywords) for w in words):
                return True
        return False

    def _too_short(self, text: str, i: int) -> bool:
        """Whether ``text`` holds fewer than half the words of key ``i`` (stop words aside): one word of a
        long name, not the name shortened ("Obama", "Tablighi" are half of theirs)."""
        said = {self._singular(w) for w in normalise(text).split()} - STOPWORDS
        return 2 * len(said) < len(self.words[i] - STOPWORDS)

    def resolve(self, text: str) -> str:
        """The IRI of the one entity ``text`` names; ``ParamError`` (with candidates) otherwise."""
        from kg.query import ParamError

        # the pass over every key is made only when the exact tiers do not settle the name (the same
        # answer, a few ms sooner)
        if (taken := self.settled(text)) is not None:
            return taken
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
        wrong = self.contradicted(text, ranked[0][0]) if ranked else []
        found = [self._match(*r) for r in ranked]
        listed = "; ".join(m.describe() for m in found[:AMBIGUOUS_LIMIT])
        more = f" and {len(found) - AMBIGUOUS_LIMIT} more" if len(found) > AMBIGUOUS_LIMIT else ""
        if wrong:
            raise ParamError(f"no entity is labelled {_shown(text)}: it names {_shown(found[0].label)} "
                             f"with a place or owner the graph does not have it in, or as the place or owner of "
                             f"another name ({', '.join(map(_shown, wrong))}); candidates, best first: {listed}{more}; "
                             "give one IRI, or the name without the place")
        if not found:
            raise ParamError(f"no entity is labelled {_shown(text)} (nor anything close); try kg search with fewer words")
        top = found[0]
        if top.tier < 2 and len(found) > 1 and found[1].score == top.score:
            raise ParamError(f"{_shown(text)} names {sum(m.score == top.score for m in found)} entities: "
                             f"{listed}{more}; give one IRI or a longer name")
        if top.tier >= 2 and self._adjective(text):
            raise ParamError(f"{_shown(text)} is the adjective of a place or people, not a name of one entity; "
                             f"candidates, best first: {listed}{more}; give one IRI or the full name")
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


class ExactTable(_ExactTiers):
    """The exact tiers of a names index (:class:`SearchIndex`) as one text, looked up in place.

    Settling a name (:meth:`settled`) needs only the keys a text and the names it holds are equal to,
    as they are, without spaces or folded: a few lines of this text, found by ``bytes.find`` in the
    stretch of lines of the key's first letter, so that a cold ``kg query`` by name neither decodes
    the names index nor builds its dictionaries. After a first line the caller chooses (a version and
    a stamp), the lines are (keys normalised: letters, digits and single spaces only)::

        !proper<TAB>WORD WORD ...            the keys of one word (not folded to a singular)
        !numbered<TAB>WORD WORD ...          the words of keys that hold a digit (footnote forms)
        !stretches<TAB>=a:START:END ...      where the lines of each marker and first character are
        =KEY<TAB>POS ENTITY SCORE<TAB>...    a key as it is: its key positions, entities, exact scores
        ~KEY<TAB>...  ^KEY<TAB>...           a key without its spaces, folded: with tier-1 scores
        #ENTITY<TAB>IRI                      the IRI of each entity number
    """

    def __init__(self, data: bytes):
        """A table from the bytes :func:`from_index` made (with its first line). Raises ``ValueError``
        when they are not such a table, or a cut or altered one."""
        self.data = data
        self.proper = frozenset(self._line("!", "proper").decode().split(" "))
        self._numbers = frozenset(self._line("!", "numbered").decode().split(" "))
        self._entities: dict[int, bytes] = {}  # key position -> entity number, of the keys looked up
        self._stretches: dict[str, tuple[int, int]] = {}
        for item in self._line("!", "stretches").decode().split(" "):
            name, begin, end = item.split(":")  # ValueError for a text without them
            self._stretches[name] = span = (int(begin), int(end))
            # each stretch begins a line of its marker and character and ends a line
            begins, ends = data[span[0] - 1:span[0]], data[span[1] - 1:span[1]]
            if not (data.startswith(name.encode(), span[0]) and begins == ends == b"\n"):
                raise ValueError("a table of exact names whose stretches are not its lines")

    @staticmethod
    def from_index(index: "SearchIndex", header: str) -> bytes | None:
        """The table of ``index`` after the first line ``header`` (one line), or None for an index
        holding a key that is not one line without tabs (no such key is made today)."""
        numbers = {iri: n for n, iri in enumerate(dict.fromkeys(k[1] for k in index.keys))}
        heads = [header, "!proper\t" + " ".join(sorted(index.proper)),
                 "!numbered\t" + " ".join(sorted(w for w in index.vocabulary if not w.isalpha()))]
        lines = []
        for marker, table, score in (("=", index.exact, index._exact_score), ("~", index.compact, index._near_score),
                                     ("^", index.folded, index._near_score)):
            for key in sorted(table):
                if not key or any(c in key for c in "\t\n\r") or not key.isascii():
                    return None
                found = (f"{i} {numbers[index.keys[i][1]]} {score(i)}" for i in table[key])
                lines.append(f"{marker}{key}\t" + "\t".join(found))
        lines += sorted(f"#{n}\t{iri}" for iri, n in numbers.items())
        stretches: dict[str, list[int]] = {}  # marker and first character -> [begin, end) in bytes of the lines
        offset = 0
        for line in lines:
            size = len(line.encode()) + 1  # an IRI may hold other characters than ASCII
            stretches.setdefault(line[:2], [offset, offset])[1] = offset + size
            offset += size
        # the offsets count the line of the stretches itself: written again until its length is the one counted
        top = base = sum(len(line.encode()) + 1 for line in heads)
        while True:
            row = "!stretches\t" + " ".join(f"{name}:{begin + base}:{end + base}"
                                             for name, (begin, end) in stretches.items())
            if top + len(row) + 1 == base:
                return "\n".join(heads + [row] + lines).encode() + b"\n"
            base = top + len(row) + 1

    def _line(self, marker: str, key: str) -> bytes:
        """What the line of ``key`` (after ``marker``) holds after its tab; empty if there is none."""
        if marker == "!":
            begin, end = 0, len(self.data)
        elif (span := self._stretches.get(marker + key[:1])) is not None:
            begin, end = span[0] - 1, span[1]
        else:
            return b""
        start = self.data.find(f"\n{marker}{key}\t".encode(), begin, end)
        if start < 0:
            return b""
        start += len(key) + 3
        return self.data[start:self.data.find(b"\n", start)]

    def _iri(self, i: int) -> str:
        return self._line("#", self._entities[i].decode()).decode()

    def _numbered(self, word: str) -> bool:
        return word in self._numbers

    def _exact_scores(self, needle: str) -> dict[int, int]:
        """As :meth:`SearchIndex._exact_scores`: an exact match's score is never below a tier-1 match
        of the same key, so the best of a key's lines is its score."""
        scores: dict[int, int] = {}
        for marker, key in (("=", needle), ("~", needle.replace(" ", "")), ("^", self._fold(needle))):
            for item in filter(None, self._line(marker, key).split(b"\t")):
                i, entity, score = item.split(b" ")
                self._entities[int(i)] = entity
                scores[int(i)] = max(scores.get(int(i), 0), int(score))
        return scores
