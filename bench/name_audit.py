"""Audit of the names users type, through the resolution every entry point uses (kg.search).

Two sets of names, on a built graph:

* ``phrases``: every capitalised phrase of the corpus documents (runs of capitalised words, joined by a
  few small words, with a bracket after them), resolved or refused, with the tier of each match taken
  (0-1 exact, 2 all words, 3 word prefixes, 4 fuzzy: the last three are where a wrong match hides);
* ``citations``: every author-and-year citation of the documents as they write it (``(Bikson et al.
  2007)``, ``Heathershaw and Montgomery (2014)``), which should resolve to the cited work;
* ``places``: names written with a place or owner, made from every entity the graph has in something
  (its ``within``): with each place it is in (``NAME in PLACE``, ``PLACE’s NAME``, the adjective of
  its country before it), and with three places it is not in and the adjective of every country of
  ``kg/data/demonyms.tsv`` it is not in and its name does not hold (``NAME in PLACE``, ``NAME, PLACE``,
  ``PLACE’s NAME``, ``ADJECTIVE NAME``). A right one should resolve to the entity, a wrong one never.

Usage (from the project folder, after ``kg build``)::

    python bench/name_audit.py [--nquads build/kg.nq] [--json OUT.json] [--skip-places] [--sample N]

``--sample N`` prints N phrases drawn at random (seed 6) from those refused and N from those taken by a
word or fuzzy tier (tiers 2-4), for classifying by hand against the documents.

To audit other code on the same graph, run it with that checkout first on the path, from outside both
folders: ``cd /tmp && PYTHONPATH=/path/to/checkout python /path/to/bench/name_audit.py --nquads
/path/to/build/kg.nq --corpus /path/to/corpus``. With ``--json`` every text is written with its answer,
so that two runs can be compared name by name.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACE = "https://w3id.org/kzkg/id/place/"
_WORD = r"(?:[A-Z][\w’'./&-]*[\w)’']|[A-Z])"
_JOIN = r"(?: (?:of|for|and|the|in|on|de|al|ut|an|to)){0,2}"
PHRASE = re.compile(r"(?<![\w])(?:[Tt]he )?" + _WORD + r"(?:" + _JOIN + r" " + _WORD + r")*(?: \([A-Z][\w ./&-]*\))?")
_TRAILING = re.compile(r"(?: (?:of|for|and|the|in|on|de|al|to))+$")


def phrases(corpus: Path) -> list[str]:
    """Every capitalised phrase of the documents ``0*.txt`` of ``corpus``, sorted, once each."""
    found = set()
    for path in sorted(corpus.glob("0*.txt")):
        text = " ".join(path.read_text(encoding="utf-8").split())
        for m in PHRASE.finditer(text):
            p = _TRAILING.sub("", m.group(0).strip(" .,;:"))
            if len(p) >= 3 and any(c.isalpha() for c in p):
                found.add(p)
    return sorted(found)


_AUTHOR = r"[A-Z][\w.’'-]*(?: (?:and|&) [A-Z][\w.’'-]*| et al\.?)?"
CITATION = re.compile(r"\((" + _AUTHOR + r",? \d{4}[a-z]?)\)|(?<![\w(])(" + _AUTHOR + r" \(\d{4}[a-z]?\))")


def citations(corpus: Path) -> list[str]:
    """Every author-and-year citation of the documents ``0*.txt`` of ``corpus``, as written (without the
    brackets around a whole citation), sorted, once each."""
    found = set()
    for path in sorted(corpus.glob("0*.txt")):
        text = " ".join(path.read_text(encoding="utf-8").split())
        found.update(m.group(1) or m.group(2) for m in CITATION.finditer(text))
    return sorted(found)


def place_names(index) -> list[tuple[str, str, str]]:
    """``(text, IRI, kind)`` of the names with a place or owner (see the module); ``kind`` is ``right``
    or ``wrong: ...``."""
    import kg
    from kg.search_text import normalise

    table = Path(kg.__file__).resolve().parent / "data" / "demonyms.tsv"
    adjectives = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            place, _, forms = line.partition("\t")
            adjectives[place] = [f for f in forms.split("|") if f and not f.endswith("s")][:2]
    entries = index.entries
    countries = {e["label"]: iri for iri, e in entries.items() if iri.startswith(PLACE) and adjectives.get(e["label"])}
    places = sorted(iri for iri in entries if iri.startswith(PLACE))
    rng = random.Random(5)
    cases = []
    for iri, e in sorted(entries.items()):
        within = e.get("within") or []
        if not within or e.get("rank", 2) != 2:
            continue
        name = e["label"]
        for w in (w for w in within if w in entries):
            where = entries[w]["label"]
            cases += [(f"{name} in {where}", iri, "right"), (f"{where}’s {name}", iri, "right")]
            cases += [(f"{a} {name}", iri, "right") for a in adjectives.get(where, ())]
        for w in [p for p in rng.sample(places, 6) if p not in within and p != iri][:3]:
            where = entries[w]["label"]
            cases += [(f"{name} in {where}", iri, "wrong: NAME in PLACE"), (f"{name}, {where}", iri, "wrong: NAME, PLACE"),
                      (f"{where}’s {name}", iri, "wrong: PLACE’s NAME")]
        # not a country the name itself holds ("Kazakhstani Criminal Code of Kazakhstan" is right: kg.search
        # takes a place whose words a name holds, SearchIndex._holds)
        said = set(normalise(name).split())
        cases += [(f"{adjectives[c][0]} {name}", iri, "wrong: ADJECTIVE NAME")
                  for c, country in countries.items() if country not in within and country != iri
                  and not set(normalise(c).split()) <= said]
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nquads", type=Path, default=ROOT / "build" / "kg.nq")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--json", type=Path, help="write every text with its answer here")
    parser.add_argument("--skip-places", action="store_true", help="leave out the names with a place or owner")
    parser.add_argument("--sample", type=int, default=0, help="print N refused and N word or fuzzy tier phrases")
    args = parser.parse_args(argv)
    from kg.query import ParamError
    from kg.search import index_for
    from kg.store import open_engine

    index = index_for(open_engine(args.nquads, "oxigraph"))

    def taken(text):
        try:
            return index.resolve(text)
        except ParamError:
            return None

    start = time.process_time()
    said = {p: taken(p) for p in phrases(args.corpus)}
    tiers = {p: next((m.tier for m in index.search(p, None) if m.iri == iri), 4) for p, iri in said.items() if iri}
    by_tier = Counter(tiers.values())
    fuzzy = sorted(p for p, tier in tiers.items() if tier == 4)
    print(f"phrases of the documents: {len(said)}; resolve {sum(1 for v in said.values() if v)}; by tier "
          + ", ".join(f"{t}: {by_tier[t]}" for t in range(5)) + f"; by the fuzzy tier: {fuzzy}")
    cited = {c: taken(c) for c in citations(args.corpus)}
    print(f"citations of the documents: {len(cited)}; resolve {sum(1 for v in cited.values() if v)}; "
          f"refused: {sorted(c for c, v in cited.items() if not v)}")
    if args.sample:
        rng = random.Random(6)
        refused = sorted(p for p, v in said.items() if not v)
        loose = sorted(p for p, tier in tiers.items() if tier >= 2)
        for name, pool in (("refused", refused), ("taken by tiers 2-4", loose)):
            drawn = sorted(rng.sample(pool, min(args.sample, len(pool))))
            print(f"sample of {len(drawn)} of {len(pool)} {name}:")
            for p in drawn:
                print(f"  {p!r}" + (f" -> {said[p].rsplit('/id/', 1)[-1]} (tier {tiers[p]})" if said[p] else ""))
    cases = [] if args.skip_places else place_names(index)
    answers = [(text, iri, kind, taken(text)) for text, iri, kind in cases]
    total, hits = Counter(kind for _, _, kind, _ in answers), Counter(kind for _, iri, kind, got in answers if got == iri)
    for kind in sorted(total):
        print(f"names with a place or owner, {kind}: {hits[kind]} of {total[kind]} resolve to the entity")
    print(f"processor time {time.process_time() - start:.1f} s")
    if args.json:
        args.json.write_text(json.dumps({"phrases": said, "citations": cited, "places": answers}, ensure_ascii=False,
                                        indent=0),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
