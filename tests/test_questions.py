"""The named questions (``queries/*.rq``) answer what a reader of the documents expects.

One or more tests per named query, run through :func:`kg.query.run_named` on the curated graph.
Assertions name facts (rows a reader would look for), never totals of the whole graph. Tests
once marked ``xfail`` (ten query bugs, since fixed) now pass.
"""

import re
from pathlib import Path

import pytest

from kg.query import get_query, run_named

ID = "https://w3id.org/kzkg/id/"


def ask(engine, name, params=None):
    """Rows of a named query as dicts of plain strings (unbound variables are left out)."""
    result = run_named(engine, get_query(name), params or {})
    return [{k: v["value"] for k, v in row.items()} for row in result.rows]


def find(rows, **match):
    """Rows whose values equal every given ``var=value``."""
    return [r for r in rows if all(r.get(k) == v for k, v in match.items())]


def one(rows, **match):
    """The first row matching ``var=value``; fails naming the wanted values if none does."""
    found = find(rows, **match)
    assert found, f"no row with {match}"
    return found[0]


def col(rows, var):
    return {r[var] for r in rows if var in r}


def split(value, sep=", "):
    return set(value.split(sep)) if value else set()


def disagreeing_values(engine):
    """The pairs of values that the disagreements question sets side by side."""
    return {frozenset((r.get("valueA"), r.get("valueB"))) for r in ask(engine, "disagreements")}


# ---- attacks ----

def test_attacks_of_2016(engine):
    """Which attacks happened in 2016, where, in which region, how many died, which documents say so?"""
    rows = ask(engine, "attacks", {"from": "2016", "to": "2016"})
    aktobe = one(rows, id=ID + "event/aktobe-attacks-2016", date="2016-06", kind="attack", killed="6")
    assert aktobe["places"] == "Aktobe" and "Aktobe Region" in split(aktobe["regions"])
    assert {"000", "004"} <= split(aktobe["documents"])
    assert "Cell linked to the 2016 Aktobe and Almaty attacks" in aktobe["perpetrators"]
    one(rows, id=ID + "event/almaty-attack-2016", date="2016-07", places="Almaty")
    # a group of attacks from 2011 to 2016 overlaps 2016 (its date column shows where it starts)
    assert {r["id"] for r in rows if not r["date"].startswith("2016")} == {ID + "event/d004-attacks-aktobe-almaty-2011-2016"}


def test_attacks_filtered_by_place_and_group(engine):
    """Which attacks happened in Aktobe Region, and which did Jund al-Khilafah claim?"""
    aktobe = col(ask(engine, "attacks", {"place": "Aktobe Region"}), "id")
    assert {ID + "event/aktobe-knb-bombing-2011", ID + "event/aktobe-attacks-2016"} <= aktobe
    assert ID + "event/almaty-attack-2016" not in aktobe
    jak = ask(engine, "attacks", {"group": "Jund al-Khilafah"})
    atyrau = one(jak, id=ID + "event/atyrau-explosions-2011", date="2011-10")
    assert "Jund al-Khilafah (claimed)" in atyrau["perpetrators"]
    assert ID + "event/aktobe-attacks-2016" not in col(jak, "id")
    in_kz = col(ask(engine, "attacks", {"place": "Kazakhstan"}), "id")
    assert ID + "event/taraz-attack-2011" in in_kz and ID + "event/imu-raids-uzbekistan-kyrgyzstan" not in in_kz


def test_attacks_linked_to_a_group_say_how_and_by_whom(engine):
    """Which attacks is the Islamic State tied to, how, and who says so?"""
    rows = ask(engine, "attacks", {"group": "Islamic State"})
    plot = one(rows, id=ID + "event/bomb-plot-2020", link="attributed to")
    assert "National Security Committee" in split(plot["statedBy"])
    assert all(r["link"] for r in rows)
    assert "link" not in one(ask(engine, "attacks"), id=ID + "event/bomb-plot-2020")  # no group, no tie


def test_attacks_inspired_through_the_perpetrator(tmp_path):
    """Is an attack whose perpetrating cell was inspired by a group listed for that group, with who said so?"""
    from rdflib import Dataset

    from kg.namespaces import turtle_prefixes
    from kg.store import open_engine

    root = Path(__file__).resolve().parent.parent
    ds = Dataset()
    ds.parse(root / "ontology" / "kg.ttl", format="turtle")
    ds.parse(data=turtle_prefixes() + """
        group:is a kg:ArmedGroup ; skos:prefLabel "Islamic State"@en .
        group:cell a kg:Cell ; skos:prefLabel "Cell"@en ; kg:inspiredBy group:is .
        agency:knb a kg:StateAgency ; skos:prefLabel "KNB"@en .
        event:a a kg:Attack ; skos:prefLabel "Attack A"@en ; kg:date "2016-06"^^xsd:gYearMonth ; kg:perpetratedBy group:cell .
        event:b a kg:Attack ; skos:prefLabel "Attack B"@en ; kg:date "2016-07"^^xsd:gYearMonth ; kg:inspiredBy group:is .
        event:c a kg:Attack ; skos:prefLabel "Attack C"@en ; kg:date "2016-08"^^xsd:gYearMonth .
        [] a rdf:Statement ; rdf:subject group:cell ; rdf:predicate kg:inspiredBy ; rdf:object group:is ;
           kg:statedBy agency:knb .
    """, format="turtle")
    engine = open_engine(ds.serialize(format="nquads").encode(), "oxigraph")
    rows = ask(engine, "attacks", {"group": "group:is"})
    assert [(r["name"], r["link"], r.get("statedBy", "")) for r in rows] == [
        ("Attack A", "perpetrated by Cell, inspired by", "KNB"),
        ("Attack B", "inspired by", ""),
    ]


def test_attacks_of_2012_include_ranges_and_groups_of_attacks(engine):
    """Which attacks do the documents date to 2012 (a group of attacks of 2011, 2012 and 2016 included)?"""
    ids = col(ask(engine, "attacks", {"from": "2012", "to": "2012"}), "id")
    assert ID + "event/d004-attacks-aktobe-almaty-2011-2016" in ids
    assert ID + "event/aktobe-attacks-2016" not in ids and ID + "event/atyrau-explosions-2011" not in ids


def test_attacks_undated_only_without_year_range(engine):
    """Are undated attacks (the September 11 attacks) listed only when no year range is asked?"""
    assert ID + "event/september-11-attacks" in col(ask(engine, "attacks"), "id")
    assert ID + "event/september-11-attacks" not in col(ask(engine, "attacks", {"from": "2000"}), "id")


# ---- casualties ----

def test_casualties_by_category(engine):
    """How many people did the 2016 Aktobe and Almaty attacks kill, by category, per source?"""
    rows = ask(engine, "casualties", {"attack": "event:aktobe-attacks-2016"})
    assert col(rows, "id") == {ID + "event/aktobe-attacks-2016"}
    one(rows, category="civilians", value="3", docId="000")
    one(rows, category="National Guard officers", value="3", docId="000")
    one(rows, measure="killed (total)", value="6", docId="000")
    almaty = ask(engine, "casualties", {"attack": "event:almaty-attack-2016"})
    assert {"2", "8"} <= col(find(almaty, category="police officers"), "value")  # body and note 33 disagree


# ---- groups and their links ----

def test_groups_imu_and_islamic_state(engine):
    """What does the graph know about the IMU and the Islamic State: aliases, leaders, links, designations?"""
    rows = ask(engine, "groups")
    imu = one(rows, id=ID + "group/islamic-movement-of-uzbekistan", type="armed or terrorist group", stance="violent")
    assert "IMU" in split(imu["aliases"], " | ") and imu["leaders"] == "Usman Ghazi"
    assert "Islamic Movement of Uzbekistan absorbed into Islamic State in Afghanistan (2015)" in split(imu["links"], " | ")
    isis = one(rows, id=ID + "group/islamic-state")
    assert "designated terrorist organization by Courts of Kazakhstan (2015-10-15)" in split(isis["status"], " | ")
    hut = ask(engine, "groups", {"group": "HuT"})
    assert len(hut) == 1 and hut[0]["type"] == "non-violent religious movement" and "(2005)" in hut[0]["status"]


def test_groups_shows_the_ban_of_tablighi_jamaat(engine):
    """Is Tablighi Jamaat shown as banned (document 003: 'locally-banned religious groups')?"""
    row = one(ask(engine, "groups", {"group": "Tablighi Jamaat"}))
    assert "banned" in row.get("status", "")


def test_group_neighbourhood_of_imu(engine):
    """Which groups are one step from the IMU, and does a wider radius keep them at one step?"""
    near = ask(engine, "group-neighbourhood", {"group": "IMU", "steps": "1"})
    expected = {ID + "group/" + g for g in ("al-qaeda", "taliban", "islamic-state", "islamic-state-afghanistan")}
    assert expected <= col(near, "id") and col(near, "steps_away") == {"1"}
    wider = ask(engine, "group-neighbourhood", {"group": "IMU", "steps": "2"})
    assert all(one(wider, id=g)["steps_away"] == "1" for g in expected)
    assert ID + "group/islamic-movement-of-uzbekistan" not in col(wider, "id")


def test_group_neighbourhood_lists_only_groups(engine):
    """Which *groups* are within two steps of the IMU (no people)?"""
    ids = col(ask(engine, "group-neighbourhood", {"group": "IMU", "steps": "2"}), "id")
    assert not {i for i in ids if i.startswith(ID + "person/")}


# ---- people, agencies, memberships ----

def test_people_of_the_knb(engine):
    """Who led the KNB, from when, according to which document?"""
    knb = ask(engine, "people", {"organization": "KNB"})
    one(knb, id=ID + "person/nurtai-abykaev", role="Chair", orgName="National Security Committee", date="2015-04", documents="003")
    one(knb, id=ID + "person/alim-shaumetov", role="former staff")
    assert col(knb, "orgName") == {"National Security Committee"}
    alone = ask(engine, "people", {"person": "Nurtai Abykaev"})
    assert col(alone, "id") == {ID + "person/nurtai-abykaev"}


def test_people_without_affiliation_are_not_members_of_everything(engine):
    """Is Casey Michel (an author of cited works) listed once, and not as a KNB person?"""
    assert ID + "person/casey-michel" not in col(ask(engine, "people", {"organization": "KNB"}), "id")
    assert len(find(ask(engine, "people", {"person": "Casey Michel"}))) == 1


def test_agencies_and_their_parts(engine):
    """Which bodies is the KNB made of, which is the Border Guard Service part of, and what are their aliases?"""
    rows = ask(engine, "agencies")
    knb = one(rows, id=ID + "agency/knb")
    assert {"Border Guard Service", "Aktobe branch of the National Security Committee"} <= split(knb["parts"])
    assert "KNB" in split(knb["aliases"], " | ")
    one(rows, id=ID + "agency/border-guard-service", partOf="National Security Committee")
    almaty = col(ask(engine, "agencies", {"country": "place:almaty"}), "id")
    assert ID + "agency/akimat-of-almaty" in almaty and ID + "agency/knb" not in almaty


def test_agencies_of_kazakhstan(engine):
    """Which agencies belong to Kazakhstan (through places, parent bodies, parts and names), and not to the US?"""
    ids = col(ask(engine, "agencies", {"country": "Kazakhstan"}), "id")
    assert {ID + "agency/" + a for a in (
        "akimat-of-almaty", "knb-aktobe-branch",  # based in a place of Kazakhstan
        "knb", "knb-anti-terrorist-center", "border-guard-service",  # their organization holds a body based there
        "ministry-of-internal-affairs", "mia-special-counterterrorism-detachments", "prosecutor-generals-office",
        "national-guard", "courts-of-kazakhstan", "mazhilis",  # named for Kazakhstan, or part of a body that is
    )} <= ids
    assert not {i for i in ids if re.search(r"/agency/(us-|usaid|cia|government-of-china)", i)}
    us = col(ask(engine, "agencies", {"country": "United States"}), "id")
    assert {ID + "agency/us-government", ID + "agency/usaid"} <= us and ID + "agency/knb" not in us


def test_agency_activities_by_year(engine):
    """What did Kazakhstan's agencies do in 2015, what did the KNB state in 2016, and what was adopted in 2023?"""
    y2015 = ask(engine, "agency-activities")
    one(y2015, id=ID + "agency/courts-of-kazakhstan", role="banned or designated",
        what=ID + "event/isil-designation-2015", date="2015-10-15")
    one(y2015, id=ID + "agency/us-department-of-state", role="organized", what=ID + "event/us-k9-training-2015")
    one(y2015, id=ID + "agency/prosecutor-generals-office", role="stated figure",
        whatName="Criminal cases involving extremism and terrorism: 280")
    knb = ask(engine, "agency-activities", {"agency": "KNB", "year": "2016"})
    assert knb and all(r["date"].startswith("2016") for r in knb)
    one(knb, id=ID + "agency/knb", role="stated figure", whatName="Budget of a program: 21111764")
    one(ask(engine, "agency-activities", {"year": "2023"}), id=ID + "agency/government-of-kazakhstan",
        role="adopted", what=ID + "law/counter-extremism-terrorism-program-2023")


def test_memberships_of_kazakhstan(engine):
    """Which international bodies is Kazakhstan a member or chair of, when, and in which documents?"""
    rows = ask(engine, "memberships")
    sco = one(rows, body=ID + "intl/sco", relation="member")
    assert {"000", "001", "003"} <= split(sco["documents"])
    one(rows, body=ID + "intl/csto", relation="member")
    one(rows, body=ID + "intl/sco-regional-anti-terrorism-structure", relation="chair", when="2015-09–2016-09", documents="003")


# ---- laws, programs, budgets, timeline ----

def test_legal_acts_by_year(engine):
    """Which laws and amendments date from 2015, and when was the Law on Countering Extremism adopted?"""
    y2015 = ask(engine, "legal-acts", {"from": "2015", "to": "2015"})
    one(y2015, id=ID + "law/cft-amendments-2015", kind="amendment", date="2015", documents="003")
    one(y2015, id=ID + "law/local-policing-amendments-2015", adoptedBy="Nursultan Nazarbayev")
    assert ID + "law/ban-on-fighting-in-foreign-wars" not in col(y2015, "id")  # undated: only with defaults
    one(ask(engine, "legal-acts"), id=ID + "law/law-on-countering-extremism", kind="law", date="2005")
    # no date, a year in the name: the draft programme for 2017-2020 is listed for 2017, not for 2018
    assert ID + "law/draft-state-program-religious-extremism-2017-2020" in col(
        ask(engine, "legal-acts", {"from": "2017", "to": "2017"}), "id")
    assert ID + "law/draft-state-program-religious-extremism-2017-2020" not in col(
        ask(engine, "legal-acts", {"from": "2018", "to": "2018"}), "id")


def test_legal_acts_one_row_per_act(engine):
    """Is the State Program 2013-2017 listed once, as a state program?"""
    rows = find(ask(engine, "legal-acts"), id=ID + "law/state-program-religious-extremism-2013-2017")
    assert [r["kind"] for r in rows] == ["state program"]


def test_program_budgets(engine):
    """What was the budget of the State Program 2013-2017 in 2015, and of the USAID program?"""
    rows = ask(engine, "program-budgets", {"program": "law:state-program-religious-extremism-2013-2017"})
    one(rows, period="2015", category="central budget", value="14122653", unit="thousand tenge", docId="004")
    one(rows, start="2013", end="2017", category="total budget", value="103176375")
    assert "USAID five-year regional program against violent extremism" not in col(rows, "programName")
    one(ask(engine, "program-budgets"), programName="USAID five-year regional program against violent extremism",
        value="15000000", unit="USD", docId="001")


def test_timeline_of_2015(engine):
    """What happened in 2015, in date order?"""
    rows = ask(engine, "timeline", {"from": "2015", "to": "2015"})
    one(rows, id=ID + "event/isil-designation-2015", date="2015-10-15", kindName="ban or designation", documents="003")
    one(rows, id=ID + "event/white-house-cve-summit-2015", date="2015-02")
    # dated in 2015, or a period or rough date that may cover 2015 (shown with its end: "2013–2017", "by 2015")
    assert all(r["sortKey"][:4] <= "2015" and ("2015" in r["date"] or "–" in r["date"]) for r in rows)
    assert any("–" in r["date"] for r in rows)
    attacks = ask(engine, "timeline", {"kind": "kg:Attack"})
    assert col(attacks, "kindName") == {"attack"}
    one(attacks, id=ID + "event/aktobe-attacks-2016", date="2016-06")


def test_timeline_lists_each_event_once(engine):
    """Is the Zhanaozen unrest listed once in the 2011 timeline?"""
    rows = ask(engine, "timeline", {"from": "2011", "to": "2011"})
    assert len(find(rows, id=ID + "event/zhanaozen-unrest-2011")) == 1


# ---- figures ----

def test_estimates_of_kazakhstanis_in_syria_and_iraq(engine):
    """Who estimated how many Kazakhstanis were in Syria and Iraq, when, in which document?"""
    rows = ask(engine, "estimates", {"quantity": "quantity:kazakhstanis-in-syria-and-iraq"})
    one(rows, value="350", statedByName="Nurtai Abykaev", period="2015-04", docId="003", places="Syria")
    one(rows, value="200", category="family members", statedByName="Nurtai Abykaev", docId="003")
    one(rows, low="800", high="1000", comparator="roughly", docId="000")
    assert col(rows, "quantityName") == {"Kazakhstanis who went to foreign conflict zones"}


def test_estimates_one_row_per_statistic(engine):
    """Is each estimate listed once, even when it covers two places?"""
    rows = ask(engine, "estimates", {"quantity": "quantity:kazakhstanis-in-syria-and-iraq"})
    assert len(find(rows, stat=ID + "stat/d002-kazakhstanis-in-syria-iraq-2014")) == 1


def test_document_figures_of_003(engine):
    """Which figures does the 2015 Country Report state, who stated them, and where in the text?"""
    rows = ask(engine, "document-figures")
    one(rows, value="400", statedByName="Nurlan Yermekbayev", period="2015-07")
    one(rows, value="350", statedByName="Nurtai Abykaev", start="1127", end="1306")
    one(rows, value="700", comparator="more than", unit="websites", start="7328", end="7407")
    one(rows, value="280", statedByName="Prosecutor General's Office of Kazakhstan")
    one(ask(engine, "document-figures", {"document": "001"}), value="128",
        quantityName="People convicted of terrorism or extremism crimes")


def test_sentences_and_women(engine):
    """How many were convicted of terrorism and extremism, by year and source, and what share were women?"""
    rows = ask(engine, "sentences-women")
    one(rows, year="2015", value="71", docId="003")
    one(rows, year="2023", value="128", docId="001")
    shares_2017 = col(find(rows, year="2017", quantityName="Share of women among people sentenced for terrorism or extremism"), "value")
    assert {"7.5", "5.6"} <= shares_2017
    one(rows, year="2016", value="14", aboutName="Criminal Code of Kazakhstan, article 256")


def test_repatriations(engine):
    """Which operations brought nationals back, when, how many, and who rehabilitates them?"""
    rows = ask(engine, "repatriations")
    zhusan = find(rows, kind="repatriation", id=ID + "event/operation-zhusan", date="2019", documents="000")
    assert {"595", "400"} <= col(zhusan, "value") and "children" in col(zhusan, "category")
    one(rows, id=ID + "event/repatriations-2019-2021", value="600", documents="001")
    one(rows, id=ID + "event/repatriation-from-syria-2023", value="5", date="2023")
    one(rows, kind="rehabilitation center", id=ID + "organization/aktau-deradicalization-center", documents="000")
    ret = one(rows, kind="program", id=ID + "law/returnee-rehabilitation-program")
    assert {"000", "001", "003"} <= split(ret["documents"])


def test_rehabilitation_centers_by_place(engine):
    """Which rehabilitation centers are in Aktobe, and where is the returnees' center of Aktau?"""
    aktobe = ask(engine, "rehabilitation-centers", {"place": "Aktobe"})
    names = {ID + "organization/" + n for n in ("ansar", "ikhtiyar", "zharyk", "aktobe-center-for-religious-studies")}
    assert names <= col(aktobe, "id") and col(aktobe, "city") == {"Aktobe"}
    assert "Aktobe Region" in split(one(aktobe, id=ID + "organization/ansar")["region"])
    aktau = one(ask(engine, "rehabilitation-centers"), id=ID + "organization/aktau-deradicalization-center", city="Aktau")
    assert "Mangystau Region" in split(aktau["region"])


def test_disagreements_side_by_side(engine):
    """Which sources disagree on a date or a figure, of which kind, and what does each side say?"""
    rows = ask(engine, "disagreements")
    pair = lambda r: frozenset((r.get("valueA"), r.get("valueB")))  # noqa: E731
    # the body of 000 says eight police officers died in Almaty in July 2016; the work its note 33 cites, two
    almaty = [r for r in rows if r.get("subjectName") == "Almaty shooting of police officers (July 2016)"
              and pair(r) == frozenset(("8", "2"))]
    assert almaty and all("rounding" in r["kindName"] and r["docA"] == r["docB"] == "000" for r in almaty)
    # a date given at two precisions is not a disagreement
    assert not [r for r in rows if r.get("subjectName", "").startswith("Zhanaozen labor protest")]
    share = [r for r in rows if r.get("subjectName", "").startswith("Share of women among people sentenced")
             and pair(r) == frozenset(("7.5", "5.6"))]
    assert share and all("self-contradiction" in r["kindName"] and r["docA"] == "004" for r in share)
    # each side says what it states: value, unit, category, period, who stated it
    side = next(r["sideA"] for r in share if r["valueA"] == "7.5")
    assert side.startswith("7.5 percent") and "2017" in side


def test_disagreements_filter_by_kind_and_entity(engine):
    """Can the disagreements be asked for one kind, or about one entity?"""
    units = ask(engine, "disagreements", {"kind": "UnitConflict"})
    assert units and all("unit" in r["kindName"] for r in units)
    assert {"103176375", "103"} <= {r.get("valueA") for r in units} | {r.get("valueB") for r in units}
    fighters = ask(engine, "disagreements", {"entity": "group:kazakhstani-foreign-terrorist-fighters"})
    # 003 says there is no official estimate, then gives two officials' estimates
    assert any("self-contradiction" in r["kindName"] and {"350", "400"} <= {r.get("valueA"), r.get("valueB")} for r in fighters)
    recorded = {r["disagreement"] for r in ask(engine, "disagreements") if r.get("disagreement")}
    total = int(engine.query("PREFIX kg: <https://w3id.org/kzkg/ontology#> SELECT (COUNT(DISTINCT ?d) AS ?n) "
                             "WHERE { ?d a kg:Disagreement }").rows[0]["n"]["value"])
    assert len(recorded) == total  # every recorded disagreement is shown


def test_disagreements_on_almaty_2016_police_deaths(engine):
    """Do the two figures of police officers killed in Almaty in July 2016 (8 and 2) show as a disagreement?"""
    assert frozenset(("8", "2")) in disagreeing_values(engine)


def test_disagreements_ignore_differences_of_unit(engine):
    """Is the same budget given in thousand and in million tenge not reported as a disagreement?"""
    assert frozenset(("209361.3", "209.3")) not in disagreeing_values(engine)


# ---- documents, coverage, evidence ----

def test_coverage_documents_gives_every_document_with_evidence(engine, built, root):
    """How much does each registered document contribute (every document that has evidence spans)?"""
    from kg.evidence import parse_span
    from kg.sources import registered_ids

    rows = ask(engine, "coverage-documents")
    cited = {parse_span(iri).doc for iri in built.spans}
    assert [r["docId"] for r in rows] == sorted(cited)
    assert cited <= set(registered_ids(root))
    assert one(rows, docId="003")["title"] == "Country Reports on Terrorism 2015: Kazakhstan"
    assert one(rows, docId="001")["title"] == "Country Reports on Terrorism 2023: Kazakhstan"
    assert all(0 < int(r["spans"]) <= int(r["statements"]) and int(r["subjects"]) > 0 for r in rows)


def test_coverage_classes(engine, root):
    """How many entities of each class are there (every registered document; attacks, groups, people present)?"""
    from kg.sources import registered_ids

    rows = ask(engine, "coverage-classes")
    one(rows, className="corpus document", entities=str(len(registered_ids(root))))
    for name in ("attack", "group", "person", "state agency", "rehabilitation or religious consultation center"):
        assert int(one(rows, className=name)["entities"]) > 0


def test_document_entities_of_003(engine):
    """Which groups and people does the 2015 Country Report mention?"""
    groups = ask(engine, "document-entities", {"kind": "kg:Group"})
    one(groups, id=ID + "group/islamic-state", className="armed or terrorist group")
    one(groups, id=ID + "group/tablighi-jamaat", className="non-violent religious movement")
    people = ask(engine, "document-entities", {"kind": "kg:Person"})
    names = {"Nurtai Abykaev", "Nurlan Yermekbayev", "Nursultan Nazarbayev"}
    assert names <= col(people, "name") and col(people, "className") == {"person"}
    imu = one(ask(engine, "document-entities", {"document": "000", "kind": "kg:Group"}), id=ID + "group/islamic-movement-of-uzbekistan")
    assert int(imu["spans"]) > 1


def test_document_contributions_match_document_entities(engine):
    """How many people and groups does document 003 mention (same count as its entity list)?"""
    counts = {r["className"]: int(r["entities"]) for r in ask(engine, "document-contributions")}
    entities = ask(engine, "document-entities")
    for cls in ("person", "armed or terrorist group", "state agency"):
        assert counts[cls] == len(find(entities, className=cls)) > 0
    assert "attack" in {r["className"] for r in ask(engine, "document-contributions", {"document": "000"})}


def test_entity_documents(engine):
    """Which documents mention Tablighi Jamaat and the Islamic State?"""
    tj = one(ask(engine, "entity-documents", {"entity": "Tablighi Jamaat"}), docId="003")
    assert int(tj["spans"]) >= 1
    assert {"000", "002", "003", "004"} <= col(ask(engine, "entity-documents", {"entity": "ISIL"}), "docId")


def test_entity_statements_with_evidence(engine):
    """What does the graph state about Tablighi Jamaat, with document, offsets and hash of each span?"""
    rows = ask(engine, "entity-statements", {"entity": "Tablighi Jamaat"})
    status = one(rows, docId="003", property="legal status", objectName="banned", start="2315", end="2428")
    assert re.fullmatch(r"[0-9a-f]{64}", status["sha256"]) and status["ev"] == ID + "evidence/d003-2315-2428"
    one(rows, subjectName="Arrests of Tablighi Jamaat members in Kazakhstan (2015)", property="defendant")
    assert ask(engine, "entity-statements", {"entity": "tablighi jamaat"}) == rows  # labels match case-insensitively


def test_entity_statements_rows_are_readable(engine):
    """Does every statement about the IMU name its subject?"""
    assert all(r.get("subjectName") for r in ask(engine, "entity-statements", {"entity": "IMU"}))


def test_corroborated_statements(engine):
    """Which statements do several documents support, and which rest on one document only?"""
    rows = ask(engine, "corroborated-statements")
    sco = one(rows, subjectName="Kazakhstan", property="member of", objectName="Shanghai Cooperation Organization")
    assert sco["documents"] == "3" and split(sco["documentIds"]) == {"000", "001", "003"}
    assert all(int(r["documents"]) >= 2 for r in rows)
    single = ask(engine, "corroborated-statements", {"min": "1", "max": "1", "entity": "KNB"})
    one(single, subjectName="Aktobe branch of the National Security Committee", property="part of", documentIds="000")
    assert col(single, "documents") == {"1"}


def test_cited_works_of_document_000(engine):
    """Which works do the 49 notes of document 000 cite, and what does each back?"""
    rows = ask(engine, "cited-works")
    assert sorted({int(r["noteNumber"]) for r in rows}) == list(range(1, 50))
    n1 = one(rows, noteNumber="1", work=ID + "work/four-chinese-killed-in-kazakhstan", published="2000-09-28")
    assert "Almaty shooting of police officers (September 2000)" in split(n1["backs"], " | ")
    one(rows, noteNumber="16", title="IMU Pledges Allegiance to Islamic State", authors="Edward Lemon")


def test_entity_cited_works(engine):
    """Which cited works back what document 000 says about Operation Zhusan and the IMU?"""
    zhusan = ask(engine, "entity-cited-works", {"entity": "Operation Zhusan"})
    one(zhusan, workName="Zhusan Operation: 595 Kazakhs repatriated from Syria", noteNumber="37", docId="000")
    imu = ask(engine, "entity-cited-works", {"entity": "IMU"})
    one(imu, workName="IMU Pledges Allegiance to Islamic State", noteNumber="16", propertyName="absorbed into")


def test_every_named_query_has_a_test():
    """Does this file ask every named question in queries/?"""
    names = {p.stem for p in (Path(__file__).resolve().parent.parent / "queries").glob("*.rq")}
    text = Path(__file__).read_text(encoding="utf-8")
    assert {n for n in names if f'"{n}"' not in text} == set()
