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

from kg import corpus as corpus_mod
from kg.evidence import parse_span, span_triples, verify_span
from kg.load import InputError, SourceFile, load_project
from kg.namespaces import KG, bind_prefixes

__all__ = ["BuildResult", "build", "assemble", "OUTPUT_FILES", "default_out_dir"]

OUTPUT_FILES = {"trig": "kg.trig", "nquads": "kg.nq", "json-ld": "kg.jsonld"}
ALLOWED_BESIDE_SPAN = {KG.sha256, KG.note, RDFS.comment}


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


def verify_spans(result: BuildResult, folder: Path) -> None:
    """Check every evidence span's hash against the corpus."""
    default = result.dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    for iri, path in sorted(result.spans.items()):
        span = parse_span(iri)
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


def write_outputs(result: BuildResult, out: Path, formats=("trig", "nquads", "json-ld")) -> None:
    """Write the merged dataset in the standard formats, and the store ``kg query`` opens.

    The N-Quads come from validation (already serialized); the on-disk Oxigraph store is loaded
    from them; TriG and JSON-LD are written from that store by pyoxigraph's serializers, a
    fraction of the time rdflib's take (JSON-LD in expanded form, with no context).
    """
    import pyoxigraph as ox

    from kg.iris import PREFIXES
    from kg.store import built_store, write_store

    out.mkdir(parents=True, exist_ok=True)
    nquads = result.nquads
    if nquads is None:
        text = result.dataset.serialize(format="nquads")
        nquads = text.encode("utf-8") if isinstance(text, str) else text
    written = {}
    if "nquads" in formats:
        path = out / OUTPUT_FILES["nquads"]
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(nquads)
        tmp.replace(path)
        # the store kg query opens read-only, instead of parsing the N-Quads again
        written["nquads"] = [path, write_store(nquads, built_store(path))]
    others = [fmt for fmt in formats if fmt != "nquads"]
    if others:
        store = ox.Store()
        store.bulk_load(input=nquads, format=ox.RdfFormat.N_QUADS)
        kinds = {"trig": ox.RdfFormat.TRIG, "json-ld": ox.RdfFormat.JSON_LD}
        for fmt in others:
            path = out / OUTPUT_FILES[fmt]
            tmp = path.with_suffix(path.suffix + ".tmp")
            store.dump(str(tmp), kinds[fmt], prefixes=PREFIXES if fmt == "trig" else None)
            tmp.replace(path)
            written[fmt] = [path]
    for fmt in formats:
        result.outputs.extend(written[fmt])


def build(root: Path, *, corpus: str | Path | None = None, out: Path | None = None, write: bool = True,
          validate: bool = True, formats=("trig", "nquads", "json-ld"), only: list[str] | None = None) -> BuildResult:
    """Build the graph of the project at ``root``.

    Raises :class:`InputError` for unreadable or malformed input. Problems with the data itself
    (spans that do not verify, SHACL violations, failed checks) are collected in ``errors``;
    outputs are written only when there are none.
    """
    from kg import validate as validate_mod

    t0 = time.perf_counter()
    files = load_project(root, only)
    t1 = time.perf_counter()
    result = assemble(files)
    t2 = time.perf_counter()
    result.timings.update(parse=t1 - t0, assemble=t2 - t1)
    folder = corpus_mod.corpus_dir(corpus)
    if folder is None:
        result.warnings.append("corpus not found (../shared/corpus, $KG_CORPUS or --corpus): evidence spans were NOT verified")
    else:
        verify_spans(result, folder)
    t3 = time.perf_counter()
    result.timings["verify"] = t3 - t2
    if validate:
        validate_mod.validate(result)
    if write and result.ok:
        t4 = time.perf_counter()
        write_outputs(result, out or default_out_dir(root), formats)
        result.timings["write"] = time.perf_counter() - t4
    return result


def ensure_not_input(path: Path, root: Path) -> None:
    """Refuse an output folder inside the hand-edited folders, so that a build never overwrites input."""
    resolved = path.resolve()
    for name in ("ontology", "graph", "queries", "kg", "tests"):
        guarded = (root / name).resolve()
        if resolved == guarded or guarded in resolved.parents:
            raise InputError(f"--out {path} is inside {name}/, which holds hand-edited files; choose another folder")
