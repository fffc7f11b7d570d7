"""The on-disk store ``kg query`` opens, made by ``kg build`` in a thread beside its other work.

pyoxigraph leaves the interpreter lock while it loads, so the store is made from the N-Quads as
soon as the build has them (a copy of the previous build's store updated when it can be, else a
new one loaded), and completed with the lines the build appends afterwards (the aggregates).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

__all__ = ["StagedStore"]


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
