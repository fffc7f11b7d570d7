"""The ``kg`` command: a thin layer over the library, one subcommand per verb.

Exit codes: 0 ok; 1 the data does not conform or a check failed; 2 usage or input error.
Results go to standard output, messages and errors to standard error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

__all__ = ["main"]

OK, DATA_ERROR, USAGE_ERROR = 0, 1, 2


def _root(args) -> Path:
    from kg.corpus import project_root

    root = Path(args.root).resolve() if args.root else project_root()
    if not (root / "ontology").is_dir():
        raise SystemExit(_fail(f"{root} has no ontology/ folder: run kg inside the project or pass --root", USAGE_ERROR))
    return root


def _fail(message: str, code: int) -> int:
    print(f"kg: error: {message}", file=sys.stderr)
    return code


def _engine(args, root: Path):
    """The engine a query runs on: the remote endpoint if given, else the built graph (built if stale)."""
    if getattr(args, "endpoint", None):
        from kg.remote import RemoteEngine

        return RemoteEngine(args.endpoint, timeout=args.timeout)
    from kg.store import built_file, is_stale, open_engine

    if is_stale(root):
        print("kg: the built graph is missing or older than its sources; building it first", file=sys.stderr)
        code = cmd_build(args, quiet=True)
        if code != OK:
            raise SystemExit(code)
    return open_engine(built_file(root), args.engine)


def cmd_build(args, quiet: bool = False) -> int:
    from kg.build import build, ensure_not_input

    root = _root(args)
    out = Path(args.out) if getattr(args, "out", None) else None
    if out is not None:
        ensure_not_input(out, root)
    only = getattr(args, "only", None)
    result = build(root, corpus=args.corpus, out=out, write=not getattr(args, "check", False) and not only, only=only)
    for warning in result.warnings:
        print(f"kg: warning: {warning}", file=sys.stderr)
    if not result.ok:
        for error in result.errors:
            print(error, file=sys.stderr)
        print(f"kg: the data does not conform: {len(result.errors)} problem(s); nothing was written", file=sys.stderr)
        return DATA_ERROR
    if not quiet:
        ds = result.dataset
        n_graphs = len(result.spans)
        n_quads = sum(len(g) for g in ds.graphs())
        print(f"built {n_quads} quads: {n_graphs} evidence graphs, {result.verified} spans verified against the corpus")
        for path in result.outputs:
            print(f"wrote {path}")
        timing = ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
        print(f"time: {timing}", file=sys.stderr)
    return OK


def cmd_locate(args) -> int:
    from kg import corpus

    folder = corpus.corpus_dir(args.corpus)
    if folder is None:
        return _fail("the corpus is not found: put it at ../shared/corpus, set KG_CORPUS or pass --corpus", USAGE_ERROR)
    matches = corpus.locate(folder, args.doc, " ".join(args.words), until=args.until)
    if not matches:
        print(f"no match in document {corpus.normalise_doc_id(args.doc)}", file=sys.stderr)
        return DATA_ERROR
    for m in matches:
        print(f"{m.evidence}  start={m.start} end={m.end} sha256={m.sha256}")
        print(f"  {m.context}")
        print(f"  {m.evidence} kg:sha256 \"{m.sha256}\" .")
    return OK


def cmd_queries(args) -> int:
    from kg.query import load_queries

    for name, q in load_queries().items():
        print(f"{name}\n    {q.summary}")
        for p in q.params:
            extra = f"default {p.default}" if p.default is not None else ("required" if p.required else "optional")
            print(f"    --param {p.name}=<{p.type}>  {p.description} ({extra})")
    return OK


def cmd_query(args) -> int:
    from kg.query import format_result, get_query, parse_param_args, run_named

    root = _root(args)
    named = get_query(args.name)
    given = parse_param_args(args.param or [])
    engine = _engine(args, root)
    print(format_result(run_named(engine, named, given), args.format, width=args.width, columns=args.columns,
                        engine=None if getattr(args, "endpoint", None) else engine))
    return OK


def cmd_sparql(args) -> int:
    from kg.query import format_result

    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except OSError as exc:
            return _fail(f"cannot read {args.file}: {exc.strerror}", USAGE_ERROR)
    elif args.query:
        text = args.query
    else:
        return _fail("give a query, or --file FILE", USAGE_ERROR)
    root = _root(args)
    engine = _engine(args, root)
    print(format_result(engine.query(text), args.format, width=args.width, columns=args.columns))
    return OK


TOUR = (
    ("coverage-documents", {}, "What each document contributes"),
    ("attacks", {"from": "2011", "to": "2016"}, "Attacks and plots of 2011-2016"),
    ("estimates", {"quantity": "quantity:kazakhstanis-in-syria-and-iraq"}, "Estimates of Kazakhstanis in Syria and Iraq, side by side"),
)


def cmd_all(args) -> int:
    """The main job: build and verify the graph, answer a few questions, draw the networks."""
    from kg import network
    from kg.query import format_result, get_query, run_named
    from kg.render import write_page
    from kg.store import built_file, open_engine

    root = _root(args)
    code = cmd_build(args)
    if code != OK:
        return code
    engine = open_engine(built_file(root), args.engine)
    for name, params, title in TOUR:
        print(f"\n== {title} (kg query {name}) ==")
        print(format_result(run_named(engine, get_query(name), params), "table"))
    out = root / "build" / "networks"
    out.mkdir(parents=True, exist_ok=True)
    print("\n== Networks ==")
    for projection in network.PROJECTIONS:
        graph = network.annotate(network.project(engine, projection))
        path = write_page(graph, out / f"{projection}.html", title=f"{projection.capitalize()} network")
        print(f"wrote {path} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} links)")
    print("\nOpen the pages in a browser; kg queries lists every question; kg serve starts a SPARQL endpoint.")
    return OK


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", help="project folder (default: this checkout)")
    p.add_argument("--corpus", help="corpus folder (default: $KG_CORPUS or ../shared/corpus)")


def _add_query_opts(p: argparse.ArgumentParser) -> None:
    from kg.query import FORMATS
    from kg.store import ENGINES

    p.add_argument("--format", "-f", choices=FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--endpoint", help="run against a remote SPARQL 1.1 endpoint URL instead of the built graph")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a remote endpoint (default 30)")
    p.add_argument("--engine", choices=ENGINES, default="oxigraph", help="embedded engine (default: oxigraph)")
    p.add_argument("--columns", action="append", metavar="NAME[,NAME]",
                   help="show only these columns, in this order (repeatable or comma-separated)")
    p.add_argument("--width", type=int, help="fit tables to this many columns (default: the terminal's)")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kg", description="Knowledge graph of violent extremism and counterterrorism in Kazakhstan.")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("build", help="load, verify, validate and write the graph to build/")
    _add_common(p)
    p.add_argument("--out", help="output folder (default: build/)")
    p.add_argument("--check", action="store_true", help="validate only; write nothing")
    p.add_argument("--only", action="append", metavar="GLOB",
                   help="load only the graph/ files matching this name glob (plus sources.ttl and core.ttl); implies --check")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("all", help="the main job: build, answer a few questions, draw the networks into build/networks/")
    _add_common(p)
    from kg.store import ENGINES

    p.add_argument("--engine", choices=ENGINES, default="oxigraph", help="embedded engine (default: oxigraph)")
    p.set_defaults(func=cmd_all)

    p = sub.add_parser("locate", help="find a passage in a document: offsets and hash for an evidence span")
    _add_common(p)
    p.add_argument("doc", help="document id: 000 to 004")
    p.add_argument("words", nargs="+", help="words of the passage (white space and case are flexible)")
    p.add_argument("--until", help="end the span at the first match of these words after the start")
    p.set_defaults(func=cmd_locate)

    p = sub.add_parser("queries", help="list the named questions and their parameters")
    p.set_defaults(func=cmd_queries)

    p = sub.add_parser("query", help="answer a named question")
    _add_common(p)
    p.add_argument("name", help="query name (see kg queries)")
    p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", help="bind a parameter (repeatable)")
    _add_query_opts(p)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("sparql", help="run an ad-hoc SPARQL query")
    _add_common(p)
    p.add_argument("query", nargs="?", help="the SPARQL text")
    p.add_argument("--file", help="read the query from a file")
    _add_query_opts(p)
    p.set_defaults(func=cmd_sparql)

    for register in _extensions():
        register(sub, _add_common, _add_query_opts)
    return ap


def _extensions():
    """Subcommands that live in their own modules (serve, push, network), registered if present."""
    import importlib

    found = []
    for name in ("kg.serve", "kg.network_cli", "kg.cli_search", "kg.cli_safety", "kg.cli_scale", "kg.cli_site", "kg.cli_extend"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        found.append(module.register)
    return found


def main(argv: list[str] | None = None) -> int:
    from kg.corpus import CorpusError
    from kg.load import InputError
    from kg.store import QueryError

    ap = parser()
    args = ap.parse_args(argv)
    if not getattr(args, "func", None):
        ap.print_help()
        return USAGE_ERROR
    try:
        return args.func(args)
    except (InputError, QueryError, CorpusError) as exc:
        return _fail(str(exc), USAGE_ERROR)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK
