"""``kg serve`` and ``kg push``: the built graph behind a real SPARQL 1.1 endpoint.

``kg serve`` loads the built graph and answers on 127.0.0.1 through :mod:`kg.front`: a SPARQL 1.1
Protocol endpoint at ``/query`` whose queries are checked (no SERVICE, no foreign FROM, no update)
and run in workers stopped at ``--timeout``, and a query page at ``/``. ``kg push`` copies the built
graph into any store that speaks the SPARQL 1.1 Graph Store Protocol or SPARQL 1.1 Update. The
Oxigraph server helpers (:func:`prepare_store`, :func:`start_server`) remain for tests and for users
who want Oxigraph's own server.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

__all__ = ["register", "oxigraph_binary", "prepare_store", "start_server", "port_free", "push"]


class ServeError(Exception):
    """The server cannot be started or the push failed; the message says why."""


def oxigraph_binary() -> str:
    """The ``oxigraph`` executable installed with the package (beside the Python executable)."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise ServeError("the oxigraph server is not installed: pip install oxigraph (it is a dependency of this project)")
    return found


def port_free(host: str, port: int) -> bool:
    """True when nothing listens on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def prepare_store(nquads: Path, location: Path) -> Path:
    """A fresh on-disk Oxigraph store at ``location`` holding the built graph.

    ``location`` is emptied first, so it may not lie in (or hold) a hand-edited folder of the project
    the N-Quads were built from (``PROJECT/build/kg.nq``) or of the checkout:
    :class:`kg.outputs.OutputRefused`. Raises :class:`ServeError` when oxigraph cannot load the file.
    """
    from kg.outputs import check_not_input

    location = check_not_input(location, Path(nquads).resolve().parent.parent, "the store location", folder=True)
    if location.exists():
        shutil.rmtree(location)
    location.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([oxigraph_binary(), "load", "--location", str(location), "--file", str(nquads)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise ServeError(f"oxigraph could not load {nquads}: {proc.stderr.strip()[:500]}")
    return location


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServeError(f"the server stopped at start (exit {proc.returncode})")
        try:
            with urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise ServeError(f"the server did not answer at {url} within {timeout:.0f} s")


def start_server(location: Path, host: str = "127.0.0.1", port: int = 7878) -> tuple[subprocess.Popen, str]:
    """Start ``oxigraph serve-read-only`` on host:port; return the process and the base URL."""
    if not port_free(host, port):
        raise ServeError(f"port {port} on {host} is already in use: stop what runs there or choose another with --port")
    proc = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(location), "--bind", f"{host}:{port}",
                             "--timeout-s", "60"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://{host}:{port}"
    try:
        wait_until_up(url, proc)
    except ServeError:
        proc.terminate()
        err = proc.stderr.read().decode("utf-8", "replace")[:500] if proc.stderr else ""
        proc.wait(timeout=10)
        raise ServeError(f"the server did not start: {err.strip() or 'no message'}") from None
    return proc, url


def push(nquads: Path, endpoint: str, method: str = "gsp", timeout: float = 60.0) -> int:
    """Load the built graph into a remote store, replacing an earlier push; returns the quads sent.

    See :func:`kg.push.push`, which this calls (and which verifies by counting); raises
    :class:`ServeError` with what landed when the push fails.
    """
    from kg.push import PushError
    from kg.push import push as push_graph

    try:
        report = push_graph(nquads, endpoint, method, timeout=timeout)
    except PushError as exc:
        raise ServeError(str(exc)) from None
    return report.quads


def _built(args) -> tuple[Path, Path]:
    from kg.cli import OK, _root, cmd_build
    from kg.store import built_file, is_stale

    root = _root(args)
    if is_stale(root):
        from kg.buildsafe import stale_reason
        from kg.output import one_line

        print(f"kg: building the graph first ({one_line(stale_reason(root) or 'out of date')})", file=sys.stderr)
        if cmd_build(args, quiet=True) != OK:
            raise SystemExit(1)
    return root, built_file(root)


def serve_message(exc: OSError, host: str, port: int) -> str:
    """One line saying why ``host:port`` cannot be bound, and what to do."""
    import errno

    if exc.errno in (errno.EACCES, errno.EPERM):
        return (f"port {port} needs administrator rights (ports below 1024 are reserved); "
                "choose a port from 1024 to 65535 with --port, such as 7878")
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is already in use: stop what runs there or choose another with --port"
    if exc.errno in (errno.EADDRNOTAVAIL, -2, -3, -5) or isinstance(exc, socket.gaierror):
        return f"cannot listen on {host}: it is not an address of this machine; the default is 127.0.0.1"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def cmd_serve(args) -> int:
    """Serve the built graph through :class:`kg.front.FrontServer` until Ctrl-C or SIGTERM."""
    import threading

    from kg.cli import _fail
    from kg.front import LOOPBACK, make_server

    root, nquads = _built(args)
    site = root / "build" / "site"
    try:
        server = make_server(nquads, args.host, args.port, timeout=args.timeout, cors=args.cors,
                             allow_remote=args.allow_remote, site=site if site.is_dir() else None)
    except OSError as exc:  # every error through _fail: one printable line, whatever the value echoed
        return _fail(serve_message(exc, args.host, args.port), 2)
    except OverflowError:
        return _fail(f"port {args.port} is not a port number: choose one from 1024 to 65535", 2)
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{server.server_address[1]}"
    if args.host not in LOOPBACK:
        print(f"kg: warning: listening on {args.host}: other machines can query this endpoint", file=sys.stderr)
    print(f"SPARQL endpoint: {url}/query   (query page: {url}/)   read-only, queries stopped after {args.timeout:g} s; "
          "Ctrl-C stops", flush=True)
    stop = threading.Event()
    failure: list[BaseException] = []

    def run():
        try:
            server.serve_forever(poll_interval=0.2)
        except BaseException as exc:  # reported below, with a non-zero exit
            failure.append(exc)
        finally:
            stop.set()

    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown() if not failure else None
        server.server_close()
    if failure:
        return _fail(f"the server stopped: {type(failure[0]).__name__}: {failure[0]}", 1)
    print("kg: server stopped", file=sys.stderr)
    return 0


def cmd_push(args) -> int:
    """Push, then print what the endpoint holds; exit 1 when a graph did not land whole, 2 when refused."""
    from kg.cli import _fail
    from kg.push import PushError, check_url, password_from_env, safe_url
    from kg.push import push as push_graph

    try:
        check_url(args.endpoint)
        password = password_from_env(args.password_env)
        if args.user and password is None:
            raise PushError(f"--user {args.user}: put the password in ${args.password_env or 'KG_PUSH_PASSWORD'}")
        _, nquads = _built(args)
        report = push_graph(nquads, args.endpoint, args.method, query_url=args.query_endpoint, user=args.user,
                            password=password, timeout=args.timeout, follow_redirects=args.follow_redirects,
                            default_graph=args.default_graph)
    except PushError as exc:
        return _fail(str(exc), 2)
    from kg.output import one_line

    print(f"pushed {report.quads} quads in {len(report.sent)} graphs to {one_line(safe_url(args.endpoint))} ({args.method}); "
          f"{report.summary()}")
    if not report.ok:
        missing = [g or "(default graph)" for g in report.sent if g not in report.complete][:5]
        return _fail(f"these graphs did not land whole: {', '.join(missing)}; run kg push again", 1)
    return 0


def _port(value: str) -> int:
    import argparse

    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 0 <= port < 65536:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number: choose one from 1024 to 65535")
    return port


def _host(value: str) -> str:
    """A host name or address for ``--host``: letters, digits, dots, hyphens and colons (IPv6), without
    brackets, scheme or port; refused in one line otherwise (a line break would split the messages)."""
    import argparse
    import re

    if re.fullmatch(r"[A-Za-z0-9.\-]{1,253}|[0-9A-Fa-f:.]{2,45}", value):
        return value
    shown = value if len(value) <= 60 else value[:59] + "…"
    raise argparse.ArgumentTypeError(f"{shown!r} is not a host name or address: give one such as 127.0.0.1, ::1 or "
                                     "localhost, without scheme, brackets or port (the port is --port)")


def _origin(value: str) -> str:
    """A web origin for ``--cors``: ``*`` or ``http(s)://HOST[:PORT]``, nothing that could split a header."""
    import argparse
    import re

    if value == "*" or re.fullmatch(r"https?://[A-Za-z0-9.\-]+(:\d{1,5})?|https?://\[[0-9A-Fa-f:.]+\](:\d{1,5})?", value):
        return value
    raise argparse.ArgumentTypeError(f"{value!r} is not an origin: give scheme, host and port only, such as "
                                     "http://localhost:3000 (or * for any page)")


def _seconds(value: str) -> float:
    from kg.cli import _seconds as seconds

    return seconds(value)


def register(sub, add_common, add_query_opts) -> None:
    p = sub.add_parser("serve", help="serve the built graph on a local SPARQL 1.1 endpoint with a query page")
    add_common(p)
    p.add_argument("--host", type=_host, default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=7878, help="port, 1 to 65535, 0 for any free port (default 7878)")
    p.add_argument("--timeout", type=_seconds, default=30.0, help="seconds a query may run before it is stopped (default 30)")
    p.add_argument("--cors", metavar="ORIGIN", type=_origin, help="let web pages of ORIGIN (such as http://localhost:3000) read answers; "
                   "no CORS header by default")
    p.add_argument("--allow-remote", action="store_true", help="allow SERVICE and FROM of graphs outside the dataset")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("push", help="load the built graph into a remote store (Graph Store Protocol or SPARQL Update)")
    add_common(p)
    p.add_argument("--endpoint", required=True, help="Graph Store dataset URL (gsp) or SPARQL Update URL (update)")
    p.add_argument("--method", choices=("gsp", "update"), default="gsp",
                   help="gsp: PUT each graph (Graph Store Protocol); update: DROP and INSERT DATA per graph (default gsp)")
    p.add_argument("--timeout", type=_seconds, default=60.0, help="seconds each request may take in all, answer included (default 60)")
    p.add_argument("--query-endpoint", metavar="URL", help="query URL to count what landed (default: beside --endpoint, "
                   "such as /query for /store or /update)")
    p.add_argument("--user", help="user name for HTTP basic or digest authentication (the password: $KG_PUSH_PASSWORD)")
    p.add_argument("--password-env", metavar="VARIABLE", help="environment variable holding the password "
                   "(default KG_PUSH_PASSWORD); passwords are never accepted on the command line or in the URL")
    p.add_argument("--follow-redirects", action="store_true", help="follow HTTP redirects (refused by default)")
    p.add_argument("--default-graph", metavar="IRI", help="put the default graph's triples into this named graph, for a "
                   "store that keeps no default graph of its own (Virtuoso); query it with default-graph-uri=IRI")
    p.set_defaults(func=cmd_push)
