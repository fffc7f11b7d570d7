"""kg show, kg passage, tables that fit the terminal, open_engine on a path string, DataFrames, the README snippets."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from kg.cli import main
from kg.query import format_result, get_query, run_named
from kg.store import QueryError, Result, open_engine
from kg.tables import format_table

ROOT = Path(__file__).resolve().parent.parent


def _uri(v):
    return {"type": "uri", "value": v}


def _lit(v, datatype=None):
    return {"type": "literal", "value": v, **({"datatype": datatype} if datatype else {})}


WIDE = Result(["name", "description", "docId", "start", "end", "sha256"], [
    {"name": _lit("Islamic State"), "description": _lit("word " * 60), "docId": _lit("003"),
     "start": _lit("1997"), "end": _lit("2074"), "sha256": _lit("30c7dac50ea1cb2b3d7545ba89cb7e8f04ac37ae3995e5c12dcd042b8c659de3")},
    {"name": _lit("KNB"), "description": _lit("short"), "docId": _lit("001"), "start": _lit("1"), "end": _lit("2"),
     "sha256": _lit("ab" * 32)},
])


@pytest.mark.parametrize("width", [60, 80, 120])
def test_table_fits_the_width_without_cutting_values(width):
    table = format_table(WIDE, width=width)
    lines = table.splitlines()
    assert all(len(line) <= width for line in lines[:-1]), [len(line) for line in lines]
    assert "…" not in table
    # every word of the long description is still there, wrapped
    assert table.count("word") == 60
    assert "left out to fit" in lines[-1] and "sha256" in lines[-1]


def test_columns_choose_and_order_columns_and_unknown_is_refused():
    table = format_table(WIDE, width=200, columns=["sha256,name"])
    assert table.splitlines()[0].split() == ["sha256", "name"]
    assert "ab" * 32 in table
    with pytest.raises(QueryError, match="no column nope"):
        format_table(WIDE, columns=["nope"])


def test_csv_keeps_full_values():
    assert "word " * 59 + "word" in format_result(WIDE, "csv")


def test_statistics_are_shown_by_their_values(engine):
    result = engine.query("""PREFIX kg: <https://w3id.org/kzkg/ontology#>
        SELECT ?stat WHERE { VALUES ?stat { <https://w3id.org/kzkg/id/stat/d001-foreigners-deported-2023> } }""")
    value = engine.query("""PREFIX kg: <https://w3id.org/kzkg/ontology#>
        SELECT ?v WHERE { <https://w3id.org/kzkg/id/stat/d001-foreigners-deported-2023> kg:value ?v }""").rows[0]["v"]["value"]
    table = format_table(result, width=200, engine=engine)
    assert table.splitlines()[2].startswith(f"{value} ")
    assert "stat:" not in table


def test_every_named_question_fits_120_columns(engine):
    for name, q in {n: get_query(n) for n in ("attacks", "groups", "estimates", "disagreements", "legal-acts")}.items():
        given = {"quantity": "quantity:kazakhstanis-in-syria-and-iraq"} if name == "estimates" else {}
        table = format_result(run_named(engine, q, given), "table", width=120, engine=engine)
        assert max(len(line) for line in table.splitlines()[:-1]) <= 120, name


def test_kg_passage_prints_the_span(capsys, corpus_folder):
    from kg import corpus

    assert main(["passage", "ev:d003-1997-2074"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == corpus.span_text(corpus_folder, "003", 1997, 2074)
    assert "sha256 " + corpus.sha256_text(out[1]) in out[0]


@pytest.mark.parametrize("bad", ["foo", "ev:d003-20-10", "d3-1-2"])
def test_kg_passage_refuses_what_is_not_a_span(capsys, bad):
    assert main(["passage", bad]) == 2
    err = capsys.readouterr().err
    assert "not an evidence span" in err and "Traceback" not in err


def test_kg_show_prints_card_statements_and_passages(capsys, corpus_folder, built):
    from kg import corpus

    assert main(["show", "Barack Obama", "--width", "100"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Barack Obama  (person)  person:barack-obama")
    assert "leader of: Government of the United States [1]" in out
    assert re.search(r"role\s+President", out), "the position node is folded into one line"
    passage = " ".join(corpus.span_text(corpus_folder, "003", 352, 571).split())
    assert "[[" + passage + "]]" in " ".join(out.split())
    assert all(len(line) <= 100 for line in out.splitlines())


def test_kg_show_by_words_lists_candidates_when_several(capsys, built):
    # one word takes what kg.search ranks first, as -p entity= does: the group, ahead of the events named after it
    assert main(["show", "tablighi"]) == 0
    assert capsys.readouterr().out.startswith("Tablighi Jamaat  (non-violent religious movement)  group:tablighi-jamaat")
    # words that two entities answer to alike: both listed, none chosen
    assert main(["show", "tablighi kazakhstan"]) == 2
    err = capsys.readouterr().err
    assert "matches 2 entities" in err
    assert "event:tablighi-jamaat-ban" in err and "event:tablighi-jamaat-arrests-2015" in err


def test_open_engine_takes_a_path_as_a_string(built, tmp_path, monkeypatch):
    nq = tmp_path / "build" / "kg.nq"
    nq.parent.mkdir()
    shutil.copy(next(p for p in built.outputs if str(p).endswith(".nq")), nq)
    monkeypatch.chdir(tmp_path)
    engine = open_engine("build/kg.nq")
    assert engine.query("ASK { ?s ?p ?o }").boolean is True
    with pytest.raises(QueryError, match="no such file"):
        open_engine("build/missing.nq")
    line = '<http://a> <http://b> "c" .'
    assert len(open_engine(line).query("SELECT * WHERE { ?s ?p ?o }").rows) == 1


def test_to_dataframe_types_values():
    pd = pytest.importorskip("pandas")
    result = Result(["x", "n", "f", "missing"], [
        {"x": _uri("https://w3id.org/kzkg/id/group/x"), "n": _lit("7", "http://www.w3.org/2001/XMLSchema#integer"),
         "f": _lit("2.5", "http://www.w3.org/2001/XMLSchema#decimal")}])
    df = result.to_dataframe()
    assert isinstance(df, pd.DataFrame) and list(df.columns) == ["x", "n", "f", "missing"]
    assert df.iloc[0]["n"] == 7 and df.iloc[0]["f"] == 2.5 and df.iloc[0]["missing"] is None
    assert df.iloc[0]["x"] == "https://w3id.org/kzkg/id/group/x"


def _readme_snippets():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [s for s in re.findall(r"```python\n(.*?)```", text, re.S) if "open_engine" in s]


def test_readme_python_snippets_run(built, tmp_path, monkeypatch):
    snippets = _readme_snippets()
    assert len(snippets) >= 2
    nq = next(p for p in built.outputs if str(p).endswith(".nq"))
    (tmp_path / "build").mkdir()
    shutil.copy(nq, tmp_path / "build" / "kg.nq")
    monkeypatch.chdir(tmp_path)
    for snippet in snippets:
        if "to_dataframe" in snippet:
            pytest.importorskip("pandas")
        exec(compile(snippet, "README.md", "exec"), {})
    assert (tmp_path / "isil.gexf").is_file() and (tmp_path / "isil.html").is_file()


from hypothesis import assume, given, settings, strategies as st


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
       st.integers(min_value=1, max_value=50))
def test_a_cell_wraps_as_textwrap_wraps_it(cell, width):
    """The fast path of kg.tables._wrap (a cell that fits is kept as it is, without importing textwrap)
    gives the lines textwrap gives, for any text and width in which every word fits (a wider word is
    broken at its hyphens first: tests/test_tables.py)."""
    import re
    import textwrap

    from kg.tables import _wrap

    assume(all(len(w) <= width for w in re.findall(r"[^\t\n\x0b\x0c\r ]+", cell.expandtabs())))
    assert _wrap(cell, width) == (textwrap.wrap(cell, width, break_long_words=True, break_on_hyphens=False) or [""])
