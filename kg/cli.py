"""The ``kg`` command: a thin layer over the library, one subcommand per verb.

Exit codes: 0 ok; 1 the data does not conform or a check failed; 2 usage or input error.
Results go to standard output, messages and errors to standard error.
"""

from __future__ import annotations

import argparse
import errno  # already loaded by os and pathlib
import os
import sys
from pathlib import Path

__all__ = ["main", "Parser", "whole_number", "WIDTH", "printable", "add_output_opts", "ANSWERING"]

OK, DATA_ERROR, USAGE_ERROR = 0, 1, 2


class _StoreOnce(argparse.Action):
    """argparse's ``store``, refusing an option given twice (the last one silently winning would run
    another command than the one typed)."""

    def __call__(self, parser, namespace, values, option_string=None):
        seen = namespace.__dict__.setdefault("_given", set())
        if self.dest in seen:
            parser.error(f"{option_string or self.dest} is given twice: give it once")
        seen.add(self.dest)
        setattr(namespace, self.dest, values)


class _ColumnNames(argparse._AppendAction):
    """``--columns``: its items gathered (the option may be repeated), refused as soon as they name no
    column or one column twice (:func:`kg.tables.column_names`), before anything is opened or built."""

    def __call__(self, parser, namespace, values, option_string=None):
        super().__call__(parser, namespace, values, option_string)
        from kg.store import QueryError
        from kg.tables import column_names

        try:
            column_names(getattr(namespace, self.dest))
        except QueryError as exc:
            parser.error(str(exc))


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, as wide as argparse makes it (``$COLUMNS``, else the terminal's width,
    else 80, less 2), measured by :func:`kg.tables.terminal_width` instead of :mod:`shutil`: argparse
    makes one of these for every option it is given, and importing shutil (with the zlib, bz2 and
    lzma modules it loads) was 2-3 ms of every command's start."""

    def __init__(self, prog, indent_increment=2, max_help_position=24, width=None):
        if width is None:
            from kg.tables import terminal_width

            width = terminal_width(80) - 2
        super().__init__(prog, indent_increment, max_help_position, width)


class Parser(argparse.ArgumentParser):
    """The argument parser of every ``kg`` command (subcommands, and the extension modules' ones, are
    made of this class too): a usage error is one line on standard error, exit 2, naming the command's
    ``--help``; an option given twice, or given an empty value where it takes text, is refused (an
    empty value would otherwise mean "not given" and the default would run silently), and so is a
    blank argument (a file name, a question, a document id)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)
        self.register("action", None, _StoreOnce)
        self.register("action", "store", _StoreOnce)

    def error(self, message: str):
        self.exit(USAGE_ERROR, f"kg: error: {printable(message)}; {self.prog} --help shows how to call it\n")

    def _get_value(self, action, arg_string):
        if action.option_strings and action.type is None and not arg_string.strip():
            self.error(f"{'/'.join(action.option_strings)} is empty: give a value, or leave the option out")
        if not action.option_strings and action.nargs is None and action.type is None and not arg_string.strip():
            # a blank argument (kg add-source '' took '' for the folder '.'): refused, as an empty option value is
            self.error(f"{action.metavar or action.dest.upper()} is empty: give a value")
        return super()._get_value(action, arg_string)


def _root(args) -> Path:
    """The project of the command (--root, else the checkout), made the one every path is derived from
    (:mod:`kg.paths`: its questions, checks, build/ and corpus)."""
    from kg import paths

    root = Path(args.root).resolve() if args.root else paths.CHECKOUT
    if not (root / "ontology").is_dir():
        raise SystemExit(_fail(f"{root} has no ontology/ folder: run kg inside the project or pass --root", USAGE_ERROR))
    paths.use(root)
    return root


def printable(message: str) -> str:
    """``message`` as one printable line: line breaks, other control characters and bidirectional
    overrides (a value the user typed or a server sent, echoed back) are written as escapes such as
    ``\\n``, and a run of over 300 characters without a space (a pasted value, a path thousands of
    characters long) is cut to its first 200 and last 60, around an ellipsis."""
    import re

    from kg.output import one_line  # the one escaping of every message, table and terminal

    return re.sub(r"\S{301,}", lambda m: m.group()[:200] + "…" + m.group()[-60:], one_line(message))


def _fail(message: str, code: int) -> int:
    print(f"kg: error: {printable(message)}", file=sys.stderr)
    return code


def _engine(args, root: Path):
    """The engine a query runs on: the remote endpoint if given, else the built graph (built if stale)."""
    if getattr(args, "endpoint", None):
        if "engine" in getattr(args, "_given", ()):  # (two answers to "where does it run": the last would be ignored)
            raise SystemExit(_fail("--engine chooses the embedded engine and --endpoint sends the query elsewhere: "
                                   "give one of them", USAGE_ERROR))
        from kg.remote import RemoteEngine

        user = getattr(args, "user", None)
        password = None
        if user is not None:
            from kg.push import password_from_env
            from kg.remote import PASSWORD_ENV

            variable = getattr(args, "password_env", None) or PASSWORD_ENV
            password = password_from_env(variable)
            if password is None:
                raise SystemExit(_fail(f"--user {user}: put the endpoint's password in ${variable} "
                                       "(kg takes no password on the command line or in the URL)", USAGE_ERROR))
        return RemoteEngine(args.endpoint, timeout=getattr(args, "timeout", 30.0), allow_remote=getattr(args, "allow_remote", False),
                            user=user, password=password)
    if getattr(args, "user", None) is not None:
        raise SystemExit(_fail("--user logs in to a remote endpoint: give --endpoint URL too, or leave --user out", USAGE_ERROR))
    from kg.bounded import BoundedEngine
    from kg.store import built_file, is_stale, open_engine

    if is_stale(root):
        from kg.buildsafe import stale_reason
        from kg.output import one_line

        print(f"kg: building the graph first ({one_line(stale_reason(root) or 'out of date')})", file=sys.stderr)
        code = cmd_build(args, quiet=True)
        if code != OK:
            raise SystemExit(code)
    try:
        engine = open_engine(built_file(root), getattr(args, "engine", "oxigraph"))
    except (OSError, SyntaxError, ValueError) as exc:
        raise SystemExit(_fail(f"{built_file(root)} is damaged ({' '.join(str(exc).split())[:200]}): run kg build", DATA_ERROR))
    # commands without query options (kg docs, kg ingest ...) run their own fixed queries: default bound
    return BoundedEngine(engine, getattr(args, "timeout", 30.0), allow_remote=getattr(args, "allow_remote", False))


def cmd_build(args, quiet: bool = False) -> int:
    from kg.build import build, ensure_not_input, locked_build

    root = _root(args)
    out = Path(args.out) if getattr(args, "out", None) else None
    if out is not None:
        ensure_not_input(out, root)
    only = getattr(args, "only", None)
    write = not getattr(args, "check", False) and not only
    result = (locked_build if write else build)(root, corpus=args.corpus, out=out, write=write, only=only,
                                                full=getattr(args, "full", False))
    if not quiet:  # one build per process: its objects live until the exit, which then skips collecting them (~0.5 s)
        import gc

        gc.freeze()
    for warning in result.warnings:  # printable: a file named with control characters cannot drive the terminal
        print(f"kg: warning: {printable(warning)}", file=sys.stderr)
    if not result.ok:
        for error in result.errors:
            print(printable(error), file=sys.stderr)
        print(f"kg: the data does not conform: {len(result.errors)} problem(s); nothing was written", file=sys.stderr)
        return DATA_ERROR
    if not quiet:
        n_graphs = len(result.spans)
        n_quads = result.quad_count()
        print(f"built {n_quads} quads: {n_graphs} evidence graphs, {result.verified} spans verified against the corpus")
        print(f"{len(result.mentions)} entity names in literals without a link (kg build --mentions lists them), "
              f"{len(result.duplicates)} likely duplicates (--duplicates), "
              f"{len(result.quantity_overlaps)} quantities that may count one thing (--quantities), "
              f"{result.generated_labels} labels generated")
        if getattr(args, "mentions", False):
            from kg.mentions import format_mentions

            print(format_mentions(result.mentions))
        if getattr(args, "duplicates", False):
            from kg.duplicates import format_duplicates

            print(format_duplicates(result.duplicates))
        if getattr(args, "quantities", False):
            from kg.quantities import format_quantity_overlaps

            print(format_quantity_overlaps(result.quantity_overlaps))
        from kg.output import one_line

        for path in result.outputs:
            print(f"wrote {one_line(path)}")
        timing = ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
        print(f"time: {timing}", file=sys.stderr)
    return OK


def cmd_locate(args) -> int:
    from kg import corpus
    from kg.output import one_line
    from kg.sources import open_corpus

    folder = open_corpus(_root(args), args.corpus)
    if folder is None:
        return _fail("the corpus is not found: put it at ../shared/corpus, set KG_CORPUS or pass --corpus", USAGE_ERROR)
    matches = corpus.locate(folder, args.doc, " ".join(args.words), until=args.until)
    if not matches:
        until = f" then {args.until!r}" if args.until else ""
        return _fail(f"no passage of document {corpus.normalise_doc_id(args.doc)} holds {' '.join(args.words)!r}{until} "
                     "(case and white space are free): check the words against the document, or give fewer", DATA_ERROR)
    for m in matches:
        print(f"{m.evidence}  start={m.start} end={m.end} sha256={m.sha256}")
        print(f"  {one_line(m.context)}")  # one line: a span across lines shows its breaks as \n
        print(f"  {m.evidence} kg:sha256 \"{m.sha256}\" .")
    return OK


#: The columns of ``kg queries``: the question's name, what it asks, its parameters (separated by ``; ``).
QUESTION_COLUMNS = ["question", "asks", "parameters"]


def cmd_queries(args) -> int:
    """List the named questions, one row each, in the output options every command that prints rows takes."""
    from kg.output import write_rows
    from kg.query import load_queries, type_text, value_range

    _root(args)  # (its questions: kg.paths.queries_dir)
    rows = []
    for name, q in load_queries().items():
        params = []
        for p in q.params:
            extra = f"default {p.default}" if p.default is not None else ("required" if p.required else "optional")
            extra += "".join(f", {rule}" for rule in (value_range(p), p.at_least and f"at least {p.at_least}") if rule)
            params.append(f"-p {p.name}=<{type_text(p)}> {p.description} ({extra})")
        rows.append({"question": name, "asks": q.summary, "parameters": "; ".join(params)})
    write_rows(QUESTION_COLUMNS, rows, args)
    return OK


def _print_page(result, fmt: str) -> None:
    """Print a result; a note on standard error says which rows of how many, when it is one page."""
    from kg.query import format_result, page_note

    print(format_result(result, fmt))
    if fmt != "table" and result.total is not None and result.total != len(result.rows):
        print(f"kg: {page_note(result)}", file=sys.stderr)


def _write_page(events, args, limit: int | None, offset: int, engine=None) -> None:
    """Stream one page of a result (rows ``offset`` to ``offset + limit``) to standard output in
    ``args.format``, capped at ``args.max_rows`` for tables; a note on standard error gives the
    rows shown and the total when the page is not the whole answer."""
    from kg.output import paged, write_events
    from kg.query import page_note
    from kg.store import Result

    state: dict = {}
    table = {"width": getattr(args, "width", None), "columns": getattr(args, "columns", None), "engine": engine}
    shown = write_events(paged(events, limit, offset, state), args.format, sys.stdout, args.max_rows, **table)
    total = state.get("total")
    if total is not None and total != shown:
        print(f"kg: {page_note(Result([], [{}] * shown, total=total, offset=offset))}", file=sys.stderr)


def _page_args(args) -> tuple[int | None, int]:
    from kg.query import ParamError

    if args.limit < 0 or args.offset < 0:
        raise ParamError("--limit and --offset take a number of rows, 0 or more")
    return (args.limit or None), args.offset


def cmd_query(args) -> int:
    from kg.output import named_events
    from kg.query import check_values, get_query, parse_param_args

    root = _root(args)
    named = get_query(args.name)
    given = parse_param_args(args.param or [])
    check_values(named, given)  # a number out of range is refused before the graph is opened (or built)
    limit, offset = _page_args(args)
    engine = _engine(args, root)
    from kg.store import QueryError

    try:
        _write_page(named_events(engine, named, given, limit=limit, offset=offset), args, limit, offset,
                    engine=None if getattr(args, "endpoint", None) else engine)
    except QueryError as exc:  # a question file the engine cannot parse: say which file (lines as bound by kg)
        if not str(exc).startswith("SPARQL syntax error"):
            raise
        raise QueryError(f"{named.path}: the question does not parse as kg query binds it: {exc}; fix the file") from None
    return OK


def _with_prefixes(text: str) -> str:
    """The query with a ``PREFIX`` line for every prefix of the project (``kg:``, ``group:``, ``ev:``...)
    that it uses without declaring, so that ad-hoc queries can be typed as the README writes them."""
    import re

    from kg.iris import PREFIXES

    declared = {m.lower() for m in re.findall(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?:", text)}
    used = set(re.findall(r"(?<![\w<\"'/#:])([A-Za-z][\w-]*):[A-Za-z_]", text))
    lines = [f"PREFIX {p}: <{PREFIXES[p]}>" for p in sorted(used) if p in PREFIXES and p.lower() not in declared]
    return "\n".join(lines + [text]) if lines else text


def _stdin_is_a_device() -> bool:
    """True when standard input is a terminal or another character device: ``/dev/null``, which kg
    puts there when the caller closed it (``<&-``), or a terminal."""
    import stat

    try:
        return sys.stdin is None or stat.S_ISCHR(os.fstat(0).st_mode)
    except OSError:
        return True


def cmd_sparql(args) -> int:
    if args.file and args.query:
        return _fail("give the query as text or with --file, not both", USAGE_ERROR)
    if args.file:
        from kg.inputs import InputError, read_text

        if args.file == "-" and _stdin_is_a_device():
            return _fail("--file - reads the query from standard input, which is a terminal, a device or closed here: pipe "
                         "the query in (kg sparql --file - < question.rq) or give it as text", USAGE_ERROR)
        try:  # a regular file, or a pipe (--file <(...), --file - fed by a pipe) that sends its text in time; at most 1 MB
            text = read_text("/dev/stdin" if args.file == "-" else args.file, limit=1 << 20, pipes=True)
        except InputError as exc:
            return _fail(str(exc).replace("/dev/stdin", "standard input", 1) if args.file == "-" else str(exc),
                         USAGE_ERROR)
    elif args.query:
        text = args.query
    else:
        return _fail("give a query, or --file FILE", USAGE_ERROR)
    import re

    if not re.sub(r"(?m)^\s*#.*$", "", text).strip():  # blank, or comments only (an empty file)
        return _fail(f"the query{' in ' + args.file if args.file else ''} is empty: give a SPARQL SELECT or ASK query",
                     USAGE_ERROR)
    root = _root(args)
    limit, offset = _page_args(args)
    engine = _engine(args, root)
    _write_page(engine.stream(_with_prefixes(text)), args, limit, offset)
    return OK


# (question, parameters, title, the columns a first reader needs: the quantity's name, the same on every
# row of the estimates and said by the title, filled half the table)
TOUR = (
    ("coverage-documents", {}, "What each document contributes", ["docId", "title", "spans", "statements", "subjects"]),
    ("attacks", {"from": "2011", "to": "2016"}, "Attacks and plots of 2011-2016",
     ["name", "date", "places", "perpetrators", "killed"]),
    ("estimates", {"quantity": "quantity:kazakhstanis-in-syria-and-iraq"}, "Estimates of Kazakhstanis in Syria and Iraq, side by side",
     ["value", "low", "high", "comparator", "period", "places", "category", "statedByName", "docId"]),
)


def cmd_all(args) -> int:
    """The main job: build and verify the graph, answer a few questions, draw the networks."""
    from kg import network
    from kg.output import one_line
    from kg.query import format_result, get_query, run_named
    from kg.render import write_page
    from kg.store import built_file, open_engine

    root = _root(args)
    code = cmd_build(args)
    if code != OK:
        return code
    from kg.build import ensure_not_input

    for folder in ("networks", "site"):  # build/ is checked by the build; a link below it may lead elsewhere
        ensure_not_input(root / "build" / folder, root, f"build/{folder}")
    engine = open_engine(built_file(root), args.engine)
    for name, params, title, columns in TOUR:
        print(f"\n== {title} (kg query {name}) ==")
        print(format_result(run_named(engine, get_query(name), params), "table", columns=columns))
    out = root / "build" / "networks"
    out.mkdir(parents=True, exist_ok=True)
    print("\n== Networks ==")
    for projection in network.PROJECTIONS:
        graph = network.annotate(network.project(engine, projection))
        path = write_page(graph, out / f"{projection}.html", title=f"{projection.capitalize()} network")
        print(f"wrote {one_line(path)} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} links)")
    print("\n== The site: entity, document and question pages, a timeline (kg site) ==")
    from kg.site import write_site
    from kg.sources import open_corpus

    folder = open_corpus(root, getattr(args, "corpus", None))
    report = write_site(engine, root / "build" / "site", corpus=folder, passages=folder is not None)
    print(f"wrote {one_line(root / 'build' / 'site' / 'index.html')}: {sum(report.pages.values())} pages, "
          f"{'with passages (keep it on your machine: it quotes the documents)' if report.passages else 'references and hashes only'}")
    print("\nOpen build/site/index.html and the network pages in a browser; kg queries lists every question; "
          "kg serve starts a SPARQL endpoint.")
    return OK


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", help="project folder (default: this checkout)")
    p.add_argument("--corpus", action="append", metavar="FOLDER",
                   help=f"a corpus folder, repeatable (default: $KG_CORPUS, folders separated by {os.pathsep!r}, or ../shared/corpus)")


def _seconds(value: str) -> float:
    from kg.bounded import positive_seconds

    try:
        return positive_seconds(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive number of seconds (for example 30 or 0.5)") from None


def whole_number(low: int, high: int, what: str):
    """An argparse ``type``: a whole number from ``low`` to ``high`` (``what`` names it in the message).

    The converter returns the int; for anything else (a word, a fraction, a sign out of range, a
    number of thousands of digits) it raises ``argparse.ArgumentTypeError``, one line saying the range.
    """
    import re

    def convert(value: str) -> int:
        text = value.strip()
        if not re.fullmatch(r"[+-]?[0-9]{1,12}", text) or not low <= int(text) <= high:
            raise argparse.ArgumentTypeError(f"{value[:40]!r} is not {what}: give a whole number from {low} to {high}")
        return int(text)

    return convert


#: ``--width`` of tables and cards: narrower than 20 columns nothing fits, wider than 10,000 is a typo.
WIDTH = whole_number(20, 10_000, "a width in columns")


def _count(value: str) -> int:
    if not value.strip().isdigit() or len(value.strip()) > 9:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of rows (0 or more)")
    return int(value)


def add_output_opts(p: argparse.ArgumentParser) -> None:
    """The output options of every command that prints rows (``kg query``, ``kg sparql``, ``kg search``,
    ``kg queries``, ``kg locate``): ``--format``, ``--max-rows``, ``--columns``, ``--width``, with one
    meaning and one refusal of a bad value everywhere (rows written by :func:`kg.output.write_rows`
    or :func:`kg.output.write_events`)."""
    from kg.query import FORMATS

    p.add_argument("--format", "-f", choices=FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--max-rows", type=_count, default=1000, metavar="N",
                   help="rows shown in table output (default 1000; 0 shows all); csv, tsv and json write every row")
    p.add_argument("--columns", action=_ColumnNames, metavar="NAME[,NAME]",
                   help="show only these columns, in this order (repeatable or comma-separated)")
    p.add_argument("--width", type=WIDTH, help="fit tables to this many columns, 20 or more (default: the terminal's)")


def add_endpoint_login(p: argparse.ArgumentParser) -> None:
    """Add ``--user`` and ``--password-env`` (the login of an ``--endpoint`` that wants one) to ``p``."""
    p.add_argument("--user", help="with --endpoint: user name for HTTP basic or digest authentication "
                   "(the password: $KG_ENDPOINT_PASSWORD)")
    p.add_argument("--password-env", metavar="VARIABLE", help="with --endpoint: environment variable holding the password "
                   "(default KG_ENDPOINT_PASSWORD); passwords are never taken on the command line or in the URL")


def _add_query_opts(p: argparse.ArgumentParser) -> None:
    from kg.store import ENGINES

    add_output_opts(p)
    p.add_argument("--endpoint", help="run against a remote SPARQL 1.1 endpoint URL instead of the built graph")
    add_endpoint_login(p)
    p.add_argument("--timeout", type=_seconds, default=30.0,
                   help="seconds a query may take, on any engine or endpoint, before it is stopped (default 30)")
    p.add_argument("--allow-remote", action="store_true",
                   help="allow SERVICE and FROM of graphs outside the local dataset (refused by default)")
    p.add_argument("--engine", choices=ENGINES, default="oxigraph", help="embedded engine (default: oxigraph)")


def _add_page_opts(p: argparse.ArgumentParser) -> None:
    from kg.query import DEFAULT_PAGE

    p.add_argument("--limit", type=int, default=DEFAULT_PAGE,
                   help=f"rows to print (default {DEFAULT_PAGE}; 0 prints all); the total is printed after them")
    p.add_argument("--offset", type=int, default=0, help="rows to skip first (default 0), for the next pages")


CORE_COMMANDS = ("build", "all", "locate", "queries", "query", "sparql")
#: The modules that add subcommands (in the order ``kg --help`` lists them) and the commands each adds.
#: ``kg COMMAND`` imports only the module that adds COMMAND (or none, for a core command); ``kg --help``
#: and a command missing from this table import them all. tests/test_coldstart.py checks the table.
EXTENSIONS = {
    "kg.serve": ("serve", "push"),
    "kg.network_cli": ("network",),
    "kg.cli_search": ("search",),
    "kg.cli_safety": (),
    "kg.cli_scale": (),
    "kg.cli_site": ("site", "show", "passage"),
    "kg.cli_extend": ("ingest",),
    "kg.cli_sources": ("add-source", "docs"),
}


def _add_build(sub) -> None:
    p = sub.add_parser("build", help="load, verify, validate and write the graph to build/")
    _add_common(p)
    p.add_argument("--out", help="output folder (default: build/)")
    p.add_argument("--check", action="store_true", help="validate only; write nothing")
    p.add_argument("--full", action="store_true",
                   help="rebuild everything, reading no cache (default: reparse and revalidate only what changed)")
    p.add_argument("--only", action="append", metavar="GLOB",
                   help="load only the graph/ files matching this name glob (plus sources.ttl and core.ttl); implies --check")
    p.add_argument("--mentions", action="store_true", help="list entity names written in literals without a link")
    p.add_argument("--duplicates", action="store_true", help="list likely duplicates (also shown as warnings)")
    p.add_argument("--quantities", action="store_true",
                   help="list quantities whose statistics may count one thing (also shown as warnings)")
    p.set_defaults(func=cmd_build)


def _add_all(sub) -> None:
    from kg.store import ENGINES

    p = sub.add_parser("all", help="the main job: build, answer a few questions, draw the networks into build/networks/")
    _add_common(p)
    p.add_argument("--engine", choices=ENGINES, default="oxigraph", help="embedded engine (default: oxigraph)")
    p.set_defaults(func=cmd_all)


def _add_locate(sub) -> None:
    p = sub.add_parser("locate", help="find a passage in a document: offsets and hash for an evidence span")
    _add_common(p)
    p.add_argument("doc", help="document id registered in graph/sources.ttl (for example 003)")
    p.add_argument("words", nargs="+", help="words of the passage (white space and case are flexible)")
    p.add_argument("--until", help="end the span at the first match of these words after the start")
    p.set_defaults(func=cmd_locate)


def _add_queries(sub) -> None:
    p = sub.add_parser("queries", help="list the named questions and their parameters")
    p.add_argument("--root", help="project folder (default: this checkout); its queries/, else the checkout's")
    add_output_opts(p)
    p.set_defaults(func=cmd_queries)


def _add_query(sub) -> None:
    p = sub.add_parser("query", help="answer a named question")
    _add_common(p)
    p.add_argument("name", help="query name (see kg queries)")
    p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", help="bind a parameter (repeatable)")
    _add_page_opts(p)
    _add_query_opts(p)
    p.set_defaults(func=cmd_query)


def _add_sparql(sub) -> None:
    p = sub.add_parser("sparql", help="run an ad-hoc SPARQL query")
    _add_common(p)
    p.add_argument("query", nargs="?", help="the SPARQL text")
    p.add_argument("--file", help="read the query from a file (- for standard input)")
    _add_page_opts(p)
    _add_query_opts(p)
    p.set_defaults(func=cmd_sparql)


_CORE = {"build": _add_build, "all": _add_all, "locate": _add_locate, "queries": _add_queries, "query": _add_query,
         "sparql": _add_sparql}


def parser(extensions: bool = True, command: str | None = None) -> argparse.ArgumentParser:
    """The ``kg`` argument parser: every command, or with ``command`` only what that command needs.

    With ``command`` a core command, only its subparser is added; with a command of an extension
    module (:data:`EXTENSIONS`), only that module's; otherwise (``kg --help``, a mistyped or unknown
    command) every core command and, if ``extensions``, every extension module's. The help and
    usage a command prints are the same either way.
    """
    ap = Parser(prog="kg", description="Knowledge graph of violent extremism and counterterrorism in Kazakhstan.")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    if command in _CORE:
        _CORE[command](sub)
        return ap
    modules = [m for m, commands in EXTENSIONS.items() if command in commands] if extensions else []
    if not modules:
        for add in _CORE.values():
            add(sub)
        modules = list(EXTENSIONS) if extensions else []
    for register in _extensions(modules):
        register(sub, _add_common, _add_query_opts)
    return ap


def _extensions(modules=tuple(EXTENSIONS)):
    """The ``register`` functions of the extension modules (serve, push, network...) that are present."""
    import importlib

    found = []
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        found.append(module.register)
    return found


def _input_errors() -> tuple:
    """The exception classes that are input errors (exit 2), of the modules imported so far: an error
    of a module the command never imported cannot have been raised, so nothing is imported for this."""
    kinds = (("kg.corpus", "CorpusError"), ("kg.inputs", "InputError"), ("kg.store", "QueryError"))
    return tuple(getattr(sys.modules[m], c) for m, c in kinds if m in sys.modules)


def _os_error(exc: OSError) -> str:
    """One line for an ``OSError`` no command caught: the file and the reason, and for a full disk
    (or a limit on file size) what to do. A copy of several files (``shutil.Error``) names the first."""
    name, why = exc.filename, exc.strerror or exc
    if exc.errno is None and exc.args and isinstance(exc.args[0], list) and exc.args[0]:  # shutil.copytree's
        first = exc.args[0][0]
        name, why = (first[1], first[2]) if len(first) == 3 else (name, first)
    line = f"{name or 'output'}: {why}"
    full = (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC))
    if exc.errno in full or any(f"[Errno {code}]" in line for code in full):
        line += ": the disk is full or a file may not grow this large; free some space and run the command again"
    elif exc.errno in _OS_HINTS:
        line += ": " + _OS_HINTS[exc.errno]
    return line


# what to do about the errors of the file system that no command foresaw (kg._os_error adds it to the reason)
_OS_HINTS = {
    errno.ENOTDIR: "a file stands where a folder is needed; name a folder, or move the file away",
    errno.EEXIST: "something that is not a folder stands there; name another place, or move it away",
    errno.EISDIR: "a folder stands where a file is needed; name a file",
    errno.EACCES: "you may not use it; choose another place, or change its permissions",
    errno.EPERM: "you may not use it; choose another place, or change its permissions",
    errno.EROFS: "the file system is read-only; write elsewhere",
    errno.ENAMETOOLONG: "choose a shorter name or path",
    errno.ENOENT: "check the path: a folder in it may be missing",
}


def _terminated(signum, frame):
    raise KeyboardInterrupt


#: The commands that answer and exit (no server, no build of their own: a query builds only a stale graph)
ANSWERING = ("query", "sparql", "queries", "search", "show")
#: The commands whose answer is what they print (and kg network --metrics): refused when standard output is closed
PRINTING = (*ANSWERING, "passage", "locate")


def _answer_quickly() -> None:
    """For a command of :data:`ANSWERING` run as the ``kg`` program: Python's cyclic garbage collector
    runs a thirtieth as often, and not at all over what is left at the exit. It would otherwise pass
    over the modules' objects some twenty times while they are imported and once more at the exit
    (3-4 ms of a cold ``kg query``, bench/SCALE.md); a command's rows and results hold no cycles,
    and reference counting frees them as before. A graph built first (stale) is collected every
    20,000 new objects instead of 700."""
    import atexit
    import gc

    gc.set_threshold(20_000, 10, 10)
    atexit.register(gc.freeze)  # at the exit: nothing left to examine


def _to_terminal() -> dict:
    """Standard output and standard error, each that is a terminal made a :class:`kg.output.TerminalText`
    (no value printed, by kg or by a library's warning or log line, can move the cursor, clear the
    screen or reverse a line); returns ``{"stdout"|"stderr": the wrapper}`` for those replaced."""
    wrapped = {}
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        try:
            if not stream.isatty():
                continue
        except (AttributeError, ValueError, OSError):
            continue
        from kg.output import TerminalText

        wrapped[name] = TerminalText(stream)
        setattr(sys, name, wrapped[name])
    return wrapped


def _closed_streams() -> set[str]:
    """Occupy each of the descriptors 0, 1 and 2 that the caller left closed (``kg query >&-``) with
    ``os.devnull``, so that no file kg opens takes its number (and receives what is meant for the stream),
    and give Python a stream for it where it had none; returns the names of those that were closed."""
    closed = set()
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            closed.add(name)
            if getattr(sys, name) is None:
                setattr(sys, name, open(fd, "r" if fd == 0 else "w", closefd=False))
    return closed


def main(argv: list[str] | None = None) -> int:
    if argv is None and sys.argv[1:2] and sys.argv[1] in ANSWERING:  # not when called by another program (tests)
        _answer_quickly()
    closed = _closed_streams()
    argv = sys.argv[1:] if argv is None else argv
    if hasattr(sys.stdout, "reconfigure"):  # a terminal that cannot show a name gets \u escapes, not a crash
        sys.stdout.reconfigure(errors="backslashreplace")
    terminal = _to_terminal()
    # only the command's own parser is built: kg query imports no extension module (networks, server...)
    ap = parser(command=argv[0] if argv else None)
    args = ap.parse_args(argv)
    if not getattr(args, "func", None):
        ap.print_help()
        return USAGE_ERROR
    if "stdout" in closed and (args.command in PRINTING or getattr(args, "metrics", False)):
        return _fail(f"standard output is closed (>&-): kg {args.command} prints its answer there; send it to "
                     "a file or a pipe (> FILE, | less), or to /dev/null", USAGE_ERROR)
    import signal

    # SIGTERM (kill, a closed terminal session, a CI timeout) stops a command as Ctrl-C does, through the same
    # clean-up: a query's worker is killed, a build's temporary files removed (kg serve sets its own handler)
    try:
        signal.signal(signal.SIGTERM, _terminated)
    except ValueError:  # main() called from another thread than the main one (a test): no handler there
        pass
    try:
        return args.func(args)
    except KeyboardInterrupt:  # outputs are renamed into place whole, so a stopped command leaves the previous ones
        print(f"kg: error: interrupted: kg {args.command} stopped before it finished; run it again", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK
    except OSError as exc:  # a file that cannot be read, output that cannot be written (a full disk): one line
        sys.stdout = open(os.devnull, "w")  # what is left in the old buffer is not flushed again at exit
        return _fail(_os_error(exc), USAGE_ERROR)
    except RuntimeError as exc:  # Path.resolve() of a link leading to itself (Python < 3.13), wherever a path is resolved
        if not str(exc).startswith("Symlink loop from "):
            raise
        return _fail(f"{str(exc)[len('Symlink loop from '):].strip(chr(39))} is a link that leads to itself (a loop): "
                     "replace it with the folder or file, or name another", USAGE_ERROR)
    except Exception as exc:
        if isinstance(exc, _input_errors()):
            inputs = sys.modules.get("kg.inputs")
            if inputs is not None and isinstance(exc, inputs.InputError):  # several files in error: one line each
                for line in [x for x in str(exc).splitlines() if x.strip()] or [type(exc).__name__]:
                    _fail(line, USAGE_ERROR)
                return USAGE_ERROR
            return _fail(str(exc), USAGE_ERROR)  # a value echoed in it stays escaped, on the one line
        raise
    finally:  # the next command run in this process (a test's) starts from the checkout again
        if "kg.paths" in sys.modules:
            sys.modules["kg.paths"].use(None)
        for name, wrapper in terminal.items():
            if getattr(sys, name) is wrapper:
                setattr(sys, name, wrapper.stream)
