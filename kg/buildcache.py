"""Caches that let ``kg build`` redo only what a change needs, with the results of a full build.

Everything is kept under ``<out>/.cache/`` (``build/.cache/`` by default), never read by anything
but the build, and every entry is keyed so that a stale entry cannot be used:

* **one entry per input file** (``files/<key>.pickle``): its parsed quads and the results of the
  per-file checks (typed literals, IRIs, entity cards). The key is the SHA-256 of the file's path,
  kind and bytes and of :func:`code_version`, so an edited file, a moved file, another version of
  the build code, of rdflib or of Python each miss the cache and the file is parsed again;
* **the SHACL results per focus node** (``shacl.pickle``), with a fingerprint of each subject's
  triples; see :mod:`kg.validate` for how they are reused.

Each entry begins with the SHA-256 of its content. A missing, unreadable, truncated or otherwise
damaged entry is ignored (and rewritten by the next build): the cache can make a build faster, never different, and never makes it fail. Entries are
written to a temporary file and renamed, so a killed build leaves no half entry. ``kg build --full``
reads no cache at all.
"""

from __future__ import annotations

import contextlib
import copyreg
import hashlib
import io
import os
import pickle
import sys
from functools import lru_cache
from pathlib import Path

__all__ = ["CACHE_DIR", "code_version", "file_key", "dumps", "loads", "read_entry", "write_entry", "prune", "forget_terms"]

CACHE_DIR = ".cache"
#: Modules whose code decides what a build produces or reports; a change to any of them invalidates the cache.
_MODULES = ("build", "buildcache", "load", "evidence", "validate", "model", "literals", "labels", "skolem",
            "mentions", "duplicates", "quantities", "namespaces", "known", "iris", "search", "search_text", "sources",
            "corpus")


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the build's own code and of the libraries and Python it runs on.

    A library counts by the path, size and modification time of its ``__init__`` file, which an
    upgrade rewrites (``importlib.metadata`` would cost a tenth of a second to import).
    """
    from importlib.util import find_spec

    digest = hashlib.sha256(sys.version.encode())
    for name in ("rdflib", "pyshacl", "pyoxigraph", "rapidfuzz", "ahocorasick"):
        with contextlib.suppress(Exception):
            origin = find_spec(name).origin
            stat = os.stat(origin)
            digest.update(f"{name}={origin}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    here = Path(__file__).resolve().parent
    for name in _MODULES:
        with contextlib.suppress(OSError):
            digest.update(name.encode() + b"\0" + (here / f"{name}.py").read_bytes())
    return digest.hexdigest()


def file_key(path: Path, kind: str, data: bytes) -> str:
    """The cache key of one input file: its path, kind and bytes, and :func:`code_version`."""
    digest = hashlib.sha256(f"{code_version()}\0".encode() + os.fsencode(path) + f"\0{kind}\0".encode())  # (any file name)
    digest.update(data)
    return digest.hexdigest()


# rdflib's own pickling of terms goes through their constructors (Literal parses its value again);
# these rebuild the objects as they were, several times faster. Equal terms are rebuilt as one object
# (until forget_terms): rdflib compares terms in Python (Node.__eq__) unless they are the same object,
# and the build puts each term in several dictionaries (the store's indexes) and sets.
_URIS: dict = {}
_LITERALS: dict = {}


def forget_terms() -> None:
    """Drop the terms kept so that equal terms read from entries are one object (memory only)."""
    _URIS.clear()
    _LITERALS.clear()


def _literal(text, language, datatype, value, ill_typed):
    key = (text, language, datatype)  # (the datatype rebuilt by _uri: one object per IRI)
    obj = _LITERALS.get(key)
    if obj is None or obj._ill_typed != ill_typed:
        from rdflib import Literal

        obj = str.__new__(Literal, text)
        obj._language, obj._datatype, obj._value, obj._ill_typed = language, datatype, value, ill_typed
        _LITERALS[key] = obj
    return obj


def _uri(text):
    obj = _URIS.get(text)
    if obj is None:
        from rdflib import URIRef

        obj = _URIS[text] = str.__new__(URIRef, text)
    return obj


def _bnode(text):
    from rdflib import BNode

    return str.__new__(BNode, text)


def dumps(obj) -> bytes:
    """Pickle ``obj``, writing rdflib terms in a form :func:`loads` rebuilds quickly."""
    from rdflib import BNode, Literal, URIRef

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table.copy()
    pickler.dispatch_table[Literal] = lambda t: (_literal, (str(t), t._language, t._datatype, t._value, t._ill_typed))
    pickler.dispatch_table[URIRef] = lambda t: (_uri, (str(t),))
    pickler.dispatch_table[BNode] = lambda t: (_bnode, (str(t),))
    pickler.dump(obj)
    return buffer.getvalue()


def loads(data: bytes):
    """The object :func:`dumps` wrote; raises whatever a damaged pickle raises."""
    return pickle.loads(data)


def read_entry(folder: Path, name: str, check=None):
    """The cached object ``folder/name``, or ``None`` when it is missing or damaged.

    An entry starts with the SHA-256 of the rest, so a truncated or altered file is detected before
    it is unpickled. ``check(obj)`` may refuse an object (return false): it is then treated as missing.
    """
    try:
        from kg.inputs import read_bytes

        data = read_bytes(folder / name, limit=1 << 40, error=OSError)  # a FIFO put there is a miss, not a wait
        digest, payload = data[:32], data[32:]
        if len(digest) < 32 or hashlib.sha256(payload).digest() != digest:
            return None
        obj = loads(payload)
    except Exception:  # any damage (unreadable, garbage, another format) is a miss, never a failure
        return None
    try:
        return obj if check is None or check(obj) else None
    except Exception:
        return None


def write_entry(folder: Path, name: str, obj) -> None:
    """Store ``obj`` as ``folder/name`` (its SHA-256, then the pickle; written aside, then renamed);
    a failure to write is ignored."""
    tmp = folder / f".{name}.tmp-{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        payload = dumps(obj)
        tmp.unlink(missing_ok=True)  # a link of that name would have the entry written through it
        tmp.write_bytes(hashlib.sha256(payload).digest() + payload)
        tmp.replace(folder / name)
    except Exception:  # a cache that cannot be written only makes the next build slower
        with contextlib.suppress(OSError):
            tmp.unlink()


def prune(folder: Path, keep: set[str]) -> None:
    """Remove the entries of ``folder`` whose names are not in ``keep``."""
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            if path.name not in keep:
                with contextlib.suppress(OSError):
                    path.unlink()
