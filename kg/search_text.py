"""Names in their search form: the normalisation, singular forms and derived keys of :mod:`kg.search`.

Every place that compares a typed name with the graph's labels folds both sides with
:func:`normalise` (and, for words, :func:`singular`); :func:`label_keys` gives the keys a label
answers to. No third-party module is imported for an ASCII text (anyascii only otherwise).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

__all__ = ["normalise", "singular", "label_keys", "shown", "name_forms", "demonyms", "KAZAKH_ROMANISATION", "MONTHS",
           "MAIN_TITLE", "STOPWORDS", "ARTICLES", "ROLE_WORDS", "PLACE_WORDS", "DEMONYMS_FILE"]

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

#: Words a place's name may end with and a text may leave out when it writes the place after a name
#: ("Aktau, Mangystau" for Mangystau Region), normalised and singular
PLACE_WORDS = frozenset("region province oblast district city town village county".split())

#: Kazakh letters romanised as the graph's names are (Aktobe, Zhanaozen), not as anyascii does (q, gh, ng)
KAZAKH_ROMANISATION = {"Ғ": "G", "ғ": "g", "Қ": "K", "қ": "k", "Ң": "N", "ң": "n"}
_KAZAKH = str.maketrans(KAZAKH_ROMANISATION)
_APOSTROPHES = "'`\u00b4\u02b9\u02bb\u02bc\u02bd\u2018\u2019\u201b\u2032"
_BRACKETS = re.compile(r"\s*\(([^()]*)\)")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&-]{1,11}$")
_YEAR = re.compile(r"^\d{4}[a-z]?$")
_JOINED = re.compile(r"(?i)(?:^|\s)(?:and|or|with|&)(?:\s|$)|[,;]")
_FOOTNOTE = re.compile(r"(?<=[^\W\d_]{2})\d{1,3}$")
#: The most forms :func:`name_forms` gives: each possessive of a text doubles them, so a pasted page
#: would give millions; a name written in a document gives fewer than 200
_MAX_FORMS = 200
_LOCATOR = re.compile(r" (?:in|of|at) (?:the )?")
_SEPARATOR = re.compile(r"(?:,| [-\u2013\u2014]) ")
_TRAILING_BRACKET = re.compile(r"^(.*\S)\s*\(([^()]+)\)$")
#: an apostrophe s after a word, a closing bracket or an abbreviation's full stop ("RFE)'s", "U.S.'s")
_POSSESSIVE = re.compile(r"(?<=[\w).])[" + "'`\u00b4\u02bc\u2019\u2032" + r"]s?(?=\W*$)")
#: The ``derived`` mark of a work's main title among :func:`label_keys`: a main title is cited whole, so it
#: is matched as an exact name only, never by some of its words ("Islam in Kazakhstan" is no citation of
#: "Islam in Post-Soviet Kazakhstan: ..."); True (1) marks the other derived keys
MAIN_TITLE = 2
#: the main title of a work's title: before the first colon or spaced dash
_MAIN_TITLE = re.compile(r"^(.+?)(?::\s| [-\u2013\u2014] )")
#: a citation in brackets after a name: an author (or two, or "et al.") and a year ("Sayasat.kz 2017")
_CITATION = re.compile(r"^[A-Z][\w.'’&-]*(?: (?:and|&) [A-Z][\w.'’-]*| et al\.?)?,? \d{4}[a-z]?$")
#: a word of a description before a name, not a place or owner: a hyphenated word whose last part is in
#: lower case ("Uighur-led", "Astana-based", "Iranian-supported"; not "Al-Azhar", "Nur-Sultan")
_MODIFIER = re.compile(r"^\S+-[a-z]+$")
#: what joins the parts of one word of an owner's name before a name ("U.S.", "RFE/RL", "AT&T", "Al-Azhar")
_JOINERS = re.compile(r"[-./&]")
#: Demonyms and adjectives of places ("Kazakh" for Kazakhstan), as data: see :func:`demonyms`
DEMONYMS_FILE = Path(__file__).resolve().parent / "data" / "demonyms.tsv"


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


def label_keys(label: str, work: bool = False) -> list[tuple[str, bool | int]]:
    """``(key, derived)`` pairs a label answers to: itself, then derived keys (see the module); with
    ``work`` (a name of a work), its main title too, with ``derived`` :data:`MAIN_TITLE`: the part before
    the first colon or spaced dash, when it has two words at least (documents cite ``'Eradicating
    Ideological Viruses'`` for ``'Eradicating Ideological Viruses': China's Campaign of Repression ...``;
    not ``Kazakhstan`` of ``Kazakhstan: Children in Hijabs Barred From Schools``, a place before a headline).

    >>> label_keys("Aktobe attacks (June 2016)")
    [('aktobe attacks june 2016', False), ('aktobe attacks', True)]
    >>> label_keys("Shaumetov (2018)")
    [('shaumetov 2018', False)]
    >>> label_keys("Nursultan/Astana")
    [('nursultan astana', False), ('nursultan', True), ('astana', True)]
    >>> label_keys("Repatriating Foreign Fighters: The Case of Kazakhstan", work=True)[1]
    ('repatriating foreign fighters', 2)
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
    out: list[tuple[str, bool | int]] = []
    for i, key in enumerate(keys):
        if key and key not in [k for k, _ in out]:
            out.append((key, i > 0))
    if work and (main := _MAIN_TITLE.match(label)) and len(normalise(main.group(1)).split()) >= 2:
        if normalise(main.group(1)) not in [k for k, _ in out]:
            out.append((normalise(main.group(1)), MAIN_TITLE))
    return out


def shown(text: str, limit: int = 80) -> str:
    """``text`` quoted for a message, cut to ``limit`` characters: a pasted page is not echoed whole."""
    text = " ".join(str(text).split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _qualified(raw: str, last: bool = False, lead: bool = True) -> list[tuple[str, str]]:
    """``(name, qualifier)`` pairs of a text that names a thing by its place or owner after or before
    it: ``NAME (Q)``, ``NAME, Q``, ``NAME - Q`` (any dash), ``NAME in|of|at [the] Q`` (at each of the
    last three such words) and, with ``lead``, ``Q NAME`` (``Q`` one or two words of letters, digits
    and hyphens), ``Q`` and ``NAME`` capitalised; with ``last``, the last place after the name only (a name with its place is peeled
    from the right, so that a pasted page makes a few forms, not one per combination of its words)."""
    out = []
    bracket = _TRAILING_BRACKET.match(raw)
    apart = list(_SEPARATOR.finditer(raw))
    if bracket:
        out.append((bracket.group(1), bracket.group(2)))
    elif apart and raw[apart[-1].end():apart[-1].end() + 1].isupper() and apart[-1].start() > 0:
        out.append((raw[:apart[-1].start()], raw[apart[-1].end():]))
    if out and last:
        return out
    located = [(raw[:m.start()], raw[m.end():]) for m in _LOCATOR.finditer(raw)
               if m.start() > 0 and raw[m.end():m.end() + 1].isupper()]
    words = raw.split(" ")
    # the name capitalised, or any name after a demonym ("Uzbek 114 telephone hotline")
    before = [] if last or not lead else [(" ".join(words[k:]), " ".join(words[:k])) for k in (1, 2)
                              if len(words) > k and all(w[:1].isupper() and _one_word(w) for w in words[:k])
                              and (words[k][:1].isupper() or normalise(" ".join(words[:k])) in demonyms())]
    return out + located[-1 if last else -3:] + before


def _one_word(word: str) -> bool:
    """Whether ``word`` is one word of a name: letters and digits, in parts joined by a hyphen, full
    stop, slash or ampersand (``Al-Azhar``, ``U.S.``, ``RFE/RL``, ``AT&T``)."""
    return all(part.isalnum() for part in _JOINERS.split(word[:-1] if word.endswith(".") else word))


def _initials(name: str) -> tuple[str, str]:
    """The initials of a name's words (as written, between spaces: ``Co-operation`` is one), with and
    without its stop words (``Organization for Security and Co-operation in Europe`` -> ``ofsacie``,
    ``osce``)."""
    words = [w for w in (normalise(w) for w in name.split()) if w]
    return "".join(w[0] for w in words), "".join(w[0] for w in words if w not in STOPWORDS)


def name_forms(text: str) -> list[tuple[str, str]]:
    """The names a text holds in the forms documents write them, as ``(normalised name, form)`` pairs.

    ``form`` is ``possessive`` (``IMU’s`` -> ``imu``, ``Satybau's`` -> ``satybau``; for a possessor
    before a name only the forms a label may have: ``Kazakhstan’s Border Guard Service`` ->
    ``kazakhstan border guard service``, ``border guard service of kazakhstan``, ``... of the
    kazakhstan``), ``article`` (``The PGO`` -> ``pgo``), ``footnote`` (``Aktobe18`` -> ``aktobe``: a
    footnote's number glued to the last word; :class:`~kg.search_index.SearchIndex` takes it only as an
    exact name, and not when the glued word is a word of a name), ``role`` (``Chair Nurtai Abykaev`` ->
    ``nurtai abykaev``: the words up to the last of :data:`ROLE_WORDS` before a capitalised name),
    ``acronym`` (``National Security Committee (NSC)`` -> ``national security committee``: the bracket
    holds the initials of the name), ``citation`` (``Nurlan Yermekbayev (Sayasat.kz 2017)`` -> ``nurlan
    yermekbayev``: the bracket cites an author and year), ``modifier`` (``the Uighur-led Turkistan Islamic
    Party`` -> ``turkistan islamic party``: a hyphenated description before the name) or ``within:Q`` (a
    thing named with its place or owner ``Q``,
    normalised without a leading article: ``Al-Azhar University in Cairo``, ``... (Cairo)``, ``...,
    Cairo``, ``... – Cairo``, ``Cairo Al-Azhar University`` -> ``al azhar university`` within ``cairo``;
    the owner before a name, ``the KNB’s Border Guard Service`` -> ``border guard service`` within
    ``knb``). :class:`~kg.search_index.SearchIndex`
    takes a ``within`` form only for an entity that ``Q`` names, or that is in or part of an entity
    ``Q`` names (the ``within`` of :func:`~kg.search_graph.export_index`); a form made from such a
    form keeps its place (``within:Q1|Q2``: each must hold). Forms combine (``The IMU’s`` -> ``imu``);
    the text itself is not among them. :class:`~kg.search_index.SearchIndex` takes a form just below
    an exact name (a real label holding the article or possessive beats it), a role form for a person
    only.

    >>> name_forms("The IMU’s")
    [('the imu', 'possessive'), ('imu', 'article')]
    >>> name_forms("Aktobe18"), name_forms("The G20")
    ([('aktobe', 'footnote')], [('g20', 'article')])
    >>> name_forms("Kazakhstan's Border Guard Service")[2:4]
    [('border guard service of the kazakhstan', 'possessive'), ('border guard service', 'within:kazakhstan')]
    >>> name_forms("Cairo Al-Azhar University")[:1]
    [('al azhar university', 'within:cairo')]
    >>> name_forms("Kazakhstani Security Council Secretary Nurlan Yermekbayev")[:2]
    [('nurlan yermekbayev', 'role'), ('yermekbayev', 'role')]
    >>> name_forms("Al-Azhar University in Cairo")[0], name_forms("National Security Committee (NSC)")[0]
    (('al azhar university', 'within:cairo'), ('national security committee', 'acronym'))
    >>> name_forms("Astana and President Nursultan Nazarbayev")
    []
    """
    text = " ".join(str(text).split())
    seen = {normalise(text)}
    out: list[tuple[str, str]] = []
    todo = [(text, "")]
    whole = {text}  # the text, and it without a possessive: a place or owner may come before them
    while todo and len(out) < _MAX_FORMS:
        raw, kind = todo.pop(0)
        found = []
        bare = _POSSESSIVE.sub("", raw)
        words = raw.split(" ")
        owner = next((i for i, w in enumerate(words[:-1]) if _POSSESSIVE.search(w)), None)
        if bare != raw:  # the possessive first: "The IMU’s" -> "The IMU" -> "IMU", never "IMUs"
            found.append((bare, "possessive"))
            if raw in whole:
                whole.add(bare)
        elif owner is not None:  # "Kazakhstan’s Border Guard Service": as a label says it, or the owner's
            before = _POSSESSIVE.sub("", " ".join(words[:owner + 1]))
            after = " ".join(words[owner + 1:])
            found.append((before + " " + after, "possessive"))
            if raw in whole:  # the text as a label says it: "Kyrgyz Prosecutor General Office"
                whole.add(before + " " + after)
            found.append((after + " of " + before, "possessive"))
            if words[0].lower() not in ARTICLES:
                found.append((after + " of the " + before, "possessive"))
            found.append((after, "within:" + _place(before)))
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
            # "Al-Azhar University in Cairo"; a name has three places or owners at most ("X, Cairo, Egypt")
            # a place or owner before a name only in the text itself, or after its article ("The Cairo ...")
            # or without a possessive ("Uzbek Border Guard Service’s", "Kyrgyz Prosecutor General's Office")
            lead = kind in ("", "article", "citation") or kind == "possessive" and raw in whole
            for name, where in (_qualified(raw, kind.startswith("within:"), lead)
                                if kind.count("|") < 2 else ()):
                found.append((name, _qualifier_kind(name, where)))
        for raw2, form in found:
            if kind.startswith("within:") and form == "role" or kind == "role" and form.startswith("within:"):
                continue  # a role names a person, a place or owner a thing: never both
            if kind.startswith("within:"):  # a form of a name with its place keeps the place
                form = kind + "|" + form[7:] if form.startswith("within:") else kind
            key = normalise(raw2)
            # one form per name, and per name and place for a name with its place
            mark = (key, form) if form.startswith("within:") else key
            if key and key not in seen and mark not in seen and not form.endswith((":", "|")) and len(out) < _MAX_FORMS:
                seen.add(mark)
                out.append((key, form))
                todo.append((raw2, form))
    return out


def _qualifier_kind(name: str, where: str) -> str:
    """The form of ``name`` written with ``where`` before or after it (:func:`_qualified`): ``acronym``
    (``where`` holds its initials), ``citation`` (an author and year, not a month: ``Sayasat.kz 2017``),
    ``modifier`` (``Uighur-led``: a description, :data:`_MODIFIER`), else ``within:`` its place or owner."""
    if _ACRONYM.match(where) and normalise(where) in _initials(name):
        return "acronym"
    if _CITATION.match(where) and normalise(where).split()[0] not in MONTHS:
        return "citation"
    if _MODIFIER.match(where):
        return "modifier"
    return "within:" + _place(where)


def _place(text: str) -> str:
    """A place or owner in its search form, without a leading article (``the KNB`` -> ``knb``) or an
    acronym in brackets (``Radio Free Europe (RFE)`` -> ``radio free europe``; a date in brackets stays)."""
    bare = _BRACKETS.sub(lambda m: " " if _ACRONYM.match(m.group(1).strip()) else m.group(0), text)
    words = (normalise(bare) or normalise(text)).split()
    return " ".join(words[1:] if words[:1] in (["the"], ["a"], ["an"]) and len(words) > 1 else words)


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """The places' demonyms and adjectives a text may write for a place's name before or after a thing
    of that place (``Kazakh Border Guard Service``, ``the Kazakhstani KNB``): the search form of each
    -> the search form of the place's name (``kazakhstani`` -> ``kazakhstan``, ``us`` -> ``united
    states``), from :data:`DEMONYMS_FILE` (``place<TAB>form|form...``; ``#`` starts a comment), the
    table ``kg ingest`` matches mentions with too. A demonym is no name of its place: it names the place
    only as a place or owner (:class:`~kg.search_index.SearchIndex` ties the place's name to the places
    of the graph labelled so). Raises ``OSError`` if the file cannot be read."""
    table: dict[str, str] = {}
    for line in DEMONYMS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            place, _, forms = line.partition("\t")
            for form in forms.split("|"):
                if normalise(form):
                    table.setdefault(normalise(form), normalise(place))
    return table
