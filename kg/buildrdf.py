"""Filling rdflib's in-memory store faster, for ``kg build``: the same store, fewer Python calls.

The build merges some 60,000 triples into an rdflib ``Dataset`` (:func:`kg.build.assemble`) and adds
the aggregates to it (:func:`kg.aggregates.add_to_dataset`). rdflib's ``Memory.add`` spends most of
its time around the insertion: an event object made and dispatched for every triple (to no one),
the graph's name formatted into a string for every triple, three nested calls. :func:`triple_adder`
gives a function that makes the same changes to the store's indexes and context tables as
``Memory.add(triple, graph, quoted=False)`` with that work done once per graph; for any other
store, or one with event subscribers, it is ``store.add`` itself.
``tests/test_buildrdf.py`` compares the store's tables after both, over generated additions.
"""

from __future__ import annotations

__all__ = ["triple_adder"]


def triple_adder(store):
    """A function ``add(triple, graph)`` adding ``triple`` (a tuple of rdflib terms) to ``graph`` (an
    rdflib ``Graph`` over ``store``, not quoted) with the effect of ``store.add(triple, graph, False)``.

    For rdflib's ``Memory`` store without event subscribers it updates the store's tables directly
    (about twice as fast); for any other store (or a ``Memory`` whose tables are not laid out as
    expected) it calls ``store.add``. Remove nothing from the store while the function is in use
    (a removal may drop a graph's tables, which it keeps at hand): make a new one after. Raises
    nothing itself.
    """
    from rdflib.plugins.stores.memory import Memory

    def plain(triple, graph) -> None:
        store.add(triple, graph, False)

    if type(store) is not Memory or getattr(getattr(store, "dispatcher", None), "_dispatch_map", 0) is not None:
        return plain
    try:
        spo, pos, osp = store._Memory__spo, store._Memory__pos, store._Memory__osp
        contexts_of = store._Memory__tripleContexts
        triples_of = store._Memory__contextTriples
        all_contexts = store._Memory__all_contexts
        names = store._Memory__context_obj_map
        store._Memory__defaultContexts  # noqa: B018 - present in the layout this follows
    except AttributeError:
        return plain
    if not (isinstance(spo, dict) and isinstance(contexts_of, dict) and isinstance(triples_of, dict)
            and isinstance(all_contexts, set) and isinstance(names, dict) and None in triples_of):
        return plain
    known: dict = {}  # id(graph) -> (graph, its context name, whether {name: False, None: False} is the default)
    everything = triples_of[None]

    def add(triple, graph) -> None:
        seen = known.get(id(graph))
        default = store._Memory__defaultContexts
        if seen is None or seen[0] is not graph or default is None:
            if default is None:  # the first triple of the store sets the default contexts: as rdflib does
                store.add(triple, graph, False)
                return
            identifier = graph.identifier
            name = f"{identifier.__class__.__name__}:{identifier}"
            seen = known[id(graph)] = (graph, name, {name: False, None: False} == default)
            all_contexts.add(graph)
        _, name, usual = seen
        names[name] = graph
        in_graph = triples_of.get(name)
        if in_graph is None:
            in_graph = triples_of[name] = set()
        s, p, o = triple
        po = spo.get(s)
        if po is None:
            po = spo[s] = {}
        objects = po.get(p)
        if objects is None:
            objects = po[p] = {}
        if o in objects:  # the triple exists (in another graph, or in this one)
            contexts = contexts_of.get(triple)
            if contexts is None:
                contexts = contexts_of[triple] = default.copy()
            contexts[name] = False
            contexts[None] = False
            everything.add(triple)
            in_graph.add(triple)
            if contexts == default:
                del contexts_of[triple]
            return
        objects[o] = 1
        if not usual:
            contexts_of[triple] = {name: False, None: False}
        everything.add(triple)
        in_graph.add(triple)
        by_object = pos.get(p)
        if by_object is None:
            by_object = pos[p] = {}
        subjects = by_object.get(o)
        if subjects is None:
            subjects = by_object[o] = {}
        subjects[s] = 1
        by_subject = osp.get(o)
        if by_subject is None:
            by_subject = osp[o] = {}
        predicates = by_subject.get(s)
        if predicates is None:
            predicates = by_subject[s] = {}
        predicates[p] = 1

    return add
