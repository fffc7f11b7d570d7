"""Names in their search form: the normalisation, singular forms and derived keys of :mod:`kg.search`.

Every place that compares a typed name with the graph's labels folds both sides with
:func:`normalise` (and, for words, :func:`singular`); :func:`label_keys` gives the keys a label
answers to. No third-party module is imported for an ASCII text (anyascii only otherwise).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise", "singular", "label_keys", "shown", "name_forms", "KAZAKH_ROMANISATION", "MONTHS", "STOPWORDS",
           "ARTICLES", "ROLE_WORDS"]

#: The words of a date: a text of these (and numbers) only is a date, not a name
MONTHS = frozenset("january february march april may june july august september october november december".split())
#: Words that neither name a thing nor make a text a class name (``the attack``)
STOPWORDS = frozenset("a an and at by for from in of on or the to with".split())

#: Leading articles a text may put before a name ("The IMU", "the Committee of National Security")
ARTICLES = frozenset("the a an".split())
#: Words of a role or title a text may put before a person's name ("Chair Nurtai Abykaev", "Security
#: Council Secretary Nurlan Yermekbayev", "President Obama"), normalised and singular
ROLE_WORDS = frozenset("""
    president vice chair chairman chairwoman chairperson secretary minister deputy director head chief
    commander general colonel major captain lieutenant sergeant officer ambassador envoy spokesman
    spokeswoman spokesperson prosecutor judge mayor akim governor senator speaker mp leader founder emir
    imam mufti sheikh cleric preacher professor dr mr mrs ms sir prime premier king queen prince
    sociologist expert analyst scholar researcher journalist reporter editor author lawyer advocate
    activist psychologist theologian historian economist official adviser advisor representative
    """.split())

#: Kazakh letters romanised as the graph's names are (Aktobe, Zhanaozen), not as anyascii does (q, gh, ng)
KAZAKH_ROMANISATION = {"Ғ": "G", "ғ": "g", "Қ": "K", "қ": "k", "Ң": "N", "ң": "n"}
_KAZAKH = str.maketrans(KAZAKH_ROMANISATION)
_APOSTROPHES = "'`\u00b4\u02b9\u02bb\u02bc\u02bd\u2018\u2019\u201b\u2032"
_BRACKETS = re.compile(r"\s*\(([^()]*)\)")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&-]{1,11}$")
_YEAR = re.compile(r"^\d{4}[a-z]?$")
_JOINED = re.compile(r"(?i)(?:^|\s)(?:and|or|with|&)(?:\s|$)|[,;]")
_FOOTNOTE = re.compile(r"(?<=[^\W\d_]{2})\d{1,3}$")
_POSSESSIVE = re.compile(r"(?<=\w)[" + "'`\u00b4\u02bc\u2019\u2032" + r"]s?(?=\W*$)")


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


def shown(text: str, limit: int = 80) -> str:
    """``text`` quoted for a message, cut to ``limit`` characters: a pasted page is not echoed whole."""
    text = " ".join(str(text).split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def name_forms(text: str) -> list[tuple[str, str]]:
    """The names a text holds in the forms documents write them, as ``(normalised name, form)`` pairs.

    ``form`` is ``possessive`` (``IMU’s`` -> ``imu``, ``Satybau's`` -> ``satybau``; for a possessor
    before a name only the forms a label may have: ``Kazakhstan’s Border Guard Service`` ->
    ``kazakhstan border guard service``, ``border guard service of kazakhstan``), ``article``
    (``The PGO`` -> ``pgo``), ``footnote`` (``Aktobe18`` -> ``aktobe``: a footnote's number glued to the
    last word; :class:`~kg.search_index.SearchIndex` takes it only as an exact name, and not when the
    glued word is a word of a name) or ``role`` (``Chair Nurtai Abykaev`` -> ``nurtai abykaev``: the words up
    to the last of :data:`ROLE_WORDS` before a capitalised name). Forms combine (``The IMU’s`` ->
    ``imu``); the text itself is not among them. :class:`~kg.search_index.SearchIndex` takes a form just
    below an exact name (a real label holding the article or possessive beats it), a role form for a
    person only.

    >>> name_forms("The IMU’s")
    [('the imu', 'possessive'), ('imu', 'article')]
    >>> name_forms("Aktobe18"), name_forms("The G20")
    ([('aktobe', 'footnote')], [('g20', 'article')])
    >>> name_forms("Kazakhstan's Border Guard Service")
    [('kazakhstan border guard service', 'possessive'), ('border guard service of kazakhstan', 'possessive')]
    >>> name_forms("Kazakhstani Security Council Secretary Nurlan Yermekbayev")
    [('nurlan yermekbayev', 'role'), ('yermekbayev', 'role')]
    >>> name_forms("Islamic Movement of Uzbekistan"), name_forms("Astana and President Nursultan Nazarbayev")
    ([], [])
    """
    text = " ".join(str(text).split())
    seen = {normalise(text)}
    out: list[tuple[str, str]] = []
    todo = [(text, "")]
    while todo:
        raw, _ = todo.pop(0)
        found = []
        bare = _POSSESSIVE.sub("", raw)
        words = raw.split(" ")
        owner = next((i for i, w in enumerate(words[:-1]) if _POSSESSIVE.search(w)), None)
        if bare != raw:  # the possessive first: "The IMU’s" -> "The IMU" -> "IMU", never "IMUs"
            found.append((bare, "possessive"))
        elif owner is not None:  # "Kazakhstan’s Border Guard Service": only as a label says it
            before, after = " ".join(words[:owner + 1]), " ".join(words[owner + 1:])
            found.append((_POSSESSIVE.sub("", before) + " " + after, "possessive"))
            found.append((after + " of " + _POSSESSIVE.sub("", before), "possessive"))
        elif _FOOTNOTE.search(words[-1]):  # "Aktobe18": a footnote's number glued to the last word
            found.append((" ".join(words[:-1] + [_FOOTNOTE.sub("", words[-1])]), "footnote"))
        else:
            if len(words) > 1 and words[0].lower() in ARTICLES:
                found.append((" ".join(words[1:]), "article"))
            roles = [i for i, w in enumerate(words[:-1]) if singular(normalise(w)) in ROLE_WORDS]
            # one title before the name ("Astana and President Nursultan Nazarbayev" names two things);
            # the name is any run of capitalised words ending the text after the role word ("Minister
            # of Internal Affairs Yerlan Turgumbayev"), the longest first
            if roles and not _JOINED.search(" ".join(words[:roles[-1]])):
                found += [(" ".join(words[k:]), "role") for k in range(roles[-1] + 1, len(words))
                          if words[k][:1].isupper()]
        for raw2, form in found:
            key = normalise(raw2)
            if key and key not in seen:
                seen.add(key)
                out.append((key, form))
                todo.append((raw2, form))
    return out

