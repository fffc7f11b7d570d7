"""Entity search (kg.search and kg/static/search.js): normalisation, ranking, resolution, agreement."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.query import ParamError, resolve_entity
from kg.search import KAZAKH_ROMANISATION, SearchIndex, export_index, index_for, label_keys, normalise

JS = Path(__file__).resolve().parent.parent / "kg" / "static" / "search.js"
ID = "https://w3id.org/kzkg/id/"

TINY = [
    {"iri": "p:astana", "label": "Astana", "aliases": ["Nur-Sultan"], "hidden": ["Astanna"], "cls": "city", "detail": ""},
    {"iri": "p:obama", "label": "Barack Obama", "aliases": [], "cls": "person", "detail": ""},
    {"iri": "e:aktobe-2016", "label": "Aktobe attacks (June 2016)", "aliases": [], "cls": "attack", "detail": "2016-06"},
    {"iri": "e:aktobe-2011", "label": "Aktobe bombing (May 2011)", "aliases": [], "cls": "attack", "detail": "2011-05"},
    {"iri": "a:knb", "label": "National Security Committee (KNB)", "aliases": [], "cls": "state agency", "detail": ""},
    {"iri": "a:mia-kz", "label": "Ministry of Internal Affairs of Kazakhstan", "aliases": [], "cls": "state agency",
     "detail": "Kazakhstan"},
    {"iri": "a:mia-kg", "label": "Ministry of Internal Affairs of Kyrgyzstan", "aliases": [], "cls": "state agency",
     "detail": "Kyrgyzstan"},
    {"iri": "w:shaumetov", "label": "Shaumetov (2018)", "aliases": [], "cls": "cited work", "detail": "2018"},
]


@pytest.mark.parametrize("text, expected", [
    ("Nur-Sultan", "nur sultan"),
    ("NUR–SULTAN", "nur sultan"),
    ("Prosecutor’s  Office", "prosecutors office"),
    ("Ақтөбе", "aktobe"),
    ("Актобе", "aktobe"),
    ("Жаңаөзен", "zhanaozen"),
    ("Қазақстан Республикасы", "kazakstan respublikasy"),
    ("Щучинск", "shchuchinsk"),
    ("Zakon.kz", "zakonkz"),
    ("Śrī  Lañkā", "sri lanka"),
    ("Straße", "strasse"),
    ("ʻUmar ibn al-Khaṭṭāb", "umar ibn al khattab"),
])
def test_normalise_exact_forms(text, expected):
    assert normalise(text) == expected


def test_label_keys_bracket_acronym_slash_and_citation():
    assert label_keys("Aktobe attacks (June 2016)") == [("aktobe attacks june 2016", False), ("aktobe attacks", True)]
    assert label_keys("National Security Committee (KNB)") == [
        ("national security committee knb", False), ("national security committee", True), ("knb", True)]
    assert label_keys("Nursultan/Astana") == [("nursultan astana", False), ("nursultan", True), ("astana", True)]
    assert label_keys("9/11") == [("9 11", False)]
    assert label_keys("Shaumetov (2018)") == [("shaumetov 2018", False)]


def test_tiers_and_resolution_on_a_tiny_index():
    index = SearchIndex(TINY)
    assert index.resolve("astana") == "p:astana"
    assert index.resolve("Nur Sultan") == "p:astana"  # alias, dash as space
    assert index.resolve("Astanna") == "p:astana"  # hidden label: matched ...
    assert index.search("Astanna")[0].matched == "Astana"  # ... never shown
    assert index.resolve("Nursultan/Astana") == "p:astana"  # a slash variant answers to each part
    assert index.resolve("NurSultan") == "p:astana"  # spaces do not matter either
    assert [m.tier for m in index.search("NurSultan")] == [1]
    assert index.resolve("Ақтөбе attacks") == "e:aktobe-2016"  # Kazakh letters as the graph romanises them
    assert index.resolve("Obama") == "p:obama"  # all words
    assert index.resolve("Barack Obam") == "p:obama"  # word prefixes
    assert index.resolve("Barak Obama") == "p:obama"  # fuzzy
    assert index.resolve("Aktobe attacks") == "e:aktobe-2016"  # bracketed qualifier dropped
    assert index.resolve("KNB") == "a:knb"
    scores = [m.score for m in index.search("Aktobe attacks")]
    assert scores == [9000]
    assert [m.tier for m in index.search("Obama")] == [2]
    assert [m.tier for m in index.search("Barack Obam")] == [3]
    assert [m.tier for m in index.search("Barak Obama")] == [4]


def test_ambiguous_name_lists_candidates_with_class_and_detail():
    index = SearchIndex(TINY)
    with pytest.raises(ParamError) as info:
        index.resolve("Ministry of Internal Affairs")
    message = str(info.value)
    assert "Ministry of Internal Affairs of Kazakhstan [state agency, Kazakhstan] a:mia-kz" in message
    assert "Ministry of Internal Affairs of Kyrgyzstan [state agency, Kyrgyzstan] a:mia-kg" in message
    with pytest.raises(ParamError, match=r"no entity is labelled 'Xyzzy Plugh' \(nor anything close\)"):
        index.resolve("Xyzzy Plugh")


@pytest.mark.parametrize("name, iri", [
    ("Obama", "person/barack-obama"),
    ("Zhylanbayev", "person/marat-zhylanbayev"),
    ("Financial Monitoring Agency", "agency/financial-monitoring-agency"),
    ("Ministry of Internal Affairs", "agency/ministry-of-internal-affairs"),
    ("Kazakh government", "agency/government-of-kazakhstan"),
    ("Aktobe attacks", "event/aktobe-attacks-2016"),
    ("Nursultan/Astana", "place/astana"),
    ("Zakon.kz 2017", "work/zakon-kz-2017-07-17"),
    ("ISIL", "group/islamic-state"),
    ("Islamic Stat", "group/islamic-state"),
])
def test_names_the_documents_use_resolve(engine, name, iri):
    assert resolve_entity(engine, name).value == ID + iri


def test_index_is_built_once_per_engine(engine):
    assert index_for(engine) is index_for(engine)


_LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -'’./()"
_CYRILLIC = "абвгдежзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯӘҒҚҢӨҰҮҺІ"
_ACCENTS = "\u0300\u0301\u0302\u0303\u0304\u0306\u0308\u030a\u030c\u0327\u0328"
texts = st.text(alphabet=_LATIN + _CYRILLIC + "éèçñöüÅøłß–—", max_size=40)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_normalise_is_idempotent_and_case_insensitive(text):
    once = normalise(text)
    assert normalise(once) == once
    assert re.fullmatch(r"([a-z0-9]+( [a-z0-9]+)*)?", once)
    assert normalise(text.upper()) == normalise(text.lower()) == once


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
                          st.sampled_from(["", *_ACCENTS])), max_size=20))
def test_normalise_ignores_accents(pairs):
    plain = "".join(c for c, _ in pairs)
    accented = "".join(c + a for c, a in pairs)
    assert normalise(accented) == normalise(plain)
    assert normalise(unicodedata.normalize("NFC", accented)) == normalise(plain)


@pytest.fixture(scope="module")
def graph_labels(engine):
    entries = export_index(engine)
    holders: dict[str, set[str]] = {}
    for e in entries:
        for text in [e["label"], *e["aliases"], *e.get("hidden", [])]:
            holders.setdefault(normalise(text), set()).add(e["iri"])
    labels = sorted({t for e in entries for t in [e["label"], *e["aliases"]]})
    return labels, holders


def test_every_label_of_the_graph_resolves_to_an_entity_carrying_it(engine, graph_labels):
    labels, holders = graph_labels

    @settings(max_examples=400, deadline=None)
    @given(st.sampled_from(labels))
    def check(label):
        carriers = holders[normalise(label)]
        try:
            found = resolve_entity(engine, label).value
        except ParamError:
            assert len(carriers) > 1, f"{label!r} is held by one entity only, yet does not resolve"
            return
        assert found in carriers

    check()


# --- search.js agrees with kg.search ---------------------------------------------------------------

TRICKY = [
    "Nur-Sultan", "Nursultan/Astana", "NUR–SULTAN", "Prosecutor’s office in Astana", "Ақтөбе", "Актобе",
    "Қазақстан", "Жаңаөзен", "NurSultan", "Al Qaeda", "Щучинск", "Zakon.kz 2017", "ÍSIL", "Śrī Lañkā", "Straße", "ʻUmar", "e\u0301e\u0301", "ǅemal",
    "Aktobe attacks", "Obama", "Zhylanbayev", "Zhylanbaev", "Ministry of Internal", "KNB", "9/11", "  ", "",
    "Islamic Stat", "Kazakh government", "Hizb ut-Tahrir", "Tablighi Jamaat", "Shaumetov", "Jund al Khilafah",
]


def _node(script: str, payload) -> object:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the JavaScript search cannot be run")
    done = subprocess.run(["node", "-e", script, str(JS)], input=json.dumps(payload), capture_output=True,
                          text=True, timeout=120, check=True)
    return json.loads(done.stdout)


NODE_SCRIPT = """
const s = require(process.argv[1]);
let data = ""; process.stdin.on("data", d => data += d); process.stdin.on("end", () => {
  const {index, texts} = JSON.parse(data);
  const out = texts.map(t => ({norm: s.kgNormalise(t), hits: s.kgSearch(index, t, 8).map(h => [h.iri, h.score])}));
  process.stdout.write(JSON.stringify(out));
});
"""


def test_javascript_normalises_and_ranks_like_python(engine):
    entries = export_index(engine)
    index = index_for(engine)
    got = _node(NODE_SCRIPT, {"index": entries, "texts": TRICKY})
    for text, js in zip(TRICKY, got):
        assert js["norm"] == normalise(text), text
        assert js["hits"] == [[m.iri, m.score] for m in index.search(text, 8)], text


def test_javascript_table_is_anyascii():
    from anyascii import anyascii

    source = JS.read_text(encoding="utf-8")
    body = source[source.index("var TRANSLIT = ") + len("var TRANSLIT = "):source.index("};") + 1]
    table = json.loads(body)
    assert len(table) > 700
    assert {c: KAZAKH_ROMANISATION.get(c, anyascii(c)) for c in table} == table


def test_cli_search_marks_the_match_taken(root, capsys, engine):
    from kg.cli import main

    assert main(["search", "Zhylanbayev", "-n", "2", "--root", str(root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("*") and out[1].rstrip().endswith("person:marat-zhylanbayev")
    assert main(["search", "Xyzzy Plugh", "--root", str(root)]) == 1


def _resolve_by_ranking(index: SearchIndex, text: str) -> str | None:
    """What resolve decides from the full ranking (every tier, fuzzy included): the IRI, or None for
    a refusal. The rule of kg.search.SearchIndex.resolve without its shortcuts."""
    from kg.search import FUZZY_TAKE, MARGIN

    found = index.search(text, limit=None)
    if not found:
        return None
    top, second = found[0], (found[1].score if len(found) > 1 else -10**6)
    ok = top.score - second >= MARGIN[top.tier] and (top.tier < 4 or top.score % 2000 >= FUZZY_TAKE)
    return top.iri if ok else None


def test_resolve_shortcut_decides_as_the_full_ranking(engine, graph_labels):
    """resolve's exact-match shortcut (no pass over every key when one entity leads the exact
    matches) takes the entity the full ranking takes, and refuses what it refuses: for the graph's
    labels and aliases, their word-cut, prefixed and misspelt forms."""
    labels, _ = graph_labels
    index = index_for(engine)

    @settings(max_examples=300, deadline=None)
    @given(st.sampled_from(labels), st.sampled_from(["same", "first-word", "last-words", "typo", "slash"]))
    def check(label, change):
        words = label.split()
        text = {"same": label, "first-word": words[0], "last-words": " ".join(words[1:]) or label,
                "typo": label[:-1] if len(label) > 4 else label, "slash": f"{label}/{words[0]}"}[change]
        try:
            got = index.resolve(text)
        except ParamError:
            got = None
        assert got == _resolve_by_ranking(index, text), text

    check()


def test_resolve_shortcut_refuses_names_two_entities_share():
    """Two entities with one exact name (as a label, or one's label and the other's alias): resolve
    refuses, as the full ranking does, and names both."""
    twins = TINY + [
        {"iri": "g:a", "label": "Jamaat", "aliases": [], "cls": "group", "detail": "one"},
        {"iri": "g:b", "label": "Jamaat", "aliases": [], "cls": "group", "detail": "two"},
        {"iri": "g:c", "label": "Takfir", "aliases": [], "cls": "group", "detail": ""},
        {"iri": "g:d", "label": "Takfir wal-Hijra", "aliases": ["Takfir"], "cls": "group", "detail": ""},
    ]
    index = SearchIndex(twins)
    for text in ["Jamaat", "jamaat", "Takfir", "Takfir wal Hijra", *(e["label"] for e in TINY)]:
        try:
            got = index.resolve(text)
        except ParamError:
            got = None
        assert got == _resolve_by_ranking(index, text), text
    with pytest.raises(ParamError, match="g:a.*g:b|g:b.*g:a"):
        index.resolve("Jamaat")
