"""``kg ingest``: turn a registered document into a draft of candidate facts for a curator.

The draft is TriG in the curation format (``graph/drafts/dNNN.trig``; the build does not read
``graph/drafts/``): one named graph per sentence that holds a candidate, named ``ev:dNNN-START-END``
with its ``kg:sha256`` beside it, exactly as a curator would write it, and every candidate marked
with ``kg:candidate`` and the kind of candidate. A curator keeps, edits or deletes each block and
moves the file to ``graph/claims/``.

Candidates, by kind:

* ``mention``: a known entity named by one of its labels or aliases (an Aho-Corasick automaton over
  every label, pyahocorasick; matched on whole words, case- and accent-insensitively);
* ``acronym``: a name followed by its acronym in brackets ("Committee for National Security (KNB)");
* ``name``: a run of capitalised words that no entity of the graph carries, with a class proposed from
  its head word (Ministry -> kg:StateAgency, Party -> kg:Group, Law -> kg:LegalAct ...);
* ``title``: a quoted title of two words or more;
* ``date``: a date at the precision the text gives (dateparser; day, month or year);
* ``figure``: a number with a unit or category word after it and a comparator before it ("more than
  300 people"), as a draft ``kg:Statistic`` about the entities linked in the same sentence.

The matching is the project's (:func:`fold`), so what ``-p entity=`` resolves, the draft links.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = ["Candidate", "Draft", "fold", "sentences", "label_index", "ingest_text", "write_draft", "DRAFTS_DIR"]

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

HEAD_CLASSES = [
    (r"\b(ministry|committee|agency|service|office|court|prosecutor|police|guard|akimat|government|council|"
     r"administration|department|parliament|mazhilis|senate|directorate)\b", "kg:StateAgency"),
    (r"\b(party|movement|jamaat|djamaat|tahrir|front|army|brigade|battalion|emirate|state|group|jihad)\b", "kg:Group"),
    (r"\b(university|institute|center|centre|foundation|association|fund|union)\b", "kg:Organization"),
    (r"\b(law|code|act|article|amendment|decree|resolution|convention|strategy|concept)\b", "kg:LegalAct"),
    (r"\b(program|programme|plan|initiative|project)\b", "kg:Program"),
    (r"\b(region|oblast|province|district|city|republic|valley|village)\b", "kg:Place"),
    (r"\b(organization|organisation|nations|union|council|osce|fatf)\b", "kg:InternationalOrganization"),
]
COMPARATORS = r"(?:more than|over|about|around|almost|nearly|approximately|at least|up to|some|fewer than|less than|roughly)"
UNIT_WORDS = ("people|persons|women|men|children|citizens|nationals|fighters|militants|members|followers|"
              "cases|attacks|incidents|websites|sites|centers|centres|mosques|years|months|days|percent|%|"
              "tenge|dollars|usd|kzt|million|billion|thousand|officers|prisoners|convicts|returnees|families|"
              "organizations|groups|sentences|courts|trials|victims|deaths|dead|killed|wounded|injured")
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                "hundred": 100, "dozen": 12}
FIGURE = re.compile(rf"(?P<cmp>\b{COMPARATORS}\s+)?(?P<num>\b\d{{1,3}}(?:,\d{{3}})+|\b\d+(?:\.\d+)?|\b(?:{'|'.join(NUMBER_WORDS)})\b)"
                    rf"(?:\s*(?P<unit>%|{UNIT_WORDS}|[A-Za-z][\w-]+))?", re.IGNORECASE)
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
DATE = re.compile(rf"\b(?:\d{{1,2}}\s+(?:{MONTHS})\.?\s+\d{{4}}|(?:{MONTHS})\.?\s+\d{{1,2}},\s+\d{{4}}|(?:{MONTHS})\.?\s+\d{{4}}|"
                  rf"(?:19[5-9]\d|20[0-4]\d))\b")
ACRONYM = re.compile(r"((?:[A-Z][\w'’-]*)(?:[ \t]+(?:of|for|and|the|on|in|to|al|ad|ut|[A-Z][\w'’-]*)){0,8})\s+\(([A-Z][A-Za-z&]{1,9})\)")
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"  # words of a name may wrap onto the next line (PDF text)
CAPITALISED = re.compile(rf"(?:\b(?:al|el|ad|ibn|bin)-)?\b[A-Z][\w'’.-]*[\w'’](?:{_GAP}(?:of|for|and|the|on|in|al|ad|ut|de|[A-Z]\.|"
                         rf"(?:al-)?[A-Z][\w'’-]+))*{_GAP}[A-Z][\w'’-]+\b"
                         r"|(?:\b(?:al|el)-)?\b[A-Z][\w'’-]{3,}\b|\b[A-Z]{2,}\b")
CITATION = re.compile(r"\b([A-Z][\w.'’-]+(?:\s+(?:and|&)\s+[A-Z][\w.'’-]+|\s+et\s+al\.?)?)(?:\s*\(|,?\s+)((?:19|20)\d\d)[a-z]?\)?")
TITLE_WORDS = {"President", "Chair", "Chairman", "Secretary", "Minister", "Deputy", "Prime", "Director", "Head", "General",
               "Ambassador", "Senator", "Imam", "Mufti", "Professor", "Dr", "Mr", "Mrs", "Ms", "Colonel", "Judge", "Akim"}
TITLE = re.compile(r"[“\"‘']([A-Z][^”\"’\n]{6,160}?)[,.]?[”\"’]")
EVENT_WORDS = [
    (r"\b(attack|attacks|attacked|bombing|bomb|explosion|shooting|shot|killed|hostage|stabbing|assault)\b", "kg:Attack"),
    (r"\b(plot|foiled|prevented|thwarted|disrupted)\b", "kg:FoiledPlot"),
    (r"\b(arrest\w*|detain\w*|raid\w*|operation|repatriat\w*|returned|deport\w*|blocked|banned)\b", "kg:Operation"),
    (r"\b(trial|sentenced|convicted|charged|prosecut\w*|court)\b", "kg:Trial"),
    (r"\b(protest\w*|riot\w*|unrest|demonstration\w*|clashes)\b", "kg:Unrest"),
    (r"\b(conference|summit|forum|meeting|exercise|training)\b", "kg:Conference"),
    (r"\b(video|released|published|broadcast)\b", "kg:Release"),
    (r"\b(designat\w*|listed as|declared)\b", "kg:Designation"),
    (r"\b(law|laws|legislation|code|amend\w*|decree|resolution|adopted|passed|statute\w*|bill)\b", "kg:LegalAct"),
    (r"\b(program|programme|strategy|plan|policy|initiative|project|campaign|funding|budget)\b", "kg:Program"),
    (r"\b(war|conflict|insurgency|fighting)\b", "kg:Conflict"),
]
STOP_STARTS = {"Some", "Many", "Most", "Such", "Other", "Both", "Each", "All", "Also", "Yet", "But", "And", "Or", "If",
               "Then", "There", "They", "We", "He", "She", "His", "Her", "Their", "Our", "Table", "Figure", "Chapter",
               "Appendix", "Source", "Note", "Notes", "See", "Ibid", "Accessed", "Retrieved", "Available", "Page",
               "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December", "What", "Which", "Who", "Why", "How", "Where", "Here", "Thus", "Therefore",
               "Moreover", "Furthermore", "Despite", "Because", "Although", "Though", "With", "Without", "Under",
               "Over", "Among", "Between", "Within", "Through", "Against", "About", "Above", "Below", "Into",
"The", "In", "On", "At", "As", "By", "For", "From", "This", "That", "These", "Those", "It", "A", "An",
               "According", "However", "Although", "While", "When", "After", "Before", "Since", "During", "Its"}


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
    """``(start, end)`` offsets of the sentences of ``text``: split after ., ! or ? followed by white
    space and a capital, a digit or a quote, and at blank lines; leading and trailing space trimmed."""
    spans, start = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])|\n\s*\n", text):
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


@dataclass
class Candidate:
    """One candidate fact: its kind, the words of the text, where they are, and what is proposed."""

    kind: str  # mention, acronym, name, title, date, figure
    text: str
    start: int
    end: int
    entity: str | None = None  # the linked entity (mention) or the proposed IRI
    cls: str | None = None  # the proposed class
    value: str | None = None  # a date literal or a number
    datatype: str | None = None
    unit: str | None = None
    comparator: str | None = None


@dataclass
class Draft:
    """What ``kg ingest`` found in one document: candidates grouped by sentence span."""

    doc: str
    spans: dict[tuple[int, int], list[Candidate]] = field(default_factory=dict)

    def candidates(self) -> list[Candidate]:
        return [c for cands in self.spans.values() for c in cands]

    def summary(self) -> dict[str, int]:
        """Counts of candidates by kind (mentions also by the class of the linked entity)."""
        counts = Counter(c.kind for c in self.candidates())
        counts["spans"] = len(self.spans)
        return dict(counts)


def label_index(engine, exclude_doc: str | None = None) -> dict[str, set[str]]:
    """Folded label -> entity IRIs, from every label and alias of the built graph.

    Where one label names several entities, only those that carry it at the best rank are kept (a
    preferred label beats an alias, which beats a title), as in the entity search of the CLI. With
    ``exclude_doc``, labels only that document states are left out (a held-out test).
    """
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
    best: dict[str, dict[str, int]] = {}
    for (iri, label), docs in seen.items():
        if exclude_doc and docs <= {exclude_doc, "*"} and exclude_doc in docs:
            continue
        if exclude_doc and docs == {"*"} and _only_in(engine, iri, exclude_doc):
            continue
        folded = " ".join(fold(label).split())
        if len(folded) >= 3 or label.isupper():
            entry = best.setdefault(folded, {})
            entry[iri] = min(entry.get(iri, 9), ranks[(iri, label)])
    return {label: {iri for iri, r in entry.items() if r == min(entry.values())} for label, entry in best.items()}


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


def _automaton(index: dict[str, set[str]]):
    import ahocorasick

    auto = ahocorasick.Automaton()
    for label, iris in index.items():
        auto.add_word(label, (label, frozenset(iris)))
    auto.make_automaton()
    return auto


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
        import bisect

        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


def _word_bounded(folded: str, start: int, end: int) -> bool:
    before = folded[start - 1] if start > 0 else " "
    after = folded[end] if end < len(folded) else " "
    return not (before.isalnum() or after.isalnum())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60] or "x"


def _propose_class(name: str) -> str | None:
    low = name.lower()
    for pattern, cls in HEAD_CLASSES:
        if re.search(pattern, low):
            return cls
    return None


def _name_forms(name: str) -> list[tuple[str, str | None]]:
    """The candidate names in a run of capitalised words, with a proposed class: the run itself
    without a leading stop word or possessive owner ("Kazakhstan's Border Guard Service"), its parts
    around "and", and a person's name after a title ("President Nazarbayev")."""
    words = name.split()
    while words and words[0] in STOP_STARTS:
        words = words[1:]
    name = " ".join(words)
    forms: list[tuple[str, str | None]] = []
    if not name:
        return forms
    for sep in ("'s ", "’s "):
        if sep in name:
            forms.extend(_name_forms(name.split(sep, 1)[1]))
            name = name.split(sep, 1)[0]
    parts = name.split()
    if parts and parts[0] in TITLE_WORDS:
        i = 0
        while i < len(parts) and parts[i] in TITLE_WORDS:
            i += 1
        if i < len(parts):
            forms.append((" ".join(parts[i:]), "kg:Person"))
    forms.append((name, _propose_class(name)))
    m = re.match(r"^([A-Z][a-z]+) of (?:the )?([A-Z].+)$", name)
    if m and _propose_class(m.group(1)) is None:
        # "Officials of the Ministry of ...": a common noun capitalised at the start of a sentence
        forms.append((m.group(2), _propose_class(m.group(2))))
    if " and " in name:
        forms.extend((part, _propose_class(part)) for part in name.split(" and ") if part)
    return forms


@lru_cache(maxsize=1)
def _date_parser():
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})


@lru_cache(maxsize=4096)
def _date(text: str) -> tuple[str, str] | None:
    """A date literal and its XSD datatype at the precision of ``text`` (dateparser: day, month or
    year), or ``None`` if it does not parse. Cached: a document repeats its dates."""
    if re.fullmatch(r"\d{4}", text):
        return text, "xsd:gYear"
    data = _date_parser().get_date_data(" ".join(text.split()))
    if data.date_obj is None:
        return None
    d = data.date_obj
    if data.period == "day":
        return d.strftime("%Y-%m-%d"), "xsd:date"
    if data.period == "month":
        return d.strftime("%Y-%m"), "xsd:gYearMonth"
    return d.strftime("%Y"), "xsd:gYear"


def ingest_text(doc: str, text: str, index: dict[str, set[str]]) -> Draft:
    """Find the candidates in ``text`` (document ``doc``); ``index`` is :func:`label_index`."""
    folded = fold(text)
    auto = _automaton(index)
    draft = Draft(doc)
    known = set(index)
    mentions: list[Candidate] = []
    for end_index, (label, iris) in auto.iter(folded):
        start = end_index - len(label) + 1
        if _word_bounded(folded, start, end_index + 1) and len(iris) == 1:
            mentions.append(Candidate("mention", text[start:end_index + 1], start, end_index + 1, entity=next(iter(iris))))
    # keep the longest mention where several overlap ("Islamic State" inside "Islamic State of Iraq")
    mentions.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept, last_end = [], -1
    for c in mentions:
        if c.start >= last_end:
            kept.append(c)
            last_end = c.end
    found: list[Candidate] = list(kept)
    for m in ACRONYM.finditer(text):
        name, short = m.group(1).strip(), m.group(2)
        if fold(short) not in known or fold(name) not in known:
            found.append(Candidate("acronym", m.group(0), m.start(), m.end(), entity=f"{ID}draft/{_slug(name)}",
                                   cls=_propose_class(name), value=short))
    covered = _Intervals((c.start, c.end) for c in found)
    for m in CAPITALISED.finditer(text):
        if covered.holds(m.start()):
            continue
        for name, cls in _name_forms(m.group(0)):
            if " ".join(fold(name).split()) in known:
                continue
            start = m.start() + m.group(0).find(name)
            found.append(Candidate("name", name, start, start + len(name), entity=f"{ID}draft/{_slug(name)}", cls=cls))
    for m in CITATION.finditer(text):
        author, year = " ".join(m.group(1).split()), m.group(2)
        if author in STOP_STARTS or author.rstrip(".") in STOP_STARTS:
            continue
        label = f"{author} ({year})"
        if " ".join(fold(label).split()) not in known:
            found.append(Candidate("citation", label, m.start(), m.end(), entity=f"{ID}draft/{_slug(label)}", cls="kg:CitedWork"))
    for m in TITLE.finditer(text):
        if len(m.group(1).split()) >= 2:
            found.append(Candidate("title", m.group(1), m.start(1), m.end(1), entity=f"{ID}draft/{_slug(m.group(1))}",
                                   cls="kg:CitedWork"))
    for m in DATE.finditer(text):
        parsed = _date(m.group(0))
        if parsed:
            found.append(Candidate("date", m.group(0), m.start(), m.end(), value=parsed[0], datatype=parsed[1]))
    dates = _Intervals((c.start, c.end) for c in found if c.kind == "date")
    for m in FIGURE.finditer(text):
        raw = m.group("num")
        number = str(NUMBER_WORDS[raw.lower()]) if raw.lower() in NUMBER_WORDS else raw.replace(",", "")
        if dates.holds(m.start("num")) or (re.fullmatch(r"(19|20)\d\d", number) and not m.group("cmp")):
            continue  # part of a date, or a year
        unit = (m.group("unit") or "").lower() or None
        found.append(Candidate("figure", m.group(0), m.start(), m.end(), value=number, unit=unit,
                               comparator=(m.group("cmp") or "").strip().lower() or None))
    spans = sentences(text)
    for s, e in spans:
        low = text[s:e].lower()
        for pattern, cls in EVENT_WORDS:
            m = re.search(pattern, low)
            if m:
                found.append(Candidate("event", text[s + m.start():s + m.end()], s + m.start(), s + m.end(),
                                       entity=f"{ID}draft/d{doc}-{cls.split(':')[1].lower()}-{s}", cls=cls))
    starts = [s for s, _ in spans]
    import bisect

    for c in sorted(found, key=lambda c: c.start):
        i = bisect.bisect_right(starts, c.start) - 1
        if i < 0:
            continue
        span = spans[i]
        draft.spans.setdefault(span, []).append(c)
    return draft


def _literal(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def write_draft(draft: Draft, text: str, path: Path) -> Path:
    """Write ``draft`` as TriG at ``path`` (refusing to overwrite a file that is not a draft)."""
    from kg.corpus import sha256_text

    if path.exists() and not path.read_text(encoding="utf-8").startswith("# Draft of document"):
        raise FileExistsError(f"{path} exists and is not a draft written by kg ingest; move it away first")
    lines = [
        f"# Draft of document {draft.doc} written by `kg ingest`: candidates for a curator, not curated facts.",
        "# Keep, edit or delete each block; drop the kg:candidate triples; move the file to graph/claims/.",
        "@prefix kg:     <https://w3id.org/kzkg/ontology#> .",
        "@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix ev:     <https://w3id.org/kzkg/id/evidence/> .",
        "@prefix draft:  <https://w3id.org/kzkg/id/draft/> .",
        "",
    ]
    n_stat = 0
    for (start, end), cands in sorted(draft.spans.items()):
        ev = f"ev:d{draft.doc}-{start}-{end}"
        linked = sorted({c.entity for c in cands if c.kind == "mention"})
        body = []
        for c in cands:
            if c.kind == "mention":
                body.append(f"    <{c.entity}> kg:candidate \"mention\" ; skos:altLabel {_literal(c.text)}@en .")
            elif c.kind in ("acronym", "name", "title", "citation"):
                cls = f" a {c.cls} ;" if c.cls else ""
                alias = f" ; skos:altLabel {_literal(c.value)}@en" if c.kind == "acronym" else ""
                body.append(f"    <{c.entity}>{cls} kg:candidate \"{c.kind}\" ; skos:prefLabel {_literal(c.text if c.kind != 'acronym' else c.text.rsplit('(', 1)[0].strip())}@en{alias} .")
            elif c.kind == "event":
                body.append(f"    <{c.entity}> a {c.cls} ; kg:candidate \"event\" .  # cue: {_literal(c.text)}")
            elif c.kind == "date":
                body.append(f"    # date: {_literal(c.text)} -> kg:date \"{c.value}\"^^{c.datatype}")
            elif c.kind == "figure":
                n_stat += 1
                about = " ; kg:about " + " , ".join(f"<{e}>" for e in linked) if linked else ""
                cmp = f" ; kg:comparator {_literal(c.comparator)}" if c.comparator else ""
                unit = f" ; kg:unit {_literal(c.unit)}" if c.unit else ""
                body.append(f"    draft:d{draft.doc}-stat-{n_stat} a kg:Statistic ; kg:candidate \"figure\" ; "
                            f"kg:value {c.value}{unit}{cmp}{about} .")
        lines.append(f"{ev} {{")
        lines.extend(body)
        lines.append("}")
        lines.append(f"{ev} kg:sha256 \"{sha256_text(text[start:end])}\" .")
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    tmp.replace(path)
    return path


CURATED_QUERY = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?e ?label ?start ?end ?kind WHERE {
  ?ev kg:document/kg:documentId ?doc ; kg:start ?start ; kg:end ?end .
  GRAPH ?ev { { ?e ?p ?o } UNION { ?s ?p ?e } }
  FILTER(isIRI(?e) && STRSTARTS(STR(?e), "https://w3id.org/kzkg/id/"))
  ?e skos:prefLabel|skos:altLabel|skos:hiddenLabel|schema:name ?label .
  OPTIONAL { VALUES ?kind { kg:Event kg:LegalAct kg:Program } ?e a ?kind }
}
"""
STATS_QUERY = """
PREFIX kg: <https://w3id.org/kzkg/ontology#>
SELECT DISTINCT ?st ?value ?start ?end WHERE {
  ?ev kg:document/kg:documentId ?doc ; kg:start ?start ; kg:end ?end .
  GRAPH ?ev { ?st a kg:Statistic ; kg:value ?value }
}
"""
NOT_ENTITIES = ("stat/", "finding/", "evidence/", "source/", "quantity/", "topic/", "note/", "node/", "disagreement/")


def heldout_scores(engine, folder: Path, doc: str) -> dict[str, int]:
    """Ingest document ``doc`` as if it were new and count what of its curation the draft finds.

    Returns ``{"entities", "entities_found", "stats", "stats_found"}`` (counts). See
    ``bench/ingest_heldout.py`` for the definitions.
    """
    from kg.corpus import document_text

    text = document_text(folder, doc)
    draft = ingest_text(doc, text, label_index(engine, exclude_doc=doc))
    labels: dict[str, set[str]] = {}
    spans: dict[str, set[tuple[int, int, str]]] = {}
    values = _doc_values(doc)
    for row in engine.query(CURATED_QUERY.replace("WHERE {", "WHERE {" + values, 1)).rows:
        iri = row["e"]["value"]
        if any(iri.startswith(ID + p) for p in NOT_ENTITIES):
            continue
        label = " ".join(fold(row["label"]["value"]).split())
        bare = re.sub(r"\s*\([^)]*\)$", "", label)
        labels.setdefault(iri, set()).update({label, bare, re.sub(r"^the ", "", bare)})
        if "kind" in row:
            kind = row["kind"]["value"].rsplit("#", 1)[1]
            spans.setdefault(iri, set()).add((int(row["start"]["value"]), int(row["end"]["value"]), kind))
    cands = draft.candidates()
    linked = {c.entity for c in cands if c.kind == "mention"}
    proposed = set()
    for c in cands:
        if c.kind in ("acronym", "name", "title", "citation"):
            proposed.add(" ".join(fold(c.text.rsplit("(", 1)[0] if c.kind == "acronym" else c.text).split()))
            if c.value:
                proposed.add(" ".join(fold(c.value).split()))
    cues = [(c.start, c.cls) for c in cands if c.kind == "event"]
    event_classes = {"kg:Attack", "kg:FoiledPlot", "kg:Operation", "kg:Trial", "kg:Unrest", "kg:Conference",
                     "kg:Release", "kg:Designation", "kg:Conflict"}
    wanted = {"Event": event_classes, "LegalAct": {"kg:LegalAct", "kg:Program"}, "Program": {"kg:LegalAct", "kg:Program"}}

    def cued(iri: str) -> bool:
        """An event or act stated in a sentence where the draft proposes one of a matching kind."""
        return any(s <= pos < e and cls in wanted[kind] for s, e, kind in spans.get(iri, ()) for pos, cls in cues)

    found = {iri for iri, names in labels.items() if iri in linked or names & proposed or cued(iri)}
    figures = [(c.start, c.end, float(c.value)) for c in cands if c.kind == "figure"]
    stats = {}
    for row in engine.query(STATS_QUERY.replace("WHERE {", "WHERE {" + values, 1)).rows:
        try:
            value = float(row["value"]["value"])
        except ValueError:
            continue
        stats[row["st"]["value"]] = (int(row["start"]["value"]), int(row["end"]["value"]), value)
    stats_found = sum(1 for s, e, v in stats.values() if any(fs < e and s < fe and fv == v for fs, fe, fv in figures))
    return {"entities": len(labels), "entities_found": len(found), "stats": len(stats), "stats_found": stats_found,
            "missed": sorted(set(labels) - found)}


def _doc_values(doc: str) -> str:
    """A ``VALUES ?doc { "NNN" }`` block for a checked three-digit document id."""
    if not re.fullmatch(r"\d{3}", doc):
        raise ValueError(f"{doc!r} is not a three-digit document id")
    return f' VALUES ?doc {{ "{doc}" }} '
