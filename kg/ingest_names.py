"""Candidate new names for ``kg ingest``: capitalised names, groups named by an adjective, titles and
cited works, each with the class its words make clear.

* :func:`name_forms`: the names in a run of capitalised words ("Al-Azhar University in Cairo" ->
  itself, "Al-Azhar University", "Cairo"), without a leading stop word or a possessive
  ("Kazakhstan's Ministry of Culture" -> "Kazakhstan", "Ministry of Culture"), a person's name after
  a title ("President Obama" -> "Obama");
* :data:`GROUP_PHRASE`: a group named by a capitalised adjective and a plural noun ("Kazakh
  officials", "Uyghur extremists", "Chinese government");
* :func:`org_phrases`: bodies and places named by a common noun and a proper name ("akimat of
  Astana", "Beket-Ata mosque", "Almaty region");
* :func:`websites`: outlets and websites named by their address ("contur.kz");
* :func:`cited_works`: works cited in the text: author and year ("Salamon's (2002)", "Horgan &
  Braddock 2010"), a source and date in brackets ("(Interfax, October 22, 2013)"), quoted titles,
  titles with a year, and the outlet after a quoted title in a note ("“Title,” Daily Mail, November
  22, 2014").

:func:`propose_class` gives the class a name's head word makes clear.
"""

from __future__ import annotations

import re

__all__ = [
    "CAPITALISED",
    "GROUP_PHRASE",
    "HEAD_CLASSES",
    "MONTHS",
    "STOP_STARTS",
    "TITLE",
    "TITLE_WORDS",
    "cited_works",
    "group_class",
    "name_forms",
    "org_phrases",
    "propose_class",
    "websites",
]

HEAD_CLASSES = [
    ((r"\b(ministry|committee|agency|service|office|court|courts|prosecutor|police|guard|akimat|akimats|government|"
     r"council|administration|department|parliament|mazhilis|senate|directorate|authorities|forces|detachment)\b"),
     "kg:StateAgency"),
    (r"\b(party|movement|jamaat|djamaat|tahrir|front|army|brigade|battalion|emirate|state|group|jihad|cell)\b", "kg:Group"),
    (r"\b(university|academy|institute|college|school)\b", "kg:University"),
    (r"\b(center|centre|foundation|association|fund|union|hotline|mosque|factory)\b", "kg:Organization"),
    (r"\b(news|times|tv|radio|monitor|daily|press|post|journal|magazine|channel|agency|\w+\.(?:kz|ru|com|org|net))\b",
     "kg:MediaOutlet"),
    (r"\b(law|code|act|article|amendment|decree|resolution|convention|strategy|concept|ban|regulation)\b", "kg:LegalAct"),
    (r"\b(program|programme|plan|initiative|project)\b", "kg:Program"),
    (r"\b(region|oblast|province|district|city|republic|valley|village|town)\b", "kg:Place"),
    (r"\b(organization|organisation|nations|union|council|osce|fatf)\b", "kg:InternationalOrganization"),
]
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_GAP = r"(?:[ \t]+|[ \t]*\n(?:[ \t]*\n)?[ \t]*)"  # a name may wrap onto the next line, or past a blank line (PDF text)
CAPITALISED = re.compile(rf"(?:\b(?:al|el|ad|ibn|bin)-)?\b[A-Z][\w'’.+-]*[\w'’](?:{_GAP}(?:of|for|and|the|on|in|to|al|ad|ut|de|"
                         rf"[A-Z]\.|(?:al-)?[A-Z][\w'’-]+))*{_GAP}[A-Z][\w'’-]+\b"
                         r"|(?:\b(?:al|el)-)?\b[A-Z][\w'’+-]{3,}\b|\b[A-Z]{2,}\b")
GROUP_NOUNS = {
    "government": "kg:StateAgency", "authorities": "kg:StateAgency", "courts": "kg:StateAgency",
    "police": "kg:StateAgency", "forces": "kg:StateAgency", "officials": "kg:ActorGroup",
    "militants": "kg:ActorGroup", "fighters": "kg:ActorGroup", "extremists": "kg:ActorGroup",
    "jihadists": "kg:ActorGroup", "radicals": "kg:ActorGroup", "returnees": "kg:ActorGroup",
    "citizens": "kg:ActorGroup", "nationals": "kg:ActorGroup", "followers": "kg:ActorGroup",
    "women": "kg:ActorGroup", "children": "kg:ActorGroup", "Salafis": "kg:Group", "insurgents": "kg:ActorGroup",
    "separatists": "kg:ActorGroup", "volunteers": "kg:ActorGroup", "recruits": "kg:ActorGroup",
}
GROUP_PHRASE = re.compile(r"\b((?:[A-Z]\.){2,}|[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+((?:(?:security|special|armed|foreign|"
                          r"terrorist|local|regional|state|law enforcement|religious|radical)\s+){0,2}"
                          rf"(?:{'|'.join(GROUP_NOUNS)}))\b")
TITLE = re.compile(r"[“”\"]([A-Z‘'][^“”\"]{5,200}?)[,.]?\s*[”\"]|‘([A-Z][^‘’\n]{5,160}?)[,.]?’(?![A-Za-z])")
TITLE_WORDS = {"President", "Chair", "Chairman", "Secretary", "Minister", "Deputy", "Prime", "Director", "Head", "General",
               "Ambassador", "Senator", "Imam", "Mufti", "Professor", "Dr", "Mr", "Mrs", "Ms", "Colonel", "Judge", "Akim"}
STOP_STARTS = {"Some", "Many", "Most", "Such", "Other", "Both", "Each", "All", "Also", "Yet", "But", "And", "Or", "If",
               "Then", "There", "They", "We", "He", "She", "His", "Her", "Their", "Our", "Table", "Figure", "Chapter",
               "Appendix", "Source", "Note", "Notes", "See", "Ibid", "Accessed", "Retrieved", "Available", "Page",
               "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December", "What", "Which", "Who", "Why", "How", "Where", "Here", "Thus", "Therefore",
               "Moreover", "Furthermore", "Despite", "Because", "Although", "Though", "With", "Without", "Under",
               "Over", "Among", "Between", "Within", "Through", "Against", "About", "Above", "Below", "Into",
               "The", "In", "On", "At", "As", "By", "For", "From", "This", "That", "These", "Those", "It", "A", "An",
               "According", "However", "While", "When", "After", "Before", "Since", "During", "Its", "I", "My",
               "Vol", "Volume", "Issue", "Iss", "No", "Pp", "P", "Ed", "Eds", "Dubbed", "Called", "Public", "Private",
               "Later", "Earlier", "Now", "Today", "Recently", "Currently", "Meanwhile", "Instead", "Still", "Even",
               "Only", "Just", "Indeed", "Finally", "First", "Second", "Third", "Lastly", "Overall", "Similarly",
               "Likewise", "Nevertheless", "Nonetheless", "Hence", "Accordingly", "Consequently", "Notably", "Unlike",
               "Like", "Following", "Given", "Regarding", "Including", "Every", "Any", "Several", "Few", "Another",
               "Once", "Whether", "Whereas", "Unless", "Until", "Upon", "Not", "Neither", "Nor", "So", "To", "Of"}
HEAD_ENDS = {"University", "Foundation", "Institute", "Center", "Centre", "Committee", "Ministry", "Agency", "Service",
             "Council", "Party", "Movement", "Front", "Fund", "Times", "News", "Press", "Association", "Academy", "Office"}
_NOTE_END = re.compile(r"(?<=[a-z]{2})\.\d*\s+|(?<=[A-Za-z])\.\d+(?:\s+|$)")
_CONNECTORS = {"of", "for", "and", "the", "on", "in", "to", "at", "from", "with"}
_SPLIT = re.compile(r"\s+(?:in|on|at|to|from|and)\s+")
_POSSESSIVE = re.compile(r"['’]s?$")


def propose_class(name: str) -> str | None:
    """The class a name's head word makes clear, or ``None``: the head is the last word before "of",
    "for", "on", "to" or "against" ("Ministry of ..." -> ``kg:StateAgency``, "State Program on ..."
    -> ``kg:Program``, "Islamic State" -> ``kg:Group``); failing that, any word of the name.

    >>> propose_class("State Program on Countering Religious Extremism"), propose_class("Border Guard Service Academy")
    ('kg:Program', 'kg:University')
    """
    low = name.lower()
    head = re.split(r"\s+(?:of|for|on|to|against)\s+", low, maxsplit=1)[0].split()
    for text in ([head[-1]] if head else []) + [low]:
        for pattern, cls in HEAD_CLASSES:
            if re.search(pattern, text):
                return cls
    return None


def _strip(name: str) -> str:
    words = name.split()
    while words and (words[0].rstrip(".,") in STOP_STARTS or words[0] in _CONNECTORS):
        words = words[1:]
    while words and words[-1].lower() in ("of", "for", "and", "the", "on", "in", "al", "ad", "ut", "de"):
        words = words[:-1]
    return _POSSESSIVE.sub("", " ".join(words))


def name_forms(run: str) -> list[tuple[str, str | None]]:
    """The candidate names in a run of capitalised words, each with a proposed class (see the module).

    >>> [n for n, _ in name_forms("The Al-Azhar University in Cairo")]
    ['Al-Azhar University in Cairo', 'Al-Azhar University', 'Cairo']
    """
    forms: list[tuple[str, str | None]] = []
    pieces = _NOTE_END.split(run)
    if len(pieces) > 1:  # "Atyrau.19 Boralday Village": a sentence and its note number end a name
        return [f for piece in pieces for f in name_forms(piece)]
    if "\n" in run.strip():  # a name wrapped onto the next line, or two cells of a table
        lines = [line for line in run.split("\n") if line.strip()]
        if len(lines) > 1:
            forms.extend(f for line in lines for f in name_forms(line) if " " in f[0] or len(lines[0].split()) == 1)
    name = _strip(run)
    if not name:
        return forms
    for sep in ("'s ", "’s "):
        if sep in name:
            head, tail = name.split(sep, 1)
            return name_forms(head) + name_forms(tail)
    parts = name.split()
    if parts[0] in TITLE_WORDS:
        i = 0
        while i < len(parts) and parts[i] in TITLE_WORDS:
            i += 1
        rest = " ".join(parts[i:])
        if not rest:
            return forms
        person = _strip(_SPLIT.split(rest)[0])
        return [(person, "kg:Person")] + [f for f in name_forms(rest) if f[0] != person]
    forms.append((name, propose_class(name)))
    words = name.split()
    for i, word in enumerate(words[1:-1], start=1):
        if word in HEAD_ENDS and words[i + 1][:1].isupper():
            # "Stanford University Mapping Militant Organizations": a name ends at its head word
            forms.append((" ".join(words[:i + 1]), propose_class(word)))
    m = re.match(r"^([A-Z][a-z]+) of (?:the )?([A-Z].+)$", name)
    if m and propose_class(m.group(1)) is None:
        # "Officials of the Ministry of ...": a common noun capitalised at the start of a sentence
        forms.append((m.group(2), propose_class(m.group(2))))
    for m in re.finditer(r" of the ([A-Z].+)$", name):
        # "Center for Research ... of the Akimat of Astana": the body it belongs to
        if m.start() > 0 and propose_class(m.group(1).split()[0]):
            forms.append((m.group(1), propose_class(m.group(1))))
    pieces = [p for p in _SPLIT.split(name) if p]
    if len(pieces) > 1:
        forms.extend((p, propose_class(p)) for p in map(_strip, pieces) if p and p[0].isupper())
        if re.fullmatch(r"[^,]+ and [^,]+", name) and " and " in name and propose_class(name) is None:
            forms = [f for f in forms if f[0] != name]  # "Shaumetov and Kakimov": two names, not one
    seen, out = set(), []
    for n, cls in forms:
        if n not in seen:
            seen.add(n)
            out.append((n, cls))
    return out


def group_class(noun: str) -> str:
    """The class of a group named by an adjective and ``noun`` ("officials" -> ``kg:ActorGroup``)."""
    return GROUP_NOUNS.get(noun.split()[-1], "kg:ActorGroup")


_AUTHOR = r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,2}"
AUTHOR_YEAR = re.compile(rf"\b(?P<author>{_AUTHOR}(?:\s+(?:and|&)\s+{_AUTHOR}|\s+et\s+al\.?)?)(?P<sep>\s*\(|,?\s+)"
                         r"(?P<year>(?:19|20)\d\d)[a-z]?\)?")
SOURCE_DATE = re.compile(rf"(?P<source>[\w][\w.&/'’-]*(?:\s+[A-Za-z][\w.&/'’-]*){{0,4}}),\s+(?P<date>(?:{MONTHS})\.?\s+\d{{1,2}}"
                         rf"(?:,\s+\d{{4}})?|\d{{1,2}}\s+(?:{MONTHS})\.?(?:\s+\d{{4}})?)$")
OUTLET_AFTER_TITLE = re.compile(rf"[”\"]\s*,?\s*(?:in\s+)?(?P<outlet>[A-Z][^,\n“”\"]{{2,80}}?)(?:\s+\d+)?,\s+(?:n\.d\.|(?:{MONTHS})|"
                                r"\d{1,2}\s|(?:19|20)\d\d|vol|iss|no\.)")


_HEADS = (r"akimats?|departments?|ministry|committee|cent(?:er|re)s?|office|prosecutor['’]s office|police|courts?|"
          r"administration|association|hotline|mosque|university|foundation|fund|agency|service|council|branch|"
          r"detachments?|authorities|maslikhats?")
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "this", "that", "these", "those", "our", "each", "every"}
_PLACE_TYPES = r"region|oblast|province|district|city|village|town"
ORG_PHRASE = re.compile(rf"\b((?:(?:[a-z]+|[A-Z][a-z]+)[- ])?(?:{_HEADS})(?:[ \t]+(?:for|of|on)[ \t]+(?:the[ \t]+)?[a-z][a-z-]+"
                        rf"(?:[ \t]+(?:and[ \t]+)?[a-z][a-z-]+){{0,3}})?)\s+(of|in|at)\s+(?:the\s+)?"
                        rf"([A-Z][\w-]+(?:[ \t]+[A-Z][\w-]+){{0,2}}(?:\s+(?:{_PLACE_TYPES}))?)")
LOWER_HEAD = re.compile(rf"\b([A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){{0,2}})(?:[ \t]+|[ \t]*\n[ \t]*)({_PLACE_TYPES}|mosque|cent(?:er|re)|akimat|"
                        r"website|hotline|channel|association|foundation|group|factory|workshop|poll|questionnaire|"
                        r"program|programme|story|report|documentar(?:y|ies))\b")
TITLE_YEAR = re.compile(r"\b((?:[A-Z][\w’'-]+[ \t]+(?:(?:on|of|the|and|for|in)[ \t]+)*){2,}[A-Z][\w’'-]+[ \t]+(?:19|20)\d\d)\b")
PAREN_CITATION = re.compile(r"^(?P<source>[A-Z][^,;()]{1,80}?),?\s+(?P<year>(?:19|20)\d\d)[a-z]?(?:,\s*(?:pp?\.|para\.)\s*[\d–-]+)?$")


def org_phrases(text: str):
    """Organizations and places named by a common noun and a proper name, as curators name them:
    "akimat of Astana", "center for religious studies in the Akmola region", "Beket-Ata mosque",
    "Almaty region". An iterator of ``(name, start, class)``, the name as written (spaces
    normalised)."""
    for m in ORG_PHRASE.finditer(text):
        head = " ".join(m.group(1).split())
        if head.split()[0] in STOP_STARTS or head.split()[0] in _DETERMINERS:
            head = " ".join(head.split()[1:])
        if not head:
            continue
        name = " ".join(text[m.start(1) + m.group(1).find(head.split()[0]):m.end()].split())
        yield name, m.start(1) + m.group(1).find(head.split()[0]), propose_class(head) or "kg:Organization"
    from kg.ingest_match import demonym_forms

    for m in LOWER_HEAD.finditer(text):
        first = m.group(1).split()[0]
        if first in STOP_STARTS or first in TITLE_WORDS or m.group(1) in demonym_forms():
            continue  # "Kazakh city" is no name
        name = " ".join(m.group(0).split())
        cls = "kg:Place" if re.fullmatch(_PLACE_TYPES, m.group(2)) else propose_class(m.group(2))
        yield name, m.start(), cls or "kg:Organization"


WEBSITE = re.compile(r"(?<![\w./@-])((?:www\.)?[A-Za-z0-9][\w-]*\.(?:kz|ru|com|org|net|info))(?![\w/.-]*\w)(?!/)")


def websites(text: str):
    """Websites and outlets named by their address ("contur.kz", "www.114.kz"), not the addresses
    of links: an iterator of ``(name, start)``."""
    for m in WEBSITE.finditer(text):
        yield m.group(1), m.start(1)


def cited_works(text: str):
    """Works and outlets cited in ``text``: an iterator of ``(kind, label, alias, start, end, cls)``
    where ``kind`` is ``citation``, ``title`` or ``name``, ``label`` the proposed name, ``alias``
    the text as written when it differs (or ``None``)."""
    lower = set(re.findall(r"\b[a-z][a-z'’-]+\b", text))
    for m in AUTHOR_YEAR.finditer(text):
        author = _strip(" ".join(m.group("author").split()))
        if not author or author.rstrip(".") in STOP_STARTS or re.fullmatch(rf"(?:{MONTHS})\.?", author):
            continue
        if " " not in author and author.lower() in lower and "(" not in m.group("sep"):
            continue  # "Terrorism 2016": a common word before a year is no author
        year = m.group("year")
        full = _strip(" ".join(m.group("author").split()))
        written = f"{full} {year}"  # the key a reference list gives: "Horgan & Braddock 2010"
        words = author.split()
        if len(words) in (2, 3) and propose_class(author) is None and all(w[:1].isupper() and w.isalpha() for w in words):
            author = words[-1]  # "Sally Cummings (2004)": a work is cited by its author's surname
            if author.lower() in lower and "(" not in m.group("sep"):
                continue
        label = f"{author} ({year})"
        yield "citation", label, written if written and written != label else None, m.start("author"), m.end(), "kg:CitedWork"
        if " and " not in full and "&" not in full and " et al" not in full:
            yield "name", full, None, m.start("author"), m.start("author") + len(full), propose_class(full)
    for m in re.finditer(r"\(([^()]{4,300})\)", text):
        offset = m.start(1)
        for part in m.group(1).split(";"):
            start = offset + m.group(1).find(part) + (len(part) - len(part.lstrip()))
            written = " ".join(part.split())
            cited = PAREN_CITATION.match(written)
            if cited and _strip(cited.group("source")):
                source = _strip(cited.group("source"))
                label = f"{source} ({cited.group('year')})"
                alias = f"{source} {cited.group('year')}"
                yield "citation", label, alias if alias != label else None, start, start + len(part.strip()), "kg:CitedWork"
                yield "name", source, None, start, start + len(source), propose_class(source)
                continue
            found = SOURCE_DATE.search(written)
            if not found:
                continue
            date = " ".join(found.group("date").split())
            for source in written[:found.start("date")].rstrip(", ").split(", "):
                source = _strip(source.strip())
                if not source or not (source[0].isupper() or "." in source) or len(source.split()) > 5:
                    continue
                at = start + max(0, part.strip().find(source))
                yield "citation", f"{source}, {date}", None, at, at + len(source), "kg:CitedWork"
                yield "name", source, None, at, at + len(source), propose_class(source) or "kg:MediaOutlet"
    for m in TITLE_YEAR.finditer(text):
        title = _strip(" ".join(m.group(1).split()))
        if len(title.split()) >= 3:
            yield "title", title, None, m.end(1) - len(title), m.end(1), "kg:CitedWork"
    for m in TITLE.finditer(text):
        group = 1 if m.group(1) else 2
        title = " ".join(m.group(group).split()).strip(" ,.")
        if len(title.split()) >= 2:
            yield "title", title, None, m.start(group), m.end(group), "kg:CitedWork"
    for m in OUTLET_AFTER_TITLE.finditer(text):
        outlet = _strip(m.group("outlet").strip())
        if outlet and len(outlet.split()) <= 6:
            yield "name", outlet, None, m.start("outlet"), m.start("outlet") + len(outlet), propose_class(outlet) or "kg:MediaOutlet"
