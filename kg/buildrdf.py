"""Filling rdflib's in-memory store faster, for ``kg build``: the same store, fewer Python calls.

The build merges some 60,000 triples into an rdflib ``Dataset`` (:func:`kg.build.assemble`) and adds
the aggregates to it (:func:`kg.aggregates.add_to_dataset`). rdflib's ``Memory.add`` spends most of
its time around the insertion: an event object made and dispatched for every triple (to no one),
the graph's name formatted into a string for every triple, three nested calls. :func:`triple_adder`
gives a function that makes the same changes to the store's indexes and context tables as
``Memory.add(triple, graph, quoted=False)`` with that work done once per graph; for any other
store, or one with event subscribers, it is ``store.add`` itself. Reading every graph's triples
(:func:`graph_triples`) takes the store's per-graph sets as they are, where ``Dataset.quads`` and
``Graph.triples`` look the graphs of every triple up; :class:`DefaultGraphReader` answers the
look-ups of the build's checks on the default graph (``objects``, ``subjects``, ``value``...) from
the store's indexes with one set membership test per triple, in the order rdflib gives.
``tests/test_buildrdf.py`` compares the store's tables after both, over generated additions.
"""

from __future__ import annotations

__all__ = ["triple_adder", "graph_triples", "default_graph_reader", "DefaultGraphReader"]


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


def graph_triples(dataset) -> list:
    """``(triples, graph name)`` for every graph of an rdflib ``Dataset`` that holds triples (the
    default graph named ``DATASET_DEFAULT_GRAPH_ID``), ``triples`` an iterable of ``(s, p, o)``.

    Read from rdflib's ``Memory`` store directly when it is one (its per-graph sets: do not change
    the dataset while iterating them); for any other store, from ``Dataset.quads``. Raises nothing.
    """
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    store = dataset.store
    by_graph = getattr(store, "_Memory__contextTriples", None)
    graphs = getattr(store, "_Memory__context_obj_map", None)
    if not isinstance(by_graph, dict) or not isinstance(graphs, dict):
        named: dict = {}
        for s, p, o, g in dataset.quads((None, None, None, None)):
            named.setdefault(g if g is not None else DATASET_DEFAULT_GRAPH_ID, []).append((s, p, o))
        return [(triples, name) for name, triples in named.items()]
    return [(triples, graphs[key].identifier) for key, triples in by_graph.items() if key is not None and triples]


class DefaultGraphReader:
    """The look-ups of an rdflib ``Graph`` (``triples``, ``objects``, ``subjects``, ``subject_objects``,
    ``predicate_objects``, ``value``, ``in``) on the default graph of a ``Dataset`` held by rdflib's
    ``Memory`` store, giving the same triples in the same order as ``Memory.triples``, read from the
    store's indexes with a set membership test for the graph (where rdflib looks up every context of
    every triple). Read-only: do not change the dataset while it is in use. Made by
    :func:`default_graph_reader`."""

    def __init__(self, spo: dict, pos: dict, osp: dict, triples: set):
        self._spo, self._pos, self._osp, self._in = spo, pos, osp, triples

    def triples(self, pattern):
        s, p, o = pattern
        held = self._in
        if s is None and p is None and o is None:
            yield from held.copy()  # (as rdflib: a copy of a set may iterate in another order than the set)
        elif s is not None:
            by_p = self._spo.get(s)
            if not by_p:
                return
            for pp in ([p] if p is not None else list(by_p)):
                objects = by_p.get(pp)
                if objects is None:
                    continue
                for oo in ([o] if o is not None else list(objects)):
                    if oo in objects and (s, pp, oo) in held:
                        yield (s, pp, oo)
        elif p is not None:
            by_o = self._pos.get(p)
            if not by_o:
                return
            for oo in ([o] if o is not None else list(by_o)):
                subjects = by_o.get(oo)
                if subjects is None:
                    continue
                for ss in list(subjects):
                    if (ss, p, oo) in held:
                        yield (ss, p, oo)
        else:
            by_s = self._osp.get(o)
            if not by_s:
                return
            for ss in list(by_s):
                for pp in list(by_s[ss]):
                    if (ss, pp, o) in held:
                        yield (ss, pp, o)

    def __contains__(self, triple) -> bool:
        return any(True for _ in self.triples(triple))

    def objects(self, subject=None, predicate=None):
        return (o for _, _, o in self.triples((subject, predicate, None)))

    def subjects(self, predicate=None, object=None):
        return (s for s, _, _ in self.triples((None, predicate, object)))

    def subject_objects(self, predicate=None):
        return ((s, o) for s, _, o in self.triples((None, predicate, None)))

    def predicate_objects(self, subject=None):
        return ((p, o) for _, p, o in self.triples((subject, None, None)))

    def value(self, subject=None, predicate=None, object=None, default=None):
        """The first term of the one position left ``None`` (rdflib's ``Graph.value`` with ``any=True``)."""
        if subject is None:
            found = self.subjects(predicate, object)
        elif predicate is None:
            found = (p for _, p, _ in self.triples((subject, None, object)))
        else:
            found = self.objects(subject, predicate)
        return next(iter(found), default)


def default_graph_reader(dataset):
    """A :class:`DefaultGraphReader` of the default graph of an rdflib ``Dataset``, or that default
    graph itself (an rdflib ``Graph``, the same look-ups) when its store is not laid out as
    rdflib's ``Memory`` is. Raises nothing."""
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
    from rdflib.plugins.stores.memory import Memory

    graph = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    store = dataset.store
    if type(store) is not Memory:
        return graph
    try:
        spo, pos, osp = store._Memory__spo, store._Memory__pos, store._Memory__osp
        by_graph, names = store._Memory__contextTriples, store._Memory__context_obj_map
    except AttributeError:
        return graph
    if not all(isinstance(x, dict) for x in (spo, pos, osp, by_graph, names)):
        return graph
    key = next((k for k, g in names.items() if k is not None and g.identifier == DATASET_DEFAULT_GRAPH_ID), None)
    held = by_graph.get(key) if key is not None else None
    held = set() if held is None else held  # (no triple in the default graph, or none left)
    if not isinstance(held, set):
        return graph
    return DefaultGraphReader(spo, pos, osp, held)
