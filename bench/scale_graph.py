"""Make a bigger graph of the project's own shape: the built N-Quads replicated N times.

Usage: python bench/scale_graph.py N [--source build/kg.nq] [--out build/scale/kg-xN.nq]

Copy 0 is the built graph as it is. Copy ``i`` (1 to N-1) renames every IRI under
``https://w3id.org/kzkg/id/`` by a suffix (``group/islamic-state`` -> ``group/islamic-state-c7``),
so the prefixes, the evidence-graph layout and the IRI filters of the questions keep working; its
blank nodes get their own labels; its labels (``skos:prefLabel``, ``skos:altLabel``,
``schema:name``) get the suffix ``[c7]`` so that names stay unique, as in a real larger collection.
The ontology (``kg:`` terms) is shared by all copies. About one in forty links of a few kinds
(``schema:containedInPlace``, ``kg:place``, ``kg:refArea``, ``kg:memberOf``, ``kg:tiedTo``) keeps its
object in copy 0: the copies are linked to each other, as documents of one collection are.
The build-time aggregates (:mod:`kg.aggregates`) are not copied: they are computed again over the
whole scaled graph and written at its end, as ``kg build`` would compute them for that graph.
"""

from __future__ import annotations

import argparse
import re
import zlib
from pathlib import Path

__all__ = ["copy_line", "scale"]

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/kzkg/id/"
LABELS = (
    "<http://www.w3.org/2004/02/skos/core#prefLabel>",
    "<http://www.w3.org/2004/02/skos/core#altLabel>",
    "<https://schema.org/name>",
)
CROSS = (
    "<https://schema.org/containedInPlace>",
    "<https://w3id.org/kzkg/ontology#place>",
    "<https://w3id.org/kzkg/ontology#refArea>",
    "<https://w3id.org/kzkg/ontology#memberOf>",
    "<https://w3id.org/kzkg/ontology#tiedTo>",
)
_IRI = re.compile(r"<https://w3id\.org/kzkg/id/([^>]*)>")
_BNODE = re.compile(r"(?<![\w\"])_:(\w+)")
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')


def copy_line(line: str, i: int) -> str:
    """One N-Quads line of copy ``i`` (the line itself for copy 0)."""
    if i == 0:
        return line
    parts = line.split(" ", 2)
    predicate = parts[1] if len(parts) > 2 else ""
    suffix = f"-c{i}"
    keep_object = predicate in CROSS and zlib.crc32(f"{i}{line}".encode()) % 40 == 0
    if keep_object:
        # rename the subject and graph, leave the object (the third term) in copy 0
        head, rest = parts[0] + " " + parts[1] + " ", parts[2]
        obj, _, tail = rest.partition(" ")
        out = _IRI.sub(lambda m: f"<{ID}{m.group(1)}{suffix}>", head) + obj + " " + _IRI.sub(
            lambda m: f"<{ID}{m.group(1)}{suffix}>", tail)
    else:
        out = _IRI.sub(lambda m: f"<{ID}{m.group(1)}{suffix}>", line)
    out = _BNODE.sub(lambda m: f"_:{m.group(1)}c{i}", out)
    if predicate in LABELS and parts[0].startswith("<" + ID):
        out = _LITERAL.sub(lambda m: f'"{m.group(1)} [c{i}]"', out, count=1)
    return out


def scale(source: Path, n: int, out: Path) -> int:
    """Write ``n`` copies of ``source`` to ``out``, then the aggregates of the whole; returns the number of lines written."""
    import sys

    import pyoxigraph as ox

    sys.path.insert(0, str(ROOT))
    from kg.aggregates import compute, is_aggregate

    def own(line: str) -> bool:  # a triple of the default graph that kg build computed
        m = re.match(r"<([^>]*)> <([^>]*)> ", line)
        return bool(m) and is_aggregate(m.group(1), m.group(2))

    lines = [line for line in source.read_text(encoding="utf-8").splitlines(keepends=True) if not own(line)]
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.writelines(copy_line(line, i) for line in lines)
            count += len(lines)
    store = ox.Store()
    store.bulk_load(path=str(out), format=ox.RdfFormat.N_QUADS)
    extra = ox.serialize(compute(store), format=ox.RdfFormat.N_QUADS)
    with out.open("ab") as fh:
        fh.write(extra)
    return count + extra.count(b"\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of copies (1 = the built graph)")
    ap.add_argument("--source", type=Path, default=ROOT / "build" / "kg.nq")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    out = args.out or ROOT / "build" / "scale" / f"kg-x{args.n}.nq"
    count = scale(args.source, args.n, out)
    print(f"wrote {out}: {count} lines ({args.n} copies of {args.source})")


if __name__ == "__main__":
    main()
