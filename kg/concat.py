"""The items of a named question's ``GROUP_CONCAT`` cells in one order, on every store and every run.

SPARQL 1.1 leaves the order of the values ``GROUP_CONCAT`` joins unspecified (section 18.5.1.7),
and Oxigraph's ``GROUP_CONCAT(DISTINCT ...)`` follows a hash set: the same ``kg query groups`` on
the same store printed "banned | banned by ..." in one run and the reverse in the next, and
Virtuoso orders them differently again. A reader comparing two runs, or two stores, saw changes
that were not there.

So the text a named question runs joins those items with the unit separator (U+001F, which no
label holds) instead of its own separator (:func:`unit_separated`), and its rows come back with
the items sorted (case-insensitively, then by code point) and joined with the question's separator
(:func:`ordered_row`). Only a ``GROUP_CONCAT`` whose variable the text uses nowhere else is
rewritten: one that a sort, filter or outer query reads keeps its text and its meaning. The
``.rq`` file is unchanged and runs anywhere as written.
"""

from __future__ import annotations

__all__ = ["UNIT", "concat_separators", "unit_separated", "ordered_text", "ordered_row"]

import re

#: What the rewritten text joins items with (the ASCII unit separator)
UNIT = "\x1f"

_CONCAT = re.compile(
    r"""GROUP_CONCAT\s*\(\s*(?:DISTINCT\s+)?[^;()]*(?:\([^()]*\)[^;()]*)*;\s*separator\s*=\s*"""
    r"""(?P<sep>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')\s*\)\s*AS\s+[?$](?P<var>\w+)""",
    re.I,
)
_ECHAR = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(literal: str) -> str:
    """The value of a SPARQL short string literal (quotes included in ``literal``)."""
    body = literal[1:-1]
    body = re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})", lambda m: chr(int(m.group(1) or m.group(2), 16)), body)
    return re.sub(r"\\(.)", lambda m: _ECHAR.get(m.group(1), m.group(0)), body)


def _rewritable(text: str):
    """The ``GROUP_CONCAT`` matches of ``text`` whose result variable occurs nowhere else in it."""
    for m in _CONCAT.finditer(text):
        var = m.group("var")
        if len(re.findall(rf"[?$]{var}\b", text)) == 1:
            yield m


def concat_separators(text: str) -> dict[str, str]:
    """``{variable: separator}`` of the ``GROUP_CONCAT`` cells of a query text that :func:`unit_separated` rewrites."""
    return {m.group("var"): _unescape(m.group("sep")) for m in _rewritable(text)}


def unit_separated(text: str) -> str:
    """``text`` with the separator of each rewritable ``GROUP_CONCAT`` replaced by :data:`UNIT` (a string)."""
    return ordered_text(text)[0]


def ordered_text(text: str) -> tuple[str, dict[str, str]]:
    """What :func:`unit_separated` and :func:`concat_separators` return for ``text``, from one reading
    of it: the text to run and the ``{variable: separator}`` that :func:`ordered_row` takes."""
    found = list(_rewritable(text))
    separators = {m.group("var"): _unescape(m.group("sep")) for m in found}
    for m in reversed(found):
        start, end = m.span("sep")
        text = text[:start] + '"' + UNIT + '"' + text[end:]
    return text, separators


def _key(item: str) -> tuple[str, str]:
    return item.casefold(), item


def ordered_row(row: dict, separators: dict[str, str]) -> dict:
    """A result row (``{variable: SPARQL JSON term}``) with the items of each cell named in
    ``separators`` sorted and joined with its separator; other cells and other rows are unchanged."""
    out = None
    for var, sep in separators.items():
        term = row.get(var)
        if not term or term.get("type") != "literal" or UNIT not in term.get("value", ""):
            continue
        if out is None:
            out = dict(row)
        out[var] = {**term, "value": sep.join(sorted(term["value"].split(UNIT), key=_key))}
    return row if out is None else out
