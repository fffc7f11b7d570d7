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
import sys

from kg.iris import BASE, shorten

__all__ = ["format_table", "select_columns", "column_names", "wanted_columns", "terminal_width", "describe_iris", "LOW_PRIORITY"]

#: Columns left out first when a table is too wide, most dispensable first (matched on the column name).
LOW_PRIORITY = (r"^sha256$", r"^(start|end)$", r"^ev[A-Z]?$|^evidence$", r"(?<!^)Id$|^id$", r"^iri$", r"^sources?$")
STAT_PREFIX, FINDING_PREFIX = BASE + "id/stat/", BASE + "id/finding/"
GAP = "  "
# white space a cell folds to one space; every other character a terminal obeys or that reorders the line is
# shown as an escape (kg.output.escaped), so that a value cannot move the cursor, clear the screen, recolour
# the terminal or reverse what follows
_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"
# a word as textwrap sees one: what lies between its white space characters (not a no-break space)
_WORD = re.compile(r"[^\t\n\x0b\x0c\r ]+")
# where a word too wide for its column may be broken first: after a hyphen or dash (not at the word's start)
_AFTER_HYPHEN = re.compile(r"(?<=[-\u2010\u2013\u2014])(?=[^-\u2010\u2013\u2014])")
_NUMBER = re.compile(r"[-+]?[0-9][0-9.,]*%?")
#: The narrowest a column is made while room is short, unless its longest word is narrower still.
MIN_WIDTH = 6
#: The widths a table is drawn at, as ``--width`` takes them (kg.cli).
WIDTHS = (20, 10_000)


def terminal_width(default: int = 120) -> int:
    """Columns of the terminal (``$COLUMNS`` first), else ``default``: what
    ``shutil.get_terminal_size((default, 24)).columns`` answers, without importing :mod:`shutil`
    (with the zlib, bz2 and lzma modules it loads, 2-3 ms of a cold ``kg query``), held within the
    range ``--width`` takes (:data:`WIDTHS`: ``COLUMNS=5`` drew every word cut in pieces of 5)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):  # no terminal, or no standard output at all
            columns = 0
    return min(max(columns or default, WIDTHS[0]), WIDTHS[1])


def _wrap(cell: str, width: int) -> list[str]:
    """The lines of ``cell`` wrapped to ``width`` columns; ``[""]`` for an empty cell.

    Words are broken only when one is wider than ``width``: after a hyphen or dash first, then at
    ``width``; a word that fits is never split (``textwrap.wrap`` lays out the words, never at
    hyphens). A cell that fits as it is (printable, no white space at its ends: what textwrap would
    leave alone) is not given to textwrap, which a cold start then does not import (its
    word-splitting expression is slow to compile).
    """
    if len(cell) <= width and cell.isprintable() and cell == cell.strip():
        return [cell] if cell else [""]
    import textwrap

    width = max(1, width)
    # a word too wide for any line is cut into pieces as wide as fit; textwrap then lays them out as
    # words (two pieces of a word never fit one line together, so none is joined to the next by a space)
    cell = _WORD.sub(lambda m: " ".join(_pieces(m.group(), width)) if len(m.group()) > width else m.group(), cell)
    return textwrap.wrap(cell, width, break_long_words=True, break_on_hyphens=False) or [""]


def _pieces(word: str, width: int) -> list[str]:
    """``word`` (wider than ``width``) cut into pieces of at most ``width`` characters: after its
    hyphens and dashes, as many parts a piece as fit; a part wider than ``width`` every ``width``
    characters. Two pieces one after the other are always wider than ``width`` together."""
    pieces, current = [], ""
    for part in _AFTER_HYPHEN.split(word):
        if len(current) + len(part) <= width:
            current += part
            continue
        pieces.append(current)
        while len(part) > width:  # a part with no hyphen to break at: cut where the line ends
            pieces.append(part[:width])
            part = part[width:]
        current = part
    return [p for p in pieces + [current] if p]


def _word_lengths(cells: list[str]) -> dict[int, int]:
    """How many words of ``cells`` have each length: ``{length: count}`` (words as textwrap splits them)."""
    counts: dict[int, int] = {}
    for cell in cells:
        for word in _WORD.findall(cell):
            counts[len(word)] = counts.get(len(word), 0) + 1
    return counts


def select_columns(result, columns: list[str] | None):
    """The result with only the named columns, in the order given; an unknown name, or none, is a :class:`QueryError`."""
    from kg.store import QueryError, Result

    if not columns:
        return result
    wanted = wanted_columns(columns, result.variables)
    return Result(wanted, [{k: v for k, v in r.items() if k in wanted} for r in result.rows], result.boolean)


def column_names(columns: list[str], variables: list[str] | None = None) -> list[str]:
    """The column names the items of ``--columns`` give (each item may hold several, separated by
    commas), in order; ``variables``, when known, are the result's columns, named in the message.
    Raises :class:`~kg.store.QueryError` when they name no column at all (``--columns ,``) or one
    column twice (``--columns s,s``: the table, CSV and JSON would hold it twice)."""
    from kg.store import QueryError

    wanted = [c.strip() for part in columns for c in part.split(",") if c.strip()]
    if not wanted:
        raise QueryError("--columns names no column: give names separated by commas, such as --columns name,date"
                         + (f" (its columns: {', '.join(variables)})" if variables else ""))
    twice = sorted({c for c in wanted if wanted.count(c) > 1}, key=wanted.index)
    if twice:
        raise QueryError(f"--columns names {', '.join(twice)} twice: name each column once, in the order wanted")
    return wanted


def wanted_columns(columns: list[str], variables: list[str]) -> list[str]:
    """The column names ``--columns`` gives (:func:`column_names`), in order, checked against the
    result's columns ``variables``. Raises :class:`~kg.store.QueryError` when the items name no
    column, a column twice, or a column the result does not have.
    """
    from kg.store import QueryError

    wanted = column_names(columns, variables)
    unknown = [c for c in wanted if c not in variables]
    if unknown:
        raise QueryError(f"--columns: no column {', '.join(unknown)} in this result "
                         + (f"(its columns: {', '.join(variables)})" if variables else "(it has none: the query selects no variable)"))
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
    from kg.output import escaped

    if term["type"] == "uri":
        return escaped(shorten(value))
    return " ".join(escaped(value, keep=_SPACE).split())


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


def _widths(natural: list[int], words: list[dict[int, int]], width: int, numeric: list[bool] | None = None) -> list[int]:
    """Column widths that fit ``width`` characters with the gaps, for columns whose widest cells are
    ``natural`` characters and whose words have the lengths ``words`` (``{length: how many}``, one
    mapping a column).

    Every column gets at least its longest word when their sum allows (then the widest columns share
    what is left, none below its longest word). When it does not, every column gets at least
    :data:`MIN_WIDTH` (or its longest word, if narrower) and the rest goes where it keeps the most
    words whole for the characters it takes (a name before numbers when alike: ``numeric`` marks
    columns of numbers), so that words are broken only where no layout of this width fits them.
    The sum exceeds ``width`` only when even one character a column does not fit.
    """
    natural = [max(1, n) for n in natural]
    room = width - len(GAP) * (len(natural) - 1)
    if sum(natural) <= room:
        return natural
    need = [max([1] + [min(n, length) for length in w]) for w, n in zip(words, natural)]
    if sum(need) <= room:  # every word fits: the widest columns share the room, none below its longest word
        return _level(natural, need, room)
    widths = _level(need, [1] * len(need), min(room, sum(min(d, MIN_WIDTH) for d in need)))
    numeric = numeric or [False] * len(need)
    while True:
        spare = room - sum(widths)
        best = None
        for i, lengths in enumerate(words):
            for length in lengths:
                if widths[i] < length <= min(need[i], widths[i] + spare):
                    kept = sum(k for n, k in lengths.items() if widths[i] < n <= length)
                    key = (kept / (length - widths[i]), not numeric[i], -i, -length)
                    if best is None or key > best[0]:
                        best = (key, i, length)
        if best is None:
            break
        widths[best[1]] = best[2]
    # what no more whole word can use widens the narrowest columns that wrap: fewer lines
    return _level(natural, widths, max(room, sum(widths)))


def _level(top: list[int], bottom: list[int], room: int) -> list[int]:
    """Widths between ``bottom`` and ``top`` (column by column) summing to at most ``room``: every
    column cut to one level (the highest that fits), never below its bottom; what the level leaves
    over goes to the columns at the level, one character each, left first. ``bottom`` when even
    that does not fit."""
    def cut(level):
        return [max(b, min(t, level)) for b, t in zip(bottom, top)]

    low, high = 0, max(top)
    while low < high:
        middle = (low + high + 1) // 2
        if sum(cut(middle)) <= room:
            low = middle
        else:
            high = middle - 1
    widths = cut(low)
    spare = room - sum(widths)
    for i, w in enumerate(widths):
        if spare > 0 and w == low and w < top[i]:
            widths[i] += 1
            spare -= 1
    return widths


def format_table(result, *, width: int | None = None, columns: list[str] | None = None, engine=None) -> str:
    """An aligned text table of a SELECT result that fits ``width`` columns (default: the terminal's).

    ``columns`` keeps only those columns (then none is left out automatically). With an ``engine``,
    statistics and findings are shown by their values. Raises :class:`kg.store.QueryError` for an
    unknown column name.
    """
    result = select_columns(result, columns)
    width = width or terminal_width()
    if not result.variables:  # SELECT * WHERE {}: rows without a column, which no table can draw
        from kg.query import page_note

        return f"(the query selects no variable: no column to show)\n{page_note(result)}"
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
    words = [_word_lengths([r[i] for r in rows]) for i in keep]
    for i, counts in zip(keep, words):  # a column's name counts as much as its cells: a broken one mars them all
        counts[len(variables[i])] = counts.get(len(variables[i]), 0) + max(1, len(rows))
    numeric = [bool(rows) and all(_NUMBER.fullmatch(r[i]) for r in rows if r[i]) for i in keep]
    widths = _widths([natural[i] for i in keep], words, width, numeric)
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
    # one rule for every table: when some row wraps onto more lines, a blank line separates every two
    # rows (else where one row ends and the next begins is a guess); when none wraps, no blank line
    head, blocks = lines, []
    for r in rows:
        lines = []
        emit([r[i] for i in keep])
        blocks.append(lines)
    lines = head
    for k, block in enumerate(blocks):
        if k and any(len(b) > 1 for b in blocks):
            lines.append("")
        lines.extend(block)
    from kg.query import page_note

    note = page_note(result)[:-1]
    if dropped:
        note += f"; left out to fit {width} columns: {', '.join(dropped)} (--columns to choose, -f csv for all)"
    lines.append(note + ")")
    return "\n".join(lines)
