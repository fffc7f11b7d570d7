"""Finding and parsing the hand-edited files of ``ontology/`` and ``graph/``.

Files are found by glob, so a new file needs no code change:

* ``ontology/*.ttl``: the vocabulary (``shapes.ttl`` is kept apart for validation);
* ``graph/**/*.ttl``: entity cards and source descriptions, loaded into the default graph;
* ``graph/**/*.trig``: claims, one named graph per evidence span.

A file that does not parse raises :class:`InputError` naming the file, line and column.
"""

from __future__ import annotations

from pathlib import Path

if False:  # pragma: no cover - for type checkers; rdflib is imported where files are parsed (kg query needs none)
    from rdflib import Dataset, Graph

__all__ = ["InputError", "SourceFile", "find_files", "parse_file", "load_project"]

SHAPES_FILE = "shapes.ttl"


class InputError(Exception):
    """An input file is missing or malformed; the message names the file and line."""


class SourceFile:
    """One parsed input file: its path, kind (``ontology``, ``shapes``, ``data`` for .ttl or ``claims``
    for .trig) and parsed dataset. (Not a dataclass: this module is on the query path, for
    :func:`find_files`, and :mod:`dataclasses` costs a cold ``kg query`` much.)"""

    def __init__(self, path: Path, kind: str, dataset: Dataset):
        self.path, self.kind, self.dataset = path, kind, dataset

    def __repr__(self) -> str:
        return f"SourceFile(path={self.path!r}, kind={self.kind!r})"

    @property
    def default(self) -> Graph:
        return self.dataset.default_graph


ALWAYS = ("sources.ttl", "core.ttl")


def find_files(root: Path, only: list[str] | None = None) -> list[tuple[Path, str]]:
    """Every input file of the project at ``root``, with its kind, in a stable order.

    With ``only`` (file-name globs), claims files are limited to the matching ones (every entity card
    and source description is still read, so the claims can name them): a curator can check one
    document while another is mid-edit.
    """
    ontology = root / "ontology"
    graph = root / "graph"
    if not ontology.is_dir():
        raise InputError(f"{ontology}: no ontology folder (is {root} the project root?)")
    found: list[tuple[Path, str]] = []
    for path in sorted(ontology.glob("*.ttl")):
        found.append((path, "shapes" if path.name == SHAPES_FILE else "ontology"))
    if graph.is_dir():
        for path in sorted(graph.rglob("*")):
            if "drafts" in path.relative_to(graph).parts:
                continue  # kg ingest's drafts are not curated until a curator moves them
            if only and path.suffix == ".trig" and not any(path.match(g) for g in only):
                continue
            if path.suffix == ".ttl":
                found.append((path, "data"))
            elif path.suffix == ".trig":
                found.append((path, "claims"))
    return found


def _syntax_message(path: Path, exc: Exception) -> str:
    from rdflib.plugins.parsers.notation3 import BadSyntax

    if isinstance(exc, BadSyntax):
        text = exc._str.decode("utf-8", "replace") if isinstance(exc._str, bytes) else str(exc._str)
        pos = min(exc._i, len(text))
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        return f"{path}:{line}:{column}: syntax error: {exc._why}"
    return f"{path}: syntax error: {exc}"


def _huge_number_message(path: Path, data: str) -> str | None:
    """A clear message for a number too long to convert (Python refuses integers over 4,300 digits)."""
    import re

    m = re.search(r"\d{4000,}", data)
    if not m:
        return None
    line = data.count("\n", 0, m.start()) + 1
    return f"{path}:{line}: a number of {len(m.group())} digits; no figure of this graph is that long: check the value"


def parse_file(path: Path, kind: str) -> SourceFile:
    """Parse one Turtle or TriG file; a syntax error names the file, line and column."""
    import logging

    from rdflib import Dataset

    logging.getLogger("rdflib.term").setLevel(logging.ERROR)  # invalid IRIs are reported by kg.model, with a line
    dataset = Dataset()
    fmt = "trig" if path.suffix == ".trig" else "turtle"
    try:
        raw = path.read_bytes()
        data = raw.decode("utf-8-sig")  # a byte-order mark is dropped
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{path}:{line}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    try:
        if fmt == "trig":
            dataset.parse(data=data, format="trig", publicID=path.as_uri())
        else:
            dataset.default_graph.parse(data=data, format="turtle", publicID=path.as_uri())
    except Exception as exc:  # rdflib raises several types for bad input
        raise InputError(_huge_number_message(path, data) or _syntax_message(path, exc)) from None
    return SourceFile(path, kind, dataset)


def load_project(root: Path, only: list[str] | None = None) -> list[SourceFile]:
    """Parse every input file of the project; every malformed file is reported, not just the first."""
    parsed, errors = [], []
    for path, kind in find_files(Path(root).resolve(), only):
        try:
            parsed.append(parse_file(path, kind))
        except InputError as exc:
            errors.append(str(exc))
    if errors:
        raise InputError("\n".join(errors))
    return parsed
