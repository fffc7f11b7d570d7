"""Curation of document 000 (country profile "Kazakhstan") for issues 10 and 15.

Each test asserts what the document states, on the built graph: a name form the text prints
resolves to its entity, a stated link is an edge in the evidence graph of its span, a status is
split by meaning, a date keeps its qualifier and bounds, and a conflict is a kg:Disagreement
naming both sides with its kind.
"""

import pytest

from kg.query import get_query, resolve_entity, run_named

from conftest import rows

ID = "https://w3id.org/kzkg/id/"
P = """PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
"""


def ev(span):
    return f"<{ID}evidence/{span}>"


def has(engine, span, triple):
    """Whether the evidence graph of ``span`` holds the triple pattern (prefixed names, kg:/id: IRIs)."""
    return bool(rows(engine, P + f"SELECT (1 AS ?x) WHERE {{ GRAPH {ev(span)} {{ {triple} }} }} LIMIT 1"))


def e(curie):
    kind, local = curie.split(":", 1)
    return f"<{ID}{kind}/{local}>"


# ---- names: every form the text prints resolves to one entity ----

@pytest.mark.parametrize("name, iri", [
    ("Kazakh government", "agency/government-of-kazakhstan"),
    ("Kazakh authorities", "agency/government-of-kazakhstan"),
    ("Kazakhstan's government", "agency/government-of-kazakhstan"),
    ("Chinese government", "agency/government-of-china"),
    ("Beijing", "agency/government-of-china"),
    ("National Guard", "agency/national-guard"),
    ("National Security Committee", "agency/knb"),
    ("Ministry for Religious Affairs and Civil Society", "agency/ministry-of-religious-affairs-and-civil-society"),
    ("Mazhlis", "agency/mazhilis"),
    ("Kazakh officials", "group/kazakh-officials"),
    ("Kazakh security officials", "group/kazakh-officials"),
    ("Zhusan returnees", "group/zhusan-returnees"),
    ("Aqtau", "place/aktau"),
    ("Nursultan/Astana", "place/astana"),
    ("Nur-Sultan", "place/astana"),
    ("Aktobe attacks", "event/aktobe-attacks-2016"),
    ("Almaty shooting spree", "event/almaty-attack-2016"),
    ("Taraz city attack", "event/taraz-attack-2011"),
    ("land reform protests", "event/land-reform-protests-2016"),
    ("Zhusan Program", "event/operation-zhusan"),
    ("Satybau", "person/sayragul-satybau"),
    ("Najibullah", "person/farangis-najibullah"),
    ("Alexandre Bennigsen", "person/alexandre-bennigsen"),
    ("Guardian (London)", "organization/the-guardian"),
    ("Jamestown Foundation Eurasia Daily Monitor", "work/eurasia-daily-monitor"),
    ("Najibullah, The Women Who Came Home", "work/the-women-who-came-home"),
    ("Tajikistan's civil war", "event/tajik-civil-war"),
    ("Moscow", "agency/government-of-russia"),
    ("U.S.", "place/united-states"),
    ("former Soviet Central Asia", "place/central-asia"),
    ("Kazakhstan's security forces", "agency/kazakhstan-security-forces"),
    ("Country Report on Terrorism", "work/country-reports-on-terrorism"),
])
def test_name_forms_resolve(engine, name, iri):
    assert str(resolve_entity(engine, name)) == ID + iri


def test_misprints_are_hidden_labels_in_their_spans(engine):
    assert has(engine, "d000-20639-20757", f'{e("place:kazakhstan")} skos:hiddenLabel "Kazkahstan"@en')
    assert has(engine, "d000-25069-25234", f'{e("person:alexandre-bennigsen")} skos:hiddenLabel "Alexandre Benningsen"@en')
    assert has(engine, "d000-6158-6383", f'{e("event:tajik-civil-war")} skos:hiddenLabel "Tajik civil was"@en')


def test_short_citation_of_note_38(engine):
    assert has(engine, "d000-32458-32559",
               f'{e("work:the-women-who-came-home")} kg:inCitation "Najibullah, The Women Who Came Home"')


# ---- links as edges ----

@pytest.mark.parametrize("attack", ["event:aktobe-attacks-2016", "event:almaty-attack-2016"])
def test_2016_attacks_inspired_by_islamic_state_as_stated_by_officials(engine, attack):
    """Officials linked both 2016 attacks to one cell influenced by IS propaganda (note 27)."""
    found = rows(engine, P + f"""SELECT ?who ?work WHERE {{ GRAPH {ev("d000-11755-11927")} {{
        ?st a rdf:Statement ; rdf:subject {e(attack)} ; rdf:predicate kg:inspiredBy ;
            rdf:object {e("group:islamic-state")} ; kg:statedBy ?who ; kg:citedSource ?work }} }}""")
    assert found == [{"who": ID + "group/kazakh-officials", "work": ID + "work/country-reports-on-terrorism-2016"}]
    assert has(engine, "d000-11755-11927", f'{e(attack)} kg:inspiredBy {e("group:islamic-state")}')
    assert has(engine, "d000-11755-11927", f'{e(attack)} kg:attributedTo {e("group:cell-2016-aktobe-almaty")}')


def test_aqtau_center_program_and_returnees_are_linked(engine):
    span = "d000-14696-15029"
    assert has(engine, span, f'{e("organization:aktau-deradicalization-center")} kg:partOfProgram {e("law:returnee-rehabilitation-program")}')
    assert has(engine, span, f'{e("law:returnee-rehabilitation-program")} kg:operatedBy {e("agency:government-of-kazakhstan")}')
    assert has(engine, span, f'{e("group:zhusan-returnees")} kg:placedIn {e("organization:aktau-deradicalization-center")}')
    assert has(engine, span, f'{e("event:zhusan-returnee-trials")} kg:defendant {e("group:zhusan-returnees")}')
    assert has(engine, span, f'{e("group:zhusan-returnees")} a kg:ActorGroup')
    assert has(engine, "d000-14568-14693", f'{e("stat:d000-zhusan-returnees-2019")} kg:about {e("group:zhusan-returnees")} ; kg:value 595')
    running = P + f"""SELECT ?a WHERE {{ GRAPH ?g {{ {e('law:returnee-rehabilitation-program')} kg:enforcedBy ?a }}
        FILTER(STRSTARTS(STR(?g), "{ID}evidence/d000-")) }}"""
    assert not rows(engine, running)  # running a program is kg:operatedBy, not kg:enforcedBy


def test_note_33_reports_the_2016_attack(engine):
    assert has(engine, "d000-30880-31093",
               f'{e("work:suspected-islamist-militants-kill-at-least-five")} kg:reportsOn {e("event:almaty-attack-2016")}')


@pytest.mark.parametrize("span, work, prop, who", [
    ("d000-24896-25067", "work:after-aktobe-attacks-many-questions-remain", "schema:author", "person:catherine-putz"),
    ("d000-24896-25067", "work:after-aktobe-attacks-many-questions-remain", "schema:publisher", "organization:the-diplomat"),
    ("d000-31095-31812", "work:security-forces-charge-returnees-from-syria", "schema:author", "person:gaukhar-erubaeva"),
    ("d000-31095-31812", "work:security-forces-charge-returnees-from-syria", "schema:publisher", "organization:caspian-news"),
    ("d000-26221-26423", "work:unsc-sanctions-summary-imu", "schema:publisher", "intl:un-security-council"),
    ("d000-32561-32712", "work:world-factbook-kazakhstan", "schema:publisher", "agency:cia"),
    ("d000-33667-33926", "work:hijab-debate-intensifies", "schema:author", "person:zhanagul-zhursin"),
])
def test_cited_works_have_authors_and_publishers(engine, span, work, prop, who):
    assert has(engine, span, f"{e(work)} {prop} {e(who)}")


@pytest.mark.parametrize("span, event, agency", [
    ("d000-31095-31812", "event:syria-returnees-charged-2019", "agency:kazakhstan-security-forces"),
    ("d000-24266-24554", "event:satybau-case", "agency:courts-of-kazakhstan"),
    ("d000-14425-14567", "event:operation-zhusan", "agency:government-of-kazakhstan"),
    ("d000-10812-11105", "event:blocking-of-is-children-video-2014", "agency:government-of-kazakhstan"),
])
def test_who_carried_out_arrests_trials_and_repatriations(engine, span, event, agency):
    assert has(engine, span, f"{e(event)} kg:carriedOutBy {e(agency)}")


def test_special_forces_cooperate_with_agencies_not_countries(engine):
    partners = {r["p"] for r in rows(engine, P + f"SELECT ?p WHERE {{ {e('agency:kazakhstan-special-forces')} kg:cooperatesWith ?p }}")}
    assert partners == {ID + "agency/us-government", ID + "agency/government-of-russia",
                        ID + "agency/government-of-china", ID + "agency/government-of-israel"}


def test_agents_are_agencies_not_countries(engine):
    """A country named as actor (adopting, attributing, stating, taking part) is its state body."""
    assert has(engine, "d000-18576-18692", f'{e("law:aml-cft-legislation-2009")} kg:adoptedBy {e("agency:government-of-kazakhstan")}')
    assert has(engine, "d000-18938-19209", f'{e("event:sco-csto-joint-ct-exercises")} kg:participant {e("agency:kazakhstan-security-forces")}')
    assert has(engine, "d000-30188-30386", f'{e("event:bomb-plot-2020")} kg:attributedBy {e("agency:government-of-kazakhstan")}')
    assert has(engine, "d000-30880-31093", f'{e("stat:d000-n33-police-killed")} kg:statedBy {e("agency:government-of-kazakhstan")}')
    countries = rows(engine, P + """SELECT ?s ?p ?c WHERE { GRAPH ?g { ?s ?p ?c }
        VALUES ?p { kg:adoptedBy kg:attributedBy kg:statedBy kg:cooperatesWith kg:participant kg:carriedOutBy }
        ?c a kg:Country . FILTER(STRSTARTS(STR(?g), "https://w3id.org/kzkg/id/evidence/d000-")) }""")
    assert countries == []


def test_kazakh_bodies_of_document_000_reach_kazakhstan(engine):
    result = run_named(engine, get_query("agencies"), {"country": "Kazakhstan"})
    ids = {r["id"]["value"] for r in result.rows}
    for agency in ("government-of-kazakhstan", "knb", "knb-aktobe-branch", "national-guard", "courts-of-kazakhstan",
                   "parliament-of-kazakhstan", "mazhilis", "ministry-of-religious-affairs-and-civil-society",
                   "presidential-administration", "kazakhstan-special-forces"):
        assert ID + "agency/" + agency in ids, agency


def test_fighter_figures_are_about_the_foreign_fighters_group(engine):
    by_2016 = rows(engine, P + f"""SELECT ?place WHERE {{ GRAPH {ev("d000-18693-18934")} {{
        {e("stat:d000-travellers-to-iraq-syria-by-2016")} kg:about {e("group:kazakhstani-foreign-terrorist-fighters")} ;
            kg:quantity {e("quantity:kazakhstanis-in-syria-and-iraq")} ; kg:minValue 200 ; kg:refArea ?place }} }}""")
    assert {r["place"] for r in by_2016} == {ID + "place/iraq", ID + "place/syria"}
    span = "d000-13101-13260"
    assert has(engine, span, f'{e("stat:d000-travellers-to-syria-since-2014")} kg:about {e("group:kazakhstani-foreign-terrorist-fighters")} ; kg:minValue 800 ; kg:maxValue 1000')
    assert has(engine, span, f'{e("group:kazakhstani-foreign-terrorist-fighters")} kg:fightsIn {e("place:syria")} ; kg:fightsFor {e("group:islamic-state")}')


# ---- kg:status split by meaning ----

def test_no_deprecated_status_left_in_document_000(engine):
    assert not rows(engine, P + 'SELECT ?s WHERE { GRAPH ?g { ?s kg:status ?v } FILTER(STRSTARTS(STR(?g), "https://w3id.org/kzkg/id/evidence/d000-")) }')


@pytest.mark.parametrize("span, triple", [
    ("d000-5347-5392", 'event:hizb-ut-tahrir-ban-2005 kg:legalStatus "banned"'),
    ("d000-12251-12385", 'law:land-tenure-changes-2016 kg:adoptionStatus "proposed"'),
    ("d000-18421-18575", 'law:proposed-counterterrorism-statutes kg:adoptionStatus "not adopted"'),
    ("d000-21376-21756", 'law:national-deradicalization-program kg:adoptionStatus "underway"'),
    ("d000-5507-5725", 'group:hizb-ut-tahrir kg:operationalStatus "defunct"'),
    ("d000-18119-18233", 'law:counterterrorism-legislation-from-2008 kg:adoptionStatus "underway"'),
])
def test_status_split(engine, span, triple):
    subject, rest = triple.split(" ", 1)
    assert has(engine, span, f"{e(subject)} {rest}")


# ---- dates at the text's precision ----

def test_late_2013_has_qualifier_and_bounds(engine):
    found = rows(engine, P + f"""SELECT ?d ?q ?lo ?hi WHERE {{ GRAPH {ev("d000-10059-10148")} {{
        {e("event:is-kazakh-videos-2013")} kg:date ?d ; kg:dateQualifier ?q ; kg:earliestDate ?lo ; kg:latestDate ?hi }} }}""")
    assert found == [{"d": "2013", "q": "late", "lo": "2013-09-01", "hi": "2013-12-31"}]


def test_event_reported_by_an_article_is_dated_by_it(engine):
    found = rows(engine, P + f"""SELECT ?d ?q ?hi WHERE {{ GRAPH {ev("d000-29383-29551")} {{
        {e("event:almaty-shooting-trial-2016")} kg:date ?d ; kg:dateQualifier ?q ; kg:latestDate ?hi }} }}""")
    assert found == [{"d": "2016", "q": "by", "hi": "2016-10-28"}]


def test_by_1998_keeps_its_qualifier(engine):
    found = rows(engine, P + f"""SELECT ?q ?hi WHERE {{ GRAPH {ev("d000-4882-5150")} {{
        ?st rdf:subject {e("group:hizb-ut-tahrir")} ; rdf:predicate kg:basedIn ; kg:date "1998"^^<http://www.w3.org/2001/XMLSchema#gYear> ;
            kg:dateQualifier ?q ; kg:latestDate ?hi }} }}""")
    assert found == [{"q": "by", "hi": "1998-12-31"}]


# ---- disagreements ----

def disagreement(engine, slug):
    iri = f"<{ID}disagreement/{slug}>"
    kinds = {r["k"].rsplit("#", 1)[1] for r in rows(engine, P + f"SELECT ?k WHERE {{ {iri} a kg:Disagreement ; kg:disagreementKind ?k }}")}
    sides = {r["x"][len(ID):] for r in rows(engine, P + f"SELECT ?x WHERE {{ {iri} kg:disputes ?x }}")}
    spans = {r["x"][len(ID) + len("evidence/"):] for r in rows(engine, P + f"SELECT ?x WHERE {{ {iri} prov:wasDerivedFrom ?x }}")}
    return kinds, sides, spans


def test_2020_attack_contradicts_its_cited_2016_article(engine):
    kinds, sides, spans = disagreement(engine, "d000-almaty-attack-2020-vs-2016")
    assert kinds == {"CitedSourceContradiction", "PossiblySameEvent"}
    assert {"event/almaty-attack-2020", "event/almaty-attack-2016"} <= sides
    assert {"d000-13030-13098", "d000-30880-31093"} <= spans
    dates = rows(engine, P + f"SELECT ?d WHERE {{ {e('event:almaty-attack-2020')} kg:date ?d }}")
    assert dates == [{"d": "2020-07"}]  # the document's claim stays
    published = rows(engine, P + f"SELECT ?d WHERE {{ {e('work:suspected-islamist-militants-kill-at-least-five')} schema:datePublished ?d }}")
    assert published == [{"d": "2016-07-18"}]


def test_no_violence_since_2016_is_a_finding_disputed_by_2020(engine):
    assert has(engine, "d000-3920-4012", f'{e("finding:d000-no-islamist-violence-since-2016")} a kg:Finding ; kg:dateQualifier "since"')
    kinds, sides, spans = disagreement(engine, "d000-no-violence-since-2016")
    assert kinds == {"SelfContradiction"}
    assert {"finding/d000-no-islamist-violence-since-2016", "event/almaty-attack-2020", "event/bomb-plot-2020"} <= sides
    assert {"d000-3920-4012", "d000-13030-13098"} <= spans


def test_2000_shooting_disagrees_with_note_1(engine):
    kinds, sides, _ = disagreement(engine, "d000-almaty-shooting-2000-vs-note-1")
    assert "CitedSourceContradiction" in kinds
    values = {r["s"][len(ID):]: r["v"] for r in rows(engine, P + f"""SELECT ?s ?v WHERE {{
        <{ID}disagreement/d000-almaty-shooting-2000-vs-note-1> kg:disputes ?s . ?s kg:value ?v }}""")}
    assert values == {"stat/d000-almaty-2000-police-killed": "2", "stat/d000-n1-chinese-killed": "4"}


def test_almaty_2016_casualties_rounding(engine):
    kinds, sides, _ = disagreement(engine, "d000-almaty-2016-casualties")
    assert kinds == {"DifferentValue", "Rounding"}
    bounds = rows(engine, P + f"SELECT ?v ?c WHERE {{ {e('stat:d000-n33-killed-at-least-five')} kg:value ?v ; kg:comparator ?c }}")
    assert bounds == [{"v": "5", "c": "at least"}]
    assert {"stat/d000-almaty-2016-police-killed", "stat/d000-n33-police-killed"} <= sides


@pytest.mark.parametrize("slug, kind", [
    ("d000-note-28-date", "PeriodMismatch"),
    ("d000-note-32-crt-2018-date", "PeriodMismatch"),
    ("d000-hut-2014-arrests-vs-sentencing", "CitedSourceContradiction"),
    ("d000-aktobe-2016-target", "CategoryMismatch"),
    ("d000-aktobe-bombing-2011-attribution", "CitedSourceContradiction"),
    ("d000-boralday-vs-note-20-taraz", "CitedSourceContradiction"),
    ("d000-attacks-2016-place", "SelfContradiction"),
    ("d000-ct-legislation-status", "StatusConflict"),
])
def test_curators_remarks_are_disagreements(engine, slug, kind):
    kinds, sides, spans = disagreement(engine, slug)
    assert kind in kinds and sides and spans
