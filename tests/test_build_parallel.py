"""The build's parts run beside each other (kg.buildfork) and its faster writers give the results of
a plain build, and a warm build (caches from the build before) reports every kind of problem an
edit of one file brings in: a SPARQL check, SHACL, a typed literal, a mention, a duplicate, a quantity.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kg.build import build
from kg.buildfork import Forked, StagedStore
from test_incremental_build import make_project as make_subset_project, outcome

ROOT = Path(__file__).resolve().parent.parent
FILES = ("graph/sources.ttl", "graph/entities/core.ttl", "graph/entities/d001.ttl", "graph/claims/d001.trig")


def make_project(folder: Path) -> Path:
    """The project of :data:`FILES` (tests/test_incremental_build.py's, with the query files too)."""
    make_subset_project(folder, FILES)
    shutil.copytree(ROOT / "queries", folder / "queries")
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)


# -- one edit of each kind, and what the warm build must then report --------------------------------

def unused_card(project: Path) -> None:
    append(project / "graph/entities/d001.ttl", '\norganization:bench-unused a kg:Organization ; skos:prefLabel "Bench Unused Body"@en .\n')


def negative_count(project: Path) -> None:
    append(project / "graph/claims/d001.trig", "\nev:d001-10-20 { event:bench-attack a kg:Attack ; kg:killed -3 . }\n")


def bad_date(project: Path) -> None:
    edit(project / "graph/claims/d001.trig", 'kg:date "2023"^^xsd:gYear ; kg:place place:kazakhstan', 'kg:date "20x3"^^xsd:gYear ; kg:place place:kazakhstan')


def unlinked_name(project: Path) -> None:
    edit(project / "graph/claims/d001.trig", 'kg:outcome "convicted and sentenced"', 'kg:outcome "convicted and sentenced in Bishkek"')


def near_duplicate(project: Path) -> None:
    append(project / "graph/entities/d001.ttl", '\nintl:egmont-grup a kg:InternationalOrganization ; skos:prefLabel "Egmont Grup"@en .\n')


def same_quantity(project: Path) -> None:
    edit(project / "graph/entities/d001.ttl", 'quantity:terrorist-incidents a kg:Quantity ; skos:prefLabel "Terrorist incidents reported"@en',
         'quantity:terrorist-incidents a kg:Quantity ; skos:prefLabel "Terrorist incidents"@en')
    append(project / "graph/entities/d001.ttl", '\nquantity:bench-incidents a kg:Quantity ; skos:prefLabel "Terrorist incidents recorded"@en .\n')
    append(project / "graph/claims/d001.trig", "\nev:d001-10-20 { stat:bench-incidents a kg:Statistic ; "
           'kg:quantity quantity:bench-incidents ; kg:value 2 ; kg:unit "incidents" . }\n')


def found(kind: str, result) -> bool:
    """Whether ``result`` reports the problem the edit of ``kind`` brings in."""
    if kind == "unused_card":
        return any("[unused-card-violation]" in e and "bench-unused" in e for e in result.errors)
    if kind == "negative_count":
        return any("bench-attack" in e and "killed" in e for e in result.errors)
    if kind == "bad_date":
        return any("d001.trig" in e and "20x3" in e for e in result.errors)
    if kind == "unlinked_name":
        return any(m.entity.endswith("/place/bishkek") and m.node.endswith("knb-agents-torture-trial") for m in result.mentions)
    if kind == "near_duplicate":
        return any({d.a, d.b} == {"https://w3id.org/kzkg/id/intl/egmont-group", "https://w3id.org/kzkg/id/intl/egmont-grup"}
                   for d in result.duplicates) and any("likely duplicates" in w and "egmont" in w for w in result.warnings)
    if kind == "same_quantity":
        return any({o.a.rsplit("/", 1)[-1], o.b.rsplit("/", 1)[-1]} == {"terrorist-incidents", "bench-incidents"}
                   for o in result.quantity_overlaps) and any(w.startswith("quantities:") for w in result.warnings)
    raise AssertionError(kind)


EDITS = {f.__name__: f for f in (unused_card, negative_count, bad_date, unlinked_name, near_duplicate, same_quantity)}
KG_PREFIXES = ("@prefix stat: <https://w3id.org/kzkg/id/statistic/> .\n@prefix ev: <https://w3id.org/kzkg/id/evidence/> .\n"
               "@prefix event: <https://w3id.org/kzkg/id/event/> .\n")


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    """The small project built once (its caches filled); each test copies it."""
    project = make_project(tmp_path_factory.mktemp("parallel") / "p")
    for name in ("graph/claims/d001.trig",):
        text = (project / name).read_text(encoding="utf-8")
        (project / name).write_text(KG_PREFIXES + text, encoding="utf-8")
    build(project, out=project / "build", formats=("nquads",))
    return project


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_the_warm_build_reports_the_problem_an_edit_brings(built_once, tmp_path, kind):
    project = tmp_path / "p"
    shutil.copytree(built_once, project)
    before = build(project, out=project / "build", formats=("nquads",))
    assert not found(kind, before)
    EDITS[kind](project)
    warm = build(project, out=project / "build", formats=("nquads",))
    assert warm.parsed == (2 if kind == "same_quantity" else 1)  # only the edited files were parsed again
    assert found(kind, warm)
    full = build(project, out=tmp_path / "full", formats=("nquads",), full=True)
    assert outcome(warm) == outcome(full)


def test_the_parts_in_a_child_give_what_they_give_in_the_process(built_once, tmp_path, monkeypatch):
    project = tmp_path / "p"
    shutil.copytree(built_once, project)
    for edit_of in EDITS.values():
        edit_of(project)
    forked = build(project, out=project / "build", formats=("nquads",))
    monkeypatch.setenv("KG_BUILD_PROCESSES", "1")
    alone = build(project, out=tmp_path / "alone", formats=("nquads",), full=True)
    assert outcome(forked) == outcome(alone)
    assert all(found(kind, forked) for kind in EDITS)
    assert forked.errors == alone.errors and forked.warnings == alone.warnings  # in the same order, too


def test_written_outputs_and_store_hold_the_nquads(built_once, tmp_path):
    import pyoxigraph as ox

    project = tmp_path / "p"
    shutil.copytree(built_once, project)
    for name in ("kg.nq", "kg.trig", "kg.jsonld", "kg-build.json"):
        (project / "build" / name).unlink(missing_ok=True)
    shutil.rmtree(project / "build" / "store", ignore_errors=True)
    out = tmp_path / "out"
    out.mkdir()
    result = build(project, out=out, validate=False)
    expected = set(_read((out / "kg.nq").read_bytes(), ox.RdfFormat.N_QUADS))
    assert len(expected) == len({line for line in result.nquads.splitlines() if line.strip()})
    assert any("aggregates#" in str(q.subject) for q in expected)  # the aggregates went to every output
    assert set(_read((out / "kg.trig").read_bytes(), ox.RdfFormat.TRIG)) == expected
    assert set(_read((out / "kg.jsonld").read_bytes(), ox.RdfFormat.JSON_LD)) == expected
    assert set(ox.Store.read_only(str(out / "store"))) == expected
    assert not [p.name for p in out.iterdir() if ".part-" in p.name or ".tmp-" in p.name]


def _read(data: bytes, fmt):
    import pyoxigraph as ox

    store = ox.Store()
    store.load(input=data, format=fmt)
    return store


def test_dataset_nquads_are_rdflib_s_quads():
    import pyoxigraph as ox
    from rdflib import Dataset, Literal, URIRef
    from rdflib.namespace import XSD

    from kg.validate import dataset_nquads

    ds = Dataset()
    g = ds.graph(URIRef("https://w3id.org/kzkg/id/evidence/d001-1-2"))
    s, p = URIRef("https://w3id.org/kzkg/id/x/é"), URIRef("https://schema.org/description")
    odd = ['a "quoted" word', "back\\slash", "two\nlines\r\n", "tab\tand ünïcode ☃", "", " "]
    for i, text in enumerate(odd):
        g.add((s, p, Literal(text, lang="en" if i % 2 else None)))
        ds.default_graph.add((s, p, Literal(text)))
    for value in (Literal(7), Literal("7.50", datatype=XSD.decimal), Literal("2023", datatype=XSD.gYear),
                  Literal("x", datatype=XSD.string), Literal("kk", lang="kk-Cyrl"), URIRef("urn:x:y")):
        ds.default_graph.add((s, URIRef("https://w3id.org/kzkg/ontology#value"), value))
    ours, theirs = ox.Store(), ox.Store()
    ours.load(input=dataset_nquads(ds), format=ox.RdfFormat.N_QUADS)
    theirs.load(input=ds.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
    assert set(ours) == set(theirs)
    assert len(set(ours)) == 2 * len(odd) + 6


def test_a_child_that_fails_is_replaced_by_the_parent():
    parent = os.getpid()

    def only_in_parent():
        if os.getpid() != parent:
            raise RuntimeError("in the child")
        return "parent"

    assert Forked(only_in_parent).result() == "parent"
    assert Forked(lambda: (os.getpid() != parent, [1, 2])).result()[1] == [1, 2]

    def always():
        raise ValueError("the error the build would raise")

    with pytest.raises(ValueError, match="the error the build would raise"):
        Forked(always).result()


def test_staged_store_takes_the_lines_appended_or_loads_again(tmp_path):
    import pyoxigraph as ox

    first = b"<urn:a> <urn:p> <urn:b> .\n"
    more = first + b'<urn:a> <urn:p> "c" <urn:g> .\n'
    done = StagedStore(first, tmp_path / "store").finish(more)
    assert len(set(ox.Store.read_only(str(done)))) == 2 and (done / "complete").exists()
    shutil.rmtree(done)
    other = b'<urn:x> <urn:p> "y" .\n'
    done = StagedStore(first, tmp_path / "store").finish(other)
    assert {q.subject.value for q in ox.Store.read_only(str(done))} == {"urn:x"}
    shutil.rmtree(done)
    staged = StagedStore(first, tmp_path / "store")
    staged.discard()
    assert not staged.path.exists()


def test_a_staged_store_completed_in_its_thread_is_the_one_finished(tmp_path):
    import pyoxigraph as ox

    first = b"<urn:a> <urn:p> <urn:b> .\n"
    more = first + b'<urn:a> <urn:p> "c" <urn:g> .\n'
    staged = StagedStore(first, tmp_path / "store")
    staged.complete(more)
    done = staged.finish(more)
    assert len(set(ox.Store.read_only(str(done)))) == 2 and (done / "complete").exists()
    shutil.rmtree(done)
    staged = StagedStore(first, tmp_path / "store")
    staged.complete(more)
    other = b'<urn:x> <urn:p> "y" .\n'
    done = staged.finish(other)  # other N-Quads than those it was completed with: these are loaded
    assert {q.subject.value for q in ox.Store.read_only(str(done))} == {"urn:x"}
    shutil.rmtree(done)
    staged = StagedStore(first, tmp_path / "store")
    staged.complete(more)
    staged.discard()
    assert not staged.path.exists()


def test_the_store_of_a_warm_build_is_the_previous_one_updated(built_once, tmp_path):
    import pyoxigraph as ox

    project = tmp_path / "p"
    shutil.copytree(built_once, project)
    out = tmp_path / "out"
    out.mkdir()
    assert build(project, out=out, validate=False).ok  # (the small project has cards without evidence)
    unlinked_name(project)  # a literal changed: a quad removed, one added (in two graphs)
    result = build(project, out=out, validate=False)
    assert result.ok
    expected = set(_read((out / "kg.nq").read_bytes(), ox.RdfFormat.N_QUADS))
    assert set(ox.Store.read_only(str(out / "store"))) == expected
    nq = out / "kg.nq"
    staged = StagedStore(nq.read_bytes().replace(b"sentenced in Bishkek", b"sentenced in Bishkek city"), out / "store",
                         previous=nq)
    done = staged.finish(staged.nquads)
    assert staged.updated
    outcomes = {q.object.value for q in ox.Store.read_only(str(done)) if q.predicate.value.endswith("#outcome")}
    assert "convicted and sentenced in Bishkek city" in outcomes and "convicted and sentenced in Bishkek" not in outcomes
    shutil.rmtree(done)
    nq.write_bytes(nq.read_bytes() + b"\n")  # newer than the store: not its source any more
    staged = StagedStore(nq.read_bytes(), out / "store", previous=nq)
    staged.finish(staged.nquads)
    assert not staged.updated


def test_a_child_computes_what_the_parent_sends_it_later():
    parent = os.getpid()
    child = Forked(lambda: "first", then=lambda receive: (os.getpid() != parent, receive() * 2))
    assert child.result() == "first"
    assert child.send(21)
    assert child.later() == (True, 42)
    waiting = Forked(lambda: "first", then=lambda receive: receive())
    assert waiting.result() == "first"
    waiting.discard()  # the child, waiting for an object, reads the end of the pipe and leaves
    assert waiting.later() is None


@pytest.mark.skipif(not (ROOT.parent / "shared" / "corpus").is_dir(), reason="needs the corpus at ../shared/corpus")
def test_the_curated_graph_after_one_change_has_every_output_alike(tmp_path):
    """The whole curated graph, validated and written twice (the second time after one literal
    changed): the N-Quads, TriG, JSON-LD (written by the child of the checks) and the store (the
    previous one updated) hold the same quads, the edited literal among them."""
    import pyoxigraph as ox
    from rdflib import URIRef

    from kg.aggregates import AGGREGATES

    project = tmp_path / "p"
    for name in ("ontology", "graph", "queries"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("drafts"))
    out = project / "build"
    out.mkdir()
    assert build(project, out=out).ok
    edit(project / "graph/claims/d001.trig", 'kg:outcome "convicted and sentenced"', 'kg:outcome "convicted and sentenced, edited"')
    result = build(project, out=out)
    assert result.ok and result.parsed == 1
    expected = set(_read((out / "kg.nq").read_bytes(), ox.RdfFormat.N_QUADS))
    assert any(q.object.value == "convicted and sentenced, edited" for q in expected)
    assert any("aggregates#" in str(q.subject) for q in expected)
    assert set(_read((out / "kg.trig").read_bytes(), ox.RdfFormat.TRIG)) == expected
    assert set(_read((out / "kg.jsonld").read_bytes(), ox.RdfFormat.JSON_LD)) == expected
    assert set(ox.Store.read_only(str(out / "store"))) == expected
    # the aggregates join the rdflib dataset when it is read (BuildResult.dataset); the quads counted
    # without reading it (BuildResult.quad_count, in the store the checks ran on) are the same
    assert result.pending and result.quad_count() == len(expected)
    dataset = result.dataset
    assert not result.pending and sum(len(g) for g in dataset.graphs()) == len(expected)
    assert (URIRef(AGGREGATES + "dataset"), URIRef("http://rdfs.org/ns/void#classPartition"), None) in dataset.default_graph


def test_the_sparql_checks_in_their_thread_report_what_they_report_in_turn(built_once, tmp_path, monkeypatch):
    """The SPARQL checks run in a thread (kg.buildfork.Threaded) beside span verification, SHACL and
    mentions; their messages are those, and in the place, of the checks run after SHACL in turn."""
    from kg import buildfork

    project = tmp_path / "p"
    shutil.copytree(built_once, project)
    unused_card(project)
    negative_count(project)
    threaded = build(project, out=project / "build", formats=("nquads",))

    class InTurn:  # fn() at once, in this thread: the order of the build before the thread
        def __init__(self, fn):
            self.value = fn()

        def result(self):
            return self.value

        def join(self):
            pass

    monkeypatch.setattr(buildfork, "Threaded", InTurn)
    in_turn = build(project, out=tmp_path / "in-turn", formats=("nquads",), full=True)
    assert threaded.errors == in_turn.errors
    checks = [i for i, e in enumerate(threaded.errors) if "-violation]" in e]
    shacl = [i for i, e in enumerate(threaded.errors) if "bench-attack" in e and "killed" in e]
    assert checks and shacl and checks == list(range(checks[0], checks[-1] + 1)) and max(shacl) < checks[0]
    assert threaded.timings["sparql"] > 0



def test_an_updated_store_keeps_the_previous_appended_lines_that_come_back(tmp_path, monkeypatch):
    """The previous build's store is updated (StagedStore): the lines it no longer has are removed
    only once the lines the build appends (its aggregates) are known, so that those appended again
    stay in place; the store then holds exactly the new N-Quads and the appended lines, whatever
    comes back, goes or is written otherwise (another text of the same quad)."""
    import pyoxigraph as ox

    from kg.store import commit_store, stage_store

    def quads(data: bytes) -> set:
        return set(ox.parse(input=data, format=ox.RdfFormat.N_QUADS))

    kept, gone, new = b"<urn:a> <urn:p> <urn:b> .\n", b'<urn:a> <urn:p> "gone" <urn:g> .\n', b'<urn:a> <urn:p> "new" .\n'
    same = b'<urn:a> <urn:q> "same" .\n'  # written otherwise below: the same quad
    same_otherwise = b'<urn:a> <urn:q> "same"^^<http://www.w3.org/2001/XMLSchema#string> .\n'
    appended = [b"<urn:agg> <urn:count> <urn:%d> .\n" % i for i in range(6)]
    cases = {  # (the previous N-Quads, the new ones before appending, the lines appended)
        "appended lines come back, one goes, one is new": (kept + gone + b"".join(appended[:5]), kept + new, b"".join(appended[1:])),
        "a removed line comes back appended": (kept + gone + appended[0], kept + new, gone + appended[0]),
        "nothing appended": (kept + gone + appended[0], kept + new, b""),
        "the same quad written otherwise": (kept + same + appended[0], kept + same_otherwise, appended[0]),
    }
    removals = []  # the lines parsed to be removed (StagedStore parses them, then removes each quad)
    parse = ox.parse

    def counting(*args, **kwargs):
        found = list(parse(*args, **kwargs))
        removals.append(len(found))
        return found

    for name, (previous, nquads, extra) in cases.items():
        removals.clear()
        monkeypatch.setattr(ox, "parse", counting)
        out = tmp_path / name.replace(" ", "-").replace(",", "")
        out.mkdir()
        (out / "kg.nq").write_bytes(previous)
        commit_store(stage_store(previous, out / "store"), out / "store")
        staged = StagedStore(nquads, out / "store", previous=out / "kg.nq")
        done = staged.finish(nquads + extra)
        monkeypatch.setattr(ox, "parse", parse)
        if name.startswith("appended lines come back"):
            assert removals == [2]  # "gone" and the appended line that does not come back, not all five
        assert staged.updated or name == "the same quad written otherwise", name
        assert set(ox.Store.read_only(str(done))) == quads(nquads + extra), name
        shutil.rmtree(done)


def test_the_shacl_helper_validates_the_changed_nodes_or_the_build_does(built_once, tmp_path, monkeypatch):
    """A warm build validates its few changed nodes in a helper process that imported pySHACL while
    the build assembled the data (kg.validate.shacl_helper): the same messages as a full build; a
    helper that fails (here: its work raises) leaves the validation to the build, with the same result."""
    from kg import validate

    project = tmp_path / "p"
    shutil.copytree(built_once, project)
    build(project, out=project / "build", formats=("nquads",))  # (the caches of this copy)
    negative_count(project)
    helped = build(project, out=project / "build", formats=("nquads",))
    assert helped.shacl_mode["mode"] == "incremental" and helped.shacl_mode.get("helper") is True
    full = build(project, out=tmp_path / "full", formats=("nquads",), full=True)
    assert outcome(helped) == outcome(full) and found("negative_count", helped)

    def broken(request):
        raise RuntimeError("the helper fails")

    monkeypatch.setattr(validate, "_shacl_of_triples", broken)
    bad_date(project)
    alone = build(project, out=project / "build", formats=("nquads",))
    assert alone.shacl_mode["mode"] == "incremental" and "helper" not in alone.shacl_mode
    assert outcome(alone) == outcome(build(project, out=tmp_path / "full2", formats=("nquads",), full=True))


def test_a_helper_not_asked_is_ended(tmp_path):
    from kg.buildfork import Helper

    helper = Helper(lambda: None, lambda request: request * 2)
    assert helper.ask(21) and helper.answer() == 42
    waiting = Helper(lambda: None, lambda request: request)
    pid = waiting._pid
    waiting.discard()
    assert pid is None or not os.path.exists(f"/proc/{pid}")  # ended and waited for
    assert Helper(lambda: None, lambda request: request).answer() is None  # never asked
