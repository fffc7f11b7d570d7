"""README.md says what the project does: its question table is the library, every command and option it
names exists, and its tour prints what it shows (the commands run as written, in the project folder)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.query import load_queries

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_question_table_is_the_library():
    """One row per named question, with its summary and its parameters as `kg queries` gives them (the row of
    disagreements still had the summary and the no-parameter '-' of an older question)."""
    queries = load_queries()
    table = {name: (summary, params) for name, summary, params in
             re.findall(r"^\| `([\w-]+)` \| (.*?) \| (.*?) \|$", README, re.M) if name in queries}
    assert table == {name: (q.summary, ", ".join(p.name for p in q.params) or "-") for name, q in queries.items()}


def _help(command: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "kg", *command.split(), "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, (command, proc.stderr)
    return proc.stdout


def test_every_command_and_option_of_the_command_table_exists():
    """Each `kg COMMAND [options]` of the table answers --help and knows each option the table gives it."""
    rows = re.findall(r"^\| `kg ([a-z-]+)([^`]*)`(?: / `([^`]*)`)? \|", README, re.M)
    assert len(rows) >= 15
    for command, options, more in rows:
        text = _help(command)
        for option in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", options + " " + more):
            assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text), f"kg {command} has no {option}"


CONSOLE = re.compile(r"^```console\n(.*?)^```", re.S | re.M)


def _tour():
    """(command, lines shown) of every `$ kg build`, `kg query` and `kg sparql` of the README's console blocks."""
    found = []
    for block in CONSOLE.findall(README):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            if not lines[i].startswith("$ kg "):
                i += 1
                continue
            command = lines[i][2:]
            while command.endswith("\\"):
                i += 1
                command = command[:-1] + " " + lines[i].strip()
            shown = []
            i += 1
            while i < len(lines) and not lines[i].startswith("$ "):
                shown.append(lines[i])
                i += 1
            while shown and not shown[-1].strip():
                shown.pop()
            command = re.sub(r"\s+#.*$", "", command).strip()
            if command.split()[1] in ("build", "query", "sparql") and shown:
                found.append((command, shown))
    return found


def _matches(shown: list[str], printed: list[str]) -> bool:
    """The lines shown are the lines printed, in order; a line '...' stands for any lines."""
    if not shown:
        return not printed
    if shown[0].strip() == "...":
        return any(_matches(shown[1:], printed[k:]) for k in range(len(printed) + 1))
    return bool(printed) and shown[0].rstrip() == printed[0].rstrip() and _matches(shown[1:], printed[1:])


@pytest.mark.parametrize("command, shown", _tour(), ids=lambda x: x if isinstance(x, str) else "")
def test_the_tour_prints_what_the_readme_shows(command, shown, corpus_folder):
    """Each command of the tour, run as written in the project folder, prints the lines shown (paths
    relative to the project; an error line without its '(exit code N)' note, which gives the exit code)."""
    env = {**os.environ, "COLUMNS": "120"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    proc = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env=env)
    expected_exit = re.search(r"\(exit code (\d+)\)\s*$", shown[-1])
    if expected_exit:
        shown = shown[:-1] + [re.sub(r"\s*\(exit code \d+\)\s*$", "", shown[-1])]
        assert proc.returncode == int(expected_exit.group(1)), proc.stderr
        printed = proc.stderr
    else:
        assert proc.returncode == 0, proc.stderr
        printed = proc.stdout
    printed = printed.replace(f"{ROOT}{os.sep}", "").splitlines()
    assert _matches(shown, printed), "\n".join(["shown:"] + shown + ["printed:"] + printed)


def test_kg_locate_says_what_to_do_when_the_words_are_not_found(corpus_folder, capsys):  # skips without corpus
    """`kg locate` (the README's way to find a span) names the words it did not find and what to try,
    as every error does, instead of a bare 'no match in document 003'."""
    from kg.cli import main

    assert main(["locate", "003", "no such words here"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["kg: error: no passage of document 003 holds 'no such words here' (case and white space are free): "
                   "check the words against the document, or give fewer"]
    assert main(["locate", "003", "Kazakhstani courts", "--until", "no such end"]) == 1
    assert "holds 'Kazakhstani courts' then 'no such end'" in capsys.readouterr().err


def test_kg_all_answers_its_questions_in_the_columns_it_names(engine):
    """`kg all` (the README's first command) prints three answers in chosen columns: each is a column of
    its question and holds a value in some row (the estimates table repeated the quantity's long name on
    every row, half its width)."""
    from kg.cli import TOUR
    from kg.query import get_query, run_named

    for name, params, _, columns in TOUR:
        result = run_named(engine, get_query(name), params)
        assert set(columns) <= set(result.variables), name
        assert all(any(row.get(c) for row in result.rows) for c in columns), name
