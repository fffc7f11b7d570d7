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

For a store that asks for it (``engine.pads_one_row_pages``: a remote store), a page of one row is looked up
with a second, empty row in the ``VALUES`` block, whose answer is dropped (:func:`_pad_variable`).

**Pages by rank look-up.** A core whose rows kg build numbered 1, 2, ... N in the question's order
(``kg/aggregates_rows.py``, ``aggregates_counts.py``, ``aggregates_sides.py``) still reads and sorts
every rank for one page. Such a core says how the row at one place is found, in a comment line of
its own, first in the core::

      {  #+ page
        #+ rank ?rank: ?row kg:estimateRank ?rank .
        SELECT ?row ?rank WHERE { ... ?row kg:estimateRank ?rank . }
      }  #+ page end

``#+ rank ?VAR: PATTERN``: the graph pattern binds ``?VAR``, the place of a row in the question's
order (usually the variable the question is ordered by), and every variable the core projects.
When the core, as rendered, is the core of the question's defaults (no ``#+ if`` block of it active,
its bind lines the defaults'), the core's rows in order are the rows the pattern finds for 1, 2, ...
N (``tests/test_paging_ranks.py`` checks it for every such question, and :func:`check_ranks` for any
store), so that :func:`run_page` finds a page by an inline ``VALUES`` of the places ``offset+1`` to
``offset+limit`` joined with the pattern, looked up through the store's index on (predicate,
object), and the total by probing which places exist (:func:`rank_total`: a few look-ups whatever
N). Otherwise, or when a page does not find exactly the places asked for (a gap, a tie), the core
is run as above.

**Pages found by a module.** A core whose order no single rank numbers for every value of its
parameters names, in a comment line first in the core, the build-time aggregate that finds its
pages: ``#+ ranks statements`` (:data:`FINDERS`: ``kg/aggregates_statements.py`` for the question of
corroborated statements, whose windows of document counts are blocks of one stored order). When the
core, as rendered, is the core of the question's defaults but for its bind lines (the same
patterns, other values), :func:`run_page` asks that module's ``page_rows(engine, plan, limit,
offset)`` for the page; ``None`` from it (a store built without the aggregate, a gap) sorts the core.
A module that defines ``applies(core)`` says itself which rendered cores it pages (``#+ ranks kinds``,
``kg/aggregates_kinds.py``: the line sits in an ``#+ if kind`` block of the question of
disagreements, and the module pages the cores that bind ``kind`` alone).
"""

from __future__ import annotations

import re

from kg.store import QueryError, Result

__all__ = ["PagePlan", "page_plan", "run_page", "check_page_block", "check_ranks", "rank_total", "PAGE_START", "PAGE_END",
           "RANK", "RANKS", "FINDERS", "MAX_LOOKUP"]

PAGE_START = re.compile(r"^\s*\{\s*#\+ page\s*$")
PAGE_END = re.compile(r"^\s*\}\s*#\+ page end\s*$")
_MARK = re.compile(r"#\+ page\b")
RANK = re.compile(r"^\s*#\+ rank\s+[?$](\w+)\s*:\s*(\S.*?)\s*$")  # the look-up of one row from its place, in a core
RANKS = re.compile(r"^\s*#\+ ranks\s+(\S+)\s*$")  # the module that finds a core's pages (FINDERS)
FINDERS = {"statements": "kg.aggregates_statements", "kinds": "kg.aggregates_kinds"}  # '#+ ranks NAME' -> module with page_rows
_BOUND = re.compile(r"^\s*VALUES \((\?\w+ ?)+\) \{ \(.*\) \}\s*$")  # a rendered bind line
NO_ROW = "urn:x-kzkg-page:padding"  # the value of the padding row of a page of one row (see _pad_variable)
MAX_LOOKUP = 1000  # ranks a look-up asks for at most at once (a longer page sorts the core, as before)
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
    finders = [i for i, line in enumerate(lines) if re.match(r"^\s*#\+ ranks\b", line)]
    if finders and (len(finders) > 1 or not starts[0] < finders[0] < ends[0]
                    or not RANKS.match(lines[finders[0]]) or RANKS.match(lines[finders[0]]).group(1) not in FINDERS):
        return (f"{path}:{finders[0] + 1}: write '#+ ranks NAME' once, inside the page core, NAME one of "
                f"{', '.join(sorted(FINDERS))}")
    return _check_rank_line(path, lines, starts[0], ends[0], order, projected)


def _check_rank_line(path, lines: list[str], start: int, end: int, order: int, projected: set[str]) -> str | None:
    """A message about a misplaced or incomplete ``#+ rank`` line, or ``None`` (see the module docstring)."""
    ranks = [i for i, line in enumerate(lines) if re.match(r"^\s*#\+ rank\b", line)]
    if not ranks:
        return None
    where = f"{path}:{ranks[0] + 1}"
    if len(ranks) > 1 or not start < ranks[0] < end:
        return f"{where}: a '#+ rank PATTERN' line goes once, inside the page core (between '{{  #+ page' and '}}  #+ page end')"
    depth = 0
    for line in lines[start + 1:ranks[0]]:
        depth += 1 if re.match(r"^\s*#\+ if\s", line) else -1 if re.match(r"^\s*#\+ end\s*$", line) else 0
    if depth:
        return f"{where}: the '#+ rank' line is inside an '#+ if' block; put it first in the core"
    rank = RANK.match(lines[ranks[0]])
    if not rank:
        return f"{where}: write the line '#+ rank ?RANK: PATTERN' (PATTERN finds the row of rank ?RANK)"
    unbound = sorted((projected | {rank.group(1)}) - set(_VAR.findall(rank.group(2))))
    if unbound:
        return (f"{where}: the '#+ rank' pattern does not bind {', '.join('?' + v for v in unbound)}; it must bind the "
                "rank and every variable the core projects, from the rank alone")
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
        self.prologue = "\n".join(lines[:select])
        self.core = "\n".join(lines[:select] + lines[self.start + 1:self.end] + lines[order:]) + "\n"
        rank = next((RANK.match(line) for line in lines[self.start + 1:self.end] if RANK.match(line)), None)
        #: the variable of the place of a core row in the question's order (1, 2, ...) and the pattern
        #: that finds the row from it (its ``#+ rank`` line); ``None`` without that line
        self.rank_variable, self.rank_pattern = rank.groups() if rank else (None, None)
        finder = next((RANKS.match(line) for line in lines[self.start + 1:self.end] if RANKS.match(line)), None)
        #: the name of the module that finds the core's pages (its ``#+ ranks NAME`` line), or ``None``
        self.finder = finder.group(1) if finder else None
        self.variables = sorted(_projection(lines[self.start + 1:self.end]))

    def lookup(self, ranks) -> str:
        """The core rows of the given ranks (integers), in rank order, found by the ``#+ rank`` pattern."""
        rank = self.rank_variable
        names = " ".join("?" + v for v in [rank] + [v for v in self.variables if v != rank])
        values = " ".join(str(int(r)) for r in ranks)
        return (f"{self.prologue}\nSELECT DISTINCT {names} WHERE {{ VALUES ?{rank} {{ {values} }} {self.rank_pattern} }}\n"
                f"ORDER BY ?{rank}\n")

    def details(self, variables: list[str], rows: list[dict], pad: str | None = None) -> str:
        """The question with its core replaced by ``VALUES`` of ``rows`` (SPARQL JSON terms); with ``pad``
        (one of ``variables``), one more row binding it to :data:`NO_ROW` and nothing else."""
        from kg.query import sparql_term

        values = []
        for row in rows:
            values.append("(" + " ".join(sparql_term(_term(row.get(v))) if row.get(v) else "UNDEF"
                                         for v in variables) + ")")
        if pad is not None:
            values.append("(" + " ".join(f"<{NO_ROW}>" if v == pad else "UNDEF" for v in variables) + ")")
        indent = self.lines[self.start][: len(self.lines[self.start]) - len(self.lines[self.start].lstrip())]
        block = f"{indent}VALUES ({' '.join('?' + v for v in variables)}) {{ {' '.join(values)} }}"
        return "\n".join(self.lines[:self.start] + [block] + self.lines[self.end + 1:]) + "\n"


def _unbound(text: str) -> list[str]:
    """The lines of a rendered text but its bind lines (``VALUES (?a ?b) { (...) }``)."""
    return [line for line in text.splitlines() if not _BOUND.match(line)]


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


def run_page(engine, text: str, limit: int, offset: int = 0, *, defaults=None) -> Result | None:
    """One page of a rendered question with a page core: ``limit`` rows from ``offset``, with the total.

    ``defaults`` is the question rendered with its defaults (a string, or a function that returns it,
    called only for a core with a ``#+ rank`` line): when the core of ``text`` is that of ``defaults``,
    the page is found by rank look-up (see the module docstring). Returns ``None`` when the text has
    no core (the caller pages the whole answer). Raises :class:`QueryError` when the engine fails.
    """
    plan = page_plan(text)
    if plan is None:
        return None
    core = None
    if (plan.rank_pattern or plan.finder) and defaults is not None and 0 < limit <= MAX_LOOKUP:
        default_text = defaults() if callable(defaults) else defaults
        default_core = page_plan(default_text).core if default_text is not None else None
        if plan.rank_pattern and default_core == plan.core:
            core = _ranked(engine, plan, limit, offset)
        elif plan.finder in FINDERS and default_core is not None:
            import importlib

            finder = importlib.import_module(FINDERS[plan.finder])
            applies = getattr(finder, "applies", None)  # (else: the defaults' core but for its bind lines)
            if applies(plan.core) if applies is not None else _unbound(default_core) == _unbound(plan.core):
                core = finder.page_rows(engine, plan, limit, offset)
    if core is None:
        core = engine.query(plan.core, limit=limit, offset=offset)
    total = core.total if core.total is not None else len(core.rows)
    pad = _pad_variable(engine, plan, core)
    try:
        details = engine.query(plan.details(core.variables, core.rows, pad))
    except _BlankNode:
        whole = engine.query(text, limit=limit, offset=offset)
        return Result(whole.variables, whole.rows, total=whole.total, offset=offset)
    if details.boolean is not None:
        raise QueryError("a question with a page core must be a SELECT query")
    rows = details.rows if pad is None else [r for r in details.rows if r.get(pad, {}).get("value") != NO_ROW]
    return Result(details.variables, rows, total=total, offset=offset)


def _pad_variable(engine, plan: PagePlan, core: Result) -> str | None:
    """The core variable to bind to :data:`NO_ROW` in a second row of a page of one row, or ``None``.

    Only for a store that needs it (``engine.pads_one_row_pages``, :class:`kg.remote.RemoteEngine`):
    Virtuoso 7.2, given one row in ``VALUES``, takes its values for constants and then drops the matches
    of the ``OPTIONAL`` groups that follow one that matched nothing (``attacks``: the killed and the
    documents of an attack without perpetrators; ``groups``: the leaders of a group without
    designations); with two rows it does not. The variable is one the question projects, so that the
    padding row's answer is told apart and dropped."""
    if len(core.rows) != 1 or not getattr(engine, "pads_one_row_pages", False):
        return None
    projected = _projection(plan.lines)
    return next((v for v in core.variables if v in projected), None)


def _ranks(engine, plan: PagePlan, ranks) -> list[int]:
    """The ranks among ``ranks`` that some core row has (each as often as rows have it), in order."""
    if not ranks:
        return []
    rows = engine.query(plan.lookup(ranks)).rows
    return [int(row[plan.rank_variable]["value"]) for row in rows if plan.rank_variable in row]


def rank_total(engine, plan: PagePlan, present: int = 0, absent: int | None = None) -> int:
    """The highest rank of the core of ``plan`` (its number of rows, the ranks being 1..N).

    ``present`` is a rank known to exist (0: none), ``absent`` one known not to (``None``: unknown).
    Probes ranks above ``present`` by powers of two until one is absent, then narrows the interval
    sixty-fourfold a query: a few index look-ups whatever N. Raises :class:`QueryError` when the
    engine fails.
    """
    while absent is None:
        probes = [present + 2 ** i for i in range(48)]
        found = set(_ranks(engine, plan, probes))
        highest = max((p for p in probes if p in found), default=None)
        if highest is None:
            return present
        above = [p for p in probes if p > highest]
        present, absent = highest, above[0] if above else None
    while absent - present > 1:
        step = max(1, (absent - present) // 64)
        probes = list(range(present + step, absent, step))
        found = set(_ranks(engine, plan, probes))
        higher = [p for p in probes if p in found]
        if higher:
            present = higher[-1]
        absent = min([p for p in probes if p > present and p not in found] + [absent])
    return present


def _ranked(engine, plan: PagePlan, limit: int, offset: int) -> Result | None:
    """The core rows of one page and the total, by rank look-up; ``None`` when the ranks are not 1..N there."""
    wanted = list(range(offset + 1, offset + limit + 1))
    answer = engine.query(plan.lookup(wanted))
    got = [int(row[plan.rank_variable]["value"]) for row in answer.rows if plan.rank_variable in row]
    if got != wanted[:len(got)]:
        return None  # a gap, a tie or a rank that is not an integer: the core sorts them
    if len(got) == limit:
        total = rank_total(engine, plan, present=got[-1])
    elif got:
        total = offset + len(got)  # the next rank was asked for, and no row has it
        if rank_total(engine, plan, present=total) != total:
            return None  # a gap at the end of the page, not the end of the ranks
    else:
        total = rank_total(engine, plan, absent=offset + 1)
        if not total:
            return None  # no rank 1: an empty answer, or a store built without the ranks; the core says which
    rows = [{k: v for k, v in row.items() if k in plan.variables} for row in answer.rows]
    return Result(plan.variables, rows, total=total, offset=offset)


def check_ranks(engine, text: str) -> str | None:
    """Whether the rows of a rendered question's core are those its ``#+ rank`` line finds for 1, 2, ... N.

    Runs the whole core in its order and the look-up of every place up to N + 1. Returns ``None``
    when they agree (or the text has no ``#+ rank`` line), else a message naming the first place
    that differs. Raises :class:`QueryError` when the engine fails.
    """
    plan = page_plan(text)
    if plan is None or not plan.rank_pattern:
        return None
    key = lambda row: {k: v["value"] for k, v in row.items() if k in plan.variables}  # noqa: E731
    rows = [key(row) for row in engine.query(plan.core).rows]
    found = engine.query(plan.lookup(range(1, len(rows) + 2))).rows
    places = [int(row[plan.rank_variable]["value"]) for row in found]
    if places != list(range(1, len(places) + 1)) or len(places) != len(rows):
        return f"the places the '#+ rank' line finds are {_span(places)}, not 1..{len(rows)}, one row each"
    for i, (row, other) in enumerate(zip(rows, found), 1):
        if row != key(other):
            return f"row {i} of the core is {row}; the '#+ rank' line finds {key(other)} at place {i}"
    return None


def _span(places: list[int]) -> str:
    """``1..5, 7, 7`` : a list of places, shortened where it is contiguous from 1."""
    n = next((i for i, p in enumerate(places) if p != i + 1), len(places))
    head = [f"1..{n}"] if n else []
    return ", ".join(head + [str(p) for p in places[n:n + 5]] + (["..."] if len(places) > n + 5 else [])) or "none"
