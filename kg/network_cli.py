"""The ``kg network`` subcommand: draw, analyse and export a projection of the graph.

Examples::

    kg network actor -o actor.html
    kg network actor --around "Islamic State" --steps 2 -o is.html
    kg network attack --from 2011 --to 2016 -o attacks.html
    kg network legal --document 000 --export legal.graphml
    kg network actor --metrics

Exit codes: 0 ok; 1 the data does not conform; 2 usage or input error (an unknown entity or class).
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["cmd_network", "register"]


def register(subparsers, add_common, add_query_opts) -> None:
    """Add the ``network`` subcommand to the ``kg`` parser."""
    from kg.cli import _seconds, add_endpoint_login, whole_number
    from kg.network import PROJECTIONS
    from kg.render import SIZE_MEASURES
    from kg.store import ENGINES

    YEAR = whole_number(1, 9999, "a year")  # noqa: N806 - a constant of this parser, as kg query's years

    p = subparsers.add_parser(
        "network",
        help="draw a network (actor, attack, legal, source) as an interactive page; metrics; exports",
        description="Project the graph to a network, filter it, and write an offline interactive page (-o), "
        "exports (--export) or centrality and communities (--metrics).",
    )
    add_common(p)
    p.add_argument(
        "projection", nargs="?", default="actor", choices=list(PROJECTIONS), help="which network (default: actor)"
    )
    p.add_argument("-o", "--output", metavar="FILE.html", help="write the interactive page here")
    p.add_argument(
        "--export",
        action="append",
        metavar="FILE",
        default=[],
        help="write the network as GraphML (.graphml), GEXF (.gexf) or node-link JSON (.json); repeatable",
    )
    p.add_argument(
        "--metrics",
        action="store_true",
        help="print the most central nodes (degree, betweenness, PageRank) and the Louvain communities",
    )
    p.add_argument("--top", type=whole_number(1, 100_000, "a number of nodes"), default=10, help="how many nodes and communities --metrics lists (default 10)")
    f = p.add_argument_group("filters (applied in this order)")
    f.add_argument(
        "--class",
        dest="classes",
        action="append",
        metavar="CLASS",
        help="keep nodes of this class, subclasses included (ArmedGroup, kg:StateAgency, 'person'); repeatable",
    )
    f.add_argument(
        "--relation",
        action="append",
        metavar="REL",
        help="keep links of this relation (memberOf, bans) or kind (membership, allegiance); repeatable",
    )
    f.add_argument("--from", dest="first", type=YEAR, metavar="YEAR", help="keep links valid in or after this year")
    f.add_argument("--to", dest="last", type=YEAR, metavar="YEAR", help="keep links valid in or before this year")
    f.add_argument("--dated-only", action="store_true", help="with --from/--to, drop links that carry no date")
    f.add_argument("--document", metavar="DOC", help="keep links stated by this document (an id registered in graph/sources.ttl, such as 003)")
    f.add_argument("--around", metavar="ENTITY", help="keep the neighbourhood of this entity (IRI, label or alias)")
    f.add_argument("--steps", type=whole_number(0, 1000, "a number of links"), default=1, help="radius of --around in links (default 1)")
    f.add_argument("--keep-isolates", action="store_true", help="keep nodes of the projection that have no link")
    f.add_argument("--figures", action="store_true",
                   help="source network: bring in statistics, findings and quantities (left out by default, counted on the documents)")
    d = p.add_argument_group("page")
    d.add_argument("--size-by", choices=SIZE_MEASURES, default="degree", help="node size (default: degree)")
    d.add_argument("--color-by", choices=("class", "community"), default="class", help="node colour (default: class)")
    d.add_argument(
        "--layout",
        choices=("python", "physics", "auto"),
        default="python",
        help="python (default): positions computed in Python with a fixed seed, the same drawing at every "
        "opening, nodes still draggable; physics: the browser's physics; auto: physics up to --physics-limit "
        "nodes, Python beyond",
    )
    d.add_argument(
        "--physics-limit", type=whole_number(0, 10_000_000, "a number of nodes"), default=400,
        help="with --layout auto, the largest network laid out by the browser; past it links are drawn "
        "straight and without arrows (default 400)"
    )
    d.add_argument("--title", help="heading of the page")
    d.add_argument("--site", metavar="URL", help="root of a kg site (e.g. ../site/): clicking a node opens its entity page there")
    p.add_argument("--engine", choices=ENGINES, default="oxigraph", help="embedded engine (default: oxigraph)")
    p.add_argument("--endpoint", help="read from a remote SPARQL 1.1 endpoint URL instead of the built graph")
    add_endpoint_login(p)
    p.add_argument("--timeout", type=_seconds, default=30.0, help="seconds to wait for a remote endpoint (default 30)")
    p.set_defaults(func=cmd_network)


def cmd_network(args) -> int:
    from kg import network
    from kg.cli import USAGE_ERROR, _engine, _fail, _root
    from kg.output import link_target, one_line
    from kg.outputs import NETWORK_MARKS, OutputRefused, check_not_input, check_replaceable

    for target in args.export:
        if Path(target).suffix.lower() not in network.EXPORT_FORMATS:
            return _fail(f"--export {target}: use the suffix .graphml, .gexf or .json", USAGE_ERROR)
    if args.site and link_target(args.site) is None:  # a click would run it: javascript:, data:...
        return _fail(f"--site {args.site}: give the site's folder (e.g. ../site/) or an http(s) URL", USAGE_ERROR)
    if args.site and args.output and "://" not in args.site:  # a folder, beside the page: is a site there?
        home = Path(args.output).expanduser().resolve().parent / args.site / "index.html"
        if not home.is_file():
            print(f"kg: warning: --site {one_line(args.site)}: no kg site at {one_line(str(home.parent))} (seen from "
                  "the page): its node links will lead nowhere; write one there with kg site --out, or fix the path",
                  file=sys.stderr)
    if args.output is not None and Path(args.output).suffix.lower() not in (".html", ".htm"):
        return _fail(f"-o {args.output}: the page is HTML; name it FILE.html", USAGE_ERROR)
    if args.first is not None and args.last is not None and args.first > args.last:
        return _fail(f"--from {args.first} comes after --to {args.last}: give them in order, "
                     "for example --from 2011 --to 2016", USAGE_ERROR)
    targets = [("--export", t) for t in args.export] + ([("-o", args.output)] if args.output is not None else [])
    if len({Path(t).expanduser().resolve() for _, t in targets}) < len(targets):
        return _fail("the same file is named twice among -o and --export: give each output its own name", USAGE_ERROR)
    root = _root(args)
    try:  # before the graph is opened: a wrong name costs nothing, and nobody's file is written over
        for option, target in targets:
            check_not_input(target, root, option)
            check_replaceable(target, NETWORK_MARKS[Path(target).suffix.lower()], option)
    except OutputRefused as exc:
        return _fail(str(exc), USAGE_ERROR)
    engine = _engine(args, root)
    extra = {"figures": True} if args.figures and args.projection == "source" else {}
    graph = network.project(engine, args.projection, keep_isolates=args.keep_isolates, **extra)
    years = (args.first, args.last) if args.first is not None or args.last is not None else None
    try:
        from kg.known import check_network_filters

        check_network_filters(graph, args.classes, args.relation, args.document)
        graph = network.filter_graph(
            graph,
            classes=args.classes,
            relations=args.relation,
            years=years,
            document=args.document,
            around=args.around,
            steps=args.steps,
            dated_only=args.dated_only,
            engine=engine,
        )
    except KeyError as exc:
        return _fail(exc.args[0], USAGE_ERROR)
    if not graph.number_of_nodes():  # the page, exports and report are then blank: say why before writing them
        print(f"kg: warning: no node of the {args.projection} network is left with the filters given: the outputs "
              "are empty; widen --from/--to, leave out --dated-only, --class, --relation or --document", file=sys.stderr)
    if not args.metrics:  # the report's first line says it (in a terminal it was printed twice)
        print(
            f"{args.projection} network: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} links", file=sys.stderr
        )
    if args.metrics or args.size_by != "degree" or args.color_by == "community":
        annotated = network.annotate(graph)
    else:
        annotated = graph
    if args.metrics:
        print(network.metrics_report(graph, top=args.top))
    for target in args.export:
        network.export(annotated, target)
        print(f"wrote {one_line(target)}")
    if args.output is not None:
        from kg.render import write_page

        write_page(
            annotated,
            args.output,
            title=args.title,
            size_by=args.size_by,
            color_by=args.color_by,
            layout=args.layout,
            physics_limit=args.physics_limit,
            site=args.site,
        )
        print(f"wrote {one_line(args.output)}")
    if not (args.metrics or args.export or args.output):
        print(_summary(graph))
        print(
            "(write a page with -o FILE.html, exports with --export FILE.graphml|.gexf|.json, "
            "or analyse with --metrics)",
            file=sys.stderr,
        )
    return 0


def _summary(graph) -> str:
    from collections import Counter

    classes = Counter(d.get("class_label", d.get("class", "")) for _, d in graph.nodes(data=True))
    relations = Counter(d.get("relation", "") for _, _, d in graph.edges(data=True))
    from kg.output import one_line

    lines = ["nodes by class:"] + [f"  {n:>5}  {one_line(c)}" for c, n in classes.most_common()]
    lines += ["links by relation:"] + [f"  {n:>5}  {one_line(r)}" for r, n in relations.most_common()]
    return "\n".join(lines)
