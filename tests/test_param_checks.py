"""Integer parameters of the named questions: declared ranges and order, refused bad values.

Every integer parameter of every question in ``queries/`` is tried through the command line with
values it cannot take; each must be an input error: exit 2, one line on standard error saying the
range (or the order) and what to give, no traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.query import ParamError, QueryError, check_values, get_query, load_queries, parse_query_file

ROOT = Path(__file__).resolve().parent.parent
QUERIES = load_queries()
INTEGERS = [(q.name, p) for q in QUERIES.values() for p in q.params if p.type == "integer"]
ORDERED = [(q.name, p) for q in QUERIES.values() for p in q.params if p.at_least]


def _kg_query(name: str, *params: str) -> subprocess.CompletedProcess:
    args = [a for p in params for a in ("-p", p)]
    return subprocess.run([sys.executable, "-m", "kg", "query", name, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def _bad_values(p) -> list[str]:
    values = ["-1", str(p.minimum - 1), str(p.maximum + 1), "99999999999999999999", "9" * 5000,
              "abc", "", " ", "2.5", "1e3", "12abc", "٣", "--1"]
    if p.minimum > 0:
        values.append("0")
    return list(dict.fromkeys(values))


def test_the_library_has_integer_parameters_and_each_declares_its_range():
    assert {name for name, _ in INTEGERS} >= {"timeline", "attacks", "legal-acts", "group-neighbourhood",
                                               "corroborated-statements", "agency-activities"}
    undeclared = [f"{name}: {p.name}" for name, p in INTEGERS if p.minimum is None]
    assert undeclared == [], "declare 'range MIN..MAX' on these parameter lines (CONTRIBUTING.md)"
    assert {(name, p.name, p.at_least) for name, p in ORDERED} == {
        ("timeline", "to", "from"), ("attacks", "to", "from"), ("legal-acts", "to", "from"),
        ("corroborated-statements", "max", "min")}
    assert get_query("group-neighbourhood").param("steps").maximum == 4


@pytest.mark.parametrize("name,param", INTEGERS, ids=[f"{n}-{p.name}" for n, p in INTEGERS])
def test_bad_values_of_every_integer_parameter_are_input_errors(name, param):
    for value in _bad_values(param):
        proc = _kg_query(name, f"{param.name}={value}")
        where = f"kg query {name} -p {param.name}={value[:30]!r}"
        assert proc.returncode == 2, f"{where}: exit {proc.returncode}\n{proc.stderr[-300:]}"
        assert "Traceback" not in proc.stderr and proc.stdout == "", where
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, f"{where}: {proc.stderr}"
        assert lines[0].startswith(f"kg: error: --param {param.name}="), where
        # the line says the values the parameter takes
        assert f"from {param.minimum} to {param.maximum}" in lines[0], where


@pytest.mark.parametrize("name,param", ORDERED, ids=[f"{n}-{p.name}" for n, p in ORDERED])
def test_reversed_ranges_are_input_errors_that_say_which_comes_after(name, param):
    first = param.minimum + 10 if param.maximum - param.minimum > 10 else param.minimum + 1
    proc = _kg_query(name, f"{param.at_least}={first}", f"{param.name}={first - 1}")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stdout == ""
    assert proc.stderr.strip() == (
        f"kg: error: --param {param.at_least}={first} comes after --param {param.name}={first - 1} in {name}: "
        f"give them in order, for example -p {param.at_least}={first - 1} -p {param.name}={first}")


def test_a_default_can_be_the_value_that_comes_after():
    proc = _kg_query("timeline", "to=1980")  # from defaults to 1990
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("kg: error: --param from=1990 (the default) comes after --param to=1980 in timeline")


def test_values_in_range_and_in_order_pass():
    q = get_query("timeline")
    assert check_values(q, {"from": "1", "to": "9999"}) == {"from": 1, "to": 9999}
    assert check_values(q, {"from": " 2015 ", "to": "2015"}) == {"from": 2015, "to": 2015}  # one year
    assert check_values(get_query("group-neighbourhood"), {"steps": "4"}) == {"steps": 4}
    with pytest.raises(ParamError, match=r"--param steps=5 is out of range for group-neighbourhood: steps is a whole "
                                         r"number from 1 to 4; give one in that range \(default 2\)"):
        check_values(get_query("group-neighbourhood"), {"steps": "5"})


def test_a_range_at_the_edge_answers(engine):
    from kg.query import run_named

    rows = run_named(engine, get_query("timeline"), {"from": "2016", "to": "2016"}).rows
    # every row overlaps 2016 (periods such as 2011-2016 included), and the Aktobe attacks of June 2016 are one
    assert rows and all(r["sortKey"]["value"][:4] <= "2016" for r in rows)
    assert any("Aktobe" in r["name"]["value"] and "2016" in r["date"]["value"] for r in rows)


HEADER = "#+ summary: A question?\n#+ params:\n"
BODY = "SELECT ?x WHERE {\n  VALUES (?a ?b) { (1 2) }  #+ bind\n  BIND(?a + ?b AS ?x)\n}\n"


@pytest.mark.parametrize("lines,message", [
    ("#+   - a: integer; first; default 0; range 1..9\n#+   - b: integer; second; default 2\n",
     "default 0 is not in its range 1..9"),
    ("#+   - a: integer; first; default 1; range 9..1\n#+   - b: integer; second; default 2\n",
     "the range of a is empty"),
    ("#+   - a: integer; first; default 1; range 1-9\n#+   - b: integer; second; default 2\n",
     "write 'range MIN..MAX'"),
    ("#+   - a: string; first; default 1; range 1..9\n#+   - b: integer; second; default 2\n",
     "is for integer parameters; a is string"),
    ("#+   - a: integer; first; default 1\n#+   - b: integer; second; default 2; at least c\n",
     "'at least c' names no other integer parameter"),
])
def test_malformed_value_rules_are_refused_with_the_file(tmp_path, lines, message):
    path = tmp_path / "q.rq"
    path.write_text(HEADER + lines + BODY, encoding="utf-8")
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)")) as exc:
        parse_query_file(path)
    assert str(path) in str(exc.value)
