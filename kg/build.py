"""Build the knowledge graph: load, merge, materialize, verify, validate, write.

The merged dataset has one named graph per evidence span (the statements the span makes) and a
default graph holding everything: the ontology, entity cards, source descriptions, evidence
metadata, the union of all claims and a few materialized inferences (superclass types, the plain
triple of each qualified statement). Queries that ignore provenance read the default graph; queries
about evidence use ``GRAPH ?ev { ... }``. The layout works the same on any SPARQL 1.1 store.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.evidence import parse_span, span_triples, verify_span
from kg.load import InputError, SourceFile, load_project
from kg.namespaces import KG, bind_prefixes
from kg.sources import check_documents, open_corpus

__all__ = ["BuildResult", "build", "locked_build", "assemble", "OUTPUT_FILES", "default_out_dir"]

OUTPUT_FILES = {"trig": "kg.trig", "nquads": "kg.nq", "json-ld": "kg.jsonld"}
ALLOWED_BESIDE_SPAN = {KG.sha256, KG.note, RDFS.comment}
ONLY_SKIPS = ("unused-card-violation", "disagreement-evidence-violation")


@dataclass
class BuildResult:
    """What a build produced and found."""

    dataset: Dataset
    shapes: Graph
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    spans: dict[URIRef, Path] = field(default_factory=dict)
    cards: dict[URIRef, Path] = field(default_factory=dict)
    verified: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    outputs: list[Path] = field(default_factory=list)
    nquads: bytes | None = None  # the dataset as N-Quads, once validation has serialized it
    engine: object = None  # the engine the checks ran on, once validation has run
    mentions: list = field(default_factory=list)  # kg.mentions.Mention: names in literals without a link
    duplicates: list = field(default_factory=list)  # kg.duplicates.Duplicate: likely one entity with two IRIs
    quantity_overlaps: list = field(default_factory=list)  # kg.quantities.QuantityOverlap: one thing, two quantities
    generated_labels: int = 0  # labels kg.labels made for unnamed statistics, notes, positions, findings...

    @property
    def ok(self) -> bool:
        return not self.errors


def default_out_dir(root: Path) -> Path:
    return root / "build"


def _superclasses(ontology: Graph) -> dict[URIRef, set[URIRef]]:
    """Every class of the ontology with all its superclasses (transitive, excluding itself)."""
    direct: dict[URIRef, set[URIRef]] = {}
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            direct.setdefault(sub, set()).add(sup)
    closed: dict[URIRef, set[URIRef]] = {}
    for cls in direct:
        seen: set[URIRef] = set()
        stack = list(direct[cls])
        while stack:
            sup = stack.pop()
            if sup not in seen:
                seen.add(sup)
                stack.extend(direct.get(sup, ()))
        closed[cls] = seen
    return closed


def assemble(files: list[SourceFile]) -> BuildResult:
    """Merge parsed files into one dataset and materialize what the build derives."""
    dataset = Dataset()
    bind_prefixes(dataset)
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    shapes = Graph()
    result = BuildResult(dataset, shapes)
    ontology = Graph()
    for src in files:
        if src.kind == "shapes":
            shapes += src.default
            continue
        if src.kind == "ontology":
            ontology += src.default
        if src.kind != "claims":
            for triple in src.default:
                default.add(triple)
                if src.kind == "data":
                    result.cards.setdefault(triple[0], src.path)
            continue
        for s, p, o in src.default:
            if parse_span(s) is None or p not in ALLOWED_BESIDE_SPAN:
                result.errors.append(
                    f"{src.path}: the triple <{s}> <{p}> ... is outside any evidence graph; in a claims "
                    "file the default graph holds only ev:... kg:sha256 / kg:note; put entity cards in graph/entities/"
                )
                continue
            default.add((s, p, o))
        for graph in src.dataset.graphs():
            name = graph.identifier
            if name == DATASET_DEFAULT_GRAPH_ID or len(graph) == 0:
                continue
            span = parse_span(name)
            if span is None:
                result.errors.append(
                    f"{src.path}: graph <{name}> is not an evidence span; name it ev:dNNN-START-END "
                    "(document NNN, character offsets START < END)"
                )
                continue
            if span.iri in result.spans and result.spans[span.iri] != src.path:
                result.warnings.append(f"{src.path}: evidence {span.iri} is also used in {result.spans[span.iri]}")
            result.spans.setdefault(span.iri, src.path)
            target = dataset.graph(span.iri)
            for s, p, o in graph:
                target.add((s, p, o))
                default.add((s, p, o))
                if p == RDF.type and o == RDF.Statement:
                    _assert_qualified(graph, s, target, default, result, src.path)
            for triple in span_triples(span):
                default.add(triple)
    supers = _superclasses(ontology)
    inferred = [(s, RDF.type, sup) for s, cls in default.subject_objects(RDF.type) if cls in supers for sup in supers[cls]]
    for triple in inferred:
        default.add(triple)
    return result


def _assert_qualified(graph: Graph, node, target: Graph, default: Graph, result: BuildResult, path: Path) -> None:
    """Add the plain triple of a qualified statement (rdf:Statement) to its evidence graph."""
    s, p, o = (graph.value(node, prop) for prop in (RDF.subject, RDF.predicate, RDF.object))
    if s is None or p is None or o is None:
        result.errors.append(f"{path}: qualified statement {node} needs rdf:subject, rdf:predicate and rdf:object")
        return
    target.add((s, p, o))
    default.add((s, p, o))


def verify_spans(result: BuildResult, folder, skip: set[str] = frozenset()) -> None:
    """Check every evidence span's hash against the corpus (a folder or a :class:`kg.sources.Corpus`),
    except the spans of the documents in ``skip`` (changed or absent, reported once by the caller)."""
    default = result.dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    for iri, path in sorted(result.spans.items()):
        span = parse_span(iri)
        if span.doc in skip:
            continue
        hashes = [str(h) for h in default.objects(iri, KG.sha256)]
        recorded = hashes[0] if len(hashes) == 1 else None
        if len(hashes) > 1:
            result.errors.append(f"{path}: evidence {iri} has {len(hashes)} different kg:sha256 values; keep the right one")
            continue
        problem = verify_span(folder, span, recorded)
        if problem:
            result.errors.append(f"{path}: evidence ev:d{span.doc}-{span.start}-{span.end}: {problem}")
        else:
            result.verified += 1


def write_outputs(result: BuildResult, out: Path, formats=("trig", "nquads", "json-ld"), root: Path | None = None) -> None:
    """Write the merged dataset in the standard formats, all replaced together (see :mod:`kg.buildsafe`)."""
    from kg.buildsafe import write_together

    def writer(fmt):
        def write(tmp: Path) -> None:
            if fmt == "nquads" and result.nquads is not None:
                tmp.write_bytes(result.nquads)
            elif fmt == "json-ld":
                from kg.exports import write_jsonld  # a real default graph, only the prefixes used

                write_jsonld(result.dataset, tmp)
            else:
                result.dataset.serialize(destination=str(tmp), format=fmt, **({"auto_compact": True} if fmt == "json-ld" else {}))
        return write

    result.outputs += write_together(out, {OUTPUT_FILES[fmt]: writer(fmt) for fmt in formats}, root=root)
    if "nquads" in formats:
        # the store kg query opens read-only, instead of parsing the N-Quads again (written aside, renamed in place)
        from kg.store import built_store, write_store

        path = out / OUTPUT_FILES["nquads"]
        result.outputs.append(write_store(result.nquads if result.nquads is not None else path, built_store(path)))


def build(root: Path, *, corpus: str | Path | None = None, out: Path | None = None, write: bool = True,
          validate: bool = True, formats=("trig", "nquads", "json-ld"), only: list[str] | None = None) -> BuildResult:
    """Build the graph of the project at ``root``.

    Raises :class:`InputError` for unreadable or malformed input. Problems with the data itself
    (spans that do not verify, SHACL violations, failed checks) are collected in ``errors``;
    outputs are written only when there are none.
    """
    from kg import duplicates as duplicates_mod
    from kg import labels as labels_mod
    from kg import literals as literals_mod
    from kg import mentions as mentions_mod
    from kg import quantities as quantities_mod
    from kg import validate as validate_mod

    root = Path(root).resolve()
    t0 = time.perf_counter()
    files = load_project(root, only)
    if only and not any(f.kind == "claims" for f in files):
        claims = sorted(p.name for p in (root / "graph").rglob("*.trig"))
        raise InputError(f"--only {' '.join(only)}: no claims file matches; claims files: {', '.join(claims) or 'none'}")
    t1 = time.perf_counter()
    result = assemble(files)
    _skolemize(result)
    _check_model(result, files, root)
    t2 = time.perf_counter()
    result.errors += literals_mod.check_files(files)
    result.generated_labels = labels_mod.generate_labels(result.dataset)
    result.mentions = mentions_mod.find_mentions(result.dataset)
    result.duplicates = duplicates_mod.find_duplicates(result.dataset)
    result.warnings += [f"likely duplicates: {d.describe()}" for d in result.duplicates]
    result.quantity_overlaps = quantities_mod.find_quantity_overlaps(result.dataset)
    result.warnings += [f"quantities: {o.describe()}" for o in result.quantity_overlaps]
    result.timings.update(parse=t1 - t0, assemble=t2 - t1)
    folder = open_corpus(root, corpus)
    if folder is None:
        result.warnings.append("corpus not found (../shared/corpus, $KG_CORPUS or --corpus): evidence spans were NOT verified")
    else:
        errors, warnings, unusable = check_documents(folder)  # a changed document is reported once, here
        result.errors += errors
        result.warnings += warnings
        verify_spans(result, folder, skip=unusable)
    t3 = time.perf_counter()
    result.timings["verify"] = t3 - t2
    if validate:
        # with --only, the checks that need every claims file cannot hold: cards used elsewhere, spans of disagreements
        validate_mod.validate(result, skip=ONLY_SKIPS if only else ())
        if only:
            _keep_only_errors(result, only)
    if write and result.ok:
        t4 = time.perf_counter()
        from kg.aggregates import add_to_build

        add_to_build(result)  # whole-graph counts stored as data, in a graph of their own (kg/aggregates.py)
        write_outputs(result, out or default_out_dir(root), formats, root)
        result.timings["write"] = time.perf_counter() - t4
    return result


def locked_build(root: Path, *, out: Path | None = None, wait: bool = True, **options) -> BuildResult:
    """:func:`build` holding the lock of the output folder, so two builds never write at once.

    Raises :class:`InputError` for an ``out`` that is a file or holds files no build wrote, and
    :class:`kg.buildsafe.BuildBusy` when another build holds the lock and ``wait`` is false.
    """
    from kg.buildsafe import build_lock, check_out_dir

    out = out or default_out_dir(root)
    ensure_not_input(out, root)
    check_out_dir(out, root, OUTPUT_FILES.values())
    with build_lock(out, wait):
        return build(root, out=out, **options)


def _skolemize(result: BuildResult) -> None:
    """Give every blank node a stable IRI, so no store splits or duplicates it (see :mod:`kg.skolem`)."""
    from kg.skolem import skolemize

    skolemize(result.dataset)


def _check_model(result: BuildResult, files: list[SourceFile], root: Path) -> None:
    """Cards hold only class and names; disjoint classes; unread files (see :mod:`kg.model`)."""
    from kg.model import check_model

    check_model(result, files, root)


def _keep_only_errors(result: BuildResult, only: list[str]) -> None:
    """With ``--only``, report the problems of the selected files; count the others (their claims were not read)."""
    def selected(message: str) -> bool:
        head = message.split(": ", 1)[0]
        return not head.startswith("/") or any(Path(head).match(g) for g in only)

    kept = [e for e in result.errors if selected(e)]
    if len(kept) < len(result.errors):
        result.warnings.append(f"--only: {len(result.errors) - len(kept)} problem(s) of files outside {', '.join(only)} "
                               "not reported (their claims were not read); a full kg build checks everything")
    result.errors = kept


def ensure_not_input(path: Path, root: Path) -> None:
    """Refuse an output folder inside the hand-edited folders, so that a build never overwrites input."""
    resolved = path.resolve()
    for name in ("ontology", "graph", "queries", "kg", "tests"):
        guarded = (root / name).resolve()
        if resolved == guarded or guarded in resolved.parents:
            raise InputError(f"--out {path} is inside {name}/, which holds hand-edited files; choose another folder")
