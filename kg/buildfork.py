"""Parts of ``kg build`` run beside the rest: in a forked child process, or in a thread.

The build's work is Python code holding the interpreter lock, so threads do not overlap it; a child
made by ``os.fork`` starts with the parent's memory as it is (the assembled dataset, the store)
without copying or pickling it, computes one part (the mentions, duplicates and quantities checks;
the TriG and JSON-LD exports) while the parent goes on with another, and sends its result back
through a pipe. The results are those of the same function run in the parent: a child that fails
in any way (cannot fork, dies, sends nothing readable) makes the parent run the function itself,
so its errors are raised as they would be without a child. Without ``os.fork`` (Windows), on a
single CPU, or with ``KG_BUILD_PROCESSES=1`` in the environment, everything runs in the parent.

The on-disk store ``kg query`` opens (:class:`StagedStore`) is loaded by pyoxigraph, which leaves
the interpreter lock while it loads: a thread makes it from the N-Quads as soon as the build has
made them (updating a copy of the previous build's store when it can), while the checks run, and
the build adds what it derives afterwards (the aggregates). The SPARQL checks run in a thread too
(:class:`Threaded`): pyoxigraph evaluates a query without the interpreter lock.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

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
        if not can_fork():
            return
        try:
            read, write = os.pipe()
            feed_read, feed_write = os.pipe()
        except OSError:
            return
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            for fd in (read, write, feed_read, feed_write):
                os.close(fd)
            return
        if pid == 0:  # the child: compute, send, and leave at once (no cleanup of the parent's objects)
            try:
                from kg.bounded import die_with_parent

                die_with_parent(parent)  # a build killed outright takes its child along, not left writing
                os.close(read)
                os.close(feed_write)
                try:
                    answer = (True, fn())
                except BaseException:
                    answer = (False, None)
                _send(write, answer)
                if then is not None and answer[0]:
                    try:
                        answer = (True, then(lambda: _receive(feed_read)))
                    except BaseException:
                        answer = (False, None)
                    _send(write, answer)
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
            import signal

            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
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
            import signal

            try:
                os.kill(self._pid, signal.SIGKILL)  # this process's own child, not yet waited for
            except OSError:
                pass
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

        def write() -> None:
            view = memoryview(len(data).to_bytes(8, "big") + data)
            try:
                while view:
                    view = view[os.write(feed, view):]
            except OSError:
                pass  # the child is gone: later() finds nothing to read
            finally:
                os.close(feed)

        self._feed = os.open(os.devnull, os.O_RDONLY)  # closed by _close
        self._sender = threading.Thread(target=write, name="kg-send", daemon=True)
        self._sender.start()
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
        if not can_fork():
            return
        try:
            read, write = os.pipe()
            feed_read, feed_write = os.pipe()
        except OSError:
            return
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            for fd in (read, write, feed_read, feed_write):
                os.close(fd)
            return
        if pid == 0:  # the child: get ready, wait for the request, answer, and leave at once
            try:
                from kg.bounded import die_with_parent

                die_with_parent(parent)
                os.close(read)
                os.close(feed_write)
                try:
                    prepare()
                    answer = (True, work(_receive(feed_read)))
                except BaseException:
                    answer = (False, None)
                _send(write, answer)
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

        def write() -> None:
            view = memoryview(len(data).to_bytes(8, "big") + data)
            try:
                while view:
                    view = view[os.write(feed, view):]
            except OSError:
                pass  # the child is gone: answer() finds nothing to read
            finally:
                os.close(feed)

        self._sender = threading.Thread(target=write, name="kg-ask", daemon=True)
        self._sender.start()
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
        import signal

        try:
            os.kill(pid, signal.SIGKILL)  # this process's own child, not yet waited for
        except OSError:
            pass
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


class StagedStore:
    """The on-disk store of ``nquads`` (bytes), made in a thread in a folder beside ``folder``
    (``store.tmp-PID``), then completed by :meth:`finish` or removed by :meth:`discard`. With
    ``previous`` (the N-Quads file the store at ``folder`` was loaded from), the old store is copied
    and updated with the difference when it can be (several times faster than loading it all),
    else the N-Quads are loaded into a new store."""

    def __init__(self, nquads: bytes, folder: Path, previous: Path | None = None):
        self.nquads, self.folder, self.previous = nquads, Path(folder), previous
        self.path = self.folder.with_name(f"{self.folder.name}.tmp-{os.getpid()}")
        self._store, self._error = None, None
        self.updated = False  # whether the previous store was updated (else loaded in full)
        self._difference = None  # (previous lines, removed, added, new lines) of an update
        self._thread = threading.Thread(target=self._load, name="kg-store", daemon=True)
        self._thread.start()
        self._completing = None  # (nquads, thread, [folder or None, error or None]) once complete() is called

    def _load(self) -> None:
        import shutil

        import pyoxigraph as ox

        try:
            shutil.rmtree(self.path, ignore_errors=True)
            if self.previous is not None and self._update():
                return
            shutil.rmtree(self.path, ignore_errors=True)
            self._store = ox.Store(str(self.path))
            self._store.bulk_load(input=self.nquads, format=ox.RdfFormat.N_QUADS)
        except BaseException as exc:  # raised again by finish, in the build's thread
            self._error = exc

    def _update(self) -> bool:
        """Make the store from the previous build's: a copy (a RocksDB checkpoint: hard links, no
        copying) of ``folder`` updated with the lines of ``nquads`` it lacked and without those it no
        longer has (``previous``: the N-Quads it was loaded from). False (nothing usable made) when
        ``folder`` is not the complete, fresh store of ``previous``, when a line holds a blank node
        (its name is the parser's), or when the result does not hold as many quads as ``nquads``."""
        import pyoxigraph as ox

        from kg.store import _fresh_store

        try:
            if _fresh_store(self.previous) != self.folder:
                return False
            old = set(self.previous.read_bytes().splitlines())
            new = set(self.nquads.splitlines())
            old.discard(b"")
            new.discard(b"")
            removed, added = old - new, new - old
            if any(b"_:" in line for line in (*removed, *added)):
                return False
            source = ox.Store.read_only(str(self.folder))
            source.backup(str(self.path))
            del source
            store = ox.Store(str(self.path))
            if added:
                store.load(input=b"\n".join(added) + b"\n", format=ox.RdfFormat.N_QUADS)
            if len(store) != len(old) + len(added):
                return False
        except (OSError, SyntaxError, ValueError, RuntimeError):
            return False
        # the removals wait for the lines the build appends (_finish): the previous build's appended
        # lines (its aggregates), mostly the same, then stay instead of being removed and loaded again
        self._store, self.updated, self._difference = store, True, (old, removed, added, new)
        return True

    def _complete_update(self, store, appended: bytes) -> bool:
        """Complete an updated store (:meth:`_update`) so that it holds the N-Quads it was made for and
        the lines ``appended`` since: the previous lines neither holds are removed, the appended ones
        it lacks are added. False (the store is then unusable) when a line holds a blank node or the
        result does not hold one quad per distinct line."""
        import pyoxigraph as ox

        old, removed, added, new = self._difference
        lines = set(appended.splitlines())
        lines.discard(b"")
        if any(b"_:" in line for line in lines):
            return False
        gone = removed - lines
        extra = lines - old - new
        try:
            if gone:  # first: a quad written otherwise in both files is removed, then added again
                for quad in ox.parse(input=b"\n".join(gone) + b"\n", format=ox.RdfFormat.N_QUADS):
                    store.remove(quad)
            back = extra | added if gone else extra
            if back:
                store.load(input=b"\n".join(back) + b"\n", format=ox.RdfFormat.N_QUADS)
            return len(store) == len(new | lines)
        except (OSError, SyntaxError, ValueError, RuntimeError):
            return False

    def complete(self, nquads: bytes) -> None:
        """Start what :meth:`finish` does for ``nquads`` in a thread (pyoxigraph leaves the interpreter
        lock while it loads and compacts), while the build does something else; :meth:`finish` with
        the same ``nquads`` then waits for it and returns its folder, or raises its error."""
        if self._completing is not None:
            return
        outcome: list = [None, None]

        def run() -> None:
            try:
                outcome[0] = self._finish(nquads)
            except BaseException as exc:  # raised again by finish, in the build's thread
                outcome[1] = exc

        thread = threading.Thread(target=run, name="kg-store-finish", daemon=True)
        self._completing = (nquads, thread, outcome)
        thread.start()

    def finish(self, nquads: bytes) -> Path:
        """Complete the store so that it holds ``nquads`` (the N-Quads given, with lines appended
        since; otherwise it is loaded again from ``nquads``), close it and mark it complete; return
        its folder, for :func:`kg.store.commit_store`. Raises ``OSError`` when it cannot be written."""
        if self._completing is not None:
            given, thread, outcome = self._completing
            thread.join()
            if given is nquads:
                if outcome[1] is not None:
                    raise outcome[1]
                return outcome[0]
            if outcome[0] is not None:  # completed for other N-Quads: load these instead
                import shutil

                shutil.rmtree(outcome[0], ignore_errors=True)
            from kg.store import stage_store

            return stage_store(nquads, self.folder)
        return self._finish(nquads)

    def _finish(self, nquads: bytes) -> Path:
        import pyoxigraph as ox

        from kg.store import _COMPLETE, stage_store

        self._thread.join()
        if self._error is not None:
            raise self._error
        store, self._store = self._store, None
        given = len(self.nquads)
        if nquads is not self.nquads and (len(nquads) < given or nquads[:given] != self.nquads):
            del store
            return stage_store(nquads, self.folder)  # not an extension of what was loaded: load it all
        if self.updated:
            if not self._complete_update(store, nquads[given:]):
                del store  # (closed: stage_store makes its folder again)
                return stage_store(nquads, self.folder)  # load it all
        elif len(nquads) > given:
            store.load(input=nquads[given:], format=ox.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()  # compacted, for readers that open it read-only (see kg.store, before commit_store)
        del store  # closes the database
        (self.path / _COMPLETE).write_text("", encoding="utf-8")
        return self.path

    def discard(self) -> None:
        """Wait for the load and remove the folder (the build failed or wrote no store)."""
        import shutil

        self._thread.join()
        if self._completing is not None:
            self._completing[1].join()
        self._store = None
        shutil.rmtree(self.path, ignore_errors=True)
