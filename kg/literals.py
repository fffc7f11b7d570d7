"""Lexical forms of typed literals, and control characters in names, checked with file and line.

The Turtle parser accepts ``"2015-13-01"^^xsd:date`` or ``"+2015"^^xsd:gYear``: only the datatype is
read, not whether the text is a value of it. :func:`check_files` reads every input file, finds each
typed literal (``"..."^^xsd:T`` or ``^^<http://www.w3.org/2001/XMLSchema#T>``, outside comments and
other strings) and checks its text against XML Schema 1.1 for the types of :data:`RULES`: dates,
years, year-months, date-times, times, integers (plain, non-negative, positive), decimals and
booleans, months 01-12 and days that exist. Each problem is one line naming the file, the line,
what is wrong and the fix. Names (``skos:prefLabel``, ``skos:altLabel``, ``skos:hiddenLabel``,
``schema:name``, ``rdfs:label``) with a control character (a tab, a new line...) are refused too.

Numbers, quoted and typed or bare (``42``, ``4.5``, ``4.5E3``), are refused when a SPARQL store cannot
compute with them exactly (:func:`check_lexical`): an integer beyond 64 bits, a decimal of more than 18
places, a double that reads as infinity or 0; pyoxigraph keeps them as text, and sums, comparisons and
sorting skip them.

Any string or IRI, whatever its property, is refused when it holds a character that Turtle accepts
(written as ``\u0000`` or raw) but another output of the build cannot carry as it is
(:data:`UNSAFE`): a control character other than tab, line feed and carriage return (N-Quads
writes them raw, XML 1.0 and HTML forbid them, a terminal obeys ``ESC [``), a lone surrogate
(``\uD800``: no UTF-8 file can hold it, the exports wrote ``?``) or a noncharacter (``U+FFFE``).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from pathlib import Path

from kg.automaton import LONGEST_KEY

__all__ = ["RULES", "UNSAFE", "check_lexical", "check_files", "check_text", "unsafe_characters", "unsafe_terms", "iri_lines"]

_TZ = r"(Z|[+-]\d{2}:\d{2})?"
_Y = r"-?\d{4,}"
RULES = {
    "date": re.compile(rf"^({_Y})-(\d{{2}})-(\d{{2}}){_TZ}$"),
    "gYear": re.compile(rf"^({_Y}){_TZ}$"),
    "gYearMonth": re.compile(rf"^({_Y})-(\d{{2}}){_TZ}$"),
    "dateTime": re.compile(rf"^({_Y})-(\d{{2}})-(\d{{2}})T(\d{{2}}):(\d{{2}}):(\d{{2}})(\.\d+)?{_TZ}$"),
    "time": re.compile(rf"^(\d{{2}}):(\d{{2}}):(\d{{2}})(\.\d+)?{_TZ}$"),
    "integer": re.compile(r"^[+-]?\d+$"),
    "nonNegativeInteger": re.compile(r"^(\+?\d+|-0+)$"),
    "positiveInteger": re.compile(r"^\+?0*[1-9]\d*$"),
    "decimal": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"),
    "boolean": re.compile(r"^(true|false|1|0)$"),
    "double": re.compile(r"^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)$"),
    "float": re.compile(r"^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)$"),
}
#: The largest integer a SPARQL store computes with (pyoxigraph: 64 bits; a larger one is kept as text,
#: and sums, comparisons and sorting skip it), and the decimals it keeps exactly (18 decimal places).
MAX_INTEGER, DECIMAL_PLACES, MAX_DECIMAL = 2**63 - 1, 18, 170141183460469231731
EXAMPLES = {
    "date": '"2016-06-05"', "gYear": '"2016"', "gYearMonth": '"2016-06"', "dateTime": '"2016-06-05T14:30:00"',
    "time": '"14:30:00"', "integer": '"42"', "nonNegativeInteger": '"42"', "positiveInteger": '"42"',
    "decimal": '"4.5"', "boolean": '"true" or "false"', "double": '"4.5E3"', "float": '"4.5E3"',
}
NAME_PROPERTIES = ("skos:prefLabel", "skos:altLabel", "skos:hiddenLabel", "schema:name", "rdfs:label")
_TOKENS = re.compile(
    r'(?P<comment>#[^\n]*)|(?P<iri><[^>\s]*>)'
    r'|(?P<long>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\')'
    r'|(?P<string>"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')',
    re.DOTALL,
)
# the same, with bare numbers (a number inside a prefixed name, an IRI, a string or a comment is none); used
# only on a text holding 19 digits in a row or an exponent of 3 digits, as every number out of range does
_TOKENS_NUMBERS = re.compile(
    _TOKENS.pattern + r'|(?P<number>(?<![\w:.\-])[+-]?(?:(?:\d+\.\d*|\.\d+|\d+)[eE][+-]?\d+|\d*\.\d+|\d+)(?![\w:\-]))',
    re.DOTALL,
)
_LONG_NUMBER = re.compile(r"\d{19}|\d[eE][+-]?\d{3,}(?![\w\"'])")  # (a bare number: not in a hash)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode's Cc: what a name may not hold
_DATATYPE = re.compile(r"\^\^(?:xsd:(\w+)|<http://www\.w3\.org/2001/XMLSchema#(\w+)>)")
_NAME_BEFORE = re.compile(r"(" + "|".join(re.escape(p) for p in NAME_PROPERTIES) + r")\s*$")
#: Characters no value of the graph may hold: C0 controls but tab, LF and CR; DEL and the C1 controls;
#: surrogates (lone ones, or a pair written as two ``\u`` escapes); noncharacters (``U+FDD0``-``U+FDEF``,
#: ``U+xFFFE``, ``U+xFFFF``).
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                    + "".join(f"{chr(p)}{chr(p + 1)}" for p in range(0x1fffe, 0x110000, 0x10000)) + "]")
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(body: str) -> str:
    def one(m):
        s = m.group(0)
        if s[1] in "uU":
            return chr(int(s[2:], 16))
        return _ESCAPES.get(s[1], s[1])

    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", one, body)


def check_lexical(text: str, datatype: str) -> str | None:
    """What is wrong with ``text`` as a value of ``xsd:<datatype>``, with the fix; ``None`` if valid
    (or the type is not one of :data:`RULES`).

    >>> check_lexical("2015-13-01", "date")
    'month 13 does not exist: write 01 to 12, for example "2016-06-05"^^xsd:date'
    >>> check_lexical("+2015", "gYear") is not None
    True
    """
    rule = RULES.get(datatype)
    if rule is None:
        return None
    fix = f'{EXAMPLES[datatype]}^^xsd:{datatype}'
    if text != text.strip():
        return f"spaces around the value: write {fix}"
    if datatype in ("date", "gYear", "gYearMonth", "dateTime") and text.startswith("+"):
        return f"a year takes no '+' sign: write {text[1:]!r} (for example {fix})"
    if datatype == "date" and re.match(rf"^{_Y}-\d{{2}}-\d{{2}}[T ]\d", text):
        return (f'a time inside an xsd:date: keep the date ("{text[:10]}"^^xsd:date) and put the time in '
                f'kg:timeOfDay ("14:30:00"^^xsd:time), or make the value an xsd:dateTime')
    m = rule.match(text)
    if not m:
        return f"{text!r} is not an xsd:{datatype}: write {fix}"
    if datatype in ("date", "gYearMonth", "dateTime"):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            return f"month {month:02d} does not exist: write 01 to 12, for example {fix}"
        if datatype != "gYearMonth":
            day = int(m.group(3))
            last = calendar.monthrange(year if 1 <= year <= 9999 else 2000, month)[1]
            if not 1 <= day <= last:
                return f"day {day:02d} does not exist in {year}-{month:02d} (it has {last} days): for example {fix}"
    if datatype in ("dateTime", "time"):
        h, mi, s = (int(m.group(i)) for i in ((4, 5, 6) if datatype == "dateTime" else (1, 2, 3)))
        if h > 24 or mi > 59 or s > 59 or (h == 24 and (mi or s)):
            return f"{h:02d}:{mi:02d}:{s:02d} is not a time of day: for example {fix}"
    if datatype == "gYear" and int(m.group(1)) == 0:
        return f"there is no year 0000: for example {fix}"
    return _out_of_range(text, datatype)


def _out_of_range(text: str, datatype: str) -> str | None:
    """What is wrong with a number valid as written that a SPARQL store cannot compute with exactly."""
    if datatype in ("integer", "nonNegativeInteger", "positiveInteger") and abs(int(text)) > MAX_INTEGER:
        return (f"{text} is beyond the integers a SPARQL store computes with ({MAX_INTEGER:,} at most; a larger one "
                "is skipped by sums, comparisons and sorting): check the value, or write it as an xsd:decimal")
    if datatype == "decimal":
        whole, _, places = text.lstrip("+-").partition(".")
        if len(places.rstrip("0")) > DECIMAL_PLACES or int(whole or 0) > MAX_DECIMAL:
            return (f"{text} has more than {DECIMAL_PLACES} decimal places, or is over {MAX_DECIMAL:,}: a SPARQL store "
                    "cannot compute with it exactly (sums, comparisons and sorting skip it); round it")
    if datatype in ("double", "float") and "INF" not in text and "NaN" not in text:
        import math

        if not math.isfinite(float(text)) or (float(text) == 0 and any(c in "123456789" for c in text.split("e")[0].split("E")[0])):
            return f"{text} is too large or too small for an xsd:{datatype} (it would be read as infinity or 0): check the value"
    return None


def unsafe_characters(value: str) -> str | None:
    """What :data:`UNSAFE` finds in ``value``, with the fix, as the end of an error line; ``None``
    when it holds no such character.

    >>> unsafe_characters("a\\x00b\\x1b")
    'holds U+0000, U+001B (control characters), which N-Quads, XML and HTML cannot carry as they are: remove them'
    >>> print(unsafe_characters("\\ud83d\\ude00"))
    holds U+D83D, U+DE00 (surrogates), which no UTF-8 file can hold (the exports wrote '?'): write the character itself, or one \\U escape of 8 digits (here \\U0001F600)
    """
    found = sorted(set(UNSAFE.findall(value)))
    if not found:
        return None
    parts, fixes = [], []
    for kind, chars, fix in (
            ("control character", [c for c in found if c <= "\x9f"], "remove"),
            ("surrogate", [c for c in found if "\ud800" <= c <= "\udfff"], "surrogate"),
            ("noncharacter", [c for c in found if c >= "\ufdd0"], "remove")):
        if chars:
            codes = ", ".join(f"U+{ord(c):04X}" for c in chars[:5]) + (", ..." if len(chars) > 5 else "")
            parts.append(f"{codes} ({kind}{'s' if len(chars) > 1 else ''})")
            fixes.append(fix)
    if "surrogate" in fixes:
        pair = re.search("[\ud800-\udbff][\udc00-\udfff]", value)
        here = (f" (here \\U{0x10000 + ((ord(pair.group()[0]) - 0xD800) << 10) + ord(pair.group()[1]) - 0xDC00:08X})"
                if pair else "")
        where = "no UTF-8 file can hold (the exports wrote '?')"
        fix = f"write the character itself, or one \\U escape of 8 digits{here}"
        if "remove" in fixes:
            where, fix = where + " or N-Quads, XML and HTML cannot carry", "remove the control characters and " + fix
    else:
        where, fix = "N-Quads, XML and HTML cannot carry as " + ("it is" if len(found) == 1 else "they are"), \
            "remove " + ("it" if len(found) == 1 else "them")
    return f"holds {' and '.join(parts)}, which {where}: {fix}"


def check_text(text: str, path: Path | str) -> list[str]:
    """Problems of one Turtle or TriG text: ``"path:line: message"`` lines, in file order."""
    from kg.known import _IRI

    problems = []
    for m in (_TOKENS_NUMBERS if _LONG_NUMBER.search(text) else _TOKENS).finditer(text):
        kind = m.lastgroup
        if kind == "iri":  # what kg.known._IRI refuses (spaces, quotes, C0 controls) kg.model reports (iri_lines)
            iri = _unescape(m.group(0)[1:-1])
            unsafe = unsafe_characters(iri) if _IRI.match(iri) else None
            if unsafe:
                problems.append(f"{path}:{text.count(chr(10), 0, m.start()) + 1}: the IRI {_shown(m.group(0))} {unsafe}")
            continue
        if kind == "number":  # a bare number: its type is its form (Turtle: 42 integer, 4.5 decimal, 4.5E3 double)
            number = m.group(0)
            problem = _out_of_range(number, "double" if "e" in number.lower() else "decimal" if "." in number else "integer")
            if problem:
                problems.append(f"{path}:{text.count(chr(10), 0, m.start()) + 1}: {number}: {problem}")
            continue
        if kind not in ("string", "long"):
            continue
        quote = 3 if kind == "long" else 1
        value = _unescape(m.group(0)[quote:-quote])
        unsafe = unsafe_characters(value)
        if unsafe:
            problems.append(f"{path}:{text.count(chr(10), 0, m.start()) + 1}: the text {_shown(m.group(0))} {unsafe}")
            continue
        typed = _DATATYPE.match(text, m.end())
        if typed:
            datatype = typed.group(1) or typed.group(2)
            problem = check_lexical(value, datatype)
            if problem:
                problems.append(f"{path}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}^^xsd:{datatype}: {problem}")
        overlong = len(value) > LONGEST_KEY
        if not overlong and not _CONTROL.search(value):
            continue
        name = _NAME_BEFORE.search(text, max(0, m.start() - 40), m.start())
        if name is None:  # a second name after a comma: look back past the previous string
            before = text[max(0, m.start() - 400):m.start()]
            name = re.search(r"(" + "|".join(map(re.escape, NAME_PROPERTIES)) + r")\s+(\"(?:[^\"\\\n]|\\.)*\"(@[\w-]+)?\s*,\s*)+$", before)
        if name and overlong:  # (no search nor mention check could look such a name up: kg.automaton)
            problems.append(f"{path}:{text.count(chr(10), 0, m.start()) + 1}: {name.group(1)} {_shown(m.group(0)[:40])}: "
                            f"a name of {len(value)} characters, longer than any name ({LONGEST_KEY} at most): "
                            "put the text in schema:description and give a short name")
        elif name and _CONTROL.search(value):
            bad = sorted({f"U+{ord(c):04X}" for c in value if unicodedata.category(c) == "Cc"})
            problems.append(f"{path}:{text.count(chr(10), 0, m.start()) + 1}: {name.group(1)} {m.group(0)[:40]}: a control character ({', '.join(bad)}) "
                            "in a name: write it on one line, without tabs")
    return problems


def iri_lines(text: str) -> dict[str, int]:
    """The line of each IRI written between angle brackets in a Turtle or TriG text, by its value
    (escapes such as ``\\u0020`` read): where to point at an IRI whose value the file does not spell."""
    lines: dict[str, int] = {}
    for m in _TOKENS.finditer(text):
        if m.lastgroup == "iri":
            lines.setdefault(_unescape(m.group(0)[1:-1]), text.count("\n", 0, m.start()) + 1)
    return lines


def unsafe_terms(quads) -> set:
    """The terms of ``quads`` (rdflib terms, ``None`` skipped) that no output of the build can carry:
    an IRI holding a character an IRI may not hold (:data:`kg.known._IRI`: spaces, quotes, angle
    brackets, controls; rdflib writes none of them) or any of :data:`UNSAFE`, a literal holding one
    of :data:`UNSAFE` or typed with such an IRI. One regular-expression search over all the terms
    when none is found."""
    from rdflib import Literal, URIRef

    from kg.known import _IRI

    terms = {t for quad in quads for t in quad if t is not None}
    iris = [t for t in terms if isinstance(t, URIRef)]
    texts = [t for t in terms if isinstance(t, Literal)]
    if not UNSAFE.search("\n".join(iris + texts)) and all(_IRI.match(t) for t in iris) \
            and all(t.datatype is None or _IRI.match(t.datatype) for t in texts):
        return set()
    return {t for t in terms if UNSAFE.search(t) or (isinstance(t, URIRef) and not _IRI.match(t))
            or (isinstance(t, Literal) and t.datatype is not None and not _IRI.match(t.datatype))}


def _shown(token: str) -> str:
    """A token as an error line shows it: its first 40 characters, every control character escaped."""
    short = token if len(token) <= 40 else token[:39] + "…"
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04X}" if ord(m.group()) < 0x10000 else f"\\U{ord(m.group()):08X}",
                      short.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r"))


def check_files(paths) -> list[str]:
    """Problems of every input file (paths, or ``SourceFile``-like objects with ``.path``)."""
    from kg.inputs import InputError, read_text

    problems = []
    for item in paths:
        path = Path(getattr(item, "path", item))
        try:
            text = read_text(path, bom=False)
        except InputError as exc:
            problems.append(str(exc))
            continue
        problems += check_text(text, path)
    return problems
