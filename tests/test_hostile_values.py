"""Values a user (or the environment) gives that are echoed back in an error: one short, printable line.

The kind: an error repeats the value it refuses, so a value thousands of characters long (a --root
path, $KG_CORPUS, a pasted page as a name) made a line thousands of characters long, and control
characters could reach the terminal. :func:`kg.cli.printable`, through which every error of the
command line is printed, cuts every long run and escapes every control character.
"""

from __future__ import annotations

import contextlib

import pytest

from kg.cli import main, printable

LONG = "/tmp/" + "a" * 5000 + "/end-of-the-path"


@pytest.mark.parametrize("argv, env", [
    (["query", "attacks", "--root", LONG], {}),
    (["sparql", "ASK {}", "--root", LONG + "\x1b[2J"], {}),
    (["locate", "003", "the"], {"KG_CORPUS": LONG}),
    (["query", "attacks", "--format", "x" * 5000], {}),
])
def test_a_long_value_is_echoed_short_on_one_line(capsys, monkeypatch, argv, env):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SystemExit) if "--format" in argv else contextlib.nullcontext():
        assert main(argv) == 2
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), err[:300]
    assert len(lines[0]) < 600, len(lines[0])
    assert "\x1b" not in err
    if "--format" not in argv:
        assert "end-of-the-path" in lines[0]  # the end of a path (its file name) is kept


def test_printable_keeps_short_values_whole_and_cuts_long_runs():
    assert printable("a b\tc") == "a b\\tc"
    assert printable("x" * 300) == "x" * 300
    cut = printable("see " + "y" * 200 + "z" * 200 + " here")
    assert cut == "see " + "y" * 200 + "…" + "z" * 60 + " here"




def test_file_dash_reads_standard_input_and_refuses_what_cannot_be_read():
    """``--file -`` is standard input: a pipe is read (the query then goes to the endpoint, which is not
    there), /dev/null (a device) is refused in one line, as any path that is not a regular file."""
    import subprocess
    import sys
    from pathlib import Path

    argv = [sys.executable, "-m", "kg", "sparql", "--file", "-", "--endpoint", "http://127.0.0.1:9/sparql"]
    where = Path(__file__).resolve().parent.parent
    piped = subprocess.run(argv, input="ASK {}", capture_output=True, text=True, timeout=120, check=False, cwd=where)
    assert "standard input" not in piped.stderr and "127.0.0.1:9" in piped.stderr, piped.stderr
    with open("/dev/null") as devnull:
        done = subprocess.run(argv, stdin=devnull, capture_output=True, text=True, timeout=120, check=False, cwd=where)
    assert done.returncode == 2 and done.stderr.splitlines() == [(
        "kg: error: --file - reads the query from standard input, which is a terminal, a device or closed here: "
        "pipe the query in (kg sparql --file - < question.rq) or give it as text")], done.stderr
    closed = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120, check=False,
                            cwd=where, preexec_fn=lambda: __import__("os").close(0))
    assert closed.returncode == 2 and closed.stderr == done.stderr, closed.stderr


@pytest.mark.parametrize("host", ["local\nhost", "[::1]", "http://localhost", "a" * 400, "x\x1b[2J"])
def test_kg_serve_refuses_a_host_that_is_not_one_in_one_line(capsys, host):
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--host", host])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and len(err.splitlines()) == 1 and "not a host name or address" in err, err
    assert "\x1b" not in err and len(err) < 600
