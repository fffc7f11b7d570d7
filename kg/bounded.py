"""Bounded queries: each query runs in a forked worker process that is killed when its time is up.

An embedded engine runs in native code that neither checks a clock nor sees Ctrl-C, and a cross
product can grow memory by 100 MB a second. So :class:`BoundedEngine` forks the process that holds
the loaded engine (a fork costs a few milliseconds and shares the loaded store copy-on-write), runs
the query in the child, and reads the rows the child streams back through a pipe. When the deadline
passes, or on Ctrl-C, or when the reader stops early, the child is killed (``SIGKILL``): the work
stops and its memory is freed at once. The child's address space is capped too (``RLIMIT_AS``),
so a runaway query ends with a message instead of swapping the machine.

Every query is checked first by :func:`kg.guard.check_query` (no ``SERVICE``, no foreign ``FROM``,
no update) unless remote access is allowed.

Events streamed by :meth:`BoundedEngine.stream`: ``("vars", [names])``, then ``("row", {var: term})``
for each solution, or ``("boolean", bool)`` for ASK. With a ``limit``, only the rows of that page
are sent from the worker, followed by ``("total", N)``: the other rows are counted there, not
serialized.
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import time

from kg.guard import check_query
from kg.store import QueryError, Result

__all__ = ["QueryTimeout", "BoundedEngine", "DEFAULT_TIMEOUT", "DEFAULT_MEMORY_MB", "positive_seconds", "collect", "result_events", "leash_worker", "die_with_parent"]

DEFAULT_TIMEOUT = 30.0
DEFAULT_MEMORY_MB = 2048
_BATCH = 200


class QueryTimeout(QueryError):
    """The query ran past its deadline and was stopped."""


def positive_seconds(value) -> float:
    """``value`` as a number of seconds > 0 (for ``--timeout``); raises ``ValueError`` otherwise."""
    import math

    seconds = float(value)
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"{value!r} is not a positive number of seconds")
    return seconds


def _graph_names(engine) -> set[str]:
    text = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
    if hasattr(engine, "store"):
        return {s["g"].value for s in engine.store.query(text)}
    if hasattr(engine, "dataset"):
        return {str(c.identifier) for c in engine.dataset.graphs()}
    return {row["g"]["value"] for row in engine.query(text).rows}


def _iter_oxigraph(engine, text, bindings):
    import pyoxigraph as ox

    from kg.store import _ox_term, to_oxigraph

    subs = {ox.Variable(k): to_oxigraph(v) for k, v in (bindings or {}).items()}
    try:
        answer = engine.store.query(text, substitutions=subs or None)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    if isinstance(answer, ox.QueryBoolean):
        yield "boolean", bool(answer)
        return
    if not isinstance(answer, ox.QuerySolutions):
        raise QueryError("only SELECT and ASK queries are supported here; use kg build outputs for graphs")
    variables = [v.value for v in answer.variables]
    yield "vars", variables
    for solution in answer:
        yield "row", {name: _ox_term(solution[name]) for name in variables if solution[name] is not None}


def _iter_rdflib(engine, text, bindings):
    from pyparsing import ParseException

    from kg.store import _rdflib_term

    try:
        answer = engine.dataset.query(text, initBindings=bindings or {})
    except ParseException as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    if answer.type == "ASK":
        yield "boolean", bool(answer.askAnswer)
        return
    if answer.type != "SELECT":
        raise QueryError("only SELECT and ASK queries are supported here")
    variables = [str(v) for v in answer.vars]
    yield "vars", variables
    for row in answer:
        yield "row", {k: _rdflib_term(row[k]) for k in variables if row[k] is not None}


def _iter_any(engine, text, bindings):
    """Events of a query on an embedded engine, in this process (no bound)."""
    if hasattr(engine, "store"):
        yield from _iter_oxigraph(engine, text, bindings)
    elif hasattr(engine, "dataset"):
        yield from _iter_rdflib(engine, text, bindings)
    else:
        yield from result_events(engine.query(text, bindings))


def result_events(result):
    """The events of a complete :class:`Result`: ``("boolean", b)``, or ``("vars", names)`` then one
    ``("row", row)`` per row, as a streaming engine yields them."""
    if result.boolean is not None:
        yield "boolean", result.boolean
        return
    yield "vars", result.variables
    for row in result.rows:
        yield "row", row


def _child(engine, text, bindings, wfd: int, memory_mb: int, allow_remote: bool, limit: int | None = None,
           offset: int = 0) -> None:
    """Run in the forked worker: stream events as JSON lines to ``wfd`` (with ``limit``, the rows of
    that page and then the total), then exit."""
    import faulthandler

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent kills us; no traceback from here
    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        if memory_mb:
            with open("/proc/self/statm") as fh:
                current = int(fh.read().split()[0]) * resource.getpagesize()
            cap = current + memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (OSError, ValueError):
        pass
    if not allow_remote and hasattr(engine, "dataset"):  # rdflib's engine (already imported: no cost here)
        import rdflib.plugins.sparql

        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # FROM names local graphs only
    out = os.fdopen(wfd, "w", encoding="utf-8", buffering=1 << 16)
    batch: list = []
    seen = 0
    try:
        for kind, value in _iter_any(engine, text, bindings):
            if kind == "row":
                seen += 1
                if limit is not None and not offset < seen <= offset + limit:
                    continue
                batch.append(value)
                if len(batch) >= _BATCH:
                    out.write(json.dumps({"rows": batch}) + "\n")
                    out.flush()
                    batch = []
            else:
                out.write(json.dumps({kind: value}) + "\n")
        if batch:
            out.write(json.dumps({"rows": batch}) + "\n")
        if limit is not None:
            out.write(json.dumps({"total": seen}) + "\n")
        out.write('{"done": true}\n')
        out.flush()
    except QueryError as exc:
        out.write(json.dumps({"error": str(exc)}) + "\n")
        out.flush()
    except MemoryError:
        out.write(json.dumps({"error": f"the query needed more than {memory_mb} MB and was stopped; narrow it or add LIMIT"}) + "\n")
        out.flush()
    except BrokenPipeError:
        pass
    except Exception as exc:  # rdflib raises many kinds while evaluating
        message = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
        if getattr(engine, "name", "") == "rdflib":  # a limit of rdflib's SPARQL engine, not of the query
            message = (f"rdflib's engine failed on this query ({message}); the default engine answers it: "
                       "leave out --engine rdflib")
        else:
            message = f"query failed: {message}"
        try:
            out.write(json.dumps({"error": message}) + "\n")
            out.flush()
        except BrokenPipeError:
            pass


def _prctl(option: int, value: int) -> bool:
    """Call Linux's ``prctl(option, value, 0, 0, 0)``; True if it returned 0.

    Through ``_ctypes``' own calls (the C module under :mod:`ctypes`, about 1 ms to import) when
    this Python has them, else through :mod:`ctypes` (3 to 5 ms to import and set up its types:
    ``python -X importtime -c "import ctypes"``), which a cold ``kg query`` pays in its worker.
    Returns False when neither can make the call. Raises nothing."""
    try:
        import _ctypes

        function = _ctypes.dlsym(_ctypes.dlopen(None, os.RTLD_NOW), "prctl")
        return _ctypes.call_function(function, (option, int(value), 0, 0, 0)) == 0
    except (ImportError, AttributeError, OSError, TypeError, ValueError):
        pass
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(option, int(value), 0, 0, 0) == 0
    except (ImportError, AttributeError, OSError):
        return False


def die_with_parent(parent: int) -> None:
    """In a forked child: ask the kernel to kill it when its parent (pid ``parent``) dies (Linux's
    ``PR_SET_PDEATHSIG``; elsewhere nothing), and leave at once if the parent is already gone.
    Raises nothing."""
    if os.uname().sysname == "Linux":
        _prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(0)


def leash_worker(parent: int, seconds: float) -> None:
    """In a forked query worker: make sure it cannot outlive its parent nor its deadline.

    ``parent`` is the pid of the process that forked it, ``seconds`` the time left until the deadline.
    On Linux the kernel kills the worker when its parent dies (``PR_SET_PDEATHSIG``: a server stopped
    by Ctrl-C, or a ``kg query`` killed with ``SIGTERM``, whose workers would otherwise run on at full
    CPU, orphaned); on every system an alarm ends it a few seconds after the deadline (``SIGALRM``'s
    default action), in case the parent is stopped before it can kill it. Raises nothing.
    """
    die_with_parent(parent)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(max(1, min(int(seconds) + 5, 10**8)))  # alarm() takes an unsigned int: --timeout 1e308 fits too


class BoundedEngine:
    """An embedded engine whose queries run in a killed-on-deadline worker process.

    ``engine`` is an opened engine of :mod:`kg.store`; ``timeout`` seconds (> 0) bound each query,
    Ctrl-C included; ``memory_mb`` caps the memory a query may add (0: no cap). Other attributes are
    those of the wrapped engine. Raises :class:`QueryTimeout` past the deadline and
    :class:`QueryError` (or :class:`kg.guard.RemoteAccessError`) otherwise.
    """

    def __init__(self, engine, timeout: float = DEFAULT_TIMEOUT, *, allow_remote: bool = False,
                 memory_mb: int = DEFAULT_MEMORY_MB):
        self.engine = engine
        try:
            self.timeout = positive_seconds(timeout)
        except (TypeError, ValueError):
            raise QueryError(f"--timeout {timeout!r}: give a positive number of seconds, such as 30 or 0.5") from None
        self.allow_remote = allow_remote
        self.memory_mb = memory_mb
        self._graphs: set[str] | None = None

    def __getattr__(self, name):
        return getattr(self.engine, name)

    @property
    def name(self) -> str:
        return self.engine.name

    def graph_names(self) -> set[str]:
        """The named graphs of the local dataset (what FROM / FROM NAMED may name)."""
        if self._graphs is None:
            self._graphs = _graph_names(self.engine)
        return self._graphs

    def check(self, text: str):
        return check_query(text, allow_remote=self.allow_remote, local_graphs=self.graph_names)

    def query(self, text: str, bindings: dict | None = None, *, limit: int | None = None,
              offset: int = 0) -> Result:
        """Run a query to the end and return its :class:`Result` (see :func:`collect`); ``limit``
        rows from ``offset`` (all when ``limit`` is None), with the total. The worker sends only the
        rows of the page."""
        from kg.store import page

        if limit is None:
            return page(collect(self.stream(text, bindings)), limit, offset)
        result = collect(self.stream(text, bindings, limit=limit, offset=offset))
        result.offset = offset
        return result

    def stream(self, text: str, bindings: dict | None = None, *, limit: int | None = None, offset: int = 0):
        """Check, then run a query in a worker; yield its events as they arrive (with ``limit``, the
        rows ``offset`` to ``offset + limit`` and then ``("total", N)``)."""
        self.check(text)
        if not hasattr(os, "fork"):  # pragma: no cover - no fork on this platform: unbounded
            from kg.output import paged

            state: dict = {}
            yield from paged(_iter_any(self.engine, text, bindings), limit, offset, state) if limit is not None else \
                _iter_any(self.engine, text, bindings)
            if limit is not None:
                yield "total", state["total"]
            return
        rfd, wfd = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the worker; measured through the parent
            os.close(rfd)
            try:
                leash_worker(parent, self.timeout)
                _child(self.engine, text, bindings, wfd, self.memory_mb, self.allow_remote, limit, offset)
            finally:
                os._exit(0)
        os.close(wfd)
        yield from self._read(pid, rfd, time.monotonic() + self.timeout)

    def _read(self, pid: int, rfd: int, deadline: float):
        buffer = b""
        finished = False
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped; narrow it, "
                                       "add LIMIT, or give a longer --timeout")
                ready, _, _ = select.select([rfd], [], [], min(left, 0.5))
                if not ready:
                    continue
                chunk = os.read(rfd, 1 << 16)
                if not chunk:
                    break
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    message = json.loads(line)
                    if "rows" in message:
                        for row in message["rows"]:
                            yield "row", row
                    elif "vars" in message:
                        yield "vars", message["vars"]
                    elif "boolean" in message:
                        yield "boolean", message["boolean"]
                    elif "total" in message:
                        yield "total", message["total"]
                    elif "error" in message:
                        raise QueryError(message["error"])
                    elif "done" in message:
                        finished = True
            if not finished:
                _, status = os.waitpid(pid, 0)
                pid = 0
                if os.WIFSIGNALED(status):
                    raise QueryError(f"the query was stopped by signal {os.WTERMSIG(status)}: it probably needed more than "
                                     f"{self.memory_mb} MB; narrow it or add LIMIT")
                raise QueryError("the query worker stopped without an answer")
        finally:
            os.close(rfd)
            if pid:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                os.waitpid(pid, 0)


def collect(events) -> Result:
    """A :class:`Result` holding every event of a stream (its ``total`` from a ``("total", N)`` event)."""
    variables: list[str] = []
    rows: list[dict] = []
    total = None
    for kind, value in events:
        if kind == "boolean":
            return Result([], [], bool(value))
        if kind == "vars":
            variables = value
        elif kind == "total":
            total = value
        else:
            rows.append(value)
    return Result(variables, rows, total=total)
