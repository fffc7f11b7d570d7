"""``kg docs``: HTML documentation of the ontology and its SHACL shapes, with figures from the graph.

The ontology page (``index.html``) is rendered by pyLODE (its OntPub profile, offline, from
``ontology/kg.ttl``); each class gets two more rows: how many instances the built graph holds
(with its subclasses) and one example, and the shapes that target it. The shapes page
(``shapes.html``) is a Jinja2 template over ``ontology/shapes.ttl``: each node shape, its targets,
and each property shape with its constraints and its message. Both pages are self-contained (no
script, style or font is fetched), so they open offline; ``build/site`` links to ``../docs/``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DocsError", "ClassFigures", "class_figures", "shape_rows", "write_docs"]

KG_NS = "https://w3id.org/kzkg/ontology#"
SH = "http://www.w3.org/ns/shacl#"

FIGURES_QUERY = f"""
PREFIX kg: <{KG_NS}>
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) (MIN(STR(?x)) AS ?example) WHERE {{
  ?x a ?class . FILTER(STRSTARTS(STR(?class), "{KG_NS}") && isIRI(?x))
}} GROUP BY ?class
"""
LABEL_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
SELECT ?x (MIN(STR(?l)) AS ?label) WHERE { VALUES ?x { %s } ?x skos:prefLabel|schema:name ?l } GROUP BY ?x
"""


class DocsError(RuntimeError):
    """The documentation cannot be written (pyLODE missing, or the output is unusable); says what to do."""


@dataclass
class ClassFigures:
    """What the built graph holds of one class: instance count and one example (IRI and label)."""

    count: int = 0
    example: str | None = None
    label: str | None = None
    shapes: list[str] = field(default_factory=list)


def class_figures(engine) -> dict[str, ClassFigures]:
    """Instance count (subclasses included) and the first instance, by class IRI, from an engine."""
    figures = {}
    for row in engine.query(FIGURES_QUERY).rows:
        figures[row["class"]["value"]] = ClassFigures(int(row["n"]["value"]), row["example"]["value"])
    examples = sorted({f.example for f in figures.values() if f.example})
    if examples:
        labels = {r["x"]["value"]: r["label"]["value"]
                  for r in engine.query(LABEL_QUERY % " ".join(f"<{e}>" for e in examples)).rows}
        for fig in figures.values():
            fig.label = labels.get(fig.example)
    return figures


def _term(graph, node) -> str:
    from rdflib import RDF, BNode, Literal

    if isinstance(node, Literal):
        return str(node)
    if isinstance(node, BNode):
        items = list(graph.items(node)) if graph.value(node, RDF.first) is not None else []
        if items:
            return "( " + " ".join(_term(graph, i) for i in items) + " )"
        return "[ " + " ; ".join(f"{_term(graph, p)} {_term(graph, o)}" for p, o in graph.predicate_objects(node)) + " ]"
    return graph.namespace_manager.normalizeUri(node)


def shape_rows(shapes_path: Path) -> list[dict]:
    """The node shapes of a shapes file, each with its targets and property shapes, for the template."""
    from rdflib import Graph, Namespace, RDF

    sh = Namespace(SH)
    g = Graph().parse(shapes_path, format="turtle")
    g.bind("kgsh", "https://w3id.org/kzkg/shapes#", override=False)
    out = []
    for shape in sorted(set(g.subjects(RDF.type, sh.NodeShape)), key=str):
        targets = []
        for kind in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode"):
            for t in g.objects(shape, sh[kind]):
                targets.append({"kind": kind, "term": _term(g, t), "iri": str(t)})
        props = []
        for p in g.objects(shape, sh.property):
            constraints = [f"{_term(g, k)} {_term(g, v)}" for k, v in sorted(g.predicate_objects(p))
                           if k not in (sh.path, sh.message)]
            props.append({"path": _term(g, g.value(p, sh.path)), "constraints": constraints,
                          "message": str(g.value(p, sh.message) or "")})
        props.sort(key=lambda r: r["path"])
        out.append({"id": _term(g, shape).split(":")[-1], "name": _term(g, shape), "targets": targets,
                    "message": str(g.value(shape, sh.message) or ""), "properties": props})
    return out


SHAPES_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Shapes of the kzkg ontology</title>
<style>
body { font-family: Arial, Helvetica, sans-serif; margin: 2em auto; max-width: 70em; color: #212529; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1.5em; }
th, td { border: 1px solid #ced4da; padding: .3em .5em; text-align: left; vertical-align: top; }
code { background: #f1f3f5; }
</style></head>
<body>
<p><a href="index.html">Ontology</a>{% if site %} · <a href="{{ site }}">Site</a>{% endif %}</p>
<h1>SHACL shapes</h1>
<p>{{ shapes|length }} node shapes from <code>ontology/shapes.ttl</code>. <code>kg build</code> validates the
graph against them; each message says what to fix.</p>
<ul>{% for s in shapes %}<li><a href="#{{ s.id }}">{{ s.name }}</a></li>{% endfor %}</ul>
{% for s in shapes %}
<h2 id="{{ s.id }}">{{ s.name }}</h2>
<p>Targets: {% for t in s.targets %}{{ t.kind }}
{% if t.iri in anchors %}<a href="index.html#{{ anchors[t.iri] }}"><code>{{ t.term }}</code></a>
{% else %}<code>{{ t.term }}</code>{% endif %}{% if not loop.last %}, {% endif %}{% endfor %}</p>
{% if s.message %}<p>Message: {{ s.message }}</p>{% endif %}
{% if s.properties %}<table><tr><th>path</th><th>constraints</th><th>message</th></tr>
{% for p in s.properties %}<tr><td><code>{{ p.path }}</code></td><td>{% for c in p.constraints %}<code>{{ c }}</code><br>{% endfor %}</td>
<td>{{ p.message }}</td></tr>{% endfor %}</table>{% endif %}
{% endfor %}
</body></html>
"""


def _class_rows(figures: dict[str, ClassFigures], iri: str) -> str:
    from kg.output import link_target, visible

    fig = figures.get(iri, ClassFigures())
    if fig.count and fig.example:  # (names and IRIs of the graph: escaped, their control and bidi characters seen)
        name = html.escape(visible(fig.label or fig.example))
        short = html.escape(visible(_prefixed(fig.example)))
        target = link_target(fig.example)  # a javascript: IRI is shown, not linked
        name = f'<a href="{html.escape(target)}">{name}</a>' if target else name
        text = f"{fig.count} in the built graph (with its subclasses); for example {name} (<code>{short}</code>)"
    else:
        text = "none in the built graph yet"
    rows = f'<tr><th>Instances</th><td class="kg-instances">{text}</td></tr>'
    if fig.shapes:
        links = ", ".join(f'<a href="shapes.html#{html.escape(s)}">{html.escape(s)}</a>' for s in fig.shapes)
        rows += f"<tr><th>Shapes</th><td>{links}</td></tr>"
    return rows


def _prefixed(iri: str) -> str:
    from kg.namespaces import shorten

    return shorten(iri)


def _with_visible_literals(graph):
    """``graph`` (an rdflib Graph, changed in place and returned) with every literal that holds a
    control or bidirectional character (:data:`kg.output.UNSHOWN`) replaced by the same literal with
    those characters written as escapes (:func:`kg.output.visible`; language and datatype kept).
    pyLODE escapes its values for HTML but draws a right-to-left override as it is, which reverses the
    rest of the line on the page; the shapes page and the site already show such characters escaped."""
    from rdflib import Literal

    from kg.output import UNSHOWN, visible

    for s, p, o in list(graph):
        if isinstance(o, Literal) and UNSHOWN.search(str(o)):
            graph.remove((s, p, o))
            graph.add((s, p, Literal(visible(str(o)), lang=o.language, datatype=o.datatype)))
    return graph


def _ontpub(graph) -> str:
    """pyLODE's page of ``graph``. pyLODE caches its background ontologies in pickles in its own folder,
    written in place: a full disk or a stopped first run leaves one cut, and every later run failed
    with a traceback. The caches that do not load are removed (pyLODE makes them again) and the page
    made once more."""
    import pickle

    from pylode import OntPub

    try:
        return OntPub(ontology=graph).make_html()
    except (pickle.UnpicklingError, EOFError):
        from pylode import utils

        damaged = []
        for cache in sorted(Path(utils.RDF_FOLDER).glob("*.pickle")):
            try:
                with open(cache, "rb") as fh:
                    pickle.load(fh)
            except (pickle.UnpicklingError, EOFError):
                damaged.append(cache)
        if not damaged:
            raise
        for cache in damaged:
            cache.unlink()
        return OntPub(ontology=graph).make_html()


def write_docs(root: Path, engine, out: Path, *, site: str | None = None) -> list[Path]:
    """Write ``index.html`` (ontology) and ``shapes.html`` into ``out``; return their paths.

    ``engine`` is the engine of the built graph (for the instance counts and examples); ``site`` is
    a relative link to the site's front page, shown in the navigation when given. Raises
    :class:`DocsError` when pyLODE is not installed, ``out`` is a file or cannot be written, or holds a
    page of the same name that kg docs did not write (outside ``build/``).
    """
    import logging

    _check_out(root, out, (out / "index.html", out / "shapes.html"))
    root_logger = logging.getLogger()
    handlers, level = list(root_logger.handlers), root_logger.level
    try:
        from pylode import OntPub  # noqa: F401  (installed and importable: the page is made by _ontpub)
    except ImportError as exc:
        raise DocsError('pyLODE is not installed: pip install -e ".[docs]"') from exc
    except FileNotFoundError as exc:  # pyLODE 3.4.1's wheel reads a pyproject.toml it does not ship
        raise DocsError(f'this pyLODE release is broken ({exc.filename}): pip install -e ".[docs]" (pylode 3.2.1)') from exc
    finally:  # importing pyLODE calls logging.basicConfig(level=DEBUG): keep the caller's logging as it was
        root_logger.handlers[:], root_logger.level = handlers, level
    import jinja2
    from rdflib import OWL, RDF, Graph
    from rdflib.namespace import SKOS

    figures = class_figures(engine)
    shapes = shape_rows(root / "ontology" / "shapes.ttl")
    for shape in shapes:
        for target in shape["targets"]:
            if target["kind"] == "targetClass":
                figures.setdefault(target["iri"], ClassFigures()).shapes.append(shape["id"])
    ontology = Graph().parse(root / "ontology" / "kg.ttl", format="turtle")
    shown = Graph() + ontology
    # OntPub takes a skos:ConceptScheme for a second ontology and joins both titles in the heading
    shown.remove((None, RDF.type, SKOS.ConceptScheme))
    page = _ontpub(_with_visible_literals(shown))

    def add_rows(m: re.Match) -> str:
        return m.group(0) + _class_rows(figures, m.group(2))

    classes = {str(c) for c in ontology.subjects(RDF.type, OWL.Class)}
    pattern = re.compile(r'(<th>IRI</th>\s*<td>\s*<code>(' + re.escape(KG_NS) + r'[^<]+)</code>\s*</td>\s*</tr>)')
    page = pattern.sub(lambda m: add_rows(m) if m.group(2) in classes else m.group(0), page)
    nav = '<p class="kg-nav"><a href="shapes.html">SHACL shapes</a>'
    nav += f' · <a href="{html.escape(site)}">Site</a></p>' if site else "</p>"
    page, n = re.subn(r'(<div id="content">)', r"\1" + nav.replace("\\", "\\\\"), page, count=1)
    if n != 1:
        raise DocsError("pyLODE's page has no content block to add the navigation to; pin pylode 3.2.1")
    # pyLODE's anchors, read from its page: <div ... id="ANCHOR"> <h3>... <code>IRI</code>
    anchors = {iri: anchor for anchor, iri in re.findall(
        r'<div class="[^"]*entity[^"]*" id="([^"]+)">\s*<h3>.*?<th>IRI</th>\s*<td>\s*<code>([^<]+)</code>', page, re.S)}
    page = page.replace("<head>", "<head>\n" + GENERATOR + "\n" + NARROW, 1)
    index, shapes_page = out / "index.html", out / "shapes.html"
    from kg.output import visible

    env = jinja2.Environment(autoescape=True, finalize=visible)
    shapes_html = env.from_string(SHAPES_TEMPLATE).render(shapes=shapes, site=site, anchors=anchors)
    shapes_html = shapes_html.replace("<head>", "<head>\n" + GENERATOR + "\n" + NARROW, 1)
    try:
        from kg.outputs import written_whole

        out.mkdir(parents=True, exist_ok=True)
        for target, text in ((index, page), (shapes_page, shapes_html)):  # each whole, or the previous one
            with written_whole(target) as tmp:
                tmp.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DocsError(f"cannot write {exc.filename or out}: {exc.strerror or exc}") from None
    return [index, shapes_page]


#: Marks the pages kg docs writes, so that it replaces its own pages and never a file of the user's.
GENERATOR = '<meta name="generator" content="kzkg kg docs">'

#: Both pages on a phone or a narrow window: pyLODE's table of contents, fixed at the right, covered the
#: text (one letter a line at 390 px); there it comes first and scrolls with the page, and a wide table
#: scrolls in its own box.
NARROW = """<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
@media (max-width: 760px) {
  body { padding: 1em !important; margin: 0 !important; }
  #toc { position: static !important; width: auto !important; height: auto !important; margin-bottom: 1em; }
  #content { width: auto !important; }
  #pylode { display: none; }
  table { display: block; overflow-x: auto; max-width: 100%; }
  code, a { overflow-wrap: anywhere; }
}
</style>"""


def _check_out(root: Path, out: Path, pages) -> None:
    """:class:`DocsError` when ``out`` is not a folder, or holds a page of the same name that kg docs
    did not write (outside ``build/``, which is generated)."""
    if out.exists() and not out.is_dir():
        raise DocsError(f"--out {out} is a file, not a folder: give a folder for the pages")
    try:
        generated = (Path(root) / "build").resolve() in out.resolve().parents
    except OSError:
        generated = False
    for page in pages:
        if generated or not page.exists():
            continue
        from kg.inputs import read_head

        head = read_head(page, 4096, error=DocsError)  # a FIFO named like a page is refused, not waited on
        if GENERATOR.encode() not in head:
            raise DocsError(f"{page} exists and was not written by kg docs: choose another --out folder "
                            "(kg docs never overwrites your files)")
