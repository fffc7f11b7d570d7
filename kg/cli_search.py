"""The ``kg search`` subcommand: ranked entities for a name, as ``-p entity=`` resolves them.

Example::

    kg search "Ministry of Internal Affairs" -n 5

Exit codes: 0 at least one match; 1 no entity matches; 2 usage or input error.
"""

from __future__ import annotations

import sys

__all__ = ["cmd_search", "register"]


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
    p.add_argument("-n", "--limit", type=int, default=10, help="how many matches to print (default 10)")
    add_query_opts(p)
    p.set_defaults(func=cmd_search)


def cmd_search(args) -> int:
    from kg.cli import DATA_ERROR, OK, USAGE_ERROR, _engine, _fail, _root
    from kg.iris import shorten
    from kg.query import ParamError
    from kg.search import index_for

    if args.limit < 1:
        return _fail("-n must be 1 or more", USAGE_ERROR)
    text = " ".join(args.text)
    if not text.strip():  # before the graph is opened: nothing to look for is an input error, not "no match"
        return _fail("give a name or some words to search for, such as kg search isil", USAGE_ERROR)
    index = index_for(_engine(args, _root(args)))
    found = index.search(text, args.limit)
    if not found:
        from kg.search import _shown

        print(f"no entity matches {_shown(text)}", file=sys.stderr)
        return DATA_ERROR
    try:
        taken = index.resolve(text)
    except ParamError:
        taken = None
    rows = [("", "score", "label", "class", "detail", "IRI")]
    for m in found:
        label = m.label if m.matched == m.label else f"{m.label} (as {m.matched!r})"
        rows.append(("*" if m.iri == taken else "", str(m.score), label, m.cls, m.detail, shorten(m.iri)))
    widths = [min(60, max(len(r[i]) for r in rows)) for i in range(len(rows[0]))]
    for row in rows:
        cells = [c if len(c) <= w else c[: w - 1] + "…" for c, w in zip(row, widths)]
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
    note = "* is what -p entity= takes" if taken else "no unique best match: -p entity= would list these"
    print(f"({len(found)} shown; {note})", file=sys.stderr)
    return OK
