"""The model enforced at build time: what cards may say, disjoint classes, documents, unread files.

* An **entity card** (``graph/entities/*.ttl``) gives an entity its class and names only:
  ``rdf:type``, ``skos:prefLabel``, ``skos:altLabel``, ``skos:hiddenLabel``, ``schema:name``.
  Anything else would be a statement without evidence; it is an error naming file and line.
  (``graph/sources.ttl`` describes the documents and ``graph/disagreements/`` holds
  ``kg:Disagreement`` nodes: they are not cards.)
* **Disjoint classes** declared in the ontology (``owl:AllDisjointClasses``, ``owl:disjointWith``)
  are checked after the superclasses are materialized: a person is not a place.
* A **changed corpus document** is reported once, by its SHA-256 against ``graph/sources.ttl``,
  and its spans are not verified one by one (they would all fail).
* Files in ``graph/`` the loader does not read (``.jsonld``, ``.rdf``, ``.nt``...) are warned about.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from rdflib import OWL, RDF, URIRef
from rdflib.collection import Collection
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import SKOS

from kg.namespaces import BASE, KG, PREFIXES, shorten

__all__ = ["CARD_PROPERTIES", "check_cards", "check_disjoint", "check_documents", "unread_files", "line_of",
           "check_model"]

SCHEMA_NAME = URIRef("https://schema.org/name")
CARD_PROPERTIES = {RDF.type, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SCHEMA_NAME}
READ_SUFFIXES = {".ttl", ".trig"}
IGNORED_SUFFIXES = {".md", ".txt"}


def line_of(path: Path, *needles: str) -> int:
    """The first line of ``path`` holding all of ``needles`` in order (the first needle's line otherwise); 1 if none."""
    from kg.inputs import InputError, read_text

    try:
        lines = read_text(path).splitlines()
    except InputError:
        return 1
    first = needles[0] if needles else ""
    start = next((i for i, line in enumerate(lines) if first and first in line), None)
    if start is None:
        return 1
    for i in range(start, len(lines)):
        if any(n in lines[i] for n in needles[1:]):
            return i + 1
    return start + 1


def read_first_line(path: Path) -> str:
    """The first line of ``path`` ("" when it cannot be read): :func:`line_of` answers 1 for it and for nothing."""
    from kg.inputs import InputError, read_text

    try:
        return read_text(path).split("\n", 1)[0]
    except InputError:
        return ""


def _spellings(iri) -> list[str]:
    short = shorten(str(iri))
    return [s for s in (short, f"<{iri}>", str(iri).rsplit("/", 1)[-1].rsplit("#", 1)[-1]) if s]


#: Where every entity of the graph is named (the cards of graph/entities/).
ENTITY_NAMESPACE = BASE + "id/"


def check_cards(files) -> list[str]:
    """Errors for statements on entity cards beyond class, labels and aliases, and for cards named
    outside :data:`ENTITY_NAMESPACE` (file:line: what to do)."""
    errors = []
    for src in files:
        if src.kind != "data" or "entities" not in src.path.parts:
            continue
        for s, p, o in sorted(src.default, key=lambda t: (str(t[0]), str(t[1]))):
            if p == RDF.type and isinstance(s, URIRef) and not str(s).startswith(ENTITY_NAMESPACE):
                # (a @base or a redefined prefix: the checks of cards without evidence look at the namespace only)
                tail = str(s).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
                first = read_first_line(src.path)  # (line_of answers 1 for the first line and for nothing)
                line = next((n for form in (f"<{s}>", f"<{tail}>", f":{tail} ", f":{tail}\t")
                             if (n := line_of(src.path, form)) > 1 or form in first), 1)
                errors.append(f"{src.path}:{line}: <{str(s).encode('unicode_escape').decode('ascii')}> is a card outside the graph's entities "
                              f"({ENTITY_NAMESPACE}...): name it with a prefix of the project (place:, group:...); "
                              "check @base and @prefix lines")
            if p in CARD_PROPERTIES:
                continue
            subject = shorten(str(s)) if isinstance(s, URIRef) else "a blank node"
            line = line_of(src.path, _spellings(s)[0] if isinstance(s, URIRef) else "[", *_spellings(p))
            errors.append(f"{src.path}:{line}: {subject} {shorten(str(p))} ... is a statement on an entity card, "
                          "which holds only its class, labels and aliases; move it into the claims of the document "
                          "that states it (graph/claims/dNNN.trig, inside its evidence span)")
    return errors


def check_iris(files) -> list[str]:
    """Errors for IRIs that are not valid (spaces, quotes, angle brackets, control characters), by file and line."""
    from kg.known import _IRI

    from kg.inputs import InputError, read_text
    from kg.literals import iri_lines

    errors = []
    for src in files:
        bad = sorted({str(t) for quad in src.dataset.quads((None, None, None, None)) for t in quad
                      if isinstance(t, URIRef) and not _IRI.match(str(t))})
        try:  # an IRI written with escapes (<x\u0020y>) is not spelled in the file as its value
            written = iri_lines(read_text(src.path)) if bad else {}
        except InputError:
            written = {}
        for iri in bad:
            raw = iri.rsplit("/", 1)[-1] or iri
            shown = "".join(c if c.isprintable() else f"\\u{ord(c):04X}" for c in iri)
            errors.append(f"{src.path}:{written.get(iri) or line_of(src.path, raw)}: <{shown}> is not a valid IRI (no "
                          "spaces, quotes, angle brackets or control characters): write it with %20 or choose another slug")
    return errors


def _disjoint_groups(graph) -> list[set]:
    groups = []
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = graph.value(node, OWL.members)
        if members is not None:
            groups.append(set(Collection(graph, members)))
    for a, b in graph.subject_objects(OWL.disjointWith):
        groups.append({a, b})
    return groups


def check_disjoint(result) -> list[str]:
    """Errors for entities typed with two classes declared disjoint (superclasses included)."""
    default = result.dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    groups = _disjoint_groups(default)
    if not groups:
        return []
    watched = set().union(*groups)
    types: dict = {}
    for s, cls in default.subject_objects(RDF.type):
        if cls in watched:
            types.setdefault(s, set()).add(cls)
    errors = []
    for s, classes in sorted(types.items(), key=lambda kv: str(kv[0])):
        for group in groups:
            clash = sorted(shorten(str(c)) for c in classes & group)
            if len(clash) > 1:
                where = result.cards.get(s) or result.spans.get(s) or "graph/"
                errors.append(f"{where}: {shorten(str(s))} is a {' and a '.join(clash)}, classes the ontology declares "
                              "disjoint; keep the one it is (or mint a second IRI for the other thing)")
                break
    return errors


def _sha256_file(path: Path) -> str:
    from kg.corpus import CorpusError
    from kg.inputs import read_bytes

    return hashlib.sha256(read_bytes(path, error=CorpusError)).hexdigest()  # a FIFO would wait forever


def check_documents(result, folder: Path) -> tuple[list[str], set[str]]:
    """Errors for corpus documents whose SHA-256 differs from ``graph/sources.ttl``, and their ids.

    A changed document is one line (``document 004 changed: its SHA-256 is X, graph/sources.ttl
    records Y``) instead of one error per span; the caller skips its spans.
    """
    from kg import corpus

    default = result.dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    errors, changed = [], set()
    for source, recorded in sorted(default.subject_objects(KG.sha256), key=lambda t: str(t[0])):
        name = str(source)
        if not name.startswith(PREFIXES["source"] + "d"):
            continue
        doc = name[len(PREFIXES["source"]) + 1:]
        try:
            path = corpus.document_path(folder, doc)
        except corpus.CorpusError:
            continue  # a missing document is reported by the spans that cite it
        actual = _sha256_file(path)
        if actual != str(recorded):
            changed.add(doc)
            errors.append(f"document {doc} changed: its SHA-256 is {actual}, graph/sources.ttl records {recorded}; "
                          f"restore {path.name}, or re-locate every span of document {doc} (kg locate) and record the new hash")
            continue
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            changed.add(doc)
            errors.append(f"document {doc} ({path.name}) is not UTF-8 text (byte {exc.start}): save it as UTF-8")
    return errors, changed


def unread_files(root: Path) -> list[str]:
    """Warnings for files in ``graph/`` (any depth) and ``ontology/`` (its own files: the loader reads
    ``ontology/*.ttl`` alone) that the loader does not read."""
    out = []
    graph, ontology = root / "graph", root / "ontology"
    for path in sorted(graph.rglob("*")) if graph.is_dir() else []:
        if path.is_file() and not path.name.startswith(".") and path.suffix not in READ_SUFFIXES | IGNORED_SUFFIXES:
            out.append(f"{path.relative_to(root)} is not read (only .ttl and .trig files are): convert it to Turtle "
                       "or TriG, or move it out of graph/")
    for path in sorted(ontology.iterdir()) if ontology.is_dir() else []:
        if path.is_file() and not path.name.startswith(".") and path.suffix not in {".ttl"} | IGNORED_SUFFIXES:
            out.append(f"{path.relative_to(root)} is not read (only .ttl files of ontology/ are): convert it to "
                       "Turtle, or move it out of ontology/")
    return out


def check_model(result, files, root: Path) -> None:
    """Run the card, disjointness and unread-file checks on a build result (errors and warnings appended)."""
    result.errors.extend(check_iris(files))
    result.errors.extend(check_cards(files))
    result.errors.extend(check_disjoint(result))
    result.warnings.extend(unread_files(root))

