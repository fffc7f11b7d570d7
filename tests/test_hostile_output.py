"""What kg prints about values from outside (paths, file names, labels, passages): each message one
line, nothing a terminal would obey.

The kind: a message that holds a value kg did not write (the path given to ``-o``/``--out``, a file
name, a label of the graph, a passage of a document) showed a new line in it as a line break (one
message read as two: ``wrote out/a`` then ``b.html``) and an ``ESC [`` sequence or a right-to-left
override raw. :func:`kg.output.one_line` writes every such value into its message (the escapes of
:func:`kg.output.escaped`, the one mechanism tables and errors use too), and standard error, when it
is a terminal, is escaped as standard output is (a library's warning or log line included).
"""

from __future__ import annotations

import io
import logging
import re
import sys

import pytest
from test_site_hostile import make_hostile_project

from kg.cli import main
from kg.output import one_line

#: A folder name with a new line, a tab, a screen-clearing sequence, a C1 control and a right-to-left override
ODD = "a\nb\tc\x1b[2Jd\x9be\u202ef"
SHOWN = "a\\nb\\tc\\x1b[2Jd\\x9be\\u202ef"
UNSHOWN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")  # (all but \n)


def test_one_line_escapes_what_would_break_or_drive_the_line_and_keeps_the_rest():
    assert one_line(ODD) == SHOWN
    assert one_line("Ақтөбе 😀 — «ok»") == "Ақтөбе 😀 — «ok»"
    assert one_line("x\u2028y\u2029z\u2066w\ud800") == "x\\u2028y\\u2029z\\u2066w\\ud800"
    from pathlib import Path

    assert one_line(Path("/tmp") / ODD) == "/tmp/" + SHOWN


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_hostile_project(tmp_path_factory.mktemp("messages"))


def _lines(capsys) -> tuple[list[str], list[str]]:
    out, err = capsys.readouterr()
    for text in (out, err):
        assert not UNSHOWN.search(text), repr(text)
    return out.splitlines(), err.splitlines()


@pytest.mark.parametrize("command, files", [
    (["network", "actor", "-o", "{dir}/n.html", "--export", "{dir}/n.json"], ["n.json", "n.html"]),
    (["site", "--out", "{dir}/site"], ["site/index.html"]),
    (["build", "--out", "{dir}/b"], ["b/kg.trig", "b/kg.nq", "b/kg.jsonld", "b/store"]),
    (["ingest", "005", "--out", "{dir}/d005.trig"], ["d005.trig"]),
])
def test_every_wrote_line_is_one_line_with_the_path_escaped(project, tmp_path, capsys, command, files):
    root, corpus = project
    folder = tmp_path / ODD
    folder.mkdir()
    args = [a.replace("{dir}", str(folder)) for a in command] + ["--root", str(root)]
    if command[0] in ("site", "build", "ingest"):
        args += ["--corpus", str(corpus)]
    assert main(args) == 0
    out, _ = _lines(capsys)
    wrote = [line for line in out if line.startswith("wrote ")]
    assert [line.split(": ")[0].split(" (")[0] for line in wrote] == [f"wrote {tmp_path}/{SHOWN}/{f}" for f in files], out
    for f in files:
        assert (folder / f).exists()


def test_kg_docs_and_add_source_name_their_files_escaped(project, tmp_path, capsys):
    root, corpus = project
    folder = tmp_path / ODD
    assert main(["docs", "--root", str(root), "--out", str(folder)]) == 0
    out, _ = _lines(capsys)
    assert out == [f"wrote {tmp_path}/{SHOWN}/index.html", f"wrote {tmp_path}/{SHOWN}/shapes.html"]
    document = corpus / "006_a\u202ed\u2066.txt"  # (a name with a control character is refused, in one line)
    document.write_text("A new report on nothing in particular.\n", encoding="utf-8")
    assert main(["add-source", str(document), "--root", str(root), "--corpus", str(corpus), "--title", "New"]) == 0
    out, err = _lines(capsys)
    assert out == ["006"] and err[0].startswith("kg: registered 006_a\\u202ed\\u2066.txt as source:d006"), err


def test_kg_all_names_what_it_wrote_on_one_line_each(project, tmp_path, capsys, monkeypatch):
    import shutil

    import kg.cli

    monkeypatch.setattr(kg.cli, "TOUR", [])  # (the tour's questions name entities of the curated graph)
    root, corpus = project
    copy = tmp_path / ODD
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build"))
    assert main(["all", "--root", str(copy), "--corpus", str(corpus)]) == 0
    out, _ = _lines(capsys)
    wrote = [line for line in out if line.startswith("wrote ")]
    assert len(wrote) == 4 + 4 + 1, out  # the build's four outputs, four networks, the site
    assert all(line.startswith(f"wrote {tmp_path}/{SHOWN}/build/") for line in wrote), wrote


def test_a_passage_located_across_lines_is_one_line(project, capsys):
    root, corpus = project
    assert main(["locate", "005", "closing tag", "--until", "An image", "--root", str(root), "--corpus", str(corpus)]) == 0
    out, _ = _lines(capsys)
    assert len(out) == 3 and "in the text.\\nAn image]]" in out[1], out


def test_labels_in_the_network_reports_are_escaped(project, capsys):
    root, _ = project
    assert main(["network", "actor", "--metrics", "--root", str(root)]) == 0
    out, _ = _lines(capsys)
    assert any("\\u202eEvil\\u2028" in line for line in out), out


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_standard_error_on_a_terminal_is_escaped_whoever_writes_to_it(project, monkeypatch):
    """A library's log line or warning (not kg's own message) reaches the terminal through the same
    escapes; once the command ends, standard error is the terminal's again."""
    import kg.cli

    root, _ = project
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)

    def command(args):
        # what Python's logging writes for a library that set up no handler (sys.stderr at the time)
        logging.lastResort.handle(logging.makeLogRecord({"name": "some.library", "levelno": logging.WARNING,
                                                         "msg": "value \x1b[2J\u202eEvil"}))
        print("kg: warning: \x9b31m", file=sys.stderr)
        return 0

    monkeypatch.setattr(kg.cli, "cmd_locate", command)
    assert main(["locate", "005", "x", "--root", str(root)]) == 0
    assert sys.stderr is screen
    assert screen.getvalue() == "value \\x1b[2J\\u202eEvil\nkg: warning: \\x9b31m\n", repr(screen.getvalue())
