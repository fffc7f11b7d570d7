"""Parts of ``kg build`` run beside the rest: in a forked child process, or in a thread.

The build's work is Python code holding the interpreter lock, so threads do not overlap it; a child
made by ``os.fork`` starts with the parent's memory as it is (the assembled dataset, the store)
without copying or pickling it, computes one part (the mentions, duplicates and quantities checks;
the TriG and JSON-LD exports) while the parent goes on with another, and sends its result back
through a pipe. The results are those of the same function run in the parent: a child that fails
in any way (cannot fork, dies, sends nothing readable) makes the parent run the function itself,
so its errors are raised as they would be without a child. Without ``os.fork`` (Windows), on a
single CPU, or with ``KG_BUILD_PROCESSES=1`` in the environment, everything runs in the parent.

The on-disk store ``kg query`` opens (:class:`kg.buildstore.StagedStore`, importable from here too)
is loaded by pyoxigraph, which leaves the interpreter lock while it loads: a thread makes it from
the N-Quads as soon as the build has made them (updating a copy of the previous build's store when
it can), while the checks run, and the build adds what it derives afterwards (the aggregates). The
SPARQL checks run in a thread too (:class:`Threaded`): pyoxigraph evaluates a query without the
interpreter lock. A :class:`Helper` child, forked before the build holds much, gets ready for one
piece of work (imports) and does it when asked.
"""

from __future__ import annotations

import os
import threading

__all__ = ["Forked", "Helper", "StagedStore", "Threaded", "can_fork"]


def can_fork() -> bool:
    """Whether parts of the build may run in a forked child (see the module)."""
    if not hasattr(os, "fork") or os.environ.get("KG_BUILD_PROCESSES") == "1":
        return False
    return (os.cpu_count() or 1) > 1


def _send(fd: int, obj) -> None:
    from kg.buildcache import dumps

    data = dumps(obj)
    view = memoryview(len(data).to_bytes(8, "big") + data)
    while view:
        view = view[os.write(fd, view):]


def _receive_bytes(fd: int) -> bytes:
    """The pickle :func:`_send` wrote, unread; raises ``EOFError`` when the other side closed the pipe first."""
    def exactly(n: int) -> bytes:
        chunks, left = [], n
        while left:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise EOFError("the pipe was closed")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    return exactly(int.from_bytes(exactly(8), "big"))


def _receive(fd: int):
    """The object :func:`_send` wrote; raises ``EOFError`` when the other side closed the pipe first."""
    from kg.buildcache import loads

    return loads(_receive_bytes(fd))


def _fork_with_pipes():
    """``(pid, (read, write), (feed_read, feed_write), parent pid)`` after ``os.fork`` with two pipes
    made before it (answers from the child; what this process feeds it), or ``None`` when no child
    can be made (nothing left open)."""
    if not can_fork():
        return None
    try:
        read, write = os.pipe()
        feed_read, feed_write = os.pipe()
    except OSError:
        return None
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        for fd in (read, write, feed_read, feed_write):
            os.close(fd)
        return None
    return pid, (read, write), (feed_read, feed_write), parent


def _kill(pid: int) -> None:
    """End this process's own child ``pid`` (not yet waited for) at once; nothing if it is gone."""
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def _outcome(fn) -> tuple:
    """``(True, fn())``, or ``(False, None)`` when ``fn`` raised anything (in a child: the parent then
    computes it itself)."""
    try:
        return True, fn()
    except BaseException:
        return False, None


def _write_in_thread(fd: int, data: bytes, name: str) -> threading.Thread:
    """A started thread writing ``data`` (length first, as :func:`_send`) to ``fd``, then closing it;
    a reader gone makes it stop quietly."""
    def write() -> None:
        view = memoryview(len(data).to_bytes(8, "big") + data)
        try:
            while view:
                view = view[os.write(fd, view):]
        except OSError:
            pass  # the child is gone: what it would answer is missing, which the caller handles
        finally:
            os.close(fd)

    thread = threading.Thread(target=write, name=name, daemon=True)
    thread.start()
    return thread


class Forked:
    """``fn()`` computed in a forked child (or in the parent when a child cannot be used); its value
    is :meth:`result`. ``fn`` must return something :mod:`pickle` can write (rdflib terms included).

    With ``then``, the child then computes ``then(receive)``, whose value is :meth:`later` (``None``
    when the child could not: the caller then does that work itself); ``receive()`` waits for the
    object the parent sends (:meth:`send`) and returns it (``then`` may work ahead before asking).
    A parent that sends nothing ends the child (:meth:`discard`).
    """

    def __init__(self, fn, then=None):
        self._fn, self._then = fn, then
        self._pid = None
        self._sender = None  # the thread writing what send() gives the child
        self._done, self._value = False, None
        forked = _fork_with_pipes()
        if forked is None:
            return
        pid, (read, write), (feed_read, feed_write), parent = forked
        if pid == 0:  # the child: compute, send, and leave at once (no cleanup of the parent's objects)
            try:
                from kg.bounded import die_with_parent

                die_with_parent(parent)  # a build killed outright takes its child along, not left writing
                os.close(read)
                os.close(feed_write)
                answer = _outcome(fn)
                # sent by a thread while ``then`` goes on: the parent reads it in a thread of its own, which
                # waits for the interpreter lock of a busy parent between reads of 64 KiB (a pipe's size),
                # so that the aggregates' lines (2.5 MB on the curated graph) took about 0.17 s to leave
                sender = threading.Thread(target=_send, args=(write, answer), name="kg-send", daemon=True)
                sender.start()
                second = _outcome(lambda: then(lambda: _receive(feed_read))) if then is not None and answer[0] else None
                sender.join()
                if second is not None:
                    _send(write, second)
            finally:
                os._exit(0)
        os.close(write)
        os.close(feed_read)
        self._pid, self._read, self._feed = pid, read, feed_write
        # the first answer is read as soon as the child writes it (a pipe holds 64 KiB: the child
        # would otherwise wait for this process to ask for it before going on with ``then``)
        self._first: list = [None]
        self._reader = threading.Thread(target=self._read_first, name="kg-receive", daemon=True)
        self._reader.start()

    def _read_first(self) -> None:
        try:
            self._first[0] = _receive_bytes(self._read)
        except Exception:  # (EOFError, OSError): the child failed; result() runs fn here
            self._first[0] = None

    def _close(self) -> None:
        pid, self._pid = self._pid, None
        if pid is None:
            return
        try:
            os.close(self._feed)  # a child waiting for more reads the end
        except OSError:
            pass
        if self._reader.is_alive():  # still reading the first answer: the child is ended (discard), the read ends
            _kill(pid)
            self._reader.join()  # before closing its pipe: a closed number may be reused by another file
        try:
            os.close(self._read)  # a child still writing gets a broken pipe
        except OSError:
            pass
        try:
            os.waitpid(pid, 0)
        except OSError:
            pass
        if self._sender is not None:
            self._sender.join()  # the child has ended: its end of the pipe is closed, the write returned

    def discard(self) -> None:
        """End the child, if it is still there (the build failed, or needs nothing more of it)."""
        if self._pid is not None:
            _kill(self._pid)
        self._close()
        self._done = True

    def result(self):
        """The value of ``fn()``; raises what ``fn`` raises (when run in the parent after a failed child)."""
        if self._pid is not None and not self._done:
            from kg.buildcache import loads

            self._reader.join()
            try:
                ok, value = loads(self._first[0])
            except Exception:
                ok, value = False, None
            self._first[0] = None
            if ok:
                self._done, self._value = True, value
            if not ok or self._then is None:
                self._close()
        if not self._done:
            self._value, self._done = self._fn(), True
        return self._value

    def send(self, obj) -> bool:
        """Give the child the object ``then`` takes; False when there is no child to take it.

        The object is written to the pipe by a thread, so that this process goes on while the child
        is still busy (a pipe holds 64 KiB; the child reads once its work ahead is done); a child
        that cannot read it any more makes :meth:`later` return ``None``, as for any failed child."""
        if self._pid is None or self._then is None or not self._done or self._sender is not None:
            return False
        from kg.buildcache import dumps

        data = dumps(obj)  # here: pickling holds the interpreter lock, writing does not
        feed = self._feed
        self._feed = os.open(os.devnull, os.O_RDONLY)  # closed by _close
        self._sender = _write_in_thread(feed, data, "kg-send")  # (a child gone: later() finds nothing to read)
        return True

    def later(self):
        """The value of ``then(obj)`` computed by the child after :meth:`send`, or ``None`` when the
        child could not compute it (the caller then does that work itself)."""
        if self._pid is None:
            return None
        try:
            ok, value = _receive(self._read)
        except Exception:
            ok, value = False, None
        self._close()
        return value if ok else None


class Helper:
    """A child process forked at once, which makes itself ready (``prepare()``: imports, say) while this
    process goes on, then computes ``work(request)`` for the one request :meth:`ask` sends it and
    ends; its value is :meth:`answer`. ``None`` from :meth:`answer` means the child could not be used
    or failed: the caller then does the work itself (errors are raised as without a child). Make it
    before starting any thread (a fork copies only the thread that calls it); :meth:`discard` it when
    it is not asked (a child waiting for a request ends with this process, or when discarded)."""

    def __init__(self, prepare, work):
        self._pid, self._sender = None, None
        forked = _fork_with_pipes()
        if forked is None:
            return
        pid, (read, write), (feed_read, feed_write), parent = forked
        if pid == 0:  # the child: get ready, wait for the request, answer, and leave at once
            try:
                from kg.bounded import die_with_parent

                die_with_parent(parent)
                os.close(read)
                os.close(feed_write)
                _send(write, _outcome(lambda: (prepare(), work(_receive(feed_read)))[1]))
            finally:
                os._exit(0)
        os.close(write)
        os.close(feed_read)
        self._pid, self._read, self._feed = pid, read, feed_write

    def ask(self, request) -> bool:
        """Send ``request`` (written by a thread: the child may still be getting ready); False when
        there is no child to take it (then :meth:`answer` is ``None``)."""
        if self._pid is None or self._sender is not None:
            return False
        from kg.buildcache import dumps

        data, feed = dumps(request), self._feed
        self._feed = None
        self._sender = _write_in_thread(feed, data, "kg-ask")
        return True

    def answer(self):
        """``work(request)`` as the child computed it, or ``None`` when it could not."""
        if self._pid is None or self._sender is None:
            self.discard()
            return None
        try:
            ok, value = _receive(self._read)
        except Exception:  # (EOFError, OSError, a damaged pickle): the child failed
            ok, value = False, None
        self.discard()
        return value if ok else None

    def discard(self) -> None:
        """End the child (if it is still there) and close the pipes."""
        pid, self._pid = self._pid, None
        if pid is None:
            return
        _kill(pid)
        for fd in (self._read, self._feed):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        try:
            os.waitpid(pid, 0)
        except OSError:
            pass
        if self._sender is not None:
            self._sender.join()


class Threaded:
    """``fn()`` computed in a thread started at once; its value is :meth:`result`, which raises what
    ``fn`` raised. For work that leaves the interpreter lock (pyoxigraph's queries), so that this
    process goes on with its Python work meanwhile."""

    def __init__(self, fn):
        self._outcome: list = [None, None]

        def run() -> None:
            try:
                self._outcome[0] = fn()
            except BaseException as exc:  # raised again by result(), in the caller's thread
                self._outcome[1] = exc

        self._thread = threading.Thread(target=run, name="kg-thread", daemon=True)
        self._thread.start()

    def result(self):
        """Wait for ``fn()`` and return its value; raises what it raised."""
        self._thread.join()
        if self._outcome[1] is not None:
            raise self._outcome[1]
        return self._outcome[0]

    def join(self) -> None:
        """Wait for ``fn()`` to end, whatever it gives (a build that failed first)."""
        self._thread.join()


from kg.buildstore import StagedStore  # noqa: E402 - (kept importable from here)
