"""Throughput of `kg ingest` on a synthetic document: 10,000 names, about 2 MB of text.

Run: python bench/ingest_speed.py   (prints MB/s for the mention matching alone, automaton built
included, and for the whole draft)
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.ingest import build_index, find_mentions, ingest_text
from kg.ingest_match import demonyms, name_keys, text_key


def main() -> None:
    rng = random.Random(7)
    syll = ["ka", "za", "kh", "stan", "ar", "bek", "ov", "ul", "al", "mat", "ty", "nur", "sul", "tan", "ay", "er"]
    names = {" ".join("".join(rng.choice(syll) for _ in range(3)).capitalize() for _ in range(2)) for _ in range(12000)}
    names = sorted(names)[:10000]
    # the index kg ingest builds: every key the search derives from each name, inflections, demonyms
    index = build_index([(f"https://w3id.org/kzkg/id/x/{i}", n, 0) for i, n in enumerate(names)], name_keys, text_key,
                        demonyms())
    words = ["the", "ministry", "said", "that", "in", "2015", "more", "than", "300", "people", "were", "arrested", "and"]
    parts, size = [], 0
    while size < 2_000_000:
        sentence = " ".join(rng.choice(words) for _ in range(12))
        parts.append(f"{rng.choice(names)} {sentence} in June 2015 {rng.choice(names)}. ")
        size += len(parts[-1])
    text = "".join(parts)
    mb = len(text.encode("utf-8")) / 1e6
    t0 = time.perf_counter()
    hits = len(find_mentions(text, index))
    t1 = time.perf_counter()
    draft = ingest_text("999", text, index)
    t2 = time.perf_counter()
    print(f"text {mb:.2f} MB, {len(names)} names, {len(index)} keys")
    print(f"mention matching (normalise with offsets + Aho-Corasick + whole words): {t1 - t0:.2f} s, "
          f"{mb / (t1 - t0):.1f} MB/s, {hits} mentions")
    print(f"whole draft (mentions, names, dates, figures): {t2 - t1:.2f} s, {mb / (t2 - t1):.2f} MB/s, "
          f"{len(draft.candidates())} candidates")


if __name__ == "__main__":
    main()
