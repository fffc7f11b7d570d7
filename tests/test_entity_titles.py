"""Entity pages and cards say each thing once: no entity listed as its own alias (in the site, in
``kg show`` and in network tooltips), no title that says a statistic's value or a finding's words twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import network
from kg.search import normalise
from kg.sitedata import distinct_aliases, load_model
from kg.sitepages import Context, Passages, entity_view, title

ISLAMIC_STATE = "https://w3id.org/kzkg/id/group/islamic-state"


@pytest.fixture(scope="module")
def model(engine):
    return load_model(engine)


def test_distinct_aliases_drops_the_label_and_repeats_as_the_search_compares_names():
    assert distinct_aliases("Islamic State", ["ISIL", "islamic  state", "Islamic State", "ISIL", "Isil", "IS"]) == \
        ["ISIL", "IS"]
    assert distinct_aliases("Nur-Sultan", ["Nur Sultan", "Astana", "ASTANA"]) == ["Astana"]
    assert distinct_aliases("KNB", []) == []


def test_no_entity_is_its_own_alias(model, engine):
    for iri, aliases in model.aliases.items():
        keys = [normalise(a) for a in aliases]
        assert normalise(model.label(iri)) not in keys, (iri, aliases)
        assert len(keys) == len(set(keys)), (iri, aliases)
    assert "Islamic State" not in model.aliases[ISLAMIC_STATE] and "ISIL" in model.aliases[ISLAMIC_STATE]
    for _, data in network.project(engine, "actor").nodes(data=True):
        assert normalise(data["label"]) not in {normalise(a) for a in data["aliases"]}, data["label"]


def test_kg_show_does_not_list_the_name_among_the_aliases(engine):
    from kg.showcard import entity_card

    card = entity_card(engine, ISLAMIC_STATE, width=2000)
    also = next(line for line in card.splitlines() if line.startswith("Also called: "))
    names = also[len("Also called: "):].split("; ")
    assert "ISIL" in names and "Islamic State" not in names


def test_title_says_a_value_once():
    assert title("People killed in an attack: 3 people (civilians; 2016-06, Aktobe)", "3") == \
        "People killed in an attack: 3 people (civilians; 2016-06, Aktobe)"
    assert title("Fighters: roughly 800-1000 people (Syria)", "roughly 800–1000") == "Fighters: roughly 800-1000 people (Syria)"
    assert title("No figures exist on the number of…", "No figures exist on the number of women.") == \
        "No figures exist on the number of women."
    assert title("People killed: 30 people", "3") == "People killed: 30 people: 3"


def test_statistics_and_findings_of_the_islamic_state_say_their_values_once(model):
    e = entity_view(Context(model, None, Path("."), Passages(None), []), ISLAMIC_STATE)
    sides = [side["value"]["text"] for d in e["disputes"] for side in d["sides"]]
    assert sides
    for text in sides + [f["value"]["text"] for f in e["findings"]]:
        head, _, tail = text.rpartition(": ")
        assert not head or normalise(tail) not in normalise(head), text
    for row in e["statistics"]:
        assert row["value"] and normalise(row["value"]) not in normalise(row["stat"]["text"]), row["stat"]["text"]
