"""Dates and figures for ``kg ingest``: a date at the precision the text gives (dateparser), and a
number with its comparator and unit as a draft statistic, leaving out what is not a figure.

Not figures: years, parts of dates, note numbers (a number glued to the word or full stop before it,
"Almaty.33", or a note's number "[12]" at a line start), page, volume, issue and article numbers
("p. 23", "iss. 134", "Volume 11"), numbers in web addresses, telephone numbers, numbered list items
("17. Center ...") and the years of citations.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.ingest_names import MONTHS

__all__ = ["DATE", "FIGURE", "NUMBER_WORDS", "figure_value", "not_figures", "parse_date"]

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
DATE = re.compile(rf"\b(?:\d{{1,2}}\s+(?:{MONTHS})\.?\s+\d{{4}}|(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|"
                  rf"(?:{MONTHS})\.?\s+\d{{4}}|(?:19[5-9]\d|20[0-4]\d))\b")
_NOT_FIGURES = re.compile(
    r"https?://\S+|www\.\S+|\S+\.(?:kz|ru|com|org|net)\S*"  # web addresses
    r"|(?<=[A-Za-z.,;:”\"’)\]])\d{1,3}(?=[\s,;]|$)"  # a note number glued to what it notes
    r"|^[ \t]*\[?\d{1,3}[.\])](?=\s)"  # a note's or a list item's number at a line start
    r"|\b(?:pp?|vol|volume|iss|issue|no|nr|art|article|chapter|section|part)\.?:?\s*\d+(?:\s*[-–]\s*\d+)?"
    r"|\+\d[\d -]{7,}\d|\b\d{9,}\b|\b\d{1,4}(?:-\d{2,4}){3,}\b",  # telephone numbers
    re.IGNORECASE | re.MULTILINE)


def not_figures(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` whose numbers are not figures (see the module)."""
    return [(m.start(), m.end()) for m in _NOT_FIGURES.finditer(text)]


def figure_value(raw: str) -> str:
    """The number a figure's digits or number word stand for, as text ("1,500" -> "1500", "ten" -> "10")."""
    return str(NUMBER_WORDS[raw.lower()]) if raw.lower() in NUMBER_WORDS else raw.replace(",", "")


@lru_cache(maxsize=1)
def _date_parser():
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})


@lru_cache(maxsize=4096)
def parse_date(text: str) -> tuple[str, str] | None:
    """A date literal and its XSD datatype at the precision of ``text`` (dateparser: day, month or
    year), or ``None`` if it does not parse. Cached: a document repeats its dates."""
    if re.fullmatch(r"\d{4}", text):
        return text, "xsd:gYear"
    data = _date_parser().get_date_data(" ".join(re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text).split()))
    if data.date_obj is None:
        return None
    d = data.date_obj
    if data.period == "day":
        return d.strftime("%Y-%m-%d"), "xsd:date"
    if data.period == "month":
        return d.strftime("%Y-%m"), "xsd:gYearMonth"
    return d.strftime("%Y"), "xsd:gYear"
