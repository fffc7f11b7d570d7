"""Cold start of ``kg query`` against ``python -c "import pyoxigraph"``, in the same run.

Usage (after ``kg build``)::

    python bench/coldstart.py [--repeat 9] [--question coverage-documents] [--before DIR] [--bytecode]

Each command runs as a fresh process, in turn, ``--repeat`` times; the median and the fastest run of
each, and the median's ratio to the import of pyoxigraph, are printed (with the processor time, user and
system, of each process and its children: less sensitive to a loaded machine), then the modules ``kg query``
imports that cost most (``python -X importtime``). The commands: a question without parameters, one
with an entity given as a prefixed name, one with an entity given as a label to resolve (run once
first, so that the names index the store keeps is there, as after any first query by name).

``--before DIR`` also times the same questions run by the code of another checkout with its own
``build/`` (``python -m kg`` in DIR), and by this checkout started the same way, alternated with the
others. ``--bytecode`` also times every command with Python's bytecode cache allowed (a temporary
``PYTHONPYCACHEPREFIX``), for environments that set ``PYTHONDONTWRITEBYTECODE`` (every module is then
compiled from source at each start).
The first line of the output says how many of kg's modules have current bytecode: ``kg build`` writes it
(kg/bytecode.py), as ``pip`` does at install; without it, under ``PYTHONDONTWRITEBYTECODE``, each start
compiles them (move ``kg/__pycache__`` aside to time that).
``--phases`` instead times each step of each command inside its process (the imports, the parser,
reading the question, the staleness check, opening the store, resolving the entity, the rest), run as
the ``kg`` program is (``kg.cli.main()`` reading ``sys.argv``), medians of ``--repeat`` fresh processes.
The target of issue 12: a cold ``kg query`` at most 3 times the import of pyoxigraph.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "python -c 'import pyoxigraph'"


def timed(cmd: list[str], cwd: Path, env: dict) -> tuple[float, float]:
    """Wall-clock seconds of a run, and the processor seconds (user and system) of the process and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def kg_bytecode() -> tuple[int, int]:
    """How many of the kg package's modules have a .pyc that Python would load (time stamp and size match), of how many."""
    import importlib.util

    current = modules = 0
    for source in sorted((ROOT / "kg").glob("*.py")):
        modules += 1
        try:
            with open(importlib.util.cache_from_source(str(source)), "rb") as fh:
                header = fh.read(16)
        except OSError:
            continue
        stat = source.stat()
        flags = int.from_bytes(header[4:8], "little")
        stamp, size = int.from_bytes(header[8:12], "little"), int.from_bytes(header[12:16], "little")
        if flags != 0 or (stamp == int(stat.st_mtime) & 0xFFFFFFFF and size == stat.st_size & 0xFFFFFFFF):
            current += 1
    return current, modules


# Run in a fresh process by --phases: the wall and processor milliseconds of each step of one kg
# command (each step's function wrapped; a step inside another is counted in both), as one JSON line.
PHASES = r"""
import json, sys, time
spent = {}
def clock():
    return time.perf_counter(), time.process_time()
def add(step, since):
    now, was = clock(), spent.get(step, (0.0, 0.0))
    spent[step] = (was[0] + now[0] - since[0], was[1] + now[1] - since[1])
start = clock()
import pyoxigraph
add("import pyoxigraph", start)
since = clock()
import kg.cli, kg.query, kg.search, kg.store, kg.output, kg.bounded
add("import kg.cli, kg.query, kg.store, kg.output, kg.bounded", since)
def wrap(module, name, step):
    real = getattr(module, name)
    def timed(*args, **kwargs):
        since = clock()
        try:
            return real(*args, **kwargs)
        finally:
            add(step, since)
    setattr(module, name, timed)
for module, name, step in [(kg.cli, "parser", "the command's parser"), (kg.query, "get_query", "read the question"),
                           (kg.store, "is_stale", "is the build current"), (kg.store, "open_engine", "open the store"),
                           (kg.search, "entity_iri", "resolve the entity"),
                           (kg.output, "write_events", "bind, run, print (from the worker's rows)")]:
    wrap(module, name, step)
sys.stdout = open("/dev/null", "w")
since = clock()
kg.cli.main()
add("kg.cli.main", since)
sys.stdout = sys.__stdout__
add("in the process, from the start of the script", start)
print(json.dumps(spent))
"""


def phases(questions: dict[str, list[str]], repeat: int) -> None:
    """Print, for each question, the median wall and processor milliseconds of each step (``PHASES``)."""
    for name, argv in questions.items():
        runs: dict[str, list[tuple[float, float]]] = {}
        for _ in range(repeat):
            out = subprocess.run([sys.executable, "-c", PHASES, *argv], cwd=ROOT, capture_output=True, text=True,
                                 check=True).stdout
            for step, spent in json.loads(out.splitlines()[-1]).items():
                runs.setdefault(step, []).append(spent)
        print(f"\n`{name}`, steps in the process (medians of {repeat} runs, ms):\n")
        print("| step | wall | processor |")
        print("|---|---|---|")
        for step, values in runs.items():
            print(f"| {step} | {statistics.median(v[0] for v in values) * 1000:.1f} "
                  f"| {statistics.median(v[1] for v in values) * 1000:.1f} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--question", default="coverage-documents")
    ap.add_argument("--before", type=Path, metavar="DIR", help="also run the code of this checkout (with its build/)")
    ap.add_argument("--bytecode", action="store_true", help="also run every command with the bytecode cache allowed")
    ap.add_argument("--phases", action="store_true",
                    help="instead, the time of each step of each command in its process (imports, parser, store...)")
    args = ap.parse_args()
    kg = shutil.which("kg") or "kg"
    questions = {
        f"kg query {args.question}": ["query", args.question],
        "kg query entity-statements -p entity=group:tablighi-jamaat": ["query", "entity-statements", "-p",
                                                                       "entity=group:tablighi-jamaat"],
        "kg query entity-statements -p 'entity=Tablighi Jamaat'": ["query", "entity-statements", "-p",
                                                                    "entity=Tablighi Jamaat"],
    }
    if args.phases:
        phases(questions, args.repeat)
        return 0
    env = dict(os.environ)
    runs: dict[str, tuple[list[str], Path, dict]] = {BASE: ([sys.executable, "-c", "import pyoxigraph"], ROOT, env)}
    runs.update({name: ([kg, *argv], ROOT, env) for name, argv in questions.items()})
    if args.before:  # both checkouts started alike (python -m kg), alternated with the others
        for label, folder in (("this checkout", ROOT), ("before", args.before.resolve())):
            runs.update({f"{label}, python -m: {name}": ([sys.executable, "-m", "kg", *argv], folder, env)
                         for name, argv in questions.items()})
    cache = tempfile.TemporaryDirectory(prefix="kg-pycache-") if args.bytecode else None
    if cache:
        warm = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPYCACHEPREFIX": cache.name}
        runs.update({f"{name} [bytecode cache]": (cmd, cwd, warm) for name, (cmd, cwd, _) in list(runs.items())})
    for cmd, cwd, run_env in runs.values():  # once first: the names index, the bytecode cache, the disk cache
        timed(cmd, cwd, run_env)
    times: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.repeat):
        for name, (cmd, cwd, run_env) in runs.items():
            wall, used = timed(cmd, cwd, run_env)
            times[name].append(wall)
            cpu[name].append(used)
    current, modules = kg_bytecode()
    print(f"bytecode of kg's modules: {current} of {modules} current (kg build writes it: kg/bytecode.py)")
    print(f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}; "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end; {args.repeat} runs each")
    print()
    print("| command | median (s) | fastest (s) | ratio to import pyoxigraph (medians) | processor time, median (s) | ratio |")
    print("|---|---|---|---|---|---|")
    for name, values in times.items():
        base_name = f"{BASE} [bytecode cache]" if name.endswith("[bytecode cache]") else BASE
        base, base_cpu = statistics.median(times[base_name]), statistics.median(cpu[base_name])
        used = statistics.median(cpu[name])
        print(f"| `{name}` | {statistics.median(values):.3f} | {min(values):.3f} | {statistics.median(values) / base:.2f}x "
              f"| {used:.3f} | {used / base_cpu:.2f}x |")
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "kg", "query", args.question], cwd=ROOT,
                         capture_output=True, text=True).stderr
    rows = []
    for line in out.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = (part for part in line[len("import time:"):].split("|"))
        if cumulative.strip().isdigit() and not name.startswith("  "):  # top-level modules only
            rows.append((int(cumulative), name.strip()))
    print()
    print("Top-level imports of `kg query` (cumulative, ms): " + ", ".join(
        f"{name} {us / 1000:.0f}" for us, name in sorted(rows, reverse=True)[:8]))
    if cache:
        cache.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
