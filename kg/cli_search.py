"""The ``kg search`` subcommand: ranked entities for a name, as ``-p entity=`` resolves them.

Example::

    kg search "Ministry of Internal Affairs" -n 5

Exit codes: 0 at least one match; 1 no entity matches; 2 usage or input error.
"""

from __future__ import annotations

import sys

__all__ = ["cmd_search", "register", "COLUMNS"]


def register(subparsers, add_common, add_query_opts) -> None:
    """Add ``search`` to the ``kg`` parser (``kg build --mentions/--duplicates`` live in kg.build)."""
    p = subparsers.add_parser(
        "search",
        help="find entities by name: ranked matches with class, detail and the one -p entity= would take",
        description="Rank the entities whose labels or aliases match TEXT (exact, all words, word prefixes, "
        "fuzzy), as -p entity=TEXT and kg network --around resolve names.",
    )
    add_common(p)
    p.add_argument("text", nargs="+", help="the name to look for (case, accents, Cyrillic, dashes do not matter)")
    p.add_argument("-n", "--limit", type=int, default=10,
                   help="how many matches to print (default 10; 0 prints all), as --limit of kg query")
    add_query_opts(p)
    p.set_defaults(func=cmd_search)


#: The columns of kg search: the mark of the match -p entity= takes, the score, the entity's label, the
#: label or alias that matched (when another), its class and detail, its IRI (``entity``: a table keeps it).
COLUMNS = ["taken", "score", "label", "matched", "class", "detail", "entity"]


def cmd_search(args) -> int:
    """Print the entities matching ``args.text``, best first, in the output options (``--format``,
    ``--columns``, ``--width``, ``--max-rows``) every command that prints rows takes; return the exit code."""
    from kg.cli import DATA_ERROR, OK, USAGE_ERROR, _engine, _fail, _root
    from kg.iris import shorten
    from kg.output import write_rows
    from kg.query import ParamError, expand
    from kg.search import Match, entity_iri, index_for, shown

    if args.limit < 0:  # the words and the exit code of kg query's --limit
        return _fail("-n/--limit takes a number of rows, 0 or more (0: every match)", USAGE_ERROR)
    text = " ".join(args.text)
    if not text.strip():  # before the graph is opened: nothing to look for is an input error, not "no match"
        return _fail("give a name or some words to search for, such as kg search isil", USAGE_ERROR)
    engine = _engine(args, _root(args))
    index = index_for(engine)
    refusal = "no unique best match: -p entity=, kg show and kg network --around would list these"
    try:
        taken = entity_iri(engine, text)  # the one function -p entity=, kg show and --around resolve by
    except ParamError as exc:
        taken = None
        if expand(text):  # an IRI of nothing: the reason, not a list
            refusal = f"-p entity=, kg show and kg network --around refuse it: {exc}"
    found = index.search(text, None)
    if taken is not None and expand(text):  # an IRI typed: its entity first, then what its words match
        entry = index.entries.get(taken, {"label": shorten(taken)})
        found = [Match(taken, entry["label"], entry.get("cls", ""), entry.get("detail", ""), None, entry["label"]),
                 *(m for m in found if m.iri != taken)]
    found = found[:args.limit or None]
    if not found:
        if args.format != "table":  # a script reading CSV, TSV or JSON gets an answer it can parse: no rows
            write_rows(COLUMNS, [], args)
        print(f"kg: no entity matches {shown(text)}", file=sys.stderr)
        return DATA_ERROR
    rows = [{"taken": "*" if m.iri == taken else "", "score": m.score, "label": m.label,
             "matched": m.matched if m.matched != m.label else "", "class": m.cls, "detail": m.detail,
             "entity": {"type": "uri", "value": m.iri}} for m in found]
    write_rows(COLUMNS, rows, args)
    note = "* marks the entity -p entity=, kg show and kg network --around take" if taken else refusal
    print(f"({note})", file=sys.stderr)
    return OK
