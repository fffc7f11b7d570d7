"""Tables that fit the terminal: the ``table`` format of :func:`kg.query.format_result`.

A result wider than the terminal is made to fit in two steps: first the columns a reader needs
least (offsets, hashes, span IRIs, repeated parameter columns) are left out, and the note under the
table says which, and how to bring them back (``--columns``); then the widest columns are wrapped
over several lines, never cut. ``csv``, ``tsv`` and ``json`` keep every value whole.

Statistics and findings, which a query may return as bare IRIs, are shown by their values
(``150 people, 2015-04, Syria``; a finding by its description) when an engine is given.
"""

from __future__ import annotations

import os
import re

from kg.iris import BASE, shorten

__all__ = ["format_table", "select_columns", "wanted_columns", "terminal_width", "describe_iris", "LOW_PRIORITY"]

#: Columns left out first when a table is too wide, most dispensable first (matched on the column name).
LOW_PRIORITY = (r"^sha256$", r"^(start|end)$", r"^ev[A-Z]?$|^evidence$", r"(?<!^)Id$|^id$", r"^iri$", r"^sources?$")
STAT_PREFIX, FINDING_PREFIX = BASE + "id/stat/", BASE + "id/finding/"
GAP = "  "
# control characters other than white space: shown as U+FFFD, so that a value cannot move the cursor,
# clear the screen or recolour the terminal (white space is folded to one space)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def terminal_width(default: int = 120) -> int:
    """Columns of the terminal (``$COLUMNS`` first), else ``default``."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 20:
        return int(env)
    import shutil  # imported by argparse already

    return shutil.get_terminal_size((default, 24)).columns


def _wrap(cell: str, width: int) -> list[str]:
    """The lines of ``cell`` wrapped to ``width`` columns (``textwrap.wrap``, long words broken, never at
    hyphens); ``[""]`` for an empty cell. A cell that fits as it is (printable, no white space at its
    ends: what textwrap would leave alone) is not given to textwrap, which a cold start then does not
    import (its word-splitting expression is slow to compile)."""
    if len(cell) <= width and cell.isprintable() and cell == cell.strip():
        return [cell] if cell else [""]
    import textwrap

    return textwrap.wrap(cell, width, break_long_words=True, break_on_hyphens=False) or [""]


def select_columns(result, columns: list[str] | None):
    """The result with only the named columns, in the order given; an unknown name, or none, is a :class:`QueryError`."""
    from kg.store import QueryError, Result

    if not columns:
        return result
    wanted = wanted_columns(columns, result.variables)
    return Result(wanted, [{k: v for k, v in r.items() if k in wanted} for r in result.rows], result.boolean)


def wanted_columns(columns: list[str], variables: list[str]) -> list[str]:
    """The column names ``--columns`` gives (each item may hold several, separated by commas), in order.

    ``variables`` are the result's columns. Raises :class:`~kg.store.QueryError` when the items name
    no column at all (``--columns ,``) or a column the result does not have.
    """
    from kg.store import QueryError

    wanted = [c.strip() for part in columns for c in part.split(",") if c.strip()]
    if not wanted:
        raise QueryError(f"--columns names no column: give names separated by commas (its columns: "
                         f"{', '.join(variables)})")
    unknown = [c for c in wanted if c not in variables]
    if unknown:
        raise QueryError(f"--columns: no column {', '.join(unknown)} in this result (its columns: {', '.join(variables)})")
    return wanted


def describe_iris(engine, iris: set[str]) -> dict[str, str]:
    """Readable values of statistics and findings: ``{iri: "150 people, 2015-04, Syria"}``."""
    if not iris or engine is None:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris) if re.match(r"^[^\s<>\"{}|\\^`]+$", i))
    text = f"""PREFIX kg: <https://w3id.org/kzkg/ontology#> PREFIX schema: <https://schema.org/>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?x ?p ?v WHERE {{ VALUES ?x {{ {values} }}
      {{ ?x ?p ?o . VALUES ?p {{ kg:comparator kg:value kg:minValue kg:maxValue kg:unit kg:period kg:category schema:description }}
         BIND(STR(?o) AS ?v) }}
      UNION {{ ?x ?p ?o . VALUES ?p {{ kg:refArea kg:quantity }} ?o skos:prefLabel ?l BIND(STR(?l) AS ?v) }} }}"""
    parts: dict[str, dict[str, list[str]]] = {}
    for row in engine.query(text).rows:
        slot = parts.setdefault(row["x"]["value"], {}).setdefault(row["p"]["value"].rsplit("#", 1)[-1].rsplit("/", 1)[-1], [])
        if row["v"]["value"] not in slot:
            slot.append(row["v"]["value"])
    out = {}
    for iri, p in parts.items():
        if "description" in p:
            out[iri] = "; ".join(p["description"])
            continue
        value = "/".join(p.get("value", []))
        if not value and ("minValue" in p or "maxValue" in p):
            value = f"{'/'.join(p.get('minValue', ['?']))}–{'/'.join(p.get('maxValue', ['?']))}"
        head = " ".join(x for x in ["/".join(p.get("comparator", [])), value, "/".join(p.get("unit", []))] if x)
        rest = [", ".join(p.get(k, [])) for k in ("quantity", "period", "refArea", "category") if p.get(k)]
        out[iri] = ", ".join([head] + rest) if head else ", ".join(rest)
    return out


def _cell(term: dict | None, described: dict[str, str]) -> str:
    if term is None:
        return ""
    value = term["value"]
    if value in described:
        return described[value]
    if term["type"] == "uri":
        return _CONTROL.sub("\ufffd", shorten(value))
    return " ".join(_CONTROL.sub("\ufffd", value).split())


def _choose(variables, natural, width) -> tuple[list[int], list[str]]:
    """Indexes of the columns to keep, and the names of those left out."""
    keep = list(range(len(variables)))
    dropped = []

    def total(cols):
        return sum(min(natural[i], 12) for i in cols) + len(GAP) * (len(cols) - 1)

    if sum(natural[i] for i in keep) + len(GAP) * (len(keep) - 1) <= width:
        return keep, dropped
    for pattern in LOW_PRIORITY:
        for i in list(keep):
            if len(keep) > 1 and re.search(pattern, variables[i]) and (
                    sum(natural[j] for j in keep) + len(GAP) * (len(keep) - 1) > width):
                keep.remove(i)
                dropped.append(variables[i])
    # still too wide even wrapped at 12 characters a column: leave out the rightmost
    while len(keep) > 1 and total(keep) > width:
        dropped.append(variables[keep.pop()])
    return keep, dropped


def _widths(natural: list[int], width: int) -> list[int]:
    """Column widths that fit ``width``: narrow columns keep their width, the widest share what is left."""
    widths = [max(1, n) for n in natural]
    room = width - len(GAP) * (len(widths) - 1)
    while sum(widths) > room:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        widths[widest] -= 1
        if widths[widest] < 6:
            break
    return widths


def format_table(result, *, width: int | None = None, columns: list[str] | None = None, engine=None) -> str:
    """An aligned text table of a SELECT result that fits ``width`` columns (default: the terminal's).

    ``columns`` keeps only those columns (then none is left out automatically). With an ``engine``,
    statistics and findings are shown by their values. Raises :class:`kg.store.QueryError` for an
    unknown column name.
    """
    result = select_columns(result, columns)
    width = width or terminal_width()
    iris = {t["value"] for r in result.rows for t in r.values()
            if t["value"].startswith((STAT_PREFIX, FINDING_PREFIX)) and " " not in t["value"]}
    described = describe_iris(engine, iris)
    variables = result.variables
    rows = [[_cell(r.get(v), described) for v in variables] for r in result.rows]
    natural = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(variables)]
    if columns:
        keep, dropped = list(range(len(variables))), []
    else:
        keep, dropped = _choose(variables, natural, width)
    widths = _widths([natural[i] for i in keep], width)
    wrapped = False
    lines = []

    def emit(cells):
        nonlocal wrapped
        parts = [_wrap(c, w) for c, w in zip(cells, widths)]
        height = max(len(p) for p in parts)
        wrapped = wrapped or height > 1
        for k in range(height):
            lines.append(GAP.join((p[k] if k < len(p) else "").ljust(w) for p, w in zip(parts, widths)).rstrip())

    emit([variables[i] for i in keep])
    lines.append(GAP.join("-" * w for w in widths))
    body_start = len(lines)
    for r in rows:
        before = len(lines)
        emit([r[i] for i in keep])
        if len(lines) - before > 1 and body_start != before:
            lines.insert(before, "")
    from kg.query import page_note

    note = page_note(result)[:-1]
    if dropped:
        note += f"; left out to fit {width} columns: {', '.join(dropped)} (--columns to choose, -f csv for all)"
    lines.append(note + ")")
    return "\n".join(lines)
