"""Page-first evaluation of named questions: the page's rows are chosen before their details are looked up.

A listing question marks a cheap **core**, a sub-select that finds the rows (their ids and sort
keys only), between two marked lines::

    SELECT ?date ?id ?name ?kindName (GROUP_CONCAT(...) AS ?documents)
    WHERE {
      {  #+ page
        SELECT ?id ?sortKey ?name WHERE { ...the rows, no labels but those sorted on... } GROUP BY ?id
      }  #+ page end
      ...look-ups of the details of each row (OPTIONAL, per row)...
    }
    GROUP BY ...
    ORDER BY ?sortKey ?name

As plain SPARQL the file answers the whole question (the marked lines hold only a brace and a
comment). For one page, :func:`run_page` runs the core alone with the question's final
``ORDER BY`` and the page's ``LIMIT``/``OFFSET`` (the engine counts the other rows: that count is
the total), then runs the question with the core replaced by an inline ``VALUES`` block of the
page's rows, so that labels, documents and other details are looked up for those rows only.

The rules that make a page equal to the same rows of the whole answer (checked by
:func:`check_page_block` where they can be, and by ``tests/test_paging.py`` on every question):
each row of the core gives exactly one row of the answer (what follows the core only looks up
details, with ``OPTIONAL``, and aggregates per core row); the final ``ORDER BY`` uses only
variables the core projects; the core is self-contained (its own bind line when it uses
parameters) and has no ``ORDER BY``, ``LIMIT`` or ``OFFSET`` of its own.
"""

from __future__ import annotations

import re

from kg.store import QueryError, Result

__all__ = ["PagePlan", "page_plan", "run_page", "check_page_block", "PAGE_START", "PAGE_END"]

PAGE_START = re.compile(r"^\s*\{\s*#\+ page\s*$")
PAGE_END = re.compile(r"^\s*\}\s*#\+ page end\s*$")
_MARK = re.compile(r"#\+ page\b")
_VAR = re.compile(r"[?$](\w+)")


def _order_clause(lines: list[str]) -> int | None:
    """Index of the last line starting with ``ORDER BY`` (the question's final ordering)."""
    found = None
    for i, line in enumerate(lines):
        if re.match(r"^ORDER BY\b", line):
            found = i
    return found


def _projection(core: list[str]) -> set[str]:
    """The variables a core sub-select projects (``?x`` and ``(... AS ?x)`` between SELECT and WHERE)."""
    text = "\n".join(core)
    m = re.search(r"\bSELECT\b(.*?)\bWHERE\b", text, re.S | re.I)
    if not m:
        return set()
    head = m.group(1)
    if head.strip() == "*":
        return set()
    out = set(re.findall(r"\bAS\s+[?$](\w+)", head, re.I))
    bare = re.sub(r"\([^()]*(\([^()]*\)[^()]*)*\)", " ", head)  # drop (expr AS ?x)
    return out | set(_VAR.findall(bare))


def check_page_block(path, text: str) -> str | None:
    """A message naming the file and line of a misplaced or incomplete page core, or ``None``.

    One core at most; its first line is ``{  #+ page`` and its last ``}  #+ page end``; the file
    ends with an ``ORDER BY`` line whose variables the core projects.
    """
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if PAGE_START.match(line)]
    ends = [i for i, line in enumerate(lines) if PAGE_END.match(line)]
    marks = [i for i, line in enumerate(lines) if _MARK.search(line)]
    if not marks:
        return None
    if len(starts) != 1 or len(ends) != 1 or set(marks) != {starts[0], ends[0]} or ends[0] < starts[0]:
        return (f"{path}:{marks[0] + 1}: a page core is one sub-select between a line '{{  #+ page' and a line "
                "'}  #+ page end', once per question")
    core = lines[starts[0] + 1:ends[0]]
    plain = re.sub(r'"(?:[^"\\]|\\.)*"|#[^\n]*', " ", "\n".join(core))  # strings and comments aside
    if re.search(r"\b(ORDER\s+BY|LIMIT|OFFSET)\b", plain, re.I):
        return f"{path}:{starts[0] + 1}: the page core has its own ORDER BY, LIMIT or OFFSET; the question's final ORDER BY orders it"
    order = _order_clause(lines)
    if order is None or order < ends[0]:
        return f"{path}:{ends[0] + 1}: a question with a page core ends with an ORDER BY line"
    projected = _projection(core)
    missing = sorted(set(_VAR.findall(" ".join(lines[order:]))) - projected)
    if missing:
        return (f"{path}:{order + 1}: ORDER BY uses {', '.join('?' + v for v in missing)}, which the page core does "
                "not project; project it from the core (the page is sorted before its details are looked up)")
    return None


class PagePlan:
    """The two texts of a paged question: the core with the final ordering, and the details of given rows."""

    def __init__(self, text: str):
        lines = text.splitlines()
        self.start = next(i for i, line in enumerate(lines) if PAGE_START.match(line))
        self.end = next(i for i, line in enumerate(lines) if PAGE_END.match(line))
        order = _order_clause(lines)
        select = next(i for i, line in enumerate(lines) if re.match(r"^\s*SELECT\b", line, re.I))
        self.lines = lines
        self.core = "\n".join(lines[:select] + lines[self.start + 1:self.end] + lines[order:]) + "\n"

    def details(self, variables: list[str], rows: list[dict]) -> str:
        """The question with its core replaced by ``VALUES`` of ``rows`` (SPARQL JSON terms)."""
        from kg.query import sparql_term

        values = []
        for row in rows:
            values.append("(" + " ".join(sparql_term(_term(row.get(v))) if row.get(v) else "UNDEF"
                                         for v in variables) + ")")
        indent = self.lines[self.start][: len(self.lines[self.start]) - len(self.lines[self.start].lstrip())]
        block = f"{indent}VALUES ({' '.join('?' + v for v in variables)}) {{ {' '.join(values)} }}"
        return "\n".join(self.lines[:self.start] + [block] + self.lines[self.end + 1:]) + "\n"


def _term(term: dict):
    """A pyoxigraph term from a SPARQL JSON term; a blank node cannot be written in a query."""
    import pyoxigraph as ox

    if term["type"] == "uri":
        return ox.NamedNode(term["value"])
    if term["type"] == "bnode":
        raise _BlankNode()
    if "xml:lang" in term:
        return ox.Literal(term["value"], language=term["xml:lang"])
    if "datatype" in term:
        return ox.Literal(term["value"], datatype=ox.NamedNode(term["datatype"]))
    return ox.Literal(term["value"])


class _BlankNode(Exception):
    """A core row holds a blank node: the page is taken from the whole answer instead."""


def page_plan(text: str) -> PagePlan | None:
    """The plan of a rendered question text, or ``None`` when it has no page core."""
    if not any(PAGE_START.match(line) for line in text.splitlines()):
        return None
    return PagePlan(text)


def run_page(engine, text: str, limit: int, offset: int = 0) -> Result | None:
    """One page of a rendered question with a page core: ``limit`` rows from ``offset``, with the total.

    Returns ``None`` when the text has no core (the caller pages the whole answer). Raises
    :class:`QueryError` when the engine fails.
    """
    plan = page_plan(text)
    if plan is None:
        return None
    core = engine.query(plan.core, limit=limit, offset=offset)
    total = core.total if core.total is not None else len(core.rows)
    try:
        details = engine.query(plan.details(core.variables, core.rows))
    except _BlankNode:
        whole = engine.query(text, limit=limit, offset=offset)
        return Result(whole.variables, whole.rows, total=whole.total, offset=offset)
    if details.boolean is not None:
        raise QueryError("a question with a page core must be a SELECT query")
    return Result(details.variables, details.rows, total=total, offset=offset)
