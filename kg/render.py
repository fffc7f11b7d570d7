"""Interactive pages of a network: pyvis data and options, one self-contained offline HTML file.

The page (template ``kg/templates/network-page.html``) holds vis-network (shipped inside pyvis) inline,
its data as JSON, the label placement of ``kg/static/network-labels.js`` and a small script of our own: a legend, a search box over labels and aliases, tooltips and a details panel, edge labels
on hover. No script, style, font or image is fetched from the network, and a Content Security
Policy forbids the page to try. Text from the data never becomes markup: the data is embedded with
Jinja's ``tojson`` (which escapes ``<``, ``>``, ``&`` and ``'``), labels are drawn on the canvas,
and tooltips and panels are built with ``textContent``; text in the HTML itself is escaped.

By default the positions are computed in Python (:func:`kg.network.layout`, the same in every
process) and the browser's physics is off: the same network is drawn the same way at every opening,
and a reader can still drag nodes. ``layout="physics"`` asks for vis-network's physics instead.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import networkx as nx

from kg.namespaces import shorten

__all__ = ["CLASS_COLOURS", "SIZE_MEASURES", "OfflineError", "check_offline", "render", "write_page"]

SIZE_MEASURES = ("degree", "betweenness", "pagerank", "none")

#: Colours of the classes (the most specific listed class of a node wins), then a palette for the rest.
CLASS_COLOURS = {
    "ArmedGroup": "#d62728",
    "Cell": "#a61e4d",
    "ReligiousMovement": "#f59f00",
    "PoliticalParty": "#c2255c",
    "Group": "#e64980",
    "Person": "#1c7ed6",
    "StateAgency": "#2f9e44",
    "Country": "#495057",
    "InternationalOrganization": "#7048e8",
    "NGO": "#0c8599",
    "Organization": "#15aabf",
    "RehabilitationCenter": "#099268",
    "ResearchCenter": "#3bc9db",
    "University": "#1098ad",
    "Hotline": "#66d9e8",
    "ReligiousInstitution": "#a5d8ff",
    "MediaOutlet": "#748ffc",
    "Attack": "#e67700",
    "FoiledPlot": "#ffc078",
    "Designation": "#862e9c",
    "Trial": "#9c36b5",
    "Event": "#be4bdb",
    "StateProgram": "#ffa94d",
    "Program": "#96f2d7",
    "CooperationProgram": "#20c997",
    "Law": "#795548",
    "Amendment": "#bcaaa4",
    "Policy": "#c5a05a",
    "CriminalCodeArticle": "#4e342e",
    "InternationalResolution": "#4c6e8e",
    "LegalAct": "#8d6e63",
    "City": "#868e96",
    "Region": "#adb5bd",
    "Site": "#a9a9a9",
    "Place": "#ced4da",
    "Topic": "#b197fc",
    "Document": "#212529",
    "CitedWork": "#5f3dc4",
    "Publication": "#9775fa",
    "Source": "#845ef7",
    "Statistic": "#fab005",
    "Quantity": "#ffd43b",
    "Finding": "#f06595",
}
_PALETTE = [
    "#4c6ef5",
    "#12b886",
    "#fa5252",
    "#be4bdb",
    "#fd7e14",
    "#82c91e",
    "#228be6",
    "#e64980",
    "#15aabf",
    "#fab005",
    "#7950f2",
    "#40c057",
    "#868e96",
    "#f783ac",
    "#3bc9db",
    "#a9e34b",
]
_KIND_COLOURS = {
    "membership": "#74c0fc",
    "leadership": "#1864ab",
    "allegiance": "#e03131",
    "support": "#ff8787",
    "ties": "#a9e34b",
    "absorption": "#f08c00",
    "designation": "#862e9c",
    "cooperation": "#37b24d",
    "perpetration": "#c92a2a",
    "place": "#adb5bd",
    "target": "#f783ac",
    "evidence": "#ced4da",
    "citation": "#9775fa",
    "adoption": "#2b8a3e",
    "enforcement": "#66a80f",
    "event": "#845ef7",
    "attribution": "#e64980",
    "amendment": "#fab005",
    "legal basis": "#1098ad",
    "authorship": "#868e96",
}
_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'"
)


class OfflineError(ValueError):
    """A page refers to something on the network."""


def _vis_files() -> tuple[str, str, str]:
    """vis-network's script and styles (from pyvis) and our label placement, ready to inline."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    labels = (Path(__file__).resolve().parent / "static" / "network-labels.js").read_text(encoding="utf-8")
    return (js.replace("</script", "<\\/script"), css.replace("</style", "<\\/style"),
            labels.replace("</script", "<\\/script"))


def _short_doc(iri: str, documents: dict[str, str]) -> str:
    code = iri.rsplit("/", 1)[-1]
    return f"{code} {documents[iri]}" if iri in documents else code


def _node_title(data: dict, documents: dict[str, str]) -> str:
    """The tooltip of a node, as plain text lines (the page shows it with textContent)."""
    lines = [data.get("label", ""), f"class: {data.get('class_label', data.get('class', ''))}"]
    if data.get("aliases"):
        lines.append("also: " + "; ".join(data["aliases"]))
    dates = [f"{k.replace('_', ' ')}: {data[k]}" for k in ("date", "start_date", "end_date") if data.get(k)]
    if dates:
        lines.append(", ".join(dates))
    for key in ("status", "killed", "wounded"):
        if data.get(key) not in (None, ""):
            lines.append(f"{key}: {data[key]}")
    if data.get("sources"):
        lines.append("sources: " + "; ".join(_short_doc(s, documents) for s in data["sources"]))
    for key in ("statistics", "findings", "quantities"):
        if data.get(key):
            lines.append(f"{key} (not drawn): {data[key]}")
    for key in ("degree", "betweenness", "pagerank", "community"):
        if key in data:
            value = data[key]
            lines.append(f"{key}: {value:.4f}" if isinstance(value, float) else f"{key}: {value}")
    lines.append(data.get("short") or data.get("iri", ""))
    return "\n".join(line for line in lines if line)


def _edge_title(data: dict, documents: dict[str, str], source: str, target: str) -> str:
    lines = [f"{source} — {data.get('label', data.get('relation', ''))} → {target}"]
    if data.get("role"):
        lines.append(f"role: {data['role']}")
    if data.get("via_label") or data.get("via"):
        lines.append(f"through: {data.get('via_label') or data.get('via')}")
    if data.get("status"):
        lines.append(f"status: {data['status']}")
    dates = [f"{k.replace('_', ' ')}: {data[k]}" for k in ("date", "start_date", "end_date") if data.get(k)]
    if dates:
        lines.append(", ".join(dates))
    if data.get("evidence"):
        lines.append("evidence: " + "; ".join(_short_doc(d, documents) for d in data["evidence"]))
    spans = [shorten(g) for g in data.get("graphs", [])]
    if spans:
        more = f" and {len(spans) - 6} more" if len(spans) > 6 else ""
        lines.append("spans: " + ", ".join(spans[:6]) + more)
    return "\n".join(lines)


#: At most this many classes get a colour of their own; smaller ones share the grey of "other classes".
MAX_CLASSES = 12
OTHER_COLOUR = "#adb5bd"


#: Colours far apart from each other, for the classes of one network.
_DISTINCT = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#17becf", "#8c564b", "#e377c2",
             "#bcbd22", "#393b79", "#637939", "#e7ba52", "#843c39", "#000000"]


def _distance(a: str, b: str) -> float:
    """Euclidean distance of two ``#rrggbb`` colours in RGB."""
    ra, ga, ba = (int(a[i:i + 2], 16) for i in (1, 3, 5))
    rb, gb, bb = (int(b[i:i + 2], 16) for i in (1, 3, 5))
    return ((ra - rb) ** 2 + (ga - gb) ** 2 + (ba - bb) ** 2) ** 0.5


#: Families that small classes are grouped into, first match wins: (class, legend name, colour).
FAMILIES = (
    ("Event", "other events", "#d0bfff"),
    ("LegalAct", "other legal acts and programs", "#d8c3a5"),
    ("Program", "other legal acts and programs", "#d8c3a5"),
    ("Group", "other groups", "#ffc9c9"),
    ("Organization", "other organizations", "#a5d8ff"),
    ("Actor", "other actors", "#a5d8ff"),
    ("Place", "other places", "#ced4da"),
    ("Source", "other sources", "#b197fc"),
)


def class_colours(graph: nx.MultiDiGraph) -> dict[str, tuple[str, str]]:
    """``{class: (legend name, colour)}``: a colour of its own for the classes of the five largest nodes
    and then the most numerous classes (two nodes or more, :data:`MAX_CLASSES` in all), no colour
    shared; the other classes grouped by family (other events, other organizations ...)."""
    counts: dict[str, int] = {}
    labels: dict[str, str] = {}
    family: dict[str, tuple[str, str]] = {}
    for _, data in graph.nodes(data=True):
        cls = data.get("class", "Thing")
        counts[cls] = counts.get(cls, 0) + 1
        labels[cls] = data.get("class_label") or cls
        classes = set(data.get("classes", [])) | {cls}
        family[cls] = next(((name, colour) for c, name, colour in FAMILIES if c in classes), ("other classes", OTHER_COLOUR))
    degree = dict(graph.degree())
    hubs = [graph.nodes[n].get("class", "Thing") for n in sorted(graph, key=lambda n: -degree[n])[:5]]
    ranked = list(dict.fromkeys(hubs + sorted(counts, key=lambda c: (-counts[c], c))))
    own = [c for c in ranked if counts[c] >= 2 or c in hubs][:MAX_CLASSES]
    if len(ranked) - len(own) == 1:  # a group of one class is no group
        own = ranked[: len(own) + 1]
    reserved = [colour for _, _, colour in FAMILIES] + [OTHER_COLOUR]
    used: list[str] = []
    out = {}
    candidates = _DISTINCT + _PALETTE + list(CLASS_COLOURS.values())
    for cls in own:
        # the class's own colour if it stands apart from those already given, else the first that does
        choices = ([CLASS_COLOURS[cls]] if cls in CLASS_COLOURS else []) + candidates
        for gap in (90, 60, 30, 0):
            colour = next((c for c in choices if all(_distance(c, u) >= gap for u in used + reserved)
                           and c not in used), None)
            if colour:
                break
        used.append(colour)
        out[cls] = (labels[cls], colour)
    for cls in ranked:
        if cls not in out:
            out[cls] = family[cls]
    return out


def _page_of(iri: str) -> str | None:
    """The path of an IRI's page in a kg site (``entity/group/x.html``, ``document/d003.html``)."""
    from kg.sitedata import _page_path

    m = re.match(r"^https://w3id\.org/kzkg/id/source/(d\d{3})$", iri)
    if m:
        return f"document/{m.group(1)}.html"
    return _page_path(iri)


def _sizes(graph: nx.MultiDiGraph, size_by: str) -> dict[str, float]:
    if size_by == "none" or not len(graph):
        return {n: 16.0 for n in graph}
    if not all(size_by in d for _, d in graph.nodes(data=True)):
        from kg.network import centrality

        values = centrality(graph, measures=(size_by,))[size_by]
    else:
        values = {n: d[size_by] for n, d in graph.nodes(data=True)}
    top = max(values.values()) or 1
    return {n: 10.0 + 32.0 * math.sqrt(max(values.get(n, 0), 0) / top) for n in graph}


def _network(graph, *, size_by, color_by, physics_limit, layout, label_limit, site=None):
    """The pyvis network of a graph, its legend, and whether positions were computed in Python."""
    from pyvis.network import Network

    from kg.network import layout as python_layout
    from kg.network_layout import PAGE_SCALE

    class _Ids(list):
        """pyvis checks node ids against a list; a set beside it keeps large networks linear."""

        def __init__(self):
            super().__init__()
            self._set = set()

        def append(self, item):
            super().append(item)
            self._set.add(item)

        def __contains__(self, item):
            return item in self._set

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    net.node_ids = _Ids()
    documents = graph.graph.get("documents", {})
    n = graph.number_of_nodes()
    computed = layout == "python" or (layout == "auto" and n > physics_limit)
    # Positions from Python: final past the physics limit, else the deterministic start of the physics.
    positions = python_layout(graph, scale=PAGE_SCALE if computed else 400.0) if layout != "physics" or computed else {}
    sizes = _sizes(graph, size_by)
    ranked = sorted(graph, key=lambda node: -sizes[node])
    rank = {node: i for i, node in enumerate(ranked)}
    colours = class_colours(graph)
    legend: dict[str, dict] = {}
    for node, data in sorted(graph.nodes(data=True), key=lambda item: str(item[0])):
        if color_by == "community" and "community" in data:
            key = f"community {data['community']}"
            colour = _PALETTE[data["community"] % len(_PALETTE)]
        else:
            key, colour = colours[data.get("class", "Thing")]
        entry = legend.setdefault(key, {"name": key, "colour": colour, "count": 0})
        entry["count"] += 1
        options = {
            "title": _node_title(data, documents),
            "size": round(sizes[node], 1),
            "color": colour,
            "aliases": list(data.get("aliases", [])),
            "fullLabel": data.get("label", node),
            "cls": data.get("class_label", ""),
            "rank": rank[node],
        }
        href = _page_of(data.get("iri", str(node))) if site is not None else None
        if href:
            options["href"] = site + href
            options["title"] += "\nclick to open its page"
        options["font"] = {"size": round(19 + (sizes[node] - 10) * 0.45)}
        if node in positions:
            options["x"], options["y"] = round(positions[node][0], 1), round(positions[node][1], 1)
        # the page shows the labels that fit (kg/static/network-labels.js); none before it has chosen
        net.add_node(str(node), label=" ", **options)
        net.node_map[str(node)]["label"] = ""
    big = n > physics_limit
    kinds: dict[str, dict] = {}
    ordered = sorted(graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    for index, (u, v, _, data) in enumerate(ordered):
        kind = data.get("kind", data.get("relation", ""))
        colour = _KIND_COLOURS.get(kind, "#adb5bd")
        kinds.setdefault(kind, {"name": kind, "colour": colour, "count": 0})["count"] += 1
        net.add_edge(
            str(u),
            str(v),
            id=f"e{index}",
            title=_edge_title(data, documents, graph.nodes[u].get("label", u), graph.nodes[v].get("label", v)),
            relationLabel=str(data.get("label", data.get("relation", ""))),
            color=colour,
            arrows="" if data.get("symmetric") or big else "to",
        )
    net.options = {
        "nodes": {
            "shape": "dot",
            "borderWidth": 0 if big else 1,
            "font": {
                "size": 16,
                "face": "Arial, Helvetica, sans-serif",
                "color": "#212529",
                "strokeWidth": 4,
                "strokeColor": "#ffffff",
            },
        },
        "edges": {
            "width": 0.6 if big else 1.2,
            "smooth": False if big else {"type": "continuous"},
            "arrows": {"to": {"scaleFactor": 0.5}},
            "font": {"size": 13, "align": "middle", "strokeWidth": 4, "strokeColor": "#ffffff"},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
            "keyboard": False,
        },
        "layout": {"randomSeed": 7, "improvedLayout": not positions and n <= 150},
        "physics": (
            {"enabled": False}
            if computed
            else {
                "enabled": True,
                "solver": "forceAtlas2Based",
                "forceAtlas2Based": {
                    "gravitationalConstant": -120,
                    "centralGravity": 0.015,
                    "springLength": 150,
                    "springConstant": 0.05,
                    "avoidOverlap": 1,
                },
                "stabilization": {"enabled": True, "iterations": 100, "updateInterval": 50, "fit": True},
            }
        ),
    }
    legend_rows = sorted(legend.values(), key=lambda e: (-e["count"], e["name"]))
    kind_rows = sorted(kinds.values(), key=lambda e: (-e["count"], e["name"]))
    return net, legend_rows, kind_rows, computed


def render(
    graph: nx.MultiDiGraph,
    *,
    title: str | None = None,
    size_by: str = "degree",
    color_by: str = "class",
    layout: str = "python",
    physics_limit: int = 400,
    label_limit: int | None = None,
    site: str | None = None,
) -> str:
    """The HTML page of a network.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A projection (or any graph whose nodes carry ``label`` and ``class``).
    title : str
        The heading; by default the projection's name and size.
    size_by : {"degree", "betweenness", "pagerank", "none"}
        Node size (computed if the nodes do not carry it, see :func:`kg.network.annotate`).
    color_by : {"class", "community"}
        Node colour: by class, or by Louvain community when the nodes carry ``community``.
    layout : {"python", "physics", "auto"}
        ``python`` (the default): positions computed in Python, physics off, the same drawing at
        every opening; ``physics``: vis-network's physics from its own seeded start; ``auto``: the
        physics starting from the Python positions up to ``physics_limit`` nodes, Python beyond.
    label_limit : int, optional
        Only this many largest nodes (default 25, 12 past 300 nodes) show their label at first; zooming in shows more (every
        name is in the tooltips and the search box).
    site : str, optional
        The root of a ``kg site`` (a URL or a relative path such as ``"../site/"``): clicking a
        node opens its entity page there. Without it a click shows the node's details.

    Raises ``ValueError`` for a ``size_by``, ``layout`` or ``site`` (a ``javascript:`` URL...) it does not take.
    """
    from jinja2 import Environment

    from kg.output import link_target, script_json, visible

    if site and link_target(site) is None:
        raise ValueError(f"site {site!r} is not a link a page may follow: give a relative path or an http(s) URL")
    if size_by not in SIZE_MEASURES:
        raise ValueError(f"size_by must be one of {', '.join(SIZE_MEASURES)}")
    if layout not in ("auto", "physics", "python"):
        raise ValueError("layout must be auto, physics or python")
    if label_limit is None:
        label_limit = 25 if graph.number_of_nodes() <= 300 else 12
    net, legend, kinds, computed = _network(
        graph, size_by=size_by, color_by=color_by, physics_limit=physics_limit, layout=layout, label_limit=label_limit,
        site=site,
    )
    nodes, edges, _, _, _, _ = net.get_network_data()
    options = net.options
    vis_js, vis_css, labels_js = _vis_files()
    name = graph.graph.get("projection", "")
    heading = title or f"{name.capitalize() + ' network' if name else 'Network'}"
    centre = graph.graph.get("centre")
    if not title and centre in graph:
        steps = graph.graph.get("steps", 1)
        heading += f" around {graph.nodes[centre].get('label', centre)} ({steps} step{'s' if steps != 1 else ''})"
    env = Environment(autoescape=True, finalize=visible)  # as the site's: escaped, control and bidi characters seen
    template = (Path(__file__).resolve().parent / "templates" / "network-page.html").read_text(encoding="utf-8")
    page = env.from_string(template).render(
        title=heading,
        nodes=script_json(nodes),  # (every string of the data drawn, tooltips included, as visible shows it)
        edges=script_json(edges),
        options=script_json(options),
        vis_js=vis_js,
        vis_css=vis_css,
        labels_js=labels_js,
        csp=_CSP,
        legend=legend,
        kinds=kinds,
        n_nodes=len(nodes),
        n_edges=len(edges),
        computed=computed,
        size_by=size_by,
        centre=script_json(graph.graph.get("centre", "")),
        label_limit=label_limit,
    )
    check_offline(page)
    return page


def write_page(graph: nx.MultiDiGraph, path: str | Path, **kwargs) -> Path:
    """Write :func:`render`'s page to ``path`` (UTF-8)."""
    from kg.outputs import written_whole

    path, page = Path(path), render(graph, **kwargs)
    with written_whole(path) as tmp:  # a full disk leaves the previous page, not half of one
        tmp.write_text(page, encoding="utf-8")
    return path


_REMOTE = re.compile(
    r"""<(script|link|img|iframe|source|video|audio|embed|object)\b[^>]*\b(src|href|data)\s*=""", re.IGNORECASE
)
_CSS_URL = re.compile(r"""(@import|url\(\s*['"]?)(?!data:)(https?:|//)""", re.IGNORECASE)


def check_offline(page: str) -> None:
    """Raise :class:`OfflineError` if the page loads any script, style or media by reference."""
    m = _REMOTE.search(page)
    if m:
        raise OfflineError(f"the page refers to an external resource: {page[m.start() : m.start() + 120]!r}")
    m = _CSS_URL.search(page)
    if m:
        raise OfflineError(f"the page's styles fetch from the network: {page[m.start() : m.start() + 120]!r}")
