"""Query checking: nothing leaves the machine, nothing is written.

A SPARQL query can make the engine that runs it send requests: ``SERVICE <url> { ... }`` asks
another endpoint, and ``FROM <url>`` / ``FROM NAMED <url>`` make rdflib's engine fetch and parse
the document at ``url`` (or read a local file). Apache Jena Fuseki refuses ``SERVICE`` by default;
so does every engine here, and the served endpoint, unless remote access is allowed explicitly.
``FROM`` and ``FROM NAMED`` are accepted when they name graphs of the local dataset.

The check tokenizes the query as SPARQL does (strings, comments, IRIs, variables, prefixed names
and language tags are single tokens, so ``"SERVICE"``, ``?service`` or ``<http://x/#SERVICE>``
are not the keyword), on the text as written and on the text with ``\\uXXXX`` escapes decoded
(SPARQL 1.1 section 19.2 decodes them before parsing): a keyword found in either is refused.

>>> check_query("SELECT * WHERE { ?s ?p 'SERVICE' }")
QueryCheck(kind='SELECT', from_graphs=[])
>>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
kg.guard.RemoteAccessError: SERVICE is refused: it makes the engine send a request to another endpoint; ...
"""

from __future__ import annotations

import re
from collections import namedtuple
from urllib.parse import urljoin

from kg.store import QueryError

__all__ = ["RemoteAccessError", "UpdateRefused", "QueryCheck", "check_query", "tokens", "UPDATE_KEYWORDS", "MAX_NESTING"]

#: Deepest nesting of ``{ ( [`` accepted: the engine's parser recurses once per level, and a worker
#: thread's stack overflows (the process dies on a signal) a few thousand levels down.
MAX_NESTING = 200
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
QUERY_KEYWORDS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

PREFIX_START = r"(?:[A-Za-z]|(?![\x00-\xbf])[^\U00010000-\U0010ffff])"
_TOKEN = re.compile(
    r'(?P<ws>\s+)'
    r'|(?P<comment>#[^\n\r]*)'
    # a string runs to its closing quote, or (unterminated: a syntax error for the engine) to the end of
    # its line or of the text, so that no quote is scanned twice: the scan stays linear in the text
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*(?:"""|\\?\Z)|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*(?:\'\'\'|\\?\Z)'
    r'|"(?:[^"\\\n\r]|\\[^\n\r])*(?:"|\\?(?=[\n\r])|\\?\Z)|\'(?:[^\'\\\n\r]|\\[^\n\r])*(?:\'|\\?(?=[\n\r])|\\?\Z))'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r'|(?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)'
    r'|(?P<bnode>_:[\w.\-]+)'
    r'|(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)'
    # the first letter of a prefix is [A-Za-z\u00c0-\uffff], written so that compiling it does not fill a
    # 65,536-entry table (2 ms of every kg command; tests/test_coldstart.py checks that it is the same set)
    r'|(?P<pname>(?:' + PREFIX_START + r'[\w.\-\u00b7]*)?:(?:[\w\-:%.\u00b7]|\\[^\s])*)'
    r'|(?P<word>[A-Za-z_][\w\-]*)'
    r'|(?P<other>.)',
    re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class RemoteAccessError(QueryError):
    """The query would make the engine send a request (SERVICE) or fetch data (FROM) elsewhere."""


class UpdateRefused(QueryError):
    """The text is a SPARQL Update, and this engine or endpoint is read-only."""


class QueryCheck(namedtuple("QueryCheck", "kind from_graphs")):
    """What the check found: the query form and the graphs named by FROM / FROM NAMED."""

    __slots__ = ()


def tokens(text: str):
    """``(kind, text)`` for every significant token of a SPARQL text (white space and comments dropped)."""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            yield kind, m.group()


def _decode_escapes(text: str) -> str:
    def one(m):
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group()

    return _ESCAPE.sub(one, text)


def _scan(text: str) -> tuple[str, list[str], bool]:
    """The query form, the IRIs of FROM / FROM NAMED, and whether SERVICE occurs."""
    toks = list(tokens(text))
    prefixes: dict[str, str] = {}
    base = ""
    kind = ""
    graphs: list[str] = []
    service = False
    depth = 0
    i = 0
    while i < len(toks):
        tkind, value = toks[i]
        if tkind == "other" and value in "{([":
            depth += 1
            if depth > MAX_NESTING:
                raise QueryError(f"the query nests groups or brackets more than {MAX_NESTING} levels deep: "
                                 "flatten it (the engine's parser would run out of stack)")
        elif tkind == "other" and value in "})]":
            depth = max(0, depth - 1)
        word = value.upper() if tkind == "word" else ""
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 1][0] == "pname" and toks[i + 2][0] == "iri":
            prefixes[toks[i + 1][1][:-1]] = urljoin(base, toks[i + 2][1][1:-1])
            i += 3
            continue
        if word == "BASE" and i + 1 < len(toks) and toks[i + 1][0] == "iri":
            base = urljoin(base, toks[i + 1][1][1:-1])
            i += 2
            continue
        if not kind and word:
            kind = word
        if word == "SERVICE":
            service = True
        if word == "FROM":
            j = i + 1
            if j < len(toks) and toks[j][0] == "word" and toks[j][1].upper() == "NAMED":
                j += 1
            if j < len(toks):
                jkind, target = toks[j]
                if jkind == "iri":
                    graphs.append(urljoin(base, target[1:-1]))
                elif jkind == "pname":
                    prefix, _, local = target.partition(":")
                    graphs.append(prefixes.get(prefix, prefix + ":") + re.sub(r"\\(.)", r"\1", local))
                else:
                    graphs.append(target)
        i += 1
    return kind, graphs, service


def check_query(text: str, *, allow_remote: bool = False, local_graphs=None, allow_update: bool = False,
                check_from: bool = True) -> QueryCheck:
    """Check a SPARQL text before any engine sees it.

    ``local_graphs`` is a set of graph IRIs (or a callable returning one, called only when the
    query has a FROM clause) that ``FROM`` / ``FROM NAMED`` may name. Returns a :class:`QueryCheck`;
    raises :class:`RemoteAccessError` for ``SERVICE`` or a foreign ``FROM`` (unless
    ``allow_remote``), :class:`UpdateRefused` for an update (unless ``allow_update``) and
    :class:`QueryError` for a text that is not a string or nests more than
    :data:`MAX_NESTING` levels deep.
    """
    if not isinstance(text, str):
        raise QueryError("the query must be text")
    kind, graphs, service = "", [], False
    for variant in {text, _decode_escapes(text)}:
        k, g, s = _scan(variant)
        kind = kind or k
        graphs += [x for x in g if x not in graphs]
        service = service or s
    if kind in UPDATE_KEYWORDS and not allow_update:
        raise UpdateRefused(f"{kind} is a SPARQL Update and this engine is read-only: change the files in graph/ "
                            "and run kg build instead")
    if allow_remote:
        return QueryCheck(kind, graphs)
    if service:
        raise RemoteAccessError("SERVICE is refused: it makes the engine send a request to another endpoint; "
                                "pass --allow-remote if you mean it")
    if graphs and check_from:
        known = local_graphs() if callable(local_graphs) else (local_graphs or set())
        foreign = [g for g in graphs if g not in known]
        if foreign:
            raise RemoteAccessError(f"FROM <{foreign[0]}> is refused: it is not a graph of the local dataset and the "
                                    "engine could fetch it from elsewhere; name an evidence graph (ev:dNNN-START-END), "
                                    "use GRAPH inside WHERE, or pass --allow-remote")
    return QueryCheck(kind, graphs)
