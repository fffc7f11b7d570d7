"""Commands against odd folders: links that loop, names with spaces, new lines and bytes that are not
UTF-8, a disk that fills up (RLIMIT_FSIZE), a build killed half-way.

Each answer is one line on standard error with the exit code of its kind (2: the input or the
place), never a traceback; what a killed build left behind is not read as a built graph.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main

from test_build import PREFIXES, project  # noqa: F401  (the tiny-project fixture)

ROOT = Path(__file__).resolve().parent.parent
SPAN, SHA = "d003-2315-2428", "a205fce6e44a1c0f6175706a3df7173f8323cf9051c4993333cf03238cde00f0"


def _buildable(folder: Path) -> Path:
    (folder / "graph" / "claims" / "t.trig").write_text(
        PREFIXES + f'ev:{SPAN} {{ group:tj kg:legalStatus "banned" . }}\nev:{SPAN} kg:sha256 "{SHA}" .\n', encoding="utf-8")
    return folder


def _kg(*argv, limit: int | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    def small_files():
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "kg", *map(str, argv)], capture_output=True, text=True, timeout=300,
                          check=False, cwd=cwd, preexec_fn=small_files if limit else None)


@pytest.mark.parametrize("option", ["--root", "--out"])
def test_a_link_that_loops_is_one_line(project, tmp_path, capsys, option):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    argv = ["build", "--root", str(loop)] if option == "--root" else ["build", "--root", str(project), "--out", str(loop)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [f"kg: error: {loop} is a link that leads to itself (a loop): replace it with the "
                                "folder or file, or name another"], err


@pytest.mark.parametrize("name", ["with space", "new\nline", "tab\there"])
def test_a_project_named_with_spaces_or_control_characters_builds_and_answers(project, tmp_path_factory, capsys, name):
    odd = tmp_path_factory.mktemp("odd") / name
    shutil.copytree(project, odd)
    _buildable(odd)
    assert main(["build", "--root", str(odd)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["query", "coverage-documents", "--root", str(odd), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("003,")


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
def test_a_project_named_with_bytes_that_are_not_utf8_builds(project, tmp_path_factory):
    """The name reaches Python as surrogate escapes: the cache key took it as text and crashed. The
    on-disk store cannot live there (pyoxigraph takes UTF-8 paths only): one line says so, and
    kg query reads build/kg.nq instead."""
    odd = Path(os.fsdecode(bytes(tmp_path_factory.mktemp("odd")) + b"/bad\xffname"))
    shutil.copytree(project, odd)
    _buildable(odd)
    done = _kg("build", "--root", odd)
    assert "Traceback" not in done.stderr, done.stderr
    assert (odd / "build" / "kg.nq").is_file(), done.stderr
    assert done.returncode == 2 and done.stderr.splitlines()[-1].startswith("kg: error: cannot write the store "), done.stderr
    done = _kg("query", "coverage-documents", "--root", odd, "--format", "csv")
    assert done.returncode == 0 and done.stdout.splitlines()[1].startswith("003,"), done.stderr


def test_a_full_disk_stops_the_build_in_one_line_and_keeps_the_previous_outputs(project):
    _buildable(project)
    assert _kg("build", "--root", project).returncode == 0
    before = (project / "build" / "kg.nq").read_bytes()
    claims = project / "graph" / "claims" / "t.trig"
    claims.write_text(claims.read_text(encoding="utf-8").replace('"banned" .', '"banned" ; skos:altLabel "TJ"@en .'),
                      encoding="utf-8")
    done = _kg("build", "--root", project, "--full", limit=200_000)  # no file over 200 kB: kg.nq is larger
    lines = done.stderr.splitlines()
    assert done.returncode == 2 and "File too large" in lines[-1] and len([x for x in lines if "error" in x]) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert (project / "build" / "kg.nq").read_bytes() == before
    assert not [p.name for p in (project / "build").iterdir() if ".tmp-" in p.name or ".part-" in p.name]


def test_commands_after_a_build_killed_half_way_read_the_last_whole_build(project):
    """A build killed (SIGKILL: no clean-up) while it writes leaves its temporary files; every command
    after it reads the previous build, and the next build removes them."""
    import signal
    import time

    _buildable(project)
    assert _kg("build", "--root", project).returncode == 0
    out = project / "build"
    for delay in (0.5, 1.5, 3.0):
        proc = subprocess.Popen([sys.executable, "-m", "kg", "build", "--root", str(project), "--full"], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for argv in (["query", "coverage-documents", "-f", "csv"], ["show", "Tablighi Jamaat"], ["search", "Tablighi"]):
            done = _kg(*argv, "--root", project)
            assert done.returncode == 0 and "Traceback" not in done.stderr, (delay, argv, done.stderr)
            assert "Tablighi Jamaat" in done.stdout or done.stdout.startswith("docId"), done.stdout
    assert _kg("build", "--root", project).returncode == 0
    assert not [p.name for p in out.iterdir() if ".tmp-" in p.name or ".part-" in p.name]


def test_a_full_disk_leaves_the_previous_network_page_and_export_whole(project, tmp_path_factory):
    _buildable(project)
    outputs = tmp_path_factory.mktemp("outputs")
    page, export = outputs / "net.html", outputs / "net.graphml"
    assert _kg("network", "--root", project, "-o", page, "--export", export).returncode == 0
    before = page.read_bytes(), export.read_bytes()
    for argv in (["-o", page], ["--export", export]):
        done = _kg("network", "--root", project, *argv, limit=len(before[1]) - 1)  # (the page is the larger)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.splitlines()[-1].endswith("the disk is full or a file may not grow this large; free some "
                                                      "space and run the command again"), done.stderr
    assert (page.read_bytes(), export.read_bytes()) == before  # (they were cut at the limit)
    assert sorted(p.name for p in outputs.iterdir()) == ["net.graphml", "net.html"]


def test_kg_docs_recovers_from_a_cache_of_pylode_cut_by_an_earlier_run(tmp_path, monkeypatch):
    """pyLODE writes its background-ontology pickles in place: a full disk during the first kg docs left
    one cut, and every later kg docs failed with a traceback."""
    pytest.importorskip("pylode")
    from pylode import utils
    from rdflib import Graph

    from kg.docs import _ontpub

    rdf = tmp_path / "rdf"
    shutil.copytree(utils.RDF_FOLDER, rdf, ignore=shutil.ignore_patterns("*.pickle"))
    monkeypatch.setattr(utils, "RDF_FOLDER", rdf)
    ontology = Graph().parse(ROOT / "ontology" / "kg.ttl")
    whole = _ontpub(ontology)  # makes the caches
    cache = rdf / "refs.pickle"
    cache.write_bytes(cache.read_bytes()[:50_000])
    assert _ontpub(ontology) == whole
    assert cache.stat().st_size > 50_000  # made again


def test_a_read_only_build_folder_is_one_line_and_queries_still_answer(project, tmp_path):
    """A build/ folder on a read-only file system (a bind mount, in a mount namespace of its own:
    permissions alone do not stop root): kg build refuses in one line, exit 2; kg query, search and
    show answer from the build that is there."""
    import shutil as sh

    if not sh.which("unshare") or subprocess.run(["unshare", "-m", "true"], capture_output=True, check=False).returncode:
        pytest.skip("no mount namespace here (unshare -m): a read-only folder cannot be made for root")
    _buildable(project)
    assert _kg("build", "--root", project).returncode == 0
    build = project / "build"
    script = (f'mount --bind "{build}" "{build}" && mount -o remount,ro,bind "{build}" || exit 9\n'
              + "".join(f'"{sys.executable}" -m kg {cmd} --root "{project}"; echo "rc=$?"\n'
                        for cmd in ("build --full", "query coverage-documents -f csv", "search Tablighi",
                                    "show 'Tablighi Jamaat'")))
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=300,
                          check=False, cwd=ROOT)
    if done.returncode == 9:
        pytest.skip(f"cannot mount read-only here: {done.stderr.strip()[:200]}")
    codes = [line for line in done.stdout.splitlines() if line.startswith("rc=")]
    assert codes == ["rc=2", "rc=0", "rc=0", "rc=0"], (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0] == (f"kg: error: cannot write to {build}: Read-only file system; choose another "
                                           "folder with --out or fix its permissions"), done.stderr
    assert "003,Country Reports on Terrorism 2015" in done.stdout


@pytest.mark.parametrize("argv", [
    ["query", "attacks", "--endpoint", "http://127.0.0.1:9/sparql", "--engine", "rdflib"],
    ["sparql", "ASK {}", "--engine", "oxigraph", "--endpoint", "http://127.0.0.1:9/sparql"],
    ["search", "isil", "--engine", "rdflib", "--endpoint", "http://127.0.0.1:9/sparql"],
])
def test_an_engine_and_an_endpoint_together_are_refused(capsys, argv):
    """Two answers to where a query runs: the endpoint won and --engine was ignored without a word."""
    with pytest.raises(SystemExit) as stopped:  # (as kg.cli._engine stops, before anything runs)
        main(argv)
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines() == [
        "kg: error: --engine chooses the embedded engine and --endpoint sends the query elsewhere: give one of them"]
