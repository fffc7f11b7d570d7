"""Lexical forms of typed literals and control characters in names, with file and line."""

from __future__ import annotations

import shutil

import pytest

from kg.literals import check_lexical, check_text


@pytest.mark.parametrize("text, datatype", [
    ("2016-06-05", "date"), ("2016-06-05Z", "date"), ("2016-02-29", "date"), ("2016", "gYear"), ("-0500", "gYear"),
    ("2016-06", "gYearMonth"), ("2016-06-05T14:30:00", "dateTime"), ("2016-06-05T14:30:00.5+05:00", "dateTime"),
    ("14:30:00", "time"), ("24:00:00", "time"), ("+42", "integer"), ("-7", "integer"), ("0", "nonNegativeInteger"),
    ("4.5", "decimal"), (".5", "decimal"), ("true", "boolean"), ("0", "boolean"), ("anything", "string"),
])
def test_valid_forms_pass(text, datatype):
    assert check_lexical(text, datatype) is None


@pytest.mark.parametrize("text, datatype, message", [
    ("2015-13-01", "date", 'month 13 does not exist: write 01 to 12, for example "2016-06-05"^^xsd:date'),
    ("2015-13", "gYearMonth", 'month 13 does not exist: write 01 to 12, for example "2016-06"^^xsd:gYearMonth'),
    ("2015-00", "gYearMonth", 'month 00 does not exist: write 01 to 12, for example "2016-06"^^xsd:gYearMonth'),
    ("+2015", "gYear", "a year takes no '+' sign: write '2015' (for example \"2016\"^^xsd:gYear)"),
    ("2015-06-05T10:00:00", "date", ('a time inside an xsd:date: keep the date ("2015-06-05"^^xsd:date) and put the '
                                    'time in kg:timeOfDay ("14:30:00"^^xsd:time), or make the value an xsd:dateTime')),
    ("2015-02-29", "date", 'day 29 does not exist in 2015-02 (it has 28 days): for example "2016-06-05"^^xsd:date'),
    ("2015-6-5", "date", "'2015-6-5' is not an xsd:date: write \"2016-06-05\"^^xsd:date"),
    ("15", "gYear", "'15' is not an xsd:gYear: write \"2016\"^^xsd:gYear"),
    ("25:00:00", "time", '25:00:00 is not a time of day: for example "14:30:00"^^xsd:time'),
    ("1,000", "integer", "'1,000' is not an xsd:integer: write \"42\"^^xsd:integer"),
    ("-3", "positiveInteger", "'-3' is not an xsd:positiveInteger: write \"42\"^^xsd:positiveInteger"),
    ("4,5", "decimal", "'4,5' is not an xsd:decimal: write \"4.5\"^^xsd:decimal"),
    ("yes", "boolean", "'yes' is not an xsd:boolean: write \"true\" or \"false\"^^xsd:boolean"),
    (" 2015", "gYear", 'spaces around the value: write "2016"^^xsd:gYear'),
])
def test_invalid_forms_name_the_fault_and_the_fix(text, datatype, message):
    assert check_lexical(text, datatype) == message


TEXT = '''@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
# a comment with "2015-13-01"^^xsd:date is not data
ev:d000-1-2 {
    event:a kg:date "2015-13-01"^^xsd:date ;
        schema:description """a long text with "+2015"^^xsd:gYear inside""" ;
        kg:period "+2015"^^<http://www.w3.org/2001/XMLSchema#gYear> .
    event:b skos:prefLabel "Bad\\tname"@en , "Other\\nname"@en ; kg:value "12"^^xsd:integer .
}
'''


def test_files_are_checked_with_line_numbers():
    assert check_text(TEXT, "graph/claims/x.trig") == [
        ('graph/claims/x.trig:4: "2015-13-01"^^xsd:date: month 13 does not exist: write 01 to 12, for example '
        '"2016-06-05"^^xsd:date'),
        ("graph/claims/x.trig:6: \"+2015\"^^xsd:gYear: a year takes no '+' sign: write '2015' (for example "
        '"2016"^^xsd:gYear)'),
        ('graph/claims/x.trig:7: skos:prefLabel "Bad\\tname": a control character (U+0009) in a name: write it on '
        "one line, without tabs"),
        ('graph/claims/x.trig:7: skos:prefLabel "Other\\nname": a control character (U+000A) in a name: write it on '
        "one line, without tabs"),
    ]


def test_the_build_refuses_a_bad_date_with_file_and_line(root, tmp_path):
    from kg.build import build

    copy = tmp_path / "project"
    shutil.copytree(root / "ontology", copy / "ontology")
    (copy / "graph").mkdir()
    shutil.copy(root / "graph" / "sources.ttl", copy / "graph" / "sources.ttl")
    bad = copy / "graph" / "bad.ttl"
    bad.write_text(TEXT.split("ev:d000")[0] + '@prefix kg: <https://w3id.org/kzkg/ontology#> .\n'
                   '<https://w3id.org/kzkg/id/event/x> kg:date "2016-06-05T09:00:00"^^xsd:date .\n', encoding="utf-8")
    result = build(copy, write=False, validate=False)
    assert [e for e in result.errors if "bad.ttl" in e] == [
        (f'{bad}:4: "2016-06-05T09:00:00"^^xsd:date: a time inside an xsd:date: keep the date ("2016-06-05"^^xsd:date) '
        'and put the time in kg:timeOfDay ("14:30:00"^^xsd:time), or make the value an xsd:dateTime')]
