"""Lexical forms of typed literals, and control characters in names, checked with file and line.

The Turtle parser accepts ``"2015-13-01"^^xsd:date`` or ``"+2015"^^xsd:gYear``: only the datatype is
read, not whether the text is a value of it. :func:`check_files` reads every input file, finds each
typed literal (``"..."^^xsd:T`` or ``^^<http://www.w3.org/2001/XMLSchema#T>``, outside comments and
other strings) and checks its text against XML Schema 1.1 for the types of :data:`RULES`: dates,
years, year-months, date-times, times, integers (plain, non-negative, positive), decimals and
booleans, months 01-12 and days that exist. Each problem is one line naming the file, the line,
what is wrong and the fix. Names (``skos:prefLabel``, ``skos:altLabel``, ``skos:hiddenLabel``,
``schema:name``, ``rdfs:label``) with a control character (a tab, a new line...) are refused too.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from pathlib import Path

__all__ = ["RULES", "check_lexical", "check_files", "check_text"]

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
}
EXAMPLES = {
    "date": '"2016-06-05"', "gYear": '"2016"', "gYearMonth": '"2016-06"', "dateTime": '"2016-06-05T14:30:00"',
    "time": '"14:30:00"', "integer": '"42"', "nonNegativeInteger": '"42"', "positiveInteger": '"42"',
    "decimal": '"4.5"', "boolean": '"true" or "false"',
}
NAME_PROPERTIES = ("skos:prefLabel", "skos:altLabel", "skos:hiddenLabel", "schema:name", "rdfs:label")
_TOKENS = re.compile(
    r'(?P<comment>#[^\n]*)|(?P<iri><[^>\s]*>)'
    r'|(?P<long>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\')'
    r'|(?P<string>"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')',
    re.DOTALL,
)
_DATATYPE = re.compile(r"\^\^(?:xsd:(\w+)|<http://www\.w3\.org/2001/XMLSchema#(\w+)>)")
_NAME_BEFORE = re.compile(r"(" + "|".join(re.escape(p) for p in NAME_PROPERTIES) + r")\s*$")
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
    return None


def check_text(text: str, path: Path | str) -> list[str]:
    """Problems of one Turtle or TriG text: ``"path:line: message"`` lines, in file order."""
    problems = []
    for m in _TOKENS.finditer(text):
        kind = m.lastgroup
        if kind not in ("string", "long"):
            continue
        quote = 3 if kind == "long" else 1
        value = _unescape(m.group(0)[quote:-quote])
        typed = _DATATYPE.match(text, m.end())
        if typed:
            datatype = typed.group(1) or typed.group(2)
            problem = check_lexical(value, datatype)
            if problem:
                problems.append(f"{path}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}^^xsd:{datatype}: {problem}")
        if not any(unicodedata.category(c) == "Cc" for c in value):
            continue
        name = _NAME_BEFORE.search(text, max(0, m.start() - 40), m.start())
        if name is None:  # a second name after a comma: look back past the previous string
            before = text[max(0, m.start() - 400):m.start()]
            name = re.search(r"(" + "|".join(map(re.escape, NAME_PROPERTIES)) + r")\s+(\"(?:[^\"\\\n]|\\.)*\"(@[\w-]+)?\s*,\s*)+$", before)
        if name:
            bad = sorted({f"U+{ord(c):04X}" for c in value if unicodedata.category(c) == "Cc"})
            problems.append(f"{path}:{text.count(chr(10), 0, m.start()) + 1}: {name.group(1)} {m.group(0)[:40]}: a control character ({', '.join(bad)}) "
                            "in a name: write it on one line, without tabs")
    return problems


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
