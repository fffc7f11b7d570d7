"""Mention matching for ``kg ingest``: the search's normalisation, with offsets back into the text.

A text is matched in the form :func:`kg.search.normalise` gives a name (ASCII by anyascii, the Kazakh
letters as the graph romanises them, lower case), except that every character that is not a letter
or a digit becomes one space, so that "Kazakhstan's" holds the word "kazakhstan" and a note number
glued to a full stop ("Almaty.33") stays a word of its own. :func:`normalise_text` returns that form
and a map of its offsets back into the text.

A name answers to the keys :func:`name_keys` derives from it: the search's own keys
(:func:`kg.search.label_keys`: the label, without a bracketed qualifier, its bracketed acronym, the
parts of a slash variant), each with punctuation as space, without a leading "the", with its spaces
removed ("Nur-Sultan" -> "nursultan") and in the plural or singular ("akimat" / "akimats"); "q" is
read as "k", as Kazakh names are romanised either way ("Aqtau" / "Aktau"). A place
also answers to its demonyms and adjectives ("Israeli" for Israel), kept as data in
``kg/data/demonyms.tsv``; derived keys rank below the graph's own labels.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

__all__ = [
    "DEMONYMS_FILE",
    "Matcher",
    "demonym_forms",
    "demonym_places",
    "demonyms",
    "name_keys",
    "normalise_text",
    "text_key",
]

DEMONYMS_FILE = Path(__file__).resolve().parent / "data" / "demonyms.tsv"
_PIECES: dict[str, str] = {}
_TABLE: dict[int, str] = {}  # the same, by code point, for str.translate
_SPACES = re.compile(r"  +")


def _piece(ch: str) -> str:
    from anyascii import anyascii

    from kg.search import KAZAKH_ROMANISATION

    out = anyascii(KAZAKH_ROMANISATION.get(ch, ch)).lower().replace("q", "k")  # Aqtau / Aktau
    return "".join(c if c.isalnum() and c.isascii() else " " for c in out) if out else ""


@lru_cache(maxsize=65536)
def text_key(text: str) -> str:
    """The matching form of a name or phrase: :func:`normalise_text` without offsets, trimmed.

    >>> text_key("Nur-Sultan’s  ÁKIMAT")
    'nur sultan s akimat'
    """
    return " ".join(normalise_text(text)[0].split())


def normalise_text(text: str) -> tuple[str, OffsetMap]:
    """``(form, offsets)``: the matching form of ``text`` (see the module) and an :class:`OffsetMap`
    from positions in the form back to positions in ``text``. Each character is transliterated once
    and cached; the text is then mapped with ``str.translate``."""
    chars = set(text)
    for ch in chars - _PIECES.keys():
        _PIECES[ch] = _piece(ch)
        _TABLE[ord(ch)] = _PIECES[ch]
    first = text.translate(_TABLE)
    if all(len(_PIECES[ch]) == 1 for ch in chars):
        starts = None  # one character for one: positions are the text's own (most texts)
    else:
        lengths = {ch: len(p) for ch, p in _PIECES.items()}
        starts = list(accumulate(map(lengths.__getitem__, text), initial=0))
    runs = [(m.start(), m.end()) for m in _SPACES.finditer(first)]
    form = _SPACES.sub(" ", first)
    return form, OffsetMap(starts, runs)


class OffsetMap:
    """Positions in a normalised form mapped back to positions in the text it came from."""

    def __init__(self, starts: list[int] | None, runs: list[tuple[int, int]]):
        self.starts = starts  # starts[i]: where character i of the text begins in the first form (None: i)
        self.where: list[int] = []  # position of each collapsed run of spaces in the final form
        self.removed: list[int] = [0]  # characters removed by the first k runs
        for s, e in runs:
            self.where.append(s - self.removed[-1])
            self.removed.append(self.removed[-1] + e - s - 1)

    def origin(self, pos: int) -> int:
        """The position in the text of the character at ``pos`` of the form."""
        first = pos + self.removed[bisect.bisect_left(self.where, pos)]
        return first if self.starts is None else bisect.bisect_right(self.starts, first) - 1

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The text span ``[start, end)`` of the form's span ``[start, end)`` (``end > start``)."""
        return self.origin(start), self.origin(end - 1) + 1


def _inflections(key: str) -> list[str]:
    """The key in the plural or singular of its last word ("akimat" / "akimats", "centers" / "center")."""
    words = key.split()
    last = words[-1] if words else ""
    if len(last) < 4 or not last.isalpha():
        return []
    if last.endswith("ies"):
        forms = [last[:-3] + "y"]
    elif last.endswith("s") and not last.endswith("ss"):
        forms = [last[:-1]]
    elif last.endswith("y") and last[-2] not in "aeiou":
        forms = [last[:-1] + "ies"]
    elif last.endswith(("s", "x", "ch", "sh")):
        forms = [last + "es"]
    else:
        forms = [last + "s"]
    return [" ".join(words[:-1] + [f]) for f in forms]


def name_keys(label: str) -> list[tuple[str, bool]]:
    """``(key, derived)`` pairs a name answers to in a text (see the module); the first is the name's
    own key. Keys shorter than three characters are kept only for names written in capitals."""
    from kg.search import label_keys

    keys: list[str] = []
    for key, _derived in label_keys(label):
        keys.append(text_key(key))
    bare = re.sub(r"\s*\([^()]*\)", " ", label)
    for base in [text_key(label), text_key(bare)]:
        keys.append(base)
        if base.startswith("the "):
            keys.append(base[4:])
        if " " in base and len(base.split()) <= 3:
            keys.append(base.replace(" ", ""))
        keys.extend(_inflections(base))
    out: list[tuple[str, bool]] = []
    own = text_key(label)
    for key in [own] + keys:
        if key and (len(key) >= 3 or label.isupper()) and key not in [k for k, _ in out]:
            out.append((key, key != own))
    return out


@lru_cache(maxsize=1)
def demonyms() -> dict[str, list[str]]:
    """The demonym table: the key of a place's name -> the keys of its demonyms and adjectives.

    Read from ``kg/data/demonyms.tsv`` (``place<TAB>form|form...``; ``#`` starts a comment).
    Raises ``OSError`` if the file is missing."""
    table: dict[str, list[str]] = {}
    for line in DEMONYMS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        place, _, forms = line.partition("\t")
        table.setdefault(text_key(place), []).extend(text_key(f) for f in forms.split("|") if f.strip())
    return table


@lru_cache(maxsize=1)
def demonym_forms() -> dict[str, str]:
    """Each demonym or adjective of ``kg/data/demonyms.tsv`` as written -> the place's name."""
    forms: dict[str, str] = {}
    for line in DEMONYMS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            place, _, written = line.partition("\t")
            forms.update({f.strip(): place for f in written.split("|") if f.strip()})
    return forms


def demonym_places(text: str) -> list[tuple[int, str]]:
    """``(position, place name)`` for each demonym or adjective of a place in ``text`` ("Israeli"
    -> "Israel"), from ``kg/data/demonyms.tsv``; only capitalised words count."""
    forms = demonym_forms()
    if not forms:
        return []
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, sorted(forms, key=len, reverse=True))) + r")s?(?![\w])")
    return [(m.start(), forms[m.group(1)]) for m in pattern.finditer(text)]


class Matcher:
    """An Aho-Corasick automaton (pyahocorasick) over the keys of an index ``{key: {iri, ...}}``,
    finding whole-word mentions in a text as ``(start, end, key, iris)``, longest first where several
    overlap."""

    def __init__(self, index: dict[str, set[str]]):
        from kg.automaton import automaton  # (over-long keys left out: they would crash pyahocorasick)

        self.auto = automaton((key, (key, frozenset(iris))) for key, iris in index.items())

    def find(self, text: str, form: str | None = None, offsets: OffsetMap | None = None, composite=None):
        """Mentions in ``text`` (its :func:`normalise_text` may be passed in) as a list of
        ``(start, end, key, iris)`` in the text's offsets, sorted, not overlapping, except that the
        names inside a mention whose ``iris`` ``composite(iris)`` accepts are kept too (an event named
        by its place: "labor protest in Zhanaozen")."""
        if not len(self.auto):
            return []
        if form is None or offsets is None:
            form, offsets = normalise_text(text)
        hits = []
        n = len(form)
        for end, (key, iris) in self.auto.iter(form):
            start = end - len(key) + 1
            if (start == 0 or form[start - 1] == " ") and (end + 1 == n or form[end + 1] == " "):
                hits.append((start, end + 1, key, iris))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        kept, last, outer = [], -1, None
        for start, end, key, iris in hits:
            inner = start < last and end <= last and composite is not None and composite(outer)
            if start >= last or inner:
                s, e = offsets.span(start, end)
                kept.append((s, e, key, iris))
                if not inner:
                    last, outer = end, iris
        return kept
