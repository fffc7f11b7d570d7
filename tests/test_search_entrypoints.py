"""One name, one entity: every command that turns a typed name into an IRI takes the same entity, or
refuses the name alike (kg.search.entity_iri).

The entry points: ``kg query -p entity=`` (kg.query.bind), ``kg show`` (its command, the card
recorded), ``kg network --around`` (kg.network.filter_graph on the actor projection, as the command
calls it), the mark of ``kg search`` (its command, JSON output) and the query page's resolution
(``kgResolve`` of kg/static/search.js). The names: every label, alias, title and misspelling of the
curated graph, the class words (singular and plural), names several entities carry, near-misses
(cut, misspelt, lower case, one word of a longer name), dates, prefixed names and IRIs, known and
unknown.
"""

from __future__ import annotations

import json
import re

import pytest

from kg.iris import shorten
from kg.query import ParamError

ID = "https://w3id.org/kzkg/id/"


def _outcome(call, name):
    """``("ok", iri)`` or ``("refused", message)`` for one entry point and one name."""
    try:
        return "ok", call(name)
    except ParamError as exc:
        return "refused", str(exc)


@pytest.fixture(scope="module")
def names(engine):
    """The names every entry point is asked (see the module), in a fixed order."""
    from kg.search import class_words, export_index

    entries = export_index(engine)
    typed = sorted({t for e in entries for t in [e["label"], *e["aliases"], *e["titles"], *e["hidden"]]})
    words = class_words(engine)
    near = []
    for i, label in enumerate(typed[::29]):
        parts = label.split()
        near += [label[:-1], label.lower(), parts[0], " ".join(parts[1:])]
        near.append(label[:2] + label[3:] if i % 2 else label + "s")  # a letter dropped, or a plural
    special = ["Ministry of Culture", "Ministry of Internal Affairs", "May 2011", "2016", "the attack", "Tablighi",
               "Obama", "Islamic Stat", "Xyzzy Plugh", "ISIL", "Nur-Sultan", "Ақтөбе attacks", "President"]
    iris = [shorten(e["iri"]) for e in entries[::25]] + [e["iri"] for e in entries[::50]] + [
        "group:no-such-group", f"<{ID}group/islamic-state>", f"{ID}place/nowhere", "kg:Attack"]
    out = list(dict.fromkeys(typed + words + [w + "s" for w in words] + near + special + iris))
    return [n for n in out if n.strip()]


def _query(engine):
    from kg.query import bind, get_query

    question = get_query("entity-statements")
    return lambda name: bind(question, {"entity": name}, engine)["entity"].value


def _network(engine):
    """``kg network --around NAME`` as the command resolves it: filter_graph on the actor projection; a
    refusal because the entity is not a node of that network is the entity it names."""
    from kg import network

    actors = network.project(engine, "actor")

    def call(name):
        try:
            return network.filter_graph(actors, around=name, steps=0, engine=engine).graph["centre"]
        except KeyError as exc:
            message = exc.args[0].removeprefix("--around: ")
            named = re.search(r" names (\S+), which is not a node of the actor network", message)
            if named:
                from kg.query import expand

                return expand(named.group(1))
            raise ParamError(message) from None

    return call


def _show(engine, monkeypatch, capsys):
    """``kg show NAME``: the command run, the IRI its card is drawn for recorded."""
    from kg import cli, showcard

    drawn = []
    monkeypatch.setattr(cli, "_engine", lambda args, root: engine)
    monkeypatch.setattr(showcard, "entity_card", lambda engine, iri, **kw: drawn.append(iri) or "")

    def call(name):
        drawn.clear()
        code = cli.main(["show", name, "--no-passages"])
        err = capsys.readouterr().err
        if code == cli.OK:
            assert len(drawn) == 1
            return drawn[0]
        assert code == cli.USAGE_ERROR and err.startswith("kg: error: "), err
        raise ParamError(err.strip().removeprefix("kg: error: "))

    return call


def test_every_entry_point_takes_the_same_entity_or_refuses_alike(engine, names, monkeypatch, capsys):
    """The same name gives the same entity through -p entity=, kg show and kg network --around, or the
    same refusal (the same message, whatever option the entry point names first)."""
    from kg.cli import printable

    calls = {"query": _query(engine), "show": _show(engine, monkeypatch, capsys), "network": _network(engine)}
    differ = []
    for name in names:
        got = {where: _outcome(call, name) for where, call in calls.items()}
        bodies = {(kind, printable(value).removeprefix("--param entity: ")) for kind, value in got.values()}
        if len(bodies) > 1:
            differ.append((name, got))
    assert differ == [], f"{len(differ)} of {len(names)} names differ, first: {differ[:3]}"
    assert len(names) > 1700


def test_the_mark_of_kg_search_is_the_entity_the_other_commands_take(engine, names, monkeypatch, capsys):
    """kg search marks (``taken`` = ``*``) the entity -p entity= takes, and marks none for a name it
    refuses: a sample of the names (each search ranks every key of the graph)."""
    from kg import cli

    monkeypatch.setattr(cli, "_engine", lambda args, root: engine)
    query = _query(engine)
    sample = names[::5] + ["attack", "Ministry of Culture", "Tablighi", "Islamic Stat", "May 2011",
                           "group:islamic-state", "group:no-such-group"]
    differ = []
    for name in sample:
        code = cli.main(["search", name, "-n", "0", "-f", "json", "--columns", "taken,entity"])
        out = capsys.readouterr().out
        rows = json.loads(out)["results"]["bindings"] if code == cli.OK else []
        marked = [r["entity"]["value"] for r in rows if r.get("taken", {}).get("value") == "*"]
        if marked:  # the entity taken is the first row
            assert rows[0]["entity"]["value"] == marked[0], name
        kind, value = _outcome(query, name)
        expected = [value] if kind == "ok" else []
        if marked != expected:
            differ.append((name, marked, expected))
    assert differ == [], f"{len(differ)} of {len(sample)} names differ, first: {differ[:5]}"


RESOLVE_SCRIPT = """
const s = require(process.argv[1]);
let data = ""; process.stdin.on("data", d => data += d); process.stdin.on("end", () => {
  const {index, texts, classes} = JSON.parse(data);
  process.stdout.write(JSON.stringify(texts.map(t => s.kgResolve(index, t, classes).iri)));
});
"""


def test_the_query_page_takes_the_same_entity_for_every_name(engine, names):
    """kgResolve (kg/static/search.js, what kg serve's query page runs) takes the entity -p entity=
    takes for the names that are not IRIs (a sample), and refuses what it refuses."""
    from test_search import _node

    from kg.query import expand
    from kg.search import _CLASS_LABELS, export_index

    typed = [n for n in names[::5] if expand(n) is None]  # a sample: search.js ranks every key for each name
    classes = [r["label"]["value"] for r in engine.query(_CLASS_LABELS).rows]
    got = _node(RESOLVE_SCRIPT, {"index": export_index(engine), "texts": typed, "classes": classes})
    query = _query(engine)
    differ = []
    for name, js in zip(typed, got):
        kind, value = _outcome(query, name)
        if js != (value if kind == "ok" else None):
            differ.append((name, js, value))
    assert differ == [], f"{len(differ)} of {len(typed)} names differ, first: {differ[:5]}"


def test_kg_ingest_links_a_whole_name_to_the_entity_the_commands_take(engine, monkeypatch):
    """kg ingest's candidate linking (kg.ingest.find_mentions over label_index: every key the search
    derives, found in running text) links a text that is a whole label, alias, title or misspelling
    of the graph to the entity -p entity= takes; where it links several (a name several entities
    carry, noted as such), a name the commands take is one of them. (In running text it also links
    what is no typed name of an entity: a demonym, "Kazakhstani" for Kazakhstan.)"""
    from kg import ingest_match
    from kg.ingest import find_mentions, label_index
    from kg.search import export_index

    index = label_index(engine)
    built = ingest_match.Matcher
    matcher = built(index)  # the automaton find_mentions builds, built once for every name
    monkeypatch.setattr(ingest_match, "Matcher", lambda given: matcher if given is index else built(given))
    query = _query(engine)
    entries = export_index(engine)
    linked, differ = 0, []
    for name in sorted({t for e in entries for t in [e["label"], *e["aliases"], *e["titles"], *e["hidden"]]}):
        iris = sorted({m.entity for m in find_mentions(name, index) if m.start == 0 and m.end == len(name)})
        if not iris:
            continue  # not a whole mention (a class word, a near-miss, an IRI...): nothing to compare
        linked += 1
        kind, value = _outcome(query, name)
        if (len(iris) == 1 and (kind, value) != ("ok", iris[0])) or (kind == "ok" and value not in iris):
            differ.append((name, iris, kind, value))
    assert differ == [], f"{len(differ)} of {linked} names differ, first: {differ[:5]}"
    assert linked > 1000
