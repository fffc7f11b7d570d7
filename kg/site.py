"""``kg site``: a static, offline site to read the evidence, written from the built graph.

Pages (Jinja2 templates in ``kg/templates/``, styles and scripts in ``kg/static/``, nothing fetched
from another host):

* ``index.html``: what the graph holds, a search box over every name and alias, an index by class;
* ``entity/KIND/NAME.html``: one page per entity (see :mod:`kg.sitepages`);
* ``document/dNNN.html``: the spans of a document in reading order, each with its facts;
* ``question/NAME.html`` (+ ``.csv``, ``.json``): each named question answered for its defaults;
* ``timeline.html``: every dated event, act and program on a vis-timeline, with filters.

With the corpus at hand (and unless ``passages=False``) every evidence span is shown with its text,
the span marked inside its sentence; without it, the reference and the hash only. The passages are
written on the reader's machine into ``build/``, which git ignores: they never enter the repository.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SiteReport", "write_site", "search_index", "TEMPLATES", "STATIC"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"


@dataclass
class SiteReport:
    """What :func:`write_site` wrote: the folder, page counts by kind, whether passages are in, timings."""

    out: Path
    pages: dict[str, int] = field(default_factory=dict)
    passages: bool = False
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    question_errors: dict[str, str] = field(default_factory=dict)


def _check_package_files() -> None:
    """Refuse (:class:`kg.load.InputError`, one line per link) a file or folder of ``kg/templates`` or
    ``kg/static`` that is a link leading outside the checkout: it would be drawn or copied into the site."""
    from kg.load import inside_files

    inside_files([p for folder in (TEMPLATES, STATIC) for p in (folder, *folder.rglob("*")) if p.is_symlink()],
                 TEMPLATES.parent.parent)
    from kg.inputs import InputError, error_lines, not_a_file  # a FIFO there would make the template loader or the copy wait

    odd = [p for folder in (TEMPLATES, STATIC) for p in folder.rglob("*") if p.exists() and not (p.is_file() or p.is_dir())]
    if odd:
        raise InputError(error_lines(not_a_file(p, p.stat().st_mode) for p in odd))


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    from kg.output import visible

    # every value a template shows: escaped for HTML (autoescape), its control and bidi characters drawn as escapes
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=visible)
    return env


def search_index(engine, model) -> list[dict]:
    """The search index of the site: ``[{iri, label, aliases, cls, detail, href}]`` for every page.

    The entries are :func:`kg.search.export_index`'s, so the pages rank names as the CLI does.
    """
    from kg.search import export_index

    items = export_index(engine)
    rows = []
    for item in items:
        href = model.page(item["iri"])
        if href:
            rows.append({**item, "href": href})
    return rows


def _copy_static(out: Path) -> list[str]:
    """Copy kg/static into out/static, and vis-network from pyvis; return the script names present."""
    import pyvis

    target = out / "static"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(STATIC, target, ignore=shutil.ignore_patterns("query-page.html", "__pycache__"))
    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    (target / "vendor").mkdir(exist_ok=True)
    shutil.copy(lib / "vis-network.min.js", target / "vendor" / "vis-network.min.js")
    shutil.copy(lib / "vis-network.css", target / "vendor" / "vis-network.css")
    return sorted(p.name for p in target.glob("*.js"))


def write_networks(engine, out: Path) -> int:
    """The four network pages of :mod:`kg.network` in ``out/network/``, each node linked to its page."""
    from kg import network
    from kg.render import write_page

    (out / "network").mkdir(parents=True, exist_ok=True)
    for name in network.PROJECTIONS:
        write_page(network.project(engine, name), out / "network" / f"{name}.html",
                   title=f"{name.capitalize()} network", site="../")
    return len(network.PROJECTIONS)


def write_site(engine, out: str | Path, *, corpus: Path | None = None, passages: bool = True,
               networks: bool = False) -> SiteReport:
    """Write the site of the graph the engine holds into ``out`` and return what was written.

    ``corpus`` is the corpus folder (``None``: passages are left out and every span shows its
    reference and hash). ``networks`` adds the network pages (slower: a few seconds each).
    ``out`` is emptied of earlier pages first, but only if it looks like a site
    this function wrote (it holds ``kg-site.json``); any other non-empty folder is refused with
    :class:`ValueError`, so that nothing a user wrote is overwritten.
    """
    from kg import sitepages
    from kg.sitedata import load_model

    t0 = time.perf_counter()
    _check_package_files()
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / "kg-site.json").exists():
        raise ValueError(f"{out} is not empty and was not written by kg site: choose another --out or empty it")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "kg-site.json").write_text("{}", encoding="utf-8")  # marks the folder as a site, even if interrupted
    report = SiteReport(out, passages=bool(corpus and passages))
    timings = report.timings
    # the questions run on the engine in a thread (pyoxigraph releases the GIL) while pages are drawn
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=1)
    answers = pool.submit(sitepages.answer_questions, engine)
    model = load_model(engine)
    timings["load"] = time.perf_counter() - t0
    scripts = _copy_static(out)
    env = _environment()
    texts = sitepages.Passages(corpus if passages else None)
    ctx = sitepages.Context(model, env, out, texts, scripts)
    from kg.output import script_json

    index = search_index(engine, model)
    payload = str(script_json(index))  # names shown as the pages show them; nothing ends a <script>
    (out / "search-index.json").write_text(payload, encoding="utf-8")
    # file:// pages cannot fetch JSON, so the same index is also a script
    (out / "search-index.js").write_text("window.KG_SEARCH_INDEX=" + payload + ";\n",
                                         encoding="utf-8")
    timings["index"] = time.perf_counter() - t0
    report.pages["entity"] = sitepages.write_entities(ctx)
    timings["entities"] = time.perf_counter() - t0
    report.pages["document"] = sitepages.write_documents(ctx)
    report.pages["class"] = sitepages.write_classes(ctx)
    report.pages["timeline"] = sitepages.write_timeline(ctx)
    timings["documents+timeline"] = time.perf_counter() - t0
    report.pages["question"], report.question_errors = sitepages.write_questions(ctx, answers.result())
    pool.shutdown()
    timings["questions"] = time.perf_counter() - t0
    if networks:
        report.pages["network"] = write_networks(engine, out)
        timings["networks"] = time.perf_counter() - t0
    report.pages["home"] = sitepages.write_home(ctx, report)
    report.seconds = time.perf_counter() - t0
    (out / "kg-site.json").write_text(json.dumps({"pages": report.pages, "passages": report.passages,
                                                  "seconds": round(report.seconds, 2)}, indent=1), encoding="utf-8")
    return report
