"""Running queries against a remote SPARQL 1.1 endpoint through SPARQLWrapper.

Parameters of a named query are sent as an inline ``VALUES`` block placed first in the query's
top-level ``WHERE`` group, built from RDF terms serialized by rdflib (IRIs checked, literals
escaped): the value can never change the query's structure. Placed first, the block binds the
variables for everything in the group, as the embedded engines' substitution does.
"""

from __future__ import annotations

import json
import re
import urllib.error

from kg.store import QueryError, Result, page

__all__ = ["RemoteEngine", "with_values", "insert_first_in_where"]

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


class RemoteEngine:
    """A SPARQL 1.1 endpoint queried over HTTP, returning the same Result as the embedded engines."""

    name = "remote"

    def __init__(self, endpoint: str, timeout: float = 30.0):
        if not re.match(r"^https?://", endpoint):
            raise QueryError(f"--endpoint {endpoint!r} is not an http(s) URL")
        self.endpoint = endpoint
        self.timeout = timeout

    def query(self, text: str, bindings: dict | None = None, *, limit: int | None = None,
              offset: int = 0) -> Result:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        client = SPARQLWrapper(self.endpoint)
        client.setTimeout(int(self.timeout))
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        client.setQuery(with_values(text, bindings or {}))
        try:
            raw = client.query().response.read()
        except SPARQLWrapperException as exc:
            raise QueryError(f"the endpoint {self.endpoint} refused the query: {str(exc).strip()[:500]}") from exc
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace")[:500]
            raise QueryError(f"the endpoint {self.endpoint} answered HTTP {exc.code}: {body}") from exc
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            raise QueryError(f"cannot reach the endpoint {self.endpoint}: {reason}") from exc
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise QueryError(f"the endpoint {self.endpoint} did not answer with SPARQL JSON results") from exc
        if "boolean" in data:
            return Result([], [], bool(data["boolean"]))
        variables = data["head"].get("vars", [])
        rows = []
        for b in data["results"]["bindings"]:
            row = {}
            for k, v in b.items():
                v = dict(v)
                if v.get("type") == "typed-literal":
                    v["type"] = "literal"
                if v.get("datatype") == "http://www.w3.org/2001/XMLSchema#string":
                    del v["datatype"]
                row[k] = v
            rows.append(row)
        return page(Result(variables, rows), limit, offset)
