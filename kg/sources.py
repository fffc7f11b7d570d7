"""Documents as data: the registry ``graph/sources.ttl``, several corpus folders, the hash check.

A document is registered in ``graph/sources.ttl`` as ``source:dNNN a kg:Document`` with its
``kg:documentId`` ``NNN``, ``kg:fileName``, ``kg:sha256`` (of the file decoded as UTF-8), a title
and what is known of it (publisher, date, author, URL). Its file stays in a corpus folder; there
may be several (``--corpus`` repeated, or ``$KG_CORPUS`` holding folders separated by
``os.pathsep``), and a document is found in whichever folder holds its file name.

:func:`add_source` registers a file by appending one block to ``graph/sources.ttl`` (what the user
wrote is kept byte for byte). :func:`check_documents` compares every registered hash with its file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg import corpus as corpus_mod
from kg.corpus import CorpusError

__all__ = [
    "Document",
    "Corpus",
    "SOURCES_FILE",
    "registered_documents",
    "registered_ids",
    "corpus_dirs",
    "open_corpus",
    "check_documents",
    "add_source",
    "next_id",
    "SourceError",
]

SOURCES_FILE = Path("graph") / "sources.ttl"
_PREFIXES = {
    "kg": "https://w3id.org/kzkg/ontology#",
    "source": "https://w3id.org/kzkg/id/source/",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


class SourceError(CorpusError):
    """A document cannot be registered as asked (bad file, option or registry); the message says why."""


@dataclass(frozen=True)
class Document:
    """One registered document: its id (``"003"``), IRI, title, file name and recorded SHA-256."""

    id: str
    iri: str
    title: str
    file_name: str
    sha256: str


@dataclass
class Corpus:
    """The corpus folders, searched in order, and the file name of each registered document.

    It can stand wherever :mod:`kg.corpus` takes a folder: :meth:`document_path` finds a document
    by its registered file name in any folder, and by the ``NNN_*.txt`` pattern otherwise.
    """

    folders: list[Path]
    documents: dict[str, Document] = field(default_factory=dict)
    #: Also find a registered document whose file is in no folder by the ``NNN_*.txt`` pattern (the
    #: commands that show a passage, and warn when its text is not the registered one).
    any_name: bool = False

    def find(self, file_name: str) -> Path | None:
        """The first folder's file of that name, or ``None`` (also for a name that is not a plain file
        name: joined with a folder, it would lead elsewhere)."""
        if not plain_file_name(file_name):
            return None
        for folder in self.folders:
            path = folder / file_name
            if path.is_file():
                return path
        return None

    def document_path(self, doc: str) -> Path:
        """The file of document ``doc``; raises :class:`CorpusError` naming the registered ids."""
        doc = corpus_mod.normalise_doc_id(doc)
        known = self.documents.get(doc)
        if known is not None:
            path = self.find(known.file_name)
            if path is None and self.any_name:
                path = next((p for folder in self.folders for p in sorted(folder.glob(f"{doc}_*.txt"))), None)
            if path is None:
                raise CorpusError(f"document {doc} ({known.file_name}) is in none of the corpus folders "
                                  f"{', '.join(map(str, self.folders))}")
            return path
        for folder in self.folders:
            found = sorted(folder.glob(f"{doc}_*.txt"))
            if found:
                return found[0]
        ids = ", ".join(sorted(self.documents)) or "none"
        raise CorpusError(f"no document {doc}: the registered documents are {ids} (graph/sources.ttl)")


def registered_documents(root: Path) -> dict[str, Document]:
    """Every document of ``root/graph/sources.ttl``, by id, in id order.

    Raises :class:`kg.load.InputError` when the file does not parse, or is a link leading outside the project;
    a missing file gives ``{}``.
    """
    from rdflib import Graph, Namespace, URIRef
    from rdflib.namespace import SKOS

    from kg.load import parse_file

    from kg.load import check_inside

    path = check_inside(Path(root) / SOURCES_FILE, root)  # a link leading outside the project is not read
    if not path.is_file():
        return {}
    graph: Graph = parse_file(path, "data").default
    kg = Namespace(_PREFIXES["kg"])
    schema = Namespace(_PREFIXES["schema"])
    from kg.iris import shorten

    found: dict[str, Document] = {}
    problems = []
    for iri, doc_id in sorted(graph.subject_objects(kg.documentId)):
        if not isinstance(iri, URIRef):
            continue
        title = graph.value(iri, SKOS.prefLabel) or graph.value(iri, schema.name) or ""
        doc = Document(str(doc_id), str(iri), str(title), str(graph.value(iri, kg.fileName) or ""),
                       str(graph.value(iri, kg.sha256) or ""))
        if doc.id in found:  # the last one silently replaced the first: its spans went unverified
            problems.append(f"{path}: document id {doc.id} is registered twice ({shorten(found[doc.id].iri)} and "
                            f"{shorten(doc.iri)}): give each document its own kg:documentId")
        elif doc.file_name and not plain_file_name(doc.file_name):  # read from outside the corpus folders
            problems.append(f"{path}: document {doc.id}: kg:fileName {doc.file_name!r} is not a file name: "
                            "write the name of its file in a corpus folder alone (no folder, '..' or '/')")
        found[doc.id] = found.get(doc.id, doc)
    if problems:
        from kg.inputs import InputError, error_lines

        raise InputError(error_lines(problems))
    return dict(sorted(found.items()))


def plain_file_name(name: str) -> bool:
    """Whether ``name`` names a file of a folder by itself: not empty, ``.`` nor ``..``, without a
    separator of this system (``/``; ``\\`` too on Windows) or a NUL, so that the corpus folder joined
    with it stays that folder's."""
    return bool(name) and name not in (".", "..") and not any(c and c in name for c in (os.sep, os.altsep, "\0"))


def registered_ids(root: Path) -> list[str]:
    """The ids of the registered documents, sorted (``["000", "001", ...]``)."""
    return list(registered_documents(root))


def corpus_dirs(explicit=None) -> list[Path]:
    """The corpus folders: those given (a path or a list of paths), else ``$KG_CORPUS`` split on
    ``os.pathsep``, else ``../shared/corpus`` if it exists; ``[]`` when there is none.

    A given or configured folder that does not exist raises :class:`CorpusError`, so that a typo
    is not mistaken for an absent corpus.
    """
    if isinstance(explicit, (str, os.PathLike)):
        explicit = [explicit]
    given = [("--corpus", p) for p in (explicit or []) if p]
    if not given:
        env = os.environ.get(corpus_mod.ENV_VAR, "")
        given = [(corpus_mod.ENV_VAR, p) for p in env.split(os.pathsep) if p.strip()]
    folders = []
    for label, value in given:
        path = Path(value).expanduser()
        if not path.is_dir():
            raise CorpusError(f"{label} names {path}, which is not a folder")
        corpus_mod.readable_folder(path, label)
        if path.resolve() not in folders:
            folders.append(path.resolve())
    if folders:
        return folders
    default = corpus_mod.corpus_dir(None) if not os.environ.get(corpus_mod.ENV_VAR) else None
    return [default] if default else []


def open_corpus(root: Path, explicit=None) -> Corpus | None:
    """The corpus of the project at ``root`` (folders and registry), or ``None`` with no folder."""
    folders = corpus_dirs(explicit)
    if not folders:
        return None
    return Corpus(folders, registered_documents(root))


def check_documents(corpus: Corpus) -> tuple[list[str], list[str], set[str]]:
    """Compare every registered document with its file.

    Returns ``(errors, warnings, unusable)``: one error per changed document ("document 004
    changed: its SHA-256 is X, graph/sources.ttl records Y"), one warning per document found in no
    folder, and the ids of both kinds, whose spans cannot be verified.
    """
    errors, warnings, unusable = [], [], set()
    for doc in corpus.documents.values():
        path = corpus.find(doc.file_name) if doc.file_name else None
        if path is None:
            warnings.append(f"document {doc.id} ({doc.file_name or 'no kg:fileName'}) is in none of the corpus folders "
                            f"({', '.join(map(str, corpus.folders))}): its evidence spans were NOT verified")
            unusable.add(doc.id)
            continue
        actual = corpus_mod.sha256_text(corpus_mod.document_text(corpus, doc.id))
        if actual != doc.sha256:
            errors.append(f"{SOURCES_FILE}: document {doc.id} changed: its SHA-256 is {actual}, "
                          f"{SOURCES_FILE} records {doc.sha256 or 'nothing'} ({path}); restore the file, or if the "
                          "new text is meant, record the new hash and re-locate every span of the document")
            unusable.add(doc.id)
    return errors, warnings, unusable


def next_id(root: Path) -> str:
    """The next free three-digit document id (one above the highest registered)."""
    ids = [int(i) for i in registered_ids(root) if i.isdigit()]
    new = max(ids, default=-1) + 1
    if new > 999:
        raise SourceError("document ids run from 000 to 999 and all are taken")
    return f"{new:03d}"


def _date_literal(value: str) -> str:
    from rdflib import Literal
    from rdflib.namespace import XSD

    import datetime

    value = value.strip()
    for pattern, dtype, form in ((r"\d{4}", XSD.gYear, "%Y"), (r"\d{4}-\d{2}", XSD.gYearMonth, "%Y-%m"),
                                 (r"\d{4}-\d{2}-\d{2}", XSD.date, "%Y-%m-%d")):
        if re.fullmatch(pattern, value, flags=re.ASCII):
            try:
                datetime.datetime.strptime(value, form)
            except ValueError:
                raise SourceError(f"--date {value!r} is not a date of the calendar (a month 01 to 12, a day that month "
                                  "has): write YYYY, YYYY-MM or YYYY-MM-DD") from None
            return Literal(value, datatype=dtype).n3(_namespace_manager())
    raise SourceError(f"--date {value!r}: give the date at the precision known, as YYYY, YYYY-MM or YYYY-MM-DD")


def _namespace_manager():
    from rdflib import Graph

    g = Graph()
    for prefix, ns in _PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g.namespace_manager


def _agent(value: str) -> str:
    """A publisher or author: a prefixed name or IRI of a card becomes an IRI, a plain name a string."""
    from rdflib import Literal

    from kg.query import expand

    iri = expand(value)
    return f"<{iri}>" if iri else Literal(value.strip()).n3()


def _block(doc_id: str, file_name: str, sha256: str, title: str, meta: dict[str, str | None]) -> str:
    from rdflib import Literal

    lines = [f"source:d{doc_id}", "    a kg:Document ;", f"    skos:prefLabel {Literal(title, lang='en').n3()} ;",
             f"    schema:name {Literal(title).n3()} ;"]
    if meta.get("publisher"):
        lines.append(f"    schema:publisher {_agent(meta['publisher'])} ;")
    if meta.get("author"):
        lines.append(f"    schema:author {_agent(meta['author'])} ;")
    if meta.get("date"):
        lines.append(f"    schema:datePublished {_date_literal(meta['date'])} ;")
    if meta.get("url"):
        if not re.fullmatch(r"https?://\S+", meta["url"].strip()):
            raise SourceError(f"--url {meta['url']!r}: give an http:// or https:// address without spaces")
        lines.append(f"    schema:url {Literal(meta['url'].strip()).n3()} ;")
    lines += [f'    kg:documentId "{doc_id}" ;', f"    kg:fileName {Literal(file_name).n3()} ;", f'    kg:sha256 "{sha256}" .']
    return "\n".join(lines) + "\n"


def add_source(root: Path, file: Path, *, title: str | None = None, publisher: str | None = None,
               date: str | None = None, author: str | None = None, url: str | None = None,
               corpus=None, copy_to: Path | None = None) -> tuple[str, Path]:
    """Register ``file`` in ``root/graph/sources.ttl`` and return ``(id, path of the file used)``.

    The file must be UTF-8 text in one of the corpus folders (``corpus``, as for
    :func:`corpus_dirs`); with ``copy_to`` it is first copied into that folder (never over a
    different file). One block is appended to ``graph/sources.ttl``; nothing the user wrote is
    rewritten. Raises :class:`SourceError` for a file that is not text, outside the corpus folders,
    already registered, or a bad option value; :class:`kg.load.InputError` when ``graph/sources.ttl``
    is a link leading outside the project (it is neither read nor appended to).
    """
    root = Path(root)
    _check_text({"--title": title, "--publisher": publisher, "--date": date, "--author": author, "--url": url,
                 "the file name": str(file)})
    try:
        return _add_source(root, Path(file).expanduser(), title, publisher, date, author, url, corpus, copy_to)
    except OSError as exc:
        where = exc.filename or file
        raise SourceError(f"cannot {'write' if exc.errno in _WRITE_ERRORS else 'read or write'} {where}: "
                          f"{exc.strerror or exc}; nothing was registered") from None


def _check_text(values: dict[str, str | None]) -> None:
    """:class:`SourceError` for an option that is not valid text or holds a control character (a line break)."""
    for name, value in values.items():
        if value is None:
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise SourceError(f"{name} holds bytes that are not UTF-8 text: give it as UTF-8") from None
        if re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", value):
            raise SourceError(f"{name} {value!r} holds a line break or a control character: give it on one line")


def _add_source(root, file, title, publisher, date, author, url, corpus, copy_to):
    from kg.inputs import read_bytes

    raw = read_bytes(file, error=SourceError)  # a regular file (a FIFO would wait forever), bounded, unchanged while read
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SourceError(f"{file} is not UTF-8 text: convert it to a UTF-8 .txt file first (spans are offsets in that text)")
    if not text.strip():
        raise SourceError(f"{file} is empty: a document needs text to cite")
    sha = corpus_mod.sha256_text(text)
    if copy_to is not None:
        folder = Path(copy_to).expanduser()
        if not folder.is_dir():
            from kg.outputs import missing_folder

            raise SourceError(f"--copy-to {folder} is not a folder: {missing_folder(folder.absolute())}")
        _outside_project(root, folder / file.name, "--copy-to " + str(folder))
        target = folder / file.name
        if target.exists() and read_bytes(target, error=SourceError) != raw:
            raise SourceError(f"--copy-to: {target} exists and differs from {file}; rename one of them")
        _not_registered(root, sha, file.name)  # checked again under the lock; here so that a refusal copies nothing
        if not target.exists():
            with open(target, "xb") as fh:  # the bytes read and hashed above, never over another file
                fh.write(raw)
        file = target
        folders = [folder.resolve()] + [f for f in corpus_dirs(corpus) if f != folder.resolve()]
    else:
        folders = corpus_dirs(corpus)
    if file.resolve().parent not in folders:
        shown = ", ".join(map(str, folders)) or "none found"
        raise SourceError(f"{file} is not in a corpus folder (folders: {shown}); move it into one, name its folder with "
                          "--corpus or KG_CORPUS, or pass --copy-to FOLDER")
    _outside_project(root, file, str(file))
    meta = {"publisher": publisher, "date": date, "author": author, "url": url}
    _block("000", file.name, sha, title or file.stem, meta)  # a bad option is refused before the registry is opened
    from kg.load import check_inside

    path = check_inside(root / SOURCES_FILE, root)  # nor appended to
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path) as handle:  # two add-source at once: the second waits, then takes the next id
        raw = handle.read()
        try:
            existing = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError(f"{path} is not UTF-8 (byte {exc.start}): repair it first; nothing was registered") from None
        _not_registered(root, sha, file.name)
        doc_id = next_id(root)
        block = _block(doc_id, file.name, sha, title or file.stem, meta)
        missing = [p for p in _PREFIXES if not re.search(rf"@prefix\s+{p}:\s*<{re.escape(_PREFIXES[p])}>", existing)]
        head = "".join(f"@prefix {p}: <{_PREFIXES[p]}> .\n" for p in missing)
        sep = "" if not existing or existing.endswith("\n\n") else ("\n" if existing.endswith("\n") else "\n\n")
        addition = sep + head + ("\n" if head else "") + block
        _check_turtle(path, existing + addition, doc_id)
        _append(handle, addition.encode("utf-8"), len(raw))
    return doc_id, file


def _not_registered(root: Path, sha: str, name: str) -> None:
    """:class:`SourceError` if a document of this text or of this file name is registered already."""
    for doc in registered_documents(root).values():
        if doc.sha256 == sha or doc.file_name == name:
            raise SourceError(f"{name} is already registered as document {doc.id} ({doc.title})")


def _outside_project(root: Path, file: Path, what: str) -> None:
    """:class:`SourceError` if ``file`` lies inside the project: the corpus stays outside the repository
    (its documents are read, never committed), beside it as ``../shared/corpus`` or where
    ``--corpus`` and ``$KG_CORPUS`` say."""
    project, where = Path(root).resolve(), Path(file).expanduser().resolve()
    if project in where.parents:
        raise SourceError(f"{what} is inside the project {project}: the corpus stays outside the repository; "
                          "put the document in a corpus folder beside it, such as ../shared/corpus")


_WRITE_ERRORS = (13, 28, 30, 122)  # EACCES, ENOSPC, EROFS, EDQUOT


class _locked:
    """``graph/sources.ttl`` opened for reading and appending, with an exclusive lock where the system has one."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.handle = open(self.path, "a+b")
        try:
            import fcntl

            fcntl.flock(self.handle, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - Windows: no lock
            pass
        self.handle.seek(0)
        return self.handle

    def __exit__(self, *exc):
        self.handle.close()  # closing releases the lock
        return False


def _check_turtle(path: Path, text: str, doc_id: str) -> None:
    """:class:`SourceError` unless ``text`` (the registry with the new block) parses and names the new document."""
    from rdflib import Graph, Literal, Namespace

    graph = Graph()
    try:
        graph.parse(data=text, format="turtle")
    except Exception as exc:  # rdflib raises several kinds for a syntax error
        raise SourceError(f"{path} would not parse with the new block ({' '.join(str(exc).split())[:200]}); "
                          "nothing was written: check the values given") from None
    if (None, Namespace(_PREFIXES["kg"]).documentId, Literal(doc_id)) not in graph:
        raise SourceError(f"{path} would not hold document {doc_id} after the append; nothing was written")


def _append(handle, data: bytes, size: int) -> None:
    """Append ``data``; if the write fails halfway (a full disk), cut the file back to ``size`` bytes."""
    try:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    except OSError:
        try:
            handle.truncate(size)
        except OSError:
            pass
        raise
