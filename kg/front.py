"""The served endpoint: a SPARQL 1.1 Protocol server that is safe to run on a workstation.

:class:`FrontServer` (the standard library's ``ThreadingHTTPServer``) answers

* ``GET /query?query=...`` and ``POST /query`` (form-encoded, or ``application/sparql-query``), the
  SPARQL 1.1 Protocol, with content negotiation (``Accept``): SPARQL JSON, XML, CSV and TSV results;
  Turtle, N-Triples, RDF/XML, JSON-LD, N-Quads and TriG graphs, all serialized by Oxigraph;
* ``/`` the query page (``kg/static/query-page.html`` when present, else a minimal page),
  ``/static/...`` the files of ``kg/static/``, ``/site/...`` the site in ``build/site/``, and
  ``GET /api/queries`` the named questions as JSON for the page.

The request forms, the protocol's dataset (``default-graph-uri``, ``named-graph-uri``) and the
negotiation are read by :mod:`kg.serve_protocol`, as the protocol says.

What makes it safe: every query is checked by :func:`kg.guard.check_query` (no ``SERVICE``, no
update: ``/update`` and update texts answer 403; ``FROM`` and the protocol's graphs may name any
graph, since Oxigraph reads only its store and a graph it does not hold is empty); each
query runs in a forked worker that is killed at the deadline, and a query that runs out of time
answers HTTP 503 with a message, never 200 with a truncated body (the whole body is produced before
the status is sent); at most ``workers`` queries run at once; no CORS header unless an origin is
given; bound to loopback by default, where requests naming another host (DNS rebinding) are refused.
"""

from __future__ import annotations

import json
import mimetypes
import os
import select
import signal
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from kg.bounded import leash_worker
from kg.guard import RemoteAccessError, UpdateRefused, check_query
from kg.serve_protocol import (
    GRAPH_TYPES,
    RESULT_TYPES,
    ProtocolError,
    accept_ranges,
    choose,
    graph_terms,
    query_request,
)
from kg.store import QueryError

__all__ = ["FrontServer", "make_server", "queries_json", "STATIC_DIR", "negotiate", "LOOPBACK"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
LOOPBACK = ("127.0.0.1", "::1", "localhost")
MAX_BODY = 256 * 1024 * 1024
MAX_REQUEST = 1024 * 1024
#: Connections a server serves at once (a thread each); one more is answered 503 and closed (FrontServer).
MAX_CONNECTIONS = 64
_BUSY_TEXT = b"the server is serving as many connections as it takes; try again in a moment\n"
BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 1\r\n"
        b"Connection: close\r\nContent-Length: " + str(len(_BUSY_TEXT)).encode() + b"\r\n\r\n" + _BUSY_TEXT)
PLACEHOLDER = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>kzkg SPARQL endpoint</title></head>
<body><h1>kzkg SPARQL endpoint</h1><p>Read-only SPARQL 1.1 endpoint at <code>/query</code>.
Named questions: <a href="/api/queries">/api/queries</a>.</p>
<form method="post" action="/query"><textarea name="query" rows="12" cols="90">SELECT * WHERE { ?s ?p ?o } LIMIT 10</textarea>
<br><button type="submit">Run</button></form></body></html>
"""


def negotiate(accept: str | None) -> list[str]:
    """Media types of an ``Accept`` header with ``q`` above 0, best first (``q`` order, then header
    order); see :func:`kg.serve_protocol.choose` for the choice itself. Raises
    :class:`kg.serve_protocol.ProtocolError` for a malformed ``q``."""
    ranges = accept_ranges(accept)
    return [m for i, (m, q) in sorted(enumerate(ranges), key=lambda t: (-t[1][1], t[0])) if q > 0]


def _run_child(store, text: str, ranges: list, wfd: int, default_graph, named_graphs, memory_mb: int) -> None:
    """In the forked worker: run, serialize, write ``OK media\\n`` + body, or ``ERR status message\\n``."""
    import faulthandler
    import resource

    import pyoxigraph as ox

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    faulthandler.disable()
    out = os.fdopen(wfd, "wb", buffering=1 << 16)
    try:
        if memory_mb:
            with open("/proc/self/statm") as fh:
                limit = int(fh.read().split()[0]) * resource.getpagesize() + memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        answer = store.query(text, **graph_terms(default_graph, named_graphs))  # the protocol's dataset, if given
        if isinstance(answer, ox.QueryTriples):
            media = choose(ranges, GRAPH_TYPES)
            fmt = getattr(ox.RdfFormat, GRAPH_TYPES[media]) if media else None
        else:
            media = choose(ranges, RESULT_TYPES)
            fmt = getattr(ox.QueryResultsFormat, RESULT_TYPES[media]) if media else None
        if fmt is None:
            out.write(f"ERR 406 no acceptable format for this result: ask for one of "
                      f"{', '.join(GRAPH_TYPES if isinstance(answer, ox.QueryTriples) else RESULT_TYPES)}\n".encode())
        else:
            out.write(f"OK {media}\n".encode())
            answer.serialize(out, fmt)
    except SyntaxError as exc:
        out.write(f"ERR 400 SPARQL syntax error: {' '.join(str(exc).split())}\n".encode())
    except MemoryError:
        out.write(f"ERR 503 the query needed more than {memory_mb} MB and was stopped\n".encode())
    except Exception as exc:  # the engine's evaluation errors
        out.write(f"ERR 400 query failed: {' '.join(str(exc).split())[:500]}\n".encode())
    finally:
        try:
            out.flush()
        except OSError:
            pass


def queries_json() -> list[dict]:
    """The named questions for the query page: name, summary, parameters and text."""
    from kg.query import load_queries

    return [{"name": q.name, "summary": q.summary, "text": q.text,
             "params": [{"name": p.name, "type": p.type, "description": p.description, "default": p.default,
                         "required": p.required} for p in q.params]}
            for q in load_queries().values()]


class FrontServer(ThreadingHTTPServer):
    """The endpoint over a pyoxigraph ``Store`` (see the module docstring for what it refuses).

    ``timeout`` seconds bound each query; ``cors`` is an origin allowed to read answers from a
    browser (``None``: no CORS headers); ``site`` is the folder served under ``/site/``;
    ``client_timeout`` seconds bound each read from a client (a stalled request answers 408 or is closed);
    ``max_connections`` connections are served at once, each on a thread of its own: one more is
    answered 503 at once and closed (clients that open connections and send nothing, or trickle
    their requests, would otherwise start a thread each, without end, for ``client_timeout`` each).
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, store, *, timeout: float = 30.0, cors: str | None = None, allow_remote: bool = False,
                 site: Path | None = None, workers: int = 4, memory_mb: int = 2048, static: Path = STATIC_DIR,
                 client_timeout: float = 30.0, max_connections: int = MAX_CONNECTIONS):
        self.store = store
        self.connections = threading.BoundedSemaphore(max_connections)
        self.client_timeout = client_timeout
        self.query_timeout = timeout
        self.cors = cors
        self.allow_remote = allow_remote
        self.site = site
        self.static = static
        self.memory_mb = memory_mb
        self.slots = threading.BoundedSemaphore(workers)
        self._graphs: set[str] | None = None
        if ":" in address[0]:
            import socket

            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    def process_request(self, request, client_address) -> None:
        """Serve the connection on a thread of its own, or answer 503 and close it when
        ``max_connections`` are served already."""
        if not self.connections.acquire(blocking=False):
            try:
                request.settimeout(1.0)
                request.sendall(BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.connections.release()  # (no thread was started to release it)
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.connections.release()

    def handle_error(self, request, client_address) -> None:
        """One line on standard error for a request that failed (never a traceback); none for a client
        that went away."""
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        from kg.output import one_line

        print(f"kg: warning: a request from {one_line(client_address[0])} failed: {type(exc).__name__}: "
              f"{one_line(' '.join(str(exc).split())[:200])}", file=sys.stderr)

    def graph_names(self) -> set[str]:
        if self._graphs is None:
            self._graphs = {s["g"].value for s in self.store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")}
        return self._graphs

    def run_query(self, text: str, ranges: list, default_graph=None, named_graphs=None) -> tuple[int, str, bytes]:
        """``(status, media type, body)`` of one query, run in a worker killed at the deadline.

        ``ranges`` are the ``Accept`` header's (:func:`kg.serve_protocol.accept_ranges`);
        ``default_graph`` / ``named_graphs`` the protocol's dataset (lists of IRIs, or ``None`` for
        the query's own). ``FROM`` and the protocol's graphs may name any graph: Oxigraph reads only
        its store (a graph it does not hold is empty), so nothing is fetched; ``SERVICE`` would send a
        request and is refused (403) unless remote access is allowed, as is an update.
        """
        try:
            check_query(text, allow_remote=self.allow_remote, check_from=False)
        except UpdateRefused as exc:
            return 403, "text/plain", f"{exc}\n".encode()
        except (RemoteAccessError, QueryError) as exc:
            return 403 if isinstance(exc, RemoteAccessError) else 400, "text/plain", f"{exc}\n".encode()
        deadline = time.monotonic() + self.query_timeout
        if not self.slots.acquire(timeout=self.query_timeout):
            return 503, "text/plain", b"the server is busy with other queries; try again\n"
        try:
            return self._fork(text, ranges, default_graph, named_graphs, deadline)
        finally:
            self.slots.release()

    def _fork(self, text, ranges, default_graph, named_graphs, deadline) -> tuple[int, str, bytes]:
        rfd, wfd = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the worker
            try:
                os.close(rfd)
                leash_worker(parent, deadline - time.monotonic())
                _run_child(self.store, text, ranges, wfd, default_graph, named_graphs, self.memory_mb)
            finally:
                os._exit(0)
        os.close(wfd)
        chunks, size = [], 0
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return 503, "text/plain", (f"the query ran longer than {self.query_timeout:g} s and was stopped; "
                                               "narrow it or add LIMIT\n").encode()
                ready, _, _ = select.select([rfd], [], [], min(left, 0.5))
                if not ready:
                    continue
                chunk = os.read(rfd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_BODY:
                    return 503, "text/plain", f"the answer is larger than {MAX_BODY >> 20} MB; add LIMIT\n".encode()
        finally:
            os.close(rfd)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
        data = b"".join(chunks)
        head, _, body = data.partition(b"\n")
        words = head.decode("utf-8", "replace").split(" ", 2)
        if words[0] == "OK" and len(words) == 2:
            return 200, words[1], body
        if words[0] == "ERR" and len(words) == 3:
            return int(words[1]), "text/plain", (words[2] + "\n").encode()
        return 503, "text/plain", b"the query was stopped before it finished (it probably needed too much memory)\n"


def _host_name(host: str) -> str:
    """The name of a ``Host`` value, without port and brackets, lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]")[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Handler(BaseHTTPRequestHandler):
    server: FrontServer
    server_version = "kzkg"
    sys_version = ""
    timeout = 30  # seconds a client may take to send its request: a stalled one does not hold a thread
    # errors the standard library answers itself (a malformed request line, an over-long header): one
    # line of plain text, as every other error of this server, not an HTML page
    error_content_type = "text/plain; charset=utf-8"
    error_message_format = "%(code)d %(message)s: %(explain)s\n"

    def setup(self) -> None:
        self.timeout = getattr(self.server, "client_timeout", self.timeout)
        super().setup()

    def send_error(self, code, message=None, explain=None):
        """The standard library's own refusals, with what to do: an over-long URL (414) says to POST
        the query. (A method HTTP does not define, such as BREW, stays 501 as RFC 9110 says; those it
        defines are 405 with the methods allowed.)"""
        if code == HTTPStatus.REQUEST_URI_TOO_LONG:
            explain = "send a long query by POST, as application/sparql-query or a form, not in the URL"
        super().send_error(code, message, explain)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    # -- answers -----------------------------------------------------------------------------
    def _send(self, status: int, media: str, body: bytes, extra: dict | None = None) -> None:
        self.send_response(status)
        charset = "; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "xml")) else ""
        self.send_header("Content-Type", media + charset)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        origin = self.headers.get("Origin")
        if self.server.cors and origin and (self.server.cors == "*" or origin == self.server.cors):
            self.send_header("Access-Control-Allow-Origin", self.server.cors)
            self.send_header("Vary", "Origin")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        if self.close_connection and self.request_version != "HTTP/1.0":
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, status: int, message: str, extra: dict | None = None) -> None:
        self._send(status, "text/plain", (message + "\n").encode("utf-8"), extra)

    def _host_ok(self) -> bool:
        bound = self.server.server_address[0]
        if bound not in ("127.0.0.1", "::1"):
            return True
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            return False
        named = [hosts[0]]
        if "://" in self.path.split("?", 1)[0]:  # absolute-form target: its authority is the host asked for
            named.append(urlsplit(self.path).netloc.rsplit("@", 1)[-1])
        return all(_host_name(h) in LOOPBACK for h in named)

    # -- methods -----------------------------------------------------------------------------
    def do_OPTIONS(self):  # noqa: N802 - http.server's naming
        if not self._host_ok():
            return self._text(403, "this server answers only requests addressed to localhost")
        extra = {"Allow": "GET, HEAD, POST, OPTIONS"}
        if self.server.cors:
            extra.update({"Access-Control-Allow-Methods": "GET, POST", "Access-Control-Allow-Headers": "Content-Type, Accept",
                          "Access-Control-Max-Age": "600"})
        self._send(204, "text/plain", b"", extra)

    def do_HEAD(self):  # noqa: N802
        self.do_GET()

    def _read_only(self):
        """PUT, DELETE, PATCH and other methods that would change something: 405, with the methods allowed."""
        if not self._host_ok():
            return self._text(403, "this server answers only requests addressed to localhost")
        self._text(405, f"{self.command} is not allowed: this endpoint is read-only (GET, HEAD, POST of queries, OPTIONS)",
                   {"Allow": "GET, HEAD, POST, OPTIONS"})

    do_PUT = do_DELETE = do_PATCH = do_TRACE = do_CONNECT = _read_only  # noqa: N815

    def do_GET(self):  # noqa: N802
        if not self._host_ok():
            return self._text(403, "this server answers only requests addressed to localhost")
        url = urlsplit(self.path)
        path = unquote(url.path)
        if path in ("/query", "/sparql"):
            return self._query(url.query)
        if path in ("/update", "/store"):
            return self._text(403, "this endpoint is read-only: change the files in graph/ and run kg build")
        if path == "/api/queries":
            try:
                listing = queries_json()
            except QueryError as exc:  # a question file that cannot be read (a FIFO, not UTF-8...): one line
                return self._text(500, f"the named questions cannot be listed: {exc}".splitlines()[0])
            return self._send(200, "application/json", json.dumps(listing, ensure_ascii=False).encode())
        if path in ("/", "/index.html"):
            page = self.server.static / "query-page.html"
            body = page.read_bytes() if page.is_file() else PLACEHOLDER.encode()
            return self._send(200, "text/html", body)
        if path.startswith("/static/"):
            return self._file(self.server.static, path[len("/static/"):])
        if path == "/site":
            return self._send(301, "text/plain", b"", {"Location": "/site/"})
        if path.startswith("/site/") and self.server.site:
            return self._file(self.server.site, path[len("/site/"):])
        self._text(404, f"nothing at {path}; the SPARQL endpoint is /query")

    def do_POST(self):  # noqa: N802
        keep, self.close_connection = self.close_connection, True  # a body left unread would be read as the next request
        if not self._host_ok():
            return self._text(403, "this server answers only requests addressed to localhost")
        url = urlsplit(self.path)
        path = unquote(url.path)
        if path in ("/update", "/store"):
            return self._text(403, "this endpoint is read-only: change the files in graph/ and run kg build")
        if path not in ("/query", "/sparql"):
            return self._text(404, f"nothing to POST at {path}; the SPARQL endpoint is /query")
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._text(411, "send the request body with a Content-Length (chunked bodies are not read)")
        if len(set(self.headers.get_all("Content-Length") or [])) > 1:  # which body is the query? (request smuggling)
            return self._text(400, "the request has two different Content-Length headers: send one")
        declared = (self.headers.get("Content-Length") or "0").strip()
        if not declared.isascii() or not declared.isdigit():  # int() would take +6, 1_0 or ٦: a proxy reads those otherwise
            return self._text(400, "bad Content-Length: give the length of the body in bytes, digits only")
        # a length of 12 digits or more is more than any body drained: int() is not asked for thousands of them
        length = int(declared) if len(declared) < 12 else 1 << 62
        if length < 0 or length > MAX_REQUEST:
            self._drain(length)
            return self._text(413, f"a query may be at most {MAX_REQUEST >> 10} KB: send a shorter one")
        try:
            raw = self.rfile.read(length)
        except TimeoutError:
            return self._text(408, f"the request body did not arrive within {self.timeout} s")
        if len(raw) < length:
            return self._text(400, "the request body is shorter than its Content-Length")
        self.close_connection = keep
        self._query(url.query, raw)

    def _drain(self, length: int) -> None:
        """Read and drop a refused body of up to 16 MB (within the client timeout in all), so that the client,
        still sending it, reads the refusal instead of a broken connection; a larger one is not read."""
        left = length if 0 < length <= 16 * MAX_REQUEST else 0
        deadline = time.monotonic() + self.timeout  # a slow sender holds the thread no longer than one read
        try:
            while left > 0 and time.monotonic() < deadline:
                chunk = self.rfile.read(min(left, 1 << 16))
                if not chunk:
                    break
                left -= len(chunk)
        except (OSError, TimeoutError):
            pass

    def _query(self, url_query: str, body: bytes = b"") -> None:
        """Answer a SPARQL 1.1 Protocol query request (see :mod:`kg.serve_protocol`)."""
        try:
            request = query_request("POST" if self.command == "POST" else "GET", url_query, self.headers, body)
            ranges = accept_ranges(self.headers.get("Accept"))
        except ProtocolError as exc:
            return self._text(exc.status, str(exc))
        status, media, body = self.server.run_query(request.query, ranges, request.default_graphs, request.named_graphs)
        self._send(status, media, body, {"Vary": "Accept"})

    def _file(self, base: Path, relative: str) -> None:
        try:  # a NUL byte, an over-long name, an unreadable file: all "no such file"
            base = base.resolve()
            target = (base / relative).resolve()
            if base != target and base not in target.parents:
                return self._text(404, "no such file")
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                return self._text(404, "no such file")
            body = target.read_bytes()
        except (OSError, ValueError):
            return self._text(404, "no such file")
        media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self._send(200, media, body)


def make_server(nquads: Path, host: str = "127.0.0.1", port: int = 7878, **options) -> FrontServer:
    """A :class:`FrontServer` over the built N-Quads, bound to ``host:port`` (not yet serving).

    Raises :class:`OSError` when the address cannot be bound (the caller says why).
    """
    from kg.store import OxigraphEngine

    # loaded in memory as kg.store loads it (Store.load: bench/SCALE.md, "Loads, sixth pass"); lenient,
    # as kg.store.stage_store loads build/store: these are the build's own N-Quads, which the build
    # loaded strictly for its checks (an invalid IRI stops the build)
    store = OxigraphEngine(Path(nquads), lenient=True).store
    return FrontServer((host, port), store, **options)
