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

from rdflib import RDF, RDFS, BNode, Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.evidence import parse_span, span_triples, verify_span
from kg.load import InputError, SourceFile, load_project
from kg.namespaces import KG, bind_prefixes
from kg.sources import check_documents, open_corpus
from kg.buildrdf import triple_adder
from kg.buildwrite import OUTPUT_FILES, _exports_in_child, _part_paths, write_outputs

__all__ = ["BuildResult", "build", "build_graph", "locked_build", "assemble", "OUTPUT_FILES", "default_out_dir", "write_outputs"]

ALLOWED_BESIDE_SPAN = {KG.sha256, KG.note, RDFS.comment}
ONLY_SKIPS = ("unused-card-violation", "disagreement-evidence-violation")


@dataclass
class BuildResult:
    """What a build produced and found. ``dataset``: the merged dataset (with the aggregates, once a
    build has written them: see :attr:`dataset`)."""

    _dataset: Dataset
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
    shapes_key: str | None = None  # a digest of the shapes files, naming the shapes the SHACL cache was made with
    shacl_mode: dict = field(default_factory=dict)  # {"mode": "full" | "incremental", "validated": nodes}
    shacl_state: dict | None = None  # the SHACL results the cache keeps for the next build
    span_subjects: dict = field(default_factory=dict)  # evidence graph -> the subjects of its triples
    blank_quads: list = field(default_factory=list)  # (graph name, triple) of every triple holding a blank node
    parsed: int = 0  # files parsed (the others were read from the cache)
    pending: list = field(default_factory=list, repr=False)  # aggregates (pyoxigraph quads) not yet in the dataset

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def dataset(self) -> Dataset:
        """The merged dataset. The aggregates a writing build adds (:mod:`kg.aggregates`) are put in
        its default graph when it is first read after the build (:func:`kg.aggregates.add_to_dataset`):
        the outputs and the store are written from the N-Quads, so a build whose dataset nobody
        reads (``kg build``) does not convert them."""
        if self.pending:
            from kg.aggregates import add_to_dataset

            quads, self.pending = self.pending, []
            add_to_dataset(self._dataset.graph(DATASET_DEFAULT_GRAPH_ID), quads)
        return self._dataset

    def quad_count(self) -> int:
        """The number of quads of :attr:`dataset` (its default graph's triples and every named
        graph's), counted in the store the checks ran on when it holds the same quads."""
        store = getattr(self.engine, "store", None)
        if store is not None and self.nquads is not None:
            return len(store)
        return sum(len(g) for g in self.dataset.graphs())


def default_out_dir(root: Path) -> Path:
    return root / "build"


def _superclasses(ontology: Graph) -> dict[URIRef, set[URIRef]]:
    """Every class of the ontology with all its superclasses (transitive, excluding itself)."""
    direct: dict[URIRef, set[URIRef]] = {}
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            direct.setdefault(sub, set()).add(sup)
    from kg.aggregates import transitive_closure

    return transitive_closure(direct)


def assemble(files: list[SourceFile]) -> BuildResult:
    """Merge parsed files into one dataset and materialize what the build derives."""
    dataset = Dataset()
    bind_prefixes(dataset)
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    shapes = Graph()
    result = BuildResult(dataset, shapes)
    ontology = Graph()
    blank = result.blank_quads
    store_add = triple_adder(dataset.store)  # Graph.add without its type assertions (parsed terms are terms), faster

    def put(graph: Graph, triple) -> None:
        store_add(triple, graph)
        if isinstance(triple[0], BNode) or isinstance(triple[2], BNode):
            blank.append((graph.identifier, triple))

    kinds = {src.kind for src in files}
    if "shapes" not in kinds:  # else SHACL ran on no shape, and the build said nothing of it
        result.warnings.append("no ontology/shapes.ttl: the graph is NOT validated against the SHACL shapes; "
                               "restore the file (git checkout ontology/shapes.ttl)")
    if not kinds & {"data", "claims"}:
        result.warnings.append("no file in graph/ (entity cards *.ttl, claims *.trig): the graph holds the ontology "
                               "alone; check --root, or restore graph/")
    for src in files:
        quads = src.quads
        if src.kind in ("shapes", "ontology"):
            for s, p, o, g in quads:
                if g is None:
                    (shapes if src.kind == "shapes" else ontology).add((s, p, o))
            if src.kind == "shapes":
                continue
        if src.kind != "claims":
            for s, p, o, g in quads:
                if g is None:
                    put(default, (s, p, o))
                    if src.kind == "data":
                        result.cards.setdefault(s, src.path)
            continue
        graphs: dict = {}
        for s, p, o, g in quads:
            if g is not None:
                graphs.setdefault(g, []).append((s, p, o))
                continue
            if parse_span(s) is None or p not in ALLOWED_BESIDE_SPAN:
                result.errors.append(
                    f"{src.path}: the triple <{s}> <{p}> ... is outside any evidence graph; in a claims "
                    "file the default graph holds only ev:... kg:sha256 / kg:note; put entity cards in graph/entities/"
                )
                continue
            put(default, (s, p, o))
        for name, triples in graphs.items():
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
            subjects = result.span_subjects.setdefault(span.iri, set())
            values: dict = {}
            for s, p, o in triples:
                put(target, (s, p, o))
                put(default, (s, p, o))
                subjects.add(s)
                values.setdefault((s, p), o)
            for s, p, o in triples:
                if p == RDF.type and o == RDF.Statement:
                    plain = _assert_qualified(values, s, result, src.path)
                    if plain is not None:
                        put(target, plain)
                        put(default, plain)
                        subjects.add(plain[0])
            for triple in span_triples(span):
                put(default, triple)
    supers = _superclasses(ontology)
    inferred = [(s, RDF.type, sup) for s, cls in default.subject_objects(RDF.type) if cls in supers for sup in supers[cls]]
    for triple in inferred:
        put(default, triple)
    return result


def _assert_qualified(values: dict, node, result: BuildResult, path: Path):
    """The plain triple of a qualified statement (rdf:Statement), for its evidence graph (``values``:
    ``{(subject, property): a value}`` of the evidence graph), or ``None`` (an error is recorded)."""
    s, p, o = (values.get((node, prop)) for prop in (RDF.subject, RDF.predicate, RDF.object))
    if s is None or p is None or o is None:
        result.errors.append(f"{path}: qualified statement {node} needs rdf:subject, rdf:predicate and rdf:object")
        return None
    return (s, p, o)


def verify_spans(result: BuildResult, folder, skip: set[str] = frozenset()) -> None:
    """Check every evidence span's hash against the corpus (a folder or a :class:`kg.sources.Corpus`),
    except the spans of the documents in ``skip`` (changed or absent, reported once by the caller)."""
    from kg.buildrdf import default_graph_reader

    default = default_graph_reader(result.dataset)  # (rdflib's look-ups, faster)
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


def build(root: Path, **options) -> BuildResult:
    """:func:`build_graph` (same arguments, same result), on the project at ``root`` with its own checks
    and questions (:func:`kg.paths.using`), with Python's cyclic garbage collector paused: the build
    makes millions of objects and no cycle worth collecting before it ends, and the collector's passes
    over them took a tenth of the time. It is resumed (if it ran) afterwards.
    """
    import gc

    from kg.paths import using

    running = gc.isenabled()
    gc.disable()
    try:
        with using(root):  # the checks and the questions' defaults of this project (kg.paths), not the checkout's
            return build_graph(root, **options)
    finally:
        if running:
            gc.enable()


def build_graph(root: Path, *, corpus: str | Path | None = None, out: Path | None = None, write: bool = True,
                validate: bool = True, formats=("trig", "nquads", "json-ld"), only: list[str] | None = None,
                full: bool = False, out_existed: bool | None = None) -> BuildResult:
    """Build the graph of the project at ``root``.

    Unless ``full``, the caches of the output folder (``<out>/.cache``, see :mod:`kg.buildcache`) spare
    the work an unchanged input does not need: files are parsed again only when they changed, and
    SHACL validates again only the nodes whose triples changed. The results (dataset, errors,
    warnings, counts) are those of a full build; ``full`` reads no cache. The caches are written
    only by a build that writes its outputs.

    Raises :class:`InputError` for unreadable or malformed input. Problems with the data itself
    (spans that do not verify, SHACL violations, failed checks) are collected in ``errors``;
    outputs are written only when there are none.
    """
    from kg import validate as validate_mod
    from kg.buildcache import CACHE_DIR, forget_terms

    root = Path(root).resolve()
    out = out or default_out_dir(root)
    cache = Path(out) / CACHE_DIR  # with full, written but not read
    if out_existed is None:
        out_existed = Path(out).is_dir()
    t0 = time.perf_counter()
    helper = None  # a child importing pySHACL meanwhile, for the few nodes SHACL validates again (kg.validate)
    if validate and not full and (cache / "shacl.pickle").is_file():
        # forked first, while this process holds little: pages it then changes are not copied
        helper = validate_mod.shacl_helper()
    try:
        forget_terms()  # (the terms of an earlier build in this process)
        files = load_project(root, only, cache=cache / "files", read_cache=not full)
        if only and not any(f.kind == "claims" for f in files):
            claims = sorted(p.name for p in (root / "graph").rglob("*.trig"))
            raise InputError(f"--only {' '.join(only)}: no claims file matches; claims files: {', '.join(claims) or 'none'}")
        t1 = time.perf_counter()
        return _build_rest(root, files, t0, t1, helper, corpus=corpus, out=out, write=write, validate=validate,
                           formats=formats, only=only, full=full, out_existed=out_existed, cache=cache)
    finally:
        if helper is not None:
            helper.discard()


def _build_rest(root: Path, files: list, t0: float, t1: float, helper, *, corpus, out: Path, write: bool, validate: bool,
                formats, only, full: bool, out_existed: bool, cache: Path) -> BuildResult:
    """:func:`build_graph` from the merge of the loaded ``files`` on (``helper``: see
    :func:`kg.validate.shacl_helper`, or ``None``)."""
    from kg import duplicates as duplicates_mod
    from kg import labels as labels_mod
    from kg import literals as literals_mod
    from kg import mentions as mentions_mod
    from kg import quantities as quantities_mod
    from kg import validate as validate_mod
    from kg.buildfork import Forked

    for src in files:  # a value no output can carry (kg.literals.unsafe_terms) is reported by the checks of its file
        unsafe = set() if src.from_cache else literals_mod.unsafe_terms(src.quads)  # (a cached file passed them)
        if unsafe:  # then its statements are left out of what the other checks read, and nothing is written
            _file_checks([src])
            src.drop(unsafe)
    result = assemble(files)
    result.parsed = sum(not f.from_cache for f in files)
    result.shapes_key = _shapes_key(files)
    _skolemize(result)
    result.generated_labels = labels_mod.generate_labels(result.dataset)
    # The assembled dataset is final from here on: what the build derives from the whole dataset
    # (labels above, aggregates) is added above this line; every check below reads it as it is, and
    # every build (incremental or not) runs this whole sequence on the whole dataset. Triples added
    # to an evidence graph here should also put their subjects in result.span_subjects (for messages).
    t2 = time.perf_counter()
    result.timings.update(parse=t1 - t0, assemble=t2 - t1)
    if validate:
        validate_mod.prepare(result)  # the N-Quads, and the engine the SPARQL checks run on
    dataset = result.dataset
    skip = ONLY_SKIPS if only else ()

    held: dict = {}  # the aggregates the child made, for the exports it writes next

    def aggregate() -> tuple:
        t = time.perf_counter()
        held.update(_aggregates_of(result.engine.store))
        return held.get("lines"), {"child-aggregates": time.perf_counter() - t}

    # The aggregates every output holds (kg.aggregates) are computed in a child process
    # (kg.buildfork), from its copy of the store the checks run on, and sent back; the child then
    # writes TriG and JSON-LD ahead (_exports_in_child). Meanwhile this process verifies the spans,
    # runs SHACL and the mentions, duplicates and quantities checks; the on-disk store is loaded in a
    # thread, and the SPARQL checks run in another (pyoxigraph leaves the interpreter lock while it
    # loads and queries; both threads start after the fork). The work is shared so that all end
    # about together (the duplicates and quantities checks ran in the child before: it then ended
    # last, with the exports).
    prepared = result.nquads
    parts = _part_paths(out, formats)
    ahead = parts and Path(out).is_dir()
    inspected = None
    if write and validate:
        inspected = Forked(aggregate, then=_exports_in_child(result.engine.store, formats, parts, held) if ahead else None)
    staged = None
    previous = None if full else Path(out) / OUTPUT_FILES["nquads"]  # the store beside it is updated, if it can be
    if write and validate and "nquads" in formats and Path(out).is_dir():
        from kg.buildstore import StagedStore
        from kg.store import built_store

        staged = StagedStore(result.nquads, built_store(Path(out) / OUTPUT_FILES["nquads"]), previous=previous)
    checked = None  # the SPARQL checks, run in a thread (pyoxigraph leaves the interpreter lock) meanwhile
    where = validate_mod.where_written(result) if validate else None
    if validate:
        from kg.buildfork import Threaded

        checked = Threaded(lambda: _timed(validate_mod.run_checks, result.engine, where, skip=skip))
    try:
        _check_model(result, files, root)  # (after the fork: the child does not need it)
        result.errors += [problem for src in files for problem in src.cached["literals"]]
        at = len(result.warnings)
        t3 = time.perf_counter()
        _verify_spans_of(result, root, corpus)
        t4 = time.perf_counter()
        result.timings["verify"] = t4 - t3

        def others() -> None:  # the checks on the rdflib dataset (while the helper runs SHACL, if any)
            t = time.perf_counter()
            result.mentions = mentions_mod.find_mentions(dataset)  # (before the aggregates join the dataset)
            result.timings["mentions"] = time.perf_counter() - t
            t = time.perf_counter()
            result.duplicates = duplicates_mod.find_duplicates(dataset)
            result.quantity_overlaps = quantities_mod.find_quantity_overlaps(dataset)
            result.timings["inspect"] = time.perf_counter() - t

        if validate:
            validate_mod.validate(result, skip=skip, cache=cache, read=not full, checks=False, where=where,
                                  helper=helper, meanwhile=others)
        else:
            others()
        at_checks = len(result.errors)  # the SPARQL checks' messages follow SHACL's, as when run one after the other
        if checked is not None:
            t5 = time.perf_counter()
            messages, result.timings["sparql"] = checked.result()
            result.errors[at_checks:at_checks] = messages
            result.timings["checks"] += time.perf_counter() - t5  # what this process waited for them
        t5 = time.perf_counter()
        aggregates, times = inspected.result() if inspected is not None else (None, {})
        result.warnings[at:at] = ([f"likely duplicates: {d.describe()}" for d in result.duplicates]
                                  + [f"quantities: {o.describe()}" for o in result.quantity_overlaps])
        if only and validate:
            _keep_only_errors(result, only)
        result.timings["wait"] = time.perf_counter() - t5  # for the child, after this process's own checks
        result.timings.update(times)
        if write and result.ok:
            t5 = time.perf_counter()
            from kg.aggregates import add_to_build

            # whole-graph counts stored as data (kg/aggregates.py), in every output; in the rdflib
            # dataset too, when it is read (BuildResult.dataset)
            added = add_to_build(result, aggregates, dataset=False)
            result.timings["aggregates"] = time.perf_counter() - t5
            write_outputs(result, out, formats, root, staged=staged, previous=previous, exporter=inspected,
                          exported_from=prepared)
            result.pending = added  # (put in the dataset when it is read: see BuildResult.dataset)
            staged = None
            result.timings["write"] = time.perf_counter() - t5 - result.timings["aggregates"]
    finally:
        if checked is not None:
            checked.join()  # (a build that failed first: the store is not changed under its queries)
        if inspected is not None:
            inspected.discard()
        if staged is not None:
            staged.discard()
        for part in parts.values():  # what the child wrote ahead, when the build wrote nothing
            part.unlink(missing_ok=True)
    if write and (result.ok or out_existed):
        t6 = time.perf_counter()
        _save_file_cache(files, cache / "files")
        if result.shacl_state is not None:
            from kg.buildcache import write_entry

            write_entry(cache, "shacl.pickle", result.shacl_state)
        result.timings["cache"] = time.perf_counter() - t6
    return result


def _timed(fn, *args, **kwargs) -> tuple:
    """``(fn(*args, **kwargs), the seconds it took)``."""
    t = time.perf_counter()
    return fn(*args, **kwargs), time.perf_counter() - t


def _aggregates_of(store) -> dict:
    """The aggregates of the dataset in the pyoxigraph ``store`` (:func:`kg.aggregates.compute`), as
    ``{"quads": [pyoxigraph.Quad], "lines": their N-Quads}``."""
    import pyoxigraph as ox

    from kg.aggregates import compute

    quads = compute(store)
    return {"quads": quads, "lines": ox.serialize(quads, format=ox.RdfFormat.N_QUADS)}


def _verify_spans_of(result: BuildResult, root: Path, corpus) -> None:
    """Check the documents of the corpus, then every span's hash (:func:`verify_spans`)."""
    folder = open_corpus(root, corpus)
    if folder is None:
        result.warnings.append("corpus not found (../shared/corpus, $KG_CORPUS or --corpus): evidence spans were NOT verified")
    else:
        errors, warnings, unusable = check_documents(folder)  # a changed document is reported once, here
        result.errors += errors
        result.warnings += warnings
        verify_spans(result, folder, skip=unusable)


def _shapes_key(files: list[SourceFile]) -> str:
    """A digest of the shapes files (their cache keys, or their bytes when loaded without a cache)."""
    import hashlib

    digest = hashlib.sha256()
    for src in files:
        if src.kind == "shapes":
            digest.update((src.key or hashlib.sha256(src.path.read_bytes()).hexdigest()).encode() + b"\0")
    return digest.hexdigest()


def _save_file_cache(files: list[SourceFile], folder: Path) -> None:
    """Store each parsed file and its check results under its key; drop the entries no file has now."""
    from kg.buildcache import prune, write_entry
    from kg.load import cache_entry

    for src in files:
        if src.key and (not src.from_cache or src.cached.pop("_new", False)):
            src.cached.pop("_new", None)
            write_entry(folder, f"{src.key}.pickle", cache_entry(src))
    prune(folder, {f"{src.key}.pickle" for src in files if src.key})


def locked_build(root: Path, *, out: Path | None = None, wait: bool = True, **options) -> BuildResult:
    """:func:`build` holding the lock of the output folder, so two builds never write at once.

    Raises :class:`InputError` for an ``out`` that is a file or holds files no build wrote, and
    :class:`kg.buildsafe.BuildBusy` when another build holds the lock and ``wait`` is false.
    """
    from kg.buildsafe import build_lock, check_out_dir

    ensure_not_input(out or default_out_dir(root), root, "--out" if out else "the output folder")
    out = out or default_out_dir(root)
    check_out_dir(out, root, OUTPUT_FILES.values())
    existed = out.is_dir()
    with build_lock(out, wait):
        result = build(root, out=out, out_existed=existed, **options)
    if result.ok:
        from kg.bytecode import compile_package

        t = time.perf_counter()
        compile_package()  # the commands that read the build then start without compiling kg (kg/bytecode.py)
        result.timings["bytecode"] = time.perf_counter() - t
    return result


def _skolemize(result: BuildResult) -> None:
    """Give every blank node a stable IRI, so no store splits or duplicates it (see :mod:`kg.skolem`).

    The names are those :func:`kg.skolem.skolemize` gives, computed on the triples that hold blank
    nodes (recorded by :func:`assemble`) rather than by reading every graph twice.
    """
    from kg.skolem import skolem_names

    if not result.blank_quads:
        return
    held = Dataset()
    for name, triple in result.blank_quads:
        held.graph(name).add(triple)
    names = skolem_names(held)
    for name, (s, p, o) in result.blank_quads:
        graph = result.dataset.graph(name)
        graph.remove((s, p, o))
        graph.add((names.get(s, s), p, names.get(o, o)))
    result.span_subjects = {iri: {names.get(s, s) for s in subjects} for iri, subjects in result.span_subjects.items()}
    result.blank_quads = []


def _check_model(result: BuildResult, files: list[SourceFile], root: Path) -> None:
    """Cards hold only class and names; valid IRIs; disjoint classes; unread files (see :mod:`kg.model`);
    the typed literals of every file (:mod:`kg.literals`) are checked too, into ``src.cached["literals"]``.

    The per-file results (IRIs, cards, literals) are functions of the file alone: a file read from the
    cache brings them (``src.cached``); the others are computed and marked new for the cache.
    """
    from kg.model import check_disjoint, unread_files

    _file_checks(files)
    result.errors.extend(problem for src in files for problem in src.cached["iris"])
    result.errors.extend(problem for src in files for problem in src.cached["cards"])
    result.errors.extend(check_disjoint(result))
    result.warnings.extend(unread_files(root))


def _file_checks(files: list[SourceFile]) -> None:
    """The per-file checks (IRIs, cards, literals) of each file that has none yet, into ``src.cached``."""
    from kg import literals as literals_mod
    from kg.model import check_cards, check_iris

    for src in files:
        for name, check in (("iris", check_iris), ("cards", check_cards), ("literals", literals_mod.check_files)):
            if not isinstance(src.cached.get(name), list):
                src.cached[name] = check([src])
                src.cached["_new"] = True


def _keep_only_errors(result: BuildResult, only: list[str]) -> None:
    """With ``--only``, report the problems and warnings of the selected files (and those naming no file);
    count the others (their claims were not read)."""
    def selected(message: str) -> bool:
        head = message.split(": ", 1)[0]
        return not head.startswith("/") or any(Path(head).match(g) for g in only)

    kept = [e for e in result.errors if selected(e)]
    # the warnings on other files alike: "no date" on a card whose date is in a claims file not read is no news,
    # nor two names alike whose owl:differentFrom is there
    warned = [w for w in result.warnings if selected(w) and not w.startswith(("likely duplicates:", "quantities:"))]
    left = [f"{len(result.errors) - len(kept)} problem(s)"] * (len(kept) < len(result.errors))
    left += [f"{len(result.warnings) - len(warned)} warning(s)"] * (len(warned) < len(result.warnings))
    result.warnings = warned
    if left:
        result.warnings.append(f"--only: {' and '.join(left)} of files outside {', '.join(only)} "
                               "not reported (their claims were not read); a full kg build checks everything")
    result.errors = kept


def ensure_not_input(path: Path, root: Path, option: str = "--out") -> None:
    """Refuse an output folder inside the hand-edited folders (or holding one), so that a command never
    overwrites input: :func:`kg.outputs.check_not_input`, its refusal raised as :class:`InputError`."""
    from kg.outputs import OutputRefused, check_not_input

    try:
        check_not_input(path, root, option, folder=True)
    except OutputRefused as exc:
        raise InputError(str(exc)) from None
