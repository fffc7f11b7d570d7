"""Cold start of ``kg query`` against ``python -c "import pyoxigraph"``, in the same run.

Usage (after ``kg build``): python bench/coldstart.py [--repeat 9] [--question coverage-documents]

Each command runs as a fresh process, alternately, ``--repeat`` times; the medians and their ratio
are printed, then the modules ``kg query`` imports that cost most (``python -X importtime``).
The target of issue 12: a cold ``kg query`` at most 3 times the import of pyoxigraph.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--question", default="coverage-documents")
    args = ap.parse_args()
    kg = shutil.which("kg") or "kg"
    commands = {
        "python -c 'import pyoxigraph'": [sys.executable, "-c", "import pyoxigraph"],
        f"kg query {args.question}": [kg, "query", args.question],
        f"kg query entity-statements -p entity=group:tablighi-jamaat": [kg, "query", "entity-statements", "-p",
                                                                       "entity=group:tablighi-jamaat"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, cmd in commands.items():
            times[name].append(timed(cmd))
    base = statistics.median(times["python -c 'import pyoxigraph'"])
    print("| command | median (s) | ratio to import pyoxigraph |")
    print("|---|---|---|")
    for name, values in times.items():
        print(f"| `{name}` | {statistics.median(values):.3f} | {statistics.median(values) / base:.1f}x |")
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
