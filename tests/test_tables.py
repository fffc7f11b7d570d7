"""kg.tables: column widths and wrapping that break no word that fits, and --columns checked (every format)."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings, strategies as st

from kg.output import write_events
from kg.query import format_result, get_query, run_named
from kg.store import QueryError, Result
from kg.tables import GAP, _widths, _wrap, format_table, wanted_columns

WORD = re.compile(r"[^\t\n\x0b\x0c\r ]+")


def _lit(v):
    return {"type": "literal", "value": v}


def _result(variables, rows):
    return Result(list(variables), [{v: _lit(c) for v, c in zip(variables, row) if c} for row in rows])


def check_words(words: list[str], tokens: list[str], width: int, where: str = "") -> None:
    """``tokens`` (the words of the lines of a column, top to bottom) are ``words`` in order, every word
    of at most ``width`` characters whole, a wider one in pieces of at most ``width`` that join into it."""
    tokens = list(reversed(tokens))
    for word in words:
        assert tokens, f"{where}: {word!r} is missing"
        if len(word) <= width:
            assert tokens.pop() == word, f"{where}: {word!r} fits {width} columns but was split"
            continue
        joined = ""
        while len(joined) < len(word) and tokens:
            piece = tokens.pop()
            assert len(piece) <= width, where
            joined += piece
        assert joined == word, f"{where}: the pieces of {word!r} make {joined!r}"
    assert not tokens, f"{where}: more than the cells hold: {tokens[::-1]}"


def columns_of(table: str) -> tuple[list[tuple[int, int]], list[str], list[str]]:
    """The column spans (from the dashes under the header), the header lines and the body lines of a table."""
    lines = table.splitlines()
    rule = next(i for i, line in enumerate(lines) if line and set(line) <= {"-", " "})
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[rule])]
    return spans, lines[:rule], lines[rule + 1:-1]


def kept_columns(table: str, header: list[str]) -> list[str]:
    """The columns of ``header`` that ``table`` shows: those its note does not say were left out."""
    note = re.search(r"left out to fit \d+ columns: (.*?) \(--columns", table.splitlines()[-1])
    dropped = note.group(1).split(", ") if note else []
    return [h for h in header if h not in dropped]


def check_table(table: str, header: list[str], cells: list[list[str]], width: int) -> list[int]:
    """Every line of ``table`` within ``width``; in every column the words of its cells in order, none
    that fits the column split; every column as wide as its longest word when those fit together.
    Returns the widths of the columns."""
    spans, head, body = columns_of(table)
    assert len(spans) == len(header)
    assert all(len(line) <= width for line in head + body), [len(line) for line in head + body]
    for j, (start, end) in enumerate(spans):
        if j + 1 < len(spans):
            assert spans[j + 1][0] - end == len(GAP)
        for lines, texts in ((head, [header[j]]), (body, [row[j] for row in cells])):
            tokens = [t for line in lines for t in WORD.findall(line[start:end])]
            assert all(line[end:end + len(GAP)].strip() == "" for line in lines)
            check_words([w for text in texts for w in WORD.findall(text)], tokens, end - start, header[j])
    widths = [end - start for start, end in spans]
    longest = [max([len(h)] + [len(w) for row in cells for w in WORD.findall(row[j])]) for j, h in enumerate(header)]
    if sum(longest) + len(GAP) * (len(longest) - 1) <= width:
        assert all(w >= n for w, n in zip(widths, longest)), (widths, longest)
    return widths


def test_a_name_column_gets_its_longest_word_before_the_widest_columns_share():
    # the shape of kg query attacks: a long name with a long hyphenated word, several text columns, numbers
    header = ["name", "kind", "date", "places", "targets", "perpetrators", "killed"]
    rows = [["Boralday shootouts (November-December 2011)", "attack", "2011-11", "Boralday", "Security forces",
             "Islamic Movement of Uzbekistan (perpetrated)", "5"],
            ["Terrorist attacks in Aktobe and Almaty in 2011, 2012 and 2016 (as grouped by the thesis)",
             "foiled plot", "2011", "Aktobe, Almaty", "National Guard unit and two gun shops", "Jund al-Khilafah", "12"]]
    table = format_table(_result(header, rows), width=80)
    assert kept_columns(table, header) == header[:-1]  # the rightmost is left out to fit, as before
    widths = check_table(table, header[:-1], [row[:-1] for row in rows], 80)
    assert widths[0] == len("(November-December")
    assert "(November-December" in table and "(perpetrated)" in table


def test_a_word_wider_than_any_column_breaks_at_its_hyphens_first():
    assert _wrap("Shootouts (November-December 2011)", 12) == ["Shootouts", "(November-", "December", "2011)"]
    assert _wrap("ab-cdefghijklmnop", 10) == ["ab-", "cdefghijkl", "mnop"]
    assert _wrap("abcdefghijklmnopqrstuvwxyz", 10) == ["abcdefghij", "klmnopqrst", "uvwxyz"]
    assert _wrap("x Tehrik-i-Taliban-Pakistan y", 12) == ["x Tehrik-i-", "Taliban-", "Pakistan y"]


def test_widths_keep_every_longest_word_when_they_fit_else_the_most_words():
    # the old widths: the widest column shrunk to 13 (its word of 18 broken) while 'kind' kept 11
    assert _widths([88, 11, 7, 43], [{18: 1, 9: 2}, {6: 2, 4: 1}, {7: 1}, {11: 1, 6: 3}], 60) == [18, 11, 7, 18]
    # not every longest word fits: at least 6 each, then the room goes where it keeps most words whole
    # for its characters (six words of 8 before one of 25), what is left to the narrowest columns
    words = [{25: 1, 5: 4}, {20: 1, 8: 6}, {7: 1, 2: 3}, {9: 1, 1: 3}]
    assert _widths([40, 30, 7, 9], words, 50) == [8, 20, 7, 9]
    # alike: a column of text before one of numbers, whichever comes first
    assert _widths([30, 10], [{10: 1}, {10: 1}], 18, [False, True]) == [10, 6]
    assert _widths([30, 10], [{10: 1}, {10: 1}], 18, [True, False]) == [6, 10]
    # everything fits: natural widths
    assert _widths([5, 5], [{5: 1}, {5: 1}], 20) == [5, 5]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab-\u2013 \t", max_size=60), st.integers(min_value=1, max_value=30))
def test_wrapped_lines_fit_and_split_no_word_that_fits(cell, width):
    lines = _wrap(cell, width)
    assert all(len(line) <= width for line in lines)
    check_words(WORD.findall(cell), [t for line in lines for t in WORD.findall(line)], width)


NAMES = st.lists(st.from_regex(r"[a-z][A-Za-z]{0,9}", fullmatch=True), min_size=1, max_size=7, unique=True)
CELL = st.lists(st.from_regex(r"[A-Za-z0-9(),.]{1,8}(-[A-Za-z0-9()]{1,12}){0,3}", fullmatch=True), max_size=8).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(NAMES.flatmap(lambda names: st.tuples(st.just(names), st.lists(st.lists(CELL, min_size=len(names), max_size=len(names)),
                                                                        max_size=5))),
       st.integers(min_value=20, max_value=140))
def test_any_table_fits_its_width_and_splits_no_word_that_fits(data, width):
    """Every line within ``width``; a word is split only where it is wider than its column, and the
    columns are as wide as their longest words whenever those fit together."""
    header, rows = data
    table = format_table(_result(header, rows), width=width)
    kept_header = kept_columns(table, header)
    cells = [[row[header.index(h)] for h in kept_header] for row in rows]
    check_table(table, kept_header, cells, width)


@pytest.mark.parametrize("width", [80, 120])
def test_named_questions_split_no_word_that_fits(engine, width):
    for name in ("attacks", "groups", "estimates", "disagreements", "legal-acts", "people"):
        given_ = {"quantity": "quantity:kazakhstanis-in-syria-and-iraq"} if name == "estimates" else {}
        result = run_named(engine, get_query(name), given_)
        table = format_result(result, "table", width=width, engine=engine)
        header = kept_columns(table, result.variables)
        from kg.tables import _cell, describe_iris

        described = describe_iris(engine, {t["value"] for r in result.rows for t in r.values()
                                           if "/stat/" in t["value"] or "/finding/" in t["value"]})
        cells = [[_cell(r.get(v), described) for v in header] for r in result.rows]
        check_table(table, header, cells, width)
        assert len(columns_of(table)[1]) == 1, f"{name}: a column name was broken: {columns_of(table)[1]}"


# -- --columns ---------------------------------------------------------------------------------------

ROWS = _result(["s", "p", "o"], [["a", "b", "c"]])


@pytest.mark.parametrize("columns", [["s,s"], ["s", "s"], ["s, p,s"], ["o", "p,o"]])
@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_a_column_named_twice_is_refused_in_every_format(columns, fmt):
    with pytest.raises(QueryError, match=r"--columns names .* twice"):
        format_result(ROWS, fmt, columns=columns)
    events = [("variables", ROWS.variables)] + [("row", r) for r in ROWS.rows]
    with pytest.raises(QueryError, match=r"--columns names .* twice"):
        write_events(iter(events), fmt, io.StringIO(), columns=columns)


def test_wanted_columns_in_order_and_json_keeps_only_them():
    assert wanted_columns(["o, s", "p"], ["s", "p", "o"]) == ["o", "s", "p"]
    out = io.StringIO()
    write_events(iter([("variables", ROWS.variables)] + [("row", r) for r in ROWS.rows]), "json", out, columns=["o"])
    import json

    answer = json.loads(out.getvalue())
    assert answer["head"]["vars"] == ["o"] and answer["results"]["bindings"] == [{"o": _lit("c")}]


@pytest.mark.parametrize("args", [
    ["query", "attacks", "--columns", "name,name"],
    ["query", "attacks", "--columns", "name", "--columns", "kind,name", "-f", "csv"],
    ["sparql", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "--columns", "s, s", "-f", "json"],
    ["search", "isil", "--columns", "s,s"],
])
def test_the_command_line_refuses_a_column_named_twice_before_opening_the_graph(capsys, tmp_path, args):
    from kg.cli import main

    # --root points at a folder with no graph: the refusal comes before anything is opened or built
    (tmp_path / "ontology").mkdir()
    with pytest.raises(SystemExit) as stopped:  # argparse's way out: kg's main turns it into the exit code
        main(args + ["--root", str(tmp_path)])
    code = stopped.value.code
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and "twice" in err and "Traceback" not in err


def _row_gaps(table: str) -> list[bool]:
    """For each pair of consecutive rows of ``table`` (its cells known to start with "row"): whether a
    blank line separates them."""
    body = table.split("\n")[2:-1]
    starts = [k for k, line in enumerate(body) if line.startswith("row")]
    return [body[k - 1] == "" for k in starts[1:]]


@pytest.mark.parametrize("long_at", [0, 1, 2, 3])
def test_blank_lines_between_rows_follow_one_rule(long_at):
    """A blank line separates every two rows when some row of the table wraps, and none does when no
    row wraps, wherever the wrapped row is (a one-line row after a wrapped one used to stick to it)."""
    cells = [f"row{k} short" for k in range(4)]
    plain = format_table(_result(["name", "n"], [[c, str(k)] for k, c in enumerate(cells)]), width=40)
    assert _row_gaps(plain) == [False, False, False]
    cells[long_at] = f"row{long_at} " + " ".join(["word"] * 20)
    wrapped = format_table(_result(["name", "n"], [[c, str(k)] for k, c in enumerate(cells)]), width=40)
    assert len(wrapped.split("\n")) > len(plain.split("\n")) + 3
    assert _row_gaps(wrapped) == [True, True, True]
