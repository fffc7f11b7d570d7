"""Name forms the documents write (kg.search_text.name_forms): a possessive (``IMU’s``), a leading article
(``The PGO``), a role or title before a person's name (``Chair Nurtai Abykaev``). Each resolves as the
name it holds, just below an exact name, in Python and in kg/static/search.js alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_search import assert_javascript_resolves_like_python

from kg.query import ParamError
from kg.search import SearchIndex, index_for
from kg.search_text import name_forms

ID = "https://w3id.org/kzkg/id/"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

TINY = [
    {"iri": ID + "group/imu", "label": "Islamic Movement of Uzbekistan", "aliases": ["IMU"]},
    {"iri": ID + "organization/the-guardian", "label": "The Guardian", "aliases": []},
    {"iri": ID + "organization/guardian-council", "label": "Guardian", "aliases": []},
    {"iri": ID + "person/nurtai-abykaev", "label": "Nurtai Abykaev", "aliases": []},
    {"iri": ID + "person/barack-obama", "label": "Barack Obama", "aliases": ["Obama"]},
    {"iri": ID + "place/astana", "label": "Astana", "aliases": []},
    {"iri": ID + "agency/bgs", "label": "Border Guard Service", "aliases": []},
    {"iri": ID + "work/guardian18", "label": "Guardian18 Report", "aliases": []},
    {"iri": ID + "agency/pgo", "label": "Prosecutor General's Office", "aliases": ["PGO"]},
    {"iri": ID + "agency/pgo-kg", "label": "Prosecutor General's Office of Kyrgyzstan", "aliases": ["PGO"]},
]


@pytest.mark.parametrize("text, forms", [
    ("IMU’s", [("imu", "possessive")]),
    ("IMU's", [("imu", "possessive")]),
    ("The IMU’s", [("the imu", "possessive"), ("imu", "article")]),
    ("The Committee of National Security", [("committee of national security", "article")]),
    ("Chair Nurtai Abykaev", [("nurtai abykaev", "role"), ("abykaev", "role")]),
    ("Kazakhstani Security Council Secretary Nurlan Yermekbayev", [("nurlan yermekbayev", "role"),
                                                                  ("yermekbayev", "role")]),
    ("Kazakhstan’s Border Guard Service", [("kazakhstan border guard service", "possessive"),
                                          ("border guard service of kazakhstan", "possessive")]),
    ("Islamic Movement of Uzbekistan", []),
    ("President", []),  # a role word alone names no one
    ("President of Kazakhstan", [("kazakhstan", "role")]),  # a person called Kazakhstan only
    ("Astana and President Nursultan Nazarbayev", []),  # two things named, not a title and a name
    ("Minister of Internal Affairs Yerlan Turgumbayev", [("internal affairs yerlan turgumbayev", "role"),
                                                        ("affairs yerlan turgumbayev", "role"),
                                                        ("yerlan turgumbayev", "role"), ("turgumbayev", "role")]),
    ("Theodore", []),
    ("Aktobe18", [("aktobe", "footnote")]),
    ("The G20", [("g20", "article")]),  # a number not glued to letters, or one letter only, stays
    ("Aktobe2016", []),
])
def test_name_forms(text, forms):
    assert name_forms(text) == forms


@pytest.mark.parametrize("text, expected", [
    ("IMU’s", "group/imu"),
    ("The IMU’s", "group/imu"),
    ("The Islamic Movement of Uzbekistan", "group/imu"),
    ("Islamic Movement of Uzbekistan's", "group/imu"),
    ("The Guardian", "organization/the-guardian"),  # a label holding the article beats the name without it
    ("The Guardian’s", "organization/the-guardian"),
    ("Guardian’s", "organization/guardian-council"),
    ("Chair Nurtai Abykaev", "person/nurtai-abykaev"),
    ("President Obama", "person/barack-obama"),
    ("Minister of Foreign Affairs Barack Obama", "person/barack-obama"),
    ("Sociologist Nurtai Abykaev’s", "person/nurtai-abykaev"),
    ("The PGO", None),  # two entities are called PGO: refused as PGO is
    ("PGO’s", None),
    ("Mayor Astana", None),  # a role names a person only
    ("Akhmet Abykaev", None),  # a first name is no role
    ("Kazakhstan’s Border Guard Service", None),  # no label says so: the place is not checked here
    ("The", None),
    ("Astana18", "place/astana"),
    ("The IMU17", "group/imu"),
    ("Guardian18", "work/guardian18"),  # the digits are part of a name: no footnote
    ("Obama12", "person/barack-obama"),
])
def test_forms_resolve_as_the_name_they_hold(text, expected):
    _check(SearchIndex(TINY), text, expected)


def _check(index: SearchIndex, text: str, expected: str | None) -> None:
    """``text`` resolves to ``ID + expected``, or is refused when ``expected`` is None."""
    if expected is None:
        with pytest.raises(ParamError):
            index.resolve(text)
    else:
        assert index.resolve(text) == ID + expected


def test_a_form_ranks_just_below_an_exact_name():
    index = SearchIndex(TINY)
    hits = index.search("The Guardian’s")
    assert [h.iri for h in hits[:2]] == [ID + "organization/the-guardian", ID + "organization/guardian-council"]
    assert [h.tier for h in hits[:2]] == [1, 1]
    exact = index.search("Guardian")[0]
    assert exact.tier == 0 and exact.score > index.search("Guardian’s")[0].score


# --- the documents' own forms -------------------------------------------------------------------------

_POSSESSIVE = re.compile(r"\b((?:The )?[A-Z][\w-]+(?: (?:of |for |and )?[A-Z][\w-]+)*)[’']s\b")
_ARTICLE = re.compile(r"\bThe ((?:[A-Z][\w-]+|of|for|and)(?: (?:[A-Z][\w-]+|of|for|and))*)")
_TRAILING = re.compile(r"(?: (?:of|for|and))+$")
_GLUED = re.compile(r"\b([A-Z][a-z]+)\d{1,3}\b")
_TITLED = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)*) ([A-Z][a-z]+ [A-Z][a-z]+)\b")


def _document_forms(index: SearchIndex) -> dict[str, list[tuple[str, str, str]]]:
    """Per document: (form written, name it holds, IRI the name resolves to), for every possessive,
    leading article, role-before-a-person and footnote number glued to a word the document writes
    whose bare name resolves."""
    from kg.search_text import ROLE_WORDS, normalise

    def taken(name):  # the name as it resolves by its words, not by a near spelling (tier 4)
        try:
            iri = index.resolve(name)
        except ParamError:
            return None
        return iri if index.search(name, 1)[0].tier < 4 else None

    found = {}
    for path in sorted(CORPUS.glob("0*.txt")):
        text = " ".join(path.read_text(encoding="utf-8").split())
        cases = set()
        for m in _POSSESSIVE.finditer(text):
            cases.add((m.group(0), m.group(1)))
        for m in _ARTICLE.finditer(text):
            cases.add((_TRAILING.sub("", m.group(0)), _TRAILING.sub("", m.group(1))))
        for m in _GLUED.finditer(text):
            cases.add((m.group(0), m.group(1)))
        for m in _TITLED.finditer(text):
            if normalise(m.group(1)).split()[-1] in ROLE_WORDS:
                cases.add((m.group(0), m.group(2)))
        found[path.name] = [(form, name, iri) for form, name in sorted(cases)
                            if (iri := taken(name)) is not None and normalise(form) != normalise(name)]
    return found


@pytest.fixture(scope="module")
def document_forms(engine):
    if not CORPUS.is_dir():
        pytest.skip("corpus absent: ../shared/corpus not found; the documents' name forms cannot be read")
    return _document_forms(index_for(engine))


def test_every_document_form_resolves_as_its_name(engine, document_forms):
    """Every possessive, leading article, role-before-a-person and glued footnote number of the five
    documents whose name resolves, resolves to that name's entity, or to an entity a label of which is
    the whole form."""
    index = index_for(engine)
    assert len(document_forms) == 5 and all(document_forms.values()), document_forms.keys()
    wrong = []
    for doc, cases in document_forms.items():
        for form, name, iri in cases:
            try:
                got = index.resolve(form)
            except ParamError as e:
                got = str(e)
            if got != iri and (got not in index.entries or index.search(form, 1)[0].tier != 0):
                wrong.append((doc, form, name, got[:120]))
    assert not wrong


GRAPH_CASES = [
    ("IMU’s", "group/islamic-movement-of-uzbekistan"),
    ("The IMU’s", "group/islamic-movement-of-uzbekistan"),
    ("The Islamic Movement of Uzbekistan", "group/islamic-movement-of-uzbekistan"),
    ("The PGO", "agency/prosecutor-generals-office"),
    ("The Committee of National Security", "agency/knb"),
    ("Satybau’s", "person/sayragul-satybau"),
    ("The Diplomat", "organization/the-diplomat"),
    ("The Guardian", "organization/the-guardian"),
    ("Chair Nurtai Abykaev", "person/nurtai-abykaev"),
    ("Sociologist Serik Beissembayev", "person/serek-beysembayev"),
    ("Kazakhstani Security Council Secretary Nurlan Yermekbayev", "person/nurlan-yermekbayev"),
    ("President Obama", "person/barack-obama"),
    ("The Kazakh", None),
    ("President Islamic Movement of Uzbekistan", None),
    ("Akhmet Yermekbayev", None),
    ("Aktobe18", "place/aktobe"),
    ("Astana and President Nursultan Nazarbayev", None),
]


@pytest.mark.parametrize("text, iri", GRAPH_CASES)
def test_forms_on_the_curated_graph(engine, text, iri):
    _check(index_for(engine), text, iri)


def test_javascript_resolves_forms_like_python(engine, document_forms):
    texts = [form for cases in document_forms.values() for form, _, _ in cases]
    texts += [t for t, _ in GRAPH_CASES]
    texts += ["Kazakhstan’s Border Guard Service", "The Kazakh", "Guardian’s", "The State’s"]
    assert_javascript_resolves_like_python(engine, texts)


def test_javascript_has_the_same_role_words_and_articles():
    from kg.search_text import ARTICLES, ROLE_WORDS

    js = (Path(__file__).resolve().parent.parent / "kg" / "static" / "search.js").read_text(encoding="utf-8")
    roles = re.search(r"var ROLE_WORDS = new Set\(\((.*?)\)\.split", js, re.S).group(1)
    assert set("".join(re.findall(r'"([^"]*)"', roles)).split()) == ROLE_WORDS
    articles = re.search(r"var ARTICLES = new Set\(\[(.*?)\]\)", js).group(1)
    assert set(re.findall(r'"([^"]*)"', articles)) == ARTICLES
