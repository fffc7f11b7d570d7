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
from pathlib import Path

__all__ = ["Candidate", "Draft", "fold", "sentences", "label_index", "ingest_text", "write_draft", "DRAFTS_DIR"]

DRAFTS_DIR = Path("graph") / "drafts"
ID = "https://w3id.org/kzkg/id/"

LABEL_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX kg: <https://w3id.org/kzkg/ontology#>
SELECT ?e ?label ?cls ?doc WHERE {
  { ?e skos:prefLabel|skos:altLabel|skos:hiddenLabel|schema:name ?label }
  FILTER(STRSTARTS(STR(?e), "https://w3id.org/kzkg/id/")
         && !STRSTARTS(STR(?e), "https://w3id.org/kzkg/id/stat/")
         && !STRSTARTS(STR(?e), "https://w3id.org/kzkg/id/finding/")
         && !STRSTARTS(STR(?e), "https://w3id.org/kzkg/id/evidence/")
         && !STRSTARTS(STR(?e), "https://w3id.org/kzkg/id/source/"))
  OPTIONAL { ?e a ?cls . FILTER(STRSTARTS(STR(?cls), "https://w3id.org/kzkg/ontology#")) }
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
CAPITALISED = re.compile(r"\b[A-Z][\w'’-]+(?:[ \t]+(?:of|for|and|the|on|in|al|ad|ut|de|[A-Z][\w'’-]+))*[ \t]+[A-Z][\w'’-]+\b"
                         r"|(?<=[a-z,;:] )[A-Z][\w'’-]{3,}\b")
TITLE_WORDS = {"President", "Chair", "Chairman", "Secretary", "Minister", "Deputy", "Prime", "Director", "Head", "General",
               "Ambassador", "Senator", "Imam", "Mufti", "Professor", "Dr", "Mr", "Mrs", "Ms", "Colonel", "Judge", "Akim"}
TITLE = re.compile(r"[“\"]([A-Z][^”\"\n]{6,120})[”\"]")
STOP_STARTS = {"The", "In", "On", "At", "As", "By", "For", "From", "This", "That", "These", "Those", "It", "A", "An",
               "According", "However", "Although", "While", "When", "After", "Before", "Since", "During", "Its"}


def fold(text: str) -> str:
    """A same-length folded form of ``text`` for matching: lower case, accents and marks removed,
    typographic apostrophes and dashes made plain. Offsets into the result are offsets into ``text``."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)
        base = "".join(c for c in base if not unicodedata.combining(c)) or ch
        c = base[0].lower() if len(base[0].lower()) == 1 else base[0]
        out.append({"’": "'", "‘": "'", "–": "-", "—": "-", "\n": " ", "\t": " "}.get(c, c))
    return "".join(out)


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

    With ``exclude_doc``, labels only that document states are left out (a held-out test).
    """
    seen: dict[tuple[str, str], set[str]] = {}
    for row in engine.query(LABEL_QUERY).rows:
        key = (row["e"]["value"], row["label"]["value"])
        docs = seen.setdefault(key, set())
        if "doc" in row:
            docs.add(row["doc"]["value"])
        else:
            docs.add("*")  # a card, or a term of the ontology
    index: dict[str, set[str]] = {}
    for (iri, label), docs in seen.items():
        if exclude_doc and docs <= {exclude_doc, "*"} and exclude_doc in docs:
            continue
        if exclude_doc and docs == {"*"} and _only_in(engine, iri, exclude_doc):
            continue
        folded = " ".join(fold(label).split())
        if len(folded) >= 3 or folded.isupper():
            index.setdefault(folded, set()).add(iri)
    return index


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
    if " and " in name:
        forms.extend((part, _propose_class(part)) for part in name.split(" and ") if part)
    return forms


def _date(text: str) -> tuple[str, str] | None:
    """A date literal and its XSD datatype at the precision of ``text`` (dateparser)."""
    if re.fullmatch(r"\d{4}", text):
        return text, "xsd:gYear"
    from dateparser.date import DateDataParser

    data = DateDataParser(languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"}).get_date_data(text)
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
    covered = [(c.start, c.end) for c in found]
    for m in CAPITALISED.finditer(text):
        if any(s <= m.start() < e for s, e in covered):
            continue
        for name, cls in _name_forms(m.group(0)):
            if " ".join(fold(name).split()) in known:
                continue
            start = m.start() + m.group(0).find(name)
            found.append(Candidate("name", name, start, start + len(name), entity=f"{ID}draft/{_slug(name)}", cls=cls))
    for m in TITLE.finditer(text):
        if len(m.group(1).split()) >= 2:
            found.append(Candidate("title", m.group(1), m.start(1), m.end(1), entity=f"{ID}draft/{_slug(m.group(1))}",
                                   cls="kg:CitedWork"))
    for m in DATE.finditer(text):
        parsed = _date(m.group(0))
        if parsed:
            found.append(Candidate("date", m.group(0), m.start(), m.end(), value=parsed[0], datatype=parsed[1]))
    dates = [(c.start, c.end) for c in found if c.kind == "date"]
    for m in FIGURE.finditer(text):
        raw = m.group("num")
        number = str(NUMBER_WORDS[raw.lower()]) if raw.lower() in NUMBER_WORDS else raw.replace(",", "")
        if any(s <= m.start("num") < e for s, e in dates) or (re.fullmatch(r"(19|20)\d\d", number) and not m.group("cmp")):
            continue  # part of a date, or a year
        unit = (m.group("unit") or "").lower() or None
        found.append(Candidate("figure", m.group(0), m.start(), m.end(), value=number, unit=unit,
                               comparator=(m.group("cmp") or "").strip().lower() or None))
    spans = sentences(text)
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
            elif c.kind in ("acronym", "name", "title"):
                cls = f" a {c.cls} ;" if c.cls else ""
                alias = f" ; skos:altLabel {_literal(c.value)}@en" if c.kind == "acronym" else ""
                body.append(f"    <{c.entity}>{cls} kg:candidate \"{c.kind}\" ; skos:prefLabel {_literal(c.text if c.kind != 'acronym' else c.text.rsplit('(', 1)[0].strip())}@en{alias} .")
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
SELECT DISTINCT ?e ?label WHERE {
  ?ev kg:document/kg:documentId ?doc .
  GRAPH ?ev { { ?e ?p ?o } UNION { ?s ?p ?e } }
  FILTER(isIRI(?e) && STRSTARTS(STR(?e), "https://w3id.org/kzkg/id/"))
  ?e skos:prefLabel|skos:altLabel|skos:hiddenLabel|schema:name ?label .
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
    values = _doc_values(doc)
    for row in engine.query(CURATED_QUERY.replace("WHERE {", "WHERE {" + values, 1)).rows:
        iri = row["e"]["value"]
        if any(iri.startswith(ID + p) for p in NOT_ENTITIES):
            continue
        labels.setdefault(iri, set()).add(" ".join(fold(row["label"]["value"]).split()))
    cands = draft.candidates()
    linked = {c.entity for c in cands if c.kind == "mention"}
    proposed = set()
    for c in cands:
        if c.kind in ("acronym", "name", "title"):
            proposed.add(" ".join(fold(c.text.rsplit("(", 1)[0] if c.kind == "acronym" else c.text).split()))
            if c.value:
                proposed.add(" ".join(fold(c.value).split()))
    found = {iri for iri, names in labels.items() if iri in linked or names & proposed}
    figures = [(c.start, c.end, float(c.value)) for c in cands if c.kind == "figure"]
    stats = {}
    for row in engine.query(STATS_QUERY.replace("WHERE {", "WHERE {" + values, 1)).rows:
        try:
            value = float(row["value"]["value"])
        except ValueError:
            continue
        stats[row["st"]["value"]] = (int(row["start"]["value"]), int(row["end"]["value"]), value)
    stats_found = sum(1 for s, e, v in stats.values() if any(fs < e and s < fe and fv == v for fs, fe, fv in figures))
    return {"entities": len(labels), "entities_found": len(found), "stats": len(stats), "stats_found": stats_found}


def _doc_values(doc: str) -> str:
    """A ``VALUES ?doc { "NNN" }`` block for a checked three-digit document id."""
    if not re.fullmatch(r"\d{3}", doc):
        raise ValueError(f"{doc!r} is not a three-digit document id")
    return f' VALUES ?doc {{ "{doc}" }} '
