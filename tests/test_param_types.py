"""Closed parameter types: a value that cannot select anything is refused, in one line, exit 2.

A parameter line may say ``entity of kg:Group``, ``class of kg:Event or kg:LegalAct`` or ``concept of
kg:DisagreementKinds`` (kg/query.py); a value of another class, or no concept of the scheme, is an
input error saying what the value is and what to give, where it used to give 0 rows and exit 0.
Each parameter with such a set is tried here with values outside it and one inside it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.query import ParamError, QueryError, bind, expand, load_queries, parse_query_file, run_named, type_text

ROOT = Path(__file__).resolve().parent.parent
QUERIES = load_queries()
CLOSED = [(q.name, p) for q in QUERIES.values() for p in q.params if p.of]
KG = "https://w3id.org/kzkg/ontology#"
# for each class a parameter may expect: an entity of it, and one of a class that is no kind of it
OF = {
    "kg:Place": ("place:aktobe", "group:islamic-state"), "kg:Group": ("group:islamic-state", "place:aktobe"),
    "kg:StateAgency": ("agency:courts-of-kazakhstan", "group:islamic-state"),
    "kg:Event": ("event:almaty-attack-2016", "place:almaty"), "kg:Quantity": ("quantity:kazakhstanis-in-syria-and-iraq",
                                                                               "place:almaty"),
    "kg:Country": ("place:kazakhstan", "place:almaty"), "kg:Person": ("person:abdullah-kazakh-boy", "place:almaty"),
    "kg:Organization": ("group:islamic-state", "person:abdullah-kazakh-boy"), "kg:Program": (None, "place:almaty"),
}


def _kg_query(name: str, *params: str) -> subprocess.CompletedProcess:
    args = [a for p in params for a in ("-p", p)]
    return subprocess.run([sys.executable, "-m", "kg", "query", name, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def _refused(engine, name: str, **given) -> str:
    with pytest.raises(ParamError) as caught:
        bind(QUERIES[name], given, engine)
    return str(caught.value)


def test_the_closed_parameters_are_declared():
    assert {(name, p.name, type_text(p)) for name, p in CLOSED} == {
        ("agencies", "country", "entity of kg:Place"), ("agency-activities", "agency", "entity of kg:StateAgency"),
        ("attacks", "place", "entity of kg:Place"), ("attacks", "group", "entity of kg:Group or kg:Organization"),
        ("casualties", "attack", "entity of kg:Event"), ("disagreements", "kind", "concept of kg:DisagreementKinds"),
        ("estimates", "quantity", "entity of kg:Quantity"), ("group-neighbourhood", "group", "entity of kg:Group"),
        ("groups", "group", "entity of kg:Group"), ("memberships", "country", "entity of kg:Country"),
        ("people", "person", "entity of kg:Person"), ("people", "organization", "entity of kg:Organization"),
        ("program-budgets", "program", "entity of kg:Program"), ("rehabilitation-centers", "place", "entity of kg:Place"),
        ("timeline", "kind", "class of kg:Event or kg:LegalAct or kg:Program")}
    # parameters that take any entity or any class stay open
    assert QUERIES["entity-statements"].param("entity").of == () and QUERIES["document-entities"].param("kind").of == ()


def test_the_listing_shows_the_set():
    proc = subprocess.run([sys.executable, "-m", "kg", "queries", "-f", "csv"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "-p group=<entity of kg:Group> the group to start from" in proc.stdout
    assert "-p kind=<concept of kg:DisagreementKinds>" in proc.stdout


ENTITY_CASES = [(name, p.name, p.of[0]) for name, p in CLOSED if p.type == "entity"]


@pytest.mark.parametrize("name,param,cls", ENTITY_CASES, ids=[f"{n}-{p}" for n, p, _ in ENTITY_CASES])
def test_an_entity_of_another_class_is_refused_and_one_of_the_class_taken(engine, name, param, cls):
    good, bad = OF[cls]
    message = _refused(engine, name, **{param: bad})
    wanted = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", cls.split(":")[1]).lower()
    assert re.match(rf"--param {param}: {bad} is an? [a-z ]+ \(kg:\w+\), not an? {wanted}[ :]", message), message
    assert "kg search NAME finds one" in message and "\n" not in message
    if good:
        bindings = bind(QUERIES[name], {param: good}, engine)
        assert bindings[param].value.endswith(good.split(":", 1)[1])


def test_the_refusal_says_what_the_value_is_and_gives_an_example(engine):
    assert _refused(engine, "group-neighbourhood", group="place:aktobe") == (
        "--param group: place:aktobe is a city (kg:City), not a group: give a group, e.g. group:alga-kazakhstan; "
        "kg search NAME finds one")
    # a name resolves first, then its class is checked
    assert _refused(engine, "memberships", country="Almaty").startswith("--param country: place:almaty is a city")


def test_a_program_with_a_budget_is_taken(engine):
    programs = [r["p"]["value"] for r in engine.query(
        f"SELECT DISTINCT ?p WHERE {{ ?p a <{KG}StateProgram> }} ORDER BY ?p LIMIT 1").rows]
    assert programs, "the graph has a state program"
    assert bind(QUERIES["program-budgets"], {"program": programs[0]}, engine)["program"].value == programs[0]


def test_a_class_outside_the_set_is_refused_and_the_listing_names_the_set(engine):
    message = _refused(engine, "timeline", kind="kg:Person")
    assert message.startswith("--param kind: kg:Person selects no event or legal act or program: give one of ")
    assert "kg:Attack" in message and "kg:Law" in message and "kg:StateProgram" in message
    assert "kg:Person" not in message.split("give one of")[1] and "kg:City" not in message
    for taken in ("kg:Attack", "kg:Repatriation", "kg:Law", "kg:Program", "schema:Event", "kg:Event"):
        assert bind(QUERIES["timeline"], {"kind": taken}, engine)["kind"].value == expand(taken)
    # any class of the ontology for a parameter that takes any
    assert bind(QUERIES["document-entities"], {"kind": "kg:Person"}, engine)["kind"].value == KG + "Person"


def test_a_kind_that_is_no_concept_is_refused_with_every_accepted_value(engine):
    message = _refused(engine, "disagreements", kind="nosuch")
    labels = {r["l"]["value"] for r in engine.query(
        f"SELECT ?l WHERE {{ ?c <http://www.w3.org/2004/02/skos/core#inScheme> <{KG}DisagreementKinds> ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }").rows}
    assert len(labels) == 9 and "different value" in labels
    assert message.startswith("--param kind: 'nosuch' is no concept of kg:DisagreementKinds; give one of: ")
    assert all(label in message for label in labels) and "(CitedSourceContradiction)" in message


@pytest.mark.parametrize("given,label", [("rounding", "rounding"), ("Rounding", "rounding"),
                                         ("DifferentValue", "different value"), ("different  Value", "different value"),
                                         ("CitedSourceContradiction", "contradicts its cited source"),
                                         ("kg:Rounding", "rounding"),
                                         ("<https://w3id.org/kzkg/ontology#PeriodMismatch>", "period")])
def test_a_kind_by_label_or_local_name_gives_the_rows_of_its_label(engine, given, label):
    q = QUERIES["disagreements"]
    assert bind(q, {"kind": given}, engine)["kind"].value == label
    assert run_named(engine, q, {"kind": given}).rows == run_named(engine, q, {"kind": label}).rows
    assert run_named(engine, q, {"kind": label}).rows


@pytest.mark.parametrize("args", [("disagreements", "kind=nosuch"), ("group-neighbourhood", "group=place:aktobe"),
                                  ("timeline", "kind=kg:Person"), ("attacks", "place=group:islamic-state")])
def test_the_command_line_refuses_in_one_line_with_exit_2(args):
    proc = _kg_query(*args)
    assert proc.returncode == 2 and proc.stdout == "" and "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: --param "), proc.stderr


def test_every_default_is_in_its_set(engine):
    for name, p in CLOSED:
        if p.default is not None:
            assert bind(QUERIES[name], {p.name: p.default}, engine)[p.name] is not None, (name, p.name)


@pytest.mark.parametrize("line,message", [
    ("#+   - g: entity of nosuch:Group; a group; optional", "bad 'entity of nosuch:Group'"),
    ("#+   - g: integer of kg:Group; a group; optional", "bad 'integer of kg:Group'"),
    ("#+   - k: concept; a kind; optional", "a concept parameter names its scheme"),
    ("#+   - k: concept of kg:A or kg:B; a kind; optional", "bad 'concept of kg:A or kg:B'"),
])
def test_a_malformed_set_is_refused_with_the_file_and_line(tmp_path, line, message):
    (tmp_path / "queries").mkdir()
    path = tmp_path / "queries" / "q.rq"
    var = line.split("-", 1)[1].split(":", 1)[0].strip()
    path.write_text(f"#+ summary: A question?\n#+ params:\n{line}\nSELECT ?{var} WHERE {{ ?{var} ?p ?o }}\n")
    with pytest.raises(QueryError, match=f"q.rq:3: {message}".replace("(", r"\(").replace("'", "'")):
        parse_query_file(path)


from test_virtuoso import VIRTUOSO, VirtuosoEngine, virtuoso  # noqa: E402,F401 (virtuoso: a fixture)


@pytest.mark.skipif(not VIRTUOSO, reason="Virtuoso Open Source is not installed (Debian: apt-get install "
                    "virtuoso-opensource; .ci/run does it)")
def test_the_checks_work_on_a_remote_store(virtuoso, engine):  # noqa: F811
    """On a store reached by --endpoint (Virtuoso, loaded by kg push), the same refusals and the same values."""
    remote = VirtuosoEngine(virtuoso, timeout=120)
    for name, given in [("group-neighbourhood", {"group": "place:aktobe"}), ("timeline", {"kind": "kg:Person"}),
                        ("disagreements", {"kind": "nosuch"}), ("people", {"organization": "person:abdullah-kazakh-boy"})]:
        assert _refused(remote, name, **given) == _refused(engine, name, **given)
    for name, given in [("group-neighbourhood", {"group": "group:islamic-state"}), ("timeline", {"kind": "kg:Attack"}),
                        ("disagreements", {"kind": "Rounding"})]:
        assert bind(QUERIES[name], given, remote) == bind(QUERIES[name], given, engine)


from test_query_page import _canonical, _run_in_page, server  # noqa: E402,F401 (server: a fixture)


def test_the_query_page_refuses_and_takes_the_same_values(server, engine):  # noqa: F811
    """The browser's query page (kg/static/query-page.html) reads the same headers and checks alike."""
    from kg.browser import find_chromium

    if not find_chromium():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    refused = {"k1": ("disagreements", {"kind": "nosuch"}, "is no concept of kg:DisagreementKinds; give one of: category, "),
               "k2": ("group-neighbourhood", {"group": "place:aktobe"}, "place:aktobe is not of kg:Group"),
               "k3": ("timeline", {"kind": "kg:Person"}, "kg:Person selects no kg:Event or kg:LegalAct or kg:Program")}
    taken = {"t1": ("disagreements", {"kind": "differentValue"}), "t2": ("timeline", {"kind": "kg:Attack"}),
             "t3": ("group-neighbourhood", {"group": "group:islamic-state"}),
             "t4": ("disagreements", {"kind": "kg:Rounding"})}
    jobs = [{"name": k, "text": QUERIES[n].text, "given": g} for k, (n, g, *_) in {**refused, **taken}.items()]
    answers = _run_in_page(server, jobs).result
    for key, (_, _, said) in refused.items():
        assert said in answers[key].get("error", ""), (key, answers[key])
    for key, (name, given) in taken.items():
        expected = run_named(engine, QUERIES[name], given, limit=100)
        assert expected.rows and "error" not in answers[key], (key, answers[key])
        assert _canonical(expected.variables, answers[key]["first"]["bindings"]) == _canonical(expected.variables, expected.rows)


def test_the_site_question_pages_show_the_set(engine, tmp_path):
    from kg.site import write_site

    out = write_site(engine, tmp_path / "site", corpus=None).out
    page = (out / "question" / "group-neighbourhood.html").read_text(encoding="utf-8")
    assert "<td><code>group</code></td><td>entity of kg:Group</td>" in page
    assert "<td>concept of kg:DisagreementKinds</td>" in (out / "question" / "disagreements.html").read_text(encoding="utf-8")


def test_a_graph_stating_only_the_most_specific_class_is_judged_by_the_ontology():
    """kg build states every superclass; another graph may state only kg:Region: the hierarchy decides,
    and a graph without the ontology (no class declared) is not refused."""
    import pyoxigraph as ox

    from kg.store import OxigraphEngine

    def engine_of(turtle: str) -> OxigraphEngine:
        store = ox.Store()
        store.load(("@prefix kg: <%s> . @prefix owl: <http://www.w3.org/2002/07/owl#> . "
                    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n" % KG + turtle), format=ox.RdfFormat.TURTLE)
        return OxigraphEngine(store=store)

    region = "<https://w3id.org/kzkg/id/place/r2> a kg:Region .\n"
    ontology = engine_of(region + "kg:Region a owl:Class ; rdfs:subClassOf kg:Place . kg:Place a owl:Class . "
                                  "kg:Group a owl:Class .")
    assert bind(QUERIES["rehabilitation-centers"], {"place": "place:r2"}, ontology)["place"].value.endswith("/place/r2")
    assert _refused(ontology, "group-neighbourhood", group="place:r2").startswith(
        "--param group: place:r2 is a region (kg:Region), not a group: give a group; kg search NAME finds one")
    bare = engine_of(region)
    assert bind(QUERIES["group-neighbourhood"], {"group": "place:r2"}, bare)["group"].value.endswith("/place/r2")
