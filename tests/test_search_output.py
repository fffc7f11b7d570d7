"""One output for every command that prints rows: kg query, kg sparql, kg search and kg queries take
--format, --columns, --width and --max-rows with one meaning, and refuse a bad value alike."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kg import cli
from kg.query import FORMATS

#: Each command that prints rows, with arguments that give at least two rows.
COMMANDS = {
    "query": ["query", "entity-documents", "-p", "entity=Islamic State"],
    "sparql": ["sparql", "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label } ORDER BY ?s LIMIT 5"],
    "search": ["search", "Tablighi"],
    "queries": ["queries"],
}


@pytest.fixture
def run(engine, monkeypatch, capsys):
    """``run(args)``: (exit code, standard output, standard error) of ``kg ARGS`` on the curated graph."""
    from kg.bounded import BoundedEngine

    bounded = BoundedEngine(engine, 60.0)  # as kg.cli._engine wraps the built graph's engine
    monkeypatch.setattr(cli, "_engine", lambda args, root: bounded)

    def call(args):
        try:
            code = cli.main(args)
        except SystemExit as stop:  # argparse refusals
            code = stop.code
        out, err = capsys.readouterr()
        return code, out, err

    return call


def _columns(fmt: str, out: str) -> list[str]:
    """The column names of an output in ``fmt``."""
    if fmt == "json":
        return json.loads(out)["head"]["vars"]
    if fmt in ("csv", "tsv"):
        return next(csv.reader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
    return out.splitlines()[0].split()


def _rows(fmt: str, out: str) -> list[list[str]]:
    if fmt == "json":
        data = json.loads(out)
        names = data["head"]["vars"]
        return [[b.get(n, {}).get("value", "") for n in names] for b in data["results"]["bindings"]]
    return list(csv.reader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))[1:]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_format_writes_the_same_rows_and_columns(run, command):
    """csv, tsv and json hold the same rows and columns; the table has the same columns, in order."""
    args = COMMANDS[command]
    got = {}
    for fmt in FORMATS:
        code, out, err = run([*args, "--format", fmt, "--width", "10000"])
        assert code == cli.OK, (fmt, err)
        got[fmt] = out
    columns = _columns("csv", got["csv"])
    assert len(columns) >= 2
    assert _columns("tsv", got["tsv"]) == _columns("json", got["json"]) == _columns("table", got["table"]) == columns
    rows = _rows("csv", got["csv"])
    assert len(rows) >= 2
    assert _rows("tsv", got["tsv"]) == _rows("json", got["json"]) == rows


@pytest.mark.parametrize("command", list(COMMANDS))
def test_columns_width_and_max_rows_mean_the_same(run, command):
    args = COMMANDS[command]
    _, out, _ = run([*args, "-f", "csv"])
    first, second = _columns("csv", out)[:2]
    for fmt in FORMATS:  # --columns: those columns, in the order given, in every format
        code, out, err = run([*args, "-f", fmt, "--columns", f"{second},{first}", "--width", "10000"])
        assert code == cli.OK, err
        assert _columns(fmt, out) == [second, first], (fmt, out)
    code, out, _ = run([*args, "--width", "40"])  # --width: the table fits it
    assert code == cli.OK and max(len(line) for line in out.splitlines()[:-1]) <= 40, out
    code, out, _ = run([*args, "--max-rows", "1"])  # --max-rows: one row in the table, and a note
    assert code == cli.OK and "(only the first 1 rows are shown; --max-rows N shows more" in out
    code, out, _ = run([*args, "--max-rows", "1", "-f", "csv"])  # ... csv writes them all
    assert len(_rows("csv", out)) >= 2


BAD = [
    (["--format", "xml"], "argument --format/-f: invalid choice: 'xml' (choose from 'table', 'csv', 'tsv', 'json')"),
    (["--columns", ","], "--columns names no column"),
    (["--columns", "nosuch"], "--columns: no column nosuch in this result"),
    (["--width", "5"], "argument --width: '5' is not a width in columns: give a whole number from 20 to 10000"),
    (["--max-rows", "-1"], "argument --max-rows: '-1' is not a number of rows (0 or more)"),
]


@pytest.mark.parametrize("bad, message", BAD, ids=[b[0] + " " + b[1] for b, _ in BAD])
def test_a_bad_output_option_is_refused_alike_by_every_command(run, bad, message):
    seen = {}
    for command, args in COMMANDS.items():
        code, out, err = run([*args, *bad])
        assert code == cli.USAGE_ERROR and out == "", (command, err)
        assert len(err.splitlines()) == 1 and message in err, (command, err)
        seen[command] = err.replace(f"kg {command} --help", "kg COMMAND --help").split(" (its columns")[0]
    assert len(set(seen.values())) == 1, seen
