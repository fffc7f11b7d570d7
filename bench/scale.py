"""Scale benchmark: load and question times on the built graph replicated 1, 10 and 100 times.

Usage (from the project root, after ``kg build``):

    python bench/scale.py 1 10 [--repeat 3] [--limit-s 60] [--rdflib-limit-s 300] [--engines memory disk]
    python bench/scale.py --report            # bench/scale-results/*.json -> Markdown tables

For each scale N (the graph made by ``bench/scale_graph.py``), it measures:

* loading the N-Quads: pyoxigraph in memory, pyoxigraph on disk (the store ``kg query`` opens),
  rdflib (when it finishes within ``--rdflib-limit-s``): seconds, quads per second, peak memory
  (the child's peak resident set size minus its size before loading);
* every named question, with its defaults and with one selective value (an IRI, so the figure is
  the question's own), as ``kg query`` prints it: one page (``--page``, default 100 rows, the
  ``--limit`` of ``kg query``, with the total count: :func:`kg.query.run_named` with ``limit``,
  page first for questions with a page core, :mod:`kg.paging`), variant ``page``; the whole
  answer (``run_named`` without a limit), variant ``new``; and as its original text ran it (``git show 701cb91:queries/NAME.rq``,
  parameters bound by pyoxigraph substitutions, an absent one bound to ``kg:any``), on each engine:
  median of ``--repeat`` runs and the rows returned.

Each load runs in a fresh interpreter capped at ``--load-limit-s`` seconds (rdflib:
``--rdflib-limit-s``) and ``--limit-gb`` of memory. The questions of each engine run one by one in a
long-lived worker started fresh, not forked from a process holding a store (:mod:`scale_worker`): it
loads the store itself, untimed, then times each question, capped at ``--limit-s`` seconds (all its
repeats) and ``--limit-gb`` of memory; a question over the cap is reported as such, the worker is
killed and a new one loads the store again for the next question, so that the machine stays usable.
Results go to ``bench/scale-results/xN.json`` (``--results``); ``--report`` prints the tables of
``bench/SCALE.md``, from these results or older ones.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale_worker import ORIGINAL, QuestionWorker  # noqa: E402  (bench/ is on the path from here)

RESULTS = ROOT / "bench" / "scale-results"  # --results changes it

# One selective value per question that takes one (IRIs of copy 0, present at every scale).
SELECTIVE = {
    "agencies": {"country": "place:almaty"},
    "agency-activities": {"agency": "agency:knb"},
    "attacks": {"place": "place:aktobe"},
    "casualties": {"attack": "event:aktobe-attacks-2016"},
    "cited-works": {"document": "001"},
    "corroborated-statements": {"entity": "agency:knb"},
    "document-contributions": {"document": "000"},
    "document-entities": {"kind": "kg:Group"},
    "document-figures": {"document": "001"},
    "entity-cited-works": {"entity": "event:operation-zhusan"},
    "entity-documents": {"entity": "group:tablighi-jamaat"},
    "entity-statements": {"entity": "group:tablighi-jamaat"},
    "estimates": {"quantity": "quantity:kazakhstanis-in-syria-and-iraq"},
    "group-neighbourhood": {"group": "group:islamic-movement-of-uzbekistan"},
    "groups": {"group": "group:hizb-ut-tahrir"},
    "legal-acts": {"from": "2015", "to": "2015"},
    "people": {"organization": "agency:knb"},
    "program-budgets": {"program": "law:state-program-religious-extremism-2013-2017"},
    "rehabilitation-centers": {"place": "place:aktobe"},
    "timeline": {"kind": "kg:Attack"},
}
REQUIRED_EXAMPLE = "group:islamic-state"  # the value of a required parameter in the "defaults" run


def graph_file(n: int) -> Path:
    """The N-Quads of scale ``n`` (made from build/kg.nq when missing or older)."""
    from scale_graph import scale

    source = ROOT / "build" / "kg.nq"
    if n == 1:
        return source
    out = ROOT / "build" / "scale" / f"kg-x{n}.nq"
    if not out.exists() or out.stat().st_mtime < source.stat().st_mtime:
        scale(source, n, out)
    return out


def _rss_mb() -> float:
    """Peak resident memory of this process's address space, MB: VmHWM, which starts again at exec.

    ``ru_maxrss`` does not: Linux keeps it across execve, so a load child spawned (forked, then exec)
    by a benchmark parent holding a gigabyte started at the parent's peak, and its load showed 0 MB.
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """Processor time of this process so far (user + system, all its threads), seconds."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _load_child(engine: str, path: str, disk: str | None, limit_gb: int, out) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit_gb << 30, limit_gb << 30))
    try:
        if engine == "rdflib":
            from rdflib import Dataset

            before, c = _rss_mb(), _cpu()
            t = time.perf_counter()
            ds = Dataset()
            ds.parse(path, format="nquads")
            seconds = time.perf_counter() - t
            quads = sum(len(g) for g in ds.graphs())
        else:
            import pyoxigraph as ox

            before, c = _rss_mb(), _cpu()
            t = time.perf_counter()
            on_disk = engine.startswith("disk")
            store = ox.Store(disk) if on_disk else ox.Store()
            # "-lenient": IRIs not validated again, as kg build loads its own N-Quads into build/store
            # (kg.store.stage_store): the store the questions run on. On disk bulk_load (RocksDB's files
            # written directly, as stage_store), in memory Store.load (as kg.store.OxigraphEngine: the
            # same insertion without bulk_load's batches of a million parsed quads; bench/SCALE.md,
            # "Loads, sixth pass")
            load = store.bulk_load if on_disk else store.load
            load(path=path, format=ox.RdfFormat.N_QUADS, lenient=engine.endswith("-lenient"))
            if on_disk:  # as kg.store.stage_store leaves it: flushed and compacted for read-only readers
                store.flush()
                store.optimize()
            seconds = time.perf_counter() - t
            quads = len(store)
        out.put(("ok", seconds, quads, _rss_mb() - before, _cpu() - c))
    except MemoryError:
        out.put(("out of memory", None, None, None, None))
    except Exception as exc:  # report, do not crash the benchmark
        out.put((f"error: {exc}"[:80], None, None, None, None))


def measure_load(engine: str, path: Path, disk: Path | None, limit_s: float, limit_gb: int) -> dict:
    """Load time, quads, rate and peak memory of one engine, in a capped fresh interpreter."""
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=_load_child, args=(engine, str(path), str(disk) if disk else None, limit_gb, out))
    proc.start()
    proc.join(limit_s)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return {"engine": engine, "status": f"> {limit_s:.0f} s"}
    if out.empty():
        return {"engine": engine, "status": "killed (memory)"}
    status, seconds, quads, mb, cpu = out.get()
    row = {"engine": engine, "status": status}
    if status == "ok":
        row.update(seconds=seconds, quads=quads, rate=quads / seconds, peak_mb=mb, processor_s=cpu)
    return row


PAGE = [100]  # rows of one page (kg query's default --limit); set by --page


def measure_query(worker: QuestionWorker, variant: str, name: str, params: dict, repeat: int, limit_s: float) -> dict:
    """One question timed in ``worker`` (:meth:`QuestionWorker.run`): status, median seconds, rows,
    total (one page only: ``None`` for the whole answer and the original, as before) and the seconds
    of each run."""
    row = worker.run(variant, name, params, repeat=repeat, limit_s=limit_s, page=PAGE[0])
    if row["status"] == "ok" and variant != "page":
        row["total"] = None
    return row


def cases() -> list[tuple[str, str, dict]]:
    """(question, "defaults" or "selective", parameters) for every named question."""
    from kg.query import load_queries

    out = []
    for name, q in load_queries().items():
        required = {p.name: REQUIRED_EXAMPLE for p in q.params if p.required}
        out.append((name, "defaults", required))
        if name in SELECTIVE:
            out.append((name, "selective", {**required, **SELECTIVE[name]}))
    return out


def run_scale(n: int, args) -> dict:
    path = graph_file(n)
    result = {"scale": n, "file": str(path.relative_to(ROOT)), "loads": [], "questions": []}
    disk = ROOT / "build" / "scale" / f"store-x{n}"
    if not args.skip_loads:
        shutil.rmtree(disk, ignore_errors=True)
    for engine in ("memory", "memory-lenient", "disk", "disk-lenient", "rdflib"):
        if ((engine == "rdflib" and args.no_rdflib) or args.skip_loads
                or (engine.startswith("disk") and "disk" not in args.engines)):
            continue
        limit = args.rdflib_limit_s if engine == "rdflib" else args.load_limit_s
        if engine.startswith("disk"):  # a fresh store for each disk load; the last one stays for the questions
            shutil.rmtree(disk, ignore_errors=True)
        row = measure_load(engine, path, disk if engine.startswith("disk") else None, limit, args.limit_gb)
        result["loads"].append(row)
        print(f"x{n} load {engine}: {row}", flush=True)
    if "disk" in args.engines and not (disk.exists() and disk.stat().st_mtime >= path.stat().st_mtime):
        # --skip-loads with no store left by an earlier run (or one older than the graph): make it as
        # the build does, untimed, so that the questions on disk have their store
        from kg.store import stage_store

        shutil.rmtree(disk, ignore_errors=True)
        stage_store(path, disk).rename(disk)
    todo = [c for c in cases() if not args.only or c[0] in args.only]
    # Each engine's questions run in a worker started fresh (spawn), holding its store alone: a child
    # forked from a process holding the x100 store in memory (1.5 GB) ran the same question 2 to 10
    # times slower, copying the parent's pages as it read (groups of one group 2.4 -> 22.7 ms,
    # /tmp/forkcheck.py, 1 December 2026). On disk a child forked per question from a parent holding
    # no store gave the same figures as the worker (x100, every one-entity case within 0.1 ms, rounds
    # interleaved), but forked and opened the store for every question: the worker is the cheaper.
    for engine in sorted(args.engines, key=["disk", "memory"].index):
        source = path if engine == "memory" else disk
        with QuestionWorker(engine, source, limit_gb=args.limit_gb, load_limit_s=args.load_limit_s) as worker:
            result.setdefault("quads", worker.quads)
            for name, kind, params in reversed(todo) if args.reverse else todo:
                variants = [v for v in ("page", "new", "original") if v in args.variants]
                for variant in variants if engine in args.original_engines else [v for v in variants if v != "original"]:
                    original = variant == "original"
                    repeat = args.original_repeat if original and args.original_repeat else args.repeat
                    limit = args.original_limit_s if original and args.original_limit_s else args.limit_s
                    row = measure_query(worker, variant, name, params, repeat, limit)
                    row["repeat"] = repeat
                    row.update(question=name, case=kind, params=params, engine=engine, variant=variant)
                    result["questions"].append(row)
                    shown = f"{row['seconds'] * 1000:.1f} ms, {row['rows']} rows" if row["status"] == "ok" else row["status"]
                    if row.get("total") is not None:
                        shown += f" of {row['total']}"
                    print(f"x{n} {engine:6s} {variant:8s} {name:25s} {kind:9s} {shown}", flush=True)
                RESULTS.mkdir(exist_ok=True)  # saved as it goes, so that a run stopped early keeps its figures
                (RESULTS / f"x{n}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
            if worker.starts > 1:
                print(f"x{n} {engine}: the worker was started {worker.starts} times (questions over the cap)", flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"x{n}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


def results_from_log(log: Path) -> list[dict]:
    """Results of a run read back from its printed lines (for a run stopped before its end)."""
    import ast
    import re

    runs: dict[int, dict] = {}
    params = {(name, kind): p for name, kind, p in cases()}
    line_re = re.compile(r"^x(\d+) (\w+)\s+(page|new|original)\s+(\S+)\s+(defaults|selective) (.*)$")
    for line in log.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^x(\d+) load (\w+): (\{.*\})$", line):
            run = runs.setdefault(int(m.group(1)), {"scale": int(m.group(1)), "loads": [], "questions": []})
            run["loads"].append(ast.literal_eval(m.group(3)))
        elif m := line_re.match(line):
            n, engine, variant, name, kind, shown = m.groups()
            run = runs.setdefault(int(n), {"scale": int(n), "loads": [], "questions": []})
            row = {"question": name, "case": kind, "params": params.get((name, kind), {}), "engine": engine,
                   "variant": variant}
            if ok := re.match(r"([\d.]+) ms, (\d+) rows(?: of (\d+))?", shown.strip()):
                row.update(status="ok", seconds=float(ok.group(1)) / 1000, rows=int(ok.group(2)),
                           total=int(ok.group(3)) if ok.group(3) else None)
            else:
                row["status"] = shown.strip()
            run["questions"].append(row)
    for run in runs.values():
        ok = [r for r in run["loads"] if r.get("status") == "ok"]
        run["quads"] = ok[0]["quads"] if ok else 0
    return list(runs.values())


def _ms(row: dict | None) -> str:
    if row is None:
        return "-"
    if row["status"] != "ok":
        return row["status"]
    ms = row["seconds"] * 1000
    return f"{ms:.0f}" if ms >= 10 else f"{ms:.1f}"


def _ratio(old: dict | None, new: dict | None) -> str:
    """original / now as text: "12.3x", "> 40x" when the original was stopped at its cap (a lower
    bound: the cap bounds one run only when the original ran once), "-" when either is missing."""
    if not new or new["status"] != "ok" or not old:
        return "-"
    if old["status"] == "ok":
        return f"{old['seconds'] / new['seconds']:.1f}x"
    if old["status"].startswith("> ") and old.get("repeat", 3) == 1:
        return f"> {float(old['status'].split()[1]) / new['seconds']:.0f}x"
    return "-"


def report() -> str:
    """Markdown tables of every ``bench/scale-results/xN.json``."""
    runs = sorted((json.loads(p.read_text()) for p in RESULTS.glob("x*.json")), key=lambda r: r["scale"])
    lines = ["Loads (`-lenient`: IRIs not validated again, as `kg build` loads its own N-Quads into `build/store`, "
             "the store `kg query` runs on); rdflib / this = rdflib's parse time of the same file in the same run "
             "divided by this load's (a lower bound where rdflib was stopped at its cap).", "",
             "| scale | quads | engine | load (s) | processor (s) | quads/s | peak memory (MB) | rdflib / this |",
             "|---|---|---|---|---|---|---|---|"]
    for run in runs:
        rdflib = next((r for r in run["loads"] if r["engine"] == "rdflib"), None)
        for row in run["loads"]:
            if row["status"] == "ok":
                ratio = "-"
                if rdflib is not None and row["engine"] != "rdflib":
                    if rdflib["status"] == "ok":
                        ratio = f"{rdflib['seconds'] / row['seconds']:.1f}x"
                    elif rdflib["status"].startswith("> "):
                        ratio = f"> {float(rdflib['status'].split()[1]) / row['seconds']:.1f}x"
                used = f"{row['processor_s']:.1f}" if row.get("processor_s") is not None else "-"  # older results: not measured
                lines.append(f"| x{run['scale']} | {row['quads']:,} | {row['engine']} | {row['seconds']:.1f} | {used} | "
                             f"{row['rate']:,.0f} | {row['peak_mb']:,.0f} | {ratio} |")
            else:
                lines.append(f"| x{run['scale']} | {run.get('quads', 0):,} | {row['engine']} | {row['status']} | - | - | - | - |")
    engines = sorted({r["engine"] for run in runs for r in run["questions"]}, key=["disk", "memory"].index)
    scales = [run["scale"] for run in runs]
    for engine in engines:
        pages = [r for run in runs for r in run["questions"] if r["engine"] == engine and r["variant"] == "page"]
        if not pages:
            continue
        lines += ["", f"One page on the {'on-disk' if engine == 'disk' else 'in-memory'} store, as `kg query` prints it "
                  f"(`run_named(..., limit={PAGE[0]})`: the first page and the total count): milliseconds, median of 3; "
                  "rows of the page / total rows of the answer at each scale; growth = time at the largest scale / "
                  "time at the one before, against the growth of the answer.", ""]
        lines += ["| question | case | " + " | ".join(f"x{s}: ms (rows/total)" for s in scales) + " | growth (answer) |",
                  "|" + "---|" * (3 + len(scales))]
        keys = []
        for r in pages:
            if (r["question"], r["case"]) not in keys:
                keys.append((r["question"], r["case"]))
        for question, case in keys:
            found = {run["scale"]: r for run in runs for r in run["questions"] if r["engine"] == engine
                     and r["variant"] == "page" and r["question"] == question and r["case"] == case}
            cells = []
            for sc in scales:
                r = found.get(sc)
                cells.append("-" if r is None else (_ms(r) + (f" ({r['rows']}/{r.get('total')})" if r["status"] == "ok" else "")))
            growth = "-"
            if len(scales) > 1 and all(found.get(sc, {}).get("status") == "ok" for sc in scales[-2:]):
                a, b = found[scales[-2]], found[scales[-1]]
                growth = f"{b['seconds'] / a['seconds']:.1f}x ({(b.get('total') or 0) / max(a.get('total') or 1, 1):.1f}x)"
            params = ", ".join(f"{k}={v}" for k, v in next(iter(found.values()))["params"].items()) or "-"
            lines.append(f"| {question} | {case}: {params} | " + " | ".join(cells) + f" | {growth} |")
    for engine in engines:
        if not any(r["engine"] == engine and r["variant"] != "page" for run in runs for r in run["questions"]):
            continue
        lines += ["", f"Questions on the {'on-disk store (what kg query opens)' if engine == 'disk' else 'in-memory store'}: "
                  "milliseconds, median of the runs (now: --repeat; original: --original-repeat, where a cap "
                  "given as \"> N s\" bounds each run when it ran once); rows of the whole answer at each scale; "
                  f"now = the whole answer of the question as it is; original = the text of `{ORIGINAL}` in the same "
                  "run; ratio = original / now, and original / one page (what kg query prints), at the largest scale.", ""]
        head = "| question | case | rows " + " ".join(f"x{s}" for s in scales) + " | " + " | ".join(
            f"now x{s} | original x{s}" for s in scales) + " | ratio | ratio to a page |"
        lines += [head, "|" + "---|" * (5 + 2 * len(scales))]
        keys = []
        for run in runs:
            for r in run["questions"]:
                if r["engine"] == engine and (r["question"], r["case"]) not in keys:
                    keys.append((r["question"], r["case"]))
        for question, case in keys:
            found = {}
            for run in runs:
                for r in run["questions"]:
                    if r["engine"] == engine and r["question"] == question and r["case"] == case:
                        found[(run["scale"], r["variant"])] = r
            rows = "/".join(str(found.get((s, "new"), {}).get("rows", "-")) for s in scales)
            cells = " | ".join(f"{_ms(found.get((s, 'new')))} | {_ms(found.get((s, 'original')))}" for s in scales)
            old = found.get((scales[-1], "original"))
            ratios = [_ratio(old, found.get((scales[-1], v))) for v in ("new", "page")]
            params = ", ".join(f"{k}={v}" for k, v in found[next(iter(found))]["params"].items()) or "-"
            lines.append(f"| {question} | {case}: {params} | {rows} | {cells} | {ratios[0]} | {ratios[1]} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scales", nargs="*", type=int, help="scales to run, e.g. 1 10 100")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--limit-s", type=float, default=60, help="cap per question (all repeats), seconds")
    ap.add_argument("--load-limit-s", type=float, default=600)
    ap.add_argument("--rdflib-limit-s", type=float, default=300)
    ap.add_argument("--limit-gb", type=int, default=8, help="memory cap (address space) of a load child and of a question worker")
    ap.add_argument("--engines", nargs="+", default=["disk", "memory"], choices=["disk", "memory"])
    ap.add_argument("--original-engines", nargs="+", default=["disk", "memory"], choices=["disk", "memory"],
                    help="engines on which the original texts run too (they are the slow part)")
    ap.add_argument("--variants", nargs="+", default=["page", "new", "original"], choices=["page", "new", "original"],
                    help="page: one page with the total, as kg query prints it; new: the whole answer; original: the text of "
                         + ORIGINAL)
    ap.add_argument("--page", type=int, default=100, help="rows of one page (variant page)")
    ap.add_argument("--original-repeat", type=int, default=None,
                    help="runs of each original text (default --repeat); 1 makes a cap a per-run bound")
    ap.add_argument("--original-limit-s", type=float, default=None,
                    help="cap per original text (all its runs), seconds (default --limit-s)")
    ap.add_argument("--no-rdflib", action="store_true")
    ap.add_argument("--skip-loads", action="store_true", help="measure questions only")
    ap.add_argument("--only", nargs="+", metavar="QUESTION", help="only these questions")
    ap.add_argument("--reverse", action="store_true", help="questions in reverse order (a second worker)")
    ap.add_argument("--report", action="store_true", help="print the tables of the recorded results")
    ap.add_argument("--from-log", type=Path, help="record the results printed in this log (a run stopped early)")
    ap.add_argument("--results", type=Path, help="folder of the xN.json results (default bench/scale-results)")
    args = ap.parse_args()
    if args.results:
        global RESULTS
        RESULTS = args.results if args.results.is_absolute() else ROOT / args.results
    if args.from_log:
        RESULTS.mkdir(exist_ok=True)
        for run in results_from_log(args.from_log):
            (RESULTS / f"x{run['scale']}.json").write_text(json.dumps(run, indent=1), encoding="utf-8")
            print(f"recorded x{run['scale']}: {len(run['questions'])} measurements")
        return 0
    if args.report:
        print(report())
        return 0
    if not (ROOT / "build" / "kg.nq").exists():
        print("run kg build first", file=sys.stderr)
        return 2
    PAGE[0] = args.page
    print(f"pid {os.getpid()}; scales {args.scales}", flush=True)
    for n in args.scales:
        run_scale(n, args)
    print(report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
