"""``kg site``, ``kg show`` and ``kg passage``: read the evidence in a browser or in the terminal."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["register", "cmd_site", "cmd_show", "cmd_passage"]


def _corpus(args):
    """The corpus as the build reads it (:func:`kg.sources.open_corpus`): every folder given (``--corpus``
    repeated, ``$KG_CORPUS``), each document found by its registered file name; ``None`` without one.
    (The first folder alone, by ``NNN_*.txt``, missed a document in another folder or under another name.)"""
    from kg.cli import _root
    from kg.sources import open_corpus

    folder = open_corpus(_root(args), getattr(args, "corpus", None))
    if folder is not None:  # a text under another name is shown too, with a warning (kg passage) or its hash
        folder.any_name = True
    return folder


def cmd_site(args) -> int:
    from kg.cli import OK, USAGE_ERROR, _engine, _fail, _root
    from kg.output import one_line
    from kg.site import write_site

    from kg.build import ensure_not_input

    root = _root(args)
    out = Path(args.out) if args.out else root / "build" / "site"
    ensure_not_input(out, root, "--out" if args.out else "the site folder")  # before the graph is opened
    folder = None if args.no_passages else _corpus(args)
    if not args.no_passages and folder is None:
        print("kg: the corpus is not found (../shared/corpus, $KG_CORPUS or --corpus): the site shows references "
              "and hashes instead of passages", file=sys.stderr)
    engine = _engine(args, root)
    try:
        report = write_site(engine, out, corpus=folder, passages=not args.no_passages, networks=args.networks)
    except ValueError as exc:
        return _fail(str(exc), USAGE_ERROR)
    pages = ", ".join(f"{n} {kind}" for kind, n in report.pages.items())
    print(f"wrote {one_line(out / 'index.html')}: {sum(report.pages.values())} pages ({pages}), "
          f"{'with' if report.passages else 'without'} passages, in {report.seconds:.1f} s")
    for name, error in report.question_errors.items():
        print(f"kg: warning: question {one_line(name)} failed with its defaults: {one_line(error)}", file=sys.stderr)
    return OK


def cmd_show(args) -> int:
    from kg.cli import OK, _engine, _root
    from kg.query import resolve_entity
    from kg.showcard import entity_card

    root = _root(args)
    engine = _engine(args, root)
    # kg.search's rules alone: a refused name is refused here too, with its candidates
    iri = resolve_entity(engine, args.name).value  # a pyoxigraph NamedNode: str() would add <>
    folder = None if args.no_passages else _corpus(args)
    print(entity_card(engine, iri, corpus=folder, width=args.width))
    return OK


def cmd_passage(args) -> int:
    from kg import corpus
    from kg.cli import OK, USAGE_ERROR, _fail
    from kg.evidence import parse_span
    from kg.query import expand
    from kg.search import _shown
    from kg.sitedata import passage_context

    iri = expand(args.evidence) or expand("ev:" + args.evidence)
    span = parse_span(iri) if iri else None
    if span is None:
        return _fail(f"{_shown(args.evidence)} is not an evidence span: write ev:dNNN-START-END, e.g. ev:d003-1997-2074",
                     USAGE_ERROR)
    folder = _corpus(args)
    if folder is None:
        return _fail("the corpus is not found: put it at ../shared/corpus, set KG_CORPUS or pass --corpus", USAGE_ERROR)
    text = corpus.document_text(folder, span.doc)
    if span.end > len(text):
        return _fail(f"span {span.start}-{span.end} is outside document {span.doc} (length {len(text)}): "
                     "check the offsets", USAGE_ERROR)
    _warn_if_changed(args, span.doc, text)
    before, body, after = passage_context(text, span.start, span.end)
    print(f"ev:d{span.doc}-{span.start}-{span.end}  document {span.doc}, characters {span.start}-{span.end}, "
          f"sha256 {corpus.sha256_text(body)}")
    if args.context:
        print(f"{before}[[{body}]]{after}")
    else:
        print(body)
    return OK


def _warn_if_changed(args, doc: str, text: str) -> None:
    """One warning line on stderr when document ``doc`` (its text ``text``) is not the one registered in
    graph/sources.ttl: the offsets of its spans may then point at other words."""
    from kg import corpus
    from kg.cli import _root
    from kg.load import InputError
    from kg.sources import registered_documents

    try:
        registered = registered_documents(_root(args)).get(doc)
    except InputError:
        return  # kg build reports an unreadable sources.ttl; the passage can still be shown
    if registered is not None and registered.sha256 and corpus.sha256_text(text) != registered.sha256:
        print(f"kg: warning: document {doc} is not the one registered in graph/sources.ttl (its SHA-256 differs): "
              "the offsets may point at other words; restore the registered file", file=sys.stderr)


def register(sub, add_common, add_query_opts) -> None:
    p = sub.add_parser("site", help="write a static offline site to read the evidence (build/site/ by default)")
    add_common(p)
    p.add_argument("--out", help="output folder (default: build/site)")
    p.add_argument("--no-passages", action="store_true",
                   help="leave the passages out: spans show their reference and hash only")
    p.add_argument("--networks", action="store_true",
                   help="also write the four network pages (network/*.html), each node linked to its page")
    p.add_argument("--engine", default="oxigraph", choices=("oxigraph", "rdflib"), help="embedded engine")
    p.set_defaults(func=cmd_site, endpoint=None)

    p = sub.add_parser("show", help="an entity's card, statements and passages, by any name, alias or IRI")
    add_common(p)
    p.add_argument("name", help="an IRI, a prefixed name (group:islamic-state) or any label or alias")
    p.add_argument("--no-passages", action="store_true", help="print span references only")
    from kg.cli import WIDTH

    p.add_argument("--width", type=WIDTH, help="columns to fit, 20 or more (default: the terminal's)")
    p.add_argument("--engine", default="oxigraph", choices=("oxigraph", "rdflib"), help="embedded engine")
    p.set_defaults(func=cmd_show, endpoint=None)

    p = sub.add_parser("passage", help="print the text of an evidence span, e.g. kg passage ev:d003-1997-2074")
    add_common(p)
    p.add_argument("evidence", help="the span: ev:dNNN-START-END (or dNNN-START-END)")
    p.add_argument("--context", action="store_true", help="show the rest of its sentences, the span in [[ ]]")
    p.set_defaults(func=cmd_passage)
