"""kg.buildrdf.triple_adder leaves rdflib's memory store exactly as Memory.add does: every index and
context table compared after the same generated additions (triples repeated in one graph, shared
between graphs, the default graph among them, the first triple of the store in any graph)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.buildrdf import triple_adder

TERMS = [URIRef(f"urn:x:{i}") for i in range(4)]
OBJECTS = TERMS + [Literal("a"), Literal("a", lang="en"), Literal(1)]
GRAPHS = [DATASET_DEFAULT_GRAPH_ID, URIRef("urn:g:1"), URIRef("urn:g:2")]

additions = st.lists(st.tuples(st.sampled_from(TERMS), st.sampled_from(TERMS[:2]), st.sampled_from(OBJECTS),
                               st.sampled_from(range(len(GRAPHS)))), max_size=40)


def tables(dataset: Dataset) -> dict:
    store = dataset.store
    return {"spo": store._Memory__spo, "pos": store._Memory__pos, "osp": store._Memory__osp,
            "contexts of": store._Memory__tripleContexts, "triples of": store._Memory__contextTriples,
            "default": store._Memory__defaultContexts,
            "graphs": sorted(str(g.identifier) for g in store._Memory__all_contexts),
            "names": {k: str(g.identifier) for k, g in store._Memory__context_obj_map.items()},
            "quads": sorted((str(s), str(p), str(o), str(g)) for s, p, o, g in dataset.quads((None, None, None, None)))}


@settings(max_examples=150, deadline=None)
@given(additions, st.booleans())
def test_the_adder_leaves_the_store_as_memory_add_does(steps, graphs_first):
    plain, fast = Dataset(), Dataset()
    graphs = {id(ds): [ds.graph(name) for name in GRAPHS] for ds in (plain, fast)} if graphs_first else None
    add = triple_adder(fast.store)
    for s, p, o, g in steps:
        pg = graphs[id(plain)][g] if graphs else plain.graph(GRAPHS[g])
        fg = graphs[id(fast)][g] if graphs else fast.graph(GRAPHS[g])
        plain.store.add((s, p, o), pg, False)
        add((s, p, o), fg)
    assert tables(fast) == tables(plain)
    for name in GRAPHS:  # and rdflib reads each graph alike
        assert set(fast.graph(name)) == set(plain.graph(name))


def test_the_adder_is_store_add_for_another_store():
    from rdflib.plugins.stores.memory import SimpleMemory

    store = SimpleMemory()
    add = triple_adder(store)
    add((TERMS[0], TERMS[1], TERMS[2]), None)
    assert list(store.triples((None, None, None))) and len(store) == 1


PATTERN_TERMS = st.sampled_from([None, *TERMS[:3]])
patterns = st.tuples(PATTERN_TERMS, st.sampled_from([None, *TERMS[:2]]), st.sampled_from([None, *OBJECTS[:2], OBJECTS[4]]))


@settings(max_examples=150, deadline=None)
@given(additions, st.lists(st.tuples(st.sampled_from(TERMS), st.sampled_from(TERMS[:2]), st.sampled_from(OBJECTS),
                                     st.sampled_from(range(len(GRAPHS)))), max_size=6), st.lists(patterns, min_size=1, max_size=8))
def test_the_default_graph_reader_gives_rdflib_s_triples_in_its_order(steps, removed, looked_up):
    """kg.buildrdf.DefaultGraphReader answers every look-up as the default graph of the dataset does,
    in the same order: triples in named graphs only, in both, removed from one, among them."""
    from kg.buildrdf import DefaultGraphReader, default_graph_reader

    dataset = Dataset()
    for s, p, o, g in steps:
        dataset.graph(GRAPHS[g]).add((s, p, o))
    for s, p, o, g in removed:
        dataset.graph(GRAPHS[g]).remove((s, p, o))
    graph = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    reader = default_graph_reader(dataset)
    assert isinstance(reader, DefaultGraphReader)
    for s, p, o in looked_up:
        assert list(reader.triples((s, p, o))) == list(graph.triples((s, p, o)))
        assert ((s or TERMS[0], p or TERMS[0], o or TERMS[0]) in reader) == ((s or TERMS[0], p or TERMS[0], o or TERMS[0]) in graph)
        assert list(reader.objects(s, p)) == list(graph.objects(s, p))
        assert list(reader.subjects(p, o)) == list(graph.subjects(p, o))
        assert list(reader.subject_objects(p)) == list(graph.subject_objects(p))
        assert list(reader.predicate_objects(s)) == list(graph.predicate_objects(s))
        if s is not None and o is not None:
            assert reader.value(s, None, o) == graph.value(s, None, o)
        if s is not None and p is not None:
            assert reader.value(s, p) == graph.value(s, p)
        if p is not None and o is not None:
            assert reader.value(None, p, o) == graph.value(None, p, o)


def test_the_default_graph_reader_is_the_graph_for_another_store():
    from rdflib.plugins.stores.memory import SimpleMemory  # noqa: F401 - a store without graphs

    from kg.buildrdf import default_graph_reader

    dataset = Dataset(store="Memory")
    dataset.store.__class__ = type("OtherMemory", (dataset.store.__class__,), {})
    assert default_graph_reader(dataset) is not None
    assert not hasattr(default_graph_reader(dataset), "_spo")
