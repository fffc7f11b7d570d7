"""Validation: SHACL shapes and SPARQL quality checks, with messages a curator can act on.

* ``ontology/shapes.ttl`` states what every instance of each class must have (pySHACL);
* ``queries/checks/*-violation.rq`` are SPARQL queries that must return no rows; each has a
  ``#+ message:`` header whose ``{variable}`` placeholders are filled from the offending row.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.namespaces import shorten

__all__ = ["validate", "shacl_messages", "run_checks", "load_checks"]

SH = Namespace("http://www.w3.org/ns/shacl#")
CHECKS_DIR = Path(__file__).resolve().parent.parent / "queries" / "checks"


def shacl_messages(data: Graph, shapes: Graph, where: dict | None = None, warnings: list | None = None) -> list[str]:
    """Validate ``data`` against ``shapes``; one line per violation, saying what to fix.

    Results of severity ``sh:Warning`` or ``sh:Info`` are appended to ``warnings`` when given.
    """
    from pyshacl import validate as shacl_validate

    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                         allow_warnings=True)
    if warnings is not None:
        for result in [*report.subjects(SH.resultSeverity, SH.Warning), *report.subjects(SH.resultSeverity, SH.Info)]:
            focus, text = report.value(result, SH.focusNode), report.value(result, SH.resultMessage)
            line = f"{shorten(str(focus))}: {text}"
            warnings.append(f"{where[focus]}: {line}" if where and focus in where else line)
    if conforms:
        return []
    messages = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        text = report.value(result, SH.resultMessage)
        parts = [shorten(str(focus))]
        if path is not None:
            parts.append(shorten(str(path)) if isinstance(path, URIRef) else "(path)")
        line = " ".join(parts) + f": {text}"
        if value is not None and value != focus:
            line += f" (value: {shorten(str(value))})"
        if where and focus in where:
            line = f"{where[focus]}: {line}"
        messages.append(line)
    return sorted(set(messages))


def load_checks(folder: Path = CHECKS_DIR) -> list[tuple[str, str, str]]:
    """``(name, message template, query text)`` for every ``*-violation.rq`` in the folder."""
    checks = []
    for path in sorted(folder.glob("*-violation.rq")):
        text = path.read_text(encoding="utf-8")
        m = re.search(r"^#\+ message:\s*(.+)$", text, re.MULTILINE)
        template = m.group(1).strip() if m else f"{path.stem}: {{row}}"
        checks.append((path.stem, template, text))
    return checks


def _fill(template: str, row: dict) -> str:
    values = {k: shorten(v["value"]) if v["type"] == "uri" else v["value"] for k, v in row.items()}
    values["row"] = ", ".join(f"{k}={v}" for k, v in values.items())
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "?"), template)


def run_checks(engine, where: dict | None = None, folder: Path = CHECKS_DIR, skip=()) -> list[str]:
    """Run every quality check (but those named in ``skip``) on an engine; one message per offending row."""
    messages = []
    for name, template, text in load_checks(folder):
        if name in skip:
            continue
        for row in engine.query(text).rows:
            msg = f"[{name}] {_fill(template, row)}"
            for key in ("graph", "ev", "entity", "subject", "a"):
                term = row.get(key)
                if where and term and URIRef(term["value"]) in where:
                    msg = f"{where[URIRef(term['value'])]}: {msg}"
                    break
            messages.append(msg)
    return messages


def _where(result) -> dict:
    """Where each entity or evidence graph is written, for messages: IRI -> file."""
    where: dict = dict(result.cards)
    where.update(result.spans)
    for iri, path in result.spans.items():
        for s in result.dataset.graph(iri).subjects():
            where.setdefault(s, path)
    return where


def validate(result, skip=()) -> None:
    """Run SHACL and the SPARQL checks on a build result, appending messages to its errors."""
    import time

    from kg.store import open_engine

    t0 = time.perf_counter()
    default = result.dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    data = Graph()
    for triple in default:
        data.add(triple)
    where = _where(result)
    shacl_warnings: list[str] = []
    result.errors.extend(shacl_messages(data, result.shapes, where, shacl_warnings))
    result.warnings.extend(sorted(set(shacl_warnings)))
    t1 = time.perf_counter()
    nquads = result.dataset.serialize(format="nquads")
    result.nquads = nquads.encode("utf-8") if isinstance(nquads, str) else nquads
    engine = open_engine(result.nquads, "oxigraph")
    result.errors.extend(run_checks(engine, where, skip=skip))
    result.timings.update(shacl=t1 - t0, checks=time.perf_counter() - t1)
    result.engine = engine
