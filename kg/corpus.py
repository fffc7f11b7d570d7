"""The corpus documents: finding them, reading them, locating and hashing spans.

Offsets are Python string indices into the document decoded as UTF-8, unchanged.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "CorpusError",
    "Match",
    "corpus_dir",
    "readable_folder",
    "document_path",
    "document_text",
    "document_ids",
    "sha256_text",
    "locate",
    "span_text",
]

ENV_VAR = "KG_CORPUS"


class CorpusError(Exception):
    """The corpus or a document of it cannot be found or read."""


@dataclass(frozen=True)
class Match:
    """One place where the searched words occur in a document."""

    doc: str
    start: int
    end: int
    sha256: str
    context: str

    @property
    def evidence(self) -> str:
        """The prefixed name of the evidence graph for this span."""
        return f"ev:d{self.doc}-{self.start}-{self.end}"


def corpus_dir(explicit: str | os.PathLike | None = None) -> Path | None:
    """Where the corpus is: the given path, else ``$KG_CORPUS``, else ``../shared/corpus``.

    Returns ``None`` when no candidate folder exists. An explicit path or environment variable
    that does not exist is an error, so that a typo is not mistaken for an absent corpus.
    """
    if isinstance(explicit, (list, tuple)):  # --corpus repeated: the first folder (kg.sources reads them all)
        explicit = explicit[0] if explicit else None
    env = os.environ.get(ENV_VAR, "").split(os.pathsep)[0]
    for label, value in (("--corpus", explicit), (ENV_VAR, env)):
        if value:
            path = Path(value).expanduser()
            if not path.is_dir():
                raise CorpusError(f"{label} names {path}, which is not a folder")
            readable_folder(path, label)
            return path.resolve()
    from kg.paths import corpus_candidates

    for path in corpus_candidates():  # beside the project (--root), then beside the current folder
        if path.is_dir():
            return path.resolve()
    return None


def readable_folder(path: Path, label: str = "the corpus folder") -> Path:
    """``path`` if its files can be listed and read; else :class:`CorpusError` (an unreadable folder
    would otherwise look empty, and every document in it missing)."""
    if not os.access(path, os.R_OK | os.X_OK):
        raise CorpusError(f"{label} names {path}, which this user cannot read: change its permissions or give another folder")
    return path


def document_ids(folder: Path) -> list[str]:
    """The three-digit ids of the ``NNN_*.txt`` documents in the folder."""
    return sorted(p.name[:3] for p in folder.glob("[0-9][0-9][0-9]_*.txt"))


def document_path(folder: Path, doc: str) -> Path:
    """The file of document ``doc`` (``"003"``, ``"d003"`` or ``"3"``).

    ``folder`` is a folder, or a :class:`kg.sources.Corpus` (several folders and the registered
    file names), which then finds the file.
    """
    if hasattr(folder, "document_path"):
        return folder.document_path(doc)
    doc = normalise_doc_id(doc)
    found = sorted(folder.glob(f"{doc}_*.txt"))
    if not found:
        raise CorpusError(f"no document {doc} in {folder} (documents: {', '.join(document_ids(folder))})")
    return found[0]


def normalise_doc_id(doc: str) -> str:
    """``"d003"``, ``"003"`` or ``"3"`` -> ``"003"``; anything else is refused."""
    m = re.fullmatch(r"d?(\d{1,3})", doc.strip())
    if not m:
        shown = doc if len(doc) <= 40 else doc[:39] + "…"
        raise CorpusError(f"{shown!r} is not a document id: use the three-digit id of a document registered in graph/sources.ttl, such as 003 or d003")
    return m.group(1).zfill(3)


@lru_cache(maxsize=16)
def _read(path: Path, mtime_ns: int, size: int) -> str:  # keyed on the file's state: an edited file is re-read
    from kg.inputs import read_bytes

    return read_bytes(path, error=CorpusError).decode("utf-8")  # a regular file only: a FIFO would wait forever


def document_text(folder: Path, doc: str) -> str:
    """The whole text of a document, decoded as UTF-8 with newlines unchanged.

    Raises :class:`CorpusError` when it is not found, cannot be read or is not UTF-8.
    """
    path = document_path(folder, doc)
    try:
        stat = path.stat()
        return _read(path, stat.st_mtime_ns, stat.st_size)
    except OSError as exc:
        raise CorpusError(f"document {normalise_doc_id(doc)} cannot be read ({path}: {exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise CorpusError(f"document {normalise_doc_id(doc)} is not UTF-8 text (byte {exc.start} of {path}): "
                          "restore the file, or convert it and register it again") from None


def sha256_text(text: str) -> str:
    """Hex SHA-256 of a text encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def span_text(folder: Path, doc: str, start: int, end: int) -> str:
    """The text of a span; an out-of-range span is an error."""
    text = document_text(folder, doc)
    if not 0 <= start < end <= len(text):
        raise CorpusError(f"span {start}-{end} is outside document {doc} (length {len(text)})")
    return text[start:end]


def _pattern(words: str) -> re.Pattern[str]:
    """Words separated by any white space (the PDF text of 004 wraps lines), case-insensitive."""
    parts = [re.escape(w) for w in words.split()]
    if not parts:
        raise CorpusError("give some words to locate")
    return re.compile(r"\s+".join(parts), re.IGNORECASE)


def locate(folder: Path, doc: str, words: str, *, until: str | None = None, context: int = 40) -> list[Match]:
    """Every span of the document that matches ``words`` (white space is flexible).

    With ``until``, each span runs from the start of a match of ``words`` to the end of the first
    following match of ``until``: a long passage is located by its first and last words.
    """
    doc = normalise_doc_id(doc)
    text = document_text(folder, doc)
    found = []
    end_pattern = _pattern(until) if until else None
    for m in _pattern(words).finditer(text):
        start, end = m.start(), m.end()
        if end_pattern:
            m2 = end_pattern.search(text, m.end())
            if not m2:
                continue
            end = m2.end()
        left = text[max(0, start - context):start].replace("\n", " ")
        right = text[end:end + context].replace("\n", " ")
        found.append(Match(doc, start, end, sha256_text(text[start:end]), f"...{left}[[{text[start:end]}]]{right}..."))
    return found
