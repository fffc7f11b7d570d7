"""``kg push``: copy the built graph into a remote store, replacing what an earlier push left, and verify it.

* Only ``http`` and ``https`` targets; a URL holding a user name or password is refused (give
  ``--user`` and the password in ``$KG_PUSH_PASSWORD`` or the variable named by ``--password-env``),
  and messages never show credentials.
* Redirects are refused unless ``follow_redirects`` (a redirect could send the data elsewhere).
* One request per graph, which replaces that graph: Graph Store Protocol ``PUT ?graph=IRI`` (and
  ``PUT ?default``), or SPARQL Update ``DROP SILENT GRAPH`` + ``INSERT DATA``. Pushing twice gives
  the same store; blank nodes cannot be split (the build names them, :mod:`kg.skolem`; a graph
  that still has some is sent whole).
* A store that keeps no default graph of its own (Virtuoso: its SPARQL Update refuses ``DROP DEFAULT``
  and its Graph Store endpoint ``?default``) is given ``default_graph``, a named graph that receives
  the default graph's triples; its questions then name it as their default graph
  (``default-graph-uri``, SPARQL 1.1 Protocol).
* Credentials go as HTTP basic authentication (RFC 7617), and as digest authentication (RFC 7616,
  urllib's ``HTTPDigestAuthHandler``) to an endpoint that asks for it, such as Virtuoso's
  ``/sparql-auth``.
* After pushing, the quads of every graph are counted through the query endpoint and compared
  with what was sent; a failure halfway says what landed, and pushing again completes it. A refusal
  (a read-only or wrong URL, credentials, a redirect) says so: before anything was written, that
  nothing was; after, what landed and that the cause must be fixed before pushing again.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from kg.remote import MAX_ANSWER, AnswerTooLarge, DeadlinePassed, one_line, read_within

__all__ = ["PushError", "PushReport", "push", "check_url", "safe_url", "query_endpoint_for", "count_graphs"]

DEFAULT_PASSWORD_ENV = "KG_PUSH_PASSWORD"
CHUNK = 1000  # triples per INSERT DATA: Virtuoso 7.2's SPARQL parser runs out of memory (SP030) near 5,000
COUNT_NAMED = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
COUNT_DEFAULT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


class PushError(Exception):
    """The push was refused or failed; the message says why and what landed.

    ``refused`` is true when the endpoint (or kg push itself) turned the request down for good (a
    read-only or wrong URL, missing or wrong credentials, a redirect not followed): sending it again
    unchanged would be refused again. A failure on the way (no answer, a server error) is not.
    """

    def __init__(self, message: str, refused: bool = False):
        super().__init__(message)
        self.refused = refused


@dataclass
class PushReport:
    """What was sent and what the endpoint holds afterwards (quads per graph; ``""`` is the default graph)."""

    sent: dict[str, int] = field(default_factory=dict)
    landed: dict[str, int] = field(default_factory=dict)

    @property
    def quads(self) -> int:
        return sum(self.sent.values())

    @property
    def complete(self) -> list[str]:
        return [g for g, n in self.sent.items() if self.landed.get(g) == n]

    @property
    def ok(self) -> bool:
        return len(self.complete) == len(self.sent)

    def summary(self) -> str:
        held = sum(min(self.landed.get(g, 0), n) for g, n in self.sent.items())
        return (f"the endpoint holds {held} of the {self.quads} quads sent; {len(self.complete)} of {len(self.sent)} "
                "graphs complete")


def safe_url(url: str) -> str:
    """``url`` without user name or password, for messages."""
    return re.sub(r"^([A-Za-z][\w+.-]*://).*@", r"\1", str(url), flags=re.DOTALL)  # up to the last @: a password may hold / or @


def check_url(url: str, what: str = "--endpoint") -> str:
    """``url`` if it is an http(s) URL without credentials; else :class:`PushError`."""
    try:
        parts = urllib.parse.urlsplit(str(url))
        parts.port  # noqa: B018 - raises ValueError for a bad port
        if re.search(r"[\x00-\x20\x7f-\x9f]", str(url)):
            raise ValueError("white space or a control character")
        if parts.hostname:
            parts.hostname.encode("idna")  # a non-ASCII host name must be a valid international name
    except (ValueError, UnicodeError):
        raise PushError(f"{what} {safe_url(url)!r} is not a URL: give http(s)://HOST[:PORT]/PATH, without spaces "
                        "(write them %20)") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PushError(f"{what} {safe_url(url)!r} is not an http(s) URL: kg push sends the graph to a SPARQL store "
                        "over HTTP, such as http://localhost:7878/store")
    if parts.username is not None or parts.password is not None:
        raise PushError(f"{what} {safe_url(url)} holds a user name or password: give --user NAME and put the "
                        f"password in ${DEFAULT_PASSWORD_ENV} (or the variable named by --password-env)")
    if "#" in str(url):  # never sent: '?default' and '?graph=' appended after it would be lost in it
        raise PushError(f"{what} {one_line(safe_url(url))} holds a fragment (#...), which HTTP never sends: "
                        "give the URL without it")
    return url


_QUERY_BESIDE = {"/store": "/query", "/update": "/query", "/data": "/query", "/statements": "/query",
                 "/sparql-auth": "/sparql", "/sparql": "/sparql", "/sparql-graph-crud-auth": "/sparql",
                 "/sparql-graph-crud": "/sparql"}
"""Where a store answers queries, from the tail of its Graph Store or Update URL: Oxigraph (``/store``,
``/update``), Fuseki (``/DATASET/data``, ``/DATASET/update``), RDF4J (``/statements``), Virtuoso
(``/sparql-auth``, ``/sparql-graph-crud-auth`` and their open twins: queries at ``/sparql``), and a
store that takes updates at its query URL (``/sparql``)."""


def query_endpoint_for(endpoint: str) -> str | None:
    """The query URL beside a Graph Store or Update URL (:data:`_QUERY_BESIDE`), or ``None`` when the URL's
    path ends in none of those tails."""
    base = endpoint.partition("?")[0]
    path = urllib.parse.urlsplit(base).path
    for tail, query in _QUERY_BESIDE.items():
        if path.endswith(tail):
            return base[: -len(tail)] + query
    return None


def _credentials(user: str, password: str) -> bytes:
    """``user:password`` in UTF-8 for HTTP basic authentication (RFC 7617); :class:`PushError` for a user
    name holding ``:`` or a control character, or either one not valid Unicode text."""
    if ":" in user or re.search(r"[\x00-\x1f\x7f]", user):
        raise PushError(f"--user {one_line(user)!r}: a user name for HTTP basic authentication holds no ':' and "
                        "no control character")
    if re.search(r"[\x00-\x1f\x7f]", password):
        raise PushError("the password holds a control character (a line break?): set the variable to the password alone")
    try:
        return f"{user}:{password}".encode("utf-8")
    except UnicodeEncodeError:
        raise PushError("--user or the password is not valid text in this locale (bytes that are not UTF-8): "
                        "set them as UTF-8") from None


def _ascii_url(url: str) -> str:
    """``url`` as HTTP sends it: an international host name in IDNA (``xn--``), other non-ASCII percent-encoded."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if host.isascii() and url.isascii():
        return url
    netloc = host.encode("idna").decode("ascii") if not host.isascii() else host
    netloc = f"[{netloc}]" if ":" in netloc else netloc
    if parts.port is not None:
        netloc += f":{parts.port}"
    quote = lambda text: urllib.parse.quote(text, safe="/?&=%:@!$'()*+,;~-._")  # noqa: E731
    return urllib.parse.urlunsplit((parts.scheme, netloc, quote(parts.path), quote(parts.query), quote(parts.fragment)))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise PushError(f"{safe_url(req.full_url)} answered with a redirect (HTTP {code}) to {safe_url(newurl)}; kg push "
                        "does not follow redirects, which could send the graph elsewhere: use that URL, or --follow-redirects")


class _Passwords(urllib.request.HTTPPasswordMgr):
    """The one user name and password of a push, for whichever realm and URL asks (the URLs kg push
    talks to are the ones it was given, or redirect targets the user allowed)."""

    def __init__(self, user: str, password: str):
        super().__init__()
        self.pair = (user, password)

    def find_user_password(self, realm, authuri):
        return self.pair


class _DigestAuth(urllib.request.HTTPDigestAuthHandler):
    """urllib's digest authentication (RFC 7616) with user names and passwords in UTF-8: urllib encodes
    them as ASCII, so that a password with a letter such as "ä" failed with a UnicodeEncodeError inside
    the handler. ASCII credentials give the same hashes as before. Algorithms: MD5 and SHA, as urllib's."""

    def get_algorithm_impls(self, algorithm):
        import hashlib

        digests = {"MD5": hashlib.md5, "SHA": hashlib.sha1}
        if algorithm not in digests:
            return super().get_algorithm_impls(algorithm)  # (urllib's error for an algorithm it does not know)
        digest = digests[algorithm]

        def h(text: str) -> str:
            return digest(text.encode("utf-8")).hexdigest()

        return h, lambda secret, data: h(f"{secret}:{data}")


class _Client:
    def __init__(self, user, password, timeout, follow_redirects):
        self.writes = 0  # write requests the endpoint accepted (a graph, or a part of one)
        self.timeout = timeout
        self.follow = follow_redirects
        handlers = [_NoRedirect()]
        self.auth = None
        if user:
            token = base64.b64encode(_credentials(user, password or "")).decode()
            self.auth = f"Basic {token}"
            # an endpoint that asks for digest authentication (Virtuoso's /sparql-auth) gets it on its challenge;
            # the digest header urllib adds replaces the basic one sent first (unredirected headers win)
            self.challenged = False  # True once basic authentication sent unasked was turned down: see send
            handlers.append(_DigestAuth(_Passwords(user, password or "")))
        self.opener = urllib.request.build_opener(*handlers)

    def send(self, method: str, url: str, body: bytes | None, content_type: str | None, accept: str | None = None) -> bytes:
        for _ in range(5):
            req = urllib.request.Request(_ascii_url(url), data=body, method=method)
            if content_type:
                req.add_header("Content-Type", content_type)
            if accept:
                req.add_header("Accept", accept)
            if self.auth and not self.challenged:
                req.add_header("Authorization", self.auth)
            try:  # within --timeout in all: a socket timeout alone restarts at every byte a server trickles
                return read_within(lambda req=req: self.opener.open(req, timeout=self.timeout), self.timeout)
            except DeadlinePassed:
                raise PushError(f"{safe_url(url)} did not answer in full within {self.timeout:g} s (--timeout, per "
                                "request); try later or give a longer --timeout") from None
            except AnswerTooLarge:
                raise PushError(f"{safe_url(url)} answered more than {MAX_ANSWER >> 20} MB, which no store sends to a "
                                "write or a count: is it the store's URL?", refused=True) from None
            except urllib.error.HTTPError as exc:
                location = exc.headers.get("Location") if exc.headers else None
                if exc.code in (301, 302, 303, 307, 308) and location:
                    target = urllib.parse.urljoin(url, location)
                    if not self.follow:
                        raise PushError(f"{safe_url(url)} answered with a redirect (HTTP {exc.code}) to {safe_url(target)}; "
                                        "kg push does not follow redirects, which could send the graph elsewhere: use "
                                        "that URL, or --follow-redirects", refused=True) from None
                    try:
                        url = check_url(target, "the redirect target")
                    except PushError as bad:
                        raise PushError(str(bad), refused=True) from None
                    continue
                challenge = (exc.headers.get("WWW-Authenticate") or "") if exc.headers else ""
                if exc.code == 401 and self.auth and not self.challenged and not challenge:
                    # basic credentials sent unasked, turned down without a challenge (Virtuoso's /sparql-auth
                    # answers so): ask again without them, so that the endpoint says which scheme it wants
                    # (digest, which the opener's handler answers), for this and every later request
                    self.challenged = True
                    continue
                detail = one_line(exc.read(2000), 300) if exc.fp else ""
                if exc.code in (401, 403):
                    hint = ("; check --user and the password variable" if self.auth else
                            "; it takes no writes without credentials, or none at all (a read-only endpoint): "
                            "give --user NAME if it has accounts")
                elif exc.code == 405:
                    hint = f"; it takes no {method} at this URL: give its Graph Store (--method gsp) or Update (--method update) URL"
                else:
                    hint = ""
                # a client error is the endpoint's answer to this request, which sent again would get it again;
                # a timeout (408), too many requests (429) and server errors (5xx) may pass on another try
                refused = 400 <= exc.code < 500 and exc.code not in (408, 429)
                raise PushError(f"{safe_url(url)} answered HTTP {exc.code}{hint}: {detail}", refused) from None
            except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException, UnicodeError) as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, (BrokenPipeError, ConnectionResetError)) and body:
                    why = ("is it a read-only endpoint, or the query URL? or one that wants digest authentication "
                           "before the body, as Virtuoso's Graph Store: use its SPARQL Update URL with --method update"
                           if self.auth else "is it a read-only endpoint, or the query URL?")
                    raise PushError(f"{safe_url(url)} closed the connection while the graph was being sent (it refused "
                                    f"the {method} before reading it: {why})", refused=True) from None
                raise PushError(f"cannot reach {safe_url(url)}: {one_line(reason)}") from None
        raise PushError(f"{safe_url(url)}: too many redirects", refused=True)


def _graphs(nquads: Path) -> dict[str, list]:
    import pyoxigraph as ox

    graphs: dict[str, list] = {}
    try:
        for quad in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
            name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
            graphs.setdefault(name, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
    except (OSError, SyntaxError, ValueError) as exc:
        raise PushError(f"{nquads} cannot be read ({' '.join(str(exc).split())[:200]}): run kg build") from None
    return graphs


def _ntriples(triples) -> bytes:
    import pyoxigraph as ox

    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def count_graphs(client: _Client, query_url: str) -> dict[str, int]:
    """Quads per graph at the query endpoint (``""`` the default graph)."""
    from kg.remote import parse_results
    from kg.store import QueryError

    counts = {}
    try:
        for text in (COUNT_NAMED, COUNT_DEFAULT):
            # query via URL-encoded POST (SPARQL 1.1 Protocol 2.1.2), which every endpoint takes; Virtuoso 7.2
            # answers a direct POST (application/sparql-query) without closing or delimiting its answer
            body = urllib.parse.urlencode({"query": text}).encode("ascii")
            raw = client.send("POST", query_url, body, "application/x-www-form-urlencoded", "application/sparql-results+json")
            for row in parse_results(raw, safe_url(query_url)).rows:
                counts[row["g"]["value"] if "g" in row else ""] = int(row["n"]["value"])
    except QueryError as exc:
        raise PushError(str(exc)) from None
    except (KeyError, ValueError) as exc:
        raise PushError(f"{safe_url(query_url)} did not answer the count with a number ({one_line(exc, 100)}): is it "
                        "the query endpoint of the store? give --query-endpoint URL") from None
    return counts


def push(nquads: Path, endpoint: str, method: str = "gsp", *, query_url: str | None = None, user: str | None = None,
         password: str | None = None, timeout: float = 60.0, follow_redirects: bool = False, verify: bool = True,
         progress=None, default_graph: str | None = None) -> PushReport:
    """Replace, graph by graph, the target's copy of the built graph, then count what landed.

    ``method``: ``gsp`` (``endpoint`` is a Graph Store Protocol URL such as Oxigraph's ``/store`` or
    Fuseki's ``/DATASET/data``) or ``update`` (a SPARQL Update URL). ``query_url`` defaults to the
    query URL beside ``endpoint``. ``default_graph``: the IRI of a named graph that receives the default
    graph's triples, for a store that keeps no default graph of its own (Virtuoso); the report then
    counts them under that IRI. ``timeout``: the seconds each request may take in all, its answer read
    whole (a server trickling bytes is cut). Returns a :class:`PushReport`; raises :class:`PushError` for a
    refused target, or a failure (saying what landed; its ``refused`` tells a refusal, after which
    pushing again unchanged would be refused again, from a failure on the way).
    """
    check_url(endpoint)
    if method not in ("gsp", "update"):
        raise PushError(f"unknown push method {method!r}: gsp or update")
    query_url = query_url or query_endpoint_for(endpoint)
    if verify:
        if not query_url:
            raise PushError(f"cannot tell the query URL of {safe_url(endpoint)}: give --query-endpoint URL, so that "
                            "kg push can count what landed")
        check_url(query_url, "--query-endpoint")
    client = _Client(user, password, timeout, follow_redirects)
    graphs = _graphs(nquads)
    if default_graph is not None:
        _check_graph_iri(default_graph)
        if default_graph in graphs:
            raise PushError(f"--default-graph {one_line(default_graph)}: the build already has a named graph of that "
                            "name; choose another IRI")
        graphs[default_graph] = graphs.pop("", [])
    report = PushReport(sent={g: len(t) for g, t in graphs.items()})
    done = 0
    try:
        for name in sorted(graphs):
            try:
                _send_graph(client, endpoint, method, name, graphs[name])
            except PushError as exc:
                if name or not exc.refused:
                    raise
                raise PushError(f"{exc} (if this store keeps no default graph of its own, as Virtuoso, give "
                                "--default-graph IRI: the default graph's triples then go to that named graph)",
                                refused=True) from None
            done += 1
            if progress:
                progress(done, len(graphs))
    except PushError as exc:
        raise PushError(_stopped(exc, client, report, done, query_url if verify else None), exc.refused) from None
    if verify:
        report.landed = count_graphs(client, query_url)
    return report


def _check_graph_iri(iri: str) -> None:
    """:class:`PushError` unless ``iri`` is an absolute IRI (:func:`kg.iris.is_absolute_iri`)."""
    from kg.iris import is_absolute_iri

    if not is_absolute_iri(iri):
        raise PushError(f"--default-graph {one_line(iri)!r} is not an absolute IRI: give one such as "
                        "https://w3id.org/kzkg/graph/default")


def _stopped(exc: PushError, client: _Client, report: PushReport, done: int, query_url: str | None) -> str:
    """What to say when sending stopped at graph ``done`` with ``exc``: one message whose parts agree.

    A refusal before anything was written changed nothing: it says so, and neither counts nor asks
    to push again as it was. Otherwise what the endpoint holds is counted (through ``query_url``,
    when verifying) and told against the whole push; after a refusal the cause must be fixed first,
    after a failure on the way pushing again completes it (it replaces graph by graph).
    """
    total = len(report.sent)
    if exc.refused and not client.writes:
        return f"push refused, nothing was written: {exc}"
    landed = ""
    if query_url:
        try:
            report.landed = count_graphs(client, query_url)
            held = sum(min(report.landed.get(g, 0), n) for g, n in report.sent.items())
            already = (f" (the {total - done} not replaced held as many quads already)"
                       if report.ok and done < total else "")
            landed = (f"; the endpoint holds {held} of the {report.quads} quads of the build, {len(report.complete)} "
                      f"of {total} graphs complete{already}")
        except PushError:
            landed = "; what landed could not be counted"
    what = "push refused" if exc.refused else "push stopped"
    again = ("fix what was refused, then run kg push again to replace every graph" if exc.refused else
             "run kg push again to complete it (it replaces graph by graph)")
    return f"{what} after {done} of {total} graphs were replaced: {exc}{landed}; {again}"


def _send_graph(client: _Client, endpoint: str, method: str, name: str, triples: list) -> None:
    from rdflib import URIRef

    if method == "gsp":
        sep = "&" if "?" in endpoint else "?"
        target = endpoint + sep + ("default" if not name else "graph=" + urllib.parse.quote(name, safe=""))
        client.send("PUT", target, _ntriples(triples), "application/n-triples")
        client.writes += 1
        return
    has_blank = any(t.subject.__class__.__name__ == "BlankNode" or t.object.__class__.__name__ == "BlankNode"
                    for t in triples)
    size = len(triples) if has_blank else CHUNK  # a graph with blank nodes goes whole: never split a node
    for i in range(0, max(len(triples), 1), size):
        body = _ntriples(triples[i:i + size]).decode("utf-8")
        graph = URIRef(name).n3() if name else None
        drop = ("DROP SILENT DEFAULT ;\n" if not name else f"DROP SILENT GRAPH {graph} ;\n") if i == 0 else ""
        insert = f"INSERT DATA {{ {body} }}" if not name else f"INSERT DATA {{ GRAPH {graph} {{\n{body}}} }}"
        client.send("POST", endpoint, (drop + insert).encode("utf-8"), "application/sparql-update")
        client.writes += 1


def password_from_env(variable: str | None, default: str = DEFAULT_PASSWORD_ENV) -> str | None:
    """The password in the environment variable ``variable`` (when ``None``: ``default``, which is
    ``KG_PUSH_PASSWORD`` for kg push; ``KG_ENDPOINT_PASSWORD`` for ``--endpoint``), or ``None``."""
    return os.environ.get(variable or default)
