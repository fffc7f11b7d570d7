"""The questions of the scale benchmark, run in a long-lived worker process started fresh.

The benchmark used to time each question in a child forked from a parent holding the in-memory
store (1.5 GB at x100): the child paid copy-on-write page faults as it read the store, and the small
questions came out 2 to 10 times slower than in one warm process (groups of one group 2.4 -> 22.7 ms,
bench/SCALE.md). A :class:`QuestionWorker` is a fresh interpreter (multiprocessing "spawn": no page is
shared with the parent) that loads the store itself once, the N-Quads into memory or the on-disk
store opened read-only as ``kg query`` opens it, then runs the questions it is sent one by one,
sending back the seconds, rows and total of each repeat. Measured at x100 in memory, rounds
interleaved (1 December 2026, load average 2.5): groups of one group 4.8 ms in the worker, 20.9 ms in
a child forked from a parent holding the store, 10.6 ms in that parent itself (it pays the faults of
its own pages after each fork); on disk the worker and a child forked from a bare parent agree.

Limits, as the forked children had them: a question (all its repeats) over its time limit is
reported as ``"> N s"``, the worker is killed and the next question starts a new one, which loads the
store again (untimed); the worker's address space is capped (``RLIMIT_AS``), and a worker that dies
(an allocation over the cap aborts native code) is reported as killed and replaced the same way.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["ORIGINAL", "QuestionWorker", "WorkerError", "prepare"]

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = "701cb91"  # the commit holding the questions as written for 29,000 quads


class WorkerError(RuntimeError):
    """The worker could not load its store (within its time limit, or at all)."""


def _original(name: str):
    from kg.query import parse_query_file

    text = subprocess.run(["git", "show", f"{ORIGINAL}:queries/{name}.rq"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout
    tmp = Path(tempfile.gettempdir()) / f"original-{name}.rq"
    tmp.write_text(text, encoding="utf-8")
    return parse_query_file(tmp)


def prepare(variant: str, name: str, params: dict, page: int = 100, queries: Path | None = None):
    """A function ``engine -> Result`` running question ``name`` with ``params``: as ``kg query``
    prints it (``"page"``: the first ``page`` rows and the total, :func:`kg.query.run_named` with a
    limit), its whole answer (``"new"``), or its text at commit :data:`ORIGINAL` (``"original"``:
    parameters bound by pyoxigraph substitutions, an absent one bound to ``kg:any``). ``queries``
    is the folder of the named questions (default ``queries/``). Raises ``KeyError`` for an unknown
    question, :class:`kg.query.QueryError` for a bad file, ``subprocess.CalledProcessError`` when
    the original text is not in git."""
    from kg.query import QUERIES_DIR, bind, get_query, run_named

    if variant == "page":
        query = get_query(name, queries or QUERIES_DIR)
        return lambda engine: run_named(engine, query, params, limit=page)
    if variant == "new":
        query = get_query(name, queries or QUERIES_DIR)
        return lambda engine: run_named(engine, query, params)
    if variant != "original":
        raise ValueError(f"unknown variant {variant!r}: page, new or original")
    old = _original(name)
    return lambda engine: engine.query(old.text, bind(old, params, engine))


def _open(engine: str, source: str):
    from kg.store import OxigraphEngine

    if engine == "memory":  # as the benchmark always loaded it: strict N-Quads, in memory
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(path=source, format=ox.RdfFormat.N_QUADS)
        return OxigraphEngine.from_store(store)
    if engine == "disk":  # the store kg query opens
        return OxigraphEngine.read_only(source)
    raise ValueError(f"unknown engine {engine!r}: memory or disk")


def _serve(conn, engine_name: str, source: str, limit_gb: int, queries: str | None) -> None:
    """The worker's loop: load, say ``("ready", quads, seconds)``, then answer each request
    ``(variant, name, params, repeat, page, answer)`` with ``(status, [(seconds, rows, total), ...],
    result or None)`` until it receives ``None``."""
    if limit_gb:
        resource.setrlimit(resource.RLIMIT_AS, (limit_gb << 30, limit_gb << 30))
    try:
        t = time.perf_counter()
        engine = _open(engine_name, source)
        seconds = time.perf_counter() - t
        quads = len(engine.store)
        # modules run_named imports on its first call: imported here, not inside the first timed run
        import kg.known, kg.paging, kg.remote, kg.search  # noqa: E401, F401
    except BaseException as exc:  # noqa: BLE001  (said to the parent, which raises WorkerError)
        conn.send((f"{type(exc).__name__}: {exc}"[:200], None, None))
        return
    conn.send(("ready", quads, seconds))
    folder = Path(queries) if queries else None
    while (request := conn.recv()) is not None:
        variant, name, params, repeat, page, answer = request
        runs, result = [], None
        try:
            run = prepare(variant, name, params, page, folder)
            for _ in range(repeat):
                t = time.perf_counter()
                result = run(engine)
                runs.append((time.perf_counter() - t, len(result.rows), result.total))
            status = "ok"
        except MemoryError:
            status = "out of memory"
        except Exception as exc:  # report, do not stop the worker
            status = f"error: {exc}"[:80]
        conn.send((status, runs, (result.variables, result.rows) if answer and status == "ok" else None))


class QuestionWorker:
    """A fresh process holding one store (``engine`` ``"memory"``: the N-Quads at ``source`` loaded
    in memory; ``"disk"``: the on-disk store at ``source`` opened read-only), running questions.

    ``limit_gb`` caps the worker's address space (0: no cap), ``load_limit_s`` the seconds it may
    take to load, ``queries`` is the folder of the named questions (default ``queries/``). Use it as
    a context manager, or call :meth:`close`. :meth:`run` starts the worker when none is running.
    """

    def __init__(self, engine: str, source: str | Path, *, limit_gb: int = 8, load_limit_s: float = 600,
                 queries: Path | None = None):
        self.engine, self.source, self.limit_gb, self.load_limit_s = engine, str(source), limit_gb, load_limit_s
        self.queries = str(queries) if queries else None
        self.proc = self.conn = None
        self.quads: int | None = None
        self.load_seconds: float | None = None
        self.starts = 0

    def start(self) -> None:
        """Start the worker and wait until its store is loaded. Raises :class:`WorkerError` when it
        fails to load or takes longer than ``load_limit_s``."""
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, self.engine, self.source, self.limit_gb, self.queries),
                                daemon=True)
        self.proc.start()
        child.close()
        self.starts += 1
        message = None
        try:
            if self.conn.poll(self.load_limit_s):
                message = self.conn.recv()
        except (EOFError, OSError):
            pass
        if not message or message[0] != "ready":
            why = message[0] if message else (f"no store within {self.load_limit_s:.0f} s" if self.proc.is_alive()
                                              else f"exit code {self.proc.exitcode}")
            self._kill()
            raise WorkerError(f"the {self.engine} worker did not load {self.source}: {why}")
        _, self.quads, self.load_seconds = message

    def run(self, variant: str, name: str, params: dict, *, repeat: int = 3, limit_s: float = 60,
            page: int = 100, answer: bool = False) -> dict:
        """Run question ``name`` (variant ``"page"``, ``"new"`` or ``"original"``, see :func:`prepare`)
        ``repeat`` times, all within ``limit_s`` seconds. Returns ``{"status", "seconds", "rows",
        "total", "times"}``: status ``"ok"`` with the median seconds, the rows and total of the last
        run and the seconds of each; ``"> N s"`` when over the limit (N = ``limit_s``) (the worker is killed, the next
        call starts another); ``"killed (...)"`` when the worker died; ``"error: ..."`` when the
        question failed. With ``answer``, ``"answer"`` holds the variables and rows of the last run
        (sent after the timing). Never raises for a question; a worker that cannot be restarted is
        reported in the status."""
        if self.proc is not None and not self.proc.is_alive():  # died since its last answer
            self._kill()
        if self.proc is None:
            try:
                self.start()
            except WorkerError as exc:
                return {"status": f"error: {exc}"[:120]}
        self.conn.send((variant, name, params, repeat, page, answer))
        if not self.conn.poll(limit_s):
            self._kill()
            return {"status": f"> {limit_s:g} s"}
        try:
            status, runs, result = self.conn.recv()
        except (EOFError, OSError):  # it died: killed by the system, or aborted on an allocation over the cap
            self.proc.join(5)
            code = self.proc.exitcode
            self._kill()
            return {"status": "killed (memory)" if code == -signal.SIGABRT else f"killed (exit code {code})"}
        if status != "ok":
            return {"status": status}
        if len({(rows, total) for _, rows, total in runs}) > 1:
            return {"status": "error: repeats differ: " + ", ".join(f"{r}/{t}" for _, r, t in runs)}
        row = {"status": "ok", "seconds": statistics.median(s for s, _, _ in runs), "rows": runs[-1][1],
               "total": runs[-1][2], "times": [s for s, _, _ in runs]}
        if answer:
            row["answer"] = result
        return row

    def _kill(self) -> None:
        if self.proc is not None:
            if self.proc.is_alive():
                self.proc.kill()
            self.proc.join()
        if self.conn is not None:
            self.conn.close()
        self.proc = self.conn = None

    def close(self) -> None:
        """Ask the worker to stop (killed after 10 s if it does not)."""
        if self.proc is not None and self.proc.is_alive():
            try:
                self.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
            self.proc.join(10)
        self._kill()

    def __enter__(self) -> "QuestionWorker":
        if self.proc is None:
            self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit("bench/scale_worker.py is a module of bench/scale.py")
