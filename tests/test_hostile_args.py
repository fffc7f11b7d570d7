"""Blank arguments (kg.cli.Parser): an empty value is refused as an empty option value is, before any
work. ``kg add-source ''`` took ``''`` for the folder ``.`` ("'.' is a folder, not a file")."""

from __future__ import annotations

import pytest

from kg.cli import main


@pytest.mark.parametrize("argv,name", [
    (["add-source", ""], "FILE"),
    (["query", ""], "NAME"),
    (["show", "  "], "NAME"),
    (["passage", ""], "EVIDENCE"),
    (["locate", "", "ISIL"], "DOC"),
    (["ingest", "\t"], "DOC"),
])
def test_a_blank_argument_is_refused_in_one_line(capsys, argv, name):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert err == f"kg: error: {name} is empty: give a value; kg {argv[0]} --help shows how to call it\n"


def test_arguments_that_are_not_blank_still_pass(capsys):
    assert main(["query", "no-such-question"]) == 2
    assert "no named query 'no-such-question'" in capsys.readouterr().err
