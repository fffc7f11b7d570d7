"""Errors of the file system that no command foresaw (kg.cli._os_error): one line that says what is
wrong and what to do. A file standing where an output folder goes gave only ``PATH: Not a directory``
(``kg site --out FILE/sub``) or ``PATH: File exists`` (``kg ingest --out FILE/x.trig``).

Standard streams the caller closed (``kg query ... >&-``): a traceback for every command that prints
its answer; and the first file kg opened took the free descriptor 1."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import _os_error

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("code,words", [
    (errno.ENOTDIR, "name a folder"),
    (errno.EEXIST, "name another place"),
    (errno.EISDIR, "name a file"),
    (errno.EACCES, "change its permissions"),
    (errno.EPERM, "change its permissions"),
    (errno.EROFS, "write elsewhere"),
    (errno.ENAMETOOLONG, "shorter name"),
    (errno.ENOENT, "check the path"),
    (errno.ENOSPC, "free some space"),
])
def test_each_error_of_the_file_system_says_what_to_do(code, words):
    line = _os_error(OSError(code, os.strerror(code), "/tmp/out"))
    assert line.startswith(f"/tmp/out: {os.strerror(code)}: ") and words in line, line


@pytest.mark.parametrize("argv", [["site", "--no-passages", "--out", "{file}/sub"], ["ingest", "003", "--out", "{file}/x.trig"]])
def test_a_file_where_an_output_folder_goes_is_one_line_saying_what_to_do(tmp_path, argv):
    if argv[0] == "ingest" and not (ROOT.parent / "shared" / "corpus").is_dir() and "KG_CORPUS" not in os.environ:
        pytest.skip("corpus absent: kg ingest reads document 003")
    file = tmp_path / "a file"
    file.write_text("mine")
    done = subprocess.run([sys.executable, "-m", "kg", *[a.format(file=file) for a in argv]], capture_output=True,
                          text=True, timeout=600, cwd=ROOT)
    err = [line for line in done.stderr.splitlines() if not line.startswith("kg: warning")]
    assert done.returncode == 2 and len(err) == 1 and "Traceback" not in done.stderr, done.stderr
    assert str(file) in err[0] and ("name a folder" in err[0] or "name another place" in err[0]), err[0]
    assert file.read_text() == "mine"


def _run_with_closed(fds, argv, cwd=ROOT):
    """``kg ARGV`` with the descriptors ``fds`` closed in the child (as ``>&-``, ``2>&-``, ``<&-`` do)."""
    return subprocess.run([sys.executable, "-m", "kg", *argv], stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL if 1 not in fds else None, stderr=subprocess.PIPE,
                          preexec_fn=lambda: [os.close(fd) for fd in fds], timeout=600, cwd=cwd, text=True)


@pytest.mark.parametrize("argv", [["query", "coverage-classes"], ["sparql", "ASK {}"], ["search", "isil"], ["queries"],
                                  ["network", "actor", "--metrics"]])
def test_a_closed_standard_output_is_one_line_not_a_traceback(argv):
    """``kg query ... >&-`` ended in AttributeError: 'NoneType' object has no attribute 'write'."""
    done = _run_with_closed([1], argv)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.splitlines() == [f"kg: error: standard output is closed (>&-): kg {argv[0]} prints its answer "
                                        "there; send it to a file or a pipe (> FILE, | less), or to /dev/null"]


def test_closed_standard_streams_are_held_by_dev_null_so_no_file_takes_their_number(tmp_path):
    """With descriptor 1 closed, the first file kg opened took number 1; it now stays /dev/null's."""
    probe = ("import os, sys; from kg.cli import _closed_streams; closed = _closed_streams(); "
             "fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT); print(sorted(closed), fd, file=sys.stderr); "
             "sys.stdout.write('nothing lands in a file'); sys.stdout.flush()")
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "data")], stdin=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1), text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    closed, fd = done.stderr.split("] ")
    assert closed == "['stdout'" and int(fd) > 2
    assert (tmp_path / "data").read_text() == ""


def test_a_closed_standard_error_still_exits_with_the_code():
    done = _run_with_closed([2], ["query", "no-such-question"])
    assert done.returncode == 2


def test_a_file_on_the_way_to_an_output_folder_is_named_not_taken_for_a_missing_folder(tmp_path):
    """``kg network --export FILE/x.json`` said "the folder FILE does not exist; create it", and ``kg
    add-source --copy-to FILE/sub`` "create the corpus folder first": a file stands there."""
    from kg.outputs import OutputRefused, check_replaceable, missing_folder

    file = tmp_path / "notes"
    file.write_text("mine")
    assert missing_folder(file / "a" / "b") == f"{file} is a file, not a folder; name a folder, or move it away"
    assert missing_folder(tmp_path / "new") == f"the folder {tmp_path / 'new'} does not exist; create it or write elsewhere"
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    assert missing_folder(tmp_path / "gone") == f"{tmp_path / 'gone'} is a link to nothing, not a folder; name a folder, or move it away"
    with pytest.raises(OutputRefused, match="is a file, not a folder"):
        check_replaceable(file / "x.json", ("kzkg",), "--export")


def test_add_source_copy_to_under_a_file_names_the_file(tmp_path):
    import shutil

    from kg.sources import SourceError, add_source

    project = tmp_path / "p"  # a copy of the ontology and the registry: nothing is registered in the checkout
    shutil.copytree(ROOT / "ontology", project / "ontology")
    (project / "graph").mkdir()
    shutil.copy(ROOT / "graph" / "sources.ttl", project / "graph" / "sources.ttl")
    file = tmp_path / "notes"
    file.write_text("mine")
    doc = tmp_path / "doc.txt"
    doc.write_text("A short text written for the test.\n", encoding="utf-8")
    with pytest.raises(SourceError, match="notes is a file, not a folder"):
        add_source(project, doc, copy_to=file / "corpus")
    assert file.read_text() == "mine"
