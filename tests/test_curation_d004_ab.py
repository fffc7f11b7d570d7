"""Curation of document 004, first half (abstract and chapters 1-5; issues 10 and 15), read back
from the built graph: name forms resolve, stated links are edges in the span that states them,
the deprecated kg:status is split, dates keep the text's precision, and conflicts are recorded."""

import pytest
from rdflib import Literal, Namespace, URIRef

from conftest import rows
from kg.query import resolve_entity

ID = "https://w3id.org/kzkg/id/"
KG = Namespace("https://w3id.org/kzkg/ontology#")
SCHEMA = Namespace("https://schema.org/")
P = open(__file__.replace("test_curation_d004_ab.py", "../queries/coverage-classes.rq")).read().split("SELECT")[0]
P = "\n".join(line for line in P.splitlines() if line.startswith("PREFIX"))


def iri(short):
    return URIRef(ID + short)


def in_span(engine, span, s, p, o):
    """True when the triple (s, p, o) is stated in the evidence graph ev:d004-<span>."""
    ask = P + "ASK { GRAPH ?ev { ?s ?p ?o } }"
    ev = URIRef(ID + "evidence/d004-" + span)
    return engine.query(ask, {"ev": ev, "s": s, "p": p, "o": o}).boolean


# ---- names the thesis uses resolve to one entity ----

@pytest.mark.parametrize("name, entity", [
    ("Duvanova 2016", "work/duvanova-2016"),
    ("Kassenova 2018", "work/kassenova-2018"),
    ("Zakon.kz 2018", "work/zakon-kz-2018"),
    ("Caravanserai 2017", "work/caravanserai-2017"),
    ("Heathershaw and Montgomery 2014", "work/heathershaw-montgomery-2014"),
    ("Horgan & Braddock 2010", "work/horgan-braddock-2010"),
    ("RAND 2010", "work/rabasa-2010"),
    ("Committee of National Security 2013", "work/knb-2013"),
    ("Salomon 2002", "work/salamon-2002"),  # the thesis's misspelling, a hidden label
    ("Abdirassylkyzy", "person/ainur-abdirassylkyzy"),
    ("Orazbayeva", "person/gulnar-orazbayeva"),
    ("Bazarbayeva", "person/assel-bazarbayeva"),
    ("President Nazarbayev", "person/nursultan-nazarbayev"),
    ("Duvanova", "person/duvanova"),
    ("Ministry of Internal Affairs", "agency/ministry-of-internal-affairs"),
    ("Kazakhstani government", "agency/government-of-kazakhstan"),
    ("Kazakhstan's Security Council", "agency/security-council-of-kazakhstan"),
    ("Law On Freedom of Conscience and Religious Associations",
     "law/law-on-freedom-of-conscience-and-religious-associations"),
    ("Hedayah center", "organization/hedayah"),
])
def test_name_forms_resolve(engine, name, entity):
    if name == "Salomon 2002":
        # hidden labels are for search; the exact resolver reads pref and alt labels only
        r = rows(engine, P + 'SELECT ?e WHERE { ?e skos:hiddenLabel "Salomon 2002"@en }')
        assert [x["e"] for x in r] == [ID + entity]
        return
    assert resolve_entity(engine, name) == iri(entity)


def test_in_text_citation_and_author_of_duvanova_2016(engine):
    work = iri("work/duvanova-2016")
    assert in_span(engine, "19905-20086", work, KG.inCitation, Literal("Duvanova 2016"))
    assert in_span(engine, "19905-20086", work, SCHEMA.author, iri("person/duvanova"))


def test_two_authors_of_horgan_and_braddock(engine):
    r = rows(engine, P + "SELECT ?a WHERE { <%swork/horgan-braddock-2010> schema:author ?a }" % ID)
    assert sorted(x["a"] for x in r) == [ID + "person/braddock", ID + "person/horgan"]


def test_every_cited_work_of_the_first_half_has_an_author_or_publisher(engine):
    r = rows(engine, P + """SELECT DISTINCT ?w WHERE {
        GRAPH ?ev { ?w a kg:CitedWork } ?ev kg:document/kg:documentId "004" .
        FILTER(STRSTARTS(STR(?ev), "https://w3id.org/kzkg/id/evidence/d004-"))
        BIND(xsd:integer(STRBEFORE(STRAFTER(STR(?ev), "evidence/d004-"), "-")) AS ?start)
        FILTER(?start < 103550)
        FILTER NOT EXISTS { ?w schema:author|schema:publisher ?who } }""")
    assert [x["w"] for x in r] == []


@pytest.mark.parametrize("agency", [
    "government-of-kazakhstan", "ministry-of-internal-affairs", "ministry-of-religious-affairs-and-civil-society",
    "knb", "akimats", "maslikhats", "security-council-of-kazakhstan", "prosecutor-generals-office",
    "courts-of-kazakhstan", "mazhilis", "committee-for-religious-affairs", "local-police", "parliament-of-kazakhstan",
    "presidential-administration", "assembly-of-people-of-kazakhstan", "ministry-of-information-and-communication",
    "akimat-of-almaty",
])
def test_kazakh_state_bodies_reach_kazakhstan(engine, agency):
    result = engine.query(P + """ASK {
        ?a org:subOrganizationOf*/(kg:basedIn|kg:activeIn|kg:appliesTo)/schema:containedInPlace* ?k }""",
                          {"a": iri("agency/" + agency), "k": iri("place/kazakhstan")})
    assert result.boolean


# ---- stated links are edges ----

def test_kazakhstanis_with_the_islamic_state_are_about_the_fighters_group(engine):
    r = rows(engine, P + """SELECT ?v ?cat WHERE { ?s kg:about <%sgroup/kazakhstani-foreign-terrorist-fighters> ;
        kg:quantity <%squantity/kazakhstanis-in-syria-and-iraq> ; kg:value ?v ; kg:category ?cat .
        FILTER(STRSTARTS(STR(?s), "%sstat/d004-")) }""" % (ID, ID, ID))
    assert sorted((float(x["v"]), x["cat"]) for x in r) == [
        (170.0, "women"), (200.0, "women"), (500.0, "Kazakhstani citizens affiliated with the Islamic State")]
    fighters = iri("group/kazakhstani-foreign-terrorist-fighters")
    assert in_span(engine, "2564-2766", fighters, KG.fightsFor, iri("group/islamic-state"))
    assert in_span(engine, "337-584", fighters, KG.fightsIn, iri("place/syria"))


def test_salafi_and_radical_followers_are_one_quantity(engine):
    r = rows(engine, P + """SELECT ?s ?v WHERE {
        GRAPH ?ev { ?s kg:quantity <%squantity/salafi-followers-in-kazakhstan> ; kg:value ?v }
        ?ev kg:document/kg:documentId "004" }""" % ID)
    values = sorted(float(x["v"]) for x in r)
    assert values == [495.0, 15000.0, 19000.0, 19000.0]
    assert not rows(engine, P + "SELECT ?s WHERE { ?s kg:quantity <%squantity/radical-religious-followers> }" % ID)


def test_program_links(engine):
    hotline, law13, law18 = (iri("organization/hotline-114"), iri("law/state-program-religious-extremism-2013-2017"),
                             iri("law/state-program-religious-extremism-2018-2022"))
    assert in_span(engine, "81957-82187", hotline, KG.partOfProgram, law13)
    assert in_span(engine, "84523-84786", hotline, KG.partOfProgram, law18)
    assert in_span(engine, "83185-83405", law18, KG.inspiredBy, iri("organization/hedayah"))
    assert in_span(engine, "4081-4313", law13, KG.operatedBy, iri("agency/government-of-kazakhstan"))
    assert in_span(engine, "71755-72015", iri("law/d004-police-monitoring-of-salafis"), KG.operatedBy,
                   iri("agency/local-police"))
    # in the first half (characters up to 103550) no program is "enforced"; programs are operated
    assert not rows(engine, P + """SELECT ?x WHERE { GRAPH ?ev { ?x kg:enforcedBy ?y } ?x a kg:Program .
        FILTER(STRSTARTS(STR(?ev), "%sevidence/d004-"))
        FILTER(xsd:integer(STRBEFORE(STRAFTER(STR(?ev), "evidence/d004-"), "-")) < 103550) }""" % ID)


def test_media_stories_report_on_people_and_events(engine):
    assert in_span(engine, "49887-50223", iri("work/tengrinewstv-2017"), KG.reportsOn,
                   iri("event/d004-bazarbayeva-address-2017"))
    assert in_span(engine, "46431-46594", iri("work/kazakhstanskaya-pravda-2015"), KG.reportsOn,
                   iri("organization/ak-niet"))
    assert in_span(engine, "48260-48426", iri("event/d004-website-blocking-2017"), KG.carriedOutBy,
                   iri("agency/ministry-of-information-and-communication"))


# ---- kg:status split by meaning ----

def test_no_status_left_in_the_first_half(engine):
    assert not rows(engine, P + """SELECT ?s WHERE { GRAPH ?ev { ?s kg:status ?v }
        FILTER(STRSTARTS(STR(?ev), "%sevidence/d004-"))
        FILTER(xsd:integer(STRBEFORE(STRAFTER(STR(?ev), "evidence/d004-"), "-")) < 103550) }""" % ID)


def test_split_status_values(engine):
    assert in_span(engine, "82718-82884", iri("law/draft-state-program-religious-extremism-2017-2020"),
                   KG.adoptionStatus, Literal("not adopted"))
    assert in_span(engine, "81957-82187", iri("organization/hotline-114"), KG.operationalStatus, Literal("defunct"))
    assert in_span(engine, "58600-58733", iri("organization/zakon-kz"), KG.ownership, Literal("state-owned"))
    assert in_span(engine, "74270-74642", iri("law/d004-proposed-ban-on-religious-study-abroad"),
                   KG.adoptionStatus, Literal("under consideration"))


def test_characterization_stated_by_the_ministry(engine):
    r = rows(engine, P + """SELECT ?v ?by WHERE { GRAPH <%sevidence/d004-36610-36968> {
        ?st rdf:subject <%sgroup/salafism> ; rdf:predicate kg:characterization ;
            rdf:object ?v ; kg:statedBy ?by } }""" % (ID, ID))
    assert [(x["v"], x["by"]) for x in r] == [
        ("destructive threat to national interests", ID + "agency/ministry-of-religious-affairs-and-civil-society")]
    r = rows(engine, P + """SELECT ?by WHERE { GRAPH <%sevidence/d004-99170-99527> {
        ?st rdf:subject <%sorganization/ak-niet> ; rdf:predicate kg:characterization ;
            kg:statedBy ?by } }""" % (ID, ID))
    assert [x["by"] for x in r] == [ID + "person/alim-shaumetov"]


# ---- dates at the text's precision ----

def test_grouped_attacks_have_a_sub_event_per_stated_year(engine):
    r = rows(engine, P + """SELECT ?e ?d WHERE { ?e kg:subEventOf <%sevent/d004-attacks-aktobe-almaty-2011-2016> .
        OPTIONAL { ?e kg:date ?d1 } OPTIONAL { ?e schema:startDate ?d2 }
        BIND(SUBSTR(STR(COALESCE(?d1, ?d2)), 1, 4) AS ?d) }""" % ID)
    years = {x["e"].rsplit("/", 1)[1]: x["d"] for x in r}
    assert years == {"d004-attacks-aktobe-almaty-2012": "2012", "aktobe-knb-bombing-2011": "2011",
                     "boralday-shootouts-2011": "2011", "aktobe-attacks-2016": "2016", "almaty-attack-2016": "2016"}


def test_year_filter_2012_finds_the_thesis_attacks(engine):
    from kg.query import get_query, run_named

    out = run_named(engine, get_query("attacks"), {"from": "2012", "to": "2012"})
    ids = [row["id"]["value"] for row in out.rows]
    assert ID + "event/d004-attacks-aktobe-almaty-2012" in ids


def test_women_charged_over_2013_2017_is_a_period(engine):
    r = rows(engine, P + """SELECT ?s ?e ?lo ?hi ?q WHERE { GRAPH <%sevidence/d004-47335-47766> {
        <%sstat/d004-a-women-charged-2013-2017> schema:startDate ?s ; schema:endDate ?e ; kg:earliestDate ?lo ;
        kg:latestDate ?hi ; kg:dateQualifier ?q ; kg:value 41 } }""" % (ID, ID))
    found = [(x["s"], x["e"], x["lo"], x["hi"], x["q"]) for x in r]
    assert found == [("2013", "2017", "2013-01-01", "2017-12-31", "between")]


def test_qualified_dates(engine):
    doc = iri("event/d004-khabar-documentaries-broadcast-2017")
    assert in_span(engine, "95235-95591", doc, KG.dateQualifier, Literal("mid"))
    r = rows(engine, P + "SELECT ?lo ?hi WHERE { <%s> kg:earliestDate ?lo ; kg:latestDate ?hi }" % doc)
    assert [(x["lo"], x["hi"]) for x in r] == [("2017-05-01", "2017-08-31")]
    ret = iri("stat/d004-returned-2017-11")
    assert in_span(engine, "2917-3057", ret, KG.dateQualifier, Literal("by"))


# ---- disagreements recorded (issue 15) ----

def disagreement(engine, name):
    r = rows(engine, P + """PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?kind ?claim ?span WHERE { <%sdisagreement/%s> a kg:Disagreement ; kg:disagreementKind ?kind ;
        kg:disputes ?claim ; prov:wasDerivedFrom ?span }""" % (ID, name))
    kinds = {x["kind"].rsplit("#", 1)[1] for x in r}
    claims = {x["claim"].replace(ID, "") for x in r}
    spans = {x["span"].rsplit("/", 1)[1] for x in r}
    return kinds, claims, spans


def test_rounding_of_women_with_the_islamic_state(engine):
    kinds, claims, spans = disagreement(engine, "d004-women-with-islamic-state-170-vs-200")
    assert {"Rounding", "PeriodMismatch"} <= kinds
    assert claims == {"stat/d004-kazakhstani-women-in-is-2014-2016", "stat/d004-kazakhstani-women-in-is-soufan-2017"}
    assert spans == {"d004-2564-2766", "d004-2767-2916"}
    r = rows(engine, P + """SELECT ?v ?c WHERE {
        <%sstat/d004-kazakhstani-women-in-is-soufan-2017> kg:value ?v ; kg:comparator ?c }""" % ID)
    assert [(float(x["v"]), x["c"]) for x in r] == [(200.0, "more than")]


def test_unit_conflict_of_the_2013_2017_budget(engine):
    kinds, claims, spans = disagreement(engine, "d004-budget-2013-2017-103-million-vs-table-4")
    assert kinds == {"UnitConflict", "SelfContradiction"}
    assert claims == {"stat/d004-b-budget-2013-2017-total-text", "stat/d004-b-budget-2013-2017-total-all-years"}
    r = rows(engine, P + """SELECT ?s ?v ?u WHERE { VALUES ?s { <%sstat/d004-b-budget-2013-2017-total-text>
        <%sstat/d004-b-budget-2013-2017-total-all-years> } ?s kg:value ?v ; kg:unit ?u }""" % (ID, ID))
    assert sorted((float(x["v"]), x["u"]) for x in r) == [(103.0, "million tenge"), (103176375.0, "thousand tenge")]


def test_self_contradictions_of_the_thesis(engine):
    kinds, claims, _ = disagreement(engine, "d004-women-share-2017-5-6-vs-7-5")
    assert "SelfContradiction" in kinds
    assert {"stat/d004-a-women-share-extremism-2017",
            "stat/d004-c-women-share-sentenced-terrorism-extremism-2017"} <= claims
    kinds, claims, _ = disagreement(engine, "d004-no-data-on-women-vs-figures")
    assert kinds == {"SelfContradiction"} and "finding/d004-no-data-on-women" in claims
    kinds, claims, _ = disagreement(engine, "d004-budget-growth-2-6-times-vs-tables")
    assert "stat/d004-b-budget-growth-2013-2017-to-2018-2022" in claims


def test_category_and_status_conflicts(engine):
    kinds, claims, _ = disagreement(engine, "d004-ak-niet-deradicalized-2015-345-vs-10")
    assert kinds == {"DifferentValue", "CategoryMismatch"}
    kinds, claims, _ = disagreement(engine, "d004-salafi-followers-495-15000-19000")
    assert {"CategoryMismatch", "PeriodMismatch"} <= kinds
    assert {"stat/d004-b-salafi-followers-2013", "stat/d004-b-radical-followers-2017-minister"} <= claims
    kinds, claims, _ = disagreement(engine, "d004-hotline-114-in-program-vs-defunct")
    assert kinds == {"StatusConflict"}
    kinds, claims, _ = disagreement(engine, "d004-women-charged-41-vs-sentenced-37")
    r = rows(engine, P + """SELECT (SUM(?v) AS ?n) WHERE { VALUES ?y { "2013" "2014" "2015" "2016" "2017" }
        ?s kg:quantity <%squantity/terrorism-extremism-convictions> ; kg:category "women" ; kg:period ?p ; kg:value ?v .
        FILTER(STR(?p) = ?y && STRSTARTS(STR(?s), "%sstat/d004-c-women-sentenced")) }""" % (ID, ID))
    assert float(r[0]["n"]) == 37 and "CategoryMismatch" in kinds


def test_mentions_are_linked_or_marked(engine):
    # a finding names the group of women and the hijab: linked
    assert in_span(engine, "43338-43587", iri("finding/d004-failure-indicators"), KG.about, iri("topic/hijab"))
    # "male guardian" is not the newspaper The Guardian: marked, not linked
    assert in_span(engine, "29021-29543", iri("finding/d004-djamaat-closed-communities"), KG.deliberatelyUnlinked,
                   Literal("guardian"))
    assert not rows(engine, P + """SELECT ?x WHERE {
        <%sfinding/d004-djamaat-closed-communities> kg:about <%sorganization/the-guardian> }""" % (ID, ID))


def test_every_alias_of_the_first_half_names_one_entity(engine):
    r = rows(engine, P + """SELECT DISTINCT ?e ?l WHERE { GRAPH ?ev { ?e skos:altLabel ?l }
        FILTER(STRSTARTS(STR(?ev), "%sevidence/d004-"))
        FILTER(xsd:integer(STRBEFORE(STRAFTER(STR(?ev), "evidence/d004-"), "-")) < 103550) }""" % ID)
    assert len(r) > 150
    # the resolver's ranking (preferred label, then alias, then title), read once for all labels
    from kg.query import LABEL_QUERY, normalise

    best: dict[str, dict[str, int]] = {}
    for row in engine.query(LABEL_QUERY).rows:
        ranks = best.setdefault(normalise(row["label"]["value"]), {})
        e, rank = row["e"]["value"], int(row["rank"]["value"])
        ranks[e] = min(rank, ranks.get(e, rank))
    wrong = []
    for x in r:
        ranks = best[normalise(x["l"])]
        top = min(ranks.values())
        if [e for e, rank in ranks.items() if rank == top] != [x["e"]]:
            wrong.append((x["l"], x["e"]))
    assert wrong == []


def test_cited_source_and_prose_contradictions(engine):
    kinds, claims, spans = disagreement(engine, "d004-draft-program-cited-as-2018")
    assert "CitedSourceContradiction" in kinds
    assert {"work/knb-2017", "work/knb-2018"} <= claims and spans == {"d004-77229-77521", "d004-94801-94893"}
    kinds, claims, _ = disagreement(engine, "d004-stemmed-female-travel-vs-counts")
    assert "SelfContradiction" in kinds and "finding/d004-stemmed-female-travel" in claims
    kinds, claims, _ = disagreement(engine, "d004-mosques-almost-doubled-vs-counts")
    assert "stat/d004-b-mosque-growth-razdykova" in claims and "PeriodMismatch" in kinds


def test_every_disagreement_of_the_first_half_has_a_note_and_label(engine):
    r = rows(engine, P + """SELECT ?d (COUNT(DISTINCT ?n) AS ?notes) (COUNT(DISTINCT ?l) AS ?labels) WHERE {
        ?d a kg:Disagreement . FILTER(STRSTARTS(STR(?d), "%sdisagreement/d004-"))
        OPTIONAL { ?d skos:editorialNote ?n } OPTIONAL { ?d skos:prefLabel ?l } } GROUP BY ?d""" % ID)
    assert len(r) >= 15
    assert all(x["notes"] == "1" and x["labels"] == "1" for x in r)
