"""Pages of the question of disagreements with ``kind`` (kg/aggregates_kinds.py, ``#+ ranks kinds``): every
page is the same rows of the whole answer, found from the places kg build gives the rows of each
selection of kinds, without sorting the core; on the embedded engine and on Virtuoso."""

import pyoxigraph as ox
import pytest

from kg.aggregates import AGGREGATES, compute, is_aggregate
from kg.paging import page_plan
from kg.query import bind, get_query, render, run_named
from kg.store import OxigraphEngine
from test_paging_ranks import Recording

KG = "https://w3id.org/kzkg/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
KINDS = ["different value", "DifferentValue", "Different Value", "DIFFERENTVALUE", "rounding", "Rounding", "category",
         "CategoryMismatch", "period", "unit", "UnitConflict", "status", "self-contradiction", "SelfContradiction",
         "contradicts its cited source", "possibly the same event", "PossiblySameEvent"]


def _pages(engine, given: dict, size: int) -> tuple[list, Recording]:
    """Every page of ``size`` rows of the question with ``given``, and the engine that recorded the texts."""
    q = get_query("disagreements")
    recording = Recording(engine)
    total = run_named(engine, q, given, limit=1).total
    rows = []
    for offset in range(0, total + 2 * size, size):
        page = run_named(recording, q, given, limit=size, offset=offset)
        assert (page.total, page.offset) == (total, offset), (given, size, offset)
        rows += page.rows
    return rows, recording


def _core(engine, given: dict) -> str:
    q = get_query("disagreements")
    return page_plan(render(q, bind(q, given, engine))).core


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_of_a_kind_is_the_rows_of_the_whole_answer_found_without_sorting(engine, kind):
    whole = run_named(engine, get_query("disagreements"), {"kind": kind}).rows
    assert whole, kind  # every kind of the ontology has rows in the curated graph
    for size in (1, 7, 100):
        rows, recording = _pages(engine, {"kind": kind}, size)
        assert rows == whole, (kind, size)
        assert _core(engine, {"kind": kind}) not in recording.texts, "the core was sorted instead of looked up"


def test_the_computed_conflicts_are_kept_only_for_different_value(engine):
    q = get_query("disagreements")
    computed = lambda rows: sum(r["kindName"]["value"].startswith("different value (computed") for r in rows)  # noqa: E731
    assert computed(run_named(engine, q, {"kind": "differentvalue"}, limit=1000).rows) > 0
    assert computed(run_named(engine, q, {"kind": "rounding"}, limit=1000).rows) == 0


def _with_an_empty_kind(engine) -> OxigraphEngine:
    """The curated graph with one more concept of kg:DisagreementKinds, which no disagreement has (a
    value that is no kind is refused: tests/test_param_types.py)."""
    kg, skos = "https://w3id.org/kzkg/ontology#", "http://www.w3.org/2004/02/skos/core#"
    store = ox.Store()
    store.extend(engine.store.quads_for_pattern(None, None, None))
    kind = ox.NamedNode(kg + "EmptyKind")
    store.add(ox.Quad(kind, ox.NamedNode(skos + "inScheme"), ox.NamedNode(kg + "DisagreementKinds")))
    store.add(ox.Quad(kind, ox.NamedNode(skos + "prefLabel"), ox.Literal("empty kind", language="en")))
    return OxigraphEngine(store=store)


@pytest.mark.parametrize("given", [{"kind": "empty kind"}, {"kind": "rounding", "entity": "group:islamic-state"}])
def test_a_kind_that_selects_nothing_or_with_an_entity_sorts_the_core(engine, given):
    if given["kind"] == "empty kind":
        engine = _with_an_empty_kind(engine)
        assert run_named(engine, get_query("disagreements"), given).rows == []
    whole = run_named(engine, get_query("disagreements"), given).rows
    rows, recording = _pages(engine, given, 3)
    assert rows == whole
    assert _core(engine, given) in recording.texts


def _rebuilt(engine, extra: str) -> OxigraphEngine:
    """The curated graph without its aggregates, with ``extra`` N-Quads added, and the aggregates of that."""
    store = ox.Store()
    store.extend(q for q in engine.store.quads_for_pattern(None, None, None)
                 if not (isinstance(q.graph_name, ox.DefaultGraph)
                         and is_aggregate(getattr(q.subject, "value", ""), q.predicate.value)))
    store.load(input=extra.encode(), format=ox.RdfFormat.N_QUADS)
    store.extend(compute(store))
    return OxigraphEngine(store=store)


def test_a_value_naming_two_kinds_and_a_disagreement_of_two_kinds(engine):
    # "unitconflict" becomes also a label of kg:Rounding (so it names two concepts), and a disagreement
    # of one kind gets a second: their rows are in two selections, and pages still follow the answer
    first = engine.query(f"SELECT ?d WHERE {{ ?d a <{KG}Disagreement> ; <{KG}disagreementKind> <{KG}DifferentValue> }} "
                         "ORDER BY ?d LIMIT 3").rows
    extra = f'<{KG}Rounding> <{SKOS}prefLabel> "UnitConflict"@en .\n' + "".join(
        f'<{r["d"]["value"]}> <{KG}disagreementKind> <{KG}UnitConflict> .\n' for r in first)
    changed = _rebuilt(engine, extra)
    q = get_query("disagreements")
    for kind in ("unitconflict", "unit", "rounding", "different value"):
        whole = run_named(changed, q, {"kind": kind}).rows
        rows, recording = _pages(changed, {"kind": kind}, 4)
        assert rows == whole, kind
        assert _core(changed, {"kind": kind}) not in recording.texts, kind
    ids = lambda kind: {tuple(sorted((k, v["value"]) for k, v in r.items())) for r in run_named(changed, q, {"kind": kind}).rows}  # noqa: E731
    assert ids("unitconflict") == ids("unit") | ids("rounding")
    assert ids("unit") & ids("rounding")  # some disagreements are of both kinds: their rows are kept once
    assert len(run_named(changed, q, {"kind": "unit"}).rows) > len(run_named(engine, q, {"kind": "unit"}).rows)


def test_a_store_built_without_the_places_sorts_the_core(engine):
    store = ox.Store()
    store.extend(q for q in engine.store.quads_for_pattern(None, None, None)
                 if not getattr(q.subject, "value", "").startswith(AGGREGATES + "kinds-"))
    bare = OxigraphEngine(store=store)
    whole = run_named(engine, get_query("disagreements"), {"kind": "period"}).rows
    rows, recording = _pages(bare, {"kind": "period"}, 10)
    assert rows == whole
    assert _core(bare, {"kind": "period"}) in recording.texts


def test_each_selection_counts_its_places(engine):
    counts = {r["s"]["value"]: int(r["n"]["value"]) for r in engine.query(
        f"SELECT ?s ?n WHERE {{ ?s <http://rdfs.org/ns/void#triples> ?n FILTER(STRSTARTS(STR(?s), '{AGGREGATES}kinds-')) }}").rows}
    places = {}
    for r in engine.query(f"SELECT ?n ?p WHERE {{ ?n <{KG}kindPlace> ?p ; <{KG}kindRow> ?row }}").rows:
        selection, _, place = r["n"]["value"].rpartition("-")
        assert place == r["p"]["value"]  # the node is named by its selection and place
        places.setdefault(selection, []).append(int(place))
    assert len(counts) == 9  # one selection per kind of the ontology (its label and its name select the same)
    assert {s: sorted(p) for s, p in places.items()} == {s: list(range(1, n + 1)) for s, n in counts.items() if n}


# the same pages through Virtuoso (tests/test_virtuoso.py starts it; skipped where it is not installed)
from test_virtuoso import VirtuosoEngine, loose, virtuoso  # noqa: E402,F401


@pytest.mark.parametrize("kind", ["different value", "rounding", "SelfContradiction"])
def test_pages_of_a_kind_are_the_same_on_virtuoso(virtuoso, engine, kind):  # noqa: F811
    q = get_query("disagreements")
    recording = Recording(VirtuosoEngine(virtuoso, timeout=120))
    total = run_named(engine, q, {"kind": kind}, limit=1).total
    for limit, offset in ((10, 0), (7, 5), (100, total // 2), (10, max(0, total - 4)), (5, total + 3)):
        local = run_named(engine, q, {"kind": kind}, limit=limit, offset=offset)
        far = run_named(recording, q, {"kind": kind}, limit=limit, offset=offset)
        assert (far.total, far.variables) == (local.total, local.variables), (limit, offset)
        assert loose(far) == loose(local), (limit, offset)
    assert _core(engine, {"kind": kind}) not in recording.texts
