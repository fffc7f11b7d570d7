"""What kg sends a remote store: IRI parameters as constants in the text (kg.remote.inline_iris) and a page
of one row padded with an empty row (kg.paging.run_page), checked on the embedded engine.

Virtuoso 7.2 answers some forms of a value bound by ``VALUES`` otherwise than from a constant
(tests/test_virtuoso.py); the text sent to it must still mean what the question means. Here every named
question, with its defaults and with the selective values the Virtuoso tests use, runs through an engine
that takes the remote store's texts, on the embedded engine: the same rows as the embedded engine's own
texts, whole and by pages.
"""

from __future__ import annotations

import re

import pytest

from kg.paging import NO_ROW
from kg.query import bind, for_engine, load_queries, render, run_named
from kg.remote import RemoteEngine, inline_iris

from test_query import required_params
from test_serve import canonical
from test_virtuoso import CASES

IS = "<https://w3id.org/kzkg/id/group/islamic-state>"


class AsRemote:
    """The embedded engine, sent the texts a remote store is sent."""

    inline_parameters = RemoteEngine.inline_parameters
    pads_one_row_pages = RemoteEngine.pads_one_row_pages

    def __init__(self, engine):
        self.engine, self.texts = engine, []

    def query(self, text, bindings=None, **options):
        self.texts.append(text)
        return self.engine.query(text, bindings, **options)


def test_a_remote_engine_is_sent_constants_and_the_embedded_one_is_not(engine):
    assert for_engine(RemoteEngine("http://127.0.0.1:9/sparql")) and for_engine(AsRemote(engine))
    assert not for_engine(engine)
    q = load_queries()["group-neighbourhood"]
    bindings = bind(q, {"group": "group:islamic-state"}, engine)
    plain, sent = render(q, bindings), render(q, bindings, constants=True)
    assert "?group (kg:pledgedAllegianceTo" in plain and f"{IS} (kg:pledgedAllegianceTo" in sent
    assert sent.count("VALUES (?group ?steps)") == 1  # the block stays
    assert f"?id != {IS}" in sent  # an expression takes it too
    assert not re.search(r"\?group\b", sent.replace("VALUES (?group ?steps)", ""))


@pytest.mark.parametrize("text, expected", [
    # the projection, AS, GROUP BY, ORDER BY and VALUES keep the variable; patterns and FILTERs take the IRI
    ("SELECT ?g (COUNT(?g) AS ?n) WHERE { VALUES ?g { <x:a> } ?g <x:p> ?o FILTER(?o != ?g) } GROUP BY ?g ORDER BY ?g",
     "SELECT ?g (COUNT(?g) AS ?n) WHERE { VALUES ?g { <x:a> } <x:a> <x:p> ?o FILTER(?o != <x:a>) } GROUP BY ?g ORDER BY ?g"),
    ("SELECT * WHERE { VALUES (?g) { (<x:a>) } BIND(?g AS ?h) OPTIONAL { ?s ?p ?g } }",
     "SELECT * WHERE { VALUES (?g) { (<x:a>) } BIND(<x:a> AS ?h) OPTIONAL { ?s ?p <x:a> } }"),
    # nor inside EXISTS (Virtuoso refuses a transitive path from a constant there)
    ("SELECT ?s WHERE { VALUES ?g { <x:a> } ?s <x:p> ?g FILTER NOT EXISTS { ?g <x:q>+ ?s } }",
     "SELECT ?s WHERE { VALUES ?g { <x:a> } ?s <x:p> <x:a> FILTER NOT EXISTS { ?g <x:q>+ ?s } }"),
    ("SELECT ?s WHERE { VALUES ?g { <x:a> } FILTER(?s != ?g && EXISTS { ?g <x:q> ?s }) ?s ?p ?g }",
     "SELECT ?s WHERE { VALUES ?g { <x:a> } FILTER(?s != <x:a> && EXISTS { ?g <x:q> ?s }) ?s ?p <x:a> }"),
    # strings, IRIs and comments are read past; other variables and $g alike are kept apart
    ('SELECT ?s WHERE { VALUES ?g { <x:a> } ?s <x:p?g> "?g" # ?g\n ?s ?gg $g }',
     'SELECT ?s WHERE { VALUES ?g { <x:a> } ?s <x:p?g> "?g" # ?g\n ?s ?gg <x:a> }'),
    # a sub-select: its projection and GROUP BY keep the variable, its patterns take the IRI
    ("SELECT ?s WHERE { { SELECT ?s ?g WHERE { VALUES ?g { <x:a> } ?s <x:p> ?g } GROUP BY ?s ?g } ?s <x:q> ?g }",
     "SELECT ?s WHERE { { SELECT ?s ?g WHERE { VALUES ?g { <x:a> } ?s <x:p> <x:a> } GROUP BY ?s ?g } ?s <x:q> <x:a> }"),
])
def test_inline_iris_writes_the_constant_where_it_means_the_same(text, expected):
    assert inline_iris(text, {"g": "<x:a>"}) == expected


ALL_CASES = [(name, {}) for name in sorted(load_queries())] + CASES


@pytest.mark.parametrize("name, params", ALL_CASES, ids=[f"{n}-{'-'.join(p.values())}" if p else n for n, p in ALL_CASES])
def test_the_remote_texts_give_the_embedded_engines_rows(engine, name, params):
    """Whole, and by pages of one row (padded) and of seven: the rows of the embedded engine's own texts."""
    q = load_queries()[name]
    given = {**required_params(q), **params}
    remote = AsRemote(engine)
    assert canonical(run_named(remote, q, given)) == canonical(run_named(engine, q, given))
    total = run_named(engine, q, given, limit=1).total
    for limit, offset in ((1, 0), (1, total // 2), (7, 3)):
        local, far = run_named(engine, q, given, limit=limit, offset=offset), run_named(remote, q, given, limit=limit, offset=offset)
        assert (far.total, canonical(far)) == (local.total, canonical(local)), (limit, offset)
    assert not any(NO_ROW in str(row) for row in run_named(remote, q, given, limit=1).rows)
