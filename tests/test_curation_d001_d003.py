"""Curation of documents 001-003 (issues 10 and 15): names resolve, stated links are edges, the
foreign fighters are one actor group, statuses are split, dates keep their precision, and the
conflicts within and between documents are recorded as kg:Disagreement nodes.

Every assertion names a value the documents give; the real graph is built once (tests/conftest.py).
"""

import pytest
from rdflib import URIRef

from conftest import rows
from kg.namespaces import turtle_prefixes
from kg.query import get_query, resolve_entity, run_named

ID = "https://w3id.org/kzkg/id/"
P = turtle_prefixes().replace("@prefix", "PREFIX").replace(" .\n", "\n") + """
PREFIX disagreement: <https://w3id.org/kzkg/id/disagreement/>
"""
FTF = ID + "group/kazakhstani-foreign-terrorist-fighters"


def ask(engine, text):
    return engine.query(P + text).boolean


def named(engine, name, params=None):
    result = run_named(engine, get_query(name), params or {})
    return [{k: v["value"] for k, v in row.items()} for row in result.rows]


# ---- names: every form the documents print resolves to one entity ----

@pytest.mark.parametrize("name, iri", [
    ("Obama", "person/barack-obama"),
    ("President Obama", "person/barack-obama"),
    ("Nazarbayev", "person/nursultan-nazarbayev"),
    ("Zhylanbayev", "person/marat-zhylanbayev"),
    ("Abdullah", "person/abdullah-kazakh-boy"),
    ("al-Baghdadi", "person/abu-bakr-al-baghdadi"),
    ("Financial Monitoring Agency", "agency/financial-monitoring-agency"),
    ("Ministry of Internal Affairs", "agency/ministry-of-internal-affairs"),
    ("Ministry of Culture and Information", "agency/ministry-of-culture-and-information"),
    ("Ministry of Culture and Sport", "agency/ministry-of-culture-and-sport"),
    ("Kazakh government", "agency/government-of-kazakhstan"),
    ("Kazakhstani government", "agency/government-of-kazakhstan"),
    ("Kazakhstani courts", "agency/courts-of-kazakhstan"),
    ("Security Council", "agency/security-council-of-kazakhstan"),
    ("FTFs", "group/kazakhstani-foreign-terrorist-fighters"),
    ("Kazakh foreign terrorist fighters", "group/kazakhstani-foreign-terrorist-fighters"),
    ("Kazakh fighters", "group/kazakhstani-foreign-terrorist-fighters"),
    ("Kazakhstani militants", "group/kazakhstani-foreign-terrorist-fighters"),
    ("Leaders' Summit on Countering ISIL and Violent Extremism", "event/leaders-summit-countering-isil-2015"),
    ("White House Summit on Countering Violent Extremism", "event/white-house-cve-summit-2015"),
    ("Antiterrorism Assistance program", "law/antiterrorism-assistance-program"),
    ("UNSC resolution 2396", "law/unsc-resolution-2396"),
    ("Regional Anti-Terrorism Structure", "intl/sco-regional-anti-terrorism-structure"),
    ("Collective Rapid Reaction Forces", "intl/csto-collective-rapid-reaction-forces"),
    ("Interfax, October 22, 2013", "work/d002-interfax-2013-10-22"),
    ("RFE/RL, September 12", "work/d002-rferl-2014-09-12"),
])
def test_name_forms_of_documents_001_to_003_resolve(engine, name, iri):
    assert resolve_entity(engine, name) == URIRef(ID + iri)


def test_aliases_sit_in_the_span_that_prints_them(engine):
    assert ask(engine, 'ASK { GRAPH ev:d003-352-571 { person:barack-obama skos:altLabel "Obama"@en } }')
    assert ask(engine, 'ASK { GRAPH ev:d001-1887-2108 { person:marat-zhylanbayev skos:altLabel "Zhylanbayev"@en } }')
    assert ask(engine, 'ASK { GRAPH ev:d001-3835-4083 { agency:financial-monitoring-agency skos:altLabel "Financial Monitoring Agency"@en } }')
    assert ask(engine, 'ASK { GRAPH ev:d003-2879-2993 { agency:ministry-of-internal-affairs skos:altLabel "Ministry of Internal Affairs"@en } }')


def test_misprints_are_hidden_labels_and_citations_in_text_form(engine):
    assert ask(engine, """ASK { GRAPH ev:d003-352-571 { event:leaders-summit-countering-isil-2015
        skos:hiddenLabel "Leader's Summit on Countering ISIL and Violent Extremism"@en } }""")
    assert ask(engine, 'ASK { GRAPH ev:d003-8857-9124 { intl:cis skos:hiddenLabel "Community of Independent States"@en } }')
    assert ask(engine, 'ASK { GRAPH ev:d002-1490-1728 { work:d002-interfax-2013-10-22 kg:inCitation "Interfax, October 22, 2013" } }')


# ---- links stated in the text are edges ----

def test_cft_amendments_aligned_with_fatf_and_eurasian_group(engine):
    assert ask(engine, """ASK { GRAPH ev:d003-5356-5570 { law:cft-amendments-2015 kg:alignedWith law:fatf-recommendations , intl:eurasian-group } }""")


def test_producers_of_the_videos(engine):
    assert ask(engine, "ASK { GRAPH ev:d002-3294-3481 { work:letters-from-the-epic-battlefield schema:producer group:islamic-state } }")
    assert ask(engine, "ASK { GRAPH ev:d002-439-692 { work:race-toward-good schema:producer organization:al-hayat-media-center } }")
    assert ask(engine, "ASK { GRAPH ev:d002-1729-1999 { work:tip-video-2014-12-12 schema:producer group:turkistan-islamic-party } }")


def test_who_arrested_tried_and_repatriated(engine):
    assert ask(engine, "ASK { GRAPH ev:d003-2315-2428 { event:tablighi-jamaat-arrests-2015 kg:carriedOutBy agency:government-of-kazakhstan } }")
    assert ask(engine, "ASK { GRAPH ev:d001-1887-2108 { event:zhylanbayev-arrest-2023 kg:carriedOutBy agency:courts-of-kazakhstan } }")
    assert ask(engine, "ASK { GRAPH ev:d001-2591-2681 { event:repatriations-2019-2021 kg:carriedOutBy agency:government-of-kazakhstan } }")
    assert ask(engine, "ASK { GRAPH ev:d003-7408-7523 { event:vimeo-blocking-2015 kg:carriedOutBy agency:courts-of-kazakhstan } }")


def test_cited_articles_report_their_events(engine):
    assert ask(engine, "ASK { GRAPH ev:d002-1490-1728 { work:d002-interfax-2013-10-22 kg:reportsOn event:letters-from-the-epic-battlefield-release } }")
    assert ask(engine, "ASK { GRAPH ev:d002-2000-2109 { work:d002-vestnik-kavkaza-2014-10-06 kg:reportsOn event:usman-ghazi-pledge-to-islamic-state } }")


def test_cooperation_is_with_the_us_government_not_the_country(engine):
    assert ask(engine, "ASK { GRAPH ev:d001-5742-5955 { place:kazakhstan kg:cooperatesWith agency:us-government } }")
    assert ask(engine, "ASK { GRAPH ev:d003-0-203 { agency:government-of-kazakhstan kg:cooperatesWith agency:us-government } }")
    assert not ask(engine, """ASK { GRAPH ?ev { ?x kg:cooperatesWith|kg:supports|kg:operatedBy|kg:enforcedBy place:united-states }
        ?ev kg:document/kg:documentId ?doc . FILTER(?doc IN ("001", "002", "003")) }""")


def test_programs_are_operated_not_enforced(engine):
    assert ask(engine, "ASK { GRAPH ev:d003-2995-3225 { law:antiterrorism-assistance-program kg:operatedBy agency:us-department-of-state } }")
    assert ask(engine, "ASK { GRAPH ev:d001-6313-6442 { law:usaid-regional-cve-program kg:operatedBy agency:usaid } }")
    assert not ask(engine, """ASK { GRAPH ?ev { ?p kg:enforcedBy ?x } ?p a/rdfs:subClassOf* kg:Program .
        ?ev kg:document/kg:documentId ?doc . FILTER(?doc IN ("001", "002", "003")) }""")


def test_every_kazakh_state_body_of_documents_001_to_003_is_listed_for_kazakhstan(engine):
    listed = {r["id"] for r in named(engine, "agencies", {"country": "Kazakhstan"})}
    for body in ["government-of-kazakhstan", "knb", "ministry-of-internal-affairs", "prosecutor-generals-office",
                 "courts-of-kazakhstan", "border-guard-service", "parliament-of-kazakhstan", "security-council-of-kazakhstan",
                 "financial-monitoring-agency", "ministry-of-culture-and-information", "ministry-of-culture-and-sport",
                 "committee-for-religious-affairs", "mia-special-counterterrorism-detachments",
                 "knb-special-counterterrorism-detachment", "presidential-administration"]:
        assert ID + "agency/" + body in listed, body


# ---- the foreign terrorist fighters: one actor group, one quantity ----

def test_fighter_figures_of_003_are_about_the_group_under_one_quantity(engine):
    out = rows(engine, P + """SELECT ?s ?value ?category ?by WHERE { GRAPH ?ev {
        ?s kg:quantity quantity:kazakhstanis-in-syria-and-iraq ; kg:value ?value ; kg:category ?category ;
           kg:about group:kazakhstani-foreign-terrorist-fighters ; kg:statedBy ?by }
        FILTER(STRSTARTS(STR(?ev), "https://w3id.org/kzkg/id/evidence/d003-")) }""")
    got = sorted((int(r["value"]), r["category"], r["by"].rsplit("/", 1)[1]) for r in out)
    assert got == [(150, "fighters", "nurtai-abykaev"), (200, "family members", "nurtai-abykaev"),
                   (350, "fighters and family members", "nurtai-abykaev"), (400, "fighters", "nurlan-yermekbayev")]
    assert not ask(engine, "ASK { ?s kg:quantity quantity:kazakhstani-fighters-abroad }")
    assert not ask(engine, "ASK { quantity:kazakhstani-fighters-abroad ?p ?o }")
    label = rows(engine, P + "SELECT ?l WHERE { quantity:kazakhstanis-in-syria-and-iraq skos:prefLabel ?l }")
    assert [r["l"] for r in label] == ["Kazakhstanis who went to foreign conflict zones"]


def test_where_and_for_whom_the_fighters_fight(engine):
    assert ask(engine, """ASK { GRAPH ev:d003-1127-1306 { [] rdf:subject group:kazakhstani-foreign-terrorist-fighters ;
        rdf:predicate kg:fightsIn ; rdf:object place:syria ; kg:statedBy person:nurtai-abykaev } }""")
    assert ask(engine, """ASK { GRAPH ev:d003-972-1126 { [] rdf:subject group:kazakhstani-foreign-terrorist-fighters ;
        rdf:predicate kg:fightsIn ; rdf:object place:pakistan ; kg:statedBy person:nurlan-yermekbayev } }""")
    assert ask(engine, "ASK { GRAPH ev:d002-3660-3893 { group:kazakhstani-foreign-terrorist-fighters kg:fightsIn place:iraq ; kg:fightsFor group:islamic-state } }")
    places = {r["p"] for r in rows(engine, P + "SELECT DISTINCT ?p WHERE { group:kazakhstani-foreign-terrorist-fighters kg:fightsIn ?p }")}
    assert {ID + "place/syria", ID + "place/iraq", ID + "place/afghanistan", ID + "place/pakistan"} <= places


def test_killed_share_and_repatriations_are_about_the_group(engine):
    assert ask(engine, "ASK { GRAPH ev:d002-2356-2572 { stat:d002-kazakhstani-fighters-killed-share kg:about group:kazakhstani-foreign-terrorist-fighters } }")
    assert ask(engine, "ASK { stat:d002-kazakhstani-fighters-killed-share kg:value 80 }")
    assert ask(engine, "ASK { GRAPH ev:d001-2591-2681 { stat:d001-repatriated-2019-2021 kg:about group:kazakhstani-foreign-terrorist-fighters ; kg:value 600 } }")


# ---- kg:status split ----

def test_no_deprecated_status_left_in_documents_001_to_003(engine):
    assert not ask(engine, """ASK { GRAPH ?ev { ?s kg:status ?o } ?ev kg:document/kg:documentId ?doc .
        FILTER(?doc IN ("001", "002", "003")) }""")


def test_split_statuses(engine):
    assert ask(engine, 'ASK { GRAPH ev:d003-2315-2428 { group:tablighi-jamaat kg:legalStatus "banned" } }')
    assert ask(engine, 'ASK { GRAPH ev:d001-2109-2243 { group:alga-kazakhstan kg:legalStatus "registration refused" } }')
    assert ask(engine, """ASK { GRAPH ev:d003-573-742 { [] rdf:subject group:islamic-state ; rdf:predicate kg:characterization ;
        rdf:object "dangerous terrorist organization" ; kg:statedBy agency:government-of-kazakhstan } }""")
    assert ask(engine, 'ASK { GRAPH ev:d003-1997-2074 { event:isil-designation-2015 kg:legalStatus "designated terrorist organization" } }')


# ---- dates at the text's precision ----

def test_dates_keep_time_of_day_and_qualifiers(engine):
    assert ask(engine, 'ASK { GRAPH ev:d002-104-141 { source:d002 kg:timeOfDay "17:38:00"^^xsd:time } }')
    assert ask(engine, """ASK { GRAPH ev:d002-2000-2109 { event:usman-ghazi-pledge-to-islamic-state
        kg:latestDate "2014-10-06"^^xsd:date ; kg:dateQualifier "by" } }""")
    assert ask(engine, """ASK { GRAPH ev:d003-3936-4114 { event:southern-border-security-upgrade
        kg:dateQualifier "by" ; kg:latestDate "2015-12-31"^^xsd:date } }""")
    assert ask(engine, """ASK { stat:d001-repatriated-2019-2021 schema:startDate "2019"^^xsd:gYear ;
        schema:endDate "2021"^^xsd:gYear ; kg:comparator "more than" }""")


# ---- disagreements within and between documents ----

def disagreement(engine, name):
    """Kinds, disputed nodes and spans of one recorded disagreement."""
    out = rows(engine, P + """SELECT ?d ?kind ?node ?ev WHERE { ?d a kg:Disagreement ; kg:disagreementKind ?kind ;
        kg:disputes ?node ; prov:wasDerivedFrom ?ev }""", d=URIRef(ID + "disagreement/" + name))
    short = lambda v: v.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return ({short(r["kind"]) for r in out}, {short(r["node"]) for r in out}, {short(r["ev"]) for r in out})


def test_no_official_estimate_is_a_self_contradiction_with_the_officials_figures(engine):
    kinds, nodes, spans = disagreement(engine, "d003-no-official-estimate-vs-officials-estimates")
    assert kinds == {"SelfContradiction"}
    assert {"d003-no-official-fighter-estimate", "d003-fighters-abroad-2015-07", "d003-kazakhstanis-in-syria-2015-04"} <= nodes
    assert {"d003-743-868", "d003-972-1126", "d003-1127-1306"} == spans
    assert ask(engine, "ASK { finding:d003-no-official-fighter-estimate a kg:Finding ; kg:about group:kazakhstani-foreign-terrorist-fighters }")


def test_350_in_syria_vs_400_fighting_abroad(engine):
    kinds, nodes, _ = disagreement(engine, "d003-kazakhstanis-abroad-350-vs-400")
    assert "CategoryMismatch" in kinds and nodes == {"d003-kazakhstanis-in-syria-2015-04", "d003-fighters-abroad-2015-07"}
    assert ask(engine, "ASK { stat:d003-kazakhstanis-in-syria-2015-04 kg:value 350 . stat:d003-fighters-abroad-2015-07 kg:value 400 }")


def test_rounded_entry_bans_3702_vs_3700(engine):
    kinds, nodes, _ = disagreement(engine, "d001-foreigners-refused-entry-3702-vs-3700")
    assert kinds == {"Rounding"}
    assert ask(engine, """ASK { stat:d001-foreigners-refused-entry-2023-knb kg:value 3702 .
        stat:d001-foreigners-refused-entry-2023-estimate kg:value 3700 ; kg:comparator "about" }""")


def test_cross_document_fighters_000_vs_004(engine):
    kinds, nodes, spans = disagreement(engine, "fighters-000-800-1000-vs-004-500")
    assert {"DifferentValue", "CategoryMismatch", "PeriodMismatch"} == kinds
    assert nodes == {"d000-travellers-to-syria-since-2014", "d004-kazakhstanis-in-is-2014-2016"}
    assert spans == {"d000-13101-13260", "d004-2564-2766"}
    assert ask(engine, """ASK { stat:d000-travellers-to-syria-since-2014 kg:minValue 800 ; kg:maxValue 1000 .
        stat:d004-kazakhstanis-in-is-2014-2016 kg:value 500 }""")


def test_cross_document_repatriations_595_vs_more_than_600(engine):
    kinds, nodes, _ = disagreement(engine, "repatriations-000-595-2019-vs-001-600-2019-2021")
    assert {"Rounding", "PeriodMismatch"} == kinds
    assert {"d000-zhusan-returnees-2019", "d001-repatriated-2019-2021"} <= nodes
    assert ask(engine, "ASK { stat:d000-zhusan-returnees-2019 kg:value 595 . stat:d001-repatriated-2019-2021 kg:value 600 }")


def test_cross_document_convictions_of_2015(engine):
    kinds, nodes, _ = disagreement(engine, "convictions-2015-003-71-vs-004-138-317")
    assert "CategoryMismatch" in kinds
    values = rows(engine, P + "SELECT ?v WHERE { disagreement:convictions-2015-003-71-vs-004-138-317 kg:disputes/kg:value ?v }")
    assert sorted(int(r["v"]) for r in values) == [71, 138, 317]


def test_cross_document_video_of_2013_possibly_the_same(engine):
    kinds, nodes, _ = disagreement(engine, "kazakh-is-videos-2013-000-late-vs-002-july")
    assert {"PeriodMismatch", "PossiblySameEvent"} == kinds
    assert {"is-kazakh-videos-2013", "letters-from-the-epic-battlefield-release"} <= nodes


def test_every_recorded_side_exists_with_its_span(engine):
    """Each disputed node is stated in some evidence graph and each cited span is a verified one."""
    missing = rows(engine, P + """SELECT ?d ?x WHERE { ?d a kg:Disagreement .
        FILTER(STRSTARTS(STR(?d), "https://w3id.org/kzkg/id/disagreement/"))
        { ?d kg:disputes ?x FILTER NOT EXISTS { GRAPH ?g { { ?x ?p ?o } UNION { ?s ?p ?x } } } }
        UNION { ?d prov:wasDerivedFrom ?x FILTER NOT EXISTS { ?x kg:sha256 ?h } } }""")
    assert missing == []
    count = rows(engine, P + "SELECT (COUNT(?d) AS ?n) WHERE { ?d a kg:Disagreement ; skos:editorialNote ?note ; kg:disagreementKind ?k }")
    assert int(count[0]["n"]) >= 14


def test_cross_document_status_conflicts_of_legal_acts(engine):
    kinds, nodes, spans = disagreement(engine, "citizenship-stripping-000-adopted-vs-004-proposed")
    assert kinds == {"StatusConflict"} and nodes == {"citizenship-stripping-provisions"}
    assert spans == {"d000-18693-18934", "d004-81195-81644"}
    kinds, nodes, spans = disagreement(engine, "religion-law-amendments-000-introduced-vs-004-approved")
    assert kinds == {"StatusConflict"} and spans == {"d000-20021-20228", "d004-73673-74001"}


def test_cross_document_attack_years_in_aktobe_and_almaty(engine):
    kinds, nodes, _ = disagreement(engine, "aktobe-almaty-attacks-004-2012-vs-000")
    assert kinds == {"PeriodMismatch"}
    assert {"d004-attacks-aktobe-almaty-2011-2016", "attacks-2011"} <= nodes


def test_cross_document_who_the_returnees_are(engine):
    kinds, nodes, _ = disagreement(engine, "returnees-mostly-women-children-000-vs-004-43-of-106")
    assert kinds == {"PeriodMismatch", "CategoryMismatch"}
    values = rows(engine, P + """SELECT ?v WHERE { disagreement:returnees-mostly-women-children-000-vs-004-43-of-106
        kg:disputes/kg:value ?v }""")
    assert sorted(int(r["v"]) for r in values) == [43, 106, 400]
