"""The quality checks (queries/checks/*-violation.rq) report the same messages, in the same order,
and the build-time aggregates are the same quads, whatever store they run on: a store returns rows
in no fixed order (pyoxigraph's in-memory store iterates in an order that changes from one store to
the next, even in one process). A check that picked "any" value of a group (``SAMPLE``) named a
different evidence graph from one build to the next, so that a rebuild reported other errors than
the build before it; the kinds of a disagreement were joined (``GROUP_CONCAT``) in the store's order.
"""

from __future__ import annotations

import random
import re

from kg.store import OxigraphEngine
from kg.validate import CHECKS_DIR, load_checks, run_checks

KG = "https://w3id.org/kzkg/ontology#"
ID = "https://w3id.org/kzkg/id/"


def test_no_check_picks_an_arbitrary_value_of_a_group():
    for name, _, text in load_checks(CHECKS_DIR):
        code = "\n".join(line.split("#", 1)[0] if not line.lstrip().startswith("#+") else "" for line in text.splitlines())
        assert not re.search(r"\b(SAMPLE|GROUP_CONCAT)\s*\(", code, re.I), f"{name}: SAMPLE / GROUP_CONCAT depend on the row order"


def _quads() -> list[bytes]:
    """One entity without a card used in 40 evidence graphs, a property outside the ontology used on
    40 subjects, and one card used by no evidence: each check has a group with many candidates."""
    lines = [f"<{ID}place/known> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KG}Place> .",
             f'<{ID}place/known> <http://www.w3.org/2004/02/skos/core#prefLabel> "Known"@en .']
    for i in range(40):
        ev = f"{ID}evidence/d001-{100 * i}-{100 * i + 50}"
        event = f"{ID}event/e{i}"
        lines += [f"<{event}> <{KG}place> <{ID}place/nowhere> <{ev}> .",
                  f"<{event}> <{KG}place> <{ID}place/nowhere> .",
                  f'<{event}> <{KG}notAProperty> "x{i}" .',
                  f"<{event}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KG}Attack> ."]
    return [line.encode() for line in lines]


def test_checks_give_the_same_messages_on_stores_loaded_in_any_order():
    lines = _quads()
    shuffle = random.Random(12)
    seen = []
    for _ in range(12):
        shuffle.shuffle(lines)
        seen.append(run_checks(OxigraphEngine(b"\n".join(lines) + b"\n")))
    assert any("[missing-card-violation]" in m and "place:nowhere" in m for m in seen[0])
    assert any("[undefined-term-violation]" in m and "notAProperty" in m for m in seen[0])
    # the smallest graph and subject of each group, and the messages of each check sorted
    assert [m for m in seen[0] if "[missing-card-violation]" in m and "d001-0-50" in m]
    assert all(messages == seen[0] for messages in seen)


def test_the_aggregates_are_the_same_whatever_order_the_store_holds_the_quads_in(built):
    """The build-time aggregates (kg.aggregates.compute) of the curated graph computed on stores loaded
    in shuffled orders: the same quads (the kinds of a disagreement were joined in the store's order)."""
    import pyoxigraph as ox

    from kg.aggregates import compute, is_aggregate

    store = ox.Store()
    store.load(input=built.nquads, format=ox.RdfFormat.N_QUADS)
    quads = [q for q in store if not is_aggregate(q.subject.value, q.predicate.value)]
    shuffle = random.Random(12)
    seen = []
    for _ in range(4):
        shuffle.shuffle(quads)
        copy = ox.Store()
        copy.extend(quads)
        seen.append(set(compute(copy)))
    assert len(seen[0]) > 1000 and all(found == seen[0] for found in seen)
    assert any(", " in q.object.value for q in seen[0] if q.predicate.value.endswith("#sortKey"))  # several kinds joined


def test_the_checks_hold_on_the_published_graph(engine):
    """The checks run in kg build before the aggregates are computed; a user runs them again on what
    the build published (build/kg.nq, or a store it was pushed to), aggregates included. There they
    named the build's own nodes (W3C terms such as oa:hasSource on the rows of kg/aggregates.py, the
    dataset description without evidence) as the user's errors."""
    assert run_checks(engine) == []
