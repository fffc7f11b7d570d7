"""What a cold ``kg query`` imports, and the one-command parsers that keep it light.

Behaviour tests, not timed ones: the time is measured by ``bench/coldstart.py`` (bench/SCALE.md).
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

import pytest

from kg import cli

from test_build import claim, project  # noqa: F401  (the tiny-project fixture)

ROOT = cli.Path(cli.__file__).resolve().parent.parent
HEAVY = ("rdflib", "networkx", "pyshacl", "jinja2", "pyvis", "pandas")


def _imported(*args: str) -> tuple[set[str], subprocess.CompletedProcess]:
    """The top-level packages ``python -X importtime -m kg ARGS`` imports, and the finished process."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "kg", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    names = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in proc.stderr.splitlines()
             if line.startswith("import time:")}
    return names, proc


@pytest.fixture(scope="module")
def fresh_build():
    """The project's own build, made first when stale (so that no query below has to build)."""
    from kg.store import is_stale

    if is_stale(ROOT):
        assert cli.main(["build"]) == cli.OK
    return ROOT / "build"


@pytest.mark.parametrize("args", [
    ("query", "coverage-documents"),
    ("query", "timeline", "-p", "from=2014", "-p", "to=2016", "-f", "csv"),
    ("query", "entity-statements", "-p", "entity=group:tablighi-jamaat", "-f", "json"),
    ("query", "entity-statements", "-p", "entity=Tablighi Jamaat"),  # a label to resolve
    ("query", "group-neighbourhood", "-p", "group=Islamic State", "-p", "steps=1"),
])
def test_a_query_imports_no_heavy_library(fresh_build, args):
    names, proc = _imported(*args)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.strip()
    assert "kg" in names and "pyoxigraph" in names  # the import log was read
    assert sorted(names & set(HEAVY)) == []
    # and none of the extension modules (networks, server, site...) is imported to register its parser
    assert not {m for m in cli.EXTENSIONS} & {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()}


def test_an_exact_name_is_resolved_without_fuzzy_matching(fresh_build):
    _imported("query", "entity-statements", "-p", "entity=Tablighi Jamaat")  # leaves the names cache
    names, proc = _imported("query", "entity-statements", "-p", "entity=Tablighi Jamaat")
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "group:tablighi-jamaat" in proc.stdout or "Tablighi Jamaat" in proc.stdout
    assert "rapidfuzz" not in names  # the fuzzy tier is not needed: an exact match is ahead
    assert "anyascii" not in names  # the cached keys and an ASCII name need no transliteration


def test_a_misspelt_name_still_lists_candidates(fresh_build):
    names, proc = _imported("query", "entity-statements", "-p", "entity=Tablihgi Jamat")
    assert proc.returncode == 2
    message = [line for line in proc.stderr.splitlines() if not line.startswith("import time:")]
    assert len(message) == 1 and message[0].startswith(
        "kg: error: no entity is labelled 'Tablihgi Jamat'; candidates, best first: "
        "Tablighi Jamaat [non-violent religious movement] group:tablighi-jamaat")
    assert "rapidfuzz" in names and sorted(names & set(HEAVY)) == []  # the fuzzy tier ran; nothing heavy


def test_kg_search_imports_no_network_or_rdf_library(fresh_build):
    names, proc = _imported("search", "Tablighi", "--width", "200")  # the IRI whole on one line
    assert proc.returncode == 0 and "group:tablighi-jamaat" in proc.stdout
    assert sorted(names & set(HEAVY)) == []


def test_the_extension_table_names_what_each_module_registers():
    for module_name, commands in cli.EXTENSIONS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            assert commands == (), f"{module_name} is absent but the table gives it commands"
            continue
        sub = argparse.ArgumentParser(prog="kg").add_subparsers()
        module.register(sub, cli._add_common, cli._add_query_opts)
        assert tuple(sub.choices) == commands, f"update kg.cli.EXTENSIONS for {module_name}"


def _subparser(ap: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    action = next(a for a in ap._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices[command]


def test_each_command_has_the_same_help_from_its_own_parser():
    whole = cli.parser()
    commands = list(cli._CORE) + [c for cs in cli.EXTENSIONS.values() for c in cs]
    assert len(commands) > 10
    for command in commands:
        alone = cli.parser(command=command)
        assert _subparser(alone, command).format_help() == _subparser(whole, command).format_help(), command
        assert alone.format_usage() == whole.format_usage()


def test_unknown_command_and_top_level_help_list_every_command(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["serch", "x"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'serch'" in err and "'search'" in err and "'query'" in err
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    for command in ("build", "query", "serve", "network", "search", "site", "ingest", "docs"):
        assert f"    {command} " in out


SHA = "a205fce6e44a1c0f6175706a3df7173f8323cf9051c4993333cf03238cde00f0"


def test_a_current_build_is_known_without_reading_an_input(project, monkeypatch):  # noqa: F811
    import os

    from kg import buildsafe

    claim(project, "group:tj kg:stance kg:NonViolent .", sha=SHA)
    assert cli.main(["build", "--root", str(project)]) == cli.OK
    hashed = []
    real = buildsafe._sha256
    monkeypatch.setattr(buildsafe, "_sha256", lambda path: hashed.append(path.name) or real(path))
    assert buildsafe.stale_reason(project) is None
    assert hashed == []  # sizes and times as recorded: nothing read
    card = project / "graph" / "entities" / "t.ttl"
    text = card.read_text()
    stat = card.stat()
    card.write_text(text)  # the same content, a newer time: read, and still current
    os.utime(card, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert buildsafe.stale_reason(project) is None and hashed == ["t.ttl"]
    card.write_text(text.replace("Tablighi", "Tablighy"))  # same size, changed content, newer time
    assert buildsafe.stale_reason(project) == "graph/entities/t.ttl changed"
    (project / "graph" / "entities" / "u.ttl").write_text("")
    card.write_text(text)
    assert buildsafe.stale_reason(project) == "graph/entities/u.ttl was added"


def test_the_guard_reads_a_prefix_start_as_the_plain_character_class():
    import re

    from kg.guard import PREFIX_START, tokens

    plain, written = re.compile(r"[A-Za-z\u00c0-\uffff]"), re.compile(PREFIX_START, re.DOTALL)
    assert all(bool(plain.fullmatch(chr(c))) == bool(written.fullmatch(chr(c))) for c in range(0x110000))
    assert list(tokens("SELECT * FROM ßchema:x ÿ:y \U00010000:z")) == [
        ("word", "SELECT"), ("other", "*"), ("word", "FROM"), ("pname", "ßchema:x"), ("pname", "ÿ:y"),
        ("other", "\U00010000"), ("pname", ":z")]


def test_the_names_index_kept_in_a_store_is_replaced_with_the_store(tmp_path):
    from kg.search import NAMES_CACHE, resolve
    from kg.store import OxigraphEngine, write_store

    label = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
    folder = tmp_path / "store"
    write_store(f'<https://w3id.org/kzkg/id/group/a> {label} "Alpha Front" .\n'.encode(), folder)
    assert resolve(OxigraphEngine.read_only(folder), "Alpha Front") == "https://w3id.org/kzkg/id/group/a"
    assert (folder / NAMES_CACHE).is_file()  # kept for the next query by name
    assert resolve(OxigraphEngine.read_only(folder), "alpha front") == "https://w3id.org/kzkg/id/group/a"
    write_store(f'<https://w3id.org/kzkg/id/group/b> {label} "Alpha Front" .\n'.encode(), folder)  # a rebuild
    assert resolve(OxigraphEngine.read_only(folder), "Alpha Front") == "https://w3id.org/kzkg/id/group/b"
    # a names index made from another store (as when a build replaces the folder during a query) is not used
    other = tmp_path / "other"
    write_store(f'<https://w3id.org/kzkg/id/group/c> {label} "Alpha Front" .\n'.encode(), other)
    (other / NAMES_CACHE).write_bytes((folder / NAMES_CACHE).read_bytes())
    assert resolve(OxigraphEngine.read_only(other), "Alpha Front") == "https://w3id.org/kzkg/id/group/c"


@pytest.mark.parametrize("args", [("query", "coverage-documents"), ("query", "coverage-documents", "-f", "csv"),
                                  ("query", "entity-statements", "-p", "entity=Tablighi Jamaat")])
def test_a_query_imports_no_archive_module(fresh_build, args):
    """shutil (which loads zlib, bz2 and lzma: 2-3 ms) was imported by argparse for the terminal's width
    and by the table's layout; both now ask the terminal through kg.tables.terminal_width."""
    names, proc = _imported(*args)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert sorted(names & {"shutil", "bz2", "lzma", "_bz2", "_lzma", "zlib"}) == []


@pytest.mark.parametrize("columns", [None, "", "0", "15", " 30", "abc", "-4", "200"])
def test_the_width_of_tables_and_help_is_the_one_shutil_gives_within_the_widths_taken(monkeypatch, columns):
    import shutil

    from kg.tables import WIDTHS, terminal_width

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    for default in (80, 120):
        # held within the widths --width takes (COLUMNS=15 drew words cut in pieces: tests/test_u7_breakers.py)
        assert terminal_width(default) == min(max(shutil.get_terminal_size((default, 24)).columns, WIDTHS[0]), WIDTHS[1])
    shown = argparse.HelpFormatter("kg")._width + 2  # argparse's: the terminal's columns less 2
    assert cli._HelpFormatter("kg")._width == min(max(shown, WIDTHS[0]), WIDTHS[1]) - 2
    assert cli._HelpFormatter("kg", width=50)._width == 50


_THRESHOLD = """import gc, sys
sys.argv = ['kg', {}]
from kg import cli
try:
    cli.main({})
except SystemExit:  # --help
    pass
print(gc.get_threshold())"""


@pytest.mark.parametrize("command, program, expected", [
    ("'query', 'coverage-documents', '--limit', '1'", True, "(20000, 10, 10)"),
    ("'query', 'coverage-documents', '--limit', '1'", False, "(700, 10, 10)"),  # main(argv) from a program
    ("'queries'", True, "(20000, 10, 10)"),
    ("'build', '--help'", True, "(700, 10, 10)"),  # a build keeps Python's collector as it is
])
def test_a_query_run_as_the_program_collects_garbage_rarely(fresh_build, command, program, expected):
    """3-4 ms of a cold kg query were Python's cyclic collector passing over the modules' objects while
    they were imported and at the exit; run as the kg program, an answering command raises the
    threshold and freezes what is left at the exit. Called by another program (argv given), main
    leaves the collector alone."""
    code = _THRESHOLD.format(command, "" if program else f"[{command}]")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.stdout.strip().splitlines()[-1] == expected, proc.stderr[-500:]


def test_a_query_without_a_name_to_read_imports_no_unicode_database(fresh_build):
    """unicodedata (a C module) serves kg.query.normalise and the reading of names; a question with a
    prefixed name needs neither."""
    names, proc = _imported("query", "entity-statements", "-p", "entity=group:tablighi-jamaat")
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "unicodedata" not in names
