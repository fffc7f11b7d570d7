"""Time ``kg build`` of the curated graph: cold, and warm after a one-file change, per phase.

Usage: python bench/build_bench.py [--repeat 5] [--file graph/claims/d003.trig] [--full] [--no-cold] [--checkout ../main]
       python bench/build_bench.py --repeat 9 --file graph/entities/d001.ttl --against ../main
       python bench/build_bench.py --repeat 5 --file graph/entities/d001.ttl --timeline
       python bench/build_bench.py --repeat 9 --aggregates --against ../main

With ``--against DIR``, the warm one-file change is timed for this checkout's code and for DIR's,
A/B interleaved: two copies of the project, one per code, each built once, then in every round
both edited alike and built one after the other (the order alternating from round to round), so
both codes meet the same load of a shared machine; the medians of each, and of the per-round
differences, are printed.

The project (``ontology/``, ``graph/``, ``queries/``) is copied to a temporary folder, so the
checkout's ``build/`` is left alone; the corpus is the one ``kg`` finds for the checkout
(``../shared/corpus`` or ``$KG_CORPUS``). Each build runs as a fresh ``kg build --root COPY``
process, so imports count:

* **cold**: the output folder (with its caches) removed before each build;
* **warm, one-file change**: a build, then ``--file`` edited (a triple's literal changed, so the
  graph really differs) before each timed build;
* with ``--full``, also ``kg build --full`` after the same edit (every cache ignored).

Printed: the median wall time of each kind, the median CPU time (user + system) of the build
process, and the median of every phase ``kg build`` reports on its ``time:`` line (see
``BuildResult.timings``), as a Markdown table, and the load average. On a machine shared with
other work the CPU time moves less than the wall time: compare both.
The target of issue 12: under 2 s for the warm one-file change.

With ``--timeline``, each warm build runs as a ``kg build`` process whose main steps (the functions
of :data:`STEPS`) are wrapped to note when they start and end and the processor time of the
process meanwhile (the build, its child computing the aggregates and writing the exports, forked
with the wrappers); printed: per process and step, the medians over the builds of the start, the
end (seconds from the process's start) and the processor time. Steps that overlap a thread of the
same process (the SPARQL checks) count its processor time too.

With ``--aggregates`` (and ``--against DIR``), :func:`kg.aggregates.compute` alone, the build's
child's first work: this checkout's ``build/kg.nq`` without its aggregates loaded in memory, then
computed by this code and DIR's in turn, each in a fresh process per round (the order alternating),
``--repeat`` rounds of 5 runs each; printed: the medians of each round's median, wall and processor
time, and the number of quads each code makes.
"""

from __future__ import annotations

import argparse
import os
import resource
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


CHECKOUT: Path | None = None  # --checkout: the kg code of another checkout (for a before/after comparison)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_build(project: Path, extra=(), code: Path | None = None) -> tuple[float, dict[str, float]]:
    """Run ``kg build`` on ``project`` with the kg code of ``code`` (default: ``--checkout``, else
    this checkout's); return the wall time and the phases of its ``time:`` line (with ``cpu``: the
    CPU time, user and system, of the build process and its children)."""
    cmd = [sys.executable, "-m", "kg", "build", "--root", str(project), *extra]
    env = {**os.environ, "KG_CORPUS": corpus()}
    code = code or CHECKOUT
    if code is not None:
        env["PYTHONPATH"] = str(code)
    cpu, t = _children_cpu(), time.perf_counter()
    # run from the project copy, so that python -m kg imports the code chosen, not the current folder's
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=project)
    wall = time.perf_counter() - t
    cpu = _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"kg build failed ({done.returncode}):\n{done.stderr[-3000:]}")
    line = next((l for l in done.stderr.splitlines() if l.startswith("time:")), "time:")
    phases = {"cpu": cpu, **{k: float(v) for k, v in re.findall(r"(\w[\w-]*) ([\d.]+)s", line)}}
    return wall, phases


def corpus() -> str:
    from kg.sources import open_corpus

    found = open_corpus(ROOT)
    if found is None:
        return os.environ.get("KG_CORPUS", "")
    folders = getattr(found, "folders", None) or [found]
    return os.pathsep.join(str(f) for f in folders)


def edit(path: Path, n: int) -> None:
    """Change one literal of ``path`` (a different text each time), so the built graph differs."""
    text = path.read_text(encoding="utf-8")
    marker = "# bench edit"
    text = re.sub(rf"\n{marker}.*\Z", "", text, flags=re.DOTALL)
    m = re.search(r'(schema:description|kg:role|kg:category|kg:status|kg:outcome|skos:altLabel) "([^"\\\n]+)"', text)
    if m is None:
        raise SystemExit(f"{path}: no literal of a known property to edit")
    new = f'{m.group(1)} "{m.group(2).rstrip(" .0123456789")} {n}"'
    text = text[:m.start()] + new + text[m.end():] + f"\n{marker} {n}\n"
    path.write_text(text, encoding="utf-8")


def summary(label: str, runs: list[tuple[float, dict[str, float]]]) -> str:
    phases = sorted({k for _, p in runs for k in p}, key=lambda k: list(runs[0][1]).index(k) if k in runs[0][1] else 99)
    cells = [f"{statistics.median(p.get(k, 0.0) for _, p in runs):.2f}" for k in phases]
    wall = statistics.median(w for w, _ in runs)
    return f"| {label} | {len(runs)} | **{wall:.2f}** | " + ", ".join(f"{k} {c}" for k, c in zip(phases, cells)) + " |"


# (module, function) of the steps --timeline notes
STEPS = [("kg.build", "load_project"), ("kg.build", "assemble"), ("kg.build", "_skolemize"), ("kg.labels", "generate_labels"),
         ("kg.validate", "prepare"), ("kg.build", "_check_model"), ("kg.validate", "run_checks"),
         ("kg.build", "_verify_spans_of"), ("kg.validate", "validate"), ("kg.mentions", "find_mentions"),
         ("kg.duplicates", "find_duplicates"), ("kg.quantities", "find_quantity_overlaps"), ("kg.aggregates", "compute"),
         ("kg.aggregates", "corroborations"), ("kg.aggregates", "_statement_groups"),
         ("kg.aggregates", "_disagreement_aggregates"), ("kg.aggregates", "_kind_places"), ("kg.aggregates", "_row_aggregates"),
         ("kg.aggregates", "direct_types"), ("kg.exports", "jsonld_from_store"), ("kg.exports", "write_jsonld_from_store"),
         ("kg.exports", "write_trig_from_store"), ("kg.aggregates", "add_to_build"), ("kg.build", "write_outputs"),
         ("kg.buildstore", "StagedStore.finish"), ("kg.build", "_save_file_cache")]

_TIMELINE = r"""
import functools, importlib, json, os, sys, time
T0 = time.perf_counter()
log, project, steps = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
def wrap(module, name):
    owner = importlib.import_module(module)
    *path, last = name.split(".")
    for part in path:
        owner = getattr(owner, part)
    fn = getattr(owner, last, None)
    if fn is None:
        return
    @functools.wraps(fn)
    def timed(*a, **k):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return fn(*a, **k)
        finally:
            with open(log, "a", encoding="utf-8") as out:
                out.write(json.dumps([os.getpid(), name, start - T0, time.perf_counter() - T0, time.process_time() - cpu]) + "\n")
    setattr(owner, last, timed)
for module, name in steps:
    wrap(module, name)
from kg.cli import main
code = main(["build", "--root", project])
with open(log, "a", encoding="utf-8") as out:
    out.write(json.dumps([os.getpid(), "(end)", 0.0, time.perf_counter() - T0, time.process_time()]) + "\n")
sys.exit(code)
"""


def timeline(project: Path, target: Path, repeat: int) -> None:
    """Print the medians of the steps of ``repeat`` warm builds of ``project`` (see the module)."""
    import json

    runs = []
    for i in range(repeat):
        edit(target, i)
        log = project / f"timeline-{i}.jsonl"
        env = {**os.environ, "KG_CORPUS": corpus()}
        done = subprocess.run([sys.executable, "-c", _TIMELINE, str(log), str(project), json.dumps(STEPS)],
                              capture_output=True, text=True, env=env, cwd=ROOT)
        if done.returncode != 0:
            raise SystemExit(f"kg build failed ({done.returncode}):\n{done.stderr[-3000:]}")
        rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        first = next(pid for pid, name, *_ in rows if name == "(end)")
        runs.append({("build" if pid == first else "child", name): (a, b, c) for pid, name, a, b, c in rows})
    keys = sorted({k for run in runs for k in run}, key=lambda k: statistics.median(r[k][0] for r in runs if k in r))
    print("| process | step | start (s) | end (s) | processor (s) |")
    print("|---|---|---|---|---|")
    for key in keys:
        found = [r[key] for r in runs if key in r]
        cells = [f"{statistics.median(x[i] for x in found):.3f}" for i in range(3)]
        print(f"| {key[0]} | {key[1]} | " + " | ".join(cells) + " |")


_AGGREGATES = r"""
import json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
import pyoxigraph as ox
from kg.aggregates import compute, is_aggregate
store = ox.Store()
store.load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS)
# without the aggregates (default-graph quads kg.aggregates.is_aggregate tells apart): compute's input
for q in [q for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
          if is_aggregate(getattr(q.subject, "value", ""), q.predicate.value)]:
    store.remove(q)
walls, cpus = [], []
for _ in range(5):
    c, t = time.process_time(), time.perf_counter()
    made = compute(store)
    walls.append(time.perf_counter() - t)
    cpus.append(time.process_time() - c)
print(json.dumps([statistics.median(walls), statistics.median(cpus), len(made)]))
"""


def aggregates_ab(other: Path, repeat: int) -> int:
    """:func:`kg.aggregates.compute` of this build's graph by this code (A) and ``other``'s (B), interleaved."""
    import json

    graph = ROOT / "build" / "kg.nq"
    print(f"load average at the start: {os.getloadavg()[0]:.1f} (1 min); graph {graph}")
    codes, runs = {"A": ROOT, "B": other}, {"A": [], "B": []}
    for i in range(repeat):
        for k in ("AB" if i % 2 == 0 else "BA"):
            done = subprocess.run([sys.executable, "-c", _AGGREGATES, str(codes[k]), str(graph)],
                                  capture_output=True, text=True, check=True)
            runs[k].append(json.loads(done.stdout))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} CPUs")
    print("| code | rounds | median wall (ms) | median processor (ms) | quads made |")
    print("|---|---|---|---|---|")
    for k in codes:
        wall, cpu = (statistics.median(r[i] for r in runs[k]) * 1000 for i in (0, 1))
        print(f"| {k}: {codes[k]} | {repeat} | {wall:.1f} | {cpu:.1f} | {runs[k][0][2]} |")
    cpu = statistics.median((a[1] - b[1]) * 1000 for a, b in zip(runs["A"], runs["B"]))
    print(f"median of the per-round differences of processor time A - B: {cpu:+.1f} ms")
    return 0


def copy_project(folder: Path) -> Path:
    """The project's inputs (``ontology/``, ``graph/``, ``queries/``) copied into ``folder``."""
    for name in ("ontology", "graph", "queries"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("drafts"))
    return folder


def interleaved(other: Path, file: str, repeat: int) -> int:
    """The warm one-file change, this code (A) and ``other``'s (B) in alternating order (see the module)."""
    print(f"load average at the start: {os.getloadavg()[0]:.1f} (1 min)")
    codes = {"A": ROOT, "B": other}
    runs: dict = {"A": [], "B": []}
    with tempfile.TemporaryDirectory(prefix="kg-build-ab-") as tmp:
        projects = {k: copy_project(Path(tmp) / k) for k in codes}
        for k in codes:
            run_build(projects[k], code=codes[k])
        for i in range(repeat):
            order = "AB" if i % 2 == 0 else "BA"
            for k in order:
                edit(projects[k] / file, i)
                runs[k].append(run_build(projects[k], code=codes[k]))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} CPUs")
    print("| code | build | runs | median wall (s) | median CPU time and per phase (s) |")
    print("|---|---|---|---|---|")
    for k in codes:
        print(f"| {k}: {codes[k]} " + summary(f"warm, one-file change ({file})", runs[k]))
    wall = statistics.median(a[0] - b[0] for a, b in zip(runs["A"], runs["B"]))
    cpu = statistics.median(a[1]["cpu"] - b[1]["cpu"] for a, b in zip(runs["A"], runs["B"]))
    print(f"median of the per-round differences A - B: wall {wall:+.2f} s, CPU {cpu:+.2f} s")
    print("walls A: " + " ".join(f"{w:.2f}" for w, _ in runs["A"]) + "; B: " + " ".join(f"{w:.2f}" for w, _ in runs["B"]))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--file", default="graph/claims/d003.trig", help="the file edited before each warm build")
    ap.add_argument("--full", action="store_true", help="also time kg build --full after the same edit")
    ap.add_argument("--no-cold", action="store_true", help="skip the cold builds (one build, then the warm ones)")
    ap.add_argument("--checkout", help="run the kg code of this checkout instead (e.g. ../main, for a comparison)")
    ap.add_argument("--against", help="time this code and that checkout's, A/B interleaved (warm one-file change only)")
    ap.add_argument("--timeline", action="store_true", help="when each step of a warm build starts and ends (see the module)")
    ap.add_argument("--aggregates", action="store_true", help="with --against: time kg.aggregates.compute alone (see the module)")
    args = ap.parse_args()
    if args.aggregates and args.against:
        return aggregates_ab(Path(args.against).resolve(), args.repeat)
    if args.against:
        return interleaved(Path(args.against).resolve(), args.file, args.repeat)
    global CHECKOUT
    CHECKOUT = Path(args.checkout).resolve() if args.checkout else None
    print(f"load average at the start: {os.getloadavg()[0]:.1f} (1 min)")
    if args.timeline:
        with tempfile.TemporaryDirectory(prefix="kg-build-timeline-") as tmp:
            project = copy_project(Path(tmp) / "project")
            run_build(project)
            timeline(project, project / args.file, args.repeat)
        print(f"load average at the end: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} CPUs")
        return 0
    with tempfile.TemporaryDirectory(prefix="kg-build-bench-") as tmp:
        project = copy_project(Path(tmp) / "project")
        target = project / args.file
        cold, warm, full = [], [], []
        for i in range(0 if args.no_cold else args.repeat):
            shutil.rmtree(project / "build", ignore_errors=True)
            cold.append(run_build(project))
        run_build(project)
        for i in range(args.repeat):
            edit(target, i)
            warm.append(run_build(project))
        if args.full:
            for i in range(args.repeat):
                edit(target, 100 + i)
                full.append(run_build(project, ["--full"]))
    print(f"code: {CHECKOUT or ROOT}; load average at the end: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} CPUs")
    print("| build | runs | median wall (s) | median CPU time and per phase (s) |")
    print("|---|---|---|---|")
    if cold:
        print(summary("cold (no build/, no cache)", cold))
    print(summary(f"warm, one-file change ({args.file})", warm))
    if full:
        print(summary(f"kg build --full after the same change", full))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
