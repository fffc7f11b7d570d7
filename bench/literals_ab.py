"""Processor and wall time of kg.literals.check_files over every input file: a base revision's module
against the working tree's, interleaved (A, B, A, B...), medians.

    python bench/literals_ab.py [--base main] [--repeat 11]
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="main", help="the revision to compare with (default: main)")
    ap.add_argument("--repeat", type=int, default=11)
    args = ap.parse_args()
    text = subprocess.run(["git", "show", f"{args.base}:kg/literals.py"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(text)
    spec = importlib.util.spec_from_file_location("literals_base", fh.name)
    base = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(base)
    sys.path.insert(0, str(ROOT))
    import kg.literals as current

    files = sorted(glob.glob(str(ROOT / "graph" / "**" / "*.ttl"), recursive=True)
                   + glob.glob(str(ROOT / "graph" / "**" / "*.trig"), recursive=True) + glob.glob(str(ROOT / "ontology" / "*.ttl")))
    times = {args.base: ([], []), "working tree": ([], [])}
    for _ in range(args.repeat):
        for name, module in ((args.base, base), ("working tree", current)):
            wall, cpu = time.perf_counter(), time.process_time()
            module.check_files(files)
            times[name][0].append(time.process_time() - cpu)
            times[name][1].append(time.perf_counter() - wall)
    for name, (cpu, wall) in times.items():
        print(f"{name}: processor {statistics.median(cpu) * 1000:.0f} ms, wall {statistics.median(wall) * 1000:.0f} ms "
              f"(median of {args.repeat}, {len(files)} files)")
    Path(fh.name).unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
