"""Validation: SHACL shapes and SPARQL quality checks, with messages a curator can act on.

* ``ontology/shapes.ttl`` states what every instance of each class must have (pySHACL);
* ``queries/checks/*-violation.rq`` are SPARQL queries that must return no rows; each has a
  ``#+ message:`` header whose ``{variable}`` placeholders are filled from the offending row.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.namespaces import shorten

__all__ = ["validate", "prepare", "where_written", "dataset_nquads", "shacl_messages", "shacl_results", "incremental_shacl", "local_shapes", "run_checks", "load_checks", "shacl_helper"]

SH = Namespace("http://www.w3.org/ns/shacl#")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
CHECKS_DIR = Path(__file__).resolve().parent.parent / "queries" / "checks"


def shacl_results(data: Graph, shapes: Graph) -> dict:
    """Validate ``data`` against ``shapes``: ``{focus node: [(severity, line), ...]}`` where severity is
    ``"violation"`` or ``"warning"`` (``sh:Warning`` and ``sh:Info``) and the line says what to fix."""
    from pyshacl import validate as shacl_validate

    _, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    out: dict = {}
    for result in [*report.subjects(SH.resultSeverity, SH.Warning), *report.subjects(SH.resultSeverity, SH.Info)]:
        focus, text = report.value(result, SH.focusNode), report.value(result, SH.resultMessage)
        out.setdefault(focus, []).append(("warning", f"{shorten(str(focus))}: {text}"))
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        text = report.value(result, SH.resultMessage)
        parts = [shorten(str(focus))]
        if path is not None:
            parts.append(shorten(str(path)) if isinstance(path, URIRef) else "(path)")
        line = " ".join(parts) + f": {text}"
        if value is not None and value != focus:
            line += f" (value: {shorten(str(value))})"
        out.setdefault(focus, []).append(("violation", line))
    return out


def _import_pyshacl() -> None:
    import pyshacl  # noqa: F401 - imported ahead (a tenth of a second), in the helper process


def _shacl_of_triples(request: tuple) -> dict:
    """:func:`shacl_results` of ``(data triples, shapes triples)``."""
    data, shapes = Graph(), Graph()
    for graph, triples in zip((data, shapes), request):
        for triple in triples:
            graph.add(triple)
    return shacl_results(data, shapes)


def shacl_helper():
    """A :class:`kg.buildfork.Helper` child that imports pySHACL now (while the build assembles and
    checks the data), then validates the triples it is sent: give it to :func:`incremental_shacl`,
    whose few nodes to validate again it then validates beside this process's other checks."""
    from kg.buildfork import Helper

    return Helper(_import_pyshacl, _shacl_of_triples)


def _messages(results: dict, where: dict | None, warnings: list | None) -> list[str]:
    """Violation lines (sorted, once each), prefixed with the file that writes the focus node; warnings
    are appended to ``warnings``."""
    messages = []
    for focus, found in results.items():
        prefix = f"{where[focus]}: " if where and focus in where else ""
        for severity, line in found:
            if severity == "violation":
                messages.append(prefix + line)
            elif warnings is not None:
                warnings.append(prefix + line)
    return sorted(set(messages))


def shacl_messages(data: Graph, shapes: Graph, where: dict | None = None, warnings: list | None = None) -> list[str]:
    """Validate ``data`` against ``shapes``; one line per violation, saying what to fix.

    Results of severity ``sh:Warning`` or ``sh:Info`` are appended to ``warnings`` when given.
    """
    return _messages(shacl_results(data, shapes), where, warnings)


def load_checks(folder: Path | None = None) -> list[tuple[str, str, str]]:
    """``(name, message template, query text)`` for every ``*-violation.rq`` in the folder (default:
    the checks of the project the command runs on, :func:`kg.paths.checks_dir`).

    Raises :class:`kg.load.InputError` when a check is a link leading outside the project (the
    folder's grandparent, as ``queries/checks/``).
    """
    from kg.inputs import check_listable, read_text
    from kg.load import inside_files

    if folder is None:
        from kg.paths import checks_dir

        folder = checks_dir()
    check_listable(folder)  # else the glob finds nothing and no check runs, silently
    checks = []
    for path in inside_files(sorted(folder.glob("*-violation.rq")), folder.parent.parent):
        text = read_text(path, bom=False)  # a regular file only (a FIFO would wait forever): else InputError
        m = re.search(r"^#\+ message:\s*(.+)$", text, re.MULTILINE)
        template = m.group(1).strip() if m else f"{path.stem}: {{row}}"
        checks.append((path.stem, template, text))
    return checks


def _fill(template: str, row: dict) -> str:
    values = {k: shorten(v["value"]) if v["type"] == "uri" else v["value"] for k, v in row.items()}
    values["row"] = ", ".join(f"{k}={v}" for k, v in values.items())
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "?"), template)


def run_checks(engine, where: dict | None = None, folder: Path | None = None, skip=()) -> list[str]:
    """Run every quality check of ``folder`` (default as :func:`load_checks`; but those named in
    ``skip``) on an engine; one message per offending row.

    The messages of each check are sorted: a store returns rows in no fixed order (pyoxigraph's
    in-memory store iterates in an order that differs from one store to the next), so a build
    reports the same problems in the same order whatever store it ran on. A check must pick one
    value per group deterministically (``MIN``, not ``SAMPLE``) for the same reason.
    """
    from kg.store import QueryError

    messages = []
    if folder is None:
        from kg.paths import checks_dir

        folder = checks_dir()
    for name, template, text in load_checks(folder):
        if name in skip:
            continue
        found = []
        try:
            rows = engine.query(text).rows
        except QueryError as exc:  # a broken check names its file: the message alone sent curators to their data
            raise QueryError(f"{folder / (name + '.rq')}: the quality check does not run: {exc}") from None
        for row in rows:
            msg = f"[{name}] {_fill(template, row)}"
            for key in ("graph", "ev", "entity", "subject", "a"):
                term = row.get(key)
                if where and term and URIRef(term["value"]) in where:
                    msg = f"{where[URIRef(term['value'])]}: {msg}"
                    break
            found.append(msg)
        messages += sorted(found)
    return messages


def _where(result) -> dict:
    """Where each entity or evidence graph is written, for messages: IRI -> file."""
    where: dict = dict(result.cards)
    where.update(result.spans)
    known = getattr(result, "span_subjects", None) or {}  # recorded by kg.build.assemble
    for iri, path in result.spans.items():
        for s in (known[iri] if iri in known else result.dataset.graph(iri).subjects()):
            where.setdefault(s, path)
    return where


# SHACL terms whose results, for a focus node, depend only on the focus node's own triples, the
# rdf:type of the nodes they point to (sh:class) and the class hierarchy. Shapes using anything
# else (sh:node, inverse or sequence paths, SPARQL constraints, rules...) are validated in full.
_LOCAL = {"targetClass", "targetSubjectsOf", "targetNode", "property", "path", "alternativePath", "class",
          "datatype", "nodeKind", "minCount", "maxCount", "minInclusive", "maxInclusive", "minExclusive",
          "maxExclusive", "minLength", "maxLength", "pattern", "flags", "languageIn", "uniqueLang", "in",
          "hasValue", "lessThan", "lessThanOrEquals", "equals", "disjoint", "or", "and", "not", "xone",
          "message", "severity", "name", "description", "deactivated", "order", "group", "closed",
          "ignoredProperties", "defaultValue"}


def local_shapes(shapes: Graph) -> bool:
    """True when every shape of ``shapes`` judges a focus node by its own triples, the types of the
    nodes they point to and the class hierarchy (see :data:`_LOCAL`): then a node whose triples and
    neighbours' types did not change keeps its results."""
    from rdflib import BNode

    for s, p, o in shapes:
        if str(p).startswith(str(SH)) and str(p)[len(str(SH)):] not in _LOCAL:
            return False
        if p == SH.path and isinstance(o, BNode):  # only an alternative of plain properties
            alternatives = shapes.value(o, SH.alternativePath)
            if alternatives is None or set(shapes.predicates(o)) != {SH.alternativePath}:
                return False
            from rdflib.collection import Collection

            if not all(isinstance(x, URIRef) for x in Collection(shapes, alternatives)):
                return False
    # a property shape nested (at any depth, through sh:or, sh:and, sh:xone, sh:not, sh:property) in a
    # property shape judges the value nodes' own triples: not local
    for shape in set(shapes.subjects(SH.path, None)):
        seen, stack = set(), [shape]
        while stack:
            node = stack.pop()
            for p in (SH["or"], SH["and"], SH["xone"], SH["not"], SH.property):
                for member in _members(shapes, shapes.value(node, p)):
                    if member is None or member in seen:
                        continue
                    if (member, SH.path, None) in shapes or (member, SH.property, None) in shapes:
                        return False
                    seen.add(member)
                    stack.append(member)
    return True


def _members(shapes: Graph, head) -> list:
    from rdflib import RDF

    if head is None:
        return []
    if shapes.value(head, RDF.first) is None:
        return [head]
    out, node, seen = [], head, set()
    while node is not None and node != RDF.nil and node not in seen:  # a cyclic list ends
        seen.add(node)
        out.append(shapes.value(node, RDF.first))
        node = shapes.value(node, RDF.rest)
    return out


def _fingerprints(default: Graph, store=None) -> dict:
    """``{subject: (digest of its triples, digest of its rdf:type triples)}`` of the default graph,
    read from ``store`` (a ``pyoxigraph.Store`` holding the same dataset, faster) when given: its
    default graph is written as N-Triples (one triple a line, the subject first and never holding a
    space) and the lines sorted, so each subject's lines follow each other."""
    import hashlib

    from rdflib import BNode

    if store is None:
        rows: dict = {}
        types: dict = {}
        for s, p, o in default:
            rows.setdefault(s, []).append(f"{p.n3()} {o.n3()}")
            if p == RDF_TYPE:
                types.setdefault(s, []).append(o.n3())
        return {s: (hashlib.sha256("\n".join(sorted(r)).encode()).digest(),
                    hashlib.sha256("\n".join(sorted(types.get(s, ()))).encode()).digest()) for s, r in rows.items()}
    import pyoxigraph as ox

    lines = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).split(b"\n")
    lines.sort()
    type_token = b" <" + str(RDF_TYPE).encode() + b"> "
    out: dict = {}
    sha = hashlib.sha256
    start, n = 0, len(lines)
    while start < n:
        line = lines[start]
        if not line:
            start += 1
            continue
        cut = line.index(b" ")
        head = line[:cut + 1]
        end = start + 1
        while end < n and lines[end].startswith(head):
            end += 1
        group = lines[start:end]
        token = head[:-1].decode("utf-8")
        subject = URIRef(token[1:-1]) if token.startswith("<") else BNode(token[2:])
        out[subject] = (sha(b"\n".join(group)).digest(),
                        sha(b"\n".join(l for l in group if l[cut:cut + len(type_token)] == type_token)).digest())
        start = end
    return out


def _hierarchy_key(default: Graph, shapes_key: str) -> str:
    import hashlib

    from rdflib import RDFS

    from kg.buildcache import code_version

    pairs = sorted(f"{s}\x1f{o}" for s, o in default.subject_objects(RDFS.subClassOf))
    return hashlib.sha256("\n".join([code_version(), shapes_key, *pairs]).encode()).hexdigest()


def _subgraph(default: Graph, focus: set) -> Graph:
    """The triples that decide the results of the ``focus`` nodes under local shapes."""
    from rdflib import RDF, RDFS

    data = Graph()
    for s in focus:
        for s_, p, o in default.triples((s, None, None)):
            data.add((s_, p, o))
            if isinstance(o, URIRef):
                for t in default.objects(o, RDF.type):
                    data.add((o, RDF.type, t))
    for triple in default.triples((None, RDFS.subClassOf, None)):
        data.add(triple)
    return data


def incremental_shacl(default: Graph, shapes: Graph, shapes_key: str | None, cache: Path | None,
                      save: bool = True, store=None, read: bool = True, helper=None, meanwhile=None) -> tuple[dict, dict]:
    """SHACL results per focus node, as :func:`shacl_results` on the whole ``default`` graph gives them.

    With a ``cache`` folder holding the results of a previous build under the same shapes, class
    hierarchy and code (``shapes_key`` names the shapes), only the nodes whose triples changed, and
    those pointing to a node whose types changed, are validated again (on the triples that decide
    their results); the others keep theirs. Shapes that are not :func:`local_shapes`, a missing or
    damaged cache, or no ``shapes_key`` mean a full validation. Returns the results and what was done
    (``{"mode": "full" | "incremental", "validated": number of nodes, "state": what the cache keeps}``,
    and ``"helper": True`` when ``helper`` validated them).
    With ``save``, the state is stored in the cache for the next build. ``store``: a ``pyoxigraph.Store`` holding the same
    dataset, read to find what changed (faster than reading ``default``). ``read`` false: validate in
    full whatever the cache holds. ``helper``: a :func:`shacl_helper`, which validates the nodes to
    validate again (when some are, incrementally) while ``meanwhile()`` runs here; it is discarded
    otherwise, and when it fails they are validated here. ``meanwhile`` is called once in any case.
    """
    from rdflib import RDF

    from kg import buildcache

    prints = _fingerprints(default, store)
    key = _hierarchy_key(default, shapes_key) if shapes_key else None
    state = None
    if read and cache is not None and key is not None and local_shapes(shapes):
        state = buildcache.read_entry(cache, "shacl.pickle", check=lambda e: e.get("key") == key)
    results = None
    info = {"mode": "full", "validated": len(prints)}
    if state is not None and all(isinstance(s, URIRef) for s in prints):
        old = state["fingerprints"]
        changed = {s for s in old.keys() | prints.keys() if old.get(s) != prints.get(s)}
        retyped = {s for s in changed if (old.get(s) or (None, None))[1] != (prints.get(s) or (None, None))[1]}
        affected = set(changed)
        for node in retyped:
            affected.update(s for s in default.subjects(None, node) if s != node)
        kept = {f: r for f, r in state["results"].items() if f not in affected}
        data = _subgraph(default, affected) if affected else None
        asked = helper is not None and data is not None and helper.ask((list(data), list(shapes)))
        if meanwhile is not None:
            meanwhile()
            meanwhile = None
        fresh = (helper.answer() if asked else None) if data is not None else {}
        info = {"mode": "incremental", "validated": len(affected)}
        if fresh is None:
            fresh = shacl_results(data, shapes)
        elif asked:
            info["helper"] = True  # validated by the helper process
        results = {**kept, **{f: r for f, r in fresh.items() if f in affected}}
    if helper is not None:
        helper.discard()  # (asked, or not needed)
    if results is None:
        data = Graph()
        for triple in default:
            data.add(triple)
        results = shacl_results(data, shapes)
    if meanwhile is not None:
        meanwhile()
    if key is not None:
        info["state"] = {"key": key, "fingerprints": prints, "results": results}  # what the cache keeps
        if save and cache is not None:
            buildcache.write_entry(cache, "shacl.pickle", info["state"])
    return results, info


def dataset_nquads(dataset) -> bytes:
    """The quads of an rdflib ``Dataset`` as N-Quads (UTF-8), its default graph as the default graph,
    written term by term from rdflib's per-graph sets (several times faster than its serializer), the
    lines sorted. Terms are written as they are: an invalid IRI makes N-Quads a reader refuses."""
    from rdflib import BNode, Literal
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    iris: dict = {}  # keyed by plain strings: hashing rdflib terms is slow (a Python method each)
    literals: dict = {}
    escapes = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})

    def term(t) -> str:
        kind = type(t)
        if kind is URIRef:
            text = str(t)
            out = iris.get(text)
            if out is None:
                out = iris[text] = f"<{text}>"
            return out
        if kind is Literal or isinstance(t, Literal):
            key = (str(t), t._language, None if t._datatype is None else str(t._datatype))
            out = literals.get(key)
            if out is None:
                text, language, datatype = key
                out = '"' + text.translate(escapes) + '"'
                if language:
                    out += "@" + language
                elif datatype is not None:
                    out += f"^^<{datatype}>"
                literals[key] = out
            return out
        if isinstance(t, BNode):
            return f"_:{t}"
        return f"<{t}>"

    lines = []
    from kg.buildrdf import graph_triples

    for triples, graph in graph_triples(dataset):
        tail = " .\n" if graph == DATASET_DEFAULT_GRAPH_ID else f" {term(graph)} .\n"
        lines += [f"{term(s)} {term(p)} {term(o)}{tail}" for s, p, o in triples]
    # Sorted (code point order, the order of LC_ALL=C sort): the same dataset always gives the same
    # bytes, and each subject's quads are together, which pyoxigraph loads faster (its in-memory
    # store keeps a map per subject; at x100 12% less processor time, bench/SCALE.md "Loads, sixth
    # pass"). About 20 ms on the curated graph.
    lines.sort()
    return "".join(lines).encode("utf-8")


def prepare(result) -> None:
    """Write a build result's dataset as N-Quads (``result.nquads``) and load them into the engine
    the checks run on (``result.engine``, pyoxigraph in memory); its time is counted in
    ``result.timings["checks"]``."""
    import time

    from kg.store import OxigraphEngine

    t0 = time.perf_counter()
    try:
        result.nquads = dataset_nquads(result.dataset)
        engine = OxigraphEngine(result.nquads)
    except (SyntaxError, ValueError):  # a term no reader takes: as rdflib writes it, and its error
        nquads = result.dataset.serialize(format="nquads")
        result.nquads = nquads.encode("utf-8") if isinstance(nquads, str) else nquads
        engine = OxigraphEngine(result.nquads)
    result.engine = engine
    result.timings["checks"] = result.timings.get("checks", 0.0) + time.perf_counter() - t0


def where_written(result) -> dict:
    """Where each entity or evidence graph of a build result is written, for messages: IRI -> file."""
    return _where(result)


def validate(result, skip=(), cache: Path | None = None, read: bool = True, checks: bool = True,
             where: dict | None = None, helper=None, meanwhile=None) -> None:
    """Run SHACL and the SPARQL checks on a build result, appending messages to its errors.

    With ``cache`` (a folder), SHACL revalidates only what changed since the build that filled it
    (:func:`incremental_shacl`; ``read`` false: ignore what it holds); the messages are those of a
    full validation. What the cache should keep is left in ``result.shacl_state``, for the caller to
    store once the build has succeeded. The dataset is loaded first (:func:`prepare`) unless it
    was. ``checks`` false: SHACL only (the caller runs :func:`run_checks`, on ``result.engine``).
    ``where``: :func:`where_written` of ``result``, when the caller made it already. ``helper`` and
    ``meanwhile``: see :func:`incremental_shacl` (``meanwhile`` is called once, before the SHACL
    messages are added).
    """
    import time

    if result.engine is None:
        prepare(result)
    engine = result.engine
    t1 = time.perf_counter()
    default = result.dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    where = _where(result) if where is None else where
    shacl_warnings: list[str] = []
    spent = [0.0]  # in meanwhile(), not in SHACL

    def timed() -> None:
        t = time.perf_counter()
        meanwhile()
        spent[0] = time.perf_counter() - t

    results, info = incremental_shacl(default, result.shapes, getattr(result, "shapes_key", None), cache, False,
                                      store=engine.store, read=read, helper=helper,
                                      meanwhile=timed if meanwhile is not None else None)
    result.shacl_state = info.pop("state", None)
    result.shacl_mode = info
    result.errors.extend(_messages(results, where, shacl_warnings))
    result.warnings.extend(sorted(set(shacl_warnings)))
    t2 = time.perf_counter()
    if checks:
        result.errors.extend(run_checks(engine, where, skip=skip))
    result.timings["shacl"] = t2 - t1 - spent[0]
    result.timings["checks"] = result.timings.get("checks", 0.0) + time.perf_counter() - t2
