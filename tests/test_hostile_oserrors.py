"""Errors of the file system that no command foresaw (kg.cli._os_error): one line that says what is
wrong and what to do. A file standing where an output folder goes gave only ``PATH: Not a directory``
(``kg site --out FILE/sub``) or ``PATH: File exists`` (``kg ingest --out FILE/x.trig``)."""

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
