"""Values legal in one syntax and illegal or lossy in another, refused at load or shown escaped.

The kind: Turtle accepts ``"a\\u0000b"`` (or a raw NUL, ``\\u001b[2J``, a lone ``\\uD800``) in any
string or IRI, and the build wrote them into TriG, N-Quads, JSON-LD, the store and the pages, where
they are raw control characters (which XML and HTML forbid and a terminal obeys) or ``?`` (a
surrogate no UTF-8 file can hold). :mod:`kg.literals` refuses every such character
(:data:`kg.literals.UNSAFE`) in every string and IRI of every file, one line naming file and line,
exit 1, nothing written; what every syntax carries (tab, new line, a character outside the BMP) is
kept and round-trips through the exports.
"""

from __future__ import annotations

import json

import pytest

from kg.cli import main

from test_build import PREFIXES, project  # noqa: F401  (the tiny-project fixture)

SPAN, SHA = "d003-2315-2428", "a205fce6e44a1c0f6175706a3df7173f8323cf9051c4993333cf03238cde00f0"
LINE = PREFIXES.count("\n") + 1  # the line of the claim in the file written below


def _claims(project, body: str) -> None:
    text = PREFIXES + f"ev:{SPAN} {{ {body} }}\nev:{SPAN} kg:sha256 \"{SHA}\" .\n"
    (project / "graph" / "claims" / "t.trig").write_text(text, encoding="utf-8", errors="surrogatepass")


BAD = [  # (the claim, the characters the error names)
    ('group:tj kg:legalStatus "a\\u0000b" .', "U+0000"),
    ('group:tj kg:legalStatus "a\x00b" .', "U+0000"),  # raw, not escaped
    ('group:tj kg:legalStatus "red \\u001b[31m text" .', "U+001B"),
    ('group:tj kg:legalStatus "bell\\u0007" .', "U+0007"),
    ('group:tj kg:legalStatus "del\\u007f" .', "U+007F"),
    ('group:tj kg:legalStatus "csi\\u009b2J" .', "U+009B"),
    ('group:tj kg:legalStatus "\\U0000000C form feed" .', "U+000C"),
    ('group:tj kg:legalStatus "lone \\uD800" .', "U+D800"),
    ('group:tj kg:legalStatus "pair \\uD83D\\uDE00" .', "U+D83D, U+DE00"),
    ('group:tj kg:legalStatus "non \\uFFFE" .', "U+FFFE"),
    ('group:tj kg:legalStatus """long\n\\u0001 text""" .', "U+0001"),
    ("group:tj kg:legalStatus 'single \\u0002' .", "U+0002"),
    ('group:tj kg:legalStatus "tagged \\u0003"@en .', "U+0003"),
    ('group:tj kg:legalStatus "typed \\u0004"^^xsd:string .', "U+0004"),
    ('group:tj skos:altLabel "name \\uDC00"@en .', "U+DC00"),
    ('group:tj kg:inspiredBy <https://w3id.org/kzkg/id/group/x\\u007fy> .', "U+007F"),
    ('group:tj kg:inspiredBy <https://w3id.org/kzkg/id/group/x\\uD800y> .', "U+D800"),
]
# IRIs that Turtle reads (escaped, or raw where rdflib lets them pass) and N-Quads and Turtle writers
# refuse: the build crashed with a traceback while serializing them
BAD_IRIS = ["x\\u0005y", "x\\u0020y", "x\\u003Cy", "x\\u007By", "x|y", "x^y", "x\\u0022y", "x\\u005Cy", "x\\u0060y", "x\\u0085y"]


@pytest.mark.parametrize("body,codes", BAD, ids=[f"{i}-{codes}" for i, (_, codes) in enumerate(BAD)])
def test_build_refuses_a_value_other_outputs_cannot_carry(project, capsys, body, codes):
    _claims(project, body)
    assert main(["build", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "t.trig" in line]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"{project / 'graph' / 'claims' / 't.trig'}:{LINE}: the "), lines[0]
    assert f"holds {codes} (" in lines[0] and ("remove" in lines[0] or "\\U escape" in lines[0]), lines[0]
    assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in err.replace("\n", "")), repr(err)
    assert "nothing was written" in err and not (project / "build").exists()


@pytest.mark.parametrize("iri", BAD_IRIS)
def test_build_refuses_an_iri_no_writer_can_write_in_one_line(project, capsys, iri):
    _claims(project, f"group:tj kg:inspiredBy <https://w3id.org/kzkg/id/group/{iri}> .")
    assert main(["build", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Exception" not in err, err
    lines = [line for line in err.splitlines() if "t.trig" in line]
    assert len(lines) == 1 and lines[0].startswith(f"{project / 'graph' / 'claims' / 't.trig'}:{LINE}: <"), err
    assert "is not a valid IRI" in lines[0] and not any(ord(c) < 32 for c in lines[0]), lines[0]
    assert not (project / "build").exists()


def test_a_surrogate_pair_error_gives_the_escape_to_write(project, capsys):
    _claims(project, 'group:tj kg:legalStatus "pair \\uD83D\\uDE00" .')
    assert main(["build", "--root", str(project)]) == 1
    assert "(here \\U0001F600)" in capsys.readouterr().err


def test_what_every_syntax_carries_is_kept_and_round_trips(project, capsys):
    """Tab, new line, carriage return and a character outside the BMP, escaped or raw, pass and reach
    every export unchanged."""
    import pyoxigraph

    value = "tab\tline\nreturn\r😀 \U0001F600 end"
    _claims(project, 'group:tj kg:legalStatus "tab\\tline\\nreturn\\r😀 \\U0001F600 end" .')
    assert main(["build", "--root", str(project)]) == 0, capsys.readouterr().err
    build = project / "build"
    for name, fmt in (("kg.nq", pyoxigraph.RdfFormat.N_QUADS), ("kg.trig", pyoxigraph.RdfFormat.TRIG)):
        values = {q.object.value for q in pyoxigraph.parse(path=str(build / name), format=fmt)
                  if q.predicate.value.endswith("#legalStatus") and isinstance(q.object, pyoxigraph.Literal)}
        assert values == {value}, (name, values)
    whole = json.dumps(json.loads((build / "kg.jsonld").read_text(encoding="utf-8")), ensure_ascii=False)
    assert json.dumps({"@value": value}, ensure_ascii=False) in whole


# -- what kg query prints: a terminal is never driven by a value -------------------------------------

HOSTILE = "a\x1b[2Jb\x9b31mc\u202ed\x00e\x7ff\u2066g"


def _result():
    from kg.store import Result

    return Result(["x", "y"], [{"x": {"type": "literal", "value": HOSTILE}, "y": {"type": "literal", "value": "t\tn\nr"}}])


def test_a_table_shows_control_and_bidi_characters_escaped():
    from kg.query import format_result

    table = format_result(_result(), "table", width=200)
    assert "a\\x1b[2Jb\\x9b31mc\\u202ed\\x00e\\x7ff\\u2066g" in table, table
    assert not any(ord(c) < 32 and c != "\n" or 0x7f <= ord(c) <= 0x9f or 0x202a <= ord(c) <= 0x202e
                   or 0x2066 <= ord(c) <= 0x2069 for c in table), repr(table)


@pytest.mark.parametrize("streamed", [True, False])
def test_json_escapes_them_and_reads_back_the_same_value(streamed):
    import io

    from kg.output import write_events
    from kg.query import format_result

    if streamed:
        out = io.StringIO()
        write_events(iter([("vars", ["x", "y"])] + [("row", r) for r in _result().rows]), "json", out)
        text = out.getvalue()
    else:
        text = format_result(_result(), "json")
    assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text and "\x7f" not in text, repr(text)
    assert json.loads(text)["results"]["bindings"][0]["x"]["value"] == HOSTILE


class _Terminal(__import__("io").StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_keep_values_in_a_file_and_escape_them_on_a_terminal(fmt):
    import csv
    import io

    from kg.output import write_events

    def events():
        return iter([("vars", ["x", "y"])] + [("row", r) for r in _result().rows])

    kept = io.StringIO()
    write_events(events(), fmt, kept)
    rows = list(csv.reader(io.StringIO(kept.getvalue()), delimiter="," if fmt == "csv" else "\t"))
    assert rows[1] == [HOSTILE, "t\tn\nr"]
    shown = _Terminal()
    write_events(events(), fmt, shown)
    text = shown.getvalue()
    assert "\x1b" not in text and "\u202e" not in text and "a\\x1b[2Jb" in text and "t\\tn\\nr" in text, repr(text)


def test_everything_a_command_prints_to_a_terminal_is_escaped(project, monkeypatch, capsys):
    """kg show, kg passage and the reports print text of the graph or the corpus themselves: standard
    output, when it is a terminal, escapes what a terminal would obey (kg.output.TerminalText). A
    bidirectional override is legal in every syntax (kept in the graph), not on a screen."""
    import sys

    _claims(project, 'group:tj kg:legalStatus "ban\\u202ened" ; skos:altLabel "T\\u202eJ"@en .')
    assert main(["build", "--root", str(project)]) == 0, capsys.readouterr().err
    screen = _Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    assert main(["show", "Tablighi Jamaat", "--root", str(project)]) == 0
    assert sys.stdout is screen  # given back once the command ends
    shown = screen.getvalue()
    assert "Also called: T\\u202eJ" in shown and "ban\\u202ened" in shown and "\u202e" not in shown, shown
    print("\x1b[31mred\u202e", file=screen)
    assert screen.getvalue().endswith("\x1b[31mred\u202e\n")  # (only a command's own output is escaped)


def test_an_error_echoes_a_bidirectional_override_escaped():
    from kg.cli import printable

    assert printable("Al\u202ematy \u2066x\u2069 \u200f \ud800") == "Al\\u202ematy \\u2066x\\u2069 \\u200f \\ud800"


# -- numbers Turtle reads that a SPARQL store cannot compute with -------------------------------------

@pytest.mark.parametrize("number,fault", [
    ("99999999999999999999", "beyond the integers"), ("-9223372036854775809", "beyond the integers"),
    ('"9223372036854775808"^^xsd:integer', "beyond the integers"),
    ('"99999999999999999999"^^xsd:nonNegativeInteger', "beyond the integers"),
    ("0.1000000000000000000000000001", "more than 18 decimal places"),
    ("170141183460469231732.5", "more than 18 decimal places, or is over"),
    ('"1.0000000000000000001"^^xsd:decimal', "more than 18 decimal places"),
    ("1.0e400", "too large or too small"), ("1e-400", "too large or too small"),
    ('"1e999"^^xsd:double', "too large or too small"),
])
def test_a_number_the_store_would_skip_is_refused_with_its_line(number, fault):
    from kg.literals import check_text

    text = f"ev:d003-1-2 {{\n  group:tj kg:killed 3 ;\n    kg:wounded {number} .\n}}\n"
    problems = check_text(text, "x.trig")
    assert len(problems) == 1 and problems[0].startswith("x.trig:3: ") and fault in problems[0], problems


def test_numbers_the_store_computes_with_pass():
    from kg.literals import check_text

    text = ("ev:d003-1-2 { stat:a kg:value 9223372036854775807 , -9223372036854775807 , 0.123456789012345678 ,"
            " 170141183460469231731.5 , 1.5E300 , 0.0e0 , 12. } # 99999999999999999999 in a comment\n"
            "note:d000-12 kg:n <http://x/99999999999999999999> ; kg:t \"99999999999999999999 in text\" .\n")
    assert check_text(text, "x.trig") == []


def test_build_refuses_a_bare_integer_beyond_64_bits(project, capsys):
    _claims(project, "group:tj kg:legalStatus \"banned\" . event:x a kg:Attack ; kg:killed 99999999999999999999 .")
    assert main(["build", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert f"t.trig:{LINE}: 99999999999999999999: 99999999999999999999 is beyond the integers" in err, err
