"""Curation of document 004, second half (chapters 6-7, appendices 1-2): names, links, statuses, dates
and disagreements (issues 10 and 15), checked on the built graph with the values the thesis gives."""

from __future__ import annotations

import pytest

from kg.query import resolve_entity
from conftest import rows

ID = "https://w3id.org/kzkg/id/"
KG = "https://w3id.org/kzkg/ontology#"
PREFIXES = """PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def iri(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    return (KG if prefix == "kg" else ID + prefix + "/") + local


def in_span(engine, span: str, s: str, p: str, o: str) -> bool:
    """Whether the triple s p o (CURIEs; o may be a quoted literal) is stated in evidence graph ev:d004-SPAN."""
    obj = o if o.startswith('"') else f"<{iri(o)}>"
    pred = {"altLabel": "skos:altLabel", "hiddenLabel": "skos:hiddenLabel"}.get(p, p)
    return ask(engine, f"ASK {{ GRAPH <{ID}evidence/d004-{span}> {{ <{iri(s)}> {pred} {obj} }} }}")


def ask(engine, text: str) -> bool:
    return bool(engine.query(PREFIXES + text).boolean)


# ---- names: the forms the thesis prints resolve to one entity ----

@pytest.mark.parametrize("name, curie", [
    ("Shaumetov", "person:alim-shaumetov"),
    ("Kakimov", "person:nurlan-kakimov"),
    ("Kairgeldy", "person:ruslan-kairgeldy"),
    ("Madyarov", "person:mirhat-madyarov"),
    ("Denisenko", "person:yulia-denisenko"),
    ("Tursyngul", "person:tursyngul-tourniyazova"),
    ("Abdirassylkyzy", "person:ainur-abdirassylkyzy"),
    ("Ministry of Internal Affairs", "agency:ministry-of-internal-affairs"),
    ("Prosecutor's office in Astana", "agency:astana-prosecutors-office"),
    ("prosecutor's office of the Almaty region", "agency:almaty-region-prosecutors-office"),
    ("114 hotline", "organization:hotline-114"),
    ("stop-sekta", "organization:stop-sekta"),
    ("Akmola", "place:akmola-region"),
    ("Zhambyl", "place:zhambyl-region"),
    ("Karagandy", "place:karaganda"),
    ("Karaganda Province", "place:karaganda-region"),
    ("Zakon.kz 2018", "work:zakon-kz-2018"),
    ("Zakon.kz 2017", "work:zakon-kz-2017-07-17"),
    ("Kaztag.kz 2017", "work:kaztag-2017"),
    ("CARMO 2017", "work:carmo-2017"),
    ("Zhumanova 2017", "work:ktk-2017-11-14"),
    ("CSE", "topic:centers-for-religious-studies"),
    ("Centers for Religious Studies", "topic:centers-for-religious-studies"),
    ("Communal state enterprises for religious affairs", "topic:centers-for-religious-studies"),
    ("Forbes", "organization:forbes-kazakhstan"),
    ("Insight – Koz zhetu", "organization:insight-koz-zhetu"),
    ("Almaty City", "place:almaty"),
    ("Egyptian University of Islamic Culture", "organization:nur-mubarak-university"),
    ("Pavlodar's Center for Analysis and Development of Interfaith Relations", "organization:pavlodar-interfaith-relations-center"),
    ("Taldykorgan's akimat", "agency:akimat-of-taldykorgan"),
    ("Kaztag.kz", "organization:kaztag"),
    ("Mangistau Province", "place:mangystau-region"),
    ("UN Women report", "work:un-women-2017"),
])
def test_name_forms_resolve(engine, name, curie):
    assert str(resolve_entity(engine, name)) == iri(curie)


def test_misspellings_are_hidden_labels(engine):
    assert in_span(engine, "182920-183136", "organization:azattyq", "hiddenLabel", '"Azzatyq"@en')
    assert in_span(engine, "179837-180009", "place:atyrau-region", "hiddenLabel", '"Atyray region"@en')
    assert not ask(engine, f'ASK {{ <{iri("organization:azattyq")}> skos:altLabel "Azzatyq"@en }}')


def test_in_text_citations_recorded(engine):
    assert in_span(engine, "133165-133656", "work:carmo-2017", "kg:inCitation", '"CARMO 2017"')
    assert in_span(engine, "143737-144039", "work:ktk-2017-11-14", "kg:inCitation", '"Zhumanova 2017"')


# ---- merges: one IRI per real thing, every name kept ----

@pytest.mark.parametrize("name, curie", [
    ("Taipov (2017)", "work:aktobe-times-2017-11-03"),
    ("Toiken (2017)", "work:azattyq-2017-07-25"),
    ("Aktobe sewing jobs for former radical women", "organization:khromtau-sewing-factory"),
    ("Khromtau sewing factory", "organization:khromtau-sewing-factory"),
])
def test_merged_names_resolve_to_one_node(engine, name, curie):
    assert str(resolve_entity(engine, name)) == iri(curie)


def test_merged_nodes_are_gone(engine):
    for old in ("work:taipov-2017", "work:toiken-2017", "law:d004-aktobe-sewing-jobs-for-former-radical-women",
                "topic:communal-state-enterprises"):
        assert not ask(engine, f"ASK {{ GRAPH ?g {{ {{ <{iri(old)}> ?p ?o }} UNION {{ ?s ?p <{iri(old)}> }} }} }}"), old
        assert not ask(engine, f"ASK {{ {{ <{iri(old)}> ?p ?o }} UNION {{ ?s ?p <{iri(old)}> }} }}"), old


def test_sewing_workshop_both_figures_of_ten_women(engine):
    q = PREFIXES + f"""SELECT ?v WHERE {{ GRAPH ?g {{ ?s kg:about <{iri("organization:khromtau-sewing-factory")}> ;
        kg:quantity <{iri("quantity:former-radical-women-employed")}> ; kg:value ?v }} }}"""
    assert sorted(int(r["v"]) for r in rows(engine, q)) == [10, 10]


# ---- links stated in the text are edges ----

@pytest.mark.parametrize("span, s, p, o", [
    ("182527-182719", "work:kazakh-tv-2016-01-11", "kg:reportsOn", "event:d004-online-propaganda-conviction-kazakh-tv"),
    ("182920-183136", "work:azattyq-2017-07-25", "kg:reportsOn", "person:gazizet"),
    ("183323-183553", "work:zakon-kz-2017-07-17", "kg:reportsOn", "organization:victoria-center"),
    ("183557-183715", "work:tengrinews-2018-01-29", "kg:reportsOn", "law:d004-proposed-ban-on-religious-study-abroad"),
    ("183718-184220", "work:aktobe-times-2016-04-30", "kg:reportsOn", "event:d004-aktobe-woman-recruitment-conviction"),
    ("184222-184467", "work:aktobe-times-2017-11-03", "kg:reportsOn", "organization:khromtau-sewing-factory"),
    ("184470-184800", "work:moi-gorod-2017", "kg:reportsOn", "law:school-hijab-ban"),
    ("184803-184989", "work:ktk-2017-11-14", "kg:reportsOn", "event:ktk-ministers-on-female-returnees-2017-11"),
    ("184993-185204", "work:central-asia-news-2017-11-27", "kg:reportsOn", "law:d004-cyber-security-document"),
    ("185207-185452", "work:tengrinews-2015-03-20", "kg:reportsOn", "organization:kyz-zhibek-clubs"),
    ("133165-133656", "work:carmo-2017", "schema:publisher", "organization:carmo"),
    ("133165-133656", "work:carmo-2017", "kg:reportsOn", "person:gulnaz-razdykova"),
    ("117702-118014", "organization:astana-center-for-religious-studies", "kg:partOfProgram",
     "law:state-program-religious-extremism-2013-2017"),
    ("117702-118014", "organization:astana-center-for-religious-studies", "kg:operatedBy", "agency:akimat-of-astana"),
    ("117702-118014", "event:astana-religious-center-audit-2015", "kg:carriedOutBy", "agency:astana-prosecutors-office"),
    ("121915-122130", "organization:west-kazakhstan-center-for-religious-problems", "kg:operatedBy",
     "agency:west-kazakhstan-department-for-religious-affairs"),
    ("119304-119533", "organization:astana-apartment-rehabilitation-center", "kg:fundedBy", "agency:akimats"),
    ("138522-138715", "organization:khromtau-sewing-factory", "kg:fundedBy", "agency:khromtau-district-administration"),
    ("114776-114932", "organization:hotline-114", "kg:partOfProgram", "law:state-program-religious-extremism-2018-2022"),
    ("142641-143186", "law:state-program-religious-extremism-2013-2017", "kg:operatedBy", "agency:knb-anti-terrorist-center"),
    ("168984-169085", "law:state-program-religious-extremism-2018-2022", "kg:operatedBy", "agency:akimats"),
    ("111244-111579", "person:alim-shaumetov", "kg:leaderOf", "organization:ak-niet"),
])
def test_links_in_their_spans(engine, span, s, p, o):
    assert in_span(engine, span, s, p, o)


def test_programs_no_longer_enforced_by_their_operators(engine):
    for prog in ("2013-2017", "2018-2022"):
        law = iri("law:state-program-religious-extremism-" + prog)
        for agency in ("agency:knb", "agency:knb-anti-terrorist-center", "agency:akimats"):
            assert not ask(engine, f"ASK {{ <{law}> kg:enforcedBy <{iri(agency)}> }}")


def test_state_bodies_of_part_cd_reach_kazakhstan(engine):
    bodies = ["akimat-of-astana", "akimat-of-pavlodar", "akimat-of-petropavlovsk", "akimat-of-karaganda-region",
              "astana-prosecutors-office", "almaty-region-prosecutors-office", "khromtau-district-administration",
              "karaganda-district-internal-policy-department", "west-kazakhstan-department-for-religious-affairs",
              "local-police", "knb", "knb-anti-terrorist-center", "ministry-of-internal-affairs",
              "prosecutor-generals-office", "committee-for-religious-affairs", "akimats", "government-of-kazakhstan"]
    for body in bodies:
        assert ask(engine, f"""ASK {{ <{ID}agency/{body}> org:subOrganizationOf*/(kg:activeIn|kg:basedIn)/schema:containedInPlace*
                                   <{ID}place/kazakhstan> }}"""), body


# ---- kg:status split by meaning ----

def test_no_deprecated_status_in_chapters_6_7_and_appendices(engine):
    q = PREFIXES + """SELECT ?g WHERE { GRAPH ?g { ?s kg:status ?o }
        FILTER(STRSTARTS(STR(?g), "https://w3id.org/kzkg/id/evidence/d004-")) }"""
    starts = [int(r["g"].rsplit("/d004-", 1)[1].split("-")[0]) for r in rows(engine, q)]
    assert [s for s in starts if s >= 103550] == []


def test_phone_check_gives_six_active_centers(engine):
    """Appendix 1: six of the 18 centers answered (the thesis's 'only six centers')."""
    q = PREFIXES + """SELECT ?g ?c ?st WHERE { GRAPH ?g { ?c a kg:RehabilitationCenter ; kg:operationalStatus ?st }
        FILTER(STRSTARTS(STR(?g), "https://w3id.org/kzkg/id/evidence/d004-")) }"""
    appendix = [r for r in rows(engine, q) if 178653 <= int(r["g"].rsplit("/d004-", 1)[1].split("-")[0]) < 182500]
    found = {r["c"].rsplit("/", 1)[1]: r["st"] for r in appendix}
    assert len(found) == 18
    assert sorted(c for c, st in found.items() if st == "active") == [
        "ak-niet", "ansar", "kokshetau-center-for-victims-of-destructive-movements", "nurly-bilim", "shapagat",
        "taldykorgan-rehabilitation-center"]
    assert found["perspective-group"] == "defunct" and found["nur-mura"] == "no answer"
    assert found["edinstvo"] == "not reachable"


@pytest.mark.parametrize("span, outlet, prop, value", [
    ("158551-158686", "forbes-kazakhstan", "kg:ownership", "independent"),
    ("182724-182917", "forbes-kazakhstan", "kg:ownership", "foreign"),
    ("182920-183136", "azattyq", "kg:ownership", "foreign"),
    ("134514-134846", "azattyq", "kg:ownership", "independent"),
    ("160881-161361", "tengrinews", "kg:ownership", "partially state-owned"),
    ("183557-183715", "tengrinews", "kg:ownership", "quasi-state-owned"),
    ("158084-158550", "kazakh-tv", "kg:characterization", "state-owned or quasi-state-owned media"),
    ("184993-185204", "central-asia-news", "kg:characterization", "regional outlet"),
])
def test_media_ownership_split(engine, span, outlet, prop, value):
    assert in_span(engine, span, "organization:" + outlet, prop, f'"{value}"')


def test_program_and_policy_adoption_status(engine):
    assert in_span(engine, "168596-168678", "law:draft-state-program-religious-extremism-2017-2020",
                   "kg:adoptionStatus", '"proposed"')
    assert in_span(engine, "183557-183715", "law:d004-proposed-ban-on-religious-study-abroad", "kg:adoptionStatus", '"planned"')


def test_centers_operational_status_in_chapter_6(engine):
    assert in_span(engine, "145851-146039", "organization:saat", "kg:operationalStatus", '"newly formed"')
    assert in_span(engine, "145851-146039", "organization:shanyraq", "kg:operationalStatus", '"lost funding"')
    assert in_span(engine, "151686-151906", "organization:shanyraq", "kg:operationalStatus", '"defunct"')
    assert in_span(engine, "114933-115050", "organization:hotline-114", "kg:operationalStatus", '"not reachable"')
    q = PREFIXES + f"""SELECT ?d WHERE {{ GRAPH <{ID}evidence/d004-113070-113320> {{ ?st rdf:subject <{iri("work:stop-sekta-website")}> ;
        rdf:predicate kg:operationalStatus ; rdf:object "defunct" ; kg:date ?d }} }}"""
    assert [r["d"] for r in rows(engine, "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n" + q)] == ["2018-04-15"]


# ---- dates at the text's precision ----

def test_end_of_2016_interview_is_late_2016(engine):
    q = PREFIXES + f"""SELECT ?d ?q ?e ?l WHERE {{ <{iri("event:ktk-mp-interview-2016")}> kg:date ?d ; kg:dateQualifier ?q ;
        kg:earliestDate ?e ; kg:latestDate ?l }}"""
    assert rows(engine, q) == [{"d": "2016", "q": "late", "e": "2016-09-01", "l": "2016-12-31"}]


def test_times_of_day(engine):
    assert in_span(engine, "117359-117701", "event:d004-calls-religious-studies-centers-2018-05-19", "kg:timeOfDay",
                   '"16:00:00"^^xsd:time')
    assert in_span(engine, "181817-182238", "event:d004-call-atyrau-akimat-shapagat", "kg:timeOfDay", '"14:13:00"^^xsd:time')


def test_rise_in_share_of_women_in_percentage_points(engine):
    q = PREFIXES + f"""SELECT ?v ?u WHERE {{ <{iri("stat:d004-d-women-sentenced-increase")}> kg:value ?v ; kg:unit ?u }}"""
    assert rows(engine, q) == [{"v": "5.3", "u": "percentage points"}]


def test_since_qualifiers(engine):
    assert in_span(engine, "158943-159365", "event:d004-media-analysis", "kg:dateQualifier", '"since"')
    assert in_span(engine, "158943-159365", "event:d004-media-analysis", "schema:startDate", '"2017-08"^^xsd:gYearMonth')


# ---- disagreements recorded as data (graph/disagreements/d004-cd.ttl) ----

def disagreement(engine, local: str) -> dict:
    q = PREFIXES + f"""SELECT ?kind ?target ?span ?note WHERE {{ <{ID}disagreement/{local}> a kg:Disagreement ;
        kg:disagreementKind ?kind ; kg:disputes ?target ; prov:wasDerivedFrom ?span ; skos:editorialNote ?note }}"""
    found = rows(engine, q)
    assert found, local
    short = lambda v: v.rsplit("/", 1)[-1].rsplit("#", 1)[-1]  # noqa: E731
    return {"kinds": {short(r["kind"]) for r in found}, "targets": {short(r["target"]) for r in found},
            "spans": {short(r["span"]) for r in found}}


def value(engine, local: str) -> str:
    return rows(engine, PREFIXES + f"SELECT ?v WHERE {{ <{ID}stat/{local}> kg:value ?v }}")[0]["v"]


def test_shambilov_totals_against_table_6(engine):
    d = disagreement(engine, "d004-sentenced-2016-shambilov-vs-table-6")
    assert d["kinds"] == {"DifferentValue", "SelfContradiction"}
    assert d["targets"] == {"d004-c-shambilov-sentenced-2016", "d004-c-sentenced-terrorism-extremism-2016"}
    assert d["spans"] == {"d004-108872-109090", "d004-104510-104769"}
    assert (value(engine, "d004-c-shambilov-sentenced-2016"), value(engine, "d004-c-sentenced-terrorism-extremism-2016")) == ("554", "229")


def test_women_share_2017_across_chapters(engine):
    d = disagreement(engine, "d004-women-share-2017-7-5-vs-5-6")
    assert {"d004-c-women-share-convicted-2017-text", "d004-a-women-share-extremism-2017"} <= d["targets"]
    assert (value(engine, "d004-c-women-share-convicted-2017-text"), value(engine, "d004-a-women-share-extremism-2017")) == ("7.5", "5.6")


def test_women_totals_41_vs_37(engine):
    d = disagreement(engine, "d004-women-sentenced-total-41-vs-table-6")
    assert "CategoryMismatch" in d["kinds"]
    years = [t for t in d["targets"] if t.startswith("d004-c-women-sentenced-terrorism-extremism-")]
    assert sum(int(value(engine, t)) for t in years) == 37 and value(engine, "d004-a-women-charged-2013-2017") == "41"


def test_rounding_four_days_vs_three_to_four(engine):
    d = disagreement(engine, "d004-ak-niet-four-days-vs-three-to-four")
    assert d["kinds"] == {"Rounding", "SelfContradiction"}
    q = PREFIXES + f"SELECT ?lo ?hi WHERE {{ <{ID}stat/d004-c-ak-niet-work-duration-wives> kg:minValue ?lo ; kg:maxValue ?hi }}"
    assert rows(engine, q) == [{"lo": "3", "hi": "4"}] and value(engine, "d004-c-ak-niet-women-deradicalization-days") == "4"


def test_cited_source_and_period(engine):
    d = disagreement(engine, "d004-ak-niet-female-staff-2018-cited-to-2016")
    assert d["kinds"] == {"CitedSourceContradiction", "PeriodMismatch"}
    assert d["targets"] == {"d004-c-ak-niet-female-staff-2018", "caravanserai-2016"}


def test_possibly_same_call_about_shapagat(engine):
    d = disagreement(engine, "d004-shapagat-call-march-vs-april")
    assert "PossiblySameEvent" in d["kinds"]
    assert d["targets"] == {"d004-call-shapagat-2018-03", "d004-call-atyrau-akimat-shapagat"}


def test_weekday_self_contradiction(engine):
    d = disagreement(engine, "d004-calls-weekdays-vs-dates")
    assert d["spans"] == {"d004-114052-114255"}
    q = PREFIXES + f"SELECT ?s WHERE {{ <{ID}event/d004-calls-to-18-centers-2018-03> schema:startDate ?s }}"
    assert rows(engine, q) == [{"s": "2018-03-25"}]


def test_forbes_three_ownerships(engine):
    d = disagreement(engine, "d004-forbes-kazakhstan-ownership")
    assert "StatusConflict" in d["kinds"]
    assert d["spans"] == {"d004-58600-58733", "d004-158551-158686", "d004-182724-182917"}


def test_prose_claim_against_figures(engine):
    d = disagreement(engine, "d004-no-data-on-women-vs-vignette-10")
    assert d["kinds"] == {"SelfContradiction"}
    assert d["targets"] == {"d004-d-no-data-on-women", "d004-c-ak-niet-convicts-spouses-wanting-jihad"}


def test_curators_contradictory_remark_is_a_disagreement(engine):
    d = disagreement(engine, "d004-prison-converts-hundreds-vs-thousands")
    assert d["kinds"] == {"Rounding", "CategoryMismatch"}
    assert value(engine, "d004-c-prison-radicals-converted") == "100"
    assert [value(engine, f"d004-c-deradicalized-{y}") for y in (2014, 2015, 2016)] == ["1076", "1995", "2086"]


def test_every_disputed_node_and_span_exists(engine):
    q = PREFIXES + f"""SELECT DISTINCT ?x WHERE {{ ?d a kg:Disagreement ; kg:disputes|prov:wasDerivedFrom ?x
        FILTER(STRSTARTS(STR(?d), "{ID}disagreement/d004-"))
        FILTER NOT EXISTS {{ GRAPH ?g {{ ?x ?p ?o }} }} FILTER NOT EXISTS {{ ?x ?p2 ?o2 }} }}"""
    assert rows(engine, q) == []
    spans = rows(engine, PREFIXES + f"""SELECT DISTINCT ?x WHERE {{ ?d a kg:Disagreement ; prov:wasDerivedFrom ?x
        FILTER(STRSTARTS(STR(?d), "{ID}disagreement/d004-")) FILTER NOT EXISTS {{ ?x kg:sha256 ?h }} }}""")
    assert spans == []


def test_links_stated_by_interviewees_are_qualified(engine):
    """The KNB and the interior ministry send lists to Ak Niet and Saat, per the heads of both centers."""
    q = PREFIXES + f"""PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
    SELECT ?by WHERE {{ GRAPH <{ID}evidence/d004-129952-130326> {{ ?st rdf:subject <{iri("agency:knb")}> ;
        rdf:predicate kg:cooperatesWith ; rdf:object <{iri("organization:saat")}> ; kg:statedBy ?by }} }}"""
    assert sorted(r["by"].rsplit("/", 1)[1] for r in rows(engine, q)) == ["alim-shaumetov", "ruslan-kairgeldy"]
    assert in_span(engine, "129952-130326", "agency:ministry-of-internal-affairs", "kg:cooperatesWith", "organization:ak-niet")
