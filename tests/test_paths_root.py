"""Every path a command derives follows ``--root`` (kg.paths): the named questions, the quality
checks, the questions' defaults the build stores ranks for, build/ and the default corpus.

The kind: ``kg build --root DIR`` ran the checks and read the question defaults of the checkout kg
is installed from (``Path(__file__).parent.parent / "queries"``), not those of DIR; ``kg query`` and
``kg queries`` listed the checkout's questions; the default corpus was looked for beside the
checkout. A project without ``queries/`` still asks the questions kg ships.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import paths
from kg.cli import main

from test_build import project  # noqa: F401  (the tiny-project fixture)

ROOT = Path(__file__).resolve().parent.parent
CHECK = "#+ message: the check of {where} ran\nSELECT ?where WHERE { BIND(\"this project\" AS ?where) }\n"
QUESTION = """#+ summary: Which documents are registered (a question of this project only)?
PREFIX kg: <https://w3id.org/kzkg/ontology#>
SELECT ?docId WHERE { ?doc kg:documentId ?docId }
ORDER BY ?docId
"""


@pytest.fixture
def own(project):
    """The tiny project with the questions and checks of the checkout, one check and one question more."""
    shutil.copytree(ROOT / "queries", project / "queries")
    (project / "queries" / "checks" / "project-only-violation.rq").write_text(CHECK, encoding="utf-8")
    (project / "queries" / "project-documents.rq").write_text(QUESTION, encoding="utf-8")
    return project


def test_build_runs_the_checks_of_the_project_it_builds(own, capsys):
    assert main(["build", "--root", str(own), "--check"]) == 1
    err = capsys.readouterr().err
    assert "[project-only-violation] the check of this project ran" in err, err
    assert paths.root() == paths.CHECKOUT  # the command over, the next one starts from the checkout


def test_a_check_left_out_of_the_project_is_not_run(own, capsys):
    (own / "queries" / "checks" / "unused-card-violation.rq").unlink()
    (own / "queries" / "checks" / "project-only-violation.rq").unlink()
    assert main(["build", "--root", str(own), "--check"]) == 0, capsys.readouterr().err


def test_query_and_queries_read_the_questions_of_the_project(own, capsys):
    for check in ("unused-card-violation", "project-only-violation"):  # (a project that builds)
        (own / "queries" / "checks" / f"{check}.rq").unlink()
    assert main(["queries", "--root", str(own)]) == 0
    assert "project-documents" in capsys.readouterr().out
    assert main(["query", "project-documents", "--root", str(own), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == ["docId", "000"]
    assert main(["query", "project-documents", "--format", "csv"]) == 2  # the checkout has no such question
    assert "no named query 'project-documents'" in capsys.readouterr().err


def test_a_project_without_queries_asks_the_questions_kg_ships(project):
    assert paths.queries_dir(project) == ROOT / "queries"
    assert paths.checks_dir(project) == ROOT / "queries" / "checks"
    (project / "queries").mkdir()
    assert paths.checks_dir(project) == project / "queries" / "checks"


def test_the_stored_ranks_follow_the_defaults_of_the_project(own):
    from kg.aggregates_places import default_years

    timeline = own / "queries" / "timeline.rq"
    text = timeline.read_text(encoding="utf-8")
    checkout = default_years("timeline", "from", "to")
    assert checkout is not None
    timeline.write_text(text.replace(f"default {checkout[0]}", "default 1991", 1), encoding="utf-8")
    with paths.using(own):
        assert default_years("timeline", "from", "to") == (1991, checkout[1])
        from kg.front import queries_json  # kg serve's question page

        assert "project-documents" in {q["name"] for q in queries_json()}
    assert default_years("timeline", "from", "to") == checkout


def test_the_default_corpus_is_looked_for_beside_the_project(tmp_path, monkeypatch):
    from kg.corpus import corpus_dir

    monkeypatch.delenv("KG_CORPUS", raising=False)
    (tmp_path / "proj" / "ontology").mkdir(parents=True)
    (tmp_path / "shared" / "corpus").mkdir(parents=True)
    with paths.using(tmp_path / "proj"):
        assert corpus_dir() == (tmp_path / "shared" / "corpus").resolve()


def test_a_removed_current_folder_leaves_the_corpus_beside_the_project(tmp_path, monkeypatch):
    def gone():
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(Path, "cwd", staticmethod(gone))
    with paths.using(tmp_path / "proj"):
        assert paths.corpus_candidates() == [(tmp_path / "shared" / "corpus").resolve()]
