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

    assert main(["search", "Zhylanbayev", "-n", "2", "--root", str(root), "--width", "200"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["taken", "score", "label", "matched", "class", "detail", "entity"]
    assert out[2].startswith("*") and out[2].rstrip().endswith("person:marat-zhylanbayev")
    assert main(["search", "Xyzzy Plugh", "--root", str(root)]) == 1


def _resolve_by_ranking(index: SearchIndex, text: str) -> str | None:
    """What resolve decides from the full ranking (every tier, fuzzy included): the IRI, or None for
    a refusal. The rule of kg.search.SearchIndex.resolve without its shortcuts (the exact tiers
    first, the fuzzy pass only when needed)."""
    return index._choose(index._ranked(text, fuzzy=True), text)


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


# --- Names that must not resolve silently to the wrong entity ----------------------------------------

RANKED = [
    {"iri": "e:aktobe-2016", "label": "Aktobe attacks (June 2016)", "aliases": [], "rank": 2},
    {"iri": "w:gunmen", "label": "Kazakhstan: Gunmen attack gun shops and army unit in Aktobe", "aliases": [], "rank": 1},
    {"iri": "e:taraz", "label": "Taraz attack (2011)", "aliases": ["Taraz attack"], "rank": 2},
    {"iri": "e:almaty", "label": "Attack by militants in Almaty (July 2020)", "aliases": [], "rank": 2},
    {"iri": "g:tj", "label": "Tablighi Jamaat", "aliases": [], "rank": 2},
    {"iri": "e:tj-ban", "label": "Ban of Tablighi Jamaat in Kazakhstan", "aliases": [], "rank": 2},
    {"iri": "e:tj-arrests", "label": "Arrests of Tablighi Jamaat members in Kazakhstan (2015)", "aliases": [], "rank": 2},
    {"iri": "a:culture-sport", "label": "Ministry of Culture and Sport", "aliases": [], "rank": 2},
    {"iri": "a:culture-info", "label": "Ministry of Culture and Information of Kazakhstan", "aliases": [], "rank": 2},
    {"iri": "p:edwards", "label": "Edwards", "aliases": [], "rank": 2},
    {"iri": "p:lemon", "label": "Edward Lemon", "aliases": [], "rank": 2},
    {"iri": "d:x", "label": "Aktobe attacks: 2016 (text) vs 2011 (note)", "aliases": [], "rank": 0},
    {"iri": "l:law-extremism", "label": "Law on Countering Extremism", "aliases": [], "rank": 2},
    {"iri": "l:law-religion", "label": "Law on Religion", "aliases": [], "rank": 2},
]
CLASS_WORDS = ["attack", "group", "law", "event", "person", "cell", "hotline"]


@pytest.mark.parametrize("text, expected", [
    ("Aktobe attack", "e:aktobe-2016"),  # a singular variant of the event's name, not the work holding the words
    ("aktobe attacks", "e:aktobe-2016"),
    ("Tablighi", "g:tj"),  # the events are named after the group
    ("Tablighi Jamaat", "g:tj"),
    ("Edward", "p:lemon"),  # "Edwards" is a name by itself, not the plural of "Edward"
    ("Edwards", "p:edwards"),
    ("Taraz attack", "e:taraz"),
    ("attack", None), ("attacks", None), ("the attack", None), ("law", None), ("group", None),  # class words
    ("2016", None), ("June 2016", None),  # a date names no one entity
    ("Ministry of Culture", None),  # two ministries alike: neither is named after the other
    ("Tablighi Kazakhstan", None),  # the ban and the arrests alike
    ("Law on", None),
])
def test_a_name_resolves_only_to_the_one_entity_it_names(text, expected):
    index = SearchIndex(RANKED, generic=CLASS_WORDS)
    try:
        got = index.resolve(text)
    except ParamError:
        got = None
    assert got == expected, text


def test_an_entity_ranks_above_a_work_and_a_record_whose_names_hold_the_words_alike():
    index = SearchIndex(RANKED, generic=CLASS_WORDS)
    assert [m.iri for m in index.search("Aktobe", limit=None)] == ["e:aktobe-2016", "w:gunmen", "d:x"]
    assert [m.iri for m in index.search("gunmen attack", limit=None)] == ["w:gunmen"]


def test_refusals_say_why_and_list_the_candidates():
    index = SearchIndex(RANKED, generic=CLASS_WORDS)
    with pytest.raises(ParamError, match=r"^'attack' names a kind of thing or a date, not one entity; 5 entities "
                                         r"match it, best first: Taraz attack \(2011\) \(as 'Taraz attack'\) \[\] e:taraz; "):
        index.resolve("attack")
    with pytest.raises(ParamError, match=r"^no entity is labelled 'Ministry of Culture', and it matches 2 entities alike "
                                         r"\(not all named after the first\); candidates, best first: Ministry of Culture and "
                                         r"Sport \[\] a:culture-sport; Ministry of Culture and Information of Kazakhstan"):
        index.resolve("Ministry of Culture")


@pytest.mark.parametrize("text, iri", [
    ("attack", None), ("attacks", None), ("group", None), ("law", None), ("laws", None), ("cell", None),
    ("hotline", None), ("person", None), ("event", None), ("the attack", None), ("terrorist attacks", None),
    ("2016", None), ("May 2011", None), ("President", None), ("Islamic", None), ("Almaty attack", None),
    ("Ministry of Culture", None), ("Crime", None), ("Republic", None),
    ("Aktobe attack", "event/aktobe-attacks-2016"), ("Aktobe attacks", "event/aktobe-attacks-2016"),
    ("Taraz attack", "event/taraz-attack-2011"), ("tablighi", "group/tablighi-jamaat"),
    ("Kazakhstan's", "place/kazakhstan"), ("Race Toward Good", "work/race-toward-good"),
    ("Boralday", "place/boralday"), ("Boralday shootout", "event/boralday-shootouts-2011"),
])
def test_names_and_words_on_the_curated_graph(engine, text, iri):
    try:
        got = resolve_entity(engine, text).value
    except ParamError:
        got = None
    assert got == (ID + iri if iri else None), text


RESOLVE_SCRIPT = """
const s = require(process.argv[1]);
let data = ""; process.stdin.on("data", d => data += d); process.stdin.on("end", () => {
  const {index, texts, classes} = JSON.parse(data);
  process.stdout.write(JSON.stringify(texts.map(t => s.kgResolve(index, t, classes).iri)));
});
"""


def test_javascript_resolves_like_python(engine, graph_labels):
    """kgResolve (search.js, used by the query page) takes what kg.search.resolve takes, and refuses
    what it refuses: for generic words, dates, the documents' names and parts of the graph's labels."""
    labels, _ = graph_labels
    texts = TRICKY + ["attack", "attacks", "law", "group", "May 2011", "2016", "President", "Aktobe attack",
                      "Almaty attack", "Ministry of Culture", "Kazakhstan's", "Edward", "Usman Ghazi's"]
    texts += [w for label in labels[::7] for w in (label.split()[0], " ".join(label.split()[:2]), label)]
    assert_javascript_resolves_like_python(engine, texts)


def assert_javascript_resolves_like_python(engine, texts: list[str]) -> None:
    """kgResolve (search.js) takes each of ``texts`` as kg.search.resolve does, or refuses it alike."""
    from kg.search import _CLASS_LABELS

    classes = [r["label"]["value"] for r in engine.query(_CLASS_LABELS).rows]
    index = index_for(engine)
    got = _node(RESOLVE_SCRIPT, {"index": export_index(engine), "texts": texts, "classes": classes})
    for text, js in zip(texts, got):
        try:
            py = index.resolve(text)
        except ParamError:
            py = None
        assert js == py, text


def test_the_query_page_asks_for_ranks_and_class_words_as_kg_search_does():
    from kg.iris import PREFIXES
    from kg.search import _CLASS_LABELS, _RECORDS, RECORD_CLASSES

    page = (JS.parent / "query-page.html").read_text(encoding="utf-8")
    classes = json.loads(re.search(r"var RECORD_CLASSES = (.*?);\n", page).group(1))
    assert classes == {str(r): [PREFIXES[c.split(":")[0]] + c.split(":")[1] for c in cs] for r, cs in RECORD_CLASSES.items()}
    assert json.loads(re.search(r"var RECORDS = (.*?);\n", page).group(1)) == _RECORDS.strip()
    assert json.loads(re.search(r"var CLASS_LABELS = (.*?);\n", page).group(1)) == _CLASS_LABELS.strip()


def test_a_names_cache_of_the_former_rules_is_not_read(engine, tmp_path):
    """A names cache written before the ranks and class words (no version) is made again, not read:
    read, its stamp alone would let 'attack' resolve as it did."""
    from kg.search import NAMES_CACHE, NAMES_CACHE_VERSION, resolve

    class Store:
        store_path, store_stamp = tmp_path, "stamp-1"

        def query(self, text, bindings=None):
            return engine.query(text, bindings)

    stale = {"stamp": "stamp-1", "keys": [["attack", ID + "event/taraz-attack-2011", 0, False, "attack"]],
             "entries": [{"iri": ID + "event/taraz-attack-2011", "label": "Taraz attack (2011)"}]}
    (tmp_path / NAMES_CACHE).write_text(json.dumps(stale), encoding="utf-8")
    with pytest.raises(ParamError, match="names a kind of thing"):
        resolve(Store(), "attack")
    assert json.loads((tmp_path / NAMES_CACHE).read_text(encoding="utf-8"))["version"] == NAMES_CACHE_VERSION
    assert resolve(Store(), "Aktobe attack") == ID + "event/aktobe-attacks-2016"


def test_a_names_cache_that_is_not_a_file_is_made_again_not_waited_on(engine, tmp_path):
    """A FIFO (or a folder) where the names cache goes is read through kg.inputs like every input:
    refused at once, and the index made from the graph; a plain read would wait on the FIFO forever."""
    import os
    import threading

    from kg.search import NAMES_CACHE, resolve

    class Store:
        store_path, store_stamp = tmp_path, "stamp-3"

        def query(self, text, bindings=None):
            return engine.query(text, bindings)

    os.mkfifo(tmp_path / NAMES_CACHE)
    got = []
    worker = threading.Thread(target=lambda: got.append(resolve(Store(), "Aktobe attack")), daemon=True)
    worker.start()
    worker.join(60)
    assert got == [ID + "event/aktobe-attacks-2016"]


def test_an_index_from_the_names_cache_matches_one_made_from_the_labels(engine, tmp_path):
    """The cache keeps the folded keys so that a cold kg query does not fold every word again; an
    index read from it has the same look-ups and word sets as one made from the labels, and resolves
    and searches every name alike."""
    from kg.search import NAMES_CACHE, SearchIndex, _names_index, class_words, export_index

    class Store:
        store_path, store_stamp = tmp_path, "stamp-2"

        def query(self, text, bindings=None):
            return engine.query(text, bindings)

    made = _names_index(Store())  # made, and written to the cache
    data = json.loads((tmp_path / NAMES_CACHE).read_text(encoding="utf-8"))
    read = _names_index(Store())
    fresh = SearchIndex(export_index(engine, details=False), generic=class_words(engine))
    for index in (made, read):
        assert index.folds == fresh.folds and index.folded == fresh.folded and index.compact == fresh.compact
        assert index.words == fresh.words and index.raw_words == fresh.raw_words
    # folds that do not fit the keys (a damaged cache) are made again, not used
    assert SearchIndex(data["entries"], data["keys"], data["generic"], data["folds"][:-1]).folds == fresh.folds
    for name in ["Tablighi Jamaat", "Aktobe attack", "hizb ut tahrir", "Nursultan", "attacks", "Almaty"]:
        assert [m.iri for m in read.search(name)] == [m.iri for m in fresh.search(name)]
        try:
            expected = fresh.resolve(name)
        except ParamError as exc:
            with pytest.raises(ParamError, match=re.escape(str(exc)[:40])):
                read.resolve(name)
        else:
            assert read.resolve(name) == expected


def test_every_name_of_kg_search_comes_from_its_part_on_first_use():
    """kg.search exports the names of kg.search_text, kg.search_index and kg.search_graph, each
    importing its part only when first asked for: an IRI given for -p entity= loads none of them."""
    import importlib
    import subprocess
    import sys

    import kg.search

    for module, names in kg.search._PARTS.items():
        for name in names:
            assert getattr(kg.search, name) is getattr(importlib.import_module(module), name), name
    assert set(kg.search.__all__) - {"search", "resolve", "entity_iri"} <= {n for ns in kg.search._PARTS.values() for n in ns}
    assert kg.search._shown is kg.search.shown
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        kg.search.nothing  # noqa: B018
    code = "import sys; from kg.search import entity_iri; print(sorted(m for m in sys.modules if m.startswith('kg.search')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.stdout.strip() == "['kg.search']"
