"""Time ``kg build`` of the curated graph: cold, and warm after a one-file change, per phase.

Usage: python bench/build_bench.py [--repeat 5] [--file graph/claims/d003.trig] [--full] [--no-cold] [--checkout ../main]
       python bench/build_bench.py --repeat 9 --file graph/entities/d001.ttl --against ../main

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
    args = ap.parse_args()
    if args.against:
        return interleaved(Path(args.against).resolve(), args.file, args.repeat)
    global CHECKOUT
    CHECKOUT = Path(args.checkout).resolve() if args.checkout else None
    print(f"load average at the start: {os.getloadavg()[0]:.1f} (1 min)")
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
