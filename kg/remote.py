"""Running queries against a remote SPARQL 1.1 endpoint through SPARQLWrapper.

Parameters of a named query are sent as an inline ``VALUES`` block placed first in the query's
top-level ``WHERE`` group, built from RDF terms serialized by rdflib (IRIs checked, literals
escaped): the value can never change the query's structure. Placed first, the block binds the
variables for everything in the group, as the embedded engines' substitution does.

A remote store is also sent the parameters bound to IRIs as constants in the text
(:func:`inline_iris`, :attr:`RemoteEngine.inline_parameters`): Virtuoso 7.2 does not join a value
bound by ``VALUES`` with the property paths of later ``UNION`` branches (``group-neighbourhood``
missed the groups two steps away), nor with the ``FILTER`` of an ``OPTIONAL`` (``attacks`` with a
group lost its ``link`` and ``statedBy`` columns), nor with a transitive path in a nested
sub-select (``agencies`` of a place listed bodies of other places); from a constant it answers as the
embedded engine does.
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.request

from kg.store import QueryError, Result, page

__all__ = ["RemoteEngine", "with_values", "insert_first_in_where", "inline_iris", "parse_results", "one_line", "MAX_ANSWER",
           "read_within", "DeadlinePassed", "AnswerTooLarge", "PASSWORD_ENV"]

PASSWORD_ENV = "KG_ENDPOINT_PASSWORD"
"""The environment variable that holds the password of ``--user`` for ``--endpoint`` (``--password-env``
names another): a password is never taken on the command line or in the URL, where other users of the
machine and the shell's history would see it."""

MAX_ANSWER = 256 * 1024 * 1024
"""Bytes read of one remote answer at most (kg serve sends no larger answer either): past it the query is
refused, since the answer, parsed, would take several times that memory."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text, limit: int = 300) -> str:
    """``text`` (str or bytes, as a remote server sent it) as one printable line of at most ``limit``
    characters: line breaks and other control characters (terminal escapes) become one space.

    >>> one_line(b"bad\\r\\nrequest\\x1b[31m")
    'bad request [31m'
    """
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "replace")
    text = " ".join(_CONTROL.sub(" ", str(text)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Tokens the scanner must skip so that a brace inside them is not taken for the WHERE group.
_SKIP = re.compile(r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')


def with_values(text: str, bindings: dict) -> str:
    """The query with ``VALUES (?a ?b) { (t1 t2) }`` first inside its top-level WHERE group."""
    from kg.query import values_block

    block = values_block(dict(sorted(bindings.items())))
    return insert_first_in_where(text, block) if block else text


def insert_first_in_where(text: str, block: str) -> str:
    """The query with ``block`` inserted first inside its top-level WHERE group."""
    pos, depth = 0, 0
    while pos < len(text):
        m = _SKIP.match(text, pos)
        if m:
            pos = m.end()
            continue
        if text[pos] == "{":
            if depth == 0:
                return text[: pos + 1] + "\n  " + block + "\n" + text[pos + 1 :]
            depth += 1
        pos += 1
    raise QueryError("the query has no WHERE group to bind parameters in")


# The tokens inline_iris reads: what _SKIP skips (strings, IRIs, comments), variables, names and
# keywords (a prefixed name is one token), braces and parentheses, and any other character alone.
_TOKEN = re.compile(_SKIP.pattern + r"|[?$]\w+|[A-Za-z_][\w-]*(?::[\w.-]*)?|\S")
_CLAUSE_END = {"HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES", "{", "}"}


def inline_iris(text: str, constants: dict[str, str]) -> str:
    """``text`` with the variables named in ``constants`` (name without ``?`` -> an IRI as SPARQL text,
    ``<...>``) written as those IRIs in its graph patterns and expressions, where a query means the
    same with the constant: the ``VALUES`` blocks binding them stay, and so do the variables where a
    constant may not stand or would change what the query binds: a ``SELECT`` projection, after
    ``AS``, in ``GROUP BY`` and ``ORDER BY``, in a ``VALUES`` block, and inside an ``EXISTS`` or
    ``NOT EXISTS`` group (Virtuoso 7.2 refuses a transitive path from a constant there, error TR...,
    "transitive start not given"). Strings, IRIs and comments are read past, never changed.

    Meant for a text :func:`kg.query.render` bound: each variable is bound by a ``VALUES`` block in
    the scope of its uses, so that the constant is the value the variable has there
    (``tests/test_remote_inline.py`` runs every question both ways on the embedded engine).

    >>> inline_iris('SELECT ?g WHERE { VALUES ?g { <x:a> } ?g <x:p> ?o FILTER(?o != ?g) }', {"g": "<x:a>"})
    'SELECT ?g WHERE { VALUES ?g { <x:a> } <x:a> <x:p> ?o FILTER(?o != <x:a>) }'
    """
    if not constants:
        return text
    out, pos = [], 0
    clause = None  # "select" (a projection), "values" (a VALUES block), "by" (GROUP BY, ORDER BY)
    braces, values_depth, exists_at, exists_next, previous = 0, 0, None, False, ""
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        if token.startswith("#"):
            continue
        word = token.upper()
        if token == "{":
            braces += 1
            if exists_next and exists_at is None:
                exists_at = braces
            exists_next = False
        elif token == "}":
            if exists_at == braces:
                exists_at = None
            braces -= 1
        elif word == "EXISTS":
            exists_next = True
        if (token[0] in "?$" and token[1:] in constants and clause is None and previous != "AS"
                and exists_at is None):
            out += [text[pos:m.start()], constants[token[1:]]]
            pos = m.end()
        if clause is None:
            clause = {"SELECT": "select", "VALUES": "values", "GROUP": "by", "ORDER": "by"}.get(word)
            values_depth = 0
        elif clause == "select" and (word == "WHERE" or token == "{"):
            clause = None
        elif clause == "values":
            values_depth += {"{": 1, "}": -1}.get(token, 0)
            if token == "}" and values_depth == 0:
                clause = None
        elif clause == "by" and word in _CLAUSE_END:
            clause = {"VALUES": "values", "ORDER": "by"}.get(word)
            values_depth = 0
        previous = word
    return "".join(out) + text[pos:]


class RemoteEngine:
    """A SPARQL 1.1 endpoint queried over HTTP, returning the same Result as the embedded engines.

    ``timeout`` is a total deadline in seconds for each query (connection, headers and body, a
    slow trickle included), not a per-read limit; an answer is read up to :data:`MAX_ANSWER` bytes.
    ``SERVICE`` is refused unless ``allow_remote`` (the endpoint would forward the query elsewhere).
    ``user`` and ``password`` log in to an endpoint that wants it: HTTP basic authentication, sent
    with each query, or digest authentication when the endpoint asks for it (Virtuoso's
    ``/sparql-auth``). A redirect is not followed: it could send the query, and the credentials, to
    another server. Raises :class:`QueryError` for a URL that is not http(s) or that holds a user name
    or password (give ``user`` and ``password`` instead), a user name holding ``:`` or a control
    character, an unreachable endpoint, a redirect, an HTTP error, a deadline passed, an answer larger
    than :data:`MAX_ANSWER`, or an answer that is not SPARQL 1.1 JSON results.
    """

    name = "remote"
    #: named questions are sent with their IRI parameters written as constants (:func:`inline_iris`)
    inline_parameters = True
    #: a page of one row is looked up with a second, empty row (:func:`kg.paging.run_page`)
    pads_one_row_pages = True

    def __init__(self, endpoint: str, timeout: float = 30.0, *, allow_remote: bool = False,
                 user: str | None = None, password: str | None = None):
        from kg.bounded import positive_seconds

        if not isinstance(endpoint, str) or not re.match(r"^https?://[^/\s]+", endpoint):
            raise QueryError(f"--endpoint {_safe_url(str(endpoint))!r} is not an http(s) URL")
        _refuse_credentials(endpoint)
        if user is not None:
            from kg.push import PushError, _credentials

            try:
                _credentials(user, password or "")
            except PushError as exc:
                raise QueryError(str(exc)) from None
        self.endpoint = endpoint
        self.timeout = positive_seconds(timeout)
        self.allow_remote = allow_remote
        self.login = (user, password or "") if user is not None else None

    def stream(self, text: str, bindings: dict | None = None, *, limit: int | None = None, offset: int = 0):
        """The events of :meth:`query` (see :mod:`kg.bounded`), for the same output code."""
        from kg.bounded import result_events

        yield from result_events(self.query(text, bindings, limit=limit, offset=offset))

    def query(self, text: str, bindings: dict | None = None, *, limit: int | None = None,
              offset: int = 0) -> Result:
        from kg.guard import check_query

        check_query(text, allow_remote=self.allow_remote, check_from=False)
        raw = _fetch_with_deadline(self.endpoint, with_values(text, bindings or {}), self.timeout, self.login)
        return page(parse_results(raw, _safe_url(self.endpoint)), limit, offset)


def _safe_url(url: str) -> str:
    """The URL without user name and password, for messages."""
    from kg.push import safe_url

    return safe_url(url)


def _refuse_credentials(endpoint: str) -> None:
    """:class:`QueryError` for an endpoint URL holding a user name or password (``http://u:p@host/``):
    urllib takes ``u:p@host`` for the host and asks the name resolver for it, password included."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(endpoint)
        held = parts.username is not None or parts.password is not None
    except ValueError as exc:
        raise QueryError(f"the endpoint URL {_safe_url(endpoint)} is not valid: {one_line(exc)}") from None
    if held:
        raise QueryError(f"--endpoint {_safe_url(endpoint)} holds a user name or password: give the URL without them, "
                         f"--user NAME, and the password in ${PASSWORD_ENV} (or the variable named by --password-env)")


class DeadlinePassed(Exception):
    """Raised by :func:`read_within` when its deadline passes before the answer is read whole."""


class AnswerTooLarge(Exception):
    """Raised by :func:`read_within` when an answer runs past its limit of bytes."""


def read_within(open_response, timeout: float, limit: int = MAX_ANSWER) -> bytes:
    """The body of the response that ``open_response()`` opens (a file-like HTTP response), read whole
    in a thread within ``timeout`` seconds in all: connection, headers and body, however slowly a server
    sends them (a socket timeout alone restarts at every byte that comes).

    Raises :class:`DeadlinePassed` when the deadline passes first (the thread stops at its next read),
    :class:`AnswerTooLarge` past ``limit`` bytes, or what ``open_response`` or a read raised.
    """
    import threading

    box: dict = {}

    def run():
        try:
            response = open_response()
            try:
                chunks, size = [], 0
                while not box.get("late"):
                    chunk = response.read(1 << 16)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > limit:
                        raise AnswerTooLarge(size)
                    chunks.append(chunk)
                box["raw"] = b"".join(chunks)
            finally:
                response.close()
        except BaseException as exc:  # handed to the waiting thread
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        box["late"] = True
        raise DeadlinePassed(timeout)
    if "error" in box:
        raise box["error"]
    return box["raw"]


class _Redirected(Exception):
    """Raised by :class:`_RefuseRedirect` instead of following a redirect: (code, target URL)."""


class _RefuseRedirect(urllib.request.HTTPRedirectHandler):
    """urllib's redirect handler that follows nothing: a redirect could send the query and the
    credentials to another server (and urllib would turn the POST into a GET without the query)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise _Redirected(code, newurl)


def _open(request, timeout: float, login: tuple[str, str] | None):
    """Open ``request`` (a :class:`urllib.request.Request` SPARQLWrapper made) with kg's own opener: no
    redirect followed; with ``login``, basic authentication sent with the request (SPARQLWrapper added it)
    and digest authentication answered when the endpoint asks for it. An endpoint that turns the basic
    credentials down without saying which scheme it wants (Virtuoso's ``/sparql-auth``) is asked once
    more without them, so that it sends its digest challenge."""
    handlers: list = [_RefuseRedirect()]
    if login:
        from kg.push import _DigestAuth, _Passwords

        handlers.append(_DigestAuth(_Passwords(*login)))
    opener = urllib.request.build_opener(*handlers)
    try:
        return opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        challenge = (exc.headers.get("WWW-Authenticate") or "") if exc.headers else ""
        if not (login and exc.code == 401 and not challenge and request.has_header("Authorization")):
            raise
        request.remove_header("Authorization")
        return opener.open(request, timeout=timeout)


def _fetch_with_deadline(endpoint: str, text: str, timeout: float, login: tuple[str, str] | None = None) -> bytes:
    """POST the query, as SPARQLWrapper writes the request (URL-encoded ``query``, its ``Accept`` header
    for SPARQL 1.1 JSON results, basic authentication with ``login`` = (user, password)), open it with
    :func:`_open` and read the answer within ``timeout`` seconds and :data:`MAX_ANSWER` bytes; return its
    bytes. Raises :class:`QueryError`, in one line, for anything that went wrong.

    (SPARQLWrapper 2's ``_createRequest`` makes the request; its own ``query`` would open it with urllib's
    global opener, which follows redirects to any server and, for digest authentication, is replaced
    for the whole process.)"""
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    where = _safe_url(endpoint)

    def open_response():
        client = SPARQLWrapper(endpoint)
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        client.setQuery(text)
        if login:
            client.setCredentials(*login)
        return _open(client._createRequest(), max(1, int(timeout + 1)), login)

    try:
        return read_within(open_response, timeout, MAX_ANSWER)
    except DeadlinePassed:
        raise QueryError(f"the endpoint {where} did not answer in full within {timeout:g} s; try later or give a longer --timeout") from None
    except AnswerTooLarge:
        raise QueryError(f"the endpoint {where} answered more than {MAX_ANSWER >> 20} MB: ask for fewer rows "
                         "(add LIMIT, or give a parameter that narrows the question)") from None
    except _Redirected as exc:
        code, target = exc.args
        raise QueryError(f"the endpoint {where} answered with a redirect (HTTP {code}) to {_safe_url(target)}; kg does not "
                         "follow redirects, which could send the query elsewhere: give that URL as --endpoint if you trust it") from None
    except urllib.error.HTTPError as exc:
        body = one_line(exc.read(2000) if exc.fp else b"", 500)
        if exc.code in (401, 403):
            hint = (" (check --user and the password variable)" if login else
                    f" (an endpoint with accounts: give --user NAME and the password in ${PASSWORD_ENV})")
            raise QueryError(f"the endpoint {where} refused the query: HTTP {exc.code}{hint}: {body}") from None
        raise QueryError(f"the endpoint {where} refused the query: HTTP {exc.code}: {body}") from None
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        raise QueryError(f"cannot reach the endpoint {where}: {one_line(reason)}") from None
    except (ValueError, http.client.HTTPException) as exc:
        raise QueryError(f"the endpoint URL {where} is not valid: {one_line(exc)}") from None
    except Exception as exc:  # noqa: BLE001 - anything else a library raised, as one line
        raise QueryError(f"the query to {where} failed: {type(exc).__name__}: {one_line(exc)}") from None


def _term(value, where: str) -> dict:
    if not isinstance(value, dict) or not isinstance(value.get("value"), str) or value.get("type") not in (
            "uri", "literal", "typed-literal", "bnode"):
        raise QueryError(f"the endpoint {where} sent a binding that is not an RDF term: {str(value)[:100]}")
    out = {k: v for k, v in value.items() if k in ("type", "value", "datatype", "xml:lang")}
    if out["type"] == "typed-literal":
        out["type"] = "literal"
    if out.get("datatype") == "http://www.w3.org/2001/XMLSchema#string":
        del out["datatype"]
    return out


_VARNAME = re.compile(r"[^\W][\w\u00b7\u0300-\u036f\u203f-\u2040]*")  # SPARQL's VARNAME, roughly


def parse_results(raw: bytes, where: str = "the endpoint") -> Result:
    """A :class:`Result` from SPARQL 1.1 JSON results; anything else raises :class:`QueryError`."""
    not_results = f"the endpoint {where} did not answer with SPARQL JSON results"
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise QueryError(f"{not_results} (it sent: {one_line(raw[:80])!r})") from None
    if not isinstance(data, dict):
        raise QueryError(not_results)
    if "boolean" in data:
        if not isinstance(data["boolean"], bool):
            raise QueryError(f"{not_results}: boolean is not true or false")
        return Result([], [], data["boolean"])
    head, results = data.get("head"), data.get("results")
    if not isinstance(head, dict) or not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
        raise QueryError(f"{not_results}: no head and results.bindings")
    variables = head.get("vars", [])
    if not isinstance(variables, list) or not all(isinstance(v, str) and _VARNAME.fullmatch(v) for v in variables):
        raise QueryError(f"{not_results}: head.vars is not a list of variable names")
    rows = []
    for b in results["bindings"]:
        if not isinstance(b, dict):
            raise QueryError(f"{not_results}: a binding is not an object")
        rows.append({str(k): _term(v, where) for k, v in b.items()})
    return Result(variables, rows)
