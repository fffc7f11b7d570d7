"""The SPARQL 1.1 Protocol's query operation as ``kg serve`` reads it: request forms, dataset, formats.

https://www.w3.org/TR/sparql11-protocol/ section 2.1 defines three forms of a query request, and
:func:`query_request` reads each into a :class:`QueryRequest` or refuses it with the status the
protocol (and HTTP) gives, and one line saying what to send instead:

* ``GET`` with ``query`` (exactly one), ``default-graph-uri`` and ``named-graph-uri`` (0 or more) in
  the URL; ``POST`` of ``application/x-www-form-urlencoded`` with the same parameters in the body
  (and, as the W3C tests do, in the URL); ``POST`` of ``application/sparql-query`` with the query as
  the body and the graph parameters in the URL. Bodies are UTF-8: another ``charset`` or a
  ``Content-Encoding`` is 415, a body that is not UTF-8 is 400, a form without a type is 415;
* the dataset given by ``default-graph-uri`` / ``named-graph-uri`` replaces the one of the query's
  ``FROM`` / ``FROM NAMED``, exactly (section 2.1.4; Oxigraph's server reads it so too): the default
  graph is the merge of the graphs named, and only the graphs named by ``named-graph-uri`` are named
  graphs. A graph the store does not hold is an empty graph (nothing is ever fetched: the engine
  has no way to). The dataset's own default graph is named :data:`DEFAULT_GRAPH_IRI`, the IRI
  under which ``kg push`` and the README load it into other stores; a value that is not an
  absolute IRI is 400;
* ``Accept`` is negotiated as HTTP says (:func:`choose`: ``q`` values, ``q=0`` excluding a type,
  the most specific range deciding, ``type/*`` and ``*/*``); nothing acceptable is 406, a malformed
  ``q`` is 400. Without ``Accept``, SPARQL JSON results or Turtle.
"""

from __future__ import annotations

from collections import namedtuple
from urllib.parse import parse_qs

__all__ = ["DEFAULT_GRAPH_IRI", "ProtocolError", "QueryRequest", "accept_ranges", "choose", "params_of",
           "query_request", "graph_terms", "RESULT_TYPES", "GRAPH_TYPES"]

#: The IRI naming the dataset's default graph in ``default-graph-uri`` (as in other stores, README).
DEFAULT_GRAPH_IRI = "https://w3id.org/kzkg/graph/default"
#: Media types of SELECT / ASK results, in the order preferred when several are equally acceptable.
RESULT_TYPES = {
    "application/sparql-results+json": "JSON", "application/sparql-results+xml": "XML", "text/csv": "CSV",
    "text/tab-separated-values": "TSV", "application/json": "JSON", "application/xml": "XML", "text/xml": "XML",
}
#: Media types of CONSTRUCT / DESCRIBE graphs, likewise.
GRAPH_TYPES = {
    "text/turtle": "TURTLE", "application/n-triples": "N_TRIPLES", "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON_LD", "application/n-quads": "N_QUADS", "application/trig": "TRIG",
    "text/plain": "N_TRIPLES",
}
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
MAX_FIELDS = 1000


class ProtocolError(Exception):
    """A request the endpoint refuses: ``status`` (an HTTP code) and a one-line message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class QueryRequest(namedtuple("QueryRequest", "query default_graphs named_graphs")):
    """A query request read: the query text, and the protocol's dataset (two lists of IRIs), or
    ``None, None`` when the request names no graph (the query's own ``FROM``, else the whole store)."""

    __slots__ = ()


def params_of(text: str) -> dict[str, list[str]]:
    """The parameters of a query string or form body (blank values kept).

    Raises :class:`ProtocolError` (400) when a value is not UTF-8 once percent-decoded (never
    replaced silently: the query would change) or there are more than 1,000 fields.
    """
    try:
        return parse_qs(text, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError(400, f"the parameters are not UTF-8 once percent-decoded, or are more than {MAX_FIELDS}: "
                                 "percent-encode the UTF-8 bytes of the query") from None


def _media(value: str | None) -> tuple[str, dict[str, str]]:
    """``(type/subtype, {parameter: value})`` of a ``Content-Type`` value, lower case ('' if none)."""
    fields = [f.strip() for f in (value or "").split(";")]
    params = {}
    for field in fields[1:]:
        key, _, val = field.partition("=")
        params[key.strip().lower()] = val.strip().strip('"').lower()
    return fields[0].lower(), params


def query_request(method: str, url_query: str, headers, body: bytes = b"") -> QueryRequest:
    """Read a query request (``method`` GET, HEAD or POST; ``url_query`` the part of the URL after
    ``?``; ``headers`` an ``email.message.Message``-like mapping; ``body`` the POST body).

    Returns a :class:`QueryRequest`; raises :class:`ProtocolError` with the status of the refusal:
    403 for an update (this endpoint is read-only), 415 for a body of another type, charset or
    coding, 400 for a missing or repeated query, a body or parameter that is not UTF-8, or a graph
    that is not an absolute IRI.
    """
    params = params_of(url_query)
    if method == "POST":
        media, mparams = _media(headers.get("Content-Type"))
        if media == UPDATE:  # an update in a form is refused below, with the update parameter of a GET
            raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is refused")
        if media not in (FORM, DIRECT):
            raise ProtocolError(415, f"send the query as {DIRECT} (the query as the body) or as {FORM} "
                                     "(query=...)" + (f", not {media[:60]}" if media else ""))
        charset = mparams.get("charset", "utf-8")
        if charset not in ("utf-8", "utf8", "us-ascii"):
            raise ProtocolError(415, f"the body is declared as {charset[:40]}: send it as UTF-8 (charset=utf-8)")
        coding = (headers.get("Content-Encoding") or "identity").strip().lower()
        if coding != "identity":
            raise ProtocolError(415, f"the body is sent with Content-Encoding {coding[:40]}: send it uncompressed")
        text = _utf8(body)
        if media == DIRECT:
            if "query" in params:
                raise ProtocolError(400, "the query is the body of this request: do not give it in the URL too")
            params["query"] = [text]
        else:
            for key, values in params_of(text).items():
                params.setdefault(key, []).extend(values)
    if "update" in params:  # the protocol's update operation, by GET or beside a query
        raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is refused")
    queries = params.get("query", [])
    if len(queries) != 1 or not queries[0].strip():
        raise ProtocolError(400, "give exactly one query: /query?query=SELECT... (or POST it as "
                                 f"{DIRECT})" + (f"; this request gives {len(queries)}" if len(queries) > 1 else ""))
    defaults, named = params.get("default-graph-uri"), params.get("named-graph-uri")
    for name, values in (("default-graph-uri", defaults), ("named-graph-uri", named)):
        for value in values or ():
            _check_iri(name, value)
    if defaults is None and named is None:
        return QueryRequest(queries[0], None, None)
    return QueryRequest(queries[0], list(defaults or []), list(named or []))


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"the request body is not UTF-8 (byte {exc.start}): send the query as UTF-8") from None


def _check_iri(name: str, value: str) -> None:
    from kg.iris import is_absolute_iri

    if not is_absolute_iri(value):
        shown = value if len(value) <= 60 else value[:59] + "…"
        raise ProtocolError(400, f"{name} {shown!r} is not an absolute IRI: give a graph's IRI, such as an evidence "
                                 f"graph or {DEFAULT_GRAPH_IRI} (the default graph)")


def graph_terms(default_graphs, named_graphs) -> dict:
    """The keyword arguments of ``pyoxigraph.Store.query`` for a protocol dataset (``{}`` for none):
    :data:`DEFAULT_GRAPH_IRI` stands for the store's default graph."""
    if default_graphs is None and named_graphs is None:
        return {}
    import pyoxigraph as ox

    return {"default_graph": [ox.DefaultGraph() if g == DEFAULT_GRAPH_IRI else ox.NamedNode(g) for g in default_graphs],
            "named_graphs": [ox.NamedNode(g) for g in named_graphs]}


def accept_ranges(header: str | None) -> list[tuple[str, float]]:
    """``(media range, q)`` of an ``Accept`` header, in header order (``[("*/*", 1.0)]`` when absent or
    blank). Raises :class:`ProtocolError` (400) for a ``q`` that is not a number from 0 to 1."""
    if header is None or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        media, params = _media(part)
        if not media:
            continue
        q = 1.0
        if "q" in params:
            try:
                q = float(params["q"])
            except ValueError:
                q = -1.0
            if not 0.0 <= q <= 1.0:
                raise ProtocolError(400, f"the Accept header gives q={params['q'][:20]} for {media[:60]}: "
                                         "a q value is a number from 0 to 1")
        ranges.append((media, q))
    return ranges


def choose(ranges: list[tuple[str, float]], offered) -> str | None:
    """The media type of ``offered`` (in the server's order of preference) that ``ranges`` (see
    :func:`accept_ranges`) accept best, or ``None`` when none is acceptable.

    Each offered type takes the ``q`` of the most specific range that matches it (``type/subtype``,
    then ``type/*``, then ``*/*``), so ``*/*, text/csv;q=0`` excludes CSV; the highest ``q`` above 0
    wins, ties going to the server's order.
    """
    best, best_q = None, 0.0
    for media in offered:
        kind = media.split("/")[0] + "/*"
        q = None
        for wanted in (media, kind, "*/*"):
            found = [rq for rng, rq in ranges if rng == wanted]
            if found:
                q = max(found)
                break
        if q and q > best_q:
            best, best_q = media, q
    return best
