"""Paths that leave the project or enter it where they must not (kg.load.outside_link, kg.outputs.check_not_input).

* Reading: an input file (ontology, graph, named questions, checks, ``graph/sources.ttl``, the site's
  templates and scripts) reached through a link that leads outside the project is refused in one line
  naming the link and its target, and its content is never read (nor quoted in an error); a link that
  stays inside the project is read as before.
* Writing: no command writes into the hand-edited folders (ontology/, graph/, queries/, kg/, tests/),
  whether named directly, through ``..`` or through a link, except ``kg ingest`` into graph/drafts/;
  an output folder holding one of them is refused too.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kg.cli import main
from kg.load import InputError, find_files, inside_files, outside_link
from kg.outputs import OutputRefused, check_not_input

from test_build import PREFIXES, project  # noqa: F401  (the tiny-project fixture)

ROOT = Path(__file__).resolve().parent.parent
SECRET = "SECRET-TOKEN-7d1f: root:x:0:0"  # what an outside file holds: it must never reach an error line


@pytest.fixture
def outside(tmp_path_factory) -> Path:
    """A folder outside every project, holding a file that is no Turtle and a folder of one claim file."""
    folder = tmp_path_factory.mktemp("elsewhere")
    (folder / "passwd").write_text(SECRET + "\n", encoding="utf-8")
    (folder / "claims").mkdir()
    (folder / "claims" / "c.trig").write_text(SECRET + "\n", encoding="utf-8")
    (folder / "ontology").mkdir()
    (folder / "ontology" / "o.ttl").write_text(SECRET + "\n", encoding="utf-8")
    return folder


def _error_lines(capsys) -> list[str]:
    err = capsys.readouterr().err
    assert "Traceback" not in err and SECRET.split(":")[0] not in err, err
    return [line for line in err.splitlines() if line.strip()]


# -- reading: a link leading out is refused, naming the link and its target ----------------------------

LINKS = [  # (link inside the project, its target in the outside folder, the link the error names)
    ("graph/claims/link.trig", "passwd", "graph/claims/link.trig"),
    ("graph/entities/link.ttl", "passwd", "graph/entities/link.ttl"),
    ("graph/top.ttl", "passwd", "graph/top.ttl"),
    ("ontology/link.ttl", "passwd", "ontology/link.ttl"),
    ("graph/more", "claims", "graph/more"),  # a linked folder (the glob would skip its files silently)
]


@pytest.mark.parametrize("link,target,named", LINKS, ids=[link for link, _, _ in LINKS])
def test_build_refuses_an_input_linked_from_outside(project, outside, capsys, link, target, named):
    (project / link).symlink_to(outside / target)
    assert main(["build", "--check", "--root", str(project)]) == 2
    lines = _error_lines(capsys)
    assert lines == [f"kg: error: {named} is a link to {outside / target}, outside the project {project}: kg reads "
                     f"no input from outside the project; copy the {'files' if target == 'claims' else 'file'} "
                     "into it instead of linking"]


@pytest.mark.parametrize("folder", ["ontology", "graph/claims"])
def test_a_linked_input_folder_is_named_once(project, outside, capsys, folder):
    moved = outside / "moved"
    shutil.move(str(project / folder), moved)
    if folder == "graph/claims":
        (moved / "c.trig").write_text(PREFIXES, encoding="utf-8")
    (project / folder).symlink_to(moved)
    assert main(["build", "--check", "--root", str(project)]) == 2
    lines = _error_lines(capsys)
    assert len(lines) == 1 and lines[0].startswith(f"kg: error: {folder} is a link to {moved}, outside"), lines


def test_two_links_are_one_line_each(project, outside, capsys):
    (project / "graph" / "claims" / "a.trig").symlink_to(outside / "passwd")
    (project / "graph" / "entities" / "b.ttl").symlink_to(outside / "claims" / "c.trig")
    assert main(["build", "--check", "--root", str(project)]) == 2
    lines = _error_lines(capsys)
    assert [line.split(" is a link")[0] for line in lines] == ["kg: error: graph/claims/a.trig",
                                                             "kg: error: graph/entities/b.ttl"]


@pytest.fixture
def buildable(project):
    """The tiny project without its card (a card needs a claim, and a claim its corpus document): it builds."""
    (project / "graph" / "entities" / "t.ttl").write_text(PREFIXES, encoding="utf-8")
    return project


def test_a_link_inside_the_project_is_still_read(buildable, capsys):
    project = buildable
    keep = project / "kept"
    keep.mkdir()
    shutil.move(str(project / "graph" / "entities" / "t.ttl"), keep / "t.ttl")
    (project / "graph" / "entities" / "t.ttl").symlink_to(Path("..", "..", "kept", "t.ttl"))
    (project / "graph" / "extra").symlink_to(project / "graph" / "entities")  # a linked folder that stays inside
    assert [p.name for p, kind in find_files(project) if kind == "data"] == ["t.ttl", "sources.ttl"]
    assert main(["build", "--check", "--root", str(project)]) == 0, capsys.readouterr().err


def test_a_query_after_a_link_was_added_is_refused_not_answered(buildable, outside, capsys):
    project = buildable
    assert main(["build", "--root", str(project)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    (project / "graph" / "entities" / "x.ttl").symlink_to(outside / "passwd")
    assert main(["query", "coverage-documents", "--root", str(project)]) == 2
    lines = _error_lines(capsys)
    assert len(lines) == 1 and "graph/entities/x.ttl is a link to" in lines[0], lines


def test_outside_link_follows_links_and_dot_dots(tmp_path, outside):
    root = tmp_path / "proj"
    (root / "graph").mkdir(parents=True)
    (root / "graph" / "real.ttl").write_text("", encoding="utf-8")
    (root / "graph" / "in.ttl").symlink_to(root / "graph" / "real.ttl")
    (root / "graph" / "chain.ttl").symlink_to(root / "graph" / "out.ttl")  # a link to a link that leaves
    (root / "graph" / "out.ttl").symlink_to(outside / "passwd")
    assert outside_link(root / "graph" / "real.ttl", root) is None
    assert outside_link(root / "graph" / "in.ttl", root) is None
    assert outside_link(root / "graph" / ".." / "graph" / "in.ttl", root) is None
    assert outside_link(root / "graph" / "chain.ttl", root).startswith(f"graph/chain.ttl is a link to {outside / 'passwd'},")
    assert outside_link(root / ".." / "elsewhere.ttl", root).startswith(
        f"{root / '..' / 'elsewhere.ttl'} is outside the project {root} (it is {tmp_path / 'elsewhere.ttl'}): ")
    with pytest.raises(InputError, match="chain.ttl.*\n.*out.ttl"):
        inside_files([root / "graph" / "in.ttl", root / "graph" / "chain.ttl", root / "graph" / "out.ttl"], root)


def _question(folder: Path, name: str = "coverage-documents") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(ROOT / "queries" / f"{name}.rq", folder / f"{name}.rq"))


def test_named_questions_linked_from_outside_are_refused(tmp_path, outside):
    from kg.query import get_query, load_queries, parse_query_file
    from kg.store import QueryError

    queries = tmp_path / "proj" / "queries"
    _question(queries)
    real = _question(tmp_path / "proj" / "keep", "attacks")
    (queries / "attacks.rq").symlink_to(real)  # inside the project: read
    assert sorted(load_queries(queries)) == ["attacks", "coverage-documents"]
    (queries / "stolen.rq").symlink_to(outside / "passwd")
    for call in (lambda: load_queries(queries), lambda: get_query("stolen", queries),
                 lambda: parse_query_file(queries / "stolen.rq")):
        with pytest.raises(QueryError, match=r"^queries/stolen\.rq is a link to .*passwd, outside the project") as exc:
            call()
        assert SECRET not in str(exc.value)
    assert get_query("attacks", queries).name == "attacks"  # another question is still read alone


def test_a_linked_queries_folder_is_refused(tmp_path):
    from kg.query import load_queries
    from kg.store import QueryError

    elsewhere = tmp_path / "elsewhere" / "queries"
    _question(elsewhere)
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "queries").symlink_to(elsewhere)
    with pytest.raises(QueryError, match=r"^queries is a link to"):
        load_queries(tmp_path / "proj" / "queries")


def test_checks_and_question_defaults_linked_from_outside_are_not_read(tmp_path, outside):
    from kg.aggregates_places import default_years
    from kg.validate import load_checks

    checks = tmp_path / "proj" / "queries" / "checks"
    checks.mkdir(parents=True)
    (checks / "x-violation.rq").symlink_to(outside / "passwd")
    with pytest.raises(InputError, match=r"^queries/checks/x-violation\.rq is a link to"):
        load_checks(checks)
    (checks.parent / "timeline.rq").symlink_to(ROOT / "queries" / "timeline.rq")  # outside tmp_path/proj
    assert default_years("timeline", "from", "to", checks.parent) is None
    assert default_years("timeline", "from", "to", ROOT / "queries") is not None


def test_a_linked_sources_file_is_neither_read_nor_appended_to(project, outside, tmp_path, capsys):
    from kg.sources import registered_documents

    (project / "graph" / "sources.ttl").unlink()
    (project / "graph" / "sources.ttl").symlink_to(outside / "passwd")
    with pytest.raises(InputError, match=r"^graph/sources\.ttl is a link to"):
        registered_documents(project)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "009_report.txt").write_text("A made-up report.\n", encoding="utf-8")
    code = main(["add-source", "--root", str(project), "--corpus", str(corpus), str(corpus / "009_report.txt")])
    assert code == 2
    assert len(_error_lines(capsys)) == 1
    assert (outside / "passwd").read_text(encoding="utf-8") == SECRET + "\n"


def test_site_templates_and_scripts_linked_from_outside_are_refused(tmp_path, outside, monkeypatch):
    from kg import site

    package = tmp_path / "checkout" / "kg"
    shutil.copytree(site.TEMPLATES, package / "templates")
    (package / "static").mkdir()
    monkeypatch.setattr(site, "TEMPLATES", package / "templates")
    monkeypatch.setattr(site, "STATIC", package / "static")
    site._check_package_files()  # nothing linked: accepted
    (package / "static" / "extra.js").symlink_to(outside / "passwd")
    with pytest.raises(InputError, match=r"^kg/static/extra\.js is a link to"):
        site._check_package_files()


# -- writing: no output lands in a hand-edited folder ----------------------------------------------------

@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "proj"
    for name in ("ontology", "graph/claims", "graph/drafts", "queries", "build"):
        (root / name).mkdir(parents=True)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "g").symlink_to(root / "graph")
    (tmp_path / "out" / "dangling.json").symlink_to(root / "graph" / "new.json")
    return root


REFUSED = [
    ("graph/x.gexf", "is inside graph/"),
    ("graph/claims/new/x.trig", "is inside graph/"),
    ("ontology/x.html", "is inside ontology/"),
    ("queries/x.json", "is inside queries/"),
    ("build/../graph/x.json", "is inside graph/"),
    ("graph", "is inside graph/"),
    ("../out/g/x.json", "leads (through a link, to"),
    ("../out/dangling.json", "leads (through a link, to"),
]


@pytest.mark.parametrize("target,words", REFUSED, ids=[t for t, _ in REFUSED])
def test_an_output_in_a_hand_edited_folder_is_refused(tree, target, words):
    with pytest.raises(OutputRefused, match=r"^--export .* of the project, which holds hand-edited files") as exc:
        check_not_input(tree / target, tree, "--export")
    assert words in str(exc.value)


def test_the_checkout_folders_are_guarded_whatever_the_root(tree):
    for name in ("kg", "tests", "queries"):
        with pytest.raises(OutputRefused, match=f"is inside {name}/"):
            check_not_input(ROOT / name / "x.html", tree, "-o")


@pytest.mark.parametrize("target", ["build/x.gexf", "x.html", "build/site", "../out/x.json"])
def test_an_output_elsewhere_is_accepted(tree, target):
    assert check_not_input(tree / target, tree, "-o", folder=True) == tree / target


def test_an_output_folder_holding_the_project_is_refused(tree):
    for target in (tree, tree.parent):
        with pytest.raises(OutputRefused, match="holds ontology/ of the project"):
            check_not_input(target, tree, "--out", folder=True)
    assert check_not_input(tree, tree, "-o") == tree  # a file named so is refused by check_replaceable instead


def test_drafts_go_only_where_documented(tree):
    drafts = ("graph/drafts",)
    assert check_not_input(tree / "graph" / "drafts" / "d003.trig", tree, "--out", allowed=drafts)
    with pytest.raises(OutputRefused, match="write it into graph/drafts/ or a folder outside"):
        check_not_input(tree / "graph" / "claims" / "d003.trig", tree, "--out", allowed=drafts)
    with pytest.raises(OutputRefused, match="is inside graph/"):
        check_not_input(tree / "graph" / "drafts" / ".." / "d003.trig", tree, "--out", allowed=drafts)
    (tree / "graph" / "drafts").rmdir()
    (tree / "graph" / "drafts").symlink_to(tree / "ontology")  # the documented place, linked into another
    with pytest.raises(OutputRefused, match="leads .* into ontology/"):
        check_not_input(tree / "graph" / "drafts" / "d003.trig", tree, "--out", allowed=drafts)


def _listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


COMMANDS = [
    (["network", "actor", "--export", "graph/x.gexf"], "--export"),
    (["network", "actor", "-o", "ontology/page.html"], "-o"),
    (["network", "actor", "--export", "build/g/x.json"], "--export"),  # build/g is a link to graph/
    (["site", "--out", "graph/site"], "--out"),
    (["site", "--out", "build/g"], "--out"),
    (["docs", "--out", "ontology/docs"], "--out"),
    (["docs"], "the docs folder"),  # build/docs/index.html is a link to a claims file
    (["build", "--out", "graph/out"], "--out"),
    (["build", "--out", "."], "--out"),
    (["ingest", "003", "--out", "graph/claims/d003.trig"], "--out"),
    (["ingest", "003", "--out", "build/g/claims/d003.trig"], "--out"),
]


@pytest.mark.parametrize("args,option", COMMANDS, ids=["-".join(a[:1] + a[-1:]) for a, _ in COMMANDS])
def test_every_writing_command_refuses_a_hand_edited_folder(project, tmp_path, capsys, monkeypatch, args, option):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "003_test.txt").write_text("Alpha beta gamma.\n", encoding="utf-8")
    (project / "build").mkdir()
    (project / "build" / "g").symlink_to(project / "graph")
    (project / "build" / "docs").mkdir()
    (project / "build" / "docs" / "index.html").symlink_to(project / "graph" / "claims" / "c.trig")
    (project / "graph" / "claims" / "c.trig").write_text(PREFIXES, encoding="utf-8")
    monkeypatch.chdir(project)
    before = _listing(project)
    argv = [args[0], "--root", str(project), *args[1:]] + (["--corpus", str(corpus)] if args[0] == "ingest" else [])
    assert main(argv) == 2
    lines = _error_lines(capsys)
    assert len(lines) == 1 and lines[0].startswith(f"kg: error: {option} "), lines
    assert "hand-edited" in lines[0]
    assert _listing(project) == before
    assert (project / "graph" / "claims" / "c.trig").read_text(encoding="utf-8") == PREFIXES


def test_ingest_still_writes_its_draft_into_graph_drafts(buildable, tmp_path, capsys):
    project = buildable
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "003_test.txt").write_text("Tablighi Jamaat was banned in 2013.\n", encoding="utf-8")
    assert main(["ingest", "--root", str(project), "--corpus", str(corpus), "003"]) == 0, capsys.readouterr().err
    draft = project / "graph" / "drafts" / "d003.trig"
    assert draft.read_text(encoding="utf-8").startswith("# Draft of document 003")
    assert main(["ingest", "--root", str(project), "--corpus", str(corpus), "003"]) == 0  # its own draft is replaced
    mine = tmp_path / "mine.trig"
    mine.write_text("my notes\n", encoding="utf-8")
    assert main(["ingest", "--root", str(project), "--corpus", str(corpus), "003", "--out", str(mine)]) == 2
    assert mine.read_text(encoding="utf-8") == "my notes\n"
    assert os.path.exists(draft)


def test_ingest_never_writes_through_a_link_beside_its_draft(buildable, tmp_path, capsys):
    project = buildable
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "003_test.txt").write_text("Tablighi Jamaat was banned in 2013.\n", encoding="utf-8")
    claims = project / "graph" / "claims" / "c.trig"
    claims.write_text(PREFIXES, encoding="utf-8")
    (project / "graph" / "drafts").mkdir()
    (project / "graph" / "drafts" / "d003.tmp").symlink_to(claims)  # the draft's temporary name
    assert main(["ingest", "--root", str(project), "--corpus", str(corpus), "003"]) == 0, capsys.readouterr().err
    assert claims.read_text(encoding="utf-8") == PREFIXES
    assert (project / "graph" / "drafts" / "d003.trig").read_text(encoding="utf-8").startswith("# Draft of document 003")


def test_build_outputs_are_never_written_through_a_link_of_their_temporary_name(tmp_path):
    import os

    from kg.buildsafe import write_together

    out, kept = tmp_path / "build", tmp_path / "claims.trig"
    out.mkdir()
    kept.write_text("curated\n", encoding="utf-8")
    (out / f".kg.nq.tmp-{os.getpid()}").symlink_to(kept)
    (out / f".kg-build.json.tmp-{os.getpid()}").symlink_to(kept)
    write_together(out, {"kg.nq": lambda tmp: tmp.write_text("new\n", encoding="utf-8")})
    assert kept.read_text(encoding="utf-8") == "curated\n"
    assert (out / "kg.nq").read_text(encoding="utf-8") == "new\n" and not (out / "kg.nq").is_symlink()


def test_a_cache_entry_is_never_written_through_a_link_of_its_temporary_name(tmp_path):
    import os

    from kg.buildcache import read_entry, write_entry

    kept = tmp_path / "claims.trig"
    kept.write_text("curated\n", encoding="utf-8")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / f".e.pickle.tmp-{os.getpid()}").symlink_to(kept)
    write_entry(tmp_path / "cache", "e.pickle", {"quads": [1, 2]})
    assert kept.read_text(encoding="utf-8") == "curated\n"
    assert read_entry(tmp_path / "cache", "e.pickle") == {"quads": [1, 2]}


def test_the_server_store_is_never_made_in_a_hand_edited_folder(tree):
    from kg.serve import prepare_store

    (tree / "graph" / "claims" / "c.trig").write_text("curated\n", encoding="utf-8")
    for location in (tree / "graph", tree / "graph" / "claims", tree):
        with pytest.raises(OutputRefused, match="^the store location "):
            prepare_store(tree / "build" / "kg.nq", location)
    assert (tree / "graph" / "claims" / "c.trig").read_text(encoding="utf-8") == "curated\n"
