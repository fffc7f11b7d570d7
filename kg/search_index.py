"""The ranking and resolution rules of :mod:`kg.search` over an in-memory index of names.

:class:`SearchIndex` holds the normalised keys of every entity (from the entries
:func:`kg.search_graph.export_index` makes, or any list of the same shape) and ranks and resolves a
typed text by the tiers and rules the docstring of :mod:`kg.search` sets out. It needs no graph:
:mod:`kg.search_graph` builds it from one.
"""

from __future__ import annotations

from collections import namedtuple

from kg.search_text import MONTHS, PLACE_WORDS, STOPWORDS, label_keys, name_forms, normalise, singular
from kg.search_text import shown as _shown

__all__ = ["Match", "SearchIndex", "AMBIGUOUS_LIMIT", "FUZZY_MIN", "FUZZY_TAKE", "MARGIN", "RANK_ENTITY",
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

    def _form_scores(self, forms: list[tuple[str, str]], exact_only: bool = False, needle: str = "") -> dict[int, int]:
        """Scores of the keys the names a text holds (:func:`~kg.search_text.name_forms`) match: an exact
        or tier-1 match falls to tier 1 less :data:`FORM_PENALTY` (keeping its order), a word-tier match
        keeps its score (not with ``exact_only``); a role form counts for persons only, a ``within:`` form
        (``Al-Azhar University in Cairo``) as an exact name only, or as the name with ``of [the]`` and a
        name of what its place names (``the KNB's Aktobe branch``: ``Aktobe branch of the National
        Security Committee``), of an entity its places name or that is in them, a footnote form (``Aktobe18``) as an exact name only and not when the text's glued word is a word of a name
        (``needle``: the normalised text)."""
        scores: dict[int, int] = {}
        for form, kind in forms:
            if kind == "footnote" and any(w in self.vocabulary for w in needle.split() if not w.isalpha()):
                continue
            # a name without its footnote, place or owner counts only as an exact name: "Center in Almaty"
            # is no name of the one centre in Almaty the graph knows
            exact = exact_only or kind == "footnote" or kind.startswith("within:")
            found = self._exact_scores(form) if exact else self._scored(form, fuzzy=False)
            places = [self._named(p) for p in kind[7:].split("|")] if kind.startswith("within:") else []
            for named in places:  # "the KNB's Aktobe branch": a label "Aktobe branch of the National Security Committee"
                for i in (i for iri in named for i in self.of_iri.get(iri, ())):
                    for key in (f"{form} of {self.keys[i][0]}", f"{form} of the {self.keys[i][0]}"):
                        for j, score in self._exact_scores(key).items():
                            found.setdefault(j, score)
            for i, score in found.items():
                if kind == "role" and not self.keys[i][1].startswith(PERSON_NAMESPACE):
                    continue
                if places and not self._within(self.keys[i][1], places):
                    continue
                if score >= 4 * 2000:
                    score = 4 * 2000 + score % 2000 - FORM_PENALTY - (50 if score < 5 * 2000 else 0)
                scores[i] = max(scores.get(i, 0), score)
        return scores

    def _named(self, place: str) -> set[str]:
        """The entities a normalised place or owner names: those of which it is a name (tiers 0 and 1),
        and the places whose name is it, or it with another last word, and a last word of
        :data:`PLACE_WORDS` (``mangystau`` and ``mangystau oblast`` for ``Mangystau Region``; not
        ``pavlodar region`` for the city of ``Pavlodar``)."""
        if "_place_stems" not in self.__dict__:  # made from the keys of places only: a few hundred
            self._place_stems: dict[str, set[str]] = {}
            for iri in (iri for iri in self.of_iri if iri.startswith(PLACE_NAMESPACE)):
                for stem, _, last in (self.keys[i][0].rpartition(" ") for i in self.of_iri[iri]):
                    if stem and singular(last) in PLACE_WORDS:
                        self._place_stems.setdefault(stem, set()).add(iri)
        named = {self.keys[j][1] for j in self._exact_scores(place)} | self._place_stems.get(place, set())
        stem, _, last = place.rpartition(" ")
        return named | self._place_stems.get(stem, set()) if stem and singular(last) in PLACE_WORDS else named

    def _within(self, iri: str, places: list[set[str]]) -> bool:
        """Whether each of ``places`` (the entities a ``within:`` form's places or owners name) holds
        ``iri`` itself or an entity ``iri`` is in or part of (the ``within`` of its entry)."""
        inside = self.entries[iri].get("within", ())
        return all(iri in named or not named.isdisjoint(inside) for named in places)

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

    def _ranked(self, text: str, fuzzy: bool = True) -> list[tuple[str, int, int]]:
        """``(iri, score, key position)`` of every entity matching ``text``, best first, by its best key."""
        needle = normalise(text)
        scores = self._scored(needle, fuzzy, name_forms(text))
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

        # An exact score (tiers 0 and 1: at least 8,200, a name form's) is above every word tier's (at most 6,999), so
        # when one entity leads the exact matches by its tier's margin, it leads every match: the
        # pass over every key is made only when that is not so (the same answer, a few ms sooner).
        if "/" not in text:
            best: dict[str, int] = {}
            scores = self._exact_scores(normalise(text))
            for i, score in self._form_scores(name_forms(text), exact_only=True, needle=normalise(text)).items():
                scores[i] = max(scores.get(i, 0), score)
            for i, score in scores.items():
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
