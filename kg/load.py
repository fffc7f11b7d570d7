"""Finding and parsing the hand-edited files of ``ontology/`` and ``graph/``.

Files are found by glob, so a new file needs no code change:

* ``ontology/*.ttl``: the vocabulary (``shapes.ttl`` is kept apart for validation);
* ``graph/**/*.ttl``: entity cards and source descriptions, loaded into the default graph;
* ``graph/**/*.trig``: claims, one named graph per evidence span.

A file that does not parse raises :class:`InputError` naming the file, line and column. A file or
folder reached through a link that leaves the project is not read: :func:`outside_link` names the
link and its target, and :func:`find_files` refuses it (the named questions of ``queries/`` and the
checks of ``queries/checks/`` are read through the same test).
"""

from __future__ import annotations

from pathlib import Path

# one error class for every input (kg.load.InputError stays importable)
from kg.inputs import InputError, error_lines, unlisted

if False:  # pragma: no cover - for type checkers; rdflib is imported where files are parsed (kg query needs none)
    from rdflib import Dataset, Graph

__all__ = ["InputError", "SourceFile", "outside_link", "check_inside", "inside_files", "find_files", "parse_file", "load_project", "cache_entry"]

SHAPES_FILE = "shapes.ttl"


class SourceFile:
    """One parsed input file: its path, kind (``"ontology"``, ``"shapes"``, ``"data"`` (.ttl) or
    ``"claims"`` (.trig)) and content, as an rdflib ``Dataset`` (:attr:`dataset`) or as a list of
    quads (:attr:`quads`); each is made from the other when first asked for."""

    def __init__(self, path: Path, kind: str, dataset: Dataset | None = None, *, quads: list | None = None,
                 key: str | None = None, cached: dict | None = None, from_cache: bool = False):
        self.path, self.kind = path, kind
        self._dataset, self._quads = dataset, quads
        self.key = key  # its cache key (kg.buildcache.file_key), when loaded with a cache
        self.cached = cached if cached is not None else {}  # per-file check results (from the cache or for it)
        self.from_cache = from_cache  # quads read from the cache rather than parsed again

    def __repr__(self) -> str:
        return f"SourceFile({str(self.path)!r}, {self.kind!r})"

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            self._dataset = _dataset_of(self._quads or [])
        return self._dataset

    @property
    def default(self) -> Graph:
        return self.dataset.default_graph

    def drop(self, terms: set) -> None:
        """Leave out every statement holding one of ``terms`` (the file's errors name them: the build
        then writes nothing, but its other checks still run, on what the outputs can carry)."""
        self._quads = [quad for quad in self.quads if not any(t in terms for t in quad if t is not None)]
        self._dataset = None

    @property
    def quads(self) -> list:
        """``(s, p, o, graph name)`` of every statement, the graph name ``None`` for the default graph."""
        if self._quads is None:
            from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

            self._quads = [(s, p, o, None if g is None or g == DATASET_DEFAULT_GRAPH_ID else g)
                           for s, p, o, g in self._dataset.quads((None, None, None, None))]
        return self._quads


ALWAYS = ("sources.ttl", "core.ttl")


def outside_link(path: Path, root: Path) -> str | None:
    """Why ``path`` may not be read as an input of the project at ``root``, or ``None`` when it may.

    ``path`` (a file or folder under ``root``, or a name relative to the current folder) may be read
    when its resolved path, every link followed, lies inside ``root`` resolved. Otherwise the answer
    is one line naming the first link on the way from ``root`` that leads out (the file itself, or a
    folder on its way) and that link's target, and saying to copy the file in. Raises nothing.
    """
    base = Path(root).absolute()
    root = base.resolve()
    path = Path(path).absolute()
    target = path.resolve()
    if target == root or root in target.parents:
        return None
    link = None  # the first link below root whose target leaves it
    start = next((start for start in (base, root) if start in path.parents), None)
    if start is not None:
        step = start
        for part in path.relative_to(start).parts:
            step = step / part
            if step.is_symlink() and not (step.resolve() == root or root in step.resolve().parents):
                link = step
                break
    if link is None:  # named outside (../x), or through a link above root
        return (f"{path} is outside the project {root} (it is {target}): kg reads no input from outside the "
                "project; copy the file into it")
    what = "files" if link.is_dir() else "file"
    return (f"{link.relative_to(start)} is a link to {link.resolve()}, outside the project {root}: kg reads no input "
            f"from outside the project; copy the {what} into it instead of linking")


def check_inside(path: Path, root: Path) -> Path:
    """``path`` when it may be read as an input of the project at ``root`` (see :func:`outside_link`).

    Raises :class:`InputError` (one line naming the link and its target) when it leads outside.
    """
    reason = outside_link(path, root)
    if reason:
        raise InputError(reason)
    return path


def inside_files(paths, root: Path) -> list[Path]:
    """``paths`` (input files of the project at ``root``), as a list, when none leads outside it.

    Raises :class:`InputError` with one line per link leading outside (see :func:`outside_link`).
    """
    paths = list(paths)
    outside = dict.fromkeys(filter(None, (outside_link(path, root) for path in paths)))
    if outside:
        raise InputError(error_lines(outside))
    return paths


def find_files(root: Path, only: list[str] | None = None) -> list[tuple[Path, str]]:
    """Every input file of the project at ``root``, with its kind, in a stable order.

    With ``only`` (file-name globs), claims files are limited to the matching ones (every entity card
    and source description is still read, so the claims can name them): a curator can check one
    document while another is mid-edit.

    Raises :class:`InputError` when there is no ``ontology/`` folder, when an input file, or a
    folder of ``graph/``, is a link leading outside the project (one line per link): its content
    is never read; or when ``ontology/`` or a folder of ``graph/`` cannot be listed (the glob would
    skip its files silently, and the build would go on without them).
    """
    import os

    ontology = root / "ontology"
    graph = root / "graph"
    if not ontology.is_dir():
        raise InputError(f"{ontology}: no ontology folder (is {root} the project root?)")
    found: list[tuple[Path, str]] = []
    closed = [folder for folder in (ontology, graph) if folder.is_dir() and not os.access(folder, os.R_OK | os.X_OK)]
    for path in sorted(ontology.glob("*.ttl")):
        found.append((path, "shapes" if path.name == SHAPES_FILE else "ontology"))
    folders = []  # linked folders of graph/: the glob does not enter them, so their files would vanish unread
    if graph.is_dir():
        for path in sorted(graph.rglob("*")):
            if "drafts" in path.relative_to(graph).parts:
                continue  # kg ingest's drafts are not curated until a curator moves them
            if path.is_symlink() and path.is_dir():
                folders.append(path)
            if only and path.suffix == ".trig" and not any(path.match(g) for g in only):
                continue
            if path.suffix == ".ttl":
                found.append((path, "data"))
            elif path.suffix == ".trig":
                found.append((path, "claims"))
            elif not path.suffix and not os.access(path, os.R_OK | os.X_OK) and path.is_dir():
                closed.append(path)
    if closed:
        raise InputError(error_lines(unlisted(folder) for folder in closed))
    # a file can lead out only through a link: itself, or ontology/ or graph/ (the globs enter no other linked folder)
    links = [path for path, _ in found if path.is_symlink()] + folders
    if ontology.is_symlink() or graph.is_symlink():
        links = [path for path, _ in found] + folders
    outside = dict.fromkeys(filter(None, (outside_link(path, root) for path in links)))
    if outside:
        raise InputError(error_lines(outside))
    return found


def _syntax_message(path: Path, exc: Exception) -> str:
    from rdflib.plugins.parsers.notation3 import BadSyntax

    if isinstance(exc, BadSyntax):
        text = exc._str.decode("utf-8", "replace") if isinstance(exc._str, bytes) else str(exc._str)
        # rdflib gives -1 when the file ends inside a statement: the error is then after its last character
        pos = min(exc._i, len(text)) if exc._i >= 0 else len(text.rstrip())
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        if exc._i < 0:
            return (f"{path}:{line}:{column}: syntax error: the file ends inside a statement ({_one_line(exc._why)}): "
                    "end it with ' .' and close its brackets")
        return f"{path}:{line}:{column}: syntax error: {_one_line(exc._why)}"
    if isinstance(exc, RecursionError):
        return f"{path}: syntax error: brackets or lists nested more deeply than the parser can follow; flatten them"
    return f"{path}: syntax error: {_one_line(exc)}"


def _one_line(message) -> str:
    """A parser's message on one line of at most 300 characters (rdflib's quote the text around the
    error, line breaks included, which would break the one-line error into several)."""
    text = " ".join(str(message).split())
    return text if len(text) <= 300 else text[:299] + "…"


def _huge_number_message(path: Path, data: str) -> str | None:
    """A clear message for a number too long to convert (Python refuses integers over 4,300 digits)."""
    import re

    m = re.search(r"\d{4000,}", data)
    if not m:
        return None
    line = data.count("\n", 0, m.start()) + 1
    return f"{path}:{line}: a number of {len(m.group())} digits; no figure of this graph is that long: check the value"


def parse_file(path: Path, kind: str, raw: bytes | None = None) -> SourceFile:
    """Parse one Turtle or TriG file (``raw``: its bytes, when already read); a syntax error names
    the file, line and column (:class:`InputError`)."""
    import logging

    from rdflib import Dataset

    logging.getLogger("rdflib.term").setLevel(logging.ERROR)  # invalid IRIs are reported by kg.model, with a line
    dataset = Dataset()
    fmt = "trig" if path.suffix == ".trig" else "turtle"
    from kg.inputs import decode, read_bytes

    raw = read_bytes(path) if raw is None else raw  # a regular file, bounded, unchanged while read
    data = decode(raw, path)  # a byte-order mark is dropped
    if not data.endswith("\n"):  # rdflib's parser indexes past a last statement cut short (IndexError, no line)
        data += "\n"
    try:
        if fmt == "trig":
            dataset.parse(data=data, format="trig", publicID=path.as_uri())
        else:
            dataset.default_graph.parse(data=data, format="turtle", publicID=path.as_uri())
    except Exception as exc:  # rdflib raises several types for bad input
        raise InputError(_huge_number_message(path, data) or _syntax_message(path, exc)) from None
    return SourceFile(path, kind, dataset)


def load_project(root: Path, only: list[str] | None = None, cache: Path | None = None,
                 read_cache: bool = True) -> list[SourceFile]:
    """Parse every input file of the project; every malformed file is reported, not just the first
    (one :class:`InputError`).

    With ``cache`` (a folder, see :mod:`kg.buildcache`), a file whose path, bytes and build code are
    those of a cached entry is not parsed again: its quads and per-file check results are read from
    the entry. A damaged entry is ignored and the file parsed. With ``read_cache`` false every file
    is parsed, but still given its key, so that the build can store it.
    """
    parsed, errors = [], []
    for path, kind in find_files(Path(root).resolve(), only):
        try:
            parsed.append(_load_one(path, kind, cache, read_cache))
        except InputError as exc:
            errors.append(str(exc))
    if errors:
        raise InputError(error_lines(errors))
    return parsed


def _load_one(path: Path, kind: str, cache: Path | None, read_cache: bool = True) -> SourceFile:
    if cache is None:
        return parse_file(path, kind)
    from kg import buildcache
    from kg.inputs import read_bytes

    raw = read_bytes(path)
    key = buildcache.file_key(path, kind, raw)
    entry = None if not read_cache else buildcache.read_entry(
        cache, f"{key}.pickle", check=lambda e: isinstance(e, dict) and isinstance(e.get("quads"), list))
    if entry is None:
        src = parse_file(path, kind, raw)
        src.key = key
        return src
    return SourceFile(path, kind, quads=entry["quads"], key=key, cached=dict(entry.get("checks") or {}),
                      from_cache=True)


def _dataset_of(quads) -> Dataset:
    """An rdflib ``Dataset`` holding ``quads`` (``(s, p, o, graph name)``, as ``Dataset.quads`` gives them)."""
    from rdflib import Dataset
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    dataset = Dataset()
    graphs = {}
    for s, p, o, g in quads:
        name = DATASET_DEFAULT_GRAPH_ID if g is None else g
        graph = graphs.get(name)
        if graph is None:
            graph = graphs[name] = dataset.default_graph if name == DATASET_DEFAULT_GRAPH_ID else dataset.graph(name)
        graph.add((s, p, o))
    return dataset


def cache_entry(src: SourceFile) -> dict:
    """What :func:`load_project` keeps of a parsed file in the cache: its quads and check results."""
    return {"quads": src.quads, "checks": {k: v for k, v in src.cached.items() if not k.startswith("_")}}
