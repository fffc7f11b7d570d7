"""Subcommands that extend the graph: ``kg ingest`` (a draft of candidate facts from a document)."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["cmd_ingest", "register"]


def cmd_ingest(args) -> int:
    """Write ``graph/drafts/dNNN.trig`` for a corpus document and print a summary; exit 2 on bad input."""
    from kg import corpus
    from kg.cli import _engine, _fail, _root
    from kg.ingest import DRAFTS_DIR, ingest_text, label_index, write_draft
    from kg.outputs import DRAFT_MARK, OutputRefused, check_not_input, check_replaceable

    root = _root(args)
    from kg.sources import open_corpus

    folder = open_corpus(root, args.corpus)  # every folder, each document by its registered file name
    if folder is not None:
        folder.any_name = True  # (or by NNN_*.txt, as kg ingest always found it)
    if folder is None:
        return _fail("the corpus is not found: put it at ../shared/corpus, set KG_CORPUS or pass --corpus", 2)
    doc = corpus.normalise_doc_id(args.doc)
    out = Path(args.out) if args.out else root / DRAFTS_DIR / f"d{doc}.trig"
    try:  # drafts go to graph/drafts/ (or outside the project), over nothing but an earlier draft
        check_not_input(out, root, "--out", allowed=(DRAFTS_DIR.as_posix(),))
        out.parent.mkdir(parents=True, exist_ok=True)  # as kg ingest always did
        check_replaceable(out, (DRAFT_MARK,), "--out")
    except OutputRefused as exc:
        return _fail(str(exc), 2)
    text = corpus.document_text(folder, doc)
    args.endpoint, args.engine, args.timeout = None, "oxigraph", 30.0
    engine = _engine(args, root)
    draft = ingest_text(doc, text, label_index(engine, exclude_doc=doc if args.held_out else None))
    try:
        write_draft(draft, text, out)
    except FileExistsError as exc:
        return _fail(str(exc), 2)
    summary = draft.summary()
    from kg.output import one_line

    print(f"wrote {one_line(out)}: {summary.pop('spans')} sentences with candidates, {summary.pop('proposed')} proposed entities")
    for kind in ("mention", "acronym", "name", "title", "citation", "event", "date", "figure"):
        print(f"  {kind + 's':9} {summary.get(kind, 0)}")
    print("Review it, keep what the text states, and move it to graph/claims/ (kg build checks every span).", file=sys.stderr)
    return 0


def register(sub, add_common, add_query_opts) -> None:
    """Add ``kg ingest`` to the subcommand parser ``sub``."""
    p = sub.add_parser("ingest", help="draft candidate facts from a corpus document into graph/drafts/")
    add_common(p)
    p.add_argument("doc", help="document id (e.g. 004)")
    p.add_argument("--out", help="draft file (default graph/drafts/dNNN.trig)")
    p.add_argument("--held-out", action="store_true",
                   help="ignore what only this document states (to measure what ingest would find in a new text)")
    p.set_defaults(func=cmd_ingest)
