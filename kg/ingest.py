"""``kg ingest``: turn a registered document into a draft of candidate facts for a curator.

The draft is TriG in the curation format (``graph/drafts/dNNN.trig``; the build does not read
``graph/drafts/``): one named graph per sentence that holds a candidate, named ``ev:dNNN-START-END``
with its ``kg:sha256`` beside it, exactly as a curator would write it, and every candidate marked
with ``kg:candidate`` and the kind of candidate. A curator keeps, edits or deletes each block and
moves the file to ``graph/claims/``.

Candidates, by kind:

* ``mention``: a known entity named by one of its labels or aliases, or a place by its demonym
  ("Israeli"), in the search's normalisation (:mod:`kg.ingest_match`: an Aho-Corasick automaton,
  pyahocorasick, over every key the search derives, plus inflections; whole words); a name proposed
  earlier in the draft, or the surname of a person proposed earlier, is a mention of that candidate;
* ``acronym``: a name followed by its acronym in brackets ("Committee for National Security (KNB)");
* ``name``: a capitalised name no entity of the graph carries, or a group named by an adjective
  ("Kazakh officials"), with a class proposed from its head word (:mod:`kg.ingest_names`);
* ``title``, ``citation``: a quoted title, a work cited by author and year or by source and date,
  and the outlet of a note;
* ``event``: a cue word of a kind of event, act or program, one per class and sentence, with the
  sentence's place and date where it has them (:mod:`kg.ingest_events`);
* ``date``: a date at the precision the text gives (dateparser; day, month or year);
* ``figure``: a number with a unit or category word after it and a comparator before it ("more than
  300 people"), as a draft ``kg:Statistic`` about the entities linked in the same sentence; note,
  page and issue numbers, years and telephone numbers are not figures (:mod:`kg.ingest_figures`).

Each entity is mentioned at most once per sentence. The matching is the search's, so what ``-p
entity=`` resolves, the draft links. :func:`fold` is the benchmark's own folding (see
:mod:`kg.ingest_heldout`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "DRAFTS_DIR",
    "Candidate",
    "Draft",
    "LabelIndex",
    "build_index",
    "find_mentions",
    "fold",
    "heldout_scores",
    "ingest_text",
    "label_index",
    "sentences",
    "write_draft",
]

from kg.ingest_write import write_draft

DRAFTS_DIR = Path("graph") / "drafts"
ID = "https://w3id.org/kzkg/id/"

LABEL_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX kg: <https://w3id.org/kzkg/ontology#>
SELECT ?e ?label ?rank ?doc WHERE {
  { ?e skos:prefLabel ?label BIND(0 AS ?rank) } UNION { ?e skos:altLabel|skos:hiddenLabel ?label BIND(1 AS ?rank) }
  UNION { ?e schema:name ?label BIND(2 AS ?rank) }
  FILTER(STRSTARTS(STR(?e), "https://w3id.org/kzkg/id/")
         && !STRSTARTS(STR(?e), "https://w3id.org/kzkg/id/stat/")
         && !STRSTARTS(STR(?e), "https://w3id.org/kzkg/id/finding/")
         && !STRSTARTS(STR(?e), "https://w3id.org/kzkg/id/evidence/")
         && !STRSTARTS(STR(?e), "https://w3id.org/kzkg/id/source/"))
  OPTIONAL { GRAPH ?ev { ?e ?p ?o } ?ev kg:document/kg:documentId ?doc }
}
"""

_FOLDED: dict[int, str] = {}


def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in base if not unicodedata.combining(c)) or ch
    c = base[0].lower() if len(base[0].lower()) == 1 else base[0]
    return {"’": "'", "‘": "'", "–": "-", "—": "-", "\n": " ", "\t": " ", "\r": " "}.get(c, c)


def fold(text: str) -> str:
    """A same-length folded form of ``text`` for matching: lower case, accents and marks removed,
    typographic apostrophes and dashes made plain. Offsets into the result are offsets into ``text``.
    Each character is folded once and cached; the text is then mapped with ``str.translate``."""
    for ch in set(text):
        if ord(ch) not in _FOLDED:
            _FOLDED[ord(ch)] = _fold_char(ch)
    return text.translate(_FOLDED)


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of ``text``: split after ., ! or ? (and a closing
    quote or a note number glued to it, "Almaty.33") followed by white space and a capital, a digit
    or a quote, and at blank lines; leading and trailing space trimmed."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s >= 3:
            out.append((s, e))
    return out


_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][”\"’])|(?<=[a-z][.!?]\d)|(?<=[a-z][.!?]\d\d))\s+(?=[A-Z0-9“\"(])"
                           r"|\n\s*\n")


@dataclass
class Candidate:
    """One candidate fact: its kind, the words of the text, where they are, and what is proposed."""

    kind: str  # mention, acronym, name, title, citation, event, date, figure
    text: str
    start: int
    end: int
    entity: str | None = None  # the linked entity (mention) or the proposed IRI
    cls: str | None = None  # the proposed class
    value: str | None = None  # a date literal, a number, an acronym or the name as written
    datatype: str | None = None
    unit: str | None = None
    comparator: str | None = None
    label: str | None = None  # an event's proposed label
    place: str | None = None  # an event's place (IRI)
    date: tuple[str, str] | None = None  # an event's date (literal, datatype)
    note: str | None = None  # a remark for the curator (an ambiguous name)


@dataclass
class Draft:
    """What ``kg ingest`` found in one document: candidates grouped by sentence span."""

    doc: str
    spans: dict[tuple[int, int], list[Candidate]] = field(default_factory=dict)

    def candidates(self) -> list[Candidate]:
        """Every candidate, sentence by sentence."""
        return [c for cands in self.spans.values() for c in cands]

    def summary(self) -> dict[str, int]:
        """Counts of candidates by kind, of sentences (``spans``) and of distinct proposed entities
        (``proposed``: names, acronyms, titles, citations and events, each IRI once)."""
        cands = self.candidates()
        counts = Counter(c.kind for c in cands)
        counts["spans"] = len(self.spans)
        counts["proposed"] = len({c.entity for c in cands if c.kind in PROPOSED})
        return dict(counts)


PROPOSED = ("acronym", "name", "title", "citation", "event")


class LabelIndex(dict):
    """Matching key -> entity IRIs (a ``dict``), with ``caps``: the keys of short names written in
    capitals ("US", "IS"), which match only text in capitals."""

    caps: set[str]

    def __init__(self, *args, caps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.caps = set(caps)


def label_index(engine, exclude_doc: str | None = None) -> LabelIndex:
    """Matching keys (:func:`kg.ingest_match.name_keys`) -> entity IRIs, from every label and alias
    of the built graph, and the demonyms of the places (``kg/data/demonyms.tsv``).

    Where one key names several entities, only those that carry it at the best rank are kept (a
    preferred label beats an alias, which beats a title; a derived key ranks below the graph's own
    labels, a demonym below both). With ``exclude_doc``, labels only that document states are left
    out (a held-out test). Raises ``QueryError`` if the engine fails.
    """
    from kg.ingest_match import demonyms, name_keys, text_key

    seen: dict[tuple[str, str], set[str]] = {}
    ranks: dict[tuple[str, str], int] = {}
    for row in engine.query(LABEL_QUERY).rows:
        key = (row["e"]["value"], row["label"]["value"])
        ranks[key] = min(ranks.get(key, 9), int(row["rank"]["value"]))
        docs = seen.setdefault(key, set())
        if "doc" in row:
            docs.add(row["doc"]["value"])
        else:
            docs.add("*")  # a card, or a term of the ontology
    pairs = []
    for (iri, label), docs in seen.items():
        if exclude_doc and docs <= {exclude_doc, "*"} and exclude_doc in docs:
            continue
        if exclude_doc and docs == {"*"} and _only_in(engine, iri, exclude_doc):
            continue
        pairs.append((iri, label, ranks[(iri, label)]))
    return build_index(pairs, name_keys, text_key, demonyms())


def build_index(pairs, name_keys, text_key, table) -> LabelIndex:
    """A :class:`LabelIndex` from ``(iri, label, rank)`` triples: each label's keys, and for a label
    that names a place in ``table`` (place key -> demonym keys), the demonyms."""
    best: dict[str, dict[str, int]] = {}
    caps: dict[str, bool] = {}

    def add(key: str, iri: str, rank: int, upper: bool) -> None:
        entry = best.setdefault(key, {})
        entry[iri] = min(entry.get(iri, 99), rank)
        caps[key] = caps.get(key, True) and upper and len(key.replace(" ", "")) <= 5

    for iri, label, rank in pairs:
        upper = label.replace(".", "").replace(" ", "").isupper()
        for key, derived in name_keys(label):
            add(key, iri, rank + (3 if derived else 0), upper)
        for form in table.get(text_key(label), ()):
            for key, _derived in name_keys(form):
                add(key, iri, rank + 6, form.replace(" ", "").isupper())
    index = {key: {iri for iri, r in entry.items() if r == min(entry.values())} for key, entry in best.items()}
    return LabelIndex(index, caps={key for key, up in caps.items() if up})


def _only_in(engine, iri: str, doc: str) -> bool:
    cache = engine.__dict__.setdefault("_kg_entity_docs", None)
    if cache is None:
        cache = {}
        rows = engine.query("""PREFIX kg: <https://w3id.org/kzkg/ontology#>
            SELECT DISTINCT ?e ?doc WHERE { GRAPH ?ev { { ?e ?p ?o } UNION { ?s ?p ?e } } ?ev kg:document/kg:documentId ?doc }""").rows
        for r in rows:
            cache.setdefault(r["e"]["value"], set()).add(r["doc"]["value"])
        engine.__dict__["_kg_entity_docs"] = cache
    return cache.get(iri, set()) <= {doc}


class _Intervals:
    """Half-open intervals ``[start, end)`` asked whether they hold a position, in O(log n)."""

    def __init__(self, pairs):
        merged: list[list[int]] = []
        for s, e in sorted(pairs):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def holds(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60] or "x"


ACRONYM = re.compile(r"((?:[A-Z][\w'’-]*)(?:[ \t]+(?:of|for|and|the|on|in|to|al|ad|ut|[A-Z][\w'’-]*)){0,8})\s+\(([A-Z][A-Za-z&]{1,9})\)")
MAX_AMBIGUOUS = 3  # a name that labels more entities than this is not linked


def find_mentions(text: str, index: dict[str, set[str]]) -> list[Candidate]:
    """Mentions of known entities in ``text``: whole words, in the search's normalisation
    (:mod:`kg.ingest_match`), the longest where several overlap; a name several entities carry is
    linked to each (up to :data:`MAX_AMBIGUOUS`) with a note; a short name in capitals only where
    the text has it in capitals."""
    from kg.ingest_match import Matcher

    caps = getattr(index, "caps", set())
    out = []

    def composite(iris) -> bool:
        return all(iri.startswith((ID + "event/", ID + "law/")) for iri in iris)

    for start, end, key, iris in Matcher(index).find(text, composite=composite):
        written = text[start:end]
        if key in caps and any(ch.islower() for ch in written):
            continue
        if len(iris) > MAX_AMBIGUOUS:
            continue
        note = f"one of {len(iris)} entities named {written!r}" if len(iris) > 1 else None
        out.extend(Candidate("mention", written, start, end, entity=iri, note=note) for iri in sorted(iris))
    return out + _surnames(text, out)


def _surnames(text: str, mentions: list[Candidate]) -> list[Candidate]:
    """Mentions of a known person by surname alone after a mention by full name ("Tokayev" after
    "Kassym-Jomart Tokayev"), where the graph does not hold the surname as an alias."""
    first: dict[str, tuple[int, str]] = {}
    for c in mentions:
        words = c.text.split()
        if c.entity.startswith(ID + "person/") and len(words) >= 2 and c.note is None and words[-1][:1].isupper():
            first.setdefault(words[-1], (c.end, c.entity))
    taken = _Intervals((c.start, c.end) for c in mentions)
    out = []
    for surname, (after, iri) in first.items():
        for m in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text[after:]):
            start = after + m.start()
            if not taken.holds(start):
                out.append(Candidate("mention", surname, start, start + len(surname), entity=iri,
                                     note="the surname of a person named in full before"))
    return out


_CONNECTORS = {"of", "for", "and", "the", "on", "in", "to", "at", "from", "with", "origin"}


def _names(text: str, index, covered: _Intervals) -> list[Candidate]:
    """Name, group and cited-work candidates of ``text`` that no entity of ``index`` carries."""
    from kg.ingest_match import demonym_forms, demonym_places, text_key
    from kg.ingest_names import (
        CAPITALISED,
        GROUP_PHRASE,
        STOP_STARTS,
        cited_works,
        group_class,
        name_forms,
        org_phrases,
        websites,
    )

    out: list[Candidate] = []

    def propose(kind, name, start, cls, alias=None):
        key = text_key(name)
        if len(key) < 3 or (key in index and kind != "title") or covered.holds(start):
            return
        out.append(Candidate(kind, name, start, start + len(name), entity=f"{ID}draft/{_slug(name)}", cls=cls,
                             value=alias))

    lower = set(re.findall(r"\b[a-z][a-z'’-]+\b", text))
    inside = set(re.findall(r"(?<=[a-z,;:)] )[A-Z][\w'’.-]*\w", text))  # capitalised inside a sentence
    opening = set(re.findall(r"(?:(?<=[.!?] )|(?<=[.!?]\d )|(?<=[.!?]\d\d ))[A-Z][\w'’-]*\w", text)) - inside
    demonym = demonym_forms()
    works = list(cited_works(text))
    titles = _Intervals((start, end) for kind, _l, _a, start, end, _c in works
                        if kind == "title" and start > 0 and text[start - 1] in "“”\"‘'")
    for m in CAPITALISED.finditer(text):
        run = m.group(0)
        if titles.holds(m.start()) and titles.holds(m.end() - 1):
            continue  # the words of a quoted title are the title's, proposed whole
        for name, cls in name_forms(run):
            if " " not in name and (name.lower() in lower or (name in opening and not name.isupper())):
                continue  # a common word at the start of a sentence or a table cell, not a proper noun
                # (written in lower case elsewhere, or capitalised only where a sentence opens)
            if all(w.rstrip("s") in demonym or w in _CONNECTORS for w in re.split(r"[\s-]+", name)):
                continue  # "Russian and Kazakh": adjectives; their places are proposed from them
            at = run.find(name)
            if at < 0:  # a name wrapped over lines: find its words with any space between them
                where = re.search(r"\s+".join(map(re.escape, name.split())), run)
                at = where.start() if where else -1
            if at >= 0:
                propose("name", name, m.start() + at, cls)
    for m in GROUP_PHRASE.finditer(text):
        if m.group(1) not in STOP_STARTS:
            propose("name", f"{m.group(1)} {' '.join(m.group(2).split())}", m.start(), group_class(m.group(2)))
    for kind, label, alias, start, _end, cls in works:
        propose(kind, label, start, cls, alias)
    for name, start in websites(text):
        propose("name", name, start, "kg:MediaOutlet")
    for name, start, cls in org_phrases(text):
        propose("name", name, start, cls)
    for start, place in demonym_places(text):
        propose("name", place, start, "kg:Place")
    return out


def _repeated(cands: list[Candidate]) -> None:
    """Turn a name proposed earlier in the document, or the surname of a person proposed earlier
    ("Kakimov" after "Nurlan Kakimov"), into a mention of that draft entity (in place)."""
    from kg.ingest_match import text_key

    first: dict[str, str] = {}
    by_iri: dict[str, Candidate] = {}
    for c in sorted(cands, key=lambda c: c.start):
        if c.kind not in ("name", "title", "citation", "acronym"):
            continue
        key = text_key(c.text)
        if key in first and first[key] != c.entity or (key in first and c.kind == "name" and c.entity == first[key]):
            earlier = by_iri.get(first[key])
            if earlier is not None and earlier.cls is None:
                earlier.cls = c.cls  # "Steppe Weekly", then "Steppe Weekly, May 3": an outlet
            c.kind, c.entity, c.cls = "mention", first[key], None
            continue
        first.setdefault(key, c.entity)
        by_iri.setdefault(c.entity, c)
        words = c.text.split()
        if c.kind == "name" and c.cls in (None, "kg:Person") and 2 <= len(words) <= 3 and all(
                w[:1].isupper() and w.replace("-", "").isalpha() for w in words):
            first.setdefault(text_key(words[-1]), c.entity)


def ingest_text(doc: str, text: str, index: dict[str, set[str]]) -> Draft:
    """Find the candidates in ``text`` (document ``doc``); ``index`` is :func:`label_index` (or a
    plain ``{key: {iri}}`` of :func:`kg.ingest_match.text_key` keys). Returns the :class:`Draft`."""
    from kg.ingest_figures import DATE, FIGURE, figure_value, not_figures, parse_date
    from kg.ingest_match import text_key

    found: list[Candidate] = find_mentions(text, index)
    from kg.ingest_names import propose_class

    for m in ACRONYM.finditer(text):
        name, short = m.group(1).strip(), m.group(2)
        for word in name.split():  # "The National Security Committee (NSC)": the name, not the sentence
            if word not in ("The", "the") and word[:1].isupper():
                break
            name = name.split(" ", 1)[1] if " " in name else name
        known = index.get(text_key(name), set())
        if text_key(short) in index:
            continue
        if len(known) == 1:  # a known name, a new acronym: an alias of the known entity
            found.append(Candidate("acronym", m.group(0), m.start(), m.end(), entity=next(iter(known)), value=short,
                                   note="a new alias of a known entity"))
        else:
            found.append(Candidate("acronym", m.group(0), m.start(), m.end(), entity=f"{ID}draft/{_slug(name)}",
                                   cls=propose_class(name), value=short))
    covered = _Intervals((c.start, c.end) for c in found if c.kind == "acronym" or (c.note or "").startswith("the surname"))
    names = _names(text, index, covered)
    found += names
    _repeated(found)
    for m in DATE.finditer(text):
        parsed = parse_date(m.group(0))
        if parsed:
            found.append(Candidate("date", m.group(0), m.start(), m.end(), value=parsed[0], datatype=parsed[1]))
    skip = _Intervals([(c.start, c.end) for c in found if c.kind in ("date", "citation")] + not_figures(text))
    for m in FIGURE.finditer(text):
        number = figure_value(m.group("num"))
        if skip.holds(m.start("num")) or (re.fullmatch(r"(19|20)\d\d", number) and not m.group("cmp")):
            continue  # part of a date, a citation, a note, page or issue number, or a year
        unit = (m.group("unit") or "").lower() or None
        found.append(Candidate("figure", m.group(0), m.start(), m.end(), value=number, unit=unit,
                               comparator=(m.group("cmp") or "").strip().lower() or None))
    spans = sentences(text)
    starts = [s for s, _ in spans]
    by_span: dict[tuple[int, int], list[Candidate]] = {}
    seen: set[tuple] = set()
    for c in sorted(found, key=lambda c: c.start):
        i = bisect.bisect_right(starts, c.start) - 1
        if i < 0:
            continue
        key = (i, c.entity) if c.kind in ("mention", "name", "title", "citation", "acronym") else (i, c.kind, c.start)
        if key in seen:
            continue  # one mention of an entity per sentence
        seen.add(key)
        by_span.setdefault(spans[i], []).append(c)
    _events(doc, text, spans, by_span)
    draft = Draft(doc)
    for span in spans:
        if by_span.get(span):
            draft.spans[span] = sorted(by_span[span], key=lambda c: c.start)
    return draft


def _events(doc: str, text: str, spans, by_span) -> None:
    """Add an event, act or program candidate per cue class to each sentence (:mod:`kg.ingest_events`),
    with the sentence's place and date (or the previous sentence's date) where it has them."""
    from kg.ingest_events import event_cues, event_label, placed

    last_date = None
    for s, e in spans:
        cands = by_span.get((s, e), [])
        places = [c for c in cands if c.kind == "mention" and c.entity and c.entity.startswith(ID + "place/")]
        places += [c for c in cands if c.kind == "name" and c.cls == "kg:Place"]
        dates = [c for c in cands if c.kind == "date"]
        date = dates[0] if dates else last_date
        for cs, ce, cls in event_cues(text[s:e]):
            cue = text[s + cs:s + ce]
            c = Candidate("event", cue, s + cs, s + ce, entity=f"{ID}draft/d{doc}-{cls.split(':')[1].lower()}-{s}", cls=cls)
            if placed(cls) and places:
                c.place, c.label = places[0].entity, event_label(cls, places[0].text, date.text if date else None)
                c.date = (date.value, date.datatype) if date else None
            by_span.setdefault((s, e), []).append(c)
        last_date = dates[-1] if dates else None


def heldout_scores(engine, folder: Path, doc: str) -> dict:
    """Ingest document ``doc`` as if it were new and count what of its curation the draft finds:
    :func:`kg.ingest_heldout.heldout_scores` (kept here for callers of this module)."""
    from kg.ingest_heldout import heldout_scores as measure

    return measure(engine, folder, doc)
