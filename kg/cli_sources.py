"""Extending the graph: ``kg add-source`` registers a document, ``kg docs`` documents the ontology.

    kg add-source ../shared/corpus/005_report.txt --title "Annual report 2024" --date 2024-03
    kg add-source ~/Downloads/report.txt --copy-to ../my-corpus --publisher organization:osce
    kg docs --out build/docs
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["register", "cmd_add_source", "cmd_docs"]


def cmd_add_source(args) -> int:
    """Register the file; print its id on standard output. Exit 2 when the input is refused."""
    from kg.cli import _root
    from kg.sources import add_source

    root = _root(args)
    doc_id, path = add_source(root, Path(args.file), title=args.title, publisher=args.publisher, date=args.date,
                              author=args.author, url=args.url, corpus=args.corpus,
                              copy_to=Path(args.copy_to) if args.copy_to else None)
    print(doc_id)
    from kg.output import one_line

    print(f"kg: registered {one_line(path.name)} as source:d{doc_id} in graph/sources.ttl; cite it as ev:d{doc_id}-START-END "
          f"(kg locate {doc_id} \"some words\")", file=sys.stderr)
    return 0


def cmd_docs(args) -> int:
    """Write the ontology and shapes pages; print their paths. Exit 2 when pyLODE is missing."""
    from kg.build import ensure_not_input
    from kg.cli import _engine, _fail, _root
    from kg.docs import DocsError, write_docs

    root = _root(args)
    out = Path(args.out) if args.out else root / "build" / "docs"
    for path in (out, out / "index.html", out / "shapes.html"):  # a page may be a link leading into graph/
        ensure_not_input(path, root, "--out" if args.out else "the docs folder")
    site = "../site/index.html" if (out.parent / "site" / "index.html").exists() else None
    try:
        paths = write_docs(root, _engine(args, root), out, site=site)
    except DocsError as exc:
        return _fail(str(exc), 2)
    from kg.output import one_line

    for path in paths:
        print(f"wrote {one_line(path)}")
    return 0


def register(sub, add_common, add_query_opts) -> None:
    """Add the ``add-source`` and ``docs`` subcommands to the ``kg`` parser."""
    p = sub.add_parser("add-source", help="register a corpus document in graph/sources.ttl and print its id")
    add_common(p)
    p.add_argument("file", help="the document: a UTF-8 text file in a corpus folder (it stays there)")
    p.add_argument("--title", help="its title (default: the file name)")
    p.add_argument("--publisher", help="who published it: a name, or the IRI of a card such as organization:osce")
    p.add_argument("--author", help="who wrote it: a name, or the IRI of a card such as person:x")
    p.add_argument("--date", help="when it was published: YYYY, YYYY-MM or YYYY-MM-DD")
    p.add_argument("--url", help="where it is published (http:// or https://)")
    p.add_argument("--copy-to", metavar="FOLDER", help="copy the file into this corpus folder first (never over another file)")
    p.set_defaults(func=cmd_add_source)

    p = sub.add_parser("docs", help="write HTML documentation of the ontology and its shapes (build/docs/)")
    add_common(p)
    p.add_argument("--out", help="output folder (default: build/docs)")
    p.set_defaults(func=cmd_docs, engine="oxigraph", endpoint=None)
