"""The mentions check: entity names inside literals on nodes that do not link to them."""

from __future__ import annotations

from rdflib import Dataset

from kg.mentions import Mention, find_mentions
from kg.namespaces import turtle_prefixes

ID = "https://w3id.org/kzkg/id/"
DATA = turtle_prefixes() + """
group:isil a kg:ArmedGroup ; skos:prefLabel "Islamic State" ; skos:altLabel "ISIL", "IS" .
place:aktobe a kg:City ; skos:prefLabel "Aktobe" .
event:aktobe-2016 a kg:Attack ; skos:prefLabel "Aktobe attacks" .
topic:women a kg:Topic ; skos:prefLabel "women" .
work:factbook a kg:CitedWork ; skos:prefLabel "World Factbook" ; skos:altLabel "Aktobe" .
finding:a a kg:Finding ; schema:description "Officials tied the cell to Islamic State propaganda; women too." .
finding:b a kg:Finding ; schema:description "Propaganda of ISIL reached Aktobe." ; kg:about group:isil .
finding:c a kg:Finding ; schema:description "IS is named; this is a test." ;
    kg:deliberatelyUnlinked "IS" .
finding:d a kg:Finding ; kg:addresses "the Aktobe attacks, islamic-state style" .
finding:e a kg:Finding ; schema:description "This is not about the state." .
"""


def _dataset() -> Dataset:
    ds = Dataset(default_union=True)
    ds.default_graph.parse(data=DATA, format="turtle")
    return ds


def _short(mentions):
    return sorted((m.node.rsplit("/", 1)[-1], m.entity.rsplit("/", 2)[-2] + ":" + m.entity.rsplit("/", 1)[-1], m.name)
                  for m in mentions)


def test_unlinked_names_are_found_as_whole_words():
    assert _short(find_mentions(_dataset())) == [
        ("a", "group:isil", "islamic state"),  # topics ("women") are common nouns, not names
        ("b", "place:aktobe", "aktobe"),  # linked to ISIL, not to Aktobe; the work's alias ranks below the label
        ("d", "event:aktobe-2016", "aktobe attacks"),  # the longer name, not "Aktobe" inside it
        ("d", "group:isil", "islamic state"),  # dash and case do not matter
    ]


def test_an_acronym_of_any_length_is_matched_only_in_capitals():
    ds = _dataset()
    ds.default_graph.parse(data=turtle_prefixes() + """
organization:core a kg:ResearchCenter ; skos:prefLabel "CORE" .
intl:osce a kg:InternationalOrganization ; skos:prefLabel "OSCE" .
finding:f a kg:Finding ; schema:description "The core of the osce argument." .
finding:g a kg:Finding ; schema:description "A CORE report, read by the OSCE." .
""", format="turtle")
    found = [m for m in _short(find_mentions(ds)) if m[0] in ("f", "g")]
    assert found == [("g", "intl:osce", "OSCE"), ("g", "organization:core", "CORE")]


def test_links_through_an_evidence_graph_count():
    ds = _dataset()
    ds.parse(data=turtle_prefixes() + "ev:d000-1-2 { finding:a kg:about group:isil . }", format="trig")
    assert ("a", "group:isil", "islamic state") not in _short(find_mentions(ds))


def test_mentions_of_the_real_graph(built):
    # what the curators have left: every one is a link to add or to mark kg:deliberatelyUnlinked
    assert all(isinstance(m, Mention) for m in built.mentions)
    assert built.mentions == sorted(set(built.mentions))
    assert not any(m.entity.startswith(ID + "topic/") for m in built.mentions)
