"""Checks of a named question's file against the add-a-query rules, with what to change.

The rules (CONTRIBUTING.md, "Add a query"): every parameter declared in the header is

* used in the query as a variable of the top-level ``WHERE`` group or of ``HAVING`` (not only
  inside a sub-select), where the engine binds it;
* projected by the top-level ``SELECT`` (pyoxigraph binds only projected variables; ``kg`` hides
  the parameter columns from the answer);
* listed in ``GROUP BY`` when the query groups (has ``GROUP BY`` or an aggregate).

A file written for engine-side VALUES binding (a line ending in ``#+ bind``, or ``#+ if NAME``
blocks) does not need its parameters projected or grouped: there, each parameter must only be used,
in the query or in an ``#+ if`` block.

The check is lexical (comments, strings and IRIs are blanked, braces matched), so that it costs
nothing beside the query run: a SPARQL parser in Python takes about a tenth of a second a file.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["check_query_file", "check_query_text"]

_BLANK = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                    r'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_PARAM = re.compile(r"^#\+\s+-\s*([A-Za-z_]\w*)\s*:", re.M)
_AGGREGATE = re.compile(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.I)
RULE = "every parameter must be used in the top-level WHERE group, projected by SELECT and, when the query groups, listed in GROUP BY"


def _blank(text: str) -> str:
    """The text with comments, string literals and IRIs replaced by spaces (newlines kept)."""
    return _BLANK.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _close(text: str, open_at: int) -> int:
    """The index of the brace that closes the one at ``open_at`` (or the end of the text)."""
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return len(text)


def _vars(text: str) -> set[str]:
    return set(re.findall(r"[?$](\w+)", text))


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _without_subselects(where: str) -> str:
    """The WHERE group with every nested ``{ SELECT ... }`` blanked."""
    while True:
        m = re.search(r"\{\s*SELECT\b", where, re.I)
        if not m:
            return where
        end = _close(where, m.start())
        where = where[:m.start()] + " " * (end + 1 - m.start()) + where[end + 1:]


def check_query_text(text: str, params: list[str], name: str = "query") -> list[str]:
    """Problems of a query text with the given parameter names, each saying what to change."""
    code = _blank(text)
    problems = []
    if re.search(r"#\+\s*bind\b|^\s*#\+\s*if\s+\w+", text, re.M):  # parameters bound by a VALUES block
        used = _vars(code) | _vars("\n".join(re.findall(r"^\s*#\+(?!\s*-)(.*)$", text, re.M)))
        return [f"{name}:1: parameter {p} is declared but ?{p} is not in the query: use it in the WHERE group "
                f"or an '#+ if {p}' block, or remove its '#+   - {p}:' header line" for p in params if p not in used]
    select = re.search(r"\bSELECT\b", code, re.I)
    where_open = code.find("{", select.end() if select else 0)
    if where_open < 0:
        return [f"{name}:1: no WHERE group: write SELECT ... WHERE {{ ... }}"]
    where_close = _close(code, where_open)
    where = code[where_open:where_close + 1]
    top_where = _without_subselects(where)
    modifiers = code[where_close + 1:]
    projection = code[select.end():where_open] if select else ""
    projection = re.sub(r"\bWHERE\b", " ", projection, flags=re.I)
    star = bool(re.match(r"\s*(?:DISTINCT|REDUCED)?\s*\*", projection, re.I))
    depth0 = projection
    while re.search(r"\([^()]*\)", depth0):  # drop (expr AS ?x) groups, innermost first
        depth0 = re.sub(r"\([^()]*\)", " ", depth0)
    projected = _vars(depth0) | set(re.findall(r"\bAS\s+[?$](\w+)", projection, re.I))
    group = re.search(r"\bGROUP\s+BY\b([\s\S]*?)(?=\bHAVING\b|\bORDER\s+BY\b|\bLIMIT\b|\bOFFSET\b|\bVALUES\b|$)",
                      modifiers, re.I)
    grouped = _vars(group.group(1)) if group else set()
    having = re.search(r"\bHAVING\b([\s\S]*?)(?=\bORDER\s+BY\b|\bLIMIT\b|\bOFFSET\b|\bVALUES\b|$)", modifiers, re.I)
    groups = bool(group) or bool(_AGGREGATE.search(projection))
    select_line = _line(code, select.start()) if select else 1
    group_line = _line(code, where_close + 1 + group.start()) if group else _line(code, where_close)
    for p in params:
        if p not in _vars(code):
            problems.append(f"{name}:1: parameter {p} is declared but ?{p} is not in the query: use it in the "
                            f"WHERE group, or remove its '#+   - {p}:' header line")
            continue
        if p not in _vars(top_where) | _vars(having.group(1) if having else ""):
            problems.append(f"{name}:{_line(code, where_open)}: parameter ?{p} is not used in the top-level WHERE group "
                            f"(a sub-select, SELECT or GROUP BY does not count): use it there, for example "
                            f"FILTER(?{p} = kg:any || ...), where the engine binds it ({RULE})")
        if not star and p not in projected:
            problems.append(f"{name}:{select_line}: parameter ?{p} is not projected: add ?{p} to the SELECT clause "
                            f"({RULE}; kg hides parameter columns from the answer)")
        if groups and p not in grouped:
            where_to = "add it to GROUP BY" if group else f"add GROUP BY with ?{p} and the other plain SELECT variables"
            problems.append(f"{name}:{group_line}: parameter ?{p} is not grouped: {where_to} ({RULE})")
    return problems


def check_query_file(path: Path) -> list[str]:
    """Problems of a named question's file (``queries/NAME.rq``) with the parameter rules; ``[]`` if none.

    Each problem is one line naming the file and line and saying what to change. Raises
    ``OSError`` when the file cannot be read.
    """
    from kg.inputs import read_text

    path = Path(path)
    text = read_text(path, error=OSError, bom=False)  # a regular file only: a FIFO would wait forever
    return check_query_text(text, _PARAM.findall(text), str(path))
