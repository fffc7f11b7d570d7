"""Exact facts from each document, read back from the built graph (issues 3, 4 and 5)."""

import pytest

from conftest import rows

P = open(__file__.replace("test_content.py", "../queries/coverage-classes.rq")).read().split("SELECT")[0]
P = "\n".join(line for line in P.splitlines() if line.startswith("PREFIX"))


def stat(engine, quantity, doc, **where):
    """Values of statistics of one quantity stated in one document, with their qualifiers."""
    q = P + """
    SELECT ?s ?value ?category ?period ?statedBy ?about ?q ?doc WHERE {
      GRAPH ?ev { ?s kg:quantity ?q ; kg:value ?value }
      ?ev kg:document/kg:documentId ?doc .
      OPTIONAL { ?s kg:category ?category } OPTIONAL { ?s kg:period ?period }
      OPTIONAL { ?s kg:statedBy ?statedBy } OPTIONAL { ?s kg:about ?about }
    }"""
    from rdflib import Literal, URIRef

    out = rows(engine, q, q=URIRef("https://w3id.org/kzkg/id/quantity/" + quantity), doc=Literal(doc))
    for key, value in where.items():
        out = [r for r in out if r.get(key, "").endswith(value) or r.get(key) == value]
    # one value per statistic, however many entities it is about
    return sorted(float(r["value"]) for r in {r["s"]: r for r in out}.values())


def one(engine, text):
    out = rows(engine, P + text)
    assert out, text
    return out


# ---- document 003: Country Reports on Terrorism 2015 ----

def test_003_courts_designated_isil_on_15_october_2015(engine):
    r = one(engine, """SELECT ?date ?by WHERE { ?d a kg:Designation ; kg:designatedGroup <https://w3id.org/kzkg/id/group/islamic-state> ;
        kg:date ?date ; kg:designatedBy ?by . FILTER(STR(?date) = "2015-10-15") }""")
    assert r[0]["by"].endswith("agency/courts-of-kazakhstan")


def test_003_who_stated_each_estimate_of_kazakhstanis_abroad(engine):
    # quantity:kazakhstani-fighters-abroad is retired (issue 10): its figures are category "fighters"
    assert stat(engine, "kazakhstanis-in-syria-and-iraq", "003", statedBy="person/nurtai-abykaev") == [150, 200, 350]
    assert stat(engine, "kazakhstanis-in-syria-and-iraq", "003", statedBy="person/nurtai-abykaev", category="fighters") == [150]
    assert stat(engine, "kazakhstanis-in-syria-and-iraq", "003", statedBy="person/nurlan-yermekbayev", category="fighters") == [400]


def test_003_figures_of_2015(engine):
    assert stat(engine, "extremism-terrorism-criminal-cases", "003") == [280]
    assert stat(engine, "terrorism-extremism-convictions", "003") == [71]
    assert stat(engine, "people-charged-participation-foreign-armed-conflicts", "003") == [13]
    assert stat(engine, "websites-blocked", "003") == [700]


def test_003_border_guard_service_is_part_of_the_knb(engine):
    assert engine.query(P + " ASK { <https://w3id.org/kzkg/id/agency/border-guard-service> org:subOrganizationOf <https://w3id.org/kzkg/id/agency/knb> }").boolean


def test_003_and_001_name_the_same_knb(engine):
    docs = {r["doc"] for r in rows(engine, P + """SELECT DISTINCT ?doc WHERE { GRAPH ?ev { { <https://w3id.org/kzkg/id/agency/knb> ?p ?o } UNION { ?s ?p <https://w3id.org/kzkg/id/agency/knb> } }
        ?ev kg:document/kg:documentId ?doc }""")}
    assert {"001", "003"} <= docs


# ---- document 001: Country Reports on Terrorism 2023 ----

def test_001_figures_of_2023(engine):
    assert stat(engine, "terrorist-attacks-prevented", "001") == [2]
    assert stat(engine, "foreigners-deported-radical-views", "001") == [19]
    assert stat(engine, "foreigners-refused-entry-terrorism-extremism", "001") == [3700, 3702]
    assert stat(engine, "terrorism-extremism-convictions", "001") == [128]
    assert stat(engine, "websites-identified-extremist", "001") == [26000]
    assert stat(engine, "links-blocked-extremist-content", "001") == [17000]
    assert stat(engine, "nationals-repatriated", "001") == [5, 600]
    assert stat(engine, "terrorist-financing-criminal-cases", "001") == [8]


# ---- document 002: Eurasia Daily Monitor, December 2014 ----

def test_002_videos_and_estimate(engine):
    assert stat(engine, "share-of-kazakhstani-fighters-in-syria-killed", "002",
                statedBy="agency/committee-for-religious-affairs") == [80]
    assert stat(engine, "kazakhstanis-shown-in-jihadist-video", "002") == [10, 30, 150]
    r = one(engine, """SELECT ?date WHERE { ?r kg:released ?w . ?w skos:prefLabel ?l . ?r kg:date ?date .
        FILTER(CONTAINS(LCASE(?l), "dabiq")) }""")
    assert r[0]["date"] == "2014-11-22"


# ---- document 000: country profile, August 2021 ----

def test_000_aktobe_2016_casualties_by_category(engine):
    assert stat(engine, "people-killed-in-attacks", "000", about="event/aktobe-attacks-2016", category="civilians") == [3]
    assert stat(engine, "people-killed-in-attacks", "000", about="event/aktobe-attacks-2016",
                category="National Guard officers") == [3]
    # the body says eight police officers; the web address of the work its note 33 cites says two: both stay
    assert stat(engine, "people-killed-in-attacks", "000", about="event/almaty-attack-2016", category="police officers") == [2, 8]


def test_000_zhusan_returnees_and_children(engine):
    assert 595 in stat(engine, "nationals-repatriated", "000", about="event/operation-zhusan")
    assert stat(engine, "nationals-repatriated", "000", about="event/operation-zhusan", category="children") == [400]


def test_000_groups(engine):
    r = one(engine, """SELECT ?date WHERE { ?d kg:designatedGroup <https://w3id.org/kzkg/id/group/hizb-ut-tahrir> ; kg:date ?date }""")
    assert "2005" in {x["date"] for x in r}
    assert stat(engine, "imu-militants", "000") == [3000]
    one(engine, """SELECT ?q WHERE { ?q rdf:subject <https://w3id.org/kzkg/id/group/islamic-movement-of-uzbekistan> ;
        rdf:predicate kg:absorbedInto ; kg:date ?d . FILTER(STR(?d) = "2015") }""")


def test_000_has_49_notes_each_citing_a_work_or_a_remark(engine):
    r = rows(engine, P + """SELECT ?n (COUNT(?w) AS ?works) (SAMPLE(?rem) AS ?remark) WHERE {
        ?note kg:inDocument <https://w3id.org/kzkg/id/source/d000> ; kg:noteNumber ?n .
        OPTIONAL { ?note kg:citesWork ?w } OPTIONAL { ?note kg:isRemark ?rem } } GROUP BY ?n""")
    assert sorted(int(x["n"]) for x in r) == list(range(1, 50))
    assert all(int(x["works"]) > 0 or x.get("remark") == "true" for x in r)
    ibid = rows(engine, P + """SELECT ?w47 ?w48 WHERE { <https://w3id.org/kzkg/id/note/d000-47> kg:citesWork ?w47 .
        <https://w3id.org/kzkg/id/note/d000-48> kg:citesWork ?w48 }""")
    assert any(x["w47"] == x["w48"] for x in ibid)


def test_000_body_statements_are_linked_to_their_notes(engine):
    r = rows(engine, P + "SELECT (COUNT(DISTINCT ?n) AS ?notes) WHERE { ?ev kg:note ?n ; kg:document/kg:documentId \"000\" }")
    assert int(r[0]["notes"]) == 49


# ---- document 004: the thesis on deradicalization of women ----

def test_004_program_budgets_by_year_and_level(engine):
    q = P + """SELECT ?value ?category ?period ?start ?q WHERE {
      GRAPH ?ev { ?s kg:quantity ?q ; kg:value ?value ; kg:category ?category }
      ?ev kg:document/kg:documentId "004" .
      OPTIONAL { ?s kg:period ?period } OPTIONAL { ?s schema:startDate ?start } }"""
    from rdflib import URIRef

    got = {(r.get("period") or "", r.get("start") or "", r["category"], float(r["value"]))
           for r in rows(engine, q, q=URIRef("https://w3id.org/kzkg/id/quantity/program-budget"))}
    # Table 4 (2013-2017 program, thousand tenge) and Table 5 (2018-2022 program)
    assert ("2013", "", "central budget", 1602145) in got
    assert ("2013", "", "local budget", 14584767.5) in got
    assert ("2016", "", "total budget", 21111764) in got
    assert ("", "2013", "total budget", 103176375) in got
    assert ("2018", "", "central budget", 52306.6) in got
    assert ("2022", "", "local budget", 4332.4) in got
    # the text's rounded figures stay beside the table's
    assert ("", "2018", "central budget", 209.3) in got and ("", "2018", "central budget", 209361.3) in got


def test_004_sentences_and_women_by_year(engine):
    women = stat(engine, "terrorism-extremism-convictions", "004", category="women", period="2016")
    total = stat(engine, "terrorism-extremism-convictions", "004", category="all sentenced", period="2016")
    assert women == [16] and total == [229]
    assert stat(engine, "terrorism-extremism-convictions", "004", category="all sentenced", period="2013") == [89]
    # the share of women in 2017: 5.6 percent in chapter 1, 7.5 percent in chapter 6; both stay
    shares_2017 = set(stat(engine, "women-share-of-terrorism-extremism-convictions", "004", period="2017"))
    assert {5.6, 7.5} <= shares_2017


def test_004_contradictory_claims_of_ak_niet(engine):
    assert {10, 345} <= set(stat(engine, "people-deradicalized", "004", period="2015"))


def test_004_centers_called_and_reachable(engine):
    assert 18 in stat(engine, "rehabilitation-centers-contacted-by-author", "004")
    assert 6 in stat(engine, "rehabilitation-centers-reachable", "004")


def test_004_women_with_the_islamic_state(engine):
    values = stat(engine, "kazakhstanis-in-syria-and-iraq", "004", category="women")
    assert 170 in values


def test_004_shared_entities_have_one_iri(engine):
    for iri in ("agency/knb", "place/aktobe", "place/almaty"):
        docs = {r["doc"] for r in rows(engine, P + f"""SELECT DISTINCT ?doc WHERE {{
            GRAPH ?ev {{ {{ <https://w3id.org/kzkg/id/{iri}> ?p ?o }} UNION {{ ?s ?p <https://w3id.org/kzkg/id/{iri}> }} }}
            ?ev kg:document/kg:documentId ?doc }}""")}
        assert "004" in docs and len(docs) >= 2, iri
    r = one(engine, """SELECT ?m WHERE { ?m a kg:StateAgency ; skos:prefLabel ?l .
        FILTER(CONTAINS(LCASE(?l), "religious affairs and civil society")) }""")
    assert len(r) == 1


def test_004_findings_are_recorded(engine):
    r = one(engine, "SELECT (COUNT(?f) AS ?n) WHERE { <https://w3id.org/kzkg/id/source/d004> kg:finding ?f }")
    assert int(r[0]["n"]) >= 50
